//! The API's vacancy handlers (server only): published vacancies for anyone, posting a vacancy
//! with an employer's token; and the helpers the exports (`exports.rs`) share.

use super::routes::{lang_of, ApiError, ErrorBody, MAX_BODY_BYTES};
use super::ssr::{authenticate, Caller};
use super::Scope;
use crate::error::{AppError, FieldErrors};
use crate::i18n::Lang;
use crate::ssr::{today, AppState};
use crate::vacancies::posting::{self, PostingFields};
use crate::vacancies::ssr::{self as vacancies, SearchFilters};
use crate::vacancies::{VacancyAction, VacancyCard, PAGE_SIZE};
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

pub(super) type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

/// A published vacancy in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct VacancySummary {
    pub id: i64,
    pub title: String,
    pub employer: String,
    /// One of the portal's categories, e.g. `software`.
    pub category: String,
    /// A place of Leshan, e.g. `shizhong`.
    pub place: String,
    /// Yuan per month.
    pub salary_min: i64,
    pub salary_max: i64,
    /// The least education asked for, e.g. `bachelor`.
    pub education: String,
    /// `job` or `traineeship`.
    pub kind: String,
    /// The last day it is listed (`YYYY-MM-DD`).
    pub expires_on: String,
    /// Its page on the portal.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VacancyList {
    pub items: Vec<VacancySummary>,
    pub page: i64,
    /// Always the portal's page size.
    pub per_page: i64,
    /// How many match, counted up to 200.
    pub total: i64,
    /// More than 200 match (the pages go on to page 50 while `has_next` holds).
    pub more: bool,
    /// Another page follows this one.
    pub has_next: bool,
}

/// One published vacancy.
#[derive(Debug, Serialize, ToSchema)]
pub struct VacancyDetail {
    #[serde(flatten)]
    pub summary: VacancySummary,
    pub description: String,
    pub headcount: i64,
    /// Traineeships only: seats, months and monthly stipend in yuan.
    pub seats: Option<i64>,
    pub period_months: Option<i64>,
    pub stipend: Option<i64>,
}

/// A vacancy to post. Numbers may be sent as numbers or as strings.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewVacancy {
    /// At most 80 characters.
    pub title: String,
    /// At most 5 000 characters.
    pub description: String,
    pub category: String,
    pub place: String,
    pub salary_min: i64,
    pub salary_max: i64,
    pub education: String,
    pub headcount: i64,
    /// `job` (default) or `traineeship`.
    pub kind: Option<String>,
    /// Required for traineeships.
    pub seats: Option<i64>,
    pub period_months: Option<i64>,
    pub stipend: Option<i64>,
    /// The last day it is listed (`YYYY-MM-DD`), within a year.
    pub expires_on: String,
    /// `true` (default): published at once when the screening finds nothing, else held for a
    /// case worker; `false`: kept as a draft.
    pub publish: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VacancyCreated {
    pub id: i64,
    /// `published`, `pending_review` or `draft`.
    pub status: String,
    pub url: String,
}

pub(super) fn query_of(lang: Lang, params: Params) -> Result<HashMap<String, String>, ApiError> {
    params.map(|Query(q)| q).map_err(|_| ApiError::new(lang, StatusCode::BAD_REQUEST, "bad_request", "api.bad_query"))
}

/// A query parameter's complaint, as 400.
pub(super) fn bad_query(lang: Lang, field: &str, key: &str) -> ApiError {
    ApiError::from_app(lang, AppError::field(field, key)).with_status(StatusCode::BAD_REQUEST, "bad_request")
}

pub(super) fn whole_number(lang: Lang, q: &HashMap<String, String>, name: &str, default: i64, range: std::ops::RangeInclusive<i64>) -> Result<i64, ApiError> {
    match q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v.parse().ok().filter(|n| range.contains(n)).ok_or_else(|| bad_query(lang, name, "api.number_range")),
    }
}

fn vacancy_url(state: &AppState, id: i64) -> String {
    format!("{}/vacancies/{id}", state.settings.base_url)
}

fn summary(state: &AppState, c: VacancyCard) -> VacancySummary {
    VacancySummary {
        url: vacancy_url(state, c.id),
        id: c.id,
        title: c.title,
        employer: c.employer_name,
        category: c.category.as_str().into(),
        place: c.place.as_str().into(),
        salary_min: c.salary_min,
        salary_max: c.salary_max,
        education: c.education.as_str().into(),
        kind: c.kind.as_str().into(),
        expires_on: c.expires_on,
    }
}

pub(super) async fn caller(state: &AppState, headers: &HeaderMap, lang: Lang, scope: Scope) -> Result<Caller, ApiError> {
    let authorization = headers.get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or(""));
    authenticate(&state.pool, authorization, scope).await.map_err(|e| ApiError::from_app(lang, e))?.map_err(|r| ApiError::refusal(lang, r))
}

/// Published vacancies, newest first, as the portal's search finds them.
#[utoipa::path(get, path = "/api/v1/vacancies", tag = "vacancies",
    params(
        ("q" = Option<String>, Query, description = "Keywords, Chinese or English"),
        ("place" = Option<String>, Query, description = "A place of Leshan, e.g. `shizhong`"),
        ("category" = Option<String>, Query, description = "A category, e.g. `software`"),
        ("kind" = Option<String>, Query, description = "`job` or `traineeship`"),
        ("page" = Option<i64>, Query, description = "1 to 50; 20 vacancies a page")
    ),
    responses((status = 200, body = VacancyList), (status = 400, body = ErrorBody)))]
