//! The flexible-employment social insurance subsidy (灵活就业社会保险补贴): the graduate lists
//! the months they paid contributions and how much; the subsidy is the configured share of
//! what was paid in the months that count (from graduation, within the configured years, at
//! most the configured number of months), shown before submission and computed again, with
//! the parameters of the day, on approval.
//!
//! Here: the descriptor and rules, the typed payload and the arithmetic ([`parse_lines`],
//! [`compute`]); `api` the server functions, `ssr` the hooks, `pages` the form and the panel.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::applications::eligibility::{Facts, RuleCheck};
use crate::applications::model::Kind;
use crate::applications::service::Service;
#[cfg(feature = "ssr")]
use crate::policy::{Param, Policy};
use crate::shared::time::Date;
#[cfg(feature = "ssr")]
use crate::shared::values::EmploymentStatus;
use serde::{Deserialize, Serialize};

pub static FLEXIBLE_INSURANCE_SUBSIDY: Service = Service {
    kind: Kind::FlexibleInsuranceSubsidy,
    open: true,
    form: Some("/flexible"),
    completes: false,
    keeps_drafts: true,
    documents: &["doc.id_card", "doc.graduation_certificate", "doc.flexible_registration", "doc.insurance_records", "doc.bank_card"],
    #[cfg(feature = "ssr")]
    rules,
    panel: Some(pages::panel),
    #[cfg(feature = "ssr")]
    hooks: &ssr::FlexibleHooks,
};

#[cfg(feature = "ssr")]
/// Within the configured years of leaving school, and working flexibly.
fn rules(facts: &Facts, policy: &Policy, today: Date) -> Vec<RuleCheck> {
    vec![
        facts.graduated_within(Param::FlexibleInsuranceYearsSinceGraduation, policy, today),
        facts.employment_is(EmploymentStatus::Flexible, "rule.flexibly_employed"),
    ]
}

/// A calendar month, `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn parse(raw: &str) -> Option<Month> {
        let (y, m) = raw.trim().split_once('-')?;
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        ((2000..=2100).contains(&year) && (1..=12).contains(&month) && y.len() == 4).then_some(Month { year, month })
    }
    pub fn of(d: Date) -> Month {
        Month { year: d.year, month: d.month }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// One month's contribution as the graduate listed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub month: Month,
    pub paid_fen: i64,
}

/// The most lines the form takes: four years of months.
pub const MAX_LINES: usize = 48;

/// Reads "month amount" lines (`2026-01 1,200.50`; blank lines skipped) into contributions in
/// month order. The error is the i18n key and the 1-based line it is about (0: the whole list).
pub fn parse_lines(text: &str) -> Result<Vec<Contribution>, (&'static str, usize)> {
    let mut rows: Vec<Contribution> = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line_no = i + 1;
        let mut parts = line.split_whitespace();
        let (Some(m), Some(amount)) = (parts.next(), parts.next()) else {
            return Err(("flexible.line_invalid", line_no));
        };
        // The amount may have been typed with a space as thousands separator.
        let amount: String = std::iter::once(amount).chain(parts).collect();
        let month = Month::parse(m).ok_or(("flexible.month_invalid", line_no))?;
        let paid_fen = crate::shared::money::parse_yuan(&amount).filter(|f| *f > 0).ok_or(("flexible.amount_invalid", line_no))?;
        if rows.iter().any(|r| r.month == month) {
            return Err(("flexible.month_twice", line_no));
        }
        rows.push(Contribution { month, paid_fen });
        if rows.len() > MAX_LINES {
            return Err(("flexible.too_many_lines", 0));
        }
    }
    if rows.is_empty() {
        return Err(("flexible.no_lines", 0));
    }
    rows.sort_by_key(|r| r.month);
    Ok(rows)
}

/// The parameters the subsidy is computed with.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    pub share_percent: f64,
    pub max_months: i64,
    pub years_since_graduation: i32,
}

#[cfg(feature = "ssr")]
impl Terms {
    pub fn on(policy: &Policy, day: Date) -> Terms {
        Terms {
            share_percent: policy.get(Param::FlexibleInsuranceSharePercent, day),
            max_months: policy.get(Param::FlexibleInsuranceMaxMonths, day) as i64,
            years_since_graduation: policy.get(Param::FlexibleInsuranceYearsSinceGraduation, day) as i32,
        }
    }
}

/// The subsidy and how it was reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Computation {
    /// The months that count, in order.
    pub counted: Vec<Month>,
    /// Months listed that do not count: before graduation, past the window, or past the most.
    pub left_out: Vec<Month>,
    pub paid_fen: i64,
    pub share_percent: f64,
    pub amount_fen: i64,
}

