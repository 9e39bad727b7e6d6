//! What a check's function returns: a status and what was found, without the check's id.
//! The registry turns it into a [`CheckResult`](super::CheckResult) for the check that ran,
//! so a function cannot report under another check's id.

use super::{Severity, Status};
use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub status: Status,
    /// What was found: the problem, why it passes, or why it could not be judged (a literal
    /// is borrowed, not copied into every workload's results).
    pub message: Cow<'static, str>,
    /// The containers the finding is about (empty for pod- or workload-level findings).
    pub containers: Vec<String>,
    /// The severity of this finding when it differs from the catalogue's.
    pub severity: Option<Severity>,
    /// A fix specific to this finding; the catalogue's otherwise.
    pub fix: Option<Cow<'static, str>>,
}

impl Verdict {
    pub fn new(status: Status, message: impl Into<Cow<'static, str>>) -> Verdict {
        Verdict {
            status,
            message: message.into(),
            containers: Vec::new(),
            severity: None,
            fix: None,
        }
    }

    pub fn pass(message: impl Into<Cow<'static, str>>) -> Verdict {
        Verdict::new(Status::Pass, message)
    }

    pub fn fail(message: impl Into<Cow<'static, str>>) -> Verdict {
        Verdict::new(Status::Fail, message)
    }

    pub fn unknown(message: impl Into<Cow<'static, str>>) -> Verdict {
        Verdict::new(Status::Unknown, message)
    }

    pub fn na(message: impl Into<Cow<'static, str>>) -> Verdict {
        Verdict::new(Status::NotApplicable, message)
    }

    /// A pass when `failing` is empty, else a fail naming those containers.
    pub fn per_container(
        failing: Vec<String>,
        pass_message: impl Into<Cow<'static, str>>,
        fail_message: impl FnOnce(&str) -> String,
    ) -> Verdict {
        if failing.is_empty() {
            Verdict::pass(pass_message)
        } else {
            let names = failing.join(", ");
            Verdict::fail(fail_message(&names)).containers(failing)
        }
    }

    pub fn severity(mut self, severity: Severity) -> Verdict {
        self.severity = Some(severity);
        self
    }

    pub fn containers(mut self, containers: Vec<String>) -> Verdict {
        self.containers = containers;
        self
    }

    pub fn with_fix(mut self, fix: impl Into<Cow<'static, str>>) -> Verdict {
        self.fix = Some(fix.into());
        self
    }
}
