//! Startup pages: the loan and subsidy forms (`/startup/loan`, `/startup/subsidy`), the public
//! list of incubation bases with the admission form (`/incubation`), the case workers' bases
//! (`/staff/incubation`), and each kind's panel on the application page. Every form works
//! without JavaScript; documents go with a plain multipart form first.

use super::api::*;
use super::Base;
use crate::applications::drafts::{use_draft, with_draft, DraftButton, DraftState};
use crate::applications::model::Kind;
use crate::applications::pages::{Checks, DocumentsNeeded};
use crate::applications::service::PanelProps;
use crate::applications::model::Status;
use crate::components::{use_form, use_plain_form, Field, FormAlert, Notice, PageTitle, Submit, TextArea};
use crate::i18n::use_i18n;
use crate::shared::money::yuan;
use crate::shared::time::format_date;
use crate::shared::views::{when_loaded, FileForm, StoredFile};
use leptos::prelude::*;
use leptos_router::components::A;

fn stored(doc: Option<Document>) -> Option<StoredFile> {
    doc.map(|(id, mime, size)| StoredFile { id, mime, size })
}

/// An error a server function names under a field that has no input of its own (a document).
#[component]
fn FieldNote(form: crate::components::FormState, name: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let error = form.field_error(name);
    view! { <p class="error" role="alert" hidden=move || error.get().is_none()>{move || error.get().map(|k| i18n.t(&k))}</p> }
}

#[component]
pub fn LoanPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ApplyLoan>::new();
    let form = use_form(action);
    let info = Resource::new(|| (), |_| loan_form());
    let draft = use_draft(Kind::StartupLoan);
    view! {
        <PageTitle key="startup.loan_title" />
        <Notice />
        <p class="lead">{i18n.t("startup.loan_lead")}</p>
        <DocumentsNeeded kind=Kind::StartupLoan />
        {when_loaded(info, move |f| {
            let cap = yuan(f.limits.cap_fen);
            let years = f.limits.max_years.to_string();
            let eligible = f.eligibility.eligible();
            view! {
                <p>{i18n.t_args("startup.loan_limits", &[("cap", &cap), ("years", &years)])}</p>
                <h2>{i18n.t("startup.who_may_apply")}</h2>
                <Checks eligibility=f.eligibility.clone() />
                <h2>{i18n.t("startup.documents")}</h2>
                <p>{i18n.t("startup.loan_documents")}</p>
                <FileForm endpoint="/documents/business_plan".to_string() label=i18n.t("startup.plan_file") current=stored(f.plan.clone()) back="/startup/loan".to_string() />
                {if eligible {
                    view! {
                        <h2>{i18n.t("startup.your_request")}</h2>
                        {with_draft(draft, move |saved| {
                            let form = form.or_values(saved);
                            view! {
                                <ActionForm action attr:class="form">
                                    <FormAlert form />
                                    <FieldNote form name="plan" />
                                    <Field form name="amount" label="startup.amount" hint="startup.amount_hint" />
                                    <Field form name="term_years" label="startup.term_years" kind="number" />
                                    <TextArea form name="plan_summary" label="startup.plan_summary" maxlength=2000 rows=6 />
                                    <Field form name="registration_no" label="startup.registration_no" required=false hint="startup.registration_no_hint" />
                                    <div class="actions">
                                        <Submit action label="startup.apply" />
                                        <DraftButton kind=Kind::StartupLoan />
                                    </div>
                                </ActionForm>
                            }
                        })}
                    }.into_any()
                } else {
                    view! { <p class="alert alert-info">{i18n.t("startup.not_eligible_yet")}</p> }.into_any()
                }}
            }
        })}
    }
}

