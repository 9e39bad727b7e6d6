//! The whole dashboard on a test backend: the demo cluster drawn at several sizes and themes,
//! driven by keys, the mouse and the demo script's live changes.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use shipshape::cluster::{WorkloadKey, WorkloadKind};
use shipshape::config::Config;
use shipshape::source::demo::demo_model;
use shipshape::source::demo_script;
use shipshape::ui::app::{App, Pane, SortMode, SourceMode, StripRow};
use shipshape::ui::layout::layout;
use shipshape::ui::theme::Theme;

/// The named shipped theme first, then the others (as `--theme NAME` orders them).
fn themes(first: &str) -> Vec<Theme> {
    Theme::builtin(first)
        .expect("a shipped theme")
        .with_shipped()
}

fn demo_app(theme: &str, width: u16, height: u16) -> App {
    let mut app = App::new(
        demo_model(),
        Config::default(),
        SourceMode::Demo,
        themes(theme),
    );
    app.resize(width, height);
    app
}

/// Draws one frame at the app's viewport size.
fn render(app: &App) -> Buffer {
    shipshape::ui::draw::to_buffer(app)
}

fn row_text(buf: &Buffer, y: u16) -> String {
    let mut line = String::new();
    for x in 0..buf.area.width {
        line.push_str(buf[(x, y)].symbol());
    }
    line
}

/// The screen as text, one line per row, trailing blanks trimmed.
fn screen(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        out.push_str(row_text(buf, y).trim_end());
        out.push('\n');
    }
    out
}

fn colour(c: Color) -> String {
    match c {
        Color::Reset => "-".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        other => format!("{other:?}"),
    }
}

/// Runs of equally styled cells on the given rows: `x0-x1 fg/bg MODIFIERS "text"`.
fn styles(buf: &Buffer, rows: impl IntoIterator<Item = u16>) -> String {
    let mut out = String::new();
    for y in rows {
        out.push_str(&format!("row {y}\n"));
        let mut x = 0;
        while x < buf.area.width {
            let first = &buf[(x, y)];
            let style = (first.fg, first.bg, first.modifier);
            let start = x;
            let mut text = String::new();
            while x < buf.area.width {
                let c = &buf[(x, y)];
                if (c.fg, c.bg, c.modifier) != style {
                    break;
                }
                text.push_str(c.symbol());
                x += 1;
            }
            let mods = if style.2.is_empty() {
                String::new()
            } else {
                format!(" {:?}", style.2)
            };
            out.push_str(&format!(
                "  {start:>3}-{:<3} {}/{}{mods} {:?}\n",
                x - 1,
                colour(style.0),
                colour(style.1),
                text.trim_end()
            ));
        }
    }
    out
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn click(app: &mut App, column: u16, row: u16) {
    app.handle_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    });
}

fn select(app: &mut App, key: &WorkloadKey) {
    let i = app.rows.iter().position(|k| k == key).expect("row shown");
    key_n(app, KeyCode::Home, 1);
    key_n(app, KeyCode::Down, i);
    assert_eq!(app.selected.as_ref(), Some(key));
}

fn key_n(app: &mut App, code: KeyCode, n: usize) {
    for _ in 0..n {
        key(app, code);
    }
}

/// Screen rows of the workloads pane's data lines (below its border and column header).
fn workload_rows_area(app: &App) -> Rect {
    let w = layout(app.viewport).workloads;
    Rect::new(
        w.x + 1,
        w.y + 2,
        w.width.saturating_sub(2),
        w.height.saturating_sub(3),
    )
}

/// The x of the WORST FINDING column, read off the pane's column header.
fn worst_finding_x(buf: &Buffer, app: &App) -> u16 {
    let w = layout(app.viewport).workloads;
    let header: Vec<&str> = (0..buf.area.width)
        .map(|x| buf[(x, w.y + 1)].symbol())
        .collect();
    let text = header.concat();
    let byte = text.find("WORST FINDING").expect("column header");
    // Symbols before the column are one cell each but may be several bytes.
    text[..byte].chars().count() as u16
}

/// The screen row showing `key` in the workloads pane.
fn screen_row_of(app: &App, key: &WorkloadKey) -> u16 {
    let i = app.rows.iter().position(|k| k == key).expect("row shown");
    assert!(i >= app.workloads_offset, "scrolled off the top");
    workload_rows_area(app).y + (i - app.workloads_offset) as u16
}

fn storefront() -> WorkloadKey {
    WorkloadKey::new(WorkloadKind::Deployment, "shop", "storefront")
}

#[test]
fn default_theme_160x48() {
    let app = demo_app("dark", 160, 48);
    insta::assert_snapshot!("default_160x48", screen(&render(&app)));
}

#[test]
fn light_theme_160x48() {
    let app = demo_app("light", 160, 48);
    let buf = render(&app);
    insta::assert_snapshot!("light_160x48", screen(&buf));
    // The text is the dark theme's; the colours are pinned on the header, the workloads'
    // column header and first rows (the first one selected), and the status bar.
    let rows = workload_rows_area(&app);
    insta::assert_snapshot!(
        "light_160x48_styles",
        styles(&buf, [0, 1, rows.y - 1, rows.y, rows.y + 1, rows.y + 6, 47])
    );
    let theme = app.theme();
    assert_eq!(theme.name, "light");
    // The light background fills the screen, corners included.
    for (x, y) in [(0, 0), (159, 0), (0, 47), (159, 47), (80, 24)] {
        assert_eq!(buf[(x, y)].bg, theme.background.unwrap(), "({x}, {y})");
    }
}

#[test]
fn minimum_size_80x24() {
    let app = demo_app("dark", 80, 24);
    insta::assert_snapshot!("small_80x24", screen(&render(&app)));
}

#[test]
fn below_minimum_size_shows_a_note() {
    let app = demo_app("dark", 79, 23);
    let text = screen(&render(&app));
    assert!(text.contains("terminal too small"), "{text}");
    insta::assert_snapshot!("too_small_79x23", text);
}

#[test]
fn help_overlay() {
    let mut app = demo_app("dark", 160, 48);
    key(&mut app, KeyCode::Char('?'));
    assert!(app.help);
    insta::assert_snapshot!("help_open", screen(&render(&app)));
    key(&mut app, KeyCode::Esc);
    assert!(!app.help);
    assert!(!app.quit, "Esc closes help, nothing more");
}

