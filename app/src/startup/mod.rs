//! Startup services: startup training (创业培训), the guaranteed startup loan (创业担保贷款),
//! the one-off startup subsidy (一次性创业补贴) and admission to an incubation base
//! (创业孵化基地). The kinds' descriptors and eligibility; forms, amounts and spaces arrive with
//! the startup service.

#[cfg(feature = "ssr")]
use crate::applications::eligibility::{check, Facts, RuleCheck, APPROVED};
use crate::applications::model::Kind;
#[cfg(feature = "ssr")]
use crate::applications::service::no_rules;
use crate::applications::service::Service;
#[cfg(feature = "ssr")]
use crate::policy::{Param, Policy};
#[cfg(feature = "ssr")]
use crate::shared::time::Date;

#[cfg(feature = "ssr")]
use crate::applications::service::ssr::NoHooks;

pub static STARTUP_TRAINING: Service = Service {
    kind: Kind::StartupTraining,
    open: false,
    completes: true,
    #[cfg(feature = "ssr")]
    rules: no_rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &NoHooks,
};

pub static STARTUP_LOAN: Service = Service {
    kind: Kind::StartupLoan,
    open: false,
    completes: true,
    #[cfg(feature = "ssr")]
    rules: loan_rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &NoHooks,
};

pub static STARTUP_SUBSIDY: Service = Service {
    kind: Kind::StartupSubsidy,
    open: false,
    completes: false,
    #[cfg(feature = "ssr")]
    rules: subsidy_rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &NoHooks,
};

pub static INCUBATION: Service = Service {
    kind: Kind::Incubation,
    open: false,
    completes: true,
    #[cfg(feature = "ssr")]
    rules: no_rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &NoHooks,
};

#[cfg(feature = "ssr")]
/// A Leshan household and no loan already approved.
fn loan_rules(facts: &Facts, _: &Policy, _: Date) -> Vec<RuleCheck> {
    vec![
        check("rule.household_in_leshan", vec![], facts.profile.as_ref().is_some_and(|p| p.household_in_leshan)),
        check("rule.no_loan_yet", vec![], !facts.has(Kind::StartupLoan, APPROVED)),
    ]
}

#[cfg(feature = "ssr")]
/// Within the configured years of leaving school, and the first subsidy.
fn subsidy_rules(facts: &Facts, policy: &Policy, today: Date) -> Vec<RuleCheck> {
    vec![
        facts.graduated_within(Param::StartupSubsidyYearsSinceGraduation, policy, today),
        check("rule.first_subsidy", vec![], !facts.has(Kind::StartupSubsidy, APPROVED)),
    ]
}
