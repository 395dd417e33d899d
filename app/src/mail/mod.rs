//! Email: the messages the portal sends, in both languages, and the outbox they go through.
//!
//! A message is never sent from a request. The change that causes it writes an outbox row in
//! the same transaction ([`ssr::enqueue`]); the server's worker delivers due rows
//! ([`ssr::deliver_due`]) over SMTP, or as `.eml` files when no SMTP server is configured.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
mod templates;

/// One undeliverable message, as the admin page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedMail {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxSummary {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    pub failures: Vec<FailedMail>,
}
