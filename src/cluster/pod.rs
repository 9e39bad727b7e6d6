//! A pod as the model holds it: what health, triage, the views, Service, PDB and
//! NetworkPolicy selection, the reports and the exporter read of it, in structs the size of
//! what they hold.
//!
//! k8s-openapi's structs keep room inline for every optional field: a `Container` is 2.3 KB
//! and a `ContainerStatus` 0.75 KB however little is set, and a pod has several of each. A
//! pod controlled by a workload is read only for its metadata, its node, of each container
//! the name, image, limits and ports, and its status (see `slim`); those fields are held here
//! under the names and shapes k8s-openapi gives them, so code reading them reads either.
//!
//! Whatever a pod has beyond that (a bare pod is graded from its own spec and custom checks
//! may read any of its fields; a live pod's spec may be its workload's template until its
//! controller is in the model) is kept beside it as the k8s-openapi part it came in, so
//! [`Pod::to_k8s`] gives back exactly the object that was stored.

use k8s_openapi::api::core::v1 as k8s;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use std::borrow::Cow;
use std::collections::BTreeMap;

pub use k8s::{ContainerPort, ContainerState, PodCondition};

/// A pod as the model holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pod {
    pub metadata: ObjectMeta,
    pub spec: Option<PodSpec>,
    pub status: Option<PodStatus>,
    /// The whole spec, when the compact one does not hold all of it.
    whole_spec: Option<Box<k8s::PodSpec>>,
    /// The whole status, when the compact one does not hold all of it.
    whole_status: Option<Box<k8s::PodStatus>>,
}

/// Of a pod's spec: its containers and its node.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub init_containers: Option<Vec<Container>>,
    pub node_name: Option<String>,
}

/// Of a container: its name, image, limits and ports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Container {
    pub name: String,
    pub image: Option<String>,
    pub resources: Option<ResourceRequirements>,
    pub ports: Option<Vec<ContainerPort>>,
}

/// Of a container's resources: its limits (an OOM-killed container's finding names the
/// memory limit; requests are graded from the workload's template).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourceRequirements {
    pub limits: Option<Limits>,
}

/// A container's limits by resource name, in name order: a map of two or three entries held
/// as a slice, where a `BTreeMap` would take a node of eleven slots.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Limits(Box<[(String, Quantity)]>);

impl Limits {
    /// The limit of one resource (`memory`, `cpu`).
    pub fn get(&self, resource: &str) -> Option<&Quantity> {
        self.0.iter().find(|(r, _)| r == resource).map(|(_, q)| q)
    }

    /// Every limit, in resource name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Quantity)> {
        self.0.iter().map(|(r, q)| (r, q))
    }

    fn of(limits: &BTreeMap<String, Quantity>) -> Limits {
        Limits(limits.iter().map(|(r, q)| (r.clone(), q.clone())).collect())
    }

    fn to_map(&self) -> BTreeMap<String, Quantity> {
        self.0.iter().cloned().collect()
    }
}

/// Of a pod's status: what `slim::slim_pod_status` leaves of a controlled pod's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodStatus {
    pub conditions: Option<Vec<PodCondition>>,
    pub container_statuses: Option<Vec<ContainerStatus>>,
    pub init_container_statuses: Option<Vec<ContainerStatus>>,
    pub message: Option<String>,
    pub observed_generation: Option<i64>,
    pub phase: Option<String>,
    pub reason: Option<String>,
    pub resize: Option<String>,
    pub start_time: Option<Time>,
}

/// Of a container's status: what health reads (restarts, readiness, states, the image and
/// its digest). The states are boxed: most containers have no last state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerStatus {
    pub name: String,
    pub image: String,
    pub image_id: String,
    pub ready: bool,
    pub restart_count: i32,
    pub started: Option<bool>,
    pub state: Option<Box<ContainerState>>,
    pub last_state: Option<Box<ContainerState>>,
}

/// A vector with no spare room (serde leaves room for several elements where there is one).
fn fitted<T, U>(items: &[T], f: impl Fn(&T) -> U) -> Vec<U> {
    let mut out = Vec::with_capacity(items.len());
    out.extend(items.iter().map(f));
    out
}

impl Container {
    fn of(c: &k8s::Container) -> Container {
        Container {
            name: c.name.clone(),
            image: c.image.clone(),
            // Limits alone, as `slim` leaves a controlled pod's containers: a container with
            // none has no resources at all.
            resources: c
                .resources
                .as_ref()
                .and_then(|r| r.limits.as_ref())
                .map(|limits| ResourceRequirements {
                    limits: Some(Limits::of(limits)),
                }),
            ports: c.ports.as_deref().map(|p| fitted(p, Clone::clone)),
        }
    }

