//! Framing shared by the card-surface records: one outer TLV, then filler.

use crate::ber::{self, BerTlv};
use crate::cursor::Cursor;
use crate::error::{DecodeError, DecodeErrorKind, Tag};

/// The outer TLV of a record and what follows it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outer<'a> {
    pub(crate) tlv: BerTlv<'a>,
    /// Bytes after the record (filler on a real card).
    pub(crate) trailing: usize,
}

impl<'a> Outer<'a> {
    /// Checks the size and reads the outer TLV carrying `tag`.
    pub(crate) fn read(raw: &'a [u8], tag: u32, max: usize) -> Result<Self, DecodeError> {
        if raw.len() > max {
            return Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max, actual: raw.len() }, 0));
        }
        let mut cur = Cursor::new(raw);
        let tlv = ber::expect(&mut cur, tag)?;
        Ok(Self { tlv, trailing: cur.remaining() })
    }

    /// A cursor over the outer value; `Inner` shifts offsets back to the record.
    pub(crate) fn inner(&self) -> Inner<'a> {
        Inner { cur: Cursor::new(self.tlv.value), base: self.tlv.value_offset, outer: self.tlv.tag }
    }
}

/// Reads the items inside an outer TLV with offsets relative to the whole record.
#[derive(Debug, Clone)]
pub(crate) struct Inner<'a> {
    cur: Cursor<'a>,
    base: usize,
    outer: u32,
}

impl<'a> Inner<'a> {
    /// The next item, which must carry `tag`; offsets in the result are record offsets.
    pub(crate) fn expect(&mut self, tag: u32) -> Result<BerTlv<'a>, DecodeError> {
        let mut t = ber::expect(&mut self.cur, tag).map_err(|e| self.locate(e))?;
        t.offset = t.offset.saturating_add(self.base);
        t.value_offset = t.value_offset.saturating_add(self.base);
        Ok(t)
    }

    /// Fails when bytes are left inside the outer value.
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        self.cur.finish().map_err(|e| self.locate(e))
    }

    fn locate(&self, e: DecodeError) -> DecodeError {
        e.shifted(self.base).in_tag(Tag::Ber(self.outer))
    }
}
