use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    one_malloc_arena();
    // Unexpected failures get a readable report; user mistakes never reach it.
    let _ = color_eyre::install();
    match shipshape::cli::Cli::try_parse() {
        Ok(cli) => shipshape::cli::run(cli),
        Err(e) => command_line_error(&e),
    }
}

/// glibc gives every thread that allocates an arena of its own, and what is freed in one arena
/// is not reused by another: a big file's objects, converted on reading threads and then kept by
/// the model, left about 15 MB of holes in those threads' arenas on a 10,000-pod dump. One arena
/// serves shipshape's few threads as fast (measured on the dump, README "Performance").
fn one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator, before any thread is started.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// clap's help, version and usage errors, printed as every other message is: help and version
/// on stdout (a failed write is exit 2), mistakes on stderr through the one error printer, since
/// they may quote an argument that holds control characters (a file name from a glob).
fn command_line_error(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        let color = std::io::stdout().is_terminal() && !shipshape::cli::no_color();
        let text = if color {
            e.render().ansi().to_string()
        } else {
            e.render().to_string()
        };
        return match shipshape::output::stdout(text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(w) => {
                shipshape::cli::error(&w.to_string());
                ExitCode::from(2)
            }
        };
    }
    let text = e.render().to_string();
    let text = text
        .trim_end()
        .strip_prefix("error: ")
        .unwrap_or(text.trim_end());
    shipshape::cli::error(text);
    ExitCode::from(2)
}
