//! Triage in the dashboard, on a test backend: root causes above the alerts they explain, the
//! next commands and copying one, logs on demand (the demo's one line, and a live answer with
//! credentials and control characters in it), the object as YAML, and what appeared while
//! watching.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use shipshape::cluster::{WorkloadKey, WorkloadKind};
use shipshape::config::Config;
use shipshape::source::demo::demo_model;
use shipshape::source::demo_script;
use shipshape::triage::logs::LogTarget;
use shipshape::ui::app::{App, LogState, Overlay, Pane, SourceMode, StripRow};
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

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn render(app: &App) -> Buffer {
    shipshape::ui::draw::to_buffer(app)
}

fn screen(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn select(app: &mut App, target: &WorkloadKey) {
    app.focus = Pane::Workloads;
    key(app, KeyCode::Home);
    while app.selected.as_ref() != Some(target) {
        let before = app.selected.clone();
        key(app, KeyCode::Down);
        assert_ne!(app.selected, before, "{target:?} is not in the list");
    }
}

fn checkout() -> WorkloadKey {
    WorkloadKey::new(WorkloadKind::Deployment, "shop", "checkout")
}

const NODE: &str = "ip-10-42-12-203.eu-west-1.compute.internal";

#[test]
fn the_root_cause_comes_first_in_the_strip_and_folds() {
    let mut app = demo_app();
    // A quota refusing auth-api's pods (critical), then the node under memory pressure.
    assert_eq!(app.causes.len(), 2, "{:#?}", app.causes);
    let quota = app.causes[0].clone();
    assert_eq!(quota.kind, shipshape::triage::causes::CauseKind::Quota);
    assert_eq!(
        (quota.namespace.as_deref(), quota.name.as_str()),
        (Some("identity"), "compute")
    );
    let cause = app.causes[1].clone();
    assert_eq!(cause.name, NODE);
    assert!(
        cause.evidence.starts_with("MemoryPressure"),
        "{}",
        cause.evidence
    );
    assert_eq!(
        app.strip[..2],
        [StripRow::Cause(quota.key()), StripRow::Cause(cause.key())]
    );
    // Folded: one line stands for the alerts it explains, the others follow.
    let explained = cause.alerts.len();
    assert!(explained >= 2, "{cause:#?}");
    let all = app.alert_rows.len();
    let rows = app.strip.len();
    assert_eq!(rows, all - explained - quota.alerts.len() + 2);
    let text = screen(&render(&app));
    assert!(text.contains("2 root causes"), "{text}");
    assert!(
        text.contains("▸ ✖ root cause: quota identity/compute: quota exceeded: 1 workload cannot create pods · explains 1 alert"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "▸ ▲ root cause: node {NODE}: MemoryPressure since 09:31: 2 workloads, 2 pods · explains {explained} alerts"
        )),
        "{text}"
    );
    insta::assert_snapshot!("triage_strip", text);

    // Enter on the cause unfolds its alerts under it; the counts count them either way.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Alerts);
    assert_eq!(app.selected_cause, Some(quota.key()));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.selected_cause, Some(cause.key()));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.strip.len(), rows + explained);
    assert_eq!(app.alert_rows.len(), all);
    for row in &app.strip[2..2 + explained] {
        let StripRow::Alert((check, w)) = row else {
            panic!("{row:?}")
        };
        assert!(cause.explains(check, w));
    }
    let text = screen(&render(&app));
    assert!(
        text.contains(&format!("▾ ▲ root cause: node {NODE}")),
        "{text}"
    );
    insta::assert_snapshot!("triage_strip_unfolded", text);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.strip.len(), rows);
}

#[test]
fn next_steps_for_a_cause_and_for_an_alert_copy_the_selected_command() {
    let mut app = demo_app();
    app.focus = Pane::Alerts;
    // The node under memory pressure, after the quota.
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('y'));
    let Some(Overlay::Commands { commands, .. }) = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    assert_eq!(commands[0].line, format!("kubectl describe node {NODE}"));
    assert_eq!(
        commands[1].line,
        format!("kubectl get pods -A -o wide --field-selector spec.nodeName={NODE}")
    );
    let text = screen(&render(&app));
    insta::assert_snapshot!("triage_next_steps_cause", text);
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(
        app.copy_request.as_deref(),
        Some(format!("kubectl get pods -A -o wide --field-selector spec.nodeName={NODE}").as_str())
    );
    assert!(app.note.as_deref().unwrap().starts_with("copied"));
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());

    // On checkout's crash loop, from its findings: the previous instance's logs first.
    select(&mut app, &checkout());
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('y'));
    let Some(Overlay::Commands { commands, .. }) = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    assert!(
        commands[0]
            .line
            .starts_with("kubectl -n shop logs checkout-")
            && commands[0].line.ends_with(" -c checkout --previous"),
        "{}",
        commands[0].line
    );
}

#[test]
fn logs_in_the_demo_say_in_one_line_that_there_is_no_cluster() {
    let mut app = demo_app();
    select(&mut app, &checkout());
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('l'));
    assert!(app.log_request.is_none(), "nothing to fetch from");
    let Some(Overlay::Logs(view)) = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    assert!(
        view.target.previous,
        "a crash loop reads the previous instance"
    );
    assert_eq!(view.target.container, "checkout");
    assert!(matches!(&view.state, LogState::Problem(p) if p.contains("demo")));
    let text = screen(&render(&app));
    insta::assert_snapshot!("triage_logs_demo", text);
}

