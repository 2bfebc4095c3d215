//! DF2/EF01 写真 (photo). Read after PIN1 and PIN2; signed.
//!
//! ```text
//! 5F 40 82 hh ll   JPEG 2000 codestream (starts FF 4F), at most 2000 bytes, monochrome
//! then FF padding to 2005 bytes
//! ```
//!
//! The codestream is kept as read; whether it is a picture is the portrait decoder's
//! question, not the record's.

use crate::cursor::Cursor;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::ic_licence::signed::SignedPart;
use crate::ic_licence::tlv::pad;
use crate::profile::{IC_PADDING, IC_PHOTO_SIZE, PHOTO_MAX};
use crate::tlv::{EncodeError, read_length, read_value};

/// The photo's BER tag.
const TAG_PHOTO: [u8; 2] = [0x5F, 0x40];
const FILE: &str = "DF2/EF01";

fn photo_tag() -> Tag {
    Tag::Ber(u32::from(u16::from_be_bytes(TAG_PHOTO)))
}

/// DF2/EF01 as decoded, borrowing the bytes it was decoded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo<'a> {
    part: SignedPart<'a>,
    codestream: &'a [u8],
}

impl<'a> Photo<'a> {
    /// Decodes DF2/EF01 as read (at most 2005 bytes, padding included).
    pub fn decode(raw: &'a [u8]) -> Result<Self, DecodeError> {
        if raw.len() > IC_PHOTO_SIZE {
            let kind = DecodeErrorKind::RecordTooLarge { max: IC_PHOTO_SIZE, actual: raw.len() };
            return Err(DecodeError::new(kind, 0));
        }
        let mut cur = Cursor::new(raw);
        if cur.peek_u8().is_none_or(|b| b == IC_PADDING) {
            return Err(DecodeError::new(DecodeErrorKind::MissingItem { expected: photo_tag() }, 0));
        }
        let tag = cur.read_array::<2>()?;
        if tag != TAG_PHOTO {
            let found = Tag::Ber(u32::from(u16::from_be_bytes(tag)));
            return Err(DecodeError::new(DecodeErrorKind::UnexpectedTag { expected: photo_tag() }, 0).in_tag(found));
        }
        let len = read_length(&mut cur).map_err(|e| e.in_tag(photo_tag()))?;
        let at = cur.position();
        if len > PHOTO_MAX {
            let kind = DecodeErrorKind::PhotoTooLarge { max: PHOTO_MAX, actual: len };
            return Err(DecodeError::new(kind, at).in_tag(photo_tag()));
        }
        let codestream = read_value(&mut cur, len).map_err(|e| e.in_tag(photo_tag()))?;
        let end = cur.position();
        if let Some(pos) = cur.rest().iter().position(|&b| b != IC_PADDING) {
            let count = cur.remaining().saturating_sub(pos);
            return Err(DecodeError::new(DecodeErrorKind::TrailingBytes { count }, end.saturating_add(pos)));
        }
        Ok(Self { part: SignedPart::new(raw, end), codestream })
    }

