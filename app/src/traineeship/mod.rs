//! Youth traineeships (青年见习计划): recent graduates and young people spend months at a
//! traineeship base with a monthly stipend.
//!
//! A case worker flags a verified employer as a base; the base's published traineeship
//! positions (vacancies of kind traineeship: seats, months, stipend) take sign-ups. A sign-up is
//! an application of kind `traineeship` whose payload names the position; it holds one of the
//! position's seats from the moment it is made (see `ssr::take_seat` for why). The base accepts
//! (the application is approved, the traineeship gets its dates) or declines; the base or a case
//! worker records how it ended: completed, or terminated early with a reason. The subsidy due to
//! the base is a share of the monthly minimum wage for each whole month served ([`subsidy`]).
//!
//! `api` holds the server functions, `ssr` the queries and the engine's hooks, `pages` the views.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::applications::eligibility::{check, Facts, RuleCheck};
use crate::applications::eligibility::Eligibility;
use crate::applications::model::{Kind, Status};
use crate::applications::service::Service;
#[cfg(feature = "ssr")]
use crate::policy::{Param, Policy};
use crate::shared::time::Date;
#[cfg(feature = "ssr")]
use crate::shared::values::EmploymentStatus;
use serde::{Deserialize, Serialize};

pub static TRAINEESHIP: Service = Service {
    kind: Kind::Traineeship,
    open: true,
    form: Some("/vacancies?kind=traineeship"),
    completes: true,
    keeps_drafts: false,
    documents: &["doc.id_card", "doc.graduation_certificate", "doc.unemployment_registration"],
    #[cfg(feature = "ssr")]
    rules,
    panel: Some(pages::panel),
    #[cfg(feature = "ssr")]
    hooks: &ssr::TraineeshipHooks,
};

#[cfg(feature = "ssr")]
/// Unemployed, and either within the configured years of leaving school or aged 16 to 24; and
/// not already in (or through) a traineeship.
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
        facts.no_second(Kind::Traineeship, "rule.not_already_trainee"),
    ]
}

crate::labelled_enum! {
    /// How an accepted traineeship ended.
    pub enum Outcome: "traineeship_outcome" {
        /// Served to the end of the period (or to the day the base or case worker recorded).
        Completed = "completed",
        /// Ended early; the reason is recorded.
        Terminated = "terminated",
    }
}

/// The same day `months` later; the 31st becomes the month's last day where it has none.
pub fn plus_months(d: Date, months: i64) -> Date {
    let index = i64::from(d.year) * 12 + i64::from(d.month) - 1 + months;
    let (year, month) = (index.div_euclid(12) as i32, index.rem_euclid(12) as u32 + 1);
    (1..=d.day).rev().find_map(|day| Date::new(year, month, day)).unwrap_or(d)
}

/// The last day of a traineeship of `months` months starting on `start`.
pub fn last_day(start: Date, months: i64) -> Date {
    Date::from_days(plus_months(start, months).days_from_epoch() - 1)
}

/// Whole months served from `start` to `last` (both days included); a month begun and not
/// finished does not count.
pub fn months_served(start: Date, last: Date) -> i64 {
    let after = Date::from_days(last.days_from_epoch() + 1);
    if after <= start {
        return 0;
    }
    let mut months = i64::from(after.year - start.year) * 12 + i64::from(after.month) - i64::from(start.month);
    while months > 0 && plus_months(start, months) > after {
        months -= 1;
    }
    months.max(0)
}

/// The traineeship subsidy due to a base for one trainee, with what it was computed from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subsidy {
    /// The share of the minimum wage, in hundredths of a percent (7000 = 70 %).
    pub basis_points: i64,
    pub minimum_wage_fen: i64,
    /// The share of one month's minimum wage, in fen.
    pub monthly_fen: i64,
    /// Whole months served.
    pub months_served: i64,
    /// The months paid: served, at most the configured maximum.
    pub months_paid: i64,
    pub max_months: i64,
    pub total_fen: i64,
}

