//! The real binary against an API server on loopback, through a generated kubeconfig.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use support::apiserver::ApiServer;
use support::command::shipshape;

/// Runs the binary off the async runtime, so the server keeps serving meanwhile.
async fn run(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || shipshape().args(&args).output().unwrap())
        .await
        .unwrap()
}

/// Serves every object of the demo cluster.
async fn demo_server() -> ApiServer {
    let server = ApiServer::start().await;
    for object in shipshape::source::demo::demo_model().stores.objects() {
        server.apply(object.to_json());
    }
    server
}

fn args(list: &[&str], kubeconfig: &Path) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.push("--kubeconfig".into());
    v.push(kubeconfig.display().to_string());
    v
}

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Workload → (grade, every non-health check → result).
fn verdicts(report: &Value) -> BTreeMap<String, (String, BTreeMap<String, String>)> {
    report["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let key = format!("{}/{}/{}", w["kind"], w["namespace"], w["name"]);
            let results = w["results"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["category"] != "health")
                .map(|r| {
                    (
                        r["check"].as_str().unwrap().to_string(),
                        r["result"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (key, (w["grade"].to_string(), results))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_grades_what_the_server_serves() {
    let server = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let live = json(&run(args(&["check", "-o", "json"], &kubeconfig)).await);
    let demo = json(
        &run(vec![
            "check".into(),
            "--demo".into(),
            "-o".into(),
            "json".into(),
        ])
        .await,
    );
    assert_eq!(live["source"]["name"], "loopback");
    assert_eq!(live["source"]["type"], "cluster");
    let (live_v, demo_v) = (verdicts(&live), verdicts(&demo));
    assert_eq!(
        live_v.keys().collect::<Vec<_>>(),
        demo_v.keys().collect::<Vec<_>>(),
        "the same workloads"
    );
    for (key, (_, results)) in &live_v {
        for (check, result) in results {
            // The demo's cluster facts (server version) differ from the loopback server's;
            // everything that is about the workload itself must agree.
            assert_eq!(
                Some(result),
                demo_v[key].1.get(check),
                "{key} {check}: live {result}"
            );
        }
    }
    // Every kind listed; none forbidden.
    assert_eq!(
        live["kinds"]["synced"].as_array().unwrap().len(),
        shipshape::cluster::Kind::ALL.len(),
        "{}",
        live["kinds"]
    );
    // Only reads.
    assert!(server
        .requests()
        .iter()
        .all(|r| r.method == hyper::Method::GET));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_reads_back_exactly() {
    let server = demo_server().await;
    server.forbid("resourcequotas");
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let file = dir.path().join("prod.yaml");
    let out = run(args(
        &["snapshot", "-o", file.to_str().unwrap()],
        &kubeconfig,
    ))
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(note.contains("1 forbidden"), "{note}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("kind: Snapshot"));
    // Secrets are metadata only: the demo's Secret payloads never reach the file.
    assert!(
        !text.contains("\ndata:") && !text.contains(" data:"),
        "payload in snapshot"
    );

    let live = json(&run(args(&["check", "-o", "json"], &kubeconfig)).await);
    let back = json(
        &run(vec![
            "check".into(),
            "-o".into(),
            "json".into(),
            "--file".into(),
            file.display().to_string(),
        ])
        .await,
    );
    assert_eq!(verdicts(&live), verdicts(&back));
    assert_eq!(live["kinds"], back["kinds"]);
    assert_eq!(
        back["kinds"]["forbidden"],
        serde_json::json!(["ResourceQuota"])
    );
    assert_eq!(live["cluster"]["grade"], back["cluster"]["grade"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_problems_are_one_sentence_and_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    // A server that is not there.
    let kubeconfig = {
        let server = ApiServer::start().await;
        let path = server.kubeconfig(dir.path());
        drop(server);
        path
    };
    let started = std::time::Instant::now();
    let out = run(args(&["check"], &kubeconfig)).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("shipshape: error: cannot reach the API server of \"loopback\""),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(started.elapsed().as_secs() < 30, "no hang");

    let out = run(args(&["check", "--context", "nope"], &kubeconfig)).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("context \"nope\" is not in the kubeconfig; known contexts: loopback"),
        "{err}"
    );

    let missing = dir.path().join("missing");
    let out = run(args(&["check"], &missing)).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read kubeconfig"), "{err}");
}
