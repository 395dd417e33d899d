//! Hiring storage (server only): applications to vacancies, their timeline, and telling the
//! graduate about each move.

use super::{Applicant, JobApplication, Stage, StageAction, StageEvent, MOVES};
use crate::applications::machine::{next, ssr::record_step, ssr::Tables};
use crate::error::{AppError, AppResult};
use crate::i18n::{tr, tr_args, Lang};
use crate::mail::ssr::{enqueue, Mail};
use crate::notifications::{ssr::notify, Note, NotificationKind};
use crate::shared::identity::Me;
use crate::shared::time::Date;
use crate::ssr::now;
use sqlx::{AnyConnection, AnyPool, Row};

const TABLES: Tables = Tables { records: "job_applications", events: "job_application_events", record_key: "job_application_id" };

const APPLICATION_COLUMNS: &str = "j.id, j.vacancy_id, v.title AS vacancy_title, e.name AS employer_name, j.status, j.version, \
     j.cover_note, j.interview_at, j.interview_place, j.confirmed_at, j.created_at";

/// Writes the application and its first timeline row; `None` when this graduate has applied to
/// this vacancy before (the unique index decides, so two clicks at once make one row).
pub async fn insert(conn: &mut AnyConnection, me: &Me, vacancy_id: i64, cover_note: &str) -> AppResult<Option<i64>> {
    let t = now();
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO job_applications (vacancy_id, applicant_id, status, version, cover_note, created_at, updated_at) \
         VALUES ($1, $2, $3, 1, $4, $5, $5) ON CONFLICT (vacancy_id, applicant_id) DO NOTHING RETURNING id",
    )
    .bind(vacancy_id)
    .bind(me.id)
    .bind(Stage::Applied)
    .bind(cover_note)
    .bind(t)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        sqlx::query(
            "INSERT INTO job_application_events (job_application_id, actor_id, actor_role, from_status, to_status, reason, note, at) \
             VALUES ($1, $2, $3, $4, $4, '', 'apply', $5)",
        )
        .bind(id)
        .bind(me.id)
        .bind(me.role)
        .bind(Stage::Applied)
        .bind(t)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The graduate's applications, newest first, each with its timeline.
pub async fn of_applicant(pool: &AnyPool, applicant_id: i64) -> AppResult<Vec<JobApplication>> {
    let mut list: Vec<JobApplication> = sqlx::query_as(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM job_applications j JOIN vacancies v ON v.id = j.vacancy_id \
         JOIN employers e ON e.id = v.employer_id WHERE j.applicant_id = $1 ORDER BY j.id DESC LIMIT 200"
    ))
    .bind(applicant_id)
    .fetch_all(pool)
    .await?;
    for a in &mut list {
        a.events = events(pool, a.id).await?;
    }
    Ok(list)
}

/// This graduate's application to this vacancy, if any.
pub async fn for_vacancy(pool: &AnyPool, applicant_id: i64, vacancy_id: i64) -> AppResult<Option<JobApplication>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM job_applications j JOIN vacancies v ON v.id = j.vacancy_id \
         JOIN employers e ON e.id = v.employer_id WHERE j.applicant_id = $1 AND j.vacancy_id = $2"
    ))
    .bind(applicant_id)
    .bind(vacancy_id)
    .fetch_optional(pool)
    .await?)
}

