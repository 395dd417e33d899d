//! The graduate's profile: what registration asks for, saved as one form.

use super::domain::Gender;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::domain::{Date, MobileNumber, ResidentId},
    crate::account::{DisplayName, Role},
    crate::error::FieldErrors,
    crate::ssr::{now, pool, require_role},
};

/// Leshan's districts, counties and county-level city, then "other" (户籍所在地).
pub const PLACES: [&str; 12] = [
    "shizhong", "shawan", "wutongqiao", "jinkouhe", "qianwei", "jingyan", "jiajiang", "muchuan", "ebian", "mabian", "emeishan", "other",
];
pub const DEGREES: [&str; 4] = ["junior_college", "bachelor", "master", "doctorate"];
pub const EMPLOYMENT: [&str; 5] = ["unemployed", "employed", "flexible", "self_employed", "studying"];
pub const NEEDS: [&str; 5] = ["job_matching", "traineeship", "training", "startup", "archive"];

pub fn place_in_leshan(place: &str) -> bool {
    place != "other" && PLACES.contains(&place)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intentions {
    pub job_types: String,
    pub industries: String,
    pub places: String,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    pub birth_date: String,
    pub gender: Gender,
    pub graduation_cert_no: String,
    pub school: String,
    pub major: String,
    pub degree: String,
    pub graduation_date: String,
    pub household_place: String,
    pub phone: String,
    pub employment_status: String,
    pub intentions: Intentions,
    pub service_needs: Vec<String>,
    pub needs_note: String,
    pub documents: Vec<Document>,
}

#[server(endpoint = "profile/get")]
pub async fn my_profile() -> Result<Option<Profile>, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let state = crate::ssr::state()?;
    super::ssr::load_profile(&state.pool, me.id, Some(&state.settings.secret_key)).await
}

#[cfg(feature = "ssr")]
fn text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, required: bool) -> String {
    let v = value.trim();
    if required && v.is_empty() {
        errors.add(field, "validation.required");
    } else if v.chars().count() > max {
        errors.add(field, "validation.text_too_long");
    }
    v.to_string()
}

#[cfg(feature = "ssr")]
fn one_of(errors: &mut FieldErrors, field: &str, value: &str, allowed: &[&str]) -> String {
    if !allowed.contains(&value) {
        errors.add(field, "validation.choose_one");
    }
    value.to_string()
}

#[cfg(feature = "ssr")]
fn money(errors: &mut FieldErrors, field: &str, value: &str) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (0..=1_000_000).contains(&n) => Some(n),
        _ => {
            errors.add(field, "validation.salary_invalid");
            None
        }
    }
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
    let today = Date::today_from_unix(now());
    let mut e = FieldErrors::new();
    let name = DisplayName::parse(&full_name).map_err(|k| e.add("full_name", k)).ok();
    let id = ResidentId::parse(&resident_id, today).map_err(|k| e.add("resident_id", k)).ok();
    let cert_no = text(&mut e, "graduation_cert_no", &graduation_cert_no, 40, true);
    let school = text(&mut e, "school", &school, 80, true);
    let major = text(&mut e, "major", &major, 80, true);
    let degree = one_of(&mut e, "degree", &degree, &DEGREES);
    let graduated = Date::parse(&graduation_date).map_err(|k| e.add("graduation_date", k)).ok();
    if let Some(g) = graduated {
        // Students may register up to a year before they graduate; nobody graduated before 1950.
        if g > today.plus_years(1) || g.year < 1950 {
            e.add("graduation_date", "validation.graduation_date_range");
        }
    }
    let place = one_of(&mut e, "household_place", &household_place, &PLACES);
    let phone = MobileNumber::parse(&phone).map_err(|k| e.add("phone", k)).ok();
    let employment = one_of(&mut e, "employment_status", &employment_status, &EMPLOYMENT);
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
    let needs: Vec<String> = NEEDS.iter().zip(ticked).filter(|(_, t)| t.is_some()).map(|(n, _)| n.to_string()).collect();
    let note = text(&mut e, "needs_note", &needs_note, 1000, false);
    e.into_result()?;

    let state = crate::ssr::state()?;
    let saved = super::ssr::SavedProfile {
        full_name: name.unwrap().as_str().to_string(),
        resident_id: id.unwrap(),
        graduation_cert_no: cert_no,
        school,
        major,
        degree,
        graduation_date: graduated.unwrap(),
        household_place: place,
        phone: phone.unwrap().as_str().to_string(),
        employment_status: employment,
        intentions,
        service_needs: needs,
        needs_note: note,
    };
    super::ssr::save_profile(&pool()?, &state.settings.secret_key, me.id, &saved).await?;
    leptos_axum::redirect("/profile?notice=profile_saved");
    Ok(())
}

/// A case worker's look at the full ID number; every reveal is written to the audit log.
#[server(endpoint = "profile/reveal")]
pub async fn reveal_resident_id(user_id: i64) -> Result<String, AppError> {
    let me = require_role(&[Role::CaseWorker, Role::Admin]).await?;
    let state = crate::ssr::state()?;
    let id = super::ssr::reveal(&state.pool, &state.settings.secret_key, user_id).await?.ok_or(AppError::NotFound)?;
    let mut tx = crate::ssr::begin(&state.pool).await?;
    crate::ssr::audit(&mut tx, Some(me.id), "profile:reveal_resident_id", &format!("user:{user_id}"), &crate::ssr::client_address().await).await?;
    tx.commit().await?;
    Ok(id)
}
