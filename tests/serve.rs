//! `shipshape serve` against the loopback API server, scraped over HTTP; then the same
//! exporter checked and scraped by the real Prometheus tools.

mod support;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::apiserver::ApiServer;
use support::command::shipshape;
use support::exporter::{request, Exporter, Metrics};

const WITHIN: Duration = Duration::from_secs(60);

/// Serves every object of the demo cluster, and a Deployment `ledger/books` with two ready pods.
async fn demo_server() -> ApiServer {
    let server = ApiServer::start().await;
    for object in shipshape::source::demo::demo_model().stores.objects() {
        server.apply(object.to_json());
    }
    seed_books(&server);
    server
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn seed_books(server: &ApiServer) {
    let labels = json!({"app": "books"});
    server.apply(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ledger"}}));
    server.apply(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "books", "namespace": "ledger", "uid": "dep-books",
                     "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "books", "image": "registry.example/books:1.0"}]}}},
        "status": {"replicas": 2, "readyReplicas": 2, "availableReplicas": 2, "updatedReplicas": 2}
    }));
    server.apply(json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "books-7c9", "namespace": "ledger", "uid": "rs-books",
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "books",
                                          "uid": "dep-books", "controller": true}]},
        "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "books", "image": "registry.example/books:1.0"}]}}}
    }));
    for i in 1..=2 {
        server.apply(books_pod(i, false));
    }
}

fn books_pod(i: u32, crash_looping: bool) -> Value {
    let status = if crash_looping {
        json!({"phase": "Running", "startTime": now(),
               "conditions": [{"type": "Ready", "status": "False"}],
               "containerStatuses": [{"name": "books", "ready": false, "restartCount": 7,
                                      "image": "registry.example/books:1.0", "imageID": "",
                                      "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": now()}},
                                      "state": {"waiting": {"reason": "CrashLoopBackOff",
                                                "message": "back-off 5m0s restarting failed container"}}}]})
    } else {
        json!({"phase": "Running", "startTime": now(),
               "conditions": [{"type": "Ready", "status": "True"}],
               "containerStatuses": [{"name": "books", "ready": true, "restartCount": 0,
                                      "image": "registry.example/books:1.0", "imageID": "",
                                      "state": {"running": {"startedAt": now()}}}]})
    };
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("books-7c9-{i}"), "namespace": "ledger", "labels": {"app": "books"},
                     "creationTimestamp": now(),
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "books-7c9",
                                          "uid": "rs-books", "controller": true}]},
        "spec": {"nodeName": "node-a", "containers": [{"name": "books", "image": "registry.example/books:1.0"}]},
        "status": status
    })
}

fn kubeconfig_arg(path: &Path) -> Vec<String> {
    vec!["--kubeconfig".into(), path.display().to_string()]
}

fn start_exporter(kubeconfig: &Path, extra: &[&str]) -> Exporter {
    let mut args: Vec<String> = kubeconfig_arg(kubeconfig);
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    Exporter::start(&refs)
}

/// Runs blocking work (the child process, polling over HTTP) off the async runtime, so the
/// API server keeps serving meanwhile.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

