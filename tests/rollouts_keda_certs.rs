//! `rollout.analysis`, `autoscaler.sane` and `ingress.cert-expiry`: pass, fail, n/a and unknown
//! from files, certificates generated with `openssl`, and the live path on the loopback API
//! server (a Rollout, a ScaledObject, a Certificate and a TLS Secret changing).

mod support;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde_json::{json, Value};
use shipshape::checks::ingress::gateway_cert_expiry;
use shipshape::checks::{Context, Severity, Status};
use shipshape::cluster::tls_certs::{pem_not_after, TlsMsg};
use shipshape::cluster::{Kind, Msg, WorkloadKey, WorkloadKind};
use shipshape::config::Config;
use shipshape::grade::{grade_all, Grades};
use shipshape::source::live::{self, ConnectOptions};
use shipshape::testing::{grade, model, object_result, result, status};
use std::path::Path;
use std::process::Command;
use support::apiserver::ApiServer;
use support::watching::Watching;

// ---------------------------------------------------------------------------------------------
// rollout.analysis
// ---------------------------------------------------------------------------------------------

fn rollout(strategy: &str) -> String {
    format!(
        r#"
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {{name: web, namespace: shop}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: web, image: ghcr.io/acme/web:1.0.0}}]
  strategy: {strategy}
"#
    )
}

const ROLLOUT: &str = "Rollout/shop/web";

/// The result of `check` on workload `path`, owned (the grades are often a temporary).
fn owned(g: &Grades, path: &str, check: &str) -> shipshape::checks::CheckResult {
    result(g, path, check).clone()
}

#[test]
fn a_canary_with_an_analysis_step_passes_and_one_without_fails() {
    let with = rollout(
        "{canary: {steps: [{setWeight: 20}, {analysis: {templates: [{templateName: success-rate}]}}, {setWeight: 100}]}}",
    );
    let r = owned(&grade(&with), ROLLOUT, "rollout.analysis");
    assert_eq!(r.status, Status::Pass, "{}", r.message);
    assert!(r.message.contains("success-rate (step 2)"), "{}", r.message);

    let without = rollout("{canary: {steps: [{setWeight: 20}, {pause: {}}, {setWeight: 100}]}}");
    let r = owned(&grade(&without), ROLLOUT, "rollout.analysis");
    assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
    assert!(
        r.message.contains("canary Rollout runs no analysis"),
        "{}",
        r.message
    );

    // Background analysis counts; an analysis naming no template does not.
    let background = rollout(
        "{canary: {analysis: {templates: [{templateName: error-rate}]}, steps: [{setWeight: 50}]}}",
    );
    assert_eq!(
        status(&grade(&background), ROLLOUT, "rollout.analysis"),
        Status::Pass
    );
    let empty = rollout("{canary: {steps: [{analysis: {templates: []}}]}}");
    assert_eq!(
        status(&grade(&empty), ROLLOUT, "rollout.analysis"),
        Status::Fail
    );
}

#[test]
fn blue_green_needs_pre_or_post_promotion_analysis() {
    let bare = rollout("{blueGreen: {activeService: web, previewService: web-preview}}");
    let r = owned(&grade(&bare), ROLLOUT, "rollout.analysis");
    assert_eq!(r.status, Status::Fail);
    assert!(r.message.contains("blue-green"), "{}", r.message);
    let post = rollout(
        "{blueGreen: {activeService: web, postPromotionAnalysis: {templates: [{templateName: smoke}]}}}",
    );
    let r = owned(&grade(&post), ROLLOUT, "rollout.analysis");
    assert_eq!(r.status, Status::Pass);
    assert!(
        r.message.contains("smoke (post-promotion)"),
        "{}",
        r.message
    );
}

