//! `storage.*` — persistent volumes the pods rely on (checklist section C; seed 002 "Configure
//! Persistent Storage").

use super::catalogue::{def, Section};
use super::config::push_unique;
use super::registry::{Applies, Check, Grade};
use super::{containers, Category, Context, Severity, Subject, Verdict};
use crate::cluster::{Controller, Kind, Workload, WorkloadKind};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, PodSpec};

const SECTION: Section = Section {
    category: Category::Configuration,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "storage.pvc-bound",
            Severity::Critical,
            "Mounted PersistentVolumeClaims are Bound",
            "a PVC the workload mounts is not Bound",
            "A pod cannot start until every claim it mounts is bound to a volume: an unbound claim leaves it Pending.",
            "Check why the claim is not bound (`kubectl describe pvc <name>`): usually a missing StorageClass, no matching PersistentVolume, or a quota:\n\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  storageClassName: standard\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 10Gi}}",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::PersistentVolumeClaim, Kind::Pod],
        grade: Grade::Template(pvc_bound),
    },
    Check {
        def: def(
            SECTION,
            "storage.storage-class",
            Severity::Info,
            "Claims name their StorageClass",
            "a PVC or volumeClaimTemplate has no explicit storageClassName",
            "Without an explicit class the claim gets whatever the cluster default is at creation time: the same manifest yields different disks (speed, replication, reclaim policy) on different clusters.",
            "Name the class the data needs:\n\nspec:\n  storageClassName: fast-ssd\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 10Gi}}",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::PersistentVolumeClaim, Kind::StorageClass],
        grade: Grade::Template(storage_class),
    },
    Check {
        def: def(
            SECTION,
            "storage.stateful-in-deployment",
            Severity::Warning,
            "Replicated Deployments do not share a ReadWriteOnce volume",
            "a Deployment with > 1 replica mounts a ReadWriteOnce PVC",
            "A ReadWriteOnce volume attaches to one node: replicas scheduled elsewhere stay Pending, and rolling updates can deadlock waiting for the old pod to release the disk.",
            "Use a StatefulSet with a volumeClaimTemplate (one volume per replica), or a ReadWriteMany volume if the data really is shared:\n\nkind: StatefulSet\nspec:\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec:\n        accessModes: [ReadWriteOnce]\n        resources: {requests: {storage: 10Gi}}",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::PersistentVolumeClaim],
        grade: Grade::Template(stateful_in_deployment),
    },
];

// ---------------------------------------------------------------- storage

/// A PersistentVolumeClaim the pods mount.
struct Claim<'a> {
    /// The PVC object's name.
    name: String,
    /// The pod volume (or volumeClaimTemplate) name.
    volume: String,
    /// Containers that mount it.
    containers: Vec<String>,
    /// The pod volume mounts it read-only.
    read_only: bool,
    /// For StatefulSet claims: the template and the pod ordinal it is made for.
    template: Option<(&'a PersistentVolumeClaim, i32)>,
}

fn mounted_by(spec: &PodSpec, volume: &str) -> Vec<String> {
    containers(spec)
        .filter(|c| {
            c.container
                .volume_mounts
                .iter()
                .flatten()
                .any(|m| m.name == volume)
        })
        .map(|c| c.name().to_string())
        .collect()
}

/// The claims the workload's pods mount: `persistentVolumeClaim` volumes of the template,
/// and for a StatefulSet `<template>-<statefulset>-<ordinal>` for each replica.
fn claims<'a>(w: &Workload<'a>, spec: &PodSpec) -> Vec<Claim<'a>> {
    let mut out = Vec::new();
    let templates: Vec<&'a PersistentVolumeClaim> = match w.controller {
        Controller::StatefulSet(s) => s
            .without_pod_spec()
            .spec
            .volume_claim_templates
            .iter()
            .flatten()
            .collect(),
        _ => Vec::new(),
    };
    let template_name = |t: &PersistentVolumeClaim| t.metadata.name.clone().unwrap_or_default();
    for v in spec.volumes.iter().flatten() {
        let Some(pvc) = &v.persistent_volume_claim else {
            continue;
        };
        // A volumeClaimTemplate of the same name replaces the pod volume.
        if templates.iter().any(|t| template_name(t) == v.name) {
            continue;
        }
        out.push(Claim {
            name: pvc.claim_name.clone(),
            volume: v.name.clone(),
            containers: mounted_by(spec, &v.name),
            read_only: pvc.read_only == Some(true),
            template: None,
        });
    }
    if let Controller::StatefulSet(s) = w.controller {
        let s = s.without_pod_spec();
        let start = s.spec.ordinals.as_ref().and_then(|o| o.start).unwrap_or(0);
        let replicas = s.spec.replicas.unwrap_or(1).max(0);
        for t in &templates {
            let tname = template_name(t);
            for ordinal in start..start + replicas {
                out.push(Claim {
                    name: format!("{tname}-{}-{ordinal}", w.key.name),
                    volume: tname.clone(),
                    containers: mounted_by(spec, &tname),
                    read_only: false,
                    template: Some((t, ordinal)),
                });
            }
        }
    }
    out
}

