//! Token server functions: the reader's tokens, making one (its secret shown once) and revoking
//! one. An employer's user makes `vacancies:write` tokens, a case worker or admin export tokens.

use super::TokenPage;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{choose_scopes, new_token, Scope, TokenRow, SHOWN_CHARS},
    crate::error::FieldErrors,
    crate::shared::identity::{Me, Role},
    crate::shared::validate::text,
    crate::ssr::{audit, client_address, now, pool, require_user, session, state, AuditAction},
    sqlx::Row,
};

/// Live tokens one person may hold: enough for a few systems and a spare for rotation.
pub const MAX_LIVE_TOKENS: i64 = 10;

/// Where the token page of a role is.
pub fn page_path(staff: bool) -> &'static str {
    if staff { "/staff/api-tokens" } else { "/employer/api-tokens" }
}

/// The session key of a token just made: sealed with the server key, kept only until the token
/// page has shown it once (the page after a plain form post is another request).
#[cfg(feature = "ssr")]
const CREATED_KEY: &str = "api_token_created";

/// An employer's user who acts for an organisation, or a case worker or admin.
#[cfg(feature = "ssr")]
async fn token_maker() -> Result<Me, AppError> {
    let me = require_user().await?;
    match me.role {
        Role::CaseWorker | Role::Admin => Ok(me),
        Role::Employer => {
            let mut conn = pool()?.acquire().await?;
            crate::vacancies::ssr::employer_of(&mut conn, me.id).await?.ok_or(AppError::Forbidden)?;
            Ok(me)
        }
        Role::Graduate => Err(AppError::Forbidden),
    }
}

#[server(endpoint = "api_tokens/list")]
pub async fn api_tokens() -> Result<TokenPage, AppError> {
    let me = token_maker().await?;
    let pool = pool()?;
    let rows = sqlx::query(
        "SELECT t.id, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at, s.scope FROM api_tokens t \
         LEFT JOIN api_token_scopes s ON s.token_id = t.id WHERE t.created_by = $1 ORDER BY t.id DESC, s.scope",
    )
    .bind(me.id)
    .fetch_all(&pool)
    .await?;
    let mut tokens: Vec<TokenRow> = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        if tokens.last().is_none_or(|t| t.id != id) {
            tokens.push(TokenRow {
                id,
                name: r.try_get("name")?,
                prefix: r.try_get("prefix")?,
                scopes: Vec::new(),
                created_at: r.try_get("created_at")?,
                last_used_at: r.try_get("last_used_at")?,
                revoked_at: r.try_get("revoked_at")?,
            });
        }
        if let (Some(scope), Some(t)) = (r.try_get::<Option<Scope>, _>("scope")?, tokens.last_mut()) {
            t.scopes.push(scope);
        }
    }
    let session = session().await?;
    let created = match session.remove::<String>(CREATED_KEY).await? {
        Some(sealed) => crate::crypto::open(&state()?.settings.secret_key, &sealed),
        None => None,
    };
    Ok(TokenPage { tokens, offered: Scope::offered_to(me.role), created })
}

/// Makes a token with the scopes ticked. The secret goes to the page once; only its hash stays.
#[server(endpoint = "api_tokens/create")]
pub async fn create_api_token(
    name: String,
    vacancies_write: Option<String>,
    registrations_read: Option<String>,
    decisions_read: Option<String>,
) -> Result<(), AppError> {
    let me = token_maker().await?;
    let mut e = FieldErrors::new();
    let name = text(&mut e, "name", &name, 60, true);
    let ticked: Vec<&str> = [(Scope::VacanciesWrite, &vacancies_write), (Scope::RegistrationsRead, &registrations_read), (Scope::DecisionsRead, &decisions_read)]
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(s, _)| s.as_str())
        .collect();
    let scopes = choose_scopes(me.role, &ticked).map_err(|k| e.add("scopes", k)).unwrap_or_default();
    e.into_result()?;
    let mut tx = crate::ssr::begin().await?;
    let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE created_by = $1 AND revoked_at IS NULL")
        .bind(me.id)
        .fetch_one(&mut *tx)
        .await?;
    if live >= MAX_LIVE_TOKENS {
        return Err(AppError::field("", "api_token.too_many"));
    }
    let (token, hash) = new_token();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (created_by, name, prefix, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(me.id)
    .bind(&name)
    .bind(&token[..SHOWN_CHARS])
    .bind(&hash)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    for scope in &scopes {
        sqlx::query("INSERT INTO api_token_scopes (token_id, scope) VALUES ($1, $2)").bind(id).bind(*scope).execute(&mut *tx).await?;
    }
    audit(&mut tx, Some(me.id), AuditAction::ApiTokenCreated, &format!("api_token:{id}"), &client_address().await).await?;
    tx.commit().await?;
    let sealed = crate::crypto::seal(&state()?.settings.secret_key, &token);
    session().await?.insert(CREATED_KEY, sealed).await?;
    leptos_axum::redirect(&format!("{}?notice=api_token_created", page_path(me.role.is_staff())));
    Ok(())
}

/// Revokes one of the reader's tokens: its next request is refused.
#[server(endpoint = "api_tokens/revoke")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    let me = token_maker().await?;
    let mut tx = crate::ssr::begin().await?;
    let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND created_by = $3 AND revoked_at IS NULL")
        .bind(now())
        .bind(id)
        .bind(me.id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit(&mut tx, Some(me.id), AuditAction::ApiTokenRevoked, &format!("api_token:{id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("{}?notice=api_token_revoked", page_path(me.role.is_staff())));
    Ok(())
}
