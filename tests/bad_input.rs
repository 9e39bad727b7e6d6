//! Hostile or broken input through the real binary: directories with pipes and link loops,
//! endless devices and streams, deep nesting, empty files, objects defined twice, and the
//! messages for what is not a manifest. Nothing hangs, nothing grows without bound, and every
//! message says what is actually wrong.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::command::shipshape;

const WEB: &str = include_str!("fixtures/shop/web.yaml");

/// Generous: a hang is caught, a slow machine is not blamed.
const LIMIT: Duration = Duration::from_secs(20);

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

/// Runs `check` with `args`, within [`LIMIT`]; the exit code, stdout and stderr.
fn check(args: &[&str]) -> (i32, String, String) {
    let out = shipshape()
        .arg("check")
        .args(args)
        .timeout(LIMIT)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("killed after {LIMIT:?} (a hang): {stderr}"));
    (
        code,
        String::from_utf8_lossy(&out.stdout).to_string(),
        stderr,
    )
}

fn error_of(args: &[&str]) -> String {
    let (code, stdout, stderr) = check(args);
    assert_eq!(code, 2, "{stdout}{stderr}");
    stderr
}

fn workloads(json: &str) -> u64 {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["cluster"]["workloads"].as_u64().unwrap()
}

#[test]
fn a_fifo_in_a_directory_is_skipped_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("web.yaml"), WEB);
    mkfifo(&dir.path().join("pipe.yaml"));
    let root = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = check(&["-f", root, "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(workloads(&stdout), 1);
    assert!(
        stderr.contains("pipe.yaml: a named pipe, not a regular file"),
        "{stderr}"
    );
}

#[test]
fn link_loops_and_two_links_to_one_directory_read_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("apps/web.yaml"), WEB);
    std::os::unix::fs::symlink("..", root.join("apps/up")).unwrap();
    std::os::unix::fs::symlink("apps", root.join("link-a")).unwrap();
    std::os::unix::fs::symlink("apps", root.join("link-b")).unwrap();
    std::os::unix::fs::symlink(root, root.join("apps/root")).unwrap();
    let (code, stdout, stderr) = check(&["-f", root.to_str().unwrap(), "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(workloads(&stdout), 1);
    // Read once: no object is reported as defined twice.
    assert!(!stderr.contains("redefines"), "{stderr}");
}

#[test]
fn dev_zero_by_name_and_on_stdin_is_refused_at_once() {
    let started = Instant::now();
    let e = error_of(&["-f", "/dev/zero"]);
    assert!(
        e.contains("/dev/zero: cannot read: not text: a NUL byte"),
        "{e}"
    );

    let zero = std::fs::File::open("/dev/zero").unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("shipshape"))
        .args(["check", "-f", "-"])
        .env("HOME", "/nonexistent")
        .env_remove("KUBECONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .stdin(Stdio::from(zero))
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(e.contains("<stdin>: cannot read: not text"), "{e}");
    assert!(started.elapsed() < LIMIT, "{:?}", started.elapsed());
}

#[test]
fn an_endless_stream_stops_at_the_size_limit_with_a_message() {
    // Valid text forever: only the limit can stop it.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("shipshape"))
        .args(["check", "-f", "-", "--max-input-size", "1Mi"])
        .env("HOME", "/nonexistent")
        .env_remove("KUBECONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let line = "# a comment line that never ends the stream\n".repeat(1000);
        while stdin.write_all(line.as_bytes()).is_ok() {}
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(
        e.contains("<stdin>: larger than the input limit of 1 MiB")
            && e.contains("--max-input-size"),
        "{e}"
    );
}

#[test]
fn a_file_over_the_limit_is_named_and_a_larger_limit_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    write(&big, &format!("{WEB}\n{}", "# padding\n".repeat(200_000)));
    let big = big.to_str().unwrap();
    let e = error_of(&["-f", big, "--max-input-size", "1Mi"]);
    assert!(
        e.contains("big.yaml: larger than the input limit of 1 MiB"),
        "{e}"
    );
    let (code, _, stderr) = check(&["-f", big, "--max-input-size", "4Mi"]);
    assert_eq!(code, 0, "{stderr}");
    let e = error_of(&["-f", big, "--max-input-size", "lots"]);
    assert!(e.contains("`lots` is not a size"), "{e}");
}

#[test]
fn a_fifo_by_name_never_hangs_and_is_read_under_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // Nobody writes: an error at once, not a wait for a writer.
    let idle = dir.path().join("idle.yaml");
    mkfifo(&idle);
    let e = error_of(&["-f", idle.to_str().unwrap()]);
    assert!(e.contains("idle.yaml: the file is empty"), "{e}");

    // A writer that never stops: the limit stops the read. The writer is connected before
    // shipshape starts (a placeholder reader lets its open return), so the run never races
    // the writer's open; dropping the placeholder after the run ends the writer with EPIPE.
    let endless = dir.path().join("endless.yaml");
    mkfifo(&endless);
    let placeholder = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&endless)
            .unwrap()
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&endless)
        .unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = "# more\n".repeat(1000);
        while f.write_all(chunk.as_bytes()).is_ok() {}
    });
    let e = error_of(&["-f", endless.to_str().unwrap(), "--max-input-size", "1Mi"]);
    drop(placeholder);
    writer.join().unwrap();
    assert!(
        e.contains("endless.yaml: larger than the input limit of 1 MiB"),
        "{e}"
    );
}

