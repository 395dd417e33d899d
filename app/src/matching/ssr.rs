//! Matching's queries (server only): saved searches and their daily digest, the candidates
//! that the graduate's home and a case worker's list score, and sending a vacancy.

use super::score::{degrees_meeting, fit, intention_words, place_names, places_named, rank, Fit, Offer, Seeker};
use super::{GraduateFit, Recommended, SavedSearch, SearchFields, HOME_LIMIT, STAFF_LIMIT};
use crate::db::Dialect;
use crate::error::{AppError, AppResult};
use crate::i18n::{tr, Lang};
use crate::jobseeker::profile::Intentions;
use crate::mail::ssr::{enqueue, Mail};
use crate::shared::time::Date;
use crate::shared::values::{Degree, EmploymentStatus, Place};
use crate::vacancies::ssr::{candidates, search_on, SearchFilters};
use crate::vacancies::{salary_text, Vacancy, VacancyCard};
use sqlx::{AnyConnection, AnyPool, Row};

/// The search filters of saved fields, as the /vacancies page would parse them.
pub fn filters_of(fields: &SearchFields) -> SearchFilters {
    let salary = fields.salary.map(|s| s.to_string());
    SearchFilters::from_form(|k| match k {
        "q" => Some(fields.q.clone()),
        "category" => fields.category.map(|c| c.as_str().to_string()),
        "place" => fields.place.map(|p| p.as_str().to_string()),
        "salary" => salary.clone(),
        "education" => fields.education.map(|e| e.as_str().to_string()),
        "kind" => fields.kind.map(|k| k.as_str().to_string()),
        _ => None,
    })
}

/// The newest vacancy timeline row: a search saved now looks for vacancies published after it.
async fn last_event(conn: &mut AnyConnection) -> AppResult<i64> {
    Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM vacancy_events").fetch_one(conn).await?.unwrap_or(0))
}

pub async fn count_of(pool: &AnyPool, user_id: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM saved_searches WHERE user_id = $1").bind(user_id).fetch_one(pool).await?)
}

pub async fn insert(pool: &AnyPool, user_id: i64, fields: &SearchFields, now: i64) -> AppResult<i64> {
    let mut conn = pool.acquire().await?;
    let seen = last_event(&mut conn).await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO saved_searches (user_id, filters, seen_event, checked_on, created_at) VALUES ($1, $2, $3, '', $4) RETURNING id",
    )
    .bind(user_id)
    .bind(serde_json::to_string(fields).map_err(AppError::internal)?)
    .bind(seen)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?)
}

/// The graduate's saved searches, newest first.
pub async fn list(pool: &AnyPool, user_id: i64) -> AppResult<Vec<SavedSearch>> {
    let rows: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT id, filters, created_at FROM saved_searches WHERE user_id = $1 ORDER BY id DESC LIMIT 100")
            .bind(user_id)
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, filters, created_at)| SavedSearch { id, fields: serde_json::from_str(&filters).unwrap_or_default(), created_at })
        .collect())
}

/// Deletes one of the owner's searches; `false` when the owner has no such search.
pub async fn delete(pool: &AnyPool, user_id: i64, id: i64) -> AppResult<bool> {
    let done = sqlx::query("DELETE FROM saved_searches WHERE id = $1 AND user_id = $2").bind(id).bind(user_id).execute(pool).await?;
    Ok(done.rows_affected() == 1)
}

/// Saved searches looked at per pass; the rest wait for the next pass a minute later.
const DIGEST_BATCH: i64 = 200;
/// Vacancies listed in one email; the link shows the rest.
const DIGEST_ROWS: usize = 10;

