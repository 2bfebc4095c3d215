//! WEF02: licence information (免許情報) of a licence holder or a driving-history holder.
//!
//! ```text
//! C2  7    E+YYMMDD  driving-history record date     C3  1  binary  driving-history class
//! C4  6    JIS       colour class (優良 / 一般 / 新規) C5  7  E+YYMMDD expiry (last valid day)
//! C6-C9    80 JIS    conditions 1-4                   CA, CB  256    gaiji 1, 2 bitmaps
//! CC-D3    80 JIS    conditions 5-12                  D4-D6   256    gaiji 3-5 bitmaps
//! D7-DE    80 JIS    remarks 1-8                      DF-E6   80 JIS spare 1-8
//! E7  12   ASCII     licence number                   E8  12  ASCII  driving-history number
//! E9, EA, EB  7      first licence dates: 二・小・原 / 他 / 二種
//! EC-FA    1         category flags (大型 … 準中型)
//! FB-FF, 0100-0106   7  RFU 1-12                      0107  2000  JPEG 2000 portrait
//! ```

use crate::ascii::AsciiText;
use crate::era::WarekiDate;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::jis::JisText;
use crate::licence::category::{CATEGORY_COUNT, Categories};
use crate::licence::number::LicenceNumber;
use crate::profile::{PHOTO_MAX, WEF02_MAX};
use crate::tlv::{self, EncodeError, RawItem, Tlv};

/// Number of condition items (免許の条件 1–12).
pub const CONDITION_COUNT: usize = 12;
/// Number of gaiji bitmap items (外字 1–5).
pub const GAIJI_COUNT: usize = 5;
/// Number of remark items (備考 1–8) and of spare items (予備 1–8).
pub const REMARK_COUNT: usize = 8;
/// Number of reserved items (RFU 1–12).
pub const RESERVED_COUNT: usize = 12;

const TAG_PHOTO: u16 = 0x0107;

/// Which WEF02 item a tag holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    HistoryDate,
    HistoryClass,
    ColourClass,
    Expiry,
    Condition(usize),
    Gaiji(usize),
    Remark(usize),
    Spare(usize),
    LicenceNumber,
    HistoryNumber,
    FirstTwoSmallMoped,
    FirstOther,
    FirstClass2,
    Category(usize),
    Reserved(usize),
    Photo,
}

fn offset_from(tag: u16, first: u16) -> usize {
    usize::from(tag.saturating_sub(first))
}

impl Item {
    fn of(tag: u16) -> Option<Item> {
        Some(match tag {
            0xC2 => Item::HistoryDate,
            0xC3 => Item::HistoryClass,
            0xC4 => Item::ColourClass,
            0xC5 => Item::Expiry,
            0xC6..=0xC9 => Item::Condition(offset_from(tag, 0xC6)),
            0xCA..=0xCB => Item::Gaiji(offset_from(tag, 0xCA)),
            0xCC..=0xD3 => Item::Condition(offset_from(tag, 0xCC).saturating_add(4)),
            0xD4..=0xD6 => Item::Gaiji(offset_from(tag, 0xD4).saturating_add(2)),
            0xD7..=0xDE => Item::Remark(offset_from(tag, 0xD7)),
            0xDF..=0xE6 => Item::Spare(offset_from(tag, 0xDF)),
            0xE7 => Item::LicenceNumber,
            0xE8 => Item::HistoryNumber,
            0xE9 => Item::FirstTwoSmallMoped,
            0xEA => Item::FirstOther,
            0xEB => Item::FirstClass2,
            0xEC..=0xFA => Item::Category(offset_from(tag, 0xEC)),
            0xFB..=0xFF => Item::Reserved(offset_from(tag, 0xFB)),
            0x0100..=0x0106 => Item::Reserved(offset_from(tag, 0x0100).saturating_add(5)),
            TAG_PHOTO => Item::Photo,
            _ => return None,
        })
    }

    /// Largest value (card-formats.md §2.3).
    fn max_len(self) -> usize {
        match self {
            Item::HistoryDate | Item::Expiry | Item::FirstTwoSmallMoped | Item::FirstOther | Item::FirstClass2 => 7,
            Item::HistoryClass | Item::Category(_) => 1,
            Item::ColourClass => 6,
            Item::Condition(_) | Item::Remark(_) | Item::Spare(_) => 80,
            Item::Gaiji(_) => 256,
            Item::LicenceNumber | Item::HistoryNumber => 12,
            Item::Reserved(_) => 7,
            Item::Photo => PHOTO_MAX,
        }
    }
}

/// Every WEF02 tag in card order.
fn all_tags() -> impl Iterator<Item = u16> {
    (0xC2u16..=0xFF).chain(0x0100..=TAG_PHOTO)
}