fn find_pvc<'a>(cx: &Context<'a>, ns: &str, name: &str) -> Option<&'a PersistentVolumeClaim> {
    cx.model
        .stores
        .pvcs
        .get(&(ns.to_string(), name.to_string()))
        .map(|c| &**c)
}

/// Combines per-claim verdicts: fail when any claim fails, else unknown when any could not
/// be judged, else pass.
struct Verdicts {
    failed: Vec<String>,
    failed_containers: Vec<String>,
    unknown: Vec<String>,
    passed: usize,
}

impl Verdicts {
    fn new() -> Verdicts {
        Verdicts {
            failed: Vec::new(),
            failed_containers: Vec::new(),
            unknown: Vec::new(),
            passed: 0,
        }
    }

    fn fail(&mut self, claim_containers: &[String], why: String) {
        self.failed.push(why);
        for c in claim_containers {
            push_unique(&mut self.failed_containers, c);
        }
    }

    fn finish(self, pass: String) -> Verdict {
        if !self.failed.is_empty() {
            let mut m = self.failed.join("; ");
            if !self.unknown.is_empty() {
                m.push_str(&format!("; not judged: {}", self.unknown.join("; ")));
            }
            Verdict::fail(m).containers(self.failed_containers)
        } else if !self.unknown.is_empty() {
            let mut m = self.unknown.join("; ");
            if self.passed > 0 {
                m.push_str(&format!(" ({} other claims fine)", self.passed));
            }
            Verdict::unknown(m)
        } else {
            Verdict::pass(pass)
        }
    }
}

fn no_claims(w: &Workload) -> String {
    match w.controller {
        Controller::StatefulSet(s)
            if s.without_pod_spec().spec.replicas == Some(0)
                && s.without_pod_spec()
                    .spec
                    .volume_claim_templates
                    .as_ref()
                    .is_some_and(|t| !t.is_empty()) =>
        {
            "the StatefulSet is scaled to zero: no claims to bind".into()
        }
        _ => "mounts no PersistentVolumeClaim".into(),
    }
}

