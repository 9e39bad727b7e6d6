//! The keys that act on a workload (`l` logs, `v` object, `y` next steps) in the cluster view
//! (`all` chosen: the findings pane shows the cluster's own checks): they act on the
//! workload the highlighted cluster finding found, never on the workload highlighted before,
//! and say so when the finding names none. j/k move the highlight over the failing findings.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use shipshape::cluster::{WorkloadKey, WorkloadKind};
use shipshape::config::Config;
use shipshape::source::demo::demo_model;
use shipshape::ui::app::{App, LogState, Overlay, Pane, SourceMode};
use shipshape::ui::cluster_focus;
use shipshape::ui::layout::layout;
use shipshape::ui::theme::Theme;

fn demo_app() -> App {
    let themes = Theme::builtin("dark")
        .expect("a shipped theme")
        .with_shipped();
    let mut app = App::new(demo_model(), Config::default(), SourceMode::Demo, themes);
    app.resize(160, 48);
    app
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn ch(app: &mut App, c: char) {
    key(app, KeyCode::Char(c));
}

/// The findings pane's rows as text, borders excluded.
fn findings_pane(app: &App) -> Vec<String> {
    let buf: Buffer = shipshape::ui::draw::to_buffer(app);
    let area = layout(app.viewport).findings;
    (area.y + 1..area.y + area.height - 1)
        .map(|y| {
            (area.x + 1..area.x + area.width - 1)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

fn highlighted(app: &App) -> String {
    cluster_focus::highlighted(app)
        .expect("a highlighted finding")
        .check
        .to_string()
}

fn fluent_bit() -> WorkloadKey {
    WorkloadKey::new(WorkloadKind::DaemonSet, "observability", "fluent-bit")
}

/// The demo in the cluster view, the findings pane focused: `all`, then Tab twice.
fn cluster_view() -> (App, Option<WorkloadKey>) {
    let mut app = demo_app();
    let before = app.selected.clone();
    assert!(before.is_some(), "the first workload is highlighted");
    key(&mut app, KeyCode::BackTab);
    assert!(app.cluster_findings());
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Findings);
    assert!(app.cluster_findings());
    (app, before)
}

#[test]
fn l_v_y_act_on_the_workload_the_highlighted_cluster_finding_found() {
    let (mut app, before) = cluster_view();
    // The pane's first failing finding, alerting, found no workload: the keys say so and
    // open nothing (before, they opened the previously highlighted workload).
    assert_eq!(highlighted(&app), "cluster.alerting");
    for c in ['v', 'l', 'y'] {
        app.note = None;
        ch(&mut app, c);
        assert_eq!(app.overlay, None, "{c}");
        let expected =
            format!("{c}: cluster.alerting names no workload; j/k picks a finding that does");
        assert_eq!(app.note.as_deref(), Some(expected.as_str()), "{c}");
    }

    // j: the logging finding, whose fluent-bit DaemonSet misses a node.
    ch(&mut app, 'j');
    assert_eq!(highlighted(&app), "cluster.logging");
    let pane = findings_pane(&app);
    let row = pane
        .iter()
        .find(|l| l.contains("cluster.logging"))
        .expect("the logging finding in view");
    assert!(row.starts_with("▸ "), "{row}");
    assert!(
        !pane
            .iter()
            .any(|l| l.contains("cluster.alerting") && l.starts_with('▸')),
        "one highlight"
    );

    ch(&mut app, 'v');
    let Some(Overlay::Object { title, lines }) = app.overlay.clone() else {
        panic!("v opens the object: {:?} {:?}", app.overlay, app.note);
    };
    assert_eq!(title, "DaemonSet observability/fluent-bit");
    assert!(
        lines.iter().any(|l| l.trim() == "kind: DaemonSet"),
        "{lines:?}"
    );
    let was = before.unwrap();
    assert!(!title.contains(&was.name), "not {was}");
    key(&mut app, KeyCode::Esc);

    ch(&mut app, 'l');
    let Some(Overlay::Logs(view)) = app.overlay.clone() else {
        panic!("l opens the logs: {:?} {:?}", app.overlay, app.note);
    };
    assert_eq!(view.target.namespace, "observability");
    let pods: Vec<String> = app
        .model()
        .pods_of(&fluent_bit())
        .iter()
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    assert!(
        pods.contains(&view.target.pod),
        "{} not in {pods:?}",
        view.target.pod
    );
    assert!(matches!(view.state, LogState::Problem(ref why) if why.contains("demo")));
    key(&mut app, KeyCode::Esc);

    ch(&mut app, 'y');
    let Some(Overlay::Commands {
        title, commands, ..
    }) = app.overlay.clone()
    else {
        panic!("y opens the next steps: {:?} {:?}", app.overlay, app.note);
    };
    assert_eq!(title, "LogAgentNotReady observability/fluent-bit");
    assert!(
        commands
            .iter()
            .any(|c| c.line.contains("-n observability") && c.line.contains("fluent-bit")),
        "{commands:?}"
    );
    key(&mut app, KeyCode::Esc);

    // From the workloads pane, while the cluster is still shown, the same.
    key(&mut app, KeyCode::Left);
    assert_eq!(app.focus, Pane::Workloads);
    assert!(app.cluster_findings());
    ch(&mut app, 'v');
    assert!(
        matches!(&app.overlay, Some(Overlay::Object { title, .. }) if title == "DaemonSet observability/fluent-bit"),
        "{:?}",
        app.overlay
    );
    key(&mut app, KeyCode::Esc);

    // A workload chosen again: the keys act on it.
    ch(&mut app, 'j');
    assert!(!app.cluster_findings());
    let chosen = app.selected.clone().unwrap();
    ch(&mut app, 'v');
    assert!(
        matches!(&app.overlay, Some(Overlay::Object { title, .. })
            if *title == format!("{} {}/{}", chosen.kind, chosen.namespace, chosen.name)),
        "{:?}",
        app.overlay
    );
}

#[test]
fn j_and_k_walk_the_failing_cluster_findings_in_the_panes_order() {
    let (mut app, _) = cluster_view();
    let failing: Vec<String> = cluster_focus::failing(&app)
        .iter()
        .map(|r| r.check.to_string())
        .collect();
    assert!(failing.len() >= 10, "{failing:?}");
    // The pane's order: observability first, capacity last, the critical node finding first
    // in capacity.
    assert_eq!(failing[0], "cluster.alerting");
    let nodes = failing
        .iter()
        .position(|c| c == "cluster.nodes-ready")
        .unwrap();
    assert!(failing[nodes..].contains(&"cluster.version".to_string()));

    let mut walked = vec![highlighted(&app)];
    for _ in 1..failing.len() {
        ch(&mut app, 'j');
        walked.push(highlighted(&app));
        // The highlighted finding's first line is in view, marked.
        let id = walked.last().unwrap().clone();
        assert!(
            findings_pane(&app)
                .iter()
                .any(|l| l.starts_with("▸ ") && l.contains(&id)),
            "{id} not highlighted in view"
        );
    }
    assert_eq!(walked, failing);
    // Past the last failing finding, j scrolls on to the passed checks.
    let scroll = app.findings_scroll;
    ch(&mut app, 'j');
    assert_eq!(highlighted(&app), *failing.last().unwrap());
    assert!(app.findings_scroll > scroll || app.findings_scroll == app.findings_max_scroll());
    // k walks back.
    for _ in 0..40 {
        ch(&mut app, 'k');
    }
    assert_eq!(highlighted(&app), failing[0]);
    assert_eq!(app.findings_scroll, 0);
    // Home and End scroll; the highlight follows into view.
    key(&mut app, KeyCode::End);
    assert_eq!(app.findings_scroll, app.findings_max_scroll());
    let id = highlighted(&app);
    assert_ne!(id, failing[0]);
    assert!(
        findings_pane(&app)
            .iter()
            .any(|l| l.starts_with("▸ ") && l.contains(&id)),
        "{id} not highlighted in view after End"
    );
}
