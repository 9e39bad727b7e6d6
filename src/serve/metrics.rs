//! `/metrics`: the Prometheus text exposition format (version 0.0.4), written from published
//! snapshots only.
//!
//! Cardinality is bounded: per cluster, namespace series grow with the namespaces, check series
//! with namespaces × checks, and per-workload series (score, grade, health, alerts) with the
//! workloads, at most [`MetricsOptions::max_workloads`] of them (the rest are counted in
//! `shipshape_workload_series_dropped`); `--no-workload-series` turns them off.

use super::snapshot::Snapshot;
use crate::checks::{Severity, Status};
use crate::cluster::{Kind, SyncState};
use crate::score::{grade_text, Grade};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::SystemTime;

/// What `/metrics` includes.
#[derive(Clone, Copy, Debug)]
pub struct MetricsOptions {
    /// Per-workload series at all.
    pub workloads: bool,
    /// The most workloads per cluster with series of their own.
    pub max_workloads: usize,
}

impl Default for MetricsOptions {
    fn default() -> MetricsOptions {
        MetricsOptions {
            workloads: true,
            max_workloads: DEFAULT_MAX_WORKLOADS,
        }
    }
}

pub const DEFAULT_MAX_WORKLOADS: usize = 10_000;

/// The longest label value written: Kubernetes names are at most 253 bytes, so only a
/// misbehaving server reaches this.
const MAX_LABEL_CHARS: usize = 1024;

/// A label value as the exposition format wants it: `\`, `"` and line feeds escaped. Every
/// other character, control characters included, is valid inside the quotes.
pub fn escape_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().take(MAX_LABEL_CHARS) {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A sample value: integers without a fraction, scores to one decimal as in the JSON report.
fn value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        format!("{v}")
    }
}

/// A score as the JSON report rounds it.
fn score(s: f64) -> f64 {
    (s * 10.0).round() / 10.0
}

fn grade_label(g: Grade) -> &'static str {
    grade_text(Some(g))
}

/// The text being written: one family at a time, HELP and TYPE first.
pub struct Exposition {
    out: String,
}

impl Exposition {
    pub fn new() -> Exposition {
        Exposition { out: String::new() }
    }

    pub fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.out, "# HELP {name} {help}");
        let _ = writeln!(self.out, "# TYPE {name} {kind}");
    }

    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], v: f64) {
        self.out.push_str(name);
        if !labels.is_empty() {
            self.out.push('{');
            for (i, (k, val)) in labels.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                let _ = write!(self.out, "{k}=\"{}\"", escape_label(val));
            }
            self.out.push('}');
        }
        self.out.push(' ');
        self.out.push_str(&value(v));
        self.out.push('\n');
    }

    pub fn finish(self) -> String {
        self.out
    }
}

impl Default for Exposition {
    fn default() -> Exposition {
        Exposition::new()
    }
}

fn sync_state_name(s: &SyncState) -> &'static str {
    match s {
        SyncState::Unsynced => "unsynced",
        SyncState::Synced => "synced",
        SyncState::Forbidden => "forbidden",
        SyncState::Stale(_) => "stale",
        SyncState::Unavailable(_) => "unavailable",
        SyncState::NotServed => "not-served",
    }
}

const SYNC_STATES: [&str; 6] = [
    "unsynced",
    "synced",
    "forbidden",
    "stale",
    "unavailable",
    "not-served",
];

/// The exporter's own series and every cluster's, at `now`.
pub fn render(snapshots: &[&Snapshot], options: MetricsOptions, now: SystemTime) -> String {
    let mut e = Exposition::new();
    e.family(
        "shipshape_build_info",
        "gauge",
        "Always 1: the shipshape version and the Kubernetes API it reads.",
    );
    e.sample(
        "shipshape_build_info",
        &[
            ("version", env!("CARGO_PKG_VERSION")),
            ("kubernetes_api", crate::KUBERNETES_API),
        ],
        1.0,
    );
    clusters(&mut e, snapshots, now);
    namespaces(&mut e, snapshots);
    workloads(&mut e, snapshots, options);
    failing_checks(&mut e, snapshots);
    alerts(&mut e, snapshots, options);
    super::process::write(&mut e, now);
    e.finish()
}

