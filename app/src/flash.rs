//! Form results for browsers without JavaScript.
//!
//! Pages are server-rendered islands: a form is posted by the browser itself, which follows a
//! redirect, so the server function's error would be lost. The server's `noscript` middleware catches such a failed post,
//! keeps the error and the typed values (never passwords) in the session as a [`FormFlash`],
//! and sends the browser back to the form, where [`take_flash`] hands them to the page once.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const FLASH_SESSION_KEY: &str = "form_flash";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormFlash {
    /// The server function's URL, e.g. `/api/login`: only that form shows the flash.
    pub endpoint: String,
    pub error: AppError,
    pub values: BTreeMap<String, String>,
}

impl FormFlash {
    /// Whether a submitted field may be kept in the session and echoed back into the page.
    /// Never secrets (passwords, the current password, link tokens), and never personal
    /// identifiers the portal otherwise keeps only sealed or behind a role check: the resident
    /// ID number and phone numbers, nor a complaint's check code. The session row is plain
    /// JSON in the database; these fields are typed again instead.
    pub fn keeps_field(name: &str) -> bool {
        const NEVER: [&str; 5] = ["password", "resident_id", "phone", "mobile", "check_code"];
        !NEVER.iter().any(|part| name.contains(part)) && name != "current" && name != "token"
    }
}

#[server(endpoint = "flash")]
pub async fn take_flash() -> Result<Option<FormFlash>, AppError> {
    let session = crate::ssr::session().await?;
    Ok(session.remove::<FormFlash>(FLASH_SESSION_KEY).await?)
}

/// The page's flash, provided once at the root.
#[derive(Clone, Copy)]
pub struct FlashResource(pub Resource<Result<Option<FormFlash>, AppError>>);

pub fn use_flash() -> Option<FlashResource> {
    use_context::<FlashResource>()
}

#[cfg(test)]
mod tests {
    use super::FormFlash;

    #[test]
    fn passwords_and_tokens_are_never_echoed_back() {
        for secret in ["password", "password_confirm", "current", "token", "check_code"] {
            assert!(!FormFlash::keeps_field(secret), "{secret}");
        }
        assert!(FormFlash::keeps_field("email"));
    }

    #[test]
    fn resident_id_numbers_and_phone_numbers_never_reach_the_session() {
        // The profile form's fields, and the variants other forms may name.
        for personal in ["resident_id", "phone", "contact_phone", "mobile"] {
            assert!(!FormFlash::keeps_field(personal), "{personal}");
        }
        for ordinary in ["full_name", "school", "major", "graduation_cert_no", "household_place", "job_types"] {
            assert!(FormFlash::keeps_field(ordinary), "{ordinary}");
        }
    }
}
