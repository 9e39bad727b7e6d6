//! Writers that turn grades into text for people and machines.

pub mod diff;
pub mod document;
pub mod fleet;
pub mod html;
pub mod json;
pub mod json_text;
pub mod junit;
pub mod manual_review;
pub mod markdown;
pub mod reference;
pub mod render;
pub mod sarif;
pub mod table;

use crate::checks::{Alert, Category, CheckResult, Severity, Status};
use crate::grade::{Grades, WorkloadReport};
pub use crate::text::plural;

/// Which sections read first among findings of one severity: what an attacker or an outage
/// would reach first.
fn category_rank(c: Category) -> u8 {
    match c {
        Category::Health => 0,
        Category::Security => 1,
        Category::Configuration => 2,
        Category::Rollout => 3,
        Category::Probes => 4,
        Category::Availability => 5,
        Category::Resources => 6,
        Category::Api => 7,
        Category::Networking => 8,
        Category::Namespace => 9,
        Category::Cluster => 10,
        Category::Operability => 11,
    }
}

/// Failing, scored results of a workload, most severe first.
pub fn worst_findings(w: &WorkloadReport) -> Vec<&CheckResult> {
    let mut f: Vec<&CheckResult> = w.failing().filter(|r| r.is_scored()).collect();
    f.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| category_rank(a.category).cmp(&category_rank(b.category)))
            .then_with(|| a.check.cmp(&b.check))
    });
    f
}

/// Shortens `text` to at most `width` characters, ending in `…` when cut.
pub fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else if width == 0 {
        String::new()
    } else {
        let mut t: String = text.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

/// Alert counts by severity: (critical, warning, info).
pub fn alert_counts(grades: &Grades) -> (usize, usize, usize) {
    count_by_severity(grades.alerts())
}

/// Counts of `alerts` by severity: (critical, warning, info).
pub fn count_by_severity<'a>(alerts: impl IntoIterator<Item = &'a Alert>) -> (usize, usize, usize) {
    let mut c = (0, 0, 0);
    for a in alerts {
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
        .values()
        .filter(|o| !is_system(o.key.scope()))
        .flat_map(|o| o.results.iter());
    workloads
        .chain(objects)
        .filter(|r| r.status == Status::Fail && r.severity >= min)
        .collect()
}
