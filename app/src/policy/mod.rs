//! Policy parameters with effective dates (amounts, caps, year windows) and their sources.

mod model;
pub use model::*;
