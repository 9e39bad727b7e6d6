//! `autoscaler.*` — event-driven autoscalers that can do their job (checklist section X: KEDA
//! ScaledObjects). A ScaledObject is judged on the row of the workload it scales: that is where
//! a person looks for why the workload has the replicas it has.

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{Category, Context, Severity, Subject, Verdict};
use crate::cluster::crd::keda::ScaledObject;
use crate::cluster::{Controller, Kind, Workload, WorkloadClass};

pub const CHECKS: &[Check] = &[Check {
    def: def(
        Section {
            category: Category::Availability,
            subject: Subject::Workload,
        },
        "autoscaler.sane",
        Severity::Warning,
        "The KEDA ScaledObject can do its job",
        "a ScaledObject with minReplicaCount < 2 on a workload that serves traffic (scale-to-zero is n/a for workloads no Service selects), minReplicaCount = maxReplicaCount, or no triggers",
        "A ScaledObject that may scale a Service's pods down to one (or to none) turns one lost pod, or the first request after an idle spell, into an outage; one with min = max or without triggers never scales at all.",
        "Keep two pods behind a Service, leave room to scale, and name what to scale on:\n\nspec:\n  scaleTargetRef: {name: web}\n  minReplicaCount: 2\n  maxReplicaCount: 10\n  triggers:\n    - type: prometheus\n      metadata:\n        serverAddress: http://prometheus.monitoring:9090\n        query: sum(rate(http_requests_total{app=\"web\"}[2m]))\n        threshold: \"100\"",
    ),
    applies: Applies::LongRunning(
        "runs to completion: KEDA scales Jobs with a ScaledJob, not a ScaledObject",
    ),
    needs: &[Kind::ScaledObject],
    reads: &[Kind::ScaledObject, Kind::Service],
    grade: Grade::Workload(sane),
}];

fn sane(w: &Workload, cx: &Context) -> Verdict {
    match w.key.kind.class() {
        WorkloadClass::Daemon => {
            return Verdict::na("a DaemonSet runs one pod per node; it is not scaled")
        }
        WorkloadClass::BarePod => return Verdict::na("a bare Pod cannot be scaled"),
        _ => {}
    }
    let scaled = cx.scaled_objects_targeting(w);
    if scaled.is_empty() {
        return Verdict::na("no KEDA ScaledObject targets the workload");
    }
    // Only a floor below 2 needs to know whether the workload serves traffic.
    let low_floor = scaled.iter().any(|so| so.min_replicas() < 2);
    let serves = if low_floor {
        if let Some(why) = cx.missing(&[Kind::Service]) {
            return Verdict::unknown(why);
        }
        let mut names: Vec<&str> = cx
            .services_selecting(w)
            .iter()
            .filter_map(|s| s.metadata.name.as_deref())
            .collect();
        // A Rollout's stable/canary/active/preview Services select its pods by definition
        // (Argo Rollouts adds the pod hash to their selectors, which the template lacks).
        if let Controller::Rollout(r) = w.controller {
            let services = &cx.model.stores.services;
            names.extend(
                r.without_pod_spec()
                    .service_names()
                    .into_iter()
                    .filter(|n| services.contains_key(&(w.key.namespace.clone(), n.to_string()))),
            );
        }
        names.sort_unstable();
        names.dedup();
        names
    } else {
        Vec::new()
    };
    let mut problems = Vec::new();
    for so in &scaled {
        problems.extend(judge(so, &serves));
    }
    let names: Vec<&str> = scaled.iter().map(|so| name_of(so)).collect();
    if problems.is_empty() {
        let floor = scaled.iter().map(|so| so.min_replicas()).min().unwrap_or(0);
        let why = if floor < 2 {
            format!(
                "; it may scale to {floor} since no Service sends it traffic (an idle worker costs nothing)"
            )
        } else {
            String::new()
        };
        Verdict::pass(format!(
            "KEDA ScaledObject {} has room to scale and triggers to scale on{why}",
            names.join(", ")
        ))
    } else {
        Verdict::fail(problems.join("; "))
    }
}

fn name_of(so: &ScaledObject) -> &str {
    so.metadata.name.as_deref().unwrap_or_default()
}

/// KEDA's rules for one ScaledObject; `serves` names the Services that select the workload.
fn judge(so: &ScaledObject, serves: &[&str]) -> Vec<String> {
    let name = name_of(so);
    let (min, max) = (so.min_replicas(), so.max_replicas());
    let mut problems = Vec::new();
    if min < 2 && !serves.is_empty() {
        let unset = if so.spec.min_replica_count.is_none() {
            " (unset: KEDA's default)"
        } else {
            ""
        };
        problems.push(format!(
            "ScaledObject {name} has minReplicaCount {min}{unset} on a workload Service {} sends traffic to: one pod lost (or none running) is an outage",
            serves.join(", ")
        ));
    }
    if min == max {
        problems.push(format!(
            "ScaledObject {name} has minReplicaCount = maxReplicaCount ({min}): it can never scale"
        ));
    }
    if so.spec.triggers.is_empty() {
        problems.push(format!("ScaledObject {name} has no triggers to scale on"));
    }
    problems
}
