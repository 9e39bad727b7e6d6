//! The real binary: exit codes, messages, and what never appears in output.

mod support;

use predicates::prelude::*;
use support::command::shipshape;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(p: &str) -> String {
    format!("{FIXTURES}/{p}")
}

/// Values planted in the fixtures that must never be printed.
const SECRETS: &[&str] = &[
    "c3VwZXJzZWNyZXQtZGItcGFzc3dvcmQ=",
    "plain-text-token-value",
    "hunter2-literal-password",
    "MIIEowIBAAKCAQEAsecretkeymaterial",
];

#[test]
fn check_prints_a_table_and_exits_zero() {
    let out = shipshape()
        .args(["check", "-f", &fixture("shop")])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("shop · score"), "{text}");
    assert!(text.contains("admin"), "{text}");
    assert!(text.contains("Summary: cluster"), "{text}");
    assert!(
        text.contains(
            "Not graded: 1 object of kinds shipshape does not model: Widget (example.com/v1)"
        ),
        "{text}"
    );
}

#[test]
fn secrets_never_appear_in_any_output() {
    for format in ["table", "json"] {
        let out = shipshape()
            .args(["check", "-f", &fixture("shop"), "-o", format])
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        for s in SECRETS {
            assert!(!text.contains(s), "{format} output leaks {s}");
        }
        // The finding is still there, by name.
        assert!(
            text.contains("ADMIN_PASSWORD") || format == "table",
            "{text}"
        );
    }
}

