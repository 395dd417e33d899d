//! The outbox and its worker: files when no SMTP server is configured, retries with backoff,
//! no double delivery between workers, and a real SMTP conversation with a listener on
//! loopback.

use crate::support::*;
use app::account::Role;
use app::i18n::Lang;
use app::mail::ssr::{enqueue, Mail};
use app::mail::OutboxSummary;

on_both_databases!(
    the_worker_writes_eml_files_when_no_smtp_server_is_configured,
    the_worker_retries_with_backoff_then_gives_up_and_admins_see_it,
    two_workers_never_deliver_the_same_message,
    a_delivered_link_to_sign_in_or_reset_leaves_the_outbox_and_a_notice_stays,
);

async fn the_worker_writes_eml_files_when_no_smtp_server_is_configured(db: Db) {
    let app = spawn_app(db).await;
    app.sign_up_graduate("files@example.com", PASSWORD).await;
    let dir = app.data_dir.path().join("mail");
    let mut found = None;
    for _ in 0..100 {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            found = entries.filter_map(Result::ok).map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == "eml"));
            if found.is_some() {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let eml = std::fs::read_to_string(found.expect("an .eml file")).unwrap();
    assert!(eml.contains("To: files@example.com"), "{eml}");
    assert!(eml.contains("multipart/alternative"));
    let status: String = sqlx::query_scalar("SELECT status FROM outbox").fetch_one(&app.pool).await.unwrap();
    assert_eq!(status, "sent");
}

async fn the_worker_retries_with_backoff_then_gives_up_and_admins_see_it(db: Db) {
    // An SMTP port where nothing listens: every attempt fails.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = spawn_app_with(db, Options { worker: false, extra: smtp_settings(closed) }).await;
    app.sign_up_graduate("unlucky@example.com", PASSWORD).await;
    let transport = server::worker::transport(&server_config_with_smtp(closed)).unwrap();
    let from: lettre::message::Mailbox = "Portal <no-reply@example.com>".parse().unwrap();

    let sent = app::mail::ssr::deliver_due(&app.pool, &transport, &from, 10).await.unwrap();
    assert_eq!(sent, 0);
    let (attempts, status, next, created): (i64, String, i64, i64) =
        sqlx::query_as("SELECT attempts, status, next_attempt_at, created_at FROM outbox").fetch_one(&app.pool).await.unwrap();
    assert_eq!((attempts, status.as_str()), (1, "pending"));
    assert!(next >= created + 30, "waits before the next try");
    // Not due yet: a second pass does nothing.
    app::mail::ssr::deliver_due(&app.pool, &transport, &from, 10).await.unwrap();
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox").fetch_one(&app.pool).await.unwrap();
    assert_eq!(attempts, 1);

    // The last allowed attempt fails too: the message is given up and shows on the admin page.
    sqlx::query("UPDATE outbox SET attempts = $1, next_attempt_at = 0").bind(app::mail::ssr::MAX_ATTEMPTS - 1).execute(&app.pool).await.unwrap();
    app::mail::ssr::deliver_due(&app.pool, &transport, &from, 10).await.unwrap();
    let status: String = sqlx::query_scalar("SELECT status FROM outbox").fetch_one(&app.pool).await.unwrap();
    assert_eq!(status, "failed");
    app.create_user("boss@example.com", PASSWORD, Role::Admin).await;
    app.log_in("boss@example.com", PASSWORD).await;
    let summary: OutboxSummary = app.fetch("admin/outbox", &[]).await;
    assert_eq!((summary.pending, summary.failed), (0, 1));
    let [failure] = summary.failures.as_slice() else { panic!("one failure listed: {summary:?}") };
    assert_eq!(failure.to_addr, "unlucky@example.com");
    assert_eq!(failure.attempts, app::mail::ssr::MAX_ATTEMPTS);
    assert!(!failure.last_error.is_empty());
    assert_eq!(app.call("admin/retry_mail", &[("id", &failure.id.to_string())]).await.status(), 200);
    let status: String = sqlx::query_scalar("SELECT status FROM outbox").fetch_one(&app.pool).await.unwrap();
    assert_eq!(status, "pending");
}

/// Server settings that send through plain SMTP on a loopback port.
fn smtp_settings(port: u16) -> Vec<(&'static str, String)> {
    vec![("SMTP_HOST", "127.0.0.1".into()), ("SMTP_TLS", "none".into()), ("SMTP_PORT", port.to_string())]
}

fn server_config_with_smtp(port: u16) -> server::config::Config {
    let vars: std::collections::HashMap<&str, String> = smtp_settings(port).into_iter().collect();
    server::config::Config::from_lookup(|k| vars.get(k).cloned()).unwrap()
}

