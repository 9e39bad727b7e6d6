//! The dashboard of several clusters against loopback API servers: a healthy one, one that
//! forbids every list, one that is gone. Each connects and fails on its own, the failures are
//! their own rows, the panes below follow the selected cluster, and `c` still switches.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shipshape::cluster::Kind;
use shipshape::config::Config;
use shipshape::source::live::ConnectOptions;
use shipshape::source::Source;
use shipshape::ui::app::{App, Pane, SourceMode};
use shipshape::ui::fleet::{ClusterRow, Fleet, RowState};
use shipshape::ui::theme::Theme;
use std::path::Path;
use std::time::Duration;
use support::fleet::{demo_server, gone_server, kubeconfig};

fn screen(app: &App) -> Vec<String> {
    let buf = shipshape::ui::draw::to_buffer(app);
    (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            line.trim_end().to_string()
        })
        .collect()
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// The dashboard as its event loop runs it, without a terminal.
struct Dashboard {
    app: App,
    source: Source,
}

impl Dashboard {
    async fn start(kubeconfig: &Path, contexts: &[&str], all: &[String]) -> Dashboard {
        let contexts: Vec<String> = contexts.iter().map(|c| c.to_string()).collect();
        let options = ConnectOptions {
            kubeconfig: Some(kubeconfig.to_path_buf()),
            ..Default::default()
        };
        let fleet = Fleet::new(&contexts, &Config::default());
        let mut source = Source::fleet(options, contexts.clone());
        source
            .start(&shipshape::cluster::ClusterModel::new())
            .await
            .expect("a fleet starts without connecting first");
        let mut app = App::with_fleet(
            fleet,
            Config::default(),
            SourceMode::Live,
            Theme::builtin("dark").unwrap().with_shipped(),
        );
        app.contexts = all.to_vec();
        app.resize(160, 48);
        Dashboard { app, source }
    }

    /// Applies messages and flushes, as frames do, until `done` holds (or fails after 20 s).
    async fn until(&mut self, what: &str, done: impl Fn(&[ClusterRow]) -> bool) {
        self.until_app(what, |app| done(&app.cluster_rows())).await
    }

    /// As [`Dashboard::until`], for a condition on the whole dashboard.
    async fn until_app(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            self.app.flush();
            let rows = self.app.cluster_rows();
            if done(&self.app) {
                return;
            }
            // The event loop also flushes on a tick when no message comes (a deferred merge
            // of the "all clusters" rows lands then).
            let tick = (tokio::time::Instant::now() + Duration::from_millis(250)).min(deadline);
            match tokio::time::timeout_at(tick, self.source.recv()).await {
                Ok(Some((index, generation, msg))) => {
                    self.app.apply_from(index, generation, msg);
                    while let Some((index, generation, msg)) = self.source.try_recv() {
                        self.app.apply_from(index, generation, msg);
                    }
                }
                Ok(None) => panic!("the sources closed while waiting for {what}"),
                Err(_) if tokio::time::Instant::now() >= deadline => {
                    panic!("timed out waiting for {what}: {rows:#?}")
                }
                Err(_) => {}
            }
        }
    }

    /// What the event loop does with a context switch the app asks for.
    fn carry_out_requests(&mut self) {
        if let Some(shipshape::ui::app::Request::SwitchContext(context)) = self.app.request.take() {
            shipshape::ui::switch_context(&mut self.app, &mut self.source, context);
        }
    }
}

fn row<'a>(rows: &'a [ClusterRow], context: &str) -> &'a ClusterRow {
    rows.iter()
        .find(|r| r.context == context)
        .unwrap_or_else(|| panic!("no row {context}: {rows:#?}"))
}

fn live(rows: &[ClusterRow], context: &str) -> bool {
    matches!(row(rows, context).state, RowState::Live { .. })
}

fn failed(rows: &[ClusterRow], context: &str) -> bool {
    row(rows, context).failed()
}

