//! The kinds 2026 clusters run beside the core ones: Argo Rollouts and ReplicationControllers
//! graded as workloads, and KEDA, Gateway API, cert-manager and Prometheus Operator objects
//! read from files like every other kind.

use shipshape::checks::Status;
use shipshape::cluster::{Kind, Msg, WorkloadKind};
use shipshape::source::file::load_str;
use shipshape::source::LoadOptions;
use shipshape::testing::{grade, key, model, object_result, result, status};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/rollouts/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn a_rollout_is_a_workload_graded_like_a_deployment() {
    let g = grade(&fixture("canary.yaml"));
    let rollouts: Vec<String> = g
        .workloads
        .keys()
        .filter(|k| k.kind == WorkloadKind::Rollout)
        .map(|k| k.to_string())
        .collect();
    assert_eq!(rollouts, ["Rollout/shop/checkout", "Rollout/shop/search"]);
    // Every workload check grades its template: the probes it lacks fail, the replicas pass.
    assert_eq!(
        status(&g, "Rollout/shop/checkout", "probe.readiness"),
        Status::Fail
    );
    assert_eq!(
        status(&g, "Rollout/shop/checkout", "availability.replicas"),
        Status::Pass
    );
    assert_eq!(
        status(&g, "Rollout/shop/checkout", "image.tag"),
        Status::Pass
    );
}

/// Regression: the stable, canary, active and preview Services of Rollouts selected "no pods"
/// (a critical failure each) while Rollouts were not modelled.
#[test]
fn the_services_of_a_rollout_select_its_pods() {
    let g = grade(&fixture("canary.yaml"));
    for svc in [
        "checkout-stable",
        "checkout-canary",
        "search-active",
        "search-preview",
    ] {
        let r = object_result(&g, &format!("Service/shop/{svc}"), "service.selects-pods");
        assert_eq!(r.status, Status::Pass, "{svc}: {}", r.message);
        assert!(r.message.contains("Rollout"), "{svc}: {}", r.message);
        let port = object_result(&g, &format!("Service/shop/{svc}"), "service.target-port");
        assert_eq!(port.status, Status::Pass, "{svc}: {}", port.message);
    }
}

#[test]
fn a_rollout_with_a_workload_ref_runs_the_deployments_template() {
    let m = model(&fixture("workload-ref.yaml"));
    let rollout = m.workload(&key("Rollout/shop/api")).unwrap();
    let spec = rollout.spec().unwrap();
    assert_eq!(
        spec.containers[0].image.as_deref(),
        Some("ghcr.io/acme/api:3.1.0")
    );
    assert_eq!(rollout.desired_replicas(), Some(3));
    // The Deployment only holds the template: it is no workload of its own, so its zero
    // replicas fail nothing.
    assert_eq!(
        m.workload_keys(),
        [key("Rollout/shop/api")],
        "the referenced Deployment is part of the Rollout"
    );
    assert!(!m.is_workload(&key("Deployment/shop/api")));
    let g = grade(&fixture("workload-ref.yaml"));
    assert_eq!(
        object_result(&g, "Service/shop/api", "service.selects-pods").status,
        Status::Pass
    );
    assert_eq!(
        status(&g, "Rollout/shop/api", "resources.memory-limit"),
        Status::Fail
    );
}

#[test]
fn a_change_to_the_referenced_deployment_regrades_the_rollout() {
    let mut m = model(&fixture("workload-ref.yaml"));
    let changed = fixture("workload-ref.yaml").replace("api:3.1.0", "api:3.2.0");
    let mut touched = shipshape::cluster::Touched::default();
    for msg in load_str(&changed, "changed.yaml", &LoadOptions::default()).unwrap() {
        if let Msg::Upsert(entry) = &msg {
            if entry.object.kind() == Kind::Deployment {
                touched.merge(m.apply(msg));
            }
        }
    }
    assert!(
        touched.workloads.contains(&key("Rollout/shop/api")),
        "{touched:?}"
    );
    let rollout = m.workload(&key("Rollout/shop/api")).unwrap();
    assert_eq!(
        rollout.spec().unwrap().containers[0].image.as_deref(),
        Some("ghcr.io/acme/api:3.2.0")
    );
}

