//! The go-live report as Markdown: a document to walk through in a review meeting, to paste
//! into a ticket or a pull request. Every string from the cluster is escaped so that no name,
//! message or annotation can change the document's structure.

use super::document::{
    alert_facts, containers_suffix, failing_checks, group_counts, not_judged, outcome_line,
    readiness_detail, readiness_mark, result_mark, split_fix, waiver_reason, why, Document, Markup,
    Part, Sections, MANUAL_INTRO, NOTHING_WAIVED, NO_FAILING_CHECKS, NO_RISKS, NO_WORKLOADS,
    OBJECT_FINDINGS, READINESS_INTRO, UNMODELLED_INTRO, UNSEEN_INTRO,
};
use super::table::{health_symbol, severity_symbol};
use crate::checks::{Alert, CheckResult, Status};
use crate::grade::WorkloadReport;
use crate::score::{grade_text, score_text, Health, FORMULA};
use crate::text::safe;
use std::fmt::Write;

/// Markdown's inline markup: escaped text, code spans for identifiers and names.
pub struct Md;

impl Markup for Md {
    fn text(s: &str) -> String {
        text(s)
    }
    fn code(s: &str) -> String {
        code(s)
    }
    fn name(s: &str) -> String {
        code(s)
    }
}

impl Sections for Md {
    fn namespaces(s: &mut String, doc: &Document) {
        heading(s, Part::Namespaces);
        let _ = writeln!(
            s,
            "| Namespace | Grade | Score | Health | Workloads | Fail a critical check | Alerts |\n|---|:-:|--:|---|--:|--:|--:|"
        );
        for ns in &doc.namespaces {
            let system = if ns.system { " (system)" } else { "" };
            let _ = writeln!(
                s,
                "| {}{system} | {} | {} | {} | {} | {} | {} |",
                code_cell(&ns.name),
                grade_text(ns.grade),
                score_text(ns.score),
                health(ns.health),
                ns.workloads,
                ns.critical_workloads,
                ns.alerts
            );
        }
        s.push('\n');
    }

    fn risks(s: &mut String, doc: &Document) {
        heading(s, Part::Risks);
        if doc.risks.is_empty() {
            let _ = writeln!(s, "{NO_RISKS}\n");
            return;
        }
        for (i, r) in doc.risks.iter().enumerate() {
            let headline = if r.alert {
                format!("**{}** ({})", text(r.headline), code(r.check))
            } else {
                code(r.check)
            };
            let _ = writeln!(
                s,
                "{}. {} **{}** · {} · {headline}: {}",
                i + 1,
                severity_symbol(r.severity),
                r.label(),
                r.subject.show::<Md>(),
                text(r.message)
            );
        }
        if let Some(more) = doc.more_risks_text() {
            let _ = writeln!(s, "\n{more}");
        }
        s.push('\n');
    }

    fn readiness(s: &mut String, doc: &Document) {
        heading(s, Part::Readiness);
        let _ = writeln!(s, "{}\n", text(READINESS_INTRO));
        for (group, results) in &doc.readiness {
            let _ = writeln!(s, "### {} — {}\n", group.title(), group_counts(results));
            for r in results {
                if r.status == Status::Fail {
                    finding(s, r, None);
                } else {
                    let (symbol, label) = readiness_mark(r);
                    let _ = writeln!(
                        s,
                        "- {symbol} **{label}** {}: {}",
                        code(&r.check),
                        text(readiness_detail(r))
                    );
                }
            }
            s.push('\n');
        }
    }

    fn workloads(s: &mut String, doc: &Document) {
        heading(s, Part::Workloads);
        if doc.sections.is_empty() {
            let _ = writeln!(s, "{NO_WORKLOADS}\n");
        }
        for section in &doc.sections {
            let ns = section.report;
            let system = if ns.system { " (system)" } else { "" };
            let _ = writeln!(
                s,
                "### Namespace {}{system} — grade {} ({}), {}\n",
                code(&ns.name),
                grade_text(ns.grade),
                score_text(ns.score),
                health(ns.health)
            );
            for w in &section.workloads {
                workload(s, w);
            }
            if !section.findings.is_empty() {
                let _ = writeln!(s, "#### {OBJECT_FINDINGS} in {}\n", code(&ns.name));
                for (sub, r) in &section.findings {
                    finding(s, r, Some(&sub.show_in_namespace::<Md>()));
                }
            }
        }
    }

    fn cluster(s: &mut String, doc: &Document) {
        heading(s, Part::Cluster);
        for (sub, r) in &doc.cluster {
            let (symbol, label) = result_mark(r);
            let _ = writeln!(
                s,
                "- {symbol} **{label}** {}{}: {}",
                sub.prefix::<Md>(),
                code(&r.check),
                text(&r.message)
            );
        }
        s.push('\n');
    }

    fn not_graded(s: &mut String, doc: &Document) {
        if doc.unmodelled.is_empty() && doc.unseen.is_empty() {
            return;
        }
        heading(s, Part::NotGraded);
        if !doc.unmodelled.is_empty() {
            let _ = writeln!(s, "{UNMODELLED_INTRO}\n");
            for (kind, n) in &doc.unmodelled {
                let _ = writeln!(s, "- {} × {n}", code(kind));
            }
            s.push('\n');
        }
        if !doc.unseen.is_empty() {
            let _ = writeln!(s, "{UNSEEN_INTRO}\n");
            for u in &doc.unseen {
                let _ = writeln!(s, "- {}: {}", code(u.kind.name()), text(&u.why));
            }
            s.push('\n');
        }
    }

