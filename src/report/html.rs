//! The go-live report as one self-contained HTML page: inline CSS, no script, no network.
//! Readable on a projector (large type, grade badges, score bars), dark or light with the
//! viewer's setting, and printable with every workload section expanded. Every string from the
//! cluster is escaped.

use super::document::{
    failing_checks, outcome_counts, ready_text, split_fix, unknown_results, why, Document, Subject,
};
use super::plural;
use super::table::{health_symbol, severity_symbol};
use crate::checks::{Alert, CheckResult, Severity, Status};
use crate::grade::WorkloadReport;
use crate::score::{grade_text, score_text, Grade, Health, FORMULA};
use std::fmt::Write;

const STYLE: &str = r#"
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa;
  --code: #eff1f3; --accent: #0969da;
  --crit: #c62828; --warn: #9a5b00; --info: #0969da; --ok: #1a7f37; --unk: #6e7781;
  --gA: #1a7f37; --gB: #4d7c0f; --gC: #a16207; --gD: #c2410c; --gF: #c62828; --gN: #6e7781;
  --bar: #e6e9ed;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #30363d; --panel: #161b22;
    --code: #1f2630; --accent: #58a6ff;
    --crit: #ff6b6b; --warn: #e3b341; --info: #58a6ff; --ok: #3fb950; --unk: #9da7b3;
    --gA: #238636; --gB: #5a8f1c; --gC: #9e6a03; --gD: #bd561d; --gF: #d1242f; --gN: #545d68;
    --bar: #262c36;
  }
}
* { box-sizing: border-box; }
html { font-size: 18px; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 2rem; margin: 0 0 .2rem; line-height: 1.2; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.2rem; margin: 1.6rem 0 .6rem; display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; }
h4 { font-size: 1rem; margin: 1rem 0 .4rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .85em; }
code { background: var(--code); padding: .05em .35em; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--code); padding: .7rem 1rem; border-radius: 6px; overflow-x: auto; margin: .4rem 0 0; }
pre code { background: none; padding: 0; font-size: 1em; }
.meta, .muted { color: var(--muted); }
.hero { display: flex; gap: 1.2rem; align-items: center; }
.grade { display: inline-flex; align-items: center; justify-content: center; min-width: 1.9em; height: 1.9em;
  padding: 0 .3em; border-radius: 6px; font-weight: 700; color: #fff; background: var(--gN); font-size: .95rem; }
.grade.big { font-size: 3rem; min-width: 1.6em; height: 1.6em; border-radius: 12px; }
.g-A { background: var(--gA); } .g-B { background: var(--gB); } .g-C { background: var(--gC); }
.g-D { background: var(--gD); } .g-F { background: var(--gF); } .g-none { background: var(--gN); }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .8rem; margin: 1.4rem 0 0; }
.stats div { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: .6rem .9rem; }
.stats dt { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; }
.stats dd { margin: .1rem 0 0; font-size: 1.5rem; font-weight: 650; }
.stats small { color: var(--muted); display: block; }
nav.toc { margin: 1.2rem 0 0; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; }
nav.toc a, a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scorecell { display: flex; align-items: center; gap: .6rem; min-width: 12rem; }
.bar { flex: 1; height: .8rem; background: var(--bar); border-radius: 4px; overflow: hidden; }
.bar span { display: block; height: 100%; }
.scorecell .num { width: 2.2em; text-align: right; font-variant-numeric: tabular-nums; }
.h-failing, .sev-critical .sev { color: var(--crit); font-weight: 650; }
.h-degraded, .sev-warning .sev { color: var(--warn); font-weight: 650; }
.h-healthy { color: var(--ok); } .h-unknown { color: var(--unk); }
.sev-info .sev { color: var(--info); font-weight: 650; }
.system { color: var(--muted); font-size: .8em; }
ol.risks { padding-left: 1.8rem; } ol.risks li { margin: .35rem 0; }
details.workload { border: 1px solid var(--line); border-left: 6px solid var(--line); border-radius: 8px; margin: .6rem 0; background: var(--bg); }
details.workload.is-failing { border-left-color: var(--crit); } details.workload.is-degraded { border-left-color: var(--warn); }
details.workload.is-healthy { border-left-color: var(--ok); }
details.workload > summary { cursor: pointer; padding: .6rem .9rem; display: flex; gap: .7rem; align-items: center; flex-wrap: wrap; list-style-position: outside; }
details.workload > summary::-webkit-details-marker { display: none; }
details.workload > summary::before { content: "▸"; color: var(--muted); }
details.workload[open] > summary::before { content: "▾"; }
details.workload[open] > summary { border-bottom: 1px solid var(--line); background: var(--panel); border-radius: 8px 8px 0 0; }
summary .name { font-size: 1.1rem; }
summary .kind { color: var(--muted); }
summary .counts { margin-left: auto; color: var(--muted); font-size: .9rem; }
.body { padding: .2rem 1rem 1rem; }
.finding { border-top: 1px solid var(--line); padding: .7rem 0; }
.finding:first-of-type { border-top: none; }
.finding p { margin: .25rem 0; }
.finding .on { color: var(--muted); }
.finding .label { color: var(--muted); font-weight: 650; }
ul.alerts { padding-left: 1.2rem; } ul.alerts li { margin: .3rem 0; }
ul.events { color: var(--muted); font-size: .9rem; }
ul.checklist { list-style: none; padding-left: 0; }
ul.checklist li { margin: .35rem 0; display: flex; gap: .6rem; align-items: baseline; }
ul.checklist input { transform: scale(1.3); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: 1rem; }
@media print {
  :root { color-scheme: light;
    --bg: #fff; --fg: #000; --muted: #444; --line: #bbb; --panel: #f3f3f3; --code: #f1f1f1; --bar: #e5e5e5; }
  html { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  details.workload { break-inside: avoid-page; }
  details::details-content { content-visibility: visible; display: block; }
  details.workload > summary::before { content: ""; }
  a { color: inherit; text-decoration: none; }
  .grade, .bar span { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

/// Renders the page.
pub fn render(doc: &Document) -> String {
    let mut s = String::with_capacity(256 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"shipshape {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        crate::VERSION_LINE,
        esc(&doc.title())
    );
    header(&mut s, doc);
    namespaces(&mut s, doc);
    risks(&mut s, doc);
    workloads(&mut s, doc);
    cluster(&mut s, doc);
    not_graded(&mut s, doc);
    waived(&mut s, doc);
    manual_review(&mut s, doc);
    let _ = write!(
        s,
        "<footer>\n<p><strong>How grades are computed.</strong> {}</p>\n<p>shipshape {}</p>\n</footer>\n</main>\n</body>\n</html>\n",
        esc(FORMULA),
        esc(crate::VERSION_LINE)
    );
    s
}

fn header(s: &mut String, doc: &Document) {
    let g = doc.grades;
    let mut meta = vec![format!("Evaluated {}", doc.evaluated_text())];
    if let Some(v) = &doc.server_version {
        meta.push(format!("Kubernetes {}", esc(v)));
    }
    meta.push(
        if doc.from_manifests {
            "from manifests (no runtime state)"
        } else {
            "from cluster state"
        }
        .to_string(),
    );
    meta.push(format!("scope: {}", esc(&doc.scope.describe())));
    let _ = write!(
        s,
        "<header>\n<div class=\"hero\">{}\n<div><h1>Production readiness: {}</h1>\n<p class=\"meta\">{}</p></div></div>\n",
        grade_badge(g.cluster_grade, "grade big"),
        esc(&doc.source),
        meta.join(" · ")
    );
    let sum = &doc.summary;
    let _ = write!(
        s,
        "<dl class=\"stats\">\n<div><dt>Cluster score</dt><dd>{}</dd><small>grade {}</small></div>\n",
        score_text(g.cluster_score),
        grade_text(g.cluster_grade)
    );
    if let Some(ns) = doc.scoped_namespace() {
        let _ = writeln!(
            s,
            "<div><dt>Namespace {}</dt><dd>{} {}</dd><small>score {}</small></div>",
            esc(&ns.name),
            grade_badge(ns.grade, "grade"),
            health_html(ns.health),
            score_text(ns.score)
        );
    }
    let _ = write!(
        s,
        "<div><dt>Health</dt><dd>{}</dd></div>\n<div><dt>Workloads</dt><dd>{}</dd><small>{} · {} fail a critical check</small></div>\n<div><dt>Alerts</dt><dd><span class=\"h-failing\">{} ✖</span> <span class=\"h-degraded\">{} ▲</span> {} •</dd><small>critical · warning · info</small></div>\n<div><dt>Waived</dt><dd>{}</dd><small>with their reasons below</small></div>\n</dl>\n",
        health_html(g.cluster_health),
        sum.workloads,
        plural(sum.namespaces, "namespace"),
        sum.failing_critical,
        sum.alerts.0,
        sum.alerts.1,
        sum.alerts.2,
        sum.waived
    );
    let _ = write!(
        s,
        "<nav class=\"toc\"><a href=\"#namespaces\">Namespaces</a><a href=\"#risks\">Top risks</a><a href=\"#workloads\">Workloads</a><a href=\"#not-graded\">Not graded</a><a href=\"#waived\">Waived</a><a href=\"#manual-review\">Manual review</a></nav>\n</header>\n"
    );
}

fn grade_class(g: Option<Grade>) -> &'static str {
    match g {
        Some(Grade::A) => "g-A",
        Some(Grade::B) => "g-B",
        Some(Grade::C) => "g-C",
        Some(Grade::D) => "g-D",
        Some(Grade::F) => "g-F",
        None => "g-none",
    }
}

fn grade_badge(g: Option<Grade>, class: &str) -> String {
    format!(
        "<span class=\"{class} {}\" title=\"grade {}\">{}</span>",
        grade_class(g),
        grade_text(g),
        grade_text(g)
    )
}

fn health_class(h: Health) -> &'static str {
    match h {
        Health::Failing => "h-failing",
        Health::Degraded => "h-degraded",
        Health::Healthy => "h-healthy",
        Health::Unknown => "h-unknown",
    }
}

fn health_html(h: Health) -> String {
    format!(
        "<span class=\"{}\">{} {}</span>",
        health_class(h),
        health_symbol(h),
        h
    )
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "sev-critical",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
}

fn severity_html(s: Severity, label: &str) -> String {
    format!("<span class=\"sev\">{} {label}</span>", severity_symbol(s))
}

fn score_bar(score: Option<f64>, grade: Option<Grade>) -> String {
    let width = score.map_or(0.0, |s| s.clamp(0.0, 100.0)).round() as u32;
    format!(
        "<div class=\"scorecell\"><div class=\"bar\" role=\"img\" aria-label=\"score {}\"><span class=\"{}\" style=\"width:{width}%\"></span></div><span class=\"num\">{}</span></div>",
        score_text(score),
        grade_class(grade),
        score_text(score)
    )
}

fn namespaces(s: &mut String, doc: &Document) {
    let _ = write!(
        s,
        "<section id=\"namespaces\">\n<h2>Namespaces</h2>\n<table>\n<thead><tr><th>Namespace</th><th>Grade</th><th>Score</th><th>Health</th><th class=\"num\">Workloads</th><th class=\"num\">Failing</th><th class=\"num\">Alerts</th></tr></thead>\n<tbody>\n"
    );
    for ns in &doc.namespaces {
        let system = if ns.system {
            " <span class=\"system\">system</span>"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "<tr><td><strong>{}</strong>{system}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&ns.name),
            grade_badge(ns.grade, "grade"),
            score_bar(ns.score, ns.grade),
            health_html(ns.health),
            ns.workloads,
            ns.failing_workloads,
            ns.alerts
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

fn subject_html(sub: &Subject) -> String {
    match (sub.kind.as_str(), sub.namespace.is_empty()) {
        ("Cluster", _) => "cluster".to_string(),
        (_, true) => format!("{} <strong>{}</strong>", esc(&sub.kind), esc(&sub.name)),
        _ => format!(
            "{} <strong>{}/{}</strong>",
            esc(&sub.kind),
            esc(&sub.namespace),
            esc(&sub.name)
        ),
    }
}

fn risks(s: &mut String, doc: &Document) {
    s.push_str("<section id=\"risks\">\n<h2>Top risks</h2>\n");
    if doc.risks.is_empty() {
        s.push_str(
            "<p>No critical or warning finding outside system namespaces.</p>\n</section>\n",
        );
        return;
    }
    s.push_str("<ol class=\"risks\">\n");
    for r in &doc.risks {
        let label = if r.alert {
            format!("{} alert", r.severity)
        } else {
            r.severity.to_string()
        };
        let headline = if r.alert {
            format!(
                "<strong>{}</strong> <code>{}</code>",
                esc(r.headline),
                esc(r.check)
            )
        } else {
            format!("<code>{}</code>", esc(r.check))
        };
        let _ = writeln!(
            s,
            "<li class=\"{}\">{} · {} · {headline}: {}</li>",
            severity_class(r.severity),
            severity_html(r.severity, &label),
            subject_html(&r.subject),
            esc(r.message)
        );
    }
    s.push_str("</ol>\n");
    if doc.more_risks > 0 {
        let _ = writeln!(
            s,
            "<p class=\"muted\">…and {} more critical and warning findings in the sections below.</p>",
            doc.more_risks
        );
    }
    s.push_str("</section>\n");
}

fn workloads(s: &mut String, doc: &Document) {
    s.push_str("<section id=\"workloads\">\n<h2>Workloads</h2>\n");
    if doc.sections.is_empty() {
        s.push_str("<p>No workloads in scope.</p>\n");
    }
    for section in &doc.sections {
        let ns = section.report;
        let system = if ns.system {
            " <span class=\"system\">system</span>"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "<h3>{} Namespace {}{system} {} <span class=\"muted\">score {}</span></h3>",
            grade_badge(ns.grade, "grade"),
            esc(&ns.name),
            health_html(ns.health),
            score_text(ns.score)
        );
        for w in &section.workloads {
            workload(s, w);
        }
        if !section.findings.is_empty() {
            let _ = writeln!(
                s,
                "<details class=\"workload\" open>\n<summary><strong class=\"name\">Guardrails, Services and Ingresses</strong><span class=\"counts\">{}</span></summary>\n<div class=\"body\">",
                plural(section.findings.len(), "failing check")
            );
            for (sub, r) in &section.findings {
                let on = if sub.kind == "Namespace" {
                    "namespace".to_string()
                } else {
                    subject_html(sub)
                };
                finding(s, r, Some(&on));
            }
            s.push_str("</div>\n</details>\n");
        }
    }
    s.push_str("</section>\n");
}

fn workload(s: &mut String, w: &WorkloadReport) {
    let failing = failing_checks(w);
    let open = matches!(w.health, Health::Failing | Health::Degraded) || w.critical_failures > 0;
    let mut counts = Vec::new();
    if !w.alerts.is_empty() {
        counts.push(plural(w.alerts.len(), "alert"));
    }
    counts.push(plural(failing.len(), "failing check"));
    let _ = writeln!(
        s,
        "<details class=\"workload is-{}\"{}>\n<summary>{} <span class=\"num\">{}</span> <span class=\"kind\">{}</span> <strong class=\"name\">{}</strong> {}<span class=\"counts\">{}</span></summary>\n<div class=\"body\">",
        w.health.name(),
        if open { " open" } else { "" },
        grade_badge(w.grade, "grade"),
        score_text(w.score),
        esc(w.key.kind.name()),
        esc(&w.key.name),
        health_html(w.health),
        counts.join(" · ")
    );
    let (passed, unknown, na, waived) = outcome_counts(w);
    let _ = writeln!(
        s,
        "<p class=\"muted\">Ready {} · {} · {} failing, {passed} passed, {unknown} unknown, {na} n/a, {waived} waived</p>",
        esc(&ready_text(w)),
        plural(w.restarts.max(0) as usize, "restart"),
        plural(failing.len(), "check")
    );
    if !w.alerts.is_empty() {
        s.push_str("<h4>Alerts</h4>\n<ul class=\"alerts\">\n");
        for a in &w.alerts {
            alert(s, a);
        }
        s.push_str("</ul>\n");
    }
    if failing.is_empty() {
        s.push_str("<p>No failing checks.</p>\n");
    } else {
        s.push_str("<h4>Failing checks</h4>\n");
        for r in failing {
            finding(s, r, None);
        }
    }
    let unknown = unknown_results(w);
    if !unknown.is_empty() {
        let list: Vec<String> = unknown
            .iter()
            .map(|r| format!("<code>{}</code> ({})", esc(&r.check), esc(&r.message)))
            .collect();
        let _ = writeln!(
            s,
            "<p class=\"muted\"><strong>Not judged:</strong> {}</p>",
            list.join("; ")
        );
    }
    s.push_str("</div>\n</details>\n");
}

fn alert(s: &mut String, a: &Alert) {
    let mut sub = Vec::new();
    if let Some(since) = a.since {
        sub.push(format!("since {}", since.format("%Y-%m-%d %H:%M UTC")));
    }
    if a.restarts > 0 {
        sub.push(plural(a.restarts as usize, "restart"));
    }
    if !a.pods.is_empty() {
        let pods: Vec<String> = a
            .pods
            .iter()
            .map(|p| format!("<code>{}</code>", esc(p)))
            .collect();
        sub.push(format!("pods {}", pods.join(", ")));
    }
    let _ = write!(
        s,
        "<li class=\"{}\">{} <strong>{}</strong> <code>{}</code>: {}",
        severity_class(a.severity),
        severity_html(a.severity, a.severity.name()),
        esc(&a.reason),
        esc(&a.check),
        esc(&a.message)
    );
    if !sub.is_empty() {
        let _ = write!(s, "<br><span class=\"muted\">{}</span>", sub.join(" · "));
    }
    if !a.events.is_empty() {
        s.push_str("<ul class=\"events\">");
        for e in &a.events {
            let _ = write!(s, "<li>event: {}</li>", esc(e));
        }
        s.push_str("</ul>");
    }
    s.push_str("</li>\n");
}

/// A failing result with why it matters and the fix; `on` (already HTML) names the subject.
fn finding(s: &mut String, r: &CheckResult, on: Option<&str>) {
    let containers = if r.containers.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = r
            .containers
            .iter()
            .map(|c| format!("<code>{}</code>", esc(c)))
            .collect();
        format!(" · {}", names.join(", "))
    };
    let on = on
        .map(|o| format!("<span class=\"on\">{o}</span> · "))
        .unwrap_or_default();
    let (prose, snippet) = split_fix(r.fix_text());
    let _ = write!(
        s,
        "<div class=\"finding {}\">\n<p>{} {on}<code>{}</code>{containers}: {}</p>\n<p><span class=\"label\">Why it matters:</span> {}</p>\n<p><span class=\"label\">Fix:</span> {}</p>\n",
        severity_class(r.severity),
        severity_html(r.severity, r.severity.name()),
        esc(&r.check),
        esc(&r.message),
        esc(why(r)),
        esc(prose)
    );
    if let Some(snippet) = snippet {
        let _ = writeln!(s, "<pre><code>{}</code></pre>", esc(snippet));
    }
    s.push_str("</div>\n");
}

fn cluster(s: &mut String, doc: &Document) {
    if doc.cluster.is_empty() {
        return;
    }
    s.push_str("<section id=\"cluster\">\n<h2>Cluster</h2>\n<ul class=\"alerts\">\n");
    for (sub, r) in &doc.cluster {
        let on = if sub.kind == "Cluster" {
            String::new()
        } else {
            format!("{} · ", subject_html(sub))
        };
        let (class, label) = if r.status == Status::Unknown {
            (
                "h-unknown",
                "<span class=\"sev\">? unknown</span>".to_string(),
            )
        } else {
            (
                severity_class(r.severity),
                severity_html(r.severity, r.severity.name()),
            )
        };
        let _ = writeln!(
            s,
            "<li class=\"{class}\">{label} {on}<code>{}</code>: {}</li>",
            esc(&r.check),
            esc(&r.message)
        );
    }
    s.push_str("</ul>\n</section>\n");
}

fn not_graded(s: &mut String, doc: &Document) {
    s.push_str("<section id=\"not-graded\">\n<h2>Not graded</h2>\n");
    if doc.unmodelled.is_empty() && doc.unseen.is_empty() {
        s.push_str(
            "<p>Every object was of a kind shipshape grades, and every kind was visible.</p>\n",
        );
    }
    if !doc.unmodelled.is_empty() {
        s.push_str("<p>Kinds shipshape does not model (custom resources, RBAC…) are counted, not graded:</p>\n<ul>\n");
        for (kind, n) in &doc.unmodelled {
            let _ = writeln!(s, "<li><code>{}</code> × {n}</li>", esc(kind));
        }
        s.push_str("</ul>\n");
    }
    if !doc.unseen.is_empty() {
        s.push_str("<p>Kinds shipshape could not see completely:</p>\n<ul>\n");
        for u in &doc.unseen {
            let _ = writeln!(
                s,
                "<li><code>{}</code>: {}</li>",
                u.kind.name(),
                esc(&u.why)
            );
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</section>\n");
}

fn waived(s: &mut String, doc: &Document) {
    s.push_str("<section id=\"waived\">\n<h2>Waived</h2>\n");
    if doc.waived.is_empty() {
        s.push_str("<p>Nothing is waived.</p>\n</section>\n");
        return;
    }
    s.push_str("<table>\n<thead><tr><th>Subject</th><th>Check</th><th>Severity</th><th>Reason</th></tr></thead>\n<tbody>\n");
    for w in &doc.waived {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            subject_html(&w.subject),
            esc(&w.result.check),
            w.result.severity,
            esc(w.result.waiver.as_deref().unwrap_or("no reason given"))
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

fn manual_review(s: &mut String, doc: &Document) {
    s.push_str("<section id=\"manual-review\">\n<h2>Manual review</h2>\n<p class=\"muted\">What the cluster cannot show. Confirm each item in the meeting; none is scored.</p>\n");
    let mut area = "";
    for item in doc.manual {
        if item.area != area {
            if !area.is_empty() {
                s.push_str("</ul>\n");
            }
            area = item.area;
            let _ = writeln!(s, "<h3>{}</h3>\n<ul class=\"checklist\">", esc(area));
        }
        let _ = writeln!(
            s,
            "<li><input type=\"checkbox\" aria-label=\"done\"><span>{} <span class=\"muted\">({})</span></span></li>",
            esc(item.item),
            esc(item.guide)
        );
    }
    if !area.is_empty() {
        s.push_str("</ul>\n");
    }
    s.push_str("</section>\n");
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(esc("a\u{0}b"), "a\u{fffd}b");
    }
}
