//! The live path against the loopback API server holding a generated cluster of 2,000
//! Deployments with 10,000 pods (their ReplicaSets, a Service and a PDB each, 20 namespaces).
//!
//! - `list every kind`: the baseline. Every list the watchers send, with the same page size,
//!   `Accept` headers and field selectors, one task per kind as the watchers run them, bodies
//!   received in full but not decoded.
//! - `connect, sync, grade`: what `shipshape check` does: connect (`GET /version`), start the
//!   watchers, apply their messages until every kind has listed, then grade everything.
//! - `pod event to visible`: a synced dashboard ([`App`] with the grades it keeps); one pod on
//!   the server flips between running and crash-looping. Timed from the moment its message is
//!   taken off the watchers' channel to [`App::flush`] returning with the workload regraded and
//!   its alert in (or out of) the alerts pane's rows. The same with one 160×48 frame drawn, and
//!   from the server's change to visible (watch delivery and decoding included), are printed.
//!
//! `cargo bench --bench live`; see README "Performance".

#[path = "../tests/support/apiserver.rs"]
mod apiserver;

use apiserver::ApiServer;
use criterion::{criterion_group, criterion_main, Criterion};
use futures::future::join_all;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::{json, Value};
use shipshape::cluster::{Kind, Msg, WorkloadKey, WorkloadKind};
use shipshape::config::Config;
use shipshape::source::live::watch::{read_mode, ReadMode, PAGE_SIZE};
use shipshape::source::live::{self, ConnectOptions, Connection};
use shipshape::ui::app::{App, SourceMode};
use shipshape::ui::theme::Theme;
use std::hint::black_box;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;
use tokio::sync::mpsc::UnboundedReceiver;

const WORKLOADS: usize = 2_000;
const PODS_PER_WORKLOAD: usize = 5;
const CRASH_LOOP: &str = "health.crash-loop";

fn runtime() -> Runtime {
    // Two workers for the server and the watchers together: the machine has two cores.
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn connect(server: &ApiServer, dir: &std::path::Path) -> Connection {
    let options = ConnectOptions {
        kubeconfig: Some(server.kubeconfig(dir)),
        ..Default::default()
    };
    live::connect(&options).await.expect("connects")
}

/// The path of a kind's cluster-wide collection.
fn collection(kind: Kind) -> String {
    if kind.group().is_empty() {
        format!("/api/{}/{}", kind.version(), kind.plural())
    } else {
        format!(
            "/apis/{}/{}/{}",
            kind.group(),
            kind.version(),
            kind.plural()
        )
    }
}

/// Fetches every page of one kind's list as the watcher asks for it; returns the bytes.
async fn list_pages(client: kube::Client, kind: Kind) -> usize {
    let request = kube::core::Request::new(collection(kind));
    let mut token: Option<String> = None;
    let mut bytes = 0;
    loop {
        let mut params = kube::api::ListParams::default().limit(PAGE_SIZE);
        if kind == Kind::Event {
            params = params.fields("type=Warning");
        }
        if let Some(t) = token.take() {
            params = params.continue_token(&t);
        }
        let req = match read_mode(kind) {
            ReadMode::Full => request.list(&params),
            ReadMode::Metadata => request.list_metadata(&params),
        }
        .unwrap();
        let body = client.request_text(req).await.expect("lists");
        bytes += body.len();
        // Not parsed: the continue token is found by a text search (the list's metadata
        // follows its items in this server's answers).
        match continue_token(&body) {
            Some(t) => token = Some(t),
            None => return bytes,
        }
    }
}

fn continue_token(body: &str) -> Option<String> {
    const KEY: &str = "\"continue\":\"";
    let at = body.rfind(KEY)? + KEY.len();
    let end = body[at..].find('"')?;
    Some(body[at..at + end].to_string()).filter(|t| !t.is_empty())
}

/// Every kind's list, all kinds at once.
async fn list_every_kind(client: &kube::Client) -> usize {
    join_all(
        Kind::ALL
            .iter()
            .map(|&kind| tokio::spawn(list_pages(client.clone(), kind))),
    )
    .await
    .into_iter()
    .map(|r| r.unwrap())
    .sum()
}

/// The pod that flips, of the healthy workload `svc-00001`.
fn flipping_pod(server: &ApiServer) -> (WorkloadKey, Value) {
    let namespaces = (WORKLOADS / 100).max(1);
    let ns = format!("team-{:02}", 1 % namespaces);
    let name = format!("svc-00001-{:x}-00000", 0x5f00_0001u32);
    let pod = server
        .get(Kind::Pod, &ns, &name)
        .expect("the generated pod");
    (
        WorkloadKey::new(WorkloadKind::Deployment, &ns, "svc-00001"),
        pod,
    )
}

fn with_status(pod: &Value, crashing: bool, round: usize) -> Value {
    let mut pod = pod.clone();
    let status = &mut pod["status"]["containerStatuses"][0];
    status["ready"] = json!(!crashing);
    status["restartCount"] = json!(round);
    status["state"] = if crashing {
        json!({"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"}})
    } else {
        json!({"running": {"startedAt": "2026-11-20T08:00:00Z"}})
    };
    pod["status"]["conditions"][0]["status"] = json!(if crashing { "False" } else { "True" });
    pod
}

/// Timings of single pod events, for the medians criterion's per-sample means hide.
#[derive(Default)]
struct Latencies {
    flush: Vec<Duration>,
    flush_draw: Vec<Duration>,
    server_to_visible: Vec<Duration>,
}

