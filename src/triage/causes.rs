//! Root causes: alerts that share one cause, said once, first.
//!
//! Twenty workloads red because one node is NotReady read as twenty problems; here they read
//! as one node. A cause is a fact about another object or a pattern across alerts:
//!
//! - a node that is NotReady, unreachable, or under memory/disk/PID pressure, with alerting
//!   pods on it (one alert is enough: the node is a fact, not a guess);
//! - pods the controller cannot create (quota exceeded, PodSecurity, an admission webhook):
//!   the quota, the namespace's policy or the webhook the message names (one alert is enough);
//! - image pulls failing against one registry in two or more workloads, with the kinds of
//!   error they share (auth, not found, timeout);
//! - containers of two or more workloads failing on the same missing ConfigMap or Secret;
//! - pods of two or more workloads unschedulable for the same reason.
//!
//! Nodes and registries are never merged: pods on two NotReady nodes make two causes.
//! Pure: reads the grades and the model, no I/O, no clock but the model's.

use crate::checks::{Alert, Severity};
use crate::cluster::pod::Pod;
use crate::cluster::{ClusterModel, WorkloadKey};
use crate::grade::Grades;
use crate::time::from_time;
use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Node;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// What kind of thing a cause is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CauseKind {
    Node,
    Quota,
    PodSecurity,
    Webhook,
    Registry,
    MissingObject,
    Unschedulable,
}

impl CauseKind {
    pub fn name(self) -> &'static str {
        match self {
            CauseKind::Node => "node",
            CauseKind::Quota => "quota",
            CauseKind::PodSecurity => "PodSecurity",
            CauseKind::Webhook => "webhook",
            CauseKind::Registry => "registry",
            CauseKind::MissingObject => "missing",
            CauseKind::Unschedulable => "unschedulable",
        }
    }
}

/// One alert a cause explains: the check and the workload (an alert's stable identity).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AlertRef {
    pub check: String,
    #[serde(with = "workload_keys_sorted")]
    pub workload: WorkloadKey,
}

/// A workload key written with its keys in alphabetical order (`kind`, `name`, `namespace`),
/// as every object of the JSON report is.
mod workload_keys_sorted {
    use crate::cluster::{WorkloadKey, WorkloadKind};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Sorted {
        kind: WorkloadKind,
        name: String,
        namespace: String,
    }

    pub fn serialize<S: Serializer>(key: &WorkloadKey, s: S) -> Result<S::Ok, S::Error> {
        Sorted {
            kind: key.kind.clone(),
            name: key.name.clone(),
            namespace: key.namespace.clone(),
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<WorkloadKey, D::Error> {
        let k = Sorted::deserialize(d)?;
        Ok(WorkloadKey {
            kind: k.kind,
            namespace: k.namespace,
            name: k.name,
        })
    }
}

impl AlertRef {
    fn of(a: &Alert) -> AlertRef {
        AlertRef {
            check: a.check.clone(),
            workload: a.workload.clone(),
        }
    }
}

/// A root cause and the alerts it explains. Fields in alphabetical order, as every object of
/// the JSON report writes its keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cause {
    pub alerts: Vec<AlertRef>,
    /// One line: what is wrong and how far it reaches (`NotReady since 09:41: 7 workloads,
    /// 19 pods`).
    pub evidence: String,
    pub kind: CauseKind,
    /// The node, the registry host, the quota or webhook name, `ConfigMap shop/app-config`,
    /// or the scheduler's reason.
    pub name: String,
    /// The namespace the cause lives in, when it lives in one (a quota, a missing object).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub pods: usize,
    /// The worst severity of the alerts it explains.
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<DateTime<Utc>>,
    pub workloads: usize,
}

impl Cause {
    /// A cause's stable identity, for selection and collapsing.
    pub fn key(&self) -> CauseKey {
        (
            self.kind,
            self.namespace.clone().unwrap_or_default(),
            self.name.clone(),
        )
    }

    /// `node ip-10-0-3-7: NotReady since 09:41: 7 workloads, 19 pods`.
    pub fn headline(&self) -> String {
        let name = match &self.namespace {
            Some(ns) if self.kind != CauseKind::MissingObject => format!("{ns}/{}", self.name),
            _ => self.name.clone(),
        };
        format!("{} {name}: {}", self.kind.name(), self.evidence)
    }

