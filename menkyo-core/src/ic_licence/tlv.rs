//! The IC licence's TLV framing (ic-licence.md §2, §4, §9). Not BER, not the licence AP's.
//!
//! ```text
//! tag     00..FE        one byte; the meaning depends on the EF
//! length  00..7F        one byte
//!         81 ll         one byte follows ([P], never written by our encoders)
//!         82 hh ll      two bytes follow (written for every value >= 128)
//! FF                    where a tag is expected: padding to the end of the EF
//! ```
//!
//! Items are read by tag, in any order: a tag may be missing (older cards lack newer tags),
//! a tag that appears twice is an error [P].

use crate::cursor::Cursor;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::profile::{IC_LONG_LENGTH_FROM, IC_PADDING};
use crate::tlv::{EncodeError, RawItem, read_length, read_value};

/// Number of distinct one-byte tags.
const TAG_SPACE: usize = 256;

/// One item, borrowed from the record bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item<'a> {
    /// Offset of the tag in the record.
    pub(crate) offset: usize,
    pub(crate) tag: u8,
    pub(crate) value: &'a [u8],
    /// Offset of the value's first byte in the record.
    pub(crate) value_offset: usize,
}

impl Item<'_> {
    pub(crate) fn tag(&self) -> Tag {
        Tag::IcLicence(self.tag)
    }

    /// An error at `within` bytes into the value, tagged with this item.
    pub(crate) fn error(&self, kind: DecodeErrorKind, within: usize) -> DecodeError {
        DecodeError::new(kind, self.value_offset.saturating_add(within)).in_tag(self.tag())
    }

    /// Moves an error found in the value to record offsets and tags it.
    pub(crate) fn locate(&self, e: DecodeError) -> DecodeError {
        e.shifted(self.value_offset).in_tag(self.tag())
    }

    /// The item kept as read, for tags outside the layout.
    pub(crate) fn to_raw(self) -> RawItem {
        RawItem { tag: self.tag(), value: self.value.to_vec() }
    }
}

/// The items of a record and where the padding starts. Nothing is allocated: a table from
/// tag to offset finds an item, whose header is read again when asked for (the records are
/// a few hundred bytes, read once per verification).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Items<'a> {
    /// The record up to the padding.
    tlv: &'a [u8],
    /// For each tag, the offset of its item plus one; 0 when the record lacks it.
    at: [u32; TAG_SPACE],
    /// Offset of the first padding byte (the record length when there is none): the end
    /// of the TLV bytes.
    pub(crate) end: usize,
}

