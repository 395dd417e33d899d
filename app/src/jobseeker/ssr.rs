//! Profile storage (server only). The resident ID number is sealed under the server key,
//! found by its keyed hash, and kept masked beside them for display.

use super::domain::ResidentId;
use super::profile::{Document, Intentions, Profile};
use crate::shared::time::Date;
use crate::shared::values::{Degree, EmploymentStatus, Gender, Place, ServiceNeed};
use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::ssr::{now, SecretKey};
use sqlx::AnyPool;

pub struct SavedProfile {
    pub full_name: String,
    pub resident_id: ResidentId,
    pub graduation_cert_no: String,
    pub school: String,
    pub major: String,
    pub degree: Degree,
    pub graduation_date: Date,
    pub household_place: Place,
    pub phone: String,
    pub employment_status: EmploymentStatus,
    pub intentions: Intentions,
    pub service_needs: Vec<ServiceNeed>,
    pub needs_note: String,
}

/// What became of a saved ID number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdStanding {
    /// Nobody else holds it: the profile holds it now.
    Held,
    /// Another account already held it: the profile is saved with the number pending and the
    /// conflict waits for a case worker.
    Pending,
}

pub async fn save_profile(key: &SecretKey, user_id: i64, p: &SavedProfile) -> AppResult<IdStanding> {
    // On PostgreSQL two accounts saving one free number at the same moment both find no
    // holder, and the unique index turns the second away; run once more, and the second now
    // sees the first as the holder and is saved pending like any other second claim.
    match save_once(key, user_id, p).await? {
        Some(standing) => Ok(standing),
        None => save_once(key, user_id, p).await?.ok_or_else(|| AppError::internal("an ID number's holder changed twice during one save")),
    }
}

/// `None` when a concurrent save took the number between the look-up and the write.
async fn save_once(key: &SecretKey, user_id: i64, p: &SavedProfile) -> AppResult<Option<IdStanding>> {
    let hash = crypto::lookup_hash(key, p.resident_id.expose());
    let mut tx = crate::ssr::begin().await?;
    let holder: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM profiles WHERE resident_id_hash = $1 AND id_conflict_at IS NULL AND user_id <> $2",
    )
    .bind(&hash)
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    // A pending number keeps the time it first went pending, so the queue stays in order.
    let conflict_at: Option<i64> = match holder {
        None => None,
        Some(_) => Some(
            sqlx::query_scalar::<_, Option<i64>>("SELECT id_conflict_at FROM profiles WHERE user_id = $1 AND resident_id_hash = $2")
                .bind(user_id)
                .bind(&hash)
                .fetch_optional(&mut *tx)
                .await?
                .flatten()
                .unwrap_or_else(now),
        ),
    };
    let written = sqlx::query(
        "INSERT INTO profiles (user_id, full_name, resident_id_enc, resident_id_hash, resident_id_masked, birth_date, gender, \
           graduation_cert_no, school, major, degree, graduation_date, household_place, phone, employment_status, intentions, \
           service_needs, needs_note, updated_at, id_conflict_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) \
         ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name, resident_id_enc = excluded.resident_id_enc, \
           resident_id_hash = excluded.resident_id_hash, resident_id_masked = excluded.resident_id_masked, \
           birth_date = excluded.birth_date, gender = excluded.gender, graduation_cert_no = excluded.graduation_cert_no, \
           school = excluded.school, major = excluded.major, degree = excluded.degree, graduation_date = excluded.graduation_date, \
           household_place = excluded.household_place, phone = excluded.phone, employment_status = excluded.employment_status, \
           intentions = excluded.intentions, service_needs = excluded.service_needs, needs_note = excluded.needs_note, \
           updated_at = excluded.updated_at, id_conflict_at = excluded.id_conflict_at",
    )
    .bind(user_id)
    .bind(&p.full_name)
    .bind(crypto::seal(key, p.resident_id.expose()))
    .bind(&hash)
    .bind(p.resident_id.masked())
    .bind(p.resident_id.birth_date().to_string())
    .bind(p.resident_id.gender())
    .bind(&p.graduation_cert_no)
    .bind(&p.school)
    .bind(&p.major)
    .bind(p.degree)
    .bind(p.graduation_date.to_string())
    .bind(p.household_place)
    .bind(&p.phone)
    .bind(p.employment_status)
    .bind(serde_json::to_string(&p.intentions).map_err(AppError::internal)?)
    .bind(serde_json::to_string(&p.service_needs).map_err(AppError::internal)?)
    .bind(&p.needs_note)
    .bind(now())
    .bind(conflict_at)
    .execute(&mut *tx)
    .await;
    match written {
        Err(e) if crate::db::is_unique_violation(&e) => return Ok(None),
        other => other?,
    };
    super::conflicts::ssr::record_claim(&mut tx, user_id, holder, &hash).await?;
    tx.commit().await?;
    Ok(Some(if holder.is_some() { IdStanding::Pending } else { IdStanding::Held }))
}

