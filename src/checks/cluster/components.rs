//! The add-ons the cluster checks recognise: a table of known components, each with the role
//! it plays (the check that looks for it) and the images it runs, extended from the config
//! file (`[[components]]`) for in-house ones.
//!
//! A workload is a component when one of its containers runs one of the component's images
//! (and, when the entry names workloads, its name matches one): a DaemonSet merely named
//! `fluent-bit` that runs something else is not a log agent.

use crate::config_file::glob_matches;
use k8s_openapi::api::core::v1::PodSpec;

/// What an add-on does for the cluster; each role is what one `cluster.*` check looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Logging,
    Monitoring,
    Tracing,
    Traffic,
    NetworkPolicy,
    Certificates,
    Secrets,
    Policy,
    Backups,
    Autoscaler,
    NodeTermination,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Logging,
        Role::Monitoring,
        Role::Tracing,
        Role::Traffic,
        Role::NetworkPolicy,
        Role::Certificates,
        Role::Secrets,
        Role::Policy,
        Role::Backups,
        Role::Autoscaler,
        Role::NodeTermination,
    ];

    /// How the config file and the docs spell it.
    pub fn name(self) -> &'static str {
        match self {
            Role::Logging => "logging",
            Role::Monitoring => "monitoring",
            Role::Tracing => "tracing",
            Role::Traffic => "traffic",
            Role::NetworkPolicy => "network-policy",
            Role::Certificates => "certificates",
            Role::Secrets => "secrets",
            Role::Policy => "policy",
            Role::Backups => "backups",
            Role::Autoscaler => "autoscaler",
            Role::NodeTermination => "node-termination",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// The check that looks for components of this role.
    pub fn check(self) -> &'static str {
        match self {
            Role::Logging => "cluster.logging",
            Role::Monitoring => "cluster.monitoring",
            Role::Tracing => "cluster.tracing",
            Role::Traffic => "cluster.traffic",
            Role::NetworkPolicy => "cluster.network-policy-enforced",
            Role::Certificates => "cluster.certificates",
            Role::Secrets => "cluster.secrets-management",
            Role::Policy => "cluster.policy",
            Role::Backups => "cluster.backups",
            Role::Autoscaler => "cluster.autoscaler",
            Role::NodeTermination => "cluster.node-termination",
        }
    }
}

/// One recognisable component.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    pub role: Role,
    /// How findings name it (`fluent-bit`).
    pub name: String,
    /// Image patterns: a glob on the image's last path segment without tag or digest
    /// (`fluent-bit`), or on as many trailing segments as the pattern has (`grafana/agent`).
    pub images: Vec<String>,
    /// Globs on the workload's name; when empty, the image alone decides.
    pub workloads: Vec<String>,
    /// Traffic: the IngressClass `spec.controller` / GatewayClass `spec.controllerName`
    /// values it serves.
    pub controllers: Vec<String>,
    /// Logging: it ships logs only when it mounts the node's `/var/log` (a collector that
    /// can run without reading logs, such as the OpenTelemetry Collector).
    pub reads_node_logs: bool,
    /// Where it was defined: `built-in` or `file:line` of the config.
    pub source: String,
}

