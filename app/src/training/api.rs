//! Training server functions: the public list and a programme's page, the case workers'
//! institutions, programmes, rosters and results, and the graduate's enrollments and subsidy
//! claims. Each checks who is asking where it reads or writes.

use super::{Institution, MyEnrollment, Programme, ProgrammePage, Roster, StaffOverview};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{self as q, ProgrammeFields},
    super::{parse_fee, ProgrammeKind, TrainingLevel, Viewer},
    crate::error::FieldErrors,
    crate::shared::identity::{safe_local_path, Role},
    crate::shared::time::Date,
    crate::shared::validate::{choice, text},
    crate::shared::values::Place,
    crate::ssr::{audit, client_address, current_user, now, pool, require_role, require_staff, AuditAction},
};

/// Programmes open for enrollment, for anyone, soonest first.
#[server(endpoint = "training/list")]
pub async fn list_programmes() -> Result<Vec<Programme>, AppError> {
    q::upcoming(&pool()?, &crate::ssr::today()).await
}

/// A programme's page and what the reader may do there.
#[server(endpoint = "training/page")]
pub async fn get_programme_page(id: i64) -> Result<ProgrammePage, AppError> {
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let programme = q::load(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let viewer = match current_user().await? {
        None => Viewer::Anyone,
        Some(me) if me.role.is_staff() => Viewer::Staff,
        Some(me) if me.role == Role::Graduate => Viewer::Graduate { enrolled: q::is_enrolled(&mut conn, id, me.id).await? },
        Some(_) => Viewer::Other,
    };
    Ok(ProgrammePage { open: programme.open_for_enrollment(&crate::ssr::today()), programme, viewer })
}

/// Where to go after enrolling or cancelling: the page it was made from when that is one of
/// ours, else the programme's page.
#[cfg(feature = "ssr")]
fn back_to(back: Option<String>, programme_id: i64, notice: &str) {
    let path = back.as_deref().and_then(safe_local_path).map(|p| p.split('?').next().unwrap_or("/").to_string());
    let path = path.unwrap_or_else(|| format!("/training/{programme_id}"));
    leptos_axum::redirect(&format!("{path}?notice={notice}"));
}

/// Takes a seat for the signed-in graduate: one per programme, never more than it has (a full
/// programme answers 409 `training.full`).
#[server(endpoint = "training/enroll")]
pub async fn enroll(programme_id: i64, back: Option<String>) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    if !me.email_verified {
        return Err(AppError::field("", "application.verify_email_first"));
    }
    let mut tx = crate::ssr::begin().await?;
    q::enroll(&mut tx, programme_id, me.id, &crate::ssr::today(), now()).await?;
    tx.commit().await?;
    back_to(back, programme_id, "training_enrolled");
    Ok(())
}

/// Gives the graduate's seat back before the course starts; someone else may then take it.
#[server(endpoint = "training/cancel")]
pub async fn cancel_enrollment(programme_id: i64, back: Option<String>) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let mut tx = crate::ssr::begin().await?;
    q::cancel(&mut tx, programme_id, me.id, &crate::ssr::today()).await?;
    tx.commit().await?;
    back_to(back, programme_id, "training_cancelled");
    Ok(())
}

/// The graduate's enrollments with their results, and the subsidy each can claim now.
#[server(endpoint = "training/mine")]
pub async fn my_enrollments() -> Result<Vec<MyEnrollment>, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let policy = crate::policy::ssr::load(&mut conn).await?;
    q::of_graduate(&mut conn, me.id, &policy, Date::today_from_unix(now())).await
}

/// Claims the training subsidy on a passed, subsidy-eligible enrollment: a `training_subsidy`
/// application with the amount computed from the parameters in force.
#[server(endpoint = "training/claim")]
pub async fn claim_subsidy(enrollment_id: i64) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    if !me.email_verified {
        return Err(AppError::field("", "application.verify_email_first"));
    }
    let mut tx = crate::ssr::begin().await?;
    let today = Date::today_from_unix(now());
    let facts = crate::applications::ssr::facts(&mut tx, me.id).await?;
    let policy = crate::policy::ssr::load(&mut tx).await?;
    let eligibility = crate::applications::eligibility::evaluate(crate::applications::model::Kind::TrainingSubsidy, &facts, &policy, today);
    if let Some(failed) = eligibility.first_failure() {
        return Err(AppError::field("", &failed.key));
    }
    let reference = q::claim(&mut tx, &me, enrollment_id, &policy, today).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/my/applications/{reference}?notice=application_submitted"));
    Ok(())
}

/// The institutions and every programme, for case workers.
#[server(endpoint = "training/staff")]
pub async fn get_staff_overview() -> Result<StaffOverview, AppError> {
    require_staff().await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    Ok(StaffOverview { institutions: q::institutions(&mut conn).await?, programmes: q::all(&mut conn).await? })
}

