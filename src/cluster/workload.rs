//! A workload is what an SRE deploys and owns: the controller at the top of a pod's
//! ownerReferences chain (Deployment, Argo Rollout, StatefulSet, DaemonSet, CronJob, Job, a
//! standalone ReplicaSet, a ReplicationController, a custom controller), or a pod with no
//! controller.
//!
//! Everything shipshape knows about a workload kind is here: one line of the
//! `workload_kinds!` table (class, store, which objects are workloads, what it owns) and the
//! [`WorkloadObject`] impl of its typed object (pod template, replicas, status). Adding a kind
//! is a line in `object.rs`'s table, one here and its impl.

use super::crd::rollout::Rollout;
use super::object::{Kind, Object, Stores};
use super::packed::Packed;
use super::pod::Pod;
use super::selector::Labels;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{PodSpec, PodTemplateSpec, ReplicationController};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

/// How a workload kind runs, for the checks that treat kinds differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadClass {
    /// Keeps a replica count of interchangeable pods: Deployment, StatefulSet, a standalone
    /// ReplicaSet. The replica, PDB and spread checks are about these.
    Replicated,
    /// One pod per eligible node.
    Daemon,
    /// Runs to completion: Job, CronJob.
    Batch,
    /// A pod with no controller.
    BarePod,
    /// A controller shipshape does not model.
    Custom,
}

/// Which objects of a workload kind are workloads of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Every object.
    Always,
    /// Those no controller owns (a Deployment's ReplicaSets, a CronJob's Jobs belong to it).
    Unowned,
    /// None from its store: the pods' ownership decides (bare pods).
    ByPods,
}

/// What grading reads from a workload kind's typed object, whatever the kind.
pub trait WorkloadObject {
    /// The object's metadata.
    fn object_meta(&self) -> &ObjectMeta;

    /// The pod template the object carries (`None` when it has none, e.g. a Job without a
    /// spec, or a bare pod).
    fn pod_template(&self) -> Option<&PodTemplateSpec>;

    /// The same, to compact or redact it in place.
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec>;

    /// Where the template's pod spec is in the object, for error messages.
    fn pod_spec_path(&self) -> &'static str {
        "spec.template.spec"
    }

    /// The template the workload is graded on.
    fn template(&self) -> Cow<'_, PodTemplateSpec> {
        match self.pod_template() {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(PodTemplateSpec::default()),
        }
    }

    /// The labels its pods carry, without copying the template.
    fn pod_labels(&self) -> Option<&Labels> {
        self.pod_template()?.metadata.as_ref()?.labels.as_ref()
    }

    /// The replica count asked for (`None` when the object does not say).
    fn desired_replicas(&self) -> Option<i32>;

    /// Whether its status says something about the running cluster: plain manifests have
    /// none, and `status: {}` (what `kubectl --dry-run` writes) says nothing either.
    fn reports_status(&self) -> bool;

    /// How many pods its status says exist (0 when it does not count them).
    fn status_pods(&self) -> i32 {
        0
    }

    /// How many pods its status says are ready (`None` without a status, or for a kind whose
    /// status does not count them).
    fn ready_pods(&self) -> Option<i32> {
        None
    }
}

/// What grading reads of a workload controller as the model holds it (a packed controller
/// decodes its template's spec here; see `packed`).
pub trait HeldWorkload {
    /// The template the workload is graded on (empty when the object has none).
    fn template(&self) -> Cow<'_, PodTemplateSpec>;

    /// The same, as a workload holds it: a packed one is decoded when first read.
    fn workload_template(&self) -> Template<'_>;

    /// Whether the object carries a pod template of its own.
    fn has_template(&self) -> bool;

    /// The labels its pods carry, without copying or decoding the template.
    fn pod_labels(&self) -> Option<&Labels>;

    /// The controller's metadata.
    fn object_meta(&self) -> &ObjectMeta;

    fn desired_replicas(&self) -> Option<i32>;
    fn reports_status(&self) -> bool;
    fn status_pods(&self) -> i32;
    fn ready_pods(&self) -> Option<i32>;
}

