//! `server backup --to FILE`: a consistent copy of the SQLite database, made while the server
//! runs. `VACUUM INTO` reads the database in one transaction, so the copy is the database at one
//! moment, never a mix of before and after a write, and it is compact. An existing file is never
//! overwritten (an old backup is worth more than a typo). PostgreSQL has its own tool, so for a
//! `postgres://` URL the command says how to use it and fails.

use crate::config::Config;
use anyhow::{bail, Context};
use app::db::Dialect;
use std::path::Path;

/// What to run instead for PostgreSQL (the URL is not repeated: it may hold a password).
pub const POSTGRES_ADVICE: &str = "DATABASE_URL names a PostgreSQL database: back it up with PostgreSQL's own tool, e.g.\n  \
    pg_dump --format=custom --file=portal-$(date +%F).dump \"$DATABASE_URL\"\n\
    and restore with pg_restore --clean --dbname=\"$DATABASE_URL\" FILE. Keep the secret key (PORTAL_SECRET_KEY or \
    $PORTAL_DATA_DIR/secret.key) with the backup, apart from it: without the key the sealed ID numbers cannot be read.";

/// Copies the database to `to`; returns the size of the copy in bytes.
pub async fn backup(config: &Config, to: &Path) -> anyhow::Result<u64> {
    if config.dialect == Dialect::Postgres {
        bail!("{POSTGRES_ADVICE}");
    }
    if to.exists() {
        bail!("{} already exists: choose a new file name (a backup is never overwritten)", to.display());
    }
    let source = config.database_url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let source = source.split('?').next().unwrap_or(source);
    if !Path::new(source).is_file() {
        bail!("there is no database at {source} (check DATABASE_URL / PORTAL_DATA_DIR)");
    }
    let target = to.to_str().context("the backup file name must be valid UTF-8")?;
    let pool = crate::db::connect(&config.database_url, config.dialect).await?;
    // SQLite itself also refuses a target that exists by now, so a race with another backup
    // to the same name cannot clobber it either.
    let copied = sqlx::query("VACUUM INTO $1").bind(target).execute(&pool).await;
    pool.close().await;
    copied.with_context(|| format!("cannot write the backup to {}", to.display()))?;
    Ok(std::fs::metadata(to)?.len())
}
