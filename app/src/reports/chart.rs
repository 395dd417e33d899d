//! Bar charts as SVG markup, drawn on the server. One bar per row, label on the left and the
//! figure at the bar's end, so a narrow phone screen shows it whole; the figures are also in a
//! table under each chart, which is what screen readers are pointed to.

/// Escapes text for SVG content and attribute values.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const WIDTH: i64 = 360;
const LABEL: i64 = 120;
const ROW: i64 = 22;
const BAR: i64 = 14;

/// A horizontal bar chart: `title` names it for assistive technology (`role="img"`), `rows`
/// are label and value. Bars are scaled to the largest value; a zero gets no bar, only its 0.
pub fn bars(title: &str, rows: &[(String, i64)]) -> String {
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let room = WIDTH - LABEL - 40;
    let height = ROW * rows.len() as i64 + 4;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{}" class="bar-chart">"#,
        escape(title)
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = ROW * i as i64 + 2;
        let w = if *value > 0 { (room * value / max).max(1) } else { 0 };
        svg.push_str(&format!(
            r#"<text x="{}" y="{}" text-anchor="end" class="bar-label">{}</text><rect x="{LABEL}" y="{}" width="{w}" height="{BAR}" class="bar"/><text x="{}" y="{}" class="bar-value">{value}</text>"#,
            LABEL - 6,
            y + BAR - 2,
            escape(label),
            y,
            LABEL + w + 4,
            y + BAR - 2,
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_value_fills_the_room_and_a_zero_draws_no_bar() {
        let svg = bars("每周决定", &[("11-16".into(), 0), ("11-23".into(), 4), ("11-30".into(), 2)]);
        assert!(svg.contains(r#"aria-label="每周决定""#));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains(r#"width="0" height"#), "{svg}");
        assert!(svg.contains(r#"width="200" height"#), "{svg}");
        assert!(svg.contains(r#"width="100" height"#), "{svg}");
        assert!(svg.contains(">4</text>"));
    }

    #[test]
    fn labels_cannot_break_out_of_the_markup() {
        let svg = bars("a<b", &[("<script>\"x\"".into(), 1)]);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;&quot;x&quot;"));
        assert!(svg.contains(r#"aria-label="a&lt;b""#));
    }
}
