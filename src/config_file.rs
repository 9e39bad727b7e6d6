//! What the config reader shares with the files a config includes and with the checks it
//! configures: the error naming file and line, the bounded read of a small file, and the glob
//! its patterns use.

use std::path::Path;

/// A config that cannot be used: where and why. `line` is 0 when the file as a whole is the
/// problem (it cannot be read), and then no line is shown.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{file}{}: {message}", if *.line == 0 { String::new() } else { format!(":{line}") })]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The most a config or theme file may hold: they are a few KiB, so a larger one (or
/// `--config /dev/zero`) is a mistake, refused before it fills memory.
pub const MAX_SMALL_FILE: u64 = 1 << 20;

/// Reads a config or theme file of at most [`MAX_SMALL_FILE`] bytes as UTF-8 text.
pub fn read_small_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_SMALL_FILE + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SMALL_FILE {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("it holds more than {} KiB", MAX_SMALL_FILE / 1024),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// Shell-style glob with `*` and `?`.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return pattern == text;
    }
    fn go(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}
