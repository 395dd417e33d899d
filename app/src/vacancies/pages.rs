//! Vacancy pages: the public search and a vacancy's page, the employer's postings and form, the
//! case workers' review of flagged postings, and the admins' screening rules. Every form is a
//! plain GET or an `ActionForm`, so each page works without JavaScript.

use super::api::*;
use super::screening::{highlight, RuleKind};
use super::{salary_text, Category, Education, Vacancy, VacancyKind, VacancyStatus, MAX_PAGE};
use crate::error::AppError;
use crate::components::{use_form, Field, FormAlert, Notice, PageTitle, Submit, TextArea};
use crate::i18n::use_i18n;
use crate::shared::time::format_date;
use crate::shared::values::Place;
use crate::shared::views::{filter_options, urlencode, when_loaded, AccessDenied, SelectField};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};


/// The public search: a keyword box and filters in one GET form, so every search has an address.
/// `children` is what other areas add under the form (saving the search), composed by the
/// router so this folder does not depend on them.
#[component]
pub fn VacanciesPage(#[prop(optional)] children: Option<ChildrenFn>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.get().get(k).filter(|v| !v.is_empty());
    let results = Resource::new(
        move || (q("q"), q("category"), q("place"), q("salary"), q("education"), q("kind"), q("sort"), q("page")),
        |(kw, category, place, salary, education, kind, sort, page)| search_vacancies(kw, category, place, salary, education, kind, sort, page),
    );
    let page_link = move |page: i64| {
        let mut params: Vec<String> =
            query.get_untracked().into_iter().filter(|(k, _)| k != "page").map(|(k, v)| format!("{k}={}", urlencode(&v))).collect();
        params.push(format!("page={page}"));
        format!("/vacancies?{}", params.join("&"))
    };
    view! {
        <PageTitle key="vacancy.search_title" />
        <p class="lead">{i18n.t("vacancy.search_lead")}</p>
        <form method="get" action="/vacancies" class="filters" role="search">
            <label class="wide">{i18n.t("vacancy.keyword")}
                <input type="search" name="q" maxlength="64" value=move || q("q").unwrap_or_default() placeholder=i18n.t("vacancy.keyword_hint") />
            </label>
            <label>{i18n.t("vacancy.category")}
                <select name="category"><option value="">{i18n.t("queue.all")}</option>{filter_options::<Category>(Signal::derive(move || q("category")))}</select>
            </label>
            <label>{i18n.t("vacancy.place")}
                <select name="place"><option value="">{i18n.t("queue.all")}</option>{filter_options::<Place>(Signal::derive(move || q("place")))}</select>
            </label>
            <label>{i18n.t("vacancy.salary_at_least")}
                <input type="number" name="salary" min="0" step="500" value=move || q("salary").unwrap_or_default() />
            </label>
            <label>{i18n.t("vacancy.education")}
                <select name="education"><option value="">{i18n.t("queue.all")}</option>{filter_options::<Education>(Signal::derive(move || q("education")))}</select>
            </label>
            <label>{i18n.t("vacancy.kind")}
                <select name="kind"><option value="">{i18n.t("queue.all")}</option>{filter_options::<VacancyKind>(Signal::derive(move || q("kind")))}</select>
            </label>
            <label>{i18n.t("vacancy.sort")}
                <select name="sort">
                    <option value="newest">{i18n.t("vacancy.sort_newest")}</option>
                    <option value="salary" selected=move || q("sort").as_deref() == Some("salary")>{i18n.t("vacancy.sort_salary")}</option>
                </select>
            </label>
            <button type="submit" class="button primary">{i18n.t("vacancy.search")}</button>
        </form>
        {children.as_ref().map(|c| c())}
        {when_loaded(results, move |p| {
            let count = if p.more {
                i18n.t_args("vacancy.count_more", &[("n", &super::COUNT_CAP.to_string())])
            } else {
                i18n.t_args("vacancy.count", &[("n", &p.total.to_string())])
            };
            let (prev, next) = ((p.page > 1).then(|| page_link(p.page - 1)), (p.has_next && p.page < MAX_PAGE).then(|| page_link(p.page + 1)));
            view! {
                <p role="status">{count}</p>
                {p.rows.is_empty().then(|| view! { <p class="empty">{i18n.t("vacancy.none_found")}</p> })}
                <ul class="cards">
                    {p.rows.into_iter().map(|v| view! {
                        <li class="card">
                            <h2 class="card-title"><A href=format!("/vacancies/{}", v.id)>{v.title.clone()}</A></h2>
                            <p>{v.employer_name.clone()}" · "{i18n.t(v.place.label_key())}" · "{i18n.t(v.category.label_key())}</p>
                            <p><strong>{i18n.t_args("vacancy.salary_value", &[("range", &salary_text(v.salary_min, v.salary_max))])}</strong>
                                " · "{i18n.t(v.education.label_key())}
                                {(v.kind == VacancyKind::Traineeship).then(|| view! { " · "<span class="badge">{i18n.t(v.kind.label_key())}</span> })}</p>
                            <p class="hint">{i18n.t_args("vacancy.until", &[("date", &v.expires_on)])}</p>
                        </li>
                    }).collect_view()}
                </ul>
                <nav class="pager" aria-label=i18n.t("vacancy.pages")>
                    {prev.map(|href| view! { <a href=href class="button" rel="prev">{i18n.t("vacancy.prev_page")}</a> })}
                    {next.map(|href| view! { <a href=href class="button" rel="next">{i18n.t("vacancy.next_page")}</a> })}
                </nav>
            }
        })}
    }
}

