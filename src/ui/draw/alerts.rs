//! The alerts strip: current runtime alerts in the selected namespace (or the cluster),
//! newest first. Its title counts the alerts its body lists.

use super::{clip, fg, is_focused, muted, pane_block, selected_line, severity_span};
use crate::report::count_by_severity;
use crate::text::safe;
use crate::time::age;
use crate::ui::app::{App, Pane};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let focused = is_focused(app, Pane::Alerts);
    let now = app.model().now();
    let width = area.width.saturating_sub(2) as usize;
    let visible = area.height.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for key in app.alert_rows.iter().skip(app.alerts_offset).take(visible) {
        let Some(a) = app.alert(key) else { continue };
        let when = a
            .since
            .map(|t| format!("{} ago", age(t, now)))
            .unwrap_or_else(|| "now".into());
        let target = safe(&format!("{}/{}", a.workload.namespace, a.workload.name)).into_owned();
        let (reason_w, target_w) = if width < 120 { (18, 24) } else { (26, 34) };
        let lead = format!(
            " {:<9}{:<reason_w$}{:<target_w$}",
            when,
            clip(&safe(&a.reason), reason_w - 1),
            clip(&target, target_w - 1)
        );
        let rest = clip(
            &safe(&a.message),
            width.saturating_sub(lead.chars().count() + 3),
        );
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
    // The counts are of the alerts listed; scoped to a namespace, the cluster's total follows.
    let (c, w, i) = count_by_severity(app.alert_rows.iter().filter_map(|k| app.alert(k)));
    let mut about = match &app.namespace {
        Some(ns) => format!("· in {ns}: "),
        None => "· ".to_string(),
    };
    about.push_str(&format!("{c} critical · {w} warning · {i} info "));
    if app.namespace.is_some() {
        about.push_str(&format!("· {} in cluster ", app.grades().alerts().count()));
    }
    if app.alert_rows.len() > visible || app.alerts_offset > 0 {
        about.push_str(&format!(
            "· rows {}–{} of {} ",
            app.alerts_offset + 1,
            (app.alerts_offset + visible).min(app.alert_rows.len()),
            app.alert_rows.len()
        ));
    }
    if width >= 100 {
        about.push_str("· newest first · Enter opens the workload ");
    }
    let title = Line::from(vec![
        Span::styled(" Alerts ", fg(theme.accent).add_modifier(Modifier::BOLD)),
        Span::styled(about, muted(theme)),
    ]);
    frame.render_widget(
        super::paragraph(lines).block(pane_block(title, focused, theme)),
        area,
    );
}
