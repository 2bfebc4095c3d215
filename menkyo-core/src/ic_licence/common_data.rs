//! MF/EF01 共通データ要素 (common data): specification version and card dates, readable
//! without a PIN.
//!
//! ```text
//! 45 0B  spec version (3 B ASCII, e.g. "008")
//!        交付年月日 issue date (4 B packed BCD YYYYMMDD)
//!        有効期間の末日 expiry (4 B packed BCD YYYYMMDD)
//! 46 02  manufacturer id (1 B), crypto function id (1 B)   opaque, shown as hex
//! ```
//!
//! **Not signed** (ic-licence.md §4, §6): use it to decide what to read, never as verified data.
//! The signed dates are those of DF1/EF01 ([`crate::ic_licence::Entries`]).

use crate::ascii::AsciiText;
use crate::date::Date;
use crate::era::DateError;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::ic_licence::tlv::{Items, Writer};
use crate::profile::{IC_COMMON_DATA_SIZE, IC_COMMON_DATES_LEN, IC_COMMON_IDS_LEN};
use crate::tlv::{EncodeError, RawItem};

const TAG_DATES: u8 = 0x45;
const TAG_IDS: u8 = 0x46;
const FILE: &str = "MF/EF01";

/// Length of the spec version in tag 45.
const SPEC_VERSION_LEN: usize = 3;
/// Length of one packed BCD date.
const BCD_DATE_LEN: usize = 4;
const ISSUE_AT: usize = SPEC_VERSION_LEN;
const EXPIRY_AT: usize = SPEC_VERSION_LEN + BCD_DATE_LEN;

/// The content of MF/EF01. Unsigned: anyone can write a card that says anything here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommonData {
    /// 仕様書バージョン番号, three ASCII characters such as `008`.
    pub spec_version: AsciiText,
    /// 交付年月日 as written in MF/EF01 (unsigned).
    pub issue_date: Date,
    /// 有効期間の末日 as written in MF/EF01 (unsigned).
    pub expiry: Date,
    /// Card manufacturer id, opaque.
    pub manufacturer_id: u8,
    /// Crypto function id, opaque.
    pub crypto_function_id: u8,
    /// Items with tags outside the layout, kept as read.
    pub unknown: Vec<RawItem>,
}

impl CommonData {
    /// Decodes MF/EF01 as read (17 bytes; padding after the items is allowed).
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        let items = Items::read(raw, IC_COMMON_DATA_SIZE)?;
        let dates = items.require(TAG_DATES)?;
        let [v0, v1, v2, i0, i1, i2, i3, e0, e1, e2, e3] =
            <[u8; IC_COMMON_DATES_LEN]>::try_from(dates.value).map_err(|_| {
                dates
                    .error(DecodeErrorKind::WrongLength { expected: IC_COMMON_DATES_LEN, actual: dates.value.len() }, 0)
            })?;
        let spec_version = AsciiText::decode(&[v0, v1, v2]).map_err(|e| dates.locate(e))?;
        let date = |bcd: [u8; BCD_DATE_LEN], at: usize| {
            decode_bcd_date(bcd).map_err(|e| dates.error(DecodeErrorKind::BadDate(e), at))
        };
        let issue_date = date([i0, i1, i2, i3], ISSUE_AT)?;
        let expiry = date([e0, e1, e2, e3], EXPIRY_AT)?;
        let ids = items.require(TAG_IDS)?;
        let [manufacturer_id, crypto_function_id] = <[u8; IC_COMMON_IDS_LEN]>::try_from(ids.value).map_err(|_| {
            ids.error(DecodeErrorKind::WrongLength { expected: IC_COMMON_IDS_LEN, actual: ids.value.len() }, 0)
        })?;
        let unknown = items.unknown(is_layout_tag);
        Ok(Self { spec_version, issue_date, expiry, manufacturer_id, crypto_function_id, unknown })
    }

    /// The specification version as a number (`008` → 8), when it is three digits.
    pub fn spec_version_number(&self) -> Option<u16> {
        let s = self.spec_version.raw();
        if s.len() == SPEC_VERSION_LEN && s.iter().all(u8::is_ascii_digit) {
            s.iter().try_fold(0u16, |acc, &b| acc.checked_mul(10)?.checked_add(u16::from(b.checked_sub(b'0')?)))
        } else {
            None
        }
    }

    /// Encodes MF/EF01 (17 bytes, no padding needed). The spec version must be 3 bytes.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        if self.spec_version.raw().len() != SPEC_VERSION_LEN {
            return Err(EncodeError::Invalid { field: "spec_version", reason: "must be 3 ASCII characters" });
        }
        let mut dates = Vec::with_capacity(IC_COMMON_DATES_LEN);
        dates.extend_from_slice(self.spec_version.raw());
        dates.extend_from_slice(&encode_bcd_date(self.issue_date));
        dates.extend_from_slice(&encode_bcd_date(self.expiry));
        let mut w = Writer::new(FILE, IC_COMMON_DATA_SIZE);
        w.put(TAG_DATES, &dates)?;
        w.put(TAG_IDS, &[self.manufacturer_id, self.crypto_function_id])?;
        for item in &self.unknown {
            w.put_unknown(item, is_layout_tag)?;
        }
        w.finish(IC_COMMON_DATA_SIZE)
    }
}