#[component]
pub fn SubsidyPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ApplySubsidy>::new();
    let form = use_form(action);
    let info = Resource::new(|| (), |_| subsidy_form());
    let first_error = form.field_error("first_business");
    let draft = use_draft(Kind::StartupSubsidy);
    view! {
        <PageTitle key="startup.subsidy_title" />
        <Notice />
        <p class="lead">{i18n.t("startup.subsidy_lead")}</p>
        <DocumentsNeeded kind=Kind::StartupSubsidy />
        {when_loaded(info, move |f| {
            let amount = yuan(f.amount_fen);
            let eligible = f.eligibility.eligible();
            view! {
                <p class="alert alert-info" data-testid="subsidy-amount">{i18n.t_args("startup.subsidy_amount", &[("amount", &amount)])}</p>
                <p>{i18n.t_args("startup.subsidy_conditions", &[("months", &f.min_months.to_string()), ("years", &f.within_years.to_string())])}</p>
                <h2>{i18n.t("startup.who_may_apply")}</h2>
                <Checks eligibility=f.eligibility.clone() />
                <h2>{i18n.t("startup.documents")}</h2>
                <p>{i18n.t("startup.subsidy_documents")}</p>
                <FileForm endpoint="/documents/startup_evidence".to_string() label=i18n.t("startup.evidence_file") current=stored(f.evidence.clone()) back="/startup/subsidy".to_string() />
                {if eligible {
                    view! {
                        <h2>{i18n.t("startup.your_business")}</h2>
                        {with_draft(draft, move |saved| {
                            let form = form.or_values(saved);
                            let first_checked = form.value("first_business");
                            view! {
                                <ActionForm action attr:class="form">
                                    <FormAlert form />
                                    <FieldNote form name="evidence" />
                                    <Field form name="business_name" label="startup.business_name" />
                                    <Field form name="registration_no" label="startup.registration_no" />
                                    <Field form name="registered_on" label="startup.registered_on" kind="date" hint="startup.registered_on_hint" />
                                    <div class="field checkbox" class:has-error=move || first_error.get().is_some()>
                                        <input id="f-first_business" type="checkbox" name="first_business" value="on" required checked=move || first_checked.get().is_some()
                                            aria-invalid=move || first_error.get().is_some().then_some("true") aria-describedby="f-first_business-error" />
                                        <label for="f-first_business">{i18n.t("startup.first_business")}</label>
                                        <p class="error" id="f-first_business-error" role="alert" hidden=move || first_error.get().is_none()>
                                            {move || first_error.get().map(|k| i18n.t(&k))}
                                        </p>
                                    </div>
                                    <div class="actions">
                                        <Submit action label="startup.apply" />
                                        <DraftButton kind=Kind::StartupSubsidy />
                                    </div>
                                </ActionForm>
                            }
                        })}
                    }.into_any()
                } else {
                    view! { <p class="alert alert-info">{i18n.t("startup.not_eligible_yet")}</p> }.into_any()
                }}
            }
        })}
    }
}

#[component]
fn BaseCard(base: Base) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="card">
            <h3 class="card-title">{base.name.clone()}</h3>
            <dl class="facts">
                <dt>{i18n.t("incubation.address")}</dt><dd>{base.address.clone()}</dd>
                <dt>{i18n.t("incubation.free_space")}</dt>
                <dd data-testid="free-space">{i18n.t_args("incubation.space_of", &[("free", &base.free_space.to_string()), ("total", &base.total_space.to_string())])}</dd>
                <dt>{i18n.t("incubation.services")}</dt><dd>{base.services.clone()}</dd>
            </dl>
        </li>
    }
}

