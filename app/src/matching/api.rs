//! Matching's server functions: a graduate's saved searches and recommendations, a case
//! worker's list of fitting graduates and sending them a vacancy. Each checks who is asking.

use super::{Recommendations, SavedSearch, SentVacancy, VacancyMatches};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr as q,
    super::{SearchFields, MAX_SAVED_SEARCHES},
    crate::error::FieldErrors,
    crate::i18n::Lang,
    crate::mail::ssr::{enqueue, Mail},
    crate::notifications::{ssr::notify, Note, NotificationKind},
    crate::shared::identity::Role,
    crate::ssr::{audit, client_address, now, require_role, require_staff, state, AuditAction},
    crate::vacancies::{Category, Education, VacancyKind},
    crate::shared::values::Place,
    sqlx::Row,
};

/// Saves the search the graduate is looking at (the /vacancies form's fields), for the daily
/// email of new matches.
#[server(endpoint = "matching/save_search")]
pub async fn save_search(
    q: Option<String>,
    category: Option<String>,
    place: Option<String>,
    salary: Option<String>,
    education: Option<String>,
    kind: Option<String>,
) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let pick = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let mut e = FieldErrors::new();
    let keyword: String = pick(&q).unwrap_or_default();
    if keyword.chars().count() > crate::vacancies::search::MAX_QUERY_CHARS {
        e.add("q", "validation.text_too_long");
    }
    let salary = match pick(&salary) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (0..=1_000_000).contains(&n) => Some(n),
            _ => {
                e.add("salary", "validation.number_invalid");
                None
            }
        },
    };
    let fields = SearchFields {
        q: keyword,
        category: pick(&category).and_then(|c| Category::parse(&c)),
        place: pick(&place).and_then(|p| Place::parse(&p)),
        salary,
        education: pick(&education).and_then(|v| Education::parse(&v)),
        kind: pick(&kind).and_then(|k| VacancyKind::parse(&k)),
    };
    if e.is_empty() && fields == SearchFields::default() {
        e.add("", "matching.search_empty");
    }
    e.into_result()?;
    let state = state()?;
    if q::count_of(&state.pool, me.id).await? >= MAX_SAVED_SEARCHES {
        return Err(AppError::Conflict("matching.too_many_searches".into()));
    }
    q::insert(&state.pool, me.id, &fields, now()).await?;
    leptos_axum::redirect("/my/searches?notice=search_saved");
    Ok(())
}

#[server(endpoint = "matching/searches")]
pub async fn my_searches() -> Result<Vec<SavedSearch>, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    q::list(&state()?.pool, me.id).await
}

/// Deletes one of the graduate's own saved searches (someone else's does not exist for them).
#[server(endpoint = "matching/delete_search")]
pub async fn delete_search(id: i64) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    if !q::delete(&state()?.pool, me.id, id).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/my/searches?notice=search_deleted");
    Ok(())
}

/// The listed vacancies that fit the signed-in graduate best, with why.
#[server(endpoint = "matching/recommended")]
pub async fn recommended_vacancies() -> Result<Recommendations, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let state = state()?;
    Ok(match q::recommendations(&state.pool, state.dialect, me.id, &crate::ssr::today()).await? {
        None => Recommendations { has_profile: false, items: Vec::new() },
        Some(items) => Recommendations { has_profile: true, items },
    })
}

/// For case workers: the registered unemployed graduates who fit a vacancy.
#[server(endpoint = "matching/graduates")]
pub async fn graduates_for_vacancy(vacancy_id: i64) -> Result<VacancyMatches, AppError> {
    require_staff().await?;
    let state = state()?;
    let v = crate::vacancies::ssr::load(&state.pool, vacancy_id).await?.ok_or(AppError::NotFound)?;
    let listed = v.is_listed(&crate::ssr::today());
    let graduates = if listed { q::graduates_for(&state.pool, &v).await? } else { Vec::new() };
    Ok(VacancyMatches { vacancy_id, title: v.title, listed, graduates })
}

/// The vacancies case workers sent to a graduate: for staff, or for the graduate themself.
#[server(endpoint = "matching/sent")]
pub async fn sent_vacancies(graduate_id: i64) -> Result<Vec<SentVacancy>, AppError> {
    let me = crate::ssr::require_user().await?;
    if !me.role.is_staff() && me.id != graduate_id {
        return Err(AppError::Forbidden);
    }
    q::sent_to(&state()?.pool, graduate_id).await
}

/// A case worker sends a listed vacancy to a graduate: an in-app notification, an email, and
/// the record on the graduate's file, in one transaction, audited. Once per graduate and
/// vacancy.
#[server(endpoint = "matching/send")]
pub async fn send_vacancy(vacancy_id: i64, graduate_id: i64) -> Result<(), AppError> {
    let me = require_staff().await?;
    let state = state()?;
    let v = crate::vacancies::ssr::load(&state.pool, vacancy_id).await?.ok_or(AppError::NotFound)?;
    if !v.is_listed(&crate::ssr::today()) {
        return Err(AppError::Conflict("matching.not_listed".into()));
    }
    let mut tx = state.dialect.begin_write(&state.pool).await?;
    let graduate = sqlx::query("SELECT u.email, u.display_name, u.locale FROM users u JOIN profiles p ON p.user_id = u.id WHERE u.id = $1 AND u.role = $2")
        .bind(graduate_id)
        .bind(Role::Graduate)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if !q::record_sent(&mut tx, vacancy_id, graduate_id, me.id, now()).await? {
        return Err(AppError::Conflict("matching.already_sent".into()));
    }
    let link = format!("/vacancies/{vacancy_id}");
    let note = Note {
        link: link.clone(),
        subject: v.title.clone(),
        what_key: "matching.notification".into(),
        status_key: "matching.notification_status".into(),
        reason: String::new(),
    };
    notify(&mut tx, graduate_id, None, NotificationKind::VacancyRecommended, &note).await?;
    let lang = Lang::parse(&graduate.try_get::<String, _>("locale")?).unwrap_or_default();
    let mail = Mail::VacancyRecommended {
        name: graduate.try_get("display_name")?,
        title: v.title.clone(),
        organisation: v.employer_name.clone(),
        link: format!("{}{link}", state.settings.base_url),
    };
    enqueue(&mut tx, &graduate.try_get::<String, _>("email")?, lang, &mail).await?;
    audit(&mut tx, Some(me.id), AuditAction::VacancyRecommended, &format!("vacancy:{vacancy_id} user:{graduate_id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/staff/vacancies/{vacancy_id}/matches?notice=vacancy_sent"));
    Ok(())
}