fn pvc_bound(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    let claims = &claims(w, spec);
    if claims.is_empty() {
        return Verdict::na(no_claims(w));
    }
    if let Some(why) = cx.missing(&[Kind::PersistentVolumeClaim]) {
        return Verdict::unknown(why);
    }
    let ns = &w.key.namespace;
    let manifests = cx.model.facts.from_manifests;
    // A claim that is Pending because nothing has asked for it yet (WaitForFirstConsumer).
    let no_consumer = w.pods.is_empty() && (w.desired_replicas() == Some(0) || w.is_batch());
    let mut v = Verdicts::new();
    let mut skipped_templates = 0;
    for c in claims {
        let Some(pvc) = find_pvc(cx, ns, &c.name) else {
            match c.template {
                Some((_, ordinal)) => {
                    let pod = format!("{}-{ordinal}", w.key.name);
                    let pod_exists = w
                        .pods
                        .iter()
                        .any(|p| p.metadata.name.as_deref() == Some(&pod));
                    if !manifests && pod_exists {
                        v.fail(
                            &c.containers,
                            format!("PVC {} for pod {pod} does not exist", c.name),
                        );
                    } else {
                        // Created by the StatefulSet controller with (or just before) the pod.
                        skipped_templates += 1;
                    }
                }
                None if manifests && cx.model.stores.count(Kind::PersistentVolumeClaim) > 0 => v.fail(
                    &c.containers,
                    format!(
                        "PVC {} (volume {}) is not in the input; add it, or waive the check if it is created elsewhere (the input holds other PVCs, so --partial does not make it unknown)",
                        c.name, c.volume
                    ),
                ),
                None if manifests => v.fail(
                    &c.containers,
                    format!(
                        "PVC {} (volume {}) is not in the input; add it, or use --partial if it is created elsewhere",
                        c.name, c.volume
                    ),
                ),
                None => v.fail(
                    &c.containers,
                    format!(
                        "PVC {} (volume {}) does not exist in namespace {ns}",
                        c.name, c.volume
                    ),
                ),
            }
            continue;
        };
        match pvc.status.as_ref().and_then(|s| s.phase.as_deref()) {
            Some("Bound") => v.passed += 1,
            None => v.unknown.push(format!(
                "PVC {} has no status (a manifest, not a live object), so whether it is bound cannot be seen",
                c.name
            )),
            Some("Pending") if no_consumer => v.unknown.push(format!(
                "PVC {} is Pending but no pod uses it yet (a WaitForFirstConsumer class binds on first use)",
                c.name
            )),
            Some(phase) => v.fail(
                &c.containers,
                format!("PVC {} (volume {}) is {phase}, not Bound", c.name, c.volume),
            ),
        }
    }
    if v.failed.is_empty() && v.unknown.is_empty() && v.passed == 0 {
        return Verdict::unknown(format!(
                "the StatefulSet's {skipped_templates} claims are created by its controller at runtime and are not in the {}",
                if manifests { "input" } else { "cluster yet" }
            ),
        );
    }
    let total = v.passed;
    v.finish(format!("all {total} mounted claims are Bound"))
}

/// An explicit class: `storageClassName` (even `""`, which asks for no dynamic class), or
/// the legacy beta annotation.
fn names_class(pvc: &PersistentVolumeClaim) -> bool {
    pvc.spec
        .as_ref()
        .is_some_and(|s| s.storage_class_name.is_some())
        || pvc
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key("volume.beta.kubernetes.io/storage-class"))
}

fn storage_class(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    let claims = &claims(w, spec);
    let ns = &w.key.namespace;
    let mut v = Verdicts::new();
    let mut judged = 0;
    // Mounted PVC objects (StatefulSet claims are judged by their template, once).
    let plain: Vec<&Claim> = claims.iter().filter(|c| c.template.is_none()).collect();
    let mut seen: Vec<&str> = Vec::new();
    for c in plain {
        if seen.contains(&c.name.as_str()) {
            continue;
        }
        seen.push(&c.name);
        judged += 1;
        if let Some(why) = cx.missing(&[Kind::PersistentVolumeClaim]) {
            v.unknown.push(format!("PVC {}: {why}", c.name));
            continue;
        }
        match find_pvc(cx, ns, &c.name) {
            Some(pvc) if names_class(pvc) => v.passed += 1,
            Some(_) => v.fail(
                &c.containers,
                format!("PVC {} has no storageClassName", c.name),
            ),
            None => v.unknown.push(format!(
                "PVC {} is not visible (see storage.pvc-bound)",
                c.name
            )),
        }
    }
    if let Controller::StatefulSet(s) = w.controller {
        for t in s
            .without_pod_spec()
            .spec
            .volume_claim_templates
            .iter()
            .flatten()
        {
            judged += 1;
            let name = t.metadata.name.clone().unwrap_or_default();
            if names_class(t) {
                v.passed += 1;
            } else {
                v.fail(
                    &mounted_by(spec, &name),
                    format!("volumeClaimTemplate {name} has no storageClassName"),
                );
            }
        }
    }
    for vol in spec.volumes.iter().flatten() {
        let Some(t) = vol
            .ephemeral
            .as_ref()
            .and_then(|e| e.volume_claim_template.as_ref())
        else {
            continue;
        };
        judged += 1;
        if t.spec.storage_class_name.is_some() {
            v.passed += 1;
        } else {
            v.fail(
                &mounted_by(spec, &vol.name),
                format!("ephemeral volume {} has no storageClassName", vol.name),
            );
        }
    }
    if judged == 0 {
        return Verdict::na("mounts no PersistentVolumeClaim or claim template");
    }
    let n = v.passed;
    v.finish(format!("all {n} claims name their StorageClass"))
}