#[test]
fn filter_by_severity() {
    let mut app = demo_app("dark", 160, 48);
    let all = app.rows.len();
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "sev:critical");
    assert_eq!(app.filter_input.as_deref(), Some("sev:critical"));
    let typing = screen(&render(&app));
    assert!(typing.contains(" / sev:critical▏"), "{typing}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.filter_input, None);
    assert_eq!(app.filter.text, "sev:critical");
    assert!(!app.rows.is_empty() && app.rows.len() < all);
    let text = screen(&render(&app));
    assert!(text.contains("· filter: sev:critical"), "{text}");
    insta::assert_snapshot!("filter_sev_critical", text);

    // Esc clears it again.
    key(&mut app, KeyCode::Esc);
    assert!(app.filter.is_empty());
    assert_eq!(app.rows.len(), all);
    assert_eq!(
        app.focus,
        Pane::Workloads,
        "clearing a filter does not move focus"
    );
}

#[test]
fn drill_down_shows_the_fix() {
    let mut app = demo_app("dark", 160, 48);
    // A workload that fails configuration checks, so the pane has fixes with snippets.
    let target = app
        .rows
        .iter()
        .find(|k| {
            app.report(k).is_some_and(|w| {
                w.alerts.is_empty()
                    && w.results.iter().any(|r| {
                        r.status == shipshape::checks::Status::Fail && r.fix_text().contains('\n')
                    })
            })
        })
        .cloned()
        .expect("a workload with a multi-line fix");
    select(&mut app, &target);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Findings);
    let text = screen(&render(&app));
    let title = format!(
        "Findings · {} {}/{}",
        target.kind, target.namespace, target.name
    );
    assert!(text.contains(&title), "{text}");
    assert!(text.contains("fix: "), "{text}");
    // At least one line of a multi-line fix (a YAML snippet) is on screen, indented.
    let snippet_shown = app
        .report(&target)
        .unwrap()
        .results
        .iter()
        .filter(|r| r.status == shipshape::checks::Status::Fail)
        .flat_map(|r| {
            r.fix_text()
                .lines()
                .skip(1)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .any(|l| !l.trim().is_empty() && text.contains(&format!("      {l}")));
    assert!(snippet_shown, "{text}");
    insta::assert_snapshot!("drill_down", text);
}

#[test]
fn alerts_pane_enter_opens_the_alerts_workload() {
    let mut app = demo_app("dark", 160, 48);
    assert!(app.alert_rows.len() >= 2, "the demo has alerts");
    key_n(&mut app, KeyCode::Tab, 2);
    assert_eq!(app.focus, Pane::Alerts);
    // Past the demo's root causes (folded, first) to the first alert.
    let causes = app
        .strip
        .iter()
        .take_while(|r| matches!(r, StripRow::Cause(_)))
        .count();
    assert!(causes >= 1, "{:?}", app.strip);
    for _ in 0..causes {
        key(&mut app, KeyCode::Char('j'));
    }
    let (check, workload) = app.selected_alert.clone().unwrap();
    assert_ne!(
        app.selected.as_ref(),
        Some(&workload),
        "the jump changes the selection"
    );
    assert_eq!(app.selected_strip_row(), Some(app.strip[causes].clone()));
    assert_eq!(
        app.strip[causes],
        StripRow::Alert((check.clone(), workload.clone()))
    );
    let focused = screen(&render(&app));
    insta::assert_snapshot!("alerts_focused", focused);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Findings);
    assert_eq!(app.selected.as_ref(), Some(&workload));
    let text = screen(&render(&app));
    assert!(
        text.contains(&format!(
            "Findings · {} {}/{}",
            workload.kind, workload.namespace, workload.name
        )),
        "{check} on {workload}:\n{text}"
    );
    insta::assert_snapshot!("alert_opened", text);
}

#[test]
fn severity_cells_use_the_theme_colours() {
    for name in ["dark", "light", "high-contrast"] {
        let app = demo_app(name, 160, 48);
        let theme = app.theme().clone();
        let buf = render(&app);
        let x = worst_finding_x(&buf, &app);
        let rows = workload_rows_area(&app);
        let (mut crit, mut warn) = (0, 0);
        // The selected row may trade a colour that is unreadable on the bar for the bar's own.
        let selected = screen_row_of(&app, app.selected.as_ref().unwrap());
        for y in (rows.y..rows.bottom()).filter(|y| *y != selected) {
            let cell = &buf[(x, y)];
            match cell.symbol() {
                "✖" => {
                    assert_eq!(Some(cell.fg), theme.critical, "{name}: row {y}");
                    crit += 1;
                }
                "▲" => {
                    assert_eq!(Some(cell.fg), theme.warning, "{name}: row {y}");
                    warn += 1;
                }
                _ => {}
            }
        }
        assert!(
            crit > 0 && warn > 0,
            "{name}: {crit} critical, {warn} warning"
        );
    }
}

#[test]
fn high_contrast_carries_severity_in_symbols() {
    let app = demo_app("high-contrast", 160, 48);
    assert_eq!(app.theme().name, "high-contrast");
    let buf = render(&app);
    let x = worst_finding_x(&buf, &app);
    let rows = workload_rows_area(&app);
    let mut seen = std::collections::BTreeSet::new();
    for (i, y) in (rows.y..rows.bottom()).enumerate() {
        let Some(key) = app.rows.get(app.workloads_offset + i) else {
            break;
        };
        let w = app.report(key).unwrap();
        let worst = w
            .results
            .iter()
            .filter(|r| r.status == shipshape::checks::Status::Fail)
            .map(|r| r.severity)
            .chain(w.alerts.iter().map(|a| a.severity))
            .max();
        let Some(sev) = worst else { continue };
        let symbol = buf[(x, y)].symbol().to_string();
        assert_eq!(
            symbol,
            shipshape::ui::draw::severity_symbol(sev),
            "{key}: {sev:?}"
        );
        seen.insert(symbol);
    }
    assert!(seen.contains("✖") && seen.contains("▲"), "{seen:?}");
    let text = screen(&buf);
    assert!(
        text.contains("✖ failing") || text.contains("▲ degraded"),
        "{text}"
    );
}

