//! Custom checks: `[[checks]]` entries of the config file and of the files it includes, each a
//! CEL expression graded like a built-in check. Everything that can be wrong with one is found
//! when the config is read, never while grading.

use super::cel::{self, Activation, Expect, Expression, Needs, Outcome, CHECK_VARIABLES};
use super::fields_read::FieldsRead;
use super::shared_value::Variable;
use crate::checks::catalogue::{Category, CheckDef, Subject};
use crate::checks::{Severity, Status};
use crate::cluster::object::Kind;
use crate::cluster::packed::Packed;
use crate::cluster::{Workload, WorkloadKind, WorkloadObject};
use crate::config_file::{glob_matches, read_small_file, ConfigError};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// One `[[checks]]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCheck {
    id: Spanned<String>,
    severity: Spanned<String>,
    category: Option<Spanned<String>>,
    title: Spanned<String>,
    applies_to: Option<Vec<Spanned<String>>>,
    expression: Spanned<String>,
    message: Option<Spanned<String>>,
    why: Option<String>,
    fix: Option<String>,
}

/// A file named by `include`: custom checks only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IncludedFile {
    #[serde(default)]
    checks: Vec<RawCheck>,
}

/// A custom check, compiled.
#[derive(Clone, Debug)]
pub struct CustomCheck {
    pub id: String,
    pub severity: Severity,
    pub category: Category,
    pub title: String,
    /// The workload kinds it grades; empty means every kind.
    pub applies_to: Vec<WorkloadKind>,
    pub expression: Arc<Expression>,
    /// The fail message, with `{name}`, `{namespace}`, `{kind}` and `{items}` filled in.
    pub message: String,
    pub why: String,
    pub fix: String,
    /// The file and line it was defined at.
    pub source: String,
    pub line: usize,
    /// Its entry in the registry, which stamps its results.
    pub check: Registered,
    /// The message of a pass, made once.
    met: String,
}

/// A check's entry in the registry, as a custom check or admission policy keeps it.
#[derive(Clone, Copy)]
pub struct Registered(pub &'static crate::checks::registry::Check);

impl std::fmt::Debug for Registered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.def.id)
    }
}

impl PartialEq for CustomCheck {
    fn eq(&self, other: &CustomCheck) -> bool {
        self.id == other.id
            && self.source == other.source
            && self.line == other.line
            && self.expression.source == other.expression.source
    }
}

/// The placeholders a message may use.
const PLACEHOLDERS: &[&str] = &["name", "namespace", "kind", "items"];

