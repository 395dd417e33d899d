//! Complaints (投诉举报): anyone, signed in or not, reports a recruitment trap (a false vacancy,
//! fees, withheld documents, a training loan), naming the employer or the vacancy when known,
//! with an optional evidence file. The reporter gets a reference `TS-YYYY-NNNNNN` and a check
//! code (stored only as a keyed hash) and follows the complaint on a public status page; a
//! signed-in reporter is also emailed at each status change. Case workers work a queue of their
//! own: take a complaint, add notes, suspend the vacancy or the employer it is about (which takes
//! the postings out of search at once and tells the employer why), and close it with an outcome.
//! Every step is on the complaint's timeline and in the audit log.
//!
//! A complaint's status moves through the shared status machine (`applications::machine`):
//! received → in_progress (a case worker takes it) → closed (with an outcome). Steps that keep
//! the status (notes, suspensions) go through the same versioned step, so they are on the
//! timeline too.
//!
//! `submit` is the form's handler (a plain multipart post: the evidence file must work without
//! JavaScript), `api` the server functions, `ssr` the queries, `pages` the public pages and
//! `desk` the case workers' pages.

pub mod api;
pub mod desk;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
mod steps;
#[cfg(feature = "ssr")]
pub mod submit;

use crate::applications::machine::Move;
use crate::shared::identity::Role;
use crate::vacancies::VacancyStatus;
use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    /// What the complaint is about.
    pub enum ComplaintCategory: "complaint_category" {
        /// A vacancy that does not exist, or is not what it says.
        FalseRecruitment = "false_recruitment",
        /// Fees or deposits asked of a job seeker.
        IllegalFees = "illegal_fees",
        /// An ID card, diploma or other document kept by the employer.
        WithheldDocuments = "withheld_documents",
        /// A "training" paid for with a loan taken out in the job seeker's name.
        TrainingLoan = "training_loan",
        Other = "other",
    }
}

crate::labelled_enum! {
    pub enum ComplaintStatus: "complaint_status" {
        Received = "received",
        InProgress = "in_progress",
        Closed = "closed",
    }
}

impl ComplaintStatus {
    /// What the case workers' queue shows by default.
    pub const OPEN: [ComplaintStatus; 2] = [ComplaintStatus::Received, ComplaintStatus::InProgress];
}

crate::labelled_enum! {
    /// How a closed complaint ended.
    pub enum ComplaintOutcome: "complaint_outcome" {
        Upheld = "upheld",
        NotUpheld = "not_upheld",
    }
}

crate::labelled_enum! {
    /// Each step on a complaint's timeline.
    pub enum ComplaintAction: "complaint_action" {
        /// The reporter filed it (the first event; not a move of the table).
        File = "file",
        /// Case worker: take it (assign it to oneself), from a colleague too.
        Take = "take",
        Note = "note",
        /// Case worker: name the employer it is about, by its credit code.
        LinkEmployer = "link_employer",
        SuspendVacancy = "suspend_vacancy",
        SuspendEmployer = "suspend_employer",
        ReinstateVacancy = "reinstate_vacancy",
        ReinstateEmployer = "reinstate_employer",
        /// Case worker, with an outcome and the text the reporter reads.
        Close = "close",
    }
}

impl ComplaintAction {
    /// Whether the step needs a text (the note, the reason the employer is told, the outcome).
    pub fn needs_text(self) -> bool {
        matches!(self, ComplaintAction::Note | ComplaintAction::SuspendVacancy | ComplaintAction::SuspendEmployer | ComplaintAction::Close)
    }
}

/// Who moves complaints: only the centre's staff (the reporter files, which is not a move).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComplaintActor {
    Staff,
}

/// The complaints' moves. Notes and suspensions keep the status but are steps all the same
/// (versioned, on the timeline); suspensions need the complaint taken first.
pub const MOVES: &[Move<ComplaintStatus, ComplaintAction, ComplaintActor>] = {
    use ComplaintAction as A;
    use ComplaintActor::Staff;
    use ComplaintStatus as S;
    &[
        Move { from: &[S::Received, S::InProgress], action: A::Take, by: Staff, to: S::InProgress },
        Move { from: &[S::Received], action: A::Note, by: Staff, to: S::Received },
        Move { from: &[S::InProgress], action: A::Note, by: Staff, to: S::InProgress },
        Move { from: &[S::Received], action: A::LinkEmployer, by: Staff, to: S::Received },
        Move { from: &[S::InProgress], action: A::LinkEmployer, by: Staff, to: S::InProgress },
        Move { from: &[S::InProgress], action: A::SuspendVacancy, by: Staff, to: S::InProgress },
        Move { from: &[S::InProgress], action: A::SuspendEmployer, by: Staff, to: S::InProgress },
        Move { from: &[S::InProgress], action: A::ReinstateVacancy, by: Staff, to: S::InProgress },
        Move { from: &[S::InProgress], action: A::ReinstateEmployer, by: Staff, to: S::InProgress },
        Move { from: &[S::InProgress], action: A::Close, by: Staff, to: S::Closed },
    ]
};

/// Where the complaint form posts (a plain multipart form: see `submit`).
pub const FILE_ENDPOINT: &str = "/complaints/file";

