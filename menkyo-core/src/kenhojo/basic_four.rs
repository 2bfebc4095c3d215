//! EF 0002: the basic four (基本4情報): name, address, birth date, sex.
//!
//! ```text
//! FF20 {
//!   DF21  8 bytes: four big-endian u16, absolute offsets in the EF of the DF22..DF25 tags
//!   DF22  name, UTF-8, family and given name separated by U+3000
//!   DF23  address, UTF-8
//!   DF24  birth date, ASCII YYYYMMDD (Gregorian)
//!   DF25  sex, one ASCII digit: 1 male, 2 female, 9 not applicable
//! }  filler (FF, sometimes 00) up to the physical size
//! ```
//! EF 0003's DF32 is SHA-256 over the DF22..DF25 TLVs: from the DF22 tag to the end of the FF20 value.

use core::fmt;
use core::ops::Range;

use crate::ber::{self, BerTlv};
use crate::date::Date;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::kenhojo::record::Outer;
use crate::profile::{EF0002_MAX, EF0002_PHYSICAL_SIZE, KENHOJO_FILLER};
use crate::tlv::EncodeError;

const TAG_RECORD: u32 = 0xFF20;
const TAG_OFFSETS: u32 = 0xDF21;
const TAG_NAME: u32 = 0xDF22;
const TAG_ADDRESS: u32 = 0xDF23;
const TAG_BIRTH: u32 = 0xDF24;
const TAG_SEX: u32 = 0xDF25;
const ITEM_TAGS: [u32; 4] = [TAG_NAME, TAG_ADDRESS, TAG_BIRTH, TAG_SEX];
/// Length of the DF21 offset table: four u16.
const OFFSET_TABLE_LEN: usize = 8;
const FULL_WIDTH_SPACE: char = '\u{3000}';

/// 性別 (DF25), ISO 5218 codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
    NotApplicable,
    /// Any other byte, kept as read (`0` is "not known" in ISO 5218).
    Unknown(u8),
}

impl Sex {
    pub fn from_code(b: u8) -> Self {
        match b {
            b'1' => Sex::Male,
            b'2' => Sex::Female,
            b'9' => Sex::NotApplicable,
            other => Sex::Unknown(other),
        }
    }

    pub fn code(self) -> u8 {
        match self {
            Sex::Male => b'1',
            Sex::Female => b'2',
            Sex::NotApplicable => b'9',
            Sex::Unknown(b) => b,
        }
    }

    /// `male`, `female`, `not_applicable` or `unknown` (the report's words).
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
            Sex::NotApplicable => "not_applicable",
            Sex::Unknown(_) => "unknown",
        }
    }
}

/// The basic four. `Debug` redacts everything: this is personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicFour {
    /// 氏名: family and given name separated by U+3000.
    pub name: String,
    /// 住所.
    pub address: String,
    /// 生年月日 (Gregorian).
    pub birth_date: Date,
    /// 性別.
    pub sex: Sex,
}

impl fmt::Debug for BasicFour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BasicFour(<redacted>)")
    }
}

impl BasicFour {
    /// Family name: the name up to the first full-width space.
    pub fn family_name(&self) -> &str {
        self.name.split(FULL_WIDTH_SPACE).next().unwrap_or_default()
    }

    /// Given name: what follows the first full-width space (empty when there is none).
    pub fn given_name(&self) -> &str {
        self.name.split_once(FULL_WIDTH_SPACE).map(|(_, g)| g).unwrap_or_default()
    }

    /// Encodes the record with its offset table, padded with filler to the physical size.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let birth = self.birth_date.to_yyyymmdd();
        let items = [
            ber::tlv(TAG_NAME, self.name.as_bytes())?,
            ber::tlv(TAG_ADDRESS, self.address.as_bytes())?,
            ber::tlv(TAG_BIRTH, birth.as_bytes())?,
            ber::tlv(TAG_SEX, &[self.sex.code()])?,
        ];
        let table_tlv_len = 3usize.saturating_add(OFFSET_TABLE_LEN);
        let content_len = items.iter().map(Vec::len).fold(table_tlv_len, usize::saturating_add);
        // The outer header is 2 tag bytes and 1, 2 or 3 length bytes.
        let header_len = ber::tlv(TAG_RECORD, &vec![0; content_len])?.len().saturating_sub(content_len);
        let mut table = Vec::with_capacity(OFFSET_TABLE_LEN);
        let mut at = header_len.saturating_add(table_tlv_len);
        for item in &items {
            let off = u16::try_from(at).map_err(|_| EncodeError::TooLong { tag: Tag::Ber(TAG_RECORD) })?;
            table.extend_from_slice(&off.to_be_bytes());
            at = at.saturating_add(item.len());
        }
        let mut content = ber::tlv(TAG_OFFSETS, &table)?;
        items.iter().for_each(|i| content.extend_from_slice(i));
        let record = ber::tlv(TAG_RECORD, &content)?;
        if record.len() > EF0002_MAX {
            return Err(EncodeError::Invalid { field: "EF0002", reason: "record exceeds the maximum size" });
        }
        Ok(ber::pad_to(record, EF0002_PHYSICAL_SIZE, KENHOJO_FILLER))
    }
}

