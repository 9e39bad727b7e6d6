//! JUnit XML for CI systems: a testsuite per namespace (and one for the cluster), a testcase
//! per subject × check. Failures carry the finding and the fix; waived and unknown results
//! are skipped with their reason; checks that do not apply (n/a) are not test cases.

use super::document::waiver_reason;
use crate::checks::{CheckResult, Status};
use crate::cluster::ClusterModel;
use crate::grade::Grades;
use crate::score::{grade_text, Grade, Health};
use std::fmt::Write;

/// One graded subject's results, under the classname CI systems group by.
struct Case<'g> {
    classname: String,
    result: &'g CheckResult,
}

struct Suite<'g> {
    name: String,
    score: Option<f64>,
    grade: Option<Grade>,
    health: Option<Health>,
    cases: Vec<Case<'g>>,
}

impl Suite<'_> {
    fn count(&self, status: Status) -> usize {
        self.cases
            .iter()
            .filter(|c| c.result.status == status)
            .count()
    }

    fn skipped(&self) -> usize {
        self.count(Status::Waived) + self.count(Status::Unknown)
    }
}

/// Renders the report.
pub fn render(model: &ClusterModel, grades: &Grades) -> String {
    let mut suites: Vec<Suite> = grades
        .namespaces
        .values()
        .map(|ns| Suite {
            name: ns.name.clone(),
            score: ns.score,
            grade: ns.grade,
            health: Some(ns.health),
            cases: Vec::new(),
        })
        .collect();
    let mut cluster = Suite {
        name: "cluster".to_string(),
        score: None,
        grade: None,
        health: Some(grades.cluster_health),
        cases: Vec::new(),
    };
    (cluster.score, cluster.grade) = (grades.cluster_score, grades.cluster_grade);

    // (namespace, classname, results) of every graded subject.
    let mut subjects: Vec<(&str, String, &[CheckResult])> = Vec::new();
    for w in grades.workloads.values() {
        let classname = format!("{}.{}/{}", w.key.namespace, w.key.kind, w.key.name);
        subjects.push((&w.key.namespace, classname, &w.results));
    }
    for o in grades.objects.values() {
        let (ns, kind, name) = (o.key.scope(), o.key.kind(), o.key.name());
        let classname = if ns.is_empty() {
            format!("cluster.{kind}/{name}")
        } else {
            format!("{ns}.{kind}/{name}")
        };
        subjects.push((ns, classname, &o.results));
    }
    for (ns, classname, results) in subjects {
        let suite = match suites.iter_mut().find(|s| s.name == ns && !ns.is_empty()) {
            Some(s) => s,
            None => &mut cluster,
        };
        for r in results.iter().filter(|r| r.status != Status::NotApplicable) {
            suite.cases.push(Case {
                classname: classname.clone(),
                result: r,
            });
        }
    }
    suites.push(cluster);
    suites.retain(|s| !s.cases.is_empty());

    let timestamp = model.now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let total = |f: &dyn Fn(&Suite) -> usize| suites.iter().map(f).sum::<usize>();
    let mut s = String::with_capacity(512 * 1024);
    let _ = writeln!(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(
        s,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"0\" timestamp=\"{timestamp}\">",
        attr(&format!("shipshape: {}", model.facts.source)),
        total(&|s| s.cases.len()),
        total(&|s| s.count(Status::Fail)),
        total(&|s| s.skipped()),
    );
    for suite in &suites {
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"0\" timestamp=\"{timestamp}\">",
            attr(&suite.name),
            suite.cases.len(),
            suite.count(Status::Fail),
            suite.skipped()
        );
        let _ = writeln!(s, "    <properties>");
        let score = suite
            .score
            .map_or_else(|| "none".to_string(), |v| format!("{:.1}", v));
        let _ = writeln!(s, "      <property name=\"score\" value=\"{score}\"/>");
        let _ = writeln!(
            s,
            "      <property name=\"grade\" value=\"{}\"/>",
            grade_text(suite.grade)
        );
        if let Some(h) = suite.health {
            let _ = writeln!(s, "      <property name=\"health\" value=\"{h}\"/>");
        }
        let _ = writeln!(s, "    </properties>");
        for case in &suite.cases {
            testcase(&mut s, case);
        }
        let _ = writeln!(s, "  </testsuite>");
    }
    let _ = writeln!(s, "</testsuites>");
    // Every field was escaped on its way in; this pass guarantees no writer above can leak a
    // control character by forgetting to.
    crate::text::safe_lines(&s).into_owned()
}

fn testcase(s: &mut String, case: &Case) {
    let r = case.result;
    let open = format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
        attr(&case.classname),
        attr(&r.check)
    );
    match r.status {
        Status::Fail => {
            let mut body = r.message.clone();
            if !r.containers.is_empty() {
                let _ = write!(body, "\ncontainers: {}", r.containers.join(", "));
            }
            let _ = write!(
                body,
                "\nseverity: {}\n\nWhy it matters: {}\n\nFix: {}",
                r.severity,
                r.def().why,
                r.fix_text()
            );
            let _ = writeln!(
                s,
                "{open}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                attr(&r.message),
                r.severity,
                text(&body)
            );
        }
        Status::Waived => {
            let reason = waiver_reason(r);
            let _ = writeln!(
                s,
                "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                attr(&format!("waived: {reason}"))
            );
        }
        Status::Unknown => {
            let _ = writeln!(
                s,
                "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                attr(&format!("unknown: {}", r.message))
            );
        }
        Status::Pass | Status::NotApplicable => {
            let _ = writeln!(s, "{open}/>");
        }
    }
}

/// Escapes element text. Control characters (which XML 1.0 cannot hold at all), C1 controls
/// and bidi overrides become visible escapes first ([`crate::text::safe_lines`]): CI systems
/// show these messages to people.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in crate::text::safe_lines(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a double-quoted attribute value: element text's escaping, plus the quote, and
/// white space kept as character references (parsers fold it otherwise).
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in text(s).chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(
            text("a < b & c\u{1}\u{85}\u{202e}"),
            "a &lt; b &amp; c\\x01\\u{85}\\u{202e}"
        );
        assert_eq!(attr("say \"hi\"\nnow"), "say &quot;hi&quot;&#10;now");
    }
}
