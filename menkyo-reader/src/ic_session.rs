//! The reading session of the conventional IC licence (ic-licence.md §1–§3) as types, so the
//! safe order is the only one that compiles: SELECT MF → read the two free EFs → PIN1's retry
//! counter → VERIFY PIN1 once → read what PIN1 opens, or PIN2's counter → VERIFY PIN2 once →
//! read every EF. PINs are zeroized; the PIN policy (counter first, one VERIFY, the last try
//! refused) is the one of [`crate::session`].
//!
//! ```text
//! IcSession ──select_mf──▶ IcMf ──read_free──▶ IcFree ──pin1_counter──▶ IcPin1Counted ──verify──▶ IcPin1Open
//! IcPin1Open ──read──▶ MF/EF01-02, DF1/EF01, 03, 04, 05, 07
//!            ──pin2_counter──▶ IcPin2::Counted(IcPin2Counted) ──verify──▶ IcPin2Open ──read──▶ every EF
//!                                                ──without_pin2──▶ IcPin1Open
//!                              IcPin2::Blocked(IcPin1Open)
//! ```
//!
//! The default PIN (DPIN `****`) is sent only when MF/EF02 was read and decoded as "no PIN
//! set": a card whose MF/EF02 is unreadable or holds another value gets no VERIFY at all
//! (guessing DPIN costs one of three tries).
//!
//! Reads: each EF by SFI (MF/EF01, which has none: SELECT EF, then a current-EF read) with one
//! extended READ BINARY (`Le 00 00 00`) when the reader takes it, else 256 bytes; the EF sizes
//! are known, so a response shorter than the EF means the reader or phone cut it, and reading
//! goes on at that offset (`00 B0 hi lo Le`, ≤ 256 bytes) until the EF size or an end status.

use zeroize::Zeroizing;

use menkyo_core::IcLicenceFiles;
use menkyo_core::ic_licence::PinSetting;

use crate::apdu::{Command, Response, SHORT_LE_MAX};
use crate::ic_card_profile::*;
use crate::session::{Counter, LastTry, Pin, ReadError, check, read_counter, verify_once};
use crate::status_word::StatusWord;
use crate::transport::{Card, Stats, Transport};

/// PIN1 (暗証番号1), as errors name it.
pub const IC_PIN1: &str = "PIN1 (暗証番号1)";
/// PIN2 (暗証番号2), as errors name it.
pub const IC_PIN2: &str = "PIN2 (暗証番号2)";
/// Who unblocks a locked PIN: only the prefectural Public Safety Commission (ic-licence.md §3).
pub const IC_RESET: &str = "licence centre or police";

/// A session with a conventional IC licence over a transport.
#[derive(Debug)]
pub struct IcSession<T> {
    card: Card<T>,
    /// Cleared once the reader refused an extended Le (6700): later EFs go straight to chunks.
    extended_le: bool,
}

impl<T: Transport> IcSession<T> {
    pub fn new(transport: T) -> Self {
        Self { card: Card::new(transport), extended_le: true }
    }

    pub fn stats(&self) -> Stats {
        self.card.stats()
    }

    pub fn into_transport(self) -> T {
        self.card.into_transport()
    }

    /// SELECT MF (`00 A4 00 00`, no data, no Le).
    pub fn select_mf(mut self) -> Result<IcMf<T>, ReadError> {
        let r = self.card.send(&Command::select_mf())?;
        check("SELECT MF", r.sw)?;
        Ok(IcMf { session: self })
    }

    /// SELECT a DF by AID; `false` when the card has no such DF (6A82).
    fn select_df(&mut self, aid: &[u8], step: &'static str) -> Result<bool, ReadError> {
        let r = self.card.send(&Command::select_ap(aid))?;
        if r.sw == StatusWord::NOT_FOUND {
            return Ok(false);
        }
        check(step, r.sw)?;
        Ok(true)
    }

    /// Reads a whole EF of the current DF; `None` when the card has no such EF (6A82).
    fn read_ef(&mut self, ef: &IcEf) -> Result<Option<Vec<u8>>, ReadError> {
        let first = match ef.sfi {
            Some(sfi) => self.first_read(ef, |le| Command::read_binary_sfi(sfi, le))?,
            None => {
                let r = self.card.send(&Command::select_ef(ef.fid))?;
                if r.sw == StatusWord::NOT_FOUND {
                    return Ok(None);
                }
                check(ef.step, r.sw)?;
                self.first_read(ef, |le| Command::read_binary(0, le))?
            }
        };
        match first.sw {
            StatusWord::NOT_FOUND => Ok(None),
            StatusWord::OK | StatusWord::END_OF_FILE => self.read_rest(ef, first).map(Some),
            sw => Err(ReadError::Unexpected { step: ef.step, sw }),
        }
    }

