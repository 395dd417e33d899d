//! Youth traineeships (青年见习计划): recent graduates and young people spend months at a
//! traineeship base with a monthly stipend. The kind's descriptor and eligibility; the
//! positions, sign-ups and seats arrive with the traineeship service.

#[cfg(feature = "ssr")]
use crate::applications::eligibility::{check, Facts, RuleCheck};
use crate::applications::model::Kind;
use crate::applications::service::Service;
#[cfg(feature = "ssr")]
use crate::policy::{Param, Policy};
#[cfg(feature = "ssr")]
use crate::shared::time::Date;
#[cfg(feature = "ssr")]
use crate::shared::values::EmploymentStatus;

pub static TRAINEESHIP: Service = Service {
    kind: Kind::Traineeship,
    open: false,
    completes: true,
    #[cfg(feature = "ssr")]
    rules,
    panel: None,
    #[cfg(feature = "ssr")]
    hooks: &crate::applications::service::ssr::NoHooks,
};

#[cfg(feature = "ssr")]
/// Unemployed, and either within the configured years of leaving school or aged 16 to 24.
fn rules(facts: &Facts, policy: &Policy, today: Date) -> Vec<RuleCheck> {
    let years = policy.get(Param::TraineeshipYearsSinceGraduation, today) as i32;
    let (min_age, max_age) = (policy.get(Param::TraineeshipMinAge, today) as i32, policy.get(Param::TraineeshipMaxAge, today) as i32);
    let ok = facts.profile.as_ref().is_some_and(|p| {
        let recent = p.graduation_date <= today && today <= p.graduation_date.plus_years(years);
        let age = p.birth_date.years_until(today);
        recent || (min_age..=max_age).contains(&age)
    });
    vec![
        check(
            "rule.traineeship_window",
            vec![("years", years.to_string()), ("min_age", min_age.to_string()), ("max_age", max_age.to_string())],
            ok,
        ),
        facts.employment_is(EmploymentStatus::Unemployed, "rule.unemployed"),
    ]
}