#[test]
fn a_replication_controller_is_a_workload() {
    let g = grade(&fixture("replication-controller.yaml"));
    assert_eq!(
        status(
            &g,
            "ReplicationController/legacy/frontend",
            "availability.replicas"
        ),
        Status::Fail
    );
    let r = object_result(&g, "Service/legacy/frontend", "service.selects-pods");
    assert_eq!(r.status, Status::Pass, "{}", r.message);
}

/// Pods of a live Rollout: Pod → ReplicaSet → Rollout, and by name when the ReplicaSet is not
/// in the input (Argo Rollouts names ReplicaSets `<rollout>-<hash>` like Deployments do).
#[test]
fn a_rollouts_pods_come_through_its_replica_sets() {
    let yaml = format!(
        "{}\n---\n{}",
        fixture("canary.yaml"),
        r#"
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: checkout-6d4f8b7c9
  namespace: shop
  ownerReferences: [{apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: checkout, uid: u1, controller: true}]
spec: {selector: {matchLabels: {app: checkout}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: checkout-6d4f8b7c9-abcde
  namespace: shop
  labels: {app: checkout, rollouts-pod-template-hash: 6d4f8b7c9}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: checkout-6d4f8b7c9, uid: u2, controller: true}]
spec: {containers: [{name: checkout, image: "ghcr.io/acme/checkout:1.4.2"}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: search-5b9c7d-xyz12
  namespace: shop
  labels: {app: search, rollouts-pod-template-hash: 5b9c7d}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: search-5b9c7d, uid: u3, controller: true}]
spec: {containers: [{name: search, image: "ghcr.io/acme/search:2.0.0"}]}
"#
    );
    let m = model(&yaml);
    let pods: Vec<String> = m
        .pods_of(&key("Rollout/shop/checkout"))
        .iter()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(pods, ["checkout-6d4f8b7c9-abcde"]);
    let pods: Vec<String> = m
        .pods_of(&key("Rollout/shop/search"))
        .iter()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(pods, ["search-5b9c7d-xyz12"], "attributed by name");
    assert!(!m.is_workload(&key("ReplicaSet/shop/checkout-6d4f8b7c9")));
}

#[test]
fn the_add_on_kinds_load_from_files_and_are_not_counted_as_unknown() {
    let yaml = r#"
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker, namespace: shop}
spec:
  scaleTargetRef: {name: worker}
  minReplicaCount: 2
  triggers: [{type: rabbitmq, metadata: {queueName: orders, host: "amqp://guest:hunter2@rabbit/"}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: cilium}
spec: {controllerName: io.cilium/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  gatewayClassName: cilium
  listeners: [{name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: shop-tls}]}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: public}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: rpc, namespace: shop}
spec:
  parentRefs: [{name: public}]
  rules: [{backendRefs: [{name: rpc, port: 9090}]}]
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: shop-tls, namespace: shop}
spec: {secretName: shop-tls, issuerRef: {name: letsencrypt, kind: ClusterIssuer}}
status:
  notAfter: "2026-12-20T00:00:00Z"
  conditions: [{type: Ready, status: "False", message: "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 rejected"}]
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: local, namespace: shop}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: letsencrypt}
spec: {acme: {server: "https://acme-v02.api.letsencrypt.org/directory", privateKeySecretRef: {name: le-key}}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: shop}
spec: {selector: {matchLabels: {app: web}}, endpoints: [{port: metrics}]}
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: worker, namespace: shop}
spec: {selector: {matchLabels: {app: worker}}, podMetricsEndpoints: [{port: metrics}]}
"#;
    let m = model(yaml);
    assert!(m.unknown_kinds.is_empty(), "{:?}", m.unknown_kinds);
    for kind in [
        Kind::ScaledObject,
        Kind::GatewayClass,
        Kind::Gateway,
        Kind::HTTPRoute,
        Kind::GRPCRoute,
        Kind::Certificate,
        Kind::Issuer,
        Kind::ClusterIssuer,
        Kind::ServiceMonitor,
        Kind::PodMonitor,
    ] {
        assert_eq!(m.stores.count(kind), 1, "{kind}");
    }
    // The v1beta1 Gateway is read in the v1 shape.
    let gw = &m.stores.gateways[&("shop".to_string(), "public".to_string())];
    assert_eq!(gw.spec.listeners[0].protocol, "HTTPS");
    // Only what the checks read is kept: no trigger metadata (a connection string here), and
    // status messages are masked like every other message.
    let so = serde_json::to_string(
        &*m.stores.scaled_objects[&("shop".to_string(), "worker".to_string())],
    )
    .unwrap();
    assert!(!so.contains("hunter2"), "{so}");
    let cert = &m.stores.certificates[&("shop".to_string(), "shop-tls".to_string())];
    let message = cert.status.as_ref().unwrap().conditions[0]
        .message
        .clone()
        .unwrap();
    assert!(!message.contains("ghp_abcdef"), "{message}");
    assert!(message.contains("rejected"), "{message}");
}

