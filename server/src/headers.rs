//! Headers every response gets, and the caching of pages.
//!
//! * `X-Content-Type-Options: nosniff` on everything.
//! * On HTML: a Content-Security-Policy whose script nonce is made here per response and handed
//!   to the page through the request ([`CspNonce`]), so the hydration script and Leptos's
//!   inline resource scripts carry the same one; `Referrer-Policy: same-origin`; HSTS when the
//!   portal's base URL is https.
//! * Pages are `no-cache` with an ETag of their bytes, and a matching `If-None-Match` gets 304.
//!   The nonce differs in every rendering, so the ETag is taken with the nonce left out; a 304
//!   carries no new policy, so the browser keeps the one that matches the copy it holds.

use app::shared::csp::CspNonce;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderName, HeaderValue};
use http::{Method, StatusCode};
use sha2::{Digest, Sha256};

/// Pages larger than this are passed through unbuffered, without an ETag.
const MAX_BUFFERED_PAGE: usize = 8 * 1024 * 1024;

#[derive(Clone, Copy)]
pub struct SecurityHeaders {
    /// Send HSTS: the portal's base URL is https.
    pub hsts: bool,
}

/// The policy for a page whose scripts carry `nonce`. `wasm-unsafe-eval` lets the page compile
/// the hydrate bundle; nothing else may evaluate strings.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
}

fn fresh_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
    hex::encode(bytes)
}

pub async fn security_headers(State(config): State<SecurityHeaders>, mut request: Request, next: Next) -> Response {
    let nonce = fresh_nonce();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let method = request.method().clone();
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();

    let mut response = next.run(request).await;
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let h = response.headers_mut();
    h.insert(HeaderName::from_static("referrer-policy"), HeaderValue::from_static("same-origin"));
    if config.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    let cacheable = (method == Method::GET || method == Method::HEAD)
        && response.status() == StatusCode::OK
        && !response.headers().contains_key(header::ETAG);
    if cacheable {
        response = with_etag(response, &nonce, if_none_match.as_ref()).await;
    }
    if response.status() != StatusCode::NOT_MODIFIED {
        let csp = HeaderValue::from_str(&content_security_policy(&nonce)).expect("hex nonce is a valid header value");
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

/// Reads the page, tags it, and answers 304 when the client holds the same page.
async fn with_etag(response: Response, nonce: &str, if_none_match: Option<&HeaderValue>) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BUFFERED_PAGE).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!(error = %e, "page not buffered for its ETag");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let etag = page_etag(&bytes, nonce);
    let etag = HeaderValue::from_str(&etag).expect("hex is a valid header value");
    if if_none_match.is_some_and(|v| crate::assets::etag_matches(v, &etag)) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        let h = not_modified.headers_mut();
        for name in [header::CACHE_CONTROL, header::VARY, header::SET_COOKIE, header::X_CONTENT_TYPE_OPTIONS] {
            for value in parts.headers.get_all(&name) {
                h.append(name.clone(), value.clone());
            }
        }
        h.insert(header::ETAG, etag);
        return not_modified;
    }
    parts.headers.insert(header::ETAG, etag);
    Response::from_parts(parts, Body::from(bytes))
}

/// A weak tag (the bytes are sent compressed or not) of the page without its nonce.
pub fn page_etag(page: &[u8], nonce: &str) -> String {
    let mut hasher = Sha256::new();
    let mut rest = page;
    let needle = nonce.as_bytes();
    while let Some(at) = find(rest, needle) {
        hasher.update(&rest[..at]);
        rest = &rest[at + needle.len()..];
    }
    hasher.update(rest);
    format!("W/\"{}\"", hex::encode(&hasher.finalize()[..16]))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_page_rendered_with_two_nonces_has_one_etag() {
        let a = page_etag(b"<script nonce=\"aaaa1111\">x</script><p>hi</p>", "aaaa1111");
        let b = page_etag(b"<script nonce=\"bbbb2222\">x</script><p>hi</p>", "bbbb2222");
        let c = page_etag(b"<script nonce=\"cccc3333\">x</script><p>ho</p>", "cccc3333");
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
