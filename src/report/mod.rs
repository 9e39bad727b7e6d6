//! Writers that turn grades into text for people and machines.

pub mod json;
pub mod table;

use crate::checks::{CheckResult, Severity, Status};
use crate::grade::{Grades, WorkloadReport};

/// Failing, scored results of a workload, most severe first.
pub fn worst_findings(w: &WorkloadReport) -> Vec<&CheckResult> {
    let mut f: Vec<&CheckResult> = w.failing().filter(|r| r.is_scored()).collect();
    f.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.check.cmp(&b.check))
    });
    f
}

/// Alert counts by severity: (critical, warning, info).
pub fn alert_counts(grades: &Grades) -> (usize, usize, usize) {
    let mut c = (0, 0, 0);
    for a in grades.alerts() {
        match a.severity {
            Severity::Critical => c.0 += 1,
            Severity::Warning => c.1 += 1,
            Severity::Info => c.2 += 1,
        }
    }
    c
}

/// Results that count as failures at or above `min` (alerts included), outside system
/// namespaces: what `--fail-on` looks at.
pub fn failures_at_or_above(
    grades: &Grades,
    min: Severity,
    is_system: impl Fn(&str) -> bool,
) -> Vec<&CheckResult> {
    let workloads = grades
        .workloads
        .values()
        .filter(|w| !is_system(&w.key.namespace))
        .flat_map(|w| w.results.iter());
    let objects = grades
        .objects
        .iter()
        .filter(|o| !is_system(&o.namespace))
        .flat_map(|o| o.results.iter());
    workloads
        .chain(objects)
        .filter(|r| r.status == Status::Fail && r.severity >= min)
        .collect()
}
