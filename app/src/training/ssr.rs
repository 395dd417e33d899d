//! Training storage (server only): institutions, programmes, enrollments, results and the
//! subsidy claim.
//!
//! An enrollment is two writes in one write transaction, as a fair's place is: the row that
//! says who holds the seat (one per graduate and programme, a unique index), then one seat
//! counted into the programme's row by an UPDATE whose WHERE names the limit. Concurrent
//! UPDATEs of one row wait for each other on PostgreSQL and re-read it; SQLite holds its one
//! write lock. The count can never pass the seats, and a refused enrollment rolls its row back.

use super::service::SubsidyClaim;
use super::{cap_param, claim_refusal, subsidy, Institution, MyEnrollment, Programme, ProgrammeKind, RosterRow, TrainingLevel, TrainingResult};
use crate::applications::model::Kind;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::policy::Policy;
use crate::shared::identity::Me;
use crate::shared::time::Date;
use crate::shared::values::Place;
use sqlx::{AnyConnection, AnyPool, Row};

const PROGRAMME_COLUMNS: &str = "p.id, p.institution_id, i.name AS institution_name, p.title, p.occupation, p.level, p.kind, \
     p.description, p.starts_on, p.ends_on, p.seats, p.seats_taken, p.place, p.venue, p.fee_fen, p.subsidy_eligible";
const PROGRAMME_FROM: &str = "training_programmes p JOIN training_institutions i ON i.id = p.institution_id";

/// A programme's fields as the case worker's form gave them, checked.
pub struct ProgrammeFields {
    pub institution_id: i64,
    pub title: String,
    pub occupation: String,
    pub level: TrainingLevel,
    pub kind: ProgrammeKind,
    pub description: String,
    pub starts_on: String,
    pub ends_on: String,
    pub seats: i64,
    pub place: Place,
    pub venue: String,
    pub fee_fen: i64,
    pub subsidy_eligible: bool,
}

pub async fn institutions(conn: &mut AnyConnection) -> AppResult<Vec<Institution>> {
    Ok(sqlx::query_as("SELECT id, name, address, contact FROM training_institutions ORDER BY name LIMIT 500").fetch_all(conn).await?)
}

/// Adds an institution; a second one of the same name is refused on the name field.
pub async fn insert_institution(conn: &mut AnyConnection, name: &str, address: &str, contact: &str, by: i64, now: i64) -> AppResult<i64> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO training_institutions (name, address, contact, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(address)
    .bind(contact)
    .bind(by)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    id.ok_or(AppError::field("name", "training.institution_exists"))
}

pub async fn load(conn: &mut AnyConnection, id: i64) -> AppResult<Option<Programme>> {
    Ok(sqlx::query_as(&format!("SELECT {PROGRAMME_COLUMNS} FROM {PROGRAMME_FROM} WHERE p.id = $1")).bind(id).fetch_optional(conn).await?)
}

/// Programmes still open for enrollment (starting today or later), soonest first.
pub async fn upcoming(pool: &AnyPool, today: &str) -> AppResult<Vec<Programme>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {PROGRAMME_COLUMNS} FROM {PROGRAMME_FROM} WHERE p.starts_on >= $1 ORDER BY p.starts_on, p.id LIMIT 200"
    ))
    .bind(today)
    .fetch_all(pool)
    .await?)
}

/// Every programme, newest start first, for case workers.
pub async fn all(conn: &mut AnyConnection) -> AppResult<Vec<Programme>> {
    Ok(sqlx::query_as(&format!("SELECT {PROGRAMME_COLUMNS} FROM {PROGRAMME_FROM} ORDER BY p.starts_on DESC, p.id DESC LIMIT 300"))
        .fetch_all(conn)
        .await?)
}

/// A programme's fields as `$1` to `$13`, in the order insert and update name them.
fn bind_fields<'q>(query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>, f: &'q ProgrammeFields) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(f.institution_id)
        .bind(&f.title)
        .bind(&f.occupation)
        .bind(f.level)
        .bind(f.kind)
        .bind(&f.description)
        .bind(&f.starts_on)
        .bind(&f.ends_on)
        .bind(f.seats)
        .bind(f.place)
        .bind(&f.venue)
        .bind(f.fee_fen)
        .bind(i64::from(f.subsidy_eligible))
}

