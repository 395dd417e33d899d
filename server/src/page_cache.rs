//! Public pages for anonymous visitors, answered from memory.
//!
//! A GET of a public page (the home page, the service descriptions, the vacancy search and
//! each vacancy, job fairs, programmes) that carries no cookie but the language one is
//! rendered once and kept, keyed by its path and query, the language it was rendered in and
//! the `Accept-Encoding` it was compressed for, and replayed as stored (an `If-None-Match` that
//! names its ETag gets 304). A hit touches neither the session store nor the database nor the
//! renderer: this is what lets the search page keep up with a static file.
//!
//! When it goes stale: every request that may change data (anything but GET, HEAD and
//! OPTIONS) moves the cache to a new generation once it has been answered, and an entry
//! serves only the generation it was rendered in, so a page never outlives the write that
//! changed it on this instance. A render that began before a write and ends after it is
//! stored under its old generation and therefore never served. What no request of this
//! instance changes — another instance's writes on a shared PostgreSQL, vacancies passing
//! their expiry date at midnight — is at most [`LIFETIME`] old.
//!
//! A stored page keeps the CSP nonce it was rendered with (its policy header and its script
//! tags agree), so for at most [`LIFETIME`] every visitor of that page sees the same nonce. It
//! was unpredictable when the page was rendered, so nothing stored before the render and nothing
//! in the request that made it can carry it; what a known nonce would help is a script injected
//! later in the browser, and the portal has no such sink (Leptos builds the DOM from nodes, never
//! from strings of user text; the one `inner_html`, a vacancy's JSON-LD, is data, escaped).

use app::i18n::{lang_from_accept_language, lang_from_cookie_header, Lang, LANG_COOKIE};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The longest a page is kept when no write of this instance replaced it.
pub const LIFETIME: Duration = Duration::from_secs(30);
/// Distinct pages kept at most (every search is one); past this, the expired ones go, and if
/// that is not enough, all of them.
const MAX_ENTRIES: usize = 4_096;
/// A public page is a few tens of kilobytes; anything this size is not one.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// The pages kept: the home page and these sections (each with its own pages below it).
const SECTIONS: &[&str] = &["/services", "/vacancies", "/fairs", "/training", "/startup"];

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct Key {
    target: String,
    lang: Lang,
    encoding: String,
}

struct Entry {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    stored: Instant,
    generation: u64,
}

pub struct PageCache {
    entries: RwLock<HashMap<Key, Arc<Entry>>>,
    generation: AtomicU64,
    lifetime: Duration,
}

impl PageCache {
    pub fn new(lifetime: Duration) -> PageCache {
        PageCache { entries: RwLock::new(HashMap::new()), generation: AtomicU64::new(0), lifetime }
    }

    /// Data may have changed: nothing rendered before now is served again.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn get(&self, key: &Key, now: Instant) -> Option<Arc<Entry>> {
        let entry = self.entries.read().expect("page cache lock").get(key).cloned()?;
        self.fresh(&entry, now).then_some(entry)
    }

    fn fresh(&self, entry: &Entry, now: Instant) -> bool {
        entry.generation == self.generation() && now.saturating_duration_since(entry.stored) < self.lifetime
    }

    fn put(&self, key: Key, entry: Entry) {
        if entry.generation != self.generation() {
            return;
        }
        let mut entries = self.entries.write().expect("page cache lock");
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            let now = Instant::now();
            entries.retain(|_, e| self.fresh(e, now));
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, Arc::new(entry));
    }
}

/// The key of a request the cache may answer: a GET of a public page with no cookie but the
/// language one.
fn key_of(request: &Request) -> Option<Key> {
    if request.method() != Method::GET {
        return None;
    }
    let path = request.uri().path();
    if path != "/" && !SECTIONS.iter().any(|s| path.strip_prefix(s).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))) {
        return None;
    }
    let headers = request.headers();
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let cookie = text(header::COOKIE).unwrap_or("");
    let only_language = cookie.split(';').map(str::trim).filter(|c| !c.is_empty()).all(|c| c.split('=').next() == Some(LANG_COOKIE));
    if !only_language || headers.contains_key(header::AUTHORIZATION) {
        return None;
    }
    // The language the page will be rendered in, found the way the renderer finds it.
    let lang = lang_from_cookie_header(cookie).or_else(|| text(header::ACCEPT_LANGUAGE).and_then(lang_from_accept_language)).unwrap_or_default();
    let target = request.uri().path_and_query().map(|pq| pq.as_str()).unwrap_or(path).to_string();
    Some(Key { target, lang, encoding: text(header::ACCEPT_ENCODING).unwrap_or("").trim().to_ascii_lowercase() })
}

