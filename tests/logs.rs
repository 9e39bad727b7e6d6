//! Logs on demand against the loopback API server: the request asks for the right instance
//! with bounds; a 403, a gone instance, a kubelet that cannot be reached and an answer slower
//! than the timeout are one sentence each, never a hang.

mod support;

use shipshape::source::live::logs::{fetch, fetch_with};
use shipshape::source::live::{self, ConnectOptions};
use shipshape::triage::logs::{prepare, LogTarget};
use std::time::{Duration, Instant};
use support::apiserver::{ApiServer, LogAnswer};

fn target(previous: bool) -> LogTarget {
    LogTarget {
        namespace: "shop".into(),
        pod: "checkout-7d9f-abcde".into(),
        container: "app".into(),
        previous,
    }
}

async fn client(server: &ApiServer, dir: &std::path::Path) -> (kube::Client, ConnectOptions) {
    let options = ConnectOptions {
        kubeconfig: Some(server.kubeconfig(dir)),
        ..Default::default()
    };
    let conn = live::connect(&options).await.expect("connects");
    (conn.client, options)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_previous_instance_is_read_with_bounds_and_only_with_a_get() {
    let server = ApiServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    server.serve_log(
        "shop",
        "checkout-7d9f-abcde",
        "app",
        true,
        LogAnswer::Text(
            "2026-11-20T09:41:00Z starting\n2026-11-20T09:41:01Z FATAL: cannot reach postgres://app:pw123456@db/app\n"
                .into(),
        ),
    );
    server.serve_log(
        "shop",
        "checkout-7d9f-abcde",
        "app",
        false,
        LogAnswer::Text("current instance\n".into()),
    );
    let (client, _) = client(&server, dir.path()).await;
    let raw = fetch(client.clone(), &target(true), Duration::from_secs(5))
        .await
        .expect("logs");
    let lines = prepare(&raw);
    assert_eq!(lines.len(), 2);
    assert!(lines[1].error);
    assert!(!lines[1].text.contains("pw123456"), "{}", lines[1].text);
    assert!(!lines[0].error);
    let current = fetch(client, &target(false), Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(current, "current instance\n");

    let requests = server.requests();
    let log_reads: Vec<_> = requests.iter().filter(|r| r.uri.contains("/log")).collect();
    assert_eq!(log_reads.len(), 2);
    let first = &log_reads[0].uri;
    assert!(
        first.starts_with("/api/v1/namespaces/shop/pods/checkout-7d9f-abcde/log?"),
        "{first}"
    );
    for part in [
        "container=app",
        "previous=true",
        "tailLines=200",
        "limitBytes=262144",
        "timestamps=true",
    ] {
        assert!(first.contains(part), "{first} lacks {part}");
    }
    assert!(!log_reads[1].uri.contains("previous=true"));
    assert!(requests.iter().all(|r| r.method == hyper::Method::GET));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_logs_are_one_sentence_naming_the_rule() {
    let server = ApiServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    server.forbid("pods/log");
    let (client, _) = client(&server, dir.path()).await;
    let why = fetch(client, &target(true), Duration::from_secs(5))
        .await
        .unwrap_err();
    assert_eq!(
        why,
        "reading logs is forbidden in shop: grant get on pods/log (see deploy/rbac.yaml)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gone_previous_instance_says_so() {
    let server = ApiServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (client, _) = client(&server, dir.path()).await;
    // Nothing served for the previous instance: the API server's 400.
    let why = fetch(client, &target(true), Duration::from_secs(5))
        .await
        .unwrap_err();
    assert_eq!(
        why,
        "the previous instance of container app is gone: the kubelet keeps only the last one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_node_says_so() {
    let server = ApiServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    server.serve_log(
        "shop",
        "checkout-7d9f-abcde",
        "app",
        false,
        LogAnswer::Status(
            500,
            "Get \"https://10.0.3.7:10250/containerLogs/shop/checkout-7d9f-abcde/app\": dial tcp 10.0.3.7:10250: connect: no route to host".into(),
        ),
    );
    let (client, _) = client(&server, dir.path()).await;
    let why = fetch(client, &target(false), Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(
        why.starts_with("the node running checkout-7d9f-abcde cannot be reached for logs (500)"),
        "{why}"
    );
    assert!(!why.contains('\n'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_stops_at_the_timeout() {
    let server = ApiServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    server.serve_log(
        "shop",
        "checkout-7d9f-abcde",
        "app",
        true,
        LogAnswer::Slow(Duration::from_secs(30), "too late\n".into()),
    );
    let (_, options) = client(&server, dir.path()).await;
    let started = Instant::now();
    let why = fetch_with(&options, &target(true), Duration::from_secs(2))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the timeout bounds the whole fetch"
    );
    assert_eq!(
        why,
        "no answer from the API server within 2s: the node may be slow or unreachable"
    );
}