pub async fn insert(conn: &mut AnyConnection, f: &ProgrammeFields, by: i64, now: i64) -> AppResult<i64> {
    let query = sqlx::query(
        "INSERT INTO training_programmes (institution_id, title, occupation, level, kind, description, starts_on, ends_on, seats, \
           place, venue, fee_fen, subsidy_eligible, seats_taken, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, $15, $15) RETURNING id",
    );
    let row = bind_fields(query, f).bind(by).bind(now).fetch_one(conn).await?;
    Ok(sqlx::Row::try_get(&row, "id")?)
}

/// Writes a programme's fields. Seats below those already taken are refused on the seats
/// field; the check is in the UPDATE, so an enrollment landing meanwhile is counted.
pub async fn update(conn: &mut AnyConnection, id: i64, f: &ProgrammeFields, now: i64) -> AppResult<()> {
    let query = sqlx::query(
        "UPDATE training_programmes SET institution_id = $1, title = $2, occupation = $3, level = $4, kind = $5, description = $6, \
           starts_on = $7, ends_on = $8, seats = $9, place = $10, venue = $11, fee_fen = $12, subsidy_eligible = $13, updated_at = $14 \
         WHERE id = $15 AND seats_taken <= $9",
    );
    let done = bind_fields(query, f).bind(now).bind(id).execute(&mut *conn).await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    load(conn, id).await?.ok_or(AppError::NotFound)?;
    Err(AppError::field("seats", "training.below_taken"))
}

/// The programme, or why nobody may enroll or cancel now: gone, or already started.
async fn open_programme(conn: &mut AnyConnection, programme_id: i64, today: &str) -> AppResult<()> {
    let starts_on: String = sqlx::query_scalar("SELECT starts_on FROM training_programmes WHERE id = $1")
        .bind(programme_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if starts_on.as_str() < today {
        return Err(AppError::Conflict("training.started".into()));
    }
    Ok(())
}

/// Takes a seat for the graduate, inside the caller's write transaction (which must be rolled
/// back on an error: the enrollment row is written before the seat is counted).
pub async fn enroll(conn: &mut AnyConnection, programme_id: i64, graduate_id: i64, today: &str, now: i64) -> AppResult<()> {
    open_programme(conn, programme_id, today).await?;
    // The row first: a second enrollment of the same graduate stops at the unique index
    // without counting anything.
    let inserted = sqlx::query(
        "INSERT INTO training_enrollments (programme_id, graduate_id, enrolled_at, result, certificate_number) \
         VALUES ($1, $2, $3, $4, '') ON CONFLICT (programme_id, graduate_id) DO NOTHING",
    )
    .bind(programme_id)
    .bind(graduate_id)
    .bind(now)
    .bind(TrainingResult::Pending)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::Conflict("training.already_enrolled".into()));
    }
    let counted = sqlx::query("UPDATE training_programmes SET seats_taken = seats_taken + 1 WHERE id = $1 AND seats_taken < seats")
        .bind(programme_id)
        .execute(&mut *conn)
        .await?;
    if counted.rows_affected() == 0 {
        return Err(AppError::Conflict("training.full".into()));
    }
    Ok(())
}

