//! `?`: the keys (from the key table) and the scoring formula.

use super::{base, fg, muted};
use crate::score::FORMULA;
use crate::ui::app::App;
use crate::ui::keys::{self, Bar};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Wrap;
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let mut lines = vec![Line::styled(
        "Keys",
        fg(theme.accent).add_modifier(Modifier::BOLD),
    )];
    for row in keys::help_rows() {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<16}", row.keys), fg(theme.accent)),
            Span::raw(row.text()),
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
        area.height.saturating_sub(4).min(40),
        &format!(" shipshape help · {} ", keys::hint_line(Bar::HelpTitle)),
        theme,
    );
    frame.render_widget(
        super::paragraph(lines)
            .wrap(Wrap { trim: true })
            .style(base(theme)),
        inner,
    );
}
