//! `service.*` — Services that reach their pods (checklist section N; seed 002 "Load
//! Balancing").

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{probed_containers, Category, Context, Severity, Subject, Verdict};
use crate::cluster::pod::Pod;
use crate::cluster::selector::{map_selector_matches, Labels};
use crate::cluster::{Kind, Workload, WorkloadKey};
use k8s_openapi::api::core::v1::{PodSpec, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::HashMap;

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            Section { category: Category::Networking, subject: Subject::Service },
            "service.selects-pods",
            Severity::Critical,
            "The Service selects pods",
            "a Service with a selector matches no pods (ExternalName and selector-less Services are n/a)",
            "A selector that matches nothing gives the Service no endpoints: every request to it is refused, usually after a label was renamed on one side only.",
            "Make the selector a subset of the pod template's labels:\n\nkind: Service\nspec:\n  selector:\n    app.kubernetes.io/name: web\n---\nkind: Deployment\nspec:\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: web",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet, Kind::ReplicaSet, Kind::Job, Kind::CronJob, Kind::HorizontalPodAutoscaler],
        grade: Grade::Service(selects_pods),
    },
    Check {
        def: def(
            Section { category: Category::Networking, subject: Subject::Service },
            "service.target-port",
            Severity::Critical,
            "Service targetPorts match container ports",
            "a Service targetPort matches no container port of the selected pods",
            "Traffic is forwarded to the targetPort (the Service port when unset); if no container listens there, or a named targetPort is not declared, every connection fails although the pods look healthy.",
            "Point targetPort at a declared container port, preferably by name:\n\nkind: Service\nspec:\n  ports:\n    - port: 80\n      targetPort: http\n---\ncontainers:\n  - name: app\n    ports:\n      - name: http\n        containerPort: 8080",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet, Kind::ReplicaSet, Kind::Job, Kind::CronJob, Kind::HorizontalPodAutoscaler],
        grade: Grade::Service(target_port),
    },
    Check {
        def: def(
            Section { category: Category::Networking, subject: Subject::Service },
            "service.single-endpoint",
            Severity::Warning,
            "The Service has more than one endpoint",
            "a Service is backed by one ready pod",
            "With a single endpoint every rollout, node drain or crash is an outage for the Service's clients.",
            "Run at least two replicas behind the Service (and a PodDisruptionBudget):\n\nkind: Deployment\nspec:\n  replicas: 2",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet, Kind::ReplicaSet, Kind::Job, Kind::CronJob, Kind::HorizontalPodAutoscaler],
        grade: Grade::Service(single_endpoint),
    },
];

/// The kinds whose pod templates stand in for pods in manifest input.
const WORKLOAD_KINDS: &[Kind] = &[
    Kind::Pod,
    Kind::Deployment,
    Kind::StatefulSet,
    Kind::DaemonSet,
    Kind::ReplicaSet,
    Kind::Job,
    Kind::CronJob,
];

/// A port a container declares.
#[derive(Clone, Debug, PartialEq)]
struct DeclaredPort {
    name: Option<String>,
    number: i32,
    protocol: String,
}

/// How many endpoints a backing workload provides.
#[derive(Clone, Copy, Debug)]
enum Endpoints {
    /// Live pods: this many are ready.
    Ready(i32),
    /// No runtime status (manifests): the replicas the controller (or its HPA) asks for,
    /// when known.
    Desired(Option<i32>),
}

/// A workload the Service selects.
#[derive(Clone, Debug)]
struct Backend {
    key: WorkloadKey,
    /// Judged from the pod template, not from pods.
    template: bool,
    /// Matching pods (live or declared), when judged from pods.
    pods: usize,
    ports: Vec<DeclaredPort>,
    endpoints: Endpoints,
}

impl Backend {
    fn describe(&self) -> String {
        let k = format!("{} {}", self.key.kind, self.key.name);
        if self.template {
            format!("the pod template of {k}")
        } else if self.pods == 1 {
            format!("{k} (1 pod)")
        } else {
            format!("{k} ({} pods)", self.pods)
        }
    }
}

fn declared_ports(spec: Option<&PodSpec>) -> Vec<DeclaredPort> {
    spec.into_iter()
        .flat_map(probed_containers)
        .flat_map(|c| c.container.ports.iter().flatten())
        .map(|p| DeclaredPort {
            name: p.name.clone(),
            number: p.container_port,
            protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
        })
        .collect()
}

