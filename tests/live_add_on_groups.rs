//! The add-on API groups the cluster checks of section K read, on the live path: discovery
//! serving a group (the check sees its objects and names them), not serving it (the kinds are
//! known to be empty and the check says what it looked for), and a 403 on one add-on kind
//! (that check alone is `unknown`).

mod support;

use chrono::{Duration, Utc};
use serde_json::{json, Value};
use shipshape::checks::Status;
use shipshape::cluster::{Kind, SyncState};
use std::collections::BTreeMap;
use support::apiserver::ApiServer;
use support::watching::Watching;

/// The add-on groups the default loopback discovery leaves out, at the version shipshape reads.
const ADD_ON_GROUPS: &[&str] = &[
    "monitoring.coreos.com",
    "velero.io",
    "karpenter.sh",
    "kyverno.io",
    "templates.gatekeeper.sh",
    "external-secrets.io",
];

fn serve(server: &ApiServer, groups: &[&str]) {
    for g in groups {
        server.serve_group_at(g, &["v1"]);
    }
}

fn deployment(ns: &str, name: &str, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "uid": format!("dep-{ns}-{name}")},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": name, "image": image}]}}},
        "status": {"replicas": 1, "readyReplicas": 1, "availableReplicas": 1, "updatedReplicas": 1}
    })
}

fn prometheus() -> Value {
    deployment(
        "monitoring",
        "prometheus",
        "quay.io/prometheus/prometheus:v3.0.1",
    )
}

fn rules(alerts: &[(&str, &str)]) -> Value {
    let rules: Vec<Value> = alerts
        .iter()
        .map(|(alert, expr)| json!({"alert": alert, "expr": expr, "for": "10m"}))
        .collect();
    json!({
        "apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
        "metadata": {"name": "workload-alerts", "namespace": "monitoring"},
        "spec": {"groups": [{"name": "workloads", "rules": rules}]}
    })
}

const CRASH_LOOP: (&str, &str) = (
    "KubePodCrashLooping",
    "max_over_time(kube_pod_container_status_waiting_reason{reason=\"CrashLoopBackOff\"}[5m]) >= 1",
);
const REPLICAS: (&str, &str) = (
    "KubeDeploymentReplicasMismatch",
    "kube_deployment_spec_replicas > kube_deployment_status_replicas_available",
);
const IMAGE_PULL: (&str, &str) = (
    "KubePodImagePullBackOff",
    "kube_pod_container_status_waiting_reason{reason=~\"ImagePullBackOff|ErrImagePull\"} >= 1",
);

fn claim() -> Value {
    json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data-db-0", "namespace": "db"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}},
        "status": {"phase": "Bound"}
    })
}

fn velero() -> Value {
    deployment("velero", "velero", "velero/velero:v1.15.0")
}

fn schedule() -> Value {
    json!({
        "apiVersion": "velero.io/v1", "kind": "Schedule",
        "metadata": {"name": "daily", "namespace": "velero"},
        "spec": {"schedule": "0 2 * * *", "template": {"includedNamespaces": ["db"]}}
    })
}

/// A backup of the daily schedule that started `hours_ago` and took five minutes.
fn backup(name: &str, phase: &str, hours_ago: i64) -> Value {
    let started = Utc::now() - Duration::hours(hours_ago);
    let done = started + Duration::minutes(5);
    let at = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    json!({
        "apiVersion": "velero.io/v1", "kind": "Backup",
        "metadata": {"name": name, "namespace": "velero", "labels": {"velero.io/schedule-name": "daily"}},
        "spec": {},
        "status": {"phase": phase, "startTimestamp": at(started), "completionTimestamp": at(done)}
    })
}

/// An Ingress that terminates TLS.
fn tls_ingress() -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"tls": [{"hosts": ["shop.example.com"], "secretName": "web-tls"}],
                 "rules": [{"host": "shop.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
                     "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}
    })
}

fn cert_manager() -> Value {
    deployment(
        "cert-manager",
        "cert-manager",
        "quay.io/jetstack/cert-manager-controller:v1.16.2",
    )
}

fn cluster_issuer(name: &str, ready: &str) -> Value {
    json!({
        "apiVersion": "cert-manager.io/v1", "kind": "ClusterIssuer",
        "metadata": {"name": name},
        "spec": {"acme": {}},
        "status": {"conditions": [{"type": "Ready", "status": ready, "reason": "ErrRegisterACMEAccount"}]}
    })
}

fn web_certificate() -> Value {
    json!({
        "apiVersion": "cert-manager.io/v1", "kind": "Certificate",
        "metadata": {"name": "web-tls", "namespace": "shop"},
        "spec": {"secretName": "web-tls", "issuerRef": {"name": "letsencrypt", "kind": "ClusterIssuer"}},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}
    })
}

