//! The cluster's own ValidatingAdmissionPolicies, audited against what already runs: each
//! policy is a check `vap.<policy-name>` that fails on every running workload, in a namespace
//! one of its bindings selects, that the policy would reject if it were created today.
//!
//! A policy is evaluated as the API server would on a CREATE of the workload's controller:
//! `matchConstraints` and the binding's `matchResources` (resource rules by kind, namespace and
//! object selectors), `matchConditions`, `variables`, then every validation. What shipshape
//! cannot provide (`params`, `authorizer`, a Kubernetes CEL library it lacks) makes the policy
//! unknown, with the reason said once, on the policy.

use super::cel::{self, Activation, Expect, Expression, Variables};
use super::custom::Finding;
use crate::checks::{Severity, Status};
use crate::cluster::selector::{selector_matches, Labels};
use crate::cluster::{Workload, WorkloadKind};
use k8s_openapi::api::admissionregistration::v1::{
    MatchResources, NamedRuleWithOperations, ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding,
};
use k8s_openapi::api::core::v1::Namespace;
use std::sync::Arc;

/// The variables of a ValidatingAdmissionPolicy's expressions.
pub const POLICY_VARIABLES: Variables = Variables {
    known: &[
        "object",
        "oldObject",
        "request",
        "namespaceObject",
        "variables",
    ],
    unsupported: &["params", "authorizer"],
};

/// The check id prefix of admission policies.
pub const PREFIX: &str = "vap.";

/// One validation, compiled.
#[derive(Debug)]
struct Validation {
    expression: Expression,
    message: Option<String>,
    message_expression: Option<Expression>,
}

/// A policy, compiled, with the bindings that put it in force.
#[derive(Debug)]
pub struct Policy {
    /// `vap.<policy-name>`.
    pub id: String,
    pub name: String,
    /// From the bindings' actions: Deny is critical, Warn a warning, Audit only info.
    pub severity: Severity,
    /// Why the policy cannot be evaluated here, when it cannot; said once, on the policy.
    pub unsupported: Option<String>,
    constraints: Option<MatchResources>,
    bindings: Vec<MatchResources>,
    conditions: Vec<(String, Expression)>,
    variables: Vec<(String, Expression)>,
    validations: Vec<Validation>,
    /// What its expressions read, together.
    pub needs: cel::Needs,
    /// Its entry in the registry, which stamps its results.
    pub check: super::custom::Registered,
}

/// Every policy of the cluster that a binding puts in force.
#[derive(Debug, Default, Clone)]
pub struct AdmissionPolicies {
    pub policies: Vec<Arc<Policy>>,
}

impl PartialEq for AdmissionPolicies {
    fn eq(&self, other: &AdmissionPolicies) -> bool {
        self.policies.len() == other.policies.len()
            && self
                .policies
                .iter()
                .zip(&other.policies)
                .all(|(a, b)| Arc::ptr_eq(a, b))
    }
}

fn compile_or_note(
    source: &str,
    expect: Expect,
    what: &str,
    unsupported: &mut Option<String>,
) -> Option<Expression> {
    match cel::compile(source, &POLICY_VARIABLES, expect) {
        Ok(e) => {
            if let (None, Some(u)) = (&unsupported, &e.unsupported) {
                *unsupported = Some(format!("its {what} {}", u.0.trim_start_matches("it ")));
            }
            Some(e)
        }
        Err(e) => {
            if unsupported.is_none() {
                *unsupported = Some(format!(
                    "its {what} does not compile here (line {}, column {}): {}",
                    e.line, e.column, e.message
                ));
            }
            None
        }
    }
}

