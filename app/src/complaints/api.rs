//! Complaint server functions: the receipt shown once after filing, the public status check,
//! and the case workers' queue, complaint and steps. Each checks who is asking where it reads.

use super::{ComplaintDetail, PublicStatus, QueuePage, Receipt};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr as q,
    super::steps::{self, StepInput},
    super::{ComplaintAction, ComplaintOutcome},
    crate::shared::throttle::{self, Limit},
    crate::ssr::{client_address, now, require_staff, session, state, throttle_address},
};

/// Where the form's handler leaves the receipt for the page after its redirect: the reference,
/// the check code sealed with the server's key (the session row is plain JSON in the database,
/// and the code is stored nowhere else in a form that opens), and when.
#[cfg(feature = "ssr")]
pub const RECEIPT_SESSION_KEY: &str = "complaint_receipt";
/// How long a receipt waits for its page.
#[cfg(feature = "ssr")]
pub const RECEIPT_SECONDS: i64 = 600;
/// Where a status check posted without JavaScript leaves word for the page after its redirect:
/// which complaint (never the code) and when.
#[cfg(feature = "ssr")]
const STATUS_ONCE_KEY: &str = "complaint_status_once";
#[cfg(feature = "ssr")]
const STATUS_ONCE_SECONDS: i64 = 120;
/// Status checks per client address: enough for a reporter who mistypes, far too few to guess
/// a code (about 50 bits) or walk the references.
#[cfg(feature = "ssr")]
const STATUS_CHECKS_PER_ADDRESS: i64 = 10;
#[cfg(feature = "ssr")]
const STATUS_WINDOW_SECS: i64 = 15 * 60;

/// The receipt of the complaint this browser just filed, once; `None` after it was shown (or
/// when too old), since the code is kept nowhere else.
#[server(endpoint = "complaints/receipt")]
pub async fn take_receipt() -> Result<Option<Receipt>, AppError> {
    let session = session().await?;
    let Some((reference, sealed, at)) = session.remove::<(String, String, i64)>(RECEIPT_SESSION_KEY).await? else {
        return Ok(None);
    };
    if now() - at > RECEIPT_SECONDS {
        return Ok(None);
    }
    let code = crate::crypto::open(&state()?.settings.secret_key, &sealed).ok_or_else(|| AppError::internal("a receipt in the session does not open"))?;
    Ok(Some(Receipt { reference, code }))
}

/// The status of a complaint for whoever holds its reference and check code. A wrong reference
/// and a wrong code get the same answer (and are counted alike against the address). A `fetch`
/// caller gets the answer; a posted form is sent back to the status page, which shows it once.
#[server(endpoint = "complaints/status")]
pub async fn check_status(reference: String, check_code: String) -> Result<PublicStatus, AppError> {
    let state = state()?;
    let limit = Limit::new(format!("complaint-status:{}", throttle_address().await), STATUS_CHECKS_PER_ADDRESS, STATUS_WINDOW_SECS);
    let counted = throttle::attempt(&state.pool, state.dialect, &[limit]).await?;
    let Some((id, status)) = q::public_status(&state.pool, &state.settings.secret_key, &reference, &check_code).await? else {
        return Err(AppError::field("", "complaint.status_not_found"));
    };
    // Looking up one's own complaint is not a guess.
    counted.forget(&state.pool).await?;
    if crate::ssr::posted_without_javascript().await {
        session().await?.insert(STATUS_ONCE_KEY, (id, now())).await?;
        leptos_axum::redirect(&format!("/complaints/status?reference={}", status.reference));
    }
    Ok(status)
}

/// The status a check posted without JavaScript found, once, on the page after its redirect.
#[server(endpoint = "complaints/shown")]
pub async fn shown_status() -> Result<Option<PublicStatus>, AppError> {
    let session = session().await?;
    let Some((id, at)) = session.remove::<(i64, i64)>(STATUS_ONCE_KEY).await? else {
        return Ok(None);
    };
    if now() - at > STATUS_ONCE_SECONDS {
        return Ok(None);
    }
    q::status_by_id(&state()?.pool, id).await.map(Some)
}

/// The case workers' queue: open complaints oldest first by default.
#[server(endpoint = "complaints/queue")]
pub async fn complaint_queue(
    status: Option<String>,
    assignee: Option<String>,
    category: Option<String>,
    after: Option<String>,
) -> Result<QueuePage, AppError> {
    let me = require_staff().await?;
    let filters = q::QueueFilters { status, assignee, category, after };
    q::queue_page(&state()?.pool, &filters, me.id, now()).await
}

/// One complaint, for case workers.
#[server(endpoint = "complaints/detail")]
pub async fn get_complaint(reference: String) -> Result<ComplaintDetail, AppError> {
    require_staff().await?;
    q::detail(&state()?.pool, &reference).await?.ok_or(AppError::NotFound)
}

/// A case worker's step on a complaint (see `steps`): `action` is a `ComplaintAction`; `text` the
/// note, the reason the employer is told or the outcome the reporter reads; `outcome` for
/// closing; `credit_code` to name the employer.
#[server(endpoint = "complaints/act")]
pub async fn act_on_complaint(
    complaint_id: i64,
    version: i64,
    action: String,
    text: Option<String>,
    outcome: Option<String>,
    credit_code: Option<String>,
) -> Result<(), AppError> {
    let me = require_staff().await?;
    let action = ComplaintAction::parse(&action).ok_or(AppError::field("", "error.bad_request"))?;
    let outcome = match outcome.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        Some(o) => Some(ComplaintOutcome::parse(o).ok_or(AppError::field("outcome", "validation.choose_one"))?),
        None => None,
    };
    let input = StepInput { action, version, text: text.unwrap_or_default(), outcome, credit_code: credit_code.unwrap_or_default() };
    let reference = steps::take(&state()?, &me, complaint_id, input, &client_address().await).await?;
    leptos_axum::redirect(&format!("/staff/complaints/{reference}?notice=complaint_{}", action.as_str()));
    Ok(())
}
