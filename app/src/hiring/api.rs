//! Hiring server functions: the graduate applies, withdraws and confirms a hire; the employer
//! reads and moves the applicants of its own vacancies only.

use super::{Applicants, JobApplication};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{self as q, MoveDetails},
    super::{Stage, StageAction},
    crate::shared::identity::{Me, Role},
    crate::shared::time::Date,
    crate::shared::validate::text,
    crate::error::FieldErrors,
    crate::ssr::{now, pool, require_role},
};

/// Applies to a listed vacancy with the profile and an optional cover note.
#[server(endpoint = "hiring/apply")]
pub async fn apply_to_vacancy(vacancy_id: i64, cover_note: String) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let mut e = FieldErrors::new();
    let note = text(&mut e, "cover_note", &cover_note, 1000, false);
    e.into_result()?;
    let pool = pool()?;
    let vacancy = crate::vacancies::ssr::load(&pool, vacancy_id).await?.ok_or(AppError::NotFound)?;
    if !vacancy.is_listed(&crate::ssr::today()) {
        return Err(AppError::Conflict("hiring.vacancy_closed".into()));
    }
    if vacancy.kind == crate::vacancies::VacancyKind::Traineeship {
        return Err(AppError::Conflict("hiring.traineeship_signs_up".into()));
    }
    // The employer sees the profile, so there must be one, and its ID number must be the
    // graduate's own (not one waiting for a case worker).
    let mut conn = pool.acquire().await?;
    let facts = crate::applications::ssr::facts(&mut conn, me.id).await?;
    match facts.profile {
        None => return Err(AppError::field("", "hiring.profile_needed")),
        Some(p) if !p.identity_confirmed => return Err(AppError::field("", "rule.identity_confirmed")),
        Some(_) => {}
    }
    drop(conn);
    let mut tx = crate::ssr::begin().await?;
    if q::insert(&mut tx, &me, vacancy_id, &note).await?.is_none() {
        return Err(AppError::Conflict("hiring.already_applied".into()));
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!("/vacancies/{vacancy_id}?notice=job_applied"));
    Ok(())
}

/// The signed-in graduate's application to one vacancy (for its page), if any.
#[server(endpoint = "hiring/mine_for")]
pub async fn my_application_for(vacancy_id: i64) -> Result<Option<JobApplication>, AppError> {
    let Some(me) = crate::ssr::current_user().await? else { return Ok(None) };
    if me.role != Role::Graduate {
        return Ok(None);
    }
    q::for_vacancy(&pool()?, me.id, vacancy_id).await
}

/// Every application of the signed-in graduate, newest first.
#[server(endpoint = "hiring/mine")]
pub async fn my_job_applications() -> Result<Vec<JobApplication>, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    q::of_applicant(&pool()?, me.id).await
}

/// The graduate's own moves: withdraw (any open application), or confirm a hire, which also
/// records them as employed in their profile.
#[server(endpoint = "hiring/respond")]
pub async fn respond(id: i64, version: i64, response: String) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let mut tx = crate::ssr::begin().await?;
    let (_, _, applicant, status) = q::owner_of(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if applicant != me.id {
        return Err(AppError::NotFound);
    }
    match response.as_str() {
        "withdraw" => {
            q::move_application(&mut tx, &me, id, version, status, StageAction::Withdraw, MoveDetails::default()).await?;
        }
        "confirm" if status == Stage::Hired => {
            let confirmed = sqlx::query(
                "UPDATE job_applications SET confirmed_at = $1, version = version + 1, updated_at = $1 \
                 WHERE id = $2 AND version = $3 AND confirmed_at IS NULL",
            )
            .bind(now())
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if confirmed.rows_affected() != 1 {
                return Err(AppError::Conflict("application.stale".into()));
            }
            sqlx::query("UPDATE profiles SET employment_status = $1, updated_at = $2 WHERE user_id = $3")
                .bind(crate::shared::values::EmploymentStatus::Employed)
                .bind(now())
                .bind(me.id)
                .execute(&mut *tx)
                .await?;
        }
        "confirm" => return Err(AppError::Conflict("hiring.not_allowed".into())),
        _ => return Err(AppError::field("", "error.bad_request")),
    }
    tx.commit().await?;
    leptos_axum::redirect("/my?notice=job_updated");
    Ok(())
}

