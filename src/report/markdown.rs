//! The go-live report as Markdown: a document to walk through in a review meeting, to paste
//! into a ticket or a pull request. Every string from the cluster is escaped so that no name,
//! message or annotation can change the document's structure.

use super::document::{
    failing_checks, outcome_counts, ready_text, split_fix, unknown_results, why, Document, Subject,
};
use super::plural;
use super::table::{health_symbol, severity_symbol};
use crate::checks::{Alert, CheckResult};
use crate::grade::WorkloadReport;
use crate::score::{grade_text, score_text, FORMULA};
use std::fmt::Write;

/// Renders the report.
pub fn render(doc: &Document) -> String {
    let mut s = String::new();
    header(&mut s, doc);
    summary(&mut s, doc);
    namespaces(&mut s, doc);
    risks(&mut s, doc);
    workloads(&mut s, doc);
    cluster(&mut s, doc);
    not_graded(&mut s, doc);
    waived(&mut s, doc);
    manual_review(&mut s, doc);
    let _ = writeln!(s, "## How grades are computed\n\n{}", text(FORMULA));
    s
}

fn header(s: &mut String, doc: &Document) {
    let _ = writeln!(s, "# {}\n", text(&doc.title()));
    let mut meta = vec![format!("Evaluated {}", doc.evaluated_text())];
    if let Some(v) = &doc.server_version {
        meta.push(format!("Kubernetes {}", text(v)));
    }
    meta.push(
        if doc.from_manifests {
            "from manifests (no runtime state)"
        } else {
            "from cluster state"
        }
        .to_string(),
    );
    meta.push(format!("scope: {}", text(&doc.scope.describe())));
    let _ = writeln!(s, "{}\n", meta.join(" · "));
}

fn summary(s: &mut String, doc: &Document) {
    let g = doc.grades;
    let sum = &doc.summary;
    let _ = writeln!(s, "## Summary\n\n| | |\n|---|---|");
    let _ = writeln!(
        s,
        "| **Cluster grade** | **{}** · score {} |",
        grade_text(g.cluster_grade),
        score_text(g.cluster_score)
    );
    if let Some(ns) = doc.scoped_namespace() {
        let _ = writeln!(
            s,
            "| **Namespace {}** | **{}** · score {} · {} {} |",
            cell(&ns.name),
            grade_text(ns.grade),
            score_text(ns.score),
            health_symbol(ns.health),
            ns.health
        );
    }
    let _ = writeln!(
        s,
        "| **Health** | {} {} |",
        health_symbol(g.cluster_health),
        g.cluster_health
    );
    let _ = writeln!(
        s,
        "| **Workloads** | {} in {} · {} fail a critical check |",
        sum.workloads,
        plural(sum.namespaces, "namespace"),
        sum.failing_critical
    );
    let _ = writeln!(
        s,
        "| **Alerts** | {} critical · {} warning · {} info |",
        sum.alerts.0, sum.alerts.1, sum.alerts.2
    );
    let _ = writeln!(
        s,
        "| **Waived** | {} (see Waived) |\n",
        plural(sum.waived, "result")
    );
}

fn namespaces(s: &mut String, doc: &Document) {
    let _ = writeln!(
        s,
        "## Namespaces\n\n| Namespace | Grade | Score | Health | Workloads | Failing | Alerts |\n|---|:-:|--:|---|--:|--:|--:|"
    );
    for ns in &doc.namespaces {
        let system = if ns.system { " (system)" } else { "" };
        let _ = writeln!(
            s,
            "| {}{system} | {} | {} | {} {} | {} | {} | {} |",
            code_cell(&ns.name),
            grade_text(ns.grade),
            score_text(ns.score),
            health_symbol(ns.health),
            ns.health,
            ns.workloads,
            ns.failing_workloads,
            ns.alerts
        );
    }
    s.push('\n');
}

fn risks(s: &mut String, doc: &Document) {
    let _ = writeln!(s, "## Top risks\n");
    if doc.risks.is_empty() {
        let _ = writeln!(
            s,
            "No critical or warning finding outside system namespaces.\n"
        );
        return;
    }
    for (i, r) in doc.risks.iter().enumerate() {
        let what = if r.alert {
            format!("{} alert", r.severity)
        } else {
            r.severity.to_string()
        };
        let headline = if r.alert {
            format!("**{}** ({})", text(r.headline), code(r.check))
        } else {
            code(r.check)
        };
        let _ = writeln!(
            s,
            "{}. {} **{what}** · {} · {headline}: {}",
            i + 1,
            severity_symbol(r.severity),
            subject(&r.subject),
            text(r.message)
        );
    }
    if doc.more_risks > 0 {
        let _ = writeln!(
            s,
            "\n…and {} more critical and warning findings in the sections below.",
            doc.more_risks
        );
    }
    s.push('\n');
}

