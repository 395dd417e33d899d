//! The Leshan graduate employment services portal: one folder per service area, each with its
//! types, server functions, server-only queries and pages; shared pieces beside them.
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod app;
pub mod applications;
pub mod archive;
pub mod certificates;
pub mod complaints;
pub mod components;
#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod db;
pub mod employers;
pub mod error;
pub mod fairs;
pub mod flash;
pub mod flexible;
pub mod followups;
pub mod hiring;
pub mod home;
pub mod i18n;
pub mod integration;
pub mod jobseeker;
pub mod mail;
pub mod matching;
pub mod notifications;
pub mod policy;
pub mod privacy;
pub mod reports;
pub mod services;
pub mod shared;
pub mod staff;
pub mod startup;
pub mod traineeship;
pub mod training;
pub mod vacancies;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // A mark that the page's script has run: the end-to-end tests wait for it, so they exercise
    // the page with its islands live (the no-JavaScript tests cover the other path).
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
