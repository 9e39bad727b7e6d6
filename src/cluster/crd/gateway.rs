//! The Gateway API (`gateway.networking.k8s.io/v1`, `v1beta1` read as the same shape): a
//! `GatewayClass` names the controller that implements it, a `Gateway` its listeners, and
//! `HTTPRoute`s and `GRPCRoute`s attach to Gateways and send traffic to Services.

use super::{custom_resource, Condition};
use serde::{Deserialize, Serialize};

custom_resource!(
    /// A Gateway API GatewayClass.
    GatewayClass, "gateway.networking.k8s.io", "v1", "gatewayclasses", ClusterResourceScope, GatewayClassSpec, ConditionsStatus
);

custom_resource!(
    /// A Gateway API Gateway.
    Gateway, "gateway.networking.k8s.io", "v1", "gateways", NamespaceResourceScope, GatewaySpec, ConditionsStatus
);

custom_resource!(
    /// A Gateway API HTTPRoute.
    HTTPRoute, "gateway.networking.k8s.io", "v1", "httproutes", NamespaceResourceScope, RouteSpec, RouteStatus
);

custom_resource!(
    /// A Gateway API GRPCRoute.
    GRPCRoute, "gateway.networking.k8s.io", "v1", "grpcroutes", NamespaceResourceScope, RouteSpec, RouteStatus
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GatewayClassSpec {
    pub controller_name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConditionsStatus {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GatewaySpec {
    pub gateway_class_name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listeners: Vec<Listener>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Listener {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    pub port: i32,
    /// `HTTP`, `HTTPS`, `TLS`, `TCP` or `UDP`.
    pub protocol: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<ListenerTls>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ListenerTls {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificate_refs: Vec<ObjectRef>,
}

/// A reference to an object by group, kind, namespace and name (a backendRef, a parentRef, a
/// certificateRef); absent group and kind mean the core group's default kind for the field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section_name: Option<String>,
}

impl ObjectRef {
    /// A core Service (the default when group and kind are not given, as for backendRefs).
    pub fn is_service(&self) -> bool {
        self.group.as_deref().unwrap_or("").is_empty()
            && self.kind.as_deref().unwrap_or("Service") == "Service"
    }

    /// A Gateway (the default for parentRefs).
    pub fn is_gateway(&self) -> bool {
        self.group.as_deref().unwrap_or("gateway.networking.k8s.io") == "gateway.networking.k8s.io"
            && self.kind.as_deref().unwrap_or("Gateway") == "Gateway"
    }

    /// The namespace the reference points into, from an object in `own`.
    pub fn namespace_or<'a>(&'a self, own: &'a str) -> &'a str {
        self.namespace
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(own)
    }
}

/// What HTTPRoute and GRPCRoute share that the checks read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RouteSpec {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parent_refs: Vec<ObjectRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hostnames: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RouteRule>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RouteRule {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backend_refs: Vec<ObjectRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RouteStatus {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<RouteParentStatus>,
}

/// What one parent (Gateway) says of the route.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RouteParentStatus {
    pub parent_ref: ObjectRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

impl RouteSpec {
    /// Every backendRef of every rule.
    pub fn backend_refs(&self) -> impl Iterator<Item = &ObjectRef> {
        self.rules.iter().flat_map(|r| r.backend_refs.iter())
    }
}

/// A route of either kind, for code that treats them alike.
pub trait Route {
    fn route_spec(&self) -> &RouteSpec;
    fn route_status(&self) -> Option<&RouteStatus>;
}

impl Route for HTTPRoute {
    fn route_spec(&self) -> &RouteSpec {
        &self.spec
    }
    fn route_status(&self) -> Option<&RouteStatus> {
        self.status.as_ref()
    }
}

impl Route for GRPCRoute {
    fn route_spec(&self) -> &RouteSpec {
        &self.spec
    }
    fn route_status(&self) -> Option<&RouteStatus> {
        self.status.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_route_reads_its_parents_backends_and_status() {
        let r: HTTPRoute = serde_json::from_value(json!({
            "metadata": {"name": "shop", "namespace": "shop"},
            "spec": {"parentRefs": [{"name": "public", "namespace": "gateways", "sectionName": "https"}],
                     "hostnames": ["shop.example.com"],
                     "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                                "backendRefs": [{"name": "web", "port": 80, "weight": 90},
                                                {"group": "", "kind": "Service", "name": "web-canary", "port": 80},
                                                {"group": "example.com", "kind": "Bucket", "name": "static"}]}]},
            "status": {"parents": [{"parentRef": {"name": "public"}, "controllerName": "example.com/gw",
                                    "conditions": [{"type": "Accepted", "status": "True"},
                                                   {"type": "ResolvedRefs", "status": "False", "reason": "BackendNotFound"}]}]}
        }))
        .unwrap();
        let backends: Vec<(&str, bool)> = r
            .spec
            .backend_refs()
            .map(|b| (b.name.as_str(), b.is_service()))
            .collect();
        assert_eq!(
            backends,
            [("web", true), ("web-canary", true), ("static", false)]
        );
        assert!(r.spec.parent_refs[0].is_gateway());
        assert_eq!(r.spec.parent_refs[0].namespace_or("shop"), "gateways");
        let parents = &r.route_status().unwrap().parents;
        assert_eq!(
            parents[0].conditions[1].reason.as_deref(),
            Some("BackendNotFound")
        );
    }

    #[test]
    fn a_gateway_reads_its_listeners_and_certificates() {
        let g: Gateway = serde_json::from_value(json!({
            "metadata": {"name": "public", "namespace": "gateways"},
            "spec": {"gatewayClassName": "cilium",
                     "listeners": [{"name": "http", "port": 80, "protocol": "HTTP", "hostname": "shop.example.com"},
                                   {"name": "https", "port": 443, "protocol": "HTTPS", "hostname": "shop.example.com",
                                    "tls": {"mode": "Terminate", "certificateRefs": [{"name": "shop-tls"}]}}]},
            "status": {"conditions": [{"type": "Programmed", "status": "True"}]}
        }))
        .unwrap();
        assert_eq!(g.spec.gateway_class_name, "cilium");
        assert_eq!(
            g.spec.listeners[1].tls.as_ref().unwrap().certificate_refs[0].name,
            "shop-tls"
        );
        assert_eq!(g.status.unwrap().conditions[0].type_, "Programmed");
    }
}
