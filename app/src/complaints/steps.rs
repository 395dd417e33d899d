//! A case worker's step on a complaint (server only): one transaction that checks the move
//! against the table and the version, does what the step does (assign, link the employer,
//! suspend or reinstate a posting or an employer, record the outcome), writes the timeline event
//! through the shared step, the audit row, the employer's email when its postings change and
//! the reporter's email when the status changes.

use super::ssr::notify_reporter;
use super::{ComplaintAction, ComplaintActor, ComplaintOutcome, ComplaintStatus, MOVES};
use crate::account::CreditCode;
use crate::applications::machine::next;
use crate::applications::machine::ssr::{record_step, Tables};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::ssr::{enqueue, Mail};
use crate::shared::identity::Me;
use crate::ssr::{audit, now, AppState, AuditAction};
use crate::vacancies::suspension::{self, Contact};
use sqlx::Row;

const TABLES: Tables = Tables { records: "complaints", events: "complaint_events", record_key: "complaint_id" };

/// The longest note, reason or outcome text.
pub const MAX_TEXT_CHARS: usize = 2000;

/// What the step's form sent.
pub struct StepInput {
    pub action: ComplaintAction,
    pub version: i64,
    pub text: String,
    pub outcome: Option<ComplaintOutcome>,
    pub credit_code: String,
}

/// Checks the input before anything is read: every field error at once.
fn check(input: &StepInput) -> AppResult<()> {
    let mut e = crate::error::FieldErrors::new();
    if input.action.needs_text() && input.text.trim().is_empty() {
        e.add("text", "complaint.text_required");
    }
    if input.text.chars().count() > MAX_TEXT_CHARS {
        e.add("text", "complaint.text_too_long");
    }
    if input.action == ComplaintAction::Close && input.outcome.is_none() {
        e.add("outcome", "validation.choose_one");
    }
    if input.action == ComplaintAction::LinkEmployer {
        if let Err(key) = CreditCode::parse(&input.credit_code) {
            e.add("credit_code", key);
        }
    }
    e.into_result()
}

fn mail_to(contact: &Contact) -> (String, Lang) {
    (contact.email.clone(), Lang::parse(&contact.locale).unwrap_or_default())
}

