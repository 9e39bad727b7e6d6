//! K — cluster add-ons (seed 001 "production cluster additions", seed 003 "certificates",
//! seed 004 "Node Termination Handler", "monitors and alerts"): is the cluster itself ready for
//! production? Each check names what it found and where, or what it looked for.
//!
//! Components are recognised by the table in [`super::components`]. Checks marked runtime
//! (logging, traffic, certificates, backups) also raise an alert on the cluster row when the
//! add-on is there but failing ([`alerts`]).

use super::components::{of_role, Component, Role};
use super::list;
use crate::checks::catalogue::{def, Section};
use crate::checks::registry::{Applies, Check, Grade};
use crate::checks::{Alert, Category, CheckResult, Context, Severity, Status, Subject, Verdict};
use crate::cluster::crd::velero::Backup;
use crate::cluster::object::TypedStore;
use crate::cluster::packed::Packed;
use crate::cluster::{HeldWorkload, Kind, WorkloadKey, WorkloadKind, WorkloadObject};
use chrono::{DateTime, Duration, Utc};
use k8s_openapi::api::core::v1::{Node, PodSpec, Taint, Toleration};
use std::collections::{BTreeMap, BTreeSet};

const SECTION: Section = Section {
    category: Category::Cluster,
    subject: Subject::Cluster,
};

/// The kinds components run as.
const WORKLOADS: &[Kind] = &[Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet];

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "cluster.logging",
            Severity::Warning,
            "A log agent ships every node's logs",
            "no log-shipping agent runs as a DaemonSet; runtime: it is not ready on every node it should run on",
            "Container logs live on the node and vanish with the pod or the node; without an agent shipping them, the logs of the crash you are investigating are gone.",
            "Run a log agent as a DaemonSet (or name yours under [[components]] in the config):\n\nhelm repo add fluent https://fluent.github.io/helm-charts\nhelm install fluent-bit fluent/fluent-bit -n logging --create-namespace\n# not ready on a node: kubectl -n logging get pods -o wide; kubectl describe pod <pod>",
        ),
        applies: Applies::Always,
        needs: &[Kind::DaemonSet],
        reads: &[Kind::DaemonSet, Kind::Node],
        grade: Grade::Cluster(logging),
    },
    Check {
        def: def(
            SECTION,
            "cluster.monitoring",
            Severity::Warning,
            "A metrics stack runs",
            "neither a Prometheus-compatible server (Prometheus, VictoriaMetrics, Grafana Alloy/Agent, OpenTelemetry Collector, Datadog…) nor kube-state-metrics runs",
            "Without a time-series database and kube-state-metrics nobody sees saturation, error rates or pods that stopped being available until users do; alerts have nothing to evaluate.",
            "Install a metrics stack, e.g. kube-prometheus-stack (Prometheus, Alertmanager, kube-state-metrics, node-exporter):\n\nhelm repo add prometheus-community https://prometheus-community.github.io/helm-charts\nhelm install monitoring prometheus-community/kube-prometheus-stack -n monitoring --create-namespace",
        ),
        applies: Applies::Always,
        needs: &[Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet],
        reads: WORKLOADS,
        grade: Grade::Cluster(monitoring),
    },
    Check {
        def: def(
            SECTION,
            "cluster.alerting",
            Severity::Warning,
            "Alerts cover crash loops, image pulls and missing replicas",
            "no alert rule (PrometheusRule or equivalent, when served) covers each of: a container in CrashLoopBackOff, in ImagePullBackOff, fewer available replicas than desired",
            "Metrics nobody is alerted on are a dashboard nobody watches: a crash-looping container, an image that cannot be pulled and a Deployment below its replicas are the three states that take a service down quietly.",
            "Add alerting rules for the uncovered states (kube-prometheus ships KubePodCrashLooping and KubeDeploymentReplicasMismatch):\n\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: workload-alerts, namespace: monitoring}\nspec:\n  groups:\n    - name: workloads\n      rules:\n        - alert: KubePodImagePullBackOff\n          expr: max by (namespace, pod, container) (kube_pod_container_status_waiting_reason{reason=~\"ImagePullBackOff|ErrImagePull\"}) >= 1\n          for: 10m\n          labels: {severity: warning}",
        ),
        applies: Applies::Always,
        needs: &[Kind::PrometheusRule],
        reads: &[
            Kind::PrometheusRule,
            Kind::Deployment,
            Kind::StatefulSet,
            Kind::DaemonSet,
        ],
        grade: Grade::Cluster(alerting),
    },
    Check {
        def: def(
            SECTION,
            "cluster.tracing",
            Severity::Info,
            "A tracing collector runs",
            "no tracing collector (OpenTelemetry Collector, Jaeger, Tempo, Zipkin) runs",
            "A request that crosses five services and is slow somewhere is found in minutes with a trace and in days without one.",
            "Run a trace collector and point the services' OpenTelemetry SDKs at it:\n\nhelm repo add open-telemetry https://open-telemetry.github.io/opentelemetry-helm-charts\nhelm install otel-collector open-telemetry/opentelemetry-collector -n observability --set mode=deployment",
        ),
        applies: Applies::Always,
        needs: &[Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet],
        reads: WORKLOADS,
        grade: Grade::Cluster(tracing),
    },
    Check {
        def: def(
            SECTION,
            "cluster.traffic",
            Severity::Warning,
            "A controller serves the Ingresses and routes",
            "Ingresses or Gateway API routes exist but no controller serving their class runs, or its pods are not ready (runtime)",
            "An Ingress or HTTPRoute is only a wish: without a running controller for its class no traffic reaches the Services behind it, and nothing in the object says so.",
            "Install the controller the class names (or name yours under [[components]] with its `controllers`):\n\nhelm upgrade --install ingress-nginx ingress-nginx --repo https://kubernetes.github.io/ingress-nginx -n ingress-nginx --create-namespace\n# not ready: kubectl -n ingress-nginx describe pods",
        ),
        applies: Applies::Always,
        needs: &[
            Kind::Ingress,
            Kind::HTTPRoute,
            Kind::GRPCRoute,
            Kind::Deployment,
            Kind::DaemonSet,
        ],
        reads: &[
            Kind::Ingress,
            Kind::IngressClass,
            Kind::HTTPRoute,
            Kind::GRPCRoute,
            Kind::Gateway,
            Kind::GatewayClass,
            Kind::Deployment,
            Kind::StatefulSet,
            Kind::DaemonSet,
        ],
        grade: Grade::Cluster(traffic),
    },
    Check {
        def: def(
            SECTION,
            "cluster.network-policy-enforced",
            Severity::Warning,
            "NetworkPolicies are enforced",
            "NetworkPolicies exist but no CNI known to enforce them runs (Calico, Cilium, Antrea, kube-router, Weave, a cloud's policy agent)",
            "The API server accepts NetworkPolicies whatever the network plugin; a CNI that does not enforce them ignores them silently, and the isolation they promise does not exist.",
            "Run a CNI or policy agent that enforces NetworkPolicy, e.g. enable it on the managed CNI:\n\n# EKS (VPC CNI 1.14+)\naws eks update-addon --cluster-name prod --addon-name vpc-cni --configuration-values '{\"enableNetworkPolicy\": \"true\"}'\n# or install Calico or Cilium",
        ),
        applies: Applies::Always,
        needs: &[Kind::NetworkPolicy, Kind::DaemonSet],
        reads: &[Kind::NetworkPolicy, Kind::DaemonSet, Kind::Deployment, Kind::StatefulSet],
        grade: Grade::Cluster(network_policy_enforced),
    },
    Check {
        def: def(
            SECTION,
            "cluster.certificates",
            Severity::Info,
            "TLS certificates are managed and renewed",
            "Ingresses or Gateways terminate TLS but no certificate manager (cert-manager with a Ready Issuer or ClusterIssuer) runs; runtime: an Issuer/ClusterIssuer that certificates use is not Ready",
            "A certificate copied into a Secret by hand expires on a date nobody remembers; how will you ensure certificates don't expire? A manager renews them, and an issuer that is not Ready renews nothing.",
            "Install cert-manager and a ClusterIssuer, then let Ingresses request certificates:\n\nhelm install cert-manager oci://quay.io/jetstack/charts/cert-manager -n cert-manager --create-namespace --set crds.enabled=true\n# an issuer that is not Ready: kubectl describe clusterissuer <name>",
        ),
        applies: Applies::Always,
        needs: &[
            Kind::Ingress,
            Kind::Gateway,
            Kind::Issuer,
            Kind::ClusterIssuer,
            Kind::Deployment,
        ],
        reads: &[
            Kind::Ingress,
            Kind::Gateway,
            Kind::Issuer,
            Kind::ClusterIssuer,
            Kind::Certificate,
            Kind::Deployment,
            Kind::StatefulSet,
            Kind::DaemonSet,
        ],
        grade: Grade::Cluster(certificates),
    },
    Check {
        def: def(
            SECTION,
            "cluster.secrets-management",
            Severity::Info,
            "Secrets come from a secret manager",
            "no external secret manager integration (External Secrets Operator, Sealed Secrets, Secrets Store CSI driver, Vault agent injector)",
            "Secrets created by hand or committed in plain manifests end up in shell histories and repositories, with no rotation and no audit trail.",
            "Keep secrets in a manager and sync them in, e.g. with the External Secrets Operator:\n\nhelm repo add external-secrets https://charts.external-secrets.io\nhelm install external-secrets external-secrets/external-secrets -n external-secrets --create-namespace",
        ),
        applies: Applies::Always,
        needs: &[Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet],
        reads: &[
            Kind::Deployment,
            Kind::StatefulSet,
            Kind::DaemonSet,
            Kind::ExternalSecret,
            Kind::ClusterSecretStore,
        ],
        grade: Grade::Cluster(secrets_management),
    },
    Check {
        def: def(
            SECTION,
            "cluster.policy",
            Severity::Info,
            "An admission policy enforces pod security",
            "no admission policy beyond namespace labels enforces pod security (Kyverno ClusterPolicy, Gatekeeper constraints, ValidatingAdmissionPolicy with a binding)",
            "Pod Security labels cover a fixed list of settings per namespace; registries, resource limits, labels and the exceptions a real cluster needs are enforced by an admission policy or not at all.",
            "Enforce policies at admission, e.g. a ValidatingAdmissionPolicy with a Deny binding (built in since 1.30), or Kyverno/Gatekeeper:\n\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {name: no-privileged}\nspec:\n  policyName: no-privileged\n  validationActions: [Deny]",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[
            Kind::ClusterPolicy,
            Kind::ConstraintTemplate,
            Kind::ValidatingAdmissionPolicy,
            Kind::ValidatingAdmissionPolicyBinding,
        ],
        grade: Grade::Cluster(policy),
    },
    Check {
        def: def(
            SECTION,
            "cluster.backups",
            Severity::Warning,
            "Persistent data is backed up on a schedule",
            "no backup tool (Velero, K8up, Kasten…) schedules backups when PVCs exist; runtime: the newest backup failed, or none completed within twice the schedule's interval (48 h when unknown)",
            "A PersistentVolume is one disk in one zone; deleting a namespace, a bad migration or ransomware takes the data with it unless a backup exists elsewhere, and a backup schedule whose runs fail is no backup.",
            "Schedule backups of the namespaces with claims, and watch that they complete:\n\nvelero schedule create daily --schedule '0 2 * * *' --include-namespaces data --ttl 720h\nvelero backup describe <newest> --details   # why the newest one failed",
        ),
        applies: Applies::Always,
        needs: &[Kind::PersistentVolumeClaim, Kind::Schedule, Kind::Backup],
        reads: &[
            Kind::PersistentVolumeClaim,
            Kind::StatefulSet,
            Kind::Schedule,
            Kind::Backup,
            Kind::Deployment,
            Kind::DaemonSet,
        ],
        grade: Grade::Cluster(backups),
    },
    Check {
        def: def(
            SECTION,
            "cluster.autoscaler",
            Severity::Info,
            "Nodes scale with demand",
            "no node autoscaling (cluster-autoscaler, Karpenter NodePools, a managed autoscaler's marker)",
            "Pod autoscaling without node autoscaling ends in Pending pods at the first traffic peak, and capacity sized for the peak is paid for all night.",
            "Run cluster-autoscaler for your node groups, or Karpenter with a NodePool:\n\nhelm repo add autoscaler https://kubernetes.github.io/autoscaler\nhelm install cluster-autoscaler autoscaler/cluster-autoscaler -n kube-system --set autoDiscovery.clusterName=prod",
        ),
        applies: Applies::Always,
        needs: &[Kind::Deployment],
        reads: &[Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet, Kind::NodePool, Kind::Node],
        grade: Grade::Cluster(autoscaler),
    },
    Check {
        def: def(
            SECTION,
            "cluster.node-termination",
            Severity::Warning,
            "Spot interruptions drain nodes gracefully",
            "spot or preemptible nodes exist (their well-known labels) but no interruption handler runs (aws-node-termination-handler, Karpenter interruption handling, the cloud's own)",
            "A spot node gets two minutes' notice; without a handler that cordons and drains it, its pods die mid-request and their replacements wait for a new node.",
            "Run an interruption handler for self-managed spot capacity:\n\nhelm install aws-node-termination-handler oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler -n kube-system\n# Karpenter: set settings.interruptionQueue to the SQS queue of interruption events",
        ),
        applies: Applies::Always,
        needs: &[Kind::Node],
        reads: &[Kind::Node, Kind::Deployment, Kind::DaemonSet],
        grade: Grade::Cluster(node_termination),
    },
];

