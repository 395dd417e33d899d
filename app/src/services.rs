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

    #[test]
    fn every_open_service_with_a_form_lists_its_documents_in_both_languages() {
        let mut listed = 0;
        for s in SERVICES {
            if s.open && (s.form.is_some() || s.keeps_drafts) {
                assert!(!s.documents.is_empty(), "{} has a form but lists no documents", s.kind);
            }
            for key in s.documents {
                assert!(key.split('.').next() == Some("doc"), "{}: {key} is not a document's key", s.kind);
                for lang in crate::i18n::Lang::ALL {
                    assert!(lang.table().contains_key(*key), "{}: {key} missing in {}", s.kind, lang.code());
                }
                listed += 1;
            }
        }
        assert!(listed >= SERVICES.len(), "only {listed} documents listed");
    }

    #[test]
    fn only_open_services_with_a_form_of_their_own_keep_drafts() {
        for s in SERVICES.iter().filter(|s| s.keeps_drafts) {
            assert!(s.open && s.form.is_some(), "{} keeps drafts without an open form", s.kind);
        }
        assert!(SERVICES.iter().any(|s| s.keeps_drafts));
    }
}

#[cfg(test)]
mod structure {
    use std::collections::{BTreeMap, BTreeSet};

    /// Folder → the other folders its files name as `crate::<folder>`.
    fn folder_imports() -> BTreeMap<String, BTreeSet<String>> {
        let src = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
        let folders: Vec<String> = std::fs::read_dir(src)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
            .collect();
        let mut graph = BTreeMap::new();
        for folder in &folders {
            let mut uses = BTreeSet::new();
            let mut stack = vec![src.join(folder)];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(dir).unwrap() {
                    let path = entry.unwrap().path();
                    if path.is_dir() {
                        stack.push(path);
                        continue;
                    }
                    let text = std::fs::read_to_string(&path).unwrap();
                    for other in folders.iter().filter(|o| *o != folder) {
                        if text.contains(&format!("crate::{other}::")) || text.contains(&format!("crate::{other}}}")) {
                            uses.insert(other.clone());
                        }
                    }
                }
            }
            graph.insert(folder.clone(), uses);
        }
        graph
    }

    #[test]
    fn no_two_service_folders_import_each_other_and_shared_imports_none() {
        let graph = folder_imports();
        assert!(graph.len() >= 10, "the scan found the folders: {:?}", graph.keys());
        assert!(graph["staff"].contains("applications"), "the scan reads imports: {graph:?}");
        let mut mutual = Vec::new();
        for (a, uses) in &graph {
            for b in uses.iter().filter(|b| a < *b && graph[*b].contains(a)) {
                mutual.push(format!("{a} <-> {b}"));
            }
        }
        assert!(mutual.is_empty(), "folders that import each other: {mutual:?}");
        assert!(graph["shared"].is_empty(), "shared/ must not depend on a service: {:?}", graph["shared"]);
    }
}

/// Each service's rules, through the registry and the engine's `evaluate`, on the boundary days.
#[cfg(test)]
mod eligibility_rules {
    use crate::applications::eligibility::{evaluate, Facts, ProfileFacts};
    use crate::applications::model::{Kind, Status};
    use crate::policy::{Param, Policy};
    use crate::shared::time::Date;
    use crate::shared::values::EmploymentStatus;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn graduate(graduated: &str, status: &str) -> Facts {
        let status = EmploymentStatus::parse(status).unwrap();
        Facts {
            profile: Some(ProfileFacts {
                birth_date: d("2001-03-01"),
                graduation_date: d(graduated),
                household_in_leshan: true,
                employment_status: status,
                identity_confirmed: true,
            }),
            history: vec![],
        }
    }

    #[test]
    fn without_a_complete_profile_nothing_is_open_and_the_page_says_why() {
        let e = evaluate(Kind::JobseekerRegistration, &Facts::default(), &Policy::seeded(), d("2026-11-30"));
        assert!(!e.eligible());
        assert_eq!(e.first_failure().unwrap().key, "rule.profile_complete");
    }

