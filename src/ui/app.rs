//! The dashboard's state: the engine (model and grades), plus the small UI state (focus,
//! selection by stable key, filter, sort, theme). Input changes it; drawing only reads it.

use super::filter::Filter;
use super::fleet::{ClusterRow, Fleet};
use super::keys::{self, Action, Mode, Step};
pub use super::layout::Pane;
use super::layout::{layout_fleet, Areas};
use super::theme::Theme;
use crate::checks::Alert;
use crate::cluster::{ClusterModel, Msg, SyncState, WorkloadKey};
use crate::config::Config;
use crate::engine::Engine;
use crate::grade::{Grades, WorkloadReport};
use crate::report::table::worst_first;
use crate::triage::causes::{causes, Cause, CauseKey};
use crate::triage::commands::{self, Command};
use crate::triage::logs::{Instance, LogLine, LogTarget};
use crate::triage::timeline::Timeline;
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

/// A row of the alerts strip: a root cause, or an alert (under its cause, or alone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StripRow {
    Cause(CauseKey),
    Alert(AlertKey),
}

/// What the logs pane holds: one fetch, and nothing once closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogState {
    Loading,
    Lines(Vec<LogLine>),
    /// Why there are no lines: one sentence.
    Problem(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogsView {
    pub target: LogTarget,
    pub instance: Option<Instance>,
    pub state: LogState,
}

/// A full-screen view over the dashboard; Esc closes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    Logs(LogsView),
    /// A workload's object as shipshape holds it, as YAML.
    Object {
        title: String,
        lines: Vec<String>,
    },
    /// The next commands for an alert or a cause; the cursor picks the one `y` copies.
    Commands {
        title: String,
        commands: Vec<Command>,
        cursor: usize,
    },
    Timeline,
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
    /// `all` was chosen in the namespaces pane, and no workload since: the findings pane shows
    /// the cluster's own readiness (see [`App::cluster_findings`]).
    cluster_chosen: bool,
    /// The highlighted finding of the cluster view, by check id (see [`super::cluster_focus`]).
    pub cluster_cursor: Option<String>,
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
    /// Root causes of the current alerts (recomputed after each regrade).
    pub causes: Vec<Cause>,
    /// The alerts strip in order: causes, each followed by its alerts when unfolded, then
    /// the alerts no cause explains.
    pub strip: Vec<StripRow>,
    pub selected_cause: Option<CauseKey>,
    /// Causes unfolded to show the alerts they explain; folded by default, so twenty alerts
    /// behind one dead node read as one line.
    pub expanded: std::collections::BTreeSet<CauseKey>,
    /// Alerts appearing and clearing since the dashboard started.
    pub timeline: Timeline,
    pub overlay: Option<Overlay>,
    pub overlay_scroll: u16,
    /// Logs the user asked for, fetched by the event loop off the draw loop.
    pub log_request: Option<LogTarget>,
    /// Text to put on the clipboard (OSC 52), written by the event loop.
    pub copy_request: Option<String>,
    /// A report export the user asked for (`e`, `E`), written by the event loop.
    pub export_request: Option<ExportFormat>,
    /// Several clusters: the others' engines, and which one this dashboard shows.
    pub fleet: Option<Fleet>,
    /// The context the requested logs are read from (the row's own cluster in the "all
    /// clusters" view); `None` is the shown cluster's.
    pub log_context: Option<String>,
}

