//! The audit log for admins: search by who acted (part of their email), what they did, what it
//! was done to (part of the target) and a period of China Standard Time days, newest first, a
//! page at a time (`/admin/audit`); and the same rows as a CSV file (`/admin/audit.csv`, a plain
//! GET link with the page's query, so it works without JavaScript).

use crate::components::PageTitle;
use crate::error::{AppError, FieldErrors};
use crate::i18n::use_i18n;
use crate::shared::time::Date;
use crate::shared::views::{next_page_href, urlencode, when_loaded};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod ssr;

/// Entries on one page of the search.
pub const PAGE_SIZE: i64 = 50;

/// What the admin searches for, parsed: empty text means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Keyset paging: entries older than this id.
    pub after: Option<i64>,
}

impl AuditFilter {
    /// Reads the search form's fields (`actor`, `action`, `target`, `from`, `to`, `after`). The
    /// action is checked against the known ones on the server, where they are defined.
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> Result<AuditFilter, FieldErrors> {
        let text = |k: &str| get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        let mut errors = FieldErrors::new();
        let mut date = |k: &str| {
            let raw = text(k);
            if raw.is_empty() {
                return None;
            }
            Date::parse(&raw).map_err(|key| errors.add(k, key)).ok()
        };
        let (from, to) = (date("from"), date("to"));
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errors.add("to", "admin.audit_to_before_from");
            }
        }
        for field in ["actor", "target"] {
            if text(field).chars().count() > 200 {
                errors.add(field, "validation.text_too_long");
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(AuditFilter {
            actor: text("actor"),
            action: text("action"),
            target: text("target"),
            from,
            to,
            after: text("after").parse().ok().filter(|a: &i64| *a > 0),
        })
    }

    /// The Unix-time bounds `[start, end)` of the period: from the first day's midnight to the
    /// midnight after the last day, China Standard Time.
    pub fn bounds(&self) -> (Option<i64>, Option<i64>) {
        let midnight = |d: Date| d.days_from_epoch() * 86_400 - 8 * 3600;
        (self.from.map(midnight), self.to.map(|d| midnight(d) + 86_400))
    }
}

/// One line of the log as the admin sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    /// The actor's email, or none for the anonymous and the system.
    pub actor: Option<String>,
    pub action: String,
    /// The i18n key of the action's name, when it is one the portal knows.
    pub action_label: Option<String>,
    pub target: String,
    pub address: String,
}

/// A page of the search, with the choices of the action filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The id to continue after, when there are more.
    pub next: Option<i64>,
    /// (value, i18n key) of every action.
    pub actions: Vec<(String, String)>,
    /// What was wrong with the search, per field (then there are no entries).
    pub errors: FieldErrors,
}

/// One page of the search. Bad input comes back in `errors`, beside the form's choices, so the
/// page can show the form again with the messages next to the fields.
#[server(endpoint = "admin/audit")]
pub async fn search_audit(
    actor: String,
    action: String,
    target: String,
    from: String,
    to: String,
    after: Option<i64>,
) -> Result<AuditPage, AppError> {
    crate::ssr::require_role(&[crate::shared::identity::Role::Admin]).await?;
    let actions = crate::ssr::AuditAction::ALL.iter().map(|a| (a.as_str().to_string(), a.label_key().to_string())).collect();
    let fields = [("actor", actor), ("action", action), ("target", target), ("from", from), ("to", to), ("after", after.map(|a| a.to_string()).unwrap_or_default())];
    let parsed = AuditFilter::parse(|k| fields.iter().find(|(f, _)| *f == k).map(|(_, v)| v.clone()))
        .and_then(|f| ssr::check_action(&f).map(|_| f).map_err(|e| match e {
            AppError::Invalid(errors) => errors,
            _ => FieldErrors::new(),
        }));
    let filter = match parsed {
        Ok(filter) => filter,
        Err(errors) => return Ok(AuditPage { entries: Vec::new(), next: None, actions, errors }),
    };
    let state = crate::ssr::state()?;
    // One more than a page tells whether there is a next one.
    let mut entries = ssr::search(&state.pool, state.dialect, &filter, PAGE_SIZE + 1).await?;
    let next = (entries.len() as i64 > PAGE_SIZE).then(|| {
        entries.truncate(PAGE_SIZE as usize);
        entries.last().map(|e| e.id)
    }).flatten();
    Ok(AuditPage { entries, next, actions, errors: FieldErrors::new() })
}

/// A text or date filter with its label and its message.
#[component]
fn FilterInput(name: &'static str, label: &'static str, #[prop(default = "text")] kind: &'static str, value: String, error: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("audit-{name}");
    let error_id = format!("{id}-error");
    let invalid = error.is_some();
    view! {
        <div class="field" class:has-error=invalid>
            <label for=id.clone()>{i18n.t(label)}</label>
            <input id=id name=name type=kind value=value aria-invalid=invalid.then_some("true")
                aria-describedby=invalid.then(|| error_id.clone()) />
            {error.map(|k| view! { <p class="error" id=error_id role="alert">{i18n.t(&k)}</p> })}
        </div>
    }
}

