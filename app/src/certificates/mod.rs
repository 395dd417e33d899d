//! The Employment Registration Certificate (《就业登记证》): issued when a case worker approves
//! an `employment_certificate` application, printable by its holder, and checkable by anyone
//! who has its number and verification code.

use crate::components::{PageTitle};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

pub mod service;
#[cfg(feature = "ssr")]
pub mod ssr;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub number: String,
    pub verification_code: String,
    pub holder_name: String,
    pub masked_id: String,
    pub reference: String,
    pub issued_at: i64,
    pub valid: bool,
}

/// What the public check shows: nothing more than whether the certificate is genuine, to whom
/// (masked) and since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verification {
    Valid { masked_name: String, issued_at: i64 },
    Revoked { masked_name: String, issued_at: i64 },
    NotFound,
}

/// `李*`, `欧阳**`, `J*** S****`: the first character of each word stays.
pub fn mask_name(name: &str) -> String {
    name.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[server(endpoint = "certificates/get")]
pub async fn get_certificate(number: String) -> Result<Certificate, AppError> {
    let me = crate::ssr::require_user().await?;
    let cert = ssr::load(&crate::ssr::pool()?, &number).await?.ok_or(AppError::NotFound)?;
    // The holder and staff may open it; to anyone else it does not exist.
    if cert.0 != me.id && !me.role.is_staff() {
        return Err(AppError::NotFound);
    }
    Ok(cert.1)
}

#[server(endpoint = "certificates/verify")]
pub async fn verify_certificate(number: String, code: String) -> Result<Verification, AppError> {
    ssr::verify(&crate::ssr::pool()?, &number, &code).await
}

/// Revokes a certificate (issued in error, or obtained with false documents); the public
/// check shows it as revoked from then on.
#[server(endpoint = "certificates/revoke")]
pub async fn revoke_certificate(number: String, reason: String, back: Option<String>) -> Result<(), AppError> {
    let me = crate::ssr::require_staff().await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", "application.reason_required"));
    }
    let mut tx = crate::ssr::begin().await?;
    if !ssr::revoke(&mut tx, &number).await? {
        return Err(AppError::Conflict("certificate.already_revoked".into()));
    }
    crate::ssr::audit(&mut tx, Some(me.id), crate::ssr::AuditAction::CertificateRevoked, &format!("{number}: {reason}"), &crate::ssr::client_address().await).await?;
    tx.commit().await?;
    let back = back.as_deref().and_then(crate::shared::identity::safe_local_path).unwrap_or_else(|| "/staff".into());
    leptos_axum::redirect(&format!("{back}?notice=certificate_revoked"));
    Ok(())
}

/// The staff's form to revoke a certificate.
#[component]
pub fn RevokeForm(number: String, back: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RevokeCertificate>::new();
    let form = crate::components::use_form(action);
    view! {
        <ActionForm action=action attr:class="form compact">
            <crate::components::FormAlert form detailed=true />
            <input type="hidden" name="number" value=number />
            <input type="hidden" name="back" value=back />
            <label for="revoke-reason">{i18n.t("certificate.revoke_reason")}</label>
            <textarea id="revoke-reason" name="reason" rows="2"></textarea>
            <button type="submit" class="button danger">{i18n.t("certificate.revoke")}</button>
        </ActionForm>
    }
}

#[component]
pub fn CertificatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let cert = Resource::new(move || params.get().get("number").unwrap_or_default(), get_certificate);
    view! {
        {when_loaded(cert, move |c| view! {
                    <leptos_meta::Title text=format!("{} {}", i18n.t("certificate.title"), c.number) />
                    <article class="certificate">
                        <p class="certificate-issuer">{i18n.t("certificate.issuer")}</p>
                        <h1>{i18n.t("certificate.title")}</h1>
                        {(!c.valid).then(|| view! { <p class="alert alert-error">{i18n.t("certificate.revoked")}</p> })}
                        <dl class="facts">
                            <dt>{i18n.t("certificate.number")}</dt><dd class="mono">{c.number.clone()}</dd>
                            <dt>{i18n.t("certificate.holder")}</dt><dd>{c.holder_name.clone()}</dd>
                            <dt>{i18n.t("profile.resident_id")}</dt><dd class="mono">{c.masked_id.clone()}</dd>
                            <dt>{i18n.t("certificate.issued")}</dt><dd>{crate::shared::time::format_time(c.issued_at)}</dd>
                            <dt>{i18n.t("certificate.code")}</dt><dd class="mono">{c.verification_code.clone()}</dd>
                            <dt>{i18n.t("application.reference")}</dt><dd class="mono">{c.reference.clone()}</dd>
                        </dl>
                        <p class="hint">{i18n.t("certificate.check_hint")}" "
                            <A href=format!("/verify?number={}&code={}", c.number, c.verification_code)>{i18n.t("certificate.verify_title")}</A></p>
                    </article>
                    <p class="no-print"><PrintButton label=i18n.t("certificate.print") /></p>
                })}
    }
}

/// The public check: a GET form, so the result has its own address and works without
/// JavaScript.
#[component]
pub fn VerifyCertificatePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let number = move || query.get().get("number").unwrap_or_default();
    let code = move || query.get().get("code").unwrap_or_default();
    let result = Resource::new(
        move || (number(), code()),
        |(number, code)| async move {
            if number.trim().is_empty() {
                Ok(None)
            } else {
                verify_certificate(number, code).await.map(Some)
            }
        },
    );
    view! {
        <PageTitle key="certificate.verify_title" />
        <p>{i18n.t("certificate.verify_lead")}</p>
        <form method="get" action="/verify" class="form">
            <div class="field">
                <label for="v-number">{i18n.t("certificate.number")}</label>
                <input id="v-number" name="number" required value=number />
            </div>
            <div class="field">
                <label for="v-code">{i18n.t("certificate.code")}</label>
                <input id="v-code" name="code" required value=code autocomplete="off" />
            </div>
            <button type="submit" class="button primary">{i18n.t("certificate.verify_submit")}</button>
        </form>
        <Suspense>
            {move || result.get().map(|r| match r {
                Ok(None) => ().into_any(),
                Ok(Some(Verification::Valid { masked_name, issued_at })) => view! {
                    <div class="alert alert-success" role="status">
                        <strong>{i18n.t("certificate.valid")}</strong>" "
                        {i18n.t_args("certificate.valid_detail", &[("name", &masked_name), ("date", &crate::shared::time::format_time(issued_at)[..10])])}
                    </div>
                }.into_any(),
                Ok(Some(Verification::Revoked { masked_name, issued_at })) => view! {
                    <div class="alert alert-error" role="status">
                        <strong>{i18n.t("certificate.revoked")}</strong>" "
                        {i18n.t_args("certificate.valid_detail", &[("name", &masked_name), ("date", &crate::shared::time::format_time(issued_at)[..10])])}
                    </div>
                }.into_any(),
                Ok(Some(Verification::NotFound)) | Err(_) => view! {
                    <div class="alert alert-error" role="status">{i18n.t("certificate.not_found")}</div>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::mask_name;

    #[test]
    fn names_keep_only_their_first_character() {
        assert_eq!(mask_name("李明"), "李*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("Li Ming"), "L* M***");
    }
}

/// The print button: an island, because the Content-Security-Policy allows no inline `onclick`
/// attribute and the rest of the page needs no script. The label comes from the server, so the
/// island carries no locale table.
#[island]
fn PrintButton(label: String) -> impl IntoView {
    let print = |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = leptos::prelude::window().print();
        }
    };
    view! { <button type="button" class="button" on:click=print>{label}</button> }
}