fn node_pool() -> Value {
    json!({
        "apiVersion": "karpenter.sh/v1", "kind": "NodePool",
        "metadata": {"name": "default"},
        "spec": {"template": {"spec": {"nodeClassRef": {"name": "default"}}}}
    })
}

fn kyverno_policy(action: &str) -> Value {
    json!({
        "apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy",
        "metadata": {"name": "require-limits"},
        "spec": {"validationFailureAction": action,
                 "rules": [{"name": "limits", "validate": {"pattern": {}}}]}
    })
}

fn constraint_template() -> Value {
    json!({
        "apiVersion": "templates.gatekeeper.sh/v1", "kind": "ConstraintTemplate",
        "metadata": {"name": "k8srequiredlabels"},
        "spec": {"crd": {"spec": {"names": {"kind": "K8sRequiredLabels"}}}}
    })
}

fn admission_policy(actions: &[&str]) -> [Value; 2] {
    [
        json!({
            "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
            "metadata": {"name": "no-privileged"},
            "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
                                                             "operations": ["CREATE"], "resources": ["pods"]}]},
                     "validations": [{"expression": "true"}]}
        }),
        json!({
            "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
            "metadata": {"name": "no-privileged"},
            "spec": {"policyName": "no-privileged", "validationActions": actions}
        }),
    ]
}

fn external_secrets() -> [Value; 3] {
    [
        deployment(
            "external-secrets",
            "external-secrets",
            "ghcr.io/external-secrets/external-secrets:v0.10.7",
        ),
        json!({
            "apiVersion": "external-secrets.io/v1", "kind": "ClusterSecretStore",
            "metadata": {"name": "vault"}, "spec": {}
        }),
        json!({
            "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
            "metadata": {"name": "db-password", "namespace": "db"}, "spec": {}
        }),
    ]
}

/// The cluster row's results: check id → (status, message).
type Row = BTreeMap<String, (Status, String)>;

fn cluster_row(w: &Watching) -> Row {
    let grades = w.grades();
    grades
        .cluster_row()
        .expect("a live cluster has a cluster row")
        .results
        .iter()
        .map(|r| (r.check.to_string(), (r.status, r.message.to_string())))
        .collect()
}

#[track_caller]
fn assert_result(row: &Row, check: &str, status: Status, needles: &[&str]) {
    let (got, message) = row
        .get(check)
        .unwrap_or_else(|| panic!("no {check} in {row:?}"));
    assert_eq!(*got, status, "{check}: {message}");
    for n in needles {
        assert!(message.contains(n), "{check} lacks {n:?}: {message}");
    }
}

