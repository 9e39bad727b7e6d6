//! The live path end to end: kube-rs watchers against an API server on loopback that speaks
//! the real list/watch wire format.

mod support;

use serde_json::{json, Value};
use shipshape::cluster::{ClusterModel, Kind, SyncState, WorkloadKey, WorkloadKind};
use shipshape::config::Config;
use shipshape::grade::{grade_all, Grades};
use shipshape::source::live::{self, ConnectOptions};
use std::time::Duration;
use support::apiserver::ApiServer;
use support::watching::Watching;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn labels() -> Value {
    json!({"app": "web"})
}

/// A Deployment `shop/web` with its ReplicaSet and two running, ready pods.
fn seed(server: &ApiServer) {
    server.apply(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}));
    server.apply(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", "uid": "dep-web",
                     "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"replicas": 2, "selector": {"matchLabels": labels()},
                 "template": {"metadata": {"labels": labels()},
                              "spec": {"containers": [{"name": "web", "image": "registry.example/web:1.0"}]}}},
        "status": {"replicas": 2, "readyReplicas": 2, "availableReplicas": 2, "updatedReplicas": 2}
    }));
    server.apply(json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web-5d8f", "namespace": "shop", "uid": "rs-web",
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                          "uid": "dep-web", "controller": true}]},
        "spec": {"replicas": 2, "selector": {"matchLabels": labels()},
                 "template": {"metadata": {"labels": labels()},
                              "spec": {"containers": [{"name": "web", "image": "registry.example/web:1.0"}]}}}
    }));
    for i in 1..=2 {
        server.apply(pod(i, running()));
    }
}

fn running() -> Value {
    json!({"phase": "Running", "startTime": now(),
           "conditions": [{"type": "Ready", "status": "True"}],
           "containerStatuses": [{"name": "web", "ready": true, "restartCount": 0,
                                  "image": "registry.example/web:1.0", "imageID": "",
                                  "state": {"running": {"startedAt": now()}}}]})
}

fn crash_looping() -> Value {
    json!({"phase": "Running", "startTime": now(),
           "conditions": [{"type": "Ready", "status": "False"}],
           "containerStatuses": [{"name": "web", "ready": false, "restartCount": 7,
                                  "image": "registry.example/web:1.0", "imageID": "",
                                  "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                "finishedAt": now()}},
                                  "state": {"waiting": {"reason": "CrashLoopBackOff",
                                            "message": "back-off 5m0s restarting failed container"}}}]})
}

fn pod(i: u32, status: Value) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("web-5d8f-{i}"), "namespace": "shop", "labels": labels(),
                     "creationTimestamp": now(),
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d8f",
                                          "uid": "rs-web", "controller": true}]},
        "spec": {"nodeName": "node-a", "containers": [{"name": "web", "image": "registry.example/web:1.0"}]},
        "status": status
    })
}

fn web() -> WorkloadKey {
    WorkloadKey::new(WorkloadKind::Deployment, "shop", "web")
}

