//! `shipshape diff`: what changed between two states of a cluster. Each side is a saved
//! snapshot (graded now, with the current config) or a JSON report (schema v1); both are
//! compared in the JSON report's terms, so a report saved last week diffs against a snapshot
//! taken today.

use super::document::{Markup, Plain, Subject};
use super::json::{ReportV1, ResultV1};
use super::markdown::{self, Md};
use crate::checks::Severity;
use crate::config::Config;
use crate::source::snapshot::{SNAPSHOT_API_VERSION, SNAPSHOT_KIND};
use crate::source::LoadOptions;
use crate::text::safe;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Why a side cannot be compared.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DiffError {
    #[error("{path}: {what}; `shipshape diff` compares shipshape snapshots (kind: Snapshot, apiVersion: shipshape.dev/v1) and JSON reports (`shipshape check -o json` or `report --format json`)")]
    NotComparable { path: String, what: String },
    #[error("{path}: JSON report schema_version {found} is not one this shipshape reads (1); write both reports with the same shipshape version")]
    Schema { path: String, found: String },
    #[error("{0}")]
    Snapshot(String),
}

/// Reads one side: a snapshot is graded with `config`, a JSON report is taken as it is.
pub fn report_of(text: &str, path: &str, config: &Config) -> Result<ReportV1<'static>, DiffError> {
    let not = |what: String| DiffError::NotComparable {
        path: path.to_string(),
        what,
    };
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(not("the file is empty".into()));
    }
    // A YAML side is read whole (a snapshot is one document); a JSON side is read twice, for
    // what it is and then as a report, and never becomes a generic tree.
    let yaml: Option<Value> = if trimmed.starts_with('{') {
        None
    } else {
        // The YAML reader's time grows with the square of the nesting: refuse that first.
        if crate::source::depth::too_deep(trimmed).is_some() {
            return Err(not(format!(
                "nested more than {} levels deep",
                crate::source::depth::MAX_DEPTH
            )));
        }
        // A snapshot is one YAML document; anything after a `---` is not part of it.
        let first = serde_norway::Deserializer::from_str(trimmed)
            .next()
            .ok_or_else(|| not("no YAML document".into()))?;
        Some(
            serde::Deserialize::deserialize(first)
                .map_err(|e| not(format!("invalid YAML ({e})")))?,
        )
    };
    let probe: Probe = match &yaml {
        None => serde_json::from_str(trimmed).map_err(|e| not(format!("invalid JSON ({e})")))?,
        Some(value) => Probe::deserialize(value).unwrap_or_default(),
    };
    let name = |v: &Option<Value>| {
        v.as_ref()
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let (kind, api) = (name(&probe.kind), name(&probe.api_version));
    if kind == SNAPSHOT_KIND && api == SNAPSHOT_API_VERSION {
        let msgs = crate::source::file::load_str(text, path, &LoadOptions::default())
            .map_err(|e| DiffError::Snapshot(e.to_string()))?;
        let engine = crate::engine::Engine::from_messages(config.clone(), msgs);
        // The report borrows the engine: written and read back, it owns what it holds.
        let written = serde_json::to_vec(&super::json::report(engine.model(), engine.grades()))
            .expect("reports serialise into memory");
        return serde_json::from_slice(&written)
            .map_err(|e| not(format!("invalid JSON report ({e})")));
    }
    if let Some(v) = &probe.schema_version {
        if v.as_u64() != Some(u64::from(super::json::SCHEMA_VERSION)) {
            return Err(DiffError::Schema {
                path: path.to_string(),
                found: v.to_string(),
            });
        }
        if !probe.workloads {
            return Err(not("a JSON report without `workloads`".into()));
        }
        let report = match yaml {
            None => serde_json::from_str(trimmed).map_err(|e| e.to_string()),
            Some(value) => ReportV1::deserialize(value).map_err(|e| e.to_string()),
        };
        return report.map_err(|e| not(format!("not a JSON report of schema 1 ({e})")));
    }
    Err(not(if kind.is_empty() {
        "this is not a snapshot or a JSON report".to_string()
    } else {
        format!("this is a {kind} ({api}), not a snapshot or a JSON report")
    }))
}

