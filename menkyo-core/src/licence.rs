//! The licence AP (免許AP): WEF01 PIN setting, WEF02 licence information, WEF03 signature.

mod category;
mod number;
mod wef01;
mod wef02;
mod wef03;

pub use category::{CATEGORY_COUNT, Categories, Category};
pub use number::{LICENCE_NUMBER_LEN, LicenceNumber};
pub use wef01::PinSetting;
pub use wef02::{
    CONDITION_COUNT, FirstLicensed, GAIJI_COUNT, Holder, LicenceInfo, REMARK_COUNT, RESERVED_COUNT, Wef02,
};
pub use wef03::{SignatureInfo, Wef03};
