//! What a go-live report says, gathered once so the Markdown and HTML writers show the same
//! content in the same order: scope, summary, namespaces, top risks, the cluster's own
//! readiness, a section per workload, other findings, what could not be graded, waivers, and
//! the manual review.

use super::manual_review::ManualItem;
use super::table::{severity_symbol, worst_first};
use super::{count_by_severity, plural, worst_findings};
use crate::checks::cluster_groups::{self, ClusterGroup};
use crate::checks::{Alert, CheckResult, Severity, Status};
use crate::cluster::{ClusterModel, Kind, SyncState, WorkloadKey};
use crate::grade::{Grades, NamespaceReport, ObjectReport, WorkloadReport};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// At most this many top risks are listed; the rest are counted.
pub const MAX_RISKS: usize = 15;

/// How a format marks up inline text. The writers say the same things in the same order;
/// this is what they differ in.
pub trait Markup {
    /// Text from the cluster or the catalogue, escaped for the format.
    fn text(s: &str) -> String;
    /// An identifier shown verbatim: a check id, a container, a pod, a kind.
    fn code(s: &str) -> String;
    /// The name of a subject (`shop/web`), made to stand out.
    fn name(s: &str) -> String;
}

/// Plain text, as terminals and labels show it.
pub struct Plain;

impl Markup for Plain {
    fn text(s: &str) -> String {
        s.to_string()
    }
    fn code(s: &str) -> String {
        s.to_string()
    }
    fn name(s: &str) -> String {
        s.to_string()
    }
}

/// The sections of a go-live report after its header, in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Namespaces,
    Risks,
    /// The cluster's own checks, by the guides' groups.
    Readiness,
    Workloads,
    Cluster,
    NotGraded,
    Waived,
    ManualReview,
}

impl Part {
    pub const ALL: [Part; 8] = [
        Part::Namespaces,
        Part::Risks,
        Part::Readiness,
        Part::Workloads,
        Part::Cluster,
        Part::NotGraded,
        Part::Waived,
        Part::ManualReview,
    ];

    /// The section's heading.
    pub fn title(self) -> &'static str {
        match self {
            Part::Namespaces => "Namespaces",
            Part::Risks => "Top risks",
            Part::Readiness => "Cluster readiness",
            Part::Workloads => "Workloads",
            Part::Cluster => "Cluster",
            Part::NotGraded => "Not graded",
            Part::Waived => "Waived",
            Part::ManualReview => "Manual review",
        }
    }

    /// A stable anchor for links into the section.
    pub fn anchor(self) -> &'static str {
        match self {
            Part::Namespaces => "namespaces",
            Part::Risks => "risks",
            Part::Readiness => "cluster-readiness",
            Part::Workloads => "workloads",
            Part::Cluster => "cluster",
            Part::NotGraded => "not-graded",
            Part::Waived => "waived",
            Part::ManualReview => "manual-review",
        }
    }

    /// Whether a table of contents links it (when the report has it): the short cluster
    /// section is left to the end of the page.
    pub fn in_contents(self) -> bool {
        self != Part::Cluster
    }
}

/// How a format writes each part of the report; [`Document::write_parts`] calls them in
/// the report's order.
pub trait Sections: Markup {
    fn namespaces(s: &mut String, doc: &Document);
    fn risks(s: &mut String, doc: &Document);
    fn readiness(s: &mut String, doc: &Document);
    fn workloads(s: &mut String, doc: &Document);
    fn cluster(s: &mut String, doc: &Document);
    fn not_graded(s: &mut String, doc: &Document);
    fn waived(s: &mut String, doc: &Document);
    fn manual_review(s: &mut String, doc: &Document);
}

/// What the report says when there is nothing to list, and the lead-ins of its lists.
pub const NO_RISKS: &str = "No critical or warning finding outside system namespaces.";
pub const NO_WORKLOADS: &str = "No workloads in scope.";
pub const NO_FAILING_CHECKS: &str = "No failing checks.";
pub const NOTHING_WAIVED: &str = "Nothing is waived.";
pub const OBJECT_FINDINGS: &str = "Guardrails, Services and Ingresses";
pub const UNMODELLED_INTRO: &str =
    "Kinds shipshape does not model (custom resources, RBAC…) are counted, not graded:";
