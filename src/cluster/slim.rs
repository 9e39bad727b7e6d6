//! A smaller model of a big input file: what no check reads is set apart as text while a
//! file loads, and given back only to the objects that turn out to need it.
//!
//! A `kubectl get -A -o json` dump holds every pod's whole spec and every ReplicaSet's pod
//! template, though the workload a pod belongs to is graded from its controller's template.
//! The spec of a pod controlled by a workload is read only for its containers' names, images,
//! resources and ports and for its node (health, Service ports, triage); a ReplicaSet owned by
//! another controller is read only for its metadata and status (ownership, refusals). The
//! rest of either is needed only when the model has to take the workload's template from it:
//! when a controller up the pod's chain of owners is missing from the input. Which ones are
//! missing is known only once the whole input is read, so the part is kept as compact JSON
//! (a fraction of the typed part's size) until then, and [`Loaded::restore`] puts it back
//! wherever the chain is broken.

use super::model::controller_ref;
use super::object::{Kind, Object};
use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec, ResourceRequirements};
use std::collections::HashMap;

/// The part an object gave up, as deflated JSON text: the part of every controlled pod waits
/// until the load ends, and deflated it takes a fraction of the room.
#[derive(Clone, Debug)]
pub struct SetApart(Box<[u8]>);

/// The fastest level: the part is written once and, mostly, never read.
const DEFLATE_LEVEL: u8 = 1;

impl SetApart {
    fn of<T: serde::Serialize>(part: &T) -> Option<SetApart> {
        let text = serde_json::to_vec(part).ok()?;
        let deflated = miniz_oxide::deflate::compress_to_vec(&text, DEFLATE_LEVEL);
        Some(SetApart(deflated.into_boxed_slice()))
    }

    fn read<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        let text = miniz_oxide::inflate::decompress_to_vec(&self.0).ok()?;
        serde_json::from_slice(&text).ok()
    }
}

/// Owners whose pod template the model grades a workload from; a chain of these up to one
/// with no controller leaves a pod's own spec and an owned ReplicaSet's template unread.
const TEMPLATE_OWNERS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "ReplicationController",
    "Rollout",
];

/// Whether the object's controller is a workload whose template the model grades from.
fn controlled_by_workload(object: &Object) -> bool {
    controller_ref(object.metadata()).is_some_and(|r| TEMPLATE_OWNERS.contains(&r.kind.as_str()))
}

/// Drops what no check, triage step or view reads of a pod controlled by a workload, whatever
/// else is loaded: its addresses, its QoS class, the resources the kubelet allocated, the
/// status's copy of the volume mounts and the runtime's container ids. Health reads a
/// controlled pod's phase, reason, conditions, start time and, of each container status, its
/// name, image, image id (pinned digests), readiness, restarts, state and last state. Used on
/// files and live clusters alike; a bare pod is a workload of its own and custom checks may
/// read any of its fields, so it is left whole.
pub fn slim_pod_status(object: &mut Object) {
    if !controlled_by_workload(object) {
        return;
    }
    let Object::Pod(p) = object else {
        return;
    };
    let Some(status) = p.status.as_mut() else {
        return;
    };
    status.host_ip = None;
    status.host_ips = None;
    status.pod_ip = None;
    status.pod_ips = None;
    status.qos_class = None;
    status.nominated_node_name = None;
    status.allocated_resources = None;
    status.resources = None;
    status.resource_claim_statuses = None;
    status.extended_resource_claim_status = None;
    status.ephemeral_container_statuses = None;
    let statuses = status
        .container_statuses
        .iter_mut()
        .chain(status.init_container_statuses.iter_mut())
        .flatten();
    for cs in statuses {
        cs.container_id = None;
        cs.volume_mounts = None;
        cs.allocated_resources = None;
        cs.allocated_resources_status = None;
        cs.resources = None;
        cs.user = None;
        cs.stop_signal = None;
        let states = cs.state.iter_mut().chain(cs.last_state.iter_mut());
        for terminated in states.filter_map(|s| s.terminated.as_mut()) {
            terminated.container_id = None;
        }
    }
}

