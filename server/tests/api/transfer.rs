//! What goes over the wire to a phone: the hashed bundle precompressed and cached for a year,
//! pages compressed and revalidated by ETag, and the security headers on every page.
//!
//! The site is a small one the test writes (bundle files named by a hash file, with `.br` and
//! `.gz` copies beside them, as `cargo leptos build --release --precompress` leaves them), so
//! what is asserted does not depend on which build ran before the tests.

use crate::support::*;

on_both_databases!(
    the_hashed_bundle_goes_out_precompressed_and_cached_for_a_year,
    pages_are_compressed_revalidated_by_etag_and_carry_the_security_headers
);

struct Site {
    dir: tempfile::TempDir,
}

/// Bytes that stand for a file and its compressed copies: the server sends the copies as they
/// are, so their contents only need to be told apart and smaller.
fn write_site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("site/pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for (name, plain) in [
        ("portal.WASMHASH.wasm", vec![0u8; 4000]),
        ("portal.JSHASH.js", b"export default function init() {}\n".repeat(100)),
        ("portal.CSSHASH.css", b"body { margin: 0 }\n".repeat(100)),
    ] {
        std::fs::write(pkg.join(name), &plain).unwrap();
        std::fs::write(pkg.join(format!("{name}.br")), format!("brotli of {name}")).unwrap();
        std::fs::write(pkg.join(format!("{name}.gz")), format!("gzip of {name}")).unwrap();
    }
    std::fs::write(dir.path().join("site/favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    std::fs::write(dir.path().join("hash.txt"), "js: JSHASH\nwasm: WASMHASH\ncss: CSSHASH\n").unwrap();
    Site { dir }
}

async fn spawn_with_site(db: Db, site: &Site) -> TestApp {
    let root = site.dir.path().join("site").display().to_string();
    let hash_file = site.dir.path().join("hash.txt").display().to_string();
    spawn_app_with(db, Options { extra: vec![("LEPTOS_SITE_ROOT", root), ("LEPTOS_HASH_FILE_NAME", hash_file)], ..Options::default() }).await
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers().get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn the_hashed_bundle_goes_out_precompressed_and_cached_for_a_year(db: Db) {
    let site = write_site();
    let app = spawn_with_site(db, &site).await;

    let page = client().get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("/pkg/portal.JSHASH.js"), "the page loads the hashed script");
    assert!(page.contains("portal.WASMHASH.wasm"), "the page loads the hashed wasm");
    assert!(page.contains("href=\"/pkg/portal.CSSHASH.css\""), "the page links the hashed stylesheet");

    for (path, content_type) in [("/pkg/portal.WASMHASH.wasm", "application/wasm"), ("/pkg/portal.CSSHASH.css", "text/css"), ("/pkg/portal.JSHASH.js", "text/javascript")] {
        let name = path.trim_start_matches("/pkg/");
        let br = client().get(app.url(path)).header("Accept-Encoding", "gzip, deflate, br").send().await.unwrap();
        assert_eq!(br.status(), 200, "{path}");
        assert_eq!(header(&br, "content-encoding"), "br", "{path} in brotli when the browser takes it");
        assert!(header(&br, "content-type").starts_with(content_type), "{path}: {}", header(&br, "content-type"));
        assert_eq!(header(&br, "cache-control"), "public, max-age=31536000, immutable", "{path}");
        assert!(header(&br, "vary").to_lowercase().contains("accept-encoding"), "{path} varies by encoding");
        assert_eq!(header(&br, "x-content-type-options"), "nosniff");
        assert_eq!(br.text().await.unwrap(), format!("brotli of {name}"), "the build's brotli copy is sent");

        let gzip = client().get(app.url(path)).header("Accept-Encoding", "gzip").send().await.unwrap();
        assert_eq!(header(&gzip, "content-encoding"), "gzip", "{path} in gzip when brotli is not offered");
        assert_eq!(gzip.text().await.unwrap(), format!("gzip of {name}"));

        let plain = client().get(app.url(path)).header("Accept-Encoding", "identity").send().await.unwrap();
        assert_eq!(header(&plain, "content-encoding"), "", "{path} plain for a client that takes no compression");
        assert!(plain.bytes().await.unwrap().len() > 1000);
    }

    let favicon = client().get(app.url("/favicon.svg")).send().await.unwrap();
    assert_eq!(favicon.status(), 200);
    assert_eq!(header(&favicon, "cache-control"), "no-cache", "a file without a hash in its name is revalidated");
    let etag = header(&favicon, "etag");
    let again = client().get(app.url("/favicon.svg")).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
}

async fn pages_are_compressed_revalidated_by_etag_and_carry_the_security_headers(db: Db) {
    let site = write_site();
    let app = spawn_with_site(db, &site).await;

    let first = client().get(app.url("/")).header("Accept-Encoding", "br").send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(header(&first, "content-encoding"), "br", "the page is compressed");
    assert!(header(&first, "cache-control").contains("no-cache"), "pages are revalidated on every visit");
    assert_eq!(header(&first, "x-content-type-options"), "nosniff");
    assert_eq!(header(&first, "referrer-policy"), "same-origin");
    assert_eq!(header(&first, "strict-transport-security"), "", "no HSTS on a plain-http base URL");
    let etag = header(&first, "etag");
    assert!(!etag.is_empty(), "the page has a validator");

    let res = client().get(app.url("/")).header("Accept-Encoding", "identity").send().await.unwrap();
    let csp = header(&res, "content-security-policy");
    let html = res.text().await.unwrap();
    for directive in ["frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'", "style-src 'self'", "img-src 'self' data:", "'wasm-unsafe-eval'"] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a script nonce in the policy");
    assert!(nonce.len() >= 16, "the nonce is not guessable: {nonce}");
    let scripts = html.matches("<script").count();
    assert!(scripts > 0, "the page has its hydration script");
    assert_eq!(html.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "every script carries the policy's nonce");

    // A visitor's page is kept for a few seconds with its nonce (server::page_cache); every
    // render has its own.
    let other = client().get(app.url("/?again")).send().await.unwrap();
    assert_ne!(header(&other, "content-security-policy"), csp, "a new nonce for every render");

    let unchanged = client().get(app.url("/")).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(unchanged.status(), 304, "the same page again is not sent again");
    assert_eq!(header(&unchanged, "content-security-policy"), "", "the browser keeps the policy that matches its copy");
    assert!(unchanged.text().await.unwrap().is_empty());

    let english = client().get(app.url("/")).header("Accept-Language", "en").header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(english.status(), 200, "a different page (here: another language) is sent in full");

    let https = spawn_app_with(db, Options { extra: vec![("PORTAL_BASE_URL", "https://jobs.example.cn".into())], ..Options::default() }).await;
    let res = client().get(https.url("/")).send().await.unwrap();
    assert!(header(&res, "strict-transport-security").starts_with("max-age="), "HSTS when the portal is served over https");
}