pub async fn list_vacancies(State(state): State<AppState>, headers: HeaderMap, params: Params) -> Result<Json<VacancyList>, ApiError> {
    let lang = lang_of(&headers);
    let q = query_of(lang, params)?;
    let page = whole_number(lang, &q, "page", 1, 1..=crate::vacancies::MAX_PAGE)?;
    let filters = SearchFilters { page, by_salary: false, ..SearchFilters::from_form(|k| q.get(k).cloned()) };
    let found = vacancies::search(&state.pool, state.dialect, &filters, &today()).await.map_err(|e| ApiError::from_app(lang, e))?;
    Ok(Json(VacancyList {
        items: found.rows.into_iter().map(|c| summary(&state, c)).collect(),
        page: found.page,
        per_page: PAGE_SIZE,
        total: found.total,
        more: found.more,
        has_next: found.has_next,
    }))
}

/// One published vacancy (a vacancy not listed today is not found).
#[utoipa::path(get, path = "/api/v1/vacancies/{id}", tag = "vacancies",
    params(("id" = i64, Path, description = "The vacancy's number")),
    responses((status = 200, body = VacancyDetail), (status = 404, body = ErrorBody)))]
pub async fn get_vacancy(State(state): State<AppState>, headers: HeaderMap, id: Result<Path<i64>, PathRejection>) -> Result<Json<VacancyDetail>, ApiError> {
    let lang = lang_of(&headers);
    let not_found = || ApiError::from_app(lang, AppError::NotFound);
    let Path(id) = id.map_err(|_| not_found())?;
    let v = vacancies::load(&state.pool, id).await.map_err(|e| ApiError::from_app(lang, e))?.ok_or_else(not_found)?;
    if !v.is_listed(&today()) {
        return Err(not_found());
    }
    let card = VacancyCard {
        id: v.id,
        title: v.title,
        employer_name: v.employer_name,
        category: v.category,
        place: v.place,
        salary_min: v.salary_min,
        salary_max: v.salary_max,
        education: v.education,
        kind: v.kind,
        expires_on: v.expires_on,
    };
    Ok(Json(VacancyDetail {
        summary: summary(&state, card),
        description: v.description,
        headcount: v.headcount,
        seats: v.seats,
        period_months: v.period_months,
        stipend: v.stipend,
    }))
}

/// A JSON value as the form's text: strings as they are, numbers written out, nothing as empty.
/// Anything else (an object, a list, true) is the field's mistake.
fn text_of(e: &mut FieldErrors, body: &serde_json::Map<String, serde_json::Value>, name: &str) -> String {
    use serde_json::Value;
    match body.get(name) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => {
            e.add(name, "api.field_type");
            String::new()
        }
    }
}

/// Posts a vacancy for the token's organisation, through the same checks as the employer's form.
#[utoipa::path(post, path = "/api/v1/vacancies", tag = "vacancies",
    request_body = NewVacancy,
    security(("bearer" = ["vacancies:write"])),
    responses(
        (status = 201, body = VacancyCreated, description = "Made; `Location` is its page"),
        (status = 400, body = ErrorBody, description = "Not a JSON object"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody, description = "Fields wrong, or the employer may not publish"),
        (status = 429, body = ErrorBody)
    ))]
pub async fn create_vacancy(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let lang = lang_of(&headers);
    let caller = caller(&state, &headers, lang, Scope::VacanciesWrite).await?;
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| ApiError::new(lang, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "api.too_large"))?;
    let malformed = || ApiError::new(lang, StatusCode::BAD_REQUEST, "malformed_json", "api.malformed_json");
    let Ok(serde_json::Value::Object(body)) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Err(malformed());
    };
    let mut e = FieldErrors::new();
    let mut field = |name: &str| text_of(&mut e, &body, name);
    let optional = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let kind = field("kind");
    let fields = PostingFields {
        title: field("title"),
        description: field("description"),
        category: field("category"),
        place: field("place"),
        salary_min: field("salary_min"),
        salary_max: field("salary_max"),
        education: field("education"),
        headcount: field("headcount"),
        kind: if kind.trim().is_empty() { "job".into() } else { kind },
        seats: optional(field("seats")),
        period_months: optional(field("period_months")),
        stipend: optional(field("stipend")),
        expires_on: field("expires_on"),
    };
    let publish = match body.get("publish") {
        None | Some(serde_json::Value::Null) => true,
        Some(serde_json::Value::Bool(b)) => *b,
        Some(_) => {
            e.add("publish", "api.field_type");
            true
        }
    };
    // Every field's complaint at once: the type mistakes and what the form's checks find.
    let parsed = posting::parse(&fields);
    if let Err(AppError::Invalid(found)) = &parsed {
        for (f, k) in &found.0 {
            e.add(f, k);
        }
    }
    e.into_result().map_err(|e| ApiError::from_app(lang, e))?;
    let posting = parsed.map_err(|e| ApiError::from_app(lang, e))?;
    let fail = |e: AppError| ApiError::from_app(lang, e);
    let mut tx = state.dialect.begin_write(&state.pool).await.map_err(|e| fail(e.into()))?;
    let (id, action) = posting::save(&mut tx, state.dialect, &caller.me, None, &posting, publish).await.map_err(fail)?;
    tx.commit().await.map_err(|e| fail(e.into()))?;
    let status = match action {
        VacancyAction::Publish => "published",
        VacancyAction::Hold => "pending_review",
        _ => "draft",
    };
    let url = vacancy_url(&state, id);
    Ok((StatusCode::CREATED, [(header::LOCATION, url.clone())], Json(VacancyCreated { id, status: status.into(), url })).into_response())
}
