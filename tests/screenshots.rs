//! The README's screenshots: the demo cluster drawn by the dashboard's own code, as SVG.
//!
//! Each scene is compared with its committed file in `screenshots/`; a difference fails with
//! the command that redraws them all:
//!
//! ```sh
//! UPDATE_SCREENSHOTS=1 cargo test --test screenshots
//! ```

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shipshape::cluster::{WorkloadKey, WorkloadKind};
use shipshape::config::Config;
use shipshape::source::demo::demo_model;
use shipshape::ui::app::{App, Pane, SourceMode};
use shipshape::ui::svg::{buffer_to_svg, SvgOptions};
use shipshape::ui::theme::Theme;
use std::path::{Path, PathBuf};

const REGENERATE: &str = "UPDATE_SCREENSHOTS=1 cargo test --test screenshots";

/// One screenshot: a theme, a terminal size, and what the user typed after `shipshape demo`.
struct Scene {
    file: &'static str,
    title: &'static str,
    theme: &'static str,
    width: u16,
    height: u16,
    drive: fn(&mut App),
}

const SCENES: &[Scene] = &[
    Scene {
        file: "overview.svg",
        title: "shipshape demo: the overview, worst workloads first",
        theme: "dark",
        width: 160,
        height: 48,
        drive: |_| {},
    },
    Scene {
        file: "drill-down.svg",
        title: "shipshape demo: shop/cart drilled into, an alert, a failing check, why and the fix",
        theme: "dark",
        width: 160,
        height: 48,
        drive: |app| {
            select(
                app,
                &WorkloadKey::new(WorkloadKind::Deployment, "shop", "cart"),
            );
            key(app, KeyCode::Enter);
        },
    },
    Scene {
        file: "alerts.svg",
        title:
            "shipshape demo: only workloads with runtime alerts, an alert opened in the findings",
        theme: "dark",
        width: 160,
        height: 48,
        drive: |app| {
            key(app, KeyCode::Char('a'));
            while app.focus != Pane::Alerts {
                key(app, KeyCode::Tab);
            }
            // Past the two root causes (folded) and checkout's two alerts.
            for _ in 0..4 {
                key(app, KeyCode::Char('j'));
            }
            // Open the selected alert's workload, then come back to the alerts.
            key(app, KeyCode::Enter);
            key(app, KeyCode::Tab);
            assert_eq!(app.focus, Pane::Alerts);
        },
    },
    Scene {
        file: "help.svg",
        title: "shipshape demo: the help screen, keys and the scoring formula",
        theme: "dark",
        width: 160,
        height: 48,
        drive: |app| key(app, KeyCode::Char('?')),
    },
    Scene {
        file: "theme-light.svg",
        title: "shipshape demo --theme light: the shop namespace",
        theme: "light",
        width: 160,
        height: 48,
        drive: |app| {
            while app.focus != Pane::Namespaces {
                key(app, KeyCode::BackTab);
            }
            while app.namespace.as_deref() != Some("shop") {
                key(app, KeyCode::Down);
            }
            key(app, KeyCode::Enter);
        },
    },
    Scene {
        file: "theme-high-contrast.svg",
        title: "shipshape demo --theme high-contrast: filtered to critical findings",
        theme: "high-contrast",
        width: 160,
        height: 48,
        drive: |app| {
            key(app, KeyCode::Char('/'));
            for c in "sev:critical".chars() {
                key(app, KeyCode::Char(c));
            }
            key(app, KeyCode::Enter);
        },
    },
];

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn select(app: &mut App, target: &WorkloadKey) {
    let i = app
        .rows
        .iter()
        .position(|k| k == target)
        .expect("the demo shows it");
    key(app, KeyCode::Home);
    for _ in 0..i {
        key(app, KeyCode::Down);
    }
    assert_eq!(app.selected.as_ref(), Some(target));
}

/// The scene as the dashboard draws it, as SVG.
fn draw(scene: &Scene) -> String {
    let theme = Theme::builtin(scene.theme).expect("a shipped theme");
    let options = SvgOptions::for_theme(&theme, scene.title);
    let mut app = App::new(
        demo_model(),
        Config::default(),
        SourceMode::Demo,
        theme.with_shipped(),
    );
    app.resize(scene.width, scene.height);
    (scene.drive)(&mut app);
    buffer_to_svg(&shipshape::ui::draw::to_buffer(&app), &options)
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots")
}

#[test]
fn committed_screenshots_match_what_the_dashboard_draws() {
    let update = std::env::var_os("UPDATE_SCREENSHOTS").is_some_and(|v| v != "0");
    let dir = dir();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for scene in SCENES {
        let svg = draw(scene);
        let path = dir.join(scene.file);
        if update {
            std::fs::write(&path, &svg).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(committed) if committed == svg => {}
            Ok(_) => stale.push(format!("{} differs", scene.file)),
            Err(e) => stale.push(format!("{}: {e}", scene.file)),
        }
    }
    assert!(
        stale.is_empty(),
        "screenshots/ no longer matches what the dashboard draws ({}); redraw them with `{REGENERATE}` and review the diff",
        stale.join("; ")
    );
}

#[test]
fn every_file_in_screenshots_is_a_scene() {
    let known: Vec<&str> = SCENES.iter().map(|s| s.file).collect();
    for entry in std::fs::read_dir(dir()).expect("screenshots/ exists") {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            known.contains(&name.as_str()),
            "screenshots/{name} is drawn by no scene in tests/screenshots.rs: remove it or add its scene"
        );
    }
}

#[test]
fn scenes_show_what_their_titles_promise() {
    let text = |scene: &Scene| {
        // The text content of the SVG, enough to check what is on screen.
        draw(scene)
            .lines()
            .filter_map(|l| l.strip_prefix("<text ").and_then(|l| l.split_once('>')))
            .map(|(_, rest)| rest.trim_end_matches("</text>").to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let by_file = |f: &str| SCENES.iter().find(|s| s.file == f).unwrap();
    let drill = text(by_file("drill-down.svg"));
    assert!(drill.contains("Findings · Deployment shop/cart"), "{drill}");
    assert!(
        drill.contains("ImageDrift") && drill.contains("fix:"),
        "{drill}"
    );
    let alerts = text(by_file("alerts.svg"));
    assert!(alerts.contains("alerts only"), "{alerts}");
    assert!(
        alerts.contains("Findings · Deployment observability/blackbox-exporter"),
        "{alerts}"
    );
    let help = text(by_file("help.svg"));
    assert!(help.contains("Σ"), "the scoring formula: {help}");
    let light = text(by_file("theme-light.svg"));
    assert!(light.contains("Workloads · shop"), "{light}");
    let hc = text(by_file("theme-high-contrast.svg"));
    assert!(hc.contains("filter: sev:critical"), "{hc}");
    // Each theme's background fills its picture.
    for scene in SCENES {
        let bg = Theme::builtin(scene.theme).unwrap().background.unwrap();
        let ratatui::style::Color::Rgb(r, g, b) = bg else {
            panic!("themes are #rrggbb")
        };
        let svg = draw(scene);
        let first_rect = svg.lines().find(|l| l.starts_with("<rect")).unwrap();
        assert!(
            first_rect.contains(&format!("fill=\"#{r:02x}{g:02x}{b:02x}\"")),
            "{}: {first_rect}",
            scene.file
        );
    }
}
