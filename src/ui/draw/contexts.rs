//! `c`: the kube contexts of the kubeconfig, to switch the dashboard to another cluster.

use super::{base, fg, muted, selected};
use crate::ui::app::App;
use crate::ui::keys::{self, Bar};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(cursor) = app.context_picker.as_deref() else {
        return;
    };
    let theme = app.theme();
    let visible = area.height.saturating_sub(8).max(3) as usize;
    let at = app.contexts.iter().position(|c| c == cursor).unwrap_or(0);
    let first = at.saturating_sub(visible.saturating_sub(1));
    let height = (app.contexts.len().min(visible) + 4) as u16;
    let width = app
        .contexts
        .iter()
        .map(|c| crate::text::safe(c).chars().count() + 8)
        .max()
        .unwrap_or(0)
        .clamp(46, 80) as u16;
    let mut lines = Vec::new();
    for name in app.contexts.iter().skip(first).take(visible) {
        let current = app.context.as_deref() == Some(name.as_str());
        let mark = if current { "● " } else { "  " };
        let style = if name == cursor {
            selected(theme)
        } else {
            base(theme)
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark}"), fg(theme.healthy)),
            Span::styled(name.clone(), style),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(" {} · ● watched now", keys::hint_line(Bar::Picker)),
        muted(theme),
    ));
    let inner = super::popup(frame, area, width, height, " kube contexts ", theme);
    frame.render_widget(super::paragraph(lines).style(base(theme)), inner);
}
