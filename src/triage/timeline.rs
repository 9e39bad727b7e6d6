//! What changed while the dashboard watched: when each alert appeared (first seen by this
//! session), and a bounded list of alerts appearing and clearing.
//!
//! A pod that starts crash-looping on a cluster up for 540 days carries its old timestamps:
//! ordered by the cluster's "since", it never reaches the top of a "newest first" list. Here
//! an alert's time of appearance is when this session first saw it, or the cluster's own
//! transition time when that is later; the cluster's since-when stays evidence beside it.
//!
//! Fed by comparing the alerts after each regrade: one pass over the current alerts and a
//! hash lookup each, so a 10,000-pod cluster costs what its alerts cost.

use crate::checks::{Alert, Severity};
use crate::cluster::WorkloadKey;
use crate::grade::Grades;
use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};

/// How many transitions the timeline keeps; older ones fall off.
pub const CAPACITY: usize = 500;

/// "New" in the header: alerts that appeared within this long.
pub const RECENT_MINUTES: i64 = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Appeared,
    Cleared,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::Appeared => "appeared",
            Change::Cleared => "cleared",
        }
    }
}

/// One alert appearing or clearing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub at: DateTime<Utc>,
    pub change: Change,
    pub check: String,
    pub workload: WorkloadKey,
    pub severity: Severity,
    pub reason: String,
}

/// An alert present at the last observation.
#[derive(Clone, Debug)]
struct Present {
    /// When this session first saw it (`None` for those already there when it started:
    /// their appearance is not news).
    first: Option<DateTime<Utc>>,
    /// The observation that last saw it.
    seen: u64,
    check: String,
    workload: WorkloadKey,
}

#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// Keyed by a hash of the alert's identity, so an observation allocates nothing for the
    /// alerts that stay.
    present: HashMap<u64, Present>,
    transitions: VecDeque<Transition>,
    /// Observations so far.
    round: u64,
    started: bool,
}

fn identity(check: &str, workload: &WorkloadKey) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    check.hash(&mut h);
    workload.hash(&mut h);
    h.finish()
}

impl Timeline {
    pub fn new() -> Timeline {
        Timeline::default()
    }

    /// Compares the current alerts with the last observation at `now`. Until `settled` (a
    /// live source still listing), what arrives is the starting state, not news.
    pub fn observe(&mut self, grades: &Grades, now: DateTime<Utc>, settled: bool) {
        let news = self.started;
        self.round += 1;
        let round = self.round;
        let mut appeared = Vec::new();
        for a in grades.alerts() {
            let id = identity(&a.check, &a.workload);
            match self.present.get_mut(&id) {
                Some(p) => p.seen = round,
                None => {
                    self.present.insert(
                        id,
                        Present {
                            first: news.then_some(now),
                            seen: round,
                            check: a.check.clone(),
                            workload: a.workload.clone(),
                        },
                    );
                    if news {
                        appeared.push(Transition {
                            at: now,
                            change: Change::Appeared,
                            check: a.check.clone(),
                            workload: a.workload.clone(),
                            severity: a.severity,
                            reason: a.reason.clone(),
                        });
                    }
                }
            }
        }
        let mut cleared = Vec::new();
        self.present.retain(|_, p| {
            let stays = p.seen == round;
            if !stays && news {
                cleared.push(Transition {
                    at: now,
                    change: Change::Cleared,
                    check: std::mem::take(&mut p.check),
                    workload: p.workload.clone(),
                    severity: Severity::Info,
                    reason: String::new(),
                });
            }
            stays
        });
        cleared.sort_by(|a, b| (&a.workload, &a.check).cmp(&(&b.workload, &b.check)));
        appeared.sort_by(|a, b| (&a.workload, &a.check).cmp(&(&b.workload, &b.check)));
        for t in cleared.into_iter().chain(appeared) {
            self.push(t);
        }
        self.started |= settled;
    }

    fn push(&mut self, t: Transition) {
        if self.transitions.len() == CAPACITY {
            self.transitions.pop_front();
        }
        self.transitions.push_back(t);
    }

    /// When the alert appeared: first seen by this session, or the cluster's own transition
    /// time when later; the cluster's time alone for alerts there from the start.
    pub fn appeared(&self, a: &Alert) -> Option<DateTime<Utc>> {
        let first = self.first_seen(a);
        match (first, a.since) {
            (Some(f), Some(s)) => Some(f.max(s)),
            (f, s) => f.or(s),
        }
    }

    /// When this session saw the alert appear (`None` when it was there from the start).
    pub fn first_seen(&self, a: &Alert) -> Option<DateTime<Utc>> {
        self.present
            .get(&identity(&a.check, &a.workload))
            .and_then(|p| p.first)
    }

    /// Oldest first.
    pub fn transitions(&self) -> impl DoubleEndedIterator<Item = &Transition> {
        self.transitions.iter()
    }

