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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// The check's id: borrowed from the catalogue (2,000 workloads carry 160,000 results, and
    /// an owned copy of the id in each is 7 MB), owned only when read back from a report.
    pub check: std::borrow::Cow<'static, str>,
    pub category: Category,
    /// Effective severity: the catalogue's, raised or lowered by the check, then by config.
    pub severity: Severity,
    pub status: Status,
    /// The containers the finding is about (empty for pod- or workload-level findings).
    pub containers: Vec<String>,
    /// What was found: the problem, why it passes, or why it could not be judged.
    pub message: String,
    /// A fix specific to this result; the catalogue's fix otherwise.
    pub fix: Option<String>,
    /// Why it is waived, when it is.
    pub waiver: Option<String>,
}

impl CheckResult {
    /// The catalogue entry.
    pub fn def(&self) -> &'static CheckDef {
        catalogue::find(&self.check).expect("results only name registered checks")
    }

    /// The fix to show: this result's own, or the catalogue's.
    pub fn fix_text(&self) -> &str {
        self.fix.as_deref().unwrap_or(self.def().fix)
    }

    /// Counts in the readiness score (health alerts drive the health axis instead).
    pub fn is_scored(&self) -> bool {
        self.category != Category::Health && matches!(self.status, Status::Pass | Status::Fail)
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