fn summary(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: {} events, median {:.2?}, p90 {:.2?}, p99 {:.2?}, max {:.2?}",
        samples.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        samples[samples.len() - 1]
    );
}

/// A dashboard watching the server, synced.
struct Dashboard {
    app: App,
    rx: UnboundedReceiver<Msg>,
    _handle: live::LiveHandle,
}

impl Dashboard {
    async fn start(conn: &Connection) -> Dashboard {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = live::start(conn, tx);
        let themes = vec![Theme::builtin("dark").unwrap()];
        let mut app = App::new(
            shipshape::cluster::ClusterModel::new(),
            Config::default(),
            SourceMode::Live,
            themes,
        );
        app.resize(160, 48);
        let deadline = Instant::now() + Duration::from_secs(120);
        while !live::unsettled(app.model()).is_empty() {
            let msg = tokio::time::timeout_at(deadline.into(), rx.recv())
                .await
                .expect("syncs in time")
                .expect("source open");
            app.apply(msg);
        }
        // Discovery's facts, if still on the way.
        tokio::time::sleep(Duration::from_millis(200)).await;
        while let Ok(msg) = rx.try_recv() {
            app.apply(msg);
        }
        app.flush();
        Dashboard {
            app,
            rx,
            _handle: handle,
        }
    }

    /// Flips the pod on the server and waits for its message; returns when the change was
    /// made and the message.
    async fn next_event(&mut self, server: &ApiServer, pod: &Value) -> (Instant, Msg) {
        let changed = Instant::now();
        server.apply(pod.clone());
        let msg = tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
            .await
            .expect("the change arrives")
            .expect("source open");
        (changed, msg)
    }

    /// Applies the message (and any queued with it), regrades; true when the alert shows as
    /// expected.
    fn make_visible(&mut self, msg: Msg, key: &WorkloadKey, crashing: bool) {
        self.app.apply(msg);
        while let Ok(msg) = self.rx.try_recv() {
            self.app.apply(msg);
        }
        assert!(self.app.flush(), "the pod change touched nothing");
        let shown = self
            .app
            .alert_rows
            .iter()
            .any(|(check, w)| check == CRASH_LOOP && w == key);
        assert_eq!(shown, crashing, "the alert row follows the pod");
    }
}

fn bench(c: &mut Criterion) {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let server = rt.block_on(ApiServer::start());
    let seeding = Instant::now();
    server.apply_list(shipshape::synthetic::cluster_list(
        WORKLOADS,
        PODS_PER_WORKLOAD,
    ));
    println!("seeded the server in {:.2?}", seeding.elapsed());
    let conn = rt.block_on(connect(&server, dir.path()));

    let mut group = c.benchmark_group("live-10k-pods");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));

    let bytes = rt.block_on(list_every_kind(&conn.client));
    println!("every list: {:.1} MB", bytes as f64 / 1e6);
    assert!(bytes > 10_000_000, "every page was fetched");
    let served_before = server.list_time();
    let mut lists = 0u32;
    group.bench_function("list every kind", |b| {
        b.iter(|| {
            lists += 1;
            black_box(rt.block_on(list_every_kind(&conn.client)))
        })
    });
    println!(
        "server-side list building (lock to response body): {:.2?} per round of lists",
        (server.list_time() - served_before) / lists.max(1)
    );

    let config = Config::default();
    let key = WorkloadKey::new(WorkloadKind::Deployment, "team-01", "svc-00001");
    group.bench_function("connect, sync, grade", |b| {
        // Freeing the model afterwards is not part of it.
        b.iter_with_large_drop(|| {
            rt.block_on(async {
                let conn = connect(&server, dir.path()).await;
                let (mut engine, late) =
                    live::sync(&conn, Duration::from_secs(120), config.clone()).await;
                assert!(late.is_empty(), "{late:?} did not list");
                engine.flush();
                let grades = engine.grades();
                assert_eq!(grades.workloads.len(), WORKLOADS);
                assert!(grades.workloads.contains_key(&key));
                black_box(engine)
            })
        })
    });

    let (key, pod) = flipping_pod(&server);
    let mut dash = rt.block_on(Dashboard::start(&conn));
    assert_eq!(dash.app.grades().workloads.len(), WORKLOADS);
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let mut lat = Latencies::default();
    let mut round = 0usize;
    group.bench_function("pod event to visible", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                round += 1;
                let crashing = round % 2 == 1;
                let (changed, msg) =
                    rt.block_on(dash.next_event(&server, &with_status(&pod, crashing, round)));
                let arrived = Instant::now();
                dash.make_visible(msg, &key, crashing);
                let visible = arrived.elapsed();
                total += visible;
                lat.flush.push(visible);
                lat.server_to_visible.push(changed.elapsed());
                // Not timed by criterion: the frame after it.
                let drawn = Instant::now();
                term.draw(|f| shipshape::ui::draw::draw(f, &dash.app))
                    .unwrap();
                lat.flush_draw.push(visible + drawn.elapsed());
            }
            total
        })
    });
    group.finish();
    summary(
        "pod event: message taken off the channel → flushed, alert row shown",
        &mut lat.flush,
    );
    summary(
        "pod event: message taken off the channel → flushed and one 160x48 frame drawn",
        &mut lat.flush_draw,
    );
    summary(
        "pod event: changed on the server → flushed (watch delivery and decoding included)",
        &mut lat.server_to_visible,
    );
    drop(dash);
    drop(server);
}

criterion_group!(benches, bench);
criterion_main!(benches);
