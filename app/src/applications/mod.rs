//! The application engine every service in the letter uses: kinds, statuses, the transition
//! table, eligibility rules, and (as services land) the timeline and the queue.

pub mod eligibility;
pub mod model;
