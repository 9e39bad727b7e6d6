//! The namespaces pane: `all`, then each namespace with grade, score bar and counts.

use super::{clip, fg, is_focused, muted, pane_block, selected_line};
use crate::checks::Severity;
use crate::score::{grade_text, score_text, Grade};
use crate::ui::app::{App, Pane};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use std::collections::HashMap;

fn bar(score: Option<f64>, width: usize) -> String {
    let Some(s) = score else {
        return " ".repeat(width);
    };
    let filled = ((s / 100.0) * width as f64).round() as usize;
    format!(
        "{}{}",
        "█".repeat(filled.min(width)),
        "░".repeat(width - filled.min(width))
    )
}

/// What a namespace row counts: workloads failing a critical check, alerts by severity.
#[derive(Clone, Copy, Default)]
struct RowCounts {
    critical_workloads: usize,
    alerts: [usize; 3],
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let focused = is_focused(app, Pane::Namespaces);
    let inner_width = area.width.saturating_sub(2) as usize;
    let bar_width = if inner_width >= 28 { 5 } else { 0 };
    // Workloads failing a critical check / all workloads, where there is room for it.
    let count_width = if inner_width >= 34 { 6 } else { 0 };
    let name_width = inner_width
        .saturating_sub(6 + if bar_width > 0 { bar_width + 1 } else { 0 } + count_width + 4);
    let rows = app.namespace_rows();
    // One pass over workloads and alerts, not one per row: per namespace, and for `all`.
    let mut counts: HashMap<&str, RowCounts> = HashMap::new();
    let mut all = RowCounts::default();
    for w in app.grades().workloads.values() {
        let c = counts.entry(w.key.namespace.as_str()).or_default();
        for c in [c, &mut all] {
            c.critical_workloads += usize::from(w.critical_failures > 0);
            for a in &w.alerts {
                c.alerts[a.severity as usize] += 1;
            }
        }
    }
    let lines: Vec<Line> = rows
        .iter()
        .skip(app.namespaces_offset)
        .take(area.height.saturating_sub(2) as usize)
        .map(|ns| {
            let (name, score, grade, total, system, c) = match ns {
                None => {
                    let g = app.grades();
                    let total = g.workloads.len();
                    (
                        "all".to_string(),
                        g.cluster_score,
                        g.cluster_grade,
                        total,
                        false,
                        all,
                    )
                }
                Some(n) => {
                    let r = &app.grades().namespaces[n];
                    let c = counts.get(n.as_str()).copied().unwrap_or_default();
                    (n.clone(), r.score, r.grade, r.workloads, r.system, c)
                }
            };
            let mut name = crate::text::safe(&name).into_owned();
            let prefixed = ns.as_deref().filter(|_| app.showing_all());
            if let Some((context, own)) = prefixed.and_then(|n| n.rsplit_once('/')) {
                // "All clusters": a long context gives way to the namespace.
                let room = name_width.saturating_sub(if system { 2 } else { 0 });
                let safe = crate::text::safe;
                name = super::clusters::fit_prefixed(&safe(context), &safe(own), room);
            }
            let label = if system { format!("⚙ {name}") } else { name };
            let mut spans = vec![
                Span::raw(format!("{:<w$}", clip(&label, name_width), w = name_width)),
                Span::styled(
                    format!(" {} {:>3}", grade_text(grade), score_text(score)),
                    fg(theme.grade(grade)).add_modifier(Modifier::BOLD),
                ),
            ];
            if bar_width > 0 {
                spans.push(Span::styled(
                    format!(" {}", bar(score, bar_width)),
                    fg(theme.grade(grade.or(Some(Grade::F)))),
                ));
            }
            if count_width > 0 {
                let text = if total > 0 {
                    format!("{}/{total}", c.critical_workloads)
                } else {
                    String::new()
                };
                spans.push(Span::styled(format!(" {text:>5}"), muted(theme)));
            }
            // The badge counts the most severe alerts, with that severity's symbol and colour.
            match [Severity::Critical, Severity::Warning, Severity::Info]
                .into_iter()
                .find(|s| c.alerts[*s as usize] > 0)
            {
                Some(sev) => spans.push(Span::styled(
                    format!(
                        " {}{:<2}",
                        super::severity_symbol(sev),
                        c.alerts[sev as usize]
                    ),
                    fg(theme.severity(sev)),
                )),
                None => spans.push(Span::raw("    ")),
            }
            let mut line = Line::from(spans);
            if *ns == app.namespace {
                line = selected_line(line, theme);
            } else if system {
                line = line.style(muted(theme));
            }
            line
        })
        .collect();
    let mut title = vec![Span::styled(
        " Namespaces ",
        fg(theme.accent).add_modifier(Modifier::BOLD),
    )];
    if count_width > 0 {
        title.push(Span::styled("· critical/all ", muted(theme)));
    }
    let visible = area.height.saturating_sub(2) as usize;
    if rows.len() > visible || app.namespaces_offset > 0 {
        title.push(Span::styled(
            format!(
                "· rows {}–{} of {} ",
                app.namespaces_offset + 1,
                (app.namespaces_offset + visible).min(rows.len()),
                rows.len()
            ),
            muted(theme),
        ));
    }
    let title = Line::from(title);
    frame.render_widget(
        super::paragraph(lines).block(pane_block(title, focused, theme)),
        area,
    );
}
