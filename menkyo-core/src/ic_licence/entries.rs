//! DF1/EF01 記載事項(本籍除く) (entries except the registered domicile): the signed card
//! face of the IC licence.
//!
//! ```text
//! 11  JIS X 0208 edition (1 B, `78` on a real card)   12  氏名 name (JIS)
//! 13  呼び名 kana (JIS)          14  通称名 alias (JIS, often empty)
//! 15  統一氏名 unified name, kana (JIS)               16  生年月日 birth date (EYYMMDD)
//! 17  住所 address (JIS)         18  交付年月日 issue date (EYYMMDD)
//! 19  照会番号 reference number (ASCII)               1A  免許証の色区分 colour class (JIS)
//! 1B  有効期間の末日 expiry (EYYMMDD)                 1C-1F  免許の条件 conditions 1-4 (JIS)
//! 20  公安委員会名 Public Safety Commission (JIS)     21  免許証の番号 licence number (12 ASCII digits)
//! 22, 23, 24  免許の年月日 二・小・原 / 他 / 二種 (EYYMMDD, zeros = none)
//! 25-33  categories, date first licensed (see `CategoryDates`)
//! then FF padding to 880 bytes
//! ```
//!
//! Items are read by tag: a tag the card does not have leaves its field empty. No sex is
//! recorded on this card.

use crate::ascii::AsciiText;
use crate::era::WarekiDate;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::ic_licence::category_date::{CategoryDate, CategoryDates};
use crate::ic_licence::check_digit::check_digit_matches;
use crate::ic_licence::domicile::TAG_DOMICILE;
use crate::ic_licence::signed::SignedPart;
use crate::ic_licence::tlv::{Item, Items, Writer, pad};
use crate::ic_licence::value::card_jis;
use crate::jis::JisText;
use crate::licence::{Category, FirstLicensed, LicenceNumber};
use crate::profile::{IC_ENTRIES_SIZE, IC_NO_DATE};
use crate::tlv::{EncodeError, RawItem};

/// Number of conditions (免許の条件 1–4, tags 1C–1F).
pub const CONDITION_COUNT: usize = 4;

const FILE: &str = "DF1/EF01";
const TAG_FIRST: u8 = 0x11;
const TAG_LAST: u8 = 0x33;
const TAG_CONDITION_1: u8 = 0x1C;
const TAG_CATEGORY_1: u8 = 0x25;

/// Which field a tag holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    JisEdition,
    Name,
    Kana,
    Alias,
    UnifiedName,
    BirthDate,
    Address,
    IssueDate,
    ReferenceNumber,
    ColourClass,
    Expiry,
    Condition(usize),
    Commission,
    LicenceNumber,
    FirstTwoSmallMoped,
    FirstOther,
    FirstClass2,
    Category(Category),
}

impl Field {
    fn of(tag: u8) -> Option<Field> {
        let from = |first: u8| usize::from(tag.saturating_sub(first));
        Some(match tag {
            0x11 => Field::JisEdition,
            0x12 => Field::Name,
            0x13 => Field::Kana,
            0x14 => Field::Alias,
            0x15 => Field::UnifiedName,
            0x16 => Field::BirthDate,
            0x17 => Field::Address,
            0x18 => Field::IssueDate,
            0x19 => Field::ReferenceNumber,
            0x1A => Field::ColourClass,
            0x1B => Field::Expiry,
            0x1C..=0x1F => Field::Condition(from(TAG_CONDITION_1)),
            0x20 => Field::Commission,
            0x21 => Field::LicenceNumber,
            0x22 => Field::FirstTwoSmallMoped,
            0x23 => Field::FirstOther,
            0x24 => Field::FirstClass2,
            0x25..=0x33 => Field::Category(*Category::ALL.get(from(TAG_CATEGORY_1))?),
            _ => return None,
        })
    }
}

