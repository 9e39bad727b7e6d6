//! Root causes on graded fixtures: one NotReady node explains many alerts, one registry many
//! pulls, one missing Secret many config errors; and the traps where nothing may be grouped
//! (two nodes, two registries, one workload alone).

use serde_json::{json, Value};
use shipshape::cluster::Msg;
use shipshape::config::Config;
use shipshape::engine::Engine;
use shipshape::source::file::load_str;
use shipshape::source::LoadOptions;
use shipshape::triage::causes::{causes, Cause, CauseKind};

const NOW: &str = "2026-11-20T10:00:00Z";

fn engine(items: Vec<Value>) -> Engine {
    let list = json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string();
    let mut msgs = load_str(&list, "test.json", &LoadOptions::default()).expect("fixture parses");
    msgs.push(Msg::Clock(NOW.parse().unwrap()));
    Engine::from_messages(Config::default(), msgs)
}

fn causes_of(items: Vec<Value>) -> Vec<Cause> {
    let e = engine(items);
    causes(e.grades(), e.model())
}

fn node(name: &str, ready: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
           "status": {"conditions": [
               {"type": "Ready", "status": ready, "lastTransitionTime": "2026-11-20T09:41:00Z"},
               {"type": "MemoryPressure", "status": "False"}]}})
}

/// A bare pod on `node` whose container `app` runs `image` in `state`.
fn pod(ns: &str, name: &str, node: &str, image: &str, state: Value) -> Value {
    let ready = state.get("running").is_some();
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "namespace": ns, "creationTimestamp": "2026-11-20T08:00:00Z"},
           "spec": {"nodeName": node, "containers": [{"name": "app", "image": image}]},
           "status": {"phase": if ready { "Running" } else { "Pending" },
                      "startTime": "2026-11-20T08:00:00Z",
                      "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" },
                                      "lastTransitionTime": "2026-11-20T09:00:00Z"}],
                      "containerStatuses": [{"name": "app", "image": image, "imageID": "",
                                             "ready": ready, "restartCount": 0, "state": state}]}})
}

fn waiting(reason: &str, message: &str) -> Value {
    json!({"waiting": {"reason": reason, "message": message}})
}

fn crash() -> Value {
    waiting(
        "CrashLoopBackOff",
        "back-off 5m0s restarting failed container",
    )
}

fn of_kind(c: &[Cause], kind: CauseKind) -> Vec<&Cause> {
    c.iter().filter(|c| c.kind == kind).collect()
}

#[test]
fn one_not_ready_node_explains_the_alerts_of_every_pod_on_it() {
    let mut items = vec![node("ip-10-0-3-7", "False"), node("ip-10-0-3-8", "True")];
    for i in 0..4 {
        items.push(pod(
            "shop",
            &format!("web-{i}"),
            "ip-10-0-3-7",
            "ghcr.io/acme/web:1",
            crash(),
        ));
    }
    // On a healthy node: its alert is its own.
    items.push(pod(
        "shop",
        "api-0",
        "ip-10-0-3-8",
        "ghcr.io/acme/api:1",
        crash(),
    ));
    let c = causes_of(items);
    let nodes = of_kind(&c, CauseKind::Node);
    assert_eq!(nodes.len(), 1, "{c:#?}");
    let n = nodes[0];
    assert_eq!(n.name, "ip-10-0-3-7");
    assert_eq!(n.workloads, 4);
    assert_eq!(n.pods, 4);
    assert_eq!(n.evidence, "NotReady since 09:41: 4 workloads, 4 pods");
    assert_eq!(
        n.headline(),
        "node ip-10-0-3-7: NotReady since 09:41: 4 workloads, 4 pods"
    );
    assert!(n.alerts.iter().all(|a| a.workload.name.starts_with("web-")));
    assert!(!n.alerts.iter().any(|a| a.workload.name == "api-0"));
    assert!(n
        .alerts
        .iter()
        .any(|a| a.check == "health.crash-loop" && a.workload.name == "web-0"));
}

#[test]
fn an_unreachable_node_says_so() {
    let items = vec![
        node("n1", "Unknown"),
        pod("shop", "web-0", "n1", "ghcr.io/acme/web:1", crash()),
    ];
    let c = causes_of(items);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert!(
        c[0].evidence.starts_with("unreachable since 09:41"),
        "{}",
        c[0].evidence
    );
}

#[test]
fn two_not_ready_nodes_are_two_causes_never_one() {
    let items = vec![
        node("n1", "False"),
        node("n2", "False"),
        pod("shop", "web-0", "n1", "ghcr.io/acme/web:1", crash()),
        pod("shop", "web-1", "n2", "ghcr.io/acme/web:1", crash()),
        pod("shop", "web-2", "n2", "ghcr.io/acme/web:1", crash()),
    ];
    let c = causes_of(items);
    let nodes = of_kind(&c, CauseKind::Node);
    assert_eq!(nodes.len(), 2, "{c:#?}");
    // Worst first, then the one that explains more.
    assert_eq!(nodes[0].name, "n2");
    assert_eq!(nodes[0].pods, 2);
    assert_eq!(nodes[1].name, "n1");
    assert_eq!(nodes[1].pods, 1);
}