/// The subsidy for `rows` of a graduate who left school on `graduated`: the months from the
/// graduation month to the month of the window's last day count, the earliest `max_months`
/// of them; the amount is `share_percent` of what was paid in them, rounded down to the fen.
pub fn compute(rows: &[Contribution], graduated: Date, terms: Terms) -> Computation {
    let first = Month::of(graduated);
    let last = Month::of(graduated.plus_years(terms.years_since_graduation));
    let mut counted = Vec::new();
    let mut left_out = Vec::new();
    let mut paid_fen = 0;
    for r in rows {
        if r.month >= first && r.month <= last && (counted.len() as i64) < terms.max_months {
            counted.push(r.month);
            paid_fen += r.paid_fen;
        } else {
            left_out.push(r.month);
        }
    }
    // Hundredths of a percent, in integers, so 66.67 % is exactly 6 667 / 10 000.
    let basis_points = (terms.share_percent * 100.0).round() as i64;
    Computation { counted, left_out, paid_fen, share_percent: terms.share_percent, amount_fen: paid_fen * basis_points / 10_000 }
}

/// What the graduate sends (the application's payload).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlexibleRequest {
    pub contributions: Vec<Contribution>,
    pub proof_upload_id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    const TERMS: Terms = Terms { share_percent: 66.67, max_months: 24, years_since_graduation: 2 };

    fn months(from: &str, n: usize, fen: i64) -> Vec<Contribution> {
        let mut m = Month::parse(from).unwrap();
        (0..n)
            .map(|_| {
                let c = Contribution { month: m, paid_fen: fen };
                m = if m.month == 12 { Month { year: m.year + 1, month: 1 } } else { Month { year: m.year, month: m.month + 1 } };
                c
            })
            .collect()
    }

    #[test]
    fn lines_read_in_month_order_and_a_bad_line_is_named() {
        let rows = parse_lines("2026-02 1,200.50\n\n2026-01 1 200\n").unwrap();
        assert_eq!(rows.iter().map(|r| (r.month.to_string(), r.paid_fen)).collect::<Vec<_>>(), vec![("2026-01".into(), 120_000), ("2026-02".into(), 120_050)]);
        assert_eq!(parse_lines("2026-01 100\n2026-13 100"), Err(("flexible.month_invalid", 2)));
        assert_eq!(parse_lines("2026-01 100\n2026-01 100"), Err(("flexible.month_twice", 2)));
        assert_eq!(parse_lines("2026-01 -5"), Err(("flexible.amount_invalid", 1)));
        assert_eq!(parse_lines("2026-01"), Err(("flexible.line_invalid", 1)));
        assert_eq!(parse_lines("  \n"), Err(("flexible.no_lines", 0)));
    }

    #[test]
    fn the_subsidy_is_the_share_of_what_was_paid_rounded_down_to_the_fen() {
        let c = compute(&months("2025-07", 3, 140_000), d("2025-06-30"), TERMS);
        assert_eq!(c.paid_fen, 420_000);
        // 420 000 × 6 667 / 10 000 = 280 014
        assert_eq!(c.amount_fen, 280_014);
        let half = Terms { share_percent: 50.0, ..TERMS };
        assert_eq!(compute(&months("2025-07", 1, 333), d("2025-06-30"), half).amount_fen, 166);
    }

    #[test]
    fn months_before_graduation_and_after_the_window_do_not_count() {
        let rows = parse_lines("2024-05 100\n2024-06 100\n2026-06 100\n2026-07 100").unwrap();
        let c = compute(&rows, d("2024-06-30"), TERMS);
        assert_eq!(c.counted.iter().map(ToString::to_string).collect::<Vec<_>>(), vec!["2024-06", "2026-06"], "the graduation month and the window's last month count");
        assert_eq!(c.left_out.iter().map(ToString::to_string).collect::<Vec<_>>(), vec!["2024-05", "2026-07"]);
        assert_eq!(c.paid_fen, 20_000, "two months of 100 yuan");
    }

    #[test]
    fn at_most_the_configured_months_count_the_earliest_first() {
        let c = compute(&months("2025-07", 30, 100_00), d("2025-06-30"), TERMS);
        assert_eq!(c.counted.len(), 24);
        assert_eq!(c.left_out.len(), 6);
        assert_eq!(c.counted.first().unwrap().to_string(), "2025-07");
        assert_eq!(c.paid_fen, 24 * 100_00);
    }
}