#[test]
fn nesting_100000_levels_deep_fails_in_well_under_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let cases = [
        (
            "flow.yaml",
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: {}{}\n",
                "[".repeat(n),
                "]".repeat(n)
            ),
            6,
        ),
        (
            "mapping.yaml",
            format!("a: {}x{}\n", "{a: ".repeat(n), "}".repeat(n)),
            1,
        ),
        ("block.yaml", format!("a:\n{}x\n", "- ".repeat(n)), 2),
        (
            "array.json",
            format!("{}{}", "[".repeat(n), "]".repeat(n)),
            1,
        ),
    ];
    for (name, text, line) in cases {
        let path = dir.path().join(name);
        write(&path, &text);
        let started = Instant::now();
        let e = error_of(&["-f", path.to_str().unwrap()]);
        let took = started.elapsed();
        assert!(
            e.contains(&format!("{name}:{line}: nested more than 128 levels deep")),
            "{e}"
        );
        assert!(took < Duration::from_secs(10), "{name} took {took:?}");
    }
}

#[test]
fn files_with_no_objects_are_skipped_in_a_directory_and_errors_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("k8s");
    write(&root.join("web.yaml"), WEB);
    write(&root.join("empty.yaml"), "");
    write(
        &root.join("notes.yaml"),
        "# filled in later\n# by the platform team\n",
    );
    write(&root.join("dashes.yaml"), "---\n---\n");
    write(&root.join("nested/blank.yml"), "\n\n");
    let (code, stdout, stderr) = check(&["-f", root.to_str().unwrap(), "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(workloads(&stdout), 1);
    assert!(
        stderr.contains("skipped 4 files with no objects"),
        "{stderr}"
    );
    assert!(
        stderr.contains("notes.yaml holds only comments"),
        "{stderr}"
    );
    assert!(stderr.contains("empty.yaml is empty"), "{stderr}");

    let by_name = |f: &str| error_of(&["-f", root.join(f).to_str().unwrap()]);
    let e = by_name("empty.yaml");
    assert!(e.contains("empty.yaml: the file is empty"), "{e}");
    let e = by_name("notes.yaml");
    assert!(
        e.contains("notes.yaml: the file holds only comments and no objects"),
        "{e}"
    );
    let e = by_name("dashes.yaml");
    assert!(e.contains("holds only `---` separators"), "{e}");

    // A directory of nothing but such files has nothing to grade.
    let e = error_of(&["-f", root.join("nested").to_str().unwrap()]);
    assert!(
        e.contains("nested: nothing to grade: skipped 1 file"),
        "{e}"
    );
}

#[test]
fn an_object_defined_twice_is_named_with_both_places_and_the_later_wins() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yaml");
    let b = dir.path().join("b.yaml");
    write(&a, WEB);
    write(&b, &WEB.replacen("replicas: 3", "replicas: 1", 1));
    assert_ne!(WEB, std::fs::read_to_string(&b).unwrap());
    let (code, stdout, stderr) = check(&[
        "-f",
        a.to_str().unwrap(),
        "-f",
        b.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let line = format!(
        "Deployment shop/web at {}:2 redefines the one at {}:2; the later one is graded",
        b.display(),
        a.display()
    );
    assert!(stderr.contains(&line), "{stderr}");
    // The later one, with one replica, is what was graded.
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let web = report["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "web")
        .unwrap();
    assert_eq!(web["desired"], 1, "{web}");
}

#[test]
fn messages_say_what_is_actually_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str, text: &str| {
        let p = dir.path().join(name);
        write(&p, text);
        p.to_str().unwrap().to_string()
    };
    let e = error_of(&[
        "-f",
        &at(
            "num.yaml",
            "apiVersion: v1\nkind: 42\nmetadata:\n  name: x\n",
        ),
    ]);
    assert!(
        e.contains("num.yaml:1: object `x` has `kind: 42`, a number where a name such as `Deployment` belongs"),
        "{e}"
    );
    let e = error_of(&["-f", &at("noapi.yaml", "kind: Pod\nmetadata:\n  name: x\n")]);
    assert!(
        e.contains("noapi.yaml:1: object `x` has no `apiVersion`"),
        "{e}"
    );
    assert!(!e.contains("no `kind`"), "{e}");
    let e = error_of(&[
        "-f",
        &at(
            "huge.yaml",
            &WEB.replacen("replicas: 3", "replicas: 1e400", 1),
        ),
    ]);
    assert!(
        e.contains("spec.replicas: the number 1e400 is out of range (expected i32)"),
        "{e}"
    );
    assert!(!e.contains("placeholder"), "{e}");
    let e = error_of(&["-f", &at("prose.yaml", "Deploy this with care.\n")]);
    assert!(
        e.contains("expected a Kubernetes object (a mapping with apiVersion and kind), found the text `Deploy this with care.`"),
        "{e}"
    );
}

#[test]
fn helm_charts_and_kustomize_files_say_how_to_render_them() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let chart = repo.join("chart");
    write(
        &chart.join("Chart.yaml"),
        "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    );
    write(&chart.join("values.yaml"), "replicaCount: 2\n");
    write(
        &chart.join("templates/deployment.yaml"),
        "kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    let kz = repo.join("base");
    write(&kz.join("kustomization.yaml"), "resources:\n- web.yaml\n");
    write(&kz.join("web.yaml"), WEB);

    let chart_dir = chart.to_str().unwrap();
    for path in [
        chart_dir.to_string(),
        format!("{chart_dir}/Chart.yaml"),
        format!("{chart_dir}/values.yaml"),
    ] {
        let e = error_of(&["-f", &path]);
        assert!(
            e.contains(&format!("{chart_dir}: this is a Helm chart, not manifests; render it first with `helm template <release> {chart_dir} > rendered.yaml`")),
            "{path}: {e}"
        );
    }
    let kfile = kz.join("kustomization.yaml");
    let e = error_of(&["-f", kfile.to_str().unwrap()]);
    assert!(
        e.contains(&format!(
            "kustomization.yaml: this is a kustomize file, not manifests; render its directory first with `kubectl kustomize {}",
            kz.display()
        )),
        "{e}"
    );
    // Inside a repository, both are set aside with the same advice and the rest is graded.
    let (code, stdout, stderr) = check(&["-f", repo.to_str().unwrap(), "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(workloads(&stdout), 1);
    assert!(stderr.contains("skipped the Helm chart"), "{stderr}");
    assert!(stderr.contains("helm template <release>"), "{stderr}");
    assert!(stderr.contains("kubectl kustomize"), "{stderr}");
}

#[test]
fn diff_reads_its_inputs_under_the_same_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.yaml");
    write(
        &deep,
        &format!(
            "apiVersion: shipshape.dev/v1\nkind: Snapshot\nitems: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    let run = |args: &[&str]| {
        let started = Instant::now();
        let out = shipshape().args(args).timeout(LIMIT).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        stderr
    };
    let e = run(&["diff", "/dev/zero", "/dev/zero"]);
    assert!(e.contains("/dev/zero: cannot read: not text"), "{e}");
    let deep = deep.to_str().unwrap();
    let e = run(&["diff", deep, deep]);
    assert!(
        e.contains("deep.yaml: nested more than 128 levels deep"),
        "{e}"
    );
}

#[test]
fn a_wrong_value_is_not_called_a_placeholder_but_a_placeholder_is() {
    let dir = tempfile::tempdir().unwrap();
    let named = dir.path().join("named-port.yaml");
    write(
        &named,
        &WEB.replacen("containerPort: 8080", "containerPort: http", 1),
    );
    assert_ne!(WEB, std::fs::read_to_string(&named).unwrap());
    let e = error_of(&["-f", named.to_str().unwrap()]);
    assert!(
        e.contains("invalid type: string \"http\", expected i32"),
        "{e}"
    );
    assert!(!e.contains("placeholder"), "{e}");
    let templated = dir.path().join("templated.yaml");
    write(
        &templated,
        &WEB.replacen("containerPort: 8080", "containerPort: <port>", 1),
    );
    let e = error_of(&["-f", templated.to_str().unwrap()]);
    assert!(e.contains("unfilled placeholder"), "{e}");
}

#[test]
fn aliases_that_expand_without_end_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        text.push_str(&format!("    {}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    let path = dir.path().join("laughs.yaml");
    write(&path, &text);
    let started = Instant::now();
    let e = error_of(&["-f", path.to_str().unwrap()]);
    assert!(
        e.contains("laughs.yaml:1: its aliases (`*name`) expand to far more than the text holds"),
        "{e}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
