//! Writes a generated `kubectl get -A -o json` dump (see `shipshape::synthetic::write_kubectl_dump`)
//! for the benchmarks in README "Performance".
//!
//! `cargo run --release --example kubectl_dump -- PODS OUT.json`

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let pods: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let path = args.next().unwrap_or_else(|| "dump.json".into());
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    shipshape::synthetic::write_kubectl_dump(&mut out, pods)?;
    std::io::Write::flush(&mut out)
}
