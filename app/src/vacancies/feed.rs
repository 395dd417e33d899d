//! What machines read about vacancies (server only): an Atom feed of the newest published
//! vacancies (`/vacancies/feed.xml`, taking the search page's filters as query parameters) so
//! graduates and schools can subscribe, and the schema.org `JobPosting` data each vacancy page
//! carries for search engines.

use super::ssr::{search, SearchFilters};
use super::{Vacancy, VacancyCard, VacancyKind};
use crate::error::AppError;
use crate::shared::time::Date;
use crate::ssr::{now, AppState};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/vacancies/feed.xml", get(feed))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// RFC 3339 at midnight China Standard Time of a `YYYY-MM-DD` day, or of a Unix time.
fn rfc3339(unix: i64) -> String {
    let local = unix + 8 * 3600;
    let date = Date::from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}+08:00", secs / 3600, (secs % 3600) / 60, secs % 60)
}

async fn feed(State(state): State<AppState>, Query(params): Query<HashMap<String, String>>) -> Result<Response, AppError> {
    // The search page's parsing, newest first, first page.
    let filters = SearchFilters { by_salary: false, page: 1, ..SearchFilters::from_form(|k| params.get(k).cloned()) };
    let t = now();
    let today = Date::today_from_unix(t).to_string();
    let page = search(&state.pool, state.dialect, &filters, &today).await?;
    let base = &state.settings.base_url;
    let self_link = {
        let mut pairs: Vec<(&String, &String)> = params.iter().collect();
        pairs.sort();
        let qs: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", xml_escape(k), xml_escape(v))).collect();
        if qs.is_empty() { format!("{base}/vacancies/feed.xml") } else { format!("{base}/vacancies/feed.xml?{}", qs.join("&amp;")) }
    };
    let entry = |v: &VacancyCard| {
        format!(
            "<entry><id>{base}/vacancies/{id}</id><title>{title}</title><link href=\"{base}/vacancies/{id}\"/>\
             <updated>{updated}</updated><author><name>{employer}</name></author>\
             <summary>{employer} · {salary_min}–{salary_max} 元/月 · {until}</summary></entry>",
            id = v.id,
            title = xml_escape(&v.title),
            updated = rfc3339(t),
            employer = xml_escape(&v.employer_name),
            salary_min = v.salary_min,
            salary_max = v.salary_max,
            until = xml_escape(&v.expires_on),
        )
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <id>{self_link}</id><title>乐山高校毕业生就业服务网 · 招聘岗位 / Leshan graduate vacancies</title>\
         <link rel=\"self\" href=\"{self_link}\"/><link href=\"{base}/vacancies\"/><updated>{updated}</updated>{entries}</feed>\n",
        updated = rfc3339(t),
        entries = page.rows.iter().map(entry).collect::<String>(),
    );
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], body).into_response())
}

/// The schema.org `JobPosting` of a vacancy, as JSON-LD safe to put inside a `<script>`.
pub fn job_posting_json_ld(v: &Vacancy, base_url: &str) -> String {
    let employment_type = match v.kind {
        VacancyKind::Job => "FULL_TIME",
        VacancyKind::Traineeship => "INTERN",
    };
    let data = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": v.title,
        "description": v.description,
        "datePosted": rfc3339(v.created_at),
        "validThrough": format!("{}T23:59:59+08:00", v.expires_on),
        "employmentType": employment_type,
        "hiringOrganization": { "@type": "Organization", "name": v.employer_name },
        "jobLocation": { "@type": "Place", "address": {
            "@type": "PostalAddress", "addressLocality": v.place.as_str(), "addressRegion": "四川省乐山市", "addressCountry": "CN" } },
        "baseSalary": { "@type": "MonetaryAmount", "currency": "CNY", "value": {
            "@type": "QuantitativeValue", "minValue": v.salary_min, "maxValue": v.salary_max, "unitText": "MONTH" } },
        "totalJobOpenings": v.headcount,
        "url": format!("{base_url}/vacancies/{}", v.id),
    });
    // `</script>` inside a string must not end the element.
    data.to_string().replace("</", "<\\/")
}
