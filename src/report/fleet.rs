//! The fleet document: several clusters in one JSON report (`check -o json` and `report
//! --format json` with more than one context, and the exporter's `/report.json`). Each member
//! carries either the single-cluster report, unchanged, or why the cluster could not be read.
//! The schema is documented in the README ("Fleet JSON").

use crate::cluster::ClusterModel;
use crate::grade::Grades;
use crate::score::{grade_text, Grade};
use serde_json::{json, Value};

/// Bumped on any incompatible change to the shape below.
pub const FLEET_SCHEMA_VERSION: u32 = 1;

/// One cluster of the fleet: its report, or the reason it could not be read.
pub struct Member {
    pub context: String,
    pub outcome: Result<Value, String>,
}

impl Member {
    /// A cluster that was read: its single-cluster JSON report.
    pub fn read(context: &str, model: &ClusterModel, grades: &Grades) -> Member {
        Member {
            context: context.to_string(),
            outcome: Ok(serde_json::to_value(super::json::report(model, grades))
                .expect("a report serialises to JSON")),
        }
    }

    pub fn failed(context: &str, error: &str) -> Member {
        Member {
            context: context.to_string(),
            outcome: Err(error.to_string()),
        }
    }
}

/// The fleet's summary: clusters read and failed, workloads, alerts, and the mean of the
/// clusters' scores (each cluster counts once, whatever its size).
pub fn document(members: impl IntoIterator<Item = Member>) -> Value {
    let members: Vec<Member> = members.into_iter().collect();
    let read: Vec<&Value> = members
        .iter()
        .filter_map(|m| m.outcome.as_ref().ok())
        .collect();
    let scores: Vec<f64> = read
        .iter()
        .filter_map(|r| r["cluster"]["score"].as_f64())
        .collect();
    let score = (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
    // A fleet with any critical finding in a cluster graded F is no better than that cluster.
    let worst = read
        .iter()
        .filter_map(|r| r["cluster"]["grade"].as_str())
        .max_by_key(|g| g.as_bytes().first().copied());
    let grade = match (score, worst) {
        (Some(s), Some(w)) => {
            let by_score = grade_text(Some(Grade::from_score(s, false)));
            Some(if w > by_score { w } else { by_score })
        }
        _ => None,
    };
    let sum = |path: &[&str]| -> u64 {
        read.iter()
            .map(|r| path.iter().fold(*r, |v, k| &v[k]).as_u64().unwrap_or(0))
            .sum()
    };
    json!({
        "schema_version": FLEET_SCHEMA_VERSION,
        "kind": "fleet",
        "summary": {
            "clusters": members.len(),
            "read": read.len(),
            "failed": members.len() - read.len(),
            "score": score.map(|s| (s * 10.0).round() / 10.0),
            "grade": grade,
            "workloads": sum(&["cluster", "workloads"]),
            "alerts": {
                "critical": sum(&["cluster", "alerts", "critical"]),
                "warning": sum(&["cluster", "alerts", "warning"]),
                "info": sum(&["cluster", "alerts", "info"]),
            },
        },
        "clusters": members.iter().map(|m| match &m.outcome {
            Ok(report) => json!({"context": m.context, "status": "read", "error": null, "report": report}),
            Err(e) => json!({"context": m.context, "status": "failed", "error": e, "report": null}),
        }).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;

    #[test]
    fn members_keep_their_single_cluster_report_and_failures_are_scoped() {
        let engine = Engine::from_messages(
            crate::config::Config::default(),
            crate::source::demo::demo_messages(),
        );
        let single =
            serde_json::to_value(super::super::json::report(engine.model(), engine.grades()))
                .unwrap();
        let doc = document([
            Member::read("prod", engine.model(), engine.grades()),
            Member::failed("staging", "cannot reach the API server"),
        ]);
        assert_eq!(doc["kind"], "fleet");
        assert_eq!(doc["summary"]["clusters"], 2);
        assert_eq!(doc["summary"]["read"], 1);
        assert_eq!(doc["summary"]["failed"], 1);
        assert_eq!(doc["clusters"][0]["report"], single);
        assert_eq!(doc["clusters"][1]["status"], "failed");
        assert_eq!(doc["clusters"][1]["error"], "cannot reach the API server");
        assert_eq!(doc["summary"]["score"], single["cluster"]["score"]);
        assert_eq!(doc["summary"]["grade"], single["cluster"]["grade"]);
        assert_eq!(doc["summary"]["workloads"], single["cluster"]["workloads"]);
        assert_eq!(
            doc["summary"]["alerts"]["critical"],
            single["cluster"]["alerts"]["critical"]
        );
    }

    #[test]
    fn the_fleet_grade_is_no_better_than_its_worst_cluster() {
        let r = |score: f64, grade: &str| json!({"cluster": {"score": score, "grade": grade, "workloads": 1, "alerts": {}}});
        let doc = document([
            Member {
                context: "a".into(),
                outcome: Ok(r(95.0, "A")),
            },
            Member {
                context: "b".into(),
                outcome: Ok(r(93.0, "F")),
            },
        ]);
        assert_eq!(doc["summary"]["score"], 94.0);
        assert_eq!(doc["summary"]["grade"], "F");
        let none = document([Member::failed("a", "down")]);
        assert_eq!(none["summary"]["grade"], Value::Null);
        assert_eq!(none["summary"]["score"], Value::Null);
    }
}
