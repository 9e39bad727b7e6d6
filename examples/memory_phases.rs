//! Where the memory of `check -f dump.json -o json` goes: the bytes the allocator holds after
//! each step, and the most it held during the step. Measured beside `/usr/bin/time -v` in
//! README "Performance".
//!
//! `cargo run --release --example memory_phases -- dump.json`

use shipshape::config::Config;
use shipshape::engine::{model_of, Engine};
use shipshape::source::{load, LoadOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the layout is passed on unchanged.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Prints what the step held at most and what is held after it.
fn step<T>(name: &str, f: impl FnOnce() -> T) -> T {
    PEAK.store(NOW.load(Ordering::Relaxed), Ordering::Relaxed);
    let started = std::time::Instant::now();
    let out = f();
    let mb = |b: usize| b as f64 / 1e6;
    println!(
        "{name:<28} peak {:>8.1} MB   held after {:>8.1} MB   {:>6.2} s",
        mb(PEAK.load(Ordering::Relaxed)),
        mb(NOW.load(Ordering::Relaxed)),
        started.elapsed().as_secs_f64()
    );
    out
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "dump.json".into());
    println!(
        "one object as a message: {} bytes (its largest kind's size), a boxed Pod {} bytes",
        std::mem::size_of::<shipshape::cluster::Object>(),
        std::mem::size_of::<k8s_openapi::api::core::v1::Pod>()
    );
    let msgs = step("load (read, type, prune)", || {
        load(&[path.into()], &LoadOptions::default()).expect("a readable dump")
    });
    let model = step("build the model", || model_of(msgs));
    let mut engine = Engine::with_model(Config::default(), model);
    step("grade", || engine.flush());
    step("write the JSON report", || {
        shipshape::report::json::write(engine.model(), engine.grades(), &mut std::io::sink())
            .expect("a sink takes everything")
    });
}
