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

/// Writes what `kubectl get pods,deployments,replicasets,services,namespaces,nodes -A -o json`
/// prints for a cluster of `pods` pods, shaped as a real API server returns objects:
/// `managedFields` of several field managers, the last-applied-configuration annotation on
/// what `kubectl apply` created, three containers (one an init container) with probes and
/// resources, full status with conditions. Four pods per Deployment, each Deployment with its
/// current and an old ReplicaSet and a Service: 10,000 pods make about 20,100 objects.
/// Written object by object in `kubectl`'s layout (four-space indent), so a dump of any size
/// costs one object's memory. Deterministic for a given size.
pub fn write_kubectl_dump(out: &mut dyn std::io::Write, pods: usize) -> std::io::Result<()> {
    let deployments = pods.div_ceil(4).max(1);
    let namespaces = (deployments / 100).max(1);
    let nodes = (pods / 130).max(3);
    out.write_all(b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [")?;
    let mut first = true;
    let mut item = |out: &mut dyn std::io::Write, value: Value| -> std::io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        let mut text = Vec::with_capacity(32 * 1024);
        let mut ser = serde_json::Serializer::with_formatter(
            &mut text,
            serde_json::ser::PrettyFormatter::with_indent(b"    "),
        );
        serde::Serialize::serialize(&value, &mut ser).map_err(std::io::Error::from)?;
        for line in text.split(|&b| b == b'\n') {
            out.write_all(b"\n        ")?;
            out.write_all(line)?;
        }
        Ok(())
    };
    for n in 0..namespaces {
        let ns = format!("team-{n:02}");
        item(
            out,
            with_server_fields(
                json!({"apiVersion": "v1", "kind": "Namespace",
                    "metadata": {"name": ns, "labels": {"kubernetes.io/metadata.name": ns,
                        "pod-security.kubernetes.io/enforce": "restricted"}},
                    "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}),
                n,
                true,
            ),
        )?;
    }
    for node in 0..nodes {
        item(out, node_object(node))?;
    }
    for d in 0..deployments {
        let ns = format!("team-{:02}", d % namespaces);
        let name = format!("svc-{d:05}");
        let labels = json!({"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name,
            "app.kubernetes.io/part-of": "shop", "app.kubernetes.io/version": "1.4.2"});
        let spec = pod_spec(d);
        let template = json!({"metadata": {"labels": labels.clone(),
            "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"}},
            "spec": spec.clone()});
        let replicas = if d == deployments - 1 && !pods.is_multiple_of(4) {
            pods % 4
        } else {
            4
        };
        item(
            out,
            with_server_fields(
                json!({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": name, "namespace": ns, "labels": labels.clone(),
                        "annotations": {"deployment.kubernetes.io/revision": "7"}, "generation": 7},
                    "spec": {"replicas": replicas, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
                        "selector": {"matchLabels": labels.clone()}, "template": template.clone(),
                        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}},
                    "status": {"observedGeneration": 7, "replicas": replicas, "readyReplicas": replicas,
                        "availableReplicas": replicas, "updatedReplicas": replicas,
                        "conditions": [
                            {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                             "message": "Deployment has minimum availability.",
                             "lastUpdateTime": "2026-11-20T08:02:00Z", "lastTransitionTime": "2026-11-20T08:02:00Z"},
                            {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                             "message": format!("ReplicaSet \"{name}-5f7d9c\" has successfully progressed."),
                             "lastUpdateTime": "2026-11-20T08:02:00Z", "lastTransitionTime": "2026-11-20T08:00:00Z"}]}}),
                d,
                true,
            ),
        )?;
        for (r, (hash, rs_replicas)) in [
            (format!("{:x}", 0x5f7d_0000u32 + d as u32), replicas),
            (format!("{:x}", 0x3a11_0000u32 + d as u32), 0),
        ]
        .into_iter()
        .enumerate()
        {
            let rs = format!("{name}-{hash}");
            let mut rs_labels = labels.clone();
            rs_labels["pod-template-hash"] = json!(hash);
            let mut rs_template = template.clone();
            rs_template["metadata"]["labels"] = rs_labels.clone();
            item(
                out,
                with_server_fields(
                    json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                        "metadata": {"name": rs, "namespace": ns, "labels": rs_labels.clone(),
                            "annotations": {"deployment.kubernetes.io/desired-replicas": "4",
                                "deployment.kubernetes.io/max-replicas": "5",
                                "deployment.kubernetes.io/revision": if r == 0 { "7" } else { "6" }},
                            "generation": 2,
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name,
                                "uid": uid("d", d), "controller": true, "blockOwnerDeletion": true}]},
                        "spec": {"replicas": rs_replicas, "selector": {"matchLabels": rs_labels.clone()}, "template": rs_template},
                        "status": {"replicas": rs_replicas, "fullyLabeledReplicas": rs_replicas, "readyReplicas": rs_replicas,
                            "availableReplicas": rs_replicas, "observedGeneration": 2}}),
                    d * 2 + r,
                    false,
                ),
            )?;
            if r == 1 {
                continue;
            }
            for p in 0..rs_replicas {
                item(out, pod_object(d, p, &ns, &rs, &rs_labels, &spec, nodes))?;
            }
        }
        item(
            out,
            with_server_fields(
                json!({"apiVersion": "v1", "kind": "Service",
                    "metadata": {"name": name, "namespace": ns, "labels": labels.clone()},
                    "spec": {"selector": {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name},
                        "type": "ClusterIP", "clusterIP": format!("10.96.{}.{}", d / 256 % 256, d % 256),
                        "clusterIPs": [format!("10.96.{}.{}", d / 256 % 256, d % 256)],
                        "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                        "sessionAffinity": "None",
                        "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"},
                                  {"name": "metrics", "port": 9090, "protocol": "TCP", "targetPort": "metrics"}]},
                    "status": {"loadBalancer": {}}}),
                d,
                true,
            ),
        )?;
    }
    out.write_all(b"\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n")
}

