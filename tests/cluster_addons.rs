//! The cluster add-on checks (section K): each passes, fails, is unknown and n/a where the
//! checklist says, runtime failures raise alerts on the cluster row, and the traps: a
//! DaemonSet named like an agent that is not one, an agent limited by a nodeSelector, and
//! NetworkPolicies on a CNI that enforces them.

use shipshape::checks::{CheckResult, Status};
use shipshape::cluster::{ClusterModel, Kind, Msg, WorkloadKind};
use shipshape::config::Config;
use shipshape::grade::{grade_all, Grades};
use shipshape::score::Health;
use shipshape::source::LoadOptions;
use shipshape::testing::{model, model_with, object_result};

const ROW: &str = "Cluster//cluster";

/// Grades `yaml` as a live cluster at 2026-11-20T10:00:00Z.
fn live_with(yaml: &str, config: &Config, f: impl FnOnce(&mut ClusterModel)) -> Grades {
    let mut m = model(yaml);
    m.facts.from_manifests = false;
    m.clock = Some("2026-11-20T10:00:00Z".parse().unwrap());
    f(&mut m);
    grade_all(&m, config)
}

fn live(yaml: &str) -> Grades {
    live_with(yaml, &Config::default(), |_| {})
}

fn check(g: &Grades, id: &str) -> CheckResult {
    object_result(g, ROW, id).clone()
}

fn assert_status(g: &Grades, id: &str, status: Status, needle: &str) {
    let r = check(g, id);
    assert_eq!(r.status, status, "{id}: {}", r.message);
    assert!(r.message.contains(needle), "{id}: {}", r.message);
}

fn node(name: &str, labels: &str, taints: &str) -> String {
    format!(
        "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels: {{kubernetes.io/hostname: {name}{labels}}}\nspec: {{taints: [{taints}]}}\nstatus:\n  conditions: [{{type: Ready, status: \"True\"}}]\n"
    )
}

fn three_nodes() -> String {
    format!(
        "{}{}{}",
        node("n1", ", pool: apps", ""),
        node("n2", ", pool: apps", ""),
        node("n3", ", pool: system", "")
    )
}

/// A DaemonSet with its status: `desired`/`ready` nodes.
fn daemon_set(ns: &str, name: &str, image: &str, extra: &str, desired: i32, ready: i32) -> String {
    format!(
        "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n{extra}      containers: [{{name: {name}, image: \"{image}\"}}]\nstatus: {{desiredNumberScheduled: {desired}, currentNumberScheduled: {desired}, numberMisscheduled: 0, numberReady: {ready}}}\n"
    )
}

fn deployment(ns: &str, name: &str, image: &str, replicas: i32, ready: i32, extra: &str) -> String {
    format!(
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers:\n        - name: {name}\n          image: \"{image}\"\n{extra}status: {{replicas: {replicas}, readyReplicas: {ready}}}\n"
    )
}

