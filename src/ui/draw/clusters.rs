//! The Clusters pane (several contexts only): first "all clusters" (every readable cluster
//! together), then each cluster's context, server version, grade, score, health, alert counts
//! and data state. A cluster that cannot be reached or read is a red row that says why; the
//! selected row is what everything below shows. With "all clusters" selected the header
//! sums the fleet up ([`header`]).

use super::Theme;
use super::{base, clip, fg, health_span, is_focused, muted, pane_block, selected_line};
use crate::report::plural;
use crate::score::{grade_text, score_text};
use crate::text::safe;
use crate::ui::app::{App, Pane};
use crate::ui::fleet::{ClusterRow, RowState};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// Column widths after the context's.
#[derive(Clone, Copy)]
struct Widths {
    version: usize,
    grade: usize,
    score: usize,
    health: usize,
    workloads: usize,
    alerts: usize,
}

impl Widths {
    /// Below 120 columns the health is its symbol and the headings are short, so a red row
    /// keeps room to say why.
    fn for_width(width: usize) -> Widths {
        if width < 118 {
            Widths {
                version: 9,
                grade: 3,
                score: 6,
                health: 2,
                workloads: 6,
                alerts: 10,
            }
        } else {
            Widths {
                version: 10,
                grade: 3,
                score: 6,
                health: 12,
                workloads: 10,
                alerts: 14,
            }
        }
    }

    fn narrow(self) -> bool {
        self.health < 12
    }

