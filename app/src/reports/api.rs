//! The dashboard's one server function.

use super::Dashboard;
#[cfg(feature = "ssr")]
use super::Period;
use crate::error::AppError;
use leptos::prelude::*;

/// The figures for a period (`from`/`to` as `YYYY-MM-DD`, empty for the last twelve weeks) and
/// optionally one household-registration place. Case workers and admins only.
#[server(endpoint = "reports/dashboard")]
pub async fn get_dashboard(from: Option<String>, to: Option<String>, place: Option<String>) -> Result<Dashboard, AppError> {
    use crate::ssr::{now, pool, require_staff, state};
    require_staff().await?;
    let today = crate::shared::time::Date::today_from_unix(now());
    let period = Period::parse(from.as_deref(), to.as_deref(), place.as_deref(), today)?;
    super::ssr::dashboard(&pool()?, state()?.dialect, period).await
}
