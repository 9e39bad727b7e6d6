//! G — namespace guardrails (seeds 002 "LimitRange", "Network Policies", "Pod Security").

use super::catalogue::{def, Section};
use super::context::in_namespace;
use super::registry::{Applies, Check, Grade};
use super::{Category, Context, Severity, Subject, Verdict};
use crate::cluster::selector::selector_is_empty;
use crate::cluster::Kind;
use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyIngressRule, NetworkPolicyPeer,
};

const SECTION: Section = Section {
    category: Category::Namespace,
    subject: Subject::Namespace,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "namespace.default-deny",
            Severity::Warning,
            "The namespace denies ingress by default",
            "no NetworkPolicy with an empty podSelector denying ingress",
            "Without a default-deny policy every pod accepts connections from anywhere in the cluster: one compromised pod can reach every database and admin port, and a forgotten policy silently leaves a new workload open.",
            "Add a policy that selects every pod and allows no ingress, then open what each workload needs with its own policy:\n\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]",
        ),
        applies: Applies::Always,
        needs: &[Kind::NetworkPolicy],
        reads: &[Kind::NetworkPolicy],
        grade: Grade::Namespace(default_deny),
    },
    Check {
        def: def(
            SECTION,
            "namespace.limit-range",
            Severity::Info,
            "The namespace has a LimitRange",
            "no LimitRange",
            "A LimitRange gives containers that forget requests and limits sane defaults, so one unbounded pod cannot starve its neighbours or be scheduled as BestEffort.",
            "Add a LimitRange with default requests and limits:\n\napiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n    - type: Container\n      defaultRequest: {cpu: 100m, memory: 128Mi}\n      default: {memory: 256Mi}",
        ),
        applies: Applies::Always,
        needs: &[Kind::LimitRange],
        reads: &[Kind::LimitRange],
        grade: Grade::Namespace(limit_range),
    },
    Check {
        def: def(
            SECTION,
            "namespace.quota",
            Severity::Info,
            "The namespace has a ResourceQuota",
            "no ResourceQuota",
            "Without a quota a runaway deployment or a scaling mistake in one namespace can consume the whole cluster's capacity.",
            "Cap what the namespace may request:\n\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\nspec:\n  hard:\n    requests.cpu: \"20\"\n    requests.memory: 40Gi\n    limits.memory: 80Gi\n    pods: \"200\"",
        ),
        applies: Applies::Always,
        needs: &[Kind::ResourceQuota],
        reads: &[Kind::ResourceQuota],
        grade: Grade::Namespace(quota),
    },
    Check {
        def: def(
            SECTION,
            "namespace.pod-security",
            Severity::Warning,
            "Pod Security admission is enforced",
            "no pod-security.kubernetes.io/enforce label, or it is privileged",
            "Pod Security admission rejects privileged, host-namespace and root-escalating pods at the door; without an enforce level any workload (or attacker with create rights) can run a pod that owns the node.",
            "Label the namespace with an enforce level (warn first to see what would break):\n\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/warn: restricted",
        ),
        applies: Applies::Always,
        needs: &[Kind::Namespace],
        reads: &[Kind::Namespace],
        grade: Grade::Namespace(pod_security),
    },
];

const ENFORCE: &str = "pod-security.kubernetes.io/enforce";

fn limit_range(namespace: &str, cx: &Context) -> Verdict {
    presence(
        Kind::LimitRange,
        in_namespace(&cx.model.stores.limit_ranges, namespace)
            .filter_map(|o| o.metadata.name.clone())
            .collect(),
    )
}

fn quota(namespace: &str, cx: &Context) -> Verdict {
    presence(
        Kind::ResourceQuota,
        in_namespace(&cx.model.stores.resource_quotas, namespace)
            .filter_map(|o| o.metadata.name.clone())
            .collect(),
    )
}

/// Whether the namespace holds an object of `kind` (the check needs `kind`, so it is seen).
fn presence(kind: Kind, names: Vec<String>) -> Verdict {
    if names.is_empty() {
        Verdict::fail(format!("the namespace has no {kind}"))
    } else {
        Verdict::pass(format!("{kind} {}", names.join(", ")))
    }
}

fn name_of(np: &NetworkPolicy) -> &str {
    np.metadata.name.as_deref().unwrap_or_default()
}

