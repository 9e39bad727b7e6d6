//! The kinds shipshape models, and one typed object of any of them.
//!
//! Everything is generated from one table so that the kind list, the object enum, the typed
//! stores and the watchers (through [`Kind::visit`]) can never disagree; `deploy/rbac.yaml`
//! and its test follow [`Kind::ALL`].

use k8s_openapi::api::admissionregistration::v1::{
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{
    ConfigMap, Event, LimitRange, Namespace, Node, PersistentVolumeClaim, Pod,
    ReplicationController, ResourceQuota, Secret, Service, ServiceAccount,
};
use k8s_openapi::api::networking::v1::{Ingress, IngressClass, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;
use std::fmt;

use super::crd::admission::{ClusterPolicy, ConstraintTemplate};
use super::crd::cert_manager::{Certificate, ClusterIssuer, Issuer};
use super::crd::external_secrets::{ClusterSecretStore, ExternalSecret};
use super::crd::gateway::{GRPCRoute, Gateway, GatewayClass, HTTPRoute};
use super::crd::karpenter::NodePool;
use super::crd::keda::ScaledObject;
use super::crd::prometheus::{PodMonitor, PrometheusRule, ServiceMonitor};
use super::crd::rollout::Rollout;
use super::crd::velero::{Backup, Schedule};

/// Objects of one kind, keyed by (namespace, name); cluster-scoped kinds use an empty namespace.
///
/// Boxed, because a B-tree keeps its values inline in nodes of eleven slots, and objects
/// arrive sorted by key (as API servers list them), which leaves the nodes about half full: a
/// typed Pod is 2.4 KB, so inline the slack alone is about 20 MB at 10,000 pods.
pub type TypedStore<T> = BTreeMap<(String, String), Box<T>>;

/// Objects of one namespace from a typed store.
pub fn in_namespace<'s, T>(
    store: &'s TypedStore<T>,
    namespace: &str,
) -> impl Iterator<Item = &'s T> + 's {
    let ns = namespace.to_string();
    store
        .range((ns.clone(), String::new())..)
        .take_while(move |((n, _), _)| *n == ns)
        .map(|(_, v)| &**v)
}

macro_rules! kinds {
    // The kinds after `@on_request` are modelled like the others but watched only when a
    // feature asks for them, so a cluster read without that feature sees no change at all.
    // A kind whose store holds another type than the object it arrives as names that type
    // after `=>` (pods: `pod::Pod`, which converts from and back to the object).
    ($( $always:ident : $aty:ty $(=> $aheld:ty)?, $afield:ident, $agroup:literal, $aversion:literal, $aplural:literal, $anamespaced:tt; )*
     @on_request
     $( $requested:ident : $rty:ty $(=> $rheld:ty)?, $rfield:ident, $rgroup:literal, $rversion:literal, $rplural:literal, $rnamespaced:tt; )*) => {
        kinds!(@table [ $( $always )* ] [ $( $requested )* ]
            $( $always : $aty $(=> $aheld)?, $afield, $agroup, $aversion, $aplural, $anamespaced; )*
            $( $requested : $rty $(=> $rheld)?, $rfield, $rgroup, $rversion, $rplural, $rnamespaced; )*);
    };
    (@table [ $( $always:ident )* ] [ $( $requested:ident )* ]
     $( $variant:ident : $ty:ty $(=> $held:ty)?, $field:ident, $group:literal, $version:literal, $plural:literal, $namespaced:tt; )*) => {
        /// A kind of Kubernetes object that shipshape reads.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum Kind { $( $variant, )* }

        impl Kind {
            /// Every kind watched on every cluster, in a stable order.
            pub const ALL: &'static [Kind] = &[ $( Kind::$always, )* ];

            /// Kinds watched only when a feature asks for them (the admission policies of
            /// `--audit-admission-policies`); otherwise never read, listed nor reported.
            pub const ON_REQUEST: &'static [Kind] = &[ $( Kind::$requested, )* ];

            /// The kind's name as Kubernetes spells it (`Deployment`).
            pub fn name(self) -> &'static str {
                match self { $( Kind::$variant => stringify!($variant), )* }
            }

            /// API group ("" for the core group).
            pub fn group(self) -> &'static str {
                match self { $( Kind::$variant => $group, )* }
            }

            /// The served version shipshape reads.
            pub fn version(self) -> &'static str {
                match self { $( Kind::$variant => $version, )* }
            }

            /// The lower-case plural used in API paths (`deployments`).
            pub fn plural(self) -> &'static str {
                match self { $( Kind::$variant => $plural, )* }
            }

            pub fn namespaced(self) -> bool {
                match self { $( Kind::$variant => $namespaced, )* }
            }

            /// Looks a kind up by its Kubernetes name, case-insensitively, among the kinds
            /// always watched (files and snapshots hold those only).
            pub fn from_name(name: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|k| k.name().eq_ignore_ascii_case(name))
            }

            /// Calls `visitor` with the kind's typed object, by scope: how a watcher is made
            /// for each kind without listing the kinds again.
            pub fn visit<V: KindVisitor>(self, visitor: V) -> V::Output {
                match self { $( Kind::$variant => visit_scoped!($namespaced, visitor, $ty, Kind::$variant), )* }
            }
        }

        /// One object of a modelled kind. It only carries an object to its typed store, so the
        /// variants' differing sizes do not matter.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug)]
        pub enum Object { $( $variant($ty), )* }

        impl Object {
            pub fn kind(&self) -> Kind {
                match self { $( Object::$variant(_) => Kind::$variant, )* }
            }

            pub fn metadata(&self) -> &ObjectMeta {
                match self { $( Object::$variant(o) => &o.metadata, )* }
            }

            pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
                match self { $( Object::$variant(o) => &mut o.metadata, )* }
            }

            /// Deserialises a (pruned, current-version) JSON object of `kind`; on error, says
            /// at which field path.
            pub fn from_json(
                kind: Kind,
                value: &serde_json::Value,
            ) -> Result<Object, serde_path_to_error::Error<serde_json::Error>> {
                Ok(match kind { $( Kind::$variant => Object::$variant(serde_path_to_error::deserialize(value)?), )* })
            }

            /// Serialises the object back to JSON, with apiVersion and kind set.
            pub fn to_json(&self) -> serde_json::Value {
                match self { $( Object::$variant(o) => serde_json::to_value(o).unwrap_or_default(), )* }
            }
        }

        $( impl From<$ty> for Object {
            fn from(o: $ty) -> Object { Object::$variant(o) }
        } )*

        /// Typed stores, one per kind.
        #[derive(Clone, Debug, Default)]
        pub struct Stores { $( pub $field: TypedStore<held!($ty $(=> $held)?)>, )* }

        impl Stores {
            /// Inserts or replaces an object; returns the replaced one.
            pub fn upsert(&mut self, object: Object) -> Option<Object> {
                let key = object_key_parts(object.metadata());
                match object { $( Object::$variant(o) => self.$field.insert(key, Box::new(hold!(o $(=> $held)?))).map(|o| Object::$variant(give!(o $(=> $held)?))), )* }
            }

            pub fn remove(&mut self, kind: Kind, namespace: &str, name: &str) -> Option<Object> {
                let key = (namespace.to_string(), name.to_string());
                match kind { $( Kind::$variant => self.$field.remove(&key).map(|o| Object::$variant(give!(o $(=> $held)?))), )* }
            }

            pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<Object> {
                let key = (namespace.to_string(), name.to_string());
                match kind { $( Kind::$variant => self.$field.get(&key).map(|o| Object::$variant(give_ref!(o $(=> $held)?))), )* }
            }

            /// Drops every object of `kind` (before a relist).
            pub fn clear(&mut self, kind: Kind) {
                match kind { $( Kind::$variant => self.$field.clear(), )* }
            }

            pub fn count(&self, kind: Kind) -> usize {
                match kind { $( Kind::$variant => self.$field.len(), )* }
            }

            /// The (namespace, name) keys held for `kind`.
            pub fn keys(&self, kind: Kind) -> Vec<(String, String)> {
                match kind { $( Kind::$variant => self.$field.keys().cloned().collect(), )* }
            }

            /// Every object, in kind order, as owned values (for snapshots).
            pub fn objects(&self) -> Vec<Object> {
                let mut out = Vec::new();
                $( out.extend(self.$field.values().map(|o| Object::$variant(give_ref!(o $(=> $held)?)))); )*
                out
            }

            /// The objects of `kind` as JSON, each converted when it is reached and none
            /// copied first (a snapshot of a large cluster is written one object at a time).
            pub fn json_of(&self, kind: Kind) -> Box<dyn Iterator<Item = serde_json::Value> + '_> {
                match kind { $( Kind::$variant => Box::new(self.$field.values().map(|o| serde_json::to_value(&**o).unwrap_or_default())), )* }
            }
        }
    };
}

