//! Drawing: a pure function of [`App`]. No I/O, no state changes.

mod alerts;
mod contexts;
mod findings;
mod header;
mod help;
mod namespaces;
mod status;
mod workloads;

use super::app::{App, Pane};
use super::layout::{layout, MIN_HEIGHT, MIN_WIDTH};
use super::theme::Theme;
use crate::checks::Severity;
use crate::score::Health;
use ratatui::layout::Alignment;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use ratatui::Frame;

pub(crate) use crate::report::clip;
pub use findings::findings_lines;

/// Draws the whole dashboard.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = app.theme();
    frame.render_widget(Block::default().style(base(theme)), area);
    let areas = layout(area);
    if areas.too_small {
        let note = format!(
            "terminal too small: shipshape needs {MIN_WIDTH}×{MIN_HEIGHT}, this one is {}×{}",
            area.width, area.height
        );
        let y = area.height / 2;
        let line = ratatui::layout::Rect::new(area.x, area.y + y, area.width, 1.min(area.height));
        frame.render_widget(
            Paragraph::new(note)
                .alignment(Alignment::Center)
                .style(base(theme)),
            line,
        );
        return;
    }
    header::draw(frame, areas.header, app);
    namespaces::draw(frame, areas.namespaces, app);
    workloads::draw(frame, areas.workloads, app);
    findings::draw(frame, areas.findings, app);
    alerts::draw(frame, areas.alerts, app);
    status::draw(frame, areas.status, app);
    if app.help {
        help::draw(frame, area, app);
    }
    contexts::draw(frame, area, app);
}

pub(crate) fn fg(c: Option<Color>) -> Style {
    match c {
        Some(c) => Style::new().fg(c),
        None => Style::new(),
    }
}

pub(crate) fn base(theme: &Theme) -> Style {
    let mut s = fg(theme.text);
    if let Some(bg) = theme.background {
        s = s.bg(bg);
    }
    s
}

pub(crate) fn muted(theme: &Theme) -> Style {
    match theme.muted {
        Some(c) => Style::new().fg(c),
        None => Style::new().add_modifier(Modifier::DIM),
    }
}

pub(crate) fn selected(theme: &Theme) -> Style {
    let mut s = Style::new().add_modifier(Modifier::BOLD);
    if let Some(bg) = theme.selection_bg {
        s = s.bg(bg);
    } else {
        s = s.add_modifier(Modifier::REVERSED);
    }
    if let Some(fgc) = theme.selection_fg {
        s = s.fg(fgc);
    }
    s
}

/// A pane's frame: bold accent border when focused.
pub(crate) fn pane_block<'a>(
    title: impl Into<ratatui::text::Line<'a>>,
    focused: bool,
    theme: &Theme,
) -> Block<'a> {
    let border = if focused {
        fg(theme.border_focused).add_modifier(Modifier::BOLD)
    } else {
        fg(theme.border)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(border)
        .title(title)
        .style(base(theme))
}

pub(crate) fn is_focused(app: &App, pane: Pane) -> bool {
    app.focus == pane && !app.help
}

/// Severity as a symbol, so it never relies on colour alone.
pub fn severity_symbol(s: Severity) -> &'static str {
    crate::report::table::severity_symbol(s)
}

pub(crate) fn severity_span(s: Severity, theme: &Theme) -> Span<'static> {
    Span::styled(
        severity_symbol(s),
        fg(theme.severity(s)).add_modifier(Modifier::BOLD),
    )
}

pub fn health_symbol(h: Health) -> &'static str {
    crate::report::table::health_symbol(h)
}

pub(crate) fn health_span(h: Health, theme: &Theme) -> Span<'static> {
    let mut style = fg(theme.health(h));
    if h == Health::Failing {
        style = style.add_modifier(Modifier::BOLD);
    }
    Span::styled(format!("{} {}", health_symbol(h), h.name()), style)
}
