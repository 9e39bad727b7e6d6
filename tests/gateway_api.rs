//! Gateway API objects graded from files: Gateways and routes are rows of their own like
//! Ingresses (`gateway.tls`, `gateway.programmed`, `route.backend`, `route.accepted`), the
//! workloads behind a route's Services serve traffic, and `cluster.ingress-class` reads
//! GatewayClasses. Each check passes, fails, is `n/a` and `unknown` where it should.

use shipshape::checks::{Severity, Status};
use shipshape::cluster::{ClusterModel, Kind, Msg};
use shipshape::config::Config;
use shipshape::grade::{grade_all, Grades};
use shipshape::testing::{grade, model, object, object_result, status};

const CLASS: &str = "---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: cilium}
spec: {controllerName: io.cilium/gateway-controller}
";

/// A Gateway in `gateways` with the listeners given (YAML flow items, one per line).
fn gateway(listeners: &[&str], status: &str) -> String {
    let mut s = String::from(
        "---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: gateways}
spec:
  gatewayClassName: cilium
  listeners:
",
    );
    for l in listeners {
        s.push_str(&format!("  - {l}\n"));
    }
    s.push_str(status);
    s
}

const HTTP_SHOP: &str = "{name: http, port: 80, protocol: HTTP, hostname: shop.example.com}";
const HTTPS_SHOP: &str = "{name: https, port: 443, protocol: HTTPS, hostname: shop.example.com, tls: {certificateRefs: [{name: shop-tls}]}}";

const SERVICE: &str = "---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
";

const DEPLOYMENT: &str = "---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ghcr.io/acme/web:1.0
        ports: [{containerPort: 8080}]
";

