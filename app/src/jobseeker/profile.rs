//! The graduate's profile: what registration asks for, saved as one form.

use crate::shared::values::{Degree, EmploymentStatus, Gender, Place, ServiceNeed};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::domain::{MobileNumber, ResidentId},
    crate::shared::time::Date,
    crate::account::DisplayName,
    crate::shared::identity::Role,
    crate::shared::validate::{choice, money, text},
    crate::error::FieldErrors,
    crate::shared::throttle::{self, Limit},
    crate::ssr::{now, require_role, throttle_address},
};

/// Saves per account and per address in an hour. A graduate saves a profile a few times; a
/// script trying ID numbers one after another (each save tells it nothing now, but costs a
/// sealed write and may open a conflict for a case worker) is stopped early.
#[cfg(feature = "ssr")]
pub const SAVES_PER_ACCOUNT_PER_HOUR: i64 = 20;
#[cfg(feature = "ssr")]
pub const SAVES_PER_ADDRESS_PER_HOUR: i64 = 60;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intentions {
    pub job_types: String,
    pub industries: String,
    pub places: String,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Document {
    pub id: i64,
    pub purpose: String,
    pub mime: String,
    pub size: i64,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub user_id: i64,
    pub full_name: String,
    /// The full number for its owner, the masked one for everybody else.
    pub resident_id: String,
    /// For its owner only: empty in what staff are sent (they see [`Profile::age`]), since the
    /// birth date beside the masked number would narrow it down.
    pub birth_date: String,
    /// Whole years on the day the profile was read.
    pub age: i32,
    pub gender: Gender,
    pub graduation_cert_no: String,
    pub school: String,
    pub major: String,
    pub degree: Degree,
    pub graduation_date: String,
    pub household_place: Place,
    pub phone: String,
    pub employment_status: EmploymentStatus,
    pub intentions: Intentions,
    /// Another account held the ID number when it was saved: a case worker will decide whose it
    /// is, and until then the profile does not count as complete.
    pub id_pending: bool,
    pub service_needs: Vec<ServiceNeed>,
    pub needs_note: String,
    pub documents: Vec<Document>,
}

#[server(endpoint = "profile/get")]
pub async fn my_profile() -> Result<Option<Profile>, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let state = crate::ssr::state()?;
    super::ssr::load_profile(&state.pool, me.id, Some(&state.settings.secret_key)).await
}

#[expect(clippy::too_many_arguments, reason = "one argument per form field, as ActionForm posts them")]
#[server(endpoint = "profile/save")]
pub async fn save_profile(
    full_name: String,
    resident_id: String,
    graduation_cert_no: String,
    school: String,
    major: String,
    degree: String,
    graduation_date: String,
    household_place: String,
    phone: String,
    employment_status: String,
    job_types: String,
    industries: String,
    places: String,
    salary_min: String,
    salary_max: String,
    need_job_matching: Option<String>,
    need_traineeship: Option<String>,
    need_training: Option<String>,
    need_startup: Option<String>,
    need_archive: Option<String>,
    needs_note: String,
) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    // An ID number is stored only for an address that answers: a throwaway account can neither
    // claim someone's number nor open conflicts for case workers with made-up ones.
    if !me.email_verified {
        return Err(AppError::field("resident_id", "profile.verify_email_first"));
    }
    let today = Date::today_from_unix(now());
    let mut e = FieldErrors::new();
    let name = DisplayName::parse(&full_name).map_err(|k| e.add("full_name", k)).ok();
    let id = ResidentId::parse(&resident_id, today).map_err(|k| e.add("resident_id", k)).ok();
    let cert_no = text(&mut e, "graduation_cert_no", &graduation_cert_no, 40, true);
    let school = text(&mut e, "school", &school, 80, true);
    let major = text(&mut e, "major", &major, 80, true);
    let degree = choice::<Degree>(&mut e, "degree", &degree);
    let graduated = Date::parse(&graduation_date).map_err(|k| e.add("graduation_date", k)).ok();
    if let Some(g) = graduated {
        // Students may register up to a year before they graduate; nobody graduated before 1950.
        if g > today.plus_years(1) || g.year < 1950 {
            e.add("graduation_date", "validation.graduation_date_range");
        }
    }
    let place = choice::<Place>(&mut e, "household_place", &household_place);
    let phone = MobileNumber::parse(&phone).map_err(|k| e.add("phone", k)).ok();
    let employment = choice::<EmploymentStatus>(&mut e, "employment_status", &employment_status);
    let intentions = Intentions {
        job_types: text(&mut e, "job_types", &job_types, 200, false),
        industries: text(&mut e, "industries", &industries, 200, false),
        places: text(&mut e, "places", &places, 200, false),
        salary_min: money(&mut e, "salary_min", &salary_min),
        salary_max: money(&mut e, "salary_max", &salary_max),
    };
    if let (Some(lo), Some(hi)) = (intentions.salary_min, intentions.salary_max) {
        if lo > hi {
            e.add("salary_max", "validation.salary_order");
        }
    }
    // One checkbox per need: a ticked box posts its name, an unticked one posts nothing.
    let ticked = [need_job_matching, need_traineeship, need_training, need_startup, need_archive];
    let needs: Vec<ServiceNeed> = ServiceNeed::ALL.into_iter().zip(ticked).filter(|(_, t)| t.is_some()).map(|(n, _)| n).collect();
    let note = text(&mut e, "needs_note", &needs_note, 1000, false);
    e.into_result()?;

    let state = crate::ssr::state()?;
    let address = throttle_address().await;
    throttle::attempt(
        &state.pool,
        state.dialect,
        &[
            Limit::new(format!("profile:user:{}", me.id), SAVES_PER_ACCOUNT_PER_HOUR, 3600),
            Limit::new(format!("profile:{address}"), SAVES_PER_ADDRESS_PER_HOUR, 3600),
        ],
    )
    .await?;
    let saved = super::ssr::SavedProfile {
        full_name: name.unwrap().as_str().to_string(),
        resident_id: id.unwrap(),
        graduation_cert_no: cert_no,
        school,
        major,
        degree: degree.unwrap(),
        graduation_date: graduated.unwrap(),
        household_place: place.unwrap(),
        phone: phone.unwrap().as_str().to_string(),
        employment_status: employment.unwrap(),
        intentions,
        service_needs: needs,
        needs_note: note,
    };
    // A number another account holds is saved as pending, and the answer does not say whose
    // it is or that anybody has it: only that a case worker will be in touch.
    let notice = match super::ssr::save_profile(&state.settings.secret_key, me.id, &saved).await? {
        super::ssr::IdStanding::Held => "profile_saved",
        super::ssr::IdStanding::Pending => "profile_saved_id_pending",
    };
    leptos_axum::redirect(&format!("/profile?notice={notice}"));
    Ok(())
}
