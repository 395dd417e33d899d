//! Application pages: "what can I apply for", the graduate's own services and one
//! application's timeline, and the case workers' queue and decision page.

use super::api::*;
use super::eligibility::Eligibility;
use super::model::{Action, Status};
use super::service::PanelProps;
use super::{ApplicationDetail, Event};
use crate::components::{use_form, FormAlert, Notice, PageTitle};
use crate::followups::{follow_ups_of, FollowUpList};
use crate::i18n::use_i18n;
use crate::services::service;
use crate::shared::identity::use_me;
use crate::shared::time::format_time;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// Rules with a tick or a cross, in words.
#[component]
pub fn Checks(eligibility: Eligibility) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="checks">
            {eligibility.checks.into_iter().map(|c| {
                let args: Vec<(&str, &str)> = c.args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let text = i18n.t_args(&c.key, &args);
                view! {
                    <li class=if c.passed { "ok" } else { "no" }>
                        <span aria-hidden="true">{if c.passed { "✓ " } else { "✗ " }}</span>
                        <span class="visually-hidden">{if c.passed { i18n.t("rule.met") } else { i18n.t("rule.not_met") }}" "</span>
                        {text}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The documents a service asks for ("have these ready"), before the graduate starts: as a
/// section on top of a form, or folded (`compact`) in a card of "what can I apply for".
#[component]
pub fn DocumentsNeeded(kind: super::model::Kind, #[prop(optional)] compact: bool) -> impl IntoView {
    let i18n = use_i18n();
    let documents = service(kind).documents;
    let list = move || view! { <ul class="documents-needed">{documents.iter().map(|k| view! { <li>{i18n.t(k)}</li> }).collect_view()}</ul> };
    (!documents.is_empty()).then(|| {
        if compact {
            view! {
                <details>
                    <summary>{i18n.t("doc.have_these_ready")}</summary>
                    {list()}
                </details>
            }
            .into_any()
        } else {
            view! {
                <section aria-labelledby="documents-needed" data-testid="documents-needed">
                    <h2 id="documents-needed">{i18n.t("doc.have_these_ready")}</h2>
                    <p>{i18n.t("doc.have_these_ready_lead")}</p>
                    {list()}
                </section>
            }
            .into_any()
        }
    })
}

#[component]
pub fn EligibilityPage() -> impl IntoView {
    let i18n = use_i18n();
    let apply_action = ServerAction::<Apply>::new();
    let form = use_form(apply_action);
    let list = Resource::new(|| (), |_| what_can_i_apply_for());
    view! {
        <PageTitle key="eligibility.title" />
        <Notice />
        <p class="lead">{i18n.t("eligibility.lead")}</p>
        <FormAlert form detailed=true />
        {when_loaded(list, move |items| view! {
                    <ul class="cards">
                        {items.into_iter().map(|e| {
                            let kind = e.kind;
                            let eligible = e.eligible();
                            view! {
                                <li class="card">
                                    <h2 class="card-title">{i18n.t(kind.label_key())}</h2>
                                    <p class=if eligible { "badge ok" } else { "badge no" }>
                                        {if eligible { i18n.t("eligibility.eligible") } else { i18n.t("eligibility.not_eligible") }}
                                    </p>
                                    <Checks eligibility=e />
                                    <DocumentsNeeded kind compact=true />
                                    {match (service(kind).open, eligible) {
                                        (true, _) if crate::services::service(kind).form.is_some() => view! {
                                            <p><A href=crate::services::service(kind).form.unwrap_or_default() attr:class="button primary">{i18n.t("eligibility.open_form")}</A></p>
                                        }.into_any(),
                                        (true, true) => view! {
                                            <ActionForm action=apply_action attr:class="inline-form">
                                                <input type="hidden" name="kind" value=kind.as_str() />
                                                <button type="submit" class="button primary">{i18n.t("eligibility.apply")}</button>
                                            </ActionForm>
                                        }.into_any(),
                                        (true, false) => ().into_any(),
                                        (false, _) => view! { <p class="hint">{i18n.t("eligibility.opening_soon")}</p> }.into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
        })}
    }
}

/// What the applicant should do next, for each status.
fn next_step_key(status: Status) -> String {
    format!("next.{}", status.as_str())
}

/// "My services". `children` is what other areas list here (applications to vacancies),
/// composed by the router so this folder does not depend on them.
#[component]
pub fn MyServicesPage(#[prop(optional)] children: Option<ChildrenFn>) -> impl IntoView {
    let i18n = use_i18n();
    let apps = Resource::new(|| (), |_| my_applications());
    let me = use_me();
    let follow_ups = Resource::new(move || me.get().map(|m| m.id), |id| async move {
        match id {
            Some(id) => follow_ups_of(id).await,
            None => Ok(Vec::new()),
        }
    });
    view! {
        <PageTitle key="my.title" />
        <Notice />
        <p><A href="/profile">{i18n.t("my.profile_link")}</A>" · "<A href="/eligibility">{i18n.t("my.eligibility_link")}</A>" · "<A href="/notifications">{i18n.t("nav.notifications")}</A>" · "<A href="/my/fairs">{i18n.t("nav.my_fairs")}</A>" · "<A href="/archive">{i18n.t("nav.my_archive")}</A></p>
        <Suspense>
            {move || apps.get().map(|r| match r {
                Err(e) => view! { <crate::shared::views::AccessDenied error=e /> }.into_any(),
                Ok(rows) => view! {
                    {rows.is_empty().then(|| view! { <p class="empty">{i18n.t("my.none")}" "<A href="/profile">{i18n.t("my.start")}</A></p> })}
                    <ul class="cards">
                        {rows.into_iter().map(|a| view! {
                            <li class="card">
                                <h2 class="card-title"><A href=format!("/my/applications/{}", a.reference)>{i18n.t(a.kind.label_key())}</A></h2>
                                <p><span class="mono">{a.reference.clone()}</span>" · "<strong class=format!("status status-{}", a.status.as_str())>{i18n.t(a.status.label_key())}</strong></p>
                                <p class="hint">{i18n.t(&next_step_key(a.status))}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
            {children.as_ref().map(|c| c())}
            <h2>{i18n.t("followup.title")}</h2>
            {move || follow_ups.get().map(|r| match r {
                Ok(items) => view! { <FollowUpList items /> }.into_any(),
                Err(_) => ().into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn Timeline(events: Vec<Event>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline">
            {events.into_iter().map(|e| view! {
                <li>
                    <p><strong>{i18n.t(e.to.label_key())}</strong>" · "{format_time(e.at)}" · "
                        {e.actor_name.clone()}" ("{i18n.t(e.actor_role.label_key())}")"</p>
                    {(!e.reason.is_empty()).then(|| view! { <p>{i18n.t("application.reason")}": "{e.reason.clone()}</p> })}
                    {(!e.note.is_empty()).then(|| view! { <p class="hint">{i18n.t("application.note")}": "{e.note.clone()}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// The forms for the actions the reader may take now.
#[component]
pub fn Actions(detail: ApplicationDetail, act_action: ServerAction<Act>) -> impl IntoView {
    let i18n = use_i18n();
    let form = use_form(act_action);
    let app = detail.application.clone();
    view! {
        <FormAlert form detailed=true />
        <div class="actions-list">
            {detail.actions.into_iter().map(|action| {
                let id = format!("reason-{}", action.as_str());
                let (label_key, field) = match action {
                    Action::RequestInfo | Action::Reject => ("application.reason_label", Some("reason")),
                    Action::Submit if app.status == Status::NeedsInfo => ("application.answer_label", Some("note")),
                    Action::Approve | Action::Complete => ("application.note_label", Some("note")),
                    _ => ("", None),
                };
                let danger = matches!(action, Action::Reject | Action::Withdraw);
                view! {
                    <ActionForm action=act_action attr:class="form compact">
                        <input type="hidden" name="application_id" value=app.id.to_string() />
                        <input type="hidden" name="version" value=app.version.to_string() />
                        <input type="hidden" name="action" value=action.as_str() />
                        {field.map(|name| view! {
                            <label for=id.clone()>{i18n.t(label_key)}</label>
                            <textarea id=id.clone() name=name rows="2"></textarea>
                        })}
                        <button type="submit" class=if danger { "button danger" } else { "button primary" }>{i18n.t(action.label_key())}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn ApplicationHeader(detail: ApplicationDetail) -> impl IntoView {
    let i18n = use_i18n();
    let a = detail.application.clone();
    view! {
        <leptos_meta::Title text=format!("{} {}", a.reference, i18n.t(a.kind.label_key())) />
        <h1>{i18n.t(a.kind.label_key())}</h1>
        <dl class="facts">
            <dt>{i18n.t("application.reference")}</dt><dd class="mono">{a.reference.clone()}</dd>
            <dt>{i18n.t("application.status")}</dt><dd><strong>{i18n.t(a.status.label_key())}</strong></dd>
            <dt>{i18n.t("application.applicant")}</dt><dd>{a.applicant_name.clone()}</dd>
            {a.assignee_name.clone().map(|n| view! { <dt>{i18n.t("application.assignee")}</dt><dd>{n}</dd> })}
        </dl>
    }
}

/// The kind's own part of the page, drawn by its service (nothing when it has none).
pub fn service_panel(detail: &ApplicationDetail, staff: bool, back: String) -> impl IntoView {
    let draw = service(detail.application.kind).panel;
    match (draw, detail.panel.clone()) {
        (Some(draw), Some(data)) => draw(PanelProps { application: detail.application.clone(), data, staff, back }),
        _ => ().into_any(),
    }
}

#[component]
pub fn MyApplicationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let act_action = ServerAction::<Act>::new();
    // Acting redirects back to this page: load the application again after every action.
    let detail = Resource::new(
        move || (params.get().get("reference").unwrap_or_default(), act_action.version().get()),
        |(reference, _)| get_application(reference),
    );
    view! {
        <Notice />
        <p><A href="/my">{i18n.t("my.back")}</A></p>
        {when_loaded(detail, move |d| view! {
                    <ApplicationHeader detail=d.clone() />
                    {service_panel(&d, false, String::new())}
                    <p class="hint">{i18n.t(&next_step_key(d.application.status))}</p>
                    <Actions detail=d.clone() act_action />
                    <h2>{i18n.t("application.timeline")}</h2>
                    <Timeline events=d.events.clone() />
        })}
    }
}

