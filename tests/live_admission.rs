//! `--audit-admission-policies` on a live cluster: the ValidatingAdmissionPolicies and bindings
//! are read by watchers (only when asked), each bound policy is graded as `vap.<name>` on the
//! workloads its bindings select, and a policy that changes while watched is graded again.

mod support;

use serde_json::{json, Value};
use shipshape::checks::Status;
use shipshape::cluster::{Kind, WorkloadKey, WorkloadKind};
use shipshape::config::Config;
use shipshape::engine::Engine;
use shipshape::source::live::{self, ConnectOptions};
use std::time::Duration;
use support::apiserver::ApiServer;
use support::command::shipshape;
use tokio::sync::mpsc::UnboundedReceiver;

/// Watches a server into an engine, as the dashboard does.
struct Watching {
    engine: Engine,
    rx: UnboundedReceiver<Msg>,
    _handle: live::LiveHandle,
}

use shipshape::cluster::Msg;

impl Watching {
    async fn start(server: &ApiServer, dir: &std::path::Path, audit: bool) -> Watching {
        let options = ConnectOptions {
            kubeconfig: Some(server.kubeconfig(dir)),
            audit_admission_policies: audit,
            ..Default::default()
        };
        let conn = live::connect(&options).await.expect("connects");
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = live::start(&conn, tx);
        Watching {
            engine: Engine::new(Config {
                audit_admission_policies: audit,
                ..Config::default()
            }),
            rx,
            _handle: handle,
        }
    }

    /// Applies messages, flushing after each, until `done` holds (or fails after 15 s).
    async fn until(&mut self, what: &str, done: impl Fn(&Engine) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        self.engine.flush();
        while !done(&self.engine) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(msg)) => {
                    self.engine.apply(msg);
                    self.engine.flush();
                }
                Ok(None) => panic!("source closed while waiting for {what}"),
                Err(_) => panic!(
                    "timed out waiting for {what}; sync states: {:?}",
                    self.engine.model().sync_states()
                ),
            }
        }
    }

    async fn synced(&mut self, kinds: &[Kind]) {
        self.until("every kind to list", |e| {
            live::unsettled_among(e.model(), kinds).is_empty()
        })
        .await;
    }

    /// The status and message of `check` on the Deployment `namespace/name`.
    fn result(&self, check: &str, namespace: &str, name: &str) -> Option<(Status, String)> {
        result_in(&self.engine, check, namespace, name)
    }
}

fn result_in(
    engine: &Engine,
    check: &str,
    namespace: &str,
    name: &str,
) -> Option<(Status, String)> {
    let key = WorkloadKey {
        kind: WorkloadKind::Deployment,
        namespace: namespace.into(),
        name: name.into(),
    };
    let report = engine.grades().workloads.get(&key)?;
    report
        .results
        .iter()
        .find(|r| r.check == check)
        .map(|r| (r.status, r.message.to_string()))
}

fn namespace(name: &str, env: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace",
           "metadata": {"name": name, "labels": {"env": env}}})
}

fn deployment(namespace: &str, name: &str, labels: Value, replicas: i32) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace, "uid": format!("dep-{namespace}-{name}"),
                     "labels": labels, "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "app", "image": "registry.example/app:1.0"}]}}},
        "status": {"replicas": replicas, "readyReplicas": replicas}
    })
}

/// A policy on Deployments whose one validation is `expression`.
fn policy(name: &str, expression: &str, message: &str) -> Value {
    json!({
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": name},
        "spec": {
            "matchConstraints": {"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
                "operations": ["CREATE", "UPDATE"], "resources": ["deployments"]}]},
            "validations": [{"expression": expression, "message": message}]
        }
    })
}

fn binding(name: &str, policy: &str, actions: &[&str], match_resources: Value) -> Value {
    json!({
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": name},
        "spec": {"policyName": policy, "validationActions": actions, "matchResources": match_resources}
    })
}