impl AdmissionPolicies {
    /// Compiles the policies that at least one binding names; a policy without a binding is
    /// in force nowhere and is left out.
    pub fn new(
        policies: &[ValidatingAdmissionPolicy],
        bindings: &[ValidatingAdmissionPolicyBinding],
    ) -> AdmissionPolicies {
        let mut out = Vec::new();
        let mut sorted: Vec<&ValidatingAdmissionPolicy> = policies.iter().collect();
        sorted.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        for p in sorted {
            let name = p.metadata.name.clone().unwrap_or_default();
            let own: Vec<&ValidatingAdmissionPolicyBinding> = bindings
                .iter()
                .filter(|b| b.spec.policy_name == name)
                .collect();
            if own.is_empty() || name.is_empty() {
                continue;
            }
            let spec = p.spec.clone().unwrap_or_default();
            let mut unsupported = None;
            if spec.param_kind.is_some() || own.iter().any(|b| b.spec.param_ref.is_some()) {
                unsupported = Some(
                    "it takes parameters (paramKind), which shipshape does not read".to_string(),
                );
            }
            let mut conditions = Vec::new();
            for c in spec.match_conditions.iter().flatten() {
                let what = format!("matchCondition {}", c.name);
                if let Some(e) =
                    compile_or_note(&c.expression, Expect::Bool, &what, &mut unsupported)
                {
                    conditions.push((c.name.clone(), e));
                }
            }
            let mut variables = Vec::new();
            for v in spec.variables.iter().flatten() {
                let what = format!("variable {}", v.name);
                if let Some(e) =
                    compile_or_note(&v.expression, Expect::Any, &what, &mut unsupported)
                {
                    variables.push((v.name.clone(), e));
                }
            }
            let mut validations = Vec::new();
            for (i, v) in spec.validations.iter().flatten().enumerate() {
                let what = format!("validation {}", i + 1);
                let message_expression = v.message_expression.as_deref().and_then(|m| {
                    compile_or_note(
                        m,
                        Expect::Any,
                        &format!("{what} messageExpression"),
                        &mut unsupported,
                    )
                });
                if let Some(e) =
                    compile_or_note(&v.expression, Expect::Bool, &what, &mut unsupported)
                {
                    validations.push(Validation {
                        expression: e,
                        message: v.message.clone().filter(|m| !m.trim().is_empty()),
                        message_expression,
                    });
                }
            }
            let actions: Vec<&str> = own
                .iter()
                .flat_map(|b| b.spec.validation_actions.iter().map(String::as_str))
                .collect();
            let severity = if actions.contains(&"Deny") {
                Severity::Critical
            } else if actions.contains(&"Warn") {
                Severity::Warning
            } else {
                Severity::Info
            };
            let id = format!("{PREFIX}{name}");
            let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
            let check = crate::checks::registry::register(
                crate::checks::CheckDef {
                    id: leak(id.clone()),
                    category: crate::checks::Category::Security,
                    severity,
                    subject: crate::checks::Subject::Workload,
                    title: leak(format!("Admission policy {name} would admit it")),
                    fails_when: leak(format!(
                        "a validation of the ValidatingAdmissionPolicy {name} fails on the running object"
                    )),
                    why: leak(format!(
                        "The cluster's own policy {name} would reject this object if it were created or updated today: the next rollout, restore or scale-out from it fails (Deny), or warns (Warn, Audit)."
                    )),
                    fix: leak(format!(
                        "Change the object until the policy admits it, or exclude it in the policy's bindings: `kubectl get validatingadmissionpolicy {name} -o yaml` shows its validations."
                    )),
                },
                format!("ValidatingAdmissionPolicy {name}"),
            );
            let needs = conditions
                .iter()
                .chain(&variables)
                .map(|(_, e)| e)
                .chain(validations.iter().flat_map(|v| {
                    std::iter::once(&v.expression).chain(v.message_expression.as_ref())
                }))
                .fold(cel::Needs::default(), |n, e| n.union(e.needs()));
            out.push(Arc::new(Policy {
                check: super::custom::Registered(check),
                needs,
                id,
                name,
                severity,
                unsupported,
                constraints: spec.match_constraints,
                bindings: own
                    .iter()
                    .map(|b| b.spec.match_resources.clone().unwrap_or_default())
                    .collect(),
                conditions,
                variables,
                validations,
            }));
        }
        AdmissionPolicies { policies: out }
    }

    /// One line per policy shipshape cannot evaluate, to say once.
    pub fn notes(&self) -> Vec<String> {
        self.policies
            .iter()
            .filter_map(|p| {
                p.unsupported
                    .as_ref()
                    .map(|why| format!("admission policy {} is not evaluated: {why}", p.name))
            })
            .collect()
    }
}

/// The API group and resource of a workload kind's objects.
fn resource_of(kind: &WorkloadKind) -> Option<(&'static str, &'static str)> {
    let k = kind.object_kind()?;
    Some((k.group(), k.plural()))
}

fn list_matches(list: &Option<Vec<String>>, value: &str) -> bool {
    list.iter().flatten().any(|v| v == "*" || v == value)
}

