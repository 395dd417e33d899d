//! Account queries and password hashing (server only).

use super::{DisplayName, Email, Password};
use crate::shared::identity::{Me, Role};
use crate::shared::throttle::Limit;
use crate::error::AppResult;
use crate::ssr::{hash_token, new_token, now};
use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Version};
use sqlx::{AnyPool, Row};
use std::sync::LazyLock;

/// Hashes a new password on the hashing threads ([`super::hasher`]).
pub async fn hash_password(password: &Password) -> AppResult<String> {
    super::hasher::hash(password.expose()).await
}

/// A hash of a random password, verified against when the email is unknown so that a wrong
/// email takes as long as a wrong password and timing tells nothing.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, super::hasher::params());
    argon.hash_password(b"no account has this password", &SaltString::generate(&mut OsRng)).expect("hash").to_string()
});

pub async fn verify_password(candidate: &str, stored: Option<String>) -> AppResult<bool> {
    let known = stored.is_some();
    let ok = super::hasher::verify(candidate, stored.unwrap_or_else(|| DUMMY_HASH.clone())).await?;
    Ok(known && ok)
}

fn me_from_row(row: &sqlx::any::AnyRow) -> AppResult<Me> {
    let verified: Option<i64> = row.try_get("email_verified_at")?;
    Ok(Me {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get("role")?,
        email_verified: verified.is_some(),
    })
}

const ME_COLUMNS: &str = "id, email, display_name, role, email_verified_at";

pub async fn load_me(pool: &AnyPool, id: i64) -> AppResult<Option<Me>> {
    let row = sqlx::query(&format!("SELECT {ME_COLUMNS} FROM users WHERE id = $1 AND disabled_at IS NULL"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(me_from_row).transpose()
}

pub struct LoginRow {
    pub me: Me,
    /// An admin disabled the account: the right password gets a plain refusal, not a session.
    pub disabled: bool,
    pub password_hash: String,
    pub locale: String,
}

pub async fn find_for_login(pool: &AnyPool, email: &Email) -> AppResult<Option<LoginRow>> {
    let row = sqlx::query(&format!(
        "SELECT {ME_COLUMNS}, password_hash, locale, disabled_at FROM users WHERE email = $1"
    ))
    .bind(email.as_str())
    .fetch_optional(pool)
    .await?;
    match row {
        None => Ok(None),
        Some(row) => Ok(Some(LoginRow {
            me: me_from_row(&row)?,
            disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
            password_hash: row.try_get("password_hash")?,
            locale: row.try_get("locale")?,
        })),
    }
}

pub async fn user_id_by_email(
    conn: &mut sqlx::AnyConnection,
    email: &Email,
) -> AppResult<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND disabled_at IS NULL")
        .bind(email.as_str())
        .fetch_optional(conn)
        .await?)
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub role: Role,
    pub display_name: &'a DisplayName,
    pub locale: &'a str,
    pub verified: bool,
}

/// Inserts a user; `Ok(None)` when the email is already registered.
pub async fn insert_user(conn: &mut sqlx::AnyConnection, u: NewUser<'_>) -> AppResult<Option<i64>> {
    let t = now();
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, role, display_name, locale, email_verified_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(u.email.as_str())
    .bind(u.password_hash)
    .bind(u.role.as_str())
    .bind(u.display_name.as_str())
    .bind(u.locale)
    .bind(u.verified.then_some(t))
    .bind(t)
    .fetch_optional(conn)
    .await?;
    Ok(id)
}

crate::stored_enum! {
    /// What a single-use link is for.
    pub enum TokenPurpose {
        VerifyEmail = "verify_email",
        ResetPassword = "reset_password",
    }
}

impl TokenPurpose {    /// How long a link stays valid.
    pub fn lifetime_secs(self) -> i64 {
        match self {
            TokenPurpose::VerifyEmail => 48 * 3600,
            TokenPurpose::ResetPassword => 3600,
        }
    }
}

/// Issues a single-use token and returns the clear text for the email link.
pub async fn issue_token(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    purpose: TokenPurpose,
    lifetime_secs: i64,
) -> AppResult<String> {
    let (token, hash) = new_token();
    let t = now();
    sqlx::query("INSERT INTO tokens (user_id, purpose, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user_id)
        .bind(purpose)
        .bind(hash)
        .bind(t + lifetime_secs)
        .bind(t)
        .execute(conn)
        .await?;
    Ok(token)
}

/// How many tokens of this purpose were issued to the user in the last `window_secs`.
pub async fn recent_tokens(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    purpose: TokenPurpose,
    window_secs: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM tokens WHERE user_id = $1 AND purpose = $2 AND created_at > $3")
        .bind(user_id)
        .bind(purpose)
        .bind(now() - window_secs)
        .fetch_one(conn)
        .await?)
}

/// Marks a token used and returns its user, in one statement so that two clicks on the same
/// link cannot both succeed. Unknown, used and expired tokens all give `None`.
pub async fn consume_token(
    conn: &mut sqlx::AnyConnection,
    token: &str,
    purpose: TokenPurpose,
) -> AppResult<Option<i64>> {
    let t = now();
    Ok(sqlx::query_scalar(
        "UPDATE tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id",
    )
    .bind(t)
    .bind(hash_token(token.trim()))
    .bind(purpose)
    .fetch_optional(conn)
    .await?)
}

