//! The dashboard's state: the engine (model and grades), plus the small UI state (focus,
//! selection by stable key, filter, sort, theme). Input changes it; drawing only reads it.

use super::filter::Filter;
use super::keys::{self, Action, Mode, Step};
pub use super::layout::Pane;
use super::layout::{layout, Areas};
use super::theme::Theme;
use crate::checks::Alert;
use crate::cluster::{ClusterModel, Msg, SyncState, WorkloadKey};
use crate::config::Config;
use crate::engine::Engine;
use crate::grade::{Grades, WorkloadReport};
use crate::report::table::worst_first;
use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use std::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortMode {
    /// Health first, then score: what needs attention on top.
    Worst,
    Name,
    Score,
    Kind,
    Restarts,
}

impl SortMode {
    pub fn name(self) -> &'static str {
        match self {
            SortMode::Worst => "worst first",
            SortMode::Name => "name",
            SortMode::Score => "score",
            SortMode::Kind => "kind",
            SortMode::Restarts => "restarts",
        }
    }

    fn next(self) -> SortMode {
        match self {
            SortMode::Worst => SortMode::Name,
            SortMode::Name => SortMode::Score,
            SortMode::Score => SortMode::Kind,
            SortMode::Kind => SortMode::Restarts,
            SortMode::Restarts => SortMode::Worst,
        }
    }
}

/// Where the data comes from, for the header's data state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceMode {
    File,
    Demo,
    Live,
}

/// What the header says about freshness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataState {
    File,
    Syncing { synced: usize, total: usize },
    Live,
    Stale { kinds: Vec<String> },
}

/// What the app asks of the event loop (which owns the source).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Drop the current connection and watch this kube context instead.
    SwitchContext(String),
}

/// An alert's stable identity: its check and workload.
pub type AlertKey = (String, WorkloadKey);

/// Which report a key asks for (`e` Markdown, `E` HTML); `ui::export` writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Markdown,
    Html,
}

pub struct App {
    /// The model, config and grades; the rest is view state.
    engine: Engine,
    pub mode: SourceMode,
    pub focus: Pane,
    /// `None` is "all namespaces".
    pub namespace: Option<String>,
    pub selected: Option<WorkloadKey>,
    pub selected_alert: Option<AlertKey>,
    /// The user chose the selected workload (moved to it, clicked it, opened its findings).
    /// Until then the selection stays on the first row, however rows stream in and reorder
    /// (a first sync arrives over many messages); after, it follows the choice by key.
    workload_chosen: bool,
    /// The same for the alerts list.
    alert_chosen: bool,
    pub findings_scroll: u16,
    pub filter: Filter,
    /// The filter being typed, while `/` is open.
    pub filter_input: Option<String>,
    pub sort: SortMode,
    pub alerts_only: bool,
    /// Show passed, unknown, n/a and waived results too.
    pub show_all: bool,
    pub themes: Vec<Theme>,
    pub theme_index: usize,
    pub help: bool,
    pub quit: bool,
    /// A one-line note in the status bar (what a key did).
    pub note: Option<String>,
    /// Workloads shown, in order (recomputed when grades, filter or sort change).
    pub rows: Vec<WorkloadKey>,
    /// Alerts shown, newest first.
    pub alert_rows: Vec<AlertKey>,
    pub workloads_offset: usize,
    pub namespaces_offset: usize,
    pub alerts_offset: usize,
    /// Terminal size, for scrolling and mouse hits.
    pub viewport: Rect,
    /// When the last message arrived (wall clock), for "stale since".
    pub last_message: Option<Instant>,
    /// Live mode: the kubeconfig's contexts, and the one being watched.
    pub contexts: Vec<String>,
    pub context: Option<String>,
    /// The context picker (`c`) is open, with this context under the cursor.
    pub context_picker: Option<String>,
    /// For the event loop to act on.
    pub request: Option<Request>,
    /// A report export the user asked for (`e`, `E`), written by the event loop.
    pub export_request: Option<ExportFormat>,
}

impl App {
    pub fn new(model: ClusterModel, config: Config, mode: SourceMode, themes: Vec<Theme>) -> App {
        App::with_engine(Engine::with_model(config, model), mode, themes)
    }

