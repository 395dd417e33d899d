//! The portal's integration tests, one binary: the real server over HTTP, on SQLite and on
//! PostgreSQL (TEST_DATABASE_URL; scripts/test.sh starts a throwaway one). Each test arranges
//! its own fresh database.
//!
//! Answers are read into the app's own types (`Me`, `ApplicationDetail`, `AppError`, …), so a
//! change to what a server function returns breaks the build here, not a string lookup at run
//! time.

#[macro_use]
mod support;

mod accounts;
mod admin;
mod applications;
mod archive;
mod fairs;
mod faults;
mod complaints;
mod demo;
mod mail;
mod matching;
mod matrix;
mod pages;
mod privacy;
mod schema;
mod training;
mod reports;
mod security;
mod shutdown;
mod traineeship;
mod startup;
mod drafts;
mod transfer;
mod employers;
mod hiring;
mod integration;
mod vacancies;
