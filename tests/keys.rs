//! The key table is the dashboard's keys: every binding does something where the table says
//! it works and nothing elsewhere, and the help screen and the status bar list exactly its
//! rows and hints. The filter grammar's examples are those the help, status bar and README
//! show.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shipshape::config::Config;
use shipshape::source::demo::demo_model;
use shipshape::ui::app::{App, Pane, SortMode, SourceMode};
use shipshape::ui::filter::{examples, Filter, GRAMMAR};
use shipshape::ui::keys::{self, Action, Bar, Binding, Mode, Scope, KEYS};
use shipshape::ui::theme::Theme;

fn demo_app() -> App {
    let mut app = App::new(
        demo_model(),
        Config::default(),
        SourceMode::Demo,
        Theme::builtin("dark").unwrap().with_shipped(),
    );
    app.resize(160, 48);
    app
}

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    app.handle_key(KeyEvent::new(code, modifiers));
}

fn key(app: &mut App, code: KeyCode) {
    press(app, code, KeyModifiers::NONE);
}

fn screen(app: &App) -> Vec<String> {
    let buf = shipshape::ui::draw::to_buffer(app);
    (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            line.trim_end().to_string()
        })
        .collect()
}

/// Everything a key may change that the event loop or the screen sees.
fn state(app: &App) -> String {
    format!(
        "{:?} {:?} {:?} {:?} {} {:?} {:?} {:?} {} {} {} {} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {:?} {:?}",
        app.focus,
        app.namespace,
        app.selected,
        app.selected_alert,
        app.findings_scroll,
        app.filter.text,
        app.filter_input,
        app.sort,
        app.alerts_only,
        app.show_all,
        app.theme_index,
        app.help,
        app.quit,
        app.note,
        app.context_picker,
        app.request,
        app.export_request,
        app.selected_cause,
        app.expanded,
        app.overlay,
        app.overlay_scroll,
        app.log_request,
        app.copy_request,
    )
}

const MODES: [Mode; 8] = [
    Mode::Dashboard(Pane::Namespaces),
    Mode::Dashboard(Pane::Workloads),
    Mode::Dashboard(Pane::Findings),
    Mode::Dashboard(Pane::Alerts),
    Mode::FilterBox,
    Mode::Help,
    Mode::Picker,
    Mode::Overlay,
];

/// An app in `mode`, with every list's selection in its middle (so a move either way moves),
/// a filter applied (so Esc has one to clear) and every result shown (so findings scroll).
fn app_in(mode: Mode) -> App {
    let mut app = demo_app();
    set_up(&mut app, mode);
    app
}

