//! A command's load hands each object to the model as it is read (`load_with_notes`); the
//! model it builds is the one the messages of `load` build, whatever the input: every corpus
//! file, dumps with and without their controllers, snapshots, YAML streams, and input the
//! stream leaves to the whole-text reader after taking objects in.

mod support;

use shipshape::config::Config;
use shipshape::engine::model_of;
use shipshape::grade::grade_all;
use shipshape::source::snapshot::Snapshot;
use shipshape::source::{load, load_with_notes, LoadOptions};
use std::path::PathBuf;
use support::corpus::{corpus, files};

/// Everything a model holds that a command shows: its objects, facts and sync states as a
/// snapshot writes them, where each object was defined, and the JSON report of its grades.
fn fingerprint(mut model: shipshape::cluster::ClusterModel) -> String {
    let model = &mut model;
    let mut snapshot = Vec::new();
    shipshape::report::json_text::write_pretty(&mut snapshot, &Snapshot::writing(model)).unwrap();
    let mut snapshot: serde_json::Value = serde_json::from_slice(&snapshot).unwrap();
    // When the snapshot was written.
    snapshot.as_object_mut().unwrap().remove("capturedAt");
    let mut out = serde_json::to_vec_pretty(&snapshot).unwrap();
    let mut origins: Vec<String> = model
        .origins
        .iter()
        .map(|(k, o)| format!("{k:?} {}:{}", o.file, o.line))
        .collect();
    origins.sort();
    out.extend(origins.join("\n").bytes());
    out.extend(format!("{:?}", model.removed_api_objects).bytes());
    out.extend(format!("{:?}", model.unknown_kinds).bytes());
    // Files carry no clock of their own: both gradings measure ages against the same time.
    model
        .clock
        .get_or_insert_with(|| "2026-12-07T09:00:00Z".parse().unwrap());
    let grades = grade_all(model, &Config::default());
    shipshape::report::json::write(model, &grades, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// A `kubectl get -A -o json` dump of `pods` pods shaped as a real API server returns them.
fn kubectl_dump(pods: usize) -> serde_json::Value {
    let mut text = Vec::new();
    shipshape::synthetic::write_kubectl_dump(&mut text, pods).unwrap();
    serde_json::from_slice(&text).unwrap()
}

/// The same model both ways, or the same error both ways.
fn same_both_ways(paths: &[PathBuf], options: &LoadOptions) -> bool {
    let by_msgs = load(paths, options).map(model_of);
    let by_model = load_with_notes(paths, options).map(|l| l.model);
    match (by_msgs, by_model) {
        (Ok(a), Ok(b)) => {
            let (a, b) = (fingerprint(a), fingerprint(b));
            if let Some((i, (x, y))) = a
                .lines()
                .zip(b.lines())
                .enumerate()
                .find(|(_, (x, y))| x != y)
            {
                panic!("{paths:?}: line {i}: {x:?} by messages, {y:?} into the model");
            }
            assert_eq!(a.len(), b.len(), "{paths:?}");
            true
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "{paths:?}");
            false
        }
        (a, b) => panic!(
            "{paths:?}: {:?} by messages, {:?} into the model",
            a.err(),
            b.err()
        ),
    }
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn every_corpus_file_builds_the_same_model() {
    let Some(root) = corpus() else {
        eprintln!("../shared/corpus is absent; nothing to check");
        return;
    };
    let mut all = Vec::new();
    files(&root, &mut all);
    let loaded = all
        .iter()
        .filter(|p| same_both_ways(std::slice::from_ref(p), &LoadOptions::default()))
        .count();
    assert!(loaded > 500, "{loaded} of {}", all.len());
}

#[test]
fn dumps_with_and_without_their_controllers_build_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let list = kubectl_dump(40);
    let items = list["items"].as_array().unwrap().clone();
    let without = |kinds: &[&str]| {
        let mut l = list.clone();
        l["items"] = items
            .iter()
            .filter(|i| !kinds.contains(&i["kind"].as_str().unwrap_or_default()))
            .cloned()
            .collect();
        serde_json::to_string_pretty(&l).unwrap()
    };
    let cases = [
        ("whole.json", serde_json::to_string_pretty(&list).unwrap()),
        ("no-deployments.json", without(&["Deployment"])),
        ("no-replicasets.json", without(&["ReplicaSet"])),
        ("pods-only.json", without(&["Deployment", "ReplicaSet"])),
    ];
    for (name, text) in cases {
        let path = write(dir.path(), name, &text);
        assert!(same_both_ways(
            std::slice::from_ref(&path),
            &LoadOptions::default()
        ));
        let whole = LoadOptions {
            whole: true,
            ..LoadOptions::default()
        };
        assert!(same_both_ways(&[path], &whole));
    }
    // Some pods' controllers are in another file read later.
    let pods = write(dir.path(), "pods.json", &without(&["Deployment"]));
    let controllers = write(
        dir.path(),
        "deployments.yaml",
        &items
            .iter()
            .filter(|i| i["kind"] == "Deployment")
            .map(|i| serde_norway::to_string(i).unwrap())
            .collect::<Vec<_>>()
            .join("---\n"),
    );
    assert!(same_both_ways(
        &[pods, controllers],
        &LoadOptions::default()
    ));
}

#[test]
fn a_snapshot_builds_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "cluster.json",
        &serde_json::to_string_pretty(&kubectl_dump(10)).unwrap(),
    );
    let model = load_with_notes(&[path], &LoadOptions::default())
        .unwrap()
        .model;
    let mut text = Vec::new();
    shipshape::report::json_text::write_pretty(&mut text, &Snapshot::writing(&model)).unwrap();
    let snapshot = write(
        dir.path(),
        "snapshot.json",
        &String::from_utf8(text).unwrap(),
    );
    assert!(same_both_ways(&[snapshot], &LoadOptions::default()));
}

