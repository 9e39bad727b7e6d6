//! Hostile text through the real binary: names, images, selectors, hosts, paths, annotations,
//! kind names, file names and config keys holding terminal control sequences (`ESC ] 0 ; …
//! BEL` retitles a terminal, `ESC [ 2 J` clears it), a one-byte CSI (U+009B), bidi overrides
//! (U+202E, U+2066), a carriage return and NUL. No output format and no message on stderr may
//! carry one of them raw; each must show up escaped, so a hostile name still reads as hostile.

mod support;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use support::command::shipshape;

/// Everything dangerous at once.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}\u{2066}\r\u{0}z";
/// How a text writer shows it ([`shipshape::text::safe`]).
const SHOWN: &str = "\\e]0;pwned\\x07\\e[2J\\u{9b}31m\\u{202e}\\u{2066}\\r\\x00z";
/// How JSON writes it: lossless, escaped.
const IN_JSON: &str = "\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202e\\u2066\\r\\u0000z";

fn h(prefix: &str) -> String {
    format!("{prefix}{HOSTILE}")
}

/// A List with the hostile text in every field that reaches a screen.
fn hostile_manifest(with_service: bool) -> Value {
    let meta = |name: String, ns: String| json!({"name": name, "namespace": ns});
    let mut items = vec![
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {
                "name": h("web"), "namespace": "shop",
                "labels": {"app": h("web")},
                "annotations": {"owner": h("team")},
            },
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": h("web")}},
                "template": {
                    "metadata": {"labels": {"app": h("web")}},
                    "spec": {"containers": [{"name": h("c"), "image": format!("nginx{HOSTILE}:latest")}]},
                },
            },
        }),
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": meta("api".into(), h("ns")),
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "api"}},
                "template": {
                    "metadata": {"labels": {"app": "api"}},
                    "spec": {"containers": [{"name": "api", "image": h("registry.example/api")}]},
                },
            },
        }),
        json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": meta(h("ing"), "shop".into()),
            "spec": {"rules": [{"host": format!("h{HOSTILE}.example"), "http": {"paths": [{
                "path": h("/p"), "pathType": "Prefix",
                "backend": {"service": {"name": h("missing"), "port": {"number": 80}}},
            }]}}]},
        }),
        json!({"apiVersion": "example.com/v1", "kind": h("Widget"), "metadata": meta("w".into(), "shop".into())}),
    ];
    if with_service {
        items.push(json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": meta(h("svc"), "shop".into()),
            "spec": {"selector": {"app": h("nothing")}, "ports": [{"port": 80}]},
        }));
    }
    json!({"apiVersion": "v1", "kind": "List", "items": items})
}

/// Writes the manifest into `dir` under a file name that is itself hostile.
fn write_manifest(dir: &Path, with_service: bool) -> PathBuf {
    let path = dir.join(format!("m{HOSTILE}.json").replace('\u{0}', "0"));
    std::fs::write(&path, hostile_manifest(with_service).to_string()).unwrap();
    path
}

