//! The case workers' dashboard: a GET form for the period and place (so every view has an
//! address and works without JavaScript), the figures, two charts with their tables, and the
//! downloads.

use super::api::get_dashboard;
use super::chart;
use super::Dashboard;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::values::Place;
use crate::shared::views::{filter_options, AccessDenied};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.get().get(k).filter(|v| !v.is_empty());
    let data = Resource::new(move || (q("from"), q("to"), q("place")), |(from, to, place)| get_dashboard(from, to, place));
    let field_error = move |field: &'static str| {
        data.get().and_then(|r| r.err()).and_then(|e| e.field_key(field).map(|k| i18n.t(k)))
    };
    view! {
        <PageTitle key="report.title" />
        <form method="get" action="/staff/reports" class="filters">
            <label>{i18n.t("report.from")}
                <input type="date" name="from" value=move || q("from").unwrap_or_default()
                    aria-describedby="report-from-error" />
            </label>
            <label>{i18n.t("report.to")}
                <input type="date" name="to" value=move || q("to").unwrap_or_default() />
            </label>
            <label>{i18n.t("profile.household_place")}
                <select name="place">
                    <option value="">{i18n.t("report.every_place")}</option>
                    {filter_options::<Place>(Signal::derive(move || q("place")))}
                </select>
            </label>
            <button type="submit" class="button">{i18n.t("queue.filter")}</button>
        </form>
        <Suspense>
            <p class="error" role="alert" id="report-from-error" hidden=move || field_error("from").is_none() && field_error("to").is_none() && field_error("place").is_none()>
                {move || field_error("from").or_else(|| field_error("to")).or_else(|| field_error("place"))}
            </p>
            {move || data.get().map(|r| match r {
                Err(AppError::Invalid(_)) => ().into_any(),
                Err(e) => view! { <AccessDenied error=e /> }.into_any(),
                Ok(d) => view! { <Figures d /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Figures(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let query = d.period.query();
    let place = d.period.place.map(|p| i18n.t(p.label_key())).unwrap_or_else(|| i18n.t("report.every_place"));
    let weeks: Vec<(String, i64)> = d.decisions_per_week.iter().map(|(w, n)| (format!("{:02}-{:02}", w.month, w.day), *n)).collect();
    let kinds: Vec<(String, i64)> = d.by_kind.iter().map(|k| (k.kind.map(|kind| i18n.t(kind.label_key())).unwrap_or_default(), k.submitted)).collect();
    let stat = move |key: &'static str, value: String| view! {
        <div class="stat"><dt>{i18n.t(key)}</dt><dd>{value}</dd></div>
    };
    view! {
        <p class="hint">
            {i18n.t_args("report.period_text", &[("from", &d.period.from.to_string()), ("to", &d.period.to.to_string())])}" · "{place}
        </p>
        <p class="downloads">{i18n.t("report.download")}" "
            <a href=format!("/staff/reports/export?format=csv&{query}") download>"CSV"</a>" · "
            <a href=format!("/staff/reports/export?format=xlsx&{query}") download>"XLSX"</a>
        </p>
        <dl class="stats">
            {stat("report.registrations", d.registrations.to_string())}
            {stat("report.median_days", d.median_days_to_decision.map(|m| i18n.t_args("report.days", &[("n", &format!("{m:.1}"))])).unwrap_or_else(|| "—".into()))}
            {stat("report.vacancies_posted", d.vacancies_posted.to_string())}
            {stat("report.job_applications", d.job_applications.to_string())}
            {stat("report.traineeship_seats", format!("{} / {}", d.traineeship_seats.taken, d.traineeship_seats.offered))}
            {stat("report.training_seats", format!("{} / {}", d.training_seats.taken, d.training_seats.offered))}
        </dl>
        <p class="hint">{i18n.t("report.place_scope")}</p>

        <h2 id="by-kind">{i18n.t("report.by_kind")}</h2>
        <figure class="chart" aria-describedby="by-kind-table">
            <div inner_html=chart::bars(&i18n.t("report.by_kind"), &kinds)></div>
        </figure>
        {d.by_kind.is_empty().then(|| view! { <p class="empty">{i18n.t("report.nothing")}</p> })}
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="by-kind">
            <table class="table" id="by-kind-table">
                <thead><tr>
                    <th scope="col">{i18n.t("queue.kind")}</th>
                    <th scope="col">{i18n.t("report.submitted")}</th>
                    <th scope="col">{i18n.t("report.open")}</th>
                    <th scope="col">{i18n.t("report.approved")}</th>
                    <th scope="col">{i18n.t("report.rejected")}</th>
                    <th scope="col">{i18n.t("report.withdrawn")}</th>
                </tr></thead>
                <tbody>
                    {d.by_kind.iter().map(|k| view! {
                        <tr>
                            <th scope="row">{k.kind.map(|kind| i18n.t(kind.label_key())).unwrap_or_default()}</th>
                            <td>{k.submitted}</td><td>{k.open}</td><td>{k.approved}</td><td>{k.rejected}</td><td>{k.withdrawn}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2 id="per-week">{i18n.t("report.decisions_per_week")}</h2>
        <figure class="chart" aria-describedby="per-week-table">
            <div inner_html=chart::bars(&i18n.t("report.decisions_per_week"), &weeks)></div>
        </figure>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="per-week">
            <table class="table" id="per-week-table">
                <thead><tr><th scope="col">{i18n.t("report.week_of")}</th><th scope="col">{i18n.t("report.decisions")}</th></tr></thead>
                <tbody>
                    {d.decisions_per_week.iter().map(|(w, n)| view! { <tr><th scope="row">{w.to_string()}</th><td>{*n}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2 id="complaints">{i18n.t("report.complaints")}</h2>
        {d.complaints.is_empty().then(|| view! { <p class="empty">{i18n.t("report.nothing")}</p> })}
        <ul class="plain">
            {d.complaints.iter().map(|(c, n)| view! { <li>{i18n.t(c.label_key())}": "<strong>{*n}</strong></li> }).collect_view()}
        </ul>
    }
}
