//! Server-function errors, for both kinds of caller.
//!
//! * A script (an island, a test, a tool) calls a server function with `fetch`; its error comes
//!   back with the status that fits it (422 for bad input, 403 for a forbidden action, …)
//!   instead of the framework's blanket 500, so logs and monitors can tell user mistakes from
//!   failures.
//! * A browser posts a page's form itself (pages are islands: their forms are plain HTML). When that post fails, the error and
//!   the typed values (never passwords, tokens, ID or phone numbers: `FormFlash::keeps_field`)
//!   are kept in the session as a `FormFlash`, and the browser is sent back to the form with
//!   303 See Other, where the page shows them.

use app::error::AppError;
use app::flash::{FormFlash, FLASH_SESSION_KEY};
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, Method, StatusCode};
use std::collections::BTreeMap;
use tower_sessions::Session;

/// Forms are small; anything larger is refused before it is read.
const MAX_FORM_BYTES: usize = 256 * 1024;
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";

fn is_plain_form_post(method: &Method, headers: &HeaderMap) -> bool {
    let accepts_html = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    let urlencoded = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    method == Method::POST && accepts_html && urlencoded
}

/// The path and query of the page the form was on, if it is on this site.
fn back_to(headers: &HeaderMap) -> String {
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok()).unwrap_or("/");
    let path = match referer.find("://") {
        Some(i) => referer[i + 3..].find('/').map(|j| &referer[i + 3 + j..]).unwrap_or("/"),
        None => referer,
    };
    app::account::safe_local_path(path).unwrap_or_else(|| "/".into())
}

/// What a server function can read: a form (urlencoded or multipart) or JSON. Anything else
/// would fail inside the framework's decoder with a blanket 500.
fn readable_body(headers: &HeaderMap) -> bool {
    let Some(kind) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let kind = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    matches!(kind.as_str(), "application/x-www-form-urlencoded" | "multipart/form-data" | "application/json" | "")
}

fn urlencoded(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// A control character no keyboard types (NUL and the like); tabs and line breaks are text.
fn stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The first field whose value holds a stray control character. PostgreSQL refuses NUL in text
/// outright, so such a value is answered next to its field before any server function sees it.
fn field_with_control_characters(form: &[u8]) -> Option<String> {
    form_urlencoded::parse(form).find(|(_, v)| v.chars().any(stray_control)).map(|(k, _)| k.into_owned())
}

pub async fn server_fn_errors(req: Request, next: Next) -> Response {
    let plain = is_plain_form_post(req.method(), req.headers());
    let session = req.extensions().get::<Session>().cloned();
    let back = back_to(req.headers());
    let endpoint = req.uri().path().to_string();
    // The portal's own server functions; the integration API under /api/v1 answers in its own
    // shape.
    let server_fn = req.method() == Method::POST && endpoint.starts_with("/api/") && !endpoint.starts_with("/api/v1/");
    if server_fn && !readable_body(req.headers()) {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }

    let mut refused = None;
    let (req, values) = if plain || (server_fn && urlencoded(req.headers())) {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        };
        refused = field_with_control_characters(&bytes).map(|field| AppError::field(&field, "validation.control_characters"));
        let values: BTreeMap<String, String> = if plain {
            form_urlencoded::parse(&bytes)
                .filter(|(k, v)| FormFlash::keeps_field(k) && !v.chars().any(stray_control))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        } else {
            BTreeMap::new()
        };
        (Request::from_parts(parts, Body::from(bytes)), values)
    } else {
        (req, BTreeMap::new())
    };

    let (error, bytes, mut parts) = match refused {
        Some(error) => {
            let bytes = serde_json::to_vec(&error).unwrap_or_default();
            let (mut parts, _) = Response::new(()).into_parts();
            parts.headers.insert(header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
            (error, bytes, parts)
        }
        None => {
            let res = next.run(req).await;
            if !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
                return res;
            }
            let (parts, body) = res.into_parts();
            let bytes = to_bytes(body, MAX_FORM_BYTES).await.unwrap_or_default();
            let error: AppError = serde_json::from_slice(&bytes).unwrap_or(AppError::Internal);
            (error, bytes.to_vec(), parts)
        }
    };

    if plain {
        if let Some(session) = session {
            let flash = FormFlash { endpoint, error, values };
            if let Err(e) = session.insert(FLASH_SESSION_KEY, flash).await {
                tracing::error!(error = %e, "cannot keep the form error in the session");
            }
        }
        return Response::builder()
            .status(StatusCode::SEE_OTHER)
            .header(header::LOCATION, back)
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    parts.headers.remove(header::LOCATION);
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_is_the_referring_page_on_this_site() {
        let mut h = HeaderMap::new();
        h.insert(header::REFERER, "http://127.0.0.1:3000/login?next=%2Faccount".parse().unwrap());
        assert_eq!(back_to(&h), "/login?next=%2Faccount");
        h.insert(header::REFERER, "http://127.0.0.1:3000".parse().unwrap());
        assert_eq!(back_to(&h), "/");
        assert_eq!(back_to(&HeaderMap::new()), "/");
    }

    #[test]
    fn only_urlencoded_posts_that_accept_html_count_as_plain_forms() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, "text/html,application/xhtml+xml".parse().unwrap());
        h.insert(header::CONTENT_TYPE, "application/x-www-form-urlencoded".parse().unwrap());
        assert!(is_plain_form_post(&Method::POST, &h));
        assert!(!is_plain_form_post(&Method::GET, &h));
        h.insert(header::ACCEPT, "application/json".parse().unwrap());
        assert!(!is_plain_form_post(&Method::POST, &h));
    }

    #[test]
    fn a_nul_in_any_field_is_caught_and_line_breaks_are_not() {
        assert_eq!(field_with_control_characters(b"name=ok&note=a%00b"), Some("note".into()));
        assert_eq!(field_with_control_characters(b"note=line%0D%0Anext%09tab"), None);
        assert_eq!(field_with_control_characters(b"x=%1B%5B31m"), Some("x".into()));
    }

    #[test]
    fn server_functions_read_forms_and_json_only() {
        let mut h = HeaderMap::new();
        assert!(readable_body(&h));
        for ok in ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-8"] {
            h.insert(header::CONTENT_TYPE, ok.parse().unwrap());
            assert!(readable_body(&h), "{ok}");
        }
        h.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert!(!readable_body(&h));
    }
}
