//! Startup services' storage (server only): the hooks the engine calls inside a transition
//! (a loan's approved terms and its disbursement, the subsidy granted, space taken from a base
//! on admission and given back on leaving) and the incubation bases.

use super::api::{IncubationPanel, LoanPanel, SubsidyPanel};
use super::{subsidy_window, whole_months, Base, IncubationRequest, LoanLimits, LoanRequest, SubsidyRequest};
use crate::applications::service::ssr::{Hooks, Moved, Payload};
use crate::applications::ssr::payload_of;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::policy::Param;
use crate::shared::time::Date;
use crate::ssr::now;
use sqlx::{AnyConnection, AnyPool};

impl Payload for LoanRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        if self.amount_fen <= 0 || self.term_years <= 0 {
            return Err(e_of(self));
        }
        Ok(())
    }
}

/// The field errors of a payload that failed its own checks (only a bug builds one).
fn e_of<T: std::fmt::Debug>(what: &T) -> FieldErrors {
    tracing::error!(?what, "a payload failed its own checks");
    let mut e = FieldErrors::new();
    e.add("", "error.bad_request");
    e
}

impl Payload for SubsidyRequest {}
impl Payload for IncubationRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        if self.space <= 0 {
            return Err(e_of(&self.space));
        }
        Ok(())
    }
}

async fn policy_today(conn: &mut AnyConnection) -> AppResult<(crate::policy::Policy, Date)> {
    Ok((crate::policy::ssr::load(conn).await?, Date::today_from_unix(now())))
}