/// The content of DF1/EF01. `None`: the tag is not on the card (for a date also: an empty
/// value or zeros after the era digit).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntriesInfo {
    /// JIS X 0208 制定年番号 (11): the edition of the character set, raw.
    pub jis_edition: Option<u8>,
    /// 氏名 (12).
    pub name: Option<JisText>,
    /// 呼び名 (13), kana.
    pub kana: Option<JisText>,
    /// 通称名 (14).
    pub alias: Option<JisText>,
    /// 統一氏名 (15), kana.
    pub unified_name: Option<JisText>,
    /// 生年月日 (16).
    pub birth_date: Option<WarekiDate>,
    /// 住所 (17).
    pub address: Option<JisText>,
    /// 交付年月日 (18).
    pub issue_date: Option<WarekiDate>,
    /// 照会番号 (19).
    pub reference_number: Option<AsciiText>,
    /// 免許証の色区分 (1A): 優良, 新規 or 一般.
    pub colour_class: Option<JisText>,
    /// 有効期間の末日 (1B): valid through the end of that day, Japan time.
    pub expiry: Option<WarekiDate>,
    /// 免許の条件 1–4 (1C–1F).
    pub conditions: [Option<JisText>; CONDITION_COUNT],
    /// 公安委員会名 (20).
    pub commission: Option<JisText>,
    /// 免許証の番号 (21).
    pub licence_number: Option<LicenceNumber>,
    /// 免許の年月日 (22–24). The encoder writes `None` as a zero date, as cards do.
    pub first_licensed: FirstLicensed,
    /// Categories (25–33).
    pub categories: CategoryDates,
    /// Items with tags outside 11–33 (a later card version), kept as read.
    pub unknown: Vec<RawItem>,
}

impl EntriesInfo {
    /// The record without padding: tags 11–33 in order, then the unknown items.
    pub fn encode_tlv(&self) -> Result<Vec<u8>, EncodeError> {
        let mut w = Writer::new(FILE, IC_ENTRIES_SIZE);
        for tag in TAG_FIRST..=TAG_LAST {
            let Some(field) = Field::of(tag) else { continue };
            if let Some(value) = self.value_of(field)? {
                w.put(tag, &value)?;
            }
        }
        for item in &self.unknown {
            w.put_unknown(item, |t| Field::of(t).is_some())?;
        }
        w.finish(IC_ENTRIES_SIZE)
    }

    /// The EF as a card holds it: the record, then `FF` to 880 bytes.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        pad(self.encode_tlv()?, IC_ENTRIES_SIZE, FILE)
    }

    /// The value written for a field; `None` leaves the tag out.
    fn value_of(&self, field: Field) -> Result<Option<Vec<u8>>, EncodeError> {
        let text = |t: Option<&JisText>, name: &'static str| -> Result<Option<Vec<u8>>, EncodeError> {
            t.map(|t| card_jis(t, name).map(<[u8]>::to_vec)).transpose()
        };
        let date = |d: Option<WarekiDate>| d.map(|d| d.encode_licence().to_vec());
        let date_or_none = |d: Option<WarekiDate>| Some(d.map_or(IC_NO_DATE, WarekiDate::encode_licence).to_vec());
        Ok(match field {
            Field::JisEdition => self.jis_edition.map(|b| vec![b]),
            Field::Name => text(self.name.as_ref(), "name")?,
            Field::Kana => text(self.kana.as_ref(), "kana")?,
            Field::Alias => text(self.alias.as_ref(), "alias")?,
            Field::UnifiedName => text(self.unified_name.as_ref(), "unified_name")?,
            Field::BirthDate => date(self.birth_date),
            Field::Address => text(self.address.as_ref(), "address")?,
            Field::IssueDate => date(self.issue_date),
            Field::ReferenceNumber => self.reference_number.as_ref().map(|r| r.raw().to_vec()),
            Field::ColourClass => text(self.colour_class.as_ref(), "colour_class")?,
            Field::Expiry => date(self.expiry),
            Field::Condition(i) => text(self.conditions.get(i).and_then(Option::as_ref), "conditions")?,
            Field::Commission => text(self.commission.as_ref(), "commission")?,
            Field::LicenceNumber => self.licence_number.as_ref().map(|n| n.as_bytes().to_vec()),
            Field::FirstTwoSmallMoped => date_or_none(self.first_licensed.two_small_moped),
            Field::FirstOther => date_or_none(self.first_licensed.other),
            Field::FirstClass2 => date_or_none(self.first_licensed.class2),
            Field::Category(c) => match self.categories.get(c) {
                CategoryDate::NotOnCard => None,
                CategoryDate::NotHeld => date_or_none(None),
                CategoryDate::Since(d) => date(Some(d)),
            },
        })
    }
}

