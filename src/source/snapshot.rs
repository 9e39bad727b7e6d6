//! shipshape's own snapshot format: the synced state of a cluster, with which kinds were
//! captured and which were forbidden, so a later `check --file` grades it exactly as live.

use crate::cluster::{ClusterFacts, ClusterModel, Kind, SyncState};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const SNAPSHOT_API_VERSION: &str = "shipshape.dev/v1";
pub const SNAPSHOT_KIND: &str = "Snapshot";

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct SnapshotKinds {
    #[serde(default)]
    pub synced: Vec<Kind>,
    #[serde(default)]
    pub forbidden: Vec<Kind>,
}

/// A saved cluster state.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub api_version: String,
    pub kind: String,
    /// The time the state was captured; grading measures ages against it.
    pub captured_at: DateTime<Utc>,
    #[serde(default)]
    pub cluster: ClusterFacts,
    #[serde(default)]
    pub kinds: SnapshotKinds,
    #[serde(default)]
    pub items: Vec<serde_json::Value>,
}

impl Snapshot {
    /// Captures the model (Secrets and ConfigMaps are metadata only already).
    pub fn of(model: &ClusterModel) -> Snapshot {
        let mut kinds = SnapshotKinds::default();
        for kind in Kind::ALL {
            match model.sync_state(*kind) {
                SyncState::Synced | SyncState::Stale(_) => kinds.synced.push(*kind),
                SyncState::Forbidden => kinds.forbidden.push(*kind),
                SyncState::Unsynced | SyncState::Unavailable(_) => {}
            }
        }
        let items = model
            .stores
            .objects()
            .iter()
            .map(|o| {
                let mut v = o.to_json();
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("apiVersion".into(), o.kind().api_version().into());
                    obj.insert("kind".into(), o.kind().name().into());
                }
                v
            })
            .collect();
        let mut cluster = model.facts.clone();
        cluster.from_manifests = false;
        Snapshot {
            api_version: SNAPSHOT_API_VERSION.into(),
            kind: SNAPSHOT_KIND.into(),
            captured_at: model.now(),
            cluster,
            kinds,
            items,
        }
    }
}
