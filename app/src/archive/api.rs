//! Archive server functions: the case workers' list, archive, new archive and movement, the
//! import's report and run, the graduate's own archive, and the public lookup. Each checks who
//! is asking where it reads or writes.

use super::{Archive, ArchiveDetail, ImportReport, IssuedCode};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{self as q, NewMovement},
    super::{Location, LocationKind},
    crate::error::FieldErrors,
    crate::jobseeker::domain::ResidentId,
    crate::shared::identity::Role,
    crate::shared::throttle::{self, Limit},
    crate::shared::time::Date,
    crate::shared::validate::{choice, text},
    crate::shared::values::Place,
    crate::ssr::{audit, client_address, now, require_role, require_staff, session, state, throttle_address, AuditAction},
};

/// Where a new archive's or an import's check codes wait for the page after the redirect:
/// sealed with the server's key (the session row is plain JSON in the database), with the time.
#[cfg(feature = "ssr")]
pub const ISSUED_SESSION_KEY: &str = "archive_issued_codes";
#[cfg(feature = "ssr")]
const ISSUED_SECONDS: i64 = 600;
/// Where a lookup posted without JavaScript leaves the archive it found for the page after its
/// redirect (the archive's id, never the code).
#[cfg(feature = "ssr")]
const LOOKUP_ONCE_KEY: &str = "archive_lookup_once";
#[cfg(feature = "ssr")]
const LOOKUP_ONCE_SECONDS: i64 = 120;
/// Lookups per client address per window: a holder who mistypes has room, a script guessing a
/// 50-bit code has none.
#[cfg(feature = "ssr")]
pub const LOOKUPS_PER_ADDRESS: i64 = 10;
/// Lookups per ID number per window, from any number of addresses.
#[cfg(feature = "ssr")]
pub const LOOKUPS_PER_ID: i64 = 5;
#[cfg(feature = "ssr")]
pub const LOOKUP_WINDOW_SECS: i64 = 15 * 60;
#[cfg(feature = "ssr")]
const MAX_NAME_CHARS: usize = 50;
#[cfg(feature = "ssr")]
const MAX_UNIT_CHARS: usize = 100;

/// Keeps check codes for the next page to show once.
#[cfg(feature = "ssr")]
pub async fn keep_issued(codes: &[IssuedCode]) -> Result<(), AppError> {
    let json = serde_json::to_string(codes).map_err(AppError::internal)?;
    let sealed = crate::crypto::seal(&state()?.settings.secret_key, &json);
    session().await?.insert(ISSUED_SESSION_KEY, (sealed, now())).await?;
    Ok(())
}

/// Where an archive is (or goes), from the form's fields: a talent service names its place.
#[cfg(feature = "ssr")]
fn location(e: &mut FieldErrors, kind: &str, place: Option<&str>, name: &str) -> Option<Location> {
    let kind = choice::<LocationKind>(e, "location_kind", kind);
    let place = match kind {
        Some(LocationKind::TalentService) => choice::<Place>(e, "location_place", place.unwrap_or("")),
        _ => None,
    };
    let name = text(e, "location_name", name, MAX_UNIT_CHARS, true);
    Some(Location { kind: kind?, place, name })
}

/// Archives for case workers: the latest, or those matching `q` (an ID number, or part of a name).
#[server(endpoint = "archive/list")]
pub async fn list_archives(q: Option<String>) -> Result<Vec<Archive>, AppError> {
    require_staff().await?;
    let state = state()?;
    let q = q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let id = q.and_then(|q| ResidentId::parse(q, Date::today_from_unix(now())).ok());
    q::list(&state.pool, &state, q, id.as_ref()).await
}

/// One archive with its movements and who recorded each, for case workers.
#[server(endpoint = "archive/detail")]
pub async fn get_archive(id: i64) -> Result<ArchiveDetail, AppError> {
    require_staff().await?;
    let mut conn = state()?.pool.acquire().await?;
    q::detail(&mut conn, id, true).await?.ok_or(AppError::NotFound)
}

