//! Accounts and roles: sign-up for graduates and employers, email verification, sign-in and
//! sign-out, password reset and change, and the language a person prefers.
//!
//! `domain` holds the parsed values, `api` the server functions, `pages` the views and `ssr`
//! the queries and password hashing that only the server compiles.

mod api;
mod domain;
#[cfg(feature = "ssr")]
pub mod hasher;
mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use api::*;
pub use domain::*;
pub use pages::*;
// The identity pieces every service uses live in `shared`; the server crate and the tests
// reach them through the account module too.
pub use crate::shared::identity::{safe_local_path, use_me, Me, MeResource, Role, SignInRequired};