/// The screen line that names `context` in the Clusters pane.
fn cluster_line<'a>(lines: &'a [String], context: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.starts_with(&format!("│{context} ")) || l.starts_with(&format!("┃{context} ")))
        .unwrap_or_else(|| panic!("no line for {context}:\n{}", lines.join("\n")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_cluster_is_its_own_row_and_the_panes_follow_the_selected_one() {
    let prod = demo_server().await;
    let locked = demo_server().await;
    for kind in Kind::ALL {
        locked.forbid(kind.plural());
    }
    let gone = gone_server().await;
    let dir = tempfile::tempdir().unwrap();
    let path = kubeconfig(
        dir.path(),
        &[
            ("prod", prod.url()),
            ("locked", locked.url()),
            ("gone", gone.url()),
        ],
    );
    let mut d = Dashboard::start(&path, &["prod", "locked", "gone"], &[]).await;
    // Before anything has answered the dashboard already draws every cluster's row.
    let first = screen(&d.app);
    for context in ["prod", "locked", "gone"] {
        cluster_line(&first, context);
    }
    d.until("prod to list and the others to fail", |rows| {
        live(rows, "prod") && failed(rows, "locked") && failed(rows, "gone")
    })
    .await;

    let want = shipshape::engine::Engine::from_messages(
        Config::default(),
        shipshape::source::demo::demo_messages(),
    );
    let rows = d.app.cluster_rows();
    let p = row(&rows, "prod");
    assert_eq!(p.workloads, want.grades().workloads.len());
    assert_eq!(p.grade, want.grades().cluster_grade);
    assert!(p.server_version.is_some());
    match &row(&rows, "locked").state {
        RowState::Failed(why) => assert!(why.contains("forbidden"), "{why}"),
        other => panic!("locked: {other:?}"),
    }
    match &row(&rows, "gone").state {
        RowState::Failed(why) => assert!(!why.is_empty()),
        other => panic!("gone: {other:?}"),
    }

    // The failures are on their rows; the panes below are prod's, untouched by them.
    let lines = screen(&d.app);
    let text = lines.join("\n");
    assert!(text.contains("Clusters · 2 of 3 cannot be read"), "{text}");
    assert!(cluster_line(&lines, "locked").contains("✖ forbidden"));
    assert!(cluster_line(&lines, "gone").contains('✖'));
    let prod_line = cluster_line(&lines, "prod");
    assert!(prod_line.contains("● live"), "{prod_line}");
    assert!(!prod_line.contains("forbidden"), "{prod_line}");
    assert!(
        lines[0].contains("prod") && !lines[0].contains('✖'),
        "{}",
        lines[0]
    );
    assert_eq!(d.app.grades().workloads.len(), p.workloads);
    let a_workload = d.app.rows[0].name.clone();
    assert!(text.contains(&a_workload));

    // Tab reaches the Clusters pane; moving down shows the next cluster, by its key.
    d.app.focus = Pane::Namespaces;
    key(&mut d.app, KeyCode::Down);
    assert!(d.app.namespace.is_some(), "a namespace of prod selected");
    key(&mut d.app, KeyCode::BackTab);
    assert_eq!(d.app.focus, Pane::Clusters);
    key(&mut d.app, KeyCode::Down);
    assert_eq!(d.app.fleet.as_ref().unwrap().selected, "locked");
    assert_eq!(d.app.context.as_deref(), Some("locked"));
    assert_eq!(
        d.app.namespace, None,
        "the view starts over on the other cluster"
    );
    assert!(d.app.rows.is_empty(), "locked shows no workloads");
    let lines = screen(&d.app);
    // The header says why, as its row does, not "live" over a cluster that forbids every list.
    assert!(
        lines[0].contains("✖ forbidden: cannot list any"),
        "{}",
        lines[0]
    );
    assert!(!lines[0].contains("● live"), "{}", lines[0]);
    let text = lines.join("\n");
    assert!(!text.contains(&format!(" {a_workload} ")), "{text}");
    // Messages keep reaching the cluster not shown: prod is still graded in its row.
    d.until("prod graded in the background", |rows| {
        row(rows, "prod").workloads == want.grades().workloads.len()
    })
    .await;
    key(&mut d.app, KeyCode::Down);
    assert_eq!(d.app.context.as_deref(), Some("gone"));
    let lines = screen(&d.app);
    assert!(lines[0].contains('✖'), "the header says why: {}", lines[0]);
    // Its empty panes say nothing was read, not that all is well.
    let text = lines.join("\n");
    assert!(!text.contains("no runtime alerts"), "{text}");
    assert_eq!(
        text.matches("nothing read from this cluster").count(),
        2,
        "workloads and alerts: {text}"
    );
    // Back up: prod's engine comes back with its grades, not regraded from nothing. The
    // pane's first row is "all clusters", prod the one below it.
    key(&mut d.app, KeyCode::Home);
    assert!(d.app.showing_all());
    key(&mut d.app, KeyCode::Down);
    assert_eq!(d.app.context.as_deref(), Some("prod"));
    assert_eq!(d.app.rows.len(), want.grades().workloads.len());
    // Enter goes down to prod's namespaces.
    key(&mut d.app, KeyCode::Enter);
    assert_eq!(d.app.focus, Pane::Namespaces);

    // A click on a row selects that cluster.
    let lines = screen(&d.app);
    let y = lines
        .iter()
        .position(|l| l.starts_with("│locked ") || l.starts_with("┃locked "))
        .unwrap();
    d.app.handle_mouse(crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column: 3,
        row: y as u16,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(d.app.context.as_deref(), Some("locked"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_context_switch_selects_a_member_or_moves_the_selected_one_to_another_cluster() {
    let prod = demo_server().await;
    let spare = demo_server().await;
    let gone = gone_server().await;
    let dir = tempfile::tempdir().unwrap();
    let path = kubeconfig(
        dir.path(),
        &[
            ("prod", prod.url()),
            ("gone", gone.url()),
            ("spare", spare.url()),
        ],
    );
    let all: Vec<String> = ["prod", "gone", "spare"].map(String::from).to_vec();
    let mut d = Dashboard::start(&path, &["prod", "gone"], &all).await;
    d.until("prod to list and gone to fail", |rows| {
        live(rows, "prod") && failed(rows, "gone")
    })
    .await;
    // `c` on a member of the fleet selects it; no new connection.
    key(&mut d.app, KeyCode::Char('c'));
    assert_eq!(d.app.context_picker.as_deref(), Some("prod"));
    key(&mut d.app, KeyCode::Down);
    key(&mut d.app, KeyCode::Enter);
    d.carry_out_requests();
    assert_eq!(d.app.context.as_deref(), Some("gone"));
    assert_eq!(d.app.cluster_count(), 2);
    // `c` on a context outside the fleet: the selected cluster (gone) starts over on it.
    key(&mut d.app, KeyCode::Char('c'));
    key(&mut d.app, KeyCode::End);
    assert_eq!(d.app.context_picker.as_deref(), Some("spare"));
    key(&mut d.app, KeyCode::Enter);
    d.carry_out_requests();
    assert_eq!(d.app.context.as_deref(), Some("spare"));
    let rows = d.app.cluster_rows();
    assert_eq!(
        rows.iter().map(|r| r.context.as_str()).collect::<Vec<_>>(),
        ["prod", "spare"]
    );
    assert!(!failed(&rows, "spare"), "gone's failure did not carry over");
    d.until("spare to list", |rows| live(rows, "spare")).await;
    let want = shipshape::engine::Engine::from_messages(
        Config::default(),
        shipshape::source::demo::demo_messages(),
    );
    assert_eq!(d.app.rows.len(), want.grades().workloads.len());
    assert!(d.app.model().source_problem.is_none());
    let lines = screen(&d.app);
    assert!(lines[0].contains("spare"), "{}", lines[0]);
    assert!(cluster_line(&lines, "spare").contains("● live"));
    assert!(
        !lines.iter().any(|l| l.starts_with("│gone ")),
        "the old context's row is gone"
    );
}

/// A context name that would move the cursor, ring and set the window title if printed raw.
const HOSTILE: &str = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_clusters_lists_every_readable_clusters_rows_each_naming_its_cluster() {
    let prod = demo_server().await;
    let stage = demo_server().await;
    let locked = demo_server().await;
    for kind in Kind::ALL {
        locked.forbid(kind.plural());
    }
    let dir = tempfile::tempdir().unwrap();
    let path = kubeconfig(
        dir.path(),
        &[
            ("prod", prod.url()),
            ("stage", stage.url()),
            ("locked", locked.url()),
        ],
    );
    // The hostile context is not in the kubeconfig: a red row whose error names it.
    let mut d = Dashboard::start(&path, &["prod", "stage", "locked", HOSTILE], &[]).await;
    let want = shipshape::engine::Engine::from_messages(
        Config::default(),
        shipshape::source::demo::demo_messages(),
    );
    let demo = want.grades().workloads.len();
    d.until("prod and stage to list, the others to fail", |rows| {
        live(rows, "prod")
            && live(rows, "stage")
            && failed(rows, "locked")
            && failed(rows, HOSTILE)
            && row(rows, "prod").workloads == demo
            && row(rows, "stage").workloads == demo
    })
    .await;

    // The pane's first row is "all clusters"; Home in the pane selects it.
    d.app.focus = Pane::Clusters;
    key(&mut d.app, KeyCode::Home);
    assert!(d.app.showing_all());
    assert_eq!(d.app.fleet.as_ref().unwrap().cursor(), 0);
    let rows = &d.app.rows;
    assert_eq!(rows.len(), 2 * demo, "both readable clusters' workloads");
    for cluster in ["prod", "stage"] {
        let own = rows
            .iter()
            .filter(|k| k.namespace.starts_with(&format!("{cluster}/")))
            .count();
        assert_eq!(own, demo, "{cluster}'s rows, each naming it");
    }
    // Sorted as one cluster's rows are: worst health first, across the clusters.
    let healths: Vec<_> = rows
        .iter()
        .map(|k| d.app.report(k).unwrap().health)
        .collect();
    assert!(healths.windows(2).all(|w| w[0] <= w[1]), "{healths:?}");
    assert_ne!(healths.first(), healths.last());
    // Namespaces and alerts of both, none of the clusters that cannot be read.
    let namespaces = d.app.namespace_rows();
    assert_eq!(
        namespaces.len(),
        1 + 2 * want.grades().namespaces.len(),
        "{namespaces:?}"
    );
    assert!(namespaces.contains(&Some(
        "stage/".to_string() + want.grades().namespaces.keys().next().unwrap()
    )));
    let clusters = d.app.cluster_rows();
    let alerts_of = |c: &str| row(&clusters, c).alerts.iter().sum::<usize>();
    assert!(alerts_of("prod") > 0);
    assert_eq!(
        d.app.alert_rows.len(),
        alerts_of("prod") + alerts_of("stage"),
        "every alert of both"
    );
    assert!(d
        .app
        .alert_rows
        .iter()
        .any(|(_, k)| k.namespace.starts_with("prod/")));
    assert!(d
        .app
        .alert_rows
        .iter()
        .any(|(_, k)| k.namespace.starts_with("stage/")));
    assert!(!rows.iter().any(|k| k.namespace.starts_with("locked/")));

    let lines = screen(&d.app);
    let text = lines.join("\n");
    // The header sums up the clusters read and names the ones that cannot be.
    assert!(
        lines[0].contains("all clusters · 2 of 4 read"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains("cannot be read: locked, evil\\e]0;pwned\\x07"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains(&format!("{} workloads", 2 * demo)),
        "{}",
        lines[1]
    );
    // Every row names its cluster; the failures stay listed on their own rows.
    let first = &d.app.rows[0];
    assert!(text.contains(&first.namespace), "{text}");
    assert!(cluster_line(&lines, "locked").contains("✖ forbidden"));
    assert!(cluster_line(&lines, "evil\\e]0;pwned\\x07\\e[2J").contains('✖'));
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "no raw control character on screen"
    );
    let all_line = cluster_line(&lines, "all clusters");
    assert!(
        all_line.contains("Σ 2 of 4 clusters · 2 cannot be read"),
        "{all_line}"
    );
    assert!(
        all_line.contains(&format!(" {} ", 2 * demo)),
        "workloads summed: {all_line}"
    );

    // The filter matches `cluster/namespace/name`: `stage/` keeps one cluster's rows.
    d.app.focus = Pane::Workloads;
    key(&mut d.app, KeyCode::Char('/'));
    for c in "stage/".chars() {
        key(&mut d.app, KeyCode::Char(c));
    }
    key(&mut d.app, KeyCode::Enter);
    assert_eq!(d.app.rows.len(), demo);
    assert!(d.app.rows.iter().all(|k| k.namespace.starts_with("stage/")));
    key(&mut d.app, KeyCode::Esc);
    assert_eq!(d.app.rows.len(), 2 * demo, "Esc clears the filter");

    // Drill-down acts on the row's own cluster: the object comes from stage, under stage's
    // own namespace; the logs are stage's.
    d.app.focus = Pane::Workloads;
    let at = d
        .app
        .rows
        .iter()
        .position(|k| {
            k.namespace.starts_with("stage/")
                && d.app
                    .report(k)
                    .is_some_and(|r| r.alerts.iter().any(|a| !a.pods.is_empty()))
        })
        .expect("a stage workload whose alert names a pod");
    key(&mut d.app, KeyCode::Home);
    for _ in 0..at {
        key(&mut d.app, KeyCode::Down);
    }
    let chosen = d.app.rows[at].clone();
    assert_eq!(d.app.selected.as_ref(), Some(&chosen));
    let own_namespace = chosen.namespace.strip_prefix("stage/").unwrap().to_string();
    key(&mut d.app, KeyCode::Char('v'));
    match &d.app.overlay {
        Some(shipshape::ui::app::Overlay::Object { title, lines }) => {
            assert!(title.contains(&chosen.namespace), "{title}");
            assert!(
                lines
                    .iter()
                    .any(|l| l.trim() == format!("namespace: {own_namespace}")),
                "{lines:#?}"
            );
        }
        other => panic!("no object view: {other:?}"),
    }
    key(&mut d.app, KeyCode::Esc);
    // Enter opens the row's findings (from its own cluster's grades); `l` there its logs.
    key(&mut d.app, KeyCode::Enter);
    assert_eq!(d.app.focus, Pane::Findings);
    assert_eq!(d.app.selected_report().map(|r| &r.key), Some(&chosen));
    key(&mut d.app, KeyCode::Char('l'));
    let target = d
        .app
        .log_request
        .clone()
        .unwrap_or_else(|| panic!("logs requested: {:?} {:?}", d.app.note, d.app.overlay));
    assert_eq!(target.namespace, own_namespace);
    assert_eq!(d.app.log_context.as_deref(), Some("stage"));
    key(&mut d.app, KeyCode::Esc);
    d.app.focus = Pane::Workloads;

    // A regrade of prod that removes a row above the chosen one keeps the cursor on it.
    let gone = d
        .app
        .rows
        .iter()
        .take(at)
        .find(|k| k.namespace.starts_with("prod/"))
        .cloned();
    let gone = gone.expect("a prod row above the chosen one");
    // The workload with its ReplicaSets and pods (a pod alone still names its owner).
    let namespace = gone.namespace.strip_prefix("prod/").unwrap();
    for object in shipshape::source::demo::demo_model().stores.objects() {
        let json = object.to_json();
        let name = json["metadata"]["name"].as_str().unwrap_or_default();
        if json["metadata"]["namespace"] != namespace
            || !(name == gone.name || name.starts_with(&format!("{}-", gone.name)))
        {
            continue;
        }
        if let Some(kind) = Kind::ALL.iter().find(|k| json["kind"] == k.to_string()) {
            prod.delete(*kind, namespace, name);
        }
    }
    d.until_app("prod's row to go", |app| !app.rows.contains(&gone))
        .await;
    assert_eq!(d.app.selected.as_ref(), Some(&chosen));
    let now_at = d.app.rows.iter().position(|k| *k == chosen).unwrap();
    assert!(now_at < at, "the chosen row moved up, the cursor with it");

    // Selecting a cluster from "all" shows that cluster alone again.
    d.app.focus = Pane::Clusters;
    key(&mut d.app, KeyCode::Down);
    assert!(!d.app.showing_all());
    assert_eq!(d.app.context.as_deref(), Some("prod"));
    assert!(d.app.rows.iter().all(|k| !k.namespace.contains('/')));
    // A click on the "all clusters" row selects it again.
    let y = screen(&d.app)
        .iter()
        .position(|l| l.starts_with("┃all clusters ") || l.starts_with("│all clusters "))
        .unwrap();
    d.app.handle_mouse(crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column: 3,
        row: y as u16,
        modifiers: KeyModifiers::NONE,
    });
    assert!(d.app.showing_all());
    assert_eq!(d.app.rows.len(), 2 * demo - 1, "prod lost one workload");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_context_name_is_shown_escaped_wherever_the_fleet_view_names_it() {
    let prod = demo_server().await;
    let evil = demo_server().await;
    let dir = tempfile::tempdir().unwrap();
    // YAML's double-quoted escapes put the raw control characters into the context's name.
    let yaml_name = r#""evil\e]0;pwned\a\e[2J""#;
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n    server: {}\n\
         - name: evil\n  cluster:\n    server: {}\nusers:\n- name: reader\n  user:\n    token: t\n\
         contexts:\n- name: prod\n  context:\n    cluster: prod\n    user: reader\n\
         - name: {yaml_name}\n  context:\n    cluster: evil\n    user: reader\n\
         current-context: prod\n",
        prod.url(),
        evil.url()
    );
    let path = dir.path().join("kubeconfig");
    std::fs::write(&path, text).unwrap();
    let mut d = Dashboard::start(&path, &["prod", HOSTILE], &[]).await;
    d.until("both to list", |rows| {
        live(rows, "prod") && live(rows, HOSTILE)
    })
    .await;
    d.app.focus = Pane::Clusters;
    key(&mut d.app, KeyCode::Home);
    assert!(d.app.showing_all());
    let escaped = r"evil\e]0;pwned\x07\e[2J";
    let no_controls = |lines: &[String]| {
        let text = lines.join("\n");
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "a raw control character on screen:\n{text}"
        );
        text
    };
    for (w, h) in [(160, 48), (100, 30)] {
        d.app.resize(w, h);
        let lines = screen(&d.app);
        let text = no_controls(&lines);
        assert!(cluster_line(&lines, escaped).contains("● live"), "{text}");
        // The namespaces pane names the hostile cluster's namespaces, escaped, the context
        // clipped before the namespace.
        assert!(text.contains(r"│evi…/shop "), "{text}");
    }
    // Its rows name it: a CLUSTER column at 160 columns, a prefix at 100.
    let at = d
        .app
        .rows
        .iter()
        .position(|k| {
            k.namespace.starts_with(HOSTILE)
                && d.app
                    .report(k)
                    .is_some_and(|r| r.alerts.iter().any(|a| !a.pods.is_empty()))
        })
        .expect("a row of the hostile cluster whose alert names a pod");
    d.app.focus = Pane::Workloads;
    key(&mut d.app, KeyCode::Home);
    for _ in 0..at {
        key(&mut d.app, KeyCode::Down);
    }
    let name = d.app.rows[at].name.clone();
    let lines = screen(&d.app);
    no_controls(&lines);
    // A long context gives way to the name: clipped, the name whole.
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!(r" evil\e]…/{name} "))),
        "the name's prefix at 100 columns:\n{}",
        lines.join("\n")
    );
    d.app.resize(160, 48);
    let lines = screen(&d.app);
    no_controls(&lines);
    assert!(
        lines
            .iter()
            .any(|l| l.contains(r"┃evil\e]0;pwned\x07… ") && l.contains(&format!(" {name} "))),
        "the CLUSTER column at 160 columns:\n{}",
        lines.join("\n")
    );
    // The logs of its row: fetched from the hostile context itself, titled escaped.
    key(&mut d.app, KeyCode::Enter);
    key(&mut d.app, KeyCode::Char('l'));
    assert_eq!(d.app.log_context.as_deref(), Some(HOSTILE));
    let lines = screen(&d.app);
    let text = no_controls(&lines);
    assert!(text.contains(&format!("logs · {escaped}/")), "{text}");
}