/// The ports a pod's containers declare: from its whole spec when the pod holds it, else
/// from its app containers (a compact spec's init containers say nothing of sidecars, as a
/// slim pod's did not).
fn pod_declared_ports(p: &Pod) -> Vec<DeclaredPort> {
    if let Some(whole) = p.kept_whole_spec() {
        return declared_ports(Some(whole));
    }
    p.spec
        .iter()
        .flat_map(|s| &s.containers)
        .flat_map(|c| c.ports.iter().flatten())
        .map(|p| DeclaredPort {
            name: p.name.clone(),
            number: p.container_port,
            protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
        })
        .collect()
}

fn pod_matches(selector: &Labels, p: &Pod) -> bool {
    p.metadata
        .labels
        .as_ref()
        .is_some_and(|labels| map_selector_matches(selector, labels))
}

fn pod_is_finished(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .is_some_and(|ph| ph == "Succeeded" || ph == "Failed")
}

/// A ready pod that is not terminating: what an endpoint needs.
fn pod_is_ready(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_none() && super::health::pod_is_ready(p)
}

/// Replicas a workload asks for, raised to its HPA's minimum.
fn template_replicas(w: &Workload, cx: &Context) -> Option<i32> {
    let desired = w.desired_replicas()?;
    let hpa_min = if cx.model.knows(Kind::HorizontalPodAutoscaler) {
        cx.hpas_targeting(w)
            .iter()
            .map(|h| h.spec.min_replicas.unwrap_or(1))
            .max()
    } else {
        None
    };
    Some(hpa_min.map_or(desired, |m| m.max(desired)))
}

/// What the selector finds in the namespace.
struct Selection {
    backends: Vec<Backend>,
    /// Workloads whose template matches but that run no pods (live clusters only).
    idle: Vec<WorkloadKey>,
    /// The closest miss, for the finding: (workload, differing labels).
    closest: Option<(WorkloadKey, Vec<String>)>,
}

/// The workloads of one namespace, with an index from each `key=value` label on a template or
/// a pod to the workloads carrying it, so a Service's selector only looks at candidates.
pub struct NamespaceWorkloads<'m> {
    pub workloads: Vec<Workload<'m>>,
    by_label: HashMap<(String, String), Vec<usize>>,
}