fn uid(kind: &str, n: usize) -> String {
    let h = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ kind.len() as u64;
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        h >> 32,
        h >> 16 & 0xffff,
        h & 0xfff,
        (h >> 20) & 0xfff,
        h & 0xffff_ffff_ffff
    )
}

/// What the API server adds to every object: uid, resourceVersion, creationTimestamp and
/// managedFields (one entry per field manager, each listing the fields it set); with the
/// last-applied-configuration annotation when `kubectl apply` created the object.
fn with_server_fields(mut object: Value, n: usize, applied: bool) -> Value {
    let fields = field_set(&object);
    let status = object.get("status").map(field_set);
    let kind = object["kind"].as_str().unwrap_or_default().to_string();
    let meta = object["metadata"].as_object_mut().expect("metadata");
    meta.insert("uid".into(), json!(uid(&kind, n)));
    meta.insert(
        "resourceVersion".into(),
        json!(format!("{}", 184_000_000 + n * 7)),
    );
    meta.insert("creationTimestamp".into(), json!("2026-11-20T08:00:00Z"));
    let mut managed = vec![
        json!({"manager": if applied { "kubectl-client-side-apply" } else { "kube-controller-manager" },
        "operation": "Update", "apiVersion": object["apiVersion"], "time": "2026-11-20T08:00:00Z",
        "fieldsType": "FieldsV1", "fieldsV1": fields}),
    ];
    if let Some(status) = status {
        managed.push(json!({"manager": "kube-controller-manager", "operation": "Update",
            "apiVersion": object["apiVersion"], "time": "2026-11-20T08:02:00Z", "fieldsType": "FieldsV1",
            "fieldsV1": {"f:status": status}, "subresource": "status"}));
    }
    if applied {
        let mut last = object.clone();
        if let Some(o) = last.as_object_mut() {
            o.remove("status");
        }
        if let Some(m) = last["metadata"].as_object_mut() {
            for k in ["uid", "resourceVersion", "creationTimestamp", "generation"] {
                m.remove(k);
            }
        }
        let text = serde_json::to_string(&last).expect("JSON");
        let meta = object["metadata"].as_object_mut().expect("metadata");
        let annotations = meta
            .entry("annotations")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("annotations");
        annotations.insert(
            "kubectl.kubernetes.io/last-applied-configuration".into(),
            json!(format!("{text}\n")),
        );
    }
    object["metadata"]["managedFields"] = Value::Array(managed);
    object
}

