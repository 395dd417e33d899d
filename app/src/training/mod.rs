//! Skills training (技能培训) and the training subsidy (技能培训补贴). The kinds' descriptors and
//! eligibility; programmes, enrollment and results arrive with the training service.

#[cfg(feature = "ssr")]
use crate::applications::eligibility::{check, Facts, RuleCheck};
use crate::applications::model::Kind;
#[cfg(feature = "ssr")]
use crate::applications::model::Status;
#[cfg(feature = "ssr")]
use crate::applications::service::no_rules;
use crate::applications::service::Service;
#[cfg(feature = "ssr")]
use crate::policy::Policy;
#[cfg(feature = "ssr")]
use crate::shared::time::Date;

pub static SKILLS_TRAINING: Service = Service {
    kind: Kind::SkillsTraining,
    open: false,
    completes: true,
    #[cfg(feature = "ssr")]
    rules: no_rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &crate::applications::service::ssr::NoHooks,
};

pub static TRAINING_SUBSIDY: Service = Service {
    kind: Kind::TrainingSubsidy,
    open: false,
    completes: false,
    #[cfg(feature = "ssr")]
    rules: subsidy_rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &crate::applications::service::ssr::NoHooks,
};

#[cfg(feature = "ssr")]
/// The subsidy follows a finished course.
fn subsidy_rules(facts: &Facts, _: &Policy, _: Date) -> Vec<RuleCheck> {
    vec![check("rule.training_completed", vec![], facts.has(Kind::SkillsTraining, &[Status::Completed]))]
}