    pub fn explains(&self, check: &str, workload: &WorkloadKey) -> bool {
        self.alerts
            .iter()
            .any(|a| a.check == check && &a.workload == workload)
    }
}

pub type CauseKey = (CauseKind, String, String);

/// The root causes behind the current alerts, worst first (severity, then how many alerts
/// each explains). Computed from scratch: a handful of alerts is cheap to group.
pub fn causes(grades: &Grades, model: &ClusterModel) -> Vec<Cause> {
    let alerts: Vec<&Alert> = grades.alerts().collect();
    if alerts.is_empty() {
        return Vec::new();
    }
    let now = model.now();
    let mut out = Vec::new();
    out.extend(node_causes(&alerts, model, now));
    out.extend(failed_create_causes(&alerts));
    out.extend(registry_causes(&alerts, model));
    out.extend(missing_object_causes(&alerts));
    out.extend(unschedulable_causes(&alerts));
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| b.alerts.len().cmp(&a.alerts.len()))
            .then_with(|| a.key().cmp(&b.key()))
    });
    out
}

/// Collects alerts under one key, with the pods involved.
#[derive(Default)]
struct Bucket {
    alerts: BTreeSet<AlertRef>,
    severity: Option<Severity>,
    pods: BTreeSet<(String, String)>,
    workloads: BTreeSet<WorkloadKey>,
    notes: BTreeMap<String, usize>,
    since: Option<DateTime<Utc>>,
}

impl Bucket {
    fn add(&mut self, a: &Alert) {
        self.alerts.insert(AlertRef::of(a));
        self.severity = self.severity.max(Some(a.severity));
        self.workloads.insert(a.workload.clone());
    }

    fn note(&mut self, what: impl Into<String>) {
        *self.notes.entry(what.into()).or_default() += 1;
    }

