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
    super::model::Kind,
    super::model::{allowed_actions, Action, Actor},
    super::ssr as q,
    crate::account::Role,
    crate::jobseeker::domain::Date,
    crate::ssr::{now, pool, require_role, require_user},
    sqlx::Row,
};

#[server(endpoint = "applications/eligibility")]
pub async fn what_can_i_apply_for() -> Result<Vec<Eligibility>, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let facts = crate::jobseeker::ssr::facts(&mut conn, me.id).await?;
    let policy = crate::policy::ssr::load(&mut conn).await?;
    let today = Date::today_from_unix(now());
    Ok(Kind::ALL.into_iter().map(|k| evaluate(k, &facts, &policy, today)).collect())
}

#[server(endpoint = "applications/apply")]
pub async fn apply(kind: String) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let kind = Kind::parse(&kind).filter(|k| k.open_for_applications()).ok_or(AppError::field("", "application.kind_closed"))?;
    if !me.email_verified {
        return Err(AppError::field("", "application.verify_email_first"));
    }
    let pool = pool()?;
    let mut tx = crate::ssr::begin(&pool).await?;
    let facts = crate::jobseeker::ssr::facts(&mut tx, me.id).await?;
    let policy = crate::policy::ssr::load(&mut tx).await?;
    let eligibility = evaluate(kind, &facts, &policy, Date::today_from_unix(now()));
    if let Some(failed) = eligibility.first_failure() {
        return Err(AppError::field("", &failed.key));
    }
    let profile = sqlx::query("SELECT household_place, intentions, service_needs, needs_note FROM profiles WHERE user_id = $1")
        .bind(me.id)
        .fetch_one(&mut *tx)
        .await?;
    let payload = match kind {
        Kind::JobseekerRegistration => {
            let purposes: Vec<String> =
                sqlx::query_scalar("SELECT DISTINCT purpose FROM uploads WHERE owner_id = $1").bind(me.id).fetch_all(&mut *tx).await?;
            if !crate::jobseeker::uploads::PURPOSES.iter().all(|p| purposes.iter().any(|have| have == p)) {
                return Err(AppError::field("", "application.documents_missing"));
            }
            // A snapshot of what the graduate asked for, as the case worker will read it.
            serde_json::json!({
                "intentions": serde_json::from_str::<serde_json::Value>(&profile.try_get::<String, _>("intentions")?).unwrap_or_default(),
                "service_needs": serde_json::from_str::<serde_json::Value>(&profile.try_get::<String, _>("service_needs")?).unwrap_or_default(),
                "needs_note": profile.try_get::<String, _>("needs_note")?,
            })
        }
        _ => serde_json::json!({}),
    };
    let place: String = profile.try_get("household_place")?;
    let (_, reference) = q::create_submitted(&mut tx, &me, kind, &payload, &place).await?;
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
    Ok(ApplicationDetail {
        actions: allowed_actions(application.kind, application.status, actor),
        events: q::events(&pool, application.id).await?,
        certificate: crate::certificates::ssr::of_application(&pool, application.id).await?,
        application,
    })
}

/// What a case worker sees beside an application: the applicant's profile (ID masked) and
/// eligibility for the kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffView {
    pub detail: ApplicationDetail,
    pub profile: Option<crate::jobseeker::profile::Profile>,
    pub eligibility: Eligibility,
}

#[server(endpoint = "applications/staff_view")]
pub async fn get_staff_view(reference: String) -> Result<StaffView, AppError> {
    require_role(&[Role::CaseWorker, Role::Admin]).await?;
    let detail = get_application(reference).await?;
    let applicant = detail.application.applicant_id;
    Ok(StaffView {
        profile: crate::jobseeker::ssr::load_profile(&pool()?, applicant, None).await?,
        eligibility: crate::staff::graduate::eligibility_of(applicant, detail.application.kind).await?,
        detail,
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
    let pool = pool()?;
    let (to, reference) =
        q::transition(&pool, application_id, version, action, &me, reason.as_deref().unwrap_or(""), note.as_deref().unwrap_or("")).await?;
    let base = if me.role.is_staff() { "/staff/applications" } else { "/my/applications" };
    leptos_axum::redirect(&format!("{base}/{reference}?notice=status_{}", to.as_str()));
    Ok(())
}

#[server(endpoint = "applications/assign")]
pub async fn assign_to_me(application_id: i64) -> Result<(), AppError> {
    let me = require_role(&[Role::CaseWorker, Role::Admin]).await?;
    let pool = pool()?;
    let reference: Option<String> = sqlx::query_scalar(
        "UPDATE applications SET assignee_id = $1, updated_at = $2 \
         WHERE id = $3 AND status IN ('submitted', 'in_review', 'needs_info') RETURNING reference",
    )
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
    let me = require_role(&[Role::CaseWorker, Role::Admin]).await?;
    let filters = q::QueueFilters { kind, status, assignee, place, min_days, after };
    q::queue_page(&pool()?, &filters, me.id, now()).await
}

