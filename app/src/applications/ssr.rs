//! The engine's storage (server only). [`transition`] is the one place that writes a status:
//! in one transaction it checks the role and the version, appends the timeline event, and
//! writes the in-app notification and the outbox email.

use super::model::{next_status, reference, Action, Actor, Kind, Status};
use super::api::{QueuePage, QUEUE_PAGE_SIZE};
use super::{ApplicationRow, Event};
use crate::account::{Me, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::ssr::{enqueue, Mail};
use crate::ssr::now;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

/// The next reference number of `year`, e.g. `LS-2026-000124`.
pub async fn next_reference(conn: &mut AnyConnection, year: i32) -> AppResult<String> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO reference_counters (year, last) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last = reference_counters.last + 1 RETURNING last",
    )
    .bind(i64::from(year))
    .fetch_one(conn)
    .await?;
    Ok(reference(year, n))
}

pub fn current_year() -> i32 {
    crate::jobseeker::domain::Date::today_from_unix(now()).year
}

/// Creates an application and submits it at once (the forms that create applications are
/// complete when sent). Returns its id and reference.
pub async fn create_submitted(
    conn: &mut AnyConnection,
    applicant: &Me,
    kind: Kind,
    payload: &serde_json::Value,
    household_place: &str,
) -> AppResult<(i64, String)> {
    let t = now();
    let reference = next_reference(&mut *conn, current_year()).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO applications (reference, applicant_id, kind, payload, status, version, household_place, submitted_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'submitted', 1, $5, $6, $6, $6) RETURNING id",
    )
    .bind(&reference)
    .bind(applicant.id)
    .bind(kind.as_str())
    .bind(payload.to_string())
    .bind(household_place)
    .bind(t)
    .fetch_one(&mut *conn)
    .await?;
    insert_event(&mut *conn, id, applicant, Status::Draft, Status::Submitted, "", "").await?;
    notify(&mut *conn, id, Status::Submitted, "").await?;
    Ok((id, reference))
}

