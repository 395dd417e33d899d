//! Reading an archive export (CSV) into rows to import and rows to reject, without the database.
//!
//! The file is UTF-8, with or without a byte-order mark (what Excel writes with "CSV UTF-8").
//! Its first line names the columns, in either language and in any order:
//!
//! | column          | 中文        | value                                                        |
//! |-----------------|-------------|--------------------------------------------------------------|
//! | `id_number`     | `身份证号`  | the holder's 18-character resident ID number                 |
//! | `name`          | `姓名`      | the holder's name                                            |
//! | `location_kind` | `档案所在`  | `school` / `talent_service` / `employer` (or 学校 / 人才服务机构 / 用人单位) |
//! | `place`         | `地区`      | for a talent service: `shizhong`… or its name (市中区…); else empty |
//! | `unit_name`     | `单位名称`  | the school's, the service's or the employer's name           |
//!
//! Fields may be quoted (`"…"`, a quote inside written `""`), and a quoted field may hold commas
//! and line breaks. Blank lines are skipped. A rejected row names its line in the file.

use super::{LocationKind, Rejected};
use crate::jobseeker::domain::ResidentId;
use crate::shared::time::Date;
use crate::shared::values::Place;
use std::collections::HashMap;

/// At most this many data rows per file: a year's graduates of one school fit many times over.
pub const MAX_ROWS: usize = 20_000;
/// At most this many bytes per file.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
pub const MAX_NAME_CHARS: usize = 50;
pub const MAX_UNIT_CHARS: usize = 100;

/// A row that may be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoodRow {
    pub line: u64,
    pub resident_id: ResidentId,
    pub name: String,
    pub kind: LocationKind,
    pub place: Option<Place>,
    pub unit: String,
}

/// The file's text: UTF-8 without its byte-order mark, or the i18n key of why it is not.
pub fn decode(bytes: &[u8]) -> Result<&str, &'static str> {
    if bytes.is_empty() {
        return Err("upload.missing");
    }
    if bytes.len() > MAX_BYTES {
        return Err("archive.import_too_large");
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| "archive.import_not_utf8")
}

/// The records of a CSV text, each with the line it starts on (1 is the first line).
pub fn records(text: &str) -> Result<Vec<(u64, Vec<String>)>, &'static str> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1u64;
    let (mut field, mut fields) = (String::new(), Vec::new());
    let mut start = 1u64;
    let mut quoted = false;
    let mut any = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                any = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                any = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                if any || !field.is_empty() {
                    fields.push(std::mem::take(&mut field));
                    out.push((start, std::mem::take(&mut fields)));
                }
                any = false;
                line += 1;
                start = line;
            }
            c => field.push(c),
        }
    }
    if quoted {
        return Err("archive.import_unclosed_quote");
    }
    if any || !field.is_empty() {
        fields.push(field);
        out.push((start, fields));
    }
    Ok(out)
}

/// The columns, by position, that the header line names.
struct Columns {
    id: usize,
    name: usize,
    kind: usize,
    place: usize,
    unit: usize,
}

fn columns(header: &[String]) -> Result<Columns, &'static str> {
    let find = |names: [&str; 2]| header.iter().position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)));
    match (
        find(["id_number", "身份证号"]),
        find(["name", "姓名"]),
        find(["location_kind", "档案所在"]),
        find(["place", "地区"]),
        find(["unit_name", "单位名称"]),
    ) {
        (Some(id), Some(name), Some(kind), Some(place), Some(unit)) => Ok(Columns { id, name, kind, place, unit }),
        _ => Err("archive.import_bad_header"),
    }
}

fn kind_of(raw: &str) -> Option<LocationKind> {
    LocationKind::parse(raw).or(match raw {
        "学校" => Some(LocationKind::School),
        "人才服务机构" | "公共就业人才服务机构" | "人才中心" => Some(LocationKind::TalentService),
        "用人单位" | "单位" => Some(LocationKind::Employer),
        _ => None,
    })
}

fn place_of(raw: &str) -> Option<Place> {
    Place::parse(raw).or_else(|| Place::ALL.into_iter().find(|p| crate::i18n::tr(crate::i18n::Lang::ZhCn, p.label_key()) == raw))
}

