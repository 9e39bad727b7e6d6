//! Where results go: standard output and files. A write that fails is an error the user
//! hears about, never a success with half a report behind it.
//!
//! - Standard output: a full disk or any other write error is an error (exit 2). A closed
//!   pipe (`shipshape check | head -1`) is not: the reader chose to stop reading, so the rest
//!   is dropped quietly and the command ends as it would have (its exit code still says
//!   whether the gates passed).
//! - Files: written under a temporary name in the same directory, flushed to disk, then
//!   renamed over the target, so a failed write leaves no truncated file and an old file
//!   intact. Targets that are not regular files (`/dev/stdout`, a named pipe) are written
//!   directly: there is nothing to rename over.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A result that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write to standard output: {}", reason(.0))]
    Stdout(io::Error),
    #[error("cannot write {what} {}: {}", .path.display(), reason(.source))]
    File {
        /// What was being written: "the report to", "the snapshot to", "the manual page".
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

/// The operating system's words for an error, without the temporary file names some layers
/// add to it.
fn reason(e: &io::Error) -> String {
    // tempfile appends ` at path "…"` (the temporary name) to the OS error.
    let text = e.to_string();
    match text.split_once(" at path \"") {
        Some((os, _)) => os.to_string(),
        None => text,
    }
}

/// Writes `bytes` to standard output and flushes it.
pub fn stdout(bytes: &[u8]) -> Result<(), WriteError> {
    stdout_with(|out| out.write_all(bytes))
}

/// Standard output for `write`, which writes as it goes (a report of a large cluster is
/// never held whole); flushed at the end.
pub fn stdout_with(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), WriteError> {
    let mut out = io::stdout().lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(WriteError::Stdout(e)),
    }
}

/// Replaces the file at `path` with `bytes`, whole or not at all. `what` names the content
/// in the error ("the report to").
pub fn file(path: &Path, bytes: &[u8], what: &'static str) -> Result<(), WriteError> {
    file_with(path, what, |out| out.write_all(bytes))
}

/// As [`file`], for `write`, which writes as it goes.
pub fn file_with(
    path: &Path,
    what: &'static str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), WriteError> {
    replace(path, write).map_err(|source| WriteError::File {
        what,
        path: path.to_path_buf(),
        source,
    })
}

fn replace(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let existing = std::fs::metadata(path).ok();
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            ));
        }
        if !meta.is_file() {
            let mut f = OpenOptions::new().write(true).open(path)?;
            write(&mut f)?;
            return f.flush();
        }
    }
    // A symbolic link stays a link: its target is what gets replaced.
    let target = match &existing {
        Some(_) if path.is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let tmp = temporary_beside(&target, write)?;
    if let Some(meta) = &existing {
        // Replacing a file keeps who may read it.
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// A new temporary file holding `bytes`, flushed to disk, in the directory of `target`.
fn temporary_beside(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<tempfile::NamedTempFile> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // As a plain create would: readable by others unless the umask says otherwise.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Writes `bytes` as a new file in `dir`: `name`, or `stem-2.ext`, `stem-3.ext`… when taken;
/// never over an existing file, never a partial one. Returns the path written.
pub fn new_file(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut tmp = temporary_beside(&dir.join(name), |out| out.write_all(bytes))?;
    for n in 1..100 {
        let candidate = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{stem}-{n}.{ext}"))
        };
        match tmp.persist_noclobber(&candidate) {
            Ok(_) => return Ok(candidate),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(e.error),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "too many files with this name",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.md");
        file(&path, b"old", "the report to").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        file(&path, b"new", "the report to").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn a_failed_write_names_the_file_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("r.md");
        let e = file(&path, b"x", "the report to").unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("cannot write the report to "), "{text}");
        assert!(text.contains("r.md"), "{text}");
        // Not the temporary file's name.
        assert!(!text.contains(".r.md."), "{text}");
        assert!(!text.contains("at path"), "{text}");
        let e = file(dir.path(), b"x", "the report to").unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
    }

    #[test]
    fn new_files_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let a = new_file(dir.path(), "r.md", b"one").unwrap();
        let b = new_file(dir.path(), "r.md", b"two").unwrap();
        assert_eq!(a.file_name().unwrap(), "r.md");
        assert_eq!(b.file_name().unwrap(), "r-2.md");
        assert_eq!(std::fs::read(&a).unwrap(), b"one");
        assert_eq!(std::fs::read(&b).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