    fn earliest(&mut self, t: Option<DateTime<Utc>>) {
        self.since = match (self.since, t) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    /// `7 workloads, 19 pods`.
    fn reach(&self) -> String {
        let mut s = crate::text::plural(self.workloads.len(), "workload");
        if !self.pods.is_empty() {
            s.push_str(&format!(
                ", {}",
                crate::text::plural(self.pods.len(), "pod")
            ));
        }
        s
    }

    /// The notes, most frequent first: `auth (3), not found`.
    fn notes_text(&self) -> String {
        let mut notes: Vec<(&String, &usize)> = self.notes.iter().collect();
        notes.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        notes
            .iter()
            .map(|(n, c)| {
                if **c > 1 && notes.len() > 1 {
                    format!("{n} ({c})")
                } else {
                    n.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn into_cause(
        self,
        kind: CauseKind,
        name: String,
        namespace: Option<String>,
        evidence: String,
    ) -> Cause {
        Cause {
            kind,
            name,
            namespace,
            evidence,
            severity: self.severity.unwrap_or(Severity::Warning),
            since: self.since,
            workloads: self.workloads.len(),
            pods: self.pods.len(),
            alerts: self.alerts.into_iter().collect(),
        }
    }
}

fn pod<'m>(model: &'m ClusterModel, ns: &str, name: &str) -> Option<&'m Pod> {
    model
        .stores
        .pods
        .get(&(ns.to_string(), name.to_string()))
        .map(|p| &**p)
}

fn node_of(p: &Pod) -> Option<&str> {
    p.spec.as_ref()?.node_name.as_deref()
}

fn pod_ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True")
}

/// What is wrong with a node, and since when: `NotReady`, `unreachable` (the kubelet stopped
/// reporting), `MemoryPressure`…; `None` for a healthy node.
pub fn node_trouble(node: &Node) -> Option<(String, Option<DateTime<Utc>>)> {
    let conditions = node.status.as_ref()?.conditions.as_ref()?;
    let mut wrong = Vec::new();
    let mut since: Option<DateTime<Utc>> = None;
    for c in conditions {
        let bad = match c.type_.as_str() {
            "Ready" if c.status == "Unknown" => Some("unreachable"),
            "Ready" if c.status != "True" => Some("NotReady"),
            "MemoryPressure" | "DiskPressure" | "PIDPressure" if c.status == "True" => {
                Some(c.type_.as_str())
            }
            _ => None,
        };
        if let Some(b) = bad {
            wrong.push(b.to_string());
            let t = c.last_transition_time.as_ref().map(from_time);
            since = match (since, t) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    (!wrong.is_empty()).then(|| (wrong.join(", "), since))
}

/// `09:41` on the model's day, else `2026-11-19 09:41`.
fn clock(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if t.date_naive() == now.date_naive() {
        t.format("%H:%M").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M").to_string()
    }
}

fn node_causes(alerts: &[&Alert], model: &ClusterModel, now: DateTime<Utc>) -> Vec<Cause> {
    let troubled: BTreeMap<&str, (String, Option<DateTime<Utc>>)> = model
        .stores
        .nodes
        .values()
        .filter_map(|n| Some((n.metadata.name.as_deref()?, node_trouble(n)?)))
        .collect();
    if troubled.is_empty() {
        return Vec::new();
    }
    let mut buckets: BTreeMap<&str, Bucket> = BTreeMap::new();
    for a in alerts {
        let ns = &a.workload.namespace;
        // The alert's own pods; a workload-level alert (unavailable, stalled rollout) is
        // about its workload's un-Ready pods.
        let pods: Vec<&Pod> = if a.pods.is_empty() {
            model
                .pods_of(&a.workload)
                .into_iter()
                .filter(|p| !pod_ready(p))
                .collect()
        } else {
            a.pods.iter().filter_map(|p| pod(model, ns, p)).collect()
        };
        for p in pods {
            let Some(node) = node_of(p).filter(|n| troubled.contains_key(n)) else {
                continue;
            };
            let b = buckets.entry(node).or_default();
            b.add(a);
            b.pods
                .insert((ns.clone(), p.metadata.name.clone().unwrap_or_default()));
        }
    }
    buckets
        .into_iter()
        .map(|(node, b)| {
            let (what, since) = &troubled[node];
            let when = since
                .map(|t| format!(" since {}", clock(t, now)))
                .unwrap_or_default();
            let evidence = format!("{what}{when}: {}", b.reach());
            let mut b = b;
            b.since = *since;
            b.into_cause(CauseKind::Node, node.to_string(), None, evidence)
        })
        .collect()
}

static QUOTA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"exceeded quota: ([A-Za-z0-9.\-]+)"#).expect("valid pattern"));
static POD_SECURITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"violates PodSecurity "([^"]+)""#).expect("valid pattern"));
static WEBHOOK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"admission webhook "([^"]+)" denied the request"#).expect("valid pattern")
});

/// What refuses a controller's pods, from a FailedCreate message: the quota, the namespace's
/// PodSecurity level, or the webhook.
pub fn failed_create_cause(message: &str) -> Option<(CauseKind, String)> {
    if let Some(c) = QUOTA.captures(message) {
        return Some((CauseKind::Quota, c[1].to_string()));
    }
    if let Some(c) = POD_SECURITY.captures(message) {
        return Some((CauseKind::PodSecurity, c[1].to_string()));
    }
    WEBHOOK
        .captures(message)
        .map(|c| (CauseKind::Webhook, c[1].to_string()))
}

/// The texts an alert carries: its message, then its events.
fn texts(a: &Alert) -> impl Iterator<Item = &str> {
    std::iter::once(a.message.as_str()).chain(a.events.iter().map(String::as_str))
}

fn failed_create_causes(alerts: &[&Alert]) -> Vec<Cause> {
    let mut buckets: BTreeMap<(CauseKind, Option<String>, String), Bucket> = BTreeMap::new();
    for a in alerts {
        if a.check != "health.replica-failure" && a.reason != "FailedCreate" {
            continue;
        }
        let Some((kind, name)) = texts(a).find_map(failed_create_cause) else {
            continue;
        };
        // A quota and a namespace's PodSecurity level belong to the namespace; a webhook to
        // the cluster.
        let ns = (kind != CauseKind::Webhook).then(|| a.workload.namespace.clone());
        let b = buckets.entry((kind, ns, name)).or_default();
        b.add(a);
        b.earliest(a.since);
    }
    buckets
        .into_iter()
        .map(|((kind, ns, name), b)| {
            let what = match kind {
                CauseKind::Quota => "quota exceeded",
                CauseKind::PodSecurity => "PodSecurity rejects pods",
                _ => "denies pods",
            };
            let evidence = format!("{what}: {} cannot create pods", b.reach());
            b.into_cause(kind, name, ns, evidence)
        })
        .collect()
}

/// The registry host of an image reference: `ghcr.io/acme/web:1` → `ghcr.io`, `nginx` →
/// `docker.io` (the default registry).
pub fn registry_of(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            first.to_string()
        }
        _ => "docker.io".to_string(),
    }
}

/// The kind of a pull error, from the runtime's text.
pub fn pull_error_kind(text: &str) -> &'static str {
    let t = text.to_ascii_lowercase();
    if [
        "unauthorized",
        "authentication",
        "denied",
        "403",
        "401",
        "forbidden",
    ]
    .iter()
    .any(|w| t.contains(w))
    {
        "auth"
    } else if ["not found", "manifest unknown", "404", "no such"]
        .iter()
        .any(|w| t.contains(w))
    {
        "not found"
    } else if ["timeout", "timed out", "deadline exceeded", "i/o timeout"]
        .iter()
        .any(|w| t.contains(w))
    {
        "timeout"
    } else if t.contains("invalidimagename") || t.contains("invalid reference") {
        "invalid name"
    } else {
        "other"
    }
}

/// The image a container of the alert's first pod runs.
fn alert_image(a: &Alert, model: &ClusterModel) -> Option<String> {
    let container = a.container.as_deref()?;
    a.pods.iter().find_map(|name| {
        let p = pod(model, &a.workload.namespace, name)?;
        let spec = p.spec.as_ref()?;
        spec.containers
            .iter()
            .chain(spec.init_containers.iter().flatten())
            .find(|c| c.name == container)
            .and_then(|c| c.image.clone())
    })
}

fn registry_causes(alerts: &[&Alert], model: &ClusterModel) -> Vec<Cause> {
    let mut buckets: BTreeMap<String, Bucket> = BTreeMap::new();
    for a in alerts.iter().filter(|a| a.check == "health.image-pull") {
        let Some(image) = alert_image(a, model) else {
            continue;
        };
        let b = buckets.entry(registry_of(&image)).or_default();
        b.add(a);
        b.earliest(a.since);
        let all: Vec<&str> = texts(a).collect();
        b.note(pull_error_kind(&all.join(" ")));
        for p in &a.pods {
            b.pods.insert((a.workload.namespace.clone(), p.clone()));
        }
    }
    buckets
        .into_iter()
        .filter(|(_, b)| b.workloads.len() >= 2)
        .map(|(registry, b)| {
            let evidence = format!("image pulls fail ({}): {}", b.notes_text(), b.reach());
            b.into_cause(CauseKind::Registry, registry, None, evidence)
        })
        .collect()
}

static MISSING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(configmap|secret)s? "([A-Za-z0-9.\-]+)" not found"#)
        .expect("valid pattern")
});
static MISSING_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"couldn't find key ([A-Za-z0-9_.\-]+) in (ConfigMap|Secret) ([A-Za-z0-9.\-]+)/([A-Za-z0-9.\-]+)"#)
        .expect("valid pattern")
});