/// A workload that is a component.
struct Found<'a> {
    component: &'a Component,
    key: WorkloadKey,
    spec: PodSpec,
    /// Pods (or nodes, for a DaemonSet) it should run; `None` when the input does not say.
    desired: Option<i32>,
    ready: Option<i32>,
}

impl Found<'_> {
    /// `fluent-bit DaemonSet in logging`.
    fn at(&self) -> String {
        format!(
            "{} {} in {}",
            self.component.name,
            self.key.kind.name(),
            self.key.namespace
        )
    }

    fn runs(&self) -> bool {
        self.desired != Some(0)
    }

    fn all_down(&self) -> bool {
        matches!((self.desired, self.ready), (Some(d), Some(r)) if d > 0 && r == 0)
    }

    /// `fluent-bit DaemonSet in logging (2/2 ready)`.
    fn described(&self) -> String {
        match (self.desired, self.ready) {
            (Some(d), Some(r)) => format!("{} ({r}/{d} ready)", self.at()),
            _ => self.at(),
        }
    }
}

/// Every workload of `kinds` that is a component of `role`, the config's entries first. The
/// desired and ready counts are read through the workload table; a controller's template is
/// decoded only when its name and images match a component (most do not).
fn found<'a>(cx: &Context<'a>, role: Role, kinds: &[Kind]) -> Vec<Found<'a>> {
    let components: Vec<&'a Component> = of_role(&cx.config.components, role).collect();
    let mut out = Vec::new();
    let s = &cx.model.stores;
    if kinds.contains(&Kind::Deployment) {
        found_in(
            &components,
            WorkloadKind::Deployment,
            &s.deployments,
            &mut out,
        );
    }
    if kinds.contains(&Kind::StatefulSet) {
        found_in(
            &components,
            WorkloadKind::StatefulSet,
            &s.stateful_sets,
            &mut out,
        );
    }
    if kinds.contains(&Kind::DaemonSet) {
        found_in(
            &components,
            WorkloadKind::DaemonSet,
            &s.daemon_sets,
            &mut out,
        );
    }
    out
}