impl<'a> Items<'a> {
    /// Checks the size against the EF size `max`, then reads items up to the padding.
    pub(crate) fn read(raw: &'a [u8], max: usize) -> Result<Self, DecodeError> {
        // Every EF is at most a few kilobytes (`max`); offsets then fit the table's u32.
        if raw.len() > max || u32::try_from(raw.len()).is_err() {
            return Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max, actual: raw.len() }, 0));
        }
        let mut cur = Cursor::new(raw);
        let mut at = [0u32; TAG_SPACE];
        while let Some(b) = cur.peek_u8() {
            if b == IC_PADDING {
                break;
            }
            let item = read_item(&mut cur)?;
            // Exact: the record's length fits a u32 (checked above).
            let mark = u32::try_from(item.offset.saturating_add(1)).unwrap_or(u32::MAX);
            match at.get_mut(usize::from(item.tag)) {
                Some(slot) if *slot != 0 => {
                    return Err(DecodeError::new(DecodeErrorKind::DuplicateTag, item.offset).in_tag(item.tag()));
                }
                Some(slot) => *slot = mark,
                None => {}
            }
        }
        let end = cur.position();
        // The padding is most of an EF (the photo's and EF03's tails): AND-ing every byte
        // (FF only if all are FF) runs without a branch per byte; the offset is sought only
        // when something is there.
        let rest = cur.rest();
        const _: () = assert!(IC_PADDING == 0xFF, "the AND below needs padding of all ones");
        let all_padding = rest.iter().fold(IC_PADDING, |acc, &b| acc & b) == IC_PADDING;
        if let Some(pos) = (!all_padding).then(|| rest.iter().position(|&b| b != IC_PADDING)).flatten() {
            let count = cur.remaining().saturating_sub(pos);
            return Err(DecodeError::new(DecodeErrorKind::TrailingBytes { count }, end.saturating_add(pos)));
        }
        Ok(Self { tlv: raw.get(..end).unwrap_or_default(), at, end })
    }

    /// The items in the order of the record.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Item<'a>> + use<'a> {
        let mut cur = Cursor::new(self.tlv);
        // Every header was read once by `read`: none fails here.
        std::iter::from_fn(move || if cur.is_empty() { None } else { read_item(&mut cur).ok() })
    }

    /// The item with `tag`, if the card has it.
    pub(crate) fn get(&self, tag: u8) -> Option<Item<'a>> {
        let offset = usize::try_from(*self.at.get(usize::from(tag))?).ok()?.checked_sub(1)?;
        // `read` read this header once already: it reads again the same way.
        let mut cur = Cursor::new(self.tlv);
        cur.read_bytes(offset).ok()?;
        read_item(&mut cur).ok()
    }

    /// The item with `tag`, or `MissingItem` at the end of the TLV bytes.
    pub(crate) fn require(&self, tag: u8) -> Result<Item<'a>, DecodeError> {
        self.get(tag)
            .ok_or_else(|| DecodeError::new(DecodeErrorKind::MissingItem { expected: Tag::IcLicence(tag) }, self.end))
    }

    /// Items whose tag `known` does not recognise, kept as read.
    pub(crate) fn unknown(&self, known: impl Fn(u8) -> bool) -> Vec<RawItem> {
        self.iter().filter(|i| !known(i.tag)).map(Item::to_raw).collect()
    }
}

fn read_item<'a>(cur: &mut Cursor<'a>) -> Result<Item<'a>, DecodeError> {
    let offset = cur.position();
    let tag = cur.read_u8()?;
    let t = Tag::IcLicence(tag);
    let len = read_length(cur).map_err(|e| e.in_tag(t))?;
    let value_offset = cur.position();
    let value = read_value(cur, len).map_err(|e| e.in_tag(t))?;
    Ok(Item { offset, tag, value, value_offset })
}

/// Writes items, refusing the padding byte as a tag and a tag written twice, so that what
/// it writes decodes.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    out: Vec<u8>,
    seen: [bool; TAG_SPACE],
    /// The EF the record is for, named in errors.
    file: &'static str,
}

impl Writer {
    pub(crate) fn new(file: &'static str, capacity: usize) -> Self {
        Self { out: Vec::with_capacity(capacity), seen: [false; TAG_SPACE], file }
    }

    /// Appends one item: one-byte length below 128, `82 hh ll` from 128.
    pub(crate) fn put(&mut self, tag: u8, value: &[u8]) -> Result<(), EncodeError> {
        let t = Tag::IcLicence(tag);
        if tag == IC_PADDING {
            return Err(EncodeError::Invalid { field: self.file, reason: "tag FF is padding" });
        }
        match self.seen.get_mut(usize::from(tag)) {
            Some(s) if *s => return Err(EncodeError::Invalid { field: self.file, reason: "a tag is written twice" }),
            Some(s) => *s = true,
            None => {}
        }
        let long = u16::try_from(value.len()).map_err(|_| EncodeError::TooLong { tag: t })?;
        self.out.push(tag);
        match u8::try_from(value.len()) {
            Ok(short) if value.len() < IC_LONG_LENGTH_FROM => self.out.push(short),
            _ => {
                self.out.push(0x82);
                self.out.extend_from_slice(&long.to_be_bytes());
            }
        }
        self.out.extend_from_slice(value);
        Ok(())
    }

