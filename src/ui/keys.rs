//! The key table: every key of the dashboard, where it works, what it does, and how the
//! status bar and the help screen name it. [`App::handle_key`](super::app::App::handle_key)
//! dispatches on the [`Action`] it finds here; the status bar and the help screen are made
//! from the same rows, so a key is written once.

use super::layout::Pane;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key does. [`App`](super::app::App) carries it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    OpenHelp,
    CloseHelp,
    NextPane,
    PrevPane,
    /// Moves the selection (scrolls the findings; moves the context picker's cursor).
    Move(Step),
    FocusLeft,
    FocusRight,
    /// Drills down: namespaces to workloads, a workload to its findings, an alert to its
    /// workload.
    Open,
    /// Clears the filter, or goes back a pane.
    Back,
    OpenFilter,
    Sort,
    AlertsOnly,
    ShowAll,
    ExportMarkdown,
    ExportHtml,
    Theme,
    OpenContexts,
    ApplyFilter,
    CancelFilter,
    /// Types a character into the filter box.
    Type(char),
    DeleteChar,
    ClearFilter,
    DeleteWord,
    SwitchContext,
    CloseContexts,
    /// Fetches the logs of the container an alert names.
    Logs,
    /// Lists the next commands for the selected alert, cause or workload.
    NextSteps,
    /// Shows the selected workload's object as YAML.
    ViewObject,
    /// Shows the alerts that appeared and cleared since the dashboard started.
    Timeline,
    /// Copies the command under the cursor (OSC 52).
    Copy,
    CloseOverlay,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Down,
    Up,
    PageDown,
    PageUp,
    First,
    Last,
}

/// What has the keys: one of these at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Dashboard(Pane),
    FilterBox,
    Help,
    Picker,
    /// A full-screen view (logs, object, next steps, timeline).
    Overlay,
}

/// Where a binding works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Anywhere,
    /// The dashboard with one of these panes focused; in the others the key does nothing.
    Panes(&'static [Pane]),
    FilterBox,
    Help,
    Picker,
    Overlay,
}

impl Scope {
    pub fn covers(self, mode: Mode) -> bool {
        match (self, mode) {
            (Scope::Anywhere, _) => true,
            (Scope::Panes(panes), Mode::Dashboard(p)) => panes.contains(&p),
            (Scope::FilterBox, Mode::FilterBox)
            | (Scope::Help, Mode::Help)
            | (Scope::Picker, Mode::Picker)
            | (Scope::Overlay, Mode::Overlay) => true,
            _ => false,
        }
    }
}

/// A key press: its code, and whether Ctrl must be held. Other modifiers do not matter
/// (Shift-E is `E`), except in the filter box, where Alt with a letter is no editing key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Press {
    pub code: KeyCode,
    pub ctrl: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding {
    pub scope: Scope,
    pub press: Press,
    pub action: Action,
}

impl Binding {
    fn matches(&self, mode: Mode, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        self.scope.covers(mode)
            && self.press.code == key.code
            && (ctrl || !self.press.ctrl)
            && !(self.scope == Scope::FilterBox && alt && matches!(key.code, KeyCode::Char(_)))
    }
}

/// Where the status bar (or a popup's own hint line) shows a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bar {
    /// With this pane focused, before the common keys.
    Pane(Pane),
    /// Whatever is focused.
    Every,
    /// Whatever is focused, when watching a cluster, or not.
    Live,
    NotLive,
    /// While the filter is typed, and after Enter found a problem in it.
    FilterBox,
    FilterProblem,
    /// The context picker's hint line.
    Picker,
    /// A full-screen view's hint line.
    Overlay,
    /// The help screen's title.
    HelpTitle,
}

/// A key as a hint line shows it. Within one bar, hints go by `rank`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hint {
    pub bar: Bar,
    pub rank: u8,
    pub key: &'static str,
    pub what: &'static str,
}

/// What the help screen says of a row: its keys as written there, and what they do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Help {
    pub keys: &'static str,
    pub does: &'static str,
    /// The filter's examples follow `does`, from [`super::filter::GRAMMAR`], then how custom
    /// checks are filtered ([`super::filter::CUSTOM_CHECKS`]).
    pub with_filter_examples: bool,
}

impl Help {
    pub fn text(&self) -> String {
        if self.with_filter_examples {
            format!(
                "{}, {}; {}",
                self.does,
                super::filter::examples(", "),
                super::filter::CUSTOM_CHECKS
            )
        } else {
            self.does.to_string()
        }
    }
}

/// One row of the table: the help screen's line (if it shows one), the bindings it stands
/// for, and the hints that name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub help: Option<Help>,
    pub bindings: &'static [Binding],
    pub hints: &'static [Hint],
}

