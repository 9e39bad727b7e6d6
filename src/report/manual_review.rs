//! The guide items no cluster state can show (checklist, "Not observable from the cluster"):
//! the go-live report lists them as a checklist for the meeting to walk through. Not scored.
//!
//! An item that a cluster check can answer names that check: once every check it names is
//! registered, the cluster readiness section answers it and the review leaves it out. Items
//! that mix what the cluster shows with what it cannot are split, so the part no check can
//! see stays on the list.

use crate::checks::registry;

/// One item to confirm by hand.
#[derive(Clone, Copy, Debug)]
pub struct ManualItem {
    /// The area, as the meeting would group it.
    pub area: &'static str,
    /// What to confirm.
    pub item: &'static str,
    /// Where the guides ask for it.
    pub guide: &'static str,
    /// The cluster checks that answer it, when there are some.
    pub observed_by: &'static [&'static str],
}

impl ManualItem {
    /// Whether the cluster checks answer it: every check it names is registered.
    pub fn is_observed(&self) -> bool {
        !self.observed_by.is_empty()
            && self
                .observed_by
                .iter()
                .all(|id| registry::find(id).is_some())
    }
}

const fn item(area: &'static str, item: &'static str, guide: &'static str) -> ManualItem {
    observed(area, item, guide, &[])
}

/// An item a cluster check answers.
const fn observed(
    area: &'static str,
    item: &'static str,
    guide: &'static str,
    observed_by: &'static [&'static str],
) -> ManualItem {
    ManualItem {
        area,
        item,
        guide,
        observed_by,
    }
}

/// The items the cluster's checks do not answer, in the order a meeting walks them.
pub fn unobserved() -> Vec<&'static ManualItem> {
    ITEMS.iter().filter(|i| !i.is_observed()).collect()
}

