//! `shipshape report`: golden files for every format on the demo cluster, JUnit and SARIF read
//! back and checked against what CI systems require, the HTML page rendered in a real browser,
//! and hostile names that must not change any document's structure.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn shipshape() -> Command {
    let mut c = Command::cargo_bin("shipshape").unwrap();
    c.env_remove("XDG_CONFIG_HOME")
        .env("HOME", "/nonexistent")
        .env("NO_COLOR", "1")
        .current_dir(ROOT);
    c
}

fn report(args: &[&str]) -> String {
    let out = shipshape().arg("report").args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn golden_markdown() {
    insta::assert_snapshot!("demo_markdown", report(&["--demo", "--format", "markdown"]));
}

#[test]
fn golden_html() {
    insta::assert_snapshot!("demo_html", report(&["--demo", "--format", "html"]));
}

#[test]
fn golden_junit() {
    insta::assert_snapshot!("demo_junit", report(&["--demo", "--format", "junit"]));
}

#[test]
fn golden_sarif() {
    insta::assert_snapshot!("demo_sarif", report(&["--demo", "--format", "sarif"]));
    // Manifests carry file locations; they are graded at the wall clock's time.
    let mut shop: Value =
        serde_json::from_str(&report(&["-f", "tests/fixtures/shop", "--format", "sarif"])).unwrap();
    shop["runs"][0]["properties"]["evaluatedAt"] = Value::from("[now]");
    insta::assert_snapshot!("shop_sarif", serde_json::to_string_pretty(&shop).unwrap());
}

#[test]
fn json_is_the_check_schema() {
    let report: Value = serde_json::from_str(&report(&["--demo", "--format", "json"])).unwrap();
    let out = shipshape()
        .args(["check", "--demo", "-o", "json"])
        .assert()
        .success();
    let check: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report, check);
    assert_eq!(report["schema_version"], 1);
}

#[test]
fn output_file_and_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.md");
    let out = shipshape()
        .args(["report", "--demo", "-o"])
        .arg(&path)
        .assert()
        .success();
    assert!(out.get_output().stdout.is_empty());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Production readiness: demo (prod-eu-1)"));

    let out = shipshape()
        .args(["report", "--demo", "--format", "pdf"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("pdf") && err.contains("markdown"), "{err}");

    let out = shipshape()
        .args(["report", "--demo", "-o", "/nonexistent-dir/r.md"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.starts_with("shipshape: error: cannot write the report to /nonexistent-dir/r.md:"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// Attributes of an XML start tag.
fn attrs(e: &quick_xml::events::BytesStart) -> std::collections::BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.unwrap();
            (
                a.key.into_inner().to_string(),
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn junit_reads_back_with_consistent_counts() {
    use quick_xml::events::Event;
    let xml = report(&["--demo", "--format", "junit"]);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut suites = 0;
    let mut cases = 0;
    let mut failures = 0;
    let mut skipped = 0;
    let mut root = None;
    let mut suite_counts: Vec<(usize, usize, usize, usize, usize, usize)> = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            ev @ (Event::Start(_) | Event::Empty(_)) => {
                let (e, empty) = match &ev {
                    Event::Start(e) => (e, false),
                    Event::Empty(e) => (e, true),
                    _ => unreachable!(),
                };
                let name = e.name().into_inner().to_string();
                let a = attrs(e);
                match name.as_str() {
                    "testsuites" => root = Some(a),
                    "testsuite" => {
                        suites += 1;
                        for key in ["name", "tests", "failures", "errors", "skipped", "time"] {
                            assert!(a.contains_key(key), "testsuite lacks {key}");
                        }
                        let n = |k: &str| a[k].parse::<usize>().unwrap();
                        suite_counts.push((n("tests"), n("failures"), n("skipped"), 0, 0, 0));
                    }
                    "testcase" => {
                        cases += 1;
                        assert!(a.contains_key("classname") && a.contains_key("name"));
                        assert_eq!(stack.last().map(String::as_str), Some("testsuite"));
                        suite_counts.last_mut().unwrap().3 += 1;
                    }
                    "failure" => {
                        failures += 1;
                        assert!(a.contains_key("message") && a.contains_key("type"));
                        assert_eq!(stack.last().map(String::as_str), Some("testcase"));
                        suite_counts.last_mut().unwrap().4 += 1;
                    }
                    "skipped" => {
                        skipped += 1;
                        assert!(
                            a["message"].starts_with("waived: ")
                                || a["message"].starts_with("unknown: ")
                        );
                        suite_counts.last_mut().unwrap().5 += 1;
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            _ => {}
        }
    }
    let root = root.expect("a testsuites root");
    assert_eq!(root["tests"].parse::<usize>().unwrap(), cases);
    assert_eq!(root["failures"].parse::<usize>().unwrap(), failures);
    assert_eq!(root["skipped"].parse::<usize>().unwrap(), skipped);
    for (tests, fails, skips, seen_cases, seen_fails, seen_skips) in &suite_counts {
        assert_eq!((tests, fails, skips), (seen_cases, seen_fails, seen_skips));
    }
    // A suite per namespace with workloads or objects, and one for the cluster.
    assert!(suites >= 8, "{suites}");
    assert!(failures > 100 && skipped >= 2, "{failures} {skipped}");
    // The crash-looping workload fails its health check, with the fix in the text.
    assert!(xml.contains(
        "<testcase classname=\"shop.Deployment/checkout\" name=\"health.crash-loop\" time=\"0\">\n      <failure message=\"container checkout is in CrashLoopBackOff"
    ));
}

/// The required structure of a SARIF 2.1.0 log, checked by hand.
fn assert_sarif(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "shipshape");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), shipshape::checks::catalogue::all().count());
    for r in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                !r[key]["text"].as_str().unwrap().is_empty(),
                "rule {} lacks {key}",
                r["id"]
            );
        }
        assert!(["error", "warning", "note"]
            .contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    for res in runs[0]["results"].as_array().unwrap() {
        let id = res["ruleId"].as_str().unwrap();
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], id);
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let locations = res["locations"].as_array().unwrap();
        assert!(!locations.is_empty());
        for loc in locations {
            if let Some(p) = loc.get("physicalLocation") {
                assert!(!p["artifactLocation"]["uri"].as_str().unwrap().is_empty());
                assert!(p["region"]["startLine"].as_u64().unwrap() >= 1);
            } else {
                assert!(loc["logicalLocations"][0]["fullyQualifiedName"].is_string());
            }
        }
    }
}

