//! Team policies as data: custom checks written in CEL ([`custom`]) and the cluster's own
//! ValidatingAdmissionPolicies ([`vap`]), both compiled once by [`cel`] and evaluated on every
//! workload like built-in checks.

pub mod cel;
pub mod custom;
pub mod fields_read;
pub mod namespace_values;
pub mod shared_value;
mod to_val;
pub mod vap;

use crate::checks::{CheckResult, Context, Status, Verdict};
use crate::cluster::Workload;

/// The results of the config's custom checks and of the cluster's admission policies on one
/// workload, as built-in checks give theirs. The variables are converted once per workload,
/// and only when a check or policy grades it.
pub fn workload_results(
    w: &Workload,
    cx: &Context,
    custom_checks: &[custom::CustomCheck],
    policies: Option<&vap::AdmissionPolicies>,
) -> Vec<CheckResult> {
    let has_policies = policies.is_some_and(|p| !p.policies.is_empty());
    if custom_checks.is_empty() && !has_policies {
        return Vec::new();
    }
    // What the expressions graded here read, together: the object is converted with those of
    // its fields only, once, when the first expression reads it.
    let mut reads = cel::Needs::default();
    for c in custom_checks {
        if c.applies_to_kind(&w.key.kind) {
            reads = reads.union(c.expression.needs());
        }
    }
    for p in policies.iter().flat_map(|p| &p.policies) {
        reads = reads.union(p.needs);
    }
    let mut out =
        Vec::with_capacity(custom_checks.len() + policies.map_or(0, |p| p.policies.len()));
    let mut activation = None;
    let namespace = || namespace_values::value(cx.model, &w.key.namespace);
    for c in custom_checks {
        let check = c.check.0;
        let verdict = if c.applies_to_kind(&w.key.kind) {
            let mut evaluate = || {
                let a =
                    activation.get_or_insert_with(|| custom::activation_with(w, namespace, reads));
                c.expression.evaluate(a)
            };
            let outcome = if c.expression.needs().only_namespace_object() {
                namespace_values::outcome(cx.model, &w.key.namespace, &c.expression, evaluate)
            } else {
                evaluate()
            };
            let f = c.finding(&w.key, outcome);
            let containers = container_items(w, &f.items);
            Verdict::new(f.status, f.message).containers(containers)
        } else {
            let kinds: Vec<&str> = c.applies_to.iter().map(|k| k.name()).collect();
            Verdict::na(format!("applies to {} only", kinds.join(", ")))
        };
        out.push(check.result(verdict));
    }
    if let Some(policies) = policies.filter(|_| has_policies) {
        let a = activation.get_or_insert_with(|| custom::activation_with(w, namespace, reads));
        for (p, f) in policies.grade_workload(cx.model, w, a) {
            out.push(p.check.0.result(Verdict::new(f.status, f.message)));
        }
    }
    debug_assert!(out.iter().all(|r| r.status != Status::Waived));
    out
}

/// The failing items that name containers of the workload's pod template (init containers and
/// sidecars too), once each, in the expression's order: a finding about containers marks them
/// as a built-in check's does.
pub fn container_items(w: &Workload, items: &[String]) -> Vec<String> {
    let Some(spec) = w.template.spec.as_ref() else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let named = crate::checks::context::containers(spec).any(|c| c.name() == item);
        if named && !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}