/// 免許の年月日: first licence dates. Only these three groups carry dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FirstLicensed {
    /// 二・小・原: motorcycles, small special, moped (E9).
    pub two_small_moped: Option<WarekiDate>,
    /// 他: other classes (EA).
    pub other: Option<WarekiDate>,
    /// 二種: class 2, commercial (EB).
    pub class2: Option<WarekiDate>,
}

/// The content of WEF02. Empty items are empty values, absent dates `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LicenceInfo {
    /// 運転経歴情報の記録年月日 (C2), driving-history holders only.
    pub history_record_date: Option<WarekiDate>,
    /// 運転経歴区分 (C3), raw byte, driving-history holders only.
    pub history_class: Option<u8>,
    /// 免許証の色区分 (C4).
    pub colour_class: JisText,
    /// 有効期間の末日 (C5): valid through the end of that day, Japan time.
    pub expiry: Option<WarekiDate>,
    /// 免許の条件 1–12.
    pub conditions: [JisText; CONDITION_COUNT],
    /// 外字 1–5: glyph bitmaps referenced by `FFF1`–`FFF5` in the texts.
    pub gaiji: [Vec<u8>; GAIJI_COUNT],
    /// 備考 1–8.
    pub remarks: [JisText; REMARK_COUNT],
    /// 予備 1–8.
    pub spare: [JisText; REMARK_COUNT],
    /// 免許の番号 (E7).
    pub licence_number: Option<LicenceNumber>,
    /// 運転経歴情報記録番号 (E8).
    pub history_number: Option<AsciiText>,
    pub first_licensed: FirstLicensed,
    pub categories: Categories,
    /// RFU 1–12, kept as read.
    pub reserved: [Vec<u8>; RESERVED_COUNT],
    /// 顔写真: JPEG 2000 bytes as read.
    pub photo: Vec<u8>,
}

/// Which of the two profiles of the licence AP a WEF02 holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// A licence holder (マイナ免許証).
    Licence,
    /// A driving-history holder (マイナ経歴証明書): licence surrendered.
    DrivingHistory,
}

impl LicenceInfo {
    /// Driving-history data present and no licence number: a driving-history holder.
    pub fn holder(&self) -> Holder {
        let history = self.history_number.as_ref().is_some_and(|n| !n.is_empty()) || self.history_record_date.is_some();
        if history && self.licence_number.is_none() { Holder::DrivingHistory } else { Holder::Licence }
    }

    /// Non-empty conditions, in order.
    pub fn conditions(&self) -> impl Iterator<Item = &JisText> {
        self.conditions.iter().filter(|c| !c.is_empty())
    }

    /// Encodes every item in tag order (empty items with length 0, as cards do).
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(WEF02_MAX);
        for tag in all_tags() {
            let Some(item) = Item::of(tag) else { continue };
            let value = self.value_of(item);
            if value.len() > item.max_len() {
                return Err(EncodeError::TooLong { tag: Tag::Licence(tag) });
            }
            tlv::put(&mut out, tag, &value)?;
        }
        if out.len() > WEF02_MAX {
            return Err(EncodeError::Invalid { field: "WEF02", reason: "record exceeds 5845 bytes" });
        }
        Ok(out)
    }

    fn value_of(&self, item: Item) -> Vec<u8> {
        let date = |d: Option<WarekiDate>| d.map(|d| d.encode_licence().to_vec()).unwrap_or_default();
        let jis = |t: Option<&JisText>| t.map(|t| t.raw().to_vec()).unwrap_or_default();
        let bytes = |b: Option<&Vec<u8>>| b.cloned().unwrap_or_default();
        match item {
            Item::HistoryDate => date(self.history_record_date),
            Item::HistoryClass => self.history_class.map(|b| vec![b]).unwrap_or_default(),
            Item::ColourClass => self.colour_class.raw().to_vec(),
            Item::Expiry => date(self.expiry),
            Item::Condition(i) => jis(self.conditions.get(i)),
            Item::Gaiji(i) => bytes(self.gaiji.get(i)),
            Item::Remark(i) => jis(self.remarks.get(i)),
            Item::Spare(i) => jis(self.spare.get(i)),
            Item::LicenceNumber => self.licence_number.as_ref().map(|n| n.as_bytes().to_vec()).unwrap_or_default(),
            Item::HistoryNumber => self.history_number.as_ref().map(|n| n.raw().to_vec()).unwrap_or_default(),
            Item::FirstTwoSmallMoped => date(self.first_licensed.two_small_moped),
            Item::FirstOther => date(self.first_licensed.other),
            Item::FirstClass2 => date(self.first_licensed.class2),
            Item::Category(i) => {
                self.categories.raw_all().get(i).copied().flatten().map(|b| vec![b]).unwrap_or_default()
            }
            Item::Reserved(i) => bytes(self.reserved.get(i)),
            Item::Photo => self.photo.clone(),
        }
    }
}

