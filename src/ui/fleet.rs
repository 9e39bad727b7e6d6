//! Several clusters in one dashboard (`--context` more than once, `--all-contexts`): one
//! engine per cluster, each fed by its own watchers, all connecting at once. The dashboard
//! holds the selected cluster's engine (everything below the Clusters pane reads it); the
//! others stay here, keep applying their messages and are graded each frame, so every row
//! of the Clusters pane is current. One cluster that cannot be reached or read is a red row
//! of its own; the others never wait for it.
//!
//! The pane's first row, "all clusters", shows every readable cluster's rows together: their
//! grades are merged into one [`Grades`] whose namespaces are named `context/namespace`, so the
//! panes below list, sort and select them as they do one cluster's, and each row names its
//! cluster. A namespace name never holds a `/`, so the last one splits the name back into the
//! cluster and its own namespace for drill-down.

use crate::checks::Severity;
use crate::cluster::WorkloadKey;
use crate::cluster::{ClusterModel, Kind, Msg, SyncState};
use crate::config::Config;
use crate::engine::Engine;
use crate::grade::Grades;
use crate::score::{Grade, Health};
use std::time::Instant;

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
    /// The first row the Clusters pane shows (the "all clusters" row is row 0).
    pub offset: usize,
    /// The "all clusters" row is selected: the panes below read [`Fleet::all_grades`]; the
    /// dashboard still holds the `selected` member's engine, which keeps applying messages.
    pub all: bool,
    /// Every readable member's grades merged (see the module's note), while `all` is on.
    pub all_grades: Option<Grades>,
    /// When `all_grades` was merged, and whether a member has regraded since.
    pub merged_at: Option<Instant>,
    pub all_stale: bool,
}

/// How often the "all clusters" rows are merged again while clusters keep changing.
pub const MERGE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

pub use crate::source::live::fleet::Tagged;

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
            all: false,
            all_grades: None,
            merged_at: None,
            all_stale: false,
        }
    }

    /// Whether the "all clusters" rows are to be merged now: a member regraded (`changed`)
    /// now or since the last merge, and that was [`MERGE_EVERY`] ago or more.
    pub fn merge_due(&mut self, changed: bool) -> bool {
        self.all_stale |= changed;
        self.all_stale && self.merged_at.is_none_or(|t| t.elapsed() >= MERGE_EVERY)
    }

    /// The selected row of the Clusters pane: 0 is "all clusters", then the members.
    pub fn cursor(&self) -> usize {
        if self.all {
            0
        } else {
            self.selected_index() + 1
        }
    }

    /// The rows of the Clusters pane: "all clusters" and the members.
    pub fn pane_rows(&self) -> usize {
        self.members.len() + 1
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

/// A member's namespace as the "all clusters" view names it.
pub fn all_namespace(context: &str, namespace: &str) -> String {
    format!("{context}/{namespace}")
}

/// A member's workload key as the "all clusters" view names it.
pub fn all_key(context: &str, key: &WorkloadKey) -> WorkloadKey {
    WorkloadKey {
        namespace: all_namespace(context, &key.namespace),
        ..key.clone()
    }
}

/// The cluster and the member's own key of a key of the "all clusters" view.
pub fn split_key(key: &WorkloadKey) -> Option<(&str, WorkloadKey)> {
    let (context, namespace) = key.namespace.rsplit_once('/')?;
    Some((
        context,
        WorkloadKey {
            namespace: namespace.to_string(),
            ..key.clone()
        },
    ))
}

/// Every readable cluster's grades as one: workloads, namespaces and alerts under
/// `context/namespace` names. A cluster that cannot be read adds nothing. The cluster score
/// is the fleet's as `check` sums it up (the mean of the clusters' scores, the grade never
/// better than the worst cluster's), the health the worst cluster's.
pub fn merge<'a>(members: impl IntoIterator<Item = (&'a str, &'a Engine)>) -> Grades {
    let mut all = Grades::default();
    let mut scores = Vec::new();
    let mut worst: Option<Grade> = None;
    let mut health: Option<Health> = None;
    for (context, engine) in members {
        if matches!(row_state(engine.model()), RowState::Failed(_)) {
            continue;
        }
        let g = engine.grades();
        for w in g.workloads.values() {
            let mut w = w.clone();
            w.key = all_key(context, &w.key);
            for a in &mut w.alerts {
                a.workload = all_key(context, &a.workload);
            }
            all.workloads.insert(w.key.clone(), w);
        }
        for (name, n) in &g.namespaces {
            let name = all_namespace(context, name);
            let mut n = n.clone();
            n.name = name.clone();
            all.namespaces.insert(name, n);
        }
        for a in &g.cluster_alerts {
            let mut a = a.clone();
            a.workload = all_key(context, &a.workload);
            all.cluster_alerts.push(a);
        }
        scores.extend(g.cluster_score);
        worst = worst.max(g.cluster_grade);
        if g.cluster_health != Health::Unknown {
            health = Some(health.map_or(g.cluster_health, |h| h.min(g.cluster_health)));
        }
    }
    (all.cluster_score, all.cluster_grade) = fleet_grade(&scores, worst);
    all.cluster_health = health.unwrap_or_default();
    all
}

