#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
// Card bytes are hostile until parsed: no indexing outside tests.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod ascii;
mod ber;
mod collation;
mod crypto;
mod cursor;
mod date;
mod era;
mod error;
mod jis;
pub mod kenhojo;
pub mod licence;
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
pub use collation::{
    BIRTH_DATE_KEY_LEN, BirthDateKey, COLLATION_B_LEN, CollationError, CollationNumberB, SECURITY_CODE_LEN,
};
pub use date::Date;
pub use era::{DateError, Era, WarekiDate};
pub use error::{DecodeError, DecodeErrorKind, Tag};
pub use jis::{JisChar, JisText, PLACEHOLDER};
pub use report::{
    CategoryView, Check, FirstLicensedView, HolderView, LicenceView, PhotoView, REPORT_FORMAT, Report, Status, Verdict,
};
pub use submission::{Freshness, KenhojoFiles, LicenceFiles, SUBMISSION_FORMAT, Submission, SubmissionError};
pub use time::UnixTime;
pub use tlv::{EncodeError, RawItem};
pub use trust_store::{CACHE_ENTRIES_MAX, LICENCE_CERTS_MAX, TRUST_FILE_MAX, TrustStore, TrustStoreError};
pub use verify::{Verification, VerifiedLicence, verify};
pub use x509::{CertificateError, ChainError, MAX_CHAIN_LEN, MAX_SIGNATURE_CHECKS};
