//! The audit search's query and the CSV download (server only).

use super::{AuditEntry, AuditFilter};
use crate::shared::csv;
use crate::db::{like_pattern, Dialect};
use crate::error::{AppError, AppResult};
use crate::shared::identity::Role;
use crate::ssr::{AppState, AuditAction};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;
use tower_sessions::Session;

/// The most rows one download holds; a wider period is split by the admin.
pub const EXPORT_LIMIT: i64 = 50_000;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/audit.csv", get(export))
}

/// Checks the action against the known ones: an unknown one is a field error, not "nothing".
pub fn check_action(filter: &AuditFilter) -> AppResult<()> {
    if !filter.action.is_empty() && AuditAction::parse(&filter.action).is_none() {
        return Err(AppError::field("action", "validation.choose_one"));
    }
    Ok(())
}

/// The entries that match, newest first, at most `limit` of them (after `filter.after`).
pub async fn search(pool: &AnyPool, dialect: Dialect, filter: &AuditFilter, limit: i64) -> AppResult<Vec<AuditEntry>> {
    let mut conditions: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    // Text parameters are numbered first, then the numbers: each list is bound in order.
    if !filter.actor.is_empty() {
        texts.push(like_pattern(&filter.actor));
        conditions.push(dialect.contains_ignore_case("u.email", texts.len()));
    }
    if !filter.action.is_empty() {
        texts.push(filter.action.clone());
        conditions.push(format!("a.action = ${}", texts.len()));
    }
    if !filter.target.is_empty() {
        texts.push(like_pattern(&filter.target));
        conditions.push(dialect.contains_ignore_case("a.target", texts.len()));
    }
    let (start, end) = filter.bounds();
    let mut number = |value: i64, condition: &str| {
        numbers.push(value);
        format!("{condition} ${}", texts.len() + numbers.len())
    };
    if let Some(start) = start {
        conditions.push(number(start, "a.at >="));
    }
    if let Some(end) = end {
        conditions.push(number(end, "a.at <"));
    }
    if let Some(after) = filter.after {
        conditions.push(number(after, "a.id <"));
    }
    let limit_param = number(limit, "LIMIT");
    let sql = format!(
        "SELECT a.id, a.at, u.email, a.action, a.target, a.address FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
         {} ORDER BY a.id DESC {limit_param}",
        if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) },
    );
    let mut query = sqlx::query(&sql);
    for t in &texts {
        query = query.bind(t.clone());
    }
    for n in &numbers {
        query = query.bind(*n);
    }
    let rows = query.fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let action: String = r.try_get("action")?;
            Ok(AuditEntry {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                actor: r.try_get("email")?,
                action_label: AuditAction::parse(&action).map(|a| a.label_key().to_string()),
                action,
                target: r.try_get("target")?,
                address: r.try_get("address")?,
            })
        })
        .collect()
}

/// `/admin/audit.csv?<the search page's query>`: every matching entry (not one page), UTF-8
/// with a byte-order mark so that Excel reads the Chinese as Chinese.
async fn export(State(state): State<AppState>, session: Session, Query(params): Query<HashMap<String, String>>) -> Response {
    match crate::ssr::user_of_session(&state, &session).await {
        Ok(Some(me)) if me.role == Role::Admin => {}
        Ok(Some(_)) => return AppError::Forbidden.into_response(),
        Ok(None) => return AppError::Unauthorized.into_response(),
        Err(e) => return e.into_response(),
    }
    let filter = match AuditFilter::parse(|k| params.get(k).cloned()) {
        Ok(f) => AuditFilter { after: None, ..f },
        Err(errors) => return AppError::Invalid(errors).into_response(),
    };
    if let Err(e) = check_action(&filter) {
        return e.into_response();
    }
    let entries = match search(&state.pool, state.dialect, &filter, EXPORT_LIMIT).await {
        Ok(entries) => entries,
        Err(e) => return e.into_response(),
    };
    let mut body = format!("{}id,time,actor,action,target,address\r\n", csv::BOM);
    for e in &entries {
        let line = [
            e.id.to_string(),
            crate::shared::time::format_time(e.at),
            e.actor.clone().unwrap_or_default(),
            e.action.clone(),
            e.target.clone(),
            e.address.clone(),
        ]
        .iter()
        .map(|f| csv::field(f))
        .collect::<Vec<_>>()
        .join(",");
        body.push_str(&line);
        body.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}
