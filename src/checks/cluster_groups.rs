//! The cluster row's checks grouped as the guides group a cluster's readiness: what lets you
//! see (observability), what carries traffic, what keeps it safe, what keeps data, and what
//! gives it room to run. The dashboard and the go-live report both show the cluster's
//! results in these groups; a check id missing from the table is shown under "other", never
//! dropped, so a new cluster check appears before anyone files it here.

use super::{CheckResult, Status};

/// A heading of the cluster's readiness, in the order the guides walk them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClusterGroup {
    Observability,
    Traffic,
    Security,
    Data,
    Capacity,
    /// Cluster checks the table does not name.
    Other,
}

impl ClusterGroup {
    /// Every group, in reading order.
    pub const ALL: [ClusterGroup; 6] = [
        ClusterGroup::Observability,
        ClusterGroup::Traffic,
        ClusterGroup::Security,
        ClusterGroup::Data,
        ClusterGroup::Capacity,
        ClusterGroup::Other,
    ];

    /// The lower-case name, as machine-readable output writes it.
    pub fn name(self) -> &'static str {
        match self {
            ClusterGroup::Observability => "observability",
            ClusterGroup::Traffic => "traffic",
            ClusterGroup::Security => "security",
            ClusterGroup::Data => "data",
            ClusterGroup::Capacity => "capacity",
            ClusterGroup::Other => "other",
        }
    }

    /// The heading people read.
    pub fn title(self) -> &'static str {
        match self {
            ClusterGroup::Observability => "Observability",
            ClusterGroup::Traffic => "Traffic",
            ClusterGroup::Security => "Security",
            ClusterGroup::Data => "Data",
            ClusterGroup::Capacity => "Capacity",
            ClusterGroup::Other => "Other",
        }
    }
}

/// Which group each cluster check belongs to. Ids of checks not built (yet) cost nothing here:
/// the table is only looked up by the ids results carry.
const GROUPS: &[(&str, ClusterGroup)] = &[
    ("cluster.logging", ClusterGroup::Observability),
    ("cluster.monitoring", ClusterGroup::Observability),
    ("cluster.alerting", ClusterGroup::Observability),
    ("cluster.tracing", ClusterGroup::Observability),
    ("cluster.metrics-server", ClusterGroup::Observability),
    ("cluster.traffic", ClusterGroup::Traffic),
    ("cluster.ingress-class", ClusterGroup::Traffic),
    ("cluster.certificates", ClusterGroup::Traffic),
    ("cluster.network-policy-enforced", ClusterGroup::Security),
    ("cluster.secrets-management", ClusterGroup::Security),
    ("cluster.policy", ClusterGroup::Security),
    ("cluster.backups", ClusterGroup::Data),
    ("cluster.storage-class", ClusterGroup::Data),
    ("cluster.nodes-ready", ClusterGroup::Capacity),
    ("cluster.node-spread", ClusterGroup::Capacity),
    ("cluster.autoscaler", ClusterGroup::Capacity),
    ("cluster.node-termination", ClusterGroup::Capacity),
    ("cluster.priority-classes", ClusterGroup::Capacity),
    ("cluster.version", ClusterGroup::Capacity),
];

/// The group of a cluster check, by id.
pub fn group_of(check: &str) -> ClusterGroup {
    GROUPS
        .iter()
        .find(|(id, _)| *id == check)
        .map_or(ClusterGroup::Other, |(_, g)| *g)
}

/// Where a result sorts within its group: failures first (most severe first), then what
/// could not be judged, then waived, passed and n/a.
fn rank(r: &CheckResult) -> (u8, std::cmp::Reverse<super::Severity>) {
    let status = match r.status {
        Status::Fail => 0,
        Status::Unknown => 1,
        Status::Waived => 2,
        Status::Pass => 3,
        Status::NotApplicable => 4,
    };
    (status, std::cmp::Reverse(r.severity))
}

