//! Values of IC licence items: JIS X 0208 text with markers `FFF1`–`FFF7` and `FFFA`, era
//! dates `EYYMMDD` in ASCII, printable ASCII (ic-licence.md §4).

use crate::ascii::AsciiText;
use crate::era::WarekiDate;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::ic_licence::tlv::Item;
use crate::jis::JisText;
use crate::profile::IC_GAIJI_SLOTS;
use crate::tlv::EncodeError;

impl Item<'_> {
    /// The value as IC licence text; offsets in errors are record offsets.
    pub(crate) fn jis(&self) -> Result<JisText, DecodeError> {
        decode_jis(self.value).map_err(|e| self.locate(e))
    }

    /// The value as `EYYMMDD`; `None` for an empty value or zeros after the era digit.
    pub(crate) fn era_date(&self) -> Result<Option<WarekiDate>, DecodeError> {
        WarekiDate::decode_licence(self.value).map_err(|e| self.error(DecodeErrorKind::BadDate(e), 0))
    }

    pub(crate) fn ascii(&self) -> Result<AsciiText, DecodeError> {
        AsciiText::decode(self.value).map_err(|e| self.locate(e))
    }

    /// What [`Item::ascii`] checks, without keeping the text.
    pub(crate) fn check_ascii(&self) -> Result<(), DecodeError> {
        AsciiText::check(self.value).map_err(|e| self.locate(e))
    }

    /// A one-byte value; `None` when empty.
    pub(crate) fn byte(&self) -> Result<Option<u8>, DecodeError> {
        match self.value {
            [] => Ok(None),
            [b] => Ok(Some(*b)),
            v => Err(self.error(DecodeErrorKind::WrongLength { expected: 1, actual: v.len() }, 0)),
        }
    }
}

/// IC licence text; offsets in errors are relative to `raw`.
pub(crate) fn decode_jis(raw: &[u8]) -> Result<JisText, DecodeError> {
    JisText::decode_with_gaiji_slots(raw, IC_GAIJI_SLOTS)
}

/// The bytes of a text, refused when an IC licence reader could not decode them (a marker
/// beyond `FFF7`), so that what the encoders write decodes.
pub(crate) fn card_jis<'t>(text: &'t JisText, field: &'static str) -> Result<&'t [u8], EncodeError> {
    match decode_jis(text.raw()) {
        Ok(_) => Ok(text.raw()),
        Err(_) => Err(EncodeError::Invalid { field, reason: "text the IC licence cannot hold" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Tag;
    use crate::jis::JisChar;

    fn item(value: &[u8]) -> Item<'_> {
        Item { offset: 10, tag: 0x16, value, value_offset: 12 }
    }

    #[test]
    fn decodes_the_real_card_birth_date() {
        // 16 07 34 31 34 30 39 31 33 = 平成14年9月13日.
        let raw = [0x16, 0x07, 0x34, 0x31, 0x34, 0x30, 0x39, 0x31, 0x33];
        let d = item(&raw[2..]).era_date().unwrap().unwrap();
        assert_eq!(d.to_string(), "平成14年9月13日");
        assert_eq!(d.to_gregorian(), "2002-09-13".parse().unwrap());
        assert_eq!(item(b"5000000").era_date(), Ok(None));
        assert_eq!(item(b"0000000").era_date(), Ok(None));
        assert_eq!(
            item(b"414091").era_date(),
            Err(DecodeError {
                kind: DecodeErrorKind::BadDate(crate::era::DateError::BadFormat),
                offset: 12,
                tag: Some(Tag::IcLicence(0x16))
            })
        );
    }

    #[test]
    fn accepts_markers_up_to_fff7_and_fffa() {
        let raw = [0xFF, 0xF1, 0xFF, 0xF2, 0xFF, 0xF3, 0xFF, 0xF4, 0xFF, 0xF5, 0xFF, 0xF6, 0xFF, 0xF7, 0xFF, 0xFA];
        let t = item(&raw).jis().unwrap();
        assert_eq!(t.gaiji_slots().collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(t.chars().last(), Some(JisChar::Missing));
        assert_eq!(
            item(&[0x3B, 0x33, 0xFF, 0xF8]).jis(),
            Err(DecodeError {
                kind: DecodeErrorKind::BadJis { byte: 0xFF },
                offset: 14,
                tag: Some(Tag::IcLicence(0x16))
            })
        );
        let beyond = JisText::decode_with_gaiji_slots(&[0xFF, 0xF8], 9).unwrap();
        assert_eq!(
            card_jis(&beyond, "name"),
            Err(EncodeError::Invalid { field: "name", reason: "text the IC licence cannot hold" })
        );
    }

    #[test]
    fn one_byte_values() {
        assert_eq!(item(&[]).byte(), Ok(None));
        assert_eq!(item(&[0x78]).byte(), Ok(Some(0x78)));
        assert_eq!(
            item(&[1, 2]).byte(),
            Err(DecodeError {
                kind: DecodeErrorKind::WrongLength { expected: 1, actual: 2 },
                offset: 12,
                tag: Some(Tag::IcLicence(0x16))
            })
        );
    }
}