#[test]
fn live_logs_are_masked_sanitised_highlighted_and_gone_when_closed() {
    let mut app = demo_app();
    app.mode = SourceMode::Live;
    select(&mut app, &checkout());
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('l'));
    let target: LogTarget = app.log_request.take().expect("a fetch for the event loop");
    assert!(target.previous);
    assert!(matches!(&app.overlay, Some(Overlay::Logs(v)) if v.state == LogState::Loading));
    assert!(screen(&render(&app)).contains("fetching the last 200 lines"));

    // An answer for other logs is dropped.
    let other = LogTarget {
        pod: "someone-else".into(),
        ..target.clone()
    };
    app.logs_arrived(&other, Ok("not these\n".into()));
    assert!(matches!(&app.overlay, Some(Overlay::Logs(v)) if v.state == LogState::Loading));

    let raw = "\
2026-11-20T09:40:58Z starting checkout 4.1.0
2026-11-20T09:40:59Z connecting to postgres://checkout:Sup3rS3cret@db.shop:5432/orders
2026-11-20T09:41:00Z \u{1b}]0;pwned\u{7}\u{1b}[2Jtitle rewritten
2026-11-20T09:41:01Z ERROR payment client: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaGVja291dCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ
2026-11-20T09:41:01Z panic: runtime error: invalid memory address
";
    app.logs_arrived(&target, Ok(raw.into()));
    let buf = render(&app);
    let text = screen(&buf);
    for secret in ["Sup3rS3cret", "eyJhbGciOiJIUzI1NiJ9", "c2lnbmF0dXJl"] {
        assert!(!text.contains(secret), "{secret} on screen:\n{text}");
    }
    assert!(
        text.contains(r"\e]0;pwned\x07\e[2Jtitle rewritten"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'));
    // Error lines stand out in the critical colour.
    let theme = app.theme().clone();
    let y = (0..buf.area.height)
        .find(|y| {
            let line: String = (0..buf.area.width).map(|x| buf[(x, *y)].symbol()).collect();
            line.contains("panic: runtime error")
        })
        .expect("the panic line");
    let x = (0..buf.area.width)
        .find(|x| buf[(*x, y)].symbol() == "p")
        .unwrap();
    assert_eq!(Some(buf[(x, y)].fg), theme.critical);
    insta::assert_snapshot!("triage_logs_live", text);

    // Closed, the lines are gone: nothing else holds them.
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert!(!screen(&render(&app)).contains("title rewritten"));

    // A failed fetch is its one sentence.
    key(&mut app, KeyCode::Char('l'));
    let target = app.log_request.take().unwrap();
    app.logs_arrived(
        &target,
        Err(
            "reading logs is forbidden in shop: grant get on pods/log (see deploy/rbac.yaml)"
                .into(),
        ),
    );
    assert!(screen(&render(&app)).contains("reading logs is forbidden in shop"));
}

#[test]
fn the_object_view_shows_the_pruned_object_as_yaml() {
    let mut app = demo_app();
    select(&mut app, &checkout());
    key(&mut app, KeyCode::Char('v'));
    let Some(Overlay::Object { lines, .. }) = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    assert!(lines.iter().any(|l| l == "kind: Deployment"), "{lines:?}");
    assert!(lines.iter().any(|l| l.trim() == "name: checkout"));
    assert!(!lines.iter().any(|l| l.contains("managedFields")));
    assert!(!lines
        .iter()
        .any(|l| l.contains("last-applied-configuration")));
    let text = screen(&render(&app));
    insta::assert_snapshot!("triage_object", text);
    let max = app.overlay_max_scroll();
    assert!(max > 0);
    key(&mut app, KeyCode::End);
    assert_eq!(app.overlay_scroll, max);
}

#[test]
fn a_new_crash_loop_tops_the_strip_and_the_timeline_records_it() {
    let mut app = demo_app();
    let steps = demo_script::script(app.model());
    let step = steps
        .iter()
        .find(|s| s.what.contains("crash-looping"))
        .expect("the storefront step");
    for msg in &step.msgs {
        app.apply(msg.clone());
    }
    assert!(app.flush());
    let storefront = WorkloadKey::new(WorkloadKind::Deployment, "shop", "storefront");
    // Right after the causes, however old the pods' own timestamps are.
    let first_alert = app
        .strip
        .iter()
        .find_map(|r| match r {
            StripRow::Alert(k) if !app.causes.iter().any(|c| c.explains(&k.0, &k.1)) => Some(k),
            _ => None,
        })
        .unwrap();
    assert_eq!(first_alert.1, storefront);
    let text = screen(&render(&app));
    assert!(text.contains("1 new in 15m"), "{text}");
    let transitions: Vec<_> = app.timeline.transitions().collect();
    assert!(!transitions.is_empty());
    assert!(transitions.iter().all(|t| t.workload == storefront));

    select(&mut app, &storefront);
    key(&mut app, KeyCode::Enter);
    let text = screen(&render(&app));
    assert!(text.contains("THIS SESSION"), "{text}");
    key(&mut app, KeyCode::Char('T'));
    assert_eq!(app.overlay, Some(Overlay::Timeline));
    let text = screen(&render(&app));
    assert!(text.contains("appeared"), "{text}");
    assert!(text.contains("shop/storefront"), "{text}");
    insta::assert_snapshot!("triage_timeline", text);
}