/// The manual review, in the order a go-live meeting walks it.
pub const ITEMS: &[ManualItem] = &[
    item(
        "Images",
        "Images are built with multi-stage builds and carry only what the app needs to run",
        "Production Best Practices: Use multi-stage builds",
    ),
    item(
        "Images",
        "Images are scanned for known vulnerabilities in CI and rescanned regularly; findings have an owner",
        "Production Best Practices: Validate container image integrity",
    ),
    item(
        "Images",
        "What runs is what was intended: images come from the release pipeline, tagged by release (signed where the platform verifies signatures)",
        "Path to production: Security",
    ),
    item(
        "Delivery",
        "A CI/CD pipeline builds, tests and deploys; nobody applies manifests by hand",
        "Production Best Practices: CI/CD; Rhyme with production readiness",
    ),
    item(
        "Delivery",
        "Source and manifests are version-controlled and every release is tagged",
        "Production Best Practices: Version Control and Git Tags",
    ),
    item(
        "Delivery",
        "The release strategy (rolling, blue-green, canary) is chosen; the pipeline waits for `kubectl rollout status` and rolls back a failed rollout; the rollback has been rehearsed",
        "Production Best Practices: Update Strategies; Getting Kubernetes ready for production",
    ),
    item(
        "Reliability",
        "Service level objectives are defined and tracked, with their indicators (latency, error rate, throughput)",
        "Production Best Practices: SLOs and KPIs",
    ),
    observed(
        "Observability",
        "Alert rules cover crash loops, image pull failures and fewer available pods than desired",
        "Getting Kubernetes ready for production: monitors and alerts",
        &["cluster.alerting"],
    ),
    item(
        "Observability",
        "Alerts reach the on-call engineer, and cover CPU, memory and disk use too",
        "Getting Kubernetes ready for production: monitors and alerts",
    ),
    observed(
        "Observability",
        "Logs are collected centrally",
        "Production Best Practices: Error Handling and Monitoring",
        &["cluster.logging"],
    ),
    item(
        "Observability",
        "Errors are logged with messages someone can act on",
        "Production Best Practices: Error Handling and Monitoring",
    ),
    observed(
        "Observability",
        "A tracing collector receives traces",
        "Production Best Practices: Tracing",
        &["cluster.tracing"],
    ),
    item(
        "Observability",
        "Services are instrumented so requests are traced across them, and dashboards show response time, error rate and resource use",
        "Production Best Practices: Tracing; Real-Time Monitoring and Dashboards",
    ),
    item(
        "Testing",
        "Unit, integration and end-to-end tests pass, and the service was load-tested at the expected traffic",
        "Production Best Practices: Testing and Quality Assurance",
    ),
    item(
        "Testing",
        "Failover was tested: a node lost, a network partition, a dependency down (chaos experiments where the team runs them)",
        "Production Best Practices: Test High Availability and Failover; Chaos Engineering",
    ),
    item(
        "Capacity",
        "Capacity is planned from measured use, and the scaling signals (CPU, memory, queue length, latency) are chosen",
        "Production Best Practices: Capacity Planning; GRWM: Be reliable",
    ),
    observed(
        "Data",
        "Data and configuration are backed up on a schedule, and the backups succeed",
        "Production Best Practices: Backup and Restore",
        &["cluster.backups"],
    ),
    item(
        "Data",
        "Backups are kept outside the cluster, and a restore has been tested and written down",
        "Production Best Practices: Backup and Restore; Rhyme with production readiness",
    ),
    item(
        "Data",
        "State lives outside the replicas (sessions, caches, databases), or the choice to run it in-cluster is deliberate",
        "Production Best Practices: Statelessness; GRWM: Thoughts and opinions",
    ),
    observed(
        "Security",
        "Secrets come from a secret manager",
        "Path to production: Security",
        &["cluster.secrets-management"],
    ),
    item(
        "Security",
        "Secrets are rotated; none are baked into images or kept in Git",
        "Path to production: Security; Rhyme with production readiness",
    ),
    observed(
        "Security",
        "Certificates renew automatically before they expire",
        "Path to production: Maintenance",
        &["cluster.certificates"],
    ),
    item(
        "Operations",
        "A runbook covers deployment, troubleshooting and common failures, and the on-call rotation knows it",
        "Production Best Practices: Documentation and Runbook",
    ),
    observed(
        "Operations",
        "Spot or maintenance termination drains nodes before they go",
        "Getting Kubernetes ready for production: Node Termination Handler",
        &["cluster.node-termination"],
    ),
    observed(
        "Operations",
        "Lost nodes are replaced: a cluster autoscaler adds capacity when pods cannot be scheduled",
        "Getting Kubernetes ready for production: Node Termination Handler",
        &["cluster.autoscaler"],
    ),
    item(
        "Operations",
        "Cost is understood: requests match measured use and the team sees what it spends",
        "Path to production: Cost; GRWM: Be a good citizen",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::cluster_groups::{group_of, ClusterGroup};

    #[test]
    fn items_name_cluster_checks_the_readiness_groups_know() {
        // A misspelt id would keep its item on the list for ever.
        for i in ITEMS {
            for id in i.observed_by {
                assert_ne!(group_of(id), ClusterGroup::Other, "{id} in {:?}", i.item);
            }
        }
    }

    #[test]
    fn an_item_is_observed_only_when_every_check_it_names_is_registered() {
        let with = |ids: &'static [&'static str]| observed("Area", "item", "guide", ids);
        assert!(with(&["cluster.nodes-ready"]).is_observed());
        assert!(with(&["cluster.nodes-ready", "cluster.version"]).is_observed());
        assert!(!with(&["cluster.nodes-ready", "cluster.not-a-check"]).is_observed());
        assert!(!with(&["cluster.not-a-check"]).is_observed());
        assert!(!with(&[]).is_observed());
    }

    #[test]
    fn the_review_keeps_what_nothing_observes_and_drops_what_a_registered_check_answers() {
        let kept = unobserved();
        for i in ITEMS {
            let listed = kept.iter().any(|k| k.item == i.item);
            let answered = !i.observed_by.is_empty()
                && i.observed_by.iter().all(|id| registry::find(id).is_some());
            assert_eq!(listed, !answered, "{:?}", i.item);
        }
        // What no check can see is always asked.
        assert!(kept.iter().any(|i| i.item.starts_with("A runbook covers")));
        assert!(kept
            .iter()
            .any(|i| i.item.starts_with("Backups are kept outside the cluster")));
    }
}