/// Gives the graduate's seat back, while the course has not started and no result is recorded.
pub async fn cancel(conn: &mut AnyConnection, programme_id: i64, graduate_id: i64, today: &str) -> AppResult<()> {
    open_programme(conn, programme_id, today).await?;
    let deleted = sqlx::query("DELETE FROM training_enrollments WHERE programme_id = $1 AND graduate_id = $2 AND result = $3")
        .bind(programme_id)
        .bind(graduate_id)
        .bind(TrainingResult::Pending)
        .execute(&mut *conn)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::Conflict("training.not_enrolled".into()));
    }
    sqlx::query("UPDATE training_programmes SET seats_taken = seats_taken - 1 WHERE id = $1").bind(programme_id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn is_enrolled(conn: &mut AnyConnection, programme_id: i64, graduate_id: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM training_enrollments WHERE programme_id = $1 AND graduate_id = $2")
        .bind(programme_id)
        .bind(graduate_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Records a participant's result. Once a subsidy is claimed on it, the result stands.
/// Returns the programme's id.
pub async fn record_result(
    conn: &mut AnyConnection,
    enrollment_id: i64,
    result: TrainingResult,
    certificate_number: &str,
    by: i64,
    now: i64,
) -> AppResult<i64> {
    let programme_id: Option<i64> = sqlx::query_scalar(
        "UPDATE training_enrollments SET result = $1, certificate_number = $2, result_by = $3, result_at = $4 \
         WHERE id = $5 AND claim_application_id IS NULL RETURNING programme_id",
    )
    .bind(result)
    .bind(certificate_number)
    .bind(by)
    .bind(now)
    .bind(enrollment_id)
    .fetch_optional(&mut *conn)
    .await?;
    match programme_id {
        Some(id) => Ok(id),
        None => {
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM training_enrollments WHERE id = $1").bind(enrollment_id).fetch_optional(&mut *conn).await?;
            exists.ok_or(AppError::NotFound)?;
            Err(AppError::Conflict("training.already_claimed".into()))
        }
    }
}

/// Emails the graduate their result, in the transaction that records it.
pub async fn mail_result(conn: &mut AnyConnection, enrollment_id: i64, base_url: &str) -> AppResult<()> {
    let row = sqlx::query(
        "SELECT u.email, u.display_name, u.locale, p.title, e.result, e.certificate_number FROM training_enrollments e \
         JOIN users u ON u.id = e.graduate_id JOIN training_programmes p ON p.id = e.programme_id WHERE e.id = $1",
    )
    .bind(enrollment_id)
    .fetch_one(&mut *conn)
    .await?;
    let lang = crate::i18n::Lang::parse(&row.try_get::<String, _>("locale")?).unwrap_or_default();
    let mail = crate::mail::ssr::Mail::TrainingResult {
        name: row.try_get("display_name")?,
        course: row.try_get("title")?,
        passed: row.try_get::<TrainingResult, _>("result")? == TrainingResult::Passed,
        certificate: row.try_get("certificate_number")?,
        link: format!("{base_url}/my"),
    };
    crate::mail::ssr::enqueue(conn, &row.try_get::<String, _>("email")?, lang, &mail).await?;
    Ok(())
}

pub async fn roster(conn: &mut AnyConnection, programme_id: i64) -> AppResult<Vec<RosterRow>> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.graduate_id, u.display_name AS graduate_name, u.email, e.enrolled_at, e.result, e.certificate_number, \
           a.reference AS claim_reference \
         FROM training_enrollments e JOIN users u ON u.id = e.graduate_id LEFT JOIN applications a ON a.id = e.claim_application_id \
         WHERE e.programme_id = $1 ORDER BY e.id",
    )
    .bind(programme_id)
    .fetch_all(conn)
    .await?)
}

/// The subsidy an enrollment's course pays under the parameters in force `today`.
fn amount(policy: &Policy, today: Date, programme: &Programme) -> super::Subsidy {
    subsidy(programme.level, programme.fee_fen, policy.get(cap_param(programme.level), today))
}

/// The graduate's enrollments, newest first, each with what can be done with it now.
pub async fn of_graduate(conn: &mut AnyConnection, graduate_id: i64, policy: &Policy, today: Date) -> AppResult<Vec<MyEnrollment>> {
    let rows = sqlx::query(
        "SELECT e.id, e.programme_id, e.result, e.certificate_number, a.reference AS claim_reference \
         FROM training_enrollments e LEFT JOIN applications a ON a.id = e.claim_application_id \
         WHERE e.graduate_id = $1 ORDER BY e.id DESC LIMIT 100",
    )
    .bind(graduate_id)
    .fetch_all(&mut *conn)
    .await?;
    let today_text = today.to_string();
    let mut out = Vec::new();
    for r in rows {
        let programme = load(&mut *conn, r.try_get("programme_id")?).await?.ok_or(AppError::NotFound)?;
        let result: TrainingResult = r.try_get("result")?;
        let claim_reference: Option<String> = r.try_get("claim_reference")?;
        let claimable = claim_refusal(result, programme.eligible(), claim_reference.is_some()).ok().map(|_| amount(policy, today, &programme));
        out.push(MyEnrollment {
            id: r.try_get("id")?,
            can_cancel: result == TrainingResult::Pending && programme.open_for_enrollment(&today_text),
            programme,
            result,
            certificate_number: r.try_get("certificate_number")?,
            claim_reference,
            claimable,
        });
    }
    Ok(out)
}