/// The controllers of one store that are components, added to `out`.
fn found_in<'a, K: WorkloadObject + Sync>(
    components: &[&'a Component],
    kind: WorkloadKind,
    store: &'a TypedStore<Packed<K>>,
    out: &mut Vec<Found<'a>>,
) {
    for object in store.values() {
        let meta = object.metadata();
        let name = meta.name.as_deref().unwrap_or_default();
        let mut spec: Option<Option<PodSpec>> = None;
        let component = components.iter().find(|c| {
            c.may_match(name, object.images())
                && spec
                    .get_or_insert_with(|| object.pod_spec())
                    .as_ref()
                    .is_some_and(|spec| c.matches(name, spec))
        });
        if let (Some(component), Some(Some(spec))) = (component, spec) {
            out.push(Found {
                component,
                key: WorkloadKey::new(
                    kind.clone(),
                    meta.namespace.as_deref().unwrap_or_default(),
                    name,
                ),
                spec,
                desired: object.desired_replicas(),
                ready: object.ready_pods(),
            });
        }
    }
}

/// The components of `role` that run, each as `fluent-bit DaemonSet in logging (2/2 ready)`.
fn running_components(cx: &Context, role: Role) -> Vec<String> {
    found(cx, role, WORKLOADS)
        .iter()
        .filter(|f| f.runs())
        .map(Found::described)
        .collect()
}

/// `fluent-bit, fluentd, vector and 8 more`: what a check looked for.
fn looked_for(cx: &Context, role: Role) -> String {
    let mut names: Vec<String> = Vec::new();
    for c in of_role(&cx.config.components, role) {
        if !names.contains(&c.name) {
            names.push(c.name.clone());
        }
    }
    list(&names)
}

/// Absence from manifests says nothing about the cluster they are applied to.
fn absent(cx: &Context, what: String) -> Verdict {
    if cx.model.facts.from_manifests {
        Verdict::unknown(format!(
            "{what}; manifests need not describe the cluster's add-ons"
        ))
    } else {
        Verdict::fail(what)
    }
}

/// A verdict and, for a runtime failure, the alert it raises: on which add-on, and why.
struct Assessment {
    verdict: Verdict,
    alert: Option<(WorkloadKey, &'static str)>,
}

impl From<Verdict> for Assessment {
    fn from(verdict: Verdict) -> Assessment {
        Assessment {
            verdict,
            alert: None,
        }
    }
}

fn runtime(key: &WorkloadKey, reason: &'static str, message: String) -> Assessment {
    on(Some(key), reason, message)
}

/// A runtime failure; it raises an alert when the add-on's workload is in view.
fn on(key: Option<&WorkloadKey>, reason: &'static str, message: String) -> Assessment {
    Assessment {
        verdict: Verdict::fail(message),
        alert: key.map(|k| (k.clone(), reason)),
    }
}

// ---------------------------------------------------------------------------------------
// Logging

/// Whether a toleration tolerates a taint (the scheduler's rule).
fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    let effect_ok = t
        .effect
        .as_deref()
        .is_none_or(|e| e.is_empty() || e == taint.effect);
    let exists = t.operator.as_deref() == Some("Exists");
    let key_ok = match t.key.as_deref() {
        None | Some("") => exists,
        Some(k) => k == taint.key,
    };
    let value_ok = exists
        || t.value.as_deref().unwrap_or_default() == taint.value.as_deref().unwrap_or_default();
    effect_ok && key_ok && value_ok
}

/// Whether a DaemonSet's pods may land on the node: its nodeSelector and the node's taints.
/// The DaemonSet controller tolerates the node-condition taints (`node.kubernetes.io/*`) itself.
fn eligible(spec: &PodSpec, node: &Node) -> bool {
    let labels = node.metadata.labels.as_ref();
    let selected = spec
        .node_selector
        .iter()
        .flatten()
        .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v));
    let taints = node.spec.as_ref().and_then(|s| s.taints.as_ref());
    let tolerated = taints.into_iter().flatten().all(|taint| {
        !matches!(taint.effect.as_str(), "NoSchedule" | "NoExecute")
            || taint.key.starts_with("node.kubernetes.io/")
            || spec
                .tolerations
                .iter()
                .flatten()
                .any(|t| tolerates(t, taint))
    });
    selected && tolerated
}

/// Required node affinity is not evaluated here: with one, the controller's count is trusted.
fn has_required_affinity(spec: &PodSpec) -> bool {
    spec.affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .is_some_and(|n| {
            n.required_during_scheduling_ignored_during_execution
                .is_some()
        })
}

fn logging_assessment(cx: &Context) -> Assessment {
    let agents = found(cx, Role::Logging, &[Kind::DaemonSet]);
    if agents.is_empty() {
        return absent(
            cx,
            format!(
                "no log-shipping agent runs as a DaemonSet (looked for {})",
                looked_for(cx, Role::Logging)
            ),
        )
        .into();
    }
    let nodes: Vec<&Node> = if cx.model.knows(Kind::Node) {
        cx.model.stores.nodes.values().map(|n| &**n).collect()
    } else {
        Vec::new()
    };
    let mut fine = Vec::new();
    let mut short: Option<(String, &Found)> = None;
    for a in &agents {
        let should = if nodes.is_empty() || has_required_affinity(&a.spec) {
            a.desired
        } else {
            Some(nodes.iter().filter(|n| eligible(&a.spec, n)).count() as i32)
        };
        match (should, a.ready) {
            (Some(0), _) => fine.push(format!("{} (no node to run on)", a.at())),
            (Some(should), Some(ready)) if ready < should => {
                if short.is_none() {
                    short = Some((
                        format!(
                            "{} is ready on {ready} of the {should} nodes it should run on: logs of the others are not shipped",
                            a.at()
                        ),
                        a,
                    ));
                }
            }
            (Some(should), Some(_)) => fine.push(format!(
                "{}, {should} of {should} node{}",
                a.at(),
                if should == 1 { "" } else { "s" }
            )),
            _ => fine.push(format!("{} (readiness not reported)", a.at())),
        }
    }
    if let Some((message, a)) = short {
        return runtime(&a.key, "LogAgentNotReady", message);
    }
    Verdict::pass(list(&fine)).into()
}

fn logging(cx: &Context) -> Verdict {
    logging_assessment(cx).verdict
}

// ---------------------------------------------------------------------------------------
// Monitoring and tracing

fn present(cx: &Context, role: Role, missing: &str) -> Verdict {
    let running = running_components(cx, role);
    if running.is_empty() {
        absent(
            cx,
            format!("{missing} (looked for {})", looked_for(cx, role)),
        )
    } else {
        Verdict::pass(list(&running))
    }
}

fn monitoring(cx: &Context) -> Verdict {
    present(
        cx,
        Role::Monitoring,
        "no metrics stack: neither a Prometheus-compatible server nor kube-state-metrics runs",
    )
}

fn tracing(cx: &Context) -> Verdict {
    present(cx, Role::Tracing, "no tracing collector runs")
}

// ---------------------------------------------------------------------------------------
// Alerting

/// The three states of seed 004 that need an alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Watched {
    CrashLoop,
    ImagePull,
    Replicas,
}

impl Watched {
    const ALL: [Watched; 3] = [Watched::CrashLoop, Watched::ImagePull, Watched::Replicas];

