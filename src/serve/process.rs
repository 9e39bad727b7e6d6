//! The exporter's own process metrics, under the names every Prometheus client library uses
//! (`process_*`), read from `/proc/self` on Linux.

use super::metrics::Exposition;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

static START: OnceLock<SystemTime> = OnceLock::new();

/// Records the process start; called first thing by `serve` (later calls keep the first time).
pub fn mark_start() {
    START.get_or_init(SystemTime::now);
}

fn start_time() -> SystemTime {
    *START.get_or_init(SystemTime::now)
}

/// Fields of `/proc/self/stat` after the command name (which may hold spaces and parentheses).
#[cfg(target_os = "linux")]
fn stat_fields() -> Option<Vec<String>> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    Some(rest.split_whitespace().map(str::to_string).collect())
}

pub fn write(e: &mut Exposition, _now: SystemTime) {
    e.family(
        "process_start_time_seconds",
        "gauge",
        "Start time of the process since unix epoch in seconds.",
    );
    let start = start_time()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    e.sample("process_start_time_seconds", &[], start.floor());
    #[cfg(target_os = "linux")]
    linux(e);
}

#[cfg(target_os = "linux")]
fn linux(e: &mut Exposition) {
    // SAFETY: sysconf only reads a configuration value.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if let Some(f) = stat_fields() {
        // After the command name: state is field 0, utime 11, stime 12, vsize 20, rss 21.
        let num = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
        if let (Some(user), Some(system)) = (num(11), num(12)) {
            if ticks > 0 {
                e.family(
                    "process_cpu_seconds_total",
                    "counter",
                    "Total user and system CPU time spent in seconds.",
                );
                e.sample(
                    "process_cpu_seconds_total",
                    &[],
                    (user + system) / ticks as f64,
                );
            }
        }
        if let Some(v) = num(20) {
            e.family(
                "process_virtual_memory_bytes",
                "gauge",
                "Virtual memory size in bytes.",
            );
            e.sample("process_virtual_memory_bytes", &[], v);
        }
        if let Some(rss) = num(21) {
            if page > 0 {
                e.family(
                    "process_resident_memory_bytes",
                    "gauge",
                    "Resident memory size in bytes.",
                );
                e.sample("process_resident_memory_bytes", &[], rss * page as f64);
            }
        }
    }
    if let Ok(dir) = std::fs::read_dir("/proc/self/fd") {
        e.family(
            "process_open_fds",
            "gauge",
            "Number of open file descriptors.",
        );
        e.sample("process_open_fds", &[], dir.count() as f64);
    }
}