fn subject(sub: &Subject) -> String {
    match (sub.kind.as_str(), sub.namespace.is_empty()) {
        ("Cluster", _) => "cluster".to_string(),
        (_, true) => format!("{} {}", text(&sub.kind), code(&sub.name)),
        _ => format!(
            "{} {}",
            text(&sub.kind),
            code(&format!("{}/{}", sub.namespace, sub.name))
        ),
    }
}

fn workloads(s: &mut String, doc: &Document) {
    let _ = writeln!(s, "## Workloads\n");
    if doc.sections.is_empty() {
        let _ = writeln!(s, "No workloads in scope.\n");
    }
    for section in &doc.sections {
        let ns = section.report;
        let system = if ns.system { " (system)" } else { "" };
        let _ = writeln!(
            s,
            "### Namespace {}{system} — grade {} ({}), {} {}\n",
            code(&ns.name),
            grade_text(ns.grade),
            score_text(ns.score),
            health_symbol(ns.health),
            ns.health
        );
        for w in &section.workloads {
            workload(s, w);
        }
        if !section.findings.is_empty() {
            let _ = writeln!(
                s,
                "#### Guardrails, Services and Ingresses in {}\n",
                code(&ns.name)
            );
            for (sub, r) in &section.findings {
                let what = if sub.kind == "Namespace" {
                    "namespace".to_string()
                } else {
                    subject(sub)
                };
                finding(s, r, Some(&what));
            }
        }
    }
}

fn workload(s: &mut String, w: &WorkloadReport) {
    let _ = writeln!(
        s,
        "#### {} {} {} — grade {} ({}), health {}\n",
        health_symbol(w.health),
        text(w.key.kind.name()),
        code(&w.key.name),
        grade_text(w.grade),
        score_text(w.score),
        w.health,
    );
    let (passed, unknown, na, waived) = outcome_counts(w);
    let _ = writeln!(
        s,
        "Ready {} · {} · {} failing, {passed} passed, {unknown} unknown, {na} n/a, {waived} waived\n",
        ready_text(w),
        plural(w.restarts.max(0) as usize, "restart"),
        plural(failing_checks(w).len(), "check")
    );
    if !w.alerts.is_empty() {
        let _ = writeln!(s, "**Alerts**\n");
        for a in &w.alerts {
            alert(s, a);
        }
        s.push('\n');
    }
    let failing = failing_checks(w);
    if failing.is_empty() {
        let _ = writeln!(s, "No failing checks.\n");
    } else {
        let _ = writeln!(s, "**Failing checks**\n");
        for r in failing {
            finding(s, r, None);
        }
    }
    let unknown = unknown_results(w);
    if !unknown.is_empty() {
        let list: Vec<String> = unknown
            .iter()
            .map(|r| format!("{} ({})", code(&r.check), text(&r.message)))
            .collect();
        let _ = writeln!(s, "**Not judged:** {}\n", list.join("; "));
    }
}

fn alert(s: &mut String, a: &Alert) {
    let mut line = format!(
        "- {} **{}** ({}, {}): {}",
        severity_symbol(a.severity),
        text(&a.reason),
        code(&a.check),
        a.severity,
        text(&a.message)
    );
    if let Some(since) = a.since {
        let _ = write!(line, " · since {}", since.format("%Y-%m-%d %H:%M UTC"));
    }
    if a.restarts > 0 {
        let _ = write!(line, " · {}", plural(a.restarts as usize, "restart"));
    }
    if !a.pods.is_empty() {
        let pods: Vec<String> = a.pods.iter().map(|p| code(p)).collect();
        let _ = write!(line, " · pods {}", pods.join(", "));
    }
    let _ = writeln!(s, "{line}");
    for e in &a.events {
        let _ = writeln!(s, "  - event: {}", text(e));
    }
}

/// A failing result with why it matters and the fix; `on` names the subject when the list
/// mixes several.
fn finding(s: &mut String, r: &CheckResult, on: Option<&str>) {
    let containers = if r.containers.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = r.containers.iter().map(|c| code(c)).collect();
        format!(" · {}", names.join(", "))
    };
    let on = on.map(|o| format!("{o} · ")).unwrap_or_default();
    let _ = writeln!(
        s,
        "- {} **{}** {on}{}{containers}: {}\n",
        severity_symbol(r.severity),
        r.severity,
        code(&r.check),
        text(&r.message)
    );
    let _ = writeln!(s, "  *Why it matters:* {}\n", text(why(r)));
    let (prose, snippet) = split_fix(r.fix_text());
    let _ = writeln!(s, "  *Fix:* {}\n", text(prose));
    if let Some(snippet) = snippet {
        let _ = writeln!(s, "{}\n", fenced(snippet, "yaml", "  "));
    }
}