    fn name(self) -> &'static str {
        match self {
            Watched::CrashLoop => "CrashLoopBackOff",
            Watched::ImagePull => "ImagePullBackOff",
            Watched::Replicas => "fewer available replicas than desired",
        }
    }
}

/// The container waiting reasons an expression's `kube_pod_container_status_waiting*`
/// selectors cover: `None` for every reason (no positive `reason` matcher).
fn waiting_reasons(expr: &str) -> Vec<Option<Vec<String>>> {
    let mut out = Vec::new();
    let mut rest = expr;
    while let Some(at) = rest.find("kube_pod_container_status_waiting") {
        rest = &rest[at + "kube_pod_container_status_waiting".len()..];
        let after = rest.trim_start_matches("_reason");
        let Some(selector) = after
            .strip_prefix('{')
            .and_then(|s| s.split_once('}'))
            .map(|(sel, _)| sel)
        else {
            out.push(None);
            continue;
        };
        let mut covered: Option<Vec<String>> = None;
        let mut excluded: Vec<String> = Vec::new();
        for matcher in selector.split(',') {
            let m = matcher.trim();
            let Some(v) = m.strip_prefix("reason") else {
                continue;
            };
            let v = v.trim_start();
            let (op, value) = ["=~", "!~", "!=", "="]
                .iter()
                .find_map(|op| v.strip_prefix(op).map(|val| (*op, val)))
                .unwrap_or(("=", v));
            let value = value.trim().trim_matches(['"', '\'', '`']);
            let values: Vec<String> = value
                .split('|')
                .map(|s| s.trim_matches(['.', '*', '(', ')']).to_string())
                .collect();
            match op {
                "=" | "=~" => covered = Some(values),
                _ => excluded.extend(values),
            }
        }
        out.push(match covered {
            Some(c) => Some(c),
            None if excluded.is_empty() => None,
            // Every reason but the excluded ones.
            None => Some(
                ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull"]
                    .iter()
                    .filter(|r| !excluded.iter().any(|e| e == *r))
                    .map(|r| r.to_string())
                    .collect(),
            ),
        });
    }
    out
}

/// The states an alerting rule covers, from its name and expression.
fn covers(alert: &str, expr: &str) -> BTreeSet<Watched> {
    let mut out = BTreeSet::new();
    let name = alert.to_ascii_lowercase();
    let waiting = waiting_reasons(expr);
    // A reason named outside a waiting-reason selector (`…{reason!="CrashLoopBackOff"}`
    // excludes it) counts only when the expression has no such selector.
    let reason = |r: &str| {
        (waiting.is_empty() && expr.contains(r))
            || waiting
                .iter()
                .any(|w| w.as_ref().is_none_or(|v| v.iter().any(|x| x == r)))
    };
    if name.contains("crashloop") || reason("CrashLoopBackOff") {
        out.insert(Watched::CrashLoop);
    }
    if name.contains("imagepull") || reason("ImagePullBackOff") || reason("ErrImagePull") {
        out.insert(Watched::ImagePull);
    }
    let deployment = expr.contains("kube_deployment_status_replicas_unavailable")
        || (expr.contains("kube_deployment_status_replicas_available")
            && expr.contains("kube_deployment_spec_replicas"));
    let stateful_set = expr.contains("kube_statefulset_status_replicas_ready")
        && expr.contains("kube_statefulset_replicas");
    if deployment
        || stateful_set
        || name.contains("replicasmismatch")
        || name.contains("replicas_mismatch")
    {
        out.insert(Watched::Replicas);
    }
    out
}

fn alerting(cx: &Context) -> Verdict {
    let rules = &cx.model.stores.prometheus_rules;
    if rules.is_empty() {
        let stack = found(cx, Role::Monitoring, WORKLOADS);
        let served =
            cx.model.sync_state(Kind::PrometheusRule) != crate::cluster::SyncState::NotServed;
        return match (served, stack.first()) {
            (false, Some(f)) => Verdict::unknown(format!(
                "the PrometheusRule API is not served; {} may alert from rules shipshape cannot read",
                f.at()
            )),
            _ => absent(
                cx,
                format!(
                    "no PrometheusRule objects: nothing alerts on {}",
                    Watched::ALL.map(Watched::name).join(", ")
                ),
            ),
        };
    }
    let mut by_state: BTreeMap<Watched, String> = BTreeMap::new();
    let mut count = 0;
    for r in rules.values() {
        let at = format!(
            "{}/{}",
            r.metadata.namespace.as_deref().unwrap_or_default(),
            r.metadata.name.as_deref().unwrap_or_default()
        );
        for rule in r.alerts() {
            count += 1;
            let alert = rule.alert.as_deref().unwrap_or_default();
            for state in covers(alert, &rule.expr_text()) {
                by_state
                    .entry(state)
                    .or_insert_with(|| format!("{alert} in {at}"));
            }
        }
    }
    let uncovered: Vec<&str> = Watched::ALL
        .iter()
        .filter(|s| !by_state.contains_key(s))
        .map(|s| s.name())
        .collect();
    if uncovered.is_empty() {
        let covered: Vec<String> = by_state
            .iter()
            .map(|(s, by)| format!("{} ({by})", s.name()))
            .collect();
        Verdict::pass(format!("alerts cover {}", covered.join("; ")))
    } else {
        // Manifests hold the rules of what they deploy, not every rule of the cluster.
        absent(
            cx,
            format!(
                "no alerting rule covers {} ({count} alerting rule{} in {} PrometheusRule{})",
                uncovered.join(", "),
                if count == 1 { "" } else { "s" },
                rules.len(),
                if rules.len() == 1 { "" } else { "s" }
            ),
        )
    }
}

// ---------------------------------------------------------------------------------------
// Traffic

/// Managed controllers with no pods in the cluster.
const MANAGED_CONTROLLERS: &[&str] = &["networking.gke.io/gateway"];

