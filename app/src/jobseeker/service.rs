//! Job-seeker registration (求职登记 / 失业登记) as a kind of application: one open or approved
//! registration at a time, both identity documents on file, and a snapshot of what the
//! graduate asks for as its payload.

#[cfg(feature = "ssr")]
use crate::applications::eligibility::{Facts, RuleCheck};
use crate::applications::model::Kind;
use crate::applications::service::Service;
#[cfg(feature = "ssr")]
use crate::policy::Policy;
#[cfg(feature = "ssr")]
use crate::shared::time::Date;

pub static REGISTRATION: Service = Service {
    kind: Kind::JobseekerRegistration,
    open: true,
    form: None,
    completes: false,
    keeps_drafts: false,
    documents: &["doc.id_card", "doc.graduation_certificate", "doc.household_register"],
    #[cfg(feature = "ssr")]
    rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &ssr::RegistrationHooks,
};

#[cfg(feature = "ssr")]
fn rules(facts: &Facts, _: &Policy, _: Date) -> Vec<RuleCheck> {
    vec![facts.no_second(Kind::JobseekerRegistration, "rule.not_already_registered")]
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::applications::service::ssr::{to_json, Hooks, Payload};
    use crate::error::{AppError, AppResult};
    use crate::jobseeker::profile::Intentions;
    use crate::jobseeker::uploads::PURPOSES;
    use crate::shared::identity::Me;
    use crate::shared::values::ServiceNeed;
    use serde::{Deserialize, Serialize};
    use sqlx::{AnyConnection, Row};

    /// What the graduate asked for, as the case worker will read it.
    #[derive(Serialize, Deserialize)]
    pub struct RegistrationPayload {
        pub intentions: Intentions,
        pub service_needs: Vec<ServiceNeed>,
        pub needs_note: String,
    }

    impl Payload for RegistrationPayload {}

    pub struct RegistrationHooks;

    #[async_trait::async_trait]
    impl Hooks for RegistrationHooks {
        async fn payload(&self, conn: &mut AnyConnection, applicant: &Me) -> AppResult<serde_json::Value> {
            let purposes: Vec<String> =
                sqlx::query_scalar("SELECT DISTINCT purpose FROM uploads WHERE owner_id = $1").bind(applicant.id).fetch_all(&mut *conn).await?;
            if !PURPOSES.iter().all(|p| purposes.iter().any(|have| have == p.as_str())) {
                return Err(AppError::field("", "application.documents_missing"));
            }
            let profile = sqlx::query("SELECT intentions, service_needs, needs_note FROM profiles WHERE user_id = $1")
                .bind(applicant.id)
                .fetch_one(&mut *conn)
                .await?;
            to_json(&RegistrationPayload {
                intentions: serde_json::from_str(&profile.try_get::<String, _>("intentions")?).unwrap_or_default(),
                service_needs: serde_json::from_str(&profile.try_get::<String, _>("service_needs")?).unwrap_or_default(),
                needs_note: profile.try_get("needs_note")?,
            })
        }
    }
}
