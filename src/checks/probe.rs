//! `probe.*` — readiness, liveness and startup probes (checklist section P; seeds 002
//! "Health Checks", 000 "Healthz").

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{probed_containers, Category, Context, Severity, Status, Subject, Verdict};
use crate::cluster::{Kind, Workload};
use k8s_openapi::api::core::v1::{Container, PodSpec, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

const SECTION: Section = Section {
    category: Category::Probes,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "probe.readiness",
            Severity::Warning,
            "Every container has a readinessProbe",
            "a container has no readinessProbe (critical when a Service selects the pods, else warning)",
            "Without a readiness probe a pod counts as ready as soon as it starts: rollouts treat a broken pod as available and Services send it traffic before it can serve.",
            "Add a readinessProbe that checks the app can serve:\n\nreadinessProbe:\n  httpGet:\n    path: /ready\n    port: http\n  periodSeconds: 5\n  failureThreshold: 3",
        ),
        applies: Applies::LongRunning(LONG_RUNNING_ONLY),
        needs: &[],
        reads: &[Kind::Service],
        grade: Grade::Template(readiness),
    },
    Check {
        def: def(
            SECTION,
            "probe.liveness",
            Severity::Warning,
            "Every container has a livenessProbe",
            "a container has no livenessProbe",
            "A deadlocked or wedged process keeps running forever without one: the kubelet only restarts what a liveness probe reports dead.",
            "Add a livenessProbe on a cheap endpoint that fails only when a restart would help:\n\nlivenessProbe:\n  httpGet:\n    path: /healthz\n    port: http\n  periodSeconds: 10\n  failureThreshold: 3",
        ),
        applies: Applies::LongRunning(LONG_RUNNING_ONLY),
        needs: &[],
        reads: &[],
        grade: Grade::Template(liveness),
    },
    Check {
        def: def(
            SECTION,
            "probe.distinct",
            Severity::Warning,
            "Liveness and readiness probes differ",
            "liveness and readiness probes are identical in handler and thresholds",
            "When both probes are the same, a pod that is merely busy or waiting for a dependency is restarted instead of just taken out of rotation, turning an overload into a restart storm.",
            "Make liveness more tolerant than readiness (or check something else):\n\nreadinessProbe:\n  httpGet: {path: /ready, port: http}\n  failureThreshold: 3\nlivenessProbe:\n  httpGet: {path: /healthz, port: http}\n  failureThreshold: 6",
        ),
        applies: Applies::LongRunning(LONG_RUNNING_ONLY),
        needs: &[],
        reads: &[],
        grade: Grade::Template(distinct),
    },
    Check {
        def: def(
            SECTION,
            "probe.startup",
            Severity::Info,
            "Slow starters use a startupProbe",
            "liveness initialDelaySeconds > 60 s with no startupProbe",
            "A long initialDelaySeconds delays detection of every later hang too; a startupProbe covers the slow start once and lets liveness be strict afterwards.",
            "Replace the long initial delay with a startupProbe:\n\nstartupProbe:\n  httpGet: {path: /healthz, port: http}\n  periodSeconds: 10\n  failureThreshold: 30   # up to 300 s to start\nlivenessProbe:\n  httpGet: {path: /healthz, port: http}",
        ),
        applies: Applies::LongRunning(LONG_RUNNING_ONLY),
        needs: &[],
        reads: &[],
        grade: Grade::Template(startup),
    },
    Check {
        def: def(
            SECTION,
            "probe.sane-timing",
            Severity::Info,
            "Probe timings are sane",
            "timeoutSeconds ≥ periodSeconds, or liveness tolerates < 10 s of failure (periodSeconds × failureThreshold)",
            "A timeout as long as the period overlaps probes; a liveness probe that gives up within seconds restarts pods on a GC pause or a slow disk.",
            "Keep the timeout below the period and give liveness at least 10 s:\n\nlivenessProbe:\n  periodSeconds: 10\n  timeoutSeconds: 2\n  failureThreshold: 3",
        ),
        applies: Applies::LongRunning(LONG_RUNNING_ONLY),
        needs: &[],
        reads: &[],
        grade: Grade::Template(sane_timing),
    },
    Check {
        def: def(
            SECTION,
            "probe.port",
            Severity::Warning,
            "Probes target declared ports",
            "an HTTP/TCP probe targets a port name the container does not declare",
            "A probe on an undeclared named port can never succeed: the pod is never ready or is restarted forever.",
            "Name the port on the container, or probe the number:\n\nports:\n  - name: http\n    containerPort: 8080\nreadinessProbe:\n  httpGet: {path: /ready, port: http}",
        ),
        applies: Applies::LongRunning(LONG_RUNNING_ONLY),
        needs: &[],
        reads: &[],
        grade: Grade::Template(port),
    },
];