/// EF 0002 as decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ef0002<'a> {
    pub info: BasicFour,
    /// The bytes EF 0003's DF32 digests: DF22 tag to the end of the FF20 value.
    pub digest_range: Range<usize>,
    /// Those bytes, borrowed from the EF.
    pub digest_input: &'a [u8],
    /// Bytes after the record (filler).
    pub trailing: usize,
}

impl<'a> Ef0002<'a> {
    pub fn decode(raw: &'a [u8]) -> Result<Self, DecodeError> {
        let outer = Outer::read(raw, TAG_RECORD, EF0002_MAX)?;
        let mut inner = outer.inner();
        let table = inner.expect(TAG_OFFSETS)?;
        let declared = ber::fixed::<OFFSET_TABLE_LEN>(&table)?;
        let mut items: Vec<BerTlv<'_>> = Vec::with_capacity(ITEM_TAGS.len());
        for (tag, pair) in ITEM_TAGS.into_iter().zip(declared.as_chunks::<2>().0) {
            let item = inner.expect(tag)?;
            let declared = usize::from(u16::from_be_bytes(*pair));
            if declared != item.offset {
                return Err(DecodeError::new(
                    DecodeErrorKind::OffsetMismatch { declared, actual: item.offset },
                    table.value_offset,
                )
                .in_tag(Tag::Ber(TAG_OFFSETS)));
            }
            items.push(item);
        }
        inner.finish()?;
        let [name, address, birth, sex] = <[BerTlv<'_>; 4]>::try_from(items).map_err(|_| {
            DecodeError::new(DecodeErrorKind::MissingItem { expected: Tag::Ber(TAG_SEX) }, outer.tlv.end())
        })?;
        let text = |t: &BerTlv<'_>| {
            String::from_utf8(t.value.to_vec())
                .map_err(|_| DecodeError::new(DecodeErrorKind::BadUtf8, t.value_offset).in_tag(Tag::Ber(t.tag)))
        };
        let birth_date = Date::from_yyyymmdd(birth.value).map_err(|e| {
            DecodeError::new(DecodeErrorKind::BadDate(e), birth.value_offset).in_tag(Tag::Ber(TAG_BIRTH))
        })?;
        let [code] = ber::fixed::<1>(&sex)?;
        let info = BasicFour { name: text(&name)?, address: text(&address)?, birth_date, sex: Sex::from_code(code) };
        let digest_range = name.offset..outer.tlv.end();
        let digest_input = raw.get(digest_range.clone()).unwrap_or_default();
        Ok(Self { info, digest_range, digest_input, trailing: outer.trailing })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(address: &str) -> BasicFour {
        BasicFour {
            name: "山田　太郎".into(),
            address: address.into(),
            birth_date: "1980-02-17".parse().unwrap(),
            sex: Sex::Male,
        }
    }

    #[test]
    fn round_trips_with_offsets_and_filler() {
        let info = sample("東京都千代田区霞が関２丁目１番２号");
        let raw = info.encode().unwrap();
        assert_eq!(raw.len(), EF0002_PHYSICAL_SIZE);
        assert_eq!(&raw[..2], &[0xFF, 0x20]);
        let ef = Ef0002::decode(&raw).unwrap();
        assert_eq!(ef.info, info);
        assert_eq!(ef.info.family_name(), "山田");
        assert_eq!(ef.info.given_name(), "太郎");
        let digest = ef.digest_input;
        assert_eq!(&digest[..2], &[0xDF, 0x22]);
        assert_eq!(digest.last(), Some(&b'1'));
        assert_eq!(ef.trailing, EF0002_PHYSICAL_SIZE - ef.digest_range.end);
        assert_eq!(format!("{:?}", ef.info), "BasicFour(<redacted>)");
    }

    #[test]
    fn long_address_uses_long_lengths() {
        let address = "北海道札幌市中央区北一条西二丁目".repeat(8);
        assert!(address.len() > 255);
        let raw = sample(&address).encode().unwrap();
        assert_eq!(&raw[..3], &[0xFF, 0x20, 0x82]);
        assert_eq!(Ef0002::decode(&raw).unwrap().info.address, address);
    }

    #[test]
    fn detects_a_wrong_offset_table() {
        let mut raw = sample("東京都").encode().unwrap();
        // FF 20 38, DF 21 08, then the table at 6..14; its first entry points at DF22 (14).
        assert_eq!(&raw[..8], &[0xFF, 0x20, 0x38, 0xDF, 0x21, 0x08, 0x00, 0x0E]);
        raw[7] = 0x0F;
        assert_eq!(
            Ef0002::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::OffsetMismatch { declared: 15, actual: 14 },
                offset: 6,
                tag: Some(Tag::Ber(0xDF21))
            })
        );
    }

    #[test]
    fn rejects_bad_birth_date_and_utf8() {
        let raw = sample("東京都").encode().unwrap();
        let ef = Ef0002::decode(&raw).unwrap();
        let birth_at = raw.windows(8).position(|w| w == b"19800217").unwrap();
        let mut bad = raw.clone();
        bad[birth_at + 6] = b'3';
        bad[birth_at + 7] = b'0';
        let err = Ef0002::decode(&bad).unwrap_err();
        assert_eq!(err.tag, Some(Tag::Ber(0xDF24)));
        assert_eq!(err.offset, birth_at);
        let mut bad = raw.clone();
        bad[ef.digest_range.start + 3] = 0xFF;
        assert_eq!(Ef0002::decode(&bad).unwrap_err().kind, DecodeErrorKind::BadUtf8);
    }
}