    /// The transitions of one workload, newest first.
    pub fn of_workload<'a>(
        &'a self,
        key: &'a WorkloadKey,
    ) -> impl Iterator<Item = &'a Transition> + 'a {
        self.transitions
            .iter()
            .rev()
            .filter(move |t| &t.workload == key)
    }

    /// Alerts that appeared within the last [`RECENT_MINUTES`] and are still there.
    pub fn recent(&self, now: DateTime<Utc>) -> usize {
        let from = now - Duration::minutes(RECENT_MINUTES);
        self.present
            .values()
            .filter(|p| p.first.is_some_and(|t| t >= from))
            .count()
    }

    /// Forgets everything (a new cluster after a context switch).
    pub fn reset(&mut self) {
        *self = Timeline::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Alert;
    use crate::cluster::WorkloadKind;
    use crate::grade::WorkloadReport;
    use crate::score::Health;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn alert(name: &str, since: Option<&str>) -> Alert {
        Alert {
            check: "health.crash-loop".into(),
            severity: Severity::Critical,
            workload: WorkloadKey::new(WorkloadKind::Deployment, "shop", name),
            pods: vec![],
            container: None,
            reason: "CrashLoopBackOff".into(),
            message: String::new(),
            since: since.map(at),
            restarts: 0,
            events: vec![],
        }
    }

    fn grades(alerts: &[Alert]) -> Grades {
        let mut g = Grades::default();
        for a in alerts {
            let w = g
                .workloads
                .entry(a.workload.clone())
                .or_insert_with(|| WorkloadReport {
                    key: a.workload.clone(),
                    results: vec![],
                    alerts: vec![],
                    score: None,
                    grade: None,
                    health: Health::Failing,
                    ready: 0,
                    desired: None,
                    restarts: 0,
                    failing_checks: 0,
                    critical_failures: 0,
                });
            w.alerts.push(a.clone());
        }
        g
    }

    #[test]
    fn alerts_there_from_the_start_are_not_news_and_new_ones_are() {
        let old = alert("old", Some("2025-05-01T00:00:00Z"));
        let mut t = Timeline::new();
        t.observe(
            &grades(std::slice::from_ref(&old)),
            at("2026-11-20T10:00:00Z"),
            true,
        );
        assert_eq!(t.transitions().count(), 0);
        assert_eq!(t.first_seen(&old), None);
        // Ordered by the cluster's own time alone.
        assert_eq!(t.appeared(&old), old.since);

        // A pod on a 540-day-old cluster starts crash-looping: its since is old, but it is new.
        let new = alert("new", Some("2025-05-01T00:00:00Z"));
        let now = at("2026-11-20T10:05:00Z");
        t.observe(&grades(&[old.clone(), new.clone()]), now, true);
        assert_eq!(t.appeared(&new), Some(now));
        assert!(t.appeared(&new) > t.appeared(&old));
        assert_eq!(t.recent(now), 1);
        assert_eq!(t.recent(now + Duration::minutes(16)), 0);
        let ts: Vec<_> = t.transitions().collect();
        assert_eq!(ts.len(), 1);
        assert_eq!(ts[0].change, Change::Appeared);
        assert_eq!(ts[0].workload.name, "new");

        // The cluster's time wins when it is later than first seen.
        let later = alert("new", Some("2026-11-20T10:07:00Z"));
        assert_eq!(t.appeared(&later), later.since);

        // Cleared.
        t.observe(
            &grades(std::slice::from_ref(&new)),
            at("2026-11-20T10:10:00Z"),
            true,
        );
        let last = t.transitions().last().unwrap();
        assert_eq!(last.change, Change::Cleared);
        assert_eq!(last.workload.name, "old");
        assert_eq!(
            t.of_workload(&new.workload).count(),
            1,
            "only its own transitions"
        );
    }

    #[test]
    fn what_arrives_while_syncing_is_the_starting_state() {
        let mut t = Timeline::new();
        let a = alert("a", None);
        t.observe(&grades(&[]), at("2026-11-20T10:00:00Z"), false);
        t.observe(
            &grades(std::slice::from_ref(&a)),
            at("2026-11-20T10:00:01Z"),
            true,
        );
        assert_eq!(t.transitions().count(), 0);
        assert_eq!(t.first_seen(&a), None);
    }

    #[test]
    fn the_timeline_is_bounded() {
        let mut t = Timeline::new();
        t.observe(&grades(&[]), at("2026-11-20T10:00:00Z"), true);
        for i in 0..CAPACITY {
            let a = alert(&format!("w{i}"), None);
            t.observe(&grades(&[a]), at("2026-11-20T10:00:00Z"), true);
        }
        assert_eq!(t.transitions().count(), CAPACITY);
        // Appeared and cleared alternate; the oldest fell off.
        assert_eq!(t.transitions().next().unwrap().workload.name, "w249");
    }
}
