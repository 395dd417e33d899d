//! A case worker's view of one graduate: the profile with the ID number masked (revealed by a
//! POST with a reason, and logged), the documents, every application and the follow-up log.

use crate::applications::eligibility::Eligibility;
use crate::applications::ApplicationRow;
use crate::shared::time::format_time;
use crate::components::{Notice, PageTitle};
use crate::error::AppError;
use crate::followups::{FollowUp, FollowUpForm, FollowUpList};
use crate::i18n::use_i18n;
use crate::jobseeker::profile::Profile;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::shared::identity::Role, crate::ssr::{require_staff, AuditAction}};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GraduateOverview {
    pub user_id: i64,
    pub email: String,
    pub profile: Option<Profile>,
    /// The full ID number, when the case worker asked to see it (and the look was logged).
    pub revealed: Option<String>,
    pub applications: Vec<ApplicationRow>,
    pub follow_ups: Vec<FollowUp>,
}

/// Where a plain (no JavaScript) reveal leaves word for the next render of the graduate's page:
/// which graduate and when. The number itself never enters the session (its row is plain JSON in
/// the database); the page opens the sealed number again for that one view.
#[cfg(feature = "ssr")]
const REVEAL_ONCE_KEY: &str = "reveal_once";
/// How long a plain reveal waits for its page.
#[cfg(feature = "ssr")]
const REVEAL_ONCE_SECONDS: i64 = 120;

/// The graduate's file. It never shows the full ID number by itself: that takes
/// [`reveal_resident_id`], a POST with a reason (a GET link could be followed by a prefetcher, a
/// crawler or a shared history, and would leave no reason in the log).
#[server(endpoint = "staff/graduate")]
pub async fn get_graduate(user_id: i64) -> Result<GraduateOverview, AppError> {
    require_staff().await?;
    let state = crate::ssr::state()?;
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1 AND role = $2")
        .bind(user_id)
        .bind(Role::Graduate)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let profile = crate::jobseeker::ssr::load_profile(&state.pool, user_id, None).await?;
    // A reveal posted without JavaScript, shown on this one render after its redirect.
    let session = crate::ssr::session().await?;
    let revealed = match session.get::<(i64, i64)>(REVEAL_ONCE_KEY).await? {
        Some((who, at)) if who == user_id => {
            session.remove::<(i64, i64)>(REVEAL_ONCE_KEY).await?;
            if profile.is_some() && crate::ssr::now() - at <= REVEAL_ONCE_SECONDS {
                crate::jobseeker::ssr::reveal(&state.pool, &state.settings.secret_key, user_id).await?
            } else {
                None
            }
        }
        _ => None,
    };
    Ok(GraduateOverview {
        user_id,
        email,
        profile,
        revealed,
        applications: crate::applications::ssr::of_applicant(&state.pool, user_id).await?,
        follow_ups: crate::followups::list(user_id).await?,
    })
}

/// The most a reveal's reason may say.
pub const REVEAL_REASON_MAX: usize = 200;

/// Opens a graduate's full ID number, with the reason written into the audit log. A `fetch` caller
/// gets the answer; a posted form is sent back to the graduate's page, which shows the number
/// once.
#[server(endpoint = "staff/reveal")]
pub async fn reveal_resident_id(user_id: i64, reason: String) -> Result<String, AppError> {
    let me = require_staff().await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", "graduate.reveal_reason_required"));
    }
    if reason.chars().count() > REVEAL_REASON_MAX {
        return Err(AppError::field("reason", "graduate.reveal_reason_too_long"));
    }
    let state = crate::ssr::state()?;
    let id = crate::jobseeker::ssr::reveal(&state.pool, &state.settings.secret_key, user_id).await?.ok_or(AppError::NotFound)?;
    let mut tx = crate::ssr::begin().await?;
    crate::ssr::audit(&mut tx, Some(me.id), AuditAction::RevealResidentId, &format!("user:{user_id} reason:{reason}"), &crate::ssr::client_address().await).await?;
    tx.commit().await?;
    if crate::ssr::posted_without_javascript().await {
        crate::ssr::session().await?.insert(REVEAL_ONCE_KEY, (user_id, crate::ssr::now())).await?;
        leptos_axum::redirect(&format!("/staff/graduates/{user_id}"));
    }
    Ok(id)
}

/// The reason field and the button that reveal the full number.
#[component]
fn RevealForm(user_id: i64, action: ServerAction<RevealResidentId>) -> impl IntoView {
    let form = crate::components::use_form(action);
    view! {
        <ActionForm action=action attr:class="form reveal">
            <crate::components::FormAlert form />
            <input type="hidden" name="user_id" value=user_id.to_string() />
            <crate::components::Field form name="reason" label="graduate.reveal_reason" hint="graduate.reveal_reason_hint" />
            <crate::components::Submit action label="profile.reveal" />
        </ActionForm>
    }
}

