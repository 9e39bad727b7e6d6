//! The model every source feeds and every view reads.

use super::object::{in_namespace, Kind, Object, ObjectKey, Stores};
use super::packed::Packed;
use super::pod::Pod;
use super::selector::Labels;
use super::workload::{
    listed_controllers, pod_template, workload_object, Controller, HeldWorkload, Listing, Template,
    Workload, WorkloadKey, WorkloadKind,
};
use chrono::{DateTime, Utc};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Where an object was read from, for error messages and code-scanning reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

/// One object as a source delivers it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub object: Object,
    /// The apiVersion the object was written in (may be a removed one).
    pub api_version: String,
    pub origin: Option<Origin>,
}

/// An object of a kind shipshape does not model, written in a removed API version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedApiObject {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub origin: Option<Origin>,
}

/// The message protocol shared by every source: live watchers, files and the demo script.
#[derive(Clone, Debug)]
pub enum Msg {
    /// Forget every object of the kind (a relist is about to deliver them again).
    Reset(Kind),
    Upsert(Box<Entry>),
    Remove(ObjectKey),
    /// The first full list of the kind is in: absent objects are known not to exist.
    Synced(Kind),
    /// The kind cannot be read with these credentials.
    Forbidden(Kind),
    /// The kind's watch failed and is retrying; data may be stale.
    Error(Kind, String),
    /// The API server does not serve the kind (an old cluster): its checks are `unknown`.
    Unavailable(Kind, String),
    /// Discovery says the kind's API group is not served: the feature is not in use, so the
    /// kind is known to have no objects and its checks are `n/a`.
    NotServed(Kind),
    /// The source as a whole is in trouble (cannot connect); `None` when it is fine again.
    SourceProblem(Option<String>),
    /// Facts about the cluster as a whole.
    Facts(ClusterFacts),
    /// The source's clock moved (snapshots and the demo carry their own time).
    Clock(DateTime<Utc>),
    /// Objects of kinds shipshape does not model: counted by `apiVersion kind`.
    UnknownKind(String),
    /// An unmodelled object in a removed API version (graded by `api.removed`).
    RemovedApi(RemovedApiObject),
    /// The expiry of a TLS Secret's certificate (`--read-tls-certs`), or the reader's state.
    TlsCert(super::tls_certs::TlsMsg),
}

/// What shipshape knows about one kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncState {
    /// Not (yet) listed: checks that need it are `unknown`.
    Unsynced,
    Synced,
    Forbidden,
    /// Listed once, but the watch is down: data may be stale.
    Stale(String),
    /// Not served by the API server.
    Unavailable(String),
    /// Its API group is not served (an add-on that is not installed): known to be empty.
    NotServed,
}

/// Cluster-wide facts a source may know.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterFacts {
    /// Where the data comes from: a kube context, a file, `demo`.
    pub source: String,
    /// `major.minor.patch` of the API server, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_version: Option<String>,
    /// Whether the `metrics.k8s.io` API is served, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_api: Option<bool>,
    /// Whether ServiceMonitor/PodMonitor CRDs exist, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitor_crds: Option<bool>,
    /// True for file input: the input declares absent kinds empty.
    #[serde(default)]
    pub from_manifests: bool,
}

/// A selector of pods, as a Service, PodDisruptionBudget or NetworkPolicy carries it.
#[derive(Clone, Debug, PartialEq)]
pub enum PodSelector {
    /// A Service's map: every pair must hold; empty selects nothing.
    Map(Labels),
    /// A label selector: empty selects every pod.
    Label(LabelSelector),
    /// A NetworkPolicy without a podSelector: every pod.
    Every,
}

impl PodSelector {
    pub fn matches(&self, labels: &Labels) -> bool {
        use super::selector::{map_selector_matches, selector_matches};
        match self {
            PodSelector::Map(m) => map_selector_matches(m, labels),
            PodSelector::Label(s) => selector_matches(s, labels),
            PodSelector::Every => true,
        }
    }
}

/// How objects of a kind apply to workloads: the one list of the kinds that select them.
/// A kind added here is handled by `apply` and by regrading; one that selects by selector or
/// target also needs its arm in `ClusterModel::selected_by` (a test names a missing one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selects {
    /// Not at all, or only by what it is (what reads the kind follows from its changes).
    Nothing,
    /// Pods by label selector, in its own namespace (Service, PDB, NetworkPolicy).
    BySelector,
    /// One workload by reference (an HPA's or ScaledObject's scale target).
    ByTarget,
    /// Workloads in other namespaces too (a ServiceMonitor's `namespaceSelector`).
    AcrossNamespaces,
}

impl Selects {
    pub fn of(kind: Kind) -> Selects {
        match kind {
            Kind::Service | Kind::PodDisruptionBudget | Kind::NetworkPolicy => Selects::BySelector,
            Kind::HorizontalPodAutoscaler | Kind::ScaledObject => Selects::ByTarget,
            Kind::ServiceMonitor | Kind::PodMonitor => Selects::AcrossNamespaces,
            _ => Selects::Nothing,
        }
    }
}

/// What an applied message touched: the facts of the change. What must be regraded follows
/// from them and from what each check declares it reads (`grade::regrade`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Touched {
    /// Workloads whose own objects changed: the controller, its pods, the ReplicaSets and Jobs
    /// it owns, events about them.
    pub workloads: BTreeSet<WorkloadKey>,
    /// The kinds of the objects that changed, each with the namespaces it changed in (`""`
    /// for cluster-scoped kinds; a Namespace's own name for a Namespace).
    pub changed: BTreeMap<Kind, BTreeSet<String>>,
    /// Everything must be regraded: a sync state, the facts or the clock moved.
    pub everything: bool,
    /// Labels, before and after, of the pods and pod templates that changed, by namespace: a
    /// Service whose selector matches none of them keeps its row when only workloads changed.
    pub labels: BTreeMap<String, BTreeSet<Labels>>,
    /// Namespaces where a pod template's labels changed, or a workload came or went: the
    /// closest miss a Service that selects nothing names may have moved.
    pub templates: BTreeSet<String>,
    /// Selectors (before and after) of changed objects that apply to pods by selector
    /// (Services, PDBs, NetworkPolicies), by namespace: the workloads they select are touched.
    /// They are matched against workloads only when a regrade needs them
    /// ([`ClusterModel::resolve`]), not once per message, so a first list of thousands of
    /// Services costs nothing until it is graded.
    pub selected: Vec<(String, PodSelector)>,
}

