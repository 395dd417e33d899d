//! Statistics for the case workers and the city: what came in, what was decided and how fast,
//! the vacancies and programmes' seats, the complaints; for a period and, where it applies, a
//! household-registration place. Charts are SVG drawn on the server, each with its figures in a
//! table beside it, so the page reads the same without JavaScript or without sight. Every table
//! on it, and the application queue, download as CSV or XLSX.

pub mod api;
pub mod chart;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::applications::model::Kind;
use crate::complaints::ComplaintCategory;
use crate::error::AppError;
use crate::shared::time::Date;
use crate::shared::values::Place;
use serde::{Deserialize, Serialize};

/// How many weeks a report covers when the reader gives no start.
pub const DEFAULT_WEEKS: i64 = 12;
/// The longest period one report may cover (its weekly chart stays readable).
pub const MAX_DAYS: i64 = 731;

/// The period and place a report is for, parsed from the filter form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Date,
    /// Inclusive.
    pub to: Date,
    pub place: Option<Place>,
}

impl Period {
    /// From the GET form's `from`, `to` and `place` (empty means the default: the last
    /// [`DEFAULT_WEEKS`] weeks to `today`, every place). Errors name the field.
    pub fn parse(from: Option<&str>, to: Option<&str>, place: Option<&str>, today: Date) -> Result<Period, AppError> {
        let given = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let to = match given(to) {
            Some(v) => Date::parse(&v).map_err(|k| AppError::field("to", k))?,
            None => today,
        };
        let from = match given(from) {
            Some(v) => Date::parse(&v).map_err(|k| AppError::field("from", k))?,
            None => Date::from_days(to.days_from_epoch() - DEFAULT_WEEKS * 7 + 1),
        };
        if from > to {
            return Err(AppError::field("from", "report.from_after_to"));
        }
        if to.days_from_epoch() - from.days_from_epoch() >= MAX_DAYS {
            return Err(AppError::field("from", "report.too_long"));
        }
        let place = match given(place) {
            Some(p) => Some(Place::parse(&p).ok_or(AppError::field("place", "validation.choose_one"))?),
            None => None,
        };
        Ok(Period { from, to, place })
    }

    /// Unix seconds at 00:00 China Standard Time on `from`, and just after `to` ends.
    pub fn bounds(self) -> (i64, i64) {
        let start = |d: Date| d.days_from_epoch() * 86_400 - 8 * 3600;
        (start(self.from), start(self.to) + 86_400)
    }

    /// The query string that selects this period again (for the download links).
    pub fn query(self) -> String {
        let mut q = format!("from={}&to={}", self.from, self.to);
        if let Some(p) = self.place {
            q.push_str(&format!("&place={}", p.as_str()));
        }
        q
    }
}

/// One kind's applications submitted in the period, by where they stand now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts {
    pub kind: Option<Kind>,
    pub submitted: i64,
    /// Submitted, in review or waiting for more information.
    pub open: i64,
    /// Approved or completed.
    pub approved: i64,
    pub rejected: i64,
    pub withdrawn: i64,
}

/// Seats offered and taken.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seats {
    pub offered: i64,
    pub taken: i64,
}

/// Everything the dashboard shows for one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub period: Period,
    /// Job-seeker registrations submitted in the period.
    pub registrations: i64,
    pub by_kind: Vec<KindCounts>,
    /// Decisions (approved or rejected) per week: the Monday that starts it, and how many.
    pub decisions_per_week: Vec<(Date, i64)>,
    /// Median days from submission to decision, over the decisions in the period.
    pub median_days_to_decision: Option<f64>,
    /// Vacancies posted in the period (every kind and status), and the job applications sent.
    pub vacancies_posted: i64,
    pub job_applications: i64,
    /// Traineeship positions posted in the period, and training courses starting in it.
    pub traineeship_seats: Seats,
    pub training_seats: Seats,
    pub complaints: Vec<(ComplaintCategory, i64)>,
}

/// The middle value (the mean of the two middle values for an even count), `None` for none.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 })
}

/// Every Monday from the week of `from` to the week of `to`, each with the count found for it
/// (weeks without decisions are shown as 0, not left out).
pub fn fill_weeks(from: Date, to: Date, found: &[(Date, i64)]) -> Vec<(Date, i64)> {
    let monday = |d: Date| d.days_from_epoch() - (d.days_from_epoch() + 3).rem_euclid(7);
    let mut weeks = Vec::new();
    let mut day = monday(from);
    while day <= to.days_from_epoch() {
        let week = Date::from_days(day);
        weeks.push((week, found.iter().filter(|(w, _)| *w == week).map(|(_, n)| n).sum()));
        day += 7;
    }
    weeks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5.0]), Some(5.0));
        assert_eq!(median(vec![9.0, 1.0, 4.0]), Some(4.0));
        assert_eq!(median(vec![1.0, 10.0, 2.0, 4.0]), Some(3.0));
    }

    #[test]
    fn weeks_start_on_monday_and_empty_weeks_count_zero() {
        // 2026-11-30 is a Monday; 2026-11-18 a Wednesday.
        let weeks = fill_weeks(d("2026-11-18"), d("2026-12-01"), &[(d("2026-11-23"), 4)]);
        assert_eq!(weeks, vec![(d("2026-11-16"), 0), (d("2026-11-23"), 4), (d("2026-11-30"), 0)]);
    }

    #[test]
    fn a_period_defaults_to_the_last_twelve_weeks_and_refuses_a_start_after_its_end() {
        let today = d("2026-11-30");
        let p = Period::parse(None, Some(""), None, today).unwrap();
        assert_eq!((p.from, p.to, p.place), (d("2026-09-08"), today, None));
        assert_eq!(Period::parse(Some("2026-12-01"), Some("2026-11-30"), None, today).unwrap_err().field_key("from"), Some("report.from_after_to"));
        assert_eq!(Period::parse(Some("2026-13-01"), None, None, today).unwrap_err().field_key("from"), Some("validation.date_invalid"));
        assert_eq!(Period::parse(Some("2020-01-01"), None, None, today).unwrap_err().field_key("from"), Some("report.too_long"));
        assert_eq!(Period::parse(None, None, Some("atlantis"), today).unwrap_err().field_key("place"), Some("validation.choose_one"));
        let p = Period::parse(Some("2026-11-01"), Some("2026-11-30"), Some("ebian"), today).unwrap();
        assert_eq!(p.query(), "from=2026-11-01&to=2026-11-30&place=ebian");
    }

    #[test]
    fn a_period_runs_from_midnight_in_china_to_the_end_of_its_last_day() {
        let p = Period::parse(Some("2026-11-30"), Some("2026-11-30"), None, d("2026-11-30")).unwrap();
        let (start, end) = p.bounds();
        assert_eq!(Date::today_from_unix(start), d("2026-11-30"));
        assert_eq!(Date::today_from_unix(start - 1), d("2026-11-29"));
        assert_eq!(Date::today_from_unix(end - 1), d("2026-11-30"));
        assert_eq!(Date::today_from_unix(end), d("2026-12-01"));
    }
}
