//! Field validators for server functions: each reads one form value, adds the field's i18n
//! error key to the form's errors when the value is bad, and returns what it parsed, so a
//! server function collects every field's message before it answers.

use super::enums::Labelled;
use crate::error::FieldErrors;

/// Trimmed text of at most `max` characters; required unless `required` is false.
pub fn text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, required: bool) -> String {
    let v = value.trim();
    if required && v.is_empty() {
        errors.add(field, "validation.required");
    } else if v.chars().count() > max {
        errors.add(field, "validation.text_too_long");
    }
    v.to_string()
}

/// One value of a labelled enum, by its string form.
pub fn choice<E: Labelled>(errors: &mut FieldErrors, field: &str, value: &str) -> Option<E> {
    let found = E::all().iter().copied().find(|e| e.as_str() == value.trim());
    if found.is_none() {
        errors.add(field, "validation.choose_one");
    }
    found
}

/// An optional whole number of yuan per month, 0 to 1 000 000.
pub fn money(errors: &mut FieldErrors, field: &str, value: &str) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (0..=1_000_000).contains(&n) => Some(n),
        _ => {
            errors.add(field, "validation.salary_invalid");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::values::Degree;

    #[test]
    fn each_validator_names_the_field_it_refuses() {
        let mut e = FieldErrors::new();
        assert_eq!(text(&mut e, "a", "  ok  ", 5, true), "ok");
        text(&mut e, "b", " ", 5, true);
        text(&mut e, "c", "toolong", 5, false);
        assert_eq!(choice::<Degree>(&mut e, "d", "master"), Some(Degree::Master));
        assert_eq!(choice::<Degree>(&mut e, "e", "wizard"), None);
        assert_eq!(money(&mut e, "f", ""), None);
        assert_eq!(money(&mut e, "g", "4500"), Some(4500));
        money(&mut e, "h", "-1");
        assert_eq!(e.get("a"), None);
        assert_eq!(e.get("b"), Some("validation.required"));
        assert_eq!(e.get("c"), Some("validation.text_too_long"));
        assert_eq!(e.get("e"), Some("validation.choose_one"));
        assert_eq!(e.get("h"), Some("validation.salary_invalid"));
    }
}
