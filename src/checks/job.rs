//! `job.deadline` — Jobs and CronJobs that cannot run forever (checklist section U).

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::rollout::missing_controller;
use super::{Category, Context, Severity, Subject, Verdict};
use crate::cluster::{Controller, Workload, WorkloadKind};

const SECTION: Section = Section {
    category: Category::Rollout,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "job.deadline",
            Severity::Info,
            "Batch runs are bounded",
            "a Job has no activeDeadlineSeconds; a CronJob has no startingDeadlineSeconds, uses concurrencyPolicy Allow (the default), or its job template has no activeDeadlineSeconds",
            "A hung run without a deadline runs forever, holding resources and (with Forbid) blocking every later run; with Allow, slow runs pile up on top of each other; without a starting deadline, missed runs start at any time later.",
            "Bound each run and forbid overlaps:\n\nspec:\n  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 300\n  jobTemplate:\n    spec:\n      activeDeadlineSeconds: 3600\n      backoffLimit: 3",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Workload(deadline),
    },
];

fn deadline(w: &Workload, _: &Context) -> Verdict {
    match w.controller {
        Controller::Job(j) => {
            let Some(spec) = j.spec.as_ref() else {
                return Verdict::unknown("the Job has no spec");
            };
            let backoff = match spec.backoff_limit {
                Some(b) => format!("backoffLimit {b}"),
                None => "backoffLimit 6 (the default)".to_string(),
            };
            match spec.active_deadline_seconds {
                None => Verdict::fail(format!(
                        "no activeDeadlineSeconds: {backoff} bounds crashing runs, but a hung run is never stopped"
                    ),
                ),
                Some(d) => Verdict::pass(format!("activeDeadlineSeconds {d}, {backoff}")),
            }
        }
        Controller::CronJob(c) => {
            let spec = &c.without_pod_spec().spec;
            let mut problems = Vec::new();
            if spec.starting_deadline_seconds.is_none() {
                problems.push(
                    "no startingDeadlineSeconds: a missed run starts whenever the controller catches up, and after 100 misses the CronJob stops scheduling"
                        .to_string(),
                );
            }
            match spec.concurrency_policy.as_deref() {
                None => problems.push(
                    "concurrencyPolicy Allow (the default): a slow run overlaps the next one"
                        .to_string(),
                ),
                Some("Allow") => problems
                    .push("concurrencyPolicy Allow: a slow run overlaps the next one".to_string()),
                _ => {}
            }
            let deadline = spec
                .job_template
                .spec
                .as_ref()
                .and_then(|s| s.active_deadline_seconds);
            if deadline.is_none() {
                problems.push(
                    "the job template has no activeDeadlineSeconds: a hung run is never stopped"
                        .to_string(),
                );
            }
            if problems.is_empty() {
                Verdict::pass(format!(
                    "startingDeadlineSeconds {}, concurrencyPolicy {}, activeDeadlineSeconds {}",
                    spec.starting_deadline_seconds.unwrap_or_default(),
                    spec.concurrency_policy.as_deref().unwrap_or_default(),
                    deadline.unwrap_or_default()
                ))
            } else {
                Verdict::fail(problems.join("; "))
            }
        }
        Controller::Missing if matches!(w.key.kind, WorkloadKind::Job | WorkloadKind::CronJob) => {
            Verdict::unknown(missing_controller(w))
        }
        _ => Verdict::na(format!(
            "applies to Jobs and CronJobs, not a {}",
            w.key.kind
        )),
    }
}