impl<'m> NamespaceWorkloads<'m> {
    pub fn new(workloads: Vec<Workload<'m>>) -> NamespaceWorkloads<'m> {
        let mut by_label: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, w) in workloads.iter().enumerate() {
            let template = w.template.meta().and_then(|m| m.labels.as_ref());
            let pods = w.pods.iter().filter_map(|p| p.metadata.labels.as_ref());
            for labels in template.into_iter().chain(pods) {
                for (k, v) in labels {
                    let list = by_label.entry((k.clone(), v.clone())).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        NamespaceWorkloads {
            workloads,
            by_label,
        }
    }

    /// Workloads that could match: those carrying the selector's rarest label.
    fn candidates(&self, selector: &Labels) -> Vec<&Workload<'m>> {
        let mut best: Option<&Vec<usize>> = None;
        for (k, v) in selector {
            match self.by_label.get(&(k.clone(), v.clone())) {
                None => return Vec::new(),
                Some(list) if best.is_none_or(|b| list.len() < b.len()) => best = Some(list),
                Some(_) => {}
            }
        }
        best.map(|l| l.iter().map(|i| &self.workloads[*i]).collect())
            .unwrap_or_default()
    }
}

/// The Rollout whose strategy names the Service as its stable, canary, active or preview
/// Service.
fn rollout_naming<'w, 'm>(
    svc: &Service,
    ns: &'w NamespaceWorkloads<'m>,
) -> Option<&'w Workload<'m>> {
    let name = svc.metadata.name.as_deref()?;
    ns.workloads.iter().find(|w| match w.controller {
        crate::cluster::Controller::Rollout(r) => {
            r.without_pod_spec().service_names().contains(&name)
        }
        _ => false,
    })
}

fn select(selector: &Labels, ns: &NamespaceWorkloads, cx: &Context) -> Selection {
    let live = !cx.model.facts.from_manifests;
    let pods_known = cx.model.knows(Kind::Pod);
    let mut backends = Vec::new();
    let mut idle = Vec::new();
    for w in ns.candidates(selector) {
        let key = &w.key;
        let template_labels = w.pod_labels();
        let template_matches = map_selector_matches(selector, &template_labels);
        if pods_known && !w.pods.is_empty() {
            let matched: Vec<&Pod> = w
                .pods
                .iter()
                .copied()
                .filter(|p| !pod_is_finished(p) && pod_matches(selector, p))
                .collect();
            if !matched.is_empty() {
                let mut ports = Vec::new();
                for p in &matched {
                    for dp in pod_declared_ports(p) {
                        if !ports.contains(&dp) {
                            ports.push(dp);
                        }
                    }
                }
                let endpoints = if matched.iter().any(|p| p.status.is_some()) {
                    Endpoints::Ready(matched.iter().filter(|p| pod_is_ready(p)).count() as i32)
                } else {
                    Endpoints::Desired(Some(matched.len() as i32))
                };
                backends.push(Backend {
                    key: key.clone(),
                    template: false,
                    pods: matched.len(),
                    ports,
                    endpoints,
                });
            }
        } else if template_matches {
            if live && pods_known {
                // On a live cluster the pods are the truth: a matching template with no
                // pods (scaled to zero, failing to create) provides no endpoints.
                idle.push(key.clone());
            } else {
                backends.push(Backend {
                    key: key.clone(),
                    template: true,
                    pods: 0,
                    ports: declared_ports(w.spec()),
                    endpoints: Endpoints::Desired(template_replicas(w, cx)),
                });
            }
        }
    }
    // Only a Service that finds nothing needs the closest miss, for its finding.
    let mut closest: Option<(usize, WorkloadKey, Vec<String>)> = None;
    if backends.is_empty() && idle.is_empty() {
        for w in &ns.workloads {
            let template_labels = w.pod_labels();
            let same = selector
                .iter()
                .filter(|(k, v)| template_labels.get(*k) == Some(*v))
                .count();
            if same > 0 && closest.as_ref().is_none_or(|(n, _, _)| same > *n) {
                let differing = selector
                    .iter()
                    .filter(|(k, v)| template_labels.get(*k) != Some(*v))
                    .map(|(k, v)| match template_labels.get(k) {
                        Some(have) => format!("{k}={have} (not {v})"),
                        None => format!("no {k} label"),
                    })
                    .collect();
                closest = Some((same, w.key.clone(), differing));
            }
        }
    }
    Selection {
        backends,
        idle,
        closest: closest.map(|(_, k, d)| (k, d)),
    }
}

fn selector_text(selector: &Labels) -> String {
    selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn port_text(p: &DeclaredPort) -> String {
    let mut s = p.number.to_string();
    if p.protocol != "TCP" {
        s.push_str(&format!("/{}", p.protocol));
    }
    if let Some(n) = &p.name {
        s.push_str(&format!(" ({n})"));
    }
    s
}

/// What the Service checks grade against: the workloads of one namespace (built once per
/// namespace, shared by its Services).
pub struct ServiceScope<'m> {
    pub cx: Context<'m>,
    pub workloads: NamespaceWorkloads<'m>,
}

impl<'m> ServiceScope<'m> {
    pub fn new(cx: Context<'m>, namespace: &str) -> ServiceScope<'m> {
        let model = cx.model;
        let workloads = NamespaceWorkloads::new(
            model
                .workload_keys_in(namespace)
                .iter()
                .filter_map(|k| model.workload(k))
                .collect(),
        );
        ServiceScope { cx, workloads }
    }
}

/// One Service and what it selects, worked out once for every Service check.
pub struct ServiceView<'a> {
    pub svc: &'a Service,
    pub cx: Context<'a>,
    /// The selection; or the verdict every Service check shares when there is none to judge
    /// (an ExternalName Service, no selector, kinds shipshape cannot see).
    judged: Result<Selection, Verdict>,
}

impl<'a> ServiceView<'a> {
    pub fn new(svc: &'a Service, scope: &'a ServiceScope<'a>) -> ServiceView<'a> {
        ServiceView {
            svc,
            cx: scope.cx,
            judged: judge(svc, scope),
        }
    }

    fn selector(&self) -> Option<&'a Labels> {
        self.svc.spec.as_ref().and_then(|s| s.selector.as_ref())
    }
}

fn judge(svc: &Service, scope: &ServiceScope) -> Result<Selection, Verdict> {
    let cx = &scope.cx;
    let spec = svc.spec.as_ref();
    if spec.and_then(|s| s.type_.as_deref()) == Some("ExternalName") {
        return Err(Verdict::na(
            "an ExternalName Service is a DNS alias and selects no pods",
        ));
    }
    let Some(selector) = spec
        .and_then(|s| s.selector.as_ref())
        .filter(|s| !s.is_empty())
    else {
        return Err(Verdict::na(
            "the Service has no selector: its endpoints are managed outside Kubernetes' selection",
        ));
    };
    let live = !cx.model.facts.from_manifests;
    let mut sel = select(selector, &scope.workloads, cx);
    // On a live cluster the pods are the truth (they carry the hash the selector names).
    if sel.backends.is_empty() && !(live && cx.model.knows(Kind::Pod)) {
        if let Some(rollout) = rollout_naming(svc, &scope.workloads) {
            // Argo Rollouts points the Service at the Rollout's pods itself (it adds
            // `rollouts-pod-template-hash` to the selector): it selects them by definition,
            // though a captured selector names a hash the template does not carry.
            sel.idle.retain(|k| *k != rollout.key);
            sel.closest = None;
            sel.backends.push(Backend {
                key: rollout.key.clone(),
                template: true,
                pods: 0,
                ports: declared_ports(rollout.spec()),
                endpoints: Endpoints::Desired(template_replicas(rollout, cx)),
            });
        }
    }
    let needed: &[Kind] = if live && cx.model.knows(Kind::Pod) {
        &[Kind::Pod]
    } else {
        WORKLOAD_KINDS
    };
    if sel.backends.is_empty() {
        if let Some(why) = cx.missing(needed) {
            return Err(Verdict::unknown(why));
        }
    }
    Ok(sel)
}

const SELECTS_NOTHING: &str = "the Service selects no pods";

fn selects_pods(v: &ServiceView) -> Verdict {
    let sel = match &v.judged {
        Ok(sel) => sel,
        Err(verdict) => return verdict.clone(),
    };
    if !sel.backends.is_empty() {
        let described: Vec<String> = sel.backends.iter().map(Backend::describe).collect();
        return Verdict::pass(format!("selects {}", described.join(", ")));
    }
    let namespace = v.svc.metadata.namespace.as_deref().unwrap_or_default();
    let live = !v.cx.model.facts.from_manifests;
    let mut msg = format!(
        "selector {} matches no {}pods in namespace {namespace}",
        selector_text(v.selector().expect("judged Services have a selector")),
        if live { "running " } else { "" }
    );
    if !sel.idle.is_empty() {
        let idle: Vec<String> = sel
            .idle
            .iter()
            .map(|k| format!("{} {}", k.kind, k.name))
            .collect();
        msg.push_str(&format!(
            "; {} would match but has no pods",
            idle.join(", ")
        ));
    } else if let Some((k, diff)) = &sel.closest {
        msg.push_str(&format!(
            "; closest is {} {}, whose pods have {}",
            k.kind,
            k.name,
            diff.join(", ")
        ));
    }
    Verdict::fail(msg)
}

/// The Service's backends, or the verdict when there are none to judge.
fn backends<'v>(v: &'v ServiceView) -> Result<&'v [Backend], Verdict> {
    match &v.judged {
        Err(verdict) => Err(verdict.clone()),
        Ok(sel) if sel.backends.is_empty() => Err(Verdict::na(SELECTS_NOTHING)),
        Ok(sel) => Ok(&sel.backends),
    }
}

