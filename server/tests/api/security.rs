//! What protects the portal as a whole: state-changing requests only from the portal's own
//! pages (no login CSRF), and no new key over data sealed with a lost one.

use crate::applications::{graduate, resident_id, save_profile, upload, PNG};
use crate::support::*;
use app::account::Role;
use app::error::AppError;

on_both_databases!(
    posts_from_another_site_or_from_nowhere_are_refused_before_any_session_starts,
    the_server_will_not_start_with_a_new_key_over_sealed_profiles,
    behind_a_trusted_proxy_each_forwarded_client_is_throttled_on_its_own,
    from_an_untrusted_peer_x_forwarded_for_is_ignored,
);

/// Asks for a password reset as if through a proxy that forwarded for `client_address`.
async fn reset_request_for(app: &TestApp, client_address: &str) -> reqwest::Response {
    app.post_from_portal(&client(), "/api/forgot_password")
        .header("Accept", "application/json")
        .header("X-Forwarded-For", format!("6.6.6.6, {client_address}"))
        .form(&[("email", "nobody@example.com")])
        .send()
        .await
        .unwrap()
}

async fn behind_a_trusted_proxy_each_forwarded_client_is_throttled_on_its_own(db: Db) {
    use app::account::ssr::RESET_REQUESTS_PER_ADDRESS_PER_HOUR;
    // The test client is the proxy: it connects from loopback.
    let options = Options { extra: vec![("PORTAL_TRUSTED_PROXIES", "127.0.0.1/32, ::1".into())], ..Options::without_worker() };
    let app = spawn_app_with(db, options).await;
    for i in 0..RESET_REQUESTS_PER_ADDRESS_PER_HOUR {
        assert_eq!(reset_request_for(&app, "198.51.100.7").await.status(), 200, "request {i}");
    }
    let res = reset_request_for(&app, "198.51.100.7").await;
    assert!(matches!(app_error(res).await, AppError::TooManyAttempts { .. }), "the forwarded client has used its allowance");
    // Another client behind the same proxy is not held back; the entry the client wrote itself
    // (6.6.6.6, left of the proxy's) is not what counts.
    assert_eq!(reset_request_for(&app, "198.51.100.8").await.status(), 200);
    // IPv6 clients count per /64: another address in the same /64 is the same client.
    for i in 0..RESET_REQUESTS_PER_ADDRESS_PER_HOUR {
        assert_eq!(reset_request_for(&app, &format!("2001:db8:1:2::{}", i + 1)).await.status(), 200, "request {i}");
    }
    let res = reset_request_for(&app, "2001:db8:1:2:ffff::9").await;
    assert!(matches!(app_error(res).await, AppError::TooManyAttempts { .. }), "the same /64");
    assert_eq!(reset_request_for(&app, "2001:db8:1:3::1").await.status(), 200, "another /64");
    // The audit log names the forwarded client, not the proxy.
    app.create_user("known@example.com", PASSWORD, Role::Graduate).await;
    let res = app
        .post_from_portal(&client(), "/api/forgot_password")
        .header("Accept", "application/json")
        .header("X-Forwarded-For", "203.0.113.50")
        .form(&[("email", "known@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let address: String = sqlx::query_scalar("SELECT address FROM audit_log WHERE action = 'account:reset_requested'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(address, "203.0.113.50");
}

async fn from_an_untrusted_peer_x_forwarded_for_is_ignored(db: Db) {
    use app::account::ssr::RESET_REQUESTS_PER_ADDRESS_PER_HOUR;
    // Nothing trusted (the default): a client cannot pick a fresh address per request.
    let app = spawn_app_with(db, Options::without_worker()).await;
    for i in 0..RESET_REQUESTS_PER_ADDRESS_PER_HOUR {
        assert_eq!(reset_request_for(&app, &format!("198.51.100.{i}")).await.status(), 200, "request {i}");
    }
    let res = reset_request_for(&app, "198.51.100.200").await;
    assert!(matches!(app_error(res).await, AppError::TooManyAttempts { .. }), "all counted against the peer");
}

/// Whether the answer sets the session cookie.
fn sets_session_cookie(res: &reqwest::Response) -> bool {
    res.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).any(|v| v.starts_with("portal_session="))
}

async fn posts_from_another_site_or_from_nowhere_are_refused_before_any_session_starts(db: Db) {
    let app = spawn_app(db).await;
    app.create_user("victim@example.com", PASSWORD, Role::Graduate).await;
    let login = [("email", "victim@example.com"), ("password", PASSWORD)];
    let c = client();

    // A page on another site posts the sign-in form (login CSRF), as a script and as a form.
    let post = |origin: Option<&str>, referer: Option<&str>, accept: &str| {
        let mut req = c.post(app.url("/api/login")).header("Accept", accept.to_string()).form(&login);
        if let Some(origin) = origin {
            req = req.header("Origin", origin.to_string());
        }
        if let Some(referer) = referer {
            req = req.header("Referer", referer.to_string());
        }
        req.send()
    };
    let refused = [
        (Some("https://evil.example"), None, "foreign origin"),
        (Some("https://evil.example"), Some(app.url("/login")), "foreign origin, own referer"),
        (Some("null"), None, "opaque origin"),
        (None, Some("https://evil.example/login".to_string()), "no origin, foreign referer"),
        (None, None, "neither header"),
    ];
    for (origin, referer, what) in &refused {
        let res = post(*origin, referer.as_deref(), "application/json").await.unwrap();
        assert!(!sets_session_cookie(&res), "{what}: no session is started");
        assert_eq!(res.status(), 403, "{what}");
        assert_eq!(app_error(res).await, AppError::Forbidden, "{what}");
    }
    let res = post(Some("https://evil.example"), None, "text/html,application/xhtml+xml").await.unwrap();
    assert_eq!(res.status(), 403, "a plain form post from another site");
    assert!(!sets_session_cookie(&res));
    let page = res.text().await.unwrap();
    assert!(page.contains("该表单来自其他网站"), "a page that says why: {page}");
    assert_eq!(app.me_as(&c).await, None, "nobody was signed in");
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.pool).await.unwrap();
    assert_eq!(sessions, 0, "no session was stored");

    // The same forms from the portal's own pages work, with JavaScript (Origin) and without it
    // (a browser sends Origin too; an older one only Referer).
    let own = app.base.clone();
    let res = post(Some(&own), None, "application/json").await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(sets_session_cookie(&res));
    let res = post(None, Some(&app.url("/login")), "application/json").await.unwrap();
    assert_eq!(res.status(), 200, "Referer alone names the portal");
    let res = app.post_plain("login", "/login", &login).await;
    assert_eq!(res.status(), 302, "a form without JavaScript from the sign-in page");

    // Other state-changing routes are guarded the same way: sign-up and the upload form.
    let signup = [("role", "graduate"), ("display_name", "李明"), ("email", "forged@example.com"), ("password", PASSWORD), ("password_confirm", PASSWORD), ("consent", "on")];
    let res = c.post(app.url("/api/signup")).header("Origin", "https://evil.example").form(&signup).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = 'forged@example.com'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(users, 0);
    let (g, user_id) = graduate(&app, "uploader@example.com").await;
    let part = reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("scan.png");
    let res = g
        .post(app.url("/uploads/id_card"))
        .header("Origin", "https://evil.example")
        .header("Accept", "application/json")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(app_error(res).await, AppError::Forbidden);
    let uploads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads WHERE owner_id = $1").bind(user_id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(uploads, 0);
    assert_eq!(upload(&app, &g, "id_card", "scan.png", PNG.to_vec()).await.status(), 303, "from the profile page it works");

    // Reading needs no Origin: pages and health checks are GETs.
    let res = reqwest::Client::new().get(app.url("/login")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

async fn the_server_will_not_start_with_a_new_key_over_sealed_profiles(db: Db) {
    let app = spawn_app(db).await;
    let key_file = app.data_dir.path().join("secret.key");
    let key = std::fs::read_to_string(&key_file).expect("a key was generated on first start");

    // Without sealed data a lost key is harmless: the server starts again with the same one or
    // a new one alike.
    let (c, _) = graduate(&app, "sealed@example.com").await;
    server::build(app.config()).await.expect("the key file is there: the server starts");
    assert_eq!(save_profile(&app, &c, &resident_id(7)).await.status(), 200);

    std::fs::remove_file(&key_file).unwrap();
    let error = match server::build(app.config()).await {
        Ok(_) => panic!("the server started with a new key over sealed profiles"),
        Err(e) => format!("{e:#}"),
    };
    assert!(error.contains("secret key is missing"), "{error}");
    assert!(error.contains(&key_file.display().to_string()), "names the file: {error}");
    assert!(error.contains("1 profile"), "says what is at stake: {error}");
    assert!(!key_file.exists(), "no new key was written");

    // Restoring the key is the cure.
    std::fs::write(&key_file, key).unwrap();
    server::build(app.config()).await.expect("with the key restored the server starts");
}
