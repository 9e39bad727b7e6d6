//! The add-on kinds on the live path: discovery decides which groups are watched, and a
//! Rollout, a ScaledObject, an HTTPRoute and a Certificate changing status reach the model.

mod support;

use serde_json::{json, Value};
use shipshape::cluster::{Kind, SyncState, WorkloadKey, WorkloadKind};
use support::apiserver::ApiServer;
use support::watching::Watching;

fn rollout(status: Value) -> Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
        "metadata": {"name": "checkout", "namespace": "shop", "uid": "ro-checkout"},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "checkout"}},
                 "template": {"metadata": {"labels": {"app": "checkout"}},
                              "spec": {"containers": [{"name": "checkout", "image": "registry.example/checkout:2.0"}]}},
                 "strategy": {"canary": {"stableService": "checkout", "canaryService": "checkout-canary",
                                         "steps": [{"setWeight": 20}, {"pause": {}}]}}},
        "status": status
    })
}

fn healthy() -> Value {
    json!({"phase": "Healthy", "replicas": 3, "readyReplicas": 3, "availableReplicas": 3,
           "updatedReplicas": 3, "observedGeneration": "4"})
}

fn seed(server: &ApiServer) {
    server.apply(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}));
    server.apply(rollout(healthy()));
    server.apply(json!({
        "apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
        "metadata": {"name": "checkout", "namespace": "shop"},
        "spec": {"scaleTargetRef": {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "checkout"},
                 "minReplicaCount": 3, "maxReplicaCount": 10,
                 "triggers": [{"type": "prometheus", "metadata": {"query": "sum(rate(http_requests_total[1m]))"}}]},
        "status": {"hpaName": "keda-hpa-checkout",
                   "conditions": [{"type": "Ready", "status": "True"}, {"type": "Active", "status": "False"}]}
    }));
    server.apply(route("True"));
    server.apply(certificate("True", "2027-03-01T00:00:00Z"));
}

fn route(accepted: &str) -> Value {
    json!({
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"name": "checkout", "namespace": "shop"},
        "spec": {"parentRefs": [{"name": "public", "namespace": "gateways"}],
                 "rules": [{"backendRefs": [{"name": "checkout", "port": 80}]}]},
        "status": {"parents": [{"parentRef": {"name": "public", "namespace": "gateways"},
                                "controllerName": "example.com/gateway",
                                "conditions": [{"type": "Accepted", "status": accepted}]}]}
    })
}

fn certificate(ready: &str, not_after: &str) -> Value {
    json!({
        "apiVersion": "cert-manager.io/v1", "kind": "Certificate",
        "metadata": {"name": "checkout-tls", "namespace": "shop"},
        "spec": {"secretName": "checkout-tls", "issuerRef": {"name": "letsencrypt", "kind": "ClusterIssuer"}},
        "status": {"notAfter": not_after, "conditions": [{"type": "Ready", "status": ready}]}
    })
}

fn checkout() -> WorkloadKey {
    WorkloadKey::new(WorkloadKind::Rollout, "shop", "checkout")
}

fn ns_name(name: &str) -> (String, String) {
    ("shop".to_string(), name.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_on_objects_and_their_status_changes_arrive_live() {
    let server = ApiServer::start().await;
    seed(&server);
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::start(&server, dir.path()).await;
    w.synced().await;
    for kind in [
        Kind::Rollout,
        Kind::ScaledObject,
        Kind::HTTPRoute,
        Kind::Certificate,
    ] {
        assert_eq!(w.model.sync_state(kind), SyncState::Synced, "{kind}");
    }
    // Prometheus Operator is not installed on this server: its kinds are known to be empty.
    assert_eq!(
        w.model.sync_state(Kind::ServiceMonitor),
        SyncState::NotServed
    );
    let grades = w.grades();
    let report = &grades.workloads[&checkout()];
    assert!(
        !report
            .alerts
            .iter()
            .any(|a| a.check == "health.unavailable"),
        "{:?}",
        report.alerts
    );

    // The canary aborts and takes every pod of the new version down.
    server.apply(rollout(json!({
        "phase": "Degraded", "abort": true, "message": "RolloutAborted: metric \"success-rate\" assessed Failed",
        "replicas": 3, "readyReplicas": 0, "availableReplicas": 0, "updatedReplicas": 1})));
    w.until("the Rollout to degrade", |m| {
        m.stores.rollouts[&ns_name("checkout")]
            .without_pod_spec()
            .status
            .as_ref()
            .is_some_and(|s| s.abort)
    })
    .await;
    let grades = w.grades();
    let alert = grades.workloads[&checkout()]
        .alerts
        .iter()
        .find(|a| a.check == "health.unavailable")
        .expect("an unavailable alert");
    assert!(alert.message.contains("0 of 3"), "{}", alert.message);

    server.apply(route("False"));
    w.until("the route to be refused", |m| {
        m.stores.http_routes[&ns_name("checkout")]
            .status
            .as_ref()
            .is_some_and(|s| s.parents[0].conditions[0].status == "False")
    })
    .await;

    server.apply(certificate("False", "2026-12-01T00:00:00Z"));
    w.until("the certificate to lose Ready", |m| {
        m.stores.certificates[&ns_name("checkout-tls")]
            .ready()
            .is_some_and(|c| c.status == "False")
    })
    .await;

    server.delete(Kind::ScaledObject, "shop", "checkout");
    w.until("the ScaledObject to go", |m| {
        m.stores.scaled_objects.is_empty()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_the_cluster_does_not_serve_is_never_requested() {
    let server = ApiServer::start().await;
    server.unserve_group("argoproj.io");
    server.unserve_group("keda.sh");
    seed(&server);
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::start(&server, dir.path()).await;
    w.synced().await;
    assert_eq!(w.model.sync_state(Kind::Rollout), SyncState::NotServed);
    assert_eq!(w.model.sync_state(Kind::ScaledObject), SyncState::NotServed);
    assert!(
        w.model.knows(Kind::Rollout),
        "not served: known to be empty"
    );
    assert_eq!(w.model.sync_state(Kind::HTTPRoute), SyncState::Synced);
    let asked: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.uri.clone())
        .filter(|u| u.contains("argoproj.io") || u.contains("keda.sh"))
        .collect();
    assert!(asked.is_empty(), "{asked:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_served_but_forbidden_add_on_kind_is_forbidden() {
    let server = ApiServer::start().await;
    server.forbid("rollouts");
    seed(&server);
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::start(&server, dir.path()).await;
    w.synced().await;
    assert_eq!(w.model.sync_state(Kind::Rollout), SyncState::Forbidden);
    assert!(!w.model.knows(Kind::Rollout));
}