/// Adds a designated institution.
#[server(endpoint = "training/institution")]
pub async fn add_institution(name: String, address: String, contact: String) -> Result<(), AppError> {
    let me = require_staff().await?;
    let mut e = FieldErrors::new();
    let name = text(&mut e, "name", &name, 100, true);
    let address = text(&mut e, "address", &address, 200, true);
    let contact = text(&mut e, "contact", &contact, 100, true);
    e.into_result()?;
    let mut tx = crate::ssr::begin().await?;
    let id = q::insert_institution(&mut tx, &name, &address, &contact, me.id, now()).await?;
    audit(&mut tx, Some(me.id), AuditAction::TrainingInstitutionAdded, &format!("training_institution:{id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect("/staff/training?notice=institution_added");
    Ok(())
}

/// The programme to edit (`None`: a new one) and the institutions to choose from.
#[server(endpoint = "training/form")]
pub async fn programme_for_form(id: Option<i64>) -> Result<(Option<Programme>, Vec<Institution>), AppError> {
    require_staff().await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let programme = match id {
        None => None,
        Some(id) => Some(q::load(&mut conn, id).await?.ok_or(AppError::NotFound)?),
    };
    Ok((programme, q::institutions(&mut conn).await?))
}

/// Creates a programme, or edits one (`id`).
#[expect(clippy::too_many_arguments, reason = "one argument per form field, as ActionForm posts them")]
#[server(endpoint = "training/save")]
pub async fn save_programme(
    id: Option<String>,
    institution_id: String,
    title: String,
    occupation: String,
    level: String,
    kind: String,
    description: String,
    starts_on: String,
    ends_on: String,
    seats: String,
    place: String,
    venue: String,
    fee: String,
    subsidy_eligible: Option<String>,
) -> Result<(), AppError> {
    let me = require_staff().await?;
    let mut e = FieldErrors::new();
    let institution_id = institution_id.trim().parse::<i64>().ok();
    if institution_id.is_none() {
        e.add("institution_id", "validation.choose_one");
    }
    let title = text(&mut e, "title", &title, 80, true);
    let occupation = text(&mut e, "occupation", &occupation, 60, true);
    let level = choice::<TrainingLevel>(&mut e, "level", &level);
    let kind = choice::<ProgrammeKind>(&mut e, "kind", &kind);
    let description = text(&mut e, "description", &description, 5000, false);
    let today = Date::today_from_unix(now());
    let starts = Date::parse(&starts_on).map_err(|k| e.add("starts_on", k)).ok();
    let ends = Date::parse(&ends_on).map_err(|k| e.add("ends_on", k)).ok();
    if starts.is_some_and(|d| d > today.plus_years(1)) {
        e.add("starts_on", "training.date_range");
    }
    if let (Some(s), Some(f)) = (starts, ends) {
        if f < s {
            e.add("ends_on", "training.end_before_start");
        }
    }
    let seats = match seats.trim().parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => Some(n),
        _ => {
            e.add("seats", "training.seats_invalid");
            None
        }
    };
    let place = choice::<Place>(&mut e, "place", &place);
    let venue = text(&mut e, "venue", &venue, 200, true);
    let fee_fen = parse_fee(&fee).map_err(|k| e.add("fee", k)).ok();
    let id = match id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(id) => Some(id.parse::<i64>().map_err(|_| AppError::field("", "error.bad_request"))?),
    };
    let mut tx = crate::ssr::begin().await?;
    if let Some(institution) = institution_id {
        let known: Option<i64> =
            sqlx::query_scalar("SELECT id FROM training_institutions WHERE id = $1").bind(institution).fetch_optional(&mut *tx).await?;
        if known.is_none() {
            e.add("institution_id", "validation.choose_one");
        }
    }
    e.into_result()?;
    let fields = ProgrammeFields {
        institution_id: institution_id.unwrap(),
        title,
        occupation,
        level: level.unwrap(),
        kind: kind.unwrap(),
        description,
        starts_on: starts.unwrap().to_string(),
        ends_on: ends.unwrap().to_string(),
        seats: seats.unwrap(),
        place: place.unwrap(),
        venue,
        fee_fen: fee_fen.unwrap(),
        subsidy_eligible: subsidy_eligible.is_some_and(|v| !v.is_empty()),
    };
    let t = now();
    let id = match id {
        None => q::insert(&mut tx, &fields, me.id, t).await?,
        Some(id) => {
            q::update(&mut tx, id, &fields, t).await?;
            id
        }
    };
    audit(&mut tx, Some(me.id), AuditAction::TrainingProgrammeSaved, &format!("training_programme:{id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/training/{id}?notice=programme_saved"));
    Ok(())
}

/// A programme's participants, for case workers.
#[server(endpoint = "training/roster")]
pub async fn get_roster(id: i64) -> Result<Roster, AppError> {
    require_staff().await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let programme = q::load(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    Ok(Roster { rows: q::roster(&mut conn, id).await?, programme })
}

/// Records a participant's result (pass with its certificate number, or fail) and emails it to
/// the graduate. Only case workers record results; once a subsidy is claimed on it, the result
/// stands.
#[server(endpoint = "training/result")]
pub async fn record_result(enrollment_id: i64, result: String, certificate_number: Option<String>) -> Result<(), AppError> {
    let me = require_staff().await?;
    let (result, number) = q::check_result(&result, certificate_number.as_deref().unwrap_or(""))?;
    let mut tx = crate::ssr::begin().await?;
    let programme_id = q::record_result(&mut tx, enrollment_id, result, &number, me.id, now()).await?;
    q::mail_result(&mut tx, enrollment_id, &crate::ssr::state()?.settings.base_url).await?;
    audit(&mut tx, Some(me.id), AuditAction::TrainingResultRecorded, &format!("training_enrollment:{enrollment_id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/staff/training/{programme_id}?notice=result_recorded"));
    Ok(())
}
