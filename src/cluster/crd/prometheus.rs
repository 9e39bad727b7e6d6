//! The Prometheus Operator (`monitoring.coreos.com/v1`): a `ServiceMonitor` scrapes the pods
//! behind the Services it selects, a `PodMonitor` the pods it selects, a `PrometheusRule`
//! holds alerting rules.

use super::custom_resource;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::{Deserialize, Serialize};

custom_resource!(
    /// A Prometheus Operator ServiceMonitor.
    ServiceMonitor, "monitoring.coreos.com", "v1", "servicemonitors", NamespaceResourceScope, MonitorSpec, MonitorStatus
);

custom_resource!(
    /// A Prometheus Operator PodMonitor.
    PodMonitor, "monitoring.coreos.com", "v1", "podmonitors", NamespaceResourceScope, MonitorSpec, MonitorStatus
);

/// What both monitors select: objects by label, in the namespaces `namespaceSelector` names
/// (the monitor's own namespace when it names none).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MonitorSpec {
    pub selector: LabelSelector,
    pub namespace_selector: NamespaceSelector,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NamespaceSelector {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub any: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub match_names: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MonitorStatus {}

impl MonitorSpec {
    /// Whether the monitor, living in `own`, looks at objects in `namespace`.
    pub fn watches_namespace(&self, own: &str, namespace: &str) -> bool {
        let n = &self.namespace_selector;
        if n.any {
            true
        } else if n.match_names.is_empty() {
            own == namespace
        } else {
            n.match_names.iter().any(|m| m == namespace)
        }
    }
}

custom_resource!(
    /// A Prometheus Operator PrometheusRule: alerting and recording rules.
    PrometheusRule, "monitoring.coreos.com", "v1", "prometheusrules", NamespaceResourceScope, RuleSpec, MonitorStatus
);

/// Only what `cluster.alerting` reads: each alerting rule's name and expression.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleSpec {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<RuleGroup>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleGroup {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
}

/// One rule: an alerting rule names its `alert`, a recording rule its `record`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// PromQL; the CRD allows a number too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expr: Option<IntOrString>,
}

impl Rule {
    /// The expression as text.
    pub fn expr_text(&self) -> String {
        match &self.expr {
            Some(IntOrString::String(s)) => s.clone(),
            Some(IntOrString::Int(i)) => i.to_string(),
            None => String::new(),
        }
    }
}

impl PrometheusRule {
    /// Every alerting rule (recording rules raise nothing).
    pub fn alerts(&self) -> impl Iterator<Item = &Rule> {
        self.spec
            .groups
            .iter()
            .flat_map(|g| g.rules.iter())
            .filter(|r| r.alert.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_namespace_selector_defaults_to_the_monitors_own_namespace() {
        let sm: ServiceMonitor = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "monitoring"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "endpoints": [{"port": "metrics"}]}
        }))
        .unwrap();
        assert!(sm.spec.watches_namespace("monitoring", "monitoring"));
        assert!(!sm.spec.watches_namespace("monitoring", "shop"));
        let pm: PodMonitor = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "monitoring"},
            "spec": {"selector": {}, "namespaceSelector": {"matchNames": ["shop"]}}
        }))
        .unwrap();
        assert!(pm.spec.watches_namespace("monitoring", "shop"));
        assert!(!pm.spec.watches_namespace("monitoring", "monitoring"));
    }
}
