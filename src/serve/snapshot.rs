//! What a scrape reads: each cluster's model and grades as of its engine's last flush,
//! published whole. The engine loop owns the engine; a scrape only ever clones an `Arc` of a
//! published snapshot, so it never sees messages half applied or a cluster half graded.

use crate::cluster::{ClusterModel, Kind, SyncState};
use crate::config::Config;
use crate::engine::Engine;
use crate::grade::Grades;
use crate::source::live::{self, ConnectOptions};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// One cluster as of one flush.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// The `cluster` label: the context's name.
    pub cluster: String,
    pub model: ClusterModel,
    pub grades: Grades,
    /// When the engine last heard from the source (any message).
    pub last_event: Option<SystemTime>,
    /// When this snapshot was published.
    pub published: Option<SystemTime>,
}

impl Snapshot {
    /// Why the cluster's data cannot be trusted as complete and current, one reason per
    /// line; empty when every kind has settled and nothing is stale.
    pub fn not_ready(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        if let Some(problem) = &self.model.source_problem {
            reasons.push(format!("{}: {problem}", self.cluster));
        }
        let unsynced: Vec<&str> = Kind::ALL
            .iter()
            .filter(|k| self.model.sync_state(**k) == SyncState::Unsynced)
            .map(|k| k.name())
            .collect();
        if !unsynced.is_empty() {
            reasons.push(format!(
                "{}: not listed yet: {}",
                self.cluster,
                unsynced.join(", ")
            ));
        }
        for kind in Kind::ALL {
            if let SyncState::Stale(why) = self.model.sync_state(*kind) {
                reasons.push(format!("{}: {} is stale: {why}", self.cluster, kind.name()));
            }
        }
        reasons
    }
}

/// The latest snapshot of one cluster: replaced whole, read by cloning the `Arc`.
#[derive(Default)]
pub struct Published(RwLock<Arc<Snapshot>>);

impl Published {
    pub fn new(cluster: &str) -> Published {
        Published(RwLock::new(Arc::new(Snapshot {
            cluster: cluster.to_string(),
            ..Snapshot::default()
        })))
    }

    pub fn get(&self) -> Arc<Snapshot> {
        // A poisoned lock still holds a whole snapshot: the writer only ever swaps the Arc.
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set(&self, snapshot: Snapshot) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }
}

/// The least time between two publications: a burst of watch events is graded and cloned
/// once, not once per event.
pub const PUBLISH_EVERY: Duration = Duration::from_millis(500);

/// How long to wait before connecting again after a failed connection, at first and at most.
const RETRY_FIRST: Duration = Duration::from_secs(2);
const RETRY_MAX: Duration = Duration::from_secs(60);

/// Keeps one cluster's watchers running, applies what they send, flushes, and publishes the
/// grades. A failed connection is published as the cluster's problem and retried with backoff,
/// so a cluster that comes up later is picked up without a restart.
pub async fn follow(options: ConnectOptions, config: Config, published: Arc<Published>) {
    let cluster = published.get().cluster.clone();
    let mut retry = RETRY_FIRST;
    loop {
        let (handle, mut rx) = live::spawn(options.clone());
        let mut engine = Engine::new(config.clone());
        let mut synced_once = false;
        while let Some(msg) = rx.recv().await {
            engine.apply(msg);
            // Everything already queued goes into this flush.
            while let Ok(msg) = rx.try_recv() {
                engine.apply(msg);
            }
            engine.flush();
            synced_once |= live::unsettled(engine.model()).is_empty();
            published.set(Snapshot {
                cluster: cluster.clone(),
                model: engine.model().clone(),
                grades: engine.grades().clone(),
                last_event: Some(SystemTime::now()),
                published: Some(SystemTime::now()),
            });
            tokio::time::sleep(PUBLISH_EVERY).await;
        }
        drop(handle);
        // The source ended: it could not connect. Keep what it said (the problem) published.
        if synced_once {
            retry = RETRY_FIRST;
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(RETRY_MAX);
    }
}
