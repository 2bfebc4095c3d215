//! The licence AP's TLV encoding (card-formats.md §2.2). Not BER.
//!
//! ```text
//! tag     C1..FF            one byte (DF, FF are ordinary one-byte tags here)
//!         01 00 .. 01 0D    two bytes
//! length  00..7F            one byte
//!         81 xx             one byte follows
//!         82 hh ll          two bytes follow (cards use this form for every value >= 128)
//! ```

use crate::cursor::Cursor;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::profile::LICENCE_LONG_LENGTH_FROM;

const TWO_BYTE_TAG_LEAD: u8 = 0x01;
const ONE_BYTE_TAG_FIRST: u8 = 0xC1;

/// One item of a licence AP record, borrowed from the record bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u16,
    pub(crate) value: &'a [u8],
    /// Offset of the value's first byte in the record.
    pub(crate) value_offset: usize,
}

/// An item whose tag is not part of the known layout, kept as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawItem {
    pub tag: Tag,
    pub value: Vec<u8>,
}

/// The TLV items of a record and where the last one ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stream<'a> {
    pub(crate) items: Vec<Tlv<'a>>,
    /// Offset just past the last TLV read; what follows is trailing data.
    pub(crate) end: usize,
}

fn is_tag_start(b: u8) -> bool {
    b == TWO_BYTE_TAG_LEAD || b >= ONE_BYTE_TAG_FIRST
}

fn read_tag(cur: &mut Cursor<'_>) -> Result<u16, DecodeError> {
    let at = cur.position();
    match cur.read_u8()? {
        TWO_BYTE_TAG_LEAD => Ok(u16::from_be_bytes([TWO_BYTE_TAG_LEAD, cur.read_u8()?])),
        b if b >= ONE_BYTE_TAG_FIRST => Ok(u16::from(b)),
        byte => Err(DecodeError::new(DecodeErrorKind::BadTag { byte }, at)),
    }
}

/// Reads a length in the short, `81` or `82` form (non-minimal forms accepted).
pub(crate) fn read_length(cur: &mut Cursor<'_>) -> Result<usize, DecodeError> {
    let at = cur.position();
    match cur.read_u8()? {
        b @ 0x00..=0x7F => Ok(usize::from(b)),
        0x81 => Ok(usize::from(cur.read_u8()?)),
        0x82 => Ok(usize::from(u16::from_be_bytes(cur.read_array::<2>()?))),
        first_byte => Err(DecodeError::new(DecodeErrorKind::BadLength { first_byte }, at)),
    }
}

/// Reads a value of `len` bytes, failing with `LengthPastEnd` rather than `Truncated`.
pub(crate) fn read_value<'a>(cur: &mut Cursor<'a>, len: usize) -> Result<&'a [u8], DecodeError> {
    let available = cur.remaining();
    let at = cur.position();
    cur.read_bytes(len).map_err(|_| DecodeError::new(DecodeErrorKind::LengthPastEnd { length: len, available }, at))
}

pub(crate) fn read_tlv<'a>(cur: &mut Cursor<'a>) -> Result<Tlv<'a>, DecodeError> {
    let tag = read_tag(cur)?;
    let t = Tag::Licence(tag);
    let len = read_length(cur).map_err(|e| e.in_tag(t))?;
    let value_offset = cur.position();
    let value = read_value(cur, len).map_err(|e| e.in_tag(t))?;
    Ok(Tlv { tag, value, value_offset })
}

/// Reads items in increasing tag order until the input ends, a byte that cannot start a
/// tag appears, or the item `last` of the known layout has been read. What follows is
/// trailing data, reported by [`Stream::end`] (card-formats.md §2.2: `FF` is a tag, not padding).
pub(crate) fn read_stream(bytes: &[u8], last: u16) -> Result<Stream<'_>, DecodeError> {
    let mut cur = Cursor::new(bytes);
    let mut items: Vec<Tlv<'_>> = Vec::new();
    while let Some(b) = cur.peek_u8() {
        let previous = items.last().map(|t| t.tag);
        if previous.is_some_and(|p| p >= last) || !is_tag_start(b) {
            break;
        }
        let at = cur.position();
        let tlv = read_tlv(&mut cur)?;
        if let Some(p) = previous.filter(|&p| tlv.tag <= p) {
            return Err(DecodeError::new(DecodeErrorKind::TagOutOfOrder { previous: Tag::Licence(p) }, at)
                .in_tag(Tag::Licence(tlv.tag)));
        }
        items.push(tlv);
    }
    Ok(Stream { items, end: cur.position() })
}

