//! The reading session as types, so the safe order is the only one that compiles:
//! select → read the retry counter → VERIFY once → read. PINs are zeroized; EF 0001 (個人番号)
//! is never read.
//!
//! ```text
//! Session ──select_licence──▶ LicenceAp ──counter──▶ LicenceCounted ──verify──▶ LicenceUnlocked ──read──▶ files
//!         ──select_kenhojo──▶ KenhojoAp ──counter──▶ KenhojoCounted ──verify──▶ KenhojoUnlocked ──read──▶ files
//!         ──select_kenkaku──▶ KenkakuAp ──counter──▶ KenkakuCounted ──verify──▶ KenkakuUnlocked ──read──▶ files
//! ```
//!
//! The retry counter is not a value a caller holds: it lives inside the state the session
//! moved into when it read it, so it can only be spent by that session, on that key, once.

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use menkyo_core::licence::PinSetting;
use menkyo_core::profile::LICENCE_DEFAULT_PIN;
use menkyo_core::{BirthDateKey, CollationNumberB, KenhojoFiles, KenkakuFiles, LicenceFiles};

use crate::apdu::{Command, SHORT_LE_MAX};
use crate::card_profile::*;
use crate::status_word::StatusWord;
use crate::transport::{Card, Stats, Transport, TransportError};

