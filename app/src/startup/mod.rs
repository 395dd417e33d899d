//! Startup services: startup training (创业培训, a training programme: see `training/`), the
//! guaranteed startup loan (创业担保贷款), the one-off startup subsidy (一次性创业补贴) and
//! admission to an incubation base (创业孵化基地).
//!
//! Here: the kinds' descriptors, rules and typed payloads, and the arithmetic the forms and
//! decisions share (loan limits, months of operation, the subsidy's window), free of storage.
//! `api` has the server functions, `ssr` the hooks the engine calls inside a transition (a
//! loan's approved terms, the subsidy granted, space taken from a base and given back),
//! `pages` the forms, the panels and the bases' pages.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::applications::eligibility::{check, Facts, RuleCheck, APPROVED};
use crate::applications::model::Kind;
#[cfg(feature = "ssr")]
use crate::applications::service::no_rules;
use crate::applications::service::Service;
use crate::error::FieldErrors;
#[cfg(feature = "ssr")]
use crate::policy::{Param, Policy};
use crate::shared::time::Date;
use serde::{Deserialize, Serialize};


pub static STARTUP_TRAINING: Service = Service {
    kind: Kind::StartupTraining,
    open: true,
    form: Some("/training"),
    completes: true,
    keeps_drafts: false,
    documents: &["doc.id_card", "doc.graduation_certificate"],
    #[cfg(feature = "ssr")]
    rules: no_rules,
    panel: None,
    // Startup courses are enrolled on like skills courses, on the course's page.
    #[cfg(feature = "ssr")]
    hooks: &crate::training::service::EnrollOnTheProgrammePage,
};

pub static STARTUP_LOAN: Service = Service {
    kind: Kind::StartupLoan,
    open: true,
    form: Some("/startup/loan"),
    // Disbursement by the bank is the loan's end.
    completes: true,
    keeps_drafts: true,
    documents: &["doc.id_card", "doc.household_register", "doc.graduation_certificate", "doc.business_plan", "doc.business_licence_if_any", "doc.credit_report"],
    #[cfg(feature = "ssr")]
    rules: loan_rules,
    panel: Some(pages::loan_panel),
    #[cfg(feature = "ssr")]
    hooks: &ssr::LoanHooks,
};

pub static STARTUP_SUBSIDY: Service = Service {
    kind: Kind::StartupSubsidy,
    open: true,
    form: Some("/startup/subsidy"),
    completes: false,
    keeps_drafts: true,
    documents: &["doc.id_card", "doc.graduation_certificate", "doc.business_licence", "doc.tax_records", "doc.bank_card"],
    #[cfg(feature = "ssr")]
    rules: subsidy_rules,
    panel: Some(pages::subsidy_panel),
    #[cfg(feature = "ssr")]
    hooks: &ssr::SubsidyHooks,
};

pub static INCUBATION: Service = Service {
    kind: Kind::Incubation,
    open: true,
    form: Some("/incubation"),
    // Leaving the base is the admission's end; the space goes back to the base.
    completes: true,
    keeps_drafts: true,
    documents: &["doc.id_card", "doc.graduation_certificate", "doc.business_plan", "doc.team_list"],
    #[cfg(feature = "ssr")]
    rules: no_rules,
    panel: Some(pages::incubation_panel),
    #[cfg(feature = "ssr")]
    hooks: &ssr::IncubationHooks,
};

#[cfg(feature = "ssr")]
/// A Leshan household and no loan already approved.
fn loan_rules(facts: &Facts, _: &Policy, _: Date) -> Vec<RuleCheck> {
    vec![
        check("rule.household_in_leshan", vec![], facts.profile.as_ref().is_some_and(|p| p.household_in_leshan)),
        check("rule.no_loan_yet", vec![], !facts.has(Kind::StartupLoan, APPROVED)),
    ]
}

#[cfg(feature = "ssr")]
/// Within the configured years of leaving school, and the first subsidy.
fn subsidy_rules(facts: &Facts, policy: &Policy, today: Date) -> Vec<RuleCheck> {
    vec![
        facts.graduated_within(Param::StartupSubsidyYearsSinceGraduation, policy, today),
        check("rule.first_subsidy", vec![], !facts.has(Kind::StartupSubsidy, APPROVED)),
    ]
}

