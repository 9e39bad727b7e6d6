//! A workload's object as shipshape holds it, as YAML: pruned at ingest (no managedFields,
//! no last-applied configuration) and redacted (credentials masked; Secrets are never held
//! with their data).

use crate::cluster::{ClusterModel, Kind, WorkloadKey};

/// Metadata that says nothing about the workload and only takes room.
const NOISE: &[&str] = &["managedFields"];
const NOISY_ANNOTATIONS: &[&str] = &["kubectl.kubernetes.io/last-applied-configuration"];

/// The workload's object as YAML, or `None` when shipshape holds none under its key.
pub fn yaml(model: &ClusterModel, key: &WorkloadKey) -> Option<String> {
    let kind = Kind::from_name(&key.kind.name().to_ascii_lowercase())?;
    let object = model.stores.get(kind, &key.namespace, &key.name)?;
    let mut value = object.to_json();
    if let Some(meta) = value.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        for field in NOISE {
            meta.remove(*field);
        }
        if let Some(notes) = meta.get_mut("annotations").and_then(|a| a.as_object_mut()) {
            for a in NOISY_ANNOTATIONS {
                notes.remove(*a);
            }
        }
    }
    if kind == Kind::Secret {
        if let Some(o) = value.as_object_mut() {
            o.remove("data");
            o.remove("stringData");
        }
    }
    serde_norway::to_string(&value).ok()
}
