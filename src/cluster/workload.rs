//! A workload is what an SRE deploys and owns: the controller at the top of a pod's
//! ownerReferences chain (Deployment, StatefulSet, DaemonSet, CronJob, Job, a standalone
//! ReplicaSet, a custom controller), or a pod with no controller.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Pod, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// The kind of a workload. `Custom` is a controller shipshape does not model (an Argo
/// Rollout, a KubeVirt VM…): its pods are still graded together under it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    DaemonSet,
    CronJob,
    Job,
    ReplicaSet,
    Pod,
    Custom(String),
}

impl WorkloadKind {
    pub fn name(&self) -> &str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::CronJob => "CronJob",
            WorkloadKind::Job => "Job",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::Pod => "Pod",
            WorkloadKind::Custom(k) => k,
        }
    }

    pub fn from_name(name: &str) -> WorkloadKind {
        match name {
            "Deployment" => WorkloadKind::Deployment,
            "StatefulSet" => WorkloadKind::StatefulSet,
            "DaemonSet" => WorkloadKind::DaemonSet,
            "CronJob" => WorkloadKind::CronJob,
            "Job" => WorkloadKind::Job,
            "ReplicaSet" => WorkloadKind::ReplicaSet,
            "Pod" => WorkloadKind::Pod,
            other => WorkloadKind::Custom(other.to_string()),
        }
    }
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

/// The controlling object, when it is in the model.
#[derive(Clone, Copy, Debug)]
pub enum Controller<'m> {
    Deployment(&'m Deployment),
    StatefulSet(&'m StatefulSet),
    DaemonSet(&'m DaemonSet),
    CronJob(&'m CronJob),
    Job(&'m Job),
    ReplicaSet(&'m ReplicaSet),
    Pod(&'m Pod),
    /// The controller is referenced by pods but is not in the model (a custom kind, or an
    /// object absent from the input): the template comes from what is there.
    Missing,
}

/// Everything grading needs to know about one workload, borrowed from the model.
#[derive(Clone, Debug)]
pub struct Workload<'m> {
    pub key: WorkloadKey,
    pub controller: Controller<'m>,
    /// The controller's metadata (labels, annotations such as `shipshape.dev/ignore`).
    pub meta: Cow<'m, ObjectMeta>,
    /// The pod template every pod of the workload is made from.
    pub template: Cow<'m, PodTemplateSpec>,
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
        match self.key.kind {
            WorkloadKind::Job | WorkloadKind::CronJob => true,
            WorkloadKind::Pod => self
                .spec()
                .and_then(|s| s.restart_policy.as_deref())
                .is_some_and(|p| p != "Always"),
            _ => false,
        }
    }

    /// The replica count the controller asks for (`None` when it does not say, e.g. a
    /// DaemonSet before its status is known or a custom controller).
    pub fn desired_replicas(&self) -> Option<i32> {
        match self.controller {
            Controller::Deployment(d) => Some(d.spec.replicas.unwrap_or(1)),
            Controller::StatefulSet(s) => Some(s.spec.replicas.unwrap_or(1)),
            Controller::ReplicaSet(r) => Some(r.spec.replicas.unwrap_or(1)),
            Controller::DaemonSet(d) => d.status.as_ref().map(|s| s.desired_number_scheduled),
            Controller::Pod(_) => Some(1),
            Controller::Job(j) => Some(j.spec.as_ref().and_then(|s| s.parallelism).unwrap_or(1)),
            Controller::CronJob(_) | Controller::Missing => None,
        }
    }

    /// Is this one of the kinds the replica/PDB/spread checks are about?
    pub fn is_replicated(&self) -> bool {
        matches!(
            self.key.kind,
            WorkloadKind::Deployment | WorkloadKind::StatefulSet | WorkloadKind::ReplicaSet
        )
    }

    /// Labels of the pods (from the template).
    pub fn pod_labels(&self) -> Cow<'_, std::collections::BTreeMap<String, String>> {
        match self
            .template
            .metadata
            .as_ref()
            .and_then(|m| m.labels.as_ref())
        {
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
                    .metadata
                    .as_ref()
                    .and_then(|m| m.annotations.as_ref())
                    .and_then(|a| a.get(key))
            })
            .map(String::as_str)
    }
}
