//! The conventional IC driver's licence (ICカード運転免許証, issued since 2007): every record
//! of ic-licence.md §2–§6, decoders and encoders.
//!
//! ```text
//! MF/EF01   CommonData       tags 45, 46: spec version, card dates        not signed, no PIN
//! MF/EF02   PinSetting       05 01 00 | 05 01 01                          not signed, no PIN
//! DF1/EF01  Entries          tags 11-33: name, birth date, address, …     signed, PIN1
//! DF1/EF02  Domicile         tag 41: 本籍                                  signed, PIN1 + PIN2
//! DF1/EF03  Glyphs           tags 48, 49: glyphs of 外字 FFF1, FFF2        not signed, PIN1
//! DF1/EF04  Changes          tags 50-97: changes written on the back      not signed, PIN1
//! DF1/EF05  ChangeGlyphs     tags A0-A5: glyphs of 外字 FFF3-FFF7          not signed, PIN1
//! DF1/EF06  DomicileChanges  tags AA-AF: new 本籍                          not signed, PIN1 + PIN2
//! DF1/EF07  Signature        tags B1-B6: signature, signer identification PIN1
//! DF2/EF01  Photo            5F 40: JPEG 2000 codestream                  signed, PIN1 + PIN2
//! ```
//!
//! Every EF ends in `FF` padding. The three signed records borrow the bytes they were
//! decoded from; [`SignedForm::message`] builds the signed message from them in either form
//! a verifier has to try. Sizes and our own choices are in [`crate::profile`] (`IC_…`).

mod category_date;
mod change;
mod check_digit;
mod common_data;
mod domicile;
mod entries;
mod glyph;
mod photo;
mod pin_setting;
mod signature;
mod signed;
#[cfg(test)]
mod test_support;
mod tlv;
mod value;

pub use category_date::{CategoryDate, CategoryDates};
pub use change::{Change, ChangeEntry, ChangeKind, Changes, DomicileChange, DomicileChanges};
pub use check_digit::{check_digit_matches, expected_check_digit};
pub use common_data::CommonData;
pub use domicile::Domicile;
pub use entries::{CONDITION_COUNT, Entries, EntriesInfo};
pub use glyph::{ChangeGlyphs, Glyph, Glyphs};
pub use photo::Photo;
pub use pin_setting::PinSetting;
pub use signature::Signature;
pub(crate) use signature::SignatureRef;
pub use signed::{SignedForm, SignedPart};
