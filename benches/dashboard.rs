//! The dashboard's per-frame costs on generated clusters: drawing a 160×48 frame, a live pod
//! update (apply, regrade, redraw), and recomputing 10,000 rows under a filter and each sort.
//!
//! `cargo bench --bench dashboard`.

use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use shipshape::cluster::{Entry, Kind, Msg, Object};
use shipshape::config::Config;
use shipshape::engine::Engine;
use shipshape::source::file::load_str;
use shipshape::source::LoadOptions;
use shipshape::ui::app::{App, SortMode, SourceMode};
use shipshape::ui::filter::Filter;
use shipshape::ui::theme::Theme;
use std::hint::black_box;

/// A dashboard on a generated cluster of `workloads` Deployments with one pod each.
fn app(workloads: usize) -> App {
    let text = serde_json::to_string(&shipshape::synthetic::cluster_list(workloads, 1)).unwrap();
    let msgs = load_str(&text, "bench.json", &LoadOptions::default()).unwrap();
    let themes = vec![Theme::builtin("dark").unwrap()];
    let engine = Engine::from_messages(Config::default(), msgs);
    let mut app = App::with_engine(engine, SourceMode::Live, themes);
    app.resize(160, 48);
    app
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(160, 48)).unwrap()
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|f| shipshape::ui::draw::draw(f, app))
        .unwrap();
}

fn frames(c: &mut Criterion) {
    let mut app = app(5000);
    assert_eq!(app.rows.len(), 5000);
    let mut group = c.benchmark_group("dashboard-5k-workloads");

    let mut term = terminal();
    group.bench_function("draw 160x48", |b| {
        b.iter(|| draw(&mut term, black_box(&app)))
    });
    // With the previous frame forgotten, every cell is written to the backend too.
    group.bench_function("draw 160x48 from blank", |b| {
        b.iter(|| {
            term.clear().unwrap();
            draw(&mut term, black_box(&app))
        })
    });

    // One pod of a healthy workload changes its restart count each time: a real change, so
    // its workload is regraded and the rows are recomputed before the frame is drawn.
    let pod = app
        .model()
        .stores
        .pods
        .values()
        .find(|p| {
            p.metadata
                .name
                .as_deref()
                .is_some_and(|n| n.starts_with("svc-00001-"))
        })
        .map(|p| p.to_k8s())
        .expect("the generated pod");
    let mut restarts = 0;
    // Each update regrades its workload, the Services selecting it and the rollups: few samples.
    group.sample_size(10);
    group.bench_function("pod update + flush + draw", |b| {
        b.iter(|| {
            restarts += 1;
            let mut p = pod.clone();
            if let Some(cs) = p
                .status
                .as_mut()
                .and_then(|s| s.container_statuses.as_mut())
            {
                cs[0].restart_count = restarts;
            }
            app.apply(Msg::Upsert(Box::new(Entry {
                object: Object::Pod(p),
                api_version: Kind::Pod.api_version(),
                origin: None,
            })));
            assert!(app.flush());
            draw(&mut term, &app);
        })
    });
    group.finish();
}

fn rows(c: &mut Criterion) {
    let mut app = app(10_000);
    assert_eq!(app.rows.len(), 10_000);
    let mut group = c.benchmark_group("rows-10k-workloads");
    // Every generated workload fails a critical check, so both severity filters keep all rows;
    // the name filter keeps a tenth of them.
    for filter in ["sev:warning", "sev:critical", "svc-01"] {
        app.filter = Filter::parse(filter);
        app.refresh_rows();
        let matching = app.rows.len();
        assert!(matching > 0, "{filter} matches nothing");
        group.bench_function(
            format!("filter {filter} ({matching} rows), worst first"),
            |b| b.iter(|| app.refresh_rows()),
        );
    }
    app.filter = Filter::default();
    for sort in [
        SortMode::Worst,
        SortMode::Name,
        SortMode::Score,
        SortMode::Kind,
        SortMode::Restarts,
    ] {
        app.sort = sort;
        group.bench_function(format!("sort {}", sort.name()), |b| {
            b.iter(|| app.refresh_rows())
        });
    }
    group.finish();
}

criterion_group!(benches, frames, rows);
criterion_main!(benches);
