//! MF/EF02 暗証番号設定 (PIN setting): whether the holder chose PINs. Readable without a PIN.
//!
//! ```text
//! 05 01 00   no PINs set: PIN1 and PIN2 are the default PIN "****" (DPIN)
//! 05 01 01   the holder's own PINs
//! ```
//!
//! Anything else is an error, never a guess: VERIFY with DPIN on a card whose PINs are set
//! costs one of three tries (ic-licence.md §3).

use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::ic_licence::tlv::{Items, Writer};
use crate::profile::IC_PIN_SETTING_SIZE;
use crate::tlv::EncodeError;

const TAG_PIN_SETTING: u8 = 0x05;
const NOT_SET: u8 = 0x00;
const SET: u8 = 0x01;

/// MF/EF02 of the IC licence. Not signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PinSetting {
    /// `05 01 00`: no PINs set; VERIFY with the default PIN (DPIN).
    NotSet,
    /// `05 01 01`: the holder set PIN1 and PIN2.
    Set,
}

impl PinSetting {
    /// Decodes MF/EF02 as read. Tag 05 with one byte `00` or `01` and nothing else (padding
    /// aside); every other content is an error naming tag and offset.
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        let items = Items::read(raw, IC_PIN_SETTING_SIZE)?;
        let tag = Tag::IcLicence(TAG_PIN_SETTING);
        if let Some(other) = items.iter().find(|i| i.tag != TAG_PIN_SETTING) {
            let kind = DecodeErrorKind::UnexpectedTag { expected: tag };
            return Err(DecodeError::new(kind, other.offset).in_tag(other.tag()));
        }
        let item = items.require(TAG_PIN_SETTING)?;
        match item.value {
            [NOT_SET] => Ok(PinSetting::NotSet),
            [SET] => Ok(PinSetting::Set),
            [byte] => Err(item.error(DecodeErrorKind::UnknownValue { byte: *byte }, 0)),
            v => Err(item.error(DecodeErrorKind::WrongLength { expected: 1, actual: v.len() }, 0)),
        }
    }

    /// The three bytes of MF/EF02.
    pub fn encode(self) -> Result<Vec<u8>, EncodeError> {
        let b = match self {
            PinSetting::NotSet => NOT_SET,
            PinSetting::Set => SET,
        };
        let mut w = Writer::new("MF/EF02", IC_PIN_SETTING_SIZE);
        w.put(TAG_PIN_SETTING, &[b])?;
        w.finish(IC_PIN_SETTING_SIZE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const T05: Option<Tag> = Some(Tag::IcLicence(0x05));

    #[rstest]
    #[case(&[0x05, 0x01, 0x00], Ok(PinSetting::NotSet))]
    #[case(&[0x05, 0x01, 0x01], Ok(PinSetting::Set))]
    #[case(&[0x05, 0x01, 0x02], Err(DecodeError { kind: DecodeErrorKind::UnknownValue { byte: 2 }, offset: 2, tag: T05 }))]
    #[case(&[0x05, 0x01, 0xFF], Err(DecodeError { kind: DecodeErrorKind::UnknownValue { byte: 0xFF }, offset: 2, tag: T05 }))]
    #[case(&[0x05, 0x00, 0xFF], Err(DecodeError { kind: DecodeErrorKind::WrongLength { expected: 1, actual: 0 }, offset: 2, tag: T05 }))]
    #[case(&[0x05, 0x02, 0x00], Err(DecodeError { kind: DecodeErrorKind::LengthPastEnd { length: 2, available: 1 }, offset: 2, tag: T05 }))]
    #[case(&[0x05, 0x01], Err(DecodeError { kind: DecodeErrorKind::LengthPastEnd { length: 1, available: 0 }, offset: 2, tag: T05 }))]
    #[case(&[0x05], Err(DecodeError { kind: DecodeErrorKind::Truncated { needed: 1 }, offset: 1, tag: T05 }))]
    #[case(&[0x06, 0x01, 0x00], Err(DecodeError { kind: DecodeErrorKind::UnexpectedTag { expected: Tag::IcLicence(0x05) }, offset: 0, tag: Some(Tag::IcLicence(0x06)) }))]
    #[case(&[0xFF, 0xFF, 0xFF], Err(DecodeError { kind: DecodeErrorKind::MissingItem { expected: Tag::IcLicence(0x05) }, offset: 0, tag: None }))]
    #[case(&[], Err(DecodeError { kind: DecodeErrorKind::MissingItem { expected: Tag::IcLicence(0x05) }, offset: 0, tag: None }))]
    #[case(&[0x05, 0x01, 0x01, 0xFF], Err(DecodeError { kind: DecodeErrorKind::RecordTooLarge { max: 3, actual: 4 }, offset: 0, tag: None }))]
    fn decodes(#[case] raw: &[u8], #[case] expected: Result<PinSetting, DecodeError>) {
        assert_eq!(PinSetting::decode(raw), expected);
    }

    #[test]
    fn round_trips() {
        assert_eq!(PinSetting::NotSet.encode(), Ok(vec![0x05, 0x01, 0x00]));
        assert_eq!(PinSetting::Set.encode(), Ok(vec![0x05, 0x01, 0x01]));
        for p in [PinSetting::Set, PinSetting::NotSet] {
            assert_eq!(PinSetting::decode(&p.encode().unwrap()), Ok(p));
        }
    }
}
