//! Throttling by key (server only): a key is an account, an address or anything else a service
//! wants to limit (sign-ins, sign-ups, reset requests, verification resends; archive lookups
//! and anonymous complaints next). Each counted attempt is a row; a key with `max` rows inside
//! its window waits until the oldest one leaves the window.
//!
//! Counting and recording are one step ([`attempt`]): in one write transaction, holding a lock
//! per key, the rows are counted and, only if every limit still has room, the new attempt is
//! written. So twenty requests at the same moment cannot all see "four so far" and all go
//! ahead: the fifth takes the last place and the rest are refused. The caller does the costly
//! or risky work (checking a password, sending mail) only after its attempt was counted.

use crate::db::Dialect;
use crate::error::{AppError, AppResult};
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

/// An attempt that was counted: the rows written for it, one per limit.
#[derive(Debug)]
pub struct Counted {
    rows: Vec<(String, i64)>,
}

/// Minutes until a full key whose oldest counted row is at `first` has room again (at least one).
fn minutes_to_wait(first: Option<i64>, window_secs: i64, t: i64) -> i64 {
    let free_at = first.unwrap_or(t) + window_secs;
    ((free_at - t) as f64 / 60.0).ceil().max(1.0) as i64
}

/// Counts one attempt against every limit, atomically: when any limit is already reached,
/// nothing is written and the answer is `TooManyAttempts` with the longest wait; otherwise one
/// row per limit is written and the caller may go ahead.
pub async fn attempt(pool: &AnyPool, dialect: Dialect, limits: &[Limit]) -> AppResult<Counted> {
    let t = now();
    let mut tx = dialect.begin_write(pool).await?;
    // Locks in a fixed order, so two attempts sharing two keys cannot wait on each other.
    let mut keys: Vec<&str> = limits.iter().map(|l| l.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        dialect.lock_until_commit(&mut tx, key).await?;
    }
    let mut wait: Option<i64> = None;
    for limit in limits {
        let row = sqlx::query("SELECT COUNT(*) AS n, MIN(at) AS first FROM login_failures WHERE key = $1 AND at > $2")
            .bind(&limit.key)
            .bind(t - limit.window_secs)
            .fetch_one(&mut *tx)
            .await?;
        let n: i64 = row.try_get("n")?;
        if n >= limit.max {
            let minutes = minutes_to_wait(row.try_get("first")?, limit.window_secs, t);
            wait = Some(wait.map_or(minutes, |w| w.max(minutes)));
        }
    }
    if let Some(minutes) = wait {
        // Nothing was written; ending the transaction now releases the locks at once.
        tx.rollback().await?;
        return Err(AppError::TooManyAttempts { minutes });
    }
    let mut rows = Vec::with_capacity(limits.len());
    for limit in limits {
        let id: i64 = sqlx::query_scalar("INSERT INTO login_failures (key, at) VALUES ($1, $2) RETURNING id")
            .bind(&limit.key)
            .bind(t)
            .fetch_one(&mut *tx)
            .await?;
        rows.push((limit.key.clone(), id));
    }
    // Old rows are only history; drop them as we go so the table stays small.
    sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(t - 24 * 3600).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Counted { rows })
}

impl Counted {
    /// The attempt turned out not to count (a successful sign-in is not a failure): removes
    /// its rows again.
    pub async fn forget(self, pool: &AnyPool) -> AppResult<()> {
        for (_, id) in &self.rows {
            sqlx::query("DELETE FROM login_failures WHERE id = $1").bind(id).execute(pool).await?;
        }
        Ok(())
    }
}

/// Forgets every attempt counted against one limit (a successful sign-in clears its account).
pub async fn clear(pool: &AnyPool, limit: &Limit) -> AppResult<()> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(&limit.key).execute(pool).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::minutes_to_wait;

    #[test]
    fn the_wait_lasts_until_the_oldest_attempt_leaves_the_window_and_is_at_least_a_minute() {
        let t = 1_000_000;
        assert_eq!(minutes_to_wait(Some(t), 15 * 60, t), 15);
        assert_eq!(minutes_to_wait(Some(t - 14 * 60 - 1), 15 * 60, t), 1);
        assert_eq!(minutes_to_wait(Some(t - 15 * 60), 15 * 60, t), 1);
        assert_eq!(minutes_to_wait(None, 3600, t), 60);
    }
}
