//! What shipshape tells the user on stderr: the one writer of those lines, and the user's
//! mistakes it reports. Whatever a line quotes (file names, names from the cluster, API error
//! bodies) passes through [`crate::text::safe_lines`] first.

use crate::config::ConfigError;
use crate::source::LoadError;
use std::io::Write;

/// A mistake of the user's: printed as one sentence, exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A file that cannot be read is not "invalid"; one that can and is wrong says where.
    #[error("{} {_0}", if _0.line == 0 { "config" } else { "invalid config:" })]
    Config(#[from] ConfigError),
    #[error("invalid theme: {0}")]
    Theme(#[from] crate::ui::theme::ThemeError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Connect(#[from] crate::source::live::ConnectError),
    #[error(transparent)]
    Write(#[from] crate::output::WriteError),
}

/// The one place errors are printed: whatever they quote (file names, names from the cluster,
/// API error bodies) is made safe to show first.
pub fn error(message: &str) {
    note(&format!("error: {message}"));
}

/// A line on stderr for the user (`shipshape: …`), made safe to show. A stderr that cannot be
/// written to has no one to tell.
pub fn note(message: &str) {
    let line = format!("shipshape: {}\n", crate::text::safe_lines(message));
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
