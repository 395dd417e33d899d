//! Server-function errors, for both kinds of browser.
//!
//! * A hydrated page calls a server function with `fetch`; its error comes back with the
//!   status that fits it (422 for bad input, 403 for a forbidden action, …) instead of the
//!   framework's blanket 500, so logs and monitors can tell user mistakes from failures.
//! * A browser without JavaScript posts the form itself. When that post fails, the error and
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

pub async fn server_fn_errors(req: Request, next: Next) -> Response {
    let plain = is_plain_form_post(req.method(), req.headers());
    let session = req.extensions().get::<Session>().cloned();
    let back = back_to(req.headers());
    let endpoint = req.uri().path().to_string();

    let (req, values) = if plain {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        };
        let values: BTreeMap<String, String> = form_urlencoded::parse(&bytes)
            .filter(|(k, _)| FormFlash::keeps_field(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        (Request::from_parts(parts, Body::from(bytes)), values)
    } else {
        (req, BTreeMap::new())
    };

    let res = next.run(req).await;
    if !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES).await.unwrap_or_default();
    let error: AppError = serde_json::from_slice(&bytes).unwrap_or(AppError::Internal);

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
}
