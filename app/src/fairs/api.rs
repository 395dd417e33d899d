//! Fair server functions: the public list and page, the case workers' form, employers' booths
//! and graduates' places. Each checks who is asking where it reads or writes.

use super::{Fair, FairList, FairPage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{self as q, FairFields, Holder},
    super::{parse_time, FairFormat, Viewer},
    crate::account::EmployerStatus,
    crate::error::FieldErrors,
    crate::shared::identity::{safe_local_path, Me, Role},
    crate::shared::time::Date,
    crate::shared::validate::{choice, text},
    crate::ssr::{audit, client_address, current_user, now, pool, require_role, require_staff, AuditAction},
    crate::vacancies::ssr::employer_of,
};

/// Every fair, for anyone: upcoming ones soonest first, then past ones.
#[server(endpoint = "fairs/list")]
pub async fn list_fairs() -> Result<FairList, AppError> {
    q::list(&pool()?, &crate::ssr::today()).await
}

/// A fair's page: the fair, the employers with a booth and their listed vacancies, and what the
/// reader may do there.
#[server(endpoint = "fairs/page")]
pub async fn get_fair_page(id: i64) -> Result<FairPage, AppError> {
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let today = crate::ssr::today();
    let fair = q::load(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let participants = q::participants(&mut conn, id, &today).await?;
    let viewer = match current_user().await? {
        None => Viewer::Anyone,
        Some(me) if me.role.is_staff() => Viewer::Staff,
        Some(me) if me.role == Role::Graduate => Viewer::Graduate { registered: q::holds(&mut conn, id, Holder::Graduate(me.id)).await? },
        Some(me) => match employer_of(&mut conn, me.id).await? {
            Some((employer_id, status)) => Viewer::Employer {
                verified: status == EmployerStatus::Verified,
                booked: q::holds(&mut conn, id, Holder::Employer(employer_id)).await?,
            },
            None => Viewer::Anyone,
        },
    };
    Ok(FairPage { open: fair.is_upcoming(&today), fair, participants, viewer })
}

/// Every fair, for the case workers' list (the same as the public one, behind the staff guard so
/// the page refuses everyone else).
#[server(endpoint = "fairs/staff_list")]
pub async fn staff_fairs() -> Result<FairList, AppError> {
    require_staff().await?;
    q::list(&pool()?, &crate::ssr::today()).await
}

/// The fair to edit (`None`: a new one), for case workers.
#[server(endpoint = "fairs/form")]
pub async fn fair_for_form(id: Option<i64>) -> Result<Option<Fair>, AppError> {
    require_staff().await?;
    match id {
        None => Ok(None),
        Some(id) => {
            let pool = pool()?;
            let mut conn = pool.acquire().await?;
            q::load(&mut conn, id).await?.ok_or(AppError::NotFound).map(Some)
        }
    }
}

#[cfg(feature = "ssr")]
fn count(e: &mut FieldErrors, field: &str, value: Option<&str>, max: i64, required: bool) -> Option<i64> {
    let v = value.unwrap_or("").trim();
    if v.is_empty() {
        if required {
            e.add(field, "validation.required");
        }
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        _ => {
            e.add(field, "fair.count_invalid");
            None
        }
    }
}

/// An online fair's address: http(s), one piece, of sensible length. It is shown as text and
/// in the reminder as text, never as a link the portal vouches for.
#[cfg(feature = "ssr")]
fn web_link(e: &mut FieldErrors, value: Option<&str>) -> String {
    let v = value.unwrap_or("").trim();
    let ok = (v.starts_with("https://") || v.starts_with("http://"))
        && v.len() > "https://".len()
        && v.chars().count() <= 300
        && !v.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'));
    if v.is_empty() {
        e.add("link", "validation.required");
    } else if !ok {
        e.add("link", "fair.link_invalid");
    }
    v.to_string()
}

/// Creates a fair, or edits one (`id`). Offline fairs need a venue and a number of booths;
/// online ones a link, and may leave the booths unlimited. The places for graduates are
/// optional for both.
#[expect(clippy::too_many_arguments, reason = "one argument per form field, as ActionForm posts them")]
#[server(endpoint = "fairs/save")]
pub async fn save_fair(
    id: Option<String>,
    title: String,
    description: String,
    format: String,
    venue: Option<String>,
    link: Option<String>,
    held_on: String,
    starts_at: String,
    ends_at: String,
    booth_count: Option<String>,
    seat_count: Option<String>,
) -> Result<(), AppError> {
    let me = require_staff().await?;
    let mut e = FieldErrors::new();
    let title = text(&mut e, "title", &title, 80, true);
    let description = text(&mut e, "description", &description, 5000, true);
    let format = choice::<FairFormat>(&mut e, "format", &format);
    let offline = format == Some(FairFormat::Offline);
    let (venue, link) = match format {
        Some(FairFormat::Offline) => (text(&mut e, "venue", venue.as_deref().unwrap_or(""), 200, true), String::new()),
        Some(FairFormat::Online) => (String::new(), web_link(&mut e, link.as_deref())),
        None => (String::new(), String::new()),
    };
    let t = now();
    let today = Date::today_from_unix(t);
    let held = Date::parse(&held_on).map_err(|k| e.add("held_on", k)).ok();
    if held.is_some_and(|d| d < today || d > today.plus_years(1)) {
        e.add("held_on", "fair.date_range");
    }
    let starts = parse_time(&starts_at).map_err(|k| e.add("starts_at", k)).ok();
    let ends = parse_time(&ends_at).map_err(|k| e.add("ends_at", k)).ok();
    if let (Some(s), Some(f)) = (&starts, &ends) {
        if f <= s {
            e.add("ends_at", "fair.end_before_start");
        }
    }
    let booth_count = count(&mut e, "booth_count", booth_count.as_deref(), 1000, offline);
    let seat_count = count(&mut e, "seat_count", seat_count.as_deref(), 100_000, false);
    let id = match id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(id) => Some(id.parse::<i64>().map_err(|_| AppError::field("", "error.bad_request"))?),
    };
    e.into_result()?;
    let fields = FairFields {
        title,
        description,
        format: format.unwrap(),
        venue,
        link,
        held_on: held.unwrap().to_string(),
        starts_at: starts.unwrap(),
        ends_at: ends.unwrap(),
        booth_count,
        seat_count,
    };
    let mut tx = crate::ssr::begin().await?;
    let id = match id {
        None => q::insert(&mut tx, &fields, me.id, t).await?,
        Some(id) => {
            q::update(&mut tx, id, &fields, t).await?;
            id
        }
    };
    audit(&mut tx, Some(me.id), AuditAction::FairSaved, &format!("fair:{id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/fairs/{id}?notice=fair_saved"));
    Ok(())
}