    fn to_k8s(&self) -> k8s::Container {
        k8s::Container {
            name: self.name.clone(),
            image: self.image.clone(),
            resources: self.resources.as_ref().map(|r| k8s::ResourceRequirements {
                limits: r.limits.as_ref().map(Limits::to_map),
                ..Default::default()
            }),
            ports: self.ports.clone(),
            ..Default::default()
        }
    }
}

impl PodSpec {
    fn of(s: &k8s::PodSpec) -> PodSpec {
        PodSpec {
            containers: fitted(&s.containers, Container::of),
            init_containers: s
                .init_containers
                .as_deref()
                .map(|c| fitted(c, Container::of)),
            node_name: s.node_name.clone(),
        }
    }

    fn to_k8s(&self) -> k8s::PodSpec {
        k8s::PodSpec {
            containers: self.containers.iter().map(Container::to_k8s).collect(),
            init_containers: self
                .init_containers
                .as_ref()
                .map(|c| c.iter().map(Container::to_k8s).collect()),
            node_name: self.node_name.clone(),
            ..Default::default()
        }
    }
}

impl ContainerStatus {
    fn of(c: &k8s::ContainerStatus) -> ContainerStatus {
        ContainerStatus {
            name: c.name.clone(),
            image: c.image.clone(),
            image_id: c.image_id.clone(),
            ready: c.ready,
            restart_count: c.restart_count,
            started: c.started,
            state: c.state.clone().map(Box::new),
            last_state: c.last_state.clone().map(Box::new),
        }
    }

    fn to_k8s(&self) -> k8s::ContainerStatus {
        k8s::ContainerStatus {
            name: self.name.clone(),
            image: self.image.clone(),
            image_id: self.image_id.clone(),
            ready: self.ready,
            restart_count: self.restart_count,
            started: self.started,
            state: self.state.as_deref().cloned(),
            last_state: self.last_state.as_deref().cloned(),
            ..Default::default()
        }
    }
}

impl PodStatus {
    fn of(s: &k8s::PodStatus) -> PodStatus {
        let statuses = |c: &Option<Vec<k8s::ContainerStatus>>| {
            c.as_deref().map(|c| fitted(c, ContainerStatus::of))
        };
        PodStatus {
            conditions: s.conditions.as_deref().map(|c| fitted(c, Clone::clone)),
            container_statuses: statuses(&s.container_statuses),
            init_container_statuses: statuses(&s.init_container_statuses),
            message: s.message.clone(),
            observed_generation: s.observed_generation,
            phase: s.phase.clone(),
            reason: s.reason.clone(),
            resize: s.resize.clone(),
            start_time: s.start_time.clone(),
        }
    }

    fn to_k8s(&self) -> k8s::PodStatus {
        let statuses = |c: &Option<Vec<ContainerStatus>>| {
            c.as_ref()
                .map(|c| c.iter().map(ContainerStatus::to_k8s).collect())
        };
        k8s::PodStatus {
            conditions: self.conditions.clone(),
            container_statuses: statuses(&self.container_statuses),
            init_container_statuses: statuses(&self.init_container_statuses),
            message: self.message.clone(),
            observed_generation: self.observed_generation,
            phase: self.phase.clone(),
            reason: self.reason.clone(),
            resize: self.resize.clone(),
            start_time: self.start_time.clone(),
            ..Default::default()
        }
    }
}

impl From<k8s::Pod> for Pod {
    fn from(p: k8s::Pod) -> Pod {
        let spec = p.spec.as_ref().map(PodSpec::of);
        let whole_spec = match (&spec, p.spec) {
            (Some(compact), Some(whole)) if compact.to_k8s() != whole => Some(Box::new(whole)),
            _ => None,
        };
        let status = p.status.as_ref().map(PodStatus::of);
        let whole_status = match (&status, p.status) {
            (Some(compact), Some(whole)) if compact.to_k8s() != whole => Some(Box::new(whole)),
            _ => None,
        };
        Pod {
            metadata: p.metadata,
            spec,
            status,
            whole_spec,
            whole_status,
        }
    }
}

impl Pod {
    /// The pod as Kubernetes writes it: exactly the object it was made from.
    pub fn to_k8s(&self) -> k8s::Pod {
        k8s::Pod {
            metadata: self.metadata.clone(),
            spec: self.whole_spec().map(Cow::into_owned),
            status: match &self.whole_status {
                Some(whole) => Some((**whole).clone()),
                None => self.status.as_ref().map(PodStatus::to_k8s),
            },
        }
    }

