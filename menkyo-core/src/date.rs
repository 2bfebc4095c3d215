//! Gregorian calendar dates, as printed in reports and typed by clerks.

use core::fmt;
use core::str::FromStr;

use crate::era::DateError;

/// A valid Gregorian date between the years 1 and 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order gives the derived ordering: year, then month, then day.
    year: u16,
    month: u8,
    day: u8,
}

pub(crate) fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

pub(crate) fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date from literal constants in this crate (era boundaries). Every caller passes
    /// a real date; the unit tests check them all.
    pub(crate) const fn literal(year: u16, month: u8, day: u8) -> Self {
        Self { year, month, day }
    }

    /// Checks the year (1–9999), month and day.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        if !(1..=9999).contains(&year) {
            return Err(DateError::YearOutOfRange { year });
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::BadMonth { month });
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::BadDay { year, month, day });
        }
        Ok(Self { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The next calendar day, or `None` after 9999-12-31.
    pub fn succ(self) -> Option<Self> {
        if self.day < days_in_month(self.year, self.month) {
            Some(Self { day: self.day.saturating_add(1), ..self })
        } else if self.month < 12 {
            Some(Self { month: self.month.saturating_add(1), day: 1, ..self })
        } else {
            Date::new(self.year.checked_add(1)?, 1, 1).ok()
        }
    }

    /// The previous calendar day, or `None` before 0001-01-01.
    pub fn pred(self) -> Option<Self> {
        if self.day > 1 {
            Some(Self { day: self.day.saturating_sub(1), ..self })
        } else if self.month > 1 {
            let month = self.month.saturating_sub(1);
            Some(Self { month, day: days_in_month(self.year, month), ..self })
        } else {
            Date::new(self.year.checked_sub(1)?, 12, 31).ok()
        }
    }

    /// Age in whole years on `on` of a person born on `self`.
    ///
    /// Japanese law (年齢計算ニ関スル法律) counts a year as completed at the end of the
    /// day before the birthday, so on the birthday itself the new age holds; someone born
    /// on 29 February turns a year older on 1 March in common years. Both follow from
    /// comparing (month, day). `None` when `on` is before the birth date.
    pub fn age_on(self, on: Date) -> Option<u16> {
        if on < self {
            return None;
        }
        let years = on.year.saturating_sub(self.year);
        if (on.month, on.day) < (self.month, self.day) { Some(years.saturating_sub(1)) } else { Some(years) }
    }

    /// Parses the eight ASCII digits `YYYYMMDD` (kenhojo DF24).
    pub fn from_yyyymmdd(digits: &[u8]) -> Result<Self, DateError> {
        let [y1, y2, y3, y4, m1, m2, d1, d2] = <[u8; 8]>::try_from(digits).map_err(|_| DateError::BadFormat)?;
        let year = digits_value(&[y1, y2, y3, y4])?;
        let month = digits_value(&[m1, m2])?;
        let day = digits_value(&[d1, d2])?;
        Date::new(year, narrow(month)?, narrow(day)?)
    }

    /// The eight ASCII digits `YYYYMMDD`.
    pub fn to_yyyymmdd(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

pub(crate) fn narrow(v: u16) -> Result<u8, DateError> {
    u8::try_from(v).map_err(|_| DateError::BadFormat)
}

/// Value of a run of ASCII digits (at most four).
pub(crate) fn digits_value(digits: &[u8]) -> Result<u16, DateError> {
    digits.iter().try_fold(0u16, |acc, &b| {
        if b.is_ascii_digit() {
            Ok(acc.saturating_mul(10).saturating_add(u16::from(b - b'0')))
        } else {
            Err(DateError::NotDigits)
        }
    })
}

/// `YYYY-MM-DD` in ASCII.
struct IsoBytes([u8; 10]);

impl IsoBytes {
    fn as_str(&self) -> &str {
        // Digits and hyphens only: always UTF-8.
        core::str::from_utf8(&self.0).unwrap_or("0000-00-00")
    }
}

/// The ASCII digit of `n`'s last decimal place.
fn digit(n: u16) -> char {
    // n % 10 < 10: the conversion cannot fail.
    char::from(b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0)))
}

/// Appends the last two decimal places of `n`, zero-padded (months, days, hours, minutes…).
pub(crate) fn push_two_digits(out: &mut String, n: u16) {
    out.push(digit(n / 10));
    out.push(digit(n));
}

impl Date {
    /// `YYYY-MM-DD`, written directly: reports print several dates each, and `format!` costs
    /// more than the verification's hashing of them.
    pub fn to_iso(self) -> String {
        let mut s = String::with_capacity(10);
        self.push_iso(&mut s);
        s
    }

    /// `YYYY-MM-DD` on the stack (the year is 1–9999: always four digits): what every form
    /// of the date as text is made from.
    fn iso_bytes(self) -> IsoBytes {
        let two = |n: u16| [digit(n / 10), digit(n)].map(|c| u8::try_from(c).unwrap_or(b'0'));
        let [y1, y2] = two(self.year / 100);
        let [y3, y4] = two(self.year);
        let [m1, m2] = two(u16::from(self.month));
        let [d1, d2] = two(u16::from(self.day));
        IsoBytes([y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2])
    }

    /// Appends `YYYY-MM-DD`.
    pub(crate) fn push_iso(self, out: &mut String) {
        out.push_str(self.iso_bytes().as_str());
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.iso_bytes().as_str())
    }
}

