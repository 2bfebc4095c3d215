//! A whole card read: the licence AP, then the input-assist AP, into a submission.

use menkyo_core::{Freshness, Submission, UnixTime};

use crate::session::{KenhojoCredential, LastTry, Pin, ReadError, Session};
use crate::transport::{Stats, Transport};

/// What the reader needs from the clerk.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// `None`: only possible when the holder set no PIN (the card's WEF01 says so).
    pub licence_pin: Option<Pin>,
    /// `None`: the input-assist AP is not read (no name, address, birth date).
    pub kenhojo: Option<KenhojoCredential>,
    pub last_try: LastTry,
    /// A verifier's nonce for the card to sign (freshness).
    pub challenge: Option<Vec<u8>>,
}

/// Progress steps, for a terminal display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Licence,
    LicenceVerified,
    LicenceRead,
    Kenhojo,
    KenhojoRead,
}

/// Reads the card behind `transport` and returns the submission, the traffic and the transport.
pub fn read_card<T: Transport>(
    transport: T,
    opts: &ReadOptions,
    captured_at: UnixTime,
    progress: &mut dyn FnMut(Step),
) -> Result<(Submission, Stats, T), ReadError> {
    progress(Step::Licence);
    let mut licence = Session::new(transport).select_licence()?;
    // WEF01 first: without it the default PIN is never tried.
    licence.pin_setting()?;
    let unlocked = licence.counter()?.verify(opts.licence_pin.as_ref(), opts.last_try)?;
    progress(Step::LicenceVerified);
    let (licence_files, session) = unlocked.read()?;
    progress(Step::LicenceRead);
    let (kenhojo, freshness, session) = match &opts.kenhojo {
        None => (None, None, session),
        Some(credential) => {
            progress(Step::Kenhojo);
            let unlocked = session.select_kenhojo()?.counter(credential.clone())?.verify(opts.last_try)?;
            let read = unlocked.read(opts.challenge.as_deref())?;
            progress(Step::KenhojoRead);
            let freshness = match (&opts.challenge, read.challenge_signature) {
                (Some(challenge), Some(signature)) => Some(Freshness {
                    challenge: challenge.clone(),
                    signature: Some(signature),
                    kenkaku_signature: None,
                }),
                _ => None,
            };
            (Some(read.files), freshness, read.session)
        }
    };
    let stats = session.stats();
    let submission = Submission::new(Some(jst_rfc3339(captured_at)), Some(licence_files), kenhojo, freshness);
    Ok((submission, stats, session.into_transport()))
}

/// `YYYY-MM-DDTHH:MM:SS+09:00`: capture times are shown in Japan time.
fn jst_rfc3339(t: UnixTime) -> String {
    let shifted = UnixTime::from_secs(t.secs().saturating_add(9 * 3600)).to_rfc3339();
    format!("{}+09:00", shifted.trim_end_matches('Z'))
}
