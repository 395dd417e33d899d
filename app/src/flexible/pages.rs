//! The flexible-employment subsidy's form (`/flexible`) and its panel. The figure is shown
//! before anything is sent: the lines go first through a GET form ("work it out"), the page
//! shows the computation and keeps the lines for the application form below it, so the whole
//! round works without JavaScript.

use super::api::*;
use super::Computation;
use crate::applications::drafts::{use_draft, with_draft, DraftButton};
use crate::applications::model::Kind;
use crate::applications::pages::{Checks, DocumentsNeeded};
use crate::applications::service::PanelProps;
use crate::components::{use_form, FormAlert, Notice, PageTitle, Submit};
use crate::i18n::use_i18n;
use crate::shared::money::yuan;
use crate::shared::views::{when_loaded, FileForm, StoredFile};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "66.67% × 4,200.00 yuan paid over 3 months = 2,800.14 yuan".
#[component]
fn Figure(c: Computation) -> impl IntoView {
    let i18n = use_i18n();
    let share = format!("{}", c.share_percent);
    let line = i18n.t_args(
        "flexible.figure",
        &[("share", &share), ("paid", &yuan(c.paid_fen)), ("months", &c.counted.len().to_string()), ("amount", &yuan(c.amount_fen))],
    );
    let left_out = c.left_out.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    view! {
        <p class="figure" data-testid="flexible-figure"><strong>{line}</strong></p>
        {(!c.left_out.is_empty()).then(|| view! { <p class="hint">{i18n.t_args("flexible.left_out", &[("months", &left_out)])}</p> })}
    }
}

#[component]
pub fn FlexiblePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let action = ServerAction::<ApplyFlexible>::new();
    let form = use_form(action);
    let lines = move || query.get().get("lines").or_else(|| form.value("lines").get());
    let info = Resource::new(lines, flexible_form);
    let lines_error = form.field_error("lines");
    let proof_error = form.field_error("proof");
    let draft = use_draft(Kind::FlexibleInsuranceSubsidy);
    view! {
        <PageTitle key="flexible.title" />
        <Notice />
        <p class="lead">{i18n.t("flexible.lead")}</p>
        <DocumentsNeeded kind=Kind::FlexibleInsuranceSubsidy />
        {when_loaded(info, move |f| {
            let typed = lines().unwrap_or_default();
            let t = f.terms;
            view! {
                <p>{i18n.t_args("flexible.terms", &[("share", &t.share_percent.to_string()), ("months", &t.max_months.to_string()), ("years", &t.years_since_graduation.to_string())])}</p>
                <h2>{i18n.t("startup.who_may_apply")}</h2>
                <Checks eligibility=f.eligibility.clone() />
                <h2>{i18n.t("startup.documents")}</h2>
                <p>{i18n.t("flexible.documents")}</p>
                <FileForm endpoint="/documents/insurance_proof".to_string() label=i18n.t("flexible.proof_file")
                    current=f.proof.clone().map(|(id, mime, size)| StoredFile { id, mime, size }) back="/flexible".to_string() />
                <h2>{i18n.t("flexible.contributions")}</h2>
                {with_draft(draft, {
                    let typed = typed.clone();
                    move |saved| {
                        // What was just worked out comes first; otherwise the saved draft's lines.
                        let text = if typed.is_empty() { saved.get("lines").cloned().unwrap_or_default() } else { typed.clone() };
                        view! {
                            <form class="form" method="get" action="/flexible">
                                <div class="field">
                                    <label for="f-lines-preview">{i18n.t("flexible.lines")}</label>
                                    <p class="hint" id="f-lines-hint">{i18n.t("flexible.lines_hint")}</p>
                                    <textarea id="f-lines-preview" name="lines" rows="8" aria-describedby="f-lines-hint">{text}</textarea>
                                </div>
                                <div class="actions">
                                    <button type="submit" class="button">{i18n.t("flexible.work_it_out")}</button>
                                    <DraftButton kind=Kind::FlexibleInsuranceSubsidy />
                                </div>
                            </form>
                        }
                    }
                })}
                {match f.preview.clone() {
                    Some(Ok(c)) => view! {
                        <section aria-labelledby="flexible-result">
                            <h2 id="flexible-result">{i18n.t("flexible.your_subsidy")}</h2>
                            <Figure c />
                            {f.eligibility.eligible().then(|| view! {
                                <ActionForm action attr:class="form">
                                    <FormAlert form />
                                    <input type="hidden" name="lines" value=typed.clone() />
                                    <p class="error" role="alert" hidden=move || lines_error.get().is_none()>{move || lines_error.get().map(|k| i18n.t(&k))}</p>
                                    <p class="error" role="alert" hidden=move || proof_error.get().is_none()>{move || proof_error.get().map(|k| i18n.t(&k))}</p>
                                    <Submit action label="flexible.apply" />
                                </ActionForm>
                            })}
                        </section>
                    }.into_any(),
                    Some(Err((key, line))) => {
                        let text = if line > 0 { i18n.t_args("flexible.on_line", &[("line", &line.to_string()), ("problem", &i18n.t(&key))]) } else { i18n.t(&key) };
                        view! { <p class="alert alert-error" role="alert">{text}</p> }.into_any()
                    }
                    None => ().into_any(),
                }}
            }
        })}
    }
}

pub fn panel(props: PanelProps) -> AnyView {
    let Ok(p) = serde_json::from_value::<Panel>(props.data) else {
        return ().into_any();
    };
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="flexible-panel">
            <h2 id="flexible-panel">{i18n.t("flexible.contributions")}</h2>
            <table class="table">
                <thead><tr><th scope="col">{i18n.t("flexible.month")}</th><th scope="col">{i18n.t("flexible.paid")}</th></tr></thead>
                <tbody>
                    {p.request.contributions.iter().map(|c| view! { <tr><td>{c.month.to_string()}</td><td>{yuan(c.paid_fen)}</td></tr> }).collect_view()}
                </tbody>
            </table>
            <p><a href=format!("/files/{}", p.request.proof_upload_id)>{i18n.t("flexible.proof_file")}</a></p>
            {p.computation.map(|c| view! {
                <h3>{if p.recorded { i18n.t("flexible.granted") } else { i18n.t("flexible.as_of_today") }}</h3>
                <Figure c />
            })}
        </section>
    }
    .into_any()
}
