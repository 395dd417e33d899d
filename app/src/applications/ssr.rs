//! The engine's storage (server only). [`transition`] is the one place that writes a status:
//! in one transaction it checks the role and the version, appends the timeline event, and
//! writes the in-app notification and the outbox email.

use super::api::{QueuePage, QUEUE_PAGE_SIZE};
use super::eligibility::{Facts, ProfileFacts};
use super::machine::ssr::{record_step, Tables};
use super::model::{next_status, reference, Action, Actor, Kind, Status};
use super::service::ssr::Moved;
use super::{ApplicationRow, Event};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::ssr::{enqueue, Mail};
use crate::notifications::{ssr::notify as notify_user, Note, NotificationKind};
use crate::services::service;
use crate::shared::enums::sql_list;
use crate::shared::identity::Me;
use crate::shared::time::Date;
use crate::shared::values::{EmploymentStatus, Place};
use crate::ssr::now;
use sqlx::{AnyConnection, AnyPool, Row};

/// Where applications and their timeline live, for the shared step mechanism.
const TABLES: Tables = Tables { records: "applications", events: "application_events", record_key: "application_id" };

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
    Date::today_from_unix(now()).year
}

/// Creates an application and submits it at once (the forms that create applications are
/// complete when sent). Returns its id and reference. A second open application of the same
/// kind for the same applicant is refused with 409 `application.already_open` (the unique index
/// `applications_one_open_per_kind`); on PostgreSQL the transaction is then aborted, so the
/// caller returns the error rather than carrying on.
pub async fn create_submitted(
    conn: &mut AnyConnection,
    applicant: &Me,
    kind: Kind,
    payload: &serde_json::Value,
    household_place: Place,
) -> AppResult<(i64, String)> {
    let t = now();
    let reference = next_reference(&mut *conn, current_year()).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO applications (reference, applicant_id, kind, payload, status, version, household_place, submitted_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7, $7) RETURNING id",
    )
    .bind(&reference)
    .bind(applicant.id)
    .bind(kind)
    .bind(payload.to_string())
    .bind(Status::Submitted)
    .bind(household_place)
    .bind(t)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| {
        // The one unique rule this insert can break (references come from a counter) is one
        // open application per applicant and kind: a second submission that raced the first.
        if crate::db::is_unique_violation(&e) {
            AppError::Conflict("application.already_open".into())
        } else {
            AppError::from(e)
        }
    })?;
    // In the submission's transaction: a submission that fails keeps the draft.
    super::drafts::ssr::delete(&mut *conn, applicant.id, kind).await?;
    insert_event(&mut *conn, id, applicant, Status::Draft, Status::Submitted, "", "").await?;
    notify(&mut *conn, id, Status::Submitted, "").await?;
    Ok((id, reference))
}

/// Applies for `kind` with the payload its service's own form built: the email must be
/// verified and the kind's rules must hold on the day (the first failing rule is the form's
/// message). Returns the new application's reference.
pub async fn apply_with(applicant: &Me, kind: Kind, payload: &serde_json::Value) -> AppResult<String> {
    if !crate::services::service(kind).open {
        return Err(AppError::field("", "application.kind_closed"));
    }
    if !applicant.email_verified {
        return Err(AppError::field("", "application.verify_email_first"));
    }
    let mut tx = crate::ssr::begin().await?;
    let facts = facts(&mut tx, applicant.id).await?;
    let policy = crate::policy::ssr::load(&mut tx).await?;
    let eligibility = super::eligibility::evaluate(kind, &facts, &policy, Date::today_from_unix(now()));
    if let Some(failed) = eligibility.first_failure() {
        return Err(AppError::field("", &failed.key));
    }
    let place: Place = sqlx::query_scalar("SELECT household_place FROM profiles WHERE user_id = $1").bind(applicant.id).fetch_one(&mut *tx).await?;
    let (_, reference) = create_submitted(&mut tx, applicant, kind, payload, place).await?;
    tx.commit().await?;
    Ok(reference)
}

/// The payload an application was made with, as its service's type.
pub async fn payload_of<P: serde::de::DeserializeOwned>(conn: &mut AnyConnection, application_id: i64) -> AppResult<P> {
    let text: String = sqlx::query_scalar("SELECT payload FROM applications WHERE id = $1").bind(application_id).fetch_one(conn).await?;
    serde_json::from_str(&text).map_err(|e| AppError::internal(format_args!("payload of application {application_id} does not read: {e}")))
}

