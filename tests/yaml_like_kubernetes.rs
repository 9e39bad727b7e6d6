//! The real binary reads YAML and values the way Kubernetes does: merge keys are applied,
//! duplicate keys and values the API server refuses are errors naming where, and a zero
//! request reserves nothing.

mod support;

use serde_json::Value;
use support::command::shipshape;

/// Writes `yaml` to a file in a fresh directory; the directory lives as long as the guard.
fn manifest(yaml: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.yaml");
    std::fs::write(&path, yaml).unwrap();
    let shown = path.display().to_string();
    (dir, shown)
}

/// `check -o json` on `yaml`; it must load.
fn check_json(yaml: &str) -> Value {
    let (_dir, path) = manifest(yaml);
    let out = shipshape()
        .args(["check", "-f", &path, "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.code() != Some(2),
        "did not load: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `check` on `yaml`; it must be refused with exit 2. Returns stderr.
fn refused(yaml: &str) -> (String, String) {
    let (_dir, path) = manifest(yaml);
    let out = shipshape().args(["check", "-f", &path]).assert().code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(out.get_output().stdout.is_empty(), "graded anyway");
    (stderr, path)
}

/// The result of `check` for the only workload.
fn result<'a>(report: &'a Value, check: &str) -> &'a Value {
    let workloads = report["workloads"].as_array().unwrap();
    assert_eq!(workloads.len(), 1, "{report}");
    workloads[0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == check)
        .unwrap_or_else(|| panic!("no {check}"))
}

fn deployment(containers: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: shop}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
{containers}"
    )
}

#[test]
fn merge_keys_bring_in_probes_from_an_anchor() {
    // b merges a; c merges a list (b, then a) and chains through b's own merge.
    let yaml = deployment(
        "        - &a
          name: a
          image: example/web:1.0
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: http}, periodSeconds: 5}
          livenessProbe: {httpGet: {path: /live, port: http}, periodSeconds: 10, failureThreshold: 3}
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 128Mi}}
        - &b
          <<: *a
          name: b
        - <<: [*b, *a]
          name: c
",
    );
    let report = check_json(&yaml);
    for check in [
        "probe.readiness",
        "probe.liveness",
        "resources.cpu-request",
        "resources.memory-limit",
    ] {
        let r = result(&report, check);
        assert_eq!(r["result"], "pass", "{check}: {r}");
    }
    // The names written next to the merge key win over the merged ones.
    let r = result(&report, "probe.port");
    assert_eq!(r["result"], "pass", "{r}");
    let yaml = deployment(
        "        - &a {name: a, image: example/web:1.0}
        - {<<: *a, name: b}
",
    );
    let report = check_json(&yaml);
    let r = result(&report, "probe.readiness");
    assert_eq!(r["message"], "no readinessProbe on a, b", "{r}");
}

#[test]
fn a_duplicate_key_is_refused_with_its_line() {
    let yaml = deployment(
        "        - name: app
          image: example/web:1.0
          resources:
            requests: {cpu: 100m}
          image: example/web:2.0
",
    );
    let (stderr, path) = refused(&yaml);
    assert!(
        stderr.contains(&format!(
            "{path}:15: invalid YAML: duplicate key `image` in one mapping"
        )),
        "{stderr}"
    );
    // JSON too: the API server's decoder refuses a field given twice.
    let json = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n \"metadata\": {\"name\": \"a\",\n  \"name\": \"b\"},\n \"spec\": {\"containers\": []}}\n";
    let (stderr, path) = refused(json);
    assert!(
        stderr.contains(&format!(
            "{path}:3: invalid JSON: duplicate key `name` in one mapping"
        )),
        "{stderr}"
    );
}

#[test]
fn values_the_api_server_refuses_name_their_field() {
    let cases = [
        (
            deployment("        - {name: app, image: x, resources: {requests: {memory: lots}}}\n"),
            "Deployment web: spec.template.spec.containers[0].resources.requests.memory: `lots` is not a quantity",
        ),
        (
            deployment("        - {name: app, image: x, resources: {limits: {cpu: \"-1\"}}}\n"),
            "Deployment web: spec.template.spec.containers[0].resources.limits.cpu: invalid value `-1`: must be greater than or equal to 0",
        ),
        (
            deployment("        - {name: app, image: x}\n").replace("replicas: 3", "replicas: -3"),
            "Deployment web: spec.replicas: invalid value -3: must be greater than or equal to 0",
        ),
        (
            deployment("        - {name: app, image: x, livenessProbe: {exec: {command: [true]}, periodSeconds: -10}}\n"),
            "spec.template.spec.containers[0].livenessProbe.periodSeconds: invalid value -10",
        ),
        (
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: -2\n  maxReplicas: 5\n".to_string(),
            "HorizontalPodAutoscaler web: spec.minReplicas: invalid value -2",
        ),
    ];
    for (yaml, want) in cases {
        let (stderr, path) = refused(&yaml);
        assert!(stderr.contains(&format!("{path}:1: ")), "{stderr}");
        assert!(stderr.contains(want), "{want}\n{stderr}");
        assert!(stderr.contains("the API server rejects it"), "{stderr}");
    }
}

#[test]
fn every_spelling_kubernetes_accepts_loads() {
    let yaml = deployment(
        "        - name: app
          image: example/web:1.0
          resources:
            requests: {cpu: 0.5, memory: 1e9}
            limits: {cpu: 500m, memory: 1.5Gi}
",
    );
    let report = check_json(&yaml);
    assert_eq!(result(&report, "resources.cpu-request")["result"], "pass");
    assert_eq!(
        result(&report, "resources.memory-request")["result"],
        "pass"
    );
    assert_eq!(
        result(&report, "resources.qos")["message"],
        "QoS class Burstable"
    );
}

#[test]
fn a_zero_request_does_not_count_as_a_request() {
    let yaml = deployment(
        "        - name: app
          image: example/web:1.0
          resources:
            requests: {cpu: 0, memory: \"0\"}
            limits: {memory: 256Mi}
",
    );
    let report = check_json(&yaml);
    for (check, what) in [
        ("resources.cpu-request", "CPU"),
        ("resources.memory-request", "memory"),
    ] {
        let r = result(&report, check);
        assert_eq!(r["result"], "fail", "{check}: {r}");
        assert_eq!(
            r["message"],
            format!("the {what} request is zero on app, which reserves nothing")
        );
    }
    // Limits are not requests: the memory limit still counts.
    assert_eq!(result(&report, "resources.memory-limit")["result"], "pass");
}