    /// The pod's whole spec (the pod's own template, for a bare pod or a workload whose
    /// controller is absent).
    pub fn whole_spec(&self) -> Option<Cow<'_, k8s::PodSpec>> {
        match &self.whole_spec {
            Some(whole) => Some(Cow::Borrowed(&**whole)),
            None => self.spec.as_ref().map(|s| Cow::Owned(s.to_k8s())),
        }
    }

    /// The whole spec, when the pod holds one beyond its compact spec.
    pub fn kept_whole_spec(&self) -> Option<&k8s::PodSpec> {
        self.whole_spec.as_deref()
    }

    /// Whether the pod has a status with anything in it.
    pub fn reports_status(&self) -> bool {
        match &self.whole_status {
            Some(whole) => **whole != k8s::PodStatus::default(),
            None => super::real_status(&self.status).is_some(),
        }
    }

    /// Hands over the whole spec when the compact one does not hold all of it (the model
    /// keeps it elsewhere while the pod's controller is in the model).
    pub fn take_whole_spec(&mut self) -> Option<k8s::PodSpec> {
        self.whole_spec.take().map(|s| *s)
    }

    /// Gives the pod back a whole spec [`Self::take_whole_spec`] took.
    pub fn restore_whole_spec(&mut self, spec: k8s::PodSpec) {
        self.whole_spec = Some(Box::new(spec));
    }
}

impl serde::Serialize for Pod {
    /// As Kubernetes writes the pod (snapshots, the object view, custom checks).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_k8s().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn k8s_pod(value: serde_json::Value) -> k8s::Pod {
        serde_json::from_value(value).unwrap()
    }

    fn slim() -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web-1", "namespace": "shop", "labels": {"app": "web"}},
            "spec": {"nodeName": "n1", "containers": [
                {"name": "app", "image": "example/web:1", "resources": {"limits": {"memory": "128Mi"}},
                 "ports": [{"name": "http", "containerPort": 8080}]}],
                "initContainers": [{"name": "init", "image": "example/init:1"}]},
            "status": {"phase": "Running", "startTime": "2026-11-20T08:00:00Z",
                "conditions": [{"type": "Ready", "status": "True"}],
                "containerStatuses": [{"name": "app", "image": "example/web:1",
                    "imageID": "example/web@sha256:aa", "ready": true, "restartCount": 2,
                    "state": {"running": {"startedAt": "2026-11-20T08:01:00Z"}},
                    "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}]}})
    }

    #[test]
    fn a_slim_pod_is_held_compact_alone_and_written_back_the_same() {
        let k = k8s_pod(slim());
        let pod = Pod::from(k.clone());
        assert!(pod.whole_spec.is_none() && pod.whole_status.is_none());
        assert_eq!(pod.to_k8s(), k);
        assert_eq!(serde_json::to_value(&pod).unwrap(), slim());
        let c = &pod.spec.as_ref().unwrap().containers[0];
        assert_eq!(c.image.as_deref(), Some("example/web:1"));
        let limits = c.resources.as_ref().unwrap().limits.as_ref().unwrap();
        assert_eq!(limits.get("memory").unwrap().0, "128Mi");
        assert!(limits.get("cpu").is_none());
        let cs = &pod
            .status
            .as_ref()
            .unwrap()
            .container_statuses
            .as_ref()
            .unwrap()[0];
        assert_eq!(cs.restart_count, 2);
        let last = cs.last_state.as_ref().unwrap().terminated.as_ref().unwrap();
        assert_eq!(last.reason.as_deref(), Some("OOMKilled"));
    }

    #[test]
    fn what_the_compact_pod_cannot_hold_is_kept_whole() {
        let mut value = slim();
        value["spec"]["volumes"] = json!([{"name": "tmp", "emptyDir": {}}]);
        value["spec"]["containers"][0]["env"] = json!([{"name": "MODE", "value": "fast"}]);
        value["status"]["podIP"] = json!("10.0.0.9");
        let k = k8s_pod(value.clone());
        let mut pod = Pod::from(k.clone());
        assert!(pod.whole_spec.is_some() && pod.whole_status.is_some());
        assert_eq!(pod.to_k8s(), k);
        assert_eq!(serde_json::to_value(&pod).unwrap(), value);
        // The compact parts read the same as the whole ones.
        assert_eq!(pod.spec.as_ref().unwrap().node_name.as_deref(), Some("n1"));
        assert_eq!(
            pod.status.as_ref().unwrap().phase.as_deref(),
            Some("Running")
        );
        // Without its whole spec, the pod holds what the compact one holds.
        let whole = pod.take_whole_spec().unwrap();
        assert!(whole.volumes.is_some());
        let spec = pod.whole_spec().unwrap();
        assert!(spec.volumes.is_none() && spec.containers[0].env.is_none());
        assert_eq!(
            spec.containers[0].ports,
            k.spec.as_ref().unwrap().containers[0].ports
        );
        pod.restore_whole_spec(whole);
        assert_eq!(pod.to_k8s(), k);
    }

    #[test]
    fn requests_are_kept_in_the_whole_spec() {
        let mut value = slim();
        value["spec"]["containers"][0]["resources"]["requests"] = json!({"cpu": "100m"});
        let pod = Pod::from(k8s_pod(value.clone()));
        assert!(pod.whole_spec.is_some());
        assert_eq!(serde_json::to_value(&pod).unwrap(), value);
    }
}
