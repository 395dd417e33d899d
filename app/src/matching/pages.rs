//! Matching's pages and panels: the "email me new matches" form under the vacancy search, the
//! graduate's saved searches, the vacancies that fit them on "My services", and a case worker's
//! list of fitting graduates for a vacancy. Every form is an `ActionForm`, so each works
//! without JavaScript.

use super::api::*;
use super::score::Reason;
use super::{SearchFields, MAX_SAVED_SEARCHES};
use crate::components::{use_form, FormAlert, Notice, PageTitle, Submit};
use crate::i18n::{use_i18n, I18n};
use crate::shared::identity::{use_me, Role};
use crate::shared::time::format_time;
use crate::shared::views::when_loaded;
use crate::vacancies::salary_text;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Why a vacancy or a graduate is listed, in words.
pub fn reason_text(i18n: I18n, r: &Reason) -> String {
    match r {
        Reason::Words(w) => i18n.t_args("matching.reason_words", &[("word", w)]),
        Reason::PreferredPlace => i18n.t("matching.reason_place"),
        Reason::HomePlace => i18n.t("matching.reason_home"),
        Reason::Salary => i18n.t("matching.reason_salary"),
        Reason::Degree => i18n.t("matching.reason_degree"),
    }
}

#[component]
fn Reasons(reasons: Vec<Reason>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="reasons" aria-label=i18n.t("matching.why")>
            {reasons.iter().map(|r| view! { <li class="badge">{reason_text(i18n, r)}</li> }).collect_view()}
        </ul>
    }
}

/// A saved search in a few words: "“会计” · 市中区 · ≥ 4,000".
fn summary(i18n: I18n, f: &SearchFields) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !f.q.is_empty() {
        parts.push(format!("“{}”", f.q));
    }
    parts.extend(f.category.map(|c| i18n.t(c.label_key())));
    parts.extend(f.place.map(|p| i18n.t(p.label_key())));
    parts.extend(f.salary.map(|s| i18n.t_args("matching.salary_from", &[("salary", &salary_text(s, s))])));
    parts.extend(f.education.map(|e| i18n.t(e.label_key())));
    parts.extend(f.kind.map(|k| i18n.t(k.label_key())));
    parts.join(" · ")
}

/// Under the vacancy search: a graduate saves it for a daily email of new matches; anyone else
/// signed out is told to sign in first.
#[component]
pub fn SaveSearchPanel() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let query = use_query_map();
    let q = move |k: &str| query.get().get(k).unwrap_or_default();
    let action = ServerAction::<SaveSearch>::new();
    let form = use_form(action);
    view! {
        <Suspense>
            {move || match me.get().map(|m| m.role) {
                Some(Role::Graduate) => view! {
                    <section class="save-search" aria-labelledby="save-search-heading">
                        <h2 id="save-search-heading">{i18n.t("matching.save_heading")}</h2>
                        <ActionForm action=action attr:class="form inline">
                            <FormAlert form detailed=true />
                            {["q", "category", "place", "salary", "education", "kind"].into_iter().map(|k| view! {
                                <input type="hidden" name=k value=q(k) />
                            }).collect_view()}
                            <p class="hint">{i18n.t("matching.save_hint")}</p>
                            <Submit action label="matching.save" />
                        </ActionForm>
                        <p><A href="/my/searches">{i18n.t("matching.my_searches")}</A></p>
                    </section>
                }.into_any(),
                None => {
                    // Back to this very search after signing in.
                    let params: Vec<String> = query.get().into_iter().map(|(k, v)| format!("{k}={}", super::encode(&v))).collect();
                    let next = super::encode(&format!("/vacancies?{}", params.join("&")));
                    view! {
                        <p class="hint"><A href=format!("/login?next={next}")>{i18n.t("matching.sign_in_to_save")}</A></p>
                    }.into_any()
                }
                Some(_) => ().into_any(),
            }}
        </Suspense>
    }
}

