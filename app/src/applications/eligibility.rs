//! Who may apply for what, as data: each kind's service lists its rules over the graduate's
//! profile, their earlier applications and the policy parameters in force (the rule functions
//! live in the service folders; the helpers they share are here). Every rule reports whether it
//! holds and, in words (an i18n key with values), what it asks. The same evaluation drives the
//! "what can I apply for" page and refuses ineligible submissions.

use super::model::{Kind, Status};
use crate::policy::{Param, Policy};
use crate::shared::time::Date;
use crate::shared::values::EmploymentStatus;
use serde::{Deserialize, Serialize};

/// What the rules need to know about a graduate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// `None` until the profile is saved complete.
    pub profile: Option<ProfileFacts>,
    /// Every earlier application: kind and current status.
    pub history: Vec<(Kind, Status)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileFacts {
    pub birth_date: Date,
    pub graduation_date: Date,
    pub household_in_leshan: bool,
    pub employment_status: EmploymentStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCheck {
    /// i18n key of the rule's wording, e.g. `rule.graduated_within_years`.
    pub key: String,
    /// Values for the wording's placeholders.
    pub args: Vec<(String, String)>,
    pub passed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    pub kind: Kind,
    pub checks: Vec<RuleCheck>,
}

impl Eligibility {
    pub fn eligible(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
    /// The first rule that fails, if any.
    pub fn first_failure(&self) -> Option<&RuleCheck> {
        self.checks.iter().find(|c| !c.passed)
    }
}

/// A rule's result: its i18n key, the values for its wording and whether it holds.
pub fn check(key: &str, args: Vec<(&str, String)>, passed: bool) -> RuleCheck {
    RuleCheck { key: key.to_string(), args: args.into_iter().map(|(k, v)| (k.to_string(), v)).collect(), passed }
}

impl Facts {
    /// Whether an earlier application of `kind` is in one of `statuses`.
    pub fn has(&self, kind: Kind, statuses: &[Status]) -> bool {
        self.history.iter().any(|(k, s)| *k == kind && statuses.contains(s))
    }

    /// "Left school within the years that `param` sets", as a rule.
    pub fn graduated_within(&self, param: Param, policy: &Policy, today: Date) -> RuleCheck {
        let years = policy.get(param, today) as i32;
        let ok = self.profile.as_ref().is_some_and(|p| p.graduation_date <= today && today <= p.graduation_date.plus_years(years));
        check("rule.graduated_within_years", vec![("years", years.to_string())], ok)
    }

    /// "Not already holding an open or approved application of `kind`", as the rule `key`.
    pub fn no_second(&self, kind: Kind, key: &str) -> RuleCheck {
        check(key, vec![], !self.has(kind, OPEN_OR_APPROVED))
    }

    /// "Employment status is `status`", as the rule `key`.
    pub fn employment_is(&self, status: EmploymentStatus, key: &str) -> RuleCheck {
        check(key, vec![], self.profile.as_ref().is_some_and(|p| p.employment_status == status))
    }
}

pub const OPEN_OR_APPROVED: &[Status] = &[Status::Draft, Status::Submitted, Status::InReview, Status::NeedsInfo, Status::Approved, Status::Completed];
pub const APPROVED: &[Status] = &[Status::Approved, Status::Completed];

/// The eligibility of one kind: a complete profile first, then the rules its service lists.
pub fn evaluate(kind: Kind, facts: &Facts, policy: &Policy, today: Date) -> Eligibility {
    let mut checks = vec![check("rule.profile_complete", vec![], facts.profile.is_some())];
    checks.extend((crate::services::service(kind).rules)(facts, policy, today));
    Eligibility { kind, checks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn graduate(graduated: &str, status: &str) -> Facts {
        let status = EmploymentStatus::parse(status).unwrap();
        Facts {
            profile: Some(ProfileFacts {
                birth_date: d("2001-03-01"),
                graduation_date: d(graduated),
                household_in_leshan: true,
                employment_status: status,
            }),
            history: vec![],
        }
    }

    #[test]
    fn without_a_complete_profile_nothing_is_open_and_the_page_says_why() {
        let e = evaluate(Kind::JobseekerRegistration, &Facts::default(), &Policy::seeded(), d("2026-11-30"));
        assert!(!e.eligible());
        assert_eq!(e.first_failure().unwrap().key, "rule.profile_complete");
    }

    #[test]
    fn one_registration_at_a_time_and_a_certificate_only_after_approval() {
        let today = d("2026-11-30");
        let mut facts = graduate("2026-06-30", "unemployed");
        let policy = Policy::seeded();
        assert!(evaluate(Kind::JobseekerRegistration, &facts, &policy, today).eligible());
        assert!(!evaluate(Kind::EmploymentCertificate, &facts, &policy, today).eligible());

        facts.history.push((Kind::JobseekerRegistration, Status::Submitted));
        assert_eq!(evaluate(Kind::JobseekerRegistration, &facts, &policy, today).first_failure().unwrap().key, "rule.not_already_registered");

        facts.history[0].1 = Status::Approved;
        assert!(evaluate(Kind::EmploymentCertificate, &facts, &policy, today).eligible());
        facts.history.push((Kind::EmploymentCertificate, Status::Approved));
        assert_eq!(evaluate(Kind::EmploymentCertificate, &facts, &policy, today).first_failure().unwrap().key, "rule.no_certificate_yet");

        // A rejected or withdrawn registration does not block a new one.
        let mut again = graduate("2026-06-30", "unemployed");
        again.history.push((Kind::JobseekerRegistration, Status::Rejected));
        again.history.push((Kind::JobseekerRegistration, Status::Withdrawn));
        assert!(evaluate(Kind::JobseekerRegistration, &again, &policy, today).eligible());
    }

    #[test]
    fn the_startup_subsidy_window_ends_on_the_fifth_anniversary_of_graduation() {
        let policy = Policy::seeded();
        let facts = graduate("2021-06-30", "self_employed");
        assert!(evaluate(Kind::StartupSubsidy, &facts, &policy, d("2026-06-30")).eligible(), "last day counts");
        let late = evaluate(Kind::StartupSubsidy, &facts, &policy, d("2026-07-01"));
        assert!(!late.eligible());
        assert_eq!(late.first_failure().unwrap().args, vec![("years".to_string(), "5".to_string())]);
    }

    #[test]
    fn the_flexible_insurance_subsidy_needs_flexible_work_within_two_years() {
        let policy = Policy::seeded();
        let facts = graduate("2024-12-01", "flexible");
        assert!(evaluate(Kind::FlexibleInsuranceSubsidy, &facts, &policy, d("2026-12-01")).eligible());
        assert!(!evaluate(Kind::FlexibleInsuranceSubsidy, &facts, &policy, d("2026-12-02")).eligible());
        let employed = graduate("2025-06-30", "employed");
        assert_eq!(
            evaluate(Kind::FlexibleInsuranceSubsidy, &employed, &policy, d("2026-11-30")).first_failure().unwrap().key,
            "rule.flexibly_employed"
        );
    }

    #[test]
    fn traineeships_take_recent_graduates_or_anyone_aged_16_to_24() {
        let policy = Policy::seeded();
        // Graduated four years ago, but 24 years old (born 2002-12-01) on 2026-11-30: eligible by age.
        let mut facts = graduate("2022-06-30", "unemployed");
        facts.profile.as_mut().unwrap().birth_date = d("2002-12-01");
        assert!(evaluate(Kind::Traineeship, &facts, &policy, d("2026-11-30")).eligible());
        // The day they turn 25 (and long past the two-year window): not any more.
        facts.profile.as_mut().unwrap().birth_date = d("2001-11-30");
        assert!(!evaluate(Kind::Traineeship, &facts, &policy, d("2026-11-30")).eligible());
    }

    #[test]
    fn a_changed_policy_parameter_changes_the_answer_from_its_effective_date() {
        let mut policy = Policy::seeded();
        policy.set(Param::StartupSubsidyYearsSinceGraduation, d("2027-01-01"), 3.0);
        let facts = graduate("2022-06-30", "self_employed");
        assert!(evaluate(Kind::StartupSubsidy, &facts, &policy, d("2026-12-31")).eligible());
        assert!(!evaluate(Kind::StartupSubsidy, &facts, &policy, d("2027-01-01")).eligible());
    }

    #[test]
    fn a_startup_loan_needs_a_leshan_household_and_no_earlier_loan() {
        let policy = Policy::seeded();
        let mut facts = graduate("2025-06-30", "self_employed");
        assert!(evaluate(Kind::StartupLoan, &facts, &policy, d("2026-11-30")).eligible());
        facts.profile.as_mut().unwrap().household_in_leshan = false;
        assert_eq!(evaluate(Kind::StartupLoan, &facts, &policy, d("2026-11-30")).first_failure().unwrap().key, "rule.household_in_leshan");
    }
}
