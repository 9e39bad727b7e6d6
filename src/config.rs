//! The TOML config file: waivers, severity overrides, disabled checks, thresholds, the
//! registry allow-list and system namespaces. Every mistake is an error naming key and line.

use crate::checks::catalogue::{pattern_is_known, pattern_matches};
use crate::checks::Severity;
pub use crate::config_file::{glob_matches, read_small_file, ConfigError, MAX_SMALL_FILE};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub use crate::checks::settings::{
    Settings, Thresholds, Waiver, DEFAULT_OWNER_KEYS, DEFAULT_SYSTEM_NAMESPACES,
};

/// Everything the config file says: the settings checks read ([`Settings`], which `Config`
/// derefs to), and the team's own checks and the cluster's admission policies, which the
/// grading loop runs beside them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub settings: Settings,
    pub custom_checks: Vec<crate::policy::custom::CustomCheck>,
    pub audit_admission_policies: bool,
    pub admission_policies: Option<std::sync::Arc<crate::policy::vap::AdmissionPolicies>>,
}

impl std::ops::Deref for Config {
    type Target = Settings;
    fn deref(&self) -> &Settings {
        &self.settings
    }
}

impl std::ops::DerefMut for Config {
    fn deref_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    system_namespaces: Option<Vec<String>>,
    #[serde(default)]
    disabled: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    thresholds: RawThresholds,
    #[serde(default)]
    registries: RawRegistries,
    owner_keys: Option<Vec<String>>,
    #[serde(default)]
    waivers: Vec<Spanned<RawWaiver>>,
    #[serde(default)]
    checks: Vec<crate::policy::custom::RawCheck>,
    /// Files of more `[[checks]]`, relative to this file (`checks.d/*.toml`).
    #[serde(default)]
    include: Vec<Spanned<String>>,
    audit_admission_policies: Option<bool>,
    #[serde(default)]
    components: Vec<Spanned<RawComponent>>,
}

