//! `api.removed`: manifests written in API versions current Kubernetes no longer serves.
//!
//! Only file input can be in a removed version: a live API server serves current versions
//! only, so on a cluster the check is `n/a`. Workloads get the result in their own row;
//! every other object written in a removed version (modelled kinds such as Ingress or
//! PodDisruptionBudget, and kinds shipshape does not model such as RBAC) gets a row of its own.

use super::registry::{Applies, Check, Grade, ObjectVerdict};
use super::{Category, CheckDef, Context, Severity, Subject, Verdict};
use crate::cluster::ingest::{removed_in, replacement_api};
use crate::cluster::{Kind, Workload};
use std::collections::BTreeSet;

const ID: &str = "api.removed";

pub const CHECKS: &[Check] = &[Check {
    def: CheckDef {
    id: ID,
    category: Category::Api,
    severity: Severity::Critical,
    subject: Subject::Object,
    title: "Manifests use API versions Kubernetes still serves",
    fails_when: "apiVersion removed in current Kubernetes (e.g. `extensions/v1beta1` Deployment/Ingress, `policy/v1beta1` PodDisruptionBudget, `autoscaling/v2beta1`/`v2beta2` HPA, `batch/v1beta1` CronJob)",
    why: "The API server rejects an object written in a removed apiVersion: the next `kubectl apply`, Helm upgrade or GitOps sync fails, often in the middle of an incident or a cluster upgrade.",
    fix: "Rewrite the object in the current apiVersion and migrate any fields that changed (`kubectl convert` can help):\n\napiVersion: apps/v1\nkind: Deployment\nspec:\n  selector:\n    matchLabels: {app: web}",
    },
    applies: Applies::Always,
    needs: &[],
    reads: &[],
    grade: Grade::Object {
        workload,
        others,
    },
}];

/// The modelled kind of a workload's controller, when it is in the model.
fn controller_kind(w: &Workload) -> Option<Kind> {
    w.controller.kind()
}

/// The apiVersion to write instead of `api_version` for `kind`.
fn replacement(api_version: &str, kind: &str) -> String {
    match replacement_api(kind) {
        "the current version" => match api_version.split_once('/') {
            // Every removed beta not listed by name graduated to v1 in its own group.
            Some((group, _)) => format!("{group}/v1"),
            None => "v1".to_string(),
        },
        r => r.to_string(),
    }
}

/// What changed besides the apiVersion line, when something did.
fn migration_note(kind: &str) -> &'static str {
    match kind {
        "Deployment" | "DaemonSet" | "ReplicaSet" | "StatefulSet" => {
            " (apps/v1 requires an explicit spec.selector matching the template labels)"
        }
        "Ingress" => {
            " (backends become service.name/service.port, and every path needs a pathType)"
        }
        "PodDisruptionBudget" => {
            " (in policy/v1 an empty selector selects every pod in the namespace)"
        }
        "HorizontalPodAutoscaler" => " (targets move under metrics[].resource.target)",
        _ => "",
    }
}

/// The failing result for `kind` written in removed `api_version`.
fn removed(api_version: &str, kind: &str, release: &str) -> Verdict {
    if kind == "PodSecurityPolicy" {
        return Verdict::fail(format!("{api_version} {kind} was removed in Kubernetes {release}; use Pod Security Admission (namespace labels)"),
        )
        .with_fix("PodSecurityPolicy has no successor kind: delete it and enforce a Pod Security Standard with a label on each namespace:\n\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted");
    }
    let to = replacement(api_version, kind);
    Verdict::fail(format!(
        "{api_version} {kind} was removed in Kubernetes {release}; use {to}"
    ))
    .with_fix(format!(
        "Change the apiVersion line{}:\n\napiVersion: {to}\nkind: {kind}",
        migration_note(kind)
    ))
}