    /// From the grade to the alerts: what a red row leaves blank.
    fn graded(self) -> usize {
        self.grade + self.score + self.health + self.workloads + self.alerts
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if area.height == 0 {
        return;
    }
    let theme = app.theme();
    let focused = is_focused(app, Pane::Clusters);
    let width = area.width.saturating_sub(2) as usize;
    let rows = app.cluster_rows();
    let all = ClusterRow::all(&rows);
    let cursor = app.fleet.as_ref().map_or(0, |f| f.cursor());
    let offset = app.fleet.as_ref().map_or(0, |f| f.offset);
    // A long context (an EKS ARN) is clipped rather than pushing the grades off a narrow
    // screen: at 100 columns the state keeps about 30 columns.
    let most = if width >= 150 { 40 } else { 24 };
    let context_w = rows
        .iter()
        .map(|r| safe(&r.context).chars().count() + 1)
        .max()
        .unwrap_or(0)
        .clamp(all.context.len() + 2, most);
    let w = Widths::for_width(width);
    let state_w = width.saturating_sub(context_w + w.version + w.graded());
    let (health, workloads, alerts) = if w.narrow() {
        ("H", "WL", "C/W/I")
    } else {
        ("HEALTH", "WORKLOADS", "ALERTS C/W/I")
    };
    let mut lines = vec![Line::styled(
        format!(
            "{:<context_w$}{:<vw$}{:<gw$}{:<sw$}{:<hw$}{:>ww$}  {:<aw$}STATE",
            "CONTEXT",
            "VERSION",
            "GR",
            "SCORE",
            health,
            workloads,
            alerts,
            vw = w.version,
            gw = w.grade,
            sw = w.score,
            hw = w.health,
            ww = w.workloads - 2,
            aw = w.alerts,
        ),
        muted(theme).add_modifier(Modifier::BOLD),
    )];
    let failed = rows.iter().filter(|r| r.failed()).count();
    let all_state = all_state(&rows, failed);
    let pane_rows = std::iter::once((&all, Some(all_state))).chain(rows.iter().map(|r| (r, None)));
    let visible = area.height.saturating_sub(3) as usize;
    for (i, (row, state)) in pane_rows.enumerate().skip(offset).take(visible) {
        let mut line = Line::from(row_spans(row, state, context_w, w, state_w, theme));
        if i == cursor {
            line = selected_line(line, theme);
        }
        lines.push(line);
    }
    let mut title = vec![Span::styled(
        " Clusters ",
        fg(theme.accent).add_modifier(Modifier::BOLD),
    )];
    let mut counts = if failed > 0 {
        format!("· {failed} of {} cannot be read ", rows.len())
    } else {
        format!("· {} ", rows.len())
    };
    let total = rows.len() + 1;
    if total > visible || offset > 0 {
        counts.push_str(&format!(
            "· rows {}–{} of {} ",
            offset + 1,
            (offset + visible).min(total),
            total
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

/// The cluster a row of the "all clusters" view belongs to; `None` in one cluster's view.
pub fn cluster_of<'a>(app: &App, key: &'a crate::cluster::WorkloadKey) -> Option<&'a str> {
    if !app.showing_all() {
        return None;
    }
    let (context, _) = key.namespace.rsplit_once('/')?;
    Some(context)
}

/// A `context/rest` name of the "all clusters" view within `width`: when both do not fit, the
/// context gives way first (to a third of the width, the same cut on every row, so rows of one
/// cluster read alike), so the namespace or workload after it stays readable. Both parts come
/// escaped ([`safe`]).
pub fn fit_prefixed(context: &str, rest: &str, width: usize) -> String {
    let (c, r) = (context.chars().count(), rest.chars().count());
    if c + 1 + r <= width {
        return format!("{context}/{rest}");
    }
    format!("{}/{rest}", clip(context, (width / 3).max(4)))
}

/// In a fleet, when the cluster shown could not be read: what its empty panes say instead of
/// "no workloads" or "no runtime alerts" (the header says why).
pub fn unread(app: &App) -> Option<&'static str> {
    failure(app).map(|_| "✖ nothing read from this cluster: the header says why")
}

/// In a fleet, why the cluster shown could not be read (its red row's reason): the header
/// says it rather than "live" over a cluster that forbids every list.
pub fn failure(app: &App) -> Option<String> {
    if app.fleet.is_none() || app.showing_all() {
        return None;
    }
    match crate::ui::fleet::row_state(app.model()) {
        RowState::Failed(why) => Some(why),
        _ => None,
    }
}

/// The width of a CLUSTER column: the longest context, within reason.
pub fn cluster_column(app: &App) -> usize {
    app.fleet
        .iter()
        .flat_map(|f| &f.members)
        .map(|m| safe(&m.context).chars().count() + 1)
        .max()
        .unwrap_or(0)
        .clamp(8, 20)
}

/// What the "all clusters" row says in its state column: how many clusters it holds.
fn all_state(rows: &[ClusterRow], failed: usize) -> (String, Style) {
    let read = rows.len() - failed;
    let syncing = rows
        .iter()
        .filter(|r| matches!(r.state, RowState::Syncing { .. }))
        .count();
    let mut text = format!("Σ {read} of {} clusters", rows.len());
    if syncing > 0 {
        text.push_str(&format!(" · {syncing} syncing"));
    }
    if failed > 0 {
        text.push_str(&format!(" · {failed} cannot be read"));
    }
    (text, Style::default())
}

fn row_spans<'a>(
    row: &ClusterRow,
    all_state: Option<(String, Style)>,
    context_w: usize,
    w: Widths,
    state_w: usize,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let context = format!("{:<context_w$}", clip(&safe(&row.context), context_w - 1));
    let version = row.server_version.as_deref().unwrap_or("");
    let mut spans = vec![Span::styled(
        context,
        fg(theme.text).add_modifier(Modifier::BOLD),
    )];
    spans.push(Span::styled(
        format!(
            "{:<vw$}",
            clip(&safe(version), w.version - 1),
            vw = w.version
        ),
        muted(theme),
    ));
    let (state, state_style) = match (&row.state, all_state) {
        (_, Some((text, _))) => (text, muted(theme)),
        (RowState::Failed(why), None) => (format!("✖ {why}"), fg(theme.critical)),
        (RowState::Syncing { synced, total }, None) => (
            format!("◌ syncing {synced}/{total} kinds"),
            fg(theme.warning),
        ),
        (RowState::Stale(n), None) => (format!("◌ stale: {n} kinds, retrying"), fg(theme.critical)),
        (RowState::Live { forbidden: 0 }, None) => ("● live".to_string(), fg(theme.healthy)),
        (RowState::Live { forbidden }, None) => (
            format!("● live · {forbidden} kinds forbidden"),
            fg(theme.warning),
        ),
    };
    if row.failed() {
        // Nothing was read: no grade to show, only why.
        spans.push(Span::raw(" ".repeat(w.graded())));
    } else {
        spans.push(Span::styled(
            format!(
                "{:<gw$}{:<sw$}",
                grade_text(row.grade),
                score_text(row.score),
                gw = w.grade,
                sw = w.score,
            ),
            fg(theme.grade(row.grade)).add_modifier(Modifier::BOLD),
        ));
        let mut health = health_span(row.health, theme);
        if w.narrow() {
            health.content = super::health_symbol(row.health).into();
        }
        let pad = w.health.saturating_sub(health.content.chars().count());
        spans.push(health);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(
            format!("{:>ww$}  ", row.workloads, ww = w.workloads - 2),
            muted(theme),
        ));
        let [c, warn, i] = row.alerts;
        spans.push(Span::styled(
            format!("{:<aw$}", format!("{c}/{warn}/{i}"), aw = w.alerts),
            if c > 0 {
                fg(theme.critical)
            } else if warn > 0 {
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
    spans
}

/// The header while "all clusters" is selected: the fleet summed up over the clusters that
/// could be read (namespaces, workloads, pods, alerts), the fleet's grade as `check` gives
/// it, and which clusters cannot be read.
pub fn header(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let rows = app.cluster_rows();
    let unread: Vec<String> = rows
        .iter()
        .filter(|r| r.failed())
        .map(|r| safe(&r.context).into_owned())
        .collect();
    let mut first = vec![
        Span::styled(" shipshape ", fg(theme.accent).add_modifier(Modifier::BOLD)),
        Span::styled(
            format!(
                "all clusters · {} of {} read",
                rows.len() - unread.len(),
                rows.len()
            ),
            base(theme).add_modifier(Modifier::BOLD),
        ),
        Span::raw("   "),
    ];
    if unread.is_empty() {
        first.push(Span::styled(
            "● every cluster read",
            fg(theme.healthy).add_modifier(Modifier::BOLD),
        ));
    } else {
        first.push(Span::styled(
            format!("✖ cannot be read: {}", unread.join(", ")),
            fg(theme.critical).add_modifier(Modifier::BOLD),
        ));
    }
    first.push(Span::styled(
        format!(" · updated {}", app.model().now().format("%H:%M:%S")),
        muted(theme),
    ));
    let g = app.grades();
    let pods: usize = app
        .fleet_engines()
        .filter(|(_, e)| !matches!(crate::ui::fleet::row_state(e.model()), RowState::Failed(_)))
        .map(|(_, e)| e.model().stores.pods.len())
        .sum();
    let second = super::header::summary(
        plural(g.namespaces.len(), "namespace"),
        pods,
        "fleet",
        g,
        area.width,
        theme,
    );
    frame.render_widget(
        super::paragraph(vec![Line::from(first), Line::from(second)]).style(base(theme)),
        area,
    );
}
