//! Complaint storage (server only): reference numbers and check codes, filing, the reporter's
//! emails, the public status, the queue and the one complaint a case worker reads.

use super::{
    normalise_code, normalise_reference, reference, ComplaintAction, ComplaintCategory, ComplaintDetail, ComplaintEvent,
    ComplaintOutcome, ComplaintRow, ComplaintStatus, EmployerRef, EvidenceRef, PublicStatus, QueuePage, VacancyRef, CODE_ALPHABET,
    CODE_LENGTH, QUEUE_PAGE_SIZE,
};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::ssr::{enqueue, Mail};
use crate::shared::enums::sql_list;
use crate::shared::time::Date;
use crate::ssr::{now, AppState, SecretKey};
use crate::vacancies::VacancyStatus;
use rand::Rng;
use sqlx::{AnyConnection, AnyPool, Row};

/// The next reference number of `year` from the complaints' own counter, e.g. `TS-2026-000124`.
/// The counter row is updated in the caller's transaction, so two filings never share a number
/// (and the `reference` column is unique besides).
pub async fn next_reference(conn: &mut AnyConnection, year: i32) -> AppResult<String> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO complaint_counters (year, last) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last = complaint_counters.last + 1 RETURNING last",
    )
    .bind(i64::from(year))
    .fetch_one(conn)
    .await?;
    Ok(reference(year, n))
}

