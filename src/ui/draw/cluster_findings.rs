//! The findings pane for the cluster itself (`all` chosen in the namespaces pane): the cluster
//! row's checks under the guides' headings (observability, traffic, security, data,
//! capacity), failing ones first with what was found, why and the fix; the rest counted, or
//! listed one a line when every result is shown (`w`).

use super::findings::{base_or_muted, failing_result_lines, status_symbol, Style};
use super::{fg, muted};
use crate::checks::cluster_groups::grouped;
use crate::checks::{CheckResult, Status};
use crate::report::document::group_counts;
use crate::ui::app::App;
use crate::ui::theme::Theme;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

/// Non-failing outcomes in the order the pane lists them.
const OTHER_OUTCOMES: [Status; 4] = [
    Status::Unknown,
    Status::Waived,
    Status::Pass,
    Status::NotApplicable,
];

/// The pane's text for the cluster (also used by tests).
pub fn cluster_lines(app: &App) -> Vec<Line<'static>> {
    lines_and_heads(app).0
}

/// Each failing finding's check id and the row its first line is on, once the pane's text is
/// wrapped to `area` (borders excluded), in the pane's order: where j/k move the highlight.
pub fn cluster_finding_rows(app: &App, area: ratatui::layout::Rect) -> Vec<(String, usize)> {
    let (lines, heads) = lines_and_heads(app);
    let width = area.width.saturating_sub(2) as usize;
    heads
        .into_iter()
        .map(|(id, at)| {
            let row = super::wrap::wrap_hanging(lines[..at].to_vec(), width).len();
            (id, row)
        })
        .collect()
}

/// The pane's text, and the line each failing finding starts on.
fn lines_and_heads(app: &App) -> (Vec<Line<'static>>, Vec<(String, usize)>) {
    let theme = app.theme();
    let mut lines = Vec::new();
    let mut heads = Vec::new();
    let Some(row) = app.grades().cluster_row() else {
        lines.push(Line::styled("the cluster is not graded yet", muted(theme)));
        return (lines, heads);
    };
    let highlighted = crate::ui::cluster_focus::highlighted(app).map(|r| r.check.clone());
    let count = |s: Status| row.results.iter().filter(|r| r.status == s).count();
    // No grade here: the header's cluster grade is the workloads' mean, and a second one
    // for the same word would read as a contradiction.
    lines.push(Line::from(vec![
        Span::styled("Cluster", Style::bold()),
        Span::styled(
            "   its own checks, grouped as the guides group them · j/k: a failing finding (▸); l, v, y: the workload it found",
            muted(theme),
        ),
    ]));
    lines.push(Line::raw(""));
    lines.push(super::findings::checks_summary(count, app.show_all, theme));
    for (group, results) in grouped(&row.results) {
        lines.push(Line::from(vec![
            Span::styled(format!(" {}", group.title()), Style::bold()),
            Span::styled(format!(" · {}", group_counts(&results)), muted(theme)),
        ]));
        for r in results.iter().filter(|r| r.status == Status::Fail) {
            heads.push((r.check.to_string(), lines.len()));
            let head = lines.len();
            failing_result_lines(&mut lines, r, theme);
            // The finding l, v and y act on.
            if highlighted.as_ref() == Some(&r.check) {
                if let Some(first) = lines[head].spans.first_mut() {
                    *first = Span::styled("▸ ", fg(theme.accent).add_modifier(Modifier::BOLD));
                }
            }
        }
        for status in OTHER_OUTCOMES {
            let rs: Vec<&&CheckResult> = results.iter().filter(|r| r.status == status).collect();
            if rs.is_empty() {
                continue;
            }
            if app.show_all {
                for r in rs {
                    lines.push(outcome_line(r, theme));
                }
            } else {
                let ids: Vec<&str> = rs.iter().map(|r| r.check.as_ref()).collect();
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {} {} ", status_symbol(status), outcome_name(status)),
                        base_or_muted(status, theme),
                    ),
                    Span::styled(ids.join(", "), muted(theme)),
                ]));
            }
        }
    }
    (lines.into_iter().map(super::safe_line).collect(), heads)
}

/// One non-failing result on a line: its symbol, id and what the check found (or the waiver).
fn outcome_line(r: &CheckResult, theme: &Theme) -> Line<'static> {
    let detail = r.waiver().unwrap_or(&r.message);
    Line::from(vec![
        Span::styled(format!("  {} ", status_symbol(r.status)), muted(theme)),
        Span::styled(format!("{:<34}", r.check), base_or_muted(r.status, theme)),
        Span::styled(detail.to_string(), muted(theme)),
    ])
}

fn outcome_name(s: Status) -> &'static str {
    match s {
        Status::Pass => "passed:",
        Status::Unknown => "unknown:",
        Status::NotApplicable => "n/a:",
        Status::Waived => "waived:",
        Status::Fail => "failing:",
    }
}
