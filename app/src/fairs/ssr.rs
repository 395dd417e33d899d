//! Fair storage, bookings and the day-before reminders (server only).
//!
//! A booth or a place is two writes in one write transaction: the row that says who holds it
//! (a unique index allows one per employer or graduate and fair), then one more counted into
//! the fair's row by an UPDATE whose WHERE names the limit. On PostgreSQL concurrent UPDATEs of
//! one row wait for each other and each re-reads the row before it applies its WHERE; on
//! SQLite the write transaction holds the database's one write lock. Either way the count can
//! never pass the limit, and a refused booking rolls its row back with it.

use super::{Fair, FairFormat, FairList, Participant, VacancyLink};
use crate::db::Dialect;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::ssr::{enqueue, Mail};
use crate::shared::time::Date;
use crate::vacancies::VacancyStatus;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AnyPool, Row};

const FAIR_COLUMNS: &str = "f.id, f.title, f.description, f.format, f.venue, f.link, f.held_on, f.starts_at, f.ends_at, \
     f.booth_count, f.booths_taken, f.seat_count, f.seats_taken";

/// A fair's fields as the case worker's form gave them, checked.
pub struct FairFields {
    pub title: String,
    pub description: String,
    pub format: FairFormat,
    pub venue: String,
    pub link: String,
    pub held_on: String,
    pub starts_at: String,
    pub ends_at: String,
    pub booth_count: Option<i64>,
    pub seat_count: Option<i64>,
}

pub async fn load(conn: &mut AnyConnection, id: i64) -> AppResult<Option<Fair>> {
    Ok(sqlx::query_as(&format!("SELECT {FAIR_COLUMNS} FROM fairs f WHERE f.id = $1")).bind(id).fetch_optional(conn).await?)
}

/// Upcoming fairs soonest first, then the latest 50 past ones.
pub async fn list(pool: &AnyPool, today: &str) -> AppResult<FairList> {
    let upcoming = sqlx::query_as(&format!("SELECT {FAIR_COLUMNS} FROM fairs f WHERE f.held_on >= $1 ORDER BY f.held_on, f.starts_at, f.id LIMIT 200"))
        .bind(today)
        .fetch_all(pool)
        .await?;
    let past = sqlx::query_as(&format!("SELECT {FAIR_COLUMNS} FROM fairs f WHERE f.held_on < $1 ORDER BY f.held_on DESC, f.id DESC LIMIT 50"))
        .bind(today)
        .fetch_all(pool)
        .await?;
    Ok(FairList { upcoming, past })
}

/// Binds the form's fields as `$1`…`$10`, in the order both the insert and the update name them.
fn bind_fields<'q>(query: Query<'q, Any, AnyArguments<'q>>, f: &'q FairFields) -> Query<'q, Any, AnyArguments<'q>> {
    query
        .bind(&f.title)
        .bind(&f.description)
        .bind(f.format)
        .bind(&f.venue)
        .bind(&f.link)
        .bind(&f.held_on)
        .bind(&f.starts_at)
        .bind(&f.ends_at)
        .bind(f.booth_count)
        .bind(f.seat_count)
}

pub async fn insert(conn: &mut AnyConnection, f: &FairFields, by: i64, now: i64) -> AppResult<i64> {
    let query = sqlx::query(
        "INSERT INTO fairs (title, description, format, venue, link, held_on, starts_at, ends_at, booth_count, booths_taken, \
           seat_count, seats_taken, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, 0, $11, $12, $12) RETURNING id",
    );
    let row = bind_fields(query, f).bind(by).bind(now).fetch_one(conn).await?;
    Ok(row.try_get("id")?)
}

/// Writes a fair's fields. A limit below what is already booked is refused (on the field that
/// names it) rather than leaving more booths or places taken than there are; the check is in
/// the UPDATE itself, so a booking that lands meanwhile is counted.
pub async fn update(conn: &mut AnyConnection, id: i64, f: &FairFields, now: i64) -> AppResult<()> {
    let mut sql = String::from(
        "UPDATE fairs SET title = $1, description = $2, format = $3, venue = $4, link = $5, held_on = $6, starts_at = $7, \
           ends_at = $8, booth_count = $9, seat_count = $10, updated_at = $11 WHERE id = $12",
    );
    if f.booth_count.is_some() {
        sql.push_str(" AND booths_taken <= $9");
    }
    if f.seat_count.is_some() {
        sql.push_str(" AND seats_taken <= $10");
    }
    let done = bind_fields(sqlx::query(&sql), f)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let fair = load(conn, id).await?.ok_or(AppError::NotFound)?;
    let mut e = crate::error::FieldErrors::new();
    if f.booth_count.is_some_and(|n| n < fair.booths_taken) {
        e.add("booth_count", "fair.below_taken");
    }
    if f.seat_count.is_some_and(|n| n < fair.seats_taken) {
        e.add("seat_count", "fair.below_taken");
    }
    e.into_result()?;
    Err(AppError::Conflict("fair.changed".into()))
}

