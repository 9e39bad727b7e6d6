//! The alerts strip: current runtime alerts across the cluster, newest first.

use super::{clip, fg, is_focused, muted, pane_block, selected_line, severity_span};
use crate::report::alert_counts;
use crate::time::age;
use crate::ui::app::{App, Pane};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let focused = is_focused(app, Pane::Alerts);
    let now = app.model.now();
    let width = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for key in app
        .alert_rows
        .iter()
        .skip(app.alerts_offset)
        .take(area.height.saturating_sub(2) as usize)
    {
        let Some(a) = app.alert(key) else { continue };
        let when = a
            .since
            .map(|t| format!("{} ago", age(t, now)))
            .unwrap_or_else(|| "now".into());
        let target = format!("{}/{}", a.workload.namespace, a.workload.name);
        let (reason_w, target_w) = if width < 120 { (18, 24) } else { (26, 34) };
        let lead = format!(
            " {:<9}{:<reason_w$}{:<target_w$}",
            when,
            clip(&a.reason, reason_w - 1),
            clip(&target, target_w - 1)
        );
        let rest = clip(&a.message, width.saturating_sub(lead.chars().count() + 3));
        let mut line = Line::from(vec![
            Span::raw(" "),
            severity_span(a.severity, theme),
            Span::styled(lead, fg(theme.severity(a.severity))),
            Span::raw(rest),
        ]);
        if focused && app.selected_alert.as_ref() == Some(key) {
            line = selected_line(line, theme);
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(Line::styled(" ✔ no runtime alerts", fg(theme.healthy)));
    }
    let (c, w, i) = alert_counts(&app.grades);
    let title = Line::from(vec![
        Span::styled(" Alerts ", fg(theme.accent).add_modifier(Modifier::BOLD)),
        Span::styled(
            if width < 100 {
                format!("· {c} critical · {w} warning · {i} info ")
            } else {
                format!("· {c} critical · {w} warning · {i} info · newest first · Enter opens the workload ")
            },
            muted(theme),
        ),
    ]);
    frame.render_widget(
        Paragraph::new(lines).block(pane_block(title, focused, theme)),
        area,
    );
}