/// `percent` % of the monthly minimum wage for each month served, for at most `max_months`.
/// Amounts are whole fen; the monthly share is rounded to the fen once and then multiplied, so
/// the total is exactly what the explanation shows.
pub fn subsidy(minimum_wage_yuan: f64, percent: f64, months_served: i64, max_months: i64) -> Subsidy {
    let minimum_wage_fen = (minimum_wage_yuan * 100.0).round() as i64;
    let basis_points = (percent * 100.0).round() as i64;
    let monthly_fen = (minimum_wage_fen * basis_points + 5_000).div_euclid(10_000);
    let max_months = max_months.max(0);
    let months_paid = months_served.clamp(0, max_months);
    Subsidy { basis_points, minimum_wage_fen, monthly_fen, months_served, months_paid, max_months, total_fen: monthly_fen * months_paid }
}

/// `12,345.60`: the portal's one way of showing yuan.
pub use crate::shared::money::yuan as yuan_text;

/// `70` or `72.5`: a share in basis points as a percentage.
pub fn percent_text(basis_points: i64) -> String {
    if basis_points % 100 == 0 {
        (basis_points / 100).to_string()
    } else {
        format!("{}", basis_points as f64 / 100.0)
    }
}

/// One sign-up as the base, the case workers and the application's panel see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Traineeship {
    pub id: i64,
    pub application_id: i64,
    pub reference: String,
    pub status: Status,
    pub version: i64,
    pub applicant_id: i64,
    pub applicant_name: String,
    pub vacancy_id: i64,
    pub vacancy_title: String,
    pub employer_id: i64,
    pub employer_name: String,
    pub period_months: Option<i64>,
    pub stipend: Option<i64>,
    pub signed_up_at: i64,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub ended_on: Option<String>,
    pub outcome: Option<Outcome>,
    pub termination_reason: String,
}

/// A traineeship with the subsidy it earns its base so far (none before it starts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraineeshipLine {
    pub traineeship: Traineeship,
    pub subsidy: Option<Subsidy>,
}

/// An employer as the case workers' base list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BaseCandidate {
    pub employer_id: i64,
    pub name: String,
    /// Set when the employer is a base: when it was flagged.
    pub flagged_at: Option<i64>,
}

/// The case workers' page: employers that may be bases and every traineeship.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOverview {
    pub employers: Vec<BaseCandidate>,
    pub traineeships: Vec<TraineeshipLine>,
    /// `YYYY-MM-DD` in China: the forms' default day.
    pub today: String,
}

/// The base's page: whether it is a base, and its sign-ups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseOverview {
    pub is_base: bool,
    pub traineeships: Vec<TraineeshipLine>,
    /// `YYYY-MM-DD` in China: the forms' default day.
    pub today: String,
}

/// What the sign-up panel on a position's page shows the reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignUpState {
    /// Not a traineeship position: no panel.
    NotTraineeship,
    /// A traineeship position whose employer is not a base (yet): no sign-ups.
    NotBase,
    /// A base's position: seats left, and for a graduate their own sign-up, if any, and the
    /// rules that decide whether they may sign up.
    Open { seats: i64, seats_taken: i64, mine: Option<Box<Traineeship>>, eligibility: Option<Eligibility> },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_six_month_traineeship_ends_the_day_before_the_same_date_six_months_on() {
        assert_eq!(last_day(d("2026-12-01"), 6), d("2027-05-31"));
        assert_eq!(last_day(d("2026-08-31"), 6), d("2027-02-27"), "31 August + 6 months is 28 February, so the day before is the last");
        assert_eq!(plus_months(d("2028-01-31"), 1), d("2028-02-29"));
        assert_eq!(plus_months(d("2026-11-15"), -11), d("2025-12-15"));
    }

    #[test]
    fn only_whole_months_count_as_served() {
        let start = d("2026-12-01");
        assert_eq!(months_served(start, d("2027-05-31")), 6);
        assert_eq!(months_served(start, d("2027-05-30")), 5, "one day short of the sixth month");
        assert_eq!(months_served(start, d("2026-12-31")), 1);
        assert_eq!(months_served(start, d("2026-12-30")), 0);
        assert_eq!(months_served(start, d("2026-11-30")), 0, "ended before it began");
        assert_eq!(months_served(d("2026-01-31"), d("2026-02-27")), 1, "31 January to 27 February: the month ends where February has no 31st");
    }

    #[test]
    fn the_subsidy_is_the_share_of_the_minimum_wage_for_each_month_served_up_to_the_cap() {
        let s = subsidy(1_970.0, 70.0, 6, 12);
        assert_eq!((s.monthly_fen, s.months_paid, s.total_fen), (137_900, 6, 827_400));
        assert_eq!(yuan_text(s.total_fen), "8,274.00");
        let capped = subsidy(1_970.0, 70.0, 14, 12);
        assert_eq!((capped.months_served, capped.months_paid, capped.total_fen), (14, 12, 1_654_800));
        // A share that leaves half a fen rounds it once, per month.
        let odd = subsidy(2_101.0, 66.67, 3, 12);
        assert_eq!(odd.monthly_fen, 140_074, "2 101 × 66.67 % = 1 400.7367 yuan, 1 400.74 to the fen");
        assert_eq!(odd.total_fen, 3 * 140_074);
        assert_eq!(subsidy(1_970.0, 70.0, 0, 12).total_fen, 0);
        assert_eq!(percent_text(odd.basis_points), "66.67");
        assert_eq!(percent_text(7_000), "70");
    }

    #[test]
    fn yuan_read_with_thousands_separators_and_two_decimals() {
        assert_eq!(yuan_text(0), "0.00");
        assert_eq!(yuan_text(5), "0.05");
        assert_eq!(yuan_text(123_456_789), "1,234,567.89");
        assert_eq!(yuan_text(-100_000), "-1,000.00");
    }
}

