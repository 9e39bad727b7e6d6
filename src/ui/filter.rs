//! The `/` filter: free text on names, plus `key:value` terms, all ANDed.
//!
//! The terms are those of [`GRAMMAR`]. Anything else matches the workload's name or
//! namespace/name. A `key:value` word whose key or value is not one of these is a problem to
//! report, never a name to look for: Kubernetes names hold no `:`, so such a word would
//! silently match nothing.

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

/// The filter's grammar, written once: the parser reads its keys and values here, and its
/// problem messages, the status bar's and the help screen's examples are made from it.
pub const GRAMMAR: &[FilterKey] = &[
    // Fails a check, or has an alert, of that severity or worse.
    FilterKey {
        names: &["sev", "severity"],
        example: "sev:critical",
        values: Some(("severity", "severities", &["critical", "warning", "info"])),
        term: TermKind::Severity,
    },
    // Fails a check whose id matches the pattern.
    FilterKey {
        names: &["check"],
        example: "check:probe.*",
        values: None,
        term: TermKind::Check,
    },
    // Health starts with the value (`health:fail`).
    FilterKey {
        names: &["health"],
        example: "health:failing",
        values: Some((
            "health",
            "health",
            &["failing", "degraded", "unknown", "healthy"],
        )),
        term: TermKind::Health,
    },
    FilterKey {
        names: &["grade"],
        example: "grade:F",
        values: Some(("grade", "grades", &["A", "B", "C", "D", "F"])),
        term: TermKind::Grade,
    },
    // Kind starts with the value (`kind:deploy`).
    FilterKey {
        names: &["kind"],
        example: "kind:job",
        values: None,
        term: TermKind::Kind,
    },
    // Namespace contains the value.
    FilterKey {
        names: &["ns", "namespace"],
        example: "ns:shop",
        values: None,
        term: TermKind::Namespace,
    },
];

/// What the help screen adds to the filter's examples: custom checks are filtered by their
/// own prefix, and where they come from.
pub const CUSTOM_CHECKS: &str = "check:acme.* picks a team's custom checks (the config's \
[[checks]], in CEL) and check:vap.* the cluster's admission policies \
(--audit-admission-policies); `shipshape checks` lists them with where each is defined";

/// One `key:value` term of the filter.
#[derive(Clone, Copy, Debug)]
pub struct FilterKey {
    /// The key, then its aliases.
    pub names: &'static [&'static str],
    /// How the help screen and the status bar show the term.
    pub example: &'static str,
    /// The values it takes, when they are few: the value in words, the values in words, the
    /// values. `None` for free values (a check pattern, a name prefix).
    pub values: Option<(&'static str, &'static str, &'static [&'static str])>,
    term: TermKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TermKind {
    Severity,
    Check,
    Health,
    Grade,
    Kind,
    Namespace,
}

impl FilterKey {
    fn values(&self) -> &'static [&'static str] {
        self.values.map_or(&[], |(_, _, values)| values)
    }

    /// The problem with a value the key does not take, naming those it does.
    fn unknown_value(&self, value: &str) -> String {
        let (one, many, values) = self.values.unwrap_or_default();
        format!("unknown {one} {value}; {many}: {}", values.join(", "))
    }
}

/// The filter's examples, joined by `sep`: `sev:critical, check:probe.*, …`.
pub fn examples(sep: &str) -> String {
    GRAMMAR
        .iter()
        .map(|k| k.example)
        .collect::<Vec<_>>()
        .join(sep)
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
        let name = key.to_lowercase();
        let Some(k) = GRAMMAR.iter().find(|k| k.names.contains(&name.as_str())) else {
            let keys: Vec<&str> = GRAMMAR.iter().map(|k| k.names[0]).collect();
            return Err(format!(
                "unknown filter key {key}; keys: {}",
                keys.join(", ")
            ));
        };
        let term = match k.term {
            TermKind::Severity => Severity::parse(&v.to_lowercase()).map(Term::Severity),
            TermKind::Check => Some(Term::Check(v.to_string())),
            TermKind::Health => {
                // A prefix will do: `health:fail`.
                let h = v.to_lowercase();
                k.values()
                    .iter()
                    .any(|n| n.starts_with(h.as_str()))
                    .then_some(Term::Health(h))
            }
            TermKind::Grade => {
                let g = v.to_uppercase();
                k.values().contains(&g.as_str()).then_some(Term::Grade(g))
            }
            TermKind::Kind => Some(Term::Kind(v.to_lowercase())),
            TermKind::Namespace => Some(Term::Namespace(v.to_lowercase())),
        };
        term.ok_or_else(|| k.unknown_value(v))
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

    #[test]
    fn every_value_and_example_of_the_grammar_parses() {
        for k in GRAMMAR {
            assert!(
                Filter::parse(k.example).problem().is_none(),
                "{}",
                k.example
            );
            for name in k.names {
                for v in k.values() {
                    let term = format!("{name}:{v}");
                    assert!(Filter::parse(&term).problem().is_none(), "{term}");
                }
            }
        }
    }
}