#[test]
fn selection_follows_its_workload_when_rows_reorder() {
    let mut app = demo_app("dark", 160, 48);
    let target = storefront();
    select(&mut app, &target);
    let before = app.rows.iter().position(|k| *k == target).unwrap();
    let steps = demo_script::script(app.model());
    let crash = steps
        .iter()
        .find(|s| s.what == "storefront pods start crash-looping")
        .expect("the scripted crash loop");
    for msg in &crash.msgs {
        app.apply(msg.clone());
    }
    assert!(app.flush());
    let after = app.rows.iter().position(|k| *k == target).unwrap();
    assert!(
        after < before,
        "a crash-looping workload sorts nearer the top ({before} → {after})"
    );
    assert_eq!(app.selected.as_ref(), Some(&target));

    let buf = render(&app);
    let y = screen_row_of(&app, &target);
    let theme = app.theme();
    assert!(
        row_text(&buf, y).contains("storefront"),
        "{}",
        row_text(&buf, y)
    );
    let rows = workload_rows_area(&app);
    for yy in rows.y..rows.bottom() {
        let highlighted = buf[(rows.x + 2, yy)].bg == theme.selection_bg.unwrap();
        assert_eq!(highlighted, yy == y, "row {yy}: {}", row_text(&buf, yy));
    }
    let text = screen(&buf);
    assert!(
        text.contains("Findings · Deployment shop/storefront"),
        "{text}"
    );

    // The rest of the script keeps it selected too, sort changes included.
    for step in &steps {
        for msg in &step.msgs {
            app.apply(msg.clone());
        }
        app.flush();
        assert_eq!(app.selected.as_ref(), Some(&target), "after {}", step.what);
    }
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(app.selected.as_ref(), Some(&target));
}

#[test]
fn clicking_a_row_selects_it() {
    let mut app = demo_app("dark", 160, 48);
    let rows = workload_rows_area(&app);
    for i in [3usize, 0, 7] {
        let y = rows.y + i as u16;
        click(&mut app, rows.x + 10, y);
        assert_eq!(app.focus, Pane::Workloads);
        assert_eq!(app.selected.as_ref(), Some(&app.rows[i]), "row {i}");
        let buf = render(&app);
        assert!(
            row_text(&buf, y).contains(&app.rows[i].name),
            "{}",
            row_text(&buf, y)
        );
        assert_eq!(buf[(rows.x + 2, y)].bg, app.theme().selection_bg.unwrap());
    }
    // A click on the column header selects nothing new.
    let before = app.selected.clone();
    click(&mut app, rows.x + 10, rows.y - 1);
    assert_eq!(app.selected, before);
}

#[test]
fn s_cycles_sort_modes() {
    let mut app = demo_app("dark", 160, 48);
    assert_eq!(app.sort, SortMode::Worst);
    // A chosen row stays chosen (one not chosen is the top of each order).
    select(&mut app, &storefront());
    let selected = app.selected.clone();
    let mut seen = Vec::new();
    for _ in 0..5 {
        key(&mut app, KeyCode::Char('s'));
        seen.push(app.sort);
        assert_eq!(
            app.note.as_deref(),
            Some(format!("sorted by {}", app.sort.name()).as_str())
        );
        assert_eq!(app.selected, selected, "sorting keeps the selection");
        match app.sort {
            SortMode::Name => assert!(app.rows.windows(2).all(|w| w[0].name <= w[1].name)),
            SortMode::Restarts => {
                let r = |k: &WorkloadKey| app.report(k).unwrap().restarts;
                assert!(app.rows.windows(2).all(|w| r(&w[0]) >= r(&w[1])));
            }
            _ => {}
        }
    }
    assert_eq!(
        seen,
        [
            SortMode::Name,
            SortMode::Score,
            SortMode::Kind,
            SortMode::Restarts,
            SortMode::Worst
        ]
    );
    key(&mut app, KeyCode::Char('s'));
    let text = screen(&render(&app));
    assert!(text.contains("· name "), "{text}");
    assert!(text.contains(" sorted by name │ "), "{text}");
}

#[test]
fn a_toggles_alerts_only() {
    let mut app = demo_app("dark", 160, 48);
    let all = app.rows.len();
    key(&mut app, KeyCode::Char('a'));
    assert!(app.alerts_only);
    assert!(!app.rows.is_empty() && app.rows.len() < all);
    for k in &app.rows {
        assert!(
            !app.report(k).unwrap().alerts.is_empty(),
            "{k} has no alert"
        );
    }
    let text = screen(&render(&app));
    assert!(text.contains("· alerts only"), "{text}");
    key(&mut app, KeyCode::Char('a'));
    assert!(!app.alerts_only);
    assert_eq!(app.rows.len(), all);
}