const ALL: &[Pane] = &Pane::FLEET_ORDER;
const CL: Pane = Pane::Clusters;
const NS: Pane = Pane::Namespaces;
const WL: Pane = Pane::Workloads;
const FI: Pane = Pane::Findings;
const AL: Pane = Pane::Alerts;

const fn key(scope: Scope, code: KeyCode, action: Action) -> Binding {
    Binding {
        scope,
        press: Press { code, ctrl: false },
        action,
    }
}

const fn ch(scope: Scope, c: char, action: Action) -> Binding {
    key(scope, KeyCode::Char(c), action)
}

const fn ctrl(scope: Scope, c: char, action: Action) -> Binding {
    Binding {
        scope,
        press: Press {
            code: KeyCode::Char(c),
            ctrl: true,
        },
        action,
    }
}

const fn hint(bar: Bar, rank: u8, key: &'static str, what: &'static str) -> Hint {
    Hint {
        bar,
        rank,
        key,
        what,
    }
}

const fn help(keys: &'static str, does: &'static str) -> Option<Help> {
    Some(Help {
        keys,
        does,
        with_filter_examples: false,
    })
}

const DASH: Scope = Scope::Panes(ALL);

/// Every key, in the help screen's order; rows the help screen leaves out (the filter box's,
/// the help screen's and the picker's own keys) come last.
pub const KEYS: &[Row] = &[
    Row {
        help: help(
            "↑ ↓  j k",
            "move the selection (scroll in findings; in the cluster view, pick the failing \
             finding whose workload l, v and y act on)",
        ),
        bindings: &[
            key(DASH, KeyCode::Down, Action::Move(Step::Down)),
            ch(DASH, 'j', Action::Move(Step::Down)),
            key(DASH, KeyCode::Up, Action::Move(Step::Up)),
            ch(DASH, 'k', Action::Move(Step::Up)),
        ],
        hints: &[
            hint(Bar::Pane(CL), 0, "↑↓", "cluster (top: all)"),
            hint(Bar::Pane(NS), 0, "↑↓", "namespace"),
            hint(Bar::Pane(WL), 0, "↑↓", "select"),
            hint(Bar::Pane(FI), 0, "↑↓", "scroll"),
            hint(Bar::Pane(AL), 0, "↑↓", "select"),
        ],
    },
    Row {
        help: help(
            "← →  h l",
            "move between namespaces, workloads and findings",
        ),
        bindings: &[
            key(
                Scope::Panes(&[WL, FI, AL]),
                KeyCode::Left,
                Action::FocusLeft,
            ),
            ch(Scope::Panes(&[WL, FI, AL]), 'h', Action::FocusLeft),
            key(
                Scope::Panes(&[NS, WL, AL]),
                KeyCode::Right,
                Action::FocusRight,
            ),
            ch(Scope::Panes(&[NS, WL, AL]), 'l', Action::FocusRight),
        ],
        hints: &[],
    },
    Row {
        help: help("Tab  Shift-Tab", "next / previous pane"),
        bindings: &[
            key(DASH, KeyCode::Tab, Action::NextPane),
            key(DASH, KeyCode::BackTab, Action::PrevPane),
        ],
        hints: &[
            hint(Bar::Pane(CL), 2, "Tab", "next pane"),
            hint(Bar::Pane(NS), 2, "Tab", "next pane"),
            hint(Bar::Every, 0, "Tab", "pane"),
        ],
    },
    Row {
        help: help("Enter", "drill down; on an alert, open its workload"),
        bindings: &[key(
            Scope::Panes(&[CL, NS, WL, AL]),
            KeyCode::Enter,
            Action::Open,
        )],
        hints: &[
            hint(Bar::Pane(CL), 1, "Enter", "namespaces"),
            hint(Bar::Pane(NS), 1, "Enter", "workloads"),
            hint(Bar::Pane(WL), 1, "Enter", "findings"),
            hint(Bar::Pane(AL), 1, "Enter", "open workload"),
        ],
    },
    Row {
        help: help("Esc", "back; clears the filter"),
        bindings: &[key(DASH, KeyCode::Esc, Action::Back)],
        hints: &[
            hint(Bar::Pane(FI), 2, "Esc", "back"),
            hint(Bar::Pane(AL), 2, "Esc", "back"),
        ],
    },
    Row {
        help: Some(Help {
            keys: "/",
            does: "filter: names",
            with_filter_examples: true,
        }),
        bindings: &[ch(DASH, '/', Action::OpenFilter)],
        hints: &[hint(Bar::Pane(WL), 4, "/", "filter")],
    },
    Row {
        help: help(
            "Ctrl-U  Ctrl-W",
            "in the filter: clear it, delete the last word",
        ),
        bindings: &[
            ctrl(Scope::FilterBox, 'u', Action::ClearFilter),
            ctrl(Scope::FilterBox, 'w', Action::DeleteWord),
        ],
        hints: &[],
    },
    Row {
        help: help("s", "cycle sort: worst first, name, score, kind, restarts"),
        bindings: &[ch(DASH, 's', Action::Sort)],
        hints: &[hint(Bar::Pane(WL), 2, "s", "sort")],
    },
    Row {
        help: help("a", "only workloads with runtime alerts"),
        bindings: &[ch(DASH, 'a', Action::AlertsOnly)],
        hints: &[hint(Bar::Pane(WL), 3, "a", "alerts only")],
    },
    Row {
        help: help("w", "show passed, unknown, n/a and waived results too"),
        bindings: &[ch(DASH, 'w', Action::ShowAll)],
        hints: &[hint(Bar::Pane(FI), 1, "w", "all results")],
    },
    Row {
        help: help("t", "cycle theme"),
        bindings: &[ch(DASH, 't', Action::Theme)],
        // Watching a cluster, switching context matters more than the theme.
        hints: &[hint(Bar::NotLive, 2, "t", "theme")],
    },
    Row {
        help: help("c", "switch kube context (when watching a cluster)"),
        bindings: &[ch(DASH, 'c', Action::OpenContexts)],
        hints: &[hint(Bar::Live, 2, "c", "context")],
    },
    Row {
        help: help(
            "e  E",
            "export what is shown as a Markdown (e) or HTML (E) report in the current directory",
        ),
        bindings: &[
            ch(DASH, 'e', Action::ExportMarkdown),
            ch(DASH, 'E', Action::ExportHtml),
        ],
        hints: &[hint(Bar::Every, 1, "e", "export")],
    },
    Row {
        help: help(
            "l",
            "in findings: the alert's container logs (the previous instance after a crash)",
        ),
        bindings: &[ch(Scope::Panes(&[FI]), 'l', Action::Logs)],
        hints: &[hint(Bar::Pane(FI), 3, "l", "logs")],
    },
    Row {
        help: help(
            "y",
            "next steps: kubectl commands for the alert, cause or workload (y copies)",
        ),
        bindings: &[ch(Scope::Panes(&[WL, FI, AL]), 'y', Action::NextSteps)],
        hints: &[
            hint(Bar::Pane(FI), 4, "y", "next steps"),
            hint(Bar::Pane(AL), 3, "y", "next steps"),
        ],
    },
    Row {
        help: help("v", "the workload's object as shipshape holds it (YAML)"),
        bindings: &[ch(Scope::Panes(&[WL, FI]), 'v', Action::ViewObject)],
        hints: &[hint(Bar::Pane(WL), 5, "v", "object")],
    },
    Row {
        help: help(
            "T",
            "timeline: alerts that appeared and cleared while watching",
        ),
        bindings: &[ch(DASH, 'T', Action::Timeline)],
        hints: &[hint(Bar::Pane(AL), 4, "T", "timeline")],
    },
    Row {
        help: help("PgUp PgDn  g G", "page, first, last"),
        bindings: &[
            key(DASH, KeyCode::PageDown, Action::Move(Step::PageDown)),
            key(DASH, KeyCode::PageUp, Action::Move(Step::PageUp)),
            key(DASH, KeyCode::Home, Action::Move(Step::First)),
            ch(DASH, 'g', Action::Move(Step::First)),
            key(DASH, KeyCode::End, Action::Move(Step::Last)),
            ch(DASH, 'G', Action::Move(Step::Last)),
        ],
        hints: &[],
    },
    Row {
        // The mouse is handled by `App::handle_mouse`; the row is for the help screen.
        help: help("mouse", "click selects, wheel scrolls"),
        bindings: &[],
        hints: &[],
    },
    Row {
        help: help("?  q  Ctrl-C", "help, quit"),
        bindings: &[
            ch(DASH, '?', Action::OpenHelp),
            ch(DASH, 'q', Action::Quit),
            ctrl(Scope::Anywhere, 'c', Action::Quit),
        ],
        hints: &[
            hint(Bar::Every, 3, "?", "help"),
            hint(Bar::Every, 4, "q", "quit"),
        ],
    },
    Row {
        help: None,
        bindings: &[
            key(Scope::FilterBox, KeyCode::Enter, Action::ApplyFilter),
            key(Scope::FilterBox, KeyCode::Esc, Action::CancelFilter),
        ],
        hints: &[
            hint(Bar::FilterBox, 0, "Enter", "apply"),
            hint(Bar::FilterBox, 1, "Esc", "cancel"),
            hint(Bar::FilterProblem, 0, "Esc", "cancel"),
        ],
    },
    Row {
        help: None,
        bindings: &[
            key(Scope::FilterBox, KeyCode::Backspace, Action::DeleteChar),
            ctrl(Scope::FilterBox, 'h', Action::DeleteChar),
        ],
        hints: &[],
    },
    Row {
        help: None,
        bindings: &[
            key(Scope::Help, KeyCode::Esc, Action::CloseHelp),
            ch(Scope::Help, '?', Action::CloseHelp),
            ch(Scope::Help, 'q', Action::CloseHelp),
        ],
        hints: &[hint(Bar::HelpTitle, 0, "Esc", "closes")],
    },
    Row {
        help: None,
        bindings: &[
            key(Scope::Picker, KeyCode::Enter, Action::SwitchContext),
            key(Scope::Picker, KeyCode::Esc, Action::CloseContexts),
            ch(Scope::Picker, 'q', Action::CloseContexts),
            ch(Scope::Picker, 'c', Action::CloseContexts),
        ],
        hints: &[
            hint(Bar::Picker, 0, "Enter", "switch"),
            hint(Bar::Picker, 1, "Esc", "cancel"),
        ],
    },
    Row {
        help: None,
        bindings: &[
            key(Scope::Picker, KeyCode::Down, Action::Move(Step::Down)),
            ch(Scope::Picker, 'j', Action::Move(Step::Down)),
            key(Scope::Picker, KeyCode::Up, Action::Move(Step::Up)),
            ch(Scope::Picker, 'k', Action::Move(Step::Up)),
            key(Scope::Picker, KeyCode::Home, Action::Move(Step::First)),
            ch(Scope::Picker, 'g', Action::Move(Step::First)),
            key(Scope::Picker, KeyCode::End, Action::Move(Step::Last)),
            ch(Scope::Picker, 'G', Action::Move(Step::Last)),
        ],
        hints: &[],
    },
    Row {
        help: None,
        bindings: &[
            key(Scope::Overlay, KeyCode::Down, Action::Move(Step::Down)),
            ch(Scope::Overlay, 'j', Action::Move(Step::Down)),
            key(Scope::Overlay, KeyCode::Up, Action::Move(Step::Up)),
            ch(Scope::Overlay, 'k', Action::Move(Step::Up)),
            key(
                Scope::Overlay,
                KeyCode::PageDown,
                Action::Move(Step::PageDown),
            ),
            key(Scope::Overlay, KeyCode::PageUp, Action::Move(Step::PageUp)),
            key(Scope::Overlay, KeyCode::Home, Action::Move(Step::First)),
            ch(Scope::Overlay, 'g', Action::Move(Step::First)),
            key(Scope::Overlay, KeyCode::End, Action::Move(Step::Last)),
            ch(Scope::Overlay, 'G', Action::Move(Step::Last)),
        ],
        hints: &[hint(Bar::Overlay, 0, "↑↓", "scroll")],
    },
    Row {
        help: None,
        bindings: &[
            ch(Scope::Overlay, 'y', Action::Copy),
            key(Scope::Overlay, KeyCode::Enter, Action::Copy),
        ],
        hints: &[hint(Bar::Overlay, 1, "y", "copy")],
    },
    Row {
        help: None,
        bindings: &[
            key(Scope::Overlay, KeyCode::Esc, Action::CloseOverlay),
            ch(Scope::Overlay, 'q', Action::CloseOverlay),
        ],
        hints: &[hint(Bar::Overlay, 2, "Esc", "close")],
    },
];