/// Modes that let only one node (or one pod) use the volume.
fn single_node(modes: &[String]) -> bool {
    modes
        .iter()
        .any(|m| m == "ReadWriteOnce" || m == "ReadWriteOncePod")
}

fn stateful_in_deployment(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    let claims = &claims(w, spec);
    if w.key.kind != WorkloadKind::Deployment {
        return Verdict::na("only Deployments share one claim between replicas");
    }
    if claims.is_empty() {
        return Verdict::na("mounts no PersistentVolumeClaim");
    }
    let replicas = w.desired_replicas().unwrap_or(w.pods.len() as i32);
    let hpa_max = if cx.model.knows(Kind::HorizontalPodAutoscaler) {
        cx.hpas_targeting(w)
            .iter()
            .map(|h| h.spec.max_replicas)
            .max()
    } else {
        None
    };
    let most = replicas.max(hpa_max.unwrap_or(0));
    if most <= 1 {
        return Verdict::na("runs a single replica");
    }
    let scale = match hpa_max {
        Some(m) if m > replicas => format!("up to {m} replicas (HPA)"),
        _ => format!("{replicas} replicas"),
    };
    if let Some(why) = cx.missing(&[Kind::PersistentVolumeClaim]) {
        return Verdict::unknown(why);
    }
    let mut v = Verdicts::new();
    for c in claims {
        let Some(pvc) = find_pvc(cx, &w.key.namespace, &c.name) else {
            v.unknown.push(format!(
                "PVC {} is not visible, so its access mode cannot be seen",
                c.name
            ));
            continue;
        };
        let modes: Vec<String> = pvc
            .spec
            .as_ref()
            .and_then(|s| s.access_modes.clone())
            .or_else(|| pvc.status.as_ref().and_then(|s| s.access_modes.clone()))
            .unwrap_or_default();
        if modes.is_empty() {
            v.unknown
                .push(format!("PVC {} declares no access mode", c.name));
            continue;
        }
        let shareable = modes.iter().any(|m| m == "ReadWriteMany")
            || (c.read_only && modes.iter().any(|m| m == "ReadOnlyMany"));
        if single_node(&modes) && !shareable {
            v.fail(
                &c.containers,
                format!(
                    "PVC {} is {} but the Deployment runs {scale}: replicas on other nodes cannot attach it and rollouts can deadlock",
                    c.name,
                    modes.join("/")
                ),
            );
        } else {
            v.passed += 1;
        }
    }
    v.finish(format!(
        "every claim the {scale} share can be attached by several nodes"
    ))
}

#[cfg(test)]
mod tests {
    use crate::checks::{Severity, Status};
    use crate::cluster::{ClusterFacts, ClusterModel, Kind, Msg};
    use crate::source::LoadOptions;
    use crate::testing::{grade, model_with, result, status};

    const W: &str = "Deployment/shop/web";

