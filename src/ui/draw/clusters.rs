//! The Clusters pane (several contexts only): each cluster's context, server version, grade,
//! score, health, alert counts and data state. A cluster that cannot be reached or read is a
//! red row that says why; the selected row is the cluster everything below shows.

use super::{clip, fg, health_span, is_focused, muted, pane_block, selected_line};
use crate::score::{grade_text, score_text};
use crate::text::safe;
use crate::ui::app::{App, Pane};
use crate::ui::fleet::RowState;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if area.height == 0 {
        return;
    }
    let theme = app.theme();
    let focused = is_focused(app, Pane::Clusters);
    let width = area.width.saturating_sub(2) as usize;
    let rows = app.cluster_rows();
    let selected = app.fleet.as_ref().map(|f| f.selected.as_str());
    let offset = app.fleet.as_ref().map_or(0, |f| f.offset);
    let (version_w, grade_w, score_w, health_w, workloads_w, alerts_w) = (10, 3, 6, 12, 10, 14);
    let context_w = rows
        .iter()
        .map(|r| safe(&r.context).chars().count() + 1)
        .max()
        .unwrap_or(0)
        .clamp(12, 32);
    let fixed = context_w + version_w + grade_w + score_w + health_w + workloads_w + alerts_w;
    let state_w = width.saturating_sub(fixed);
    let mut lines = vec![Line::styled(
        format!(
            "{:<context_w$}{:<version_w$}{:<grade_w$}{:<score_w$}{:<health_w$}{:>w$}  {:<a$}STATE",
            "CONTEXT",
            "VERSION",
            "GR",
            "SCORE",
            "HEALTH",
            "WORKLOADS",
            "ALERTS C/W/I",
            w = workloads_w - 2,
            a = alerts_w,
        ),
        muted(theme).add_modifier(Modifier::BOLD),
    )];
    for row in rows
        .iter()
        .skip(offset)
        .take(area.height.saturating_sub(3) as usize)
    {
        let context = format!("{:<context_w$}", clip(&safe(&row.context), context_w - 1));
        let version = row.server_version.as_deref().unwrap_or("");
        let mut spans = vec![Span::styled(
            context,
            fg(theme.text).add_modifier(Modifier::BOLD),
        )];
        spans.push(Span::styled(
            format!("{:<version_w$}", clip(&safe(version), version_w - 1)),
            muted(theme),
        ));
        let (state, state_style) = match &row.state {
            RowState::Failed(why) => (format!("✖ {why}"), fg(theme.critical)),
            RowState::Syncing { synced, total } => (
                format!("◌ syncing {synced}/{total} kinds"),
                fg(theme.warning),
            ),
            RowState::Stale(n) => (format!("◌ stale: {n} kinds, retrying"), fg(theme.critical)),
            RowState::Live { forbidden: 0 } => ("● live".to_string(), fg(theme.healthy)),
            RowState::Live { forbidden } => (
                format!("● live · {forbidden} kinds forbidden"),
                fg(theme.warning),
            ),
        };
        if row.failed() {
            // Nothing was read: no grade to show, only why.
            spans.push(Span::raw(
                " ".repeat(grade_w + score_w + health_w + workloads_w + alerts_w),
            ));
        } else {
            spans.push(Span::styled(
                format!(
                    "{:<grade_w$}{:<score_w$}",
                    grade_text(row.grade),
                    score_text(row.score)
                ),
                fg(theme.grade(row.grade)).add_modifier(Modifier::BOLD),
            ));
            let health = health_span(row.health, theme);
            let pad = health_w.saturating_sub(health.content.chars().count());
            spans.push(health);
            spans.push(Span::raw(" ".repeat(pad)));
            spans.push(Span::styled(
                format!("{:>w$}  ", row.workloads, w = workloads_w - 2),
                muted(theme),
            ));
            let [c, w, i] = row.alerts;
            spans.push(Span::styled(
                format!("{:<alerts_w$}", format!("{c}/{w}/{i}")),
                if c > 0 {
                    fg(theme.critical)
                } else if w > 0 {
                    fg(theme.warning)
                } else {
                    muted(theme)
                },
            ));
        }
        spans.push(Span::styled(
            clip(&safe(&state), state_w),
            state_style.add_modifier(Modifier::BOLD),
        ));
        let mut line = Line::from(spans);
        if selected == Some(row.context.as_str()) {
            line = selected_line(line, theme);
        }
        lines.push(line);
    }
    let mut title = vec![Span::styled(
        " Clusters ",
        fg(theme.accent).add_modifier(Modifier::BOLD),
    )];
    let failed = rows.iter().filter(|r| r.failed()).count();
    let mut counts = if failed > 0 {
        format!("· {failed} of {} cannot be read ", rows.len())
    } else {
        format!("· {} ", rows.len())
    };
    let visible = area.height.saturating_sub(3) as usize;
    if rows.len() > visible || offset > 0 {
        counts.push_str(&format!(
            "· rows {}–{} of {} ",
            offset + 1,
            (offset + visible).min(rows.len()),
            rows.len()
        ));
    }
    title.push(Span::styled(
        counts,
        if failed > 0 {
            fg(theme.critical)
        } else {
            muted(theme)
        },
    ));
    frame.render_widget(
        super::paragraph(lines).block(pane_block(Line::from(title), focused, theme)),
        area,
    );
}