/// The facts of a vacancy, as its page shows them.
#[component]
fn VacancyFacts(v: Vacancy) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="facts">
            <dt>{i18n.t("vacancy.employer")}</dt><dd>{v.employer_name.clone()}</dd>
            <dt>{i18n.t("vacancy.category")}</dt><dd>{i18n.t(v.category.label_key())}</dd>
            <dt>{i18n.t("vacancy.place")}</dt><dd>{i18n.t(v.place.label_key())}</dd>
            <dt>{i18n.t("vacancy.salary")}</dt><dd>{i18n.t_args("vacancy.salary_value", &[("range", &salary_text(v.salary_min, v.salary_max))])}</dd>
            <dt>{i18n.t("vacancy.education")}</dt><dd>{i18n.t(v.education.label_key())}</dd>
            <dt>{i18n.t("vacancy.headcount")}</dt><dd>{v.headcount}</dd>
            <dt>{i18n.t("vacancy.kind")}</dt><dd>{i18n.t(v.kind.label_key())}</dd>
            {(v.kind == VacancyKind::Traineeship).then(|| view! {
                <dt>{i18n.t("vacancy.seats")}</dt><dd>{v.seats.unwrap_or(0)}</dd>
                <dt>{i18n.t("vacancy.period_months")}</dt><dd>{v.period_months.unwrap_or(0)}</dd>
                <dt>{i18n.t("vacancy.stipend")}</dt><dd>{i18n.t_args("vacancy.salary_value", &[("range", &salary_text(v.stipend.unwrap_or(0), v.stipend.unwrap_or(0)))])}</dd>
            })}
            <dt>{i18n.t("vacancy.expires_on")}</dt><dd>{v.expires_on.clone()}</dd>
        </dl>
    }
}

