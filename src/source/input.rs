//! Reading one input (a file, a pipe, a device or stdin) as text, under a size limit.
//!
//! Nothing is read without a bound: `-f /dev/zero` or an endless pipe ends in a clear error
//! naming the input and the limit, with memory never above the limit.

use super::file::LoadError;
use std::io::Read;
use std::path::Path;

/// `--max-input-size` when not given: room for `kubectl get -A -o json` of a 10,000-pod
/// cluster (about 400 MiB) with margin.
pub const DEFAULT_MAX_INPUT: u64 = 1 << 30;

/// `--max-input-size` as written on the command line: bytes, or a number with a Kubernetes-style
/// suffix (`Ki`, `Mi`, `Gi`, `Ti` are powers of 1024; `k`, `M`, `G`, `T` powers of 1000), an
/// optional `B` after it (`512MiB`, `1GiB`, `2G`).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let t = t.strip_suffix(['B', 'b']).unwrap_or(t);
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, suffix) = t.split_at(digits);
    let multiplier: u64 = match suffix.trim() {
        "" => 1,
        "k" | "K" => 1_000,
        "M" => 1_000_000,
        "G" => 1_000_000_000,
        "T" => 1_000_000_000_000,
        "Ki" | "KI" => 1 << 10,
        "Mi" | "MI" => 1 << 20,
        "Gi" | "GI" => 1 << 30,
        "Ti" | "TI" => 1 << 40,
        _ => return Err(format!("`{text}` is not a size: write bytes or a number with Ki, Mi, Gi (or k, M, G), e.g. 512Mi or 2Gi")),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write bytes or a number with Ki, Mi, Gi (or k, M, G), e.g. 512Mi or 2Gi"))?;
    match n.checked_mul(multiplier) {
        Some(0) => Err("the input size limit must be at least one byte".into()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("`{text}` is too large a size")),
    }
}

/// A size for people: `1 GiB`, `512 MiB`, `1000 bytes`.
pub fn show_size(bytes: u64) -> String {
    for (unit, size) in [
        ("TiB", 1u64 << 40),
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
    ] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{} {unit}", bytes / size);
        }
    }
    format!("{bytes} bytes")
}

/// Reads the file at `path`, shown as `shown` in errors. A named pipe with no writer is read
/// as empty instead of waiting for one; a pipe with a writer (`-f <(kubectl get …)`) is read
/// as it arrives.
pub fn read_path(path: &Path, shown: &str, limit: u64) -> Result<String, LoadError> {
    let file = open(path).map_err(|e| LoadError::Unreadable {
        path: shown.into(),
        reason: e.to_string(),
    })?;
    // A regular file's length is known: one allocation instead of doubling up to it.
    let hint = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map_or(0, |m| m.len().min(limit));
    read_bounded(file, shown, limit, hint)
}

/// Reads standard input.
pub fn read_stdin(limit: u64) -> Result<String, LoadError> {
    read_bounded(std::io::stdin().lock(), "<stdin>", limit, 0)
}

/// How long a named FIFO's reader waits for a writer to connect before reading.
#[cfg(unix)]
const FIFO_WRITER_WAIT_MS: libc::c_int = 250;