/// An HTTPRoute in `shop` sending to the backendRefs given, with an optional status.
fn route(backends: &str, status: &str) -> String {
    format!(
        "---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: web, namespace: shop}}
spec:
  parentRefs: [{{name: public, namespace: gateways, sectionName: https}}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: {backends}
{status}"
    )
}

fn route_status(conditions: &str) -> String {
    format!(
        "status:
  parents:
  - parentRef: {{name: public, namespace: gateways, sectionName: https}}
    controllerName: io.cilium/gateway-controller
    conditions: {conditions}
"
    )
}

fn gateway_status(conditions: &str) -> String {
    format!("status:\n  conditions: {conditions}\n")
}

/// Grades as a live cluster (status present means a controller wrote it).
fn live(yaml: &str, f: impl FnOnce(&mut ClusterModel)) -> Grades {
    let mut m = model(yaml);
    m.facts.from_manifests = false;
    f(&mut m);
    grade_all(&m, &Config::default())
}

const NAMESPACE: &str = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";

const GW: &str = "Gateway/gateways/public";
const ROUTE: &str = "HTTPRoute/shop/web";
const CLUSTER: &str = "Cluster//cluster";

#[test]
fn gateways_and_routes_are_rows_of_their_own() {
    let g = grade(&format!(
        "{CLASS}{}{SERVICE}{}",
        gateway(&[HTTPS_SHOP], ""),
        route("[{name: web, port: 80}]", "")
    ));
    let checks = |path: &str| -> Vec<String> {
        object(&g, path)
            .results
            .iter()
            .map(|r| r.check.to_string())
            .collect()
    };
    // The TLS its listeners terminate is graded on its row too.
    assert_eq!(
        checks(GW),
        ["ingress.cert-expiry", "gateway.tls", "gateway.programmed"]
    );
    assert_eq!(checks(ROUTE), ["route.backend", "route.accepted"]);
    // The Gateway's namespace holds nothing else, and is listed all the same.
    assert!(g.namespaces.contains_key("gateways"));
}

#[test]
fn route_backend() {
    let base = format!("{SERVICE}{DEPLOYMENT}");
    // Pass: an existing Service and port.
    let g = grade(&format!("{base}{}", route("[{name: web, port: 80}]", "")));
    let r = object_result(&g, ROUTE, "route.backend");
    assert_eq!((r.status, r.severity), (Status::Pass, Severity::Critical));
    assert!(r.message.contains("web:80"), "{}", r.message);
    // Fail: a missing Service, and a port the Service does not have.
    let g = grade(&format!(
        "{base}{}",
        route(
            "[{name: web, port: 8080, weight: 90}, {name: web-canary, port: 80, weight: 10}]",
            ""
        )
    ));
    let r = object_result(&g, ROUTE, "route.backend");
    assert_eq!(r.status, Status::Fail);
    assert!(
        r.message
            .contains("Service web has no port 8080 (it has 80)"),
        "{}",
        r.message
    );
    assert!(
        r.message.contains("Service web-canary does not exist"),
        "{}",
        r.message
    );
    // A Service in another namespace is looked up there.
    let other = SERVICE.replace("namespace: shop", "namespace: payments");
    let g = grade(&format!(
        "{other}{}",
        route("[{name: web, namespace: payments, port: 80}]", "")
    ));
    let r = object_result(&g, ROUTE, "route.backend");
    assert_eq!(r.status, Status::Pass, "{}", r.message);
    assert!(r.message.contains("payments/web:80"), "{}", r.message);
    // n/a: only backends that are not Services, or none at all (a redirect).
    let g = grade(&format!(
        "{base}{}",
        route(
            "[{group: multicluster.x-k8s.io, kind: ServiceImport, name: web, port: 80}]",
            ""
        )
    ));
    assert_eq!(
        object_result(&g, ROUTE, "route.backend").status,
        Status::NotApplicable
    );
    let g = grade(&format!("{base}{}", route("[]", "")));
    assert_eq!(
        object_result(&g, ROUTE, "route.backend").status,
        Status::NotApplicable
    );
    // Unknown: Services cannot be seen.
    let g = live(&route("[{name: web, port: 80}]", ""), |m| {
        m.apply(Msg::Forbidden(Kind::Service));
    });
    let r = object_result(&g, ROUTE, "route.backend");
    assert_eq!(r.status, Status::Unknown);
    assert!(r.message.contains("Service (forbidden)"), "{}", r.message);
}

#[test]
fn route_accepted() {
    let base = format!("{SERVICE}{DEPLOYMENT}");
    let accepted = route_status(
        "[{type: Accepted, status: \"True\", reason: Accepted}, {type: ResolvedRefs, status: \"True\", reason: ResolvedRefs}]",
    );
    let g = live(
        &format!("{base}{}", route("[{name: web, port: 80}]", &accepted)),
        |_| {},
    );
    let r = object_result(&g, ROUTE, "route.accepted");
    assert_eq!((r.status, r.severity), (Status::Pass, Severity::Critical));
    assert!(
        r.message.contains("Gateway gateways/public (https)"),
        "{}",
        r.message
    );
    // Fail: the listener does not allow the route, or a reference does not resolve.
    let refused = route_status(
        "[{type: Accepted, status: \"False\", reason: NotAllowedByListeners, message: \"no listener allows routes from namespace shop\"}]",
    );
    let g = live(
        &format!("{base}{}", route("[{name: web, port: 80}]", &refused)),
        |_| {},
    );
    let r = object_result(&g, ROUTE, "route.accepted");
    assert_eq!(r.status, Status::Fail);
    assert!(
        r.message.contains(
            "Accepted=False (NotAllowedByListeners: no listener allows routes from namespace shop)"
        ),
        "{}",
        r.message
    );
    let unresolved = route_status(
        "[{type: Accepted, status: \"True\"}, {type: ResolvedRefs, status: \"False\", reason: BackendNotFound}]",
    );
    let g = live(
        &format!("{base}{}", route("[{name: web, port: 80}]", &unresolved)),
        |_| {},
    );
    let r = object_result(&g, ROUTE, "route.accepted");
    assert_eq!(r.status, Status::Fail);
    assert!(
        r.message.contains("ResolvedRefs=False (BackendNotFound)"),
        "{}",
        r.message
    );
    // Unknown from manifests, which carry no status; and on a live cluster while no
    // controller has reported, or the report is still pending.
    let g = grade(&format!("{base}{}", route("[{name: web, port: 80}]", "")));
    let r = object_result(&g, ROUTE, "route.accepted");
    assert_eq!(r.status, Status::Unknown);
    assert!(r.message.contains("manifests"), "{}", r.message);
    let g = live(
        &format!("{base}{}", route("[{name: web, port: 80}]", "")),
        |_| {},
    );
    assert_eq!(
        object_result(&g, ROUTE, "route.accepted").status,
        Status::Unknown
    );
    let pending = route_status("[{type: Accepted, status: Unknown, reason: Pending}]");
    let g = live(
        &format!("{base}{}", route("[{name: web, port: 80}]", &pending)),
        |_| {},
    );
    assert_eq!(
        object_result(&g, ROUTE, "route.accepted").status,
        Status::Unknown
    );
    // n/a: a live route that names no parent attaches to nothing.
    let orphan = route("[{name: web, port: 80}]", "").replace(
        "  parentRefs: [{name: public, namespace: gateways, sectionName: https}]\n",
        "",
    );
    let g = live(&format!("{base}{orphan}"), |_| {});
    assert_eq!(
        object_result(&g, ROUTE, "route.accepted").status,
        Status::NotApplicable
    );
}

#[test]
fn a_grpc_route_is_graded_like_an_http_route() {
    let grpc = route("[{name: web, port: 81}]", "").replace("kind: HTTPRoute", "kind: GRPCRoute");
    let g = grade(&format!("{SERVICE}{grpc}"));
    let r = object_result(&g, "GRPCRoute/shop/web", "route.backend");
    assert_eq!(r.status, Status::Fail);
    assert!(r.message.contains("no port 81"), "{}", r.message);
}

#[test]
fn gateway_tls() {
    // Pass: the HTTP hostname has an HTTPS listener (the HTTP one redirects).
    let g = grade(&format!("{CLASS}{}", gateway(&[HTTP_SHOP, HTTPS_SHOP], "")));
    let r = object_result(&g, GW, "gateway.tls");
    assert_eq!((r.status, r.severity), (Status::Pass, Severity::Warning));
    // A wildcard HTTPS listener covers one label; a hostless one covers every hostname.
    let wildcard = "{name: https, port: 443, protocol: HTTPS, hostname: \"*.example.com\", tls: {certificateRefs: [{name: wildcard}]}}";
    let g = grade(&gateway(&[HTTP_SHOP, wildcard], ""));
    assert_eq!(object_result(&g, GW, "gateway.tls").status, Status::Pass);
    let passthrough = "{name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}}";
    let g = grade(&gateway(&[HTTP_SHOP, passthrough], ""));
    assert_eq!(object_result(&g, GW, "gateway.tls").status, Status::Pass);
    // Fail: a hostname only on HTTP.
    let api = "{name: api, port: 80, protocol: HTTP, hostname: api.example.com}";
    let g = grade(&gateway(&[HTTP_SHOP, HTTPS_SHOP, api], ""));
    let r = object_result(&g, GW, "gateway.tls");
    assert_eq!(r.status, Status::Fail);
    assert!(
        r.message
            .contains("api.example.com (listener api) is served only over plain HTTP"),
        "{}",
        r.message
    );
    assert!(!r.message.contains("shop.example.com"), "{}", r.message);
    // A wildcard HTTP listener is not covered by one host's certificate.
    let any = "{name: http, port: 80, protocol: HTTP, hostname: \"*.example.com\"}";
    let g = grade(&gateway(&[any, HTTPS_SHOP], ""));
    assert_eq!(object_result(&g, GW, "gateway.tls").status, Status::Fail);
    // n/a: no HTTP listener names a hostname (which hosts it serves is up to its routes).
    let hostless = "{name: http, port: 80, protocol: HTTP}";
    let g = grade(&gateway(&[hostless], ""));
    assert_eq!(
        object_result(&g, GW, "gateway.tls").status,
        Status::NotApplicable
    );
}

#[test]
fn gateway_programmed() {
    let gw = |conditions: &str| gateway(&[HTTPS_SHOP], &gateway_status(conditions));
    let g = live(
        &gw("[{type: Accepted, status: \"True\"}, {type: Programmed, status: \"True\"}]"),
        |_| {},
    );
    let r = object_result(&g, GW, "gateway.programmed");
    assert_eq!((r.status, r.severity), (Status::Pass, Severity::Critical));
    let g = live(
        &gw("[{type: Accepted, status: \"True\"}, {type: Programmed, status: \"False\", reason: AddressNotAssigned, message: \"no load balancer address\"}]"),
        |_| {},
    );
    let r = object_result(&g, GW, "gateway.programmed");
    assert_eq!(r.status, Status::Fail);
    assert!(
        r.message
            .contains("Programmed=False (AddressNotAssigned: no load balancer address)"),
        "{}",
        r.message
    );
    let g = live(
        &gw("[{type: Accepted, status: \"False\", reason: InvalidParameters}]"),
        |_| {},
    );
    let r = object_result(&g, GW, "gateway.programmed");
    assert_eq!(r.status, Status::Fail);
    assert!(r.message.contains("Accepted=False"), "{}", r.message);
    // Unknown: manifests carry no status; a live Gateway still pending.
    let g = grade(&gateway(&[HTTPS_SHOP], ""));
    let r = object_result(&g, GW, "gateway.programmed");
    assert_eq!(r.status, Status::Unknown);
    assert!(r.message.contains("manifests"), "{}", r.message);
    let g = live(
        &gw("[{type: Accepted, status: Unknown, reason: Pending}, {type: Programmed, status: Unknown, reason: Pending}]"),
        |_| {},
    );
    assert_eq!(
        object_result(&g, GW, "gateway.programmed").status,
        Status::Unknown
    );
}

#[test]
fn cluster_ingress_class_reads_gateway_classes() {
    let gw = gateway(&[HTTPS_SHOP], "");
    // Pass: the Gateway's class exists.
    let r = object_result(
        &live(&format!("{CLASS}{gw}"), |_| {}),
        CLUSTER,
        "cluster.ingress-class",
    )
    .clone();
    assert_eq!(r.status, Status::Pass, "{}", r.message);
    assert!(r.message.contains("GatewayClass (cilium)"), "{}", r.message);
    // Fail: it names a class that does not exist.
    let typo = gw.replace("gatewayClassName: cilium", "gatewayClassName: cillium");
    let r = object_result(
        &live(&format!("{CLASS}{typo}"), |_| {}),
        CLUSTER,
        "cluster.ingress-class",
    )
    .clone();
    assert_eq!(r.status, Status::Fail);
    assert!(
        r.message
            .contains("Gateway gateways/public names GatewayClass cillium, which does not exist"),
        "{}",
        r.message
    );
    // A failing Ingress half and a passing Gateway half: the check fails on the Ingress.
    let ingress = "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec: {ingressClassName: nginx, rules: [{host: shop.example.com}]}\n";
    let r = object_result(
        &live(&format!("{CLASS}{gw}{ingress}"), |_| {}),
        CLUSTER,
        "cluster.ingress-class",
    )
    .clone();
    assert_eq!(r.status, Status::Fail);
    assert!(r.message.contains("no IngressClass"), "{}", r.message);
    assert!(!r.message.contains("Gateway"), "{}", r.message);
    // n/a: the Gateway API is not served and there are no Ingresses.
    let r = object_result(
        &live(NAMESPACE, |m| {
            for k in [
                Kind::Gateway,
                Kind::GatewayClass,
                Kind::HTTPRoute,
                Kind::GRPCRoute,
            ] {
                m.apply(Msg::NotServed(k));
            }
        }),
        CLUSTER,
        "cluster.ingress-class",
    )
    .clone();
    assert_eq!(r.status, Status::NotApplicable, "{}", r.message);
    // Unknown: Gateways forbidden, or GatewayClasses absent from the manifests.
    let r = object_result(
        &live(NAMESPACE, |m| {
            m.apply(Msg::Forbidden(Kind::Gateway));
        }),
        CLUSTER,
        "cluster.ingress-class",
    )
    .clone();
    assert_eq!(r.status, Status::Unknown);
    assert!(r.message.contains("Gateway (forbidden)"), "{}", r.message);
    let r = object_result(&grade(&gw), CLUSTER, "cluster.ingress-class").clone();
    assert_eq!(r.status, Status::Unknown);
    assert!(r.message.contains("no GatewayClass"), "{}", r.message);
}

#[test]
fn a_forbidden_or_unserved_gateway_api_grades_no_rows() {
    let yaml = format!(
        "{CLASS}{}{SERVICE}{}",
        gateway(&[HTTPS_SHOP], ""),
        route("[{name: web, port: 80}]", "")
    );
    let kinds = [
        Kind::GatewayClass,
        Kind::Gateway,
        Kind::HTTPRoute,
        Kind::GRPCRoute,
    ];
    for not_served in [true, false] {
        let g = live(&yaml, |m| {
            for k in kinds {
                m.stores.clear(k);
                m.apply(if not_served {
                    Msg::NotServed(k)
                } else {
                    Msg::Forbidden(k)
                });
            }
        });
        assert!(
            !g.objects
                .values()
                .any(|o| matches!(o.key.kind(), "Gateway" | "HTTPRoute")),
            "no rows for objects it cannot see"
        );
        let r = object_result(&g, CLUSTER, "cluster.ingress-class");
        let want = if not_served {
            Status::NotApplicable
        } else {
            Status::Unknown
        };
        assert_eq!(r.status, want, "{}", r.message);
    }
}

/// The workloads behind a route's backend Services serve traffic: the checks that ask "does
/// anything send this workload traffic?" say yes.
#[test]
fn workloads_behind_a_route_serve_traffic() {
    let g = grade(&format!(
        "{SERVICE}{DEPLOYMENT}{}",
        route("[{name: web, port: 80}]", "")
    ));
    let readiness = shipshape::testing::result(&g, "Deployment/shop/web", "probe.readiness");
    assert_eq!(
        (readiness.status, readiness.severity),
        (Status::Fail, Severity::Critical)
    );
    assert_ne!(
        status(&g, "Deployment/shop/web", "lifecycle.prestop"),
        Status::NotApplicable
    );
}

mod support;

/// The live path: a cluster whose Gateway API is still served at `v1beta1` only (and has no
/// GRPCRoute) is read at that version, and the verdicts follow the route's and the Gateway's
/// status as their controller rewrites it.
mod live_cluster {
    use super::support::apiserver::ApiServer;
    use super::support::watching::Following;
    use serde_json::{json, Value};
    use shipshape::checks::Status;
    use shipshape::cluster::{Kind, SyncState};
    use shipshape::engine::Engine;

    const GROUP: &str = "gateway.networking.k8s.io";

    fn verdict(engine: &Engine, path: &str, check: &str) -> Option<(Status, String)> {
        let mut parts = path.splitn(3, '/');
        let (kind, ns, name) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        engine
            .grades()
            .objects
            .values()
            .find(|o| o.key.is(kind, ns, name))?
            .results
            .iter()
            .find(|r| r.check == check)
            .map(|r| (r.status, r.message.to_string()))
    }

    fn gateway(programmed: &str) -> Value {
        json!({
            "apiVersion": format!("{GROUP}/v1beta1"), "kind": "Gateway",
            "metadata": {"name": "public", "namespace": "shop"},
            "spec": {"gatewayClassName": "cilium",
                     "listeners": [{"name": "https", "port": 443, "protocol": "HTTPS", "hostname": "shop.example.com",
                                    "tls": {"certificateRefs": [{"name": "shop-tls"}]}}]},
            "status": {"conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted"},
                                      {"type": "Programmed", "status": programmed, "reason": if programmed == "True" { "Programmed" } else { "AddressNotAssigned" }}]}
        })
    }

    fn route(accepted: &str) -> Value {
        json!({
            "apiVersion": format!("{GROUP}/v1beta1"), "kind": "HTTPRoute",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"parentRefs": [{"name": "public"}],
                     "rules": [{"backendRefs": [{"name": "web", "port": 80}]}]},
            "status": {"parents": [{"parentRef": {"name": "public"},
                                    "controllerName": "io.cilium/gateway-controller",
                                    "conditions": [{"type": "Accepted", "status": accepted,
                                                    "reason": if accepted == "True" { "Accepted" } else { "NotAllowedByListeners" }}]}]}
        })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_v1beta1_gateway_api_is_read_and_its_status_changes_reach_the_verdicts() {
        let server = ApiServer::start().await;
        server.serve_group_at(GROUP, &["v1beta1"]);
        server.unserve("grpcroutes");
        server
            .apply(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}));
        server.apply(json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}));
        server.apply(json!({"apiVersion": format!("{GROUP}/v1beta1"), "kind": "GatewayClass",
            "metadata": {"name": "cilium"}, "spec": {"controllerName": "io.cilium/gateway-controller"}}));
        server.apply(gateway("True"));
        server.apply(route("True"));
        let dir = tempfile::tempdir().unwrap();
        let mut w = Following::start(&server, dir.path()).await;
        w.until("the route to be graded", |e| {
            verdict(e, "HTTPRoute/shop/web", "route.accepted").is_some()
        })
        .await;
        let model = w.engine.model();
        for kind in [Kind::GatewayClass, Kind::Gateway, Kind::HTTPRoute] {
            assert_eq!(model.sync_state(kind), SyncState::Synced, "{kind}");
        }
        // No version of the group lists GRPCRoutes: not installed, so nothing to judge.
        assert_eq!(model.sync_state(Kind::GRPCRoute), SyncState::NotServed);
        let e = &w.engine;
        assert_eq!(
            verdict(e, "HTTPRoute/shop/web", "route.accepted")
                .unwrap()
                .0,
            Status::Pass
        );
        assert_eq!(
            verdict(e, "HTTPRoute/shop/web", "route.backend").unwrap().0,
            Status::Pass
        );
        assert_eq!(
            verdict(e, "Gateway/shop/public", "gateway.programmed")
                .unwrap()
                .0,
            Status::Pass
        );
        assert_eq!(
            verdict(e, "Cluster//cluster", "cluster.ingress-class")
                .unwrap()
                .0,
            Status::Pass
        );

        // The listener stops allowing the route.
        server.apply(route("False"));
        w.until("the route to be refused", |e| {
            verdict(e, "HTTPRoute/shop/web", "route.accepted").is_some_and(|v| v.0 == Status::Fail)
        })
        .await;
        let (_, message) = verdict(&w.engine, "HTTPRoute/shop/web", "route.accepted").unwrap();
        assert!(
            message.contains("Accepted=False (NotAllowedByListeners)"),
            "{message}"
        );
        // The Gateway loses its address, then gets it back.
        server.apply(gateway("False"));
        w.until("the Gateway to lose Programmed", |e| {
            verdict(e, "Gateway/shop/public", "gateway.programmed")
                .is_some_and(|v| v.0 == Status::Fail)
        })
        .await;
        server.apply(gateway("True"));
        server.apply(route("True"));
        w.until("both to recover", |e| {
            verdict(e, "Gateway/shop/public", "gateway.programmed")
                .is_some_and(|v| v.0 == Status::Pass)
                && verdict(e, "HTTPRoute/shop/web", "route.accepted")
                    .is_some_and(|v| v.0 == Status::Pass)
        })
        .await;
        // A Service the route names goes away: route.backend follows.
        server.delete(Kind::Service, "shop", "web");
        w.until("the backend to go", |e| {
            verdict(e, "HTTPRoute/shop/web", "route.backend").is_some_and(|v| v.0 == Status::Fail)
        })
        .await;

        // Every Gateway API request went to the version the cluster serves.
        let asked: Vec<String> = server
            .requests()
            .iter()
            .map(|r| r.uri.clone())
            .filter(|u| u.contains(&format!("{GROUP}/v1/")) || u.ends_with(&format!("{GROUP}/v1")))
            .collect();
        assert!(asked.is_empty(), "{asked:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_forbidden_gateway_kind_leaves_the_class_check_unknown() {
        let server = ApiServer::start().await;
        server.forbid("gateways");
        server
            .apply(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}));
        server.apply(route("True"));
        let dir = tempfile::tempdir().unwrap();
        let mut w = Following::start(&server, dir.path()).await;
        w.until("the cluster row", |e| {
            verdict(e, "Cluster//cluster", "cluster.ingress-class").is_some()
        })
        .await;
        assert_eq!(
            w.engine.model().sync_state(Kind::Gateway),
            SyncState::Forbidden
        );
        let (status, message) =
            verdict(&w.engine, "Cluster//cluster", "cluster.ingress-class").unwrap();
        assert_eq!(status, Status::Unknown, "{message}");
        assert!(message.contains("Gateway (forbidden)"), "{message}");
    }
}