impl<K: WorkloadObject> HeldWorkload for K {
    fn template(&self) -> Cow<'_, PodTemplateSpec> {
        WorkloadObject::template(self)
    }
    fn workload_template(&self) -> Template<'_> {
        Template::ready(WorkloadObject::template(self))
    }
    fn has_template(&self) -> bool {
        self.pod_template().is_some()
    }
    fn pod_labels(&self) -> Option<&Labels> {
        WorkloadObject::pod_labels(self)
    }
    fn object_meta(&self) -> &ObjectMeta {
        WorkloadObject::object_meta(self)
    }
    fn desired_replicas(&self) -> Option<i32> {
        WorkloadObject::desired_replicas(self)
    }
    fn reports_status(&self) -> bool {
        WorkloadObject::reports_status(self)
    }
    fn status_pods(&self) -> i32 {
        WorkloadObject::status_pods(self)
    }
    fn ready_pods(&self) -> Option<i32> {
        WorkloadObject::ready_pods(self)
    }
}

/// The status, when it says something (see [`WorkloadObject::reports_status`]).
pub fn real_status<T: Default + PartialEq>(status: &Option<T>) -> Option<&T> {
    status.as_ref().filter(|s| **s != T::default())
}

impl WorkloadObject for Deployment {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        Some(&self.spec.template)
    }
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        Some(&mut self.spec.template)
    }
    fn desired_replicas(&self) -> Option<i32> {
        Some(self.spec.replicas.unwrap_or(1))
    }
    fn reports_status(&self) -> bool {
        real_status(&self.status).is_some()
    }
    fn status_pods(&self) -> i32 {
        real_status(&self.status)
            .and_then(|s| s.replicas)
            .unwrap_or(0)
    }
    fn ready_pods(&self) -> Option<i32> {
        self.status.as_ref().map(|s| s.ready_replicas.unwrap_or(0))
    }
}

impl WorkloadObject for StatefulSet {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        Some(&self.spec.template)
    }
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        Some(&mut self.spec.template)
    }
    fn desired_replicas(&self) -> Option<i32> {
        Some(self.spec.replicas.unwrap_or(1))
    }
    fn reports_status(&self) -> bool {
        real_status(&self.status).is_some()
    }
    fn status_pods(&self) -> i32 {
        real_status(&self.status).map_or(0, |s| s.replicas)
    }
    fn ready_pods(&self) -> Option<i32> {
        self.status.as_ref().map(|s| s.ready_replicas.unwrap_or(0))
    }
}

impl WorkloadObject for DaemonSet {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        Some(&self.spec.template)
    }
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        Some(&mut self.spec.template)
    }
    /// Known only once the controller has counted the eligible nodes.
    fn desired_replicas(&self) -> Option<i32> {
        self.status.as_ref().map(|s| s.desired_number_scheduled)
    }
    fn ready_pods(&self) -> Option<i32> {
        self.status.as_ref().map(|s| s.number_ready)
    }
    fn reports_status(&self) -> bool {
        real_status(&self.status).is_some()
    }
    fn status_pods(&self) -> i32 {
        real_status(&self.status).map_or(0, |s| s.current_number_scheduled)
    }
}

impl WorkloadObject for CronJob {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        self.spec.job_template.spec.as_ref().map(|s| &s.template)
    }
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        self.spec
            .job_template
            .spec
            .as_mut()
            .map(|s| &mut s.template)
    }
    fn pod_spec_path(&self) -> &'static str {
        "spec.jobTemplate.spec.template.spec"
    }
    fn desired_replicas(&self) -> Option<i32> {
        None
    }
    fn reports_status(&self) -> bool {
        real_status(&self.status).is_some()
    }
}

impl WorkloadObject for Job {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        self.spec.as_ref().map(|s| &s.template)
    }
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        self.spec.as_mut().map(|s| &mut s.template)
    }
    fn desired_replicas(&self) -> Option<i32> {
        Some(self.spec.as_ref().and_then(|s| s.parallelism).unwrap_or(1))
    }
    fn reports_status(&self) -> bool {
        real_status(&self.status).is_some()
    }
    fn status_pods(&self) -> i32 {
        real_status(&self.status)
            .and_then(|s| s.active)
            .unwrap_or(0)
    }
}

