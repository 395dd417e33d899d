//! Server-only plumbing shared by every service area: the application state handed to server
//! functions, the clock, random tokens, the signed-in user and the audit log.
//!
//! Role checks live here, next to where data is read: a server function that reads data calls
//! [`require_role`] or [`require_user`] first, so a page that forgets its own guard leaks nothing.

use crate::db::Dialect;
use crate::error::{AppError, AppResult};
use crate::shared::identity::{Me, Role, STAFF};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use std::sync::Arc;
use tower_sessions::Session;

/// Settings the app needs at run time; the server builds them from its typed configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Public address used in links inside emails, without a trailing slash.
    pub base_url: String,
    /// Where uploads and mail files live.
    pub data_dir: std::path::PathBuf,
    /// The key that protects data at rest (generated into the data directory when not given).
    pub secret_key: SecretKey,
    /// How long a sign-in lasts at most, in seconds, however active the session
    /// (`PORTAL_SESSION_MAX_DAYS`); the idle expiry is the session layer's.
    pub session_max_secs: i64,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`PORTAL_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<crate::shared::proxy::Cidr>,
}

/// 32 secret bytes. Neither `Serialize` nor printable: `Debug` shows nothing of it.
#[derive(Clone)]
pub struct SecretKey(pub [u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey([REDACTED])")
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: AnyPool,
    /// What differs between the two databases, chosen once from the URL at start.
    pub dialect: Dialect,
    pub settings: Arc<Settings>,
}

pub fn state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from the server-function context"))
}

pub fn pool() -> AppResult<AnyPool> {
    Ok(state()?.pool)
}

/// Starts a transaction that will write, the way the database in use needs it
/// ([`Dialect::begin_write`]).
pub async fn begin() -> AppResult<sqlx::Transaction<'static, sqlx::Any>> {
    let state = state()?;
    Ok(state.dialect.begin_write(&state.pool).await?)
}

/// Today in China Standard Time as `YYYY-MM-DD`, the form dates are stored and compared in
/// (a vacancy is listed up to and including its last day).
pub fn today() -> String {
    crate::shared::time::Date::today_from_unix(now()).to_string()
}

/// Whether the current server function was posted by a plain HTML form (no JavaScript): such
/// a post gets a redirect to a page instead of a value it could not use.
pub async fn posted_without_javascript() -> bool {
    leptos_axum::extract::<http::HeaderMap>()
        .await
        .ok()
        .and_then(|h| h.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// Seconds since the Unix epoch; every timestamp in the database is stored this way so that
/// SQLite and PostgreSQL compare them alike.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A URL-safe random token of 32 bytes, and the hash under which it is stored.
/// Only the hash reaches the database, so a leaked table does not leak usable links.
pub fn new_token() -> (String, String) {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub const SESSION_USER_KEY: &str = "user_id";
/// When the session's user signed in (Unix seconds), for the absolute session lifetime.
pub const SESSION_SIGNED_IN_AT_KEY: &str = "signed_in_at";

pub async fn session() -> AppResult<Session> {
    leptos_axum::extract::<Session>().await.map_err(|e| AppError::internal(format_args!("no session layer: {e}")))
}

/// Signs `user_id` in on this session: a new session id, so an id planted before sign-in is
/// worth nothing after it, and the sign-in time that bounds the session's life.
pub async fn sign_in(session: &Session, user_id: i64) -> AppResult<()> {
    session.cycle_id().await?;
    session.insert(SESSION_USER_KEY, user_id).await?;
    session.insert(SESSION_SIGNED_IN_AT_KEY, now()).await?;
    Ok(())
}

/// Whether a sign-in made at `signed_in_at` still holds at `now`. A session without a sign-in
/// time (made before sessions had one) counts as expired.
pub fn sign_in_holds(signed_in_at: Option<i64>, now: i64, max_secs: i64) -> bool {
    signed_in_at.is_some_and(|at| at <= now && now - at < max_secs)
}

/// The user a session is signed in as, read fresh from the database so that a disabled
/// account or a changed role takes effect on the next request. A session past its absolute
/// lifetime, or whose account is gone or disabled, is ended and counts as signed out. Every
/// route that needs the signed-in user (server functions and plain axum handlers) goes
/// through here.
pub async fn user_of_session(state: &AppState, session: &Session) -> AppResult<Option<Me>> {
    let Some(id) = session.get::<i64>(SESSION_USER_KEY).await? else {
        return Ok(None);
    };
    let signed_in_at = session.get::<i64>(SESSION_SIGNED_IN_AT_KEY).await?;
    let me = if sign_in_holds(signed_in_at, now(), state.settings.session_max_secs) {
        crate::account::ssr::load_me(&state.pool, id).await?
    } else {
        None
    };
    if me.is_none() {
        // Expired, or the account is gone or disabled: forget the stale session everywhere.
        session.flush().await?;
    }
    Ok(me)
}

/// The signed-in user of the current request (see [`user_of_session`]).
pub async fn current_user() -> AppResult<Option<Me>> {
    user_of_session(&state()?, &session().await?).await
}

pub async fn require_user() -> AppResult<Me> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

pub async fn require_role(allowed: &[Role]) -> AppResult<Me> {
    let me = require_user().await?;
    if allowed.contains(&me.role) {
        Ok(me)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A case worker or an admin.
pub async fn require_staff() -> AppResult<Me> {
    require_role(STAFF).await
}

/// The client's address, for the audit log: the TCP peer, or behind a trusted proxy the address
/// it forwarded for (`shared::proxy`).
pub async fn client_address() -> String {
    client_ip().await.map(|ip| ip.to_string()).unwrap_or_else(|| "unknown".to_string())
}

/// What throttles count the client under: its address, or its /64 for IPv6.
pub async fn throttle_address() -> String {
    client_ip().await.map(crate::shared::proxy::throttle_key).unwrap_or_else(|| "unknown".to_string())
}

async fn client_ip() -> Option<std::net::IpAddr> {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let ConnectInfo(peer) = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await.ok()?;
    let headers = leptos_axum::extract::<http::HeaderMap>().await.unwrap_or_default();
    Some(client_ip_of(&state().ok()?, peer.ip(), &headers))
}

/// The client's address from a request's TCP peer and headers (for plain axum handlers, which
/// have them at hand): the peer, or behind a trusted proxy the address it forwarded for.
pub fn client_ip_of(state: &AppState, peer: std::net::IpAddr, headers: &http::HeaderMap) -> std::net::IpAddr {
    let trusted = &state.settings.trusted_proxies;
    if trusted.is_empty() {
        return peer;
    }
    let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    crate::shared::proxy::client_ip(peer, &forwarded, trusted)
}

crate::labelled_enum! {
    /// What the audit log records.
    pub enum AuditAction: "audit" {
        SignUp = "account:signup",
        EmailVerified = "account:email_verified",
        SignIn = "account:login",
        ResetRequested = "account:reset_requested",
        PasswordReset = "account:password_reset",
        PasswordChanged = "account:password_changed",
        StaffCreated = "staff:created",
        StaffDisabled = "staff:disabled",
        StaffEnabled = "staff:enabled",
        StaffRoleChanged = "staff:role_changed",
        StaffResetSent = "staff:reset_sent",
        EmployerVerified = "employer:verified",
        EmployerRejected = "employer:rejected",
        RevealResidentId = "profile:reveal_resident_id",
        PolicySet = "policy:set",
        CertificateRevoked = "certificate:revoke",
        IdConflictDecided = "profile:id_conflict_decided",
        MemberInvited = "employer:member_invited",
        MemberJoined = "employer:member_joined",
        MemberRemoved = "employer:member_removed",
        FairSaved = "fair:saved",
        ComplaintFiled = "complaint:filed",
        ComplaintTaken = "complaint:take",
        ComplaintNote = "complaint:note",
        ComplaintEmployerLinked = "complaint:link_employer",
        ComplaintClosed = "complaint:close",
        VacancySuspended = "vacancy:suspend",
        VacancyReinstated = "vacancy:reinstate",
        EmployerSuspended = "employer:suspend",
        EmployerReinstated = "employer:reinstate",
        VacancyRecommended = "vacancy:recommended",
        TraineeshipBaseFlagged = "traineeship:base_flagged",
        TraineeshipBaseUnflagged = "traineeship:base_unflagged",
        TrainingInstitutionAdded = "training:institution_added",
        TrainingProgrammeSaved = "training:programme_saved",
        TrainingResultRecorded = "training:result_recorded",
        ArchiveCreated = "archive:created",
        ArchiveMoved = "archive:moved",
        ArchivesImported = "archive:imported",
        ArchiveCodeReplaced = "archive:code_replaced",
        DataExported = "account:data_exported",
        AccountDeleted = "account:deleted",
        ApiTokenCreated = "api_token:created",
        ApiTokenRevoked = "api_token:revoked",
    }
}

/// Sign-ins refused (wrong address or password, or a disabled account) since the process
/// started; `GET /metrics` reports it. A plain counter, so the app needs no metrics library.
pub static SIGN_IN_FAILURES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Appends an entry to the audit log inside the caller's transaction.
pub async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: Option<i64>,
    action: AuditAction,
    target: &str,
    address: &str,
) -> AppResult<()> {
    sqlx::query("INSERT INTO audit_log (actor_id, action, target, address, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(address)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The response of the current server function, to set cookies on.
pub fn response_options() -> Option<leptos_axum::ResponseOptions> {
    use_context::<leptos_axum::ResponseOptions>()
}

/// Sets the language cookie on the current response.
pub fn set_lang_cookie(lang: crate::i18n::Lang) {
    if let Some(res) = response_options() {
        let cookie = format!(
            "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            crate::i18n::LANG_COOKIE,
            lang.code()
        );
        if let Ok(value) = http::HeaderValue::from_str(&cookie) {
            res.append_header(http::header::SET_COOKIE, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sign_in_holds;

    #[test]
    fn a_sign_in_holds_for_its_maximum_age_and_not_a_second_longer() {
        let day = 24 * 3600;
        let max = 30 * day;
        let now = 1_800_000_000;
        assert!(sign_in_holds(Some(now), now, max));
        assert!(sign_in_holds(Some(now - max + 1), now, max));
        assert!(!sign_in_holds(Some(now - max), now, max));
        assert!(!sign_in_holds(Some(now - 31 * day), now, max));
        assert!(!sign_in_holds(None, now, max), "a session without a sign-in time is not trusted");
        assert!(!sign_in_holds(Some(now + day), now, max), "a sign-in time in the future is not trusted");
    }
}
