//! Starts the real server on a random port against a fresh database: a new SQLite file in a
//! temporary directory, or a new database on the PostgreSQL server named by TEST_DATABASE_URL
//! (scripts/test.sh starts a throwaway one). Every test gets its own.

use app::account::{Me, Role};
use app::error::AppError;
use serde::de::DeserializeOwned;
use server::config::Config;
use sqlx::AnyPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const PASSWORD: &str = "correct horse battery";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub pool: AnyPool,
    pub data_dir: tempfile::TempDir,
    /// The settings the server was built with (to build another server on the same data).
    pub vars: HashMap<String, String>,
    _server: tokio::task::JoinHandle<()>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A fresh, empty PostgreSQL database on the test server; returns its URL.
pub(crate) async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var("TEST_DATABASE_URL").expect(
        "TEST_DATABASE_URL is not set: run scripts/test.sh, which starts a throwaway PostgreSQL, \
         or point it at a server where the user may CREATE DATABASE",
    );
    sqlx::any::install_default_drivers();
    let admin = AnyPool::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
    let name = format!("portal_test_{}", hex::encode(rand::random::<[u8; 6]>()));
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create database");
    admin.close().await;
    let (base, _) = admin_url.rsplit_once('/').expect("URL with a database name");
    format!("{base}/{name}")
}

pub struct Options {
    pub extra: Vec<(&'static str, String)>,
    pub worker: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { extra: Vec::new(), worker: true }
    }
}

impl Options {
    /// No background mail worker: the outbox keeps every message for the test to read.
    pub fn without_worker() -> Self {
        Self { worker: false, ..Self::default() }
    }
}

pub async fn spawn_app(db: Db) -> TestApp {
    spawn_app_with(db, Options::default()).await
}

pub async fn spawn_app_with(db: Db, options: Options) -> TestApp {
    // TEST_LOG=debug shows the server's log lines with the test's output.
    if let Ok(filter) = std::env::var("TEST_LOG") {
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
    }
    let data_dir = tempfile::tempdir().expect("temp dir");
    let database_url = match db {
        Db::Sqlite => format!("sqlite://{}", data_dir.path().join("portal.db").display()),
        Db::Postgres => fresh_postgres_database().await,
    };
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), database_url),
        ("PORTAL_DATA_DIR".into(), data_dir.path().display().to_string()),
        ("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into()),
        ("LEPTOS_SITE_ROOT".into(), "../target/site".into()),
        ("PORTAL_MAIL_POLL_MS".into(), "50".into()),
    ]);
    for (k, v) in options.extra {
        vars.insert(k.to_string(), v);
    }
    let config = config_of(&vars);
    let mut app = server::build(config).await.expect("server builds");
    if !options.worker {
        app = app.without_worker();
    }
    let base = format!("http://{}", app.addr());
    let pool = app.pool().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        app.run_until(async move {
            let _ = stopped.await;
        })
        .await
        .expect("server runs");
    });
    TestApp { base, client: client(), pool, data_dir, vars, _server: handle, stop: Some(stop) }
}

fn config_of(vars: &HashMap<String, String>) -> Config {
    Config::from_lookup(|k| vars.get(k).cloned()).expect("config")
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        // A request the server never answers fails the test instead of stalling the run.
        .timeout(Duration::from_secs(45))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A successful server-function answer, read as the app type the function returns.
pub async fn decode<T: DeserializeOwned>(res: reqwest::Response) -> T {
    let status = res.status();
    let body = res.text().await.expect("body");
    assert_eq!(status, 200, "expected a successful answer, got {status}: {body}");
    serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("the answer is not a {}: {e}\n{body}", std::any::type_name::<T>()))
}

