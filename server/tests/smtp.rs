//! Email leaves through a real SMTP conversation: a listener on loopback receives what the
//! worker sends after a sign-up.

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verification_email_reaches_a_real_smtp_listener_in_both_parts() {
    let (sink, port) = SmtpSink::start();
    let app = spawn_app_with(
        Db::Sqlite,
        Options {
            extra: vec![("SMTP_HOST", "127.0.0.1".into()), ("SMTP_TLS", "none".into()), ("SMTP_PORT", port.to_string())],
            worker: true,
        },
    )
    .await;
    app.sign_up_graduate("smtp.reader@example.com", "correct horse battery").await;

    let got = sink.wait_for(1).await;
    assert_eq!(got[0].to, vec!["smtp.reader@example.com".to_string()]);
    let data = &got[0].data;
    assert!(data.contains("text/plain") && data.contains("text/html"), "{data}");
    assert!(data.contains("/verify-email?token="), "{data}");
    let status: String = sqlx::query_scalar("SELECT status FROM outbox").fetch_one(&app.pool).await.unwrap();
    assert_eq!(status, "sent");
}
