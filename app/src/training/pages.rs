//! Training pages: the public list and a programme's page (with enrollment for graduates),
//! the case workers' institutions, programme form and roster with results, and the graduate's
//! courses in "My services" with the subsidy they can claim. Every form is an `ActionForm`, so
//! each page works without JavaScript.

use super::api::*;
use super::service::formula;
use super::{yuan, Institution, MyEnrollment, Programme, ProgrammeKind, ProgrammePage as PageData, TrainingLevel, TrainingResult, Viewer};
use crate::components::{use_form, Field, FormAlert, Notice, PageTitle, Submit, TextArea};
use crate::i18n::{use_i18n, I18n};
use crate::shared::time::format_time;
use crate::shared::values::Place;
use crate::shared::views::{when_loaded, AccessDenied, SelectField};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// "3 of 10 seats left".
fn seats_text(i18n: I18n, p: &Programme) -> String {
    i18n.t_args("training.seats_left", &[("left", &p.seats_left().to_string()), ("seats", &p.seats.to_string())])
}

fn fee_text(i18n: I18n, fen: i64) -> String {
    if fen == 0 {
        i18n.t("training.free")
    } else {
        format!("{} {}", yuan(fen), i18n.t("training.yuan"))
    }
}

#[component]
fn ProgrammeCard(programme: Programme) -> impl IntoView {
    let i18n = use_i18n();
    let p = programme;
    let seats = seats_text(i18n, &p);
    let eligible = p.eligible();
    let dates = format!("{} – {}", p.starts_on, p.ends_on);
    view! {
        <li class="card">
            <h3 class="card-title"><A href=format!("/training/{}", p.id)>{p.title.clone()}</A></h3>
            <p>{i18n.t(p.kind.label_key())}" · "{p.occupation.clone()}" · "{i18n.t(p.level.label_key())}</p>
            <p>{dates}" · "{i18n.t(p.place.label_key())}" · "{p.institution_name.clone()}</p>
            <p class="hint">{seats}" · "{fee_text(i18n, p.fee_fen)}
                {eligible.then(|| view! { " " <span class="badge ok">{i18n.t("training.subsidy_eligible")}</span> })}</p>
        </li>
    }
}

/// The public list of programmes open for enrollment.
#[component]
pub fn TrainingPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| list_programmes());
    view! {
        <PageTitle key="training.list_title" />
        <p class="lead">{i18n.t("training.list_lead")}</p>
        {when_loaded(list, move |rows| {
            let (skills, startup): (Vec<_>, Vec<_>) = rows.into_iter().partition(|p| p.kind == ProgrammeKind::Skills);
            view! {
                <h2>{i18n.t("training.skills_heading")}</h2>
                {skills.is_empty().then(|| view! { <p class="empty">{i18n.t("training.none_upcoming")}</p> })}
                <ul class="cards">{skills.into_iter().map(|programme| view! { <ProgrammeCard programme /> }).collect_view()}</ul>
                <h2>{i18n.t("training.startup_heading")}</h2>
                {startup.is_empty().then(|| view! { <p class="empty">{i18n.t("training.none_upcoming")}</p> })}
                <ul class="cards">{startup.into_iter().map(|programme| view! { <ProgrammeCard programme /> }).collect_view()}</ul>
            }
        })}
    }
}

#[component]
fn ProgrammeFacts(programme: Programme) -> impl IntoView {
    let i18n = use_i18n();
    let p = programme;
    view! {
        <dl class="facts">
            <dt>{i18n.t("training.kind")}</dt><dd>{i18n.t(p.kind.label_key())}</dd>
            <dt>{i18n.t("training.institution")}</dt><dd>{p.institution_name.clone()}</dd>
            <dt>{i18n.t("training.occupation")}</dt><dd>{p.occupation.clone()}</dd>
            <dt>{i18n.t("training.level")}</dt><dd>{i18n.t(p.level.label_key())}</dd>
            <dt>{i18n.t("training.dates")}</dt><dd>{format!("{} – {}", p.starts_on, p.ends_on)}</dd>
            <dt>{i18n.t("training.place")}</dt><dd>{i18n.t(p.place.label_key())}" · "{p.venue.clone()}</dd>
            <dt>{i18n.t("training.fee")}</dt><dd>{fee_text(i18n, p.fee_fen)}</dd>
            <dt>{i18n.t("training.seats")}</dt><dd>{seats_text(i18n, &p)}</dd>
            <dt>{i18n.t("training.subsidy")}</dt>
            <dd>{if p.eligible() { i18n.t("training.subsidy_yes") } else { i18n.t("training.subsidy_no") }}</dd>
        </dl>
    }
}