fn traffic_assessment(cx: &Context) -> Assessment {
    let s = &cx.model.stores;
    let routes = s.http_routes.len() + s.grpc_routes.len();
    if s.ingresses.is_empty() && routes == 0 {
        return Verdict::na("no Ingresses or Gateway API routes").into();
    }
    // Controller name → what needs it.
    let mut wanted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unresolved = 0;
    let default_class = s.ingress_classes.values().find(|c| {
        c.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("ingressclass.kubernetes.io/is-default-class"))
            .is_some_and(|v| v == "true")
    });
    for ing in s.ingresses.values() {
        let named = ing
            .spec
            .as_ref()
            .and_then(|sp| sp.ingress_class_name.as_deref())
            .or_else(|| {
                ing.metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get("kubernetes.io/ingress.class"))
                    .map(String::as_str)
            });
        let class = match named {
            Some(n) => s
                .ingress_classes
                .get(&(String::new(), n.to_string()))
                .map(|c| &**c),
            None => default_class.map(|c| &**c),
        };
        match class
            .and_then(|c| c.spec.as_ref())
            .and_then(|sp| sp.controller.clone())
        {
            Some(controller) => {
                wanted.entry(controller).or_default().insert(format!(
                    "IngressClass {}",
                    class
                        .and_then(|c| c.metadata.name.clone())
                        .unwrap_or_default()
                ));
            }
            None => unresolved += 1,
        }
    }
    let route_parents = s
        .http_routes
        .values()
        .map(|r| (&r.metadata, &r.spec.parent_refs))
        .chain(
            s.grpc_routes
                .values()
                .map(|r| (&r.metadata, &r.spec.parent_refs)),
        );
    for (meta, parents) in route_parents {
        let own = meta.namespace.as_deref().unwrap_or_default();
        for p in parents.iter().filter(|p| p.is_gateway()) {
            let gw = s
                .gateways
                .get(&(p.namespace_or(own).to_string(), p.name.clone()));
            let class = gw.and_then(|g| {
                s.gateway_classes
                    .get(&(String::new(), g.spec.gateway_class_name.clone()))
            });
            match class {
                Some(c) => {
                    wanted
                        .entry(c.spec.controller_name.clone())
                        .or_default()
                        .insert(format!(
                            "GatewayClass {}",
                            c.metadata.name.as_deref().unwrap_or_default()
                        ));
                }
                None => unresolved += 1,
            }
        }
    }
    let running = found(cx, Role::Traffic, WORKLOADS);
    let mut served = Vec::new();
    let mut unknown = Vec::new();
    for (controller, users) in &wanted {
        let users: Vec<String> = users.iter().cloned().collect();
        if MANAGED_CONTROLLERS.contains(&controller.as_str()) {
            served.push(format!(
                "{} served by the provider ({controller})",
                users.join(", ")
            ));
            continue;
        }
        let serving: Vec<&Found> = running
            .iter()
            .filter(|f| f.runs() && f.component.controllers.iter().any(|c| c == controller))
            .collect();
        let known = of_role(&cx.config.components, Role::Traffic)
            .any(|c| c.controllers.iter().any(|x| x == controller));
        if serving.is_empty() {
            if !known {
                unknown.push(format!(
                    "{} names controller `{controller}`, which is not in the component table (add it under [[components]] with `controllers`)",
                    users.join(", ")
                ));
                continue;
            }
            return Verdict::fail(format!(
                "{} names controller `{controller}`, but no controller serving it runs",
                users.join(", ")
            ))
            .into();
        }
        if let Some(down) = serving.iter().find(|f| f.all_down()) {
            if serving.iter().all(|f| f.all_down()) {
                return runtime(
                    &down.key,
                    "IngressControllerNotReady",
                    format!(
                        "{}: none of its pods is ready, so {} serve no traffic",
                        down.described(),
                        users.join(", ")
                    ),
                );
            }
        }
        let by: Vec<String> = serving.iter().map(|f| f.described()).collect();
        served.push(format!("{} served by {}", users.join(", "), by.join(", ")));
    }
    if !unknown.is_empty() {
        return Verdict::unknown(unknown.join("; ")).into();
    }
    if unresolved > 0 && served.is_empty() {
        let any: Vec<String> = running
            .iter()
            .filter(|f| f.runs())
            .map(Found::described)
            .collect();
        return if any.is_empty() {
            absent(
                cx,
                format!(
                    "{} Ingress{} or routes but no ingress or gateway controller runs (looked for {})",
                    s.ingresses.len() + routes,
                    if s.ingresses.len() + routes == 1 { "" } else { "es" },
                    looked_for(cx, Role::Traffic)
                ),
            )
            .into()
        } else {
            Verdict::pass(format!("{} runs", list(&any))).into()
        };
    }
    Verdict::pass(list(&served)).into()
}

fn traffic(cx: &Context) -> Verdict {
    traffic_assessment(cx).verdict
}

// ---------------------------------------------------------------------------------------
// Network policy

fn network_policy_enforced(cx: &Context) -> Verdict {
    let policies = &cx.model.stores.network_policies;
    if policies.is_empty() {
        return Verdict::na("no NetworkPolicies");
    }
    let namespaces: BTreeSet<&str> = policies.keys().map(|(ns, _)| ns.as_str()).collect();
    let count = format!(
        "{} NetworkPolic{} in {} namespace{}",
        policies.len(),
        if policies.len() == 1 { "y" } else { "ies" },
        namespaces.len(),
        if namespaces.len() == 1 { "" } else { "s" }
    );
    let enforcers = running_components(cx, Role::NetworkPolicy);
    if enforcers.is_empty() {
        absent(
            cx,
            format!(
                "{count} but no CNI known to enforce them runs (looked for {}): they are silently ignored",
                looked_for(cx, Role::NetworkPolicy)
            ),
        )
    } else {
        Verdict::pass(format!("{count}, enforced by {}", list(&enforcers)))
    }
}

// ---------------------------------------------------------------------------------------
// Certificates

fn ready(conditions: &[crate::cluster::crd::Condition]) -> Result<(), String> {
    match crate::cluster::crd::condition(conditions, "Ready") {
        Some(c) if c.status == "True" => Ok(()),
        Some(c) => Err(match &c.reason {
            Some(r) => format!("Ready {} ({r})", c.status),
            None => format!("Ready {}", c.status),
        }),
        None => Err("no Ready condition".to_string()),
    }
}

fn certificates_assessment(cx: &Context) -> Assessment {
    let s = &cx.model.stores;
    let mut terminating: Vec<String> = Vec::new();
    for ing in s.ingresses.values() {
        if ing
            .spec
            .as_ref()
            .and_then(|sp| sp.tls.as_ref())
            .is_some_and(|t| !t.is_empty())
        {
            terminating.push(format!(
                "Ingress {}/{}",
                ing.metadata.namespace.as_deref().unwrap_or_default(),
                ing.metadata.name.as_deref().unwrap_or_default()
            ));
        }
    }
    for gw in s.gateways.values() {
        if gw.spec.listeners.iter().any(|l| {
            l.tls
                .as_ref()
                .is_some_and(|t| !t.certificate_refs.is_empty())
        }) {
            terminating.push(format!(
                "Gateway {}/{}",
                gw.metadata.namespace.as_deref().unwrap_or_default(),
                gw.metadata.name.as_deref().unwrap_or_default()
            ));
        }
    }
    if terminating.is_empty() {
        return Verdict::na("no Ingress or Gateway terminates TLS").into();
    }
    let managers: Vec<Found> = found(cx, Role::Certificates, WORKLOADS)
        .into_iter()
        .filter(Found::runs)
        .collect();
    let Some(manager) = managers.first() else {
        return absent(
            cx,
            format!(
                "{} terminate{} TLS but no certificate manager runs (looked for {})",
                list(&terminating),
                if terminating.len() == 1 { "s" } else { "" },
                looked_for(cx, Role::Certificates)
            ),
        )
        .into();
    };
    // Issuers: (kind, namespace, name) → Ready or why not.
    let mut issuers: BTreeMap<(&str, String, String), Result<(), String>> = BTreeMap::new();
    for i in s.cluster_issuers.values() {
        let c = i
            .status
            .as_ref()
            .map(|st| st.conditions.as_slice())
            .unwrap_or_default();
        issuers.insert(
            (
                "ClusterIssuer",
                String::new(),
                i.metadata.name.clone().unwrap_or_default(),
            ),
            ready(c),
        );
    }
    for i in s.issuers.values() {
        let c = i
            .status
            .as_ref()
            .map(|st| st.conditions.as_slice())
            .unwrap_or_default();
        issuers.insert(
            (
                "Issuer",
                i.metadata.namespace.clone().unwrap_or_default(),
                i.metadata.name.clone().unwrap_or_default(),
            ),
            ready(c),
        );
    }
    if !issuers.values().any(Result::is_ok) {
        return Verdict::fail(format!(
            "{} runs but no Issuer or ClusterIssuer is Ready{}",
            manager.described(),
            if issuers.is_empty() {
                " (none is defined)"
            } else {
                ""
            }
        ))
        .into();
    }
    // The issuers certificates use: Certificates' issuerRef and Ingress annotations.
    let mut used: BTreeMap<(&str, String, String), Vec<String>> = BTreeMap::new();
    for c in s.certificates.values() {
        let ns = c.metadata.namespace.clone().unwrap_or_default();
        let r = &c.spec.issuer_ref;
        let key = if r.kind.as_deref() == Some("ClusterIssuer") {
            ("ClusterIssuer", String::new(), r.name.clone())
        } else {
            ("Issuer", ns.clone(), r.name.clone())
        };
        used.entry(key).or_default().push(format!(
            "Certificate {ns}/{}",
            c.metadata.name.as_deref().unwrap_or_default()
        ));
    }
    for ing in s.ingresses.values() {
        let ns = ing.metadata.namespace.clone().unwrap_or_default();
        let a = ing.metadata.annotations.as_ref();
        let at = format!(
            "Ingress {ns}/{}",
            ing.metadata.name.as_deref().unwrap_or_default()
        );
        if let Some(n) = a.and_then(|a| a.get("cert-manager.io/cluster-issuer")) {
            used.entry(("ClusterIssuer", String::new(), n.clone()))
                .or_default()
                .push(at.clone());
        }
        if let Some(n) = a.and_then(|a| a.get("cert-manager.io/issuer")) {
            used.entry(("Issuer", ns.clone(), n.clone()))
                .or_default()
                .push(at);
        }
    }
    for (key, users) in &used {
        let (kind, ns, name) = key;
        let shown = if ns.is_empty() {
            name.clone()
        } else {
            format!("{ns}/{name}")
        };
        match issuers.get(key) {
            Some(Err(why)) => {
                return runtime(
                    &manager.key,
                    "IssuerNotReady",
                    format!(
                        "{kind} {shown} is not Ready ({why}): {} cannot be issued or renewed",
                        list(users)
                    ),
                )
            }
            None => {
                return runtime(
                    &manager.key,
                    "IssuerMissing",
                    format!(
                        "{kind} {shown} does not exist: {} cannot be issued or renewed",
                        list(users)
                    ),
                )
            }
            Some(Ok(())) => {}
        }
    }
    let ready_names: Vec<String> = issuers
        .iter()
        .filter(|(_, r)| r.is_ok())
        .map(|((kind, ns, name), _)| {
            if ns.is_empty() {
                format!("{kind} {name}")
            } else {
                format!("{kind} {ns}/{name}")
            }
        })
        .collect();
    Verdict::pass(format!(
        "{} with {} Ready",
        manager.described(),
        list(&ready_names)
    ))
    .into()
}

