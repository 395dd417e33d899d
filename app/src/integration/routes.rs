//! `/api/v1`: the router, the one error shape and the OpenAPI document (server only).
//!
//! Every failure under `/api/v1`, from a malformed body to an unknown path, answers
//! `{"error": {"code": "…", "message": "…", "fields": {…}}}` with its status; the message is in
//! the language of `Accept-Language` (zh-CN when it names neither). The routes are listed once
//! ([`served`]); the document is generated from the handlers' annotations, and a test checks
//! that both name the same paths.

use super::{endpoints, exports};
use super::ssr::Refusal;
use crate::error::AppError;
use crate::i18n::{lang_from_accept_language, tr, Lang};
use crate::ssr::AppState;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, MethodRouter};
use axum::Router;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::OpenApi;

/// The largest request body accepted (a vacancy's description is at most 5 000 characters).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every route of the API, with its methods.
pub fn served() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/api/v1/openapi.json", get(openapi_json)),
        ("/api/v1/vacancies", get(endpoints::list_vacancies).post(endpoints::create_vacancy)),
        ("/api/v1/vacancies/{id}", get(endpoints::get_vacancy)),
        ("/api/v1/registrations", get(exports::export_registrations)),
        ("/api/v1/decisions", get(exports::export_decisions)),
    ]
}

pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for (path, methods) in served() {
        router = router.route(path, methods.fallback(method_not_allowed));
    }
    // Anything else under /api/v1 is ours to refuse, in our shape (not the site's 404 page).
    router.route("/api/v1", any(unknown_route)).route("/api/v1/{*rest}", any(unknown_route))
}

/// The error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs: `unauthorized`, `invalid_token`, `forbidden`, `not_found`,
    /// `no_such_route`, `method_not_allowed`, `malformed_json`, `payload_too_large`, `invalid`, `conflict`,
    /// `too_many_requests`, `internal`.
    pub code: String,
    /// For people, in the language asked for.
    pub message: String,
    /// Field name → message, when fields were wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

/// A refusal on its way out.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
    retry_after: Option<i64>,
}

/// The language an API caller asked for.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(lang_from_accept_language).unwrap_or_default()
}

impl ApiError {
    pub fn new(lang: Lang, status: StatusCode, code: &str, key: &str) -> ApiError {
        ApiError { status, body: ErrorBody { error: ErrorDetail { code: code.into(), message: tr(lang, key).into(), fields: None } }, retry_after: None }
    }

    /// The portal's own error, as the API says it.
    pub fn from_app(lang: Lang, e: AppError) -> ApiError {
        match e {
            AppError::Unauthorized => ApiError::new(lang, StatusCode::UNAUTHORIZED, "unauthorized", "api.unauthorized"),
            AppError::Forbidden => ApiError::new(lang, StatusCode::FORBIDDEN, "forbidden", "api.forbidden"),
            AppError::NotFound => ApiError::new(lang, StatusCode::NOT_FOUND, "not_found", "api.not_found"),
            AppError::Invalid(fields) => {
                let mut fields = fields.0;
                // A message for the whole request (e.g. the employer is not verified yet).
                let whole = fields.remove("").unwrap_or_else(|| "api.invalid".into());
                let mut error = ApiError::new(lang, StatusCode::UNPROCESSABLE_ENTITY, "invalid", &whole);
                if !fields.is_empty() {
                    error.body.error.fields = Some(fields.into_iter().map(|(f, k)| (f, tr(lang, &k).to_string())).collect());
                }
                error
            }
            AppError::Conflict(key) => ApiError::new(lang, StatusCode::CONFLICT, "conflict", &key),
            AppError::TooManyAttempts { minutes } => ApiError::too_many(lang, minutes * 60),
            AppError::Internal | AppError::Transport(_) => ApiError::new(lang, StatusCode::INTERNAL_SERVER_ERROR, "internal", "error.internal"),
        }
    }

    /// The same error under another status and code (a query string's mistake is a 400).
    pub fn with_status(mut self, status: StatusCode, code: &str) -> ApiError {
        self.status = status;
        self.body.error.code = code.into();
        self
    }

    pub fn refusal(lang: Lang, r: Refusal) -> ApiError {
        match r {
            Refusal::Missing => ApiError::new(lang, StatusCode::UNAUTHORIZED, "unauthorized", "api.token_missing"),
            Refusal::Invalid => ApiError::new(lang, StatusCode::UNAUTHORIZED, "invalid_token", "api.token_invalid"),
            Refusal::TooMany { retry_after } => ApiError::too_many(lang, retry_after),
            Refusal::Scope => ApiError::new(lang, StatusCode::FORBIDDEN, "forbidden", "api.scope_missing"),
        }
    }

    fn too_many(lang: Lang, retry_after: i64) -> ApiError {
        ApiError { retry_after: Some(retry_after), ..ApiError::new(lang, StatusCode::TOO_MANY_REQUESTS, "too_many_requests", "api.too_many") }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        let headers = response.headers_mut();
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

async fn unknown_route(headers: HeaderMap) -> ApiError {
    ApiError::new(lang_of(&headers), StatusCode::NOT_FOUND, "no_such_route", "api.no_such_route")
}

async fn method_not_allowed(headers: HeaderMap) -> ApiError {
    ApiError::new(lang_of(&headers), StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "api.method_not_allowed")
}

/// The API's OpenAPI 3 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "This document", content_type = "application/json")))]
pub async fn openapi_json() -> Response {
    ([(header::CACHE_CONTROL, "public, max-age=300")], axum::Json(ApiDoc::openapi())).into_response()
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Leshan graduate employment services portal: integration API",
        version = "1",
        description = "Published vacancies for anyone; posting vacancies with an employer's token (scope vacancies:write); \
                       registrations and decisions of a period with a case worker's token (scopes registrations:read, decisions:read). \
                       Tokens are made on the portal's token pages and sent as `Authorization: Bearer lsp_…`. \
                       Each token may make 60 requests a minute. Every error has the shape of ErrorBody."
    ),
    paths(
        openapi_json,
        endpoints::list_vacancies,
        endpoints::get_vacancy,
        endpoints::create_vacancy,
        exports::export_registrations,
        exports::export_decisions
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerToken),
    tags(
        (name = "vacancies", description = "Published vacancies; posting for an employer"),
        (name = "exports", description = "Registrations and decisions of a period, for the provincial system"),
        (name = "meta", description = "This document")
    )
)]
pub struct ApiDoc;

struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("lsp_ + 64 hex digits").build()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_names_exactly_the_paths_the_router_serves() {
        let doc = ApiDoc::openapi();
        let documented: std::collections::BTreeSet<&str> = doc.paths.paths.keys().map(String::as_str).collect();
        let served: std::collections::BTreeSet<&str> = served().into_iter().map(|(p, _)| p).collect();
        assert_eq!(documented, served);
    }

    #[test]
    fn field_errors_keep_their_fields_and_a_whole_request_message_becomes_the_message() {
        let mut fields = crate::error::FieldErrors::new();
        fields.add("title", "validation.required");
        let e = ApiError::from_app(Lang::En, AppError::Invalid(fields));
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.body.error.fields.as_ref().and_then(|f| f.get("title")).map(String::as_str), Some(tr(Lang::En, "validation.required")));
        let e = ApiError::from_app(Lang::ZhCn, AppError::field("", "vacancy.not_verified"));
        assert_eq!(e.body.error.message, tr(Lang::ZhCn, "vacancy.not_verified"));
        assert!(e.body.error.fields.is_none());
    }
}
