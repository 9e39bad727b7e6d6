//! `network.policy` — pods that not everything in the cluster can reach (checklist section S;
//! seed 001 "network policies").

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{Category, Context, Severity, Subject, Verdict};
use crate::cluster::{Kind, Workload};
use k8s_openapi::api::core::v1::PodSpec;
use k8s_openapi::api::networking::v1::NetworkPolicy;

const SECTION: Section = Section {
    category: Category::Security,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "network.policy",
            Severity::Warning,
            "A NetworkPolicy restricts ingress",
            "no NetworkPolicy selects the pods for ingress (a default-deny in the namespace counts)",
            "Without a NetworkPolicy every pod in the cluster can connect to these pods: one compromised workload can reach all the others.",
            "Deny ingress by default in the namespace, then allow what is needed:\n\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]",
        ),
        applies: Applies::Always,
        needs: &[Kind::NetworkPolicy],
        reads: &[Kind::NetworkPolicy],
        grade: Grade::Template(policy),
    },
];

/// Does the policy restrict ingress? `policyTypes` including Ingress does; with no
/// `policyTypes` Kubernetes assumes Ingress (plus Egress when egress rules exist).
fn restricts_ingress(np: &NetworkPolicy) -> bool {
    np.spec.as_ref().is_some_and(|s| match &s.policy_types {
        Some(types) if !types.is_empty() => types.iter().any(|t| t == "Ingress"),
        _ => true,
    })
}

fn policy(w: &Workload, _: &PodSpec, cx: &Context) -> Verdict {
    let policies: Vec<String> = cx
        .network_policies_selecting(w)
        .into_iter()
        .filter(|np| restricts_ingress(np))
        .map(|np| {
            let name = np.metadata.name.clone().unwrap_or_default();
            let deny_all = np.spec.as_ref().is_some_and(|s| {
                s.pod_selector
                    .as_ref()
                    .is_none_or(crate::cluster::selector::selector_is_empty)
                    && s.ingress.as_ref().is_none_or(|i| i.is_empty())
            });
            if deny_all {
                format!("{name} (default deny)")
            } else {
                name
            }
        })
        .collect();
    if policies.is_empty() {
        Verdict::fail(format!(
                "no NetworkPolicy in namespace {} restricts ingress to these pods: anything in the cluster can connect to them",
                w.key.namespace
            ),
        )
    } else {
        Verdict::pass(format!(
            "ingress is restricted by NetworkPolicy {}",
            policies.join(", ")
        ))
    }
}
