//! Output that could not be written is never reported as success: a full standard output is
//! exit 2 with one sentence, a file given with `-o` is replaced whole or left as it was, and a
//! reader that stops reading (`| head -1`) ends the command quietly.

mod support;

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use support::command::shipshape;

fn dev_full() -> File {
    OpenOptions::new().write(true).open("/dev/full").unwrap()
}

/// The binary as `support::command::shipshape` sets it up, as a std command (whose standard
/// output can be any file).
fn std_shipshape() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shipshape"));
    c.env_remove("XDG_CONFIG_HOME")
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env("HOME", "/nonexistent")
        .env("NO_COLOR", "1");
    c
}

/// Runs shipshape with its standard output on /dev/full; returns (exit code, stderr).
fn into_full_disk(args: &[&str]) -> (i32, String) {
    let out = std_shipshape()
        .args(args)
        .stdout(dev_full())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_command_fails_on_a_full_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let out = shipshape()
        .args(["check", "--demo", "-o", "json"])
        .output()
        .unwrap();
    std::fs::write(&report, out.stdout).unwrap();
    let report = report.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", "--demo"],
        vec!["check", "--demo", "-o", "json"],
        vec!["report", "--demo"],
        vec!["report", "--demo", "--format", "html"],
        vec!["report", "--demo", "--format", "junit"],
        vec!["report", "--demo", "--format", "sarif"],
        vec!["report", "--demo", "--format", "json"],
        vec!["snapshot", "--demo", "-o", "-"],
        vec!["diff", report, report],
        vec!["diff", report, report, "-o", "json"],
        vec!["checks"],
        vec!["checks", "-o", "json"],
        vec!["checks", "-o", "markdown"],
        vec!["explain", "probe.readiness"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["--help"],
        vec!["check", "--help"],
        vec!["--version"],
    ];
    for args in commands {
        let (code, err) = into_full_disk(&args);
        assert_eq!(code, 2, "{args:?} exited {code}: {err}");
        assert_eq!(
            err,
            "shipshape: error: cannot write to standard output: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
}

#[test]
fn a_gate_that_fails_still_fails_when_stdout_is_full() {
    // The write error is the louder failure: exit 2, not 1 and not 0.
    let (code, err) = into_full_disk(&["check", "--demo", "--fail-on", "critical"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_reader_that_stops_reading_ends_the_command_quietly() {
    // More than a pipe holds, so the writer meets the closed pipe.
    let mut child = std_shipshape()
        .args(["report", "--demo", "--format", "html"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(&first, b"<!DOCTYPE html>\n");
    assert!(status.success(), "{status:?}: {err}");
    assert_eq!(err, "", "no message for a reader that left");
}

/// Runs shipshape with a file size limit of 8 blocks, so a large write fails half-way
/// (`EFBIG`; the signal is ignored so the error reaches the program).
fn with_small_file_limit(args: &[&str]) -> std::process::Output {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 8; exec '{}' {}",
            env!("CARGO_BIN_EXE_shipshape"),
            quoted.join(" ")
        ))
        .env("NO_COLOR", "1")
        .env("HOME", "/nonexistent")
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_file_write_leaves_the_old_file_intact_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    for (args, file, what) in [
        (
            vec!["report", "--demo", "--format", "html", "-o"],
            "report.html",
            "the report to",
        ),
        (
            vec!["snapshot", "--demo", "-o"],
            "snap.yaml",
            "the snapshot to",
        ),
    ] {
        let path = dir.path().join(file);
        std::fs::write(&path, "the previous version\n").unwrap();
        let mut args = args.clone();
        let shown = path.to_str().unwrap();
        args.push(shown);
        let out = with_small_file_limit(&args);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(
            err,
            format!(
                "shipshape: error: cannot write {what} {shown}: File too large (os error 27)\n"
            )
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "the previous version\n"
        );
    }
    assert_eq!(names_in(dir.path()), ["report.html", "snap.yaml"]);
}

#[test]
fn a_file_is_replaced_whole_and_a_missing_directory_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.md");
    std::fs::write(&path, "x".repeat(1_000_000)).unwrap();
    shipshape()
        .args(["report", "--demo", "-o", path.to_str().unwrap()])
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# "), "{}", &text[..40]);
    assert!(!text.contains("xxxx"));
    assert_eq!(names_in(dir.path()), ["report.md"]);

    let missing = dir.path().join("no-such-dir").join("r.md");
    let out = shipshape()
        .args(["report", "--demo", "-o", missing.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "shipshape: error: cannot write the report to {}: No such file or directory (os error 2)\n",
            missing.display()
        )
    );

    // A device is written to, not replaced.
    let out = shipshape()
        .args(["report", "--demo", "-o", "/dev/full"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("cannot write the report to /dev/full: No space left on device"));
}

#[test]
fn man_pages_are_written_whole_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let out = shipshape()
        .args(["man", "--dir", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed = String::from_utf8(out.stdout).unwrap();
    assert!(listed.contains("shipshape.1\n"), "{listed}");
    assert!(listed.contains("shipshape-check.1\n"), "{listed}");
    let names = names_in(dir.path());
    assert_eq!(names.len(), listed.lines().count(), "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".1")), "{names:?}");
    let top = std::fs::read_to_string(dir.path().join("shipshape.1")).unwrap();
    assert!(
        top.contains("EXIT STATUS"),
        "the top page has the extra sections"
    );
}
