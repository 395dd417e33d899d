//! Policy parameters in the database (server only).

use super::{Param, Policy, SEEDS};
use crate::error::{AppError, AppResult};
use crate::shared::time::Date;
use crate::ssr::now;
use sqlx::{AnyConnection, AnyPool, Row};

/// Writes the seed values that are not there yet; an admin's later edits are kept.
pub async fn ensure_seeded(pool: &AnyPool) -> AppResult<()> {
    for (param, from, value, source) in SEEDS {
        sqlx::query(
            "INSERT INTO policy_parameters (key, effective_from, value, source, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (key, effective_from) DO NOTHING",
        )
        .bind(param.as_str())
        .bind(*from)
        .bind(*value)
        .bind(*source)
        .bind(now())
        .execute(pool)
        .await?;
    }
    Ok(())
}

pub async fn load(conn: &mut AnyConnection) -> AppResult<Policy> {
    let rows = sqlx::query("SELECT key, effective_from, value FROM policy_parameters").fetch_all(conn).await?;
    let mut policy = Policy::default();
    for r in rows {
        let (Some(param), Ok(from)) = (Param::parse(&r.try_get::<String, _>("key")?), Date::parse(&r.try_get::<String, _>("effective_from")?)) else {
            continue;
        };
        policy.set(param, from, r.try_get("value")?);
    }
    Ok(policy)
}


pub async fn rows(pool: &AnyPool) -> AppResult<Vec<super::PolicyRow>> {
    let rows = sqlx::query("SELECT key, effective_from, value, source FROM policy_parameters ORDER BY key, effective_from").fetch_all(pool).await?;
    rows.iter()
        .filter_map(|r| {
            let param = Param::parse(&r.try_get::<String, _>("key").ok()?)?;
            Some(Ok(super::PolicyRow {
                param,
                effective_from: r.try_get("effective_from").ok()?,
                value: r.try_get("value").ok()?,
                source: r.try_get("source").ok()?,
            }))
        })
        .collect::<Result<_, AppError>>()
}

/// Writes the value of `param` from `from` and keeps the change (old → new, who, when) in the
/// same transaction, so the history cannot miss an edit or hold one that did not happen.
pub async fn set(tx: &mut sqlx::Transaction<'_, sqlx::Any>, param: Param, from: Date, value: f64, source: &str, by: i64) -> AppResult<()> {
    let old: Option<(f64, String)> = sqlx::query_as("SELECT value, source FROM policy_parameters WHERE key = $1 AND effective_from = $2")
        .bind(param.as_str())
        .bind(from.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    let t = now();
    sqlx::query(
        "INSERT INTO policy_parameters (key, effective_from, value, source, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (key, effective_from) DO UPDATE SET value = excluded.value, source = excluded.source, \
           updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(param.as_str())
    .bind(from.to_string())
    .bind(value)
    .bind(source)
    .bind(by)
    .bind(t)
    .execute(&mut **tx)
    .await?;
    let (old_value, old_source) = old.map_or((None, None), |(v, s)| (Some(v), Some(s)));
    sqlx::query(
        "INSERT INTO policy_parameter_changes (key, effective_from, old_value, new_value, old_source, new_source, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(param.as_str())
    .bind(from.to_string())
    .bind(old_value)
    .bind(value)
    .bind(old_source)
    .bind(source)
    .bind(by)
    .bind(t)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The edits of one parameter, newest first, with the name of the admin who made each.
pub async fn history(pool: &AnyPool, param: Param) -> AppResult<Vec<super::PolicyChange>> {
    let rows = sqlx::query(
        "SELECT c.effective_from, c.old_value, c.new_value, c.new_source, c.changed_at, u.display_name, u.email \
         FROM policy_parameter_changes c JOIN users u ON u.id = c.changed_by \
         WHERE c.key = $1 ORDER BY c.changed_at DESC, c.id DESC LIMIT 200",
    )
    .bind(param.as_str())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(super::PolicyChange {
                effective_from: r.try_get("effective_from")?,
                old_value: r.try_get("old_value")?,
                new_value: r.try_get("new_value")?,
                source: r.try_get("new_source")?,
                changed_at: r.try_get("changed_at")?,
                changed_by: r.try_get("display_name")?,
                changed_by_email: r.try_get("email")?,
            })
        })
        .collect()
}