    /// The JPEG 2000 codestream as read.
    pub fn codestream(&self) -> &'a [u8] {
        self.codestream
    }

    /// The EF as read and its TLV bytes: its part of the signed message.
    pub fn part(&self) -> SignedPart<'a> {
        self.part
    }

    /// `5F 40 82 hh ll` and the codestream (the `82` form whatever the length, as cards do).
    pub fn encode_tlv(codestream: &[u8]) -> Result<Vec<u8>, EncodeError> {
        if codestream.len() > PHOTO_MAX {
            return Err(EncodeError::TooLong { tag: photo_tag() });
        }
        let len = u16::try_from(codestream.len()).map_err(|_| EncodeError::TooLong { tag: photo_tag() })?;
        let mut out = Vec::with_capacity(IC_PHOTO_SIZE);
        out.extend_from_slice(&TAG_PHOTO);
        out.push(0x82);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(codestream);
        Ok(out)
    }

    /// The EF as a card holds it: the record, then `FF` to 2005 bytes.
    pub fn encode(codestream: &[u8]) -> Result<Vec<u8>, EncodeError> {
        pad(Photo::encode_tlv(codestream)?, IC_PHOTO_SIZE, FILE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const T5F40: Option<Tag> = Some(Tag::Ber(0x5F40));

    #[test]
    fn decodes_the_82_form_and_padding() {
        let mut raw = vec![0x5F, 0x40, 0x82, 0x00, 0x04, 0xFF, 0x4F, 0xFF, 0x51];
        raw.resize(2005, 0xFF);
        let p = Photo::decode(&raw).unwrap();
        assert_eq!(p.codestream(), &[0xFF, 0x4F, 0xFF, 0x51]);
        assert_eq!(p.part().tlv(), &raw[..9]);
        assert_eq!(p.part().whole(), &raw[..]);
        assert_eq!(Photo::encode(&[0xFF, 0x4F, 0xFF, 0x51]).unwrap(), raw);
        // One-byte and 81 lengths are read too.
        assert_eq!(Photo::decode(&[0x5F, 0x40, 0x02, 0xFF, 0x4F]).unwrap().codestream(), &[0xFF, 0x4F]);
        assert_eq!(Photo::decode(&[0x5F, 0x40, 0x81, 0x01, 0xFF, 0xFF]).unwrap().part().tlv().len(), 5);
        // A codestream of exactly 2000 bytes fills the EF.
        let full = Photo::encode(&[0x4F; 2000]).unwrap();
        assert_eq!(Photo::decode(&full).unwrap().part().tlv().len(), 2005);
    }

    #[test]
    fn errors_name_tag_and_offset() {
        assert_eq!(
            Photo::decode(&[0xFF; 2005]),
            Err(DecodeError::new(DecodeErrorKind::MissingItem { expected: Tag::Ber(0x5F40) }, 0))
        );
        assert_eq!(
            Photo::decode(&[]),
            Err(DecodeError::new(DecodeErrorKind::MissingItem { expected: Tag::Ber(0x5F40) }, 0))
        );
        assert_eq!(
            Photo::decode(&[0x5F, 0x41, 0x00]),
            Err(DecodeError {
                kind: DecodeErrorKind::UnexpectedTag { expected: Tag::Ber(0x5F40) },
                offset: 0,
                tag: Some(Tag::Ber(0x5F41))
            })
        );
        assert_eq!(Photo::decode(&[0x5F]), Err(DecodeError::new(DecodeErrorKind::Truncated { needed: 1 }, 0)));
        assert_eq!(
            Photo::decode(&[0x5F, 0x40, 0x82, 0x07]),
            Err(DecodeError { kind: DecodeErrorKind::Truncated { needed: 1 }, offset: 3, tag: T5F40 })
        );
        let mut raw = vec![0x5F, 0x40, 0x82, 0x07, 0xD1];
        raw.resize(2005, 0x4F);
        assert_eq!(
            Photo::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::PhotoTooLarge { max: 2000, actual: 2001 },
                offset: 5,
                tag: T5F40
            })
        );
        assert_eq!(
            Photo::decode(&[0x5F, 0x40, 0x82, 0x00, 0x04, 0xFF, 0x4F]),
            Err(DecodeError {
                kind: DecodeErrorKind::LengthPastEnd { length: 4, available: 2 },
                offset: 5,
                tag: T5F40
            })
        );
        assert_eq!(
            Photo::decode(&[0x5F, 0x40, 0x01, 0xFF, 0xFF, 0x00]),
            Err(DecodeError::new(DecodeErrorKind::TrailingBytes { count: 1 }, 5))
        );
        assert_eq!(
            Photo::decode(&[0xFF; 2006]),
            Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: 2005, actual: 2006 }, 0))
        );
        assert_eq!(Photo::encode(&[0; 2001]), Err(EncodeError::TooLong { tag: Tag::Ber(0x5F40) }));
    }

    proptest! {
        #[test]
        fn round_trip(codestream in proptest::collection::vec(any::<u8>(), 0..=2000)) {
            let raw = Photo::encode(&codestream).unwrap();
            prop_assert_eq!(raw.len(), IC_PHOTO_SIZE);
            let p = Photo::decode(&raw).unwrap();
            prop_assert_eq!(p.codestream(), &codestream[..]);
            prop_assert_eq!(p.part().tlv(), &Photo::encode_tlv(&codestream).unwrap()[..]);
        }

        #[test]
        fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = Photo::decode(&raw);
        }
    }
}
