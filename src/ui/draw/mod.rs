//! Drawing: a pure function of [`App`]. No I/O, no state changes.
//!
//! Names, messages, events, file names and error bodies come from a cluster or a file. Every
//! pane renders its text through [`paragraph`] and titles through [`pane_block`], which pass
//! each span through [`crate::text::safe`], so no control character, C1 control or bidi
//! override reaches the terminal however a pane built its lines. Panes that clip text to a
//! column make it safe before clipping too, so the escapes are what gets measured.

mod alerts;
mod cluster_findings;
mod clusters;
mod contexts;
mod findings;
mod header;
mod help;
mod namespaces;
mod overlay;
mod status;
mod workloads;
mod wrap;

use super::app::{App, Pane};
use super::layout::{layout_fleet, MIN_HEIGHT, MIN_WIDTH};
use super::theme::Theme;
use crate::checks::Severity;
use crate::score::Health;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use ratatui::Frame;

pub(crate) use crate::report::clip;
pub use cluster_findings::{cluster_finding_rows, cluster_lines};
pub use findings::findings_lines;

/// How far the findings pane in `area` scrolls (see [`App::findings_max_scroll`]).
pub fn findings_max_scroll(app: &App, area: Rect) -> u16 {
    findings::max_scroll(app, area)
}

/// How far the open full-screen view scrolls (see [`App::overlay_max_scroll`]).
pub fn overlay_max_scroll(app: &App) -> u16 {
    overlay::max_scroll(app)
}

/// `line` with every span through [`crate::text::safe`]; spans that need nothing stay as
/// they are.
pub(crate) fn safe_line(mut line: Line<'_>) -> Line<'_> {
    for span in &mut line.spans {
        let escaped = match crate::text::safe(&span.content) {
            std::borrow::Cow::Owned(s) => Some(s),
            std::borrow::Cow::Borrowed(_) => None,
        };
        if let Some(s) = escaped {
            span.content = s.into();
        }
    }
    line
}

/// A pane's text, safe to draw: the one way panes put lines on screen.
pub(crate) fn paragraph<'a>(lines: Vec<Line<'a>>) -> Paragraph<'a> {
    Paragraph::new(lines.into_iter().map(safe_line).collect::<Vec<_>>())
}

/// Draws the whole dashboard.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = app.theme();
    frame.render_widget(Block::default().style(base(theme)), area);
    let areas = layout_fleet(area, app.cluster_pane_rows());
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
    clusters::draw(frame, areas.clusters, app);
    namespaces::draw(frame, areas.namespaces, app);
    workloads::draw(frame, areas.workloads, app);
    findings::draw(frame, areas.findings, app);
    alerts::draw(frame, areas.alerts, app);
    status::draw(frame, areas.status, app);
    overlay::draw(frame, area, app);
    if app.help {
        help::draw(frame, area, app);
    }
    contexts::draw(frame, area, app);
}

/// One frame drawn off-terminal at the app's viewport size, for screenshots and tests.
pub fn to_buffer(app: &App) -> ratatui::buffer::Buffer {
    let size = app.viewport;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(size.width, size.height))
            .expect("a test backend cannot fail");
    terminal
        .draw(|f| draw(f, app))
        .expect("a test backend cannot fail");
    terminal.backend().buffer().clone()
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

/// A row on the selection bar. A colour of the row that would not stay readable on the bar
/// (below 3:1, WCAG's floor for bold text) takes the bar's own text colour instead; the
/// symbols still carry severity and health.
pub(crate) fn selected_line<'a>(line: Line<'a>, theme: &Theme) -> Line<'a> {
    let mut line = line.style(selected(theme));
    if let (Some(bar), Some(text)) = (theme.selection_bg, theme.selection_fg) {
        for span in &mut line.spans {
            if span.style.fg.is_some_and(|c| contrast(c, bar) < 3.0) {
                span.style.fg = Some(text);
            }
        }
    }
    line
}

/// WCAG contrast ratio of two colours (1 to 21); colours that are not RGB count as readable.
fn contrast(a: Color, b: Color) -> f64 {
    fn luminance(c: Color) -> Option<f64> {
        let Color::Rgb(r, g, b) = c else { return None };
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        Some(0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b))
    }
    match (luminance(a), luminance(b)) {
        (Some(x), Some(y)) => (x.max(y) + 0.05) / (x.min(y) + 0.05),
        _ => 21.0,
    }
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
        .title(safe_line(title.into()))
        .style(base(theme))
}

pub(crate) fn is_focused(app: &App, pane: Pane) -> bool {
    app.focus == pane && !app.help && app.overlay.is_none()
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

/// A centred overlay of at most `width`×`height` cells, cleared, with a double border and
/// `title`; returns the area inside the border.
pub(crate) fn popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    use ratatui::layout::{Constraint, Flex, Layout};
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(fg(theme.border_focused))
        .title(Span::styled(
            // Titles name pods, workloads and contexts: untrusted text.
            crate::text::safe(title).into_owned(),
            fg(theme.accent).add_modifier(Modifier::BOLD),
        ))
        .style(base(theme));
    let inner = block.inner(popup);
    frame.render_widget(ratatui::widgets::Clear, popup);
    frame.render_widget(block, popup);
    inner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        let black = Color::Rgb(0, 0, 0);
        let white = Color::Rgb(255, 255, 255);
        assert!((contrast(black, white) - 21.0).abs() < 0.01);
        assert!((contrast(white, white) - 1.0).abs() < 0.01);
        assert_eq!(contrast(Color::Red, white), 21.0);
    }

    #[test]
    fn the_selection_keeps_readable_colours_and_replaces_the_rest() {
        let hc = Theme::builtin("high-contrast").unwrap();
        let line = Line::from(vec![
            Span::styled("Deployment", fg(hc.muted)),
            Span::styled("✖ failing", fg(hc.failing)),
        ]);
        // Grey and magenta on the yellow bar are unreadable: both turn black.
        for span in selected_line(line.clone(), &hc).spans {
            assert_eq!(span.style.fg, hc.selection_fg, "{}", span.content);
        }
        // On the dark theme's bar every colour stays.
        let dark = Theme::builtin("dark").unwrap();
        let line = Line::from(vec![
            Span::styled("Deployment", fg(dark.muted)),
            Span::styled("✖ failing", fg(dark.failing)),
        ]);
        let spans = selected_line(line, &dark).spans;
        assert_eq!(spans[0].style.fg, dark.muted);
        assert_eq!(spans[1].style.fg, dark.failing);
    }
}