/// A managedFields `fieldsV1` set for `value`: `f:` for keys, `k:` for list entries with a
/// name, `.` for the entry itself, as the API server writes them.
fn field_set(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                if k == "status" || k == "managedFields" || k == "uid" || k == "resourceVersion" {
                    continue;
                }
                out.insert(format!("f:{k}"), field_set(v));
            }
            Value::Object(out)
        }
        Value::Array(items)
            if items
                .iter()
                .all(|i| i.get("name").is_some() || i.get("type").is_some())
                && !items.is_empty() =>
        {
            let mut out = serde_json::Map::new();
            for i in items {
                let key = match i.get("name") {
                    Some(n) => format!("k:{{\"name\":{n}}}"),
                    None => format!("k:{{\"type\":{}}}", i["type"]),
                };
                let mut entry = field_set(i);
                entry["."] = json!({});
                out.insert(key, entry);
            }
            Value::Object(out)
        }
        _ => json!({}),
    }
}

fn container(name: &str, image: &str, port: u16) -> Value {
    json!({"name": name, "image": image, "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": if port == 9090 { "metrics" } else { "http" }, "containerPort": port, "protocol": "TCP"}],
        "env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}}],
        "readinessProbe": {"httpGet": {"path": "/ready", "port": port, "scheme": "HTTP"}, "periodSeconds": 10,
            "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": port, "scheme": "HTTP"}, "periodSeconds": 10,
            "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 6},
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
        "securityContext": {"runAsNonRoot": true, "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"},
            {"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true}]})
}

fn pod_spec(d: usize) -> Value {
    let version = if d.is_multiple_of(7) {
        "latest".to_string()
    } else {
        format!("1.{}", d % 50)
    };
    let mut init = container(
        "migrate",
        &format!("registry.example/shop/migrate:{version}"),
        8081,
    );
    if let Some(o) = init.as_object_mut() {
        for k in ["readinessProbe", "livenessProbe", "ports"] {
            o.remove(k);
        }
    }
    json!({"initContainers": [init],
        "containers": [container("app", &format!("registry.example/shop/api:{version}"), 8080),
                       container("metrics-exporter", "registry.example/observability/exporter:0.17.1", 9090)],
        "volumes": [{"name": "tmp", "emptyDir": {}},
            {"name": "kube-api-access", "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}}],
        "serviceAccountName": "default", "serviceAccount": "default", "automountServiceAccountToken": false,
        "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
        "schedulerName": "default-scheduler", "enableServiceLinks": true, "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0, "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "tolerations": [
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]})
}

fn pod_object(
    d: usize,
    p: usize,
    ns: &str,
    rs: &str,
    labels: &Value,
    spec: &Value,
    nodes: usize,
) -> Value {
    let crash = d.is_multiple_of(97) && p == 0;
    let ip = format!(
        "10.{}.{}.{}",
        64 + d / 65536 % 64,
        d / 256 % 256,
        (d * 4 + p) % 256
    );
    let started = "2026-11-20T08:01:00Z";
    let status_of = |c: &Value, ready: bool, restarts: u32| {
        let name = c["name"].as_str().unwrap_or_default();
        let image = c["image"].as_str().unwrap_or_default();
        json!({"name": name, "image": image, "imageID": format!("{image}@sha256:{:064x}", d * 31 + name.len()),
            "containerID": format!("containerd://{:064x}", (d * 4 + p) * 131 + name.len()),
            "ready": ready, "started": ready, "restartCount": restarts,
            "state": if crash && name == "app" {
                json!({"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"}})
            } else {
                json!({"running": {"startedAt": started}})
            },
            "lastState": if crash && name == "app" {
                json!({"terminated": {"exitCode": 1, "reason": "Error", "startedAt": started, "finishedAt": started}})
            } else { json!({}) },
            "volumeMounts": c["volumeMounts"]})
    };
    let containers: Vec<Value> = spec["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            status_of(
                c,
                !crash || c["name"] != "app",
                if crash && c["name"] == "app" { 12 } else { 0 },
            )
        })
        .collect();
    let mut init = status_of(&spec["initContainers"][0], false, 0);
    init["state"] = json!({"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": "2026-11-20T08:00:30Z",
        "finishedAt": "2026-11-20T08:00:58Z", "containerID": init["containerID"]}});
    let mut spec = spec.clone();
    spec["nodeName"] = json!(format!("node-{:03}", (d * 4 + p) % nodes));
    let condition = |t: &str, ok: bool| {
        json!({"type": t, "status": if ok { "True" } else { "False" },
        "lastProbeTime": null, "lastTransitionTime": "2026-11-20T08:01:00Z"})
    };
    with_server_fields(
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("{rs}-{:05x}", (d * 4 + p) * 2654435761 % 0xfffff), "generateName": format!("{rs}-"),
                "namespace": ns, "labels": labels,
                "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs, "uid": uid("rs", d * 2),
                    "controller": true, "blockOwnerDeletion": true}]},
            "spec": spec,
            "status": {"phase": "Running", "qosClass": "Burstable", "hostIP": format!("192.168.{}.{}", (d * 4 + p) % nodes / 256, (d * 4 + p) % nodes % 256),
                "hostIPs": [{"ip": format!("192.168.{}.{}", (d * 4 + p) % nodes / 256, (d * 4 + p) % nodes % 256)}],
                "podIP": ip, "podIPs": [{"ip": ip}], "startTime": "2026-11-20T08:00:00Z",
                "conditions": [condition("PodReadyToStartContainers", true), condition("Initialized", true),
                    condition("Ready", !crash), condition("ContainersReady", !crash), condition("PodScheduled", true)],
                "initContainerStatuses": [init], "containerStatuses": containers}}),
        d * 4 + p,
        false,
    )
}