fn has_alert(grades: &Grades, check: &str) -> bool {
    grades
        .workloads
        .get(&web())
        .is_some_and(|w| w.alerts.iter().any(|a| a.check == check))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pod_that_starts_crash_looping_becomes_an_alert_on_its_deployment() {
    let server = ApiServer::start().await;
    seed(&server);
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::start(&server, dir.path()).await;
    w.synced().await;
    assert_eq!(w.model.pods_of(&web()).len(), 2, "pods attributed to web");
    assert!(!has_alert(&w.grades(), "health.crash-loop"));

    server.apply(pod(2, crash_looping()));
    w.until("the pod's CrashLoopBackOff", |m| {
        m.stores
            .pods
            .get(&("shop".into(), "web-5d8f-2".into()))
            .and_then(|p| p.status.as_ref())
            .is_some_and(|s| {
                s.phase.as_deref() == Some("Running")
                    && s.conditions
                        .as_ref()
                        .is_some_and(|c| c[0].status == "False")
            })
    })
    .await;
    let grades = w.grades();
    let alert = grades.workloads[&web()]
        .alerts
        .iter()
        .find(|a| a.check == "health.crash-loop")
        .expect("crash-loop alert on the Deployment");
    assert!(alert.message.contains("web-5d8f-2"), "{}", alert.message);

    // Fixed: the alert goes.
    server.apply(pod(2, running()));
    w.until("the pod to recover", |m| {
        m.stores
            .pods
            .get(&("shop".into(), "web-5d8f-2".into()))
            .and_then(|p| p.status.as_ref())
            .is_some_and(|s| s.conditions.as_ref().is_some_and(|c| c[0].status == "True"))
    })
    .await;
    assert!(!has_alert(&w.grades(), "health.crash-loop"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_deployment_disappears() {
    let server = ApiServer::start().await;
    seed(&server);
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::start(&server, dir.path()).await;
    w.synced().await;
    assert!(w.grades().workloads.contains_key(&web()));
    server.delete(Kind::Pod, "shop", "web-5d8f-1");
    server.delete(Kind::Pod, "shop", "web-5d8f-2");
    server.delete(Kind::ReplicaSet, "shop", "web-5d8f");
    server.delete(Kind::Deployment, "shop", "web");
    w.until("the Deployment and its pods to go", |m| {
        m.stores.deployments.is_empty() && m.stores.pods.is_empty()
    })
    .await;
    assert!(!w.grades().workloads.contains_key(&web()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relist_after_410_gone_removes_what_the_new_list_lacks() {
    let server = ApiServer::start().await;
    seed(&server);
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::start(&server, dir.path()).await;
    w.synced().await;
    // The DELETED event is missed while the watch is down; the history is gone, so the
    // watcher's resume gets 410 Gone and relists.
    server.delete_silently(Kind::Pod, "shop", "web-5d8f-1");
    server.compact();
    server.drop_connections();
    // The dropped connection may mark the kind stale for a moment; the relist settles it.
    w.until("the relist to drop the pod", |m| {
        !m.stores
            .pods
            .contains_key(&("shop".into(), "web-5d8f-1".into()))
            && m.sync_state(Kind::Pod) == SyncState::Synced
    })
    .await;
    assert_eq!(w.model.pods_of(&web()).len(), 1);
    let gone = server.requests().iter().any(|r| {
        r.uri.starts_with("/api/v1/pods?") && !r.uri.contains("watch=") && r.uri.contains("limit=")
    });
    assert!(gone, "the pods were listed again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forbidden_kind_is_marked_and_its_checks_are_unknown_never_failed() {
    let server = ApiServer::start().await;
    seed(&server);
    server.forbid("poddisruptionbudgets");
    server.forbid("secrets");
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::start(&server, dir.path()).await;
    w.synced().await;
    assert_eq!(
        w.model.sync_state(Kind::PodDisruptionBudget),
        SyncState::Forbidden
    );
    assert_eq!(w.model.sync_state(Kind::Secret), SyncState::Forbidden);
    let grades = w.grades();
    let report = &grades.workloads[&web()];
    let pdb = report
        .results
        .iter()
        .find(|r| r.check == "availability.pdb")
        .expect("availability.pdb result");
    assert_eq!(
        pdb.status,
        shipshape::checks::Status::Unknown,
        "{}",
        pdb.message
    );
    assert!(pdb.message.contains("forbidden"), "{}", pdb.message);
    // The probe was one list each; the forbidden kinds were never watched.
    let pdb_requests: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.uri.contains("poddisruptionbudgets"))
        .collect();
    assert_eq!(pdb_requests.len(), 1, "{pdb_requests:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_going_away_makes_data_stale_and_its_return_makes_it_live() {
    let server = ApiServer::start().await;
    seed(&server);
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::start(&server, dir.path()).await;
    w.synced().await;
    server.stop();
    w.until("a kind to go stale", |m| {
        matches!(m.sync_state(Kind::Pod), SyncState::Stale(_))
    })
    .await;
    // Stale data is still graded: the Deployment is still there.
    assert!(w.grades().workloads.contains_key(&web()));
    server.restart(true).await;
    w.until("pods to be live again", |m| {
        m.sync_state(Kind::Pod) == SyncState::Synced
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_configmaps_and_owned_replicasets_are_read_as_metadata_only() {
    let server = ApiServer::start().await;
    seed(&server);
    server.apply(json!({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "db", "namespace": "shop"}, "data": {"password": "aHVudGVyMg=="}}));
    server.apply(json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "cfg", "namespace": "shop"}, "data": {"k": "v"}}));
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::start(&server, dir.path()).await;
    w.synced().await;
    assert!(w
        .model
        .stores
        .secrets
        .contains_key(&("shop".into(), "db".into())));
    for r in server.requests() {
        if ["secrets", "configmaps", "replicasets"]
            .iter()
            .any(|p| r.uri.contains(p))
        {
            assert!(
                r.accept.contains("as=PartialObjectMetadata"),
                "{} asked for full objects ({})",
                r.uri,
                r.accept
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_reads_are_ever_sent() {
    let server = ApiServer::start().await;
    seed(&server);
    server.forbid("nodes");
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::start(&server, dir.path()).await;
    w.synced().await;
    server.apply(pod(1, crash_looping()));
    server.drop_connections();
    w.until("the change", |m| {
        m.stores
            .pods
            .get(&("shop".into(), "web-5d8f-1".into()))
            .and_then(|p| p.status.as_ref())
            .is_some_and(|s| {
                s.conditions
                    .as_ref()
                    .is_some_and(|c| c[0].status == "False")
            })
    })
    .await;
    let requests = server.requests();
    assert!(requests.len() > Kind::ALL.len() * 2, "{}", requests.len());
    for r in &requests {
        assert_eq!(r.method, hyper::Method::GET, "{} {}", r.method, r.uri);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watching_one_namespace_reads_only_that_namespace() {
    let server = ApiServer::start().await;
    seed(&server);
    server.apply(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}}));
    server.apply(json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "elsewhere", "namespace": "other"}, "spec": {"selector": {"app": "x"}}}));
    let dir = tempfile::tempdir().unwrap();
    let options = ConnectOptions {
        kubeconfig: Some(server.kubeconfig(dir.path())),
        namespaces: vec!["shop".into()],
        ..Default::default()
    };
    let conn = live::connect(&options).await.unwrap();
    let (engine, late) = live::sync(&conn, Duration::from_secs(15), Config::default()).await;
    let model = engine.into_model();
    assert!(late.is_empty(), "{late:?}");
    assert!(model.stores.services.is_empty());
    assert_eq!(model.stores.pods.len(), 2);
    assert_eq!(model.facts.source, "loopback (namespaces shop)");
    assert!(server
        .requests()
        .iter()
        .filter(|r| r.uri.contains("/pods"))
        .all(|r| r.uri.starts_with("/api/v1/namespaces/shop/pods")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_context_watches_the_other_cluster_and_reports_a_dead_one() {
    let prod = ApiServer::start().await;
    seed(&prod);
    let staging = ApiServer::start().await;
    staging.apply(
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "staging-only"}}),
    );
    let gone = {
        let s = ApiServer::start().await;
        s.url()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeconfig");
    let mut text = String::from(
        "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user: {token: t}\nclusters:\n",
    );
    for (name, url) in [
        ("prod", prod.url()),
        ("staging", staging.url()),
        ("old", gone),
    ] {
        text.push_str(&format!("- name: {name}\n  cluster: {{server: '{url}'}}\n"));
    }
    text.push_str("contexts:\n");
    for name in ["prod", "staging", "old"] {
        text.push_str(&format!(
            "- name: {name}\n  context: {{cluster: {name}, user: u}}\n"
        ));
    }
    text.push_str("current-context: prod\n");
    std::fs::write(&path, text).unwrap();
    let options = ConnectOptions {
        kubeconfig: Some(path),
        ..Default::default()
    };
    let (names, current) = live::contexts(&options).unwrap();
    assert_eq!(names, vec!["old", "prod", "staging"]);
    assert_eq!(current.as_deref(), Some("prod"));

    let switch = |context: &str| {
        let mut o = options.clone();
        o.context = Some(context.into());
        live::spawn(o)
    };
    let (_handle, mut rx) = switch("staging");
    let mut model = ClusterModel::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !(live::unsettled(&model).is_empty() && model.facts.source == "staging") {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("staging syncs")
            .expect("open");
        model.apply(msg);
    }
    assert_eq!(model.namespace_names(), vec!["staging-only".to_string()]);
    assert!(model.stores.pods.is_empty(), "nothing of prod");

    let (_handle, mut rx) = switch("old");
    let mut model = ClusterModel::new();
    while model.source_problem.is_none() {
        let msg = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("a verdict on the dead cluster")
            .expect("open");
        model.apply(msg);
    }
    let problem = model.source_problem.unwrap();
    assert!(
        problem.starts_with("cannot reach the API server of \"old\""),
        "{problem}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kind_the_server_does_not_serve_is_unknown_and_not_waited_for() {
    let server = ApiServer::start().await;
    seed(&server);
    server.unserve("horizontalpodautoscalers");
    let dir = tempfile::tempdir().unwrap();
    let options = ConnectOptions {
        kubeconfig: Some(server.kubeconfig(dir.path())),
        ..Default::default()
    };
    let conn = live::connect(&options).await.unwrap();
    let started = std::time::Instant::now();
    let (engine, late) = live::sync(&conn, Duration::from_secs(30), Config::default()).await;
    let model = engine.into_model();
    assert!(late.is_empty(), "{late:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "not waited for"
    );
    assert!(matches!(
        model.sync_state(Kind::HorizontalPodAutoscaler),
        SyncState::Unavailable(_)
    ));
    let grades = grade_all(&model, &Config::default());
    let hpa = grades.workloads[&web()]
        .results
        .iter()
        .find(|r| r.check == "availability.hpa")
        .expect("availability.hpa");
    assert_eq!(
        hpa.status,
        shipshape::checks::Status::Unknown,
        "{}",
        hpa.message
    );
    assert!(hpa.message.contains("not served"), "{}", hpa.message);
}
