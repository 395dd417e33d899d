//! What every service folder may use and none owns: labelled enums, dates and times, the
//! choices several services share, who is asking, field validators, throttling, stored files and
//! the view pieces every page repeats. Service folders depend on this module, not on each other.

pub mod consent;
pub mod enums;
pub mod identity;
pub mod money;
pub mod time;
pub mod typed;
pub mod values;
pub mod views;
#[cfg(feature = "ssr")]
pub mod csp;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod proxy;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod validate;

pub use enums::Labelled;