impl Touched {
    pub fn is_empty(&self) -> bool {
        self.workloads.is_empty()
            && self.changed.is_empty()
            && self.selected.is_empty()
            && !self.everything
    }

    pub fn merge(&mut self, other: Touched) {
        self.workloads.extend(other.workloads);
        for (kind, namespaces) in other.changed {
            self.changed.entry(kind).or_default().extend(namespaces);
        }
        self.everything |= other.everything;
        for (ns, labels) in other.labels {
            self.labels.entry(ns).or_default().extend(labels);
        }
        self.templates.extend(other.templates);
        self.selected.extend(other.selected);
        if self.everything {
            // Everything is regraded: the details would only take room (a first list of
            // 10,000 pods would otherwise keep 10,000 label sets until the next frame).
            *self = Touched {
                everything: true,
                ..Touched::default()
            };
        }
    }

    /// Records that an object of `key`'s kind changed where it lives.
    fn object(&mut self, key: &ObjectKey) {
        let scope = match key.kind {
            Kind::Namespace => &key.name,
            _ => &key.namespace,
        };
        match self.changed.get_mut(&key.kind) {
            Some(set) => {
                if !set.contains(scope) {
                    set.insert(scope.clone());
                }
            }
            None => {
                self.changed
                    .insert(key.kind, BTreeSet::from([scope.clone()]));
            }
        }
    }

    /// Records the labels a pod, or a controller's pod template, carries.
    fn pod_labels(&mut self, object: &Object) {
        let Some(workload) = workload_object(object) else {
            return;
        };
        let labels = workload.pod_labels();
        let ns = object.metadata().namespace.as_deref().unwrap_or_default();
        self.add_labels(ns, labels);
    }

    fn add_labels(&mut self, namespace: &str, labels: Option<&Labels>) {
        let labels = labels.cloned().unwrap_or_default();
        match self.labels.get_mut(namespace) {
            Some(set) => {
                set.insert(labels);
            }
            None => {
                self.labels
                    .insert(namespace.to_string(), BTreeSet::from([labels]));
            }
        }
    }
}

/// The labels a workload object gives its pods (a pod's own, for a pod); `None` for objects
/// that are not workloads.
fn pod_labels_of(object: Option<&Object>) -> Option<Labels> {
    workload_object(object?).map(|w| w.pod_labels().cloned().unwrap_or_default())
}

type NsName = (String, String);

/// The labels of a template that has none.
static NO_LABELS: Labels = Labels::new();

/// Typed stores, sync states and ownership indexes.
#[derive(Clone, Debug, Default)]
pub struct ClusterModel {
    pub stores: Stores,
    sync: BTreeMap<Kind, SyncState>,
    pub facts: ClusterFacts,
    /// The source's clock; `None` means the wall clock.
    pub clock: Option<DateTime<Utc>>,
    pub origins: HashMap<ObjectKey, Origin>,
    /// apiVersions as written, where they differ from the one shipshape reads.
    pub written_api_versions: HashMap<ObjectKey, String>,
    pub unknown_kinds: BTreeMap<String, usize>,
    pub removed_api_objects: Vec<RemovedApiObject>,
    /// Why the source cannot deliver (e.g. the API server is unreachable).
    pub source_problem: Option<String>,
    /// When the certificates of TLS Secrets expire, when `--read-tls-certs` reads them.
    pub tls_certs: super::tls_certs::TlsCerts,
    /// Pod → its workload.
    pod_workload: HashMap<NsName, WorkloadKey>,
    /// Workload → its pods' names.
    workload_pods: HashMap<WorkloadKey, BTreeSet<String>>,
    /// Workloads keyed by a ReplicaSet that is not in the model: a Deployment that arrives
    /// later may claim their pods by name.
    orphan_replica_sets: BTreeSet<WorkloadKey>,
    /// (namespace, controller kind, controller name) → names of pods, ReplicaSets and Jobs
    /// that name it as their controller.
    children: HashMap<(String, String, String), BTreeSet<(Kind, String)>>,
    /// Live pods held slim because their workload's controller is in the model, with the
    /// spec each gave up, given back should the controller go (a file's pods are slimmed as
    /// the file is read, see `slim`).
    slim_pods: HashMap<NsName, super::slim::SetApart>,
}

/// The controller ownerReference of an object, if any.
pub fn controller_ref(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
}

impl ClusterModel {
    pub fn new() -> ClusterModel {
        ClusterModel::default()
    }

