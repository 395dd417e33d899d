//! Who is calling (server only): the request's bearer token, its maker and scopes, and the
//! count of its requests.
//!
//! The count is kept in memory, per token and per server: an API request is answered without a
//! write of its own (the throttle table in `shared::throttle` costs a write transaction per
//! counted attempt, right for sign-ins, too much for every read of a paged export). Behind a
//! load balancer with several instances a token gets that many times the limit; the limit is
//! there to keep one runaway script from crowding out the portal, not to meter.

use super::{bearer, hash_token, well_formed, Scope};
use crate::error::AppResult;
use crate::shared::identity::Me;
use crate::ssr::now;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Requests one token may make per [`WINDOW_SECS`].
pub const REQUESTS_PER_WINDOW: u32 = 60;
pub const WINDOW_SECS: i64 = 60;
/// `last_used_at` is written at most this often per token, so reads stay reads.
const LAST_USED_EVERY_SECS: i64 = 60;

/// A request's caller: a live token of an enabled account.
#[derive(Clone, Debug)]
pub struct Caller {
    pub token_id: i64,
    pub me: Me,
    pub scopes: Vec<Scope>,
}

/// Why a request's token is not good.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization: Bearer` header.
    Missing,
    /// Not a token, unknown, revoked, or its maker's account is disabled or gone.
    Invalid,
    /// More requests than the window allows; retry after this many seconds.
    TooMany { retry_after: i64 },
    /// A good token without the scope this endpoint needs (or whose maker's role no longer
    /// allows it).
    Scope,
}

/// The caller of a request with this `Authorization` header, refused unless its token may use
/// `needed`. The count is taken before the scope is checked: every request of a good token
/// counts, so a script that keeps calling the wrong endpoint slows down too.
pub async fn authenticate(pool: &AnyPool, authorization: Option<&str>, needed: Scope) -> AppResult<Result<Caller, Refusal>> {
    let Some(token) = authorization.map(|h| bearer(h).unwrap_or("")) else {
        return Ok(Err(Refusal::Missing));
    };
    if !well_formed(token) {
        return Ok(Err(Refusal::Invalid));
    }
    let hash = hash_token(token);
    let Some(row) = sqlx::query("SELECT id, created_by, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
        .bind(&hash)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(Err(Refusal::Invalid));
    };
    let (token_id, owner, last_used): (i64, i64, Option<i64>) = (row.try_get("id")?, row.try_get("created_by")?, row.try_get("last_used_at")?);
    // Disabled or deleted accounts load as nobody.
    let Some(me) = crate::account::ssr::load_me(pool, owner).await? else {
        return Ok(Err(Refusal::Invalid));
    };
    let t = now();
    if let Err(retry_after) = count(&hash, t) {
        return Ok(Err(Refusal::TooMany { retry_after }));
    }
    if last_used.is_none_or(|at| t - at >= LAST_USED_EVERY_SECS) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(t).bind(token_id).execute(pool).await?;
    }
    let scopes: Vec<Scope> = sqlx::query_scalar("SELECT scope FROM api_token_scopes WHERE token_id = $1").bind(token_id).fetch_all(pool).await?;
    if !scopes.contains(&needed) || !needed.allowed_for(me.role) {
        return Ok(Err(Refusal::Scope));
    }
    Ok(Ok(Caller { token_id, me, scopes }))
}

/// Per token hash: when its window started and how many requests it has made in it. Keyed by
/// the hash, not the row id, so servers sharing a process (the tests run many) never share a
/// count.
fn windows() -> &'static Mutex<HashMap<String, (i64, u32)>> {
    static WINDOWS: OnceLock<Mutex<HashMap<String, (i64, u32)>>> = OnceLock::new();
    WINDOWS.get_or_init(Default::default)
}

/// Counts one request of `key` at `t`: `Err(seconds to wait)` when its window is full.
fn count(key: &str, t: i64) -> Result<(), i64> {
    let mut windows = windows().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if windows.len() > 10_000 {
        windows.retain(|_, (start, _)| t - *start < WINDOW_SECS);
    }
    counted(windows.entry(key.to_string()).or_insert((t, 0)), t)
}

fn counted(window: &mut (i64, u32), t: i64) -> Result<(), i64> {
    if t - window.0 >= WINDOW_SECS {
        *window = (t, 0);
    }
    if window.1 >= REQUESTS_PER_WINDOW {
        return Err((window.0 + WINDOW_SECS - t).max(1));
    }
    window.1 += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_window_refuses_until_it_has_passed_and_says_how_long_to_wait() {
        let mut w = (1_000, 0);
        for _ in 0..REQUESTS_PER_WINDOW {
            assert_eq!(counted(&mut w, 1_010), Ok(()));
        }
        assert_eq!(counted(&mut w, 1_010), Err(50));
        assert_eq!(counted(&mut w, 1_059), Err(1));
        assert_eq!(counted(&mut w, 1_060), Ok(()), "a new window");
        assert_eq!(w, (1_060, 1));
    }
}
