//! Identity documents (server only): the ID card and the graduation certificate, as PDF, JPEG
//! or PNG up to 5 MB, from a verified email address, at most 20 files and 25 MB per account.
//! The type is read from the file's first bytes, never from its name.
//! Files are stored once per content hash under `<data dir>/uploads/`, and only their owner
//! and staff can fetch them.
//!
//! These are plain HTML multipart forms posting to axum handlers (a server function cannot
//! take a file without JavaScript); failures come back to the profile page through the same
//! session flash as every other form.

use crate::shared::identity::Role;
use crate::error::AppError;
use crate::flash::{FormFlash, FLASH_SESSION_KEY};
use crate::ssr::{now, AppState};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use sha2::{Digest, Sha256};
use tower_sessions::Session;

pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Per account, over every file it ever uploaded. A registration needs two documents; a case
/// worker asking for clearer scans a few times makes perhaps ten. Twenty files and 25 MB (five
/// files of the largest size) leave room for that and keep one account, or a script signed in
/// as one, from filling the server's disk with the 5 MB the form allows each time.
pub const MAX_UPLOADS_PER_ACCOUNT: i64 = 20;
pub const MAX_UPLOAD_BYTES_PER_ACCOUNT: i64 = 25 * 1024 * 1024;
pub const PURPOSES: [&str; 2] = ["id_card", "graduation_certificate"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/uploads/{purpose}", post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)))
        .route("/files/{id}", get(download))
}

/// The content type, judged by magic bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

async fn signed_in(state: &AppState, session: &Session) -> Option<crate::shared::identity::Me> {
    crate::ssr::user_of_session(state, session).await.ok().flatten()
}

async fn back_with_error(session: &Session, purpose: &str, key: &str) -> Response {
    let flash = FormFlash {
        endpoint: format!("/uploads/{purpose}"),
        error: AppError::field("file", key),
        values: Default::default(),
    };
    if let Err(e) = session.insert(FLASH_SESSION_KEY, flash).await {
        tracing::error!(error = %e, "cannot keep the upload error");
    }
    Redirect::to("/profile").into_response()
}

async fn upload(State(state): State<AppState>, session: Session, Path(purpose): Path<String>, mut multipart: Multipart) -> Response {
    let Some(me) = signed_in(&state, &session).await else {
        return Redirect::to("/login?next=%2Fprofile").into_response();
    };
    if me.role != Role::Graduate || !PURPOSES.contains(&purpose.as_str()) {
        return AppError::Forbidden.into_response();
    }
    // Identity documents are kept only for an address that answers: a throwaway account cannot
    // store files.
    if !me.email_verified {
        return back_with_error(&session, &purpose, "upload.email_unverified").await;
    }
    let mut bytes = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => match field.bytes().await {
                Ok(b) => bytes = Some(b),
                // The body limit cut the read short: the file is too large.
                Err(_) => return back_with_error(&session, &purpose, "upload.too_large").await,
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return back_with_error(&session, &purpose, "upload.too_large").await,
        }
    }
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return back_with_error(&session, &purpose, "upload.missing").await;
    };
    if bytes.len() > MAX_UPLOAD_BYTES {
        return back_with_error(&session, &purpose, "upload.too_large").await;
    }
    let Some(mime) = sniff(&bytes) else {
        return back_with_error(&session, &purpose, "upload.wrong_type").await;
    };
    // Checked before the file is written. Two uploads racing from one account can both pass
    // and overshoot by one file, which the limits allow for; they bound disk use, not a count.
    let used: Result<(i64, i64), _> = sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM uploads WHERE owner_id = $1")
        .bind(me.id)
        .fetch_one(&state.pool)
        .await;
    match used {
        Ok((count, _)) if count >= MAX_UPLOADS_PER_ACCOUNT => return back_with_error(&session, &purpose, "upload.quota_files").await,
        Ok((_, total)) if total + bytes.len() as i64 > MAX_UPLOAD_BYTES_PER_ACCOUNT => {
            return back_with_error(&session, &purpose, "upload.quota_bytes").await
        }
        Ok(_) => {}
        Err(e) => {
            AppError::internal(format_args!("cannot read the upload quota: {e}"));
            return back_with_error(&session, &purpose, "error.internal").await;
        }
    }
    let sha = hex::encode(Sha256::digest(&bytes));
    if let Err(e) = store(&state, &sha, &bytes).await {
        AppError::internal(format_args!("cannot store an upload: {e}"));
        return back_with_error(&session, &purpose, "error.internal").await;
    }
    let saved = sqlx::query("INSERT INTO uploads (owner_id, purpose, sha256, mime, size, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(me.id)
        .bind(&purpose)
        .bind(&sha)
        .bind(mime)
        .bind(bytes.len() as i64)
        .bind(now())
        .execute(&state.pool)
        .await;
    if let Err(e) = saved {
        AppError::internal(format_args!("cannot record an upload: {e}"));
        return back_with_error(&session, &purpose, "error.internal").await;
    }
    Redirect::to("/profile?notice=document_uploaded").into_response()
}

fn path_for(state: &AppState, sha: &str) -> std::path::PathBuf {
    state.settings.data_dir.join("uploads").join(&sha[..2]).join(sha)
}

async fn store(state: &AppState, sha: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = path_for(state, sha);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(()); // same content, already stored
    }
    let dir = path.parent().expect("has a parent");
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".{sha}.tmp"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, &path).await
}

async fn download(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Result<Response, AppError> {
    let me = signed_in(&state, &session).await.ok_or(AppError::Unauthorized)?;
    let (owner, purpose, sha, mime): (i64, String, String, String) =
        sqlx::query_as("SELECT owner_id, purpose, sha256, mime FROM uploads WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    // Somebody else's document does not exist, as far as a stranger can tell.
    if owner != me.id && !me.role.is_staff() {
        return Err(AppError::NotFound);
    }
    let bytes = tokio::fs::read(path_for(&state, &sha))
        .await
        .map_err(|e| AppError::internal(format_args!("upload {id} is recorded but its file cannot be read: {e}")))?;
    let ext = match mime.as_str() {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        _ => "png",
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{purpose}.{ext}\"")),
        ],
        Body::from(bytes),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn the_type_comes_from_the_first_bytes_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]), Some("image/png"));
        assert_eq!(sniff(b"MZ\x90\x00 an executable"), None);
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b""), None);
    }
}