/// Every binding of the table, in its order.
pub fn bindings() -> impl Iterator<Item = &'static Binding> {
    KEYS.iter().flat_map(|r| r.bindings)
}

/// What `key` does in `mode`, if anything. Ctrl bindings are tried first, so Ctrl-C quits
/// where `c` alone means something else; in the filter box a plain character types itself.
pub fn action(mode: Mode, key: &KeyEvent) -> Option<Action> {
    let found = bindings()
        .filter(|b| b.press.ctrl)
        .chain(bindings().filter(|b| !b.press.ctrl))
        .find(|b| b.matches(mode, key))
        .map(|b| b.action);
    match (found, mode, key.code) {
        (None, Mode::FilterBox, KeyCode::Char(c))
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Type(c))
        }
        _ => found,
    }
}

/// The hints of `bar`, in rank order.
pub fn hints(bar: Bar) -> Vec<&'static Hint> {
    let mut hints: Vec<&Hint> = KEYS
        .iter()
        .flat_map(|r| r.hints)
        .filter(|h| h.bar == bar)
        .collect();
    hints.sort_by_key(|h| h.rank);
    hints
}

/// A popup's hint line: `Enter switch · Esc cancel`.
pub fn hint_line(bar: Bar) -> String {
    hints(bar)
        .iter()
        .map(|h| format!("{} {}", h.key, h.what))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The help screen's rows.
pub fn help_rows() -> impl Iterator<Item = Help> {
    KEYS.iter().filter_map(|r| r.help)
}
