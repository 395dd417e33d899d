//! The case workers' complaint pages: their own queue (`/staff/complaints`, filtered by a GET
//! form so every view has an address) and one complaint with its facts, the steps it may take
//! now and its timeline (`/staff/complaints/:reference`).

use super::api::*;
use super::{ComplaintAction, ComplaintCategory, ComplaintDetail, ComplaintEvent, ComplaintOutcome, ComplaintStatus};
use crate::components::{use_form, FormAlert, Notice, PageTitle};
use crate::i18n::use_i18n;
use crate::shared::identity::use_me;
use crate::shared::time::{days_between, format_time};
use crate::shared::views::{filter_options, next_page_href, AccessDenied};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};


#[component]
pub fn ComplaintQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.get().get(k).filter(|v| !v.is_empty());
    let page = Resource::new(
        move || (q("status"), q("assignee"), q("category"), q("after")),
        |(status, assignee, category, after)| complaint_queue(status, assignee, category, after),
    );
    let selected = move |k: &'static str, v: &'static str| move || q(k).as_deref() == Some(v);
    view! {
        <PageTitle key="complaint.queue_title" />
        <p><A href="/staff">{i18n.t("queue.back")}</A></p>
        <Notice />
        <form method="get" action="/staff/complaints" class="filters">
            <label>{i18n.t("complaint.status")}
                <select name="status">
                    <option value="">{i18n.t("queue.open")}</option>
                    {filter_options::<ComplaintStatus>(Signal::derive(move || q("status")))}
                </select>
            </label>
            <label>{i18n.t("complaint.category")}
                <select name="category">
                    <option value="">{i18n.t("queue.all")}</option>
                    {filter_options::<ComplaintCategory>(Signal::derive(move || q("category")))}
                </select>
            </label>
            <label>{i18n.t("queue.assignee")}
                <select name="assignee">
                    <option value="any">{i18n.t("queue.anyone")}</option>
                    <option value="me" selected=selected("assignee", "me")>{i18n.t("queue.me")}</option>
                    <option value="none" selected=selected("assignee", "none")>{i18n.t("queue.unassigned")}</option>
                </select>
            </label>
            <button type="submit" class="button">{i18n.t("queue.filter")}</button>
        </form>
        <Suspense>
            {move || page.get().map(|r| match r {
                Err(crate::error::AppError::Invalid(_)) => view! { <div class="alert alert-error" role="alert">{i18n.t("queue.bad_filter")}</div> }.into_any(),
                Err(e) => view! { <AccessDenied error=e /> }.into_any(),
                Ok(p) => {
                    let now = p.now;
                    let next = p.next.clone().map(|cursor| next_page_href("/staff/complaints", &query.get_untracked(), &cursor));
                    view! {
                        {p.rows.is_empty().then(|| view! { <p class="empty">{i18n.t("complaint.queue_empty")}</p> })}
                        <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.t("complaint.queue_title")>
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{i18n.t("complaint.reference")}</th>
                                    <th scope="col">{i18n.t("complaint.category")}</th>
                                    <th scope="col">{i18n.t("complaint.employer")}</th>
                                    <th scope="col">{i18n.t("complaint.reporter")}</th>
                                    <th scope="col">{i18n.t("complaint.status")}</th>
                                    <th scope="col">{i18n.t("queue.waiting")}</th>
                                    <th scope="col">{i18n.t("complaint.assignee")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.rows.into_iter().map(|c| view! {
                                        <tr>
                                            <td><A href=format!("/staff/complaints/{}", c.reference)>{c.reference.clone()}</A></td>
                                            <td>{i18n.t(c.category.label_key())}</td>
                                            <td>{if c.employer_name.is_empty() { "—".to_string() } else { c.employer_name.clone() }}
                                                {c.vacancy_title.clone().map(|t| view! { <br /><span class="small">{t}</span> })}</td>
                                            <td>{if c.anonymous { i18n.t("complaint.anonymous") } else { i18n.t("complaint.signed_in") }}</td>
                                            <td>{i18n.t(c.status.label_key())}</td>
                                            <td>{i18n.t_args("queue.days", &[("n", &days_between(c.created_at, now).to_string())])}</td>
                                            <td>{c.assignee_name.clone().unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {next.map(|href| view! { <p><a href=href class="button">{i18n.t("queue.next_page")}</a></p> })}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The complaint's timeline: filing and every step, with who took it.
#[component]
fn ComplaintTimeline(events: Vec<ComplaintEvent>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline">
            {events.into_iter().map(|e| {
                let who = match (e.actor_name.clone(), e.actor_role) {
                    (Some(name), Some(role)) => format!("{name}（{}）", i18n.t(role.label_key())),
                    _ => i18n.t("complaint.anonymous"),
                };
                view! {
                    <li>
                        <p><strong>{i18n.t(e.step.label_key())}</strong>
                            {(e.from_status != e.to_status).then(|| format!(" → {}", i18n.t(e.to_status.label_key())))}
                            " · "{format_time(e.at)}" · "{who}</p>
                        {(!e.text.is_empty()).then(|| view! { <p class="prose">{e.text.clone()}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The form for one step: its hidden fields, what the step needs typed, and its button.
#[component]
fn StepForm(detail: ComplaintDetail, step: ComplaintAction, act: ServerAction<ActOnComplaint>) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("step-{}", step.as_str());
    let button = if matches!(step, ComplaintAction::SuspendVacancy | ComplaintAction::SuspendEmployer) { "button danger" } else { "button primary" };
    let text_label = match step {
        ComplaintAction::Note => Some("complaint.note_label"),
        ComplaintAction::SuspendVacancy | ComplaintAction::SuspendEmployer => Some("complaint.suspend_reason_label"),
        ComplaintAction::Close => Some("complaint.outcome_text_label"),
        _ => None,
    };
    view! {
        <ActionForm action=act attr:class="form compact step">
            <input type="hidden" name="complaint_id" value=detail.id.to_string() />
            <input type="hidden" name="version" value=detail.version.to_string() />
            <input type="hidden" name="action" value=step.as_str() />
            {(step == ComplaintAction::Close).then(|| view! {
                <fieldset>
                    <legend>{i18n.t("complaint.outcome")}</legend>
                    {ComplaintOutcome::ALL.into_iter().map(|o| {
                        let oid = format!("outcome-{}", o.as_str());
                        view! {
                            <div class="check"><input type="radio" id=oid.clone() name="outcome" value=o.as_str() required=true />
                                <label for=oid>{i18n.t(o.label_key())}</label></div>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            {(step == ComplaintAction::LinkEmployer).then(|| view! {
                <label for=format!("{id}-code")>{i18n.t("complaint.credit_code")}</label>
                <input id=format!("{id}-code") name="credit_code" autocomplete="off" required=true />
            })}
            {text_label.map(|label| view! {
                <label for=format!("{id}-text")>{i18n.t(label)}</label>
                <textarea id=format!("{id}-text") name="text" rows="3" maxlength="2000" required=true></textarea>
            })}
            <button type="submit" class=button>{i18n.t(step.label_key())}</button>
        </ActionForm>
    }
}

#[component]
pub fn StaffComplaintPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let me = use_me();
    let act = ServerAction::<ActOnComplaint>::new();
    let form = use_form(act);
    let complaint = Resource::new(
        move || (params.get().get("reference").unwrap_or_default(), act.version().get()),
        |(reference, _)| get_complaint(reference),
    );
    view! {
        <p><A href="/staff/complaints">{i18n.t("complaint.back_to_queue")}</A></p>
        <Notice />
        <Suspense>
        {move || complaint.get().map(|r| match r {
          // A complaint that is not there (or not for this reader) still has a heading.
          Err(e) => view! { <h1>{i18n.t("complaint.staff_title")}</h1><AccessDenied error=e /> }.into_any(),
          Ok(d) => {
            let title = format!("{} {}", i18n.t("complaint.staff_title"), d.reference);
            view! {
                <leptos_meta::Title text=title.clone() />
                <h1>{title}</h1>
                <dl class="facts">
                    <dt>{i18n.t("complaint.status")}</dt><dd><strong>{i18n.t(d.status.label_key())}</strong></dd>
                    <dt>{i18n.t("complaint.category")}</dt><dd>{i18n.t(d.category.label_key())}</dd>
                    <dt>{i18n.t("complaint.filed_on")}</dt><dd>{format_time(d.created_at)}</dd>
                    <dt>{i18n.t("complaint.reporter")}</dt>
                    <dd>{match d.reporter.clone() {
                        Some((name, email)) => format!("{name} · {email}"),
                        None => i18n.t("complaint.anonymous"),
                    }}</dd>
                    <dt>{i18n.t("complaint.employer_name")}</dt>
                    <dd>{if d.employer_name.is_empty() { "—".to_string() } else { d.employer_name.clone() }}</dd>
                    {d.employer.clone().map(|e| view! {
                        <dt>{i18n.t("complaint.employer")}</dt>
                        <dd>{e.name.clone()}" · "<span class="mono">{e.credit_code.clone()}</span>
                            " · "{i18n.t_args("complaint.employer_complaints", &[("n", &e.complaints.to_string())])}
                            {e.suspended.clone().map(|reason| view! { <br /><strong class="status status-rejected">{i18n.t("complaint.employer_suspended")}</strong>" "{reason} }.into_any()).unwrap_or_else(|| ().into_any())}</dd>
                    })}
                    {d.vacancy.clone().map(|v| view! {
                        <dt>{i18n.t("complaint.vacancy")}</dt>
                        <dd><A href=format!("/vacancies/{}", v.id)>{v.title.clone()}</A>" · "
                            <strong class=format!("status status-{}", v.status.as_str())>{i18n.t(v.status.label_key())}</strong></dd>
                    })}
                    <dt>{i18n.t("complaint.evidence")}</dt>
                    <dd>{match d.evidence.clone() {
                        Some(f) => view! { <a href=format!("/files/{}", f.id)>{i18n.t("complaint.open_evidence")}</a>{format!(" · {} · {} KB", f.mime, (f.size + 1023) / 1024)} }.into_any(),
                        None => i18n.t("complaint.no_evidence").into_any(),
                    }}</dd>
                    <dt>{i18n.t("complaint.assignee")}</dt><dd>{d.assignee_name.clone().unwrap_or_else(|| "—".into())}</dd>
                    {d.outcome.map(|o| view! {
                        <dt>{i18n.t("complaint.outcome")}</dt><dd><strong>{i18n.t(o.label_key())}</strong>" · "{d.outcome_text.clone()}</dd>
                    })}
                </dl>
                <h2>{i18n.t("complaint.description")}</h2>
                <p class="prose">{d.description.clone()}</p>
                <h2>{i18n.t("complaint.handle")}</h2>
                <FormAlert form detailed=true />
                {d.actions.is_empty().then(|| view! { <p class="empty">{i18n.t("complaint.nothing_to_do")}</p> })}
                <div class="actions-list">
                    {d.actions.clone().into_iter()
                        // Taking a complaint one already has is no step.
                        .filter(|step| !(*step == ComplaintAction::Take && d.assignee_id.is_some() && d.assignee_id == me.get().map(|m| m.id)))
                        .map(|step| view! { <StepForm detail=d.clone() step act /> }).collect_view()}
                </div>
                <h2>{i18n.t("complaint.timeline")}</h2>
                <ComplaintTimeline events=d.events.clone() />
            }.into_any()
          }
        })}
        </Suspense>
    }
}
