//! The `/` filter: free text on names, plus `key:value` terms, all ANDed.
//!
//! Terms: `sev:critical` (fails a check or has an alert of that severity or worse),
//! `check:probe.*` (fails a matching check), `health:failing`, `grade:F`, `kind:deploy`,
//! `ns:shop`. Anything else matches the workload's name or namespace/name.

use crate::checks::catalogue::pattern_matches;
use crate::checks::{Severity, Status};
use crate::grade::WorkloadReport;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub text: String,
    terms: Vec<Term>,
}

#[derive(Clone, Debug, PartialEq)]
enum Term {
    Severity(Severity),
    Check(String),
    Health(String),
    Grade(String),
    Kind(String),
    Namespace(String),
    Name(String),
}

impl Filter {
    pub fn parse(text: &str) -> Filter {
        let terms = text
            .split_whitespace()
            .map(|word| match word.split_once(':') {
                Some(("sev" | "severity", v)) => Severity::parse(&v.to_lowercase())
                    .map(Term::Severity)
                    .unwrap_or_else(|| Term::Name(word.to_lowercase())),
                Some(("check", v)) => Term::Check(v.to_string()),
                Some(("health", v)) => Term::Health(v.to_lowercase()),
                Some(("grade", v)) => Term::Grade(v.to_uppercase()),
                Some(("kind", v)) => Term::Kind(v.to_lowercase()),
                Some(("ns" | "namespace", v)) => Term::Namespace(v.to_lowercase()),
                _ => Term::Name(word.to_lowercase()),
            })
            .collect();
        Filter {
            text: text.to_string(),
            terms,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn matches(&self, w: &WorkloadReport) -> bool {
        self.terms.iter().all(|t| match t {
            Term::Severity(min) => {
                w.results
                    .iter()
                    .any(|r| r.status == Status::Fail && r.severity >= *min)
                    || w.alerts.iter().any(|a| a.severity >= *min)
            }
            Term::Check(p) => w
                .results
                .iter()
                .any(|r| r.status == Status::Fail && pattern_matches(p, &r.check)),
            Term::Health(h) => w.health.name().starts_with(h.as_str()),
            Term::Grade(g) => w.grade.is_some_and(|x| x.letter() == g),
            Term::Kind(k) => w.key.kind.name().to_lowercase().starts_with(k.as_str()),
            Term::Namespace(n) => w.key.namespace.to_lowercase().contains(n.as_str()),
            Term::Name(n) => {
                w.key.name.to_lowercase().contains(n.as_str())
                    || format!("{}/{}", w.key.namespace, w.key.name)
                        .to_lowercase()
                        .contains(n.as_str())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{grade, key};

    #[test]
    fn terms_and_names() {
        let g = grade(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: 'nginx:latest'}]\n",
        );
        let w = &g.workloads[&key("Deployment/shop/web")];
        assert!(Filter::parse("web").matches(w));
        assert!(Filter::parse("shop/we").matches(w));
        assert!(!Filter::parse("api").matches(w));
        assert!(Filter::parse("sev:critical check:image.*").matches(w));
        assert!(Filter::parse("check:image.tag kind:deploy ns:shop").matches(w));
        assert!(!Filter::parse("check:health.*").matches(w));
        assert!(!Filter::parse("health:failing").matches(w));
        assert!(Filter::parse("health:unknown").matches(w));
        assert!(!Filter::parse("grade:A").matches(w));
        assert!(Filter::parse("").is_empty());
    }
}
