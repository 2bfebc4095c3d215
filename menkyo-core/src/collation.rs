//! 照合番号B (collation number B) and the birth-date key, built from what is printed on the card.
//!
//! ```text
//! 照合番号B = YYMMDD  birth date with the year in its Japanese era (昭和55 -> 55), era not encoded
//!           | YYYY    the card's expiry year (Gregorian)
//!           | NNNN    the 4-digit security code printed on the card front
//! born 1980-02-17, card expires 2035, code 2285  ->  55021720352285
//! ```

use core::fmt;
use core::str::FromStr;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::date::Date;
use crate::era::{DateError, WarekiDate};
use crate::profile::{CARD_EXPIRY_YEAR_MAX, CARD_EXPIRY_YEAR_MIN};

/// Digits of 照合番号B.
pub const COLLATION_B_LEN: usize = 14;
/// Digits of the birth-date key.
pub const BIRTH_DATE_KEY_LEN: usize = 6;
/// Digits of the security code (セキュリティコード).
pub const SECURITY_CODE_LEN: usize = 4;

/// Which input was wrong; the message names the field as a clerk would.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CollationError {
    #[error("birth date: {0}")]
    BirthDate(DateError),
    #[error(
        "card expiry year: {year} is not a possible My Number card expiry year ({CARD_EXPIRY_YEAR_MIN}–{CARD_EXPIRY_YEAR_MAX})"
    )]
    CardExpiryYear { year: u16 },
    #[error("card expiry year: must be four digits")]
    CardExpiryYearFormat,
    #[error("security code: must be exactly {SECURITY_CODE_LEN} digits")]
    SecurityCode,
    #[error("collation number: must be exactly {expected} digits")]
    Length { expected: usize },
    #[error("collation number: the birth date part is not a date")]
    BirthPart,
}

/// 照合番号B: opens EF 0002 of the input-assist AP (never EF 0001). Zeroized on drop;
/// `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct CollationNumberB([u8; COLLATION_B_LEN]);

impl CollationNumberB {
    /// From the Gregorian birth date, the card's expiry year and the security code.
    pub fn new(birth: Date, card_expiry_year: u16, security_code: &str) -> Result<Self, CollationError> {
        if !(CARD_EXPIRY_YEAR_MIN..=CARD_EXPIRY_YEAR_MAX).contains(&card_expiry_year) {
            return Err(CollationError::CardExpiryYear { year: card_expiry_year });
        }
        let code = security_code.as_bytes();
        if code.len() != SECURITY_CODE_LEN || !code.iter().all(u8::is_ascii_digit) {
            return Err(CollationError::SecurityCode);
        }
        let key = BirthDateKey::new(birth)?;
        let mut out = [0u8; COLLATION_B_LEN];
        let mut year = format!("{card_expiry_year:04}");
        let source = key.0.iter().chain(year.as_bytes()).chain(code);
        out.iter_mut().zip(source).for_each(|(o, &i)| *o = i);
        year.zeroize();
        Ok(Self(out))
    }

    /// From the text a clerk typed: `YYYY-MM-DD`, `YYYY`, `NNNN`.
    pub fn from_inputs(birth: &str, card_expiry_year: &str, security_code: &str) -> Result<Self, CollationError> {
        let birth: Date = birth.trim().parse().map_err(CollationError::BirthDate)?;
        let year = card_expiry_year.trim();
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CollationError::CardExpiryYearFormat);
        }
        let year = year.parse::<u16>().map_err(|_| CollationError::CardExpiryYearFormat)?;
        CollationNumberB::new(birth, year, security_code.trim())
    }

    /// The 14 ASCII digits sent in VERIFY.
    pub fn as_bytes(&self) -> &[u8; COLLATION_B_LEN] {
        &self.0
    }

    /// The 14 digits as text (for the `collation-number` command only).
    pub fn expose(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// 14 ASCII digits whose first six are a plausible `YYMMDD`.
impl FromStr for CollationNumberB {
    type Err = CollationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = <[u8; COLLATION_B_LEN]>::try_from(s.as_bytes())
            .map_err(|_| CollationError::Length { expected: COLLATION_B_LEN })?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(CollationError::Length { expected: COLLATION_B_LEN });
        }
        let n = |i: usize| digits.get(i).map_or(0, |d| d - b'0');
        let (month, day) = (n(2) * 10 + n(3), n(4) * 10 + n(5));
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(CollationError::BirthPart);
        }
        Ok(Self(digits))
    }
}

impl fmt::Debug for CollationNumberB {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CollationNumberB(<redacted>)")
    }
}

