//! The engine: the one owner of the model, the config, the grades and what is pending. Sources
//! hand it messages ([`Engine::apply`]); it records what each one touched and regrades only
//! that on [`Engine::flush`]. The CLI, the dashboard, `diff`, the demo, the benches and the
//! tests all grade through it, so "new model, apply every message, grade" is written once.

use crate::cluster::{ClusterModel, Kind, Msg, Touched};
use crate::config::Config;
use crate::grade::{regrade, Grades};

pub struct Engine {
    model: ClusterModel,
    config: Config,
    grades: Grades,
    /// What the messages applied since the last flush touched.
    pending: Touched,
    /// A ValidatingAdmissionPolicy or binding came, changed or went since the last flush: the
    /// policies are compiled again from the model, and every workload is regraded.
    policies_changed: bool,
    /// The admission policies come from the cluster's watchers (not from files).
    policies_from_cluster: bool,
}

/// The kind a message is about, if one.
fn kind_of(msg: &Msg) -> Option<Kind> {
    match msg {
        Msg::Reset(k)
        | Msg::Synced(k)
        | Msg::Forbidden(k)
        | Msg::Error(k, _)
        | Msg::Unavailable(k, _)
        | Msg::NotServed(k) => Some(*k),
        Msg::Upsert(e) => Some(e.object.kind()),
        Msg::Remove(key) => Some(key.kind),
        _ => None,
    }
}

/// Pending work that regrades everything from scratch.
fn everything() -> Touched {
    Touched {
        everything: true,
        ..Touched::default()
    }
}

impl Engine {
    /// An empty model, not graded yet (see [`Engine::with_model`]).
    pub fn new(config: Config) -> Engine {
        Engine::with_model(config, ClusterModel::new())
    }

    /// `model`, not graded yet: the first [`Engine::flush`] grades it from scratch, with every
    /// message applied by then. Until then [`Engine::grades`] is empty (a snapshot, which
    /// needs no grades, never flushes).
    pub fn with_model(config: Config, model: ClusterModel) -> Engine {
        Engine {
            model,
            config,
            grades: Grades::default(),
            pending: everything(),
            policies_changed: false,
            policies_from_cluster: false,
        }
    }

    /// A new model with every message applied, graded.
    pub fn from_messages(config: Config, msgs: impl IntoIterator<Item = Msg>) -> Engine {
        let mut engine = Engine::with_model(config, model_of(msgs));
        engine.flush();
        engine
    }

    /// Applies a message to the model and records what it touched; grading waits for
    /// [`Engine::flush`], so a burst of messages is regraded once.
    pub fn apply(&mut self, msg: Msg) {
        // The policies are watched on every cluster (cluster.policy reads them); only an audit
        // compiles and evaluates them.
        if self.config.audit_admission_policies
            && kind_of(&msg).is_some_and(|k| Kind::ADMISSION_POLICIES.contains(&k))
        {
            self.policies_changed = true;
            self.policies_from_cluster = true;
        }
        let touched = self.model.apply(msg);
        // When everything is to be regraded, the details would only take room (a first list
        // of 10,000 pods would otherwise keep 10,000 label sets until the flush).
        if !self.pending.everything {
            self.pending.merge(touched);
        }
    }

    /// Regrades what the messages applied since the last flush touched (everything, first
    /// and after [`Engine::replace_model`]). Returns whether anything was pending.
    pub fn flush(&mut self) -> bool {
        if self.policies_changed {
            self.policies_changed = false;
            // Watched from the cluster (`--audit-admission-policies`): what the cluster holds
            // now replaces what was compiled before, and may select any workload.
            let policies = crate::policy::vap::from_model(&self.model);
            self.config.audit_admission_policies = true;
            self.config.admission_policies = Some(std::sync::Arc::new(policies));
            self.pending = everything();
        }
        if self.pending.is_empty() {
            return false;
        }
        let touched = std::mem::take(&mut self.pending);
        regrade(&mut self.grades, &self.model, &self.config, &touched);
        true
    }

    /// Starts over on `model` (after a context switch): the old grades and pending work go;
    /// the next flush grades `model` from scratch.
    pub fn replace_model(&mut self, model: ClusterModel) {
        self.model = model;
        self.grades = Grades::default();
        self.pending = everything();
        // The new context's policies arrive with its watchers; the old ones are gone.
        self.policies_changed = self.policies_from_cluster;
    }

    /// The grades as of the last flush.
    pub fn grades(&self) -> &Grades {
        &self.grades
    }