    /// A dashboard on `engine`, graded now if it was not.
    pub fn with_engine(mut engine: Engine, mode: SourceMode, themes: Vec<Theme>) -> App {
        engine.flush();
        let mut app = App {
            engine,
            mode,
            focus: Pane::Workloads,
            namespace: None,
            selected: None,
            selected_alert: None,
            workload_chosen: false,
            alert_chosen: false,
            findings_scroll: 0,
            filter: Filter::default(),
            filter_input: None,
            sort: SortMode::Worst,
            alerts_only: false,
            show_all: false,
            themes,
            theme_index: 0,
            help: false,
            quit: false,
            note: None,
            rows: Vec::new(),
            alert_rows: Vec::new(),
            workloads_offset: 0,
            namespaces_offset: 0,
            alerts_offset: 0,
            viewport: Rect::new(0, 0, 160, 48),
            last_message: None,
            contexts: Vec::new(),
            context: None,
            context_picker: None,
            request: None,
            export_request: None,
        };
        app.refresh_rows();
        app
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn model(&self) -> &ClusterModel {
        self.engine.model()
    }

    /// The grades as of the last [`App::flush`].
    pub fn grades(&self) -> &Grades {
        self.engine.grades()
    }

    pub fn theme(&self) -> &Theme {
        &self.themes[self.theme_index % self.themes.len()]
    }

    /// Applies a source message; grading waits for [`App::flush`], once per frame.
    pub fn apply(&mut self, msg: Msg) {
        // "Last event" counts news from the cluster, not the retries reporting a failed watch.
        let news = matches!(msg, Msg::Upsert(_) | Msg::Remove(_) | Msg::Synced(_));
        self.engine.apply(msg);
        if news {
            self.last_message = Some(Instant::now());
        }
    }

    /// Regrades what the applied messages touched. Returns whether anything changed.
    pub fn flush(&mut self) -> bool {
        if !self.engine.flush() {
            return false;
        }
        self.refresh_rows();
        true
    }

    pub fn data_state(&self) -> DataState {
        if self.mode == SourceMode::File {
            return DataState::File;
        }
        let states = self.model().sync_states();
        let stale: Vec<String> = states
            .iter()
            .filter(|(_, s)| matches!(s, SyncState::Stale(_)))
            .map(|(k, _)| k.to_string())
            .collect();
        if !stale.is_empty() {
            return DataState::Stale { kinds: stale };
        }
        let total = crate::cluster::Kind::ALL.len();
        let synced = crate::cluster::Kind::ALL
            .iter()
            .filter(|k| !matches!(self.model().sync_state(**k), SyncState::Unsynced))
            .count();
        if synced < total {
            DataState::Syncing { synced, total }
        } else {
            DataState::Live
        }
    }

    pub fn report(&self, key: &WorkloadKey) -> Option<&WorkloadReport> {
        self.grades().workloads.get(key)
    }

    pub fn selected_report(&self) -> Option<&WorkloadReport> {
        self.selected.as_ref().and_then(|k| self.report(k))
    }

    pub fn alert(&self, key: &AlertKey) -> Option<&Alert> {
        self.report(&key.1)?
            .alerts
            .iter()
            .find(|a| a.check == key.0)
    }

    /// Namespace rows: `None` (all) then every namespace.
    pub fn namespace_rows(&self) -> Vec<Option<String>> {
        std::iter::once(None)
            .chain(self.grades().namespaces.keys().cloned().map(Some))
            .collect()
    }

    /// Recomputes visible rows; a chosen selection follows its workload wherever it moved,
    /// one not chosen stays on the first row.
    pub fn refresh_rows(&mut self) {
        let mut rows: Vec<&WorkloadReport> = self
            .engine
            .grades()
            .workloads
            .values()
            .filter(|w| {
                self.namespace
                    .as_ref()
                    .is_none_or(|ns| &w.key.namespace == ns)
            })
            .filter(|w| !self.alerts_only || !w.alerts.is_empty())
            .filter(|w| self.filter.matches(w))
            .collect();
        match self.sort {
            SortMode::Worst => rows.sort_by(|a, b| worst_first(a, b)),
            SortMode::Name => {
                rows.sort_by(|a, b| a.key.name.cmp(&b.key.name).then_with(|| a.key.cmp(&b.key)))
            }
            SortMode::Score => rows.sort_by(|a, b| {
                let s = |w: &WorkloadReport| w.score.unwrap_or(f64::INFINITY);
                s(a).total_cmp(&s(b)).then_with(|| a.key.cmp(&b.key))
            }),
            SortMode::Kind => rows.sort_by(|a, b| {
                a.key
                    .kind
                    .name()
                    .cmp(b.key.kind.name())
                    .then_with(|| a.key.name.cmp(&b.key.name))
            }),
            SortMode::Restarts => {
                rows.sort_by(|a, b| b.restarts.cmp(&a.restarts).then_with(|| a.key.cmp(&b.key)))
            }
        }
        self.rows = rows.into_iter().map(|w| w.key.clone()).collect();
        if !self.workload_chosen
            || self
                .selected
                .as_ref()
                .is_none_or(|k| !self.rows.contains(k))
        {
            // A chosen workload that left the rows leaves no choice behind.
            self.workload_chosen = false;
            let first = self.rows.first().cloned();
            if self.selected != first {
                self.selected = first;
                self.findings_scroll = 0;
            }
        }

        let mut alerts: Vec<&Alert> = self
            .engine
            .grades()
            .alerts()
            .filter(|a| {
                self.namespace
                    .as_ref()
                    .is_none_or(|ns| &a.workload.namespace == ns)
            })
            .collect();
        alerts.sort_by(|a, b| {
            b.since
                .cmp(&a.since)
                .then_with(|| b.severity.cmp(&a.severity))
                .then_with(|| a.workload.cmp(&b.workload))
                .then_with(|| a.check.cmp(&b.check))
        });
        self.alert_rows = alerts
            .into_iter()
            .map(|a| (a.check.clone(), a.workload.clone()))
            .collect();
        if !self.alert_chosen
            || self
                .selected_alert
                .as_ref()
                .is_none_or(|k| !self.alert_rows.contains(k))
        {
            self.alert_chosen = false;
            self.selected_alert = self.alert_rows.first().cloned();
        }
        self.scroll_into_view();
    }

    fn areas(&self) -> Areas {
        layout(self.viewport)
    }

    /// Keeps each pane's selection inside its window, and each window on its content: no
    /// list starts below a row it could show, no pane scrolls past its last line.
    pub fn scroll_into_view(&mut self) {
        let areas = self.areas();
        let fit = |offset: usize, idx: Option<usize>, height: usize, len: usize| -> usize {
            let Some(i) = idx else { return 0 };
            let h = height.max(1);
            let offset = if i < offset {
                i
            } else if i >= offset + h {
                i + 1 - h
            } else {
                offset
            };
            // A list that shrank (a filter, alerts only, a larger terminal) shows its top
            // rows rather than blank ones below its end.
            offset.min(len.saturating_sub(h))
        };
        let wi = self
            .selected
            .as_ref()
            .and_then(|k| self.rows.iter().position(|r| r == k));
        self.workloads_offset = fit(
            self.workloads_offset,
            wi,
            areas.workload_rows(),
            self.rows.len(),
        );
        let namespaces = self.namespace_rows();
        let ni = namespaces.iter().position(|n| *n == self.namespace);
        self.namespaces_offset = fit(
            self.namespaces_offset,
            ni,
            areas.namespace_rows(),
            namespaces.len(),
        );
        let ai = self
            .selected_alert
            .as_ref()
            .and_then(|k| self.alert_rows.iter().position(|r| r == k));
        self.alerts_offset = fit(
            self.alerts_offset,
            ai,
            areas.alert_rows(),
            self.alert_rows.len(),
        );
        self.findings_scroll = self.findings_scroll.min(self.findings_max_scroll());
    }

    /// How far the findings pane scrolls: its wrapped lines less the lines that fit.
    pub fn findings_max_scroll(&self) -> u16 {
        super::draw::findings_max_scroll(self, self.areas().findings)
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.viewport = Rect::new(0, 0, width, height);
        self.scroll_into_view();
    }

    fn set_namespace(&mut self, ns: Option<String>) {
        if self.namespace != ns {
            self.namespace = ns;
            self.refresh_rows();
        }
    }

    fn move_namespace(&mut self, step: isize) {
        let rows = self.namespace_rows();
        let i = rows.iter().position(|n| *n == self.namespace).unwrap_or(0) as isize;
        let j = (i + step).clamp(0, rows.len() as isize - 1) as usize;
        self.set_namespace(rows[j].clone());
    }

    fn move_workload(&mut self, step: isize) {
        if self.rows.is_empty() {
            return;
        }
        let i = self
            .selected
            .as_ref()
            .and_then(|k| self.rows.iter().position(|r| r == k))
            .unwrap_or(0) as isize;
        let j = (i + step).clamp(0, self.rows.len() as isize - 1) as usize;
        if self.selected.as_ref() != Some(&self.rows[j]) {
            self.selected = Some(self.rows[j].clone());
            self.workload_chosen = true;
            self.findings_scroll = 0;
        }
        self.scroll_into_view();
    }

    fn move_alert(&mut self, step: isize) {
        if self.alert_rows.is_empty() {
            return;
        }
        let i = self
            .selected_alert
            .as_ref()
            .and_then(|k| self.alert_rows.iter().position(|r| r == k))
            .unwrap_or(0) as isize;
        let j = (i + step).clamp(0, self.alert_rows.len() as isize - 1) as usize;
        if self.selected_alert.as_ref() != Some(&self.alert_rows[j]) {
            self.selected_alert = Some(self.alert_rows[j].clone());
            self.alert_chosen = true;
        }
        self.scroll_into_view();
    }

    fn move_selection(&mut self, step: isize) {
        match self.focus {
            Pane::Namespaces => self.move_namespace(step),
            Pane::Workloads => self.move_workload(step),
            Pane::Findings => {
                // Reading a workload's findings keeps it selected while rows reorder.
                self.workload_chosen |= self.selected.is_some();
                let max = self.findings_max_scroll() as isize;
                self.findings_scroll = (self.findings_scroll as isize + step).clamp(0, max) as u16;
            }
            Pane::Alerts => self.move_alert(step),
        }
    }

    /// Selects an alert's workload and shows its findings.
    pub fn jump_to_alert(&mut self) {
        let Some((_, key)) = self.selected_alert.clone() else {
            return;
        };
        if self
            .namespace
            .as_ref()
            .is_some_and(|ns| *ns != key.namespace)
        {
            self.namespace = Some(key.namespace.clone());
        }
        if !self.filter.is_empty() || self.alerts_only {
            // The alert's workload must be visible to be selected.
            self.filter = Filter::default();
        }
        self.refresh_rows();
        if self.selected.as_ref() != Some(&key) {
            self.selected = Some(key);
            self.findings_scroll = 0;
        }
        self.workload_chosen = true;
        self.focus = Pane::Findings;
        self.scroll_into_view();
    }

    /// What has the keys now.
    pub fn key_mode(&self) -> Mode {
        if self.filter_input.is_some() {
            Mode::FilterBox
        } else if self.context_picker.is_some() {
            Mode::Picker
        } else if self.help {
            Mode::Help
        } else {
            Mode::Dashboard(self.focus)
        }
    }

    /// Does what the key table binds `key` to in the current mode.
    pub fn handle_key(&mut self, key: KeyEvent) {
        self.note = None;
        let mode = self.key_mode();
        let Some(action) = keys::action(mode, &key) else {
            return;
        };
        match mode {
            Mode::FilterBox if action != Action::Quit => self.filter_box(action),
            Mode::Picker if action != Action::Quit => self.picker(action),
            _ => self.act(action),
        }
    }

    fn act(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::OpenHelp => self.help = true,
            Action::CloseHelp => self.help = false,
            Action::NextPane => self.focus = self.focus.next(1),
            Action::PrevPane => self.focus = self.focus.next(-1),
            Action::Move(step) => {
                let page = (self.areas().workload_rows().max(2) - 1) as isize;
                self.move_selection(match step {
                    Step::Down => 1,
                    Step::Up => -1,
                    Step::PageDown => page,
                    Step::PageUp => -page,
                    Step::First => -1_000_000,
                    Step::Last => 1_000_000,
                })
            }
            Action::FocusLeft => {
                self.focus = match self.focus {
                    Pane::Findings => Pane::Workloads,
                    _ => Pane::Namespaces,
                }
            }
            Action::FocusRight => {
                self.focus = match self.focus {
                    Pane::Namespaces => Pane::Workloads,
                    _ => Pane::Findings,
                }
            }
            Action::Open => match self.focus {
                Pane::Namespaces => self.focus = Pane::Workloads,
                Pane::Workloads => {
                    // Opening a workload's findings is a choice of that workload.
                    self.workload_chosen |= self.selected.is_some();
                    self.focus = Pane::Findings;
                }
                Pane::Alerts => self.jump_to_alert(),
                Pane::Findings => {}
            },
            Action::Back => {
                if !self.filter.is_empty() && self.focus != Pane::Findings {
                    self.filter = Filter::default();
                    self.refresh_rows();
                } else {
                    self.focus = match self.focus {
                        Pane::Findings => Pane::Workloads,
                        Pane::Alerts => Pane::Workloads,
                        _ => Pane::Namespaces,
                    };
                }
            }
            Action::OpenFilter => self.filter_input = Some(self.filter.text.clone()),
            Action::Sort => {
                self.sort = self.sort.next();
                self.note = Some(format!("sorted by {}", self.sort.name()));
                self.refresh_rows();
            }
            Action::AlertsOnly => {
                self.alerts_only = !self.alerts_only;
                self.note = Some(
                    if self.alerts_only {
                        "showing workloads with alerts"
                    } else {
                        "showing all workloads"
                    }
                    .into(),
                );
                self.refresh_rows();
            }
            Action::ShowAll => {
                self.show_all = !self.show_all;
                self.findings_scroll = 0;
                self.note = Some(
                    if self.show_all {
                        "showing every result"
                    } else {
                        "showing failing checks"
                    }
                    .into(),
                );
            }
            Action::ExportMarkdown => self.export_request = Some(ExportFormat::Markdown),
            Action::ExportHtml => self.export_request = Some(ExportFormat::Html),
            Action::Theme => {
                self.theme_index = (self.theme_index + 1) % self.themes.len();
                self.note = Some(format!("theme: {}", self.theme().name));
            }
            Action::OpenContexts => self.open_context_picker(),
            // The filter box's and the picker's own keys (see `filter_box`, `picker`).
            Action::ApplyFilter
            | Action::CancelFilter
            | Action::Type(_)
            | Action::DeleteChar
            | Action::ClearFilter
            | Action::DeleteWord
            | Action::SwitchContext
            | Action::CloseContexts => {}
        }
    }

