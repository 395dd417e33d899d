//! Throttling by key (server only): a key is an account, an address or anything else a service
//! wants to limit (sign-ins today; archive lookups and anonymous complaints next). Each failed
//! or counted attempt is a row; a key with `max` rows inside its window waits until the oldest
//! one leaves the window.

use crate::error::AppResult;
use crate::ssr::now;
use sqlx::{AnyPool, Row};

/// At most `max` counted attempts per `window_secs` for `key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limit {
    pub key: String,
    pub max: i64,
    pub window_secs: i64,
}

impl Limit {
    pub fn new(key: String, max: i64, window_secs: i64) -> Limit {
        Limit { key, max, window_secs }
    }
}

/// `Some(minutes)` to wait when any of the limits is reached.
pub async fn wait_minutes(pool: &AnyPool, limits: &[Limit]) -> AppResult<Option<i64>> {
    let t = now();
    let mut wait: Option<i64> = None;
    for limit in limits {
        let row = sqlx::query("SELECT COUNT(*) AS n, MIN(at) AS first FROM login_failures WHERE key = $1 AND at > $2")
            .bind(&limit.key)
            .bind(t - limit.window_secs)
            .fetch_one(pool)
            .await?;
        let n: i64 = row.try_get("n")?;
        if n >= limit.max {
            let first: Option<i64> = row.try_get("first")?;
            let free_at = first.unwrap_or(t) + limit.window_secs;
            let minutes = ((free_at - t) as f64 / 60.0).ceil().max(1.0) as i64;
            wait = Some(wait.map_or(minutes, |w| w.max(minutes)));
        }
    }
    Ok(wait)
}

/// Counts one attempt against every limit.
pub async fn record(pool: &AnyPool, limits: &[Limit]) -> AppResult<()> {
    let t = now();
    for limit in limits {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)").bind(&limit.key).bind(t).execute(pool).await?;
    }
    // Old rows are only history; drop them as we go so the table stays small.
    sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(t - 24 * 3600).execute(pool).await?;
    Ok(())
}

/// Forgets the attempts counted against one limit (a successful sign-in clears its account).
pub async fn clear(pool: &AnyPool, limit: &Limit) -> AppResult<()> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(&limit.key).execute(pool).await?;
    Ok(())
}
