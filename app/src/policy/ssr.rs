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

pub async fn set(pool: &AnyPool, param: Param, from: Date, value: f64, source: &str, by: i64) -> AppResult<()> {
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
    .bind(now())
    .execute(pool)
    .await?;
    Ok(())
}