pub const UNSEEN_INTRO: &str = "Kinds shipshape could not see completely:";
pub const READINESS_INTRO: &str =
    "The cluster's own checks, grouped as the guides group a production cluster: failures first, with the fix.";
pub const MANUAL_INTRO: &str =
    "What the cluster cannot show. Confirm each item in the meeting; none is scored.";

/// Which part of the cluster a report covers.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Only this namespace (the dashboard's namespace selection).
    pub namespace: Option<String>,
    /// Only these workloads (the dashboard's filter), when set.
    pub workloads: Option<BTreeSet<WorkloadKey>>,
    /// How the workloads were chosen, in words (`filter: sev:critical`).
    pub note: Option<String>,
}

impl Scope {
    /// The whole cluster.
    pub fn all() -> Scope {
        Scope::default()
    }

    fn has_namespace(&self, ns: &str) -> bool {
        self.namespace.as_deref().is_none_or(|n| n == ns)
    }

    fn has_workload(&self, key: &WorkloadKey) -> bool {
        self.has_namespace(&key.namespace)
            && self.workloads.as_ref().is_none_or(|set| set.contains(key))
    }

    /// The scope in words, for the report's header.
    pub fn describe(&self) -> String {
        let mut s = match &self.namespace {
            Some(ns) => format!("namespace {ns}"),
            None => "all namespaces".to_string(),
        };
        if let Some(note) = &self.note {
            s.push_str(", ");
            s.push_str(note);
        }
        s
    }
}

/// What a finding is about: a workload or another graded object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl Subject {
    pub fn of_workload(key: &WorkloadKey) -> Subject {
        Subject {
            kind: key.kind.name().to_string(),
            namespace: key.namespace.clone(),
            name: key.name.clone(),
        }
    }

    pub fn of_object(o: &ObjectReport) -> Subject {
        Subject {
            kind: o.key.kind().to_string(),
            namespace: o.key.namespace().to_string(),
            name: o.key.name().to_string(),
        }
    }

    /// `Deployment shop/web`, `Namespace shop`, `cluster`.
    pub fn label(&self) -> String {
        self.show::<Plain>()
    }

    /// The label marked up: the kind as text, the name standing out.
    pub fn show<M: Markup>(&self) -> String {
        match (self.kind.as_str(), self.namespace.is_empty()) {
            ("Cluster", _) => "cluster".to_string(),
            (_, true) => format!("{} {}", M::text(&self.kind), M::name(&self.name)),
            _ => format!(
                "{} {}",
                M::text(&self.kind),
                M::name(&format!("{}/{}", self.namespace, self.name))
            ),
        }
    }

    /// The subject within its namespace's section, where the Namespace itself needs no name.
    pub fn show_in_namespace<M: Markup>(&self) -> String {
        if self.kind == "Namespace" {
            "namespace".to_string()
        } else {
            self.show::<M>()
        }
    }

    /// `Kind ns/name · ` before a cluster-wide finding; nothing for the cluster itself.
    pub fn prefix<M: Markup>(&self) -> String {
        if self.kind == "Cluster" {
            String::new()
        } else {
            format!("{} · ", self.show::<M>())
        }
    }
}

/// One line of the top risks: a runtime alert or a failing check.
#[derive(Clone, Debug)]
pub struct Risk<'g> {
    pub severity: Severity,
    /// A runtime alert (what is broken now) rather than a configuration finding.
    pub alert: bool,
    pub subject: Subject,
    pub check: &'g str,
    /// The alert's Kubernetes reason, or the check id.
    pub headline: &'g str,
    pub message: &'g str,
}

impl Risk<'_> {
    /// `critical alert`, `warning`.
    pub fn label(&self) -> String {
        if self.alert {
            format!("{} alert", self.severity)
        } else {
            self.severity.to_string()
        }
    }
}

/// A waived result and why.
#[derive(Clone, Debug)]
pub struct Waived<'g> {
    pub subject: Subject,
    pub result: &'g CheckResult,
}

/// A kind that shipshape could not see completely, and what that means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnseenKind {
    pub kind: Kind,
    pub why: String,
}

