//! Strategies and samples shared by the IC licence tests.

use proptest::prelude::*;

use crate::ascii::AsciiText;
use crate::era::{Era, WarekiDate};
use crate::jis::{JisChar, JisText};
use crate::profile::IC_GAIJI_SLOTS;

/// Characters of JIS X 0208 used by the strategies (no full-width space: it is padding).
const CHARS: &str = "山田太郎東京都千代田区霞が関眼鏡等優良一般新規公安委員会ヤマダタロウ０１２";

pub(crate) fn jis(s: &str) -> JisText {
    JisText::encode_str(s).unwrap()
}

pub(crate) fn ascii(s: &str) -> AsciiText {
    AsciiText::try_from(s).unwrap()
}

pub(crate) fn wareki(era: Era, year: u8, month: u8, day: u8) -> WarekiDate {
    WarekiDate::new(era, year, month, day).unwrap()
}

fn jis_char() -> impl Strategy<Value = JisChar> {
    let chars: Vec<char> = CHARS.chars().collect();
    prop_oneof![
        8 => proptest::sample::select(chars).prop_map(JisChar::Char),
        1 => (1..=IC_GAIJI_SLOTS).prop_map(|slot| JisChar::Gaiji { slot }),
        1 => Just(JisChar::Missing),
    ]
}

/// IC licence text of up to `max_chars` characters, markers FFF1–FFF7 and FFFA included.
pub(crate) fn jis_text(max_chars: usize) -> impl Strategy<Value = JisText> {
    proptest::collection::vec(jis_char(), 0..=max_chars)
        .prop_map(|chars| JisText::encode_with_gaiji_slots(&chars, IC_GAIJI_SLOTS).unwrap())
}

pub(crate) fn wareki_date() -> impl Strategy<Value = WarekiDate> {
    (proptest::sample::select(Era::ALL.to_vec()), 1u8..=64, 1u8..=12, 1u8..=31)
        .prop_filter_map("a real era date", |(e, y, m, d)| WarekiDate::new(e, y, m, d).ok())
}

pub(crate) fn ascii_text(max: usize) -> impl Strategy<Value = AsciiText> {
    proptest::collection::vec(0x20u8..=0x7E, 0..=max).prop_map(|b| AsciiText::decode(&b).unwrap())
}
