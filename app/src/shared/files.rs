//! Stored files (server only): the rules every uploaded file meets, wherever it is sent from
//! (a graduate's identity documents, a complaint's evidence), the store, and the one guarded
//! route that serves them.
//!
//! A file is PDF, JPEG or PNG, judged by its first bytes, never by its name, and at most 5 MB.
//! It is stored once per content hash under `<data dir>/uploads/` and recorded in `uploads`
//! with its owner (none for an anonymous complaint's evidence) and purpose. An account keeps at
//! most 20 files and 25 MB in all, counted over every purpose. Only the owner and staff can
//! fetch a file; a file without an owner, staff only.
//!
//! Forms that send a file are plain HTML multipart forms posting to axum handlers (a server
//! function cannot take a file without JavaScript); each handler reads the form with
//! [`read_form`], checks the file with [`check`] and [`quota_refusal`], then [`store`]s and
//! [`record`]s it.

use crate::error::{AppError, AppResult};
use crate::ssr::{now, AppState};
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::extract::DefaultBodyLimit;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use std::collections::BTreeMap;
use tower_sessions::Session;

pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Per account, over every file it ever uploaded. A registration needs two documents; a case
/// worker asking for clearer scans a few times makes perhaps ten. Twenty files and 25 MB (five
/// files of the largest size) leave room for that and keep one account, or a script signed in
/// as one, from filling the server's disk with the 5 MB the form allows each time.
pub const MAX_UPLOADS_PER_ACCOUNT: i64 = 20;
pub const MAX_UPLOAD_BYTES_PER_ACCOUNT: i64 = 25 * 1024 * 1024;
/// The request body a form with one file may send: the file and some room for its text fields.
pub const MAX_FORM_BYTES: usize = MAX_UPLOAD_BYTES + 64 * 1024;

crate::stored_enum! {
    /// What a stored file is for.
    pub enum UploadPurpose {
        IdCard = "id_card",
        GraduationCertificate = "graduation_certificate",
        ComplaintEvidence = "complaint_evidence",
        BusinessLicence = "business_licence",
        /// A startup loan's business plan.
        BusinessPlan = "business_plan",
        /// The one-off startup subsidy's evidence of operation (licence, tax returns, …).
        StartupEvidence = "startup_evidence",
        /// Receipts of flexible-employment social insurance contributions.
        InsuranceProof = "insurance_proof",
    }
}

/// The documents a graduate sends with an application form, to `/documents/<purpose>`: the
/// form page shows the latest one and the application names it when it is submitted.
pub const APPLICATION_DOCUMENTS: [UploadPurpose; 3] = [UploadPurpose::BusinessPlan, UploadPurpose::StartupEvidence, UploadPurpose::InsuranceProof];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/files/{id}", get(download))
        .route("/documents/{purpose}", post(application_document).layer(DefaultBodyLimit::max(MAX_FORM_BYTES)))
}

/// The latest document of `purpose` that `owner` sent: (id, mime, size).
pub async fn latest(conn: &mut AnyConnection, owner: i64, purpose: UploadPurpose) -> AppResult<Option<(i64, String, i64)>> {
    Ok(sqlx::query_as("SELECT id, mime, size FROM uploads WHERE owner_id = $1 AND purpose = $2 ORDER BY id DESC LIMIT 1")
        .bind(owner)
        .bind(purpose)
        .fetch_optional(conn)
        .await?)
}

