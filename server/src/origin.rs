//! Requests that change something must come from the portal's own pages.
//!
//! A page on another site can make the reader's browser post a form here (cross-site request
//! forgery), including to `/api/login`, which would sign the reader into an account the attacker
//! controls (login CSRF). The session cookie is `SameSite=Lax`, which stops most of it, but not
//! a same-site attacker (another host under the same registrable domain) nor older browsers.
//! So every state-changing request (any method but GET, HEAD and OPTIONS: server functions
//! under `/api/`, the upload routes, …) must name the portal's own origin — the scheme, host and
//! port of `PORTAL_BASE_URL` — in its `Origin` header, or, when that is absent, in its `Referer`.
//! Browsers send `Origin` with every POST, with or without JavaScript, so a request that carries
//! neither is not from a browser page of ours and is refused too.
//!
//! The integration API (`/api/v1`) is the exception: it never reads the session cookie, only an
//! `Authorization: Bearer` token that no browser adds on its own, so a forged request carries
//! nothing it could use, and the programs calling it send no `Origin`.
//!
//! A refusal is 403: `AppError::Forbidden` as JSON for scripts, a short page for a browser that
//! posted a plain HTML form. It happens before the session is read, so nothing is stored and no
//! cookie is set.

use app::error::AppError;
use app::i18n::{lang_from_cookie_header, tr};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use http::{header, HeaderMap, Method, StatusCode};
use std::sync::Arc;

/// The portal's own origin, e.g. `https://jobs.example.cn` (no default port, no path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnOrigin(Arc<str>);

impl OwnOrigin {
    /// The origin of the base URL; `None` when the URL has no scheme and host.
    pub fn of_base_url(base_url: &str) -> Option<OwnOrigin> {
        origin_of(base_url).map(|o| OwnOrigin(o.into()))
    }

    /// Whether the request's `Origin` (or, without one, its `Referer`) is this origin.
    pub fn admits(&self, headers: &HeaderMap) -> bool {
        let claimed = match headers.get(header::ORIGIN) {
            Some(origin) => origin.to_str().ok().and_then(origin_of),
            None => headers.get(header::REFERER).and_then(|r| r.to_str().ok()).and_then(origin_of),
        };
        claimed.as_deref() == Some(&*self.0)
    }
}

/// `scheme://host[:port]` of an absolute URL, lower-cased, without the scheme's default port.
/// `Origin: null` (sandboxed frames, some redirects) and anything unparsable give `None`.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Credentials before the host (`user@host`) are not part of the origin.
    let authority = authority.rsplit('@').next().unwrap_or(authority).to_ascii_lowercase();
    if authority.is_empty() || !matches!(scheme.as_str(), "http" | "https") {
        return None;
    }
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    Some(format!("{scheme}://{authority}"))
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub async fn same_origin_only(State(own): State<OwnOrigin>, req: Request, next: Next) -> Response {
    if !changes_state(req.method()) || app::integration::is_api_path(req.uri().path()) || own.admits(req.headers()) {
        return next.run(req).await;
    }
    tracing::warn!(
        method = %req.method(),
        path = %req.uri().path(),
        origin = ?req.headers().get(header::ORIGIN),
        referer = ?req.headers().get(header::REFERER),
        "refused a state-changing request from another origin"
    );
    refusal(req.headers())
}

fn refusal(headers: &HeaderMap) -> Response {
    let wants_html = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    if !wants_html {
        return AppError::Forbidden.into_response();
    }
    let lang = headers
        .get(header::COOKIE)
        .and_then(|c| c.to_str().ok())
        .and_then(lang_from_cookie_header)
        .unwrap_or_default();
    let page = format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p>{body}</p><p><a href=\"/\">{home}</a></p></main></body></html>",
        code = lang.code(),
        title = tr(lang, "error.forbidden"),
        body = tr(lang, "error.foreign_origin"),
        home = tr(lang, "nav.home"),
    );
    (StatusCode::FORBIDDEN, Html(page)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), v.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_origin_is_scheme_host_and_port_without_a_default_port_or_path() {
        assert_eq!(origin_of("https://Jobs.Example.cn/portal/").as_deref(), Some("https://jobs.example.cn"));
        assert_eq!(origin_of("https://jobs.example.cn:443").as_deref(), Some("https://jobs.example.cn"));
        assert_eq!(origin_of("http://127.0.0.1:3000/login?next=%2F").as_deref(), Some("http://127.0.0.1:3000"));
        assert_eq!(origin_of("http://127.0.0.1:80").as_deref(), Some("http://127.0.0.1"));
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("ftp://example.cn"), None);
        assert_eq!(origin_of("http://"), None);
    }

    #[test]
    fn only_the_own_origin_is_admitted_and_origin_wins_over_referer() {
        let own = OwnOrigin::of_base_url("http://127.0.0.1:3000").unwrap();
        assert!(own.admits(&headers(&[(header::ORIGIN, "http://127.0.0.1:3000")])));
        assert!(own.admits(&headers(&[(header::REFERER, "http://127.0.0.1:3000/signup")])));
        assert!(!own.admits(&headers(&[(header::ORIGIN, "http://127.0.0.1:3001")])));
        assert!(!own.admits(&headers(&[(header::ORIGIN, "https://127.0.0.1:3000")])));
        assert!(!own.admits(&headers(&[(header::ORIGIN, "http://127.0.0.1:3000.evil.example")])));
        assert!(!own.admits(&headers(&[(header::ORIGIN, "null"), (header::REFERER, "http://127.0.0.1:3000/")])));
        assert!(!own.admits(&headers(&[(header::ORIGIN, "https://evil.example"), (header::REFERER, "http://127.0.0.1:3000/")])));
        assert!(!own.admits(&headers(&[(header::REFERER, "https://evil.example/http://127.0.0.1:3000")])));
        assert!(!own.admits(&HeaderMap::new()), "neither header");
    }

    #[test]
    fn reading_is_never_refused() {
        assert!(!changes_state(&Method::GET));
        assert!(!changes_state(&Method::HEAD));
        assert!(changes_state(&Method::POST));
        assert!(changes_state(&Method::DELETE));
    }
}
