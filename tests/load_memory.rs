//! Reading a large `kubectl get -o json` List holds one object's text at a time, not the file:
//! peak memory, counted by the allocator, stays far below the file's size.
//!
//! A binary of its own: the counting allocator sees every allocation of the process.

use shipshape::source::{load, LoadOptions};
use std::io::Write;
use std::sync::atomic::Ordering;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{NOW, PEAK};

/// The counters are the whole process's: one measuring test at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A List of `count` ConfigMaps of `payload` bytes of data each, in `kubectl`'s layout.
fn write_list(path: &std::path::Path, count: usize, payload: usize) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    write!(out, "{{\n    \"apiVersion\": \"v1\",\n    \"items\": [").unwrap();
    let data = "x".repeat(payload);
    for i in 0..count {
        let sep = if i == 0 { "" } else { "," };
        write!(
            out,
            "{sep}\n        {{\n            \"apiVersion\": \"v1\",\n            \"data\": {{\n                \"blob\": \"{data}\"\n            }},\n            \"kind\": \"ConfigMap\",\n            \"metadata\": {{\n                \"name\": \"config-{i:06}\",\n                \"namespace\": \"team-{:02}\"\n            }}\n        }}",
            i % 20
        )
        .unwrap();
    }
    write!(out, "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {{\n        \"resourceVersion\": \"\"\n    }}\n}}\n").unwrap();
    out.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// The most memory held at once while loading `path`, above what was held before.
fn peak_of_load(path: &std::path::Path) -> (usize, usize) {
    let before = NOW.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let msgs = load(&[path.to_path_buf()], &LoadOptions::default()).unwrap();
    let objects = msgs.len();
    drop(msgs);
    (PEAK.load(Ordering::Relaxed) - before, objects)
}

#[test]
fn peak_memory_does_not_grow_with_the_input() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let (small, large) = (dir.path().join("small.json"), dir.path().join("large.json"));
    // The same number of objects, so the model is the same size; only the text grows.
    let small_size = write_list(&small, 400, 1_000);
    let large_size = write_list(&large, 400, 160_000);
    assert!(large_size > 60 << 20, "{large_size}");
    let (small_peak, small_objects) = peak_of_load(&small);
    let (large_peak, large_objects) = peak_of_load(&large);
    assert_eq!(small_objects, large_objects);
    assert!(small_objects > 400);
    // Reading the file whole would hold all of it (and a value tree of it) at once; streamed,
    // the peak is the model plus a few objects' text.
    assert!(
        large_peak < (large_size / 8) as usize,
        "peak {large_peak} bytes for a file of {large_size} bytes"
    );
    assert!(
        large_peak < small_peak + 4 * 160_000 + (4 << 20),
        "peak {large_peak} bytes for {large_size} bytes of input, {small_peak} for {small_size}"
    );
}

/// Counts what is written and keeps none of it.
struct CountingSink(usize);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The most memory held at once while `write` runs, and how many bytes it wrote.
fn peak_of_write(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> (usize, usize) {
    let before = NOW.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut sink = CountingSink(0);
    write(&mut sink).unwrap();
    (PEAK.load(Ordering::Relaxed) - before, sink.0)
}

#[test]
fn reports_and_snapshots_are_written_without_holding_the_document() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    use shipshape::report::{json, junit, sarif};
    use shipshape::source::snapshot::{write_yaml, Snapshot};
    let list = shipshape::synthetic::cluster_list(500, 2);
    let msgs = shipshape::source::file::load_str(
        &list.to_string(),
        "cluster.json",
        &LoadOptions::default(),
    )
    .unwrap();
    let model = shipshape::engine::model_of(msgs);
    let grades = shipshape::grade::grade_all(&model, &shipshape::config::Config::default());
    let cwd = std::path::Path::new("/");
    type Writer<'a> = Box<dyn Fn(&mut dyn Write) -> std::io::Result<()> + 'a>;
    let writers: [(&str, Writer); 5] = [
        ("json", Box::new(|out| json::write(&model, &grades, out))),
        (
            "sarif",
            Box::new(|out| sarif::write(&model, &grades, cwd, out)),
        ),
        ("junit", Box::new(|out| junit::write(&model, &grades, out))),
        (
            "snapshot json",
            Box::new(|out| {
                shipshape::report::json_text::write_pretty(out, &Snapshot::writing(&model))
            }),
        ),
        (
            "snapshot yaml",
            Box::new(|out| write_yaml(out, &Snapshot::writing(&model))),
        ),
    ];
    for (name, write) in writers {
        let (peak, written) = peak_of_write(write);
        eprintln!("{name}: {written} bytes written, peak {peak} bytes");
        // Built whole, the text alone (and a value tree of it, several times larger) would be
        // held; written as it goes, a buffer and one result or object at a time.
        assert!(written > 2 << 20, "{name}: only {written} bytes written");
        assert!(
            peak < written / 4,
            "{name}: peak {peak} bytes while writing {written} bytes"
        );
    }
}

/// A dump read into the model holds little beside the model while it loads: each object goes
/// to the model as it is read, rather than every object waiting, converted, until the end.
#[test]
fn a_dump_loaded_into_the_model_holds_little_more_than_the_model() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    shipshape::synthetic::write_kubectl_dump(&mut out, 2_000).unwrap();
    out.flush().unwrap();
    drop(out);
    let size = std::fs::metadata(&path).unwrap().len() as usize;
    let before = NOW.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let loaded = shipshape::source::load_with_notes(&[path], &LoadOptions::default()).unwrap();
    let (peak, held) = (
        PEAK.load(Ordering::Relaxed) - before,
        NOW.load(Ordering::Relaxed) - before,
    );
    assert!(loaded.model.stores.pods.len() == 2_000);
    eprintln!("dump of {size} bytes: model {held} bytes, peak {peak} bytes");
    // Held as converted objects until the end, the peak was 1.8 times the model; what remains
    // is the object being read, the parts set apart until the end, and the model's growth.
    assert!(
        peak < held + held / 4,
        "peak {peak} bytes for a model of {held} bytes"
    );
    assert!(held < size / 3, "a model of {held} bytes for {size} bytes");
}
