//! The guide items no cluster state can show (checklist, "Not observable from the cluster"):
//! the go-live report lists them as a checklist for the meeting to walk through. Not scored.

/// One item to confirm by hand.
#[derive(Clone, Copy, Debug)]
pub struct ManualItem {
    /// The area, as the meeting would group it.
    pub area: &'static str,
    /// What to confirm.
    pub item: &'static str,
    /// Where the guides ask for it.
    pub guide: &'static str,
}

const fn item(area: &'static str, item: &'static str, guide: &'static str) -> ManualItem {
    ManualItem { area, item, guide }
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
    item(
        "Observability",
        "Alerts reach the on-call engineer for crash loops, image pull failures, fewer available pods than desired, and CPU, memory and disk use",
        "Getting Kubernetes ready for production: monitors and alerts",
    ),
    item(
        "Observability",
        "Logs are collected centrally and errors are logged with messages someone can act on",
        "Production Best Practices: Error Handling and Monitoring",
    ),
    item(
        "Observability",
        "Requests are traced across services, and dashboards show response time, error rate and resource use",
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
    item(
        "Data",
        "Data and configuration are backed up outside the cluster, and a restore has been tested and written down",
        "Production Best Practices: Backup and Restore; Rhyme with production readiness",
    ),
    item(
        "Data",
        "State lives outside the replicas (sessions, caches, databases), or the choice to run it in-cluster is deliberate",
        "Production Best Practices: Statelessness; GRWM: Thoughts and opinions",
    ),
    item(
        "Security",
        "Secrets come from a secret manager and are rotated; none are baked into images or kept in Git",
        "Path to production: Security; Rhyme with production readiness",
    ),
    item(
        "Security",
        "Certificates renew automatically before they expire",
        "Path to production: Maintenance",
    ),
    item(
        "Operations",
        "A runbook covers deployment, troubleshooting and common failures, and the on-call rotation knows it",
        "Production Best Practices: Documentation and Runbook",
    ),
    item(
        "Operations",
        "Node loss is handled: spot or maintenance termination drains nodes, and the cluster autoscaler replaces them where used",
        "Getting Kubernetes ready for production: Node Termination Handler",
    ),
    item(
        "Operations",
        "Cost is understood: requests match measured use and the team sees what it spends",
        "Path to production: Cost; GRWM: Be a good citizen",
    ),
];
