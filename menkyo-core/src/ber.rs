//! BER-TLV as used by the card-surface APs (card-formats.md §3.2): private-class tags such
//! as `FF20` (constructed) and `DF21` (primitive), lengths in the short, `81` or `82` form.

use crate::cursor::Cursor;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::profile::BER_TAG_MAX_BYTES;
use crate::tlv::{EncodeError, read_length, read_value};

const TAG_NUMBER_MASK: u8 = 0x1F;
const MORE_TAG_BYTES: u8 = 0x80;

/// One BER item, borrowed from the record bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BerTlv<'a> {
    pub(crate) tag: u32,
    pub(crate) value: &'a [u8],
    /// Offset of the tag's first byte in the record.
    pub(crate) offset: usize,
    /// Offset of the value's first byte in the record.
    pub(crate) value_offset: usize,
}

impl BerTlv<'_> {
    /// Offset just past the value.
    pub(crate) fn end(&self) -> usize {
        self.value_offset.saturating_add(self.value.len())
    }
}

fn read_tag(cur: &mut Cursor<'_>) -> Result<u32, DecodeError> {
    let at = cur.position();
    let first = cur.read_u8()?;
    let mut tag = u32::from(first);
    if first & TAG_NUMBER_MASK != TAG_NUMBER_MASK {
        return Ok(tag);
    }
    for _ in 1..BER_TAG_MAX_BYTES {
        let b = cur.read_u8()?;
        tag = (tag << 8) | u32::from(b);
        if b & MORE_TAG_BYTES == 0 {
            return Ok(tag);
        }
    }
    Err(DecodeError::new(DecodeErrorKind::BadTag { byte: first }, at))
}

/// Reads one TLV at the cursor; offsets are relative to the cursor's input.
pub(crate) fn read_tlv<'a>(cur: &mut Cursor<'a>) -> Result<BerTlv<'a>, DecodeError> {
    let offset = cur.position();
    let tag = read_tag(cur)?;
    let len = read_length(cur).map_err(|e| e.in_tag(Tag::Ber(tag)))?;
    let value_offset = cur.position();
    let value = read_value(cur, len).map_err(|e| e.in_tag(Tag::Ber(tag)))?;
    Ok(BerTlv { tag, value, offset, value_offset })
}

/// Reads one TLV and requires it to carry `tag`.
pub(crate) fn expect<'a>(cur: &mut Cursor<'a>, tag: u32) -> Result<BerTlv<'a>, DecodeError> {
    let at = cur.position();
    if cur.is_empty() {
        return Err(DecodeError::new(DecodeErrorKind::MissingItem { expected: Tag::Ber(tag) }, at));
    }
    let tlv = read_tlv(cur)?;
    if tlv.tag == tag {
        Ok(tlv)
    } else {
        Err(DecodeError::new(DecodeErrorKind::UnexpectedTag { expected: Tag::Ber(tag) }, at).in_tag(Tag::Ber(tlv.tag)))
    }
}

/// Reads a value that must be exactly `N` bytes long.
pub(crate) fn fixed<const N: usize>(tlv: &BerTlv<'_>) -> Result<[u8; N], DecodeError> {
    <[u8; N]>::try_from(tlv.value).map_err(|_| {
        DecodeError::new(DecodeErrorKind::WrongLength { expected: N, actual: tlv.value.len() }, tlv.value_offset)
            .in_tag(Tag::Ber(tlv.tag))
    })
}

/// Appends one item with the shortest length form.
pub(crate) fn put(out: &mut Vec<u8>, tag: u32, value: &[u8]) -> Result<(), EncodeError> {
    let len = u16::try_from(value.len()).map_err(|_| EncodeError::TooLong { tag: Tag::Ber(tag) })?;
    let tag_bytes = tag.to_be_bytes();
    let first_nonzero = tag_bytes.iter().position(|&b| b != 0).unwrap_or(tag_bytes.len().saturating_sub(1));
    out.extend(tag_bytes.iter().skip(first_nonzero));
    match u8::try_from(len) {
        Ok(short) if short < 0x80 => out.push(short),
        Ok(one) => out.extend_from_slice(&[0x81, one]),
        Err(_) => {
            out.push(0x82);
            out.extend_from_slice(&len.to_be_bytes());
        }
    }
    out.extend_from_slice(value);
    Ok(())
}

/// Encodes one item into a new buffer.
pub(crate) fn tlv(tag: u32, value: &[u8]) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(value.len().saturating_add(6));
    put(&mut out, tag, value)?;
    Ok(out)
}

/// Pads a record with filler up to its physical size.
pub(crate) fn pad_to(mut record: Vec<u8>, size: usize, filler: u8) -> Vec<u8> {
    if record.len() < size {
        record.resize(size, filler);
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_private_class_tags() {
        let bytes = [0xFF, 0x20, 0x82, 0x00, 0x04, 0xDF, 0x25, 0x01, b'1'];
        let mut cur = Cursor::new(&bytes);
        let outer = expect(&mut cur, 0xFF20).unwrap();
        assert_eq!(outer.value_offset, 5);
        let mut inner = Cursor::new(outer.value);
        let sex = expect(&mut inner, 0xDF25).unwrap();
        assert_eq!(sex.value, b"1");
        assert_eq!(fixed::<1>(&sex), Ok([b'1']));
        assert_eq!(
            fixed::<2>(&sex),
            Err(DecodeError {
                kind: DecodeErrorKind::WrongLength { expected: 2, actual: 1 },
                offset: 3,
                tag: Some(Tag::Ber(0xDF25))
            })
        );
    }

    #[test]
    fn rejects_wrong_tag_and_long_tags() {
        let mut cur = Cursor::new(&[0xDF, 0x22, 0x00]);
        assert_eq!(
            expect(&mut cur, 0xDF21),
            Err(DecodeError {
                kind: DecodeErrorKind::UnexpectedTag { expected: Tag::Ber(0xDF21) },
                offset: 0,
                tag: Some(Tag::Ber(0xDF22))
            })
        );
        let mut cur = Cursor::new(&[0xDF, 0x81, 0x82, 0x83, 0x00]);
        assert_eq!(read_tlv(&mut cur), Err(DecodeError::new(DecodeErrorKind::BadTag { byte: 0xDF }, 0)));
    }

    #[test]
    fn writes_minimal_lengths() {
        assert_eq!(tlv(0x90, &[1, 0, 1]).unwrap(), vec![0x90, 0x03, 1, 0, 1]);
        assert_eq!(tlv(0xDF33, &[0; 200]).unwrap()[..4], [0xDF, 0x33, 0x81, 200]);
        assert_eq!(tlv(0x7F21, &[0; 563]).unwrap()[..5], [0x7F, 0x21, 0x82, 0x02, 0x33]);
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(
            tag in prop_oneof![Just(0xFF20u32), Just(0xDF21), Just(0x5F4E), Just(0x7F21), Just(0x90), Just(0x91)],
            value in proptest::collection::vec(any::<u8>(), 0..600),
        ) {
            let bytes = tlv(tag, &value).unwrap();
            let mut cur = Cursor::new(&bytes);
            let t = read_tlv(&mut cur).unwrap();
            prop_assert_eq!(t.tag, tag);
            prop_assert_eq!(t.value, &value[..]);
            prop_assert_eq!(t.end(), bytes.len());
            prop_assert!(cur.is_empty());
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut cur = Cursor::new(&bytes);
            while !cur.is_empty() {
                if read_tlv(&mut cur).is_err() { break; }
            }
        }
    }
}