#[test]
fn sarif_points_at_the_line_each_object_starts_on() {
    let log: Value =
        serde_json::from_str(&report(&["-f", "tests/fixtures/shop", "--format", "sarif"])).unwrap();
    assert_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let mut located = 0;
    for res in results {
        let Some(p) = res["locations"][0].get("physicalLocation") else {
            continue;
        };
        located += 1;
        let uri = p["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("tests/fixtures/shop/"), "{uri}");
        let text = std::fs::read_to_string(Path::new(ROOT).join(uri)).unwrap();
        let line = p["region"]["startLine"].as_u64().unwrap() as usize;
        let at = text.lines().nth(line - 1).unwrap();
        assert!(
            at.starts_with("apiVersion:") || at.starts_with("kind:"),
            "{uri}:{line} is `{at}`"
        );
        // The object named in the result is the one that starts there.
        let name = res["locations"][0]["logicalLocations"][0]["name"]
            .as_str()
            .unwrap();
        let doc: String = text
            .lines()
            .skip(line - 1)
            .take_while(|l| !l.starts_with("---"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            doc.contains(&format!("name: {name}")),
            "{uri}:{line} {name}"
        );
    }
    assert!(located > 10, "{located}");

    let demo: Value = serde_json::from_str(&report(&["--demo", "--format", "sarif"])).unwrap();
    assert_sarif(&demo);
    // Waived results are reported as suppressed, with their reason.
    let suppressed: Vec<&Value> = demo["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert!(!suppressed.is_empty());
    for r in suppressed {
        assert!(!r["suppressions"][0]["justification"]
            .as_str()
            .unwrap()
            .is_empty());
    }
}

/// A namespace and a workload whose names, annotations and reasons try to break out of every
/// format.
const HOSTILE: &str = r#"apiVersion: v1
kind: Namespace
metadata:
  name: "evil|ns"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "x<script>alert(1)</script>|`tick`"
  namespace: "evil|ns"
  annotations:
    shipshape.dev/ignore: "image.digest"
    shipshape.dev/ignore-reason: "line one\n# not a heading\n| not | a | row |\n<img src=x onerror=alert(2)>"
spec:
  replicas: 1
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: x}
    spec:
      containers:
        - name: "c</code>"
          image: "nginx:1.27"
          env:
            - name: DB_PASSWORD
              value: "hunter2-literal-password"
---
apiVersion: v1
kind: Secret
metadata:
  name: s
  namespace: "evil|ns"
stringData:
  token: "plain-text-token-value"
"#;

fn hostile_report(format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.yaml");
    std::fs::write(&path, HOSTILE).unwrap();
    let out = shipshape()
        .args(["report", "--format", format, "-f"])
        .arg(&path)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// Markdown with every code span (a backtick run to the next run of the same length) removed.
fn without_code_spans(md: &str) -> String {
    let chars: Vec<char> = md.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let run_at = |i: usize| chars[i..].iter().take_while(|c| **c == '`').count();
    while i < chars.len() {
        let escaped = i > 0 && chars[i - 1] == '\\';
        if chars[i] == '`' && !escaped {
            let n = run_at(i);
            let mut j = i + n;
            let mut close = None;
            while j < chars.len() {
                if chars[j] == '`' {
                    let m = run_at(j);
                    if m == n {
                        close = Some(j + m);
                        break;
                    }
                    j += m;
                } else {
                    j += 1;
                }
            }
            match close {
                Some(end) => i = end,
                None => {
                    out.extend(&chars[i..i + n]);
                    i += n;
                }
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn hostile_names_cannot_break_markdown() {
    let md = hostile_report("markdown");
    for secret in ["hunter2-literal-password", "plain-text-token-value"] {
        assert!(!md.contains(secret));
    }
    // No raw HTML outside code spans (where CommonMark shows `<` as text), no heading or
    // table row that the cluster wrote.
    let prose = without_code_spans(&md);
    assert!(prose.contains("\\<script") && prose.contains("\\<img"));
    assert!(!prose.replace("\\<", "").contains('<'), "{prose}");
    assert!(!md.lines().any(|l| l.starts_with("# not a heading")));
    // Every table row has as many unescaped cell separators as its header.
    let unescaped_pipes = |l: &str| {
        let mut n = 0;
        let mut prev = ' ';
        for c in l.chars() {
            if c == '|' && prev != '\\' {
                n += 1;
            }
            prev = c;
        }
        n
    };
    let mut header = None;
    for l in md.lines() {
        if l.starts_with('|') {
            let n = unescaped_pipes(l);
            match header {
                None => header = Some(n),
                Some(h) => assert_eq!(n, h, "row breaks its table: {l}"),
            }
        } else {
            header = None;
        }
    }
    // The waiver's reason is there, on one line, escaped.
    assert!(
        md.contains(
            "line one # not a heading \\| not \\| a \\| row \\| \\<img src=x onerror=alert(2)\\>"
        ),
        "{md}"
    );
    assert!(
        md.contains("`` x<script>alert(1)</script>|`tick` ``"),
        "{md}"
    );
}

#[test]
fn hostile_names_are_text_in_html_junit_and_sarif() {
    let html = hostile_report("html");
    assert!(!html.contains("<script") && !html.contains("<img"));
    assert!(html.contains("x&lt;script&gt;alert(1)&lt;/script&gt;|`tick`"));
    assert!(!html.contains("hunter2-literal-password"));

    let xml = hostile_report("junit");
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => {
                assert_ne!(e.name().into_inner(), "script");
            }
            Ok(_) => {}
            Err(e) => panic!("JUnit is not well-formed XML: {e}"),
        }
    }
    assert!(xml.contains("classname=\"evil|ns.Deployment/x&lt;script&gt;"));

    let sarif: Value = serde_json::from_str(&hostile_report("sarif")).unwrap();
    assert_sarif(&sarif);
}

/// Headless Chromium, when it is installed (CI installs it).
fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

fn dump_dom(html: &str) -> Option<String> {
    let Some(bin) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is required under CI (.ci/run installs it)"
        );
        eprintln!("\n*** SKIPPED: chromium is not installed; the HTML report was not rendered in a browser ***\n");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, html).unwrap();
    let profile = dir.path().join("profile");
    let out = std::process::Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn html_renders_in_a_browser() {
    let Some(dom) = dump_dom(&report(&["--demo", "--format", "html"])) else {
        return;
    };
    for name in [
        "checkout",
        "storefront",
        "monolith",
        "kube-proxy",
        "Manual review",
    ] {
        assert!(dom.contains(name), "rendered page lacks {name}");
    }
    assert!(dom.contains("<details class=\"workload"));
    assert!(
        dom.contains("title=\"grade B\">B</span>"),
        "cluster grade badge"
    );
    assert!(dom.contains("<input type=\"checkbox\""));
    let readiness = dom
        .find("<section id=\"cluster-readiness\">")
        .expect("readiness");
    assert!(readiness < dom.find("<section id=\"workloads\">").unwrap());
    assert!(dom.contains("<a href=\"#cluster-readiness\">Cluster readiness</a>"));

    let Some(dom) = dump_dom(&hostile_report("html")) else {
        return;
    };
    // The injected script is text on the page, never an element.
    assert!(!dom.contains("<script"), "a script element was created");
    assert!(!dom.contains("<img"), "an img element was created");
    assert!(dom.contains("x&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn cluster_readiness_walks_the_cluster_checks_before_the_workloads() {
    let md = report(&["--demo", "--format", "markdown"]);
    let at = |s: &str| {
        md.find(s)
            .unwrap_or_else(|| panic!("{s:?} not in the report"))
    };
    let readiness = at("\n## Cluster readiness\n");
    assert!(at("\n## Top risks\n") < readiness && readiness < at("\n## Workloads\n"));
    let section = &md[readiness..at("\n## Workloads\n")];
    // The guides' groups in their order.
    let groups: Vec<usize> = [
        "### Observability",
        "### Traffic",
        "### Data",
        "### Capacity",
    ]
    .iter()
    .map(|g| section.find(g).unwrap_or_else(|| panic!("{g}")))
    .collect();
    assert!(groups.windows(2).all(|w| w[0] < w[1]), "{groups:?}");
    // Every cluster check is there with its verdict and evidence; failures carry the fix.
    for (line, verdict) in [
        (
            "`cluster.metrics-server`: the metrics.k8s.io API is served",
            "✔ **pass**",
        ),
        (
            "`cluster.nodes-ready`: 1 of 5 nodes unhealthy",
            "✖ **critical**",
        ),
        (
            "`cluster.version`: Kubernetes 1.34 is out of upstream support",
            "▲ **warning**",
        ),
        (
            "`cluster.node-spread`: 5 schedulable nodes across 3 zones",
            "✔ **pass**",
        ),
    ] {
        let l = section
            .lines()
            .find(|l| l.contains(line))
            .unwrap_or_else(|| panic!("{line} not in\n{section}"));
        assert!(l.starts_with(&format!("- {verdict}")), "{l}");
    }
    let capacity = &section[groups[3]..];
    let nodes = capacity.find("`cluster.nodes-ready`").unwrap();
    let spread = capacity.find("`cluster.node-spread`").unwrap();
    assert!(nodes < spread, "failures first");
    assert!(capacity[nodes..spread].contains("*Fix:* Find out why the kubelet reports"));
    let failing = {
        let model = shipshape::source::demo::demo_model();
        let grades = shipshape::grade::grade_all(&model, &shipshape::config::Config::default());
        let row = grades.cluster_row().expect("a cluster row");
        row.results
            .iter()
            .filter(|r| r.status == shipshape::checks::Status::Fail)
            .count()
    };
    assert!(failing >= 2);
    assert_eq!(
        section.matches("*Fix:*").count(),
        failing,
        "fixes for failures only"
    );
    // Said once: the cluster row is no longer repeated at the end.
    assert!(!md.contains("\n## Cluster\n"));

    // A namespace's report (the dashboard's export of one namespace) is not about the cluster.
    use shipshape::report::document::{Document, Scope};
    let model = shipshape::source::demo::demo_model();
    let grades = shipshape::grade::grade_all(&model, &shipshape::config::Config::default());
    let scope = Scope {
        namespace: Some("shop".into()),
        ..Scope::default()
    };
    let shop = shipshape::report::markdown::render(&Document::build(&model, &grades, scope));
    assert!(!shop.contains("Cluster readiness"));
    assert!(shop.contains("\n## Workloads\n"));
}

#[test]
fn cluster_readiness_escapes_what_the_checks_found() {
    use shipshape::report::document::{Document, Scope};
    let model = shipshape::source::demo::demo_model();
    let mut grades = shipshape::grade::grade_all(&model, &shipshape::config::Config::default());
    let row = grades
        .objects
        .get_mut(&shipshape::subject::SubjectKey::Cluster)
        .expect("a cluster row");
    let nodes = row
        .results
        .iter_mut()
        .find(|r| r.check == "cluster.nodes-ready")
        .unwrap();
    nodes.message = "node <img src=x onerror=alert(1)> | # not a heading\n## nor this".into();
    let doc = Document::build(&model, &grades, Scope::all());
    let html = shipshape::report::html::render(&doc);
    assert!(!html.contains("<img"), "an element from a message");
    assert!(html.contains("node &lt;img src=x onerror=alert(1)&gt;"));
    let md = shipshape::report::markdown::render(&doc);
    assert!(!md.lines().any(|l| l.starts_with("## nor this")), "{md}");
    assert!(md.contains("node \\<img src=x onerror=alert(1)\\> \\| # not a heading"));
}
