//! Profile storage (server only). The resident ID number is sealed under the server key,
//! found by its keyed hash, and kept masked beside them for display.

use super::domain::ResidentId;
use super::profile::{Document, Intentions, Profile};
use crate::shared::time::Date;
use crate::shared::values::{Degree, EmploymentStatus, Place, ServiceNeed};
use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::ssr::{now, SecretKey};
use sqlx::{AnyPool, Row};

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

pub async fn save_profile(key: &SecretKey, user_id: i64, p: &SavedProfile) -> AppResult<()> {
    let hash = crypto::lookup_hash(key, p.resident_id.expose());
    let mut tx = crate::ssr::begin().await?;
    let holder: Option<i64> = sqlx::query_scalar("SELECT user_id FROM profiles WHERE resident_id_hash = $1")
        .bind(&hash)
        .fetch_optional(&mut *tx)
        .await?;
    if holder.is_some_and(|h| h != user_id) {
        return Err(AppError::field("resident_id", "profile.resident_id_taken"));
    }
    sqlx::query(
        "INSERT INTO profiles (user_id, full_name, resident_id_enc, resident_id_hash, resident_id_masked, birth_date, gender, \
           graduation_cert_no, school, major, degree, graduation_date, household_place, phone, employment_status, intentions, \
           service_needs, needs_note, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
         ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name, resident_id_enc = excluded.resident_id_enc, \
           resident_id_hash = excluded.resident_id_hash, resident_id_masked = excluded.resident_id_masked, \
           birth_date = excluded.birth_date, gender = excluded.gender, graduation_cert_no = excluded.graduation_cert_no, \
           school = excluded.school, major = excluded.major, degree = excluded.degree, graduation_date = excluded.graduation_date, \
           household_place = excluded.household_place, phone = excluded.phone, employment_status = excluded.employment_status, \
           intentions = excluded.intentions, service_needs = excluded.service_needs, needs_note = excluded.needs_note, \
           updated_at = excluded.updated_at",
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
    .execute(&mut *tx)
    .await
    .map_err(|e| match &e {
        // Two people saving the same ID at the same moment: the unique index decides.
        e if crate::db::is_unique_violation(e) => AppError::field("resident_id", "profile.resident_id_taken"),
        _ => AppError::from(e),
    })?;
    tx.commit().await?;
    Ok(())
}

/// The profile; with `owner_key` the full ID number is decrypted (for its owner), without it
/// only the masked number is returned.
pub async fn load_profile(pool: &AnyPool, user_id: i64, owner_key: Option<&SecretKey>) -> AppResult<Option<Profile>> {
    let Some(r) = sqlx::query("SELECT * FROM profiles WHERE user_id = $1").bind(user_id).fetch_optional(pool).await? else {
        return Ok(None);
    };
    let resident_id = match owner_key {
        Some(key) => crypto::open(key, &r.try_get::<String, _>("resident_id_enc")?)
            .ok_or_else(|| AppError::internal(format!("the sealed resident ID of user {user_id} does not open with the current key")))?,
        None => r.try_get("resident_id_masked")?,
    };
    Ok(Some(Profile {
        user_id,
        full_name: r.try_get("full_name")?,
        resident_id,
        birth_date: r.try_get("birth_date")?,
        gender: r.try_get("gender")?,
        graduation_cert_no: r.try_get("graduation_cert_no")?,
        school: r.try_get("school")?,
        major: r.try_get("major")?,
        degree: r.try_get("degree")?,
        graduation_date: r.try_get("graduation_date")?,
        household_place: r.try_get("household_place")?,
        phone: r.try_get("phone")?,
        employment_status: r.try_get("employment_status")?,
        intentions: serde_json::from_str(&r.try_get::<String, _>("intentions")?).unwrap_or_default(),
        service_needs: serde_json::from_str(&r.try_get::<String, _>("service_needs")?).unwrap_or_default(),
        needs_note: r.try_get("needs_note")?,
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

/// The newest document of each purpose.
pub async fn documents(pool: &AnyPool, user_id: i64) -> AppResult<Vec<Document>> {
    let rows = sqlx::query(
        "SELECT id, purpose, mime, size, created_at FROM uploads WHERE id IN \
           (SELECT MAX(id) FROM uploads WHERE owner_id = $1 GROUP BY purpose) ORDER BY purpose",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Document {
                id: r.try_get("id")?,
                purpose: r.try_get("purpose")?,
                mime: r.try_get("mime")?,
                size: r.try_get("size")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}
