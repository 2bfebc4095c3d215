//! The instant a verification is made for. Always an argument, never a hidden clock.

use core::fmt;

use crate::date::Date;

const SECONDS_PER_DAY: i64 = 86_400;
/// Japan Standard Time is UTC+9 all year (no daylight saving).
const JST_OFFSET_SECONDS: i64 = 9 * 3600;

/// Seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(i64);

/// Days from 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil(d: Date) -> i64 {
    let (y, m, day) = (i64::from(d.year()), i64::from(d.month()), i64::from(d.day()));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count from 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> Option<Date> {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(u16::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?).ok()
}

impl UnixTime {
    pub fn from_secs(secs: i64) -> Self {
        Self(secs)
    }

    pub fn secs(self) -> i64 {
        self.0
    }

    /// The current time from the system clock (for binaries; libraries take time as an argument).
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Self(secs)
    }

    /// 00:00:00 Japan time on `date`: the instant `--at YYYY-MM-DD` verifies for.
    pub fn start_of_jst_day(date: Date) -> Self {
        Self(days_from_civil(date) * SECONDS_PER_DAY - JST_OFFSET_SECONDS)
    }

    /// The calendar date in Japan at this instant.
    pub fn jst_date(self) -> Option<Date> {
        civil_from_days((self.0 + JST_OFFSET_SECONDS).div_euclid(SECONDS_PER_DAY))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn to_rfc3339(self) -> String {
        let day = self.0.div_euclid(SECONDS_PER_DAY);
        let s = self.0.rem_euclid(SECONDS_PER_DAY);
        let Some(d) = civil_from_days(day) else { return String::from("invalid-time") };
        let mut out = String::with_capacity(20);
        d.push_iso(&mut out);
        out.push('T');
        for (i, part) in [s / 3600, s / 60 % 60, s % 60].into_iter().enumerate() {
            if i > 0 {
                out.push(':');
            }
            // 0..=59 (hours 0..=23): two digits.
            crate::date::push_two_digits(&mut out, u16::try_from(part).unwrap_or(0));
        }
        out.push('Z');
        out
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn jst_day_boundaries() {
        let d: Date = "2026-11-23".parse().unwrap();
        let t = UnixTime::start_of_jst_day(d);
        assert_eq!(t.to_rfc3339(), "2026-11-22T15:00:00Z");
        assert_eq!(t.jst_date(), Some(d));
        assert_eq!(UnixTime::from_secs(t.secs() - 1).jst_date(), d.pred());
        assert_eq!(UnixTime::from_secs(0).to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(UnixTime::from_secs(951_782_400).to_rfc3339(), "2000-02-29T00:00:00Z");
        // Every field's two digits, against the `format!` it replaced.
        for secs in [86_399, 1_764_000_000 + 3_600 * 13 + 60 * 7 + 9, 253_402_300_799] {
            let t = UnixTime::from_secs(secs);
            let (day, s) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
            let want = format!("{}T{:02}:{:02}:{:02}Z", civil_from_days(day).unwrap(), s / 3600, s / 60 % 60, s % 60);
            assert_eq!(t.to_rfc3339(), want);
        }
    }

    proptest! {
        #[test]
        fn days_round_trip(days in -700_000i64..2_900_000) {
            let d = civil_from_days(days).unwrap();
            prop_assert_eq!(days_from_civil(d), days);
        }
    }
}
