//! Grading: pure functions from a workload (or namespace, service, …) and its context to
//! check results. No I/O, no clock but the injected `now`.

pub mod catalogue;
pub mod cluster_groups;
pub mod context;
pub mod registry;
pub mod settings;
pub mod verdict;

// One module per id prefix: `probe.readiness` lives in `probe.rs`.
pub mod api;
pub mod autoscaler;
pub mod availability;
pub mod cluster;
pub mod config;
pub mod gateway;
pub mod health;
pub mod image;
pub mod ingress;
pub mod job;
pub mod lifecycle;
pub mod meta;
pub mod namespace;
pub mod network;
pub mod probe;
pub mod resources;
pub mod rollout;
pub mod route;
pub mod security;
pub mod service;
pub mod storage;

pub use catalogue::{Category, CheckDef, Severity, Subject};
pub use context::{containers, probed_containers, ContainerRef, Context};
pub use registry::Check;
pub use verdict::Verdict;

use crate::cluster::WorkloadKey;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The outcome of one check on one subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    #[serde(rename = "fail")]
    Fail,
    #[serde(rename = "unknown")]
    Unknown,
    #[serde(rename = "waived")]
    Waived,
    #[serde(rename = "pass")]
    Pass,
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::NotApplicable => "n/a",
            Status::Waived => "waived",
        }
    }
}

/// One check's result for one subject.
///
/// Every workload keeps about seventy of these, so the common result is kept small: the id and
/// a message that is a literal borrow their text, and what few results carry (containers, a fix
/// of their own, a waiver) sits behind one pointer that is null when there is none.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckResult {
    /// The check's id: borrowed from the catalogue (2,000 workloads carry 160,000 results, and
    /// an owned copy of the id in each is 7 MB), owned only for ids made at run time.
    pub check: Cow<'static, str>,
    /// What was found: the problem, why it passes, or why it could not be judged.
    pub message: Cow<'static, str>,
    pub category: Category,
    /// Effective severity: the catalogue's, raised or lowered by the check, then by config.
    pub severity: Severity,
    pub status: Status,
    detail: Option<Box<Detail>>,
}

/// The rarely present parts of a result.
#[derive(Clone, Debug, Default, PartialEq)]
struct Detail {
    containers: Vec<String>,
    fix: Option<Cow<'static, str>>,
    waiver: Option<String>,
}

impl CheckResult {
    pub fn new(
        check: impl Into<Cow<'static, str>>,
        category: Category,
        severity: Severity,
        status: Status,
        message: impl Into<Cow<'static, str>>,
    ) -> CheckResult {
        CheckResult {
            check: check.into(),
            message: message.into(),
            category,
            severity,
            status,
            detail: None,
        }
    }

    fn detail_mut(&mut self) -> &mut Detail {
        self.detail.get_or_insert_with(Default::default)
    }

    /// The containers the finding is about (empty for pod- or workload-level findings).
    pub fn containers(&self) -> &[String] {
        self.detail.as_ref().map_or(&[], |d| &d.containers)
    }

    pub fn with_containers(mut self, containers: Vec<String>) -> CheckResult {
        if !containers.is_empty() {
            self.detail_mut().containers = containers;
        }
        self
    }

    /// A fix specific to this result; `None` when the catalogue's applies.
    pub fn fix(&self) -> Option<&str> {
        self.detail.as_ref().and_then(|d| d.fix.as_deref())
    }

    pub fn with_fix(mut self, fix: Option<Cow<'static, str>>) -> CheckResult {
        if fix.is_some() {
            self.detail_mut().fix = fix;
        }
        self
    }

    /// Why it is waived, when it is.
    pub fn waiver(&self) -> Option<&str> {
        self.detail.as_ref().and_then(|d| d.waiver.as_deref())
    }

    /// Marks the result waived, for `reason`.
    pub fn waive(&mut self, reason: String) {
        self.status = Status::Waived;
        self.detail_mut().waiver = Some(reason);
    }

    /// The catalogue entry.
    pub fn def(&self) -> &'static CheckDef {
        catalogue::find(&self.check).expect("results only name registered checks")
    }

    /// The fix to show: this result's own, or the catalogue's.
    pub fn fix_text(&self) -> &str {
        self.fix().unwrap_or(self.def().fix)
    }

    /// Counts in the readiness score (health alerts drive the health axis instead).
    pub fn is_scored(&self) -> bool {
        self.category != Category::Health && matches!(self.status, Status::Pass | Status::Fail)
    }
}

/// Written with the fields and in the order the result has always been written.
impl Serialize for CheckResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("CheckResult", 8)?;
        st.serialize_field("check", &self.check)?;
        st.serialize_field("category", &self.category)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("containers", self.containers())?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("fix", &self.fix())?;
        st.serialize_field("waiver", &self.waiver())?;
        st.end()
    }
}

/// A runtime alert (section H): what is broken right now, on which workload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub check: String,
    pub severity: Severity,
    pub workload: WorkloadKey,
    /// The pods affected (empty for workload-level alerts such as `health.unavailable`).
    pub pods: Vec<String>,
    pub container: Option<String>,
    /// The Kubernetes reason (`CrashLoopBackOff`, `OOMKilled`, `ProgressDeadlineExceeded`…).
    pub reason: String,
    pub message: String,
    /// Since when the condition holds, when known.
    pub since: Option<DateTime<Utc>>,
    pub restarts: i32,
    /// Messages of matching Warning events, newest first.
    pub events: Vec<String>,
}
