//! The header: source, counts, cluster grade, alert counts, root causes, alerts new in the
//! last 15 minutes, data state, last update.

use super::{base, fg, muted, severity_span};
use crate::checks::Severity;
use crate::report::{alert_counts, plural};
use crate::score::{grade_text, score_text};
use crate::ui::app::{App, DataState};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if app.showing_all() {
        return super::clusters::header(frame, area, app);
    }
    let theme = app.theme();
    let facts = &app.model().facts;
    let mut first = vec![
        Span::styled(" shipshape ", fg(theme.accent).add_modifier(Modifier::BOLD)),
        Span::styled(
            facts.source.clone(),
            base(theme).add_modifier(Modifier::BOLD),
        ),
    ];
    if let Some(v) = &facts.server_version {
        first.push(Span::styled(format!(" · Kubernetes {v}"), muted(theme)));
    }
    first.push(Span::raw("   "));
    let fleet_failure = super::clusters::failure(app);
    let (state, state_style) = match app.data_state() {
        _ if fleet_failure.is_some() => (
            format!("✖ {}", fleet_failure.unwrap_or_default()),
            fg(theme.critical),
        ),
        _ if app.model().source_problem.is_some() => (
            format!(
                "✖ {}",
                app.model().source_problem.as_deref().unwrap_or_default()
            ),
            fg(theme.critical),
        ),
        DataState::File => ("● file".to_string(), muted(theme)),
        DataState::Live => ("● live".to_string(), fg(theme.healthy)),
        DataState::Syncing { synced, total } => (
            format!("◌ syncing {synced}/{total} kinds"),
            fg(theme.warning),
        ),
        DataState::Stale { kinds } => {
            let since = app
                .last_message
                .map(|t| format!(", last event {}s ago", t.elapsed().as_secs()))
                .unwrap_or_default();
            (
                format!("◌ stale: {} retrying{since}", kinds.join(", ")),
                fg(theme.critical),
            )
        }
    };
    first.push(Span::styled(
        state,
        state_style.add_modifier(Modifier::BOLD),
    ));
    first.push(Span::styled(
        format!(" · updated {}", app.model().now().format("%H:%M:%S")),
        muted(theme),
    ));
    let forbidden: Vec<String> = app
        .model()
        .sync_states()
        .iter()
        .filter(|(_, s)| **s == crate::cluster::SyncState::Forbidden)
        .map(|(k, _)| k.to_string())
        .collect();
    if !forbidden.is_empty() {
        first.push(Span::styled(
            format!(" · forbidden: {}", forbidden.join(", ")),
            fg(theme.warning),
        ));
    }

    let g = app.grades();
    // Every namespace counts, as in `check`; the system ones are named apart.
    let system_ns = g.namespaces.values().filter(|n| n.system).count();
    let namespaces = if system_ns > 0 {
        format!(
            "{} ({system_ns} system)",
            plural(g.namespaces.len(), "namespace")
        )
    } else {
        plural(g.namespaces.len(), "namespace")
    };
    let mut second = summary(
        namespaces,
        app.model().stores.pods.len(),
        "cluster",
        g,
        area.width,
        theme,
    );
    // Said only when there is something to say: root causes, and alerts new in this session.
    if !app.causes.is_empty() {
        second.push(Span::styled(
            format!(
                " {} ",
                crate::report::plural(app.causes.len(), "root cause")
            ),
            fg(theme.accent).add_modifier(Modifier::BOLD),
        ));
    }
    let recent = app.timeline.recent(app.model().now());
    if recent > 0 {
        second.push(Span::styled(
            format!(
                " {recent} new in {}m ",
                crate::triage::timeline::RECENT_MINUTES
            ),
            fg(theme.warning).add_modifier(Modifier::BOLD),
        ));
    }
    frame.render_widget(
        super::paragraph(vec![Line::from(first), Line::from(second)]).style(base(theme)),
        area,
    );
}

/// "12 namespaces · 39 workloads · 97 pods  cluster B 86  alerts ✖ 3 critical ▲ 5 warning •
/// 1 info": what is shown, the grade of all of it under `label`, and the alerts by severity
/// (counts only on a narrow screen).
pub(super) fn summary(
    namespaces: String,
    pods: usize,
    label: &'static str,
    g: &crate::grade::Grades,
    width: u16,
    theme: &super::Theme,
) -> Vec<Span<'static>> {
    let (crit, warn, info) = alert_counts(g);
    let mut spans = vec![
        Span::styled(
            format!(
                " {} · {} · {}  ",
                namespaces,
                plural(g.workloads.len(), "workload"),
                plural(pods, "pod")
            ),
            base(theme),
        ),
        Span::styled(format!("{label} "), muted(theme)),
        Span::styled(
            format!(
                "{} {}",
                grade_text(g.cluster_grade),
                score_text(g.cluster_score)
            ),
            fg(theme.grade(g.cluster_grade)).add_modifier(Modifier::BOLD),
        ),
        Span::styled("  alerts ", muted(theme)),
    ];
    for (sev, n) in [
        (Severity::Critical, crit),
        (Severity::Warning, warn),
        (Severity::Info, info),
    ] {
        spans.push(severity_span(sev, theme));
        let style = if n > 0 {
            fg(theme.severity(sev))
        } else {
            muted(theme)
        };
        let text = if width < 110 {
            format!("{n} ")
        } else {
            format!(" {n} {}  ", sev.name())
        };
        spans.push(Span::styled(text, style));
    }
    spans
}
