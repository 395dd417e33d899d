//! The flexible-employment social insurance subsidy (灵活就业社会保险补贴). The kind's descriptor
//! and eligibility; the contribution form and the computed amount arrive with the service.

#[cfg(feature = "ssr")]
use crate::applications::eligibility::{Facts, RuleCheck};
use crate::applications::model::Kind;
use crate::applications::service::Service;
#[cfg(feature = "ssr")]
use crate::policy::{Param, Policy};
#[cfg(feature = "ssr")]
use crate::shared::time::Date;
#[cfg(feature = "ssr")]
use crate::shared::values::EmploymentStatus;

pub static FLEXIBLE_INSURANCE_SUBSIDY: Service = Service {
    kind: Kind::FlexibleInsuranceSubsidy,
    open: false,
    completes: false,
    #[cfg(feature = "ssr")]
    rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &crate::applications::service::ssr::NoHooks,
};

#[cfg(feature = "ssr")]
/// Within the configured years of leaving school, and working flexibly.
fn rules(facts: &Facts, policy: &Policy, today: Date) -> Vec<RuleCheck> {
    vec![
        facts.graduated_within(Param::FlexibleInsuranceYearsSinceGraduation, policy, today),
        facts.employment_is(EmploymentStatus::Flexible, "rule.flexibly_employed"),
    ]
}
