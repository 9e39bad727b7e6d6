//! Admission policy engines beside ValidatingAdmissionPolicy: Kyverno (`kyverno.io/v1`
//! ClusterPolicy) and OPA Gatekeeper (`templates.gatekeeper.sh/v1` ConstraintTemplate). Only
//! whether a policy enforces is read, not what it checks.

use super::karpenter::NoStatus;
use super::{custom_resource, NoSpec};
use serde::{Deserialize, Serialize};

custom_resource!(
    /// A Kyverno ClusterPolicy (whether it enforces or only audits).
    ClusterPolicy, "kyverno.io", "v1", "clusterpolicies", ClusterResourceScope, ClusterPolicySpec, NoStatus
);

custom_resource!(
    /// A Gatekeeper ConstraintTemplate (metadata only).
    ConstraintTemplate, "templates.gatekeeper.sh", "v1", "constrainttemplates", ClusterResourceScope, NoSpec, NoStatus
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClusterPolicySpec {
    /// `Enforce` or `Audit` (Kyverno's default) for every rule, in older policies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_failure_action: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<PolicyRule>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyRule {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validate: Option<Validate>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Validate {
    /// A rule's own `Enforce` or `Audit`, in newer policies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_action: Option<String>,
}

impl ClusterPolicy {
    /// Whether a validate rule of the policy denies (rather than only reports) a violation.
    pub fn enforces(&self) -> bool {
        let enforce = |a: Option<&str>| a.is_some_and(|a| a.eq_ignore_ascii_case("enforce"));
        let default = self.spec.validation_failure_action.as_deref();
        self.spec.rules.iter().any(|r| {
            r.validate
                .as_ref()
                .is_some_and(|v| enforce(v.failure_action.as_deref().or(default)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_cluster_policy_enforces_by_its_own_or_its_rules_action() {
        let p = |spec| -> ClusterPolicy {
            serde_json::from_value(json!({"metadata": {"name": "p"}, "spec": spec})).unwrap()
        };
        let rule = json!({"name": "no-privileged", "validate": {"pattern": {}}});
        assert!(p(json!({"validationFailureAction": "Enforce", "rules": [rule]})).enforces());
        assert!(!p(json!({"validationFailureAction": "Audit", "rules": [rule]})).enforces());
        assert!(
            !p(json!({"rules": [rule]})).enforces(),
            "Kyverno defaults to Audit"
        );
        let own = json!({"name": "r", "validate": {"failureAction": "Enforce"}});
        assert!(p(json!({"validationFailureAction": "Audit", "rules": [own]})).enforces());
        // A mutate-only policy denies nothing.
        let mutate = json!({"name": "m", "mutate": {}});
        assert!(!p(json!({"validationFailureAction": "Enforce", "rules": [mutate]})).enforces());
    }
}
