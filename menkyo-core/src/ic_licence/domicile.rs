//! DF1/EF02 記載事項(本籍) (registered domicile). Read after PIN1 and PIN2; signed.
//!
//! ```text
//! 41 len  本籍 (JIS X 0208, at most 80 bytes), then FF padding to 82 bytes
//! ```
//!
//! 本籍 never goes into a report unless asked for (ic-licence.md §9): the record is decoded
//! because the signature covers it.
//!
//! Tag 41 is the only item allowed. In the signed form `tlv` the message EF01 ‖ EF02 ‖ photo has
//! no boundaries: an EF02 that took other items would let the end of EF01 (category dates) be
//! moved into it with the signature still verifying. With EF02 one 41 item and the photo one
//! 5F40 item, the only split of the message is the card's.

use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::ic_licence::signed::SignedPart;
use crate::ic_licence::tlv::{Items, Writer, pad};
use crate::ic_licence::value::card_jis;
use crate::jis::JisText;
use crate::profile::{IC_DOMICILE_MAX, IC_DOMICILE_SIZE};
use crate::tlv::EncodeError;

pub(crate) const TAG_DOMICILE: u8 = 0x41;
const FILE: &str = "DF1/EF02";

/// DF1/EF02 as decoded, borrowing the bytes it was decoded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domicile<'a> {
    part: SignedPart<'a>,
    value: JisText,
}

impl<'a> Domicile<'a> {
    /// Decodes DF1/EF02 as read (at most 82 bytes, padding included). Tag 41 is required and
    /// is the only item allowed.
    pub fn decode(raw: &'a [u8]) -> Result<Self, DecodeError> {
        let items = Items::read(raw, IC_DOMICILE_SIZE)?;
        if let Some(other) = items.iter().find(|i| i.tag != TAG_DOMICILE) {
            let kind = DecodeErrorKind::UnexpectedTag { expected: Tag::IcLicence(TAG_DOMICILE) };
            return Err(DecodeError::new(kind, other.offset).in_tag(other.tag()));
        }
        let item = items.require(TAG_DOMICILE)?;
        // Unreachable within 82 bytes today; kept so the limit holds if the EF size changes.
        if item.value.len() > IC_DOMICILE_MAX {
            return Err(item.error(DecodeErrorKind::ValueTooLong { max: IC_DOMICILE_MAX, actual: item.value.len() }, 0));
        }
        let domicile = item.jis()?;
        Ok(Self { part: SignedPart::new(raw, items.end), value: domicile })
    }

    /// 本籍.
    pub fn value(&self) -> &JisText {
        &self.value
    }

    /// The EF as read and its TLV bytes: its part of the signed message.
    pub fn part(&self) -> SignedPart<'a> {
        self.part
    }

    /// The record for `domicile` without padding.
    pub fn encode_tlv(domicile: &JisText) -> Result<Vec<u8>, EncodeError> {
        let value = card_jis(domicile, "domicile")?;
        if value.len() > IC_DOMICILE_MAX {
            return Err(EncodeError::TooLong { tag: Tag::IcLicence(TAG_DOMICILE) });
        }
        let mut w = Writer::new(FILE, IC_DOMICILE_SIZE);
        w.put(TAG_DOMICILE, value)?;
        w.finish(IC_DOMICILE_SIZE)
    }

    /// The EF as a card holds it: the record, then `FF` to 82 bytes.
    pub fn encode(domicile: &JisText) -> Result<Vec<u8>, EncodeError> {
        pad(Domicile::encode_tlv(domicile)?, IC_DOMICILE_SIZE, FILE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ic_licence::test_support::{jis, jis_text};
    use proptest::prelude::*;

    const T41: Option<Tag> = Some(Tag::IcLicence(0x41));

    #[test]
    fn decodes_with_padding_and_keeps_the_signed_bytes() {
        let raw = Domicile::encode(&jis("東京都")).unwrap();
        assert_eq!(raw.len(), 82);
        assert_eq!(&raw[..8], &[0x41, 0x06, 0x45, 0x6C, 0x35, 0x7E, 0x45, 0x54]);
        let d = Domicile::decode(&raw).unwrap();
        assert_eq!(d.value().to_string(), "東京都");
        assert_eq!(d.part().tlv(), &raw[..8]);
        assert_eq!(d.part().whole(), &raw[..]);
        // The full 80 bytes fill the EF exactly.
        let full = jis(&"東".repeat(40));
        assert_eq!(Domicile::encode(&full).unwrap().len(), 82);
        assert_eq!(Domicile::decode(&Domicile::encode(&full).unwrap()).unwrap().part().tlv().len(), 82);
    }

    #[test]
    fn errors_name_tag_and_offset() {
        assert_eq!(
            Domicile::decode(&[0xFF; 82]),
            Err(DecodeError::new(DecodeErrorKind::MissingItem { expected: Tag::IcLicence(0x41) }, 0))
        );
        let mut raw = vec![0x41, 0x51];
        raw.extend_from_slice(&[0x21; 81]);
        assert_eq!(
            Domicile::decode(&raw),
            Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: 82, actual: 83 }, 0))
        );
        let mut raw = vec![0x41, 0x51];
        raw.extend_from_slice(&[0x21; 80]);
        assert_eq!(
            Domicile::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::LengthPastEnd { length: 81, available: 80 },
                offset: 2,
                tag: T41
            })
        );
        let mut raw = vec![0x41, 0x81, 0x50];
        raw.extend_from_slice(&[0x21; 79]);
        assert_eq!(
            Domicile::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::LengthPastEnd { length: 80, available: 79 },
                offset: 3,
                tag: T41
            })
        );
        assert_eq!(
            Domicile::decode(&[0x41, 0x02, 0x29, 0x21]),
            Err(DecodeError { kind: DecodeErrorKind::UnmappedJis { code: 0x2921 }, offset: 2, tag: T41 })
        );
        assert_eq!(Domicile::encode(&jis(&"東".repeat(41))), Err(EncodeError::TooLong { tag: Tag::IcLicence(0x41) }));
        // Any other item, before or after 41, is refused.
        let unexpected = |offset, tag| {
            Err(DecodeError { kind: DecodeErrorKind::UnexpectedTag { expected: Tag::IcLicence(0x41) }, offset, tag })
        };
        assert_eq!(
            Domicile::decode(&[0x33, 0x01, 0x00, 0x41, 0x02, 0x45, 0x6C]),
            unexpected(0, Some(Tag::IcLicence(0x33)))
        );
        assert_eq!(Domicile::decode(&[0x41, 0x02, 0x45, 0x6C, 0x42, 0x00]), unexpected(4, Some(Tag::IcLicence(0x42))));
    }

    proptest! {
        #[test]
        fn round_trip(text in jis_text(40)) {
            let raw = Domicile::encode(&text).unwrap();
            let d = Domicile::decode(&raw).unwrap();
            prop_assert_eq!(d.value(), &text);
            prop_assert_eq!(d.part().tlv(), &Domicile::encode_tlv(&text).unwrap()[..]);
        }

        #[test]
        fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..90)) {
            let _ = Domicile::decode(&raw);
        }
    }
}