/// The bases with free space, for anyone; a graduate who signed in also finds the form.
#[component]
pub fn IncubationPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = crate::shared::identity::use_me();
    let bases = Resource::new(|| (), |_| incubation_bases());
    // Made here, not in the form that reads it: a resource first made when the reader resolves
    // is not awaited by the server's render, and the page then fails to hydrate.
    let info = Resource::new(|| (), |_| incubation_form());
    let draft = use_draft(Kind::Incubation);
    view! {
        <PageTitle key="incubation.title" />
        <Notice />
        <p class="lead">{i18n.t("incubation.lead")}</p>
        <DocumentsNeeded kind=Kind::Incubation />
        {when_loaded(bases, move |bases| view! {
            <h2>{i18n.t("incubation.bases_heading")}</h2>
            {bases.is_empty().then(|| view! { <p class="empty">{i18n.t("incubation.none_free")}</p> })}
            <ul class="cards">{bases.into_iter().map(|b| view! { <BaseCard base=b /> }).collect_view()}</ul>
        })}
        {move || match me.get() {
            Some(m) if m.role == crate::shared::identity::Role::Graduate => view! { <IncubationApplyForm info draft /> }.into_any(),
            _ => view! { <p class="hint">{i18n.t("incubation.sign_in_to_apply")}" "<A href="/login?next=%2Fincubation">{i18n.t("nav.login")}</A></p> }.into_any(),
        }}
    }
}

#[component]
fn IncubationApplyForm(info: Resource<Result<IncubationFacts, crate::error::AppError>>, draft: DraftState) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ApplyIncubation>::new();
    let form = use_form(action);
    let base_error = form.field_error("base_id");
    view! {
        <h2>{i18n.t("incubation.apply_title")}</h2>
        {when_loaded(info, move |f| {
            let eligible = f.eligibility.eligible();
            let bases = f.bases.clone();
            let form_view = eligible.then(move || with_draft(draft, move |saved| {
                let form = form.or_values(saved);
                let chosen = form.value("base_id");
                let bases = bases.clone();
                view! {
                    <ActionForm action attr:class="form">
                        <FormAlert form />
                        <div class="field" class:has-error=move || base_error.get().is_some()>
                            <label for="f-base_id">{i18n.t("incubation.base")}</label>
                            <select id="f-base_id" name="base_id" aria-describedby="f-base_id-error">
                                <option value="">{i18n.t("form.choose")}</option>
                                {bases.iter().map(|b| {
                                    let id = b.id.to_string();
                                    let label = format!("{} ({})", b.name, i18n.t_args("incubation.free_m2", &[("free", &b.free_space.to_string())]));
                                    let value = id.clone();
                                    view! { <option value=value selected=move || chosen.get().as_deref() == Some(id.as_str())>{label}</option> }
                                }).collect_view()}
                            </select>
                            <p class="error" id="f-base_id-error" role="alert" hidden=move || base_error.get().is_none()>{move || base_error.get().map(|k| i18n.t(&k))}</p>
                        </div>
                        <Field form name="space_needed" label="incubation.space_needed" kind="number" />
                        <TextArea form name="project" label="incubation.project" maxlength=2000 rows=6 />
                        <div class="actions">
                            <Submit action label="startup.apply" />
                            <DraftButton kind=Kind::Incubation />
                        </div>
                    </ActionForm>
                }
            }));
            view! {
                <Checks eligibility=f.eligibility.clone() />
                {form_view}
            }
        })}
    }
}

/// The case workers' bases: each one's form, and a form for a new one.
#[component]
pub fn StaffBasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveBase>::new();
    let bases = Resource::new(move || action.version().get(), |_| all_bases());
    view! {
        <PageTitle key="incubation.staff_title" />
        <Notice />
        <p class="lead">{i18n.t("incubation.staff_lead")}</p>
        {when_loaded(bases, move |bases| view! {
            {bases.into_iter().map(|b| view! {
                <section class="card">
                    <h2 class="card-title">{b.name.clone()}</h2>
                    <BaseForm action base=Some(b) />
                </section>
            }).collect_view()}
            <section class="card">
                <h2 class="card-title">{i18n.t("incubation.new_base")}</h2>
                <BaseForm action base=None />
            </section>
        })}
    }
}

