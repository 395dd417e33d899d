//! CSV as the downloads write it (the audit log, the statistics, the queue): RFC 4180 quoting,
//! and nothing a spreadsheet would run.

/// The byte-order mark Excel needs to read UTF-8 (and so Chinese) correctly.
pub const BOM: char = '\u{feff}';

/// One field: quoted when it must be, and a leading `=`, `+`, `-`, `@`, tab or carriage return
/// (which a spreadsheet would take for a formula: CSV injection) defused with a `'`. Targets,
/// names and emails in the downloads are typed by somebody.
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("政策参数"), "政策参数");
    }
}
