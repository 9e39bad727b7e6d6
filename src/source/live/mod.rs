//! The live source: a kube client watching every modelled kind and sending the same messages
//! as the file and demo sources.
//!
//! shipshape only reads: the requests sent are `GET` (get, list, watch) and nothing else.

pub mod connect;
pub mod logs;
pub mod tls_certs;
pub mod watch;

pub use connect::{connect, contexts, ConnectError, ConnectOptions, Connection};

use crate::cluster::tls_certs::{TlsMsg, TlsReading};
use crate::cluster::{ClusterFacts, ClusterModel, Kind, Msg, SyncState};
use crate::config::Config;
use crate::engine::Engine;
use std::collections::BTreeSet;
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::task::JoinHandle;

/// The running watchers of one connection; dropping it stops them.
pub struct LiveHandle {
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for LiveHandle {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// How the source names itself in the header and in reports.
pub fn source_label(conn: &Connection) -> String {
    if conn.namespaces.is_empty() {
        conn.context.clone()
    } else {
        format!(
            "{} (namespaces {})",
            conn.context,
            conn.namespaces.join(", ")
        )
    }
}

/// Starts the watchers of a connection. Facts come first, so the header names the cluster
/// before the first list is in.
pub fn start(conn: &Connection, tx: UnboundedSender<Msg>) -> LiveHandle {
    let facts = ClusterFacts {
        source: source_label(conn),
        server_version: Some(conn.server_version.clone()),
        ..Default::default()
    };
    let _ = tx.send(Msg::SourceProblem(None));
    let _ = tx.send(Msg::Facts(facts.clone()));
    let mut tasks = Vec::new();
    if conn.read_tls_certs {
        // Queued before any Secret, so a headless run waits for the TLS list too.
        let _ = tx.send(Msg::TlsCert(TlsMsg::Listing));
        tasks.push(tls_certs::spawn(&conn.client, &conn.namespaces, tx.clone()));
    }
    tasks.push(tokio::spawn(discover_and_watch(
        conn.client.clone(),
        conn.namespaces.clone(),
        facts,
        tx,
    )));
    LiveHandle { tasks }
}

/// Reads API discovery once (`/apis`), then watches every kind whose API group is served;
/// the kinds of a group that is not served (an add-on that is not installed) are known to be
/// empty. When discovery cannot be read, every kind is watched and a kind that is not served
/// shows as such when its first list fails.
async fn discover_and_watch(
    client: kube::Client,
    namespaces: Vec<String>,
    mut facts: ClusterFacts,
    tx: UnboundedSender<Msg>,
) {
    let groups = client.list_api_groups().await.ok();
    let served: Option<BTreeSet<String>> = groups
        .as_ref()
        .map(|g| g.groups.iter().map(|g| g.name.clone()).collect());
    let watched: Vec<Kind> = match &served {
        Some(groups) => Kind::ALL
            .iter()
            .copied()
            .filter(|k| {
                let served = k.group().is_empty() || groups.contains(k.group());
                if !served {
                    let _ = tx.send(Msg::NotServed(*k));
                }
                served
            })
            .collect(),
        None => Kind::ALL.to_vec(),
    };
    // Dropping the guard (this task ends or is aborted) stops the watchers.
    let _watchers = LiveHandle {
        tasks: watch::spawn_kinds(&client, &namespaces, &watched, &tx),
    };
    if let Some(groups) = served {
        facts.metrics_api = Some(groups.contains("metrics.k8s.io"));
        facts.monitor_crds = Some(groups.contains("monitoring.coreos.com"));
        let _ = tx.send(Msg::Facts(facts));
    }
    tx.closed().await;
}

/// For the dashboard's context switcher: connects in the background and starts watching;
/// a failure is reported to the header as a source problem.
pub fn spawn(options: ConnectOptions) -> (LiveHandle, UnboundedReceiver<Msg>) {
    let (tx, rx) = unbounded_channel();
    let task = tokio::spawn(async move {
        let label = options.context.clone().unwrap_or_else(|| "cluster".into());
        let _ = tx.send(Msg::Facts(ClusterFacts {
            source: label,
            ..Default::default()
        }));
        match connect(&options).await {
            Ok(conn) => {
                let handle = start(&conn, tx.clone());
                // Keep the watchers alive as long as this task lives.
                tx.closed().await;
                drop(handle);
            }
            Err(e) => {
                let _ = tx.send(Msg::SourceProblem(Some(e.to_string())));
            }
        }
    });
    (LiveHandle { tasks: vec![task] }, rx)
}

/// True when the kind will not change state any more without a change on the server.
pub fn settled(state: &SyncState) -> bool {
    !matches!(state, SyncState::Unsynced)
}

/// The kinds still waiting for their first list.
pub fn unsettled(model: &ClusterModel) -> Vec<Kind> {
    Kind::ALL
        .iter()
        .copied()
        .filter(|k| !settled(&model.sync_state(*k)))
        .collect()
}

/// How many lists a headless run still waits for: the kinds', and the TLS Secrets' when
/// `--read-tls-certs` reads them.
fn waiting(model: &ClusterModel) -> usize {
    unsettled(model).len() + usize::from(model.tls_certs.reading == TlsReading::Listing)
}

/// Headless use (`check`, `snapshot`, `report`): watches until every permitted kind has
/// listed, or until `timeout`. Returns an engine holding what was listed (graded on its first
/// flush) and the kinds that did not list in time.
pub async fn sync(conn: &Connection, timeout: Duration, config: Config) -> (Engine, Vec<Kind>) {
    let (tx, mut rx) = unbounded_channel();
    let handle = start(conn, tx);
    let mut engine = Engine::new(config);
    let deadline = tokio::time::Instant::now() + timeout;
    // Kinds still waiting for their first list; recounted only when a kind settles.
    let mut open = waiting(engine.model());
    let mut facts_pending = true;
    while open > 0 || facts_pending {
        tokio::select! {
            msg = rx.recv() => {
                let Some(msg) = msg else { break };
                let settles = matches!(msg, Msg::Synced(_) | Msg::Forbidden(_) | Msg::Unavailable(..) | Msg::NotServed(_) | Msg::TlsCert(TlsMsg::Listing | TlsMsg::Synced | TlsMsg::Forbidden));
                if matches!(&msg, Msg::Facts(f) if f.metrics_api.is_some()) {
                    facts_pending = false;
                }
                engine.apply(msg);
                if settles {
                    open = waiting(engine.model());
                }
            }
            _ = tokio::time::sleep_until(deadline) => break,
            // Discovery may be forbidden; it must not hold the verdict back for long.
            _ = tokio::time::sleep(Duration::from_secs(2)), if facts_pending && open == 0 => {
                facts_pending = false;
            }
        }
    }
    drop(handle);
    let late = unsettled(engine.model());
    (engine, late)
}
