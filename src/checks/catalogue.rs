//! The catalogue of checks: data, so `shipshape checks`, `explain`, the help screen, docs and
//! reports all read the same list.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    /// Weight in the readiness score.
    pub fn weight(self) -> u32 {
        match self {
            Severity::Critical => 5,
            Severity::Warning => 2,
            Severity::Info => 1,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "critical" => Some(Severity::Critical),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The checklist's sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Probes,
    Resources,
    Availability,
    Rollout,
    Security,
    Configuration,
    Operability,
    Health,
    Namespace,
    Networking,
    Cluster,
    Api,
}

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::Probes => "probes",
            Category::Resources => "resources",
            Category::Availability => "availability",
            Category::Rollout => "rollout",
            Category::Security => "security",
            Category::Configuration => "configuration",
            Category::Operability => "operability",
            Category::Health => "health",
            Category::Namespace => "namespace",
            Category::Networking => "networking",
            Category::Cluster => "cluster",
            Category::Api => "api",
        }
    }

    /// The checklist's section title.
    pub fn title(self) -> &'static str {
        match self {
            Category::Probes => "Probes and lifecycle",
            Category::Resources => "Resources",
            Category::Availability => "Availability and scaling",
            Category::Rollout => "Rollout and release",
            Category::Security => "Security",
            Category::Configuration => "Configuration and storage",
            Category::Operability => "Operability",
            Category::Health => "Runtime health alerts",
            Category::Namespace => "Namespace guardrails",
            Category::Networking => "Services and ingress",
            Category::Cluster => "Cluster",
            Category::Api => "API versions",
        }
    }

    /// The checklist's section letter.
    pub fn letter(self) -> char {
        match self {
            Category::Probes => 'P',
            Category::Resources => 'R',
            Category::Availability => 'A',
            Category::Rollout => 'U',
            Category::Security => 'S',
            Category::Configuration => 'C',
            Category::Operability => 'O',
            Category::Health => 'H',
            Category::Namespace => 'G',
            Category::Networking => 'N',
            Category::Cluster => 'K',
            Category::Api => 'K',
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a check is graded on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Workload,
    Namespace,
    Service,
    Ingress,
    /// A Gateway API Gateway.
    Gateway,
    /// A Gateway API route: an HTTPRoute or a GRPCRoute.
    Route,
    Cluster,
    /// Any object (api.removed).
    Object,
}

/// One check of the checklist.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct CheckDef {
    /// Stable id (`probe.readiness`): waivers, overrides and reports key on it.
    pub id: &'static str,
    pub category: Category,
    /// Default severity (some checks raise or lower it per result, as the checklist says).
    pub severity: Severity,
    pub subject: Subject,
    /// One line: what the check wants.
    pub title: &'static str,
    /// When it fails, in the checklist's words.
    pub fails_when: &'static str,
    /// Why it matters in production.
    pub why: &'static str,
    /// How to fix it, ending with a short YAML snippet.
    pub fix: &'static str,
}

/// Where a checklist section's checks belong: their category and what they grade.
#[derive(Clone, Copy, Debug)]
pub struct Section {
    pub category: Category,
    pub subject: Subject,
}

/// One catalogue entry of `section`.
pub const fn def(
    section: Section,
    id: &'static str,
    severity: Severity,
    title: &'static str,
    fails_when: &'static str,
    why: &'static str,
    fix: &'static str,
) -> CheckDef {
    CheckDef {
        id,
        category: section.category,
        severity,
        subject: section.subject,
        title,
        fails_when,
        why,
        fix,
    }
}

/// Every check's catalogue entry, in checklist order, then the checks defined at run time
/// (custom checks, admission policies) in the order they were defined.
pub fn all() -> impl Iterator<Item = &'static CheckDef> {
    super::registry::all().map(|c| &c.def).chain(
        super::registry::runtime(|_| true)
            .into_iter()
            .map(|(c, _)| &c.def),
    )
}

/// Looks a check's catalogue entry up by id.
pub fn find(id: &str) -> Option<&'static CheckDef> {
    super::registry::find(id).map(|c| &c.def)
}

/// True when `pattern` names checks: an id, a category prefix (`security.*`), or `*`.
pub fn pattern_matches(pattern: &str, id: &str) -> bool {
    let pattern = pattern.trim();
    match pattern.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => pattern == id,
    }
}

/// True when a pattern names at least one known check.
pub fn pattern_is_known(pattern: &str) -> bool {
    all().any(|c| pattern_matches(pattern, c.id))
}
