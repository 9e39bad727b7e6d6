//! The checklist reference (`docs/checks.md`), written from the catalogue so it cannot drift
//! from what shipshape grades. `shipshape checks -o markdown` prints it.

use crate::checks::catalogue::{self, Category, CheckDef, Subject};
use std::fmt::Write;

/// The command that regenerates `docs/checks.md`.
pub const REGENERATE: &str = "cargo run -- checks -o markdown > docs/checks.md";

/// Escapes Markdown outside `code spans`, which are kept as written.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        for c in part.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\\' | '*' | '_' | '[' | ']' | '|' => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
    }
    out
}

fn subject(s: Subject) -> &'static str {
    match s {
        Subject::Workload => "each workload",
        Subject::Namespace => "each namespace",
        Subject::Service => "each Service",
        Subject::Ingress => "each Ingress",
        Subject::Gateway => "each Gateway",
        Subject::Route => "each HTTPRoute and GRPCRoute",
        Subject::Cluster => "the cluster",
        Subject::Object => "every object",
    }
}

/// The code block's language: YAML when the snippet is a mapping or a list, else shell.
fn language(snippet: &str) -> &'static str {
    match serde_norway::from_str::<serde_norway::Value>(snippet) {
        Ok(serde_norway::Value::Mapping(_) | serde_norway::Value::Sequence(_)) => "yaml",
        _ => "sh",
    }
}

/// Categories in checklist order, each with its checks.
fn by_category() -> Vec<(Category, Vec<&'static CheckDef>)> {
    let mut groups: Vec<(Category, Vec<&'static CheckDef>)> = Vec::new();
    for c in catalogue::all() {
        match groups.iter_mut().find(|(cat, _)| *cat == c.category) {
            Some((_, checks)) => checks.push(c),
            None => groups.push((c.category, vec![c])),
        }
    }
    groups
}

/// `docs/checks.md`.
pub fn markdown() -> String {
    let groups = by_category();
    let total: usize = groups.iter().map(|(_, c)| c.len()).sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# The checks\n\n\
         <!-- Generated from src/checks/catalogue.rs by `shipshape checks -o markdown`. Do not edit: \
         change the catalogue and run `{REGENERATE}`. -->\n\n\
         Every check shipshape runs ({total}), by category in checklist order: what fails, why it \
         matters in production, and how to fix it. `shipshape explain ID` prints the same in the \
         terminal; `shipshape checks` lists them.\n\n\
         Every check yields exactly one result for each subject it applies to: `pass`, `fail`, \
         `unknown` (the data it needs is not visible), `n/a` (it does not apply) or `waived` (with \
         its reason). The severity shown is the default: some checks raise or lower it for a \
         finding, as their *Fails when* says, and `[severity]` in the config overrides it. \
         Failing checks weigh 5 (critical), 2 (warning) or 1 (info) in the readiness score; \
         runtime health checks raise alerts and set the health axis instead. See the README's \
         [How scores and grades are computed](../README.md#how-scores-and-grades-are-computed).\n"
    );
    out.push_str("## Contents\n\n");
    for (cat, checks) in &groups {
        let ids: Vec<String> = checks
            .iter()
            .map(|c| format!("[`{id}`](#{id})", id = c.id))
            .collect();
        let _ = writeln!(
            out,
            "- [{title}](#{anchor}) ({n}): {ids}",
            title = cat.title(),
            anchor = cat.name(),
            n = checks.len(),
            ids = ids.join(", ")
        );
    }
    for (cat, checks) in &groups {
        let _ = writeln!(
            out,
            "\n<a id=\"{anchor}\"></a>\n\n## {title}\n\n| id | severity | graded on | wants |\n|---|---|---|---|",
            anchor = cat.name(),
            title = cat.title()
        );
        for c in checks {
            let _ = writeln!(
                out,
                "| [`{id}`](#{id}) | {sev} | {subject} | {title} |",
                id = c.id,
                sev = c.severity.name(),
                subject = subject(c.subject),
                title = prose(c.title)
            );
        }
        for c in checks {
            write_check(&mut out, c);
        }
    }
    crate::checks::cluster::components::write_markdown(&mut out);
    out
}

fn write_check(out: &mut String, c: &CheckDef) {
    let _ = writeln!(
        out,
        "\n<a id=\"{id}\"></a>\n\n### `{id}`\n\n**{sev}** · {cat} · graded on {subject}\n\n{title}.\n\n\
         **Fails when** {fails}.\n\n**Why it matters.** {why}\n",
        id = c.id,
        sev = c.severity.name(),
        cat = c.category.name(),
        subject = subject(c.subject),
        title = prose(c.title),
        fails = prose(c.fails_when.trim_end_matches('.')),
        why = prose(c.why),
    );
    // The fix is prose, then snippets separated by blank lines.
    let mut parts = c.fix.split("\n\n");
    let lead = parts.next().unwrap_or_default();
    let _ = writeln!(out, "**How to fix.** {}", prose(lead));
    for snippet in parts {
        let _ = writeln!(
            out,
            "\n```{}\n{}\n```",
            language(snippet),
            snippet.trim_end()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_prose_but_not_code_spans() {
        assert_eq!(
            prose("HPA minReplicas < 2, a system-* class, SYS_ADMIN"),
            "HPA minReplicas &lt; 2, a system-\\* class, SYS\\_ADMIN"
        );
        assert_eq!(
            prose("run `kubectl logs <pod> -c <container>` for <name>"),
            "run `kubectl logs <pod> -c <container>` for &lt;name&gt;"
        );
    }

    #[test]
    fn snippets_are_fenced_with_their_language() {
        assert_eq!(language("spec:\n  replicas: 2"), "yaml");
        assert_eq!(language("- name: a\n- name: b"), "yaml");
        assert_eq!(
            language("kubectl rollout undo deployment/<name>"),
            "sh",
            "a bare scalar is a command"
        );
    }

    #[test]
    fn every_check_is_in_the_contents_and_has_its_section() {
        let md = markdown();
        for c in catalogue::all() {
            assert!(
                md.contains(&format!("[`{id}`](#{id})", id = c.id)),
                "{}",
                c.id
            );
            let section = format!("<a id=\"{}\"></a>\n\n### `{}`\n", c.id, c.id);
            assert_eq!(md.matches(&section).count(), 1, "{}", c.id);
        }
        // Categories in checklist order, each once.
        let probes = md.find("\n## Probes and lifecycle\n").unwrap();
        let security = md.find("\n## Security\n").unwrap();
        let cluster = md.find("\n## Cluster\n").unwrap();
        assert!(probes < security && security < cluster);
        // Fences balance, so no snippet swallows the next section.
        assert_eq!(md.matches("\n```").count() % 2, 0);
    }

    #[test]
    fn a_check_reads_what_why_and_fix() {
        let md = markdown();
        let start = md.find("### `probe.readiness`").unwrap();
        let section = &md[start..md[start + 1..].find("<a id=").unwrap() + start];
        assert!(section.contains("**warning** · probes · graded on each workload"));
        assert!(section.contains("**Fails when** a container has no readinessProbe"));
        assert!(section.contains("**Why it matters.** Without a readiness probe"));
        assert!(section.contains("**How to fix.** Add a readinessProbe"));
        assert!(
            section.contains("```yaml\nreadinessProbe:\n  httpGet:"),
            "{section}"
        );
    }
}
