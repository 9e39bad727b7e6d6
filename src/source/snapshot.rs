//! shipshape's own snapshot format: the state of a source with everything grading depends on,
//! so a later `check --file` grades it exactly as its source was graded.
//!
//! What the source was is recorded in `cluster`: its name (`source`) and whether it was file
//! input (`from_manifests`: manifests or `kubectl get -o json|yaml` output) or a cluster (live,
//! or the demo's fictional one). File input declares absent kinds empty and is graded without
//! runtime state where it has none; a cluster is not, so reading a snapshot of manifests back as
//! a cluster would change health, `service.selects-pods` and the cluster checks.

use crate::cluster::{
    ClusterFacts, ClusterModel, Kind, Msg, ObjectKey, RemovedApiObject, SyncState,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

pub const SNAPSHOT_API_VERSION: &str = "shipshape.dev/v1";
pub const SNAPSHOT_KIND: &str = "Snapshot";

/// The most objects of unknown kinds a snapshot's counts are read back as.
const MAX_UNKNOWN_OBJECTS: usize = 100_000;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct SnapshotKinds {
    #[serde(default)]
    pub synced: Vec<Kind>,
    #[serde(default)]
    pub forbidden: Vec<Kind>,
    /// Kinds the API server did not serve, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unavailable: Vec<UnavailableKind>,
    /// Kinds whose API group discovery did not list (an add-on not installed).
    #[serde(default, rename = "notServed", skip_serializing_if = "Vec::is_empty")]
    pub not_served: Vec<Kind>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct UnavailableKind {
    pub kind: Kind,
    pub reason: String,
}

/// An object written in an apiVersion other than the one shipshape reads (`api.removed`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WrittenApiVersion {
    pub kind: Kind,
    #[serde(default)]
    pub namespace: String,
    pub name: String,
    pub api_version: String,
}

/// A saved state.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub api_version: String,
    pub kind: String,
    /// The time the state was captured; grading measures ages against it.
    pub captured_at: DateTime<Utc>,
    /// The source: its name, and whether it was file input or a cluster.
    #[serde(default)]
    pub cluster: ClusterFacts,
    #[serde(default)]
    pub kinds: SnapshotKinds,
    /// Items, in the apiVersion shipshape reads; see `writtenApiVersions` for the ones the
    /// source wrote otherwise.
    #[serde(default)]
    pub items: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub written_api_versions: Vec<WrittenApiVersion>,
    /// Objects of kinds shipshape does not model, written in a removed apiVersion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_api_objects: Vec<RemovedApiObject>,
    /// `apiVersion kind` → how many objects of kinds shipshape does not model the source held.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown_kinds: BTreeMap<String, usize>,
}

/// Every object of the model, in kind order, as a snapshot item.
fn items(model: &ClusterModel) -> impl Iterator<Item = serde_json::Value> + '_ {
    Kind::ALL.iter().flat_map(move |kind| {
        model.stores.json_of(*kind).map(move |mut v| {
            if let Some(obj) = v.as_object_mut() {
                obj.insert("apiVersion".into(), kind.api_version().into());
                obj.insert("kind".into(), kind.name().into());
            }
            v
        })
    })
}

/// A snapshot being written ([`Snapshot::writing`]): the same document as the derived
/// serialisation of [`Snapshot`], field for field.
pub struct Written<'m> {
    head: Snapshot,
    model: &'m ClusterModel,
}

impl Written<'_> {
    pub fn kinds(&self) -> &SnapshotKinds {
        &self.head.kinds
    }
}

impl Serialize for Written<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let h = &self.head;
        let mut out = s.serialize_struct("Snapshot", 9)?;
        out.serialize_field("apiVersion", &h.api_version)?;
        out.serialize_field("kind", &h.kind)?;
        out.serialize_field("capturedAt", &h.captured_at)?;
        out.serialize_field("cluster", &h.cluster)?;
        out.serialize_field("kinds", &h.kinds)?;
        out.serialize_field("items", &Items(self.model))?;
        if h.written_api_versions.is_empty() {
            out.skip_field("writtenApiVersions")?;
        } else {
            out.serialize_field("writtenApiVersions", &h.written_api_versions)?;
        }
        if h.removed_api_objects.is_empty() {
            out.skip_field("removedApiObjects")?;
        } else {
            out.serialize_field("removedApiObjects", &h.removed_api_objects)?;
        }
        if h.unknown_kinds.is_empty() {
            out.skip_field("unknownKinds")?;
        } else {
            out.serialize_field("unknownKinds", &h.unknown_kinds)?;
        }
        out.end()
    }
}

struct Items<'m>(&'m ClusterModel);

impl Serialize for Items<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(items(self.0))
    }
}

impl Snapshot {
    /// Captures the model (its objects are pruned and redacted already: Secrets and
    /// ConfigMaps are metadata only, credentials are masked).
    pub fn of(model: &ClusterModel) -> Snapshot {
        let mut snapshot = Snapshot::without_items(model);
        snapshot.items = items(model).collect();
        snapshot
    }

