//! The two kinds of application this folder owns. A skills-training enrollment is made on the
//! programme's page (see the module's note), so applying for the kind from "what can I apply
//! for" points the graduate there. A training-subsidy claim is made from a passed enrollment
//! ([`super::api::claim_subsidy`]); its payload is the claim with the computed amount, and its
//! panel shows how the amount was computed.

use super::{yuan, Subsidy, TrainingLevel};
#[cfg(feature = "ssr")]
use crate::applications::eligibility::{Facts, RuleCheck};
use crate::applications::model::Kind;
#[cfg(feature = "ssr")]
use crate::applications::service::no_rules;
use crate::applications::service::{PanelProps, Service};
use crate::i18n::{use_i18n, I18n};
#[cfg(feature = "ssr")]
use crate::policy::Policy;
#[cfg(feature = "ssr")]
use crate::shared::time::Date;
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

pub static SKILLS_TRAINING: Service = Service {
    kind: Kind::SkillsTraining,
    open: true,
    form: Some("/training"),
    completes: true,
    keeps_drafts: false,
    documents: &["doc.id_card", "doc.graduation_certificate"],
    #[cfg(feature = "ssr")]
    rules: no_rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &ssr::EnrollOnTheProgrammePage,
};

pub static TRAINING_SUBSIDY: Service = Service {
    kind: Kind::TrainingSubsidy,
    open: true,
    form: None,
    completes: false,
    keeps_drafts: false,
    documents: &["doc.id_card", "doc.skill_certificate", "doc.fee_invoice", "doc.bank_card"],
    #[cfg(feature = "ssr")]
    rules: subsidy_rules,
    panel: Some(panel),
    #[cfg(feature = "ssr")]
    hooks: &ssr::SubsidyHooks,
};

/// A complete profile is the only rule the engine can check; which enrollment qualifies (passed,
/// subsidy-eligible, not yet claimed) is checked when the claim is made from it.
#[cfg(feature = "ssr")]
fn subsidy_rules(facts: &Facts, policy: &Policy, today: Date) -> Vec<RuleCheck> {
    no_rules(facts, policy, today)
}

/// A training-subsidy claim: the enrollment it is made on and the amount computed when it was
/// made (the application's payload).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyClaim {
    pub enrollment_id: i64,
    pub programme_id: i64,
    pub programme_title: String,
    pub institution: String,
    pub occupation: String,
    pub certificate_number: String,
    pub subsidy: Subsidy,
}

/// "The fee paid, 1,800.00 yuan, up to the cap for an intermediate certificate, 1,500.00 yuan:
/// 1,500.00 yuan".
pub fn formula(i18n: I18n, s: &Subsidy) -> String {
    let level: TrainingLevel = s.level;
    i18n.t_args(
        "training.formula",
        &[("fee", &yuan(s.fee_fen)), ("level", &i18n.t(level.label_key())), ("cap", &yuan(s.cap_fen)), ("amount", &yuan(s.amount_fen))],
    )
}

/// The claim on the application page: the course, the certificate and how the amount was
/// computed, for the graduate and the case worker alike.
fn panel(props: PanelProps) -> AnyView {
    let Ok(claim) = serde_json::from_value::<SubsidyClaim>(props.data) else {
        return ().into_any();
    };
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="subsidy-claim">
            <h2 id="subsidy-claim">{i18n.t("training.claim_title")}</h2>
            <dl class="facts">
                <dt>{i18n.t("training.programme")}</dt>
                <dd><A href=format!("/training/{}", claim.programme_id)>{claim.programme_title.clone()}</A></dd>
                <dt>{i18n.t("training.institution")}</dt><dd>{claim.institution.clone()}</dd>
                <dt>{i18n.t("training.occupation")}</dt><dd>{claim.occupation.clone()}</dd>
                <dt>{i18n.t("training.certificate_number")}</dt><dd class="mono">{claim.certificate_number.clone()}</dd>
                <dt>{i18n.t("training.subsidy_amount")}</dt><dd><strong>{format!("{} {}", yuan(claim.subsidy.amount_fen), i18n.t("training.yuan"))}</strong></dd>
            </dl>
            <p class="hint">{formula(i18n, &claim.subsidy)}</p>
        </section>
    }
    .into_any()
}

/// The hooks of a kind whose applications start on a programme's page (startup training can
/// use them too).
#[cfg(feature = "ssr")]
pub use ssr::EnrollOnTheProgrammePage;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::applications::model::Status;
    use crate::applications::service::ssr::{Hooks, Moved};
    use crate::error::{AppError, AppResult};
    use crate::shared::identity::Me;
    use sqlx::AnyConnection;

    /// Enrollment happens on a programme's page, where the seats are.
    pub struct EnrollOnTheProgrammePage;

    #[async_trait::async_trait]
    impl Hooks for EnrollOnTheProgrammePage {
        async fn payload(&self, _conn: &mut AnyConnection, _applicant: &Me) -> AppResult<serde_json::Value> {
            Err(AppError::field("", "training.enroll_on_programme_page"))
        }
    }

    pub struct SubsidyHooks;

    #[async_trait::async_trait]
    impl Hooks for SubsidyHooks {
        /// A claim names its enrollment, so it is made from there, not from the list of services.
        async fn payload(&self, _conn: &mut AnyConnection, _applicant: &Me) -> AppResult<serde_json::Value> {
            Err(AppError::field("", "training.claim_from_enrollment"))
        }

        /// A rejected or withdrawn claim frees its enrollment for a new one.
        async fn on_other(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
            if matches!(moved.to, Status::Rejected | Status::Withdrawn) {
                crate::training::ssr::release_claim(conn, moved.application_id).await?;
            }
            Ok(())
        }

        async fn panel_data(&self, conn: &mut AnyConnection, application_id: i64) -> AppResult<Option<serde_json::Value>> {
            crate::training::ssr::claim_payload(conn, application_id).await
        }
    }
}
