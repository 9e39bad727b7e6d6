//! JUnit XML for CI systems: a testsuite per namespace (and one for the cluster), a testcase
//! per subject × check. Failures carry the finding and the fix; waived and unknown results
//! are skipped with their reason; checks that do not apply (n/a) are not test cases.

use super::document::waiver_reason;
use crate::checks::{CheckResult, Status};
use crate::cluster::ClusterModel;
use crate::grade::Grades;
use crate::score::{grade_text, Grade, Health};
use std::collections::HashMap;
use std::fmt::Write;
use std::io::Write as _;

/// A graded subject: its results, under the classname CI systems group by.
struct Subject<'g> {
    namespace: &'g str,
    /// Objects without a namespace are classed under `cluster`.
    object: bool,
    kind: &'g str,
    name: &'g str,
    results: &'g [CheckResult],
}

impl Subject<'_> {
    fn classname(&self) -> String {
        if self.object && self.namespace.is_empty() {
            format!("cluster.{}/{}", self.kind, self.name)
        } else {
            format!("{}.{}/{}", self.namespace, self.kind, self.name)
        }
    }

    /// The results that are test cases: every one but n/a.
    fn cases(&self) -> impl Iterator<Item = &CheckResult> {
        self.results
            .iter()
            .filter(|r| r.status != Status::NotApplicable)
    }
}

struct Suite<'g> {
    name: &'g str,
    score: Option<f64>,
    grade: Option<Grade>,
    health: Option<Health>,
    subjects: Vec<Subject<'g>>,
}

impl Suite<'_> {
    fn count(&self, status: Status) -> usize {
        self.subjects
            .iter()
            .flat_map(Subject::cases)
            .filter(|r| r.status == status)
            .count()
    }

    fn tests(&self) -> usize {
        self.subjects.iter().map(|s| s.cases().count()).sum()
    }

    fn skipped(&self) -> usize {
        self.count(Status::Waived) + self.count(Status::Unknown)
    }
}

/// Renders the report.
pub fn render(model: &ClusterModel, grades: &Grades) -> String {
    let mut out = Vec::with_capacity(512 * 1024);
    write(model, grades, &mut out).expect("a report writes into memory");
    String::from_utf8(out).expect("the report is written as UTF-8")
}

/// Writes the report to `out` a test case at a time (the counts each suite opens with are
/// taken first), so the report of a large cluster is never held whole. The text is
/// [`render`]'s.
pub fn write(
    model: &ClusterModel,
    grades: &Grades,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut suites: Vec<Suite> = grades
        .namespaces
        .values()
        .map(|ns| Suite {
            name: &ns.name,
            score: ns.score,
            grade: ns.grade,
            health: Some(ns.health),
            subjects: Vec::new(),
        })
        .collect();
    let by_name: HashMap<&str, usize> = suites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name, i))
        .rev()
        .collect();
    let mut cluster = Suite {
        name: "cluster",
        score: grades.cluster_score,
        grade: grades.cluster_grade,
        health: Some(grades.cluster_health),
        subjects: Vec::new(),
    };
    let workloads = grades.workloads.values().map(|w| Subject {
        namespace: &w.key.namespace,
        object: false,
        kind: w.key.kind.name(),
        name: &w.key.name,
        results: &w.results,
    });
    let objects = grades.objects.values().map(|o| Subject {
        namespace: o.key.scope(),
        object: true,
        kind: o.key.kind(),
        name: o.key.name(),
        results: &o.results,
    });
    for subject in workloads.chain(objects) {
        let suite = match by_name.get(subject.namespace) {
            Some(&i) if !subject.namespace.is_empty() => &mut suites[i],
            _ => &mut cluster,
        };
        suite.subjects.push(subject);
    }
    suites.push(cluster);
    suites.retain(|s| s.tests() > 0);

    let mut out = SafeLines(std::io::BufWriter::with_capacity(64 * 1024, out));
    let timestamp = model.now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let total = |f: &dyn Fn(&Suite) -> usize| suites.iter().map(f).sum::<usize>();
    out.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    out.line(&format!(
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"0\" timestamp=\"{timestamp}\">",
        attr(&format!("shipshape: {}", model.facts.source)),
        total(&|s| s.tests()),
        total(&|s| s.count(Status::Fail)),
        total(&|s| s.skipped()),
    ))?;
    for suite in &suites {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"0\" timestamp=\"{timestamp}\">",
            attr(suite.name),
            suite.tests(),
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
        let _ = write!(s, "    </properties>");
        out.line(&s)?;
        for subject in &suite.subjects {
            let classname = subject.classname();
            for r in subject.cases() {
                s.clear();
                testcase(&mut s, &classname, r);
                out.text(&s)?;
            }
        }
        out.line("  </testsuite>")?;
    }
    out.line("</testsuites>")?;
    out.0.flush()
}

/// Writes text through [`crate::text::safe_lines`]: every field was escaped on its way in;
/// this pass guarantees no writer above can leak a control character by forgetting to.
/// Escaping is character by character, so escaping piece by piece gives the same text.
struct SafeLines<W>(W);

impl<W: std::io::Write> SafeLines<W> {
    fn text(&mut self, s: &str) -> std::io::Result<()> {
        self.0.write_all(crate::text::safe_lines(s).as_bytes())
    }

    fn line(&mut self, s: &str) -> std::io::Result<()> {
        self.text(s)?;
        self.0.write_all(b"\n")
    }
}

fn testcase(s: &mut String, classname: &str, r: &CheckResult) {
    let open = format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
        attr(classname),
        attr(&r.check)
    );
    match r.status {
        Status::Fail => {
            let mut body = r.message.to_string();
            if !r.containers().is_empty() {
                let _ = write!(body, "\ncontainers: {}", r.containers().join(", "));
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
