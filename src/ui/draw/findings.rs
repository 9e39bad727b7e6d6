//! The findings pane for the selected workload: alerts, failing checks grouped by category
//! and severity with why and the fix, counts of the rest, and recent Warning events.

use super::{fg, health_span, is_focused, muted, pane_block, severity_span};
use crate::checks::{Category, CheckResult, Status};
use crate::cluster::model::event_time;
use crate::grade::WorkloadReport;
use crate::score::{grade_text, score_text};
use crate::time::age;
use crate::ui::app::{App, Pane};
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

fn heading(text: &str, theme: &Theme) -> Line<'static> {
    Line::styled(
        text.to_string(),
        fg(theme.accent).add_modifier(Modifier::BOLD),
    )
}

pub(super) fn status_symbol(s: Status) -> &'static str {
    match s {
        Status::Pass => "✔",
        Status::Fail => "✖",
        Status::Unknown => "?",
        Status::NotApplicable => "–",
        Status::Waived => "≈",
    }
}

/// The pane's text for one workload (also used by tests and exports).
pub fn findings_lines(app: &App, w: &WorkloadReport) -> Vec<Line<'static>> {
    let theme = app.theme();
    let now = app.model().now();
    let mut lines = Vec::new();
    // Without runtime state (plain manifests) the ready count is not known.
    let have = if w.health == crate::score::Health::Unknown {
        "?".to_string()
    } else {
        w.ready.to_string()
    };
    let ready = match w.desired {
        Some(d) => format!("{have}/{d} ready"),
        None => format!("{have} ready"),
    };
    lines.push(Line::from(vec![
        Span::styled(
            format!("{} {}/{}", w.key.kind, w.key.namespace, w.key.name),
            Style::bold(),
        ),
        Span::raw("   grade "),
        Span::styled(
            format!("{} {}", grade_text(w.grade), score_text(w.score)),
            fg(theme.grade(w.grade)).add_modifier(Modifier::BOLD),
        ),
        Span::raw(" · "),
        health_span(w.health, theme),
        Span::styled(
            format!(" · {ready} · {} restarts across pods", w.restarts),
            muted(theme),
        ),
    ]));

    if !w.alerts.is_empty() {
        lines.push(Line::raw(""));
        lines.push(heading("ALERTS", theme));
        let mut shown_events = std::collections::HashSet::new();
        let mut alerts: Vec<_> = w.alerts.iter().collect();
        alerts.sort_by_key(|a| std::cmp::Reverse(a.severity));
        for a in alerts {
            let mut head = vec![
                Span::raw(" "),
                severity_span(a.severity, theme),
                Span::styled(
                    format!(" {}", a.reason),
                    fg(theme.severity(a.severity)).add_modifier(Modifier::BOLD),
                ),
            ];
            let mut facts = Vec::new();
            if let Some(c) = &a.container {
                facts.push(format!("container {c}"));
            }
            if !a.pods.is_empty() {
                facts.push(crate::report::plural(a.pods.len(), "pod"));
            }
            if let Some(t) = app.timeline.first_seen(a) {
                facts.push(format!(
                    "new: appeared {} ({} ago)",
                    t.format("%H:%M"),
                    age(t, now)
                ));
            }
            if let Some(t) = a.since {
                facts.push(format!("since {} ({} ago)", t.format("%H:%M"), age(t, now)));
            }
            if a.restarts > 0 {
                facts.push(format!("{} restarts", a.restarts));
            }
            head.push(Span::styled(
                format!(" · {}", facts.join(" · ")),
                muted(theme),
            ));
            lines.push(Line::from(head));
            lines.push(Line::raw(format!("   {}", a.message)));
            // An event that explains several alerts is shown once, under the first; one that
            // only repeats the alert's own message (the scheduler's, a pod condition's) is not.
            for e in &a.events {
                if shown_events.insert(e.as_str()) && !a.message.contains(e.as_str()) {
                    lines.push(Line::styled(format!("   event: {e}"), muted(theme)));
                }
            }
        }
    }

    // What appeared and cleared on this workload while the dashboard watched.
    let changes: Vec<_> = app.timeline.of_workload(&w.key).take(10).collect();
    if !changes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(heading("THIS SESSION", theme));
        for t in changes {
            let style = match t.change {
                crate::triage::timeline::Change::Appeared => fg(theme.severity(t.severity)),
                crate::triage::timeline::Change::Cleared => fg(theme.healthy),
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {} ({} ago) ", t.at.format("%H:%M:%S"), age(t.at, now)),
                    muted(theme),
                ),
                Span::styled(format!("{:<9}", t.change.name()), style),
                Span::raw(format!("{} {}", t.check, t.reason)),
            ]));
        }
    }

    let count = |s: Status| {
        w.results
            .iter()
            .filter(|r| r.status == s && r.category != Category::Health)
            .count()
    };
    let failing: Vec<&CheckResult> = w
        .results
        .iter()
        .filter(|r| r.status == Status::Fail && r.category != Category::Health)
        .collect();
    lines.push(Line::raw(""));
    lines.push(checks_summary(count, app.show_all, theme));
    if failing.is_empty() {
        lines.push(Line::styled(" ✔ no failing checks", fg(theme.healthy)));
    }
    // Categories in the order of their worst finding, so the worst is on top.
    let mut categories: Vec<Category> = Vec::new();
    for r in crate::report::worst_findings(w) {
        if !categories.contains(&r.category) {
            categories.push(r.category);
        }
    }
    for cat in categories {
        lines.push(Line::styled(
            format!(" {}", title_case(cat.name())),
            Style::bold(),
        ));
        let mut in_cat: Vec<&&CheckResult> = failing.iter().filter(|r| r.category == cat).collect();
        in_cat.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.check.cmp(&b.check))
        });
        for r in in_cat {
            failing_result_lines(&mut lines, r, theme);
        }
    }

    if app.show_all {
        for (status, title) in [
            (Status::Waived, "WAIVED"),
            (Status::Unknown, "UNKNOWN"),
            (Status::Pass, "PASSED"),
            (Status::NotApplicable, "NOT APPLICABLE"),
        ] {
            let rs: Vec<&CheckResult> = w
                .results
                .iter()
                .filter(|r| r.status == status && r.category != Category::Health)
                .collect();
            if rs.is_empty() {
                continue;
            }
            lines.push(Line::raw(""));
            lines.push(heading(title, theme));
            for r in rs {
                let detail = r.waiver().unwrap_or(&r.message);
                lines.push(Line::from(vec![
                    Span::styled(format!("  {} ", status_symbol(status)), muted(theme)),
                    Span::styled(format!("{:<34}", r.check), base_or_muted(status, theme)),
                    Span::styled(detail.to_string(), muted(theme)),
                ]));
            }
        }
    }

    let events = app.events_of(&w.key);
    if !events.is_empty() {
        lines.push(Line::raw(""));
        lines.push(heading("RECENT WARNING EVENTS", theme));
        for e in events.iter().take(5) {
            let when = event_time(e)
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default();
            let obj = format!(
                "{}/{}",
                e.involved_object
                    .kind
                    .as_deref()
                    .unwrap_or_default()
                    .to_lowercase(),
                e.involved_object.name.as_deref().unwrap_or_default()
            );
            let count = e
                .count
                .filter(|c| *c > 1)
                .map(|c| format!(" ×{c}"))
                .unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!("  {when} "), muted(theme)),
                Span::styled(e.reason.clone().unwrap_or_default(), fg(theme.warning)),
                Span::styled(format!("{count} {obj}: "), muted(theme)),
                Span::raw(e.message.clone().unwrap_or_default().trim().to_string()),
            ]));
        }
    }
    // Safe before wrapping, so the wrap (and the scroll limit) counts what is drawn.
    lines.into_iter().map(super::safe_line).collect()
}