fn target_port(v: &ServiceView) -> Verdict {
    match backends(v) {
        Ok(b) => target_port_of(v.svc, b),
        Err(verdict) => verdict,
    }
}

fn single_endpoint(v: &ServiceView) -> Verdict {
    let publish_not_ready = v
        .svc
        .spec
        .as_ref()
        .and_then(|s| s.publish_not_ready_addresses)
        == Some(true);
    match backends(v) {
        Ok(b) => single_endpoint_of(b, publish_not_ready),
        Err(verdict) => verdict,
    }
}

fn target_port_of(svc: &Service, backends: &[Backend]) -> Verdict {
    let ports = svc
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .filter(|p| !p.is_empty());
    let Some(ports) = ports else {
        return Verdict::na("the Service declares no ports");
    };
    let declared: Vec<&DeclaredPort> = backends.iter().flat_map(|b| b.ports.iter()).collect();
    let mut problems = Vec::new();
    let mut unverifiable = Vec::new();
    for p in ports {
        let protocol = p.protocol.as_deref().unwrap_or("TCP");
        let target = p.target_port.clone().unwrap_or(IntOrString::Int(p.port));
        match &target {
            IntOrString::Int(n) => {
                let found = declared
                    .iter()
                    .any(|d| d.number == *n && d.protocol == protocol);
                if found {
                    continue;
                }
                if declared.is_empty() {
                    unverifiable.push(n.to_string());
                } else {
                    problems.push(format!(
                        "port {} targets {n}, which no selected container declares",
                        p.port
                    ));
                }
            }
            IntOrString::String(name) => {
                let found = declared
                    .iter()
                    .any(|d| d.name.as_deref() == Some(name.as_str()) && d.protocol == protocol);
                if !found {
                    problems.push(format!(
                        "port {} targets the port named `{name}`, which no selected container declares",
                        p.port
                    ));
                }
            }
        }
    }
    let have = if declared.is_empty() {
        "none".to_string()
    } else {
        let mut texts: Vec<String> = Vec::new();
        for d in &declared {
            let t = port_text(d);
            if !texts.contains(&t) {
                texts.push(t);
            }
        }
        texts.join(", ")
    };
    if !problems.is_empty() {
        Verdict::fail(format!(
            "{} (declared container ports: {have})",
            problems.join("; ")
        ))
    } else if !unverifiable.is_empty() {
        Verdict::unknown(format!(
            "the selected containers declare no ports, so targetPort {} cannot be checked",
            unverifiable.join(", ")
        ))
    } else {
        Verdict::pass("every targetPort matches a declared container port")
    }
}