fn clusters(e: &mut Exposition, snapshots: &[&Snapshot], now: SystemTime) {
    e.family(
        "shipshape_cluster_ready",
        "gauge",
        "1 when every kind has listed and nothing is stale (what /readyz says), else 0.",
    );
    for s in snapshots {
        let ready = s.not_ready().is_empty();
        e.sample(
            "shipshape_cluster_ready",
            &[("cluster", &s.cluster)],
            f64::from(u8::from(ready)),
        );
    }
    e.family(
        "shipshape_cluster_score",
        "gauge",
        "Readiness score of the cluster, 0-100 (absent when no workload is graded).",
    );
    for s in snapshots {
        if let Some(v) = s.grades.cluster_score {
            e.sample(
                "shipshape_cluster_score",
                &[("cluster", &s.cluster)],
                score(v),
            );
        }
    }
    e.family(
        "shipshape_cluster_grade",
        "gauge",
        "Always 1: the cluster's grade (A-F) in the grade label.",
    );
    for s in snapshots {
        if let Some(g) = s.grades.cluster_grade {
            e.sample(
                "shipshape_cluster_grade",
                &[("cluster", &s.cluster), ("grade", grade_label(g))],
                1.0,
            );
        }
    }
    e.family(
        "shipshape_cluster_health",
        "gauge",
        "Always 1: the cluster's runtime health in the health label.",
    );
    for s in snapshots {
        e.sample(
            "shipshape_cluster_health",
            &[
                ("cluster", &s.cluster),
                ("health", s.grades.cluster_health.name()),
            ],
            1.0,
        );
    }
    e.family(
        "shipshape_cluster_workloads",
        "gauge",
        "Workloads graded in the cluster.",
    );
    for s in snapshots {
        e.sample(
            "shipshape_cluster_workloads",
            &[("cluster", &s.cluster)],
            s.grades.workloads.len() as f64,
        );
    }
    e.family(
        "shipshape_sync_state",
        "gauge",
        "1 for the state each kind is in (unsynced, synced, forbidden, stale, unavailable), 0 for the others.",
    );
    for s in snapshots {
        for kind in Kind::ALL {
            let state = sync_state_name(&s.sync_state(*kind));
            for name in SYNC_STATES {
                e.sample(
                    "shipshape_sync_state",
                    &[
                        ("cluster", &s.cluster),
                        ("kind", kind.name()),
                        ("state", name),
                    ],
                    f64::from(u8::from(name == state)),
                );
            }
        }
    }
    e.family(
        "shipshape_last_event_age_seconds",
        "gauge",
        "Seconds since the cluster's watchers last delivered anything.",
    );
    for s in snapshots {
        if let Some(t) = s.last_event {
            let age = now.duration_since(t).unwrap_or_default().as_secs_f64();
            e.sample(
                "shipshape_last_event_age_seconds",
                &[("cluster", &s.cluster)],
                (age * 1000.0).round() / 1000.0,
            );
        }
    }
}

fn namespaces(e: &mut Exposition, snapshots: &[&Snapshot]) {
    e.family(
        "shipshape_namespace_score",
        "gauge",
        "Readiness score of a namespace, 0-100 (absent when none of its workloads is graded).",
    );
    for s in snapshots {
        for n in s.grades.namespaces.values() {
            if let Some(v) = n.score {
                e.sample(
                    "shipshape_namespace_score",
                    &[("cluster", &s.cluster), ("namespace", &n.name)],
                    score(v),
                );
            }
        }
    }
    e.family(
        "shipshape_namespace_grade",
        "gauge",
        "Always 1: a namespace's grade (A-F) in the grade label.",
    );
    for s in snapshots {
        for n in s.grades.namespaces.values() {
            if let Some(g) = n.grade {
                e.sample(
                    "shipshape_namespace_grade",
                    &[
                        ("cluster", &s.cluster),
                        ("namespace", &n.name),
                        ("grade", grade_label(g)),
                    ],
                    1.0,
                );
            }
        }
    }
    e.family(
        "shipshape_namespace_health",
        "gauge",
        "Always 1: a namespace's runtime health in the health label.",
    );
    for s in snapshots {
        for n in s.grades.namespaces.values() {
            e.sample(
                "shipshape_namespace_health",
                &[
                    ("cluster", &s.cluster),
                    ("namespace", &n.name),
                    ("health", n.health.name()),
                ],
                1.0,
            );
        }
    }
}

/// The workloads with series of their own: the first `max` in key order.
fn exported(
    s: &Snapshot,
    options: MetricsOptions,
) -> impl Iterator<Item = &crate::grade::WorkloadReport> {
    let take = if options.workloads {
        options.max_workloads
    } else {
        0
    };
    s.grades.workloads.values().take(take)
}