/// A profile row as stored; the JSON columns and the sealed ID become [`Profile`] fields.
#[derive(sqlx::FromRow)]
struct ProfileRow {
    full_name: String,
    resident_id_enc: String,
    resident_id_masked: String,
    birth_date: String,
    gender: Gender,
    graduation_cert_no: String,
    school: String,
    major: String,
    degree: Degree,
    graduation_date: String,
    household_place: Place,
    phone: String,
    employment_status: EmploymentStatus,
    intentions: String,
    service_needs: String,
    needs_note: String,
    id_conflict_at: Option<i64>,
}

/// The profile; with `owner_key` the full ID number is decrypted (for its owner), without it
/// only the masked number is returned.
pub async fn load_profile(pool: &AnyPool, user_id: i64, owner_key: Option<&SecretKey>) -> AppResult<Option<Profile>> {
    let Some(r) = sqlx::query_as::<_, ProfileRow>("SELECT * FROM profiles WHERE user_id = $1").bind(user_id).fetch_optional(pool).await? else {
        return Ok(None);
    };
    let owner = owner_key.is_some();
    let age = crate::shared::time::Date::parse(&r.birth_date)
        .map(|b| b.years_until(crate::shared::time::Date::today_from_unix(crate::ssr::now())))
        .unwrap_or(0);
    let resident_id = match owner_key {
        Some(key) => crypto::open(key, &r.resident_id_enc)
            .ok_or_else(|| AppError::internal(format!("the sealed resident ID of user {user_id} does not open with the current key")))?,
        None => r.resident_id_masked,
    };
    Ok(Some(Profile {
        user_id,
        full_name: r.full_name,
        resident_id,
        birth_date: if owner { r.birth_date } else { String::new() },
        age,
        gender: r.gender,
        graduation_cert_no: r.graduation_cert_no,
        school: r.school,
        major: r.major,
        degree: r.degree,
        graduation_date: r.graduation_date,
        household_place: r.household_place,
        phone: r.phone,
        employment_status: r.employment_status,
        intentions: serde_json::from_str(&r.intentions).unwrap_or_default(),
        service_needs: serde_json::from_str(&r.service_needs).unwrap_or_default(),
        needs_note: r.needs_note,
        id_pending: r.id_conflict_at.is_some(),
        documents: documents(pool, user_id).await?,
    }))
}

pub async fn reveal(pool: &AnyPool, key: &SecretKey, user_id: i64) -> AppResult<Option<String>> {
    let sealed: Option<String> = sqlx::query_scalar("SELECT resident_id_enc FROM profiles WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await?;
    Ok(sealed.and_then(|s| crypto::open(key, &s)))
}

/// The newest document of each purpose the profile keeps (evidence sent with a complaint is an
/// upload of the account too, but not one of its documents).
pub async fn documents(pool: &AnyPool, user_id: i64) -> AppResult<Vec<Document>> {
    let purposes = super::uploads::PURPOSES.map(|p| format!("'{p}'")).join(", ");
    Ok(sqlx::query_as(&format!(
        "SELECT id, purpose, mime, size, created_at FROM uploads WHERE id IN \
           (SELECT MAX(id) FROM uploads WHERE owner_id = $1 AND purpose IN ({purposes}) GROUP BY purpose) ORDER BY purpose"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await?)
}
