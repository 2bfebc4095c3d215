//! The challenge ledger: which freshness challenges this verifier issued. A verifier that
//! keeps one (the service) makes an answered challenge count only when it was issued there,
//! has not expired and was never used before; using it consumes it.

use crate::time::UnixTime;

/// What the ledger says of a presented challenge. It is consumed either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeStatus {
    /// Issued here, unexpired, never used before: now used.
    Fresh,
    /// Not issued here, expired, or used before.
    Refused,
}

/// The ledger could not be consulted (a database error). Never card data in the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("challenge ledger: {0}")]
pub struct LedgerError(pub String);

/// Implemented by the store of a verifier that issues challenges.
pub trait ChallengeLedger {
    /// Consumes `challenge` at `at` and says whether it was fresh.
    fn consume(&self, challenge: &[u8], at: UnixTime) -> Result<ChallengeStatus, LedgerError>;
}

/// A ledger of one challenge, for a verifier that reads the card itself: `menkyo read`
/// issues a random challenge, the card answers it in the same session, and this ledger
/// accepts that challenge once.
#[derive(Debug)]
pub struct OneChallenge {
    challenge: Vec<u8>,
    used: std::sync::atomic::AtomicBool,
}

impl OneChallenge {
    pub fn new(challenge: Vec<u8>) -> Self {
        Self { challenge, used: std::sync::atomic::AtomicBool::new(false) }
    }

    pub fn challenge(&self) -> &[u8] {
        &self.challenge
    }
}

impl ChallengeLedger for OneChallenge {
    fn consume(&self, challenge: &[u8], _at: UnixTime) -> Result<ChallengeStatus, LedgerError> {
        let first = !self.used.swap(true, std::sync::atomic::Ordering::SeqCst);
        Ok(if first && challenge == self.challenge.as_slice() {
            ChallengeStatus::Fresh
        } else {
            ChallengeStatus::Refused
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_challenge_is_fresh_once() {
        let l = OneChallenge::new(vec![1, 2, 3]);
        let t = UnixTime::from_secs(0);
        assert_eq!(l.consume(&[9], t), Ok(ChallengeStatus::Refused));
        // A wrong challenge used the ledger up: the right one after it is refused too.
        assert_eq!(l.consume(&[1, 2, 3], t), Ok(ChallengeStatus::Refused));
        let l = OneChallenge::new(vec![1, 2, 3]);
        assert_eq!(l.consume(&[1, 2, 3], t), Ok(ChallengeStatus::Fresh));
        assert_eq!(l.consume(&[1, 2, 3], t), Ok(ChallengeStatus::Refused));
    }
}