impl WorkloadObject for ReplicaSet {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        self.spec.template.as_ref()
    }
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        self.spec.template.as_mut()
    }
    fn desired_replicas(&self) -> Option<i32> {
        Some(self.spec.replicas.unwrap_or(1))
    }
    fn reports_status(&self) -> bool {
        real_status(&self.status).is_some()
    }
    fn status_pods(&self) -> i32 {
        real_status(&self.status).map_or(0, |s| s.replicas)
    }
}

/// A Rollout with a `workloadRef` has no template of its own: the model takes the referenced
/// Deployment's (see `ClusterModel::workload`).
impl WorkloadObject for Rollout {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        self.spec.template.as_ref()
    }
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        self.spec.template.as_mut()
    }
    fn desired_replicas(&self) -> Option<i32> {
        Some(self.spec.replicas.unwrap_or(1))
    }
    fn reports_status(&self) -> bool {
        real_status(&self.status).is_some()
    }
    fn status_pods(&self) -> i32 {
        real_status(&self.status)
            .and_then(|s| s.replicas)
            .unwrap_or(0)
    }
}

impl WorkloadObject for ReplicationController {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        self.spec.as_ref()?.template.as_ref()
    }
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        self.spec.as_mut()?.template.as_mut()
    }
    fn desired_replicas(&self) -> Option<i32> {
        Some(self.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1))
    }
    fn reports_status(&self) -> bool {
        real_status(&self.status).is_some()
    }
    fn status_pods(&self) -> i32 {
        real_status(&self.status).map_or(0, |s| s.replicas)
    }
}

/// A bare pod is its own template: as the model holds it, and as it arrives.
impl WorkloadObject for Pod {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        None
    }
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        None
    }
    fn template(&self) -> Cow<'_, PodTemplateSpec> {
        Cow::Owned(pod_template(self))
    }
    fn pod_labels(&self) -> Option<&Labels> {
        self.metadata.labels.as_ref()
    }
    fn desired_replicas(&self) -> Option<i32> {
        Some(1)
    }
    fn reports_status(&self) -> bool {
        self.reports_status()
    }
}

impl WorkloadObject for k8s_openapi::api::core::v1::Pod {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        None
    }
    fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        None
    }
    fn template(&self) -> Cow<'_, PodTemplateSpec> {
        Cow::Owned(PodTemplateSpec {
            metadata: Some(self.metadata.clone()),
            spec: self.spec.clone(),
        })
    }
    fn pod_labels(&self) -> Option<&Labels> {
        self.metadata.labels.as_ref()
    }
    fn desired_replicas(&self) -> Option<i32> {
        Some(1)
    }
    fn reports_status(&self) -> bool {
        real_status(&self.status).is_some()
    }
}

/// A pod's metadata and whole spec as a template (for a bare pod, or a workload whose
/// controller is absent).
pub fn pod_template(p: &Pod) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(p.metadata.clone()),
        spec: p.whole_spec().map(Cow::into_owned),
    }
}