/// A graduate's document for an application form (a plain multipart form: the file must
/// arrive without JavaScript). The form names its page in `back`; the browser returns there,
/// with the refusal in the session flash when the file breaks a rule.
async fn application_document(State(state): State<AppState>, session: Session, Path(purpose): Path<String>, multipart: Multipart) -> Response {
    let endpoint = format!("/documents/{purpose}");
    let Some(me) = crate::ssr::user_of_session(&state, &session).await.ok().flatten() else {
        return Redirect::to("/login").into_response();
    };
    let Some(kind) = UploadPurpose::parse(&purpose).filter(|p| APPLICATION_DOCUMENTS.contains(p)) else {
        return AppError::NotFound.into_response();
    };
    if me.role != crate::shared::identity::Role::Graduate {
        return AppError::Forbidden.into_response();
    }
    let (form, read_error) = match read_form(multipart).await {
        Ok(form) => (form, None),
        Err(key) => (FormWithFile::default(), Some(key)),
    };
    let back = form.fields.get("back").and_then(|b| crate::shared::identity::safe_local_path(b)).unwrap_or_else(|| "/my".into());
    let refuse = |key: &'static str| {
        let session = session.clone();
        let (endpoint, back) = (endpoint.clone(), back.clone());
        async move {
            let flash = crate::flash::FormFlash { endpoint, error: AppError::field("file", key), values: Default::default() };
            if let Err(e) = session.insert(crate::flash::FLASH_SESSION_KEY, flash).await {
                tracing::error!(error = %e, "cannot keep the document's refusal");
            }
            Redirect::to(&back).into_response()
        }
    };
    if let Some(key) = read_error {
        return refuse(key).await;
    }
    // Like identity documents, kept only for an address that answers.
    if !me.email_verified {
        return refuse("upload.email_unverified").await;
    }
    let mime = match check(&form.file) {
        Ok(mime) => mime,
        Err(key) => return refuse(key).await,
    };
    let saved = async {
        let mut conn = state.pool.acquire().await?;
        if let Some(key) = quota_refusal(&mut conn, me.id, form.file.len()).await? {
            return Ok(Some(key));
        }
        let sha = store(&state, &form.file).await?;
        record(&mut conn, Some(me.id), kind, &sha, mime, form.file.len()).await?;
        Ok::<_, AppError>(None)
    };
    match saved.await {
        Ok(None) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{back}{sep}notice=document_uploaded")).into_response()
        }
        Ok(Some(key)) => refuse(key).await,
        Err(_) => refuse("error.internal").await,
    }
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

/// A multipart form as its handler needs it: the `file` field (empty when none was chosen) and
/// the text fields.
#[derive(Debug, Default)]
pub struct FormWithFile {
    pub file: Vec<u8>,
    pub fields: BTreeMap<String, String>,
}

/// Reads a multipart form. `Err("upload.too_large")` when the body limit cut the read short.
pub async fn read_form(mut multipart: Multipart) -> Result<FormWithFile, &'static str> {
    let mut form = FormWithFile::default();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                if name == "file" {
                    form.file = field.bytes().await.map_err(|_| "upload.too_large")?.to_vec();
                } else {
                    let text = field.text().await.map_err(|_| "upload.too_large")?;
                    form.fields.insert(name, text);
                }
            }
            Ok(None) => return Ok(form),
            // The body limit ended the stream: the file is too large.
            Err(_) => return Err("upload.too_large"),
        }
    }
}

/// The type of a file that keeps the rules, or the i18n key of the rule it breaks.
pub fn check(bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.is_empty() {
        return Err("upload.missing");
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err("upload.too_large");
    }
    sniff(bytes).ok_or("upload.wrong_type")
}

/// Why `owner` may not store `size` more bytes (the i18n key), or `None` when the account has
/// room. Checked before the file is written. Two uploads racing from one account can both pass
/// and overshoot by one file, which the limits allow for; they bound disk use, not a count.
pub async fn quota_refusal(conn: &mut AnyConnection, owner: i64, size: usize) -> AppResult<Option<&'static str>> {
    let (count, total): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM uploads WHERE owner_id = $1")
            .bind(owner)
            .fetch_one(conn)
            .await?;
    Ok(if count >= MAX_UPLOADS_PER_ACCOUNT {
        Some("upload.quota_files")
    } else if total + size as i64 > MAX_UPLOAD_BYTES_PER_ACCOUNT {
        Some("upload.quota_bytes")
    } else {
        None
    })
}