/// The employer's vacancy an application or vacancy belongs to, or 404: another employer's
/// applicants do not exist as far as this one can tell.
#[cfg(feature = "ssr")]
async fn own_employer(conn: &mut sqlx::AnyConnection, me: &Me) -> Result<i64, AppError> {
    Ok(crate::vacancies::ssr::employer_of(conn, me.id).await?.ok_or(AppError::Forbidden)?.0)
}

/// The applicants of one of the employer's vacancies.
#[server(endpoint = "hiring/applicants")]
pub async fn vacancy_applicants(vacancy_id: i64) -> Result<Applicants, AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let employer = own_employer(&mut conn, &me).await?;
    drop(conn);
    let vacancy = crate::vacancies::ssr::load(&pool, vacancy_id).await?.filter(|v| v.employer_id == employer).ok_or(AppError::NotFound)?;
    Ok(Applicants { vacancy_id, title: vacancy.title, applicants: q::applicants(&pool, vacancy_id).await? })
}

/// Moves an applicant: shortlist, interview (time and place), offer, hire or reject, with an
/// optional note the graduate reads.
#[server(endpoint = "hiring/move")]
pub async fn move_applicant(
    id: i64,
    version: i64,
    action: String,
    note: Option<String>,
    interview_at: Option<String>,
    interview_place: Option<String>,
) -> Result<(), AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let action = StageAction::parse(&action).filter(|a| *a != StageAction::Withdraw).ok_or_else(|| AppError::field("", "error.bad_request"))?;
    let mut e = FieldErrors::new();
    let note = text(&mut e, "note", note.as_deref().unwrap_or(""), 500, false);
    let interview = if action == StageAction::Interview {
        let at = interview_at.as_deref().map(str::trim).unwrap_or("");
        if !is_local_datetime(at) {
            e.add("interview_at", "hiring.interview_at_invalid");
        }
        let place = text(&mut e, "interview_place", interview_place.as_deref().unwrap_or(""), 200, true);
        Some((at.to_string(), place))
    } else {
        None
    };
    e.into_result()?;
    let mut tx = crate::ssr::begin().await?;
    let employer = own_employer(&mut tx, &me).await?;
    let (vacancy_id, owner, _, status) = q::owner_of(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if owner != employer {
        return Err(AppError::NotFound);
    }
    let details = MoveDetails { note: &note, interview: interview.as_ref().map(|(at, place)| (at.as_str(), place.as_str())) };
    q::move_application(&mut tx, &me, id, version, status, action, details).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/employer/vacancies/{vacancy_id}/applicants?notice=applicant_moved"));
    Ok(())
}

/// `YYYY-MM-DDTHH:MM`, as a `datetime-local` field sends it (seconds allowed), a real date.
#[cfg(feature = "ssr")]
fn is_local_datetime(s: &str) -> bool {
    let Some((date, time)) = s.split_once('T') else { return false };
    let hm: Vec<&str> = time.split(':').collect();
    Date::parse(date).is_ok()
        && (2..=3).contains(&hm.len())
        && hm.iter().all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
        && hm[0].parse::<u8>().is_ok_and(|h| h < 24)
        && hm[1].parse::<u8>().is_ok_and(|m| m < 60)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn an_interview_time_is_a_real_date_and_time() {
        for good in ["2026-12-05T14:00", "2026-12-05T09:30:00"] {
            assert!(super::is_local_datetime(good), "{good}");
        }
        for bad in ["", "2026-12-05", "2026-13-05T14:00", "2026-12-05T24:00", "2026-12-05T9:00", "2026-12-05 14:00", "明天下午"] {
            assert!(!super::is_local_datetime(bad), "{bad}");
        }
    }
}
