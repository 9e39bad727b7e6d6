//! The full-screen views over the dashboard: a container's last log lines, a workload's
//! object as YAML, the next commands for an alert or a cause, the session's timeline. Every
//! line goes through [`super::paragraph`], so whatever a log or an object holds reaches the
//! terminal made safe.

use super::{base, fg, muted, selected_line, severity_span};
use crate::time::age;
use crate::triage::timeline::Change;
use crate::ui::app::{App, LogState, Overlay};
use crate::ui::keys::{self, Bar};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// Where a view goes: over the panes, between the header (kept in sight: it says what is
/// live) and the status bar (where a copied command is repeated).
fn view_area(area: Rect) -> Rect {
    let top = 2.min(area.height);
    Rect::new(
        area.x,
        area.y + top,
        area.width,
        area.height.saturating_sub(top + 1),
    )
}

/// Lines above the scrolling part, and the scrolling part.
fn content(app: &App, overlay: &Overlay) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let theme = app.theme();
    let now = app.model().now();
    match overlay {
        Overlay::Logs(view) => {
            let mut head = Vec::new();
            head.push(Line::styled(
                match &view.instance {
                    Some(i) => format!(" {}", i.summary()),
                    None => " the pod's status says nothing of this instance".to_string(),
                },
                base(theme).add_modifier(Modifier::BOLD),
            ));
            let body = match &view.state {
                LogState::Loading => {
                    vec![Line::styled(" fetching the last 200 lines…", muted(theme))]
                }
                LogState::Problem(why) => {
                    vec![Line::styled(format!(" {why}"), fg(theme.warning))]
                }
                LogState::Lines(lines) => lines
                    .iter()
                    .map(|l| {
                        if l.error {
                            Line::styled(
                                format!(" {}", l.text),
                                fg(theme.critical).add_modifier(Modifier::BOLD),
                            )
                        } else {
                            Line::raw(format!(" {}", l.text))
                        }
                    })
                    .collect(),
            };
            head.push(Line::styled(
                " shown here only: never stored, exported or written · credentials masked",
                muted(theme),
            ));
            (head, body)
        }
        Overlay::Object { lines, .. } => (
            vec![Line::styled(
                " as shipshape holds it: pruned (no managedFields), credentials masked",
                muted(theme),
            )],
            lines.iter().map(|l| Line::raw(format!(" {l}"))).collect(),
        ),
        Overlay::Commands {
            commands, cursor, ..
        } => {
            let mut body = Vec::new();
            for (i, c) in commands.iter().enumerate() {
                body.push(Line::styled(format!(" # {}", c.what), muted(theme)));
                let mut line = Line::raw(format!(" {}", c.line));
                if i == *cursor {
                    line = selected_line(line, theme);
                }
                body.push(line);
            }
            (
                vec![Line::styled(
                    " read-only: get, describe and logs only · y copies the selected one",
                    muted(theme),
                )],
                body,
            )
        }
        Overlay::Timeline => {
            let mut body: Vec<Line<'static>> = app
                .timeline
                .transitions()
                .rev()
                .map(|t| {
                    let (sym, style) = match t.change {
                        Change::Appeared => (
                            severity_span(t.severity, theme),
                            fg(theme.severity(t.severity)),
                        ),
                        Change::Cleared => {
                            (Span::styled("✔", fg(theme.healthy)), fg(theme.healthy))
                        }
                    };
                    Line::from(vec![
                        Span::styled(
                            format!(" {} {:>5} ago  ", t.at.format("%H:%M:%S"), age(t.at, now)),
                            muted(theme),
                        ),
                        sym,
                        Span::styled(format!(" {:<9}", t.change.name()), style),
                        Span::raw(format!(
                            "{}/{}  {}  {}",
                            t.workload.namespace, t.workload.name, t.check, t.reason
                        )),
                    ])
                })
                .collect();
            if body.is_empty() {
                body.push(Line::styled(
                    " no alert appeared or cleared since the dashboard started",
                    muted(theme),
                ));
            }
            (
                vec![Line::styled(
                    format!(
                        " since the dashboard started, newest first (the last {} kept)",
                        crate::triage::timeline::CAPACITY
                    ),
                    muted(theme),
                )],
                body,
            )
        }
    }
}

fn title(app: &App, overlay: &Overlay) -> String {
    let what = match overlay {
        // In the "all clusters" view the pod's namespace is its own cluster's: say which.
        Overlay::Logs(v) => match app.log_context.as_deref().filter(|_| app.showing_all()) {
            Some(context) => format!("logs · {context}/{}", v.target.title()),
            None => format!("logs · {}", v.target.title()),
        },
        Overlay::Object { title, .. } => format!("object · {title}"),
        Overlay::Commands { title, .. } => format!("next steps · {title}"),
        Overlay::Timeline => "timeline".to_string(),
    };
    let _ = app;
    let hints: Vec<String> = keys::hints(Bar::Overlay)
        .iter()
        .filter(|h| h.key != "y" || matches!(overlay, Overlay::Commands { .. }))
        .map(|h| format!("{} {}", h.key, h.what))
        .collect();
    format!(" {what} · {} ", hints.join(" · "))
}

/// How far the open view scrolls in the app's viewport.
pub fn max_scroll(app: &App) -> u16 {
    let Some(overlay) = &app.overlay else {
        return 0;
    };
    let (head, body) = content(app, overlay);
    let h = view_area(app.viewport).height;
    // Inside the border, below the head.
    let room = h.saturating_sub(2).saturating_sub(head.len() as u16);
    (body.len() as u16).saturating_sub(room)
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(overlay) = &app.overlay else { return };
    let theme = app.theme();
    let (head, body) = content(app, overlay);
    let area = view_area(area);
    // A short list takes the room it needs; logs, objects and the timeline take it all.
    let height = match overlay {
        Overlay::Commands { .. } => ((head.len() + body.len()) as u16 + 3).min(area.height),
        Overlay::Logs(v) if !matches!(v.state, LogState::Lines(_)) => {
            ((head.len() + body.len()) as u16 + 2).min(area.height)
        }
        _ => area.height,
    };
    let inner = super::popup(frame, area, area.width, height, &title(app, overlay), theme);
    let head_h = (head.len() as u16).min(inner.height);
    let head_area = Rect::new(inner.x, inner.y, inner.width, head_h);
    frame.render_widget(super::paragraph(head).style(base(theme)), head_area);
    let body_area = Rect::new(
        inner.x,
        inner.y + head_h,
        inner.width,
        inner.height.saturating_sub(head_h),
    );
    let scroll = match overlay {
        // The command list keeps its cursor in view.
        Overlay::Commands { cursor, .. } => {
            let line = (*cursor as u16) * 2 + 1;
            line.saturating_sub(body_area.height.saturating_sub(1))
        }
        _ => app.overlay_scroll.min(max_scroll(app)),
    };
    frame.render_widget(
        super::paragraph(body)
            .style(base(theme))
            .scroll((scroll, 0)),
        body_area,
    );
}