/// Appends one item. Values of 128 bytes or more use the `82 hh ll` form, as cards do.
/// Values over 65535 bytes cannot be encoded; the caller's size limits keep far below.
pub(crate) fn put(out: &mut Vec<u8>, tag: u16, value: &[u8]) -> Result<(), EncodeError> {
    let len = u16::try_from(value.len()).map_err(|_| EncodeError::TooLong { tag: Tag::Licence(tag) })?;
    match u8::try_from(tag) {
        Ok(one) => out.push(one),
        Err(_) => out.extend_from_slice(&tag.to_be_bytes()),
    }
    match u8::try_from(value.len()) {
        Ok(short) if value.len() < LICENCE_LONG_LENGTH_FROM => out.push(short),
        _ => {
            out.push(0x82);
            out.extend_from_slice(&len.to_be_bytes());
        }
    }
    out.extend_from_slice(value);
    Ok(())
}

/// Why a record could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("value of tag {tag} is too long")]
    TooLong { tag: Tag },
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: &'static str },
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_all_length_forms() {
        let bytes = [0xC2, 0x00, 0xC3, 0x81, 0x01, 0xAA, 0x01, 0x07, 0x82, 0x00, 0x02, 1, 2];
        let s = read_stream(&bytes, 0x0107).unwrap();
        assert_eq!(s.items.len(), 3);
        assert_eq!(s.items[1], Tlv { tag: 0xC3, value: &[0xAA], value_offset: 5 });
        assert_eq!(s.items[2], Tlv { tag: 0x0107, value: &[1, 2], value_offset: 11 });
        assert_eq!(s.end, bytes.len());
    }

    #[test]
    fn stops_at_last_known_tag_and_at_non_tags() {
        let bytes = [0xC2, 0x00, 0x01, 0x07, 0x00, 0xFF, 0xFF];
        assert_eq!(read_stream(&bytes, 0x0107).unwrap().end, 5);
        let bytes = [0xC2, 0x00, 0x00, 0x00];
        assert_eq!(read_stream(&bytes, 0x0107).unwrap().end, 2);
    }

    #[test]
    fn errors_name_tag_and_offset() {
        let bytes = [0xC2, 0x00, 0xC4, 0x05, 0x21];
        assert_eq!(
            read_stream(&bytes, 0x0107),
            Err(DecodeError {
                kind: DecodeErrorKind::LengthPastEnd { length: 5, available: 1 },
                offset: 4,
                tag: Some(Tag::Licence(0xC4)),
            })
        );
        let bytes = [0xC4, 0x83, 0, 0, 1];
        assert_eq!(
            read_stream(&bytes, 0x0107),
            Err(DecodeError {
                kind: DecodeErrorKind::BadLength { first_byte: 0x83 },
                offset: 1,
                tag: Some(Tag::Licence(0xC4)),
            })
        );
        let bytes = [0xC4, 0x00, 0xC3, 0x00];
        assert_eq!(
            read_stream(&bytes, 0x0107),
            Err(DecodeError {
                kind: DecodeErrorKind::TagOutOfOrder { previous: Tag::Licence(0xC4) },
                offset: 2,
                tag: Some(Tag::Licence(0xC3)),
            })
        );
        assert_eq!(read_stream(&[0x01], 0x0107), Err(DecodeError::new(DecodeErrorKind::Truncated { needed: 1 }, 1)));
    }

    #[test]
    fn writes_long_form_from_128() {
        let mut out = Vec::new();
        put(&mut out, 0xC6, &[0x21; 127]).unwrap();
        assert_eq!(&out[..2], &[0xC6, 0x7F]);
        let mut out = Vec::new();
        put(&mut out, 0x0107, &[0; 130]).unwrap();
        assert_eq!(&out[..5], &[0x01, 0x07, 0x82, 0x00, 0x82]);
    }

    fn tag_strategy() -> impl Strategy<Value = u16> {
        prop_oneof![(0xC1u16..=0xFF), (0x0100u16..=0x010D)]
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(
            mut items in proptest::collection::btree_map(tag_strategy(), proptest::collection::vec(any::<u8>(), 0..300), 0..20)
        ) {
            items.retain(|&t, _| t <= 0x0107);
            let mut out = Vec::new();
            for (t, v) in &items { put(&mut out, *t, v).unwrap(); }
            let s = read_stream(&out, 0x0107).unwrap();
            prop_assert_eq!(s.end, out.len());
            let back: Vec<(u16, Vec<u8>)> = s.items.iter().map(|t| (t.tag, t.value.to_vec())).collect();
            let want: Vec<(u16, Vec<u8>)> = items.into_iter().collect();
            prop_assert_eq!(back, want);
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            if let Ok(s) = read_stream(&bytes, 0x0107) {
                prop_assert!(s.end <= bytes.len());
            }
        }
    }
}