/// Slims a pod controlled by a workload, or a ReplicaSet controlled by another workload; the
/// part it gave up is returned. Anything else is left whole.
pub fn slim(object: &mut Object) -> Option<SetApart> {
    if !controlled_by_workload(object) {
        return None;
    }
    match object {
        Object::Pod(p) => {
            let spec = p.spec.as_mut()?;
            let part = SetApart::of(&*spec)?;
            *spec = slim_spec(std::mem::take(spec));
            Some(part)
        }
        Object::ReplicaSet(rs) => {
            let spec = &mut rs.spec;
            let part = SetApart::of(spec.template.as_ref()?)?;
            spec.template = None;
            Some(part)
        }
        _ => None,
    }
}

/// Sets a live pod's whole spec apart once its workload's controller is in the model (so the
/// workload is graded from the controller's template, never from the pod's): the pod keeps
/// what its compact spec holds, and the part is returned so the model can give it back should
/// the controller go. `None` when there is nothing beyond the compact spec.
pub fn slim_pod_spec(pod: &mut super::pod::Pod) -> Option<SetApart> {
    let owner = controller_ref(&pod.metadata)?;
    if !TEMPLATE_OWNERS.contains(&owner.kind.as_str()) {
        return None;
    }
    let spec = pod.take_whole_spec()?;
    SetApart::of(&spec)
}

/// Gives a pod back the spec [`slim_pod_spec`] set apart.
pub fn restore_pod_spec(pod: &mut super::pod::Pod, set_apart: &SetApart) {
    if let Some(mut spec) = set_apart.read::<PodSpec>() {
        super::compact::compact_pod_spec(&mut spec);
        pod.restore_whole_spec(spec);
    }
}

/// What the checks and triage read of a controlled pod's spec.
fn slim_spec(spec: PodSpec) -> PodSpec {
    PodSpec {
        containers: spec.containers.into_iter().map(slim_container).collect(),
        init_containers: spec
            .init_containers
            .map(|cs| cs.into_iter().map(slim_container).collect()),
        node_name: spec.node_name,
        ..Default::default()
    }
}

/// Of a controlled pod's resources, health reads the memory limit (an OOM-killed container's
/// finding names it); requests and the other limits are graded from the workload's template.
fn slim_container(c: Container) -> Container {
    let limits = c.resources.and_then(|r| r.limits);
    Container {
        name: c.name,
        image: c.image,
        resources: limits.map(|limits| ResourceRequirements {
            limits: Some(limits),
            ..Default::default()
        }),
        ports: c.ports,
        ..Default::default()
    }
}

/// Gives an object back the part [`slim`] set apart.
pub fn restore(object: &mut Object, set_apart: &SetApart) {
    match object {
        Object::Pod(p) => {
            if let Some(spec) = set_apart.read::<PodSpec>() {
                p.spec = Some(spec);
            }
        }
        Object::ReplicaSet(rs) => {
            if let Some(t) = set_apart.read::<PodTemplateSpec>() {
                rs.spec.template = Some(t);
            }
        }
        _ => return,
    }
    super::compact::compact(object);
}

/// The loaded objects' controllers, to tell which set-apart parts are needed.
#[derive(Default)]
pub struct Loaded {
    /// (kind, namespace, name) → the kind and name of its controller, if it has one.
    owners: HashMap<(String, String, String), Option<(String, String)>>,
}

impl Loaded {
    /// Notes one loaded object.
    pub fn add(&mut self, object: &Object) {
        let meta = object.metadata();
        let key = (
            object.kind().name().to_string(),
            meta.namespace.clone().unwrap_or_default(),
            meta.name.clone().unwrap_or_default(),
        );
        let owner = controller_ref(meta).map(|r| (r.kind.clone(), r.name.clone()));
        self.owners.insert(key, owner);
    }

