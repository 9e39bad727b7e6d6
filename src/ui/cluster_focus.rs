//! The highlighted finding of the cluster view (`all` chosen: the findings pane shows the
//! cluster's own checks) and the workload it is about, for the keys that act on a workload
//! (`l` logs, `v` object, `y` next steps). A cluster finding is about a workload when the
//! add-on check found one failing (the logging agent not ready on a node, the ingress
//! controller with no ready pod, cert-manager behind an issuer that is not Ready, the backup
//! tool whose newest backup failed): the alert the cluster row raises names it.

use super::app::App;
use crate::checks::cluster_groups::grouped;
use crate::checks::{Alert, CheckResult, Status};
use crate::cluster::pod::Pod;

/// The cluster row's failing results in the order the pane lists them: by group, in the
/// guides' order, most severe first within a group.
pub fn failing(app: &App) -> Vec<&CheckResult> {
    let Some(row) = app.grades().cluster_row() else {
        return Vec::new();
    };
    grouped(&row.results)
        .into_iter()
        .flat_map(|(_, rs)| rs)
        .filter(|r| r.status == Status::Fail)
        .collect()
}

/// The highlighted finding: the one chosen (by check id) while it still fails, else the
/// first failing one.
pub fn highlighted(app: &App) -> Option<&CheckResult> {
    let failing = failing(app);
    app.cluster_cursor
        .as_deref()
        .and_then(|id| failing.iter().copied().find(|r| r.check == id))
        .or_else(|| failing.first().copied())
}

/// The alert the highlighted finding raises on the workload it found, or the status-bar
/// sentence saying why the key (`l`, `v`, `y`) has nothing to act on.
pub fn subject(app: &App, key: char) -> Result<&Alert, String> {
    let Some(r) = highlighted(app) else {
        return Err(format!(
            "{key}: no cluster finding fails, so none names a workload"
        ));
    };
    app.grades()
        .cluster_alerts
        .iter()
        .find(|a| a.check == r.check)
        .ok_or_else(|| {
            format!(
                "{key}: {} names no workload; j/k picks a finding that does",
                r.check
            )
        })
}

/// The alert with a pod to read logs from: one of the workload's pods that is not ready
/// (the agent that fails on a node), else its first pod; `None` when it has no pods.
pub fn with_pod(app: &App, alert: &Alert) -> Option<Alert> {
    let pods = app.model().pods_of(&alert.workload);
    let ready = |p: &&Pod| {
        p.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
    };
    let pod = pods.iter().find(|p| !ready(p)).or_else(|| pods.first())?;
    let mut alert = alert.clone();
    alert.pods = vec![pod.metadata.name.clone()?];
    Some(alert)
}
