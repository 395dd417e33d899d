//! Privacy server functions: what the account page shows (consents, whether the account may
//! be deleted) and the deletion itself, confirmed by the password.

use super::PrivacyOverview;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::Consent,
    crate::account::ssr::{password_hash_of, verify_password},
    crate::error::FieldErrors,
    crate::shared::identity::Role,
    crate::ssr::{audit, now, require_user, session, state, AuditAction},
};

#[server(endpoint = "privacy/mine")]
pub async fn my_privacy() -> Result<PrivacyOverview, AppError> {
    let me = require_user().await?;
    let consents: Vec<(String, i64)> =
        sqlx::query_as("SELECT notice_version, consented_at FROM privacy_consents WHERE user_id = $1 ORDER BY consented_at DESC, id DESC")
            .bind(me.id)
            .fetch_all(&state()?.pool)
            .await?;
    Ok(PrivacyOverview {
        role: me.role,
        may_delete: matches!(me.role, Role::Graduate | Role::Employer),
        consents: consents.into_iter().map(|(version, at)| Consent { version, at }).collect(),
    })
}

/// Deletes the signed-in person's account in one transaction (see `ssr::delete_account`),
/// then the files no row names any more, then this session.
#[server(endpoint = "privacy/delete")]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    let me = require_user().await?;
    if !matches!(me.role, Role::Graduate | Role::Employer) {
        return Err(AppError::Conflict("privacy.staff_cannot_delete".into()));
    }
    if password.is_empty() {
        return Err(AppError::field("password", "validation.required"));
    }
    let state = state()?;
    let stored = password_hash_of(&state.pool, me.id).await?;
    if !verify_password(&password, stored).await? {
        let mut errors = FieldErrors::new();
        errors.add("password", "account.current_password_wrong");
        return errors.into_result();
    }
    let mut tx = crate::ssr::begin().await?;
    let files = super::ssr::delete_account(&mut tx, &me, now()).await?;
    // No address: the row must say who and what, and nothing that would identify the person.
    audit(&mut tx, Some(me.id), AuditAction::AccountDeleted, &format!("user:{}", me.id), "").await?;
    tx.commit().await?;
    crate::shared::files::remove_unreferenced(&state, &files).await?;
    session().await?.flush().await?;
    leptos_axum::redirect("/?notice=account_deleted");
    Ok(())
}