/// A vacancy's page. `children` is what other areas add below a published vacancy's text (the
/// application form), composed by the router so this folder does not depend on them.
#[component]
pub fn VacancyPage(#[prop(optional)] children: Option<ChildrenFn>) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let vacancy = Resource::new(move || params.get().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0), get_vacancy_page);
    provide_context(VacancyOnPage(vacancy));
    // Built here, once, beside the vacancy's own resource (see `VacancyOnPage`).
    let panels = children.map(|c| c());
    view! {
        <p><A href="/vacancies">{i18n.t("vacancy.back_to_search")}</A></p>
        <Notice />
        <Suspense>
            {move || vacancy.get().map(|r| match r {
                // Closed, expired or never there: say so under a heading of its own.
                Err(e) => view! { <h1>{i18n.t("vacancy.gone")}</h1><AccessDenied error=e /> }.into_any(),
                Ok(VacancyPageData { vacancy: v, json_ld }) => view! {
                    <leptos_meta::Title text=format!("{} · {}", v.title, i18n.t("site.name")) />
                    <script type="application/ld+json" inner_html=json_ld></script>
                    <h1>{v.title.clone()}</h1>
                    {(v.status != VacancyStatus::Published).then(|| view! {
                        <p class="alert alert-info" role="status">{i18n.t("vacancy.status")}": "{i18n.t(v.status.label_key())}</p>
                    })}
                    <VacancyFacts v=v.clone() />
                    <h2>{i18n.t("vacancy.description")}</h2>
                    <p class="prose">{v.description.clone()}</p>
                }.into_any(),
            })}
        </Suspense>
        {panels}
        <Suspense>
            {move || vacancy.get().and_then(Result::ok).map(|d| view! {
                <p class="hint">{i18n.t("vacancy.report_hint")}" "
                    <A href=format!("/complaints?vacancy={}", d.vacancy.id)>{i18n.t("vacancy.report_link")}</A></p>
            })}
        </Suspense>
    }
}

/// The vacancy a page shows, for the panels other folders add below it (who is hiring,
/// applying, signing up). The page builds the panels once, next to its own resource, and each
/// panel reads the vacancy from here inside its own `<Suspense>`. Panels built inside the
/// page's `<Suspense>`, after the vacancy had arrived, made their resources too late for the
/// server to wait on them: the page went out without their data and did not hydrate.
#[derive(Clone, Copy)]
pub struct VacancyOnPage(Resource<Result<VacancyPageData, AppError>>);

impl VacancyOnPage {
    /// The page's vacancy, from context; `None` outside a vacancy page.
    pub fn get() -> Option<Self> {
        use_context::<Self>()
    }

    /// The vacancy's kind once it has arrived and while it is published (the only time panels
    /// show). Tracked: call it inside the panel's `<Suspense>`.
    pub fn open_kind(self) -> Option<VacancyKind> {
        self.0.with(|r| match r {
            Some(Ok(d)) if d.vacancy.status == VacancyStatus::Published => Some(d.vacancy.kind),
            _ => None,
        })
    }
}