/// Which of the two kinds of place a booking takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    /// An employer's booth.
    Employer(i64),
    /// A graduate's place.
    Graduate(i64),
}

impl Holder {
    /// (table, holder column, limit column, counter column).
    fn columns(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Holder::Employer(_) => ("fair_booths", "employer_id", "booth_count", "booths_taken"),
            Holder::Graduate(_) => ("fair_registrations", "user_id", "seat_count", "seats_taken"),
        }
    }
    fn id(self) -> i64 {
        match self {
            Holder::Employer(id) | Holder::Graduate(id) => id,
        }
    }
}

/// The fair's day, or why it cannot be booked: gone, or over.
async fn open_fair(conn: &mut AnyConnection, fair_id: i64, today: &str) -> AppResult<()> {
    let held_on: String =
        sqlx::query_scalar("SELECT held_on FROM fairs WHERE id = $1").bind(fair_id).fetch_optional(&mut *conn).await?.ok_or(AppError::NotFound)?;
    if held_on.as_str() < today {
        return Err(AppError::Conflict("fair.over".into()));
    }
    Ok(())
}

/// Takes a booth or a place at the fair, inside the caller's write transaction (which must be
/// rolled back on an error: the holder's row is written before the count is checked).
/// `booked_by` is the employer member who books; unused for a graduate.
pub async fn take(conn: &mut AnyConnection, fair_id: i64, holder: Holder, booked_by: i64, today: &str, now: i64) -> AppResult<()> {
    open_fair(conn, fair_id, today).await?;
    let (_, _, limit, counter) = holder.columns();
    // The holder's row first: a second booking by the same employer or graduate stops at the
    // unique index without counting anything.
    let inserted = match holder {
        Holder::Employer(employer_id) => sqlx::query(
            "INSERT INTO fair_booths (fair_id, employer_id, booked_by, booked_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (fair_id, employer_id) DO NOTHING",
        )
        .bind(fair_id)
        .bind(employer_id)
        .bind(booked_by)
        .bind(now),
        Holder::Graduate(user_id) => sqlx::query(
            "INSERT INTO fair_registrations (fair_id, user_id, registered_at) VALUES ($1, $2, $3) ON CONFLICT (fair_id, user_id) DO NOTHING",
        )
        .bind(fair_id)
        .bind(user_id)
        .bind(now),
    }
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::Conflict(match holder {
            Holder::Employer(_) => "fair.already_booked".into(),
            Holder::Graduate(_) => "fair.already_registered".into(),
        }));
    }
    let counted = sqlx::query(&format!(
        "UPDATE fairs SET {counter} = {counter} + 1 WHERE id = $1 AND ({limit} IS NULL OR {counter} < {limit})"
    ))
    .bind(fair_id)
    .execute(&mut *conn)
    .await?;
    if counted.rows_affected() == 0 {
        return Err(AppError::Conflict("fair.full".into()));
    }
    Ok(())
}

/// Gives a booth or a place back, inside the caller's write transaction.
pub async fn release(conn: &mut AnyConnection, fair_id: i64, holder: Holder, today: &str) -> AppResult<()> {
    open_fair(conn, fair_id, today).await?;
    let (table, column, _, counter) = holder.columns();
    let deleted =
        sqlx::query(&format!("DELETE FROM {table} WHERE fair_id = $1 AND {column} = $2")).bind(fair_id).bind(holder.id()).execute(&mut *conn).await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::Conflict("fair.not_taken".into()));
    }
    sqlx::query(&format!("UPDATE fairs SET {counter} = {counter} - 1 WHERE id = $1")).bind(fair_id).execute(&mut *conn).await?;
    Ok(())
}

