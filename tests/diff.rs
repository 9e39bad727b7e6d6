//! `shipshape diff` on snapshots of the demo cluster with known edits reports exactly those
//! changes; bad input is an error, exit 2.

use assert_cmd::Command;
use serde_json::{json, Value};
use shipshape::config::Config;
use shipshape::report::diff::{compare, report_of, DiffError};
use shipshape::source::demo::demo_model;
use shipshape::source::snapshot::Snapshot;

fn shipshape() -> Command {
    let mut c = Command::cargo_bin("shipshape").unwrap();
    c.env_remove("XDG_CONFIG_HOME")
        .env("HOME", "/nonexistent")
        .env("NO_COLOR", "1");
    c
}

fn snapshot_yaml(edit: impl FnOnce(&mut Vec<Value>)) -> String {
    let mut snap = Snapshot::of(&demo_model());
    edit(&mut snap.items);
    serde_norway::to_string(&snap).unwrap()
}

fn named(item: &Value, kind: &str, name: &str) -> bool {
    item["kind"] == kind && item["metadata"]["name"] == name
}

/// The demo with four known changes: a CronJob (and its Jobs and pods) removed, storefront's
/// readiness probe dropped, catalog's first pod crash-looping, a new Deployment added.
fn edited(items: &mut Vec<Value>) {
    items.retain(|i| {
        !i["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .starts_with("nightly-report")
    });
    let storefront = items
        .iter_mut()
        .find(|i| named(i, "Deployment", "storefront"))
        .unwrap();
    for c in storefront["spec"]["template"]["spec"]["containers"]
        .as_array_mut()
        .unwrap()
    {
        c.as_object_mut().unwrap().remove("readinessProbe");
    }
    let mut canary = storefront.clone();
    canary["metadata"]["name"] = json!("storefront-canary");
    canary.as_object_mut().unwrap().remove("status");
    items.push(canary);
    let pod = items
        .iter_mut()
        .find(|i| {
            i["kind"] == "Pod"
                && i["metadata"]["name"]
                    .as_str()
                    .unwrap()
                    .starts_with("catalog-")
                && i["status"]["phase"] == "Running"
        })
        .unwrap();
    let status = &mut pod["status"]["containerStatuses"][0];
    status["ready"] = json!(false);
    status["restartCount"] = json!(3);
    status["state"] = json!({"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"}});
}

fn workload_names(list: &[(shipshape::report::diff::Key, bool, impl Sized)]) -> Vec<String> {
    list.iter()
        .filter(|(_, w, _)| *w)
        .map(|(k, _, _)| format!("{}/{}/{}", k.0, k.1, k.2))
        .collect()
}

#[test]
fn known_edits_are_exactly_what_changed() {
    let config = Config::default();
    let old = report_of(&snapshot_yaml(|_| {}), "old.yaml", &config).unwrap();
    let new = report_of(&snapshot_yaml(edited), "new.yaml", &config).unwrap();
    let changes = compare(&old, &new);

    assert_eq!(
        workload_names(&changes.added),
        ["Deployment/shop/storefront-canary"]
    );
    assert_eq!(
        workload_names(&changes.removed),
        ["CronJob/batch/nightly-report"]
    );
    let changed: Vec<_> = changes.changed.iter().filter(|c| c.workload).collect();
    let names: Vec<&str> = changed.iter().map(|c| c.key.2.as_str()).collect();
    assert_eq!(names, ["catalog", "storefront"]);

    let catalog = changed[0];
    assert_eq!(
        catalog
            .new_alerts
            .iter()
            .map(|f| f.check.as_str())
            .collect::<Vec<_>>(),
        ["health.crash-loop"]
    );
    assert_eq!(catalog.new.health.as_deref(), Some("failing"));
    assert!(catalog.health_worse() && catalog.newly_failing.is_empty());

    let storefront = changed[1];
    let newly: Vec<&str> = storefront
        .newly_failing
        .iter()
        .map(|f| f.check.as_str())
        .collect();
    assert_eq!(newly, ["probe.readiness"]);
    assert!(storefront.fixed.is_empty() && storefront.new_alerts.is_empty());
    assert_eq!(
        (
            storefront.old.grade.as_deref(),
            storefront.new.grade.as_deref()
        ),
        (Some("A"), Some("C")),
        "a failing critical check caps the grade at C"
    );
    assert!(storefront.grade_dropped() && changes.regressed());

    // Reversed, the same edits read as fixes and removals, and nothing got worse but the
    // removed CronJob coming back.
    let back = compare(&new, &old);
    assert_eq!(
        workload_names(&back.removed),
        ["Deployment/shop/storefront-canary"]
    );
    let storefront = back
        .changed
        .iter()
        .find(|c| c.key.2 == "storefront")
        .unwrap();
    assert_eq!(storefront.fixed[0].check, "probe.readiness");
    assert!(!storefront.regressed());
    assert!(back
        .changed
        .iter()
        .filter(|c| c.workload)
        .all(|c| !c.regressed()));

    // Identical states: nothing changed.
    let same = compare(&old, &old);
    assert!(same.added.is_empty() && same.removed.is_empty() && same.changed.is_empty());
    assert!(!same.regressed());
}

