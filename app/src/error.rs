//! The one error type of the portal.
//!
//! Server functions return `Result<T, AppError>`. Client-visible variants carry i18n keys,
//! never English sentences, so the page shows them in the reader's language. Opaque failures
//! (database, mail, I/O) become `Internal`: they are logged on the server and the reader sees a
//! generic apology, never the cause.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use std::collections::BTreeMap;

/// Field name → i18n key of the message to show next to that field.
/// The empty field name holds a message for the whole form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, key: &str) {
        self.0.entry(field.to_string()).or_insert_with(|| key.to_string());
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `Ok(())` when nothing was added, else the collected errors as one `AppError`.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Not signed in.
    #[error("sign-in required")]
    Unauthorized,
    /// Signed in, but this role or this person may not do it.
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Bad input: messages per field.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// A state conflict the reader can act on (e.g. the email is taken); an i18n key.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Throttled; retry after this many minutes.
    #[error("too many attempts")]
    TooManyAttempts { minutes: i64 },
    /// Something failed on the server; details are in the log, not here.
    #[error("internal error")]
    Internal,
    /// The transport between browser and server failed.
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// An opaque failure: logs what failed and where (the caller's file and line), and gives
    /// the reader the generic apology. Every `Internal` the app creates goes through here, so
    /// a 500 in production can be traced to its cause.
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let at = std::panic::Location::caller();
        #[cfg(feature = "ssr")]
        tracing::error!(location = %at, "{cause}");
        #[cfg(not(feature = "ssr"))]
        let _ = (at, cause.to_string());
        AppError::Internal
    }

    /// One invalid field.
    pub fn field(field: &str, key: &str) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, key);
        AppError::Invalid(e)
    }

    /// The i18n key of the message for `field`, if this error is about that field.
    pub fn field_key(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Invalid(e) => e.get(field),
            _ => None,
        }
    }

    /// The i18n key of a message for the whole form (anything not tied to one field).
    pub fn form_key(&self) -> Option<&str> {
        match self {
            AppError::Invalid(e) => e.get(""),
            AppError::Unauthorized => Some("error.unauthorized"),
            AppError::Forbidden => Some("error.forbidden"),
            AppError::NotFound => Some("error.not_found"),
            AppError::Conflict(key) => Some(key),
            AppError::TooManyAttempts { .. } => Some("error.too_many_attempts"),
            AppError::Internal => Some("error.internal"),
            AppError::Transport(_) => Some("error.transport"),
        }
    }

    /// The HTTP status the error travels with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Invalid(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not even deserialize (a missing or mistyped form field) are the
            // sender's fault: say so instead of failing like the server broke.
            ServerFnErrorErr::Args(_) => AppError::field("", "error.bad_request"),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    /// Routes outside the server functions (uploads, files) answer with the same status and
    /// the same JSON body a server function would.
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let status = http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            (status, axum::Json(self)).into_response()
        }
    }

    impl From<sqlx::Error> for AppError {
        #[track_caller]
        fn from(e: sqlx::Error) -> Self {
            AppError::internal(format_args!("database error: {e}"))
        }
    }

    impl From<tower_sessions::session::Error> for AppError {
        #[track_caller]
        fn from(e: tower_sessions::session::Error) -> Self {
            AppError::internal(format_args!("session error: {e}"))
        }
    }

    impl From<tokio::task::JoinError> for AppError {
        #[track_caller]
        fn from(e: tokio::task::JoinError) -> Self {
            AppError::internal(format_args!("blocking task failed: {e}"))
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
