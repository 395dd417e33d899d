//! The application engine's rules, free of storage: the kinds, the statuses and which role may
//! move an application from one status to the next. [`next_status`] is the only table of
//! allowed transitions; the transaction in `ssr::transition` consults it and nothing else
//! writes a status.

use crate::account::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    JobseekerRegistration,
    EmploymentCertificate,
    Traineeship,
    StartupTraining,
    StartupLoan,
    StartupSubsidy,
    Incubation,
    SkillsTraining,
    TrainingSubsidy,
    FlexibleInsuranceSubsidy,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::JobseekerRegistration,
        Kind::EmploymentCertificate,
        Kind::Traineeship,
        Kind::StartupTraining,
        Kind::StartupLoan,
        Kind::StartupSubsidy,
        Kind::Incubation,
        Kind::SkillsTraining,
        Kind::TrainingSubsidy,
        Kind::FlexibleInsuranceSubsidy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::JobseekerRegistration => "jobseeker_registration",
            Kind::EmploymentCertificate => "employment_certificate",
            Kind::Traineeship => "traineeship",
            Kind::StartupTraining => "startup_training",
            Kind::StartupLoan => "startup_loan",
            Kind::StartupSubsidy => "startup_subsidy",
            Kind::Incubation => "incubation",
            Kind::SkillsTraining => "skills_training",
            Kind::TrainingSubsidy => "training_subsidy",
            Kind::FlexibleInsuranceSubsidy => "flexible_insurance_subsidy",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("kind.{}", self.as_str())
    }

    /// Whether the kind has an end after approval (training finished, loan disbursed).
    pub fn has_completion(self) -> bool {
        matches!(
            self,
            Kind::Traineeship | Kind::StartupTraining | Kind::StartupLoan | Kind::SkillsTraining | Kind::Incubation
        )
    }

    /// Kinds a graduate can already apply for online; the others show their eligibility and
    /// open as their services land.
    pub fn open_for_applications(self) -> bool {
        matches!(self, Kind::JobseekerRegistration | Kind::EmploymentCertificate)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Draft,
    Submitted,
    InReview,
    NeedsInfo,
    Approved,
    Rejected,
    Completed,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Submitted,
        Status::InReview,
        Status::NeedsInfo,
        Status::Approved,
        Status::Rejected,
        Status::Completed,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::InReview => "in_review",
            Status::NeedsInfo => "needs_info",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Completed => "completed",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("status.{}", self.as_str())
    }

    /// Still open: neither decided nor withdrawn.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Draft | Status::Submitted | Status::InReview | Status::NeedsInfo)
    }
}

/// What someone does to an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Applicant: send the draft, or the answer to a request for information.
    Submit,
    /// Case worker: take it up.
    StartReview,
    /// Case worker: ask the applicant for more (reason required).
    RequestInfo,
    Approve,
    /// Case worker (reason required).
    Reject,
    /// Case worker: mark an approved application finished, where the kind has an end.
    Complete,
    /// Applicant, any time before a decision.
    Withdraw,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Submit,
        Action::StartReview,
        Action::RequestInfo,
        Action::Approve,
        Action::Reject,
        Action::Complete,
        Action::Withdraw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::StartReview => "start_review",
            Action::RequestInfo => "request_info",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Complete => "complete",
            Action::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("action.{}", self.as_str())
    }

    pub fn needs_reason(self) -> bool {
        matches!(self, Action::RequestInfo | Action::Reject)
    }
}

/// Who is acting, relative to the application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// The applicant themself.
    Applicant,
    /// A case worker or an admin.
    Staff,
    /// Anyone else: may do nothing.
    Other,
}

impl Actor {
    pub fn of(role: Role, is_applicant: bool) -> Actor {
        if role.is_staff() {
            Actor::Staff
        } else if is_applicant {
            Actor::Applicant
        } else {
            Actor::Other
        }
    }
}