/// Why a read stopped. Each is one line a clerk understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Transport(#[from] TransportError),
    #[error("this card has no driving-licence data (not a マイナ免許証)")]
    NotALicenceCard,
    #[error("the card-surface application of this card did not answer")]
    NoKenhojo,
    #[error("the card-surface confirmation application (券面事項確認AP) of this card did not answer")]
    NoKenkaku,
    #[error("the birth date is before 明治 (1868-01-25): it cannot open the age record")]
    BirthDateOutsideEras,
    #[error(
        "the birth date given is not the one this card's card-surface data holds: the age record is not opened with it (a wrong one spends a try)"
    )]
    BirthDateContradictsCard,
    #[error("{what} wrong: {tries_left} tries left before the card locks")]
    WrongCredential { what: &'static str, tries_left: u8 },
    #[error("{what} is locked: the holder must have it reset ({where_})")]
    Blocked { what: &'static str, where_: &'static str },
    #[error("{what}: only one try left; refused without --allow-last-try (a wrong value would lock the card)")]
    LastTryRefused { what: &'static str },
    #[error("the PIN setting (WEF01) could not be read, so the default PIN is not tried")]
    PinSettingUnknown,
    #[error("the holder set a licence PIN: it is needed")]
    LicencePinNeeded,
    #[error("the holder set {what}: it is needed")]
    PinNeeded { what: &'static str },
    #[error("the PIN setting (MF/EF02) could not be read or holds an unknown value, so no PIN is tried")]
    IcPinSettingUnknown,
    #[error("this card is not an IC driving licence (DF1 did not answer)")]
    NotAnIcLicence,
    #[error("the card answered {sw} to {step}")]
    Unexpected { step: &'static str, sw: StatusWord },
}

/// The 4-digit licence PIN (暗証番号). Zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(Zeroizing<Vec<u8>>);

impl Pin {
    /// Exactly 4 ASCII digits.
    pub fn new(s: &str) -> Option<Self> {
        let b = s.trim().as_bytes();
        (b.len() == 4 && b.iter().all(u8::is_ascii_digit)).then(|| Pin(Zeroizing::new(b.to_vec())))
    }

    /// The ASCII digits, for the one VERIFY that sends them.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl core::fmt::Debug for Pin {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Pin(<redacted>)")
    }
}

/// How the input-assist AP is opened.
#[derive(Debug, Clone)]
pub enum KenhojoCredential {
    Pin(Pin),
    CollationB(CollationNumberB),
}

/// The retry counter of one key, read before a VERIFY with an empty VERIFY. Private to this
/// crate: it only exists inside a `…Counted` state of the session that read it (this module's
/// and `ic_session`'s), and [`verify_once`] consumes it.
#[derive(Debug)]
pub(crate) struct Counter {
    p2: u8,
    tries_left: u8,
    /// The card answered the empty VERIFY with `9000`: the key is verified already in this
    /// session and no counter was given. The VERIFY is then not sent at all: with the counter
    /// unknown, a try could be the last one.
    verified: bool,
}

impl Counter {
    /// Tries left before the key locks (`u8::MAX` when the key is verified already and the
    /// card did not say).
    pub(crate) fn tries_left(&self) -> u8 {
        self.tries_left
    }
}

/// May a try be spent that would lock the card if wrong?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastTry {
    Refuse,
    Allow,
}

/// A card session over a transport.
#[derive(Debug)]
pub struct Session<T> {
    card: Card<T>,
    /// Cleared once the reader refused an extended Le: later EFs go straight to chunks.
    extended_le: bool,
}

pub(crate) fn check(step: &'static str, sw: StatusWord) -> Result<(), ReadError> {
    if sw.is_ok() { Ok(()) } else { Err(ReadError::Unexpected { step, sw }) }
}

impl<T: Transport> Session<T> {
    pub fn new(transport: T) -> Self {
        Self { card: Card::new(transport), extended_le: true }
    }

    pub fn stats(&self) -> Stats {
        self.card.stats()
    }

    pub fn into_transport(self) -> T {
        self.card.into_transport()
    }

    /// SELECT the licence AP. A card without the licence answers 6A82.
    pub fn select_licence(mut self) -> Result<LicenceAp<T>, ReadError> {
        let r = self.card.send(&Command::select_ap(&LICENCE_AID))?;
        if r.sw == StatusWord::NOT_FOUND {
            return Err(ReadError::NotALicenceCard);
        }
        check("SELECT licence AP", r.sw)?;
        Ok(LicenceAp { session: self, pin_setting: None, wef01: None })
    }

    /// SELECT the card-surface input-assist AP.
    pub fn select_kenhojo(mut self) -> Result<KenhojoAp<T>, ReadError> {
        let r = self.card.send(&Command::select_ap(&KENHOJO_AID))?;
        if r.sw == StatusWord::NOT_FOUND {
            return Err(ReadError::NoKenhojo);
        }
        check("SELECT input-assist AP", r.sw)?;
        Ok(KenhojoAp { session: self })
    }

    /// SELECT the 券面事項確認AP (kenkaku). A card without it answers 6A82: the session comes
    /// back, to go on without the age record.
    pub fn select_kenkaku(mut self) -> Result<Kenkaku<T>, ReadError> {
        let r = self.card.send(&Command::select_ap(&KENKAKU_AID))?;
        if r.sw == StatusWord::NOT_FOUND {
            return Ok(Kenkaku::Absent(self));
        }
        check("SELECT kenkaku AP", r.sw)?;
        Ok(Kenkaku::Present(KenkakuAp { session: self }))
    }

    /// Asks the card to sign `challenge` (`80 2A`, DigestInfo of SHA-256) with the key of the
    /// selected AP.
    fn sign(&mut self, challenge: &[u8]) -> Result<Vec<u8>, ReadError> {
        let r = self.card.send(&Command::sign(&digest_info_sha256(challenge)))?;
        check("challenge signature (80 2A)", r.sw)?;
        Ok(r.data)
    }

    /// Reads a whole EF by SFI: one extended READ BINARY, or 256-byte chunks when the reader
    /// refuses extended lengths (6700).
    fn read_ef(&mut self, step: &'static str, sfi: u8, max: usize) -> Result<Vec<u8>, ReadError> {
        if self.extended_le {
            let r = self.card.send(&Command::read_binary_sfi(sfi, WHOLE_EF_LE))?;
            if r.sw.is_ok() {
                return Ok(r.data);
            }
            if r.sw != StatusWord::WRONG_LENGTH {
                return Err(ReadError::Unexpected { step, sw: r.sw });
            }
            self.extended_le = false;
        }
        // The SFI read selects the EF; continue at 15-bit offsets of the current EF.
        let first = self.card.send(&Command::read_binary_sfi(sfi, SHORT_LE_MAX))?;
        check(step, first.sw)?;
        let mut data = first.data;
        while data.len() % CHUNK == 0 && !data.is_empty() && data.len() < max {
            let offset = u16::try_from(data.len())
                .map_err(|_| ReadError::Unexpected { step, sw: StatusWord::OFFSET_OUT_OF_RANGE })?;
            let r = self.card.send(&Command::read_binary(offset, CHUNK))?;
            match r.sw {
                StatusWord::OFFSET_OUT_OF_RANGE | StatusWord::END_OF_FILE if r.data.is_empty() => break,
                sw if sw.is_ok() || sw == StatusWord::END_OF_FILE => {
                    if r.data.is_empty() {
                        break;
                    }
                    data.extend_from_slice(&r.data);
                }
                sw => return Err(ReadError::Unexpected { step, sw }),
            }
        }
        Ok(data)
    }

    /// Reads a retry counter with an empty VERIFY (spends no try).
    fn counter(&mut self, p2: u8, what: &'static str, where_: &'static str) -> Result<Counter, ReadError> {
        read_counter(&mut self.card, p2, what, where_)
    }

    /// One VERIFY, never repeated.
    fn verify(
        &mut self,
        counter: Counter,
        value: &[u8],
        last: LastTry,
        what: &'static str,
        where_: &'static str,
    ) -> Result<(), ReadError> {
        verify_once(&mut self.card, counter, value, last, what, where_)
    }
}

/// Reads a retry counter with an empty VERIFY (spends no try). The PIN policy of every card
/// kind's session (this module's and `ic_session`'s) is this function and [`verify_once`].
pub(crate) fn read_counter<T: Transport>(
    card: &mut Card<T>,
    p2: u8,
    what: &'static str,
    where_: &'static str,
) -> Result<Counter, ReadError> {
    let r = card.send(&Command::verify_counter(p2))?;
    match (r.sw, r.sw.tries_left()) {
        (StatusWord::BLOCKED, _) | (_, Some(0)) => Err(ReadError::Blocked { what, where_ }),
        (_, Some(tries_left)) => Ok(Counter { p2, tries_left, verified: false }),
        // 9000: the key is verified already (ISO/IEC 7816-4 §11.5.6); no counter is known.
        (StatusWord::OK, None) => Ok(Counter { p2, tries_left: u8::MAX, verified: true }),
        (sw, None) => Err(ReadError::Unexpected { step: "VERIFY (retry counter)", sw }),
    }
}

/// One VERIFY with the counter just read, which it consumes: never repeated, refused with one
/// try left unless `last` allows it, and not sent when the card said the key is verified
/// already (the counter is then unknown: a try could lock the card).
pub(crate) fn verify_once<T: Transport>(
    card: &mut Card<T>,
    counter: Counter,
    value: &[u8],
    last: LastTry,
    what: &'static str,
    where_: &'static str,
) -> Result<(), ReadError> {
    if counter.verified {
        return Ok(());
    }
    if counter.tries_left == 1 && last == LastTry::Refuse {
        return Err(ReadError::LastTryRefused { what });
    }
    let r = card.send(&Command::verify(counter.p2, value))?;
    match (r.sw, r.sw.tries_left()) {
        (StatusWord::OK, _) => Ok(()),
        (StatusWord::BLOCKED, _) | (_, Some(0)) => Err(ReadError::Blocked { what, where_ }),
        (_, Some(tries_left)) => Err(ReadError::WrongCredential { what, tries_left }),
        (sw, None) => Err(ReadError::Unexpected { step: "VERIFY", sw }),
    }
}

const LICENCE_PIN: &str = "licence PIN (免許の暗証番号)";
const LICENCE_RESET: &str = "police or licence centre";

/// The licence AP, selected.
#[derive(Debug)]
pub struct LicenceAp<T> {
    session: Session<T>,
    pin_setting: Option<PinSetting>,
    wef01: Option<Vec<u8>>,
}

impl<T: Transport> LicenceAp<T> {
    /// Reads WEF01 (free): whether a PIN is set.
    pub fn pin_setting(&mut self) -> Result<PinSetting, ReadError> {
        let raw = self.session.read_ef("READ WEF01", WEF01.1, menkyo_core::profile::WEF01_MAX)?;
        let p = PinSetting::decode(&raw).map_err(|_| ReadError::PinSettingUnknown)?;
        self.pin_setting = Some(p);
        self.wef01 = Some(raw);
        Ok(p)
    }

    /// Reads the licence PIN's retry counter (spends no try).
    pub fn counter(mut self) -> Result<LicenceCounted<T>, ReadError> {
        let counter = self.session.counter(LICENCE_PIN_P2, LICENCE_PIN, LICENCE_RESET)?;
        Ok(LicenceCounted { ap: self, counter })
    }
}

/// The licence AP with the PIN's retry counter just read: one VERIFY may follow.
///
/// The counter cannot be spent by another session: there is no counter value to hand over,
/// only this state. Using one card's counter for another card's VERIFY does not compile:
///
/// ```compile_fail
/// use menkyo_reader::Transport;
/// use menkyo_reader::session::{LastTry, ReadError, Session};
/// fn spend_elsewhere<T: Transport>(a: T, b: T) -> Result<(), ReadError> {
///     let counted = Session::new(a).select_licence()?.counter()?;
///     let other = Session::new(b).select_licence()?;
///     other.verify(counted, None, LastTry::Refuse)?;
///     Ok(())
/// }
/// ```
///
/// while spending it on the session that read it does:
///
/// ```
/// use menkyo_reader::Transport;
/// use menkyo_reader::session::{LastTry, ReadError, Session};
/// fn spend_here<T: Transport>(a: T, b: T) -> Result<(), ReadError> {
///     let counted = Session::new(a).select_licence()?.counter()?;
///     let _other = Session::new(b).select_licence()?;
///     counted.verify(None, LastTry::Refuse)?;
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct LicenceCounted<T> {
    ap: LicenceAp<T>,
    counter: Counter,
}

impl<T: Transport> LicenceCounted<T> {
    /// Tries left before the PIN locks (`u8::MAX` when the card did not say).
    pub fn tries_left(&self) -> u8 {
        self.counter.tries_left
    }

    /// What WEF01 said, if it was read.
    pub fn pin_setting(&self) -> Option<PinSetting> {
        self.ap.pin_setting
    }

    /// VERIFY with the holder's PIN, or with DPIN when WEF01 said no PIN is set (and only then).
    pub fn verify(self, pin: Option<&Pin>, last: LastTry) -> Result<LicenceUnlocked<T>, ReadError> {
        let LicenceCounted { mut ap, counter } = self;
        let value: Zeroizing<Vec<u8>> = match (pin, ap.pin_setting) {
            (Some(p), _) => p.0.clone(),
            (None, Some(PinSetting::NotSet)) => Zeroizing::new(LICENCE_DEFAULT_PIN.to_vec()),
            (None, None) => return Err(ReadError::PinSettingUnknown),
            (None, Some(_)) => return Err(ReadError::LicencePinNeeded),
        };
        ap.session.verify(counter, &value, last, LICENCE_PIN, LICENCE_RESET)?;
        Ok(LicenceUnlocked { session: ap.session, wef01: ap.wef01 })
    }
}

/// The licence AP after a successful VERIFY.
#[derive(Debug)]
pub struct LicenceUnlocked<T> {
    session: Session<T>,
    wef01: Option<Vec<u8>>,
}

impl<T: Transport> LicenceUnlocked<T> {
    /// Reads WEF02 and WEF03 (and WEF01 unless already read) and returns the session for
    /// the next AP.
    pub fn read(mut self) -> Result<(LicenceFiles, Session<T>), ReadError> {
        let s = &mut self.session;
        let wef01 = match self.wef01.take() {
            Some(w) => w,
            None => s.read_ef("READ WEF01", WEF01.1, menkyo_core::profile::WEF01_MAX)?,
        };
        let wef02 = s.read_ef("READ WEF02", WEF02.1, menkyo_core::profile::WEF02_MAX)?;
        let wef03 = s.read_ef("READ WEF03", WEF03.1, menkyo_core::profile::WEF03_MAX)?;
        Ok((LicenceFiles { wef01: Some(wef01), wef02, wef03 }, self.session))
    }
}

const KENHOJO_RESET: &str = "city office";

/// The input-assist AP, selected.
#[derive(Debug)]
pub struct KenhojoAp<T> {
    session: Session<T>,
}

fn kenhojo_names(c: &KenhojoCredential) -> (u8, &'static str) {
    match c {
        KenhojoCredential::Pin(_) => (KENHOJO_PIN_P2, "card-surface PIN (券面事項入力補助用暗証番号)"),
        KenhojoCredential::CollationB(_) => (COLLATION_B_P2, "collation number B (照合番号B)"),
    }
}

impl<T: Transport> KenhojoAp<T> {
    /// Reads the retry counter of the key `credential` opens (spends no try); the VERIFY that
    /// may follow uses that credential and no other.
    pub fn counter(mut self, credential: KenhojoCredential) -> Result<KenhojoCounted<T>, ReadError> {
        let (p2, what) = kenhojo_names(&credential);
        let counter = self.session.counter(p2, what, KENHOJO_RESET)?;
        Ok(KenhojoCounted { session: self.session, credential, counter })
    }
}

/// The input-assist AP with one key's retry counter just read: one VERIFY may follow.
#[derive(Debug)]
pub struct KenhojoCounted<T> {
    session: Session<T>,
    credential: KenhojoCredential,
    counter: Counter,
}

impl<T: Transport> KenhojoCounted<T> {
    /// Tries left before the key locks (`u8::MAX` when the card did not say).
    pub fn tries_left(&self) -> u8 {
        self.counter.tries_left
    }

    pub fn verify(self, last: LastTry) -> Result<KenhojoUnlocked<T>, ReadError> {
        let KenhojoCounted { mut session, credential, counter } = self;
        let (_, what) = kenhojo_names(&credential);
        let value: &[u8] = match &credential {
            KenhojoCredential::Pin(p) => &p.0,
            KenhojoCredential::CollationB(c) => c.as_bytes(),
        };
        session.verify(counter, value, last, what, KENHOJO_RESET)?;
        Ok(KenhojoUnlocked { session })
    }
}

/// The input-assist AP after a successful VERIFY.
#[derive(Debug)]
pub struct KenhojoUnlocked<T> {
    session: Session<T>,
}

impl<T: Transport> KenhojoUnlocked<T> {
    /// Reads EF 0002, 0003, 0004 and 0007 (never 0001) and, with a challenge, asks the card
    /// to sign it.
    pub fn read(mut self, challenge: Option<&[u8]>) -> Result<KenhojoRead<T>, ReadError> {
        use menkyo_core::profile::{EF0002_MAX, EF0003_MAX, EF0004_MAX, EF0007_MAX};
        let s = &mut self.session;
        let ef0002 = s.read_ef("READ EF 0002", EF0002.1, EF0002_MAX)?;
        let ef0003 = s.read_ef("READ EF 0003", EF0003.1, EF0003_MAX)?;
        let ef0004 = s.read_ef("READ EF 0004", EF0004.1, EF0004_MAX)?;
        let ef0007 = s.read_ef("READ EF 0007", EF0007.1, EF0007_MAX)?;
        let signature = challenge.map(|ch| s.sign(ch)).transpose()?;
        let files = KenhojoFiles { ef0002, ef0003, ef0004, ef0007: Some(ef0007) };
        Ok(KenhojoRead { files, challenge_signature: signature, session: self.session })
    }
}

/// What [`KenhojoUnlocked::read`] returns.
#[derive(Debug)]
pub struct KenhojoRead<T> {
    pub files: KenhojoFiles,
    pub challenge_signature: Option<Vec<u8>>,
    pub session: Session<T>,
}

const BIRTH_KEY: &str = "birth date (生年月日: the age record's key)";
const KENKAKU_RESET: &str = "city office";

/// The answer to SELECT of the kenkaku AP.
#[derive(Debug)]
pub enum Kenkaku<T> {
    Present(KenkakuAp<T>),
    /// 6A82: this card has no kenkaku AP.
    Absent(Session<T>),
}

/// The kenkaku AP, selected.
#[derive(Debug)]
pub struct KenkakuAp<T> {
    session: Session<T>,
}

impl<T: Transport> KenkakuAp<T> {
    /// SELECTs the birth-date key EF 0011 and reads its retry counter (spends no try); the
    /// VERIFY that may follow sends `birth` and nothing else.
    pub fn counter(mut self, birth: BirthDateKey) -> Result<KenkakuCounted<T>, ReadError> {
        let r = self.session.card.send(&Command::select_ef(KENKAKU_BIRTH_KEY.0))?;
        check("SELECT EF 0011 (birth-date key)", r.sw)?;
        let counter = self.session.counter(CURRENT_KEY_P2, BIRTH_KEY, KENKAKU_RESET)?;
        Ok(KenkakuCounted { session: self.session, birth, counter })
    }
}

/// The kenkaku AP with the birth-date key's retry counter just read: one VERIFY may follow.
#[derive(Debug)]
pub struct KenkakuCounted<T> {
    session: Session<T>,
    birth: BirthDateKey,
    counter: Counter,
}

impl<T: Transport> KenkakuCounted<T> {
    /// Tries left before the key locks (`u8::MAX` when the card did not say).
    pub fn tries_left(&self) -> u8 {
        self.counter.tries_left
    }

    pub fn verify(self, last: LastTry) -> Result<KenkakuUnlocked<T>, ReadError> {
        let KenkakuCounted { mut session, birth, counter } = self;
        session.verify(counter, birth.as_bytes(), last, BIRTH_KEY, KENKAKU_RESET)?;
        Ok(KenkakuUnlocked { session })
    }
}

/// The kenkaku AP after a successful VERIFY.
#[derive(Debug)]
pub struct KenkakuUnlocked<T> {
    session: Session<T>,
}

/// What [`KenkakuUnlocked::read`] returns.
#[derive(Debug)]
pub struct KenkakuRead<T> {
    pub files: KenkakuFiles,
    pub challenge_signature: Option<Vec<u8>>,
    pub session: Session<T>,
}

impl<T: Transport> KenkakuUnlocked<T> {
    /// Reads EF 0001 (the age record) and EF 0004 by SFI (never EF 0002 or 0005) and, with a
    /// challenge, asks the card to sign it with the key of the age record.
    pub fn read(mut self, challenge: Option<&[u8]>) -> Result<KenkakuRead<T>, ReadError> {
        use menkyo_core::profile::{KENKAKU_EF0001_MAX, KENKAKU_EF0004_MAX};
        let s = &mut self.session;
        let ef0001 = s.read_ef("READ kenkaku EF 0001", KENKAKU_EF0001.1, KENKAKU_EF0001_MAX)?;
        let ef0004 = s.read_ef("READ kenkaku EF 0004", KENKAKU_EF0004.1, KENKAKU_EF0004_MAX)?;
        let signature = challenge.map(|ch| s.sign(ch)).transpose()?;
        Ok(KenkakuRead {
            files: KenkakuFiles { ef0001, ef0004 },
            challenge_signature: signature,
            session: self.session,
        })
    }
}

/// DigestInfo of SHA-256(message) (RFC 8017 §9.2).
pub fn digest_info_sha256(message: &[u8]) -> Vec<u8> {
    const PREFIX: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
        0x20,
    ];
    let mut out = PREFIX.to_vec();
    out.extend_from_slice(&Sha256::digest(message));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{Transport, TransportError};

    /// A card whose PIN is at `tries` and that answers the empty VERIFY with `empty` and a
    /// VERIFY with a PIN with `with_pin` (spending a try unless it is 9000); it logs every VERIFY.
    struct PinCard {
        tries: u8,
        empty: [u8; 2],
        with_pin: [u8; 2],
        verifies: usize,
    }

    impl Transport for PinCard {
        fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
            match command {
                [0x00, 0x20, 0x00, _] => Ok(self.empty.to_vec()),
                [0x00, 0x20, 0x00, _, ..] => {
                    self.verifies += 1;
                    if self.with_pin != [0x90, 0x00] {
                        self.tries = self.tries.saturating_sub(1);
                    }
                    Ok(self.with_pin.to_vec())
                }
                _ => Ok(vec![0x6D, 0x00]),
            }
        }
    }

    fn card(tries: u8, empty: [u8; 2], with_pin: [u8; 2]) -> Card<PinCard> {
        Card::new(PinCard { tries, empty, with_pin, verifies: 0 })
    }

    /// Found by attack review: a `6Cxx` to a VERIFY made `Card::send` send it again, a second
    /// try spent with nobody asking; with the counter at 2 that locked the card.
    #[test]
    fn a_verify_answered_6cxx_is_not_sent_again() {
        let mut c = card(2, [0x63, 0xC2], [0x6C, 0x00]);
        let counter = read_counter(&mut c, 0x81, "PIN", "city hall").unwrap();
        assert_eq!(counter.tries_left(), 2);
        let err = verify_once(&mut c, counter, b"9999", LastTry::Refuse, "PIN", "city hall").unwrap_err();
        assert_eq!(err, ReadError::Unexpected { step: "VERIFY", sw: StatusWord(0x6C00) });
        let t = c.into_transport();
        assert_eq!((t.verifies, t.tries), (1, 1));
    }

    /// Found by attack review: an empty VERIFY answered `9000` was taken as a full counter and
    /// the VERIFY went ahead under `LastTry::Refuse`; on a card at its last try a wrong PIN
    /// locked it. `9000` says the key is verified already: nothing is sent.
    #[test]
    fn an_already_verified_key_is_not_verified_again() {
        let mut c = card(1, [0x90, 0x00], [0x63, 0xC0]);
        let counter = read_counter(&mut c, 0x81, "PIN", "city hall").unwrap();
        assert_eq!(verify_once(&mut c, counter, b"9999", LastTry::Refuse, "PIN", "city hall"), Ok(()));
        let t = c.into_transport();
        assert_eq!((t.verifies, t.tries), (0, 1));
    }

    #[test]
    fn the_last_try_is_refused_and_a_known_counter_is_used_once() {
        let mut c = card(1, [0x63, 0xC1], [0x63, 0xC0]);
        let counter = read_counter(&mut c, 0x81, "PIN", "city hall").unwrap();
        let err = verify_once(&mut c, counter, b"9999", LastTry::Refuse, "PIN", "city hall").unwrap_err();
        assert_eq!(err, ReadError::LastTryRefused { what: "PIN" });
        let mut c = card(3, [0x63, 0xC3], [0x63, 0xC2]);
        let counter = read_counter(&mut c, 0x81, "PIN", "city hall").unwrap();
        let err = verify_once(&mut c, counter, b"9999", LastTry::Refuse, "PIN", "city hall").unwrap_err();
        assert_eq!(err, ReadError::WrongCredential { what: "PIN", tries_left: 2 });
        assert_eq!(c.into_transport().verifies, 1);
    }
}