    /// A key in the filter box being typed.
    fn filter_box(&mut self, action: Action) {
        let Some(input) = &mut self.filter_input else {
            return;
        };
        match action {
            Action::CancelFilter => self.filter_input = None,
            Action::ApplyFilter => {
                let filter = Filter::parse(input);
                // A term that cannot match is said, and the box stays open to fix it,
                // rather than hiding every row without a word.
                if let Some(problem) = filter.problem() {
                    self.note = Some(problem.to_string());
                } else {
                    self.filter = filter;
                    self.filter_input = None;
                    self.refresh_rows();
                }
            }
            Action::DeleteChar => {
                input.pop();
            }
            // Readline's editing keys: Ctrl-U clears to the start, Ctrl-W deletes the word
            // before the cursor (the cursor is always at the end).
            Action::ClearFilter => input.clear(),
            Action::DeleteWord => {
                let kept = input
                    .trim_end()
                    .trim_end_matches(|c: char| !c.is_whitespace());
                input.truncate(kept.len());
            }
            Action::Type(c) => input.push(c),
            _ => {}
        }
    }

    fn open_context_picker(&mut self) {
        if self.mode != SourceMode::Live {
            self.note = Some("contexts: only when watching a cluster".into());
        } else if self.contexts.is_empty() {
            self.note = Some("contexts: the kubeconfig lists none".into());
        } else {
            self.context_picker = self
                .context
                .clone()
                .filter(|c| self.contexts.contains(c))
                .or_else(|| self.contexts.first().cloned());
        }
    }

