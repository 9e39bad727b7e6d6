//! What twenty custom checks add to grading the generated 10,000-pod cluster, measured in pairs:
//! each round grades the cluster without and with them, one right after the other (in turns
//! which first), so a slower moment of a shared machine slows both alike; the median of the
//! rounds' ratios is the figure. The checks are those of the grading benchmark.
//!
//! `cargo run --release --example custom_check_cost -- [rounds]` (40 by default)

use shipshape::config::Config;
use shipshape::engine::model_of;
use shipshape::grade::grade_all;
use shipshape::source::file::load_str;
use shipshape::source::LoadOptions;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("a number of rounds"))
        .unwrap_or(40);
    let text = serde_json::to_string(&shipshape::synthetic::cluster_list(2000, 5)).unwrap();
    let model = model_of(load_str(&text, "bench.json", &LoadOptions::default()).unwrap());
    let plain = Config::default();
    let custom =
        Config::parse(&shipshape::synthetic::twenty_custom_checks(), "bench.toml").unwrap();
    let time = |config: &Config| {
        let start = Instant::now();
        black_box(grade_all(&model, config));
        start.elapsed().as_secs_f64() * 1e3
    };
    for _ in 0..3 {
        time(&plain);
        time(&custom);
    }
    let (mut without, mut with, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (a, b) = if round % 2 == 0 {
            let a = time(&plain);
            (a, time(&custom))
        } else {
            let b = time(&custom);
            (time(&plain), b)
        };
        without.push(a);
        with.push(b);
        ratios.push(b / a);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let quartiles = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 4], v[v.len() * 3 / 4])
    };
    let (q1, q3) = quartiles(&mut ratios);
    println!(
        "{rounds} rounds: without {:.1} ms, with twenty custom checks {:.1} ms (medians); \
         added: median {:+.1} %, middle half {:+.1} % to {:+.1} %",
        median(&mut without),
        median(&mut with),
        (median(&mut ratios) - 1.0) * 100.0,
        (q1 - 1.0) * 100.0,
        (q3 - 1.0) * 100.0,
    );
}
