//! `--output json`: a documented, versioned schema (see README, "JSON output").
//!
//! [`ReportV1`] is that schema as a type. It is written straight from the grades (its lists
//! borrow them and are walked while the text is written, so no copy of the report is built
//! first) and read back by `shipshape diff`. serde_json writes fields in declaration order and
//! reports have always had their keys in alphabetical order: fields are declared that way.

use crate::checks::cluster_groups::group_of;
use crate::checks::{Alert, CheckResult};
use crate::cluster::{ClusterModel, Kind, SyncState};
use crate::grade::{Grades, NamespaceReport, ObjectReport, WorkloadReport};
use crate::score::{grade_text, Grade};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::io;
use std::rc::Rc;

/// Bumped on any incompatible change to the shape below.
pub const SCHEMA_VERSION: u32 = 1;

/// A list in a report: walked from the grades while writing, or the items read back.
pub enum Seq<'a, T> {
    Items(Vec<T>),
    Lazy(Rc<dyn Fn() -> Box<dyn Iterator<Item = T> + 'a> + 'a>),
}

impl<'a, T: Clone> Seq<'a, T> {
    /// A list written by walking `items` each time it is serialised.
    pub fn lazy<I, F>(items: F) -> Seq<'a, T>
    where
        F: Fn() -> I + 'a,
        I: Iterator<Item = T> + 'a,
    {
        Seq::Lazy(Rc::new(move || Box::new(items())))
    }

    /// The items, whichever way the list is held.
    pub fn iter(&self) -> Box<dyn Iterator<Item = Cow<'_, T>> + '_> {
        match self {
            Seq::Items(items) => Box::new(items.iter().map(Cow::Borrowed)),
            Seq::Lazy(items) => Box::new(items().map(Cow::Owned)),
        }
    }
}

impl<T: Clone> Clone for Seq<'_, T> {
    fn clone(&self) -> Self {
        match self {
            Seq::Items(items) => Seq::Items(items.clone()),
            Seq::Lazy(items) => Seq::Lazy(Rc::clone(items)),
        }
    }
}

impl<T> Default for Seq<'_, T> {
    fn default() -> Self {
        Seq::Items(Vec::new())
    }
}

impl<T: fmt::Debug> fmt::Debug for Seq<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seq::Items(items) => items.fmt(f),
            Seq::Lazy(_) => f.write_str("[…]"),
        }
    }
}

impl<T: Serialize> Serialize for Seq<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Seq::Items(items) => items.serialize(s),
            Seq::Lazy(items) => s.collect_seq(items()),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Seq<'_, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::deserialize(d).map(Seq::Items)
    }
}