#[test]
fn rollout_analysis_is_na_for_other_workloads_and_unknown_without_the_rollout() {
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: ghcr.io/acme/web:1.0.0}]}\n";
    assert_eq!(
        status(
            &grade(deployment),
            "Deployment/shop/web",
            "rollout.analysis"
        ),
        Status::NotApplicable
    );
    let no_strategy = rollout("{}");
    assert_eq!(
        status(&grade(&no_strategy), ROLLOUT, "rollout.analysis"),
        Status::NotApplicable
    );
    // Pods of a Rollout the credentials may not read: the workload is there, its strategy not.
    let pods_only = r#"
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-6d8f9c7b54
  namespace: shop
  ownerReferences: [{apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web, uid: r1, controller: true}]
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: ghcr.io/acme/web:1.0.0}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-6d8f9c7b54-x7k2p
  namespace: shop
  labels: {app: web}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6d8f9c7b54, uid: rs1, controller: true}]
spec: {containers: [{name: web, image: ghcr.io/acme/web:1.0.0}]}
"#;
    let mut m = model(pods_only);
    m.apply(Msg::Forbidden(Kind::Rollout));
    let g = grade_all(&m, &Config::default());
    let r = result(&g, ROLLOUT, "rollout.analysis");
    assert_eq!(r.status, Status::Unknown, "{}", r.message);
}

// ---------------------------------------------------------------------------------------------
// autoscaler.sane
// ---------------------------------------------------------------------------------------------

const WORKER: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers: [{name: worker, image: ghcr.io/acme/worker:1.0.0}]
"#;

const WORKER_SERVICE: &str = "---\napiVersion: v1\nkind: Service\nmetadata: {name: worker, namespace: shop}\nspec: {selector: {app: worker}, ports: [{port: 80}]}\n";

fn scaled_object(fields: &str) -> String {
    format!(
        "---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {{name: worker, namespace: shop}}\nspec: {{scaleTargetRef: {{name: worker}}{fields}}}\n"
    )
}

const QUEUE: &str = ", triggers: [{type: rabbitmq, metadata: {queueName: orders}}]";
const W: &str = "Deployment/shop/worker";

#[test]
fn a_sane_scaled_object_passes_on_the_workload_it_scales() {
    let g = grade(&format!(
        "{WORKER}{WORKER_SERVICE}{}",
        scaled_object(&format!(", minReplicaCount: 2, maxReplicaCount: 10{QUEUE}"))
    ));
    let r = result(&g, W, "autoscaler.sane");
    assert_eq!((r.status, r.severity), (Status::Pass, Severity::Warning));
    assert!(r.message.contains("ScaledObject worker"), "{}", r.message);
    // The HPA check leaves the ScaledObject to this one instead of judging it twice.
    let hpa = result(&g, W, "availability.hpa-sane");
    assert_eq!(hpa.status, Status::NotApplicable, "{}", hpa.message);
    assert!(hpa.message.contains("autoscaler.sane"), "{}", hpa.message);
}

#[test]
fn scale_to_zero_fails_only_behind_a_service() {
    // KEDA's default floor is 0: right for a queue worker nothing sends requests to…
    let idle = scaled_object(&format!(", maxReplicaCount: 10{QUEUE}"));
    let r = owned(&grade(&format!("{WORKER}{idle}")), W, "autoscaler.sane");
    assert_eq!(r.status, Status::Pass, "{}", r.message);
    assert!(r.message.contains("may scale to 0"), "{}", r.message);
    // …an outage for a workload behind a Service.
    let r = owned(
        &grade(&format!("{WORKER}{WORKER_SERVICE}{idle}")),
        W,
        "autoscaler.sane",
    );
    assert_eq!(r.status, Status::Fail);
    assert!(
        r.message
            .contains("minReplicaCount 0 (unset: KEDA's default)")
            && r.message.contains("Service worker"),
        "{}",
        r.message
    );
    let one = scaled_object(&format!(", minReplicaCount: 1, maxReplicaCount: 10{QUEUE}"));
    let r = owned(
        &grade(&format!("{WORKER}{WORKER_SERVICE}{one}")),
        W,
        "autoscaler.sane",
    );
    assert_eq!(r.status, Status::Fail);
    assert!(r.message.contains("minReplicaCount 1 on"), "{}", r.message);
}