pub const MAX_SUMMARY_CHARS: usize = 2000;
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_REGISTRATION_NO_CHARS: usize = 40;

/// What a graduate asks for in a startup loan (the application's payload).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanRequest {
    pub amount_fen: i64,
    pub term_years: i64,
    pub plan_summary: String,
    /// The business's registration (unified social credit) number, when it is registered.
    pub registration_no: String,
    pub plan_upload_id: i64,
}

/// The loan's limits on a day: the cap in fen and the longest term in years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanLimits {
    pub cap_fen: i64,
    pub max_years: i64,
}

#[cfg(feature = "ssr")]
impl LoanLimits {
    pub fn on(policy: &Policy, day: Date) -> LoanLimits {
        LoanLimits {
            cap_fen: (policy.get(Param::StartupLoanCapYuan, day) * 100.0).round() as i64,
            max_years: policy.get(Param::StartupLoanTermYears, day) as i64,
        }
    }
}

/// Reads an amount in yuan and a term in whole years against `ceiling` (the cap, or at approval
/// what was asked for within the cap); each bad value gets its message under its field.
pub fn loan_terms(e: &mut FieldErrors, amount_field: &str, amount: &str, term_field: &str, term: &str, ceiling: LoanLimits) -> Option<(i64, i64)> {
    let amount = match crate::shared::money::parse_yuan(amount) {
        None if amount.trim().is_empty() => {
            e.add(amount_field, "validation.required");
            None
        }
        None => {
            e.add(amount_field, "startup.amount_invalid");
            None
        }
        Some(0) => {
            e.add(amount_field, "startup.amount_invalid");
            None
        }
        Some(fen) if fen > ceiling.cap_fen => {
            e.add(amount_field, "startup.amount_over_cap");
            None
        }
        Some(fen) => Some(fen),
    };
    let term = match term.trim().parse::<i64>() {
        Ok(y) if y >= 1 && y <= ceiling.max_years => Some(y),
        Ok(y) if y > ceiling.max_years => {
            e.add(term_field, "startup.term_over_max");
            None
        }
        _ => {
            e.add(term_field, "startup.term_invalid");
            None
        }
    };
    Some((amount?, term?))
}

/// What a graduate gives for the one-off startup subsidy (the application's payload).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyRequest {
    pub business_name: String,
    pub registration_no: String,
    pub registered_on: Date,
    /// The graduate affirms this is the first business they started.
    pub first_business: bool,
    pub evidence_upload_id: i64,
}

/// The one-off startup subsidy in force on `day`, in fen.
#[cfg(feature = "ssr")]
pub fn subsidy_fen(policy: &Policy, day: Date) -> i64 {
    (policy.get(Param::StartupSubsidyYuan, day) * 100.0).round() as i64
}

/// Whole months from `from` to `to`: 2026-05-30 → 2026-11-30 is 6, → 2026-11-29 is 5.
pub fn whole_months(from: Date, to: Date) -> i64 {
    let mut months = i64::from(to.year - from.year) * 12 + i64::from(to.month) - i64::from(from.month);
    if to.day < from.day {
        months -= 1;
    }
    months.max(0)
}

/// The subsidy's conditions on a business registered on `registered`, on `today`: operating
/// at least `min_months` whole months and applying within `within_years` of registration.
/// `Ok(months operating)` or the i18n key of the condition that fails.
pub fn subsidy_window(registered: Date, today: Date, min_months: i64, within_years: i32) -> Result<i64, &'static str> {
    if registered > today {
        return Err("startup.registered_in_future");
    }
    let months = whole_months(registered, today);
    if months < min_months {
        return Err("startup.not_operating_long_enough");
    }
    if today > registered.plus_years(within_years) {
        return Err("startup.registration_too_old");
    }
    Ok(months)
}

/// What a graduate asks of an incubation base (the application's payload).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncubationRequest {
    pub base_id: i64,
    pub base_name: String,
    /// Square metres.
    pub space: i64,
    pub project: String,
}