macro_rules! workload_kinds {
    ($( $variant:ident : $held:ty, $field:ident, $class:ident, $listing:ident, [$($owns:ident)?]; )*) => {
        /// The kind of a workload. `Custom` is a controller shipshape does not model (a KubeVirt
        /// VM, an OpenKruise CloneSet…): its pods are still graded together under it. The order
        /// of the variants is the order of workload rows.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum WorkloadKind {
            $( $variant, )*
            Custom(String),
        }

        impl WorkloadKind {
            /// Every modelled workload kind (all but `Custom`).
            pub const MODELLED: &'static [WorkloadKind] = &[ $( WorkloadKind::$variant, )* ];

            pub fn name(&self) -> &str {
                match self {
                    $( WorkloadKind::$variant => stringify!($variant), )*
                    WorkloadKind::Custom(k) => k,
                }
            }

            pub fn from_name(name: &str) -> WorkloadKind {
                match name {
                    $( stringify!($variant) => WorkloadKind::$variant, )*
                    other => WorkloadKind::Custom(other.to_string()),
                }
            }

            /// The modelled kind of its controller object.
            pub fn object_kind(&self) -> Option<Kind> {
                match self {
                    $( WorkloadKind::$variant => Some(Kind::$variant), )*
                    WorkloadKind::Custom(_) => None,
                }
            }

            /// The workload kind of a modelled kind's objects, if they are workloads.
            pub fn of_object_kind(kind: Kind) -> Option<WorkloadKind> {
                match kind {
                    $( Kind::$variant => Some(WorkloadKind::$variant), )*
                    _ => None,
                }
            }

            pub fn class(&self) -> WorkloadClass {
                match self {
                    $( WorkloadKind::$variant => WorkloadClass::$class, )*
                    WorkloadKind::Custom(_) => WorkloadClass::Custom,
                }
            }

            /// The workload kind of the controllers it makes between itself and its pods (a
            /// Deployment's ReplicaSets, a CronJob's Jobs).
            pub fn owns(&self) -> Option<WorkloadKind> {
                match self {
                    $( WorkloadKind::$variant => None $( .or(Some(WorkloadKind::$owns)) )?, )*
                    WorkloadKind::Custom(_) => None,
                }
            }

            /// Which of its objects are workloads; `ByPods` for `Custom`, whose objects are
            /// not in the model.
            pub fn listing(&self) -> Listing {
                match self {
                    $( WorkloadKind::$variant => Listing::$listing, )*
                    WorkloadKind::Custom(_) => Listing::ByPods,
                }
            }
        }

        /// The controlling object, when it is in the model.
        #[derive(Clone, Copy, Debug)]
        pub enum Controller<'m> {
            $( $variant(&'m $held), )*
            /// The controller is referenced by pods but is not in the model (a custom kind, or
            /// an object absent from the input): the template comes from what is there.
            Missing,
        }

        impl<'m> Controller<'m> {
            /// The controller of `kind` named `name` in `namespace`, with its metadata.
            pub fn find(
                stores: &'m Stores,
                kind: &WorkloadKind,
                namespace_name: &(String, String),
            ) -> Option<(Controller<'m>, &'m ObjectMeta)> {
                match kind {
                    $( WorkloadKind::$variant => stores
                        .$field
                        .get(namespace_name)
                        .map(|o| (Controller::$variant(&**o), held_meta(&**o))), )*
                    WorkloadKind::Custom(_) => None,
                }
            }

            /// The typed object, through what every workload kind offers.
            pub fn object(&self) -> Option<&'m dyn HeldWorkload> {
                match *self {
                    $( Controller::$variant(o) => Some(o), )*
                    Controller::Missing => None,
                }
            }

            /// The modelled kind of the controller, when it is in the model.
            pub fn kind(&self) -> Option<Kind> {
                match self {
                    $( Controller::$variant(_) => Some(Kind::$variant), )*
                    Controller::Missing => None,
                }
            }
        }

        /// The object as a workload controller, if its kind is a workload kind.
        pub fn workload_object(object: &Object) -> Option<&dyn WorkloadObject> {
            match object {
                $( Object::$variant(o) => Some(o), )*
                _ => None,
            }
        }

        /// The object as a workload controller, to change its template in place.
        pub fn workload_object_mut(object: &mut Object) -> Option<&mut dyn WorkloadObject> {
            match object {
                $( Object::$variant(o) => Some(o), )*
                _ => None,
            }
        }

        /// The names of the workloads listed from the controllers' stores in one namespace
        /// (pods add the rest), per [`Listing`].
        pub(crate) fn listed_controllers<'m>(
            stores: &'m Stores,
            namespace: &'m str,
            mut add: impl FnMut(WorkloadKind, &'m ObjectMeta),
        ) {
            use super::object::in_namespace;
            use super::model::controller_ref;
            $(
                let listing = Listing::$listing;
                if listing != Listing::ByPods {
                    for o in in_namespace(&stores.$field, namespace) {
                        let meta = held_meta(o);
                        if listing == Listing::Always || controller_ref(meta).is_none() {
                            add(WorkloadKind::$variant, meta);
                        }
                    }
                }
            )*
        }
    };
}

