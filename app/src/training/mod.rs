//! Skills training (技能培训) and the training subsidy (技能培训补贴). The kinds' descriptors and
//! eligibility; programmes, enrollment and results arrive with the training service.

use crate::applications::eligibility::{check, Facts, RuleCheck};
use crate::applications::model::{Kind, Status};
use crate::applications::service::{no_rules, Service};
use crate::policy::Policy;
use crate::shared::time::Date;

pub static SKILLS_TRAINING: Service = Service {
    kind: Kind::SkillsTraining,
    open: false,
    completes: true,
    rules: no_rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &crate::applications::service::ssr::NoHooks,
};

pub static TRAINING_SUBSIDY: Service = Service {
    kind: Kind::TrainingSubsidy,
    open: false,
    completes: false,
    rules: subsidy_rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &crate::applications::service::ssr::NoHooks,
};

/// The subsidy follows a finished course.
fn subsidy_rules(facts: &Facts, _: &Policy, _: Date) -> Vec<RuleCheck> {
    vec![check("rule.training_completed", vec![], facts.has(Kind::SkillsTraining, &[Status::Completed]))]
}