/// Voids every unused token of this purpose the user still has (after a password reset or
/// change, no older reset link may set the password again).
pub async fn void_tokens(conn: &mut sqlx::AnyConnection, user_id: i64, purpose: TokenPurpose) -> AppResult<u64> {
    let t = now();
    let done = sqlx::query("UPDATE tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1")
        .bind(t)
        .bind(user_id)
        .bind(purpose)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

pub async fn mark_verified(conn: &mut sqlx::AnyConnection, user_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
        .bind(now())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_password_hash(conn: &mut sqlx::AnyConnection, user_id: i64, hash: &str) -> AppResult<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn password_hash_of(pool: &AnyPool, user_id: i64) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(user_id).fetch_optional(pool).await?)
}

/// Ends every session of a user except `keep` (the one making the change, if any).
pub async fn end_sessions(conn: &mut sqlx::AnyConnection, user_id: i64, keep: Option<String>) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or_default())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_locale(pool: &AnyPool, user_id: i64, locale: &str) -> AppResult<()> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2").bind(locale).bind(user_id).execute(pool).await?;
    Ok(())
}

pub async fn locale_of(conn: &mut sqlx::AnyConnection, user_id: i64) -> AppResult<String> {
    Ok(sqlx::query_scalar("SELECT locale FROM users WHERE id = $1").bind(user_id).fetch_one(conn).await?)
}

/// Sign-in limits: failures counted over this window lock one account after the first number,
/// and one address after the second (a shared campus network has many honest users).
pub const SIGN_IN_WINDOW_SECS: i64 = 15 * 60;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;

/// The two limits a sign-in attempt for `email` from `address` counts against.
pub fn sign_in_limits(email: &Email, address: &str) -> [Limit; 2] {
    [
        Limit::new(format!("acct:{}", hash_token(email.as_str())), MAX_FAILURES_PER_ACCOUNT, SIGN_IN_WINDOW_SECS),
        Limit::new(format!("addr:{address}"), MAX_FAILURES_PER_ADDRESS, SIGN_IN_WINDOW_SECS),
    ]
}

/// Sign-ups from one address: each costs an argon2 hash (19 MiB, tens of milliseconds of CPU)
/// and sends an email to an address the sender chose, so a script must not run them in bulk.
/// Ten an hour covers a household, an office or a small class sharing one address; a larger
/// group waits out the hour, which is rare and harmless next to a mail-bombing script.
pub const SIGN_UPS_PER_ADDRESS_PER_HOUR: i64 = 10;
/// Reset requests from one address: each known address gets a mail (three an hour at most per
/// account, see `forgot_password`); this stops one client walking a list of addresses. A
/// person who forgot a password asks once or twice.
pub const RESET_REQUESTS_PER_ADDRESS_PER_HOUR: i64 = 10;
/// Verification resends from one address (signed in, at most three an hour per account): a
/// client with many unverified accounts cannot use them to send mail in bulk.
pub const RESENDS_PER_ADDRESS_PER_HOUR: i64 = 10;

pub fn sign_up_limit(address: &str) -> Limit {
    Limit::new(format!("signup:{address}"), SIGN_UPS_PER_ADDRESS_PER_HOUR, 3600)
}

pub fn reset_request_limit(address: &str) -> Limit {
    Limit::new(format!("reset:{address}"), RESET_REQUESTS_PER_ADDRESS_PER_HOUR, 3600)
}

pub fn resend_limit(address: &str) -> Limit {
    Limit::new(format!("resend:{address}"), RESENDS_PER_ADDRESS_PER_HOUR, 3600)
}

/// Whom to tell that the credit code they gave is held by another verified account.
pub struct DisputedClaim {
    pub email: String,
    pub contact: String,
    pub organisation: String,
    pub locale: String,
}

/// Called when an employer's address is verified: the organisation's credit code becomes
/// theirs, unless another verified account holds it already; then it stays unclaimed, a case
/// worker sees both on the employers page, and the answer says whom to tell.
pub async fn claim_credit_code(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user_id: i64) -> AppResult<Option<DisputedClaim>> {
    let row = sqlx::query(
        "SELECT e.id, e.credit_code, e.name, u.email, u.display_name, u.locale FROM employers e JOIN users u ON u.id = e.user_id \
         WHERE e.user_id = $1 AND e.claimed_at IS NULL AND e.verification = $2",
    )
    .bind(user_id)
    .bind(super::EmployerStatus::Pending)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let (id, code): (i64, String) = (row.try_get("id")?, row.try_get("credit_code")?);
    // Two contacts of one organisation verifying at the same moment: the lock makes the second
    // see the first's claim (the unique index would otherwise turn it into an error).
    crate::ssr::state()?.dialect.lock_until_commit(tx, &format!("credit_code:{code}")).await?;
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM employers WHERE credit_code = $1 AND claimed_at IS NOT NULL")
        .bind(&code)
        .fetch_one(&mut **tx)
        .await?;
    if held > 0 {
        return Ok(Some(DisputedClaim {
            email: row.try_get("email")?,
            contact: row.try_get("display_name")?,
            organisation: row.try_get("name")?,
            locale: row.try_get("locale")?,
        }));
    }
    sqlx::query("UPDATE employers SET claimed_at = $1 WHERE id = $2").bind(now()).bind(id).execute(&mut **tx).await?;
    Ok(None)
}
