//! `deploy/rbac.yaml` grants exactly what the live source reads, and only reads; the watchers
//! read the kinds the table lists, and the README's RBAC table is the ClusterRole.

use serde::Deserialize;
use shipshape::cluster::object::{KindVisitor, TypedObject};
use shipshape::cluster::Kind;
use std::collections::BTreeSet;

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
    for kind in Kind::every() {
        assert!(granted(kind, "list"), "{kind}: list");
        assert!(granted(kind, "watch"), "{kind}: watch");
    }
    // ReplicaSets that no controller owns are read in full with a get.
    assert!(granted(Kind::ReplicaSet, "get"));
    // Secrets are only ever listed as metadata: no get.
    assert!(!granted(Kind::Secret, "get"));
    let known: Vec<(&str, &str)> = Kind::every().map(|k| (k.group(), k.plural())).collect();
    for r in &rules {
        // Logs on demand: their own rule, checked below.
        if r.resources == ["pods/log"] {
            continue;
        }
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

/// The resource a kind's watcher reads, as its typed object says: (group, plural, namespaced).
struct WatchedResource;

impl KindVisitor for WatchedResource {
    type Output = (String, String, bool);
    fn namespaced<K>(self, _: Kind) -> Self::Output
    where
        K: TypedObject + kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
    {
        (K::group(&()).into(), K::plural(&()).into(), true)
    }
    fn cluster<K>(self, _: Kind) -> Self::Output
    where
        K: TypedObject + kube::Resource<Scope = k8s_openapi::ClusterResourceScope>,
    {
        (K::group(&()).into(), K::plural(&()).into(), false)
    }
}

#[test]
fn every_watcher_reads_what_the_kind_list_names_and_the_cluster_role_grants() {
    let rules = rules();
    for kind in Kind::every() {
        let (group, plural, namespaced) = kind.visit(WatchedResource);
        assert_eq!(
            (group.as_str(), plural.as_str(), namespaced),
            (kind.group(), kind.plural(), kind.namespaced()),
            "{kind}: the watcher reads another resource than the kind list names"
        );
        for verb in ["list", "watch"] {
            assert!(
                rules.iter().any(|r| r.api_groups.contains(&group)
                    && r.resources.contains(&plural)
                    && r.verbs.iter().any(|v| v == verb)),
                "{kind}: {verb} on {group}/{plural} is not granted"
            );
        }
    }
}

/// (API group, resource, verbs) of each grant.
type Grants = BTreeSet<(String, String, BTreeSet<String>)>;

#[test]
fn the_readme_rbac_table_is_the_cluster_role() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme
        .split_once("| API group | resources | verbs |")
        .expect("the README has the RBAC table")
        .1;
    let mut documented = Grants::new();
    for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let group = if cells[0] == "core" { "" } else { cells[0] };
        // "list, watch (metadata only, see below)": the verbs come before the note.
        let verbs = cells[2].split(" (").next().unwrap();
        let verbs: BTreeSet<String> = verbs.split(", ").map(String::from).collect();
        for resource in cells[1].split(", ") {
            documented.insert((group.to_string(), resource.to_string(), verbs.clone()));
        }
    }
    let mut granted = Grants::new();
    for r in rules() {
        let verbs: BTreeSet<String> = r.verbs.iter().cloned().collect();
        for g in &r.api_groups {
            for res in &r.resources {
                granted.insert((g.clone(), res.clone(), verbs.clone()));
            }
        }
    }
    assert_eq!(documented, granted);
    let watched: BTreeSet<(String, String)> = Kind::every()
        .map(|k| (k.group().to_string(), k.plural().to_string()))
        .collect();
    let documented: BTreeSet<(String, String)> = documented
        .into_iter()
        .map(|(g, r, _)| (g, r))
        .filter(|(_, r)| r != "pods/log")
        .collect();
    assert_eq!(
        documented, watched,
        "the README's table lists the watched kinds"
    );
}

#[test]
fn logs_are_one_rule_of_their_own_that_only_gets() {
    let rules = rules();
    let logs: Vec<&Rule> = rules
        .iter()
        .filter(|r| r.resources.iter().any(|res| res.contains("/log")))
        .collect();
    assert_eq!(logs.len(), 1, "one rule grants pods/log");
    let r = logs[0];
    assert_eq!(r.api_groups, [""]);
    // Alone in its rule, so deleting it takes nothing else away.
    assert_eq!(r.resources, ["pods/log"]);
    // get only: no list, no watch (a follow would be a watch), and no other subresource such as
    // pods/exec or pods/attach anywhere.
    assert_eq!(r.verbs, ["get"]);
    for rule in &rules {
        for res in &rule.resources {
            assert!(
                !res.contains('/') || res == "pods/log",
                "subresource {res} is granted"
            );
        }
    }
}
