//! Helpers for tests: build a model from YAML and look results up by name.

use crate::checks::{CheckResult, Status};
use crate::cluster::{ClusterModel, WorkloadKey, WorkloadKind};
use crate::config::Config;
use crate::engine::{model_of, Engine};
use crate::grade::{Grades, ObjectReport};
use crate::source::file::load_str;
use crate::source::LoadOptions;

/// A model holding the manifests in `yaml`, every kind synced (file semantics).
pub fn model(yaml: &str) -> ClusterModel {
    model_with(yaml, &LoadOptions::default())
}

pub fn model_with(yaml: &str, options: &LoadOptions) -> ClusterModel {
    model_of(load_str(yaml, "test.yaml", options).expect("test manifests parse"))
}

/// Grades `yaml` with the default config.
pub fn grade(yaml: &str) -> Grades {
    let msgs = load_str(yaml, "test.yaml", &LoadOptions::default()).expect("test manifests parse");
    Engine::from_messages(Config::default(), msgs).into_grades()
}

/// Parses `Kind/namespace/name`.
pub fn key(path: &str) -> WorkloadKey {
    let mut parts = path.splitn(3, '/');
    let kind = parts.next().unwrap();
    let ns = parts.next().unwrap();
    let name = parts.next().unwrap();
    WorkloadKey::new(WorkloadKind::from_name(kind), ns, name)
}

/// The result of `check` on workload `path` (`Deployment/shop/web`); panics when absent.
pub fn result<'g>(grades: &'g Grades, path: &str, check: &str) -> &'g CheckResult {
    let w = grades.workloads.get(&key(path)).unwrap_or_else(|| {
        panic!(
            "no workload {path}; have {:?}",
            grades.workloads.keys().collect::<Vec<_>>()
        )
    });
    w.results
        .iter()
        .find(|r| r.check == check)
        .unwrap_or_else(|| panic!("{path} has no result for {check}"))
}

/// The status of `check` on workload `path`.
pub fn status(grades: &Grades, path: &str, check: &str) -> Status {
    result(grades, path, check).status
}

/// An object row (`Service/shop/web`, `Namespace//shop`, `Cluster//cluster`).
pub fn object<'g>(grades: &'g Grades, path: &str) -> &'g ObjectReport {
    let mut parts = path.splitn(3, '/');
    let (kind, ns, name) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    grades
        .objects
        .values()
        .find(|o| o.key.is(kind, ns, name))
        .unwrap_or_else(|| panic!("no object {path}"))
}

/// The result of `check` on object row `path`.
pub fn object_result<'g>(grades: &'g Grades, path: &str, check: &str) -> &'g CheckResult {
    object(grades, path)
        .results
        .iter()
        .find(|r| r.check == check)
        .unwrap_or_else(|| panic!("{path} has no result for {check}"))
}