/// Regression: a capture of a cluster running Argo Rollouts has Services whose selector names
/// the `rollouts-pod-template-hash` Argo Rollouts added; the Rollout's template does not carry
/// it, yet the Services select the Rollout's pods.
#[test]
fn a_captured_rollout_service_selects_the_rollouts_pods_by_definition() {
    let captured = fixture("canary.yaml").replace(
        "  selector:\n    app: checkout\n",
        "  selector:\n    app: checkout\n    rollouts-pod-template-hash: 6d4f8b7c9\n",
    );
    assert_eq!(captured.matches("rollouts-pod-template-hash").count(), 2);
    let g = grade(&captured);
    for svc in ["checkout-stable", "checkout-canary"] {
        let r = object_result(&g, &format!("Service/shop/{svc}"), "service.selects-pods");
        assert_eq!(r.status, Status::Pass, "{svc}: {}", r.message);
        assert!(
            r.message.contains("Rollout checkout"),
            "{svc}: {}",
            r.message
        );
    }
    // Any other Service with such a selector still selects nothing.
    let other = format!(
        "{captured}---\napiVersion: v1\nkind: Service\nmetadata: {{name: stray, namespace: shop}}\nspec: {{selector: {{app: checkout, rollouts-pod-template-hash: 6d4f8b7c9}}, ports: [{{port: 80}}]}}\n"
    );
    let g = grade(&other);
    assert_eq!(
        object_result(&g, "Service/shop/stray", "service.selects-pods").status,
        Status::Fail
    );
}

const WORKER: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - name: worker
          image: ghcr.io/acme/worker:1.0.0
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 128Mi}}
"#;

fn scaled_object(min: i32, max: i32, triggers: &str) -> String {
    format!(
        "---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {{name: worker, namespace: shop}}\nspec: {{scaleTargetRef: {{name: worker}}, minReplicaCount: {min}, maxReplicaCount: {max}, triggers: {triggers}}}\n"
    )
}

/// The HPA KEDA generates for the ScaledObject, as a capture of a cluster shows it.
const KEDA_HPA: &str = r#"---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: keda-hpa-worker
  namespace: shop
  ownerReferences: [{apiVersion: keda.sh/v1alpha1, kind: ScaledObject, name: worker, uid: u1, controller: true}]
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
  minReplicas: 1
  maxReplicas: 10
  metrics: [{type: External, external: {metric: {name: s0-rabbitmq-orders}, target: {type: AverageValue, averageValue: "5"}}}]
"#;

const QUEUE: &str = "[{type: rabbitmq, metadata: {queueName: orders}}]";

