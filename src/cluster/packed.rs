//! A workload controller as the model holds it: the object typed, its pod template's spec
//! packed as compact JSON.
//!
//! k8s-openapi's structs keep room inline for every optional field: a `Container` is 2.3 KB
//! and a `Volume` 3.3 KB however little is set, so a Deployment's pod spec of about 5 KB of
//! JSON takes about 27 KB as structs. A controller's pod spec is read when its workload is
//! graded (once per pass, through [`Packed::template`]), rarely otherwise; everything else of
//! the object (metadata, replicas, strategy, status, the template's labels) is read often
//! and stays typed. The containers' images stay typed beside the packed spec too: the
//! cluster add-on checks look every controller up by name and image on every pass.
//!
//! Readers cannot see a template without its spec by mistake: the object with the spec taken
//! out is reached only through [`Packed::without_pod_spec`], and [`Packed::to_k8s`] gives
//! back exactly the object that was stored.

use super::selector::Labels;
use super::workload::{HeldWorkload, PackedTemplate, Template, WorkloadObject};
use k8s_openapi::api::core::v1::{PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::borrow::Cow;
use std::cell::Cell;

/// A controller object with its pod template's spec packed.
#[derive(Clone, Debug, PartialEq)]
pub struct Packed<K> {
    /// The object, its template's spec taken out.
    object: K,
    /// The template's spec, when the object has a template with a spec.
    spec: Option<PackedSpec>,
}

/// A pod spec as compact JSON, with its containers' images.
#[derive(Clone, Debug, PartialEq)]
enum PackedSpec {
    Json {
        json: Box<[u8]>,
        images: Box<[Box<str>]>,
    },
    /// Held typed when it cannot be written as JSON (serialising a typed k8s-openapi value
    /// does not fail; this only keeps that from ever losing a spec).
    Typed(Box<PodSpec>),
}

thread_local! {
    /// Pod specs decoded on this thread, for tests that bound how often grading decodes.
    static DECODES: Cell<u64> = const { Cell::new(0) };
}

/// How many packed pod specs this thread has decoded so far.
pub fn decodes_on_this_thread() -> u64 {
    DECODES.with(Cell::get)
}

impl PackedSpec {
    fn pack(spec: PodSpec) -> PackedSpec {
        match serde_json::to_vec(&spec) {
            Ok(json) => PackedSpec::Json {
                json: json.into_boxed_slice(),
                images: spec
                    .containers
                    .iter()
                    .map(|c| c.image.as_deref().unwrap_or_default().into())
                    .collect(),
            },
            Err(_) => PackedSpec::Typed(Box::new(spec)),
        }
    }

    fn unpack(&self) -> PodSpec {
        match self {
            PackedSpec::Json { json, .. } => {
                DECODES.with(|d| d.set(d.get() + 1));
                // The bytes are serde_json's writing of a typed `PodSpec`, so reading them
                // back gives the same value. Were that ever to fail, an empty spec would
                // grade the workload as having no containers, far from its truth, whereas
                // a spec read leniently keeps what could be read: so read into a value
                // first, and type what it holds field by field as a last resort.
                serde_json::from_slice(json).unwrap_or_else(|_| lenient(json))
            }
            PackedSpec::Typed(spec) => (**spec).clone(),
        }
    }

    fn images(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match self {
            PackedSpec::Json { images, .. } => Box::new(images.iter().map(|i| &**i)),
            PackedSpec::Typed(spec) => Box::new(
                spec.containers
                    .iter()
                    .map(|c| c.image.as_deref().unwrap_or_default()),
            ),
        }
    }
}

/// A pod spec from JSON that did not type as a whole: each container and each top-level
/// field that types on its own.
fn lenient(json: &[u8]) -> PodSpec {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice(json) else {
        return PodSpec::default();
    };
    let mut kept = serde_json::Map::new();
    for (name, value) in fields {
        let mut one = serde_json::Map::new();
        one.insert(name.clone(), value.clone());
        one.entry("containers")
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
        if serde_json::from_value::<PodSpec>(serde_json::Value::Object(one)).is_ok() {
            kept.insert(name, value);
        }
    }
    serde_json::from_value(serde_json::Value::Object(kept)).unwrap_or_default()
}

impl<K: WorkloadObject> From<K> for Packed<K> {
    fn from(mut object: K) -> Packed<K> {
        let spec = object
            .pod_template_mut()
            .and_then(|t| t.spec.take())
            .map(PackedSpec::pack);
        Packed { object, spec }
    }
}

impl<K: WorkloadObject + Clone> Packed<K> {
    /// The object as Kubernetes writes it: exactly the object it was made from.
    pub fn to_k8s(&self) -> K {
        let mut object = self.object.clone();
        if let (Some(spec), Some(template)) = (&self.spec, object.pod_template_mut()) {
            template.spec = Some(spec.unpack());
        }
        object
    }
}

impl<K: WorkloadObject> Packed<K> {
    /// The object with its template's pod spec taken out: for what it holds besides that
    /// spec (metadata, replicas, strategy, status). Its template, if read, has no spec:
    /// read the template with [`Self::template`].
    pub fn without_pod_spec(&self) -> &K {
        &self.object
    }

    /// The object's metadata.
    pub fn metadata(&self) -> &ObjectMeta {
        self.object.object_meta()
    }

    /// The template's pod spec, decoded.
    pub fn pod_spec(&self) -> Option<PodSpec> {
        self.spec.as_ref().map(PackedSpec::unpack)
    }

    /// The bytes the packed pod spec takes (its JSON text; 0 when there is none).
    pub fn packed_len(&self) -> usize {
        match &self.spec {
            Some(PackedSpec::Json { json, .. }) => json.len(),
            _ => 0,
        }
    }

    /// The images of the template's containers (not init containers), without decoding.
    pub fn images(&self) -> impl Iterator<Item = &str> + '_ {
        self.spec.iter().flat_map(PackedSpec::images)
    }

    /// Whether the object carries a pod template of its own.
    pub fn has_template(&self) -> bool {
        self.object.pod_template().is_some()
    }

    /// The pod template, its spec decoded (`None` when the object has none).
    pub fn pod_template(&self) -> Option<PodTemplateSpec> {
        let template = self.object.pod_template()?;
        Some(PodTemplateSpec {
            metadata: template.metadata.clone(),
            spec: self.pod_spec(),
        })
    }
}

