//! Traineeship storage and the engine's hooks for the kind (server only).
//!
//! Seats are taken when the graduate signs up, not when the base accepts. A sign-up is a claim
//! on a seat the graduate can see at once: "full" is the answer the moment the seats are gone,
//! instead of a wait that ends in a decline for want of room, and the base never has more
//! people waiting than it has seats to give. The claim is one more counted into the position's
//! row by an UPDATE whose WHERE names the limit, in the sign-up's write transaction: on
//! PostgreSQL concurrent UPDATEs of one row wait for each other and re-read it before applying
//! the WHERE; on SQLite the write transaction holds the one write lock. No number of
//! simultaneous sign-ups passes `seats`, and a refused one leaves nothing behind. A declined,
//! withdrawn or finished traineeship gives its seat back, once (`released_at`).

use super::{last_day, months_served, subsidy, BaseCandidate, Outcome, Traineeship, TraineeshipLine};
use crate::applications::model::Status;
use crate::applications::service::ssr::{Hooks, Moved, Payload};
use crate::error::{AppError, AppResult};
use crate::shared::identity::Me;
use crate::policy::{Param, Policy};
use crate::shared::time::Date;
use crate::ssr::now;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool};

/// The position a sign-up is for, as it stood when the graduate signed up.
#[derive(Serialize, Deserialize)]
pub struct SignUpPayload {
    pub vacancy_id: i64,
    pub title: String,
    pub employer_name: String,
    pub period_months: i64,
    /// Yuan a month.
    pub stipend: i64,
}

impl Payload for SignUpPayload {}

pub async fn is_base(conn: &mut AnyConnection, employer_id: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM traineeship_bases WHERE employer_id = $1").bind(employer_id).fetch_one(conn).await?;
    Ok(n > 0)
}

/// Makes a verified employer a base; false when it is not verified (or does not exist).
pub async fn flag(conn: &mut AnyConnection, employer_id: i64, by: i64) -> AppResult<bool> {
    let verified: Option<i64> = sqlx::query_scalar("SELECT id FROM employers WHERE id = $1 AND verification = 'verified'")
        .bind(employer_id)
        .fetch_optional(&mut *conn)
        .await?;
    if verified.is_none() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO traineeship_bases (employer_id, flagged_by, flagged_at) VALUES ($1, $2, $3) ON CONFLICT (employer_id) DO NOTHING")
        .bind(employer_id)
        .bind(by)
        .bind(now())
        .execute(conn)
        .await?;
    Ok(true)
}

/// Ends an employer's time as a base: its positions take no new sign-ups; the traineeships
/// already running go on.
pub async fn unflag(conn: &mut AnyConnection, employer_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM traineeship_bases WHERE employer_id = $1").bind(employer_id).execute(conn).await?;
    Ok(())
}

/// Counts one more seat of the position as taken, if one is free. Call it inside the sign-up's
/// write transaction (see the module's note).
pub async fn take_seat(conn: &mut AnyConnection, vacancy_id: i64) -> AppResult<bool> {
    let done = sqlx::query("UPDATE vacancies SET seats_taken = seats_taken + 1 WHERE id = $1 AND seats IS NOT NULL AND seats_taken < seats")
        .bind(vacancy_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives the traineeship's seat back to its position, if it still holds one.
async fn release_seat(conn: &mut AnyConnection, application_id: i64) -> AppResult<()> {
    let vacancy: Option<i64> = sqlx::query_scalar("UPDATE traineeships SET released_at = $1 WHERE application_id = $2 AND released_at IS NULL RETURNING vacancy_id")
        .bind(now())
        .bind(application_id)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(vacancy) = vacancy {
        sqlx::query("UPDATE vacancies SET seats_taken = seats_taken - 1 WHERE id = $1 AND seats_taken > 0").bind(vacancy).execute(conn).await?;
    }
    Ok(())
}

pub async fn insert(conn: &mut AnyConnection, application_id: i64, vacancy_id: i64, employer_id: i64, applicant_id: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO traineeships (application_id, vacancy_id, employer_id, applicant_id, signed_up_at, termination_reason) \
         VALUES ($1, $2, $3, $4, $5, '')",
    )
    .bind(application_id)
    .bind(vacancy_id)
    .bind(employer_id)
    .bind(applicant_id)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// The dates of an accepted traineeship.
pub async fn set_dates(conn: &mut AnyConnection, application_id: i64, starts_on: Date, ends_on: Date) -> AppResult<()> {
    sqlx::query("UPDATE traineeships SET starts_on = $1, ends_on = $2 WHERE application_id = $3")
        .bind(starts_on.to_string())
        .bind(ends_on.to_string())
        .bind(application_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How a traineeship ended, as the base or a case worker recorded it.
pub async fn record_end(conn: &mut AnyConnection, application_id: i64, outcome: Outcome, ended_on: Date, reason: &str) -> AppResult<()> {
    sqlx::query("UPDATE traineeships SET outcome = $1, ended_on = $2, termination_reason = $3 WHERE application_id = $4")
        .bind(outcome)
        .bind(ended_on.to_string())
        .bind(reason)
        .bind(application_id)
        .execute(conn)
        .await?;
    Ok(())
}

const COLUMNS: &str = "t.id, t.application_id, a.reference, a.status, a.version, t.applicant_id, u.display_name AS applicant_name, \
     t.vacancy_id, v.title AS vacancy_title, t.employer_id, e.name AS employer_name, v.period_months, v.stipend, t.signed_up_at, \
     t.starts_on, t.ends_on, t.ended_on, t.outcome, t.termination_reason";
const FROM: &str = "traineeships t JOIN applications a ON a.id = t.application_id JOIN users u ON u.id = t.applicant_id \
     JOIN vacancies v ON v.id = t.vacancy_id JOIN employers e ON e.id = t.employer_id";

pub async fn by_application(conn: &mut AnyConnection, application_id: i64) -> AppResult<Option<Traineeship>> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE t.application_id = $1")).bind(application_id).fetch_optional(conn).await?)
}

/// The graduate's latest sign-up for one position.
pub async fn of_applicant_for(conn: &mut AnyConnection, applicant_id: i64, vacancy_id: i64) -> AppResult<Option<Traineeship>> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE t.applicant_id = $1 AND t.vacancy_id = $2 ORDER BY t.id DESC LIMIT 1"))
        .bind(applicant_id)
        .bind(vacancy_id)
        .fetch_optional(conn)
        .await?)
}

/// One base's sign-ups, newest first.
pub async fn of_employer(pool: &AnyPool, employer_id: i64) -> AppResult<Vec<Traineeship>> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE t.employer_id = $1 ORDER BY t.id DESC LIMIT 500"))
        .bind(employer_id)
        .fetch_all(pool)
        .await?)
}