#[test]
fn a_scaled_object_is_the_workloads_autoscaler() {
    let g = grade(&format!("{WORKER}{}", scaled_object(2, 10, QUEUE)));
    let hpa = result(&g, "Deployment/shop/worker", "availability.hpa");
    assert_eq!(hpa.status, Status::Pass, "{}", hpa.message);
    assert!(
        hpa.message.contains("ScaledObject worker"),
        "{}",
        hpa.message
    );
    let replicas = result(&g, "Deployment/shop/worker", "availability.replicas");
    assert_eq!(replicas.status, Status::Pass, "{}", replicas.message);
    assert_eq!(
        status(&g, "Deployment/shop/worker", "autoscaler.sane"),
        Status::Pass
    );
    // A floor of 1 keeps one pod: the replica check fails on it.
    let g = grade(&format!("{WORKER}{}", scaled_object(1, 10, QUEUE)));
    let replicas = result(&g, "Deployment/shop/worker", "availability.replicas");
    assert_eq!(replicas.status, Status::Fail);
    assert!(
        replicas.message.contains("minReplicaCount"),
        "{}",
        replicas.message
    );
}

#[test]
fn the_hpa_keda_generates_is_not_a_second_autoscaler() {
    let g = grade(&format!(
        "{WORKER}{}{KEDA_HPA}",
        scaled_object(2, 10, QUEUE)
    ));
    let sane = result(&g, "Deployment/shop/worker", "availability.hpa-sane");
    // The generated HPA's minReplicas 1 is KEDA's business, not a second HPA with a low floor:
    // the ScaledObject is judged by autoscaler.sane.
    assert_eq!(sane.status, Status::NotApplicable, "{}", sane.message);
    assert!(
        !sane.message.contains("keda-hpa-worker"),
        "{}",
        sane.message
    );
    let hpa = result(&g, "Deployment/shop/worker", "availability.hpa");
    assert!(!hpa.message.contains("keda-hpa-worker"), "{}", hpa.message);
}

#[test]
fn keda_rules_fail_a_scaled_object_that_cannot_do_its_job() {
    // Scale to zero is fine for a worker no Service sends traffic to…
    let g = grade(&format!("{WORKER}{}", scaled_object(0, 10, QUEUE)));
    assert_eq!(
        status(&g, "Deployment/shop/worker", "autoscaler.sane"),
        Status::Pass
    );
    // …not for one behind a Service.
    let service = "---\napiVersion: v1\nkind: Service\nmetadata: {name: worker, namespace: shop}\nspec: {selector: {app: worker}, ports: [{port: 80}]}\n";
    let g = grade(&format!("{WORKER}{}{service}", scaled_object(0, 10, QUEUE)));
    let sane = result(&g, "Deployment/shop/worker", "autoscaler.sane");
    assert_eq!(sane.status, Status::Fail);
    assert!(
        sane.message.contains("minReplicaCount 0"),
        "{}",
        sane.message
    );
    let g = grade(&format!("{WORKER}{}", scaled_object(3, 3, QUEUE)));
    let sane = result(&g, "Deployment/shop/worker", "autoscaler.sane");
    assert_eq!(sane.status, Status::Fail);
    assert!(sane.message.contains("can never scale"), "{}", sane.message);
    let g = grade(&format!("{WORKER}{}", scaled_object(2, 10, "[]")));
    let sane = result(&g, "Deployment/shop/worker", "autoscaler.sane");
    assert_eq!(sane.status, Status::Fail);
    assert!(sane.message.contains("no triggers"), "{}", sane.message);
}

#[test]
fn scaled_objects_that_cannot_be_seen_leave_the_autoscaler_checks_unknown() {
    let mut m = model(WORKER);
    m.apply(Msg::Forbidden(Kind::ScaledObject));
    let g = shipshape::grade::grade_all(&m, &shipshape::config::Config::default());
    // One replica and no HPA: a ScaledObject might keep more.
    let replicas = result(&g, "Deployment/shop/worker", "availability.replicas");
    assert_eq!(replicas.status, Status::Unknown, "{}", replicas.message);
    assert!(
        replicas.message.contains("ScaledObject"),
        "{}",
        replicas.message
    );
    // Not served: KEDA is not installed, so nothing scales the workload.
    let mut m = model(WORKER);
    m.apply(Msg::NotServed(Kind::ScaledObject));
    let g = shipshape::grade::grade_all(&m, &shipshape::config::Config::default());
    assert_eq!(
        status(&g, "Deployment/shop/worker", "availability.replicas"),
        Status::Fail
    );
}

