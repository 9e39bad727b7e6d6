//! Several clusters at once: two loopback API servers, one serving and one gone. Each is read
//! on its own; the one that cannot be read is reported for itself and fails nothing else.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::apiserver::ApiServer;
use support::command::shipshape;
use support::exporter::Exporter;
use support::fleet::{demo_server, gone_server, kubeconfig};

/// A healthy cluster `prod` and a cluster `staging` whose API server is gone.
async fn fleet() -> (ApiServer, ApiServer, tempfile::TempDir, PathBuf) {
    let prod = demo_server().await;
    let staging = gone_server().await;
    let dir = tempfile::tempdir().unwrap();
    let path = kubeconfig(
        dir.path(),
        &[("prod", prod.url()), ("staging", staging.url())],
    );
    (prod, staging, dir, path)
}

async fn run(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || shipshape().args(&args).output().unwrap())
        .await
        .unwrap()
}

fn args(list: &[&str], kubeconfig: &Path) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.push("--kubeconfig".into());
    v.push(kubeconfig.display().to_string());
    v
}

fn without_time(mut v: Value) -> Value {
    v["source"]["evaluated_at"] = Value::Null;
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reads_each_cluster_on_its_own_and_names_the_one_it_could_not_read() {
    let (_prod, _staging, _dir, kc) = fleet().await;
    let out = run(args(
        &[
            "check",
            "--context",
            "prod",
            "--context",
            "staging",
            "-o",
            "json",
        ],
        &kc,
    ))
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("\"staging\" could not be read"), "{stderr}");
    assert!(!stderr.contains("\"prod\" could not"), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["kind"], "fleet");
    assert_eq!(doc["summary"]["clusters"], 2);
    assert_eq!(doc["summary"]["read"], 1);
    assert_eq!(doc["summary"]["failed"], 1);
    let clusters = doc["clusters"].as_array().unwrap();
    assert_eq!(clusters[0]["context"], "prod");
    assert_eq!(clusters[0]["status"], "read");
    assert_eq!(clusters[1]["context"], "staging");
    assert_eq!(clusters[1]["status"], "failed");
    assert!(clusters[1]["error"].as_str().unwrap().contains("staging"));
    assert_eq!(clusters[1]["report"], Value::Null);

    // One context: the single-cluster document, unchanged, and the same as the fleet's member.
    let single = run(args(&["check", "--context", "prod", "-o", "json"], &kc)).await;
    assert_eq!(single.status.code(), Some(0));
    let single: Value = serde_json::from_slice(&single.stdout).unwrap();
    assert_eq!(single["schema_version"], 1);
    assert!(single.get("kind").is_none() && single["workloads"].is_array());
    assert_eq!(
        without_time(clusters[0]["report"].clone()),
        without_time(single.clone())
    );
    assert_eq!(doc["summary"]["score"], single["cluster"]["score"]);
    assert_eq!(doc["summary"]["workloads"], single["cluster"]["workloads"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_has_a_section_per_cluster_and_a_fleet_summary() {
    let (_prod, _staging, _dir, kc) = fleet().await;
    let out = run(args(&["check", "--all-contexts", "--color", "never"], &kc)).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let prod = text.find("━━ prod ━━").expect("a prod section");
    let staging = text.find("━━ staging ━━").expect("a staging section");
    let summary = text.find("\nFleet\n").expect("a fleet summary");
    assert!(prod < staging && staging < summary, "{text}");
    assert!(text[prod..staging].contains("shipshape · prod"), "{text}");
    assert!(text[staging..summary].contains("not read:"), "{text}");
    let rows = &text[summary..];
    let prod_row = rows
        .lines()
        .find(|l| l.trim_start().starts_with("prod "))
        .unwrap();
    assert!(
        prod_row.contains(" B ") || prod_row.contains(" A ") || prod_row.contains(" C "),
        "{prod_row}"
    );
    assert!(rows
        .lines()
        .any(|l| l.trim_start().starts_with("staging") && l.contains("not read")));
    assert!(rows.contains("1 of 2 clusters read"), "{rows}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gates_apply_per_cluster_and_exit_2_only_when_no_cluster_was_read() {
    let (_prod, staging, dir, kc) = fleet().await;
    let gated = run(args(
        &[
            "check",
            "--all-contexts",
            "--fail-on",
            "critical",
            "-o",
            "json",
        ],
        &kc,
    ))
    .await;
    assert_eq!(gated.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&gated.stderr).contains("gate failed: prod:"));

    let both_down = kubeconfig(
        dir.path(),
        &[("staging", staging.url()), ("other", staging.url())],
    );
    let out = run(args(&["check", "--all-contexts"], &both_down)).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("\"staging\" could not be read"), "{stderr}");
    assert!(stderr.contains("\"other\" could not be read"), "{stderr}");
    assert!(
        stderr.contains("none of the 2 contexts could be read"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_json_is_the_fleet_document() {
    let (_prod, _staging, _dir, kc) = fleet().await;
    let out = run(args(&["report", "--all-contexts", "--format", "json"], &kc)).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["kind"], "fleet");
    assert_eq!(doc["clusters"][0]["status"], "read");
    assert_eq!(doc["clusters"][1]["status"], "failed");
    let html = run(args(&["report", "--all-contexts", "--format", "html"], &kc)).await;
    assert_eq!(html.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&html.stderr).contains("json or markdown"));
    let md = run(args(
        &["report", "--all-contexts", "--format", "markdown"],
        &kc,
    ))
    .await;
    assert_eq!(md.status.code(), Some(0));
    let md = String::from_utf8(md.stdout).unwrap();
    let single = run(args(
        &["report", "--context", "prod", "--format", "markdown"],
        &kc,
    ))
    .await;
    let single = String::from_utf8(single.stdout).unwrap();
    // prod's report as it is alone (up to the minute it was evaluated), then staging's failure.
    let first_line = single.lines().next().unwrap();
    assert!(md.starts_with(first_line), "{}", &md[..200.min(md.len())]);
    assert!(md.contains("# staging\n\nNot read: "), "{md}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_labels_every_cluster_and_is_not_ready_while_one_is_away() {
    let (_prod, _staging, _dir, kc) = fleet().await;
    let kc2 = kc.clone();
    tokio::task::spawn_blocking(move || {
        let e = Exporter::start(&[
            "--kubeconfig",
            kc2.to_str().unwrap(),
            "--context",
            "prod",
            "--context",
            "staging",
        ]);
        let m = e.until("prod graded", Duration::from_secs(60), |m| {
            m.value("shipshape_cluster_ready", &[("cluster", "prod")]) == Some(1.0)
        });
        assert!(m
            .value("shipshape_cluster_score", &[("cluster", "prod")])
            .is_some());
        assert!(!m
            .find("shipshape_workload_grade", &[("cluster", "prod")])
            .is_empty());
        assert_eq!(
            m.value("shipshape_cluster_ready", &[("cluster", "staging")]),
            Some(0.0)
        );
        assert!(m
            .find("shipshape_workload_grade", &[("cluster", "staging")])
            .is_empty());
        // Every cluster-scoped series carries the cluster label.
        for (name, labels, _) in &m.samples {
            if name.starts_with("shipshape_") && name != "shipshape_build_info" {
                assert!(
                    labels.iter().any(|(k, _)| k == "cluster"),
                    "{name} {labels:?}"
                );
            }
        }
        let ready = e.get("/readyz");
        assert_eq!(ready.status, 503);
        assert!(ready.body.contains("staging"), "{}", ready.body);
        assert!(!ready.body.contains("prod"), "{}", ready.body);
        let one = e.get("/report.json?cluster=prod");
        assert_eq!(one.status, 200);
        let one: Value = serde_json::from_str(&one.body).unwrap();
        assert_eq!(one["source"]["name"], "prod");
        let all: Value = serde_json::from_str(&e.get("/report.json").body).unwrap();
        assert_eq!(all["kind"], "fleet");
        assert_eq!(all["summary"]["clusters"], 2);
        assert_eq!(all["clusters"][0]["status"], "read");
        assert_eq!(all["clusters"][1]["status"], "failed");
        assert_eq!(e.get("/report.json?cluster=nope").status, 404);
    })
    .await
    .unwrap();
    drop(kc);
}

#[test]
fn several_contexts_are_refused_where_they_cannot_apply() {
    // The dashboard of several clusters, like that of one, needs a terminal.
    let out = shipshape()
        .args(["--context", "a", "--context", "b"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the dashboard needs a terminal"),
        "{stderr}"
    );
    // Files have no contexts; serve follows a live cluster.
    let out = shipshape()
        .args(["check", "--all-contexts", "-f", "deploy/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("'--all-contexts' cannot be used with '--file"),
        "{stderr}"
    );
    let out = shipshape().args(["serve", "--demo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("serve follows a live cluster"));
}