/// Results grouped in reading order, only the groups that have some; within a group failing
/// first (most severe first), then unknown, waived, passed and n/a, each by id.
pub fn grouped(results: &[CheckResult]) -> Vec<(ClusterGroup, Vec<&CheckResult>)> {
    let mut groups: Vec<(ClusterGroup, Vec<&CheckResult>)> =
        ClusterGroup::ALL.iter().map(|g| (*g, Vec::new())).collect();
    for r in results {
        let g = group_of(&r.check);
        if let Some((_, rs)) = groups.iter_mut().find(|(group, _)| *group == g) {
            rs.push(r);
        }
    }
    for (_, rs) in &mut groups {
        rs.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.check.cmp(&b.check)));
    }
    groups.retain(|(_, rs)| !rs.is_empty());
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{registry, Category, Severity};

    fn result(check: &'static str, status: Status, severity: Severity) -> CheckResult {
        CheckResult::new(
            check,
            Category::Cluster,
            severity,
            status,
            format!("{check} {}", status.name()),
        )
    }

    #[test]
    fn every_registered_cluster_check_has_a_group() {
        // A cluster check the table does not name would read as "other": name it here.
        let ungrouped: Vec<&str> = registry::all()
            .filter(|c| matches!(c.grade, registry::Grade::Cluster(_)))
            .map(|c| c.def.id)
            .filter(|id| group_of(id) == ClusterGroup::Other)
            .collect();
        assert!(
            ungrouped.is_empty(),
            "cluster checks without a group: {ungrouped:?}"
        );
    }

    #[test]
    fn the_seven_first_cluster_checks_sit_where_the_guides_put_them() {
        assert_eq!(
            group_of("cluster.metrics-server"),
            ClusterGroup::Observability
        );
        assert_eq!(group_of("cluster.ingress-class"), ClusterGroup::Traffic);
        assert_eq!(group_of("cluster.storage-class"), ClusterGroup::Data);
        for id in [
            "cluster.nodes-ready",
            "cluster.node-spread",
            "cluster.priority-classes",
            "cluster.version",
        ] {
            assert_eq!(group_of(id), ClusterGroup::Capacity, "{id}");
        }
        assert_eq!(group_of("cluster.backups"), ClusterGroup::Data);
        assert_eq!(group_of("cluster.policy"), ClusterGroup::Security);
        assert_eq!(group_of("cluster.something-new"), ClusterGroup::Other);
    }

    #[test]
    fn groups_keep_reading_order_and_put_failures_first() {
        let results = vec![
            result("cluster.version", Status::Pass, Severity::Warning),
            result("cluster.priority-classes", Status::Fail, Severity::Info),
            result("cluster.nodes-ready", Status::Fail, Severity::Critical),
            result("cluster.node-spread", Status::Unknown, Severity::Warning),
            result("cluster.in-house-dns", Status::Fail, Severity::Warning),
            result("cluster.metrics-server", Status::Pass, Severity::Warning),
            result(
                "cluster.storage-class",
                Status::NotApplicable,
                Severity::Info,
            ),
        ];
        let groups = grouped(&results);
        let shape: Vec<(ClusterGroup, Vec<&str>)> = groups
            .iter()
            .map(|(g, rs)| (*g, rs.iter().map(|r| r.check.as_ref()).collect()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (ClusterGroup::Observability, vec!["cluster.metrics-server"]),
                (ClusterGroup::Data, vec!["cluster.storage-class"]),
                (
                    ClusterGroup::Capacity,
                    vec![
                        "cluster.nodes-ready",
                        "cluster.priority-classes",
                        "cluster.node-spread",
                        "cluster.version",
                    ]
                ),
                // An id the table does not know is kept, under "other".
                (ClusterGroup::Other, vec!["cluster.in-house-dns"]),
            ]
        );
        // Nothing is dropped.
        assert_eq!(
            groups.iter().map(|(_, rs)| rs.len()).sum::<usize>(),
            results.len()
        );
    }

    #[test]
    fn the_demo_cluster_row_is_found_and_grouped() {
        let model = crate::source::demo::demo_model();
        let grades = crate::grade::grade_all(&model, &crate::config::Config::default());
        let row = grades.cluster_row().expect("the demo has a cluster row");
        let groups = grouped(&row.results);
        let capacity = &groups
            .iter()
            .find(|(g, _)| *g == ClusterGroup::Capacity)
            .expect("capacity group")
            .1;
        // The demo's pressured node fails nodes-ready, the most severe capacity finding.
        assert_eq!(capacity[0].check, "cluster.nodes-ready");
        assert_eq!(capacity[0].status, Status::Fail);
    }
}