/// The first event of a new application (it has no earlier status to move from).
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
    .bind(actor.role)
    .bind(from)
    .bind(to)
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
    let kind: Kind = row.try_get("kind")?;
    let note = Note {
        link: format!("/my/applications/{reference}"),
        subject: reference.clone(),
        what_key: kind.label_key().to_string(),
        status_key: to.label_key().to_string(),
        reason: reason.to_string(),
    };
    notify_user(conn, row.try_get("user_id")?, Some(application_id), NotificationKind::StatusChanged, &note).await?;
    let lang = Lang::parse(&row.try_get::<String, _>("locale")?).unwrap_or_default();
    let settings = crate::ssr::state()?.settings;
    let mail = Mail::StatusChanged {
        name: row.try_get("display_name")?,
        reference: reference.clone(),
        kind: crate::i18n::tr(lang, kind.label_key()).to_string(),
        status: crate::i18n::tr(lang, to.label_key()).to_string(),
        reason: reason.to_string(),
        link: format!("{}/my/applications/{reference}", settings.base_url),
    };
    enqueue(conn, &row.try_get::<String, _>("email")?, lang, &mail).await?;
    Ok(())
}

/// Moves an application by `action`, as `actor`, if the table allows it and nobody moved it
/// since `expected_version`. In one transaction: the step and its event, the timestamps the
/// queue reads, the service's hooks, the notification and the email. Returns the new status
/// and the application's reference.
pub async fn transition(
    application_id: i64,
    expected_version: i64,
    action: Action,
    actor: &Me,
    reason: &str,
    note: &str,
) -> AppResult<(Status, String)> {
    let mut tx = crate::ssr::begin().await?;
    let moved = transition_in(&mut tx, application_id, expected_version, action, actor, false, reason, note).await?;
    tx.commit().await?;
    Ok(moved)
}

/// [`transition`] inside the caller's write transaction, so a service can change its own rows
/// with the move and have both commit or roll back together. With `provider`, the service has
/// checked that `actor` runs the programme the application is for (a traineeship base deciding
/// a sign-up) and lets them decide it as a case worker would; the timeline names their role.
#[expect(clippy::too_many_arguments, reason = "the move, its actor and its words")]
pub async fn transition_in(
    conn: &mut AnyConnection,
    application_id: i64,
    expected_version: i64,
    action: Action,
    actor: &Me,
    provider: bool,
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
    let row = sqlx::query("SELECT applicant_id, reference, kind, status, version FROM applications WHERE id = $1")
        .bind(application_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let applicant_id: i64 = row.try_get("applicant_id")?;
    let reference: String = row.try_get("reference")?;
    let who = match Actor::of(actor.role, applicant_id == actor.id) {
        // A provider never decides their own application.
        Actor::Other if provider => Actor::Staff,
        who => who,
    };
    if who == Actor::Other {
        // Someone else's application does not exist, as far as they can tell.
        return Err(AppError::NotFound);
    }
    let kind: Kind = row.try_get("kind")?;
    let from: Status = row.try_get("status")?;
    let version: i64 = row.try_get("version")?;
    if version != expected_version {
        return Err(AppError::Conflict("application.stale".into()));
    }
    let service = service(kind);
    let to = next_status(service.completes, from, action, who).ok_or(AppError::Conflict("application.not_allowed".into()))?;

    record_step(&mut *conn, &TABLES, application_id, expected_version, from, to, actor, reason, note.trim()).await?;
    let t = now();
    match to {
        // The queue waits from the last (re)submission.
        Status::Submitted => {
            sqlx::query("UPDATE applications SET submitted_at = $1 WHERE id = $2").bind(t).bind(application_id).execute(&mut *conn).await?;
        }
        Status::Approved | Status::Rejected => {
            sqlx::query("UPDATE applications SET decided_at = $1 WHERE id = $2").bind(t).bind(application_id).execute(&mut *conn).await?;
        }
        // Whoever on the staff takes it up first is its case worker unless someone already is.
        Status::InReview if actor.role.is_staff() => {
            sqlx::query("UPDATE applications SET assignee_id = $1 WHERE id = $2 AND assignee_id IS NULL")
                .bind(actor.id)
                .bind(application_id)
                .execute(&mut *conn)
                .await?;
        }
        _ => {}
    }
    let moved = Moved { application_id, applicant_id, reference: &reference, from, to, actor };
    match to {
        Status::Approved => service.hooks.on_approved(&mut *conn, &moved).await?,
        Status::Completed => service.hooks.on_completed(&mut *conn, &moved).await?,
        _ => service.hooks.on_other(&mut *conn, &moved).await?,
    }
    notify(&mut *conn, application_id, to, reason).await?;
    Ok((to, reference))
}

pub const APPLICATION_COLUMNS: &str = "a.id, a.reference, a.applicant_id, u.display_name AS applicant_name, a.kind, a.status, \
     a.version, a.household_place, w.display_name AS assignee_name, a.submitted_at, a.created_at";
pub const APPLICATION_FROM: &str =
    "applications a JOIN users u ON u.id = a.applicant_id LEFT JOIN users w ON w.id = a.assignee_id";

pub async fn load(pool: &AnyPool, id: i64) -> AppResult<Option<ApplicationRow>> {
    let row = sqlx::query_as(&format!("SELECT {APPLICATION_COLUMNS} FROM {APPLICATION_FROM} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row)
}

pub async fn load_by_reference(pool: &AnyPool, reference: &str) -> AppResult<Option<ApplicationRow>> {
    let row = sqlx::query_as(&format!("SELECT {APPLICATION_COLUMNS} FROM {APPLICATION_FROM} WHERE a.reference = $1"))
        .bind(reference.trim())
        .fetch_optional(pool)
        .await?;
    Ok(row)
}

pub async fn events(pool: &AnyPool, application_id: i64) -> AppResult<Vec<Event>> {
    Ok(sqlx::query_as(
        "SELECT e.actor_role, u.display_name AS actor_name, e.from_status, e.to_status, e.reason, e.note, e.at \
         FROM application_events e JOIN users u ON u.id = e.actor_id WHERE e.application_id = $1 ORDER BY e.id",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?)
}

/// Every application of one applicant, newest first.
pub async fn of_applicant(pool: &AnyPool, applicant_id: i64) -> AppResult<Vec<ApplicationRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM {APPLICATION_FROM} WHERE a.applicant_id = $1 ORDER BY a.id DESC LIMIT 200"
    ))
    .bind(applicant_id)
    .fetch_all(pool)
    .await?)
}

