//! H — runtime health alerts (seeds 004 "Integrate monitors and set up alert systems", 002
//! "Error Handling and Monitoring").
//!
//! Every check yields one result per workload, like the readiness checks, but its failures are
//! also raised as [`Alert`]s: one per distinct problem (per container, or per workload), never
//! one per pod, so fifty crash-looping replicas make one alert that names the pods.

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{Alert, Category, CheckResult, Context, Severity, Subject, Verdict};
use crate::cluster::pod::{ContainerStatus, Pod, PodCondition};
use crate::cluster::{real_status as real, Controller, Kind, Workload, WorkloadKind};
use crate::time::from_time;
use chrono::{DateTime, Duration, Utc};
use k8s_openapi::api::core::v1::Event;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

const SECTION: Section = Section {
    category: Category::Health,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "health.crash-loop",
            Severity::Critical,
            "No container is crash-looping",
            "a container waits with reason CrashLoopBackOff",
            "A crash-looping container serves nothing and is restarted with ever longer back-offs (up to 5 minutes): the replica is lost until someone fixes the cause.",
            "Read the crashed container's logs (`kubectl logs <pod> -c <container> --previous`) and the last exit code; fix the cause (bad config, missing dependency, failing migration). If a liveness probe kills a slow starter, give it a startupProbe:\n\nstartupProbe:\n  httpGet: {path: /healthz, port: http}\n  periodSeconds: 10\n  failureThreshold: 30",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event],
        grade: Grade::Health(crash_loop),
    },
    Check {
        def: def(
            SECTION,
            "health.image-pull",
            Severity::Critical,
            "Every image can be pulled",
            "a container waits with ErrImagePull, ImagePullBackOff or InvalidImageName",
            "A pod that cannot pull its image never starts: a rollout to it stalls, and a rescheduled replica is lost.",
            "Check the image name and tag exist in the registry, and that the pod can authenticate to it (`kubectl describe pod` shows the registry's answer):\n\nspec:\n  imagePullSecrets:\n    - name: registry-credentials\n  containers:\n    - image: ghcr.io/acme/web:1.4.2",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event],
        grade: Grade::Health(image_pull),
    },
    Check {
        def: def(
            SECTION,
            "health.config-error",
            Severity::Critical,
            "Every container can be created",
            "a container waits with CreateContainerConfigError or CreateContainerError",
            "The kubelet cannot build the container: usually a ConfigMap, Secret or key it references does not exist. The pod never starts.",
            "Create the missing ConfigMap or Secret (or key), or mark the reference optional when the app copes without it:\n\nenv:\n  - name: DATABASE_URL\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: url\n        optional: false",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event],
        grade: Grade::Health(config_error),
    },
    Check {
        def: def(
            SECTION,
            "health.oom-killed",
            Severity::Warning,
            "No container is killed for memory",
            "a container's last termination was OOMKilled",
            "An OOM kill drops every in-flight request and restarts the process; repeated kills mean the memory limit is below what the app needs at peak.",
            "Raise the memory limit above the observed peak (and the request with it), or find the leak:\n\nresources:\n  requests:\n    memory: 512Mi\n  limits:\n    memory: 512Mi",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event],
        grade: Grade::Health(oom_killed),
    },
    Check {
        def: def(
            SECTION,
            "health.restarts",
            Severity::Warning,
            "Containers do not keep restarting",
            "a container restarted at least 5 times (threshold configurable)",
            "Frequent restarts drop in-flight work and hide crashes, OOM kills or a liveness probe that is too strict.",
            "Look at why the container last terminated (`kubectl describe pod`: Last State) and at its previous logs; if a liveness probe kills a busy process, make it more tolerant:\n\nlivenessProbe:\n  httpGet: {path: /healthz, port: http}\n  periodSeconds: 10\n  failureThreshold: 6",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event],
        grade: Grade::Health(restarts),
    },
    Check {
        def: def(
            SECTION,
            "health.unschedulable",
            Severity::Critical,
            "Every pod can be scheduled",
            "PodScheduled=False with reason Unschedulable",
            "No node can take the pod (resources, node selectors, taints, affinity, volume zones): the replica does not exist until capacity or constraints change.",
            "Read the scheduler's message (`kubectl describe pod`, FailedScheduling) and either add capacity, lower the requests, or relax the constraint it names:\n\nresources:\n  requests:\n    cpu: 250m\n    memory: 256Mi\ntolerations:\n  - {key: dedicated, operator: Equal, value: web, effect: NoSchedule}",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event],
        grade: Grade::Health(unschedulable),
    },
    Check {
        def: def(
            SECTION,
            "health.pending",
            Severity::Warning,
            "Pods do not stay Pending",
            "a pod is Pending for more than 5 minutes (threshold configurable)",
            "A pod stuck in Pending (volumes that do not attach, a sandbox that cannot be created, slow init containers) is capacity the workload thinks it has but does not.",
            "Read the pod's events (`kubectl describe pod`) for the step it is stuck on: a volume attach, the network sandbox, an init container. For volumes, make sure the claim can bind in the pod's zone:\n\nvolumeClaimTemplates:\n  - spec:\n      storageClassName: standard-wait-for-consumer\n      accessModes: [ReadWriteOnce]",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event],
        grade: Grade::Health(pending),
    },
    Check {
        def: def(
            SECTION,
            "health.not-ready",
            Severity::Warning,
            "Running pods become Ready",
            "a Running pod is not Ready for more than 5 minutes (threshold configurable)",
            "A running pod that stays un-Ready gets no traffic and blocks rollouts: its readiness probe keeps failing, usually on a dependency or a wrong path or port.",
            "Check the readiness probe's failures (`kubectl describe pod`, Unhealthy events) and what it depends on; make sure it probes the right path and port:\n\nreadinessProbe:\n  httpGet:\n    path: /ready\n    port: http\n  periodSeconds: 5",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event],
        grade: Grade::Health(not_ready),
    },
    Check {
        def: def(
            SECTION,
            "health.unavailable",
            Severity::Critical,
            "The desired replicas are available",
            "available/ready replicas < desired (critical if 0 available, else warning)",
            "Fewer replicas than desired means less capacity and no headroom for the next failure; none at all means an outage.",
            "Find why the missing replicas are not available: the workload's other health alerts (crash loops, image pulls, scheduling) usually name the cause.\n\nkubectl rollout status deployment/<name>\nkubectl describe pod -l app.kubernetes.io/name=<name>",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event, Kind::ReplicaSet],
        grade: Grade::Health(unavailable),
    },
    Check {
        def: def(
            SECTION,
            "health.replica-failure",
            Severity::Critical,
            "The controller can create its pods",
            "a ReplicaFailure=True condition (FailedCreate) on the workload or its ReplicaSet, or FailedCreate Warning events on them",
            "A controller that cannot create pods (a ResourceQuota exceeded, PodSecurity or an admission webhook denying them) leaves the replicas missing without a single failing pod to look at: nothing crashes, nothing is pending, the pods simply never exist.",
            "Read the refusal (`kubectl describe replicaset <name>`, FailedCreate events) and fix what it names: raise or free the quota, make the pod meet the namespace's Pod Security level, or satisfy the webhook:\n\nkubectl -n <namespace> describe resourcequota\n\nsecurityContext:\n  runAsNonRoot: true\n  allowPrivilegeEscalation: false\n  capabilities: {drop: [ALL]}\n  seccompProfile: {type: RuntimeDefault}",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Event, Kind::ReplicaSet],
        grade: Grade::Health(replica_failure),
    },
    Check {
        def: def(
            SECTION,
            "health.rollout-stalled",
            Severity::Critical,
            "Rollouts make progress",
            "Progressing=False with reason ProgressDeadlineExceeded; an Argo Rollout that is Degraded or aborted",
            "A stalled rollout leaves old and new versions side by side and will never finish on its own; new pods fail to become available.",
            "Fix what keeps the new pods from becoming available, or roll back:\n\nkubectl rollout undo deployment/<name>\n\nspec:\n  progressDeadlineSeconds: 600",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Event, Kind::ReplicaSet],
        grade: Grade::Health(rollout_stalled),
    },
    Check {
        def: def(
            SECTION,
            "health.job-failed",
            Severity::Warning,
            "Jobs succeed",
            "a Job has condition Failed, or a CronJob's last run failed",
            "A failed Job did not do its work (a migration, a backup, a report) and will not retry by itself.",
            "Read the failed pods' logs and the Job's condition (BackoffLimitExceeded, DeadlineExceeded); fix the cause and give it retries and a deadline that fit:\n\nspec:\n  backoffLimit: 4\n  activeDeadlineSeconds: 3600",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Event, Kind::Job],
        grade: Grade::Health(job_failed),
    },
    Check {
        def: def(
            SECTION,
            "health.image-drift",
            Severity::Warning,
            "Replicas run the same image",
            "pods of one workload run different image digests for the same image reference",
            "A mutable tag re-pushed between pulls leaves replicas of one revision running different code: bugs appear on some pods only, and rollbacks do not restore what ran before.",
            "Pin images by digest so every node runs the same bytes:\n\ncontainers:\n  - name: app\n    image: ghcr.io/acme/web:1.4.2@sha256:4f0c…",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event],
        grade: Grade::Health(image_drift),
    },
    Check {
        def: def(
            SECTION,
            "health.evicted",
            Severity::Info,
            "No evicted pods linger",
            "Failed/Evicted pods linger",
            "Evicted pods mean a node ran out of memory or disk under this workload; the leftover pod objects clutter listings and hide the pattern.",
            "Set requests equal to real usage so the pods are not the first evicted, then delete the leftovers:\n\nkubectl delete pod --field-selector=status.phase=Failed -n <namespace>\n\nresources:\n  requests:\n    memory: 512Mi\n    ephemeral-storage: 1Gi",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Pod, Kind::Event],
        grade: Grade::Health(evicted),
    },
];

/// Why runtime checks cannot judge a workload that comes from plain manifests.
const NO_STATUS: &str = "no runtime status in the input";

/// One alert in the making.
#[derive(Clone)]
pub struct Problem {
    severity: Severity,
    pods: Vec<String>,
    container: Option<String>,
    reason: String,
    message: String,
    since: Option<DateTime<Utc>>,
    restarts: i32,
    events: Vec<String>,
}

/// A health check's verdict for the workload.
#[derive(Clone)]
pub enum Outcome {
    Pass(String),
    Fail(Vec<Problem>),
    Unknown(String),
    NotApplicable(String),
}

/// A workload's pods and Warning events, gathered once for every health check; the
/// outcomes other checks build on are worked out once, on first use.
pub struct Scan<'a> {
    pub workload: &'a Workload<'a>,
    pub cx: Context<'a>,
    events: Vec<&'a Event>,
    /// The pods to judge, or why they cannot be judged.
    view: Result<Vec<&'a Pod>, String>,
    /// Of those, the pods that are not being deleted (their trouble is going away with them).
    live: Vec<&'a Pod>,
    crash: OnceCell<Outcome>,
    pull: OnceCell<Outcome>,
    config: OnceCell<Outcome>,
    unschedulable: OnceCell<Outcome>,
}

impl<'a> Scan<'a> {
    pub fn new(w: &'a Workload<'a>, cx: Context<'a>) -> Scan<'a> {
        let events: Vec<&Event> = cx
            .model
            .events_of(&w.key)
            .into_iter()
            .filter(|e| e.type_.as_deref().is_none_or(|t| t == "Warning"))
            .collect();
        let view = pod_view(w, &cx);
        let live = view
            .iter()
            .flatten()
            .copied()
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .collect();
        Scan {
            workload: w,
            cx,
            events,
            view,
            live,
            crash: OnceCell::new(),
            pull: OnceCell::new(),
            config: OnceCell::new(),
            unschedulable: OnceCell::new(),
        }
    }

    /// A pod-level outcome, or unknown when the pods cannot be judged.
    fn pods(&self, judge: impl FnOnce(&PodScan) -> Outcome) -> Outcome {
        match &self.view {
            Err(why) => Outcome::Unknown(why.clone()),
            Ok(_) => judge(&PodScan {
                live: &self.live,
                events: &self.events,
            }),
        }
    }

    fn memo(&self, cell: &OnceCell<Outcome>, judge: impl FnOnce(&PodScan) -> Outcome) -> Outcome {
        cell.get_or_init(|| self.pods(judge)).clone()
    }

    /// Pods whose trouble a specific alert already names: pending and not-ready, which are
    /// generic symptoms, do not raise a second alert about them.
    fn explained(&self) -> BTreeMap<String, &'static str> {
        [
            (crash_loop(self), "health.crash-loop"),
            (image_pull(self), "health.image-pull"),
            (config_error(self), "health.config-error"),
            (unschedulable(self), "health.unschedulable"),
        ]
        .into_iter()
        .flat_map(|(o, id)| failing_pods(&o).into_iter().map(move |p| (p, id)))
        .collect()
    }
}

fn crash_loop(s: &Scan) -> Outcome {
    s.memo(&s.crash, |p| p.waiting(WaitingCheck::CrashLoop))
}

fn image_pull(s: &Scan) -> Outcome {
    s.memo(&s.pull, |p| p.waiting(WaitingCheck::ImagePull))
}

fn config_error(s: &Scan) -> Outcome {
    s.memo(&s.config, |p| p.waiting(WaitingCheck::ConfigError))
}

fn oom_killed(s: &Scan) -> Outcome {
    s.pods(|p| p.oom_killed())
}

fn restarts(s: &Scan) -> Outcome {
    s.pods(|p| p.restarts(s.cx.config.thresholds.restarts))
}

fn unschedulable(s: &Scan) -> Outcome {
    s.memo(&s.unschedulable, |p| p.unschedulable())
}

fn pending(s: &Scan) -> Outcome {
    if let Err(why) = &s.view {
        return Outcome::Unknown(why.clone());
    }
    let explained = s.explained();
    let t = &s.cx.config.thresholds;
    s.pods(|p| p.pending(s.cx.now, t.pending_minutes, &explained))
}

fn not_ready(s: &Scan) -> Outcome {
    if let Err(why) = &s.view {
        return Outcome::Unknown(why.clone());
    }
    let explained = s.explained();
    let t = &s.cx.config.thresholds;
    s.pods(|p| p.not_ready(s.cx.now, t.not_ready_minutes, &explained))
}