#[test]
fn an_aborted_or_degraded_rollout_raises_rollout_stalled() {
    let base = fixture("canary.yaml");
    let with = |status: &str| {
        base.replacen(
            "        - pause: {}\n",
            &format!("        - pause: {{}}\nstatus:\n{status}"),
            1,
        )
    };
    let g = grade(&with("  phase: Degraded\n  abort: true\n  message: \"RolloutAborted: metric success-rate assessed Failed\"\n  replicas: 4\n  availableReplicas: 4\n  readyReplicas: 4\n"));
    let r = result(&g, "Rollout/shop/checkout", "health.rollout-stalled");
    assert_eq!(r.status, Status::Fail, "{}", r.message);
    assert!(r.message.contains("aborted"), "{}", r.message);
    assert!(r.message.contains("success-rate"), "{}", r.message);
    let alert = g
        .alerts()
        .find(|a| a.check == "health.rollout-stalled")
        .expect("an alert");
    assert_eq!(alert.reason, "RolloutAborted");
    let g = grade(&with("  phase: Degraded\n  replicas: 4\n  availableReplicas: 2\n  readyReplicas: 2\n  conditions:\n    - {type: Progressing, status: \"False\", reason: ProgressDeadlineExceeded, message: \"ReplicaSet checkout-7c9 has timed out progressing.\"}\n"));
    let r = result(&g, "Rollout/shop/checkout", "health.rollout-stalled");
    assert_eq!(r.status, Status::Fail, "{}", r.message);
    let alert = g
        .alerts()
        .find(|a| a.check == "health.rollout-stalled")
        .unwrap();
    assert_eq!(alert.reason, "ProgressDeadlineExceeded");
    let unavailable = result(&g, "Rollout/shop/checkout", "health.unavailable");
    assert_eq!(unavailable.status, Status::Fail, "{}", unavailable.message);
    let g = grade(&with(
        "  phase: Healthy\n  replicas: 4\n  availableReplicas: 4\n  readyReplicas: 4\n",
    ));
    assert_eq!(
        status(&g, "Rollout/shop/checkout", "health.rollout-stalled"),
        Status::Pass
    );
    // A manifest says nothing about the running cluster.
    let g = grade(&base);
    assert_ne!(
        status(&g, "Rollout/shop/checkout", "health.rollout-stalled"),
        Status::Fail
    );
}

/// Regression: the AWS Load Balancer Controller's `use-annotation` port names an action defined
/// in an annotation (here an HTTPS redirect), not a Service.
#[test]
fn an_alb_action_backend_is_not_a_missing_service() {
    let ingress = |annotations: &str| {
        format!(
            r#"
apiVersion: v1
kind: Service
metadata: {{name: web, namespace: shop}}
spec: {{selector: {{app: web}}, ports: [{{name: http, port: 80}}]}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
{annotations}
spec:
  ingressClassName: alb
  rules:
    - http:
        paths:
          - {{path: /, pathType: Prefix, backend: {{service: {{name: ssl-redirect, port: {{name: use-annotation}}}}}}}}
          - {{path: /, pathType: Prefix, backend: {{service: {{name: web, port: {{name: http}}}}}}}}
"#
        )
    };
    let redirect = r#"    alb.ingress.kubernetes.io/actions.ssl-redirect: '{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}'"#;
    let g = grade(&ingress(redirect));
    let r = object_result(&g, "Ingress/shop/web", "ingress.backend");
    assert_eq!(r.status, Status::Pass, "{}", r.message);
    assert!(
        r.message.contains("ssl-redirect defined by"),
        "{}",
        r.message
    );
    // Without the annotation the controller has no action of that name either.
    let g = grade(&ingress(""));
    let r = object_result(&g, "Ingress/shop/web", "ingress.backend");
    assert_eq!(r.status, Status::Fail, "{}", r.message);
    assert!(r.message.contains("actions.ssl-redirect"), "{}", r.message);
}