/// One built-in entry: role, name, images, controllers.
type Known = (
    Role,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// The built-in table (documented in `docs/checks.md`).
const KNOWN: &[Known] = &[
    (
        Role::Logging,
        "fluent-bit",
        &["fluent-bit", "fluent-bit-*"],
        &[],
    ),
    (
        Role::Logging,
        "fluentd",
        &["fluentd", "fluentd-kubernetes-daemonset"],
        &[],
    ),
    (Role::Logging, "vector", &["vector"], &[]),
    (Role::Logging, "promtail", &["promtail"], &[]),
    (Role::Logging, "Grafana Alloy", &["alloy"], &[]),
    (Role::Logging, "Grafana Agent", &["grafana/agent"], &[]),
    (
        Role::Logging,
        "OpenTelemetry Collector",
        &["opentelemetry-collector*"],
        &[],
    ),
    (Role::Logging, "Filebeat", &["filebeat"], &[]),
    (
        Role::Logging,
        "Datadog Agent",
        &["datadog/agent", "datadoghq/agent"],
        &[],
    ),
    (
        Role::Logging,
        "Splunk OpenTelemetry Collector",
        &["splunk-otel-collector"],
        &[],
    ),
    (
        Role::Logging,
        "CloudWatch agent",
        &["cloudwatch-agent"],
        &[],
    ),
    (
        Role::Monitoring,
        "Prometheus",
        &["prometheus/prometheus"],
        &[],
    ),
    (
        Role::Monitoring,
        "VictoriaMetrics",
        &["victoria-metrics", "vmagent", "vmsingle", "vminsert"],
        &[],
    ),
    (Role::Monitoring, "Grafana Alloy", &["alloy"], &[]),
    (Role::Monitoring, "Grafana Agent", &["grafana/agent"], &[]),
    (
        Role::Monitoring,
        "OpenTelemetry Collector",
        &["opentelemetry-collector*"],
        &[],
    ),
    (
        Role::Monitoring,
        "Datadog Agent",
        &["datadog/agent", "datadoghq/agent"],
        &[],
    ),
    (
        Role::Monitoring,
        "kube-state-metrics",
        &["kube-state-metrics"],
        &[],
    ),
    (
        Role::Tracing,
        "OpenTelemetry Collector",
        &["opentelemetry-collector*"],
        &[],
    ),
    (
        Role::Tracing,
        "Jaeger",
        &["jaeger", "jaegertracing/all-in-one", "jaeger-collector"],
        &[],
    ),
    (Role::Tracing, "Tempo", &["grafana/tempo"], &[]),
    (Role::Tracing, "Zipkin", &["zipkin"], &[]),
    (
        Role::Traffic,
        "ingress-nginx",
        &["ingress-nginx/controller", "ingress-nginx-controller"],
        &["k8s.io/ingress-nginx"],
    ),
    (
        Role::Traffic,
        "NGINX Ingress Controller",
        &["nginx/nginx-ingress"],
        &["nginx.org/ingress-controller"],
    ),
    (
        Role::Traffic,
        "NGINX Gateway Fabric",
        &["nginx-gateway-fabric"],
        &["gateway.nginx.org/nginx-gateway-controller"],
    ),
    (
        Role::Traffic,
        "Traefik",
        &["traefik"],
        &[
            "traefik.io/ingress-controller",
            "traefik.io/gateway-controller",
        ],
    ),
    (
        Role::Traffic,
        "HAProxy Ingress",
        &["haproxytech/kubernetes-ingress"],
        &["haproxy.org/ingress-controller"],
    ),
    (
        Role::Traffic,
        "Contour",
        &["projectcontour/contour"],
        &[
            "projectcontour.io/contour",
            "projectcontour.io/gateway-controller",
        ],
    ),
    (
        Role::Traffic,
        "Envoy Gateway",
        &["envoyproxy/gateway"],
        &["gateway.envoyproxy.io/gatewayclass-controller"],
    ),
    (
        Role::Traffic,
        "Istio",
        &["istio/pilot"],
        &["istio.io/ingress-controller", "istio.io/gateway-controller"],
    ),
    (
        Role::Traffic,
        "Cilium",
        &["cilium/operator*"],
        &[
            "io.cilium/gateway-controller",
            "cilium.io/ingress-controller",
        ],
    ),
    (
        Role::Traffic,
        "Kong",
        &["kong/kubernetes-ingress-controller"],
        &[
            "ingress-controllers.konghq.com/kong",
            "konghq.com/kic-gateway-controller",
        ],
    ),
    (
        Role::Traffic,
        "AWS Load Balancer Controller",
        &["aws-load-balancer-controller"],
        &["ingress.k8s.aws/alb", "gateway.k8s.aws/alb"],
    ),
    (Role::NetworkPolicy, "Calico", &["calico/node"], &[]),
    (Role::NetworkPolicy, "Cilium", &["cilium/cilium"], &[]),
    (
        Role::NetworkPolicy,
        "Antrea",
        &["antrea/antrea-agent*", "antrea-agent*"],
        &[],
    ),
    (Role::NetworkPolicy, "kube-router", &["kube-router"], &[]),
    (
        Role::NetworkPolicy,
        "Weave Net",
        &["weave-kube", "weave-npc"],
        &[],
    ),
    (
        Role::NetworkPolicy,
        "Amazon VPC CNI network policy agent",
        &["aws-network-policy-agent"],
        &[],
    ),
    (
        Role::NetworkPolicy,
        "Azure Network Policy Manager",
        &["azure-npm"],
        &[],
    ),
    (Role::NetworkPolicy, "GKE Dataplane V2", &["anetd"], &[]),
    (
        Role::Certificates,
        "cert-manager",
        &["cert-manager-controller"],
        &[],
    ),
    (
        Role::Secrets,
        "External Secrets Operator",
        &["external-secrets/external-secrets", "external-secrets"],
        &[],
    ),
    (
        Role::Secrets,
        "Sealed Secrets",
        &["sealed-secrets-controller"],
        &[],
    ),
    (
        Role::Secrets,
        "Secrets Store CSI driver",
        &["secrets-store-csi-driver", "csi-secrets-store/driver"],
        &[],
    ),
    (
        Role::Secrets,
        "Vault agent injector",
        &["hashicorp/vault-k8s", "vault-k8s"],
        &[],
    ),
    (
        Role::Policy,
        "Kyverno",
        &["kyverno/kyverno", "kyverno"],
        &[],
    ),
    (
        Role::Policy,
        "Gatekeeper",
        &["open-policy-agent/gatekeeper", "gatekeeper"],
        &[],
    ),
    (Role::Backups, "Velero", &["velero/velero"], &[]),
    (Role::Backups, "K8up", &["k8up-io/k8up", "k8up"], &[]),
    (
        Role::Backups,
        "Kasten K10",
        &["kanister-tools", "k10-*", "kasten/*"],
        &[],
    ),
    (
        Role::Autoscaler,
        "cluster-autoscaler",
        &["cluster-autoscaler"],
        &[],
    ),
    (
        Role::Autoscaler,
        "Karpenter",
        &["karpenter/controller", "karpenter"],
        &[],
    ),
    (
        Role::NodeTermination,
        "aws-node-termination-handler",
        &["aws-node-termination-handler"],
        &[],
    ),
    (
        Role::NodeTermination,
        "GKE node termination handler",
        &[
            "gke-node-termination-handler",
            "k8s-node-termination-handler",
        ],
        &[],
    ),
];

/// The built-in components, in table order.
pub fn built_in() -> &'static [Component] {
    static TABLE: std::sync::OnceLock<Vec<Component>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        KNOWN
            .iter()
            .map(|(role, name, images, controllers)| Component {
                role: *role,
                name: name.to_string(),
                images: images.iter().map(|s| s.to_string()).collect(),
                workloads: Vec::new(),
                controllers: controllers.iter().map(|s| s.to_string()).collect(),
                // The collector is a log agent only when it reads the node's log files.
                reads_node_logs: *role == Role::Logging && name.starts_with("OpenTelemetry"),
                source: "built-in".to_string(),
            })
            .collect()
    })
}