/// Puts `app` back as [`demo_app`] made it (grading the demo again is the slow part), then
/// into `mode` as [`app_in`] says.
fn set_up(app: &mut App, mode: Mode) {
    app.mode = SourceMode::Demo;
    app.focus = Pane::Workloads;
    app.namespace = None;
    app.selected = None;
    app.selected_alert = None;
    app.findings_scroll = 0;
    app.filter = Filter::default();
    app.filter_input = None;
    app.sort = SortMode::Worst;
    app.alerts_only = false;
    app.show_all = false;
    app.theme_index = 0;
    app.help = false;
    app.quit = false;
    app.context_picker = None;
    app.request = None;
    app.export_request = None;
    app.selected_cause = None;
    app.expanded.clear();
    app.overlay = None;
    app.overlay_scroll = 0;
    app.log_request = None;
    app.copy_request = None;
    app.refresh_rows();
    key(app, KeyCode::Char('/'));
    key(app, KeyCode::Char('e'));
    key(app, KeyCode::Enter);
    assert_eq!(app.filter.text, "e");
    key(app, KeyCode::Char('w'));
    assert!(app.show_all);
    match mode {
        Mode::Dashboard(Pane::Namespaces) => {
            app.focus = Pane::Namespaces;
            key(app, KeyCode::Down);
            key(app, KeyCode::Down);
            assert!(app.namespace.is_some());
        }
        Mode::Dashboard(Pane::Workloads) => {
            assert!(app.rows.len() > 20, "{}", app.rows.len());
            for _ in 0..10 {
                key(app, KeyCode::Down);
            }
        }
        Mode::Dashboard(Pane::Findings) => {
            key(app, KeyCode::Down);
            key(app, KeyCode::Enter);
            assert_eq!(app.focus, Pane::Findings);
            assert!(
                app.findings_max_scroll() > 10,
                "{}",
                app.findings_max_scroll()
            );
            for _ in 0..5 {
                key(app, KeyCode::Down);
            }
        }
        Mode::Dashboard(Pane::Alerts) => {
            app.focus = Pane::Alerts;
            assert!(app.alert_rows.len() >= 3, "{}", app.alert_rows.len());
            key(app, KeyCode::Down);
        }
        // Only a dashboard of several clusters has it (tests/fleet_dashboard.rs).
        Mode::Dashboard(Pane::Clusters) => unreachable!("not in MODES"),
        Mode::FilterBox => {
            key(app, KeyCode::Char('/'));
            key(app, KeyCode::Char(' '));
            key(app, KeyCode::Char('x'));
        }
        Mode::Help => key(app, KeyCode::Char('?')),
        Mode::Picker => {
            app.mode = SourceMode::Live;
            app.contexts = vec!["prod".into(), "staging".into(), "dev".into()];
            app.context = Some("prod".into());
            key(app, KeyCode::Char('c'));
            key(app, KeyCode::Down);
            assert_eq!(app.context_picker.as_deref(), Some("staging"));
        }
        Mode::Overlay => {
            // The next steps of the selected workload, the cursor on the second command.
            key(app, KeyCode::Char('y'));
            key(app, KeyCode::Down);
            assert!(
                matches!(&app.overlay, Some(shipshape::ui::app::Overlay::Commands { commands, cursor: 1, .. }) if commands.len() > 2),
                "{:?}",
                app.overlay
            );
        }
    }
    app.note = None;
    assert_eq!(app.key_mode(), mode);
}

