//! A — availability and scaling (seeds 002 "Replica Count", "Scaling Policies", "Pod Affinity",
//! 004 "PriorityClass", "PodDisruptionBudget").

use super::catalogue::{def, Section};
use super::context::in_namespace;
use super::registry::{Applies, Check, Grade};
use super::{probed_containers, Category, Context, Severity, Subject, Verdict};
use crate::checks::health::pod_is_ready;
use crate::cluster::selector::selector_matches;
use crate::cluster::{Controller, Kind, Workload, WorkloadClass as Class};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{Container, PodAffinityTerm, PodSpec};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeSet;

const SECTION: Section = Section {
    category: Category::Availability,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "availability.replicas",
            Severity::Critical,
            "Runs at least 2 replicas",
            "fewer than 2 replicas and no HorizontalPodAutoscaler with minReplicas ≥ 2 (nor a KEDA ScaledObject with minReplicaCount ≥ 2)",
            "A single pod is a single point of failure: a node failure, an eviction during a drain or a crash makes the workload unavailable until a replacement is scheduled and ready.",
            "Run at least two replicas, or let an HPA keep at least two:\n\nspec:\n  replicas: 2",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::HorizontalPodAutoscaler, Kind::ScaledObject, Kind::Pod],
        grade: Grade::Workload(replicas),
    },
    Check {
        def: def(
            SECTION,
            "availability.pdb",
            Severity::Warning,
            "A PodDisruptionBudget protects the pods",
            "no PodDisruptionBudget selects the pods (≥ 2 replicas)",
            "Without a PDB a node drain or cluster upgrade may evict every replica at the same time, turning routine maintenance into an outage.",
            "Add a PodDisruptionBudget selecting the pods that lets one go at a time:\n\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web",
        ),
        applies: Applies::LongRunning(BATCH),
        needs: &[],
        reads: &[Kind::PodDisruptionBudget, Kind::HorizontalPodAutoscaler, Kind::Pod],
        grade: Grade::Workload(pdb),
    },
    Check {
        def: def(
            SECTION,
            "availability.pdb-allows-eviction",
            Severity::Warning,
            "The PodDisruptionBudget allows evictions",
            "the PDB can never allow a disruption (minAvailable ≥ replicas or 100%, maxUnavailable 0/0%, neither set), or status shows disruptionsAllowed 0 while all pods are healthy",
            "A PDB that allows no eviction blocks node drains forever: cluster upgrades, autoscaler scale-downs and node replacements stall until someone deletes the PDB by hand.",
            "Budget for at least one pod to go (prefer maxUnavailable, which follows scaling):\n\nspec:\n  maxUnavailable: 1",
        ),
        applies: Applies::LongRunning(BATCH),
        needs: &[],
        reads: &[Kind::PodDisruptionBudget, Kind::HorizontalPodAutoscaler, Kind::Pod],
        grade: Grade::Workload(pdb_allows_eviction),
    },
    Check {
        def: def(
            SECTION,
            "availability.pdb-single",
            Severity::Warning,
            "Exactly one PodDisruptionBudget selects the pods",
            "more than one PodDisruptionBudget selects the pods",
            "The eviction API refuses to evict a pod covered by more than one PDB, so drains of its nodes fail until one PDB is removed.",
            "Keep one PodDisruptionBudget per workload and make the selectors disjoint:\n\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: web",
        ),
        applies: Applies::LongRunning(BATCH),
        needs: &[],
        reads: &[Kind::PodDisruptionBudget],
        grade: Grade::Workload(pdb_single),
    },
    Check {
        def: def(
            SECTION,
            "availability.spread",
            Severity::Warning,
            "Replicas are spread across nodes or zones",
            "no pod anti-affinity and no topologySpreadConstraints on hostname/zone (≥ 2 replicas)",
            "Without a spreading rule the scheduler may put every replica on the same node or zone: one failure then takes them all down and the extra replicas buy nothing.",
            "Spread the replicas over nodes (and zones):\n\ntopologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: kubernetes.io/hostname\n    whenUnsatisfiable: ScheduleAnyway\n    labelSelector:\n      matchLabels:\n        app: web",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::HorizontalPodAutoscaler, Kind::Pod],
        grade: Grade::Workload(spread),
    },
    Check {
        def: def(
            SECTION,
            "availability.placement",
            Severity::Warning,
            "Ready pods run on more than one node and zone",
            "at runtime all ready pods sit on one node (or one zone when nodes carry zone labels and the cluster spans several)",
            "Replicas that share a node or zone fail together: the spreading rules did not take effect (or there are none), so the workload is not as redundant as its replica count suggests.",
            "Add a spreading rule, then roll the pods so the scheduler places them again:\n\ntopologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: ScheduleAnyway\n    labelSelector:\n      matchLabels:\n        app: web",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Node],
        grade: Grade::Workload(placement),
    },
    Check {
        def: def(
            SECTION,
            "availability.hpa",
            Severity::Info,
            "A HorizontalPodAutoscaler scales the workload",
            "no HorizontalPodAutoscaler (or KEDA ScaledObject) targets the workload",
            "A fixed replica count is either wasteful at night or too small at peak; an HPA follows the load.",
            "Add an HPA targeting the workload:\n\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: Utilization, averageUtilization: 70}",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::HorizontalPodAutoscaler, Kind::ScaledObject],
        grade: Grade::Workload(hpa),
    },
    Check {
        def: def(
            SECTION,
            "availability.hpa-sane",
            Severity::Warning,
            "The HorizontalPodAutoscaler can work",
            "HPA minReplicas < 2, min = max, no metrics, a resource utilisation metric without a request for that resource in every container, or the target does not exist (a KEDA ScaledObject is judged by autoscaler.sane)",
            "A misconfigured HPA silently does nothing (no metric it can compute, a target it cannot find, nothing to scale between) or scales the workload down to a single pod.",
            "Give the HPA room to scale, an explicit metric, and requests for the resources it measures:\n\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: Utilization, averageUtilization: 70}\n# and in every container:\nresources:\n  requests: {cpu: 100m}",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::HorizontalPodAutoscaler, Kind::ScaledObject, Kind::LimitRange, Kind::Deployment, Kind::StatefulSet, Kind::ReplicaSet],
        grade: Grade::Workload(hpa_sane),
    },
    Check {
        def: def(
            SECTION,
            "availability.priority-class",
            Severity::Info,
            "Pods have a PriorityClass",
            "no priorityClassName (and no globalDefault PriorityClass), or it names a system-* class outside system namespaces",
            "Without a priority, pods get priority 0 and are the first to be preempted or evicted under node pressure; a system-* class lets an application preempt the components the cluster needs to run.",
            "Create a PriorityClass for production workloads and use it:\n\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: production\nvalue: 100000\n---\n# in the pod template:\nspec:\n  priorityClassName: production",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::PriorityClass],
        grade: Grade::Workload(priority_class),
    },
    Check {
        def: def(
            SECTION,
            "availability.controller",
            Severity::Critical,
            "Pods are managed by a controller",
            "a bare Pod with no controller",
            "Nothing recreates a bare Pod when its node fails, it is evicted or deleted: it is gone for good, and it cannot be rolled out or scaled.",
            "Run the pod from a controller, e.g. a Deployment:\n\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [...]",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Workload(controller),
    },
];

const BATCH: &str = "runs to completion; replica, PDB, HPA and spread checks do not apply";
const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";
const HOSTNAME: &str = "kubernetes.io/hostname";
const ZONE: &str = "topology.kubernetes.io/zone";
const LEGACY_ZONE: &str = "failure-domain.beta.kubernetes.io/zone";
/// Topology keys that spread pods over failure domains.
const SPREAD_KEYS: &[&str] = &[
    HOSTNAME,
    ZONE,
    LEGACY_ZONE,
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/region",
];

fn class_of(w: &Workload) -> Class {
    w.key.kind.class()
}

/// The number of pods a workload runs at least, and where that number comes from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scale {
    pub replicas: i32,
    /// For messages: "3 replicas", "HorizontalPodAutoscaler web keeps at least 3".
    pub source: String,
}

