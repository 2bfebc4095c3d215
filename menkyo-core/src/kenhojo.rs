//! The 券面事項入力補助AP (card-surface input-assist AP): EF 0002–0007.

mod ap_info;
mod basic_four;
mod card_key;
mod cv_certificate;
#[cfg(feature = "issuer")]
pub mod individual_number;
mod integrity;
pub(crate) mod record;
pub(crate) mod rsa_key;

pub use ap_info::ApInfo;
pub use basic_four::{BasicFour, Ef0002, Sex};
pub use card_key::CardKey;
pub use cv_certificate::{CvBody, CvCertificate, KEY_ID_LEN, KeyId};
pub use integrity::Ef0003;
pub use rsa_key::RsaPublicKeyParts;