    /// A key in the context picker.
    fn picker(&mut self, action: Action) {
        let Some(current) = self.context_picker.clone() else {
            return;
        };
        let at = self
            .contexts
            .iter()
            .position(|c| *c == current)
            .unwrap_or(0);
        let last = self.contexts.len().saturating_sub(1);
        let to = match action {
            Action::CloseContexts => {
                self.context_picker = None;
                return;
            }
            Action::SwitchContext => {
                self.context_picker = None;
                if self.context.as_deref() != Some(current.as_str()) {
                    self.note = Some(format!("connecting to {current}…"));
                    self.request = Some(Request::SwitchContext(current));
                }
                return;
            }
            Action::Move(Step::Down) => (at + 1).min(last),
            Action::Move(Step::Up) => at.saturating_sub(1),
            Action::Move(Step::First) => 0,
            Action::Move(Step::Last) => last,
            _ => at,
        };
        self.context_picker = self.contexts.get(to).cloned();
    }

    /// Starts over on a new source (after a context switch): the old cluster's objects and
    /// grades go, and so does the user's choice of row: as on a first sync, the selection
    /// stays on the first row while the new cluster streams in.
    pub fn replace_model(&mut self, model: ClusterModel, context: String) {
        self.engine.replace_model(model);
        self.engine.flush();
        self.context = Some(context);
        self.namespace = None;
        self.workload_chosen = false;
        self.alert_chosen = false;
        self.selected_alert = None;
        self.last_message = None;
        self.refresh_rows();
    }

