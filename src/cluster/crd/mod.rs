//! Typed objects of the custom resources shipshape grades: Argo Rollouts, KEDA, the Gateway
//! API, cert-manager and the Prometheus Operator.
//!
//! Each holds only the fields the checks read (anything else in the object is ignored, so a
//! newer version of a CRD still loads) and implements `k8s_openapi::Resource`, which makes it a
//! `kube::Resource` like the built-in kinds: the kind table, the stores and the watchers treat
//! it as one of them.

pub mod admission;
pub mod cert_manager;
pub mod external_secrets;
pub mod gateway;
pub mod karpenter;
pub mod keda;
pub mod prometheus;
pub mod rollout;
pub mod velero;

use serde::{Deserialize, Serialize};

/// A status condition as custom resources write it (`type`, `status`, `reason`, `message`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Condition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<String>,
}

/// The condition of `type_` in a list of conditions.
pub fn condition<'c>(conditions: &'c [Condition], type_: &str) -> Option<&'c Condition> {
    conditions.iter().find(|c| c.type_ == type_)
}

/// A spec shipshape does not read: the object is kept for its metadata (and status).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NoSpec {}

/// Defines a custom resource's typed object: `metadata`, `spec` and an optional `status`, the
/// `k8s_openapi` traits that make it a `kube::Resource`, and serialisation with its
/// `apiVersion` and `kind` (as the built-in kinds serialise).
macro_rules! custom_resource {
    ($(#[$doc:meta])* $name:ident, $group:literal, $version:literal, $plural:literal, $scope:ident, $spec:ty, $status:ty) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
        #[serde(default)]
        pub struct $name {
            pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
            pub spec: $spec,
            pub status: Option<$status>,
        }

        impl k8s_openapi::Resource for $name {
            const API_VERSION: &'static str = concat!($group, "/", $version);
            const GROUP: &'static str = $group;
            const KIND: &'static str = stringify!($name);
            const VERSION: &'static str = $version;
            const URL_PATH_SEGMENT: &'static str = $plural;
            type Scope = k8s_openapi::$scope;
        }

        impl k8s_openapi::Metadata for $name {
            type Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
            fn metadata(&self) -> &Self::Ty {
                &self.metadata
            }
            fn metadata_mut(&mut self) -> &mut Self::Ty {
                &mut self.metadata
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let mut s = serializer.serialize_struct(stringify!($name), 5)?;
                s.serialize_field("apiVersion", <$name as k8s_openapi::Resource>::API_VERSION)?;
                s.serialize_field("kind", <$name as k8s_openapi::Resource>::KIND)?;
                s.serialize_field("metadata", &self.metadata)?;
                s.serialize_field("spec", &self.spec)?;
                if let Some(status) = &self.status {
                    s.serialize_field("status", status)?;
                }
                s.end()
            }
        }
    };
}
pub(crate) use custom_resource;

/// The free-text status messages of a custom resource (condition messages, a Rollout's
/// message), for redaction: status messages are masked like every other message.
pub fn status_messages(object: &mut super::Object) -> Vec<&mut Option<String>> {
    use super::Object;
    fn of(conditions: &mut [Condition]) -> impl Iterator<Item = &mut Option<String>> {
        conditions.iter_mut().map(|c| &mut c.message)
    }
    let mut out = Vec::new();
    match object {
        Object::Rollout(r) => {
            if let Some(s) = r.status.as_mut() {
                out.push(&mut s.message);
                out.extend(of(&mut s.conditions));
            }
        }
        Object::ScaledObject(o) => {
            out.extend(o.status.iter_mut().flat_map(|s| of(&mut s.conditions)))
        }
        Object::GatewayClass(o) => {
            out.extend(o.status.iter_mut().flat_map(|s| of(&mut s.conditions)))
        }
        Object::Gateway(o) => out.extend(o.status.iter_mut().flat_map(|s| of(&mut s.conditions))),
        Object::HTTPRoute(o) => out.extend(
            o.status
                .iter_mut()
                .flat_map(|s| s.parents.iter_mut().flat_map(|p| of(&mut p.conditions))),
        ),
        Object::GRPCRoute(o) => out.extend(
            o.status
                .iter_mut()
                .flat_map(|s| s.parents.iter_mut().flat_map(|p| of(&mut p.conditions))),
        ),
        Object::Certificate(o) => {
            out.extend(o.status.iter_mut().flat_map(|s| of(&mut s.conditions)))
        }
        Object::Issuer(o) => out.extend(o.status.iter_mut().flat_map(|s| of(&mut s.conditions))),
        Object::ClusterIssuer(o) => {
            out.extend(o.status.iter_mut().flat_map(|s| of(&mut s.conditions)))
        }
        _ => {}
    }
    out
}
