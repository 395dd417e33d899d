//! The exports (server only): job-seeker registrations submitted, and applications decided, in
//! a period, for a case worker's or admin's token. What goes out is what the staff pages and
//! downloads show: names, never ID numbers.

use super::endpoints::{bad_query, caller, query_of, whole_number, Params};
use super::routes::{lang_of, ApiError, ErrorBody};
use super::Scope;
use crate::applications::model::{Kind, Status};
use crate::i18n::Lang;
use crate::shared::time::Date;
use crate::shared::values::Place;
use crate::ssr::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// The longest period one export covers, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;
/// Rows per export page unless `per_page` asks for fewer or more (at most [`MAX_PER_PAGE`]).
pub const DEFAULT_PER_PAGE: i64 = 100;
pub const MAX_PER_PAGE: i64 = 500;
/// Export pages deeper than this are not served: narrow the period instead.
pub const MAX_EXPORT_PAGE: i64 = 1000;

/// A job-seeker registration submitted in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct Registration {
    pub reference: String,
    pub applicant_name: String,
    pub household_place: String,
    /// Where it stands now, e.g. `in_review`, `approved`.
    pub status: String,
    /// Unix seconds.
    pub submitted_at: i64,
}

/// An application decided (approved or rejected) in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct Decision {
    pub reference: String,
    /// The service, e.g. `jobseeker_registration`, `startup_loan`.
    pub kind: String,
    pub applicant_name: String,
    pub household_place: String,
    /// Where it stands now: `approved`, `rejected` or `completed` (approved, then finished).
    pub status: String,
    pub submitted_at: i64,
    pub decided_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationList {
    pub items: Vec<Registration>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionList {
    pub items: Vec<Decision>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

/// The query of both exports, as the OpenAPI document describes it. The handlers read the
/// query as text and parse it themselves ([`period`], [`paging`]) so that every bad value gets
/// the same localized field error as the rest of the API, not axum's rejection.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct PeriodQuery {
    /// First day, `YYYY-MM-DD` (China Standard Time)
    from: String,
    /// Last day, inclusive; at most 366 days after `from`
    to: String,
    /// From 1
    page: Option<i64>,
    /// 1 to 500, default 100
    per_page: Option<i64>,
}

/// The period of an export: both ends required, at most [`MAX_PERIOD_DAYS`] days.
fn period(lang: Lang, q: &HashMap<String, String>) -> Result<(i64, i64), ApiError> {
    let day = |name: &str| -> Result<Date, ApiError> {
        let raw = q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()).ok_or_else(|| bad_query(lang, name, "validation.required"))?;
        Date::parse(raw).map_err(|k| bad_query(lang, name, k))
    };
    let (from, to) = (day("from")?, day("to")?);
    if from > to {
        return Err(bad_query(lang, "from", "report.from_after_to"));
    }
    if to.days_from_epoch() - from.days_from_epoch() >= MAX_PERIOD_DAYS {
        return Err(bad_query(lang, "from", "api.period_too_long"));
    }
    // China Standard Time, as the dashboard counts (reports::Period::bounds).
    Ok(crate::reports::Period { from, to, place: None }.bounds())
}

fn paging(lang: Lang, q: &HashMap<String, String>) -> Result<(i64, i64), ApiError> {
    Ok((whole_number(lang, q, "page", 1, 1..=MAX_EXPORT_PAGE)?, whole_number(lang, q, "per_page", DEFAULT_PER_PAGE, 1..=MAX_PER_PAGE)?))
}

/// Job-seeker registrations submitted in the period, oldest first.
#[utoipa::path(get, path = "/api/v1/registrations", tag = "exports",
    params(PeriodQuery),
    security(("bearer" = ["registrations:read"])),
    responses((status = 200, body = RegistrationList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn export_registrations(State(state): State<AppState>, headers: HeaderMap, params: Params) -> Result<Json<RegistrationList>, ApiError> {
    let lang = lang_of(&headers);
    caller(&state, &headers, lang, Scope::RegistrationsRead).await?;
    let q = query_of(lang, params)?;
    let ((start, end), (page, per_page)) = (period(lang, &q)?, paging(lang, &q)?);
    let fail = |e: sqlx::Error| ApiError::from_app(lang, e.into());
    let filter = "FROM applications a JOIN users u ON u.id = a.applicant_id WHERE a.kind = $1 AND a.submitted_at >= $2 AND a.submitted_at < $3";
    let kind = Kind::JobseekerRegistration;
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {filter}")).bind(kind).bind(start).bind(end).fetch_one(&state.pool).await.map_err(fail)?;
    let rows = sqlx::query(&format!(
        "SELECT a.reference, u.display_name, a.household_place, a.status, a.submitted_at {filter} ORDER BY a.submitted_at, a.id LIMIT {per_page} OFFSET {}",
        (page - 1) * per_page
    ))
    .bind(kind)
    .bind(start)
    .bind(end)
    .fetch_all(&state.pool)
    .await
    .map_err(fail)?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(Registration {
                reference: r.try_get("reference")?,
                applicant_name: r.try_get("display_name")?,
                household_place: r.try_get::<Place, _>("household_place")?.as_str().into(),
                status: r.try_get::<Status, _>("status")?.as_str().into(),
                submitted_at: r.try_get("submitted_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(fail)?;
    Ok(Json(RegistrationList { items, page, per_page, total }))
}

/// Applications of every service decided (approved or rejected) in the period, oldest first.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "exports",
    params(PeriodQuery),
    security(("bearer" = ["decisions:read"])),
    responses((status = 200, body = DecisionList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn export_decisions(State(state): State<AppState>, headers: HeaderMap, params: Params) -> Result<Json<DecisionList>, ApiError> {
    let lang = lang_of(&headers);
    caller(&state, &headers, lang, Scope::DecisionsRead).await?;
    let q = query_of(lang, params)?;
    let ((start, end), (page, per_page)) = (period(lang, &q)?, paging(lang, &q)?);
    let fail = |e: sqlx::Error| ApiError::from_app(lang, e.into());
    let filter =
        "FROM applications a JOIN users u ON u.id = a.applicant_id WHERE a.decided_at >= $1 AND a.decided_at < $2 AND a.submitted_at IS NOT NULL";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {filter}")).bind(start).bind(end).fetch_one(&state.pool).await.map_err(fail)?;
    let rows = sqlx::query(&format!(
        "SELECT a.reference, a.kind, u.display_name, a.household_place, a.status, a.submitted_at, a.decided_at {filter} \
         ORDER BY a.decided_at, a.id LIMIT {per_page} OFFSET {}",
        (page - 1) * per_page
    ))
    .bind(start)
    .bind(end)
    .fetch_all(&state.pool)
    .await
    .map_err(fail)?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(Decision {
                reference: r.try_get("reference")?,
                kind: r.try_get::<Kind, _>("kind")?.as_str().into(),
                applicant_name: r.try_get("display_name")?,
                household_place: r.try_get::<Place, _>("household_place")?.as_str().into(),
                status: r.try_get::<Status, _>("status")?.as_str().into(),
                submitted_at: r.try_get("submitted_at")?,
                decided_at: r.try_get("decided_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(fail)?;
    Ok(Json(DecisionList { items, page, per_page, total }))
}