    const BASE: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      imagePullSecrets: [{name: registry}]
      containers:
        - name: app
          image: example/web:1.0
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
            - name: MODE
              valueFrom: {configMapKeyRef: {name: flags, key: mode, optional: true}}
          envFrom: [{configMapRef: {name: web-config}}]
          volumeMounts: [{name: certs, mountPath: /certs}, {name: token, mountPath: /var/run/secrets/token}]
      volumes:
        - name: certs
          secret: {secretName: tls}
        - name: token
          projected:
            sources:
              - serviceAccountToken: {path: token}
              - configMap: {name: kube-root-ca.crt}
              - secret: {name: extra, optional: true}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
data: {password: aHVudGVyMg==}
---
apiVersion: v1
kind: Secret
metadata: {name: registry, namespace: shop}
---
apiVersion: v1
kind: Secret
metadata: {name: tls, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
"#;

    fn without(doc_name: &str, kind: &str) -> String {
        let docs: Vec<&str> = BASE.split("---\n").collect();
        let kept: Vec<&str> = docs
            .into_iter()
            .filter(|d| {
                !(d.contains(&format!("kind: {kind}\n"))
                    && d.contains(&format!("{{name: {doc_name}, namespace: shop}}")))
            })
            .collect();
        assert_eq!(
            kept.len(),
            BASE.split("---\n").count() - 1,
            "{kind} {doc_name}"
        );
        kept.join("---\n")
    }

    #[test]
    fn every_check_is_in_the_configuration_category() {
        let checks = super::CHECKS.iter().chain(crate::checks::config::CHECKS);
        for c in checks.clone() {
            assert_eq!(c.def.category, crate::checks::Category::Configuration);
        }
        assert_eq!(checks.count(), 4);
    }

    #[test]
    fn refs_exist_passes_when_everything_is_there() {
        let g = grade(BASE);
        let r = result(&g, W, "config.refs-exist");
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        // db, registry, tls, web-config, web SA, kube-root-ca.crt; flags and extra are optional.
        assert_eq!(
            r.message,
            "all 6 referenced objects exist (2 optional not required)"
        );
    }

    #[test]
    fn refs_exist_names_each_missing_object_and_where() {
        for (name, kind, place) in [
            ("db", "Secret", "env DB_PASSWORD of app"),
            ("registry", "Secret", "imagePullSecrets"),
            ("tls", "Secret", "volume certs"),
            ("web-config", "ConfigMap", "envFrom of app"),
            ("web", "ServiceAccount", "serviceAccountName"),
        ] {
            let g = grade(&without(name, kind));
            let r = result(&g, W, "config.refs-exist");
            assert_eq!(
                (r.status, r.severity),
                (Status::Fail, Severity::Critical),
                "{name}"
            );
            assert!(
                r.message.contains(&format!("{kind} {name} ({place})")),
                "{name}: {}",
                r.message
            );
            // File input: say it is not in the input and point at --partial.
            assert!(r.message.contains("not in the input"), "{}", r.message);
            assert!(r.message.contains("--partial"), "{}", r.message);
        }
        let g = grade(&without("db", "Secret"));
        assert_eq!(result(&g, W, "config.refs-exist").containers(), vec!["app"]);
        // A volume reference names no container.
        let g = grade(&without("tls", "Secret"));
        assert!(result(&g, W, "config.refs-exist").containers().is_empty());
    }

    #[test]
    fn optional_refs_and_implicit_objects_are_never_missing() {
        // flags (optional env), extra (optional projected), kube-root-ca.crt (auto-published)
        // are absent from BASE and it passes (see above). The default SA always exists.
        let default_sa = BASE.replace(
            "      serviceAccountName: web\n",
            "      serviceAccountName: default\n",
        );
        assert_eq!(
            status(&grade(&default_sa), W, "config.refs-exist"),
            Status::Pass
        );
        // An optional reference that is also required elsewhere is required.
        let twice = BASE.replace(
            "          envFrom: [{configMapRef: {name: web-config}}]\n",
            "          envFrom: [{configMapRef: {name: web-config}}, {configMapRef: {name: flags}}]\n",
        );
        let r = result(&grade(&twice), W, "config.refs-exist").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message
                .contains("ConfigMap flags (env MODE of app, envFrom of app)"),
            "{}",
            r.message
        );
    }

    #[test]
    fn refs_exist_is_na_without_references() {
        let g = grade("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: c, image: example/c:1}]\n");
        assert_eq!(
            status(&g, "Pod/shop/p", "config.refs-exist"),
            Status::NotApplicable
        );
    }

