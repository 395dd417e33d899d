//! The front page and the page for addresses that lead nowhere.

use crate::shared::identity::use_me;
use crate::components::{Notice, PageTitle};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

/// The twelve services of the centre's letter, as this portal names them, with the page that
/// starts each one (none yet for the services still to open).
const SERVICES: [(&str, Option<&str>); 12] = [
    ("services.registration", Some("/profile")),
    ("services.certificate", Some("/verify")),
    ("services.follow_up", Some("/my")),
    ("services.vacancies", Some("/vacancies")),
    ("services.traineeship", Some("/vacancies?kind=traineeship")),
    ("services.complaints", Some("/complaints")),
    ("services.startup_training", Some("/training")),
    ("services.startup_funding", Some("/startup/loan")),
    ("services.incubation", Some("/incubation")),
    ("services.skills_training", Some("/training")),
    ("services.archive", Some("/archive/lookup")),
    ("services.flexible_insurance", Some("/flexible")),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    view! {
        <Notice />
        <section class="hero">
            <PageTitle key="home.title" />
            <p class="lead">{i18n.t("home.lead")}</p>
            {move || me.get().is_none().then(|| view! {
                <p class="actions">
                    <A href="/signup" attr:class="button primary">{i18n.t("home.cta_graduate")}</A>
                    <A href="/signup/employer" attr:class="button">{i18n.t("home.cta_employer")}</A>
                </p>
            })}
        </section>
        <section aria-labelledby="services-heading">
            <h2 id="services-heading">{i18n.t("home.services_title")}</h2>
            <ul class="service-list">
                {SERVICES.iter().map(|(key, path)| view! {
                    <li>
                        <h3>{match path {
                            Some(href) => view! { <A href=*href>{i18n.t(&format!("{key}.title"))}</A> }.into_any(),
                            None => i18n.t(&format!("{key}.title")).into_any(),
                        }}</h3>
                        <p>{i18n.t(&format!("{key}.summary"))}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageTitle key="error.not_found" />
        <p>{i18n.t("error.not_found_body")}</p>
        <p><A href="/">{i18n.t("nav.home")}</A></p>
    }
}