/// Takes the step; returns the complaint's reference.
pub async fn take(state: &AppState, me: &Me, complaint_id: i64, input: StepInput, address: &str) -> AppResult<String> {
    check(&input)?;
    let text = input.text.trim().to_string();
    let action = input.action;
    let mut tx = state.dialect.begin_write(&state.pool).await?;
    let row = sqlx::query("SELECT reference, status, version, vacancy_id, employer_id FROM complaints WHERE id = $1")
        .bind(complaint_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let reference: String = row.try_get("reference")?;
    let from: ComplaintStatus = row.try_get("status")?;
    let version: i64 = row.try_get("version")?;
    let vacancy_id: Option<i64> = row.try_get("vacancy_id")?;
    let employer_id: Option<i64> = row.try_get("employer_id")?;
    if version != input.version {
        return Err(AppError::Conflict("complaint.stale".into()));
    }
    let to = next(MOVES, from, action, ComplaintActor::Staff).ok_or(AppError::Conflict("complaint.not_allowed".into()))?;
    let base = &state.settings.base_url;
    let target = format!("complaint:{reference}");
    let mut step_text = text.clone();
    let (audit_action, audit_target) = match action {
        ComplaintAction::File => return Err(AppError::Conflict("complaint.not_allowed".into())),
        ComplaintAction::Take => {
            sqlx::query("UPDATE complaints SET assignee_id = $1 WHERE id = $2").bind(me.id).bind(complaint_id).execute(&mut *tx).await?;
            (AuditAction::ComplaintTaken, target)
        }
        ComplaintAction::Note => (AuditAction::ComplaintNote, target),
        ComplaintAction::LinkEmployer => {
            let code = CreditCode::parse(&input.credit_code).map_err(|k| AppError::field("credit_code", k))?;
            let (id, name): (i64, String) = sqlx::query_as("SELECT id, name FROM employers WHERE credit_code = $1")
                .bind(code.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(AppError::field("credit_code", "complaint.employer_unknown"))?;
            let linked = sqlx::query("UPDATE complaints SET employer_id = $1 WHERE id = $2 AND employer_id IS NULL")
                .bind(id)
                .bind(complaint_id)
                .execute(&mut *tx)
                .await?;
            if linked.rows_affected() != 1 {
                return Err(AppError::Conflict("complaint.not_allowed".into()));
            }
            // The timeline says which employer, in words.
            step_text = format!("{name} ({})", code.as_str());
            (AuditAction::ComplaintEmployerLinked, format!("{target} employer:{id}"))
        }
        ComplaintAction::SuspendVacancy | ComplaintAction::ReinstateVacancy => {
            let vacancy = vacancy_id.ok_or(AppError::Conflict("complaint.no_vacancy".into()))?;
            let suspend = action == ComplaintAction::SuspendVacancy;
            let touched = if suspend {
                suspension::suspend_vacancy(&mut tx, vacancy, me, &text).await?
            } else {
                suspension::reinstate_vacancy(&mut tx, vacancy, me).await?
            };
            let contact = suspension::contact(&mut tx, touched.employer_id).await?;
            let link = format!("{base}/employer/vacancies");
            let mail = if suspend {
                Mail::VacancySuspended { name: contact.name.clone(), organisation: contact.organisation.clone(), title: touched.title, reason: text.clone(), link }
            } else {
                Mail::SuspensionLifted { name: contact.name.clone(), organisation: contact.organisation.clone(), what: touched.title, link }
            };
            let (to_addr, lang) = mail_to(&contact);
            enqueue(&mut tx, &to_addr, lang, &mail).await?;
            let audit_action = if suspend { AuditAction::VacancySuspended } else { AuditAction::VacancyReinstated };
            (audit_action, format!("{target} vacancy:{vacancy}"))
        }
        ComplaintAction::SuspendEmployer | ComplaintAction::ReinstateEmployer => {
            let employer = employer_id.ok_or(AppError::Conflict("complaint.no_employer".into()))?;
            let suspend = action == ComplaintAction::SuspendEmployer;
            let postings = if suspend {
                suspension::suspend_employer(&mut tx, state.dialect, employer, me, &text).await?
            } else {
                suspension::reinstate_employer(&mut tx, state.dialect, employer, me).await?
            };
            let contact = suspension::contact(&mut tx, employer).await?;
            let link = format!("{base}/employer/vacancies");
            let mail = if suspend {
                Mail::EmployerSuspended {
                    name: contact.name.clone(),
                    organisation: contact.organisation.clone(),
                    reason: text.clone(),
                    postings: postings.to_string(),
                    link,
                }
            } else {
                Mail::SuspensionLifted { name: contact.name.clone(), organisation: contact.organisation.clone(), what: contact.organisation.clone(), link }
            };
            let (to_addr, lang) = mail_to(&contact);
            enqueue(&mut tx, &to_addr, lang, &mail).await?;
            let audit_action = if suspend { AuditAction::EmployerSuspended } else { AuditAction::EmployerReinstated };
            (audit_action, format!("{target} employer:{employer} postings:{postings}"))
        }
        ComplaintAction::Close => {
            sqlx::query("UPDATE complaints SET outcome = $1, outcome_text = $2, closed_at = $3 WHERE id = $4")
                .bind(input.outcome)
                .bind(&text)
                .bind(now())
                .bind(complaint_id)
                .execute(&mut *tx)
                .await?;
            let outcome = input.outcome.map(|o| o.as_str()).unwrap_or_default();
            (AuditAction::ComplaintClosed, format!("{target} outcome:{outcome}"))
        }
    };
    finish(&mut tx, base, me, complaint_id, version, from, to, action, &step_text, audit_action, &audit_target, address).await?;
    tx.commit().await?;
    Ok(reference)
}

/// The parts every step shares: the timeline event, the audit row, and the reporter's email
/// when the status changed.
#[expect(clippy::too_many_arguments, reason = "the parts of one step, each already checked by the caller")]
async fn finish(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    base_url: &str,
    me: &Me,
    complaint_id: i64,
    version: i64,
    from: ComplaintStatus,
    to: ComplaintStatus,
    action: ComplaintAction,
    text: &str,
    audit_action: AuditAction,
    audit_target: &str,
    address: &str,
) -> AppResult<()> {
    record_step(tx, &TABLES, complaint_id, version, from, to, me, text, action.as_str()).await?;
    audit(tx, Some(me.id), audit_action, audit_target, address).await?;
    if from != to {
        notify_reporter(tx, base_url, complaint_id).await?;
    }
    Ok(())
}