    #[test]
    fn refs_exist_in_init_containers() {
        let yaml = BASE.replace(
            "      containers:\n",
            "      initContainers:\n        - name: migrate\n          image: example/m:1\n          envFrom: [{secretRef: {name: migrations}}]\n      containers:\n",
        );
        let r = result(&grade(&yaml), W, "config.refs-exist").clone();
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.containers(), vec!["migrate"]);
        assert!(
            r.message.contains("Secret migrations (envFrom of migrate)"),
            "{}",
            r.message
        );
    }

    /// A live-cluster model: objects of `yaml`, `synced` kinds listed, the rest as given.
    fn live(yaml: &str, forbidden: &[Kind]) -> ClusterModel {
        let mut m = ClusterModel::new();
        m.apply(Msg::Facts(ClusterFacts {
            source: "test".into(),
            ..Default::default()
        }));
        for msg in crate::source::file::load_str(yaml, "t.yaml", &LoadOptions::default()).unwrap() {
            match msg {
                Msg::Upsert(_) => {
                    m.apply(msg);
                }
                Msg::Synced(k) if !forbidden.contains(&k) => {
                    m.apply(Msg::Synced(k));
                }
                _ => {}
            }
        }
        for k in forbidden {
            m.apply(Msg::Forbidden(*k));
        }
        m
    }

    fn grade_model(m: &ClusterModel) -> crate::grade::Grades {
        crate::grade::grade_all(m, &crate::config::Config::default())
    }

    #[test]
    fn a_forbidden_secret_kind_gives_unknown_never_fail() {
        let m = live(&without("db", "Secret"), &[Kind::Secret]);
        let g = grade_model(&m);
        let r = result(&g, W, "config.refs-exist");
        assert_eq!(r.status, Status::Unknown, "{}", r.message);
        assert!(r.message.contains("Secret (forbidden)"), "{}", r.message);
        assert!(r.message.contains("Secret db"), "{}", r.message);
        // A missing ConfigMap is still a failure, and the message says what was not checked.
        let m = live(&without("web-config", "ConfigMap"), &[Kind::Secret]);
        let g = grade_model(&m);
        let r = result(&g, W, "config.refs-exist");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message
                .contains("missing in namespace shop: ConfigMap web-config"),
            "{}",
            r.message
        );
        assert!(
            !r.message.contains("--partial"),
            "live input: {}",
            r.message
        );
        assert!(r.message.contains("not checked"), "{}", r.message);
    }

    #[test]
    fn partial_file_input_makes_absent_kinds_unknown() {
        let deploy_only = BASE.split("---\n").next().unwrap();
        let m = model_with(
            deploy_only,
            &LoadOptions {
                partial: true,
                ..Default::default()
            },
        );
        let g = grade_model(&m);
        let r = result(&g, W, "config.refs-exist");
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("not in the input"), "{}", r.message);
    }

    // ------------------------------------------------------------ storage

    const STORE: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: example/web:1.0
          volumeMounts: [{name: data, mountPath: /data}]
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: web-data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: web-data, namespace: shop}
spec:
  storageClassName: fast
  accessModes: [MODE]
  resources: {requests: {storage: 1Gi}}
