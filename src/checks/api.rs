//! `api.removed`: manifests written in API versions current Kubernetes no longer serves.

use super::{CheckDef, CheckResult, Context};
use crate::cluster::Workload;

pub const CHECKS: &[CheckDef] = &[];

/// The workload's own object.
pub fn check_workload(_w: &Workload, _cx: &Context, _out: &mut Vec<CheckResult>) {}

/// Non-workload objects in removed versions: (kind, namespace, name, results).
pub fn check_objects(_cx: &Context) -> Vec<(String, String, String, Vec<CheckResult>)> {
    Vec::new()
}