/// Claims the training subsidy on one of the graduate's enrollments, inside the caller's write
/// transaction: the claim is a `training_subsidy` application whose payload carries the amount,
/// and the enrollment is linked to it by a conditional UPDATE, so each enrollment pays once.
/// Returns the application's reference.
pub async fn claim(conn: &mut AnyConnection, me: &Me, enrollment_id: i64, policy: &Policy, today: Date) -> AppResult<String> {
    let row = sqlx::query(
        "SELECT e.programme_id, e.result, e.certificate_number, e.claim_application_id FROM training_enrollments e \
         WHERE e.id = $1 AND e.graduate_id = $2",
    )
    .bind(enrollment_id)
    .bind(me.id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let programme = load(&mut *conn, row.try_get("programme_id")?).await?.ok_or(AppError::NotFound)?;
    let result: TrainingResult = row.try_get("result")?;
    let claimed = row.try_get::<Option<i64>, _>("claim_application_id")?.is_some();
    claim_refusal(result, programme.eligible(), claimed).map_err(|key| AppError::Conflict(key.into()))?;
    let claim = SubsidyClaim {
        enrollment_id,
        programme_id: programme.id,
        programme_title: programme.title.clone(),
        institution: programme.institution_name.clone(),
        occupation: programme.occupation.clone(),
        certificate_number: row.try_get("certificate_number")?,
        subsidy: amount(policy, today, &programme),
    };
    let payload = serde_json::to_value(&claim).map_err(AppError::internal)?;
    let place: Option<Place> =
        sqlx::query_scalar("SELECT household_place FROM profiles WHERE user_id = $1").bind(me.id).fetch_optional(&mut *conn).await?;
    let place = place.ok_or(AppError::field("", "rule.profile_complete"))?;
    let (application_id, reference) = crate::applications::ssr::create_submitted(&mut *conn, me, Kind::TrainingSubsidy, &payload, place).await?;
    let linked = sqlx::query("UPDATE training_enrollments SET claim_application_id = $1 WHERE id = $2 AND claim_application_id IS NULL")
        .bind(application_id)
        .bind(enrollment_id)
        .execute(&mut *conn)
        .await?;
    if linked.rows_affected() == 0 {
        return Err(AppError::Conflict("training.already_claimed".into()));
    }
    Ok(reference)
}

/// Frees the enrollment a rejected or withdrawn claim was made on.
pub async fn release_claim(conn: &mut AnyConnection, application_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE training_enrollments SET claim_application_id = NULL WHERE claim_application_id = $1")
        .bind(application_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The claim as the application's panel shows it: its payload.
pub async fn claim_payload(conn: &mut AnyConnection, application_id: i64) -> AppResult<Option<serde_json::Value>> {
    let payload: Option<String> = sqlx::query_scalar("SELECT payload FROM applications WHERE id = $1").bind(application_id).fetch_optional(conn).await?;
    Ok(payload.and_then(|p| serde_json::from_str::<SubsidyClaim>(&p).ok()).map(|c| serde_json::to_value(c).unwrap_or_default()))
}

/// Checks a result form: a passed result needs its certificate number.
pub fn check_result(result: &str, certificate_number: &str) -> AppResult<(TrainingResult, String)> {
    let mut e = FieldErrors::new();
    let result = crate::shared::validate::choice::<TrainingResult>(&mut e, "result", result);
    let number = crate::shared::validate::text(&mut e, "certificate_number", certificate_number, 40, result == Some(TrainingResult::Passed));
    if result == Some(TrainingResult::Pending) {
        e.add("result", "validation.choose_one");
    }
    e.into_result()?;
    // A failed participant has no certificate to keep a number of.
    let number = if result == Some(TrainingResult::Failed) { String::new() } else { number };
    Ok((result.unwrap(), number))
}