/// A List whose envelope turns out not to be a List, or whose later item is invalid, has had
/// items taken into the model when the stream gives up: the load starts over with the
/// whole-text reader, and the model or the error is the one that reader gives.
#[test]
fn input_the_stream_leaves_after_taking_objects_in_is_read_again_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let pod = |name: &str| {
        format!(
            r#"{{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": "{name}", "namespace": "shop"}}, "spec": {{"containers": [{{"name": "app", "image": "example/app:1.0"}}]}}}}"#
        )
    };
    let list = |items: &[String], kind: &str| {
        format!(
            "{{\n\"apiVersion\": \"v1\",\n\"items\": [\n{}\n],\n\"kind\": \"{kind}\"\n}}\n",
            items.join(",\n")
        )
    };
    // A key written twice in the third item: refused, with the item's place and line.
    let mut items = vec![pod("a"), pod("b"), pod("c")];
    items[2] = items[2].replace(r#""name": "c""#, r#""name": "c", "name": "d""#);
    let invalid = write(dir.path(), "invalid.json", &list(&items, "List"));
    assert!(!same_both_ways(
        std::slice::from_ref(&invalid),
        &LoadOptions::default()
    ));
    let err = load_with_notes(&[invalid], &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid.json:6:"), "{err}");
    assert!(err.contains("duplicate key `name`"), "{err}");
    // The same in a file big enough to be converted on several threads.
    let mut items: Vec<String> = (0..8_000).map(|i| pod(&format!("p{i}"))).collect();
    items[5_000] = items[5_000].replace("example/app:1.0", "example/app:1.0\", \"image\": \"x");
    let big = write(dir.path(), "big.json", &list(&items, "List"));
    assert!(std::fs::metadata(&big).unwrap().len() > 1 << 20);
    assert!(!same_both_ways(
        std::slice::from_ref(&big),
        &LoadOptions::default()
    ));
    let err = load_with_notes(&[big], &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("big.json:5004:"), "{err}");
    assert!(err.contains("duplicate key `image`"), "{err}");
    // A PodList is read as its items, both ways.
    let pod_list = write(
        dir.path(),
        "pods.json",
        &list(&[pod("a"), pod("b")], "PodList"),
    );
    assert!(same_both_ways(&[pod_list], &LoadOptions::default()));
    // Not a List, though it has items: the whole-text reader says what it is.
    let odd = write(dir.path(), "odd.json", &list(&[pod("a"), pod("b")], "Odd"));
    same_both_ways(std::slice::from_ref(&odd), &LoadOptions::default());
    // Read again whole, nothing taken in before counts twice: no object "redefines" itself.
    if let Ok(loaded) = load_with_notes(&[odd], &LoadOptions::default()) {
        assert!(
            loaded.notes.iter().all(|n| !n.contains("redefines")),
            "{:?}",
            loaded.notes
        );
    }
}

#[test]
fn yaml_streams_and_directories_build_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let list = kubectl_dump(8);
    let docs: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| serde_norway::to_string(i).unwrap())
        .collect();
    let stream = write(dir.path(), "all.yaml", &docs.join("---\n"));
    assert!(same_both_ways(&[stream], &LoadOptions::default()));
    let sub = dir.path().join("manifests");
    std::fs::create_dir(&sub).unwrap();
    for (i, doc) in docs.iter().enumerate() {
        write(&sub, &format!("{i:03}.yaml"), doc);
    }
    assert!(same_both_ways(&[sub], &LoadOptions::default()));
}