    /// Whether every controller from `object`'s up is loaded and carries a pod template, so
    /// the model grades the workload from the topmost one.
    fn chain_complete(&self, object: &Object) -> bool {
        let meta = object.metadata();
        let controller = controller_ref(meta).map(|r| (r.kind.clone(), r.name.clone()));
        self.chain_complete_from(meta.namespace.as_deref().unwrap_or_default(), controller)
    }

    /// The same, for an object in `namespace` whose controller is `controller` (kind, name).
    pub fn chain_complete_from(
        &self,
        namespace: &str,
        controller: Option<(String, String)>,
    ) -> bool {
        let mut next = controller;
        // Owner chains are short (pod, ReplicaSet, Deployment); a loop is a broken chain.
        for _ in 0..8 {
            let Some((kind, name)) = next else {
                return true;
            };
            if !TEMPLATE_OWNERS.contains(&kind.as_str()) {
                return false;
            }
            match self.owners.get(&(kind, namespace.to_string(), name)) {
                Some(owner) => next = owner.clone(),
                None => return false,
            }
        }
        false
    }

    /// Puts the set-apart part back into `object` unless its whole chain of controllers is
    /// loaded.
    pub fn restore(&self, object: &mut Object, set_apart: SetApart) {
        if !self.chain_complete(object) {
            restore(object, &set_apart);
        }
    }
}

/// Kinds whose objects may be in a slimmed object's chain of controllers.
pub fn may_own(kind: Kind) -> bool {
    TEMPLATE_OWNERS.contains(&kind.name())
}