#[test]
fn t_cycles_themes_and_q_quits() {
    let mut app = demo_app("dark", 160, 48);
    let names: Vec<String> = (0..4)
        .map(|_| {
            let n = app.theme().name.clone();
            key(&mut app, KeyCode::Char('t'));
            n
        })
        .collect();
    assert_eq!(names, ["dark", "light", "high-contrast", "dark"]);
    assert_eq!(app.note.as_deref(), Some("theme: light"));
    let buf = render(&app);
    assert_eq!(buf[(0, 0)].bg, app.theme().background.unwrap());
    assert_ne!(
        app.theme().background,
        Theme::builtin("dark").unwrap().background
    );
    assert!(!app.quit);
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn the_selected_row_scrolls_into_view() {
    let mut app = demo_app("dark", 80, 24);
    key(&mut app, KeyCode::End);
    let last = app.rows.last().cloned().unwrap();
    assert_eq!(app.selected.as_ref(), Some(&last));
    let buf = render(&app);
    let y = screen_row_of(&app, &last);
    assert!(y < workload_rows_area(&app).bottom());
    assert!(
        row_text(&buf, y).contains(&last.name[..last.name.len().min(10)]),
        "{}",
        row_text(&buf, y)
    );
}

#[test]
fn no_colour_is_left_on_the_severity_cells_in_monochrome() {
    let mut app = demo_app("dark", 160, 48);
    app.themes = vec![app.theme().monochrome()];
    app.theme_index = 0;
    let buf = render(&app);
    let x = worst_finding_x(&buf, &app);
    let rows = workload_rows_area(&app);
    let symbols: Vec<&str> = (rows.y..rows.bottom())
        .map(|y| buf[(x, y)].symbol())
        .filter(|s| *s == "✖" || *s == "▲")
        .collect();
    assert!(!symbols.is_empty());
    for y in rows.y..rows.bottom() {
        assert_eq!(buf[(x, y)].fg, Color::Reset);
    }
}

#[test]
fn export_writes_the_report_of_what_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T08:30:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let mut app = demo_app("dark", 160, 48);
    // Select the shop namespace, then ask for Markdown and HTML.
    app.handle_key(KeyEvent::new(KeyCode::Char('h'), KeyModifiers::NONE));
    while app.namespace.as_deref() != Some("shop") {
        app.handle_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    }
    app.handle_key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::NONE));
    // Drawing with a request pending writes nothing.
    render(&app);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    shipshape::ui::export::export_pending(&mut app, dir.path(), now);
    let md_path = dir
        .path()
        .join("shipshape-report-demo-prod-eu-1-shop-20261121-083000.md");
    let note = app.note.clone().unwrap();
    assert_eq!(note, format!("report written to {}", md_path.display()));
    let md = std::fs::read_to_string(&md_path).unwrap();
    assert!(md.contains("scope: namespace shop"), "{md}");
    assert!(md.contains("Deployment `checkout`"));
    assert!(!md.contains("`legacy`"), "other namespaces stay out");
    // The note is on screen.
    assert!(screen(&render(&app)).contains("report written to"));

    app.handle_key(KeyEvent::new(KeyCode::Char('E'), KeyModifiers::SHIFT));
    shipshape::ui::export::export_pending(&mut app, dir.path(), now);
    let html = std::fs::read_to_string(
        dir.path()
            .join("shipshape-report-demo-prod-eu-1-shop-20261121-083000.html"),
    )
    .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("checkout"));

    // A second export in the same second does not overwrite the first.
    app.handle_key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::NONE));
    shipshape::ui::export::export_pending(&mut app, dir.path(), now);
    assert!(app.note.as_deref().unwrap().ends_with("-083000-2.md"));

    // A filter narrows the report to the rows shown.
    app.filter = shipshape::ui::filter::Filter::parse("checkout");
    app.refresh_rows();
    app.handle_key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::NONE));
    let md = shipshape::ui::export::render(&app, shipshape::ui::export::ExportFormat::Markdown);
    assert!(
        md.contains("scope: namespace shop, filter: checkout"),
        "{md}"
    );
    assert!(!md.contains("Deployment `storefront`"));

    // An unwritable directory is a note, not a crash.
    shipshape::ui::export::export_pending(&mut app, std::path::Path::new("/nonexistent-dir"), now);
    let note = app.note.clone().unwrap();
    assert!(
        note.starts_with("export failed: cannot write to /nonexistent-dir:"),
        "{note}"
    );
}

/// The demo's objects as a live source would deliver them: every kind listed but Pods.
fn live_app() -> App {
    use shipshape::cluster::{ClusterModel, Kind, Msg};
    let mut model = ClusterModel::new();
    for msg in shipshape::source::demo::demo_messages() {
        if !matches!(msg, Msg::Synced(Kind::Pod) | Msg::Clock(_)) {
            model.apply(msg);
        }
    }
    let mut app = App::new(model, Config::default(), SourceMode::Live, themes("dark"));
    app.resize(160, 48);
    app.contexts = vec!["prod-eu-1".into(), "staging".into(), "dev".into()];
    app.context = Some("prod-eu-1".into());
    app
}

fn header(app: &App) -> String {
    let buf = render(app);
    format!("{}\n{}", row_text(&buf, 0), row_text(&buf, 1))
}

#[test]
fn the_header_shows_sync_progress_then_live_then_stale() {
    use shipshape::cluster::{Kind, Msg};
    let mut app = live_app();
    let h = header(&app);
    let total = Kind::ALL.len();
    assert!(
        h.contains(&format!("syncing {}/{total} kinds", total - 1)),
        "{h}"
    );
    app.apply(Msg::Synced(Kind::Pod));
    app.flush();
    assert!(header(&app).contains("● live"), "{}", header(&app));

    std::thread::sleep(std::time::Duration::from_millis(1100));
    app.apply(Msg::Error(Kind::Pod, "connection refused".into()));
    app.flush();
    let h = header(&app);
    assert!(h.contains("stale: Pod retrying"), "{h}");
    // The retry's report is not news: the last event was the sync, a second ago.
    assert!(h.contains("last event "), "{h}");
    assert!(!h.contains("last event 0s ago"), "{h}");
    // Stale data is still shown and graded.
    assert!(!app.rows.is_empty());

    app.apply(Msg::Synced(Kind::Pod));
    app.flush();
    assert!(header(&app).contains("● live"));
}

#[test]
fn forbidden_kinds_are_named_in_the_header_and_their_checks_are_unknown() {
    use shipshape::cluster::{Kind, Msg};
    let mut app = live_app();
    app.apply(Msg::Synced(Kind::Pod));
    app.apply(Msg::Forbidden(Kind::PodDisruptionBudget));
    app.flush();
    assert!(header(&app).contains("forbidden: PodDisruptionBudget"));
    let failing_pdb = app
        .grades()
        .workloads
        .values()
        .flat_map(|w| &w.results)
        .filter(|r| r.check.starts_with("availability.pdb"))
        .filter(|r| r.status == shipshape::checks::Status::Fail)
        .count();
    assert_eq!(failing_pdb, 0, "a forbidden kind never fails a check");
}

#[test]
fn a_connection_problem_replaces_the_data_state() {
    use shipshape::cluster::Msg;
    let mut app = live_app();
    app.apply(Msg::SourceProblem(Some(
        "cannot reach the API server of \"staging\" at https://10.0.0.1:6443: Connection refused"
            .into(),
    )));
    app.flush();
    let h = header(&app);
    assert!(
        h.contains("✖ cannot reach the API server of \"staging\""),
        "{h}"
    );
    app.apply(Msg::SourceProblem(None));
    app.flush();
    assert!(header(&app).contains("syncing"));
}

