//! Gives back the spare capacity deserialising leaves in typed objects.
//!
//! serde grows a vector as it reads a JSON array, to four elements at least: a pod's single
//! container status then occupies the room of four (about 3 KB), its one container's single
//! env var the room of four (about 1.5 KB). At 10,000 pods that slack is tens of megabytes, so
//! the vectors of pods and pod templates are shrunk to their length at ingest. Nothing is
//! dropped.

use super::object::Object;
use super::workload::workload_object_mut;
use k8s_openapi::api::core::v1::{Container, PodSpec, PodStatus, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Shrinks the vectors of a pod, or of a controller's pod template, to fit.
pub fn compact(object: &mut Object) {
    meta(object.metadata_mut());
    if let Object::Pod(p) = object {
        if let Some(s) = p.spec.as_mut() {
            spec(s);
        }
        if let Some(s) = p.status.as_mut() {
            status(s);
        }
        return;
    }
    let template = workload_object_mut(object).and_then(|w| w.pod_template_mut());
    if let Some(t) = template {
        pod_template(t);
    }
}

fn fit<T>(v: &mut Option<Vec<T>>) {
    if let Some(v) = v {
        v.shrink_to_fit();
    }
}

fn meta(m: &mut ObjectMeta) {
    fit(&mut m.owner_references);
    fit(&mut m.finalizers);
}

fn pod_template(t: &mut PodTemplateSpec) {
    if let Some(m) = t.metadata.as_mut() {
        meta(m);
    }
    if let Some(s) = t.spec.as_mut() {
        spec(s);
    }
}

/// Shrinks the vectors of one pod spec to fit.
pub fn compact_pod_spec(s: &mut PodSpec) {
    spec(s);
}

fn spec(s: &mut PodSpec) {
    s.containers.shrink_to_fit();
    s.containers.iter_mut().for_each(container);
    fit(&mut s.init_containers);
    s.init_containers.iter_mut().flatten().for_each(container);
    fit(&mut s.ephemeral_containers);
    fit(&mut s.volumes);
    fit(&mut s.tolerations);
    fit(&mut s.image_pull_secrets);
    fit(&mut s.host_aliases);
    fit(&mut s.topology_spread_constraints);
    fit(&mut s.readiness_gates);
}

fn container(c: &mut Container) {
    fit(&mut c.args);
    fit(&mut c.command);
    fit(&mut c.env);
    fit(&mut c.env_from);
    fit(&mut c.ports);
    fit(&mut c.volume_mounts);
    fit(&mut c.volume_devices);
    fit(&mut c.resize_policy);
}

fn status(s: &mut PodStatus) {
    fit(&mut s.conditions);
    fit(&mut s.container_statuses);
    fit(&mut s.init_container_statuses);
    fit(&mut s.ephemeral_container_statuses);
    fit(&mut s.pod_ips);
    fit(&mut s.host_ips);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn vectors_keep_their_elements_and_lose_their_spare_room() {
        let value = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "ns",
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u", "controller": true}]},
            "spec": {"containers": [{"name": "app", "image": "i", "env": [{"name": "A", "value": "1"}],
                                     "ports": [{"containerPort": 80}]}]},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                       "containerStatuses": [{"name": "app", "image": "i", "imageID": "", "ready": true, "restartCount": 3}]}});
        // Read from text, as a watch reads it (a `Value` would tell serde the lengths).
        let pod: k8s_openapi::api::core::v1::Pod =
            serde_json::from_str(&value.to_string()).unwrap();
        let mut object = Object::Pod(pod);
        let before = object.to_json();
        let Object::Pod(p) = &object else { panic!() };
        let spare = p
            .status
            .as_ref()
            .unwrap()
            .container_statuses
            .as_ref()
            .unwrap()
            .capacity();
        assert!(spare > 1, "serde leaves room to spare ({spare})");
        compact(&mut object);
        assert_eq!(object.to_json(), before, "nothing is lost");
        let Object::Pod(p) = &object else { panic!() };
        let status = p.status.as_ref().unwrap();
        assert_eq!(status.container_statuses.as_ref().unwrap().capacity(), 1);
        assert_eq!(status.conditions.as_ref().unwrap().capacity(), 1);
        let c = &p.spec.as_ref().unwrap().containers[0];
        assert_eq!(c.env.as_ref().unwrap().capacity(), 1);
        assert_eq!(c.ports.as_ref().unwrap().capacity(), 1);
    }
}
