//! WEF01: whether the holder set a licence PIN.
//!
//! ```text
//! C1 01 01   PIN set
//! C1 01 00   no PIN set: VERIFY with the default PIN "****" (DPIN)
//! ```

use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::profile::WEF01_MAX;
use crate::tlv::{self, EncodeError};

const TAG_PIN_SETTING: u16 = 0xC1;

/// WEF01 tag C1 (暗証番号設定).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PinSetting {
    /// The holder chose a 4-digit PIN.
    Set,
    /// No PIN was set; the AP opens with the default PIN (DPIN).
    NotSet,
    /// Any other value, kept as read.
    Unknown(u8),
}

impl PinSetting {
    /// Decodes WEF01 as read from the card.
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        if raw.len() > WEF01_MAX {
            return Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: WEF01_MAX, actual: raw.len() }, 0));
        }
        let stream = tlv::read_stream(raw, TAG_PIN_SETTING)?;
        let tag = Tag::Licence(TAG_PIN_SETTING);
        let item = stream
            .items
            .iter()
            .find(|t| t.tag == TAG_PIN_SETTING)
            .ok_or_else(|| DecodeError::new(DecodeErrorKind::MissingItem { expected: tag }, 0))?;
        match item.value {
            [1] => Ok(PinSetting::Set),
            [0] => Ok(PinSetting::NotSet),
            [other] => Ok(PinSetting::Unknown(*other)),
            v => {
                Err(DecodeError::new(DecodeErrorKind::WrongLength { expected: 1, actual: v.len() }, item.value_offset)
                    .in_tag(tag))
            }
        }
    }

    pub fn encode(self) -> Result<Vec<u8>, EncodeError> {
        let b = match self {
            PinSetting::Set => 1,
            PinSetting::NotSet => 0,
            PinSetting::Unknown(b) => b,
        };
        let mut out = Vec::with_capacity(WEF01_MAX);
        tlv::put(&mut out, TAG_PIN_SETTING, &[b])?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(&[0xC1, 0x01, 0x01], Ok(PinSetting::Set))]
    #[case(&[0xC1, 0x01, 0x00], Ok(PinSetting::NotSet))]
    #[case(&[0xC1, 0x01, 0x07], Ok(PinSetting::Unknown(7)))]
    #[case(&[0xC1, 0x00], Err(DecodeError { kind: DecodeErrorKind::WrongLength { expected: 1, actual: 0 }, offset: 2, tag: Some(Tag::Licence(0xC1)) }))]
    #[case(&[0xC1, 0x02, 0x00], Err(DecodeError { kind: DecodeErrorKind::LengthPastEnd { length: 2, available: 1 }, offset: 2, tag: Some(Tag::Licence(0xC1)) }))]
    #[case(&[], Err(DecodeError { kind: DecodeErrorKind::MissingItem { expected: Tag::Licence(0xC1) }, offset: 0, tag: None }))]
    #[case(&[0xC1, 0x01, 0x01, 0xFF], Err(DecodeError { kind: DecodeErrorKind::RecordTooLarge { max: 3, actual: 4 }, offset: 0, tag: None }))]
    fn decodes(#[case] raw: &[u8], #[case] expected: Result<PinSetting, DecodeError>) {
        assert_eq!(PinSetting::decode(raw), expected);
    }

    #[test]
    fn round_trips() {
        for p in [PinSetting::Set, PinSetting::NotSet, PinSetting::Unknown(9)] {
            assert_eq!(PinSetting::decode(&p.encode().unwrap()), Ok(p));
        }
    }
}
