//! Traineeship server functions: signing up on a position's page, the base's decisions and the
//! end of a traineeship, and the case workers' bases and list. Each checks who is asking where
//! it reads or writes: a base acts only on its own sign-ups, a graduate only signs up.

use super::{BaseOverview, SignUpState, StaffOverview};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{self as q, SignUpPayload},
    super::{last_day, Outcome, Traineeship},
    crate::applications::eligibility::evaluate,
    crate::applications::model::{Action, Kind},
    crate::applications::service::ssr::to_json,
    crate::applications::ssr::{create_submitted, facts, transition_in},
    crate::error::FieldErrors,
    crate::shared::identity::{safe_local_path, Me, Role},
    crate::shared::time::Date,
    crate::shared::validate::{choice, text},
    crate::shared::values::Place,
    crate::ssr::{audit, client_address, current_user, now, pool, require_role, require_staff, require_user, AuditAction},
    crate::vacancies::ssr::employer_of,
    crate::vacancies::VacancyKind,
    sqlx::AnyConnection,
};

/// What the sign-up panel of a position's page shows the reader: nothing for a job, a note for
/// a position whose employer is not a base, otherwise the seats left, the graduate's own
/// sign-up and whether they may sign up.
#[server(endpoint = "traineeship/state")]
pub async fn position_sign_up(vacancy_id: i64) -> Result<SignUpState, AppError> {
    // Who is reading, first: while the page renders on the server this runs as a resource, and
    // the request's context is only certain before the first query (read after three queries it
    // was at times already gone: "AppState missing", and the page did not hydrate).
    let reader = current_user().await?;
    let pool = pool()?;
    let Some(vacancy) = crate::vacancies::ssr::load(&pool, vacancy_id).await? else { return Ok(SignUpState::NotTraineeship) };
    if vacancy.kind != VacancyKind::Traineeship {
        return Ok(SignUpState::NotTraineeship);
    }
    let mut conn = pool.acquire().await?;
    if !q::is_base(&mut conn, vacancy.employer_id).await? {
        return Ok(SignUpState::NotBase);
    }
    let (seats, seats_taken) = q::seats(&mut conn, vacancy_id).await?;
    let (mine, eligibility) = match reader {
        Some(me) if me.role == Role::Graduate => {
            let mine = q::of_applicant_for(&mut conn, me.id, vacancy_id).await?.map(Box::new);
            let facts = facts(&mut conn, me.id).await?;
            let policy = crate::policy::ssr::load(&mut conn).await?;
            (mine, Some(evaluate(Kind::Traineeship, &facts, &policy, Date::today_from_unix(now()))))
        }
        _ => (None, None),
    };
    Ok(SignUpState::Open { seats: seats.unwrap_or(0), seats_taken, mine, eligibility })
}

/// Signs the graduate up for a base's traineeship position: the rules first, then a seat, then
/// the application, all in one write transaction (see `ssr` on why the seat is taken here).
#[server(endpoint = "traineeship/sign_up")]
pub async fn sign_up(vacancy_id: i64) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    if !me.email_verified {
        return Err(AppError::field("", "application.verify_email_first"));
    }
    let pool = pool()?;
    let vacancy = crate::vacancies::ssr::load(&pool, vacancy_id).await?.ok_or(AppError::NotFound)?;
    if vacancy.kind != VacancyKind::Traineeship {
        return Err(AppError::Conflict("traineeship.not_a_position".into()));
    }
    if !vacancy.is_listed(&crate::ssr::today()) {
        return Err(AppError::Conflict("traineeship.position_closed".into()));
    }
    let mut tx = crate::ssr::begin().await?;
    if !q::is_base(&mut tx, vacancy.employer_id).await? {
        return Err(AppError::Conflict("traineeship.not_a_base".into()));
    }
    let facts = facts(&mut tx, me.id).await?;
    let policy = crate::policy::ssr::load(&mut tx).await?;
    if let Some(failed) = evaluate(Kind::Traineeship, &facts, &policy, Date::today_from_unix(now())).first_failure() {
        return Err(AppError::field("", &failed.key));
    }
    if !q::take_seat(&mut tx, vacancy_id).await? {
        return Err(AppError::Conflict("traineeship.full".into()));
    }
    let payload = to_json(&SignUpPayload {
        vacancy_id,
        title: vacancy.title.clone(),
        employer_name: vacancy.employer_name.clone(),
        period_months: vacancy.period_months.unwrap_or(0),
        stipend: vacancy.stipend.unwrap_or(0),
    })?;
    let place: Place = sqlx::query_scalar("SELECT household_place FROM profiles WHERE user_id = $1").bind(me.id).fetch_one(&mut *tx).await?;
    let (application_id, _) = create_submitted(&mut tx, &me, Kind::Traineeship, &payload, place).await?;
    q::insert(&mut tx, application_id, vacancy_id, vacancy.employer_id, me.id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/vacancies/{vacancy_id}?notice=traineeship_signed_up"));
    Ok(())
}

/// The base's own sign-ups, for any member of the employer.
#[server(endpoint = "traineeship/base")]
pub async fn my_base() -> Result<BaseOverview, AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let (employer_id, _) = employer_of(&mut conn, me.id).await?.ok_or(AppError::Forbidden)?;
    let is_base = q::is_base(&mut conn, employer_id).await?;
    let policy = crate::policy::ssr::load(&mut conn).await?;
    let today = Date::today_from_unix(now());
    let traineeships = q::of_employer(&pool, employer_id).await?.into_iter().map(|t| q::line(t, &policy, today)).collect();
    Ok(BaseOverview { is_base, traineeships, today: today.to_string() })
}

