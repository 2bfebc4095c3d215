//! EF 0005: AP information (`FF40`), readable without a credential.
//!
//! ```text
//! FF40 { DFxx ... }   primitive items; their meaning is not public, so they are kept as read
//! ```

use crate::ber;
use crate::cursor::Cursor;
use crate::error::{DecodeError, Tag};
use crate::kenhojo::record::Outer;
use crate::profile::{EF0005_MAX, EF0005_PHYSICAL_SIZE, KENHOJO_FILLER};
use crate::tlv::{EncodeError, RawItem};

const TAG_RECORD: u32 = 0xFF40;

/// EF 0005 as decoded: its items in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApInfo {
    pub items: Vec<RawItem>,
    pub trailing: usize,
}

impl ApInfo {
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        let outer = Outer::read(raw, TAG_RECORD, EF0005_MAX)?;
        let base = outer.tlv.value_offset;
        let mut cur = Cursor::new(outer.tlv.value);
        let mut items = Vec::new();
        while !cur.is_empty() {
            let t = ber::read_tlv(&mut cur).map_err(|e| e.shifted(base).in_tag(Tag::Ber(TAG_RECORD)))?;
            items.push(RawItem { tag: Tag::Ber(t.tag), value: t.value.to_vec() });
        }
        Ok(Self { items, trailing: outer.trailing })
    }

    /// Encodes BER items (`tag`, value) under FF40, padded to the physical size.
    pub fn encode(items: &[(u32, &[u8])]) -> Result<Vec<u8>, EncodeError> {
        let mut content = Vec::new();
        for (tag, value) in items {
            ber::put(&mut content, *tag, value)?;
        }
        Ok(ber::pad_to(ber::tlv(TAG_RECORD, &content)?, EF0005_PHYSICAL_SIZE, KENHOJO_FILLER))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let raw = ApInfo::encode(&[(0xDF41, b"01"), (0xDF42, &[0x00, 0x01])]).unwrap();
        assert_eq!(raw.len(), EF0005_PHYSICAL_SIZE);
        let info = ApInfo::decode(&raw).unwrap();
        assert_eq!(
            info.items,
            vec![
                RawItem { tag: Tag::Ber(0xDF41), value: b"01".to_vec() },
                RawItem { tag: Tag::Ber(0xDF42), value: vec![0, 1] },
            ]
        );
    }
}