pub(super) const LONG_RUNNING_ONLY: &str =
    "runs to completion; probes and shutdown hooks do not apply";

/// The containers probes apply to (sidecars included, init containers not).
fn probed(spec: &PodSpec) -> Vec<&Container> {
    probed_containers(spec).map(|c| c.container).collect()
}

/// probe.readiness: critical when a Service routes traffic to the pods.
fn readiness(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    let containers = probed(spec);
    let missing: Vec<String> = names(&containers, |c| c.readiness_probe.is_none());
    let mut r = Verdict::per_container(missing, "every container has a readinessProbe", |n| {
        format!("no readinessProbe on {n}")
    });
    if cx.missing(&[Kind::Service]).is_none() {
        let svcs = cx.services_selecting(w);
        if !svcs.is_empty() {
            r = r.severity(Severity::Critical);
            if r.status == Status::Fail {
                let svc = svcs[0].metadata.name.as_deref().unwrap_or_default();
                r.message
                    .to_mut()
                    .push_str(&format!("; Service {svc} sends it traffic"));
            }
        }
    }
    r
}

fn liveness(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    Verdict::per_container(
        names(&probed(spec), |c| c.liveness_probe.is_none()),
        "every container has a livenessProbe",
        |n| format!("no livenessProbe on {n}"),
    )
}

fn distinct(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let containers = probed(spec);
    let both: Vec<&&Container> = containers
        .iter()
        .filter(|c| c.liveness_probe.is_some() && c.readiness_probe.is_some())
        .collect();
    if both.is_empty() {
        return Verdict::na("no container has both probes");
    }
    Verdict::per_container(
        both.iter()
            .filter(|c| probes_identical(c.liveness_probe.as_ref(), c.readiness_probe.as_ref()))
            .map(|c| c.name.clone())
            .collect(),
        "liveness and readiness probes differ",
        |n| format!("liveness and readiness probes are identical on {n}"),
    )
}

fn startup(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let containers = probed(spec);
    let with_liveness: Vec<&&Container> = containers
        .iter()
        .filter(|c| c.liveness_probe.is_some())
        .collect();
    if with_liveness.is_empty() {
        return Verdict::na("no livenessProbe to delay");
    }
    Verdict::per_container(
        with_liveness
            .iter()
            .filter(|c| {
                c.startup_probe.is_none()
                    && c.liveness_probe
                        .as_ref()
                        .and_then(|p| p.initial_delay_seconds)
                        .unwrap_or(0)
                        > 60
            })
            .map(|c| c.name.clone())
            .collect(),
        "no slow start hidden behind a long liveness delay",
        |n| format!("liveness initialDelaySeconds > 60 s without a startupProbe on {n}"),
    )
}

/// Containers with at least one probe.
fn with_probes(spec: &PodSpec) -> Vec<&Container> {
    probed(spec)
        .into_iter()
        .filter(|c| all_probes(c).next().is_some())
        .collect()
}

fn sane_timing(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let with_probes = with_probes(spec);
    if with_probes.is_empty() {
        return Verdict::na("no probes");
    }
    let mut problems = Vec::new();
    let mut failing = Vec::new();
    for c in &with_probes {
        let mut bad = false;
        for (kind, p) in all_probes(c) {
            let period = p.period_seconds.unwrap_or(10);
            let timeout = p.timeout_seconds.unwrap_or(1);
            if timeout >= period {
                problems.push(format!(
                    "{}: {kind} timeoutSeconds {timeout} ≥ periodSeconds {period}",
                    c.name
                ));
                bad = true;
            }
            if kind == "liveness" {
                let tolerance = period * p.failure_threshold.unwrap_or(3);
                if tolerance < 10 {
                    problems.push(format!(
                        "{}: liveness gives up after {tolerance} s of failure",
                        c.name
                    ));
                    bad = true;
                }
            }
        }
        if bad {
            failing.push(c.name.clone());
        }
    }
    if failing.is_empty() {
        Verdict::pass("probe timings leave room for slow responses")
    } else {
        Verdict::fail(problems.join("; ")).containers(failing)
    }
}