/// One namespace's part of the report.
#[derive(Clone, Debug)]
pub struct NamespaceSection<'g> {
    pub report: &'g NamespaceReport,
    /// Its workloads in scope, worst first.
    pub workloads: Vec<&'g WorkloadReport>,
    /// Failing results of its guardrails, Services and Ingresses.
    pub findings: Vec<(Subject, &'g CheckResult)>,
}

/// Counts for the summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub workloads: usize,
    pub namespaces: usize,
    pub failing_critical: usize,
    pub alerts: (usize, usize, usize),
    pub waived: usize,
}

impl Summary {
    /// `3 namespaces · 2 fail a critical check`.
    pub fn workloads_note(&self) -> String {
        format!(
            "{} · {} fail a critical check",
            plural(self.namespaces, "namespace"),
            self.failing_critical
        )
    }
}

/// Everything a go-live report shows.
#[derive(Clone, Debug)]
pub struct Document<'g> {
    pub grades: &'g Grades,
    pub source: String,
    pub server_version: Option<String>,
    pub evaluated_at: DateTime<Utc>,
    /// Manifests rather than a cluster (or a snapshot of one).
    pub from_manifests: bool,
    pub scope: Scope,
    pub summary: Summary,
    pub namespaces: Vec<&'g NamespaceReport>,
    pub risks: Vec<Risk<'g>>,
    /// Critical and warning risks beyond [`MAX_RISKS`].
    pub more_risks: usize,
    pub sections: Vec<NamespaceSection<'g>>,
    /// The cluster row's results by group, failing first within each (whole-cluster reports
    /// only).
    pub readiness: Vec<(ClusterGroup, Vec<&'g CheckResult>)>,
    /// Other cluster-scoped rows that fail or cannot be judged (whole-cluster reports only).
    pub cluster: Vec<(Subject, &'g CheckResult)>,
    /// Objects of kinds shipshape does not model, by `Kind (apiVersion)`.
    pub unmodelled: Vec<(String, usize)>,
    pub unseen: Vec<UnseenKind>,
    pub waived: Vec<Waived<'g>>,
    /// The manual review: what no registered check answers.
    pub manual: Vec<&'static ManualItem>,
}

impl<'g> Document<'g> {
    /// Gathers the report of `scope` from graded state.
    pub fn build(model: &ClusterModel, grades: &'g Grades, scope: Scope) -> Document<'g> {
        let is_system = |ns: &str| grades.namespaces.get(ns).is_some_and(|n| n.system);
        let workloads: Vec<&WorkloadReport> = grades
            .workloads
            .values()
            .filter(|w| scope.has_workload(&w.key))
            .collect();
        // Application namespaces first, system ones last; each by name. A filtered report
        // keeps the namespaces its workloads are in.
        let mut namespaces: Vec<&NamespaceReport> = grades
            .namespaces
            .values()
            .filter(|n| scope.has_namespace(&n.name))
            .filter(|n| {
                scope.workloads.is_none() || workloads.iter().any(|w| w.key.namespace == n.name)
            })
            .collect();
        let objects: Vec<&ObjectReport> = grades
            .objects
            .values()
            // Rows of a namespace: cluster-scoped rows go to the cluster section.
            .filter(|o| !o.key.scope().is_empty())
            .filter(|o| namespaces.iter().any(|n| n.name == o.key.scope()))
            .collect();
        namespaces.sort_by(|a, b| a.system.cmp(&b.system).then_with(|| a.name.cmp(&b.name)));

        let sections = namespaces
            .iter()
            .filter_map(|ns| {
                let mut ws: Vec<&WorkloadReport> = workloads
                    .iter()
                    .copied()
                    .filter(|w| w.key.namespace == ns.name)
                    .collect();
                ws.sort_by(|a, b| worst_first(a, b));
                let findings: Vec<(Subject, &CheckResult)> = objects
                    .iter()
                    .filter(|o| o.key.scope() == ns.name)
                    // Guardrails matter where workloads run.
                    .filter(|o| !o.key.is_namespace() || ns.workloads > 0)
                    .flat_map(|o| {
                        o.results
                            .iter()
                            .filter(|r| r.status == Status::Fail)
                            .map(|r| (Subject::of_object(o), r))
                    })
                    .collect();
                (!ws.is_empty() || !findings.is_empty()).then_some(NamespaceSection {
                    report: ns,
                    workloads: ws,
                    findings,
                })
            })
            .collect();

        let mut risks: Vec<Risk> = Vec::new();
        for w in workloads.iter().filter(|w| !is_system(&w.key.namespace)) {
            for a in &w.alerts {
                risks.push(alert_risk(a));
            }
            for r in w.failing().filter(|r| r.is_scored()) {
                risks.push(check_risk(Subject::of_workload(&w.key), r));
            }
        }
        for o in objects.iter().filter(|o| !is_system(o.key.scope())) {
            for r in o.results.iter().filter(|r| r.status == Status::Fail) {
                risks.push(check_risk(Subject::of_object(o), r));
            }
        }
        risks.retain(|r| r.severity >= Severity::Warning);
        // Critical before warning; within one severity, what is broken now before what could
        // break.
        risks.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| b.alert.cmp(&a.alert))
                .then_with(|| a.subject.namespace.cmp(&b.subject.namespace))
                .then_with(|| a.subject.name.cmp(&b.subject.name))
                .then_with(|| a.check.cmp(b.check))
        });
        let more_risks = risks.len().saturating_sub(MAX_RISKS);
        risks.truncate(MAX_RISKS);

        let whole_cluster = scope.namespace.is_none() && scope.workloads.is_none();
        let readiness = match grades.cluster_row() {
            Some(row) if whole_cluster => cluster_groups::grouped(&row.results),
            _ => Vec::new(),
        };
        // The cluster row's own results are in the readiness section.
        let cluster = if whole_cluster {
            grades
                .objects
                .values()
                .filter(|o| o.key.scope().is_empty())
                .filter(|o| !o.key.is_cluster())
                .flat_map(|o| o.results.iter().map(move |r| (Subject::of_object(o), r)))
                .filter(|(_, r)| matches!(r.status, Status::Fail | Status::Unknown))
                .collect()
        } else {
            Vec::new()
        };

        let mut waived: Vec<Waived> = Vec::new();
        for w in &workloads {
            for r in w.results.iter().filter(|r| r.status == Status::Waived) {
                waived.push(Waived {
                    subject: Subject::of_workload(&w.key),
                    result: r,
                });
            }
        }
        for o in &objects {
            for r in o.results.iter().filter(|r| r.status == Status::Waived) {
                waived.push(Waived {
                    subject: Subject::of_object(o),
                    result: r,
                });
            }
        }

        let summary = Summary {
            workloads: workloads.len(),
            namespaces: namespaces.len(),
            failing_critical: workloads.iter().filter(|w| w.critical_failures > 0).count(),
            alerts: count_by_severity(workloads.iter().flat_map(|w| w.alerts.iter())),
            waived: waived.len(),
        };

        Document {
            grades,
            source: model.facts.source.clone(),
            server_version: model.facts.server_version.clone(),
            evaluated_at: model.now(),
            from_manifests: model.facts.from_manifests,
            scope,
            summary,
            namespaces,
            risks,
            more_risks,
            sections,
            readiness,
            cluster,
            unmodelled: model
                .unknown_kinds
                .iter()
                .map(|(k, n)| (k.clone(), *n))
                .collect(),
            unseen: unseen_kinds(model),
            waived,
            manual: super::manual_review::unobserved(),
        }
    }

    /// The report's title.
    pub fn title(&self) -> String {
        format!("Production readiness: {}", self.source)
    }

    /// When the state was evaluated, as the report prints it.
    pub fn evaluated_text(&self) -> String {
        time_text(self.evaluated_at)
    }

    /// The line under the title: when, which Kubernetes, from what, and the scope.
    pub fn meta_line<M: Markup>(&self) -> String {
        let mut meta = vec![format!("Evaluated {}", self.evaluated_text())];
        if let Some(v) = &self.server_version {
            meta.push(format!("Kubernetes {}", M::text(v)));
        }
        meta.push(
            if self.from_manifests {
                "from manifests (no runtime state)"
            } else {
                "from cluster state"
            }
            .to_string(),
        );
        meta.push(format!("scope: {}", M::text(&self.scope.describe())));
        meta.join(" · ")
    }

    /// The sections this report has, in order: the cluster's readiness and the other
    /// cluster-scoped findings only when they list something.
    pub fn parts(&self) -> Vec<Part> {
        Part::ALL
            .into_iter()
            .filter(|p| *p != Part::Cluster || !self.cluster.is_empty())
            .filter(|p| *p != Part::Readiness || !self.readiness.is_empty())
            .collect()
    }

    /// Writes the parts this report has, in order, in format `W`.
    pub fn write_parts<W: Sections>(&self, s: &mut String) {
        for part in self.parts() {
            match part {
                Part::Namespaces => W::namespaces(s, self),
                Part::Risks => W::risks(s, self),
                Part::Readiness => W::readiness(s, self),
                Part::Workloads => W::workloads(s, self),
                Part::Cluster => W::cluster(s, self),
                Part::NotGraded => W::not_graded(s, self),
                Part::Waived => W::waived(s, self),
                Part::ManualReview => W::manual_review(s, self),
            }
        }
    }

    /// The line after the top risks when some were left out.
    pub fn more_risks_text(&self) -> Option<String> {
        (self.more_risks > 0).then(|| {
            format!(
                "…and {} more critical and warning findings in the sections below.",
                self.more_risks
            )
        })
    }

    /// The manual review grouped by area, in the order the meeting walks it.
    pub fn manual_areas(&self) -> Vec<(&'static str, Vec<&'static ManualItem>)> {
        let mut areas: Vec<(&'static str, Vec<&'static ManualItem>)> = Vec::new();
        for item in self.manual.iter().copied() {
            match areas.last_mut() {
                Some((area, items)) if *area == item.area => items.push(item),
                _ => areas.push((item.area, vec![item])),
            }
        }
        areas
    }

    /// The namespace a scoped report is about, with its rollup.
    pub fn scoped_namespace(&self) -> Option<&'g NamespaceReport> {
        let ns = self.scope.namespace.as_ref()?;
        self.grades.namespaces.get(ns)
    }

    /// How many sections hold workloads.
    pub fn workload_count(&self) -> usize {
        self.sections.iter().map(|s| s.workloads.len()).sum()
    }
}