#[test]
fn c_lists_contexts_and_enter_asks_to_switch() {
    use shipshape::ui::app::Request;
    let mut app = live_app();
    key(&mut app, KeyCode::Char('c'));
    assert_eq!(app.context_picker.as_deref(), Some("prod-eu-1"));
    let screen_text = screen(&render(&app));
    assert!(screen_text.contains("kube contexts"), "{screen_text}");
    assert!(screen_text.contains("● prod-eu-1"), "{screen_text}");
    assert!(screen_text.contains("staging"), "{screen_text}");
    // Enter on the watched context just closes.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.request, None);
    assert_eq!(app.context_picker, None);

    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down); // stops at the last
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.request, Some(Request::SwitchContext("dev".into())));
    assert_eq!(app.note.as_deref(), Some("connecting to dev…"));

    // The loop then starts over on an empty model for the new context.
    app.request = None;
    app.replace_model(shipshape::cluster::ClusterModel::new(), "dev".into());
    assert!(app.rows.is_empty());
    assert_eq!(app.context.as_deref(), Some("dev"));

    // Esc cancels; outside live mode the key only says why it does nothing.
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.request, None);
    let mut demo = demo_app("dark", 160, 48);
    key(&mut demo, KeyCode::Char('c'));
    assert_eq!(demo.context_picker, None);
    assert_eq!(
        demo.note.as_deref(),
        Some("contexts: only when watching a cluster")
    );
}

// ---- State that must not drift: selection, scrolling, counts, the filter box, exports. ----

fn ctrl(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// The demo's messages in `n` batches of about equal size, as a watcher delivers a first sync.
fn demo_batches(n: usize) -> Vec<Vec<shipshape::cluster::Msg>> {
    let msgs = shipshape::source::demo::demo_messages();
    let size = msgs.len().div_ceil(n);
    msgs.chunks(size).map(<[_]>::to_vec).collect()
}

/// The workloads pane's title line.
fn workloads_title(app: &App) -> String {
    row_text(&render(app), layout(app.viewport).workloads.y)
}

/// Feeds a first sync in batches, drawing after each like the event loop, and checks that the
/// top of the worst-first order stays selected and in view.
fn sync_keeps_the_top_selected(app: &mut App) {
    for (i, batch) in demo_batches(7).into_iter().enumerate() {
        for msg in batch {
            app.apply(msg);
        }
        app.flush();
        assert_eq!(app.selected.as_ref(), app.rows.first(), "after batch {i}");
        assert_eq!(app.workloads_offset, 0, "after batch {i}");
        assert_eq!(app.selected_strip_row().as_ref(), app.strip.first());
        if let Some(first) = app.rows.first() {
            let buf = render(app);
            let y = workload_rows_area(app).y;
            assert!(row_text(&buf, y).contains(&first.name), "batch {i}");
        }
    }
    assert!(app.rows.len() > 15);
    let title = workloads_title(app);
    assert!(
        title.contains(&format!("rows 1–15 of {}", app.rows.len())),
        "{title}"
    );
}

#[test]
fn a_first_sync_in_batches_keeps_the_first_row_selected_until_the_user_moves() {
    use shipshape::cluster::ClusterModel;
    let mut app = App::new(
        ClusterModel::new(),
        Config::default(),
        SourceMode::Live,
        themes("dark"),
    );
    app.resize(160, 48);
    sync_keeps_the_top_selected(&mut app);

    // The user moves: from then on the choice is kept by key while rows reorder.
    key_n(&mut app, KeyCode::Down, 20);
    let chosen = app.rows[20].clone();
    assert_eq!(app.selected.as_ref(), Some(&chosen));
    for step in demo_script::script(app.model()) {
        for msg in step.msgs {
            app.apply(msg);
        }
        app.flush();
        assert_eq!(app.selected.as_ref(), Some(&chosen), "after {}", step.what);
    }

    // A context switch starts over: the new cluster streams in with its top row selected,
    // even though it holds the workload chosen before.
    app.replace_model(shipshape::cluster::ClusterModel::new(), "staging".into());
    sync_keeps_the_top_selected(&mut app);

    // Opening the top row's findings is a choice too: the workload being read stays.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Findings);
    let opened = app.selected.clone();
    let steps = demo_script::script(app.model());
    let crash = steps
        .iter()
        .find(|s| s.what == "storefront pods start crash-looping")
        .unwrap();
    for msg in crash.msgs.clone() {
        app.apply(msg);
    }
    app.flush();
    assert_eq!(app.selected, opened);
}

#[test]
fn the_findings_pane_scrolls_to_its_last_line_and_no_further() {
    for (w, h) in [(160, 48), (80, 24)] {
        let mut app = demo_app("dark", w, h);
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.focus, Pane::Findings);
        let report = app.selected_report().unwrap();
        let last = shipshape::ui::draw::findings_lines(&app, report)
            .last()
            .unwrap()
            .to_string();
        let last_word = last.split_whitespace().last().unwrap().to_string();
        let pane = layout(app.viewport).findings;
        let bottom = pane.bottom() - 2;
        let scroll_to_end = |app: &mut App| {
            key(app, KeyCode::End);
            let buf = render(app);
            let text = row_text(&buf, bottom);
            assert!(
                text.contains(&last_word),
                "{w}x{h}: {text:?}\n{}",
                screen(&buf)
            );
            // One more step changes nothing: the pane is at its end.
            let at = app.findings_scroll;
            key(app, KeyCode::Down);
            assert_eq!(app.findings_scroll, at);
            key(app, KeyCode::PageDown);
            assert_eq!(app.findings_scroll, at);
        };
        scroll_to_end(&mut app);
        // The wheel stops there too.
        for _ in 0..40 {
            app.handle_mouse(MouseEvent {
                kind: MouseEventKind::ScrollDown,
                column: pane.x + 3,
                row: pane.y + 3,
                modifiers: KeyModifiers::NONE,
            });
        }
        assert_eq!(app.findings_scroll, app.findings_max_scroll());
        // With every result shown the content is longer; it still ends on its last line.
        key(&mut app, KeyCode::Char('w'));
        scroll_to_end(&mut app);
        // Up from the end scrolls at once.
        let at = app.findings_scroll;
        key(&mut app, KeyCode::Up);
        assert_eq!(app.findings_scroll, at - 1);
    }
}

