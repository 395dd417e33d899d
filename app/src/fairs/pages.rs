//! Fair pages: the public list and a fair's page (with the booking and registration buttons for
//! who may use them), the case workers' list and form, and the employer's and the graduate's
//! own fairs. Every form is an `ActionForm`, so each page works without JavaScript.

use super::api::*;
use super::{Fair, FairFormat, FairPage as FairPageData, Viewer};
use crate::components::{use_form, Field, FormAlert, Notice, PageTitle, Submit};
use crate::i18n::{use_i18n, I18n};
use crate::shared::views::{when_loaded, AccessDenied, SelectField};
use crate::components::TextArea;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// "3 of 10 taken", or "3 taken" without a limit.
fn capacity(i18n: I18n, taken: i64, limit: Option<i64>) -> String {
    match limit {
        Some(limit) => i18n.t_args("fair.taken_of", &[("taken", &taken.to_string()), ("limit", &limit.to_string())]),
        None => i18n.t_args("fair.taken_unlimited", &[("taken", &taken.to_string())]),
    }
}

/// A fair as a line of a list.
#[component]
fn FairCard(fair: Fair) -> impl IntoView {
    let i18n = use_i18n();
    let title = fair.title.clone();
    view! {
        <li class="card">
            <h3 class="card-title"><A href=format!("/fairs/{}", fair.id)>{title}</A></h3>
            <p>{fair.when()}" · "{i18n.t(fair.format.label_key())}
                {(fair.format == FairFormat::Offline).then(|| format!(" · {}", fair.venue))}</p>
            <p class="hint">{i18n.t("fair.booths")}": "{capacity(i18n, fair.booths_taken, fair.booth_count)}</p>
        </li>
    }
}

/// The public list: upcoming fairs first, then the past ones.
#[component]
pub fn FairsPage() -> impl IntoView {
    let i18n = use_i18n();
    let fairs = Resource::new(|| (), |_| list_fairs());
    view! {
        <PageTitle key="fair.list_title" />
        <p class="lead">{i18n.t("fair.list_lead")}</p>
        {when_loaded(fairs, move |list| view! {
            <h2>{i18n.t("fair.upcoming")}</h2>
            {list.upcoming.is_empty().then(|| view! { <p class="empty">{i18n.t("fair.none_upcoming")}</p> })}
            <ul class="cards">{list.upcoming.into_iter().map(|fair| view! { <FairCard fair /> }).collect_view()}</ul>
            <h2>{i18n.t("fair.past")}</h2>
            {list.past.is_empty().then(|| view! { <p class="empty">{i18n.t("fair.none_past")}</p> })}
            <ul class="cards">{list.past.into_iter().map(|fair| view! { <FairCard fair /> }).collect_view()}</ul>
        })}
    }
}

/// The facts of a fair, as its page shows them.
#[component]
fn FairFacts(fair: Fair) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="facts">
            <dt>{i18n.t("fair.format")}</dt><dd>{i18n.t(fair.format.label_key())}</dd>
            <dt>{i18n.t("fair.when")}</dt><dd>{fair.when()}</dd>
            {match fair.format {
                FairFormat::Offline => view! { <dt>{i18n.t("fair.venue")}</dt><dd>{fair.venue.clone()}</dd> }.into_any(),
                // The address a case worker typed: a link for readers, marked as leaving the portal.
                FairFormat::Online => view! {
                    <dt>{i18n.t("fair.link")}</dt><dd><a href=fair.link.clone() rel="nofollow noopener noreferrer">{fair.link.clone()}</a></dd>
                }.into_any(),
            }}
            <dt>{i18n.t("fair.booths")}</dt><dd>{capacity(i18n, fair.booths_taken, fair.booth_count)}</dd>
            <dt>{i18n.t("fair.seats")}</dt><dd>{capacity(i18n, fair.seats_taken, fair.seat_count)}</dd>
        </dl>
    }
}

/// A one-button form posting `fair_id` (and where to come back to) to `action`.
macro_rules! fair_button {
    ($action:expr, $fair_id:expr, $back:expr, $class:literal, $label:expr) => {
        view! {
            <ActionForm action=$action attr:class="inline-form">
                <input type="hidden" name="fair_id" value=$fair_id.to_string() />
                <input type="hidden" name="back" value=$back />
                <button type="submit" class=$class>{$label}</button>
            </ActionForm>
        }
    };
}

