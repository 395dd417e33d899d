//! Creating and editing a posting, shared by the employer's form (`api::save_vacancy`) and the
//! integration API (`integration`): the fields are parsed the same way and the same rules hold
//! (a verified employer publishes, a suspended one publishes nothing, a flagged posting waits
//! for a case worker), so a posting cannot get in by one door that the other would refuse.

use super::machine_ssr::{employer_for, move_vacancy};
use super::screening::screen;
use super::ssr::{self as q, Posting};
use super::{Category, Education, VacancyAction, VacancyActor, VacancyKind, VacancyStatus, MOVES};
use crate::account::EmployerStatus;
use crate::applications::machine::next;
use crate::db::Dialect;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::shared::identity::Me;
use crate::shared::time::Date;
use crate::shared::validate::{choice, text};
use crate::shared::values::Place;
use crate::ssr::now;

/// A posting's fields as typed: every value is text until [`parse`] has looked at it.
#[derive(Clone, Debug, Default)]
pub struct PostingFields {
    pub title: String,
    pub description: String,
    pub category: String,
    pub place: String,
    pub salary_min: String,
    pub salary_max: String,
    pub education: String,
    pub headcount: String,
    pub kind: String,
    pub seats: Option<String>,
    pub period_months: Option<String>,
    pub stipend: Option<String>,
    pub expires_on: String,
}

fn number(e: &mut FieldErrors, field: &str, value: &str, range: std::ops::RangeInclusive<i64>, required: bool) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            e.add(field, "validation.required");
        }
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            e.add(field, "validation.number_invalid");
            None
        }
    }
}

/// The posting, or every field's complaint at once.
pub fn parse(f: &PostingFields) -> AppResult<Posting> {
    let mut e = FieldErrors::new();
    let title = text(&mut e, "title", &f.title, 80, true);
    let description = text(&mut e, "description", &f.description, 5000, true);
    let category = choice::<Category>(&mut e, "category", &f.category);
    let place = choice::<Place>(&mut e, "place", &f.place);
    let salary_min = number(&mut e, "salary_min", &f.salary_min, 0..=1_000_000, true);
    let salary_max = number(&mut e, "salary_max", &f.salary_max, 0..=1_000_000, true);
    if let (Some(lo), Some(hi)) = (salary_min, salary_max) {
        if lo > hi {
            e.add("salary_max", "validation.salary_order");
        }
    }
    let education = choice::<Education>(&mut e, "education", &f.education);
    let headcount = number(&mut e, "headcount", &f.headcount, 1..=10_000, true);
    let kind = choice::<VacancyKind>(&mut e, "kind", &f.kind);
    let traineeship = kind == Some(VacancyKind::Traineeship);
    let seats = number(&mut e, "seats", f.seats.as_deref().unwrap_or(""), 1..=1000, traineeship);
    let period_months = number(&mut e, "period_months", f.period_months.as_deref().unwrap_or(""), 1..=12, traineeship);
    let stipend = number(&mut e, "stipend", f.stipend.as_deref().unwrap_or(""), 0..=100_000, traineeship);
    let today = Date::today_from_unix(now());
    let expires = Date::parse(&f.expires_on).map_err(|k| e.add("expires_on", k)).ok();
    if let Some(d) = expires {
        if d < today || d > today.plus_years(1) {
            e.add("expires_on", "vacancy.expires_range");
        }
    }
    e.into_result()?;
    // Every field parsed, so every value below is present.
    let missing = || AppError::internal("a parsed posting field is missing");
    Ok(Posting {
        title,
        description,
        category: category.ok_or_else(missing)?,
        place: place.ok_or_else(missing)?,
        salary_min: salary_min.ok_or_else(missing)?,
        salary_max: salary_max.ok_or_else(missing)?,
        education: education.ok_or_else(missing)?,
        headcount: headcount.ok_or_else(missing)?,
        kind: kind.ok_or_else(missing)?,
        seats: seats.filter(|_| traineeship),
        period_months: period_months.filter(|_| traineeship),
        stipend: stipend.filter(|_| traineeship),
        expires_on: expires.ok_or_else(missing)?.to_string(),
    })
}

/// Which posting is edited: its id and the version the editor saw.
pub struct Edit {
    pub id: i64,
    pub version: i64,
}

/// Saves `posting` for the organisation `me` acts for, inside the caller's transaction: a new
/// one (`edit` is `None`) or an edit, kept as a draft or published (held for review when the
/// screening flags it). Answers the posting's id and the move it made.
pub async fn save(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    dialect: Dialect,
    me: &Me,
    edit: Option<Edit>,
    posting: &Posting,
    publish: bool,
) -> AppResult<(i64, VacancyAction)> {
    let (employer_id, status) = employer_for(tx, me).await?;
    if publish && status != EmployerStatus::Verified {
        return Err(AppError::field("", "vacancy.not_verified"));
    }
    // A suspended employer publishes nothing. Under the employer's lock, so a suspension being
    // written at this moment is seen (or sees this posting and takes it down).
    if publish {
        dialect.lock_until_commit(tx, &super::suspension::lock_key(employer_id)).await?;
        if super::suspension::employer_suspended(tx, employer_id).await? {
            return Err(AppError::field("", "vacancy.employer_suspended"));
        }
    }
    let rules = q::active_rules(tx).await?;
    let findings = screen(&format!("{}\n{}", posting.title, posting.description), &rules, posting.salary_max, posting.category.typical_max_salary());
    let (id, from, version) = match edit {
        None => (q::insert(tx, employer_id, posting, &findings).await?, VacancyStatus::Draft, 1),
        Some(Edit { id, version }) => {
            let current = sqlx::query_as::<_, (i64, VacancyStatus)>("SELECT employer_id, status FROM vacancies WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
            match current {
                Some((owner, status)) if owner == employer_id => {
                    q::update_fields(tx, id, posting, &findings).await?;
                    (id, status, version)
                }
                _ => return Err(AppError::NotFound),
            }
        }
    };
    let action = match (publish, findings.is_empty()) {
        (false, _) => VacancyAction::SaveDraft,
        (true, true) => VacancyAction::Publish,
        (true, false) => VacancyAction::Hold,
    };
    if next(MOVES, from, action, VacancyActor::Owner).is_none() {
        return Err(AppError::Conflict("vacancy.not_allowed".into()));
    }
    move_vacancy(tx, id, version, from, action, VacancyActor::Owner, me, "").await?;
    Ok((id, action))
}
