//! Changes written on the back: DF1/EF04 記載事項変更等(本籍除く) and DF1/EF06
//! 記載事項変更(本籍). **Not signed** (ic-licence.md §5, §6): show them as "changed on … by
//! …, not signed", never merged into a verified field.
//!
//! ```text
//! EF04  50  追記の有無 flag (1 B)
//!       51-5F 新住所地公安委員会名 authority    60-67 新氏名 name
//!       68-6F 新呼び名 kana                    70-77 新住所 address
//!       78-7F 新条件 condition                 80-87 条件解除 condition removed
//!       88-8F 備考 remark                      90-97 予備 reserved
//! EF06  AA  flag (1 B)                        AB-AF 新本籍 new registered domicile
//!
//! each change value:
//!   1 B   JIS X 0208 edition
//!   14 B  change date: 7 full-width JIS X 0208 digits ＥＹＹＭＭＤＤ (23 30 .. 23 39)
//!   n B   new value (JIS X 0208, markers FFF1-FFF7, FFFA)
//!   10 B  Public Safety Commission short name, 5 characters (e.g. 東京都公安)
//! ```
//!
//! [P] A change item with an empty value is an unused slot. [P] The latest entry of a kind
//! (the current value) is the one with the highest tag.

use serde::Serialize;

use crate::cursor::Cursor;
use crate::era::{DateError, WarekiDate};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::ic_licence::tlv::{Item, Items, Writer, pad};
use crate::ic_licence::value::{card_jis, decode_jis};
use crate::jis::JisText;
use crate::profile::{
    IC_CHANGE_AUTHORITY_LEN, IC_CHANGE_DATE_LEN, IC_CHANGE_EDITION_LEN, IC_CHANGES_SIZE, IC_DOMICILE_CHANGES_SIZE,
};
use crate::tlv::{EncodeError, RawItem};

const TAG_FLAG: u8 = 0x50;
const TAG_DOMICILE_FLAG: u8 = 0xAA;
const TAG_DOMICILE_FIRST: u8 = 0xAB;
/// Number of new-本籍 slots (AB–AF).
const DOMICILE_SLOTS: u8 = 5;
/// Shortest change value: edition, date and authority with an empty new value.
const CHANGE_MIN_LEN: usize = IC_CHANGE_EDITION_LEN + IC_CHANGE_DATE_LEN + IC_CHANGE_AUTHORITY_LEN;
/// Row of the full-width digits ０–９ in JIS X 0208.
const FULL_WIDTH_DIGIT_ROW: u8 = 0x23;

/// What an EF04 change changes; `as_str` is the report's `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// 新住所地公安委員会名 (51–5F).
    Authority,
    /// 新氏名 (60–67).
    Name,
    /// 新呼び名 (68–6F).
    Kana,
    /// 新住所 (70–77).
    Address,
    /// 新条件 (78–7F).
    Condition,
    /// 条件解除 (80–87).
    ConditionRemoved,
    /// 備考 (88–8F).
    Remark,
    /// 予備 (90–97).
    Reserved,
}

impl ChangeKind {
    /// Every kind in tag order.
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::Authority,
        ChangeKind::Name,
        ChangeKind::Kana,
        ChangeKind::Address,
        ChangeKind::Condition,
        ChangeKind::ConditionRemoved,
        ChangeKind::Remark,
        ChangeKind::Reserved,
    ];

    /// The report's `kind` (ic-licence.md §9).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Authority => "authority",
            ChangeKind::Name => "name",
            ChangeKind::Kana => "kana",
            ChangeKind::Address => "address",
            ChangeKind::Condition => "condition",
            ChangeKind::ConditionRemoved => "condition_removed",
            ChangeKind::Remark => "remark",
            ChangeKind::Reserved => "reserved",
        }
    }

    /// The label on the card.
    pub fn name_ja(self) -> &'static str {
        match self {
            ChangeKind::Authority => "新住所地公安委員会名",
            ChangeKind::Name => "新氏名",
            ChangeKind::Kana => "新呼び名",
            ChangeKind::Address => "新住所",
            ChangeKind::Condition => "新条件",
            ChangeKind::ConditionRemoved => "条件解除",
            ChangeKind::Remark => "備考",
            ChangeKind::Reserved => "予備",
        }
    }

    fn first_tag(self) -> u8 {
        match self {
            ChangeKind::Authority => 0x51,
            ChangeKind::Name => 0x60,
            ChangeKind::Kana => 0x68,
            ChangeKind::Address => 0x70,
            ChangeKind::Condition => 0x78,
            ChangeKind::ConditionRemoved => 0x80,
            ChangeKind::Remark => 0x88,
            ChangeKind::Reserved => 0x90,
        }
    }

    /// Number of entries the card has room for.
    pub fn slots(self) -> u8 {
        match self {
            ChangeKind::Authority => 15,
            _ => 8,
        }
    }

    /// The kind and entry number (from 1) of an EF04 tag.
    fn of_tag(tag: u8) -> Option<(ChangeKind, u8)> {
        ChangeKind::ALL.into_iter().find_map(|k| {
            let n = tag.checked_sub(k.first_tag())?;
            (n < k.slots()).then_some((k, n.saturating_add(1)))
        })
    }

    /// The tag of entry `number` (from 1).
    fn tag(self, number: u8) -> Option<u8> {
        let i = number.checked_sub(1).filter(|&i| i < self.slots())?;
        self.first_tag().checked_add(i)
    }
}