/// Two namespaces (prod, sandbox), Deployments with and without a team label, a policy that
/// wants the label bound to prod only, and a policy with parameters bound everywhere.
fn seed(server: &ApiServer) {
    server.apply(namespace("prod", "prod"));
    server.apply(namespace("sandbox", "dev"));
    server.apply(deployment(
        "prod",
        "web",
        json!({"team": "shop", "tier": "web"}),
        2,
    ));
    server.apply(deployment("prod", "cache", json!({"tier": "cache"}), 2));
    server.apply(deployment("sandbox", "scratch", json!({}), 1));
    server.apply(policy(
        "require-team",
        "has(object.metadata.labels) && 'team' in object.metadata.labels",
        "every Deployment needs a team label",
    ));
    server.apply(binding(
        "require-team-prod",
        "require-team",
        &["Warn"],
        json!({"namespaceSelector": {"matchLabels": {"env": "prod"}}}),
    ));
    let mut with_params = policy(
        "max-replicas",
        "object.spec.replicas <= params.maxReplicas",
        "too many replicas",
    );
    with_params["spec"]["paramKind"] = json!({"apiVersion": "v1", "kind": "ConfigMap"});
    server.apply(with_params);
    server.apply(binding(
        "max-replicas",
        "max-replicas",
        &["Deny"],
        json!({}),
    ));
}

const ALL_AND_POLICIES: fn() -> Vec<Kind> = || Kind::every().collect();

#[tokio::test]
async fn policies_from_the_cluster_grade_what_their_bindings_select() {
    let dir = tempfile::tempdir().unwrap();
    let server = ApiServer::start().await;
    seed(&server);
    let mut w = Watching::start(&server, dir.path(), true).await;
    w.synced(&ALL_AND_POLICIES()).await;

    let (status, message) = w.result("vap.require-team", "prod", "web").unwrap();
    assert_eq!(status, Status::Pass, "{message}");
    assert_eq!(
        w.result("vap.require-team", "prod", "cache").unwrap(),
        (
            Status::Fail,
            "admission policy require-team would reject it: every Deployment needs a team label"
                .to_string()
        )
    );
    // The binding selects env=prod namespaces only.
    assert_eq!(
        w.result("vap.require-team", "sandbox", "scratch")
            .unwrap()
            .0,
        Status::NotApplicable
    );
    // Parameters shipshape does not read: unknown wherever it is bound, saying why.
    let (status, message) = w.result("vap.max-replicas", "sandbox", "scratch").unwrap();
    assert_eq!(status, Status::Unknown);
    assert_eq!(
        message,
        "admission policy max-replicas is not evaluated: it takes parameters (paramKind), which shipshape does not read"
    );
    let policies = w.engine.config().admission_policies.clone().unwrap();
    assert_eq!(policies.notes().len(), 1, "{:?}", policies.notes());
    // A Warn binding is a warning.
    let p = policies
        .policies
        .iter()
        .find(|p| p.name == "require-team")
        .unwrap();
    assert_eq!(p.severity, shipshape::checks::Severity::Warning);
}

#[tokio::test]
async fn a_policy_or_binding_that_changes_while_watched_is_graded_again() {
    let dir = tempfile::tempdir().unwrap();
    let server = ApiServer::start().await;
    seed(&server);
    let mut w = Watching::start(&server, dir.path(), true).await;
    w.synced(&ALL_AND_POLICIES()).await;
    assert_eq!(
        w.result("vap.require-team", "prod", "web").unwrap().0,
        Status::Pass
    );

    // The policy now wants an owner label too, which web lacks.
    server.apply(policy(
        "require-team",
        "has(object.metadata.labels) && 'owner' in object.metadata.labels",
        "every Deployment needs an owner label",
    ));
    w.until("web to fail the changed policy", |e| {
        result_in(e, "vap.require-team", "prod", "web").is_some_and(|r| r.0 == Status::Fail)
    })
    .await;
    assert_eq!(
        w.result("vap.require-team", "prod", "web").unwrap().1,
        "admission policy require-team would reject it: every Deployment needs an owner label"
    );

    // An object selector narrows the binding: cache (tier=cache) is no longer selected.
    server.apply(binding(
        "require-team-prod",
        "require-team",
        &["Deny"],
        json!({"namespaceSelector": {"matchLabels": {"env": "prod"}},
               "objectSelector": {"matchLabels": {"tier": "web"}}}),
    ));
    w.until("cache to leave the binding", |e| {
        result_in(e, "vap.require-team", "prod", "cache")
            .is_some_and(|r| r.0 == Status::NotApplicable)
    })
    .await;
    assert_eq!(
        w.result("vap.require-team", "prod", "web").unwrap().0,
        Status::Fail
    );
    let severity = w
        .engine
        .grades()
        .workloads
        .values()
        .find(|r| r.key.name == "web")
        .unwrap()
        .results
        .iter()
        .find(|r| r.check == "vap.require-team")
        .unwrap()
        .severity;
    assert_eq!(
        severity,
        shipshape::checks::Severity::Critical,
        "Deny is critical"
    );

    // Without a binding the policy is in force nowhere: its check goes.
    server.delete(
        Kind::ValidatingAdmissionPolicyBinding,
        "",
        "require-team-prod",
    );
    w.until("the unbound policy to go", |e| {
        result_in(e, "vap.require-team", "prod", "web").is_none()
    })
    .await;
    assert!(w.result("vap.max-replicas", "prod", "web").is_some());
}