/// An image reference's repository path, lower-case, without registry port, tag or digest:
/// `cr.fluentbit.io/fluent/fluent-bit:3.2@sha256:…` → `cr.fluentbit.io/fluent/fluent-bit`.
pub fn repository(image: &str) -> String {
    let image = image.split('@').next().unwrap_or_default();
    let (head, last) = match image.rsplit_once('/') {
        Some((h, l)) => (Some(h), l),
        None => (None, image),
    };
    let last = last.split(':').next().unwrap_or_default();
    match head {
        Some(h) => format!("{h}/{last}").to_ascii_lowercase(),
        None => last.to_ascii_lowercase(),
    }
}

/// Whether an image pattern matches an image (see [`Component::images`]).
pub fn image_matches(pattern: &str, image: &str) -> bool {
    let repo = repository(image);
    let wanted = pattern.matches('/').count() + 1;
    let segments: Vec<&str> = repo.split('/').collect();
    if segments.len() < wanted {
        return false;
    }
    let tail = segments[segments.len() - wanted..].join("/");
    glob_matches(&pattern.to_ascii_lowercase(), &tail)
}

impl Component {
    /// Whether a workload named `name` with pod spec `spec` is this component.
    pub fn matches(&self, name: &str, spec: &PodSpec) -> bool {
        let images = spec
            .containers
            .iter()
            .map(|c| c.image.as_deref().unwrap_or_default());
        let by_logs = !self.reads_node_logs || mounts_node_logs(spec);
        self.may_match(name, images) && by_logs
    }