/// WEF02 as decoded, with what did not fit the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wef02<'a> {
    pub info: LicenceInfo,
    /// Items with tags outside the layout, kept as read.
    pub unknown: Vec<RawItem>,
    /// Offset just past the last item: the end of the signed range (card-formats.md §2.4 [P]).
    pub tlv_end: usize,
    /// Number of bytes after the last item (reported, not an error).
    pub trailing: usize,
    /// The items as read, up to `tlv_end`: what WEF03 signs [P].
    pub signed_tlv: &'a [u8],
    /// The whole EF as read (trailing bytes included): the other range a signature may cover.
    pub whole: &'a [u8],
}

impl<'a> Wef02<'a> {
    /// Decodes WEF02 as read from the card.
    pub fn decode(raw: &'a [u8]) -> Result<Self, DecodeError> {
        if raw.len() > WEF02_MAX {
            return Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: WEF02_MAX, actual: raw.len() }, 0));
        }
        let stream = tlv::read_stream(raw, TAG_PHOTO)?;
        let mut info = LicenceInfo::default();
        let mut categories = [None; CATEGORY_COUNT];
        let mut unknown = Vec::new();
        for t in &stream.items {
            let tag = Tag::Licence(t.tag);
            let Some(item) = Item::of(t.tag) else {
                unknown.push(RawItem { tag, value: t.value.to_vec() });
                continue;
            };
            let max = item.max_len();
            if t.value.len() > max {
                let actual = t.value.len();
                let kind = if item == Item::Photo {
                    DecodeErrorKind::PhotoTooLarge { max, actual }
                } else {
                    DecodeErrorKind::ValueTooLong { max, actual }
                };
                return Err(DecodeError::new(kind, t.value_offset).in_tag(tag));
            }
            decode_item(&mut info, &mut categories, item, t).map_err(|e| e.in_tag(tag))?;
        }
        info.categories = Categories::from_raw(categories);
        Ok(Self {
            info,
            unknown,
            tlv_end: stream.end,
            trailing: raw.len().saturating_sub(stream.end),
            signed_tlv: raw.get(..stream.end).unwrap_or_default(),
            whole: raw,
        })
    }
}

