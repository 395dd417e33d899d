//! Archive storage (server only): check codes, recording an archive and its movements (with the
//! holder's email and notification), the lists, the holder's own archive and the public lookup.

use super::{normalise_code, normalise_name, Archive, ArchiveDetail, Location, Movement, CODE_ALPHABET, CODE_LENGTH};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::jobseeker::domain::ResidentId;
use crate::mail::ssr::{enqueue, Mail};
use crate::notifications::ssr::notify;
use crate::notifications::{Note, NotificationKind};
use crate::ssr::{now, AppState, SecretKey};
use rand::Rng;
use sqlx::{AnyConnection, AnyPool, Row};

const ARCHIVE_COLUMNS: &str = "a.id, a.holder_name, a.resident_id_masked, a.location_kind, a.location_place, a.location_name, \
     a.created_at, a.updated_at";

/// A fresh check code ([`CODE_LENGTH`] characters of [`CODE_ALPHABET`]).
pub fn new_check_code() -> String {
    let mut rng = rand::thread_rng();
    (0..CODE_LENGTH).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// What is stored of a check code: a keyed hash, so a copy of the table is no list of codes.
pub fn check_hash(key: &SecretKey, code: &str) -> String {
    crate::crypto::lookup_hash(key, &format!("archive-check:{}", normalise_code(code)))
}

/// The keyed hash an ID number is found by: the one profiles use, so an archive finds its holder.
pub fn id_hash(key: &SecretKey, id: &ResidentId) -> String {
    crate::crypto::lookup_hash(key, id.expose())
}

/// Equal strings, compared without an early exit.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Records an archive in the caller's transaction; `Ok(None)` when its holder already has one.
pub async fn insert(
    conn: &mut AnyConnection,
    key: &SecretKey,
    id: &ResidentId,
    name: &str,
    at: &Location,
    code: &str,
    by: i64,
) -> AppResult<Option<i64>> {
    let hash = id_hash(key, id);
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM archives WHERE resident_id_hash = $1").bind(&hash).fetch_optional(&mut *conn).await?;
    if taken.is_some() {
        return Ok(None);
    }
    let t = now();
    let row = sqlx::query(
        "INSERT INTO archives (holder_name, resident_id_enc, resident_id_hash, resident_id_masked, check_hash, location_kind, \
           location_place, location_name, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(name)
    .bind(crate::crypto::seal(key, id.expose()))
    .bind(&hash)
    .bind(id.masked())
    .bind(check_hash(key, code))
    .bind(at.kind)
    .bind(at.place)
    .bind(&at.name)
    .bind(by)
    .bind(t)
    .fetch_one(&mut *conn)
    .await;
    match row {
        Ok(row) => Ok(Some(row.try_get("id")?)),
        // Another case worker recorded the same person a moment ago.
        Err(e) if crate::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Gives an archive a new check code; `None` when there is no such archive.
pub async fn replace_code(conn: &mut AnyConnection, key: &SecretKey, archive_id: i64, code: &str) -> AppResult<Option<Archive>> {
    let done = sqlx::query("UPDATE archives SET check_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(check_hash(key, code))
        .bind(now())
        .bind(archive_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    Ok(Some(sqlx::query_as(&format!("SELECT {ARCHIVE_COLUMNS} FROM archives a WHERE a.id = $1")).bind(archive_id).fetch_one(conn).await?))
}

/// Archives for the case workers' list: the latest first, or those whose holder's name holds
/// `name`, or the one of an ID number.
pub async fn list(pool: &AnyPool, state: &AppState, name: Option<&str>, id: Option<&ResidentId>) -> AppResult<Vec<Archive>> {
    let rows = match (id, name) {
        (Some(id), _) => {
            sqlx::query_as(&format!("SELECT {ARCHIVE_COLUMNS} FROM archives a WHERE a.resident_id_hash = $1"))
                .bind(id_hash(&state.settings.secret_key, id))
                .fetch_all(pool)
                .await?
        }
        (None, Some(name)) => {
            let test = state.dialect.contains_ignore_case("a.holder_name", 1);
            sqlx::query_as(&format!("SELECT {ARCHIVE_COLUMNS} FROM archives a WHERE {test} ORDER BY a.updated_at DESC, a.id DESC LIMIT 200"))
                .bind(crate::db::like_pattern(name))
                .fetch_all(pool)
                .await?
        }
        (None, None) => {
            sqlx::query_as(&format!("SELECT {ARCHIVE_COLUMNS} FROM archives a ORDER BY a.updated_at DESC, a.id DESC LIMIT 100"))
                .fetch_all(pool)
                .await?
        }
    };
    Ok(rows)
}

/// An archive and its movements; `with_recorder` names who recorded each (case workers only).
pub async fn detail(conn: &mut AnyConnection, id: i64, with_recorder: bool) -> AppResult<Option<ArchiveDetail>> {
    let archive: Option<Archive> =
        sqlx::query_as(&format!("SELECT {ARCHIVE_COLUMNS} FROM archives a WHERE a.id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    let Some(archive) = archive else { return Ok(None) };
    let recorder = if with_recorder { "u.display_name" } else { "''" };
    let movements: Vec<Movement> = sqlx::query_as(&format!(
        "SELECT m.id, m.from_kind, m.from_place, m.from_name, m.to_kind, m.to_place, m.to_name, m.moved_on, m.transfer_number, \
           m.note, {recorder} AS recorded_by, m.recorded_at \
         FROM archive_movements m JOIN users u ON u.id = m.recorded_by WHERE m.archive_id = $1 ORDER BY m.moved_on DESC, m.id DESC"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(ArchiveDetail { archive, movements }))
}

/// The archive of the graduate `user_id`, found by their profile's ID number (none while the
/// number waits for a case worker's decision on a conflict).
pub async fn of_graduate(conn: &mut AnyConnection, user_id: i64) -> AppResult<Option<ArchiveDetail>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT a.id FROM archives a JOIN profiles p ON p.resident_id_hash = a.resident_id_hash \
         WHERE p.user_id = $1 AND p.id_conflict_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    match id {
        Some(id) => detail(conn, id, false).await,
        None => Ok(None),
    }
}

/// What a case worker records of a movement.
pub struct NewMovement {
    pub to: Location,
    pub moved_on: String,
    pub transfer_number: String,
    pub note: String,
}

/// Records a movement in the caller's write transaction: from where the archive is now to
/// `m.to`, which becomes where it is. The holder, when they have an account, is emailed and
/// notified in the same transaction.
pub async fn record_movement(conn: &mut AnyConnection, state: &AppState, archive_id: i64, m: &NewMovement, by: i64) -> AppResult<()> {
    move_archive(conn, archive_id, m, by).await?;
    tell_holder(conn, &state.settings.base_url, archive_id, m).await
}

/// The movement itself, without telling anyone (the demo seed records history this way).
pub async fn move_archive(conn: &mut AnyConnection, archive_id: i64, m: &NewMovement, by: i64) -> AppResult<()> {
    let t = now();
    // Touching the row first holds it (PostgreSQL's row lock; SQLite's write lock is held already),
    // so two movements recorded at once each start from where the other left it.
    let touched = sqlx::query("UPDATE archives SET updated_at = $1 WHERE id = $2").bind(t).bind(archive_id).execute(&mut *conn).await?;
    if touched.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let from: Archive = sqlx::query_as(&format!("SELECT {ARCHIVE_COLUMNS} FROM archives a WHERE a.id = $1")).bind(archive_id).fetch_one(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO archive_movements (archive_id, from_kind, from_place, from_name, to_kind, to_place, to_name, moved_on, \
           transfer_number, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(archive_id)
    .bind(from.location_kind)
    .bind(from.location_place)
    .bind(&from.location_name)
    .bind(m.to.kind)
    .bind(m.to.place)
    .bind(&m.to.name)
    .bind(&m.moved_on)
    .bind(&m.transfer_number)
    .bind(&m.note)
    .bind(by)
    .bind(t)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE archives SET location_kind = $1, location_place = $2, location_name = $3 WHERE id = $4")
        .bind(m.to.kind)
        .bind(m.to.place)
        .bind(&m.to.name)
        .bind(archive_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// `乐山市市中区 · 市中区人才服务中心`: the place (talent services) and the keeper's name.
pub fn describe(lang: Lang, at: &Location) -> String {
    let kind = crate::i18n::tr(lang, at.kind.label_key());
    match at.place {
        Some(place) => format!("{kind} · {} · {}", crate::i18n::tr(lang, place.label_key()), at.name),
        None => format!("{kind} · {}", at.name),
    }
}

/// Emails and notifies the holder of a moved archive, when an account's profile holds the ID
/// number (and no conflict over it is pending).
async fn tell_holder(conn: &mut AnyConnection, base_url: &str, archive_id: i64, m: &NewMovement) -> AppResult<()> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.display_name, u.locale FROM archives a \
         JOIN profiles p ON p.resident_id_hash = a.resident_id_hash AND p.id_conflict_at IS NULL \
         JOIN users u ON u.id = p.user_id WHERE a.id = $1",
    )
    .bind(archive_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(()) };
    let user_id: i64 = row.try_get("id")?;
    let lang = Lang::parse(&row.try_get::<String, _>("locale")?).unwrap_or_default();
    let mail = Mail::ArchiveMoved {
        name: row.try_get("display_name")?,
        to: describe(lang, &m.to),
        moved_on: m.moved_on.clone(),
        transfer_number: m.transfer_number.clone(),
        link: format!("{base_url}/archive"),
    };
    enqueue(&mut *conn, &row.try_get::<String, _>("email")?, lang, &mail).await?;
    let note = Note {
        link: "/archive".into(),
        subject: m.to.name.clone(),
        what_key: "archive.note_moved".into(),
        status_key: m.to.kind.label_key().into(),
        reason: String::new(),
    };
    notify(conn, user_id, None, NotificationKind::ArchiveMoved, &note).await
}

/// The archive whose holder has this ID number and name and whose check code is `code`; `None`
/// when any of the three is wrong, after the same work whichever it was: an unknown ID number is
/// compared against a stored hash no code makes, and the name and code are both compared always.
pub async fn lookup(pool: &AnyPool, key: &SecretKey, id: Option<&ResidentId>, name: &str, code: &str) -> AppResult<Option<i64>> {
    let given_code = check_hash(key, code);
    // A malformed ID number is looked up as a hash no archive has, so it costs what a wrong one does.
    let hash = match id {
        Some(id) => id_hash(key, id),
        None => "-".repeat(given_code.len()),
    };
    let row: Option<(i64, String, String)> = sqlx::query_as("SELECT id, holder_name, check_hash FROM archives WHERE resident_id_hash = $1")
        .bind(&hash)
        .fetch_optional(pool)
        .await?;
    let (archive_id, stored_name, stored_code) = row.unwrap_or((0, String::new(), "-".repeat(given_code.len())));
    let name_ok = same(&normalise_name(name), &normalise_name(&stored_name));
    let code_ok = same(&given_code, &stored_code);
    Ok((name_ok & code_ok & (archive_id != 0)).then_some(archive_id))
}