fn cluster_alerts(g: &Grades) -> Vec<(String, String, String)> {
    g.cluster_alerts
        .iter()
        .map(|a| (a.check.clone(), a.reason.clone(), a.workload.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// cluster.logging

#[test]
fn logging_passes_on_an_agent_ready_on_every_node() {
    let yaml = three_nodes()
        + &daemon_set(
            "logging",
            "fluent-bit",
            "cr.fluentbit.io/fluent/fluent-bit:3.2.4",
            "",
            3,
            3,
        );
    let g = live(&yaml);
    assert_status(
        &g,
        "cluster.logging",
        Status::Pass,
        "fluent-bit DaemonSet in logging, 3 of 3 nodes",
    );
    assert!(g.cluster_alerts.is_empty());
}

#[test]
fn logging_fails_without_an_agent_and_says_what_it_looked_for() {
    let g = live(&three_nodes());
    let r = check(&g, "cluster.logging");
    assert_eq!(r.status, Status::Fail);
    assert!(
        r.message.contains("looked for fluent-bit, fluentd"),
        "{}",
        r.message
    );
    // A collector that reads no node logs ships none.
    let otel = daemon_set(
        "observability",
        "otel-agent",
        "otel/opentelemetry-collector-contrib:0.111.0",
        "",
        3,
        3,
    );
    assert_eq!(
        check(&live(&(three_nodes() + &otel)), "cluster.logging").status,
        Status::Fail
    );
    let reading = otel.replace(
        "      containers:",
        "      volumes: [{name: varlog, hostPath: {path: /var/log}}]\n      containers:",
    );
    assert_status(
        &live(&(three_nodes() + &reading)),
        "cluster.logging",
        Status::Pass,
        "OpenTelemetry Collector DaemonSet in observability",
    );
}

#[test]
fn a_daemon_set_named_like_an_agent_is_not_one_the_image_decides() {
    let fake = daemon_set("logging", "fluent-bit", "busybox:1.36", "", 3, 3);
    assert_eq!(
        check(&live(&(three_nodes() + &fake)), "cluster.logging").status,
        Status::Fail
    );
    // And an agent under any name is one.
    let renamed = daemon_set(
        "ops",
        "node-logs",
        "timberio/vector:0.42.0-distroless-libc",
        "",
        3,
        3,
    );
    assert_status(
        &live(&(three_nodes() + &renamed)),
        "cluster.logging",
        Status::Pass,
        "vector DaemonSet in ops",
    );
}

#[test]
fn an_agent_missing_on_a_node_is_a_runtime_failure_with_an_alert() {
    let yaml =
        three_nodes() + &daemon_set("logging", "fluent-bit", "fluent/fluent-bit:3.2", "", 3, 2);
    let g = live(&yaml);
    assert_status(
        &g,
        "cluster.logging",
        Status::Fail,
        "ready on 2 of the 3 nodes it should run on",
    );
    assert_eq!(
        cluster_alerts(&g),
        [(
            "cluster.logging".to_string(),
            "LogAgentNotReady".to_string(),
            "DaemonSet/logging/fluent-bit".to_string()
        )]
    );
    assert_eq!(g.cluster_health, Health::Degraded);
    assert!(g.alerts().any(|a| a.check == "cluster.logging"));
    // A waived check raises no alert.
    let config = Config::parse(
        "[[waivers]]\ncheck = \"cluster.logging\"\nreason = \"node n3 is being drained\"\n",
        "c.toml",
    )
    .unwrap();
    let g = live_with(&yaml, &config, |_| {});
    assert_eq!(check(&g, "cluster.logging").status, Status::Waived);
    assert!(g.cluster_alerts.is_empty());
}

#[test]
fn an_agent_limited_by_a_node_selector_only_counts_the_nodes_it_selects() {
    let selective = daemon_set(
        "logging",
        "fluent-bit",
        "fluent/fluent-bit:3.2",
        "      nodeSelector: {pool: apps}\n",
        2,
        2,
    );
    assert_status(
        &live(&(three_nodes() + &selective)),
        "cluster.logging",
        Status::Pass,
        "2 of 2 nodes",
    );
    // A tainted node it does not tolerate is no node it should run on; one it tolerates is.
    let tainted = format!(
        "{}{}{}",
        node("n1", "", ""),
        node("n2", "", ""),
        node("gpu", "", "{key: gpu, value: \"true\", effect: NoSchedule}")
    );
    let agent = daemon_set("logging", "fluent-bit", "fluent/fluent-bit:3.2", "", 2, 2);
    assert_status(
        &live(&(tainted.clone() + &agent)),
        "cluster.logging",
        Status::Pass,
        "2 of 2 nodes",
    );
    let tolerant = daemon_set(
        "logging",
        "fluent-bit",
        "fluent/fluent-bit:3.2",
        "      tolerations: [{operator: Exists}]\n",
        2,
        2,
    );
    assert_status(
        &live(&(tainted + &tolerant)),
        "cluster.logging",
        Status::Fail,
        "ready on 2 of the 3 nodes",
    );
}

#[test]
fn add_ons_are_unknown_from_manifests_and_when_kinds_cannot_be_seen() {
    // Manifests of an application say nothing about the cluster they are applied to.
    let app = deployment("shop", "web", "ghcr.io/acme/web:1.0", 2, 2, "");
    let g = shipshape::testing::grade(&app);
    for id in [
        "cluster.logging",
        "cluster.monitoring",
        "cluster.tracing",
        "cluster.secrets-management",
        "cluster.autoscaler",
    ] {
        let r = check(&g, id);
        assert_eq!(r.status, Status::Unknown, "{id}: {}", r.message);
        assert!(r.message.contains("manifests"), "{id}: {}", r.message);
    }
    // A snapshot or input without the kinds (`--partial`).
    let opts = LoadOptions {
        partial: true,
        ..Default::default()
    };
    let g = grade_all(&model_with(&app, &opts), &Config::default());
    assert_status(
        &g,
        "cluster.logging",
        Status::Unknown,
        "DaemonSet (not in the input)",
    );
    assert_status(
        &g,
        "cluster.backups",
        Status::Unknown,
        "PersistentVolumeClaim",
    );
    assert_status(&g, "cluster.node-termination", Status::Unknown, "Node");
    assert_status(&g, "cluster.policy", Status::Unknown, "ClusterPolicy");
    // Forbidden.
    let g = live_with(&three_nodes(), &Config::default(), |m| {
        m.apply(Msg::Forbidden(Kind::DaemonSet));
    });
    assert_status(
        &g,
        "cluster.logging",
        Status::Unknown,
        "DaemonSet (forbidden)",
    );
}

// ---------------------------------------------------------------------------------------
// cluster.monitoring, cluster.tracing, cluster.secrets-management, cluster.autoscaler

#[test]
fn presence_checks_pass_on_what_runs_and_fail_naming_what_they_looked_for() {
    let ksm = deployment(
        "monitoring",
        "kube-state-metrics",
        "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.14.0",
        1,
        1,
        "",
    );
    let jaeger = deployment(
        "tracing",
        "jaeger",
        "jaegertracing/all-in-one:1.62",
        1,
        1,
        "",
    );
    let eso = deployment(
        "external-secrets",
        "external-secrets",
        "oci.external-secrets.io/external-secrets/external-secrets:v0.17.0",
        1,
        1,
        "",
    );
    let ca = deployment(
        "kube-system",
        "cluster-autoscaler",
        "registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.1",
        1,
        1,
        "",
    );
    let g = live(&format!("{ksm}{jaeger}{eso}{ca}"));
    assert_status(
        &g,
        "cluster.monitoring",
        Status::Pass,
        "kube-state-metrics Deployment in monitoring (1/1 ready)",
    );
    assert_status(
        &g,
        "cluster.tracing",
        Status::Pass,
        "Jaeger Deployment in tracing",
    );
    assert_status(
        &g,
        "cluster.secrets-management",
        Status::Pass,
        "External Secrets Operator Deployment in external-secrets",
    );
    assert_status(
        &g,
        "cluster.autoscaler",
        Status::Pass,
        "cluster-autoscaler Deployment",
    );
    let g = live(&three_nodes());
    assert_status(&g, "cluster.monitoring", Status::Fail, "kube-state-metrics");
    assert_status(&g, "cluster.tracing", Status::Fail, "Jaeger, Tempo, Zipkin");
    assert_status(
        &g,
        "cluster.secrets-management",
        Status::Fail,
        "Sealed Secrets",
    );
    assert_status(
        &g,
        "cluster.autoscaler",
        Status::Fail,
        "no Karpenter NodePool",
    );
    // A Deployment scaled to zero does not run.
    let off = deployment(
        "tracing",
        "jaeger",
        "jaegertracing/all-in-one:1.62",
        0,
        0,
        "",
    );
    assert_eq!(check(&live(&off), "cluster.tracing").status, Status::Fail);
    // Karpenter NodePools and Karpenter-provisioned nodes are node autoscaling.
    let pool = "---\napiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: default}\nspec: {template: {spec: {nodeClassRef: {name: default}}}}\n";
    assert_status(
        &live(pool),
        "cluster.autoscaler",
        Status::Pass,
        "Karpenter NodePools default",
    );
    let auto = node("n1", ", eks.amazonaws.com/compute-type: auto", "");
    assert_status(
        &live(&auto),
        "cluster.autoscaler",
        Status::Pass,
        "eks.amazonaws.com/compute-type",
    );
}

#[test]
fn in_house_components_come_from_the_config() {
    let config = Config::parse(
        "[[components]]\nrole = \"logging\"\nname = \"logshipper\"\nimage = \"registry.acme.io/platform/logshipper\"\n",
        "c.toml",
    )
    .unwrap();
    let ours = daemon_set(
        "platform",
        "logshipper",
        "registry.acme.io/platform/logshipper:4.1",
        "",
        3,
        3,
    );
    let g = live_with(&(three_nodes() + &ours), &config, |_| {});
    assert_status(
        &g,
        "cluster.logging",
        Status::Pass,
        "logshipper DaemonSet in platform",
    );
    // Both must match: the same image under another name is not the entry.
    let other = ours.replace("name: logshipper", "name: debug");
    let g = live_with(&(three_nodes() + &other), &config, |_| {});
    assert_eq!(check(&g, "cluster.logging").status, Status::Fail);
    // Mistakes name the line.
    let err = Config::parse(
        "disabled = []\n\n[[components]]\nrole = \"logs\"\nimage = \"x\"\n",
        "c.toml",
    )
    .unwrap_err();
    assert_eq!(err.line, 4, "{err}");
    assert!(err.to_string().contains("`logs` is not a role"), "{err}");
    let err = Config::parse("[[components]]\nrole = \"tracing\"\n", "c.toml").unwrap_err();
    assert_eq!(err.line, 1, "{err}");
    assert!(err.to_string().contains("`name`"), "{err}");
}

// ---------------------------------------------------------------------------------------
// cluster.alerting

const RULES: &str = r#"---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: kube-prometheus-rules, namespace: monitoring}
spec:
  groups:
    - name: apps
      rules:
        - record: namespace:container_restarts:rate5m
          expr: sum by (namespace) (rate(kube_pod_container_status_restarts_total[5m]))
        - alert: KubePodCrashLooping
          expr: max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1
        - alert: KubeDeploymentReplicasMismatch
          expr: kube_deployment_spec_replicas > kube_deployment_status_replicas_available
"#;

#[test]
fn alerting_names_the_states_no_rule_covers() {
    let g = live(RULES);
    assert_status(
        &g,
        "cluster.alerting",
        Status::Fail,
        "no alerting rule covers ImagePullBackOff (2 alerting rules in 1 PrometheusRule)",
    );
    let waiting = "        - alert: KubeContainerWaiting\n          expr: sum by (namespace, pod, container) (kube_pod_container_status_waiting_reason{reason!=\"CrashLoopBackOff\"}) > 0\n";
    let g = live(&(RULES.to_string() + waiting));
    let r = check(&g, "cluster.alerting");
    assert_eq!(r.status, Status::Pass, "{}", r.message);
    assert!(
        r.message.contains(
            "ImagePullBackOff (KubeContainerWaiting in monitoring/kube-prometheus-rules)"
        ),
        "{}",
        r.message
    );
    // No rules on a cluster that serves the kind: nothing alerts.
    assert_status(
        &live(&three_nodes()),
        "cluster.alerting",
        Status::Fail,
        "no PrometheusRule objects",
    );
    // The kind not served while a metrics stack runs: it may alert from rules shipshape cannot read.
    let prom = "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: prometheus, namespace: monitoring}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: prometheus}}\n  serviceName: prometheus\n  template:\n    metadata: {labels: {app: prometheus}}\n    spec: {containers: [{name: prometheus, image: quay.io/prometheus/prometheus:v3.1.0}]}\nstatus: {replicas: 1, readyReplicas: 1}\n";
    let g = live_with(prom, &Config::default(), |m| {
        m.apply(Msg::NotServed(Kind::PrometheusRule));
    });
    assert_status(&g, "cluster.alerting", Status::Unknown, "not served");
    let g = live_with(&three_nodes(), &Config::default(), |m| {
        m.apply(Msg::Forbidden(Kind::PrometheusRule));
    });
    assert_status(
        &g,
        "cluster.alerting",
        Status::Unknown,
        "PrometheusRule (forbidden)",
    );
}

// ---------------------------------------------------------------------------------------
// cluster.traffic

const INGRESS: &str = "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec:\n  ingressClassName: nginx\n  rules: [{host: shop.example.com}]\n";
const CLASS: &str = "---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n";

fn nginx(ready: i32) -> String {
    deployment(
        "ingress-nginx",
        "ingress-nginx-controller",
        "registry.k8s.io/ingress-nginx/controller:v1.12.1@sha256:d2fb",
        2,
        ready,
        "",
    )
}

#[test]
fn traffic_needs_a_running_controller_for_the_class() {
    assert_status(
        &live(&three_nodes()),
        "cluster.traffic",
        Status::NotApplicable,
        "no Ingresses",
    );
    let g = live(&format!("{INGRESS}{CLASS}{}", nginx(2)));
    assert_status(
        &g,
        "cluster.traffic",
        Status::Pass,
        "IngressClass nginx served by ingress-nginx Deployment in ingress-nginx (2/2 ready)",
    );
    let g = live(&format!("{INGRESS}{CLASS}"));
    assert_status(
        &g,
        "cluster.traffic",
        Status::Fail,
        "no controller serving it runs",
    );
    assert!(g.cluster_alerts.is_empty(), "absent is no runtime failure");
    // Present but not ready: a runtime failure.
    let g = live(&format!("{INGRESS}{CLASS}{}", nginx(0)));
    assert_status(
        &g,
        "cluster.traffic",
        Status::Fail,
        "none of its pods is ready",
    );
    assert_eq!(
        cluster_alerts(&g),
        [(
            "cluster.traffic".into(),
            "IngressControllerNotReady".into(),
            "Deployment/ingress-nginx/ingress-nginx-controller".into()
        )]
    );
    // A controller the table does not know cannot be judged.
    let custom = CLASS.replace("k8s.io/ingress-nginx", "example.com/edge");
    assert_status(
        &live(&format!("{INGRESS}{custom}")),
        "cluster.traffic",
        Status::Unknown,
        "`example.com/edge`, which is not in the component table",
    );
}

#[test]
fn traffic_follows_routes_to_their_gateway_class() {
    let gw = "---\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: eg}\nspec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge, namespace: infra}\nspec:\n  gatewayClassName: eg\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web, namespace: shop}\nspec:\n  parentRefs: [{name: edge, namespace: infra}]\n";
    assert_status(
        &live(gw),
        "cluster.traffic",
        Status::Fail,
        "GatewayClass eg names controller",
    );
    let eg = deployment(
        "envoy-gateway-system",
        "envoy-gateway",
        "docker.io/envoyproxy/gateway:v1.3.0",
        1,
        1,
        "",
    );
    assert_status(
        &live(&(gw.to_string() + &eg)),
        "cluster.traffic",
        Status::Pass,
        "GatewayClass eg served by Envoy Gateway Deployment in envoy-gateway-system",
    );
}

// ---------------------------------------------------------------------------------------
// cluster.network-policy-enforced

#[test]
fn network_policies_need_an_enforcing_cni() {
    assert_status(
        &live(&three_nodes()),
        "cluster.network-policy-enforced",
        Status::NotApplicable,
        "no NetworkPolicies",
    );
    let np = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
    assert_status(
        &live(np),
        "cluster.network-policy-enforced",
        Status::Fail,
        "1 NetworkPolicy in 1 namespace but no CNI known to enforce them runs",
    );
    let calico = daemon_set(
        "kube-system",
        "calico-node",
        "docker.io/calico/node:v3.29.1",
        "",
        3,
        3,
    );
    assert_status(
        &live(&(np.to_string() + &calico)),
        "cluster.network-policy-enforced",
        Status::Pass,
        "enforced by Calico DaemonSet in kube-system (3/3 ready)",
    );
    // The VPC CNI enforces them when its policy agent runs beside it.
    let aws_node = daemon_set(
        "kube-system",
        "aws-node",
        "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0",
        "",
        3,
        3,
    );
    assert_eq!(
        check(
            &live(&(np.to_string() + &aws_node)),
            "cluster.network-policy-enforced"
        )
        .status,
        Status::Fail
    );
    let with_agent = aws_node.replace(
        "      containers: [{name: aws-node, image: \"602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0\"}]",
        "      containers: [{name: aws-node, image: \"602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0\"}, {name: aws-eks-nodeagent, image: \"602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.5\"}]",
    );
    assert_eq!(
        check(
            &live(&(np.to_string() + &with_agent)),
            "cluster.network-policy-enforced"
        )
        .status,
        Status::Pass
    );
}

// ---------------------------------------------------------------------------------------
// cluster.certificates

const TLS_INGRESS: &str = "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n  annotations: {cert-manager.io/cluster-issuer: letsencrypt}\nspec:\n  ingressClassName: nginx\n  tls: [{hosts: [shop.example.com], secretName: shop-tls}]\n";

fn issuer(ready: &str) -> String {
    format!("---\napiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {{name: letsencrypt}}\nspec: {{acme: {{}}}}\nstatus: {{conditions: [{{type: Ready, status: \"{ready}\", reason: ErrRegisterACMEAccount}}]}}\n")
}

fn cert_manager() -> String {
    deployment(
        "cert-manager",
        "cert-manager",
        "quay.io/jetstack/cert-manager-controller:v1.16.2",
        1,
        1,
        "",
    )
}

#[test]
fn certificates_need_a_manager_with_a_ready_issuer() {
    assert_status(
        &live(INGRESS),
        "cluster.certificates",
        Status::NotApplicable,
        "no Ingress or Gateway terminates TLS",
    );
    assert_status(
        &live(TLS_INGRESS),
        "cluster.certificates",
        Status::Fail,
        "Ingress shop/web terminates TLS but no certificate manager runs",
    );
    let g = live(&format!(
        "{TLS_INGRESS}{}{}",
        cert_manager(),
        issuer("True")
    ));
    assert_status(
        &g,
        "cluster.certificates",
        Status::Pass,
        "cert-manager Deployment in cert-manager (1/1 ready) with ClusterIssuer letsencrypt Ready",
    );
    // cert-manager without any Ready issuer issues nothing.
    let g = live(&format!("{TLS_INGRESS}{}", cert_manager()));
    assert_status(
        &g,
        "cluster.certificates",
        Status::Fail,
        "no Issuer or ClusterIssuer is Ready",
    );
}

#[test]
fn an_issuer_certificates_use_that_is_not_ready_raises_an_alert() {
    let other = "---\napiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: internal, namespace: shop}\nspec: {ca: {}}\nstatus: {conditions: [{type: Ready, status: \"True\"}]}\n";
    let g = live(&format!(
        "{TLS_INGRESS}{}{}{other}",
        cert_manager(),
        issuer("False")
    ));
    assert_status(
        &g,
        "cluster.certificates",
        Status::Fail,
        "ClusterIssuer letsencrypt is not Ready (Ready False (ErrRegisterACMEAccount)): Ingress shop/web cannot be issued or renewed",
    );
    assert_eq!(
        cluster_alerts(&g),
        [(
            "cluster.certificates".into(),
            "IssuerNotReady".into(),
            "Deployment/cert-manager/cert-manager".into()
        )]
    );
}

// ---------------------------------------------------------------------------------------
// cluster.policy

#[test]
fn policy_passes_on_an_enforcing_engine_only() {
    let audit = "---\napiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: require-limits}\nspec:\n  validationFailureAction: Audit\n  rules: [{name: limits, validate: {pattern: {}}}]\n";
    assert_status(
        &live(audit),
        "cluster.policy",
        Status::Fail,
        "1 Kyverno ClusterPolicy only audits",
    );
    let enforce = audit.replace("Audit", "Enforce");
    assert_status(
        &live(&enforce),
        "cluster.policy",
        Status::Pass,
        "Kyverno ClusterPolicy require-limits in Enforce",
    );
    let vap = "---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: no-privileged}\nspec:\n  matchConstraints: {resourceRules: [{apiGroups: [\"\"], apiVersions: [v1], operations: [CREATE], resources: [pods]}]}\n  validations: [{expression: \"true\"}]\n";
    let binding = "---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {name: no-privileged}\nspec: {policyName: no-privileged, validationActions: [Deny]}\n";
    assert_status(
        &live(vap),
        "cluster.policy",
        Status::Fail,
        "no ValidatingAdmissionPolicy bound",
    );
    assert_status(
        &live(&format!("{vap}{binding}")),
        "cluster.policy",
        Status::Pass,
        "ValidatingAdmissionPolicy no-privileged bound with Deny",
    );
    let warn_only = binding.replace("[Deny]", "[Warn, Audit]");
    assert_eq!(
        check(&live(&format!("{vap}{warn_only}")), "cluster.policy").status,
        Status::Fail
    );
    let gatekeeper = "---\napiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: {name: k8srequiredlabels}\nspec: {crd: {spec: {names: {kind: K8sRequiredLabels}}}}\n";
    assert_status(
        &live(gatekeeper),
        "cluster.policy",
        Status::Pass,
        "k8srequiredlabels",
    );
    // An engine that enforces passes even when another engine's kinds cannot be seen.
    let g = live_with(&enforce, &Config::default(), |m| {
        m.apply(Msg::Forbidden(Kind::ConstraintTemplate));
    });
    assert_eq!(check(&g, "cluster.policy").status, Status::Pass);
    let g = live_with(audit, &Config::default(), |m| {
        m.apply(Msg::Forbidden(Kind::ConstraintTemplate));
    });
    assert_status(
        &g,
        "cluster.policy",
        Status::Unknown,
        "ConstraintTemplate (forbidden)",
    );
}

// ---------------------------------------------------------------------------------------
// cluster.backups

const PVC: &str = "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: db}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}\n";

fn velero() -> String {
    deployment("velero", "velero", "velero/velero:v1.16.1", 1, 1, "")
}

fn schedule(cron: &str) -> String {
    format!("---\napiVersion: velero.io/v1\nkind: Schedule\nmetadata: {{name: daily, namespace: velero, creationTimestamp: \"2026-06-01T00:00:00Z\"}}\nspec: {{schedule: \"{cron}\", template: {{includedNamespaces: [db]}}}}\n")
}

fn backup(day: &str, phase: &str) -> String {
    format!("---\napiVersion: velero.io/v1\nkind: Backup\nmetadata: {{name: daily-{day}, namespace: velero, labels: {{velero.io/schedule-name: daily}}}}\nspec: {{}}\nstatus: {{phase: {phase}, startTimestamp: \"2026-11-{day}T02:00:00Z\", completionTimestamp: \"2026-11-{day}T02:05:00Z\"}}\n")
}

#[test]
fn backups_are_na_without_claims_and_fail_without_a_schedule() {
    assert_status(
        &live(&velero()),
        "cluster.backups",
        Status::NotApplicable,
        "no PersistentVolumeClaims",
    );
    assert_status(
        &live(PVC),
        "cluster.backups",
        Status::Fail,
        "1 PersistentVolumeClaim but no backup tool schedules backups (looked for Velero",
    );
    assert_status(
        &live(&format!("{PVC}{}", velero())),
        "cluster.backups",
        Status::Fail,
        "Velero Deployment in velero (1/1 ready) runs, but no Velero Schedule is active",
    );
    let k8up = deployment("k8up", "k8up", "ghcr.io/k8up-io/k8up:v2.11.0", 1, 1, "");
    assert_status(
        &live(&format!("{PVC}{k8up}")),
        "cluster.backups",
        Status::Pass,
        "K8up",
    );
}

#[test]
fn the_newest_backup_and_its_age_count_on_the_grading_clock() {
    let base = format!("{PVC}{}{}", velero(), schedule("0 2 * * *"));
    let g = live(&format!(
        "{base}{}{}",
        backup("19", "Completed"),
        backup("20", "Completed")
    ));
    assert_status(
        &g,
        "cluster.backups",
        Status::Pass,
        "Schedule velero/daily (0 2 * * *), last backup completed 2026-11-20 02:05 UTC",
    );
    assert!(g.cluster_alerts.is_empty());
    // The newest failed, though an older one completed.
    let g = live(&format!(
        "{base}{}{}",
        backup("19", "Completed"),
        backup("20", "PartiallyFailed")
    ));
    assert_status(
        &g,
        "cluster.backups",
        Status::Fail,
        "the newest backup of Schedule velero/daily, daily-20, is PartiallyFailed at 2026-11-20 02:05 UTC",
    );
    assert_eq!(
        cluster_alerts(&g),
        [(
            "cluster.backups".into(),
            "BackupFailed".into(),
            "Deployment/velero/velero".into()
        )]
    );
    // Completed, but longer ago than twice the daily interval (the clock is 11-20 10:00).
    let g = live(&format!("{base}{}", backup("17", "Completed")));
    assert_status(
        &g,
        "cluster.backups",
        Status::Fail,
        "the last completed backup finished 2026-11-17 02:05 UTC, longer ago than twice its interval, 48h",
    );
    // Weekly: three days is within twice the interval.
    let weekly = format!(
        "{PVC}{}{}{}",
        velero(),
        schedule("0 3 * * 0"),
        backup("17", "Completed")
    );
    assert_eq!(
        check(&live(&weekly), "cluster.backups").status,
        Status::Pass
    );
    // An interval that cannot be told: 48 hours.
    let odd = format!(
        "{PVC}{}{}{}",
        velero(),
        schedule("@reboot"),
        backup("18", "Completed")
    );
    let r = check(&live(&odd), "cluster.backups");
    assert_eq!(r.status, Status::Fail, "{}", r.message);
    assert!(r.message.contains("longer ago than 48h"), "{}", r.message);
}

// ---------------------------------------------------------------------------------------
// cluster.node-termination

#[test]
fn spot_nodes_need_an_interruption_handler() {
    assert_status(
        &live(&three_nodes()),
        "cluster.node-termination",
        Status::NotApplicable,
        "no spot or preemptible nodes",
    );
    let spot = three_nodes() + &node("s1", ", node.kubernetes.io/lifecycle: spot", "");
    assert_status(
        &live(&spot),
        "cluster.node-termination",
        Status::Fail,
        "1 spot node (s1 labelled node.kubernetes.io/lifecycle) but no interruption handler runs",
    );
    let nth = daemon_set(
        "kube-system",
        "aws-node-termination-handler",
        "public.ecr.aws/aws-ec2/aws-node-termination-handler:v1.24.0",
        "",
        1,
        1,
    );
    assert_status(
        &live(&(spot.clone() + &nth)),
        "cluster.node-termination",
        Status::Pass,
        "handled by aws-node-termination-handler DaemonSet in kube-system",
    );
    // EKS managed node groups drain their spot nodes themselves.
    let managed = three_nodes() + &node("s1", ", eks.amazonaws.com/capacityType: SPOT", "");
    assert_status(
        &live(&managed),
        "cluster.node-termination",
        Status::Pass,
        "managed node groups",
    );
    // Karpenter drains its spot nodes when it has an interruption queue.
    let karpenter_node = three_nodes()
        + &node(
            "k1",
            ", karpenter.sh/capacity-type: spot, karpenter.sh/nodepool: default",
            "",
        );
    let karpenter = |env: &str| {
        deployment(
            "kube-system",
            "karpenter",
            "public.ecr.aws/karpenter/controller:1.1.0",
            2,
            2,
            env,
        )
    };
    assert_eq!(
        check(
            &live(&(karpenter_node.clone() + &karpenter(""))),
            "cluster.node-termination"
        )
        .status,
        Status::Fail
    );
    let queue = "          env: [{name: INTERRUPTION_QUEUE, value: prod-karpenter}]\n";
    assert_status(
        &live(&(karpenter_node + &karpenter(queue))),
        "cluster.node-termination",
        Status::Pass,
        "Karpenter Deployment in kube-system with an interruption queue",
    );
}

// ---------------------------------------------------------------------------------------
// The demo

#[test]
fn the_demo_shows_the_four_add_on_findings_and_an_alert_on_the_cluster_row() {
    let model = shipshape::source::demo::demo_model();
    let g = grade_all(&model, &Config::default());
    assert_status(
        &g,
        "cluster.logging",
        Status::Fail,
        "fluent-bit DaemonSet in observability is ready on 4 of the 5 nodes",
    );
    assert_status(&g, "cluster.alerting", Status::Fail, "ImagePullBackOff");
    assert_status(
        &g,
        "cluster.backups",
        Status::Fail,
        "daily-20261120020000, is Failed",
    );
    assert_status(
        &g,
        "cluster.node-termination",
        Status::Fail,
        "ip-10-42-23-61",
    );
    let alerts = cluster_alerts(&g);
    assert!(
        alerts.contains(&(
            "cluster.logging".into(),
            "LogAgentNotReady".into(),
            "DaemonSet/observability/fluent-bit".into()
        )),
        "{alerts:?}"
    );
    assert!(
        alerts.contains(&(
            "cluster.backups".into(),
            "BackupFailed".into(),
            "Deployment/velero/velero".into()
        )),
        "{alerts:?}"
    );
    assert!(g
        .cluster_alerts
        .iter()
        .all(|a| g.workloads.contains_key(&a.workload) && a.workload.kind != WorkloadKind::Pod));
}
