//! Several clusters at once for the headless commands (`--context` more than once,
//! `--all-contexts`): each context connects and lists on its own, all at the same time, and a
//! cluster that cannot be read is reported for itself without failing the others.

use crate::config::Config;
use crate::diagnostics::{note, UserError};
use crate::engine::Engine;
use crate::grade::Grades;
use crate::report;
use crate::score::{grade_text, score_text};
use crate::source::live::ConnectOptions;
use crate::text::safe;
use std::fmt::Write;

/// One context's outcome: its engine (listed, not graded yet), or why it could not be read.
pub struct Member {
    pub context: String,
    pub outcome: Result<Engine, String>,
}

/// The contexts to read as a fleet, or `None` for the single-cluster commands (no `--context`
/// or one, and no `--all-contexts`). `named` are the `--context` flags; `options` say where
/// the kubeconfig is.
pub fn contexts(
    all_contexts: bool,
    named: &[String],
    options: &ConnectOptions,
) -> Result<Option<Vec<String>>, UserError> {
    if all_contexts {
        let (names, _) = crate::source::live::contexts(options)?;
        if names.is_empty() {
            return Err(UserError::Usage(
                "--all-contexts: the kubeconfig has no contexts; pass --kubeconfig or set KUBECONFIG"
                    .into(),
            ));
        }
        return Ok(Some(names));
    }
    if named.len() > 1 {
        let mut names = Vec::new();
        for c in named {
            if !names.contains(c) {
                names.push(c.clone());
            }
        }
        return Ok(Some(names));
    }
    Ok(None)
}

/// Connects to every context and waits for each to list (each within `--timeout`), all at
/// once. The members come back in the order of `contexts`; `options` are those of the command
/// line, `timeout` its `--timeout` in seconds.
pub fn read(
    options: &ConnectOptions,
    timeout: u64,
    contexts: &[String],
    config: &Config,
) -> Result<Vec<Member>, UserError> {
    let runtime = crate::sync::runtime()?;
    let members = runtime.block_on(futures::future::join_all(contexts.iter().map(|context| {
        let mut options = options.clone();
        options.context = Some(context.clone());
        let config = config.clone();
        async move {
            let outcome = crate::sync::sync_one(&options, timeout, config, Some(context))
                .await
                .map_err(|e| e.to_string());
            Member {
                context: context.clone(),
                outcome,
            }
        }
    })));
    for m in &members {
        if let Err(e) = &m.outcome {
            note(&format!(
                "error: context {:?} could not be read: {e}",
                m.context
            ));
        }
    }
    if members.iter().all(|m| m.outcome.is_err()) {
        return Err(UserError::Usage(format!(
            "none of the {} contexts could be read",
            members.len()
        )));
    }
    Ok(members)
}

/// The fleet JSON document (see `report::fleet`).
pub fn json(members: &[Member]) -> String {
    report::json_text::pretty(&report::fleet::document(members.iter().map(
        |m| match &m.outcome {
            Ok(engine) => report::fleet::Member::read(&m.context, engine.model(), engine.grades()),
            Err(e) => report::fleet::Member::failed(&m.context, e),
        },
    )))
}

/// One section per cluster (the single-cluster table, or why it could not be read), then the
/// fleet summary: a row per cluster.
pub fn table(members: &[Member], style: report::table::Style) -> String {
    let mut out = String::new();
    for m in members {
        let _ = writeln!(
            out,
            "{}",
            bold(style, &format!("━━ {} ━━", safe(&m.context)))
        );
        match &m.outcome {
            Ok(engine) => {
                out.push_str(&report::table::render(
                    engine.model(),
                    engine.grades(),
                    style,
                    160,
                ));
            }
            Err(e) => {
                let _ = writeln!(out, "not read: {}", safe(e));
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", bold(style, "Fleet"));
    let width = members
        .iter()
        .map(|m| safe(&m.context).chars().count())
        .max()
        .unwrap_or(0)
        .max("CONTEXT".len());
    let _ = writeln!(
        out,
        "  {:<width$} {:<5} {:<5} {:<9} {:>9} {:>15}",
        "CONTEXT", "GRADE", "SCORE", "HEALTH", "WORKLOADS", "ALERTS C/W/I"
    );
    for m in members {
        let name = safe(&m.context);
        match &m.outcome {
            Ok(engine) => {
                let g: &Grades = engine.grades();
                let (c, w, i) = report::alert_counts(g);
                let _ = writeln!(
                    out,
                    "  {:<width$} {:<5} {:<5} {:<9} {:>9} {:>15}",
                    name,
                    grade_text(g.cluster_grade),
                    score_text(g.cluster_score),
                    g.cluster_health.name(),
                    g.workloads.len(),
                    format!("{c}/{w}/{i}")
                );
            }
            Err(_) => {
                let _ = writeln!(out, "  {name:<width$} not read (see above)");
            }
        }
    }
    let read = members.iter().filter(|m| m.outcome.is_ok()).count();
    let _ = writeln!(out, "{read} of {} clusters read", members.len());
    out
}

fn bold(style: report::table::Style, text: &str) -> String {
    if style.color {
        format!("\x1b[1m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
