//! Log lines made fit to show: credentials masked, control characters made visible, lines
//! that look like errors marked. Log lines live in the logs pane only: nothing here stores,
//! exports or writes them.

use crate::checks::Alert;
use crate::cluster::ClusterModel;
use crate::time::from_time;
use chrono::{DateTime, Utc};
use regex::Regex;
use std::sync::LazyLock;

/// At most this many lines are kept (the request asks for as many).
pub const TAIL_LINES: usize = 200;
/// At most this many bytes are asked for.
pub const LIMIT_BYTES: usize = 256 * 1024;
/// A longer line is cut here: a log line is read, not studied.
const LINE_CHARS: usize = 2_000;

/// Which container instance to read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogTarget {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// The previous instance (after a crash or an OOM kill), else the current one.
    pub previous: bool,
}

impl LogTarget {
    /// What the pane's title names: `shop/checkout-7d9f-abcde app (previous instance)`.
    pub fn title(&self) -> String {
        format!(
            "{}/{} {} ({} instance)",
            self.namespace,
            self.pod,
            self.container,
            if self.previous { "previous" } else { "current" }
        )
    }
}

/// The logs an alert points at: its first pod and its container (or the pod's first
/// container), the previous instance for a crash loop, an OOM kill or restarts.
pub fn target_of(a: &Alert, model: &ClusterModel) -> Option<LogTarget> {
    let pod = a.pods.first()?;
    let container = match &a.container {
        Some(c) => c.clone(),
        None => {
            let p = model
                .stores
                .pods
                .get(&(a.workload.namespace.clone(), pod.clone()))?;
            p.spec.as_ref()?.containers.first()?.name.clone()
        }
    };
    Some(LogTarget {
        namespace: a.workload.namespace.clone(),
        pod: pod.clone(),
        container,
        previous: super::commands::wants_previous(a),
    })
}

/// The instance whose logs are shown: its exit code, reason and finish time, from the pod's
/// container status (what shipshape already holds).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Instance {
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    pub finished: Option<DateTime<Utc>>,
    pub state: &'static str,
}

impl Instance {
    /// `exit code 137 · OOMKilled · finished 09:41:07 UTC`.
    pub fn summary(&self) -> String {
        let mut parts = vec![self.state.to_string()];
        if let Some(c) = self.exit_code {
            parts.push(format!("exit code {c}"));
        }
        if let Some(r) = &self.reason {
            parts.push(r.clone());
        }
        if let Some(t) = self.finished {
            parts.push(format!("finished {}", t.format("%Y-%m-%d %H:%M:%S UTC")));
        }
        parts.join(" · ")
    }
}

pub fn instance(model: &ClusterModel, t: &LogTarget) -> Option<Instance> {
    let pod = model
        .stores
        .pods
        .get(&(t.namespace.clone(), t.pod.clone()))?;
    let status = pod.status.as_ref()?;
    let cs = status
        .container_statuses
        .iter()
        .flatten()
        .chain(status.init_container_statuses.iter().flatten())
        .find(|c| c.name == t.container)?;
    let state = if t.previous {
        cs.last_state.as_ref()
    } else {
        cs.state.as_ref()
    };
    let state = state?;
    if let Some(term) = &state.terminated {
        return Some(Instance {
            exit_code: Some(term.exit_code),
            reason: term.reason.clone(),
            finished: term.finished_at.as_ref().map(from_time),
            state: "terminated",
        });
    }
    if let Some(w) = &state.waiting {
        return Some(Instance {
            reason: w.reason.clone(),
            state: "waiting",
            ..Instance::default()
        });
    }
    state.running.as_ref().map(|_| Instance {
        state: "running",
        ..Instance::default()
    })
}

/// One line as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub text: String,
    pub error: bool,
}

static ERROR_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(error|err|fatal|panic|panicked|exception|traceback|failed|failure|critical|crit|emerg|alert|severe|oomkilled|segfault)\b|level=(error|fatal)|(?-i:[A-Za-z]*(?:Exception|Error)\b)",
    )
    .expect("valid pattern")
});

/// Whether a line reads like an error.
pub fn looks_like_error(line: &str) -> bool {
    ERROR_LIKE.is_match(line)
}

/// The raw answer of `pods/log` as lines to show: the last [`TAIL_LINES`], each with its
/// credentials masked and its control characters made visible, long lines cut.
pub fn prepare(raw: &str) -> Vec<LogLine> {
    let lines: Vec<&str> = raw.lines().collect();
    let skip = lines.len().saturating_sub(TAIL_LINES);
    lines[skip..]
        .iter()
        .map(|l| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            let cut: String = if l.chars().count() > LINE_CHARS {
                let mut s: String = l.chars().take(LINE_CHARS).collect();
                s.push('…');
                s
            } else {
                l.to_string()
            };
            let masked = crate::cluster::redact::redact_text(&cut).unwrap_or(cut);
            let text = crate::text::safe(&masked).into_owned();
            LogLine {
                error: looks_like_error(&text),
                text,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_log_lines_are_masked() {
        let raw = "\
2026-11-20T09:41:00Z connecting to postgres://app:s3cr3t-pw@db:5432/app
2026-11-20T09:41:01Z GET /api Authorization: Bearer abcdefghijklmnop0123456789
2026-11-20T09:41:02Z login password=hunter2hunter2 user=bob
2026-11-20T09:41:03Z aws AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
2026-11-20T09:41:04Z token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U
2026-11-20T09:41:05Z plain line";
        let out = prepare(raw);
        let all: String = out
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        for secret in [
            "s3cr3t-pw",
            "abcdefghijklmnop0123456789",
            "hunter2hunter2",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "eyJhbGciOiJIUzI1NiJ9",
        ] {
            assert!(!all.contains(secret), "{secret} leaked:\n{all}");
        }
        assert!(
            all.contains("postgres://app:<redacted by shipshape>@db:5432/app"),
            "{all}"
        );
        assert_eq!(out[5].text, "2026-11-20T09:41:05Z plain line");
    }

    #[test]
    fn control_characters_become_visible_and_errors_are_marked() {
        let out = prepare("ok \u{1b}]0;owned\u{7}title\nERROR: boom\r\npanic: \u{9b}31m");
        assert_eq!(out[0].text, r"ok \e]0;owned\x07title");
        assert!(!out[0].error);
        assert_eq!(out[1].text, "ERROR: boom");
        assert!(out[1].error);
        assert!(out[2].error);
        assert_eq!(out[2].text, r"panic: \u{9b}31m");
        assert!(out
            .iter()
            .all(|l| !l.text.chars().any(crate::text::is_unsafe)));
    }

    #[test]
    fn only_the_last_lines_are_kept_and_long_lines_are_cut() {
        let raw: String = (0..500).map(|i| format!("line {i}\n")).collect();
        let out = prepare(&raw);
        assert_eq!(out.len(), TAIL_LINES);
        assert_eq!(out[0].text, "line 300");
        let long = "x".repeat(10_000);
        let out = prepare(&long);
        assert_eq!(out[0].text.chars().count(), LINE_CHARS + 1);
    }

    #[test]
    fn error_looking_lines() {
        assert!(looks_like_error("level=error msg=x"));
        assert!(looks_like_error("Traceback (most recent call last):"));
        assert!(looks_like_error("java.lang.NullPointerException"));
        assert!(!looks_like_error("terrorist detection disabled"));
        assert!(!looks_like_error("all good"));
    }
}
