//! Certificate storage (server only).

use super::{mask_name, Certificate, Verification};
use crate::error::{AppError, AppResult};
use crate::ssr::now;
use rand::Rng;
use sqlx::{AnyConnection, AnyPool};

crate::stored_enum! {
    pub enum CertificateStatus {
        Valid = "valid",
        Revoked = "revoked",
    }
}

/// Unambiguous characters for codes read off paper (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn verification_code() -> String {
    let mut rng = rand::thread_rng();
    (0..8).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// Issues the certificate for an approved application, inside the approval's transaction.
/// Its number follows the application's reference: LS-2026-000123 → JY2026000123.
pub async fn issue(conn: &mut AnyConnection, application_id: i64, holder_id: i64) -> AppResult<String> {
    let reference: String = sqlx::query_scalar("SELECT reference FROM applications WHERE id = $1")
        .bind(application_id)
        .fetch_one(&mut *conn)
        .await?;
    let number = format!("JY{}", reference.trim_start_matches("LS-").replace('-', ""));
    // The name and the masked ID as they were on the day of issue: the certificate shows
    // these, not whatever the profile says later.
    let (holder_name, holder_id_masked): (String, String) = sqlx::query_as("SELECT full_name, resident_id_masked FROM profiles WHERE user_id = $1")
        .bind(holder_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::Conflict("certificate.no_profile".into()))?;
    sqlx::query(
        "INSERT INTO certificates (number, verification_code, application_id, holder_id, holder_name, status, issued_at, holder_id_masked) \
         VALUES ($1, $2, $3, $4, $5, $7, $6, $8)",
    )
    .bind(&number)
    .bind(verification_code())
    .bind(application_id)
    .bind(holder_id)
    .bind(holder_name)
    .bind(now())
    .bind(CertificateStatus::Valid)
    .bind(holder_id_masked)
    .execute(conn)
    .await?;
    Ok(number)
}

/// A certificate as stored, with its holder's user id.
#[derive(sqlx::FromRow)]
struct CertificateRow {
    holder_id: i64,
    number: String,
    verification_code: String,
    holder_name: String,
    holder_id_masked: String,
    reference: String,
    issued_at: i64,
    status: CertificateStatus,
}

/// The certificate and its holder's user id.
pub async fn load(pool: &AnyPool, number: &str) -> AppResult<Option<(i64, Certificate)>> {
    let row = sqlx::query_as::<_, CertificateRow>(
        "SELECT c.number, c.verification_code, c.holder_id, c.holder_name, c.status, c.issued_at, a.reference, c.holder_id_masked \
         FROM certificates c JOIN applications a ON a.id = c.application_id \
         WHERE c.number = $1",
    )
    .bind(number.trim().to_uppercase())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        let certificate = Certificate {
            number: r.number,
            verification_code: r.verification_code,
            holder_name: r.holder_name,
            masked_id: r.holder_id_masked,
            reference: r.reference,
            issued_at: r.issued_at,
            valid: r.status == CertificateStatus::Valid,
        };
        (r.holder_id, certificate)
    }))
}

/// The certificate issued by an application: (number, verification code).
pub async fn of_application(conn: &mut AnyConnection, application_id: i64) -> AppResult<Option<(String, String)>> {
    Ok(sqlx::query_as("SELECT number, verification_code FROM certificates WHERE application_id = $1")
        .bind(application_id)
        .fetch_optional(conn)
        .await?)
}

pub async fn verify(pool: &AnyPool, number: &str, code: &str) -> AppResult<Verification> {
    // Typed by whoever holds the paper, often with a Chinese input method: full-width letters
    // and digits, spaces copied along.
    let number = crate::shared::typed::identity_text(number).to_uppercase();
    let Some((_, cert)) = load(pool, &number).await? else { return Ok(Verification::NotFound) };
    // Compare the whole code without an early exit, so timing reveals nothing.
    let given = crate::shared::typed::identity_text(code).to_uppercase();
    let matches = given.len() == cert.verification_code.len()
        && given.bytes().zip(cert.verification_code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !matches {
        return Ok(Verification::NotFound);
    }
    let masked_name = mask_name(&cert.holder_name);
    Ok(if cert.valid {
        Verification::Valid { masked_name, issued_at: cert.issued_at }
    } else {
        Verification::Revoked { masked_name, issued_at: cert.issued_at }
    })
}

/// Marks a valid certificate revoked; `false` when it was not valid (or does not exist).
pub async fn revoke(conn: &mut AnyConnection, number: &str) -> AppResult<bool> {
    let done = sqlx::query("UPDATE certificates SET status = $3, revoked_at = $1 WHERE number = $2 AND status = $4")
        .bind(now())
        .bind(number.trim().to_uppercase())
        .bind(CertificateStatus::Revoked)
        .bind(CertificateStatus::Valid)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
