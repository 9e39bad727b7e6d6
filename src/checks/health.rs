//! Runtime health alerts (section H).

use super::{Alert, CheckDef, CheckResult, Context};
use crate::cluster::Workload;
use k8s_openapi::api::core::v1::Pod;

pub const CHECKS: &[CheckDef] = &[];

/// Raises the workload's alerts, and one result per health check.
pub fn check(_w: &Workload, _cx: &Context, _out: &mut Vec<CheckResult>, _alerts: &mut Vec<Alert>) {}

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
