//! The checklist's scoring formula: readiness score, grade, health, and rollups.

use crate::checks::{Alert, CheckResult, Severity, Status};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Letter grade from a readiness score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
    F,
}

impl Grade {
    /// A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, F below; a failing critical check caps it at C.
    pub fn from_score(score: f64, critical_failed: bool) -> Grade {
        let g = match score {
            s if s >= 90.0 => Grade::A,
            s if s >= 80.0 => Grade::B,
            s if s >= 70.0 => Grade::C,
            s if s >= 60.0 => Grade::D,
            _ => Grade::F,
        };
        if critical_failed {
            g.max(Grade::C)
        } else {
            g
        }
    }

    pub fn letter(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::F => "F",
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letter())
    }
}

/// The runtime health axis, worst first.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    Failing,
    Degraded,
    #[default]
    Unknown,
    Healthy,
}

impl Health {
    pub fn name(self) -> &'static str {
        match self {
            Health::Failing => "failing",
            Health::Degraded => "degraded",
            Health::Unknown => "unknown",
            Health::Healthy => "healthy",
        }
    }

    /// Health from a subject's alerts; `known` is false when pods cannot be seen.
    pub fn from_alerts(alerts: &[Alert], known: bool) -> Health {
        if alerts.iter().any(|a| a.severity == Severity::Critical) {
            Health::Failing
        } else if alerts.iter().any(|a| a.severity == Severity::Warning) {
            Health::Degraded
        } else if known {
            Health::Healthy
        } else {
            Health::Unknown
        }
    }

    /// The worse of several (for namespace and cluster rollups); `Healthy` when empty.
    pub fn worst(items: impl IntoIterator<Item = Health>) -> Health {
        items.into_iter().min().unwrap_or(Health::Healthy)
    }
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `100 × Σ weight(pass) / Σ weight(pass + fail)`; `None` when nothing was evaluated.
pub fn readiness_score(results: &[CheckResult]) -> Option<f64> {
    let (mut passed, mut total) = (0u32, 0u32);
    for r in results.iter().filter(|r| r.is_scored()) {
        total += r.severity.weight();
        if r.status == Status::Pass {
            passed += r.severity.weight();
        }
    }
    (total > 0).then(|| 100.0 * f64::from(passed) / f64::from(total))
}

/// Score and grade of a set of results.
pub fn score_and_grade(results: &[CheckResult]) -> (Option<f64>, Option<Grade>) {
    let score = readiness_score(results);
    let critical_failed = results
        .iter()
        .any(|r| r.is_scored() && r.status == Status::Fail && r.severity == Severity::Critical);
    (score, score.map(|s| Grade::from_score(s, critical_failed)))
}

/// Mean of the scores that exist; `None` when none do.
pub fn mean(scores: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let v: Vec<f64> = scores.into_iter().flatten().collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The text form of a score: `87` or `–`.
pub fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| "–".to_string(), |s| format!("{}", s.floor() as i64))
}

/// The text form of a grade: `A` or `–`.
pub fn grade_text(grade: Option<Grade>) -> &'static str {
    grade.map_or("–", Grade::letter)
}

/// The formula, as help screens and reports print it.
pub const FORMULA: &str = "Readiness score = 100 × Σ weight(pass) / Σ weight(pass + fail), with weights \
critical 5, warning 2, info 1; unknown, n/a and waived results do not count, and a workload with no \
evaluated check has no score (–). Grade: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, F below; a failing critical \
check caps the grade at C. Health is a separate axis from runtime alerts: failing (any critical alert), \
degraded (any warning alert), healthy, or unknown. Namespace score = mean of its workloads' scores; \
cluster score = mean of all workload scores outside system namespaces.";

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: &str, status: Status, sev: Severity) -> CheckResult {
        let check = crate::checks::registry::find(id).expect("a registered check");
        let mut c = check.result(crate::checks::Verdict::new(status, ""));
        c.severity = sev;
        c
    }

    #[test]
    fn formula_and_cap() {
        // 5 + 2 pass, 1 info fails: 7/8 = 87.5 → B
        let rs = vec![
            r("image.tag", Status::Pass, Severity::Critical),
            r("probe.liveness", Status::Pass, Severity::Warning),
            r("image.digest", Status::Fail, Severity::Info),
            r("resources.cpu-limit", Status::Unknown, Severity::Info),
            r("availability.hpa", Status::NotApplicable, Severity::Info),
            r("security.seccomp", Status::Waived, Severity::Info),
        ];
        let (s, g) = score_and_grade(&rs);
        assert_eq!(s, Some(87.5));
        assert_eq!(g, Some(Grade::B));
        // 40 passing info checks and one failing critical: 40/45 = 88.9 but capped at C.
        let mut rs: Vec<_> = (0..40)
            .map(|_| r("image.digest", Status::Pass, Severity::Info))
            .collect();
        rs.push(r("image.tag", Status::Fail, Severity::Critical));
        let (s, g) = score_and_grade(&rs);
        assert!((s.unwrap() - 88.888).abs() < 0.01);
        assert_eq!(g, Some(Grade::C));
    }

    #[test]
    fn nothing_evaluated_is_no_score() {
        let rs = vec![r("image.tag", Status::Unknown, Severity::Critical)];
        assert_eq!(score_and_grade(&rs), (None, None));
        assert_eq!(score_text(None), "–");
        assert_eq!(mean([None, Some(80.0), Some(60.0)]), Some(70.0));
        assert_eq!(mean([None]), None);
    }

    #[test]
    fn grade_boundaries() {
        assert_eq!(Grade::from_score(90.0, false), Grade::A);
        assert_eq!(Grade::from_score(89.99, false), Grade::B);
        assert_eq!(Grade::from_score(60.0, false), Grade::D);
        assert_eq!(Grade::from_score(59.9, false), Grade::F);
        assert_eq!(Grade::from_score(50.0, true), Grade::F);
        assert_eq!(Grade::from_score(100.0, true), Grade::C);
    }
}