fn image_drift(s: &Scan) -> Outcome {
    s.pods(|p| p.image_drift())
}

fn evicted(s: &Scan) -> Outcome {
    s.pods(|p| p.evicted())
}

/// Turns an outcome into the check's result and its alerts.
pub fn result_of(
    check: &'static Check,
    w: &Workload,
    outcome: Outcome,
    alerts: &mut Vec<Alert>,
) -> CheckResult {
    let id = check.def.id;
    match outcome {
        Outcome::Pass(m) => check.result(Verdict::pass(m)),
        Outcome::Unknown(m) => check.result(Verdict::unknown(m)),
        Outcome::NotApplicable(m) => check.result(Verdict::na(m)),
        Outcome::Fail(problems) => {
            let severity = problems
                .iter()
                .map(|p| p.severity)
                .max()
                .unwrap_or(Severity::Warning);
            let mut containers: Vec<String> = Vec::new();
            for c in problems.iter().filter_map(|p| p.container.as_ref()) {
                if !containers.contains(c) {
                    containers.push(c.clone());
                }
            }
            let message = problems
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            alerts.extend(problems.into_iter().map(|p| Alert {
                check: id.to_string(),
                severity: p.severity,
                workload: w.key.clone(),
                pods: p.pods,
                container: p.container,
                reason: p.reason,
                message: p.message,
                since: p.since,
                restarts: p.restarts,
                events: p.events,
            }));
            check.result(
                Verdict::fail(message)
                    .severity(severity)
                    .containers(containers),
            )
        }
    }
}

fn failing_pods(o: &Outcome) -> Vec<String> {
    match o {
        Outcome::Fail(problems) => problems.iter().flat_map(|p| p.pods.clone()).collect(),
        _ => Vec::new(),
    }
}

/// The pods to judge, or why they cannot be judged.
fn pod_view<'m>(w: &Workload<'m>, cx: &Context) -> Result<Vec<&'m Pod>, String> {
    if let Some(why) = cx.missing(&[Kind::Pod]) {
        return Err(why);
    }
    if cx.model.facts.from_manifests && !has_runtime_status(w) {
        return Err(NO_STATUS.to_string());
    }
    if w.pods.is_empty() && cx.model.facts.from_manifests {
        let counted = w.status_pod_count();
        if counted > 0 {
            return Err(format!(
                "the input holds none of the {counted} pods the {} status counts",
                w.key.kind
            ));
        }
    }
    Ok(w.pods.clone())
}

/// The controller's status is missing: plain manifests have none; a live object has not
/// reported one yet.
fn no_status(w: &Workload, cx: &Context) -> Outcome {
    Outcome::Unknown(if cx.model.facts.from_manifests {
        NO_STATUS.to_string()
    } else {
        format!("the {} has not reported a status yet", w.key.kind)
    })
}

/// Whether anything in the input reflects the running cluster, not just the desired state.
fn has_runtime_status(w: &Workload) -> bool {
    w.controller_reports_status() || !w.jobs.is_empty() || w.pods.iter().any(|p| p.reports_status())
}

// ---------------------------------------------------------------------------------------------
// Pod-level checks

#[derive(Clone, Copy, PartialEq)]
enum WaitingCheck {
    CrashLoop,
    ImagePull,
    ConfigError,
}

impl WaitingCheck {
    fn reasons(self) -> &'static [&'static str] {
        match self {
            WaitingCheck::CrashLoop => &["CrashLoopBackOff"],
            WaitingCheck::ImagePull => &["ErrImagePull", "ImagePullBackOff", "InvalidImageName"],
            WaitingCheck::ConfigError => &["CreateContainerConfigError", "CreateContainerError"],
        }
    }

    /// Whether a Warning event is about this kind of trouble.
    fn matches(self, e: &Event) -> bool {
        let reason = e.reason.as_deref().unwrap_or_default();
        let pull = mentions_pull(e);
        match self {
            WaitingCheck::CrashLoop => reason == "BackOff" && !pull,
            WaitingCheck::ImagePull => {
                (matches!(reason, "Failed" | "BackOff") && pull)
                    || matches!(reason, "InspectFailed" | "ErrImageNeverPull")
            }
            WaitingCheck::ConfigError => reason == "Failed" && !pull,
        }
    }
}

fn mentions_pull(e: &Event) -> bool {
    let m = e
        .message
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    m.contains("pull") || m.contains("image")
}

/// Per-container aggregation of one problem across the workload's pods.
#[derive(Default)]
struct Group {
    pods: Vec<String>,
    reasons: Vec<String>,
    since: Option<DateTime<Utc>>,
    restarts: i32,
    init: bool,
    image: String,
    detail: Option<String>,
}

impl Group {
    fn add_pod(&mut self, pod: &Pod) {
        let name = pod_name(pod);
        if !self.pods.contains(&name) {
            self.pods.push(name);
        }
    }

    fn label(&self, container: &str) -> String {
        if self.init {
            format!("init container {container}")
        } else {
            format!("container {container}")
        }
    }
}

/// The pods of one workload, and the Warning events about them.
struct PodScan<'a, 'm> {
    /// Pods that are not being deleted (their trouble is going away with them).
    live: &'a [&'m Pod],
    events: &'a [&'m Event],
}

impl<'a, 'm> PodScan<'a, 'm> {
    /// Live pods that are not leftovers of an eviction.
    fn current(&self) -> impl Iterator<Item = &'m Pod> + '_ {
        self.live.iter().copied().filter(|p| !is_evicted(p))
    }

    fn current_count(&self) -> usize {
        self.current().count()
    }

    /// crash-loop, image-pull, config-error: a container waits with one of the reasons.
    fn waiting(&self, kind: WaitingCheck) -> Outcome {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for pod in self.current() {
            for (cs, init) in statuses(pod) {
                let Some(reason) = waiting_reason(cs) else {
                    continue;
                };
                if !kind.reasons().contains(&reason) {
                    continue;
                }
                let g = groups.entry(cs.name.clone()).or_default();
                g.add_pod(pod);
                g.reasons.push(reason.to_string());
                g.init = init;
                g.image = cs.image.clone();
                g.restarts = g.restarts.max(cs.restart_count);
                g.since = earliest(g.since, waiting_since(pod, cs));
                if g.detail.is_none() {
                    g.detail = match kind {
                        WaitingCheck::CrashLoop => last_exit(cs),
                        _ => cs
                            .state
                            .as_ref()
                            .and_then(|s| s.waiting.as_ref())
                            .and_then(|w| w.message.as_deref())
                            .map(|m| clip(m, 200)),
                    };
                }
            }
        }
        if groups.is_empty() {
            return Outcome::Pass(
                match kind {
                    WaitingCheck::CrashLoop => "no container is in CrashLoopBackOff",
                    WaitingCheck::ImagePull => "no container is waiting on an image pull",
                    WaitingCheck::ConfigError => "every container could be created",
                }
                .to_string(),
            );
        }
        let total = self.current_count();
        let problems = groups
            .into_iter()
            .map(|(container, g)| {
                let reason = most_common(&g.reasons);
                let label = g.label(&container);
                let place = where_(&g.pods, total);
                let detail = g.detail.as_deref();
                let message = match kind {
                    WaitingCheck::CrashLoop => format!(
                        "{label} is in CrashLoopBackOff {place} after {} restarts{}",
                        g.restarts,
                        detail
                            .map(|d| format!("; last exit: {d}"))
                            .unwrap_or_default()
                    ),
                    WaitingCheck::ImagePull => format!(
                        "{label} cannot pull image {} {place} ({reason}){}",
                        g.image,
                        detail.map(|d| format!(": {d}")).unwrap_or_default()
                    ),
                    WaitingCheck::ConfigError => format!(
                        "{label} cannot be created {place} ({reason}){}",
                        detail.map(|d| format!(": {d}")).unwrap_or_default()
                    ),
                };
                let events =
                    pod_events(self.events, &g.pods, Some(&container), |e| kind.matches(e));
                Problem {
                    severity: def_severity(match kind {
                        WaitingCheck::CrashLoop => "health.crash-loop",
                        WaitingCheck::ImagePull => "health.image-pull",
                        WaitingCheck::ConfigError => "health.config-error",
                    }),
                    pods: g.pods,
                    container: Some(container),
                    reason,
                    message,
                    since: g.since,
                    restarts: g.restarts,
                    events,
                }
            })
            .collect();
        Outcome::Fail(problems)
    }

