//! `--output json` follows the documented schema; its content is pinned by snapshots.

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn json_for(args: &[&str]) -> Value {
    let out = Command::cargo_bin("shipshape")
        .unwrap()
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", "/nonexistent")
        .args(args)
        .args(["-o", "json"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

/// Every field the README documents is there, with the documented types and values.
fn assert_schema(v: &Value) {
    assert_eq!(v["schema_version"], 1);
    for key in [
        "source",
        "cluster",
        "namespaces",
        "workloads",
        "objects",
        "alerts",
        "kinds",
        "unknown_kinds",
    ] {
        assert!(!v[key].is_null(), "missing {key}");
    }
    let results_ok = |results: &Value| {
        for r in results.as_array().unwrap() {
            for key in [
                "check",
                "category",
                "severity",
                "result",
                "container",
                "containers",
                "message",
                "fix",
                "waiver",
            ] {
                assert!(r.get(key).is_some(), "result lacks {key}: {r}");
            }
            assert!(["pass", "fail", "unknown", "n/a", "waived"]
                .contains(&r["result"].as_str().unwrap()));
            assert!(["critical", "warning", "info"].contains(&r["severity"].as_str().unwrap()));
            assert_eq!(
                r["fix"].is_string(),
                r["result"] == "fail",
                "fix only on failures: {r}"
            );
        }
    };
    for w in v["workloads"].as_array().unwrap() {
        for key in [
            "kind",
            "namespace",
            "name",
            "score",
            "grade",
            "health",
            "results",
        ] {
            assert!(w.get(key).is_some(), "workload lacks {key}");
        }
        assert!(
            ["failing", "degraded", "healthy", "unknown"].contains(&w["health"].as_str().unwrap())
        );
        results_ok(&w["results"]);
    }
    for o in v["objects"].as_array().unwrap() {
        results_ok(&o["results"]);
        // The cluster row's results name their readiness group; no other result has one.
        let cluster = o["kind"] == "Cluster";
        for r in o["results"].as_array().unwrap() {
            match r.get("group") {
                Some(g) => assert!(
                    cluster
                        && [
                            "observability",
                            "traffic",
                            "security",
                            "data",
                            "capacity",
                            "other"
                        ]
                        .contains(&g.as_str().unwrap()),
                    "{r}"
                ),
                None => assert!(!cluster, "a cluster result without a group: {r}"),
            }
        }
    }
    assert!(v["objects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["kind"] == "Cluster"));
    for a in v["alerts"].as_array().unwrap() {
        assert!(
            a["workload"]["name"].is_string(),
            "alerts name their workload: {a}"
        );
    }
}

#[test]
fn manifests_report_matches_schema_and_snapshot() {
    let v = json_for(&["check", "-f", &format!("{FIXTURES}/shop")]);
    assert_schema(&v);
    insta::assert_json_snapshot!("shop_manifests", v, {
        ".source.evaluated_at" => "[evaluated_at]",
        ".source.name" => "[fixtures]/shop",
    });
}

#[test]
fn demo_report_matches_schema_and_snapshot() {
    let v = json_for(&["check", "--demo"]);
    assert_schema(&v);
    assert!(v["alerts"].as_array().unwrap().len() >= 10);
    // The whole demo report is large; pin its verdicts: per-workload grades and health, the
    // rollups and every alert.
    let summary = serde_json::json!({
        "source": v["source"],
        "cluster": v["cluster"],
        "namespaces": v["namespaces"],
        "workloads": v["workloads"].as_array().unwrap().iter().map(|w| serde_json::json!({
            "workload": format!("{}/{}/{}", w["kind"].as_str().unwrap(), w["namespace"].as_str().unwrap(), w["name"].as_str().unwrap()),
            "score": w["score"], "grade": w["grade"], "health": w["health"],
            "failing": w["results"].as_array().unwrap().iter()
                .filter(|r| r["result"] == "fail").map(|r| r["check"].clone()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "alerts": v["alerts"],
    });
    insta::assert_json_snapshot!("demo", summary);
}
