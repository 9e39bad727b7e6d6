//! The human table `shipshape check` prints: per namespace, worst workloads first.

use super::document::group_counts;
use super::{alert_counts, clip, plural, worst_findings};
use crate::checks::cluster_groups::grouped;
use crate::checks::{CheckResult, Severity, Status};
use crate::cluster::ClusterModel;
use crate::grade::{Grades, WorkloadReport};
use crate::score::{grade_text, score_text, Health};
use crate::text::safe;
use std::fmt::Write;

/// Terminal styling; plain when output is not a terminal or `NO_COLOR` is set.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }

    fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }

    fn severity(&self, s: Severity, t: &str) -> String {
        match s {
            Severity::Critical => self.paint("31", t),
            Severity::Warning => self.paint("33", t),
            Severity::Info => self.paint("36", t),
        }
    }

    fn health(&self, h: Health) -> String {
        let t = h.name();
        match h {
            Health::Failing => self.paint("1;31", t),
            Health::Degraded => self.paint("33", t),
            Health::Unknown => self.dim(t),
            Health::Healthy => self.paint("32", t),
        }
    }
}

/// The symbol that carries severity without colour.
pub fn severity_symbol(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "✖",
        Severity::Warning => "▲",
        Severity::Info => "•",
    }
}

/// The symbol that carries health without colour.
pub fn health_symbol(h: Health) -> &'static str {
    match h {
        Health::Failing => "✖",
        Health::Degraded => "▲",
        Health::Healthy => "✔",
        Health::Unknown => "?",
    }
}

/// Orders workloads worst first: health, then score (no score last), then name.
pub fn worst_first(a: &WorkloadReport, b: &WorkloadReport) -> std::cmp::Ordering {
    let score = |w: &WorkloadReport| w.score.unwrap_or(f64::INFINITY);
    a.health
        .cmp(&b.health)
        .then_with(|| score(a).total_cmp(&score(b)))
        .then_with(|| a.key.cmp(&b.key))
}

fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n >= width {
        text.to_string()
    } else {
        format!("{text}{}", " ".repeat(width - n))
    }
}

/// One line saying what is worst about a workload: its alerts, then its findings (made safe
/// to print: they quote names and messages from the cluster).
pub fn findings_summary(w: &WorkloadReport, max: usize) -> Vec<(Severity, String)> {
    let mut out: Vec<(Severity, String)> = Vec::new();
    let mut alerts: Vec<_> = w.alerts.iter().collect();
    alerts.sort_by_key(|a| std::cmp::Reverse(a.severity));
    for a in alerts {
        out.push((
            a.severity,
            safe(&format!("{}: {}", a.reason, a.message)).into_owned(),
        ));
    }
    for r in worst_findings(w) {
        out.push((
            r.severity,
            safe(&format!("{}: {}", r.check, r.message)).into_owned(),
        ));
    }
    out.truncate(max);
    out
}

/// Root causes first: what many alerts share is read before the alerts themselves.
fn causes_section(s: &mut String, model: &ClusterModel, grades: &Grades, style: Style) {
    let causes = crate::triage::causes::causes(grades, model);
    if causes.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n{}", style.bold("Root causes"));
    for c in &causes {
        let explains: Vec<String> = c
            .alerts
            .iter()
            .take(5)
            .map(|a| format!("{}/{} {}", a.workload.namespace, a.workload.name, a.check))
            .collect();
        let more = c.alerts.len().saturating_sub(explains.len());
        let _ = writeln!(
            s,
            "  {} {}",
            style.severity(c.severity, severity_symbol(c.severity)),
            safe(&c.headline())
        );
        let _ = writeln!(
            s,
            "    explains {}: {}{}",
            plural(c.alerts.len(), "alert"),
            safe(&explains.join(", ")),
            if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            }
        );
    }
}

/// A failing or unknown cluster-scope result on one line: `▲ cluster.logging: …`, `? …:
/// unknown, …`; `subject` names the object when it is not the cluster itself.
fn cluster_result_line(r: &CheckResult, subject: &str, style: Style) -> String {
    if r.status == Status::Fail {
        style.severity(
            r.severity,
            &format!(
                "{} {subject}{}: {}",
                severity_symbol(r.severity),
                safe(&r.check),
                safe(&r.message)
            ),
        )
    } else {
        style.dim(&format!(
            "? {subject}{}: unknown, {}",
            safe(&r.check),
            safe(&r.message)
        ))
    }
}

