//! The employer's organisation as a team: the account that signed it up owns it and invites
//! colleagues by email (a single-use link that expires); every member acts for the employer,
//! posting and hiring, and only the owner manages members.

pub mod team;
