//! The admin's page: staff accounts and the state of outgoing email; the audit log search
//! (`audit`) and what an admin does to a staff account (`staff`) beside it.
//!
//! Case workers cannot sign themselves up. An admin enters their address and name; the new
//! case worker receives a link to choose a password (the same single-use reset link, valid
//! three days), so no password ever passes through the admin's hands.

pub mod audit;
pub mod staff;

pub use audit::AuditLogPage;
use staff::{SendStaffReset, SetStaffActive, SetStaffRole};

use crate::components::{use_form, Field, FormAlert, Notice, PageTitle, Submit};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::mail::OutboxSummary;
use crate::shared::views::AccessDenied;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::account::{ssr as accounts, DisplayName, Email, Password},
    crate::shared::identity::Role,
    crate::ssr::AuditAction,
    crate::error::FieldErrors,
    crate::mail::ssr::{enqueue, Mail},
    crate::ssr::{audit, client_address, pool, require_role},
    sqlx::Row,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: crate::shared::identity::Role,
    pub active: bool,
}

#[server(endpoint = "admin/staff")]
pub async fn list_staff() -> Result<Vec<StaffMember>, AppError> {
    require_role(&[Role::Admin]).await?;
    let rows = sqlx::query(&format!(
        "SELECT id, email, display_name, role, disabled_at FROM users WHERE role IN ({}) ORDER BY role, email LIMIT 500",
        crate::shared::enums::sql_list(crate::shared::identity::STAFF)
    ))
    .fetch_all(&pool()?)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StaffMember {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                display_name: r.try_get("display_name")?,
                role: r.try_get("role")?,
                active: r.try_get::<Option<i64>, _>("disabled_at")?.is_none(),
            })
        })
        .collect()
}

