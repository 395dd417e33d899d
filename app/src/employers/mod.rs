//! The employer's organisation: its own page (details it keeps up to date, the verified badge)
//! and its team. The account that signed it up owns it and invites colleagues by email (a
//! single-use link that expires); every member acts for the employer, posting and hiring, and
//! only the owner manages members.

#[cfg(feature = "ssr")]
pub mod licence;
pub mod organisation;
pub mod team;