fn port(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let with_probes = with_probes(spec);
    if with_probes.is_empty() {
        return Verdict::na("no probes");
    }
    let mut problems = Vec::new();
    let mut failing = Vec::new();
    for c in &with_probes {
        for (kind, p) in all_probes(c) {
            if let Some(name) = named_probe_port(p) {
                let declared = c
                    .ports
                    .iter()
                    .flatten()
                    .any(|port| port.name.as_deref() == Some(name));
                if !declared {
                    problems.push(format!(
                        "{}: {kind} probe targets port `{name}`, which the container does not declare",
                        c.name
                    ));
                    if !failing.contains(&c.name) {
                        failing.push(c.name.clone());
                    }
                }
            }
        }
    }
    if failing.is_empty() {
        Verdict::pass("probes target declared ports")
    } else {
        Verdict::fail(problems.join("; ")).containers(failing)
    }
}

pub(super) fn names(containers: &[&Container], pred: impl Fn(&Container) -> bool) -> Vec<String> {
    containers
        .iter()
        .filter(|c| pred(c))
        .map(|c| c.name.clone())
        .collect()
}

fn all_probes(c: &Container) -> impl Iterator<Item = (&'static str, &Probe)> {
    [
        ("liveness", c.liveness_probe.as_ref()),
        ("readiness", c.readiness_probe.as_ref()),
        ("startup", c.startup_probe.as_ref()),
    ]
    .into_iter()
    .filter_map(|(k, p)| p.map(|p| (k, p)))
}

/// Same handler and same thresholds (initial delay aside, which only matters once).
fn probes_identical(a: Option<&Probe>, b: Option<&Probe>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    a.http_get == b.http_get
        && a.tcp_socket == b.tcp_socket
        && a.exec == b.exec
        && a.grpc == b.grpc
        && a.period_seconds.unwrap_or(10) == b.period_seconds.unwrap_or(10)
        && a.failure_threshold.unwrap_or(3) == b.failure_threshold.unwrap_or(3)
        && a.success_threshold.unwrap_or(1) == b.success_threshold.unwrap_or(1)
        && a.timeout_seconds.unwrap_or(1) == b.timeout_seconds.unwrap_or(1)
}

fn named_probe_port(p: &Probe) -> Option<&str> {
    let port = p
        .http_get
        .as_ref()
        .map(|h| &h.port)
        .or_else(|| p.tcp_socket.as_ref().map(|t| &t.port))?;
    match port {
        IntOrString::String(s) if s.parse::<i32>().is_err() => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::{Severity, Status};
    use crate::testing::{grade, result, status};

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
      containers:
        - name: app
          image: example/web:1.0
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: http}}
          livenessProbe: {httpGet: {path: /healthz, port: http}, failureThreshold: 6}
          lifecycle: {preStop: {sleep: {seconds: 5}}}
