//! Argo Rollouts: a `Rollout` (`argoproj.io/v1alpha1`) is a Deployment with a canary or
//! blue-green strategy. Its pod template is its own `spec.template`, or the template of the
//! Deployment its `spec.workloadRef` names.

use super::{custom_resource, Condition};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::{Deserialize, Serialize};

custom_resource!(
    /// An Argo Rollout.
    Rollout, "argoproj.io", "v1alpha1", "rollouts", NamespaceResourceScope, RolloutSpec, RolloutStatus
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RolloutSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<PodTemplateSpec>,
    /// The Deployment whose pod template the Rollout runs, instead of a template of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload_ref: Option<WorkloadRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_deadline_seconds: Option<i32>,
    pub strategy: RolloutStrategy,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkloadRef {
    pub api_version: String,
    pub kind: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RolloutStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary: Option<CanaryStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blue_green: Option<BlueGreenStrategy>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CanaryStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stable_service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary_service: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<CanaryStep>,
    /// Background analysis, run through the whole rollout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CanaryStep {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_weight: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BlueGreenStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_promotion_analysis: Option<Analysis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_promotion_analysis: Option<Analysis>,
}

/// An analysis run: the AnalysisTemplates it instantiates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Analysis {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<AnalysisTemplateRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AnalysisTemplateRef {
    pub template_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_scope: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RolloutStatus {
    /// `Healthy`, `Progressing`, `Paused` or `Degraded`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The rollout was aborted (by a failed analysis or by hand): traffic went back to stable.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub abort: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready_replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_replicas: Option<i32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

impl Rollout {
    /// The Services the strategy names (stable, canary, active, preview): Argo Rollouts adds
    /// its pods' hash to their selectors, so they select the Rollout's pods by definition.
    pub fn service_names(&self) -> Vec<&str> {
        let s = &self.spec.strategy;
        let canary = s
            .canary
            .iter()
            .flat_map(|c| [&c.stable_service, &c.canary_service]);
        let blue_green = s
            .blue_green
            .iter()
            .flat_map(|b| [&b.active_service, &b.preview_service]);
        canary
            .chain(blue_green)
            .filter_map(|n| n.as_deref())
            .filter(|n| !n.is_empty())
            .collect()
    }

    /// The Deployment whose template the Rollout runs, when it names one.
    pub fn referenced_deployment(&self) -> Option<&str> {
        self.spec
            .workload_ref
            .as_ref()
            .filter(|r| r.kind == "Deployment" && !r.name.is_empty())
            .map(|r| r.name.as_str())
    }

    /// Whether the strategy is canary or blue-green (a Rollout with neither is invalid).
    pub fn is_progressive(&self) -> bool {
        self.spec.strategy.canary.is_some() || self.spec.strategy.blue_green.is_some()
    }

    /// Every analysis the strategy runs: background, per step, pre- and post-promotion.
    pub fn analyses(&self) -> Vec<&Analysis> {
        let s = &self.spec.strategy;
        let mut out = Vec::new();
        if let Some(c) = &s.canary {
            out.extend(c.analysis.iter());
            out.extend(c.steps.iter().filter_map(|st| st.analysis.as_ref()));
        }
        if let Some(b) = &s.blue_green {
            out.extend(b.pre_promotion_analysis.iter());
            out.extend(b.post_promotion_analysis.iter());
        }
        out.retain(|a| !a.templates.is_empty());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_canary_rollout_reads_its_services_and_analyses() {
        let r: Rollout = serde_json::from_value(json!({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
            "metadata": {"name": "web"},
            "spec": {"replicas": 5, "strategy": {"canary": {
                "stableService": "web-stable", "canaryService": "web-canary",
                "trafficRouting": {"nginx": {"stableIngress": "web"}},
                "steps": [{"setWeight": 20}, {"pause": {}},
                          {"analysis": {"templates": [{"templateName": "success-rate"}]}}]}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}},
            "status": {"phase": "Degraded", "abort": true, "observedGeneration": "7"}
        }))
        .unwrap();
        assert_eq!(r.service_names(), ["web-stable", "web-canary"]);
        assert_eq!(r.analyses().len(), 1);
        assert_eq!(r.analyses()[0].templates[0].template_name, "success-rate");
        let status = r.status.as_ref().unwrap();
        assert!(status.abort);
        assert_eq!(status.phase.as_deref(), Some("Degraded"));
        let back = serde_json::to_value(&r).unwrap();
        assert_eq!(back["kind"], "Rollout");
        assert_eq!(back["apiVersion"], "argoproj.io/v1alpha1");
        assert_eq!(
            back["spec"]["strategy"]["canary"]["stableService"],
            "web-stable"
        );
    }

    #[test]
    fn a_blue_green_rollout_with_a_workload_ref_names_its_deployment() {
        let r: Rollout = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"workloadRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web-base"},
                     "strategy": {"blueGreen": {"activeService": "web", "previewService": "",
                                                 "prePromotionAnalysis": {"templates": []}}}}
        }))
        .unwrap();
        assert_eq!(r.referenced_deployment(), Some("web-base"));
        assert_eq!(r.service_names(), ["web"]);
        assert!(
            r.analyses().is_empty(),
            "an analysis without templates runs nothing"
        );
        assert!(r.is_progressive());
    }
}
