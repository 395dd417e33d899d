//! Vacancies (招聘岗位): employers post jobs and traineeship positions; each posting is screened
//! for the traps the centre warns graduates about before it is published; anyone searches the
//! published ones by Chinese or English keywords and filters, without signing in.
//!
//! A vacancy's status moves through the shared status machine (`applications::machine`):
//! draft → published (a clean posting from a verified employer) or pending_review (flagged) →
//! published / rejected by a case worker; published → closed. "Expired" needs no job: search
//! and the public page compare `expires_on` with today. A case worker handling a complaint
//! suspends a posting (any status → suspended, which nobody but a case worker leaves: reinstated,
//! it is closed and its employer may publish it again), or its whole employer (`suspension`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
mod machine_ssr;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod posting;
pub mod screening;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub mod suspension;

use crate::applications::machine::Move;
use crate::shared::values::Place;
use screening::Finding;
use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    /// The job categories a posting is filed under.
    pub enum Category: "category" {
        Finance = "finance",
        Software = "software",
        Sales = "sales",
        Education = "education",
        Health = "health",
        Manufacturing = "manufacturing",
        Construction = "construction",
        Tourism = "tourism",
        Logistics = "logistics",
        Administration = "administration",
        Agriculture = "agriculture",
        Other = "other",
    }
}

impl Category {
    /// The most a posting in this category usually pays a graduate per month in Leshan, in
    /// yuan: the screening flags pay far above it (see `screening::screen`).
    pub fn typical_max_salary(self) -> i64 {
        match self {
            Category::Software => 15_000,
            Category::Finance | Category::Health | Category::Construction => 10_000,
            Category::Sales | Category::Education | Category::Manufacturing | Category::Logistics => 9_000,
            Category::Tourism | Category::Administration | Category::Agriculture | Category::Other => 8_000,
        }
    }
}

crate::labelled_enum! {
    /// The least education a posting asks for.
    pub enum Education: "education" {
        Any = "any",
        HighSchool = "high_school",
        JuniorCollege = "junior_college",
        Bachelor = "bachelor",
        Master = "master",
        Doctorate = "doctorate",
    }
}

crate::labelled_enum! {
    pub enum VacancyKind: "vacancy_kind" {
        Job = "job",
        /// A traineeship position at a traineeship base: seats, months and a monthly stipend.
        Traineeship = "traineeship",
    }
}

crate::labelled_enum! {
    pub enum VacancyStatus: "vacancy_status" {
        Draft = "draft",
        PendingReview = "pending_review",
        Published = "published",
        Closed = "closed",
        Expired = "expired",
        Rejected = "rejected",
        /// Taken down by a case worker from a complaint; only a case worker lifts it.
        Suspended = "suspended",
    }
}

crate::labelled_enum! {
    pub enum VacancyAction: "vacancy_action" {
        /// Employer: save without publishing.
        SaveDraft = "save_draft",
        /// Employer: a clean posting goes out at once.
        Publish = "publish",
        /// Employer: a flagged posting waits for a case worker.
        Hold = "hold",
        /// Case worker: the flag was wrong, publish.
        Approve = "approve",
        /// Case worker (reason required).
        Reject = "reject",
        /// Employer or case worker: take it off the list.
        Close = "close",
        /// Case worker, from a complaint about this posting (reason required, told to the employer).
        Suspend = "suspend",
        /// Case worker: the posting goes down with its suspended employer.
        SuspendWithEmployer = "suspend_with_employer",
        /// Case worker: the suspension is lifted; the posting is closed, and its employer may
        /// publish it again (screened again).
        Reinstate = "reinstate",
    }
}

/// Who acts on a vacancy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VacancyActor {
    Owner,
    Staff,
}

/// The vacancies' moves. Saving or publishing an edited posting starts from any status but
/// pending review; the screening picks `Publish` or `Hold`.
pub const MOVES: &[Move<VacancyStatus, VacancyAction, VacancyActor>] = {
    use VacancyAction as A;
    use VacancyActor::{Owner, Staff};
    use VacancyStatus as S;
    const EDITABLE: &[VacancyStatus] = &[S::Draft, S::Published, S::Closed, S::Rejected];
    &[
        Move { from: EDITABLE, action: A::SaveDraft, by: Owner, to: S::Draft },
        Move { from: EDITABLE, action: A::Publish, by: Owner, to: S::Published },
        Move { from: EDITABLE, action: A::Hold, by: Owner, to: S::PendingReview },
        Move { from: &[S::PendingReview], action: A::Approve, by: Staff, to: S::Published },
        Move { from: &[S::PendingReview], action: A::Reject, by: Staff, to: S::Rejected },
        Move { from: &[S::Published], action: A::Close, by: Owner, to: S::Closed },
        Move { from: &[S::Published, S::PendingReview], action: A::Close, by: Staff, to: S::Closed },
        Move { from: &[S::Draft, S::PendingReview, S::Published, S::Closed, S::Expired, S::Rejected], action: A::Suspend, by: Staff, to: S::Suspended },
        Move { from: &[S::PendingReview, S::Published], action: A::SuspendWithEmployer, by: Staff, to: S::Suspended },
        Move { from: &[S::Suspended], action: A::Reinstate, by: Staff, to: S::Closed },
    ]
};