/// A failing result as the pane shows it: severity and id (and the containers it is about),
/// what was found, why it matters, and the fix.
pub(super) fn failing_result_lines(lines: &mut Vec<Line<'static>>, r: &CheckResult, theme: &Theme) {
    let mut head = vec![
        Span::raw("  "),
        severity_span(r.severity, theme),
        Span::styled(
            format!(" {} ", r.severity.name()),
            fg(theme.severity(r.severity)),
        ),
        Span::styled(r.check.clone(), Style::bold()),
    ];
    if !r.containers().is_empty() {
        head.push(Span::styled(
            format!("  [{}]", r.containers().join(", ")),
            fg(theme.accent),
        ));
    }
    lines.push(Line::from(head));
    lines.push(Line::raw(format!("    {}", r.message)));
    lines.push(Line::styled(
        format!("    why: {}", r.def().why),
        muted(theme),
    ));
    let fix = r.fix_text();
    let mut fix_lines = fix.lines();
    if let Some(first) = fix_lines.next() {
        lines.push(Line::from(vec![
            Span::styled("    fix: ", fg(theme.accent)),
            Span::raw(first.to_string()),
        ]));
    }
    for l in fix_lines {
        lines.push(Line::styled(format!("      {l}"), fg(theme.info)));
    }
}

