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
    let (text, html) = (decoded_part(data, "text/plain"), decoded_part(data, "text/html"));
    let (_, outbox_text) = app.last_mail_to("smtp.reader@example.com").await.unwrap();
    let link = link_in(&outbox_text, "/verify-email?token=");
    assert!(text.contains(&link), "{text}");
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    let status: String = sqlx::query_scalar("SELECT status FROM outbox").fetch_one(&app.pool).await.unwrap();
    assert_eq!(status, "sent");
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
