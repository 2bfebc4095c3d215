//! JIS X 0208 text of the licence AP and the IC licence, with 外字 (gaiji) and 欠字 markers.
//!
//! ```text
//! two bytes per character, each 0x21-0x7E (row, cell); no escape sequences
//! FF F1 .. FF F5   external character 1-5: glyph bitmap in tag CA, CB, D4, D5, D6 (licence AP)
//! FF F1 .. FF F7   external character 1-7: glyph in DF1/EF03 48, 49, EF05 A1-A5 (IC licence)
//! FF FA            missing character (欠字)
//! 21 21            full-width space; trailing ones are padding
//! ```
//!
//! How many external-character slots a text may use depends on the card: [`JisText::decode`]
//! is the licence AP (five), [`JisText::decode_with_gaiji_slots`] takes the number.

use core::fmt;

use crate::error::{DecodeError, DecodeErrorKind};

/// Shown in place of a character that has no Unicode form (gaiji, 欠字): 〓 (geta mark).
pub const PLACEHOLDER: char = '〓';

const GAIJI_FIRST: u8 = 0xF1;
/// External-character slots of the licence AP: `FFF1`–`FFF5` (card-formats.md §2.3).
const LICENCE_AP_GAIJI_SLOTS: u8 = 5;
/// Most slots a marker can name: `FFF9`; `FFFA` is 欠字.
const GAIJI_SLOTS_LIMIT: u8 = 9;
const MISSING_MARK: u8 = 0xFA;
const MARKER_LEAD: u8 = 0xFF;
const FULL_WIDTH_SPACE: [u8; 2] = [0x21, 0x21];

/// One character position of a JIS text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JisChar {
    /// A JIS X 0208 character.
    Char(char),
    /// External character 1–5 (licence AP: glyph in the WEF02 item of that slot) or 1–7
    /// (IC licence: glyph in DF1/EF03 or EF05).
    Gaiji { slot: u8 },
    /// 欠字: a character the issuing system could not record.
    Missing,
}

impl JisChar {
    fn render(self) -> char {
        match self {
            JisChar::Char(c) => c,
            JisChar::Gaiji { .. } | JisChar::Missing => PLACEHOLDER,
        }
    }
}

/// Texts up to this many bytes (15 characters) are kept inside the value: most names,
/// conditions, colour classes and authorities are, so decoding them allocates nothing.
const INLINE: usize = 30;

/// The bytes of a text: inline when short, else on the heap.
#[derive(Clone)]
enum Bytes {
    Inline { len: u8, buf: [u8; INLINE] },
    Heap(Box<[u8]>),
}

impl Bytes {
    fn new(bytes: &[u8]) -> Self {
        let mut buf = [0u8; INLINE];
        match (u8::try_from(bytes.len()), buf.get_mut(..bytes.len())) {
            (Ok(len), Some(head)) => {
                head.copy_from_slice(bytes);
                Bytes::Inline { len, buf }
            }
            _ => Bytes::Heap(bytes.into()),
        }
    }

    fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Inline { len, buf } => buf.get(..usize::from(*len)).unwrap_or_default(),
            Bytes::Heap(b) => b,
        }
    }
}

impl Default for Bytes {
    fn default() -> Self {
        Bytes::Inline { len: 0, buf: [0; INLINE] }
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Bytes {}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt(f)
    }
}

/// JIS X 0208 text, checked when decoded and kept as the bytes it came from: characters are
/// looked up when asked for (one table lookup each), so a decoded text is at most one
/// allocation (none when short).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JisText {
    raw: Bytes,
    /// Length of `raw` without the trailing full-width-space padding (even).
    content: usize,
}

