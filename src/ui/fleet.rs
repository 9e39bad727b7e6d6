//! Several clusters in one dashboard (`--context` more than once, `--all-contexts`): one
//! engine per cluster, each fed by its own watchers, all connecting at once. The dashboard
//! holds the selected cluster's engine (everything below the Clusters pane reads it); the
//! others stay here, keep applying their messages and are graded each frame, so every row
//! of the Clusters pane is current. One cluster that cannot be reached or read is a red row
//! of its own; the others never wait for it.

use crate::checks::Severity;
use crate::cluster::{ClusterModel, Kind, Msg, SyncState};
use crate::config::Config;
use crate::engine::Engine;
use crate::score::{Grade, Health};
use crate::source::live::{self, ConnectOptions, LiveHandle};
use crate::ui::app::App;
use std::time::Instant;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// One cluster of the fleet.
pub struct Member {
    /// The kube context: the member's stable key.
    pub context: String,
    /// The member's engine; `None` while the dashboard holds it (the selected cluster).
    engine: Option<Engine>,
    /// Bumped when the member's source is replaced (a context switch): messages the old
    /// watchers had queued carry the old number and are dropped.
    pub generation: u64,
    /// When news last came from this cluster.
    pub last_message: Option<Instant>,
}

/// The clusters, in the order they were asked for, and which one the dashboard shows.
pub struct Fleet {
    pub members: Vec<Member>,
    /// The selected member's context.
    pub selected: String,
    /// The first row the Clusters pane shows.
    pub offset: usize,
}

/// A message from one member's source: which member, which of its sources.
pub type Tagged = (usize, u64, Msg);

/// How a cluster's row reads its data state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowState {
    /// Cannot connect, or cannot list anything: the row is red.
    Failed(String),
    Syncing {
        synced: usize,
        total: usize,
    },
    /// Listed once, but watches are down.
    Stale(usize),
    /// Every kind listed; some may be forbidden (their checks are unknown).
    Live {
        forbidden: usize,
    },
}

/// One row of the Clusters pane.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterRow {
    pub context: String,
    pub server_version: Option<String>,
    pub grade: Option<Grade>,
    pub score: Option<f64>,
    pub health: Health,
    pub workloads: usize,
    /// Alerts by severity: critical, warning, info.
    pub alerts: [usize; 3],
    pub state: RowState,
}

impl ClusterRow {
    pub fn of(context: &str, engine: &Engine) -> ClusterRow {
        let grades = engine.grades();
        let mut alerts = [0; 3];
        for a in grades.alerts() {
            alerts[match a.severity {
                Severity::Critical => 0,
                Severity::Warning => 1,
                Severity::Info => 2,
            }] += 1;
        }
        let model = engine.model();
        ClusterRow {
            context: context.to_string(),
            server_version: model.facts.server_version.clone(),
            grade: grades.cluster_grade,
            score: grades.cluster_score,
            health: grades.cluster_health,
            workloads: grades.workloads.len(),
            alerts,
            state: row_state(model),
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self.state, RowState::Failed(_))
    }
}

/// The data state of one cluster: a source problem, or nothing readable, is a failure.
pub fn row_state(model: &ClusterModel) -> RowState {
    if let Some(problem) = &model.source_problem {
        return RowState::Failed(problem.clone());
    }
    let state = |k: &Kind| model.sync_state(*k);
    let total = Kind::ALL.len();
    let unsynced = Kind::ALL
        .iter()
        .filter(|k| state(k) == SyncState::Unsynced)
        .count();
    let forbidden = Kind::ALL
        .iter()
        .filter(|k| state(k) == SyncState::Forbidden)
        .count();
    let served = Kind::ALL
        .iter()
        .filter(|k| !matches!(state(k), SyncState::NotServed | SyncState::Unavailable(_)))
        .count();
    if forbidden > 0 && forbidden == served {
        return RowState::Failed(format!("forbidden: cannot list any of {forbidden} kinds"));
    }
    if unsynced > 0 {
        return RowState::Syncing {
            synced: total - unsynced,
            total,
        };
    }
    let stale = Kind::ALL
        .iter()
        .filter(|k| matches!(state(k), SyncState::Stale(_)))
        .count();
    if stale > 0 {
        return RowState::Stale(stale);
    }
    RowState::Live { forbidden }
}

impl Fleet {
    /// A fleet of `contexts`, none connected yet; the first is selected. The dashboard
    /// takes the first member's engine ([`Fleet::take_selected`]).
    pub fn new(contexts: &[String], config: &Config) -> Fleet {
        let members = contexts
            .iter()
            .map(|c| Member {
                context: c.clone(),
                engine: Some(Engine::new(config.clone())),
                generation: 0,
                last_message: None,
            })
            .collect();
        Fleet {
            members,
            selected: contexts.first().cloned().unwrap_or_default(),
            offset: 0,
        }
    }