#[cfg(test)]
mod tests {
    use crate::cluster::{Msg, Object};
    use crate::source::file::load_str;
    use crate::source::LoadOptions;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop, uid: d1}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: example/web:1.0}]\n";
    const REPLICA_SET: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-abc\n  namespace: shop\n  uid: r1\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: example/web:1.0, env: [{name: MODE, value: fast}]}]\n      volumes: [{name: tmp, emptyDir: {}}]\nstatus:\n  replicas: 1\n  conditions: [{type: ReplicaFailure, status: \"True\", reason: FailedCreate, message: quota}]\n";
    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-abc-1\n  namespace: shop\n  labels: {app: web, pod-template-hash: abc}\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-abc, uid: r1, controller: true}]\nspec:\n  nodeName: n1\n  containers:\n    - name: app\n      image: example/web:1.0\n      env: [{name: MODE, value: fast}]\n      livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n      ports: [{name: http, containerPort: 8080}]\n      resources: {limits: {memory: 128Mi}}\n  volumes: [{name: tmp, emptyDir: {}}]\nstatus:\n  phase: Running\n";

    fn objects(yaml: &str) -> Vec<Object> {
        load_str(yaml, "t.yaml", &LoadOptions::default())
            .unwrap()
            .into_iter()
            .filter_map(|m| match m {
                Msg::Upsert(e) => Some(e.object),
                _ => None,
            })
            .collect()
    }

    fn find(objects: &[Object], kind: &str) -> serde_json::Value {
        objects
            .iter()
            .find(|o| o.kind().name() == kind)
            .unwrap()
            .to_json()
    }

    #[test]
    fn a_whole_chain_of_controllers_leaves_pods_and_owned_replica_sets_slim() {
        let all = objects(&format!("{DEPLOYMENT}---\n{REPLICA_SET}---\n{POD}"));
        let rs = find(&all, "ReplicaSet");
        assert!(rs.pointer("/spec/template").is_none(), "{rs}");
        assert_eq!(rs.pointer("/spec/selector/matchLabels/app").unwrap(), "web");
        assert_eq!(
            rs.pointer("/status/conditions/0/reason").unwrap(),
            "FailedCreate",
            "its status stays: refusals are read from it"
        );
        let pod = find(&all, "Pod");
        let c = pod.pointer("/spec/containers/0").unwrap();
        assert_eq!(c["name"], "app");
        assert_eq!(c["image"], "example/web:1.0");
        assert_eq!(c.pointer("/ports/0/containerPort").unwrap(), 8080);
        assert_eq!(c.pointer("/resources/limits/memory").unwrap(), "128Mi");
        assert!(
            c.get("env").is_none() && c.get("livenessProbe").is_none(),
            "{c}"
        );
        assert_eq!(pod.pointer("/spec/nodeName").unwrap(), "n1");
        assert!(pod.pointer("/spec/volumes").is_none(), "{pod}");
        assert_eq!(pod.pointer("/status/phase").unwrap(), "Running");
    }

    #[test]
    fn a_missing_controller_gives_the_objects_below_it_back_whole() {
        let whole = |yaml: &str, kind: &str| {
            let value: serde_json::Value = serde_norway::from_str(yaml).unwrap();
            let ingested = crate::cluster::ingest::ingest(value).unwrap();
            assert_eq!(ingested.object.kind().name(), kind);
            ingested.object.to_json()
        };
        // No Deployment: the model takes the workload's template from the ReplicaSet.
        let all = objects(&format!("{REPLICA_SET}---\n{POD}"));
        assert_eq!(find(&all, "ReplicaSet"), whole(REPLICA_SET, "ReplicaSet"));
        assert_eq!(find(&all, "Pod"), whole(POD, "Pod"));
        // No ReplicaSet: the pod's spec may be the template.
        let all = objects(&format!("{DEPLOYMENT}---\n{POD}"));
        assert_eq!(find(&all, "Pod"), whole(POD, "Pod"));
        // A controller shipshape does not model: its pods are graded from their own spec.
        let custom = POD.replace("kind: ReplicaSet", "kind: CloneSet");
        let all = objects(&custom);
        assert_eq!(find(&all, "Pod"), whole(&custom, "Pod"));
    }

    #[test]
    fn the_grades_are_those_of_the_whole_objects() {
        use crate::config::Config;
        use crate::engine::Engine;
        let yaml = format!("{DEPLOYMENT}---\n{REPLICA_SET}---\n{POD}");
        let slimmed = Engine::from_messages(
            Config::default(),
            load_str(&yaml, "t.yaml", &LoadOptions::default()).unwrap(),
        );
        let options = LoadOptions {
            whole: true,
            ..LoadOptions::default()
        };
        let msgs = load_str(&yaml, "t.yaml", &options).unwrap();
        let whole_pod = msgs.iter().any(|m| {
            matches!(m, Msg::Upsert(e) if e.object.to_json().pointer("/spec/volumes").is_some())
        });
        assert!(whole_pod, "the pod is read whole");
        let whole = Engine::from_messages(Config::default(), msgs);
        let report = |e: &Engine| {
            let mut out = Vec::new();
            crate::report::json::write(e.model(), e.grades(), &mut out).unwrap();
            // The time of evaluation is the only line that may differ between two runs.
            String::from_utf8(out)
                .unwrap()
                .lines()
                .filter(|l| !l.contains("\"evaluated_at\""))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(report(&slimmed), report(&whole));
    }

    /// A pod of `web-abc` with a full status as the kubelet writes it: its app container was
    /// OOM-killed once, runs `digest`, and has a memory limit and requests.
    fn full_pod(name: &str, digest: &str, owned: bool) -> String {
        let owner = if owned {
            "  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-abc, uid: r1, controller: true}]"
        } else {
            ""
        };
        [
            "apiVersion: v1\nkind: Pod\nmetadata:",
            &format!("  name: {name}\n  namespace: shop\n  labels: {{app: web, pod-template-hash: abc}}"),
            owner.trim_end(),
            "spec:\n  nodeName: n1\n  containers:\n    - name: app\n      image: example/web:1.0",
            "      resources: {limits: {memory: 128Mi, cpu: 500m}, requests: {memory: 64Mi, cpu: 100m}}",
            "status:\n  phase: Running\n  hostIP: 192.168.0.7\n  hostIPs: [{ip: 192.168.0.7}]",
            "  podIP: 10.0.0.9\n  podIPs: [{ip: 10.0.0.9}]\n  qosClass: Burstable",
            "  startTime: \"2026-11-20T08:00:00Z\"",
            "  conditions: [{type: PodScheduled, status: \"True\"}, {type: Ready, status: \"True\", message: all ready}]",
            "  containerStatuses:\n    - name: app\n      image: example/web:1.0",
            &format!("      imageID: example/web@sha256:{digest}\n      containerID: containerd://c0ffee"),
            "      ready: true\n      restartCount: 2\n      started: true",
            "      state: {running: {startedAt: \"2026-11-20T08:05:00Z\"}}",
            "      lastState: {terminated: {reason: OOMKilled, exitCode: 137, containerID: containerd://dead, finishedAt: \"2026-11-20T08:04:00Z\"}}",
            "      volumeMounts: [{name: tmp, mountPath: /tmp}]\n      allocatedResources: {memory: 64Mi}\n",
        ]
        .iter()
        .filter(|l| !l.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
    }

    const DIGEST_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const DIGEST_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn a_controlled_pod_drops_only_status_fields_no_check_reads() {
        let all = objects(&format!(
            "{DEPLOYMENT}---\n{REPLICA_SET}---\n{}",
            full_pod("web-abc-1", DIGEST_A, true)
        ));
        let pod = find(&all, "Pod");
        let status = &pod["status"];
        for dropped in ["hostIP", "hostIPs", "podIP", "podIPs", "qosClass"] {
            assert!(status.get(dropped).is_none(), "{dropped}: {status}");
        }
        let cs = &status["containerStatuses"][0];
        for dropped in ["containerID", "volumeMounts", "allocatedResources"] {
            assert!(cs.get(dropped).is_none(), "{dropped}: {cs}");
        }
        assert!(cs.pointer("/lastState/terminated/containerID").is_none());
        // What health, the triage and the views read stays.
        assert_eq!(status["phase"], "Running");
        assert_eq!(status["startTime"], "2026-11-20T08:00:00Z");
        assert_eq!(
            status.pointer("/conditions/1/message").unwrap(),
            "all ready"
        );
        assert_eq!(cs["imageID"], format!("example/web@sha256:{DIGEST_A}"));
        assert_eq!(cs["restartCount"], 2);
        assert_eq!(cs["ready"], true);
        assert!(cs.pointer("/state/running/startedAt").is_some(), "{cs}");
        let last = cs.pointer("/lastState/terminated").unwrap();
        assert_eq!(last["reason"], "OOMKilled");
        assert_eq!(last["exitCode"], 137);
        assert_eq!(last["finishedAt"], "2026-11-20T08:04:00Z");
        // Of its resources, the memory limit stays; requests are read from the template.
        let resources = pod.pointer("/spec/containers/0/resources").unwrap();
        assert_eq!(resources.pointer("/limits/memory").unwrap(), "128Mi");
        assert!(resources.get("requests").is_none(), "{resources}");
    }

    #[test]
    fn a_bare_pod_keeps_its_whole_status() {
        let all = objects(&full_pod("solo", DIGEST_A, false));
        let pod = find(&all, "Pod");
        assert_eq!(pod.pointer("/status/podIP").unwrap(), "10.0.0.9");
        assert_eq!(pod.pointer("/status/qosClass").unwrap(), "Burstable");
        let cs = pod.pointer("/status/containerStatuses/0").unwrap();
        assert_eq!(cs["containerID"], "containerd://c0ffee");
        assert!(cs.get("volumeMounts").is_some(), "{cs}");
        assert!(pod
            .pointer("/spec/containers/0/resources/requests")
            .is_some());
    }

    #[test]
    fn a_pod_from_a_watch_loses_the_same_fields() {
        let value: serde_json::Value =
            serde_norway::from_str(&full_pod("web-abc-1", DIGEST_A, true)).unwrap();
        let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(value).unwrap();
        let mut object = Object::Pod(pod);
        crate::cluster::ingest::prune_typed(&mut object);
        let json = object.to_json();
        assert!(json.pointer("/status/podIP").is_none(), "{json}");
        let cs = json.pointer("/status/containerStatuses/0").unwrap();
        assert!(cs.get("containerID").is_none() && cs.get("volumeMounts").is_none());
        assert_eq!(cs["imageID"], format!("example/web@sha256:{DIGEST_A}"));
        // A live pod's spec may be its workload's template (its ReplicaSet is read as metadata
        // only): it is kept whole.
        assert!(json
            .pointer("/spec/containers/0/resources/requests")
            .is_some());
    }

    #[test]
    fn health_still_reads_the_memory_limit_and_the_digests_of_slim_pods() {
        use crate::config::Config;
        use crate::engine::Engine;
        let yaml = format!(
            "{DEPLOYMENT}---\n{REPLICA_SET}---\n{}---\n{}",
            full_pod("web-abc-1", DIGEST_A, true),
            full_pod("web-abc-2", DIGEST_B, true)
        );
        let msgs = load_str(&yaml, "t.yaml", &LoadOptions::default()).unwrap();
        let engine = Engine::from_messages(Config::default(), msgs);
        let mut out = Vec::new();
        crate::report::json::write(engine.model(), engine.grades(), &mut out).unwrap();
        let report = String::from_utf8(out).unwrap();
        assert!(
            report.contains("app was OOMKilled") && report.contains("(memory limit 128Mi)"),
            "{report}"
        );
        assert!(
            report.contains("runs 2 different digests of example/web:1.0")
                && report.contains("sha256:aaaaaaaaaaaa")
                && report.contains("sha256:bbbbbbbbbbbb"),
            "{report}"
        );
    }

    #[test]
    fn a_live_pod_is_slim_while_its_workloads_controller_is_in_the_model() {
        use crate::cluster::{ClusterModel, Kind, ObjectKey};
        // As a watch delivers them: whole, with no facts saying they come from files.
        let whole = LoadOptions {
            whole: true,
            ..LoadOptions::default()
        };
        let upserts = |yaml: &str| {
            load_str(yaml, "t.yaml", &whole)
                .unwrap()
                .into_iter()
                .filter(|m| matches!(m, Msg::Upsert(_)))
                .collect::<Vec<_>>()
        };
        let spec = |model: &ClusterModel| {
            let pod = &model.stores.pods[&("shop".to_string(), "web-abc-1".to_string())];
            serde_json::to_value(pod.to_k8s().spec).unwrap()
        };
        let mut model = ClusterModel::new();
        upserts(POD).into_iter().for_each(|m| {
            model.apply(m);
        });
        let whole_spec = spec(&model);
        assert!(
            whole_spec.get("volumes").is_some(),
            "no controller yet: the pod's spec may be the template"
        );
        upserts(&format!("{DEPLOYMENT}---\n{REPLICA_SET}"))
            .into_iter()
            .for_each(|m| {
                model.apply(m);
            });
        let slim = spec(&model);
        assert!(slim.get("volumes").is_none(), "{slim}");
        let c = slim.pointer("/containers/0").unwrap();
        assert_eq!(c["image"], "example/web:1.0");
        assert_eq!(c.pointer("/resources/limits/memory").unwrap(), "128Mi");
        assert!(c.get("env").is_none() && c.get("livenessProbe").is_none());
        // The Deployment goes, its ReplicaSet stays: the template may come from below again.
        model.apply(Msg::Remove(ObjectKey {
            kind: Kind::Deployment,
            namespace: "shop".into(),
            name: "web".into(),
        }));
        assert_eq!(spec(&model), whole_spec);
        // A new version of the pod, its controller back: slim again, and whole once it goes.
        upserts(&format!("{DEPLOYMENT}---\n{POD}"))
            .into_iter()
            .for_each(|m| {
                model.apply(m);
            });
        assert!(spec(&model).get("volumes").is_none());
        model.apply(Msg::Remove(ObjectKey {
            kind: Kind::Deployment,
            namespace: "shop".into(),
            name: "web".into(),
        }));
        assert_eq!(spec(&model), whole_spec);
    }
}
