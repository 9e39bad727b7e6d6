//! The alerts strip: current runtime alerts in the selected namespace (or the cluster),
//! root causes first, each above the alerts it explains (folded: Enter unfolds them), then the other
//! alerts newest first by when they appeared. Its title counts the alerts its body lists.

use super::{clip, fg, is_focused, muted, pane_block, selected_line, severity_span};
use crate::report::count_by_severity;
use crate::text::safe;
use crate::time::age;
use crate::ui::app::{App, Pane, StripRow};
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
    let selected = app.selected_strip_row();
    for row in app.strip.iter().skip(app.alerts_offset).take(visible) {
        let key = match row {
            StripRow::Cause(c) => {
                let Some(cause) = app.cause(c) else { continue };
                let fold = if app.expanded.contains(c) {
                    "▾"
                } else {
                    "▸"
                };
                let head = format!(" {fold} ");
                let what = format!(
                    " root cause: {} · explains {}",
                    cause.headline(),
                    crate::report::plural(cause.alerts.len(), "alert")
                );
                let what = clip(&safe(&what), width.saturating_sub(4));
                let mut line = Line::from(vec![
                    Span::styled(head, fg(theme.accent).add_modifier(Modifier::BOLD)),
                    severity_span(cause.severity, theme),
                    Span::styled(
                        what,
                        fg(theme.severity(cause.severity)).add_modifier(Modifier::BOLD),
                    ),
                ]);
                if focused && selected.as_ref() == Some(row) {
                    line = selected_line(line, theme);
                }
                lines.push(line);
                continue;
            }
            StripRow::Alert(k) => k,
        };
        let Some(a) = app.alert(key) else { continue };
        // Under its cause: only an expanded cause's alerts are listed after it.
        let explained =
            !app.causes.is_empty() && app.causes.iter().any(|c| c.explains(&a.check, &a.workload));
        // Newest by when it appeared; the cluster's own since-when stays as evidence.
        let appeared = app.timeline.appeared(a);
        let new = app.timeline.first_seen(a).is_some();
        let when = appeared
            .map(|t| format!("{} ago", age(t, now)))
            .unwrap_or_else(|| "now".into());
        let (reason_w, target_w) = if width < 120 { (18, 24) } else { (26, 34) };
        let target = match super::clusters::cluster_of(app, &a.workload) {
            // "All clusters": a long context gives way to the workload.
            Some(context) => super::clusters::fit_prefixed(
                &safe(context),
                &safe(&format!(
                    "{}/{}",
                    &a.workload.namespace[context.len() + 1..],
                    a.workload.name
                )),
                target_w - 1,
            ),
            None => safe(&format!("{}/{}", a.workload.namespace, a.workload.name)).into_owned(),
        };
        let lead = format!(
            " {:<9}{:<reason_w$}{:<target_w$}",
            when,
            clip(&safe(&a.reason), reason_w - 1),
            clip(&target, target_w - 1)
        );
        let message = match a.since {
            // The cluster's own time, when it tells more than "just now".
            Some(since)
                if new && appeared.is_some_and(|t| t - since > chrono::Duration::minutes(1)) =>
            {
                format!(
                    "new · cluster says since {} ago · {}",
                    age(since, now),
                    a.message
                )
            }
            _ if new => format!("new · {}", a.message),
            _ => a.message.clone(),
        };
        let rest = clip(
            &safe(&message),
            width.saturating_sub(lead.chars().count() + 3),
        );
        let mut line = Line::from(vec![
            if explained {
                Span::styled("│", muted(theme))
            } else {
                Span::raw(" ")
            },
            severity_span(a.severity, theme),
            Span::styled(lead, fg(theme.severity(a.severity))),
            Span::raw(rest),
        ]);
        if focused && app.selected_alert.as_ref() == Some(key) && app.selected_cause.is_none() {
            line = selected_line(line, theme);
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(match super::clusters::unread(app) {
            // A fleet's cluster that could not be read has no alerts to show, not none.
            Some(note) => Line::styled(format!(" {note}"), fg(theme.critical)),
            None => Line::styled(" ✔ no runtime alerts", fg(theme.healthy)),
        });
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
    if app.strip.len() > visible || app.alerts_offset > 0 {
        about.push_str(&format!(
            "· rows {}–{} of {} ",
            app.alerts_offset + 1,
            (app.alerts_offset + visible).min(app.strip.len()),
            app.strip.len()
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