    /// [`Self::read_ef`] for an EF every card has.
    fn required_ef(&mut self, ef: &IcEf) -> Result<Vec<u8>, ReadError> {
        self.read_ef(ef)?.ok_or(ReadError::Unexpected { step: ef.step, sw: StatusWord::NOT_FOUND })
    }

    /// The first READ BINARY of an EF: the whole EF in one extended read when it does not fit
    /// a short Le and the reader takes extended lengths, else a short read of 256 bytes.
    /// [P] EFs that fit a short Le (MF/EF01, MF/EF02, EF02, EF06) always get one (`Le 00`):
    /// the same one APDU, two bytes shorter, and no 6700 from readers without extended APDUs.
    fn first_read(&mut self, ef: &IcEf, command: impl Fn(usize) -> Command) -> Result<Response, ReadError> {
        if ef.size > SHORT_LE_MAX && self.extended_le {
            let r = self.card.send(&command(IC_WHOLE_EF_LE))?;
            if r.sw != StatusWord::WRONG_LENGTH {
                return Ok(r);
            }
            self.extended_le = false;
        }
        Ok(self.card.send(&command(SHORT_LE_MAX))?)
    }

    /// Goes on after a first response shorter than the EF: the reader cut it (at 256 bytes,
    /// or near 400 on some phones). Current-EF reads of ≤ 256 bytes at 15-bit offsets, until
    /// the EF size, an end status (6B00, 6282) or an empty answer.
    fn read_rest(&mut self, ef: &IcEf, first: Response) -> Result<Vec<u8>, ReadError> {
        let mut data = first.data;
        let mut ended = first.sw == StatusWord::END_OF_FILE || data.is_empty();
        while !ended && data.len() < ef.size {
            let offset = u16::try_from(data.len())
                .ok()
                .filter(|&o| usize::from(o) <= IC_OFFSET_MAX)
                .ok_or(ReadError::Unexpected { step: ef.step, sw: StatusWord::OFFSET_OUT_OF_RANGE })?;
            let le = ef.size.saturating_sub(data.len()).min(IC_CHUNK);
            let mut r = self.card.send(&Command::read_binary(offset, le))?;
            match r.sw {
                StatusWord::OK | StatusWord::END_OF_FILE => {
                    ended = r.sw == StatusWord::END_OF_FILE || r.data.is_empty();
                    data.append(&mut r.data);
                }
                // The EF is shorter than its profile size: everything was read.
                StatusWord::OFFSET_OUT_OF_RANGE => ended = true,
                sw => return Err(ReadError::Unexpected { step: ef.step, sw }),
            }
        }
        Ok(data)
    }

    /// Reads what PIN1 opens: DF1/EF01, 03, 04, 05, 07 (EF03 only on cards that have it).
    fn read_pin1_files(&mut self, mf: MfFiles) -> Result<IcLicenceFiles, ReadError> {
        if !self.select_df(&IC_DF1_AID, "SELECT DF1")? {
            return Err(ReadError::NotAnIcLicence);
        }
        let ef01 = self.required_ef(&IC_DF1_EF01)?;
        let ef03 = self.read_ef(&IC_DF1_EF03)?;
        let ef04 = self.read_ef(&IC_DF1_EF04)?;
        let ef05 = self.read_ef(&IC_DF1_EF05)?;
        let ef07 = self.required_ef(&IC_DF1_EF07)?;
        Ok(IcLicenceFiles {
            mf_ef01: mf.ef01,
            mf_ef02: Some(mf.ef02),
            ef01,
            ef02: None,
            ef03,
            ef04,
            ef05,
            ef06: None,
            ef07,
            photo: None,
        })
    }

    /// Reads every EF: DF1/EF01–EF07 in file order, then DF2/EF01 (the photo).
    fn read_all_files(&mut self, mf: MfFiles) -> Result<IcLicenceFiles, ReadError> {
        if !self.select_df(&IC_DF1_AID, "SELECT DF1")? {
            return Err(ReadError::NotAnIcLicence);
        }
        let ef01 = self.required_ef(&IC_DF1_EF01)?;
        let ef02 = self.read_ef(&IC_DF1_EF02)?;
        let ef03 = self.read_ef(&IC_DF1_EF03)?;
        let ef04 = self.read_ef(&IC_DF1_EF04)?;
        let ef05 = self.read_ef(&IC_DF1_EF05)?;
        let ef06 = self.read_ef(&IC_DF1_EF06)?;
        let ef07 = self.required_ef(&IC_DF1_EF07)?;
        let photo = if self.select_df(&IC_DF2_AID, "SELECT DF2")? { self.read_ef(&IC_DF2_EF01)? } else { None };
        Ok(IcLicenceFiles { mf_ef01: mf.ef01, mf_ef02: Some(mf.ef02), ef01, ef02, ef03, ef04, ef05, ef06, ef07, photo })
    }
}