/// The terms a case worker grants, written just before the approval moves the application.
pub async fn record_loan_terms(conn: &mut AnyConnection, application_id: i64, fen: i64, years: i64, by: i64) -> AppResult<()> {
    sqlx::query("INSERT INTO startup_loans (application_id, approved_fen, approved_years, approved_by, approved_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(application_id)
        .bind(fen)
        .bind(years)
        .bind(by)
        .bind(now())
        .execute(conn)
        .await
        .map_err(|e| {
            // Another approval of the same application committed first.
            if crate::db::is_unique_violation(&e) {
                AppError::Conflict("application.stale".into())
            } else {
                AppError::from(e)
            }
        })?;
    Ok(())
}

pub struct LoanHooks;

#[async_trait::async_trait]
impl Hooks for LoanHooks {
    /// Applied for on the service's own form, never straight from "what can I apply for".
    async fn payload(&self, _: &mut AnyConnection, _: &crate::shared::identity::Me) -> AppResult<serde_json::Value> {
        Err(AppError::field("", "application.use_the_form"))
    }

    async fn on_approved(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
        // A loan is approved only with its terms, from the panel's form (`approve_loan`).
        let terms: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM startup_loans WHERE application_id = $1").bind(moved.application_id).fetch_one(conn).await?;
        if terms == 0 {
            return Err(AppError::field("", "startup.approve_with_terms"));
        }
        Ok(())
    }

    async fn on_completed(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
        sqlx::query("UPDATE startup_loans SET disbursed_at = $1 WHERE application_id = $2").bind(now()).bind(moved.application_id).execute(conn).await?;
        Ok(())
    }

    async fn panel_data(&self, conn: &mut AnyConnection, application_id: i64) -> AppResult<Option<serde_json::Value>> {
        let request: LoanRequest = payload_of(&mut *conn, application_id).await?;
        let decision: Option<(i64, i64, Option<i64>)> =
            sqlx::query_as("SELECT approved_fen, approved_years, disbursed_at FROM startup_loans WHERE application_id = $1")
                .bind(application_id)
                .fetch_optional(&mut *conn)
                .await?;
        let (policy, today) = policy_today(conn).await?;
        let panel = LoanPanel { request, limits: LoanLimits::on(&policy, today), decision };
        Ok(Some(serde_json::to_value(panel).map_err(AppError::internal)?))
    }
}

pub struct SubsidyHooks;

#[async_trait::async_trait]
impl Hooks for SubsidyHooks {
    /// Applied for on the service's own form, never straight from "what can I apply for".
    async fn payload(&self, _: &mut AnyConnection, _: &crate::shared::identity::Me) -> AppResult<serde_json::Value> {
        Err(AppError::field("", "application.use_the_form"))
    }

    /// Grants the amount in force on the day of approval.
    async fn on_approved(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
        let request: SubsidyRequest = payload_of(&mut *conn, moved.application_id).await?;
        let (policy, today) = policy_today(&mut *conn).await?;
        let amount = super::subsidy_fen(&policy, today);
        sqlx::query("INSERT INTO startup_subsidies (application_id, amount_fen, months_operating, granted_at) VALUES ($1, $2, $3, $4)")
            .bind(moved.application_id)
            .bind(amount)
            .bind(whole_months(request.registered_on, today))
            .bind(now())
            .execute(conn)
            .await?;
        Ok(())
    }

    async fn panel_data(&self, conn: &mut AnyConnection, application_id: i64) -> AppResult<Option<serde_json::Value>> {
        let request: SubsidyRequest = payload_of(&mut *conn, application_id).await?;
        let granted: Option<(i64, i64)> = sqlx::query_as("SELECT amount_fen, months_operating FROM startup_subsidies WHERE application_id = $1")
            .bind(application_id)
            .fetch_optional(&mut *conn)
            .await?;
        let (policy, today) = policy_today(conn).await?;
        let min_months = policy.get(Param::StartupSubsidyMonthsOperating, today) as i64;
        let within = policy.get(Param::StartupSubsidyYearsSinceRegistration, today) as i32;
        let panel = SubsidyPanel {
            months_operating: whole_months(request.registered_on, today),
            window_problem: subsidy_window(request.registered_on, today, min_months, within).err().map(str::to_string),
            amount_fen: super::subsidy_fen(&policy, today),
            request,
            granted,
        };
        Ok(Some(serde_json::to_value(panel).map_err(AppError::internal)?))
    }
}

pub struct IncubationHooks;

#[async_trait::async_trait]
impl Hooks for IncubationHooks {
    /// Applied for on the service's own form, never straight from "what can I apply for".
    async fn payload(&self, _: &mut AnyConnection, _: &crate::shared::identity::Me) -> AppResult<serde_json::Value> {
        Err(AppError::field("", "application.use_the_form"))
    }

    /// Takes the space from the base in the approving transaction: the conditional update
    /// runs one at a time per base on both databases, so approvals racing for the last square
    /// metres admit only as many as fit, and the others roll back with a clear refusal.
    async fn on_approved(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
        let request: IncubationRequest = payload_of(&mut *conn, moved.application_id).await?;
        let taken = sqlx::query("UPDATE incubation_bases SET free_space = free_space - $1, updated_at = $2 WHERE id = $3 AND free_space >= $1")
            .bind(request.space)
            .bind(now())
            .bind(request.base_id)
            .execute(&mut *conn)
            .await?;
        if taken.rows_affected() != 1 {
            return Err(AppError::Conflict("incubation.not_enough_space".into()));
        }
        sqlx::query("INSERT INTO incubation_admissions (application_id, base_id, space, admitted_at) VALUES ($1, $2, $3, $4)")
            .bind(moved.application_id)
            .bind(request.base_id)
            .bind(request.space)
            .bind(now())
            .execute(conn)
            .await?;
        Ok(())
    }

    /// The founder left: the space goes back (never past the base's total, which a case worker
    /// may have lowered since).
    async fn on_completed(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
        let t = now();
        let admission: Option<(i64, i64)> = sqlx::query_as("SELECT base_id, space FROM incubation_admissions WHERE application_id = $1 AND left_at IS NULL")
            .bind(moved.application_id)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some((base_id, space)) = admission {
            sqlx::query(
                "UPDATE incubation_bases SET free_space = CASE WHEN free_space + $1 > total_space THEN total_space ELSE free_space + $1 END, \
                 updated_at = $2 WHERE id = $3",
            )
            .bind(space)
            .bind(t)
            .bind(base_id)
            .execute(&mut *conn)
            .await?;
            sqlx::query("UPDATE incubation_admissions SET left_at = $1 WHERE application_id = $2").bind(t).bind(moved.application_id).execute(conn).await?;
        }
        Ok(())
    }

    async fn panel_data(&self, conn: &mut AnyConnection, application_id: i64) -> AppResult<Option<serde_json::Value>> {
        let request: IncubationRequest = payload_of(&mut *conn, application_id).await?;
        let admission: Option<(i64, Option<i64>)> = sqlx::query_as("SELECT space, left_at FROM incubation_admissions WHERE application_id = $1")
            .bind(application_id)
            .fetch_optional(&mut *conn)
            .await?;
        let free: Option<i64> = sqlx::query_scalar("SELECT free_space FROM incubation_bases WHERE id = $1").bind(request.base_id).fetch_optional(conn).await?;
        let panel = IncubationPanel { request, admission, free_now: free.unwrap_or(0) };
        Ok(Some(serde_json::to_value(panel).map_err(AppError::internal)?))
    }
}

const BASE_COLUMNS: &str = "id, name, address, total_space, free_space, services";

/// The bases by name; with `free_only`, those with space left.
pub async fn bases(pool: &AnyPool, free_only: bool) -> AppResult<Vec<Base>> {
    let filter = if free_only { "WHERE free_space > 0" } else { "" };
    Ok(sqlx::query_as(&format!("SELECT {BASE_COLUMNS} FROM incubation_bases {filter} ORDER BY name LIMIT 500")).fetch_all(pool).await?)
}

pub async fn base(pool: &AnyPool, id: i64) -> AppResult<Option<Base>> {
    Ok(sqlx::query_as(&format!("SELECT {BASE_COLUMNS} FROM incubation_bases WHERE id = $1")).bind(id).fetch_optional(pool).await?)
}

/// Inserts a base (`id` none) or updates one; a second base of the same name is refused
/// under the name field.
pub async fn save_base(pool: &AnyPool, id: Option<i64>, b: &Base) -> AppResult<()> {
    let t = now();
    let result = match id {
        None => sqlx::query(
            "INSERT INTO incubation_bases (name, address, total_space, free_space, services, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(&b.name)
        .bind(&b.address)
        .bind(b.total_space)
        .bind(b.free_space)
        .bind(&b.services)
        .bind(t)
        .execute(pool)
        .await,
        Some(id) => sqlx::query(
            "UPDATE incubation_bases SET name = $1, address = $2, total_space = $3, free_space = $4, services = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(&b.name)
        .bind(&b.address)
        .bind(b.total_space)
        .bind(b.free_space)
        .bind(&b.services)
        .bind(t)
        .bind(id)
        .execute(pool)
        .await,
    };
    match result {
        Ok(r) if r.rows_affected() == 1 => Ok(()),
        Ok(_) => Err(AppError::NotFound),
        Err(e) if crate::db::is_unique_violation(&e) => Err(AppError::field("name", "incubation.name_taken")),
        Err(e) => Err(e.into()),
    }
}