/// The type a kind's store holds: its object's, or the one named after `=>`.
macro_rules! held {
    ($ty:ty => $held:ty) => {
        $held
    };
    ($ty:ty) => {
        $ty
    };
}

/// An object as its store holds it.
macro_rules! hold {
    ($o:ident => $held:ty) => {
        <$held>::from($o)
    };
    ($o:ident) => {
        $o
    };
}

/// A stored object (boxed) given back as the object it arrived as.
macro_rules! give {
    ($o:ident => $held:ty) => {
        $o.to_k8s()
    };
    ($o:ident) => {
        *$o
    };
}

/// A copy of a stored object (borrowed) as the object it arrived as.
macro_rules! give_ref {
    ($o:ident => $held:ty) => {
        $o.to_k8s()
    };
    ($o:ident) => {
        (**$o).clone()
    };
}

/// Picks the visitor method for a kind's scope; the compiler checks the table's flag against
/// the typed object's scope.
macro_rules! visit_scoped {
    (true, $visitor:ident, $ty:ty, $kind:expr) => {
        $visitor.namespaced::<$ty>($kind)
    };
    (false, $visitor:ident, $ty:ty, $kind:expr) => {
        $visitor.cluster::<$ty>($kind)
    };
}

/// What a typed object of a modelled kind is, for code generic over the kinds (the watchers).
pub trait TypedObject:
    kube::Resource<DynamicType = ()>
    + Clone
    + serde::de::DeserializeOwned
    + fmt::Debug
    + Default
    + Send
    + Sync
    + 'static
    + Into<Object>
{
}

