//! `shipshape serve`: the exporter. Each cluster's watchers keep running and its engine
//! publishes a snapshot after every flush ([`snapshot`]); the HTTP side ([`http`]) answers
//! `/metrics` ([`metrics`], [`process`]), `/healthz`, `/readyz`, `/report.json` and
//! `/report.html` from those snapshots only.

pub mod http;
pub mod metrics;
pub mod process;
pub mod snapshot;

use crate::config::Config;
use crate::source::live::ConnectOptions;
use metrics::MetricsOptions;
use snapshot::Published;
use std::net::SocketAddr;
use std::sync::Arc;

/// The default address: loopback, so nothing is exposed unless asked for.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9771";

/// One cluster to follow: the name its series carry, and how to connect.
pub struct Target {
    pub cluster: String,
    pub connect: ConnectOptions,
}

pub struct ServeOptions {
    pub listen: SocketAddr,
    pub targets: Vec<Target>,
    pub config: Config,
    pub metrics: MetricsOptions,
}

/// Runs one cluster's watchers and engine on a thread of their own, with a runtime of their
/// own: grading thousands of pods takes the thread for a while, and the HTTP side, on the
/// caller's runtime, must answer a scrape meanwhile (from the last published snapshot).
fn follow_on_own_thread(
    connect: ConnectOptions,
    config: Config,
    published: Arc<Published>,
    jobs: tokio::sync::mpsc::Receiver<snapshot::Job>,
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("shipshape-cluster".into())
        .spawn(move || runtime.block_on(snapshot::follow(connect, config, published, jobs)))?;
    Ok(())
}

/// Binds, starts following every cluster, says where it listens (stderr), and serves until
/// the process ends. Only binding can fail: a cluster that cannot be reached is reported by
/// `/readyz` and `shipshape_cluster_ready`, and retried.
pub async fn run(options: ServeOptions) -> std::io::Result<()> {
    process::mark_start();
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot listen on {}: {e}", options.listen),
            )
        })?;
    let addr = listener.local_addr()?;
    let mut clusters = Vec::new();
    for target in options.targets {
        let published = Arc::new(Published::new(&target.cluster));
        let (jobs, queue) = tokio::sync::mpsc::channel(snapshot::JOBS_QUEUED);
        follow_on_own_thread(
            target.connect,
            options.config.clone(),
            published.clone(),
            queue,
        )?;
        clusters.push(http::Cluster {
            name: target.cluster,
            published,
            jobs,
        });
    }
    crate::diagnostics::note(&format!(
        "serving http://{addr}/metrics (also /healthz, /readyz, /report.json, /report.html)"
    ));
    let state = Arc::new(http::State {
        clusters,
        metrics: options.metrics,
    });
    http::serve(listener, state).await;
    Ok(())
}
