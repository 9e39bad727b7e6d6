//! The parse-only floor of `check -f dump.json`: the file read and its List deserialised into
//! k8s-openapi types, nothing else. Measured beside `check` in README "Performance".
//!
//! `cargo run --release --example parse_floor -- dump.json`

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "dump.json".into());
    let text = std::fs::read(&path).expect("readable dump");
    let n = shipshape::synthetic::typed_parse_floor(&text).expect("a kubectl List");
    println!("{n} items typed");
}