#[server(endpoint = "admin/create_case_worker")]
pub async fn create_case_worker(email: String, display_name: String) -> Result<(), AppError> {
    let admin = require_role(&[Role::Admin]).await?;
    let mut errors = FieldErrors::new();
    let email = Email::parse(&email).map_err(|k| errors.add("email", k)).ok();
    let name = DisplayName::parse(&display_name).map_err(|k| errors.add("display_name", k)).ok();
    errors.into_result()?;
    let (email, name) = (email.unwrap(), name.unwrap());

    // A random password nobody knows: the account is usable once its owner sets one.
    let (unguessable, _) = crate::ssr::new_token();
    let hash = accounts::hash_password(&Password::parse(&unguessable).map_err(AppError::internal)?).await?;
    let lang = crate::i18n::request_lang();
    let mut tx = crate::ssr::begin().await?;
    let new_user = accounts::NewUser {
        email: &email,
        password_hash: &hash,
        role: Role::CaseWorker,
        display_name: &name,
        locale: lang.code(),
        verified: true,
    };
    let Some(user_id) = accounts::insert_user(&mut tx, new_user).await? else {
        return Err(AppError::field("email", "admin.email_taken"));
    };
    let token = accounts::issue_token(&mut tx, user_id, accounts::TokenPurpose::ResetPassword, 3 * 24 * 3600).await?;
    let link = format!("{}/reset-password?token={token}", crate::ssr::state()?.settings.base_url);
    enqueue(&mut tx, email.as_str(), lang, &Mail::StaffInvite { name: name.as_str().to_string(), link }).await?;
    audit(&mut tx, Some(admin.id), AuditAction::StaffCreated, &format!("user:{user_id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect("/admin?notice=staff_created");
    Ok(())
}

#[server(endpoint = "admin/outbox")]
pub async fn mail_overview() -> Result<OutboxSummary, AppError> {
    require_role(&[Role::Admin]).await?;
    crate::mail::ssr::summary(&pool()?).await
}

#[server(endpoint = "admin/retry_mail")]
pub async fn retry_mail(id: i64) -> Result<(), AppError> {
    require_role(&[Role::Admin]).await?;
    if !crate::mail::ssr::retry(&pool()?, id).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/admin?notice=mail_requeued");
    Ok(())
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateCaseWorker>::new();
    let retry = ServerAction::<RetryMail>::new();
    let form = use_form(create);
    let active = ServerAction::<SetStaffActive>::new();
    let role = ServerAction::<SetStaffRole>::new();
    let reset = ServerAction::<SendStaffReset>::new();
    let (active_form, role_form, reset_form) = (use_form(active), use_form(role), use_form(reset));
    let staff = Resource::new(
        move || (create.version().get(), active.version().get(), role.version().get()),
        |_| list_staff(),
    );
    let outbox = Resource::new(move || retry.version().get(), |_| mail_overview());
    view! {
        <PageTitle key="admin.title" />
        <Notice />
        <p><leptos_router::components::A href="/admin/policy">{i18n.t("policy.title")}</leptos_router::components::A>" · "<leptos_router::components::A href="/admin/screening">{i18n.t("screening.title")}</leptos_router::components::A>" · "<a href="/admin/audit">{i18n.t("admin.audit_title")}</a></p>
        <Suspense fallback=move || view! { <p>{i18n.t("form.working")}</p> }>
            {move || staff.get().map(|r| match r {
                Err(e) => view! { <AccessDenied error=e /> }.into_any(),
                Ok(list) => view! {
                    <section aria-labelledby="staff-heading">
                        <h2 id="staff-heading">{i18n.t("admin.staff")}</h2>
                        <FormAlert form=active_form />
                        <FormAlert form=role_form />
                        <FormAlert form=reset_form />
                        <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.t("admin.staff_table")>
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{i18n.t("account.name")}</th>
                                <th scope="col">{i18n.t("account.email")}</th>
                                <th scope="col">{i18n.t("account.role")}</th>
                                <th scope="col">{i18n.t("admin.staff_actions")}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(move |m| view! {
                                    <tr>
                                        <td>{m.display_name}</td>
                                        <td>{m.email}</td>
                                        <td>{i18n.t(m.role.label_key())}{(!m.active).then(|| format!(" ({})", i18n.t("admin.disabled")))}</td>
                                        <td><StaffActions member=m.id active_now=m.active role_now=m.role
                                            set_active=active set_role=role send_reset=reset /></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                        <h3>{i18n.t("admin.create_case_worker")}</h3>
                        <ActionForm action=create attr:class="form" attr:novalidate=true>
                            <FormAlert form />
                            <Field form name="display_name" label="account.name" autocomplete="off" />
                            <Field form name="email" label="account.email" kind="email" autocomplete="off" />
                            <Submit action=create label="admin.create_submit" />
                        </ActionForm>
                    </section>
                }.into_any(),
            })}
            {move || outbox.get().and_then(Result::ok).map(|o| view! {
                <section aria-labelledby="mail-heading">
                    <h2 id="mail-heading">{i18n.t("admin.mail")}</h2>
                    <p>{i18n.t_args("admin.mail_counts", &[
                        ("pending", &o.pending.to_string()), ("sent", &o.sent.to_string()), ("failed", &o.failed.to_string()),
                    ])}</p>
                    {o.failures.is_empty().then(|| view! { <p class="empty">{i18n.t("admin.no_failures")}</p> })}
                    <ul class="cards">
                        {o.failures.into_iter().map(|f| view! {
                            <li class="card">
                                <p><strong>{f.subject}</strong>" → "{f.to_addr}</p>
                                <p class="hint">{i18n.t_args("admin.attempts", &[("n", &f.attempts.to_string())])}" · "<span class="mono">{f.last_error}</span></p>
                                <ActionForm action=retry attr:class="inline-form">
                                    <input type="hidden" name="id" value=f.id.to_string() />
                                    <button type="submit" class="button">{i18n.t("admin.retry")}</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Suspense>
    }
}

/// The buttons of one staff row: each a plain form, so they work before the page hydrates.
#[component]
fn StaffActions(
    member: i64,
    active_now: bool,
    role_now: crate::shared::identity::Role,
    set_active: ServerAction<SetStaffActive>,
    set_role: ServerAction<SetStaffRole>,
    send_reset: ServerAction<SendStaffReset>,
) -> impl IntoView {
    use crate::shared::identity::Role;
    let i18n = use_i18n();
    let other = if role_now == Role::Admin { Role::CaseWorker } else { Role::Admin };
    let id = member.to_string();
    let (id2, id3) = (id.clone(), id.clone());
    view! {
        <div class="actions">
            <ActionForm action=set_active attr:class="inline-form">
                <input type="hidden" name="user_id" value=id />
                <input type="hidden" name="active" value=(!active_now).to_string() />
                <button type="submit" class="button">{i18n.t(if active_now { "admin.disable" } else { "admin.enable" })}</button>
            </ActionForm>
            {active_now.then(move || view! {
                <ActionForm action=send_reset attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id2 />
                    <button type="submit" class="button">{i18n.t("admin.send_reset")}</button>
                </ActionForm>
            })}
            <ActionForm action=set_role attr:class="inline-form">
                <input type="hidden" name="user_id" value=id3 />
                <input type="hidden" name="role" value=other.as_str() />
                <button type="submit" class="button">{i18n.t(if other == Role::Admin { "admin.make_admin" } else { "admin.make_case_worker" })}</button>
            </ActionForm>
        </div>
    }
}