async fn two_workers_never_deliver_the_same_message(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    // Written straight into the outbox: forty sign-ups from one address would be throttled.
    let mut conn = app.pool.acquire().await.unwrap();
    for i in 0..40 {
        let mail = Mail::EmployerRejected { name: format!("联系人{i}"), organisation: "单位".into(), reason: "代码不符".into() };
        enqueue(&mut conn, &format!("many{i}@example.com"), Lang::ZhCn, &mail).await.unwrap();
    }
    drop(conn);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (ta, tb) = (app::mail::ssr::Transport::Files(a.path().into()), app::mail::ssr::Transport::Files(b.path().into()));
    let from: lettre::message::Mailbox = "Portal <no-reply@example.com>".parse().unwrap();
    let (pa, pb) = (app.pool.clone(), app.pool.clone());
    let (fa, fb) = (from.clone(), from.clone());
    let worker_a = tokio::spawn(async move {
        let mut n = 0;
        for _ in 0..10 {
            n += app::mail::ssr::deliver_due(&pa, &ta, &fa, 3).await.unwrap();
        }
        n
    });
    let worker_b = tokio::spawn(async move {
        let mut n = 0;
        for _ in 0..10 {
            n += app::mail::ssr::deliver_due(&pb, &tb, &fb, 3).await.unwrap();
        }
        n
    });
    let (na, nb) = (worker_a.await.unwrap(), worker_b.await.unwrap());
    assert_eq!(na + nb, 40, "each message delivered exactly once ({na} + {nb})");
    let names = |d: &tempfile::TempDir| -> std::collections::HashSet<String> {
        std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
    };
    assert!(names(&a).is_disjoint(&names(&b)));
    assert_eq!(names(&a).len() + names(&b).len(), 40);
}

// Email leaves through a real SMTP conversation: a listener on loopback receives what the
// worker sends after a sign-up. One database is enough: the delivery path is the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verification_email_reaches_a_real_smtp_listener_in_both_parts() {
    let (sink, port) = SmtpSink::start();
    let app = spawn_app_with(Db::Sqlite, Options { extra: smtp_settings(port), worker: true }).await;
    app.sign_up_graduate("smtp.reader@example.com", PASSWORD).await;

    let got = sink.wait_for(1).await;
    assert_eq!(got[0].to, vec!["smtp.reader@example.com".to_string()]);
    assert!(got[0].from.contains("no-reply@localhost"), "the envelope sender is PORTAL_MAIL_FROM's default: {}", got[0].from);
    let data = &got[0].data;
    assert!(data.contains("text/plain") && data.contains("text/html"), "{data}");
    let (text, html) = (decoded_part(data, "text/plain"), decoded_part(data, "text/html"));
    let link = link_in(&text, "/verify-email?token=");
    assert!(link.starts_with(&app.base), "{link}");
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    // Delivered, the link is gone from the outbox (the status may trail the listener a moment).
    for _ in 0..100 {
        let (status, outbox_text): (String, String) = sqlx::query_as("SELECT status, body_text FROM outbox").fetch_one(&app.pool).await.unwrap();
        if status == "sent" {
            assert_eq!(outbox_text, "");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the message was never marked sent");
}

async fn a_delivered_link_to_sign_in_or_reset_leaves_the_outbox_and_a_notice_stays(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    app.sign_up_graduate("new.person@example.com", PASSWORD).await;
    app.create_user("old.hand@example.com", PASSWORD, Role::Graduate).await;
    app.call("forgot_password", &[("email", "old.hand@example.com")]).await;
    // Someone signs up with a taken address: the owner gets a notice with ordinary links only.
    app.sign_up_graduate("old.hand@example.com", "another password").await;
    let bodies = |to: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (String, String, String, String)>("SELECT subject, body_text, body_html, status FROM outbox WHERE to_addr = $1 ORDER BY id")
                .bind(to)
                .fetch_all(&pool)
                .await
                .unwrap()
        }
    };
    assert!(bodies("new.person@example.com").await[0].1.contains("/verify-email?token="), "pending: the link waits to be sent");

    let dir = tempfile::tempdir().unwrap();
    let transport = app::mail::ssr::Transport::Files(dir.path().into());
    let from: lettre::message::Mailbox = "Portal <no-reply@example.com>".parse().unwrap();
    assert_eq!(app::mail::ssr::deliver_due(&app.pool, &transport, &from, 10).await.unwrap(), 3);

    let [verify] = bodies("new.person@example.com").await.try_into().unwrap();
    let [reset, notice] = bodies("old.hand@example.com").await.try_into().unwrap();
    for (subject, text, html, status) in [&verify, &reset] {
        assert_eq!(status, "sent");
        assert!(!subject.is_empty(), "the record stays");
        assert_eq!((text.as_str(), html.as_str()), ("", ""), "{subject}: the body with its link is erased");
    }
    let (_, text, html, status) = &notice;
    assert_eq!(status, "sent");
    assert!(text.contains("/forgot-password") && html.contains("/forgot-password"), "an ordinary message keeps its body");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3, "all three were delivered whole");
}

/// The decoded body of the MIME part with this content type.
fn decoded_part(message: &str, content_type: &str) -> String {
    use base64::Engine;
    for part in message.split("\r\n--") {
        let Some((headers, body)) = part.split_once("\r\n\r\n") else { continue };
        if !headers.to_ascii_lowercase().contains(&format!("content-type: {content_type}")) {
            continue;
        }
        let body = body.split("\r\n--").next().unwrap_or(body);
        if headers.to_ascii_lowercase().contains("base64") {
            let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD.decode(compact).expect("base64 body");
            return String::from_utf8(bytes).expect("utf-8 body");
        }
        return body.to_string();
    }
    panic!("no {content_type} part in:\n{message}");
}
