//! A vacancy's moves through the shared step (server only).

use super::{VacancyAction, VacancyActor, VacancyStatus, MOVES};
use crate::account::EmployerStatus;
use crate::applications::machine::next;
use crate::applications::machine::ssr::{record_step, Tables};
use crate::error::{AppError, AppResult};
use crate::shared::identity::Me;
use sqlx::AnyConnection;

const TABLES: Tables = Tables { records: "vacancies", events: "vacancy_events", record_key: "vacancy_id" };

/// The employer organisation `me` acts for.
pub async fn employer_for(conn: &mut AnyConnection, me: &Me) -> AppResult<(i64, EmployerStatus)> {
    super::ssr::employer_of(conn, me.id).await?.ok_or(AppError::Forbidden)
}

/// Moves a vacancy by `action` if the table allows it from `from` and the version has not
/// moved: the status, the version and the timeline event in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn move_vacancy(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    from: VacancyStatus,
    action: VacancyAction,
    by: VacancyActor,
    me: &Me,
    reason: &str,
) -> AppResult<VacancyStatus> {
    let to = next(MOVES, from, action, by).ok_or(AppError::Conflict("vacancy.not_allowed".into()))?;
    record_step(conn, &TABLES, id, version, from, to, me, reason, action.as_str()).await?;
    Ok(to)
}
