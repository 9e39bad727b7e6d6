//! `?`: the keys and the scoring formula.

use super::{base, fg, muted};
use crate::score::FORMULA;
use crate::ui::app::App;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Wrap;
use ratatui::Frame;

const KEYS: &[(&str, &str)] = &[
    ("↑ ↓  j k", "move the selection (scroll in findings)"),
    (
        "← →  h l",
        "move between namespaces, workloads and findings",
    ),
    ("Tab  Shift-Tab", "next / previous pane"),
    ("Enter", "drill down; on an alert, open its workload"),
    ("Esc", "back; clears the filter"),
    (
        "/",
        "filter: names, sev:critical, check:probe.*, health:failing, grade:F, kind:job, ns:shop",
    ),
    (
        "Ctrl-U  Ctrl-W",
        "in the filter: clear it, delete the last word",
    ),
    ("s", "cycle sort: worst first, name, score, kind, restarts"),
    ("a", "only workloads with runtime alerts"),
    ("w", "show passed, unknown, n/a and waived results too"),
    ("t", "cycle theme"),
    ("c", "switch kube context (when watching a cluster)"),
    (
        "e  E",
        "export what is shown as a Markdown (e) or HTML (E) report in the current directory",
    ),
    ("PgUp PgDn  g G", "page, first, last"),
    ("mouse", "click selects, wheel scrolls"),
    ("?  q  Ctrl-C", "help, quit"),
];

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let mut lines = vec![Line::styled(
        "Keys",
        fg(theme.accent).add_modifier(Modifier::BOLD),
    )];
    for (k, what) in KEYS {
        lines.push(Line::from(vec![
            Span::styled(format!("  {k:<16}"), fg(theme.accent)),
            Span::raw(what.to_string()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Scoring",
        fg(theme.accent).add_modifier(Modifier::BOLD),
    ));
    lines.push(Line::raw(FORMULA.to_string()));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Symbols: ✖ critical/failing  ▲ warning/degraded  • info  ✔ healthy/pass  ? unknown  ≈ waived  ⚙ system namespace",
        muted(theme),
    ));
    let inner = super::popup(
        frame,
        area,
        area.width.saturating_sub(6).min(100),
        area.height.saturating_sub(4).min(32),
        " shipshape help · Esc closes ",
        theme,
    );
    frame.render_widget(
        super::paragraph(lines)
            .wrap(Wrap { trim: true })
            .style(base(theme)),
        inner,
    );
}
