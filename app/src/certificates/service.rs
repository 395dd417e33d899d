//! The Employment Registration Certificate as a kind of application: it follows an approved
//! registration, one per graduate, and approval issues the certificate in the same
//! transaction. Its panel shows the certificate (with revocation for case workers).

#[cfg(feature = "ssr")]
use crate::applications::eligibility::{check, Facts, RuleCheck, APPROVED};
use crate::applications::model::Kind;
use crate::applications::service::{PanelProps, Service};
use crate::i18n::use_i18n;
#[cfg(feature = "ssr")]
use crate::policy::Policy;
#[cfg(feature = "ssr")]
use crate::shared::time::Date;
use leptos::prelude::*;
use leptos_router::components::A;

pub static CERTIFICATE: Service = Service {
    kind: Kind::EmploymentCertificate,
    open: true,
    form: None,
    completes: false,
    keeps_drafts: false,
    documents: &["doc.id_card", "doc.graduation_certificate", "doc.employment_proof"],
    #[cfg(feature = "ssr")]
    rules,
    panel: Some(panel),
    #[cfg(feature = "ssr")]
    hooks: &ssr::CertificateHooks,
};

#[cfg(feature = "ssr")]
fn rules(facts: &Facts, _: &Policy, _: Date) -> Vec<RuleCheck> {
    vec![
        check("rule.registration_approved", vec![], facts.has(Kind::JobseekerRegistration, APPROVED)),
        facts.no_second(Kind::EmploymentCertificate, "rule.no_certificate_yet"),
    ]
}

/// The issued certificate, its number and code; case workers can also revoke it here.
fn panel(props: PanelProps) -> AnyView {
    let Ok((number, code)) = serde_json::from_value::<(String, String)>(props.data) else {
        return ().into_any();
    };
    let i18n = use_i18n();
    let href = format!("/certificates/{number}");
    let revoke = props.staff.then(|| {
        let number = number.clone();
        view! {
            <h2>{i18n.t("certificate.title")}</h2>
            <super::RevokeForm number back=props.back />
        }
    });
    view! {
        <div class="alert alert-success">
            {i18n.t("certificate.issued_notice")}" "
            <A href=href>{number}</A>
            " · "{i18n.t("certificate.code")}": "<span class="mono">{code}</span>
        </div>
        {revoke}
    }
    .into_any()
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::applications::service::ssr::{Hooks, Moved};
    use crate::error::AppResult;
    use sqlx::AnyConnection;

    pub struct CertificateHooks;

    #[async_trait::async_trait]
    impl Hooks for CertificateHooks {
        async fn on_approved(&self, conn: &mut AnyConnection, moved: &Moved<'_>) -> AppResult<()> {
            crate::certificates::ssr::issue(conn, moved.application_id, moved.applicant_id).await?;
            Ok(())
        }

        async fn panel_data(&self, conn: &mut AnyConnection, application_id: i64) -> AppResult<Option<serde_json::Value>> {
            let found = crate::certificates::ssr::of_application(conn, application_id).await?;
            Ok(found.map(|(number, code)| serde_json::json!([number, code])))
        }
    }
}