// The workload kinds: the controller kind (a variant of `Kind`, and its typed object, which
// implements `WorkloadObject`), its store, its class, which of its objects are workloads, and
// the kind of the controllers it owns between itself and its pods. The type after the kind is
// what its store holds (`object.rs`'s table says the same; the compiler checks they agree). The order is the order of
// workload rows.
workload_kinds! {
    Deployment: Packed<Deployment>, deployments, Replicated, Always, [ReplicaSet];
    Rollout: Packed<Rollout>, rollouts, Replicated, Always, [ReplicaSet];
    StatefulSet: Packed<StatefulSet>, stateful_sets, Replicated, Always, [];
    DaemonSet: Packed<DaemonSet>, daemon_sets, Daemon, Always, [];
    CronJob: Packed<CronJob>, cron_jobs, Batch, Always, [Job];
    Job: Job, jobs, Batch, Unowned, [];
    ReplicaSet: Packed<ReplicaSet>, replica_sets, Replicated, Unowned, [];
    ReplicationController: Packed<ReplicationController>, replication_controllers, Replicated, Always, [];
    Pod: Pod, pods, BarePod, ByPods, [];
}

/// The metadata of a controller as its store holds it.
fn held_meta<K: HeldWorkload>(o: &K) -> &ObjectMeta {
    o.object_meta()
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The stable identity of a workload: selection, waivers and diffs all key on it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WorkloadKey {
    pub kind: WorkloadKind,
    pub namespace: String,
    pub name: String,
}

impl WorkloadKey {
    pub fn new(kind: WorkloadKind, namespace: &str, name: &str) -> WorkloadKey {
        WorkloadKey {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }
}

impl fmt::Display for WorkloadKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
    }
}

/// A workload's pod template: borrowed or made as it is, or, from a controller the model
/// holds packed, decoded when something first reads it (at most once per [`Workload`]). Its
/// metadata (labels, annotations) is read without decoding.
#[derive(Clone)]
pub struct Template<'m> {
    held: HeldTemplate<'m>,
    decoded: OnceLock<PodTemplateSpec>,
}

#[derive(Clone, Copy)]
enum HeldTemplate<'m> {
    Borrowed(&'m PodTemplateSpec),
    /// Made for the workload: held in `decoded`.
    Owned,
    Packed(&'m dyn PackedTemplate),
}

/// A template held packed (see `packed`).
pub trait PackedTemplate: Sync {
    /// The template's metadata, which is held typed.
    fn template_meta(&self) -> Option<&ObjectMeta>;
    /// The whole template, its spec decoded (empty when the object has none).
    fn decode_template(&self) -> PodTemplateSpec;
}

impl<'m> Template<'m> {
    pub fn ready(template: Cow<'m, PodTemplateSpec>) -> Template<'m> {
        match template {
            Cow::Borrowed(t) => Template {
                held: HeldTemplate::Borrowed(t),
                decoded: OnceLock::new(),
            },
            Cow::Owned(t) => Template {
                held: HeldTemplate::Owned,
                decoded: OnceLock::from(t),
            },
        }
    }

    pub fn packed(template: &'m dyn PackedTemplate) -> Template<'m> {
        Template {
            held: HeldTemplate::Packed(template),
            decoded: OnceLock::new(),
        }
    }

    /// The template's metadata, without decoding its spec.
    pub fn meta(&self) -> Option<&ObjectMeta> {
        match self.held {
            HeldTemplate::Borrowed(t) => t.metadata.as_ref(),
            HeldTemplate::Owned => self.decoded.get()?.metadata.as_ref(),
            HeldTemplate::Packed(p) => p.template_meta(),
        }
    }
}

impl Default for Template<'_> {
    fn default() -> Self {
        Template::ready(Cow::Owned(PodTemplateSpec::default()))
    }
}

impl std::ops::Deref for Template<'_> {
    type Target = PodTemplateSpec;

    fn deref(&self) -> &PodTemplateSpec {
        match self.held {
            HeldTemplate::Borrowed(t) => t,
            // Set when it was made.
            HeldTemplate::Owned => self.decoded.get_or_init(PodTemplateSpec::default),
            HeldTemplate::Packed(p) => self.decoded.get_or_init(|| p.decode_template()),
        }
    }
}

impl fmt::Debug for Template<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Everything grading needs to know about one workload, borrowed from the model.
#[derive(Clone, Debug)]
pub struct Workload<'m> {
    pub key: WorkloadKey,
    pub controller: Controller<'m>,
    /// The controller's metadata (labels, annotations such as `shipshape.dev/ignore`).
    pub meta: Cow<'m, ObjectMeta>,
    /// The pod template every pod of the workload is made from.
    pub template: Template<'m>,
    /// The workload's live pods, sorted by name.
    pub pods: Vec<&'m Pod>,
    /// The Jobs a CronJob has spawned, newest last.
    pub jobs: Vec<&'m Job>,
}