/// DF1/EF01 as decoded, borrowing the bytes it was read from: what is shown and what the
/// signature covers (ic-licence.md §6) are the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entries<'a> {
    part: SignedPart<'a>,
    info: EntriesInfo,
}

impl<'a> Entries<'a> {
    /// Decodes DF1/EF01 as read (at most 880 bytes, padding included).
    pub fn decode(raw: &'a [u8]) -> Result<Self, DecodeError> {
        let items = Items::read(raw, IC_ENTRIES_SIZE)?;
        let mut info = EntriesInfo::default();
        for item in items.iter() {
            // 本籍's tag: with it EF01 could absorb EF02 in the signed form `tlv` (signed.rs).
            if item.tag == TAG_DOMICILE {
                return Err(DecodeError::new(DecodeErrorKind::ForeignTag, item.offset).in_tag(item.tag()));
            }
            match Field::of(item.tag) {
                Some(field) => decode_field(&mut info, field, &item)?,
                None => info.unknown.push(item.to_raw()),
            }
        }
        Ok(Self { part: SignedPart::new(raw, items.end), info })
    }

    /// Every decoded field.
    pub fn info(&self) -> &EntriesInfo {
        &self.info
    }

    /// Every decoded field, taken from the record (no copy).
    pub fn into_info(self) -> EntriesInfo {
        self.info
    }

    /// The EF as read and its TLV bytes: its part of the signed message.
    pub fn part(&self) -> SignedPart<'a> {
        self.part
    }

    /// 氏名.
    pub fn name(&self) -> Option<&JisText> {
        self.info.name.as_ref()
    }

    /// 呼び名 (tag 13): the reading of the name in kana.
    pub fn kana(&self) -> Option<&JisText> {
        self.info.kana.as_ref()
    }

    /// 生年月日.
    pub fn birth_date(&self) -> Option<WarekiDate> {
        self.info.birth_date
    }

    /// 住所.
    pub fn address(&self) -> Option<&JisText> {
        self.info.address.as_ref()
    }

    /// 免許証の番号.
    pub fn licence_number(&self) -> Option<&LicenceNumber> {
        self.info.licence_number.as_ref()
    }

    /// Whether the licence number's check digit matches (a warning when `false`, never a
    /// rejection: the rule is unofficial); `None` without a number.
    pub fn licence_number_check_digit_ok(&self) -> Option<bool> {
        self.licence_number().map(check_digit_matches)
    }

    /// 交付年月日.
    pub fn issue_date(&self) -> Option<WarekiDate> {
        self.info.issue_date
    }

    /// 有効期間の末日 (tag 1B): the last valid day.
    pub fn expiry(&self) -> Option<WarekiDate> {
        self.info.expiry
    }

    /// 免許証の色区分.
    pub fn colour_class(&self) -> Option<&JisText> {
        self.info.colour_class.as_ref()
    }

    /// Conditions 1–4 that are on the card and not empty, in order.
    pub fn conditions(&self) -> impl Iterator<Item = &JisText> {
        self.info.conditions.iter().flatten().filter(|c| !c.is_empty())
    }

    /// 公安委員会名 (tag 20).
    pub fn commission(&self) -> Option<&JisText> {
        self.info.commission.as_ref()
    }

    /// 免許の年月日 (tags 22–24).
    pub fn first_licensed(&self) -> FirstLicensed {
        self.info.first_licensed
    }

    /// Categories with the date first licensed (tags 25–33).
    pub fn categories(&self) -> &CategoryDates {
        &self.info.categories
    }

    /// 照会番号 (tag 19).
    pub fn reference_number(&self) -> Option<&AsciiText> {
        self.info.reference_number.as_ref()
    }
}