/// An in-house add-on: its role, the workload's name and/or image, the classes it serves.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    role: Spanned<String>,
    name: Option<String>,
    image: Option<String>,
    #[serde(default)]
    controllers: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawThresholds {
    restarts: Option<u32>,
    pending_minutes: Option<u32>,
    not_ready_minutes: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRegistries {
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    check: Spanned<String>,
    namespace: Option<String>,
    name: Option<String>,
    container: Option<String>,
    reason: Option<String>,
    until: Option<Spanned<toml::value::Datetime>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Config {
    /// Parses config text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        let err = |offset: usize, message: String| ConfigError {
            file: file.to_string(),
            line: line_of(text, offset),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            err(offset, e.message().trim().to_string())
        })?;
        let mut config = Config::default();
        crate::policy::custom::compile_all(raw.checks, text, file, &mut config.custom_checks)?;
        let dir = Path::new(file).parent().unwrap_or(Path::new("."));
        for pattern in raw.include {
            let files =
                crate::policy::custom::included_files(dir, pattern.get_ref()).map_err(|e| {
                    err(
                        pattern.span().start,
                        format!("include: cannot list `{}`: {e}", pattern.get_ref()),
                    )
                })?;
            for path in files {
                crate::policy::custom::load_included(&path, &mut config.custom_checks)?;
            }
        }
        config.audit_admission_policies = raw.audit_admission_policies.unwrap_or(false);
        let custom = config.custom_checks.clone();
        let pattern_is_known = |p: &str| {
            pattern_is_known(p)
                || p.trim().starts_with("vap.")
                || custom.iter().any(|c| pattern_matches(p, &c.id))
        };
        if let Some(ns) = raw.system_namespaces {
            config.system_namespaces = ns;
        }
        for d in raw.disabled {
            if !pattern_is_known(d.get_ref()) {
                return Err(err(
                    d.span().start,
                    format!(
                        "disabled: no check is named `{}` (see `shipshape checks`)",
                        d.get_ref()
                    ),
                ));
            }
            config.disabled.push(d.into_inner());
        }
        for (id, sev) in raw.severity {
            if !pattern_is_known(id.get_ref()) {
                return Err(err(
                    id.span().start,
                    format!(
                        "severity: no check is named `{}` (see `shipshape checks`)",
                        id.get_ref()
                    ),
                ));
            }
            let Some(s) = Severity::parse(sev.get_ref()) else {
                return Err(err(
                    sev.span().start,
                    format!(
                        "severity.\"{}\": `{}` is not a severity; use critical, warning or info",
                        id.get_ref(),
                        sev.get_ref()
                    ),
                ));
            };
            config.severity.insert(id.into_inner(), s);
        }
        let t = raw.thresholds;
        config.thresholds = Thresholds {
            restarts: t.restarts.map_or(5, |v| v as i32),
            pending_minutes: t.pending_minutes.map_or(5, i64::from),
            not_ready_minutes: t.not_ready_minutes.map_or(5, i64::from),
        };
        config.registries = raw.registries.allow;
        if let Some(keys) = raw.owner_keys {
            config.owner_keys = keys;
        }
        for w in raw.waivers {
            let start = w.span().start;
            let w = w.into_inner();
            if !pattern_is_known(w.check.get_ref()) {
                return Err(err(
                    w.check.span().start,
                    format!(
                        "waivers.check: no check is named `{}` (see `shipshape checks`)",
                        w.check.get_ref()
                    ),
                ));
            }
            let Some(reason) = w.reason.filter(|r| !r.trim().is_empty()) else {
                return Err(err(
                    start,
                    "waivers: every waiver needs a `reason`".to_string(),
                ));
            };
            let until = match w.until {
                None => None,
                Some(d) => {
                    let span = d.span().start;
                    let date = d.into_inner().date.ok_or_else(|| {
                        err(
                            span,
                            "waivers.until: expected a date such as 2027-01-31".to_string(),
                        )
                    })?;
                    NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
                }
            };
            config.waivers.push(Waiver {
                check: w.check.into_inner(),
                namespace: w.namespace.unwrap_or_else(|| "*".into()),
                name: w.name.unwrap_or_else(|| "*".into()),
                container: w.container,
                reason,
                until,
            });
        }
        for c in raw.components {
            let line = line_of(text, c.span().start);
            let start = c.span().start;
            let c = c.into_inner();
            use crate::checks::cluster::components::{Component, Role};
            let Some(role) = Role::from_name(c.role.get_ref()) else {
                let roles: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
                return Err(err(
                    c.role.span().start,
                    format!(
                        "components.role: `{}` is not a role; use one of {}",
                        c.role.get_ref(),
                        roles.join(", ")
                    ),
                ));
            };
            let name = c.name.filter(|n| !n.trim().is_empty());
            let image = c.image.filter(|i| !i.trim().is_empty());
            if name.is_none() && image.is_none() {
                return Err(err(
                    start,
                    "components: every component needs a `name` (the workload's name, a glob) or an `image`".to_string(),
                ));
            }
            config.components.push(Component {
                role,
                name: name.clone().or_else(|| image.clone()).unwrap_or_default(),
                images: image.into_iter().collect(),
                workloads: name.into_iter().collect(),
                controllers: c.controllers,
                reads_node_logs: false,
                source: format!("{file}:{line}"),
            });
        }
        config.path = Some(PathBuf::from(file));
        Ok(config)
    }

    /// Reads the config at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_small_file(path).map_err(|e| ConfigError {
            file: path.display().to_string(),
            line: 0,
            message: match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                _ => format!("cannot read the config file: {e}"),
            },
        })?;
        Config::parse(&text, &path.display().to_string())
    }

    /// `$XDG_CONFIG_HOME/shipshape/config.toml` (or `~/.config/…`), when it exists.
    pub fn default_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        let path = base.join("shipshape").join("config.toml");
        path.is_file().then_some(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_parses() {
        let c = Config::parse(
            r#"
system-namespaces = ["kube-system", "istio-*"]
disabled = ["resources.cpu-limit"]
owner-keys = ["team"]

[severity]
"image.digest" = "warning"

[thresholds]
restarts = 10
pending-minutes = 15

[registries]
allow = ["ghcr.io/acme", "registry.k8s.io"]

[[waivers]]
check = "security.*"
namespace = "legacy-*"
name = "billing"
reason = "vendor image, tracked in OPS-12"
until = 2027-01-31
"#,
            "c.toml",
        )
        .unwrap();
        assert!(c.is_system_namespace("istio-system"));
        assert!(c.is_disabled("resources.cpu-limit"));
        assert_eq!(c.severity_override("image.digest"), Some(Severity::Warning));
        assert_eq!(c.thresholds.restarts, 10);
        assert_eq!(c.thresholds.not_ready_minutes, 5);
        let d = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        assert!(c
            .waiver_for("security.privileged", "legacy-eu", "billing", &[], d)
            .is_some());
        let after = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        assert!(c
            .waiver_for("security.privileged", "legacy-eu", "billing", &[], after)
            .is_none());
        assert!(c
            .waiver_for("probe.liveness", "legacy-eu", "billing", &[], d)
            .is_none());
    }

    #[test]
    fn errors_name_key_and_line() {
        let e = Config::parse(
            "disabled = [\"resources.cpu-limit\"]\n[severity]\n\"probe.readyness\" = \"info\"\n",
            "c.toml",
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("probe.readyness"), "{}", e.message);

        let e = Config::parse("[thresholds]\nrestart = 3\n", "c.toml").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("restart"), "{}", e.message);

        let e = Config::parse("[severity]\n\"image.tag\" = \"high\"\n", "c.toml").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("critical, warning or info"));

        let e = Config::parse("[[waivers]]\ncheck = \"image.tag\"\n", "c.toml").unwrap_err();
        assert!(e.message.contains("reason"));
        assert_eq!(
            e.to_string(),
            "c.toml:1: waivers: every waiver needs a `reason`"
        );

        let e = Config::parse("[thresholds]\nrestarts = \"five\"\n", "c.toml").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn globs() {
        assert!(glob_matches("*", "anything"));
        assert!(glob_matches("web-?", "web-1"));
        assert!(!glob_matches("web-?", "web-10"));
        assert!(glob_matches("*-prod", "shop-prod"));
        assert!(!glob_matches("shop", "shop-prod"));
    }
}