impl<'m> Workload<'m> {
    pub fn spec(&self) -> Option<&PodSpec> {
        self.template.spec.as_ref()
    }

    /// Runs to completion rather than serving: Jobs, CronJobs, and bare pods that do not restart.
    pub fn is_batch(&self) -> bool {
        match self.key.kind.class() {
            WorkloadClass::Batch => true,
            WorkloadClass::BarePod => self
                .spec()
                .and_then(|s| s.restart_policy.as_deref())
                .is_some_and(|p| p != "Always"),
            _ => false,
        }
    }

    /// The replica count the controller asks for (`None` when it does not say, e.g. a
    /// DaemonSet before its status is known or a custom controller).
    pub fn desired_replicas(&self) -> Option<i32> {
        self.controller.object()?.desired_replicas()
    }

    /// Whether the controller object's status says something about the running cluster.
    pub fn controller_reports_status(&self) -> bool {
        self.controller.object().is_some_and(|o| o.reports_status())
    }

    /// How many pods the controller's status says exist (0 when it does not count them).
    pub fn status_pod_count(&self) -> i32 {
        self.controller.object().map_or(0, |o| o.status_pods())
    }

    /// Is this one of the kinds the replica/PDB/spread checks are about?
    pub fn is_replicated(&self) -> bool {
        self.key.kind.class() == WorkloadClass::Replicated
    }