/// The grades the panes show: every cluster's merged when the "all clusters" row is
/// selected, else the shown engine's. A function of the two fields, so callers can borrow
/// the rest of the app meanwhile.
fn shown_grades<'a>(engine: &'a Engine, fleet: &'a Option<Fleet>) -> &'a Grades {
    fleet
        .as_ref()
        .and_then(|f| f.all_grades.as_ref())
        .unwrap_or_else(|| engine.grades())
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
            cluster_chosen: false,
            cluster_cursor: None,
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
            causes: Vec::new(),
            strip: Vec::new(),
            selected_cause: None,
            expanded: Default::default(),
            timeline: Timeline::new(),
            overlay: None,
            overlay_scroll: 0,
            log_request: None,
            copy_request: None,
            fleet: None,
            log_context: None,
        };
        app.observe();
        app.refresh_rows();
        app
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn model(&self) -> &ClusterModel {
        self.engine.model()
    }

    /// The grades as of the last [`App::flush`] (every cluster's, under the "all clusters"
    /// row).
    pub fn grades(&self) -> &Grades {
        shown_grades(&self.engine, &self.fleet)
    }

    /// The "all clusters" row of the Clusters pane is selected.
    pub fn showing_all(&self) -> bool {
        self.fleet.as_ref().is_some_and(|f| f.all)
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

    /// Regrades what the applied messages touched (every cluster's, in a fleet). Returns
    /// whether anything changed.
    pub fn flush(&mut self) -> bool {
        let others = self
            .fleet
            .as_mut()
            .is_some_and(|fleet| fleet.flush_background());
        let own = self.engine.flush();
        if self.showing_all() {
            // The merged rows copy every cluster's reports: at most once a second however
            // busy the clusters are (the event loop flushes at least that often).
            let due = self
                .fleet
                .as_mut()
                .is_some_and(|f| f.merge_due(own || others));
            if !due {
                return own || others;
            }
            self.merge_all();
        } else if !own {
            return others;
        }
        self.observe();
        self.refresh_rows();
        true
    }

    /// After a regrade: the root causes, and what appeared or cleared.
    fn observe(&mut self) {
        let now = self.model().now();
        if self.showing_all() {
            // Root causes are one cluster's (a node, a quota): each cluster's own view has them.
            self.causes.clear();
            let settled = !self
                .cluster_rows()
                .iter()
                .any(|r| matches!(r.state, super::fleet::RowState::Syncing { .. }));
            let grades = shown_grades(&self.engine, &self.fleet);
            self.timeline.observe(grades, now, settled);
            return;
        }
        self.causes = causes(self.engine.grades(), self.engine.model());
        let settled = !matches!(self.data_state(), DataState::Syncing { .. });
        self.timeline.observe(self.engine.grades(), now, settled);
    }

    pub fn cause(&self, key: &CauseKey) -> Option<&Cause> {
        self.causes.iter().find(|c| &c.key() == key)
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

    /// Whether the findings pane shows the cluster rather than the selected workload: the
    /// `all` row was chosen in the namespaces pane (moved to, clicked, focused) and no
    /// workload has been chosen since.
    pub fn cluster_findings(&self) -> bool {
        // The "all clusters" view has no one cluster row to show.
        self.cluster_chosen && self.namespace.is_none() && !self.showing_all()
    }

    /// Shows the cluster (`true`) or the selected workload in the findings pane, from the top
    /// when that changes.
    fn choose_cluster(&mut self, on: bool) {
        if self.cluster_chosen != on {
            self.cluster_chosen = on;
            self.findings_scroll = 0;
        }
    }

    /// The namespaces pane has the focus: its `all` row stands for the cluster itself.
    fn follow_namespaces_pane(&mut self) {
        if self.focus == Pane::Namespaces {
            self.choose_cluster(self.namespace.is_none());
        }
    }

    pub fn selected_report(&self) -> Option<&WorkloadReport> {
        self.selected.as_ref().and_then(|k| self.report(k))
    }

    /// A workload's alert, or one the cluster row raises on an add-on's workload.
    pub fn alert(&self, key: &AlertKey) -> Option<&Alert> {
        let on_workload = self
            .report(&key.1)
            .and_then(|r| r.alerts.iter().find(|a| a.check == key.0));
        on_workload.or_else(|| {
            self.grades()
                .cluster_alerts
                .iter()
                .find(|a| a.check == key.0 && a.workload == key.1)
        })
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
        let mut rows: Vec<&WorkloadReport> = shown_grades(&self.engine, &self.fleet)
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

        let mut alerts: Vec<&Alert> = shown_grades(&self.engine, &self.fleet)
            .alerts()
            .filter(|a| {
                self.namespace
                    .as_ref()
                    .is_none_or(|ns| &a.workload.namespace == ns)
            })
            .collect();
        // Newest first by when each appeared; the cluster's own since-when breaks ties.
        let timeline = &self.timeline;
        alerts.sort_by(|a, b| {
            timeline
                .appeared(b)
                .cmp(&timeline.appeared(a))
                .then_with(|| b.since.cmp(&a.since))
                .then_with(|| b.severity.cmp(&a.severity))
                .then_with(|| a.workload.cmp(&b.workload))
                .then_with(|| a.check.cmp(&b.check))
        });
        let alerts: Vec<AlertKey> = alerts
            .into_iter()
            .map(|a| (a.check.clone(), a.workload.clone()))
            .collect();
        self.build_strip(alerts);
        let chosen = self.selected_strip_row();
        if !self.alert_chosen || chosen.as_ref().is_none_or(|r| !self.strip.contains(r)) {
            self.alert_chosen = false;
            let first = self.strip.first().cloned();
            self.select_strip_row(first);
        }
        self.scroll_into_view();
    }

    /// Causes first, each followed by the alerts it explains (when unfolded), then the
    /// alerts no cause explains; `alert_rows` lists every alert in that order.
    fn build_strip(&mut self, alerts: Vec<AlertKey>) {
        let mut placed = std::collections::HashSet::new();
        let mut strip = Vec::with_capacity(alerts.len() + self.causes.len());
        let mut ordered = Vec::with_capacity(alerts.len());
        if !self.causes.is_empty() {
            let listed: std::collections::HashSet<&AlertKey> = alerts.iter().collect();
            for cause in &self.causes {
                let mine: Vec<&AlertKey> = alerts
                    .iter()
                    .filter(|k| !placed.contains(*k) && cause.explains(&k.0, &k.1))
                    .collect();
                if mine.is_empty() || !mine.iter().any(|k| listed.contains(k)) {
                    continue;
                }
                let key = cause.key();
                let open = self.expanded.contains(&key);
                strip.push(StripRow::Cause(key));
                for k in mine {
                    placed.insert(k.clone());
                    ordered.push(k.clone());
                    if open {
                        strip.push(StripRow::Alert(k.clone()));
                    }
                }
            }
        }
        for k in alerts {
            if !placed.contains(&k) {
                strip.push(StripRow::Alert(k.clone()));
                ordered.push(k);
            }
        }
        self.strip = strip;
        self.alert_rows = ordered;
    }

    /// The selected row of the alerts strip.
    pub fn selected_strip_row(&self) -> Option<StripRow> {
        match (&self.selected_cause, &self.selected_alert) {
            (Some(c), _) => Some(StripRow::Cause(c.clone())),
            (None, Some(a)) => Some(StripRow::Alert(a.clone())),
            _ => None,
        }
    }

    fn select_strip_row(&mut self, row: Option<StripRow>) {
        match row {
            Some(StripRow::Cause(c)) => {
                self.selected_cause = Some(c);
                self.selected_alert = None;
            }
            Some(StripRow::Alert(a)) => {
                self.selected_cause = None;
                self.selected_alert = Some(a);
            }
            None => {
                self.selected_cause = None;
                self.selected_alert = None;
            }
        }
    }

    fn areas(&self) -> Areas {
        layout_fleet(self.viewport, self.cluster_pane_rows())
    }

    /// Rows of the Clusters pane: "all clusters" and a row per cluster; 0 for one cluster.
    pub fn cluster_pane_rows(&self) -> usize {
        match &self.fleet {
            Some(f) if self.has_clusters_pane() => f.pane_rows(),
            _ => self.cluster_count(),
        }
    }

    /// A dashboard of several clusters: `fleet` holds them all, the first is shown.
    pub fn with_fleet(
        mut fleet: Fleet,
        config: Config,
        mode: SourceMode,
        themes: Vec<Theme>,
    ) -> App {
        let engine = fleet.take_selected().unwrap_or_else(|| Engine::new(config));
        let mut app = App::with_engine(engine, mode, themes);
        app.context = Some(fleet.selected.clone());
        app.fleet = Some(fleet);
        app
    }

    /// Clusters in the Clusters pane: none for one cluster.
    pub fn cluster_count(&self) -> usize {
        self.fleet.as_ref().map_or(0, |f| f.members.len())
    }

    /// Whether the screen has a Clusters pane: a fleet of two clusters or more (a
    /// kubeconfig of one context read with `--all-contexts` looks as one cluster does).
    pub fn has_clusters_pane(&self) -> bool {
        self.cluster_count() >= 2
    }

    /// The Clusters pane's rows, in the fleet's order.
    pub fn cluster_rows(&self) -> Vec<ClusterRow> {
        self.fleet_engines()
            .map(|(context, e)| ClusterRow::of(context, e))
            .collect()
    }

    /// Every member's context and engine, in the fleet's order (the shown one's from the
    /// dashboard); none for one cluster.
    pub fn fleet_engines(&self) -> impl Iterator<Item = (&str, &Engine)> {
        let shown = self.fleet.as_ref().map_or(0, |f| f.selected_index());
        self.fleet
            .iter()
            .flat_map(|f| f.members.iter().enumerate())
            .filter_map(move |(i, m)| {
                let engine = if i == shown {
                    Some(&self.engine)
                } else {
                    self.fleet.as_ref()?.engine(i)
                };
                Some((m.context.as_str(), engine?))
            })
    }

    /// Merges every readable cluster's grades for the "all clusters" view.
    fn merge_all(&mut self) {
        let merged = super::fleet::merge(self.fleet_engines());
        if let Some(fleet) = self.fleet.as_mut() {
            fleet.all_grades = Some(merged);
            fleet.merged_at = Some(Instant::now());
            fleet.all_stale = false;
        }
    }

    /// Selects the "all clusters" row: the panes below show every readable cluster's rows.
    pub fn select_all_clusters(&mut self) {
        if self.fleet.as_ref().is_none_or(|f| f.all) {
            return;
        }
        if let Some(fleet) = self.fleet.as_mut() {
            fleet.all = true;
        }
        self.merge_all();
        self.start_over();
    }

    /// The cluster a row of the panes belongs to: its context, that cluster's engine, and
    /// the key in that cluster (the "all clusters" view names rows `context/namespace`).
    pub fn row_source(&self, key: &WorkloadKey) -> Option<(Option<&str>, &Engine, WorkloadKey)> {
        if !self.showing_all() {
            return Some((self.context.as_deref(), &self.engine, key.clone()));
        }
        let (context, own) = super::fleet::split_key(key)?;
        let (context, engine) = self.fleet_engines().find(|(c, _)| *c == context)?;
        Some((Some(context), engine, own))
    }

    /// A workload's recent events, from its own cluster.
    pub fn events_of(&self, key: &WorkloadKey) -> Vec<&k8s_openapi::api::core::v1::Event> {
        self.row_source(key)
            .map(|(_, engine, own)| engine.model().events_of(&own))
            .unwrap_or_default()
    }

    /// A message from member `index`'s source (generation `generation`): to the engine the
    /// dashboard shows, or to the member's own; a replaced source's messages are dropped.
    pub fn apply_from(&mut self, index: usize, generation: u64, msg: Msg) {
        let Some(fleet) = self.fleet.as_mut() else {
            self.apply(msg);
            return;
        };
        if index != fleet.selected_index() {
            fleet.apply_background(index, generation, msg);
        } else if fleet.members[index].generation == generation {
            self.apply(msg);
        }
    }

    /// Shows cluster `context` (by its stable key): its engine comes to the dashboard, the
    /// shown one goes back to the fleet, and the view starts over as on a context switch.
    pub fn select_cluster(&mut self, context: &str) {
        let Some(fleet) = self.fleet.as_mut() else {
            return;
        };
        if fleet.index_of(context).is_none() {
            return;
        }
        if fleet.selected == context {
            // From "all clusters" to the cluster the dashboard already holds.
            if fleet.all {
                fleet.all = false;
                fleet.all_grades = None;
                self.start_over();
            }
            return;
        }
        fleet.all = false;
        fleet.all_grades = None;
        let from = fleet.selected_index();
        fleet.members[from].last_message = self.last_message;
        let engine = std::mem::replace(&mut self.engine, Engine::new(Config::default()));
        self.engine = fleet.swap_selected(engine, context);
        let to = fleet.selected_index();
        self.last_message = fleet.members[to].last_message;
        self.context = Some(fleet.selected.clone());
        self.start_over();
    }

    fn move_cluster(&mut self, step: isize) {
        let Some(fleet) = &self.fleet else { return };
        let n = fleet.pane_rows() as isize;
        if fleet.members.is_empty() {
            return;
        }
        let i = (fleet.cursor() as isize + step).clamp(0, n - 1) as usize;
        if i == 0 {
            self.select_all_clusters();
        } else {
            let context = fleet.members[i - 1].context.clone();
            self.select_cluster(&context);
        }
        self.scroll_into_view();
    }

    /// In a fleet, `c` on a context: select it when it is one of the fleet's; otherwise the
    /// selected cluster starts over on it. Returns the member and generation whose source
    /// the event loop must start, if any.
    pub fn switch_in_fleet(&mut self, context: &str) -> Option<(usize, u64)> {
        let fleet = self.fleet.as_mut()?;
        if fleet.index_of(context).is_some() {
            self.select_cluster(context);
            return None;
        }
        fleet.all = false;
        fleet.all_grades = None;
        let index = fleet.selected_index();
        let generation = fleet.renamed(index, context);
        self.replace_model(ClusterModel::new(), context.to_string());
        Some((index, generation))
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
        if let Some(fleet) = &self.fleet {
            let offset = fit(
                fleet.offset,
                Some(fleet.cursor()),
                areas.cluster_rows(),
                fleet.pane_rows(),
            );
            if let Some(fleet) = self.fleet.as_mut() {
                fleet.offset = offset;
            }
        }
        let namespaces = self.namespace_rows();
        let ni = namespaces.iter().position(|n| *n == self.namespace);
        self.namespaces_offset = fit(
            self.namespaces_offset,
            ni,
            areas.namespace_rows(),
            namespaces.len(),
        );
        let selected = self.selected_strip_row();
        let ai = selected
            .as_ref()
            .and_then(|k| self.strip.iter().position(|r| r == k));
        self.alerts_offset = fit(self.alerts_offset, ai, areas.alert_rows(), self.strip.len());
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
        self.choose_cluster(false);
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
        if self.strip.is_empty() {
            return;
        }
        let current = self.selected_strip_row();
        let i = current
            .as_ref()
            .and_then(|k| self.strip.iter().position(|r| r == k))
            .unwrap_or(0) as isize;
        let j = (i + step).clamp(0, self.strip.len() as isize - 1) as usize;
        if current.as_ref() != Some(&self.strip[j]) {
            let row = self.strip[j].clone();
            self.select_strip_row(Some(row));
            self.alert_chosen = true;
        }
        self.scroll_into_view();
    }

    fn move_selection(&mut self, step: isize) {
        match self.focus {
            Pane::Clusters => self.move_cluster(step),
            Pane::Namespaces => self.move_namespace(step),
            Pane::Workloads => self.move_workload(step),
            Pane::Findings if self.cluster_findings() => self.move_in_cluster_view(step),
            Pane::Findings => {
                // Reading a workload's findings keeps it selected while rows reorder.
                self.workload_chosen |= self.selected.is_some();
                let max = self.findings_max_scroll() as isize;
                self.findings_scroll = (self.findings_scroll as isize + step).clamp(0, max) as u16;
            }
            Pane::Alerts => self.move_alert(step),
        }
    }

    /// j/k in the cluster view move the highlight from failing finding to failing finding,
    /// scrolled to its first line; past the last one (and pages, Home, End, the wheel) they
    /// scroll, and the highlight follows to a failing finding in view.
    fn move_in_cluster_view(&mut self, step: isize) {
        let area = self.areas().findings;
        let heads = super::draw::cluster_finding_rows(self, area);
        let max = self.findings_max_scroll() as isize;
        let at = super::cluster_focus::highlighted(self)
            .and_then(|r| heads.iter().position(|(id, _)| *id == r.check));
        let scroll = self.findings_scroll as isize;
        let target = match (at, step) {
            (Some(i), 1) if i + 1 < heads.len() => Some(i + 1),
            (Some(i), -1) if i > 0 && scroll <= heads[i].1 as isize => Some(i - 1),
            _ => None,
        };
        if let Some(j) = target {
            self.cluster_cursor = Some(heads[j].0.clone());
            self.findings_scroll = (heads[j].1 as isize).clamp(0, max) as u16;
            return;
        }
        self.findings_scroll = (scroll + step).clamp(0, max) as u16;
        // The highlight stays in view: the first failing finding that starts there.
        let visible = area.height.saturating_sub(2) as usize;
        let top = self.findings_scroll as usize;
        let in_view = |row: usize| row >= top && row < top + visible;
        let shown = at.is_some_and(|i| in_view(heads[i].1));
        if !shown {
            if let Some((id, _)) = heads.iter().find(|(_, row)| in_view(*row)) {
                self.cluster_cursor = Some(id.clone());
            }
        }
    }

    /// Selects an alert's workload and shows its findings.
    pub fn jump_to_alert(&mut self) {
        if let Some(cause) = self.selected_cause.clone() {
            // Enter on a cause folds or unfolds the alerts it explains.
            if !self.expanded.remove(&cause) {
                self.expanded.insert(cause);
            }
            self.alert_chosen = true;
            self.refresh_rows();
            return;
        }
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
        self.choose_cluster(false);
        self.focus = Pane::Findings;
        self.scroll_into_view();
    }

    /// The panes Tab goes through: the Clusters pane only in a fleet.
    fn pane_order(&self) -> &'static [Pane] {
        if self.has_clusters_pane() {
            &Pane::FLEET_ORDER
        } else {
            &Pane::ORDER
        }
    }

    /// What has the keys now.
    pub fn key_mode(&self) -> Mode {
        if self.filter_input.is_some() {
            Mode::FilterBox
        } else if self.context_picker.is_some() {
            Mode::Picker
        } else if self.overlay.is_some() {
            Mode::Overlay
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
            Mode::Overlay if action != Action::Quit => self.overlay_key(action),
            _ => {
                self.act(action);
                self.follow_namespaces_pane();
            }
        }
    }

    fn act(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::OpenHelp => self.help = true,
            Action::CloseHelp => self.help = false,
            Action::NextPane => self.focus = Pane::next_in(self.pane_order(), self.focus, 1),
            Action::PrevPane => self.focus = Pane::next_in(self.pane_order(), self.focus, -1),
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
                Pane::Clusters => self.focus = Pane::Namespaces,
                Pane::Namespaces => self.focus = Pane::Workloads,
                Pane::Workloads => {
                    // Opening a workload's findings is a choice of that workload.
                    self.workload_chosen |= self.selected.is_some();
                    self.choose_cluster(false);
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
                        Pane::Namespaces if self.has_clusters_pane() => Pane::Clusters,
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
            Action::ExportMarkdown | Action::ExportHtml if self.showing_all() => {
                self.note = Some(
                    "export: select one cluster (`shipshape report --format markdown` writes every cluster's)".into(),
                );
            }
            Action::ExportMarkdown => self.export_request = Some(ExportFormat::Markdown),
            Action::ExportHtml => self.export_request = Some(ExportFormat::Html),
            Action::Theme => {
                self.theme_index = (self.theme_index + 1) % self.themes.len();
                self.note = Some(format!("theme: {}", self.theme().name));
            }
            Action::OpenContexts => self.open_context_picker(),
            Action::Logs => self.open_logs(),
            Action::NextSteps => self.open_next_steps(),
            Action::ViewObject => self.open_object(),
            Action::Timeline => self.open_overlay(Overlay::Timeline),
            // The filter box's and the picker's own keys (see `filter_box`, `picker`).
            Action::ApplyFilter
            | Action::CancelFilter
            | Action::Type(_)
            | Action::DeleteChar
            | Action::ClearFilter
            | Action::DeleteWord
            | Action::SwitchContext
            | Action::CloseContexts
            | Action::Copy
            | Action::CloseOverlay => {}
        }
    }

    fn open_overlay(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_scroll = 0;
    }

    /// The alert the findings pane is about: the one picked in the alerts strip when it is the
    /// selected workload's, else the workload's worst alert that names a pod.
    pub fn focused_alert(&self) -> Option<&Alert> {
        let report = self.selected_report()?;
        if let Some((check, key)) = &self.selected_alert {
            if Some(key) == self.selected.as_ref() {
                if let Some(a) = report.alerts.iter().find(|a| &a.check == check) {
                    return Some(a);
                }
            }
        }
        report
            .alerts
            .iter()
            .filter(|a| !a.pods.is_empty())
            .max_by_key(|a| a.severity)
            .or_else(|| report.alerts.first())
    }

    /// `l`: the logs of the container the alert names. Off the draw loop: the event loop
    /// fetches them and hands the answer to [`App::logs_arrived`].
    fn open_logs(&mut self) {
        if self.cluster_findings() {
            let alert = super::cluster_focus::subject(self, 'l').and_then(|a| {
                super::cluster_focus::with_pod(self, a).ok_or_else(|| {
                    format!(
                        "l: {} {}/{} has no pod to read logs from",
                        a.workload.kind, a.workload.namespace, a.workload.name
                    )
                })
            });
            match alert {
                Ok(a) => self.open_logs_of(&a),
                Err(why) => self.note = Some(why),
            }
            return;
        }
        let Some(alert) = self.focused_alert() else {
            self.note = Some("logs: this workload has no alert naming a pod".into());
            return;
        };
        let alert = alert.clone();
        self.open_logs_of(&alert);
    }

    fn open_logs_of(&mut self, alert: &Alert) {
        // The pods are in the row's own cluster, under its own namespace.
        let Some((context, model, alert)) = self.own_alert(alert) else {
            return;
        };
        let Some(target) = crate::triage::logs::target_of(&alert, model) else {
            self.note = Some("logs: the alert names no pod".into());
            return;
        };
        let instance = crate::triage::logs::instance(model, &target);
        let context = context.map(str::to_string);
        let state = match self.mode {
            SourceMode::Live => {
                self.log_request = Some(target.clone());
                self.log_context = context;
                LogState::Loading
            }
            SourceMode::Demo => LogState::Problem(
                "no cluster behind the demo: logs are read from a live cluster only".into(),
            ),
            SourceMode::File => LogState::Problem(
                "no cluster behind a file: logs are read from a live cluster only".into(),
            ),
        };
        self.open_overlay(Overlay::Logs(LogsView {
            target,
            instance,
            state,
        }));
    }

    /// An alert as its own cluster has it: the context, that cluster's model, and the alert
    /// under the cluster's own workload key.
    fn own_alert(&self, alert: &Alert) -> Option<(Option<&str>, &ClusterModel, Alert)> {
        let (context, engine, key) = self.row_source(&alert.workload)?;
        let mut own = alert.clone();
        own.workload = key;
        Some((context, engine.model(), own))
    }

    /// The answer to a log fetch. An answer for logs no longer shown is dropped: log lines
    /// live in the pane and nowhere else.
    pub fn logs_arrived(&mut self, target: &LogTarget, answer: Result<String, String>) {
        if let Some(Overlay::Logs(view)) = &mut self.overlay {
            if &view.target == target && view.state == LogState::Loading {
                view.state = match answer {
                    Ok(raw) if raw.trim().is_empty() => {
                        LogState::Problem("the container wrote nothing".into())
                    }
                    Ok(raw) => LogState::Lines(crate::triage::logs::prepare(&raw)),
                    Err(why) => LogState::Problem(why),
                };
                // The newest lines first in view: the end of the log.
                self.overlay_scroll = u16::MAX;
            }
        }
    }

    /// `y`: the next commands for the selected cause or alert (alerts pane) or the workload.
    fn open_next_steps(&mut self) {
        let live = self.mode == SourceMode::Live;
        let context = self.context.as_deref().filter(|_| live);
        // A row of the "all clusters" view: the commands name its own cluster and namespace.
        let for_alert = |a: &Alert| {
            let title = format!("{} {}/{}", a.reason, a.workload.namespace, a.workload.name);
            let (context, _, own) = self.own_alert(a)?;
            Some((title, commands::for_alert(&own, context.filter(|_| live))))
        };
        let (title, commands) = if self.focus == Pane::Alerts {
            if let Some(c) = self.selected_cause.as_ref().and_then(|k| self.cause(k)) {
                (c.headline(), commands::for_cause(c, context))
            } else if let Some(a) = self.selected_alert.as_ref().and_then(|k| self.alert(k)) {
                let Some(found) = for_alert(a) else { return };
                found
            } else {
                return;
            }
        } else if self.cluster_findings() {
            match super::cluster_focus::subject(self, 'y') {
                Ok(a) => (
                    format!("{} {}/{}", a.reason, a.workload.namespace, a.workload.name),
                    commands::for_alert(a, context),
                ),
                Err(why) => {
                    self.note = Some(why);
                    return;
                }
            }
        } else if let Some(a) = self.focused_alert() {
            let Some(found) = for_alert(a) else { return };
            found
        } else if let Some(k) = &self.selected {
            let Some((context, _, own)) = self.row_source(k) else {
                return;
            };
            (
                format!("{}/{}", k.namespace, k.name),
                commands::for_workload(&own, context.filter(|_| live)),
            )
        } else {
            return;
        };
        self.open_overlay(Overlay::Commands {
            title,
            commands,
            cursor: 0,
        });
    }

    /// `v`: the selected workload's object as shipshape holds it.
    fn open_object(&mut self) {
        let key = if self.cluster_findings() {
            match super::cluster_focus::subject(self, 'v') {
                Ok(a) => a.workload.clone(),
                Err(why) => {
                    self.note = Some(why);
                    return;
                }
            }
        } else {
            let Some(key) = self.selected.clone() else {
                return;
            };
            key
        };
        // The object is in the row's own cluster, under its own namespace.
        let Some((_, engine, own)) = self.row_source(&key) else {
            return;
        };
        let lines = match crate::triage::object::yaml(engine.model(), &own) {
            Some(text) => {
                let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
                if let Some(report) = engine.grades().workloads.get(&own) {
                    let failing: Vec<(&str, &[String])> = report
                        .failing()
                        .filter(|r| !r.containers().is_empty())
                        .map(|r| (r.check.as_ref(), r.containers()))
                        .collect();
                    crate::triage::object::mark_containers(&mut lines, &failing);
                }
                lines
            }
            None => vec![format!(
                "shipshape holds no {} object for {}",
                key.kind, key.name
            )],
        };
        self.open_overlay(Overlay::Object {
            title: format!("{} {}/{}", key.kind, key.namespace, key.name),
            lines,
        });
    }

    /// A key in a full-screen view.
    fn overlay_key(&mut self, action: Action) {
        let page = (self.viewport.height.saturating_sub(6).max(2) - 1) as isize;
        let step = match action {
            Action::CloseOverlay => {
                self.overlay = None;
                return;
            }
            Action::Copy => {
                if let Some(Overlay::Commands {
                    commands, cursor, ..
                }) = &self.overlay
                {
                    if let Some(c) = commands.get(*cursor) {
                        self.copy_request = Some(c.line.clone());
                        // Where the terminal ignores OSC 52, the line stays on screen to select.
                        self.note = Some(format!("copied (OSC 52): {}", c.line));
                    }
                }
                return;
            }
            Action::Move(Step::Down) => 1,
            Action::Move(Step::Up) => -1,
            Action::Move(Step::PageDown) => page,
            Action::Move(Step::PageUp) => -page,
            Action::Move(Step::First) => -1_000_000,
            Action::Move(Step::Last) => 1_000_000,
            _ => return,
        };
        if let Some(Overlay::Commands {
            commands, cursor, ..
        }) = &mut self.overlay
        {
            let last = commands.len().saturating_sub(1) as isize;
            *cursor = (*cursor as isize + step).clamp(0, last) as usize;
            return;
        }
        let max = self.overlay_max_scroll() as isize;
        let from = (self.overlay_scroll as isize).min(max);
        self.overlay_scroll = (from + step).clamp(0, max) as u16;
    }

    /// How far the open view scrolls: its lines less those that fit.
    pub fn overlay_max_scroll(&self) -> u16 {
        super::draw::overlay_max_scroll(self)
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
        self.last_message = None;
        self.start_over();
    }

    /// The view of a cluster shown anew: all namespaces, the first rows, nothing open.
    fn start_over(&mut self) {
        self.namespace = None;
        self.workload_chosen = false;
        self.alert_chosen = false;
        self.cluster_chosen = false;
        self.selected_alert = None;
        self.selected_cause = None;
        self.expanded.clear();
        self.overlay = None;
        self.timeline.reset();
        self.observe();
        self.refresh_rows();
    }

    pub fn handle_mouse(&mut self, m: MouseEvent) {
        let areas = self.areas();
        let pos = Position::new(m.column, m.row);
        let pane = [
            (Pane::Clusters, areas.clusters),
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
                    Pane::Clusters => {
                        // A border line and a header line come before the first row.
                        let first = areas.clusters.y as usize + 2;
                        let offset = self.fleet.as_ref().map_or(0, |f| f.offset);
                        match (m.row as usize).checked_sub(first).map(|i| offset + i) {
                            Some(0) => self.select_all_clusters(),
                            Some(row) => {
                                let context = self
                                    .fleet
                                    .as_ref()
                                    .and_then(|f| f.members.get(row - 1))
                                    .map(|m| m.context.clone());
                                if let Some(context) = context {
                                    self.select_cluster(&context);
                                }
                            }
                            None => {}
                        }
                    }
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
                            if let Some(k) = self.rows.get(self.workloads_offset + i).cloned() {
                                // A click is a choice, even of the row already selected.
                                self.workload_chosen = true;
                                self.choose_cluster(false);
                                if self.selected.as_ref() != Some(&k) {
                                    self.selected = Some(k);
                                    self.findings_scroll = 0;
                                }
                            }
                        }
                    }
                    Pane::Alerts => {
                        let first = areas.alerts.y as usize + 1;
                        if let Some(i) = (m.row as usize).checked_sub(first) {
                            if let Some(k) = self.strip.get(self.alerts_offset + i).cloned() {
                                self.select_strip_row(Some(k));
                                self.alert_chosen = true;
                            }
                        }
                    }
                    Pane::Findings => {}
                }
            }
            _ => {}
        }
        self.follow_namespaces_pane();
    }
}