    /// oom-killed: the last termination (or the current one) was OOMKilled.
    fn oom_killed(&self) -> Outcome {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for pod in self.current() {
            for (cs, init) in statuses(pod) {
                let current = cs.state.as_ref().and_then(|s| s.terminated.as_ref());
                let last = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref());
                let oom = [current, last]
                    .into_iter()
                    .flatten()
                    .find(|t| t.reason.as_deref() == Some("OOMKilled"));
                let Some(t) = oom else {
                    continue;
                };
                let g = groups.entry(cs.name.clone()).or_default();
                g.add_pod(pod);
                g.init = init;
                g.restarts = g.restarts.max(cs.restart_count);
                g.since = latest(g.since, ts(t.finished_at.as_ref()));
                if g.detail.is_none() {
                    g.detail = memory_limit(pod, &cs.name);
                }
            }
        }
        if groups.is_empty() {
            return Outcome::Pass("no container was OOMKilled".to_string());
        }
        let total = self.current_count();
        Outcome::Fail(
            groups
                .into_iter()
                .map(|(container, g)| {
                    let message = format!(
                        "{} was OOMKilled {}{}",
                        g.label(&container),
                        where_(&g.pods, total),
                        g.detail
                            .as_deref()
                            .map(|l| format!(" (memory limit {l})"))
                            .unwrap_or_else(|| " (no memory limit set)".to_string())
                    );
                    let events = pod_events(self.events, &g.pods, Some(&container), |e| {
                        e.reason.as_deref() == Some("OOMKilling")
                            || e.message.as_deref().is_some_and(|m| m.contains("OOM"))
                    });
                    Problem {
                        severity: def_severity("health.oom-killed"),
                        pods: g.pods,
                        container: Some(container),
                        reason: "OOMKilled".to_string(),
                        message,
                        since: g.since,
                        restarts: g.restarts,
                        events,
                    }
                })
                .collect(),
        )
    }

    /// restarts: a container restarted at least `threshold` times; the max is reported.
    fn restarts(&self, threshold: i32) -> Outcome {
        let mut most = 0;
        // container → (group, restart count of the pod with the most restarts, its last exit)
        let mut groups: BTreeMap<String, (Group, i32, Option<String>)> = BTreeMap::new();
        for pod in self.current() {
            for (cs, init) in statuses(pod) {
                most = most.max(cs.restart_count);
                if cs.restart_count < threshold {
                    continue;
                }
                let (g, max, reason) = groups.entry(cs.name.clone()).or_default();
                g.add_pod(pod);
                g.init = init;
                if cs.restart_count > *max || g.pods.len() == 1 {
                    *max = cs.restart_count;
                    let last = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref());
                    *reason = last.and_then(|t| t.reason.clone());
                    g.since = last.and_then(|t| ts(t.finished_at.as_ref()));
                    g.detail = last_exit(cs);
                }
            }
        }
        if groups.is_empty() {
            return Outcome::Pass(if most == 0 {
                "no container restarted".to_string()
            } else {
                format!("no container restarted {threshold} times or more (most: {most})")
            });
        }
        let total = self.current_count();
        Outcome::Fail(
            groups
                .into_iter()
                .map(|(container, (g, max, reason))| {
                    let message = format!(
                        "{} restarted {max} times {} (threshold {threshold}){}",
                        g.label(&container),
                        where_(&g.pods, total),
                        g.detail
                            .as_deref()
                            .map(|d| format!("; last exit: {d}"))
                            .unwrap_or_default()
                    );
                    let events = pod_events(self.events, &g.pods, Some(&container), |e| {
                        let r = e.reason.as_deref().unwrap_or_default();
                        (r == "BackOff" && !mentions_pull(e)) || r == "Unhealthy"
                    });
                    Problem {
                        severity: def_severity("health.restarts"),
                        pods: g.pods,
                        container: Some(container),
                        reason: reason.unwrap_or_else(|| "Restarted".to_string()),
                        message,
                        since: g.since,
                        restarts: max,
                        events,
                    }
                })
                .collect(),
        )
    }

    /// unschedulable: PodScheduled=False with reason Unschedulable.
    fn unschedulable(&self) -> Outcome {
        let mut pods = Vec::new();
        let mut since = None;
        let mut detail = None;
        for pod in self.current() {
            let Some(c) = condition(pod, "PodScheduled") else {
                continue;
            };
            if c.status != "False" || c.reason.as_deref() != Some("Unschedulable") {
                continue;
            }
            pods.push(pod_name(pod));
            since = earliest(since, ts(c.last_transition_time.as_ref()));
            if detail.is_none() {
                detail = c.message.as_deref().map(|m| clip(m, 300));
            }
        }
        if pods.is_empty() {
            return Outcome::Pass("no pod is Unschedulable".to_string());
        }
        let message = format!(
            "{} cannot be scheduled{}",
            pods_phrase(&pods, self.current_count()),
            detail.map(|d| format!(": {d}")).unwrap_or_default()
        );
        let events = pod_events(self.events, &pods, None, |e| {
            e.reason.as_deref() == Some("FailedScheduling")
        });
        Outcome::Fail(vec![Problem {
            severity: def_severity("health.unschedulable"),
            pods,
            container: None,
            reason: "Unschedulable".to_string(),
            message,
            since,
            restarts: 0,
            events,
        }])
    }

    /// pending: Pending for longer than the threshold, measured from the pod's creation.
    fn pending(
        &self,
        now: DateTime<Utc>,
        minutes: i64,
        explained: &BTreeMap<String, &'static str>,
    ) -> Outcome {
        let limit = Duration::minutes(minutes);
        let mut pods = Vec::new();
        let mut reasons = Vec::new();
        let mut since = None;
        let mut elsewhere: BTreeSet<&str> = BTreeSet::new();
        let mut skipped = 0;
        for pod in self.current() {
            if phase(pod) != "Pending" {
                continue;
            }
            let Some(created) = ts(pod.metadata.creation_timestamp.as_ref()) else {
                continue;
            };
            if now - created <= limit {
                continue;
            }
            let name = pod_name(pod);
            if let Some(id) = explained.get(&name) {
                elsewhere.insert(id);
                skipped += 1;
                continue;
            }
            reasons.push(pending_reason(pod));
            since = earliest(since, Some(created));
            pods.push(name);
        }
        if pods.is_empty() {
            let mut m = format!("no pod has been Pending for over {minutes} min");
            if skipped > 0 {
                m = format!(
                    "{m} other than the {skipped} reported under {}",
                    elsewhere.into_iter().collect::<Vec<_>>().join(", ")
                );
            }
            return Outcome::Pass(m);
        }
        let reason = most_common(&reasons);
        let message = format!(
            "{} {} been Pending for over {minutes} min ({reason})",
            pods_phrase(&pods, self.current_count()),
            if pods.len() == 1 { "has" } else { "have" }
        );
        let events = pod_events(self.events, &pods, None, |_| true);
        Outcome::Fail(vec![Problem {
            severity: def_severity("health.pending"),
            pods,
            container: None,
            reason,
            message,
            since,
            restarts: 0,
            events,
        }])
    }

    /// not-ready: Running, Ready=False for longer than the threshold.
    fn not_ready(
        &self,
        now: DateTime<Utc>,
        minutes: i64,
        explained: &BTreeMap<String, &'static str>,
    ) -> Outcome {
        let limit = Duration::minutes(minutes);
        // first not-ready container (None: readiness gates) → group
        let mut groups: BTreeMap<Option<String>, Group> = BTreeMap::new();
        let mut skipped = 0;
        for pod in self.current() {
            if phase(pod) != "Running" {
                continue;
            }
            let Some(ready) = condition(pod, "Ready") else {
                continue;
            };
            if ready.status != "False" {
                continue;
            }
            let Some(since) = ts(ready.last_transition_time.as_ref())
                .or_else(|| ts(pod.status.as_ref().and_then(|s| s.start_time.as_ref())))
            else {
                continue;
            };
            if now - since <= limit {
                continue;
            }
            if explained.contains_key(&pod_name(pod)) {
                skipped += 1;
                continue;
            }
            let unready = statuses(pod)
                .find(|(cs, init)| !init && !cs.ready)
                .or_else(|| statuses(pod).find(|(cs, _)| !cs.ready && is_running(cs)))
                .map(|(cs, init)| (cs.name.clone(), init));
            let g = groups
                .entry(unready.as_ref().map(|u| u.0.clone()))
                .or_default();
            g.add_pod(pod);
            g.init = unready.is_some_and(|u| u.1);
            g.since = earliest(g.since, Some(since));
            g.reasons.push(
                ready
                    .reason
                    .clone()
                    .unwrap_or_else(|| "NotReady".to_string()),
            );
        }
        if groups.is_empty() {
            let mut m = format!("no Running pod has been un-Ready for over {minutes} min");
            if skipped > 0 {
                m.push_str(&format!(
                    " apart from {skipped} whose containers are reported as waiting"
                ));
            }
            return Outcome::Pass(m);
        }
        let running = self.current().filter(|p| phase(p) == "Running").count();
        Outcome::Fail(
            groups
                .into_iter()
                .map(|(container, g)| {
                    let who = match &container {
                        Some(c) => format!("{} is not Ready", g.label(c)),
                        None => "readiness gates are not met".to_string(),
                    };
                    let message = format!(
                        "{who} {} for over {minutes} min",
                        where_(&g.pods, running).replace(" pods", " Running pods")
                    );
                    let events = pod_events(self.events, &g.pods, container.as_deref(), |e| {
                        e.reason.as_deref() == Some("Unhealthy")
                    });
                    Problem {
                        severity: def_severity("health.not-ready"),
                        reason: most_common(&g.reasons),
                        pods: g.pods,
                        container,
                        message,
                        since: g.since,
                        restarts: 0,
                        events,
                    }
                })
                .collect(),
        )
    }

    /// image-drift: running pods of one template revision with different digests for the
    /// same container and image reference.
    fn image_drift(&self) -> Outcome {
        // (owner, revision) → (container, image, digest form) → digest → pods
        type Digests = BTreeMap<String, Vec<String>>;
        type Containers = BTreeMap<(String, String, bool), Digests>;
        let mut revisions: BTreeMap<(String, String), Containers> = BTreeMap::new();
        let mut running_by_revision: BTreeMap<(String, String), usize> = BTreeMap::new();
        for pod in self.current() {
            if phase(pod) != "Running" {
                continue;
            }
            let rev = revision(pod);
            *running_by_revision.entry(rev.clone()).or_default() += 1;
            let containers = revisions.entry(rev).or_default();
            for (cs, _) in statuses(pod) {
                let Some((digest, pinned_form)) = digest_of(&cs.image_id) else {
                    continue;
                };
                let image = spec_image(pod, &cs.name).unwrap_or_else(|| cs.image.clone());
                containers
                    .entry((cs.name.clone(), image, pinned_form))
                    .or_default()
                    .entry(digest)
                    .or_default()
                    .push(pod_name(pod));
            }
        }
        if running_by_revision.values().all(|n| *n < 2) {
            return Outcome::NotApplicable(
                "fewer than two running pods of one revision to compare".to_string(),
            );
        }
        let mut problems = Vec::new();
        for containers in revisions.values() {
            for ((container, image, _), digests) in containers {
                if digests.len() < 2 {
                    continue;
                }
                let mut pods: Vec<String> = digests.values().flatten().cloned().collect();
                pods.sort();
                let spread = digests
                    .iter()
                    .map(|(d, p)| format!("{} on {}", short_digest(d), pod_list(p)))
                    .collect::<Vec<_>>()
                    .join(", ");
                problems.push(Problem {
                    severity: def_severity("health.image-drift"),
                    message: format!(
                        "container {container} runs {} different digests of {image} in pods of the same revision: {spread}",
                        digests.len()
                    ),
                    pods,
                    container: Some(container.clone()),
                    reason: "ImageDrift".to_string(),
                    since: None,
                    restarts: 0,
                    events: Vec::new(),
                });
            }
        }
        if problems.is_empty() {
            Outcome::Pass("pods of each revision run the same image digests".to_string())
        } else {
            Outcome::Fail(problems)
        }
    }

    /// evicted: Failed pods with reason Evicted still exist.
    fn evicted(&self) -> Outcome {
        let mut pods = Vec::new();
        let mut since = None;
        let mut detail = None;
        for pod in self.live.iter().copied().filter(|p| is_evicted(p)) {
            pods.push(pod_name(pod));
            let when = condition(pod, "DisruptionTarget")
                .and_then(|c| ts(c.last_transition_time.as_ref()))
                .or_else(|| {
                    statuses(pod)
                        .filter_map(|(cs, _)| cs.state.as_ref()?.terminated.as_ref())
                        .filter_map(|t| ts(t.finished_at.as_ref()))
                        .max()
                });
            since = earliest(since, when);
            if detail.is_none() {
                detail = pod
                    .status
                    .as_ref()
                    .and_then(|s| s.message.as_deref())
                    .map(|m| clip(m, 200));
            }
        }
        if pods.is_empty() {
            return Outcome::Pass("no evicted pods linger".to_string());
        }
        let message = format!(
            "{} evicted {} {} ({}){}",
            pods.len(),
            if pods.len() == 1 { "pod" } else { "pods" },
            if pods.len() == 1 { "lingers" } else { "linger" },
            pod_list(&pods),
            detail.map(|d| format!(": {d}")).unwrap_or_default()
        );
        let events = pod_events(self.events, &pods, None, |e| {
            e.reason.as_deref() == Some("Evicted")
        });
        Outcome::Fail(vec![Problem {
            severity: def_severity("health.evicted"),
            pods,
            container: None,
            reason: "Evicted".to_string(),
            message,
            since,
            restarts: 0,
            events,
        }])
    }
}

// ---------------------------------------------------------------------------------------------
// Controller-level checks

/// unavailable: available (or ready) replicas below the desired count.
fn unavailable(s: &Scan) -> Outcome {
    let (w, cx, view, events) = (s.workload, &s.cx, &s.view, &s.events[..]);
    if w.is_batch() {
        return Outcome::NotApplicable(
            "runs to completion; replica availability applies to long-running workloads"
                .to_string(),
        );
    }
    let pods: &[&Pod] = view.as_deref().unwrap_or(&[]);
    // Earliest time a pod went un-Ready, for controllers without an Available condition.
    let unready_since = || {
        pods.iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .filter_map(|p| condition(p, "Ready"))
            .filter(|c| c.status == "False")
            .filter_map(|c| ts(c.last_transition_time.as_ref()))
            .min()
    };
    let workload_events = || messages(events.iter().copied(), |_| true);
    let problem = |severity, reason: String, message: String, since, pods: Vec<String>| {
        Outcome::Fail(vec![Problem {
            severity,
            pods,
            container: None,
            reason,
            message,
            since,
            restarts: 0,
            events: workload_events(),
        }])
    };
    let severity = |available: i32, ready: i32| {
        if available <= 0 && ready <= 0 {
            Severity::Critical
        } else {
            Severity::Warning
        }
    };
    // StatefulSets, DaemonSets and ReplicaSets: none desired passes, enough passes, fewer is a
    // problem (critical when none is available or ready).
    let shortfall = |desired: i32,
                     have: i32,
                     ready: i32,
                     idle: &str,
                     reason: &str,
                     enough: String,
                     short: String| {
        if desired == 0 {
            Outcome::Pass(idle.to_string())
        } else if have >= desired {
            Outcome::Pass(enough)
        } else {
            problem(
                severity(have, ready),
                reason.to_string(),
                short,
                unready_since(),
                Vec::new(),
            )
        }
    };
    // ReplicaSets and ReplicationControllers, from their status counts.
    let replicas_short = |desired: i32, available: Option<i32>, ready: Option<i32>| {
        let available = available.unwrap_or(0);
        let counted = format!("{available} of {desired} replicas available");
        shortfall(
            desired,
            available,
            ready.unwrap_or(0),
            "scaled to 0 replicas",
            "ReplicasUnavailable",
            counted.clone(),
            counted,
        )
    };
    match w.controller {
        Controller::Deployment(d) => {
            let d = d.without_pod_spec();
            let Some(st) = real(&d.status) else {
                return no_status(w, cx);
            };
            let desired = d.spec.replicas.unwrap_or(1);
            if desired == 0 {
                return Outcome::Pass("scaled to 0 replicas".to_string());
            }
            let available = st.available_replicas.unwrap_or(0);
            if available >= desired {
                return Outcome::Pass(format!("{available} of {desired} replicas available"));
            }
            let ready = st.ready_replicas.unwrap_or(0);
            let cond = |t: &str| {
                st.conditions
                    .iter()
                    .flatten()
                    .find(|c| c.type_.as_deref() == Some(t))
            };
            let updated = st.updated_replicas.unwrap_or(0);
            let rolling = cond("Progressing").is_some_and(|c| {
                c.status.as_deref() == Some("True")
                    && c.reason.as_deref() != Some("ProgressDeadlineExceeded")
            }) && updated < desired.max(st.replicas.unwrap_or(0));
            let down = cond("Available").filter(|c| c.status.as_deref() == Some("False"));
            let mut message = format!("{available} of {desired} replicas available");
            if available == 0 && ready > 0 {
                message.push_str(&format!(
                    "; {ready} ready {} waiting out minReadySeconds",
                    if ready == 1 { "pod is" } else { "pods are" }
                ));
            }
            if rolling {
                message.push_str(&format!(
                    "; a rollout is in progress ({updated} of {desired} updated)"
                ));
                if available > 0 {
                    message.push_str(" and older pods still serve");
                }
            }
            problem(
                severity(available, ready),
                down.and_then(|c| c.reason.clone())
                    .unwrap_or_else(|| "ReplicasUnavailable".to_string()),
                message,
                down.and_then(|c| ts(c.last_transition_time.as_ref())),
                Vec::new(),
            )
        }
        Controller::StatefulSet(s) => {
            let s = s.without_pod_spec();
            let Some(st) = real(&s.status) else {
                return no_status(w, cx);
            };
            let (desired, ready) = (s.spec.replicas.unwrap_or(1), st.ready_replicas.unwrap_or(0));
            let counted = format!("{ready} of {desired} replicas ready");
            shortfall(
                desired,
                ready,
                ready,
                "scaled to 0 replicas",
                "ReplicasNotReady",
                counted.clone(),
                counted,
            )
        }
        Controller::DaemonSet(d) => {
            let d = d.without_pod_spec();
            let Some(st) = real(&d.status) else {
                return no_status(w, cx);
            };
            let desired = st.desired_number_scheduled;
            let available = st.number_available.unwrap_or(0);
            shortfall(
                desired,
                available,
                st.number_ready,
                "no node is meant to run the DaemonSet's pods",
                "PodsUnavailable",
                format!("{available} of {desired} pods available"),
                format!("{available} of {desired} scheduled pods available"),
            )
        }
        Controller::ReplicaSet(r) => match real(&r.without_pod_spec().status) {
            Some(st) => replicas_short(
                r.without_pod_spec().spec.replicas.unwrap_or(1),
                st.available_replicas,
                st.ready_replicas,
            ),
            None => no_status(w, cx),
        },
        Controller::ReplicationController(r) => match real(&r.without_pod_spec().status) {
            Some(st) => replicas_short(
                r.without_pod_spec()
                    .spec
                    .as_ref()
                    .and_then(|s| s.replicas)
                    .unwrap_or(1),
                st.available_replicas,
                st.ready_replicas,
            ),
            None => no_status(w, cx),
        },
        Controller::Rollout(r) => {
            let r = r.without_pod_spec();
            let Some(st) = real(&r.status) else {
                return no_status(w, cx);
            };
            let desired = r.spec.replicas.unwrap_or(1);
            let available = st.available_replicas.unwrap_or(0);
            let counted = format!("{available} of {desired} replicas available");
            shortfall(
                desired,
                available,
                st.ready_replicas.unwrap_or(0),
                "scaled to 0 replicas",
                "ReplicasUnavailable",
                counted.clone(),
                counted,
            )
        }
        Controller::Pod(p) => {
            if let Err(why) = view {
                return Outcome::Unknown(why.clone());
            }
            if !p.reports_status() {
                return no_status(w, cx);
            }
            if pod_is_ready(p) {
                return Outcome::Pass("the pod is Ready".to_string());
            }
            let ready = condition(p, "Ready");
            let reason = ready
                .and_then(|c| c.reason.clone())
                .unwrap_or_else(|| match phase(p) {
                    "" => "NotReady".to_string(),
                    ph => ph.to_string(),
                });
            problem(
                Severity::Critical,
                reason,
                format!("the pod is not Ready (phase {})", or_unknown(phase(p))),
                ready
                    .filter(|c| c.status == "False")
                    .and_then(|c| ts(c.last_transition_time.as_ref())),
                vec![pod_name(p)],
            )
        }
        Controller::Missing => Outcome::Unknown(format!(
            "the {} is not in the input, so its desired replica count is unknown",
            w.key.kind
        )),
        Controller::Job(_) | Controller::CronJob(_) => {
            Outcome::NotApplicable("runs to completion".to_string())
        }
    }
}

