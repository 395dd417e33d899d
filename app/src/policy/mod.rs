//! Policy parameters with effective dates (amounts, caps, year windows) and their sources,
//! and the admin page that changes them.

mod model;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use model::*;

use crate::components::{use_form, FormAlert, Notice, PageTitle, Submit};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::shared::identity::Role, crate::error::FieldErrors, crate::shared::time::Date, crate::ssr::{pool, require_role}};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyRow {
    pub param: Param,
    pub effective_from: String,
    pub value: f64,
    pub source: String,
}

/// One admin edit of a parameter: the value of `effective_from` went from `old_value` (none
/// when that date had no value yet) to `new_value`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyChange {
    pub effective_from: String,
    pub old_value: Option<f64>,
    pub new_value: f64,
    pub source: String,
    pub changed_at: i64,
    pub changed_by: String,
    pub changed_by_email: String,
}

#[server(endpoint = "admin/policy/history")]
pub async fn policy_history(param: String) -> Result<Vec<PolicyChange>, AppError> {
    require_role(&[Role::Admin]).await?;
    let param = Param::parse(&param).ok_or(AppError::NotFound)?;
    ssr::history(&pool()?, param).await
}

#[server(endpoint = "admin/policy")]
pub async fn policy_rows() -> Result<Vec<PolicyRow>, AppError> {
    require_role(&[Role::Admin]).await?;
    ssr::rows(&pool()?).await
}

/// Adds a value that takes effect on a date (or corrects the value of that date).
#[server(endpoint = "admin/policy/set")]
pub async fn set_policy(param: String, effective_from: String, value: String, source: String) -> Result<(), AppError> {
    let admin = require_role(&[Role::Admin]).await?;
    let mut e = FieldErrors::new();
    let param = Param::parse(&param).ok_or(()).map_err(|_| e.add("param", "validation.choose_one")).ok();
    let from = Date::parse(&effective_from).map_err(|k| e.add("effective_from", k)).ok();
    let value = value.trim().parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
    if value.is_none() {
        e.add("value", "validation.number_invalid");
    }
    let source = source.trim().to_string();
    if source.is_empty() {
        e.add("source", "validation.required");
    } else if source.chars().count() > 300 {
        e.add("source", "validation.text_too_long");
    }
    e.into_result()?;
    let (param, from) = (param.unwrap(), from.unwrap());
    let mut tx = crate::ssr::begin().await?;
    ssr::set(&mut tx, param, from, value.unwrap(), &source, admin.id).await?;
    let target = format!("{}@{from}", param.as_str());
    crate::ssr::audit(&mut tx, Some(admin.id), crate::ssr::AuditAction::PolicySet, &target, &crate::ssr::client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect("/admin/policy?notice=policy_saved");
    Ok(())
}

#[component]
pub fn PolicyPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetPolicy>::new();
    let form = use_form(save);
    let rows = Resource::new(move || save.version().get(), |_| policy_rows());
    view! {
        <PageTitle key="policy.title" />
        <Notice />
        <p>{i18n.t("policy.lead")}</p>
        {when_loaded(rows, move |rows| view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.t("policy.title")>
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{i18n.t("policy.param")}</th>
                                <th scope="col">{i18n.t("policy.effective_from")}</th>
                                <th scope="col">{i18n.t("policy.value")}</th>
                                <th scope="col">{i18n.t("policy.source")}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td><a href=format!("/admin/policy/{}", r.param.as_str())>{i18n.t(&r.param.label_key())}</a></td>
                                        <td>{r.effective_from}</td>
                                        <td class="mono">{r.value.to_string()}</td>
                                        <td class="hint">{r.source}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <h2>{i18n.t("policy.add_title")}</h2>
                    <ActionForm action=save attr:class="form" attr:novalidate=true>
                        <FormAlert form detailed=true />
                        <div class="field">
                            <label for="p-param">{i18n.t("policy.param")}</label>
                            <select id="p-param" name="param">
                                {Param::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{i18n.t(&p.label_key())}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="p-from">{i18n.t("policy.effective_from")}</label>
                            <input id="p-from" name="effective_from" type="date" required />
                        </div>
                        <div class="field">
                            <label for="p-value">{i18n.t("policy.value")}</label>
                            <input id="p-value" name="value" inputmode="decimal" required />
                        </div>
                        <div class="field">
                            <label for="p-source">{i18n.t("policy.source")}</label>
                            <input id="p-source" name="source" required />
                        </div>
                        <Submit action=save label="policy.save" />
                    </ActionForm>
                })}
    }
}

/// The edits of one parameter (`/admin/policy/{param}`), newest first.
#[component]
pub fn PolicyHistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = leptos_router::hooks::use_params_map();
    let key = move || params.read().get("param").unwrap_or_default();
    let changes = Resource::new(key, policy_history);
    let label = move || Param::parse(&key()).map(|p| i18n.t(p.label_key())).unwrap_or_default();
    view! {
        <PageTitle key="policy.history_title" />
        <p><a href="/admin/policy">{i18n.t("policy.back")}</a></p>
        {move || Some(label()).filter(|l| !l.is_empty()).map(|l| view! { <h2>{l}</h2> })}
        {when_loaded(changes, move |changes| view! {
            {changes.is_empty().then(|| view! { <p class="empty">{i18n.t("policy.no_changes")}</p> })}
            <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.t("policy.history_title")>
                <table class="table">
                    <thead><tr>
                        <th scope="col">{i18n.t("policy.changed_at")}</th>
                        <th scope="col">{i18n.t("policy.changed_by")}</th>
                        <th scope="col">{i18n.t("policy.effective_from")}</th>
                        <th scope="col">{i18n.t("policy.old_value")}</th>
                        <th scope="col">{i18n.t("policy.new_value")}</th>
                        <th scope="col">{i18n.t("policy.source")}</th>
                    </tr></thead>
                    <tbody>
                        {changes.into_iter().map(|c| view! {
                            <tr>
                                <td>{crate::shared::time::format_time(c.changed_at)}</td>
                                <td>{c.changed_by}" "<span class="hint">{c.changed_by_email}</span></td>
                                <td>{c.effective_from}</td>
                                <td class="mono">{c.old_value.map(|v| v.to_string()).unwrap_or_else(|| i18n.t("policy.none"))}</td>
                                <td class="mono">{c.new_value.to_string()}</td>
                                <td class="hint">{c.source}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}
