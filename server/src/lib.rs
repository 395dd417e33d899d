//! The portal's server: configuration, database, sessions, the mail worker, routes and
//! command-line subcommands. It stays thin; the portal itself lives in the `app` crate.
//!
//! [`build`] binds the listener and assembles everything, returning the bound address, so the
//! binary and the integration tests (on port 0) start the same server.

pub mod assets;
pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod headers;
pub mod metrics;
pub mod noscript;
pub mod origin;
pub mod page_cache;
pub mod sessions;
pub mod volume;
pub mod worker;

use anyhow::Context;
use app::app::{shell, App};
use app::ssr::{AppState, SecretKey, Settings};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use config::Config;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use serde_json::json;
use sqlx::AnyPool;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub struct Application {
    addr: SocketAddr,
    listener: TcpListener,
    router: Router,
    pool: AnyPool,
    worker: Option<(app::mail::ssr::Transport, lettre::message::Mailbox, std::time::Duration, worker::Reminders)>,
}

/// Loads or creates the key that protects data at rest: `PORTAL_SECRET_KEY` (64 hex digits),
/// else `secret.key` in the data directory, written on first start with owner-only access.
/// A new key is made only for a database that holds nothing sealed yet: with profiles present
/// the old key is lost, not absent, and a new one would make every ID number unreadable, so
/// the server refuses to start and says what to restore.
pub async fn secret_key(config: &Config, pool: &AnyPool) -> anyhow::Result<SecretKey> {
    let parse = |hex_text: &str| -> anyhow::Result<SecretKey> {
        let bytes = hex::decode(hex_text.trim()).context("the secret key must be hex")?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| anyhow::anyhow!("the secret key must be 32 bytes (64 hex digits)"))?;
        Ok(SecretKey(key))
    };
    if let Ok(value) = std::env::var("PORTAL_SECRET_KEY") {
        return parse(&value).context("PORTAL_SECRET_KEY");
    }
    let path = config.data_dir.join("secret.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        return parse(&text).with_context(|| format!("{}", path.display()));
    }
    let sealed: i64 = sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM profiles) + (SELECT COUNT(*) FROM archives)")
        .fetch_one(pool)
        .await
        .context("counting sealed profiles and archives")?;
    if sealed > 0 {
        anyhow::bail!(
            "the secret key is missing: {} does not exist and PORTAL_SECRET_KEY is not set, but the database \
             holds {sealed} profile(s) and archive(s) sealed with a key. Restore secret.key from a backup (or set \
             PORTAL_SECRET_KEY to the key); a new key would leave that data unreadable, so none is generated",
            path.display()
        );
    }
    std::fs::create_dir_all(&config.data_dir).with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    let mut key = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut key);
    write_private(&path, &hex::encode(key))?;
    tracing::info!(path = %path.display(), "generated a new secret key");
    Ok(SecretKey(key))
}

fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") | Ok("dev") | Ok("development") => Env::DEV,
        _ => Env::PROD,
    };
    // Builds with `hash-files` name the bundle `portal.<hash>.js`; the page must link those names.
    let hash_file = config.hash_file.clone();
    LeptosOptions::builder()
        .output_name("portal")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .env(env)
        .hash_files(hash_file.is_some())
        // Leptos joins this to the binary's folder; an absolute path stays itself.
        .hash_file(hash_file.map(|p| p.to_string_lossy().to_string()).unwrap_or_else(|| "hash.txt".into()).into())
        .build()
}

/// The site's static files, with the hashed bundle names marked for long caching.
fn load_assets(config: &Config) -> anyhow::Result<assets::Assets> {
    let hashed = match &config.hash_file {
        Some(path) => {
            let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
            assets::hashed_names(&text, "portal", "pkg")
        }
        None => Default::default(),
    };
    let loaded = assets::Assets::load(&config.site_root, &hashed)
        .with_context(|| format!("cannot read the site's files under {}", config.site_root.display()))?;
    tracing::info!(files = loaded.len(), root = %config.site_root.display(), "static files loaded");
    // hash.txt belongs to one build of one profile: beside a site from another build the pages
    // would link bundle names that are not there.
    if let Some(missing) = hashed.iter().find(|name| !loaded.contains(name)) {
        tracing::warn!(%missing, "the hash file names a file the site does not have: build the site and the server together (cargo leptos build)");
    }
    Ok(loaded)
}