/// rollout-stalled: the Deployment's Progressing condition says the deadline passed.
fn rollout_stalled(s: &Scan) -> Outcome {
    let (w, cx, events) = (s.workload, &s.cx, &s.events[..]);
    if let Controller::Rollout(r) = w.controller {
        return argo_rollout_stalled(r.without_pod_spec(), s);
    }
    if w.key.kind == WorkloadKind::Rollout {
        return Outcome::Unknown("the Rollout is not in the input".to_string());
    }
    if w.key.kind != WorkloadKind::Deployment {
        return Outcome::NotApplicable("only Deployments have a progress deadline".to_string());
    }
    let Controller::Deployment(d) = w.controller else {
        return Outcome::Unknown("the Deployment is not in the input".to_string());
    };
    let d = d.without_pod_spec();
    let Some(st) = real(&d.status) else {
        return no_status(w, cx);
    };
    let progressing = st
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_.as_deref() == Some("Progressing"));
    match progressing {
        Some(c)
            if c.status.as_deref() == Some("False")
                && c.reason.as_deref() == Some("ProgressDeadlineExceeded") =>
        {
            let deadline = d.spec.progress_deadline_seconds.unwrap_or(600);
            let message = format!(
                "the rollout made no progress within progressDeadlineSeconds ({deadline} s){}",
                c.message
                    .as_deref()
                    .map(|m| format!(": {}", clip(m, 200)))
                    .unwrap_or_default()
            );
            Outcome::Fail(vec![Problem {
                severity: def_severity("health.rollout-stalled"),
                pods: Vec::new(),
                container: None,
                reason: "ProgressDeadlineExceeded".to_string(),
                message,
                since: ts(c.last_transition_time.as_ref()),
                restarts: 0,
                events: messages(events.iter().copied(), |_| true),
            }])
        }
        Some(c) if c.reason.as_deref() == Some("NewReplicaSetAvailable") => {
            Outcome::Pass("the last rollout completed".to_string())
        }
        Some(_) => Outcome::Pass("the rollout is within its progress deadline".to_string()),
        None => Outcome::Pass("no rollout is stalled".to_string()),
    }
}

/// replica-failure: the controller (or, for a Deployment, its ReplicaSets) says it cannot
/// create pods, in a ReplicaFailure condition or FailedCreate events; the refusal's text is
/// what names the quota, the Pod Security level or the webhook.
fn replica_failure(s: &Scan) -> Outcome {
    let (w, cx, events) = (s.workload, &s.cx, &s.events[..]);
    if w.key.kind == WorkloadKind::Pod {
        return Outcome::NotApplicable(
            "a bare pod is created by whoever applies it, not by a controller".to_string(),
        );
    }
    // (message, since) of each ReplicaFailure=True condition.
    let mut refusals: Vec<(String, Option<DateTime<Utc>>)> = Vec::new();
    let mut failure = |type_: &str, status: &str, message: Option<&String>, at: Option<&Time>| {
        if type_ == "ReplicaFailure" && status == "True" {
            refusals.push((message.map(|m| clip(m, 300)).unwrap_or_default(), ts(at)));
        }
    };
    match w.controller {
        Controller::Deployment(d) => {
            for c in d
                .without_pod_spec()
                .status
                .iter()
                .flat_map(|st| st.conditions.iter().flatten())
            {
                failure(
                    c.type_.as_deref().unwrap_or_default(),
                    c.status.as_deref().unwrap_or_default(),
                    c.message.as_ref(),
                    c.last_transition_time.as_ref(),
                );
            }
        }
        Controller::ReplicaSet(r) => {
            for c in r
                .without_pod_spec()
                .status
                .iter()
                .flat_map(|st| st.conditions.iter().flatten())
            {
                failure(
                    c.type_.as_deref().unwrap_or_default(),
                    c.status.as_deref().unwrap_or_default(),
                    c.message.as_ref(),
                    c.last_transition_time.as_ref(),
                );
            }
        }
        _ => {}
    }
    if w.key.kind == WorkloadKind::Deployment {
        // Its ReplicaSets: the ones whose controller is this Deployment.
        let owned =
            crate::checks::context::in_namespace(&cx.model.stores.replica_sets, &w.key.namespace)
                .filter(|rs| {
                    crate::cluster::model::controller_ref(rs.metadata())
                        .is_some_and(|o| o.kind == "Deployment" && o.name == w.key.name)
                });
        for rs in owned {
            for c in rs
                .without_pod_spec()
                .status
                .iter()
                .flat_map(|st| st.conditions.iter().flatten())
            {
                failure(
                    c.type_.as_deref().unwrap_or_default(),
                    c.status.as_deref().unwrap_or_default(),
                    c.message.as_ref(),
                    c.last_transition_time.as_ref(),
                );
            }
        }
    }
    let failed_create: Vec<&Event> = events
        .iter()
        .copied()
        .filter(|e| e.reason.as_deref() == Some("FailedCreate"))
        .collect();
    let event_texts = messages(failed_create.iter().copied(), |_| true);
    if refusals.is_empty() && event_texts.is_empty() {
        // A Deployment's refusals are written on its ReplicaSets, and their events reach it
        // only through them.
        if w.key.kind == WorkloadKind::Deployment {
            if let Some(why) = cx.missing(&[Kind::ReplicaSet]) {
                return Outcome::Unknown(why);
            }
        }
        if cx.model.facts.from_manifests && !w.controller_reports_status() {
            return no_status(w, cx);
        }
        return Outcome::Pass("the controller reports no failure to create pods".to_string());
    }
    let since = refusals
        .iter()
        .filter_map(|(_, t)| *t)
        .chain(
            failed_create
                .iter()
                .filter_map(|e| crate::cluster::model::event_time(e)),
        )
        .min();
    let text = refusals
        .iter()
        .map(|(m, _)| m.clone())
        .find(|m| !m.is_empty())
        .or_else(|| event_texts.first().cloned())
        .unwrap_or_default();
    Outcome::Fail(vec![Problem {
        severity: def_severity("health.replica-failure"),
        pods: Vec::new(),
        container: None,
        reason: "FailedCreate".to_string(),
        message: format!(
            "the {} cannot create pods: {}",
            w.key.kind,
            clip(&text, 300)
        ),
        since,
        restarts: 0,
        events: event_texts,
    }])
}

/// rollout-stalled for an Argo Rollout: its status says it is `Degraded` (its progress
/// deadline passed, or an analysis failed) or that the rollout was aborted.
fn argo_rollout_stalled(r: &crate::cluster::crd::rollout::Rollout, s: &Scan) -> Outcome {
    let (w, cx, events) = (s.workload, &s.cx, &s.events[..]);
    let Some(st) = real(&r.status) else {
        return no_status(w, cx);
    };
    let degraded = st.phase.as_deref() == Some("Degraded");
    if !degraded && !st.abort {
        return Outcome::Pass(match st.phase.as_deref() {
            Some(phase) => format!("the Rollout is {phase}"),
            None => "no rollout is stalled".to_string(),
        });
    }
    let progressing = crate::cluster::crd::condition(&st.conditions, "Progressing");
    let reason = if st.abort {
        "RolloutAborted".to_string()
    } else {
        progressing
            .and_then(|c| c.reason.clone())
            .unwrap_or_else(|| "Degraded".to_string())
    };
    let what = if st.abort {
        "the rollout was aborted and traffic went back to the stable version"
    } else {
        "the Rollout is Degraded"
    };
    let detail = st
        .message
        .as_deref()
        .or(progressing.and_then(|c| c.message.as_deref()))
        .filter(|m| !m.is_empty())
        .map(|m| format!(": {}", clip(m, 200)))
        .unwrap_or_default();
    Outcome::Fail(vec![Problem {
        severity: def_severity("health.rollout-stalled"),
        pods: Vec::new(),
        container: None,
        reason,
        message: format!("{what}{detail}"),
        since: progressing.and_then(|c| {
            c.last_transition_time
                .as_deref()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&chrono::Utc))
        }),
        restarts: 0,
        events: messages(events.iter().copied(), |_| true),
    }])
}

/// job-failed: a Job's Failed condition, or a CronJob's last finished run failed.
fn job_failed(s: &Scan) -> Outcome {
    let (w, cx, events) = (s.workload, &s.cx, &s.events[..]);
    match (&w.key.kind, w.controller) {
        (WorkloadKind::Job, Controller::Job(j)) => {
            if real(&j.status).is_none() {
                return no_status(w, cx);
            }
            match job_state(j) {
                JobState::Failed(c) => Outcome::Fail(vec![job_problem(w, j, c, false, events)]),
                JobState::Complete => Outcome::Pass("the Job completed".to_string()),
                JobState::Running => Outcome::Pass("the Job has not failed".to_string()),
            }
        }
        (WorkloadKind::CronJob, Controller::CronJob(c)) => {
            if w.jobs.is_empty() {
                if let Some(why) = cx.missing(&[Kind::Job]) {
                    return Outcome::Unknown(why);
                }
                if cx.model.facts.from_manifests && real(&c.without_pod_spec().status).is_none() {
                    return no_status(w, cx);
                }
                return Outcome::NotApplicable(
                    "no Job of the CronJob exists (it has not run, or its history is not kept)"
                        .to_string(),
                );
            }
            let last = w.jobs.iter().rev().find_map(|j| match job_state(j) {
                JobState::Running => None,
                s => Some((*j, s)),
            });
            match last {
                None => Outcome::NotApplicable("no run has finished yet".to_string()),
                Some((j, JobState::Failed(cond))) => {
                    Outcome::Fail(vec![job_problem(w, j, cond, true, events)])
                }
                Some((j, _)) => Outcome::Pass(format!(
                    "the last run, Job {}, succeeded",
                    j.metadata.name.as_deref().unwrap_or_default()
                )),
            }
        }
        (WorkloadKind::Job | WorkloadKind::CronJob, _) => {
            Outcome::Unknown(format!("the {} is not in the input", w.key.kind))
        }
        _ => Outcome::NotApplicable("only Jobs and CronJobs run to completion".to_string()),
    }
}

enum JobState<'j> {
    Failed(&'j k8s_openapi::api::batch::v1::JobCondition),
    Complete,
    Running,
}

fn job_state(j: &k8s_openapi::api::batch::v1::Job) -> JobState<'_> {
    let conditions = j.status.as_ref().and_then(|s| s.conditions.as_ref());
    let holds = |t: &str| {
        conditions
            .into_iter()
            .flatten()
            .find(|c| c.type_ == t && c.status == "True")
    };
    if let Some(c) = holds("Failed") {
        JobState::Failed(c)
    } else if holds("Complete").is_some() {
        JobState::Complete
    } else {
        JobState::Running
    }
}

fn job_problem(
    w: &Workload,
    j: &k8s_openapi::api::batch::v1::Job,
    c: &k8s_openapi::api::batch::v1::JobCondition,
    cron: bool,
    events: &[&Event],
) -> Problem {
    let name = j.metadata.name.clone().unwrap_or_default();
    let job_pods: Vec<&Pod> = w
        .pods
        .iter()
        .copied()
        .filter(|p| {
            p.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|r| r.controller == Some(true) && r.kind == "Job" && r.name == name)
        })
        .collect();
    let pods: Vec<String> = job_pods
        .iter()
        .filter(|p| phase(p) == "Failed")
        .map(|p| pod_name(p))
        .collect();
    let reason = c.reason.clone().unwrap_or_else(|| "Failed".to_string());
    let failed = j.status.as_ref().and_then(|s| s.failed).unwrap_or(0);
    let mut message = if cron {
        format!("the last run, Job {name}, failed ({reason})")
    } else {
        format!("the Job failed ({reason})")
    };
    if let Some(m) = c.message.as_deref() {
        message.push_str(&format!(": {}", clip(m, 200)));
    }
    if failed > 0 {
        message.push_str(&format!(
            " after {failed} failed {}",
            if failed == 1 { "pod" } else { "pods" }
        ));
    }
    let pod_names: Vec<String> = job_pods.iter().map(|p| pod_name(p)).collect();
    let events = messages(events.iter().copied(), |e| {
        let o = &e.involved_object;
        match o.kind.as_deref() {
            Some("Job") => o.name.as_deref() == Some(name.as_str()),
            Some("Pod") => o.name.as_ref().is_some_and(|n| pod_names.contains(n)),
            _ => false,
        }
    });
    Problem {
        severity: def_severity("health.job-failed"),
        pods,
        container: None,
        reason,
        message,
        since: ts(c.last_transition_time.as_ref()),
        restarts: job_pods.iter().map(|p| pod_restarts(p)).sum(),
        events,
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn def_severity(id: &str) -> Severity {
    CHECKS
        .iter()
        .find(|c| c.def.id == id)
        .map_or(Severity::Warning, |c| c.def.severity)
}

fn ts(t: Option<&Time>) -> Option<DateTime<Utc>> {
    t.map(from_time)
}

fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn latest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn pod_name(p: &Pod) -> String {
    p.metadata.name.clone().unwrap_or_default()
}

fn phase(p: &Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or_default()
}

fn or_unknown(s: &str) -> &str {
    if s.is_empty() {
        "unknown"
    } else {
        s
    }
}

fn condition<'p>(p: &'p Pod, type_: &str) -> Option<&'p PodCondition> {
    p.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

