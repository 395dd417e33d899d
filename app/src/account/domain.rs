//! Account values parsed at the boundary: once a server function holds an `Email`, a
//! `Password` or a `CreditCode`, it is valid. Each parse failure names an i18n key.


crate::stored_enum! {
    /// Where an employer's organisation stands: a case worker verifies it before it may publish.
    pub enum EmployerStatus {
        Pending = "pending",
        Verified = "verified",
        Rejected = "rejected",
    }
}

/// An email address, trimmed and lower-cased so that one address is one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, &'static str> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("validation.required");
        }
        let valid = s.len() <= 254
            && s.chars().all(|c| c.is_ascii_graphic() && !"<>()[]\\,;:\"".contains(c))
            && match s.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && domain.split('.').all(|label| {
                            !label.is_empty() && !label.starts_with('-') && !label.ends_with('-')
                        })
                }
                None => false,
            };
        if valid {
            Ok(Email(s))
        } else {
            Err("validation.email_invalid")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A new password that meets the policy. Deliberately neither `Serialize` nor `Display`, and
/// its `Debug` hides the text, so it cannot end up in a response or a log line.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(raw: &str) -> Result<Password, &'static str> {
        let n = raw.chars().count();
        if n == 0 {
            Err("validation.required")
        } else if n < PASSWORD_MIN_CHARS {
            Err("validation.password_too_short")
        } else if n > PASSWORD_MAX_CHARS {
            Err("validation.password_too_long")
        } else if raw.chars().all(|c| c == raw.chars().next().unwrap_or(' ')) {
            Err("validation.password_too_simple")
        } else {
            Ok(Password(raw.to_string()))
        }
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A person's or organisation's name as shown on the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, &'static str> {
        let s = raw.trim();
        let n = s.chars().count();
        if n == 0 {
            Err("validation.required")
        } else if n > 60 {
            Err("validation.name_too_long")
        } else if s.chars().any(char::is_control) {
            Err("validation.name_invalid")
        } else {
            Ok(DisplayName(s.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from an
/// alphabet without I, O, S, V and Z, the last one a check character over the first 17.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditCode(String);

const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

impl CreditCode {
    pub fn parse(raw: &str) -> Result<CreditCode, &'static str> {
        let s: String = crate::shared::typed::identity_text(raw).to_uppercase().chars().filter(|c| *c != '-').collect();
        if s.is_empty() {
            return Err("validation.required");
        }
        let values: Option<Vec<u32>> = s
            .bytes()
            .map(|b| CREDIT_ALPHABET.iter().position(|a| *a == b).map(|p| p as u32))
            .collect();
        let Some(values) = values.filter(|v| v.len() == 18) else {
            return Err("validation.credit_code_format");
        };
        if values[17] != Self::check_value(&values[..17]) {
            return Err("validation.credit_code_check");
        }
        Ok(CreditCode(s))
    }

    fn check_value(first17: &[u32]) -> u32 {
        let sum: u32 = first17.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
        (31 - sum % 31) % 31
    }

    /// Completes 17 valid characters with their check character (used by demo data and tests).
    pub fn with_check_char(first17: &str) -> Option<String> {
        let values: Option<Vec<u32>> = first17
            .bytes()
            .map(|b| CREDIT_ALPHABET.iter().position(|a| *a == b).map(|p| p as u32))
            .collect();
        let values = values.filter(|v| v.len() == 17)?;
        let check = CREDIT_ALPHABET[Self::check_value(&values) as usize] as char;
        Some(format!("{first17}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_email_is_trimmed_and_lower_cased() {
        assert_eq!(Email::parse("  Li.Ming@Example.COM ").unwrap().as_str(), "li.ming@example.com");
    }

    #[test]
    fn malformed_emails_are_refused_with_a_reason() {
        assert_eq!(Email::parse("").unwrap_err(), "validation.required");
        for bad in ["no-at-sign", "a@b", "a@@b.cn", "@b.cn", "a b@c.cn", "a@-b.cn", "a@b..cn", "a@b.cn;x"] {
            assert_eq!(Email::parse(bad).unwrap_err(), "validation.email_invalid", "{bad}");
        }
    }

    #[test]
    fn passwords_must_be_long_enough_and_not_one_repeated_character() {
        assert_eq!(Password::parse("short7!").unwrap_err(), "validation.password_too_short");
        assert_eq!(Password::parse("aaaaaaaaaa").unwrap_err(), "validation.password_too_simple");
        assert_eq!(Password::parse(&"x1".repeat(65)).unwrap_err(), "validation.password_too_long");
        assert!(Password::parse("毕业生的密码很安全").is_ok(), "length counts characters, not bytes");
        assert_eq!(format!("{:?}", Password::parse("secret-password").unwrap()), "Password(***)");
    }

    #[test]
    fn a_known_credit_code_passes_its_check_character() {
        // Check character worked out by hand from the GB 32100 weights.
        assert_eq!(CreditCode::with_check_char("91511100MA62D6H2X").unwrap(), "91511100MA62D6H2XL");
        let code = CreditCode::parse("91511100MA62D6H2XL").unwrap().as_str().to_string();
        assert!(CreditCode::parse(&code.to_lowercase()).is_ok(), "case does not matter");
    }

    #[test]
    fn a_credit_code_typed_in_full_width_with_spaces_is_the_same_code() {
        let typed = "９１５１　１１００ ＭＡ６２ Ｄ６Ｈ２ ｘｌ";
        assert_eq!(CreditCode::parse(typed).unwrap().as_str(), "91511100MA62D6H2XL");
    }

    #[test]
    fn credit_codes_with_a_wrong_check_character_or_bad_letters_are_refused() {
        let code = CreditCode::with_check_char("91511100MA62D6H2X").unwrap();
        let last = code.chars().last().unwrap();
        let wrong = if last == '0' { '1' } else { '0' };
        let tampered = format!("{}{}", &code[..17], wrong);
        assert_eq!(CreditCode::parse(&tampered).unwrap_err(), "validation.credit_code_check");
        assert_eq!(CreditCode::parse("91511100MA62D6H2I").unwrap_err(), "validation.credit_code_format");
        assert_eq!(CreditCode::parse("123").unwrap_err(), "validation.credit_code_format");
    }

    proptest! {
        #[test]
        fn every_17_characters_from_the_alphabet_complete_to_a_valid_code(
            idx in proptest::collection::vec(0usize..31, 17)
        ) {
            let first17: String = idx.iter().map(|i| CREDIT_ALPHABET[*i] as char).collect();
            let code = CreditCode::with_check_char(&first17).unwrap();
            prop_assert!(CreditCode::parse(&code).is_ok());
        }

        #[test]
        fn changing_one_character_of_a_valid_code_breaks_it(
            idx in proptest::collection::vec(0usize..31, 17), pos in 0usize..18, delta in 1usize..31
        ) {
            let first17: String = idx.iter().map(|i| CREDIT_ALPHABET[*i] as char).collect();
            let code: Vec<u8> = CreditCode::with_check_char(&first17).unwrap().into_bytes();
            let mut changed = code.clone();
            let at = CREDIT_ALPHABET.iter().position(|a| *a == code[pos]).unwrap();
            changed[pos] = CREDIT_ALPHABET[(at + delta) % 31];
            prop_assert!(CreditCode::parse(std::str::from_utf8(&changed).unwrap()).is_err());
        }

        #[test]
        fn any_text_parses_to_an_email_or_a_reason_never_a_panic(s in ".{0,80}") {
            let _ = Email::parse(&s);
            let _ = Password::parse(&s);
            let _ = DisplayName::parse(&s);
            let _ = CreditCode::parse(&s);
        }
    }
}
