//! A graduate's identifying values, parsed at the boundary.
//!
//! * [`ResidentId`]: the 18-character resident identity number (GB 11643-1999): a 6-digit area
//!   code, the birth date, a 3-digit sequence whose last digit is odd for men and even for
//!   women, and an ISO 7064 MOD 11-2 check character (`0`–`9` or `X`).
//! * [`MobileNumber`]: an 11-digit mainland mobile number.

pub use crate::shared::values::Gender;
use crate::shared::time::Date;

use crate::shared::typed::identity_text;

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
        let s: String = identity_text(raw).to_uppercase();
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

    /// `511102***********4`: the place of registration and the check character. With the
    /// birth date (or age and gender) beside it, a mask that kept the last four would leave
    /// only the three-digit sequence to guess.
    pub fn masked(&self) -> String {
        mask_resident_id(&self.0)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The 6-digit area code, stars, and the last character: nothing of the birth date or the
/// sequence number.
pub fn mask_resident_id(s: &str) -> String {
    if s.len() < 8 || !s.is_ascii() {
        return "*".repeat(s.chars().count());
    }
    format!("{}{}{}", &s[..6], "*".repeat(s.len() - 7), &s[s.len() - 1..])
}

/// An 11-digit mainland mobile number; `+86`, spaces and dashes are accepted and dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MobileNumber(String);

impl MobileNumber {
    pub fn parse(raw: &str) -> Result<MobileNumber, &'static str> {
        let digits: String = identity_text(raw).chars().filter(|c| *c != '-').collect();
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
        assert_eq!(id.masked(), format!("511102***********{}", &id.expose()[17..]));
        assert!(!id.masked().contains("2003") && !id.masked().contains("123"), "neither the birth date nor the sequence");
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
    fn full_width_digits_and_spaces_from_a_chinese_input_method_are_accepted() {
        let id = ResidentId::with_check_char("51110220030715123");
        let wide: String = id.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
        assert_eq!(ResidentId::parse(&format!("\u{3000}{wide} "), TODAY).unwrap().expose(), id);
        assert_eq!(MobileNumber::parse("１３８\u{3000}１２３４－５６７８").unwrap().as_str(), "13812345678");
        assert_eq!(MobileNumber::parse("＋８６ １３８１２３４５６７８").unwrap().as_str(), "13812345678");
    }

    #[test]
    fn mobile_numbers_are_eleven_digits_starting_13_to_19() {
        assert_eq!(MobileNumber::parse("+86 138-1234-5678").unwrap().as_str(), "13812345678");
        assert_eq!(MobileNumber::parse("").unwrap_err(), "validation.required");
        for bad in ["12812345678", "1381234567", "138123456789", "23812345678", "1381234567a"] {
            assert_eq!(MobileNumber::parse(bad).unwrap_err(), "validation.mobile_invalid", "{bad}");
        }
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
            prop_assert_eq!(&id.masked()[..6], &first17[..6]);
            prop_assert!(id.masked()[6..17].bytes().all(|b| b == b'*'), "birth date and sequence hidden: {}", id.masked());
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
        fn mobile_parsing_never_panics(s in ".{0,30}") {
            let _ = MobileNumber::parse(&s);
            let _ = ResidentId::parse(&s, TODAY);
            let _ = Date::parse(&s);
        }
    }
}