    /// The time grading measures ages against.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.unwrap_or_else(Utc::now)
    }

    pub fn sync_state(&self, kind: Kind) -> SyncState {
        self.sync.get(&kind).cloned().unwrap_or(SyncState::Unsynced)
    }

    /// True when the kind's objects in the model are the complete truth.
    pub fn knows(&self, kind: Kind) -> bool {
        matches!(
            self.sync_state(kind),
            SyncState::Synced | SyncState::Stale(_) | SyncState::NotServed
        )
    }

    pub fn sync_states(&self) -> &BTreeMap<Kind, SyncState> {
        &self.sync
    }

    /// Applies one message and says what it touched.
    pub fn apply(&mut self, msg: Msg) -> Touched {
        let mut touched = Touched::default();
        match msg {
            Msg::Reset(kind) => {
                for (ns, name) in self.stores.keys(kind) {
                    touched.merge(self.remove(&ObjectKey {
                        kind,
                        namespace: ns,
                        name,
                    }));
                }
            }
            Msg::Upsert(entry) => touched = self.upsert(*entry),
            Msg::Remove(key) => touched = self.remove(&key),
            Msg::Synced(kind) => {
                self.sync.insert(kind, SyncState::Synced);
                touched.everything = true;
            }
            Msg::Forbidden(kind) => {
                self.sync.insert(kind, SyncState::Forbidden);
                touched.everything = true;
            }
            Msg::Error(kind, why) => {
                let state = match self.sync_state(kind) {
                    SyncState::Synced | SyncState::Stale(_) => SyncState::Stale(why),
                    other => other,
                };
                self.sync.insert(kind, state);
            }
            Msg::NotServed(kind) => {
                self.sync.insert(kind, SyncState::NotServed);
                touched.everything = true;
            }
            Msg::Unavailable(kind, why) => {
                self.sync.insert(kind, SyncState::Unavailable(why));
                touched.everything = true;
            }
            Msg::SourceProblem(problem) => self.source_problem = problem,
            Msg::Facts(facts) => {
                self.facts = facts;
                touched.everything = true;
            }
            Msg::Clock(t) => {
                self.clock = Some(t);
                touched.everything = true;
            }
            Msg::UnknownKind(k) => *self.unknown_kinds.entry(k).or_default() += 1,
            Msg::RemovedApi(o) => {
                self.removed_api_objects.push(o);
                touched.everything = true;
            }
            Msg::TlsCert(m) => touched = self.tls_certs.apply(m),
        }
        touched
    }

    fn upsert(&mut self, entry: Entry) -> Touched {
        let key = ObjectKey::of(&entry.object);
        let (mut touched, old) = self.remove_object(&key);
        if let Some(origin) = entry.origin {
            self.origins.insert(key.clone(), origin);
        }
        if entry.api_version != key.kind.api_version() {
            self.written_api_versions
                .insert(key.clone(), entry.api_version);
        }
        if let Some(c) = controller_ref(entry.object.metadata()) {
            // Objects that belong to another workload when something controls them.
            let ownable = WorkloadKind::of_object_kind(key.kind)
                .is_some_and(|k| k.listing() != Listing::Always);
            if ownable {
                self.children
                    .entry((key.namespace.clone(), c.kind.clone(), c.name.clone()))
                    .or_default()
                    .insert((key.kind, key.name.clone()));
            }
        }
        touched.object(&key);
        // A new pod's workload, when it is new too, is seen by `reindex`.
        let new_pod = old.is_none() && key.kind == Kind::Pod;
        if !new_pod && pod_labels_of(old.as_ref()) != pod_labels_of(Some(&entry.object)) {
            touched.templates.insert(key.namespace.clone());
        }
        touched.pod_labels(&entry.object);
        self.stores.upsert(entry.object);
        touched.merge(self.reindex(&key));
        touched
    }

    fn remove(&mut self, key: &ObjectKey) -> Touched {
        let (mut touched, old) = self.remove_object(key);
        // A pod's workload, when it goes with its last pod, is seen by `reindex`.
        if key.kind != Kind::Pod && pod_labels_of(old.as_ref()).is_some() {
            touched.templates.insert(key.namespace.clone());
        }
        touched
    }

    /// Removes an object; says what that touched, and hands the object back.
    fn remove_object(&mut self, key: &ObjectKey) -> (Touched, Option<Object>) {
        // The workload an owned controller (a CronJob's Job, a Deployment's ReplicaSet) is
        // part of, found while the controller is still there to say.
        let owner = (key.kind != Kind::Pod && WorkloadKind::of_object_kind(key.kind).is_some())
            .then(|| self.workload_of_controller(key))
            .flatten();
        let Some(old) = self.stores.remove(key.kind, &key.namespace, &key.name) else {
            return (Touched::default(), None);
        };
        self.origins.remove(key);
        self.written_api_versions.remove(key);
        if let Some(c) = controller_ref(old.metadata()) {
            let idx = (key.namespace.clone(), c.kind.clone(), c.name.clone());
            if let Some(set) = self.children.get_mut(&idx) {
                set.remove(&(key.kind, key.name.clone()));
                if set.is_empty() {
                    self.children.remove(&idx);
                }
            }
        }
        // What the old object selected must be regraded too (a selector may have changed).
        let mut touched = self.selected_by(&old).unwrap_or_default();
        // A removed Job or ReplicaSet leaves its controller's workload (a CronJob's last run):
        // once it is gone, `reindex` can no longer walk up to that workload.
        if key.kind != Kind::Pod && WorkloadKind::of_object_kind(key.kind).is_some() {
            if let Some(c) = controller_ref(old.metadata()) {
                let owner = self.resolve_owner(&key.namespace, &c.kind, &c.name, None);
                touched.workloads.insert(owner);
            }
        }
        // A removed Event leaves its workload's alerts: `reindex` no longer finds it.
        if let Object::Event(e) = &old {
            if let Some(wk) = self.workload_of_involved(&e.involved_object) {
                touched.workloads.insert(wk);
            }
        }
        touched.object(key);
        touched.workloads.extend(owner);
        touched.pod_labels(&old);
        touched.merge(self.reindex(key));
        (touched, Some(old))
    }

    /// For objects that apply to workloads by selector or reference (Service, PDB,
    /// NetworkPolicy, HPA): the workloads they apply to (a selector, for [`Self::resolve`]).
    /// `None` for other kinds.
    fn selected_by(&self, object: &Object) -> Option<Touched> {
        if !Self::applies_by_selector(object.kind()) {
            return None;
        }
        self.selected_by_object(object)
    }

    /// What `object` selects, read from its typed spec: one arm per kind [`Selects::of`] says
    /// selects by selector or target.
    fn selected_by_object(&self, object: &Object) -> Option<Touched> {
        let ns = object.metadata().namespace.clone().unwrap_or_default();
        let mut touched = Touched::default();
        let selector = match object {
            Object::Service(s) => s
                .spec
                .as_ref()
                .and_then(|sp| sp.selector.clone())
                .map(PodSelector::Map),
            Object::PodDisruptionBudget(p) => p
                .spec
                .as_ref()
                .and_then(|sp| sp.selector.clone())
                .map(PodSelector::Label),
            Object::NetworkPolicy(np) => np.spec.as_ref().map(|spec| {
                spec.pod_selector
                    .clone()
                    .map_or(PodSelector::Every, PodSelector::Label)
            }),
            Object::ScaledObject(so) => {
                touched.workloads.insert(WorkloadKey::new(
                    WorkloadKind::from_name(so.target_kind()),
                    &ns,
                    &so.spec.scale_target_ref.name,
                ));
                None
            }
            Object::HorizontalPodAutoscaler(h) => {
                let t = &h.spec.scale_target_ref;
                touched.workloads.insert(WorkloadKey::new(
                    WorkloadKind::from_name(&t.kind),
                    &ns,
                    &t.name,
                ));
                None
            }
            _ => return None,
        };
        // A Rollout's stable, canary, active and preview Services are its own by name, whatever
        // their selector says (Argo adds a pod-template hash to it).
        if let Object::Service(svc) = object {
            let name = svc.metadata.name.as_deref().unwrap_or_default();
            for r in in_namespace(&self.stores.rollouts, &ns) {
                if r.without_pod_spec().service_names().contains(&name) {
                    let rollout = r.metadata().name.as_deref().unwrap_or_default();
                    touched
                        .workloads
                        .insert(WorkloadKey::new(WorkloadKind::Rollout, &ns, rollout));
                }
            }
        }
        if let Some(selector) = selector {
            touched.selected.push((ns, selector));
        }
        Some(touched)
    }

    /// Whether objects of `kind` apply to workloads by selector or by reference (a Service,
    /// PDB or NetworkPolicy by selector, an HPA by its target): a change to one touches only
    /// the workloads it applies to, old and new, which `apply` records.
    pub fn applies_by_selector(kind: Kind) -> bool {
        matches!(Selects::of(kind), Selects::BySelector | Selects::ByTarget)
    }

    /// Whether objects of `kind` may select workloads in other namespaces (a ServiceMonitor
    /// or PodMonitor's `namespaceSelector`): a change to one may touch any workload.
    pub fn selects_across_namespaces(kind: Kind) -> bool {
        Selects::of(kind) == Selects::AcrossNamespaces
    }

    /// Turns the selectors a batch touched into the workloads they select, in the model as it
    /// is now (a workload that changed in the same batch is touched by its own change).
    pub fn resolve(&self, touched: &mut Touched) {
        let mut by_namespace: BTreeMap<&str, Vec<&PodSelector>> = BTreeMap::new();
        for (ns, selector) in &touched.selected {
            by_namespace.entry(ns).or_default().push(selector);
        }
        let mut selected = BTreeSet::new();
        for (ns, selectors) in by_namespace {
            for key in self.workload_keys_in(ns) {
                // Labels alone: a workload's template is not decoded to be selected.
                if self.workload_pod_labels(&key).is_some_and(|labels| {
                    let labels = labels.unwrap_or(&NO_LABELS);
                    selectors.iter().any(|s| s.matches(labels))
                }) {
                    selected.insert(key);
                }
            }
        }
        touched.workloads.extend(selected);
        touched.selected.clear();
    }

    /// Updates ownership indexes after `key` changed, and says what that touched.
    fn reindex(&mut self, key: &ObjectKey) -> Touched {
        let mut touched = Touched::default();
        let ns = &key.namespace;
        match key.kind {
            Kind::Pod => {
                let nn = (ns.clone(), key.name.clone());
                if let Some(old) = self.pod_workload.remove(&nn) {
                    if let Some(set) = self.workload_pods.get_mut(&old) {
                        set.remove(&key.name);
                        if set.is_empty() {
                            self.workload_pods.remove(&old);
                            self.orphan_replica_sets.remove(&old);
                            // A workload seen only through its pods is gone.
                            touched.templates.insert(ns.clone());
                        }
                    }
                    touched.workloads.insert(old);
                }
                if let Some(pod) = self.stores.pods.get(&nn) {
                    // Its workload may have changed: the Services selecting it name that.
                    touched.add_labels(ns, pod.metadata.labels.as_ref());
                    let wk = self.resolve_pod(ns, pod);
                    if wk.kind == WorkloadKind::ReplicaSet {
                        self.orphan_replica_sets.insert(wk.clone());
                    }
                    let pods = self.workload_pods.entry(wk.clone()).or_default();
                    if pods.is_empty() {
                        touched.templates.insert(ns.clone());
                    }
                    pods.insert(key.name.clone());
                    self.pod_workload.insert(nn.clone(), wk.clone());
                    touched.workloads.insert(wk);
                }
                self.settle_pod_spec(&nn);
            }
            // Controllers that own, or may be owned by, another controller: the pods below
            // may now resolve to another workload.
            kind if WorkloadKind::of_object_kind(kind)
                .is_some_and(|k| k.listing() == Listing::Unowned || k.owns().is_some()) =>
            {
                let mut pods = BTreeSet::new();
                self.collect_pods_below(ns, key.kind.name(), &key.name, &mut pods, 0);
                if matches!(key.kind, Kind::Deployment | Kind::Rollout) {
                    // Pods whose ReplicaSet is absent are attributed by name to the Deployment
                    // (or Rollout).
                    // One seek: the set is ordered by (kind, namespace, name).
                    let prefix = format!("{}-", key.name);
                    let from = WorkloadKey::new(WorkloadKind::ReplicaSet, ns, &prefix);
                    for wk in self.orphan_replica_sets.range(from..).take_while(|wk| {
                        wk.kind == WorkloadKind::ReplicaSet
                            && wk.namespace == *ns
                            && wk.name.starts_with(&prefix)
                    }) {
                        pods.extend(self.workload_pods.get(wk).into_iter().flatten().cloned());
                    }
                }
                for pod in pods {
                    touched.merge(self.reindex(&ObjectKey {
                        kind: Kind::Pod,
                        namespace: ns.clone(),
                        name: pod,
                    }));
                }
                if let Some(wk) = self.workload_of_controller(key) {
                    touched.workloads.insert(wk);
                }
                if key.kind == Kind::Deployment {
                    // Rollouts that run its template.
                    touched
                        .workloads
                        .extend(self.rollouts_referencing(ns, &key.name));
                }
            }

            Kind::Event => {
                if let Some(Object::Event(e)) = self.stores.get(Kind::Event, ns, &key.name) {
                    if let Some(wk) = self.workload_of_involved(&e.involved_object) {
                        touched.workloads.insert(wk);
                    }
                }
            }
            kind if ClusterModel::applies_by_selector(kind) => {
                if let Some(object) = self.stores.get(key.kind, ns, &key.name) {
                    touched.merge(self.selected_by(&object).unwrap_or_default());
                }
            }
            // Controllers whose pods are their own (StatefulSet, DaemonSet). Objects of other
            // kinds are not part of a workload: what reads them follows from `changed`.
            kind => {
                if let Some(workload_kind) = WorkloadKind::of_object_kind(kind) {
                    touched
                        .workloads
                        .insert(WorkloadKey::new(workload_kind, ns, &key.name));
                }
            }
        }
        touched
    }

    /// Holds a live pod's spec slim while its workload's controller is in the model (the
    /// workload is then graded from the controller's template, and the pod is read only for
    /// what `slim` keeps), and whole otherwise, when the model may take the template from it.
    fn settle_pod_spec(&mut self, nn: &NsName) {
        if self.facts.from_manifests {
            return;
        }
        let controller_here = self.pod_workload.get(nn).is_some_and(|wk| {
            wk.kind != WorkloadKind::Pod
                && Controller::find(
                    &self.stores,
                    &wk.kind,
                    &(wk.namespace.clone(), wk.name.clone()),
                )
                .is_some()
        });
        let Some(pod) = self.stores.pods.get_mut(nn) else {
            self.slim_pods.remove(nn);
            return;
        };
        match (controller_here, self.slim_pods.contains_key(nn)) {
            (true, false) => {
                if let Some(part) = super::slim::slim_pod_spec(pod) {
                    self.slim_pods.insert(nn.clone(), part);
                }
            }
            (false, true) => {
                if let Some(part) = self.slim_pods.remove(nn) {
                    super::slim::restore_pod_spec(pod, &part);
                }
            }
            _ => {}
        }
    }

    fn collect_pods_below(
        &self,
        ns: &str,
        kind: &str,
        name: &str,
        out: &mut BTreeSet<String>,
        depth: usize,
    ) {
        if depth > 3 {
            return;
        }
        let idx = (ns.to_string(), kind.to_string(), name.to_string());
        for (child_kind, child) in self.children.get(&idx).into_iter().flatten() {
            if *child_kind == Kind::Pod {
                out.insert(child.clone());
            } else {
                self.collect_pods_below(ns, child_kind.name(), child, out, depth + 1);
            }
        }
    }

    /// The workload a controller object belongs to (a ReplicaSet's Deployment, …).
    fn workload_of_controller(&self, key: &ObjectKey) -> Option<WorkloadKey> {
        Some(self.resolve_owner(&key.namespace, key.kind.name(), &key.name, None))
    }

    /// The workload an event's involvedObject belongs to.
    pub fn workload_of_involved(
        &self,
        obj: &k8s_openapi::api::core::v1::ObjectReference,
    ) -> Option<WorkloadKey> {
        let ns = obj.namespace.as_deref().unwrap_or_default();
        let name = obj.name.as_deref()?;
        match obj.kind.as_deref()? {
            "Pod" => self
                .pod_workload
                .get(&(ns.to_string(), name.to_string()))
                .cloned(),
            // The other workload kinds' controllers.
            kind => match WorkloadKind::from_name(kind) {
                WorkloadKind::Custom(_) => None,
                _ => Some(self.resolve_owner(ns, kind, name, None)),
            },
        }
    }

    fn resolve_pod(&self, ns: &str, pod: &Pod) -> WorkloadKey {
        let name = pod.metadata.name.as_deref().unwrap_or_default();
        match controller_ref(&pod.metadata) {
            // A static pod's mirror is "controlled" by its Node: it is its own workload.
            Some(r) if r.kind != "Node" => self.resolve_owner(ns, &r.kind, &r.name, Some(pod)),
            _ => WorkloadKey::new(WorkloadKind::Pod, ns, name),
        }
    }

    /// Walks ownerReferences up from (kind, name) to the workload.
    fn resolve_owner(&self, ns: &str, kind: &str, name: &str, pod: Option<&Pod>) -> WorkloadKey {
        let nn = (ns.to_string(), name.to_string());
        let parent = match kind {
            "ReplicaSet" => match self.stores.replica_sets.get(&nn) {
                Some(rs) => controller_ref(rs.metadata()),
                None => {
                    // Without the ReplicaSet, `<deployment>-<pod-template-hash>` names the owner.
                    let hash = pod
                        .and_then(|p| p.metadata.labels.as_ref())
                        .and_then(|l| l.get("pod-template-hash"));
                    // Argo Rollouts name their ReplicaSets the same way, with their own label.
                    let hash = hash.or_else(|| {
                        pod.and_then(|p| p.metadata.labels.as_ref())
                            .and_then(|l| l.get("rollouts-pod-template-hash"))
                    });
                    if let Some(owner) = hash.and_then(|h| name.strip_suffix(&format!("-{h}"))) {
                        let nn = (ns.to_string(), owner.to_string());
                        if self.stores.deployments.contains_key(&nn) {
                            return WorkloadKey::new(WorkloadKind::Deployment, ns, owner);
                        }
                        if self.stores.rollouts.contains_key(&nn) {
                            return WorkloadKey::new(WorkloadKind::Rollout, ns, owner);
                        }
                    }
                    None
                }
            },
            "Job" => self
                .stores
                .jobs
                .get(&nn)
                .and_then(|j| controller_ref(&j.metadata)),
            _ => None,
        };
        match parent {
            Some(p) if p.kind != kind => {
                WorkloadKey::new(WorkloadKind::from_name(&p.kind), ns, &p.name)
            }
            _ => WorkloadKey::new(WorkloadKind::from_name(kind), ns, name),
        }
    }

    /// Every workload in the model, sorted by key.
    pub fn workload_keys(&self) -> Vec<WorkloadKey> {
        let mut keys: Vec<WorkloadKey> = self
            .namespace_names()
            .iter()
            .flat_map(|ns| self.workload_keys_in(ns))
            .collect();
        keys.sort();
        keys
    }

    /// Workloads in one namespace, sorted by key; proportional to the namespace's size.
    pub fn workload_keys_in(&self, namespace: &str) -> Vec<WorkloadKey> {
        use super::object::in_namespace;
        let s = &self.stores;
        let mut keys: BTreeSet<WorkloadKey> = BTreeSet::new();
        // One key buffer for every pod's lookup, not two new strings per pod.
        let mut nn = (namespace.to_string(), String::new());
        for pod in in_namespace(&s.pods, namespace) {
            nn.1.clear();
            nn.1.push_str(pod.metadata.name.as_deref().unwrap_or_default());
            if let Some(k) = self.pod_workload.get(&nn) {
                if !keys.contains(k) {
                    keys.insert(k.clone());
                }
            }
        }
        listed_controllers(s, namespace, |kind, meta| {
            let name = meta.name.as_deref().unwrap_or_default();
            if kind == WorkloadKind::Deployment
                && !self.rollouts_referencing(namespace, name).is_empty()
            {
                return;
            }
            keys.insert(WorkloadKey::new(kind, namespace, name));
        });
        keys.into_iter().collect()
    }

    /// Whether `key` is one of [`Self::workload_keys_in`] (without listing the namespace): a
    /// ReplicaSet or Job that a controller owns is no workload of its own, though re-applying
    /// it touches its key.
    pub fn is_workload(&self, key: &WorkloadKey) -> bool {
        if self.workload_pods.contains_key(key) {
            return true;
        }
        let nn = (key.namespace.clone(), key.name.clone());
        let Some((_, meta)) = Controller::find(&self.stores, &key.kind, &nn) else {
            return false;
        };
        match key.kind.listing() {
            Listing::Always if key.kind == WorkloadKind::Deployment => self
                .rollouts_referencing(&key.namespace, &key.name)
                .is_empty(),
            Listing::Always => true,
            Listing::Unowned => controller_ref(meta).is_none(),
            Listing::ByPods => false,
        }
    }

    /// The pods of a workload.
    pub fn pods_of(&self, key: &WorkloadKey) -> Vec<&Pod> {
        self.workload_pods
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(|name| self.stores.pods.get(&(key.namespace.clone(), name.clone())))
            .map(|p| &**p)
            .collect()
    }

    /// A borrowed view of one workload, or `None` when nothing of it is in the model.
    pub fn workload(&self, key: &WorkloadKey) -> Option<Workload<'_>> {
        let nn = (key.namespace.clone(), key.name.clone());
        let s = &self.stores;
        let pods = self.pods_of(key);
        let mut jobs = Vec::new();
        let (controller, meta, template): (Controller<'_>, Cow<'_, ObjectMeta>, Template<'_>) =
            match Controller::find(s, &key.kind, &nn) {
                Some((controller, meta)) => {
                    if key.kind.owns() == Some(WorkloadKind::Job) {
                        jobs = self.jobs_owned_by(&key.namespace, key.kind.name(), &key.name);
                    }
                    let template = match self.referenced_deployment(&controller, &key.namespace) {
                        Some(d) => Template::packed(d),
                        None => controller
                            .object()
                            .map_or_else(Template::default, |o| o.workload_template()),
                    };
                    (controller, Cow::Borrowed(meta), template)
                }
                None => {
                    // The controller is absent: take the template from what is below it.
                    let rs_template = self.owned_replica_set_with_template(key);
                    let template = match (rs_template, pods.first()) {
                        (Some(rs), _) => Template::packed(rs),
                        (None, Some(p)) => Template::ready(Cow::Owned(pod_template(p))),
                        (None, None) => return None,
                    };
                    let meta = ObjectMeta {
                        name: Some(key.name.clone()),
                        namespace: Some(key.namespace.clone()),
                        ..Default::default()
                    };
                    (Controller::Missing, Cow::Owned(meta), template)
                }
            };
        Some(Workload {
            key: key.clone(),
            controller,
            meta,
            template,
            pods,
            jobs,
        })
    }

    /// The Deployment whose template a Rollout runs, the one its `workloadRef` names, when
    /// the Rollout has no template of its own.
    fn referenced_deployment(
        &self,
        controller: &Controller<'_>,
        namespace: &str,
    ) -> Option<&Packed<Deployment>> {
        let Controller::Rollout(rollout) = controller else {
            return None;
        };
        if rollout.has_template() {
            return None;
        }
        let name = rollout.without_pod_spec().referenced_deployment()?;
        self.stores
            .deployments
            .get(&(namespace.to_string(), name.to_string()))
            .map(|d| &**d)
    }

    /// The first ReplicaSet with a template that a workload absent from the model owns.
    fn owned_replica_set_with_template(&self, key: &WorkloadKey) -> Option<&Packed<ReplicaSet>> {
        self.children
            .get(&(
                key.namespace.clone(),
                key.kind.name().to_string(),
                key.name.clone(),
            ))
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k == Kind::ReplicaSet)
            .filter_map(|(_, n)| {
                self.stores
                    .replica_sets
                    .get(&(key.namespace.clone(), n.clone()))
            })
            .map(|rs| &**rs)
            .find(|rs| rs.has_template())
    }

    /// The labels a workload's pods carry, as [`Self::workload`] would take its template,
    /// but without decoding it: `Some(None)` when the template has no labels, `None` when
    /// nothing of the workload is in the model.
    pub fn workload_pod_labels(&self, key: &WorkloadKey) -> Option<Option<&Labels>> {
        let nn = (key.namespace.clone(), key.name.clone());
        if let Some((controller, _)) = Controller::find(&self.stores, &key.kind, &nn) {
            if let Some(d) = self.referenced_deployment(&controller, &key.namespace) {
                return Some(d.pod_labels());
            }
            return Some(controller.object().and_then(|o| o.pod_labels()));
        }
        if let Some(rs) = self.owned_replica_set_with_template(key) {
            return Some(rs.pod_labels());
        }
        let pods = self.workload_pods.get(key)?;
        let first = pods
            .iter()
            .find_map(|name| self.stores.pods.get(&(key.namespace.clone(), name.clone())))?;
        Some(first.metadata.labels.as_ref())
    }

    /// The Rollouts in `namespace` whose `workloadRef` names the Deployment `name`: the
    /// Deployment only holds their template, so it is graded as part of them.
    pub fn rollouts_referencing(&self, namespace: &str, name: &str) -> Vec<WorkloadKey> {
        super::object::in_namespace(&self.stores.rollouts, namespace)
            .filter(|r| r.without_pod_spec().referenced_deployment() == Some(name))
            .map(|r| {
                WorkloadKey::new(
                    WorkloadKind::Rollout,
                    namespace,
                    r.metadata().name.as_deref().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// The Jobs a CronJob owns, oldest first by creation time.
    pub fn jobs_of_cron_job(
        &self,
        namespace: &str,
        name: &str,
    ) -> Vec<&k8s_openapi::api::batch::v1::Job> {
        self.jobs_owned_by(namespace, WorkloadKind::CronJob.name(), name)
    }

    /// The Jobs a controller of `kind` owns, oldest first by creation time.
    fn jobs_owned_by(
        &self,
        namespace: &str,
        kind: &str,
        name: &str,
    ) -> Vec<&k8s_openapi::api::batch::v1::Job> {
        let mut jobs: Vec<_> = self
            .children
            .get(&(namespace.to_string(), kind.to_string(), name.to_string()))
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k == Kind::Job)
            .filter_map(|(_, n)| self.stores.jobs.get(&(namespace.to_string(), n.clone())))
            .map(|j| &**j)
            .collect();
        jobs.sort_by_key(|j| {
            j.metadata
                .creation_timestamp
                .as_ref()
                .map(crate::time::from_time)
        });
        jobs
    }

    /// The namespaces that exist or hold objects, sorted.
    pub fn namespace_names(&self) -> Vec<String> {
        let s = &self.stores;
        let mut names: BTreeSet<String> = s.namespaces.keys().map(|(_, n)| n.clone()).collect();
        // Every workload lives in the namespace of a pod or a controller.
        distinct_namespaces(&s.pods, &mut names);
        distinct_namespaces(&s.deployments, &mut names);
        distinct_namespaces(&s.stateful_sets, &mut names);
        distinct_namespaces(&s.daemon_sets, &mut names);
        distinct_namespaces(&s.cron_jobs, &mut names);
        distinct_namespaces(&s.jobs, &mut names);
        distinct_namespaces(&s.replica_sets, &mut names);
        distinct_namespaces(&s.rollouts, &mut names);
        distinct_namespaces(&s.replication_controllers, &mut names);
        distinct_namespaces(&s.services, &mut names);
        distinct_namespaces(&s.ingresses, &mut names);
        distinct_namespaces(&s.gateways, &mut names);
        distinct_namespaces(&s.http_routes, &mut names);
        distinct_namespaces(&s.grpc_routes, &mut names);
        names.into_iter().filter(|n| !n.is_empty()).collect()
    }

    /// Warning events about a workload or its pods, newest first.
    pub fn events_of(&self, key: &WorkloadKey) -> Vec<&k8s_openapi::api::core::v1::Event> {
        let mut events: Vec<_> = self
            .stores
            .events
            .range((key.namespace.clone(), String::new())..)
            .take_while(|((ns, _), _)| *ns == key.namespace)
            .map(|(_, e)| &**e)
            .filter(|e| self.workload_of_involved(&e.involved_object).as_ref() == Some(key))
            .collect();
        events.sort_by_key(|e| std::cmp::Reverse(event_time(e)));
        events
    }

    pub fn origin(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Origin> {
        self.origins.get(&ObjectKey {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        })
    }

    /// The apiVersion an object was written in, when it differs from the current one.
    pub fn written_api_version(&self, kind: Kind, namespace: &str, name: &str) -> Option<&str> {
        self.written_api_versions
            .get(&ObjectKey {
                kind,
                namespace: namespace.to_string(),
                name: name.to_string(),
            })
            .map(String::as_str)
    }
}

/// Adds the namespaces a store holds objects in: one seek per namespace, not one step per
/// object.
fn distinct_namespaces<T>(store: &BTreeMap<(String, String), T>, out: &mut BTreeSet<String>) {
    let mut next = store.keys().next().map(|(ns, _)| ns.clone());
    while let Some(ns) = next {
        // The smallest key after every key of `ns`: (ns + "\0", "").
        let after = (format!("{ns}\0"), String::new());
        next = store.range(after..).next().map(|((n, _), _)| n.clone());
        out.insert(ns);
    }
}

/// When an event last happened.
pub fn event_time(e: &k8s_openapi::api::core::v1::Event) -> Option<DateTime<Utc>> {
    use crate::time::{from_micro_time, from_time};
    e.last_timestamp
        .as_ref()
        .map(from_time)
        .or_else(|| e.event_time.as_ref().map(from_micro_time))
        .or_else(|| e.first_timestamp.as_ref().map(from_time))
        .or_else(|| e.metadata.creation_timestamp.as_ref().map(from_time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::file::load_str;
    use crate::source::LoadOptions;
    use crate::testing::{key, model};

    #[test]
    fn every_kind_that_selects_workloads_says_which_in_selected_by() {
        // One object of every kind, from a spec that has what each selecting kind needs
        // (fields a kind does not have are ignored when it is read).
        let sample = serde_json::json!({
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {
                "selector": {},
                "podSelector": {},
                "scaleTargetRef": {"kind": "Deployment", "name": "web"},
                "maxReplicas": 1,
            },
        });
        let model = ClusterModel::new();
        let mut read = 0;
        for &kind in Kind::ALL.iter().chain(Kind::ON_REQUEST) {
            let selects = ClusterModel::applies_by_selector(kind);
            let Ok(object) = Object::from_json(kind, &sample) else {
                assert!(
                    !selects,
                    "{kind} selects workloads, but the sample is not one"
                );
                continue;
            };
            read += 1;
            assert_eq!(
                model.selected_by_object(&object).is_some(),
                selects,
                "{kind}: `Selects::of` and `selected_by` disagree"
            );
        }
        assert!(read > 20, "only {read} kinds read the sample");
    }

    const THREE: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: a, namespace: shop}
spec: {selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: i}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b, namespace: shop}
spec: {selector: {matchLabels: {app: b}}, template: {metadata: {labels: {app: b}}, spec: {containers: [{name: c, image: i}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: c, namespace: shop}
spec: {selector: {matchLabels: {app: c}}, template: {metadata: {labels: {app: c}}, spec: {containers: [{name: c, image: i}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: front, namespace: shop}
spec: {selector: {app: a}, ports: [{port: 80}]}
";

    fn apply_yaml(m: &mut ClusterModel, yaml: &str) -> Touched {
        let mut touched = Touched::default();
        for msg in load_str(yaml, "change.yaml", &LoadOptions::default()).unwrap() {
            if matches!(msg, Msg::Upsert(_)) {
                touched.merge(m.apply(msg));
            }
        }
        m.resolve(&mut touched);
        touched
    }

    #[test]
    fn a_selector_change_touches_the_old_and_new_selected_workloads_only() {
        let mut m = model(THREE);
        let touched = apply_yaml(
            &mut m,
            "apiVersion: v1\nkind: Service\nmetadata: {name: front, namespace: shop}\nspec: {selector: {app: b}, ports: [{port: 80}]}\n",
        );
        let expected: BTreeSet<WorkloadKey> =
            [key("Deployment/shop/a"), key("Deployment/shop/b")].into();
        assert_eq!(touched.workloads, expected);
        assert_eq!(
            touched.changed,
            [(Kind::Service, ["shop".to_string()].into())].into(),
            "the Service's own row, and what reads Services"
        );
    }

    #[test]
    fn an_hpa_touches_its_target_and_a_pdb_what_it_selects() {
        let mut m = model(THREE);
        let touched = apply_yaml(
            &mut m,
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: shop}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: c}, minReplicas: 2, maxReplicas: 4}\n",
        );
        assert_eq!(touched.workloads, [key("Deployment/shop/c")].into());
        let touched = apply_yaml(
            &mut m,
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p, namespace: shop}\nspec: {selector: {matchLabels: {app: b}}, minAvailable: 1}\n",
        );
        assert_eq!(touched.workloads, [key("Deployment/shop/b")].into());
        // A namespace-level object is recorded as changed where it lives; what reads it
        // follows from the checks' declarations.
        let touched = apply_yaml(
            &mut m,
            "apiVersion: v1\nkind: LimitRange\nmetadata: {name: l, namespace: shop}\nspec: {limits: []}\n",
        );
        assert!(touched.workloads.is_empty());
        assert_eq!(
            touched.changed,
            [(Kind::LimitRange, ["shop".to_string()].into())].into()
        );
    }
}

#[cfg(test)]
mod packed_template_tests {
    use super::*;
    use crate::cluster::packed::decodes_on_this_thread;
    use crate::source::file::load_str;
    use crate::source::LoadOptions;

    fn synthetic(workloads: usize) -> ClusterModel {
        let text = serde_json::to_string(&crate::synthetic::cluster_list(workloads, 3)).unwrap();
        crate::engine::model_of(load_str(&text, "cluster.json", &LoadOptions::default()).unwrap())
    }

    #[test]
    fn a_grade_pass_decodes_each_packed_template_once() {
        let model = synthetic(200);
        let deployments = model.stores.deployments.len() as u64;
        assert_eq!(deployments, 200);
        let before = decodes_on_this_thread();
        let grades = crate::grade::grade_all(&model, &crate::config::Config::default());
        let decodes = decodes_on_this_thread() - before;
        assert!(grades.workloads.len() >= 200);
        // The Services' selection reads labels and pods; the add-on checks look controllers up
        // by name and image first: neither decodes a template the workload's own grading
        // does not.
        assert_eq!(decodes, deployments, "decodes in one grade pass");
    }

    #[test]
    fn a_pod_update_decodes_only_its_workloads_template() {
        let mut engine =
            crate::engine::Engine::with_model(crate::config::Config::default(), synthetic(200));
        engine.flush();
        let key = ("team-00".to_string(), "svc-00002".to_string());
        let pod = engine
            .model()
            .pods_of(&WorkloadKey::new(WorkloadKind::Deployment, &key.0, &key.1))
            .first()
            .map(|p| p.to_k8s())
            .unwrap();
        let mut changed = pod.clone();
        changed.metadata.annotations = Some(Labels::from([("a".to_string(), "b".to_string())]));
        let before = decodes_on_this_thread();
        engine.apply(Msg::Upsert(Box::new(Entry {
            api_version: "v1".to_string(),
            object: Object::Pod(changed),
            origin: None,
        })));
        assert!(engine.flush());
        // The workload regraded, and the Service selecting it (from its pods' labels).
        assert_eq!(decodes_on_this_thread() - before, 1);
    }

    #[test]
    fn selecting_workloads_by_label_decodes_no_template() {
        let model = synthetic(200);
        let one = Labels::from([(
            "app.kubernetes.io/name".to_string(),
            "svc-00002".to_string(),
        )]);
        let mut touched = Touched::default();
        touched
            .selected
            .push(("team-00".to_string(), PodSelector::Map(one)));
        let before = decodes_on_this_thread();
        model.resolve(&mut touched);
        assert_eq!(decodes_on_this_thread(), before);
        let selected: Vec<String> = touched.workloads.iter().map(|k| k.to_string()).collect();
        assert_eq!(selected, ["Deployment/team-00/svc-00002"]);

        let mut touched = Touched::default();
        for ns in model.namespace_names() {
            touched.selected.push((ns, PodSelector::Every));
        }
        model.resolve(&mut touched);
        assert_eq!(decodes_on_this_thread(), before);
        assert!(touched.workloads.len() >= 200);
        // What it selected is what the workloads' decoded templates select.
        for key in &touched.workloads {
            let labels = model.workload_pod_labels(key).unwrap().cloned();
            let workload = model.workload(key).unwrap();
            assert_eq!(labels.unwrap_or_default(), *workload.pod_labels(), "{key}");
        }
    }
}