impl<K> TypedObject for K where
    K: kube::Resource<DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + fmt::Debug
        + Default
        + Send
        + Sync
        + 'static
        + Into<Object>
{
}

/// Code run once per kind with its typed object ([`Kind::visit`]).
pub trait KindVisitor {
    type Output;
    fn namespaced<K>(self, kind: Kind) -> Self::Output
    where
        K: TypedObject + kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>;
    fn cluster<K>(self, kind: Kind) -> Self::Output
    where
        K: TypedObject + kube::Resource<Scope = k8s_openapi::ClusterResourceScope>;
}

kinds! {
    Namespace: Namespace, namespaces, "", "v1", "namespaces", false;
    Node: Node, nodes, "", "v1", "nodes", false;
    Pod: Pod => super::pod::Pod, pods, "", "v1", "pods", true;
    Deployment: Deployment => super::packed::Packed<Deployment>, deployments, "apps", "v1", "deployments", true;
    ReplicaSet: ReplicaSet => super::packed::Packed<ReplicaSet>, replica_sets, "apps", "v1", "replicasets", true;
    StatefulSet: StatefulSet => super::packed::Packed<StatefulSet>, stateful_sets, "apps", "v1", "statefulsets", true;
    DaemonSet: DaemonSet => super::packed::Packed<DaemonSet>, daemon_sets, "apps", "v1", "daemonsets", true;
    Job: Job, jobs, "batch", "v1", "jobs", true;
    CronJob: CronJob => super::packed::Packed<CronJob>, cron_jobs, "batch", "v1", "cronjobs", true;
    Service: Service, services, "", "v1", "services", true;
    Ingress: Ingress, ingresses, "networking.k8s.io", "v1", "ingresses", true;
    IngressClass: IngressClass, ingress_classes, "networking.k8s.io", "v1", "ingressclasses", false;
    HorizontalPodAutoscaler: HorizontalPodAutoscaler, hpas, "autoscaling", "v2", "horizontalpodautoscalers", true;
    PodDisruptionBudget: PodDisruptionBudget, pdbs, "policy", "v1", "poddisruptionbudgets", true;
    NetworkPolicy: NetworkPolicy, network_policies, "networking.k8s.io", "v1", "networkpolicies", true;
    LimitRange: LimitRange, limit_ranges, "", "v1", "limitranges", true;
    ResourceQuota: ResourceQuota, resource_quotas, "", "v1", "resourcequotas", true;
    ServiceAccount: ServiceAccount, service_accounts, "", "v1", "serviceaccounts", true;
    PersistentVolumeClaim: PersistentVolumeClaim, pvcs, "", "v1", "persistentvolumeclaims", true;
    StorageClass: StorageClass, storage_classes, "storage.k8s.io", "v1", "storageclasses", false;
    PriorityClass: PriorityClass, priority_classes, "scheduling.k8s.io", "v1", "priorityclasses", false;
    Event: Event, events, "", "v1", "events", true;
    ConfigMap: ConfigMap, config_maps, "", "v1", "configmaps", true;
    Secret: Secret, secrets, "", "v1", "secrets", true;
    ReplicationController: ReplicationController => super::packed::Packed<ReplicationController>, replication_controllers, "", "v1", "replicationcontrollers", true;
    Rollout: Rollout => super::packed::Packed<Rollout>, rollouts, "argoproj.io", "v1alpha1", "rollouts", true;
    ScaledObject: ScaledObject, scaled_objects, "keda.sh", "v1alpha1", "scaledobjects", true;
    GatewayClass: GatewayClass, gateway_classes, "gateway.networking.k8s.io", "v1", "gatewayclasses", false;
    Gateway: Gateway, gateways, "gateway.networking.k8s.io", "v1", "gateways", true;
    HTTPRoute: HTTPRoute, http_routes, "gateway.networking.k8s.io", "v1", "httproutes", true;
    GRPCRoute: GRPCRoute, grpc_routes, "gateway.networking.k8s.io", "v1", "grpcroutes", true;
    Certificate: Certificate, certificates, "cert-manager.io", "v1", "certificates", true;
    Issuer: Issuer, issuers, "cert-manager.io", "v1", "issuers", true;
    ClusterIssuer: ClusterIssuer, cluster_issuers, "cert-manager.io", "v1", "clusterissuers", false;
    ServiceMonitor: ServiceMonitor, service_monitors, "monitoring.coreos.com", "v1", "servicemonitors", true;
    PodMonitor: PodMonitor, pod_monitors, "monitoring.coreos.com", "v1", "podmonitors", true;
    PrometheusRule: PrometheusRule, prometheus_rules, "monitoring.coreos.com", "v1", "prometheusrules", true;
    Schedule: Schedule, velero_schedules, "velero.io", "v1", "schedules", true;
    Backup: Backup, velero_backups, "velero.io", "v1", "backups", true;
    NodePool: NodePool, node_pools, "karpenter.sh", "v1", "nodepools", false;
    ClusterPolicy: ClusterPolicy, kyverno_cluster_policies, "kyverno.io", "v1", "clusterpolicies", false;
    ConstraintTemplate: ConstraintTemplate, constraint_templates, "templates.gatekeeper.sh", "v1", "constrainttemplates", false;
    ValidatingAdmissionPolicy: ValidatingAdmissionPolicy, validating_admission_policies, "admissionregistration.k8s.io", "v1", "validatingadmissionpolicies", false;
    ValidatingAdmissionPolicyBinding: ValidatingAdmissionPolicyBinding, validating_admission_policy_bindings, "admissionregistration.k8s.io", "v1", "validatingadmissionpolicybindings", false;
    ExternalSecret: ExternalSecret, external_secrets, "external-secrets.io", "v1", "externalsecrets", true;
    ClusterSecretStore: ClusterSecretStore, cluster_secret_stores, "external-secrets.io", "v1", "clustersecretstores", false;
    // Kinds read only when a feature asks for them go here (none at present: the admission
    // policies `--audit-admission-policies` evaluates are watched always, for cluster.policy).
    @on_request
}