    pub fn selected_index(&self) -> usize {
        self.index_of(&self.selected).unwrap_or(0)
    }

    pub fn index_of(&self, context: &str) -> Option<usize> {
        self.members.iter().position(|m| m.context == context)
    }

    /// The selected member's engine, for the dashboard to hold.
    pub fn take_selected(&mut self) -> Option<Engine> {
        let i = self.selected_index();
        self.members.get_mut(i)?.engine.take()
    }

    /// Hands the dashboard's engine back to the selected member, selects `context` and
    /// returns its engine; for a context not in the fleet, the same engine comes back.
    pub fn swap_selected(&mut self, held: Engine, context: &str) -> Engine {
        let from = self.selected_index();
        self.members[from].engine = Some(held);
        if let Some(to) = self.index_of(context) {
            if let Some(engine) = self.members[to].engine.take() {
                self.selected = context.to_string();
                return engine;
            }
        }
        self.members[from]
            .engine
            .take()
            .expect("the engine was handed back just now")
    }

    /// A message for a member the dashboard does not show; messages of a replaced source
    /// are dropped.
    pub fn apply_background(&mut self, index: usize, generation: u64, msg: Msg) {
        let Some(member) = self.members.get_mut(index) else {
            return;
        };
        if member.generation != generation {
            return;
        }
        let news = matches!(msg, Msg::Upsert(_) | Msg::Remove(_) | Msg::Synced(_));
        if let Some(engine) = member.engine.as_mut() {
            engine.apply(msg);
        }
        if news {
            member.last_message = Some(Instant::now());
        }
    }

    /// Grades what the background members' messages touched. Returns whether any changed.
    pub fn flush_background(&mut self) -> bool {
        let mut changed = false;
        for m in &mut self.members {
            if let Some(engine) = m.engine.as_mut() {
                changed |= engine.flush();
            }
        }
        changed
    }

    /// The member's engine, when the dashboard does not hold it.
    pub fn engine(&self, index: usize) -> Option<&Engine> {
        self.members.get(index)?.engine.as_ref()
    }

    /// Starts the member over on `context` (a context switch): a new engine, a new
    /// generation, and the new name as its key.
    pub fn renamed(&mut self, index: usize, context: &str) -> u64 {
        let member = &mut self.members[index];
        if member.context == self.selected {
            self.selected = context.to_string();
        }
        member.context = context.to_string();
        member.generation += 1;
        member.last_message = None;
        if let Some(engine) = member.engine.as_mut() {
            engine.replace_model(ClusterModel::new());
        }
        member.generation
    }
}

/// The watchers of every member, their messages merged into one queue, each tagged with its
/// member and generation.
pub struct FleetSource {
    pub options: ConnectOptions,
    handles: Vec<LiveHandle>,
    tx: UnboundedSender<Tagged>,
}

impl FleetSource {
    /// Starts connecting to every context at once; `options` says how (kubeconfig,
    /// namespaces), each member's context is its own.
    pub fn spawn(
        options: ConnectOptions,
        contexts: &[String],
    ) -> (FleetSource, UnboundedReceiver<Tagged>) {
        let (tx, rx) = unbounded_channel();
        let mut source = FleetSource {
            options,
            handles: Vec::new(),
            tx,
        };
        for (i, context) in contexts.iter().enumerate() {
            let handle = source.start(i, 0, context);
            source.handles.push(handle);
        }
        (source, rx)
    }

    /// The connect options of one member.
    pub fn options_for(&self, context: &str) -> ConnectOptions {
        ConnectOptions {
            context: Some(context.to_string()),
            ..self.options.clone()
        }
    }

    fn start(&self, index: usize, generation: u64, context: &str) -> LiveHandle {
        let (handle, mut rx) = live::spawn(self.options_for(context));
        let tx = self.tx.clone();
        // The forwarder ends with the member's source (its handle dropped, or a failed
        // connection said so), or when the dashboard is gone.
        tokio::spawn(async move {
            while let Some(msg) = rx.recv().await {
                if tx.send((index, generation, msg)).is_err() {
                    return;
                }
            }
        });
        handle
    }

    /// Carries out `c` on `context` (see [`App::switch_in_fleet`]): selects a member, or
    /// starts the selected member over on a context not in the fleet.
    pub fn switch_context(&mut self, app: &mut App, context: &str) {
        if let Some((index, generation)) = app.switch_in_fleet(context) {
            self.switch(index, generation, context);
        }
    }

    /// Replaces member `index`'s source with one on `context`; the old watchers stop.
    fn switch(&mut self, index: usize, generation: u64, context: &str) {
        let handle = self.start(index, generation, context);
        if let Some(old) = self.handles.get_mut(index) {
            *old = handle;
        }
    }
}