impl JisText {
    /// Decodes two-byte JIS X 0208 codes of the licence AP (markers `FFF1`–`FFF5`).
    /// Offsets in errors are relative to `raw`.
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        JisText::decode_with_gaiji_slots(raw, LICENCE_AP_GAIJI_SLOTS)
    }

    /// Decodes two-byte JIS X 0208 codes accepting external-character markers `FFF1` up to
    /// slot `gaiji_slots` (at most 9: `FFFA` is 欠字). Offsets in errors are relative to `raw`.
    pub fn decode_with_gaiji_slots(raw: &[u8], gaiji_slots: u8) -> Result<Self, DecodeError> {
        let gaiji_slots = gaiji_slots.min(GAIJI_SLOTS_LIMIT);
        let (pairs, rest) = raw.as_chunks::<2>();
        if !rest.is_empty() {
            return Err(DecodeError::new(DecodeErrorKind::OddJisLength, raw.len().saturating_sub(1)));
        }
        let mut content = 0;
        for (i, &[hi, lo]) in pairs.iter().enumerate() {
            let offset = i.saturating_mul(2);
            decode_pair(hi, lo, gaiji_slots)
                .map_err(|(kind, within)| DecodeError::new(kind, offset.saturating_add(within)))?;
            if [hi, lo] != FULL_WIDTH_SPACE {
                content = offset.saturating_add(2);
            }
        }
        Ok(Self { raw: Bytes::new(raw), content })
    }

    /// Encodes characters as JIS X 0208 codes of the licence AP (for test vectors and the
    /// simulator). Fails on a character outside JIS X 0208, naming it.
    pub fn encode(chars: &[JisChar]) -> Result<Self, char> {
        JisText::encode_with_gaiji_slots(chars, LICENCE_AP_GAIJI_SLOTS)
    }

    /// Encodes characters allowing external characters 1 to `gaiji_slots` (at most 9).
    /// Fails on a character outside JIS X 0208, naming it, or on another slot (as 〓).
    pub fn encode_with_gaiji_slots(chars: &[JisChar], gaiji_slots: u8) -> Result<Self, char> {
        let gaiji_slots = gaiji_slots.min(GAIJI_SLOTS_LIMIT);
        let mut raw = Vec::with_capacity(chars.len().saturating_mul(2));
        for &c in chars {
            match c {
                JisChar::Char(ch) => raw.extend_from_slice(&encode_char(ch).ok_or(ch)?),
                JisChar::Gaiji { slot } if (1..=gaiji_slots).contains(&slot) => {
                    raw.extend_from_slice(&[MARKER_LEAD, GAIJI_FIRST.saturating_add(slot.saturating_sub(1))]);
                }
                JisChar::Gaiji { .. } => return Err(PLACEHOLDER),
                JisChar::Missing => raw.extend_from_slice(&[MARKER_LEAD, MISSING_MARK]),
            }
        }
        // Re-decoding trims padding exactly as a reader would.
        JisText::decode_with_gaiji_slots(&raw, gaiji_slots).map_err(|_| PLACEHOLDER)
    }

    /// Encodes a string of JIS X 0208 characters.
    pub fn encode_str(s: &str) -> Result<Self, char> {
        let chars: Vec<JisChar> = s.chars().map(JisChar::Char).collect();
        JisText::encode(&chars)
    }

    /// The bytes as read from the card.
    pub fn raw(&self) -> &[u8] {
        self.raw.as_slice()
    }

    /// The characters, without trailing padding.
    pub fn chars(&self) -> impl Iterator<Item = JisChar> + '_ {
        let content = self.raw.as_slice().get(..self.content).unwrap_or_default();
        // Every pair was checked by the decoder; the limit admits every slot it admitted.
        content
            .as_chunks::<2>()
            .0
            .iter()
            .map(|&[hi, lo]| decode_pair(hi, lo, GAIJI_SLOTS_LIMIT).unwrap_or(JisChar::Missing))
    }

    pub fn is_empty(&self) -> bool {
        self.content == 0
    }

    /// The text with gaiji and 欠字 shown as 〓 (what `Display` prints), built without the
    /// formatter: reports render a dozen of these per verification.
    pub fn to_text(&self) -> String {
        // Three UTF-8 bytes for each two-byte code at most.
        let mut s = String::with_capacity(self.content.saturating_mul(3) / 2);
        s.extend(self.chars().map(JisChar::render));
        s
    }

    /// Gaiji slots used by this text, in order of appearance.
    pub fn gaiji_slots(&self) -> impl Iterator<Item = u8> + '_ {
        self.chars().filter_map(|c| match c {
            JisChar::Gaiji { slot } => Some(slot),
            _ => None,
        })
    }
}

impl fmt::Display for JisText {
    /// The text with gaiji and 欠字 shown as 〓.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.chars().try_for_each(|c| fmt::Write::write_char(f, c.render()))
    }
}

fn is_jis_byte(b: u8) -> bool {
    (0x21..=0x7E).contains(&b)
}