/// Where to go after a booking or a cancellation: the page it was made from when that is one of
/// ours, else the fair's page.
#[cfg(feature = "ssr")]
fn back_to(back: Option<String>, fair_id: i64, notice: &str) {
    let path = back.as_deref().and_then(safe_local_path).map(|p| p.split('?').next().unwrap_or("/").to_string());
    let path = path.unwrap_or_else(|| format!("/fairs/{fair_id}"));
    leptos_axum::redirect(&format!("{path}?notice={notice}"));
}

/// The employer the signed-in member acts for, which must be verified, and not suspended after
/// a complaint, to book.
#[cfg(feature = "ssr")]
async fn verified_employer(conn: &mut sqlx::AnyConnection, me: &Me) -> Result<i64, AppError> {
    match employer_of(conn, me.id).await?.ok_or(AppError::Forbidden)? {
        (id, EmployerStatus::Verified) if crate::vacancies::suspension::employer_suspended(conn, id).await? => {
            Err(AppError::Conflict("fair.employer_suspended".into()))
        }
        (id, EmployerStatus::Verified) => Ok(id),
        _ => Err(AppError::Conflict("fair.not_verified".into())),
    }
}

/// Books a booth for the signed-in member's verified employer: one per employer and fair, and
/// never more than the fair has (a full fair answers 409 `fair.full`).
#[server(endpoint = "fairs/book")]
pub async fn book_booth(fair_id: i64, back: Option<String>) -> Result<(), AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let mut tx = crate::ssr::begin().await?;
    let employer_id = verified_employer(&mut tx, &me).await?;
    q::take(&mut tx, fair_id, Holder::Employer(employer_id), me.id, &crate::ssr::today(), now()).await?;
    tx.commit().await?;
    back_to(back, fair_id, "booth_booked");
    Ok(())
}

/// Gives the employer's booth back; someone else may then book it.
#[server(endpoint = "fairs/unbook")]
pub async fn cancel_booth(fair_id: i64, back: Option<String>) -> Result<(), AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let mut tx = crate::ssr::begin().await?;
    let (employer_id, _) = employer_of(&mut tx, me.id).await?.ok_or(AppError::Forbidden)?;
    q::release(&mut tx, fair_id, Holder::Employer(employer_id), &crate::ssr::today()).await?;
    tx.commit().await?;
    back_to(back, fair_id, "booth_cancelled");
    Ok(())
}

/// Takes a place at the fair for the signed-in graduate (when the fair limits places, never
/// more than it has).
#[server(endpoint = "fairs/register")]
pub async fn register_for_fair(fair_id: i64, back: Option<String>) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let mut tx = crate::ssr::begin().await?;
    q::take(&mut tx, fair_id, Holder::Graduate(me.id), me.id, &crate::ssr::today(), now()).await?;
    tx.commit().await?;
    back_to(back, fair_id, "fair_registered");
    Ok(())
}

#[server(endpoint = "fairs/unregister")]
pub async fn cancel_registration(fair_id: i64, back: Option<String>) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let mut tx = crate::ssr::begin().await?;
    q::release(&mut tx, fair_id, Holder::Graduate(me.id), &crate::ssr::today()).await?;
    tx.commit().await?;
    back_to(back, fair_id, "fair_unregistered");
    Ok(())
}

/// The fairs the reader holds a booth (employer) or a place (graduate) at, each with whether it
/// is still to come (and so can be cancelled).
#[server(endpoint = "fairs/mine")]
pub async fn my_fairs() -> Result<Vec<(Fair, bool)>, AppError> {
    let me = require_role(&[Role::Employer, Role::Graduate]).await?;
    let pool = pool()?;
    let holder = if me.role == Role::Graduate {
        Holder::Graduate(me.id)
    } else {
        let mut conn = pool.acquire().await?;
        Holder::Employer(employer_of(&mut conn, me.id).await?.ok_or(AppError::Forbidden)?.0)
    };
    let today = crate::ssr::today();
    Ok(q::fairs_of(&pool, holder).await?.into_iter().map(|f| {
        let open = f.is_upcoming(&today);
        (f, open)
    }).collect())
}
