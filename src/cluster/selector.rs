//! Label selector matching, exactly as the API server does it: every `matchLabels` pair AND
//! every `matchExpressions` term must hold.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

pub type Labels = BTreeMap<String, String>;

/// Does `selector` select an object with `labels`? An empty selector selects everything;
/// a missing one (None) is handled by the caller, because its meaning differs by kind.
pub fn selector_matches(selector: &LabelSelector, labels: &Labels) -> bool {
    let labels_ok = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let exprs_ok = selector.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or_default();
        let have = labels.get(&e.key);
        match e.operator.as_str() {
            "In" => have.is_some_and(|v| values.contains(v)),
            "NotIn" => have.is_none_or(|v| !values.contains(v)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false, // an invalid operator selects nothing, as the API server would reject it
        }
    });
    labels_ok && exprs_ok
}

/// A Service's selector is a plain map; an empty map selects nothing (it means "no selector").
pub fn map_selector_matches(selector: &Labels, labels: &Labels) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// True when a selector has no terms at all (selects every pod).
pub fn selector_is_empty(selector: &LabelSelector) -> bool {
    selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(|m| m.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn match_labels_are_anded() {
        let sel = LabelSelector {
            match_labels: Some(labels(&[("app", "web"), ("tier", "front")])),
            ..Default::default()
        };
        assert!(selector_matches(
            &sel,
            &labels(&[("app", "web"), ("tier", "front"), ("x", "y")])
        ));
        assert!(!selector_matches(&sel, &labels(&[("app", "web")])));
    }

    #[test]
    fn expressions_and_empty_selectors() {
        let sel = LabelSelector {
            match_labels: Some(labels(&[("app", "web")])),
            match_expressions: Some(vec![
                LabelSelectorRequirement {
                    key: "track".into(),
                    operator: "NotIn".into(),
                    values: Some(vec!["canary".into()]),
                },
                LabelSelectorRequirement {
                    key: "tier".into(),
                    operator: "Exists".into(),
                    values: None,
                },
            ]),
        };
        assert!(selector_matches(
            &sel,
            &labels(&[("app", "web"), ("tier", "a")])
        ));
        assert!(!selector_matches(
            &sel,
            &labels(&[("app", "web"), ("tier", "a"), ("track", "canary")])
        ));
        assert!(!selector_matches(&sel, &labels(&[("app", "web")])));
        let empty = LabelSelector::default();
        assert!(selector_is_empty(&empty));
        assert!(selector_matches(&empty, &labels(&[("any", "thing")])));
        assert!(!map_selector_matches(
            &Labels::new(),
            &labels(&[("a", "b")])
        ));
    }
}