/// Whether a rendered answer may be kept: a complete HTML page that starts no session.
fn storable(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && !headers.contains_key(header::SET_COOKIE)
        && headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"))
}

fn replay(entry: &Entry, request_headers: &HeaderMap) -> Response {
    let etag = entry.headers.get(header::ETAG);
    let not_modified = etag.is_some_and(|tag| {
        request_headers.get_all(header::IF_NONE_MATCH).iter().any(|v| v.to_str().is_ok_and(|v| v.split(',').any(|t| t.trim() == tag)))
    });
    let (status, body) = if not_modified { (StatusCode::NOT_MODIFIED, Bytes::new()) } else { (entry.status, entry.body.clone()) };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    *response.headers_mut() = entry.headers.clone();
    if not_modified {
        // As the page's own 304 does (server::headers): the browser keeps the policy that came
        // with the copy it holds.
        response.headers_mut().remove(header::CONTENT_LENGTH);
        response.headers_mut().remove(header::CONTENT_SECURITY_POLICY);
    }
    // Says where the answer came from (the benchmark and the tests read it).
    response.headers_mut().insert(HeaderName::from_static("x-cache"), HeaderValue::from_static("hit"));
    response
}

/// The middleware: answers from the cache, or renders and keeps; moves to a new generation
/// after every request that may write.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let Some(key) = key_of(&request) else {
        let writes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        let response = next.run(request).await;
        if writes {
            cache.invalidate();
        }
        return response;
    };
    if let Some(entry) = cache.get(&key, Instant::now()) {
        return replay(&entry, request.headers());
    }
    let generation = cache.generation();
    let response = next.run(request).await;
    if !storable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let entry = Entry { status: parts.status, headers: parts.headers.clone(), body: body.clone(), stored: Instant::now(), generation };
    cache.put(key, entry);
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(target: &str) -> Key {
        Key { target: target.into(), lang: Lang::ZhCn, encoding: "br".into() }
    }

    fn entry(body: &'static str, generation: u64) -> Entry {
        Entry { status: StatusCode::OK, headers: HeaderMap::new(), body: Bytes::from_static(body.as_bytes()), stored: Instant::now(), generation }
    }

    #[test]
    fn a_kept_page_is_served_until_a_write_moves_the_generation() {
        let cache = PageCache::new(LIFETIME);
        cache.put(key("/vacancies?q=会计"), entry("page", cache.generation()));
        assert_eq!(cache.get(&key("/vacancies?q=会计"), Instant::now()).map(|e| e.body.clone()), Some(Bytes::from_static(b"page")));
        assert!(cache.get(&key("/vacancies?q=软件"), Instant::now()).is_none(), "another query is another page");
        cache.invalidate();
        assert!(cache.get(&key("/vacancies?q=会计"), Instant::now()).is_none(), "a write made it stale");
    }

    #[test]
    fn a_page_rendered_across_a_write_is_never_served() {
        let cache = PageCache::new(LIFETIME);
        let began = cache.generation();
        cache.invalidate(); // a write commits while the page renders
        cache.put(key("/"), entry("old", began));
        assert!(cache.get(&key("/"), Instant::now()).is_none());
    }

    #[test]
    fn a_page_is_kept_no_longer_than_its_lifetime() {
        let cache = PageCache::new(Duration::from_secs(30));
        cache.put(key("/fairs"), entry("fairs", cache.generation()));
        let later = Instant::now() + Duration::from_secs(31);
        assert!(cache.get(&key("/fairs"), Instant::now()).is_some());
        assert!(cache.get(&key("/fairs"), later).is_none());
    }

    #[test]
    fn a_full_cache_makes_room_instead_of_growing() {
        let cache = PageCache::new(LIFETIME);
        for i in 0..MAX_ENTRIES + 10 {
            cache.put(key(&format!("/vacancies?page={i}")), entry("x", cache.generation()));
        }
        assert!(cache.entries.read().unwrap().len() <= MAX_ENTRIES);
    }

    fn request(path: &str, cookie: Option<&str>) -> Request {
        let mut builder = http::Request::builder().uri(path);
        if let Some(c) = cookie {
            builder = builder.header(header::COOKIE, c);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_anonymous_gets_of_public_pages_are_kept() {
        assert!(key_of(&request("/", None)).is_some());
        assert!(key_of(&request("/vacancies/12", Some("lang=en"))).is_some_and(|k| k.lang == Lang::En));
        assert!(key_of(&request("/vacancies?q=x", Some("portal_session=abc"))).is_none(), "a session: not anonymous");
        assert!(key_of(&request("/vacanciesx", None)).is_none());
        assert!(key_of(&request("/my", None)).is_none());
        assert!(key_of(&request("/staff", None)).is_none());
    }
}