fn alert_risk(a: &Alert) -> Risk<'_> {
    Risk {
        severity: a.severity,
        alert: true,
        subject: Subject::of_workload(&a.workload),
        check: &a.check,
        headline: &a.reason,
        message: &a.message,
    }
}

fn check_risk(subject: Subject, r: &CheckResult) -> Risk<'_> {
    Risk {
        severity: r.severity,
        alert: false,
        subject,
        check: &r.check,
        headline: &r.check,
        message: &r.message,
    }
}

fn unseen_kinds(model: &ClusterModel) -> Vec<UnseenKind> {
    Kind::ALL
        .iter()
        .filter_map(|k| {
            let why = match model.sync_state(*k) {
                SyncState::Synced | SyncState::NotServed => return None,
                SyncState::Forbidden => {
                    "forbidden: these credentials cannot list it, so checks that need it are unknown".to_string()
                }
                SyncState::Stale(e) => {
                    format!("the watch is failing ({e}): what is shown may be out of date")
                }
                SyncState::Unavailable(e) => {
                    format!("{e}: checks that need it are unknown")
                }
                SyncState::Unsynced if model.facts.from_manifests => {
                    "not in the input (--partial): checks that need it are unknown".to_string()
                }
                SyncState::Unsynced => {
                    "not listed yet: checks that need it are unknown".to_string()
                }
            };
            Some(UnseenKind { kind: *k, why })
        })
        .collect()
}

