//! The application engine's rules, free of storage: the kinds, the statuses and which role may
//! move an application from one status to the next. [`MOVES`] is the only table of allowed
//! transitions; the transaction in `ssr::transition` consults it and nothing else writes a
//! status.

use super::machine::{self, Move};
use crate::shared::identity::Role;

crate::labelled_enum! {
    /// Every kind of application. This is the one list of services the engine has; what each
    /// kind means (payload, rules, side effects, panel) its own folder says, and
    /// `crate::services` lists those descriptors.
    pub enum Kind: "kind" {
        JobseekerRegistration = "jobseeker_registration",
        EmploymentCertificate = "employment_certificate",
        Traineeship = "traineeship",
        StartupTraining = "startup_training",
        StartupLoan = "startup_loan",
        StartupSubsidy = "startup_subsidy",
        Incubation = "incubation",
        SkillsTraining = "skills_training",
        TrainingSubsidy = "training_subsidy",
        FlexibleInsuranceSubsidy = "flexible_insurance_subsidy",
    }
}

crate::labelled_enum! {
    pub enum Status: "status" {
        Draft = "draft",
        Submitted = "submitted",
        InReview = "in_review",
        NeedsInfo = "needs_info",
        Approved = "approved",
        Rejected = "rejected",
        Completed = "completed",
        Withdrawn = "withdrawn",
    }
}

impl Status {
    /// Neither decided nor withdrawn: the work still to do.
    pub const OPEN: [Status; 4] = [Status::Draft, Status::Submitted, Status::InReview, Status::NeedsInfo];
    /// What the case workers' queue shows by default.
    pub const IN_QUEUE: [Status; 3] = [Status::Submitted, Status::InReview, Status::NeedsInfo];

    pub fn is_open(self) -> bool {
        Status::OPEN.contains(&self)
    }
}

crate::labelled_enum! {
    /// What someone does to an application.
    pub enum Action: "action" {
        /// Applicant: send the draft, or the answer to a request for information.
        Submit = "submit",
        /// Case worker: take it up.
        StartReview = "start_review",
        /// Case worker: ask the applicant for more (reason required).
        RequestInfo = "request_info",
        Approve = "approve",
        /// Case worker (reason required).
        Reject = "reject",
        /// Case worker: mark an approved application finished, where the kind has an end.
        Complete = "complete",
        /// Applicant, any time before a decision.
        Withdraw = "withdraw",
    }
}

impl Action {
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

/// The applications' moves, for every kind. `Complete` is offered only for kinds whose
/// descriptor says they have an end ([`next_status`]).
pub const MOVES: &[Move<Status, Action, Actor>] = {
    use Action as A;
    use Actor::{Applicant, Staff};
    use Status as S;
    &[
        Move { from: &[S::Draft, S::NeedsInfo], action: A::Submit, by: Applicant, to: S::Submitted },
        Move { from: &[S::Submitted], action: A::StartReview, by: Staff, to: S::InReview },
        Move { from: &[S::Submitted, S::InReview], action: A::RequestInfo, by: Staff, to: S::NeedsInfo },
        Move { from: &[S::Submitted, S::InReview], action: A::Approve, by: Staff, to: S::Approved },
        Move { from: &[S::Submitted, S::InReview], action: A::Reject, by: Staff, to: S::Rejected },
        Move { from: &[S::Approved], action: A::Complete, by: Staff, to: S::Completed },
        Move { from: &[S::Draft, S::Submitted, S::InReview, S::NeedsInfo], action: A::Withdraw, by: Applicant, to: S::Withdrawn },
    ]
};

/// The status an action leads to, or `None` when this actor may not take it from `from`.
/// `completes` is the kind's descriptor's answer to "does it have an end after approval".
pub fn next_status(completes: bool, from: Status, action: Action, actor: Actor) -> Option<Status> {
    if action == Action::Complete && !completes {
        return None;
    }
    machine::next(MOVES, from, action, actor)
}

/// The actions this actor may take now, in the order the page offers them.
pub fn allowed_actions(completes: bool, from: Status, actor: Actor) -> Vec<Action> {
    Action::ALL.into_iter().filter(|a| next_status(completes, from, *a, actor).is_some()).collect()
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
        let k = false;
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
        let k = false;
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
        assert_eq!(next_status(false, Status::Approved, Action::Complete, Actor::Staff), None);
        assert_eq!(next_status(true, Status::Approved, Action::Complete, Actor::Staff), Some(Status::Completed));
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
