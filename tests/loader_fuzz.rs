//! The file loader under arbitrary input: random bytes, real manifests mutated at random, and
//! deep mixtures of nesting. Each case ends in an error or a model that grades, never a panic,
//! and within a bounded time.

use proptest::prelude::*;
use shipshape::cluster::ClusterModel;
use shipshape::config::Config;
use shipshape::grade::grade_all;
use shipshape::source::file::load_str;
use shipshape::source::{load_with_notes, LoadOptions};
use std::time::{Duration, Instant};

/// Far above what any case here needs (milliseconds), far below a quadratic blow-up.
const BOUND: Duration = Duration::from_secs(3);

const SEEDS: &[&str] = &[
    include_str!("fixtures/shop/web.yaml"),
    include_str!("fixtures/shop/legacy.yaml"),
    r#"{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x"},
   "spec": {"containers": [{"name": "c", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m"}}}]}},
  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
   "spec": {"replicas": 2, "selector": {"matchLabels": {"a": "b"}},
            "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}}
]}"#,
];

/// Pieces that change what YAML means: indicators, anchors, merges, tags, odd numbers.
const FRAGMENTS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ": ",
    "- ",
    "? ",
    "#",
    "\n",
    "\n  ",
    "\t",
    "---\n",
    "...\n",
    "\"",
    "'",
    "|",
    ">-",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!!binary ",
    "~",
    "null",
    "1e400",
    "-3",
    "0x1F",
    "yes",
    "{{ .Values.x }}",
    "\u{feff}",
    "\u{1b}[2J",
    "\u{202e}",
    "kind: ",
    "apiVersion: ",
    "metadata:\n  name: ",
    "items:\n- ",
    "replicas: ",
    "cpu: -1",
];

#[derive(Debug, Clone)]
enum Edit {
    Delete { at: f64, len: usize },
    Insert { at: f64, fragment: usize },
    Repeat { at: f64, len: usize, times: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0.0..1.0f64, 1..40usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (0.0..1.0f64, 0..FRAGMENTS.len()).prop_map(|(at, fragment)| Edit::Insert { at, fragment }),
        (0.0..1.0f64, 1..30usize, 2..50usize).prop_map(|(at, len, times)| Edit::Repeat {
            at,
            len,
            times
        }),
    ]
}

/// The char boundary nearest below `at` (a fraction of the text).
fn boundary(text: &str, at: f64) -> usize {
    let mut i = ((text.len() as f64) * at) as usize;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut t = text.to_string();
    for e in edits {
        match *e {
            Edit::Delete { at, len } => {
                let i = boundary(&t, at);
                let j = boundary(&t, ((i + len).min(t.len()) as f64) / t.len().max(1) as f64);
                t.replace_range(i..j.max(i), "");
            }
            Edit::Insert { at, fragment } => {
                let i = boundary(&t, at);
                t.insert_str(i, FRAGMENTS[fragment]);
            }
            Edit::Repeat { at, len, times } => {
                let i = boundary(&t, at);
                let j = boundary(&t, ((i + len).min(t.len()) as f64) / t.len().max(1) as f64);
                let piece = t[i..j.max(i)].repeat(times);
                t.insert_str(i, &piece);
            }
        }
    }
    t
}

/// Loads `text`; a model must build and grade. Returns how long it all took.
fn load_and_grade(text: &str) -> Duration {
    let started = Instant::now();
    if let Ok(msgs) = load_str(text, "fuzz.yaml", &LoadOptions::default()) {
        let mut model = ClusterModel::new();
        for m in msgs {
            model.apply(m);
        }
        grade_all(&model, &Config::default());
    }
    started.elapsed()
}

/// A few dozen cases by default, to run in seconds; `PROPTEST_CASES=5000` for a longer hunt.
fn config(cases: u32) -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            cases
        },
        failure_persistence: None,
        ..default
    }
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn arbitrary_bytes_from_a_file_are_an_error_or_a_model(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input.yaml");
        std::fs::write(&path, &bytes).unwrap();
        let started = Instant::now();
        let options = LoadOptions { max_input_bytes: 4096, ..LoadOptions::default() };
        if let Ok(loaded) = load_with_notes(&[path], &options) {
            grade_all(&loaded.model, &Config::default());
        }
        prop_assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    }

    #[test]
    fn mutated_manifests_are_an_error_or_a_model(seed in 0..SEEDS.len(), edits in proptest::collection::vec(edit(), 1..6)) {
        let text = apply(SEEDS[seed], &edits);
        let took = load_and_grade(&text);
        prop_assert!(took < BOUND, "{took:?}");
    }

}

proptest! {
    #![proptest_config(config(12))]

    /// Tens of thousands of levels: a reader whose time grows with the square of the depth
    /// takes many seconds here.
    #[test]
    fn deep_mixed_nesting_is_refused_quickly(levels in proptest::collection::vec(0..4usize, 30_000..60_000), tail in 0..3usize) {
        let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ");
        let mut closers = Vec::new();
        for l in &levels {
            let (open, close) = [("[", "]"), ("{a: ", "}"), ("[{b: ", "}]"), ("{\"c\": [", "]}")][*l];
            text.push_str(open);
            closers.push(close);
        }
        text.push('1');
        // Closed, half closed or left open: each must fail fast, never hang.
        let close = match tail { 0 => closers.len(), 1 => closers.len() / 2, _ => 0 };
        for c in closers.iter().rev().take(close) {
            text.push_str(c);
        }
        text.push('\n');
        let took = load_and_grade(&text);
        prop_assert!(took < BOUND, "{took:?}");
        let e = load_str(&text, "deep.yaml", &LoadOptions::default()).unwrap_err();
        prop_assert!(e.to_string().contains("deep.yaml:6: nested more than 128 levels deep"), "{e}");
    }
}
