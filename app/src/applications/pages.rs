//! Application pages: "what can I apply for", the graduate's own services and one
//! application's timeline, and the case workers' queue and decision page.

use super::api::*;
use super::eligibility::Eligibility;
use super::model::{Action, Kind, Status};
use super::{days_between, format_time, ApplicationDetail, Event};
use crate::components::{use_form, FormAlert, Notice, PageTitle};
use crate::followups::{follow_ups_of, FollowUpForm, FollowUpList};
use crate::i18n::use_i18n;
use crate::staff::AccessDenied;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

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
        <Suspense>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <AccessDenied error=e /> }.into_any(),
                Ok(items) => view! {
                    <ul class="cards">
                        {items.into_iter().map(|e| {
                            let kind = e.kind;
                            let eligible = e.eligible();
                            view! {
                                <li class="card">
                                    <h2 class="card-title">{i18n.t(&kind.label_key())}</h2>
                                    <p class=if eligible { "badge ok" } else { "badge no" }>
                                        {if eligible { i18n.t("eligibility.eligible") } else { i18n.t("eligibility.not_eligible") }}
                                    </p>
                                    <Checks eligibility=e />
                                    {match (kind.open_for_applications(), eligible) {
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
                }.into_any(),
            })}
        </Suspense>
    }
}

/// What the applicant should do next, for each status.
fn next_step_key(status: Status) -> String {
    format!("next.{}", status.as_str())
}

#[component]
pub fn MyServicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let apps = Resource::new(|| (), |_| my_applications());
    let me = crate::account::use_me();
    let follow_ups = Resource::new(move || me.get().map(|m| m.id), |id| async move {
        match id {
            Some(id) => follow_ups_of(id).await,
            None => Ok(Vec::new()),
        }
    });
    view! {
        <PageTitle key="my.title" />
        <Notice />
        <p><A href="/profile">{i18n.t("my.profile_link")}</A>" · "<A href="/eligibility">{i18n.t("my.eligibility_link")}</A>" · "<A href="/notifications">{i18n.t("nav.notifications")}</A></p>
        <Suspense>
            {move || apps.get().map(|r| match r {
                Err(e) => view! { <AccessDenied error=e /> }.into_any(),
                Ok(rows) => view! {
                    {rows.is_empty().then(|| view! { <p class="empty">{i18n.t("my.none")}" "<A href="/profile">{i18n.t("my.start")}</A></p> })}
                    <ul class="cards">
                        {rows.into_iter().map(|a| view! {
                            <li class="card">
                                <h2 class="card-title"><A href=format!("/my/applications/{}", a.reference)>{i18n.t(&a.kind.label_key())}</A></h2>
                                <p><span class="mono">{a.reference.clone()}</span>" · "<strong class=format!("status status-{}", a.status.as_str())>{i18n.t(&a.status.label_key())}</strong></p>
                                <p class="hint">{i18n.t(&next_step_key(a.status))}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
            <h2>{i18n.t("followup.title")}</h2>
            {move || follow_ups.get().map(|r| match r {
                Ok(items) => view! { <FollowUpList items /> }.into_any(),
                Err(_) => ().into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Timeline(events: Vec<Event>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline">
            {events.into_iter().map(|e| view! {
                <li>
                    <p><strong>{i18n.t(&e.to.label_key())}</strong>" · "{format_time(e.at)}" · "
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
fn Actions(detail: ApplicationDetail, act_action: ServerAction<Act>) -> impl IntoView {
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
                        <button type="submit" class=if danger { "button danger" } else { "button primary" }>{i18n.t(&action.label_key())}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn ApplicationHeader(detail: ApplicationDetail) -> impl IntoView {
    let i18n = use_i18n();
    let a = detail.application.clone();
    view! {
        <leptos_meta::Title text=format!("{} {}", a.reference, i18n.t(&a.kind.label_key())) />
        <h1>{i18n.t(&a.kind.label_key())}</h1>
        <dl class="facts">
            <dt>{i18n.t("application.reference")}</dt><dd class="mono">{a.reference.clone()}</dd>
            <dt>{i18n.t("application.status")}</dt><dd><strong>{i18n.t(&a.status.label_key())}</strong></dd>
            <dt>{i18n.t("application.applicant")}</dt><dd>{a.applicant_name.clone()}</dd>
            {a.assignee_name.clone().map(|n| view! { <dt>{i18n.t("application.assignee")}</dt><dd>{n}</dd> })}
        </dl>
        {detail.certificate.clone().map(|(number, code)| view! {
            <div class="alert alert-success">
                {i18n.t("certificate.issued_notice")}" "
                <A href=format!("/certificates/{number}")>{number.clone()}</A>
                " · "{i18n.t("certificate.code")}": "<span class="mono">{code}</span>
            </div>
        })}
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
        <Suspense>
            {move || detail.get().map(|r| match r {
                Err(e) => view! { <AccessDenied error=e /> }.into_any(),
                Ok(d) => view! {
                    <ApplicationHeader detail=d.clone() />
                    <p class="hint">{i18n.t(&next_step_key(d.application.status))}</p>
                    <Actions detail=d.clone() act_action />
                    <h2>{i18n.t("application.timeline")}</h2>
                    <Timeline events=d.events.clone() />
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn StaffApplicationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let location = use_location();
    let act_action = ServerAction::<Act>::new();
    let assign = ServerAction::<AssignToMe>::new();
    let view_data = Resource::new(
        move || (params.get().get("reference").unwrap_or_default(), act_action.version().get(), assign.version().get()),
        |(reference, _, _)| get_staff_view(reference),
    );
    view! {
        <Notice />
        <p><A href="/staff">{i18n.t("queue.back")}</A></p>
        <Suspense>
            {move || view_data.get().map(|r| match r {
                Err(e) => view! { <AccessDenied error=e /> }.into_any(),
                Ok(StaffView { detail: d, profile, eligibility }) => {
                    let a = d.application.clone();
                    let back = location.pathname.get_untracked();
                    view! {
                        <ApplicationHeader detail=d.clone() />
                        <p>
                            <A href=format!("/staff/graduates/{}", a.applicant_id)>{i18n.t("queue.open_graduate")}</A>
                        </p>
                        {a.status.is_open().then(|| view! {
                            <ActionForm action=assign attr:class="inline-form">
                                <input type="hidden" name="application_id" value=a.id.to_string() />
                                <button type="submit" class="button">{i18n.t("queue.assign_to_me")}</button>
                            </ActionForm>
                        })}
                        <crate::staff::graduate::ApplicantSummary user_id=a.applicant_id profile eligibility />
                        {d.certificate.clone().map(|(number, _)| view! {
                            <h2>{i18n.t("certificate.title")}</h2>
                            <crate::certificates::RevokeForm number back=back.clone() />
                        })}
                        <h2>{i18n.t("application.decide")}</h2>
                        <Actions detail=d.clone() act_action />
                        <h2>{i18n.t("application.timeline")}</h2>
                        <Timeline events=d.events.clone() />
                        <h2>{i18n.t("followup.log_title")}</h2>
                        <FollowUpForm graduate_id=a.applicant_id back=back />
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The queue: one list across all kinds, filtered by a GET form so every view has an address.
#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.get().get(k).filter(|v| !v.is_empty());
    let page = Resource::new(
        move || (q("kind"), q("status"), q("assignee"), q("place"), q("min_days"), q("after")),
        |(kind, status, assignee, place, min_days, after)| queue(kind, status, assignee, place, min_days, after),
    );
    let selected = move |k: &'static str, v: &'static str| move || q(k).as_deref() == Some(v);
    view! {
        <PageTitle key="queue.title" />
        <Notice />
        <p><A href="/staff/employers">{i18n.t("staff.pending_employers")}</A>" · "<A href="/staff/follow-ups">{i18n.t("followup.uncontacted_title")}</A></p>
        <form method="get" action="/staff" class="filters">
            <label>{i18n.t("queue.kind")}
                <select name="kind">
                    <option value="">{i18n.t("queue.all")}</option>
                    {Kind::ALL.into_iter().map(|k| view! { <option value=k.as_str() selected=selected("kind", k.as_str())>{i18n.t(&k.label_key())}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n.t("queue.status")}
                <select name="status">
                    <option value="">{i18n.t("queue.open")}</option>
                    {Status::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=selected("status", s.as_str())>{i18n.t(&s.label_key())}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n.t("queue.assignee")}
                <select name="assignee">
                    <option value="any">{i18n.t("queue.anyone")}</option>
                    <option value="me" selected=selected("assignee", "me")>{i18n.t("queue.me")}</option>
                    <option value="none" selected=selected("assignee", "none")>{i18n.t("queue.unassigned")}</option>
                </select>
            </label>
            <label>{i18n.t("profile.household_place")}
                <select name="place">
                    <option value="">{i18n.t("queue.all")}</option>
                    {crate::jobseeker::profile::PLACES.into_iter().map(|p| view! { <option value=p selected=selected("place", p)>{i18n.t(&format!("place.{p}"))}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n.t("queue.min_days")}
                <input name="min_days" type="number" min="0" max="3650" value=move || q("min_days").unwrap_or_default() />
            </label>
            <button type="submit" class="button">{i18n.t("queue.filter")}</button>
        </form>
        <Suspense>
            {move || page.get().map(|r| match r {
                Err(crate::error::AppError::Invalid(_)) => view! { <div class="alert alert-error" role="alert">{i18n.t("queue.bad_filter")}</div> }.into_any(),
                Err(e) => view! { <AccessDenied error=e /> }.into_any(),
                Ok(p) => {
                    let now = p.now;
                    let next = p.next.clone().map(|cursor| {
                        let mut params: Vec<(String, String)> = query.get_untracked().into_iter().filter(|(k, _)| k != "after").map(|(k, v)| (k.to_string(), v)).collect();
                        params.push(("after".into(), cursor));
                        let qs: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
                        format!("/staff?{}", qs.join("&"))
                    });
                    view! {
                        {p.rows.is_empty().then(|| view! { <p class="empty">{i18n.t("queue.empty")}</p> })}
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{i18n.t("application.reference")}</th>
                                    <th scope="col">{i18n.t("queue.kind")}</th>
                                    <th scope="col">{i18n.t("application.applicant")}</th>
                                    <th scope="col">{i18n.t("profile.household_place")}</th>
                                    <th scope="col">{i18n.t("queue.status")}</th>
                                    <th scope="col">{i18n.t("queue.waiting")}</th>
                                    <th scope="col">{i18n.t("application.assignee")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.rows.into_iter().map(|a| view! {
                                        <tr>
                                            <td><A href=format!("/staff/applications/{}", a.reference)>{a.reference.clone()}</A></td>
                                            <td>{i18n.t(&a.kind.label_key())}</td>
                                            <td>{a.applicant_name.clone()}</td>
                                            <td>{i18n.t(&format!("place.{}", a.household_place))}</td>
                                            <td>{i18n.t(&a.status.label_key())}</td>
                                            <td>{i18n.t_args("queue.days", &[("n", &days_between(a.submitted_at.unwrap_or(now), now).to_string())])}</td>
                                            <td>{a.assignee_name.clone().unwrap_or_else(|| "—".into())}</td>
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

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
