//! Consent to the privacy notice at sign-up: the notice's version, the short notice with its
//! required box (the sign-up forms show it), and the row that records a consent. Here rather
//! than in `privacy/` because the account folder records it and `privacy/` reads accounts.

use crate::components::FormState;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

/// The version of the privacy notice in force. A new wording gets a new version, so each
/// consent row says which text the person agreed to.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-12";

/// The short notice (what, why, how long, who sees it, rights) and the box to tick.
#[component]
pub fn ConsentField(form: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let error = form.field_error("consent");
    let ticked = form.value("consent");
    view! {
        <fieldset class="consent" aria-describedby="consent-summary">
            <legend>{i18n.t("privacy.consent_legend")}</legend>
            <div id="consent-summary" class="hint">
                <ul>
                    <li>{i18n.t("privacy.short_what")}</li>
                    <li>{i18n.t("privacy.short_why")}</li>
                    <li>{i18n.t("privacy.short_how_long")}</li>
                    <li>{i18n.t("privacy.short_who")}</li>
                    <li>{i18n.t("privacy.short_rights")}</li>
                </ul>
                <p><A href="/privacy">{i18n.t("privacy.read_full")}</A></p>
            </div>
            <div class="field checkbox" class:has-error=move || error.get().is_some()>
                <input id="f-consent" type="checkbox" name="consent" value="on" required checked=move || ticked.get().is_some()
                    aria-invalid=move || error.get().is_some().then_some("true") aria-describedby="f-consent-error" />
                <label for="f-consent">{i18n.t("privacy.consent_box")}</label>
                <p class="error" id="f-consent-error" role="alert" hidden=move || error.get().is_none()>
                    {move || error.get().map(|k| i18n.t(&k))}
                </p>
            </div>
        </fieldset>
    }
}

/// Whether a posted consent box was ticked (an unticked box is not posted at all).
pub fn consented(consent: Option<&str>) -> bool {
    matches!(consent.map(str::trim), Some("on" | "true" | "yes" | "1"))
}

/// Records that `user_id` consented to the notice in force, on the caller's transaction.
#[cfg(feature = "ssr")]
pub async fn record_consent(conn: &mut sqlx::AnyConnection, user_id: i64, at: i64) -> crate::error::AppResult<()> {
    sqlx::query("INSERT INTO privacy_consents (user_id, notice_version, consented_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(PRIVACY_NOTICE_VERSION)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::consented;

    #[test]
    fn only_a_ticked_box_counts_as_consent() {
        assert!(consented(Some("on")));
        assert!(!consented(None));
        assert!(!consented(Some("")));
        assert!(!consented(Some("off")));
    }
}