    /// Labels of the pods (from the template).
    pub fn pod_labels(&self) -> Cow<'_, std::collections::BTreeMap<String, String>> {
        match self.template.meta().and_then(|m| m.labels.as_ref()) {
            Some(l) => Cow::Borrowed(l),
            None => Cow::Owned(Default::default()),
        }
    }

    /// Annotations of the controller and of the pod template, controller first.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.meta
            .annotations
            .as_ref()
            .and_then(|a| a.get(key))
            .or_else(|| {
                self.template
                    .meta()
                    .and_then(|m| m.annotations.as_ref())
                    .and_then(|a| a.get(key))
            })
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template() -> serde_json::Value {
        json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c"}]}})
    }

    /// One object of each workload kind, with a status, and what the table must read from it:
    /// (desired replicas, pods its status counts).
    fn examples() -> Vec<(WorkloadKind, serde_json::Value, Option<i32>, i32)> {
        vec![
            (
                WorkloadKind::Deployment,
                json!({"spec": {"replicas": 3, "selector": {}, "template": template()},
                       "status": {"replicas": 4}}),
                Some(3),
                4,
            ),
            (
                WorkloadKind::Rollout,
                json!({"spec": {"replicas": 5, "selector": {}, "template": template(),
                                "strategy": {"canary": {"steps": [{"setWeight": 20}]}}},
                       "status": {"replicas": 6, "phase": "Progressing"}}),
                Some(5),
                6,
            ),
            (
                WorkloadKind::StatefulSet,
                json!({"spec": {"replicas": 2, "selector": {}, "template": template()},
                       "status": {"replicas": 2}}),
                Some(2),
                2,
            ),
            (
                WorkloadKind::DaemonSet,
                json!({"spec": {"selector": {}, "template": template()},
                       "status": {"desiredNumberScheduled": 5, "currentNumberScheduled": 4,
                                  "numberMisscheduled": 0, "numberReady": 4}}),
                Some(5),
                4,
            ),
            (
                WorkloadKind::CronJob,
                json!({"spec": {"schedule": "* * * * *",
                                "jobTemplate": {"spec": {"template": template()}}},
                       "status": {"lastScheduleTime": "2024-01-01T00:00:00Z"}}),
                None,
                0,
            ),
            (
                WorkloadKind::Job,
                json!({"spec": {"parallelism": 2, "template": template()},
                       "status": {"active": 1}}),
                Some(2),
                1,
            ),
            (
                WorkloadKind::ReplicaSet,
                json!({"spec": {"selector": {}, "template": template()},
                       "status": {"replicas": 1}}),
                Some(1),
                1,
            ),
            (
                WorkloadKind::ReplicationController,
                json!({"spec": {"replicas": 3, "selector": {"app": "web"}, "template": template()},
                       "status": {"replicas": 2}}),
                Some(3),
                2,
            ),
            (
                WorkloadKind::Pod,
                json!({"metadata": {"labels": {"app": "web"}},
                       "spec": {"containers": [{"name": "c"}]},
                       "status": {"phase": "Running"}}),
                Some(1),
                0,
            ),
        ]
    }

    fn stored(kind: &WorkloadKind, mut value: serde_json::Value) -> Stores {
        value["metadata"]["name"] = json!("web");
        value["metadata"]["namespace"] = json!("ns");
        let object = Object::from_json(kind.object_kind().unwrap(), &value).unwrap();
        let mut stores = Stores::default();
        stores.upsert(object);
        stores
    }

    fn web() -> (String, String) {
        ("ns".to_string(), "web".to_string())
    }

    #[test]
    fn every_workload_kind_has_an_example() {
        let kinds: Vec<WorkloadKind> = examples().into_iter().map(|e| e.0).collect();
        assert_eq!(kinds, WorkloadKind::MODELLED);
    }

    #[test]
    fn the_table_finds_each_kinds_template_replicas_and_status() {
        for (kind, value, desired, status_pods) in examples() {
            let stores = stored(&kind, value);
            let (controller, meta) = Controller::find(&stores, &kind, &web()).unwrap();
            assert_eq!(meta.name.as_deref(), Some("web"), "{kind}");
            assert_eq!(controller.kind(), kind.object_kind(), "{kind}");
            let object = controller.object().unwrap();
            let template = object.template();
            let containers = &template.spec.as_ref().unwrap().containers;
            assert_eq!(containers[0].name, "c", "{kind}: template");
            let labels = object.pod_labels().unwrap();
            assert_eq!(labels.get("app").map(String::as_str), Some("web"), "{kind}");
            assert_eq!(object.desired_replicas(), desired, "{kind}: replicas");
            assert!(object.reports_status(), "{kind}: status");
            assert_eq!(object.status_pods(), status_pods, "{kind}: status pods");
        }
    }

    #[test]
    fn the_template_can_be_changed_in_place_through_the_table() {
        for (kind, mut value, _, _) in examples() {
            value["metadata"]["name"] = json!("web");
            let mut object = Object::from_json(kind.object_kind().unwrap(), &value).unwrap();
            let Some(t) = workload_object_mut(&mut object).unwrap().pod_template_mut() else {
                // A bare pod is its own template: it is compacted and redacted as a pod.
                assert_eq!(kind, WorkloadKind::Pod);
                continue;
            };
            t.spec.as_mut().unwrap().containers[0].name = "changed".to_string();
            let template = workload_object(&object).unwrap().template();
            assert_eq!(
                template.spec.as_ref().unwrap().containers[0].name,
                "changed"
            );
        }
        let mut service = Object::from_json(Kind::Service, &json!({})).unwrap();
        assert!(workload_object_mut(&mut service).is_none());
    }

    #[test]
    fn an_absent_or_empty_status_says_nothing() {
        for (kind, mut value, _, _) in examples() {
            value.as_object_mut().unwrap().remove("status");
            let stores = stored(&kind, value.clone());
            let (controller, _) = Controller::find(&stores, &kind, &web()).unwrap();
            assert!(!controller.object().unwrap().reports_status(), "{kind}");
            assert_eq!(controller.object().unwrap().status_pods(), 0, "{kind}");
            value["status"] = json!({});
            let stores = stored(&kind, value);
            let (controller, _) = Controller::find(&stores, &kind, &web()).unwrap();
            assert!(
                !controller.object().unwrap().reports_status(),
                "{kind}: status {{}}"
            );
        }
    }

    #[test]
    fn a_custom_controller_is_never_found_and_has_its_own_class() {
        let custom = WorkloadKind::from_name("VirtualMachine");
        assert_eq!(custom, WorkloadKind::Custom("VirtualMachine".to_string()));
        assert_eq!(custom.class(), WorkloadClass::Custom);
        assert_eq!(custom.object_kind(), None);
        assert!(Controller::find(&Stores::default(), &custom, &web()).is_none());
    }

    #[test]
    fn classes_and_listing_follow_the_kind() {
        use WorkloadClass::*;
        let classes: Vec<WorkloadClass> =
            WorkloadKind::MODELLED.iter().map(|k| k.class()).collect();
        assert_eq!(
            classes,
            [
                Replicated, Replicated, Replicated, Daemon, Batch, Batch, Replicated, Replicated,
                BarePod
            ]
        );
        for kind in WorkloadKind::MODELLED {
            assert_eq!(WorkloadKind::from_name(kind.name()), *kind);
            let object_kind = kind.object_kind().unwrap();
            assert_eq!(object_kind.name(), kind.name());
            assert_eq!(
                WorkloadKind::of_object_kind(object_kind).as_ref(),
                Some(kind)
            );
        }
        assert_eq!(WorkloadKind::ReplicaSet.listing(), Listing::Unowned);
        assert_eq!(WorkloadKind::Job.listing(), Listing::Unowned);
        assert_eq!(WorkloadKind::Pod.listing(), Listing::ByPods);
        assert_eq!(WorkloadKind::Deployment.listing(), Listing::Always);
        assert_eq!(WorkloadKind::of_object_kind(Kind::Service), None);
        assert_eq!(
            WorkloadKind::Deployment.owns(),
            Some(WorkloadKind::ReplicaSet)
        );
        assert_eq!(WorkloadKind::CronJob.owns(), Some(WorkloadKind::Job));
        assert_eq!(WorkloadKind::Rollout.owns(), Some(WorkloadKind::ReplicaSet));
        assert_eq!(
            WorkloadKind::ReplicationController.listing(),
            Listing::Always
        );
        assert_eq!(WorkloadKind::StatefulSet.owns(), None);
    }

    #[test]
    fn only_unowned_replica_sets_and_jobs_are_listed() {
        let mut stores = Stores::default();
        for (kind, mut value, _, _) in examples() {
            for (name, owned) in [("mine", false), ("owned", true)] {
                value["metadata"]["name"] = json!(format!("{}-{name}", kind.name()));
                value["metadata"]["namespace"] = json!("ns");
                if owned {
                    value["metadata"]["ownerReferences"] = json!([{"apiVersion": "v1",
                        "kind": "X", "name": "x", "uid": "u", "controller": true}]);
                }
                stores.upsert(Object::from_json(kind.object_kind().unwrap(), &value).unwrap());
            }
        }
        let mut listed = Vec::new();
        listed_controllers(&stores, "ns", |kind, meta| {
            listed.push(format!("{kind} {}", meta.name.as_deref().unwrap()))
        });
        listed.sort();
        assert_eq!(
            listed,
            [
                "CronJob CronJob-mine",
                "CronJob CronJob-owned",
                "DaemonSet DaemonSet-mine",
                "DaemonSet DaemonSet-owned",
                "Deployment Deployment-mine",
                "Deployment Deployment-owned",
                "Job Job-mine",
                "ReplicaSet ReplicaSet-mine",
                "ReplicationController ReplicationController-mine",
                "ReplicationController ReplicationController-owned",
                "Rollout Rollout-mine",
                "Rollout Rollout-owned",
                "StatefulSet StatefulSet-mine",
                "StatefulSet StatefulSet-owned",
            ]
        );
    }
}
