//! Who may apply for what, as data: each kind's service lists its rules over the graduate's
//! profile, their earlier applications and the policy parameters in force (the rule functions
//! live in the service folders; the helpers they share are here). Every rule reports whether it
//! holds and, in words (an i18n key with values), what it asks. The same evaluation drives the
//! "what can I apply for" page and refuses ineligible submissions.

use super::model::{Kind, Status};
#[cfg(feature = "ssr")]
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
    /// False while another account's claim to the same ID number waits for a case worker.
    pub identity_confirmed: bool,
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
#[cfg(feature = "ssr")]
pub fn check(key: &str, args: Vec<(&str, String)>, passed: bool) -> RuleCheck {
    RuleCheck { key: key.to_string(), args: args.into_iter().map(|(k, v)| (k.to_string(), v)).collect(), passed }
}

#[cfg(feature = "ssr")]
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

#[cfg(feature = "ssr")]
pub const OPEN_OR_APPROVED: &[Status] = &[Status::Draft, Status::Submitted, Status::InReview, Status::NeedsInfo, Status::Approved, Status::Completed];
#[cfg(feature = "ssr")]
pub const APPROVED: &[Status] = &[Status::Approved, Status::Completed];

/// The eligibility of one kind: a complete profile first, then the rules its service lists.
#[cfg(feature = "ssr")]
pub fn evaluate(kind: Kind, facts: &Facts, policy: &Policy, today: Date) -> Eligibility {
    let mut checks = vec![check("rule.profile_complete", vec![], facts.profile.is_some())];
    // Listed only when it fails: every saved profile's number is confirmed but for the few a
    // case worker is checking, and the rule would be noise on everybody else's page.
    if facts.profile.as_ref().is_some_and(|p| !p.identity_confirmed) {
        checks.push(check("rule.identity_confirmed", vec![], false));
    }
    checks.extend((crate::services::service(kind).rules)(facts, policy, today));
    Eligibility { kind, checks }
}
