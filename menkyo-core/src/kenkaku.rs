//! The 券面事項確認AP (kenkaku, "visual AP"): only what age checks and card presence need.
//! EF 0001 is the age record (birth date and the card's own key, signed together by J-LIS);
//! EF 0004 is a CV certificate laid out as the input-assist AP's ([`crate::kenhojo::CvCertificate`]).
//! EF 0002 and EF 0005 (card face images, EF 0005 the 個人番号 as an image) are never read.

mod age_record;

pub use age_record::{AgeRecord, Ef0001};