/// A refused server-function call, read as the app's `AppError`; it must travel with the HTTP
/// status the error itself names.
pub async fn app_error(res: reqwest::Response) -> AppError {
    let status = res.status().as_u16();
    let body = res.text().await.expect("body");
    let error: AppError =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("the answer ({status}) is not an AppError: {e}\n{body}"));
    assert_eq!(status, error.status(), "{error:?} travels with its own status");
    error
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The configuration this server was built from, to build another on the same database
    /// and data directory.
    pub fn config(&self) -> Config {
        config_of(&self.vars)
    }

    /// A POST as a page of this portal makes it: browsers name the page's origin in `Origin`
    /// on every POST, and the server refuses state-changing requests from any other.
    pub fn post_from_portal(&self, client: &reqwest::Client, path: &str) -> reqwest::RequestBuilder {
        client.post(self.url(path)).header("Origin", &self.base)
    }

    /// Calls a server function the way the hydrated page does.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_as(&self.client, endpoint, form).await
    }

    pub async fn call_as(&self, client: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_from_portal(client, &format!("/api/{endpoint}"))
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Calls a server function that must succeed, and reads its answer as `T`.
    pub async fn fetch<T: DeserializeOwned>(&self, endpoint: &str, form: &[(&str, &str)]) -> T {
        decode(self.call(endpoint, form).await).await
    }

    pub async fn fetch_as<T: DeserializeOwned>(&self, client: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> T {
        decode(self.call_as(client, endpoint, form).await).await
    }

    /// Posts a form the way a browser without JavaScript does, from the page `referer`.
    pub async fn post_plain(&self, endpoint: &str, referer: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_plain_as(&self.client, endpoint, referer, form).await
    }

    pub async fn post_plain_as(&self, client: &reqwest::Client, endpoint: &str, referer: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_from_portal(client, &format!("/api/{endpoint}"))
            .header("Accept", "text/html,application/xhtml+xml")
            .header("Referer", self.url(referer))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    pub async fn page(&self, path: &str) -> (u16, String) {
        let res = self.client.get(self.url(path)).send().await.expect("request");
        (res.status().as_u16(), res.text().await.expect("body"))
    }

    /// Who the default client is signed in as.
    pub async fn me(&self) -> Option<Me> {
        self.me_as(&self.client).await
    }

    pub async fn me_as(&self, client: &reqwest::Client) -> Option<Me> {
        self.fetch_as(client, "me", &[]).await
    }

    pub async fn sign_up_graduate(&self, email: &str, password: &str) -> reqwest::Response {
        self.call(
            "signup",
            &[
                ("role", "graduate"),
                ("display_name", "李明"),
                ("email", email),
                ("password", password),
                ("password_confirm", password),
                ("consent", "on"),
            ],
        )
        .await
    }

    pub async fn log_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.log_in_as(&self.client, email, password).await
    }

    pub async fn log_in_as(&self, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
        self.call_as(client, "login", &[("email", email), ("password", password)]).await
    }

    /// The newest outbox message to `to`: (subject, plain-text body).
    pub async fn last_mail_to(&self, to: &str) -> Option<(String, String)> {
        sqlx::query_as("SELECT subject, body_text FROM outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
            .bind(to)
            .fetch_optional(&self.pool)
            .await
            .expect("outbox query")
    }

    pub async fn outbox_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(&self.pool).await.expect("count")
    }

    /// Adds an account of any role directly (staff cannot sign themselves up).
    pub async fn create_user(&self, email: &str, password: &str, role: Role) -> i64 {
        use app::account::ssr::{hash_password, insert_user, NewUser};
        use app::account::{DisplayName, Email, Password};
        let email = Email::parse(email).unwrap();
        let hash = hash_password(&Password::parse(password).unwrap()).await.unwrap();
        let name = DisplayName::parse("测试用户").unwrap();
        let mut conn = self.pool.acquire().await.unwrap();
        insert_user(&mut conn, NewUser { email: &email, password_hash: &hash, role, display_name: &name, locale: "zh-CN", verified: true })
            .await
            .unwrap()
            .expect("new user")
    }

    /// A new account of `role`, signed in on a client of its own; returns the client and the
    /// account's id.
    pub async fn signed_in(&self, email: &str, role: Role) -> (reqwest::Client, i64) {
        let id = self.create_user(email, PASSWORD, role).await;
        let c = client();
        assert_eq!(self.log_in_as(&c, email, PASSWORD).await.status(), 200, "{email} signs in");
        (c, id)
    }
}

/// The session cookie a response sets, as `portal_session=<id>`.
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
}