#[test]
fn no_room_or_no_triggers_fail() {
    let fixed = scaled_object(&format!(", minReplicaCount: 3, maxReplicaCount: 3{QUEUE}"));
    let r = owned(&grade(&format!("{WORKER}{fixed}")), W, "autoscaler.sane");
    assert_eq!(r.status, Status::Fail);
    assert!(r.message.contains("can never scale"), "{}", r.message);
    let blind = scaled_object(", minReplicaCount: 2, maxReplicaCount: 10, triggers: []");
    let r = owned(&grade(&format!("{WORKER}{blind}")), W, "autoscaler.sane");
    assert_eq!(r.status, Status::Fail);
    assert!(r.message.contains("no triggers"), "{}", r.message);
}

#[test]
fn autoscaler_sane_is_na_without_keda_and_unknown_when_forbidden() {
    assert_eq!(
        status(&grade(WORKER), W, "autoscaler.sane"),
        Status::NotApplicable
    );
    let mut m = model(WORKER);
    m.apply(Msg::NotServed(Kind::ScaledObject));
    let g = grade_all(&m, &Config::default());
    assert_eq!(status(&g, W, "autoscaler.sane"), Status::NotApplicable);
    let mut m = model(WORKER);
    m.apply(Msg::Forbidden(Kind::ScaledObject));
    let g = grade_all(&m, &Config::default());
    let r = result(&g, W, "autoscaler.sane");
    assert_eq!(r.status, Status::Unknown);
    assert!(
        r.message.contains("ScaledObject (forbidden)"),
        "{}",
        r.message
    );
    // A floor below 2 needs the Services to judge: without them, unknown too.
    let mut m = model(&format!(
        "{WORKER}{}",
        scaled_object(&format!(", minReplicaCount: 1{QUEUE}"))
    ));
    m.apply(Msg::Forbidden(Kind::Service));
    let g = grade_all(&m, &Config::default());
    assert_eq!(status(&g, W, "autoscaler.sane"), Status::Unknown);
}

#[test]
fn a_rollouts_own_services_count_as_traffic() {
    let mut yaml = rollout("{canary: {stableService: web, steps: [{setWeight: 50}]}}");
    // Argo Rollouts adds the pod hash to the stable Service's selector: it matches the pods,
    // not the template.
    yaml.push_str("---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web, rollouts-pod-template-hash: 6d8f9c7b54}, ports: [{port: 80}]}\n");
    yaml.push_str("---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: web, namespace: shop}\nspec: {scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}, minReplicaCount: 1, triggers: [{type: cpu, metadata: {value: '70'}}]}\n");
    let r = owned(&grade(&yaml), ROLLOUT, "autoscaler.sane");
    assert_eq!(r.status, Status::Fail, "{}", r.message);
    assert!(r.message.contains("Service web"), "{}", r.message);
}

/// The KEDA sample of the GKE corpus: a Pub/Sub subscriber that KEDA scales to zero, as the
/// tutorial's ScaledObject does. Scale-to-zero on a worker no Service selects is what KEDA is
/// for, so it must not fail.
#[test]
fn the_gke_keda_sample_is_no_false_positive() {
    let Some(corpus) = support::corpus::corpus() else {
        return;
    };
    let path = corpus.join(
        "gke-samples/cost-optimization/gke-keda/cloud-pubsub/deployment/keda-pubsub-with-workload-identity.yaml",
    );
    let mut yaml = std::fs::read_to_string(path).unwrap();
    yaml.push_str("\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: keda-pubsub, namespace: keda-pubsub}\nspec:\n  maxReplicaCount: 5\n  scaleTargetRef: {name: keda-pubsub}\n  triggers:\n    - type: gcp-pubsub\n      authenticationRef: {name: keda-auth}\n      metadata: {subscriptionName: keda-echo-read}\n");
    let g = grade(&yaml);
    let r = result(&g, "Deployment/keda-pubsub/keda-pubsub", "autoscaler.sane");
    assert_eq!(r.status, Status::Pass, "{}", r.message);
}