    fn waived(s: &mut String, doc: &Document) {
        heading(s, Part::Waived);
        if doc.waived.is_empty() {
            let _ = writeln!(s, "{NOTHING_WAIVED}\n");
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
                cell(waiver_reason(w.result))
            );
        }
        s.push('\n');
    }

    fn manual_review(s: &mut String, doc: &Document) {
        heading(s, Part::ManualReview);
        let _ = writeln!(s, "{MANUAL_INTRO}\n");
        for (i, (area, items)) in doc.manual_areas().into_iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            let _ = writeln!(s, "**{}**\n", text(area));
            for item in items {
                let _ = writeln!(s, "- [ ] {} *({})*", text(item.item), text(item.guide));
            }
        }
        s.push('\n');
    }
}

/// Renders the report.
pub fn render(doc: &Document) -> String {
    let mut s = String::new();
    header(&mut s, doc);
    summary(&mut s, doc);
    doc.write_parts::<Md>(&mut s);
    let _ = writeln!(s, "## How grades are computed\n\n{}", text(FORMULA));
    // Every field was escaped on its way in; this pass guarantees no writer above can leak a
    // control character by forgetting to.
    crate::text::safe_lines(&s).into_owned()
}

fn heading(s: &mut String, part: Part) {
    let _ = writeln!(s, "## {}\n", part.title());
}

/// `✔ healthy`: the symbol carries the state without colour.
fn health(h: Health) -> String {
    format!("{} {h}", health_symbol(h))
}

fn header(s: &mut String, doc: &Document) {
    let _ = writeln!(s, "# {}\n", text(&doc.title()));
    let _ = writeln!(s, "{}\n", doc.meta_line::<Md>());
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
            "| **Namespace {}** | **{}** · score {} · {} |",
            cell(&ns.name),
            grade_text(ns.grade),
            score_text(ns.score),
            health(ns.health)
        );
    }
    let _ = writeln!(s, "| **Health** | {} |", health(g.cluster_health));
    let _ = writeln!(
        s,
        "| **Workloads** | {} in {} |",
        sum.workloads,
        sum.workloads_note()
    );
    let _ = writeln!(
        s,
        "| **Alerts** | {} critical · {} warning · {} info |",
        sum.alerts.0, sum.alerts.1, sum.alerts.2
    );
    let _ = writeln!(
        s,
        "| **Waived** | {} (see Waived) |\n",
        super::plural(sum.waived, "result")
    );
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
    let _ = writeln!(s, "{}\n", outcome_line(w));
    if !w.alerts.is_empty() {
        let _ = writeln!(s, "**Alerts**\n");
        for a in &w.alerts {
            alert(s, a);
        }
        s.push('\n');
    }
    let failing = failing_checks(w);
    if failing.is_empty() {
        let _ = writeln!(s, "{NO_FAILING_CHECKS}\n");
    } else {
        let _ = writeln!(s, "**Failing checks**\n");
        for r in failing {
            finding(s, r, None);
        }
    }
    if let Some(list) = not_judged::<Md>(w) {
        let _ = writeln!(s, "**Not judged:** {list}\n");
    }
}

fn alert(s: &mut String, a: &Alert) {
    let _ = write!(
        s,
        "- {} **{}** ({}, {}): {}",
        severity_symbol(a.severity),
        text(&a.reason),
        code(&a.check),
        a.severity,
        text(&a.message)
    );
    for fact in alert_facts::<Md>(a) {
        let _ = write!(s, " · {fact}");
    }
    s.push('\n');
    for e in &a.events {
        let _ = writeln!(s, "  - event: {}", text(e));
    }
}

/// A failing result with why it matters and the fix; `on` names the subject when the list
/// mixes several.
fn finding(s: &mut String, r: &CheckResult, on: Option<&str>) {
    let on = on.map(|o| format!("{o} · ")).unwrap_or_default();
    let _ = writeln!(
        s,
        "- {} **{}** {on}{}{}: {}\n",
        severity_symbol(r.severity),
        r.severity,
        code(&r.check),
        containers_suffix::<Md>(r),
        text(&r.message)
    );
    let _ = writeln!(s, "  *Why it matters:* {}\n", text(why(r)));
    let (prose, snippet) = split_fix(r.fix_text());
    let _ = writeln!(s, "  *Fix:* {}\n", text(prose));
    if let Some(snippet) = snippet {
        let _ = writeln!(s, "{}\n", fenced(snippet, "yaml", "  "));
    }
}

/// Characters with a meaning in Markdown (CommonMark and GitHub's extensions).
const SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '$', '{', '}',
];

/// Inline text: one line, every Markdown character escaped, and nothing at its start that
/// could open a block (a heading, a quote, a list).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in safe(s).chars() {
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
    let s = safe(s);
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
        let _ = writeln!(out, "{indent}{}", safe(line));
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
