//! Hiring pages: applying on a vacancy's page, the graduate's applications in "My services",
//! and the employer's applicants of one vacancy. Every form is an `ActionForm`, so each works
//! without JavaScript.

use super::api::*;
use super::{Applicant, JobApplication, Progress, Stage, StageAction, StageEvent, MOVES};
use crate::applications::machine::allowed;
use crate::components::{use_form, FormAlert, Notice, PageTitle, Submit};
use crate::i18n::use_i18n;
use crate::shared::identity::{use_me, Role};
use crate::shared::time::format_time;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// Where an application stands, with the interview when there is one.
#[component]
fn StageLine(p: Progress) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p><strong class=format!("status status-{}", p.status.as_str())>{i18n.t(p.status.label_key())}</strong></p>
        {(p.status == Stage::Interview).then(|| view! {
            <p>{i18n.t_args("hiring.interview_line", &[
                ("at", &p.interview_at.clone().unwrap_or_default().replace('T', " ")),
                ("place", &p.interview_place.clone().unwrap_or_default()),
            ])}</p>
        })}
    }
}

#[component]
fn StageTimeline(events: Vec<StageEvent>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline">
            {events.into_iter().map(|e| view! {
                <li>
                    <p><strong>{i18n.t(e.to_status.label_key())}</strong>" · "{format_time(e.at)}</p>
                    {(!e.reason.is_empty()).then(|| view! { <p>{i18n.t("hiring.note")}": "{e.reason.clone()}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// On a published vacancy's page (the vacancy from the route): the graduate's application to
/// it, or the form to apply; a visitor is asked to sign in; employers and staff see nothing.
#[component]
pub fn ApplyPanel() -> impl IntoView {
    let i18n = use_i18n();
    let vacancy_id = use_params_map().get_untracked().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let me = use_me();
    let apply = ServerAction::<ApplyToVacancy>::new();
    let form = use_form(apply);
    let mine = Resource::new(move || apply.version().get(), move |_| my_application_for(vacancy_id));
    let on_page = crate::vacancies::pages::VacancyOnPage::get();
    let login = format!("/login?next=%2Fvacancies%2F{vacancy_id}");
    view! {
        <Suspense>
            {move || {
                let mine = mine.get();
                // A traineeship position takes sign-ups through its own panel instead.
                let kind = on_page?.open_kind()?;
                if kind == crate::vacancies::VacancyKind::Traineeship {
                    return None;
                }
                let login = login.clone();
                Some(view! {
                    <section class="apply" aria-labelledby="apply-heading">
                        <h2 id="apply-heading">{i18n.t("hiring.apply_heading")}</h2>
                        {match me.get().map(|m| m.role) {
                            None => view! { <p><A href=login>{i18n.t("hiring.sign_in_to_apply")}</A></p> }.into_any(),
                            Some(Role::Graduate) => mine.map(|r| match r {
                                Ok(Some(a)) => view! {
                                    <p>{i18n.t("hiring.applied_on")}" "{format_time(a.progress.created_at)}</p>
                                    <StageLine p=a.progress.clone() />
                                    <p><A href="/my">{i18n.t("hiring.see_in_my")}</A></p>
                                }.into_any(),
                                _ => view! {
                                    <ActionForm action=apply attr:class="form">
                                        <FormAlert form />
                                        <input type="hidden" name="vacancy_id" value=vacancy_id.to_string() />
                                        <div class="field">
                                            <label for="f-cover_note">{i18n.t("hiring.cover_note")}</label>
                                            <textarea id="f-cover_note" name="cover_note" rows="4" maxlength="1000"
                                                aria-describedby="cover-hint">{move || form.value("cover_note").get()}</textarea>
                                            <p class="hint" id="cover-hint">{i18n.t("hiring.shares_profile")}</p>
                                            <p class="error" role="alert" hidden=move || form.field_error("cover_note").get().is_none()>
                                                {move || form.field_error("cover_note").get().map(|k| i18n.t(&k))}
                                            </p>
                                        </div>
                                        <Submit action=apply label="hiring.apply" />
                                    </ActionForm>
                                }.into_any(),
                            }).unwrap_or_else(|| ().into_any()),
                            Some(_) => ().into_any(),
                        }}
                    </section>
                })
            }}
        </Suspense>
    }
}

/// The graduate's applications to vacancies, for "My services": status, timeline, and the
/// graduate's own moves (withdraw; confirm a hire).
#[component]
pub fn MyJobApplications() -> impl IntoView {
    let i18n = use_i18n();
    let respond = ServerAction::<Respond>::new();
    let form = use_form(respond);
    let list = Resource::new(move || respond.version().get(), |_| my_job_applications());
    view! {
        <h2>{i18n.t("hiring.my_heading")}</h2>
        <FormAlert form detailed=true />
        {when_loaded(list, move |items: Vec<JobApplication>| view! {
            {items.is_empty().then(|| view! { <p class="empty">{i18n.t("hiring.my_none")}" "<A href="/vacancies">{i18n.t("hiring.find_vacancies")}</A></p> })}
            <ul class="cards">
                {items.into_iter().map(|a| {
                    let p = a.progress.clone();
                    let can_withdraw = allowed(MOVES, p.status, Role::Graduate).contains(&StageAction::Withdraw);
                    let to_confirm = p.status == Stage::Hired && p.confirmed_at.is_none();
                    view! {
                        <li class="card">
                            <h3 class="card-title"><A href=format!("/vacancies/{}", a.vacancy_id)>{a.vacancy_title.clone()}</A></h3>
                            <p class="meta">{a.employer_name.clone()}</p>
                            <StageLine p=a.progress.clone() />
                            {to_confirm.then(|| view! {
                                <p class="alert alert-info">{i18n.t("hiring.confirm_hint")}</p>
                                <ActionForm action=respond attr:class="inline-form">
                                    <input type="hidden" name="id" value=a.id.to_string() />
                                    <input type="hidden" name="version" value=p.version.to_string() />
                                    <input type="hidden" name="response" value="confirm" />
                                    <button type="submit" class="button primary">{i18n.t("hiring.confirm")}</button>
                                </ActionForm>
                            })}
                            {p.confirmed_at.map(|_| view! { <p class="hint">{i18n.t("hiring.confirmed")}</p> })}
                            <details>
                                <summary>{i18n.t("hiring.history")}</summary>
                                <StageTimeline events=a.events.clone() />
                            </details>
                            {can_withdraw.then(|| view! {
                                <ActionForm action=respond attr:class="inline-form">
                                    <input type="hidden" name="id" value=a.id.to_string() />
                                    <input type="hidden" name="version" value=p.version.to_string() />
                                    <input type="hidden" name="response" value="withdraw" />
                                    <button type="submit" class="button">{i18n.t("stage_action.withdraw")}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// One applicant's card with the one form for the employer's next move.
#[component]
fn ApplicantCard(a: Applicant, move_action: ServerAction<MoveApplicant>) -> impl IntoView {
    let i18n = use_i18n();
    let p = a.progress.clone();
    let actions = allowed(MOVES, p.status, Role::Employer);
    let id = a.id;
    let field_id = move |suffix: &str| format!("a{id}-{suffix}");
    view! {
        <li class="card">
            <h3 class="card-title">{a.full_name.clone()}</h3>
            <dl class="facts">
                <dt>{i18n.t("profile.resident_id")}</dt><dd class="mono">{a.masked_id.clone()}</dd>
                <dt>{i18n.t("profile.age")}</dt><dd>{a.age}</dd>
                <dt>{i18n.t("profile.school")}</dt><dd>{a.school.clone()}" · "{a.major.clone()}</dd>
                <dt>{i18n.t("profile.degree")}</dt><dd>{i18n.t(a.degree.label_key())}</dd>
                <dt>{i18n.t("profile.graduation_date")}</dt><dd>{a.graduation_date.clone()}</dd>
                <dt>{i18n.t("profile.phone")}</dt><dd>{a.phone.clone()}</dd>
                <dt>{i18n.t("account.email")}</dt><dd>{a.email.clone()}</dd>
                <dt>{i18n.t("hiring.applied_on")}</dt><dd>{format_time(p.created_at)}</dd>
            </dl>
            {(!p.cover_note.is_empty()).then(|| view! { <p class="prose">{p.cover_note.clone()}</p> })}
            <StageLine p=a.progress.clone() />
            {p.confirmed_at.map(|_| view! { <p class="hint">{i18n.t("hiring.confirmed_by_graduate")}</p> })}
            {(!actions.is_empty()).then(|| view! {
                <ActionForm action=move_action attr:class="form compact">
                    <input type="hidden" name="id" value=a.id.to_string() />
                    <input type="hidden" name="version" value=p.version.to_string() />
                    <div class="field">
                        <label for=field_id("action")>{i18n.t("hiring.next_step")}</label>
                        <select id=field_id("action") name="action">
                            {actions.iter().map(|act| view! { <option value=act.as_str()>{i18n.t(act.label_key())}</option> }).collect_view()}
                        </select>
                    </div>
                    {actions.contains(&StageAction::Interview).then(|| view! {
                        <fieldset>
                            <legend>{i18n.t("hiring.interview_fields")}</legend>
                            <div class="field">
                                <label for=field_id("at")>{i18n.t("hiring.interview_at")}</label>
                                <input type="datetime-local" id=field_id("at") name="interview_at" value=p.interview_at.clone().unwrap_or_default() />
                            </div>
                            <div class="field">
                                <label for=field_id("place")>{i18n.t("hiring.interview_place")}</label>
                                <input type="text" id=field_id("place") name="interview_place" maxlength="200" value=p.interview_place.clone().unwrap_or_default() />
                            </div>
                        </fieldset>
                    })}
                    <div class="field">
                        <label for=field_id("note")>{i18n.t("hiring.note_to_graduate")}</label>
                        <textarea id=field_id("note") name="note" rows="2" maxlength="500"></textarea>
                    </div>
                    <button type="submit" class="button primary">{i18n.t("hiring.move")}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// `/employer/vacancies/:id/applicants`: one of the employer's vacancies and who applied.
#[component]
pub fn ApplicantsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let move_action = ServerAction::<MoveApplicant>::new();
    let form = use_form(move_action);
    let data = Resource::new(
        move || (params.get().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0), move_action.version().get()),
        |(id, _)| vacancy_applicants(id),
    );
    view! {
        <PageTitle key="hiring.applicants_title" />
        <p><A href="/employer/vacancies">{i18n.t("hiring.back_to_vacancies")}</A></p>
        <Notice />
        <FormAlert form detailed=true />
        {when_loaded(data, move |d: super::Applicants| view! {
            <h2><A href=format!("/vacancies/{}", d.vacancy_id)>{d.title.clone()}</A></h2>
            {d.applicants.is_empty().then(|| view! { <p class="empty">{i18n.t("hiring.no_applicants")}</p> })}
            <ul class="cards">
                {d.applicants.into_iter().map(|a| view! { <ApplicantCard a move_action /> }).collect_view()}
            </ul>
        })}
    }
}
