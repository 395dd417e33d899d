//! Vacancy storage and search (server only).

use super::screening::{Finding, Rule, RuleKind, SEEDS};
use super::{search, Category, Education, SearchPage, Vacancy, VacancyCard, VacancyKind, VacancyStatus, COUNT_CAP, PAGE_SIZE};
use crate::account::EmployerStatus;
use crate::error::{AppError, AppResult};
use crate::shared::values::Place;
use crate::ssr::now;
use sqlx::{AnyConnection, AnyPool};

/// The columns of [`Vacancy`], from `vacancies v JOIN employers e`.
pub const VACANCY_COLUMNS: &str = "v.id, v.employer_id, e.name AS employer_name, v.title, v.description, v.category, v.place, \
     v.salary_min, v.salary_max, v.education, v.headcount, v.kind, v.seats, v.period_months, v.stipend, v.expires_on, \
     v.status, v.version, v.screening, v.review_note, v.created_at";
const CARD_COLUMNS: &str =
    "v.id, v.title, e.name AS employer_name, v.category, v.place, v.salary_min, v.salary_max, v.education, v.kind, v.expires_on";

pub async fn load(pool: &AnyPool, id: i64) -> AppResult<Option<Vacancy>> {
    Ok(sqlx::query_as(&format!("SELECT {VACANCY_COLUMNS} FROM vacancies v JOIN employers e ON e.id = v.employer_id WHERE v.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?)
}

/// The organisation a user acts for, as the account that signed it up or as a member its
/// owner invited, and whether a case worker verified it. Looked up on every request, so a
/// removed member loses access at once.
pub async fn employer_of(conn: &mut AnyConnection, user_id: i64) -> AppResult<Option<(i64, EmployerStatus)>> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.verification FROM employers e \
         WHERE e.user_id = $1 OR e.id = (SELECT m.employer_id FROM employer_members m WHERE m.user_id = $1) ORDER BY e.id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

pub async fn of_employer(pool: &AnyPool, employer_id: i64) -> AppResult<Vec<Vacancy>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {VACANCY_COLUMNS} FROM vacancies v JOIN employers e ON e.id = v.employer_id WHERE v.employer_id = $1 ORDER BY v.id DESC LIMIT 500"
    ))
    .bind(employer_id)
    .fetch_all(pool)
    .await?)
}

pub async fn pending_review(pool: &AnyPool) -> AppResult<Vec<Vacancy>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {VACANCY_COLUMNS} FROM vacancies v JOIN employers e ON e.id = v.employer_id WHERE v.status = $1 ORDER BY v.updated_at, v.id LIMIT 200"
    ))
    .bind(VacancyStatus::PendingReview)
    .fetch_all(pool)
    .await?)
}

/// A posting's fields as the employer's form gave them, checked.
pub struct Posting {
    pub title: String,
    pub description: String,
    pub category: Category,
    pub place: Place,
    pub salary_min: i64,
    pub salary_max: i64,
    pub education: Education,
    pub headcount: i64,
    pub kind: VacancyKind,
    pub seats: Option<i64>,
    pub period_months: Option<i64>,
    pub stipend: Option<i64>,
    pub expires_on: String,
}

impl Posting {
    fn tokens(&self) -> String {
        search::index_tokens(&format!("{} {}", self.title, self.description))
    }
}

/// Inserts a new posting as a draft, with what screening found; returns its id.
pub async fn insert(conn: &mut AnyConnection, employer_id: i64, p: &Posting, findings: &[Finding]) -> AppResult<i64> {
    let t = now();
    Ok(sqlx::query_scalar(
        "INSERT INTO vacancies (employer_id, title, description, category, place, salary_min, salary_max, education, headcount, kind, \
           seats, period_months, stipend, expires_on, status, version, screening, review_note, search_tokens, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $18, '', $16, $17, $17) RETURNING id",
    )
    .bind(employer_id)
    .bind(&p.title)
    .bind(&p.description)
    .bind(p.category)
    .bind(p.place)
    .bind(p.salary_min)
    .bind(p.salary_max)
    .bind(p.education)
    .bind(p.headcount)
    .bind(p.kind)
    .bind(p.seats)
    .bind(p.period_months)
    .bind(p.stipend)
    .bind(&p.expires_on)
    .bind(VacancyStatus::Draft)
    .bind(p.tokens())
    .bind(t)
    .bind(serde_json::to_string(findings).map_err(AppError::internal)?)
    .fetch_one(conn)
    .await?)
}