/// The Argo Rollouts fixtures (captured from the project's examples) raise no autoscaler or
/// certificate finding they do not deserve.
#[test]
fn the_argo_rollouts_fixtures_are_no_false_positive() {
    for name in ["canary.yaml", "workload-ref.yaml"] {
        let yaml = std::fs::read_to_string(format!(
            "{}/tests/fixtures/rollouts/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let g = grade(&yaml);
        for (key, w) in &g.workloads {
            for r in &w.results {
                if r.check == "autoscaler.sane" || r.check == "ingress.cert-expiry" {
                    assert_ne!(r.status, Status::Fail, "{name} {key:?}: {}", r.message);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ingress.cert-expiry
// ---------------------------------------------------------------------------------------------

/// The demo clock's kind of instant: 2026-11-20 10:00 UTC.
fn now() -> DateTime<Utc> {
    at("2026-11-20T10:00:00Z")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

const INGRESS: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
"#;
const IROW: &str = "Ingress/shop/shop";

fn certificate(not_after: &str, ready: &str) -> String {
    format!(
        "---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {{name: shop, namespace: shop}}\nspec: {{secretName: shop-tls, issuerRef: {{name: letsencrypt, kind: ClusterIssuer}}}}\nstatus: {{notAfter: '{not_after}', conditions: [{{type: Ready, status: '{ready}', reason: {reason}, message: 'Issuing certificate as Secret does not exist'}}]}}\n",
        reason = if ready == "True" { "Ready" } else { "DoesNotExist" }
    )
}

/// Grades `yaml` at `now`.
fn graded_at(yaml: &str, now: DateTime<Utc>) -> Grades {
    let mut m = model(yaml);
    m.apply(Msg::Clock(now));
    grade_all(&m, &Config::default())
}

#[test]
fn a_certificate_far_from_expiry_passes_and_time_brings_the_warning_then_the_expiry() {
    let yaml = format!("{INGRESS}{}", certificate("2027-01-18T07:12:09Z", "True"));
    let r = object_result(&graded_at(&yaml, now()), IROW, "ingress.cert-expiry").clone();
    assert_eq!(r.status, Status::Pass, "{}", r.message);
    assert!(
        r.message
            .contains("shop-tls until 2027-01-18 (Certificate shop)"),
        "{}",
        r.message
    );
    // 21 days before: a warning that says when.
    let r = object_result(
        &graded_at(&yaml, at("2027-01-02T07:12:09Z")),
        IROW,
        "ingress.cert-expiry",
    )
    .clone();
    assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
    assert!(
        r.message
            .contains("expires on 2027-01-18 (in 16 days; Certificate shop)"),
        "{}",
        r.message
    );
    // Past it: critical.
    let r = object_result(
        &graded_at(&yaml, at("2027-01-18T07:12:10Z")),
        IROW,
        "ingress.cert-expiry",
    )
    .clone();
    assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
    assert!(r.message.contains("expired on 2027-01-18"), "{}", r.message);
}

#[test]
fn a_certificate_that_is_not_ready_is_critical() {
    let yaml = format!("{INGRESS}{}", certificate("2027-06-01T00:00:00Z", "False"));
    let r = object_result(&graded_at(&yaml, now()), IROW, "ingress.cert-expiry").clone();
    assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
    assert!(
        r.message
            .contains("Certificate shop is not Ready: DoesNotExist (Issuing certificate"),
        "{}",
        r.message
    );
}

#[test]
fn cert_expiry_is_na_without_tls_and_unknown_when_nothing_says() {
    let plain = INGRESS.replace(
        "  tls: [{hosts: [shop.example.com], secretName: shop-tls}]\n",
        "",
    );
    assert_ne!(plain, INGRESS);
    let g = graded_at(&plain, now());
    assert_eq!(
        object_result(&g, IROW, "ingress.cert-expiry").status,
        Status::NotApplicable
    );
    // No Certificate writes the Secret and its certificate is not read.
    let r = object_result(&graded_at(INGRESS, now()), IROW, "ingress.cert-expiry").clone();
    assert_eq!(r.status, Status::Unknown);
    assert!(
        r.message.contains("no cert-manager Certificate writes it")
            && r.message.contains("--read-tls-certs"),
        "{}",
        r.message
    );
    // Certificates forbidden.
    let mut m = model(INGRESS);
    m.apply(Msg::Forbidden(Kind::Certificate));
    let g = grade_all(&m, &Config::default());
    let r = object_result(&g, IROW, "ingress.cert-expiry");
    assert_eq!(r.status, Status::Unknown);
    assert!(
        r.message.contains("Certificates are forbidden"),
        "{}",
        r.message
    );
    // cert-manager not installed, TLS Secrets read but that one absent.
    let mut m = model(INGRESS);
    m.apply(Msg::NotServed(Kind::Certificate));
    m.apply(Msg::TlsCert(TlsMsg::Listing));
    m.apply(Msg::TlsCert(TlsMsg::Synced));
    let g = grade_all(&m, &Config::default());
    let r = object_result(&g, IROW, "ingress.cert-expiry");
    assert_eq!(r.status, Status::Unknown);
    assert!(
        r.message.contains("cert-manager is not installed")
            && r.message.contains("no kubernetes.io/tls Secret"),
        "{}",
        r.message
    );
}

#[test]
fn gateway_listeners_are_judged_by_their_certificate_refs() {
    let gateway = r#"
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  gatewayClassName: cilium
  listeners:
    - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
    - name: https
      port: 443
      protocol: HTTPS
      hostname: shop.example.com
      tls: {mode: Terminate, certificateRefs: [{kind: Secret, name: shop-tls}]}
"#;
    let judge = |yaml: &str, when: DateTime<Utc>| {
        let mut m = model(yaml);
        m.apply(Msg::Clock(when));
        let config = Config::default();
        let cx = Context::new(&m, &config);
        let gw = &m.stores.gateways[&("shop".to_string(), "public".to_string())];
        gateway_cert_expiry(gw, &cx)
    };
    let v = judge(
        &format!("{gateway}{}", certificate("2026-12-01T06:40:31Z", "True")),
        now(),
    );
    assert_eq!(
        (v.status, v.severity),
        (Status::Fail, Some(Severity::Warning)),
        "{}",
        v.message
    );
    assert!(v.message.contains("in 10 days"), "{}", v.message);
    let plain = gateway.replace(
        "      tls: {mode: Terminate, certificateRefs: [{kind: Secret, name: shop-tls}]}\n",
        "",
    );
    assert_eq!(judge(&plain, now()).status, Status::NotApplicable);
}

// ---------------------------------------------------------------------------------------------
// Certificates read from TLS Secrets, generated with openssl
// ---------------------------------------------------------------------------------------------

/// A self-signed certificate valid for `days`, as PEM, and its notAfter as openssl reads it.
fn openssl_certificate(dir: &Path, name: &str, days: u32, key: &str) -> (Vec<u8>, DateTime<Utc>) {
    let cert = dir.join(format!("{name}.crt"));
    let key_file = dir.join(format!("{name}.key"));
    let mut args: Vec<String> = vec!["req".into(), "-x509".into(), "-nodes".into()];
    match key {
        "rsa" => args.extend(["-newkey".into(), "rsa:2048".into()]),
        _ => args.extend([
            "-newkey".into(),
            "ec".into(),
            "-pkeyopt".into(),
            "ec_paramgen_curve:prime256v1".into(),
        ]),
    }
    args.extend([
        "-days".into(),
        days.to_string(),
        "-subj".into(),
        format!("/CN={name}.example.com"),
        "-keyout".into(),
        key_file.display().to_string(),
        "-out".into(),
        cert.display().to_string(),
    ]);
    let out = Command::new("openssl")
        .args(&args)
        .output()
        .expect("openssl is installed (.ci/run installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let end = Command::new("openssl")
        .args(["x509", "-noout", "-enddate", "-in"])
        .arg(&cert)
        .output()
        .unwrap();
    let text = String::from_utf8(end.stdout).unwrap();
    // notAfter=Dec  6 23:10:04 2027 GMT
    let date = text.trim().strip_prefix("notAfter=").unwrap();
    let date = date.strip_suffix(" GMT").unwrap();
    let parsed = NaiveDateTime::parse_from_str(
        &date.split_whitespace().collect::<Vec<_>>().join(" "),
        "%b %d %H:%M:%S %Y",
    )
    .unwrap()
    .and_utc();
    (std::fs::read(&cert).unwrap(), parsed)
}

#[test]
fn openssl_certificates_parse_to_the_date_openssl_reads() {
    let dir = tempfile::tempdir().unwrap();
    // UTCTime (before 2050), with an RSA and an EC key.
    for (name, days, key) in [("rsa", 30, "rsa"), ("ec", 400, "ec")] {
        let (pem, expected) = openssl_certificate(dir.path(), name, days, key);
        assert_eq!(pem_not_after(&pem), Ok(expected), "{name}");
    }
    // GeneralizedTime (2050 and later).
    let (pem, expected) = openssl_certificate(dir.path(), "far", 12_000, "ec");
    assert!(expected > at("2050-01-01T00:00:00Z"));
    assert_eq!(pem_not_after(&pem), Ok(expected));
    // A chain: the leaf comes first and is the one that counts; a key beside it is skipped.
    let (leaf, leaf_date) = openssl_certificate(dir.path(), "leaf", 10, "ec");
    let (ca, _) = openssl_certificate(dir.path(), "ca", 3650, "ec");
    let key = std::fs::read(dir.path().join("leaf.key")).unwrap();
    let bundle = [key, leaf, ca].concat();
    assert_eq!(pem_not_after(&bundle), Ok(leaf_date));
}

#[test]
fn a_certificate_read_from_the_secret_grades_the_ingress() {
    let dir = tempfile::tempdir().unwrap();
    let (pem, not_after) = openssl_certificate(dir.path(), "shop", 10, "ec");
    let mut m = model(INGRESS);
    m.apply(Msg::NotServed(Kind::Certificate));
    m.apply(Msg::TlsCert(TlsMsg::Listing));
    m.apply(Msg::TlsCert(TlsMsg::Upsert {
        namespace: "shop".into(),
        name: "shop-tls".into(),
        not_after: pem_not_after(&pem),
    }));
    m.apply(Msg::TlsCert(TlsMsg::Synced));
    m.apply(Msg::Clock(not_after - Duration::days(30)));
    let g = grade_all(&m, &Config::default());
    let r = object_result(&g, IROW, "ingress.cert-expiry");
    assert_eq!(r.status, Status::Pass, "{}", r.message);
    assert!(r.message.contains("read from the Secret"), "{}", r.message);
    m.apply(Msg::Clock(not_after - Duration::days(3)));
    let g = grade_all(&m, &Config::default());
    let r = object_result(&g, IROW, "ingress.cert-expiry");
    assert_eq!(
        (r.status, r.severity),
        (Status::Fail, Severity::Warning),
        "{}",
        r.message
    );
    // An unreadable certificate is unknown, and the finding holds nothing of the Secret.
    m.apply(Msg::TlsCert(TlsMsg::Upsert {
        namespace: "shop".into(),
        name: "shop-tls".into(),
        not_after: pem_not_after(
            b"-----BEGIN CERTIFICATE-----\nTUlJQm9ndXM=\n-----END CERTIFICATE-----\n",
        ),
    }));
    let g = grade_all(&m, &Config::default());
    let r = object_result(&g, IROW, "ingress.cert-expiry");
    assert_eq!(r.status, Status::Unknown, "{}", r.message);
    assert!(
        r.message.contains("not a well-formed X.509"),
        "{}",
        r.message
    );
    assert!(!r.message.contains("TUlJ"), "{}", r.message);
}

// ---------------------------------------------------------------------------------------------
// Live: the loopback API server
// ---------------------------------------------------------------------------------------------

fn b64(bytes: &[u8]) -> String {
    // The API server's JSON carries Secret data in base64; a small encoder keeps the test
    // free of another dependency.
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn tls_secret(pem: &[u8]) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
        "metadata": {"name": "shop-tls", "namespace": "shop"},
        "data": {"tls.crt": b64(pem), "tls.key": b64(b"-----BEGIN PRIVATE KEY-----\nbGl2ZS1rZXk=\n-----END PRIVATE KEY-----\n")}
    })
}

fn live_rollout(steps: Value) -> Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
        "metadata": {"name": "web", "namespace": "shop", "uid": "ro-web"},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "web", "image": "ghcr.io/acme/web:1.0.0"}]}},
                 "strategy": {"canary": {"stableService": "web", "steps": steps}}},
        "status": {"phase": "Healthy", "replicas": 3, "readyReplicas": 3, "availableReplicas": 3}
    })
}

