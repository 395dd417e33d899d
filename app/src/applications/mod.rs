//! The application engine every service in the letter uses: kinds, statuses, the transition
//! table, eligibility rules, the timeline, and the pages where graduates follow their
//! applications and case workers decide them.
//!
//! `model` is the pure engine (what may happen), `eligibility` who may apply, `ssr` the one
//! transaction that changes a status, `api` the server functions, `pages` the views.

pub mod api;
pub mod eligibility;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::account::Role;
use model::{Action, Kind, Status};
use serde::{Deserialize, Serialize};

/// One application as lists and detail pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub id: i64,
    pub reference: String,
    pub applicant_id: i64,
    pub applicant_name: String,
    pub kind: Kind,
    pub status: Status,
    pub version: i64,
    pub household_place: String,
    pub assignee_name: Option<String>,
    pub submitted_at: Option<i64>,
    pub created_at: i64,
}

/// One step on an application's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub actor_role: Role,
    pub actor_name: String,
    pub from: Status,
    pub to: Status,
    pub reason: String,
    pub note: String,
    pub at: i64,
}

/// An application with its timeline and what the reader may do next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationDetail {
    pub application: ApplicationRow,
    pub events: Vec<Event>,
    pub actions: Vec<Action>,
    /// The certificate issued by this application, if any: (number, verification code).
    pub certificate: Option<(String, String)>,
}

/// Days between two Unix times, rounded down (for "waiting N days").
pub fn days_between(from: i64, to: i64) -> i64 {
    ((to - from) / 86_400).max(0)
}

/// Formats a Unix time as a date and time in China Standard Time.
pub fn format_time(unix: i64) -> String {
    let local = unix + 8 * 3600;
    let date = crate::jobseeker::domain::Date::from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    format!("{date} {:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}