/// The first link in a text that contains `path`.
pub fn link_in(text: &str, path: &str) -> String {
    text.split_whitespace()
        .find(|w| w.starts_with("http") && w.contains(path))
        .unwrap_or_else(|| panic!("no link to {path} in:\n{text}"))
        .to_string()
}

/// Path and query of an absolute link.
pub fn path_of(link: &str) -> String {
    let after_scheme = &link[link.find("://").unwrap() + 3..];
    after_scheme[after_scheme.find('/').unwrap()..].to_string()
}

pub fn query_value(link: &str, name: &str) -> String {
    let query = link.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned()).expect("query value")
}

/// A real SMTP server on loopback that keeps what it receives.
#[derive(Default)]
pub struct SmtpSink {
    received: Arc<Mutex<Vec<Received>>>,
    /// The message of this connection: the listener clones the handler for each one, and two
    /// servers delivering at once must not write into each other's message.
    current: Received,
    /// Messages whose data has started arriving.
    begun: Arc<std::sync::atomic::AtomicUsize>,
    /// How long the listener takes to accept a message once its data has arrived.
    delay: Duration,
}

/// One message as the SMTP listener received it: envelope and raw data.
#[derive(Clone, Debug, Default)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Clone for SmtpSink {
    fn clone(&self) -> Self {
        Self { received: self.received.clone(), current: Received::default(), begun: self.begun.clone(), delay: self.delay }
    }
}

impl mailin_embedded::Handler for SmtpSink {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> mailin_embedded::Response {
        self.current = Received { from: from.to_string(), to: to.to_vec(), data: String::new() };
        self.begun.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        mailin_embedded::response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.data.push_str(&String::from_utf8_lossy(buf));
        Ok(())
    }
    fn data_end(&mut self) -> mailin_embedded::Response {
        std::thread::sleep(self.delay);
        let message = std::mem::take(&mut self.current);
        self.received.lock().unwrap().push(message);
        mailin_embedded::response::OK
    }
}

impl SmtpSink {
    /// Starts listening on a random loopback port; returns the sink and the port.
    pub fn start() -> (SmtpSink, u16) {
        Self::start_slow(Duration::ZERO)
    }

    /// Like [`SmtpSink::start`], but each message is accepted only `delay` after its data.
    pub fn start_slow(delay: Duration) -> (SmtpSink, u16) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind smtp");
        let port = listener.local_addr().unwrap().port();
        (Self::serve(listener, delay), port)
    }

    /// Starts listening on `port`, where a server was told to deliver before anything listened.
    pub fn start_on(port: u16) -> SmtpSink {
        Self::serve(std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind smtp"), Duration::ZERO)
    }

    fn serve(listener: std::net::TcpListener, delay: Duration) -> SmtpSink {
        let sink = SmtpSink { delay, ..SmtpSink::default() };
        let mut server = mailin_embedded::Server::new(sink.clone());
        server.with_name("smtp.test").with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        sink
    }

    /// Every message received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until the data of `n` messages has started arriving.
    pub async fn wait_until_begun(&self, n: usize) {
        for _ in 0..200 {
            if self.begun.load(std::sync::atomic::Ordering::SeqCst) >= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no message reached the SMTP listener");
    }

    /// Waits until `n` messages have arrived; returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            let got = self.received.lock().unwrap().clone();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the SMTP listener received {} messages, expected {n}", self.received.lock().unwrap().len());
    }
}

/// Runs one async test body on SQLite and on PostgreSQL, as two tests:
/// `<module>::<body>::on_sqlite` and `<module>::<body>::on_postgres`.
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_sqlite() {
                    super::$name($crate::support::Db::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    super::$name($crate::support::Db::Postgres).await
                }
            }
        )*
    };
}
