//! Skills training (技能培训), startup training (创业培训) and the training subsidy
//! (技能培训补贴).
//!
//! **Institutions are records case workers keep**, not accounts. The centre contracts a short
//! list of designated institutions (定点培训机构) and answers for the results it pays subsidies
//! on, so a case worker enters each institution once, publishes its programmes and records
//! every result and certificate number; no institution signs in, and no one outside the centre
//! can mark a course passed.
//!
//! **Enrollment is its own table, not an application.** A seat is first come, first served and
//! needs nobody's decision, a graduate may take several courses at once, and the engine allows
//! one open application per kind. Seats are counted in the programme's row by a conditional
//! UPDATE in the enrollment's write transaction (as fairs count booths), with one enrollment per
//! graduate and programme a unique index. The decision the centre does make, paying the
//! subsidy on a passed course, is a `training_subsidy` application on the engine, claimed once
//! per enrollment; its amount comes from the policy parameters ([`subsidy`]).

pub mod api;
pub mod pages;
pub mod service;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use service::{SKILLS_TRAINING, TRAINING_SUBSIDY};

use crate::policy::Param;
use crate::shared::values::Place;
use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    /// The certificate a programme leads to: the national vocational skill levels (五级 to 三级)
    /// or, for startup training and special abilities, a certificate of completion.
    pub enum TrainingLevel: "training_level" {
        Basic = "basic",
        Intermediate = "intermediate",
        Advanced = "advanced",
        Completion = "completion",
    }
}

crate::labelled_enum! {
    pub enum ProgrammeKind: "programme_kind" {
        /// 技能培训
        Skills = "skills",
        /// 创业培训 (SYB and the like)
        Startup = "startup",
    }
}

crate::labelled_enum! {
    /// A participant's result, recorded by a case worker.
    pub enum TrainingResult: "training_result" {
        Pending = "pending",
        Passed = "passed",
        Failed = "failed",
    }
}

/// A designated training institution, as case workers keep it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Institution {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub contact: String,
}

/// One programme (a course with dates and seats).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Programme {
    pub id: i64,
    pub institution_id: i64,
    pub institution_name: String,
    pub title: String,
    pub occupation: String,
    pub level: TrainingLevel,
    pub kind: ProgrammeKind,
    pub description: String,
    /// `YYYY-MM-DD`, China Standard Time.
    pub starts_on: String,
    pub ends_on: String,
    pub seats: i64,
    pub seats_taken: i64,
    pub place: Place,
    pub venue: String,
    pub fee_fen: i64,
    /// Stored as 0 or 1.
    pub subsidy_eligible: i64,
}

impl Programme {
    /// Enrollment is open until the day the course starts (that day included).
    pub fn open_for_enrollment(&self, today: &str) -> bool {
        self.starts_on.as_str() >= today
    }
    pub fn seats_left(&self) -> i64 {
        (self.seats - self.seats_taken).max(0)
    }
    pub fn eligible(&self) -> bool {
        self.subsidy_eligible != 0
    }
}

/// What the reader of a programme's page may do there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    #[default]
    Anyone,
    Graduate {
        enrolled: bool,
    },
    /// Employers and others who cannot enroll.
    Other,
    Staff,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammePage {
    pub programme: Programme,
    pub viewer: Viewer,
    pub open: bool,
}

/// One of a graduate's enrollments, as "My services" shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyEnrollment {
    pub id: i64,
    pub programme: Programme,
    pub result: TrainingResult,
    pub certificate_number: String,
    /// The subsidy claim made on it, by reference.
    pub claim_reference: Option<String>,
    /// The subsidy it would pay, when it can be claimed now.
    pub claimable: Option<Subsidy>,
    /// Cancelling is still possible (no result, course not started).
    pub can_cancel: bool,
}

/// One participant of a programme, for the case workers' roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RosterRow {
    pub id: i64,
    pub graduate_id: i64,
    pub graduate_name: String,
    pub email: String,
    pub enrolled_at: i64,
    pub result: TrainingResult,
    pub certificate_number: String,
    pub claim_reference: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub programme: Programme,
    pub rows: Vec<RosterRow>,
}

/// The institutions and every programme, for the case workers' page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOverview {
    pub institutions: Vec<Institution>,
    pub programmes: Vec<Programme>,
}

/// A computed training subsidy: the fee, the cap for the certificate's level, and the lesser
/// of the two, all in fen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subsidy {
    pub level: TrainingLevel,
    pub fee_fen: i64,
    pub cap_fen: i64,
    pub amount_fen: i64,
}

/// The parameter that caps the subsidy for a certificate level.
pub fn cap_param(level: TrainingLevel) -> Param {
    match level {
        TrainingLevel::Basic => Param::TrainingSubsidyBasicYuan,
        TrainingLevel::Intermediate => Param::TrainingSubsidyIntermediateYuan,
        TrainingLevel::Advanced => Param::TrainingSubsidyAdvancedYuan,
        TrainingLevel::Completion => Param::TrainingSubsidyCompletionYuan,
    }
}

/// The subsidy for a course: what was paid, up to the cap for the certificate's level (a
/// subsidy never pays more than the fee). `cap_yuan` is the parameter's value; fen are exact.
pub fn subsidy(level: TrainingLevel, fee_fen: i64, cap_yuan: f64) -> Subsidy {
    let cap_fen = if cap_yuan.is_finite() && cap_yuan > 0.0 { (cap_yuan * 100.0).round() as i64 } else { 0 };
    let fee_fen = fee_fen.max(0);
    Subsidy { level, fee_fen, cap_fen, amount_fen: fee_fen.min(cap_fen) }
}

