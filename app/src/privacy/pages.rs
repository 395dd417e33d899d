//! Privacy pages: the full notice (`/privacy`, anyone) and the signed-in person's privacy page
//! (`/account/privacy`): consents, the download link, and the deletion form.

use super::api::*;
use super::PRIVACY_NOTICE_VERSION;
use crate::components::{use_form, Field, FormAlert, PageTitle, Submit};
use crate::i18n::use_i18n;
use crate::shared::time::format_time;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;

/// The notice's sections, each a heading and its paragraphs (keys under `privacy.`).
const SECTIONS: &[(&str, &[&str])] = &[
    ("who_title", &["who_body"]),
    ("what_title", &["what_account", "what_profile", "what_documents", "what_services", "what_technical"]),
    ("why_title", &["why_body", "why_basis"]),
    ("how_long_title", &["how_long_account", "how_long_decided", "how_long_logs"]),
    ("who_sees_title", &["who_sees_staff", "who_sees_employers", "who_sees_others"]),
    ("security_title", &["security_body"]),
    ("rights_title", &["rights_access", "rights_correct", "rights_delete", "rights_withdraw", "rights_complain"]),
];

#[component]
pub fn PrivacyNoticePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle key="privacy.notice_title" />
        <p class="lead">{i18n.t("privacy.notice_lead")}</p>
        <p class="hint" data-testid="notice-version">{i18n.t_args("privacy.version", &[("version", PRIVACY_NOTICE_VERSION)])}</p>
        {SECTIONS.iter().map(|(title, paragraphs)| view! {
            <section>
                <h2>{i18n.t(&format!("privacy.{title}"))}</h2>
                {paragraphs.iter().map(|p| view! { <p>{i18n.t(&format!("privacy.{p}"))}</p> }).collect_view()}
            </section>
        }).collect_view()}
        <p><A href="/account/privacy">{i18n.t("privacy.to_my_page")}</A></p>
    }
}

#[component]
pub fn MyPrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new(|| (), |_| my_privacy());
    view! {
        <PageTitle key="privacy.mine_title" />
        <p><A href="/account">{i18n.t("privacy.back_to_account")}</A>" · "<A href="/privacy">{i18n.t("privacy.read_full")}</A></p>
        {when_loaded(mine, move |mine| view! {
            <section aria-labelledby="consents-title">
                <h2 id="consents-title">{i18n.t("privacy.consents_title")}</h2>
                {if mine.consents.is_empty() {
                    view! { <p>{i18n.t("privacy.no_consent")}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {mine.consents.iter().map(|c| view! {
                                <li>{i18n.t_args("privacy.consent_row", &[("version", &c.version), ("time", &format_time(c.at))])}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            {if mine.may_delete {
                view! { <DownloadAndDelete /> }.into_any()
            } else {
                view! {
                    <section aria-labelledby="staff-title">
                        <h2 id="staff-title">{i18n.t("privacy.staff_title")}</h2>
                        <p class="alert alert-info">{i18n.t("privacy.staff_cannot_delete")}</p>
                    </section>
                }.into_any()
            }}
        })}
    }
}

#[component]
fn DownloadAndDelete() -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<DeleteAccount>::new();
    let form = use_form(delete);
    // The header shows who is signed in; after the deletion the whole page is loaded afresh so
    // nothing of the old session is left on screen.
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            let _ = window().location().set_href("/?notice=account_deleted");
        }
    });
    view! {
        <section aria-labelledby="download-title">
            <h2 id="download-title">{i18n.t("privacy.download_title")}</h2>
            <p>{i18n.t("privacy.download_body")}</p>
            <p><a class="button" href=super::DOWNLOAD_PATH rel="external" download>{i18n.t("privacy.download_button")}</a></p>
        </section>
        <section aria-labelledby="delete-title">
            <h2 id="delete-title">{i18n.t("privacy.delete_title")}</h2>
            <p>{i18n.t("privacy.delete_lead")}</p>
            <h3>{i18n.t("privacy.delete_gone_title")}</h3>
            <ul>
                <li>{i18n.t("privacy.delete_gone_account")}</li>
                <li>{i18n.t("privacy.delete_gone_profile")}</li>
                <li>{i18n.t("privacy.delete_gone_lists")}</li>
                <li>{i18n.t("privacy.delete_gone_open")}</li>
            </ul>
            <h3>{i18n.t("privacy.delete_kept_title")}</h3>
            <ul>
                <li>{i18n.t("privacy.delete_kept_decided")}</li>
                <li>{i18n.t("privacy.delete_kept_counts")}</li>
                <li>{i18n.t("privacy.delete_kept_archive")}</li>
                <li>{i18n.t("privacy.delete_kept_complaints")}</li>
            </ul>
            <ActionForm action=delete attr:class="form" attr:novalidate=true>
                <FormAlert form />
                <Field form name="password" label="privacy.delete_password" kind="password" autocomplete="current-password" hint="privacy.delete_password_hint" />
                <Submit action=delete label="privacy.delete_submit" />
            </ActionForm>
        </section>
    }
}
