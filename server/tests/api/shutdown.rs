//! The real binary stopped with a real SIGTERM while a request is half sent and an email is
//! halfway through a slow SMTP server.

use crate::support::{fresh_postgres_database, Db, SmtpSink, PASSWORD};
use sqlx::AnyPool;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use std::process::{Child, Command, ExitStatus};

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `server serve` on `port` against `database_url`, delivering to the SMTP listener on
/// `smtp_port` every `poll_ms`, and waits until it answers `/readyz`.
async fn start_server(database_url: &str, data_dir: &std::path::Path, port: u16, smtp_port: u16, poll_ms: u64) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("PORTAL_DATA_DIR", data_dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", "../target/site")
        .env("PORTAL_MAIL_POLL_MS", poll_ms.to_string())
        .env("SMTP_HOST", "127.0.0.1")
        .env("SMTP_PORT", smtp_port.to_string())
        .env("SMTP_TLS", "none")
        .env_remove("PORTAL_BASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let child = Server(child);
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client.get(format!("http://127.0.0.1:{port}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready on port {port}");
}

fn signup_body(email: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("role", "graduate"), ("display_name", "李明"), ("email", email), ("password", PASSWORD), ("password_confirm", PASSWORD), ("consent", "on")])
        .finish()
}

async fn sign_up(port: u16, email: &str) {
    let base = format!("http://127.0.0.1:{port}");
    let res = reqwest::Client::new()
        .post(format!("{base}/api/signup"))
        .header("Origin", &base)
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(signup_body(email))
        .send()
        .await
        .expect("sign-up answered");
    assert!(res.status().is_success(), "sign-up of {email}: {}", res.status());
}

/// The server process, killed if a failed assertion leaves it running.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Server {
    fn sigterm(&self) {
        let status = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status().expect("kill runs");
        assert!(status.success());
    }

    async fn exited_within(&mut self, limit: Duration) -> ExitStatus {
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = self.0.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < limit, "the server was still running {limit:?} after SIGTERM");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// SIGTERM while a sign-up's body is still arriving and the first email sits in a slow SMTP
/// server: the sign-up finishes and is saved, a new connection is refused, the email being sent
/// is delivered and recorded as sent, the others are left queued and unclaimed, and the next
/// start delivers them; no message arrives twice.
async fn sigterm_finishes_the_request_in_flight_refuses_new_ones_and_leaves_no_claimed_message(db: Db) {
    let data_dir = tempfile::tempdir().unwrap();
    let database_url = match db {
        Db::Sqlite => format!("sqlite://{}", data_dir.path().join("portal.db").display()),
        Db::Postgres => fresh_postgres_database().await,
    };
    let (slow_smtp, slow_port) = SmtpSink::start_slow(Duration::from_secs(3));
    let port = free_port();
    // The worker looks for mail at start and then every 4 s: both sign-ups' emails are due at
    // its second look, so it claims them together and is stopped with one still to send.
    let mut server = start_server(&database_url, data_dir.path(), port, slow_port, 4000).await;

    for n in 1..=2 {
        sign_up(port, &format!("early{n}@example.cn")).await;
    }
    slow_smtp.wait_until_begun(1).await;

    // Headers and half the body of a third sign-up, then SIGTERM.
    let body = signup_body("inflight@example.cn");
    let (first, rest) = body.split_at(body.len() / 2);
    let mut slow = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head = format!(
        "POST /api/signup HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.sigterm();
    tokio::time::sleep(Duration::from_millis(500)).await;

    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err(), "a new connection is refused once stopping");

    slow.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(10), slow.read_to_string(&mut answer)).await.expect("answered in time").unwrap();
    let status_line = answer.lines().next().unwrap_or_default().to_string();
    assert!(status_line.starts_with("HTTP/1.1 2") || status_line.starts_with("HTTP/1.1 3"), "the request in flight got {status_line:?}");

    let exit = server.exited_within(Duration::from_secs(20)).await;
    assert!(exit.success(), "the server exits cleanly: {exit}");

    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&database_url).await.unwrap();
    let saved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = 'inflight@example.cn'").fetch_one(&pool).await.unwrap();
    assert_eq!(saved, 1, "the sign-up that was in flight is saved");
    let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").fetch_one(&pool).await.unwrap();
    let received = slow_smtp.wait_for(1).await.len() as i64;
    assert_eq!(sent, received, "what the SMTP server accepted is what the outbox records as sent");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND claim_token IS NULL AND claimed_until IS NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(&pool).await.unwrap();
    assert_eq!(total, 3, "one verification email per sign-up");
    assert_eq!(sent + left, total, "every message is either sent or queued and free to take, none held by a stopped worker");
    pool.close().await;

    // The next start delivers the rest, and nothing twice.
    let (fast_smtp, fast_port) = SmtpSink::start();
    let mut again = start_server(&database_url, data_dir.path(), free_port(), fast_port, 50).await;
    let rest = fast_smtp.wait_for(left as usize).await;
    let mut to: Vec<String> =
        slow_smtp.wait_for(1).await.into_iter().chain(rest).flat_map(|m| m.to).map(|a| a.trim_matches(['<', '>']).to_string()).collect();
    to.sort();
    assert_eq!(to, ["early1@example.cn", "early2@example.cn", "inflight@example.cn"]);
    again.sigterm();
    assert!(again.exited_within(Duration::from_secs(20)).await.success());
}

on_both_databases!(sigterm_finishes_the_request_in_flight_refuses_new_ones_and_leaves_no_claimed_message);