/// The eligibility window's edges, through the engine's `evaluate` and the seeded policy.
#[cfg(all(test, feature = "ssr"))]
mod eligibility_tests {
    use super::*;
    use crate::applications::eligibility::{evaluate, ProfileFacts};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// An unemployed graduate born on `born` who left school on `graduated`.
    fn person(born: &str, graduated: &str) -> Facts {
        Facts {
            profile: Some(ProfileFacts {
                birth_date: d(born),
                graduation_date: d(graduated),
                household_in_leshan: true,
                employment_status: EmploymentStatus::Unemployed,
                identity_confirmed: true,
            }),
            history: vec![],
        }
    }

    fn eligible(facts: &Facts, on: &str) -> bool {
        evaluate(Kind::Traineeship, facts, &Policy::seeded(), d(on)).eligible()
    }

    #[test]
    fn a_graduate_over_24_is_eligible_up_to_and_including_the_second_anniversary_of_leaving_school() {
        let f = person("1990-01-01", "2024-06-30");
        assert!(eligible(&f, "2026-06-29"), "the day before");
        assert!(eligible(&f, "2026-06-30"), "the anniversary itself");
        assert!(!eligible(&f, "2026-07-01"), "the day after");
    }

    #[test]
    fn someone_who_left_school_long_ago_is_eligible_from_the_16th_birthday() {
        // Left school early; only the age counts.
        let f = person("2010-05-10", "2020-06-30");
        assert!(!eligible(&f, "2026-05-09"), "the day before the 16th birthday");
        assert!(eligible(&f, "2026-05-10"), "the 16th birthday");
        assert!(eligible(&f, "2026-05-11"), "the day after");
    }

    #[test]
    fn someone_who_left_school_long_ago_is_eligible_until_the_day_before_the_25th_birthday() {
        let f = person("2001-05-10", "2020-06-30");
        assert!(eligible(&f, "2025-05-10"), "the 24th birthday");
        assert!(eligible(&f, "2026-05-09"), "the last day of being 24");
        let on_25th = evaluate(Kind::Traineeship, &f, &Policy::seeded(), d("2026-05-10"));
        assert!(!on_25th.eligible(), "the 25th birthday");
        assert_eq!(on_25th.first_failure().unwrap().key, "rule.traineeship_window");
    }

    #[test]
    fn a_graduate_in_work_or_already_in_a_traineeship_is_refused_with_the_rule() {
        let mut employed = person("2003-01-01", "2026-06-30");
        employed.profile.as_mut().unwrap().employment_status = EmploymentStatus::Employed;
        assert_eq!(evaluate(Kind::Traineeship, &employed, &Policy::seeded(), d("2026-11-30")).first_failure().unwrap().key, "rule.unemployed");
        let mut trainee = person("2003-01-01", "2026-06-30");
        trainee.history.push((Kind::Traineeship, Status::Approved));
        assert_eq!(
            evaluate(Kind::Traineeship, &trainee, &Policy::seeded(), d("2026-11-30")).first_failure().unwrap().key,
            "rule.not_already_trainee"
        );
        trainee.history[0].1 = Status::Rejected;
        assert!(eligible(&trainee, "2026-11-30"), "a declined sign-up does not block the next");
    }
}