fn plural(n: i32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The largest minReplicas (default 1) of the HPAs targeting the workload, with the HPA's name.
fn hpa_floor(hpas: &[&HorizontalPodAutoscaler]) -> Option<(String, i32)> {
    hpas.iter()
        .map(|h| {
            (
                h.metadata.name.clone().unwrap_or_default(),
                h.spec.min_replicas.unwrap_or(1),
            )
        })
        .max_by_key(|(_, min)| *min)
}

/// The workload's replica floor: the controller's count, raised by any HPA's minReplicas.
/// `Err` (a reason for `unknown`) when it cannot be told.
pub(crate) fn scale(w: &Workload, cx: &Context) -> Result<Scale, String> {
    let base: Option<Scale> = match w.desired_replicas() {
        Some(n) => Some(Scale {
            replicas: n,
            source: match w.controller {
                Controller::DaemonSet(_) => format!("runs on {}", plural(n, "node", "nodes")),
                _ => plural(n, "replica", "replicas"),
            },
        }),
        None if cx.model.knows(Kind::Pod) && !w.pods.is_empty() => {
            let n = w.pods.len() as i32;
            Some(Scale {
                replicas: n,
                source: plural(n, "pod seen", "pods seen"),
            })
        }
        None => None,
    };
    let scalable = matches!(class_of(w), Class::Replicated | Class::Custom);
    if !scalable {
        return base.ok_or_else(|| match w.controller {
            Controller::DaemonSet(_) => {
                "the DaemonSet's status (how many nodes it runs on) is not in the input".to_string()
            }
            _ => format!("the replica count of {} is not known", w.key),
        });
    }
    let hpa = match cx.missing(&[Kind::HorizontalPodAutoscaler]) {
        None => Ok(hpa_floor(&cx.hpas_targeting(w))),
        Some(m) => Err(m),
    };
    match (base, hpa) {
        (Some(b), Ok(Some((name, min)))) if min > b.replicas => Ok(Scale {
            replicas: min,
            source: format!("HorizontalPodAutoscaler {name} keeps at least {min}"),
        }),
        (Some(b), Ok(_)) => Ok(b),
        (Some(b), Err(_)) if b.replicas >= 2 => Ok(b),
        (Some(b), Err(m)) => Err(format!(
            "{}, and {m}, which might keep more",
            b.source
        )),
        (None, Ok(Some((name, min)))) => Ok(Scale {
            replicas: min,
            source: format!("HorizontalPodAutoscaler {name} keeps at least {min}"),
        }),
        (None, _) => Err(match w.controller {
            Controller::Missing => format!(
                "the replica count is not known: the {} object is not in the input and no pods of it are visible",
                w.key.kind
            ),
            _ => format!("the replica count of {} is not known", w.key),
        }),
    }
}

fn replicas(w: &Workload, cx: &Context) -> Verdict {
    let class = class_of(w);
    match class {
        Class::Batch => return Verdict::na(BATCH),
        Class::Daemon => {
            return Verdict::na("a DaemonSet runs one pod per node; it has no replica count")
        }
        Class::BarePod => {
            return Verdict::na(
                "a bare Pod is a single pod with no replica count (see availability.controller)",
            )
        }
        Class::Custom => {
            return Verdict::na(format!(
                "applies to Deployments and StatefulSets; shipshape does not model {}",
                w.key.kind
            ))
        }
        Class::Replicated => {}
    }
    // A replicated kind asks for `spec.replicas`.
    let Some(spec) = w.desired_replicas() else {
        return Verdict::unknown(format!("the {} object is not in the input", w.key.kind));
    };
    if spec >= 2 {
        return Verdict::pass(format!("{spec} replicas"));
    }
    let replicas = plural(spec, "replica", "replicas");
    if let Some(m) = cx.missing(&[Kind::HorizontalPodAutoscaler, Kind::ScaledObject]) {
        return Verdict::unknown(format!("{replicas}, and {m}, which might keep more"));
    }
    if let Some(so) = cx
        .scaled_objects_targeting(w)
        .into_iter()
        .max_by_key(|so| so.min_replicas())
    {
        let (name, min) = (
            so.metadata.name.as_deref().unwrap_or_default(),
            so.min_replicas(),
        );
        return if min >= 2 {
            Verdict::pass(format!(
                "KEDA ScaledObject {name} keeps at least {min} replicas"
            ))
        } else {
            Verdict::fail(format!(
                "{replicas}, and KEDA ScaledObject {name} may scale down to {min} (minReplicaCount): losing one pod to a node failure, eviction or crash is an outage"
            ))
        };
    }
    match hpa_floor(&cx.hpas_targeting(w)) {
        Some((name, min)) if min >= 2 => Verdict::pass(format!("HorizontalPodAutoscaler {name} keeps at least {min} replicas"),
        ),
        Some((name, min)) => Verdict::fail(format!(
                "{replicas}, and HorizontalPodAutoscaler {name} may scale down to {min}: losing one pod to a node failure, eviction or crash is an outage"
            ),
        ),
        None => Verdict::fail(format!(
                "{replicas} and no HorizontalPodAutoscaler with minReplicas ≥ 2: losing one pod to a node failure, eviction or crash is an outage"
            ),
        ),
    }
}

fn pdb_name(p: &PodDisruptionBudget) -> &str {
    p.metadata.name.as_deref().unwrap_or_default()
}

/// The PodDisruptionBudgets selecting the workload's pods, or why they cannot be seen.
fn pdbs<'a>(w: &Workload, cx: &Context<'a>) -> Result<Vec<&'a PodDisruptionBudget>, String> {
    match cx.missing(&[Kind::PodDisruptionBudget]) {
        None => Ok(cx.pdbs_selecting(w)),
        Some(m) => Err(m),
    }
}

