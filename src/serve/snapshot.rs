//! What a scrape reads: each cluster's grades and sync states as of its engine's last flush,
//! published whole. The engine loop owns the engine; a scrape only ever clones an `Arc` of a
//! published snapshot, so it never sees messages half applied or a cluster half graded.
//! Reports, which need the model too, are built by the engine loop itself between two batches
//! of messages ([`Job`]), so the model is never copied.

use crate::cluster::{ClusterModel, Kind, SyncState};
use crate::config::Config;
use crate::engine::Engine;
use crate::grade::Grades;
use crate::source::live::{self, ConnectOptions};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// One cluster as of one flush.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// The `cluster` label: the context's name.
    pub cluster: String,
    pub grades: Grades,
    pub sync: BTreeMap<Kind, SyncState>,
    /// Why the source cannot deliver (it cannot connect), if it cannot.
    pub source_problem: Option<String>,
    /// When the engine last heard from the source (any message).
    pub last_event: Option<SystemTime>,
}

impl Snapshot {
    /// The engine's grades as of its last flush.
    pub fn of(cluster: &str, engine: &Engine, last_event: Option<SystemTime>) -> Snapshot {
        Snapshot {
            cluster: cluster.to_string(),
            grades: engine.grades().clone(),
            sync: engine.model().sync_states().clone(),
            source_problem: engine.model().source_problem.clone(),
            last_event,
        }
    }

    pub fn sync_state(&self, kind: Kind) -> SyncState {
        self.sync.get(&kind).cloned().unwrap_or(SyncState::Unsynced)
    }

    /// Why the cluster's data cannot be trusted as complete and current, one reason per
    /// line; empty when every kind has settled and nothing is stale.
    pub fn not_ready(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        if let Some(problem) = &self.source_problem {
            reasons.push(format!("{}: {problem}", self.cluster));
        }
        let unsynced: Vec<&str> = Kind::ALL
            .iter()
            .filter(|k| self.sync_state(**k) == SyncState::Unsynced)
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
            if let SyncState::Stale(why) = self.sync_state(*kind) {
                reasons.push(format!("{}: {} is stale: {why}", self.cluster, kind.name()));
            }
        }
        reasons
    }
}

/// The latest snapshot of one cluster: replaced whole, read by cloning the `Arc`. The lock
/// is only ever held to clone or swap the `Arc`, never while grading, so a reader never
/// waits for a regrade: it gets the last complete one.
#[derive(Default)]
pub struct Published {
    snapshot: RwLock<Arc<Snapshot>>,
    /// The engine is regrading the cluster now; the snapshot is the previous grading's.
    grading: AtomicBool,
}

impl Published {
    pub fn new(cluster: &str) -> Published {
        Published {
            snapshot: RwLock::new(Arc::new(Snapshot {
                cluster: cluster.to_string(),
                ..Snapshot::default()
            })),
            grading: AtomicBool::new(false),
        }
    }

    pub fn get(&self) -> Arc<Snapshot> {
        // A poisoned lock still holds a whole snapshot: the writer only ever swaps the Arc.
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set(&self, snapshot: Snapshot) {
        let snapshot = Arc::new(snapshot);
        // The old snapshot is dropped after the lock is let go, not under it.
        let _old = std::mem::replace(
            &mut *self.snapshot.write().unwrap_or_else(|e| e.into_inner()),
            snapshot,
        );
    }

    /// Whether the cluster is being regraded at this moment.
    pub fn grading(&self) -> bool {
        self.grading.load(Ordering::Relaxed)
    }

    /// Flushes `engine` (regrades what changed) and publishes the result, saying meanwhile
    /// that a regrade is under way.
    fn regrade_and_publish(&self, engine: &mut Engine, last_event: Option<SystemTime>) {
        self.grading.store(true, Ordering::Relaxed);
        engine.flush();
        let snapshot = Snapshot::of(&self.get().cluster, engine, last_event);
        self.set(snapshot);
        self.grading.store(false, Ordering::Relaxed);
    }
}

/// Work done on the engine by its loop, between two batches of messages, after a flush: how
/// a report reads the model without a copy of it.
pub type Job = Box<dyn FnOnce(&Engine) + Send>;

/// Reports waiting for a cluster's engine loop at most; further requests are turned away.
pub const JOBS_QUEUED: usize = 4;

/// The least time between two publications: a burst of watch events is graded and copied
/// once, not once per event.
pub const PUBLISH_EVERY: Duration = Duration::from_millis(500);

/// How long to wait before connecting again after a failed connection, at first and at most.
const RETRY_FIRST: Duration = Duration::from_secs(2);
const RETRY_MAX: Duration = Duration::from_secs(60);

/// Keeps one cluster's watchers running, applies what they send, flushes, and publishes the
/// grades; runs the [`Job`]s sent to it. A failed connection is published as the cluster's
/// problem and retried with backoff, so a cluster that comes up later is picked up without a
/// restart.
pub async fn follow(
    options: ConnectOptions,
    config: Config,
    published: Arc<Published>,
    mut jobs: mpsc::Receiver<Job>,
) {
    let mut retry = RETRY_FIRST;
    let mut engine = Engine::new(config);
    let mut last_event = None;
    loop {
        let (handle, mut rx) = live::spawn(options.clone());
        engine.replace_model(ClusterModel::new());
        let mut last_publish = Instant::now() - PUBLISH_EVERY;
        // When the messages applied since the last publication are to be published.
        let mut due: Option<Instant> = None;
        let mut synced_once = false;
        loop {
            tokio::select! {
                msg = rx.recv() => {
                    let Some(msg) = msg else { break };
                    engine.apply(msg);
                    // Everything already queued goes into this batch.
                    while let Ok(msg) = rx.try_recv() {
                        engine.apply(msg);
                    }
                    last_event = Some(SystemTime::now());
                    due.get_or_insert((last_publish + PUBLISH_EVERY).max(Instant::now()));
                }
                _ = tokio::time::sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => {
                    published.regrade_and_publish(&mut engine, last_event);
                    synced_once |= live::unsettled(engine.model()).is_empty();
                    last_publish = Instant::now();
                    due = None;
                }
                Some(job) = jobs.recv() => {
                    published.regrade_and_publish(&mut engine, last_event);
                    job(&engine);
                }
            }
        }
        drop(handle);
        // The source ended: it could not connect. Publish what it said (the problem).
        published.regrade_and_publish(&mut engine, last_event);
        if synced_once {
            retry = RETRY_FIRST;
        }
        let again = Instant::now() + retry;
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(again) => break,
                Some(job) = jobs.recv() => job(&engine),
            }
        }
        retry = (retry * 2).min(RETRY_MAX);
    }
}