/// Whether a rule covers creating objects of this resource.
fn rule_matches(rule: &NamedRuleWithOperations, group: &str, resource: &str, name: &str) -> bool {
    let resources_ok = rule
        .resources
        .iter()
        .flatten()
        .any(|r| r == "*" || r == resource || r == "*/*");
    let names_ok = rule
        .resource_names
        .as_ref()
        .is_none_or(|n| n.is_empty() || n.iter().any(|x| x == name));
    let scope_ok = rule
        .scope
        .as_deref()
        .is_none_or(|s| s == "*" || s == "Namespaced");
    list_matches(&rule.api_groups, group)
        && list_matches(&rule.api_versions, "v1")
        && (list_matches(&rule.operations, "CREATE") || list_matches(&rule.operations, "UPDATE"))
        && resources_ok
        && names_ok
        && scope_ok
}

/// Whether `m` selects the workload: resource rules (none means any, for a binding), minus
/// the excluded ones, the namespace selector on the namespace's labels, the object selector on
/// the controller's labels.
fn resources_match(
    m: &MatchResources,
    rules_required: bool,
    workload: &Workload<'_>,
    namespace_labels: &Labels,
) -> bool {
    let Some((group, resource)) = resource_of(&workload.key.kind) else {
        return false;
    };
    let name = &workload.key.name;
    let rules = m.resource_rules.as_deref().unwrap_or_default();
    if (rules_required || !rules.is_empty())
        && !rules.iter().any(|r| rule_matches(r, group, resource, name))
    {
        return false;
    }
    if m.exclude_resource_rules
        .iter()
        .flatten()
        .any(|r| rule_matches(r, group, resource, name))
    {
        return false;
    }
    let empty = Labels::new();
    let object_labels = workload.meta.labels.as_ref().unwrap_or(&empty);
    m.namespace_selector
        .as_ref()
        .is_none_or(|s| selector_matches(s, namespace_labels))
        && m.object_selector
            .as_ref()
            .is_none_or(|s| selector_matches(s, object_labels))
}

impl Policy {
    /// Whether the policy is in force for this workload: its constraints and at least one of
    /// its bindings select it.
    pub fn selects(&self, workload: &Workload<'_>, namespace: Option<&Namespace>) -> bool {
        let empty = Labels::new();
        let ns_labels = namespace
            .and_then(|n| n.metadata.labels.as_ref())
            .unwrap_or(&empty);
        let constrained = self
            .constraints
            .as_ref()
            .is_some_and(|c| resources_match(c, true, workload, ns_labels));
        constrained
            && self
                .bindings
                .iter()
                .any(|b| resources_match(b, false, workload, ns_labels))
    }

    /// Grades one workload the policy selects; `activation` holds `object` and
    /// `namespaceObject` ([`super::custom::activation`]); `variables` is bound to the policy's.
    pub fn grade(&self, activation: &mut Activation) -> Finding {
        let unknown = |message: String| Finding {
            status: Status::Unknown,
            message,
            items: Vec::new(),
        };
        if let Some(why) = &self.unsupported {
            return unknown(format!(
                "admission policy {} is not evaluated: {why}",
                self.name
            ));
        }
        // Each policy sees its own variables only.
        activation.bind(
            "variables",
            cel::Value::Map(
                std::collections::HashMap::<::cel::objects::Key, cel::Value>::new().into(),
            ),
        );
        for (name, condition) in &self.conditions {
            match condition.value(activation) {
                Ok(cel::Value::Bool(true)) => {}
                Ok(cel::Value::Bool(false)) => {
                    return Finding {
                        status: Status::NotApplicable,
                        message: format!("matchCondition {name} excludes it"),
                        items: Vec::new(),
                    }
                }
                Ok(_) => return unknown(format!("matchCondition {name} did not return a bool")),
                Err(e) => return unknown(format!("matchCondition {name}: {e}")),
            }
        }
        if !self.variables.is_empty() {
            let mut values = std::collections::HashMap::new();
            for (name, v) in &self.variables {
                match v.value(activation) {
                    Ok(value) => {
                        values.insert(::cel::objects::Key::from(name.as_str()), value);
                        // Later variables may read earlier ones.
                        activation.bind("variables", cel::Value::Map(values.clone().into()));
                    }
                    Err(e) => return unknown(format!("variable {name}: {e}")),
                }
            }
        }
        let mut rejected = Vec::new();
        for v in &self.validations {
            match v.expression.value(activation) {
                Ok(cel::Value::Bool(true)) => {}
                Ok(cel::Value::Bool(false)) => {
                    let message = v
                        .message_expression
                        .as_ref()
                        .and_then(|m| match m.value(activation) {
                            Ok(cel::Value::String(s)) if !s.trim().is_empty() => {
                                Some(s.to_string())
                            }
                            _ => None,
                        })
                        .or_else(|| v.message.clone())
                        .unwrap_or_else(|| format!("failed expression: {}", v.expression.source));
                    rejected.push(message);
                }
                Ok(_) => return unknown("a validation did not return a bool".to_string()),
                Err(e) => return unknown(e),
            }
        }
        if rejected.is_empty() {
            Finding {
                status: Status::Pass,
                message: format!("admission policy {} would admit it", self.name),
                items: Vec::new(),
            }
        } else {
            Finding {
                status: Status::Fail,
                message: format!(
                    "admission policy {} would reject it: {}",
                    self.name,
                    rejected.join("; ")
                ),
                items: rejected,
            }
        }
    }
}