fn is_layout_tag(tag: u8) -> bool {
    tag == TAG_DATES || tag == TAG_IDS
}

/// `20 19 05 01` → 2019-05-01. A nibble above 9 is not a digit.
fn decode_bcd_date(bcd: [u8; BCD_DATE_LEN]) -> Result<Date, DateError> {
    let mut digits = [0u8; 2 * BCD_DATE_LEN];
    let nibbles = bcd.iter().flat_map(|b| [b >> 4, b & 0x0F]);
    for (d, n) in digits.iter_mut().zip(nibbles) {
        // Any non-digit makes `from_yyyymmdd` answer NotDigits.
        *d = if n <= 9 { b'0'.saturating_add(n) } else { b'?' };
    }
    Date::from_yyyymmdd(&digits)
}

fn encode_bcd_date(date: Date) -> [u8; BCD_DATE_LEN] {
    let digits = date.to_yyyymmdd();
    let mut out = [0u8; BCD_DATE_LEN];
    for (o, pair) in out.iter_mut().zip(digits.as_bytes().chunks(2)) {
        let hi = pair.first().map_or(0, |d| d.saturating_sub(b'0'));
        let lo = pair.get(1).map_or(0, |d| d.saturating_sub(b'0'));
        *o = (hi << 4) | lo;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Tag;
    use proptest::prelude::*;

    const REAL: [u8; 17] =
        [0x45, 0x0B, b'0', b'0', b'8', 0x20, 0x19, 0x05, 0x01, 0x20, 0x24, 0x06, 0x13, 0x46, 0x02, 0x11, 0x22];

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn sample() -> CommonData {
        CommonData {
            spec_version: AsciiText::try_from("008").unwrap(),
            issue_date: d("2019-05-01"),
            expiry: d("2024-06-13"),
            manufacturer_id: 0x11,
            crypto_function_id: 0x22,
            unknown: vec![],
        }
    }

    #[test]
    fn decodes_and_encodes_the_17_bytes() {
        let c = CommonData::decode(&REAL).unwrap();
        assert_eq!(c, sample());
        assert_eq!(c.spec_version_number(), Some(8));
        assert_eq!(c.encode().unwrap(), REAL.to_vec());
    }

    #[test]
    fn errors_name_tag_and_offset() {
        let mut raw = REAL;
        raw[8] = 0x3A; // day nibble A
        assert_eq!(
            CommonData::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::BadDate(DateError::NotDigits),
                offset: 5,
                tag: Some(Tag::IcLicence(0x45))
            })
        );
        let mut raw = REAL;
        raw[11] = 0x02;
        raw[12] = 0x30;
        assert_eq!(
            CommonData::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::BadDate(DateError::BadDay { year: 2024, month: 2, day: 30 }),
                offset: 9,
                tag: Some(Tag::IcLicence(0x45))
            })
        );
        assert_eq!(
            CommonData::decode(&REAL[..13]),
            Err(DecodeError::new(DecodeErrorKind::MissingItem { expected: Tag::IcLicence(0x46) }, 13))
        );
        assert_eq!(
            CommonData::decode(&REAL[..12]),
            Err(DecodeError {
                kind: DecodeErrorKind::LengthPastEnd { length: 11, available: 10 },
                offset: 2,
                tag: Some(Tag::IcLicence(0x45))
            })
        );
        let raw = [0x45, 0x01, b'0', 0x46, 0x02, 0, 0];
        assert_eq!(
            CommonData::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::WrongLength { expected: 11, actual: 1 },
                offset: 2,
                tag: Some(Tag::IcLicence(0x45))
            })
        );
        let mut raw = REAL.to_vec();
        raw.push(0xFF);
        assert_eq!(
            CommonData::decode(&raw),
            Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: 17, actual: 18 }, 0))
        );
    }

    #[test]
    fn refuses_a_spec_version_that_is_not_three_bytes() {
        let c = CommonData { spec_version: AsciiText::try_from("08").unwrap(), ..sample() };
        assert_eq!(
            c.encode(),
            Err(EncodeError::Invalid { field: "spec_version", reason: "must be 3 ASCII characters" })
        );
        let c = CommonData { spec_version: AsciiText::try_from("0A8").unwrap(), ..sample() };
        assert_eq!(c.spec_version_number(), None);
    }

    proptest! {
        #[test]
        fn round_trip(
            y1 in 1u16..=9999, m1 in 1u8..=12, d1 in 1u8..=28,
            y2 in 1u16..=9999, m2 in 1u8..=12, d2 in 1u8..=28,
            version in "[0-9A-Z ]{3}", ids in any::<(u8, u8)>(),
        ) {
            let c = CommonData {
                spec_version: AsciiText::try_from(version.as_str()).unwrap(),
                issue_date: Date::new(y1, m1, d1).unwrap(),
                expiry: Date::new(y2, m2, d2).unwrap(),
                manufacturer_id: ids.0,
                crypto_function_id: ids.1,
                unknown: vec![],
            };
            let raw = c.encode().unwrap();
            prop_assert_eq!(raw.len(), IC_COMMON_DATA_SIZE);
            prop_assert_eq!(CommonData::decode(&raw), Ok(c));
        }

        #[test]
        fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..20)) {
            let _ = CommonData::decode(&raw);
        }
    }
}