/// Queues today's email for every saved search not yet looked at today that has vacancies
/// published since it was last looked at, and returns how many were queued. Each search is
/// claimed by the UPDATE that sets `checked_on` to today (only if it was earlier) and moves
/// `seen_event` on, in one write transaction with the outbox rows: a second pass the same day,
/// or a second server at the same moment, claims nothing (on PostgreSQL the second UPDATE waits
/// for the first and re-reads `checked_on`). A search with nothing new is claimed too, so it is
/// searched once a day, not once a minute.
pub async fn queue_digests(pool: &AnyPool, dialect: Dialect, base_url: &str, now: i64) -> AppResult<usize> {
    let today = Date::today_from_unix(now).to_string();
    let mut tx = dialect.begin_write(pool).await?;
    let upto = last_event(&mut tx).await?;
    let due: Vec<(i64, i64, String, i64)> =
        sqlx::query_as("SELECT id, user_id, filters, seen_event FROM saved_searches WHERE checked_on < $1 ORDER BY checked_on, id LIMIT $2")
            .bind(&today)
            .bind(DIGEST_BATCH)
            .fetch_all(&mut *tx)
            .await?;
    let mut queued = 0;
    for (id, user_id, filters, seen) in due {
        let claimed = sqlx::query("UPDATE saved_searches SET checked_on = $1, seen_event = $2 WHERE id = $3 AND checked_on < $1")
            .bind(&today)
            .bind(upto.max(seen))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if claimed.rows_affected() == 0 || upto <= seen {
            continue;
        }
        let fields: SearchFields = serde_json::from_str(&filters).unwrap_or_default();
        let mut f = filters_of(&fields);
        f.published_between = Some((seen, upto));
        f.page = 1;
        let page = search_on(&mut tx, dialect, &f, &today).await?;
        if page.rows.is_empty() {
            continue;
        }
        let Some(user) = sqlx::query("SELECT email, display_name, locale FROM users WHERE id = $1").bind(user_id).fetch_optional(&mut *tx).await? else {
            continue;
        };
        let lang = Lang::parse(&user.try_get::<String, _>("locale")?).unwrap_or_default();
        let list = page
            .rows
            .iter()
            .take(DIGEST_ROWS)
            .map(|v| {
                let pay = tr(lang, "vacancy.salary_value").replace("{range}", &salary_text(v.salary_min, v.salary_max));
                format!("· {} — {} · {}\n  {base_url}/vacancies/{}", v.title, v.employer_name, pay, v.id)
            })
            .collect::<Vec<_>>()
            .join("\n");
        let count = if page.more { format!("{}+", crate::vacancies::COUNT_CAP) } else { page.total.to_string() };
        let mail = Mail::SavedSearchDigest {
            name: user.try_get("display_name")?,
            count,
            list,
            link: format!("{base_url}{}", fields.path()),
            manage_link: format!("{base_url}/my/searches"),
        };
        enqueue(&mut tx, &user.try_get::<String, _>("email")?, lang, &mail).await?;
        queued += 1;
    }
    tx.commit().await?;
    Ok(queued)
}

/// Each place's names in both languages, long and short, to find places in free text.
fn place_table() -> Vec<(Place, Vec<String>)> {
    Place::ALL
        .into_iter()
        .map(|p| (p, Lang::ALL.into_iter().flat_map(|lang| place_names(tr(lang, p.label_key()))).collect()))
        .collect()
}

/// A graduate's profile, as matching reads it.
struct ProfileRow {
    user_id: i64,
    full_name: String,
    masked_id: String,
    degree: Degree,
    household_place: Place,
    intentions: Intentions,
}

fn profile_of(row: &sqlx::any::AnyRow) -> AppResult<ProfileRow> {
    Ok(ProfileRow {
        user_id: row.try_get("user_id")?,
        full_name: row.try_get("full_name")?,
        masked_id: row.try_get("resident_id_masked")?,
        degree: row.try_get("degree")?,
        household_place: row.try_get("household_place")?,
        intentions: serde_json::from_str(&row.try_get::<String, _>("intentions")?).unwrap_or_default(),
    })
}

const PROFILE_COLUMNS: &str = "p.user_id, p.full_name, p.resident_id_masked, p.degree, p.household_place, p.intentions";

fn seeker_of(p: &ProfileRow, places: &[(Place, Vec<String>)]) -> Seeker {
    Seeker {
        words: intention_words(&p.intentions.job_types),
        places: places_named(&p.intentions.places, places),
        home: Some(p.household_place),
        salary_min: p.intentions.salary_min,
        salary_max: p.intentions.salary_max,
        degree: Some(p.degree),
    }
}

/// Candidates fetched per query for the graduate's home.
const HOME_CANDIDATES: i64 = 100;

/// Up to [`HOME_LIMIT`] listed vacancies that fit the graduate best, or `None` without a
/// profile. Candidates come from the search indexes: one keyword search per word the graduate
/// named and one place search per place they named and their household place, each limited,
/// then scored here.
pub async fn recommendations(pool: &AnyPool, dialect: Dialect, user_id: i64, today: &str) -> AppResult<Option<Vec<Recommended>>> {
    let Some(row) = sqlx::query(&format!("SELECT {PROFILE_COLUMNS} FROM profiles p WHERE p.user_id = $1")).bind(user_id).fetch_optional(pool).await?
    else {
        return Ok(None);
    };
    let profile = profile_of(&row)?;
    let seeker = seeker_of(&profile, &place_table());
    let mut queries: Vec<SearchFilters> = seeker
        .words
        .iter()
        .filter_map(|w| crate::vacancies::search::query_terms(w))
        .map(|terms| SearchFilters { terms: Some(terms), ..Default::default() })
        .collect();
    let mut places = seeker.places.clone();
    if !places.contains(&profile.household_place) {
        places.push(profile.household_place);
    }
    queries.extend(places.into_iter().take(4).map(|p| SearchFilters { place: Some(p), ..Default::default() }));
    let mut found: Vec<(VacancyCard, String)> = Vec::new();
    for q in queries.iter().take(8) {
        for c in candidates(pool, dialect, q, today, HOME_CANDIDATES).await? {
            if !found.iter().any(|(f, _)| f.id == c.0.id) {
                found.push(c);
            }
        }
    }
    let scored: Vec<(i64, Fit, VacancyCard)> = found
        .into_iter()
        .filter_map(|(card, description)| {
            let text = format!("{} {}", card.title, description);
            let offer = Offer { text: &text, place: card.place, salary_min: card.salary_min, salary_max: card.salary_max, education: card.education };
            fit(&seeker, &offer).map(|f| (card.id, f, card))
        })
        .collect();
    Ok(Some(rank(scored, HOME_LIMIT).into_iter().map(|(_, f, vacancy)| Recommended { vacancy, reasons: f.reasons }).collect()))
}

