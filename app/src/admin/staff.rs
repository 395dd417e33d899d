//! What an admin does to a staff account: disable it (its sessions end at once and sign-in is
//! refused), enable it again, send a set-password link, and switch it between case worker and
//! admin. An admin never disables or demotes themselves, and the last active admin stays one,
//! so the portal always keeps somebody who can run it. Every step is in the audit log.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::account::ssr as accounts,
    crate::mail::ssr::{enqueue, Mail},
    crate::shared::identity::{Me, Role, STAFF},
    crate::ssr::{audit, client_address, now, require_role, state, AuditAction},
};

/// How long an admin's set-password link stays valid: as long as the first invitation's.
#[cfg(feature = "ssr")]
const RESET_LINK_SECS: i64 = 3 * 24 * 3600;

/// The staff account `id` (role and whether it is disabled), read inside the transaction that
/// changes it; anyone who is not staff is "not found" here.
#[cfg(feature = "ssr")]
async fn staff_account(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: i64) -> Result<(Role, bool), AppError> {
    let row: Option<(Role, Option<i64>)> = sqlx::query_as("SELECT role, disabled_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    match row {
        Some((role, disabled)) if STAFF.contains(&role) => Ok((role, disabled.is_none())),
        _ => Err(AppError::NotFound),
    }
}

/// Refuses to leave the portal without an active admin when `id`, an active admin, would stop
/// being one. Two admins removing each other at the same moment must not both succeed, so the
/// count is taken under a lock held until commit.
#[cfg(feature = "ssr")]
async fn keep_one_admin(tx: &mut sqlx::Transaction<'_, sqlx::Any>, me: &Me, id: i64) -> Result<(), AppError> {
    if id == me.id {
        return Err(AppError::Conflict("admin.not_yourself".into()));
    }
    state()?.dialect.lock_until_commit(tx, "active-admins").await?;
    let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = $1 AND disabled_at IS NULL AND id <> $2")
        .bind(Role::Admin)
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    if others == 0 {
        return Err(AppError::Conflict("admin.last_admin".into()));
    }
    Ok(())
}

/// Disables (`active` false) or enables a staff account.
#[server(endpoint = "admin/staff/active")]
pub async fn set_staff_active(user_id: i64, active: bool) -> Result<(), AppError> {
    let me = require_role(&[Role::Admin]).await?;
    let mut tx = crate::ssr::begin().await?;
    let (role, is_active) = staff_account(&mut tx, user_id).await?;
    if active != is_active {
        if !active {
            if role == Role::Admin {
                keep_one_admin(&mut tx, &me, user_id).await?;
            } else if user_id == me.id {
                return Err(AppError::Conflict("admin.not_yourself".into()));
            }
            sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2").bind(now()).bind(user_id).execute(&mut *tx).await?;
            // Signed out everywhere at once, not at their next request's account check.
            accounts::end_sessions(&mut tx, user_id, None).await?;
        } else {
            sqlx::query("UPDATE users SET disabled_at = NULL WHERE id = $1").bind(user_id).execute(&mut *tx).await?;
        }
        let action = if active { AuditAction::StaffEnabled } else { AuditAction::StaffDisabled };
        audit(&mut tx, Some(me.id), action, &format!("user:{user_id}"), &client_address().await).await?;
    }
    tx.commit().await?;
    leptos_axum::redirect(if active { "/admin?notice=staff_enabled" } else { "/admin?notice=staff_disabled" });
    Ok(())
}

/// Makes a case worker an admin or an admin a case worker.
#[server(endpoint = "admin/staff/role")]
pub async fn set_staff_role(user_id: i64, role: String) -> Result<(), AppError> {
    let me = require_role(&[Role::Admin]).await?;
    let role = Role::parse(&role).filter(|r| STAFF.contains(r)).ok_or_else(|| AppError::field("role", "validation.choose_one"))?;
    let mut tx = crate::ssr::begin().await?;
    let (current, is_active) = staff_account(&mut tx, user_id).await?;
    if current != role {
        if current == Role::Admin && is_active {
            keep_one_admin(&mut tx, &me, user_id).await?;
        }
        sqlx::query("UPDATE users SET role = $1 WHERE id = $2").bind(role).bind(user_id).execute(&mut *tx).await?;
        audit(&mut tx, Some(me.id), AuditAction::StaffRoleChanged, &format!("user:{user_id}:{}", role.as_str()), &client_address().await).await?;
    }
    tx.commit().await?;
    leptos_axum::redirect("/admin?notice=staff_role_changed");
    Ok(())
}

/// Emails a staff member a link to choose a new password (the reset link of the account pages).
#[server(endpoint = "admin/staff/reset")]
pub async fn send_staff_reset(user_id: i64) -> Result<(), AppError> {
    let me = require_role(&[Role::Admin]).await?;
    let mut tx = crate::ssr::begin().await?;
    let (_, active) = staff_account(&mut tx, user_id).await?;
    if !active {
        return Err(AppError::Conflict("admin.reset_disabled".into()));
    }
    let (email, name, locale): (String, String, String) =
        sqlx::query_as("SELECT email, display_name, locale FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?;
    let token = accounts::issue_token(&mut tx, user_id, accounts::TokenPurpose::ResetPassword, RESET_LINK_SECS).await?;
    let link = format!("{}/reset-password?token={token}", state()?.settings.base_url);
    let lang = crate::i18n::Lang::parse(&locale).unwrap_or_default();
    enqueue(&mut tx, &email, lang, &Mail::ResetPassword { name, link }).await?;
    audit(&mut tx, Some(me.id), AuditAction::StaffResetSent, &format!("user:{user_id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect("/admin?notice=staff_reset_sent");
    Ok(())
}