fn node_object(n: usize) -> Value {
    let name = format!("node-{n:03}");
    with_server_fields(
        json!({"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64", "topology.kubernetes.io/zone": format!("zone-{}", n % 3),
                "node.kubernetes.io/instance-type": "m6i.2xlarge"},
                "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
            "spec": {"podCIDR": format!("10.64.{n}.0/24"), "providerID": format!("aws:///zone-{}/i-{:017x}", n % 3, n)},
            "status": {"capacity": {"cpu": "8", "memory": "32386544Ki", "pods": "110"},
                "allocatable": {"cpu": "7910m", "memory": "31235568Ki", "pods": "110"},
                "conditions": [
                    {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available",
                     "lastHeartbeatTime": "2026-12-06T08:00:00Z", "lastTransitionTime": "2026-11-20T07:50:00Z"},
                    {"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure", "message": "kubelet has no disk pressure",
                     "lastHeartbeatTime": "2026-12-06T08:00:00Z", "lastTransitionTime": "2026-11-20T07:50:00Z"},
                    {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
                     "lastHeartbeatTime": "2026-12-06T08:00:00Z", "lastTransitionTime": "2026-11-20T07:50:00Z"}],
                "nodeInfo": {"kubeletVersion": "v1.33.4", "containerRuntimeVersion": "containerd://1.7.27",
                    "osImage": "Amazon Linux 2023", "kernelVersion": "6.1.141", "architecture": "amd64", "operatingSystem": "linux"}}}),
        n,
        false,
    )
}