/// One change value (the same layout in EF04 and EF06).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEntry {
    /// JIS X 0208 edition of the texts, raw.
    pub jis_edition: u8,
    /// Date of the change; `None` for zeros after the era digit.
    pub date: Option<WarekiDate>,
    /// The new value.
    pub value: JisText,
    /// The Public Safety Commission that wrote it, short name (e.g. 東京都公安).
    pub authority: JisText,
}

impl ChangeEntry {
    fn decode(item: &Item<'_>) -> Result<Self, DecodeError> {
        let v = item.value;
        if v.len() < CHANGE_MIN_LEN {
            let needed = CHANGE_MIN_LEN.saturating_sub(v.len());
            return Err(item.error(DecodeErrorKind::Truncated { needed }, v.len()));
        }
        let mut cur = Cursor::new(v);
        let jis_edition = cur.read_u8().map_err(|e| item.locate(e))?;
        let date_at = cur.position();
        let date = cur.read_bytes(IC_CHANGE_DATE_LEN).map_err(|e| item.locate(e))?;
        let date = decode_full_width_date(date)
            .map_err(|(e, within)| item.error(DecodeErrorKind::BadDate(e), date_at.saturating_add(within)))?;
        let value_at = cur.position();
        let value_len = cur.remaining().saturating_sub(IC_CHANGE_AUTHORITY_LEN);
        let value = cur.read_bytes(value_len).map_err(|e| item.locate(e))?;
        let value = decode_jis(value).map_err(|e| item.locate(e.shifted(value_at)))?;
        let authority_at = cur.position();
        let authority = cur.read_bytes(IC_CHANGE_AUTHORITY_LEN).map_err(|e| item.locate(e))?;
        let authority = decode_jis(authority).map_err(|e| item.locate(e.shifted(authority_at)))?;
        Ok(Self { jis_edition, date, value, authority })
    }

    fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let value = card_jis(&self.value, "change value")?;
        let authority = card_jis(&self.authority, "change authority")?;
        if authority.len() != IC_CHANGE_AUTHORITY_LEN {
            return Err(EncodeError::Invalid { field: "change authority", reason: "must be 10 bytes (5 characters)" });
        }
        let mut out = Vec::with_capacity(CHANGE_MIN_LEN.saturating_add(value.len()));
        out.push(self.jis_edition);
        out.extend_from_slice(&encode_full_width_date(self.date));
        out.extend_from_slice(value);
        out.extend_from_slice(authority);
        Ok(out)
    }
}

/// ＥＹＹＭＭＤＤ as 7 full-width digits; the error carries the offset of the bad pair.
fn decode_full_width_date(raw: &[u8]) -> Result<Option<WarekiDate>, (DateError, usize)> {
    let (pairs, rest) = raw.as_chunks::<2>();
    let mut ascii = [0u8; IC_CHANGE_DATE_LEN / 2];
    if pairs.len() != ascii.len() || !rest.is_empty() {
        return Err((DateError::BadFormat, 0));
    }
    for (i, (a, &[row, cell])) in ascii.iter_mut().zip(pairs).enumerate() {
        if row != FULL_WIDTH_DIGIT_ROW || !cell.is_ascii_digit() {
            return Err((DateError::NotDigits, i.saturating_mul(2)));
        }
        // The cells of ０–９ are the ASCII digits.
        *a = cell;
    }
    WarekiDate::decode_licence(&ascii).map_err(|e| (e, 0))
}

