//! A graduate's identifying values, parsed at the boundary.
//!
//! * [`ResidentId`]: the 18-character resident identity number (GB 11643-1999): a 6-digit area
//!   code, the birth date, a 3-digit sequence whose last digit is odd for men and even for
//!   women, and an ISO 7064 MOD 11-2 check character (`0`–`9` or `X`).
//! * [`MobileNumber`]: an 11-digit mainland mobile number.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label_key(self) -> &'static str {
        match self {
            Gender::Male => "profile.gender_male",
            Gender::Female => "profile.gender_female",
        }
    }
}

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

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// A valid resident identity number. Its text is private: use [`ResidentId::masked`] to show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ResidentId(String);

impl std::fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

impl ResidentId {
    pub fn parse(raw: &str, today: Date) -> Result<ResidentId, &'static str> {
        let s: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if s.is_empty() {
            return Err("validation.required");
        }
        let bytes = s.as_bytes();
        if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) || !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
            return Err("validation.resident_id_format");
        }
        let birth = Self::birth_date_of(&s).ok_or("validation.resident_id_birth")?;
        if birth > today || birth.year < 1900 {
            return Err("validation.resident_id_birth");
        }
        if bytes[17] != Self::check_char(&s[..17]) {
            return Err("validation.resident_id_check");
        }
        Ok(ResidentId(s))
    }

    fn check_char(first17: &str) -> u8 {
        let sum: u32 = first17.bytes().zip(ID_WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
        ID_CHECK[(sum % 11) as usize]
    }

    /// Completes 17 digits with their check character (demo data and tests).
    pub fn with_check_char(first17: &str) -> String {
        format!("{first17}{}", Self::check_char(first17) as char)
    }

    fn birth_date_of(s: &str) -> Option<Date> {
        Date::new(s[6..10].parse().ok()?, s[10..12].parse().ok()?, s[12..14].parse().ok()?)
    }

    pub fn birth_date(&self) -> Date {
        Self::birth_date_of(&self.0).expect("checked at parse")
    }

    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// `5111**********1234`: enough for the owner to recognise it, not enough to misuse.
    pub fn masked(&self) -> String {
        mask_resident_id(&self.0)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

pub fn mask_resident_id(s: &str) -> String {
    if s.len() < 8 {
        return "*".repeat(s.len());
    }
    format!("{}{}{}", &s[..4], "*".repeat(s.len() - 8), &s[s.len() - 4..])
}

/// An 11-digit mainland mobile number; `+86`, spaces and dashes are accepted and dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MobileNumber(String);

impl MobileNumber {
    pub fn parse(raw: &str) -> Result<MobileNumber, &'static str> {
        let digits: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.is_empty() {
            return Err("validation.required");
        }
        let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits).to_string();
        let b = digits.as_bytes();
        if b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
            Ok(MobileNumber(digits))
        } else {
            Err("validation.mobile_invalid")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TODAY: Date = Date { year: 2026, month: 11, day: 30 };

    #[test]
    fn a_valid_id_gives_its_birth_date_gender_and_mask() {
        // 511102 = Shizhong District, Leshan; born 2003-07-15; sequence 123 (odd: male).
        let id = ResidentId::parse(&ResidentId::with_check_char("51110220030715123"), TODAY).unwrap();
        assert_eq!(id.birth_date(), Date::new(2003, 7, 15).unwrap());
        assert_eq!(id.gender(), Gender::Male);
        assert_eq!(id.masked(), format!("5111**********{}", &id.expose()[14..]));
        assert!(!format!("{id:?}").contains("20030715"), "Debug shows only the mask");
    }

    #[test]
    fn the_published_sample_number_passes_and_a_lowercase_x_is_accepted() {
        // The sample from GB 11643's own explanation: 11010519491231002X (female).
        let id = ResidentId::parse("11010519491231002x", TODAY).unwrap();
        assert_eq!(id.expose(), "11010519491231002X");
        assert_eq!(id.gender(), Gender::Female);
    }

    #[test]
    fn bad_ids_are_refused_with_the_reason() {
        assert_eq!(ResidentId::parse("", TODAY).unwrap_err(), "validation.required");
        assert_eq!(ResidentId::parse("5111022003071512", TODAY).unwrap_err(), "validation.resident_id_format");
        assert_eq!(ResidentId::parse("51110220031315123X", TODAY).unwrap_err(), "validation.resident_id_birth");
        assert_eq!(ResidentId::parse(&ResidentId::with_check_char("51110220300715123"), TODAY).unwrap_err(), "validation.resident_id_birth", "born in the future");
        let good = ResidentId::with_check_char("51110220030715123");
        let wrong = format!("{}{}", &good[..17], if good.ends_with('0') { '1' } else { '0' });
        assert_eq!(ResidentId::parse(&wrong, TODAY).unwrap_err(), "validation.resident_id_check");
    }

    #[test]
    fn mobile_numbers_are_eleven_digits_starting_13_to_19() {
        assert_eq!(MobileNumber::parse("+86 138-1234-5678").unwrap().as_str(), "13812345678");
        assert_eq!(MobileNumber::parse("").unwrap_err(), "validation.required");
        for bad in ["12812345678", "1381234567", "138123456789", "23812345678", "1381234567a"] {
            assert_eq!(MobileNumber::parse(bad).unwrap_err(), "validation.mobile_invalid", "{bad}");
        }
    }

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

    proptest! {
        #[test]
        fn every_valid_birth_date_and_sequence_makes_a_valid_id(
            area in 110000u32..660000, days in 0i64..20000, seq in 0u32..1000
        ) {
            let birth = Date::from_days(days);
            let first17 = format!("{area:06}{:04}{:02}{:02}{seq:03}", birth.year, birth.month, birth.day);
            let id = ResidentId::parse(&ResidentId::with_check_char(&first17), TODAY).unwrap();
            prop_assert_eq!(id.birth_date(), birth);
            prop_assert_eq!(id.gender() == Gender::Male, seq % 2 == 1);
            prop_assert_eq!(id.masked().len(), 18);
        }

        #[test]
        fn any_single_digit_change_in_the_first_17_is_caught(pos in 0usize..17, delta in 1u8..10) {
            let good = ResidentId::with_check_char("51110220030715123");
            let mut b = good.into_bytes();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(b).unwrap();
            prop_assert!(ResidentId::parse(&changed, TODAY).is_err());
        }

        #[test]
        fn date_days_round_trip(days in -100000i64..100000) {
            prop_assert_eq!(Date::from_days(days).days_from_epoch(), days);
        }

        #[test]
        fn mobile_parsing_never_panics(s in ".{0,30}") {
            let _ = MobileNumber::parse(&s);
            let _ = ResidentId::parse(&s, TODAY);
            let _ = Date::parse(&s);
        }
    }
}