/// The ConfigMap or Secret a container cannot start without, from the kubelet's text:
/// `("ConfigMap", "app-config")`.
pub fn missing_object(text: &str) -> Option<(&'static str, String)> {
    if let Some(c) = MISSING_KEY.captures(text) {
        let kind = if &c[2] == "Secret" {
            "Secret"
        } else {
            "ConfigMap"
        };
        return Some((kind, c[4].to_string()));
    }
    MISSING.captures(text).map(|c| {
        let kind = if c[1].eq_ignore_ascii_case("secret") {
            "Secret"
        } else {
            "ConfigMap"
        };
        (kind, c[2].to_string())
    })
}

fn missing_object_causes(alerts: &[&Alert]) -> Vec<Cause> {
    let mut buckets: BTreeMap<(String, &'static str, String), Bucket> = BTreeMap::new();
    for a in alerts {
        if !matches!(
            a.check.as_str(),
            "health.config-error" | "health.pending" | "health.crash-loop"
        ) {
            continue;
        }
        let Some((kind, name)) = texts(a).find_map(missing_object) else {
            continue;
        };
        let b = buckets
            .entry((a.workload.namespace.clone(), kind, name))
            .or_default();
        b.add(a);
        b.earliest(a.since);
        for p in &a.pods {
            b.pods.insert((a.workload.namespace.clone(), p.clone()));
        }
    }
    buckets
        .into_iter()
        .filter(|(_, b)| b.workloads.len() >= 2)
        .map(|((ns, kind, name), b)| {
            let evidence = format!("does not exist: {} cannot start", b.reach());
            b.into_cause(
                CauseKind::MissingObject,
                format!("{kind} {ns}/{name}"),
                Some(ns),
                evidence,
            )
        })
        .collect()
}

static NODE_COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+/\d+ nodes are available: ").expect("valid pattern"));
static LEADING_COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+ ").expect("valid pattern"));

/// The scheduler's reasons without their counts, in a fixed order, so two pods refused for
/// the same reasons read alike: `0/4 nodes are available: 4 Insufficient cpu. preemption: …`
/// → `Insufficient cpu`.
pub fn scheduling_reason(message: &str) -> Option<String> {
    let rest = NODE_COUNT.find(message).map(|m| &message[m.end()..])?;
    let rest = rest.split(". preemption").next().unwrap_or(rest);
    let rest = rest.trim_end_matches('.');
    let mut parts: Vec<String> = rest
        .split(", ")
        .map(|p| LEADING_COUNT.replace(p.trim(), "").into_owned())
        .filter(|p| !p.is_empty())
        .collect();
    parts.sort();
    parts.dedup();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn unschedulable_causes(alerts: &[&Alert]) -> Vec<Cause> {
    let mut buckets: BTreeMap<String, Bucket> = BTreeMap::new();
    for a in alerts.iter().filter(|a| a.check == "health.unschedulable") {
        let Some(reason) = texts(a).find_map(|t| {
            // The alert's message quotes the scheduler after "cannot be scheduled: ".
            let t = t.split_once("cannot be scheduled: ").map_or(t, |(_, m)| m);
            scheduling_reason(t)
        }) else {
            continue;
        };
        let b = buckets.entry(reason).or_default();
        b.add(a);
        b.earliest(a.since);
        for p in &a.pods {
            b.pods.insert((a.workload.namespace.clone(), p.clone()));
        }
    }
    buckets
        .into_iter()
        .filter(|(_, b)| b.workloads.len() >= 2)
        .map(|(reason, b)| {
            let evidence = format!("no node fits: {}", b.reach());
            b.into_cause(CauseKind::Unschedulable, reason, None, evidence)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registries_are_the_first_component_when_it_names_a_host() {
        assert_eq!(registry_of("ghcr.io/acme/web:1.2"), "ghcr.io");
        assert_eq!(registry_of("nginx:1.27"), "docker.io");
        assert_eq!(registry_of("library/nginx"), "docker.io");
        assert_eq!(registry_of("localhost/x"), "localhost");
        assert_eq!(
            registry_of("registry.internal:5000/x:1"),
            "registry.internal:5000"
        );
    }

    #[test]
    fn pull_errors_are_classified_by_their_text() {
        assert_eq!(
            pull_error_kind("failed to authorize: 401 Unauthorized"),
            "auth"
        );
        assert_eq!(
            pull_error_kind("manifest unknown: manifest unknown"),
            "not found"
        );
        assert_eq!(
            pull_error_kind("dial tcp 10.0.0.1:443: i/o timeout"),
            "timeout"
        );
        assert_eq!(pull_error_kind("something odd"), "other");
    }

    #[test]
    fn failed_create_names_the_quota_the_policy_or_the_webhook() {
        assert_eq!(
            failed_create_cause(
                r#"Error creating: pods "web-1" is forbidden: exceeded quota: compute, requested: cpu=1, used: cpu=4, limited: cpu=4"#
            ),
            Some((CauseKind::Quota, "compute".into()))
        );
        assert_eq!(
            failed_create_cause(
                r#"Error creating: pods "web-1" is forbidden: violates PodSecurity "restricted:latest": privileged"#
            ),
            Some((CauseKind::PodSecurity, "restricted:latest".into()))
        );
        assert_eq!(
            failed_create_cause(
                r#"Error creating: admission webhook "validate.kyverno.svc" denied the request: no"#
            ),
            Some((CauseKind::Webhook, "validate.kyverno.svc".into()))
        );
        assert_eq!(failed_create_cause("Error creating: something else"), None);
    }

    #[test]
    fn missing_objects_are_found_in_kubelet_messages() {
        assert_eq!(
            missing_object(r#"configmap "app-config" not found"#),
            Some(("ConfigMap", "app-config".into()))
        );
        assert_eq!(
            missing_object(r#"MountVolume.SetUp failed for volume "x" : secret "db" not found"#),
            Some(("Secret", "db".into()))
        );
        assert_eq!(
            missing_object("couldn't find key url in Secret shop/db"),
            Some(("Secret", "db".into()))
        );
        assert_eq!(missing_object("exit code 1"), None);
    }

    #[test]
    fn scheduling_reasons_drop_their_counts_and_order() {
        let a = scheduling_reason("0/4 nodes are available: 4 Insufficient cpu. preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod.");
        let b = scheduling_reason("0/6 nodes are available: 6 Insufficient cpu.");
        assert_eq!(a.as_deref(), Some("Insufficient cpu"));
        assert_eq!(a, b);
        assert_eq!(
            scheduling_reason("0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {dedicated: gpu}.").as_deref(),
            Some("Insufficient memory, node(s) had untolerated taint {dedicated: gpu}")
        );
        assert_eq!(scheduling_reason("no nodes"), None);
    }
}