#[tokio::test]
async fn admission_policies_are_evaluated_only_when_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let server = ApiServer::start().await;
    seed(&server);
    let mut w = Watching::start(&server, dir.path(), false).await;
    w.synced(Kind::ALL).await;
    // They are read (cluster.policy looks for a bound policy) but not evaluated.
    assert!(w
        .engine
        .model()
        .stores
        .validating_admission_policies
        .values()
        .any(|p| p.metadata.name.as_deref() == Some("require-team")));
    assert!(w.result("vap.require-team", "prod", "cache").is_none());
    // The workloads are graded all the same.
    assert_eq!(w.engine.grades().workloads.len(), 3);

    // Asked for, they are listed and watched (GETs only).
    let _w = Watching::start(&server, dir.path(), true).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let uris: Vec<String> = server.requests().iter().map(|r| r.uri.clone()).collect();
        let watched = |plural: &str| {
            uris.iter().any(|u| {
                u.contains(&format!("/apis/admissionregistration.k8s.io/v1/{plural}?"))
                    && u.contains("watch=true")
            })
        };
        if watched("validatingadmissionpolicies") && watched("validatingadmissionpolicybindings") {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not watched: {uris:#?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(server
        .requests()
        .iter()
        .all(|r| r.method == hyper::Method::GET));
}

/// `check` on a live cluster: the flag (or the config switch) reads the policies; the policy
/// shipshape cannot evaluate is said once on standard error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_check_command_audits_the_cluster_policies() {
    let dir = tempfile::tempdir().unwrap();
    let server = ApiServer::start().await;
    seed(&server);
    let kubeconfig = server.kubeconfig(dir.path());
    let config = dir.path().join("shipshape.toml");
    std::fs::write(&config, "audit-admission-policies = true\n").unwrap();
    let run = |args: Vec<String>| {
        tokio::task::spawn_blocking(move || shipshape().args(&args).output().unwrap())
    };
    let base = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["check", "-o", "json", "--kubeconfig"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.push(kubeconfig.display().to_string());
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    for args in [
        base(&["--audit-admission-policies"]),
        base(&["--config", config.to_str().unwrap()]),
    ] {
        let out = run(args.clone()).await.unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            stderr
                .matches("admission policy max-replicas is not evaluated")
                .count(),
            1,
            "said once: {stderr}"
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let result = |name: &str, check: &str| -> String {
            report["workloads"]
                .as_array()
                .unwrap()
                .iter()
                .find(|w| w["name"] == name)
                .unwrap()["results"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["check"] == check)
                .map_or("absent".into(), |r| {
                    r["result"].as_str().unwrap().to_string()
                })
        };
        assert_eq!(result("cache", "vap.require-team"), "fail", "{args:?}");
        assert_eq!(result("web", "vap.require-team"), "pass", "{args:?}");
        assert_eq!(result("scratch", "vap.require-team"), "n/a", "{args:?}");
        assert_eq!(result("web", "vap.max-replicas"), "unknown", "{args:?}");
    }
    // Without the flag, nothing of it.
    let out = run(base(&[])).await.unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !report.to_string().contains("vap."),
        "no admission policy checks"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("max-replicas"));
}