/// The cluster's own checks under the guides' headings (observability, traffic, security,
/// data, capacity), as the dashboard and the go-live report group them: each heading with
/// its counts, the failing and unknown results under it (failing first, most severe first)
/// and the rest by id on one line; then other cluster-scoped objects' findings. Shown when
/// something fails or cannot be judged.
fn cluster_section(s: &mut String, grades: &Grades, style: Style) {
    let shown = |r: &&CheckResult| matches!(r.status, Status::Fail | Status::Unknown);
    let row = grades.cluster_row();
    let objects: Vec<_> = grades
        .objects
        .values()
        .filter(|o| o.key.scope().is_empty() && !o.key.is_cluster())
        .flat_map(|o| o.results.iter().filter(shown).map(move |r| (o, r)))
        .collect();
    let row_shown = row.is_some_and(|o| o.results.iter().any(|r| shown(&r)));
    if !row_shown && objects.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n{}", style.bold("cluster"));
    if let Some(row) = row.filter(|_| row_shown) {
        for (group, results) in grouped(&row.results) {
            let _ = writeln!(
                s,
                "  {} {}",
                style.bold(group.title()),
                style.dim(&format!("· {}", group_counts(&results)))
            );
            for r in results.iter().copied().filter(shown) {
                let _ = writeln!(s, "    {}", cluster_result_line(r, "", style));
            }
            for (status, word) in [
                (Status::Waived, "waived"),
                (Status::Pass, "passed"),
                (Status::NotApplicable, "n/a"),
            ] {
                let ids: Vec<String> = results
                    .iter()
                    .filter(|r| r.status == status)
                    .map(|r| safe(&r.check).into_owned())
                    .collect();
                if !ids.is_empty() {
                    let _ = writeln!(
                        s,
                        "    {}",
                        style.dim(&format!("{word}: {}", ids.join(", ")))
                    );
                }
            }
        }
    }
    for (o, r) in objects {
        let subject = format!("{} {}: ", safe(o.key.kind()), safe(o.key.name()));
        let _ = writeln!(s, "  {}", cluster_result_line(r, &subject, style));
    }
}

