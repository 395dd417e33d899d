//! CSV imports through the database (server only). The upload is a plain multipart form posting
//! to [`ENDPOINT`], so it works without JavaScript: the handler reads and checks the file, keeps
//! it sealed in `archive_imports`, and sends the case worker to its dry run. The report is made
//! from the kept file each time it is shown, and the import makes it once more inside its write
//! transaction, so what is imported is exactly what the report calls good at that moment.

use super::import::{check_rows, decode, GoodRow};
use super::ssr::{id_hash, insert, new_check_code};
use super::{ImportReport, IssuedCode, Location, Rejected};
use crate::error::{AppError, AppResult};
use crate::flash::{FormFlash, FLASH_SESSION_KEY};
use crate::shared::files;
use crate::shared::time::Date;
use crate::ssr::{audit, now, AppState, AuditAction, SecretKey};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashSet};
use tower_sessions::Session;

/// Where the upload form posts (and the `endpoint` of its flash).
pub const ENDPOINT: &str = super::IMPORT_ENDPOINT;
const FORM_PAGE: &str = "/staff/archives/import";

pub fn routes() -> Router<AppState> {
    Router::new().route(ENDPOINT, post(upload).layer(DefaultBodyLimit::max(super::import::MAX_BYTES + 64 * 1024)))
}

async fn back_with(session: &Session, error: AppError) -> Response {
    let flash = FormFlash { endpoint: ENDPOINT.to_string(), error, values: BTreeMap::new() };
    if let Err(e) = session.insert(FLASH_SESSION_KEY, flash).await {
        tracing::error!(error = %e, "cannot keep the archive import form's error");
    }
    Redirect::to(FORM_PAGE).into_response()
}

async fn upload(State(state): State<AppState>, session: Session, multipart: Multipart) -> Response {
    let me = match crate::ssr::user_of_session(&state, &session).await {
        Ok(Some(me)) if me.role.is_staff() => me,
        Ok(Some(_)) => return (axum::http::StatusCode::FORBIDDEN, "forbidden").into_response(),
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    let form = match files::read_form(multipart).await {
        Ok(form) => form,
        Err(_) => return back_with(&session, AppError::field("file", "archive.import_too_large")).await,
    };
    let text = match decode(&form.file) {
        Ok(text) => text,
        Err(key) => return back_with(&session, AppError::field("file", key)).await,
    };
    // A file whose header or shape is wrong is refused as a whole, before anything is kept.
    if let Err(key) = check_rows(text, Date::today_from_unix(now())) {
        return back_with(&session, AppError::field("file", key)).await;
    }
    let kept = sqlx::query_scalar::<_, i64>(
        "INSERT INTO archive_imports (uploaded_by, contents_enc, created_at, imported_at, imported) \
         VALUES ($1, $2, $3, NULL, 0) RETURNING id",
    )
    .bind(me.id)
    .bind(crate::crypto::seal(&state.settings.secret_key, text))
    .bind(now())
    .fetch_one(&state.pool)
    .await;
    match kept {
        Ok(id) => Redirect::to(&format!("{FORM_PAGE}?run={id}")).into_response(),
        Err(e) => back_with(&session, AppError::from(e)).await,
    }
}

/// The report of kept file `id` as the database stands (inside the caller's transaction, when
/// there is one), and the rows that would be imported.
pub async fn report(conn: &mut AnyConnection, key: &SecretKey, id: i64) -> AppResult<(ImportReport, Vec<GoodRow>)> {
    let row: Option<(String, Option<i64>, i64, i64)> =
        sqlx::query_as("SELECT contents_enc, imported_at, imported, created_at FROM archive_imports WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let (sealed, imported_at, imported, created_at) = row.ok_or(AppError::NotFound)?;
    let text = crate::crypto::open(key, &sealed).ok_or_else(|| AppError::internal("a kept archive import does not open"))?;
    // Read as of the day it was uploaded, so a report does not change at midnight.
    let (good, mut rejected) = check_rows(&text, Date::today_from_unix(created_at)).map_err(|k| AppError::field("file", k))?;
    let rows = (good.len() + rejected.len()) as u64;
    let existing = existing_holders(conn, key, &good).await?;
    let (good, exists): (Vec<GoodRow>, Vec<GoodRow>) = good.into_iter().partition(|r| !existing.contains(&id_hash(key, &r.resident_id)));
    rejected.extend(exists.iter().map(|r| Rejected { line: r.line, reason: "archive.reject_exists".into(), detail: String::new() }));
    rejected.sort_by_key(|r| r.line);
    let report = ImportReport { id, rows, good: good.len() as u64, rejected, imported_at, imported };
    Ok((report, good))
}

/// The lookup hashes of the rows' holders that already have an archive.
async fn existing_holders(conn: &mut AnyConnection, key: &SecretKey, rows: &[GoodRow]) -> AppResult<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in rows.chunks(200) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT resident_id_hash FROM archives WHERE resident_id_hash IN ({})", marks.join(", "));
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for r in chunk {
            query = query.bind(id_hash(key, &r.resident_id));
        }
        found.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

/// Imports the good rows of kept file `id` in one write transaction, once: a second run (a
/// double click, a second case worker) finds it imported and changes nothing.
pub async fn run(state: &AppState, id: i64, by: i64, address: &str) -> AppResult<Vec<IssuedCode>> {
    let key = &state.settings.secret_key;
    let mut tx = state.dialect.begin_write(&state.pool).await?;
    let claimed = sqlx::query("UPDATE archive_imports SET imported_at = $1 WHERE id = $2 AND imported_at IS NULL")
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if claimed.rows_affected() == 0 {
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM archive_imports WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        return Err(if known.is_some() { AppError::Conflict("archive.import_done".into()) } else { AppError::NotFound });
    }
    let (_, good) = report(&mut tx, key, id).await?;
    let mut codes = Vec::with_capacity(good.len());
    for row in &good {
        let code = new_check_code();
        let at = Location { kind: row.kind, place: row.place, name: row.unit.clone() };
        let archive_id = insert(&mut tx, key, &row.resident_id, &row.name, &at, &code, by)
            .await?
            .ok_or_else(|| AppError::internal("an archive appeared inside the import's write transaction"))?;
        codes.push(IssuedCode { archive_id, holder_name: row.name.clone(), resident_id_masked: row.resident_id.masked(), code });
    }
    sqlx::query("UPDATE archive_imports SET imported = $1 WHERE id = $2").bind(codes.len() as i64).bind(id).execute(&mut *tx).await?;
    audit(&mut tx, Some(by), AuditAction::ArchivesImported, &format!("archive_import:{id}:{}", codes.len()), address).await?;
    tx.commit().await?;
    Ok(codes)
}