/// One character, or the error and the index (0 or 1) of the byte at fault.
/// `gaiji_slots` is at most [`GAIJI_SLOTS_LIMIT`].
fn decode_pair(hi: u8, lo: u8, gaiji_slots: u8) -> Result<JisChar, (DecodeErrorKind, usize)> {
    if hi == MARKER_LEAD {
        let slot = lo.checked_sub(GAIJI_FIRST).and_then(|s| s.checked_add(1));
        return match slot {
            _ if lo == MISSING_MARK => Ok(JisChar::Missing),
            Some(slot) if slot <= gaiji_slots => Ok(JisChar::Gaiji { slot }),
            _ => Err((DecodeErrorKind::BadJis { byte: hi }, 0)),
        };
    }
    for (within, b) in [hi, lo].into_iter().enumerate() {
        if !is_jis_byte(b) {
            return Err((DecodeErrorKind::BadJis { byte: b }, within));
        }
    }
    match jis_table().get(table_index(hi, lo)) {
        Some(&c) if c != UNMAPPED => Ok(JisChar::Char(c)),
        _ => Err((DecodeErrorKind::UnmappedJis { code: u16::from_be_bytes([hi, lo]) }, 0)),
    }
}

/// Rows and cells of JIS X 0208: 0x21-0x7E each.
const JIS_SIDE: usize = 94;
const JIS_CODES: usize = JIS_SIDE * JIS_SIDE;
const UNMAPPED: char = '\0';

/// Where a code (both bytes 0x21-0x7E) sits in [`jis_table`].
fn table_index(hi: u8, lo: u8) -> usize {
    usize::from(hi.wrapping_sub(0x21)).saturating_mul(JIS_SIDE).saturating_add(usize::from(lo.wrapping_sub(0x21)))
}

/// Every JIS X 0208 code's character, as encoding_rs decodes it in EUC-JP (the code with the
/// high bits set), built once: a lookup per character instead of a decoder run.
/// [`UNMAPPED`] where EUC-JP has no single character for the code.
fn jis_table() -> &'static [char] {
    static TABLE: std::sync::OnceLock<Box<[char]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![UNMAPPED; JIS_CODES];
        for hi in 0x21..=0x7Eu8 {
            for lo in 0x21..=0x7Eu8 {
                let euc = [hi | 0x80, lo | 0x80];
                let (text, had_errors) = encoding_rs::EUC_JP.decode_without_bom_handling(&euc);
                let mut it = text.chars();
                if let (false, Some(c), None, Some(slot)) =
                    (had_errors, it.next(), it.next(), table.get_mut(table_index(hi, lo)))
                {
                    *slot = c;
                }
            }
        }
        table.into_boxed_slice()
    })
}

