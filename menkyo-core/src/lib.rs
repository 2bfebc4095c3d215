#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
// Card bytes are hostile until parsed: no indexing outside tests.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod ascii;
mod ber;
mod check;
mod collation;
mod crypto;
mod cursor;
mod date;
mod era;
mod error;
pub mod hex;
pub mod ic_licence;
mod jis;
pub mod json;
pub mod kenhojo;
pub mod kenkaku;
#[cfg(feature = "recover-key")]
pub mod key_recovery;
mod ledger;
pub mod licence;
mod limit;
#[cfg(feature = "portrait")]
pub mod portrait;
pub mod profile;
mod report;
mod submission;
mod time;
mod tlv;
mod trust_store;
mod verify;
mod x509;

pub use ascii::AsciiText;
pub use check::{Check, CheckId, CheckWords, Status};
pub use collation::{
    BIRTH_DATE_KEY_LEN, BirthDateKey, COLLATION_B_LEN, CollationError, CollationNumberB, SECURITY_CODE_LEN,
};
pub use date::Date;
pub use era::{DateError, Era, WarekiDate};
pub use error::{DecodeError, DecodeErrorKind, Tag};
pub use jis::{JisChar, JisText, PLACEHOLDER};
pub use ledger::{ChallengeLedger, ChallengeStatus, LedgerError, OneChallenge};
pub use limit::{DRIVING_HISTORY_WARNING, Limit, LimitWords, Source};
pub use report::{
    CategoryView, ChangeView, FirstLicensedView, HolderView, KenkakuView, LicenceView, PhotoView, REPORT_FORMAT,
    Report, Verdict,
};
pub use submission::{
    Freshness, IcLicenceFiles, KenhojoFiles, KenkakuFiles, LicenceFiles, SUBMISSION_FORMAT, Submission, SubmissionError,
};
pub use time::UnixTime;
pub use tlv::{EncodeError, RawItem};
pub use trust_store::{
    CACHE_ENTRIES_MAX, LICENCE_CERTS_MAX, TEST_ONLY_MARKER, TRUST_FILE_MAX, TrustStore, TrustStoreError,
};
pub use verify::{AgeAnswer, AgeBasis, Context, Verification, VerifiedLicence, verify};
pub use x509::{CertificateError, ChainError, MAX_CHAIN_LEN, MAX_SIGNATURE_CHECKS};
