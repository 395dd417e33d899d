//! The application engine every service in the letter uses: kinds, statuses, the transition
//! table, eligibility rules, the timeline, and the pages where graduates follow their
//! applications and case workers decide them.
//!
//! `model` is the pure engine (what may happen), `eligibility` who may apply, `ssr` the one
//! transaction that changes a status, `api` the server functions, `pages` the views.

pub mod api;
pub mod drafts;
pub mod eligibility;
pub mod machine;
pub mod model;
pub mod pages;
pub mod service;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::shared::identity::Role;
use model::{Action, Kind, Status};
use serde::{Deserialize, Serialize};

/// One application as lists and detail pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApplicationRow {
    pub id: i64,
    pub reference: String,
    pub applicant_id: i64,
    pub applicant_name: String,
    pub kind: Kind,
    pub status: Status,
    pub version: i64,
    pub household_place: crate::shared::values::Place,
    pub assignee_name: Option<String>,
    pub submitted_at: Option<i64>,
    pub created_at: i64,
}

/// One step on an application's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Event {
    pub actor_role: Role,
    pub actor_name: String,
    #[cfg_attr(feature = "ssr", sqlx(rename = "from_status"))]
    pub from: Status,
    #[cfg_attr(feature = "ssr", sqlx(rename = "to_status"))]
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
    /// Data for the kind's own panel (see `service::Service::panel`), if it has one.
    pub panel: Option<serde_json::Value>,
}
