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
    let custom = Config::parse(&twenty_custom_checks(), "bench.toml").unwrap();
    group.bench_function("grade+20-custom-checks", |b| {
        b.iter(|| black_box(grade_all(&model, &custom)))
    });
    group.finish();
}

/// Twenty custom checks of the kinds teams write: labels, images, resources, comprehensions.
fn twenty_custom_checks() -> String {
    let expressions = [
        "has(object.metadata.labels) && 'team' in object.metadata.labels",
        "has(object.metadata.labels) && 'app.kubernetes.io/name' in object.metadata.labels",
        "containers.filter(c, c.image.startsWith('docker.io/')).map(c, c.name)",
        "containers.filter(c, !c.image.contains('@sha256:')).map(c, c.name)",
        "containers.all(c, has(c.resources) && has(c.resources.limits))",
        "containers.filter(c, !has(c.resources) || !has(c.resources.requests)).map(c, c.name)",
        "!has(podSpec.hostNetwork) || !podSpec.hostNetwork",
        "!has(podSpec.hostPID) || !podSpec.hostPID",
        "containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)",
        "containers.exists(c, has(c.readinessProbe))",
        "object.metadata.name.size() <= 40",
        "object.metadata.name.matches('^[a-z][a-z0-9-]*$')",
        "!has(object.spec.replicas) || object.spec.replicas <= 50",
        "containers.filter(c, c.image.endsWith(':latest')).map(c, c.name)",
        "containers.filter(c, has(c.env) && c.env.exists(e, e.name == 'DEBUG')).map(c, c.name)",
        "has(podSpec.serviceAccountName) && podSpec.serviceAccountName != 'default'",
        "size(containers) <= 5",
        "containers.map(c, c.name).all(n, n.lowerAscii() == n)",
        "!has(object.metadata.annotations) || !('legacy' in object.metadata.annotations)",
        "namespaceObject == null || !has(namespaceObject.metadata.labels) || namespaceObject.metadata.labels.size() >= 0",
    ];
    expressions
        .iter()
        .enumerate()
        .map(|(i, e)| {
            format!(
                "[[checks]]\nid = \"bench.c{i}\"\nseverity = \"warning\"\ntitle = \"c{i}\"\nexpression = '''{e}'''\n\n"
            )
        })
        .collect()
}

criterion_group!(benches, bench);
criterion_main!(benches);