/// The free MF files as read, and what MF/EF02 said.
#[derive(Debug)]
struct MfFiles {
    ef01: Option<Vec<u8>>,
    ef02: Vec<u8>,
    setting: PinSetting,
}

/// The value one VERIFY sends: DPIN exactly when MF/EF02 said no PIN is set.
///
/// [P] On a card without PINs a PIN the caller gave anyway is not sent: the card's PINs are
/// DPIN, so any other value would only spend a try.
fn credential(setting: PinSetting, pin: Option<&Pin>, what: &'static str) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    match (setting, pin) {
        (PinSetting::NotSet, _) => Ok(Zeroizing::new(IC_DEFAULT_PIN.to_vec())),
        (PinSetting::Set, Some(p)) => Ok(Zeroizing::new(p.as_bytes().to_vec())),
        (PinSetting::Set, None) => Err(ReadError::PinNeeded { what }),
    }
}

/// The MF, selected.
#[derive(Debug)]
pub struct IcMf<T> {
    session: IcSession<T>,
}

impl<T: Transport> IcMf<T> {
    /// Reads MF/EF01 (common data) and MF/EF02 (PIN setting), both free. An MF/EF02 that
    /// cannot be read (any status but 9000) or decoded is not an error yet: it only means no
    /// VERIFY is ever sent ([`IcFree::pin1_counter`] refuses). A lost card still is one.
    pub fn read_free(mut self) -> Result<IcFree<T>, ReadError> {
        let s = &mut self.session;
        let ef01 = s.read_ef(&IC_MF_EF01)?;
        let ef02 = match s.read_ef(&IC_MF_EF02) {
            Ok(raw) => raw,
            Err(ReadError::Unexpected { .. }) => None,
            Err(e) => return Err(e),
        };
        let setting = ef02.as_deref().and_then(|raw| PinSetting::decode(raw).ok());
        Ok(IcFree { session: self.session, ef01, ef02, setting })
    }
}

/// The MF with its free EFs read.
#[derive(Debug)]
pub struct IcFree<T> {
    session: IcSession<T>,
    ef01: Option<Vec<u8>>,
    ef02: Option<Vec<u8>>,
    setting: Option<PinSetting>,
}

impl<T: Transport> IcFree<T> {
    /// What MF/EF02 said; `None`: unreadable or an unknown value.
    pub fn pin_setting(&self) -> Option<PinSetting> {
        self.setting
    }

    /// MF/EF01 as read (unsigned: to decide what to read, never as verified data); `None`
    /// when the card has none.
    pub fn common_data(&self) -> Option<&[u8]> {
        self.ef01.as_deref()
    }

    /// Reads PIN1's retry counter (`00 20 00 81`, spends no try). Refused, with nothing sent,
    /// when MF/EF02 could not be read or decoded.
    pub fn pin1_counter(mut self) -> Result<IcPin1Counted<T>, ReadError> {
        let (Some(setting), Some(ef02)) = (self.setting, self.ef02.take()) else {
            return Err(ReadError::IcPinSettingUnknown);
        };
        let counter = read_counter(&mut self.session.card, IC_PIN1_P2, IC_PIN1, IC_RESET)?;
        Ok(IcPin1Counted { session: self.session, mf: MfFiles { ef01: self.ef01, ef02, setting }, counter })
    }
}

/// PIN1's retry counter just read: one VERIFY of PIN1 may follow.
///
/// The counter is spent by the one VERIFY it allows: a second VERIFY (a retry with another
/// PIN) does not compile,
///
/// ```compile_fail,E0382
/// use menkyo_reader::Transport;
/// use menkyo_reader::ic_session::IcSession;
/// use menkyo_reader::session::{LastTry, Pin, ReadError};
/// fn retry<T: Transport>(a: T, first: &Pin, second: &Pin) -> Result<(), ReadError> {
///     let counted = IcSession::new(a).select_mf()?.read_free()?.pin1_counter()?;
///     if counted.verify(Some(first), LastTry::Refuse).is_err() {
///         counted.verify(Some(second), LastTry::Refuse)?;
///     }
///     Ok(())
/// }
/// ```
///
/// while the safe order compiles:
///
/// ```
/// use menkyo_reader::Transport;
/// use menkyo_reader::ic_session::{IcPin2, IcSession};
/// use menkyo_reader::session::{LastTry, Pin, ReadError};
/// fn read<T: Transport>(a: T, pin1: &Pin, pin2: &Pin) -> Result<(), ReadError> {
///     let open = IcSession::new(a).select_mf()?.read_free()?.pin1_counter()?.verify(Some(pin1), LastTry::Refuse)?;
///     let (_files, _session) = match open.pin2_counter()? {
///         IcPin2::Counted(counted) => counted.verify(Some(pin2), LastTry::Refuse)?.read()?,
///         IcPin2::Blocked(open) => open.read()?,
///     };
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct IcPin1Counted<T> {
    session: IcSession<T>,
    mf: MfFiles,
    counter: Counter,
}