/// The graduate's saved searches: each with its search and a delete button.
#[component]
pub fn MySearchesPage() -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<DeleteSearch>::new();
    let form = use_form(delete);
    let list = Resource::new(move || delete.version().get(), |_| my_searches());
    view! {
        <PageTitle key="matching.searches_title" />
        <Notice />
        <p class="lead">{i18n.t_args("matching.searches_lead", &[("n", &MAX_SAVED_SEARCHES.to_string())])}</p>
        <FormAlert form />
        {when_loaded(list, move |rows| view! {
            {rows.is_empty().then(|| view! {
                <p class="empty">{i18n.t("matching.no_searches")}" "<A href="/vacancies">{i18n.t("matching.go_search")}</A></p>
            })}
            <ul class="cards">
                {rows.into_iter().map(|s| view! {
                    <li class="card">
                        <h2 class="card-title"><a href=s.fields.path()>{summary(i18n, &s.fields)}</a></h2>
                        <p class="hint">{i18n.t_args("matching.saved_at", &[("time", &format_time(s.created_at))])}</p>
                        <ActionForm action=delete attr:class="inline-form">
                            <input type="hidden" name="id" value=s.id.to_string() />
                            <button type="submit" class="button">{i18n.t("matching.delete")}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// On "My services": the listed vacancies that fit the graduate's profile, best first.
#[component]
pub fn RecommendedVacancies() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| recommended_vacancies());
    view! {
        <section aria-labelledby="recommended-heading">
            <h2 id="recommended-heading">{i18n.t("matching.recommended_title")}</h2>
            <p><A href="/my/searches">{i18n.t("matching.my_searches")}</A></p>
            {when_loaded(list, move |r| view! {
                {(!r.has_profile).then(|| view! { <p class="empty">{i18n.t("matching.profile_first")}" "<A href="/profile">{i18n.t("my.profile_link")}</A></p> })}
                {(r.has_profile && r.items.is_empty()).then(|| view! { <p class="empty">{i18n.t("matching.none_recommended")}</p> })}
                <ul class="cards">
                    {r.items.into_iter().map(|item| {
                        let v = item.vacancy;
                        view! {
                            <li class="card">
                                <h3 class="card-title"><A href=format!("/vacancies/{}", v.id)>{v.title.clone()}</A></h3>
                                <p>{v.employer_name.clone()}" · "{i18n.t(v.place.label_key())}" · "
                                    {i18n.t_args("vacancy.salary_value", &[("range", &salary_text(v.salary_min, v.salary_max))])}</p>
                                <Reasons reasons=item.reasons />
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// On a vacancy's page, for case workers: the way to the graduates who fit it.
#[component]
pub fn MatchesLink() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let id = use_params_map().get_untracked().get("id").unwrap_or_default();
    let on_page = crate::vacancies::pages::VacancyOnPage::get();
    view! {
        <Suspense>
            {move || (me.get().is_some_and(|m| m.role.is_staff()) && on_page.and_then(|v| v.open_kind()).is_some()).then(|| view! {
                <p><A href=format!("/staff/vacancies/{id}/matches") attr:class="button">{i18n.t("matching.staff_link")}</A></p>
            })}
        </Suspense>
    }
}

/// For case workers: the registered unemployed graduates who fit a vacancy, with why, and a
/// button to send it to each.
#[component]
pub fn VacancyMatchesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let vacancy_id = move || params.get().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let send = ServerAction::<SendVacancy>::new();
    let form = use_form(send);
    let data = Resource::new(move || (vacancy_id(), send.version().get()), |(id, _)| graduates_for_vacancy(id));
    view! {
        <PageTitle key="matching.staff_title" />
        <Notice />
        <FormAlert form />
        {when_loaded(data, move |m| view! {
            <p><A href=format!("/vacancies/{}", m.vacancy_id)>{m.title.clone()}</A></p>
            {(!m.listed).then(|| view! { <p class="empty">{i18n.t("matching.not_listed")}</p> })}
            {(m.listed && m.graduates.is_empty()).then(|| view! { <p class="empty">{i18n.t("matching.no_graduates")}</p> })}
            <ul class="cards">
                {m.graduates.into_iter().map(|g| view! {
                    <li class="card">
                        <h2 class="card-title"><A href=format!("/staff/graduates/{}", g.user_id)>{g.full_name.clone()}</A></h2>
                        <p><span class="mono">{g.masked_id.clone()}</span>" · "{i18n.t(g.degree.label_key())}" · "{i18n.t(g.household_place.label_key())}</p>
                        <Reasons reasons=g.reasons.clone() />
                        {if g.sent {
                            view! { <p class="hint">{i18n.t("matching.sent")}</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=send attr:class="inline-form">
                                    <input type="hidden" name="vacancy_id" value=m.vacancy_id.to_string() />
                                    <input type="hidden" name="graduate_id" value=g.user_id.to_string() />
                                    <Submit action=send label="matching.send" />
                                </ActionForm>
                            }.into_any()
                        }}
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// On a graduate's file: the vacancies case workers sent them, newest first.
#[component]
pub fn SentVacancies() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let list = Resource::new(move || params.get().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0), sent_vacancies);
    view! {
        <section aria-labelledby="sent-heading">
            <h2 id="sent-heading">{i18n.t("matching.sent_title")}</h2>
            {when_loaded(list, move |rows| view! {
                {rows.is_empty().then(|| view! { <p class="empty">{i18n.t("matching.none_sent")}</p> })}
                <ul class="timeline">
                    {rows.into_iter().map(|s| view! {
                        <li>
                            <p><strong><A href=format!("/vacancies/{}", s.vacancy_id)>{s.title.clone()}</A></strong></p>
                            <p class="hint">{i18n.t_args("matching.sent_by", &[("time", &format_time(s.sent_at)), ("name", &s.case_worker)])}</p>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