/// Results of a workload by outcome: (passed, unknown, n/a, waived).
pub fn outcome_counts(w: &WorkloadReport) -> (usize, usize, usize, usize) {
    w.results
        .iter()
        .fold((0, 0, 0, 0), |(p, u, n, wv), r| match r.status {
            Status::Pass => (p + 1, u, n, wv),
            Status::Unknown => (p, u + 1, n, wv),
            Status::NotApplicable => (p, u, n + 1, wv),
            Status::Waived => (p, u, n, wv + 1),
            Status::Fail => (p, u, n, wv),
        })
}

/// The failing checks a workload section lists, most severe first (alerts are listed apart).
pub fn failing_checks(w: &WorkloadReport) -> Vec<&CheckResult> {
    worst_findings(w)
}

/// Results that could not be judged, so the meeting knows what was not looked at.
pub fn unknown_results(w: &WorkloadReport) -> Vec<&CheckResult> {
    w.results
        .iter()
        .filter(|r| r.status == Status::Unknown)
        .collect()
}

/// Ready pods over desired, as tables print it (`?` when health cannot be seen).
pub fn ready_text(w: &WorkloadReport) -> String {
    let ready = if w.health == crate::score::Health::Unknown {
        "?".to_string()
    } else {
        w.ready.to_string()
    };
    match w.desired {
        Some(d) => format!("{ready}/{d}"),
        None => ready,
    }
}