fn certificates(cx: &Context) -> Verdict {
    certificates_assessment(cx).verdict
}

// ---------------------------------------------------------------------------------------
// Secrets management and policy

fn secrets_management(cx: &Context) -> Verdict {
    let s = &cx.model.stores;
    let running = running_components(cx, Role::Secrets);
    if running.is_empty() {
        // A forbidden ExternalSecret or ClusterSecretStore may hide an integration in use.
        if let Some(why) = cx.missing(&[Kind::ExternalSecret, Kind::ClusterSecretStore]) {
            return Verdict::unknown(why);
        }
        return absent(
            cx,
            format!(
                "no external secret manager integration runs (looked for {})",
                looked_for(cx, Role::Secrets)
            ),
        );
    }
    let mut msg = list(&running);
    let (stores, secrets) = (s.cluster_secret_stores.len(), s.external_secrets.len());
    // A forbidden kind is not counted as none.
    let forbidden = |kind: Kind| cx.model.sync_state(kind) == crate::cluster::SyncState::Forbidden;
    let count = |kind: Kind, n: usize, word: &str| {
        if forbidden(kind) {
            format!("{word}s forbidden")
        } else {
            format!("{n} {word}{}", if n == 1 { "" } else { "s" })
        }
    };
    if stores + secrets > 0
        || forbidden(Kind::ClusterSecretStore)
        || forbidden(Kind::ExternalSecret)
    {
        msg.push_str(&format!(
            "; {}, {}",
            count(Kind::ClusterSecretStore, stores, "ClusterSecretStore"),
            count(Kind::ExternalSecret, secrets, "ExternalSecret")
        ));
    }
    Verdict::pass(msg)
}

