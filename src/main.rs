use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Unexpected failures get a readable report; user mistakes never reach it.
    let _ = color_eyre::install();
    shipshape::cli::run(shipshape::cli::Cli::parse())
}