    #[test]
    fn one_registration_at_a_time_and_a_certificate_only_after_approval() {
        let today = d("2026-11-30");
        let mut facts = graduate("2026-06-30", "unemployed");
        let policy = Policy::seeded();
        assert!(evaluate(Kind::JobseekerRegistration, &facts, &policy, today).eligible());
        assert!(!evaluate(Kind::EmploymentCertificate, &facts, &policy, today).eligible());

        facts.history.push((Kind::JobseekerRegistration, Status::Submitted));
        assert_eq!(evaluate(Kind::JobseekerRegistration, &facts, &policy, today).first_failure().unwrap().key, "rule.not_already_registered");

        facts.history[0].1 = Status::Approved;
        assert!(evaluate(Kind::EmploymentCertificate, &facts, &policy, today).eligible());
        facts.history.push((Kind::EmploymentCertificate, Status::Approved));
        assert_eq!(evaluate(Kind::EmploymentCertificate, &facts, &policy, today).first_failure().unwrap().key, "rule.no_certificate_yet");

        // A rejected or withdrawn registration does not block a new one.
        let mut again = graduate("2026-06-30", "unemployed");
        again.history.push((Kind::JobseekerRegistration, Status::Rejected));
        again.history.push((Kind::JobseekerRegistration, Status::Withdrawn));
        assert!(evaluate(Kind::JobseekerRegistration, &again, &policy, today).eligible());
    }

    #[test]
    fn the_startup_subsidy_window_ends_on_the_fifth_anniversary_of_graduation() {
        let policy = Policy::seeded();
        let facts = graduate("2021-06-30", "self_employed");
        assert!(evaluate(Kind::StartupSubsidy, &facts, &policy, d("2026-06-30")).eligible(), "last day counts");
        let late = evaluate(Kind::StartupSubsidy, &facts, &policy, d("2026-07-01"));
        assert!(!late.eligible());
        assert_eq!(late.first_failure().unwrap().args, vec![("years".to_string(), "5".to_string())]);
    }

    #[test]
    fn the_flexible_insurance_subsidy_needs_flexible_work_within_two_years() {
        let policy = Policy::seeded();
        let facts = graduate("2024-12-01", "flexible");
        assert!(evaluate(Kind::FlexibleInsuranceSubsidy, &facts, &policy, d("2026-12-01")).eligible());
        assert!(!evaluate(Kind::FlexibleInsuranceSubsidy, &facts, &policy, d("2026-12-02")).eligible());
        let employed = graduate("2025-06-30", "employed");
        assert_eq!(
            evaluate(Kind::FlexibleInsuranceSubsidy, &employed, &policy, d("2026-11-30")).first_failure().unwrap().key,
            "rule.flexibly_employed"
        );
    }

    #[test]
    fn traineeships_take_recent_graduates_or_anyone_aged_16_to_24() {
        let policy = Policy::seeded();
        // Graduated four years ago, but 24 years old (born 2002-12-01) on 2026-11-30: eligible by age.
        let mut facts = graduate("2022-06-30", "unemployed");
        facts.profile.as_mut().unwrap().birth_date = d("2002-12-01");
        assert!(evaluate(Kind::Traineeship, &facts, &policy, d("2026-11-30")).eligible());
        // The day they turn 25 (and long past the two-year window): not any more.
        facts.profile.as_mut().unwrap().birth_date = d("2001-11-30");
        assert!(!evaluate(Kind::Traineeship, &facts, &policy, d("2026-11-30")).eligible());
    }

    #[test]
    fn a_changed_policy_parameter_changes_the_answer_from_its_effective_date() {
        let mut policy = Policy::seeded();
        policy.set(Param::StartupSubsidyYearsSinceGraduation, d("2027-01-01"), 3.0);
        let facts = graduate("2022-06-30", "self_employed");
        assert!(evaluate(Kind::StartupSubsidy, &facts, &policy, d("2026-12-31")).eligible());
        assert!(!evaluate(Kind::StartupSubsidy, &facts, &policy, d("2027-01-01")).eligible());
    }

    #[test]
    fn a_startup_loan_needs_a_leshan_household_and_no_earlier_loan() {
        let policy = Policy::seeded();
        let mut facts = graduate("2025-06-30", "self_employed");
        assert!(evaluate(Kind::StartupLoan, &facts, &policy, d("2026-11-30")).eligible());
        facts.profile.as_mut().unwrap().household_in_leshan = false;
        assert_eq!(evaluate(Kind::StartupLoan, &facts, &policy, d("2026-11-30")).first_failure().unwrap().key, "rule.household_in_leshan");
    }
}
