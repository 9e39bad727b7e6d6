//! The command line: `check`, `checks`, `explain`.

use crate::checks::catalogue;
use crate::checks::Severity;
use crate::cluster::{ClusterModel, Msg};
use crate::config::{Config, ConfigError};
use crate::grade::grade_all;
use crate::report;
use crate::source::{LoadError, LoadOptions};
use crate::ui::app::{App, SourceMode};
use crate::ui::theme::Theme;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// shipshape: is every workload ready for production, and healthy right now?
#[derive(Parser, Debug)]
#[command(name = "shipshape", version = crate::VERSION_LINE, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Grade a cluster snapshot or manifests and print the verdict (exit 1 when a gate fails).
    Check(CheckArgs),
    /// Open the dashboard on a snapshot or manifests (`--file`) or the demo cluster (`--demo`).
    Ui(UiArgs),
    /// Open the dashboard on the embedded demo cluster, replaying live changes.
    Demo {
        #[command(flatten)]
        look: LookArgs,
    },
    /// List every check: id, severity, category and what it wants (`-o markdown`: the full reference).
    Checks {
        #[arg(long, short, value_enum, default_value_t = CatalogueFormat::Table)]
        output: CatalogueFormat,
    },
    /// Explain one check: what fails, why it matters, how to fix it.
    Explain {
        /// A check id, e.g. probe.readiness.
        id: String,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write a page per command into a directory.
    Man {
        /// Write shipshape.1 and shipshape-COMMAND.1 into DIR instead of printing.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// How `shipshape checks` prints the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CatalogueFormat {
    Table,
    Json,
    /// The checklist reference, as in docs/checks.md.
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    Warning,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Where the objects come from.
#[derive(Args, Debug, Clone)]
pub struct SourceArgs {
    /// A manifest, `kubectl get -o json|yaml` output, a snapshot, a directory, or `-` for stdin.
    #[arg(long = "file", short = 'f', value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// Use the embedded demo cluster.
    #[arg(long, conflicts_with = "files")]
    pub demo: bool,
    /// Kinds absent from the input are unknown, not empty.
    #[arg(long)]
    pub partial: bool,
    /// Namespace for objects that do not name one.
    #[arg(long, short = 'n', value_name = "NAMESPACE", default_value = "default")]
    pub namespace: String,
    /// Config file (default: $XDG_CONFIG_HOME/shipshape/config.toml when it exists).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// How the dashboard looks.
#[derive(Args, Debug, Clone)]
pub struct LookArgs {
    /// A shipped theme (dark, light, high-contrast) or a theme file.
    #[arg(long, value_name = "NAME|PATH", default_value = "dark")]
    pub theme: String,
    /// Config file (default: $XDG_CONFIG_HOME/shipshape/config.toml when it exists).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct UiArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// A shipped theme (dark, light, high-contrast) or a theme file.
    #[arg(long, value_name = "NAME|PATH", default_value = "dark")]
    pub theme: String,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Exit 1 when the cluster score is below SCORE.
    #[arg(long, value_name = "SCORE", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub fail_under: Option<u8>,
    /// Exit 1 when any check or alert of this severity (or worse) fails.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// A mistake of the user's: printed as one sentence, exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("invalid config: {0}")]
    Config(#[from] ConfigError),
    #[error("invalid theme: {0}")]
    Theme(#[from] crate::ui::theme::ThemeError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("{0}")]
    Usage(String),
}

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let outcome = match cli.command {
        Command::Check(args) => check(args),
        Command::Ui(args) => {
            let mode = if args.source.demo {
                SourceMode::Demo
            } else {
                SourceMode::File
            };
            dashboard(&args.source, &args.theme, mode)
        }
        Command::Demo { look } => {
            let source = SourceArgs {
                files: Vec::new(),
                demo: true,
                partial: false,
                namespace: "default".into(),
                config: look.config,
            };
            dashboard(&source, &look.theme, SourceMode::Demo)
        }
        Command::Checks { output } => list_checks(output).map(|_| ExitCode::SUCCESS),
        Command::Explain { id } => explain(&id).map(|_| ExitCode::SUCCESS),
        Command::Completions { shell } => {
            print(&crate::manual::completions(shell));
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { dir } => man(dir.as_deref()).map(|_| ExitCode::SUCCESS),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shipshape: error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Loads the config the user asked for, or the default one when it exists.
pub fn load_config(path: Option<&PathBuf>) -> Result<Config, UserError> {
    match path {
        Some(p) => Ok(Config::load(p)?),
        None => match Config::default_path() {
            Some(p) => Ok(Config::load(&p)?),
            None => Ok(Config::default()),
        },
    }
}

/// Reads the source into a model.
pub fn load_model(source: &SourceArgs) -> Result<ClusterModel, UserError> {
    let msgs: Vec<Msg> = if source.demo {
        crate::source::demo::demo_messages()
    } else if source.files.is_empty() {
        return Err(UserError::Usage(
            "no input: pass --file PATH (a manifest, a directory, `kubectl get -o yaml` output, or - for stdin) or --demo".into(),
        ));
    } else {
        let options = LoadOptions {
            default_namespace: source.namespace.clone(),
            partial: source.partial,
        };
        crate::source::load(&source.files, &options)?
    };
    let mut model = ClusterModel::new();
    for msg in msgs {
        model.apply(msg);
    }
    Ok(model)
}

fn check(args: CheckArgs) -> Result<ExitCode, UserError> {
    let config = load_config(args.source.config.as_ref())?;
    let model = load_model(&args.source)?;
    let grades = grade_all(&model, &config);
    let mut out = std::io::stdout().lock();
    let text = match args.output {
        Format::Json => {
            let mut t = serde_json::to_string_pretty(&report::json::report(&model, &grades))
                .expect("JSON values serialise");
            t.push('\n');
            t
        }
        Format::Table => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            report::table::render(&model, &grades, report::table::Style { color }, 160)
        }
    };
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();

    let mut failed_gates = Vec::new();
    if let Some(min) = args.fail_under {
        match grades.cluster_score {
            Some(s) if s >= f64::from(min) => {}
            Some(s) => failed_gates.push(format!("cluster score {:.0} is below {min}", s.floor())),
            None => failed_gates.push(format!(
                "no workload was graded, so the score cannot meet {min}"
            )),
        }
    }
    if let Some(level) = args.fail_on {
        let min = match level {
            FailOn::Critical => Severity::Critical,
            FailOn::Warning => Severity::Warning,
        };
        let n =
            report::failures_at_or_above(&grades, min, |ns| config.is_system_namespace(ns)).len();
        if n > 0 {
            failed_gates.push(format!(
                "{n} failing checks or alerts at {} or worse",
                min.name()
            ));
        }
    }
    if failed_gates.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("shipshape: gate failed: {}", failed_gates.join("; "));
        Ok(ExitCode::from(1))
    }
}

/// The theme asked for first, then the other shipped ones for `t` to cycle through.
pub fn load_themes(first: &str) -> Result<Vec<Theme>, UserError> {
    let mut themes = Theme::load(first)?.with_shipped();
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        themes = vec![themes[0].monochrome()];
    }
    Ok(themes)
}

fn dashboard(source: &SourceArgs, theme: &str, mode: SourceMode) -> Result<ExitCode, UserError> {
    let config = load_config(source.config.as_ref())?;
    let themes = load_themes(theme)?;
    let model = load_model(source)?;
    if !std::io::stdout().is_terminal() {
        return Err(UserError::Usage(
            "the dashboard needs a terminal; use `shipshape check` for text or JSON output".into(),
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    runtime.block_on(async move {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        if mode == SourceMode::Demo {
            tokio::spawn(crate::source::demo_script::play(tx, model.clone()));
        } else {
            drop(tx);
        }
        let app = App::new(model, config, mode, themes);
        crate::ui::run(app, rx).await
    })?;
    Ok(ExitCode::SUCCESS)
}

fn list_checks(output: CatalogueFormat) -> Result<(), UserError> {
    let mut out = String::new();
    match output {
        CatalogueFormat::Markdown => out = crate::checks::reference::markdown(),
        CatalogueFormat::Json => {
            let all: Vec<_> = catalogue::all().collect();
            out = serde_json::to_string_pretty(&all).expect("catalogue serialises");
            out.push('\n');
        }
        CatalogueFormat::Table => {
            out.push_str(&format!(
                "{:<34} {:<9} {:<14} {}\n",
                "ID", "SEVERITY", "CATEGORY", "WANTS"
            ));
            for c in catalogue::all() {
                out.push_str(&format!(
                    "{:<34} {:<9} {:<14} {}\n",
                    c.id,
                    c.severity.name(),
                    c.category.name(),
                    c.title
                ));
            }
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(())
}

fn explain(id: &str) -> Result<(), UserError> {
    let Some(c) = catalogue::find(id) else {
        let close: Vec<&str> = catalogue::all()
            .map(|c| c.id)
            .filter(|c| {
                let stem = id.split('.').next().unwrap_or(id);
                c.starts_with(stem) || c.contains(id)
            })
            .collect();
        let hint = if close.is_empty() {
            "run `shipshape checks` for the list".to_string()
        } else {
            format!("did you mean {}?", close.join(", "))
        };
        return Err(UserError::Usage(format!(
            "no check is named `{id}`; {hint}"
        )));
    };
    let text = format!(
        "{id} — {title}\nseverity: {sev} · category: {cat}\n\nFails when: {fails}\n\nWhy it matters: {why}\n\nHow to fix: {fix}\n",
        id = c.id,
        title = c.title,
        sev = c.severity.name(),
        cat = c.category.name(),
        fails = c.fails_when,
        why = c.why,
        fix = c.fix
    );
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a message.
fn print(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

fn man(dir: Option<&std::path::Path>) -> Result<(), UserError> {
    match dir {
        None => print(&crate::manual::man_page()),
        Some(dir) => {
            let written = crate::manual::write_man_pages(dir).map_err(|e| {
                UserError::Usage(format!(
                    "cannot write the manual pages into {}: {e}",
                    dir.display()
                ))
            })?;
            for path in written {
                println!("{}", path.display());
            }
        }
    }
    Ok(())
}
