//! Saved searches and matching: a graduate saves a vacancy search and gets a daily email of
//! the vacancies newly published that match it; the graduate's "My services" lists the listed
//! vacancies that fit their profile, each with why; a case worker sees the registered
//! unemployed graduates who fit a vacancy and sends it to them ("recommend jobs").
//!
//! Candidates always come through the vacancy search's indexes (`vacancies::ssr`) with a limit;
//! [`score`] ranks the few hundred found, in the application.

pub mod api;
pub mod pages;
pub mod score;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::shared::values::{Degree, Place};
use crate::vacancies::{Category, Education, VacancyCard, VacancyKind};
use score::Reason;
use serde::{Deserialize, Serialize};

/// A graduate may keep this many saved searches.
pub const MAX_SAVED_SEARCHES: i64 = 20;

/// The search a graduate saved, as the /vacancies form's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFields {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education: Option<Education>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<VacancyKind>,
}

impl SearchFields {
    /// The address of this search on the /vacancies page.
    pub fn path(&self) -> String {
        let mut params: Vec<String> = Vec::new();
        if !self.q.is_empty() {
            params.push(format!("q={}", encode(&self.q)));
        }
        if let Some(c) = self.category {
            params.push(format!("category={}", c.as_str()));
        }
        if let Some(p) = self.place {
            params.push(format!("place={}", p.as_str()));
        }
        if let Some(s) = self.salary {
            params.push(format!("salary={s}"));
        }
        if let Some(e) = self.education {
            params.push(format!("education={}", e.as_str()));
        }
        if let Some(k) = self.kind {
            params.push(format!("kind={}", k.as_str()));
        }
        format!("/vacancies?{}", params.join("&"))
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearch {
    pub id: i64,
    pub fields: SearchFields,
    pub created_at: i64,
}

/// A vacancy on the graduate's home, with why it is there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommended {
    pub vacancy: VacancyCard,
    pub reasons: Vec<Reason>,
}

/// What the graduate's home shows: nothing to match until the graduate has a profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendations {
    pub has_profile: bool,
    pub items: Vec<Recommended>,
}

/// A graduate who fits a vacancy, as a case worker sees them: the ID number masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraduateFit {
    pub user_id: i64,
    pub full_name: String,
    pub masked_id: String,
    pub degree: Degree,
    pub household_place: Place,
    pub reasons: Vec<Reason>,
    /// A case worker already sent this vacancy to this graduate.
    pub sent: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VacancyMatches {
    pub vacancy_id: i64,
    pub title: String,
    pub listed: bool,
    pub graduates: Vec<GraduateFit>,
}

/// A vacancy a case worker sent to a graduate: the "recommend jobs" record on the graduate's file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SentVacancy {
    pub vacancy_id: i64,
    pub title: String,
    pub case_worker: String,
    pub sent_at: i64,
}

/// How many vacancies the graduate's home lists, and graduates a case worker's list holds.
pub const HOME_LIMIT: usize = 10;
pub const STAFF_LIMIT: usize = 50;