impl<K: WorkloadObject + Sync> PackedTemplate for Packed<K> {
    fn template_meta(&self) -> Option<&ObjectMeta> {
        self.object.pod_template()?.metadata.as_ref()
    }
    fn decode_template(&self) -> PodTemplateSpec {
        self.pod_template().unwrap_or_default()
    }
}

impl<K: WorkloadObject + Sync> HeldWorkload for Packed<K> {
    fn template(&self) -> Cow<'_, PodTemplateSpec> {
        Cow::Owned(self.pod_template().unwrap_or_default())
    }
    fn workload_template(&self) -> Template<'_> {
        Template::packed(self)
    }
    fn has_template(&self) -> bool {
        Packed::has_template(self)
    }
    fn pod_labels(&self) -> Option<&Labels> {
        self.object.pod_labels()
    }
    fn object_meta(&self) -> &ObjectMeta {
        self.object.object_meta()
    }
    fn desired_replicas(&self) -> Option<i32> {
        self.object.desired_replicas()
    }
    fn reports_status(&self) -> bool {
        self.object.reports_status()
    }
    fn status_pods(&self) -> i32 {
        self.object.status_pods()
    }
    fn ready_pods(&self) -> Option<i32> {
        self.object.ready_pods()
    }
}

impl<K: WorkloadObject + Clone + serde::Serialize> serde::Serialize for Packed<K> {
    /// As Kubernetes writes the object (snapshots, the object view, custom checks).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_k8s().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
    use serde_json::json;