    /// Everything [`Snapshot::of`] captures but the items.
    fn without_items(model: &ClusterModel) -> Snapshot {
        let mut kinds = SnapshotKinds::default();
        for kind in Kind::ALL {
            match model.sync_state(*kind) {
                SyncState::Synced | SyncState::Stale(_) => kinds.synced.push(*kind),
                SyncState::Forbidden => kinds.forbidden.push(*kind),
                SyncState::Unavailable(reason) => kinds.unavailable.push(UnavailableKind {
                    kind: *kind,
                    reason,
                }),
                SyncState::NotServed => kinds.not_served.push(*kind),
                SyncState::Unsynced => {}
            }
        }
        let mut written_api_versions: Vec<WrittenApiVersion> = model
            .written_api_versions
            .iter()
            .map(|(key, api_version)| WrittenApiVersion {
                kind: key.kind,
                namespace: key.namespace.clone(),
                name: key.name.clone(),
                api_version: api_version.clone(),
            })
            .collect();
        written_api_versions
            .sort_by(|a, b| (a.kind, &a.namespace, &a.name).cmp(&(b.kind, &b.namespace, &b.name)));
        Snapshot {
            api_version: SNAPSHOT_API_VERSION.into(),
            kind: SNAPSHOT_KIND.into(),
            captured_at: model.now(),
            cluster: model.facts.clone(),
            kinds,
            items: Vec::new(),
            written_api_versions,
            removed_api_objects: model.removed_api_objects.clone(),
            unknown_kinds: model.unknown_kinds.clone(),
        }
    }

    /// The snapshot of `model` as [`Snapshot::of`] captures it, to be written: its items are
    /// converted one at a time as they are written, so a large cluster's is never held whole.
    pub fn writing(model: &ClusterModel) -> Written<'_> {
        Written {
            head: Snapshot::without_items(model),
            model,
        }
    }

    /// Gives the objects read from this snapshot's items back the apiVersion their source
    /// wrote them in.
    pub fn restore_written_api_versions(&self, msgs: &mut [Msg]) {
        if self.written_api_versions.is_empty() {
            return;
        }
        let written: HashMap<ObjectKey, &str> = self
            .written_api_versions
            .iter()
            .map(|w| {
                let key = ObjectKey {
                    kind: w.kind,
                    namespace: w.namespace.clone(),
                    name: w.name.clone(),
                };
                (key, w.api_version.as_str())
            })
            .collect();
        for msg in msgs {
            if let Msg::Upsert(entry) = msg {
                if let Some(v) = written.get(&ObjectKey::of(&entry.object)) {
                    entry.api_version = (*v).to_string();
                }
            }
        }
    }

    /// What the snapshot records besides its objects and listed kinds, as messages.
    pub fn side_messages(&self) -> Vec<Msg> {
        let unavailable = self
            .kinds
            .unavailable
            .iter()
            .map(|u| Msg::Unavailable(u.kind, u.reason.clone()))
            .chain(self.kinds.not_served.iter().map(|k| Msg::NotServed(*k)));
        let removed = self
            .removed_api_objects
            .iter()
            .cloned()
            .map(Msg::RemovedApi);
        // One message counts one object; the total is bounded so that a hostile count cannot
        // take the memory (counts only inform, they grade nothing).
        let unknown = self
            .unknown_kinds
            .iter()
            .flat_map(|(k, n)| std::iter::repeat_n(k, *n).map(|k| Msg::UnknownKind(k.clone())))
            .take(MAX_UNKNOWN_OBJECTS);
        unavailable.chain(removed).chain(unknown).collect()
    }
}

/// Writes `value` as YAML to `out` as it is serialised. A failed write keeps its own error
/// (a closed pipe stays a closed pipe), not the YAML emitter's word for it.
pub fn write_yaml<T: Serialize>(out: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
    struct Keep<'w> {
        out: std::io::BufWriter<&'w mut dyn std::io::Write>,
        failed: Option<std::io::Error>,
    }
    impl std::io::Write for Keep<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.out.write(buf).inspect_err(|e| {
                self.failed = Some(std::io::Error::new(e.kind(), e.to_string()));
            })
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.out.flush().inspect_err(|e| {
                self.failed = Some(std::io::Error::new(e.kind(), e.to_string()));
            })
        }
    }
    let mut keep = Keep {
        out: std::io::BufWriter::with_capacity(64 * 1024, out),
        failed: None,
    };
    match serde_norway::to_writer(&mut keep, value) {
        Ok(()) => std::io::Write::flush(&mut keep),
        Err(e) => Err(keep
            .failed
            .take()
            .unwrap_or_else(|| std::io::Error::other(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_written_as_it_goes_is_the_captured_one_in_json_and_yaml() {
        let model = crate::source::demo::demo_model();
        let captured = Snapshot::of(&model);
        assert!(captured.items.len() > 20);
        let writing = Snapshot::writing(&model);
        assert_eq!(
            crate::report::json_text::pretty(&writing),
            crate::report::json_text::pretty(&captured)
        );
        let mut yaml = Vec::new();
        write_yaml(&mut yaml, &writing).unwrap();
        assert_eq!(
            String::from_utf8(yaml).unwrap(),
            serde_norway::to_string(&captured).unwrap()
        );
    }

    #[test]
    fn optional_parts_are_written_only_when_there_are_some() {
        let mut model = crate::source::demo::demo_model();
        model.unknown_kinds.insert("Widget (acme.io/v1)".into(), 2);
        let text = crate::report::json_text::pretty(&Snapshot::writing(&model));
        assert_eq!(
            text,
            crate::report::json_text::pretty(&Snapshot::of(&model))
        );
        assert!(text.contains("\"unknownKinds\""), "{text}");
        model.unknown_kinds.clear();
        let text = crate::report::json_text::pretty(&Snapshot::writing(&model));
        assert!(!text.contains("\"unknownKinds\""));
        assert!(!text.contains("\"writtenApiVersions\"") || !model.written_api_versions.is_empty());
    }
}
