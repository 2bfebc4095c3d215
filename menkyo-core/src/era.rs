//! Japanese era dates (和暦) as the licence AP writes them: `E YY MM DD`.
//!
//! ```text
//! byte  0    era code: 1 明治, 2 大正, 3 昭和, 4 平成, 5 令和
//! bytes 1-2  year in the era (01 = 元年)
//! bytes 3-4  month
//! bytes 5-6  day            all seven bytes ASCII digits; YYMMDD = 000000 means "none"
//! ```

use core::fmt;

use crate::date::{Date, digits_value, narrow};

/// Why a date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("not in the expected date format")]
    BadFormat,
    #[error("date contains a non-digit")]
    NotDigits,
    #[error("unknown era code {code}")]
    BadEra { code: u8 },
    #[error("year {year} is out of range")]
    YearOutOfRange { year: u16 },
    #[error("month {month} does not exist")]
    BadMonth { month: u8 },
    #[error("day {day} does not exist in {year:04}-{month:02}")]
    BadDay { year: u16, month: u8, day: u8 },
    #[error("{era}{year}年{month}月{day}日 does not exist: outside that era")]
    OutsideEra { era: Era, year: u8, month: u8, day: u8 },
    #[error("date is before the Meiji era (1868-01-25)")]
    BeforeMeiji,
}

/// A Japanese era (元号) with its code on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Era {
    Meiji,
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

impl Era {
    /// All eras, oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    /// The digit the licence AP writes for this era.
    pub fn code(self) -> u8 {
        match self {
            Era::Meiji => 1,
            Era::Taisho => 2,
            Era::Showa => 3,
            Era::Heisei => 4,
            Era::Reiwa => 5,
        }
    }

    pub fn from_code(code: u8) -> Result<Self, DateError> {
        Era::ALL.into_iter().find(|e| e.code() == code).ok_or(DateError::BadEra { code })
    }

    /// 明治, 大正, 昭和, 平成, 令和.
    pub fn kanji(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// First day of the era (card-formats.md §4.1).
    pub fn first_day(self) -> Date {
        let (y, m, d) = match self {
            Era::Meiji => (1868, 1, 25),
            Era::Taisho => (1912, 7, 30),
            Era::Showa => (1926, 12, 25),
            Era::Heisei => (1989, 1, 8),
            Era::Reiwa => (2019, 5, 1),
        };
        Date::literal(y, m, d)
    }

    /// Last day of the era, `None` for the current one.
    pub fn last_day(self) -> Option<Date> {
        self.next().and_then(|n| n.first_day().pred())
    }

    fn next(self) -> Option<Era> {
        match self {
            Era::Meiji => Some(Era::Taisho),
            Era::Taisho => Some(Era::Showa),
            Era::Showa => Some(Era::Heisei),
            Era::Heisei => Some(Era::Reiwa),
            Era::Reiwa => None,
        }
    }

    /// Gregorian year of 元年.
    fn first_year(self) -> u16 {
        self.first_day().year()
    }

    /// The era a Gregorian date falls in.
    pub fn of(date: Date) -> Result<Era, DateError> {
        Era::ALL.into_iter().rev().find(|e| date >= e.first_day()).ok_or(DateError::BeforeMeiji)
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kanji())
    }
}

/// A date in a Japanese era that exists: the day is real and inside the era.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WarekiDate {
    era: Era,
    year: u8,
    month: u8,
    day: u8,
    gregorian: Date,
}

impl WarekiDate {
    /// Checks that the day exists and lies inside the era (昭和64年1月8日 does not exist).
    pub fn new(era: Era, year: u8, month: u8, day: u8) -> Result<Self, DateError> {
        if year == 0 || year > 99 {
            return Err(DateError::YearOutOfRange { year: u16::from(year) });
        }
        let gregorian_year = era.first_year().saturating_add(u16::from(year)).saturating_sub(1);
        let gregorian = Date::new(gregorian_year, month, day)?;
        let inside = gregorian >= era.first_day() && era.last_day().is_none_or(|last| gregorian <= last);
        if !inside {
            return Err(DateError::OutsideEra { era, year, month, day });
        }
        Ok(Self { era, year, month, day, gregorian })
    }

    /// The era date of a Gregorian date (on or after 1868-01-25).
    pub fn from_gregorian(date: Date) -> Result<Self, DateError> {
        let era = Era::of(date)?;
        let year = date.year().saturating_sub(era.first_year()).saturating_add(1);
        let year = u8::try_from(year).map_err(|_| DateError::YearOutOfRange { year: date.year() })?;
        WarekiDate::new(era, year, date.month(), date.day())
    }

    pub fn era(self) -> Era {
        self.era
    }

    /// Year in the era; 1 is 元年.
    pub fn year(self) -> u8 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    pub fn to_gregorian(self) -> Date {
        self.gregorian
    }

    /// Decodes the seven ASCII digits of a licence AP date; `Ok(None)` for an empty value
    /// or `YYMMDD` all zero ("none").
    pub fn decode_licence(value: &[u8]) -> Result<Option<Self>, DateError> {
        if value.is_empty() {
            return Ok(None);
        }
        let [e, y1, y2, m1, m2, d1, d2] = <[u8; 7]>::try_from(value).map_err(|_| DateError::BadFormat)?;
        let code = narrow(digits_value(&[e])?)?;
        let year = narrow(digits_value(&[y1, y2])?)?;
        let month = narrow(digits_value(&[m1, m2])?)?;
        let day = narrow(digits_value(&[d1, d2])?)?;
        if year == 0 && month == 0 && day == 0 {
            return Ok(None);
        }
        WarekiDate::new(Era::from_code(code)?, year, month, day).map(Some)
    }