/// A fresh check code ([`CODE_LENGTH`] characters of [`CODE_ALPHABET`], about 50 bits).
pub fn new_check_code() -> String {
    let mut rng = rand::thread_rng();
    (0..CODE_LENGTH).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// What is stored of a check code: a keyed hash, so a copy of the table is no list of codes, and
/// guessing one offline needs the server's key.
pub fn check_hash(key: &SecretKey, code: &str) -> String {
    crate::crypto::lookup_hash(key, &format!("complaint-check:{}", normalise_code(code)))
}

/// Equal strings, compared without an early exit.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A complaint as the reporter's form gave it, checked.
pub struct NewComplaint {
    pub category: ComplaintCategory,
    pub reporter: Option<crate::shared::identity::Me>,
    pub vacancy_id: Option<i64>,
    pub employer_name: String,
    pub description: String,
    pub evidence_id: Option<i64>,
}

/// Files a complaint in the caller's transaction: the row, its first timeline event, and the
/// reporter's email when signed in. The vacancy names its employer; without one, an employer
/// whose registered name is exactly the one given is linked (when only one has it). Returns the
/// id and the reference.
pub async fn file(conn: &mut AnyConnection, state: &AppState, c: &NewComplaint, code: &str) -> AppResult<(i64, String)> {
    let key = &state.settings.secret_key;
    let t = now();
    let vacancy: Option<(i64, i64, String)> = match c.vacancy_id {
        Some(id) => sqlx::query_as("SELECT v.id, v.employer_id, e.name FROM vacancies v JOIN employers e ON e.id = v.employer_id WHERE v.id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
        None => None,
    };
    let (vacancy_id, employer_id, employer_name) = match vacancy {
        Some((v, e, name)) => (Some(v), Some(e), if c.employer_name.is_empty() { name } else { c.employer_name.clone() }),
        None if !c.employer_name.is_empty() => {
            let same_name: Vec<i64> =
                sqlx::query_scalar("SELECT id FROM employers WHERE name = $1 LIMIT 2").bind(&c.employer_name).fetch_all(&mut *conn).await?;
            (None, (same_name.len() == 1).then(|| same_name[0]), c.employer_name.clone())
        }
        None => (None, None, String::new()),
    };
    let reference = next_reference(&mut *conn, Date::today_from_unix(t).year).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO complaints (reference, check_hash, category, reporter_id, employer_id, vacancy_id, employer_name, description, \
           evidence_id, status, outcome_text, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', 1, $11, $11) RETURNING id",
    )
    .bind(&reference)
    .bind(check_hash(key, code))
    .bind(c.category)
    .bind(c.reporter.as_ref().map(|m| m.id))
    .bind(employer_id)
    .bind(vacancy_id)
    .bind(&employer_name)
    .bind(&c.description)
    .bind(c.evidence_id)
    .bind(ComplaintStatus::Received)
    .bind(t)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO complaint_events (complaint_id, actor_id, actor_role, from_status, to_status, reason, note, at) \
         VALUES ($1, $2, $3, $4, $4, '', $5, $6)",
    )
    .bind(id)
    .bind(c.reporter.as_ref().map(|m| m.id))
    .bind(c.reporter.as_ref().map(|m| m.role))
    .bind(ComplaintStatus::Received)
    .bind(ComplaintAction::File)
    .bind(t)
    .execute(&mut *conn)
    .await?;
    notify_reporter(conn, &state.settings.base_url, id).await?;
    Ok((id, reference))
}

/// Emails a signed-in reporter the complaint's status as it is now (anonymous reporters follow
/// the status page). The check code is never in it: the reporter has it, and a mailbox is not
/// where it should be kept.
pub async fn notify_reporter(conn: &mut AnyConnection, base_url: &str, complaint_id: i64) -> AppResult<()> {
    let row = sqlx::query(
        "SELECT c.reference, c.status, c.outcome, c.outcome_text, u.email, u.display_name, u.locale \
         FROM complaints c JOIN users u ON u.id = c.reporter_id WHERE c.id = $1",
    )
    .bind(complaint_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(()) };
    let lang = Lang::parse(&row.try_get::<String, _>("locale")?).unwrap_or_default();
    let reference: String = row.try_get("reference")?;
    let status: ComplaintStatus = row.try_get("status")?;
    let outcome: Option<ComplaintOutcome> = row.try_get("outcome")?;
    let link = format!("{base_url}/complaints/status?reference={reference}");
    let mail = Mail::ComplaintStatusChanged {
        name: row.try_get("display_name")?,
        reference,
        status: crate::i18n::tr(lang, status.label_key()).to_string(),
        outcome: outcome.map(|o| crate::i18n::tr(lang, o.label_key()).to_string()).unwrap_or_default(),
        outcome_text: row.try_get("outcome_text")?,
        link,
    };
    enqueue(conn, &row.try_get::<String, _>("email")?, lang, &mail).await?;
    Ok(())
}

/// The id and public status of the complaint with this reference, if `code` is its check code.
/// A wrong reference and a wrong code answer alike (`None`), after the same work.
pub async fn public_status(pool: &AnyPool, key: &SecretKey, reference: &str, code: &str) -> AppResult<Option<(i64, PublicStatus)>> {
    let given = check_hash(key, code);
    let Some(reference) = normalise_reference(reference) else { return Ok(None) };
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, check_hash FROM complaints WHERE reference = $1").bind(&reference).fetch_optional(pool).await?;
    // An unknown reference is compared against a hash no code makes, so both paths do the same.
    let (id, stored) = row.unwrap_or((0, "-".repeat(given.len())));
    if !same(&given, &stored) || id == 0 {
        return Ok(None);
    }
    Ok(Some((id, status_by_id(pool, id).await?)))
}

pub async fn status_by_id(pool: &AnyPool, id: i64) -> AppResult<PublicStatus> {
    sqlx::query_as("SELECT reference, category, status, outcome, outcome_text, created_at, closed_at FROM complaints WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// The queue's filters, as the GET form sends them (empty means "any").
#[derive(Clone, Debug, Default)]
pub struct QueueFilters {
    pub status: Option<String>,
    pub assignee: Option<String>,
    pub category: Option<String>,
    /// `created_at:id` of the last row of the previous page.
    pub after: Option<String>,
}

const ROW_COLUMNS: &str = "c.id, c.reference, c.category, c.status, COALESCE(e.name, c.employer_name) AS employer_name, \
     v.title AS vacancy_title, CAST(CASE WHEN c.reporter_id IS NULL THEN 1 ELSE 0 END AS BIGINT) AS anonymous, w.display_name AS assignee_name, c.created_at";
const ROW_FROM: &str = "complaints c LEFT JOIN employers e ON e.id = c.employer_id LEFT JOIN vacancies v ON v.id = c.vacancy_id \
     LEFT JOIN users w ON w.id = c.assignee_id";

enum Bind {
    Int(i64),
    Text(String),
}

/// One page of the queue, oldest first, keyset-paged on (created_at, id).
pub async fn queue_page(pool: &AnyPool, f: &QueueFilters, me_id: i64, t: i64) -> AppResult<QueuePage> {
    let mut sql = format!("SELECT {ROW_COLUMNS} FROM {ROW_FROM} WHERE 1 = 1");
    let mut binds: Vec<Bind> = Vec::new();
    let mut push = |sql: &mut String, clause: &str, value: Bind| {
        binds.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    match f.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => {
            let s = ComplaintStatus::parse(s).ok_or(AppError::field("status", "validation.choose_one"))?;
            push(&mut sql, " AND c.status = ?", Bind::Text(s.as_str().into()));
        }
        None => sql.push_str(&format!(" AND c.status IN ({})", sql_list(&ComplaintStatus::OPEN))),
    }
    match f.assignee.as_deref().unwrap_or("") {
        "" | "any" => {}
        "me" => push(&mut sql, " AND c.assignee_id = ?", Bind::Int(me_id)),
        "none" => sql.push_str(" AND c.assignee_id IS NULL"),
        _ => return Err(AppError::field("assignee", "validation.choose_one")),
    }
    if let Some(c) = f.category.as_deref().filter(|s| !s.is_empty()) {
        let c = ComplaintCategory::parse(c).ok_or(AppError::field("category", "validation.choose_one"))?;
        push(&mut sql, " AND c.category = ?", Bind::Text(c.as_str().into()));
    }
    if let Some(cursor) = f.after.as_deref().filter(|s| !s.is_empty()) {
        let (at, id) = cursor
            .split_once(':')
            .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)))
            .ok_or(AppError::field("after", "error.bad_request"))?;
        push(&mut sql, " AND (c.created_at, c.id) > (?", Bind::Int(at));
        push(&mut sql, ", ?)", Bind::Int(id));
    }
    sql.push_str(&format!(" ORDER BY c.created_at, c.id LIMIT {}", QUEUE_PAGE_SIZE + 1));
    let mut query = sqlx::query(&sql);
    for b in binds {
        query = match b {
            Bind::Int(i) => query.bind(i),
            Bind::Text(s) => query.bind(s),
        };
    }
    let rows = query.fetch_all(pool).await?;
    let mut rows: Vec<ComplaintRow> = rows
        .iter()
        .map(|r| {
            Ok(ComplaintRow {
                id: r.try_get("id")?,
                reference: r.try_get("reference")?,
                category: r.try_get("category")?,
                status: r.try_get("status")?,
                employer_name: r.try_get("employer_name")?,
                vacancy_title: r.try_get("vacancy_title")?,
                anonymous: r.try_get::<i64, _>("anonymous")? != 0,
                assignee_name: r.try_get("assignee_name")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let next = if rows.len() as i64 > QUEUE_PAGE_SIZE {
        rows.truncate(QUEUE_PAGE_SIZE as usize);
        rows.last().map(|r| format!("{}:{}", r.created_at, r.id))
    } else {
        None
    };
    Ok(QueuePage { rows, next, now: t })
}

/// The complaint with this reference, every part a case worker reads, and the steps it may take
/// now; `None` when there is none.
pub async fn detail(pool: &AnyPool, reference: &str) -> AppResult<Option<ComplaintDetail>> {
    let Some(reference) = normalise_reference(reference) else { return Ok(None) };
    let Some(r) = sqlx::query(
        "SELECT c.id, c.reference, c.version, c.category, c.status, c.outcome, c.outcome_text, c.description, c.employer_name, \
           c.reporter_id, c.employer_id, c.vacancy_id, c.evidence_id, c.assignee_id, c.created_at, \
           u.display_name AS reporter_name, u.email AS reporter_email, w.display_name AS assignee_name \
         FROM complaints c LEFT JOIN users u ON u.id = c.reporter_id LEFT JOIN users w ON w.id = c.assignee_id WHERE c.reference = $1",
    )
    .bind(&reference)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let id: i64 = r.try_get("id")?;
    let reporter = match (r.try_get::<Option<String>, _>("reporter_name")?, r.try_get::<Option<String>, _>("reporter_email")?) {
        (Some(name), Some(email)) => Some((name, email)),
        _ => None,
    };
    let employer = match r.try_get::<Option<i64>, _>("employer_id")? {
        Some(e) => {
            let row = sqlx::query(
                "SELECT e.name, e.credit_code, e.suspended_at, e.suspension_reason, \
                   (SELECT COUNT(*) FROM complaints k WHERE k.employer_id = e.id) AS complaints FROM employers e WHERE e.id = $1",
            )
            .bind(e)
            .fetch_one(pool)
            .await?;
            let suspended = row.try_get::<Option<i64>, _>("suspended_at")?.map(|_| row.try_get::<Option<String>, _>("suspension_reason"));
            Some(EmployerRef {
                id: e,
                name: row.try_get("name")?,
                credit_code: row.try_get("credit_code")?,
                suspended: suspended.transpose()?.map(Option::unwrap_or_default),
                complaints: row.try_get("complaints")?,
            })
        }
        None => None,
    };
    let vacancy = match r.try_get::<Option<i64>, _>("vacancy_id")? {
        Some(v) => {
            let (title, status): (String, VacancyStatus) =
                sqlx::query_as("SELECT title, status FROM vacancies WHERE id = $1").bind(v).fetch_one(pool).await?;
            Some(VacancyRef { id: v, title, status })
        }
        None => None,
    };
    let evidence = match r.try_get::<Option<i64>, _>("evidence_id")? {
        Some(f) => {
            let (mime, size): (String, i64) = sqlx::query_as("SELECT mime, size FROM uploads WHERE id = $1").bind(f).fetch_one(pool).await?;
            Some(EvidenceRef { id: f, mime, size })
        }
        None => None,
    };
    let status: ComplaintStatus = r.try_get("status")?;
    let mut detail = ComplaintDetail {
        id,
        reference,
        version: r.try_get("version")?,
        category: r.try_get("category")?,
        status,
        outcome: r.try_get("outcome")?,
        outcome_text: r.try_get("outcome_text")?,
        description: r.try_get("description")?,
        employer_name: r.try_get("employer_name")?,
        reporter,
        employer,
        vacancy,
        evidence,
        assignee_id: r.try_get("assignee_id")?,
        assignee_name: r.try_get("assignee_name")?,
        created_at: r.try_get("created_at")?,
        events: events(pool, id).await?,
        actions: Vec::new(),
    };
    detail.actions = available(&detail);
    Ok(Some(detail))
}

/// The table's moves from the complaint's status, less those with nothing to act on.
pub fn available(d: &ComplaintDetail) -> Vec<ComplaintAction> {
    use crate::applications::machine::allowed;
    use ComplaintAction as A;
    let vacancy_suspended = d.vacancy.as_ref().map(|v| v.status == VacancyStatus::Suspended);
    let employer_suspended = d.employer.as_ref().map(|e| e.suspended.is_some());
    allowed(super::MOVES, d.status, super::ComplaintActor::Staff)
        .into_iter()
        .filter(|a| match a {
            A::SuspendVacancy => vacancy_suspended == Some(false),
            A::ReinstateVacancy => vacancy_suspended == Some(true),
            A::SuspendEmployer => employer_suspended == Some(false),
            A::ReinstateEmployer => employer_suspended == Some(true),
            A::LinkEmployer => d.employer.is_none(),
            _ => true,
        })
        .collect()
}

pub async fn events(pool: &AnyPool, complaint_id: i64) -> AppResult<Vec<ComplaintEvent>> {
    Ok(sqlx::query_as(
        "SELECT u.display_name AS actor_name, e.actor_role, e.from_status, e.to_status, e.note AS step, e.reason AS text, e.at \
         FROM complaint_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.complaint_id = $1 ORDER BY e.id",
    )
    .bind(complaint_id)
    .fetch_all(pool)
    .await?)
}
