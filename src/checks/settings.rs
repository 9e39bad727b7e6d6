//! What the config file tells the checks: system namespaces, disabled checks, severity
//! overrides, thresholds, allowed registries, owner keys, waivers and in-house components.
//! Parsed and validated by `config`, which holds it; the checks read it from their context.

use super::catalogue::pattern_matches;
use super::Severity;
use crate::config_file::glob_matches;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const DEFAULT_SYSTEM_NAMESPACES: &[&str] = &["kube-system", "kube-public", "kube-node-lease"];

/// Annotation keys that name an owner, a team or a runbook (`meta.owner`).
pub const DEFAULT_OWNER_KEYS: &[&str] = &[
    "owner",
    "team",
    "app.kubernetes.io/part-of",
    "a8r.io/owner",
    "a8r.io/runbook",
    "runbook",
];

/// A waiver: a check that does not count for matching workloads, for a stated reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiver {
    /// A check id or a category prefix (`security.*`).
    pub check: String,
    /// Glob on the namespace (`*` and `?`).
    pub namespace: String,
    /// Glob on the workload (or object) name.
    pub name: String,
    /// Only this container, when set.
    pub container: Option<String>,
    pub reason: String,
    /// After this date the waiver lapses and the check counts again.
    pub until: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Thresholds {
    /// `health.restarts` fires at this many restarts.
    pub restarts: i32,
    /// `health.pending` fires after this long Pending.
    pub pending_minutes: i64,
    /// `health.not-ready` fires after this long Running but not Ready.
    pub not_ready_minutes: i64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            restarts: 5,
            pending_minutes: 5,
            not_ready_minutes: 5,
        }
    }
}

/// The effective configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub system_namespaces: Vec<String>,
    /// Check ids or prefixes that are not run at all.
    pub disabled: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub thresholds: Thresholds,
    /// Allowed image registries (prefixes such as `ghcr.io/acme`); empty means no list.
    pub registries: Vec<String>,
    pub owner_keys: Vec<String>,
    pub waivers: Vec<Waiver>,
    /// Where it was read from, for messages.
    pub path: Option<PathBuf>,
    /// `[[checks]]`: custom checks in CEL, from the file and the files it includes.
    /// Grade workloads against the cluster's ValidatingAdmissionPolicies too.
    /// The admission policies read from the cluster or the input, when auditing them.
    /// `[[components]]`: in-house add-ons the cluster checks recognise beside the built-in ones.
    pub components: Vec<super::cluster::components::Component>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            system_namespaces: DEFAULT_SYSTEM_NAMESPACES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            disabled: Vec::new(),
            severity: BTreeMap::new(),
            thresholds: Thresholds::default(),
            registries: Vec::new(),
            owner_keys: DEFAULT_OWNER_KEYS.iter().map(|s| s.to_string()).collect(),
            waivers: Vec::new(),
            path: None,
            components: Vec::new(),
        }
    }
}

impl Settings {
    pub fn is_system_namespace(&self, namespace: &str) -> bool {
        self.system_namespaces
            .iter()
            .any(|n| glob_matches(n, namespace))
    }

    pub fn is_disabled(&self, check: &str) -> bool {
        self.disabled.iter().any(|p| pattern_matches(p, check))
    }

    /// The configured severity for a check, if overridden (an exact id wins over a prefix).
    pub fn severity_override(&self, check: &str) -> Option<Severity> {
        self.severity.get(check).copied().or_else(|| {
            self.severity
                .iter()
                .find(|(p, _)| pattern_matches(p, check))
                .map(|(_, s)| *s)
        })
    }

    /// The waiver that applies, if any, on `today`.
    pub fn waiver_for(
        &self,
        check: &str,
        namespace: &str,
        name: &str,
        containers: &[String],
        today: NaiveDate,
    ) -> Option<&Waiver> {
        self.waivers.iter().find(|w| {
            pattern_matches(&w.check, check)
                && glob_matches(&w.namespace, namespace)
                && glob_matches(&w.name, name)
                && w.until.is_none_or(|u| today <= u)
                && match &w.container {
                    None => true,
                    // A container waiver covers a result only when every failing container is it.
                    Some(c) => !containers.is_empty() && containers.iter().all(|x| x == c),
                }
        })
    }
}