/// Whether the holder has a booth or a place at the fair.
pub async fn holds(conn: &mut AnyConnection, fair_id: i64, holder: Holder) -> AppResult<bool> {
    let (table, column, _, _) = holder.columns();
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE fair_id = $1 AND {column} = $2"))
        .bind(fair_id)
        .bind(holder.id())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// The fairs a holder has a booth or a place at, soonest first (past ones after).
pub async fn fairs_of(pool: &AnyPool, holder: Holder) -> AppResult<Vec<Fair>> {
    let (table, column, _, _) = holder.columns();
    Ok(sqlx::query_as(&format!(
        "SELECT {FAIR_COLUMNS} FROM fairs f JOIN {table} h ON h.fair_id = f.id WHERE h.{column} = $1 ORDER BY f.held_on DESC, f.id DESC LIMIT 200"
    ))
    .bind(holder.id())
    .fetch_all(pool)
    .await?)
}

/// The employers with a booth, in booking order, each with its vacancies listed today.
pub async fn participants(conn: &mut AnyConnection, fair_id: i64, today: &str) -> AppResult<Vec<Participant>> {
    let rows = sqlx::query("SELECT e.id, e.name FROM fair_booths b JOIN employers e ON e.id = b.employer_id WHERE b.fair_id = $1 ORDER BY b.id")
        .bind(fair_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut out: Vec<Participant> = rows
        .iter()
        .map(|r| Ok(Participant { employer_id: r.try_get("id")?, name: r.try_get("name")?, vacancies: Vec::new() }))
        .collect::<Result<_, sqlx::Error>>()?;
    let vacancies = sqlx::query(
        "SELECT v.id, v.employer_id, v.title FROM vacancies v JOIN fair_booths b ON b.employer_id = v.employer_id \
         WHERE b.fair_id = $1 AND v.status = $2 AND v.expires_on >= $3 ORDER BY v.id DESC LIMIT 500",
    )
    .bind(fair_id)
    .bind(VacancyStatus::Published)
    .bind(today)
    .fetch_all(&mut *conn)
    .await?;
    for v in vacancies {
        let employer_id: i64 = v.try_get("employer_id")?;
        if let Some(p) = out.iter_mut().find(|p| p.employer_id == employer_id) {
            p.vacancies.push(VacancyLink { id: v.try_get("id")?, title: v.try_get("title")? });
        }
    }
    Ok(out)
}

/// Queues the reminder for every booth and place at a fair held tomorrow that has not had one,
/// and returns how many were queued. Each row is claimed by setting `reminded_at` in the same
/// UPDATE that finds it, inside one write transaction with the outbox rows: a second pass, or a
/// second server running the same pass at the same moment, finds nothing left to claim (on
/// PostgreSQL the second UPDATE waits for the first and then re-reads `reminded_at`). A
/// cancelled booking has no row, so it gets nothing.
pub async fn queue_reminders(pool: &AnyPool, dialect: Dialect, base_url: &str, now: i64) -> AppResult<usize> {
    let tomorrow = Date::from_days(Date::today_from_unix(now).days_from_epoch() + 1).to_string();
    let mut tx = dialect.begin_write(pool).await?;
    let mut queued = 0;
    for (table, for_employer) in [("fair_booths", true), ("fair_registrations", false)] {
        let claimed: Vec<i64> = sqlx::query_scalar(&format!(
            "UPDATE {table} SET reminded_at = $1 WHERE reminded_at IS NULL AND fair_id IN (SELECT id FROM fairs WHERE held_on = $2) RETURNING id"
        ))
        .bind(now)
        .bind(&tomorrow)
        .fetch_all(&mut *tx)
        .await?;
        // Who to write to: everyone acting for a booth's employer (its owner and members), or
        // the graduate.
        let recipient = if for_employer {
            "SELECT u.email, u.display_name, u.locale, e.name AS organisation, h.fair_id FROM fair_booths h \
             JOIN employers e ON e.id = h.employer_id \
             JOIN users u ON u.id = e.user_id OR u.id IN (SELECT m.user_id FROM employer_members m WHERE m.employer_id = e.id) \
             WHERE h.id = $1 ORDER BY u.id"
        } else {
            "SELECT u.email, u.display_name, u.locale, '' AS organisation, h.fair_id FROM fair_registrations h \
             JOIN users u ON u.id = h.user_id WHERE h.id = $1"
        };
        for id in claimed {
            for row in sqlx::query(recipient).bind(id).fetch_all(&mut *tx).await? {
                let fair_id: i64 = row.try_get("fair_id")?;
                let fair = load(&mut tx, fair_id).await?.ok_or(AppError::NotFound)?;
                let lang = Lang::parse(&row.try_get::<String, _>("locale")?).unwrap_or_default();
                let mail = Mail::FairReminder {
                    name: row.try_get("display_name")?,
                    organisation: row.try_get("organisation")?,
                    fair: fair.title.clone(),
                    when: fair.when(),
                    place: fair.place().to_string(),
                    link: format!("{base_url}/fairs/{fair_id}"),
                    for_employer,
                };
                enqueue(&mut tx, &row.try_get::<String, _>("email")?, lang, &mail).await?;
                queued += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(queued)
}
