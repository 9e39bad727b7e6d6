//! The status bar: the keys that work in the focused pane, or the filter being typed; both
//! from the key table.

use super::{fg, muted};
use crate::ui::app::{App, SourceMode};
use crate::ui::filter;
use crate::ui::keys::{self, Bar, Hint};
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
                format!("   {problem} · {}", keys::hint_line(Bar::FilterProblem)),
                fg(theme.warning).add_modifier(Modifier::BOLD),
            )),
            None => spans.push(Span::styled(
                format!(
                    "   {} · terms: {}",
                    keys::hint_line(Bar::FilterBox),
                    filter::examples(" ")
                ),
                muted(theme),
            )),
        }
        Line::from(spans)
    } else {
        let pane_keys = keys::hints(Bar::Pane(app.focus));
        let mut common = keys::hints(Bar::Every);
        common.extend(keys::hints(if app.mode == SourceMode::Live {
            Bar::Live
        } else {
            Bar::NotLive
        }));
        common.sort_by_key(|h| h.rank);
        // A key the pane explains its own way is not explained again among the common ones.
        common.retain(|c| !pane_keys.iter().any(|p| p.key == c.key));
        let mut spans = vec![Span::raw(" ")];
        // What a key just did reads first, so a narrow screen never cuts it off.
        if let Some(note) = &app.note {
            spans.push(Span::styled(format!("{note} │ "), fg(theme.info)));
        }
        // Help and quit always fit: on a narrow terminal the pane keys come second.
        let narrow = area.width < 110;
        let ordered: Vec<&Hint> = if narrow {
            common
                .iter()
                .rev()
                .chain(pane_keys.iter())
                .copied()
                .collect()
        } else {
            pane_keys.iter().chain(common.iter()).copied().collect()
        };
        for Hint { key, what, .. } in ordered {
            spans.push(Span::styled(
                key.to_string(),
                fg(theme.accent).add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::styled(format!(" {what}  "), muted(theme)));
        }
        Line::from(spans)
    };
    frame.render_widget(super::paragraph(vec![line]), area);
}
