//! Amounts of money: kept as whole fen (分) in integers everywhere, typed and shown in yuan
//! with thousands separators ("4,200.00").

/// `420000` → `"4,200.00"`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let whole = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", fen % 100)
}

/// A non-negative amount typed in yuan (`4200`, `4,200.5`, `4 200.50`) as fen; `None` when it
/// is not one (more than two decimals, letters, a sign).
pub fn parse_yuan(raw: &str) -> Option<i64> {
    let cleaned: String = raw.trim().chars().filter(|c| *c != ',' && *c != ' ' && *c != '，').collect();
    let (whole, frac) = match cleaned.split_once('.') {
        Some((w, f)) => (w, f),
        None => (cleaned.as_str(), ""),
    };
    if whole.is_empty() || whole.len() > 12 || frac.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    Some(whole * 100 + frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_are_shown_as_yuan_with_separators() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(420_000), "4,200.00");
        assert_eq!(yuan(50_000_000), "500,000.00");
        assert_eq!(yuan(123_456_789), "1,234,567.89");
        assert_eq!(yuan(-150), "-1.50");
    }

    #[test]
    fn yuan_typed_in_several_ways_read_as_fen_and_nonsense_does_not() {
        assert_eq!(parse_yuan("4200"), Some(420_000));
        assert_eq!(parse_yuan("4,200.5"), Some(420_050));
        assert_eq!(parse_yuan(" 4 200.05 "), Some(420_005));
        assert_eq!(parse_yuan("0.01"), Some(1));
        for bad in ["", "-1", "1.234", "abc", "1e5", ".5", "1.2.3"] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }
}