/// The employer's postings with their status, and the way to a new one.
#[component]
pub fn EmployerVacanciesPage() -> impl IntoView {
    let i18n = use_i18n();
    let close = ServerAction::<CloseVacancy>::new();
    let form = use_form(close);
    let mine = Resource::new(move || close.version().get(), |_| my_vacancies());
    view! {
        <PageTitle key="vacancy.mine_title" />
        <Notice />
        <FormAlert form detailed=true />
        {when_loaded(mine, move |(state, list)| view! {
            {(!state.verified).then(|| view! { <p class="alert alert-info" role="status">{i18n.t("vacancy.not_verified")}</p> })}
            {state.suspended.map(|reason| view! {
                <p class="alert alert-error" role="status">{i18n.t("vacancy.employer_suspended")}" "{reason}</p>
            })}
            <p><A href="/employer/vacancies/form" attr:class="button primary">{i18n.t("vacancy.new")}</A></p>
            {list.is_empty().then(|| view! { <p class="empty">{i18n.t("vacancy.none_yet")}</p> })}
            <ul class="cards">
                {list.into_iter().map(|v| view! {
                    <li class="card">
                        <h2 class="card-title"><A href=format!("/vacancies/{}", v.id)>{v.title.clone()}</A></h2>
                        <p><strong class=format!("status status-{}", v.status.as_str())>{i18n.t(v.status.label_key())}</strong>
                            " · "{i18n.t_args("vacancy.until", &[("date", &v.expires_on)])}</p>
                        {(!v.review_note.is_empty()).then(|| view! { <p>{i18n.t("application.reason")}": "{v.review_note.clone()}</p> })}
                        <p>
                            {(!matches!(v.status, VacancyStatus::PendingReview | VacancyStatus::Suspended)).then(|| view! {
                                <A href=format!("/employer/vacancies/form?id={}", v.id)>{i18n.t("vacancy.edit")}</A>" · "
                            })}
                            <A href=format!("/employer/vacancies/{}/applicants", v.id)>{i18n.t("hiring.applicants_link")}</A>
                        </p>
                        {(v.status == VacancyStatus::Published).then(|| view! {
                            <ActionForm action=close attr:class="inline-form">
                                <input type="hidden" name="id" value=v.id.to_string() />
                                <input type="hidden" name="version" value=v.version.to_string() />
                                <button type="submit" class="button">{i18n.t("vacancy_action.close")}</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn VacancyForm(existing: Option<Vacancy>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveVacancy>::new();
    let form = use_form(save);
    let e = existing.clone();
    let v = move |f: fn(&Vacancy) -> String| e.as_ref().map(f);
    let opt = |n: Option<i64>| n.map(|n| n.to_string());
    view! {
        <ActionForm action=save attr:class="form wide" attr:novalidate=true>
            <FormAlert form />
            <input type="hidden" name="id" value=v(|x| x.id.to_string()).unwrap_or_default() />
            <input type="hidden" name="version" value=v(|x| x.version.to_string()).unwrap_or_default() />
            <Field form name="title" label="vacancy.title" value=v(|x| x.title.clone()) />
            <TextArea form name="description" label="vacancy.description" value=v(|x| x.description.clone()) />
            <SelectField form name="category" label="vacancy.category" options=&Category::ALL selected=v(|x| x.category.to_string()) />
            <SelectField form name="place" label="vacancy.place" options=&Place::ALL selected=v(|x| x.place.to_string()) />
            <div class="field-row">
                <Field form name="salary_min" label="vacancy.salary_min" kind="number" value=v(|x| x.salary_min.to_string()) />
                <Field form name="salary_max" label="vacancy.salary_max" kind="number" value=v(|x| x.salary_max.to_string()) />
            </div>
            <SelectField form name="education" label="vacancy.education" options=&Education::ALL selected=v(|x| x.education.to_string()) />
            <Field form name="headcount" label="vacancy.headcount" kind="number" value=v(|x| x.headcount.to_string()) />
            <SelectField form name="kind" label="vacancy.kind" options=&VacancyKind::ALL selected=v(|x| x.kind.to_string()) />
            <fieldset>
                <legend>{i18n.t("vacancy.traineeship_fields")}</legend>
                <Field form name="seats" label="vacancy.seats" kind="number" required=false value=existing.as_ref().and_then(|x| opt(x.seats)) />
                <Field form name="period_months" label="vacancy.period_months" kind="number" required=false value=existing.as_ref().and_then(|x| opt(x.period_months)) />
                <Field form name="stipend" label="vacancy.stipend" kind="number" required=false value=existing.as_ref().and_then(|x| opt(x.stipend)) />
            </fieldset>
            <Field form name="expires_on" label="vacancy.expires_on" kind="date" value=v(|x| x.expires_on.clone()) />
            <fieldset>
                <legend>{i18n.t("vacancy.intent")}</legend>
                <div class="check"><input type="radio" id="intent-publish" name="intent" value="publish" checked=true />
                    <label for="intent-publish">{i18n.t("vacancy.intent_publish")}</label></div>
                <div class="check"><input type="radio" id="intent-draft" name="intent" value="draft" />
                    <label for="intent-draft">{i18n.t("vacancy.intent_draft")}</label></div>
            </fieldset>
            <p class="hint">{i18n.t("vacancy.screening_hint")}</p>
            <Submit action=save label="vacancy.save" />
        </ActionForm>
    }
}

/// New posting, or `?id=` to edit one.
#[component]
pub fn VacancyFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let existing = Resource::new(
        move || query.get().get("id").and_then(|id| id.parse::<i64>().ok()),
        |id| async move {
            match id {
                Some(id) => get_vacancy(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <PageTitle key="vacancy.form_title" />
        <p><A href="/employer/vacancies">{i18n.t("vacancy.back_to_mine")}</A></p>
        {when_loaded(existing, move |v| view! { <VacancyForm existing=v /> })}
    }
}

/// Flagged postings with the rules they matched and the words highlighted.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideVacancy>::new();
    let form = use_form(decide);
    let queue = Resource::new(move || decide.version().get(), |_| review_queue());
    view! {
        <PageTitle key="vacancy.review_title" />
        <p><A href="/staff">{i18n.t("queue.back")}</A></p>
        <Notice />
        <FormAlert form detailed=true />
        {when_loaded(queue, move |list| view! {
            {list.is_empty().then(|| view! { <p class="empty">{i18n.t("vacancy.review_empty")}</p> })}
            <ul class="cards">
                {list.into_iter().map(|v| {
                    let words: Vec<String> = v.screening.0.iter().flat_map(|f| f.words.clone()).collect();
                    let marked = |text: &str| highlight(text, &words).into_iter().map(|(piece, hit)| {
                        if hit { view! { <mark>{piece}</mark> }.into_any() } else { piece.into_any() }
                    }).collect_view();
                    let reason_id = format!("reason-{}", v.id);
                    view! {
                        <li class="card">
                            <h2 class="card-title">{marked(&v.title)}</h2>
                            <p>{v.employer_name.clone()}" · "{i18n.t_args("vacancy.salary_value", &[("range", &salary_text(v.salary_min, v.salary_max))])}
                                " · "{i18n.t(v.category.label_key())}" · "{format_date(v.created_at)}</p>
                            <ul class="checks">
                                {v.screening.0.iter().map(|f| view! {
                                    <li class="no">{i18n.t(f.kind.label_key())}
                                        {(!f.words.is_empty()).then(|| format!(": {}", f.words.join("、")))}</li>
                                }).collect_view()}
                            </ul>
                            <p class="prose">{marked(&v.description)}</p>
                            <ActionForm action=decide attr:class="inline-form">
                                <input type="hidden" name="id" value=v.id.to_string() />
                                <input type="hidden" name="version" value=v.version.to_string() />
                                <input type="hidden" name="decision" value="approve" />
                                <button type="submit" class="button primary">{i18n.t("vacancy_action.approve")}</button>
                            </ActionForm>
                            <ActionForm action=decide attr:class="form compact">
                                <input type="hidden" name="id" value=v.id.to_string() />
                                <input type="hidden" name="version" value=v.version.to_string() />
                                <input type="hidden" name="decision" value="reject" />
                                <label for=reason_id.clone()>{i18n.t("application.reason_label")}</label>
                                <textarea id=reason_id name="reason" rows="2"></textarea>
                                <button type="submit" class="button danger">{i18n.t("vacancy_action.reject")}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The screening rules: add a word, switch a rule off or on.
#[component]
pub fn ScreeningRulesPage() -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddScreeningRule>::new();
    let toggle = ServerAction::<SetScreeningRuleActive>::new();
    let form = use_form(add);
    let rules = Resource::new(move || (add.version().get(), toggle.version().get()), |_| screening_rules());
    view! {
        <PageTitle key="screening.title" />
        <p><A href="/admin">{i18n.t("nav.admin")}</A></p>
        <Notice />
        <p class="lead">{i18n.t("screening.lead")}</p>
        <ActionForm action=add attr:class="form" attr:novalidate=true>
            <FormAlert form />
            <SelectField form name="kind" label="screening.kind" options=&RuleKind::WORDS />
            <Field form name="pattern" label="screening.pattern" />
            <Submit action=add label="screening.add" />
        </ActionForm>
        {when_loaded(rules, move |list| view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.t("screening.title")>
                <table class="table">
                    <thead><tr>
                        <th scope="col">{i18n.t("screening.kind")}</th>
                        <th scope="col">{i18n.t("screening.pattern")}</th>
                        <th scope="col">{i18n.t("screening.state")}</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|r| view! {
                            <tr>
                                <td>{i18n.t(r.kind.label_key())}</td>
                                <td>{r.pattern.clone()}</td>
                                <td>
                                    <ActionForm action=toggle attr:class="inline-form">
                                        <input type="hidden" name="id" value=r.id.to_string() />
                                        <input type="hidden" name="active" value=(!r.active).to_string() />
                                        <button type="submit" class="button">
                                            {if r.active { i18n.t("screening.switch_off") } else { i18n.t("screening.switch_on") }}
                                        </button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}