/// The categories a custom check may be filed under: those of workload checks.
const CATEGORIES: &[Category] = &[
    Category::Probes,
    Category::Resources,
    Category::Availability,
    Category::Rollout,
    Category::Security,
    Category::Configuration,
    Category::Operability,
];

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The prefix of an id (`acme` in `acme.team-label`).
fn prefix(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

/// Whether `id` is a well-formed custom id: a prefix and a name, lowercase letters, digits and
/// dashes.
fn is_check_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Reads the `[[checks]]` entries of one file. `text` is the file's text, for lines.
pub fn compile_all(
    raw: Vec<RawCheck>,
    text: &str,
    file: &str,
    seen: &mut Vec<CustomCheck>,
) -> Result<(), ConfigError> {
    let err = |offset: usize, message: String| ConfigError {
        file: file.to_string(),
        line: line_of(text, offset),
        message,
    };
    for r in raw {
        let id = r.id.get_ref().clone();
        let at_id = r.id.span().start;
        if !is_check_id(&id) {
            return Err(err(
                at_id,
                format!(
                    "checks.id: `{id}` is not a check id; use your own prefix and a name in \
                     lowercase, such as `acme.team-label`"
                ),
            ));
        }
        let built_in = crate::checks::registry::all().any(|c| prefix(c.def.id) == prefix(&id));
        if built_in || prefix(&id) == "vap" {
            return Err(err(
                at_id,
                format!(
                    "checks.id: `{id}` uses the built-in prefix `{}.`; give custom checks a \
                     prefix of your own",
                    prefix(&id)
                ),
            ));
        }
        if let Some(other) = seen.iter().find(|c| c.id == id) {
            return Err(err(
                at_id,
                format!(
                    "checks.id: `{id}` is already defined at {}:{}",
                    other.source, other.line
                ),
            ));
        }
        let Some(severity) = Severity::parse(r.severity.get_ref()) else {
            return Err(err(
                r.severity.span().start,
                format!(
                    "checks.severity: `{}` is not a severity; use critical, warning or info",
                    r.severity.get_ref()
                ),
            ));
        };
        let category = match &r.category {
            None => Category::Operability,
            Some(c) => *CATEGORIES
                .iter()
                .find(|k| k.name() == c.get_ref())
                .ok_or_else(|| {
                    err(
                        c.span().start,
                        format!(
                            "checks.category: `{}` is not a workload category; use one of {}",
                            c.get_ref(),
                            CATEGORIES
                                .iter()
                                .map(|k| k.name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })?,
        };
        let mut applies_to = Vec::new();
        for k in r.applies_to.iter().flatten() {
            let kind = WorkloadKind::from_name(k.get_ref());
            // A custom controller is named by its kind as pods' owners name it: a CamelCase
            // word, like the modelled kinds.
            let plausible = match &kind {
                WorkloadKind::Custom(name) => {
                    Kind::from_name(name).is_none()
                        && name.starts_with(|c: char| c.is_ascii_uppercase())
                        && name.chars().all(|c| c.is_ascii_alphanumeric())
                }
                _ => true,
            };
            if !plausible {
                return Err(err(
                    k.span().start,
                    format!(
                        "checks.applies-to: `{}` is not a workload kind; use Deployment, \
                         StatefulSet, DaemonSet, CronJob, Job, ReplicaSet, Pod or a custom \
                         controller's kind such as Rollout",
                        k.get_ref()
                    ),
                ));
            }
            applies_to.push(kind);
        }
        let message = match &r.message {
            None => format!("{}: not met", r.title.get_ref()),
            Some(m) => {
                if let Some(bad) = unknown_placeholder(m.get_ref()) {
                    return Err(err(
                        m.span().start,
                        format!(
                            "checks.message: `{{{bad}}}` is not a placeholder; use {}",
                            PLACEHOLDERS
                                .iter()
                                .map(|p| format!("{{{p}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                m.get_ref().clone()
            }
        };
        let expression = expression_of(&r.expression, text, file)?;
        let line = line_of(text, at_id);
        let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
        let check = crate::checks::registry::register(
            CheckDef {
                id: leak(&id),
                category,
                severity,
                subject: Subject::Workload,
                title: leak(r.title.get_ref()),
                fails_when: leak(&format!(
                    "the CEL expression `{}` fails",
                    r.expression.get_ref().trim()
                )),
                why: leak(r.why.as_deref().unwrap_or("")),
                fix: leak(r.fix.as_deref().unwrap_or("")),
            },
            format!("{file}:{line}"),
        );
        seen.push(CustomCheck {
            check: Registered(check),
            met: format!("{}: met", r.title.get_ref()),
            id,
            severity,
            category,
            title: r.title.into_inner(),
            applies_to,
            expression: Arc::new(expression),
            message,
            why: r.why.unwrap_or_default(),
            fix: r.fix.unwrap_or_default(),
            source: file.to_string(),
            line,
        });
    }
    Ok(())
}

/// Compiles an `expression` value, placing an error at its line in the file.
fn expression_of(
    value: &Spanned<String>,
    text: &str,
    file: &str,
) -> Result<Expression, ConfigError> {
    let source = value.get_ref();
    let compiled =
        cel::compile(source, &CHECK_VARIABLES, Expect::Check).and_then(|e| match &e.unsupported {
            None => Ok(e),
            Some(u) => Err(cel::CompileError {
                line: 1,
                column: 1,
                message: format!("{}; a check cannot use it", u.0.trim_start_matches("it ")),
            }),
        });
    compiled.map_err(|e| {
        let start = value.span().start;
        let raw = &text[start.min(text.len())..];
        // A multi-line string's text starts on the line after its opening quotes.
        let skip = usize::from(
            (raw.starts_with("\"\"\"") || raw.starts_with("'''"))
                && raw[3..].starts_with(['\n', '\r']),
        );
        ConfigError {
            file: file.to_string(),
            line: line_of(text, start) + skip + e.line - 1,
            message: format!("checks.expression: {}", e.render(source)),
        }
    })
}

fn unknown_placeholder(message: &str) -> Option<&str> {
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Some(name);
        }
        rest = &after[close + 1..];
    }
    None
}

/// The files an `include` pattern names, relative to the config file's folder, sorted; `*`
/// and `?` match within the file name only.
pub fn included_files(config_dir: &Path, pattern: &str) -> std::io::Result<Vec<PathBuf>> {
    let path = config_dir.join(pattern);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !name.contains(['*', '?']) {
        return Ok(vec![path]);
    }
    let dir = path.parent().unwrap_or(config_dir);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let file = entry.file_name().to_string_lossy().into_owned();
        if glob_matches(&name, &file) && entry.file_type()?.is_file() {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// Reads one included file's custom checks.
pub fn load_included(path: &Path, seen: &mut Vec<CustomCheck>) -> Result<(), ConfigError> {
    let file = path.display().to_string();
    let text = read_small_file(path).map_err(|e| ConfigError {
        file: file.clone(),
        line: 0,
        message: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file (named by `include`)".to_string(),
            _ => format!("cannot read the included file: {e}"),
        },
    })?;
    let raw: IncludedFile = toml::from_str(&text).map_err(|e| ConfigError {
        file: file.clone(),
        line: line_of(&text, e.span().map(|s| s.start).unwrap_or(0)),
        message: e.message().trim().to_string(),
    })?;
    compile_all(raw.checks, &text, &file, seen)
}

/// A finding of a custom check: what the registry turns into a result.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub status: Status,
    pub message: String,
    /// The failing items a list expression returned.
    pub items: Vec<String>,
}

impl CustomCheck {
    /// Whether it grades workloads of `kind`.
    pub fn applies_to_kind(&self, kind: &WorkloadKind) -> bool {
        self.applies_to.is_empty() || self.applies_to.contains(kind)
    }

    /// Grades one workload whose variables are `activation`.
    pub fn grade(&self, key: &crate::cluster::WorkloadKey, activation: &Activation) -> Finding {
        self.finding(key, self.expression.evaluate(activation))
    }

    /// The finding on one workload for its expression's outcome.
    pub fn finding(&self, key: &crate::cluster::WorkloadKey, outcome: Outcome) -> Finding {
        match outcome {
            Outcome::Pass => Finding {
                status: Status::Pass,
                message: self.met.clone(),
                items: Vec::new(),
            },
            Outcome::Fail(items) => Finding {
                status: Status::Fail,
                message: fill(&self.message, key, &items),
                items,
            },
            Outcome::Unknown(why) => Finding {
                status: Status::Unknown,
                message: why,
                items: Vec::new(),
            },
        }
    }
}

/// The message with its placeholders filled in.
pub fn fill(message: &str, key: &crate::cluster::WorkloadKey, items: &[String]) -> String {
    if !message.contains('{') {
        return message.to_string();
    }
    message
        .replace("{name}", &key.name)
        .replace("{namespace}", &key.namespace)
        .replace("{kind}", key.kind.name())
        .replace("{items}", &items.join(", "))
}

/// The variables a custom check sees for one workload, as a ValidatingAdmissionPolicy would:
/// `object` (the controller as shipshape holds it: pruned, credentials redacted),
/// `namespaceObject`, and for brevity `podSpec` and `containers` (init containers, sidecars
/// among them, then the app containers). Each is converted when an expression first reads it.
pub fn activation<'a>(
    workload: &'a Workload<'a>,
    namespace: Option<&'a k8s_openapi::api::core::v1::Namespace>,
) -> Activation<'a> {
    activation_for(workload, namespace, Needs::ALL)
}

/// As [`activation`], with only the fields of `object` that `reads` names converted (the
/// union of what the expressions evaluated on it read).
pub fn activation_for<'a>(
    workload: &'a Workload<'a>,
    namespace: Option<&'a k8s_openapi::api::core::v1::Namespace>,
    reads: Needs,
) -> Activation<'a> {
    activation_with(
        workload,
        move || namespace.map_or_else(Variable::null, Variable::of),
        reads,
    )
}

/// As [`activation_for`], with `namespace` giving the value of `namespaceObject` when an
/// expression first reads it.
pub fn activation_with<'a>(
    workload: &'a Workload<'a>,
    namespace: impl Fn() -> Variable + 'a,
    reads: Needs,
) -> Activation<'a> {
    // `containers` is made of `podSpec`'s container maps, shared, not converted twice.
    let pod_spec: std::cell::OnceCell<Variable> = std::cell::OnceCell::new();
    Activation::lazy(Some(Box::new(move |name| {
        Some(variable(workload, &namespace, reads, &pod_spec, name))
    })))
}

fn variable(
    workload: &Workload<'_>,
    namespace: &dyn Fn() -> Variable,
    reads: Needs,
    pod_spec: &std::cell::OnceCell<Variable>,
    name: &str,
) -> Variable {
    let spec = || {
        pod_spec.get_or_init(|| {
            workload
                .template
                .spec
                .as_ref()
                .map_or_else(Variable::null, |s| pod_spec_value(s, reads.fields))
        })
    };
    match name {
        "object" => match workload.controller.kind() {
            Some(_) => controller_value(workload, reads, &|| spec().share()),
            None => {
                // The controller is not in the model (a custom kind): what is known of it.
                let mut o = serde_json::Map::new();
                o.insert("kind".into(), workload.key.kind.name().into());
                o.insert(
                    "metadata".into(),
                    serde_json::to_value(&*workload.meta).unwrap_or_default(),
                );
                o.insert(
                    "spec".into(),
                    serde_json::json!({ "template": serde_json::to_value(&*workload.template).unwrap_or_default() }),
                );
                Variable::of(&o)
            }
        },
        "podSpec" => spec().share(),
        "containers" => {
            let spec = spec();
            Variable::concat([spec.entry("initContainers"), spec.entry("containers")])
        }
        "namespaceObject" => namespace(),
        "oldObject" => Variable::null(),
        "request" => {
            // What an admission request for creating the object would say, for admission
            // policies.
            let (group, resource) = workload
                .key
                .kind
                .object_kind()
                .map_or(("", ""), |k| (k.group(), k.plural()));
            let request = serde_json::json!({
                "operation": "CREATE",
                "kind": {"group": group, "version": "v1", "kind": workload.key.kind.name()},
                "resource": {"group": group, "version": "v1", "resource": resource},
                "namespace": workload.key.namespace,
                "name": workload.key.name,
                "dryRun": true,
            });
            Variable::of(&request)
        }
        _ => Variable::null(),
    }
}

/// The parts of a controller an expression may read, each converted on its own.
trait Parts: k8s_openapi::Resource + serde::Serialize {
    fn meta(&self) -> &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    /// The spec, without the top-level fields in `skip`, with `extra` entries.
    fn spec_value(
        &self,
        skip: &[&str],
        keep: Keep,
        extra: Vec<(&str, Variable)>,
    ) -> Option<Variable>;
    fn status_value(&self) -> Option<Variable>;
    /// The pod template at `spec.template`, for kinds that have one there.
    fn spec_template(&self) -> Option<&k8s_openapi::api::core::v1::PodTemplateSpec> {
        None
    }
}

/// The top-level fields of a part that are converted; `None` for all of them.
type Keep = Option<FieldsRead>;

/// A top-level field as its object serialises it: an absent optional field is left out.
trait FieldValue {
    fn field_value(
        &self,
        skip: &[&str],
        keep: Keep,
        extra: Vec<(&str, Variable)>,
    ) -> Option<Variable>;
}

impl<T: serde::Serialize> FieldValue for Option<T> {
    fn field_value(
        &self,
        skip: &[&str],
        keep: Keep,
        extra: Vec<(&str, Variable)>,
    ) -> Option<Variable> {
        self.as_ref()
            .map(|v| Variable::of_struct_keeping(v, skip, keep, extra))
    }
}

macro_rules! always_present {
    ($($ty:ty),*) => { $(
        impl FieldValue for $ty {
            fn field_value(&self, skip: &[&str], keep: Keep, extra: Vec<(&str, Variable)>) -> Option<Variable> {
                Some(Variable::of_struct_keeping(self, skip, keep, extra))
            }
        }
    )* };
}

always_present!(
    k8s_openapi::api::apps::v1::DeploymentSpec,
    k8s_openapi::api::apps::v1::StatefulSetSpec,
    k8s_openapi::api::apps::v1::DaemonSetSpec,
    k8s_openapi::api::apps::v1::ReplicaSetSpec,
    k8s_openapi::api::batch::v1::CronJobSpec,
    crate::cluster::crd::rollout::RolloutSpec
);

macro_rules! parts {
    ($($ty:ty $(=> |$o:ident| $template:expr)?),* $(,)?) => { $(
        impl Parts for $ty {
            fn meta(&self) -> &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                &self.metadata
            }
            fn spec_value(&self, skip: &[&str], keep: Keep, extra: Vec<(&str, Variable)>) -> Option<Variable> {
                self.spec.field_value(skip, keep, extra)
            }
            fn status_value(&self) -> Option<Variable> {
                self.status.field_value(&[], None, Vec::new())
            }
            $(fn spec_template(&self) -> Option<&k8s_openapi::api::core::v1::PodTemplateSpec> {
                let $o = self;
                $template
            })?
        }
    )* };
}

parts!(
    k8s_openapi::api::apps::v1::Deployment => |o| Some(&o.spec.template),
    k8s_openapi::api::apps::v1::StatefulSet => |o| Some(&o.spec.template),
    k8s_openapi::api::apps::v1::DaemonSet => |o| Some(&o.spec.template),
    k8s_openapi::api::apps::v1::ReplicaSet => |o| o.spec.template.as_ref(),
    k8s_openapi::api::batch::v1::CronJob,
    k8s_openapi::api::batch::v1::Job => |o| Some(&o.spec.as_ref()?.template),
    k8s_openapi::api::core::v1::Pod,
    k8s_openapi::api::core::v1::ReplicationController => |o| o.spec.as_ref()?.template.as_ref(),
    crate::cluster::crd::rollout::Rollout => |o| o.spec.template.as_ref(),
);

/// The object with the top-level fields `reads` names: the whole object when an expression
/// passes it whole or reads another field. The spec's pod template, when read, is the
/// workload's template with `podSpec` shared into it (the same value, converted once).
fn object_value<T: Parts>(
    o: &T,
    workload: &Workload<'_>,
    reads: Needs,
    pod_spec: &dyn Fn() -> Variable,
) -> Variable {
    // The workload's template is the one in the spec (a Rollout's `workloadRef` is not).
    let template = o
        .spec_template()
        .filter(|t| std::ptr::eq(*t, &*workload.template));
    parts_value(o, o, template, reads, pod_spec)
}

/// A controller the model holds packed: its parts from the object without its pod spec,
/// whose template is the workload's (decoded once for the whole pass); the whole object,
/// decoded, only when an expression reads it whole.
fn packed_value<K: Parts + WorkloadObject + Clone>(
    o: &Packed<K>,
    workload: &Workload<'_>,
    reads: Needs,
    pod_spec: &dyn Fn() -> Variable,
) -> Variable {
    let template = o.has_template().then_some(&*workload.template);
    parts_value(o, o.without_pod_spec(), template, reads, pod_spec)
}

/// The object's parts as [`object_value`] says; `template` is the object's own template
/// when it is the workload's.
fn parts_value<T: Parts>(
    whole: &impl serde::Serialize,
    o: &T,
    template: Option<&k8s_openapi::api::core::v1::PodTemplateSpec>,
    reads: Needs,
    pod_spec: &dyn Fn() -> Variable,
) -> Variable {
    if reads.object {
        return Variable::of(whole);
    }
    let text = |s: &str| Variable::from_json(&serde_json::Value::String(s.to_string()));
    let mut entries = vec![
        ("apiVersion", text(T::API_VERSION)),
        ("kind", text(T::KIND)),
    ];
    // Metadata and spec hold only the fields the expressions can observe.
    let keep = Some(reads.fields).filter(|f| !f.is_whole());
    if reads.metadata {
        entries.push((
            "metadata",
            Variable::of_struct_keeping(o.meta(), &[], keep, Vec::new()),
        ));
    }
    if reads.spec {
        let spec = match template {
            None => o.spec_value(&[], keep, Vec::new()),
            Some(_) if !reads.spec_template => o.spec_value(&["template"], keep, Vec::new()),
            Some(t) => {
                let spec = t.spec.as_ref().map(|_| ("spec", pod_spec()));
                let template = Variable::of_struct(t, &["spec"], spec.into_iter().collect());
                o.spec_value(&["template"], keep, vec![("template", template)])
            }
        };
        if let Some(spec) = spec {
            entries.push(("spec", spec));
        }
    }
    if let Some(status) = reads.status.then(|| o.status_value()).flatten() {
        entries.push(("status", status));
    }
    Variable::map(entries)
}

fn controller_value(
    workload: &Workload<'_>,
    reads: Needs,
    pod_spec: &dyn Fn() -> Variable,
) -> Variable {
    use crate::cluster::Controller;
    match workload.controller {
        Controller::Deployment(o) => packed_value(o, workload, reads, pod_spec),
        Controller::StatefulSet(o) => packed_value(o, workload, reads, pod_spec),
        Controller::DaemonSet(o) => packed_value(o, workload, reads, pod_spec),
        // Its template is not at `spec.template`: its spec is converted whole.
        Controller::CronJob(o) => object_value(&o.to_k8s(), workload, reads, pod_spec),
        Controller::Job(o) => object_value(o, workload, reads, pod_spec),
        Controller::ReplicaSet(o) => packed_value(o, workload, reads, pod_spec),
        Controller::Pod(o) => object_value(&o.to_k8s(), workload, reads, pod_spec),
        Controller::Rollout(o) => packed_value(o, workload, reads, pod_spec),
        Controller::ReplicationController(o) => packed_value(o, workload, reads, pod_spec),
        Controller::Missing => Variable::null(),
    }
}

/// A pod spec as CEL sees it, with the fields of it and of its containers that `fields`
/// keeps. Its container lists are always there: `containers` is made of them.
fn pod_spec_value(spec: &k8s_openapi::api::core::v1::PodSpec, fields: FieldsRead) -> Variable {
    if fields.is_whole() {
        return Variable::of(spec);
    }
    let keep = Some(fields);
    let list = |items: Vec<Variable>| Variable::list(items);
    let containers = |cs: &[k8s_openapi::api::core::v1::Container]| {
        list(
            cs.iter()
                .map(|c| Variable::of_struct_keeping(c, &[], keep, Vec::new()))
                .collect(),
        )
    };
    let mut extra = vec![("containers", containers(&spec.containers))];
    if let Some(init) = &spec.init_containers {
        extra.push(("initContainers", containers(init)));
    }
    if let Some(ephemeral) = spec.ephemeral_containers.as_ref() {
        if fields.keeps("ephemeralContainers") {
            let each = ephemeral
                .iter()
                .map(|c| Variable::of_struct_keeping(c, &[], keep, Vec::new()))
                .collect();
            extra.push(("ephemeralContainers", list(each)));
        }
    }
    Variable::of_struct_keeping(
        spec,
        &["containers", "initContainers", "ephemeralContainers"],
        keep,
        extra,
    )
}

/// The Namespace object of `name`, when the model has it.
pub fn namespace_object<'m>(
    model: &'m crate::cluster::ClusterModel,
    name: &str,
) -> Option<&'m k8s_openapi::api::core::v1::Namespace> {
    model
        .stores
        .namespaces
        .get(&(String::new(), name.to_string()))
        .map(|n| &**n)
}

/// Every custom check that applies to `workload`, graded on it (one activation for all).
pub fn grade_workload(
    checks: &[CustomCheck],
    model: &crate::cluster::ClusterModel,
    workload: &Workload<'_>,
) -> Vec<(CustomCheck, Finding)> {
    let applicable: Vec<&CustomCheck> = checks
        .iter()
        .filter(|c| c.applies_to_kind(&workload.key.kind))
        .collect();
    if applicable.is_empty() {
        return Vec::new();
    }
    let activation = activation(workload, namespace_object(model, &workload.key.namespace));
    applicable
        .into_iter()
        .map(|c| (c.clone(), c.grade(&workload.key, &activation)))
        .collect()
}