async fn insert_event(
    conn: &mut AnyConnection,
    application_id: i64,
    actor: &Me,
    from: Status,
    to: Status,
    reason: &str,
    note: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO application_events (application_id, actor_id, actor_role, from_status, to_status, reason, note, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(application_id)
    .bind(actor.id)
    .bind(actor.role.as_str())
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(reason)
    .bind(note)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Tells the applicant about a status change: an in-app notification and an email.
async fn notify(conn: &mut AnyConnection, application_id: i64, to: Status, reason: &str) -> AppResult<()> {
    let row = sqlx::query(
        "SELECT a.reference, a.kind, u.id AS user_id, u.email, u.display_name, u.locale \
         FROM applications a JOIN users u ON u.id = a.applicant_id WHERE a.id = $1",
    )
    .bind(application_id)
    .fetch_one(&mut *conn)
    .await?;
    let reference: String = row.try_get("reference")?;
    let kind: String = row.try_get("kind")?;
    let params = serde_json::json!({ "reference": reference, "kind": kind, "status": to.as_str(), "reason": reason });
    sqlx::query("INSERT INTO notifications (user_id, application_id, kind, params, created_at) VALUES ($1, $2, 'status_changed', $3, $4)")
        .bind(row.try_get::<i64, _>("user_id")?)
        .bind(application_id)
        .bind(params.to_string())
        .bind(now())
        .execute(&mut *conn)
        .await?;
    let lang = Lang::parse(&row.try_get::<String, _>("locale")?).unwrap_or_default();
    let kind = Kind::parse(&kind).ok_or(AppError::Internal)?;
    let settings = crate::ssr::state()?.settings;
    let mail = Mail::StatusChanged {
        name: row.try_get("display_name")?,
        reference: reference.clone(),
        kind: crate::i18n::tr(lang, &kind.label_key()).to_string(),
        status: crate::i18n::tr(lang, &to.label_key()).to_string(),
        reason: reason.to_string(),
        link: format!("{}/my/applications/{reference}", settings.base_url),
    };
    enqueue(conn, &row.try_get::<String, _>("email")?, lang, &mail).await?;
    Ok(())
}

/// Moves an application by `action`, as `actor`, if the table allows it and nobody moved it
/// since `expected_version`. Returns the new status and the application's reference.
pub async fn transition(
    pool: &AnyPool,
    application_id: i64,
    expected_version: i64,
    action: Action,
    actor: &Me,
    reason: &str,
    note: &str,
) -> AppResult<(Status, String)> {
    let reason = reason.trim();
    if action.needs_reason() && reason.is_empty() {
        return Err(AppError::field("reason", "application.reason_required"));
    }
    if reason.chars().count() > 1000 || note.chars().count() > 2000 {
        return Err(AppError::field("reason", "validation.text_too_long"));
    }
    let mut tx = crate::ssr::begin(&pool).await?;
    let row = sqlx::query("SELECT applicant_id, reference, kind, status, version FROM applications WHERE id = $1")
        .bind(application_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let applicant_id: i64 = row.try_get("applicant_id")?;
    let reference: String = row.try_get("reference")?;
    let who = Actor::of(actor.role, applicant_id == actor.id);
    if who == Actor::Other {
        // Someone else's application does not exist, as far as they can tell.
        return Err(AppError::NotFound);
    }
    let kind = Kind::parse(&row.try_get::<String, _>("kind")?).ok_or(AppError::Internal)?;
    let from = Status::parse(&row.try_get::<String, _>("status")?).ok_or(AppError::Internal)?;
    let version: i64 = row.try_get("version")?;
    if version != expected_version {
        return Err(AppError::Conflict("application.stale".into()));
    }
    let to = next_status(kind, from, action, who).ok_or(AppError::Conflict("application.not_allowed".into()))?;

    let t = now();
    let updated = sqlx::query(
        "UPDATE applications SET status = $1, version = version + 1, updated_at = $2, \
           submitted_at = CASE WHEN $1 = 'submitted' THEN $2 ELSE submitted_at END, \
           decided_at = CASE WHEN $1 IN ('approved', 'rejected') THEN $2 ELSE decided_at END, \
           assignee_id = CASE WHEN $1 = 'in_review' AND assignee_id IS NULL THEN $3 ELSE assignee_id END \
         WHERE id = $4 AND version = $5",
    )
    .bind(to.as_str())
    .bind(t)
    .bind(actor.id)
    .bind(application_id)
    .bind(expected_version)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        // Someone else's transition committed between our read and our write.
        return Err(AppError::Conflict("application.stale".into()));
    }
    insert_event(&mut tx, application_id, actor, from, to, reason, note.trim()).await?;
    if kind == Kind::EmploymentCertificate && to == Status::Approved {
        crate::certificates::ssr::issue(&mut tx, application_id, applicant_id).await?;
    }
    notify(&mut tx, application_id, to, reason).await?;
    tx.commit().await?;
    Ok((to, reference))
}

pub fn row_to_application(r: &AnyRow) -> AppResult<ApplicationRow> {
    Ok(ApplicationRow {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        applicant_id: r.try_get("applicant_id")?,
        applicant_name: r.try_get("applicant_name")?,
        kind: Kind::parse(&r.try_get::<String, _>("kind")?).ok_or(AppError::Internal)?,
        status: Status::parse(&r.try_get::<String, _>("status")?).ok_or(AppError::Internal)?,
        version: r.try_get("version")?,
        household_place: r.try_get("household_place")?,
        assignee_name: r.try_get("assignee_name")?,
        submitted_at: r.try_get("submitted_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub const APPLICATION_COLUMNS: &str = "a.id, a.reference, a.applicant_id, u.display_name AS applicant_name, a.kind, a.status, \
     a.version, a.household_place, w.display_name AS assignee_name, a.submitted_at, a.created_at";
pub const APPLICATION_FROM: &str =
    "applications a JOIN users u ON u.id = a.applicant_id LEFT JOIN users w ON w.id = a.assignee_id";

pub async fn load(pool: &AnyPool, id: i64) -> AppResult<Option<ApplicationRow>> {
    let row = sqlx::query(&format!("SELECT {APPLICATION_COLUMNS} FROM {APPLICATION_FROM} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(row_to_application).transpose()
}

pub async fn load_by_reference(pool: &AnyPool, reference: &str) -> AppResult<Option<ApplicationRow>> {
    let row = sqlx::query(&format!("SELECT {APPLICATION_COLUMNS} FROM {APPLICATION_FROM} WHERE a.reference = $1"))
        .bind(reference.trim())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(row_to_application).transpose()
}

pub async fn events(pool: &AnyPool, application_id: i64) -> AppResult<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT e.actor_role, u.display_name, e.from_status, e.to_status, e.reason, e.note, e.at \
         FROM application_events e JOIN users u ON u.id = e.actor_id WHERE e.application_id = $1 ORDER BY e.id",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                actor_role: Role::parse(&r.try_get::<String, _>("actor_role")?).ok_or(AppError::Internal)?,
                actor_name: r.try_get("display_name")?,
                from: Status::parse(&r.try_get::<String, _>("from_status")?).ok_or(AppError::Internal)?,
                to: Status::parse(&r.try_get::<String, _>("to_status")?).ok_or(AppError::Internal)?,
                reason: r.try_get("reason")?,
                note: r.try_get("note")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

/// Every application of one applicant, newest first.
pub async fn of_applicant(pool: &AnyPool, applicant_id: i64) -> AppResult<Vec<ApplicationRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM {APPLICATION_FROM} WHERE a.applicant_id = $1 ORDER BY a.id DESC LIMIT 200"
    ))
    .bind(applicant_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(row_to_application).collect()
}

/// (kind, status) of every application of the applicant, for the eligibility rules.
pub async fn history(conn: &mut AnyConnection, applicant_id: i64) -> AppResult<Vec<(Kind, Status)>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT kind, status FROM applications WHERE applicant_id = $1")
        .bind(applicant_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().filter_map(|(k, s)| Some((Kind::parse(&k)?, Status::parse(&s)?))).collect())
}

/// The queue's filters, as the GET form sends them (empty means "any").
#[derive(Clone, Debug, Default)]
pub struct QueueFilters {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub assignee: Option<String>,
    pub place: Option<String>,
    pub min_days: Option<String>,
    /// `submitted_at:id` of the last row of the previous page.
    pub after: Option<String>,
}

enum Bind {
    Int(i64),
    Text(String),
}

/// One page of the queue, oldest first. Keyset paging on (submitted_at, id) keeps every page
/// one index range scan, however deep the reader pages.
pub async fn queue_page(pool: &AnyPool, filters: &QueueFilters, me_id: i64, t: i64) -> AppResult<QueuePage> {
    let QueueFilters { kind, status, assignee, place, min_days, after } = filters;
    let mut sql = format!("SELECT {} FROM {} WHERE 1 = 1", APPLICATION_COLUMNS, APPLICATION_FROM);
    let mut binds: Vec<Bind> = Vec::new();
    let mut push = |sql: &mut String, clause: &str, value: Bind| {
        binds.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    match status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => {
            let s = Status::parse(s).ok_or(AppError::field("status", "validation.choose_one"))?;
            push(&mut sql, " AND a.status = ?", Bind::Text(s.as_str().into()));
        }
        // By default the queue is the work still to do.
        None => sql.push_str(" AND a.status IN ('submitted', 'in_review', 'needs_info')"),
    }
    if let Some(k) = kind.as_deref().filter(|s| !s.is_empty()) {
        let k = Kind::parse(k).ok_or(AppError::field("kind", "validation.choose_one"))?;
        push(&mut sql, " AND a.kind = ?", Bind::Text(k.as_str().into()));
    }
    match assignee.as_deref().unwrap_or("") {
        "" | "any" => {}
        "me" => push(&mut sql, " AND a.assignee_id = ?", Bind::Int(me_id)),
        "none" => sql.push_str(" AND a.assignee_id IS NULL"),
        _ => return Err(AppError::field("assignee", "validation.choose_one")),
    }
    if let Some(p) = place.as_deref().filter(|s| !s.is_empty()) {
        if !crate::jobseeker::profile::PLACES.contains(&p) {
            return Err(AppError::field("place", "validation.choose_one"));
        }
        push(&mut sql, " AND a.household_place = ?", Bind::Text(p.into()));
    }
    if let Some(days) = min_days.as_deref().filter(|s| !s.trim().is_empty()) {
        let days: i64 = days.trim().parse().ok().filter(|d| (0..=3650).contains(d)).ok_or(AppError::field("min_days", "validation.number_invalid"))?;
        push(&mut sql, " AND a.submitted_at <= ?", Bind::Int(t - days * 86_400));
    }
    if let Some(cursor) = after.as_deref().filter(|s| !s.is_empty()) {
        let (at, id) = cursor.split_once(':').and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?))).ok_or(AppError::field("after", "error.bad_request"))?;
        // A row-value comparison: both databases turn it into one index range.
        push(&mut sql, " AND (a.submitted_at, a.id) > (?", Bind::Int(at));
        push(&mut sql, ", ?)", Bind::Int(id));
    }
    sql.push_str(&format!(" ORDER BY a.submitted_at, a.id LIMIT {}", QUEUE_PAGE_SIZE + 1));
    let mut query = sqlx::query(&sql);
    for b in binds {
        query = match b {
            Bind::Int(i) => query.bind(i),
            Bind::Text(s) => query.bind(s),
        };
    }
    let rows = query.fetch_all(pool).await?;
    let mut rows: Vec<ApplicationRow> = rows.iter().map(row_to_application).collect::<Result<_, _>>()?;
    let next = if rows.len() as i64 > QUEUE_PAGE_SIZE {
        rows.truncate(QUEUE_PAGE_SIZE as usize);
        rows.last().map(|r| format!("{}:{}", r.submitted_at.unwrap_or(0), r.id))
    } else {
        None
    };
    Ok(QueuePage { rows, next, now: t })
}