/// A fix split into its prose and its YAML snippet (the catalogue writes "prose:\n\nyaml").
pub fn split_fix(fix: &str) -> (&str, Option<&str>) {
    match fix.split_once("\n\n") {
        Some((prose, snippet)) if !snippet.trim().is_empty() => (prose.trim_end(), Some(snippet)),
        _ => (fix, None),
    }
}

/// A point in time as reports print it.
pub fn time_text(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A workload's pods, restarts and results by outcome, in one line (numbers only, so it
/// needs no escaping).
pub fn outcome_line(w: &WorkloadReport) -> String {
    let (passed, unknown, na, waived) = outcome_counts(w);
    format!(
        "Ready {} · {} · {} failing, {passed} passed, {unknown} unknown, {na} n/a, {waived} waived",
        ready_text(w),
        plural(w.restarts.max(0) as usize, "restart"),
        plural(failing_checks(w).len(), "check")
    )
}

/// What an alert adds after its message: since when, restarts, which pods.
pub fn alert_facts<M: Markup>(a: &Alert) -> Vec<String> {
    let mut facts = Vec::new();
    if let Some(since) = a.since {
        facts.push(format!("since {}", time_text(since)));
    }
    if a.restarts > 0 {
        facts.push(plural(a.restarts as usize, "restart"));
    }
    if !a.pods.is_empty() {
        let pods: Vec<String> = a.pods.iter().map(|p| M::code(p)).collect();
        facts.push(format!("pods {}", pods.join(", ")));
    }
    facts
}

/// ` · app, sidecar` after a finding that names containers; nothing otherwise.
pub fn containers_suffix<M: Markup>(r: &CheckResult) -> String {
    if r.containers().is_empty() {
        String::new()
    } else {
        let names: Vec<String> = r.containers().iter().map(|c| M::code(c)).collect();
        format!(" · {}", names.join(", "))
    }
}

/// The checks of a workload that could not be judged, with why, in one line.
pub fn not_judged<M: Markup>(w: &WorkloadReport) -> Option<String> {
    let unknown = unknown_results(w);
    if unknown.is_empty() {
        return None;
    }
    let list: Vec<String> = unknown
        .iter()
        .map(|r| format!("{} ({})", M::code(&r.check), M::text(&r.message)))
        .collect();
    Some(list.join("; "))
}

/// The symbol and word a cluster readiness line leads with: a failure's severity, else its
/// outcome.
pub fn readiness_mark(r: &CheckResult) -> (&'static str, &'static str) {
    match r.status {
        Status::Fail => (severity_symbol(r.severity), r.severity.name()),
        Status::Pass => ("✔", "pass"),
        Status::Unknown => ("?", "unknown"),
        Status::NotApplicable => ("–", "n/a"),
        Status::Waived => ("≈", "waived"),
    }
}

/// What a cluster readiness line says after the check: what the check found, or why it is
/// waived.
pub fn readiness_detail(r: &CheckResult) -> &str {
    match r.status {
        Status::Waived => waiver_reason(r),
        _ => &r.message,
    }
}

/// `2 failing, 3 passed, 1 unknown`: a readiness group's outcomes, numbers only.
pub fn group_counts(results: &[&CheckResult]) -> String {
    let mut parts = Vec::new();
    for (status, word) in [
        (Status::Fail, "failing"),
        (Status::Unknown, "unknown"),
        (Status::Waived, "waived"),
        (Status::Pass, "passed"),
        (Status::NotApplicable, "n/a"),
    ] {
        let n = results.iter().filter(|r| r.status == status).count();
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    parts.join(", ")
}

/// The symbol and word a listed result leads with: its severity, or `? unknown` when it
/// could not be judged.
pub fn result_mark(r: &CheckResult) -> (&'static str, &'static str) {
    if r.status == Status::Unknown {
        ("?", "unknown")
    } else {
        (severity_symbol(r.severity), r.severity.name())
    }
}

/// Why a result is waived, as the waiver says.
pub fn waiver_reason(r: &CheckResult) -> &str {
    r.waiver().unwrap_or("no reason given")
}

/// The catalogue's reason a check matters.
pub fn why(r: &CheckResult) -> &'static str {
    r.def().why
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::grade::grade_all;
    use crate::source::demo::demo_model;

    #[test]
    fn demo_document_orders_risks_and_sections() {
        let model = demo_model();
        let grades = grade_all(&model, &Config::default());
        let doc = Document::build(&model, &grades, Scope::all());
        assert_eq!(doc.summary.workloads, 39);
        assert_eq!(doc.risks.len(), MAX_RISKS);
        assert!(doc.more_risks > 0);
        // Critical alerts lead, and no system namespace makes the list.
        assert!(doc.risks[0].alert && doc.risks[0].severity == Severity::Critical);
        assert!(doc
            .risks
            .iter()
            .all(|r| r.subject.namespace != "kube-system"));
        let sev: Vec<Severity> = doc.risks.iter().map(|r| r.severity).collect();
        assert!(sev.windows(2).all(|w| w[0] >= w[1]), "{sev:?}");
        // System namespaces come last.
        assert_eq!(doc.sections.last().unwrap().report.name, "kube-system");
        assert_eq!(doc.workload_count(), 39);
    }

    #[test]
    fn scope_limits_everything() {
        let model = demo_model();
        let grades = grade_all(&model, &Config::default());
        let scope = Scope {
            namespace: Some("shop".into()),
            ..Scope::default()
        };
        let doc = Document::build(&model, &grades, scope);
        assert_eq!(doc.namespaces.len(), 1);
        assert_eq!(doc.sections.len(), 1);
        assert!(doc.cluster.is_empty());
        assert!(doc.risks.iter().all(|r| r.subject.namespace == "shop"));
        assert_eq!(doc.scoped_namespace().unwrap().name, "shop");
        let checkout =
            WorkloadKey::new(crate::cluster::WorkloadKind::Deployment, "shop", "checkout");
        let scope = Scope {
            namespace: None,
            workloads: Some(BTreeSet::from([checkout.clone()])),
            note: Some("filter: checkout".into()),
        };
        let doc = Document::build(&model, &grades, scope);
        assert_eq!(doc.workload_count(), 1);
        assert_eq!(doc.sections.len(), 1);
        assert_eq!(doc.scope.describe(), "all namespaces, filter: checkout");
    }

    fn subject(kind: &str, namespace: &str, name: &str) -> Subject {
        Subject {
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    #[test]
    fn subjects_and_manual_areas_read_the_same_in_every_format() {
        let web = subject("Deployment", "shop", "web");
        assert_eq!(web.label(), "Deployment shop/web");
        assert_eq!(web.prefix::<Plain>(), "Deployment shop/web · ");
        let ns = subject("Namespace", "", "shop");
        assert_eq!(ns.label(), "Namespace shop");
        assert_eq!(ns.show_in_namespace::<Plain>(), "namespace");
        assert_eq!(subject("Cluster", "", "cluster").prefix::<Plain>(), "");

        let model = demo_model();
        let grades = grade_all(&model, &Config::default());
        let doc = Document::build(&model, &grades, Scope::all());
        let areas = doc.manual_areas();
        assert_eq!(
            areas.iter().map(|(_, items)| items.len()).sum::<usize>(),
            doc.manual.len()
        );
        assert!(areas
            .iter()
            .all(|(area, items)| items.iter().all(|i| i.area == *area)));
        assert!(areas.windows(2).all(|w| w[0].0 != w[1].0));
        assert_eq!(
            doc.parts().contains(&Part::Cluster),
            !doc.cluster.is_empty()
        );
    }

    #[test]
    fn fixes_split_into_prose_and_snippet() {
        assert_eq!(
            split_fix("Add a probe:\n\nreadinessProbe:\n  x: 1"),
            ("Add a probe:", Some("readinessProbe:\n  x: 1"))
        );
        assert_eq!(split_fix("Just do it."), ("Just do it.", None));
    }
}