/// No request reached the resources of `group`.
fn never_asked(server: &ApiServer, group: &str) {
    let asked: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.uri.clone())
        .filter(|u| u.contains(&format!("/apis/{group}/")))
        .collect();
    assert!(asked.is_empty(), "{group} was requested: {asked:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_rules_served_name_the_uncovered_state_then_cover_it() {
    let server = ApiServer::start().await;
    serve(&server, &["monitoring.coreos.com"]);
    server.apply(prometheus());
    server.apply(rules(&[CRASH_LOOP, REPLICAS]));
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::listed(&server, dir.path()).await;
    assert_eq!(w.model.sync_state(Kind::PrometheusRule), SyncState::Synced);
    assert_result(
        &cluster_row(&w),
        "cluster.alerting",
        Status::Fail,
        &[
            "no alerting rule covers ImagePullBackOff",
            "(2 alerting rules in 1 PrometheusRule)",
        ],
    );

    server.apply(rules(&[CRASH_LOOP, REPLICAS, IMAGE_PULL]));
    w.until("the third rule", |m| {
        m.stores
            .prometheus_rules
            .values()
            .any(|r| r.alerts().count() == 3)
    })
    .await;
    assert_result(
        &cluster_row(&w),
        "cluster.alerting",
        Status::Pass,
        &[
            "CrashLoopBackOff (KubePodCrashLooping in monitoring/workload-alerts)",
            "ImagePullBackOff (KubePodImagePullBackOff in monitoring/workload-alerts)",
            "fewer available replicas than desired (KubeDeploymentReplicasMismatch in monitoring/workload-alerts)",
        ],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_rules_not_served_fail_without_a_stack_and_are_unknown_beside_one() {
    // Without the Prometheus Operator and without a metrics stack, nothing alerts.
    let server = ApiServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let w = Watching::listed(&server, dir.path()).await;
    assert_eq!(
        w.model.sync_state(Kind::PrometheusRule),
        SyncState::NotServed
    );
    assert_result(
        &cluster_row(&w),
        "cluster.alerting",
        Status::Fail,
        &["no PrometheusRule objects: nothing alerts on CrashLoopBackOff, ImagePullBackOff, fewer available replicas than desired"],
    );
    never_asked(&server, "monitoring.coreos.com");

    // A Prometheus without the operator's rule API may alert from its own rule files: the
    // check says so and which server it saw, rather than failing what it cannot read.
    let server = ApiServer::start().await;
    server.apply(prometheus());
    let w = Watching::listed(&server, dir.path()).await;
    assert_result(
        &cluster_row(&w),
        "cluster.alerting",
        Status::Unknown,
        &["the PrometheusRule API is not served; Prometheus Deployment in monitoring may alert from rules shipshape cannot read"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn velero_served_reports_the_failed_backup_then_the_completed_one() {
    let server = ApiServer::start().await;
    serve(&server, &["velero.io"]);
    server.apply(claim());
    server.apply(velero());
    server.apply(schedule());
    server.apply(backup("daily-1", "Failed", 3));
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::listed(&server, dir.path()).await;
    assert_eq!(w.model.sync_state(Kind::Schedule), SyncState::Synced);
    assert_eq!(w.model.sync_state(Kind::Backup), SyncState::Synced);
    assert_result(
        &cluster_row(&w),
        "cluster.backups",
        Status::Fail,
        &["the newest backup of Schedule velero/daily, daily-1, is Failed at "],
    );
    // A runtime failure: the cluster row alerts on the backup tool's workload.
    let grades = w.grades();
    let alert = grades
        .cluster_alerts
        .iter()
        .find(|a| a.check == "cluster.backups")
        .expect("a backups alert on the cluster row");
    assert_eq!(alert.reason, "BackupFailed");
    assert_eq!(alert.workload.to_string(), "Deployment/velero/velero");

    server.apply(backup("daily-2", "Completed", 1));
    w.until("the second backup", |m| m.stores.velero_backups.len() == 2)
        .await;
    assert_result(
        &cluster_row(&w),
        "cluster.backups",
        Status::Pass,
        &["Velero: Schedule velero/daily (0 2 * * *), last backup completed "],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn velero_not_served_says_what_it_looked_for() {
    let server = ApiServer::start().await;
    server.apply(claim());
    let dir = tempfile::tempdir().unwrap();
    let w = Watching::listed(&server, dir.path()).await;
    assert_eq!(w.model.sync_state(Kind::Schedule), SyncState::NotServed);
    assert_eq!(w.model.sync_state(Kind::Backup), SyncState::NotServed);
    assert_result(
        &cluster_row(&w),
        "cluster.backups",
        Status::Fail,
        &[
            "1 PersistentVolumeClaim but no backup tool schedules backups",
            "(looked for Velero, K8up",
        ],
    );
    never_asked(&server, "velero.io");

    // Velero's server runs but its API is not served: no Schedule can be active.
    let server = ApiServer::start().await;
    server.apply(claim());
    server.apply(velero());
    let w = Watching::listed(&server, dir.path()).await;
    assert_result(
        &cluster_row(&w),
        "cluster.backups",
        Status::Fail,
        &["Velero Deployment in velero (1/1 ready) runs, but no Velero Schedule is active"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cert_manager_served_names_the_ready_issuer_then_the_one_that_is_not() {
    let server = ApiServer::start().await;
    server.apply(tls_ingress());
    server.apply(cert_manager());
    server.apply(cluster_issuer("letsencrypt", "True"));
    server.apply(cluster_issuer("internal-ca", "True"));
    server.apply(web_certificate());
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watching::listed(&server, dir.path()).await;
    assert_eq!(w.model.sync_state(Kind::ClusterIssuer), SyncState::Synced);
    assert_result(
        &cluster_row(&w),
        "cluster.certificates",
        Status::Pass,
        &["cert-manager Deployment in cert-manager (1/1 ready) with ClusterIssuer internal-ca, ClusterIssuer letsencrypt Ready"],
    );

    // The issuer the certificate uses loses Ready; another one stays Ready.
    server.apply(cluster_issuer("letsencrypt", "False"));
    w.until("the issuer to lose Ready", |m| {
        m.stores.cluster_issuers.values().any(|i| {
            i.status
                .as_ref()
                .is_some_and(|s| s.conditions.iter().any(|c| c.status == "False"))
        })
    })
    .await;
    assert_result(
        &cluster_row(&w),
        "cluster.certificates",
        Status::Fail,
        &["ClusterIssuer letsencrypt is not Ready (Ready False (ErrRegisterACMEAccount)): Certificate shop/web-tls cannot be issued or renewed"],
    );
    let grades = w.grades();
    let alert = grades
        .cluster_alerts
        .iter()
        .find(|a| a.check == "cluster.certificates")
        .expect("a certificates alert on the cluster row");
    assert_eq!(alert.reason, "IssuerNotReady");
    assert_eq!(
        alert.workload.to_string(),
        "Deployment/cert-manager/cert-manager"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cert_manager_not_served_names_the_ingress_and_what_it_looked_for() {
    let server = ApiServer::start().await;
    server.unserve_group("cert-manager.io");
    server.apply(tls_ingress());
    let dir = tempfile::tempdir().unwrap();
    let w = Watching::listed(&server, dir.path()).await;
    for kind in [Kind::ClusterIssuer, Kind::Issuer, Kind::Certificate] {
        assert_eq!(w.model.sync_state(kind), SyncState::NotServed, "{kind}");
    }
    assert_result(
        &cluster_row(&w),
        "cluster.certificates",
        Status::Fail,
        &["Ingress shop/web terminates TLS but no certificate manager runs (looked for cert-manager"],
    );
    never_asked(&server, "cert-manager.io");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn karpenter_node_pools_served_and_not_served() {
    let server = ApiServer::start().await;
    serve(&server, &["karpenter.sh"]);
    server.apply(node_pool());
    let dir = tempfile::tempdir().unwrap();
    let w = Watching::listed(&server, dir.path()).await;
    assert_eq!(w.model.sync_state(Kind::NodePool), SyncState::Synced);
    assert_result(
        &cluster_row(&w),
        "cluster.autoscaler",
        Status::Pass,
        &["Karpenter NodePools default"],
    );

    let server = ApiServer::start().await;
    let w = Watching::listed(&server, dir.path()).await;
    assert_eq!(w.model.sync_state(Kind::NodePool), SyncState::NotServed);
    assert_result(
        &cluster_row(&w),
        "cluster.autoscaler",
        Status::Fail,
        &[
            "no node autoscaling: no autoscaler runs (looked for cluster-autoscaler, Karpenter",
            "no Karpenter NodePool",
        ],
    );
    never_asked(&server, "karpenter.sh");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_policy_api_served_is_named_when_it_enforces() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<Value>, Status, &str)> = vec![
        (
            "kyverno.io",
            vec![kyverno_policy("Enforce")],
            Status::Pass,
            "Kyverno ClusterPolicy require-limits in Enforce",
        ),
        (
            "kyverno.io",
            vec![kyverno_policy("Audit")],
            Status::Fail,
            "(1 Kyverno ClusterPolicy only audits)",
        ),
        (
            "templates.gatekeeper.sh",
            vec![constraint_template()],
            Status::Pass,
            "Gatekeeper ConstraintTemplates k8srequiredlabels",
        ),
        (
            "admissionregistration.k8s.io",
            admission_policy(&["Deny"]).to_vec(),
            Status::Pass,
            "ValidatingAdmissionPolicy no-privileged bound with Deny",
        ),
        (
            "admissionregistration.k8s.io",
            admission_policy(&["Audit", "Warn"]).to_vec(),
            Status::Fail,
            "no ValidatingAdmissionPolicy bound with Deny",
        ),
    ];
    for (group, objects, status, needle) in cases {
        let server = ApiServer::start().await;
        serve(&server, &["kyverno.io", "templates.gatekeeper.sh"]);
        for o in objects {
            server.apply(o);
        }
        let w = Watching::listed(&server, dir.path()).await;
        for kind in [
            Kind::ClusterPolicy,
            Kind::ConstraintTemplate,
            Kind::ValidatingAdmissionPolicy,
        ] {
            assert_eq!(
                w.model.sync_state(kind),
                SyncState::Synced,
                "{group}: {kind}"
            );
        }
        assert_result(&cluster_row(&w), "cluster.policy", status, &[needle]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_policy_api_served_fails_naming_each_it_looked_for() {
    let server = ApiServer::start().await;
    server.unserve_group("admissionregistration.k8s.io");
    let dir = tempfile::tempdir().unwrap();
    let w = Watching::listed(&server, dir.path()).await;
    for kind in [
        Kind::ClusterPolicy,
        Kind::ConstraintTemplate,
        Kind::ValidatingAdmissionPolicy,
        Kind::ValidatingAdmissionPolicyBinding,
    ] {
        assert_eq!(w.model.sync_state(kind), SyncState::NotServed, "{kind}");
    }
    assert_result(
        &cluster_row(&w),
        "cluster.policy",
        Status::Fail,
        &["no Kyverno ClusterPolicy in Enforce, no Gatekeeper constraint, no ValidatingAdmissionPolicy bound with Deny"],
    );
    for group in [
        "kyverno.io",
        "templates.gatekeeper.sh",
        "admissionregistration.k8s.io",
    ] {
        never_asked(&server, group);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_secrets_served_and_not_served() {
    let server = ApiServer::start().await;
    serve(&server, &["external-secrets.io"]);
    for o in external_secrets() {
        server.apply(o);
    }
    let dir = tempfile::tempdir().unwrap();
    let w = Watching::listed(&server, dir.path()).await;
    assert_result(
        &cluster_row(&w),
        "cluster.secrets-management",
        Status::Pass,
        &["External Secrets Operator Deployment in external-secrets (1/1 ready); 1 ClusterSecretStore, 1 ExternalSecret"],
    );

    // The ExternalSecrets forbidden: the operator still shows the integration, and the
    // count does not claim there are none.
    let server = ApiServer::start().await;
    serve(&server, &["external-secrets.io"]);
    for o in external_secrets() {
        server.apply(o);
    }
    server.forbid("externalsecrets");
    let w = Watching::listed(&server, dir.path()).await;
    assert_eq!(
        w.model.sync_state(Kind::ExternalSecret),
        SyncState::Forbidden
    );
    assert_result(
        &cluster_row(&w),
        "cluster.secrets-management",
        Status::Pass,
        &["External Secrets Operator Deployment in external-secrets (1/1 ready); 1 ClusterSecretStore, ExternalSecrets forbidden"],
    );

    let server = ApiServer::start().await;
    let w = Watching::listed(&server, dir.path()).await;
    for kind in [Kind::ExternalSecret, Kind::ClusterSecretStore] {
        assert_eq!(w.model.sync_state(kind), SyncState::NotServed, "{kind}");
    }
    assert_result(
        &cluster_row(&w),
        "cluster.secrets-management",
        Status::Fail,
        &["no external secret manager integration runs (looked for External Secrets Operator, Sealed Secrets"],
    );
    never_asked(&server, "external-secrets.io");
}

/// A cluster that serves every add-on group and has none of their objects: a claim, a TLS
/// Ingress and nothing that covers them, so each add-on kind decides its check.
fn bare_cluster(server: &ApiServer) {
    serve(server, ADD_ON_GROUPS);
    server.apply(claim());
    server.apply(tls_ingress());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forbidden_add_on_kind_makes_its_check_unknown_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let server = ApiServer::start().await;
    bare_cluster(&server);
    let baseline = cluster_row(&Watching::listed(&server, dir.path()).await);
    for check in [
        "cluster.alerting",
        "cluster.backups",
        "cluster.certificates",
        "cluster.autoscaler",
        "cluster.policy",
        "cluster.secrets-management",
    ] {
        assert_eq!(
            baseline[check].0,
            Status::Fail,
            "{check}: {:?}",
            baseline[check]
        );
    }

    let cases: &[(Kind, &str)] = &[
        (Kind::PrometheusRule, "cluster.alerting"),
        (Kind::Schedule, "cluster.backups"),
        (Kind::Backup, "cluster.backups"),
        (Kind::ClusterIssuer, "cluster.certificates"),
        (Kind::Issuer, "cluster.certificates"),
        (Kind::NodePool, "cluster.autoscaler"),
        (Kind::ClusterPolicy, "cluster.policy"),
        (Kind::ConstraintTemplate, "cluster.policy"),
        (Kind::ValidatingAdmissionPolicy, "cluster.policy"),
        (Kind::ExternalSecret, "cluster.secrets-management"),
        (Kind::ClusterSecretStore, "cluster.secrets-management"),
    ];
    for (kind, check) in cases {
        let server = ApiServer::start().await;
        bare_cluster(&server);
        server.forbid(kind.plural());
        let w = Watching::listed(&server, dir.path()).await;
        assert_eq!(w.model.sync_state(*kind), SyncState::Forbidden, "{kind}");
        let row = cluster_row(&w);
        assert_result(
            &row,
            check,
            Status::Unknown,
            &[&format!("cannot see {kind} (forbidden)")],
        );
        let changed: Vec<&String> = row
            .iter()
            .filter(|(id, r)| id.as_str() != *check && baseline.get(*id) != Some(r))
            .map(|(id, _)| id)
            .collect();
        assert!(
            changed.is_empty(),
            "forbidding {kind} changed {changed:?} besides {check}"
        );
        assert_eq!(row.len(), baseline.len(), "{kind}");
    }
}