/// The parse-only floor for a `kubectl get -o json` dump: the List deserialised straight into
/// k8s-openapi types (each item by its `kind`, which `kubectl` writes second, after
/// `apiVersion`), with nothing pruned, checked or kept. Returns how many items were typed.
pub fn typed_parse_floor(text: &[u8]) -> Result<usize, serde_json::Error> {
    use serde::de::{
        DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor,
    };
    use serde::Deserialize;
    struct Items;
    impl<'de> Visitor<'de> for Items {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a List")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
            let mut n = 0;
            while let Some(key) = map.next_key::<String>()? {
                if key == "items" {
                    n = map.next_value_seed(Seq)?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(n)
        }
    }
    struct Seq;
    impl<'de> DeserializeSeed<'de> for Seq {
        type Value = usize;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for Seq {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("items")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
            let mut n = 0;
            while seq.next_element_seed(Typed)?.is_some() {
                n += 1;
            }
            Ok(n)
        }
    }
    /// One item, typed by its kind.
    struct Typed;
    impl<'de> DeserializeSeed<'de> for Typed {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> Visitor<'de> for Typed {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
            use k8s_openapi::api::core::v1::{Namespace, Node, Pod, Service};
            let (mut api_version, mut kind) = (None, None);
            while api_version.is_none() || kind.is_none() {
                match map.next_key::<String>()?.as_deref() {
                    Some("apiVersion") => api_version = Some(map.next_value::<String>()?),
                    Some("kind") => kind = Some(map.next_value::<String>()?),
                    _ => return Err(A::Error::custom("apiVersion and kind come first")),
                }
            }
            let rest = serde::de::value::MapAccessDeserializer::new(map);
            match kind.as_deref() {
                Some("Pod") => drop(std::hint::black_box(Pod::deserialize(rest)?)),
                Some("Deployment") => drop(std::hint::black_box(Deployment::deserialize(rest)?)),
                Some("ReplicaSet") => drop(std::hint::black_box(ReplicaSet::deserialize(rest)?)),
                Some("Service") => drop(std::hint::black_box(Service::deserialize(rest)?)),
                Some("Namespace") => drop(std::hint::black_box(Namespace::deserialize(rest)?)),
                Some("Node") => drop(std::hint::black_box(Node::deserialize(rest)?)),
                _ => drop(IgnoredAny::deserialize(rest)?),
            }
            Ok(())
        }
    }
    let mut de = serde_json::Deserializer::from_slice(text);
    let n = de.deserialize_map(Items)?;
    de.end()?;
    Ok(n)
}

/// Twenty custom checks of the kinds teams write (labels, images, resources, comprehensions), as
/// a config file's text: what the grading benchmark and `examples/custom_check_cost.rs` add.
pub fn twenty_custom_checks() -> String {
    let expressions = [
        "has(object.metadata.labels) && 'team' in object.metadata.labels",
        "has(object.metadata.labels) && 'app.kubernetes.io/name' in object.metadata.labels",
        "containers.filter(c, c.image.startsWith('docker.io/')).map(c, c.name)",
        "containers.filter(c, !c.image.contains('@sha256:')).map(c, c.name)",
        "containers.all(c, has(c.resources) && has(c.resources.limits))",
        "containers.filter(c, !has(c.resources) || !has(c.resources.requests)).map(c, c.name)",
        "!has(podSpec.hostNetwork) || !podSpec.hostNetwork",
        "!has(podSpec.hostPID) || !podSpec.hostPID",
        "containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)",
        "containers.exists(c, has(c.readinessProbe))",
        "object.metadata.name.size() <= 40",
        "object.metadata.name.matches('^[a-z][a-z0-9-]*$')",
        "!has(object.spec.replicas) || object.spec.replicas <= 50",
        "containers.filter(c, c.image.endsWith(':latest')).map(c, c.name)",
        "containers.filter(c, has(c.env) && c.env.exists(e, e.name == 'DEBUG')).map(c, c.name)",
        "has(podSpec.serviceAccountName) && podSpec.serviceAccountName != 'default'",
        "size(containers) <= 5",
        "containers.map(c, c.name).all(n, n.lowerAscii() == n)",
        "!has(object.metadata.annotations) || !('legacy' in object.metadata.annotations)",
        "namespaceObject == null || !has(namespaceObject.metadata.labels) || namespaceObject.metadata.labels.size() >= 0",
    ];
    expressions
        .iter()
        .enumerate()
        .map(|(i, e)| {
            format!(
                "[[checks]]\nid = \"bench.c{i}\"\nseverity = \"warning\"\ntitle = \"c{i}\"\nexpression = '''{e}'''\n\n"
            )
        })
        .collect()
}

/// `kubectl get -A -o json` of the demo cluster: a v1 List of every object it holds.
pub fn demo_as_kubectl_list() -> serde_json::Value {
    let items: Vec<serde_json::Value> = crate::source::demo::demo_model()
        .stores
        .objects()
        .iter()
        .map(|o| {
            let mut v = o.to_json();
            v["apiVersion"] = o.kind().api_version().into();
            v["kind"] = o.kind().name().into();
            v
        })
        .collect();
    serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items})
}