/// The check codes just made (a new archive, an import), once; empty when they were shown.
#[server(endpoint = "archive/issued")]
pub async fn take_issued_codes() -> Result<Vec<IssuedCode>, AppError> {
    require_staff().await?;
    let Some((sealed, at)) = session().await?.remove::<(String, i64)>(ISSUED_SESSION_KEY).await? else {
        return Ok(Vec::new());
    };
    if now() - at > ISSUED_SECONDS {
        return Ok(Vec::new());
    }
    let json = crate::crypto::open(&state()?.settings.secret_key, &sealed).ok_or_else(|| AppError::internal("issued codes in the session do not open"))?;
    serde_json::from_str(&json).map_err(AppError::internal)
}

/// Records a new archive where it is now, with a fresh check code the next page shows once.
#[server(endpoint = "archive/add")]
pub async fn add_archive(
    resident_id: String,
    holder_name: String,
    location_kind: String,
    location_place: Option<String>,
    location_name: String,
) -> Result<(), AppError> {
    let me = require_staff().await?;
    let state = state()?;
    let mut e = FieldErrors::new();
    let id = ResidentId::parse(&resident_id, Date::today_from_unix(now())).map_err(|k| e.add("resident_id", k)).ok();
    let name = text(&mut e, "holder_name", &holder_name, MAX_NAME_CHARS, true);
    let at = location(&mut e, &location_kind, location_place.as_deref(), &location_name);
    e.into_result()?;
    let (id, at) = (id.expect("checked"), at.expect("checked"));
    let code = q::new_check_code();
    let mut tx = state.dialect.begin_write(&state.pool).await?;
    let Some(archive_id) = q::insert(&mut tx, &state.settings.secret_key, &id, &name, &at, &code, me.id).await? else {
        return Err(AppError::field("resident_id", "archive.exists"));
    };
    audit(&mut tx, Some(me.id), AuditAction::ArchiveCreated, &format!("archive:{archive_id}"), &client_address().await).await?;
    tx.commit().await?;
    keep_issued(&[IssuedCode { archive_id, holder_name: name, resident_id_masked: id.masked(), code }]).await?;
    leptos_axum::redirect(&format!("/staff/archives/{archive_id}?notice=archive_added"));
    Ok(())
}

/// Replaces an archive's check code (the holder lost the notice): the old code stops working
/// at once, and the next page shows the new one once.
#[server(endpoint = "archive/new_code")]
pub async fn new_check_code(archive_id: i64) -> Result<(), AppError> {
    let me = require_staff().await?;
    let state = state()?;
    let code = q::new_check_code();
    let mut tx = state.dialect.begin_write(&state.pool).await?;
    let archive = q::replace_code(&mut tx, &state.settings.secret_key, archive_id, &code).await?.ok_or(AppError::NotFound)?;
    audit(&mut tx, Some(me.id), AuditAction::ArchiveCodeReplaced, &format!("archive:{archive_id}"), &client_address().await).await?;
    tx.commit().await?;
    keep_issued(&[IssuedCode { archive_id, holder_name: archive.holder_name, resident_id_masked: archive.resident_id_masked, code }]).await?;
    leptos_axum::redirect(&format!("/staff/archives/{archive_id}?notice=archive_new_code"));
    Ok(())
}

/// Records that an archive moved from where it is to a new keeper; the holder is told.
#[expect(clippy::too_many_arguments, reason = "one argument per form field, as ActionForm posts them")]
#[server(endpoint = "archive/move")]
pub async fn record_movement(
    archive_id: i64,
    location_kind: String,
    location_place: Option<String>,
    location_name: String,
    moved_on: String,
    transfer_number: String,
    note: String,
) -> Result<(), AppError> {
    let me = require_staff().await?;
    let state = state()?;
    let mut e = FieldErrors::new();
    let to = location(&mut e, &location_kind, location_place.as_deref(), &location_name);
    let today = Date::today_from_unix(now());
    let date = Date::parse(&moved_on).map_err(|k| e.add("moved_on", k)).ok();
    if date.is_some_and(|d| d > today) {
        e.add("moved_on", "archive.moved_on_future");
    }
    let transfer_number = text(&mut e, "transfer_number", &transfer_number, 50, true);
    let note = text(&mut e, "note", &note, 500, false);
    e.into_result()?;
    let m = NewMovement { to: to.expect("checked"), moved_on: date.expect("checked").to_string(), transfer_number, note };
    let mut tx = state.dialect.begin_write(&state.pool).await?;
    q::record_movement(&mut tx, &state, archive_id, &m, me.id).await?;
    audit(&mut tx, Some(me.id), AuditAction::ArchiveMoved, &format!("archive:{archive_id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/staff/archives/{archive_id}?notice=archive_moved"));
    Ok(())
}