async fn events(pool: &AnyPool, id: i64) -> AppResult<Vec<StageEvent>> {
    Ok(sqlx::query_as(
        "SELECT from_status, to_status, actor_role, reason, note, at FROM job_application_events WHERE job_application_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?)
}

/// A vacancy's applicants, oldest first.
pub async fn applicants(pool: &AnyPool, vacancy_id: i64) -> AppResult<Vec<Applicant>> {
    let mut list: Vec<Applicant> = sqlx::query_as(
        "SELECT j.id, j.status, j.version, j.cover_note, j.interview_at, j.interview_place, j.confirmed_at, j.created_at, \
           p.full_name, p.resident_id_masked AS masked_id, p.birth_date, p.school, p.major, p.degree, p.graduation_date, p.phone, u.email \
         FROM job_applications j JOIN users u ON u.id = j.applicant_id JOIN profiles p ON p.user_id = j.applicant_id \
         WHERE j.vacancy_id = $1 ORDER BY j.id LIMIT 500",
    )
    .bind(vacancy_id)
    .fetch_all(pool)
    .await?;
    let today = Date::today_from_unix(now());
    for a in &mut list {
        a.age = Date::parse(&a.birth_date).map(|b| b.years_until(today)).unwrap_or(0);
        // The birth date beside the masked number would narrow it down; the age is enough.
        a.birth_date.clear();
    }
    Ok(list)
}

/// The vacancy an application belongs to and the employer that posted it.
pub async fn owner_of(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(i64, i64, i64, Stage)>> {
    let row = sqlx::query(
        "SELECT j.vacancy_id, v.employer_id, j.applicant_id, j.status FROM job_applications j JOIN vacancies v ON v.id = j.vacancy_id WHERE j.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((r.try_get("vacancy_id")?, r.try_get("employer_id")?, r.try_get("applicant_id")?, r.try_get("status")?))).transpose()
}

/// What an employer's move carries beyond the action.
#[derive(Default)]
pub struct MoveDetails<'a> {
    pub note: &'a str,
    /// For an interview: `YYYY-MM-DDTHH:MM` and the place.
    pub interview: Option<(&'a str, &'a str)>,
}

/// Moves one application if the table allows it and the version has not moved, with its
/// timeline row, a notification and an email to the graduate, all in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn move_application(
    conn: &mut AnyConnection,
    me: &Me,
    id: i64,
    version: i64,
    from: Stage,
    action: StageAction,
    details: MoveDetails<'_>,
) -> AppResult<Stage> {
    let to = next(MOVES, from, action, me.role).ok_or(AppError::Conflict("hiring.not_allowed".into()))?;
    record_step(conn, &TABLES, id, version, from, to, me, details.note, action.as_str()).await?;
    if let Some((at, place)) = details.interview {
        sqlx::query("UPDATE job_applications SET interview_at = $1, interview_place = $2 WHERE id = $3")
            .bind(at)
            .bind(place)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    // The graduate hears of every move but their own.
    if me.role != crate::shared::identity::Role::Graduate {
        tell_applicant(conn, id, to, details).await?;
    }
    Ok(to)
}

async fn tell_applicant(conn: &mut AnyConnection, id: i64, to: Stage, details: MoveDetails<'_>) -> AppResult<()> {
    let row = sqlx::query(
        "SELECT j.vacancy_id, v.title, e.name AS organisation, u.id AS user_id, u.email, u.display_name, u.locale \
         FROM job_applications j JOIN vacancies v ON v.id = j.vacancy_id JOIN employers e ON e.id = v.employer_id \
         JOIN users u ON u.id = j.applicant_id WHERE j.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let (vacancy_id, title, organisation): (i64, String, String) = (row.try_get("vacancy_id")?, row.try_get("title")?, row.try_get("organisation")?);
    let note = Note {
        link: format!("/vacancies/{vacancy_id}"),
        subject: title.clone(),
        what_key: "hiring.notification".into(),
        status_key: to.label_key().into(),
        reason: details.note.to_string(),
    };
    notify(conn, row.try_get("user_id")?, None, NotificationKind::JobApplicationMoved, &note).await?;
    let lang = Lang::parse(&row.try_get::<String, _>("locale")?).unwrap_or_default();
    let interview = details
        .interview
        .map(|(at, place)| tr_args(lang, "hiring.interview_line", &[("at", &at.replace('T', " ")), ("place", place)]))
        .unwrap_or_default();
    let mail = Mail::JobApplicationMoved {
        name: row.try_get("display_name")?,
        title,
        organisation,
        status: tr(lang, to.label_key()).to_string(),
        details: [interview, details.note.to_string()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n"),
        link: format!("{}/my", crate::ssr::state()?.settings.base_url),
    };
    enqueue(conn, &row.try_get::<String, _>("email")?, lang, &mail).await?;
    Ok(())
}