/// The workload's own object.
fn workload(w: &Workload, cx: &Context) -> Verdict {
    let Some(kind) = controller_kind(w) else {
        return Verdict::na(format!(
            "the {} itself is not in the input, so its apiVersion is unknown",
            w.key.kind
        ));
    };
    let written = cx
        .model
        .written_api_version(kind, &w.key.namespace, &w.key.name);
    if let Some(v) = written {
        if let Some(release) = removed_in(v, kind.name()) {
            return removed(v, kind.name(), release);
        }
    }
    if cx.model.facts.from_manifests {
        let v = written.map_or_else(|| kind.api_version(), str::to_string);
        Verdict::pass(format!("{v} {kind} is served by current Kubernetes"))
    } else {
        Verdict::na("read from a live API server, which serves only current API versions")
    }
}

/// Kinds that are not namespaced, for objects shipshape does not model (the file loader
/// gives every unmodelled object a namespace).
fn cluster_scoped(kind: &str) -> bool {
    if let Some(k) = Kind::from_name(kind).filter(|k| k.name() == kind) {
        return !k.namespaced();
    }
    matches!(
        kind,
        "ClusterRole"
            | "ClusterRoleBinding"
            | "PodSecurityPolicy"
            | "CustomResourceDefinition"
            | "APIService"
            | "ValidatingWebhookConfiguration"
            | "MutatingWebhookConfiguration"
            | "CertificateSigningRequest"
            | "CSIDriver"
            | "CSINode"
            | "VolumeAttachment"
            | "RuntimeClass"
            | "FlowSchema"
            | "PriorityLevelConfiguration"
            | "PersistentVolume"
            | "TokenReview"
            | "SubjectAccessReview"
            | "SelfSubjectAccessReview"
            | "SelfSubjectRulesReview"
    )
}

/// Non-workload objects in removed versions: (kind, namespace, name, results).
fn others(cx: &Context) -> Vec<ObjectVerdict> {
    let model = cx.model;
    let mut rows: Vec<ObjectVerdict> = Vec::new();
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();

    let written: Vec<_> = model
        .written_api_versions
        .iter()
        .filter_map(|(key, v)| removed_in(v, key.kind.name()).map(|rel| (key, v, rel)))
        .collect();
    if !written.is_empty() {
        // Workloads carry the result in their own row.
        let workloads: BTreeSet<(String, String, String)> = model
            .workload_keys()
            .into_iter()
            .map(|k| (k.kind.name().to_string(), k.namespace, k.name))
            .collect();
        for (key, v, release) in written {
            let id = (
                key.kind.name().to_string(),
                key.namespace.clone(),
                key.name.clone(),
            );
            if workloads.contains(&id) || !seen.insert(id.clone()) {
                continue;
            }
            rows.push(ObjectVerdict {
                kind: id.0,
                namespace: id.1,
                name: id.2,
                verdict: removed(v, key.kind.name(), release),
            });
        }
    }

    for o in &model.removed_api_objects {
        let Some(release) = removed_in(&o.api_version, &o.kind) else {
            continue;
        };
        let namespace = if cluster_scoped(&o.kind) {
            String::new()
        } else {
            o.namespace.clone()
        };
        let id = (o.kind.clone(), namespace, o.name.clone());
        if !seen.insert(id.clone()) {
            continue;
        }
        rows.push(ObjectVerdict {
            kind: id.0,
            namespace: id.1,
            name: id.2,
            verdict: removed(&o.api_version, &o.kind, release),
        });
    }
    rows.sort_by(|a, b| (&a.kind, &a.namespace, &a.name).cmp(&(&b.kind, &b.namespace, &b.name)));
    rows
}

#[cfg(test)]
mod tests {
    use super::others;
    use crate::checks::{Context, Severity, Status};
    use crate::config::Config;
    use crate::grade::grade_all;
    use crate::testing::{grade, model, object, object_result, result, status};