    /// Appends an item kept as read. Its tag must be an IC licence tag outside the layout
    /// (`known`), else it would decode as something else.
    pub(crate) fn put_unknown(&mut self, item: &RawItem, known: impl Fn(u8) -> bool) -> Result<(), EncodeError> {
        match item.tag {
            Tag::IcLicence(tag) if known(tag) => {
                Err(EncodeError::Invalid { field: self.file, reason: "an unknown item has a tag of the layout" })
            }
            Tag::IcLicence(tag) => self.put(tag, &item.value),
            Tag::Licence(_) | Tag::Ber(_) => {
                Err(EncodeError::Invalid { field: self.file, reason: "an unknown item has a tag of another encoding" })
            }
        }
    }

    /// The TLV bytes, refused when they do not fit the EF of `size` bytes.
    pub(crate) fn finish(self, size: usize) -> Result<Vec<u8>, EncodeError> {
        if self.out.len() > size {
            return Err(EncodeError::Invalid { field: self.file, reason: "record larger than its EF" });
        }
        Ok(self.out)
    }
}

/// The EF as a card holds it: the record, then `FF` up to `size` bytes.
pub(crate) fn pad(mut tlv: Vec<u8>, size: usize, file: &'static str) -> Result<Vec<u8>, EncodeError> {
    if tlv.len() > size {
        return Err(EncodeError::Invalid { field: file, reason: "record larger than its EF" });
    }
    tlv.resize(size, IC_PADDING);
    Ok(tlv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_all_length_forms_and_stops_at_padding() {
        let raw = [0x12, 0x00, 0x13, 0x81, 0x01, 0xAA, 0x17, 0x82, 0x00, 0x02, 1, 2, 0xFF, 0xFF];
        let items = Items::read(&raw, 20).unwrap();
        assert_eq!(
            items.iter().collect::<Vec<_>>(),
            vec![
                Item { offset: 0, tag: 0x12, value: &[], value_offset: 2 },
                Item { offset: 2, tag: 0x13, value: &[0xAA], value_offset: 5 },
                Item { offset: 6, tag: 0x17, value: &[1, 2], value_offset: 10 },
            ]
        );
        assert_eq!(items.end, 12);
        for empty in [&[0xFF; 4][..], &[]] {
            let items = Items::read(empty, 4).unwrap();
            assert_eq!((items.iter().count(), items.end), (0, 0));
            assert_eq!(items.get(0x12), None);
        }
    }

    #[test]
    fn reads_by_tag_in_any_order() {
        let raw = [0x1B, 0x01, 0x31, 0x12, 0x01, 0x32];
        let items = Items::read(&raw, 6).unwrap();
        assert_eq!(items.get(0x12).map(|i| i.value), Some(&[0x32u8][..]));
        assert_eq!(items.get(0x13), None);
        assert_eq!(
            items.require(0x13),
            Err(DecodeError::new(DecodeErrorKind::MissingItem { expected: Tag::IcLicence(0x13) }, 6))
        );
    }

    #[test]
    fn errors_name_tag_and_offset() {
        assert_eq!(
            Items::read(&[0x12, 0x00, 0x12, 0x00], 10),
            Err(DecodeError { kind: DecodeErrorKind::DuplicateTag, offset: 2, tag: Some(Tag::IcLicence(0x12)) })
        );
        assert_eq!(
            Items::read(&[0x12, 0x05, 0x21, 0x21], 10),
            Err(DecodeError {
                kind: DecodeErrorKind::LengthPastEnd { length: 5, available: 2 },
                offset: 2,
                tag: Some(Tag::IcLicence(0x12))
            })
        );
        assert_eq!(
            Items::read(&[0x12, 0x83, 0, 0, 1], 10),
            Err(DecodeError {
                kind: DecodeErrorKind::BadLength { first_byte: 0x83 },
                offset: 1,
                tag: Some(Tag::IcLicence(0x12))
            })
        );
        assert_eq!(
            Items::read(&[0x12, 0x82, 0x01], 10),
            Err(DecodeError {
                kind: DecodeErrorKind::Truncated { needed: 1 },
                offset: 2,
                tag: Some(Tag::IcLicence(0x12))
            })
        );
        assert_eq!(
            Items::read(&[0x12], 10),
            Err(DecodeError {
                kind: DecodeErrorKind::Truncated { needed: 1 },
                offset: 1,
                tag: Some(Tag::IcLicence(0x12))
            })
        );
        assert_eq!(
            Items::read(&[0x12, 0x00, 0xFF, 0xFF, 0x00, 0xFF], 10),
            Err(DecodeError::new(DecodeErrorKind::TrailingBytes { count: 2 }, 4))
        );
        assert_eq!(
            Items::read(&[0xFF; 11], 10),
            Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: 10, actual: 11 }, 0))
        );
    }

    #[test]
    fn writes_short_and_82_forms_and_refuses_what_would_not_decode() {
        let mut w = Writer::new("test", 0);
        w.put(0x48, &[0; 127]).unwrap();
        w.put(0x49, &[0; 128]).unwrap();
        let out = w.finish(1000).unwrap();
        assert_eq!(&out[..2], &[0x48, 0x7F]);
        assert_eq!(&out[129..133], &[0x49, 0x82, 0x00, 0x80]);
        let mut w = Writer::new("test", 0);
        assert_eq!(w.put(0xFF, &[]), Err(EncodeError::Invalid { field: "test", reason: "tag FF is padding" }));
        w.put(0x12, &[]).unwrap();
        assert_eq!(w.put(0x12, &[]), Err(EncodeError::Invalid { field: "test", reason: "a tag is written twice" }));
        assert_eq!(
            w.put_unknown(&RawItem { tag: Tag::IcLicence(0x13), value: vec![] }, |t| t == 0x13),
            Err(EncodeError::Invalid { field: "test", reason: "an unknown item has a tag of the layout" })
        );
        assert_eq!(
            w.put_unknown(&RawItem { tag: Tag::Licence(0xC1), value: vec![] }, |_| false),
            Err(EncodeError::Invalid { field: "test", reason: "an unknown item has a tag of another encoding" })
        );
        assert_eq!(w.put(0x13, &vec![0; 65536]), Err(EncodeError::TooLong { tag: Tag::IcLicence(0x13) }));
        assert_eq!(w.finish(1), Err(EncodeError::Invalid { field: "test", reason: "record larger than its EF" }));
        assert_eq!(pad(vec![1, 2], 4, "test"), Ok(vec![1, 2, 0xFF, 0xFF]));
        assert_eq!(
            pad(vec![1, 2], 1, "test"),
            Err(EncodeError::Invalid { field: "test", reason: "record larger than its EF" })
        );
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(
            items in proptest::collection::btree_map(0u8..0xFF, proptest::collection::vec(any::<u8>(), 0..300), 0..12),
            padding in 0usize..40,
        ) {
            let mut w = Writer::new("test", 0);
            for (t, v) in &items { w.put(*t, v).unwrap(); }
            let tlv = w.finish(usize::MAX).unwrap();
            let size = tlv.len() + padding;
            let raw = pad(tlv.clone(), size, "test").unwrap();
            let read = Items::read(&raw, size).unwrap();
            prop_assert_eq!(read.end, tlv.len());
            let back: Vec<(u8, Vec<u8>)> = read.iter().map(|i| (i.tag, i.value.to_vec())).collect();
            // Found by tag, every item is the one met in order.
            for item in read.iter() {
                prop_assert_eq!(read.get(item.tag), Some(item));
            }
            for tag in 0u8..0xFF {
                prop_assert_eq!(read.get(tag).is_some(), items.contains_key(&tag));
            }
            let want: Vec<(u8, Vec<u8>)> = items.into_iter().collect();
            prop_assert_eq!(back, want);
        }

        #[test]
        fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Ok(read) = Items::read(&raw, 300) {
                prop_assert!(read.end <= raw.len());
            }
        }
    }
}
