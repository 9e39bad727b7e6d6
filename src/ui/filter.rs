//! The `/` filter: free text on names, plus `key:value` terms, all ANDed.
//!
//! Terms: `sev:critical` (fails a check or has an alert of that severity or worse),
//! `check:probe.*` (fails a matching check), `health:failing`, `grade:F`, `kind:deploy`,
//! `ns:shop`. Anything else matches the workload's name or namespace/name. A `key:value` word
//! whose key or value is not one of these is a problem to report, never a name to look for:
//! Kubernetes names hold no `:`, so such a word would silently match nothing.

use crate::checks::catalogue::pattern_matches;
use crate::checks::{Severity, Status};
use crate::grade::WorkloadReport;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub text: String,
    terms: Vec<Term>,
    /// What in `text` is not a term: an unknown key or value, in words.
    problems: Vec<String>,
}

/// The keys a term may have, as the problem message lists them.
const KEYS: &str = "sev, check, health, grade, kind, ns";
const HEALTHS: [&str; 4] = ["failing", "degraded", "unknown", "healthy"];
const GRADES: [&str; 5] = ["A", "B", "C", "D", "F"];

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
        let mut terms = Vec::new();
        let mut problems = Vec::new();
        for word in text.split_whitespace() {
            match Self::term(word) {
                Ok(t) => terms.push(t),
                Err(p) => problems.push(p),
            }
        }
        Filter {
            text: text.to_string(),
            terms,
            problems,
        }
    }

    fn term(word: &str) -> Result<Term, String> {
        let Some((key, v)) = word.split_once(':') else {
            return Ok(Term::Name(word.to_lowercase()));
        };
        if v.is_empty() {
            return Err(format!("filter key {key} needs a value ({key}:…)"));
        }
        match key.to_lowercase().as_str() {
            "sev" | "severity" => Severity::parse(&v.to_lowercase())
                .map(Term::Severity)
                .ok_or_else(|| {
                    format!("unknown severity {v}; severities: critical, warning, info")
                }),
            "check" => Ok(Term::Check(v.to_string())),
            "health" => {
                let h = v.to_lowercase();
                if HEALTHS.iter().any(|n| n.starts_with(h.as_str())) {
                    Ok(Term::Health(h))
                } else {
                    Err(format!(
                        "unknown health {v}; health: {}",
                        HEALTHS.join(", ")
                    ))
                }
            }
            "grade" => {
                let g = v.to_uppercase();
                if GRADES.contains(&g.as_str()) {
                    Ok(Term::Grade(g))
                } else {
                    Err(format!("unknown grade {v}; grades: {}", GRADES.join(", ")))
                }
            }
            "kind" => Ok(Term::Kind(v.to_lowercase())),
            "ns" | "namespace" => Ok(Term::Namespace(v.to_lowercase())),
            _ => Err(format!("unknown filter key {key}; keys: {KEYS}")),
        }
    }

    /// The first thing in the text that is not a term, in words; `None` when it all parsed.
    pub fn problem(&self) -> Option<&str> {
        self.problems.first().map(String::as_str)
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
        assert!(Filter::parse("health:fail SEV:Critical")
            .problem()
            .is_none());
    }

    #[test]
    fn unknown_keys_and_values_are_problems_not_names() {
        let p = |t: &str| Filter::parse(t).problem().map(str::to_string);
        assert_eq!(
            p("foo:bar").as_deref(),
            Some("unknown filter key foo; keys: sev, check, health, grade, kind, ns")
        );
        assert_eq!(
            p("web sev:bogus").as_deref(),
            Some("unknown severity bogus; severities: critical, warning, info")
        );
        assert!(p("health:great")
            .unwrap()
            .starts_with("unknown health great"));
        assert!(p("grade:E").unwrap().starts_with("unknown grade E"));
        assert!(p("check:").unwrap().contains("needs a value"));
        // The terms that did parse still count.
        assert!(!Filter::parse("web foo:bar").is_empty());
    }
}
