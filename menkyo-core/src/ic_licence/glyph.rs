//! 外字 (external character) glyphs: DF1/EF03 for markers `FFF1`, `FFF2` and DF1/EF05
//! 記載事項変更(外字) for `FFF3`–`FFF7`. Not signed.
//!
//! ```text
//! EF03  48 82 00 80 <glyph of FFF1>   49 82 00 80 <glyph of FFF2>            264 bytes
//! EF05  A0 01 <flag>   A1 .. A5 82 00 80 <glyph of FFF3 .. FFF7>             663 bytes
//! glyph 128 bytes: 32 x 32 dots, 1 bit a dot, rows top to bottom, 4 bytes a row,
//!       most significant bit leftmost   [P: the format is not public]
//! ```
//!
//! [P] A glyph item with an empty value means "no glyph"; any other length than 128 is an
//! error. Show a marker as 〓 or as its glyph, never drop it.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::ic_licence::tlv::{Item, Items, Writer, pad};
use crate::profile::{IC_CHANGE_GLYPHS_SIZE, IC_GLYPH_LEN, IC_GLYPH_SIDE, IC_GLYPHS_SIZE};
use crate::tlv::{EncodeError, RawItem};

/// EF03 tags for 外字 1, 2.
const EF03_TAGS: [u8; 2] = [0x48, 0x49];
/// EF05 flag tag.
const TAG_CHANGE_FLAG: u8 = 0xA0;
/// EF05 tags for 外字 3–7.
const EF05_TAGS: [u8; 5] = [0xA1, 0xA2, 0xA3, 0xA4, 0xA5];
/// First slot whose glyph is in EF05.
const EF05_FIRST_SLOT: u8 = 3;
/// Bytes per glyph row.
const ROW_BYTES: usize = IC_GLYPH_SIDE / 8;

/// One 32 × 32 glyph, as read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Glyph([u8; IC_GLYPH_LEN]);

impl Glyph {
    pub fn new(bits: [u8; IC_GLYPH_LEN]) -> Self {
        Self(bits)
    }

    pub fn as_bytes(&self) -> &[u8; IC_GLYPH_LEN] {
        &self.0
    }

    /// Whether the dot at column `x`, row `y` (0–31, from the top left) is set; `false`
    /// outside the glyph.
    pub fn dot(&self, x: usize, y: usize) -> bool {
        if x >= IC_GLYPH_SIDE {
            return false;
        }
        let at = y.checked_mul(ROW_BYTES).and_then(|r| r.checked_add(x / 8));
        let bit = 7usize.saturating_sub(x % 8);
        at.and_then(|at| self.0.get(at)).is_some_and(|b| (b >> bit) & 1 == 1)
    }
}

/// DF1/EF03 外字: glyphs of markers `FFF1` and `FFF2`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Glyphs {
    /// Glyphs of 外字 1 and 2 (tags 48, 49).
    pub glyphs: [Option<Glyph>; 2],
    /// Items with tags outside the layout, kept as read.
    pub unknown: Vec<RawItem>,
}

impl Glyphs {
    /// Decodes DF1/EF03 as read (at most 264 bytes, padding included).
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        let items = Items::read(raw, IC_GLYPHS_SIZE)?;
        let mut out = Glyphs { unknown: items.unknown(is_glyphs_tag), ..Glyphs::default() };
        for (slot, tag) in out.glyphs.iter_mut().zip(EF03_TAGS) {
            *slot = items.get(tag).as_ref().map(decode_glyph).transpose()?.flatten();
        }
        Ok(out)
    }

    /// The glyph of 外字 `slot` (1 or 2).
    pub fn glyph(&self, slot: u8) -> Option<&Glyph> {
        let i = usize::from(slot.checked_sub(1)?);
        self.glyphs.get(i)?.as_ref()
    }

    /// The EF as a card holds it (absent glyphs are left out), padded to 264 bytes.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut w = Writer::new("DF1/EF03", IC_GLYPHS_SIZE);
        for (glyph, tag) in self.glyphs.iter().zip(EF03_TAGS) {
            if let Some(g) = glyph {
                w.put(tag, g.as_bytes())?;
            }
        }
        for item in &self.unknown {
            w.put_unknown(item, is_glyphs_tag)?;
        }
        pad(w.finish(IC_GLYPHS_SIZE)?, IC_GLYPHS_SIZE, "DF1/EF03")
    }
}