#[test]
fn the_alerts_only_list_starts_at_its_first_row() {
    let mut app = demo_app("dark", 160, 48);
    let with_alerts: Vec<WorkloadKey> = app
        .rows
        .iter()
        .filter(|k| !app.report(k).unwrap().alerts.is_empty())
        .cloned()
        .collect();
    // The last workload with an alert, reached from the bottom of the full list, so the
    // list is scrolled to it.
    let target = with_alerts.last().unwrap().clone();
    key(&mut app, KeyCode::End);
    let up = app.rows.len() - 1 - app.rows.iter().position(|k| *k == target).unwrap();
    key_n(&mut app, KeyCode::Up, up);
    assert_eq!(app.selected.as_ref(), Some(&target));
    assert!(app.workloads_offset > 0);

    key(&mut app, KeyCode::Char('a'));
    assert_eq!(app.rows, with_alerts);
    assert_eq!(app.selected.as_ref(), Some(&target), "the choice is kept");
    let buf = render(&app);
    let rows = workload_rows_area(&app);
    assert_eq!(app.workloads_offset, 0);
    assert!(
        row_text(&buf, rows.y).contains(&with_alerts[0].name),
        "{}",
        screen(&buf)
    );
    let title = workloads_title(&app);
    assert!(
        title.contains(&format!("{} of 39", with_alerts.len())),
        "{title}"
    );

    // A list longer than its window says which rows it shows.
    let mut small = demo_app("dark", 80, 24);
    key(&mut small, KeyCode::Char('a'));
    let visible = layout(small.viewport).workload_rows();
    assert!(small.rows.len() > visible);
    key(&mut small, KeyCode::End);
    key(&mut small, KeyCode::Char('a'));
    key(&mut small, KeyCode::Char('a'));
    let title = workloads_title(&small);
    let from = small.workloads_offset + 1;
    assert!(
        title.contains(&format!("rows {from}–{}", from + visible - 1)),
        "{title}"
    );
}

/// The alerts pane's title line and its body, as text.
fn alerts_pane(app: &App) -> (String, Vec<String>) {
    let buf = render(app);
    let a = layout(app.viewport).alerts;
    let body = (a.y + 1..a.bottom() - 1)
        .map(|y| row_text(&buf, y))
        .collect();
    (row_text(&buf, a.y), body)
}

#[test]
fn the_alerts_strip_shows_its_first_alert_and_says_which_rows_it_shows() {
    let mut app = demo_app("dark", 80, 24);
    let visible = layout(app.viewport).alert_rows();
    let n = app.strip.len();
    assert!(n > visible, "{n} rows, {visible} shown");
    let (title, body) = alerts_pane(&app);
    // The demo's root cause, folded, then the alerts no cause explains.
    let StripRow::Cause(first) = &app.strip[0] else {
        panic!("{:?}", app.strip[0])
    };
    assert!(body[0].contains("root cause"), "{body:?}");
    assert!(body[0].contains(&first.2), "{body:?}");
    let i = app
        .strip
        .iter()
        .position(|r| matches!(r, StripRow::Alert(_)))
        .unwrap();
    let StripRow::Alert((_, alert)) = &app.strip[i] else {
        unreachable!()
    };
    assert!(body[i].contains(&alert.name), "{body:?}");
    assert!(
        title.contains(&format!("rows 1–{visible} of {n}")),
        "{title}"
    );
    key_n(&mut app, KeyCode::Tab, 2);
    assert_eq!(app.focus, Pane::Alerts);
    key(&mut app, KeyCode::End);
    let (title, _) = alerts_pane(&app);
    assert!(
        title.contains(&format!("rows {}–{n} of {n}", n - visible + 1)),
        "{title}"
    );
}

#[test]
fn the_alerts_title_counts_the_alerts_its_body_lists() {
    let mut app = demo_app("dark", 160, 48);
    let cluster_total = app.grades().alerts().count();
    key(&mut app, KeyCode::Char('h'));
    while app.namespace.as_deref() != Some("legacy") {
        key(&mut app, KeyCode::Down);
    }
    let listed: Vec<_> = app
        .alert_rows
        .iter()
        .map(|k| app.alert(k).unwrap().severity)
        .collect();
    assert!(!listed.is_empty() && listed.len() < cluster_total);
    let count = |s| listed.iter().filter(|x| **x == s).count();
    use shipshape::checks::Severity;
    let (title, body) = alerts_pane(&app);
    let expected = format!(
        "in legacy: {} critical · {} warning · {} info · {cluster_total} in cluster",
        count(Severity::Critical),
        count(Severity::Warning),
        count(Severity::Info)
    );
    assert!(title.contains(&expected), "{title}");
    let shown = body.iter().filter(|l| l.contains("legacy/")).count();
    assert_eq!(shown, listed.len(), "{body:?}");
}

#[test]
fn ctrl_u_and_ctrl_w_edit_the_filter_like_readline() {
    let mut app = demo_app("dark", 160, 48);
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "kind:deploy  sev:critical ");
    ctrl(&mut app, 'w');
    assert_eq!(app.filter_input.as_deref(), Some("kind:deploy  "));
    ctrl(&mut app, 'w');
    assert_eq!(app.filter_input.as_deref(), Some(""));
    ctrl(&mut app, 'w');
    assert_eq!(app.filter_input.as_deref(), Some(""));
    type_text(&mut app, "shop web");
    ctrl(&mut app, 'u');
    assert_eq!(app.filter_input.as_deref(), Some(""));
    // Other Ctrl and Alt combinations type nothing; Shift still types capitals.
    type_text(&mut app, "ab");
    ctrl(&mut app, 'x');
    ctrl(&mut app, 'a');
    app.handle_key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::ALT));
    app.handle_key(KeyEvent::new(KeyCode::Char('C'), KeyModifiers::SHIFT));
    assert_eq!(app.filter_input.as_deref(), Some("abC"));
    assert!(!app.quit);
    let text = screen(&render(&app));
    assert!(text.contains(" / abC▏"), "{text}");
}

