//! The whole cluster's report in the format `shipshape report --format` names.

use crate::cluster::ClusterModel;
use crate::report;
use clap::ValueEnum;
use std::path::PathBuf;

/// `shipshape report --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Html,
    Junit,
    Sarif,
    Json,
}

/// Renders the report of the whole cluster in `format`.
pub fn render_report(
    format: ReportFormat,
    model: &ClusterModel,
    grades: &crate::grade::Grades,
) -> String {
    use report::document::{Document, Scope};
    match format {
        ReportFormat::Markdown => {
            report::markdown::render(&Document::build(model, grades, Scope::all()))
        }
        ReportFormat::Html => report::html::render(&Document::build(model, grades, Scope::all())),
        ReportFormat::Junit => report::junit::render(model, grades),
        ReportFormat::Sarif => report::sarif::render(model, grades, &current_dir()),
        ReportFormat::Json => report::json_text::pretty(&report::json::report(model, grades)),
    }
}

/// The directory SARIF locations are made relative to.
pub fn current_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}