impl<T: Transport> IcPin1Counted<T> {
    /// Tries left before PIN1 locks (`u8::MAX` when the card did not say).
    pub fn tries_left(&self) -> u8 {
        self.counter.tries_left()
    }

    /// What MF/EF02 said.
    pub fn pin_setting(&self) -> PinSetting {
        self.mf.setting
    }

    /// VERIFY PIN1 once: with `pin` when the holder set PINs, with DPIN when MF/EF02 says none
    /// is set (and only then). With one try left it is refused unless `last` allows it.
    pub fn verify(self, pin: Option<&Pin>, last: LastTry) -> Result<IcPin1Open<T>, ReadError> {
        let IcPin1Counted { mut session, mf, counter } = self;
        let value = credential(mf.setting, pin, IC_PIN1)?;
        verify_once(&mut session.card, counter, &value, last, IC_PIN1, IC_RESET)?;
        Ok(IcPin1Open { session, mf })
    }
}

/// PIN1 verified: DF1/EF01, 03, 04, 05, 07 can be read, or PIN2 opened.
#[derive(Debug)]
pub struct IcPin1Open<T> {
    session: IcSession<T>,
    mf: MfFiles,
}

/// The answer to PIN2's retry counter.
#[derive(Debug)]
pub enum IcPin2<T> {
    /// One VERIFY of PIN2 may follow.
    Counted(IcPin2Counted<T>),
    /// PIN2 is locked (6984 or a counter of 0): what PIN1 opens can still be read. [P] A
    /// locked PIN2 costs the holder a trip to the licence centre, not the whole read.
    Blocked(IcPin1Open<T>),
}

impl<T: Transport> IcPin1Open<T> {
    /// What MF/EF02 said.
    pub fn pin_setting(&self) -> PinSetting {
        self.mf.setting
    }

    /// Reads MF/EF01, MF/EF02 (already read) and what PIN1 opens; the submission then lacks
    /// EF02, EF06 and the photo (本籍, new 本籍, 写真), so its signature cannot be checked.
    pub fn read(mut self) -> Result<(IcLicenceFiles, IcSession<T>), ReadError> {
        let files = self.session.read_pin1_files(self.mf)?;
        Ok((files, self.session))
    }

    /// Reads PIN2's retry counter (`00 20 00 82`, spends no try).
    pub fn pin2_counter(mut self) -> Result<IcPin2<T>, ReadError> {
        match read_counter(&mut self.session.card, IC_PIN2_P2, IC_PIN2, IC_RESET) {
            Ok(counter) => Ok(IcPin2::Counted(IcPin2Counted { open: self, counter })),
            Err(ReadError::Blocked { .. }) => Ok(IcPin2::Blocked(self)),
            Err(e) => Err(e),
        }
    }
}

/// PIN1 verified and PIN2's retry counter just read: one VERIFY of PIN2 may follow.
#[derive(Debug)]
pub struct IcPin2Counted<T> {
    open: IcPin1Open<T>,
    counter: Counter,
}

impl<T: Transport> IcPin2Counted<T> {
    /// Tries left before PIN2 locks (`u8::MAX` when the card did not say).
    pub fn tries_left(&self) -> u8 {
        self.counter.tries_left()
    }

    /// What MF/EF02 said.
    pub fn pin_setting(&self) -> PinSetting {
        self.open.mf.setting
    }

    /// VERIFY PIN2 once (DPIN exactly when MF/EF02 says no PIN is set).
    pub fn verify(self, pin: Option<&Pin>, last: LastTry) -> Result<IcPin2Open<T>, ReadError> {
        let IcPin2Counted { open: IcPin1Open { mut session, mf }, counter } = self;
        let value = credential(mf.setting, pin, IC_PIN2)?;
        verify_once(&mut session.card, counter, &value, last, IC_PIN2, IC_RESET)?;
        Ok(IcPin2Open { session, mf })
    }

    /// No PIN2 (the holder does not know it): back to what PIN1 opens, the counter unspent.
    pub fn without_pin2(self) -> IcPin1Open<T> {
        self.open
    }
}

/// PIN1 and PIN2 verified: every EF can be read.
#[derive(Debug)]
pub struct IcPin2Open<T> {
    session: IcSession<T>,
    mf: MfFiles,
}

impl<T: Transport> IcPin2Open<T> {
    /// Reads every EF: MF/EF01–02 (already read), DF1/EF01–EF07, DF2/EF01.
    pub fn read(mut self) -> Result<(IcLicenceFiles, IcSession<T>), ReadError> {
        let files = self.session.read_all_files(self.mf)?;
        Ok((files, self.session))
    }
}
