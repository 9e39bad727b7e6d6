//! Several API servers on loopback behind one kubeconfig, a context each, for trying and
//! measuring the fleet view (`--context` more than once, `--all-contexts`) without real
//! clusters. Each healthy cluster is its own server, with its own objects, as real clusters are.
//!
//! ```text
//! cargo build --release --bin shipshape --example loopback_cluster --example loopback_fleet
//! target/release/examples/loopback_fleet --clusters 6 --pods 1000 --kubeconfig /tmp/fleet.yaml &
//! /usr/bin/time -v target/release/shipshape check --kubeconfig /tmp/fleet.yaml \
//!     --context c1 --context c2 --context c3 > /dev/null
//! target/release/examples/loopback_fleet --clusters 1 --demo --forbidden --gone --kubeconfig /tmp/f.yaml &
//! target/release/shipshape --kubeconfig /tmp/f.yaml --all-contexts
//! ```
//!
//! Healthy clusters are named `c1`, `c2`…; with `--demo` they hold the demo cluster's objects,
//! else `--pods` pods of [`shipshape::synthetic::cluster_list`] (Deployments of five pods, their
//! ReplicaSets, a Service and a PDB each). `--forbidden` adds `locked`, a server that forbids
//! every list; `--gone` adds `gone`, a context whose server has stopped (a closed port). It
//! serves until killed.

#[path = "../tests/support/apiserver.rs"]
mod apiserver;
#[path = "../tests/support/fleet.rs"]
mod fleet;

use clap::Parser;
use std::path::PathBuf;

#[derive(Parser)]
#[command(about = "Serve several loopback clusters behind one kubeconfig, a context each")]
struct Args {
    /// Healthy clusters, named c1, c2…
    #[arg(long, default_value_t = 3)]
    clusters: usize,
    /// Pods in each healthy cluster (five per Deployment); ignored with --demo.
    #[arg(long, default_value_t = 1000)]
    pods: usize,
    /// Serve the demo cluster's objects instead of a generated cluster.
    #[arg(long)]
    demo: bool,
    /// Add `locked`: a server that forbids every list.
    #[arg(long)]
    forbidden: bool,
    /// Add `gone`: a context whose server is not there.
    #[arg(long)]
    gone: bool,
    /// Where to write the kubeconfig.
    #[arg(long, default_value = "loopback-fleet.yaml")]
    kubeconfig: PathBuf,
}

const PODS_PER_WORKLOAD: usize = 5;

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if !args.demo && args.pods < PODS_PER_WORKLOAD {
        eprintln!(
            "loopback_fleet: --pods must be at least {PODS_PER_WORKLOAD} (five per Deployment)"
        );
        return std::process::ExitCode::from(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        // The servers live as long as this task.
        let mut servers = Vec::new();
        let mut contexts = Vec::new();
        for i in 1..=args.clusters {
            let server = if args.demo {
                fleet::demo_server().await
            } else {
                let server = apiserver::ApiServer::start().await;
                server.apply_list(shipshape::synthetic::cluster_list(
                    args.pods / PODS_PER_WORKLOAD,
                    PODS_PER_WORKLOAD,
                ));
                server
            };
            contexts.push((format!("c{i}"), server.url()));
            servers.push(server);
        }
        if args.forbidden {
            let locked = fleet::demo_server().await;
            for kind in shipshape::cluster::Kind::ALL {
                locked.forbid(kind.plural());
            }
            contexts.push(("locked".to_string(), locked.url()));
            servers.push(locked);
        }
        if args.gone {
            let gone = fleet::gone_server().await;
            contexts.push(("gone".to_string(), gone.url()));
        }
        if contexts.is_empty() {
            eprintln!(
                "loopback_fleet: nothing to serve (--clusters 0 and no --forbidden or --gone)"
            );
            return std::process::ExitCode::from(2);
        }
        let dir = match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(e) => {
                eprintln!("loopback_fleet: cannot make a temporary directory: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        let named: Vec<(&str, String)> = contexts
            .iter()
            .map(|(c, u)| (c.as_str(), u.clone()))
            .collect();
        let written = fleet::kubeconfig(dir.path(), &named);
        if let Err(e) = std::fs::copy(&written, &args.kubeconfig) {
            eprintln!(
                "loopback_fleet: cannot write the kubeconfig to {}: {e}",
                args.kubeconfig.display()
            );
            return std::process::ExitCode::from(2);
        }
        for (context, url) in &contexts {
            println!("{context}\t{url}");
        }
        println!("kubeconfig written to {}", args.kubeconfig.display());
        std::future::pending::<()>().await;
        std::process::ExitCode::SUCCESS
    })
}
