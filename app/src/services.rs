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