/// `publish_not_ready`: the Service sends traffic to pods that are not ready, so every
/// running pod is an endpoint.
fn single_endpoint_of(backends: &[Backend], publish_not_ready: bool) -> Verdict {
    let live = backends
        .iter()
        .any(|b| matches!(b.endpoints, Endpoints::Ready(_)));
    let mut total = 0;
    let mut unknown = Vec::new();
    for b in backends {
        match b.endpoints {
            Endpoints::Ready(_) if publish_not_ready => total += b.pods as i32,
            Endpoints::Ready(n) | Endpoints::Desired(Some(n)) => total += n,
            Endpoints::Desired(None) => unknown.push(format!("{} {}", b.key.kind, b.key.name)),
        }
    }
    let noun = match (live, publish_not_ready) {
        (true, true) => "running pod",
        (true, false) => "ready pod",
        (false, _) => "replica",
    };
    let plural = |n: i32| {
        if n == 1 {
            format!("1 {noun}")
        } else {
            format!("{n} {noun}s")
        }
    };
    if total >= 2 {
        return Verdict::pass(format!("backed by {}", plural(total)));
    }
    if !unknown.is_empty() {
        return Verdict::unknown(format!(
            "the replica count of {} is not known",
            unknown.join(", ")
        ));
    }
    let who: Vec<String> = backends
        .iter()
        .map(|b| format!("{} {}", b.key.kind, b.key.name))
        .collect();
    Verdict::fail(if total == 0 && live {
        format!("no ready pod backs the Service ({})", who.join(", "))
    } else {
        format!(
            "backed by {} ({}): any restart or drain is an outage",
            plural(total),
            who.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    const SERVICE_CHECKS: [&str; 3] = [
        "service.selects-pods",
        "service.target-port",
        "service.single-endpoint",
    ];
    use crate::checks::{Severity, Status};
    use crate::config::Config;
    use crate::grade::{grade_all, Grades};
    use crate::source::LoadOptions;
    use crate::testing::{grade, model, model_with, object, object_result};

    const DEPLOY: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers:
        - name: app
          image: example/web:1.0
          ports: [{name: http, containerPort: 8080}]
"#;

    const SVC: &str = "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}]\n";

    const ROW: &str = "Service/shop/web";

    fn both() -> String {
        format!("{DEPLOY}{SVC}")
    }

    fn live(yaml: &str) -> Grades {
        let mut m = model(yaml);
        m.facts.from_manifests = false;
        grade_all(&m, &Config::default())
    }

    fn partial(yaml: &str) -> Grades {
        let opts = LoadOptions {
            partial: true,
            ..Default::default()
        };
        grade_all(&model_with(yaml, &opts), &Config::default())
    }

    fn pod(name: &str, labels: &str, ready: Option<bool>) -> String {
        let status = match ready {
            None => String::new(),
            Some(r) => format!(
                "status:\n  phase: Running\n  conditions: [{{type: Ready, status: \"{}\"}}]\n",
                if r { "True" } else { "False" }
            ),
        };
        format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: shop\n  labels: {labels}\n  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: web-abc, uid: u1, controller: true}}]\nspec:\n  containers: [{{name: app, image: example/web:1.0, ports: [{{name: http, containerPort: 8080}}]}}]\n{status}"
        )
    }

    #[test]
    fn a_service_over_a_replicated_template_passes() {
        let g = grade(&both());
        let r = object_result(&g, ROW, "service.selects-pods");
        assert_eq!((r.status, r.severity), (Status::Pass, Severity::Critical));
        assert!(
            r.message.contains("pod template of Deployment web"),
            "{}",
            r.message
        );
        assert_eq!(
            object_result(&g, ROW, "service.target-port").status,
            Status::Pass
        );
        let r = object_result(&g, ROW, "service.single-endpoint");
        assert_eq!((r.status, r.severity), (Status::Pass, Severity::Warning));
        assert!(r.message.contains("2 replicas"), "{}", r.message);
        assert_eq!(object(&g, ROW).results.len(), 3);
    }

    #[test]
    fn a_selector_matching_nothing_fails_with_the_closest_miss() {
        let g = grade(&both().replace("selector: {app: web}", "selector: {app: web, tier: back}"));
        let r = object_result(&g, ROW, "service.selects-pods");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert!(r.message.contains("app=web,tier=back"), "{}", r.message);
        assert!(r.message.contains("tier=front (not back)"), "{}", r.message);
        assert_eq!(
            object_result(&g, ROW, "service.target-port").status,
            Status::NotApplicable
        );
        assert_eq!(
            object_result(&g, ROW, "service.single-endpoint").status,
            Status::NotApplicable
        );
        // Selection is an AND of all labels, against every workload kind's template.
        let sts = both()
            .replace("kind: Deployment", "kind: StatefulSet")
            .replace(
                "selector: {app: web}\n  ports",
                "selector: {app: web, tier: front}\n  ports",
            );
        let g = grade(&sts);
        let r = object_result(&g, ROW, "service.selects-pods");
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("StatefulSet web"), "{}", r.message);
    }

    #[test]
    fn external_name_and_selectorless_services_are_na() {
        let ext = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {type: ExternalName, externalName: db.example.com}\n";
        let g = grade(ext);
        for id in SERVICE_CHECKS {
            let r = object_result(&g, ROW, id);
            assert_eq!(r.status, Status::NotApplicable, "{id}");
            assert!(r.message.contains("ExternalName"));
        }
        let manual = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  ports: [{port: 5432}]\n";
        let g = grade(manual);
        for id in SERVICE_CHECKS {
            let r = object_result(&g, ROW, id);
            assert_eq!(r.status, Status::NotApplicable, "{id}");
            assert!(r.message.contains("no selector"));
        }
        // An empty selector map means "no selector" too.
        let empty = manual.replace("spec:\n", "spec:\n  selector: {}\n");
        assert_eq!(
            object_result(&grade(&empty), ROW, "service.selects-pods").status,
            Status::NotApplicable
        );
    }

    #[test]
    fn target_port_by_name_number_and_default() {
        let wrong_name = both().replace("targetPort: http", "targetPort: web");
        let g = grade(&wrong_name);
        let r = object_result(&g, ROW, "service.target-port");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert!(r.message.contains("`web`"), "{}", r.message);
        assert!(r.message.contains("8080 (http)"), "{}", r.message);
        let number = both().replace("targetPort: http", "targetPort: 8080");
        assert_eq!(
            object_result(&grade(&number), ROW, "service.target-port").status,
            Status::Pass
        );
        // targetPort defaults to the Service port: 80 is not declared.
        let default = both().replace(", targetPort: http", "");
        let r = object_result(&grade(&default), ROW, "service.target-port").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("port 80 targets 80"), "{}", r.message);
        // Protocol must match too.
        let udp = both().replace("targetPort: http}", "targetPort: http, protocol: UDP}");
        assert_eq!(
            object_result(&grade(&udp), ROW, "service.target-port").status,
            Status::Fail
        );
        // Containers that declare no ports: a number cannot be checked, a name can never work.
        let undeclared =
            both().replace("          ports: [{name: http, containerPort: 8080}]\n", "");
        let g = grade(&undeclared.replace("targetPort: http", "targetPort: 8080"));
        let r = object_result(&g, ROW, "service.target-port");
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("declare no ports"), "{}", r.message);
        assert_eq!(
            object_result(&grade(&undeclared), ROW, "service.target-port").status,
            Status::Fail
        );
    }

    #[test]
    fn sidecar_ports_count_but_init_ports_do_not() {
        let with_sidecar = both()
            .replace("targetPort: http", "targetPort: metrics")
            .replace(
                "      containers:\n",
                "      initContainers:\n        - {name: proxy, image: example/p:1, restartPolicy: Always, ports: [{name: metrics, containerPort: 9090}]}\n      containers:\n",
            );
        assert_eq!(
            object_result(&grade(&with_sidecar), ROW, "service.target-port").status,
            Status::Pass
        );
        let plain_init = with_sidecar.replace(", restartPolicy: Always", "");
        assert_eq!(
            object_result(&grade(&plain_init), ROW, "service.target-port").status,
            Status::Fail
        );
    }

    #[test]
    fn single_replica_templates_fail_single_endpoint() {
        let one = both().replace("replicas: 2", "replicas: 1");
        let g = grade(&one);
        let r = object_result(&g, ROW, "service.single-endpoint");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(
            r.message.contains("1 replica (Deployment web)"),
            "{}",
            r.message
        );
        // An HPA that keeps at least two replicas counts.
        let hpa = "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 3\n  maxReplicas: 6\n";
        assert_eq!(
            object_result(
                &grade(&format!("{one}{hpa}")),
                ROW,
                "service.single-endpoint"
            )
            .status,
            Status::Pass
        );
        // Two single-replica workloads behind one Service make two endpoints.
        let canary = DEPLOY
            .replace("name: web, namespace", "name: web-canary, namespace")
            .replace("replicas: 2", "replicas: 1");
        assert_eq!(
            object_result(
                &grade(&format!("{one}---{canary}")),
                ROW,
                "service.single-endpoint"
            )
            .status,
            Status::Pass
        );
        // A DaemonSet's size is unknown from manifests.
        let ds = both()
            .replace("kind: Deployment", "kind: DaemonSet")
            .replace("  replicas: 2\n", "");
        let r = object_result(&grade(&ds), ROW, "service.single-endpoint").clone();
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("DaemonSet web"), "{}", r.message);
    }

    #[test]
    fn live_pods_are_the_truth() {
        let rs = "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-abc\n  namespace: shop\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]\nspec:\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}}\n";
        let pods = format!(
            "{}{}",
            pod("web-abc-1", "{app: web}", Some(true)),
            pod("web-abc-2", "{app: web}", Some(false))
        );
        let g = live(&format!("{}{rs}{pods}", both()));
        let r = object_result(&g, ROW, "service.selects-pods");
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        assert!(
            r.message.contains("Deployment web (2 pods)"),
            "{}",
            r.message
        );
        // Two pods but only one ready: a single endpoint.
        let r = object_result(&g, ROW, "service.single-endpoint");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("1 ready pod"), "{}", r.message);
        // Unless the Service publishes not-ready pods too.
        let publish = both().replace(
            "  selector: {app: web}\n  ports",
            "  publishNotReadyAddresses: true\n  selector: {app: web}\n  ports",
        );
        let g2 = live(&format!("{publish}{rs}{pods}"));
        assert_eq!(
            object_result(&g2, ROW, "service.single-endpoint").status,
            Status::Pass
        );
        // Both ready passes.
        let pods_ok = pods.replace("status: \"False\"", "status: \"True\"");
        let g = live(&format!("{}{rs}{pods_ok}", both()));
        let r = object_result(&g, ROW, "service.single-endpoint");
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("2 ready pods"), "{}", r.message);
        // A Deployment with no pods on a live cluster gives the Service no endpoints.
        let g = live(&both());
        let r = object_result(&g, ROW, "service.selects-pods");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message
                .contains("Deployment web would match but has no pods"),
            "{}",
            r.message
        );
    }

    #[test]
    fn missing_kinds_make_service_checks_unknown() {
        // Only the Service is in a partial input: the pods could be anywhere.
        let g = partial(SVC.trim_start_matches("---\n"));
        for id in SERVICE_CHECKS {
            let r = object_result(&g, ROW, id);
            assert_eq!(r.status, Status::Unknown, "{id}");
            assert!(r.message.contains("not in the input"), "{}", r.message);
        }
        // A match is a match even when other kinds are unknown.
        let g = partial(&both());
        assert_eq!(
            object_result(&g, ROW, "service.selects-pods").status,
            Status::Pass
        );
    }

    const ING: &str = r#"---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {number: 80}}}
