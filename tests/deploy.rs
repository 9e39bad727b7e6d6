//! `deploy/`: what `kubectl apply -k deploy/` applies grades A with shipshape itself, and the
//! exporter's Deployment probes, listens and reads the way `serve` expects.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::command::shipshape;

fn deploy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy")
}

/// The files the kustomization applies.
fn resources() -> Vec<PathBuf> {
    let text = std::fs::read_to_string(deploy().join("kustomization.yaml")).unwrap();
    let k: Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(k["kind"], "Kustomization");
    k["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| deploy().join(r.as_str().unwrap()))
        .collect()
}

#[test]
fn the_kustomization_applies_every_manifest_in_deploy() {
    let listed: Vec<PathBuf> = resources();
    for path in &listed {
        assert!(path.is_file(), "{} is listed but missing", path.display());
    }
    // Everything else in deploy/ is for Prometheus without the operator, or its tests.
    let not_applied = ["kustomization.yaml", "rules.yaml", "rules-test.yaml"];
    for entry in std::fs::read_dir(deploy()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        if !not_applied.contains(&name) {
            assert!(
                listed.contains(&path),
                "{name} is not in kustomization.yaml"
            );
        }
    }
}

#[test]
fn what_deploy_applies_grades_a_with_no_failing_check() {
    let mut cmd = shipshape();
    cmd.args(["check", "-o", "json"]);
    for path in resources() {
        cmd.arg("-f").arg(path);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["cluster"]["grade"], "A");
    let workloads = report["workloads"].as_array().unwrap();
    assert_eq!(workloads.len(), 1);
    let exporter = &workloads[0];
    assert_eq!(
        (&exporter["kind"], &exporter["namespace"], &exporter["name"]),
        (
            &"Deployment".into(),
            &"shipshape".into(),
            &"shipshape".into()
        )
    );
    assert_eq!(exporter["grade"], "A");
    let subjects = workloads
        .iter()
        .chain(report["objects"].as_array().unwrap());
    for s in subjects {
        for r in s["results"].as_array().unwrap() {
            assert_ne!(
                r["result"], "fail",
                "{} {}: {}",
                s["name"], r["check"], r["message"]
            );
        }
    }
    // What the grade rests on was judged, not unknown: probes, resources, the security context,
    // the PodDisruptionBudget.
    let result = |check: &str| {
        exporter["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["check"] == check)
            .map(|r| r["result"].as_str().unwrap().to_string())
    };
    for check in [
        "probe.readiness",
        "probe.liveness",
        "probe.distinct",
        "resources.memory-request",
        "resources.memory-limit",
        "resources.cpu-request",
        "security.non-root",
        "security.read-only-root",
        "security.capabilities",
        "security.seccomp",
        "security.privilege-escalation",
        "availability.replicas",
        "availability.pdb",
        "availability.pdb-allows-eviction",
        "network.policy",
    ] {
        assert_eq!(result(check).as_deref(), Some("pass"), "{check}");
    }
}

#[test]
fn the_exporter_listens_where_its_probes_and_service_look() {
    let text = std::fs::read_to_string(deploy().join("deployment.yaml")).unwrap();
    let d: Value = serde_norway::from_str(&text).unwrap();
    let c = &d["spec"]["template"]["spec"]["containers"][0];
    let args: Vec<&str> = c["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(args, ["serve", "--listen", "0.0.0.0:9771"]);
    assert_eq!(c["ports"][0]["containerPort"], 9771);
    assert_eq!(c["readinessProbe"]["httpGet"]["path"], "/readyz");
    assert_eq!(c["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(
        d["spec"]["template"]["spec"]["serviceAccountName"],
        "shipshape"
    );
    // The args parse as the binary's own.
    let out = shipshape().args(&args).arg("--help").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
