//! Where each pane goes: a pure function of the terminal size, shared by drawing and by
//! mouse hit-testing so the two always agree.

use ratatui::layout::{Constraint, Layout, Rect};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The four panes, in Tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Namespaces,
    Workloads,
    Findings,
    Alerts,
}

impl Pane {
    pub const ORDER: [Pane; 4] = [
        Pane::Namespaces,
        Pane::Workloads,
        Pane::Findings,
        Pane::Alerts,
    ];

    pub fn next(self, step: isize) -> Pane {
        let i = Pane::ORDER.iter().position(|p| *p == self).unwrap_or(0) as isize;
        Pane::ORDER[(i + step).rem_euclid(4) as usize]
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub namespaces: Rect,
    pub workloads: Rect,
    pub findings: Rect,
    pub alerts: Rect,
    pub status: Rect,
    /// Below 80×24 only a note is drawn.
    pub too_small: bool,
}

impl Areas {
    /// Workload rows that fit (borders and the column header excluded).
    pub fn workload_rows(&self) -> usize {
        self.workloads.height.saturating_sub(3) as usize
    }

    pub fn namespace_rows(&self) -> usize {
        self.namespaces.height.saturating_sub(2) as usize
    }

    pub fn alert_rows(&self) -> usize {
        self.alerts.height.saturating_sub(2) as usize
    }
}

pub fn layout(area: Rect) -> Areas {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Areas {
            too_small: true,
            ..Areas::default()
        };
    }
    let alerts_height = if area.height >= 40 { 8 } else { 5 };
    let [header, body, alerts, status] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(10),
        Constraint::Length(alerts_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let ns_width = if area.width >= 150 {
        36
    } else if area.width >= 120 {
        30
    } else {
        22
    };
    let [namespaces, right] =
        Layout::horizontal([Constraint::Length(ns_width), Constraint::Min(40)]).areas(body);
    let [workloads, findings] =
        Layout::vertical([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(right);
    Areas {
        header,
        namespaces,
        workloads,
        findings,
        alerts,
        status,
        too_small: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen_without_overlap() {
        for (w, h) in [(80, 24), (160, 48), (200, 60)] {
            let a = layout(Rect::new(0, 0, w, h));
            assert!(!a.too_small);
            let panes = [
                a.header,
                a.namespaces,
                a.workloads,
                a.findings,
                a.alerts,
                a.status,
            ];
            let total: u32 = panes.iter().map(|r| r.area()).sum();
            assert_eq!(total, u32::from(w) * u32::from(h), "{w}x{h}");
            for (i, p) in panes.iter().enumerate() {
                for q in &panes[i + 1..] {
                    assert!(!p.intersects(*q), "{p:?} overlaps {q:?}");
                }
            }
            assert!(a.workload_rows() >= 4, "{w}x{h}: {}", a.workload_rows());
        }
        assert!(layout(Rect::new(0, 0, 79, 24)).too_small);
        assert!(layout(Rect::new(0, 0, 80, 23)).too_small);
    }
}