"#;
    const IROW: &str = "Ingress/shop/web";

    #[test]
    fn ingress_backends_must_exist() {
        let g = grade(&format!("{}{ING}", both()));
        let r = object_result(&g, IROW, "ingress.backend");
        assert_eq!((r.status, r.severity), (Status::Pass, Severity::Critical));
        let r = object_result(&g, IROW, "ingress.tls");
        assert_eq!((r.status, r.severity), (Status::Pass, Severity::Warning));
        // And the certificate, which no cert-manager Certificate here describes.
        let r = object_result(&g, IROW, "ingress.cert-expiry");
        assert_eq!(r.status, Status::Unknown, "{}", r.message);
        assert_eq!(object(&g, IROW).results.len(), 3);
        // By port name.
        let by_name = ING.replace("port: {number: 80}", "port: {name: http}");
        assert_eq!(
            object_result(
                &grade(&format!("{}{by_name}", both())),
                IROW,
                "ingress.backend"
            )
            .status,
            Status::Pass
        );
        // A wrong port.
        let wrong_port = ING.replace("number: 80", "number: 8080");
        let g = grade(&format!("{}{wrong_port}", both()));
        let r = object_result(&g, IROW, "ingress.backend");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message
                .contains("shop.example.com/ → Service web has no port 8080 (it has 80 (http))"),
            "{}",
            r.message
        );
        // A missing Service, in the default backend.
        let default = ING.replace(
            "spec:\n",
            "spec:\n  defaultBackend: {service: {name: fallback, port: {number: 80}}}\n",
        );
        let g = grade(&format!("{}{default}", both()));
        let r = object_result(&g, IROW, "ingress.backend");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message
                .contains("default backend → Service fallback does not exist"),
            "{}",
            r.message
        );
        // A Service of the same name in another namespace does not count.
        let elsewhere = both().replace("namespace: shop", "namespace: other");
        let r = object_result(
            &grade(&format!("{elsewhere}{ING}")),
            IROW,
            "ingress.backend",
        )
        .clone();
        assert_eq!(r.status, Status::Fail);
    }

    #[test]
    fn resource_backends_are_not_judged() {
        let resource = ING.replace(
            "backend: {service: {name: web, port: {number: 80}}}",
            "backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}}",
        );
        let r = object_result(&grade(&resource), IROW, "ingress.backend").clone();
        assert_eq!(r.status, Status::NotApplicable);
        assert!(r.message.contains("resource backends"), "{}", r.message);
        // Unknown when Services are not visible.
        let g = partial(ING.trim_start_matches("---\n"));
        assert_eq!(
            object_result(&g, IROW, "ingress.backend").status,
            Status::Unknown
        );
    }

    #[test]
    fn ingress_tls() {
        let plain = ING.replace(
            "  tls: [{hosts: [shop.example.com], secretName: shop-tls}]\n",
            "",
        );
        let r = object_result(&grade(&format!("{}{plain}", both())), IROW, "ingress.tls").clone();
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(r.message.contains("no tls section"), "{}", r.message);
        // A host the tls section does not list is served in clear.
        let other_host = ING.replace("- host: shop.example.com", "- host: api.example.org");
        let r = object_result(
            &grade(&format!("{}{other_host}", both())),
            IROW,
            "ingress.tls",
        )
        .clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("api.example.org"), "{}", r.message);
        // A wildcard certificate covers one label.
        let wildcard = ING.replace("hosts: [shop.example.com]", "hosts: [\"*.example.com\"]");
        assert_eq!(
            object_result(
                &grade(&format!("{}{wildcard}", both())),
                IROW,
                "ingress.tls"
            )
            .status,
            Status::Pass
        );
        assert!(!crate::checks::ingress::tls_covers(
            "*.example.com",
            "a.b.example.com"
        ));
        // A tls entry without hosts covers every host.
        let any = ING.replace("hosts: [shop.example.com], ", "");
        assert_eq!(
            object_result(&grade(&format!("{}{any}", both())), IROW, "ingress.tls").status,
            Status::Pass
        );
    }
}