status: {phase: PHASE}
"#;

    fn store(replicas: &str, mode: &str, phase: &str) -> String {
        STORE
            .replace("REPLICAS", replicas)
            .replace("MODE", mode)
            .replace("PHASE", phase)
    }

    #[test]
    fn pvc_bound() {
        let g = grade(&store("1", "ReadWriteOnce", "Bound"));
        let r = result(&g, W, "storage.pvc-bound");
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        let g = grade(&store("1", "ReadWriteOnce", "Pending"));
        let r = result(&g, W, "storage.pvc-bound");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(r.containers(), vec!["app"]);
        assert!(
            r.message.contains("PVC web-data (volume data) is Pending"),
            "{}",
            r.message
        );
        let g = grade(&store("1", "ReadWriteOnce", "Lost"));
        assert_eq!(status(&g, W, "storage.pvc-bound"), Status::Fail);
        // No claim mounted: n/a.
        let g = grade("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: example/web:1}]\n");
        assert_eq!(status(&g, W, "storage.pvc-bound"), Status::NotApplicable);
        assert_eq!(
            status(&g, W, "storage.storage-class"),
            Status::NotApplicable
        );
        assert_eq!(
            status(&g, W, "storage.stateful-in-deployment"),
            Status::NotApplicable
        );
    }

    #[test]
    fn a_manifest_pvc_without_status_is_unknown_not_failed() {
        let yaml = store("1", "ReadWriteOnce", "Bound").replace("status: {phase: Bound}\n", "");
        let g = grade(&yaml);
        let r = result(&g, W, "storage.pvc-bound");
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("no status"), "{}", r.message);
        // A missing PVC in file input fails and points at --partial.
        let deploy_only = yaml.split("---\n").next().unwrap();
        let r = result(&grade(deploy_only), W, "storage.pvc-bound").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("not in the input"), "{}", r.message);
        assert!(r.message.contains("--partial"), "{}", r.message);
        // With --partial and no PVCs at all: unknown.
        let m = model_with(
            deploy_only,
            &LoadOptions {
                partial: true,
                ..Default::default()
            },
        );
        assert_eq!(
            status(&grade_model(&m), W, "storage.pvc-bound"),
            Status::Unknown
        );
    }

    #[test]
    fn pending_claim_of_a_job_not_yet_run_is_unknown() {
        let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: backup, namespace: shop}\nspec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: b, image: example/b:1, volumeMounts: [{name: data, mountPath: /d}]}]\n          volumes: [{name: data, persistentVolumeClaim: {claimName: backup}}]\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: backup, namespace: shop}\nspec: {accessModes: [ReadWriteOnce]}\nstatus: {phase: Pending}\n";
        let g = grade(cron);
        let r = result(&g, "CronJob/shop/backup", "storage.pvc-bound");
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("WaitForFirstConsumer"), "{}", r.message);
        let r = result(&g, "CronJob/shop/backup", "storage.storage-class");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert_eq!(
            status(&g, "CronJob/shop/backup", "storage.stateful-in-deployment"),
            Status::NotApplicable
        );
    }

    const STS: &str = r#"
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: pg
          image: example/pg:16
          volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        CLASS
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 10Gi}}
"#;

    fn sts_pvc(name: &str, phase: &str) -> String {
        format!("---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: {name}, namespace: shop}}\nspec: {{storageClassName: fast, accessModes: [ReadWriteOnce]}}\nstatus: {{phase: {phase}}}\n")
    }

    #[test]
    fn statefulset_claims_are_per_ordinal() {
        let sts = STS.replace("CLASS", "storageClassName: fast");
        let both = format!(
            "{sts}{}{}",
            sts_pvc("data-db-0", "Bound"),
            sts_pvc("data-db-1", "Bound")
        );
        let g = grade(&both);
        let r = result(&g, "StatefulSet/shop/db", "storage.pvc-bound");
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        assert_eq!(r.message, "all 2 mounted claims are Bound");
        let g = grade(&format!(
            "{sts}{}{}",
            sts_pvc("data-db-0", "Bound"),
            sts_pvc("data-db-1", "Pending")
        ));
        let r = result(&g, "StatefulSet/shop/db", "storage.pvc-bound");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("PVC data-db-1"), "{}", r.message);
        assert_eq!(r.containers(), vec!["pg"]);
        // In manifests the controller-made claims are absent: unknown, not fail.
        let g = grade(&sts);
        let r = result(&g, "StatefulSet/shop/db", "storage.pvc-bound");
        assert_eq!(r.status, Status::Unknown);
        assert!(
            r.message.contains("created by its controller"),
            "{}",
            r.message
        );
        // Ordinals start where spec.ordinals says.
        let shifted = sts.replace("  replicas: 2\n", "  replicas: 1\n  ordinals: {start: 5}\n");
        let g = grade(&format!("{shifted}{}", sts_pvc("data-db-5", "Pending")));
        assert!(result(&g, "StatefulSet/shop/db", "storage.pvc-bound")
            .message
            .contains("data-db-5"));
        // Scaled to zero: nothing to bind.
        let g = grade(&sts.replace("  replicas: 2\n", "  replicas: 0\n"));
        let r = result(&g, "StatefulSet/shop/db", "storage.pvc-bound");
        assert_eq!(r.status, Status::NotApplicable);
        assert!(r.message.contains("scaled to zero"), "{}", r.message);
    }

    #[test]
    fn storage_class_on_templates_and_claims() {
        let g = grade(&STS.replace("CLASS", "storageClassName: fast"));
        assert_eq!(
            status(&g, "StatefulSet/shop/db", "storage.storage-class"),
            Status::Pass
        );
        // Judged on the template, once, whatever the replica count.
        let g = grade(&STS.replace("        CLASS\n", ""));
        let r = result(&g, "StatefulSet/shop/db", "storage.storage-class");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert_eq!(
            r.message,
            "volumeClaimTemplate data has no storageClassName"
        );
        assert_eq!(r.containers(), vec!["pg"]);
        // An explicit empty class (static binding) is explicit.
        let g = grade(&STS.replace("CLASS", "storageClassName: \"\""));
        assert_eq!(
            status(&g, "StatefulSet/shop/db", "storage.storage-class"),
            Status::Pass
        );
        // A mounted PVC object.
        let g =
            grade(&store("1", "ReadWriteOnce", "Bound").replace("  storageClassName: fast\n", ""));
        let r = result(&g, W, "storage.storage-class");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.message, "PVC web-data has no storageClassName");
        assert_eq!(
            status(
                &grade(&store("1", "ReadWriteOnce", "Bound")),
                W,
                "storage.storage-class"
            ),
            Status::Pass
        );
        // The legacy annotation names a class too.
        let legacy = store("1", "ReadWriteOnce", "Bound")
            .replace("  storageClassName: fast\n", "")
            .replace("{name: web-data, namespace: shop}", "{name: web-data, namespace: shop, annotations: {volume.beta.kubernetes.io/storage-class: fast}}");
        assert_eq!(
            status(&grade(&legacy), W, "storage.storage-class"),
            Status::Pass
        );
        // Generic ephemeral volumes carry a claim template.
        let eph = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: example/web:1, volumeMounts: [{name: scratch, mountPath: /s}]}]\n      volumes:\n        - name: scratch\n          ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}\n";
        let r = result(&grade(eph), W, "storage.storage-class").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("ephemeral volume scratch"),
            "{}",
            r.message
        );
        // A missing mounted PVC is pvc-bound's finding; here it cannot be judged.
        let deploy_only = store("1", "ReadWriteOnce", "Bound");
        let deploy_only = deploy_only.split("---\n").next().unwrap();
        assert_eq!(
            status(&grade(deploy_only), W, "storage.storage-class"),
            Status::Unknown
        );
    }

    #[test]
    fn read_write_once_in_a_replicated_deployment() {
        let g = grade(&store("3", "ReadWriteOnce", "Bound"));
        let r = result(&g, W, "storage.stateful-in-deployment");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(
            r.message.contains("PVC web-data is ReadWriteOnce"),
            "{}",
            r.message
        );
        assert!(r.message.contains("3 replicas"), "{}", r.message);
        assert_eq!(r.containers(), vec!["app"]);
        let g = grade(&store("3", "ReadWriteOncePod", "Bound"));
        assert_eq!(
            status(&g, W, "storage.stateful-in-deployment"),
            Status::Fail
        );
        let g = grade(&store("3", "ReadWriteMany", "Bound"));
        assert_eq!(
            status(&g, W, "storage.stateful-in-deployment"),
            Status::Pass
        );
        // One replica: does not apply.
        let g = grade(&store("1", "ReadWriteOnce", "Bound"));
        assert_eq!(
            status(&g, W, "storage.stateful-in-deployment"),
            Status::NotApplicable
        );
        // ... unless an HPA can scale it out.
        let hpa = "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 4\n";
        let g = grade(&format!("{}{hpa}", store("1", "ReadWriteOnce", "Bound")));
        let r = result(&g, W, "storage.stateful-in-deployment");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("up to 4 replicas (HPA)"),
            "{}",
            r.message
        );
        // StatefulSets give each replica its own claim.
        let g = grade(&STS.replace("CLASS", "storageClassName: fast"));
        assert_eq!(
            status(&g, "StatefulSet/shop/db", "storage.stateful-in-deployment"),
            Status::NotApplicable
        );
    }

    #[test]
    fn read_only_many_mounted_read_only_is_shareable() {
        let yaml = store("3", "ReadWriteOnce, ReadOnlyMany", "Bound").replace(
            "{claimName: web-data}",
            "{claimName: web-data, readOnly: true}",
        );
        assert_eq!(
            status(&grade(&yaml), W, "storage.stateful-in-deployment"),
            Status::Pass
        );
        let yaml = store("3", "ReadWriteOnce, ReadOnlyMany", "Bound");
        assert_eq!(
            status(&grade(&yaml), W, "storage.stateful-in-deployment"),
            Status::Fail
        );
    }

    #[test]
    fn live_statefulset_missing_claim_fails_only_when_its_pod_exists() {
        let sts = STS.replace("CLASS", "storageClassName: fast");
        let pod = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: db-1\n  namespace: shop\n  labels: {app: db}\n  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: u1, controller: true}]\nspec:\n  containers: [{name: pg, image: example/pg:16}]\n";
        let yaml = format!("{sts}{}{pod}", sts_pvc("data-db-0", "Bound"));
        let g = grade_model(&live(&yaml, &[]));
        let r = result(&g, "StatefulSet/shop/db", "storage.pvc-bound");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message
                .contains("PVC data-db-1 for pod db-1 does not exist"),
            "{}",
            r.message
        );
        // Without the pod (not created yet) the missing claim is not a finding.
        let yaml = format!("{sts}{}", sts_pvc("data-db-0", "Bound"));
        let g = grade_model(&live(&yaml, &[]));
        assert_eq!(
            status(&g, "StatefulSet/shop/db", "storage.pvc-bound"),
            Status::Pass
        );
    }
}
