//! Privacy (PIPL) self-service: the full privacy notice, and for a signed-in graduate or
//! employer their consents, the download of everything the portal holds about them (a zip of
//! `data.json` and their documents) and the deletion of their account.
//!
//! The consent box at sign-up and the notice's version live in `shared::consent` (the account
//! folder records the consent). `ssr` holds the list of every column that refers to an account
//! with what the download and the deletion do with it; `export` the download route.

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::shared::identity::Role;
use serde::{Deserialize, Serialize};

pub use crate::shared::consent::PRIVACY_NOTICE_VERSION;

/// The personal-data download (a plain GET: a link, no JavaScript needed).
pub const DOWNLOAD_PATH: &str = "/account/privacy/data.zip";

/// A consent the person gave: to which version of the notice, when (Unix seconds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub version: String,
    pub at: i64,
}

/// What the account's privacy page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyOverview {
    pub role: Role,
    /// Graduates and employers may delete their own account; staff accounts are disabled by
    /// an admin instead.
    pub may_delete: bool,
    pub consents: Vec<Consent>,
}