/// DF1/EF05 記載事項変更(外字): glyphs of markers `FFF3`–`FFF7` used by changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangeGlyphs {
    /// Tag A0: whether glyphs were added, raw.
    pub flag: Option<u8>,
    /// Glyphs of 外字 3–7 (tags A1–A5).
    pub glyphs: [Option<Glyph>; 5],
    /// Items with tags outside the layout, kept as read.
    pub unknown: Vec<RawItem>,
}

impl ChangeGlyphs {
    /// Decodes DF1/EF05 as read (at most 663 bytes, padding included).
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        let items = Items::read(raw, IC_CHANGE_GLYPHS_SIZE)?;
        let mut out = ChangeGlyphs { unknown: items.unknown(is_change_glyphs_tag), ..ChangeGlyphs::default() };
        out.flag = items.get(TAG_CHANGE_FLAG).as_ref().map(Item::byte).transpose()?.flatten();
        for (slot, tag) in out.glyphs.iter_mut().zip(EF05_TAGS) {
            *slot = items.get(tag).as_ref().map(decode_glyph).transpose()?.flatten();
        }
        Ok(out)
    }

    /// The glyph of 外字 `slot` (3–7).
    pub fn glyph(&self, slot: u8) -> Option<&Glyph> {
        let i = usize::from(slot.checked_sub(EF05_FIRST_SLOT)?);
        self.glyphs.get(i)?.as_ref()
    }

    /// The EF as a card holds it (absent items are left out), padded to 663 bytes.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut w = Writer::new("DF1/EF05", IC_CHANGE_GLYPHS_SIZE);
        if let Some(flag) = self.flag {
            w.put(TAG_CHANGE_FLAG, &[flag])?;
        }
        for (glyph, tag) in self.glyphs.iter().zip(EF05_TAGS) {
            if let Some(g) = glyph {
                w.put(tag, g.as_bytes())?;
            }
        }
        for item in &self.unknown {
            w.put_unknown(item, is_change_glyphs_tag)?;
        }
        pad(w.finish(IC_CHANGE_GLYPHS_SIZE)?, IC_CHANGE_GLYPHS_SIZE, "DF1/EF05")
    }
}

fn is_glyphs_tag(tag: u8) -> bool {
    EF03_TAGS.contains(&tag)
}

fn is_change_glyphs_tag(tag: u8) -> bool {
    tag == TAG_CHANGE_FLAG || EF05_TAGS.contains(&tag)
}

