//! `deploy/rbac.yaml` grants exactly what the live source reads, and only reads.

use serde::Deserialize;
use shipshape::cluster::Kind;

#[derive(Deserialize)]
struct Rule {
    #[serde(rename = "apiGroups")]
    api_groups: Vec<String>,
    resources: Vec<String>,
    verbs: Vec<String>,
}

#[derive(Deserialize)]
struct Doc {
    kind: String,
    #[serde(default)]
    rules: Vec<Rule>,
}

fn rules() -> Vec<Rule> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/rbac.yaml")).unwrap();
    serde_norway::Deserializer::from_str(&text)
        .map(|d| Doc::deserialize(d).unwrap())
        .filter(|d| d.kind == "ClusterRole")
        .flat_map(|d| d.rules)
        .collect()
}

#[test]
fn the_cluster_role_only_reads() {
    let rules = rules();
    assert!(!rules.is_empty());
    for r in &rules {
        for v in &r.verbs {
            assert!(
                ["get", "list", "watch"].contains(&v.as_str()),
                "verb {v} on {:?}",
                r.resources
            );
        }
        assert!(!r.resources.iter().any(|res| res == "*"), "no wildcards");
    }
}

#[test]
fn every_watched_kind_can_be_listed_and_watched_and_nothing_else_is_granted() {
    let rules = rules();
    let granted = |kind: Kind, verb: &str| {
        rules.iter().any(|r| {
            r.api_groups.iter().any(|g| g == kind.group())
                && r.resources.iter().any(|res| res == kind.plural())
                && r.verbs.iter().any(|v| v == verb)
        })
    };
    for kind in Kind::ALL {
        assert!(granted(*kind, "list"), "{kind}: list");
        assert!(granted(*kind, "watch"), "{kind}: watch");
    }
    // ReplicaSets that no controller owns are read in full with a get.
    assert!(granted(Kind::ReplicaSet, "get"));
    // Secrets are only ever listed as metadata: no get.
    assert!(!granted(Kind::Secret, "get"));
    let known: Vec<(&str, &str)> = Kind::ALL.iter().map(|k| (k.group(), k.plural())).collect();
    for r in &rules {
        for res in &r.resources {
            assert!(
                r.api_groups
                    .iter()
                    .all(|g| known.contains(&(g.as_str(), res.as_str()))),
                "{:?}/{res} is not read by shipshape",
                r.api_groups
            );
        }
    }
}