/// What a side is: the fields that tell a snapshot from a report, read without the rest.
#[derive(Default, Deserialize)]
struct Probe {
    #[serde(default, deserialize_with = "present")]
    kind: Option<Value>,
    #[serde(default, rename = "apiVersion", deserialize_with = "present")]
    api_version: Option<Value>,
    /// Present even when `null`, which is not a version this shipshape reads.
    #[serde(default, deserialize_with = "present")]
    schema_version: Option<Value>,
    #[serde(default, deserialize_with = "is_array")]
    workloads: bool,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Whether a value is a list, skipping its content.
fn is_array<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct IsList;
    impl<'de> serde::de::Visitor<'de> for IsList {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any value")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(true)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(false)
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_none<E>(self) -> Result<bool, E> {
            Ok(false)
        }
    }
    d.deserialize_any(IsList)
}

/// A failing check or an alert, as the diff lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub check: String,
    pub severity: Severity,
    /// The alert's reason (`CrashLoopBackOff`); empty for checks.
    pub reason: String,
    pub message: String,
}

/// One side's view of a workload or another graded object.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub grade: Option<String>,
    pub score: Option<f64>,
    /// Workloads only.
    pub health: Option<String>,
    pub failing: BTreeMap<String, Finding>,
    pub alerts: BTreeMap<String, Finding>,
}

/// `(kind, namespace, name)`.
pub type Key = (String, String, String);

/// What a side says about the cluster as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct SideInfo {
    pub source: String,
    pub evaluated_at: String,
    pub grade: Option<String>,
    pub score: Option<f64>,
}

/// What changed on a subject present on both sides.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub key: Key,
    pub workload: bool,
    pub old: State,
    pub new: State,
    pub newly_failing: Vec<Finding>,
    pub fixed: Vec<Finding>,
    pub new_alerts: Vec<Finding>,
    pub resolved_alerts: Vec<Finding>,
}

impl Change {
    pub fn grade_changed(&self) -> bool {
        self.old.grade != self.new.grade
    }

    pub fn health_changed(&self) -> bool {
        self.old.health != self.new.health
    }

    /// The grade dropped (A→C); a grade appearing or vanishing is not a drop.
    pub fn grade_dropped(&self) -> bool {
        matches!((&self.old.grade, &self.new.grade), (Some(a), Some(b)) if b > a)
    }

    /// Health moved towards failing (healthy or unknown → degraded → failing).
    pub fn health_worse(&self) -> bool {
        health_rank(self.new.health.as_deref()) > health_rank(self.old.health.as_deref())
    }

    pub fn regressed(&self) -> bool {
        self.grade_dropped()
            || self.health_worse()
            || !self.newly_failing.is_empty()
            || !self.new_alerts.is_empty()
    }

    fn is_empty(&self) -> bool {
        self.lines().is_empty()
    }

    /// What changed, in the order every rendering lists it: grade and health, then what
    /// got worse, then what got better.
    pub fn lines(&self) -> Vec<Line<'_>> {
        let mut lines = Vec::new();
        if self.grade_changed() {
            lines.push(Line::Grade);
        }
        if self.health_changed() {
            lines.push(Line::Health);
        }
        lines.extend(self.new_alerts.iter().map(Line::NewAlert));
        lines.extend(self.newly_failing.iter().map(Line::NewlyFailing));
        lines.extend(self.resolved_alerts.iter().map(Line::ResolvedAlert));
        lines.extend(self.fixed.iter().map(Line::Fixed));
        lines
    }
}

