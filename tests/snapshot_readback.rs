//! A snapshot reads back to the verdicts of its source, whatever the source: manifests, a
//! `kubectl get -o json` dump, a live cluster, the demo, another snapshot.
//!
//! `check -o json` of the source and of its snapshot are compared whole, except
//! `source.evaluated_at`: the source is graded at the time of the run, its snapshot at the
//! time it was captured (a few milliseconds earlier). `diff` of the two says nothing changed.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::apiserver::ApiServer;
use support::command::shipshape;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn corpus(dir: &str) -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(dir);
    p.is_dir().then(|| p.display().to_string())
}

fn run(args: &[String]) -> std::process::Output {
    let out = shipshape().args(args).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?} exited {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The report without the one field that must differ.
fn comparable(stdout: &[u8]) -> Value {
    let mut report: Value = serde_json::from_slice(stdout).expect("JSON on stdout");
    report["source"]
        .as_object_mut()
        .expect("source")
        .remove("evaluated_at");
    report
}

/// The first place two JSON values differ, for a readable failure.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                first_difference(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    &format!("{at}.{k}"),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{at}[{i}]"))),
        _ => (a != b).then(|| format!("{at}: {a} != {b}")),
    }
}

/// Snapshots the source, checks both, compares, and diffs. `source` are the source arguments
/// (`-f PATH`, `--demo`, `--kubeconfig K`). Returns the snapshot's path.
fn round_trip(source: &[String], dir: &Path, name: &str) -> PathBuf {
    let snap = dir.join(format!("{name}.yaml"));
    let mut args = strings(&["snapshot", "-o", snap.to_str().unwrap()]);
    args.extend_from_slice(source);
    run(&args);

    let mut args = strings(&["check", "-o", "json"]);
    args.extend_from_slice(source);
    let original = run(&args).stdout;
    let back = run(&strings(&[
        "check",
        "-o",
        "json",
        "-f",
        snap.to_str().unwrap(),
    ]))
    .stdout;
    let (a, b) = (comparable(&original), comparable(&back));
    if let Some(d) = first_difference(&a, &b, name) {
        panic!("{name}: the snapshot reads back differently: {d}");
    }

    let report = dir.join(format!("{name}.json"));
    std::fs::write(&report, &original).unwrap();
    let out = shipshape()
        .args([
            "diff",
            "--fail-on-regression",
            report.to_str().unwrap(),
            snap.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{name}: {text}");
    assert!(text.contains("No changes."), "{name}: {text}");
    snap
}

#[test]
fn manifests_read_back_as_manifests() {
    let dir = tempfile::tempdir().unwrap();
    // Removed API versions, an unknown kind, objects without a namespace.
    let shop = format!("{FIXTURES}/shop");
    let snap = round_trip(&strings(&["-f", &shop]), dir.path(), "shop");
    let text = std::fs::read_to_string(&snap).unwrap();
    assert!(text.contains("from_manifests: true"), "{text}");
    // With --partial, kinds not in the input stay unknown.
    round_trip(&strings(&["-f", &shop, "--partial"]), dir.path(), "partial");
    for (name, path) in [
        ("voting", "example-voting-app/k8s-specifications"),
        ("podinfo", "podinfo/deploy/webapp"),
    ] {
        match corpus(path) {
            Some(p) => {
                round_trip(&strings(&["-f", &p]), dir.path(), name);
            }
            None => eprintln!("../shared/corpus is absent; {path} not checked"),
        }
    }
}

#[test]
fn a_kubectl_dump_reads_back_as_a_dump() {
    let dir = tempfile::tempdir().unwrap();
    let list = shipshape::synthetic::demo_as_kubectl_list();
    let dump = dir.path().join("dump.json");
    std::fs::write(&dump, serde_json::to_string(&list).unwrap()).unwrap();
    let snap = round_trip(
        &strings(&["-f", dump.to_str().unwrap()]),
        dir.path(),
        "dump",
    );
    // A snapshot of the snapshot reads back the same too.
    round_trip(
        &strings(&["-f", snap.to_str().unwrap()]),
        dir.path(),
        "again",
    );
}

#[test]
fn the_demo_reads_back_as_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    round_trip(&strings(&["--demo"]), dir.path(), "demo");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_capture_reads_back_as_a_cluster() {
    let server = ApiServer::start().await;
    for object in shipshape::source::demo::demo_model().stores.objects() {
        server.apply(object.to_json());
    }
    server.forbid("resourcequotas");
    server.unserve("priorityclasses");
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let path = dir.path().to_path_buf();
    let snap = tokio::task::spawn_blocking(move || {
        round_trip(
            &strings(&["--kubeconfig", kubeconfig.to_str().unwrap()]),
            &path,
            "live",
        )
    })
    .await
    .unwrap();
    let text = std::fs::read_to_string(&snap).unwrap();
    assert!(text.contains("from_manifests: false"), "{text}");
    assert!(
        text.contains("kind: PriorityClass"),
        "unserved kind not recorded"
    );
}