fn event(b: &Binding) -> KeyEvent {
    let modifiers = if b.press.ctrl {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(b.press.code, modifiers)
}

#[test]
fn every_key_does_something_where_it_works_and_nothing_elsewhere() {
    for mode in MODES {
        let mut app = demo_app();
        for b in keys::bindings() {
            let outside_its_panes =
                matches!(b.scope, Scope::Panes(_)) && matches!(mode, Mode::Dashboard(_));
            if !b.scope.covers(mode) && !outside_its_panes {
                continue;
            }
            set_up(&mut app, mode);
            let before = state(&app);
            app.handle_key(event(b));
            let after = state(&app);
            // The table finds this binding (and no other) for its press in its scope.
            let found = keys::action(mode, &event(b));
            if b.scope.covers(mode) {
                assert_eq!(found, Some(b.action), "{b:?} in {mode:?}");
                assert_ne!(after, before, "{b:?} changes nothing in {mode:?}");
            } else {
                // A dashboard key outside its panes does nothing of its own: it is a no-op, or
                // the press is another row's there (`l` moves right in the lists and reads
                // logs in the findings, where nothing lies to its right).
                let other = keys::bindings()
                    .find(|o| o.press == b.press && o.scope.covers(mode))
                    .map(|o| o.action);
                assert_eq!(found, other, "{b:?} in {mode:?}");
                assert_ne!(found, Some(b.action), "{b:?} in {mode:?}");
                if other.is_none() {
                    assert_eq!(after, before, "{b:?} outside its panes, in {mode:?}");
                }
            }
        }
    }
    // In the filter box any other character types itself.
    let mut app = app_in(Mode::FilterBox);
    key(&mut app, KeyCode::Char('q'));
    assert_eq!(app.filter_input.as_deref(), Some("e xq"));
    assert!(!app.quit);
}

#[test]
fn no_press_has_two_bindings_in_one_mode() {
    for mode in MODES {
        let bound: Vec<&Binding> = keys::bindings().filter(|b| b.scope.covers(mode)).collect();
        for (i, a) in bound.iter().enumerate() {
            for b in &bound[i + 1..] {
                assert_ne!(a.press, b.press, "{a:?} and {b:?} in {mode:?}");
            }
        }
    }
}

/// The help popup's "Keys" section, border stripped.
fn help_keys_section(app: &App) -> Vec<String> {
    let lines = screen(app);
    let inside: Vec<String> = lines
        .iter()
        .filter_map(|l| {
            let start = l.find('║')?;
            let rest = &l[start + '║'.len_utf8()..];
            let end = rest.find('║')?;
            Some(rest[..end].trim_end().to_string())
        })
        .collect();
    let from = inside
        .iter()
        .position(|l| l == "Keys")
        .expect("a Keys heading")
        + 1;
    let to = inside
        .iter()
        .position(|l| l == "Scoring")
        .expect("a Scoring heading");
    inside[from..to]
        .iter()
        .filter(|l| !l.is_empty())
        .cloned()
        .collect()
}

#[test]
fn the_help_screen_lists_exactly_the_tables_rows() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('?'));
    let section = help_keys_section(&app);
    let rows: Vec<keys::Help> = keys::help_rows().collect();
    // Each row's line starts with its keys in a 16-column field; a line the text wraps onto
    // continues the row before it.
    let mut shown: Vec<(String, String)> = Vec::new();
    for line in &section {
        let next = rows.get(shown.len()).map(|r| format!("{:<16}", r.keys));
        match next {
            Some(field) if line.starts_with(&field) => shown.push((
                field.trim_end().to_string(),
                line[field.len()..].to_string(),
            )),
            _ => {
                let (_, text) = shown.last_mut().expect("a row before a wrapped line");
                text.push(' ');
                text.push_str(line);
            }
        }
    }
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let expected: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.keys.to_string(), words(&r.text())))
        .collect();
    let shown: Vec<(String, String)> = shown.into_iter().map(|(k, t)| (k, words(&t))).collect();
    assert_eq!(shown, expected);
    // Every key row the screen shows stands for bindings, but the mouse's.
    for row in KEYS.iter().filter(|r| r.help.is_some()) {
        assert!(
            !row.bindings.is_empty() || row.help.unwrap().keys == "mouse",
            "{row:?}"
        );
    }
    assert!(screen(&app).iter().any(|l| l.contains(&format!(
        " shipshape help · {} ",
        keys::hint_line(Bar::HelpTitle)
    ))));
}