/// `YYYY-MM-DD`.
impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        match b {
            [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] => {
                let year = digits_value(&[*y1, *y2, *y3, *y4])?;
                let month = narrow(digits_value(&[*m1, *m2])?)?;
                let day = narrow(digits_value(&[*d1, *d2])?)?;
                Date::new(year, month, day)
            }
            _ => Err(DateError::BadFormat),
        }
    }
}

/// `YYYY-MM-DD`, as [`Date::to_iso`], without allocating: reports carry a dozen dates.
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.iso_bytes().as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    proptest! {
        /// The hand-written `YYYY-MM-DD` is what `format!` with zero padding writes, and
        /// parses back to the same date, over the whole range 1–9999.
        #[test]
        fn to_iso_matches_format(year in 1u16..=9999, month in 1u8..=12, day in 1u8..=31) {
            prop_assume!(day <= days_in_month(year, month));
            let date = Date::new(year, month, day).unwrap();
            let iso = date.to_iso();
            prop_assert_eq!(&iso, &format!("{year:04}-{month:02}-{day:02}"));
            prop_assert_eq!(date.to_string(), iso.clone());
            prop_assert_eq!(serde_json::to_string(&date).unwrap(), format!("\"{iso}\""));
            prop_assert_eq!(d(&iso), date);
        }
    }

    #[test]
    fn display_pads_like_a_str() {
        assert_eq!(format!("[{:>12}]", d("2026-01-05")), "[  2026-01-05]");
        assert_eq!(d("0001-01-01").to_iso(), "0001-01-01");
        assert_eq!(d("9999-12-31").to_iso(), "9999-12-31");
    }

    #[rstest]
    #[case("2024-02-29", Ok((2024, 2, 29)))]
    #[case("2023-02-29", Err(DateError::BadDay { year: 2023, month: 2, day: 29 }))]
    #[case("1900-02-29", Err(DateError::BadDay { year: 1900, month: 2, day: 29 }))]
    #[case("2000-02-29", Ok((2000, 2, 29)))]
    #[case("2024-13-01", Err(DateError::BadMonth { month: 13 }))]
    #[case("2024-04-31", Err(DateError::BadDay { year: 2024, month: 4, day: 31 }))]
    #[case("0000-01-01", Err(DateError::YearOutOfRange { year: 0 }))]
    #[case("2024-1-01", Err(DateError::BadFormat))]
    #[case("2024-0a-01", Err(DateError::NotDigits))]
    fn parses_iso_dates(#[case] input: &str, #[case] expected: Result<(u16, u8, u8), DateError>) {
        let got = input.parse::<Date>().map(|x| (x.year(), x.month(), x.day()));
        assert_eq!(got, expected);
    }

    #[rstest]
    #[case("1980-02-17", "2026-02-16", Some(45))]
    #[case("1980-02-17", "2026-02-17", Some(46))]
    #[case("2008-02-29", "2026-02-28", Some(17))]
    #[case("2008-02-29", "2026-03-01", Some(18))]
    #[case("2008-02-29", "2028-02-29", Some(20))]
    #[case("2026-01-02", "2026-01-01", None)]
    #[case("2026-01-01", "2026-01-01", Some(0))]
    fn computes_age(#[case] birth: &str, #[case] on: &str, #[case] age: Option<u16>) {
        assert_eq!(d(birth).age_on(d(on)), age);
    }

    #[test]
    fn steps_across_month_and_year_ends() {
        assert_eq!(d("2024-02-28").succ(), Some(d("2024-02-29")));
        assert_eq!(d("2024-02-29").succ(), Some(d("2024-03-01")));
        assert_eq!(d("2025-12-31").succ(), Some(d("2026-01-01")));
        assert_eq!(d("2026-01-01").pred(), Some(d("2025-12-31")));
        assert_eq!(d("2024-03-01").pred(), Some(d("2024-02-29")));
        assert_eq!(d("9999-12-31").succ(), None);
        assert_eq!(d("0001-01-01").pred(), None);
    }

    #[test]
    fn yyyymmdd_round_trip() {
        assert_eq!(Date::from_yyyymmdd(b"19800217"), Ok(d("1980-02-17")));
        assert_eq!(d("1980-02-17").to_yyyymmdd(), "19800217");
        assert_eq!(Date::from_yyyymmdd(b"1980021"), Err(DateError::BadFormat));
        assert_eq!(Date::from_yyyymmdd(b"19800230"), Err(DateError::BadDay { year: 1980, month: 2, day: 30 }));
    }

    proptest! {
        #[test]
        fn succ_pred_round_trip(y in 2u16..9999, m in 1u8..=12, day in 1u8..=31) {
            if let Ok(x) = Date::new(y, m, day) {
                prop_assert_eq!(x.succ().and_then(Date::pred), Some(x));
                prop_assert!(x.succ().unwrap() > x);
                prop_assert_eq!(x.to_string().parse::<Date>(), Ok(x));
            }
        }
    }
}