/// `TS-2026-000123`.
pub fn reference(year: i32, number: i64) -> String {
    format!("TS-{year}-{number:06}")
}

/// A reference as typed (spaces, lower case), in its stored form; `None` when it cannot be one.
pub fn normalise_reference(raw: &str) -> Option<String> {
    let r: String = crate::shared::typed::identity_text(raw).to_uppercase();
    let b = r.as_bytes();
    let ok = b.len() == 14
        && r.starts_with("TS-")
        && b[3..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..].iter().all(u8::is_ascii_digit);
    ok.then_some(r)
}

/// Characters of a check code: unambiguous on paper and on a phone screen (no 0/O, 1/I/L).
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LENGTH: usize = 10;

/// A check code as typed: upper case, without spaces or dashes.
pub fn normalise_code(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

/// What the reporter reads once after filing: the two things to keep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub reference: String,
    pub code: String,
}

/// What the public status page shows to whoever has the reference and the check code: no
/// description, no names, nothing the reporter did not already know but the handling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PublicStatus {
    pub reference: String,
    pub category: ComplaintCategory,
    pub status: ComplaintStatus,
    pub outcome: Option<ComplaintOutcome>,
    pub outcome_text: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

/// A line of the case workers' queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ComplaintRow {
    pub id: i64,
    pub reference: String,
    pub category: ComplaintCategory,
    pub status: ComplaintStatus,
    /// The employer's registered name when it is known, else what the reporter wrote.
    pub employer_name: String,
    pub vacancy_title: Option<String>,
    pub anonymous: bool,
    pub assignee_name: Option<String>,
    pub created_at: i64,
}

/// One page of the queue, and where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<ComplaintRow>,
    /// `created_at:id` of the last row, when there may be more.
    pub next: Option<String>,
    pub now: i64,
}

pub const QUEUE_PAGE_SIZE: i64 = 25;

/// The employer a complaint is about, as the case worker sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerRef {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    /// The reason it was suspended for, while it is.
    pub suspended: Option<String>,
    /// Complaints about this employer, this one included.
    pub complaints: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VacancyRef {
    pub id: i64,
    pub title: String,
    pub status: VacancyStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRef {
    pub id: i64,
    pub mime: String,
    pub size: i64,
}

/// One step on the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ComplaintEvent {
    /// `None`: an anonymous reporter.
    pub actor_name: Option<String>,
    pub actor_role: Option<Role>,
    pub from_status: ComplaintStatus,
    pub to_status: ComplaintStatus,
    /// The step (stored in the event's `note`).
    pub step: ComplaintAction,
    /// Its text (stored in the event's `reason`).
    pub text: String,
    pub at: i64,
}

/// One complaint, as a case worker handles it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintDetail {
    pub id: i64,
    pub reference: String,
    pub version: i64,
    pub category: ComplaintCategory,
    pub status: ComplaintStatus,
    pub outcome: Option<ComplaintOutcome>,
    pub outcome_text: String,
    pub description: String,
    /// What the reporter wrote as the employer's name.
    pub employer_name: String,
    /// (display name, email) of a signed-in reporter; `None` when anonymous.
    pub reporter: Option<(String, String)>,
    pub employer: Option<EmployerRef>,
    pub vacancy: Option<VacancyRef>,
    pub evidence: Option<EvidenceRef>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub created_at: i64,
    pub events: Vec<ComplaintEvent>,
    /// What the reader may do now (the table's moves, less those the complaint cannot take:
    /// no vacancy to suspend, an employer already suspended, …).
    pub actions: Vec<ComplaintAction>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applications::machine::{allowed, next};

    #[test]
    fn a_complaint_is_taken_before_anything_but_a_note_and_closed_only_from_in_progress() {
        use ComplaintAction as A;
        use ComplaintStatus as S;
        let staff = ComplaintActor::Staff;
        assert_eq!(next(MOVES, S::Received, A::Take, staff), Some(S::InProgress));
        assert_eq!(next(MOVES, S::InProgress, A::Take, staff), Some(S::InProgress), "a colleague takes it over");
        assert_eq!(next(MOVES, S::Received, A::Close, staff), None, "taken first");
        assert_eq!(next(MOVES, S::Received, A::SuspendVacancy, staff), None);
        assert_eq!(next(MOVES, S::InProgress, A::Close, staff), Some(S::Closed));
        assert!(allowed(MOVES, S::Closed, staff).is_empty(), "a closed complaint is final");
        assert_eq!(next(MOVES, S::Received, A::File, staff), None, "filing is not a move");
    }

    #[test]
    fn references_are_zero_padded_and_read_back_as_typed() {
        assert_eq!(reference(2026, 42), "TS-2026-000042");
        assert_eq!(normalise_reference(" ts-2026-000042 ").as_deref(), Some("TS-2026-000042"));
        for bad in ["", "TS-2026-42", "LS-2026-000042", "TS-20x6-000042", "TS-2026-0000421", "TS-2026_000042"] {
            assert_eq!(normalise_reference(bad), None, "{bad}");
        }
        assert_eq!(normalise_code(" abcd-efgh 23 "), "ABCDEFGH23");
    }
}
