//! A whole card read: the licence AP, the input-assist AP and the kenkaku age record, into a
//! submission; or the age record alone, for a remote age check.

use menkyo_core::kenhojo::Ef0002;
use menkyo_core::{BirthDateKey, Date, Freshness, KenkakuFiles, Submission, UnixTime};

use crate::session::{KenhojoCredential, Kenkaku, LastTry, Pin, ReadError, Session};
use crate::transport::{Stats, Transport};

/// What the reader needs from the clerk.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The licence PIN given in advance (scripts), used only when the card's WEF01 says one is
    /// set. [`read_card_asking`] asks for it instead, after the card said so.
    pub licence_pin: Option<Pin>,
    /// `None`: the input-assist AP is not read (no name, address, birth date).
    pub kenhojo: Option<KenhojoCredential>,
    /// The birth date, when known (the collation inputs, or given for it): opens the kenkaku
    /// age record. `None`: the age record is not read.
    pub birth_date: Option<Date>,
    pub last_try: LastTry,
    /// A verifier's nonce for the cards' keys to sign (freshness).
    pub challenge: Option<Vec<u8>>,
}

/// A PIN the card needs, asked for only after the card said it is set and its retry counter
/// was read (`tries_left`), right before the one VERIFY that uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinRequest {
    /// The licence AP's PIN (免許の暗証番号).
    Licence { tries_left: u8 },
}

/// Progress steps, for a display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Licence,
    LicenceVerified,
    LicenceRead,
    Kenhojo,
    KenhojoRead,
    Kenkaku,
    KenkakuRead,
    /// The card has no kenkaku AP (6A82): read without the age record.
    KenkakuMissing,
}

/// The kenkaku age record and its card's answer; `None` (and the session) when the card has
/// no kenkaku AP.
type AgeRecordRead<T> = (Option<(KenkakuFiles, Option<Vec<u8>>)>, Session<T>);

fn age_record<T: Transport>(
    session: Session<T>,
    birth: Date,
    last: LastTry,
    challenge: Option<&[u8]>,
) -> Result<AgeRecordRead<T>, ReadError> {
    let key = BirthDateKey::new(birth).map_err(|_| ReadError::BirthDateOutsideEras)?;
    match session.select_kenkaku()? {
        Kenkaku::Absent(session) => Ok((None, session)),
        Kenkaku::Present(ap) => {
            let read = ap.counter(key)?.verify(last)?.read(challenge)?;
            Ok((Some((read.files, read.challenge_signature)), read.session))
        }
    }
}

/// Reads the card behind `transport` with the credentials of `opts` and returns the
/// submission, the traffic and the transport.
pub fn read_card<T: Transport>(
    transport: T,
    opts: &ReadOptions,
    captured_at: UnixTime,
    progress: &mut dyn FnMut(Step),
) -> Result<(Submission, Stats, T), ReadError> {
    read_card_asking(transport, opts, &mut |_| opts.licence_pin.clone(), captured_at, progress)
}

/// [`read_card`], asking for the licence PIN only when the card's WEF01 says the holder set
/// one, after its retry counter was read; a card without a PIN is opened with DPIN and no
/// question.
pub fn read_card_asking<T: Transport>(
    transport: T,
    opts: &ReadOptions,
    ask: &mut dyn FnMut(PinRequest) -> Option<Pin>,
    captured_at: UnixTime,
    progress: &mut dyn FnMut(Step),
) -> Result<(Submission, Stats, T), ReadError> {
    progress(Step::Licence);
    let mut licence = Session::new(transport).select_licence()?;
    // WEF01 first: without it the default PIN is never tried.
    let setting = licence.pin_setting()?;
    let counted = licence.counter()?;
    let pin = match setting {
        menkyo_core::licence::PinSetting::NotSet => None,
        _ => Some(ask(PinRequest::Licence { tries_left: counted.tries_left() }).ok_or(ReadError::LicencePinNeeded)?),
    };
    let unlocked = counted.verify(pin.as_ref(), opts.last_try)?;
    progress(Step::LicenceVerified);
    let (licence_files, session) = unlocked.read()?;
    progress(Step::LicenceRead);
    let (kenhojo, kenhojo_answer, session) = match &opts.kenhojo {
        None => (None, None, session),
        Some(credential) => {
            progress(Step::Kenhojo);
            let unlocked = session.select_kenhojo()?.counter(credential.clone())?.verify(opts.last_try)?;
            let read = unlocked.read(opts.challenge.as_deref())?;
            progress(Step::KenhojoRead);
            (Some(read.files), read.challenge_signature, read.session)
        }
    };
    let (kenkaku, session) = match opts.birth_date {
        None => (None, session),
        Some(birth) => {
            // The card-surface data just read name the birth date: one that differs would
            // only spend a try of the age record's key.
            let on_card = kenhojo.as_ref().and_then(|k| Ef0002::decode(&k.ef0002).ok()).map(|e| e.info.birth_date);
            if on_card.is_some_and(|d| d != birth) {
                return Err(ReadError::BirthDateContradictsCard);
            }
            progress(Step::Kenkaku);
            let (read, session) = age_record(session, birth, opts.last_try, opts.challenge.as_deref())?;
            progress(if read.is_some() { Step::KenkakuRead } else { Step::KenkakuMissing });
            (read, session)
        }
    };
    let (kenkaku_files, kenkaku_answer) = kenkaku.map_or((None, None), |(f, a)| (Some(f), a));
    let freshness =
        opts.challenge.as_ref().filter(|_| kenhojo_answer.is_some() || kenkaku_answer.is_some()).map(|challenge| {
            Freshness { challenge: challenge.clone(), signature: kenhojo_answer, kenkaku_signature: kenkaku_answer }
        });
    let stats = session.stats();
    let submission = Submission::new(Some(jst_rfc3339(captured_at)), Some(licence_files), kenhojo, freshness)
        .with_kenkaku(kenkaku_files);
    Ok((submission, stats, session.into_transport()))
}

/// Reads only the kenkaku age record with `birth` and has its card key sign `challenge`: what a
/// remote age check sends (no licence, no card-surface data, no 個人番号).
pub fn read_age_record<T: Transport>(
    transport: T,
    birth: Date,
    challenge: &[u8],
    last: LastTry,
    captured_at: UnixTime,
) -> Result<(Submission, Stats, T), ReadError> {
    let (kenkaku, session) = age_record(Session::new(transport), birth, last, Some(challenge))?;
    let (files, answer) = kenkaku.ok_or(ReadError::NoKenkaku)?;
    let freshness = Freshness { challenge: challenge.to_vec(), signature: None, kenkaku_signature: answer };
    let stats = session.stats();
    let submission =
        Submission::new(Some(jst_rfc3339(captured_at)), None, None, Some(freshness)).with_kenkaku(Some(files));
    Ok((submission, stats, session.into_transport()))
}

/// `YYYY-MM-DDTHH:MM:SS+09:00`: capture times are shown in Japan time.
fn jst_rfc3339(t: UnixTime) -> String {
    let shifted = UnixTime::from_secs(t.secs().saturating_add(9 * 3600)).to_rfc3339();
    format!("{}+09:00", shifted.trim_end_matches('Z'))
}
