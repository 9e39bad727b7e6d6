//! The workloads pane: kind, name, ready/desired, grade, score, health and the worst finding.

use super::{clip, fg, health_span, is_focused, muted, pane_block, selected_line, severity_span};
use crate::report::table::findings_summary;
use crate::score::{grade_text, score_text, Health};
use crate::text::safe;
use crate::ui::app::{App, Pane};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// Kinds in six letters or fewer, for narrow terminals.
fn short_kind(kind: &str) -> &str {
    match kind {
        "Deployment" => "Deploy",
        "StatefulSet" => "STS",
        "DaemonSet" => "DS",
        "CronJob" => "CronJb",
        "ReplicaSet" => "RS",
        other => other,
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let focused = is_focused(app, Pane::Workloads);
    let width = area.width.saturating_sub(2) as usize;
    // Narrow terminals get short kinds and a symbol-only health column.
    let narrow = width < 100;
    let (kind_w, ready_w, grade_w, score_w, health_w) = if narrow {
        (7, 6, 3, 6, 2)
    } else {
        (12, 8, 3, 6, 12)
    };
    // "All clusters": each row names its cluster, in a column where there is room, else as a
    // `cluster/` prefix of the name.
    let cluster_of = |key| super::clusters::cluster_of(app, key).map(|c| safe(c).into_owned());
    let cluster_w = if narrow || !app.showing_all() {
        0
    } else {
        super::clusters::cluster_column(app)
    };
    let kind_w = kind_w + cluster_w;
    let name_w =
        (width.saturating_sub(kind_w + ready_w + grade_w + score_w + health_w) / 2).clamp(12, 32);
    let finding_w =
        width.saturating_sub(kind_w + name_w + ready_w + grade_w + score_w + health_w + 2);
    let mut lines =
        vec![Line::styled(
            format!(
            "{:<cluster_w$}{:<w$}{:<name_w$}{:<ready_w$}{:<grade_w$}{:<score_w$}{:<health_w$}WORST FINDING",
            if cluster_w > 0 { "CLUSTER" } else { "" },
            "KIND", "NAME", "READY", "GR", "SCORE", if narrow { "H" } else { "HEALTH" },
            w = kind_w - cluster_w,
        ),
            muted(theme).add_modifier(Modifier::BOLD),
        )];
    for key in app
        .rows
        .iter()
        .skip(app.workloads_offset)
        .take(area.height.saturating_sub(3) as usize)
    {
        let Some(w) = app.report(key) else { continue };
        let ready = match (w.health, w.desired) {
            (Health::Unknown, Some(d)) => format!("?/{d}"),
            (Health::Unknown, None) => "?".into(),
            (_, Some(d)) => format!("{}/{d}", w.ready),
            (_, None) => w.ready.to_string(),
        };
        let cluster = cluster_of(key);
        let name = match &cluster {
            Some(c) if cluster_w == 0 => {
                super::clusters::fit_prefixed(c, &safe(&w.key.name), name_w - 1)
            }
            _ => safe(&w.key.name).into_owned(),
        };
        let mut spans = vec![
            Span::styled(
                format!(
                    "{:<cluster_w$}",
                    clip(
                        cluster.as_deref().unwrap_or_default(),
                        cluster_w.saturating_sub(1)
                    )
                ),
                fg(theme.text),
            ),
            Span::styled(
                format!(
                    "{:<w$}",
                    clip(
                        &safe(if narrow {
                            short_kind(w.key.kind.name())
                        } else {
                            w.key.kind.name()
                        }),
                        kind_w - cluster_w - 1
                    ),
                    w = kind_w - cluster_w,
                ),
                muted(theme),
            ),
            Span::raw(format!("{:<name_w$}", clip(&name, name_w - 1))),
            Span::raw(format!("{ready:<ready_w$}")),
            Span::styled(
                format!("{:<grade_w$}", grade_text(w.grade)),
                fg(theme.grade(w.grade)).add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!("{:<score_w$}", score_text(w.score))),
        ];
        let mut h = health_span(w.health, theme);
        if narrow {
            h.content = super::health_symbol(w.health).into();
        }
        let pad = health_w.saturating_sub(h.content.chars().count());
        spans.push(h);
        spans.push(Span::raw(" ".repeat(pad)));
        match findings_summary(w, 1).first() {
            Some((sev, text)) => {
                spans.push(severity_span(*sev, theme));
                spans.push(Span::styled(
                    format!(" {}", clip(&safe(text), finding_w.saturating_sub(1))),
                    fg(theme.severity(*sev)),
                ));
            }
            None => spans.push(Span::styled("no failing checks", muted(theme))),
        }
        // Pad to the pane's width so the selection bar is one even band.
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
        let mut line = Line::from(spans);
        if app.selected.as_ref() == Some(key) {
            line = selected_line(line, theme);
        }
        lines.push(line);
    }
    if app.rows.is_empty() {
        lines.push(match super::clusters::unread(app) {
            Some(note) => Line::styled(format!("  {note}"), fg(theme.critical)),
            None => Line::styled(
                if app.filter.is_empty() && !app.alerts_only {
                    "  no workloads"
                } else {
                    "  nothing matches the filter (Esc clears it)"
                },
                muted(theme),
            ),
        });
    }
    let scope = app.namespace.as_deref().unwrap_or("all namespaces");
    let visible = area.height.saturating_sub(3) as usize;
    // Whenever rows are out of sight, say which are shown.
    let shown = if app.rows.len() > visible || app.workloads_offset > 0 {
        format!(
            "rows {}–{} of {}",
            app.workloads_offset + 1,
            (app.workloads_offset + visible).min(app.rows.len()),
            app.rows.len()
        )
    } else {
        format!("{} of {}", app.rows.len(), app.grades().workloads.len())
    };
    let mut title = vec![
        Span::styled(" Workloads ", fg(theme.accent).add_modifier(Modifier::BOLD)),
        Span::styled(
            format!("· {scope} · {shown} · {} ", app.sort.name()),
            muted(theme),
        ),
    ];
    if !app.filter.is_empty() {
        title.push(Span::styled(
            format!("· filter: {} ", app.filter.text),
            fg(theme.accent),
        ));
    }
    if app.alerts_only {
        title.push(Span::styled("· alerts only ", fg(theme.warning)));
    }
    frame.render_widget(
        super::paragraph(lines).block(pane_block(Line::from(title), focused, theme)),
        area,
    );
}