/// (kind, status) of every application of the applicant, for the eligibility rules.
pub async fn history(conn: &mut AnyConnection, applicant_id: i64) -> AppResult<Vec<(Kind, Status)>> {
    Ok(sqlx::query_as("SELECT kind, status FROM applications WHERE applicant_id = $1").bind(applicant_id).fetch_all(conn).await?)
}

/// What the eligibility rules need to know about a graduate: the profile's facts (none until
/// the profile is saved) and every earlier application.
pub async fn facts(conn: &mut AnyConnection, user_id: i64) -> AppResult<Facts> {
    let row = sqlx::query("SELECT birth_date, graduation_date, household_place, employment_status, id_conflict_at FROM profiles WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    let profile = match row {
        None => None,
        Some(r) => {
            let date = |column: &str| -> AppResult<Date> {
                let text: String = r.try_get(column)?;
                Date::parse(&text).map_err(|_| AppError::internal(format_args!("profiles.{column} of user {user_id} is not a date: {text:?}")))
            };
            let place: Place = r.try_get("household_place")?;
            Some(ProfileFacts {
                birth_date: date("birth_date")?,
                graduation_date: date("graduation_date")?,
                household_in_leshan: place.in_leshan(),
                employment_status: r.try_get::<EmploymentStatus, _>("employment_status")?,
                identity_confirmed: r.try_get::<Option<i64>, _>("id_conflict_at")?.is_none(),
            })
        }
    };
    Ok(Facts { profile, history: history(conn, user_id).await? })
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
    let mut rows = queue_rows(pool, filters, me_id, t, QUEUE_PAGE_SIZE + 1).await?;
    let next = if rows.len() as i64 > QUEUE_PAGE_SIZE {
        rows.truncate(QUEUE_PAGE_SIZE as usize);
        rows.last().map(|r| format!("{}:{}", r.submitted_at.unwrap_or(0), r.id))
    } else {
        None
    };
    Ok(QueuePage { rows, next, now: t })
}

/// Up to `limit` rows of the queue as filtered, oldest first (a page, or a download).
pub async fn queue_rows(pool: &AnyPool, filters: &QueueFilters, me_id: i64, t: i64, limit: i64) -> AppResult<Vec<ApplicationRow>> {
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
        None => sql.push_str(&format!(" AND a.status IN ({})", sql_list(&Status::IN_QUEUE))),
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
        let p = Place::parse(p).ok_or(AppError::field("place", "validation.choose_one"))?;
        push(&mut sql, " AND a.household_place = ?", Bind::Text(p.as_str().into()));
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
    sql.push_str(&format!(" ORDER BY a.submitted_at, a.id LIMIT {limit}"));
    let mut query = sqlx::query(&sql);
    for b in binds {
        query = match b {
            Bind::Int(i) => query.bind(i),
            Bind::Text(s) => query.bind(s),
        };
    }
    Ok(query.fetch_all(pool).await?.iter().map(sqlx::FromRow::from_row).collect::<Result<_, _>>()?)
}

