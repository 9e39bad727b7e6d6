//! `route.*` — Gateway API routes (HTTPRoute, GRPCRoute) that send traffic somewhere and that
//! their Gateways accept (checklist section X; seed 003 "Configure routing and ingress").

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{Category, Context, Severity, Subject, Verdict};
use crate::cluster::crd::gateway::{GRPCRoute, HTTPRoute, ObjectRef, RouteSpec, RouteStatus};
use crate::cluster::crd::Condition;
use crate::cluster::Kind;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            Section { category: Category::Networking, subject: Subject::Route },
            "route.backend",
            Severity::Critical,
            "Route backends exist",
            "a route's backendRef names a Service or port that does not exist (other backend kinds are n/a)",
            "A backendRef to a missing Service or port makes the Gateway answer 500 for the share of requests sent to it (and the route reports ResolvedRefs=False).",
            "Name an existing Service and one of its ports:\n\nrules:\n  - backendRefs:\n      - name: web\n        port: 80",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Service],
        grade: Grade::Route(backend),
    },
    Check {
        def: def(
            Section { category: Category::Networking, subject: Subject::Route },
            "route.accepted",
            Severity::Critical,
            "Gateways accept the route",
            "runtime: a parent reports the route `Accepted=False` or `ResolvedRefs=False` (unknown from manifests)",
            "A route its Gateway does not accept (wrong hostname, a listener that does not allow its namespace, a missing parent) or whose references do not resolve serves no traffic at all, or errors for the unresolved backends.",
            "Read the condition's reason (`kubectl describe httproute <name>`), then fix the parentRef (name, namespace, sectionName), the listener's allowedRoutes, or the backendRefs it names:\n\nspec:\n  parentRefs:\n    - name: public\n      namespace: gateways\n      sectionName: https",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Route(accepted),
    },
];

/// An HTTPRoute or a GRPCRoute: what the route checks read of either.
#[derive(Clone, Copy)]
pub struct RouteView<'a> {
    pub kind: Kind,
    pub meta: &'a ObjectMeta,
    pub spec: &'a RouteSpec,
    pub status: Option<&'a RouteStatus>,
}

impl<'a> RouteView<'a> {
    pub fn http(r: &'a HTTPRoute) -> RouteView<'a> {
        RouteView {
            kind: Kind::HTTPRoute,
            meta: &r.metadata,
            spec: &r.spec,
            status: r.status.as_ref(),
        }
    }

    pub fn grpc(r: &'a GRPCRoute) -> RouteView<'a> {
        RouteView {
            kind: Kind::GRPCRoute,
            meta: &r.metadata,
            spec: &r.spec,
            status: r.status.as_ref(),
        }
    }

    pub fn namespace(&self) -> &'a str {
        self.meta.namespace.as_deref().unwrap_or_default()
    }

    pub fn name(&self) -> &'a str {
        self.meta.name.as_deref().unwrap_or_default()
    }

    /// The namespaces of the Services its backendRefs name (its own when they name none).
    pub fn backend_namespaces(&self) -> impl Iterator<Item = &'a str> + 'a {
        let own = self.namespace();
        self.spec
            .backend_refs()
            .filter(|b| b.is_service())
            .map(move |b| b.namespace_or(own))
    }
}

/// Every route of a namespace, HTTPRoutes then GRPCRoutes.
pub fn routes_in<'m>(cx: &Context<'m>, ns: &str) -> Vec<RouteView<'m>> {
    let stores = &cx.model.stores;
    super::context::in_namespace(&stores.http_routes, ns)
        .map(RouteView::http)
        .chain(super::context::in_namespace(&stores.grpc_routes, ns).map(RouteView::grpc))
        .collect()
}

/// Every route in the model.
pub fn all_routes<'m>(cx: &Context<'m>) -> impl Iterator<Item = RouteView<'m>> {
    let stores = &cx.model.stores;
    stores
        .http_routes
        .values()
        .map(|r| RouteView::http(r))
        .chain(stores.grpc_routes.values().map(|r| RouteView::grpc(r)))
}

/// How a backendRef reads in a finding: `web:80`, `payments/web:80`.
fn target(b: &ObjectRef, own: &str) -> String {
    let ns = b.namespace_or(own);
    let at = if ns == own {
        b.name.clone()
    } else {
        format!("{ns}/{}", b.name)
    };
    match b.port {
        Some(p) => format!("{at}:{p}"),
        None => at,
    }
}

