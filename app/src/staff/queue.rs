//! The case workers' side of applications: the queue across every kind, and one application
//! with the applicant's file, the kind's panel, the decision forms, the timeline and a
//! follow-up form.

use super::graduate::ApplicantSummary;
use crate::applications::api::*;
use crate::applications::model::{Kind, Status};
use crate::applications::pages::{service_panel, Actions, ApplicationHeader, Timeline};
use crate::components::{Notice, PageTitle};
use crate::error::AppError;
use crate::followups::FollowUpForm;
use crate::i18n::use_i18n;
use crate::shared::time::days_between;
use crate::shared::values::Place;
use crate::shared::views::{filter_options, next_page_href, urlencode, AccessDenied};
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr::{now, pool, require_staff};

/// What a case worker sees beside an application: the applicant's profile (ID masked) and
/// eligibility for the kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffView {
    pub detail: crate::applications::ApplicationDetail,
    pub profile: Option<crate::jobseeker::profile::Profile>,
    pub eligibility: crate::applications::eligibility::Eligibility,
}

#[server(endpoint = "applications/staff_view")]
pub async fn get_staff_view(reference: String) -> Result<StaffView, AppError> {
    use crate::applications::{eligibility::evaluate, ssr as q};
    require_staff().await?;
    let detail = get_application(reference).await?;
    let applicant = detail.application.applicant_id;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let facts = q::facts(&mut conn, applicant).await?;
    let policy = crate::policy::ssr::load(&mut conn).await?;
    Ok(StaffView {
        profile: crate::jobseeker::ssr::load_profile(&pool, applicant, None).await?,
        eligibility: evaluate(detail.application.kind, &facts, &policy, crate::shared::time::Date::today_from_unix(now())),
        detail,
    })
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
        {when_loaded(view_data, move |StaffView { detail: d, profile, eligibility }| {
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
                        <ApplicantSummary user_id=a.applicant_id profile eligibility />
                        {service_panel(&d, true, back.clone())}
                        <h2>{i18n.t("application.decide")}</h2>
                        <Actions detail=d.clone() act_action />
                        <h2>{i18n.t("application.timeline")}</h2>
                        <Timeline events=d.events.clone() />
                        <h2>{i18n.t("followup.log_title")}</h2>
                        <FollowUpForm graduate_id=a.applicant_id back=back />
                    }.into_any()
                })}
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
    // The whole selection, not the page on screen: the filters without the page cursor.
    let download = move |format: &str| {
        let filters: Vec<String> = query.get().into_iter().filter(|(k, _)| k != "after").map(|(k, v)| format!("&{k}={}", urlencode(&v))).collect();
        format!("/staff/queue/export?format={format}{}", filters.concat())
    };
    view! {
        <PageTitle key="queue.title" />
        <Notice />
        <p><A href="/staff/employers">{i18n.t("staff.pending_employers")}</A>" · "<A href="/staff/vacancies">{i18n.t("vacancy.review_title")}</A>" · "<A href="/staff/follow-ups">{i18n.t("followup.uncontacted_title")}</A>" · "<A href="/staff/identity">{i18n.t("conflict.queue_link")}</A>" · "<A href="/staff/complaints">{i18n.t("complaint.queue_title")}</A></p>
        <form method="get" action="/staff" class="filters">
            <label>{i18n.t("queue.kind")}
                <select name="kind">
                    <option value="">{i18n.t("queue.all")}</option>
                    {filter_options::<Kind>(Signal::derive(move || q("kind")))}
                </select>
            </label>
            <label>{i18n.t("queue.status")}
                <select name="status">
                    <option value="">{i18n.t("queue.open")}</option>
                    {filter_options::<Status>(Signal::derive(move || q("status")))}
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
                    {filter_options::<Place>(Signal::derive(move || q("place")))}
                </select>
            </label>
            <label>{i18n.t("queue.min_days")}
                <input name="min_days" type="number" min="0" max="3650" value=move || q("min_days").unwrap_or_default() />
            </label>
            <button type="submit" class="button">{i18n.t("queue.filter")}</button>
        </form>
        <p class="downloads">{i18n.t("report.queue_download")}" "
            <a href=move || download("csv") download>"CSV"</a>" · "
            <a href=move || download("xlsx") download>"XLSX"</a>
        </p>
        <Suspense>
            {move || page.get().map(|r| match r {
                Err(crate::error::AppError::Invalid(_)) => view! { <div class="alert alert-error" role="alert">{i18n.t("queue.bad_filter")}</div> }.into_any(),
                Err(e) => view! { <AccessDenied error=e /> }.into_any(),
                Ok(p) => {
                    let now = p.now;
                    let next = p.next.clone().map(|cursor| next_page_href("/staff", &query.get_untracked(), &cursor));
                    view! {
                        {p.rows.is_empty().then(|| view! { <p class="empty">{i18n.t("queue.empty")}</p> })}
                        <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.t("queue.title")>
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
                                            <td>{i18n.t(a.kind.label_key())}</td>
                                            <td>{a.applicant_name.clone()}</td>
                                            <td>{i18n.t(a.household_place.label_key())}</td>
                                            <td>{i18n.t(a.status.label_key())}</td>
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

