//! `--output json`: a documented, versioned schema (see README, "JSON output").

use crate::checks::{Alert, CheckResult};
use crate::cluster::{ClusterModel, Kind, SyncState};
use crate::grade::{Grades, ObjectReport, WorkloadReport};
use crate::score::{grade_text, Grade};
use serde_json::{json, Value};

/// Bumped on any incompatible change to the shape below.
pub const SCHEMA_VERSION: u32 = 1;

fn score(s: Option<f64>) -> Value {
    s.map_or(Value::Null, |s| json!((s * 10.0).round() / 10.0))
}

fn grade(g: Option<Grade>) -> Value {
    g.map_or(Value::Null, |g| json!(grade_text(Some(g))))
}

fn result(r: &CheckResult) -> Value {
    let fail = r.status == crate::checks::Status::Fail;
    json!({
        "check": r.check,
        "category": r.category.name(),
        "severity": r.severity.name(),
        "result": r.status.name(),
        "container": if r.containers.is_empty() { Value::Null } else { json!(r.containers.join(", ")) },
        "containers": r.containers,
        "message": r.message,
        "fix": if fail { json!(r.fix_text()) } else { Value::Null },
        "waiver": r.waiver,
    })
}

fn workload(w: &WorkloadReport) -> Value {
    json!({
        "kind": w.key.kind.name(),
        "namespace": w.key.namespace,
        "name": w.key.name,
        "score": score(w.score),
        "grade": grade(w.grade),
        "health": w.health.name(),
        "ready": w.ready,
        "desired": w.desired,
        "restarts": w.restarts,
        "results": w.results.iter().map(result).collect::<Vec<_>>(),
    })
}

fn object(o: &ObjectReport) -> Value {
    json!({
        "kind": o.kind,
        "namespace": if o.namespace.is_empty() { Value::Null } else { json!(o.namespace) },
        "name": o.name,
        "score": score(o.score),
        "grade": grade(o.grade),
        "results": o.results.iter().map(result).collect::<Vec<_>>(),
    })
}

fn alert(a: &Alert) -> Value {
    json!({
        "check": a.check,
        "severity": a.severity.name(),
        "workload": {"kind": a.workload.kind.name(), "namespace": a.workload.namespace, "name": a.workload.name},
        "pods": a.pods,
        "container": a.container,
        "reason": a.reason,
        "message": a.message,
        "since": a.since.map(|t| t.to_rfc3339()),
        "restarts": a.restarts,
        "events": a.events,
    })
}

/// The whole report as a JSON value.
pub fn report(model: &ClusterModel, grades: &Grades) -> Value {
    let (critical, warning, info) = super::alert_counts(grades);
    let mut kinds = json!({"synced": [], "forbidden": [], "unknown": []});
    for k in Kind::ALL {
        let slot = match model.sync_state(*k) {
            SyncState::Synced | SyncState::Stale(_) => "synced",
            // Its API group is not served: the add-on is not installed.
            SyncState::NotServed => "notServed",
            SyncState::Forbidden => "forbidden",
            // Not served by the API server: as unknown as a kind never listed.
            SyncState::Unsynced | SyncState::Unavailable(_) => "unknown",
        };
        // Present only when some group is not served, so reports of clusters that serve every
        // group keep their shape.
        if kinds.get(slot).is_none() {
            kinds[slot] = json!([]);
        }
        kinds[slot]
            .as_array_mut()
            .expect("array")
            .push(json!(k.name()));
    }
    let mut alerts: Vec<&Alert> = grades.alerts().collect();
    alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| b.since.cmp(&a.since))
            .then_with(|| a.workload.cmp(&b.workload))
    });
    json!({
        "schema_version": SCHEMA_VERSION,
        "source": {
            "name": model.facts.source,
            "type": if model.facts.from_manifests { "manifests" } else { "cluster" },
            "server_version": model.facts.server_version,
            "evaluated_at": model.now().to_rfc3339(),
        },
        "cluster": {
            "score": score(grades.cluster_score),
            "grade": grade(grades.cluster_grade),
            "health": grades.cluster_health.name(),
            "workloads": grades.workloads.len(),
            "alerts": {"critical": critical, "warning": warning, "info": info},
        },
        "namespaces": grades.namespaces.values().map(|n| json!({
            "name": n.name,
            "system": n.system,
            "score": score(n.score),
            "grade": grade(n.grade),
            "health": n.health.name(),
            "workloads": n.workloads,
            "failing_workloads": n.failing_workloads,
            "critical_workloads": n.critical_workloads,
            "alerts": n.alerts,
        })).collect::<Vec<_>>(),
        "workloads": grades.workloads.values().map(workload).collect::<Vec<_>>(),
        "objects": grades.objects.iter().map(object).collect::<Vec<_>>(),
        "alerts": alerts.into_iter().map(alert).collect::<Vec<_>>(),
        "kinds": kinds,
        "unknown_kinds": model.unknown_kinds.iter().map(|(k, n)| json!({"kind": k, "count": n})).collect::<Vec<_>>(),
    })
}
