//! SARIF 2.1.0 for code-scanning tools: one rule per check of the catalogue, one result per
//! failing (or waived, as suppressed) check. When the input was manifest files, each result
//! points at the file and line where its object starts, so pull requests get annotated.

use crate::checks::{catalogue, CheckDef, CheckResult, Severity, Status};
use crate::cluster::{ClusterModel, Kind, Origin};
use crate::grade::{Grades, IGNORE_ANNOTATION};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};
use std::path::{Component, Path};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF's level for a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(c: &CheckDef) -> Value {
    json!({
        "id": c.id,
        "name": c.id,
        "shortDescription": {"text": c.title},
        "fullDescription": {"text": format!("Fails when {}. {}", c.fails_when, c.why)},
        "help": {
            "text": format!("{}\n\nHow to fix: {}", c.why, c.fix),
            "markdown": help_markdown(c),
        },
        "defaultConfiguration": {"level": level(c.severity)},
        "properties": {
            "category": c.category.name(),
            "tags": ["kubernetes", c.category.name()],
        },
    })
}

fn help_markdown(c: &CheckDef) -> String {
    let (prose, snippet) = super::document::split_fix(c.fix);
    let mut s = format!("{}\n\n**How to fix:** {prose}", c.why);
    if let Some(snippet) = snippet {
        s.push_str(&format!("\n\n```yaml\n{snippet}\n```"));
    }
    s
}

/// The subject of a result, for messages, logical locations and fingerprints.
struct Subject<'a> {
    kind: &'a str,
    namespace: &'a str,
    name: &'a str,
}

impl Subject<'_> {
    fn qualified(&self) -> String {
        if self.namespace.is_empty() {
            format!("{}/{}", self.kind, self.name)
        } else {
            format!("{}/{}/{}", self.namespace, self.kind, self.name)
        }
    }
}

/// Renders the log; file locations are made relative to `cwd` where they lie under it.
pub fn render(model: &ClusterModel, grades: &Grades, cwd: &Path) -> String {
    let mut out = Vec::with_capacity(64 * 1024);
    write(model, grades, cwd, &mut out).expect("a log writes into memory");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes the log to `out` as the grades are walked: each result is built and written in
/// turn, so the log of a large cluster is never held whole. The text is [`render`]'s.
pub fn write(
    model: &ClusterModel,
    grades: &Grades,
    cwd: &Path,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    super::json_text::write_pretty(
        out,
        &Log {
            model,
            grades,
            cwd,
            rules: catalogue::all().collect(),
        },
    )
}

/// The log, written with its keys in alphabetical order as serde_json's own map writes them.
struct Log<'a> {
    model: &'a ClusterModel,
    grades: &'a Grades,
    cwd: &'a Path,
    rules: Vec<&'static CheckDef>,
}

impl Serialize for Log<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut log = s.serialize_map(Some(3))?;
        log.serialize_entry("$schema", SCHEMA)?;
        log.serialize_entry("runs", &[Run(self)])?;
        log.serialize_entry("version", "2.1.0")?;
        log.end()
    }
}

struct Run<'l, 'a>(&'l Log<'a>);

impl Serialize for Run<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Log { model, rules, .. } = self.0;
        let mut run = s.serialize_map(Some(4))?;
        run.serialize_entry("invocations", &json!([{"executionSuccessful": true}]))?;
        run.serialize_entry(
            "properties",
            &json!({"source": model.facts.source, "evaluatedAt": model.now().to_rfc3339()}),
        )?;
        run.serialize_entry("results", &Results(self.0))?;
        run.serialize_entry(
            "tool",
            &json!({"driver": {
                "name": "shipshape",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|c| rule(c)).collect::<Vec<_>>(),
            }}),
        )?;
        run.end()
    }
}

/// Every failing or waived result of every subject, workloads first, each built as it is
/// written.
struct Results<'l, 'a>(&'l Log<'a>);

impl Serialize for Results<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Log {
            model,
            grades,
            cwd,
            rules,
        } = self.0;
        let workloads = grades.workloads.values().flat_map(|w| {
            let subject = Subject {
                kind: w.key.kind.name(),
                namespace: &w.key.namespace,
                name: &w.key.name,
            };
            w.results
                .iter()
                .filter_map(move |r| result(model, rules, &subject, r, cwd))
        });
        let objects = grades.objects.values().flat_map(|o| {
            let subject = Subject {
                kind: o.key.kind(),
                namespace: o.key.namespace(),
                name: o.key.name(),
            };
            o.results
                .iter()
                .filter_map(move |r| result(model, rules, &subject, r, cwd))
        });
        s.collect_seq(workloads.chain(objects))
    }
}

