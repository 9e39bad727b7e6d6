//! `e` / `E`: the dashboard writes the Markdown or HTML report of what it shows (the selected
//! namespace, the filter) to a file in the current directory. Keys only ask for an export;
//! the event loop writes the file between frames, so drawing never does I/O.
//!
//! A report of a filtered view counts the workloads shown and nothing else (the summary, the
//! namespaces table, the sections), and its scope line says so; it never mixes the filtered
//! rows with whole-namespace counts. Grades and health stay those of the cluster and of each
//! namespace named, which the filter does not change.

use super::app::App;
pub use super::app::ExportFormat;
use crate::cluster::WorkloadKey;
use crate::grade::{rollup, Grades};
use crate::report::document::{Document, Scope};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
        }
    }
}

/// What is on screen, as a report scope.
pub fn scope(app: &App) -> Scope {
    let mut notes = Vec::new();
    if !app.filter.is_empty() {
        notes.push(format!("filter: {}", app.filter.text.trim()));
    }
    if app.alerts_only {
        notes.push("only workloads with alerts".to_string());
    }
    if !notes.is_empty() {
        notes.push(format!(
            "counts are of the {} shown",
            crate::report::plural(app.rows.len(), "workload")
        ));
    }
    Scope {
        namespace: app.namespace.clone(),
        workloads: (!notes.is_empty()).then(|| app.rows.iter().cloned().collect()),
        note: (!notes.is_empty()).then(|| notes.join(", ")),
    }
}

/// The grades of a filtered view: only `shown` workloads, with namespace counts of their own.
/// Services, Ingresses and namespace guardrails are no rows of the view, so they stay out.
fn shown_grades(app: &App, shown: &BTreeSet<WorkloadKey>) -> Grades {
    let mut grades = Grades {
        workloads: app
            .grades()
            .workloads
            .iter()
            .filter(|(k, _)| shown.contains(*k))
            .map(|(k, w)| (k.clone(), w.clone()))
            .collect(),
        ..Grades::default()
    };
    // The counts, by the rollup's own rules; the grades and health, the real ones.
    rollup(&mut grades, app.model(), app.engine().config());
    for (name, ns) in &mut grades.namespaces {
        if let Some(real) = app.grades().namespaces.get(name) {
            ns.score = real.score;
            ns.grade = real.grade;
            ns.health = real.health;
        }
    }
    grades.cluster_score = app.grades().cluster_score;
    grades.cluster_grade = app.grades().cluster_grade;
    grades.cluster_health = app.grades().cluster_health;
    grades
}

/// The report text (pure: no I/O).
pub fn render(app: &App, format: ExportFormat) -> String {
    let scope = scope(app);
    let filtered;
    let grades = match &scope.workloads {
        Some(shown) => {
            filtered = shown_grades(app, shown);
            &filtered
        }
        None => app.grades(),
    };
    let doc = Document::build(app.model(), grades, scope);
    match format {
        ExportFormat::Markdown => crate::report::markdown::render(&doc),
        ExportFormat::Html => crate::report::html::render(&doc),
    }
}

/// `shipshape-report-<source>[-<namespace>]-<timestamp>.<ext>`, safe on any file system.
pub fn file_name(app: &App, format: ExportFormat, now: DateTime<Utc>) -> String {
    let mut what = slug(&app.model().facts.source);
    if let Some(ns) = &app.namespace {
        what.push('-');
        what.push_str(&slug(ns));
    }
    if what.is_empty() {
        what.push_str("cluster");
    }
    format!(
        "shipshape-report-{what}-{}.{}",
        now.format("%Y%m%d-%H%M%S"),
        format.extension()
    )
}

/// Lowercase letters and digits; everything else becomes one `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    out.chars()
        .take(48)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// Writes the report into `dir`, never over an existing file and never half of one (see
/// [`crate::output::new_file`]). Returns the path written.
pub fn write(
    app: &App,
    format: ExportFormat,
    dir: &Path,
    now: DateTime<Utc>,
) -> std::io::Result<PathBuf> {
    let name = file_name(app, format, now);
    let text = render(app, format);
    crate::output::new_file(dir, &name, text.as_bytes())
}

/// Writes the report the user asked for into `dir` and says where (or why not) in the status
/// line. The event loop calls it between frames, so drawing never does I/O.
pub fn export_pending(app: &mut App, dir: &Path, now: DateTime<Utc>) {
    let Some(format) = app.export_request.take() else {
        return;
    };
    app.flush();
    app.note = Some(match write(app, format, dir, now) {
        Ok(path) => format!("report written to {}", path.display()),
        Err(e) => format!("export failed: cannot write to {}: {e}", dir.display()),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_name_safe() {
        assert_eq!(slug("demo (prod-eu-1)"), "demo-prod-eu-1");
        assert_eq!(slug("k8s/, ../state.yaml"), "k8s-state-yaml");
        assert_eq!(slug("<>|"), "");
    }
}