fn encode_char(ch: char) -> Option<[u8; 2]> {
    let mut buf = [0u8; 4];
    let s: &str = ch.encode_utf8(&mut buf);
    let (bytes, _, had_errors) = encoding_rs::EUC_JP.encode(s);
    match (had_errors, bytes.as_ref()) {
        (false, &[hi, lo]) if hi >= 0xA1 && lo >= 0xA1 => Some([hi & 0x7F, lo & 0x7F]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn to_text_is_what_display_prints() {
        let t = JisText::decode(&[0x3B, 0x33, 0xFF, 0xF1, 0xFF, 0xFA, 0x45, 0x44, 0x21, 0x21]).unwrap();
        assert_eq!(t.to_text(), t.to_string());
        assert_eq!(t.to_text(), "山〓〓田");
    }

    #[test]
    fn decodes_yamada() {
        let t = JisText::decode(&[0x3B, 0x33, 0x45, 0x44]).unwrap();
        assert_eq!(t.to_string(), "山田");
        assert_eq!(t.raw(), &[0x3B, 0x33, 0x45, 0x44]);
    }

    #[test]
    fn trims_trailing_full_width_spaces_only() {
        let t = JisText::decode(&[0x21, 0x21, 0x3B, 0x33, 0x21, 0x21, 0x21, 0x21]).unwrap();
        assert_eq!(t.to_string(), "\u{3000}山");
        assert_eq!(t.raw().len(), 8);
        assert!(JisText::decode(&[0x21, 0x21]).unwrap().is_empty());
    }

    #[test]
    fn gaiji_and_missing_markers() {
        let t = JisText::decode(&[0x3B, 0x33, 0xFF, 0xF2, 0xFF, 0xFA]).unwrap();
        assert_eq!(t.chars().collect::<Vec<_>>(), [JisChar::Char('山'), JisChar::Gaiji { slot: 2 }, JisChar::Missing]);
        assert_eq!(t.to_string(), "山〓〓");
        assert_eq!(t.gaiji_slots().collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn rejects_bad_bytes_with_offsets() {
        assert_eq!(JisText::decode(&[0x3B, 0x33, 0x45]), Err(DecodeError::new(DecodeErrorKind::OddJisLength, 2)));
        assert_eq!(
            JisText::decode(&[0x3B, 0x33, 0x45, 0x80]),
            Err(DecodeError::new(DecodeErrorKind::BadJis { byte: 0x80 }, 3))
        );
        assert_eq!(JisText::decode(&[0x7F, 0x21]), Err(DecodeError::new(DecodeErrorKind::BadJis { byte: 0x7F }, 0)));
        assert_eq!(JisText::decode(&[0xFF, 0xF6]), Err(DecodeError::new(DecodeErrorKind::BadJis { byte: 0xFF }, 0)));
        assert_eq!(JisText::decode(&[0xFF, 0xF0]), Err(DecodeError::new(DecodeErrorKind::BadJis { byte: 0xFF }, 0)));
        // Row 0x29 is unassigned in JIS X 0208.
        assert_eq!(
            JisText::decode(&[0x29, 0x21]),
            Err(DecodeError::new(DecodeErrorKind::UnmappedJis { code: 0x2921 }, 0))
        );
    }

    #[test]
    fn gaiji_slots_are_a_parameter() {
        let raw = [0xFF, 0xF1, 0xFF, 0xF5, 0xFF, 0xF6, 0xFF, 0xF7, 0xFF, 0xFA];
        let t = JisText::decode_with_gaiji_slots(&raw, 7).unwrap();
        assert_eq!(t.gaiji_slots().collect::<Vec<_>>(), vec![1, 5, 6, 7]);
        assert_eq!(t.chars().last(), Some(JisChar::Missing));
        assert_eq!(t.to_string(), "〓〓〓〓〓");
        // The licence AP keeps five slots; seven slots stop at FFF7.
        assert_eq!(JisText::decode(&raw), Err(DecodeError::new(DecodeErrorKind::BadJis { byte: 0xFF }, 4)));
        assert_eq!(
            JisText::decode_with_gaiji_slots(&[0x3B, 0x33, 0xFF, 0xF8], 7),
            Err(DecodeError::new(DecodeErrorKind::BadJis { byte: 0xFF }, 2))
        );
        // FFFA stays 欠字 whatever the slot count.
        assert_eq!(
            JisText::decode_with_gaiji_slots(&[0xFF, 0xFA], 200).unwrap().chars().collect::<Vec<_>>(),
            [JisChar::Missing]
        );
        assert_eq!(
            JisText::decode_with_gaiji_slots(&[0xFF, 0xF1], 0).map(|_| ()),
            Err(DecodeError::new(DecodeErrorKind::BadJis { byte: 0xFF }, 0))
        );
        let seven = [JisChar::Gaiji { slot: 7 }];
        assert_eq!(JisText::encode_with_gaiji_slots(&seven, 7).unwrap().raw(), &[0xFF, 0xF7]);
        assert_eq!(JisText::encode(&seven), Err(PLACEHOLDER));
        assert_eq!(JisText::encode_with_gaiji_slots(&[JisChar::Gaiji { slot: 0 }], 7), Err(PLACEHOLDER));
    }

    #[test]
    fn encodes_conditions() {
        let t = JisText::encode_str("眼鏡等").unwrap();
        assert_eq!(JisText::decode(t.raw()).unwrap().to_string(), "眼鏡等");
        assert_eq!(JisText::encode_str("A"), Err('A'));
        assert_eq!(JisText::encode_str("😀"), Err('😀'));
    }

    proptest! {
        #[test]
        fn jis_round_trip(codes in proptest::collection::vec((0x30u8..=0x4F, 0x21u8..=0x7E), 0..40)) {
            let raw: Vec<u8> = codes.iter().flat_map(|&(h, l)| [h, l]).collect();
            if let Ok(t) = JisText::decode(&raw) {
                // Kept as read, short (inline) or long (on the heap).
                prop_assert_eq!(t.raw(), raw.as_slice());
                prop_assert_eq!(t.clone(), t.clone());
                let chars: Vec<JisChar> = t.chars().collect();
                let again = JisText::encode(&chars).unwrap();
                prop_assert_eq!(again.chars().collect::<Vec<_>>(), chars);
                prop_assert!(raw.starts_with(again.raw()));
            }
        }

        #[test]
        fn decode_never_panics(raw in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = JisText::decode(&raw);
        }
    }
}
