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

/// Physical size of the kenkaku AP's EF 0001 (age record): card-formats.md §3.3
/// (`FF 10 82 02 1E` + 542 bytes).
pub const KENKAKU_EF0001_PHYSICAL_SIZE: usize = 547;
/// Largest kenkaku EF 0001 we accept. [P] Room for filler after the 547 bytes of the record.
pub const KENKAKU_EF0001_MAX: usize = 1024;
/// Largest kenkaku EF 0004 (CV certificate) we accept. [P] As the input-assist AP's.
pub const KENKAKU_EF0004_MAX: usize = EF0004_MAX;

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

// Conventional IC driver's licence (ICカード運転免許証, ic-licence.md). Sizes are the EF
// sizes of ic-licence.md §2; a record longer than its EF is refused.

/// Size of MF/EF01 (common data: tags 45, 46): ic-licence.md §2, §4.
pub const IC_COMMON_DATA_SIZE: usize = 17;
/// Value length of tag 45: spec version (3) + issue date (4) + expiry (4): ic-licence.md §4.
pub const IC_COMMON_DATES_LEN: usize = 11;
/// Value length of tag 46: manufacturer id (1) + crypto function id (1): ic-licence.md §4.
pub const IC_COMMON_IDS_LEN: usize = 2;
/// Size of MF/EF02 (PIN setting, `05 01 xx`): ic-licence.md §2.
pub const IC_PIN_SETTING_SIZE: usize = 3;
/// Size of DF1/EF01 (entries except 本籍, tags 11–33): ic-licence.md §2.
pub const IC_ENTRIES_SIZE: usize = 880;
/// Size of DF1/EF02 (本籍, tag 41): ic-licence.md §2.
pub const IC_DOMICILE_SIZE: usize = 82;
/// Longest 本籍 value: ic-licence.md §2 ("80 B value").
pub const IC_DOMICILE_MAX: usize = 80;
/// Size of DF1/EF03 (glyphs of 外字 1, 2): ic-licence.md §2 (2 × (`48 82 00 80` + 128)).
pub const IC_GLYPHS_SIZE: usize = 264;
/// Size of DF1/EF04 (changes written on the back): ic-licence.md §2.
pub const IC_CHANGES_SIZE: usize = 640;
/// Size of DF1/EF05 (flag A0, glyphs of 外字 3–7): ic-licence.md §2.
pub const IC_CHANGE_GLYPHS_SIZE: usize = 663;
/// Size of DF1/EF06 (new 本籍): ic-licence.md §2 [S].
pub const IC_DOMICILE_CHANGES_SIZE: usize = 256;
/// Size of DF1/EF07 (signature items B1–B6): ic-licence.md §2.
pub const IC_SIGNATURE_SIZE: usize = 578;
/// Size of DF2/EF01 (photo): `5F 40 82 hh ll` + [`PHOTO_MAX`]: ic-licence.md §2.
pub const IC_PHOTO_SIZE: usize = 2005;

/// External-character slots of the IC licence: markers `FFF1`–`FFF7`: ic-licence.md §4.
pub const IC_GAIJI_SLOTS: u8 = 7;
/// One external-character glyph: 32 × 32 dots, 1 bit per dot: ic-licence.md §5 [P format].
pub const IC_GLYPH_LEN: usize = 128;
/// Side of a glyph in dots: ic-licence.md §5 [P].
pub const IC_GLYPH_SIDE: usize = 32;

/// Change value (ic-licence.md §5): JIS X 0208 edition, 1 byte.
pub const IC_CHANGE_EDITION_LEN: usize = 1;
/// Change value: date as 7 full-width JIS X 0208 digits `ＥＹＹＭＭＤＤ`, 14 bytes: ic-licence.md §5.
pub const IC_CHANGE_DATE_LEN: usize = 14;
/// Change value: Public Safety Commission short name, 5 characters, 10 bytes: ic-licence.md §5.
pub const IC_CHANGE_AUTHORITY_LEN: usize = 10;

/// EF07 value limits (ic-licence.md §6, equal to the WEF03 limits of card-formats.md §2.4,
/// which with one-byte tags add up to the 578-byte EF): B1 signature.
pub const IC_SIGNATURE_VALUE_MAX: usize = 256;
/// EF07 B2 serial number (ASCII): ic-licence.md §6.
pub const IC_SIGNER_SERIAL_MAX: usize = 16;
/// EF07 B3 reserved: ic-licence.md §6.
pub const IC_SIGNATURE_RESERVED_MAX: usize = 48;
/// EF07 B4 issuer name (ASCII): card-formats.md §2.4 via ic-licence.md §6.
pub const IC_SIGNER_ISSUER_MAX: usize = 80;
/// EF07 B5 subject name (ASCII): card-formats.md §2.4 via ic-licence.md §6.
pub const IC_SIGNER_SUBJECT_MAX: usize = 130;
/// EF07 B6 subject key identifier: ic-licence.md §7 ("up to 32 bytes").
pub const IC_SIGNER_KEY_ID_MAX: usize = 32;

/// Unused space at the end of an IC licence EF: ic-licence.md §2 [R]. A parser stops at the
/// first `FF` where a tag is expected. [P] Every byte after it must be `FF` too: anything
/// else is reported as trailing bytes, not skipped.
pub const IC_PADDING: u8 = 0xFF;
/// IC licence lengths: our encoders write values of at least this length as `82 hh ll`
/// (EF03's 264 bytes = 2 × `48 82 00 80` + 128 show the cards do), shorter ones in one
/// byte; `81 ll` is read but never written. [P] ic-licence.md §9.
pub const IC_LONG_LENGTH_FROM: usize = 0x80;
/// "None" date our encoders write for tags 22–33 (ic-licence.md §4, §9). [P] Cards may
/// put any era digit before the zeros; every such value decodes as none.
pub const IC_NO_DATE: [u8; 7] = *b"0000000";
