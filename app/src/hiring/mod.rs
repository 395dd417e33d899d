//! The applicant pipeline: a graduate applies to a listed vacancy with their profile and a
//! cover note; the employer moves the application applied → shortlisted → interview (time and
//! place) → offered → hired, or rejects it, and the graduate may withdraw. A hired graduate
//! confirms, which updates the employment status in their profile. Every move is one
//! transaction with a timeline row, an in-app notification and an email, on the shared status
//! machine (`applications::machine`).

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::applications::machine::Move;
use crate::shared::identity::Role;
use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    pub enum Stage: "stage" {
        Applied = "applied",
        Shortlisted = "shortlisted",
        /// Invited to an interview at a time and place.
        Interview = "interview",
        Offered = "offered",
        Hired = "hired",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
}

crate::labelled_enum! {
    pub enum StageAction: "stage_action" {
        Shortlist = "shortlist",
        /// Invite to an interview, or move the interview (time and place are required).
        Interview = "interview",
        Offer = "offer",
        Hire = "hire",
        Reject = "reject",
        /// The graduate's own: they no longer want the job.
        Withdraw = "withdraw",
    }
}

impl Stage {
    /// Still in play: the employer may move it, the graduate may withdraw.
    pub fn is_open(self) -> bool {
        matches!(self, Stage::Applied | Stage::Shortlisted | Stage::Interview | Stage::Offered)
    }
}

/// Who may move an application from where to where. A step may be skipped forward (a small
/// employer may offer straight after a call) but never back.
pub const MOVES: &[Move<Stage, StageAction, Role>] = {
    use Role::{Employer, Graduate};
    use Stage as S;
    use StageAction as A;
    const OPEN: &[Stage] = &[S::Applied, S::Shortlisted, S::Interview, S::Offered];
    &[
        Move { from: &[S::Applied], action: A::Shortlist, by: Employer, to: S::Shortlisted },
        Move { from: &[S::Applied, S::Shortlisted, S::Interview], action: A::Interview, by: Employer, to: S::Interview },
        Move { from: &[S::Applied, S::Shortlisted, S::Interview], action: A::Offer, by: Employer, to: S::Offered },
        Move { from: &[S::Offered], action: A::Hire, by: Employer, to: S::Hired },
        Move { from: OPEN, action: A::Reject, by: Employer, to: S::Rejected },
        Move { from: OPEN, action: A::Withdraw, by: Graduate, to: S::Withdrawn },
    ]
};

/// One timeline row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StageEvent {
    pub from_status: Stage,
    pub to_status: Stage,
    pub actor_role: Role,
    pub reason: String,
    pub note: String,
    pub at: i64,
}

/// Where an application stands: what both sides see of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Progress {
    pub status: Stage,
    pub version: i64,
    pub cover_note: String,
    /// `YYYY-MM-DDTHH:MM` and the place, once an interview is set.
    pub interview_at: Option<String>,
    pub interview_place: Option<String>,
    /// When the graduate confirmed a hire.
    pub confirmed_at: Option<i64>,
    /// When the graduate applied.
    pub created_at: i64,
}

/// An application as the graduate sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct JobApplication {
    pub id: i64,
    pub vacancy_id: i64,
    pub vacancy_title: String,
    pub employer_name: String,
    #[cfg_attr(feature = "ssr", sqlx(flatten))]
    pub progress: Progress,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub events: Vec<StageEvent>,
}

/// An applicant as the employer sees them: what applying shares (the form says so), with the
/// ID number masked and the age instead of the birth date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Applicant {
    pub id: i64,
    #[cfg_attr(feature = "ssr", sqlx(flatten))]
    pub progress: Progress,
    pub full_name: String,
    pub masked_id: String,
    pub birth_date: String,
    pub school: String,
    pub major: String,
    pub degree: crate::shared::values::Degree,
    pub graduation_date: String,
    pub phone: String,
    pub email: String,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub age: i32,
}

/// The employer's view of one vacancy's applicants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicants {
    pub vacancy_id: i64,
    pub title: String,
    pub applicants: Vec<Applicant>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applications::machine::{allowed, next};
    use Role::{Employer, Graduate};
    use Stage as S;
    use StageAction as A;

    #[test]
    fn the_pipeline_moves_forward_only_and_each_side_has_its_own_actions() {
        assert_eq!(next(MOVES, S::Applied, A::Shortlist, Employer), Some(S::Shortlisted));
        assert_eq!(next(MOVES, S::Shortlisted, A::Interview, Employer), Some(S::Interview));
        assert_eq!(next(MOVES, S::Interview, A::Interview, Employer), Some(S::Interview), "an interview can be moved");
        assert_eq!(next(MOVES, S::Interview, A::Offer, Employer), Some(S::Offered));
        assert_eq!(next(MOVES, S::Offered, A::Hire, Employer), Some(S::Hired));
        assert_eq!(next(MOVES, S::Applied, A::Hire, Employer), None, "no hire without an offer");
        assert_eq!(next(MOVES, S::Offered, A::Shortlist, Employer), None, "never back");
        assert_eq!(next(MOVES, S::Applied, A::Shortlist, Graduate), None);
        assert_eq!(next(MOVES, S::Offered, A::Withdraw, Graduate), Some(S::Withdrawn));
        assert_eq!(next(MOVES, S::Hired, A::Withdraw, Graduate), None, "a hire is settled");
        for closed in [S::Hired, S::Rejected, S::Withdrawn] {
            assert!(allowed(MOVES, closed, Employer).is_empty() && allowed(MOVES, closed, Graduate).is_empty(), "{closed:?}");
            assert!(!closed.is_open());
        }
        assert_eq!(allowed(MOVES, S::Applied, Graduate), vec![A::Withdraw]);
    }
}
