//! Identity documents (server only): the ID card and the graduation certificate, from a
//! verified email address. The file rules, the per-account quota, the store and the route that
//! serves files back are every upload's (`shared::files`); what is particular here is who may
//! send these two (a graduate whose address answers) and that failures come back to the profile
//! page through the same session flash as every other form.

use crate::error::AppError;
use crate::flash::{FormFlash, FLASH_SESSION_KEY};
use crate::shared::files::{self, UploadPurpose};
use crate::shared::identity::Role;
use crate::ssr::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use tower_sessions::Session;

pub use crate::shared::files::{MAX_UPLOADS_PER_ACCOUNT, MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES_PER_ACCOUNT};

/// The documents a graduate keeps on the profile.
pub const PURPOSES: [UploadPurpose; 2] = [UploadPurpose::IdCard, UploadPurpose::GraduationCertificate];

pub fn routes() -> Router<AppState> {
    Router::new().route("/uploads/{purpose}", post(upload).layer(DefaultBodyLimit::max(files::MAX_FORM_BYTES)))
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

async fn upload(State(state): State<AppState>, session: Session, Path(purpose): Path<String>, multipart: Multipart) -> Response {
    let Some(me) = crate::ssr::user_of_session(&state, &session).await.ok().flatten() else {
        return Redirect::to("/login?next=%2Fprofile").into_response();
    };
    let Some(kind) = UploadPurpose::parse(&purpose).filter(|p| PURPOSES.contains(p)) else {
        return AppError::Forbidden.into_response();
    };
    if me.role != Role::Graduate {
        return AppError::Forbidden.into_response();
    }
    // Identity documents are kept only for an address that answers: a throwaway account cannot
    // store files.
    if !me.email_verified {
        return back_with_error(&session, &purpose, "upload.email_unverified").await;
    }
    let bytes = match files::read_form(multipart).await {
        Ok(form) => form.file,
        Err(key) => return back_with_error(&session, &purpose, key).await,
    };
    let mime = match files::check(&bytes) {
        Ok(mime) => mime,
        Err(key) => return back_with_error(&session, &purpose, key).await,
    };
    let saved = async {
        let mut conn = state.pool.acquire().await?;
        if let Some(key) = files::quota_refusal(&mut conn, me.id, bytes.len()).await? {
            return Ok(Some(key));
        }
        let sha = files::store(&state, &bytes).await?;
        files::record(&mut conn, Some(me.id), kind, &sha, mime, bytes.len()).await?;
        Ok::<_, AppError>(None)
    };
    match saved.await {
        Ok(None) => Redirect::to("/profile?notice=document_uploaded").into_response(),
        Ok(Some(key)) => back_with_error(&session, &purpose, key).await,
        // Logged where it failed.
        Err(_) => back_with_error(&session, &purpose, "error.internal").await,
    }
}
