//! The embedded demo cluster (`prod-eu-1`): a snapshot of a fictional production cluster with
//! decent workloads, bad ones and broken ones, so every check and alert can be seen without a
//! cluster.

use crate::cluster::{ClusterModel, Kind, Msg, ObjectKey};

/// The demo snapshot, a shipshape `Snapshot` document captured at 2026-11-20T10:00:00Z.
pub const DEMO_SNAPSHOT: &str = include_str!("demo.yaml");

/// The demo as source messages (facts, clock, objects, sync states).
pub fn demo_messages() -> Vec<Msg> {
    crate::source::file::load_str(DEMO_SNAPSHOT, "demo", &Default::default())
        .expect("the embedded demo snapshot is valid")
}

/// A model holding the whole demo cluster.
pub fn demo_model() -> ClusterModel {
    crate::engine::model_of(demo_messages())
}

/// `msg` as a source watching only `namespaces` would send it: objects of other namespaces
/// (and their Namespace objects) are left out, cluster-scoped ones stay, and the source's name
/// says which namespaces it shows, as a live source's does.
pub fn in_namespaces(msg: Msg, namespaces: &[String]) -> Option<Msg> {
    let listed = |ns: &str| namespaces.iter().any(|n| n == ns);
    let keep = |k: &ObjectKey| match k.kind {
        Kind::Namespace => listed(&k.name),
        kind if kind.namespaced() => listed(&k.namespace),
        _ => true,
    };
    match msg {
        Msg::Upsert(ref e) => keep(&ObjectKey::of(&e.object)).then_some(msg),
        Msg::Remove(ref k) => keep(k).then_some(msg),
        Msg::RemovedApi(ref o) => (o.namespace.is_empty() || listed(&o.namespace)).then_some(msg),
        Msg::Facts(mut facts) => {
            facts.source = format!("{} (namespaces {})", facts.source, namespaces.join(", "));
            Some(Msg::Facts(facts))
        }
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{catalogue, Status, Subject};
    use crate::cluster::{Kind, WorkloadKind};
    use crate::config::Config;
    use crate::grade::{grade_all, Grades};
    use std::collections::{BTreeMap, BTreeSet};

    /// Checks the demo cannot exercise: a live cluster serves no removed API versions.
    const NOT_COVERED: &[&str] = &["api.removed"];

    /// Registries the demo's own images come from, for `image.registry` (n/a without a list).
    const ALLOWED_REGISTRIES: &[&str] = &["ghcr.io/acme", "registry.k8s.io", "quay.io/prometheus"];

    /// Check id → the statuses it produced anywhere (workloads and object rows).
    fn statuses(grades: &Grades) -> BTreeMap<String, BTreeSet<Status>> {
        let mut out: BTreeMap<String, BTreeSet<Status>> = BTreeMap::new();
        let results = grades
            .workloads
            .values()
            .flat_map(|w| w.results.iter())
            .chain(grades.objects.values().flat_map(|o| o.results.iter()));
        for r in results {
            out.entry(r.check.to_string()).or_default().insert(r.status);
        }
        out
    }

    #[test]
    fn loads_with_its_own_clock_and_facts() {
        let model = demo_model();
        assert_eq!(
            model.now().to_rfc3339(),
            "2026-11-20T10:00:00+00:00",
            "grading must measure ages against capturedAt"
        );
        assert_eq!(model.facts.source, "demo (prod-eu-1)");
        assert_eq!(model.facts.server_version.as_deref(), Some("1.34.2"));
        assert_eq!(model.facts.metrics_api, Some(true));
        assert!(!model.facts.from_manifests);
        for kind in Kind::ALL {
            assert!(model.knows(*kind), "{kind} is not synced in the demo");
        }
        assert!(model.unknown_kinds.is_empty(), "{:?}", model.unknown_kinds);
        assert!(model.removed_api_objects.is_empty());
        assert_eq!(model.stores.nodes.len(), 5);
        assert!(model.stores.pods.len() > 80);
    }

    #[test]
    fn holds_no_secret_payloads() {
        let model = demo_model();
        let text = crate::source::snapshot::Snapshot::of(&model)
            .items
            .iter()
            .map(|v| v.to_string())
            .collect::<String>();
        assert!(
            !text.contains("\"data\":"),
            "a Secret or ConfigMap payload leaked"
        );
        assert!(!text.contains("PRIVATE KEY"));
        // The one literal secret-looking env value is stored already redacted.
        assert!(DEMO_SNAPSHOT.contains("<redacted by shipshape>"));
    }

    #[test]
    fn is_a_realistic_cluster() {
        let model = demo_model();
        let config = Config::default();
        let user_namespaces: Vec<String> = model
            .namespace_names()
            .into_iter()
            .filter(|n| !config.is_system_namespace(n))
            .collect();
        assert!(
            user_namespaces.len() >= 5,
            "only {user_namespaces:?} outside system namespaces"
        );
        let workloads = model.workload_keys();
        assert!(workloads.len() >= 30, "only {} workloads", workloads.len());
        let kinds: BTreeSet<WorkloadKind> = workloads.iter().map(|k| k.kind.clone()).collect();
        for kind in [
            WorkloadKind::Deployment,
            WorkloadKind::StatefulSet,
            WorkloadKind::DaemonSet,
            WorkloadKind::CronJob,
            WorkloadKind::Job,
            WorkloadKind::ReplicaSet,
            WorkloadKind::Pod,
        ] {
            assert!(kinds.contains(&kind), "no {kind} workload in the demo");
        }
        // Every workload resolves to a controller in the model (no orphaned ReplicaSets or Jobs).
        for key in &workloads {
            let w = model
                .workload(key)
                .expect("every listed workload has a view");
            assert!(
                !matches!(w.controller, crate::cluster::Controller::Missing),
                "{key} has no controller object"
            );
        }
        // Pods are attributed through ownerReferences: Pod → ReplicaSet → Deployment, Pod → Job → CronJob.
        let checkout = crate::testing::key("Deployment/shop/checkout");
        assert_eq!(model.pods_of(&checkout).len(), 3);
        let backup = crate::testing::key("CronJob/data/postgres-backup");
        let w = model.workload(&backup).unwrap();
        assert_eq!(w.jobs.len(), 3);
        assert_eq!(w.pods.len(), 3);
        let postgres = crate::testing::key("StatefulSet/data/postgres");
        assert_eq!(model.pods_of(&postgres).len(), 3);
        let bare = crate::testing::key("Pod/legacy/debug-netshoot");
        assert_eq!(model.pods_of(&bare).len(), 1);
    }

    #[test]
    fn exercises_every_check_and_alert() {
        let model = demo_model();
        let grades = grade_all(&model, &Config::default());
        let seen = statuses(&grades);
        let mut gaps = Vec::new();
        for def in catalogue::all() {
            if NOT_COVERED.contains(&def.id) || def.id == "image.registry" {
                continue;
            }
            let got = seen.get(def.id).cloned().unwrap_or_default();
            if def.subject == Subject::Cluster {
                // The cluster is one subject: each of its checks is evaluated, one way or the other.
                if !got.contains(&Status::Pass) && !got.contains(&Status::Fail) {
                    gaps.push(format!("{}: not evaluated ({got:?})", def.id));
                }
                continue;
            }
            if !got.contains(&Status::Fail) {
                gaps.push(format!("{}: never fails ({got:?})", def.id));
            }
            if !got.contains(&Status::Pass) {
                gaps.push(format!("{}: never passes ({got:?})", def.id));
            }
        }

        let raised: BTreeSet<&str> = grades.alerts().map(|a| a.check.as_str()).collect();
        for def in catalogue::all().filter(|d| d.id.starts_with("health.")) {
            if !raised.contains(def.id) {
                gaps.push(format!("{}: no alert raised", def.id));
            }
        }

        // `image.registry` is n/a without an allow-list; with one, the demo both passes and fails.
        if catalogue::find("image.registry").is_some() {
            let config = Config {
                settings: crate::checks::settings::Settings {
                    registries: ALLOWED_REGISTRIES.iter().map(|s| s.to_string()).collect(),
                    ..Default::default()
                },
                ..Config::default()
            };
            let got = statuses(&grade_all(&model, &config))
                .remove("image.registry")
                .unwrap_or_default();
            if !(got.contains(&Status::Pass) && got.contains(&Status::Fail)) {
                gaps.push(format!(
                    "image.registry: with an allow-list, needs a pass and a fail ({got:?})"
                ));
            }
        }
        assert!(
            gaps.is_empty(),
            "the demo does not exercise:\n  {}",
            gaps.join("\n  ")
        );
    }

    #[test]
    fn most_user_workloads_are_decent() {
        let model = demo_model();
        let config = Config::default();
        let grades = grade_all(&model, &config);
        let user: Vec<_> = grades
            .workloads
            .values()
            .filter(|w| !config.is_system_namespace(&w.key.namespace))
            .collect();
        let scored: Vec<_> = user.iter().filter_map(|w| w.grade).collect();
        if scored.len() < user.len() / 2 {
            return; // most checks have not landed yet: nothing meaningful to say
        }
        let good = scored
            .iter()
            .filter(|g| matches!(g, crate::score::Grade::A | crate::score::Grade::B))
            .count();
        assert!(
            good * 2 > scored.len(),
            "only {good} of {} graded workloads are A or B",
            scored.len()
        );
    }
}
