//! Startup server functions: the forms' facts (eligibility, limits, the document on file),
//! applying for a loan, the subsidy and a place in a base, the case worker's loan approval with
//! its terms, and the incubation bases (public list, case workers' upkeep).

use super::{Base, LoanLimits};
use crate::applications::eligibility::Eligibility;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::{loan_terms, space, subsidy_window, IncubationRequest, LoanRequest, SubsidyRequest, MAX_NAME_CHARS, MAX_REGISTRATION_NO_CHARS, MAX_SUMMARY_CHARS},
    crate::applications::eligibility::evaluate,
    crate::applications::model::{Action, Kind},
    crate::applications::service::ssr::to_json,
    crate::error::FieldErrors,
    crate::policy::{Param, Policy},
    crate::shared::files::{latest, UploadPurpose},
    crate::shared::identity::{Me, Role},
    crate::shared::time::Date,
    crate::shared::validate::text,
    crate::ssr::{now, pool, require_role, require_staff},
};

/// A document on file: (upload id, type, bytes).
pub type Document = (i64, String, i64);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoanFacts {
    pub eligibility: Eligibility,
    pub limits: LoanLimits,
    pub plan: Option<Document>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubsidyFacts {
    pub eligibility: Eligibility,
    pub amount_fen: i64,
    pub min_months: i64,
    pub within_years: i64,
    pub evidence: Option<Document>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncubationFacts {
    pub eligibility: Eligibility,
    pub bases: Vec<Base>,
}

/// A loan application's panel: what was asked, the limits today, and the decision
/// (approved fen, years, when disbursed) once there is one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoanPanel {
    pub request: super::LoanRequest,
    pub limits: LoanLimits,
    pub decision: Option<(i64, i64, Option<i64>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubsidyPanel {
    pub request: super::SubsidyRequest,
    /// Whole months from registration to today.
    pub months_operating: i64,
    /// The subsidy's condition on dates that fails today, if one does.
    pub window_problem: Option<String>,
    /// The amount in force today.
    pub amount_fen: i64,
    /// What approval granted: (fen, months operating then).
    pub granted: Option<(i64, i64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncubationPanel {
    pub request: super::IncubationRequest,
    /// (space taken, when the founder left) once admitted.
    pub admission: Option<(i64, Option<i64>)>,
    pub free_now: i64,
}

#[cfg(feature = "ssr")]
async fn form_facts(me: &Me, kind: Kind, document: Option<UploadPurpose>) -> Result<(Eligibility, Policy, Date, Option<Document>), AppError> {
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let facts = crate::applications::ssr::facts(&mut conn, me.id).await?;
    let policy = crate::policy::ssr::load(&mut conn).await?;
    let today = Date::today_from_unix(now());
    let doc = match document {
        Some(purpose) => latest(&mut conn, me.id, purpose).await?,
        None => None,
    };
    Ok((evaluate(kind, &facts, &policy, today), policy, today, doc))
}

#[server(endpoint = "startup/loan/form")]
pub async fn loan_form() -> Result<LoanFacts, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let (eligibility, policy, today, plan) = form_facts(&me, Kind::StartupLoan, Some(UploadPurpose::BusinessPlan)).await?;
    Ok(LoanFacts { eligibility, limits: LoanLimits::on(&policy, today), plan })
}

#[cfg(feature = "ssr")]
async fn current_policy() -> Result<(Policy, Date), AppError> {
    let mut conn = pool()?.acquire().await?;
    Ok((crate::policy::ssr::load(&mut conn).await?, Date::today_from_unix(now())))
}

#[cfg(feature = "ssr")]
fn go_to_application(reference: &str) {
    leptos_axum::redirect(&format!("/my/applications/{reference}?notice=application_submitted"));
}

#[server(endpoint = "startup/loan/apply")]
pub async fn apply_loan(amount: String, term_years: String, plan_summary: String, registration_no: Option<String>) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let (policy, today) = current_policy().await?;
    let mut e = FieldErrors::new();
    let terms = loan_terms(&mut e, "amount", &amount, "term_years", &term_years, LoanLimits::on(&policy, today));
    let plan_summary = text(&mut e, "plan_summary", &plan_summary, MAX_SUMMARY_CHARS, true);
    let registration_no = text(&mut e, "registration_no", registration_no.as_deref().unwrap_or(""), MAX_REGISTRATION_NO_CHARS, false);
    let plan = latest(&mut *pool()?.acquire().await?, me.id, UploadPurpose::BusinessPlan).await?;
    if plan.is_none() {
        e.add("plan", "startup.plan_missing");
    }
    e.into_result()?;
    let (amount_fen, term_years) = terms.expect("checked above");
    let request = LoanRequest { amount_fen, term_years, plan_summary, registration_no, plan_upload_id: plan.expect("checked above").0 };
    let reference = crate::applications::ssr::apply_with(&me, Kind::StartupLoan, &to_json(&request)?).await?;
    go_to_application(&reference);
    Ok(())
}

/// Approves a loan with the amount and term the case worker grants (at most what was asked
/// for and the cap in force), in the one transaction that moves the application.
#[server(endpoint = "startup/loan/approve")]
pub async fn approve_loan(application_id: i64, version: i64, approved_amount: String, approved_term: String, note: Option<String>) -> Result<(), AppError> {
    let me = require_staff().await?;
    let (policy, today) = current_policy().await?;
    let mut tx = crate::ssr::begin().await?;
    let row: Option<(String, String)> = sqlx::query_as("SELECT kind, payload FROM applications WHERE id = $1").bind(application_id).fetch_optional(&mut *tx).await?;
    let (kind, payload) = row.ok_or(AppError::NotFound)?;
    if kind != Kind::StartupLoan.as_str() {
        return Err(AppError::NotFound);
    }
    let asked: LoanRequest = serde_json::from_str(&payload).map_err(AppError::internal)?;
    let limits = LoanLimits::on(&policy, today);
    let ceiling = LoanLimits { cap_fen: asked.amount_fen.min(limits.cap_fen), max_years: asked.term_years.min(limits.max_years) };
    let mut e = FieldErrors::new();
    let terms = loan_terms(&mut e, "approved_amount", &approved_amount, "approved_term", &approved_term, ceiling);
    e.into_result()?;
    let (fen, years) = terms.expect("checked above");
    super::ssr::record_loan_terms(&mut tx, application_id, fen, years, me.id).await?;
    let (_, reference) =
        crate::applications::ssr::transition_in(&mut tx, application_id, version, Action::Approve, &me, false, "", note.as_deref().unwrap_or("")).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/staff/applications/{reference}?notice=status_approved"));
    Ok(())
}

#[server(endpoint = "startup/subsidy/form")]
pub async fn subsidy_form() -> Result<SubsidyFacts, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let (eligibility, policy, today, evidence) = form_facts(&me, Kind::StartupSubsidy, Some(UploadPurpose::StartupEvidence)).await?;
    Ok(SubsidyFacts {
        eligibility,
        amount_fen: super::subsidy_fen(&policy, today),
        min_months: policy.get(Param::StartupSubsidyMonthsOperating, today) as i64,
        within_years: policy.get(Param::StartupSubsidyYearsSinceRegistration, today) as i64,
        evidence,
    })
}

#[server(endpoint = "startup/subsidy/apply")]
pub async fn apply_subsidy(
    business_name: String,
    registration_no: String,
    registered_on: String,
    first_business: Option<String>,
) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let (policy, today) = current_policy().await?;
    let mut e = FieldErrors::new();
    let business_name = text(&mut e, "business_name", &business_name, MAX_NAME_CHARS, true);
    let registration_no = text(&mut e, "registration_no", &registration_no, MAX_REGISTRATION_NO_CHARS, true);
    let registered = match Date::parse(&registered_on) {
        Ok(date) => {
            let min_months = policy.get(Param::StartupSubsidyMonthsOperating, today) as i64;
            let within = policy.get(Param::StartupSubsidyYearsSinceRegistration, today) as i32;
            match subsidy_window(date, today, min_months, within) {
                Ok(_) => Some(date),
                Err(key) => {
                    e.add("registered_on", key);
                    None
                }
            }
        }
        Err(key) => {
            e.add("registered_on", key);
            None
        }
    };
    let first_business = first_business.is_some_and(|v| !v.is_empty());
    if !first_business {
        e.add("first_business", "startup.first_business_required");
    }
    let evidence = latest(&mut *pool()?.acquire().await?, me.id, UploadPurpose::StartupEvidence).await?;
    if evidence.is_none() {
        e.add("evidence", "startup.evidence_missing");
    }
    e.into_result()?;
    let request = SubsidyRequest {
        business_name,
        registration_no,
        registered_on: registered.expect("checked above"),
        first_business,
        evidence_upload_id: evidence.expect("checked above").0,
    };
    let reference = crate::applications::ssr::apply_with(&me, Kind::StartupSubsidy, &to_json(&request)?).await?;
    go_to_application(&reference);
    Ok(())
}

/// Every base with free space, for anyone.
#[server(endpoint = "incubation/bases")]
pub async fn incubation_bases() -> Result<Vec<Base>, AppError> {
    super::ssr::bases(&pool()?, true).await
}

#[server(endpoint = "incubation/form")]
pub async fn incubation_form() -> Result<IncubationFacts, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let (eligibility, _, _, _) = form_facts(&me, Kind::Incubation, None).await?;
    Ok(IncubationFacts { eligibility, bases: super::ssr::bases(&pool()?, true).await? })
}

