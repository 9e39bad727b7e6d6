//! An API server on loopback serving a generated cluster, for measuring and trying the live
//! path without a real cluster: `shipshape check`, `snapshot` and the dashboard read it like any
//! other cluster through the kubeconfig it writes.
//!
//! ```text
//! cargo run --release --example loopback_cluster -- --pods 10000 --kubeconfig /tmp/loopback.yaml
//! /usr/bin/time -v target/release/shipshape check --kubeconfig /tmp/loopback.yaml -o json > /dev/null
//! target/release/shipshape --kubeconfig /tmp/loopback.yaml
//! ```
//!
//! The cluster is [`shipshape::synthetic::cluster_list`]: Deployments of five running pods each
//! (with their ReplicaSets), a Service and a PDB per Deployment, a namespace per 100
//! Deployments. With `--real-shape`, the objects are shaped as a real API server returns them
//! (those of `examples/kubectl_dump.rs`). It serves until killed.

#[path = "../tests/support/apiserver.rs"]
mod apiserver;

use clap::Parser;
use std::path::PathBuf;

#[derive(Parser)]
#[command(about = "Serve a generated cluster on loopback with the Kubernetes list/watch API")]
struct Args {
    /// Pods in the cluster (five per Deployment).
    #[arg(long, default_value_t = 10_000)]
    pods: usize,
    /// Loopback port; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Where to write the kubeconfig that points at the server.
    #[arg(long, default_value = "loopback-kubeconfig.yaml")]
    kubeconfig: PathBuf,
    /// Serve objects shaped as a real API server returns them: the cluster of
    /// `examples/kubectl_dump.rs` (managedFields, last-applied annotations, an init container
    /// and two containers with probes, full status and conditions; four pods per Deployment,
    /// a current and an old ReplicaSet each, nodes).
    #[arg(long)]
    real_shape: bool,
}

const PODS_PER_WORKLOAD: usize = 5;

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if args.pods < PODS_PER_WORKLOAD {
        eprintln!(
            "loopback_cluster: --pods must be at least {PODS_PER_WORKLOAD} (five per Deployment)"
        );
        return std::process::ExitCode::from(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let server = apiserver::ApiServer::start_on(args.port).await;
        let (workloads, pods) = if args.real_shape {
            let mut text = Vec::new();
            shipshape::synthetic::write_kubectl_dump(&mut text, args.pods)
                .expect("writing to memory");
            server.apply_list(serde_json::from_slice(&text).expect("the dump is JSON"));
            (args.pods.div_ceil(4), args.pods)
        } else {
            let workloads = args.pods / PODS_PER_WORKLOAD;
            server.apply_list(shipshape::synthetic::cluster_list(
                workloads,
                PODS_PER_WORKLOAD,
            ));
            (workloads, workloads * PODS_PER_WORKLOAD)
        };
        let text = server.kubeconfig_text();
        if let Err(e) = std::fs::write(&args.kubeconfig, &text) {
            eprintln!(
                "loopback_cluster: cannot write the kubeconfig to {}: {e}",
                args.kubeconfig.display()
            );
            return std::process::ExitCode::from(2);
        }
        println!(
            "serving {workloads} Deployments with {pods} pods at {}; kubeconfig written to {}:",
            server.url(),
            args.kubeconfig.display()
        );
        print!("{text}");
        // Until killed: the server lives as long as this task.
        std::future::pending::<()>().await;
        std::process::ExitCode::SUCCESS
    })
}