fn workloads(e: &mut Exposition, snapshots: &[&Snapshot], options: MetricsOptions) {
    e.family(
        "shipshape_workload_series_dropped",
        "gauge",
        "Workloads without series of their own (per-workload series off, or over --max-workload-series).",
    );
    for s in snapshots {
        let dropped = s.grades.workloads.len() - exported(s, options).count();
        e.sample(
            "shipshape_workload_series_dropped",
            &[("cluster", &s.cluster)],
            dropped as f64,
        );
    }
    if !options.workloads {
        return;
    }
    e.family(
        "shipshape_workload_score",
        "gauge",
        "Readiness score of a workload, 0-100 (absent when nothing could be judged).",
    );
    for s in snapshots {
        for w in exported(s, options) {
            if let Some(v) = w.score {
                e.sample(
                    "shipshape_workload_score",
                    &[
                        ("cluster", &s.cluster),
                        ("namespace", &w.key.namespace),
                        ("kind", w.key.kind.name()),
                        ("workload", &w.key.name),
                    ],
                    score(v),
                );
            }
        }
    }
    e.family(
        "shipshape_workload_grade",
        "gauge",
        "Always 1: a workload's grade (A-F) in the grade label.",
    );
    for s in snapshots {
        for w in exported(s, options) {
            if let Some(g) = w.grade {
                e.sample(
                    "shipshape_workload_grade",
                    &[
                        ("cluster", &s.cluster),
                        ("namespace", &w.key.namespace),
                        ("kind", w.key.kind.name()),
                        ("workload", &w.key.name),
                        ("grade", grade_label(g)),
                    ],
                    1.0,
                );
            }
        }
    }
    e.family(
        "shipshape_workload_health",
        "gauge",
        "Always 1: a workload's runtime health (healthy, degraded, failing, unknown) in the health label.",
    );
    for s in snapshots {
        for w in exported(s, options) {
            e.sample(
                "shipshape_workload_health",
                &[
                    ("cluster", &s.cluster),
                    ("namespace", &w.key.namespace),
                    ("kind", w.key.kind.name()),
                    ("workload", &w.key.name),
                    ("health", w.health.name()),
                ],
                1.0,
            );
        }
    }
}

fn failing_checks(e: &mut Exposition, snapshots: &[&Snapshot]) {
    e.family(
        "shipshape_failing_checks",
        "gauge",
        "Failing readiness checks by namespace (empty for cluster-scoped objects), check and severity.",
    );
    for s in snapshots {
        let mut counts: BTreeMap<(&str, &str, Severity), usize> = BTreeMap::new();
        let workloads = s
            .grades
            .workloads
            .values()
            .flat_map(|w| w.results.iter().map(move |r| (w.key.namespace.as_str(), r)));
        let objects = s
            .grades
            .objects
            .values()
            .flat_map(|o| o.results.iter().map(move |r| (o.key.scope(), r)));
        for (ns, r) in workloads.chain(objects) {
            if r.status == Status::Fail && r.is_scored() {
                *counts.entry((ns, &r.check, r.severity)).or_default() += 1;
            }
        }
        for ((ns, check, severity), n) in counts {
            e.sample(
                "shipshape_failing_checks",
                &[
                    ("cluster", &s.cluster),
                    ("namespace", ns),
                    ("check", check),
                    ("severity", severity.name()),
                ],
                n as f64,
            );
        }
    }
}

