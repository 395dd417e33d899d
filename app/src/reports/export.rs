//! Downloads: the dashboard's tables and the application queue (as filtered), as CSV or XLSX,
//! in the reader's language. Plain GET links, so they work without JavaScript. Only what the
//! pages themselves show goes out: names, never ID numbers.

use super::{Dashboard, Period};
use crate::applications::ssr::{queue_rows, QueueFilters};
use crate::error::{AppError, AppResult};
use crate::shared::csv;
use crate::i18n::{lang_from_accept_language, lang_from_cookie_header, tr, tr_args, Lang};
use crate::shared::time::{days_between, format_time, Date};
use crate::ssr::{now, AppState};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use tower_sessions::Session;

/// The most queue rows one download carries.
pub const MAX_EXPORT_ROWS: i64 = 10_000;

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/reports/export", get(report_export)).route("/staff/queue/export", get(queue_export))
}

/// One cell: text, or a number a spreadsheet can sum.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}
impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Number(n as f64)
    }
}

/// A titled table: one CSV section, one XLSX sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    fn parse(raw: Option<&String>) -> Option<Format> {
        match raw.map(String::as_str) {
            Some("csv") | None => Some(Format::Csv),
            Some("xlsx") => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// CSV (RFC 4180, CRLF) in UTF-8 with a byte-order mark, which Excel needs to read Chinese; with
/// more than one table, each is preceded by its title and followed by an empty line.
pub fn to_csv(tables: &[Table]) -> Vec<u8> {
    let mut out = String::from(csv::BOM);
    for table in tables {
        if tables.len() > 1 {
            out.push_str(&csv::field(&table.title));
            out.push_str("\r\n");
        }
        let line = |cells: Vec<String>| cells.join(",") + "\r\n";
        out.push_str(&line(table.headers.iter().map(|h| csv::field(h)).collect()));
        for row in &table.rows {
            out.push_str(&line(
                row.iter()
                    .map(|c| match c {
                        Cell::Text(t) => csv::field(t),
                        Cell::Number(n) => n.to_string(),
                    })
                    .collect(),
            ));
        }
        if tables.len() > 1 {
            out.push_str("\r\n");
        }
    }
    out.into_bytes()
}

/// One sheet per table, headers bold, numbers as numbers.
pub fn to_xlsx(tables: &[Table]) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let bold = CellFormat::new().set_bold();
    let mut book = Workbook::new();
    for (i, table) in tables.iter().enumerate() {
        let sheet = book.add_worksheet();
        // Sheet names: at most 31 characters and none of []:*?/\
        let name: String = table.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(28).collect();
        sheet.set_name(format!("{}{name}", if tables.len() > 1 { format!("{} ", i + 1) } else { String::new() })).map_err(AppError::internal)?;
        for (c, h) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold).map_err(AppError::internal)?;
            sheet.set_column_width(c as u16, 16).map_err(AppError::internal)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell {
                    Cell::Text(t) => sheet.write_string(r, c, t),
                    Cell::Number(n) => sheet.write_number(r, c, *n),
                }
                .map_err(AppError::internal)?;
            }
        }
    }
    book.save_to_buffer().map_err(AppError::internal)
}

/// The dashboard as tables, labelled in `lang`.
pub fn dashboard_tables(d: &Dashboard, lang: Lang) -> Vec<Table> {
    let t = |k: &str| tr(lang, k).to_string();
    let period = tr_args(lang, "report.period_text", &[("from", &d.period.from.to_string()), ("to", &d.period.to.to_string())]);
    let place = d.period.place.map(|p| t(p.label_key())).unwrap_or_else(|| t("report.every_place"));
    let mut summary = vec![
        vec![Cell::from(t("report.period")), Cell::from(period)],
        vec![Cell::from(t("profile.household_place")), Cell::from(place)],
        vec![Cell::from(t("report.registrations")), Cell::from(d.registrations)],
        vec![Cell::from(t("report.vacancies_posted")), Cell::from(d.vacancies_posted)],
        vec![Cell::from(t("report.job_applications")), Cell::from(d.job_applications)],
        vec![Cell::from(t("report.traineeship_seats_offered")), Cell::from(d.traineeship_seats.offered)],
        vec![Cell::from(t("report.traineeship_seats_taken")), Cell::from(d.traineeship_seats.taken)],
        vec![Cell::from(t("report.training_seats_offered")), Cell::from(d.training_seats.offered)],
        vec![Cell::from(t("report.training_seats_taken")), Cell::from(d.training_seats.taken)],
    ];
    if let Some(days) = d.median_days_to_decision {
        summary.push(vec![Cell::from(t("report.median_days")), Cell::Number(days)]);
    }
    vec![
        Table { title: t("report.summary"), headers: vec![t("report.figure"), t("report.value")], rows: summary },
        Table {
            title: t("report.by_kind"),
            headers: ["queue.kind", "report.submitted", "report.open", "report.approved", "report.rejected", "report.withdrawn"].map(t).to_vec(),
            rows: d
                .by_kind
                .iter()
                .map(|k| {
                    vec![
                        Cell::from(k.kind.map(|kind| t(kind.label_key())).unwrap_or_default()),
                        k.submitted.into(),
                        k.open.into(),
                        k.approved.into(),
                        k.rejected.into(),
                        k.withdrawn.into(),
                    ]
                })
                .collect(),
        },
        Table {
            title: t("report.decisions_per_week"),
            headers: vec![t("report.week_of"), t("report.decisions")],
            rows: d.decisions_per_week.iter().map(|(w, n)| vec![Cell::from(w.to_string()), (*n).into()]).collect(),
        },
        Table {
            title: t("report.complaints"),
            headers: vec![t("complaint.category"), t("report.count")],
            rows: d.complaints.iter().map(|(c, n)| vec![Cell::from(t(c.label_key())), (*n).into()]).collect(),
        },
    ]
}

