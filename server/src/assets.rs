//! The site's static files (the hydrate JS and wasm, the stylesheet, the favicon), served from
//! memory.
//!
//! Every file under the site root is read once at start-up, with the `.br` and `.gz` copies the
//! release build writes beside it (`cargo leptos build --release --precompress`), so a request
//! costs a map lookup: no file system call and no blocking thread (tower-http's `ServeDir`
//! hands each request to the blocking pool). The encoding follows `Accept-Encoding`: brotli,
//! else gzip, else the plain bytes; a copy that came out no smaller is not kept.
//!
//! Files whose names carry the build's content hash (`portal.<hash>.wasm`, listed in the hash
//! file cargo-leptos writes) never change under their name and are cached for a year; the
//! others are revalidated with their ETag.

use axum::body::{Body, Bytes};
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, StatusCode};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

struct Asset {
    plain: Bytes,
    br: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: HeaderValue,
    etag: HeaderValue,
    cache_control: &'static str,
}

/// The files under the site root by URL path (`/pkg/portal.<hash>.wasm`).
#[derive(Clone, Default)]
pub struct Assets(Arc<HashMap<String, Asset>>);

/// The hashed names cargo-leptos gave the bundle (`hash.txt`: `js: <hash>`, `wasm: …`, `css: …`).
pub fn hashed_names(hash_file: &str, output_name: &str, pkg_dir: &str) -> HashSet<String> {
    hash_file
        .lines()
        .filter_map(|line| line.split_once(':'))
        .filter(|(ext, _)| matches!(ext.trim(), "js" | "wasm" | "css"))
        .map(|(ext, hash)| format!("/{pkg_dir}/{output_name}.{}.{}", hash.trim(), ext.trim()))
        .collect()
}

impl Assets {
    /// Reads every file under `root`. A missing root is an empty site (the API still serves).
    pub fn load(root: &Path, immutable: &HashSet<String>) -> std::io::Result<Assets> {
        let mut files = Vec::new();
        if root.is_dir() {
            walk(root, &mut files)?;
        }
        let mut map = HashMap::new();
        for path in &files {
            let name = path.to_string_lossy();
            if name.ends_with(".br") || name.ends_with(".gz") {
                continue;
            }
            let Ok(relative) = path.strip_prefix(root) else { continue };
            let url = format!("/{}", relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            let plain = Bytes::from(std::fs::read(path)?);
            // No freshness check against the file: cargo-leptos empties the site before every
            // build, and copying a site (cp, rsync) does not keep the order of modification times.
            let sibling = |suffix: &str| -> Option<Bytes> {
                let bytes = std::fs::read(format!("{name}.{suffix}")).ok()?;
                (bytes.len() < plain.len()).then(|| Bytes::from(bytes))
            };
            let content_type = mime_guess::from_path(path).first_raw().map(content_type_of).unwrap_or("application/octet-stream");
            let digest = Sha256::digest(&plain);
            let etag = format!("\"{}\"", hex::encode(&digest[..16]));
            let asset = Asset {
                br: sibling("br"),
                gzip: sibling("gz"),
                content_type: HeaderValue::from_static(content_type),
                etag: HeaderValue::from_str(&etag).expect("hex is a valid header value"),
                cache_control: if immutable.contains(&url) { IMMUTABLE } else { REVALIDATE },
                plain,
            };
            map.insert(url, asset);
        }
        Ok(Assets(Arc::new(map)))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }

    /// The file at `path` in the best encoding the client accepts, or `None` when there is none.
    pub fn respond(&self, method: &Method, path: &str, headers: &HeaderMap) -> Option<Response> {
        if method != Method::GET && method != Method::HEAD {
            return None;
        }
        let asset = self.0.get(path)?;
        let mut response = if headers.get(header::IF_NONE_MATCH).is_some_and(|v| etag_matches(v, &asset.etag)) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let accepted = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
            let (body, encoding) = match (&asset.br, &asset.gzip) {
                (Some(br), _) if accepts(accepted, "br") => (br.clone(), Some("br")),
                (_, Some(gzip)) if accepts(accepted, "gzip") => (gzip.clone(), Some("gzip")),
                _ => (asset.plain.clone(), None),
            };
            let length = body.len();
            let mut response = if method == Method::HEAD { Response::new(Body::empty()) } else { Response::new(Body::from(body)) };
            let h = response.headers_mut();
            h.insert(header::CONTENT_TYPE, asset.content_type.clone());
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            if let Some(encoding) = encoding {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let h = response.headers_mut();
        h.insert(header::ETAG, asset.etag.clone());
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(asset.cache_control));
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        Some(response)
    }
}

/// Middleware: the file at the request's path from memory, else the rest of the portal.
pub async fn static_files_first(
    axum::extract::State(assets): axum::extract::State<Assets>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match assets.respond(request.method(), request.uri().path(), request.headers()) {
        Some(response) => response,
        None => next.run(request).await,
    }
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Text types carry their charset; JavaScript by its current name.
fn content_type_of(mime: &str) -> &'static str {
    match mime {
        "application/javascript" | "text/javascript" => "text/javascript; charset=utf-8",
        "text/css" => "text/css; charset=utf-8",
        "application/wasm" => "application/wasm",
        "image/svg+xml" => "image/svg+xml",
        "image/png" => "image/png",
        "image/x-icon" | "image/vnd.microsoft.icon" => "image/x-icon",
        "application/json" => "application/json",
        "text/plain" => "text/plain; charset=utf-8",
        "text/html" => "text/html; charset=utf-8",
        "font/woff2" => "font/woff2",
        "application/manifest+json" => "application/manifest+json",
        "text/xml" | "application/xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// Whether `Accept-Encoding` names `coding` (or `*`) without `q=0`.
pub fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let refused = parts.any(|p| {
            let p = p.trim();
            p.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().map(|q| q <= 0.0).unwrap_or(false))
        });
        (name.eq_ignore_ascii_case(coding) || name == "*") && !refused
    })
}

/// `If-None-Match` as a list of tags, weak or strong (the comparison is weak, RFC 9110 13.1.2).
pub fn etag_matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(list) = if_none_match.to_str() else { return false };
    let Ok(tag) = etag.to_str() else { return false };
    let strip = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let tag = strip(tag);
    list.split(',').any(|candidate| candidate.trim() == "*" || strip(candidate) == tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_honours_q_zero_and_the_wildcard() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(accepts("*", "gzip"));
        assert!(!accepts("identity", "gzip"));
        assert!(!accepts("", "gzip"));
    }

    #[test]
    fn if_none_match_compares_weakly_and_in_lists() {
        let etag = HeaderValue::from_static("W/\"abc\"");
        assert!(etag_matches(&HeaderValue::from_static("\"abc\""), &etag));
        assert!(etag_matches(&HeaderValue::from_static("\"x\", W/\"abc\""), &etag));
        assert!(!etag_matches(&HeaderValue::from_static("\"abd\""), &etag));
    }

    #[test]
    fn the_hash_file_names_the_three_hashed_bundle_files() {
        let names = hashed_names("js: AAA\nwasm: BBB\ncss: CCC\nmanifest: DDD\n", "portal", "pkg");
        let mut names: Vec<_> = names.into_iter().collect();
        names.sort();
        assert_eq!(names, ["/pkg/portal.AAA.js", "/pkg/portal.BBB.wasm", "/pkg/portal.CCC.css"]);
    }
}