#[server(endpoint = "incubation/apply")]
pub async fn apply_incubation(base_id: String, space_needed: String, project: String) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let mut e = FieldErrors::new();
    let base = match base_id.trim().parse::<i64>() {
        Ok(id) => super::ssr::base(&pool()?, id).await?,
        Err(_) => None,
    };
    if base.is_none() {
        e.add("base_id", "validation.choose_one");
    }
    let space_needed = space(&mut e, "space_needed", &space_needed, false);
    let project = text(&mut e, "project", &project, MAX_SUMMARY_CHARS, true);
    if let (Some(b), Some(s)) = (&base, space_needed) {
        if s > b.free_space {
            e.add("space_needed", "incubation.more_than_free");
        }
    }
    e.into_result()?;
    let base = base.expect("checked above");
    let request = IncubationRequest { base_id: base.id, base_name: base.name, space: space_needed.expect("checked above"), project };
    let reference = crate::applications::ssr::apply_with(&me, Kind::Incubation, &to_json(&request)?).await?;
    go_to_application(&reference);
    Ok(())
}

/// Every base, full or not, for the case workers who keep them.
#[server(endpoint = "incubation/staff/bases")]
pub async fn all_bases() -> Result<Vec<Base>, AppError> {
    require_staff().await?;
    super::ssr::bases(&pool()?, false).await
}

/// Adds a base (no `id`) or changes one.
#[server(endpoint = "incubation/staff/save")]
pub async fn save_base(
    id: Option<String>,
    name: String,
    address: String,
    total_space: String,
    free_space: String,
    services: String,
) -> Result<(), AppError> {
    require_staff().await?;
    let mut e = FieldErrors::new();
    let name = text(&mut e, "name", &name, MAX_NAME_CHARS, true);
    let address = text(&mut e, "address", &address, 200, true);
    let services = text(&mut e, "services", &services, MAX_SUMMARY_CHARS, true);
    let total = space(&mut e, "total_space", &total_space, true);
    let free = space(&mut e, "free_space", &free_space, true);
    if let (Some(t), Some(f)) = (total, free) {
        if f > t {
            e.add("free_space", "incubation.free_over_total");
        }
    }
    e.into_result()?;
    let id = id.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| s.parse::<i64>().map_err(|_| AppError::field("", "error.bad_request"))).transpose()?;
    let base = Base { id: id.unwrap_or(0), name, address, total_space: total.expect("checked"), free_space: free.expect("checked"), services };
    super::ssr::save_base(&pool()?, id, &base).await?;
    leptos_axum::redirect("/staff/incubation?notice=base_saved");
    Ok(())
}
