//! Vacancy server functions: public search and pages, the employer's postings, the case
//! workers' review and the admins' screening rules. Each checks who is asking where it reads.

use super::screening::Rule;
use super::{SearchPage, Vacancy};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::machine_ssr::{employer_for, move_vacancy},
    super::posting::{self, PostingFields},
    super::screening::RuleKind,
    super::ssr::{self as q, SearchFilters},
    super::{VacancyAction, VacancyStatus},
    crate::account::EmployerStatus,
    crate::error::FieldErrors,
    crate::shared::identity::Role,
    crate::shared::validate::{choice, text},
    crate::ssr::{current_user, pool, require_role, require_staff, state},
};

/// Published vacancies for anyone: keyword, filters, sort and page as the GET form sends them.
#[expect(clippy::too_many_arguments, reason = "one argument per field of the GET form")]
#[server(endpoint = "vacancies/search")]
pub async fn search_vacancies(
    q: Option<String>,
    category: Option<String>,
    place: Option<String>,
    salary: Option<String>,
    education: Option<String>,
    kind: Option<String>,
    sort: Option<String>,
    page: Option<String>,
) -> Result<SearchPage, AppError> {
    let form = [("q", q), ("category", category), ("place", place), ("salary", salary), ("education", education), ("kind", kind), ("sort", sort), ("page", page)];
    let filters = SearchFilters::from_form(|k| form.iter().find(|(name, _)| *name == k).and_then(|(_, v)| v.clone()));
    let state = state()?;
    q::search(&state.pool, state.dialect, &filters, &crate::ssr::today()).await
}

/// One vacancy: for anyone while it is listed; its employer and case workers see it in any
/// status. To everyone else an unlisted vacancy does not exist.
#[server(endpoint = "vacancies/get")]
pub async fn get_vacancy(id: i64) -> Result<Vacancy, AppError> {
    let pool = pool()?;
    let mut vacancy = q::load(&pool, id).await?.ok_or(AppError::NotFound)?;
    let me = current_user().await?;
    let owner = match &me {
        Some(me) if me.role == Role::Employer => {
            let mut conn = pool.acquire().await?;
            q::employer_of(&mut conn, me.id).await?.is_some_and(|(e, _)| e == vacancy.employer_id)
        }
        _ => false,
    };
    if owner || me.as_ref().is_some_and(|m| m.role.is_staff()) {
        return Ok(vacancy);
    }
    if !vacancy.is_listed(&crate::ssr::today()) {
        return Err(AppError::NotFound);
    }
    // What the screening found and a case worker's note are for the employer and the desk.
    vacancy.screening = Default::default();
    vacancy.review_note.clear();
    Ok(vacancy)
}

/// A vacancy with its schema.org `JobPosting` (JSON-LD) for search engines.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VacancyPageData {
    pub vacancy: Vacancy,
    pub json_ld: String,
}

/// What the vacancy page shows: [`get_vacancy`] and its structured data.
#[server(endpoint = "vacancies/page")]
pub async fn get_vacancy_page(id: i64) -> Result<VacancyPageData, AppError> {
    let vacancy = get_vacancy(id).await?;
    let json_ld = super::feed::job_posting_json_ld(&vacancy, &state()?.settings.base_url);
    Ok(VacancyPageData { vacancy, json_ld })
}

/// The employer's own postings, every status.
#[server(endpoint = "vacancies/mine")]
pub async fn my_vacancies() -> Result<(EmployerState, Vec<Vacancy>), AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let (employer_id, status) = q::employer_of(&mut conn, me.id).await?.ok_or(AppError::Forbidden)?;
    let verified = status == EmployerStatus::Verified;
    let suspension: Option<Option<String>> =
        sqlx::query_scalar("SELECT suspension_reason FROM employers WHERE id = $1 AND suspended_at IS NOT NULL")
            .bind(employer_id)
            .fetch_optional(&mut *conn)
            .await?;
    let state = EmployerState { verified, suspended: suspension.map(Option::unwrap_or_default) };
    Ok((state, q::of_employer(&pool, employer_id).await?))
}

/// What the employer's pages need to know about the organisation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EmployerState {
    pub verified: bool,
    /// Suspended by a case worker, with the reason it was given.
    pub suspended: Option<String>,
}