/// A glyph item: empty (no glyph) or 128 bytes.
fn decode_glyph(item: &Item<'_>) -> Result<Option<Glyph>, DecodeError> {
    if item.value.is_empty() {
        return Ok(None);
    }
    <[u8; IC_GLYPH_LEN]>::try_from(item.value)
        .map(|b| Some(Glyph(b)))
        .map_err(|_| item.error(DecodeErrorKind::WrongLength { expected: IC_GLYPH_LEN, actual: item.value.len() }, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Tag;
    use proptest::prelude::*;

    fn glyph(seed: u8) -> Glyph {
        let mut b = [0u8; IC_GLYPH_LEN];
        for (i, x) in b.iter_mut().enumerate() {
            *x = seed.wrapping_add(u8::try_from(i).unwrap());
        }
        Glyph::new(b)
    }

    #[test]
    fn ef03_fills_264_bytes_with_two_glyphs() {
        let g = Glyphs { glyphs: [Some(glyph(1)), Some(glyph(2))], unknown: vec![] };
        let raw = g.encode().unwrap();
        assert_eq!(raw.len(), 264);
        assert_eq!(&raw[..4], &[0x48, 0x82, 0x00, 0x80]);
        assert_eq!(&raw[132..136], &[0x49, 0x82, 0x00, 0x80]);
        let back = Glyphs::decode(&raw).unwrap();
        assert_eq!(back, g);
        assert_eq!(back.glyph(1), Some(&glyph(1)));
        assert_eq!(back.glyph(2), Some(&glyph(2)));
        assert_eq!(back.glyph(0), None);
        assert_eq!(back.glyph(3), None);
        // One glyph, then padding; an empty value is no glyph.
        let one =
            Glyphs::decode(&Glyphs { glyphs: [None, Some(glyph(2))], unknown: vec![] }.encode().unwrap()).unwrap();
        assert_eq!(one.glyph(1), None);
        assert_eq!(Glyphs::decode(&[0x48, 0x00, 0xFF]).unwrap().glyph(1), None);
    }

    #[test]
    fn ef05_fills_663_bytes_with_flag_and_five_glyphs() {
        let g = ChangeGlyphs {
            flag: Some(1),
            glyphs: [Some(glyph(3)), Some(glyph(4)), Some(glyph(5)), Some(glyph(6)), Some(glyph(7))],
            unknown: vec![],
        };
        let raw = g.encode().unwrap();
        assert_eq!(raw.len(), 663);
        assert_eq!(&raw[..7], &[0xA0, 0x01, 0x01, 0xA1, 0x82, 0x00, 0x80]);
        assert_eq!(raw[663 - 132], 0xA5);
        let back = ChangeGlyphs::decode(&raw).unwrap();
        assert_eq!(back, g);
        assert_eq!(back.glyph(7), Some(&glyph(7)));
        assert_eq!(back.glyph(3), Some(&glyph(3)));
        assert_eq!(back.glyph(2), None);
        assert_eq!(back.glyph(8), None);
    }

    #[test]
    fn errors_name_tag_and_offset() {
        let mut raw = vec![0x48, 0x7F];
        raw.extend_from_slice(&[0; 127]);
        assert_eq!(
            Glyphs::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::WrongLength { expected: 128, actual: 127 },
                offset: 2,
                tag: Some(Tag::IcLicence(0x48))
            })
        );
        assert_eq!(
            ChangeGlyphs::decode(&[0xA0, 0x02, 0, 0]),
            Err(DecodeError {
                kind: DecodeErrorKind::WrongLength { expected: 1, actual: 2 },
                offset: 2,
                tag: Some(Tag::IcLicence(0xA0))
            })
        );
        assert_eq!(
            ChangeGlyphs::decode(&[0xA1, 0x82, 0x00, 0x80, 0]),
            Err(DecodeError {
                kind: DecodeErrorKind::LengthPastEnd { length: 128, available: 1 },
                offset: 4,
                tag: Some(Tag::IcLicence(0xA1))
            })
        );
        assert_eq!(
            Glyphs::decode(&[0xFF; 265]),
            Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: 264, actual: 265 }, 0))
        );
    }

    #[test]
    fn dots_are_msb_first_rows_top_down() {
        let mut b = [0u8; IC_GLYPH_LEN];
        b[0] = 0x80; // (0, 0)
        b[5] = 0x01; // row 1, byte 1, last bit: (15, 1)
        b[127] = 0x01; // (31, 31)
        let g = Glyph::new(b);
        assert!(g.dot(0, 0));
        assert!(!g.dot(1, 0));
        assert!(g.dot(15, 1));
        assert!(g.dot(31, 31));
        assert!(!g.dot(32, 0));
        assert!(!g.dot(0, 32));
        assert!(!g.dot(usize::MAX, usize::MAX));
    }

    fn glyph_strategy() -> impl Strategy<Value = Option<Glyph>> {
        proptest::option::of(proptest::array::uniform32(any::<u8>()).prop_map(|a| {
            let mut b = [0u8; IC_GLYPH_LEN];
            for (i, x) in b.iter_mut().enumerate() {
                *x = a[i % 32];
            }
            Glyph::new(b)
        }))
    }

    proptest! {
        #[test]
        fn round_trip(
            g03 in proptest::array::uniform2(glyph_strategy()),
            flag in proptest::option::of(any::<u8>()),
            g05 in proptest::array::uniform5(glyph_strategy()),
        ) {
            let ef03 = Glyphs { glyphs: g03, unknown: vec![] };
            prop_assert_eq!(Glyphs::decode(&ef03.encode().unwrap()), Ok(ef03));
            let ef05 = ChangeGlyphs { flag, glyphs: g05, unknown: vec![] };
            prop_assert_eq!(ChangeGlyphs::decode(&ef05.encode().unwrap()), Ok(ef05));
        }

        #[test]
        fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = Glyphs::decode(&raw);
            let _ = ChangeGlyphs::decode(&raw);
        }
    }
}