fn policy(cx: &Context) -> Verdict {
    let s = &cx.model.stores;
    let mut enforcing = Vec::new();
    let kyverno: Vec<&str> = s
        .kyverno_cluster_policies
        .values()
        .filter(|p| p.enforces())
        .filter_map(|p| p.metadata.name.as_deref())
        .collect();
    if !kyverno.is_empty() {
        enforcing.push(format!(
            "Kyverno ClusterPolic{} {} in Enforce",
            if kyverno.len() == 1 { "y" } else { "ies" },
            list(&kyverno.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        ));
    }
    if !s.constraint_templates.is_empty() {
        let names: Vec<String> = s
            .constraint_templates
            .values()
            .filter_map(|t| t.metadata.name.clone())
            .collect();
        enforcing.push(format!("Gatekeeper ConstraintTemplates {}", list(&names)));
    }
    let bound: Vec<String> = s
        .validating_admission_policy_bindings
        .values()
        .filter_map(|b| {
            let name = b.spec.policy_name.as_str();
            let denies = b.spec.validation_actions.iter().any(|a| a == "Deny");
            (denies
                && s.validating_admission_policies
                    .contains_key(&(String::new(), name.to_string())))
            .then(|| name.to_string())
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !bound.is_empty() {
        enforcing.push(format!(
            "ValidatingAdmissionPolic{} {} bound with Deny",
            if bound.len() == 1 { "y" } else { "ies" },
            list(&bound)
        ));
    }
    if !enforcing.is_empty() {
        return Verdict::pass(enforcing.join("; "));
    }
    if let Some(why) = cx.missing(&[
        Kind::ClusterPolicy,
        Kind::ConstraintTemplate,
        Kind::ValidatingAdmissionPolicy,
        Kind::ValidatingAdmissionPolicyBinding,
    ]) {
        return Verdict::unknown(why);
    }
    let audit = s.kyverno_cluster_policies.len();
    let mut msg = "no admission policy beyond namespace labels enforces pod security: no Kyverno ClusterPolicy in Enforce, no Gatekeeper constraint, no ValidatingAdmissionPolicy bound with Deny".to_string();
    if audit > 0 {
        msg.push_str(&format!(
            " ({audit} Kyverno ClusterPolic{} only audit{})",
            if audit == 1 { "y" } else { "ies" },
            if audit == 1 { "s" } else { "" }
        ));
    }
    absent(cx, msg)
}

// ---------------------------------------------------------------------------------------
// Backups

/// How often a cron schedule fires, roughly: the longest gap between runs, when it can be
/// told (`@every 6h`, `@daily`, `0 */6 * * *`, `30 2 * * *`, `0 3 * * 0`).
pub fn schedule_interval(schedule: &str) -> Option<Duration> {
    let s = schedule.trim();
    if let Some(every) = s.strip_prefix("@every ") {
        return go_duration(every.trim());
    }
    match s {
        "@hourly" => return Some(Duration::hours(1)),
        "@daily" | "@midnight" => return Some(Duration::days(1)),
        "@weekly" => return Some(Duration::weeks(1)),
        "@monthly" => return Some(Duration::days(31)),
        "@yearly" | "@annually" => return Some(Duration::days(366)),
        _ => {}
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    let [minute, hour, dom, month, dow] = fields.as_slice() else {
        return None;
    };
    if *month != "*" {
        return Some(Duration::days(366));
    }
    if *dom != "*" {
        return Some(Duration::days(31));
    }
    if *dow != "*" {
        return Some(Duration::weeks(1));
    }
    let step = |f: &str| f.strip_prefix("*/").and_then(|n| n.parse::<i64>().ok());
    let count = |f: &str| -> Option<i64> {
        f.split(',')
            .all(|p| p.parse::<u32>().is_ok())
            .then(|| f.split(',').count() as i64)
    };
    if *hour == "*" {
        return match (step(minute), count(minute)) {
            (Some(n), _) if n > 0 => Some(Duration::minutes(n)),
            (_, Some(n)) if n > 0 => Some(Duration::minutes(60 / n)),
            _ => None,
        };
    }
    match (step(hour), count(hour)) {
        (Some(n), _) if n > 0 => Some(Duration::hours(n)),
        (_, Some(1)) => Some(Duration::days(1)),
        (_, Some(_)) => {
            let mut hours: Vec<i64> = hour.split(',').filter_map(|h| h.parse().ok()).collect();
            hours.sort_unstable();
            let gaps = hours.windows(2).map(|w| w[1] - w[0]);
            let wrap = hours.first()? + 24 - hours.last()?;
            Some(Duration::hours(gaps.chain([wrap]).max()?))
        }
        _ => None,
    }
}

/// `6h`, `30m`, `1h30m`, `90s` (Go's duration syntax, as `@every` takes it).
fn go_duration(s: &str) -> Option<Duration> {
    let mut total = Duration::zero();
    let mut number = String::new();
    for ch in s.chars() {
        if ch.is_ascii_digit() {
            number.push(ch);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        total += match ch {
            'h' => Duration::hours(n),
            'm' => Duration::minutes(n),
            's' => Duration::seconds(n),
            _ => return None,
        };
    }
    (number.is_empty() && total > Duration::zero()).then_some(total)
}

fn short_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn backups_assessment(cx: &Context) -> Assessment {
    let s = &cx.model.stores;
    let claim_templates = s.stateful_sets.values().any(|st| {
        st.without_pod_spec()
            .spec
            .volume_claim_templates
            .as_ref()
            .is_some_and(|t| !t.is_empty())
    });
    if s.pvcs.is_empty() && !claim_templates {
        return Verdict::na("no PersistentVolumeClaims").into();
    }
    let tools: Vec<Found> = found(cx, Role::Backups, WORKLOADS)
        .into_iter()
        .filter(Found::runs)
        .collect();
    let schedules: Vec<_> = s
        .velero_schedules
        .values()
        .filter(|sc| !sc.spec.paused)
        .collect();
    if schedules.is_empty() {
        let others: Vec<String> = tools
            .iter()
            .filter(|t| t.component.name != "Velero")
            .map(Found::described)
            .collect();
        if !others.is_empty() {
            return Verdict::pass(format!(
                "{} runs (its schedules are not read)",
                list(&others)
            ))
            .into();
        }
        let what = format!(
            "{} PersistentVolumeClaim{} but no backup tool schedules backups",
            s.pvcs.len(),
            if s.pvcs.len() == 1 { "" } else { "s" }
        );
        return match tools.first() {
            Some(velero) => Verdict::fail(format!(
                "{what}: {} runs, but no Velero Schedule is active",
                velero.described()
            ))
            .into(),
            None => absent(
                cx,
                format!("{what} (looked for {})", looked_for(cx, Role::Backups)),
            )
            .into(),
        };
    }
    // The alert belongs to the backup tool's workload, when it is in view.
    let owner = tools.first().map(|t| &t.key);
    let mut backups: BTreeMap<(&str, &str), Vec<&Backup>> = BTreeMap::new();
    for b in s.velero_backups.values() {
        if let Some(schedule) = b.schedule() {
            backups
                .entry((
                    b.metadata.namespace.as_deref().unwrap_or_default(),
                    schedule,
                ))
                .or_default()
                .push(b);
        }
    }
    let mut fine = Vec::new();
    for sc in &schedules {
        let ns = sc.metadata.namespace.as_deref().unwrap_or_default();
        let name = sc.metadata.name.as_deref().unwrap_or_default();
        let interval = schedule_interval(&sc.spec.schedule);
        let limit = interval.map_or(Duration::hours(48), |i| i * 2);
        let limit_text = match interval {
            Some(_) => format!("twice its interval, {}h", limit.num_hours().max(1)),
            None => "48h".to_string(),
        };
        let mut of_schedule = backups.get(&(ns, name)).cloned().unwrap_or_default();
        of_schedule.sort_by_key(|b| b.started());
        if let Some(newest) = of_schedule.last() {
            if matches!(
                newest.phase(),
                "Failed" | "PartiallyFailed" | "FailedValidation"
            ) {
                let when = newest
                    .completed()
                    .or_else(|| newest.started())
                    .map(|t| format!(" at {}", short_time(t)))
                    .unwrap_or_default();
                return on(
                    owner,
                    "BackupFailed",
                    format!(
                        "the newest backup of Schedule {ns}/{name}, {}, is {}{when}",
                        newest.metadata.name.as_deref().unwrap_or_default(),
                        newest.phase()
                    ),
                );
            }
        }
        let last_done = of_schedule
            .iter()
            .filter(|b| b.phase() == "Completed")
            .filter_map(|b| b.completed())
            .max();
        let since = last_done.or_else(|| {
            sc.metadata
                .creation_timestamp
                .as_ref()
                .map(crate::time::from_time)
        });
        match since {
            Some(t) if cx.now - t > limit => {
                let what = match last_done {
                    Some(t) => format!("the last completed backup finished {}", short_time(t)),
                    None => "no backup has completed since it was created".to_string(),
                };
                return on(
                    owner,
                    "BackupTooOld",
                    format!(
                        "Schedule {ns}/{name} ({}): {what}, longer ago than {limit_text}",
                        sc.spec.schedule
                    ),
                );
            }
            _ => fine.push(match last_done {
                Some(t) => format!(
                    "Schedule {ns}/{name} ({}), last backup completed {}",
                    sc.spec.schedule,
                    short_time(t)
                ),
                None => format!("Schedule {ns}/{name} ({}), no backup yet", sc.spec.schedule),
            }),
        }
    }
    Verdict::pass(format!("Velero: {}", list(&fine))).into()
}

fn backups(cx: &Context) -> Verdict {
    backups_assessment(cx).verdict
}

// ---------------------------------------------------------------------------------------
// Autoscaling and spot capacity

/// Node labels that say a managed autoscaler provisions the node.
const MANAGED_AUTOSCALER_LABELS: &[(&str, Option<&str>)] = &[
    ("karpenter.sh/nodepool", None),
    ("eks.amazonaws.com/compute-type", Some("auto")),
];

fn node_label<'n>(n: &'n Node, key: &str) -> Option<&'n str> {
    n.metadata.labels.as_ref()?.get(key).map(String::as_str)
}

fn autoscaler(cx: &Context) -> Verdict {
    let mut found_any = running_components(cx, Role::Autoscaler);
    let pools: Vec<String> = cx
        .model
        .stores
        .node_pools
        .values()
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    if !pools.is_empty() {
        found_any.push(format!("Karpenter NodePools {}", list(&pools)));
    }
    let managed = cx.model.stores.nodes.values().find_map(|n| {
        MANAGED_AUTOSCALER_LABELS.iter().find_map(|(k, v)| {
            let got = node_label(n, k)?;
            v.is_none_or(|v| v == got)
                .then(|| format!("nodes labelled {k}"))
        })
    });
    found_any.extend(managed);
    if found_any.is_empty() {
        // Forbidden NodePools may be the autoscaling this would miss.
        if let Some(why) = cx.missing(&[Kind::NodePool]) {
            return Verdict::unknown(why);
        }
        absent(
            cx,
            format!(
                "no node autoscaling: no autoscaler runs (looked for {}), no Karpenter NodePool, no managed autoscaler's node labels",
                looked_for(cx, Role::Autoscaler)
            ),
        )
    } else {
        Verdict::pass(found_any.join("; "))
    }
}

/// Labels of spot or preemptible nodes: (key, value, handled by the cloud itself).
const SPOT_LABELS: &[(&str, &str, bool)] = &[
    ("karpenter.sh/capacity-type", "spot", false),
    ("eks.amazonaws.com/capacityType", "SPOT", true),
    ("cloud.google.com/gke-spot", "true", true),
    ("cloud.google.com/gke-preemptible", "true", true),
    ("kubernetes.azure.com/scalesetpriority", "spot", false),
    ("node.kubernetes.io/lifecycle", "spot", false),
];

/// Whether Karpenter runs with an interruption queue (it then drains spot nodes itself).
fn karpenter_interruption(cx: &Context) -> Option<String> {
    found(cx, Role::Autoscaler, &[Kind::Deployment])
        .into_iter()
        .filter(|f| f.component.name == "Karpenter" && f.runs())
        .find(|f| {
            f.spec.containers.iter().any(|c| {
                let env = c.env.iter().flatten().any(|e| {
                    matches!(
                        e.name.as_str(),
                        "INTERRUPTION_QUEUE" | "INTERRUPTION_QUEUE_NAME"
                    ) && (e.value.as_deref().is_some_and(|v| !v.is_empty())
                        || e.value_from.is_some())
                });
                let arg = c
                    .args
                    .iter()
                    .flatten()
                    .any(|a| a.starts_with("--interruption-queue"));
                env || arg
            })
        })
        .map(|f| format!("{} with an interruption queue", f.at()))
}

fn node_termination(cx: &Context) -> Verdict {
    let mut spot: Vec<(&Node, &str, bool)> = Vec::new();
    for n in cx.model.stores.nodes.values() {
        if let Some((k, _, cloud)) = SPOT_LABELS
            .iter()
            .find(|(k, v, _)| node_label(n, k) == Some(*v))
        {
            spot.push((n, k, *cloud));
        }
    }
    if spot.is_empty() {
        return Verdict::na("no spot or preemptible nodes");
    }
    let name = |n: &Node| n.metadata.name.clone().unwrap_or_default();
    let handlers = running_components(cx, Role::NodeTermination);
    let mut by: Vec<String> = handlers;
    let karpenter = karpenter_interruption(cx);
    by.extend(karpenter.clone());
    let unhandled: Vec<(&Node, &str)> = spot
        .iter()
        .filter(|(n, _, cloud)| {
            let karpenter_node = node_label(n, "karpenter.sh/nodepool").is_some();
            !(*cloud || karpenter_node && karpenter.is_some())
        })
        .map(|(n, k, _)| (*n, *k))
        .collect();
    let count = format!(
        "{} spot node{}",
        spot.len(),
        if spot.len() == 1 { "" } else { "s" }
    );
    if !unhandled.is_empty() && by.is_empty() {
        let labels: BTreeSet<&str> = unhandled.iter().map(|(_, k)| *k).collect();
        let names: Vec<String> = unhandled.iter().map(|(n, _)| name(n)).collect();
        return Verdict::fail(format!(
            "{count} ({} labelled {}) but no interruption handler runs (looked for {}, Karpenter's interruption queue): interrupted pods die without a drain",
            list(&names),
            labels.into_iter().collect::<Vec<_>>().join(", "),
            looked_for(cx, Role::NodeTermination)
        ));
    }
    if by.is_empty() {
        return Verdict::pass(format!(
            "{count}, all in managed node groups whose provider drains them on interruption"
        ));
    }
    Verdict::pass(format!("{count}, handled by {}", list(&by)))
}

// ---------------------------------------------------------------------------------------
// Alerts on the cluster row

/// The runtime checks: each one's assessment, run again for the alert when its result fails.
/// How one runtime check judges its add-on.
type Assess = fn(&Context) -> Assessment;

const RUNTIME: &[(&str, Assess)] = &[
    ("cluster.logging", logging_assessment),
    ("cluster.traffic", traffic_assessment),
    ("cluster.certificates", certificates_assessment),
    ("cluster.backups", backups_assessment),
];

/// The alerts the cluster row raises: an add-on that is installed but failing, from the
/// row's final results (a waived or disabled check raises none; severity as configured).
pub fn alerts(cx: &Context, results: &[CheckResult]) -> Vec<Alert> {
    let mut out = Vec::new();
    for (id, assess) in RUNTIME {
        let Some(r) = results
            .iter()
            .find(|r| r.check == *id && r.status == Status::Fail)
        else {
            continue;
        };
        let a = assess(cx);
        let Some((workload, reason)) = a.alert else {
            continue;
        };
        out.push(Alert {
            check: id.to_string(),
            severity: r.severity,
            workload,
            pods: Vec::new(),
            container: None,
            reason: reason.to_string(),
            message: a.verdict.message.into_owned(),
            since: None,
            restarts: 0,
            events: Vec::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_intervals() {
        let h = |n| Some(Duration::hours(n));
        assert_eq!(schedule_interval("0 2 * * *"), h(24));
        assert_eq!(schedule_interval("@daily"), h(24));
        assert_eq!(schedule_interval("@every 6h"), h(6));
        assert_eq!(
            schedule_interval("@every 1h30m"),
            Some(Duration::minutes(90))
        );
        assert_eq!(schedule_interval("0 */6 * * *"), h(6));
        assert_eq!(schedule_interval("0 2,14 * * *"), h(12));
        assert_eq!(schedule_interval("0 1,5 * * *"), h(20));
        assert_eq!(schedule_interval("0 3 * * 0"), h(168));
        assert_eq!(
            schedule_interval("*/15 * * * *"),
            Some(Duration::minutes(15))
        );
        assert_eq!(schedule_interval("sometimes"), None);
        assert_eq!(schedule_interval("@every banana"), None);
    }

    #[test]
    fn alert_rules_are_recognised_by_name_and_expression() {
        let all = |a, e| covers(a, e);
        assert_eq!(
            all("KubePodCrashLooping", "max_over_time(kube_pod_container_status_waiting_reason{reason=\"CrashLoopBackOff\", job=\"kube-state-metrics\"}[5m]) >= 1"),
            BTreeSet::from([Watched::CrashLoop])
        );
        // kube-prometheus' KubeContainerWaiting: every waiting reason but CrashLoopBackOff.
        assert_eq!(
            all("KubeContainerWaiting", "sum by (namespace, pod, container) (kube_pod_container_status_waiting_reason{reason!=\"CrashLoopBackOff\", job=\"kube-state-metrics\"}) > 0"),
            BTreeSet::from([Watched::ImagePull])
        );
        assert_eq!(
            all("ImagePull", "kube_pod_container_status_waiting_reason{reason=~\"ImagePullBackOff|ErrImagePull\"} > 0"),
            BTreeSet::from([Watched::ImagePull])
        );
        assert_eq!(
            all("PodWaiting", "kube_pod_container_status_waiting > 0"),
            BTreeSet::from([Watched::CrashLoop, Watched::ImagePull])
        );
        assert_eq!(
            all(
                "KubeDeploymentReplicasMismatch",
                "kube_deployment_spec_replicas > kube_deployment_status_replicas_available"
            ),
            BTreeSet::from([Watched::Replicas])
        );
        assert_eq!(
            all(
                "OOM",
                "kube_pod_container_status_last_terminated_reason{reason=\"OOMKilled\"} > 0"
            ),
            BTreeSet::new()
        );
        // A waiting reason other than the watched ones covers neither.
        assert_eq!(
            all("ConfigError", "kube_pod_container_status_waiting_reason{reason=\"CreateContainerConfigError\"} > 0"),
            BTreeSet::new()
        );
    }
}