/// Creates or edits a posting. `intent` is `draft` (keep it to myself) or `publish`: a clean
/// posting from a verified employer is published at once, a flagged one waits for review.
#[expect(clippy::too_many_arguments, reason = "one argument per form field, as ActionForm posts them")]
#[server(endpoint = "vacancies/save")]
pub async fn save_vacancy(
    id: Option<String>,
    version: Option<String>,
    title: String,
    description: String,
    category: String,
    place: String,
    salary_min: String,
    salary_max: String,
    education: String,
    headcount: String,
    kind: String,
    seats: Option<String>,
    period_months: Option<String>,
    stipend: Option<String>,
    expires_on: String,
    intent: String,
) -> Result<(), AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let fields = PostingFields { title, description, category, place, salary_min, salary_max, education, headcount, kind, seats, period_months, stipend, expires_on };
    let posted = posting::parse(&fields);
    let publish = match intent.as_str() {
        "publish" => true,
        "draft" => false,
        _ => return Err(AppError::field("", "error.bad_request")),
    };
    let posting = posted?;
    let edit = match id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(id) => {
            let id: i64 = id.parse().map_err(|_| AppError::field("", "error.bad_request"))?;
            let version: i64 = version.as_deref().unwrap_or("").trim().parse().map_err(|_| AppError::field("", "error.bad_request"))?;
            Some(posting::Edit { id, version })
        }
    };
    let mut tx = crate::ssr::begin().await?;
    let (_, action) = posting::save(&mut tx, state()?.dialect, &me, edit, &posting, publish).await?;
    tx.commit().await?;
    let notice = match action {
        VacancyAction::Publish => "vacancy_published",
        VacancyAction::Hold => "vacancy_held",
        _ => "vacancy_saved",
    };
    leptos_axum::redirect(&format!("/employer/vacancies?notice={notice}"));
    Ok(())
}

/// Takes a published vacancy off the list (its employer), or any open one (a case worker).
#[server(endpoint = "vacancies/close")]
pub async fn close_vacancy(id: i64, version: i64) -> Result<(), AppError> {
    let me = crate::ssr::require_user().await?;
    let mut tx = crate::ssr::begin().await?;
    let (owner, from): (i64, VacancyStatus) =
        sqlx::query_as("SELECT employer_id, status FROM vacancies WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
    let actor = if me.role.is_staff() {
        super::VacancyActor::Staff
    } else if me.role == Role::Employer && employer_for(&mut tx, &me).await?.0 == owner {
        super::VacancyActor::Owner
    } else {
        return Err(AppError::NotFound);
    };
    move_vacancy(&mut tx, id, version, from, VacancyAction::Close, actor, &me, "").await?;
    tx.commit().await?;
    let back = if actor == super::VacancyActor::Staff { "/staff/vacancies" } else { "/employer/vacancies" };
    leptos_axum::redirect(&format!("{back}?notice=vacancy_closed"));
    Ok(())
}

/// Postings waiting for a case worker, oldest first.
#[server(endpoint = "vacancies/review_queue")]
pub async fn review_queue() -> Result<Vec<Vacancy>, AppError> {
    require_staff().await?;
    q::pending_review(&pool()?).await
}

/// A case worker's decision on a flagged posting; a rejection needs a reason, which the
/// employer sees.
#[server(endpoint = "vacancies/decide")]
pub async fn decide_vacancy(id: i64, version: i64, decision: String, reason: Option<String>) -> Result<(), AppError> {
    let me = require_staff().await?;
    let reason = reason.unwrap_or_default().trim().to_string();
    let action = match decision.as_str() {
        "approve" => VacancyAction::Approve,
        "reject" if reason.is_empty() => return Err(AppError::field("reason", "application.reason_required")),
        "reject" => VacancyAction::Reject,
        _ => return Err(AppError::field("", "error.bad_request")),
    };
    if reason.chars().count() > 500 {
        return Err(AppError::field("reason", "validation.text_too_long"));
    }
    let mut tx = crate::ssr::begin().await?;
    let from: VacancyStatus =
        sqlx::query_scalar("SELECT status FROM vacancies WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
    move_vacancy(&mut tx, id, version, from, action, super::VacancyActor::Staff, &me, &reason).await?;
    sqlx::query("UPDATE vacancies SET review_note = $1 WHERE id = $2").bind(&reason).bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    leptos_axum::redirect("/staff/vacancies?notice=vacancy_decided");
    Ok(())
}

/// The screening rules, for admins.
#[server(endpoint = "vacancies/rules")]
pub async fn screening_rules() -> Result<Vec<Rule>, AppError> {
    require_role(&[Role::Admin]).await?;
    q::all_rules(&pool()?).await
}

#[server(endpoint = "vacancies/rules/add")]
pub async fn add_screening_rule(kind: String, pattern: String) -> Result<(), AppError> {
    require_role(&[Role::Admin]).await?;
    let mut e = FieldErrors::new();
    let kind = choice::<RuleKind>(&mut e, "kind", &kind).filter(|k| *k != RuleKind::Pay);
    let pattern = text(&mut e, "pattern", &pattern, 40, true);
    if kind.is_none() {
        e.add("kind", "validation.choose_one");
    }
    e.into_result()?;
    if !q::add_rule(&pool()?, kind.unwrap(), &super::screening::normalise(&pattern)).await? {
        return Err(AppError::field("pattern", "screening.exists"));
    }
    leptos_axum::redirect("/admin/screening?notice=rule_saved");
    Ok(())
}

#[server(endpoint = "vacancies/rules/active")]
pub async fn set_screening_rule_active(id: i64, active: bool) -> Result<(), AppError> {
    require_role(&[Role::Admin]).await?;
    if !q::set_rule_active(&pool()?, id, active).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/admin/screening?notice=rule_saved");
    Ok(())
}