    fn deployment() -> serde_json::Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}, "annotations": {"a": "b"}},
                    "spec": {"serviceAccountName": "web", "terminationGracePeriodSeconds": 30,
                        "containers": [
                            {"name": "app", "image": "example/web:1",
                             "args": [], "env": [{"name": "MODE", "value": "fast"},
                                {"name": "KEY", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
                             "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                                           "limits": {"memory": "256Mi"}},
                             "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
                             "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"},
                                                "periodSeconds": 5},
                             "securityContext": {"runAsNonRoot": true, "readOnlyRootFilesystem": false}},
                            {"name": "sidecar"}],
                        "initContainers": [{"name": "init", "image": "example/init:1"}],
                        "volumes": [{"name": "tmp", "emptyDir": {}},
                                    {"name": "cfg", "configMap": {"name": "web", "defaultMode": 420}}],
                        "tolerations": [{"key": "k", "operator": "Exists"}],
                        "nodeSelector": {}}}},
            "status": {"replicas": 3, "readyReplicas": 2}})
    }

    #[test]
    fn a_packed_controller_gives_back_exactly_the_object_it_was_made_from() {
        let typed: Deployment = serde_json::from_value(deployment()).unwrap();
        let packed = Packed::from(typed.clone());
        assert_eq!(packed.to_k8s(), typed);
        assert_eq!(serde_json::to_value(&packed).unwrap(), deployment());
        // The spec is not held typed, and the object without it says so.
        assert!(packed.without_pod_spec().spec.template.spec.is_none());
        assert_eq!(packed.without_pod_spec().spec.replicas, Some(3));
    }

    #[test]
    fn the_template_reads_whole_and_labels_and_images_read_without_decoding() {
        let typed: Deployment = serde_json::from_value(deployment()).unwrap();
        let packed = Packed::from(typed.clone());
        let before = decodes_on_this_thread();
        assert_eq!(
            packed.pod_labels().unwrap().get("app").map(String::as_str),
            Some("web")
        );
        assert_eq!(
            packed.images().collect::<Vec<_>>(),
            ["example/web:1", ""],
            "one image per container, in order; a container without one reads empty"
        );
        assert!(HeldWorkload::has_template(&packed));
        assert_eq!(packed.desired_replicas(), Some(3));
        assert_eq!(packed.ready_pods(), Some(2));
        assert_eq!(decodes_on_this_thread(), before);
        let template = HeldWorkload::template(&packed);
        assert_eq!(*template, typed.spec.template);
        assert_eq!(decodes_on_this_thread(), before + 1);
    }

    #[test]
    fn an_absent_template_or_spec_stays_absent() {
        let rs: ReplicaSet = serde_json::from_value(json!({
            "metadata": {"name": "web-1"}, "spec": {"selector": {}}}))
        .unwrap();
        let packed = Packed::from(rs.clone());
        assert!(!HeldWorkload::has_template(&packed));
        assert_eq!(packed.to_k8s(), rs);
        assert_eq!(*HeldWorkload::template(&packed), PodTemplateSpec::default());
        let rs: ReplicaSet = serde_json::from_value(json!({
            "metadata": {"name": "web-1"},
            "spec": {"selector": {}, "template": {"metadata": {"labels": {"app": "web"}}}}}))
        .unwrap();
        let packed = Packed::from(rs.clone());
        assert!(HeldWorkload::has_template(&packed));
        assert!(packed.pod_spec().is_none());
        assert_eq!(packed.images().count(), 0);
        assert_eq!(packed.to_k8s(), rs);
    }

    #[test]
    fn json_that_does_not_type_as_a_whole_keeps_the_fields_that_do() {
        let spec = lenient(
            br#"{"containers": [{"name": "app"}], "hostNetwork": "not a bool", "nodeName": "n1"}"#,
        );
        assert_eq!(spec.containers.len(), 1);
        assert_eq!(spec.node_name.as_deref(), Some("n1"));
        assert_eq!(spec.host_network, None);
        assert_eq!(lenient(b"not json"), PodSpec::default());
    }
}