fn reader_lang(headers: &HeaderMap) -> Lang {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    header(header::COOKIE).and_then(lang_from_cookie_header).or_else(|| header(header::ACCEPT_LANGUAGE).and_then(lang_from_accept_language)).unwrap_or_default()
}

/// The signed-in case worker or admin, or the answer to give instead.
async fn staff(state: &AppState, session: &Session) -> Result<crate::shared::identity::Me, Response> {
    match crate::ssr::user_of_session(state, session).await {
        Ok(Some(me)) if me.role.is_staff() => Ok(me),
        Ok(Some(_)) => Err(AppError::Forbidden.into_response()),
        Ok(None) => Err(axum::response::Redirect::to("/login").into_response()),
        Err(e) => Err(e.into_response()),
    }
}

fn download(tables: &[Table], format: Format, name: &str) -> Response {
    let today = Date::today_from_unix(now());
    let (bytes, mime, ext) = match format {
        Format::Csv => (Ok(to_csv(tables)), "text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (to_xlsx(tables), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    };
    match bytes {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}-{today}.{ext}\"")),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

async fn report_export(State(state): State<AppState>, session: Session, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Err(refusal) = staff(&state, &session).await {
        return refusal;
    }
    let Some(format) = Format::parse(q.get("format")) else {
        return AppError::field("format", "validation.choose_one").into_response();
    };
    let today = Date::today_from_unix(now());
    let period = match Period::parse(q.get("from").map(String::as_str), q.get("to").map(String::as_str), q.get("place").map(String::as_str), today) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    match super::ssr::dashboard(&state.pool, state.dialect, period).await {
        Ok(d) => download(&dashboard_tables(&d, reader_lang(&headers)), format, "report"),
        Err(e) => e.into_response(),
    }
}

async fn queue_export(State(state): State<AppState>, session: Session, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let me = match staff(&state, &session).await {
        Ok(me) => me,
        Err(refusal) => return refusal,
    };
    let Some(format) = Format::parse(q.get("format")) else {
        return AppError::field("format", "validation.choose_one").into_response();
    };
    let filters = QueueFilters {
        kind: q.get("kind").cloned(),
        status: q.get("status").cloned(),
        assignee: q.get("assignee").cloned(),
        place: q.get("place").cloned(),
        min_days: q.get("min_days").cloned(),
        after: None,
    };
    let t = now();
    let rows = match queue_rows(&state.pool, &filters, me.id, t, MAX_EXPORT_ROWS).await {
        Ok(rows) => rows,
        Err(e) => return e.into_response(),
    };
    let lang = reader_lang(&headers);
    let tx = |k: &str| tr(lang, k).to_string();
    let table = Table {
        title: tx("queue.title"),
        headers: ["application.reference", "queue.kind", "application.applicant", "profile.household_place", "queue.status", "report.submitted_at", "report.days_waiting", "application.assignee"]
            .map(tx)
            .to_vec(),
        rows: rows
            .into_iter()
            .map(|a| {
                vec![
                    Cell::from(a.reference),
                    tx(a.kind.label_key()).into(),
                    a.applicant_name.into(),
                    tx(a.household_place.label_key()).into(),
                    tx(a.status.label_key()).into(),
                    a.submitted_at.map(format_time).unwrap_or_default().into(),
                    days_between(a.submitted_at.unwrap_or(t), t).into(),
                    a.assignee_name.unwrap_or_default().into(),
                ]
            })
            .collect(),
    };
    download(&[table], format, "queue")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            title: "队列".into(),
            headers: vec!["编号".into(), "说明".into(), "天数".into()],
            rows: vec![vec!["SQ-1".into(), "含,逗号 \"引号\"".into(), 3.into()], vec!["=HYPERLINK(\"x\")".into(), "".into(), 0.into()]],
        }
    }

    #[test]
    fn csv_starts_with_a_byte_order_mark_quotes_what_it_must_and_defuses_formulas() {
        let csv = String::from_utf8(to_csv(&[table()])).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "编号,说明,天数");
        assert_eq!(lines[1], "SQ-1,\"含,逗号 \"\"引号\"\"\",3");
        assert_eq!(lines[2], "\"'=HYPERLINK(\"\"x\"\")\",,0");
    }

    #[test]
    fn several_tables_in_one_csv_each_get_their_title() {
        let csv = String::from_utf8(to_csv(&[table(), Table { title: "二".into(), ..table() }])).unwrap();
        assert_eq!(csv.matches("编号,说明,天数").count(), 2);
        assert!(csv.contains("\r\n\r\n二\r\n"));
    }

    #[test]
    fn an_xlsx_is_a_zip_with_one_sheet_per_table() {
        let bytes = to_xlsx(&[table(), Table { title: "二".into(), ..table() }]).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet2.xml"));
        assert!(!text.contains("xl/worksheets/sheet3.xml"));
    }
}