/// Does the policy select every pod of the namespace and isolate them for ingress?
fn isolates_every_pod(np: &NetworkPolicy) -> bool {
    let Some(spec) = &np.spec else {
        return false;
    };
    let all_pods = spec.pod_selector.as_ref().is_none_or(selector_is_empty);
    // Without policyTypes, Ingress is always implied.
    let ingress = spec
        .policy_types
        .as_ref()
        .filter(|t| !t.is_empty())
        .is_none_or(|t| t.iter().any(|t| t == "Ingress"));
    all_pods && ingress
}

/// A peer that stands for every source: any address, or every pod of every namespace.
fn peer_is_anything(p: &NetworkPolicyPeer) -> bool {
    let any_ip = p.ip_block.as_ref().is_some_and(|b| {
        matches!(b.cidr.as_str(), "0.0.0.0/0" | "::/0")
            && b.except.as_ref().is_none_or(|e| e.is_empty())
    });
    let any_pod = p.ip_block.is_none()
        && p.namespace_selector.as_ref().is_some_and(selector_is_empty)
        && p.pod_selector.as_ref().is_none_or(selector_is_empty);
    any_ip || any_pod
}

/// An ingress rule that lets everything in: no peers (or a catch-all peer) on every port.
fn rule_allows_everything(r: &NetworkPolicyIngressRule) -> bool {
    let any_port = r.ports.as_ref().is_none_or(|p| p.is_empty());
    let any_peer = r
        .from
        .as_ref()
        .is_none_or(|f| f.is_empty() || f.iter().any(peer_is_anything));
    any_port && any_peer
}

fn allows_everything(np: &NetworkPolicy) -> bool {
    np.spec
        .as_ref()
        .and_then(|s| s.ingress.as_ref())
        .is_some_and(|rules| rules.iter().any(rule_allows_everything))
}

fn default_deny(namespace: &str, cx: &Context) -> Verdict {
    let wide: Vec<&NetworkPolicy> = in_namespace(&cx.model.stores.network_policies, namespace)
        .filter(|np| isolates_every_pod(np))
        .collect();
    let (open, deny): (Vec<&NetworkPolicy>, Vec<&NetworkPolicy>) =
        wide.into_iter().partition(|np| allows_everything(np));
    // Policies add up: one that allows everything for every pod undoes any default deny.
    if let Some(o) = open.first() {
        return Verdict::fail(format!(
                "NetworkPolicy {} selects every pod and allows ingress from anywhere, which undoes any default deny",
                name_of(o)
            ),
        );
    }
    match deny.first() {
        Some(np) => Verdict::pass(format!(
            "NetworkPolicy {} denies ingress to every pod by default",
            name_of(np)
        )),
        None => {
            let any = in_namespace(&cx.model.stores.network_policies, namespace).count();
            Verdict::fail(if any == 0 {
                "the namespace has no NetworkPolicy: every pod accepts traffic from anywhere"
                    .to_string()
            } else {
                format!(
                        "none of the {any} NetworkPolicies selects every pod with an empty podSelector to deny ingress"
                    )
            })
        }
    }
}

