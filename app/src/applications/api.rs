//! Application server functions: what a graduate may apply for, applying, following and
//! acting on an application, and the case workers' queue. Every function checks the role and,
//! for one application, that the reader is its applicant or staff, where the data is read.

use super::eligibility::Eligibility;
use super::{ApplicationDetail, ApplicationRow};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::eligibility::evaluate,
    super::model::{allowed_actions, Action, Actor, Kind, Status},
    super::ssr as q,
    crate::services::service,
    crate::shared::enums::sql_list,
    crate::shared::identity::Role,
    crate::shared::time::Date,
    crate::shared::values::Place,
    crate::ssr::{now, pool, require_role, require_staff, require_user},
};

#[server(endpoint = "applications/eligibility")]
pub async fn what_can_i_apply_for() -> Result<Vec<Eligibility>, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let facts = q::facts(&mut conn, me.id).await?;
    let policy = crate::policy::ssr::load(&mut conn).await?;
    let today = Date::today_from_unix(now());
    Ok(Kind::ALL.into_iter().map(|k| evaluate(k, &facts, &policy, today)).collect())
}

/// Applies for a kind whose service needs no form of its own: the payload comes from what the
/// graduate already gave (the service's `payload` hook).
#[server(endpoint = "applications/apply")]
pub async fn apply(kind: String) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let kind = Kind::parse(&kind).filter(|k| service(*k).open).ok_or(AppError::field("", "application.kind_closed"))?;
    if !me.email_verified {
        return Err(AppError::field("", "application.verify_email_first"));
    }
    let mut tx = crate::ssr::begin().await?;
    let facts = q::facts(&mut tx, me.id).await?;
    let policy = crate::policy::ssr::load(&mut tx).await?;
    let eligibility = evaluate(kind, &facts, &policy, Date::today_from_unix(now()));
    if let Some(failed) = eligibility.first_failure() {
        return Err(AppError::field("", &failed.key));
    }
    let payload = service(kind).hooks.payload(&mut tx, &me).await?;
    let place: Place = sqlx::query_scalar("SELECT household_place FROM profiles WHERE user_id = $1").bind(me.id).fetch_one(&mut *tx).await?;
    let (_, reference) = q::create_submitted(&mut tx, &me, kind, &payload, place).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/my/applications/{reference}?notice=application_submitted"));
    Ok(())
}

#[server(endpoint = "applications/mine")]
pub async fn my_applications() -> Result<Vec<ApplicationRow>, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    q::of_applicant(&pool()?, me.id).await
}

#[server(endpoint = "applications/detail")]
pub async fn get_application(reference: String) -> Result<ApplicationDetail, AppError> {
    let me = require_user().await?;
    let pool = pool()?;
    let application = q::load_by_reference(&pool, &reference).await?.ok_or(AppError::NotFound)?;
    let actor = Actor::of(me.role, application.applicant_id == me.id);
    if actor == Actor::Other {
        return Err(AppError::NotFound);
    }
    let mut conn = pool.acquire().await?;
    let service = service(application.kind);
    Ok(ApplicationDetail {
        actions: allowed_actions(service.completes, application.status, actor),
        events: q::events(&pool, application.id).await?,
        panel: service.hooks.panel_data(&mut conn, application.id).await?,
        application,
    })
}

/// Takes an action on an application, as its applicant or as staff.
#[server(endpoint = "applications/act")]
pub async fn act(
    application_id: i64,
    version: i64,
    action: String,
    reason: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    let me = require_user().await?;
    let action = Action::parse(&action).ok_or(AppError::field("", "error.bad_request"))?;
    let (to, reference) =
        q::transition(application_id, version, action, &me, reason.as_deref().unwrap_or(""), note.as_deref().unwrap_or("")).await?;
    let base = if me.role.is_staff() { "/staff/applications" } else { "/my/applications" };
    leptos_axum::redirect(&format!("{base}/{reference}?notice=status_{}", to.as_str()));
    Ok(())
}

#[server(endpoint = "applications/assign")]
pub async fn assign_to_me(application_id: i64) -> Result<(), AppError> {
    let me = require_staff().await?;
    let pool = pool()?;
    let reference: Option<String> = sqlx::query_scalar(&format!(
        "UPDATE applications SET assignee_id = $1, updated_at = $2 WHERE id = $3 AND status IN ({}) RETURNING reference",
        sql_list(&Status::IN_QUEUE)
    ))
    .bind(me.id)
    .bind(now())
    .bind(application_id)
    .fetch_optional(&pool)
    .await?;
    let reference = reference.ok_or(AppError::Conflict("application.not_allowed".into()))?;
    leptos_axum::redirect(&format!("/staff/applications/{reference}?notice=assigned"));
    Ok(())
}

/// One page of the queue, and where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<ApplicationRow>,
    /// `submitted_at:id` of the last row, when there may be more.
    pub next: Option<String>,
    pub now: i64,
}

pub const QUEUE_PAGE_SIZE: i64 = 25;

/// The queue across all kinds, oldest first. Keyset paging on (submitted_at, id) keeps every
/// page one index range scan, however deep the reader pages.
#[expect(clippy::too_many_arguments, reason = "one argument per filter in the GET form")]
#[server(endpoint = "applications/queue")]
pub async fn queue(
    kind: Option<String>,
    status: Option<String>,
    assignee: Option<String>,
    place: Option<String>,
    min_days: Option<String>,
    after: Option<String>,
) -> Result<QueuePage, AppError> {
    let me = require_staff().await?;
    let filters = q::QueueFilters { kind, status, assignee, place, min_days, after };
    q::queue_page(&pool()?, &filters, me.id, now()).await
}