/// One line of what changed on a subject.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Line<'c> {
    Grade,
    Health,
    NewAlert(&'c Finding),
    NewlyFailing(&'c Finding),
    ResolvedAlert(&'c Finding),
    Fixed(&'c Finding),
}

fn health_rank(h: Option<&str>) -> u8 {
    match h {
        Some("failing") => 2,
        Some("degraded") => 1,
        _ => 0,
    }
}

/// Everything that changed between two sides.
#[derive(Clone, Debug, PartialEq)]
pub struct Changes {
    pub old: SideInfo,
    pub new: SideInfo,
    pub added: Vec<(Key, bool, State)>,
    pub removed: Vec<(Key, bool, State)>,
    pub changed: Vec<Change>,
}

impl Changes {
    /// Nothing was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// How many changed subjects got worse.
    pub fn worse(&self) -> usize {
        self.changed.iter().filter(|c| c.regressed()).count()
    }

    /// A subject got worse, or a new alert appeared (on an added workload too).
    pub fn regressed(&self) -> bool {
        self.changed.iter().any(Change::regressed)
            || self.added.iter().any(|(_, _, s)| !s.alerts.is_empty())
    }

    /// One line for stderr when `--fail-on-regression` trips.
    pub fn regression_summary(&self) -> String {
        let mut parts: Vec<String> = self
            .changed
            .iter()
            .filter(|c| c.regressed())
            .map(|c| format!("{} {}/{}", c.key.0, c.key.1, c.key.2))
            .collect();
        parts.extend(
            self.added
                .iter()
                .filter(|(_, _, s)| !s.alerts.is_empty())
                .map(|(k, _, _)| format!("new {} {}/{} with alerts", k.0, k.1, k.2)),
        );
        let n = parts.len();
        if n > 5 {
            parts.truncate(5);
            parts.push(format!("and {} more", n - 5));
        }
        format!("got worse: {}", parts.join(", "))
    }
}

fn side_info(r: &ReportV1) -> SideInfo {
    SideInfo {
        source: r.source.name.to_string(),
        evaluated_at: r.source.evaluated_at.clone(),
        grade: r.cluster.grade.as_deref().map(String::from),
        score: r.cluster.score,
    }
}

fn severity(name: &str) -> Severity {
    Severity::parse(name).unwrap_or(Severity::Info)
}

/// Subjects of a report with their state.
fn states(r: &ReportV1) -> BTreeMap<Key, (bool, State)> {
    let mut out = BTreeMap::new();
    let failing = |results: &super::json::Seq<'_, ResultV1<'_>>| -> BTreeMap<String, Finding> {
        results
            .iter()
            // Failing health checks are the alerts, listed apart.
            .filter(|r| r.result == "fail" && r.category != "health")
            .map(|r| {
                let f = Finding {
                    check: r.check.to_string(),
                    severity: severity(&r.severity),
                    reason: String::new(),
                    message: r.message.to_string(),
                };
                (f.check.clone(), f)
            })
            .collect()
    };
    for w in r.workloads.iter() {
        let state = State {
            grade: w.grade.as_deref().map(String::from),
            score: w.score,
            health: Some(w.health.to_string()),
            failing: failing(&w.results),
            alerts: BTreeMap::new(),
        };
        let key = (
            w.kind.to_string(),
            w.namespace.to_string(),
            w.name.to_string(),
        );
        out.insert(key, (true, state));
    }
    for o in r.objects.iter() {
        let state = State {
            grade: o.grade.as_deref().map(String::from),
            score: o.score,
            health: None,
            failing: failing(&o.results),
            alerts: BTreeMap::new(),
        };
        let namespace = o.namespace.as_deref().unwrap_or_default().to_string();
        out.insert(
            (o.kind.to_string(), namespace, o.name.to_string()),
            (false, state),
        );
    }
    for a in r.alerts.iter() {
        let k = (
            a.workload.kind.to_string(),
            a.workload.namespace.to_string(),
            a.workload.name.to_string(),
        );
        if let Some((_, state)) = out.get_mut(&k) {
            state.alerts.insert(
                a.check.to_string(),
                Finding {
                    check: a.check.to_string(),
                    severity: severity(&a.severity),
                    reason: a.reason.to_string(),
                    message: a.message.to_string(),
                },
            );
        }
    }
    out
}

/// Compares two reports (as [`report_of`] returns them).
pub fn compare(old: &ReportV1, new: &ReportV1) -> Changes {
    let before = states(old);
    let after = states(new);
    let mut changes = Changes {
        old: side_info(old),
        new: side_info(new),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
    };
    for (k, (workload, state)) in &after {
        match before.get(k) {
            None => changes.added.push((k.clone(), *workload, state.clone())),
            Some((_, was)) => {
                let only_in = |a: &BTreeMap<String, Finding>, b: &BTreeMap<String, Finding>| {
                    a.iter()
                        .filter(|(c, _)| !b.contains_key(*c))
                        .map(|(_, f)| f.clone())
                        .collect::<Vec<_>>()
                };
                let change = Change {
                    key: k.clone(),
                    workload: *workload,
                    newly_failing: only_in(&state.failing, &was.failing),
                    fixed: only_in(&was.failing, &state.failing),
                    new_alerts: only_in(&state.alerts, &was.alerts),
                    resolved_alerts: only_in(&was.alerts, &state.alerts),
                    old: was.clone(),
                    new: state.clone(),
                };
                if !change.is_empty() {
                    changes.changed.push(change);
                }
            }
        }
    }
    for (k, (workload, state)) in &before {
        if !after.contains_key(k) {
            changes.removed.push((k.clone(), *workload, state.clone()));
        }
    }
    // Worse first, then by namespace and name.
    changes.changed.sort_by(|a, b| {
        b.regressed()
            .cmp(&a.regressed())
            .then_with(|| (&a.key.1, &a.key.2, &a.key.0).cmp(&(&b.key.1, &b.key.2, &b.key.0)))
    });
    changes
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("–")
}

fn score(s: Option<f64>) -> String {
    crate::score::score_text(s)
}

/// `Deployment shop/web` in `M`'s markup.
fn subject<M: Markup>(k: &Key) -> String {
    Subject {
        kind: k.0.clone(),
        namespace: k.1.clone(),
        name: k.2.clone(),
    }
    .show::<M>()
}

fn symbol(s: Severity) -> &'static str {
    super::table::severity_symbol(s)
}

fn alert_text(f: &Finding) -> String {
    format!("{} ({}): {}", f.reason, f.check, f.message)
}

/// The human table.
pub fn render_table(c: &Changes) -> String {
    // Both sides are files from elsewhere: every field is untrusted, and the table has no
    // styling of its own, so the whole text goes through the sanitiser once more at the end.
    let opt = |s: &Option<String>| safe(opt(s)).into_owned();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "shipshape diff · {} ({}) → {} ({})",
        safe(&c.old.source),
        safe(&c.old.evaluated_at),
        safe(&c.new.source),
        safe(&c.new.evaluated_at)
    );
    let _ = writeln!(
        s,
        "cluster: {} ({}) → {} ({})",
        opt(&c.old.grade),
        score(c.old.score),
        opt(&c.new.grade),
        score(c.new.score)
    );
    if c.is_empty() {
        let _ = writeln!(s, "\nNo changes.");
        return s;
    }
    for (k, _, st) in &c.added {
        let _ = writeln!(
            s,
            "\n+ added    {}  grade {} ({}){}  {} failing, {} alerts",
            safe(&subject::<Plain>(k)),
            opt(&st.grade),
            score(st.score),
            st.health
                .as_ref()
                .map(|h| format!("  health {h}"))
                .unwrap_or_default(),
            st.failing.len(),
            st.alerts.len()
        );
        for a in st.alerts.values() {
            let _ = writeln!(
                s,
                "    + alert    {} {}",
                symbol(a.severity),
                safe(&alert_text(a))
            );
        }
    }
    for (k, _, st) in &c.removed {
        let _ = writeln!(
            s,
            "\n- removed  {}  (was grade {})",
            safe(&subject::<Plain>(k)),
            opt(&st.grade)
        );
    }
    for ch in &c.changed {
        let mark = if ch.regressed() {
            "▼ worse  "
        } else {
            "~ changed"
        };
        let _ = writeln!(s, "\n{mark}  {}", safe(&subject::<Plain>(&ch.key)));
        for line in ch.lines() {
            let _ = match line {
                Line::Grade => writeln!(
                    s,
                    "    grade    {} → {} (score {} → {})",
                    opt(&ch.old.grade),
                    opt(&ch.new.grade),
                    score(ch.old.score),
                    score(ch.new.score)
                ),
                Line::Health => writeln!(
                    s,
                    "    health   {} → {}",
                    opt(&ch.old.health),
                    opt(&ch.new.health)
                ),
                Line::NewAlert(f) => writeln!(
                    s,
                    "    + alert    {} {}",
                    symbol(f.severity),
                    safe(&alert_text(f))
                ),
                Line::NewlyFailing(f) => writeln!(
                    s,
                    "    + failing  {} {}: {}",
                    symbol(f.severity),
                    safe(&f.check),
                    safe(&f.message)
                ),
                Line::ResolvedAlert(f) => {
                    writeln!(s, "    - resolved {} ({})", safe(&f.reason), safe(&f.check))
                }
                Line::Fixed(f) => writeln!(s, "    - fixed    {}", safe(&f.check)),
            };
        }
    }
    let _ = writeln!(
        s,
        "\n{} added, {} removed, {} changed ({} worse)",
        c.added.len(),
        c.removed.len(),
        c.changed.len(),
        c.worse()
    );
    crate::text::safe_lines(&s).into_owned()
}

/// Markdown, for a ticket or a pull request comment.
pub fn render_markdown(c: &Changes) -> String {
    use markdown::{code, text};
    let sub = subject::<Md>;
    let opt = |s: &Option<String>| text(opt(s));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# What changed: {} → {}\n",
        text(&c.old.source),
        text(&c.new.source)
    );
    let _ = writeln!(
        s,
        "{} → {} · cluster grade **{}** ({}) → **{}** ({})\n",
        text(&c.old.evaluated_at),
        text(&c.new.evaluated_at),
        opt(&c.old.grade),
        score(c.old.score),
        opt(&c.new.grade),
        score(c.new.score)
    );
    let _ = writeln!(
        s,
        "{} added · {} removed · {} changed · **{} worse**\n",
        c.added.len(),
        c.removed.len(),
        c.changed.len(),
        c.worse()
    );
    if !c.changed.is_empty() {
        let _ = writeln!(s, "## Changed\n");
        for ch in &c.changed {
            let mark = if ch.regressed() {
                "▼ worse"
            } else {
                "changed"
            };
            let _ = writeln!(s, "### {} — {mark}\n", sub(&ch.key));
            for line in ch.lines() {
                let _ = match line {
                    Line::Grade => writeln!(
                        s,
                        "- grade {} → **{}** (score {} → {})",
                        opt(&ch.old.grade),
                        opt(&ch.new.grade),
                        score(ch.old.score),
                        score(ch.new.score)
                    ),
                    Line::Health => writeln!(
                        s,
                        "- health {} → **{}**",
                        opt(&ch.old.health),
                        opt(&ch.new.health)
                    ),
                    Line::NewAlert(f) => writeln!(
                        s,
                        "- new alert {} **{}** ({}): {}",
                        symbol(f.severity),
                        text(&f.reason),
                        code(&f.check),
                        text(&f.message)
                    ),
                    Line::NewlyFailing(f) => writeln!(
                        s,
                        "- newly failing {} {} {}: {}",
                        symbol(f.severity),
                        f.severity,
                        code(&f.check),
                        text(&f.message)
                    ),
                    Line::ResolvedAlert(f) => writeln!(
                        s,
                        "- resolved alert {} ({})",
                        text(&f.reason),
                        code(&f.check)
                    ),
                    Line::Fixed(f) => writeln!(s, "- fixed {}", code(&f.check)),
                };
            }
            s.push('\n');
        }
    }
    if !c.added.is_empty() {
        let _ = writeln!(
            s,
            "## Added\n\n| Subject | Grade | Health | Failing | Alerts |\n|---|:-:|---|--:|--:|"
        );
        for (k, _, st) in &c.added {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                sub(k).replace('|', "\\|"),
                opt(&st.grade),
                opt(&st.health),
                st.failing.len(),
                st.alerts.len()
            );
        }
        s.push('\n');
    }
    if !c.removed.is_empty() {
        let _ = writeln!(s, "## Removed\n");
        for (k, _, st) in &c.removed {
            let _ = writeln!(s, "- {} (was grade {})", sub(k), opt(&st.grade));
        }
        s.push('\n');
    }
    if c.is_empty() {
        let _ = writeln!(s, "No changes.");
    }
    crate::text::safe_lines(&s).into_owned()
}