/// An incubation base as the public list and the case workers' page show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Base {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub total_space: i64,
    pub free_space: i64,
    pub services: String,
}

/// The most space a base or an application may name, in square metres.
pub const MAX_SPACE: i64 = 1_000_000;

/// A whole number of square metres from 1 (or 0 when `zero_ok`) to [`MAX_SPACE`].
pub fn space(e: &mut FieldErrors, field: &str, raw: &str, zero_ok: bool) -> Option<i64> {
    let min = if zero_ok { 0 } else { 1 };
    match raw.trim().parse::<i64>() {
        Ok(n) if (min..=MAX_SPACE).contains(&n) => Some(n),
        _ if raw.trim().is_empty() => {
            e.add(field, "validation.required");
            None
        }
        _ => {
            e.add(field, "startup.space_invalid");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    const LIMITS: LoanLimits = LoanLimits { cap_fen: 50_000_000, max_years: 3 };

    #[test]
    fn a_loan_up_to_the_cap_and_the_longest_term_is_accepted_and_a_fen_more_is_not() {
        let mut e = FieldErrors::new();
        assert_eq!(loan_terms(&mut e, "amount", "500000", "term_years", "3", LIMITS), Some((50_000_000, 3)));
        assert!(e.is_empty());
        assert_eq!(loan_terms(&mut e, "amount", "500000.01", "term_years", "4", LIMITS), None);
        assert_eq!(e.get("amount"), Some("startup.amount_over_cap"));
        assert_eq!(e.get("term_years"), Some("startup.term_over_max"));
        let mut e = FieldErrors::new();
        loan_terms(&mut e, "amount", "0", "term_years", "0", LIMITS);
        assert_eq!((e.get("amount"), e.get("term_years")), (Some("startup.amount_invalid"), Some("startup.term_invalid")));
        let mut e = FieldErrors::new();
        loan_terms(&mut e, "amount", "", "term_years", "two", LIMITS);
        assert_eq!((e.get("amount"), e.get("term_years")), (Some("validation.required"), Some("startup.term_invalid")));
    }

    #[test]
    fn whole_months_count_only_completed_months() {
        assert_eq!(whole_months(d("2026-05-30"), d("2026-11-29")), 5);
        assert_eq!(whole_months(d("2026-05-30"), d("2026-11-30")), 6);
        assert_eq!(whole_months(d("2026-05-30"), d("2026-12-01")), 6);
        assert_eq!(whole_months(d("2025-12-15"), d("2026-01-15")), 1);
        assert_eq!(whole_months(d("2026-11-30"), d("2026-05-30")), 0);
    }

    #[test]
    fn the_subsidy_opens_after_six_whole_months_and_closes_two_years_after_registration() {
        let reg = d("2024-05-30");
        assert_eq!(subsidy_window(reg, d("2024-11-29"), 6, 2), Err("startup.not_operating_long_enough"), "the day before");
        assert_eq!(subsidy_window(reg, d("2024-11-30"), 6, 2), Ok(6), "on the day");
        assert_eq!(subsidy_window(reg, d("2024-12-01"), 6, 2), Ok(6), "the day after");
        assert_eq!(subsidy_window(reg, d("2026-05-29"), 6, 2), Ok(23));
        assert_eq!(subsidy_window(reg, d("2026-05-30"), 6, 2), Ok(24), "the second anniversary still counts");
        assert_eq!(subsidy_window(reg, d("2026-05-31"), 6, 2), Err("startup.registration_too_old"));
        assert_eq!(subsidy_window(d("2026-12-01"), d("2026-11-30"), 6, 2), Err("startup.registered_in_future"));
    }

    #[test]
    fn space_is_a_whole_positive_number_of_square_metres() {
        let mut e = FieldErrors::new();
        assert_eq!(space(&mut e, "space", "25", false), Some(25));
        assert_eq!(space(&mut e, "free", "0", true), Some(0));
        assert!(e.is_empty());
        assert_eq!(space(&mut e, "space", "0", false), None);
        assert_eq!(space(&mut e, "b", "2.5", false), None);
        assert_eq!(e.get("space"), Some("startup.space_invalid"));
        assert_eq!(e.get("b"), Some("startup.space_invalid"));
    }
}
