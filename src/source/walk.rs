//! Finding the manifests under a directory: each real directory once (two links to one
//! directory, or a link back up the tree, cannot loop or load twice), regular files only (a
//! FIFO, socket or device is never opened), in sorted order, hidden entries left out.
//! Helm charts and kustomize files are not manifests: they are set aside with what to do.

use super::file::LoadError;
use std::collections::HashSet;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

/// What identifies a file or directory whatever the path to it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl FileId {
    #[cfg(unix)]
    pub fn of(meta: &Metadata, _path: &Path) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId((meta.dev(), meta.ino()))
    }

    #[cfg(not(unix))]
    pub fn of(_meta: &Metadata, path: &Path) -> FileId {
        FileId(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

/// An entry of a directory that is not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetAside {
    /// A directory holding `Chart.yaml`: templates, not manifests.
    HelmChart(PathBuf),
    /// `kustomization.yaml`: instructions for kustomize, not an object.
    Kustomization(PathBuf),
    /// A named pipe, socket or device with a manifest's name.
    NotRegular(PathBuf, &'static str),
    /// A symbolic link whose target does not exist.
    BrokenLink(PathBuf),
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Found {
    /// Manifest files, in the order to read them.
    pub files: Vec<PathBuf>,
    pub set_aside: Vec<SetAside>,
    /// Files or directories reached before, by this walk or an earlier one.
    pub repeats: usize,
}

pub fn manifest_extension(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// `kustomization.yaml`, `kustomization.yml` or `Kustomization`: the names kustomize reads.
pub fn is_kustomization(p: &Path) -> bool {
    matches!(
        p.file_name().and_then(|n| n.to_str()),
        Some("kustomization.yaml" | "kustomization.yml" | "Kustomization")
    )
}

/// The chart `p` belongs to, when `p` is a Helm chart directory, its `Chart.yaml` or one of
/// its values files.
pub fn helm_chart_of(p: &Path) -> Option<PathBuf> {
    if p.join("Chart.yaml").is_file() {
        return Some(p.to_path_buf());
    }
    let name = p.file_name()?.to_str()?;
    let values = name.starts_with("values") && manifest_extension(p);
    let dir = p.parent()?;
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    ((name == "Chart.yaml" || values) && dir.join("Chart.yaml").is_file())
        .then(|| dir.to_path_buf())
}

/// Lists the manifests under `root`, skipping directories and files already in `seen`.
pub fn walk(root: &Path, seen: &mut HashSet<FileId>) -> Result<Found, LoadError> {
    let mut found = Found::default();
    let meta = std::fs::metadata(root).map_err(|e| LoadError::Unreadable {
        path: root.display().to_string(),
        reason: e.to_string(),
    })?;
    if !seen.insert(FileId::of(&meta, root)) {
        found.repeats += 1;
        return Ok(found);
    }
    // Each frame: a directory's entries, sorted, still to visit (reversed, to pop in order).
    let mut stack = vec![entries(root)?];
    while let Some(frame) = stack.last_mut() {
        let Some(path) = frame.pop() else {
            stack.pop();
            continue;
        };
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        // Follows links: a link is read as what it points at.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(_) if std::fs::symlink_metadata(&path).is_ok() => {
                if manifest_extension(&path) {
                    found.set_aside.push(SetAside::BrokenLink(path));
                }
                continue;
            }
            Err(e) => {
                return Err(LoadError::Unreadable {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })
            }
        };
        if meta.is_dir() {
            if !seen.insert(FileId::of(&meta, &path)) {
                found.repeats += 1;
            } else if path.join("Chart.yaml").is_file() {
                found.set_aside.push(SetAside::HelmChart(path));
            } else {
                stack.push(entries(&path)?);
            }
            continue;
        }
        if !manifest_extension(&path) {
            continue;
        }
        if !meta.is_file() {
            found
                .set_aside
                .push(SetAside::NotRegular(path, special_kind(&meta)));
        } else if is_kustomization(&path) {
            found.set_aside.push(SetAside::Kustomization(path));
        } else if !seen.insert(FileId::of(&meta, &path)) {
            found.repeats += 1;
        } else {
            found.files.push(path);
        }
    }
    Ok(found)
}

/// A directory's entries, sorted, last first.
fn entries(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let read = std::fs::read_dir(dir).map_err(|e| LoadError::Unreadable {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut paths: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths.reverse();
    Ok(paths)
}

/// What a file that is not a regular file is, in words.
fn special_kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = meta;
    "not a regular file"
}