/// What screening found, stored as JSON beside the posting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Findings(pub Vec<Finding>);

impl TryFrom<String> for Findings {
    type Error = serde_json::Error;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        serde_json::from_str(&text)
    }
}

/// One vacancy, as its page, its employer and the case workers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Vacancy {
    pub id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub place: Place,
    pub salary_min: i64,
    pub salary_max: i64,
    pub education: Education,
    pub headcount: i64,
    pub kind: VacancyKind,
    pub seats: Option<i64>,
    pub period_months: Option<i64>,
    pub stipend: Option<i64>,
    /// `YYYY-MM-DD`: the last day it is listed.
    pub expires_on: String,
    pub status: VacancyStatus,
    pub version: i64,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub screening: Findings,
    pub review_note: String,
    pub created_at: i64,
}

impl Vacancy {
    /// Listed today: published and not past its last day.
    pub fn is_listed(&self, today: &str) -> bool {
        self.status == VacancyStatus::Published && self.expires_on.as_str() >= today
    }
}

/// A line of the search results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct VacancyCard {
    pub id: i64,
    pub title: String,
    pub employer_name: String,
    pub category: Category,
    pub place: Place,
    pub salary_min: i64,
    pub salary_max: i64,
    pub education: Education,
    pub kind: VacancyKind,
    pub expires_on: String,
}

/// Results are counted up to this many; beyond it the page says "more than 200, narrow the
/// search" and pages on by its next link. Counting costs a step per hit, so the cap bounds what
/// a broad search costs at any table size (at a million rows a count to 1 000 took more than
/// the rest of the search together); ten pages' worth is more than a person reads.
pub const COUNT_CAP: i64 = 200;
pub const PAGE_SIZE: i64 = 20;
/// Deeper pages than this are not served (narrow the search instead).
pub const MAX_PAGE: i64 = 50;

/// One page of search results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub rows: Vec<VacancyCard>,
    /// How many match, up to [`COUNT_CAP`].
    pub total: i64,
    /// More than [`COUNT_CAP`] match.
    pub more: bool,
    pub page: i64,
    /// Another page follows this one (the page asked for one row more than it shows).
    pub has_next: bool,
}

/// `4 500–6 000` with thin grouping, for salaries in yuan per month.
pub fn salary_text(min: i64, max: i64) -> String {
    fn group(n: i64) -> String {
        let digits = n.abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    }
    if min == max { group(min) } else { format!("{}–{}", group(min), group(max)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applications::machine::next;

    #[test]
    fn a_flagged_posting_waits_and_only_staff_decide_it() {
        use VacancyAction as A;
        use VacancyActor::*;
        use VacancyStatus as S;
        assert_eq!(next(MOVES, S::Draft, A::Publish, Owner), Some(S::Published));
        assert_eq!(next(MOVES, S::Draft, A::Hold, Owner), Some(S::PendingReview));
        assert_eq!(next(MOVES, S::PendingReview, A::Publish, Owner), None, "the owner cannot skip the review");
        assert_eq!(next(MOVES, S::PendingReview, A::Approve, Staff), Some(S::Published));
        assert_eq!(next(MOVES, S::PendingReview, A::Approve, Owner), None);
        assert_eq!(next(MOVES, S::Published, A::Close, Owner), Some(S::Closed));
        assert_eq!(next(MOVES, S::Closed, A::Publish, Owner), Some(S::Published), "reopened after an edit");
    }

    #[test]
    fn only_staff_suspend_and_a_suspended_posting_stays_down_until_staff_lift_it() {
        use VacancyAction as A;
        use VacancyActor::*;
        use VacancyStatus as S;
        assert_eq!(next(MOVES, S::Published, A::Suspend, Staff), Some(S::Suspended));
        assert_eq!(next(MOVES, S::Closed, A::Suspend, Staff), Some(S::Suspended), "a closed posting cannot be republished either");
        assert_eq!(next(MOVES, S::Published, A::Suspend, Owner), None);
        assert_eq!(next(MOVES, S::Suspended, A::Suspend, Staff), None, "suspended once");
        for action in VacancyAction::ALL {
            assert_eq!(next(MOVES, S::Suspended, action, Owner), None, "the employer can do nothing with {action:?}");
        }
        assert_eq!(next(MOVES, S::Suspended, A::Reinstate, Staff), Some(S::Closed));
        assert_eq!(next(MOVES, S::Draft, A::SuspendWithEmployer, Staff), None, "drafts stay drafts; the employer cannot publish them");
    }

    #[test]
    fn salaries_read_with_thousands_separators() {
        assert_eq!(salary_text(4500, 6000), "4,500–6,000");
        assert_eq!(salary_text(12000, 12000), "12,000");
    }
}
