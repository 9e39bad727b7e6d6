//! Load-and-grade of a generated 10,000-pod snapshot, next to a parse-only baseline.
//!
//! `cargo bench --bench grading`; see README "Performance" for the figures.

use criterion::{criterion_group, criterion_main, Criterion};
use shipshape::config::Config;
use shipshape::engine::{model_of, Engine};
use shipshape::grade::grade_all;
use shipshape::source::file::load_str;
use shipshape::source::LoadOptions;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let text = serde_json::to_string(&shipshape::synthetic::cluster_list(2000, 5)).unwrap();
    let options = LoadOptions::default();
    let config = Config::default();
    let mut group = c.benchmark_group("snapshot-10k-pods");
    group.sample_size(10);
    group.bench_function("parse", |b| {
        b.iter(|| black_box(load_str(&text, "bench.json", &options).unwrap()))
    });
    group.bench_function("parse+model+grade", |b| {
        b.iter(|| {
            let msgs = load_str(&text, "bench.json", &options).unwrap();
            black_box(Engine::from_messages(config.clone(), msgs))
        })
    });
    let model = model_of(load_str(&text, "bench.json", &options).unwrap());
    group.bench_function("grade", |b| {
        b.iter(|| black_box(grade_all(&model, &config)))
    });
    let custom =
        Config::parse(&shipshape::synthetic::twenty_custom_checks(), "bench.toml").unwrap();
    group.bench_function("grade+20-custom-checks", |b| {
        b.iter(|| black_box(grade_all(&model, &custom)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
