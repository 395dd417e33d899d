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
    let pool = pool()?;
    ssr::set(&pool, param.unwrap(), from.unwrap(), value.unwrap(), &source, admin.id).await?;
    let mut tx = crate::ssr::begin().await?;
    crate::ssr::audit(&mut tx, Some(admin.id), crate::ssr::AuditAction::PolicySet, param.unwrap().as_str(), &crate::ssr::client_address().await).await?;
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
                                        <td>{i18n.t(&r.param.label_key())}</td>
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