/// The status bar's entries: `key what` items, two spaces apart.
fn status_items(app: &App) -> Vec<String> {
    let status = screen(app).last().unwrap().clone();
    status
        .split("  ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_status_bar_lists_exactly_the_hints_of_the_focused_pane() {
    for live in [false, true] {
        for pane in Pane::ORDER {
            let mut app = demo_app();
            if live {
                app.mode = SourceMode::Live;
            }
            app.focus = pane;
            // The pane's own hints, then the common ones for keys the pane does not explain.
            let own = keys::hints(Bar::Pane(pane));
            let mut expected: Vec<String> = own
                .iter()
                .copied()
                .chain(
                    [Bar::Every, if live { Bar::Live } else { Bar::NotLive }]
                        .into_iter()
                        .flat_map(keys::hints)
                        .filter(|c| !own.iter().any(|o| o.key == c.key)),
                )
                .map(|h| format!("{} {}", h.key, h.what))
                .collect();
            let items = status_items(&app);
            let mut keys_shown: Vec<&str> = items
                .iter()
                .map(|i| i.split(' ').next().unwrap_or_default())
                .collect();
            keys_shown.sort();
            let all = keys_shown.len();
            keys_shown.dedup();
            assert_eq!(all, keys_shown.len(), "a key explained twice: {items:?}");
            let mut shown = status_items(&app);
            expected.sort();
            shown.sort();
            assert_eq!(shown, expected, "{pane:?}, live {live}");
        }
    }
    // A pane's hints come before the common ones, in rank order.
    let app = demo_app();
    assert_eq!(
        status_items(&app)[..3],
        ["↑↓ select", "Enter findings", "s sort"]
    );
}

#[test]
fn every_hint_names_keys_bound_where_it_shows() {
    for row in KEYS {
        for h in row.hints {
            let modes: Vec<Mode> = match h.bar {
                Bar::Pane(p) => vec![Mode::Dashboard(p)],
                Bar::Every | Bar::Live | Bar::NotLive => {
                    Pane::ORDER.into_iter().map(Mode::Dashboard).collect()
                }
                Bar::FilterBox | Bar::FilterProblem => vec![Mode::FilterBox],
                Bar::Picker => vec![Mode::Picker],
                Bar::HelpTitle => vec![Mode::Help],
                Bar::Overlay => vec![Mode::Overlay],
            };
            for mode in modes {
                assert!(
                    row.bindings.iter().any(|b| b.scope.covers(mode)),
                    "{h:?}: nothing in its row is bound in {mode:?}"
                );
            }
        }
    }
}

#[test]
fn the_filter_box_and_the_picker_show_their_rows_hints() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('/'));
    let status = screen(&app).last().unwrap().clone();
    assert!(
        status.contains(&keys::hint_line(Bar::FilterBox)),
        "{status}"
    );
    assert!(status.contains(&examples(" ")), "{status}");
    for k in GRAMMAR {
        assert!(status.contains(k.example), "{status}");
    }
    for c in "foo:bar".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let status = screen(&app).last().unwrap().clone();
    assert!(
        status.ends_with(&format!(" · {}", keys::hint_line(Bar::FilterProblem))),
        "{status}"
    );
    // The problem names the grammar's keys.
    let names: Vec<&str> = GRAMMAR.iter().map(|k| k.names[0]).collect();
    assert!(status.contains(&names.join(", ")), "{status}");

    let mut app = app_in(Mode::Picker);
    let text = screen(&app).join("\n");
    assert!(text.contains(&keys::hint_line(Bar::Picker)), "{text}");
    press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.quit, "Ctrl-C quits from the picker too");
    assert_eq!(
        keys::action(
            Mode::Picker,
            &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE)
        ),
        Some(Action::CloseContexts)
    );
}

#[test]
fn the_readme_shows_the_filter_grammars_examples_and_every_key() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let quoted: Vec<String> = GRAMMAR.iter().map(|k| format!("`{}`", k.example)).collect();
    let quoted = quoted.join(", ");
    // Once where the dashboard is shown, once in the Keys table's `/` row.
    assert_eq!(readme.matches(&quoted).count(), 2, "README lacks {quoted}");

    // The Keys table names every key the help screen does (the README writes `↑ ↓ / j k`
    // where the help screen writes `↑ ↓  j k`).
    let section = readme.split("\n## Keys\n").nth(1).expect("a Keys section");
    let named: Vec<&str> = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .filter_map(|l| l.split('|').nth(1))
        .flat_map(|k| k.split([' ', ',']))
        .filter(|k| !k.is_empty())
        .collect();
    for row in keys::help_rows().filter(|r| r.keys != "mouse") {
        for k in row.keys.split_whitespace() {
            assert!(
                named.contains(&k),
                "README's Keys table lacks {k}: {named:?}"
            );
        }
    }
}

#[test]
fn the_help_screen_says_how_to_filter_custom_checks_and_where_they_come_from() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('?'));
    let words = help_keys_section(&app).join(" ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    for said in [
        "check:acme.* picks a team's custom checks (the config's [[checks]], in CEL)",
        "check:vap.* the cluster's admission policies (--audit-admission-policies)",
        "`shipshape checks` lists them",
    ] {
        assert!(words.contains(said), "{said:?} not in {words}");
    }
}