/// The most policy documents read from one input.
const MAX_DOCUMENTS: usize = 10_000;

/// The ValidatingAdmissionPolicies and bindings among JSON objects (a List's items too);
/// other kinds are ignored, a malformed policy is an error naming it.
pub fn from_values(
    values: impl IntoIterator<Item = serde_json::Value>,
) -> Result<
    (
        Vec<ValidatingAdmissionPolicy>,
        Vec<ValidatingAdmissionPolicyBinding>,
    ),
    String,
> {
    let (mut policies, mut bindings) = (Vec::new(), Vec::new());
    let mut queue: Vec<serde_json::Value> = values.into_iter().collect();
    let mut seen = 0;
    while let Some(v) = queue.pop() {
        seen += 1;
        if seen > MAX_DOCUMENTS {
            return Err(format!("more than {MAX_DOCUMENTS} objects"));
        }
        let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or_default();
        let api = v
            .get("apiVersion")
            .and_then(|k| k.as_str())
            .unwrap_or_default();
        let name = v
            .pointer("/metadata/name")
            .and_then(|n| n.as_str())
            .unwrap_or("(unnamed)")
            .to_string();
        match (api, kind) {
            (_, "List")
            | (_, "ValidatingAdmissionPolicyList")
            | (_, "ValidatingAdmissionPolicyBindingList") => {
                if let Some(items) = v.get("items").and_then(|i| i.as_array()) {
                    queue.extend(items.iter().rev().cloned());
                }
            }
            ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy") => policies.push(
                serde_json::from_value(v)
                    .map_err(|e| format!("ValidatingAdmissionPolicy {name}: {e}"))?,
            ),
            ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding") => bindings
                .push(
                    serde_json::from_value(v)
                        .map_err(|e| format!("ValidatingAdmissionPolicyBinding {name}: {e}"))?,
                ),
            _ => {}
        }
    }
    policies.reverse();
    bindings.reverse();
    Ok((policies, bindings))
}

/// The policies and bindings in YAML or JSON text (documents separated by `---`).
pub fn from_text(
    text: &str,
) -> Result<
    (
        Vec<ValidatingAdmissionPolicy>,
        Vec<ValidatingAdmissionPolicyBinding>,
    ),
    String,
> {
    use serde::Deserialize;
    let mut values = Vec::new();
    for doc in serde_norway::Deserializer::from_str(text) {
        let value = serde_json::Value::deserialize(doc).map_err(|e| e.to_string())?;
        if !value.is_null() {
            values.push(value);
        }
        if values.len() > MAX_DOCUMENTS {
            return Err(format!("more than {MAX_DOCUMENTS} objects"));
        }
    }
    from_values(values)
}

impl AdmissionPolicies {
    /// Every policy graded on one workload: n/a where no binding selects it.
    pub fn grade_workload(
        &self,
        model: &crate::cluster::ClusterModel,
        workload: &Workload<'_>,
        activation: &mut Activation,
    ) -> Vec<(Arc<Policy>, Finding)> {
        let namespace = super::custom::namespace_object(model, &workload.key.namespace);
        self.policies
            .iter()
            .map(|p| {
                let finding = if p.selects(workload, namespace) {
                    p.grade(activation)
                } else {
                    Finding {
                        status: Status::NotApplicable,
                        message: format!("no binding of admission policy {} selects it", p.name),
                        items: Vec::new(),
                    }
                };
                (p.clone(), finding)
            })
            .collect()
    }
}

/// The policies and bindings a live cluster's watchers put in the model.
pub fn from_model(model: &crate::cluster::ClusterModel) -> AdmissionPolicies {
    let policies: Vec<ValidatingAdmissionPolicy> = model
        .stores
        .validating_admission_policies
        .values()
        .map(|p| (**p).clone())
        .collect();
    let bindings: Vec<ValidatingAdmissionPolicyBinding> = model
        .stores
        .validating_admission_policy_bindings
        .values()
        .map(|b| (**b).clone())
        .collect();
    AdmissionPolicies::new(&policies, &bindings)
}