fn is_evicted(p: &Pod) -> bool {
    phase(p) == "Failed" && p.status.as_ref().and_then(|s| s.reason.as_deref()) == Some("Evicted")
}

/// Container statuses, init (and sidecar) containers first, with whether each is an init one.
fn statuses(p: &Pod) -> impl Iterator<Item = (&ContainerStatus, bool)> {
    let st = p.status.as_ref();
    let init = st
        .and_then(|s| s.init_container_statuses.as_ref())
        .into_iter()
        .flatten()
        .map(|c| (c, true));
    let app = st
        .and_then(|s| s.container_statuses.as_ref())
        .into_iter()
        .flatten()
        .map(|c| (c, false));
    init.chain(app)
}

fn waiting_reason(cs: &ContainerStatus) -> Option<&str> {
    cs.state.as_ref()?.waiting.as_ref()?.reason.as_deref()
}

fn is_running(cs: &ContainerStatus) -> bool {
    cs.state.as_ref().is_some_and(|s| s.running.is_some())
}

/// Since when a waiting container has been in trouble: its last termination, else when the
/// pod stopped being Ready (or its containers ready), else when it started.
fn waiting_since(pod: &Pod, cs: &ContainerStatus) -> Option<DateTime<Utc>> {
    cs.last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| ts(t.finished_at.as_ref()))
        .or_else(|| {
            ["Ready", "ContainersReady", "Initialized"]
                .into_iter()
                .filter_map(|t| condition(pod, t))
                .find(|c| c.status == "False")
                .and_then(|c| ts(c.last_transition_time.as_ref()))
        })
        .or_else(|| ts(pod.status.as_ref().and_then(|s| s.start_time.as_ref())))
}

/// "Error (exit code 1)" from the last termination.
fn last_exit(cs: &ContainerStatus) -> Option<String> {
    let t = cs.last_state.as_ref()?.terminated.as_ref()?;
    Some(format!(
        "{} (exit code {})",
        t.reason.as_deref().unwrap_or("terminated"),
        t.exit_code
    ))
}

fn memory_limit(pod: &Pod, container: &str) -> Option<String> {
    let spec = pod.spec.as_ref()?;
    spec.containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .find(|c| c.name == container)?
        .resources
        .as_ref()?
        .limits
        .as_ref()?
        .get("memory")
        .map(|q| q.0.clone())
}

fn spec_image(pod: &Pod, container: &str) -> Option<String> {
    let spec = pod.spec.as_ref()?;
    spec.containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .find(|c| c.name == container)?
        .image
        .clone()
}

/// Why a pod is Pending: a waiting container's reason, the scheduler's, or the pod's.
fn pending_reason(pod: &Pod) -> String {
    statuses(pod)
        .find_map(|(cs, _)| waiting_reason(cs))
        .map(str::to_string)
        .or_else(|| {
            condition(pod, "PodScheduled")
                .filter(|c| c.status == "False")
                .and_then(|c| c.reason.clone())
        })
        .or_else(|| pod.status.as_ref().and_then(|s| s.reason.clone()))
        .unwrap_or_else(|| "Pending".to_string())
}

/// Pods of one template revision: the owner they were made by and their revision label.
fn revision(pod: &Pod) -> (String, String) {
    let owner = pod
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| format!("{}/{}", r.kind, r.name))
        .unwrap_or_default();
    let label = pod
        .metadata
        .labels
        .as_ref()
        .and_then(|l| {
            [
                "pod-template-hash",
                "controller-revision-hash",
                "rollouts-pod-template-hash",
            ]
            .into_iter()
            .find_map(|k| l.get(k))
        })
        .cloned()
        .unwrap_or_default();
    (owner, label)
}

/// The digest an imageID names, and whether it is a repository digest (`repo@sha256:…`) rather
/// than a local image id; the two are not comparable.
fn digest_of(image_id: &str) -> Option<(String, bool)> {
    let id = image_id.trim();
    if id.is_empty() {
        return None;
    }
    match id.rsplit_once('@') {
        Some((_, d)) if !d.is_empty() => Some((d.to_string(), true)),
        _ => {
            let bare = id.split_once("://").map_or(id, |(_, rest)| rest);
            Some((bare.to_string(), false))
        }
    }
}

fn short_digest(d: &str) -> String {
    match d.split_once(':') {
        Some((algo, hex)) => format!("{algo}:{}", hex.chars().take(12).collect::<String>()),
        None => d.chars().take(19).collect(),
    }
}

fn clip(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>().trim_end())
    }
}

fn most_common(items: &[String]) -> String {
    let mut counts: Vec<(&String, usize)> = Vec::new();
    for i in items {
        match counts.iter_mut().find(|(s, _)| *s == i) {
            Some((_, n)) => *n += 1,
            None => counts.push((i, 1)),
        }
    }
    // The first seen wins a tie.
    let mut best: Option<(&String, usize)> = None;
    for (s, n) in counts {
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((s, n));
        }
    }
    best.map(|(s, _)| s.clone()).unwrap_or_default()
}

/// "a, b, c and 2 more".
fn pod_list(names: &[String]) -> String {
    const SHOWN: usize = 3;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!(
            "{} and {} more",
            names[..SHOWN].join(", "),
            names.len() - SHOWN
        )
    }
}

/// "in pod web-1" or "in 3 of 5 pods (web-1, web-2, web-3)".
fn where_(pods: &[String], total: usize) -> String {
    if pods.len() == 1 && total <= 1 {
        format!("in pod {}", pods[0])
    } else {
        format!(
            "in {} of {} pods ({})",
            pods.len(),
            total.max(pods.len()),
            pod_list(pods)
        )
    }
}

/// "pod web-1" or "3 of 5 pods (web-1, web-2, web-3)", as a sentence subject.
fn pods_phrase(pods: &[String], total: usize) -> String {
    if pods.len() == 1 && total <= 1 {
        format!("pod {}", pods[0])
    } else {
        format!(
            "{} of {} pods ({})",
            pods.len(),
            total.max(pods.len()),
            pod_list(pods)
        )
    }
}

/// The container an event's `fieldPath` names (`spec.containers{app}`).
fn field_container(field_path: Option<&str>) -> Option<&str> {
    let f = field_path?;
    let start = f.find('{')? + 1;
    let end = f[start..].find('}')? + start;
    Some(&f[start..end])
}

/// Messages of events about `pods` (and `container`, when the event names one) that `pred`
/// accepts: newest first, distinct, at most 3.
fn pod_events(
    events: &[&Event],
    pods: &[String],
    container: Option<&str>,
    pred: impl Fn(&Event) -> bool,
) -> Vec<String> {
    messages(events.iter().copied(), |e| {
        let o = &e.involved_object;
        if o.kind.as_deref() != Some("Pod") || !o.name.as_ref().is_some_and(|n| pods.contains(n)) {
            return false;
        }
        if let (Some(c), Some(fc)) = (container, field_container(o.field_path.as_deref())) {
            if c != fc {
                return false;
            }
        }
        pred(e)
    })
}

/// Messages of the events `pred` accepts, in the order given (newest first), distinct, at most 3.
fn messages<'e>(
    events: impl Iterator<Item = &'e Event>,
    pred: impl Fn(&Event) -> bool,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in events.filter(|e| pred(e)) {
        let Some(m) = e
            .message
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        else {
            continue;
        };
        let m = clip(m, 300);
        if !out.contains(&m) {
            out.push(m);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// A pod whose Ready condition is True.
pub fn pod_is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// Restarts summed over the pod's containers.
pub fn pod_restarts(pod: &Pod) -> i32 {
    pod.status
        .as_ref()
        .map(|s| {
            s.container_statuses
                .iter()
                .flatten()
                .chain(s.init_container_statuses.iter().flatten())
                .map(|c| c.restart_count)
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use crate::checks::{Alert, Severity, Status};
    use crate::cluster::{Kind, Msg};
    use crate::config::Config;
    use crate::grade::{grade_all, Grades};
    use crate::source::LoadOptions;
    use crate::testing::{key, model, model_with, result, status};
    use chrono::{DateTime, Utc};
    use serde_json::{json, Value};

    const NOW: &str = "2026-11-20T10:00:00Z";
    const WEB: &str = "Deployment/shop/web";
    const ALL: [&str; 14] = [
        "health.crash-loop",
        "health.image-pull",
        "health.config-error",
        "health.oom-killed",
        "health.restarts",
        "health.unschedulable",
        "health.pending",
        "health.not-ready",
        "health.unavailable",
        "health.replica-failure",
        "health.rollout-stalled",
        "health.job-failed",
        "health.image-drift",
        "health.evicted",
    ];

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn list(items: Vec<Value>) -> String {
        json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string()
    }

    fn grade_with(items: Vec<Value>, config: &Config) -> Grades {
        let mut m = model(&list(items));
        m.apply(Msg::Clock(at(NOW)));
        grade_all(&m, config)
    }

    fn grade(items: Vec<Value>) -> Grades {
        grade_with(items, &Config::default())
    }

    fn alerts<'g>(g: &'g Grades, path: &str, check: &str) -> Vec<&'g Alert> {
        g.workloads[&key(path)]
            .alerts
            .iter()
            .filter(|a| a.check == check)
            .collect()
    }

    fn container() -> Value {
        json!({"name": "app", "image": "example/web:1.0",
               "resources": {"limits": {"memory": "256Mi"}}})
    }

    fn available(n: i32) -> Value {
        json!({"observedGeneration": 1, "replicas": n, "updatedReplicas": n, "readyReplicas": n,
               "availableReplicas": n,
               "conditions": [
                   {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                    "lastTransitionTime": "2026-11-20T09:00:00Z"},
                   {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]})
    }

    fn deployment(replicas: i32, status: Value) -> Value {
        let mut d = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "shop", "uid": "d-1"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [container()]}}}});
        if !status.is_null() {
            d["status"] = status;
        }
        d
    }

    fn replica_set(hash: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
               "metadata": {"name": format!("web-{hash}"), "namespace": "shop", "uid": format!("rs-{hash}"),
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
                                                 "name": "web", "uid": "d-1", "controller": true}]},
               "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                        "template": {"metadata": {"labels": {"app": "web"}},
                                     "spec": {"containers": [container()]}}}})
    }

    fn digest(c: char) -> String {
        format!("sha256:{}", c.to_string().repeat(64))
    }

    /// A container status in `state` (`{"running": {}}`, `{"waiting": {...}}`).
    fn cs(name: &str, state: Value) -> Value {
        let ready = state.get("running").is_some();
        json!({"name": name, "image": "example/web:1.0",
               "imageID": format!("docker.io/example/web@{}", digest('a')),
               "ready": ready, "restartCount": 0, "state": state})
    }

    fn running() -> Value {
        json!({"running": {"startedAt": "2026-11-20T09:00:00Z"}})
    }

    fn waiting(reason: &str, message: &str) -> Value {
        json!({"waiting": {"reason": reason, "message": message}})
    }

    fn pod_status(phase: &str, ready: bool, since: &str, containers: Vec<Value>) -> Value {
        json!({"phase": phase, "startTime": "2026-11-20T09:00:00Z",
               "conditions": [
                   {"type": "PodScheduled", "status": "True"},
                   {"type": "Ready", "status": if ready { "True" } else { "False" },
                    "reason": if ready { Value::Null } else { json!("ContainersNotReady") },
                    "lastTransitionTime": since}],
               "containerStatuses": containers})
    }

    fn healthy() -> Value {
        pod_status(
            "Running",
            true,
            "2026-11-20T09:01:00Z",
            vec![cs("app", running())],
        )
    }

    /// A pod of Deployment web (ReplicaSet web-<hash>).
    fn pod_of(hash: &str, name: &str, status: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": "shop",
                            "labels": {"app": "web", "pod-template-hash": hash},
                            "creationTimestamp": "2026-11-20T09:00:00Z",
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                 "name": format!("web-{hash}"), "uid": format!("rs-{hash}"),
                                                 "controller": true}]},
               "spec": {"containers": [container()]},
               "status": status})
    }

    fn pod(name: &str, status: Value) -> Value {
        pod_of("abc123", name, status)
    }

    fn event(
        name: &str,
        pod: &str,
        field: Option<&str>,
        reason: &str,
        message: &str,
        time: &str,
    ) -> Value {
        let mut involved = json!({"kind": "Pod", "name": pod, "namespace": "shop"});
        if let Some(f) = field {
            involved["fieldPath"] = json!(f);
        }
        json!({"apiVersion": "v1", "kind": "Event", "type": "Warning",
               "metadata": {"name": name, "namespace": "shop"},
               "involvedObject": involved, "reason": reason, "message": message,
               "lastTimestamp": time})
    }

    /// A Deployment with `pods`, its ReplicaSet, and a status saying all are available.
    fn web(pods: Vec<Value>) -> Vec<Value> {
        let n = pods.len() as i32;
        let mut items = vec![deployment(n, available(n)), replica_set("abc123")];
        items.extend(pods);
        items
    }

    #[test]
    fn a_healthy_deployment_passes_and_raises_nothing() {
        let g = grade(web(vec![
            pod("web-abc123-1", healthy()),
            pod("web-abc123-2", healthy()),
            pod("web-abc123-3", healthy()),
        ]));
        for id in ALL {
            let expected = if id == "health.job-failed" {
                Status::NotApplicable
            } else {
                Status::Pass
            };
            assert_eq!(status(&g, WEB, id), expected, "{id}");
        }
        assert!(g.workloads[&key(WEB)].alerts.is_empty());
        assert_eq!(
            result(&g, WEB, "health.unavailable").message,
            "3 of 3 replicas available"
        );
        assert_eq!(
            result(&g, WEB, "health.job-failed").message,
            "only Jobs and CronJobs run to completion"
        );
    }

    #[test]
    fn plain_manifests_without_status_raise_no_alerts() {
        let yaml = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: example/web:1.0}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: dry, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: dry}}
  template:
    metadata: {labels: {app: dry}}
    spec:
      containers: [{name: app, image: example/dry:1.0}]
