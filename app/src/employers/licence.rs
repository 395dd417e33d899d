//! The business licence (server only): any member of the organisation sends it from the
//! organisation's page, as a plain multipart form under the same rules as every stored file
//! (`shared::files`): from a verified address, within the sender's quota. The organisation
//! keeps the newest one, which every member and the case workers can open.

use crate::error::AppError;
use crate::flash::{FormFlash, FLASH_SESSION_KEY};
use crate::shared::files::{self, UploadPurpose};
use crate::shared::identity::Role;
use crate::ssr::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use tower_sessions::Session;

pub const ENDPOINT: &str = "/employer/licence";

pub fn routes() -> Router<AppState> {
    Router::new().route(ENDPOINT, post(upload).layer(DefaultBodyLimit::max(files::MAX_FORM_BYTES)))
}

async fn back_with_error(session: &Session, key: &str) -> Response {
    let flash = FormFlash { endpoint: ENDPOINT.to_string(), error: AppError::field("file", key), values: Default::default() };
    if let Err(e) = session.insert(FLASH_SESSION_KEY, flash).await {
        tracing::error!(error = %e, "cannot keep the upload error");
    }
    Redirect::to("/employer/organisation").into_response()
}

async fn upload(State(state): State<AppState>, session: Session, multipart: Multipart) -> Response {
    let Some(me) = crate::ssr::user_of_session(&state, &session).await.ok().flatten() else {
        return Redirect::to("/login?next=%2Femployer%2Forganisation").into_response();
    };
    if me.role != Role::Employer {
        return AppError::Forbidden.into_response();
    }
    if !me.email_verified {
        return back_with_error(&session, "upload.email_unverified").await;
    }
    let bytes = match files::read_form(multipart).await {
        Ok(form) => form.file,
        Err(key) => return back_with_error(&session, key).await,
    };
    let mime = match files::check(&bytes) {
        Ok(mime) => mime,
        Err(key) => return back_with_error(&session, key).await,
    };
    let saved = async {
        let mut conn = state.pool.acquire().await?;
        let Some((employer_id, _)) = crate::vacancies::ssr::employer_of(&mut conn, me.id).await? else {
            return Err(AppError::Forbidden);
        };
        if let Some(key) = files::quota_refusal(&mut conn, me.id, bytes.len()).await? {
            return Ok(Some(key));
        }
        let sha = files::store(&state, &bytes).await?;
        let id = files::record(&mut conn, Some(me.id), UploadPurpose::BusinessLicence, &sha, mime, bytes.len()).await?;
        sqlx::query("UPDATE employers SET licence_upload_id = $1 WHERE id = $2").bind(id).bind(employer_id).execute(&mut *conn).await?;
        Ok::<_, AppError>(None)
    };
    match saved.await {
        Ok(None) => Redirect::to("/employer/organisation?notice=licence_uploaded").into_response(),
        Ok(Some(key)) => back_with_error(&session, key).await,
        Err(AppError::Forbidden) => AppError::Forbidden.into_response(),
        // Logged where it failed.
        Err(_) => back_with_error(&session, "error.internal").await,
    }
}
