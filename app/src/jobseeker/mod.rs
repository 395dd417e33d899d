//! The graduate as a job seeker: the profile (identity, education, household registration,
//! contact, employment status, intentions and service needs), its documents, and the
//! job-seeker registration built on them.

pub mod conflicts;
pub mod domain;
pub mod pages;
pub mod profile;
pub mod service;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub mod uploads;