#[test]
fn command_line_diff_of_snapshot_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    std::fs::write(&old, snapshot_yaml(|_| {})).unwrap();
    std::fs::write(&new, snapshot_yaml(edited)).unwrap();
    // A JSON report on one side, a snapshot on the other.
    let out = shipshape()
        .args(["report", "--format", "json", "-f"])
        .arg(&old)
        .assert()
        .success();
    let old_json = dir.path().join("old.json");
    std::fs::write(&old_json, &out.get_output().stdout).unwrap();

    let out = shipshape()
        .arg("diff")
        .arg(&old_json)
        .arg(&new)
        .assert()
        .success();
    let table = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        table.contains("+ added    Deployment shop/storefront-canary"),
        "{table}"
    );
    assert!(
        table.contains("- removed  CronJob batch/nightly-report"),
        "{table}"
    );
    assert!(
        table.contains("▼ worse    Deployment shop/storefront"),
        "{table}"
    );
    assert!(table.contains("+ failing  ✖ probe.readiness"), "{table}");
    assert!(
        table.contains("+ alert    ✖ CrashLoopBackOff (health.crash-loop)"),
        "{table}"
    );

    let out = shipshape()
        .args(["diff", "--fail-on-regression", "-o", "json"])
        .arg(&old)
        .arg(&new)
        .assert()
        .code(1);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["regressed"], true);
    assert_eq!(v["added"][0]["name"], "storefront-canary");
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.starts_with("shipshape: regression: got worse:"),
        "{err}"
    );

    let out = shipshape()
        .args(["diff", "--fail-on-regression", "-o", "markdown"])
        .arg(&new)
        .arg(&old)
        .assert()
        .success(); // fixes, a removal, and a healthy CronJob coming back: nothing got worse
    let md = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(md.starts_with("# What changed:"), "{md}");
    assert!(md.contains("- fixed `probe.readiness`"), "{md}");

    shipshape()
        .args(["diff", "--fail-on-regression"])
        .arg(&old)
        .arg(&old)
        .assert()
        .success()
        .stdout(predicates::str::contains("No changes."));
}

#[test]
fn only_snapshots_and_reports_compare() {
    let config = Config::default();
    let e = report_of(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        "web.yaml",
        &config,
    )
    .unwrap_err();
    assert!(matches!(e, DiffError::NotComparable { .. }));
    assert!(e
        .to_string()
        .starts_with("web.yaml: this is a Deployment (apps/v1), not a snapshot or a JSON report"));
    let e = report_of(
        "{\"schema_version\": 7, \"workloads\": []}",
        "r.json",
        &config,
    )
    .unwrap_err();
    assert!(matches!(e, DiffError::Schema { .. }), "{e}");
    assert!(report_of("", "e.json", &config).is_err());
    assert!(report_of("{oops", "bad.json", &config).is_err());

    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap.yaml");
    std::fs::write(&snap, snapshot_yaml(|_| {})).unwrap();
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/shop/web.yaml");
    let out = shipshape()
        .arg("diff")
        .arg(&snap)
        .arg(manifest)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("not a snapshot or a JSON report"), "{err}");
    assert_eq!(err.lines().count(), 1);
    shipshape()
        .arg("diff")
        .arg(&snap)
        .arg(dir.path().join("missing.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("missing.json: no such file"));
}