#[component]
fn BaseForm(action: ServerAction<SaveBase>, base: Option<Base>) -> impl IntoView {
    let form = use_form(action);
    // Only the form that was sent shows the flash's values and errors (the others start clean).
    let id = base.as_ref().map(|b| b.id.to_string()).unwrap_or_default();
    let v = move |f: fn(&Base) -> String| base.as_ref().map(f);
    view! {
        <ActionForm action attr:class="form compact">
            <FormAlert form />
            <input type="hidden" name="id" value=id />
            <Field form name="name" label="incubation.name" value=v(|b| b.name.clone()) />
            <Field form name="address" label="incubation.address" value=v(|b| b.address.clone()) />
            <Field form name="total_space" label="incubation.total_space" kind="number" value=v(|b| b.total_space.to_string()) />
            <Field form name="free_space" label="incubation.free_space" kind="number" value=v(|b| b.free_space.to_string()) />
            <TextArea form name="services" label="incubation.services" rows=3 value=v(|b| b.services.clone()) />
            <Submit action label="incubation.save" />
        </ActionForm>
    }
}

/// The loan's panel: what was asked; for a case worker deciding it, approval with terms.
pub fn loan_panel(props: PanelProps) -> AnyView {
    let Ok(p) = serde_json::from_value::<LoanPanel>(props.data) else {
        return ().into_any();
    };
    let i18n = use_i18n();
    let a = props.application;
    let deciding = props.staff && matches!(a.status, Status::Submitted | Status::InReview);
    let r = p.request.clone();
    view! {
        <section class="panel" aria-labelledby="loan-panel">
            <h2 id="loan-panel">{i18n.t("startup.loan_request")}</h2>
            <dl class="facts">
                <dt>{i18n.t("startup.amount")}</dt><dd data-testid="requested-amount">{yuan(r.amount_fen)}" "{i18n.t("startup.yuan")}</dd>
                <dt>{i18n.t("startup.term_years")}</dt><dd>{r.term_years}</dd>
                <dt>{i18n.t("startup.plan_summary")}</dt><dd class="prewrap">{r.plan_summary.clone()}</dd>
                {(!r.registration_no.is_empty()).then(|| view! { <dt>{i18n.t("startup.registration_no")}</dt><dd class="mono">{r.registration_no.clone()}</dd> })}
                <dt>{i18n.t("startup.plan_file")}</dt><dd><a href=format!("/files/{}", r.plan_upload_id)>{i18n.t("upload.on_file")}</a></dd>
            </dl>
            {p.decision.map(|(fen, years, disbursed)| view! {
                <div class="alert alert-success" data-testid="loan-decision">
                    {i18n.t_args("startup.loan_approved_terms", &[("amount", &yuan(fen)), ("years", &years.to_string())])}
                    {disbursed.map(|t| view! { " "{i18n.t_args("startup.loan_disbursed_on", &[("date", &format_date(t))])} })}
                </div>
            })}
            {(props.staff && a.status == Status::Approved).then(|| view! { <p class="hint">{i18n.t("startup.disburse_hint")}</p> })}
            {deciding.then(|| view! { <ApproveLoanForm application_id=a.id version=a.version requested=r.clone() limits=p.limits /> })}
        </section>
    }
    .into_any()
}

const APPROVE_LOAN_URL: &str = "/api/startup/loan/approve";

/// A plain form: the page loads afresh after the decision, with or without JavaScript.
#[component]
fn ApproveLoanForm(application_id: i64, version: i64, requested: super::LoanRequest, limits: super::LoanLimits) -> impl IntoView {
    let i18n = use_i18n();
    let form = use_plain_form(APPROVE_LOAN_URL);
    let most = yuan(requested.amount_fen.min(limits.cap_fen));
    let years = requested.term_years.min(limits.max_years);
    view! {
        <h3>{i18n.t("startup.approve_title")}</h3>
        <form class="form compact" method="post" action=APPROVE_LOAN_URL>
            <FormAlert form />
            <p class="hint">{i18n.t_args("startup.approve_hint", &[("amount", &most), ("years", &years.to_string())])}</p>
            <input type="hidden" name="application_id" value=application_id.to_string() />
            <input type="hidden" name="version" value=version.to_string() />
            <Field form name="approved_amount" label="startup.approved_amount" value=Some(most.replace(',', "")) />
            <Field form name="approved_term" label="startup.approved_term" kind="number" value=Some(years.to_string()) />
            <TextArea form name="note" label="application.note_label" rows=2 required=false />
            <button type="submit" class="button primary">{i18n.t("startup.approve_loan")}</button>
        </form>
    }
}

