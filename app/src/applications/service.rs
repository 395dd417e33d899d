//! What a service tells the engine about its kind of application: whether graduates can apply
//! online yet, whether it has an end after approval, its eligibility rules, the panel its
//! application page shows, and (server only) the hooks the engine calls inside a transition's
//! transaction. Each service folder defines its own [`Service`]; `crate::services` lists them.
//! The engine looks a kind up there and never names a service.

use super::model::Kind;
use super::ApplicationRow;
use leptos::prelude::AnyView;
#[cfg(feature = "ssr")]
use {
    super::eligibility::{Facts, RuleCheck},
    crate::policy::Policy,
    crate::shared::time::Date,
};

/// The extra part of an application's page that belongs to its service (the certificate an
/// approved request issued, the seat a traineeship took, …).
pub struct PanelProps {
    pub application: ApplicationRow,
    /// What [`ssr::Hooks::panel_data`] returned for this application.
    pub data: serde_json::Value,
    /// Shown to a case worker (true) or to the applicant.
    pub staff: bool,
    /// The page to come back to after a form in the panel.
    pub back: String,
}

pub struct Service {
    pub kind: Kind,
    /// Graduates can apply online; the others show their eligibility and open as they land.
    pub open: bool,
    /// Where a graduate starts an application of this kind when it needs more than the generic
    /// "apply" (a form of its own, or a course or position to choose first).
    pub form: Option<&'static str>,
    /// Its form keeps a draft of what the graduate typed (see `applications::drafts`).
    pub keeps_drafts: bool,
    /// The documents a graduate should have ready before starting, as locale keys (`doc.…`),
    /// listed on "what can I apply for" and on top of the form.
    pub documents: &'static [&'static str],
    /// Has an end after approval (training finished, loan disbursed): offers "complete".
    pub completes: bool,
    /// The kind's rules beyond a complete profile (evaluated on the server only).
    #[cfg(feature = "ssr")]
    pub rules: fn(&Facts, &Policy, Date) -> Vec<RuleCheck>,
    /// The kind's own part of the application page.
    pub panel: Option<fn(PanelProps) -> AnyView>,
    #[cfg(feature = "ssr")]
    pub hooks: &'static dyn ssr::Hooks,
}

/// No rules beyond a complete profile.
#[cfg(feature = "ssr")]
pub fn no_rules(_: &Facts, _: &Policy, _: Date) -> Vec<RuleCheck> {
    Vec::new()
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::applications::model::Status;
    use crate::error::{AppError, AppResult, FieldErrors};
    use crate::shared::identity::Me;
    use sqlx::AnyConnection;

    /// A kind's typed payload: a serde struct stored as JSON, checked before it is saved.
    pub trait Payload: serde::Serialize + serde::de::DeserializeOwned {
        fn validate(&self) -> Result<(), FieldErrors> {
            Ok(())
        }
    }

    /// Serialises a checked payload for the engine.
    pub fn to_json<P: Payload>(payload: &P) -> AppResult<serde_json::Value> {
        payload.validate().map_err(AppError::Invalid)?;
        serde_json::to_value(payload).map_err(AppError::internal)
    }

    /// An application that just moved, as the hooks see it.
    pub struct Moved<'a> {
        pub application_id: i64,
        pub applicant_id: i64,
        pub reference: &'a str,
        pub from: Status,
        pub to: Status,
        pub actor: &'a Me,
    }

    /// What the engine calls on a service. Every hook runs inside the transaction that moves
    /// the application, so its writes commit or roll back with the move.
    #[async_trait::async_trait]
    pub trait Hooks: Send + Sync {
        /// The payload of an application made straight from "what can I apply for" (kinds
        /// without a form of their own), read from what the applicant already gave.
        async fn payload(&self, _conn: &mut AnyConnection, _applicant: &Me) -> AppResult<serde_json::Value> {
            Ok(serde_json::json!({}))
        }

        /// After a case worker approves (issue a certificate, take a seat, record an amount).
        async fn on_approved(&self, _conn: &mut AnyConnection, _moved: &Moved<'_>) -> AppResult<()> {
            Ok(())
        }

        /// After a case worker marks an approved application finished.
        async fn on_completed(&self, _conn: &mut AnyConnection, _moved: &Moved<'_>) -> AppResult<()> {
            Ok(())
        }

        /// After any other move (withdrawn, rejected, …): release what approval took.
        async fn on_other(&self, _conn: &mut AnyConnection, _moved: &Moved<'_>) -> AppResult<()> {
            Ok(())
        }

        /// Data for the kind's panel on the application page.
        async fn panel_data(&self, _conn: &mut AnyConnection, _application_id: i64) -> AppResult<Option<serde_json::Value>> {
            Ok(None)
        }
    }

    /// Hooks that do nothing: for kinds whose service has not landed yet.
    pub struct NoHooks;
    impl Hooks for NoHooks {}
}