#[test]
fn one_registry_explains_the_failing_pulls_of_several_workloads() {
    let denied = "failed to pull and unpack image: 401 Unauthorized";
    let items = vec![
        node("n1", "True"),
        pod(
            "shop",
            "web-0",
            "n1",
            "registry.acme.internal/web:1",
            waiting("ImagePullBackOff", denied),
        ),
        pod(
            "shop",
            "api-0",
            "n1",
            "registry.acme.internal/api:2",
            waiting("ErrImagePull", denied),
        ),
        pod(
            "billing",
            "pay-0",
            "n1",
            "registry.acme.internal/pay:3",
            waiting("ErrImagePull", "dial tcp: i/o timeout"),
        ),
        pod(
            "shop",
            "cart-0",
            "n1",
            "ghcr.io/acme/cart:1",
            waiting("ImagePullBackOff", "not found"),
        ),
    ];
    let c = causes_of(items);
    let regs = of_kind(&c, CauseKind::Registry);
    assert_eq!(
        regs.len(),
        1,
        "one registry alone is no shared cause: {c:#?}"
    );
    let r = regs[0];
    assert_eq!(r.name, "registry.acme.internal");
    assert_eq!(r.workloads, 3);
    assert_eq!(
        r.evidence,
        "image pulls fail (auth (2), timeout): 3 workloads, 3 pods"
    );
    assert!(!r.alerts.iter().any(|a| a.workload.name == "cart-0"));
}

#[test]
fn two_registries_with_one_failing_pull_each_are_not_grouped() {
    let items = vec![
        node("n1", "True"),
        pod(
            "shop",
            "web-0",
            "n1",
            "ghcr.io/acme/web:1",
            waiting("ImagePullBackOff", "401 Unauthorized"),
        ),
        pod(
            "shop",
            "api-0",
            "n1",
            "quay.io/acme/api:1",
            waiting("ImagePullBackOff", "401 Unauthorized"),
        ),
    ];
    assert_eq!(causes_of(items), Vec::<Cause>::new());
}

#[test]
fn one_missing_secret_explains_the_config_errors_of_several_workloads() {
    let missing = r#"secret "db-credentials" not found"#;
    let items = vec![
        node("n1", "True"),
        pod(
            "shop",
            "web-0",
            "n1",
            "ghcr.io/acme/web:1",
            waiting("CreateContainerConfigError", missing),
        ),
        pod(
            "shop",
            "api-0",
            "n1",
            "ghcr.io/acme/api:1",
            waiting("CreateContainerConfigError", missing),
        ),
        // The same name in another namespace is another object.
        pod(
            "billing",
            "pay-0",
            "n1",
            "ghcr.io/acme/pay:1",
            waiting("CreateContainerConfigError", missing),
        ),
    ];
    let c = causes_of(items);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].kind, CauseKind::MissingObject);
    assert_eq!(c[0].name, "Secret shop/db-credentials");
    assert_eq!(c[0].namespace.as_deref(), Some("shop"));
    assert_eq!(c[0].alerts.len(), 2);
}

#[test]
fn pods_unschedulable_for_the_same_reason_share_it() {
    let unschedulable = |ns: &str, name: &str, msg: &str| {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": ns, "creationTimestamp": "2026-11-20T08:00:00Z"},
               "spec": {"containers": [{"name": "app", "image": "ghcr.io/acme/web:1"}]},
               "status": {"phase": "Pending", "conditions": [
                   {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                    "message": msg, "lastTransitionTime": "2026-11-20T09:30:00Z"}]}})
    };
    let items = vec![
        unschedulable("shop", "web-0", "0/4 nodes are available: 4 Insufficient cpu. preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod."),
        unschedulable("batch", "etl-0", "0/5 nodes are available: 5 Insufficient cpu."),
        unschedulable("shop", "gpu-0", "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector."),
    ];
    let c = causes_of(items);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].kind, CauseKind::Unschedulable);
    assert_eq!(c[0].name, "Insufficient cpu");
    assert_eq!(c[0].workloads, 2);
}

#[test]
fn causes_serialise_with_kind_name_evidence_and_the_alerts_they_explain() {
    let items = vec![
        node("n1", "False"),
        pod("shop", "web-0", "n1", "ghcr.io/acme/web:1", crash()),
    ];
    let c = causes_of(items);
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v[0]["kind"], "node");
    assert_eq!(v[0]["name"], "n1");
    assert_eq!(v[0]["evidence"], "NotReady since 09:41: 1 workload, 1 pod");
    assert_eq!(
        v[0]["severity"],
        serde_json::to_value(c[0].severity).unwrap()
    );
    let explained = v[0]["alerts"].as_array().unwrap();
    assert!(explained
        .iter()
        .any(|a| a["check"] == "health.crash-loop" && a["workload"]["name"] == "web-0"));
}

#[test]
fn a_healthy_cluster_has_no_causes() {
    let items = vec![
        node("n1", "True"),
        pod(
            "shop",
            "web-0",
            "n1",
            "ghcr.io/acme/web:1",
            json!({"running": {"startedAt": "2026-11-20T09:00:00Z"}}),
        ),
    ];
    assert!(causes_of(items).is_empty());
}
