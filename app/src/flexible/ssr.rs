//! The flexible-employment subsidy's hooks (server only): the figure is computed again on
//! approval, with the parameters and the graduation date of that day, and recorded.

use super::{compute, Computation, FlexibleRequest, Terms};
use crate::applications::service::ssr::{Hooks, Moved, Payload};
use crate::applications::ssr::payload_of;
use crate::error::{AppError, AppResult};
use crate::shared::time::Date;
use crate::ssr::now;
use super::api::Panel;
use sqlx::AnyConnection;

impl Payload for FlexibleRequest {}

async fn computation_today(conn: &mut AnyConnection, application_id: i64, request: &FlexibleRequest) -> AppResult<Option<Computation>> {
    let graduated: Option<String> = sqlx::query_scalar("SELECT p.graduation_date FROM profiles p JOIN applications a ON a.applicant_id = p.user_id WHERE a.id = $1")
        .bind(application_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(graduated) = graduated.and_then(|g| Date::parse(&g).ok()) else {
        return Ok(None);
    };
    let policy = crate::policy::ssr::load(conn).await?;
    Ok(Some(compute(&request.contributions, graduated, Terms::on(&policy, Date::today_from_unix(now())))))
}

pub struct FlexibleHooks;

#[async_trait::async_trait]
impl Hooks for FlexibleHooks {
    /// Applied for on the service's own form, never straight from "what can I apply for".
    async fn payload(&self, _: &mut AnyConnection, _: &crate::shared::identity::Me) -> AppResult<serde_json::Value> {
        Err(AppError::field("", "application.use_the_form"))
    }

    async fn on_approved(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
        let request: FlexibleRequest = payload_of(&mut *conn, moved.application_id).await?;
        let c = computation_today(&mut *conn, moved.application_id, &request)
            .await?
            .ok_or_else(|| AppError::internal(format_args!("application {} has no graduation date to compute with", moved.application_id)))?;
        sqlx::query(
            "INSERT INTO flexible_subsidies (application_id, months_counted, paid_fen, share_percent, amount_fen, computed_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(moved.application_id)
        .bind(c.counted.len() as i64)
        .bind(c.paid_fen)
        .bind(c.share_percent.to_string())
        .bind(c.amount_fen)
        .bind(now())
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn panel_data(&self, conn: &mut AnyConnection, application_id: i64) -> AppResult<Option<serde_json::Value>> {
        let request: FlexibleRequest = payload_of(&mut *conn, application_id).await?;
        let recorded: Option<(i64, i64, String, i64)> =
            sqlx::query_as("SELECT months_counted, paid_fen, share_percent, amount_fen FROM flexible_subsidies WHERE application_id = $1")
                .bind(application_id)
                .fetch_optional(&mut *conn)
                .await?;
        let mut computation = computation_today(conn, application_id, &request).await?;
        if let (Some(c), Some((_, paid, share, amount))) = (computation.as_mut(), &recorded) {
            // The recorded figures are what was granted, whatever the parameters say today.
            c.paid_fen = *paid;
            c.share_percent = share.parse().unwrap_or(c.share_percent);
            c.amount_fen = *amount;
        }
        let panel = Panel { request, computation, recorded: recorded.is_some() };
        Ok(Some(serde_json::to_value(panel).map_err(AppError::internal)?))
    }
}
