//! The status bar: the keys that work in the focused pane, or the filter being typed.

use super::{fg, muted};
use crate::ui::app::{App, Pane};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let line = if let Some(input) = &app.filter_input {
        let mut spans = vec![
            Span::styled(" / ", fg(theme.accent).add_modifier(Modifier::BOLD)),
            Span::raw(format!("{input}▏")),
        ];
        // What is wrong with the filter (after Enter) takes the place of the hint.
        match &app.note {
            Some(problem) => spans.push(Span::styled(
                format!("   {problem} · Esc cancel"),
                fg(theme.warning).add_modifier(Modifier::BOLD),
            )),
            None => spans.push(Span::styled(
                "   Enter apply · Esc cancel · terms: sev:critical check:probe.* health:failing grade:F kind:job ns:shop",
                muted(theme),
            )),
        }
        Line::from(spans)
    } else {
        let keys: &[(&str, &str)] = match app.focus {
            Pane::Namespaces => &[
                ("↑↓", "namespace"),
                ("Enter", "workloads"),
                ("Tab", "next pane"),
            ],
            Pane::Workloads => &[
                ("↑↓", "select"),
                ("Enter", "findings"),
                ("s", "sort"),
                ("a", "alerts only"),
                ("/", "filter"),
            ],
            Pane::Findings => &[("↑↓", "scroll"), ("w", "all results"), ("Esc", "back")],
            Pane::Alerts => &[
                ("↑↓", "select"),
                ("Enter", "open workload"),
                ("Esc", "back"),
            ],
        };
        // Watching a cluster, switching context matters more than the theme.
        let fourth = if app.mode == crate::ui::app::SourceMode::Live {
            ("c", "context")
        } else {
            ("t", "theme")
        };
        let common = [
            ("Tab", "pane"),
            ("e", "export"),
            fourth,
            ("?", "help"),
            ("q", "quit"),
        ];
        let mut spans = vec![Span::raw(" ")];
        // What a key just did reads first, so a narrow screen never cuts it off.
        if let Some(note) = &app.note {
            spans.push(Span::styled(format!("{note} │ "), fg(theme.info)));
        }
        // Help and quit always fit: on a narrow terminal the pane keys come second.
        let narrow = area.width < 110;
        let ordered: Vec<&(&str, &str)> = if narrow {
            common.iter().rev().chain(keys.iter()).collect()
        } else {
            keys.iter().chain(common.iter()).collect()
        };
        for (k, what) in ordered {
            spans.push(Span::styled(
                k.to_string(),
                fg(theme.accent).add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::styled(format!(" {what}  "), muted(theme)));
        }
        Line::from(spans)
    };
    frame.render_widget(super::paragraph(vec![line]), area);
}
