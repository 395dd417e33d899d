//! Calendar dates and times as the centre reads them: dates are `YYYY-MM-DD` values, times
//! are Unix seconds shown in China Standard Time (UTC+8), which is what "today" means here.

use serde::{Deserialize, Serialize};

/// A calendar date, `YYYY-MM-DD`, validated; ordered by value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month).contains(&day).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (what `<input type="date">` sends).
    pub fn parse(raw: &str) -> Result<Date, &'static str> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("validation.required");
        }
        let mut parts = raw.split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err("validation.date_invalid");
        };
        let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
            return Err("validation.date_invalid");
        };
        if !(1900..=2200).contains(&y) {
            return Err("validation.date_invalid");
        }
        Date::new(y, m, d).ok_or("validation.date_invalid")
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for differences and comparisons.
    pub fn days_from_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today in China Standard Time (UTC+8), which is what "today" means to the centre.
    pub fn today_from_unix(unix_seconds: i64) -> Date {
        Date::from_days((unix_seconds + 8 * 3600).div_euclid(86_400))
    }

    /// The same day `years` later (29 February becomes 28 February in common years).
    pub fn plus_years(self, years: i32) -> Date {
        let year = self.year + years;
        Date::new(year, self.month, self.day).unwrap_or(Date { year, month: 2, day: 28 })
    }

    /// Whole years from `self` to `on` (an age, when `self` is a birth date).
    pub fn years_until(self, on: Date) -> i32 {
        let mut years = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}


/// Days between two Unix times, rounded down (for "waiting N days").
pub fn days_between(from: i64, to: i64) -> i64 {
    ((to - from) / 86_400).max(0)
}

/// Formats a Unix time as a date and time in China Standard Time.
pub fn format_time(unix: i64) -> String {
    let local = unix + 8 * 3600;
    let date = Date::from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    format!("{date} {:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// The date part of [`format_time`].
pub fn format_date(unix: i64) -> String {
    Date::today_from_unix(unix).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates_parse_strictly_and_count_days_and_years() {
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert_eq!(Date::parse("2023-02-29").unwrap_err(), "validation.date_invalid");
        assert_eq!(Date::parse("2023/02/01").unwrap_err(), "validation.date_invalid");
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_from_epoch(), 0);
        assert_eq!(Date::from_days(Date::new(2026, 11, 30).unwrap().days_from_epoch()), Date::new(2026, 11, 30).unwrap());
        assert_eq!(Date::new(2024, 2, 29).unwrap().plus_years(1), Date::new(2025, 2, 28).unwrap());
        let birth = Date::new(2002, 12, 1).unwrap();
        assert_eq!(birth.years_until(Date::new(2026, 11, 30).unwrap()), 23);
        assert_eq!(birth.years_until(Date::new(2026, 12, 1).unwrap()), 24);
        // 2026-11-30 16:00 UTC is already 2026-12-01 in Leshan.
        assert_eq!(Date::today_from_unix(1_795_996_800 + 16 * 3600).to_string(), "2026-12-01");
    }

    #[test]
    fn times_show_in_china_standard_time() {
        assert_eq!(format_time(0), "1970-01-01 08:00");
        assert_eq!(format_date(16 * 3600), "1970-01-02");
        assert_eq!(days_between(0, 86_400 * 3 - 1), 2);
        assert_eq!(days_between(10, 0), 0);
    }

    proptest! {
        #[test]
        fn date_days_round_trip(days in -100000i64..100000) {
            prop_assert_eq!(Date::from_days(days).days_from_epoch(), days);
        }

    }
}