fn check_json(kubeconfig: &Path) -> Value {
    let out = shipshape()
        .args(["check", "-o", "json"])
        .args(kubeconfig_arg(kubeconfig))
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn workload_labels(w: &Value) -> [(&'static str, String); 4] {
    [
        ("cluster", "loopback".to_string()),
        ("namespace", w["namespace"].as_str().unwrap().to_string()),
        ("kind", w["kind"].as_str().unwrap().to_string()),
        ("workload", w["name"].as_str().unwrap().to_string()),
    ]
}

fn pairs<'a>(labels: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    labels.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scrape_carries_the_grades_check_prints() {
    let server = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let k = kubeconfig.clone();
    let (report, metrics, served_report) = blocking(move || {
        let exporter = start_exporter(&k, &[]);
        exporter.wait_ready(WITHIN);
        let report = check_json(&k);
        let metrics = exporter.metrics();
        let served = exporter.get("/report.json");
        assert_eq!(served.status, 200);
        assert_eq!(served.header("content-type"), Some("application/json"));
        (
            report,
            metrics,
            serde_json::from_str::<Value>(&served.body).unwrap(),
        )
    })
    .await;

    let workloads = report["workloads"].as_array().unwrap();
    assert!(workloads.len() > 5);
    for w in workloads {
        let labels = workload_labels(w);
        let labels = pairs(&labels);
        assert_eq!(
            metrics.value("shipshape_workload_score", &labels),
            w["score"].as_f64(),
            "score of {labels:?}"
        );
        let grade = metrics.find("shipshape_workload_grade", &labels);
        match w["grade"].as_str() {
            Some(g) => {
                assert_eq!(grade.len(), 1, "{labels:?}");
                assert_eq!(Metrics::label(grade[0].0, "grade"), Some(g));
                assert_eq!(grade[0].1, 1.0);
            }
            None => assert!(grade.is_empty()),
        }
        let health = metrics.find("shipshape_workload_health", &labels);
        assert_eq!(health.len(), 1);
        assert_eq!(Metrics::label(health[0].0, "health"), w["health"].as_str());
    }
    let cluster = [("cluster", "loopback")];
    assert_eq!(
        metrics.value("shipshape_cluster_score", &cluster),
        report["cluster"]["score"].as_f64()
    );
    let grade = metrics.find("shipshape_cluster_grade", &cluster);
    assert_eq!(
        Metrics::label(grade[0].0, "grade"),
        report["cluster"]["grade"].as_str()
    );
    for n in report["namespaces"].as_array().unwrap() {
        assert_eq!(
            metrics.value(
                "shipshape_namespace_score",
                &[
                    ("cluster", "loopback"),
                    ("namespace", n["name"].as_str().unwrap())
                ]
            ),
            n["score"].as_f64()
        );
    }
    // Alerts by check and severity: the same totals as the report's alert list.
    let alert_total: f64 = metrics
        .find("shipshape_alerts", &cluster)
        .iter()
        .map(|(_, v)| v)
        .sum();
    assert_eq!(
        alert_total,
        report["alerts"].as_array().unwrap().len() as f64
    );
    assert!(alert_total > 0.0);
    // Every kind listed; the process metrics are there.
    assert_eq!(
        metrics.value("shipshape_cluster_ready", &cluster),
        Some(1.0)
    );
    let synced = metrics.find(
        "shipshape_sync_state",
        &[("cluster", "loopback"), ("state", "synced")],
    );
    // Each kind is listed, or its API group is not served (the add-on is not installed).
    assert!(!synced.is_empty());
    for (labels, v) in &synced {
        let kind = labels
            .iter()
            .find(|(k, _)| k == "kind")
            .map(|(_, v)| v.as_str());
        let kind = kind.expect("a kind label");
        let not_served = metrics.value(
            "shipshape_sync_state",
            &[
                ("cluster", "loopback"),
                ("kind", kind),
                ("state", "not-served"),
            ],
        );
        assert_eq!(v + not_served.unwrap_or(0.0), 1.0, "{kind}");
    }
    assert!(metrics.value("process_resident_memory_bytes", &[]).unwrap() > 1e6);
    let started = metrics.value("process_start_time_seconds", &[]).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        started <= now && started > now - 600.0,
        "{started} vs {now}"
    );
    assert!(
        metrics
            .value("shipshape_last_event_age_seconds", &cluster)
            .unwrap()
            >= 0.0
    );

    // /report.json is `check -o json` (up to the time it was evaluated at).
    let strip = |mut v: Value| {
        v["source"]["evaluated_at"] = Value::Null;
        v
    };
    assert_eq!(strip(served_report), strip(report));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_loop_shows_in_the_next_scrape() {
    let server = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let exporter = blocking(move || {
        let e = start_exporter(&kubeconfig, &[]);
        e.wait_ready(WITHIN);
        e
    })
    .await;
    let books = [
        ("cluster", "loopback"),
        ("namespace", "ledger"),
        ("kind", "Deployment"),
        ("workload", "books"),
    ];
    let before = exporter.metrics();
    assert_eq!(
        before.find("shipshape_workload_health", &books)[0]
            .0
            .iter()
            .find(|(k, _)| k == "health")
            .unwrap()
            .1,
        "healthy"
    );
    assert!(before.find("shipshape_alerts", &books).is_empty());

    server.apply(books_pod(2, true));
    let exporter = blocking(move || {
        exporter.until("the crash loop", WITHIN, |m| {
            m.find("shipshape_alerts", &books)
                .iter()
                .any(|(l, v)| Metrics::label(l, "check") == Some("health.crash-loop") && *v == 1.0)
        });
        exporter
    })
    .await;
    let after = exporter.metrics();
    let crash = after.find(
        "shipshape_alerts",
        &[("workload", "books"), ("check", "health.crash-loop")],
    );
    assert_eq!(Metrics::label(crash[0].0, "severity"), Some("critical"));
    let health = after.find("shipshape_workload_health", &books);
    assert_ne!(Metrics::label(health[0].0, "health"), Some("healthy"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_waits_for_the_lists_and_fails_while_the_cluster_is_away() {
    let server = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    // The API server is down when the exporter starts: it is up (healthz) but not ready.
    server.stop();
    let exporter = blocking(move || {
        let e = start_exporter(&kubeconfig, &[]);
        let health = e.get("/healthz");
        assert_eq!((health.status, health.body.as_str()), (200, "ok\n"));
        let ready = e.get("/readyz");
        assert_eq!(ready.status, 503, "{}", ready.body);
        assert!(ready.body.contains("loopback"), "{}", ready.body);
        assert_eq!(
            e.metrics()
                .value("shipshape_cluster_ready", &[("cluster", "loopback")]),
            Some(0.0)
        );
        e
    })
    .await;
    server.restart(false).await;
    let exporter = blocking(move || {
        exporter.wait_ready(WITHIN);
        exporter
    })
    .await;
    // Gone again: the watchers go stale and readiness fails with the reason.
    server.stop();
    blocking(move || {
        let start = std::time::Instant::now();
        loop {
            let r = exporter.get("/readyz");
            if r.status == 503 {
                assert!(r.body.contains("stale"), "{}", r.body);
                break;
            }
            assert!(start.elapsed() < WITHIN, "still ready with the server gone");
            std::thread::sleep(Duration::from_millis(200));
        }
        let m = exporter.metrics();
        assert_eq!(
            m.value("shipshape_cluster_ready", &[("cluster", "loopback")]),
            Some(0.0)
        );
        // What was graded stays published while the cluster is away.
        assert!(m
            .value("shipshape_cluster_score", &[("cluster", "loopback")])
            .is_some());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scrape_during_a_relist_sees_every_workload_graded() {
    let server = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let exporter = blocking(move || {
        let e = start_exporter(&kubeconfig, &[]);
        e.wait_ready(WITHIN);
        e
    })
    .await;
    let graded = |m: &Metrics| {
        let mut names: Vec<String> = m
            .find("shipshape_workload_grade", &[])
            .iter()
            .map(|(l, _)| {
                format!(
                    "{:?}",
                    l.iter().filter(|(k, _)| k != "grade").collect::<Vec<_>>()
                )
            })
            .collect();
        names.sort();
        names
    };
    let before = graded(&exporter.metrics());
    assert!(before.len() > 5);
    // The server loses its watch history: every watcher relists while we scrape.
    let scraping = tokio::task::spawn_blocking(move || {
        let mut scrapes = 0;
        let start = std::time::Instant::now();
        while start.elapsed() < Duration::from_secs(6) {
            let m = exporter.metrics();
            assert_eq!(graded(&m), before, "a scrape saw a half-graded cluster");
            assert!(m
                .value("shipshape_cluster_score", &[("cluster", "loopback")])
                .is_some());
            scrapes += 1;
        }
        scrapes
    });
    server.stop();
    server.restart(true).await;
    assert!(scraping.await.unwrap() > 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_get_and_head_are_served_and_requests_are_bounded() {
    let server = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    blocking(move || {
        let e = start_exporter(&kubeconfig, &["--no-workload-series"]);
        for method in ["POST", "PUT", "DELETE", "PATCH"] {
            let r = request(e.addr, method, "/metrics", "Content-Length: 0\r\n");
            assert_eq!(r.status, 405, "{method}");
            assert_eq!(r.header("allow"), Some("GET, HEAD"));
        }
        let head = request(e.addr, "HEAD", "/metrics", "");
        assert_eq!(head.status, 200);
        assert!(head.body.is_empty());
        assert_eq!(
            head.header("content-type"),
            Some("text/plain; version=0.0.4; charset=utf-8")
        );
        assert_eq!(e.get("/nothing").status, 404);
        e.wait_ready(WITHIN);
        let html = e.get("/report.html");
        assert_eq!(html.status, 200);
        assert_eq!(
            html.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(
            html.body.starts_with("<!DOCTYPE html>"),
            "{}",
            &html.body[..100]
        );
        assert!(html.body.contains("books"));
        let body = request(e.addr, "GET", "/metrics", "Content-Length: 5\r\n\r\nhello");
        assert_eq!(body.status, 413);
        // Headers past the limit are refused, not buffered.
        let huge = format!("X-Filler: {}\r\n", "a".repeat(64 * 1024));
        {
            use std::io::{Read, Write};
            let mut s = std::net::TcpStream::connect(e.addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            // The server may stop reading (and reset) before the whole request is written.
            let _ = write!(s, "GET /metrics HTTP/1.1\r\nHost: x\r\n{huge}\r\n");
            let mut raw = Vec::new();
            match s.read_to_end(&mut raw) {
                Ok(_) => assert_eq!(support::exporter::parse_response(&raw).status, 431),
                Err(err) => assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset),
            }
            assert_eq!(e.get("/healthz").status, 200, "still serving");
        }
        // The switch: no per-workload series at all, every workload counted as dropped.
        e.wait_ready(WITHIN);
        let m = e.metrics();
        assert!(m.find("shipshape_workload_grade", &[]).is_empty());
        assert!(m
            .samples
            .iter()
            .all(|(_, l, _)| Metrics::label(l, "workload").is_none()));
        let workloads = m
            .value("shipshape_cluster_workloads", &[("cluster", "loopback")])
            .unwrap();
        assert!(workloads > 5.0);
        assert_eq!(
            m.value(
                "shipshape_workload_series_dropped",
                &[("cluster", "loopback")]
            ),
            Some(workloads)
        );
    })
    .await;
}

/// `prometheus` or `promtool` on PATH, or why the test is skipped. Under CI they must be there.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is not installed, and CI is set: install Debian's prometheus package"
        );
        eprintln!("skipped: {name} is not installed (apt-get install prometheus)");
    }
    found
}

fn deploy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy")
}

/// The `spec` (rule groups) of the shipped PrometheusRule, as a rules file promtool reads.
fn shipped_rules() -> String {
    let text = std::fs::read_to_string(deploy().join("prometheusrule.yaml")).unwrap();
    let rule: Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(rule["kind"], "PrometheusRule");
    serde_json::to_string_pretty(&rule["spec"]).unwrap()
}

#[test]
fn the_shipped_rules_file_is_the_prometheusrules_spec() {
    let file: Value =
        serde_norway::from_str(&std::fs::read_to_string(deploy().join("rules.yaml")).unwrap())
            .unwrap();
    let spec: Value = serde_json::from_str(&shipped_rules()).unwrap();
    assert_eq!(
        file, spec,
        "deploy/rules.yaml and deploy/prometheusrule.yaml differ"
    );
    let alerts: Vec<&str> = spec["groups"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["alert"].as_str())
        .collect();
    assert!(alerts.len() >= 3, "{alerts:?}");
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for r in spec["groups"][0]["rules"].as_array().unwrap() {
        let url = r["annotations"]["runbook_url"]
            .as_str()
            .expect("a runbook_url");
        let anchor = url.rsplit_once('#').expect("a README anchor").1;
        assert!(
            readme
                .lines()
                .any(|l| l.starts_with('#') && slug(l) == anchor),
            "{url}: no README heading"
        );
    }
}

/// The anchor GitHub gives a heading.
fn slug(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promtool_accepts_a_scrape_and_the_shipped_rules_pass_their_tests() {
    let Some(promtool) = tool("promtool") else {
        return;
    };
    let server = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let scrape = blocking(move || {
        let e = start_exporter(&kubeconfig, &[]);
        e.wait_ready(WITHIN);
        e.get("/metrics").body
    })
    .await;
    let run = |args: &[&str], stdin: Option<&str>| {
        use std::io::Write;
        let mut child = std::process::Command::new(&promtool)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
        drop(input);
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    let (ok, said) = run(&["check", "metrics"], Some(&scrape));
    assert!(ok, "promtool check metrics: {said}");
    // Lint findings are printed without failing; shipshape's metrics have none.
    assert!(said.trim().is_empty(), "promtool check metrics: {said}");

    let rules = dir.path().join("rules.yaml");
    std::fs::write(&rules, shipped_rules()).unwrap();
    let (ok, said) = run(&["check", "rules", rules.to_str().unwrap()], None);
    assert!(ok, "promtool check rules: {said}");
    assert!(said.contains("SUCCESS"), "{said}");
    let tests = deploy().join("rules-test.yaml");
    let (ok, said) = run(&["test", "rules", tests.to_str().unwrap()], None);
    assert!(ok, "promtool test rules: {said}");
}

/// A free loopback port (bound and released: Prometheus binds it right after).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_prometheus_scrapes_the_grades() {
    let Some(prometheus) = tool("prometheus") else {
        return;
    };
    let server = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let k = kubeconfig.clone();
    let exporter = blocking(move || {
        let e = start_exporter(&k, &[]);
        e.wait_ready(WITHIN);
        e
    })
    .await;
    let report = blocking(move || check_json(&kubeconfig)).await;
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n- job_name: shipshape\n  static_configs:\n  - targets: ['{}']\n",
            exporter.addr
        ),
    )
    .unwrap();
    let port = free_port();
    let data = dir.path().join("data");
    let child = std::process::Command::new(prometheus)
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--storage.tsdb.path={}", data.display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _prometheus = Kill(child);
    let w = report["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "books")
        .unwrap()
        .clone();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let query =
        "shipshape_workload_score{namespace=\"ledger\",workload=\"books\",cluster=\"loopback\"}"
            .to_string();
    let grade_query =
        "shipshape_workload_grade{namespace=\"ledger\",workload=\"books\"}".to_string();
    let (score, grade) = blocking(move || {
        let ask = |q: &str| -> Value {
            let path = format!("/api/v1/query?query={}", percent(q));
            let r = request(addr, "GET", &path, "");
            if r.status != 200 {
                return Value::Null;
            }
            // Prometheus answers with chunked encoding on some versions: the JSON is inside.
            let body = r.body.find('{').map(|i| &r.body[i..]).unwrap_or("");
            let end = body.rfind('}').map(|i| i + 1).unwrap_or(0);
            serde_json::from_str(&body[..end]).unwrap_or(Value::Null)
        };
        let start = std::time::Instant::now();
        loop {
            let s = std::net::TcpStream::connect(addr)
                .is_ok()
                .then(|| ask(&query));
            if let Some(s) = s {
                let result = &s["data"]["result"];
                if result.as_array().is_some_and(|a| !a.is_empty()) {
                    let g = ask(&grade_query);
                    return (
                        result[0]["value"][1].clone(),
                        g["data"]["result"][0]["metric"]["grade"].clone(),
                    );
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(90),
                "Prometheus never had the series"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    })
    .await;
    let score: f64 = score.as_str().unwrap().parse().unwrap();
    assert_eq!(Some(score), w["score"].as_f64());
    assert_eq!(grade, w["grade"]);
    drop(exporter);
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_from_the_cluster_cannot_forge_series() {
    let server = demo_server().await;
    // The API server would refuse such a name; a misbehaving one, or a proxy, might not.
    let hostile = "evil\"} 1\nshipshape_cluster_score{cluster=\"forged\"} 100\n\\";
    server.apply(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": hostile, "namespace": "ledger", "uid": "dep-evil"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "evil"}},
                 "template": {"metadata": {"labels": {"app": "evil"}},
                              "spec": {"containers": [{"name": "evil", "image": "registry.example/evil:1.0"}]}}}
    }));
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let metrics = blocking(move || {
        let e = start_exporter(&kubeconfig, &[]);
        e.wait_ready(WITHIN);
        e.metrics()
    })
    .await;
    // The name comes back whole from the label it was written into, and nothing else.
    let evil = metrics.find("shipshape_workload_health", &[("workload", hostile)]);
    assert_eq!(evil.len(), 1, "{}", metrics.text);
    assert!(metrics
        .find("shipshape_cluster_score", &[("cluster", "forged")])
        .is_empty());
    assert!(metrics
        .text
        .lines()
        .all(|l| l.starts_with('#') || l.starts_with("shipshape_") || l.starts_with("process_")));
    if let Some(promtool) = tool("promtool") {
        use std::io::Write;
        let mut child = std::process::Command::new(promtool)
            .args(["check", "metrics"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(metrics.text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scrape_while_the_cluster_is_regraded_gets_the_last_complete_grading() {
    // 3,000 pods: regrading them after a relist takes the engine a while.
    const WORKLOADS: usize = 600;
    let server = ApiServer::start().await;
    server.apply_list(shipshape::synthetic::cluster_list(WORKLOADS, 5));
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let exporter = blocking(move || {
        let e = start_exporter(&kubeconfig, &[]);
        e.wait_ready(WITHIN);
        e.until("every workload graded", WITHIN, |m| {
            m.value("shipshape_cluster_workloads", &[("cluster", "loopback")])
                == Some(WORKLOADS as f64)
        });
        e
    })
    .await;
    const CLUSTER: [(&str, &str); 1] = [("cluster", "loopback")];
    let cluster = CLUSTER;
    let workloads = |m: &Metrics| {
        let mut rows: Vec<String> = m
            .find("shipshape_workload_score", &CLUSTER)
            .iter()
            .map(|(l, v)| format!("{l:?} {v}"))
            .collect();
        rows.sort();
        rows
    };
    let before = exporter.metrics();
    let before_rows = workloads(&before);
    assert_eq!(before_rows.len(), WORKLOADS);
    let before_score = before.value("shipshape_cluster_score", &cluster);
    assert!(before_score.is_some());
    assert_eq!(
        before.value("shipshape_cluster_regrading", &cluster),
        Some(0.0)
    );
    // The server loses its watch history, every watcher relists and every workload is
    // regraded; meanwhile scrapes keep coming. Some must be answered while the regrade runs
    // (an exporter that grades on the thread that serves could not), and each of those must
    // carry the previous grading, whole: every workload, the same scores.
    let mut exporter = exporter;
    let mut served_mid_regrade = 0;
    for _ in 0..10 {
        server.stop();
        server.restart(true).await;
        let rows = before_rows.clone();
        let (e, seen) = blocking(move || {
            let mut seen = 0;
            let start = std::time::Instant::now();
            while start.elapsed() < Duration::from_secs(8) {
                let m = exporter.metrics();
                if m.value("shipshape_cluster_regrading", &cluster) != Some(1.0) {
                    continue;
                }
                seen += 1;
                assert_eq!(
                    workloads(&m),
                    rows,
                    "a scrape mid-regrade saw another grading"
                );
                assert_eq!(
                    m.value("shipshape_cluster_workloads", &cluster),
                    Some(WORKLOADS as f64)
                );
                assert_eq!(m.value("shipshape_cluster_score", &cluster), before_score);
            }
            (exporter, seen)
        })
        .await;
        exporter = e;
        served_mid_regrade += seen;
        if served_mid_regrade > 0 {
            break;
        }
    }
    assert!(
        served_mid_regrade > 0,
        "no scrape was answered while the cluster was being regraded"
    );
}