fn backend(route: &RouteView, cx: &Context) -> Verdict {
    let own = route.namespace();
    let refs: Vec<&ObjectRef> = route.spec.backend_refs().collect();
    let services: Vec<&ObjectRef> = refs.iter().copied().filter(|b| b.is_service()).collect();
    if services.is_empty() {
        return Verdict::na(if refs.is_empty() {
            "the route has no backendRefs (redirects or filters only)"
        } else {
            "the route sends traffic only to backends that are not Services"
        });
    }
    if let Some(why) = cx.missing(&[Kind::Service]) {
        return Verdict::unknown(why);
    }
    let mut problems: Vec<String> = Vec::new();
    for b in &services {
        let at = target(b, own);
        let key = (b.namespace_or(own).to_string(), b.name.clone());
        let Some(svc) = cx.model.stores.services.get(&key) else {
            problems.push(format!(
                "backendRef {at}: Service {} does not exist",
                b.name
            ));
            continue;
        };
        let spec = svc.spec.as_ref();
        let ports: Vec<i32> = spec
            .and_then(|s| s.ports.as_ref())
            .into_iter()
            .flatten()
            .map(|p| p.port)
            .collect();
        let external = spec.and_then(|s| s.type_.as_deref()) == Some("ExternalName");
        match b.port {
            // The API requires a port for a Service backend; the route reports it unresolved.
            None if !external => problems.push(format!(
                "backendRef {at}: names no port (a Service backend needs one)"
            )),
            Some(p) if !(ports.contains(&p) || external && ports.is_empty()) => {
                let have: Vec<String> = ports.iter().map(i32::to_string).collect();
                problems.push(format!(
                    "backendRef {at}: Service {} has no port {p} (it has {})",
                    b.name,
                    if have.is_empty() {
                        "none".to_string()
                    } else {
                        have.join(", ")
                    }
                ));
            }
            _ => {}
        }
    }
    problems.dedup();
    if problems.is_empty() {
        let mut names: Vec<String> = services.iter().map(|b| target(b, own)).collect();
        names.sort_unstable();
        names.dedup();
        Verdict::pass(format!(
            "every backendRef names an existing Service and port ({})",
            names.join(", ")
        ))
    } else {
        Verdict::fail(problems.join("; "))
    }
}

/// A condition that is explicitly `False`, as `Accepted=False (NotAllowedByListeners: …)`.
pub(super) fn refused(c: &Condition) -> Option<String> {
    if c.status != "False" {
        return None;
    }
    let mut s = format!("{}=False", c.type_);
    match (c.reason.as_deref(), c.message.as_deref()) {
        (Some(r), Some(m)) if !m.is_empty() => s.push_str(&format!(" ({r}: {m})")),
        (Some(r), _) => s.push_str(&format!(" ({r})")),
        (None, Some(m)) if !m.is_empty() => s.push_str(&format!(" ({m})")),
        _ => {}
    }
    Some(s)
}

fn accepted(route: &RouteView, cx: &Context) -> Verdict {
    let parents = route.status.map(|s| s.parents.as_slice()).unwrap_or(&[]);
    if parents.is_empty() {
        return if cx.model.facts.from_manifests {
            Verdict::unknown("manifests carry no route status: whether its Gateways accept it is known only on a live cluster")
        } else if route.spec.parent_refs.is_empty() {
            Verdict::na("the route names no parent Gateway")
        } else {
            Verdict::unknown(
                "no Gateway controller has reported on the route yet (is one running for its Gateway's class?)",
            )
        };
    }
    let own = route.namespace();
    let mut problems = Vec::new();
    let mut accepted_by = Vec::new();
    let mut pending = Vec::new();
    for p in parents {
        let r = &p.parent_ref;
        let parent = format!("{} {}", r.kind.as_deref().unwrap_or("Gateway"), {
            let ns = r.namespace_or(own);
            let mut s = format!("{ns}/{}", r.name);
            if let Some(section) = &r.section_name {
                s.push_str(&format!(" ({section})"));
            }
            s
        });
        let refusals: Vec<String> = p
            .conditions
            .iter()
            .filter(|c| c.type_ == "Accepted" || c.type_ == "ResolvedRefs")
            .filter_map(refused)
            .collect();
        let says_accepted = p
            .conditions
            .iter()
            .any(|c| c.type_ == "Accepted" && c.status == "True");
        if !refusals.is_empty() {
            problems.push(format!("{parent} reports {}", refusals.join(", ")));
        } else if says_accepted {
            accepted_by.push(parent);
        } else {
            pending.push(parent);
        }
    }
    if !problems.is_empty() {
        Verdict::fail(problems.join("; "))
    } else if accepted_by.is_empty() {
        Verdict::unknown(format!(
            "{} has not accepted the route yet (no Accepted=True)",
            pending.join(", ")
        ))
    } else {
        Verdict::pass(format!("accepted by {}", accepted_by.join(", ")))
    }
}

/// The namespaces of routes that send traffic to Services in one of `namespaces` from another
/// namespace: their `route.backend` results read those Services.
pub fn namespaces_routing_into(
    cx: &Context,
    namespaces: &std::collections::BTreeSet<String>,
) -> Vec<String> {
    let mut out: Vec<String> = all_routes(cx)
        .filter(|r| {
            r.backend_namespaces()
                .any(|ns| ns != r.namespace() && namespaces.contains(ns))
        })
        .map(|r| r.namespace().to_string())
        .collect();
    out.dedup();
    out
}
