//! The case workers' desk: the application queue and decisions (`queue`), one graduate's
//! file (`graduate`), and checking an employer's organisation and credit code before the
//! employer may publish (here).

use crate::components::{use_form, FormAlert, Notice, PageTitle};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub mod graduate;
pub mod queue;

#[cfg(feature = "ssr")]
use {
    crate::account::EmployerStatus,
    crate::i18n::Lang,
    crate::mail::ssr::{enqueue, Mail},
    crate::ssr::{audit, client_address, now, pool, require_staff, AuditAction},
    sqlx::Row,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PendingEmployer {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub contact_name: String,
    pub email: String,
    pub created_at: i64,
    /// Another verified account holds this credit code: its organisation name and email. The
    /// case worker checks both licences; rejecting the wrong one frees the code for the other.
    pub held_by_name: Option<String>,
    pub held_by_email: Option<String>,
    /// What the organisation says of itself on its own page.
    pub address: String,
    pub industry: String,
    pub size: crate::employers::organisation::EmployerSize,
    pub contact_phone: String,
    pub licence_upload_id: Option<i64>,
}

#[server(endpoint = "staff/pending_employers")]
pub async fn pending_employers() -> Result<Vec<PendingEmployer>, AppError> {
    require_staff().await?;
    Ok(sqlx::query_as(
        "SELECT e.id, e.name, e.credit_code, e.created_at, u.display_name AS contact_name, u.email, \
           e.address, e.industry, e.size, e.contact_phone, e.licence_upload_id, \
           (SELECT o.name FROM employers o WHERE o.credit_code = e.credit_code AND o.claimed_at IS NOT NULL AND o.id <> e.id) AS held_by_name, \
           (SELECT ou.email FROM employers o JOIN users ou ON ou.id = o.user_id \
             WHERE o.credit_code = e.credit_code AND o.claimed_at IS NOT NULL AND o.id <> e.id) AS held_by_email \
         FROM employers e JOIN users u ON u.id = e.user_id \
         WHERE e.verification = $1 AND u.email_verified_at IS NOT NULL ORDER BY e.created_at, e.id LIMIT 200",
    )
    .bind(EmployerStatus::Pending)
    .fetch_all(&pool()?)
    .await?)
}

#[server(endpoint = "staff/decide_employer")]
pub async fn decide_employer(employer_id: i64, decision: String, reason: Option<String>) -> Result<(), AppError> {
    let me = require_staff().await?;
    let reason = reason.unwrap_or_default().trim().to_string();
    let verified = match decision.as_str() {
        "verify" => true,
        "reject" if reason.is_empty() => return Err(AppError::field("reason", "staff.reason_required")),
        "reject" if reason.chars().count() > 500 => return Err(AppError::field("reason", "validation.text_too_long")),
        "reject" => false,
        _ => return Err(AppError::field("", "error.bad_request")),
    };
    let mut tx = crate::ssr::begin().await?;
    if verified {
        // Verifying holds the code; while another organisation holds it, that one has to be
        // rejected first (which lets the code go), so one code never has two verified owners.
        let code: Option<String> = sqlx::query_scalar("SELECT credit_code FROM employers WHERE id = $1")
            .bind(employer_id)
            .fetch_optional(&mut *tx)
            .await?;
        let code = code.ok_or(AppError::NotFound)?;
        crate::ssr::state()?.dialect.lock_until_commit(&mut tx, &format!("credit_code:{code}")).await?;
        let elsewhere: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM employers WHERE credit_code = $1 AND claimed_at IS NOT NULL AND id <> $2")
            .bind(&code)
            .bind(employer_id)
            .fetch_one(&mut *tx)
            .await?;
        if elsewhere > 0 {
            return Err(AppError::Conflict("staff.code_held_elsewhere".into()));
        }
    }
    // Only a pending employer can be decided: a second click, or a colleague's decision made
    // a moment earlier, leaves the first decision standing. A rejection lets the code go.
    let row = sqlx::query(
        "UPDATE employers SET verification = $1, decided_by = $2, decided_at = $3, decision_reason = $4, \
           claimed_at = CASE WHEN $1 = 'verified' THEN COALESCE(claimed_at, $3) END \
         WHERE id = $5 AND verification = $6 RETURNING user_id, name",
    )
    .bind(if verified { EmployerStatus::Verified } else { EmployerStatus::Rejected })
    .bind(me.id)
    .bind(now())
    .bind(&reason)
    .bind(employer_id)
    .bind(EmployerStatus::Pending)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(AppError::Conflict("staff.already_decided".into()));
    };
    let user_id: i64 = row.try_get("user_id")?;
    let organisation: String = row.try_get("name")?;
    let user = sqlx::query("SELECT email, display_name, locale FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    let (email, name, locale): (String, String, String) =
        (user.try_get("email")?, user.try_get("display_name")?, user.try_get("locale")?);
    let mail = if verified {
        let link = format!("{}/login", crate::ssr::state()?.settings.base_url);
        Mail::EmployerVerified { name, organisation, link }
    } else {
        Mail::EmployerRejected { name, organisation, reason }
    };
    enqueue(&mut tx, &email, Lang::parse(&locale).unwrap_or_default(), &mail).await?;
    let action = if verified { AuditAction::EmployerVerified } else { AuditAction::EmployerRejected };
    audit(&mut tx, Some(me.id), action, &format!("employer:{employer_id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect("/staff/employers?notice=employer_decided");
    Ok(())
}

#[component]
pub fn EmployersPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideEmployer>::new();
    let form = use_form(decide);
    let employers = Resource::new(move || decide.version().get(), |_| pending_employers());
    view! {
        <PageTitle key="staff.pending_employers" />
        <p><leptos_router::components::A href="/staff">{i18n.t("queue.back")}</leptos_router::components::A></p>
        <Notice />
        {when_loaded(employers, move |list| view! {
                    <FormAlert form detailed=true />
                    {list.is_empty().then(|| view! { <p class="empty">{i18n.t("staff.no_pending")}</p> })}
                    <ul class="cards">
                        {list.into_iter().map(|e| {
                            let reason_id = format!("reason-{}", e.id);
                            view! {
                                <li class="card">
                                    <h2 class="card-title">{e.name.clone()}</h2>
                                    <dl class="facts">
                                        <dt>{i18n.t("account.credit_code")}</dt><dd class="mono">{e.credit_code.clone()}</dd>
                                        <dt>{i18n.t("account.contact_name")}</dt><dd>{e.contact_name.clone()}</dd>
                                        <dt>{i18n.t("account.email")}</dt><dd>{e.email.clone()}</dd>
                                        <dt>{i18n.t("organisation.contact_phone")}</dt><dd>{e.contact_phone.clone()}</dd>
                                        <dt>{i18n.t("organisation.address")}</dt><dd>{e.address.clone()}</dd>
                                        <dt>{i18n.t("organisation.industry")}</dt><dd>{e.industry.clone()}</dd>
                                        <dt>{i18n.t("organisation.size")}</dt><dd>{i18n.t(e.size.label_key())}</dd>
                                        <dt>{i18n.t("organisation.licence")}</dt>
                                        <dd>{match e.licence_upload_id {
                                            Some(id) => view! { <a href=format!("/files/{id}")>{i18n.t("organisation.licence_on_file")}</a> }.into_any(),
                                            None => view! { <span>{i18n.t("upload.none")}</span> }.into_any(),
                                        }}</dd>
                                    </dl>
                                    {e.held_by_name.clone().map(|other| view! {
                                        <p class="alert alert-info">{i18n.t("staff.code_held_by")} " " <strong>{other}</strong> " (" {e.held_by_email.clone().unwrap_or_default()} ")"</p>
                                    })}
                                    <ActionForm action=decide attr:class="inline-form">
                                        <input type="hidden" name="employer_id" value=e.id.to_string() />
                                        <input type="hidden" name="decision" value="verify" />
                                        <button type="submit" class="button primary">{i18n.t("staff.verify")}</button>
                                    </ActionForm>
                                    <ActionForm action=decide attr:class="form compact">
                                        <input type="hidden" name="employer_id" value=e.id.to_string() />
                                        <input type="hidden" name="decision" value="reject" />
                                        <label for=reason_id.clone()>{i18n.t("staff.reason")}</label>
                                        <textarea id=reason_id name="reason" rows="2"></textarea>
                                        <button type="submit" class="button danger">{i18n.t("staff.reject")}</button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
    }
}