fn encode_full_width_date(date: Option<WarekiDate>) -> [u8; IC_CHANGE_DATE_LEN] {
    let ascii = date.map_or([b'0'; IC_CHANGE_DATE_LEN / 2], WarekiDate::encode_licence);
    let mut out = [0u8; IC_CHANGE_DATE_LEN];
    for (pair, digit) in out.chunks_mut(2).zip(ascii) {
        pair.copy_from_slice(&[FULL_WIDTH_DIGIT_ROW, digit]);
    }
    out
}

/// One EF04 change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Entry number within the kind, from 1 (新住所1, 新住所2, …).
    pub number: u8,
    pub entry: ChangeEntry,
}

/// DF1/EF04: changes other than 本籍.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    /// Tag 50 追記の有無, raw.
    pub flag: Option<u8>,
    /// Changes in tag order.
    pub changes: Vec<Change>,
    /// Items with tags outside the layout, kept as read.
    pub unknown: Vec<RawItem>,
}

impl Changes {
    /// Decodes DF1/EF04 as read (at most 640 bytes, padding included).
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        let items = Items::read(raw, IC_CHANGES_SIZE)?;
        let mut out = Changes { unknown: items.unknown(is_changes_tag), ..Changes::default() };
        out.flag = items.get(TAG_FLAG).as_ref().map(Item::byte).transpose()?.flatten();
        let mut changes: Vec<(u8, Change)> = Vec::new();
        for item in items.iter() {
            let Some((kind, number)) = ChangeKind::of_tag(item.tag) else { continue };
            if item.value.is_empty() {
                continue;
            }
            changes.push((item.tag, Change { kind, number, entry: ChangeEntry::decode(&item)? }));
        }
        changes.sort_by_key(|(tag, _)| *tag);
        out.changes = changes.into_iter().map(|(_, c)| c).collect();
        Ok(out)
    }

    /// The changes of one kind, oldest first.
    pub fn of_kind(&self, kind: ChangeKind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }

    /// The current value of a kind: its entry with the highest number.
    pub fn latest(&self, kind: ChangeKind) -> Option<&Change> {
        self.of_kind(kind).max_by_key(|c| c.number)
    }

    /// The EF as a card holds it: flag, changes in tag order, unknown items, padding to 640.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut w = Writer::new("DF1/EF04", IC_CHANGES_SIZE);
        if let Some(flag) = self.flag {
            w.put(TAG_FLAG, &[flag])?;
        }
        let mut tagged = Vec::with_capacity(self.changes.len());
        for c in &self.changes {
            let tag = c
                .kind
                .tag(c.number)
                .ok_or(EncodeError::Invalid { field: "change number", reason: "outside the slots of its kind" })?;
            tagged.push((tag, c));
        }
        tagged.sort_by_key(|(tag, _)| *tag);
        for (tag, c) in tagged {
            w.put(tag, &c.entry.encode()?)?;
        }
        for item in &self.unknown {
            w.put_unknown(item, is_changes_tag)?;
        }
        pad(w.finish(IC_CHANGES_SIZE)?, IC_CHANGES_SIZE, "DF1/EF04")
    }
}

/// One EF06 entry: a new 本籍.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomicileChange {
    /// Entry number, 1–5 (tags AB–AF).
    pub number: u8,
    pub entry: ChangeEntry,
}

/// DF1/EF06: new 本籍 entries. Like 本籍 itself, never in a report unless asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DomicileChanges {
    /// Tag AA, raw.
    pub flag: Option<u8>,
    /// Entries in tag order.
    pub changes: Vec<DomicileChange>,
    /// Items with tags outside the layout, kept as read.
    pub unknown: Vec<RawItem>,
}

fn is_changes_tag(tag: u8) -> bool {
    tag == TAG_FLAG || ChangeKind::of_tag(tag).is_some()
}

fn is_domicile_changes_tag(tag: u8) -> bool {
    tag == TAG_DOMICILE_FLAG || domicile_number(tag).is_some()
}

fn domicile_number(tag: u8) -> Option<u8> {
    tag.checked_sub(TAG_DOMICILE_FIRST).filter(|&n| n < DOMICILE_SLOTS).map(|n| n.saturating_add(1))
}