fn pdb_names(pdbs: &[&PodDisruptionBudget]) -> String {
    pdbs.iter()
        .map(|p| pdb_name(p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// availability.pdb: wanted from 2 replicas on.
fn pdb(w: &Workload, cx: &Context) -> Verdict {
    let scale = scale(w, cx);
    match (&scale, &pdbs(w, cx)) {
        (Ok(s), _) if s.replicas < 2 => Verdict::na(format!(
            "{}: a PodDisruptionBudget needs at least 2 pods to keep one while evicting another",
            s.source
        )),
        (_, Err(m)) => Verdict::unknown(m.clone()),
        (_, Ok(p)) if !p.is_empty() => Verdict::pass(format!(
            "PodDisruptionBudget {} selects the pods",
            pdb_names(p)
        )),
        (Err(m), Ok(_)) => Verdict::unknown(m.clone()),
        (Ok(s), Ok(_)) => Verdict::fail(format!(
            "no PodDisruptionBudget selects the pods ({}): a node drain may evict them all at once",
            s.source
        )),
    }
}

/// The selecting PodDisruptionBudgets for the checks that judge them, or their verdict when
/// there are none to judge.
fn judged_pdbs<'a>(
    w: &Workload,
    cx: &Context<'a>,
) -> Result<Vec<&'a PodDisruptionBudget>, Verdict> {
    match pdbs(w, cx) {
        Ok(p) if p.is_empty() => Err(Verdict::na("no PodDisruptionBudget selects the pods")),
        Ok(p) => Ok(p),
        Err(m) => Err(Verdict::unknown(m)),
    }
}

/// availability.pdb-allows-eviction: applies whenever a PDB exists (a 1-replica workload
/// with minAvailable 1 is the classic drain blocker).
fn pdb_allows_eviction(w: &Workload, cx: &Context) -> Verdict {
    let pdbs = match judged_pdbs(w, cx) {
        Ok(p) => p,
        Err(v) => return v,
    };
    let replicas = scale(w, cx).ok().map(|s| s.replicas);
    let mut blocks = Vec::new();
    let mut unknown = Vec::new();
    for p in &pdbs {
        match pdb_verdict(p, replicas) {
            PdbVerdict::Allows => {}
            PdbVerdict::Blocks(why) => {
                blocks.push(format!("PodDisruptionBudget {}: {why}", pdb_name(p)))
            }
            PdbVerdict::Unknown(why) => {
                unknown.push(format!("PodDisruptionBudget {}: {why}", pdb_name(p)))
            }
        }
    }
    if !blocks.is_empty() {
        Verdict::fail(format!("{}; node drains wait forever", blocks.join("; ")))
    } else if !unknown.is_empty() {
        Verdict::unknown(unknown.join("; "))
    } else {
        Verdict::pass(format!(
            "PodDisruptionBudget {} allows evictions",
            pdb_names(&pdbs)
        ))
    }
}

fn pdb_single(w: &Workload, cx: &Context) -> Verdict {
    let pdbs = match judged_pdbs(w, cx) {
        Ok(p) => p,
        Err(v) => return v,
    };
    if pdbs.len() > 1 {
        Verdict::fail(format!(
            "{} PodDisruptionBudgets select the pods ({}): the eviction API refuses to evict a pod covered by more than one",
            pdbs.len(),
            pdb_names(&pdbs)
        ))
    } else {
        Verdict::pass(format!(
            "only PodDisruptionBudget {} selects the pods",
            pdb_names(&pdbs)
        ))
    }
}

enum PdbVerdict {
    Allows,
    Blocks(String),
    Unknown(String),
}

/// A percentage in an IntOrString, or `None` for an integer.
fn percent(v: &IntOrString) -> Option<Result<i32, ()>> {
    match v {
        IntOrString::Int(_) => None,
        IntOrString::String(s) => s
            .trim()
            .strip_suffix('%')
            .map(|p| p.trim().parse().map_err(|_| ())),
    }
}

/// An integer in an IntOrString ("3" counts as 3), or `None` for a percentage or garbage.
fn integer(v: &IntOrString) -> Option<i32> {
    match v {
        IntOrString::Int(i) => Some(*i),
        IntOrString::String(s) => s.trim().parse().ok(),
    }
}

fn show(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// Does the PDB ever allow an eviction? The disruption controller rounds percentages up.
fn pdb_verdict(p: &PodDisruptionBudget, replicas: Option<i32>) -> PdbVerdict {
    let spec = p.spec.as_ref();
    let min = spec.and_then(|s| s.min_available.as_ref());
    let max = spec.and_then(|s| s.max_unavailable.as_ref());
    let from_spec = match (max, min) {
        (None, None) => PdbVerdict::Blocks(
            "sets neither minAvailable nor maxUnavailable, which allows no eviction".into(),
        ),
        (Some(mu), _) => match percent(mu) {
            Some(Ok(0)) => PdbVerdict::Blocks(format!("maxUnavailable {}", show(mu))),
            Some(_) => PdbVerdict::Allows,
            None => match integer(mu) {
                Some(n) if n <= 0 => PdbVerdict::Blocks(format!("maxUnavailable {}", show(mu))),
                _ => PdbVerdict::Allows,
            },
        },
        (None, Some(ma)) => match (percent(ma), replicas) {
            (Some(Ok(pct)), _) if pct >= 100 => {
                PdbVerdict::Blocks(format!("minAvailable {}", show(ma)))
            }
            (Some(Ok(pct)), Some(r)) => {
                let need = (i64::from(pct) * i64::from(r) + 99) / 100;
                if need >= i64::from(r) {
                    PdbVerdict::Blocks(format!(
                        "minAvailable {} of {} rounds up to {need}, so no pod may go",
                        show(ma),
                        plural(r, "replica", "replicas")
                    ))
                } else {
                    PdbVerdict::Allows
                }
            }
            (Some(Err(())), _) => {
                PdbVerdict::Unknown(format!("minAvailable {} is not a number", show(ma)))
            }
            (Some(Ok(_)), None) | (None, None) => PdbVerdict::Unknown(format!(
                "minAvailable {} cannot be compared with an unknown replica count",
                show(ma)
            )),
            (None, Some(r)) => match integer(ma) {
                Some(n) if n >= r => PdbVerdict::Blocks(format!(
                    "minAvailable {n} ≥ {}",
                    plural(r, "replica", "replicas")
                )),
                Some(_) => PdbVerdict::Allows,
                None => PdbVerdict::Unknown(format!("minAvailable {} is not a number", show(ma))),
            },
        },
    };
    if let PdbVerdict::Blocks(_) = from_spec {
        return from_spec;
    }
    // The status tells what the disruption controller actually computed.
    if let Some(st) = &p.status {
        let expected = st.expected_pods.unwrap_or(0);
        let healthy = st.current_healthy.unwrap_or(0);
        match st.disruptions_allowed {
            Some(0) if expected > 0 && healthy >= expected => {
                return PdbVerdict::Blocks(format!(
                    "status shows disruptionsAllowed 0 while all {} are healthy",
                    plural(expected, "pod", "pods")
                ))
            }
            Some(n) if n > 0 => return PdbVerdict::Allows,
            _ => {}
        }
    }
    from_spec
}

/// Does a pod affinity term select the workload's own pods (in its own namespace)?
fn term_selects_own_pods(
    t: &PodAffinityTerm,
    labels: &crate::cluster::selector::Labels,
    ns: &str,
) -> bool {
    let ns_ok = t.namespace_selector.is_some()
        || t.namespaces
            .as_ref()
            .is_none_or(|n| n.is_empty() || n.iter().any(|n| n == ns));
    ns_ok
        && t.label_selector
            .as_ref()
            .is_some_and(|s| selector_matches(s, labels))
}

/// How the pods are spread: `Ok(description)` or `Err(hint)` when no rule spreads them.
fn spreading_rule(w: &Workload, spec: &PodSpec) -> Result<String, Option<String>> {
    let labels = w.pod_labels();
    let ns = &w.key.namespace;
    let mut hint = None;
    if let Some(anti) = spec
        .affinity
        .as_ref()
        .and_then(|a| a.pod_anti_affinity.as_ref())
    {
        let required = anti
            .required_during_scheduling_ignored_during_execution
            .iter()
            .flatten()
            .map(|t| ("required", t));
        let preferred = anti
            .preferred_during_scheduling_ignored_during_execution
            .iter()
            .flatten()
            .map(|t| ("preferred", &t.pod_affinity_term));
        for (how, t) in required.chain(preferred) {
            if !term_selects_own_pods(t, &labels, ns) {
                hint = Some("the pod anti-affinity does not select the workload's own pods".into());
            } else if !SPREAD_KEYS.contains(&t.topology_key.as_str()) {
                hint = Some(format!(
                    "the pod anti-affinity uses topologyKey {}, not hostname or zone",
                    t.topology_key
                ));
            } else {
                return Ok(format!("{how} pod anti-affinity on {}", t.topology_key));
            }
        }
    }
    for c in spec.topology_spread_constraints.iter().flatten() {
        let selects = c
            .label_selector
            .as_ref()
            .is_some_and(|s| selector_matches(s, &labels));
        if !selects {
            hint =
                Some("the topologySpreadConstraints do not select the workload's own pods".into());
        } else if !SPREAD_KEYS.contains(&c.topology_key.as_str()) {
            hint = Some(format!(
                "the topologySpreadConstraints use topologyKey {}, not hostname or zone",
                c.topology_key
            ));
        } else {
            return Ok(format!("topologySpreadConstraints on {}", c.topology_key));
        }
    }
    Err(hint)
}

fn spread(w: &Workload, cx: &Context) -> Verdict {
    let class = class_of(w);
    let scale = &scale(w, cx);
    match class {
        Class::Batch => return Verdict::na(BATCH),
        Class::Daemon => return Verdict::na("a DaemonSet places one pod per node by design"),
        Class::BarePod => return Verdict::na("a bare Pod is a single pod"),
        Class::Replicated | Class::Custom => {}
    }
    let s = match scale {
        Err(m) => return Verdict::unknown(m.clone()),
        Ok(s) if s.replicas < 2 => return Verdict::na(format!("{}: nothing to spread", s.source)),
        Ok(s) => s,
    };
    let Some(spec) = w.spec() else {
        return Verdict::unknown("the pod template has no spec");
    };
    match spreading_rule(w, spec) {
        Ok(how) => Verdict::pass(format!("{how} spreads the replicas")),
        Err(hint) => {
            let hint = hint.map(|h| format!(" ({h})")).unwrap_or_default();
            Verdict::fail(format!(
                    "no pod anti-affinity or topologySpreadConstraints on hostname/zone{hint}: the scheduler may put all {} on one node",
                    plural(s.replicas, "replica", "replicas")
                ),
            )
        }
    }
}

fn zone_of(node: &k8s_openapi::api::core::v1::Node) -> Option<&str> {
    let labels = node.metadata.labels.as_ref()?;
    labels
        .get(ZONE)
        .or_else(|| labels.get(LEGACY_ZONE))
        .map(String::as_str)
}

fn placement(w: &Workload, cx: &Context) -> Verdict {
    let class = class_of(w);
    match class {
        Class::Batch => return Verdict::na(BATCH),
        Class::Daemon => return Verdict::na("a DaemonSet places one pod per node by design"),
        _ => {}
    }
    if let Some(m) = cx.missing(&[Kind::Pod]) {
        return Verdict::unknown(m);
    }
    let ready: Vec<&str> = w
        .pods
        .iter()
        .filter(|p| pod_is_ready(p))
        .filter_map(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()))
        .collect();
    if ready.len() < 2 {
        return Verdict::na(format!(
            "{} ready on a node; placement is judged from 2 ready pods",
            plural(ready.len() as i32, "pod", "pods")
        ));
    }
    let n = ready.len();
    let nodes: BTreeSet<&str> = ready.iter().copied().collect();
    if nodes.len() == 1 {
        let node = nodes.first().copied().unwrap_or_default();
        return Verdict::fail(format!(
            "all {n} ready pods run on node {node}: losing that node takes the workload down"
        ));
    }
    if !cx.model.knows(Kind::Node) {
        return Verdict::pass(format!(
            "{n} ready pods on {} nodes (zones not judged: {})",
            nodes.len(),
            cx.missing(&[Kind::Node]).unwrap_or_default()
        ));
    }
    let store = &cx.model.stores.nodes;
    let pod_zones: Option<BTreeSet<&str>> = nodes
        .iter()
        .map(|n| {
            store
                .get(&(String::new(), n.to_string()))
                .and_then(|n| zone_of(n))
        })
        .collect();
    let cluster_zones: BTreeSet<&str> = store.values().filter_map(|n| zone_of(n)).collect();
    match pod_zones {
        Some(z) if z.len() == 1 && cluster_zones.len() > 1 => {
            let zone = z.first().copied().unwrap_or_default();
            Verdict::fail(format!(
                    "all {n} ready pods run in zone {zone} (on {} nodes) although the cluster spans {} zones: a zone outage takes the workload down",
                    nodes.len(),
                    cluster_zones.len()
                ),
            )
        }
        Some(z) => Verdict::pass(format!(
            "{n} ready pods on {} nodes in {}",
            nodes.len(),
            plural(z.len() as i32, "zone", "zones")
        )),
        None => Verdict::pass(format!(
            "{n} ready pods on {} nodes (zones not judged: not every node carries a zone label)",
            nodes.len()
        )),
    }
}

fn hpa_name(h: &HorizontalPodAutoscaler) -> &str {
    h.metadata.name.as_deref().unwrap_or_default()
}

fn hpa(w: &Workload, cx: &Context) -> Verdict {
    let class = class_of(w);
    match class {
        Class::Batch => return Verdict::na(BATCH),
        Class::Daemon => return Verdict::na("a DaemonSet runs one pod per node; it is not scaled"),
        Class::BarePod => return Verdict::na("a bare Pod cannot be scaled"),
        Class::Custom => {
            return Verdict::na(format!(
                "applies to Deployments and StatefulSets; shipshape does not model {}",
                w.key.kind
            ))
        }
        Class::Replicated => {}
    }
    if let Some(m) = cx.missing(&[Kind::HorizontalPodAutoscaler, Kind::ScaledObject]) {
        return Verdict::unknown(m);
    }
    let hpas = cx.hpas_targeting(w);
    let scaled: Vec<&str> = cx
        .scaled_objects_targeting(w)
        .iter()
        .map(|so| so.metadata.name.as_deref().unwrap_or_default())
        .collect();
    if !scaled.is_empty() {
        Verdict::pass(format!("KEDA ScaledObject {} scales it", scaled.join(", ")))
    } else if hpas.is_empty() {
        Verdict::fail("no HorizontalPodAutoscaler targets the workload: its replica count does not follow the load",
        )
    } else {
        let names: Vec<&str> = hpas.iter().map(|h| hpa_name(h)).collect();
        Verdict::pass(format!(
            "HorizontalPodAutoscaler {} scales it",
            names.join(", ")
        ))
    }
}

/// Is `kind` one of the apps/v1 kinds whose existence the model can tell?
fn modelled_scale_kind(kind: &str) -> Option<Kind> {
    match kind {
        "Deployment" => Some(Kind::Deployment),
        "StatefulSet" => Some(Kind::StatefulSet),
        "ReplicaSet" => Some(Kind::ReplicaSet),
        _ => None,
    }
}

/// `Some(true)` when the HPA's target is known not to exist.
fn target_missing(h: &HorizontalPodAutoscaler, cx: &Context) -> Option<bool> {
    let t = &h.spec.scale_target_ref;
    let kind = modelled_scale_kind(&t.kind)?;
    if !cx.model.knows(kind) {
        return None;
    }
    let ns = h.metadata.namespace.clone().unwrap_or_default();
    let key = (ns, t.name.clone());
    let s = &cx.model.stores;
    Some(match kind {
        Kind::Deployment => !s.deployments.contains_key(&key),
        Kind::StatefulSet => !s.stateful_sets.contains_key(&key),
        _ => !s.replica_sets.contains_key(&key),
    })
}

/// Does a container get a request for `resource` (its own, from its limit, or from a
/// LimitRange default)? `None` when LimitRanges cannot be seen and the container has none.
fn has_request(c: &Container, resource: &str, lr_default: Option<bool>) -> Option<bool> {
    let r = c.resources.as_ref();
    let own = r
        .and_then(|r| r.requests.as_ref())
        .is_some_and(|m| m.contains_key(resource))
        // A limit without a request makes the request equal to the limit.
        || r
            .and_then(|r| r.limits.as_ref())
            .is_some_and(|m| m.contains_key(resource));
    if own {
        Some(true)
    } else {
        lr_default
    }
}

/// Whether a LimitRange in the namespace defaults `resource` for containers.
fn limit_range_default(cx: &Context, ns: &str, resource: &str) -> Option<bool> {
    if !cx.model.knows(Kind::LimitRange) {
        return None;
    }
    Some(
        in_namespace(&cx.model.stores.limit_ranges, ns)
            .filter_map(|lr| lr.spec.as_ref())
            .flat_map(|s| s.limits.iter())
            .filter(|i| i.type_ == "Container")
            .any(|i| {
                i.default_request
                    .as_ref()
                    .is_some_and(|m| m.contains_key(resource))
                    || i.default.as_ref().is_some_and(|m| m.contains_key(resource))
            }),
    )
}

struct HpaFindings {
    problems: Vec<String>,
    unknown: Vec<String>,
    containers: Vec<String>,
}

fn judge_hpa(h: &HorizontalPodAutoscaler, w: &Workload, cx: &Context, f: &mut HpaFindings) {
    let name = hpa_name(h);
    let spec = &h.spec;
    let mut add = |s: String| {
        f.problems
            .push(format!("HorizontalPodAutoscaler {name}: {s}"))
    };
    let t = &spec.scale_target_ref;
    if matches!(w.controller, Controller::Missing) && target_missing(h, cx) == Some(true) {
        add(format!("its target {} {} does not exist", t.kind, t.name));
    }
    if modelled_scale_kind(&t.kind).is_some() {
        if let Some(v) = t.api_version.as_deref() {
            if v != "apps/v1" {
                add(format!(
                    "scaleTargetRef apiVersion {v} does not serve {} (use apps/v1), so it cannot find its target",
                    t.kind
                ));
            }
        }
    }
    let min = spec.min_replicas.unwrap_or(1);
    if min < 2 {
        add(format!(
            "minReplicas {min}{} lets it scale down to a single pod",
            if spec.min_replicas.is_none() {
                " (the default)"
            } else {
                ""
            }
        ));
    }
    if min == spec.max_replicas {
        add(format!(
            "minReplicas = maxReplicas = {min}, so it never scales"
        ));
    }
    // (resource, container it is limited to, wording)
    let mut utilisation: Vec<(String, Option<String>)> = Vec::new();
    let metrics = spec.metrics.as_deref().unwrap_or_default();
    if metrics.is_empty() {
        add(
            "no metrics (it falls back to 80% CPU utilisation; state the target explicitly)".into(),
        );
        utilisation.push(("cpu".into(), None));
    }
    for m in metrics {
        if let Some(r) = &m.resource {
            if r.target.type_ == "Utilization" {
                utilisation.push((r.name.clone(), None));
            }
        }
        if let Some(r) = &m.container_resource {
            if r.target.type_ == "Utilization" {
                utilisation.push((r.name.clone(), Some(r.container.clone())));
            }
        }
    }
    let Some(pod) = w.spec() else {
        if !utilisation.is_empty() {
            f.unknown.push(format!(
                "HorizontalPodAutoscaler {name}: the pod template has no spec"
            ));
        }
        return;
    };
    utilisation.sort();
    utilisation.dedup();
    for (resource, only) in utilisation {
        let lr = limit_range_default(cx, &w.key.namespace, &resource);
        let mut lacking = Vec::new();
        let mut unsure = false;
        for c in probed_containers(pod) {
            if only.as_deref().is_some_and(|o| o != c.name()) {
                continue;
            }
            match has_request(c.container, &resource, lr) {
                Some(true) => {}
                Some(false) => lacking.push(c.name().to_string()),
                None => unsure = true,
            }
        }
        if !lacking.is_empty() {
            add(format!(
                "scales on {resource} utilisation, but {} {} no {resource} request, so it cannot compute the metric",
                lacking.join(", "),
                if lacking.len() == 1 { "has" } else { "have" }
            ));
            for c in lacking {
                if !f.containers.contains(&c) {
                    f.containers.push(c);
                }
            }
        } else if unsure {
            f.unknown.push(format!(
                "HorizontalPodAutoscaler {name}: some containers have no {resource} request and {}",
                cx.missing(&[Kind::LimitRange]).unwrap_or_default()
            ));
        }
    }
}

fn hpa_sane(w: &Workload, cx: &Context) -> Verdict {
    let class = class_of(w);
    match class {
        Class::Batch => return Verdict::na(BATCH),
        Class::Daemon => return Verdict::na("a DaemonSet runs one pod per node; it is not scaled"),
        Class::BarePod => return Verdict::na("a bare Pod cannot be scaled"),
        Class::Replicated | Class::Custom => {}
    }
    if let Some(m) = cx.missing(&[Kind::HorizontalPodAutoscaler]) {
        return Verdict::unknown(m);
    }
    let targeting = cx.hpas_targeting(w);
    // HPAs that name this workload with the wrong kind, whose target does not exist.
    let strays: Vec<&HorizontalPodAutoscaler> =
        in_namespace(&cx.model.stores.hpas, &w.key.namespace)
            .filter(|h| {
                let t = &h.spec.scale_target_ref;
                t.name == w.key.name
                    && t.kind != w.key.kind.name()
                    && target_missing(h, cx) == Some(true)
            })
            .collect();
    if targeting.is_empty() && strays.is_empty() {
        let scaled: Vec<&str> = cx
            .scaled_objects_targeting(w)
            .iter()
            .filter_map(|so| so.metadata.name.as_deref())
            .collect();
        return Verdict::na(if scaled.is_empty() {
            "no HorizontalPodAutoscaler targets the workload".to_string()
        } else {
            format!(
                "KEDA ScaledObject {} scales the workload (see autoscaler.sane)",
                scaled.join(", ")
            )
        });
    }
    let mut f = HpaFindings {
        problems: Vec::new(),
        unknown: Vec::new(),
        containers: Vec::new(),
    };
    for h in &strays {
        let t = &h.spec.scale_target_ref;
        f.problems.push(format!(
            "HorizontalPodAutoscaler {} targets {} {}, which does not exist (this workload is a {})",
            hpa_name(h),
            t.kind,
            t.name,
            w.key.kind
        ));
    }
    for h in &targeting {
        judge_hpa(h, w, cx, &mut f);
    }
    if !f.problems.is_empty() {
        Verdict::fail(f.problems.join("; ")).containers(f.containers)
    } else if !f.unknown.is_empty() {
        Verdict::unknown(f.unknown.join("; "))
    } else {
        let names: Vec<&str> = targeting.iter().map(|h| hpa_name(h)).collect();
        Verdict::pass(format!(
            "HorizontalPodAutoscaler {} has room to scale, metrics it can compute, and a target",
            names.join(", ")
        ))
    }
}

fn priority_class(w: &Workload, cx: &Context) -> Verdict {
    if w.is_batch() {
        return Verdict::na("runs to completion; priority matters for long-running pods");
    }
    let Some(spec) = w.spec() else {
        return Verdict::unknown("the pod template has no spec");
    };
    let ns = &w.key.namespace;
    match spec
        .priority_class_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        Some(n) if n.starts_with("system-") => {
            if cx.is_system_namespace(ns) {
                Verdict::pass(format!("priorityClassName {n} in system namespace {ns}"))
            } else {
                Verdict::fail(format!(
                        "priorityClassName {n} is reserved for cluster-critical components; outside system namespaces it lets this workload preempt them"
                    ),
                )
            }
        }
        Some(n) => {
            let exists = cx
                .model
                .stores
                .priority_classes
                .contains_key(&(String::new(), n.to_string()));
            if cx.model.knows(Kind::PriorityClass) && !exists && !cx.model.facts.from_manifests {
                Verdict::fail(format!(
                    "PriorityClass {n} does not exist: the API server rejects the pods"
                ))
            } else if !exists && cx.model.facts.from_manifests {
                Verdict::pass(format!(
                    "priorityClassName {n} (not in the input; make sure the cluster has it)"
                ))
            } else {
                Verdict::pass(format!("priorityClassName {n}"))
            }
        }
        None => {
            if let Some(m) = cx.missing(&[Kind::PriorityClass]) {
                return Verdict::unknown(format!(
                    "no priorityClassName, and {m} to tell whether a globalDefault class applies"
                ));
            }
            let default = cx
                .model
                .stores
                .priority_classes
                .values()
                .find(|p| p.global_default == Some(true));
            match default {
                Some(d) => Verdict::pass(format!(
                        "no priorityClassName; the globalDefault PriorityClass {} applies",
                        d.metadata.name.as_deref().unwrap_or_default()
                    ),
                ),
                None => Verdict::fail("no priorityClassName: the pods get priority 0 and are among the first preempted or evicted under pressure",
                ),
            }
        }
    }
}

