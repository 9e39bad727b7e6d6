//! Generated clusters of any size, for benchmarks and load tests.

use serde_json::{json, Value};

/// A `kubectl get -o json`-style List with `workloads` Deployments of `pods_per_workload`
/// running pods each (with their ReplicaSets), one Service and PDB per workload, and a
/// handful of namespaces with guardrails. Deterministic for a given size.
pub fn cluster_list(workloads: usize, pods_per_workload: usize) -> Value {
    let namespaces = (workloads / 100).max(1);
    let mut items = Vec::with_capacity(workloads * (pods_per_workload + 4) + namespaces * 3);
    for n in 0..namespaces {
        let ns = format!("team-{n:02}");
        items.push(json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": ns, "labels": {"pod-security.kubernetes.io/enforce": "restricted"}}}));
        items.push(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "default-deny", "namespace": ns},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}),
        );
        items.push(json!({"apiVersion": "v1", "kind": "LimitRange",
            "metadata": {"name": "defaults", "namespace": ns},
            "spec": {"limits": [{"type": "Container", "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
                                 "default": {"memory": "256Mi"}}]}}));
    }
    for node in 0..(workloads / 40).max(3) {
        items.push(json!({"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": format!("node-{node}"), "labels": {"topology.kubernetes.io/zone": format!("zone-{}", node % 3)}},
            "status": {"conditions": [{"type": "Ready", "status": "True"}]}}));
    }
    for w in 0..workloads {
        let ns = format!("team-{:02}", w % namespaces);
        let name = format!("svc-{w:05}");
        let hash = format!("{:x}", 0x5f00_0000u32 + w as u32);
        let rs = format!("{name}-{hash}");
        let labels = json!({"app.kubernetes.io/name": name, "app.kubernetes.io/version": "1.4.2"});
        let image = if w % 7 == 0 {
            "registry.example/shop/api:latest".to_string()
        } else {
            format!("registry.example/shop/api:1.{}", w % 50)
        };
        let container = json!({
            "name": "app", "image": image,
            "ports": [{"name": "http", "containerPort": 8080}],
            "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}},
            "livenessProbe": if w % 5 == 0 { Value::Null } else { json!({"httpGet": {"path": "/healthz", "port": "http"}, "failureThreshold": 6}) },
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
            "securityContext": {"runAsNonRoot": true, "allowPrivilegeEscalation": false,
                                "readOnlyRootFilesystem": w % 3 != 0, "capabilities": {"drop": ["ALL"]}},
            "env": [{"name": "LOG_LEVEL", "value": "info"}],
        });
        let template = json!({"metadata": {"labels": labels.clone(), "annotations": {"prometheus.io/scrape": "true"}},
            "spec": {"containers": [container], "serviceAccountName": "default", "automountServiceAccountToken": false}});
        items.push(json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns, "uid": format!("uid-d-{w}"), "annotations": {"team": "shop"}},
            "spec": {"replicas": pods_per_workload, "selector": {"matchLabels": labels.clone()}, "template": template.clone(),
                     "strategy": {"type": "RollingUpdate"}, "minReadySeconds": 5},
            "status": {"replicas": pods_per_workload, "readyReplicas": pods_per_workload, "availableReplicas": pods_per_workload,
                       "updatedReplicas": pods_per_workload,
                       "conditions": [{"type": "Available", "status": "True"}, {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}}));
        items.push(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": rs, "namespace": ns, "uid": format!("uid-rs-{w}"),
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": format!("uid-d-{w}"), "controller": true}]},
            "spec": {"replicas": pods_per_workload, "selector": {"matchLabels": labels.clone()}, "template": template.clone()}}));
        items.push(json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"selector": labels.clone(), "ports": [{"port": 80, "targetPort": "http"}]}}));
        items.push(json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": labels.clone()}},
            "status": {"disruptionsAllowed": 1, "currentHealthy": pods_per_workload, "desiredHealthy": pods_per_workload - 1, "expectedPods": pods_per_workload}}));
        for p in 0..pods_per_workload {
            let crash = w % 97 == 0 && p == 0;
            let mut pod_labels = labels.clone();
            pod_labels["pod-template-hash"] = json!(hash);
            let state = if crash {
                json!({"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"}})
            } else {
                json!({"running": {"startedAt": "2026-11-20T08:00:00Z"}})
            };
            items.push(json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": format!("{rs}-{p:05x}"), "namespace": ns, "labels": pod_labels,
                    "creationTimestamp": "2026-11-20T08:00:00Z",
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs, "uid": format!("uid-rs-{w}"), "controller": true}]},
                "spec": template["spec"].clone(),
                "status": {"phase": "Running", "podIP": format!("10.{}.{}.{}", w / 65536 % 256, w / 256 % 256, w % 256),
                    "conditions": [{"type": "Ready", "status": if crash { "False" } else { "True" }, "lastTransitionTime": "2026-11-20T08:01:00Z"},
                                   {"type": "PodScheduled", "status": "True"}],
                    "containerStatuses": [{"name": "app", "image": image, "imageID": format!("{image}@sha256:{:064x}", w),
                        "ready": !crash, "restartCount": if crash { 12 } else { 0 }, "state": state}]},
            }));
            if let Some(last) = items.last_mut() {
                last["spec"]["nodeName"] =
                    json!(format!("node-{}", (w + p) % (workloads / 40).max(3)));
            }
        }
    }
    json!({"apiVersion": "v1", "kind": "List", "items": items})
}