/// A fair's page: its facts and description, what the reader may do, and the employers taking
/// part with their vacancies.
#[component]
pub fn FairPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let book = ServerAction::<BookBooth>::new();
    let unbook = ServerAction::<CancelBooth>::new();
    let register = ServerAction::<RegisterForFair>::new();
    let unregister = ServerAction::<CancelRegistration>::new();
    let forms = [use_form(book), use_form(unbook), use_form(register), use_form(unregister)];
    let id = move || params.get().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let page = Resource::new(
        move || (id(), book.version().get(), unbook.version().get(), register.version().get(), unregister.version().get()),
        |(id, ..)| get_fair_page(id),
    );
    view! {
        <p><A href="/fairs">{i18n.t("fair.back_to_list")}</A></p>
        <Notice />
        {forms.into_iter().map(|form| view! { <FormAlert form /> }).collect_view()}
        <Suspense>
            {move || page.get().map(|r| match r {
                Err(e) => view! { <h1>{i18n.t("fair.gone")}</h1><AccessDenied error=e /> }.into_any(),
                Ok(FairPageData { fair, participants, viewer, open }) => {
                    let back = format!("/fairs/{}", fair.id);
                    let fair_id = fair.id;
                    view! {
                        <leptos_meta::Title text=format!("{} · {}", fair.title, i18n.t("site.name")) />
                        <h1>{fair.title.clone()}</h1>
                        <FairFacts fair=fair.clone() />
                        <h2>{i18n.t("fair.description")}</h2>
                        <p class="prose">{fair.description.clone()}</p>
                        <section aria-labelledby="fair-take-part">
                            <h2 id="fair-take-part">{i18n.t("fair.take_part")}</h2>
                            {if !open {
                                view! { <p class="empty">{i18n.t("fair.closed")}</p> }.into_any()
                            } else {
                                match viewer {
                                    Viewer::Anyone => view! {
                                        <p>{i18n.t("fair.sign_in_hint")}" "<A href="/login">{i18n.t("nav.login")}</A></p>
                                    }.into_any(),
                                    Viewer::Staff => view! {
                                        <p><A href=format!("/staff/fairs/form?id={fair_id}") attr:class="button">{i18n.t("fair.edit")}</A></p>
                                    }.into_any(),
                                    Viewer::Graduate { registered: true } => view! {
                                        <p role="status">{i18n.t("fair.you_are_registered")}</p>
                                        {fair_button!(unregister, fair_id, back.clone(), "button", i18n.t("fair.unregister"))}
                                    }.into_any(),
                                    Viewer::Graduate { registered: false } => view! {
                                        {fair_button!(register, fair_id, back.clone(), "button primary", i18n.t("fair.register"))}
                                    }.into_any(),
                                    Viewer::Employer { booked: true, .. } => view! {
                                        <p role="status">{i18n.t("fair.you_have_a_booth")}</p>
                                        {fair_button!(unbook, fair_id, back.clone(), "button", i18n.t("fair.unbook"))}
                                    }.into_any(),
                                    Viewer::Employer { verified: false, .. } => view! {
                                        <p class="alert alert-info" role="status">{i18n.t("fair.not_verified")}</p>
                                    }.into_any(),
                                    Viewer::Employer { .. } => view! {
                                        {fair_button!(book, fair_id, back.clone(), "button primary", i18n.t("fair.book"))}
                                    }.into_any(),
                                }
                            }}
                        </section>
                        <h2>{i18n.t("fair.participants")}</h2>
                        {participants.is_empty().then(|| view! { <p class="empty">{i18n.t("fair.no_participants")}</p> })}
                        <ul class="cards">
                            {participants.into_iter().map(|p| view! {
                                <li class="card">
                                    <h3 class="card-title">{p.name.clone()}</h3>
                                    {p.vacancies.is_empty().then(|| view! { <p class="hint">{i18n.t("fair.no_vacancies")}</p> })}
                                    <ul>
                                        {p.vacancies.into_iter().map(|v| view! {
                                            <li><A href=format!("/vacancies/{}", v.id)>{v.title}</A></li>
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The case workers' list: every fair, each with its edit link, and the way to a new one.
#[component]
pub fn StaffFairsPage() -> impl IntoView {
    let i18n = use_i18n();
    let fairs = Resource::new(|| (), |_| staff_fairs());
    let row = move |fair: Fair| {
        let title = fair.title.clone();
        view! {
        <li class="card">
            <h3 class="card-title"><A href=format!("/fairs/{}", fair.id)>{title}</A></h3>
            <p>{fair.when()}" · "{i18n.t(fair.format.label_key())}</p>
            <p class="hint">{i18n.t("fair.booths")}": "{capacity(i18n, fair.booths_taken, fair.booth_count)}
                " · "{i18n.t("fair.seats")}": "{capacity(i18n, fair.seats_taken, fair.seat_count)}</p>
            <p><A href=format!("/staff/fairs/form?id={}", fair.id)>{i18n.t("fair.edit")}</A></p>
        </li>
        }
    };
    view! {
        <PageTitle key="fair.manage_title" />
        <p><A href="/staff">{i18n.t("queue.back")}</A></p>
        {when_loaded(fairs, move |list| view! {
            <p><A href="/staff/fairs/form" attr:class="button primary">{i18n.t("fair.new")}</A></p>
            <h2>{i18n.t("fair.upcoming")}</h2>
            {list.upcoming.is_empty().then(|| view! { <p class="empty">{i18n.t("fair.none_upcoming")}</p> })}
            <ul class="cards">{list.upcoming.into_iter().map(row).collect_view()}</ul>
            <h2>{i18n.t("fair.past")}</h2>
            {list.past.is_empty().then(|| view! { <p class="empty">{i18n.t("fair.none_past")}</p> })}
            <ul class="cards">{list.past.into_iter().map(row).collect_view()}</ul>
        })}
    }
}

#[component]
fn FairForm(existing: Option<Fair>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveFair>::new();
    let form = use_form(save);
    let e = existing.clone();
    let v = move |f: fn(&Fair) -> String| e.as_ref().map(f);
    let count = |n: Option<i64>| n.map(|n| n.to_string());
    view! {
        <ActionForm action=save attr:class="form wide" attr:novalidate=true>
            <FormAlert form />
            <input type="hidden" name="id" value=v(|x| x.id.to_string()).unwrap_or_default() />
            <Field form name="title" label="fair.title" value=v(|x| x.title.clone()) />
            <TextArea form name="description" label="fair.description" value=v(|x| x.description.clone()) />
            <SelectField form name="format" label="fair.format" options=&FairFormat::ALL selected=v(|x| x.format.to_string()) />
            <fieldset>
                <legend>{i18n.t("fair.offline_fields")}</legend>
                <Field form name="venue" label="fair.venue" required=false value=v(|x| x.venue.clone()) />
                <Field form name="booth_count" label="fair.booth_count" kind="number" required=false hint="fair.booth_count_hint"
                    value=existing.as_ref().and_then(|x| count(x.booth_count)) />
            </fieldset>
            <fieldset>
                <legend>{i18n.t("fair.online_fields")}</legend>
                <Field form name="link" label="fair.link" kind="url" required=false value=v(|x| x.link.clone()) />
            </fieldset>
            <Field form name="held_on" label="fair.held_on" kind="date" value=v(|x| x.held_on.clone()) />
            <div class="field-row">
                <Field form name="starts_at" label="fair.starts_at" kind="time" value=v(|x| x.starts_at.clone()) />
                <Field form name="ends_at" label="fair.ends_at" kind="time" value=v(|x| x.ends_at.clone()) />
            </div>
            <Field form name="seat_count" label="fair.seat_count" kind="number" required=false hint="fair.seat_count_hint"
                value=existing.as_ref().and_then(|x| count(x.seat_count)) />
            <Submit action=save label="fair.save" />
        </ActionForm>
    }
}

/// A new fair, or `?id=` to edit one.
#[component]
pub fn FairFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let existing = Resource::new(move || query.get().get("id").and_then(|id| id.parse::<i64>().ok()), fair_for_form);
    view! {
        <PageTitle key="fair.form_title" />
        <p><A href="/staff/fairs">{i18n.t("fair.back_to_manage")}</A></p>
        {when_loaded(existing, move |fair| view! { <FairForm existing=fair /> })}
    }
}

/// The fairs the reader holds a booth or a place at, with the cancel button while they are to
/// come. `back` is this page's own path.
#[component]
fn HeldFairs(title: &'static str, empty: &'static str, back: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let unbook = ServerAction::<CancelBooth>::new();
    let unregister = ServerAction::<CancelRegistration>::new();
    let (form_a, form_b) = (use_form(unbook), use_form(unregister));
    let mine = Resource::new(move || (unbook.version().get(), unregister.version().get()), |_| my_fairs());
    let graduate = back.starts_with("/my");
    view! {
        <PageTitle key=title />
        <Notice />
        <FormAlert form=form_a />
        <FormAlert form=form_b />
        <p><A href="/fairs">{i18n.t("fair.see_all")}</A></p>
        {when_loaded(mine, move |list| view! {
            {list.is_empty().then(|| view! { <p class="empty">{i18n.t(empty)}</p> })}
            <ul class="cards">
                {list.into_iter().map(|(fair, open)| {
                    let (fair_id, title) = (fair.id, fair.title.clone());
                    view! {
                        <li class="card">
                            <h2 class="card-title"><A href=format!("/fairs/{fair_id}")>{title}</A></h2>
                            <p>{fair.when()}" · "{i18n.t(fair.format.label_key())}" · "{fair.place().to_string()}</p>
                            {match (open, graduate) {
                                (false, _) => view! { <p class="hint">{i18n.t("fair.closed")}</p> }.into_any(),
                                (true, true) => fair_button!(unregister, fair_id, back, "button", i18n.t("fair.unregister")).into_any(),
                                (true, false) => fair_button!(unbook, fair_id, back, "button", i18n.t("fair.unbook")).into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The employer's booths.
#[component]
pub fn EmployerFairsPage() -> impl IntoView {
    view! { <HeldFairs title="fair.employer_title" empty="fair.no_booths" back="/employer/fairs" /> }
}

/// The graduate's places.
#[component]
pub fn MyFairsPage() -> impl IntoView {
    view! { <HeldFairs title="fair.my_title" empty="fair.no_places" back="/my/fairs" /> }
}