/// The sign-up, if the acting employer member's organisation is its base.
#[cfg(feature = "ssr")]
async fn own_sign_up(conn: &mut AnyConnection, me: &Me, application_id: i64) -> Result<Traineeship, AppError> {
    let (employer_id, _) = employer_of(&mut *conn, me.id).await?.ok_or(AppError::Forbidden)?;
    // Another employer's sign-ups do not exist, as far as it can tell.
    q::by_application(conn, application_id).await?.filter(|t| t.employer_id == employer_id).ok_or(AppError::NotFound)
}

/// The base accepts a sign-up (from the day it chooses; the end follows from the position's
/// months) or declines it with a reason the graduate is told.
#[server(endpoint = "traineeship/decide")]
pub async fn decide_sign_up(
    application_id: i64,
    version: i64,
    decision: String,
    starts_on: Option<String>,
    reason: Option<String>,
) -> Result<(), AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let mut tx = crate::ssr::begin().await?;
    let t = own_sign_up(&mut tx, &me, application_id).await?;
    let notice = match decision.as_str() {
        "accept" => {
            let start = match Date::parse(starts_on.as_deref().unwrap_or("")) {
                Ok(d) => d,
                Err(key) => return Err(AppError::field("starts_on", key)),
            };
            let today = Date::today_from_unix(now());
            if start.days_from_epoch() < today.days_from_epoch() - 31 || start > today.plus_years(1) {
                return Err(AppError::field("starts_on", "traineeship.start_out_of_range"));
            }
            transition_in(&mut tx, application_id, version, Action::Approve, &me, true, "", "").await?;
            q::set_dates(&mut tx, application_id, start, last_day(start, t.period_months.unwrap_or(1))).await?;
            "traineeship_accepted"
        }
        "decline" => {
            let mut e = FieldErrors::new();
            let reason = text(&mut e, "reason", reason.as_deref().unwrap_or(""), 1000, true);
            e.into_result()?;
            transition_in(&mut tx, application_id, version, Action::Reject, &me, true, &reason, "").await?;
            "traineeship_declined"
        }
        _ => return Err(AppError::field("decision", "validation.choose_one")),
    };
    tx.commit().await?;
    leptos_axum::redirect(&format!("/employer/traineeships?notice={notice}"));
    Ok(())
}

/// Records how an accepted traineeship ended: completed, or terminated early with a reason. The
/// base does it for its own trainees, a case worker for any.
#[server(endpoint = "traineeship/finish")]
pub async fn finish_traineeship(
    application_id: i64,
    version: i64,
    outcome: String,
    ended_on: String,
    reason: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    let me = require_user().await?;
    let mut tx = crate::ssr::begin().await?;
    let t = if me.role.is_staff() {
        q::by_application(&mut tx, application_id).await?.ok_or(AppError::NotFound)?
    } else if me.role == Role::Employer {
        own_sign_up(&mut tx, &me, application_id).await?
    } else {
        return Err(AppError::Forbidden);
    };
    let mut e = FieldErrors::new();
    let outcome: Option<Outcome> = choice(&mut e, "outcome", &outcome);
    let ended = Date::parse(&ended_on).map_err(|key| e.add("ended_on", key)).ok();
    let start = t.starts_on.as_deref().and_then(|d| Date::parse(d).ok());
    if let (Some(ended), Some(start)) = (ended, start) {
        if ended < start {
            e.add("ended_on", "traineeship.end_before_start");
        }
    }
    let reason = text(&mut e, "reason", reason.as_deref().unwrap_or(""), 1000, outcome == Some(Outcome::Terminated));
    e.into_result()?;
    let (outcome, ended) = (outcome.unwrap(), ended.unwrap());
    transition_in(&mut tx, application_id, version, Action::Complete, &me, !me.role.is_staff(), &reason, "").await?;
    q::record_end(&mut tx, application_id, outcome, ended, if outcome == Outcome::Terminated { &reason } else { "" }).await?;
    tx.commit().await?;
    let path = back.as_deref().and_then(safe_local_path).map(|p| p.split('?').next().unwrap_or("/").to_string());
    let path = path.unwrap_or_else(|| if me.role.is_staff() { "/staff/traineeships".into() } else { "/employer/traineeships".into() });
    leptos_axum::redirect(&format!("{path}?notice=traineeship_finished"));
    Ok(())
}

/// Verified employers (bases first) and every traineeship with the subsidy due, for case workers.
#[server(endpoint = "traineeship/staff")]
pub async fn traineeships_for_staff() -> Result<StaffOverview, AppError> {
    require_staff().await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let policy = crate::policy::ssr::load(&mut conn).await?;
    let today = Date::today_from_unix(now());
    let traineeships = q::all(&pool).await?.into_iter().map(|t| q::line(t, &policy, today)).collect();
    Ok(StaffOverview { employers: q::base_candidates(&pool).await?, traineeships, today: today.to_string() })
}

/// A case worker makes a verified employer a traineeship base (`base` = "on") or ends it.
#[server(endpoint = "traineeship/set_base")]
pub async fn set_base(employer_id: i64, base: String) -> Result<(), AppError> {
    let me = require_staff().await?;
    let mut tx = crate::ssr::begin().await?;
    let (action, notice) = match base.as_str() {
        "on" => {
            if !q::flag(&mut tx, employer_id, me.id).await? {
                return Err(AppError::Conflict("traineeship.base_not_verified".into()));
            }
            (AuditAction::TraineeshipBaseFlagged, "traineeship_base_flagged")
        }
        "off" => {
            q::unflag(&mut tx, employer_id).await?;
            (AuditAction::TraineeshipBaseUnflagged, "traineeship_base_unflagged")
        }
        _ => return Err(AppError::field("base", "validation.choose_one")),
    };
    audit(&mut tx, Some(me.id), action, &employer_id.to_string(), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/staff/traineeships?notice={notice}"));
    Ok(())
}
