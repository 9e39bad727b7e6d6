//! Reading big inputs: a generated `kubectl get -A -o json` dump (managedFields,
//! last-applied-configuration, several containers, full status) loaded by shipshape next to its
//! parse-only floor (the same file typed by k8s-openapi on one thread, nothing else), and a
//! directory of 1,000 manifest files read on one thread and on two.
//!
//! `cargo bench --bench ingest`; see README "Performance" for the figures and the
//! `/usr/bin/time -v` commands that measure the full 10,000-pod dump.

use criterion::{criterion_group, criterion_main, Criterion};
use shipshape::source::{load, load_with_notes, LoadOptions};
use std::hint::black_box;
use std::path::PathBuf;

/// Pods in the benchmark's dump: a fifth of the README's 10,000, so a sample takes seconds.
const PODS: usize = 2_000;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&dump).unwrap());
    shipshape::synthetic::write_kubectl_dump(&mut out, PODS).unwrap();
    drop(out);
    let options = LoadOptions::default();
    let mut group = c.benchmark_group("kubectl-dump-2k-pods");
    group.sample_size(10);
    group.bench_function("typed parse floor", |b| {
        b.iter(|| {
            let text = std::fs::read(&dump).unwrap();
            black_box(shipshape::synthetic::typed_parse_floor(&text).unwrap())
        })
    });
    // As `check` reads it: each object into the model as it is read, a big file's objects
    // converted on the reading threads.
    group.bench_function("load into the model", |b| {
        b.iter(|| black_box(load_with_notes(std::slice::from_ref(&dump), &options).unwrap()))
    });
    // Messages only, one thread: what tests and `load` do.
    group.bench_function("load as messages", |b| {
        b.iter(|| black_box(load(std::slice::from_ref(&dump), &options).unwrap()))
    });
    group.finish();

    // 1,000 manifest files: each Deployment, Service and ReplicaSet of a generated cluster.
    let manifests = dir.path().join("manifests");
    std::fs::create_dir(&manifests).unwrap();
    let list = shipshape::synthetic::cluster_list(250, 1);
    let items = list["items"].as_array().unwrap();
    for (i, item) in items.iter().take(1_000).enumerate() {
        let path: PathBuf = manifests.join(format!("{i:04}.yaml"));
        std::fs::write(&path, serde_norway::to_string(item).unwrap()).unwrap();
    }
    let mut group = c.benchmark_group("manifest-dir-1000-files");
    group.sample_size(10);
    for threads in ["1", "2"] {
        group.bench_function(format!("{threads} threads"), |b| {
            // SAFETY: set before the load reads it; the benchmark runs on this thread only.
            unsafe { std::env::set_var("SHIPSHAPE_READ_THREADS", threads) };
            b.iter(|| black_box(load(std::slice::from_ref(&manifests), &options).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
