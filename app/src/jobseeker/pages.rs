//! The graduate's profile page: the registration form, the two identity documents, and the
//! way on to "what can I apply for".

use super::profile::{my_profile, Document, Profile, SaveProfile};
use crate::components::{use_form, Field, FormAlert, Notice, PageTitle, Submit};
use crate::shared::values::{Degree, EmploymentStatus, Place, ServiceNeed};
use crate::shared::views::{when_loaded, FileForm, SelectField, StoredFile};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

/// One document: what is on file, and a plain multipart form to send a new one.
#[component]
fn UploadForm(purpose: &'static str, current: Option<Document>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FileForm endpoint=format!("/uploads/{purpose}") label=i18n.t(&format!("upload.{purpose}"))
            current=current.map(|d| StoredFile { id: d.id, mime: d.mime, size: d.size }) />
    }
}

#[component]
fn ProfileForm(profile: Option<Profile>, save: ServerAction<SaveProfile>) -> impl IntoView {
    let i18n = use_i18n();
    let form = use_form(save);
    let p = profile.clone();
    let v = move |f: fn(&Profile) -> String| p.as_ref().map(f);
    let needs = profile.as_ref().map(|p| p.service_needs.clone()).unwrap_or_default();
    let salary = |n: Option<i64>| n.map(|n| n.to_string());
    view! {
        <ActionForm action=save attr:class="form wide" attr:novalidate=true>
            <FormAlert form />
            <fieldset>
                <legend>{i18n.t("profile.identity")}</legend>
                <Field form name="full_name" label="profile.full_name" autocomplete="name" value=v(|p| p.full_name.clone()) />
                <Field form name="resident_id" label="profile.resident_id" hint="profile.resident_id_hint" autocomplete="off" value=v(|p| p.resident_id.clone()) />
                <Field form name="phone" label="profile.phone" kind="tel" autocomplete="tel" value=v(|p| p.phone.clone()) />
                <SelectField form name="household_place" label="profile.household_place" options=&Place::ALL selected=v(|p| p.household_place.to_string()) />
            </fieldset>
            <fieldset>
                <legend>{i18n.t("profile.education")}</legend>
                <Field form name="school" label="profile.school" value=v(|p| p.school.clone()) />
                <Field form name="major" label="profile.major" value=v(|p| p.major.clone()) />
                <SelectField form name="degree" label="profile.degree" options=&Degree::ALL selected=v(|p| p.degree.to_string()) />
                <Field form name="graduation_date" label="profile.graduation_date" kind="date" value=v(|p| p.graduation_date.clone()) />
                <Field form name="graduation_cert_no" label="profile.graduation_cert_no" hint="profile.graduation_cert_no_hint" value=v(|p| p.graduation_cert_no.clone()) />
            </fieldset>
            <fieldset>
                <legend>{i18n.t("profile.intentions")}</legend>
                <SelectField form name="employment_status" label="profile.employment_status" options=&EmploymentStatus::ALL selected=v(|p| p.employment_status.to_string()) />
                <Field form name="job_types" label="profile.job_types" required=false hint="profile.list_hint" value=v(|p| p.intentions.job_types.clone()) />
                <Field form name="industries" label="profile.industries" required=false value=v(|p| p.intentions.industries.clone()) />
                <Field form name="places" label="profile.places" required=false value=v(|p| p.intentions.places.clone()) />
                <div class="field-row">
                    <Field form name="salary_min" label="profile.salary_min" kind="number" required=false value=profile.as_ref().and_then(|p| salary(p.intentions.salary_min)) />
                    <Field form name="salary_max" label="profile.salary_max" kind="number" required=false value=profile.as_ref().and_then(|p| salary(p.intentions.salary_max)) />
                </div>
            </fieldset>
            <fieldset>
                <legend>{i18n.t("profile.needs")}</legend>
                {ServiceNeed::ALL.into_iter().map(|n| {
                    let id = format!("need-{n}");
                    let checked = needs.contains(&n);
                    view! {
                        <div class="check">
                            <input type="checkbox" id=id.clone() name=format!("need_{n}") value="on" checked=checked />
                            <label for=id>{i18n.t(n.label_key())}</label>
                        </div>
                    }
                }).collect_view()}
                <div class="field">
                    <label for="f-needs_note">{i18n.t("profile.needs_note")}<span class="optional">{i18n.t("form.optional")}</span></label>
                    <textarea id="f-needs_note" name="needs_note" rows="3">{v(|p| p.needs_note.clone()).unwrap_or_default()}</textarea>
                </div>
            </fieldset>
            <Submit action=save label="profile.save" />
        </ActionForm>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProfile>::new();
    // Saved with JavaScript, the page stays where it is: load the profile again after each save.
    let profile = Resource::new(move || save.version().get(), |_| my_profile());
    view! {
        <PageTitle key="profile.title" />
        <Notice />
        <p class="lead">{i18n.t("profile.lead")}</p>
        {when_loaded(profile, move |p| {
                    let docs = p.as_ref().map(|p| p.documents.clone()).unwrap_or_default();
                    let doc = |purpose: &str| docs.iter().find(|d| d.purpose == purpose).cloned();
                    view! {
                        {p.as_ref().filter(|p| p.id_pending).map(|_| view! {
                            <p class="alert alert-info" role="status">{i18n.t("profile.id_pending")}</p>
                        })}
                        {p.as_ref().map(|p| view! {
                            <p class="derived">
                                {i18n.t("profile.birth_date")}": "{p.birth_date.clone()}" · "
                                {i18n.t("profile.gender")}": "{i18n.t(p.gender.label_key())}
                            </p>
                        })}
                        <ProfileForm profile=p.clone() save />
                        <section aria-labelledby="docs-heading">
                            <h2 id="docs-heading">{i18n.t("profile.documents")}</h2>
                            {p.is_none().then(|| view! { <p class="hint">{i18n.t("profile.documents_after_save")}</p> })}
                            {p.is_some().then(|| view! {
                                <div class="uploads">
                                    <UploadForm purpose="id_card" current=doc("id_card") />
                                    <UploadForm purpose="graduation_certificate" current=doc("graduation_certificate") />
                                </div>
                            })}
                        </section>
                        <p class="next-step"><A href="/eligibility" attr:class="button primary">{i18n.t("profile.next")}</A></p>
                    }
        })}
    }
}
