//! The personal-data download: a plain GET link (it works without JavaScript) that answers the
//! signed-in person's own zip, never anyone else's: there is no parameter naming whose.

use crate::error::AppError;
use crate::shared::identity::Role;
use crate::shared::time::Date;
use crate::ssr::{audit, now, AppState, AuditAction};
use axum::extract::{ConnectInfo, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new().route(super::DOWNLOAD_PATH, get(download))
}

async fn download(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    session: Session,
    headers: axum::http::HeaderMap,
) -> Response {
    let me = match crate::ssr::user_of_session(&state, &session).await {
        Ok(Some(me)) => me,
        Ok(None) => return Redirect::to("/login?next=/account/privacy").into_response(),
        Err(e) => return e.into_response(),
    };
    // Staff data is the centre's record of their work; an admin answers for it.
    if !matches!(me.role, Role::Graduate | Role::Employer) {
        return AppError::Forbidden.into_response();
    }
    let t = now();
    let built = async {
        // The rows and the audit entry in one short transaction; the files are read and zipped
        // after it, so no write waits on a large download.
        let mut tx = state.dialect.begin_write(&state.pool).await?;
        let (data, documents) = super::ssr::personal_data(&mut tx, &state.settings.secret_key, me.id, t).await?;
        let address = crate::ssr::client_ip_of(&state, peer.ip(), &headers).to_string();
        audit(&mut tx, Some(me.id), AuditAction::DataExported, &format!("user:{}", me.id), &address).await?;
        tx.commit().await?;
        let mut files = Vec::new();
        for d in &documents {
            if let Some(bytes) = crate::shared::files::read_stored(&state, &d.sha256).await {
                files.push((d.file_name(), bytes));
            }
        }
        tokio::task::spawn_blocking(move || super::ssr::zip(&data, &files)).await.map_err(AppError::internal)?
    };
    match built.await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"my-data-{}.zip\"", Date::today_from_unix(t))),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
