//! The real binary in a pseudo-terminal: `shipshape demo` starts, answers keys, quits on `q`
//! and leaves the terminal as it found it. And without a terminal it says so instead.

use assert_cmd::Command;
use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use predicates::prelude::*;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const LEAVE_ALTERNATE_SCREEN: &str = "\x1b[?1049l";
const SHOW_CURSOR: &str = "\x1b[?25h";
const DISABLE_MOUSE: &str = "\x1b[?1000l";

/// Everything the program wrote to the terminal so far.
#[derive(Clone, Default)]
struct Output(Arc<Mutex<Vec<u8>>>);

impl Output {
    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    fn text_from(&self, start: usize) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()[start..]).into_owned()
    }

    /// Waits until the output written since `start` contains `needle`.
    fn wait_for(&self, start: usize, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.text_from(start).contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} on the screen within {timeout:?}; got:\n{:?}",
                self.text_from(start)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn demo_runs_in_a_terminal_and_restores_it_on_quit() {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_shipshape"));
    cmd.arg("demo");
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", "/nonexistent");
    // The builder would otherwise start in $HOME.
    cmd.cwd(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("XDG_CONFIG_HOME");
    cmd.env_remove("NO_COLOR");
    let mut child = pty.slave.spawn_command(cmd).expect("shipshape starts");
    drop(pty.slave);

    let output = Output::default();
    let mut reader = pty.master.try_clone_reader().unwrap();
    let sink = output.clone();
    // Reads until the terminal closes (EOF or EIO once the child and its pty are gone).
    let reader_thread = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.0.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let mut keys = pty.master.take_writer().unwrap();
    let mut press = |bytes: &[u8]| {
        keys.write_all(bytes).unwrap();
        keys.flush().unwrap();
        // A pause, so a lone Esc is not read together with the next key as Alt+key.
        std::thread::sleep(Duration::from_millis(250));
    };

    output.wait_for(0, "Workloads", Duration::from_secs(20));
    let before_help = output.len();
    press(b"?");
    output.wait_for(before_help, "Esc closes", Duration::from_secs(5));
    press(b"\x1b");
    press(b"j");
    let before_tab = output.len();
    press(b"\t");
    // Tab moved the focus from the workloads to the findings: the status bar now offers
    // "w all results". Only changed cells are redrawn, so match a word that is new there.
    output.wait_for(before_tab, "results", Duration::from_secs(5));
    let before_quit = output.len();
    press(b"q");

    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!(
                "shipshape did not exit within 5 s of `q`; output since:\n{:?}",
                output.text_from(before_quit)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exit status {}", status.exit_code());

    // The restore sequences are written before exit; give the reader a moment to drain them.
    for needle in [LEAVE_ALTERNATE_SCREEN, SHOW_CURSOR, DISABLE_MOUSE] {
        output.wait_for(before_quit, needle, Duration::from_secs(2));
    }
    let tail = output.text_from(before_quit);
    assert!(!tail.contains("panicked"), "{tail:?}");
    // The reader thread ends by itself when the terminal closes; it is not waited for, so a
    // pty that never reports EOF cannot hang the test.
    drop(reader_thread);
}

#[test]
fn demo_without_a_terminal_exits_2_with_a_message() {
    let out = Command::cargo_bin("shipshape")
        .unwrap()
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", "/nonexistent")
        .arg("demo")
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the dashboard needs a terminal"))
        .stderr(predicate::str::contains("panicked").not());
    assert!(out.get_output().stdout.is_empty());
}