"#;

    const SERVICE: &str = "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n";

    #[test]
    fn a_well_probed_deployment_passes() {
        let g = grade(&format!("{BASE}{SERVICE}"));
        for id in [
            "probe.readiness",
            "probe.liveness",
            "probe.distinct",
            "probe.startup",
            "probe.sane-timing",
            "probe.port",
            "lifecycle.graceful-shutdown",
            "lifecycle.prestop",
        ] {
            assert_eq!(status(&g, "Deployment/shop/web", id), Status::Pass, "{id}");
        }
    }

    #[test]
    fn readiness_is_critical_only_behind_a_service() {
        let no_probe = BASE.replace(
            "          readinessProbe: {httpGet: {path: /ready, port: http}}\n",
            "",
        );
        let g = grade(&no_probe);
        let r = result(&g, "Deployment/shop/web", "probe.readiness");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(r.containers(), vec!["app"]);
        let g = grade(&format!("{no_probe}{SERVICE}"));
        let r = result(&g, "Deployment/shop/web", "probe.readiness");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert!(r.message.contains("Service web"), "{}", r.message);
    }

    #[test]
    fn jobs_have_no_probe_checks() {
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: shop}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: example/m:1}]\n";
        let g = grade(job);
        assert_eq!(
            status(&g, "Job/shop/migrate", "probe.readiness"),
            Status::NotApplicable
        );
        assert_eq!(
            status(&g, "Job/shop/migrate", "lifecycle.prestop"),
            Status::NotApplicable
        );
    }

    #[test]
    fn init_containers_are_not_probed_but_sidecars_are() {
        let with_init = BASE.replace(
            "      containers:\n",
            "      initContainers:\n        - {name: migrate, image: example/m:1}\n        - {name: proxy, image: example/p:1, restartPolicy: Always}\n      containers:\n",
        );
        let g = grade(&with_init);
        let r = result(&g, "Deployment/shop/web", "probe.readiness");
        assert_eq!(
            r.containers(),
            vec!["proxy"],
            "plain init containers cannot have probes"
        );
    }

    #[test]
    fn identical_probes_fail_distinct() {
        let same = BASE.replace(
            "livenessProbe: {httpGet: {path: /healthz, port: http}, failureThreshold: 6}",
            "livenessProbe: {httpGet: {path: /ready, port: http}}",
        );
        let g = grade(&same);
        assert_eq!(
            status(&g, "Deployment/shop/web", "probe.distinct"),
            Status::Fail
        );
        // Same handler but a more tolerant threshold is the recommended pattern.
        let g = grade(BASE);
        assert_eq!(
            status(&g, "Deployment/shop/web", "probe.distinct"),
            Status::Pass
        );
    }

    #[test]
    fn slow_start_timing_and_ports() {
        let slow = BASE.replace(
            "failureThreshold: 6}",
            "failureThreshold: 6, initialDelaySeconds: 120}",
        );
        assert_eq!(
            status(&grade(&slow), "Deployment/shop/web", "probe.startup"),
            Status::Fail
        );
        let twitchy = BASE.replace(
            "failureThreshold: 6}",
            "failureThreshold: 1, periodSeconds: 5}",
        );
        let g = grade(&twitchy);
        assert_eq!(
            status(&g, "Deployment/shop/web", "probe.sane-timing"),
            Status::Fail
        );
        assert!(result(&g, "Deployment/shop/web", "probe.sane-timing")
            .message
            .contains("5 s"));
        let bad_port = BASE.replace("path: /ready, port: http", "path: /ready, port: web");
        let g = grade(&bad_port);
        let r = result(&g, "Deployment/shop/web", "probe.port");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("`web`"));
        let numeric = BASE.replace("path: /ready, port: http", "path: /ready, port: 8080");
        assert_eq!(
            status(&grade(&numeric), "Deployment/shop/web", "probe.port"),
            Status::Pass
        );
    }

    #[test]
    fn shutdown_and_prestop() {
        let zero = BASE.replace(
            "      containers:\n",
            "      terminationGracePeriodSeconds: 0\n      containers:\n",
        );
        assert_eq!(
            status(
                &grade(&zero),
                "Deployment/shop/web",
                "lifecycle.graceful-shutdown"
            ),
            Status::Fail
        );
        let long_sleep = BASE.replace("sleep: {seconds: 5}", "sleep: {seconds: 40}");
        assert_eq!(
            status(
                &grade(&long_sleep),
                "Deployment/shop/web",
                "lifecycle.graceful-shutdown"
            ),
            Status::Fail
        );
        let exec_sleep = BASE.replace(
            "sleep: {seconds: 5}",
            "exec: {command: [sh, -c, \"sleep 30\"]}",
        );
        assert_eq!(
            status(
                &grade(&exec_sleep),
                "Deployment/shop/web",
                "lifecycle.graceful-shutdown"
            ),
            Status::Fail
        );
        let no_hook = BASE.replace(
            "          lifecycle: {preStop: {sleep: {seconds: 5}}}\n",
            "",
        );
        assert_eq!(
            status(&grade(&no_hook), "Deployment/shop/web", "lifecycle.prestop"),
            Status::NotApplicable
        );
        assert_eq!(
            status(
                &grade(&format!("{no_hook}{SERVICE}")),
                "Deployment/shop/web",
                "lifecycle.prestop"
            ),
            Status::Fail
        );
    }
}