/// A one-button form posting `programme_id` (and where to come back to) to `action`.
macro_rules! programme_button {
    ($action:expr, $id:expr, $back:expr, $class:literal, $label:expr) => {
        view! {
            <ActionForm action=$action attr:class="inline-form">
                <input type="hidden" name="programme_id" value=$id.to_string() />
                <input type="hidden" name="back" value=$back />
                <button type="submit" class=$class>{$label}</button>
            </ActionForm>
        }
    };
}

/// A programme's page: facts, description and enrollment.
#[component]
pub fn ProgrammePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let enroll = ServerAction::<Enroll>::new();
    let cancel = ServerAction::<CancelEnrollment>::new();
    let forms = [use_form(enroll), use_form(cancel)];
    let id = move || params.get().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let page = Resource::new(move || (id(), enroll.version().get(), cancel.version().get()), |(id, ..)| get_programme_page(id));
    view! {
        <p><A href="/training">{i18n.t("training.back_to_list")}</A></p>
        <Notice />
        {forms.into_iter().map(|form| view! { <FormAlert form detailed=true /> }).collect_view()}
        <Suspense>
            {move || page.get().map(|r| match r {
                Err(e) => view! { <h1>{i18n.t("training.gone")}</h1><AccessDenied error=e /> }.into_any(),
                Ok(PageData { programme, viewer, open }) => {
                    let pid = programme.id;
                    let back = format!("/training/{pid}");
                    let full = programme.seats_left() == 0;
                    view! {
                        <leptos_meta::Title text=format!("{} · {}", programme.title, i18n.t("site.name")) />
                        <h1>{programme.title.clone()}</h1>
                        <ProgrammeFacts programme=programme.clone() />
                        {(!programme.description.is_empty()).then(|| view! {
                            <h2>{i18n.t("training.description")}</h2>
                            <p class="prose">{programme.description.clone()}</p>
                        })}
                        <section aria-labelledby="training-enroll">
                            <h2 id="training-enroll">{i18n.t("training.enroll_heading")}</h2>
                            {match (viewer, open) {
                                (Viewer::Staff, _) => view! {
                                    <p>
                                        <A href=format!("/staff/training/form?id={pid}") attr:class="button">{i18n.t("training.edit")}</A>" "
                                        <A href=format!("/staff/training/{pid}") attr:class="button">{i18n.t("training.roster")}</A>
                                    </p>
                                }.into_any(),
                                (_, false) => view! { <p class="empty">{i18n.t("training.closed")}</p> }.into_any(),
                                (Viewer::Anyone, true) => view! {
                                    <p>{i18n.t("training.sign_in_hint")}" "<A href="/login">{i18n.t("nav.login")}</A></p>
                                }.into_any(),
                                (Viewer::Other, true) => view! { <p class="hint">{i18n.t("training.graduates_only")}</p> }.into_any(),
                                (Viewer::Graduate { enrolled: true }, true) => view! {
                                    <p role="status">{i18n.t("training.you_are_enrolled")}</p>
                                    {programme_button!(cancel, pid, back.clone(), "button danger", i18n.t("training.cancel"))}
                                }.into_any(),
                                (Viewer::Graduate { enrolled: false }, true) if full => view! {
                                    <p class="empty">{i18n.t("training.full_now")}</p>
                                }.into_any(),
                                (Viewer::Graduate { enrolled: false }, true) => view! {
                                    <p class="hint">{i18n.t("training.enroll_hint")}</p>
                                    {programme_button!(enroll, pid, back.clone(), "button primary", i18n.t("training.enroll"))}
                                }.into_any(),
                            }}
                        </section>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The case workers' page: the institutions (and a form to add one) and every programme.
#[component]
pub fn StaffTrainingPage() -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddInstitution>::new();
    let form = use_form(add);
    let overview = Resource::new(move || add.version().get(), |_| get_staff_overview());
    view! {
        <PageTitle key="training.manage_title" />
        <p><A href="/staff">{i18n.t("queue.back")}</A></p>
        <Notice />
        {when_loaded(overview, move |o| view! {
            <h2>{i18n.t("training.programmes")}</h2>
            <p><A href="/staff/training/form" attr:class="button primary">{i18n.t("training.new")}</A></p>
            {o.programmes.is_empty().then(|| view! { <p class="empty">{i18n.t("training.none_yet")}</p> })}
            <ul class="cards">
                {o.programmes.into_iter().map(|p| {
                    let line = format!("{} – {} · {} · {}", p.starts_on, p.ends_on, p.institution_name, seats_text(i18n, &p));
                    view! {
                    <li class="card">
                        <h3 class="card-title"><A href=format!("/training/{}", p.id)>{p.title}</A></h3>
                        <p>{line}</p>
                        <p><A href=format!("/staff/training/{}", p.id)>{i18n.t("training.roster")}</A>" · "
                           <A href=format!("/staff/training/form?id={}", p.id)>{i18n.t("training.edit")}</A></p>
                    </li>
                    }
                }).collect_view()}
            </ul>
            <h2>{i18n.t("training.institutions")}</h2>
            <p class="hint">{i18n.t("training.institutions_lead")}</p>
            {o.institutions.is_empty().then(|| view! { <p class="empty">{i18n.t("training.no_institutions")}</p> })}
            <ul>
                {o.institutions.into_iter().map(|inst| view! {
                    <li><strong>{inst.name}</strong>" · "{inst.address}" · "{inst.contact}</li>
                }).collect_view()}
            </ul>
        })}
        <ActionForm action=add attr:class="form" attr:novalidate=true>
            <h3>{i18n.t("training.add_institution")}</h3>
            <FormAlert form />
            <Field form name="name" label="training.institution_name" />
            <Field form name="address" label="training.institution_address" />
            <Field form name="contact" label="training.institution_contact" />
            <Submit action=add label="training.add_institution" />
        </ActionForm>
    }
}

/// A `<select>` of the institutions, with its error.
#[component]
fn InstitutionSelect(form: crate::components::FormState, institutions: Vec<Institution>, selected: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let error = form.field_error("institution_id");
    let flashed = form.value("institution_id");
    let chosen = Signal::derive(move || flashed.get().or_else(|| selected.map(|s| s.to_string())).unwrap_or_default());
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for="f-institution_id">{i18n.t("training.institution")}</label>
            <select id="f-institution_id" name="institution_id" aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby="f-institution_id-error">
                <option value="">{i18n.t("form.choose")}</option>
                {institutions.into_iter().map(|inst| {
                    let v = inst.id.to_string();
                    let v2 = v.clone();
                    view! { <option value=v selected=move || chosen.get() == v2>{inst.name}</option> }
                }).collect_view()}
            </select>
            <p class="error" id="f-institution_id-error" role="alert" hidden=move || error.get().is_none()>
                {move || error.get().map(|k| i18n.t(&k))}
            </p>
        </div>
    }
}

#[component]
fn ProgrammeForm(existing: Option<Programme>, institutions: Vec<Institution>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProgramme>::new();
    let form = use_form(save);
    let e = existing.clone();
    let v = move |f: fn(&Programme) -> String| e.as_ref().map(f);
    let eligible = form.value("subsidy_eligible");
    let eligible_now = existing.as_ref().is_none_or(|p| p.eligible());
    let flashed_any = form.value("title");
    view! {
        <ActionForm action=save attr:class="form wide" attr:novalidate=true>
            <FormAlert form />
            <input type="hidden" name="id" value=v(|x| x.id.to_string()).unwrap_or_default() />
            <InstitutionSelect form institutions selected=existing.as_ref().map(|p| p.institution_id) />
            <Field form name="title" label="training.title" value=v(|x| x.title.clone()) />
            <Field form name="occupation" label="training.occupation" hint="training.occupation_hint" value=v(|x| x.occupation.clone()) />
            <SelectField form name="kind" label="training.kind" options=&ProgrammeKind::ALL selected=v(|x| x.kind.to_string()) />
            <SelectField form name="level" label="training.level" options=&TrainingLevel::ALL selected=v(|x| x.level.to_string()) />
            <TextArea form name="description" label="training.description" required=false value=v(|x| x.description.clone()) />
            <div class="field-row">
                <Field form name="starts_on" label="training.starts_on" kind="date" value=v(|x| x.starts_on.clone()) />
                <Field form name="ends_on" label="training.ends_on" kind="date" value=v(|x| x.ends_on.clone()) />
            </div>
            <Field form name="seats" label="training.seats" kind="number" value=v(|x| x.seats.to_string()) />
            <SelectField form name="place" label="training.place" options=&Place::ALL selected=v(|x| x.place.to_string()) />
            <Field form name="venue" label="training.venue" value=v(|x| x.venue.clone()) />
            <Field form name="fee" label="training.fee_yuan" hint="training.fee_hint" value=v(|x| yuan(x.fee_fen).replace(',', "")) />
            <div class="check">
                // After a refused post the flashed form decides; an unchecked box sends nothing.
                <input type="checkbox" id="f-subsidy_eligible" name="subsidy_eligible" value="on"
                    checked=move || if flashed_any.get().is_some() { eligible.get().is_some() } else { eligible_now } />
                <label for="f-subsidy_eligible">{i18n.t("training.subsidy_eligible_label")}</label>
            </div>
            <Submit action=save label="training.save" />
        </ActionForm>
    }
}

/// A new programme, or `?id=` to edit one.
#[component]
pub fn ProgrammeFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let loaded = Resource::new(move || query.get().get("id").and_then(|id| id.parse::<i64>().ok()), programme_for_form);
    view! {
        <PageTitle key="training.form_title" />
        <p><A href="/staff/training">{i18n.t("training.back_to_manage")}</A></p>
        {when_loaded(loaded, move |(existing, institutions)| view! {
            {institutions.is_empty().then(|| view! { <p class="alert alert-info" role="status">{i18n.t("training.add_institution_first")}</p> })}
            <ProgrammeForm existing institutions />
        })}
    }
}

/// A programme's participants, with a result form for each.
#[component]
pub fn RosterPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let record = ServerAction::<RecordResult>::new();
    let form = use_form(record);
    let id = move || params.get().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let roster = Resource::new(move || (id(), record.version().get()), |(id, _)| get_roster(id));
    view! {
        <PageTitle key="training.roster_title" />
        <p><A href="/staff/training">{i18n.t("training.back_to_manage")}</A></p>
        <Notice />
        <FormAlert form detailed=true />
        {when_loaded(roster, move |r| {
            let (heading, seats, href) = (r.programme.title.clone(), seats_text(i18n, &r.programme), format!("/training/{}", r.programme.id));
            view! {
            <h2><A href=href>{heading}</A></h2>
            <p>{seats}</p>
            {r.rows.is_empty().then(|| view! { <p class="empty">{i18n.t("training.no_participants")}</p> })}
            <ul class="cards">
                {r.rows.into_iter().map(|row| {
                    let result_id = format!("result-{}", row.id);
                    let number_id = format!("certificate-{}", row.id);
                    view! {
                        <li class="card">
                            <h3 class="card-title">{row.graduate_name.clone()}</h3>
                            <p class="hint">{row.email.clone()}" · "{i18n.t("training.enrolled_at")}" "{format_time(row.enrolled_at)}</p>
                            <p><strong>{i18n.t(row.result.label_key())}</strong>
                                {(!row.certificate_number.is_empty()).then(|| format!(" · {}", row.certificate_number))}</p>
                            {match row.claim_reference.clone() {
                                Some(reference) => view! {
                                    <p>{i18n.t("training.claimed_as")}" "<A href=format!("/staff/applications/{reference}")>{reference.clone()}</A></p>
                                }.into_any(),
                                None => view! {
                                    <ActionForm action=record attr:class="form compact">
                                        <input type="hidden" name="enrollment_id" value=row.id.to_string() />
                                        <div class="field">
                                            <label for=result_id.clone()>{i18n.t("training.result")}</label>
                                            <select id=result_id.clone() name="result">
                                                {[TrainingResult::Passed, TrainingResult::Failed].into_iter().map(|r| view! {
                                                    <option value=r.as_str() selected=row.result == r>{i18n.t(r.label_key())}</option>
                                                }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for=number_id.clone()>{i18n.t("training.certificate_number")}</label>
                                            <input id=number_id.clone() name="certificate_number" value=row.certificate_number.clone() />
                                        </div>
                                        <button type="submit" class="button primary">{i18n.t("training.record")}</button>
                                    </ActionForm>
                                }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            }
        })}
    }
}

/// One of the graduate's courses, with its result and what can be done with it.
#[component]
fn MyCourse(e: MyEnrollment, cancel: ServerAction<CancelEnrollment>, claim: ServerAction<ClaimSubsidy>) -> impl IntoView {
    let i18n = use_i18n();
    let p = e.programme.clone();
    view! {
        <li class="card">
            <h3 class="card-title"><A href=format!("/training/{}", p.id)>{p.title.clone()}</A></h3>
            <p>{format!("{} – {}", p.starts_on, p.ends_on)}" · "{p.institution_name.clone()}</p>
            <p>{i18n.t("training.result")}": "<strong>{i18n.t(e.result.label_key())}</strong>
                {(!e.certificate_number.is_empty()).then(|| format!(" · {} {}", i18n.t("training.certificate_number"), e.certificate_number))}</p>
            {e.claim_reference.clone().map(|reference| view! {
                <p>{i18n.t("training.claimed_as")}" "<A href=format!("/my/applications/{reference}")>{reference.clone()}</A></p>
            })}
            {e.claimable.clone().map(|s| view! {
                <div class="alert alert-info">
                    <p>{i18n.t_args("training.can_claim", &[("amount", &yuan(s.amount_fen))])}</p>
                    <p class="hint">{formula(i18n, &s)}</p>
                    <ActionForm action=claim attr:class="inline-form">
                        <input type="hidden" name="enrollment_id" value=e.id.to_string() />
                        <button type="submit" class="button primary">{i18n.t("training.claim")}</button>
                    </ActionForm>
                </div>
            })}
            {e.can_cancel.then(|| programme_button!(cancel, p.id, "/my".to_string(), "button", i18n.t("training.cancel")))}
        </li>
    }
}

/// The graduate's courses, for "My services" (composed there by the router).
#[component]
pub fn MyTraining() -> impl IntoView {
    let i18n = use_i18n();
    let cancel = ServerAction::<CancelEnrollment>::new();
    let claim = ServerAction::<ClaimSubsidy>::new();
    let forms = [use_form(cancel), use_form(claim)];
    let mine = Resource::new(move || (cancel.version().get(), claim.version().get()), |_| my_enrollments());
    view! {
        <section aria-labelledby="my-training">
            <h2 id="my-training">{i18n.t("training.my_title")}</h2>
            {forms.into_iter().map(|form| view! { <FormAlert form detailed=true /> }).collect_view()}
            {move || mine.get().map(|r| match r {
                Err(_) => ().into_any(),
                Ok(list) => view! {
                    {list.is_empty().then(|| view! { <p class="empty">{i18n.t("training.my_none")}" "<A href="/training">{i18n.t("training.browse")}</A></p> })}
                    <ul class="cards">
                        {list.into_iter().map(|e| view! { <MyCourse e cancel claim /> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}