fn live_scaled_object(min: i32, max: i32) -> Value {
    json!({
        "apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"scaleTargetRef": {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "web"},
                 "minReplicaCount": min, "maxReplicaCount": max,
                 "triggers": [{"type": "cpu", "metadata": {"value": "70"}}]}
    })
}

fn live_certificate(ready: &str, not_after: DateTime<Utc>) -> Value {
    json!({
        "apiVersion": "cert-manager.io/v1", "kind": "Certificate",
        "metadata": {"name": "api", "namespace": "shop"},
        "spec": {"secretName": "api-tls", "issuerRef": {"name": "letsencrypt", "kind": "ClusterIssuer"}},
        "status": {"notAfter": not_after.to_rfc3339(), "conditions": [{"type": "Ready", "status": ready}]}
    })
}

fn live_ingress(name: &str, secret: &str) -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {"tls": [{"hosts": [format!("{name}.example.com")], "secretName": secret}],
                 "rules": [{"host": format!("{name}.example.com"),
                            "http": {"paths": [{"path": "/", "pathType": "Prefix",
                                                "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}
    })
}

fn rollout_key() -> WorkloadKey {
    WorkloadKey::new(WorkloadKind::Rollout, "shop", "web")
}

fn check<'g>(g: &'g Grades, id: &str) -> &'g shipshape::checks::CheckResult {
    g.workloads[&rollout_key()]
        .results
        .iter()
        .find(|r| r.check == id)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollouts_scaled_objects_certificates_and_tls_secrets_change_live() {
    let dir = tempfile::tempdir().unwrap();
    let (pem, not_after) = openssl_certificate(dir.path(), "live", 200, "ec");
    let (soon_pem, soon) = openssl_certificate(dir.path(), "soon", 5, "ec");
    let server = ApiServer::start().await;
    server.apply(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}));
    server.apply(json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"},
                        "spec": {"selector": {"app": "web", "rollouts-pod-template-hash": "abc"}, "ports": [{"port": 80}]}}));
    server.apply(live_rollout(json!([{"setWeight": 20}, {"pause": {}}])));
    server.apply(live_scaled_object(2, 10));
    server.apply(live_certificate("True", Utc::now() + Duration::days(60)));
    server.apply(live_ingress("shop", "shop-tls"));
    server.apply(live_ingress("api", "api-tls"));
    server.apply(tls_secret(&pem));
    // A Secret of another type is never read in full.
    server.apply(
        json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                        "metadata": {"name": "db", "namespace": "shop"},
                        "data": {"password": b64(b"hunter2")}}),
    );

    let options = ConnectOptions {
        read_tls_certs: true,
        ..Default::default()
    };
    let mut w = Watching::with(&server, dir.path(), options).await;
    w.until("every kind and the TLS Secrets to list", |m| {
        live::unsettled(m).is_empty()
            && m.tls_certs.reading == shipshape::cluster::tls_certs::TlsReading::Synced
    })
    .await;

    // Only the TLS Secret's date is kept: no Secret data anywhere in the model.
    assert_eq!(
        w.model.tls_certs.get("shop", "shop-tls"),
        Some(&Ok(not_after))
    );
    assert!(w.model.tls_certs.get("shop", "db").is_none());
    for s in w.model.stores.secrets.values() {
        assert!(s.data.is_none() && s.string_data.is_none(), "{s:?}");
    }
    let dump = format!("{:?}", w.model.stores.secrets);
    assert!(!dump.contains("bGl2ZS1rZXk") && !dump.contains("PRIVATE"));
    // The full read asks for TLS Secrets only.
    let full_reads: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.uri.contains("/secrets") && !r.accept.contains("PartialObjectMetadata"))
        .map(|r| r.uri)
        .collect();
    assert!(!full_reads.is_empty());
    for uri in &full_reads {
        assert!(
            uri.contains("fieldSelector=type%3Dkubernetes.io%2Ftls"),
            "{uri}"
        );
    }

    let g = w.grades();
    assert_eq!(check(&g, "rollout.analysis").status, Status::Fail);
    assert_eq!(check(&g, "autoscaler.sane").status, Status::Pass);
    let shop = object_result(&g, IROW, "ingress.cert-expiry");
    assert_eq!(shop.status, Status::Pass, "{}", shop.message);
    assert!(
        shop.message.contains("read from the Secret"),
        "{}",
        shop.message
    );
    let api = object_result(&g, "Ingress/shop/api", "ingress.cert-expiry");
    assert_eq!(api.status, Status::Pass, "{}", api.message);

    // The Rollout gains an analysis step; the ScaledObject loses its room to scale.
    server.apply(live_rollout(json!([{"setWeight": 20},
        {"analysis": {"templates": [{"templateName": "success-rate"}]}}])));
    server.apply(live_scaled_object(4, 4));
    // cert-manager fails to renew; the TLS Secret gets a certificate that expires soon.
    server.apply(live_certificate("False", Utc::now() + Duration::days(60)));
    server.apply(tls_secret(&soon_pem));
    w.until("the changes to arrive", |m| {
        let key = ("shop".to_string(), "web".to_string());
        m.stores
            .scaled_objects
            .get(&key)
            .is_some_and(|s| s.min_replicas() == 4)
            && m.stores
                .rollouts
                .get(&key)
                .is_some_and(|r| !r.without_pod_spec().analyses().is_empty())
            && m.stores.certificates[&("shop".to_string(), "api".to_string())]
                .ready()
                .is_some_and(|c| c.status == "False")
            && m.tls_certs.get("shop", "shop-tls") == Some(&Ok(soon))
    })
    .await;
    let g = w.grades();
    assert_eq!(check(&g, "rollout.analysis").status, Status::Pass);
    let sane = check(&g, "autoscaler.sane");
    assert_eq!(sane.status, Status::Fail);
    assert!(sane.message.contains("can never scale"), "{}", sane.message);
    let api = object_result(&g, "Ingress/shop/api", "ingress.cert-expiry");
    assert_eq!(
        (api.status, api.severity),
        (Status::Fail, Severity::Critical)
    );
    let shop = object_result(&g, IROW, "ingress.cert-expiry");
    assert_eq!(
        (shop.status, shop.severity),
        (Status::Fail, Severity::Warning),
        "{}",
        shop.message
    );

    // The TLS Secret goes: its date goes with it.
    server.delete(Kind::Secret, "shop", "shop-tls");
    w.until("the TLS Secret to go", |m| {
        m.tls_certs.get("shop", "shop-tls").is_none()
    })
    .await;
    let g = w.grades();
    assert_eq!(
        object_result(&g, IROW, "ingress.cert-expiry").status,
        Status::Unknown
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_secrets_that_may_not_be_listed_leave_the_check_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let server = ApiServer::start().await;
    server.apply(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}));
    server.apply(live_ingress("shop", "shop-tls"));
    server.forbid("secrets");
    let options = ConnectOptions {
        read_tls_certs: true,
        ..Default::default()
    };
    let (engine, late) = support::watching::sync(&server, dir.path(), options).await;
    assert!(late.is_empty(), "{late:?}");
    let model = engine.model();
    assert_eq!(
        model.tls_certs.reading,
        shipshape::cluster::tls_certs::TlsReading::Forbidden
    );
    let g = grade_all(model, &Config::default());
    let r = object_result(&g, IROW, "ingress.cert-expiry");
    assert_eq!(r.status, Status::Unknown);
    assert!(
        r.message.contains("TLS Secrets are forbidden"),
        "{}",
        r.message
    );
}
