//! `lifecycle.*` — graceful shutdown (checklist section P; seed 002 "Graceful Shutdown").

use super::catalogue::{def, Section};
use super::probe::{names, LONG_RUNNING_ONLY};
use super::registry::{Applies, Check, Grade};
use super::{probed_containers, Category, Context, Severity, Subject, Verdict};
use crate::cluster::{Kind, Workload};
use k8s_openapi::api::core::v1::{Container, PodSpec};

const SECTION: Section = Section {
    category: Category::Probes,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "lifecycle.graceful-shutdown",
            Severity::Warning,
            "Pods get time to shut down gracefully",
            "terminationGracePeriodSeconds is 0, or a preStop sleep is ≥ the grace period",
            "With no grace period, or a preStop sleep that uses all of it, the kernel kills the process mid-request: in-flight work is lost on every rollout and node drain.",
            "Give the process time after SIGTERM, longer than any preStop sleep:\n\nterminationGracePeriodSeconds: 30\ncontainers:\n  - lifecycle:\n      preStop:\n        sleep: {seconds: 5}",
        ),
        applies: Applies::LongRunning(LONG_RUNNING_ONLY),
        needs: &[],
        reads: &[],
        grade: Grade::Template(graceful_shutdown),
    },
    Check {
        def: def(
            SECTION,
            "lifecycle.prestop",
            Severity::Info,
            "Service-backed pods drain before stopping",
            "a workload selected by a Service has no preStop hook",
            "Endpoints are removed asynchronously after SIGTERM: without a short preStop pause, load balancers keep sending requests to a pod that is already shutting down.",
            "Add a short preStop pause so endpoints drain first:\n\nlifecycle:\n  preStop:\n    sleep:\n      seconds: 5",
        ),
        applies: Applies::LongRunning(LONG_RUNNING_ONLY),
        needs: &[Kind::Service],
        reads: &[Kind::Service],
        grade: Grade::Template(prestop),
    },
];

fn graceful_shutdown(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let grace = spec.termination_grace_period_seconds.unwrap_or(30);
    if grace == 0 {
        return Verdict::fail(
            "terminationGracePeriodSeconds is 0: processes are killed without a chance to finish",
        );
    }
    let eaten: Vec<String> = probed_containers(spec)
        .filter(|c| prestop_sleep_seconds(c.container).is_some_and(|s| s >= grace))
        .map(|c| c.container.name.clone())
        .collect();
    Verdict::per_container(eaten, format!("{grace} s grace period"), |n| {
        format!("preStop sleep on {n} uses the whole {grace} s grace period")
    })
}

/// Only for pods a Service sends traffic to.
fn prestop(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    if cx.services_selecting(w).is_empty() {
        return Verdict::na("no Service selects the pods");
    }
    let containers: Vec<&Container> = probed_containers(spec).map(|c| c.container).collect();
    Verdict::per_container(
        names(&containers, |c| {
            c.lifecycle
                .as_ref()
                .and_then(|l| l.pre_stop.as_ref())
                .is_none()
        }),
        "every container drains with a preStop hook",
        |n| format!("no preStop hook on {n}; a Service selects these pods"),
    )
}

/// Seconds a preStop hook sleeps: the `sleep` action, or an exec of `sleep N`.
fn prestop_sleep_seconds(c: &Container) -> Option<i64> {
    let pre = c.lifecycle.as_ref()?.pre_stop.as_ref()?;
    if let Some(s) = &pre.sleep {
        return Some(s.seconds);
    }
    let cmd = pre.exec.as_ref()?.command.as_ref()?;
    let joined = cmd.join(" ");
    let after = joined.split("sleep ").nth(1)?;
    let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}
