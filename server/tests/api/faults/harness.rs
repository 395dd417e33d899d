//! What the fault checks share: the server binary as a child process, the SMTP listener's
//! tally, the outbox by status, cookies set by hand.

use crate::support::*;
use app::account::Me;
use app::error::AppError;
use app::i18n::Lang;
use app::mail::ssr::{enqueue, Mail};
use std::collections::{BTreeMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A loopback port nobody listens on right now.
pub(super) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts a check's lines on a line of their own (the test harness has just printed its name).
pub(super) fn begin(check: &str, what: &str) {
    println!();
    say(check, what);
}

pub(super) fn say(check: &str, what: impl AsRef<str>) {
    println!("[faults] {check}: {}", what.as_ref());
}

/// The server binary serving the arranged app's database and data directory on a port of its
/// own; killed if a failed assertion leaves it running.
pub(super) struct Portal {
    child: Child,
    pub(super) base: String,
    log: std::path::PathBuf,
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Portal {
    /// Starts `server serve` with the app's database and data directory and `env` on top, and
    /// waits until it answers `/readyz`.
    pub(super) async fn start(app: &TestApp, env: &[(&str, String)]) -> Portal {
        let port = free_port();
        let log = app.data_dir.path().join(format!("server-{port}.log"));
        // scripts/faults.sh --release names the release binary; the checks themselves need no
        // optimising.
        let binary = std::env::var("FAULTS_SERVER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_server").to_string());
        let mut cmd = Command::new(binary);
        cmd.arg("serve");
        for unset in ["PORTAL_BASE_URL", "SMTP_HOST", "SMTP_PORT", "SMTP_TLS", "SMTP_USERNAME", "SMTP_PASSWORD", "PORTAL_TRUSTED_PROXIES", "PORTAL_SECRET_KEY"] {
            cmd.env_remove(unset);
        }
        cmd.env("DATABASE_URL", &app.vars["DATABASE_URL"])
            .env("PORTAL_DATA_DIR", app.data_dir.path())
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", "../target/site")
            .env("PORTAL_MAIL_POLL_MS", "100")
            .env("RUST_LOG", "warn");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = std::fs::File::create(&log).unwrap();
        let child = cmd.stdout(Stdio::null()).stderr(out).spawn().expect("the server binary starts");
        let portal = Portal { child, base: format!("http://127.0.0.1:{port}"), log };
        let c = reqwest::Client::new();
        for _ in 0..400 {
            if c.get(portal.url("/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
                return portal;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not become ready on port {port}:\n{}", std::fs::read_to_string(&portal.log).unwrap_or_default());
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(super) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, sent while others may be using the server: no handler runs, nothing is
    /// flushed or handed back.
    pub(super) fn kill_9(&self) {
        let status = Command::new("kill").args(["-KILL", &self.pid().to_string()]).status().expect("kill runs");
        assert!(status.success());
    }

    /// Collects a killed process, so the next start does not race a dying one.
    pub(super) fn reap(&mut self) {
        let _ = self.child.wait();
    }

    /// A server function called as the hydrated page calls it; `Err` when no answer came.
    pub(super) async fn call(&self, c: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Result<reqwest::Response> {
        self.post(c, endpoint, form, None).await
    }

    /// The same, as if a trusted proxy forwarded it for `client_address`.
    pub(super) async fn post(&self, c: &reqwest::Client, endpoint: &str, form: &[(&str, &str)], client_address: Option<&str>) -> reqwest::Result<reqwest::Response> {
        let mut req = c.post(self.url(&format!("/api/{endpoint}"))).header("Origin", &self.base).header("Accept", "application/json").form(form);
        if let Some(address) = client_address {
            req = req.header("X-Forwarded-For", address);
        }
        req.send().await
    }

    pub(super) async fn me(&self, c: &reqwest::Client) -> Option<Me> {
        decode(self.call(c, "me", &[]).await.expect("me answered")).await
    }
}

/// The error a refused call carries, with its status.
pub(super) async fn refusal(res: reqwest::Response) -> (u16, Option<AppError>) {
    let status = res.status().as_u16();
    let body = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&body).ok())
}

pub(super) fn smtp_env(port: u16) -> Vec<(&'static str, String)> {
    vec![("SMTP_HOST", "127.0.0.1".into()), ("SMTP_TLS", "none".into()), ("SMTP_PORT", port.to_string())]
}

/// Writes `n` notification emails to distinct recipients straight into the outbox, due now, in
/// one transaction (hundreds of sign-ups from one address would be throttled).
pub(super) async fn enqueue_many(app: &TestApp, prefix: &str, n: usize) -> HashSet<String> {
    let mut tx = app.pool.begin().await.unwrap();
    let mut to = HashSet::new();
    for i in 0..n {
        let address = format!("{prefix}{i}@example.cn");
        let mail = Mail::EmployerRejected { name: format!("联系人{i}"), organisation: "乐山测试单位".into(), reason: "代码不符".into() };
        enqueue(&mut tx, &address, Lang::ZhCn, &mail).await.unwrap();
        to.insert(address);
    }
    tx.commit().await.unwrap();
    to
}

pub(super) fn bare(address: &str) -> String {
    address.trim_matches(['<', '>']).to_string()
}

pub(super) fn message_id(data: &str) -> Option<String> {
    data.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).map(|l| l[11..].trim().to_string())
}

/// How many times each recipient was sent a message, and the distinct Message-IDs.
pub(super) fn tally(received: &[Received]) -> (BTreeMap<String, usize>, HashSet<String>) {
    let mut per_recipient = BTreeMap::new();
    let mut ids = HashSet::new();
    for m in received {
        for to in &m.to {
            *per_recipient.entry(bare(to)).or_insert(0) += 1;
        }
        if let Some(id) = message_id(&m.data) {
            ids.insert(id);
        }
    }
    (per_recipient, ids)
}

pub(super) async fn outbox_by_status(app: &TestApp) -> BTreeMap<String, i64> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetch_all(&app.pool).await.unwrap();
    rows.into_iter().collect()
}

/// A client that sends exactly this cookie and keeps none.
pub(super) fn with_cookie(cookie: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("Cookie", cookie.parse().unwrap());
    reqwest::Client::builder().default_headers(headers).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