    pub fn handle_mouse(&mut self, m: MouseEvent) {
        let areas = self.areas();
        let pos = Position::new(m.column, m.row);
        let pane = [
            (Pane::Namespaces, areas.namespaces),
            (Pane::Workloads, areas.workloads),
            (Pane::Findings, areas.findings),
            (Pane::Alerts, areas.alerts),
        ]
        .into_iter()
        .find(|(_, r)| r.contains(pos))
        .map(|(p, _)| p);
        let Some(pane) = pane else { return };
        match m.kind {
            MouseEventKind::ScrollDown => {
                self.focus = pane;
                self.move_selection(if pane == Pane::Findings { 3 } else { 1 });
            }
            MouseEventKind::ScrollUp => {
                self.focus = pane;
                self.move_selection(if pane == Pane::Findings { -3 } else { -1 });
            }
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = pane;
                match pane {
                    Pane::Namespaces => {
                        let first = areas.namespaces.y as usize + 1;
                        if let Some(i) = (m.row as usize).checked_sub(first) {
                            let rows = self.namespace_rows();
                            if let Some(ns) = rows.get(self.namespaces_offset + i) {
                                self.set_namespace(ns.clone());
                            }
                        }
                    }
                    Pane::Workloads => {
                        // A border line and a header line come before the first row.
                        let first = areas.workloads.y as usize + 2;
                        if let Some(i) = (m.row as usize).checked_sub(first) {
                            if let Some(k) = self.rows.get(self.workloads_offset + i) {
                                // A click is a choice, even of the row already selected.
                                self.workload_chosen = true;
                                if self.selected.as_ref() != Some(k) {
                                    self.selected = Some(k.clone());
                                    self.findings_scroll = 0;
                                }
                            }
                        }
                    }
                    Pane::Alerts => {
                        let first = areas.alerts.y as usize + 1;
                        if let Some(i) = (m.row as usize).checked_sub(first) {
                            if let Some(k) = self.alert_rows.get(self.alerts_offset + i) {
                                self.selected_alert = Some(k.clone());
                                self.alert_chosen = true;
                            }
                        }
                    }
                    Pane::Findings => {}
                }
            }
            _ => {}
        }
    }
}