fn alerts(e: &mut Exposition, snapshots: &[&Snapshot], options: MetricsOptions) {
    e.family(
        "shipshape_alerts",
        "gauge",
        "Runtime alerts (crash loops, OOM kills, unavailable replicas...) by check and severity, per workload when per-workload series are on.",
    );
    for s in snapshots {
        let per_workload: std::collections::BTreeSet<_> =
            exported(s, options).map(|w| &w.key).collect();
        let mut counts: BTreeMap<(&str, &str, &str, &str, Severity), usize> = BTreeMap::new();
        for a in s.grades.alerts() {
            let (kind, name) = if per_workload.contains(&a.workload) {
                (a.workload.kind.name(), a.workload.name.as_str())
            } else {
                ("", "")
            };
            *counts
                .entry((&a.workload.namespace, kind, name, &a.check, a.severity))
                .or_default() += 1;
        }
        for ((ns, kind, name, check, severity), n) in counts {
            let mut labels = vec![("cluster", s.cluster.as_str()), ("namespace", ns)];
            if !name.is_empty() {
                labels.push(("kind", kind));
                labels.push(("workload", name));
            }
            labels.push(("check", check));
            labels.push(("severity", severity.name()));
            e.sample("shipshape_alerts", &labels, n as f64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;

    fn demo() -> Snapshot {
        let engine = Engine::from_messages(
            crate::config::Config::default(),
            crate::source::demo::demo_messages(),
        );
        Snapshot::of("demo", &engine, None)
    }

    #[test]
    fn label_values_escape_backslash_quote_and_line_feed() {
        assert_eq!(escape_label(r#"a\b"c"#), r#"a\\b\"c"#);
        assert_eq!(escape_label("x\ny"), "x\\ny");
        assert_eq!(
            escape_label(&"é".repeat(5000)).chars().count(),
            MAX_LABEL_CHARS
        );
        let mut e = Exposition::new();
        e.sample("m", &[("cluster", "evil\"} 1\nfake 2")], 3.0);
        assert_eq!(e.finish(), "m{cluster=\"evil\\\"} 1\\nfake 2\"} 3\n");
    }

    #[test]
    fn every_family_is_declared_once_and_every_sample_belongs_to_the_family_before_it() {
        let s = demo();
        let text = render(&[&s], MetricsOptions::default(), SystemTime::now());
        let mut seen = std::collections::BTreeSet::new();
        let mut current = String::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                let name = rest.split(' ').next().unwrap().to_string();
                assert!(seen.insert(name.clone()), "{name} declared twice");
                current = name;
            } else if !line.starts_with('#') {
                let name = line.split(['{', ' ']).next().unwrap();
                assert_eq!(name, current, "{line}");
            }
        }
        assert!(seen.contains("shipshape_workload_score"));
        assert!(seen.contains("process_resident_memory_bytes") || !cfg!(target_os = "linux"));
    }

    #[test]
    fn workload_series_match_the_grades_and_the_switch_and_cap_bound_them() {
        let s = demo();
        let all = render(&[&s], MetricsOptions::default(), SystemTime::now());
        let n = s.grades.workloads.len();
        assert!(n > 3);
        let health_lines = |t: &str| {
            t.lines()
                .filter(|l| l.starts_with("shipshape_workload_health{"))
                .count()
        };
        assert_eq!(health_lines(&all), n);
        for w in s.grades.workloads.values() {
            if let (Some(sc), Some(g)) = (w.score, w.grade) {
                let labels = format!(
                    "cluster=\"demo\",namespace=\"{}\",kind=\"{}\",workload=\"{}\"",
                    w.key.namespace,
                    w.key.kind.name(),
                    w.key.name
                );
                assert!(all.contains(&format!(
                    "shipshape_workload_score{{{labels}}} {}\n",
                    score(sc)
                )));
                assert!(all.contains(&format!(
                    "shipshape_workload_grade{{{labels},grade=\"{}\"}} 1\n",
                    grade_label(g)
                )));
            }
        }
        let off = render(
            &[&s],
            MetricsOptions {
                workloads: false,
                max_workloads: 10,
            },
            SystemTime::now(),
        );
        assert_eq!(health_lines(&off), 0);
        assert!(!off.contains("workload=\""));
        assert!(off.contains(&format!(
            "shipshape_workload_series_dropped{{cluster=\"demo\"}} {n}\n"
        )));
        let capped = render(
            &[&s],
            MetricsOptions {
                workloads: true,
                max_workloads: 3,
            },
            SystemTime::now(),
        );
        assert_eq!(health_lines(&capped), 3);
        assert!(capped.contains(&format!(
            "shipshape_workload_series_dropped{{cluster=\"demo\"}} {}\n",
            n - 3
        )));
        // Alerts keep their counts when they lose the workload label.
        let total = |t: &str| -> f64 {
            t.lines()
                .filter(|l| l.starts_with("shipshape_alerts{"))
                .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
                .sum()
        };
        assert!(total(&all) > 0.0);
        assert_eq!(total(&all), s.grades.alerts().count() as f64);
        assert_eq!(total(&off), total(&all));
    }

    #[test]
    fn sync_state_is_one_for_the_current_state_only() {
        let s = demo();
        let text = render(&[&s], MetricsOptions::default(), SystemTime::now());
        for kind in Kind::ALL {
            let ones: Vec<&str> = text
                .lines()
                .filter(|l| {
                    l.starts_with(&format!(
                        "shipshape_sync_state{{cluster=\"demo\",kind=\"{}\",",
                        kind.name()
                    ))
                })
                .filter(|l| l.ends_with(" 1"))
                .collect();
            assert_eq!(ones.len(), 1, "{}", kind.name());
            assert!(ones[0].contains(&format!(
                "state=\"{}\"",
                sync_state_name(&s.sync_state(*kind))
            )));
        }
    }
}