/// `/admin/audit`: a GET form, so the search, its paging and the CSV link all work without
/// JavaScript and every search is an address to bookmark.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let results = Resource::new(
        move || (get("actor"), get("action"), get("target"), get("from"), get("to"), get("after").parse::<i64>().ok()),
        |(actor, action, target, from, to, after)| search_audit(actor, action, target, from, to, after),
    );
    view! {
        <PageTitle key="admin.audit_title" />
        <p><a href="/admin">{i18n.t("admin.title")}</a></p>
        {when_loaded(results, move |page| {
            let q = query.get_untracked();
            let value = |k: &str| q.get(k).unwrap_or_default();
            let chosen = value("action");
            let csv = {
                let pairs: Vec<String> = ["actor", "action", "target", "from", "to"].iter()
                    .filter_map(|k| q.get(k).filter(|v| !v.is_empty()).map(|v| format!("{k}={}", urlencode(&v))))
                    .collect();
                if pairs.is_empty() { "/admin/audit.csv".to_string() } else { format!("/admin/audit.csv?{}", pairs.join("&")) }
            };
            let next = page.next.map(|n| next_page_href("/admin/audit", &q, &n.to_string()));
            let paged = q.get("after").is_some();
            let first = {
                let pairs: Vec<String> = q.clone().into_iter().filter(|(k, _)| k != "after").map(|(k, v)| format!("{k}={}", urlencode(&v))).collect();
                format!("/admin/audit?{}", pairs.join("&"))
            };
            let failed = !page.errors.is_empty();
            let errors = page.errors.clone();
            view! {
                <form method="get" action="/admin/audit" class="form" role="search" aria-label=i18n.t("admin.audit_title")>
                    {failed.then(|| view! { <div class="alert alert-error" role="alert">{i18n.t("form.fix_errors")}</div> })}
                    <FilterInput name="actor" label="admin.audit_actor" value=value("actor") error=errors.get("actor").map(str::to_string) />
                    <div class="field" class:has-error=errors.get("action").is_some()>
                        <label for="audit-action">{i18n.t("admin.audit_action")}</label>
                        <select id="audit-action" name="action">
                            <option value="">{i18n.t("admin.audit_any_action")}</option>
                            {page.actions.iter().map(|(v, label)| view! {
                                <option value=v.clone() selected=*v == chosen>{i18n.t(label)}</option>
                            }).collect_view()}
                        </select>
                        {errors.get("action").map(|k| view! { <p class="error" role="alert">{i18n.t(k)}</p> })}
                    </div>
                    <FilterInput name="target" label="admin.audit_target" value=value("target") error=errors.get("target").map(str::to_string) />
                    <fieldset>
                        <legend>{i18n.t("admin.audit_period")}</legend>
                        <FilterInput name="from" label="admin.audit_from" kind="date" value=value("from") error=errors.get("from").map(str::to_string) />
                        <FilterInput name="to" label="admin.audit_to" kind="date" value=value("to") error=errors.get("to").map(str::to_string) />
                    </fieldset>
                    <button type="submit" class="button primary">{i18n.t("admin.audit_search")}</button>
                </form>
                {(!failed).then(|| view! {
                    <p><a class="button" href=csv.clone() download="audit-log.csv">{i18n.t("admin.audit_export")}</a></p>
                    {page.entries.is_empty().then(|| view! { <p class="empty">{i18n.t("admin.audit_none")}</p> })}
                    <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.t("admin.audit_results")>
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{i18n.t("admin.audit_time")}</th>
                                <th scope="col">{i18n.t("admin.audit_actor")}</th>
                                <th scope="col">{i18n.t("admin.audit_action")}</th>
                                <th scope="col">{i18n.t("admin.audit_target")}</th>
                                <th scope="col">{i18n.t("admin.audit_address")}</th>
                            </tr></thead>
                            <tbody>
                                {page.entries.clone().into_iter().map(|e| view! {
                                    <tr>
                                        <td>{crate::shared::time::format_time(e.at)}</td>
                                        <td>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                        <td>{e.action_label.map(|k| i18n.t(&k)).unwrap_or(e.action)}</td>
                                        <td class="mono">{e.target}</td>
                                        <td class="mono">{e.address}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <nav aria-label=i18n.t("admin.audit_pages")>
                        {paged.then(|| view! { <a class="button" href=first.clone()>{i18n.t("admin.audit_first")}</a>" " })}
                        {next.clone().map(|href| view! { <a class="button" href=href>{i18n.t("admin.audit_next")}</a> })}
                    </nav>
                })}
            }
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> Result<AuditFilter, FieldErrors> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        AuditFilter::parse(|k| map.get(k).cloned())
    }

    #[test]
    fn a_period_covers_whole_china_standard_time_days() {
        let f = parse(&[("from", "2026-01-02"), ("to", "2026-01-02")]).unwrap();
        let (start, end) = f.bounds();
        // 2026-01-02 00:00 +08:00 is 2026-01-01 16:00 UTC.
        assert_eq!(start, Some(1_767_283_200));
        assert_eq!(end, Some(1_767_283_200 + 86_400));
    }

    #[test]
    fn a_bad_date_or_a_period_ending_before_it_starts_is_refused_by_field() {
        assert_eq!(parse(&[("from", "2026-13-01")]).unwrap_err().get("from"), Some("validation.date_invalid"));
        assert_eq!(parse(&[("from", "2026-02-01"), ("to", "2026-01-01")]).unwrap_err().get("to"), Some("admin.audit_to_before_from"));
        assert_eq!(parse(&[]).unwrap(), AuditFilter::default());
    }
}