fn pod_security(namespace: &str, cx: &Context) -> Verdict {
    let Some(ns) = cx
        .model
        .stores
        .namespaces
        .get(&(String::new(), namespace.to_string()))
    else {
        return Verdict::unknown("the Namespace object is not in the input");
    };
    let labels = ns.metadata.labels.as_ref();
    let label = |k: &str| labels.and_then(|l| l.get(k)).map(String::as_str);
    let system = cx.is_system_namespace(namespace);
    match label(ENFORCE) {
        Some(level @ ("baseline" | "restricted")) => {
            Verdict::pass(format!("Pod Security admission enforces `{level}`"))
        }
        None | Some("privileged") if system => Verdict::na(
            "system namespace: its node agents and control-plane pods legitimately run privileged",
        ),
        Some("privileged") => Verdict::fail(format!(
            "{ENFORCE} is `privileged`: any pod, including one that owns the node, is admitted"
        )),
        Some(other) => Verdict::fail(format!(
            "{ENFORCE} is `{other}`, not a Pod Security level (privileged, baseline, restricted)"
        )),
        None => {
            let reporting: Vec<String> = ["warn", "audit"]
                .iter()
                .filter_map(|m| {
                    label(&format!("pod-security.kubernetes.io/{m}")).map(|v| format!("{m}={v}"))
                })
                .collect();
            let mut msg = format!("no {ENFORCE} label: Pod Security admission admits any pod");
            if !reporting.is_empty() {
                msg.push_str(&format!(
                    " ({} only report violations)",
                    reporting.join(", ")
                ));
            }
            Verdict::fail(msg)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::{Severity, Status};
    use crate::config::Config;
    use crate::grade::{grade_all, Grades};
    use crate::source::LoadOptions;
    use crate::testing::{grade, model_with, object, object_result};

    const NS: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce: restricted}\n";
    const DENY: &str = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n";
    const LIMITS: &str = "---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults, namespace: shop}\nspec:\n  limits: [{type: Container, defaultRequest: {cpu: 100m}}]\n";
    const QUOTA: &str = "---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute, namespace: shop}\nspec:\n  hard: {pods: \"10\"}\n";
    const ROW: &str = "Namespace//shop";

    fn guarded() -> String {
        format!("{NS}{DENY}{LIMITS}{QUOTA}")
    }

    fn partial(yaml: &str) -> Grades {
        let opts = LoadOptions {
            partial: true,
            ..Default::default()
        };
        grade_all(&model_with(yaml, &opts), &Config::default())
    }

    #[test]
    fn a_guarded_namespace_passes_everything() {
        let g = grade(&guarded());
        for id in [
            "namespace.default-deny",
            "namespace.limit-range",
            "namespace.quota",
            "namespace.pod-security",
        ] {
            let r = object_result(&g, ROW, id);
            assert_eq!(r.status, Status::Pass, "{id}: {}", r.message);
        }
        assert!(object_result(&g, ROW, "namespace.default-deny")
            .message
            .contains("default-deny"));
        assert!(object_result(&g, ROW, "namespace.limit-range")
            .message
            .contains("defaults"));
        assert!(object_result(&g, ROW, "namespace.pod-security")
            .message
            .contains("restricted"));
        assert_eq!(object(&g, ROW).results.len(), 4);
    }

    #[test]
    fn a_bare_namespace_fails_every_guardrail() {
        let ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
        let g = grade(ns);
        let r = object_result(&g, ROW, "namespace.default-deny");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(r.message.contains("no NetworkPolicy"), "{}", r.message);
        let r = object_result(&g, ROW, "namespace.limit-range");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert!(r.message.contains("LimitRange"));
        let r = object_result(&g, ROW, "namespace.quota");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert!(r.message.contains("ResourceQuota"));
        let r = object_result(&g, ROW, "namespace.pod-security");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(r.message.contains("no pod-security.kubernetes.io/enforce"));
    }

    #[test]
    fn default_deny_variants() {
        // policyTypes omitted and no ingress rules: Ingress is implied, nothing allowed.
        let implied = guarded().replace("  policyTypes: [Ingress]\n", "");
        assert_eq!(
            object_result(&grade(&implied), ROW, "namespace.default-deny").status,
            Status::Pass
        );
        // An explicit empty rule list still denies.
        let empty = guarded().replace("  policyTypes: [Ingress]\n", "  ingress: []\n");
        assert_eq!(
            object_result(&grade(&empty), ROW, "namespace.default-deny").status,
            Status::Pass
        );
        // Egress only: ingress is not isolated.
        let egress = guarded().replace("policyTypes: [Ingress]", "policyTypes: [Egress]");
        let r = object_result(&grade(&egress), ROW, "namespace.default-deny").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("none of the 1"), "{}", r.message);
        // A policy for some pods only is not a default.
        let some = guarded().replace("podSelector: {}", "podSelector: {matchLabels: {app: db}}");
        assert_eq!(
            object_result(&grade(&some), ROW, "namespace.default-deny").status,
            Status::Fail
        );
        // An empty podSelector that only lets in the same namespace still isolates the rest.
        let same_ns = guarded().replace(
            "  policyTypes: [Ingress]\n",
            "  policyTypes: [Ingress]\n  ingress: [{from: [{podSelector: {}}]}]\n",
        );
        assert_eq!(
            object_result(&grade(&same_ns), ROW, "namespace.default-deny").status,
            Status::Pass
        );
    }

    #[test]
    fn an_allow_all_policy_undoes_the_default_deny() {
        let allow_all = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-all, namespace: shop}\nspec:\n  podSelector: {}\n  ingress: [{}]\n";
        let g = grade(&format!("{}{allow_all}", guarded()));
        let r = object_result(&g, ROW, "namespace.default-deny");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("allow-all"), "{}", r.message);
        // A catch-all ipBlock is the same thing.
        let any_ip = allow_all.replace(
            "ingress: [{}]",
            "ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]",
        );
        let g = grade(&format!("{}{any_ip}", guarded()));
        assert_eq!(
            object_result(&g, ROW, "namespace.default-deny").status,
            Status::Fail
        );
        // Restricted to one port, it is a targeted opening, not allow-all.
        let one_port = allow_all.replace("ingress: [{}]", "ingress: [{ports: [{port: 8080}]}]");
        let g = grade(&format!("{}{one_port}", guarded()));
        assert_eq!(
            object_result(&g, ROW, "namespace.default-deny").status,
            Status::Pass
        );
    }

    #[test]
    fn pod_security_levels() {
        let privileged = guarded().replace("enforce: restricted", "enforce: privileged");
        let r = object_result(&grade(&privileged), ROW, "namespace.pod-security").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("`privileged`"), "{}", r.message);
        let baseline = guarded().replace("enforce: restricted", "enforce: baseline");
        assert_eq!(
            object_result(&grade(&baseline), ROW, "namespace.pod-security").status,
            Status::Pass
        );
        let typo = guarded().replace("enforce: restricted", "enforce: strict");
        let r = object_result(&grade(&typo), ROW, "namespace.pod-security").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("`strict`"), "{}", r.message);
        // warn/audit alone only report.
        let warn_only = guarded().replace("enforce: restricted", "warn: restricted");
        let r = object_result(&grade(&warn_only), ROW, "namespace.pod-security").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("warn=restricted"), "{}", r.message);
    }

    #[test]
    fn system_namespaces_may_run_privileged() {
        let ks = "apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n";
        let g = grade(ks);
        let row = "Namespace//kube-system";
        let r = object_result(&g, row, "namespace.pod-security");
        assert_eq!(r.status, Status::NotApplicable);
        assert!(r.message.contains("system namespace"));
        // The other guardrails are still graded (system namespaces do not count in the
        // cluster score anyway).
        assert_eq!(
            object_result(&g, row, "namespace.quota").status,
            Status::Fail
        );
        // An enforce level on a system namespace still passes.
        let labelled = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system\n  labels: {pod-security.kubernetes.io/enforce: baseline}\n";
        assert_eq!(
            object_result(&grade(labelled), row, "namespace.pod-security").status,
            Status::Pass
        );
    }

    #[test]
    fn a_namespace_only_referenced_by_manifests_is_unknown_for_pod_security() {
        let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n";
        let g = grade(svc);
        let r = object_result(&g, ROW, "namespace.pod-security");
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("Namespace object is not in the input"));
        // Absent kinds are known to be empty for full manifest input.
        assert_eq!(
            object_result(&g, ROW, "namespace.limit-range").status,
            Status::Fail
        );
    }

    #[test]
    fn kinds_not_in_a_partial_input_are_unknown() {
        let g = partial(NS);
        for id in [
            "namespace.default-deny",
            "namespace.limit-range",
            "namespace.quota",
        ] {
            let r = object_result(&g, ROW, id);
            assert_eq!(r.status, Status::Unknown, "{id}");
            assert!(r.message.contains("not in the input"), "{}", r.message);
        }
        assert_eq!(
            object_result(&g, ROW, "namespace.pod-security").status,
            Status::Pass
        );
        // A partial input without the Namespace kind cannot judge pod security.
        let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}}\n";
        let g = partial(&format!("{svc}{DENY}"));
        assert_eq!(
            object_result(&g, ROW, "namespace.pod-security").status,
            Status::Unknown
        );
        assert!(object_result(&g, ROW, "namespace.pod-security")
            .message
            .contains("Namespace (not in the input)"));
        assert_eq!(
            object_result(&g, ROW, "namespace.default-deny").status,
            Status::Pass
        );
    }
}