/// The subsidy's panel: the business, months operating as of today, the amount.
pub fn subsidy_panel(props: PanelProps) -> AnyView {
    let Ok(p) = serde_json::from_value::<SubsidyPanel>(props.data) else {
        return ().into_any();
    };
    let i18n = use_i18n();
    let r = p.request.clone();
    view! {
        <section class="panel" aria-labelledby="subsidy-panel">
            <h2 id="subsidy-panel">{i18n.t("startup.your_business")}</h2>
            <dl class="facts">
                <dt>{i18n.t("startup.business_name")}</dt><dd>{r.business_name.clone()}</dd>
                <dt>{i18n.t("startup.registration_no")}</dt><dd class="mono">{r.registration_no.clone()}</dd>
                <dt>{i18n.t("startup.registered_on")}</dt><dd>{r.registered_on.to_string()}</dd>
                <dt>{i18n.t("startup.months_operating")}</dt><dd data-testid="months-operating">{p.months_operating}</dd>
                <dt>{i18n.t("startup.first_business_short")}</dt><dd>{if r.first_business { i18n.t("startup.yes") } else { i18n.t("startup.no") }}</dd>
                <dt>{i18n.t("startup.evidence_file")}</dt><dd><a href=format!("/files/{}", r.evidence_upload_id)>{i18n.t("upload.on_file")}</a></dd>
            </dl>
            {p.window_problem.clone().filter(|_| p.granted.is_none()).map(|k| view! { <p class="alert alert-error">{i18n.t(&k)}</p> })}
            {match p.granted {
                Some((fen, months)) => view! {
                    <div class="alert alert-success" data-testid="subsidy-granted">
                        {i18n.t_args("startup.subsidy_granted", &[("amount", &yuan(fen)), ("months", &months.to_string())])}
                    </div>
                }.into_any(),
                None => view! { <p>{i18n.t_args("startup.subsidy_amount", &[("amount", &yuan(p.amount_fen))])}</p> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// The admission's panel: the base, the space, the project; what approval took.
pub fn incubation_panel(props: PanelProps) -> AnyView {
    let Ok(p) = serde_json::from_value::<IncubationPanel>(props.data) else {
        return ().into_any();
    };
    let i18n = use_i18n();
    let r = p.request.clone();
    let staff_open = props.staff && props.application.status.is_open();
    view! {
        <section class="panel" aria-labelledby="incubation-panel">
            <h2 id="incubation-panel">{i18n.t("incubation.apply_title")}</h2>
            <dl class="facts">
                <dt>{i18n.t("incubation.base")}</dt><dd>{r.base_name.clone()}</dd>
                <dt>{i18n.t("incubation.space_needed")}</dt><dd>{r.space}" m²"</dd>
                <dt>{i18n.t("incubation.project")}</dt><dd class="prewrap">{r.project.clone()}</dd>
            </dl>
            {staff_open.then(|| view! { <p class="hint" data-testid="free-now">{i18n.t_args("incubation.free_now", &[("free", &p.free_now.to_string())])}</p> })}
            {p.admission.map(|(space, left)| view! {
                <div class="alert alert-success">
                    {i18n.t_args("incubation.admitted", &[("space", &space.to_string())])}
                    {left.map(|t| view! { " "{i18n.t_args("incubation.left_on", &[("date", &format_date(t))])} })}
                </div>
            })}
            {(props.staff && props.application.status == Status::Approved).then(|| view! { <p class="hint">{i18n.t("incubation.leave_hint")}</p> })}
        </section>
    }
    .into_any()
}