    pub fn model(&self) -> &ClusterModel {
        &self.model
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn into_model(self) -> ClusterModel {
        self.model
    }

    pub fn into_grades(self) -> Grades {
        self.grades
    }
}

/// The model the messages build, in order, not graded (for a snapshot, or a test that grades
/// it with configs of its own).
pub fn model_of(msgs: impl IntoIterator<Item = Msg>) -> ClusterModel {
    let mut model = ClusterModel::new();
    for msg in msgs {
        model.apply(msg);
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ObjectKey;
    use crate::grade::grade_all;
    use crate::source::demo::demo_messages;
    use crate::source::demo_script::script;
    use serde_json::{json, Value};

    /// Everything graded, as a report would show it, in report order.
    fn everything_graded(grades: &Grades) -> Value {
        let objects: Vec<_> = grades.objects.values().collect();
        json!({
            "workloads": grades.workloads.values().collect::<Vec<_>>(),
            "objects": objects,
            "namespaces": grades.namespaces,
            "cluster": [grades.cluster_score, grades.cluster_grade, grades.cluster_health],
        })
    }

    /// Where two gradings part, for a failure message: the first row that differs.
    fn first_difference(a: &Value, b: &Value) -> String {
        for part in ["workloads", "objects", "namespaces", "cluster"] {
            let (x, y) = (&a[part], &b[part]);
            if x == y {
                continue;
            }
            if let (Some(xs), Some(ys)) = (x.as_array(), y.as_array()) {
                for i in 0..xs.len().max(ys.len()) {
                    if xs.get(i) != ys.get(i) {
                        return format!(
                            "{part}[{i}]:\nincremental: {}\nfrom scratch: {}",
                            xs.get(i).map(Value::to_string).unwrap_or_default(),
                            ys.get(i).map(Value::to_string).unwrap_or_default()
                        );
                    }
                }
            }
            return format!("{part}:\nincremental: {x}\nfrom scratch: {y}");
        }
        String::new()
    }

    #[test]
    fn from_messages_grades_what_a_new_model_of_them_grades_to() {
        let config = Config::default();
        let engine = Engine::from_messages(config.clone(), demo_messages());
        let model = model_of(demo_messages());
        let want = grade_all(&model, &config);
        assert!(!want.workloads.is_empty());
        // Exactly: the same rows in the same order.
        assert_eq!(
            serde_json::to_value(engine.grades().workloads.values().collect::<Vec<_>>()).unwrap(),
            serde_json::to_value(want.workloads.values().collect::<Vec<_>>()).unwrap()
        );
        assert_eq!(
            serde_json::to_value(engine.grades().objects.values().collect::<Vec<_>>()).unwrap(),
            serde_json::to_value(want.objects.values().collect::<Vec<_>>()).unwrap()
        );
        assert_eq!(everything_graded(engine.grades()), everything_graded(&want));
        assert_eq!(engine.model().stores.pods.len(), model.stores.pods.len());
    }

    #[test]
    fn grades_wait_for_the_flush_and_a_flush_with_nothing_pending_is_a_no_op() {
        let mut engine = Engine::new(Config::default());
        for msg in demo_messages() {
            engine.apply(msg);
        }
        assert!(
            engine.grades().workloads.is_empty(),
            "not graded before the flush"
        );
        assert!(engine.flush());
        assert!(!engine.grades().workloads.is_empty());
        assert!(!engine.flush(), "nothing pending");
        // A context switch: the old cluster's grades go; the next flush grades the new model.
        engine.replace_model(ClusterModel::new());
        assert!(engine.grades().workloads.is_empty());
        assert!(engine.flush());
        assert!(engine.grades().workloads.is_empty());
        assert_eq!(engine.grades().objects.len(), 1, "the cluster row only");
    }

    #[test]
    fn applying_and_flushing_each_demo_step_equals_grading_everything_so_far() {
        let config = Config::default();
        let mut so_far = demo_messages();
        let mut engine = Engine::from_messages(config.clone(), so_far.clone());
        let steps = script(engine.model());
        // Two passes: the second applies each change over its own undoing.
        for step in steps.iter().chain(&steps) {
            for msg in &step.msgs {
                engine.apply(msg.clone());
                so_far.push(msg.clone());
            }
            assert!(engine.flush(), "{} touched nothing", step.what);
            let from_scratch = Engine::from_messages(config.clone(), so_far.clone());
            assert!(
                everything_graded(engine.grades()) == everything_graded(from_scratch.grades()),
                "the grades differ after: {}",
                step.what
            );
        }
    }

    /// Applies `msgs` to the graded demo and flushes: the grades must be those of grading the
    /// demo and `msgs` from scratch.
    fn assert_incremental_equals_from_scratch(msgs: Vec<Msg>) {
        let config = Config::default();
        let mut engine = Engine::from_messages(config.clone(), demo_messages());
        for msg in &msgs {
            engine.apply(msg.clone());
        }
        assert!(engine.flush());
        let from_scratch = Engine::from_messages(config, demo_messages().into_iter().chain(msgs));
        assert!(everything_graded(engine.grades()) == everything_graded(from_scratch.grades()));
    }

    #[test]
    fn a_replica_set_applied_again_stays_part_of_its_deployment() {
        // A live watcher sends every status change of a Deployment's ReplicaSets.
        let owned: Vec<Msg> = demo_messages()
            .into_iter()
            .filter(|m| {
                matches!(m, Msg::Upsert(e) if matches!(&e.object, crate::cluster::Object::ReplicaSet(r)
                    if crate::cluster::model::controller_ref(&r.metadata).is_some()))
            })
            .collect();
        assert!(!owned.is_empty());
        assert_incremental_equals_from_scratch(owned);
    }

    #[test]
    fn a_removed_event_leaves_its_workloads_alerts() {
        // Events expire on the API server; their removal reaches the watchers.
        let removals: Vec<Msg> = demo_messages()
            .into_iter()
            .filter_map(|m| match m {
                Msg::Upsert(e) if matches!(e.object, crate::cluster::Object::Event(_)) => {
                    Some(Msg::Remove(ObjectKey::of(&e.object)))
                }
                _ => None,
            })
            .collect();
        assert!(!removals.is_empty());
        assert_incremental_equals_from_scratch(removals);
    }

    /// One change of a random sequence: upsert or remove a demo object (by index), or play a
    /// step of the demo script; then flush, or not yet.
    #[derive(Clone, Debug)]
    enum Change {
        Upsert(usize),
        Remove(usize),
        Step(usize),
    }

    fn change() -> impl proptest::strategy::Strategy<Value = Change> {
        use proptest::prelude::*;
        prop_oneof![
            any::<usize>().prop_map(Change::Upsert),
            any::<usize>().prop_map(Change::Remove),
            any::<usize>().prop_map(Change::Step),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 32, failure_persistence: None, ..Default::default() })]

        /// A random subset of the demo's objects, then random upserts, removals and script
        /// steps in random order, flushed at random points: at every flush the grades are
        /// those of grading every message so far from scratch.
        #[test]
        fn incremental_grades_equal_grades_from_scratch_for_random_changes(
            kept in proptest::collection::vec(proptest::bool::weighted(0.8), 0..400),
            changes in proptest::collection::vec((change(), proptest::bool::ANY), 1..10),
        ) {
            let config = Config::default();
            let demo = demo_messages();
            let objects: Vec<Msg> = demo.iter().filter(|m| matches!(m, Msg::Upsert(_))).cloned().collect();
            // The clock, facts and sync states stay: without the clock, grades would follow
            // the wall clock, which moves between two gradings.
            let mut i = 0;
            let mut so_far: Vec<Msg> = demo
                .iter()
                .filter(|m| {
                    if !matches!(m, Msg::Upsert(_)) {
                        return true;
                    }
                    i += 1;
                    kept.get(i - 1).copied().unwrap_or(true)
                })
                .cloned()
                .collect();
            let steps = script(&model_of(demo.clone()));
            let mut engine = Engine::from_messages(config.clone(), so_far.clone());
            let last = changes.len() - 1;
            for (n, (change, flush)) in changes.into_iter().enumerate() {
                let msgs = match change {
                    Change::Upsert(i) => vec![objects[i % objects.len()].clone()],
                    Change::Remove(i) => match &objects[i % objects.len()] {
                        Msg::Upsert(e) => vec![Msg::Remove(ObjectKey::of(&e.object))],
                        _ => unreachable!("only upserts"),
                    },
                    Change::Step(i) => steps[i % steps.len()].msgs.clone(),
                };
                for msg in msgs {
                    engine.apply(msg.clone());
                    so_far.push(msg);
                }
                if flush || n == last {
                    engine.flush();
                    let from_scratch = Engine::from_messages(config.clone(), so_far.clone());
                    let (a, b) = (everything_graded(engine.grades()), everything_graded(from_scratch.grades()));
                    proptest::prop_assert!(a == b, "the grades differ after change {n}: {}", first_difference(&a, &b));
                }
            }
        }
    }
}
