//! The registry: every service that is a kind of application, one line each. The engine finds
//! a kind's descriptor here; adding a service is a folder with its `Service` and a line below.

use crate::applications::model::Kind;
use crate::applications::service::Service;

/// Every service's descriptor, in the order "what can I apply for" lists them.
pub static SERVICES: &[&Service] = &[
    &crate::jobseeker::service::REGISTRATION,
    &crate::certificates::service::CERTIFICATE,
    &crate::traineeship::TRAINEESHIP,
    &crate::startup::STARTUP_TRAINING,
    &crate::startup::STARTUP_LOAN,
    &crate::startup::STARTUP_SUBSIDY,
    &crate::startup::INCUBATION,
    &crate::training::SKILLS_TRAINING,
    &crate::training::TRAINING_SUBSIDY,
    &crate::flexible::FLEXIBLE_INSURANCE_SUBSIDY,
];

/// The descriptor of `kind`. Every kind has one (a unit test checks).
pub fn service(kind: Kind) -> &'static Service {
    SERVICES.iter().copied().find(|s| s.kind == kind).unwrap_or_else(|| panic!("no service registered for {kind}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_service() {
        for kind in Kind::ALL {
            assert_eq!(SERVICES.iter().filter(|s| s.kind == kind).count(), 1, "{kind}");
        }
        assert_eq!(SERVICES.len(), Kind::ALL.len());
    }
}