/// Why an enrollment cannot be claimed on, as an i18n key; `Ok` when it can.
pub fn claim_refusal(result: TrainingResult, subsidy_eligible: bool, already_claimed: bool) -> Result<(), &'static str> {
    match (result, subsidy_eligible, already_claimed) {
        (_, _, true) => Err("training.already_claimed"),
        (_, false, _) => Err("training.not_subsidy_eligible"),
        (TrainingResult::Passed, true, false) => Ok(()),
        _ => Err("training.not_passed"),
    }
}

/// Amounts are shown the one way the whole portal shows them.
pub use crate::shared::money::yuan;

/// A fee as the form gives it, in yuan with at most two decimals (0 to 100 000), as fen.
pub fn parse_fee(raw: &str) -> Result<i64, &'static str> {
    let raw = raw.trim().replace(',', "");
    if raw.is_empty() {
        return Err("validation.required");
    }
    let (whole, frac) = raw.split_once('.').unwrap_or((&raw, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !(frac.is_empty() || (frac.len() <= 2 && digits(frac))) || whole.len() > 6 {
        return Err("training.fee_invalid");
    }
    let fen = whole.parse::<i64>().map_err(|_| "training.fee_invalid")? * 100 + format!("{frac:0<2}").parse::<i64>().unwrap_or(0);
    if fen > 100_000 * 100 {
        return Err("training.fee_invalid");
    }
    Ok(fen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use crate::shared::time::Date;

    #[test]
    fn the_subsidy_is_the_fee_up_to_the_cap_of_the_level() {
        // Below the cap: the fee is paid back in full.
        assert_eq!(subsidy(TrainingLevel::Intermediate, 1_200_00, 1_500.0).amount_fen, 1_200_00);
        // On the cap exactly, and one fen above it.
        assert_eq!(subsidy(TrainingLevel::Intermediate, 1_500_00, 1_500.0).amount_fen, 1_500_00);
        assert_eq!(subsidy(TrainingLevel::Intermediate, 1_500_01, 1_500.0).amount_fen, 1_500_00);
        // A free course pays nothing; a cap of nothing pays nothing.
        assert_eq!(subsidy(TrainingLevel::Basic, 0, 1_000.0).amount_fen, 0);
        assert_eq!(subsidy(TrainingLevel::Basic, 800_00, 0.0).amount_fen, 0);
        assert_eq!(subsidy(TrainingLevel::Basic, 800_00, f64::NAN).amount_fen, 0);
        // A cap with fen in it is exact, not a float's neighbour.
        assert_eq!(subsidy(TrainingLevel::Advanced, 5_000_00, 1_999.99).cap_fen, 1_999_99);
    }

    #[test]
    fn each_level_reads_its_own_seeded_cap() {
        let policy = Policy::seeded();
        let today = Date::parse("2026-11-30").unwrap();
        let caps: Vec<f64> = TrainingLevel::ALL.iter().map(|l| policy.get(cap_param(*l), today)).collect();
        assert_eq!(caps, vec![1_000.0, 1_500.0, 2_000.0, 1_000.0]);
        assert_eq!(subsidy(TrainingLevel::Advanced, 2_600_00, caps[2]).amount_fen, 2_000_00);
    }

    #[test]
    fn only_a_passed_eligible_unclaimed_enrollment_can_be_claimed() {
        assert_eq!(claim_refusal(TrainingResult::Passed, true, false), Ok(()));
        assert_eq!(claim_refusal(TrainingResult::Pending, true, false), Err("training.not_passed"));
        assert_eq!(claim_refusal(TrainingResult::Failed, true, false), Err("training.not_passed"));
        assert_eq!(claim_refusal(TrainingResult::Passed, false, false), Err("training.not_subsidy_eligible"));
        assert_eq!(claim_refusal(TrainingResult::Passed, true, true), Err("training.already_claimed"));
    }

    #[test]
    fn amounts_show_as_yuan_with_separators() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(1_500_00), "1,500.00");
        assert_eq!(yuan(123_456_789), "1,234,567.89");
        assert_eq!(yuan(-1_000_50), "-1,000.50");
    }

    #[test]
    fn fees_are_read_in_yuan_with_at_most_two_decimals() {
        assert_eq!(parse_fee("1800"), Ok(1_800_00));
        assert_eq!(parse_fee(" 1,800.5 "), Ok(1_800_50));
        assert_eq!(parse_fee("0"), Ok(0));
        assert_eq!(parse_fee("100000"), Ok(100_000_00));
        assert_eq!(parse_fee(""), Err("validation.required"));
        for bad in ["100000.01", "-5", "1.234", "abc", "1e3", ".5"] {
            assert_eq!(parse_fee(bad), Err("training.fee_invalid"), "{bad}");
        }
    }

    #[test]
    fn enrollment_closes_after_the_first_day() {
        let p = Programme {
            id: 1,
            institution_id: 1,
            institution_name: "乐山职业技术学院".into(),
            title: "t".into(),
            occupation: "电工".into(),
            level: TrainingLevel::Basic,
            kind: ProgrammeKind::Skills,
            description: String::new(),
            starts_on: "2026-12-10".into(),
            ends_on: "2026-12-30".into(),
            seats: 10,
            seats_taken: 12,
            place: Place::Shizhong,
            venue: String::new(),
            fee_fen: 0,
            subsidy_eligible: 1,
        };
        assert!(p.open_for_enrollment("2026-12-09") && p.open_for_enrollment("2026-12-10"));
        assert!(!p.open_for_enrollment("2026-12-11"));
        assert_eq!(p.seats_left(), 0);
    }
}