    /// The seven ASCII digits `E YY MM DD`.
    pub fn encode_licence(self) -> [u8; 7] {
        let s = format!("{}{:02}{:02}{:02}", self.era.code(), self.year, self.month, self.day);
        let mut out = [b'0'; 7];
        for (o, b) in out.iter_mut().zip(s.bytes()) {
            *o = b;
        }
        out
    }
}

impl fmt::Display for WarekiDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year == 1 {
            write!(f, "{}元年{}月{}日", self.era, self.month, self.day)
        } else {
            write!(f, "{}{}年{}月{}日", self.era, self.year, self.month, self.day)
        }
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

    #[rstest]
    #[case(b"3550217", "1980-02-17")]
    #[case(b"4010108", "1989-01-08")] // 平成元年 first day
    #[case(b"3640107", "1989-01-07")] // 昭和 last day
    #[case(b"5010501", "2019-05-01")] // 令和元年 first day
    #[case(b"4310430", "2019-04-30")] // 平成 last day
    #[case(b"3011225", "1926-12-25")] // 昭和元年
    #[case(b"2151224", "1926-12-24")] // 大正 last day
    #[case(b"1450729", "1912-07-29")] // 明治 last day
    #[case(b"5110615", "2029-06-15")]
    fn decodes_era_dates(#[case] raw: &[u8], #[case] iso: &str) {
        let w = WarekiDate::decode_licence(raw).unwrap().unwrap();
        assert_eq!(w.to_gregorian(), d(iso));
        assert_eq!(&w.encode_licence()[..], raw);
        assert_eq!(WarekiDate::from_gregorian(d(iso)), Ok(w));
    }

    #[rstest]
    #[case(b"3640108", DateError::OutsideEra { era: Era::Showa, year: 64, month: 1, day: 8 })]
    #[case(b"4010107", DateError::OutsideEra { era: Era::Heisei, year: 1, month: 1, day: 7 })]
    #[case(b"4310501", DateError::OutsideEra { era: Era::Heisei, year: 31, month: 5, day: 1 })]
    #[case(b"5010430", DateError::OutsideEra { era: Era::Reiwa, year: 1, month: 4, day: 30 })]
    #[case(b"6010101", DateError::BadEra { code: 6 })]
    #[case(b"0010101", DateError::BadEra { code: 0 })]
    #[case(b"3551302", DateError::BadMonth { month: 13 })]
    #[case(b"3550230", DateError::BadDay { year: 1980, month: 2, day: 30 })]
    #[case(b"3550200", DateError::BadDay { year: 1980, month: 2, day: 0 })]
    #[case(b"3000217", DateError::YearOutOfRange { year: 0 })]
    #[case(b"35502a7", DateError::NotDigits)]
    #[case(b"355021", DateError::BadFormat)]
    #[case(b"35502170", DateError::BadFormat)]
    fn rejects_impossible_dates(#[case] raw: &[u8], #[case] err: DateError) {
        assert_eq!(WarekiDate::decode_licence(raw), Err(err));
    }

    #[test]
    fn zero_and_empty_dates_are_none() {
        assert_eq!(WarekiDate::decode_licence(b""), Ok(None));
        assert_eq!(WarekiDate::decode_licence(b"0000000"), Ok(None));
        assert_eq!(WarekiDate::decode_licence(b"5000000"), Ok(None));
    }

    #[test]
    fn displays_gannen() {
        let w = WarekiDate::new(Era::Reiwa, 1, 5, 1).unwrap();
        assert_eq!(w.to_string(), "令和元年5月1日");
        assert_eq!(WarekiDate::new(Era::Showa, 55, 2, 17).unwrap().to_string(), "昭和55年2月17日");
    }

    #[test]
    fn era_boundaries() {
        for e in Era::ALL {
            let f = e.first_day();
            assert_eq!(Date::new(f.year(), f.month(), f.day()), Ok(f));
        }
        assert_eq!(Era::of(d("1868-01-24")), Err(DateError::BeforeMeiji));
        assert_eq!(Era::of(d("1868-01-25")), Ok(Era::Meiji));
        assert_eq!(Era::Showa.last_day(), Some(d("1989-01-07")));
        assert_eq!(Era::Reiwa.last_day(), None);
        assert_eq!(WarekiDate::from_gregorian(d("2117-12-31")).map(WarekiDate::year), Ok(99));
        assert_eq!(WarekiDate::from_gregorian(d("2118-01-01")), Err(DateError::YearOutOfRange { year: 100 }));
    }

    proptest! {
        #[test]
        fn gregorian_era_round_trip(year in 1868u16..=2117, month in 1u8..=12, day in 1u8..=31) {
            let Ok(x) = Date::new(year, month, day) else { return Ok(()) };
            let Ok(w) = WarekiDate::from_gregorian(x) else {
                prop_assert!(x < Era::Meiji.first_day());
                return Ok(());
            };
            prop_assert_eq!(w.to_gregorian(), x);
            prop_assert_eq!(Era::of(x), Ok(w.era()));
            let raw = w.encode_licence();
            prop_assert_eq!(WarekiDate::decode_licence(&raw), Ok(Some(w)));
        }
    }
}
