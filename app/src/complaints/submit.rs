//! Filing a complaint (server only): the form's handler. It is a plain multipart form posting
//! here, not a server function, because the evidence file must arrive without JavaScript too.
//! A refused form goes back to the form page with its errors and values in the session flash,
//! like every other form; a filed complaint goes on to the receipt page.
//!
//! Filing is throttled before anything is stored: per client address without an account
//! (anyone can file, so the address is all there is to count), per account when signed in. The
//! evidence follows the rules of every upload (`shared::files`); a signed-in reporter's counts
//! against the account's quota, an anonymous reporter's is bounded by the address's throttle.

use super::api::RECEIPT_SESSION_KEY;
use super::ssr::{file, new_check_code, NewComplaint};
use super::ComplaintCategory;
use crate::error::{AppError, FieldErrors};
use crate::flash::{FormFlash, FLASH_SESSION_KEY};
use crate::shared::files::{self, UploadPurpose};
use crate::shared::throttle::{self, Limit};
use crate::shared::validate::{choice, text};
use crate::ssr::{audit, now, AppState, AuditAction};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use tower_sessions::Session;

/// Where the form posts (and the `endpoint` of its flash).
pub const ENDPOINT: &str = super::FILE_ENDPOINT;
/// Anonymous complaints per client address per hour: a person reporting what happened to them
/// files one or two; more from one address is a script.
pub const PER_ADDRESS_PER_HOUR: i64 = 5;
/// Complaints per account per day.
pub const PER_ACCOUNT_PER_DAY: i64 = 10;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const MAX_EMPLOYER_NAME_CHARS: usize = 100;

pub fn routes() -> Router<AppState> {
    Router::new().route(ENDPOINT, post(file_complaint).layer(DefaultBodyLimit::max(files::MAX_FORM_BYTES)))
}

/// The form page, with the vacancy it was opened for.
fn form_page(fields: &BTreeMap<String, String>) -> String {
    match fields.get("vacancy_id").and_then(|v| v.trim().parse::<i64>().ok()) {
        Some(id) => format!("/complaints?vacancy={id}"),
        None => "/complaints".to_string(),
    }
}

async fn back_with(session: &Session, error: AppError, fields: BTreeMap<String, String>) -> Response {
    let back = form_page(&fields);
    let values = fields.into_iter().filter(|(k, _)| FormFlash::keeps_field(k)).collect();
    let flash = FormFlash { endpoint: ENDPOINT.to_string(), error, values };
    if let Err(e) = session.insert(FLASH_SESSION_KEY, flash).await {
        tracing::error!(error = %e, "cannot keep the complaint form's error");
    }
    Redirect::to(&back).into_response()
}

async fn file_complaint(
    State(state): State<AppState>,
    session: Session,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let me = crate::ssr::user_of_session(&state, &session).await.ok().flatten();
    let form = match files::read_form(multipart).await {
        Ok(form) => form,
        Err(key) => return back_with(&session, AppError::field("file", key), BTreeMap::new()).await,
    };
    let get = |k: &str| form.fields.get(k).map(String::as_str).unwrap_or("");

    let mut e = FieldErrors::new();
    let category = choice::<ComplaintCategory>(&mut e, "category", get("category"));
    let employer_name = text(&mut e, "employer_name", get("employer_name"), MAX_EMPLOYER_NAME_CHARS, false);
    let description = get("description").trim().to_string();
    if description.is_empty() {
        e.add("description", "validation.required");
    } else if description.chars().count() > MAX_DESCRIPTION_CHARS {
        e.add("description", "complaint.description_too_long");
    }
    let vacancy_id = get("vacancy_id").trim().parse::<i64>().ok();
    let mime = if form.file.is_empty() {
        None
    } else {
        match files::check(&form.file) {
            Ok(mime) => Some(mime),
            Err(key) => {
                e.add("file", key);
                None
            }
        }
    };
    if let Err(error) = e.into_result() {
        return back_with(&session, error, form.fields).await;
    }

    // Counted once the form is right (a typo costs nothing), before anything is stored.
    let address = crate::ssr::client_ip_of(&state, peer.ip(), &headers);
    let limit = match &me {
        None => Limit::new(format!("complaint:{}", crate::shared::proxy::throttle_key(address)), PER_ADDRESS_PER_HOUR, 3600),
        Some(me) => Limit::new(format!("complaint-acct:{}", me.id), PER_ACCOUNT_PER_DAY, 24 * 3600),
    };
    if let Err(error) = throttle::attempt(&state.pool, state.dialect, &[limit]).await {
        return back_with(&session, error, form.fields).await;
    }

    let code = new_check_code();
    let filed = async {
        let evidence = match mime {
            Some(mime) => {
                if let Some(me) = &me {
                    let mut conn = state.pool.acquire().await?;
                    if let Some(key) = files::quota_refusal(&mut conn, me.id, form.file.len()).await? {
                        return Err(AppError::field("file", key));
                    }
                }
                Some((files::store(&state, &form.file).await?, mime))
            }
            None => None,
        };
        let mut tx = state.dialect.begin_write(&state.pool).await?;
        let evidence_id = match &evidence {
            Some((sha, mime)) => {
                Some(files::record(&mut tx, me.as_ref().map(|m| m.id), UploadPurpose::ComplaintEvidence, sha, mime, form.file.len()).await?)
            }
            None => None,
        };
        let complaint = NewComplaint {
            category: category.expect("checked above"),
            reporter: me.clone(),
            vacancy_id,
            employer_name: employer_name.clone(),
            description: description.clone(),
            evidence_id,
        };
        let (_, reference) = file(&mut tx, &state, &complaint, &code).await?;
        audit(&mut tx, me.as_ref().map(|m| m.id), AuditAction::ComplaintFiled, &format!("complaint:{reference}"), &address.to_string()).await?;
        tx.commit().await?;
        Ok::<_, AppError>(reference)
    };
    let reference = match filed.await {
        Ok(reference) => reference,
        Err(error) => return back_with(&session, error, form.fields).await,
    };
    let sealed = crate::crypto::seal(&state.settings.secret_key, &code);
    if let Err(e) = session.insert(RECEIPT_SESSION_KEY, (reference.clone(), sealed, now())).await {
        // Filed all the same; without the receipt the reporter cannot check the status, but a
        // signed-in reporter has the reference by email.
        tracing::error!(error = %e, %reference, "cannot keep the complaint's receipt in the session");
    }
    Redirect::to("/complaints/received").into_response()
}