/// Writes the posting's fields and what screening found (the status moves separately).
pub async fn update_fields(conn: &mut AnyConnection, id: i64, p: &Posting, findings: &[Finding]) -> AppResult<()> {
    sqlx::query(
        "UPDATE vacancies SET title = $1, description = $2, category = $3, place = $4, salary_min = $5, salary_max = $6, \
           education = $7, headcount = $8, kind = $9, seats = $10, period_months = $11, stipend = $12, expires_on = $13, \
           screening = $14, search_tokens = $15 WHERE id = $16",
    )
    .bind(&p.title)
    .bind(&p.description)
    .bind(p.category)
    .bind(p.place)
    .bind(p.salary_min)
    .bind(p.salary_max)
    .bind(p.education)
    .bind(p.headcount)
    .bind(p.kind)
    .bind(p.seats)
    .bind(p.period_months)
    .bind(p.stipend)
    .bind(&p.expires_on)
    .bind(serde_json::to_string(findings).map_err(AppError::internal)?)
    .bind(p.tokens())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

type RuleRow = (i64, RuleKind, String, i64);

fn rule((id, kind, pattern, active): RuleRow) -> Rule {
    Rule { id, kind, pattern, active: active != 0 }
}

pub async fn active_rules(conn: &mut AnyConnection) -> AppResult<Vec<Rule>> {
    let rows: Vec<RuleRow> = sqlx::query_as("SELECT id, kind, pattern, active FROM screening_rules WHERE active = 1 ORDER BY id").fetch_all(conn).await?;
    Ok(rows.into_iter().map(rule).collect())
}

pub async fn all_rules(pool: &AnyPool) -> AppResult<Vec<Rule>> {
    let rows: Vec<RuleRow> = sqlx::query_as("SELECT id, kind, pattern, active FROM screening_rules ORDER BY kind, id").fetch_all(pool).await?;
    Ok(rows.into_iter().map(rule).collect())
}

/// Writes the seeded rules that are not there yet; an admin's later changes are kept (a rule
/// an admin switched off stays off).
pub async fn ensure_seeded(pool: &AnyPool) -> AppResult<()> {
    for (kind, pattern, _, _) in SEEDS {
        sqlx::query("INSERT INTO screening_rules (kind, pattern, active, created_at) VALUES ($1, $2, 1, $3) ON CONFLICT (pattern) DO NOTHING")
            .bind(*kind)
            .bind(*pattern)
            .bind(now())
            .execute(pool)
            .await?;
    }
    Ok(())
}

pub async fn add_rule(pool: &AnyPool, kind: RuleKind, pattern: &str) -> AppResult<bool> {
    let done = sqlx::query("INSERT INTO screening_rules (kind, pattern, active, created_at) VALUES ($1, $2, 1, $3) ON CONFLICT (pattern) DO NOTHING")
        .bind(kind)
        .bind(pattern)
        .bind(now())
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_rule_active(pool: &AnyPool, id: i64, active: bool) -> AppResult<bool> {
    let done = sqlx::query("UPDATE screening_rules SET active = $1 WHERE id = $2").bind(i64::from(active)).bind(id).execute(pool).await?;
    Ok(done.rows_affected() == 1)
}

/// The search form's values, parsed.
#[derive(Clone, Debug, Default)]
pub struct SearchFilters {
    pub terms: Option<Vec<search::Term>>,
    pub category: Option<Category>,
    pub place: Option<Place>,
    /// At least this much per month at the top of the range.
    pub salary: Option<i64>,
    pub education: Option<Education>,
    pub kind: Option<VacancyKind>,
    /// Published by a timeline row in this id range (after the first, up to the second): the
    /// "new since the last look" bound of a saved search's daily email.
    pub published_between: Option<(i64, i64)>,
    pub by_salary: bool,
    pub page: i64,
}

impl SearchFilters {
    /// The search form's fields as the GET form (or a saved search) gives them. A value nobody's
    /// form offers is ignored rather than refused: the address may be old or typed by hand, and
    /// a public search answers anyway.
    pub fn from_form(field: impl Fn(&str) -> Option<String>) -> SearchFilters {
        let pick = |k: &str| field(k).map(|v| v.trim().to_string()).filter(|s| !s.is_empty());
        SearchFilters {
            terms: pick("q").and_then(|q| search::query_terms(&q)),
            category: pick("category").and_then(|c| Category::parse(&c)),
            place: pick("place").and_then(|p| Place::parse(&p)),
            salary: pick("salary").and_then(|s| s.parse::<i64>().ok()).filter(|s| (0..=1_000_000).contains(s)),
            education: pick("education").and_then(|e| Education::parse(&e)),
            kind: pick("kind").and_then(|k| VacancyKind::parse(&k)),
            published_between: None,
            by_salary: pick("sort").as_deref() == Some("salary"),
            page: pick("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1),
        }
    }
}

enum Bind {
    Int(i64),
    Text(String),
}

/// What a search reads from (`FROM …`, the vacancies as `v`), its WHERE clause with the
/// values to bind, the key that orders newest first, and on PostgreSQL with a keyword, the
/// same search as a bounded walk over the newest rows (see [`crate::db::NewestFirst`]).
struct Clause {
    from: String,
    clause: String,
    binds: Vec<Bind>,
    id_key: String,
    newest_first: Option<NewestFirst>,
}

/// The walk's own WHERE clause (the listing, the column filters) and its row test.
struct NewestFirst {
    clause: String,
    matches: String,
}

/// The WHERE clause of a search over `vacancies v`, with its values: listed today and matching
/// every filter given. Each filter is one an index serves (see 0004, 0012, 0018, 0024 and 0025).
fn where_clause(dialect: crate::db::Dialect, f: &SearchFilters, today: &str) -> Clause {
    let mut clause = String::from(" WHERE v.status = $1 AND v.expires_on >= $2");
    let mut binds: Vec<Bind> = vec![Bind::Text(VacancyStatus::Published.as_str().into()), Bind::Text(today.into())];
    let mut add = |clause: &mut String, sql: &str, value: Bind| {
        binds.push(value);
        clause.push_str(&sql.replace('?', &format!("${}", binds.len())));
    };
    if let Some(s) = f.salary {
        add(&mut clause, " AND v.salary_max >= ?", Bind::Int(s));
    }
    if let Some((after, upto)) = f.published_between {
        add(
            &mut clause,
            " AND v.id IN (SELECT ve.vacancy_id FROM vacancy_events ve WHERE ve.to_status = 'published' AND ve.id > ?",
            Bind::Int(after),
        );
        add(&mut clause, " AND ve.id <= ?)", Bind::Int(upto));
    }
    // Equality filters take values from fixed lists, so they are written into the SQL: the
    // token search folds them into its index as facets instead of comparing columns.
    let equal: Vec<(&str, &str)> = [
        ("category", f.category.map(|c| c.as_str())),
        ("place", f.place.map(|p| p.as_str())),
        ("education", f.education.map(|e| e.as_str())),
        ("kind", f.kind.map(|k| k.as_str())),
    ]
    .into_iter()
    .filter_map(|(column, value)| value.map(|v| (column, v)))
    .collect();
    let columns: String = equal.iter().map(|(column, value)| format!(" AND v.{column} = '{value}'")).collect();
    // SQLite's b-tree indexes each serve one filter column, and walking one of them while
    // testing the rest costs what the table holds (33 ms for two filters at a million rows);
    // its FTS5 index intersects any set of facets at once. PostgreSQL's planner ANDs its
    // b-tree bitmaps itself, so only a keyword takes it to the token index.
    let by_tokens = f.terms.is_some() || (dialect == crate::db::Dialect::Sqlite && !equal.is_empty());
    if !by_tokens {
        clause.push_str(&columns);
        return Clause { from: "vacancies v".into(), clause, binds, id_key: "v.id".into(), newest_first: None };
    }
    // The listing status and the pay floor stay column tests (see migration 0024).
    let facets: Vec<String> = equal.iter().map(|(column, value)| format!("{column}:{value}")).collect();
    let param = f.terms.as_ref().map(|terms| {
        binds.push(Bind::Text(dialect.token_query(terms)));
        binds.len()
    });
    let search = dialect.token_search("v", "vacancies", param, &facets);
    let newest_first = search.newest_first.map(|n| NewestFirst { clause: format!("{clause}{columns}"), matches: n.matches });
    clause.push_str(&format!(" AND {}", search.condition));
    Clause { from: search.from, clause, binds, id_key: search.id_key, newest_first }
}

/// Merges SQLite's keyword index into one segment. FTS5 adds a small segment per write and
/// merges them only by level, so a table written to over months is read from a dozen segments,
/// and each query seeks in every one: at a million rows, a keyword with three filters counts its
/// first thousand matches in 4 ms of CPU from ten segments and 1 ms from one. The merge rewrites
/// the index (5 s at a million rows, milliseconds at the centre's tens of thousands), so the
/// worker runs it once a day; it is idempotent. PostgreSQL's GIN index needs nothing of the
/// kind: it takes each write into its tree at once (fastupdate off, migration 0025).
pub async fn tidy_search_index(pool: &AnyPool, dialect: crate::db::Dialect) -> AppResult<()> {
    if dialect == crate::db::Dialect::Sqlite {
        sqlx::query("INSERT INTO vacancies_search (vacancies_search) VALUES ('optimize')").execute(pool).await?;
    }
    Ok(())
}

fn bind_all<'q, O>(
    mut query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    binds: &[Bind],
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        query = match b {
            Bind::Int(i) => query.bind(*i),
            Bind::Text(s) => query.bind(s.clone()),
        };
    }
    query
}

/// Published, unexpired vacancies matching the filters, newest (or best paid) first, with the
/// number of matches up to [`COUNT_CAP`]. Both databases return the same rows in the same order.
pub async fn search(pool: &AnyPool, dialect: crate::db::Dialect, f: &SearchFilters, today: &str) -> AppResult<SearchPage> {
    let mut conn = pool.acquire().await?;
    search_on(&mut conn, dialect, f, today).await
}

/// [`search`] on a connection the caller holds (the saved searches' digest runs it inside its
/// write transaction).
pub async fn search_on(conn: &mut AnyConnection, dialect: crate::db::Dialect, f: &SearchFilters, today: &str) -> AppResult<SearchPage> {
    let Clause { from, clause, binds, id_key, newest_first } = where_clause(dialect, f, today);
    let page = f.page.clamp(1, super::MAX_PAGE);
    let offset = (page - 1) * PAGE_SIZE;
    let mut rows = None;
    let mut walked = false;
    if let (Some(walk), false) = (&newest_first, f.by_salary) {
        // At most this many listed rows are tested, newest first: a few milliseconds even when
        // none matches. Fewer than a page among them means the matches are rare, and rare
        // matches are what the index finds fast.
        let window = NEWEST_FIRST_WINDOW * page;
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM (SELECT v.* FROM (SELECT v.* FROM vacancies v{} ORDER BY v.id DESC LIMIT {window}) v \
             WHERE {} LIMIT {} OFFSET {offset}) v JOIN employers e ON e.id = v.employer_id ORDER BY v.id DESC",
            walk.clause, walk.matches, PAGE_SIZE + 1
        );
        let found = bind_all(sqlx::query_as::<_, VacancyCard>(&sql), &binds).fetch_all(&mut *conn).await?;
        walked = found.len() as i64 > PAGE_SIZE;
        rows = walked.then_some(found);
    }
    let mut rows = match rows {
        Some(rows) => rows,
        None => {
            let order = if f.by_salary { format!("v.salary_max DESC, {id_key} DESC") } else { format!("{id_key} DESC") };
            let sql = format!(
                "SELECT {CARD_COLUMNS} FROM {from} JOIN employers e ON e.id = v.employer_id{clause} ORDER BY {order} LIMIT {} OFFSET {offset}",
                PAGE_SIZE + 1
            );
            bind_all(sqlx::query_as::<_, VacancyCard>(&sql), &binds).fetch_all(&mut *conn).await?
        }
    };
    let has_next = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    // A first page with nothing after it already holds every hit: no need to count them again.
    let mut hits = (page == 1 && !has_next).then_some(rows.len() as i64);
    if let (None, Some(walk), true) = (hits, &newest_first, walked) {
        // More than the cap among the newest rows settles the count ("over 200") without the
        // keyword index. That index answers a count by reading every posting of every term, and
        // a common word with two filters is 7 600 hits out of 140 000 postings at a million
        // vacancies (20 ms); among the newest rows the 201st hit is a few hundred rows away.
        // Only tried when the walk found a page: rarer hits will not reach the cap in its window.
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT v.* FROM vacancies v{} ORDER BY v.id DESC LIMIT {NEWEST_FIRST_WINDOW}) v WHERE {} LIMIT {}) hits",
            walk.clause,
            walk.matches,
            COUNT_CAP + 1
        );
        let newest = bind_all(sqlx::query_as::<_, (i64,)>(&sql), &binds).fetch_one(&mut *conn).await?.0;
        hits = (newest > COUNT_CAP).then_some(newest);
    }
    let hits = match hits {
        Some(hits) => hits,
        None => {
            // Counting every hit of a common word costs as much as the hits; a capped count does not.
            let sql = format!("SELECT COUNT(*) FROM (SELECT v.id FROM {from}{clause} LIMIT {}) hits", COUNT_CAP + 1);
            bind_all(sqlx::query_as::<_, (i64,)>(&sql), &binds).fetch_one(&mut *conn).await?.0
        }
    };
    Ok(SearchPage { rows, total: hits.min(COUNT_CAP), more: hits > COUNT_CAP, page, has_next })
}

/// Listed rows the newest-first walk tests per page asked for (see [`search_on`]).
const NEWEST_FIRST_WINDOW: i64 = 2_000;

/// Up to `limit` newest listed vacancies matching the filters, with their descriptions: the
/// candidates that matching scores (see `crate::matching`). The same clause and indexes as
/// [`search`], without the count.
pub async fn candidates(pool: &AnyPool, dialect: crate::db::Dialect, f: &SearchFilters, today: &str, limit: i64) -> AppResult<Vec<(VacancyCard, String)>> {
    let Clause { from, clause, binds, id_key, .. } = where_clause(dialect, f, today);
    let sql = format!(
        "SELECT {CARD_COLUMNS}, v.description FROM {from} JOIN employers e ON e.id = v.employer_id{clause} ORDER BY {id_key} DESC LIMIT {}",
        limit.clamp(1, 500)
    );
    let rows = bind_all(sqlx::query_as::<_, CandidateRow>(&sql), &binds).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|r| (r.card, r.description)).collect())
}

#[derive(sqlx::FromRow)]
struct CandidateRow {
    #[sqlx(flatten)]
    card: VacancyCard,
    description: String,
}