impl DomicileChanges {
    /// Decodes DF1/EF06 as read (at most 256 bytes, padding included).
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        let items = Items::read(raw, IC_DOMICILE_CHANGES_SIZE)?;
        let mut out = DomicileChanges { unknown: items.unknown(is_domicile_changes_tag), ..DomicileChanges::default() };
        out.flag = items.get(TAG_DOMICILE_FLAG).as_ref().map(Item::byte).transpose()?.flatten();
        for item in items.iter() {
            let Some(number) = domicile_number(item.tag) else { continue };
            if !item.value.is_empty() {
                out.changes.push(DomicileChange { number, entry: ChangeEntry::decode(&item)? });
            }
        }
        out.changes.sort_by_key(|c| c.number);
        Ok(out)
    }

    /// The current new 本籍: the entry with the highest number.
    pub fn latest(&self) -> Option<&DomicileChange> {
        self.changes.iter().max_by_key(|c| c.number)
    }

    /// The EF as a card holds it, padded to 256 bytes.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut w = Writer::new("DF1/EF06", IC_DOMICILE_CHANGES_SIZE);
        if let Some(flag) = self.flag {
            w.put(TAG_DOMICILE_FLAG, &[flag])?;
        }
        let mut sorted: Vec<&DomicileChange> = self.changes.iter().collect();
        sorted.sort_by_key(|c| c.number);
        for c in sorted {
            let tag = c
                .number
                .checked_sub(1)
                .filter(|&i| i < DOMICILE_SLOTS)
                .and_then(|i| TAG_DOMICILE_FIRST.checked_add(i))
                .ok_or(EncodeError::Invalid { field: "change number", reason: "outside the slots of its kind" })?;
            w.put(tag, &c.entry.encode()?)?;
        }
        for item in &self.unknown {
            w.put_unknown(item, is_domicile_changes_tag)?;
        }
        pad(w.finish(IC_DOMICILE_CHANGES_SIZE)?, IC_DOMICILE_CHANGES_SIZE, "DF1/EF06")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::era::Era;
    use crate::error::Tag;
    use crate::ic_licence::test_support::{jis, jis_text, wareki, wareki_date};
    use proptest::prelude::*;

    /// ５０６０４０１ (令和6年4月1日) in full-width JIS digits.
    const DATE_R6_0401: [u8; 14] = [0x23, 0x35, 0x23, 0x30, 0x23, 0x36, 0x23, 0x30, 0x23, 0x34, 0x23, 0x30, 0x23, 0x31];
    /// 東京都公安.
    const TOKYO: [u8; 10] = [0x45, 0x6C, 0x35, 0x7E, 0x45, 0x54, 0x38, 0x78, 0x30, 0x42];

    /// EF04 with the flag and 新住所1 = 東京都, written by 東京都公安 on 令和6年4月1日.
    fn new_address() -> Vec<u8> {
        let mut raw = vec![0x50, 0x01, 0x01, 0x70, 0x1F, 0x78];
        raw.extend_from_slice(&DATE_R6_0401);
        raw.extend_from_slice(&[0x45, 0x6C, 0x35, 0x7E, 0x45, 0x54]);
        raw.extend_from_slice(&TOKYO);
        raw
    }

    fn entry(value: &str) -> ChangeEntry {
        ChangeEntry {
            jis_edition: 0x78,
            date: Some(wareki(Era::Reiwa, 6, 4, 1)),
            value: jis(value),
            authority: jis("東京都公安"),
        }
    }

    #[test]
    fn decodes_a_new_address() {
        let mut raw = new_address();
        raw.resize(640, 0xFF);
        let c = Changes::decode(&raw).unwrap();
        assert_eq!(c.flag, Some(1));
        assert_eq!(c.changes, vec![Change { kind: ChangeKind::Address, number: 1, entry: entry("東京都") }]);
        let latest = c.latest(ChangeKind::Address).unwrap();
        assert_eq!(latest.entry.date.map(|d| d.to_string()).as_deref(), Some("令和6年4月1日"));
        assert_eq!(latest.entry.authority.to_string(), "東京都公安");
        assert_eq!(latest.kind.as_str(), "address");
        assert_eq!(c.latest(ChangeKind::Name), None);
        assert_eq!(c.encode().unwrap(), raw);
    }

    #[test]
    fn latest_is_the_highest_number_and_empty_values_are_unused_slots() {
        let c = Changes {
            flag: Some(1),
            changes: vec![
                Change { kind: ChangeKind::Condition, number: 2, entry: entry("眼鏡等") },
                Change { kind: ChangeKind::Condition, number: 1, entry: entry("一般") },
                Change { kind: ChangeKind::Authority, number: 15, entry: entry("千代田") },
            ],
            unknown: vec![],
        };
        let mut raw = c.encode().unwrap();
        let back = Changes::decode(&raw).unwrap();
        assert_eq!(
            back.changes.iter().map(|c| (c.kind, c.number)).collect::<Vec<_>>(),
            vec![(ChangeKind::Authority, 15), (ChangeKind::Condition, 1), (ChangeKind::Condition, 2)]
        );
        assert_eq!(back.latest(ChangeKind::Condition).map(|c| c.entry.value.to_string()).as_deref(), Some("眼鏡等"));
        // An empty 新氏名1 (60 00) in the padding is an unused slot.
        let end = raw.iter().position(|&b| b == 0xFF).unwrap();
        raw[end] = 0x60;
        raw[end + 1] = 0x00;
        assert_eq!(Changes::decode(&raw).unwrap().changes.len(), 3);
    }

    #[test]
    fn kinds_cover_tags_50_to_97() {
        assert_eq!(ChangeKind::of_tag(0x50), None);
        assert_eq!(ChangeKind::of_tag(0x51), Some((ChangeKind::Authority, 1)));
        assert_eq!(ChangeKind::of_tag(0x5F), Some((ChangeKind::Authority, 15)));
        assert_eq!(ChangeKind::of_tag(0x60), Some((ChangeKind::Name, 1)));
        assert_eq!(ChangeKind::of_tag(0x87), Some((ChangeKind::ConditionRemoved, 8)));
        assert_eq!(ChangeKind::of_tag(0x97), Some((ChangeKind::Reserved, 8)));
        assert_eq!(ChangeKind::of_tag(0x98), None);
        let all: Vec<u8> = (0x51..=0x97).collect();
        for t in &all {
            let (k, n) = ChangeKind::of_tag(*t).unwrap();
            assert_eq!(k.tag(n), Some(*t));
        }
        assert_eq!(ChangeKind::Name.tag(0), None);
        assert_eq!(ChangeKind::Name.tag(9), None);
        assert_eq!(
            ChangeKind::ALL.map(ChangeKind::as_str),
            ["authority", "name", "kana", "address", "condition", "condition_removed", "remark", "reserved"]
        );
        assert_eq!(serde_json::to_string(&ChangeKind::ConditionRemoved).unwrap(), "\"condition_removed\"");
        assert_eq!(ChangeKind::Kana.name_ja(), "新呼び名");
    }

    #[test]
    fn errors_name_tag_and_offset() {
        let t70 = Some(Tag::IcLicence(0x70));
        // A value shorter than edition + date + authority.
        assert_eq!(
            Changes::decode(&[0x70, 0x03, 0x78, 0x23, 0x35]),
            Err(DecodeError { kind: DecodeErrorKind::Truncated { needed: 22 }, offset: 5, tag: t70 })
        );
        // A half-width digit in the date (pair 3, ASCII "0").
        let mut raw = new_address();
        raw[6 + 6] = 0x30;
        assert_eq!(
            Changes::decode(&raw),
            Err(DecodeError { kind: DecodeErrorKind::BadDate(DateError::NotDigits), offset: 12, tag: t70 })
        );
        // 令和6年13月.
        let mut raw = new_address();
        raw[6 + 7] = 0x31;
        raw[6 + 9] = 0x33;
        assert_eq!(
            Changes::decode(&raw),
            Err(DecodeError { kind: DecodeErrorKind::BadDate(DateError::BadMonth { month: 13 }), offset: 6, tag: t70 })
        );
        // A bad byte in the authority name.
        let mut raw = new_address();
        raw[6 + 14 + 6 + 3] = 0x80;
        assert_eq!(
            Changes::decode(&raw),
            Err(DecodeError { kind: DecodeErrorKind::BadJis { byte: 0x80 }, offset: 29, tag: t70 })
        );
        // An odd new value.
        let mut raw = vec![0x70, 0x1A, 0x78];
        raw.extend_from_slice(&DATE_R6_0401);
        raw.push(0x45);
        raw.extend_from_slice(&TOKYO);
        assert_eq!(
            Changes::decode(&raw),
            Err(DecodeError { kind: DecodeErrorKind::OddJisLength, offset: 17, tag: t70 })
        );
        assert_eq!(
            Changes::decode(&[0x50, 0x02, 0, 0]),
            Err(DecodeError {
                kind: DecodeErrorKind::WrongLength { expected: 1, actual: 2 },
                offset: 2,
                tag: Some(Tag::IcLicence(0x50))
            })
        );
        assert_eq!(
            Changes::decode(&[0xFF; 641]),
            Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: 640, actual: 641 }, 0))
        );
    }

    #[test]
    fn refuses_what_a_card_cannot_hold() {
        let bad_number = Changes {
            changes: vec![Change { kind: ChangeKind::Name, number: 9, entry: entry("東京都") }],
            ..Changes::default()
        };
        assert_eq!(
            bad_number.encode(),
            Err(EncodeError::Invalid { field: "change number", reason: "outside the slots of its kind" })
        );
        let mut short = entry("東京都");
        short.authority = jis("東京");
        let c =
            Changes { changes: vec![Change { kind: ChangeKind::Name, number: 1, entry: short }], ..Changes::default() };
        assert_eq!(
            c.encode(),
            Err(EncodeError::Invalid { field: "change authority", reason: "must be 10 bytes (5 characters)" })
        );
        let twice = Changes {
            changes: vec![
                Change { kind: ChangeKind::Name, number: 1, entry: entry("東京都") },
                Change { kind: ChangeKind::Name, number: 1, entry: entry("東京都") },
            ],
            ..Changes::default()
        };
        assert_eq!(twice.encode(), Err(EncodeError::Invalid { field: "DF1/EF04", reason: "a tag is written twice" }));
        let big = Changes {
            changes: vec![Change { kind: ChangeKind::Address, number: 1, entry: entry(&"東".repeat(310)) }],
            ..Changes::default()
        };
        assert_eq!(big.encode(), Err(EncodeError::Invalid { field: "DF1/EF04", reason: "record larger than its EF" }));
    }

    #[test]
    fn new_domicile_entries() {
        let d = DomicileChanges {
            flag: Some(1),
            changes: vec![
                DomicileChange { number: 2, entry: entry("千代田") },
                DomicileChange { number: 1, entry: entry("東京都") },
            ],
            unknown: vec![],
        };
        let raw = d.encode().unwrap();
        assert_eq!(raw.len(), 256);
        assert_eq!(&raw[..4], &[0xAA, 0x01, 0x01, 0xAB]);
        let back = DomicileChanges::decode(&raw).unwrap();
        assert_eq!(back.changes.iter().map(|c| c.number).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(back.latest().map(|c| c.entry.value.to_string()).as_deref(), Some("千代田"));
        let bad = DomicileChanges {
            changes: vec![DomicileChange { number: 6, entry: entry("東京都") }],
            ..DomicileChanges::default()
        };
        assert_eq!(
            bad.encode(),
            Err(EncodeError::Invalid { field: "change number", reason: "outside the slots of its kind" })
        );
    }

    fn change_entry() -> impl Strategy<Value = ChangeEntry> {
        (
            any::<u8>(),
            proptest::option::of(wareki_date()),
            jis_text(6),
            proptest::sample::select(vec!["東京都公安", "大阪府公安", "北海道公安"]),
        )
            .prop_map(|(jis_edition, date, value, authority)| ChangeEntry {
                jis_edition,
                date,
                value,
                authority: jis(authority),
            })
    }

    proptest! {
        #[test]
        fn round_trip(
            flag in proptest::option::of(any::<u8>()),
            entries in proptest::collection::btree_map(
                (proptest::sample::select(ChangeKind::ALL.to_vec()), 1u8..=8), change_entry(), 0..8),
            domicile in proptest::collection::btree_map(1u8..=5, change_entry(), 0..4),
        ) {
            let mut changes: Vec<Change> = entries.into_iter().map(|((kind, number), entry)| Change { kind, number, entry }).collect();
            changes.sort_by_key(|c| c.kind.tag(c.number));
            let c = Changes { flag, changes, unknown: vec![] };
            let raw = c.encode().unwrap();
            prop_assert_eq!(raw.len(), IC_CHANGES_SIZE);
            prop_assert_eq!(Changes::decode(&raw), Ok(c));
            let d = DomicileChanges {
                flag,
                changes: domicile.into_iter().map(|(number, entry)| DomicileChange { number, entry }).collect(),
                unknown: vec![],
            };
            prop_assert_eq!(DomicileChanges::decode(&d.encode().unwrap()), Ok(d));
        }

        #[test]
        fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = Changes::decode(&raw);
            let _ = DomicileChanges::decode(&raw);
        }
    }
}
