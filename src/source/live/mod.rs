//! The live source: a kube client watching every modelled kind and sending the same messages
//! as the file and demo sources.
//!
//! shipshape only reads: the requests sent are `GET` (get, list, watch) and nothing else.

pub mod connect;
pub mod fleet;
pub mod logs;
pub mod tls_certs;
pub mod versions;
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
        conn.kinds(),
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
    kinds: Vec<Kind>,
    mut facts: ClusterFacts,
    tx: UnboundedSender<Msg>,
) {
    let groups = client.list_api_groups().await.ok();
    let served: Option<BTreeSet<String>> = groups
        .as_ref()
        .map(|g| g.groups.iter().map(|g| g.name.clone()).collect());
    // Kinds read at another version than their typed object's, when their group serves one.
    let mut elsewhere: Vec<(Kind, &'static str)> = Vec::new();
    let watched: Vec<Kind> = match &groups {
        Some(list) => {
            let mut watched = Vec::new();
            let mut lists = ResourceLists::new();
            for &kind in &kinds {
                let version = if kind.group().is_empty() {
                    Some(kind.version())
                } else {
                    served_version(&client, list, kind, &mut lists).await
                };
                match version {
                    None => {
                        let _ = tx.send(Msg::NotServed(kind));
                    }
                    Some(v) if v == kind.version() => watched.push(kind),
                    Some(v) => elsewhere.push((kind, v)),
                }
            }
            watched
        }
        None => kinds,
    };
    // Dropping the guard (this task ends or is aborted) stops the watchers.
    let mut tasks = watch::spawn_kinds(&client, &namespaces, &watched, &tx);
    for (kind, version) in elsewhere {
        tasks.push(versions::spawn_at_version(
            kind,
            version,
            &client,
            &namespaces,
            tx.clone(),
        ));
    }
    let _watchers = LiveHandle { tasks };
    if let Some(groups) = served {
        facts.metrics_api = Some(groups.contains("metrics.k8s.io"));
        facts.monitor_crds = Some(groups.contains("monitoring.coreos.com"));
        let _ = tx.send(Msg::Facts(facts));
    }
    tx.closed().await;
}

/// The resources each group version serves, read once per discovery.
type ResourceLists = std::collections::HashMap<(&'static str, &'static str), Option<Vec<String>>>;

/// The version of its group `kind` is read at, by discovery: `None` when the group is not
/// served, or (for kinds readable at several versions) no served version has it.
async fn served_version(
    client: &kube::Client,
    list: &k8s_openapi::apimachinery::pkg::apis::meta::v1::APIGroupList,
    kind: Kind,
    lists: &mut ResourceLists,
) -> Option<&'static str> {
    let group = list.groups.iter().find(|g| g.name == kind.group())?;
    let group_versions: Vec<String> = group.versions.iter().map(|v| v.version.clone()).collect();
    if !versions::has_alternatives(kind) {
        // As before: a served group is watched at the kind's version.
        return Some(kind.version());
    }
    let mut resources = std::collections::BTreeMap::new();
    for v in versions::readable_versions(kind) {
        if group_versions.iter().any(|g| g == v) {
            let key = (kind.group(), v);
            if let std::collections::hash_map::Entry::Vacant(e) = lists.entry(key) {
                e.insert(versions::served_resources(client, kind.group(), v).await);
            }
            resources.insert(v.to_string(), lists[&key].clone());
        }
    }
    versions::version_to_read(kind, &group_versions, &resources)
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
    unsettled_among(model, Kind::ALL)
}

/// Those of `kinds` still waiting for their first list.
pub fn unsettled_among(model: &ClusterModel, kinds: &[Kind]) -> Vec<Kind> {
    kinds
        .iter()
        .copied()
        .filter(|k| !settled(&model.sync_state(*k)))
        .collect()
}

/// How many lists a headless run still waits for: the kinds', and the TLS Secrets' when
/// `--read-tls-certs` reads them.
fn waiting(model: &ClusterModel, kinds: &[Kind]) -> usize {
    unsettled_among(model, kinds).len()
        + usize::from(model.tls_certs.reading == TlsReading::Listing)
}

/// Headless use (`check`, `snapshot`, `report`): watches until every permitted kind has
/// listed, or until `timeout`. Returns an engine holding what was listed (graded on its first
/// flush) and the kinds that did not list in time.
pub async fn sync(conn: &Connection, timeout: Duration, config: Config) -> (Engine, Vec<Kind>) {
    let (tx, mut rx) = unbounded_channel();
    let handle = start(conn, tx);
    let mut engine = Engine::new(config);
    let deadline = tokio::time::Instant::now() + timeout;
    let kinds = conn.kinds();
    // Kinds still waiting for their first list; recounted only when a kind settles.
    let mut open = waiting(engine.model(), &kinds);
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
                    open = waiting(engine.model(), &kinds);
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
    let late = unsettled_among(engine.model(), &kinds);
    (engine, late)
}