#[component]
fn ProfileFacts(profile: Profile, revealed: Option<String>, reveal_href: Option<String>) -> impl IntoView {
    // `reveal_href` leads to the graduate's page, where the reveal form is.
    let i18n = use_i18n();
    let p = profile;
    let needs: Vec<String> = p.service_needs.iter().map(|n| i18n.t(n.label_key())).collect();
    view! {
        <dl class="facts">
            <dt>{i18n.t("profile.full_name")}</dt><dd>{p.full_name.clone()}</dd>
            <dt>{i18n.t("profile.resident_id")}</dt>
            <dd class="mono">
                {revealed.clone().unwrap_or_else(|| p.resident_id.clone())}
                {match (revealed.is_none(), reveal_href) {
                    (true, Some(href)) => view! { " " <a href=href class="small">{i18n.t("profile.reveal")}</a> }.into_any(),
                    _ => ().into_any(),
                }}
            </dd>
            <dt>{i18n.t("profile.age")}</dt><dd>{i18n.t_args("profile.age_years", &[("years", &p.age.to_string())])}" · "{i18n.t(p.gender.label_key())}</dd>
            <dt>{i18n.t("profile.phone")}</dt><dd>{p.phone.clone()}</dd>
            <dt>{i18n.t("profile.household_place")}</dt><dd>{i18n.t(p.household_place.label_key())}</dd>
            <dt>{i18n.t("profile.school")}</dt><dd>{p.school.clone()}" · "{p.major.clone()}" · "{i18n.t(p.degree.label_key())}</dd>
            <dt>{i18n.t("profile.graduation_date")}</dt><dd>{p.graduation_date.clone()}</dd>
            <dt>{i18n.t("profile.graduation_cert_no")}</dt><dd class="mono">{p.graduation_cert_no.clone()}</dd>
            <dt>{i18n.t("profile.employment_status")}</dt><dd>{i18n.t(p.employment_status.label_key())}</dd>
            <dt>{i18n.t("profile.job_types")}</dt><dd>{p.intentions.job_types.clone()}</dd>
            <dt>{i18n.t("profile.industries")}</dt><dd>{p.intentions.industries.clone()}</dd>
            <dt>{i18n.t("profile.places")}</dt><dd>{p.intentions.places.clone()}</dd>
            <dt>{i18n.t("profile.needs")}</dt><dd>{needs.join("、")}" "{p.needs_note.clone()}</dd>
            <dt>{i18n.t("profile.documents")}</dt>
            <dd>
                {p.documents.iter().map(|d| view! {
                    <a href=format!("/files/{}", d.id)>{i18n.t(&format!("upload.{}", d.purpose))}</a>" "
                }).collect_view()}
                {p.documents.is_empty().then(|| i18n.t("upload.none"))}
            </dd>
        </dl>
    }
}

/// The applicant's profile and eligibility, beside an application under review. The page loads
/// them with the application in one server function, so there is one resource to hydrate.
#[component]
pub fn ApplicantSummary(user_id: i64, profile: Option<Profile>, eligibility: Eligibility) -> impl IntoView {
    let i18n = use_i18n();
    let ok = eligibility.eligible();
    view! {
        <h2>{i18n.t("application.applicant")}</h2>
        {match profile {
            Some(p) => view! { <ProfileFacts profile=p revealed=None reveal_href=Some(format!("/staff/graduates/{user_id}")) /> }.into_any(),
            None => view! { <p class="empty">{i18n.t("graduate.no_profile")}</p> }.into_any(),
        }}
        <h3>{i18n.t("eligibility.title")}</h3>
        <p class=if ok { "badge ok" } else { "badge no" }>{if ok { i18n.t("eligibility.eligible") } else { i18n.t("eligibility.not_eligible") }}</p>
        <crate::applications::pages::Checks eligibility />
    }
}

/// A graduate's file. `children` is what other areas add below it (the vacancies sent to the
/// graduate), composed by the router so this folder does not depend on them.
#[component]
pub fn GraduatePage(#[prop(optional)] children: Option<ChildrenFn>) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    // The notice is part of the key: logging a follow-up comes back here with a notice.
    let key = move || (params.get().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0), query.get().get("notice"));
    let overview = Resource::new(key, |(id, _)| get_graduate(id));
    let reveal = ServerAction::<RevealResidentId>::new();
    let revealed_now = move || reveal.value().get().and_then(Result::ok);
    view! {
        <PageTitle key="graduate.title" />
        <Notice />
        <p><A href="/staff">{i18n.t("queue.back")}</A></p>
        {when_loaded(overview, move |o| {
                    let back = format!("/staff/graduates/{}", o.user_id);
                    view! {
                        <p>{o.email.clone()}</p>
                        {match o.profile.clone() {
                            Some(p) => {
                                let from_page = o.revealed.clone();
                                let user_id = o.user_id;
                                view! {
                                    {move || {
                                        let revealed = revealed_now().or_else(|| from_page.clone());
                                        let shown = revealed.is_some();
                                        view! {
                                            <ProfileFacts profile=p.clone() revealed=revealed reveal_href=None />
                                            {shown.then(|| view! { <p class="hint">{i18n.t("profile.reveal_logged")}</p> })}
                                            {(!shown).then(|| view! { <RevealForm user_id action=reveal /> })}
                                        }
                                    }}
                                }.into_any()
                            }
                            None => view! { <p class="empty">{i18n.t("graduate.no_profile")}</p> }.into_any(),
                        }}
                        <h2>{i18n.t("my.title")}</h2>
                        <ul class="cards">
                            {o.applications.into_iter().map(|a| view! {
                                <li class="card">
                                    <A href=format!("/staff/applications/{}", a.reference)>{a.reference.clone()}</A>
                                    " · "{i18n.t(a.kind.label_key())}" · "{i18n.t(a.status.label_key())}
                                    " · "{format_time(a.created_at)}
                                </li>
                            }).collect_view()}
                        </ul>
                        <h2>{i18n.t("followup.title")}</h2>
                        <FollowUpList items=o.follow_ups.clone() />
                        <h3>{i18n.t("followup.log_title")}</h3>
                        <FollowUpForm graduate_id=o.user_id back=back />
                    }.into_any()
                })}
        {children.as_ref().map(|c| c())}
    }
}