/// Every traineeship, newest first, for the case workers.
pub async fn all(pool: &AnyPool) -> AppResult<Vec<Traineeship>> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} ORDER BY t.id DESC LIMIT 500")).fetch_all(pool).await?)
}

/// Verified employers, bases first, for the case workers to flag or unflag.
pub async fn base_candidates(pool: &AnyPool) -> AppResult<Vec<BaseCandidate>> {
    Ok(sqlx::query_as(
        "SELECT e.id AS employer_id, e.name, b.flagged_at FROM employers e LEFT JOIN traineeship_bases b ON b.employer_id = e.id \
         WHERE e.verification = 'verified' ORDER BY b.flagged_at IS NULL, e.name, e.id LIMIT 500",
    )
    .fetch_all(pool)
    .await?)
}

/// (seats, seats taken) of a position.
pub async fn seats(conn: &mut AnyConnection, vacancy_id: i64) -> AppResult<(Option<i64>, i64)> {
    Ok(sqlx::query_as("SELECT seats, seats_taken FROM vacancies WHERE id = $1").bind(vacancy_id).fetch_one(conn).await?)
}

/// The traineeship with the subsidy its base is due: for each whole month from the start to
/// the day it ended (or, while it runs, to today, and never past the planned end), at the
/// parameters in force on that last day.
pub fn line(t: Traineeship, policy: &Policy, today: Date) -> TraineeshipLine {
    let parse = |d: &Option<String>| d.as_deref().and_then(|d| Date::parse(d).ok());
    let subsidy = parse(&t.starts_on).map(|start| {
        let last = match (parse(&t.ended_on), parse(&t.ends_on)) {
            (Some(ended), _) => ended,
            (None, Some(planned)) => planned.min(today),
            (None, None) => today,
        };
        subsidy(
            policy.get(Param::MinimumWageMonthlyYuan, last),
            policy.get(Param::TraineeshipSubsidyPercentOfMinimumWage, last),
            months_served(start, last),
            policy.get(Param::TraineeshipMaxMonths, last) as i64,
        )
    });
    TraineeshipLine { traineeship: t, subsidy }
}

pub struct TraineeshipHooks;

#[async_trait::async_trait]
impl Hooks for TraineeshipHooks {
    /// A sign-up is for one position and takes one of its seats, so it is made on the
    /// position's page, never from "what can I apply for".
    async fn payload(&self, _conn: &mut AnyConnection, _applicant: &Me) -> AppResult<serde_json::Value> {
        Err(AppError::field("", "traineeship.sign_up_on_a_position"))
    }

    /// Accepted (by the base, or by a case worker from the queue): it starts today unless the
    /// base's form sets another day right after, in the same transaction.
    async fn on_approved(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
        let Some(t) = by_application(&mut *conn, moved.application_id).await? else { return Ok(()) };
        let today = Date::today_from_unix(now());
        set_dates(conn, moved.application_id, today, last_day(today, t.period_months.unwrap_or(1))).await
    }

    /// Marked finished from the application page: served to the planned end. The base's or the
    /// case worker's own form records the real day and outcome right after, in the same
    /// transaction.
    async fn on_completed(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
        sqlx::query("UPDATE traineeships SET outcome = $1, ended_on = ends_on WHERE application_id = $2 AND outcome IS NULL")
            .bind(Outcome::Completed)
            .bind(moved.application_id)
            .execute(&mut *conn)
            .await?;
        release_seat(conn, moved.application_id).await
    }

    async fn on_other(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
        if matches!(moved.to, Status::Rejected | Status::Withdrawn) {
            release_seat(conn, moved.application_id).await?;
        }
        Ok(())
    }

    async fn panel_data(&self, conn: &mut AnyConnection, application_id: i64) -> AppResult<Option<serde_json::Value>> {
        let Some(t) = by_application(&mut *conn, application_id).await? else { return Ok(None) };
        let policy = crate::policy::ssr::load(&mut *conn).await?;
        let line = line(t, &policy, Date::today_from_unix(now()));
        Ok(Some(serde_json::to_value(line).map_err(AppError::internal)?))
    }
}