#[test]
fn an_unknown_filter_key_or_value_is_named_and_hides_nothing() {
    let mut app = demo_app("dark", 160, 48);
    let all = app.rows.len();
    for (typed, said) in [
        (
            "foo:bar",
            "unknown filter key foo; keys: sev, check, health, grade, kind, ns",
        ),
        (
            "sev:bogus",
            "unknown severity bogus; severities: critical, warning, info",
        ),
    ] {
        key(&mut app, KeyCode::Char('/'));
        ctrl(&mut app, 'u');
        type_text(&mut app, typed);
        key(&mut app, KeyCode::Enter);
        // The box stays open on what was typed, the rows stay, and the problem is said.
        assert_eq!(app.filter_input.as_deref(), Some(typed));
        assert!(app.filter.is_empty());
        assert_eq!(app.rows.len(), all);
        let text = screen(&render(&app));
        let status = text.lines().last().unwrap();
        assert!(status.contains(&format!("/ {typed}▏")), "{status}");
        assert!(status.contains(said), "{status}");
        key(&mut app, KeyCode::Esc);
    }
    // Fixed, it applies.
    key(&mut app, KeyCode::Char('/'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "sev:critical");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.filter_input, None);
    assert_eq!(app.filter.text, "sev:critical");
    assert!(app.rows.len() < all);
}

/// The numbers a Markdown report states about its workloads: the summary's workload and
/// alert counts, and the sums of the namespaces table's workload and alert columns.
fn report_counts(md: &str) -> (usize, usize, usize, usize) {
    let summary_workloads = md
        .lines()
        .find_map(|l| l.strip_prefix("| **Workloads** | "))
        .and_then(|l| l.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    let alerts = md
        .lines()
        .find_map(|l| l.strip_prefix("| **Alerts** | "))
        .unwrap();
    let summary_alerts = alerts
        .split(" · ")
        .map(|p| p.split(' ').next().unwrap().parse::<usize>().unwrap())
        .sum();
    let section = md.split("## Namespaces").nth(1).unwrap();
    let section = section.split("\n## ").next().unwrap();
    let (mut table_workloads, mut table_alerts) = (0, 0);
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        table_workloads += cells[5].parse::<usize>().unwrap();
        table_alerts += cells[7].parse::<usize>().unwrap();
    }
    (
        summary_workloads,
        table_workloads,
        summary_alerts,
        table_alerts,
    )
}

#[test]
fn an_export_with_a_filter_counts_only_what_it_shows() {
    use shipshape::ui::export::{render as export, ExportFormat};
    let mut app = demo_app("dark", 160, 48);
    let cluster_grade = format!(
        "| **Cluster grade** | **{}** · score {} |",
        shipshape::score::grade_text(app.grades().cluster_grade),
        shipshape::score::score_text(app.grades().cluster_score)
    );
    for filter in ["sev:critical", "checkout", "kind:dep health:deg"] {
        app.filter = shipshape::ui::filter::Filter::parse(filter);
        app.refresh_rows();
        let shown = app.rows.len();
        let alerts: usize = app
            .rows
            .iter()
            .map(|k| app.report(k).unwrap().alerts.len())
            .sum();
        let md = export(&app, ExportFormat::Markdown);
        let (summary_w, table_w, summary_a, table_a) = report_counts(&md);
        assert_eq!((summary_w, table_w), (shown, shown), "{filter}\n{md}");
        assert_eq!((summary_a, table_a), (alerts, alerts), "{filter}\n{md}");
        assert!(
            md.contains(&format!(
                "filter: {filter}, counts are of the {shown} workload"
            )),
            "{md}"
        );
        // Grades stay those of the cluster and the namespaces, which the filter does not change.
        assert!(md.contains(&cluster_grade), "{md}");
        // One section per workload shown, and nothing else graded.
        assert_eq!(
            md.matches("\n#### ").count() - md.matches("\n#### Guardrails").count(),
            shown
        );
    }
    // Without a filter the report is the whole cluster's, as before.
    app.filter = shipshape::ui::filter::Filter::default();
    app.refresh_rows();
    let md = export(&app, ExportFormat::Markdown);
    let (summary_w, table_w, _, _) = report_counts(&md);
    assert_eq!((summary_w, table_w), (39, 39));
    assert!(!md.contains("counts are of"));
    assert!(md.contains(&cluster_grade));
}