/// Connects, migrates and assembles the server, bound but not yet serving.
pub async fn build(config: Config) -> anyhow::Result<Application> {
    let pool = db::connect(&config.database_url, config.dialect).await?;
    db::migrate(&pool, config.dialect).await.context("migrations failed")?;
    app::policy::ssr::ensure_seeded(&pool).await.context("seeding policy parameters")?;
    app::vacancies::ssr::ensure_seeded(&pool).await.context("seeding screening rules")?;
    let key = secret_key(&config, &pool).await?;

    let listener = TcpListener::bind(config.site_addr).await.with_context(|| format!("cannot listen on {}", config.site_addr))?;
    let addr = listener.local_addr()?;
    let mut config = config;
    if config.site_addr.port() == 0 && std::env::var("PORTAL_BASE_URL").is_err() {
        // Tests bind port 0: links in emails must carry the port actually bound.
        config.base_url = format!("http://{addr}");
    }
    config.site_addr = addr;

    let state = AppState {
        leptos_options: leptos_options(&config),
        pool: pool.clone(),
        dialect: config.dialect,
        settings: Arc::new(Settings {
            base_url: config.base_url.clone(),
            data_dir: config.data_dir.clone(),
            secret_key: key,
            session_max_secs: config.session_max_age.as_secs() as i64,
            trusted_proxies: config.trusted_proxies.clone(),
        }),
    };
    tracing::info!(origin = %config.base_url, "state-changing requests are accepted from this origin only (PORTAL_BASE_URL)");
    let assets = load_assets(&config)?;
    let router = router(state, &config, assets);
    let reminders = worker::Reminders { dialect: config.dialect, base_url: config.base_url.clone() };
    let worker = Some((worker::transport(&config)?, worker::sender(&config)?, config.mail_poll, reminders));
    Ok(Application { addr, listener, router, pool, worker })
}

/// The app's routes. Leptos finds them by rendering the app once with resource loading switched
/// off, and that switch is process-wide: flipped while another server in the same process (the
/// integration tests run many) renders a page, that page's data never loads and the request
/// hangs. So the list is made once per process, before anything serves.
static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();

fn router(state: AppState, config: &Config, assets: assets::Assets) -> Router {
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    let sessions = SessionManagerLayer::new(sessions::DbStore::new(state.pool.clone()))
        .with_name("portal_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(7)));
    let own_origin = origin::OwnOrigin::of_base_url(&state.settings.base_url)
        .expect("PORTAL_BASE_URL is an absolute http(s) URL (checked when the configuration is read)");
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    // From the configured base URL (`secure_cookies` says it is https), not the bound address.
    let security = headers::SecurityHeaders { hsts: config.secure_cookies };
    let metrics = metrics::Metrics::new(config.metrics_allow.clone());
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::serve))
        .route("/readyz", get(readyz))
        .merge(app::jobseeker::uploads::routes())
        .merge(app::shared::files::routes())
        .merge(app::employers::licence::routes())
        .merge(app::complaints::submit::routes())
        .merge(app::archive::importing::routes())
        .merge(app::vacancies::feed::routes())
        .merge(app::reports::export::routes())
        .merge(app::admin::audit::ssr::routes())
        .merge(app::privacy::export::routes())
        .merge(app::integration::routes::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(noscript::server_fn_errors))
        .layer(sessions)
        // Outside the sessions: a request from another site is refused before any session is
        // read or started.
        .layer(axum::middleware::from_fn_with_state(own_origin, origin::same_origin_only))
        // No request may hang a worker forever: past this, the client gets 408 and the log a line.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(30),
        ))
        // A static file is answered from memory before any session, origin or timeout work.
        .layer(axum::middleware::from_fn_with_state(assets, assets::static_files_first))
        .layer(axum::middleware::from_fn_with_state(security, headers::security_headers))
        // Pages and API answers compressed on the way out; the static files come precompressed
        // (a response that already has a Content-Encoding is passed through).
        .layer(tower_http::compression::CompressionLayer::new().br(true).gzip(true))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(axum::Extension(metrics.clone()))
        // Inside the page cache, which stays the fastest path: what it answers is not counted.
        .layer(axum::middleware::from_fn_with_state(metrics, metrics::record))
        // Outermost: an anonymous visitor's public page comes from memory before any other
        // work, and every write is seen here after it is answered (see page_cache).
        .layer(axum::middleware::from_fn_with_state(Arc::new(page_cache::PageCache::new(page_cache::LIFETIME)), page_cache::serve))
        .with_state(state)
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn readyz(State(state): State<AppState>) -> (http::StatusCode, Json<serde_json::Value>) {
    match sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&state.pool).await {
        Ok(_) => (http::StatusCode::OK, Json(json!({ "status": "ready", "database": "ok" }))),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (http::StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "database": "unreachable" })))
        }
    }
}

impl Application {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Leaves mail in the outbox instead of delivering it (for tests that read the outbox).
    pub fn without_worker(mut self) -> Self {
        self.worker = None;
        self
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish and stops the worker.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let worker = self.worker.map(|(transport, from, poll, reminders)| {
            tokio::spawn(worker::run(self.pool.clone(), transport, from, poll, reminders, stop_rx))
        });
        tracing::info!(addr = %self.addr, "listening");
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await?;
        let _ = stop_tx.send(true);
        if let Some(worker) = worker {
            let _ = worker.await;
        }
        self.pool.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
