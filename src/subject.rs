//! What a graded row that is not a workload is about: a namespace's guardrails, a modelled
//! object graded on its own (a Service, an Ingress), the cluster, or an object written in an
//! API version Kubernetes no longer serves. Reports, the dashboard and the exporter select and
//! order these rows by this key, never by comparing kind strings.

use crate::cluster::{Kind, ObjectKey};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::cmp::Ordering;

/// The key of a row that is not a workload.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SubjectKey {
    /// A namespace's guardrails.
    Namespace(String),
    /// A modelled object in a row of its own.
    Object(ObjectKey),
    /// The cluster itself.
    Cluster,
    /// An object written in a removed API version, of any kind (kinds shipshape does not
    /// model included), from manifest input.
    Removed {
        kind: String,
        namespace: String,
        name: String,
    },
}

/// The name the cluster row goes by in every report.
pub const CLUSTER_NAME: &str = "cluster";

impl SubjectKey {
    pub fn object(kind: Kind, namespace: &str, name: &str) -> SubjectKey {
        SubjectKey::Object(ObjectKey {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        })
    }

    /// The kind as reports print it.
    pub fn kind(&self) -> &str {
        match self {
            SubjectKey::Namespace(_) => "Namespace",
            SubjectKey::Object(k) => k.kind.name(),
            SubjectKey::Cluster => "Cluster",
            SubjectKey::Removed { kind, .. } => kind,
        }
    }

    /// The object's own namespace: empty for cluster-scoped subjects, a Namespace row included.
    pub fn namespace(&self) -> &str {
        match self {
            SubjectKey::Namespace(_) | SubjectKey::Cluster => "",
            SubjectKey::Object(k) => &k.namespace,
            SubjectKey::Removed { namespace, .. } => namespace,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            SubjectKey::Namespace(name) => name,
            SubjectKey::Object(k) => &k.name,
            SubjectKey::Cluster => CLUSTER_NAME,
            SubjectKey::Removed { name, .. } => name,
        }
    }

    /// The namespace the row belongs to, for filters and namespace views: a Namespace row
    /// belongs to the namespace it is about; the cluster row to none.
    pub fn scope(&self) -> &str {
        match self {
            SubjectKey::Namespace(name) => name,
            _ => self.namespace(),
        }
    }

    pub fn is_cluster(&self) -> bool {
        matches!(self, SubjectKey::Cluster)
    }

    pub fn is_namespace(&self) -> bool {
        matches!(self, SubjectKey::Namespace(_))
    }

    /// Whether this is the row of `kind`/`namespace`/`name` as reports print them.
    pub fn is(&self, kind: &str, namespace: &str, name: &str) -> bool {
        self.kind() == kind && self.namespace() == namespace && self.name() == name
    }

    /// Where the row sorts: each namespace's rows together (its guardrails first, then its
    /// objects by kind and name), then the cluster, then objects in removed API versions.
    fn order(&self) -> (u8, &str, u8, &str, &str) {
        match self {
            SubjectKey::Namespace(name) => (0, name, 0, "", ""),
            SubjectKey::Object(k) => (0, &k.namespace, object_rank(k.kind), k.kind.name(), &k.name),
            SubjectKey::Cluster => (1, "", 0, "", ""),
            SubjectKey::Removed {
                kind,
                namespace,
                name,
            } => (2, namespace, 0, kind, name),
        }
    }
}

/// Within a namespace, Services, Ingresses, Gateways, then routes, then other objects: the
/// order of the traffic path as a reader follows it.
fn object_rank(kind: Kind) -> u8 {
    match kind {
        Kind::Service => 1,
        Kind::Ingress => 2,
        Kind::Gateway => 3,
        Kind::HTTPRoute | Kind::GRPCRoute => 4,
        _ => 5,
    }
}

impl Ord for SubjectKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order().cmp(&other.order())
    }
}

impl PartialOrd for SubjectKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Written as the `kind`, `namespace` and `name` a report prints.
impl Serialize for SubjectKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("SubjectKey", 3)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("namespace", self.namespace())?;
        st.serialize_field("name", self.name())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_sort_by_namespace_then_the_cluster_then_removed_objects() {
        let mut keys = [
            SubjectKey::Removed {
                kind: "PodSecurityPolicy".into(),
                namespace: String::new(),
                name: "psp".into(),
            },
            SubjectKey::Cluster,
            SubjectKey::object(Kind::Ingress, "b", "web"),
            SubjectKey::object(Kind::Service, "b", "z"),
            SubjectKey::Namespace("b".into()),
            SubjectKey::object(Kind::Service, "a", "web"),
            SubjectKey::Namespace("a".into()),
        ];
        keys.sort();
        let shown: Vec<String> = keys
            .iter()
            .map(|k| format!("{}/{}/{}", k.kind(), k.scope(), k.name()))
            .collect();
        assert_eq!(
            shown,
            [
                "Namespace/a/a",
                "Service/a/web",
                "Namespace/b/b",
                "Service/b/z",
                "Ingress/b/web",
                "Cluster//cluster",
                "PodSecurityPolicy//psp",
            ]
        );
    }

    #[test]
    fn a_namespace_row_is_cluster_scoped_but_belongs_to_its_namespace() {
        let k = SubjectKey::Namespace("shop".into());
        assert_eq!((k.namespace(), k.scope(), k.name()), ("", "shop", "shop"));
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(json, r#"{"kind":"Namespace","namespace":"","name":"shop"}"#);
    }
}