    const LEGACY_DEPLOYMENT: &str = r#"
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: example/web:1.0}]
"#;

    const LEGACY_OBJECTS: &str = r#"
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
    - host: shop.example.com
      http:
        paths: [{path: /, backend: {serviceName: web, servicePort: 80}}]
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
---
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
---
apiVersion: rbac.authorization.k8s.io/v1beta1
kind: ClusterRole
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1beta1
kind: RoleBinding
metadata: {name: read, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: scheduling.k8s.io/v1beta1
kind: PriorityClass
metadata: {name: high}
value: 1000
"#;

    const CURRENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: example/web:1.0}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
"#;

    #[test]
    fn a_legacy_deployment_fails_with_the_line_to_write() {
        let g = grade(LEGACY_DEPLOYMENT);
        let r = result(&g, "Deployment/shop/web", "api.removed");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(
            r.message,
            "extensions/v1beta1 Deployment was removed in Kubernetes 1.22; use apps/v1"
        );
        let fix = r.fix().unwrap();
        assert!(
            fix.contains("apiVersion: apps/v1\nkind: Deployment"),
            "{fix}"
        );
        assert!(fix.contains("spec.selector"), "{fix}");
        // It is still graded as a Deployment (upgraded in memory).
        assert!(g.workloads.len() == 1);
        // And it is not repeated as an object row.
        assert!(!g.objects.values().any(|o| o.key.kind() == "Deployment"));
    }

    #[test]
    fn other_legacy_workload_versions() {
        let apps_beta = LEGACY_DEPLOYMENT
            .replace("extensions/v1beta1", "apps/v1beta2")
            .replace("kind: Deployment", "kind: DaemonSet")
            .replace("  replicas: 2\n", "");
        let r = result(&grade(&apps_beta), "DaemonSet/shop/web", "api.removed").clone();
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.message,
            "apps/v1beta2 DaemonSet was removed in Kubernetes 1.16; use apps/v1"
        );
        let cron = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: report, namespace: shop}\nspec:\n  schedule: \"0 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: r, image: example/r:1}]\n";
        let g = grade(cron);
        let r = result(&g, "CronJob/shop/report", "api.removed");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.message,
            "batch/v1beta1 CronJob was removed in Kubernetes 1.25; use batch/v1"
        );
        assert!(r.fix().unwrap().contains("apiVersion: batch/v1\n"));
        assert!(!g.objects.values().any(|o| o.key.kind() == "CronJob"));
    }

    #[test]
    fn current_manifests_pass_and_have_no_object_rows() {
        let g = grade(CURRENT);
        let r = result(&g, "Deployment/shop/web", "api.removed");
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.message,
            "apps/v1 Deployment is served by current Kubernetes"
        );
        assert!(
            !g.objects
                .values()
                .any(|o| o.results.iter().any(|r| r.check == "api.removed")),
            "autoscaling/v1 is still served: no row"
        );
        // A bare pod in v1.
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: c, image: example/c:1}]\n";
        assert_eq!(
            status(&grade(pod), "Pod/shop/p", "api.removed"),
            Status::Pass
        );
    }

    #[test]
    fn not_applicable_on_a_live_cluster() {
        let mut m = model(CURRENT);
        m.facts.from_manifests = false;
        let g = grade_all(&m, &Config::default());
        let r = result(&g, "Deployment/shop/web", "api.removed");
        assert_eq!(r.status, Status::NotApplicable);
        assert!(r.message.contains("live API server"), "{}", r.message);
    }

    #[test]
    fn not_applicable_when_the_controller_is_absent() {
        let pod = r#"
apiVersion: v1
kind: Pod
metadata:
  name: web-abc-x1
  namespace: shop
  labels: {app: web}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-abc, uid: "1", controller: true}]
spec:
  containers: [{name: app, image: example/web:1.0}]