fn decode_item(
    info: &mut LicenceInfo,
    categories: &mut [Option<u8>; CATEGORY_COUNT],
    item: Item,
    t: &Tlv<'_>,
) -> Result<(), DecodeError> {
    let at = t.value_offset;
    let date = || WarekiDate::decode_licence(t.value).map_err(|e| DecodeError::new(DecodeErrorKind::BadDate(e), at));
    let jis = || JisText::decode(t.value).map_err(|e| e.shifted(at));
    let byte = || t.value.first().copied();
    let set = |slot: Option<&mut JisText>| -> Result<(), DecodeError> {
        if let Some(slot) = slot {
            *slot = jis()?;
        }
        Ok(())
    };
    match item {
        Item::HistoryDate => info.history_record_date = date()?,
        Item::HistoryClass => info.history_class = byte(),
        Item::ColourClass => info.colour_class = jis()?,
        Item::Expiry => info.expiry = date()?,
        Item::Condition(i) => set(info.conditions.get_mut(i))?,
        Item::Remark(i) => set(info.remarks.get_mut(i))?,
        Item::Spare(i) => set(info.spare.get_mut(i))?,
        Item::Gaiji(i) => {
            if let Some(slot) = info.gaiji.get_mut(i) {
                *slot = t.value.to_vec();
            }
        }
        Item::LicenceNumber if t.value.is_empty() => info.licence_number = None,
        Item::LicenceNumber => info.licence_number = Some(LicenceNumber::decode(t.value).map_err(|e| e.shifted(at))?),
        Item::HistoryNumber if t.value.is_empty() => info.history_number = None,
        Item::HistoryNumber => info.history_number = Some(AsciiText::decode(t.value).map_err(|e| e.shifted(at))?),
        Item::FirstTwoSmallMoped => info.first_licensed.two_small_moped = date()?,
        Item::FirstOther => info.first_licensed.other = date()?,
        Item::FirstClass2 => info.first_licensed.class2 = date()?,
        Item::Category(i) => {
            if let Some(slot) = categories.get_mut(i) {
                *slot = byte();
            }
        }
        Item::Reserved(i) => {
            if let Some(slot) = info.reserved.get_mut(i) {
                *slot = t.value.to_vec();
            }
        }
        Item::Photo => info.photo = t.value.to_vec(),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::era::{DateError, Era};
    use crate::licence::category::Category;

    fn sample() -> LicenceInfo {
        let mut info = LicenceInfo {
            colour_class: JisText::encode_str("優良").unwrap(),
            expiry: Some(WarekiDate::new(Era::Reiwa, 11, 6, 15).unwrap()),
            licence_number: Some("301234567890".parse().unwrap()),
            categories: Categories::with_held(&[Category::Ordinary]),
            photo: vec![0xAB; 1500],
            ..LicenceInfo::default()
        };
        info.conditions[0] = JisText::encode_str("眼鏡等").unwrap();
        info.first_licensed.other = Some(WarekiDate::new(Era::Heisei, 22, 4, 1).unwrap());
        info
    }

    #[test]
    fn starts_like_a_real_card_and_round_trips() {
        let raw = sample().encode().unwrap();
        assert_eq!(&raw[..4], &[0xC2, 0x00, 0xC3, 0x00]);
        let w = Wef02::decode(&raw).unwrap();
        assert_eq!(w.info, sample());
        assert_eq!(w.tlv_end, raw.len());
        assert_eq!(w.trailing, 0);
        assert_eq!(w.info.holder(), Holder::Licence);
        assert_eq!(w.info.conditions().map(ToString::to_string).collect::<Vec<_>>(), vec!["眼鏡等"]);
    }

    #[test]
    fn tolerates_missing_items_unknown_tags_and_trailing_bytes() {
        // C5, then the portrait (0107) with nothing between, then filler.
        let raw = [0xC5, 0x07, b'5', b'1', b'1', b'0', b'6', b'1', b'5', 0x01, 0x07, 0x00, 0xFF, 0xFF];
        let w = Wef02::decode(&raw).unwrap();
        assert_eq!(w.info.expiry.map(WarekiDate::to_gregorian), Some("2029-06-15".parse().unwrap()));
        assert_eq!(w.tlv_end, 12);
        assert_eq!(w.trailing, 2);
        assert_eq!(w.info.holder(), Holder::Licence);
    }

    #[test]
    fn errors_name_tag_and_offset() {
        let raw = [0xC2, 0x00, 0xC3, 0x00, 0xC4, 0x00, 0xC5, 0x07, b'3', b'6', b'4', b'0', b'1', b'0', b'8'];
        assert_eq!(
            Wef02::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::BadDate(DateError::OutsideEra { era: Era::Showa, year: 64, month: 1, day: 8 }),
                offset: 8,
                tag: Some(Tag::Licence(0xC5)),
            })
        );
        let raw = [0xC6, 0x04, 0x3B, 0x33, 0x45, 0x80];
        assert_eq!(
            Wef02::decode(&raw),
            Err(DecodeError { kind: DecodeErrorKind::BadJis { byte: 0x80 }, offset: 5, tag: Some(Tag::Licence(0xC6)) })
        );
        let mut raw = vec![0x01, 0x07, 0x82, 0x07, 0xD1];
        raw.resize(5 + 2001, 0);
        assert_eq!(
            Wef02::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::PhotoTooLarge { max: 2000, actual: 2001 },
                offset: 5,
                tag: Some(Tag::Licence(0x0107)),
            })
        );
        assert_eq!(
            Wef02::decode(&vec![0; 5846]),
            Err(DecodeError {
                kind: DecodeErrorKind::RecordTooLarge { max: 5845, actual: 5846 },
                offset: 0,
                tag: None
            })
        );
    }

    #[test]
    fn item_table_covers_every_tag_once() {
        let items: Vec<Item> = all_tags().filter_map(Item::of).collect();
        assert_eq!(items.len(), all_tags().count());
        for i in 0..CONDITION_COUNT {
            assert_eq!(items.iter().filter(|&&x| x == Item::Condition(i)).count(), 1);
        }
        for i in 0..RESERVED_COUNT {
            assert_eq!(items.iter().filter(|&&x| x == Item::Reserved(i)).count(), 1);
        }
        for i in 0..GAIJI_COUNT {
            assert_eq!(items.iter().filter(|&&x| x == Item::Gaiji(i)).count(), 1);
        }
        for i in 0..CATEGORY_COUNT {
            assert_eq!(items.iter().filter(|&&x| x == Item::Category(i)).count(), 1);
        }
        // The published maximum sizes add up to the file size: tags + lengths + values.
        let max_total: usize = all_tags()
            .map(|t| {
                let max = Item::of(t).unwrap().max_len();
                let tag_len = if t > 0xFF { 2 } else { 1 };
                let len_len = if max >= 128 { 3 } else { 1 };
                tag_len + len_len + max
            })
            .sum();
        assert_eq!(max_total, WEF02_MAX);
    }
}