fn decode_field(info: &mut EntriesInfo, field: Field, item: &Item<'_>) -> Result<(), DecodeError> {
    let text = || item.jis().map(Some);
    match field {
        Field::JisEdition => info.jis_edition = item.byte()?,
        Field::Name => info.name = text()?,
        Field::Kana => info.kana = text()?,
        Field::Alias => info.alias = text()?,
        Field::UnifiedName => info.unified_name = text()?,
        Field::BirthDate => info.birth_date = item.era_date()?,
        Field::Address => info.address = text()?,
        Field::IssueDate => info.issue_date = item.era_date()?,
        Field::ReferenceNumber => info.reference_number = Some(item.ascii()?),
        Field::ColourClass => info.colour_class = text()?,
        Field::Expiry => info.expiry = item.era_date()?,
        Field::Condition(i) => {
            if let Some(slot) = info.conditions.get_mut(i) {
                *slot = text()?;
            }
        }
        Field::Commission => info.commission = text()?,
        Field::LicenceNumber if item.value.is_empty() => info.licence_number = None,
        Field::LicenceNumber => {
            info.licence_number = Some(LicenceNumber::decode(item.value).map_err(|e| item.locate(e))?);
        }
        Field::FirstTwoSmallMoped => info.first_licensed.two_small_moped = item.era_date()?,
        Field::FirstOther => info.first_licensed.other = item.era_date()?,
        Field::FirstClass2 => info.first_licensed.class2 = item.era_date()?,
        Field::Category(c) => {
            let date = item.era_date()?.map_or(CategoryDate::NotHeld, CategoryDate::Since);
            info.categories.set(c, date);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::era::{DateError, Era};
    use crate::error::{DecodeErrorKind, Tag};
    use crate::ic_licence::signed::SignedForm;
    use crate::ic_licence::test_support::{ascii, ascii_text, jis, jis_text, wareki, wareki_date};
    use crate::jis::JisChar;
    use proptest::prelude::*;

    const T12: Option<Tag> = Some(Tag::IcLicence(0x12));

    fn sample() -> EntriesInfo {
        let mut info = EntriesInfo {
            jis_edition: Some(0x78),
            name: Some(jis("山田太郎")),
            kana: Some(jis("ヤマダタロウ")),
            alias: Some(JisText::default()),
            unified_name: Some(jis("ヤマダタロウ")),
            birth_date: Some(wareki(Era::Heisei, 14, 9, 13)),
            address: Some(jis("東京都千代田区霞が関２丁目１番２号")),
            issue_date: Some(wareki(Era::Reiwa, 6, 4, 1)),
            reference_number: Some(ascii("12345")),
            colour_class: Some(jis("優良")),
            expiry: Some(wareki(Era::Reiwa, 11, 5, 13)),
            commission: Some(jis("東京都公安委員会")),
            licence_number: Some("301234567810".parse().unwrap()),
            ..EntriesInfo::default()
        };
        info.conditions = [Some(jis("眼鏡等")), Some(JisText::default()), Some(JisText::default()), None];
        info.first_licensed.other = Some(wareki(Era::Heisei, 22, 4, 1));
        for c in Category::ALL {
            info.categories.set(c, CategoryDate::NotHeld);
        }
        info.categories.set(Category::Ordinary, CategoryDate::Since(wareki(Era::Heisei, 22, 4, 1)));
        info
    }

    /// A spec-006 record: 11, 12, 16, 21, 32 and padding; no tag 33 (準中型).
    fn spec_006() -> Vec<u8> {
        let mut raw = vec![0x11, 0x01, 0x78, 0x12, 0x04, 0x3B, 0x33, 0x45, 0x44];
        raw.extend_from_slice(&[0x16, 0x07, 0x34, 0x31, 0x34, 0x30, 0x39, 0x31, 0x33]);
        raw.extend_from_slice(&[0x21, 0x0C]);
        raw.extend_from_slice(b"301234567810");
        raw.extend_from_slice(&[0x31, 0x07]);
        raw.extend_from_slice(b"4220401");
        raw.extend_from_slice(&[0x32, 0x07]);
        raw.extend_from_slice(b"0000000");
        raw.resize(64, 0xFF);
        raw
    }

    #[test]
    fn decodes_a_spec_006_record_without_tag_33() {
        let raw = spec_006();
        let e = Entries::decode(&raw).unwrap();
        assert_eq!(e.name().map(ToString::to_string).as_deref(), Some("山田"));
        // 16 07 34 31 34 30 39 31 33 = 平成14年9月13日.
        assert_eq!(e.birth_date(), Some(wareki(Era::Heisei, 14, 9, 13)));
        assert_eq!(e.info().jis_edition, Some(0x78));
        assert_eq!(e.licence_number().map(LicenceNumber::as_str), Some("301234567810"));
        assert_eq!(e.licence_number_check_digit_ok(), Some(true));
        assert_eq!(e.categories().get(Category::SemiMedium), CategoryDate::NotOnCard);
        assert_eq!(e.categories().get(Category::MediumClass2), CategoryDate::NotHeld);
        assert_eq!(e.categories().get(Category::Medium), CategoryDate::Since(wareki(Era::Heisei, 22, 4, 1)));
        assert_eq!(e.categories().get(Category::Large), CategoryDate::NotOnCard);
        assert_eq!(e.kana(), None);
        assert_eq!(e.expiry(), None);
        assert_eq!(e.part().tlv(), &raw[..50]);
        assert_eq!(e.part().get(SignedForm::Tlv), &raw[..50]);
        assert_eq!(e.part().whole(), &raw[..]);
        assert_eq!(e.part().get(SignedForm::Whole), &raw[..]);
        // Re-encoding keeps the card's categories (no 33, no 25–30) and writes 22–24 as zeros.
        let again = e.info().encode_tlv().unwrap();
        let tags: Vec<u8> = Items::read(&again, 880).unwrap().iter().map(|i| i.tag).collect();
        assert_eq!(tags, vec![0x11, 0x12, 0x16, 0x21, 0x22, 0x23, 0x24, 0x31, 0x32]);
        assert_eq!(Entries::decode(&again).unwrap().info(), e.info());
    }

    #[test]
    fn reads_81_and_82_lengths_and_markers_fff1_to_fff7_and_fffa() {
        let mut name = vec![0x3B, 0x33];
        for lo in [0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xFA] {
            name.extend_from_slice(&[0xFF, lo]);
        }
        let mut raw = vec![0x12, 0x81, 0x12];
        raw.extend_from_slice(&name);
        raw.extend_from_slice(&[0x17, 0x82, 0x00, 0x04, 0x45, 0x6C, 0x35, 0x7E]);
        let e = Entries::decode(&raw).unwrap();
        let chars: Vec<JisChar> = e.name().unwrap().chars().collect();
        assert_eq!(chars.first(), Some(&JisChar::Char('山')));
        assert_eq!(e.name().unwrap().gaiji_slots().collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(chars.last(), Some(&JisChar::Missing));
        assert_eq!(e.name().unwrap().to_string(), "山〓〓〓〓〓〓〓〓");
        assert_eq!(e.address().map(ToString::to_string).as_deref(), Some("東京"));
        assert_eq!(e.part().tlv(), &raw[..]);
        // FFF8 is no marker on this card.
        let raw = [0x12, 0x02, 0xFF, 0xF8];
        assert_eq!(
            Entries::decode(&raw),
            Err(DecodeError { kind: DecodeErrorKind::BadJis { byte: 0xFF }, offset: 2, tag: T12 })
        );
    }

    #[test]
    fn a_wrong_check_digit_is_a_warning_not_an_error() {
        let mut raw = vec![0x21, 0x0C];
        raw.extend_from_slice(b"301234567890");
        let e = Entries::decode(&raw).unwrap();
        assert_eq!(e.licence_number_check_digit_ok(), Some(false));
        assert_eq!(Entries::decode(&[0x21, 0x00]).unwrap().licence_number_check_digit_ok(), None);
    }

    #[test]
    fn errors_name_tag_and_offset() {
        let t = |tag: u8| Some(Tag::IcLicence(tag));
        // Truncated inside a length, past the end with a value, duplicate tag, trailing bytes.
        assert_eq!(
            Entries::decode(&[0x11, 0x01, 0x78, 0x17, 0x82, 0x01]),
            Err(DecodeError { kind: DecodeErrorKind::Truncated { needed: 1 }, offset: 5, tag: t(0x17) })
        );
        let mut raw = vec![0x11, 0x01, 0x78, 0x17, 0x82, 0x01, 0x00];
        raw.extend_from_slice(&[0x21; 10]);
        assert_eq!(
            Entries::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::LengthPastEnd { length: 256, available: 10 },
                offset: 7,
                tag: t(0x17)
            })
        );
        assert_eq!(
            Entries::decode(&[0x12, 0x00, 0x13, 0x00, 0x12, 0x00]),
            Err(DecodeError { kind: DecodeErrorKind::DuplicateTag, offset: 4, tag: T12 })
        );
        assert_eq!(
            Entries::decode(&[0x12, 0x00, 0xFF, 0x12, 0x00]),
            Err(DecodeError::new(DecodeErrorKind::TrailingBytes { count: 2 }, 3))
        );
        assert_eq!(
            Entries::decode(&[0xFF; 881]),
            Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: 880, actual: 881 }, 0))
        );
        // Values.
        let mut raw = vec![0x12, 0x00, 0x21, 0x0C];
        raw.extend_from_slice(b"30123456781X");
        assert_eq!(
            Entries::decode(&raw),
            Err(DecodeError { kind: DecodeErrorKind::NotDigits, offset: 15, tag: t(0x21) })
        );
        assert_eq!(
            Entries::decode(&[0x21, 0x03, b'3', b'0', b'1']),
            Err(DecodeError {
                kind: DecodeErrorKind::WrongLength { expected: 12, actual: 3 },
                offset: 2,
                tag: t(0x21)
            })
        );
        let mut raw = vec![0x33, 0x07];
        raw.extend_from_slice(b"3640108");
        assert_eq!(
            Entries::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::BadDate(DateError::OutsideEra { era: Era::Showa, year: 64, month: 1, day: 8 }),
                offset: 2,
                tag: t(0x33)
            })
        );
        assert_eq!(
            Entries::decode(&[0x12, 0x03, 0x3B, 0x33, 0x45]),
            Err(DecodeError { kind: DecodeErrorKind::OddJisLength, offset: 4, tag: T12 })
        );
        assert_eq!(
            Entries::decode(&[0x19, 0x02, b'1', 0x80]),
            Err(DecodeError { kind: DecodeErrorKind::BadAscii { byte: 0x80 }, offset: 3, tag: t(0x19) })
        );
        assert_eq!(
            Entries::decode(&[0x11, 0x02, 0x78, 0x78]),
            Err(DecodeError { kind: DecodeErrorKind::WrongLength { expected: 1, actual: 2 }, offset: 2, tag: t(0x11) })
        );
    }

    #[test]
    fn keeps_tags_of_later_versions() {
        let raw = [0x12, 0x00, 0x34, 0x01, 0xAA, 0xFF];
        let e = Entries::decode(&raw).unwrap();
        assert_eq!(e.info().unknown, vec![RawItem { tag: Tag::IcLicence(0x34), value: vec![0xAA] }]);
        // Written back after the layout's tags (22–24 as zero dates, as cards write them).
        let again = e.info().encode_tlv().unwrap();
        assert!(again.ends_with(&[0x24, 0x07, b'0', b'0', b'0', b'0', b'0', b'0', b'0', 0x34, 0x01, 0xAA]));
        assert_eq!(Entries::decode(&again).unwrap().info(), e.info());
        let mut info = EntriesInfo::default();
        info.unknown.push(RawItem { tag: Tag::IcLicence(0x12), value: vec![] });
        assert_eq!(
            info.encode_tlv(),
            Err(EncodeError::Invalid { field: "DF1/EF01", reason: "an unknown item has a tag of the layout" })
        );
    }

    #[test]
    fn encodes_a_full_card_padded_to_880_bytes() {
        let raw = sample().encode().unwrap();
        assert_eq!(raw.len(), 880);
        let e = Entries::decode(&raw).unwrap();
        assert_eq!(e.info(), &sample());
        assert_eq!(e.part().tlv(), &sample().encode_tlv().unwrap()[..]);
        assert!(raw[e.part().tlv().len()..].iter().all(|&b| b == 0xFF));
        assert_eq!(e.conditions().map(ToString::to_string).collect::<Vec<_>>(), vec!["眼鏡等"]);
        assert_eq!(e.colour_class().map(ToString::to_string).as_deref(), Some("優良"));
        assert_eq!(e.commission().map(ToString::to_string).as_deref(), Some("東京都公安委員会"));
        assert_eq!(e.reference_number().map(AsciiText::as_str), Some("12345"));
        assert_eq!(e.issue_date(), Some(wareki(Era::Reiwa, 6, 4, 1)));
        assert_eq!(e.expiry(), Some(wareki(Era::Reiwa, 11, 5, 13)));
        assert_eq!(e.first_licensed().other, Some(wareki(Era::Heisei, 22, 4, 1)));
        assert_eq!(e.first_licensed().class2, None);
        // Tags 22–33 are all written; the none dates as zeros.
        let tags: Vec<u8> = {
            let items = Items::read(&raw, 880).unwrap();
            items.iter().map(|i| i.tag).collect()
        };
        assert_eq!(tags.len(), 0x33 - 0x11 + 1 - 1); // every tag but condition 4
        assert!(!tags.contains(&0x1F));
        let mut big = sample();
        big.address = Some(jis(&"東".repeat(440)));
        assert_eq!(big.encode(), Err(EncodeError::Invalid { field: "DF1/EF01", reason: "record larger than its EF" }));
    }

    #[test]
    fn field_table_covers_every_tag_once() {
        let fields: Vec<Field> = (TAG_FIRST..=TAG_LAST).filter_map(Field::of).collect();
        assert_eq!(fields.len(), usize::from(TAG_LAST - TAG_FIRST + 1));
        for c in Category::ALL {
            assert_eq!(fields.iter().filter(|&&f| f == Field::Category(c)).count(), 1);
        }
        assert_eq!(Field::of(0x33), Some(Field::Category(Category::SemiMedium)));
        assert_eq!(Field::of(0x1F), Some(Field::Condition(3)));
        assert_eq!(Field::of(0x10), None);
        assert_eq!(Field::of(0x34), None);
    }

    fn category_date() -> impl Strategy<Value = CategoryDate> {
        prop_oneof![
            Just(CategoryDate::NotOnCard),
            Just(CategoryDate::NotHeld),
            wareki_date().prop_map(CategoryDate::Since)
        ]
    }

    fn entries_info() -> impl Strategy<Value = EntriesInfo> {
        let texts = proptest::collection::vec(proptest::option::of(jis_text(12)), 11);
        let dates = proptest::collection::vec(proptest::option::of(wareki_date()), 6);
        let categories = proptest::collection::vec(category_date(), 15);
        let numbers = (
            proptest::option::of(any::<u8>()),
            proptest::option::of(ascii_text(8)),
            proptest::option::of("[0-9]{12}"),
            // Any tag after 33 but EF02's 41, which EF01 refuses (ForeignTag).
            proptest::collection::vec(
                (
                    (0x35u8..0xFF).prop_filter("EF02's tag", |t| *t != TAG_DOMICILE),
                    proptest::collection::vec(any::<u8>(), 0..4),
                ),
                0..3,
            ),
        );
        (texts, dates, categories, numbers).prop_map(|(t, d, c, (edition, reference, number, unknown))| {
            let mut t = t.into_iter();
            let mut d = d.into_iter();
            let mut info = EntriesInfo {
                jis_edition: edition,
                name: t.next().flatten(),
                kana: t.next().flatten(),
                alias: t.next().flatten(),
                unified_name: t.next().flatten(),
                address: t.next().flatten(),
                colour_class: t.next().flatten(),
                commission: t.next().flatten(),
                conditions: [t.next().flatten(), t.next().flatten(), t.next().flatten(), t.next().flatten()],
                birth_date: d.next().flatten(),
                issue_date: d.next().flatten(),
                expiry: d.next().flatten(),
                reference_number: reference,
                licence_number: number.map(|n| n.parse().unwrap()),
                ..EntriesInfo::default()
            };
            info.first_licensed = FirstLicensed {
                two_small_moped: d.next().flatten(),
                other: d.next().flatten(),
                class2: d.next().flatten(),
            };
            for (cat, date) in Category::ALL.into_iter().zip(c) {
                info.categories.set(cat, date);
            }
            let mut seen = std::collections::BTreeSet::new();
            info.unknown = unknown
                .into_iter()
                .filter(|(tag, _)| seen.insert(*tag))
                .map(|(tag, value)| RawItem { tag: Tag::IcLicence(tag), value })
                .collect();
            info
        })
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(info in entries_info()) {
            let raw = info.encode().unwrap();
            prop_assert_eq!(raw.len(), IC_ENTRIES_SIZE);
            let e = Entries::decode(&raw).unwrap();
            prop_assert_eq!(e.info(), &info);
            prop_assert_eq!(e.part().tlv(), &info.encode_tlv().unwrap()[..]);
        }

        #[test]
        fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..900)) {
            if let Ok(e) = Entries::decode(&raw) {
                prop_assert!(e.part().tlv().len() <= raw.len());
            }
        }
    }
}
