//! Every size limit and every profile choice ([P] in `card-formats.md`) in one place.
//!
//! The card specifications are not public. Where nothing public decides a question,
//! the answer below is ours; change it here and nowhere else.

/// Largest WEF01 (PIN setting) in bytes: card-formats.md §2.1.
pub const WEF01_MAX: usize = 3;
/// Largest WEF02 (licence information) in bytes: card-formats.md §2.1.
pub const WEF02_MAX: usize = 5845;
/// Largest WEF03 (signature) in bytes: card-formats.md §2.1.
pub const WEF03_MAX: usize = 584;
/// Largest portrait (tag 0107, JPEG 2000) in bytes: card-formats.md §2.3.
pub const PHOTO_MAX: usize = 2000;

/// Largest EF 0002 (basic four) we accept. [P] The physical size is not public;
/// a 4 KiB bound leaves room for the longest addresses with UTF-8 full-width digits.
pub const EF0002_MAX: usize = 4096;
/// Physical size of EF 0002 written by our encoder and simulator. [P]
pub const EF0002_PHYSICAL_SIZE: usize = 1024;
/// Physical size of EF 0001 (個人番号): card-formats.md §3.2.
pub const EF0001_PHYSICAL_SIZE: usize = 17;
/// Physical size of EF 0003 (integrity record): card-formats.md §3.2.
pub const EF0003_PHYSICAL_SIZE: usize = 336;
/// Largest EF 0003 we accept. [P] Room for filler after the 336 bytes of the record.
pub const EF0003_MAX: usize = 512;
/// Physical size of EF 0004 (CV certificate): card-formats.md §3.2.
pub const EF0004_PHYSICAL_SIZE: usize = 568;
/// Largest EF 0004 we accept. [P]
pub const EF0004_MAX: usize = 1024;
/// Physical size of EF 0005 (AP information) written by our encoder. [P]
pub const EF0005_PHYSICAL_SIZE: usize = 32;
/// Largest EF 0005 we accept. [P]
pub const EF0005_MAX: usize = 256;
/// Physical size of EF 0007 (certified card key) written by our encoder. [P]: the
/// record itself is 536 bytes for an RSA-2048 key with exponent 65537.
pub const EF0007_PHYSICAL_SIZE: usize = 536;
/// Largest EF 0007 we accept. [P]
pub const EF0007_MAX: usize = 1024;

/// Filler byte our encoders write after a kenhojo record. [P] Cards use `FF`, sometimes `00`.
pub const KENHOJO_FILLER: u8 = 0xFF;

/// Length of a CV certificate body (5F4E): card-formats.md §3.2.
pub const CV_BODY_LEN: usize = 297;
/// Length of an RSA-2048 modulus and signature in bytes.
pub const RSA2048_BYTES: usize = 256;
/// Largest RSA public exponent we accept, in bytes. [P] Cards use 65537 (3 bytes).
pub const RSA_EXPONENT_MAX: usize = 4;
/// Length of a SHA-256 digest.
pub const SHA256_LEN: usize = 32;

/// Longest BER tag in a kenhojo record, in bytes. [P] The records use two-byte tags only.
pub const BER_TAG_MAX_BYTES: usize = 3;

/// Licence AP length encoding: values of at least this length are written in the
/// `82 hh ll` form, as cards do (130 → `82 00 82`). [P] Shorter values use one byte.
pub const LICENCE_LONG_LENGTH_FROM: usize = 0x80;

/// Category flag byte written by our encoder for a held category. [P] Decoding treats
/// any non-zero byte as held and keeps the raw byte.
pub const CATEGORY_HELD: u8 = 0x01;

/// Default PIN ("DPIN") that opens the licence AP when no PIN is set: card-formats.md §2.1.
pub const LICENCE_DEFAULT_PIN: [u8; 4] = *b"****";

/// Earliest card expiry year accepted when building 照合番号B. [P] My Number cards were
/// first issued in 2016 and are valid for at most ten years.
pub const CARD_EXPIRY_YEAR_MIN: u16 = 2016;
/// Latest card expiry year accepted when building 照合番号B. [P]
pub const CARD_EXPIRY_YEAR_MAX: u16 = 2099;

/// Largest submission JSON document accepted by [`crate::Submission::from_json`]. [P]
/// The largest EF set is under 10 KiB; base64 and JSON framing stay well under this.
pub const SUBMISSION_MAX: usize = 64 * 1024;
/// Largest freshness challenge in a submission, in bytes. [P]
pub const CHALLENGE_MAX: usize = 64;