#[test]
fn untrusted_names_and_messages_are_drawn_as_visible_escapes() {
    use shipshape::cluster::{Entry, Kind, Msg, Object};
    let mut model = demo_model();
    let ns = "n\u{202e}";
    let name = "w\u{1b}[2J\u{9b}\u{202e}";
    let container = "c\u{1b}]0;x\u{7}";
    // A crash-looping pod of the demo, moved into a hostile namespace under hostile names.
    let pod = model
        .stores
        .get(Kind::Pod, "shop", "checkout-plgmddzkdl-rh6kh")
        .expect("the demo's crash-looping pod");
    let mut json = pod.to_json();
    json["metadata"]["name"] = name.into();
    json["metadata"]["namespace"] = ns.into();
    json["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("ownerReferences");
    json["spec"]["containers"][0]["name"] = container.into();
    json["status"]["containerStatuses"][0]["name"] = container.into();
    model.apply(Msg::Upsert(Box::new(Entry {
        object: Object::from_json(Kind::Pod, &json).unwrap(),
        api_version: "v1".into(),
        origin: None,
    })));
    let mut app = App::new(model, Config::default(), SourceMode::Demo, themes("dark"));
    app.resize(160, 48);
    key(&mut app, KeyCode::Char('h'));
    while app.namespace.as_deref() != Some(ns) {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(app.rows, [WorkloadKey::new(WorkloadKind::Pod, ns, name)]);

    assert!(!app.alert_rows.is_empty());

    let buf = render(&app);
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let s = buf[(x, y)].symbol();
            assert!(
                !s.contains(['\u{1b}', '\u{9b}', '\u{202e}', '\u{7}']),
                "({x}, {y}) holds {s:?}"
            );
        }
    }
    let areas = layout(app.viewport);
    let text_of = |r: Rect| {
        (r.y..r.bottom())
            .map(|y| row_text(&buf, y))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let safe_name = "w\\e[2J\\u{9b}\\u{202e}";
    let safe_ns = "n\\u{202e}";
    let safe_container = "c\\e]0;x\\x07";
    assert!(text_of(areas.namespaces).contains(safe_ns));
    assert!(text_of(areas.workloads).contains(safe_name));
    let findings = text_of(areas.findings);
    assert!(
        findings.contains(&format!("Findings · Pod {safe_ns}/{safe_name}")),
        "{findings}"
    );
    assert!(findings.contains(safe_container), "{findings}");
    let alerts = text_of(areas.alerts);
    assert!(
        alerts.contains(&format!("{safe_ns}/{safe_name}")),
        "{alerts}"
    );
    assert!(alerts.contains(safe_container), "{alerts}");
    assert!(alerts.contains(&format!("in {safe_ns}:")), "{alerts}");
}

/// The findings pane's text as drawn, one line per row, borders excluded.
fn findings_pane(app: &App, buf: &Buffer) -> Vec<String> {
    let pane = layout(app.viewport).findings;
    (pane.y + 1..pane.bottom() - 1)
        .map(|y| {
            (pane.x + 1..pane.right() - 1)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

fn position(lines: &[String], needle: &str) -> usize {
    lines
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in\n{}", lines.join("\n")))
}

#[test]
fn all_in_the_namespaces_pane_shows_the_cluster_by_the_guides_groups() {
    let mut app = demo_app("dark", 160, 48);
    // The first screen shows the first workload, as before.
    assert!(!app.cluster_findings());
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, Pane::Namespaces);
    assert_eq!(app.namespace, None);
    assert!(app.cluster_findings());
    let buf = render(&app);
    insta::assert_snapshot!("cluster_readiness", screen(&buf));
    let title = row_text(&buf, layout(app.viewport).findings.y);
    assert!(title.contains("Findings · cluster readiness"), "{title}");
    assert!(findings_pane(&app, &buf)[0].starts_with("Cluster "));
    let lines = |app: &App| -> Vec<String> {
        shipshape::ui::draw::cluster_lines(app)
            .iter()
            .map(|l| l.to_string())
            .collect()
    };
    let pane = lines(&app);
    // The guides' order.
    let groups: Vec<usize> = [" Observability", " Traffic", " Data", " Capacity"]
        .iter()
        .map(|g| position(&pane, g))
        .collect();
    assert!(groups.windows(2).all(|w| w[0] < w[1]), "{groups:?}");
    // The demo's failures under capacity, worst first, with the evidence and the fix; the
    // passing checks of the group after them.
    let nodes = position(&pane, "✖ critical cluster.nodes-ready");
    let version = position(&pane, "▲ warning cluster.version");
    assert!(groups[3] < nodes && nodes < version, "{nodes} {version}");
    assert!(
        pane[nodes + 1].contains("1 of 5 nodes unhealthy"),
        "{}",
        pane[nodes + 1]
    );
    assert!(pane[version..]
        .iter()
        .any(|l| l.trim_start().starts_with("fix:")));
    let passed = position(&pane[groups[3]..], "✔ passed:") + groups[3];
    assert!(passed > version);
    assert!(
        pane[passed].contains("cluster.node-spread"),
        "{}",
        pane[passed]
    );
    // Every cluster check of the registry is on the pane, in one group or another.
    let ids: Vec<&str> = shipshape::checks::registry::all()
        .filter(|c| matches!(c.grade, shipshape::checks::registry::Grade::Cluster(_)))
        .map(|c| c.def.id)
        .collect();
    assert!(ids.len() >= 7);
    for id in &ids {
        assert!(pane.iter().any(|l| l.contains(id)), "{id} missing");
    }

    // `w` lists every result on its own line, with what the check found.
    key(&mut app, KeyCode::Char('w'));
    let pane = lines(&app);
    let spread = position(&pane, "cluster.node-spread");
    assert!(
        pane[spread].trim_start().starts_with('✔'),
        "{}",
        pane[spread]
    );
    assert!(!pane.iter().any(|l| l.contains("passed:")));
    key(&mut app, KeyCode::Char('w'));

    // A namespace shows the workload again; back on `all`, the cluster.
    key(&mut app, KeyCode::Down);
    assert!(!app.cluster_findings());
    let title = row_text(&render(&app), layout(app.viewport).findings.y);
    assert!(title.contains("Findings · "), "{title}");
    assert!(!title.contains("cluster readiness"), "{title}");
    key(&mut app, KeyCode::Up);
    assert!(app.cluster_findings());
    // Moving to the workloads keeps the cluster in view until a workload is chosen, so the
    // findings pane can be reached and scrolled.
    key_n(&mut app, KeyCode::Tab, 2);
    assert_eq!(app.focus, Pane::Findings);
    assert!(app.cluster_findings());
    key(&mut app, KeyCode::End);
    assert!(app.findings_scroll > 0);
    let buf = render(&app);
    let drawn = findings_pane(&app, &buf);
    let last = lines(&app)
        .last()
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    assert!(
        drawn.iter().any(|l| l.contains(&last)),
        "{last:?} not at the end of\n{}",
        drawn.join("\n")
    );
    key(&mut app, KeyCode::Left);
    assert_eq!(app.focus, Pane::Workloads);
    key(&mut app, KeyCode::Char('j'));
    assert!(!app.cluster_findings());
    assert_eq!(app.findings_scroll, 0);
    // A click on `all` shows the cluster; a click on a workload row shows that workload.
    let ns = layout(app.viewport).namespaces;
    click(&mut app, ns.x + 2, ns.y + 1);
    assert!(app.cluster_findings());
    let rows = workload_rows_area(&app);
    click(&mut app, rows.x + 2, rows.y + 1);
    assert!(!app.cluster_findings());
}

#[test]
fn the_cluster_rows_alerts_are_listed_in_the_alerts_pane_like_a_workloads() {
    let app = demo_app("dark", 160, 48);
    let cluster_alerts = &app.engine().grades().cluster_alerts;
    assert!(
        !cluster_alerts.is_empty(),
        "the demo's add-ons raise alerts"
    );
    for a in cluster_alerts {
        let key = (a.check.clone(), a.workload.clone());
        assert!(app.alert_rows.contains(&key), "{key:?} not listed");
        assert_eq!(
            app.alert(&key).map(|found| &found.message),
            Some(&a.message)
        );
    }
}
