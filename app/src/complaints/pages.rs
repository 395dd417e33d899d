//! The public complaint pages: the form (`/complaints`, `?vacancy=` names the vacancy), the
//! receipt shown once after filing (`/complaints/received`) and the status check
//! (`/complaints/status`). Each works without JavaScript.

use super::api::*;
use super::{ComplaintCategory, ComplaintOutcome, ComplaintStatus, PublicStatus, FILE_ENDPOINT};
use crate::components::{use_form, use_plain_form, Field, FormAlert, PageTitle, Submit, TextArea};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::identity::use_me;
use crate::shared::time::format_time;
use crate::shared::views::{when_loaded, SelectField};
use crate::vacancies::api::get_vacancy;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The vacancy a "report this vacancy" link names: (id, title, employer), when it is listed.
async fn named_vacancy(id: Option<i64>) -> Result<Option<(i64, String, String)>, AppError> {
    Ok(match id {
        Some(id) => get_vacancy(id).await.ok().map(|v| (v.id, v.title, v.employer_name)),
        None => None,
    })
}

/// The complaint form: a plain multipart form (the evidence file goes with it without
/// JavaScript) posting to the handler in `submit`.
#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let query = use_query_map();
    let form = use_plain_form(FILE_ENDPOINT);
    let file_error = form.field_error("file");
    let vacancy = Resource::new(move || query.get().get("vacancy").and_then(|v| v.trim().parse::<i64>().ok()), named_vacancy);
    view! {
        <PageTitle key="complaint.title" />
        <p class="lead">{i18n.t("complaint.lead")}</p>
        <p><A href="/complaints/status">{i18n.t("complaint.status_link")}</A></p>
        {when_loaded(vacancy, move |v| view! {
            <form class="form wide" method="post" action=FILE_ENDPOINT enctype="multipart/form-data">
                <FormAlert form />
                {v.clone().map(|(id, title, employer)| view! {
                    <p class="alert alert-info" role="status">{i18n.t_args("complaint.reporting_vacancy", &[("title", &title), ("employer", &employer)])}</p>
                    <input type="hidden" name="vacancy_id" value=id.to_string() />
                })}
                <SelectField form name="category" label="complaint.category" options=&ComplaintCategory::ALL />
                <Field form name="employer_name" label="complaint.employer_name" hint="complaint.employer_hint" required=false
                    value=v.map(|(_, _, employer)| employer) />
                <TextArea form name="description" label="complaint.description" maxlength=2000 />
                <p class="hint">{i18n.t("complaint.description_hint")}</p>
                <div class="field" class:has-error=move || file_error.get().is_some()>
                    <label for="f-file">{i18n.t("complaint.evidence")}<span class="optional">{i18n.t("form.optional")}</span></label>
                    <p class="hint" id="f-file-hint">{i18n.t("upload.rules")}</p>
                    <input id="f-file" type="file" name="file" accept="application/pdf,image/jpeg,image/png" aria-describedby="f-file-hint f-file-error"
                        aria-invalid=move || file_error.get().is_some().then_some("true") />
                    <p class="error" id="f-file-error" role="alert" hidden=move || file_error.get().is_none()>
                        {move || file_error.get().map(|k| i18n.t(&k))}
                    </p>
                </div>
                <p class="hint">{move || if me.get().is_some() { i18n.t("complaint.signed_in_hint") } else { i18n.t("complaint.anonymous_hint") }}</p>
                <button type="submit" class="button primary">{i18n.t("complaint.submit")}</button>
            </form>
        })}
    }
}

/// After filing: the reference and the check code, shown this once.
#[component]
pub fn ReceivedPage() -> impl IntoView {
    let i18n = use_i18n();
    let receipt = Resource::new(|| (), |_| take_receipt());
    view! {
        <PageTitle key="complaint.received_title" />
        {when_loaded(receipt, move |r| match r {
            Some(r) => view! {
                <div class="alert alert-success" role="status">{i18n.t("complaint.received_lead")}</div>
                <dl class="facts receipt">
                    <dt>{i18n.t("complaint.reference")}</dt><dd class="mono" data-testid="reference">{r.reference.clone()}</dd>
                    <dt>{i18n.t("complaint.check_code")}</dt><dd class="mono" data-testid="check-code">{r.code.clone()}</dd>
                </dl>
                <p class="hint">{i18n.t("complaint.keep_code")}</p>
                <p><A href=format!("/complaints/status?reference={}", r.reference) attr:class="button primary">{i18n.t("complaint.check_status_now")}</A></p>
            }.into_any(),
            None => view! {
                <p>{i18n.t("complaint.received_gone")}</p>
                <p><A href="/complaints/status">{i18n.t("complaint.status_link")}</A>" · "<A href="/complaints">{i18n.t("complaint.title")}</A></p>
            }.into_any(),
        })}
    }
}

/// A complaint's status as its reporter reads it.
#[component]
fn StatusView(status: PublicStatus) -> impl IntoView {
    let i18n = use_i18n();
    let closed = status.status == ComplaintStatus::Closed;
    let outcome_class = match status.outcome {
        Some(ComplaintOutcome::Upheld) => "status status-approved",
        _ => "status",
    };
    view! {
        <section class="card" aria-labelledby="status-heading">
            <h2 id="status-heading" class="card-title mono">{status.reference.clone()}</h2>
            <dl class="facts">
                <dt>{i18n.t("complaint.category")}</dt><dd>{i18n.t(status.category.label_key())}</dd>
                <dt>{i18n.t("complaint.filed_on")}</dt><dd>{format_time(status.created_at)}</dd>
                <dt>{i18n.t("complaint.status")}</dt><dd><strong>{i18n.t(status.status.label_key())}</strong></dd>
                {status.outcome.map(|o| view! {
                    <dt>{i18n.t("complaint.outcome")}</dt><dd><strong class=outcome_class>{i18n.t(o.label_key())}</strong></dd>
                })}
                {(closed && !status.outcome_text.is_empty()).then(|| view! {
                    <dt>{i18n.t("complaint.outcome_text")}</dt><dd class="prose">{status.outcome_text.clone()}</dd>
                })}
                {status.closed_at.map(|t| view! { <dt>{i18n.t("complaint.closed_on")}</dt><dd>{format_time(t)}</dd> })}
            </dl>
            {(!closed).then(|| view! { <p class="hint">{i18n.t("complaint.status_open_hint")}</p> })}
        </section>
    }
}

/// The status check: reference and check code, posted (the code never goes into an address).
#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let check = ServerAction::<CheckStatus>::new();
    let form = use_form(check);
    // A check posted without JavaScript comes back here once with its answer.
    let shown = Resource::new(|| (), |_| shown_status());
    let reference = query.get_untracked().get("reference");
    let result = move || {
        if check.version().get() > 0 {
            check.value().get().and_then(Result::ok)
        } else {
            shown.get().and_then(Result::ok).flatten()
        }
    };
    view! {
        <PageTitle key="complaint.status_title" />
        <p class="lead">{i18n.t("complaint.status_lead")}</p>
        <ActionForm action=check attr:class="form" attr:novalidate=true>
            <FormAlert form />
            <Field form name="reference" label="complaint.reference" hint="complaint.reference_hint" autocomplete="off" value=reference />
            <Field form name="check_code" label="complaint.check_code" autocomplete="off" />
            <Submit action=check label="complaint.check" />
        </ActionForm>
        <Suspense>
            {move || result().map(|status| view! { <StatusView status /> })}
        </Suspense>
        <p><A href="/complaints">{i18n.t("complaint.file_another")}</A></p>
    }
}
