//! The real binary against an API server on loopback, through a generated kubeconfig.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use support::apiserver::ApiServer;
use support::command::shipshape;

/// Runs the binary off the async runtime, so the server keeps serving meanwhile.
async fn run(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || shipshape().args(&args).output().unwrap())
        .await
        .unwrap()
}

/// Serves every object of the demo cluster.
async fn demo_server() -> ApiServer {
    let server = ApiServer::start().await;
    for object in shipshape::source::demo::demo_model().stores.objects() {
        server.apply(object.to_json());
    }
    server
}

fn args(list: &[&str], kubeconfig: &Path) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.push("--kubeconfig".into());
    v.push(kubeconfig.display().to_string());
    v
}

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Workload → (grade, every non-health check → result).
fn verdicts(report: &Value) -> BTreeMap<String, (String, BTreeMap<String, String>)> {
    report["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let key = format!("{}/{}/{}", w["kind"], w["namespace"], w["name"]);
            let results = w["results"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["category"] != "health")
                .map(|r| {
                    (
                        r["check"].as_str().unwrap().to_string(),
                        r["result"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (key, (w["grade"].to_string(), results))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_grades_what_the_server_serves() {
    let server = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let live = json(&run(args(&["check", "-o", "json"], &kubeconfig)).await);
    let demo = json(
        &run(vec![
            "check".into(),
            "--demo".into(),
            "-o".into(),
            "json".into(),
        ])
        .await,
    );
    assert_eq!(live["source"]["name"], "loopback");
    assert_eq!(live["source"]["type"], "cluster");
    let (live_v, demo_v) = (verdicts(&live), verdicts(&demo));
    assert_eq!(
        live_v.keys().collect::<Vec<_>>(),
        demo_v.keys().collect::<Vec<_>>(),
        "the same workloads"
    );
    for (key, (_, results)) in &live_v {
        for (check, result) in results {
            // The demo's cluster facts (server version) differ from the loopback server's;
            // everything that is about the workload itself must agree.
            assert_eq!(
                Some(result),
                demo_v[key].1.get(check),
                "{key} {check}: live {result}"
            );
        }
    }
    // Every kind listed but those of the add-on groups this server does not serve
    // (Prometheus Operator, Velero, Karpenter, Kyverno, Gatekeeper,
    // External Secrets); none forbidden.
    let not_served = [
        "ServiceMonitor",
        "PodMonitor",
        "PrometheusRule",
        "Schedule",
        "Backup",
        "NodePool",
        "ClusterPolicy",
        "ConstraintTemplate",
        "ExternalSecret",
        "ClusterSecretStore",
    ];
    assert_eq!(
        live["kinds"]["synced"].as_array().unwrap().len(),
        shipshape::cluster::Kind::ALL.len() - not_served.len(),
        "{}",
        live["kinds"]
    );
    assert_eq!(live["kinds"]["notServed"], serde_json::json!(not_served));
    // Only reads, each saying who reads (audit logs are read by user agent).
    let requests = server.requests();
    assert!(requests.iter().all(|r| r.method == hyper::Method::GET));
    let agent = format!("shipshape/{} (", env!("CARGO_PKG_VERSION"));
    for r in &requests {
        assert!(
            r.user_agent.starts_with(&agent),
            "{} {:?}",
            r.uri,
            r.user_agent
        );
    }
}

/// Runs the binary with extra environment variables.
async fn run_with_env(args: Vec<String>, env: Vec<(&'static str, String)>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        let mut cmd = shipshape();
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(&args).output().unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubeconfig_lists_with_missing_files_are_read_like_kubectl() {
    let server = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    let real = server.kubeconfig(dir.path());
    let list = std::env::join_paths([dir.path().join("gone-1"), real, dir.path().join("gone-2")])
        .unwrap()
        .into_string()
        .unwrap();
    let out = run_with_env(
        vec!["check".into(), "-o".into(), "json".into()],
        vec![("KUBECONFIG", list)],
    )
    .await;
    assert_eq!(json(&out)["source"]["name"], "loopback");

    // Only missing files: no kubeconfig at all, said as such.
    let list = dir.path().join("gone-1").display().to_string();
    let out = run_with_env(vec!["check".into()], vec![("KUBECONFIG", list)]).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no kubeconfig found"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_not_kubernetes_is_named_as_such() {
    // Answers every request with an empty 404, as a wrong port or a plain web server would.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        // Ends with the test process; each connection gets one answer and is closed.
        for mut socket in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            if socket.read(&mut buf).is_ok() {
                let _ = socket.write_all(
                    b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
            }
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!("apiVersion: v1\nkind: Config\nclusters:\n- name: web\n  cluster: {{server: 'http://{addr}'}}\nusers:\n- name: u\n  user: {{token: t}}\ncontexts:\n- name: web\n  context: {{cluster: web, user: u}}\ncurrent-context: web\n"),
    )
    .unwrap();
    let out = run(args(&["check"], &kubeconfig)).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("answered 404: Not Found, with no explanation; every Kubernetes API server serves /version"),
        "{err}"
    );
    assert!(
        !err.contains("404: ;") && !err.trim_end().ends_with(':'),
        "{err}"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_plugin_that_hangs_is_ended_and_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // Stands for a plugin waiting for a login that never comes; it leaves a mark with its pid.
    let plugin = dir.path().join("get-token-forever");
    let pidfile = dir.path().join("plugin.pid");
    std::fs::write(
        &plugin,
        format!(
            "#!/bin/sh\necho $$ > '{}'\nexec sleep 600\n",
            pidfile.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: 'http://127.0.0.1:1'}}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: Never\ncontexts:\n- name: sso\n  context: {{cluster: c, user: u}}\ncurrent-context: sso\n", plugin.display()),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = run(args(&["check", "--timeout", "2"], &kubeconfig)).await;
    assert!(
        started.elapsed().as_secs() < 30,
        "no hang: {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "the credential plugin `{}` of context \"sso\" did not finish within 2 s",
            plugin.display()
        )),
        "{err}"
    );
    // The plugin did not outlive shipshape.
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    let proc_dir = std::path::PathBuf::from(format!("/proc/{}", pid.trim()));
    if std::path::Path::new("/proc/self").exists() {
        let gone = (0..50).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            // A killed child of an ended parent is reaped by init; until then it is a zombie.
            std::fs::read_to_string(proc_dir.join("stat"))
                .map(|s| {
                    s.rsplit_once(')')
                        .is_some_and(|(_, t)| t.trim_start().starts_with('Z'))
                })
                .unwrap_or(true)
        });
        assert!(gone, "the plugin {} still runs", pid.trim());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_reads_back_exactly() {
    let server = demo_server().await;
    server.forbid("resourcequotas");
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path());
    let file = dir.path().join("prod.yaml");
    let out = run(args(
        &["snapshot", "-o", file.to_str().unwrap()],
        &kubeconfig,
    ))
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(note.contains("1 forbidden"), "{note}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("kind: Snapshot"));
    // Secrets are metadata only: the demo's Secret payloads never reach the file.
    assert!(
        !text.contains("\ndata:") && !text.contains(" data:"),
        "payload in snapshot"
    );

    let live = json(&run(args(&["check", "-o", "json"], &kubeconfig)).await);
    let back = json(
        &run(vec![
            "check".into(),
            "-o".into(),
            "json".into(),
            "--file".into(),
            file.display().to_string(),
        ])
        .await,
    );
    assert_eq!(verdicts(&live), verdicts(&back));
    assert_eq!(live["kinds"], back["kinds"]);
    assert_eq!(
        back["kinds"]["forbidden"],
        serde_json::json!(["ResourceQuota"])
    );
    assert_eq!(live["cluster"]["grade"], back["cluster"]["grade"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_problems_are_one_sentence_and_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    // A server that is not there.
    let kubeconfig = {
        let server = ApiServer::start().await;
        let path = server.kubeconfig(dir.path());
        drop(server);
        path
    };
    let started = std::time::Instant::now();
    let out = run(args(&["check"], &kubeconfig)).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("shipshape: error: cannot reach the API server of \"loopback\""),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(started.elapsed().as_secs() < 30, "no hang");

    let out = run(args(&["check", "--context", "nope"], &kubeconfig)).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("context \"nope\" is not in the kubeconfig; known contexts: loopback"),
        "{err}"
    );

    let missing = dir.path().join("missing");
    let out = run(args(&["check"], &missing)).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read kubeconfig"), "{err}");
}