pub(super) fn base_or_muted(status: Status, theme: &Theme) -> ratatui::style::Style {
    match status {
        Status::Waived | Status::Unknown => fg(theme.warning),
        _ => fg(theme.text),
    }
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(super) struct Style;

impl Style {
    pub(super) fn bold() -> ratatui::style::Style {
        ratatui::style::Style::new().add_modifier(Modifier::BOLD)
    }
}

/// The pane's title and its lines wrapped to `area` (borders excluded).
fn content(app: &App, area: Rect) -> (String, Vec<Line<'static>>) {
    let (title, lines) = match app.selected_report() {
        // `all` chosen in the namespaces pane: the cluster itself.
        _ if app.cluster_findings() => (
            " Findings · cluster readiness ".to_string(),
            super::cluster_findings::cluster_lines(app),
        ),
        Some(w) => (
            format!(
                " Findings · {} {}/{} ",
                w.key.kind, w.key.namespace, w.key.name
            ),
            findings_lines(app, w),
        ),
        None => (
            " Findings ".to_string(),
            vec![Line::styled("select a workload", muted(app.theme()))],
        ),
    };
    let lines = super::wrap::wrap_hanging(lines, area.width.saturating_sub(2) as usize);
    (title, lines)
}

/// The furthest the pane scrolls in `area`: its last line at the bottom, never past it.
pub fn max_scroll(app: &App, area: Rect) -> u16 {
    let (_, lines) = content(app, area);
    let visible = area.height.saturating_sub(2) as usize;
    lines.len().saturating_sub(visible).min(u16::MAX as usize) as u16
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let focused = is_focused(app, Pane::Findings);
    let (title, lines) = content(app, area);
    let visible = area.height.saturating_sub(2) as usize;
    // Content that shrank under a scrolled pane (a regrade) still ends at the bottom.
    let scroll = app
        .findings_scroll
        .min(lines.len().saturating_sub(visible).min(u16::MAX as usize) as u16);
    let title = Line::styled(title, fg(theme.accent).add_modifier(Modifier::BOLD));
    frame.render_widget(
        super::paragraph(lines)
            .scroll((scroll, 0))
            .block(pane_block(title, focused, theme)),
        area,
    );
}

/// `CHECKS  3 failing · 20 passed · … (w: show all)`: the counts above a subject's results.
pub(super) fn checks_summary(
    count: impl Fn(Status) -> usize,
    show_all: bool,
    theme: &Theme,
) -> Line<'static> {
    Line::from(vec![
        Span::styled("CHECKS  ", fg(theme.accent).add_modifier(Modifier::BOLD)),
        Span::styled(
            format!(
                "{} failing · {} passed · {} unknown · {} n/a · {} waived",
                count(Status::Fail),
                count(Status::Pass),
                count(Status::Unknown),
                count(Status::NotApplicable),
                count(Status::Waived)
            ),
            muted(theme),
        ),
        Span::styled(
            if show_all {
                "   (w: failing only)"
            } else {
                "   (w: show all)"
            },
            muted(theme),
        ),
    ])
}
