//! The dashboard's figures, one query each. Times are Unix seconds; a period's bounds come from
//! [`Period::bounds`], so every count uses the same half-open range `[start, end)`.

use super::{fill_weeks, median, Dashboard, KindCounts, Period, Seats};
use crate::applications::model::{Kind, Status};
use crate::complaints::ComplaintCategory;
use crate::db::Dialect;
use crate::error::AppResult;
use crate::shared::time::Date;
use sqlx::{AnyPool, Row};

/// ` AND <column> = '<place>'` when the report is for one place. The value is one of the
/// place enum's own lower-case names, never the reader's text.
fn place_clause(period: Period, column: &str) -> String {
    period.place.map(|p| format!(" AND {column} = '{}'", p.as_str())).unwrap_or_default()
}

pub async fn dashboard(pool: &AnyPool, dialect: Dialect, period: Period) -> AppResult<Dashboard> {
    let (start, end) = period.bounds();
    let place = place_clause(period, "household_place");

    let mut by_kind: Vec<KindCounts> = Vec::new();
    let rows = sqlx::query(&format!(
        "SELECT kind, status, COUNT(*) AS n FROM applications \
         WHERE submitted_at >= $1 AND submitted_at < $2{place} GROUP BY kind, status"
    ))
    .bind(start)
    .bind(end)
    .fetch_all(pool)
    .await?;
    for row in rows {
        let (kind, status, n): (Kind, Status, i64) = (row.try_get("kind")?, row.try_get("status")?, row.try_get("n")?);
        let i = match by_kind.iter().position(|k| k.kind == Some(kind)) {
            Some(i) => i,
            None => {
                by_kind.push(KindCounts { kind: Some(kind), ..Default::default() });
                by_kind.len() - 1
            }
        };
        let k = &mut by_kind[i];
        k.submitted += n;
        match status {
            Status::Draft | Status::Submitted | Status::InReview | Status::NeedsInfo => k.open += n,
            Status::Approved | Status::Completed => k.approved += n,
            Status::Rejected => k.rejected += n,
            Status::Withdrawn => k.withdrawn += n,
        }
    }
    // In the order of the kinds' own list, so the table reads the same every time.
    by_kind.sort_by_key(|k| k.kind.map(|kind| Kind::ALL.iter().position(|x| *x == kind)));
    let registrations = by_kind.iter().filter(|k| k.kind == Some(Kind::JobseekerRegistration)).map(|k| k.submitted).sum();

    // Decided: approved or rejected in the period (a completed one was approved first).
    let decided = format!("decided_at >= $1 AND decided_at < $2 AND submitted_at IS NOT NULL{place}");
    // PostgreSQL's div() answers in numeric: cast back to the integer both sides decode.
    let week = format!("CAST({} AS BIGINT)", dialect.week_start("decided_at"));
    let found: Vec<(Date, i64)> = sqlx::query(&format!("SELECT {week} AS week, COUNT(*) AS n FROM applications WHERE {decided} GROUP BY {week}"))
        .bind(start)
        .bind(end)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok((Date::today_from_unix(r.try_get::<i64, _>("week")?), r.try_get::<i64, _>("n")?)))
        .collect::<AppResult<_>>()?;
    let waits: Vec<f64> = sqlx::query_scalar::<_, i64>(&format!("SELECT decided_at - submitted_at FROM applications WHERE {decided}"))
        .bind(start)
        .bind(end)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|secs| secs as f64 / 86_400.0)
        .collect();

    let count = |sql: String| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(&sql).bind(start).bind(end).fetch_one(&pool).await }
    };
    let vacancies_posted = count("SELECT COUNT(*) FROM vacancies WHERE created_at >= $1 AND created_at < $2".into()).await?;
    let job_applications = count("SELECT COUNT(*) FROM job_applications WHERE created_at >= $1 AND created_at < $2".into()).await?;
    // SUM of a bigint is numeric on PostgreSQL, hence the casts below.
    let seats = |row: sqlx::any::AnyRow| -> AppResult<Seats> {
        Ok(Seats { offered: row.try_get::<Option<i64>, _>("offered")?.unwrap_or(0), taken: row.try_get::<Option<i64>, _>("taken")?.unwrap_or(0) })
    };
    let traineeship_seats = seats(
        sqlx::query("SELECT CAST(SUM(seats) AS BIGINT) AS offered, CAST(SUM(seats_taken) AS BIGINT) AS taken FROM vacancies WHERE kind = 'traineeship' AND created_at >= $1 AND created_at < $2")
            .bind(start)
            .bind(end)
            .fetch_one(pool)
            .await?,
    )?;
    let training_seats = seats(
        sqlx::query("SELECT CAST(SUM(seats) AS BIGINT) AS offered, CAST(SUM(seats_taken) AS BIGINT) AS taken FROM training_programmes WHERE starts_on >= $1 AND starts_on <= $2")
            .bind(period.from.to_string())
            .bind(period.to.to_string())
            .fetch_one(pool)
            .await?,
    )?;
    let mut complaints: Vec<(ComplaintCategory, i64)> = Vec::new();
    for row in sqlx::query("SELECT category, COUNT(*) AS n FROM complaints WHERE created_at >= $1 AND created_at < $2 GROUP BY category")
        .bind(start)
        .bind(end)
        .fetch_all(pool)
        .await?
    {
        complaints.push((row.try_get("category")?, row.try_get("n")?));
    }
    complaints.sort_by_key(|(c, _)| ComplaintCategory::ALL.iter().position(|x| x == c));

    Ok(Dashboard {
        period,
        registrations,
        by_kind,
        decisions_per_week: fill_weeks(period.from, period.to, &found),
        median_days_to_decision: median(waits).map(|d| (d * 10.0).round() / 10.0),
        vacancies_posted,
        job_applications,
        traineeship_seats,
        training_seats,
        complaints,
    })
}