/// The status an action leads to, or `None` when this actor may not take it from `from`.
pub fn next_status(kind: Kind, from: Status, action: Action, actor: Actor) -> Option<Status> {
    use Action as A;
    use Status as S;
    match (actor, from, action) {
        (Actor::Applicant, S::Draft | S::NeedsInfo, A::Submit) => Some(S::Submitted),
        (Actor::Applicant, S::Draft | S::Submitted | S::InReview | S::NeedsInfo, A::Withdraw) => Some(S::Withdrawn),
        (Actor::Staff, S::Submitted, A::StartReview) => Some(S::InReview),
        (Actor::Staff, S::Submitted | S::InReview, A::RequestInfo) => Some(S::NeedsInfo),
        (Actor::Staff, S::Submitted | S::InReview, A::Approve) => Some(S::Approved),
        (Actor::Staff, S::Submitted | S::InReview, A::Reject) => Some(S::Rejected),
        (Actor::Staff, S::Approved, A::Complete) if kind.has_completion() => Some(S::Completed),
        _ => None,
    }
}

/// The actions this actor may take now, in the order the page offers them.
pub fn allowed_actions(kind: Kind, from: Status, actor: Actor) -> Vec<Action> {
    Action::ALL.into_iter().filter(|a| next_status(kind, from, *a, actor).is_some()).collect()
}

/// `LS-2026-000123`.
pub fn reference(year: i32, number: i64) -> String {
    format!("LS-{year}-{number:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_applicant_submits_withdraws_and_answers_requests() {
        let k = Kind::JobseekerRegistration;
        assert_eq!(next_status(k, Status::Draft, Action::Submit, Actor::Applicant), Some(Status::Submitted));
        assert_eq!(next_status(k, Status::NeedsInfo, Action::Submit, Actor::Applicant), Some(Status::Submitted));
        for from in [Status::Draft, Status::Submitted, Status::InReview, Status::NeedsInfo] {
            assert_eq!(next_status(k, from, Action::Withdraw, Actor::Applicant), Some(Status::Withdrawn), "{from:?}");
        }
        for decided in [Status::Approved, Status::Rejected, Status::Completed, Status::Withdrawn] {
            assert_eq!(next_status(k, decided, Action::Withdraw, Actor::Applicant), None, "{decided:?}");
        }
    }

    #[test]
    fn only_staff_decide_and_only_the_applicant_submits() {
        let k = Kind::JobseekerRegistration;
        for action in [Action::StartReview, Action::RequestInfo, Action::Approve, Action::Reject, Action::Complete] {
            for from in Status::ALL {
                assert_eq!(next_status(k, from, action, Actor::Applicant), None, "{action:?} from {from:?}");
            }
        }
        for from in Status::ALL {
            assert_eq!(next_status(k, from, Action::Submit, Actor::Staff), None);
            assert_eq!(next_status(k, from, Action::Withdraw, Actor::Staff), None);
            for action in Action::ALL {
                assert_eq!(next_status(k, from, action, Actor::Other), None, "strangers can do nothing");
            }
        }
        assert_eq!(next_status(k, Status::InReview, Action::Approve, Actor::Staff), Some(Status::Approved));
        assert_eq!(next_status(k, Status::InReview, Action::RequestInfo, Actor::Staff), Some(Status::NeedsInfo));
        assert_eq!(next_status(k, Status::NeedsInfo, Action::Approve, Actor::Staff), None, "wait for the answer");
        assert_eq!(next_status(k, Status::Draft, Action::StartReview, Actor::Staff), None, "drafts are private");
    }

    #[test]
    fn completion_exists_only_for_kinds_with_an_end() {
        assert_eq!(next_status(Kind::JobseekerRegistration, Status::Approved, Action::Complete, Actor::Staff), None);
        assert_eq!(next_status(Kind::StartupLoan, Status::Approved, Action::Complete, Actor::Staff), Some(Status::Completed));
    }

    #[test]
    fn names_round_trip_and_references_are_zero_padded() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        assert_eq!(reference(2026, 123), "LS-2026-000123");
    }
}
