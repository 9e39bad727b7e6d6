//! Where each pane goes: a pure function of the terminal size, shared by drawing and by
//! mouse hit-testing so the two always agree.

use ratatui::layout::{Constraint, Layout, Rect};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The four panes, in Tab order, and the Clusters pane, which only a fleet (several
/// contexts) has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Clusters,
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

    /// With several clusters, the Clusters pane comes first.
    pub const FLEET_ORDER: [Pane; 5] = [
        Pane::Clusters,
        Pane::Namespaces,
        Pane::Workloads,
        Pane::Findings,
        Pane::Alerts,
    ];

    pub fn next(self, step: isize) -> Pane {
        Pane::next_in(&Pane::ORDER, self, step)
    }

    pub fn next_in(order: &[Pane], from: Pane, step: isize) -> Pane {
        let i = order.iter().position(|p| *p == from).unwrap_or(0) as isize;
        order[(i + step).rem_euclid(order.len() as isize) as usize]
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    /// Empty unless there are several clusters.
    pub clusters: Rect,
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

    /// Cluster rows that fit (borders and the column header excluded).
    pub fn cluster_rows(&self) -> usize {
        self.clusters.height.saturating_sub(3) as usize
    }
}

/// The panes of one cluster's dashboard.
pub fn layout(area: Rect) -> Areas {
    layout_fleet(area, 0)
}

/// The panes with a Clusters pane of `clusters` rows across the top of the body, above
/// Namespaces (none for fewer than two clusters, so one cluster's screen is unchanged). It
/// takes at most a quarter of the screen; more clusters scroll.
pub fn layout_fleet(area: Rect, clusters: usize) -> Areas {
    let mut areas = layout_one(area);
    if clusters < 2 || areas.too_small {
        return areas;
    }
    let body = areas
        .namespaces
        .union(areas.workloads)
        .union(areas.findings);
    let height = (clusters as u16 + 3).min((area.height / 4).max(5));
    let [top, rest] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(body);
    let below = layout_body(rest, area.width);
    areas.clusters = top;
    areas.namespaces = below.0;
    areas.workloads = below.1;
    areas.findings = below.2;
    areas
}

/// Namespaces on the left, workloads over findings on the right.
fn layout_body(body: Rect, width: u16) -> (Rect, Rect, Rect) {
    let ns_width = if width >= 150 {
        36
    } else if width >= 120 {
        30
    } else {
        22
    };
    let [namespaces, right] =
        Layout::horizontal([Constraint::Length(ns_width), Constraint::Min(40)]).areas(body);
    let [workloads, findings] =
        Layout::vertical([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(right);
    (namespaces, workloads, findings)
}

fn layout_one(area: Rect) -> Areas {
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
    let (namespaces, workloads, findings) = layout_body(body, area.width);
    Areas {
        header,
        clusters: Rect::default(),
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
            // A fleet's Clusters pane comes out of the body, above everything else in it.
            for n in [2, 3, 40] {
                let f = layout_fleet(Rect::new(0, 0, w, h), n);
                let panes = [
                    f.header,
                    f.clusters,
                    f.namespaces,
                    f.workloads,
                    f.findings,
                    f.alerts,
                    f.status,
                ];
                let total: u32 = panes.iter().map(|r| r.area()).sum();
                assert_eq!(total, u32::from(w) * u32::from(h), "{w}x{h}, {n} clusters");
                for (i, p) in panes.iter().enumerate() {
                    for q in &panes[i + 1..] {
                        assert!(!p.intersects(*q), "{p:?} overlaps {q:?}");
                    }
                }
                assert!(f.clusters.bottom() <= f.namespaces.top());
                assert_eq!(f.cluster_rows(), n.min(f.cluster_rows()));
                assert!(f.cluster_rows() >= 2, "{w}x{h}: {}", f.cluster_rows());
                assert!(f.workload_rows() >= 2, "{w}x{h}: {}", f.workload_rows());
            }
        }
        assert!(layout(Rect::new(0, 0, 79, 24)).too_small);
        assert_eq!(
            layout(Rect::new(0, 0, 160, 48)),
            layout_fleet(Rect::new(0, 0, 160, 48), 1)
        );
        assert!(layout(Rect::new(0, 0, 80, 23)).too_small);
    }
}