/// The signed-in graduate's own archive, found by their profile's ID number; `None` when no
/// archive is recorded for it (or the profile has no number yet).
#[server(endpoint = "archive/mine")]
pub async fn my_archive() -> Result<Option<ArchiveDetail>, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let mut conn = state()?.pool.acquire().await?;
    q::of_graduate(&mut conn, me.id).await
}

/// The archive of whoever holds its ID number, name and check code. Any wrong one of the three
/// gets the same answer (`archive.lookup_not_found`) and counts alike, per address and per ID
/// number. A `fetch` caller gets the archive; a posted form is sent back to the lookup page, which
/// shows it once.
#[server(endpoint = "archive/lookup")]
pub async fn lookup_archive(resident_id: String, holder_name: String, check_code: String) -> Result<ArchiveDetail, AppError> {
    let mut e = FieldErrors::new();
    for (field, value) in [("resident_id", &resident_id), ("holder_name", &holder_name), ("check_code", &check_code)] {
        if value.trim().is_empty() {
            e.add(field, "validation.required");
        }
    }
    e.into_result()?;
    let state = state()?;
    let key = &state.settings.secret_key;
    let typed_id = crate::shared::typed::identity_text(&resident_id).to_uppercase();
    let limits = [
        Limit::new(format!("archive-lookup:{}", throttle_address().await), LOOKUPS_PER_ADDRESS, LOOKUP_WINDOW_SECS),
        Limit::new(format!("archive-lookup-id:{}", crate::crypto::lookup_hash(key, &typed_id)), LOOKUPS_PER_ID, LOOKUP_WINDOW_SECS),
    ];
    let counted = throttle::attempt(&state.pool, state.dialect, &limits).await?;
    let id = ResidentId::parse(&resident_id, Date::today_from_unix(now())).ok();
    let Some(archive_id) = q::lookup(&state.pool, key, id.as_ref(), &holder_name, &check_code).await? else {
        return Err(AppError::field("", "archive.lookup_not_found"));
    };
    // Looking up one's own archive is not a guess.
    counted.forget(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let found = q::detail(&mut conn, archive_id, false).await?.ok_or(AppError::NotFound)?;
    if crate::ssr::posted_without_javascript().await {
        session().await?.insert(LOOKUP_ONCE_KEY, (archive_id, now())).await?;
        leptos_axum::redirect("/archive/lookup");
    }
    Ok(found)
}

/// The archive a lookup posted without JavaScript found, once, on the page after its redirect.
#[server(endpoint = "archive/shown")]
pub async fn shown_lookup() -> Result<Option<ArchiveDetail>, AppError> {
    let Some((id, at)) = session().await?.remove::<(i64, i64)>(LOOKUP_ONCE_KEY).await? else {
        return Ok(None);
    };
    if now() - at > LOOKUP_ONCE_SECONDS {
        return Ok(None);
    }
    let mut conn = state()?.pool.acquire().await?;
    q::detail(&mut conn, id, false).await
}

/// Whether the reader keeps archives (case workers and admins): the forms' pages ask first.
#[server(endpoint = "archive/desk")]
pub async fn archive_desk() -> Result<(), AppError> {
    require_staff().await.map(|_| ())
}

/// The dry run of an uploaded file, as the database stands now (or what its import did);
/// `None` without a file (the upload form), for case workers only either way.
#[server(endpoint = "archive/import_report")]
pub async fn get_import_report(id: Option<i64>) -> Result<Option<ImportReport>, AppError> {
    require_staff().await?;
    let Some(id) = id else { return Ok(None) };
    let state = state()?;
    let mut conn = state.pool.acquire().await?;
    super::importing::report(&mut conn, &state.settings.secret_key, id).await.map(|(report, _)| Some(report))
}

/// Imports the good rows of an uploaded file, once; each new archive gets a check code the
/// next page shows once.
#[server(endpoint = "archive/import_run")]
pub async fn run_import(id: i64) -> Result<(), AppError> {
    let me = require_staff().await?;
    let state = state()?;
    let codes = super::importing::run(&state, id, me.id, &client_address().await).await?;
    keep_issued(&codes).await?;
    leptos_axum::redirect(&format!("/staff/archives/import?run={id}&notice=archive_imported"));
    Ok(())
}