fn cluster(s: &mut String, doc: &Document) {
    if doc.cluster.is_empty() {
        return;
    }
    let _ = writeln!(s, "## Cluster\n");
    for (sub, r) in &doc.cluster {
        let on = if sub.kind == "Cluster" {
            String::new()
        } else {
            format!("{} · ", subject(sub))
        };
        if r.status == crate::checks::Status::Unknown {
            let _ = writeln!(
                s,
                "- ? **unknown** {on}{}: {}",
                code(&r.check),
                text(&r.message)
            );
        } else {
            let _ = writeln!(
                s,
                "- {} **{}** {on}{}: {}",
                severity_symbol(r.severity),
                r.severity,
                code(&r.check),
                text(&r.message)
            );
        }
    }
    s.push('\n');
}

fn not_graded(s: &mut String, doc: &Document) {
    if doc.unmodelled.is_empty() && doc.unseen.is_empty() {
        return;
    }
    let _ = writeln!(s, "## Not graded\n");
    if !doc.unmodelled.is_empty() {
        let _ = writeln!(
            s,
            "Kinds shipshape does not model (custom resources, RBAC…) are counted, not graded:\n"
        );
        for (kind, n) in &doc.unmodelled {
            let _ = writeln!(s, "- {} × {n}", code(kind));
        }
        s.push('\n');
    }
    if !doc.unseen.is_empty() {
        let _ = writeln!(s, "Kinds shipshape could not see completely:\n");
        for u in &doc.unseen {
            let _ = writeln!(s, "- {}: {}", code(u.kind.name()), text(&u.why));
        }
        s.push('\n');
    }
}

fn waived(s: &mut String, doc: &Document) {
    let _ = writeln!(s, "## Waived\n");
    if doc.waived.is_empty() {
        let _ = writeln!(s, "Nothing is waived.\n");
        return;
    }
    let _ = writeln!(
        s,
        "| Subject | Check | Severity | Reason |\n|---|---|---|---|"
    );
    for w in &doc.waived {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            cell(&w.subject.label()),
            code_cell(&w.result.check),
            w.result.severity,
            cell(w.result.waiver.as_deref().unwrap_or("no reason given"))
        );
    }
    s.push('\n');
}

fn manual_review(s: &mut String, doc: &Document) {
    let _ = writeln!(
        s,
        "## Manual review\n\nWhat the cluster cannot show. Confirm each item in the meeting; none is scored.\n"
    );
    let mut area = "";
    for item in doc.manual {
        if item.area != area {
            if !area.is_empty() {
                s.push('\n');
            }
            area = item.area;
            let _ = writeln!(s, "**{}**\n", text(area));
        }
        let _ = writeln!(s, "- [ ] {} *({})*", text(item.item), text(item.guide));
    }
    s.push('\n');
}

/// Characters with a meaning in Markdown (CommonMark and GitHub's extensions).
const SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '$', '{', '}',
];

/// Inline text: one line, every Markdown character escaped, and nothing at its start that
/// could open a block (a heading, a quote, a list).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in one_line(s).chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    let after_digits = out.trim_start_matches(|c: char| c.is_ascii_digit());
    let ordered_item = after_digits.len() < out.len()
        && (after_digits.starts_with(". ")
            || after_digits.starts_with(") ")
            || after_digits == "."
            || after_digits == ")");
    let opens_block = out.starts_with(['#', '+', '-', '=', '!']) || ordered_item;
    if opens_block {
        out.insert(0, '\\');
    }
    out
}

/// Text for a table cell (`|` is escaped by [`text`] already).
fn cell(s: &str) -> String {
    text(s)
}

/// A code span holding `s` verbatim on one line, whatever backticks it contains.
pub fn code(s: &str) -> String {
    let s = one_line(s);
    let longest = longest_run(&s, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A code span in a table cell: GitHub splits cells on `|` even inside code.
fn code_cell(s: &str) -> String {
    code(s).replace('|', "\\|")
}

/// A fenced block holding `body` verbatim: the fence is longer than any backtick run inside.
fn fenced(body: &str, lang: &str, indent: &str) -> String {
    let fence = "`".repeat(longest_run(body, '`').max(2) + 1);
    let mut out = format!("{indent}{fence}{lang}\n");
    for line in body.lines() {
        let line: String = line
            .chars()
            .filter(|c| !c.is_control() || *c == '\t')
            .collect();
        let _ = writeln!(out, "{indent}{line}");
    }
    let _ = write!(out, "{indent}{fence}");
    out
}

fn longest_run(s: &str, ch: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == ch {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// Newlines, tabs and other control characters become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_open_blocks_or_inline_markup() {
        assert_eq!(text("a|b"), "a\\|b");
        assert_eq!(text("<script>"), "\\<script\\>");
        assert_eq!(text("# heading"), "\\# heading");
        assert_eq!(text("1. item"), "\\1. item");
        assert_eq!(text("- item"), "\\- item");
        assert_eq!(text("line\nbreak"), "line break");
        assert_eq!(text("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(text("plain-text 1.2"), "plain-text 1.2");
    }

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code("web"), "`web`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code_cell("a|b"), "`a\\|b`");
        assert_eq!(fenced("a\n```\nb", "yaml", ""), "````yaml\na\n```\nb\n````");
    }
}