    /// Whether a workload of this name, whose containers run these images, may be the
    /// component: [`Self::matches`] without what only the whole pod spec says.
    pub fn may_match<'i>(&self, name: &str, mut images: impl Iterator<Item = &'i str>) -> bool {
        let by_name =
            self.workloads.is_empty() || self.workloads.iter().any(|p| glob_matches(p, name));
        let by_image = self.images.is_empty()
            || images.any(|image| self.images.iter().any(|p| image_matches(p, image)));
        by_name && by_image
    }
}

/// Whether the pod mounts the node's log directory (`/var/log` or below).
pub fn mounts_node_logs(spec: &PodSpec) -> bool {
    spec.volumes.iter().flatten().any(|v| {
        v.host_path.as_ref().is_some_and(|h| {
            h.path.trim_end_matches('/') == "/var/log" || h.path.starts_with("/var/log/")
        })
    })
}

/// The components of a role: the config's first (an in-house entry wins a tie), then the
/// built-in ones.
pub fn of_role(config: &[Component], role: Role) -> impl Iterator<Item = &Component> {
    config
        .iter()
        .chain(built_in().iter())
        .filter(move |c| c.role == role)
}

/// The table, for `docs/checks.md`.
pub fn write_markdown(out: &mut String) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        "\n<a id=\"components\"></a>\n\n## Recognised add-ons\n\n\
         The `cluster.*` add-on checks recognise a component by the images its Deployment, \
         StatefulSet or DaemonSet runs: a pattern matches the image's last path segment without \
         tag or digest (`fluent-bit` matches `cr.fluentbit.io/fluent/fluent-bit:3.2.4`), or as \
         many trailing segments as it has (`grafana/agent`). The name of a workload alone never \
         makes it a component. In-house components are added in the config file:\n\n\
         ```toml\n[[components]]\nrole = \"logging\"            # a role below\n\
         name = \"logshipper\"         # the workload's name (a glob); and/or\n\
         image = \"registry.acme.io/platform/logshipper\"\n\
         controllers = []              # traffic: IngressClass/GatewayClass controller names it serves\n```\n\n\
         | role | check | component | images | serves |\n|---|---|---|---|---|"
    );
    for c in built_in() {
        let images: Vec<String> = c.images.iter().map(|i| format!("`{i}`")).collect();
        let controllers: Vec<String> = c.controllers.iter().map(|i| format!("`{i}`")).collect();
        let mut name = c.name.clone();
        if c.reads_node_logs {
            name.push_str(" (mounting the node's `/var/log`)");
        }
        let _ = writeln!(
            out,
            "| {} | [`{check}`](#{check}) | {name} | {} | {} |",
            c.role.name(),
            images.join(", "),
            controllers.join(", "),
            check = c.role.check(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_patterns_match_the_repository_not_the_tag_or_registry() {
        assert_eq!(
            repository("cr.fluentbit.io/fluent/fluent-bit:3.2.4@sha256:abc"),
            "cr.fluentbit.io/fluent/fluent-bit"
        );
        assert_eq!(
            repository("localhost:5000/vector:0.40"),
            "localhost:5000/vector"
        );
        assert!(image_matches(
            "fluent-bit",
            "cr.fluentbit.io/fluent/fluent-bit:3.2.4"
        ));
        assert!(image_matches("fluent-bit", "fluent/fluent-bit"));
        assert!(!image_matches(
            "fluent-bit",
            "ghcr.io/acme/fluent-bit-config-reloader:1"
        ));
        assert!(image_matches(
            "prometheus/prometheus",
            "quay.io/prometheus/prometheus:v3.1.0"
        ));
        assert!(!image_matches(
            "prometheus/prometheus",
            "quay.io/prometheus/node-exporter:v1.8.2"
        ));
        assert!(!image_matches("grafana/agent", "agent:1"));
        assert!(image_matches(
            "opentelemetry-collector*",
            "otel/opentelemetry-collector-contrib:0.111.0"
        ));
        // A tag is no part of the name.
        assert!(!image_matches("vector", "ghcr.io/acme/api:vector"));
    }

    #[test]
    fn every_role_has_a_built_in_component_and_names_round_trip() {
        for role in Role::ALL {
            assert!(built_in().iter().any(|c| c.role == *role), "{role:?}");
            assert_eq!(Role::from_name(role.name()), Some(*role));
            assert!(
                crate::checks::registry::find(role.check()).is_some(),
                "{role:?}"
            );
        }
    }
}
