//! Suspension (server only): a case worker takes down one posting, or an employer with all its
//! listed postings, from a complaint; and lifts it again.
//!
//! A posting's suspension is a move of its own status machine (`suspended`), so search, the
//! feed and the vacancy page (which list only `published`) drop it in the same transaction,
//! through the indexes they already use, and the move is on the posting's timeline. An
//! employer's suspension is a flag on the employer (it may not publish: `save_vacancy` checks
//! it under the same per-employer lock) and a `suspend_with_employer` move of each of its
//! published or pending postings; lifting it reinstates exactly those, not a posting a case
//! worker suspended on its own. Reinstated postings are closed: the employer publishes again
//! what should be listed, and screening looks at it again.

use super::machine_ssr::move_vacancy;
use super::{VacancyAction, VacancyActor, VacancyStatus};
use crate::db::Dialect;
use crate::error::{AppError, AppResult};
use crate::shared::enums::sql_list;
use crate::shared::identity::Me;
use crate::ssr::now;
use sqlx::{AnyConnection, Transaction};

/// The key that serialises publishing and suspending for one employer
/// ([`Dialect::lock_until_commit`]).
pub fn lock_key(employer_id: i64) -> String {
    format!("employer:{employer_id}")
}

/// Whether the employer is suspended now. Read under [`lock_key`] when it decides a write.
pub async fn employer_suspended(conn: &mut AnyConnection, employer_id: i64) -> AppResult<bool> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT suspended_at FROM employers WHERE id = $1").bind(employer_id).fetch_optional(conn).await?;
    Ok(at.flatten().is_some())
}

/// Who to tell about an employer's postings: the account that signed it up.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Contact {
    pub email: String,
    pub name: String,
    pub locale: String,
    pub organisation: String,
}

pub async fn contact(conn: &mut AnyConnection, employer_id: i64) -> AppResult<Contact> {
    sqlx::query_as(
        "SELECT u.email, u.display_name AS name, u.locale, e.name AS organisation FROM employers e JOIN users u ON u.id = e.user_id WHERE e.id = $1",
    )
    .bind(employer_id)
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// A posting a suspension or a reinstatement touched.
#[derive(Clone, Debug)]
pub struct Touched {
    pub employer_id: i64,
    pub title: String,
}

async fn current(conn: &mut AnyConnection, id: i64) -> AppResult<(VacancyStatus, i64, i64, String)> {
    sqlx::query_as("SELECT status, version, employer_id, title FROM vacancies WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

async fn set_note(conn: &mut AnyConnection, id: i64, note: &str) -> AppResult<()> {
    sqlx::query("UPDATE vacancies SET review_note = $1 WHERE id = $2").bind(note).bind(id).execute(conn).await?;
    Ok(())
}

/// Suspends one posting, in the caller's transaction. The reason becomes the posting's review
/// note, which its employer sees beside it.
pub async fn suspend_vacancy(conn: &mut AnyConnection, id: i64, me: &Me, reason: &str) -> AppResult<Touched> {
    let (from, version, employer_id, title) = current(conn, id).await?;
    if from == VacancyStatus::Suspended {
        return Err(AppError::Conflict("suspension.vacancy_already".into()));
    }
    move_vacancy(conn, id, version, from, VacancyAction::Suspend, VacancyActor::Staff, me, reason).await?;
    set_note(conn, id, reason).await?;
    Ok(Touched { employer_id, title })
}

/// Lifts a posting's suspension: it is closed, with no note.
pub async fn reinstate_vacancy(conn: &mut AnyConnection, id: i64, me: &Me) -> AppResult<Touched> {
    let (from, version, employer_id, title) = current(conn, id).await?;
    if from != VacancyStatus::Suspended {
        return Err(AppError::Conflict("suspension.vacancy_not_suspended".into()));
    }
    move_vacancy(conn, id, version, from, VacancyAction::Reinstate, VacancyActor::Staff, me, "").await?;
    set_note(conn, id, "").await?;
    Ok(Touched { employer_id, title })
}

/// Suspends an employer and takes down every posting of it that is listed or waiting for
/// review; returns how many. Holds the employer's lock, so a posting published at the same
/// moment either lands before (and is taken down here) or is refused after.
pub async fn suspend_employer(tx: &mut Transaction<'_, sqlx::Any>, dialect: Dialect, employer_id: i64, me: &Me, reason: &str) -> AppResult<usize> {
    dialect.lock_until_commit(tx, &lock_key(employer_id)).await?;
    let done = sqlx::query("UPDATE employers SET suspended_at = $1, suspension_reason = $2 WHERE id = $3 AND suspended_at IS NULL")
        .bind(now())
        .bind(reason)
        .bind(employer_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict("suspension.employer_already".into()));
    }
    let listed: Vec<(i64, VacancyStatus, i64)> = sqlx::query_as(&format!(
        "SELECT id, status, version FROM vacancies WHERE employer_id = $1 AND status IN ({}) ORDER BY id",
        sql_list(&[VacancyStatus::Published, VacancyStatus::PendingReview])
    ))
    .bind(employer_id)
    .fetch_all(&mut **tx)
    .await?;
    for (id, from, version) in &listed {
        move_vacancy(tx, *id, *version, *from, VacancyAction::SuspendWithEmployer, VacancyActor::Staff, me, reason).await?;
        set_note(tx, *id, reason).await?;
    }
    Ok(listed.len())
}

/// Lifts an employer's suspension and reinstates (closes) the postings that went down with it;
/// returns how many.
pub async fn reinstate_employer(tx: &mut Transaction<'_, sqlx::Any>, dialect: Dialect, employer_id: i64, me: &Me) -> AppResult<usize> {
    dialect.lock_until_commit(tx, &lock_key(employer_id)).await?;
    let done = sqlx::query("UPDATE employers SET suspended_at = NULL, suspension_reason = NULL WHERE id = $1 AND suspended_at IS NOT NULL")
        .bind(employer_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict("suspension.employer_not_suspended".into()));
    }
    // The postings whose last step was going down with the employer.
    let with_employer: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT v.id, v.version FROM vacancies v WHERE v.employer_id = $1 AND v.status = $2 \
           AND (SELECT e.note FROM vacancy_events e WHERE e.vacancy_id = v.id ORDER BY e.id DESC LIMIT 1) = $3 ORDER BY v.id",
    )
    .bind(employer_id)
    .bind(VacancyStatus::Suspended)
    .bind(VacancyAction::SuspendWithEmployer)
    .fetch_all(&mut **tx)
    .await?;
    for (id, version) in &with_employer {
        move_vacancy(tx, *id, *version, VacancyStatus::Suspended, VacancyAction::Reinstate, VacancyActor::Staff, me, "").await?;
        set_note(tx, *id, "").await?;
    }
    Ok(with_employer.len())
}
