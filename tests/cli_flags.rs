//! The command line as kubectl users expect it: global flags on either side of the
//! subcommand, namespace names checked, `-n` honoured by the demo, `NO_COLOR` read one way,
//! and messages that say what is wrong.

mod support;

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Read;
use std::time::{Duration, Instant};
use support::command::shipshape;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn run(args: &[&str]) -> (i32, String, String) {
    let out = shipshape().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn namespaces_of(json: &str) -> BTreeSet<String> {
    let v: Value = serde_json::from_str(json).unwrap();
    v["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["namespace"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn global_flags_work_before_the_subcommand() {
    let shop = format!("{FIXTURES}/shop");
    let after = run(&["check", "-f", &shop, "-o", "json"]);
    let before = run(&["-f", &shop, "check", "-o", "json"]);
    assert_eq!(after.0, 0, "{}", after.2);
    assert_eq!(before.0, 0, "{}", before.2);
    assert_eq!(namespaces_of(&before.1), namespaces_of(&after.1));

    for args in [
        ["--demo", "-n", "shop", "check", "-o", "json"],
        ["-n", "shop", "check", "--demo", "-o", "json"],
        ["check", "-o", "json", "--demo", "-n", "shop"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(
            namespaces_of(&out),
            BTreeSet::from(["shop".to_string()]),
            "{args:?}"
        );
    }

    // A kubeconfig and a context given first reach the cluster connection.
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("config");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\ncurrent-context: a\nusers:\n- name: u\n  user: {token: t}\n",
    )
    .unwrap();
    let kc = kubeconfig.to_str().unwrap();
    let (code, _, err) = run(&["--kubeconfig", kc, "--context", "nope", "check"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("context \"nope\" is not in the kubeconfig"),
        "{err}"
    );
    let (code, _, err) = run(&["--kubeconfig", "/nonexistent/kubeconfig", "report"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/nonexistent/kubeconfig"), "{err}");

    // A theme given first reaches the dashboard (and is read before the terminal is needed).
    let (code, _, err) = run(&["--theme", "/nonexistent/theme.toml", "demo"]);
    assert_eq!(code, 2);
    assert!(err.contains("theme"), "{err}");

    // Without a subcommand, still the dashboard.
    let (code, _, err) = run(&["-f", &shop]);
    assert_eq!(code, 2);
    assert!(err.contains("the dashboard needs a terminal"), "{err}");
}

#[test]
fn flags_that_cannot_apply_are_refused_not_ignored() {
    let shop = format!("{FIXTURES}/shop");
    for (args, says) in [
        (
            vec!["-f", &shop, "explain", "probe.readiness"],
            "--file does not apply to `shipshape explain`",
        ),
        (
            vec!["-n", "shop", "checks"],
            "--namespace does not apply to `shipshape checks`",
        ),
        (
            vec!["--kubeconfig", "k", "--context", "c", "man"],
            "--kubeconfig, --context do not apply to `shipshape man`",
        ),
        (
            vec!["-f", &shop, "demo"],
            "--file does not apply to `shipshape demo`",
        ),
        // Sources that clap cannot see conflict across the subcommand.
        (
            vec!["--kubeconfig", "k", "check", "-f", &shop],
            "--kubeconfig names a cluster, but --file grades files",
        ),
        (
            vec!["--demo", "check", "-f", &shop],
            "--demo and --file name two sources",
        ),
        (
            vec!["--context", "c", "check", "--demo"],
            "--context names a cluster, but --demo grades the embedded demo",
        ),
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one sentence: {err}");
    }
}

#[test]
fn namespace_names_are_checked() {
    let shop = format!("{FIXTURES}/shop");
    let (code, _, err) = run(&["check", "-f", &shop, "-n", ""]);
    assert_eq!(code, 2);
    assert!(err.contains("-n: the namespace name is empty"), "{err}");
    for bad in ["Shop", "shop_eu", "-shop", "shop-", "a.b", &"x".repeat(64)] {
        for args in [
            vec!["check", "-f", &shop, &format!("--namespace={bad}")],
            vec!["check", "--demo", &format!("--namespace={bad}")],
            // A cluster: refused before any connection is tried.
            vec!["check", &format!("--namespace={bad}")],
        ] {
            let (code, _, err) = run(&args);
            assert_eq!(code, 2, "{args:?}");
            assert!(
                err.contains(&format!("-n: `{bad}` is not a namespace name")),
                "{args:?}: {err}"
            );
        }
    }
    let (code, out, err) = run(&["check", "-f", &shop, "-n", "x", "-o", "json"]);
    assert_eq!(code, 0, "{err}: {out}");
}

#[test]
fn the_demo_honours_namespaces() {
    let (code, out, err) = run(&["check", "--demo", "-n", "shop", "-n", "data", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        namespaces_of(&out),
        BTreeSet::from(["data".to_string(), "shop".to_string()])
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["source"]["name"]
            .as_str()
            .unwrap()
            .ends_with("(namespaces shop, data)"),
        "{}",
        v["source"]
    );
    // Alerts come only from the namespaces shown.
    for a in v["alerts"].as_array().unwrap() {
        let ns = a["workload"]["namespace"].as_str().unwrap();
        assert!(ns == "shop" || ns == "data", "{a}");
    }
    let (code, _, err) = run(&["check", "--demo", "-n", "nope"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("-n: the demo has no namespace `nope`; its namespaces are"),
        "{err}"
    );
    assert!(err.contains("shop"), "{err}");
}

#[test]
fn a_missing_config_file_says_so_without_a_line_number() {
    let (code, _, err) = run(&["check", "--demo", "--config", "/nonexistent/shipshape.toml"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "shipshape: error: config /nonexistent/shipshape.toml: no such file\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["check", "--demo", "--config", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(!err.contains(":0:"), "{err}");
    assert!(err.contains("cannot read the config file"), "{err}");
}

/// `check` in a terminal with NO_COLOR set to `value` (None: unset): whether the table is
/// coloured.
fn coloured_in_a_terminal(no_color: Option<&str>) -> bool {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 50,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_shipshape"));
    cmd.args(["check", "--demo"]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", "/nonexistent");
    cmd.env_remove("XDG_CONFIG_HOME");
    // The builder would otherwise start in $HOME.
    cmd.cwd(env!("CARGO_MANIFEST_DIR"));
    match no_color {
        Some(v) => cmd.env("NO_COLOR", v),
        None => cmd.env_remove("NO_COLOR"),
    }
    let mut child = pty.slave.spawn_command(cmd).expect("shipshape starts");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let reader_thread = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        all
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "check did not finish");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    drop(pty.master);
    let out = String::from_utf8_lossy(&reader_thread.join().unwrap()).into_owned();
    assert!(out.contains("Summary: cluster"), "{out:?}");
    out.contains("\u{1b}[1m")
}

#[test]
fn no_color_counts_only_when_set_and_not_empty() {
    assert!(coloured_in_a_terminal(None));
    assert!(
        coloured_in_a_terminal(Some("")),
        "an empty NO_COLOR is unset"
    );
    assert!(!coloured_in_a_terminal(Some("1")));
}

/// The message of `check` on the one workload of `yaml` for `check_id`.
fn message_of(yaml: &str, extra: &[&str], check_id: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.yaml");
    std::fs::write(&path, yaml).unwrap();
    let mut args = vec!["check", "-o", "json", "-f", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    v["workloads"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == check_id)
        .unwrap_or_else(|| panic!("no {check_id} in {out}"))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn partial_is_suggested_only_where_it_would_help() {
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.25\n        envFrom: [{configMapRef: {name: web-config}}]\n";
    // No ConfigMap at all: --partial would make the kind unknown, so it is the way out.
    let m = message_of(deployment, &[], "config.refs-exist");
    assert!(m.contains("use --partial"), "{m}");
    // Another ConfigMap is in the input: --partial changes nothing (even when given), so
    // the message does not send the user there.
    let with_other = format!(
        "{deployment}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: other, namespace: shop}}\n"
    );
    for extra in [&[][..], &["--partial"][..]] {
        let m = message_of(&with_other, extra, "config.refs-exist");
        assert!(m.contains("ConfigMap web-config"), "{m}");
        assert!(!m.contains("use --partial"), "{extra:?}: {m}");
        assert!(m.contains("--partial does not make these unknown"), "{m}");
    }
}

#[test]
fn messages_about_arguments_say_what_helps() {
    let (code, _, err) = run(&["explain", ""]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "shipshape: error: no check is named ``; run `shipshape checks` for the list\n"
    );
    let (code, _, err) = run(&["diff", "-", "-"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("only one side of `diff` can be read from stdin"),
        "{err}"
    );
}

#[test]
fn config_and_theme_files_are_read_under_a_bound() {
    // /dev/zero never ends: without a bound, reading it would fill memory.
    let started = std::time::Instant::now();
    let (code, _, err) = run(&["check", "--demo", "--config", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("config /dev/zero: cannot read the config file: it holds more than 1024 KiB"),
        "{err}"
    );
    let (code, _, err) = run(&["ui", "--demo", "--theme", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("it holds more than 1024 KiB"), "{err}");
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