fn finding_json(f: &Finding) -> Value {
    let mut v = json!({"check": f.check, "severity": f.severity.name(), "message": f.message});
    if !f.reason.is_empty() {
        v["reason"] = json!(f.reason);
    }
    v
}

fn state_json(k: &Key, workload: bool, st: &State) -> Value {
    json!({
        "kind": k.0, "namespace": k.1, "name": k.2, "workload": workload,
        "grade": st.grade, "score": st.score, "health": st.health,
        "failing": st.failing.values().map(finding_json).collect::<Vec<_>>(),
        "alerts": st.alerts.values().map(finding_json).collect::<Vec<_>>(),
    })
}

/// The machine-readable diff.
pub fn to_json(c: &Changes) -> Value {
    let side = |s: &SideInfo| json!({"source": s.source, "evaluated_at": s.evaluated_at, "grade": s.grade, "score": s.score});
    let pair = |a: &Option<String>, b: &Option<String>| {
        if a == b {
            Value::Null
        } else {
            json!({"old": a, "new": b})
        }
    };
    json!({
        "schema_version": 1,
        "old": side(&c.old),
        "new": side(&c.new),
        "regressed": c.regressed(),
        "added": c.added.iter().map(|(k, w, s)| state_json(k, *w, s)).collect::<Vec<_>>(),
        "removed": c.removed.iter().map(|(k, w, s)| state_json(k, *w, s)).collect::<Vec<_>>(),
        "changed": c.changed.iter().map(|ch| json!({
            "kind": ch.key.0, "namespace": ch.key.1, "name": ch.key.2, "workload": ch.workload,
            "regressed": ch.regressed(),
            "grade": pair(&ch.old.grade, &ch.new.grade),
            "score": {"old": ch.old.score, "new": ch.new.score},
            "health": pair(&ch.old.health, &ch.new.health),
            "newly_failing": ch.newly_failing.iter().map(finding_json).collect::<Vec<_>>(),
            "fixed": ch.fixed.iter().map(finding_json).collect::<Vec<_>>(),
            "new_alerts": ch.new_alerts.iter().map(finding_json).collect::<Vec<_>>(),
            "resolved_alerts": ch.resolved_alerts.iter().map(finding_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(check: &str) -> Finding {
        Finding {
            check: check.into(),
            severity: Severity::Warning,
            reason: String::new(),
            message: String::new(),
        }
    }

    #[test]
    fn lines_list_grade_health_then_worse_then_better() {
        let state = |grade: &str| State {
            grade: Some(grade.into()),
            score: None,
            health: Some("healthy".into()),
            failing: BTreeMap::new(),
            alerts: BTreeMap::new(),
        };
        let (fixed, failing) = (finding("a"), finding("b"));
        let mut change = Change {
            key: ("Deployment".into(), "shop".into(), "web".into()),
            workload: true,
            old: state("A"),
            new: state("C"),
            newly_failing: vec![failing.clone()],
            fixed: vec![fixed.clone()],
            new_alerts: Vec::new(),
            resolved_alerts: Vec::new(),
        };
        assert_eq!(
            change.lines(),
            vec![
                Line::Grade,
                Line::NewlyFailing(&failing),
                Line::Fixed(&fixed)
            ]
        );
        change.new = state("A");
        change.newly_failing.clear();
        change.fixed.clear();
        assert!(change.is_empty());
    }
}
