//! KEDA: a `ScaledObject` (`keda.sh/v1alpha1`) scales a workload on event sources through an
//! HPA it generates (`keda-hpa-<name>`, owned by the ScaledObject).

use super::{custom_resource, Condition};
use serde::{Deserialize, Serialize};

custom_resource!(
    /// A KEDA ScaledObject.
    ScaledObject, "keda.sh", "v1alpha1", "scaledobjects", NamespaceResourceScope, ScaledObjectSpec, ScaledObjectStatus
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScaledObjectSpec {
    pub scale_target_ref: ScaleTargetRef,
    /// KEDA's default is 0: scale to zero when idle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_replica_count: Option<i32>,
    /// KEDA's default is 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_replica_count: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_replica_count: Option<i32>,
    /// Only each trigger's type and name: trigger metadata may hold connection strings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScaleTargetRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// KEDA's default is Deployment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Trigger {
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScaledObjectStatus {
    /// The HPA KEDA generated for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hpa_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

impl ScaledObject {
    /// The kind of workload it scales (KEDA defaults to Deployment).
    pub fn target_kind(&self) -> &str {
        self.spec
            .scale_target_ref
            .kind
            .as_deref()
            .filter(|k| !k.is_empty())
            .unwrap_or("Deployment")
    }

    pub fn min_replicas(&self) -> i32 {
        self.spec.min_replica_count.unwrap_or(0)
    }

    pub fn max_replicas(&self) -> i32 {
        self.spec.max_replica_count.unwrap_or(100)
    }

    /// The name of the HPA KEDA generates for it: the status says, else KEDA's convention.
    pub fn hpa_name(&self) -> String {
        self.status
            .as_ref()
            .and_then(|s| s.hpa_name.clone())
            .unwrap_or_else(|| format!("keda-hpa-{}", self.metadata.name.as_deref().unwrap_or("")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_follow_keda_and_trigger_metadata_is_not_kept() {
        let so: ScaledObject = serde_json::from_value(json!({
            "metadata": {"name": "worker"},
            "spec": {"scaleTargetRef": {"name": "worker"},
                     "triggers": [{"type": "postgresql",
                                   "metadata": {"connectionFromEnv": "PG", "query": "select 1"}}]}
        }))
        .unwrap();
        assert_eq!(so.target_kind(), "Deployment");
        assert_eq!((so.min_replicas(), so.max_replicas()), (0, 100));
        assert_eq!(so.hpa_name(), "keda-hpa-worker");
        let back = serde_json::to_string(&so).unwrap();
        assert!(
            back.contains("postgresql") && !back.contains("select 1"),
            "{back}"
        );
    }
}