/// Sorts a file's rows into good ones and rejected ones (by the file alone: a row whose holder
/// already has an archive is found by the caller). A second row for the same ID number is
/// rejected, naming the line of the first.
pub fn check_rows(text: &str, today: Date) -> Result<(Vec<GoodRow>, Vec<Rejected>), &'static str> {
    let mut all = records(text)?.into_iter();
    let (_, header) = all.next().ok_or("archive.import_empty")?;
    let cols = columns(&header)?;
    let rows: Vec<_> = all.collect();
    if rows.is_empty() {
        return Err("archive.import_empty");
    }
    if rows.len() > MAX_ROWS {
        return Err("archive.import_too_many_rows");
    }
    let (mut good, mut rejected) = (Vec::new(), Vec::new());
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (line, fields) in rows {
        let get = |i: usize| fields.get(i).map(|s| s.trim()).unwrap_or("");
        let reject = |reason: &str, detail: &str| Rejected { line, reason: reason.to_string(), detail: detail.to_string() };
        let missing = [("id_number", cols.id), ("name", cols.name), ("location_kind", cols.kind), ("unit_name", cols.unit)]
            .into_iter()
            .find(|(_, i)| get(*i).is_empty());
        if let Some((column, _)) = missing {
            rejected.push(reject("archive.reject_missing", column));
            continue;
        }
        let resident_id = match ResidentId::parse(get(cols.id), today) {
            Ok(id) => id,
            Err(key) => {
                rejected.push(reject("archive.reject_bad_id", key));
                continue;
            }
        };
        let (name, unit) = (get(cols.name).to_string(), get(cols.unit).to_string());
        if name.chars().count() > MAX_NAME_CHARS || unit.chars().count() > MAX_UNIT_CHARS {
            rejected.push(reject("archive.reject_too_long", ""));
            continue;
        }
        let Some(kind) = kind_of(get(cols.kind)) else {
            rejected.push(reject("archive.reject_unknown_kind", get(cols.kind)));
            continue;
        };
        let place = match (kind, get(cols.place)) {
            (LocationKind::TalentService, "") => {
                rejected.push(reject("archive.reject_missing", "place"));
                continue;
            }
            (_, "") => None,
            (_, raw) => match place_of(raw) {
                Some(p) => Some(p),
                None => {
                    rejected.push(reject("archive.reject_unknown_place", raw));
                    continue;
                }
            },
        };
        if let Some(first) = seen.get(resident_id.expose()) {
            rejected.push(reject("archive.reject_duplicate_in_file", &first.to_string()));
            continue;
        }
        seen.insert(resident_id.expose().to_string(), line);
        good.push(GoodRow { line, resident_id, name, kind, place, unit });
    }
    Ok((good, rejected))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date { year: 2026, month: 11, day: 30 };

    fn id(first17: &str) -> String {
        ResidentId::with_check_char(first17)
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks_and_lines_are_counted() {
        let text = "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\nlast,";
        let recs = records(text).unwrap();
        assert_eq!(recs[0], (1, vec!["a".into(), "b".into()]));
        assert_eq!(recs[1], (2, vec!["x, y".into(), "say \"hi\"".into()]));
        assert_eq!(recs[2], (4, vec!["two\nlines".into(), "z".into()]));
        assert_eq!(recs[3], (6, vec!["last".into(), String::new()]));
        assert_eq!(records("\"open"), Err("archive.import_unclosed_quote"));
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_other_encodings_are_refused() {
        assert_eq!(decode(b"\xEF\xBB\xBFname"), Ok("name"));
        assert_eq!(decode(b"name"), Ok("name"));
        assert_eq!(decode(b"\xC0\xFF"), Err("archive.import_not_utf8"));
        assert_eq!(decode(b""), Err("upload.missing"));
    }

    #[test]
    fn each_bad_row_is_rejected_with_its_line_and_reason() {
        let good = id("51110220030715123");
        let other = id("51110220040101002");
        let mut bad = id("51110220050202003");
        bad.replace_range(17.., if bad.ends_with('0') { "1" } else { "0" });
        let text = format!(
            "姓名,身份证号,档案所在,地区,单位名称\n\
             李明,{good},school,,乐山职业技术学院\n\
             王芳,{bad},school,,乐山师范学院\n\
             张伟,{other},人才服务机构,火星,乐山市人才中心\n\
             赵磊,{other},talent_service,市中区,市中区人才服务中心\n\
             ,{other},school,,某校\n\
             李明二,{good},employer,,某公司\n"
        );
        let (rows, rejected) = check_rows(&text, TODAY).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 5]);
        assert_eq!(rows[1].place, Some(Place::Shizhong));
        assert_eq!(rows[1].kind, LocationKind::TalentService);
        let got: Vec<(u64, &str, &str)> = rejected.iter().map(|r| (r.line, r.reason.as_str(), r.detail.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (3, "archive.reject_bad_id", "validation.resident_id_check"),
                (4, "archive.reject_unknown_place", "火星"),
                (6, "archive.reject_missing", "name"),
                (7, "archive.reject_duplicate_in_file", "2"),
            ]
        );
    }

    #[test]
    fn a_file_without_the_columns_or_without_rows_is_refused_as_a_whole() {
        assert_eq!(check_rows("id,who\n1,2\n", TODAY).unwrap_err(), "archive.import_bad_header");
        assert_eq!(check_rows("id_number,name,location_kind,place,unit_name\n", TODAY).unwrap_err(), "archive.import_empty");
        assert_eq!(check_rows("", TODAY).unwrap_err(), "archive.import_empty");
    }
}