fn controller(w: &Workload, _: &Context) -> Verdict {
    if class_of(w) != Class::BarePod {
        return Verdict::pass(format!("managed by a {}", w.key.kind));
    }
    let mirror = w
        .meta
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(MIRROR_ANNOTATION))
        || w.meta
            .owner_references
            .iter()
            .flatten()
            .any(|r| r.controller == Some(true) && r.kind == "Node");
    if mirror {
        Verdict::na("a static pod, managed by the kubelet of its node (this is its mirror)")
    } else {
        Verdict::fail("a bare Pod with no controller: nothing recreates it when its node fails, it is evicted or deleted",
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::{CheckResult, Severity, Status};
    use crate::config::Config;
    use crate::grade::{grade_all, Grades};
    use crate::source::LoadOptions;
    use crate::testing::{grade, model, model_with, result, status};

    const W: &str = "Deployment/shop/web";

    /// A Deployment that passes every availability check.
    const BASE: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      priorityClassName: production
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}
      containers:
        - name: app
          image: example/web:1.0
          resources: {requests: {cpu: 100m, memory: 128Mi}}
"#;

    const PDB: &str = r#"---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
"#;

    const HPA: &str = r#"---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
"#;

    const PRIORITY: &str = r#"---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: production}
value: 100000
"#;

    fn all() -> String {
        format!("{BASE}{PDB}{HPA}{PRIORITY}")
    }

    fn partial(yaml: &str) -> Grades {
        let m = model_with(
            yaml,
            &LoadOptions {
                partial: true,
                ..Default::default()
            },
        );
        grade_all(&m, &Config::default())
    }

    fn check<'g>(g: &'g Grades, id: &str) -> &'g CheckResult {
        result(g, W, id)
    }

    fn replicas(n: i32) -> String {
        all().replace(
            "replicas: 3\n  selector",
            &format!("replicas: {n}\n  selector"),
        )
    }

    fn pdb(spec: &str) -> String {
        format!(
            "{BASE}{HPA}{PRIORITY}{}",
            PDB.replace("maxUnavailable: 1", spec)
        )
    }

    fn hpa(from: &str, to: &str) -> String {
        let h = HPA.replace(from, to);
        assert!(from == to || h != HPA, "replacement {from:?} did not apply");
        format!("{BASE}{PDB}{PRIORITY}{h}")
    }

    fn pod(name: &str, node: &str, ready: bool) -> String {
        format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: shop\n  labels: {{app: web, tier: front, pod-template-hash: abc}}\n  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: web-abc, uid: u1, controller: true}}]\nspec:\n  nodeName: {node}\n  containers: [{{name: app, image: example/web:1.0}}]\nstatus:\n  phase: Running\n  conditions: [{{type: Ready, status: \"{}\"}}]\n",
            if ready { "True" } else { "False" }
        )
    }

    fn node(name: &str, zone: &str) -> String {
        format!("---\napiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels: {{topology.kubernetes.io/zone: {zone}}}\n")
    }

    const DAEMONSET: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: shop}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: agent, image: example/agent:1}]\n";
    const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: migrate}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: example/m:1}]\n";
    const CRONJOB: &str = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report, namespace: shop}\nspec:\n  schedule: '0 * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: r, image: example/r:1}]\n";
    const BARE_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: shop, labels: {app: debug}}\nspec:\n  containers: [{name: sh, image: busybox:1.36}]\n";

    #[test]
    fn a_highly_available_deployment_passes() {
        let g = grade(&all());
        for id in [
            "availability.replicas",
            "availability.pdb",
            "availability.pdb-allows-eviction",
            "availability.pdb-single",
            "availability.spread",
            "availability.hpa",
            "availability.hpa-sane",
            "availability.priority-class",
            "availability.controller",
        ] {
            let r = check(&g, id);
            assert_eq!(r.status, Status::Pass, "{id}: {}", r.message);
            assert_eq!(r.category, crate::checks::Category::Availability);
        }
        // No pods in the input: nothing ready to judge placement on.
        assert_eq!(
            status(&g, W, "availability.placement"),
            Status::NotApplicable
        );
    }

    #[test]
    fn every_check_is_in_the_catalogue_once() {
        let ids: Vec<&str> = super::CHECKS.iter().map(|c| c.def.id).collect();
        assert_eq!(ids.len(), 10);
        for c in super::CHECKS {
            assert_eq!(c.def.category, crate::checks::Category::Availability);
            assert!(
                c.def.fix.contains(':'),
                "{} fix has a YAML snippet",
                c.def.id
            );
        }
    }

    #[test]
    fn replicas_single_pod_fails_critical() {
        let g = grade(&format!("{BASE}{PDB}{PRIORITY}").replace("replicas: 3", "replicas: 1"));
        let r = check(&g, "availability.replicas");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert!(r.message.contains("1 replica"), "{}", r.message);
        // Unset replicas default to 1.
        let g = grade(&format!("{BASE}{PRIORITY}").replace("  replicas: 3\n", ""));
        assert_eq!(status(&g, W, "availability.replicas"), Status::Fail);
    }

    #[test]
    fn replicas_hpa_min_two_satisfies() {
        let yaml = replicas(1).replace("minReplicas: 3", "minReplicas: 2");
        let r = check(&grade(&yaml), "availability.replicas").clone();
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        assert!(
            r.message.contains("HorizontalPodAutoscaler web"),
            "{}",
            r.message
        );
        // An HPA allowing 1 does not.
        let yaml = replicas(1).replace("minReplicas: 3", "minReplicas: 1");
        let r = check(&grade(&yaml), "availability.replicas").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("may scale down to 1"), "{}", r.message);
    }

    #[test]
    fn replicas_na_for_daemonsets_jobs_and_bare_pods() {
        let g = grade(&format!(
            "{DAEMONSET}---\n{JOB}---\n{CRONJOB}---\n{BARE_POD}"
        ));
        for w in [
            "DaemonSet/shop/agent",
            "Job/shop/migrate",
            "CronJob/shop/report",
            "Pod/shop/debug",
        ] {
            for id in [
                "availability.replicas",
                "availability.hpa",
                "availability.spread",
            ] {
                assert_eq!(status(&g, w, id), Status::NotApplicable, "{w} {id}");
            }
        }
        for id in [
            "availability.pdb",
            "availability.pdb-allows-eviction",
            "availability.pdb-single",
            "availability.hpa-sane",
            "availability.placement",
        ] {
            assert_eq!(
                status(&g, "Job/shop/migrate", id),
                Status::NotApplicable,
                "{id}"
            );
            assert_eq!(
                status(&g, "CronJob/shop/report", id),
                Status::NotApplicable,
                "{id}"
            );
        }
    }

    #[test]
    fn replicas_unknown_when_hpas_are_not_visible() {
        let g = partial(&BASE.replace("replicas: 3", "replicas: 1"));
        let r = check(&g, "availability.replicas");
        assert_eq!(r.status, Status::Unknown);
        assert!(
            r.message.contains("HorizontalPodAutoscaler"),
            "{}",
            r.message
        );
        // With 2 replicas no HPA is needed to know.
        let g = partial(&BASE.replace("replicas: 3", "replicas: 2"));
        assert_eq!(status(&g, W, "availability.replicas"), Status::Pass);
    }

    #[test]
    fn pdb_missing_fails_from_two_replicas() {
        let g = grade(&format!("{BASE}{HPA}{PRIORITY}"));
        let r = check(&g, "availability.pdb");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(
            r.message.contains("no PodDisruptionBudget"),
            "{}",
            r.message
        );
        assert_eq!(
            status(&g, W, "availability.pdb-allows-eviction"),
            Status::NotApplicable
        );
        assert_eq!(
            status(&g, W, "availability.pdb-single"),
            Status::NotApplicable
        );
    }

    #[test]
    fn pdb_na_with_one_replica() {
        let g = grade(&format!("{BASE}{PRIORITY}").replace("replicas: 3", "replicas: 1"));
        let r = check(&g, "availability.pdb");
        assert_eq!(r.status, Status::NotApplicable);
        assert!(r.message.contains("1 replica"), "{}", r.message);
        assert_eq!(status(&g, W, "availability.spread"), Status::NotApplicable);
    }

    #[test]
    fn pdb_hpa_min_is_the_replica_floor() {
        // replicas 1 in the manifest, but the HPA keeps 3: the PDB and spread checks apply.
        let yaml = format!("{BASE}{HPA}{PRIORITY}")
            .replace("replicas: 3\n  selector", "replicas: 1\n  selector");
        let g = grade(&yaml);
        let r = check(&g, "availability.pdb");
        assert_eq!(r.status, Status::Fail, "{}", r.message);
        assert!(r.message.contains("keeps at least 3"), "{}", r.message);
    }

    #[test]
    fn pdb_selectors_and_match() {
        // Every matchLabels pair must hold: {app: web, tier: back} does not select tier=front.
        let narrow = PDB.replace(
            "{matchLabels: {app: web}}",
            "{matchLabels: {app: web, tier: back}}",
        );
        let g = grade(&format!("{BASE}{PRIORITY}{narrow}"));
        assert_eq!(status(&g, W, "availability.pdb"), Status::Fail);
        // matchExpressions count too.
        let yaml = format!(
            "{BASE}{PRIORITY}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: expr, namespace: shop}}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {{app: web}}\n    matchExpressions: [{{key: tier, operator: In, values: [front, back]}}]\n"
        );
        let r = check(&grade(&yaml), "availability.pdb").clone();
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("expr"), "{}", r.message);
        // A PDB in another namespace does not count.
        let other = PDB.replace("namespace: shop", "namespace: other");
        let g = grade(&format!("{BASE}{PRIORITY}{other}"));
        assert_eq!(status(&g, W, "availability.pdb"), Status::Fail);
    }

    #[test]
    fn pdb_unknown_when_pdbs_are_not_visible() {
        let g = partial(BASE);
        for id in [
            "availability.pdb",
            "availability.pdb-allows-eviction",
            "availability.pdb-single",
        ] {
            let r = check(&g, id);
            assert_eq!(r.status, Status::Unknown, "{id}");
            assert!(
                r.message.contains("PodDisruptionBudget"),
                "{id}: {}",
                r.message
            );
        }
    }

    #[test]
    fn pdb_that_never_allows_eviction_fails() {
        for (spec, needle) in [
            ("minAvailable: 3", "minAvailable 3 ≥ 3 replicas"),
            ("minAvailable: 5", "minAvailable 5"),
            ("minAvailable: 100%", "minAvailable 100%"),
            ("maxUnavailable: 0", "maxUnavailable 0"),
            ("maxUnavailable: 0%", "maxUnavailable 0%"),
            ("minAvailable: 90%", "rounds up to 3"),
            ("{}", "neither minAvailable nor maxUnavailable"),
        ] {
            let yaml = if spec == "{}" {
                pdb("").replace("spec:\n  \n", "spec:\n")
            } else {
                pdb(spec)
            };
            let g = grade(&yaml);
            let r = check(&g, "availability.pdb-allows-eviction");
            assert_eq!(
                (r.status, r.severity),
                (Status::Fail, Severity::Warning),
                "{spec}"
            );
            assert!(r.message.contains(needle), "{spec}: {}", r.message);
            assert!(
                r.message.contains("PodDisruptionBudget web"),
                "{}",
                r.message
            );
            // The PDB still exists, so availability.pdb passes.
            assert_eq!(status(&g, W, "availability.pdb"), Status::Pass, "{spec}");
        }
    }

    #[test]
    fn pdb_that_allows_one_eviction_passes() {
        for spec in [
            "minAvailable: 2",
            "minAvailable: 50%",
            "maxUnavailable: 10%",
            "maxUnavailable: 1",
        ] {
            let g = grade(&pdb(spec));
            let r = check(&g, "availability.pdb-allows-eviction");
            assert_eq!(r.status, Status::Pass, "{spec}: {}", r.message);
        }
    }

    #[test]
    fn pdb_min_available_one_blocks_a_single_replica() {
        // The classic drain blocker: 1 replica, minAvailable 1. The PDB check itself is n/a
        // at 1 replica, but the blocking PDB is still reported.
        let yaml = format!(
            "{BASE}{PRIORITY}{}",
            PDB.replace("maxUnavailable: 1", "minAvailable: 1")
        )
        .replace("replicas: 3", "replicas: 1");
        let g = grade(&yaml);
        assert_eq!(status(&g, W, "availability.pdb"), Status::NotApplicable);
        let r = check(&g, "availability.pdb-allows-eviction");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("minAvailable 1 ≥ 1 replica"),
            "{}",
            r.message
        );
    }

    #[test]
    fn pdb_status_with_no_disruptions_while_healthy_fails() {
        let with_status = |allowed: i32, healthy: i32| {
            format!(
                "{}status:\n  disruptionsAllowed: {allowed}\n  currentHealthy: {healthy}\n  desiredHealthy: 3\n  expectedPods: 3\n",
                pdb("maxUnavailable: 1")
            )
        };
        let g = grade(&with_status(0, 3));
        let r = check(&g, "availability.pdb-allows-eviction");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("disruptionsAllowed 0"), "{}", r.message);
        // 0 allowed because a pod is unhealthy is the PDB doing its job.
        let g = grade(&with_status(0, 2));
        assert_eq!(
            status(&g, W, "availability.pdb-allows-eviction"),
            Status::Pass
        );
    }

    #[test]
    fn more_than_one_pdb_fails() {
        let second = PDB.replace("name: web,", "name: web-extra,");
        let g = grade(&format!("{}{second}", all()));
        let r = check(&g, "availability.pdb-single");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(
            r.message.contains("2 PodDisruptionBudgets"),
            "{}",
            r.message
        );
        assert!(r.message.contains("web-extra"), "{}", r.message);
        // An empty selector selects every pod in the namespace, so it overlaps too.
        let catch_all = "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: all, namespace: shop}\nspec:\n  maxUnavailable: 1\n  selector: {}\n";
        let g = grade(&format!("{}{catch_all}", all()));
        assert_eq!(status(&g, W, "availability.pdb-single"), Status::Fail);
    }

    #[test]
    fn spread_fails_without_rules() {
        let yaml = all().replace(
            "      topologySpreadConstraints:\n        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}\n",
            "",
        );
        let g = grade(&yaml);
        let r = check(&g, "availability.spread");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(r.message.contains("3 replicas"), "{}", r.message);
    }

    #[test]
    fn spread_zone_constraint_and_anti_affinity_are_equivalent() {
        let zone = all().replace(
            "topologyKey: kubernetes.io/hostname",
            "topologyKey: topology.kubernetes.io/zone",
        );
        let r = check(&grade(&zone), "availability.spread").clone();
        assert_eq!(r.status, Status::Pass);
        assert!(
            r.message.contains("topology.kubernetes.io/zone"),
            "{}",
            r.message
        );

        let anti = |kind: &str, term: &str| {
            all().replace(
                "      topologySpreadConstraints:\n        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}\n",
                &format!("      affinity:\n        podAntiAffinity:\n          {kind}:\n            - {term}\n"),
            )
        };
        let preferred = anti(
            "preferredDuringSchedulingIgnoredDuringExecution",
            "{weight: 100, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}}",
        );
        let r = check(&grade(&preferred), "availability.spread").clone();
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        assert!(
            r.message.contains("preferred pod anti-affinity"),
            "{}",
            r.message
        );
        let required = anti(
            "requiredDuringSchedulingIgnoredDuringExecution",
            "{topologyKey: kubernetes.io/hostname, labelSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}}",
        );
        assert_eq!(
            status(&grade(&required), W, "availability.spread"),
            Status::Pass
        );

        // Anti-affinity against another app does not spread this one.
        let other = anti(
            "requiredDuringSchedulingIgnoredDuringExecution",
            "{topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: db}}}",
        );
        let r = check(&grade(&other), "availability.spread").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("own pods"), "{}", r.message);
        // A spread over a key that is not a node or zone does not count.
        let custom = all().replace(
            "topologyKey: kubernetes.io/hostname",
            "topologyKey: node.kubernetes.io/instance-type",
        );
        let r = check(&grade(&custom), "availability.spread").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("instance-type"), "{}", r.message);
    }

    #[test]
    fn spread_na_for_daemonsets_and_unknown_without_hpas_at_one_replica() {
        let g = grade(DAEMONSET);
        assert_eq!(
            status(&g, "DaemonSet/shop/agent", "availability.spread"),
            Status::NotApplicable
        );
        let g = partial(&BASE.replace("replicas: 3", "replicas: 1"));
        assert_eq!(status(&g, W, "availability.spread"), Status::Unknown);
    }

    #[test]
    fn placement_on_one_node_fails() {
        let yaml = format!(
            "{}{}{}{}{}",
            all(),
            pod("web-abc-1", "n1", true),
            pod("web-abc-2", "n1", true),
            node("n1", "a"),
            node("n2", "b")
        );
        let g = grade(&yaml);
        let r = check(&g, "availability.placement");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(r.message.contains("node n1"), "{}", r.message);
    }

    #[test]
    fn placement_in_one_zone_fails_only_when_the_cluster_has_more() {
        let pods = format!(
            "{}{}",
            pod("web-abc-1", "n1", true),
            pod("web-abc-2", "n2", true)
        );
        let g = grade(&format!(
            "{}{pods}{}{}{}",
            all(),
            node("n1", "a"),
            node("n2", "a"),
            node("n3", "b")
        ));
        let r = check(&g, "availability.placement");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("zone a"), "{}", r.message);
        // A single-zone cluster: nothing the workload could do (cluster.node-spread says so).
        let g = grade(&format!(
            "{}{pods}{}{}",
            all(),
            node("n1", "a"),
            node("n2", "a")
        ));
        assert_eq!(status(&g, W, "availability.placement"), Status::Pass);
        // Spread over zones.
        let g = grade(&format!(
            "{}{pods}{}{}",
            all(),
            node("n1", "a"),
            node("n2", "b")
        ));
        let r = check(&g, "availability.placement");
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("2 zones"), "{}", r.message);
    }

    #[test]
    fn placement_counts_only_ready_pods() {
        // Two pods on different nodes, but only one is ready: n/a.
        let yaml = format!(
            "{}{}{}",
            all(),
            pod("web-abc-1", "n1", true),
            pod("web-abc-2", "n2", false)
        );
        let r = check(&grade(&yaml), "availability.placement").clone();
        assert_eq!(r.status, Status::NotApplicable);
        assert!(r.message.contains("1 pod ready"), "{}", r.message);
        // The not-ready pod on another node does not rescue the one-node placement.
        let yaml = format!(
            "{}{}{}{}",
            all(),
            pod("web-abc-1", "n1", true),
            pod("web-abc-2", "n1", true),
            pod("web-abc-3", "n2", false)
        );
        assert_eq!(
            status(&grade(&yaml), W, "availability.placement"),
            Status::Fail
        );
    }

    #[test]
    fn placement_unknown_without_pods_and_na_for_daemonsets() {
        let g = partial(&all());
        let r = check(&g, "availability.placement");
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("Pod"), "{}", r.message);
        let g = grade(DAEMONSET);
        assert_eq!(
            status(&g, "DaemonSet/shop/agent", "availability.placement"),
            Status::NotApplicable
        );
    }

    #[test]
    fn hpa_missing_is_an_info_failure() {
        let g = grade(&format!("{BASE}{PDB}{PRIORITY}"));
        let r = check(&g, "availability.hpa");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert_eq!(
            status(&g, W, "availability.hpa-sane"),
            Status::NotApplicable
        );
        let g = partial(BASE);
        assert_eq!(status(&g, W, "availability.hpa"), Status::Unknown);
        assert_eq!(status(&g, W, "availability.hpa-sane"), Status::Unknown);
        // An HPA for another Deployment does not count.
        let other = HPA.replace(
            "kind: Deployment, name: web}",
            "kind: Deployment, name: api}",
        );
        let g = grade(&format!("{BASE}{PDB}{PRIORITY}{other}"));
        assert_eq!(status(&g, W, "availability.hpa"), Status::Fail);
    }

    #[test]
    fn hpa_sane_flags_each_misconfiguration() {
        for (from, to, needle) in [
            ("minReplicas: 3", "minReplicas: 1", "minReplicas 1"),
            ("  minReplicas: 3\n", "", "minReplicas 1 (the default)"),
            ("maxReplicas: 10", "maxReplicas: 3", "minReplicas = maxReplicas = 3"),
            (
                "  metrics:\n    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}\n",
                "",
                "no metrics",
            ),
            ("apiVersion: apps/v1, kind", "apiVersion: extensions/v1beta1, kind", "extensions/v1beta1"),
        ] {
            let g = grade(&hpa(from, to));
            let r = check(&g, "availability.hpa-sane");
            assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning), "{to}");
            assert!(r.message.contains(needle), "{needle}: {}", r.message);
            assert!(r.message.contains("HorizontalPodAutoscaler web"), "{}", r.message);
        }
        let memory = hpa("name: cpu, target", "name: memory, target").replace(
            "requests: {cpu: 100m, memory: 128Mi}",
            "requests: {cpu: 100m}",
        );
        let r = check(&grade(&memory), "availability.hpa-sane").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("app has no memory request"),
            "{}",
            r.message
        );
        assert_eq!(r.containers(), vec!["app"]);
    }

    #[test]
    fn hpa_sane_names_containers_without_the_request() {
        let yaml = hpa("maxReplicas: 10", "maxReplicas: 10").replace(
            "      containers:\n",
            "      initContainers:\n        - {name: proxy, image: example/proxy:1, restartPolicy: Always}\n        - {name: setup, image: example/setup:1}\n      containers:\n",
        );
        let g = grade(&yaml);
        let r = check(&g, "availability.hpa-sane");
        assert_eq!(r.status, Status::Fail);
        // The sidecar runs beside the app and counts; the plain init container does not.
        assert_eq!(r.containers(), vec!["proxy"]);
        assert!(
            r.message.contains("proxy has no cpu request"),
            "{}",
            r.message
        );
    }

    #[test]
    fn hpa_sane_requests_from_limits_limit_ranges_or_not_needed() {
        // A memory utilisation metric, containers with only a memory limit: the request
        // defaults to the limit.
        let yaml = hpa("name: cpu, target", "name: memory, target").replace(
            "requests: {cpu: 100m, memory: 128Mi}",
            "requests: {cpu: 100m}, limits: {memory: 128Mi}",
        );
        assert_eq!(
            status(&grade(&yaml), W, "availability.hpa-sane"),
            Status::Pass
        );
        // No CPU request, but a LimitRange supplies a default.
        let no_cpu = hpa("maxReplicas: 10", "maxReplicas: 10").replace(
            "requests: {cpu: 100m, memory: 128Mi}",
            "requests: {memory: 128Mi}",
        );
        assert_eq!(
            status(&grade(&no_cpu), W, "availability.hpa-sane"),
            Status::Fail
        );
        let lr = "---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults, namespace: shop}\nspec:\n  limits:\n    - type: Container\n      defaultRequest: {cpu: 50m}\n";
        assert_eq!(
            status(&grade(&format!("{no_cpu}{lr}")), W, "availability.hpa-sane"),
            Status::Pass
        );
        // An AverageValue target needs no request.
        let avg = no_cpu.replace(
            "target: {type: Utilization, averageUtilization: 70}",
            "target: {type: AverageValue, averageValue: 200m}",
        );
        assert_eq!(
            status(&grade(&avg), W, "availability.hpa-sane"),
            Status::Pass
        );
    }

    #[test]
    fn hpa_sane_target_of_the_wrong_kind_does_not_exist() {
        // The HPA names Deployment web, but web is a StatefulSet.
        let sts = BASE
            .replace("kind: Deployment", "kind: StatefulSet")
            .replace("  replicas: 3\n", "  replicas: 3\n  serviceName: web\n");
        let g = grade(&format!("{sts}{PDB}{PRIORITY}{HPA}"));
        let r = result(&g, "StatefulSet/shop/web", "availability.hpa-sane");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message
                .contains("targets Deployment web, which does not exist"),
            "{}",
            r.message
        );
        assert_eq!(
            status(&g, "StatefulSet/shop/web", "availability.hpa"),
            Status::Fail
        );
    }

    #[test]
    fn hpa_sane_target_missing_for_orphaned_pods() {
        // Pods of Deployment web are visible, the Deployment itself is gone.
        let m = model(&format!(
            "{HPA}{}{}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: other, namespace: shop}}\nspec:\n  selector: {{matchLabels: {{app: other}}}}\n  template:\n    metadata: {{labels: {{app: other}}}}\n    spec:\n      containers: [{{name: a, image: a:1}}]\n",
            pod("web-abc-1", "n1", true),
            "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-abc\n  namespace: shop\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: example/web:1.0, resources: {requests: {cpu: 1}}}]\n"
        ));
        let g = grade_all(&m, &Config::default());
        let r = result(&g, W, "availability.hpa-sane");
        assert_eq!(r.status, Status::Fail, "{}", r.message);
        assert!(
            r.message.contains("target Deployment web does not exist"),
            "{}",
            r.message
        );
        assert_eq!(status(&g, W, "availability.replicas"), Status::Unknown);
    }

    #[test]
    fn priority_class_missing_fails_unless_a_global_default_exists() {
        let none = all().replace("      priorityClassName: production\n", "");
        let g = grade(&none);
        let r = check(&g, "availability.priority-class");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        let global = format!("{none}---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {{name: normal}}\nvalue: 1000\nglobalDefault: true\n");
        let r = check(&grade(&global), "availability.priority-class").clone();
        assert_eq!(r.status, Status::Pass);
        assert!(
            r.message.contains("globalDefault PriorityClass normal"),
            "{}",
            r.message
        );
        // Without PriorityClasses visible, it cannot be told.
        let bare = BASE.replace("      priorityClassName: production\n", "");
        let r = check(&partial(&bare), "availability.priority-class").clone();
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("PriorityClass"), "{}", r.message);
    }

    #[test]
    fn priority_class_system_classes_only_in_system_namespaces() {
        let sys = all().replace(
            "priorityClassName: production",
            "priorityClassName: system-cluster-critical",
        );
        let r = check(&grade(&sys), "availability.priority-class").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("system-cluster-critical"),
            "{}",
            r.message
        );
        let in_kube_system = sys.replace("namespace: shop", "namespace: kube-system");
        let g = grade(&in_kube_system);
        assert_eq!(
            status(
                &g,
                "Deployment/kube-system/web",
                "availability.priority-class"
            ),
            Status::Pass
        );
        // A class that does not exist in a live cluster gets the pods rejected.
        let mut m =
            model(&all().replace("priorityClassName: production", "priorityClassName: gold"));
        m.facts.from_manifests = false;
        let g = grade_all(&m, &Config::default());
        let r = result(&g, W, "availability.priority-class");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("gold does not exist"), "{}", r.message);
    }

    #[test]
    fn priority_class_na_for_batch() {
        let g = grade(JOB);
        assert_eq!(
            status(&g, "Job/shop/migrate", "availability.priority-class"),
            Status::NotApplicable
        );
        // A DaemonSet is long-running.
        let g = grade(DAEMONSET);
        assert_eq!(
            status(&g, "DaemonSet/shop/agent", "availability.priority-class"),
            Status::Fail
        );
    }

    #[test]
    fn controller_bare_pod_fails_mirror_pod_is_na() {
        let g = grade(BARE_POD);
        let r = result(&g, "Pod/shop/debug", "availability.controller");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert!(r.message.contains("bare Pod"), "{}", r.message);
        let mirror = BARE_POD.replace(
            "labels: {app: debug}}",
            "labels: {app: debug}, annotations: {kubernetes.io/config.mirror: abc123}}",
        );
        let g = grade(&mirror);
        assert_eq!(
            status(&g, "Pod/shop/debug", "availability.controller"),
            Status::NotApplicable
        );
        let g = grade(&format!("{}---\n{JOB}---\n{CRONJOB}", all()));
        for w in [W, "Job/shop/migrate", "CronJob/shop/report"] {
            assert_eq!(
                status(&g, w, "availability.controller"),
                Status::Pass,
                "{w}"
            );
        }
    }

    #[test]
    fn daemonsets_get_pdb_checks_from_their_status() {
        // Without status the node count is unknown.
        let g = grade(DAEMONSET);
        assert_eq!(
            status(&g, "DaemonSet/shop/agent", "availability.pdb"),
            Status::Unknown
        );
        let with_status = format!(
            "{DAEMONSET}status: {{desiredNumberScheduled: 4, currentNumberScheduled: 4, numberMisscheduled: 0, numberReady: 4}}\n"
        );
        let r = result(
            &grade(&with_status),
            "DaemonSet/shop/agent",
            "availability.pdb",
        )
        .clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("runs on 4 nodes"), "{}", r.message);
    }
}
