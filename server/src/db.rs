//! The database: one pool over sqlx's `Any` driver, so the URL alone picks SQLite or
//! PostgreSQL, and the migrations for that dialect.

use anyhow::Context;
use app::db::Dialect;
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

pub async fn connect(url: &str, dialect: Dialect) -> anyhow::Result<AnyPool> {
    install_default_drivers();
    let sqlite = dialect == Dialect::Sqlite;
    let url = if sqlite {
        // Create the file and its folder on first start.
        let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
        let path = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") }
    } else {
        url.to_string()
    };
    let pool = AnyPoolOptions::new()
        .max_connections(if sqlite { 8 } else { 16 })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if sqlite {
                    // WAL lets readers and the one writer work at once; the busy timeout makes
                    // a second writer wait instead of failing.
                    conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
                        .await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await
        .with_context(|| "cannot open the database (check DATABASE_URL)".to_string())?;
    Ok(pool)
}

pub async fn migrate(pool: &AnyPool, dialect: Dialect) -> anyhow::Result<()> {
    match dialect {
        Dialect::Sqlite => sqlx::migrate!("../migrations/sqlite").run(pool).await?,
        Dialect::Postgres => sqlx::migrate!("../migrations/postgres").run(pool).await?,
    }
    Ok(())
}

/// A fresh, migrated database for a benchmark: a new SQLite file in a temporary folder, or,
/// given the URL of a PostgreSQL server, a new database beside the one named (the one named is
/// never filled). `label` goes into the names.
pub async fn fresh_for_benchmark(postgres: Option<String>, label: &str) -> anyhow::Result<(AnyPool, Dialect)> {
    let url = match postgres {
        None => {
            let dir = std::env::temp_dir().join(format!("portal-{label}-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            format!("sqlite://{}/bench.db", dir.display())
        }
        Some(admin_url) => {
            let admin = connect(&admin_url, Dialect::Postgres).await?;
            let name = format!("portal_{}_{}", label.replace('-', "_"), std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await?;
            admin.close().await;
            let (base, _) = admin_url.rsplit_once('/').ok_or_else(|| anyhow::anyhow!("the URL needs a database name"))?;
            format!("{base}/{name}")
        }
    };
    let dialect = Dialect::from_url(&url).ok_or_else(|| anyhow::anyhow!("not a database URL: {url}"))?;
    let pool = connect(&url, dialect).await?;
    migrate(&pool, dialect).await?;
    Ok((pool, dialect))
}