/// The fleet's score and grade as `check` sums them up: the mean of the clusters' scores,
/// each cluster counted once, and that score's grade, never better than the worst cluster's.
fn fleet_grade(scores: &[f64], worst: Option<Grade>) -> (Option<f64>, Option<Grade>) {
    let score = (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
    let grade = score.map(|s| Grade::from_score(s, false).max(worst.unwrap_or(Grade::A)));
    (score, grade)
}

impl ClusterRow {
    /// The "all clusters" row: the readable clusters summed up (workloads and alerts added,
    /// the score and grade as [`merge`] has them, the health the worst).
    pub fn all(rows: &[ClusterRow]) -> ClusterRow {
        let read: Vec<&ClusterRow> = rows.iter().filter(|r| !r.failed()).collect();
        let scores: Vec<f64> = read.iter().filter_map(|r| r.score).collect();
        let (score, grade) = fleet_grade(&scores, read.iter().filter_map(|r| r.grade).max());
        let mut alerts = [0; 3];
        for r in &read {
            for (sum, n) in alerts.iter_mut().zip(r.alerts) {
                *sum += n;
            }
        }
        let syncing = read
            .iter()
            .filter(|r| matches!(r.state, RowState::Syncing { .. }))
            .count();
        let state = if read.is_empty() && !rows.is_empty() {
            RowState::Failed(format!("none of {} clusters can be read", rows.len()))
        } else if syncing > 0 {
            RowState::Syncing {
                synced: read.len() - syncing,
                total: read.len(),
            }
        } else {
            RowState::Live { forbidden: 0 }
        };
        ClusterRow {
            context: "all clusters".to_string(),
            server_version: None,
            grade,
            score,
            health: read
                .iter()
                .map(|r| r.health)
                .filter(|h| *h != Health::Unknown)
                .min()
                .unwrap_or_default(),
            workloads: read.iter().map(|r| r.workloads).sum(),
            alerts,
            state,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::demo::demo_messages;
    use std::time::Duration;

    fn demo() -> Engine {
        Engine::from_messages(Config::default(), demo_messages())
    }

    #[test]
    fn merging_names_every_row_by_its_cluster_and_leaves_out_the_unread() {
        let (a, b) = (demo(), demo());
        let mut gone = Engine::new(Config::default());
        let mut model = ClusterModel::new();
        model.source_problem = Some("connection refused".into());
        gone.replace_model(model);
        gone.flush();
        let one = a.grades();
        let all = merge([("eks/prod", &a), ("stage", &b), ("gone", &gone)]);
        assert_eq!(all.workloads.len(), 2 * one.workloads.len());
        assert_eq!(all.namespaces.len(), 2 * one.namespaces.len());
        assert_eq!(all.alerts().count(), 2 * one.alerts().count());
        for (key, report) in &all.workloads {
            assert_eq!(&report.key, key);
            let (context, own) = split_key(key).unwrap();
            assert!(context == "eks/prod" || context == "stage", "{key:?}");
            // A context holding a `/` splits back whole: namespaces never hold one.
            assert_eq!(one.workloads[&own].score, report.score);
            for alert in &report.alerts {
                assert_eq!(&alert.workload, key);
            }
        }
        for (name, n) in &all.namespaces {
            assert_eq!(&n.name, name);
        }
        assert!(!all
            .workloads
            .keys()
            .any(|k| k.namespace.starts_with("gone/")));
        // Two equal clusters: the fleet's grade and score are theirs.
        assert_eq!(all.cluster_score, one.cluster_score);
        assert_eq!(all.cluster_grade, one.cluster_grade);
        assert_eq!(all.cluster_health, one.cluster_health);
    }

    #[test]
    fn the_fleet_grade_is_never_better_than_its_worst_cluster() {
        assert_eq!(
            fleet_grade(&[100.0, 100.0, 70.0], Some(Grade::F)),
            (Some(90.0), Some(Grade::F))
        );
        assert_eq!(
            fleet_grade(&[95.0, 85.0], Some(Grade::B)),
            (Some(90.0), Some(Grade::B))
        );
        assert_eq!(
            fleet_grade(&[92.0, 90.0], Some(Grade::A)),
            (Some(91.0), Some(Grade::A))
        );
        assert_eq!(fleet_grade(&[], None), (None, None));
    }

    #[test]
    fn a_busy_fleet_is_merged_at_most_once_a_second() {
        let mut fleet = Fleet::new(&["a".into(), "b".into()], &Config::default());
        assert!(!fleet.merge_due(false), "nothing changed");
        assert!(fleet.merge_due(true), "never merged");
        fleet.merged_at = Some(Instant::now());
        fleet.all_stale = false;
        assert!(!fleet.merge_due(true), "merged just now");
        assert!(!fleet.merge_due(false), "the change waits");
        fleet.merged_at = Instant::now().checked_sub(MERGE_EVERY + Duration::from_millis(1));
        assert!(fleet.merge_due(false), "the change that waited is merged");
    }
}