/// Opens an input for reading; a FIFO without a writer does not block the open.
#[cfg(unix)]
pub(crate) fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    use std::os::unix::io::AsRawFd;
    let fifo = std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo());
    if !fifo {
        return std::fs::File::open(path);
    }
    // Opening a FIFO for reading blocks until a writer opens it; without O_NONBLOCK, a pipe
    // nobody writes to would hang the run. Reads then block again, as on any pipe.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    // A writer that is opening its end as we open ours (a shell's `cmd > fifo`, started just
    // before) has not connected yet, and a read now would see an empty pipe: give it a moment
    // to connect or write. A FIFO nobody writes to still fails within that moment.
    let mut ready = libc::pollfd {
        fd: file.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: poll on one pollfd this function owns, for a bounded time.
    unsafe {
        libc::poll(&mut ready, 1, FIFO_WRITER_WAIT_MS);
    }
    // SAFETY: fcntl on a descriptor this function owns; no memory is passed.
    unsafe {
        let fd = file.as_raw_fd();
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(file)
}

#[cfg(not(unix))]
pub(crate) fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Reads at most `limit` bytes of UTF-8 text; stops at the first byte past the limit and at
/// the first NUL byte (binary data: no YAML or JSON holds one), so an endless input costs
/// neither time nor memory.
pub fn read_text(reader: impl Read, shown: &str, limit: u64) -> Result<String, LoadError> {
    read_bounded(reader, shown, limit, 0)
}

fn read_bounded(
    reader: impl Read,
    shown: &str,
    limit: u64,
    hint: u64,
) -> Result<String, LoadError> {
    let mut reader = reader.take(limit.saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(LoadError::Unreadable {
                    path: shown.into(),
                    reason: e.to_string(),
                })
            }
        };
        let new = &chunk[..n];
        if let Some(at) = new.iter().position(|&b| b == 0) {
            if let Some(e) = utf16(&bytes, new, shown) {
                return Err(e);
            }
            let line = line_of(&bytes, &new[..at]);
            return Err(LoadError::Unreadable {
                path: shown.into(),
                reason: format!(
                    "not text: a NUL byte on line {line}; expected YAML or JSON manifests"
                ),
            });
        }
        if (bytes.len() + n) as u64 > limit {
            return Err(LoadError::TooLarge {
                path: shown.into(),
                limit: show_size(limit),
            });
        }
        bytes.extend_from_slice(new);
    }
    if let Some(e) = utf16(&bytes, &[], shown) {
        return Err(e);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        LoadError::Unreadable {
            path: shown.into(),
            reason: format!(
                "not UTF-8 text (an invalid byte on line {})",
                line_of(valid, &[])
            ),
        }
    })
}

/// UTF-16 text (as some Windows editors save it) starts with a byte-order mark.
fn utf16(start: &[u8], new: &[u8], shown: &str) -> Option<LoadError> {
    let first: Vec<u8> = start.iter().chain(new).take(2).copied().collect();
    matches!(first.as_slice(), [0xff, 0xfe] | [0xfe, 0xff]).then(|| LoadError::Unreadable {
        path: shown.into(),
        reason: "not UTF-8 text: it is UTF-16 (it starts with a UTF-16 byte-order mark); convert it with `iconv -f UTF-16 -t UTF-8`".into(),
    })
}

/// The 1-based line of the byte after `before` and `then`.
fn line_of(before: &[u8], then: &[u8]) -> usize {
    before.iter().chain(then).filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_the_kubernetes_way() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("1Gi"), Ok(1 << 30));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("512Mi"), Ok(512 << 20));
        assert_eq!(parse_size("2G"), Ok(2_000_000_000));
        assert_eq!(parse_size("100k"), Ok(100_000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("1.5Gi").is_err());
        assert!(parse_size("99999999999Ti").is_err());
        assert_eq!(show_size(1 << 30), "1 GiB");
        assert_eq!(show_size(1000), "1000 bytes");
    }

    #[test]
    fn reading_stops_at_the_limit_and_at_binary_data() {
        let endless = std::io::repeat(b'a');
        let e = read_text(endless, "in", 1000).unwrap_err();
        assert_eq!(
            e,
            LoadError::TooLarge {
                path: "in".into(),
                limit: "1000 bytes".into()
            }
        );
        assert_eq!(read_text(&b"a: b\n"[..], "in", 5).unwrap(), "a: b\n");
        let e = read_text(std::io::repeat(0), "zero", 1 << 30).unwrap_err();
        assert!(
            e.to_string()
                .contains("zero: cannot read: not text: a NUL byte on line 1"),
            "{e}"
        );
        let e = read_text(&b"a: 1\nb: \xff\n"[..], "x", 100).unwrap_err();
        assert!(
            e.to_string()
                .contains("not UTF-8 text (an invalid byte on line 2)"),
            "{e}"
        );
        let e = read_text(&b"\xff\xfea\0p\0"[..], "w", 100).unwrap_err();
        assert!(e.to_string().contains("it is UTF-16"), "{e}");
    }
}