/// The six-digit birth-date key (`YYMMDD`, year in its era) of the 券面事項確認AP: the first
/// six digits of 照合番号B. [P] see `card-formats.md` §1, the kenkaku AP is optional for us.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct BirthDateKey([u8; BIRTH_DATE_KEY_LEN]);

impl BirthDateKey {
    pub fn new(birth: Date) -> Result<Self, CollationError> {
        let w = WarekiDate::from_gregorian(birth).map_err(CollationError::BirthDate)?;
        let mut s = format!("{:02}{:02}{:02}", w.year(), w.month(), w.day());
        let mut out = [0u8; BIRTH_DATE_KEY_LEN];
        out.iter_mut().zip(s.bytes()).for_each(|(o, i)| *o = i);
        s.zeroize();
        Ok(Self(out))
    }

    pub fn as_bytes(&self) -> &[u8; BIRTH_DATE_KEY_LEN] {
        &self.0
    }
}

impl fmt::Debug for BirthDateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BirthDateKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case("1980-02-17", "2035", "2285", "55021720352285")]
    #[case("1989-01-07", "2030", "0001", "64010720300001")] // last day of 昭和
    #[case("1989-01-08", "2030", "0001", "01010820300001")] // 平成元年
    #[case("2019-05-01", "2029", "9999", "01050120299999")] // 令和元年
    #[case("2019-04-30", "2029", "1234", "31043020291234")] // last day of 平成
    #[case("1926-12-25", "2026", "4321", "01122520264321")] // 昭和元年
    fn builds_collation_b(#[case] birth: &str, #[case] year: &str, #[case] code: &str, #[case] want: &str) {
        let c = CollationNumberB::from_inputs(birth, year, code).unwrap();
        assert_eq!(c.expose(), want);
        assert_eq!(want.parse::<CollationNumberB>(), Ok(c));
    }

    #[rstest]
    #[case("1980-02-30", "2035", "2285", CollationError::BirthDate(DateError::BadDay { year: 1980, month: 2, day: 30 }))]
    #[case("1980/02/17", "2035", "2285", CollationError::BirthDate(DateError::BadFormat))]
    #[case("1868-01-24", "2035", "2285", CollationError::BirthDate(DateError::BeforeMeiji))]
    #[case("1980-02-17", "35", "2285", CollationError::CardExpiryYearFormat)]
    #[case("1980-02-17", "1999", "2285", CollationError::CardExpiryYear { year: 1999 })]
    #[case("1980-02-17", "2035", "228", CollationError::SecurityCode)]
    #[case("1980-02-17", "2035", "22a5", CollationError::SecurityCode)]
    fn rejects_bad_inputs(#[case] birth: &str, #[case] year: &str, #[case] code: &str, #[case] err: CollationError) {
        assert_eq!(CollationNumberB::from_inputs(birth, year, code), Err(err));
    }

    #[test]
    fn messages_name_the_field() {
        let e = CollationNumberB::from_inputs("1980-02-17", "2035", "12").unwrap_err();
        assert_eq!(e.to_string(), "security code: must be exactly 4 digits");
        let e = CollationNumberB::from_inputs("1980-02-30", "2035", "1234").unwrap_err();
        assert_eq!(e.to_string(), "birth date: day 30 does not exist in 1980-02");
    }

    #[test]
    fn debug_is_redacted_and_birth_key_is_the_prefix() {
        let c = CollationNumberB::from_inputs("1980-02-17", "2035", "2285").unwrap();
        assert_eq!(format!("{c:?}"), "CollationNumberB(<redacted>)");
        let k = BirthDateKey::new("1980-02-17".parse().unwrap()).unwrap();
        assert_eq!(k.as_bytes(), b"550217");
    }

    proptest! {
        #[test]
        fn collation_round_trip(year in 1868u16..=2026, month in 1u8..=12, day in 1u8..=31,
                                expiry in CARD_EXPIRY_YEAR_MIN..=CARD_EXPIRY_YEAR_MAX, code in 0u16..=9999) {
            let Ok(birth) = Date::new(year, month, day) else { return Ok(()) };
            let Ok(w) = WarekiDate::from_gregorian(birth) else { return Ok(()) };
            let c = CollationNumberB::new(birth, expiry, &format!("{code:04}")).unwrap();
            let s = c.expose().to_string();
            prop_assert_eq!(s.len(), 14);
            prop_assert_eq!(&s[..6], format!("{:02}{:02}{:02}", w.year(), month, day));
            prop_assert_eq!(&s[6..10], format!("{expiry}"));
            prop_assert_eq!(&s[10..], format!("{code:04}"));
            prop_assert_eq!(s.parse::<CollationNumberB>(), Ok(c));
        }
    }
}