/// Graduates fetched per query for a case worker's list.
const STAFF_CANDIDATES: i64 = 300;

/// The registered (approved job-seeker registration), unemployed graduates whose degree meets
/// the vacancy's requirement and whose places or words fit it, best first, with whether the
/// vacancy was already sent to each. Two limited queries (the vacancy's place, then anywhere)
/// bring the candidates; the profiles' household-place index serves the first.
pub async fn graduates_for(pool: &AnyPool, v: &Vacancy) -> AppResult<Vec<GraduateFit>> {
    let degrees = degrees_meeting(v.education);
    let degree_list: Vec<String> = (0..degrees.len()).map(|i| format!("${}", i + 4)).collect();
    let base = format!(
        "SELECT {PROFILE_COLUMNS} FROM profiles p WHERE p.employment_status = $1 AND p.degree IN ({}) \
         AND EXISTS (SELECT 1 FROM applications a WHERE a.applicant_id = p.user_id AND a.kind = 'jobseeker_registration' \
           AND a.status IN ('approved', 'completed')) AND (p.household_place = $2 OR $3 = 1)",
        degree_list.join(", ")
    );
    let sql = format!("{base} ORDER BY p.user_id DESC LIMIT {STAFF_CANDIDATES}");
    let mut rows = Vec::new();
    for anywhere in [0_i64, 1] {
        let mut q = sqlx::query(&sql).bind(EmploymentStatus::Unemployed).bind(v.place).bind(anywhere);
        for d in &degrees {
            q = q.bind(*d);
        }
        for row in q.fetch_all(pool).await? {
            let p = profile_of(&row)?;
            if !rows.iter().any(|r: &ProfileRow| r.user_id == p.user_id) {
                rows.push(p);
            }
        }
    }
    let sent: Vec<i64> = sqlx::query_scalar("SELECT graduate_id FROM vacancy_recommendations WHERE vacancy_id = $1").bind(v.id).fetch_all(pool).await?;
    let places = place_table();
    let text = format!("{} {}", v.title, v.description);
    let offer = Offer { text: &text, place: v.place, salary_min: v.salary_min, salary_max: v.salary_max, education: v.education };
    let scored: Vec<(i64, Fit, ProfileRow)> = rows.into_iter().filter_map(|p| fit(&seeker_of(&p, &places), &offer).map(|f| (p.user_id, f, p))).collect();
    Ok(rank(scored, STAFF_LIMIT)
        .into_iter()
        .map(|(_, f, p)| GraduateFit {
            sent: sent.contains(&p.user_id),
            user_id: p.user_id,
            full_name: p.full_name,
            masked_id: p.masked_id,
            degree: p.degree,
            household_place: p.household_place,
            reasons: f.reasons,
        })
        .collect())
}

/// The vacancies sent to a graduate, newest first.
pub async fn sent_to(pool: &AnyPool, graduate: i64) -> AppResult<Vec<super::SentVacancy>> {
    Ok(sqlx::query_as(
        "SELECT r.vacancy_id, v.title, u.display_name AS case_worker, r.sent_at FROM vacancy_recommendations r \
         JOIN vacancies v ON v.id = r.vacancy_id JOIN users u ON u.id = r.case_worker_id \
         WHERE r.graduate_id = $1 ORDER BY r.sent_at DESC, r.id DESC LIMIT 100",
    )
    .bind(graduate)
    .fetch_all(pool)
    .await?)
}

/// Records that `case_worker` sent vacancy `v` to `graduate`, in the caller's transaction;
/// `false` when it was sent before (the unique index decides, so two clicks at once send once).
pub async fn record_sent(conn: &mut AnyConnection, vacancy_id: i64, graduate: i64, case_worker: i64, now: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO vacancy_recommendations (vacancy_id, graduate_id, case_worker_id, sent_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (vacancy_id, graduate_id) DO NOTHING",
    )
    .bind(vacancy_id)
    .bind(graduate)
    .bind(case_worker)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