"#;
        let g = grade(pod);
        let w = g.workloads.values().next().expect("one workload");
        let r = w.results.iter().find(|r| r.check == "api.removed").unwrap();
        assert_eq!(r.status, Status::NotApplicable);
        assert!(r.message.contains("not in the input"), "{}", r.message);
    }

    #[test]
    fn legacy_non_workload_objects_get_rows() {
        let g = grade(&format!("{LEGACY_DEPLOYMENT}{LEGACY_OBJECTS}"));
        // A legacy Ingress has two rows: the networking checks' and this one.
        let r = g
            .objects
            .values()
            .filter(|o| {
                o.key.kind() == "Ingress" && o.key.namespace() == "shop" && o.key.name() == "web"
            })
            .flat_map(|o| o.results.iter())
            .find(|r| r.check == "api.removed")
            .expect("an api.removed result for the Ingress");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(
            r.message,
            "extensions/v1beta1 Ingress was removed in Kubernetes 1.22; use networking.k8s.io/v1"
        );
        assert!(r.fix().unwrap().contains("pathType"));

        let r = object_result(&g, "PodDisruptionBudget/shop/web", "api.removed");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.message,
            "policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; use policy/v1"
        );
        assert!(r
            .fix()
            .unwrap()
            .contains("apiVersion: policy/v1\nkind: PodDisruptionBudget"));

        let r = object_result(&g, "HorizontalPodAutoscaler/shop/web", "api.removed");
        assert_eq!(
            r.message,
            "autoscaling/v2beta2 HorizontalPodAutoscaler was removed in Kubernetes 1.26; use autoscaling/v2"
        );

        // Cluster-scoped: no namespace, whether modelled or not.
        let r = object_result(&g, "PriorityClass//high", "api.removed");
        assert_eq!(
            r.message,
            "scheduling.k8s.io/v1beta1 PriorityClass was removed in Kubernetes 1.22; use scheduling.k8s.io/v1"
        );
        let r = object_result(&g, "ClusterRole//reader", "api.removed");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.message,
            "rbac.authorization.k8s.io/v1beta1 ClusterRole was removed in Kubernetes 1.22; use rbac.authorization.k8s.io/v1"
        );
        assert!(r
            .fix()
            .unwrap()
            .contains("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole"));
        let r = object_result(&g, "RoleBinding/shop/read", "api.removed");
        assert_eq!(r.status, Status::Fail);

        // Each object row holds exactly one result.
        for kind in [
            "PodDisruptionBudget",
            "ClusterRole",
            "RoleBinding",
            "PriorityClass",
        ] {
            let row = g.objects.values().find(|o| o.key.kind() == kind).unwrap();
            assert_eq!(row.results.len(), 1, "{kind}");
        }
        let rows = g
            .objects
            .values()
            .filter(|o| {
                o.key.kind() == "Ingress" && o.results.iter().any(|r| r.check == "api.removed")
            })
            .count();
        assert_eq!(rows, 1);
        assert!(object(&g, "ClusterRole//reader").score.is_some());
    }

    #[test]
    fn other_objects_are_sorted_and_deduplicated() {
        let twice = format!("{LEGACY_OBJECTS}{LEGACY_OBJECTS}");
        let m = model(&twice);
        let config = Config::default();
        let rows = others(&Context::new(&m, &config));
        let ids: Vec<String> = rows
            .iter()
            .map(|o| format!("{}/{}/{}", o.kind, o.namespace, o.name))
            .collect();
        assert_eq!(
            ids,
            vec![
                "ClusterRole//reader",
                "HorizontalPodAutoscaler/shop/web",
                "Ingress/shop/web",
                "PodDisruptionBudget/shop/web",
                "PriorityClass//high",
                "RoleBinding/shop/read",
            ]
        );
    }

    #[test]
    fn pod_security_policies_point_at_pod_security_admission() {
        let psp = "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: restricted}\nspec: {privileged: false}\n";
        let g = grade(psp);
        let r = object_result(&g, "PodSecurityPolicy//restricted", "api.removed");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("removed in Kubernetes 1.25"),
            "{}",
            r.message
        );
        assert!(r
            .fix()
            .unwrap()
            .contains("pod-security.kubernetes.io/enforce"));
    }
}