/// Renders the whole table.
pub fn render(model: &ClusterModel, grades: &Grades, style: Style, width: usize) -> String {
    let mut s = String::new();
    let facts = &model.facts;
    let mut head = format!("shipshape · {}", safe(&facts.source));
    if let Some(v) = &facts.server_version {
        let _ = write!(head, " · Kubernetes {}", safe(v));
    }
    let _ = write!(
        head,
        " · evaluated {}",
        model.now().format("%Y-%m-%d %H:%M UTC")
    );
    let _ = writeln!(s, "{}", style.bold(&head));
    let (crit, warn, info) = alert_counts(grades);
    let _ = writeln!(
        s,
        "{} in {} · cluster score {} ({}) · health {} · alerts: {} critical, {} warning, {} info",
        plural(grades.workloads.len(), "workload"),
        plural(grades.namespaces.len(), "namespace"),
        score_text(grades.cluster_score),
        grade_text(grades.cluster_grade),
        style.health(grades.cluster_health),
        crit,
        warn,
        info
    );

    causes_section(&mut s, model, grades, style);

    let findings_width = width.saturating_sub(2 + 26 + 13 + 6 + 6 + 10 + 8).max(30);
    for ns in grades.namespaces.values() {
        let mut ws: Vec<&WorkloadReport> = grades
            .workloads
            .values()
            .filter(|w| w.key.namespace == ns.name)
            .collect();
        let objects: Vec<_> = grades
            .objects
            .values()
            .filter(|o| o.key.scope() == ns.name)
            // Guardrails matter where workloads run; empty and system namespaces stay quiet
            // here (they are in the JSON).
            .filter(|o| !o.key.is_namespace() || !ns.system && ns.workloads > 0)
            .filter(|o| o.results.iter().any(|r| r.status == Status::Fail))
            .collect();
        if ws.is_empty() && objects.is_empty() {
            continue;
        }
        ws.sort_by(|a, b| worst_first(a, b));
        let system = if ns.system { " (system)" } else { "" };
        let _ = writeln!(
            s,
            "\n{} · score {} ({}) · {} · {}, {}",
            style.bold(&format!("{}{system}", safe(&ns.name))),
            score_text(ns.score),
            grade_text(ns.grade),
            style.health(ns.health),
            plural(ns.workloads, "workload"),
            plural(ns.alerts, "alert")
        );
        if !ws.is_empty() {
            let _ = writeln!(
                s,
                "  {}",
                style.dim(&format!(
                    "{}{}{}{}{}{}{}",
                    pad("WORKLOAD", 26),
                    pad("KIND", 13),
                    pad("GRADE", 6),
                    pad("SCORE", 6),
                    pad("HEALTH", 10),
                    pad("READY", 8),
                    "TOP FINDINGS"
                ))
            );
        }
        for w in ws {
            let ready_text = if w.health == Health::Unknown {
                "?".to_string()
            } else {
                w.ready.to_string()
            };
            let ready = match w.desired {
                Some(d) => format!("{ready_text}/{d}"),
                None => ready_text,
            };
            let health = style.health(w.health);
            let health_pad = " ".repeat(10usize.saturating_sub(w.health.name().len()));
            let findings = findings_summary(w, 2);
            let first = findings.first().map_or_else(
                || style.dim("no failing checks"),
                |(sev, text)| {
                    style.severity(
                        *sev,
                        &format!("{} {}", severity_symbol(*sev), clip(text, findings_width)),
                    )
                },
            );
            let failing = w.failing().filter(|r| r.is_scored()).count() + w.alerts.len();
            let more = if failing > 1 {
                style.dim(&format!(" (+{} more)", failing - 1))
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "  {}{}{}{}{}{health_pad}{}{first}{more}",
                pad(&clip(&safe(&w.key.name), 25), 26),
                pad(&clip(w.key.kind.name(), 12), 13),
                pad(grade_text(w.grade), 6),
                pad(&score_text(w.score), 6),
                health,
                pad(&ready, 8),
            );
        }
        for o in objects {
            for r in o.results.iter().filter(|r| r.status == Status::Fail) {
                let subject = if o.key.is_namespace() {
                    "namespace".to_string()
                } else {
                    format!("{} {}", safe(o.key.kind()), safe(o.key.name()))
                };
                let _ = writeln!(
                    s,
                    "  {} {}",
                    style.dim(&format!("{subject}:")),
                    style.severity(
                        r.severity,
                        &format!(
                            "{} {}: {}",
                            severity_symbol(r.severity),
                            r.check,
                            safe(&r.message)
                        )
                    )
                );
            }
        }
    }

    cluster_section(&mut s, grades, style);

    let waived: usize = grades
        .workloads
        .values()
        .flat_map(|w| w.results.iter())
        .chain(grades.objects.values().flat_map(|o| o.results.iter()))
        .filter(|r| r.status == Status::Waived)
        .count();
    let failing_critical = grades
        .workloads
        .values()
        .filter(|w| {
            w.failing()
                .any(|r| r.is_scored() && r.severity == Severity::Critical)
        })
        .count();
    let _ = writeln!(
        s,
        "\n{}",
        style.bold(&format!(
            "Summary: cluster {} ({}) · {} of {} workloads fail a critical check · {} critical alerts · {} waived",
            score_text(grades.cluster_score),
            grade_text(grades.cluster_grade),
            failing_critical,
            grades.workloads.len(),
            crit,
            waived
        ))
    );
    if !model.unknown_kinds.is_empty() {
        let list: Vec<String> = model
            .unknown_kinds
            .iter()
            .map(|(k, n)| {
                if *n > 1 {
                    format!("{} ×{n}", safe(k))
                } else {
                    safe(k).into_owned()
                }
            })
            .collect();
        let total: usize = model.unknown_kinds.values().sum();
        let _ = writeln!(
            s,
            "{}",
            style.dim(&format!(
                "Not graded: {} of kinds shipshape does not model: {}",
                plural(total, "object"),
                list.join(", ")
            ))
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Category;
    use crate::subject::SubjectKey;

    fn demo() -> (ClusterModel, Grades) {
        let model = crate::source::demo::demo_model();
        let grades = crate::grade::grade_all(&model, &crate::config::Config::default());
        (model, grades)
    }

    /// The `cluster` section's lines, up to the blank line that ends it.
    fn cluster_section_of(text: &str) -> Vec<String> {
        text.lines()
            .skip_while(|l| *l != "cluster")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn at(lines: &[String], needle: &str) -> usize {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} not in\n{}", lines.join("\n")))
    }

    #[test]
    fn the_cluster_section_walks_the_guides_groups_failing_first() {
        let (model, grades) = demo();
        let lines = cluster_section_of(&render(&model, &grades, Style { color: false }, 160));
        let headings: Vec<&str> = lines
            .iter()
            .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
            .map(|l| l.trim().split(" · ").next().unwrap())
            .collect();
        assert_eq!(
            headings,
            ["Observability", "Traffic", "Security", "Data", "Capacity"]
        );
        // Capacity: the critical node finding, then the warnings, then what passed.
        let capacity = at(&lines, "  Capacity · 3 failing, 3 passed");
        let nodes = at(&lines, "    ✖ cluster.nodes-ready: 1 of 5 nodes unhealthy");
        let version = at(&lines, "    ▲ cluster.version: ");
        let passed = at(&lines, "    passed: cluster.node-spread");
        assert!(capacity < nodes && nodes < version && version < passed);
        // Every cluster check of the row is on the section, once.
        let row = grades.cluster_row().unwrap();
        for r in &row.results {
            let n = lines
                .iter()
                .filter(|l| {
                    l.contains(&format!("{}:", r.check))
                        || l.contains(&format!("{},", r.check))
                        || l.ends_with(r.check.as_ref())
                })
                .count();
            assert_eq!(n, 1, "{} in\n{}", r.check, lines.join("\n"));
        }
    }

    #[test]
    fn cluster_results_from_config_are_made_safe_and_kept_under_other() {
        let (model, mut grades) = demo();
        let row = grades.objects.get_mut(&SubjectKey::Cluster).unwrap();
        row.results.push(CheckResult::new(
            "cluster.in-house\u{1b}[2J",
            Category::Cluster,
            Severity::Warning,
            Status::Fail,
            "dns \u{1b}]52;c;AAAA\u{7} down",
        ));
        let text = render(&model, &grades, Style { color: false }, 160);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
        let lines = cluster_section_of(&text);
        let other = at(&lines, "  Other · 1 failing");
        assert!(other > at(&lines, "  Capacity · "));
        assert!(
            lines[other + 1].starts_with("    ▲ cluster.in-house"),
            "{}",
            lines[other + 1]
        );
        assert!(lines[other + 1].contains(" down"), "{}", lines[other + 1]);
    }
}