fn result(
    model: &ClusterModel,
    rules: &[&CheckDef],
    subject: &Subject,
    r: &CheckResult,
    cwd: &Path,
) -> Option<Value> {
    if !matches!(r.status, Status::Fail | Status::Waived) {
        return None;
    }
    let rule_index = rules.iter().position(|c| c.id == r.check)?;
    let mut message = format!("{} {}: {}", subject.kind, display_name(subject), r.message);
    // The rule's help has the catalogue's fix; a fix written for this result goes with it.
    if let (Status::Fail, Some(fix)) = (r.status, r.fix()) {
        message.push_str(&format!("\n\nFix: {fix}"));
    }
    let mut location = json!({
        "logicalLocations": [{
            "name": subject.name,
            "fullyQualifiedName": subject.qualified(),
            "kind": "object",
        }],
    });
    if model.facts.from_manifests {
        if let Some(origin) = origin(model, subject) {
            if let Some(uri) = artifact_uri(&origin.file, cwd) {
                location["physicalLocation"] = json!({
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": origin.line.max(1)},
                });
            }
        }
    }
    let mut out = json!({
        "ruleId": r.check,
        "ruleIndex": rule_index,
        "level": level(r.severity),
        // Code-scanning tools show the message to people: visible escapes, not raw controls.
        "message": {"text": crate::text::safe_lines(&message)},
        "locations": [location],
        "partialFingerprints": {"shipshapeSubject/v1": format!("{}|{}", r.check, subject.qualified())},
        "properties": {
            "severity": r.severity.name(),
            "category": r.category.name(),
            "containers": r.containers(),
        },
    });
    if let Some(reason) = r.waiver() {
        // An annotation lives in the manifest itself; a config waiver outside it.
        let kind = if reason.starts_with(IGNORE_ANNOTATION) {
            "inSource"
        } else {
            "external"
        };
        out["suppressions"] =
            json!([{"kind": kind, "justification": crate::text::safe_lines(reason)}]);
    }
    Some(out)
}

fn display_name(subject: &Subject) -> String {
    if subject.namespace.is_empty() {
        subject.name.to_string()
    } else {
        format!("{}/{}", subject.namespace, subject.name)
    }
}

/// Where the subject's object was read from.
fn origin<'m>(model: &'m ClusterModel, subject: &Subject) -> Option<&'m Origin> {
    let by_kind = Kind::from_name(subject.kind)
        .filter(|k| k.name() == subject.kind)
        .and_then(|k| {
            let ns = if k.namespaced() {
                subject.namespace
            } else {
                ""
            };
            model.origin(k, ns, subject.name)
        });
    by_kind.or_else(|| {
        model
            .removed_api_objects
            .iter()
            .find(|o| {
                o.kind == subject.kind && o.namespace == subject.namespace && o.name == subject.name
            })
            .and_then(|o| o.origin.as_ref())
    })
}

/// The artifact URI for a file as given: relative to `cwd` when it lies below it, with `/`
/// separators and percent-encoding; `file://` for other absolute paths; none for stdin.
pub fn artifact_uri(file: &str, cwd: &Path) -> Option<String> {
    if file == "<stdin>" || file.is_empty() {
        return None;
    }
    let path = Path::new(file);
    let (relative, absolute) = if path.is_absolute() {
        match path.strip_prefix(cwd) {
            Ok(rest) => (rest.to_path_buf(), false),
            Err(_) => (path.to_path_buf(), true),
        }
    } else {
        (path.to_path_buf(), false)
    };
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(percent_encode(&p.to_string_lossy())),
            Component::ParentDir => Some("..".to_string()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
        })
        .collect();
    let joined = parts.join("/");
    Some(if absolute {
        format!("file:///{joined}")
    } else {
        joined
    })
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        let cwd = Path::new("/work/repo");
        assert_eq!(artifact_uri("k8s/web.yaml", cwd).unwrap(), "k8s/web.yaml");
        assert_eq!(artifact_uri("./k8s/web.yaml", cwd).unwrap(), "k8s/web.yaml");
        assert_eq!(
            artifact_uri("/work/repo/k8s/my app.yaml", cwd).unwrap(),
            "k8s/my%20app.yaml"
        );
        assert_eq!(
            artifact_uri("/etc/k8s/web.yaml", cwd).unwrap(),
            "file:///etc/k8s/web.yaml"
        );
        assert_eq!(
            artifact_uri("../x/a#b.yaml", cwd).unwrap(),
            "../x/a%23b.yaml"
        );
        assert_eq!(artifact_uri("<stdin>", cwd), None);
    }

    #[test]
    fn levels_follow_severity() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Info), "note");
    }
}