impl Kind {
    /// The kinds of `--audit-admission-policies`: ValidatingAdmissionPolicies and bindings.
    pub const ADMISSION_POLICIES: &'static [Kind] = &[
        Kind::ValidatingAdmissionPolicy,
        Kind::ValidatingAdmissionPolicyBinding,
    ];

    /// Every modelled kind: those always watched, then those watched on request.
    pub fn every() -> impl Iterator<Item = Kind> {
        Kind::ALL.iter().chain(Kind::ON_REQUEST).copied()
    }
}

impl Kind {
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(self) -> String {
        if self.group().is_empty() {
            self.version().to_string()
        } else {
            format!("{}/{}", self.group(), self.version())
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn object_key_parts(meta: &ObjectMeta) -> (String, String) {
    (
        meta.namespace.clone().unwrap_or_default(),
        meta.name.clone().unwrap_or_default(),
    )
}

/// Identifies one object: kind, namespace ("" when cluster-scoped) and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn of(object: &Object) -> ObjectKey {
        let (namespace, name) = object_key_parts(object.metadata());
        ObjectKey {
            kind: object.kind(),
            namespace,
            name,
        }
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the typed object says about itself: the API path its watcher reads.
    struct Describe;

    fn describe<K: kube::Resource<DynamicType = ()>>(namespaced: bool) -> [String; 5] {
        [
            K::kind(&()).into_owned(),
            K::group(&()).into_owned(),
            K::version(&()).into_owned(),
            K::plural(&()).into_owned(),
            namespaced.to_string(),
        ]
    }

    impl KindVisitor for Describe {
        type Output = [String; 5];
        fn namespaced<K>(self, _: Kind) -> [String; 5]
        where
            K: TypedObject + kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
        {
            describe::<K>(true)
        }
        fn cluster<K>(self, _: Kind) -> [String; 5]
        where
            K: TypedObject + kube::Resource<Scope = k8s_openapi::ClusterResourceScope>,
        {
            describe::<K>(false)
        }
    }

    #[test]
    fn each_kind_names_the_resource_its_typed_object_is_read_from() {
        for kind in Kind::every() {
            let table = [
                kind.name().to_string(),
                kind.group().to_string(),
                kind.version().to_string(),
                kind.plural().to_string(),
                kind.namespaced().to_string(),
            ];
            assert_eq!(kind.visit(Describe), table, "{kind}");
        }
    }

    #[test]
    fn every_kind_is_listed_once_and_found_by_name() {
        let mut seen = std::collections::BTreeSet::new();
        for &kind in Kind::ALL {
            assert!(seen.insert(kind), "{kind} twice");
            assert_eq!(Kind::from_name(&kind.name().to_lowercase()), Some(kind));
        }
        for &kind in Kind::ON_REQUEST {
            assert!(seen.insert(kind), "{kind} twice");
            assert_eq!(
                Kind::from_name(kind.name()),
                None,
                "{kind} is read on request only"
            );
        }
        assert_eq!(Kind::every().count(), seen.len());
    }
}