status: {}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: example/agent:1.0}]
status: {currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  containers: [{name: sh, image: busybox:1.36}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: example/m:1}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: shop}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: n, image: example/n:1}]
"#;
        let g = crate::testing::grade(yaml);
        assert_eq!(
            g.alerts().count(),
            0,
            "{:?}",
            g.alerts().collect::<Vec<_>>()
        );
        for path in [
            WEB,
            "Deployment/shop/dry",
            "DaemonSet/shop/agent",
            "Pod/shop/debug",
        ] {
            for id in [
                "health.crash-loop",
                "health.pending",
                "health.unavailable",
                "health.image-drift",
            ] {
                let r = result(&g, path, id);
                assert_eq!(r.status, Status::Unknown, "{path} {id}: {}", r.message);
                assert_eq!(r.message, "no runtime status in the input");
            }
        }
        assert_eq!(status(&g, WEB, "health.rollout-stalled"), Status::Unknown);
        assert_eq!(
            status(&g, "Job/shop/migrate", "health.job-failed"),
            Status::Unknown
        );
        assert_eq!(
            status(&g, "CronJob/shop/nightly", "health.job-failed"),
            Status::Unknown
        );
        assert_eq!(
            status(&g, "Job/shop/migrate", "health.unavailable"),
            Status::NotApplicable
        );
        assert_eq!(
            status(&g, "DaemonSet/shop/agent", "health.rollout-stalled"),
            Status::NotApplicable
        );
    }

    #[test]
    fn pods_that_cannot_be_seen_make_pod_checks_unknown() {
        // Partial input without pods: the Pod kind is not synced.
        let text = list(vec![deployment(3, available(3))]);
        let options = LoadOptions {
            partial: true,
            ..LoadOptions::default()
        };
        let mut m = model_with(&text, &options);
        m.apply(Msg::Clock(at(NOW)));
        let g = grade_all(&m, &Config::default());
        for id in ["health.crash-loop", "health.restarts", "health.evicted"] {
            let r = result(&g, WEB, id);
            assert_eq!(r.status, Status::Unknown, "{id}");
            assert!(
                r.message.contains("Pod (not in the input)"),
                "{}",
                r.message
            );
        }
        // Availability comes from the Deployment's own status.
        assert_eq!(status(&g, WEB, "health.unavailable"), Status::Pass);
        assert_eq!(status(&g, WEB, "health.rollout-stalled"), Status::Pass);

        // Full file input with a status counting 3 pods, but none in the file.
        let g = grade(vec![deployment(3, available(3))]);
        let r = result(&g, WEB, "health.crash-loop");
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("none of the 3 pods"), "{}", r.message);
        assert_eq!(status(&g, WEB, "health.unavailable"), Status::Pass);
    }

    fn crash_looping(restarts: i32, finished: &str) -> Value {
        let mut c = cs(
            "app",
            waiting(
                "CrashLoopBackOff",
                "back-off 5m0s restarting failed container",
            ),
        );
        c["restartCount"] = json!(restarts);
        c["lastState"] = json!({"terminated": {"reason": "Error", "exitCode": 1,
                                               "finishedAt": finished}});
        pod_status("Running", false, "2026-11-20T09:05:00Z", vec![c])
    }

    #[test]
    fn crash_loops_are_one_alert_per_container_across_replicas() {
        let mut items = web(vec![
            pod("web-abc123-1", crash_looping(12, "2026-11-20T09:50:00Z")),
            pod("web-abc123-2", crash_looping(30, "2026-11-20T09:30:00Z")),
            pod("web-abc123-3", crash_looping(7, "2026-11-20T09:55:00Z")),
            pod("web-abc123-4", healthy()),
            pod("web-abc123-5", healthy()),
        ]);
        let f = Some("spec.containers{app}");
        items.extend([
            event(
                "e1",
                "web-abc123-1",
                f,
                "BackOff",
                "Back-off restarting failed container app in pod web-abc123-1",
                "2026-11-20T09:58:00Z",
            ),
            event(
                "e2",
                "web-abc123-2",
                f,
                "BackOff",
                "Back-off restarting failed container app in pod web-abc123-2",
                "2026-11-20T09:59:00Z",
            ),
            event(
                "e3",
                "web-abc123-3",
                f,
                "BackOff",
                "Back-off restarting failed container app in pod web-abc123-3",
                "2026-11-20T09:57:00Z",
            ),
            event(
                "e4",
                "web-abc123-3",
                f,
                "BackOff",
                "Back-off restarting failed container app (old)",
                "2026-11-20T09:00:00Z",
            ),
            event(
                "e5",
                "web-abc123-1",
                f,
                "BackOff",
                "Back-off pulling image \"example/web:1.0\"",
                "2026-11-20T09:59:30Z",
            ),
            event(
                "e6",
                "web-abc123-4",
                f,
                "BackOff",
                "Back-off restarting failed container app in pod web-abc123-4",
                "2026-11-20T09:59:40Z",
            ),
            event(
                "e7",
                "web-abc123-1",
                Some("spec.containers{other}"),
                "BackOff",
                "Back-off restarting failed container other",
                "2026-11-20T09:59:50Z",
            ),
        ]);
        let g = grade(items);
        let r = result(&g, WEB, "health.crash-loop");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(r.containers(), vec!["app"]);
        assert!(
            r.message
                .contains("container app is in CrashLoopBackOff in 3 of 5 pods"),
            "{}",
            r.message
        );
        assert!(r.message.contains("after 30 restarts"), "{}", r.message);
        assert!(
            r.message.contains("last exit: Error (exit code 1)"),
            "{}",
            r.message
        );

        let a = alerts(&g, WEB, "health.crash-loop");
        assert_eq!(a.len(), 1, "one alert for three crash-looping replicas");
        let a = a[0];
        assert_eq!(a.severity, Severity::Critical);
        assert_eq!(a.workload, key(WEB));
        assert_eq!(a.pods, vec!["web-abc123-1", "web-abc123-2", "web-abc123-3"]);
        assert_eq!(a.container.as_deref(), Some("app"));
        assert_eq!(a.reason, "CrashLoopBackOff");
        assert_eq!(a.restarts, 30);
        // Earliest last termination among the affected pods.
        assert_eq!(a.since, Some(at("2026-11-20T09:30:00Z")));
        // BackOff events of the affected pods and container, newest first, at most 3; not the
        // image back-off, the healthy pod's, or another container's.
        assert_eq!(
            a.events,
            vec![
                "Back-off restarting failed container app in pod web-abc123-2",
                "Back-off restarting failed container app in pod web-abc123-1",
                "Back-off restarting failed container app in pod web-abc123-3",
            ]
        );
        // Its restarts also cross the threshold, but the not-ready symptom is not repeated.
        assert_eq!(status(&g, WEB, "health.restarts"), Status::Fail);
        let nr = result(&g, WEB, "health.not-ready");
        assert_eq!(nr.status, Status::Pass, "{}", nr.message);
        assert!(nr.message.contains("apart from 3"), "{}", nr.message);
        assert!(alerts(&g, WEB, "health.not-ready").is_empty());
    }

    #[test]
    fn crash_loops_in_init_containers_count() {
        let mut init = cs("migrate", waiting("CrashLoopBackOff", "back-off"));
        init["restartCount"] = json!(4);
        let mut st = pod_status(
            "Pending",
            false,
            "2026-11-20T09:00:00Z",
            vec![cs("app", waiting("PodInitializing", ""))],
        );
        st["initContainerStatuses"] = json!([init]);
        let g = grade(web(vec![pod("web-abc123-1", st)]));
        let r = result(&g, WEB, "health.crash-loop");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.containers(), vec!["migrate"]);
        assert!(
            r.message
                .starts_with("init container migrate is in CrashLoopBackOff in pod web-abc123-1"),
            "{}",
            r.message
        );
        let a = alerts(&g, WEB, "health.crash-loop");
        // No last termination: since falls back to when the pod stopped being Ready.
        assert_eq!(a[0].since, Some(at("2026-11-20T09:00:00Z")));
        // The pod has been Pending for an hour, but the crash loop already says why.
        let p = result(&g, WEB, "health.pending");
        assert_eq!(p.status, Status::Pass, "{}", p.message);
        assert!(p.message.contains("health.crash-loop"), "{}", p.message);
    }

    #[test]
    fn pods_being_deleted_raise_no_crash_loop_or_pending() {
        let mut doomed = pod("web-abc123-1", crash_looping(12, "2026-11-20T09:50:00Z"));
        doomed["metadata"]["deletionTimestamp"] = json!("2026-11-20T09:59:00Z");
        let mut stuck = pod(
            "web-abc123-2",
            pod_status(
                "Pending",
                false,
                "2026-11-20T09:00:00Z",
                vec![cs("app", waiting("ContainerCreating", ""))],
            ),
        );
        stuck["metadata"]["deletionTimestamp"] = json!("2026-11-20T09:59:00Z");
        let g = grade(web(vec![doomed, stuck, pod("web-abc123-3", healthy())]));
        assert_eq!(status(&g, WEB, "health.crash-loop"), Status::Pass);
        assert_eq!(status(&g, WEB, "health.pending"), Status::Pass);
        assert_eq!(status(&g, WEB, "health.not-ready"), Status::Pass);
        assert!(g.workloads[&key(WEB)].alerts.is_empty());
    }

    #[test]
    fn image_pull_failures_are_one_alert_with_the_image() {
        let pulling = |reason: &str| {
            pod_status(
                "Pending",
                false,
                "2026-11-20T09:40:00Z",
                vec![cs(
                    "app",
                    waiting(reason, "Back-off pulling image \"example/web:1.0\""),
                )],
            )
        };
        let mut items = web(vec![
            pod("web-abc123-1", pulling("ImagePullBackOff")),
            pod("web-abc123-2", pulling("ErrImagePull")),
            pod("web-abc123-3", pulling("ImagePullBackOff")),
        ]);
        items.push(event(
            "e1",
            "web-abc123-2",
            Some("spec.containers{app}"),
            "Failed",
            "Failed to pull image \"example/web:1.0\": not found",
            "2026-11-20T09:59:00Z",
        ));
        items.push(event(
            "e2",
            "web-abc123-1",
            Some("spec.containers{app}"),
            "Failed",
            "Error: secret \"db\" not found",
            "2026-11-20T09:59:30Z",
        ));
        let g = grade(items);
        let r = result(&g, WEB, "health.image-pull");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert!(
            r.message
                .contains("cannot pull image example/web:1.0 in 3 of 3 pods"),
            "{}",
            r.message
        );
        let a = alerts(&g, WEB, "health.image-pull");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].reason, "ImagePullBackOff", "the most common reason");
        assert_eq!(a[0].since, Some(at("2026-11-20T09:40:00Z")));
        assert_eq!(
            a[0].events,
            vec!["Failed to pull image \"example/web:1.0\": not found"]
        );
        assert_eq!(status(&g, WEB, "health.crash-loop"), Status::Pass);
        assert_eq!(status(&g, WEB, "health.config-error"), Status::Pass);
        // Pending for an hour, explained by the image pull: no second alert.
        assert_eq!(status(&g, WEB, "health.pending"), Status::Pass);
        // And nothing is available.
        assert_eq!(
            status(&g, WEB, "health.unavailable"),
            Status::Pass,
            "the fixture's status says 3 available"
        );
    }

    #[test]
    fn config_errors_name_the_missing_reference() {
        let st = pod_status(
            "Pending",
            false,
            "2026-11-20T09:50:00Z",
            vec![cs(
                "app",
                waiting("CreateContainerConfigError", "secret \"db\" not found"),
            )],
        );
        let mut items = web(vec![
            pod("web-abc123-1", st),
            pod("web-abc123-2", healthy()),
        ]);
        items.push(event(
            "e1",
            "web-abc123-1",
            Some("spec.containers{app}"),
            "Failed",
            "Error: secret \"db\" not found",
            "2026-11-20T09:59:00Z",
        ));
        let g = grade(items);
        let r = result(&g, WEB, "health.config-error");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(
            r.message,
            "container app cannot be created in 1 of 2 pods (web-abc123-1) (CreateContainerConfigError): secret \"db\" not found"
        );
        let a = alerts(&g, WEB, "health.config-error");
        assert_eq!(a[0].reason, "CreateContainerConfigError");
        assert_eq!(a[0].events, vec!["Error: secret \"db\" not found"]);
        assert_eq!(status(&g, WEB, "health.image-pull"), Status::Pass);
    }

    #[test]
    fn oom_kills_from_last_or_current_termination() {
        let oom = |finished: &str| {
            let mut c = cs("app", running());
            c["restartCount"] = json!(2);
            c["lastState"] = json!({"terminated": {"reason": "OOMKilled", "exitCode": 137, "finishedAt": finished}});
            pod_status("Running", true, "2026-11-20T09:00:00Z", vec![c])
        };
        let g = grade(web(vec![
            pod("web-abc123-1", oom("2026-11-20T09:10:00Z")),
            pod("web-abc123-2", oom("2026-11-20T09:40:00Z")),
            pod("web-abc123-3", healthy()),
        ]));
        let r = result(&g, WEB, "health.oom-killed");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(
            r.message,
            "container app was OOMKilled in 2 of 3 pods (web-abc123-1, web-abc123-2) (memory limit 256Mi)"
        );
        let a = alerts(&g, WEB, "health.oom-killed");
        assert_eq!(a.len(), 1);
        assert_eq!(
            a[0].since,
            Some(at("2026-11-20T09:40:00Z")),
            "the latest kill"
        );
        assert_eq!(a[0].restarts, 2);
        // Two restarts are below the threshold.
        assert_eq!(status(&g, WEB, "health.restarts"), Status::Pass);

        // A non-OOM termination passes.
        let mut c = cs("app", running());
        c["lastState"] = json!({"terminated": {"reason": "Error", "exitCode": 1}});
        let g = grade(web(vec![pod(
            "web-abc123-1",
            pod_status("Running", true, NOW, vec![c]),
        )]));
        assert_eq!(status(&g, WEB, "health.oom-killed"), Status::Pass);

        // A Job pod whose container is OOMKilled right now.
        let job = json!({"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "report", "namespace": "shop", "uid": "j-1"},
            "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "r", "image": "example/r:1"}]}}},
            "status": {"active": 0, "failed": 1}});
        let jpod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "report-x1", "namespace": "shop",
                         "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "report", "uid": "j-1", "controller": true}]},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "r", "image": "example/r:1"}]},
            "status": {"phase": "Failed", "containerStatuses": [
                {"name": "r", "image": "example/r:1", "imageID": "", "ready": false, "restartCount": 0,
                 "state": {"terminated": {"reason": "OOMKilled", "exitCode": 137, "finishedAt": "2026-11-20T09:30:00Z"}}}]}});
        let g = grade(vec![job, jpod]);
        let r = result(&g, "Job/shop/report", "health.oom-killed");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("(no memory limit set)"), "{}", r.message);
    }

    #[test]
    fn restarts_report_the_max_and_follow_the_threshold() {
        let restarted = |n: i32| {
            let mut c = cs("app", running());
            c["restartCount"] = json!(n);
            c["lastState"] = json!({"terminated": {"reason": "Error", "exitCode": 2, "finishedAt": format!("2026-11-20T09:{n:02}:00Z")}});
            pod_status("Running", true, "2026-11-20T09:00:00Z", vec![c])
        };
        let pods = || {
            web(vec![
                pod("web-abc123-1", restarted(7)),
                pod("web-abc123-2", restarted(9)),
                pod("web-abc123-3", restarted(4)),
            ])
        };
        let g = grade(pods());
        let r = result(&g, WEB, "health.restarts");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(r.message.starts_with("container app restarted 9 times in 2 of 3 pods (web-abc123-1, web-abc123-2) (threshold 5)"), "{}", r.message);
        let a = alerts(&g, WEB, "health.restarts");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].restarts, 9);
        assert_eq!(a[0].reason, "Error");
        assert_eq!(
            a[0].since,
            Some(at("2026-11-20T09:09:00Z")),
            "last restart of the worst pod"
        );

        // A higher threshold passes, and says the most seen.
        let mut config = Config::default();
        config.thresholds.restarts = 10;
        let g = grade_with(pods(), &config);
        let r = result(&g, WEB, "health.restarts");
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.message,
            "no container restarted 10 times or more (most: 9)"
        );

        // A lower one catches the 4 too.
        config.thresholds.restarts = 3;
        let g = grade_with(pods(), &config);
        assert_eq!(alerts(&g, WEB, "health.restarts")[0].pods.len(), 3);
    }

    #[test]
    fn unschedulable_pods_are_critical_and_not_also_pending() {
        let st = json!({"phase": "Pending",
            "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                            "message": "0/3 nodes are available: 3 Insufficient cpu.",
                            "lastTransitionTime": "2026-11-20T09:20:00Z"}]});
        let mut items = web(vec![
            pod("web-abc123-1", st.clone()),
            pod("web-abc123-2", st),
        ]);
        items.push(event(
            "e1",
            "web-abc123-1",
            None,
            "FailedScheduling",
            "0/3 nodes are available: 3 Insufficient cpu.",
            "2026-11-20T09:59:00Z",
        ));
        items.push(event(
            "e2",
            "web-abc123-2",
            None,
            "FailedScheduling",
            "0/3 nodes are available: 3 Insufficient cpu.",
            "2026-11-20T09:58:00Z",
        ));
        let g = grade(items);
        let r = result(&g, WEB, "health.unschedulable");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(
            r.message,
            "2 of 2 pods (web-abc123-1, web-abc123-2) cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu."
        );
        let a = alerts(&g, WEB, "health.unschedulable");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].container, None);
        assert_eq!(a[0].since, Some(at("2026-11-20T09:20:00Z")));
        assert_eq!(
            a[0].events,
            vec!["0/3 nodes are available: 3 Insufficient cpu."],
            "distinct messages"
        );
        let p = result(&g, WEB, "health.pending");
        assert_eq!(p.status, Status::Pass);
        assert!(
            p.message
                .contains("other than the 2 reported under health.unschedulable"),
            "{}",
            p.message
        );
        assert_eq!(g.workloads[&key(WEB)].health, crate::score::Health::Failing);
    }

    fn creating(created: &str) -> Value {
        let mut p = pod(
            "web-abc123-1",
            pod_status(
                "Pending",
                false,
                created,
                vec![cs("app", waiting("ContainerCreating", ""))],
            ),
        );
        p["metadata"]["creationTimestamp"] = json!(created);
        p
    }

    #[test]
    fn pending_counts_from_creation_against_the_threshold() {
        let mut items = web(vec![creating("2026-11-20T09:50:00Z")]);
        items.push(event(
            "e1",
            "web-abc123-1",
            None,
            "FailedMount",
            "MountVolume.SetUp failed for volume \"data\"",
            "2026-11-20T09:59:00Z",
        ));
        let g = grade(items.clone());
        let r = result(&g, WEB, "health.pending");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(
            r.message,
            "pod web-abc123-1 has been Pending for over 5 min (ContainerCreating)"
        );
        let a = alerts(&g, WEB, "health.pending");
        assert_eq!(a[0].since, Some(at("2026-11-20T09:50:00Z")));
        assert_eq!(a[0].reason, "ContainerCreating");
        assert_eq!(
            a[0].events,
            vec!["MountVolume.SetUp failed for volume \"data\""]
        );

        // Two minutes is normal start-up.
        let g = grade(web(vec![creating("2026-11-20T09:58:00Z")]));
        assert_eq!(status(&g, WEB, "health.pending"), Status::Pass);

        // The threshold is configurable.
        let mut config = Config::default();
        config.thresholds.pending_minutes = 15;
        let g = grade_with(items, &config);
        let r = result(&g, WEB, "health.pending");
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.message, "no pod has been Pending for over 15 min");
    }

    fn unready(since: &str) -> Value {
        let mut c = cs("app", running());
        c["ready"] = json!(false);
        pod_status("Running", false, since, vec![c])
    }

    #[test]
    fn not_ready_uses_the_ready_condition_transition() {
        let mut items = web(vec![
            pod("web-abc123-1", unready("2026-11-20T09:40:00Z")),
            pod("web-abc123-2", unready("2026-11-20T09:57:00Z")),
            pod("web-abc123-3", healthy()),
        ]);
        items.push(event(
            "e1",
            "web-abc123-1",
            Some("spec.containers{app}"),
            "Unhealthy",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            "2026-11-20T09:59:00Z",
        ));
        let g = grade(items.clone());
        let r = result(&g, WEB, "health.not-ready");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(r.containers(), vec!["app"]);
        assert_eq!(
            r.message,
            "container app is not Ready in 1 of 3 Running pods (web-abc123-1) for over 5 min"
        );
        let a = alerts(&g, WEB, "health.not-ready");
        assert_eq!(a.len(), 1);
        assert_eq!(
            a[0].pods,
            vec!["web-abc123-1"],
            "3 minutes is under the threshold"
        );
        assert_eq!(a[0].since, Some(at("2026-11-20T09:40:00Z")));
        assert_eq!(a[0].reason, "ContainersNotReady");
        assert_eq!(
            a[0].events,
            vec!["Readiness probe failed: HTTP probe failed with statuscode: 503"]
        );

        let mut config = Config::default();
        config.thresholds.not_ready_minutes = 30;
        assert_eq!(
            status(&grade_with(items, &config), WEB, "health.not-ready"),
            Status::Pass
        );
    }

    #[test]
    fn unavailable_deployments_by_severity() {
        let partial = json!({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3,
            "readyReplicas": 2, "availableReplicas": 2, "unavailableReplicas": 1,
            "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                            "lastTransitionTime": "2026-11-19T09:00:00Z"},
                           {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]});
        let g = grade(vec![deployment(3, partial)]);
        let r = result(&g, WEB, "health.unavailable");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(r.message, "2 of 3 replicas available");
        let a = alerts(&g, WEB, "health.unavailable");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].severity, Severity::Warning);
        assert!(a[0].pods.is_empty());
        assert_eq!(
            a[0].since, None,
            "the Available condition is True: it says nothing about when replicas went missing"
        );

        let none = json!({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3,
            "unavailableReplicas": 3,
            "conditions": [{"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable",
                            "lastTransitionTime": "2026-11-20T09:30:00Z"}]});
        let g = grade(vec![deployment(3, none)]);
        let r = result(&g, WEB, "health.unavailable");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        let a = alerts(&g, WEB, "health.unavailable");
        assert_eq!(a[0].severity, Severity::Critical);
        assert_eq!(a[0].reason, "MinimumReplicasUnavailable");
        assert_eq!(a[0].since, Some(at("2026-11-20T09:30:00Z")));
        assert_eq!(g.workloads[&key(WEB)].health, crate::score::Health::Failing);

        // Scaled to zero is fine.
        let zero = json!({"observedGeneration": 2, "conditions": [{"type": "Available", "status": "True"}]});
        let g = grade(vec![deployment(0, zero)]);
        let r = result(&g, WEB, "health.unavailable");
        assert_eq!(
            (r.status, r.message.as_ref()),
            (Status::Pass, "scaled to 0 replicas")
        );
    }

    #[test]
    fn a_rollout_in_progress_is_at_most_a_warning() {
        let rolling = json!({"observedGeneration": 2, "replicas": 4, "updatedReplicas": 1,
            "readyReplicas": 2, "availableReplicas": 2,
            "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                           {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}]});
        let g = grade(vec![deployment(3, rolling)]);
        let r = result(&g, WEB, "health.unavailable");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(
            r.message,
            "2 of 3 replicas available; a rollout is in progress (1 of 3 updated) and older pods still serve"
        );
        assert_eq!(status(&g, WEB, "health.rollout-stalled"), Status::Pass);

        // Ready pods still waiting out minReadySeconds serve traffic: not an outage.
        let warming = json!({"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2,
            "readyReplicas": 2, "availableReplicas": 0});
        let g = grade(vec![deployment(2, warming)]);
        let r = result(&g, WEB, "health.unavailable");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(
            r.message.contains("waiting out minReadySeconds"),
            "{}",
            r.message
        );
    }

    #[test]
    fn unavailable_for_other_kinds() {
        let sts = json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "db", "namespace": "shop"},
            "spec": {"replicas": 3, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                     "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "pg", "image": "postgres:16"}]}}},
            "status": {"replicas": 3, "readyReplicas": 1, "currentReplicas": 3}});
        let ds = json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "agent", "namespace": "shop"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                     "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "a", "image": "example/a:1"}]}}},
            "status": {"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberReady": 0,
                       "numberMisscheduled": 0, "numberAvailable": 0, "numberUnavailable": 2, "observedGeneration": 1}});
        let ds_pod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "agent-x", "namespace": "shop", "labels": {"app": "agent"},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "ds", "controller": true}]},
            "spec": {"containers": [{"name": "a", "image": "example/a:1"}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": "2026-11-20T09:45:00Z"}],
                       "containerStatuses": [{"name": "a", "image": "example/a:1", "imageID": "", "ready": false, "restartCount": 0, "state": {"running": {}}}]}});
        let bare = |ready: &str| {
            json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "tool", "namespace": "shop"},
            "spec": {"containers": [{"name": "t", "image": "example/t:1"}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": ready, "reason": "ContainersNotReady",
                                                            "lastTransitionTime": "2026-11-20T09:15:00Z"}]}})
        };
        let job = json!({"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "migrate", "namespace": "shop"},
            "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "m", "image": "example/m:1"}]}}},
            "status": {"active": 1}});
        let g = grade(vec![sts, ds, ds_pod, bare("False"), job]);

        let r = result(&g, "StatefulSet/shop/db", "health.unavailable");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(r.message, "1 of 3 replicas ready");
        let r = result(&g, "DaemonSet/shop/agent", "health.unavailable");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(r.message, "0 of 2 scheduled pods available");
        assert_eq!(
            alerts(&g, "DaemonSet/shop/agent", "health.unavailable")[0].since,
            Some(at("2026-11-20T09:45:00Z"))
        );
        let r = result(&g, "Pod/shop/tool", "health.unavailable");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        let a = alerts(&g, "Pod/shop/tool", "health.unavailable");
        assert_eq!(a[0].since, Some(at("2026-11-20T09:15:00Z")));
        assert_eq!(a[0].pods, vec!["tool"]);
        let r = result(&g, "Job/shop/migrate", "health.unavailable");
        assert_eq!(r.status, Status::NotApplicable);

        let g = grade(vec![bare("True")]);
        assert_eq!(
            status(&g, "Pod/shop/tool", "health.unavailable"),
            Status::Pass
        );
    }

    #[test]
    fn stalled_rollouts_are_critical_for_deployments_only() {
        let stalled = json!({"observedGeneration": 3, "replicas": 4, "updatedReplicas": 1,
            "readyReplicas": 2, "availableReplicas": 2,
            "conditions": [{"type": "Available", "status": "True"},
                           {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                            "message": "ReplicaSet \"web-def456\" has timed out progressing.",
                            "lastTransitionTime": "2026-11-20T09:35:00Z"}]});
        let mut d = deployment(3, stalled);
        d["spec"]["progressDeadlineSeconds"] = json!(300);
        let g = grade(vec![d]);
        let r = result(&g, WEB, "health.rollout-stalled");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(
            r.message,
            "the rollout made no progress within progressDeadlineSeconds (300 s): ReplicaSet \"web-def456\" has timed out progressing."
        );
        let a = alerts(&g, WEB, "health.rollout-stalled");
        assert_eq!(a[0].reason, "ProgressDeadlineExceeded");
        assert_eq!(a[0].since, Some(at("2026-11-20T09:35:00Z")));
        // Old pods still serve: availability is only a warning.
        assert_eq!(
            result(&g, WEB, "health.unavailable").severity,
            Severity::Warning
        );

        let g = grade(vec![deployment(3, available(3))]);
        let r = result(&g, WEB, "health.rollout-stalled");
        assert_eq!(
            (r.status, r.message.as_ref()),
            (Status::Pass, "the last rollout completed")
        );

        let sts = json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "db", "namespace": "shop"},
            "spec": {"replicas": 1, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                     "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "pg", "image": "postgres:16"}]}}},
            "status": {"replicas": 1, "readyReplicas": 1}});
        let g = grade(vec![sts]);
        assert_eq!(
            status(&g, "StatefulSet/shop/db", "health.rollout-stalled"),
            Status::NotApplicable
        );
    }

    fn job(
        name: &str,
        created: &str,
        owner: Option<&str>,
        condition: Option<(&str, &str)>,
    ) -> Value {
        let mut j = json!({"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "namespace": "shop", "uid": format!("uid-{name}"),
                         "creationTimestamp": created},
            "spec": {"backoffLimit": 2, "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "n", "image": "example/n:1"}]}}},
            "status": {"startTime": created}});
        if let Some(o) = owner {
            j["metadata"]["ownerReferences"] = json!([{"apiVersion": "batch/v1", "kind": "CronJob", "name": o, "uid": "cj", "controller": true}]);
        }
        if let Some((kind, reason)) = condition {
            j["status"]["conditions"] = json!([{"type": kind, "status": "True", "reason": reason,
                "message": "Job has reached the specified backoff limit",
                "lastTransitionTime": "2026-11-20T03:10:00Z"}]);
            if kind == "Failed" {
                j["status"]["failed"] = json!(3);
            }
        }
        j
    }

    fn job_pod(name: &str, job: &str, phase: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "shop",
                         "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": job, "uid": format!("uid-{job}"), "controller": true}]},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "n", "image": "example/n:1"}]},
            "status": {"phase": phase}})
    }

    fn cron_job() -> Value {
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "nightly", "namespace": "shop"},
            "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "Never", "containers": [{"name": "n", "image": "example/n:1"}]}}}}},
            "status": {"lastScheduleTime": "2026-11-20T03:00:00Z"}})
    }

    #[test]
    fn failed_jobs() {
        let mut items = vec![
            job(
                "migrate",
                "2026-11-20T03:00:00Z",
                None,
                Some(("Failed", "BackoffLimitExceeded")),
            ),
            job_pod("migrate-a", "migrate", "Failed"),
            job_pod("migrate-b", "migrate", "Failed"),
        ];
        items.push(json!({"apiVersion": "v1", "kind": "Event", "type": "Warning",
            "metadata": {"name": "j1", "namespace": "shop"},
            "involvedObject": {"kind": "Job", "name": "migrate", "namespace": "shop"},
            "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit",
            "lastTimestamp": "2026-11-20T03:10:00Z"}));
        let g = grade(items);
        let r = result(&g, "Job/shop/migrate", "health.job-failed");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(
            r.message,
            "the Job failed (BackoffLimitExceeded): Job has reached the specified backoff limit after 3 failed pods"
        );
        let a = alerts(&g, "Job/shop/migrate", "health.job-failed");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].pods, vec!["migrate-a", "migrate-b"]);
        assert_eq!(a[0].reason, "BackoffLimitExceeded");
        assert_eq!(a[0].since, Some(at("2026-11-20T03:10:00Z")));
        assert_eq!(
            a[0].events,
            vec!["Job has reached the specified backoff limit"]
        );

        let g = grade(vec![job(
            "migrate",
            "2026-11-20T03:00:00Z",
            None,
            Some(("Complete", "CompletionsReached")),
        )]);
        assert_eq!(
            status(&g, "Job/shop/migrate", "health.job-failed"),
            Status::Pass
        );
        let g = grade(vec![job("migrate", "2026-11-20T03:00:00Z", None, None)]);
        assert_eq!(
            status(&g, "Job/shop/migrate", "health.job-failed"),
            Status::Pass
        );
    }

    #[test]
    fn a_cron_job_is_judged_by_its_last_finished_run() {
        const CJ: &str = "CronJob/shop/nightly";
        // An old failure, then a success: healthy.
        let g = grade(vec![
            cron_job(),
            job(
                "nightly-1",
                "2026-11-18T03:00:00Z",
                Some("nightly"),
                Some(("Failed", "BackoffLimitExceeded")),
            ),
            job(
                "nightly-2",
                "2026-11-19T03:00:00Z",
                Some("nightly"),
                Some(("Complete", "CompletionsReached")),
            ),
        ]);
        let r = result(&g, CJ, "health.job-failed");
        assert_eq!(
            (r.status, r.message.as_ref()),
            (Status::Pass, "the last run, Job nightly-2, succeeded")
        );

        // The newest run failed (created last though named first, to prove the sort is by time).
        let g = grade(vec![
            cron_job(),
            job(
                "nightly-a",
                "2026-11-20T03:00:00Z",
                Some("nightly"),
                Some(("Failed", "DeadlineExceeded")),
            ),
            job(
                "nightly-b",
                "2026-11-19T03:00:00Z",
                Some("nightly"),
                Some(("Complete", "CompletionsReached")),
            ),
            job_pod("nightly-a-x", "nightly-a", "Failed"),
        ]);
        let r = result(&g, CJ, "health.job-failed");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message
                .starts_with("the last run, Job nightly-a, failed (DeadlineExceeded)"),
            "{}",
            r.message
        );
        assert_eq!(
            alerts(&g, CJ, "health.job-failed")[0].pods,
            vec!["nightly-a-x"]
        );

        // A run in progress does not hide the last finished one.
        let g = grade(vec![
            cron_job(),
            job(
                "nightly-1",
                "2026-11-19T03:00:00Z",
                Some("nightly"),
                Some(("Failed", "BackoffLimitExceeded")),
            ),
            job("nightly-2", "2026-11-20T03:00:00Z", Some("nightly"), None),
        ]);
        assert_eq!(status(&g, CJ, "health.job-failed"), Status::Fail);

        // Never run.
        let g = grade(vec![cron_job()]);
        assert_eq!(status(&g, CJ, "health.job-failed"), Status::NotApplicable);
        assert_eq!(status(&g, CJ, "health.unavailable"), Status::NotApplicable);
    }

    fn running_digest(c: char, id_prefix: &str) -> Value {
        let mut s = cs("app", running());
        s["imageID"] = json!(format!("{id_prefix}example/web@{}", digest(c)));
        pod_status("Running", true, "2026-11-20T09:00:00Z", vec![s])
    }

    #[test]
    fn image_drift_within_one_revision() {
        let g = grade(web(vec![
            pod("web-abc123-1", running_digest('a', "docker.io/")),
            pod("web-abc123-2", running_digest('b', "docker.io/")),
            pod("web-abc123-3", running_digest('a', "docker-pullable://")),
        ]));
        let r = result(&g, WEB, "health.image-drift");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(
            r.message,
            "container app runs 2 different digests of example/web:1.0 in pods of the same revision: sha256:aaaaaaaaaaaa on web-abc123-1, web-abc123-3, sha256:bbbbbbbbbbbb on web-abc123-2"
        );
        let a = alerts(&g, WEB, "health.image-drift");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].pods.len(), 3);
        assert_eq!(a[0].container.as_deref(), Some("app"));

        // Different revisions mid-rollout may differ; runtime prefixes do not matter.
        let mut items = web(vec![
            pod("web-abc123-1", running_digest('a', "docker.io/")),
            pod("web-abc123-2", running_digest('a', "docker-pullable://")),
            pod_of("def456", "web-def456-1", running_digest('b', "docker.io/")),
        ]);
        items.push(replica_set("def456"));
        let g = grade(items);
        assert_eq!(status(&g, WEB, "health.image-drift"), Status::Pass);

        // A pod that is not running yet (no imageID) and a single replica: nothing to compare.
        let g = grade(web(vec![
            pod("web-abc123-1", running_digest('a', "")),
            pod(
                "web-abc123-2",
                pod_status(
                    "Pending",
                    false,
                    NOW,
                    vec![cs("app", waiting("ContainerCreating", ""))],
                ),
            ),
        ]));
        assert_eq!(status(&g, WEB, "health.image-drift"), Status::NotApplicable);
    }

    #[test]
    fn evicted_pods_linger_as_info() {
        let evicted = json!({"phase": "Failed", "reason": "Evicted",
            "message": "The node was low on resource: memory.",
            "conditions": [{"type": "DisruptionTarget", "status": "True", "reason": "TerminationByKubelet",
                            "lastTransitionTime": "2026-11-20T08:00:00Z"}]});
        let mut later = evicted.clone();
        later["conditions"][0]["lastTransitionTime"] = json!("2026-11-20T09:00:00Z");
        let mut items = web(vec![
            pod("web-abc123-1", evicted),
            pod("web-abc123-2", later),
            pod("web-abc123-3", healthy()),
        ]);
        items.push(event(
            "e1",
            "web-abc123-1",
            None,
            "Evicted",
            "The node was low on resource: memory.",
            "2026-11-20T08:00:00Z",
        ));
        let g = grade(items);
        let r = result(&g, WEB, "health.evicted");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert_eq!(
            r.message,
            "2 evicted pods linger (web-abc123-1, web-abc123-2): The node was low on resource: memory."
        );
        let a = alerts(&g, WEB, "health.evicted");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].since, Some(at("2026-11-20T08:00:00Z")));
        assert_eq!(a[0].events, vec!["The node was low on resource: memory."]);
        // Evicted leftovers are not pending, not crash-looping, and do not drift.
        assert_eq!(status(&g, WEB, "health.pending"), Status::Pass);
        assert_eq!(status(&g, WEB, "health.image-drift"), Status::NotApplicable);
        // Info alerts do not degrade health.
        assert_eq!(g.workloads[&key(WEB)].health, crate::score::Health::Healthy);
    }

    #[test]
    fn live_objects_without_status_are_not_mistaken_for_manifests() {
        let cron = json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "nightly", "namespace": "shop"},
            "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "Never", "containers": [{"name": "n", "image": "example/n:1"}]}}}}},
            "status": {}});
        let mut m = model(&list(vec![cron, deployment(2, json!({}))]));
        m.apply(Msg::Facts(crate::cluster::ClusterFacts {
            source: "kind-test".into(),
            ..Default::default()
        }));
        m.apply(Msg::Clock(at(NOW)));
        let g = grade_all(&m, &Config::default());
        const CJ: &str = "CronJob/shop/nightly";
        assert_eq!(status(&g, CJ, "health.job-failed"), Status::NotApplicable);
        assert_eq!(status(&g, CJ, "health.crash-loop"), Status::Pass);
        let r = result(&g, WEB, "health.unavailable");
        assert_eq!(r.status, Status::Unknown);
        assert_eq!(r.message, "the Deployment has not reported a status yet");
        assert_eq!(status(&g, WEB, "health.pending"), Status::Pass);
        assert_eq!(g.alerts().count(), 0);
    }

    /// An event about the web-abc123 ReplicaSet.
    fn replica_set_event(reason: &str, message: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "Event", "type": "Warning",
               "metadata": {"name": "web-abc123.1", "namespace": "shop"},
               "involvedObject": {"kind": "ReplicaSet", "name": "web-abc123", "namespace": "shop"},
               "reason": reason, "message": message, "lastTimestamp": "2026-11-20T09:50:00Z"})
    }

    const QUOTA: &str = r#"Error creating: pods "web-abc123-x1" is forbidden: exceeded quota: compute, requested: cpu=500m, used: cpu=4, limited: cpu=4"#;

    #[test]
    fn replica_failure_passes_when_the_controller_says_nothing_of_it() {
        let g = grade(web(vec![pod("web-abc123-1", healthy())]));
        let r = result(&g, WEB, "health.replica-failure");
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.message,
            "the controller reports no failure to create pods"
        );
        // Other Warning events on the ReplicaSet are not refusals.
        let mut items = web(vec![pod("web-abc123-1", healthy())]);
        items.push(replica_set_event(
            "SuccessfulCreate",
            "Created pod: web-abc123-1",
        ));
        assert_eq!(
            status(&grade(items), WEB, "health.replica-failure"),
            Status::Pass
        );
    }

    #[test]
    fn replica_failure_fails_from_the_deployments_condition() {
        let mut status_ = available(1);
        status_["conditions"].as_array_mut().unwrap().push(
            json!({"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                         "message": QUOTA, "lastTransitionTime": "2026-11-20T09:45:00Z"}),
        );
        let items = vec![
            deployment(3, status_),
            replica_set("abc123"),
            pod("web-abc123-1", healthy()),
        ];
        let g = grade(items);
        let r = result(&g, WEB, "health.replica-failure");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.severity, Severity::Critical);
        let a = alerts(&g, WEB, "health.replica-failure");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].reason, "FailedCreate");
        assert!(
            a[0].message
                .starts_with("the Deployment cannot create pods: Error creating:")
                && a[0].message.contains("exceeded quota: compute"),
            "{}",
            a[0].message
        );
        assert_eq!(a[0].since, Some(at("2026-11-20T09:45:00Z")));
        // The quota is the root cause the dashboard names.
        let causes = crate::triage::causes::causes(&g, &model(&list(vec![])));
        assert_eq!(causes.len(), 1, "{causes:#?}");
        assert_eq!(causes[0].kind, crate::triage::causes::CauseKind::Quota);
        assert_eq!(causes[0].name, "compute");
        assert_eq!(causes[0].namespace.as_deref(), Some("shop"));
    }

    #[test]
    fn replica_failure_fails_from_its_replica_sets_events() {
        let webhook = r#"Error creating: admission webhook "policy.example.com" denied the request: images must come from registry.example.com"#;
        let mut items = web(vec![pod("web-abc123-1", healthy())]);
        items.push(replica_set_event("FailedCreate", webhook));
        let g = grade(items);
        assert_eq!(status(&g, WEB, "health.replica-failure"), Status::Fail);
        let a = alerts(&g, WEB, "health.replica-failure");
        assert!(
            a[0].message
                .contains("admission webhook \"policy.example.com\""),
            "{}",
            a[0].message
        );
        assert_eq!(a[0].events, vec![webhook.to_string()]);
        assert_eq!(a[0].since, Some(at("2026-11-20T09:50:00Z")));
    }

    #[test]
    fn replica_failure_is_unknown_when_replica_sets_cannot_be_read() {
        let mut m = model(&list(vec![
            deployment(1, available(1)),
            pod("web-abc123-1", healthy()),
        ]));
        m.apply(Msg::Clock(at(NOW)));
        m.apply(Msg::Forbidden(Kind::ReplicaSet));
        let g = grade_all(&m, &Config::default());
        let r = result(&g, WEB, "health.replica-failure");
        assert_eq!(r.status, Status::Unknown, "{}", r.message);
        assert!(r.message.contains("ReplicaSet"), "{}", r.message);
    }

    #[test]
    fn every_check_is_in_the_catalogue_once() {
        for id in ALL {
            let def = crate::checks::catalogue::find(id).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(def.category, crate::checks::Category::Health);
            assert!(def.fix.contains('\n'), "{id}: fix ends with a snippet");
        }
        assert_eq!(super::CHECKS.len(), ALL.len());
    }
}