#[test]
fn fail_on_critical_exits_one() {
    shipshape()
        .args(["check", "-f", &fixture("shop"), "--fail-on", "critical"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("gate failed"));
    // The well-configured storefront alone has no critical failure.
    shipshape()
        .args([
            "check",
            "-f",
            &fixture("shop/web.yaml"),
            "-f",
            &fixture("shop/namespace.yaml"),
            "--fail-on",
            "critical",
        ])
        .assert()
        .success();
}

#[test]
fn fail_under_compares_the_cluster_score() {
    shipshape()
        .args(["check", "-f", &fixture("shop"), "--fail-under", "100"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is below 100"));
    shipshape()
        .args(["check", "-f", &fixture("shop"), "--fail-under", "0"])
        .assert()
        .success();
    shipshape()
        .args(["check", "-f", &fixture("shop"), "--fail-under", "101"])
        .assert()
        .code(2);
}

fn error_for(args: &[&str]) -> String {
    let out = shipshape().args(args).assert().code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
    assert!(
        out.get_output().stdout.is_empty(),
        "nothing on stdout for an input error"
    );
    stderr
}

#[test]
fn bad_input_is_one_clear_error_with_exit_two() {
    let e = error_for(&["check", "-f", &fixture("bad/empty.yaml")]);
    assert!(e.contains("bad/empty.yaml: the file is empty"), "{e}");

    let e = error_for(&["check", "-f", &fixture("bad/malformed.yaml")]);
    assert!(e.contains("bad/malformed.yaml:"), "{e}");
    assert!(e.contains("invalid YAML"), "{e}");

    let e = error_for(&["check", "-f", &fixture("bad/malformed.json")]);
    assert!(e.contains("bad/malformed.json:2: invalid JSON"), "{e}");

    let e = error_for(&["check", "-f", &fixture("bad/nokind.yaml")]);
    assert!(
        e.contains("bad/nokind.yaml:6: object `nokind` has no `kind`"),
        "{e}"
    );

    let e = error_for(&["check", "-f", &fixture("bad/helm-template.yaml")]);
    assert!(
        e.contains("bad/helm-template.yaml:4: this looks like a Helm template"),
        "{e}"
    );
    assert!(e.contains("helm template"), "{e}");

    let e = error_for(&["check", "-f", &fixture("bad/binary.yaml")]);
    assert!(e.contains("cannot read: not UTF-8 text"), "{e}");

    let e = error_for(&["check", "-f", &fixture("does/not/exist.yaml")]);
    assert!(
        e.contains("does/not/exist.yaml: no such file or directory"),
        "{e}"
    );

    let e = error_for(&["check", "-f", &fixture("empty-dir")]);
    assert!(e.contains("empty-dir: no manifests found"), "{e}");

    // No --file: a cluster, but there is no kubeconfig and no in-cluster account.
    let e = error_for(&["check"]);
    assert!(e.contains("no kubeconfig found"), "{e}");
    assert!(e.contains("pass --file or --demo"), "{e}");

    let e = error_for(&["check", "-f", &fixture("shop"), "-n", "a", "-n", "b"]);
    assert!(e.contains("pass it once"), "{e}");
}

#[test]
fn templated_values_inside_valid_yaml_are_just_data() {
    shipshape()
        .args(["check", "-f", &fixture("shop-templated-configmap.yaml")])
        .assert()
        .success();
}

#[test]
fn stdin_is_read_with_a_dash() {
    let text = std::fs::read_to_string(fixture("shop/web.yaml")).unwrap();
    shipshape()
        .args(["check", "-f", "-", "-o", "json"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"name\": \"web\""));
}

/// A file read again whole after its stream gave up (here: a List whose `kind` is not a List)
/// does not read standard input a second time: what was read from it the first time counts.
#[test]
fn stdin_counts_once_when_a_file_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("odd.json");
    let pod = |name: &str| {
        format!(
            r#"{{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": "{name}", "namespace": "batch"}}, "spec": {{"containers": [{{"name": "app", "image": "example/app:1.0"}}]}}}}"#
        )
    };
    std::fs::write(
        &odd,
        format!(
            "{{\"apiVersion\": \"v1\", \"items\": [{}, {}], \"kind\": \"Odd\"}}",
            pod("a"),
            pod("b")
        ),
    )
    .unwrap();
    let text = std::fs::read_to_string(fixture("shop/web.yaml")).unwrap();
    let out = shipshape()
        .args(["check", "-f", "-", "-f"])
        .arg(&odd)
        .args(["-o", "json"])
        .write_stdin(text)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Whatever the whole-text reader makes of the odd file, standard input is not empty to it.
    assert!(!stderr.contains("<stdin>: the file is empty"), "{stderr}");
    assert!(!stderr.contains("redefines"), "{stderr}");
    assert!(out.status.code() != Some(2), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"name\": \"web\""), "{stdout}");
}

#[test]
fn invalid_config_names_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "[thresholds]\nrestarts = 5\npending-minutes = \"ten\"\n",
    )
    .unwrap();
    let e = error_for(&[
        "check",
        "-f",
        &fixture("shop"),
        "--config",
        path.to_str().unwrap(),
    ]);
    assert!(e.contains("config.toml:3:"), "{e}");
    assert!(e.contains("invalid config"), "{e}");
}

#[test]
fn default_config_is_read_from_xdg_config_home() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("shipshape")).unwrap();
    std::fs::write(
        dir.path().join("shipshape/config.toml"),
        "[[waivers]]\ncheck = \"*\"\nreason = \"accepted risk\"\n",
    )
    .unwrap();
    let out = shipshape()
        .env("XDG_CONFIG_HOME", dir.path())
        .args([
            "check",
            "-f",
            &fixture("shop"),
            "-o",
            "json",
            "--fail-on",
            "warning",
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let results = v["workloads"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(
        |r| r["result"] == "waived" && r["waiver"].as_str().unwrap().contains("accepted risk")
    ));
}

#[test]
fn explain_and_checks() {
    shipshape()
        .args(["explain", "probe.readiness"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Why it matters"))
        .stdout(predicate::str::contains("readinessProbe:"));
    let e = error_for(&["explain", "probe.readyness"]);
    assert!(e.contains("did you mean"), "{e}");
    let out = shipshape()
        .args(["checks", "-o", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "probe.readiness"));
}

#[test]
fn version_names_the_kubernetes_api() {
    shipshape()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("Kubernetes API 1.37"));
}