/// The characters that must never reach a terminal or a document raw.
fn raw_dangers(text: &str) -> Vec<String> {
    text.chars()
        .filter(|&c| c != '\n' && shipshape::text::is_unsafe(c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect()
}

/// Runs shipshape and returns (stdout, stderr, exit code), asserting neither stream holds a
/// raw dangerous character.
fn run(args: &[&std::ffi::OsStr]) -> (String, String, i32) {
    let out = shipshape().args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        let bad = raw_dangers(text);
        assert!(
            bad.is_empty(),
            "{args:?}: {name} holds raw {bad:?}:\n{}",
            text.escape_debug()
        );
    }
    (stdout, stderr, out.status.code().unwrap_or(-1))
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[test]
fn the_check_table_shows_hostile_fields_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_manifest(dir.path(), true);
    let (out, _, code) = run(&[os("check"), os("-f"), file.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    // The namespace heading, the image in a finding, a Service's name and selector, an
    // Ingress host, path and backend, an unknown kind, the file name in the header.
    for shown in [
        format!("ns{SHOWN} · score"),
        // Clipped to the column's width.
        "registry.example/api\\e]0;pwned\\x07\\e[2J".to_string(),
        format!("Service svc{SHOWN}"),
        format!("app=nothing{SHOWN}"),
        format!("h{SHOWN}.example/p{SHOWN}"),
        format!("Service missing{SHOWN}"),
        format!("Widget{SHOWN} (example.com/v1)"),
        format!(
            "shipshape · {}",
            dir.path()
                .join(format!("m{SHOWN}.json").replace("\\x00", "0"))
                .display()
        ),
    ] {
        assert!(out.contains(&shown), "no {shown:?} in:\n{out}");
    }
    // The workload name (clipped in its column) and the container name in its finding.
    assert!(out.contains("  web\\e]0;pwned"), "{out}");
    assert!(out.contains(&format!("c{SHOWN} uses nginx")), "{out}");
}

#[test]
fn with_colour_the_only_escape_sequences_are_shipshapes_own() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_manifest(dir.path(), true);
    let out = shipshape()
        .args([
            os("check"),
            os("--color"),
            os("always"),
            os("-f"),
            file.as_os_str(),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\u{1b}[1m"), "colour is on: {text:?}");
    // Remove shipshape's own SGR sequences (ESC [ digits/semicolons m); nothing dangerous may remain.
    let mut plain = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find('\u{1b}') {
        plain.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let sgr = after.strip_prefix('[').and_then(|a| {
            let end = a.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            a[end..].starts_with('m').then_some(end + 2)
        });
        match sgr {
            Some(n) => rest = &after[n..],
            None => panic!(
                "a foreign escape sequence: {:?}",
                &rest[i..(i + 20).min(rest.len())]
            ),
        }
    }
    plain.push_str(rest);
    assert!(raw_dangers(&plain).is_empty(), "{:?}", raw_dangers(&plain));
    assert!(plain.contains(&format!("Service svc{SHOWN}")), "{plain}");
}

#[test]
fn json_outputs_keep_the_data_and_escape_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_manifest(dir.path(), true);
    for args in [
        vec![
            os("check"),
            os("-o"),
            os("json"),
            os("-f"),
            file.as_os_str(),
        ],
        vec![
            os("report"),
            os("--format"),
            os("json"),
            os("-f"),
            file.as_os_str(),
        ],
    ] {
        let (out, _, code) = run(&args);
        assert_eq!(code, 0);
        assert!(out.contains(&format!("ns{IN_JSON}")), "{out}");
        // Lossless for machines: the names read back exactly.
        let v: Value = serde_json::from_str(&out).unwrap();
        let names: Vec<&str> = v["workloads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&h("web").as_str()), "{names:?}");
    }
    let snapshot = dir.path().join("s.json");
    let (_, err, code) = run(&[
        os("snapshot"),
        os("-f"),
        file.as_os_str(),
        os("-o"),
        snapshot.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&snapshot).unwrap();
    assert!(raw_dangers(&text).is_empty(), "{:?}", raw_dangers(&text));
    assert!(text.contains(&format!("registry.example/api{IN_JSON}")));
    // The note on stderr names the source file, escaped.
    assert!(
        err.contains(&format!("m{SHOWN}").replace("\\x00", "0")),
        "{err}"
    );
}

#[test]
fn every_report_format_escapes_hostile_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_manifest(dir.path(), true);
    for (format, shown) in [
        // Markdown escapes the backslash of each escape once more: `\\e` reads `\e`.
        ("markdown", "registry.example/api\\\\e\\]0;pwned"),
        ("html", "registry.example/api\\e]0;pwned\\x07"),
        ("junit", "registry.example/api\\e]0;pwned\\x07"),
        // SARIF messages are for people: visible escapes, then JSON-escaped.
        ("sarif", "registry.example/api\\\\e]0;pwned\\\\x07"),
        ("json", "registry.example/api\\u001b]0;pwned\\u0007"),
    ] {
        let (out, _, code) = run(&[
            os("report"),
            os("--format"),
            os(format),
            os("-f"),
            file.as_os_str(),
        ]);
        assert_eq!(code, 0, "{format}");
        assert!(out.contains(shown), "{format}: no {shown:?} in\n{out}");
    }
}

#[test]
fn diff_tables_markdown_and_json_escape_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let old_dir = tempfile::tempdir().unwrap();
    let before = write_manifest(old_dir.path(), false);
    let after = write_manifest(dir.path(), true);
    let report = |file: &Path, name: &str| {
        let out = shipshape()
            .args([
                os("check"),
                os("-o"),
                os("json"),
                os("-f"),
                file.as_os_str(),
            ])
            .output()
            .unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, out.stdout).unwrap();
        path
    };
    let old = report(&before, "old.json");
    let new = report(&after, "new.json");
    for (format, shown) in [
        ("table", format!("Service shop/svc{SHOWN}")),
        // A code span: the escape shows as it is.
        ("markdown", format!("Service `shop/svc{SHOWN}`")),
        ("json", format!("svc{IN_JSON}")),
    ] {
        let (out, _, code) = run(&[
            os("diff"),
            old.as_os_str(),
            new.as_os_str(),
            os("-o"),
            os(format),
        ]);
        assert_eq!(code, 0, "{format}");
        assert!(out.contains(&shown), "{format}: no {shown:?} in\n{out}");
    }
}

#[test]
fn error_messages_escape_file_names_config_keys_and_arguments() {
    let dir = tempfile::tempdir().unwrap();
    // A broken file whose name holds the sequences.
    let broken = dir
        .path()
        .join(format!("b{HOSTILE}.yaml").replace('\u{0}', "0"));
    std::fs::write(&broken, "kind: [unclosed\n").unwrap();
    let (_, err, code) = run(&[os("check"), os("-f"), broken.as_os_str()]);
    assert_eq!(code, 2);
    assert!(err.contains("b\\e]0;pwned\\x07\\e[2J"), "{err}");

    // A missing file: the name is echoed back.
    let missing = dir
        .path()
        .join(format!("gone{HOSTILE}.yaml").replace('\u{0}', "0"));
    let (_, err, code) = run(&[os("check"), os("-f"), missing.as_os_str()]);
    assert_eq!(code, 2);
    assert!(err.contains("gone\\e]0;pwned"), "{err}");

    // A config key quoted in its error.
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[severity]\n\"probe.x\\u001b]0;t\\u0007\\u202e\" = \"info\"\n",
    )
    .unwrap();
    let (_, err, code) = run(&[
        os("check"),
        os("--demo"),
        os("--config"),
        config.as_os_str(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("probe.x\\e]0;t\\x07\\u{202e}"), "{err}");

    // An argument quoted back: a check id, a value clap rejects.
    // (An argument cannot hold NUL.)
    let arg = |s: &str| h(s).replace('\u{0}', "0");
    let (_, err, code) = run(&[os("explain"), os(&arg("probe."))]);
    assert_eq!(code, 2);
    assert!(
        err.contains("probe.\\e]0;pwned\\x07\\e[2J\\u{9b}31m\\u{202e}"),
        "{err}"
    );
    let (_, _, code) = run(&[os("completions"), os(&arg("bash"))]);
    assert_eq!(code, 2);
}

/// Puts the hostile text in front of every `message` in `v` (events, container states,
/// conditions), where a clipped table cell still shows it.
fn poison_messages(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match child {
                    Value::String(s) if k == "message" => *s = format!("{HOSTILE}{s}"),
                    _ => poison_messages(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(poison_messages),
        _ => {}
    }
}

#[test]
fn alert_and_event_messages_from_a_cluster_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("demo.json");
    shipshape()
        .args([os("snapshot"), os("--demo"), os("-o"), snapshot.as_os_str()])
        .assert()
        .success();
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    poison_messages(&mut v);
    std::fs::write(&snapshot, v.to_string()).unwrap();
    for (args, shown) in [
        (vec![os("check")], "\\e]0;pwned"),
        (vec![os("report")], "\\\\e\\]0;pwned"),
        (
            vec![os("report"), os("--format"), os("html")],
            "\\e]0;pwned",
        ),
        (vec![os("check"), os("-o"), os("json")], IN_JSON),
    ] {
        let mut args = args.clone();
        args.extend([os("-f"), snapshot.as_os_str()]);
        let (out, err, code) = run(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains(shown), "{args:?}: no {shown:?} in\n{out}");
    }
}