/// The whole report. Read back leniently: a field missing from a hand-edited report is empty.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportV1<'a> {
    pub alerts: Seq<'a, AlertV1<'a>>,
    /// Root causes: alerts that share a cause (a node, a registry, a quota…), said once and
    /// first.
    pub causes: Vec<crate::triage::causes::Cause>,
    pub cluster: ClusterV1<'a>,
    pub kinds: KindsV1,
    pub namespaces: Seq<'a, NamespaceV1<'a>>,
    pub objects: Seq<'a, ObjectV1<'a>>,
    pub schema_version: u32,
    pub source: SourceV1<'a>,
    pub unknown_kinds: Seq<'a, UnknownKindV1<'a>>,
    pub workloads: Seq<'a, WorkloadV1<'a>>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceV1<'a> {
    pub evaluated_at: String,
    pub name: Cow<'a, str>,
    pub server_version: Option<Cow<'a, str>>,
    /// `manifests` or `cluster`.
    #[serde(rename = "type")]
    pub source_type: Cow<'a, str>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterV1<'a> {
    pub alerts: AlertCountsV1,
    pub grade: Option<Cow<'a, str>>,
    pub health: Cow<'a, str>,
    pub score: Option<f64>,
    pub workloads: usize,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertCountsV1 {
    pub critical: usize,
    pub info: usize,
    pub warning: usize,
}

/// Kind names by what is known of them.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct KindsV1 {
    pub forbidden: Vec<Cow<'static, str>>,
    /// Kinds whose API group the cluster does not serve (the add-on is not installed);
    /// present only when there are some, so reports of clusters that serve every group keep
    /// their shape.
    #[serde(rename = "notServed", skip_serializing_if = "Vec::is_empty")]
    pub not_served: Vec<Cow<'static, str>>,
    pub synced: Vec<Cow<'static, str>>,
    pub unknown: Vec<Cow<'static, str>>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NamespaceV1<'a> {
    pub alerts: usize,
    pub critical_workloads: usize,
    pub failing_workloads: usize,
    pub grade: Option<Cow<'a, str>>,
    pub health: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub score: Option<f64>,
    pub system: bool,
    pub workloads: usize,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkloadV1<'a> {
    pub desired: Option<i32>,
    pub grade: Option<Cow<'a, str>>,
    pub health: Cow<'a, str>,
    pub kind: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub namespace: Cow<'a, str>,
    pub ready: i32,
    pub restarts: i32,
    pub results: Seq<'a, ResultV1<'a>>,
    pub score: Option<f64>,
}

/// A graded object that is not a workload (a Service, an Ingress, a namespace…).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ObjectV1<'a> {
    pub grade: Option<Cow<'a, str>>,
    pub kind: Cow<'a, str>,
    pub name: Cow<'a, str>,
    /// `null` for cluster-scoped objects.
    pub namespace: Option<Cow<'a, str>>,
    pub results: Seq<'a, ResultV1<'a>>,
    pub score: Option<f64>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ResultV1<'a> {
    pub category: Cow<'a, str>,
    pub check: Cow<'a, str>,
    /// The containers joined with `, `; `null` when the result is about no container.
    pub container: Option<String>,
    pub containers: Cow<'a, [String]>,
    /// Failures only.
    pub fix: Option<Cow<'a, str>>,
    /// The readiness group of a cluster check (`observability`, `traffic`, `security`,
    /// `data`, `capacity`, `other`); present on the cluster row's results only, so every
    /// other result keeps its shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<Cow<'a, str>>,
    pub message: Cow<'a, str>,
    /// `pass`, `fail`, `unknown`, `n/a` or `waived`.
    pub result: Cow<'a, str>,
    pub severity: Cow<'a, str>,
    pub waiver: Option<Cow<'a, str>>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertV1<'a> {
    pub check: Cow<'a, str>,
    pub container: Option<Cow<'a, str>>,
    pub events: Cow<'a, [String]>,
    pub message: Cow<'a, str>,
    pub pods: Cow<'a, [String]>,
    pub reason: Cow<'a, str>,
    pub restarts: i32,
    pub severity: Cow<'a, str>,
    pub since: Option<String>,
    pub workload: SubjectV1<'a>,
}

/// Which workload an alert is about.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SubjectV1<'a> {
    pub kind: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub namespace: Cow<'a, str>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UnknownKindV1<'a> {
    pub count: usize,
    pub kind: Cow<'a, str>,
}

/// Scores are written to one decimal.
fn score(s: Option<f64>) -> Option<f64> {
    s.map(|s| (s * 10.0).round() / 10.0)
}

fn grade<'a>(g: Option<Grade>) -> Option<Cow<'a, str>> {
    g.map(|g| Cow::Borrowed(grade_text(Some(g))))
}

impl<'a> ResultV1<'a> {
    fn of(r: &'a CheckResult) -> ResultV1<'a> {
        let fail = r.status == crate::checks::Status::Fail;
        ResultV1 {
            category: Cow::Borrowed(r.category.name()),
            check: Cow::Borrowed(&r.check),
            container: (!r.containers().is_empty()).then(|| r.containers().join(", ")),
            containers: Cow::Borrowed(r.containers()),
            fix: fail.then(|| Cow::Borrowed(r.fix_text())),
            group: None,
            message: Cow::Borrowed(&r.message),
            result: Cow::Borrowed(r.status.name()),
            severity: Cow::Borrowed(r.severity.name()),
            waiver: r.waiver().map(Cow::Borrowed),
        }
    }
}

impl<'a> WorkloadV1<'a> {
    fn of(w: &'a WorkloadReport) -> WorkloadV1<'a> {
        WorkloadV1 {
            desired: w.desired,
            grade: grade(w.grade),
            health: Cow::Borrowed(w.health.name()),
            kind: Cow::Borrowed(w.key.kind.name()),
            name: Cow::Borrowed(&w.key.name),
            namespace: Cow::Borrowed(&w.key.namespace),
            ready: w.ready,
            restarts: w.restarts,
            results: Seq::lazy(|| w.results.iter().map(ResultV1::of)),
            score: score(w.score),
        }
    }
}

impl<'a> ObjectV1<'a> {
    fn of(o: &'a ObjectReport) -> ObjectV1<'a> {
        ObjectV1 {
            grade: grade(o.grade),
            kind: Cow::Borrowed(o.key.kind()),
            name: Cow::Borrowed(o.key.name()),
            namespace: (!o.key.namespace().is_empty()).then_some(Cow::Borrowed(o.key.namespace())),
            results: if o.key.is_cluster() {
                Seq::lazy(|| {
                    o.results.iter().map(|r| ResultV1 {
                        group: Some(Cow::Borrowed(group_of(&r.check).name())),
                        ..ResultV1::of(r)
                    })
                })
            } else {
                Seq::lazy(|| o.results.iter().map(ResultV1::of))
            },
            score: score(o.score),
        }
    }
}

impl<'a> NamespaceV1<'a> {
    fn of(n: &'a NamespaceReport) -> NamespaceV1<'a> {
        NamespaceV1 {
            alerts: n.alerts,
            critical_workloads: n.critical_workloads,
            failing_workloads: n.failing_workloads,
            grade: grade(n.grade),
            health: Cow::Borrowed(n.health.name()),
            name: Cow::Borrowed(&n.name),
            score: score(n.score),
            system: n.system,
            workloads: n.workloads,
        }
    }
}

impl<'a> AlertV1<'a> {
    fn of(a: &'a Alert) -> AlertV1<'a> {
        AlertV1 {
            check: Cow::Borrowed(&a.check),
            container: a.container.as_deref().map(Cow::Borrowed),
            events: Cow::Borrowed(&a.events),
            message: Cow::Borrowed(&a.message),
            pods: Cow::Borrowed(&a.pods),
            reason: Cow::Borrowed(&a.reason),
            restarts: a.restarts,
            severity: Cow::Borrowed(a.severity.name()),
            since: a.since.map(|t| t.to_rfc3339()),
            workload: SubjectV1 {
                kind: Cow::Borrowed(a.workload.kind.name()),
                name: Cow::Borrowed(&a.workload.name),
                namespace: Cow::Borrowed(&a.workload.namespace),
            },
        }
    }
}

/// The whole report, borrowing `model` and `grades`: its lists are walked as it is written.
pub fn report<'a>(model: &'a ClusterModel, grades: &'a Grades) -> ReportV1<'a> {
    let (critical, warning, info) = super::alert_counts(grades);
    let mut kinds = KindsV1::default();
    for k in Kind::ALL {
        let slot = match model.sync_state(*k) {
            SyncState::Synced | SyncState::Stale(_) => &mut kinds.synced,
            // Its API group is not served: the add-on is not installed.
            SyncState::NotServed => &mut kinds.not_served,
            SyncState::Forbidden => &mut kinds.forbidden,
            // Not served by the API server: as unknown as a kind never listed.
            SyncState::Unsynced | SyncState::Unavailable(_) => &mut kinds.unknown,
        };
        slot.push(Cow::Borrowed(k.name()));
    }
    let mut alerts: Vec<&Alert> = grades.alerts().collect();
    alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| b.since.cmp(&a.since))
            .then_with(|| a.workload.cmp(&b.workload))
    });
    let alerts = Rc::new(alerts);
    ReportV1 {
        alerts: Seq::lazy(move || {
            let alerts = Rc::clone(&alerts);
            (0..alerts.len()).map(move |i| AlertV1::of(alerts[i]))
        }),
        causes: crate::triage::causes::causes(grades, model),
        cluster: ClusterV1 {
            alerts: AlertCountsV1 {
                critical,
                info,
                warning,
            },
            grade: grade(grades.cluster_grade),
            health: Cow::Borrowed(grades.cluster_health.name()),
            score: score(grades.cluster_score),
            workloads: grades.workloads.len(),
        },
        kinds,
        namespaces: Seq::lazy(|| grades.namespaces.values().map(NamespaceV1::of)),
        objects: Seq::lazy(|| grades.objects.values().map(ObjectV1::of)),
        schema_version: SCHEMA_VERSION,
        source: SourceV1 {
            evaluated_at: model.now().to_rfc3339(),
            name: Cow::Borrowed(&model.facts.source),
            server_version: model.facts.server_version.as_deref().map(Cow::Borrowed),
            source_type: Cow::Borrowed(if model.facts.from_manifests {
                "manifests"
            } else {
                "cluster"
            }),
        },
        unknown_kinds: Seq::lazy(|| {
            model.unknown_kinds.iter().map(|(k, n)| UnknownKindV1 {
                count: *n,
                kind: Cow::Borrowed(k),
            })
        }),
        workloads: Seq::lazy(|| grades.workloads.values().map(WorkloadV1::of)),
    }
}

/// Writes the report as pretty JSON to `out` as it walks the grades.
pub fn write(model: &ClusterModel, grades: &Grades, out: &mut dyn io::Write) -> io::Result<()> {
    super::json_text::write_pretty(out, &report(model, grades))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_report_reads_back_and_writes_the_same_text() {
        let model = crate::source::demo::demo_model();
        let grades = crate::grade::grade_all(&model, &crate::config::Config::default());
        let mut written = Vec::new();
        write(&model, &grades, &mut written).unwrap();
        let back: ReportV1 = serde_json::from_slice(&written).unwrap();
        assert!(back.workloads.iter().count() > 5);
        assert!(back.alerts.iter().count() > 0);
        let again = super::super::json_text::pretty(&back);
        assert_eq!(String::from_utf8(written).unwrap(), again);
    }

    #[test]
    fn keys_are_written_in_alphabetical_order() {
        let model = crate::source::demo::demo_model();
        let grades = crate::grade::grade_all(&model, &crate::config::Config::default());
        let text = super::super::json_text::pretty(&report(&model, &grades));
        // serde_json's own map sorts keys: a report through it is the order readers have seen.
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(text, super::super::json_text::pretty(&value));
    }
}