fn path_for(state: &AppState, sha: &str) -> std::path::PathBuf {
    state.settings.data_dir.join("uploads").join(&sha[..2]).join(sha)
}

/// The bytes of a stored file, or `None` when it is not on disk.
pub async fn read_stored(state: &AppState, sha: &str) -> Option<Vec<u8>> {
    if sha.len() < 3 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    tokio::fs::read(path_for(state, sha)).await.ok()
}

/// Removes stored files that no upload row names any more (call after the commit that removed
/// the rows: the same content is stored once for every row that has it).
pub async fn remove_unreferenced(state: &AppState, shas: &[String]) -> AppResult<()> {
    for sha in shas {
        let still: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads WHERE sha256 = $1").bind(sha).fetch_one(&state.pool).await?;
        if still == 0 && sha.len() >= 3 && sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Err(e) = tokio::fs::remove_file(path_for(state, sha)).await {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::error!(error = %e, "cannot remove a deleted account's file");
                }
            }
        }
    }
    Ok(())
}

/// Writes the bytes under their content hash (once: the same content is stored once) and
/// returns the hash.
pub async fn store(state: &AppState, bytes: &[u8]) -> AppResult<String> {
    let sha = hex::encode(Sha256::digest(bytes));
    let path = path_for(state, &sha);
    let write = async {
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(()); // same content, already stored
        }
        let dir = path.parent().expect("has a parent");
        tokio::fs::create_dir_all(dir).await?;
        let tmp = dir.join(format!(".{sha}.tmp"));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await
    };
    write.await.map_err(|e: std::io::Error| AppError::internal(format_args!("cannot store an upload: {e}")))?;
    Ok(sha)
}

/// Records a stored file on the caller's connection (or transaction); returns its id.
pub async fn record(conn: &mut AnyConnection, owner: Option<i64>, purpose: UploadPurpose, sha: &str, mime: &str, size: usize) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO uploads (owner_id, purpose, sha256, mime, size, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(owner)
    .bind(purpose)
    .bind(sha)
    .bind(mime)
    .bind(size as i64)
    .bind(now())
    .fetch_one(conn)
    .await?)
}

async fn download(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Result<Response, AppError> {
    let me = crate::ssr::user_of_session(&state, &session).await.ok().flatten().ok_or(AppError::Unauthorized)?;
    let (owner, purpose, sha, mime): (Option<i64>, UploadPurpose, String, String) =
        sqlx::query_as("SELECT owner_id, purpose, sha256, mime FROM uploads WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    // Somebody else's file does not exist, as far as a stranger can tell. An organisation's
    // business licence is every member's to open, whoever of them sent it.
    let licence_of_mine = purpose == UploadPurpose::BusinessLicence
        && sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM employers e WHERE e.licence_upload_id = $1 \
             AND (e.user_id = $2 OR e.id = (SELECT m.employer_id FROM employer_members m WHERE m.user_id = $2))",
        )
        .bind(id)
        .bind(me.id)
        .fetch_one(&state.pool)
        .await?
            > 0;
    if owner != Some(me.id) && !me.role.is_staff() && !licence_of_mine {
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
    use super::{check, sniff};

    #[test]
    fn the_type_comes_from_the_first_bytes_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]), Some("image/png"));
        assert_eq!(sniff(b"MZ\x90\x00 an executable"), None);
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn a_file_must_be_there_small_enough_and_of_a_known_type() {
        assert_eq!(check(b""), Err("upload.missing"));
        assert_eq!(check(b"<html>"), Err("upload.wrong_type"));
        let mut big = b"%PDF-".to_vec();
        big.resize(super::MAX_UPLOAD_BYTES + 1, b'x');
        assert_eq!(check(&big), Err("upload.too_large"));
        assert_eq!(check(b"%PDF-1.7"), Ok("application/pdf"));
    }
}
