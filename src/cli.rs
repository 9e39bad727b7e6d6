//! The command line: the dashboard (default), `demo`, `check`, `snapshot`, `checks`, `explain`.

use crate::checks::catalogue;
use crate::checks::Severity;
use crate::cluster::{Kind, Msg, ObjectKey};
use crate::config::Config;
pub use crate::diagnostics::{error, note, UserError};
use crate::engine::Engine;
use crate::report;
use crate::report::render::current_dir;
pub use crate::report::render::{render_report, ReportFormat};
use crate::source::live::ConnectOptions;
use crate::source::LoadOptions;
pub use crate::sync::{runtime, sync_one};
use crate::ui::app::{App, SourceMode};
use crate::ui::theme::Theme;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// shipshape: is every workload ready for production, and healthy right now?
#[derive(Parser, Debug)]
#[command(name = "shipshape", version = crate::VERSION_LINE, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Without a subcommand: the dashboard on the current kube context. These flags are
    /// global, as kubectl's are: `shipshape -n shop check` is `shipshape check -n shop`. Given
    /// on both sides of the subcommand, the one after it wins.
    #[command(flatten)]
    pub ui: UiArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Grade the cluster (or a snapshot, manifests, the demo) and print the verdict (exit 1 when a gate fails).
    Check(CheckArgs),
    /// Open the dashboard on the cluster (the default), a snapshot or manifests, or the demo.
    Ui(UiArgs),
    /// Save the cluster's state (Secrets and ConfigMaps as metadata only) for `--file` later.
    Snapshot(SnapshotArgs),
    /// Open the dashboard on the embedded demo cluster, replaying live changes.
    Demo {
        #[command(flatten)]
        look: LookArgs,
    },
    /// Write a go-live report (markdown, html) or CI results (junit, sarif, json).
    Report(ReportArgs),
    /// What changed between two snapshots or JSON reports: grades, health, checks, alerts.
    Diff(DiffArgs),
    /// Keep watching the cluster and serve its grades to Prometheus (/metrics), probes and reports.
    Serve(ServeArgs),
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

/// The help heading of the flags accepted before the subcommand too.
const GLOBAL: &str = "Global options";

/// Where the objects come from. Global: accepted before the subcommand too.
#[derive(Args, Debug, Clone)]
pub struct SourceArgs {
    /// A manifest, `kubectl get -o json|yaml` output, a snapshot, a directory, or `-` for stdin.
    #[arg(long = "file", short = 'f', value_name = "PATH", global = true, help_heading = GLOBAL)]
    pub files: Vec<PathBuf>,
    /// Use the embedded demo cluster.
    #[arg(long, conflicts_with = "files", global = true, help_heading = GLOBAL)]
    pub demo: bool,
    /// Kinds absent from the input are unknown, not empty.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub partial: bool,
    /// With a cluster: watch only this namespace (repeatable; default all). With files: the
    /// namespace of objects that do not name one (default `default`). With the demo: show only
    /// this namespace.
    #[arg(
        long = "namespace",
        short = 'n',
        value_name = "NAMESPACE",
        global = true,
        help_heading = GLOBAL
    )]
    pub namespaces: Vec<String>,
    /// Kubeconfig file (default: $KUBECONFIG, which may list several, then ~/.kube/config).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["files", "demo"], global = true, help_heading = GLOBAL)]
    pub kubeconfig: Option<PathBuf>,
    /// Kube context to use (default: the kubeconfig's current context). Give it more than
    /// once for several clusters, each read on its own (the dashboard adds a Clusters pane).
    #[arg(long = "context", value_name = "NAME", conflicts_with_all = ["files", "demo"], global = true, help_heading = GLOBAL)]
    pub contexts: Vec<String>,
    /// Every context of the kubeconfig, each cluster read on its own.
    #[arg(long, conflicts_with_all = ["files", "demo"], global = true, help_heading = GLOBAL)]
    pub all_contexts: bool,
    /// Seconds to wait for a kubeconfig credential plugin and (headless commands) for the
    /// cluster's kinds to list before grading.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, global = true, help_heading = GLOBAL)]
    pub timeout: u64,
    /// Config file (default: $XDG_CONFIG_HOME/shipshape/config.toml when it exists).
    #[arg(long, value_name = "PATH", global = true, help_heading = GLOBAL)]
    pub config: Option<PathBuf>,
    /// With files: the most bytes read from one file or stdin (Ki, Mi, Gi suffixes).
    #[arg(long, value_name = "SIZE", default_value = "1Gi", value_parser = crate::source::input::parse_size, global = true, help_heading = GLOBAL)]
    pub max_input_size: u64,
    /// Grade running workloads against the ValidatingAdmissionPolicies in the input: what
    /// would each policy reject today? (config: audit-admission-policies = true)
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub audit_admission_policies: bool,
    /// With a cluster: read the certificates of `kubernetes.io/tls` Secrets for
    /// `ingress.cert-expiry` where no cert-manager Certificate says when they expire. Only the
    /// expiry date is kept; needs list and watch on Secrets (see deploy/rbac.yaml).
    #[arg(long, conflicts_with_all = ["files", "demo"], global = true, help_heading = GLOBAL)]
    pub read_tls_certs: bool,
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

#[derive(Args, Debug, Clone)]
pub struct UiArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// A shipped theme (dark, light, high-contrast) or a theme file.
    #[arg(
        long,
        value_name = "NAME|PATH",
        default_value = "dark",
        global = true,
        help_heading = GLOBAL
    )]
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

#[derive(Args, Debug)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Where to write: `.json` for JSON, anything else YAML; `-` for stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Address to listen on; loopback by default (in a cluster: 0.0.0.0:9771).
    #[arg(long, value_name = "ADDR", default_value = crate::serve::DEFAULT_LISTEN)]
    pub listen: std::net::SocketAddr,
    /// Leave out the per-workload series (score, grade, health); alerts are then counted by namespace.
    #[arg(long)]
    pub no_workload_series: bool,
    /// The most workloads per cluster with series of their own; the rest are counted in
    /// shipshape_workload_series_dropped.
    #[arg(long, value_name = "N", default_value_t = crate::serve::metrics::DEFAULT_MAX_WORKLOADS)]
    pub max_workload_series: usize,
}

/// `shipshape diff --output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Table,
    Markdown,
    Json,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The earlier state: a snapshot or a JSON report (`check -o json`, `report --format json`).
    pub old: PathBuf,
    /// The later state, of either kind.
    pub new: PathBuf,
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Table)]
    pub output: DiffFormat,
    /// Exit 1 when any workload got worse: grade dropped, health worse, a new failing check or
    /// a new alert.
    #[arg(long)]
    pub fail_on_regression: bool,
    /// Config to grade snapshots with (default: $XDG_CONFIG_HOME/shipshape/config.toml).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            error(&e.to_string());
            ExitCode::from(2)
        }
    }
}

/// Whether the environment turns colour off: `NO_COLOR` set and not empty (an empty value
/// counts as unset, per no-color.org). Every writer with colour asks here.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn dispatch(cli: Cli) -> Result<ExitCode, UserError> {
    check_flags_apply(&cli)?;
    match cli.command {
        Some(Command::Check(args)) => check(args),
        Some(Command::Ui(args)) => dashboard(&args.source, &args.theme),
        None => dashboard(&cli.ui.source, &cli.ui.theme),
        Some(Command::Snapshot(args)) => snapshot(&args),
        Some(Command::Demo { look }) => {
            let source = SourceArgs {
                files: Vec::new(),
                demo: true,
                partial: false,
                // Global flags reach the top level whichever side of `demo` they were given on.
                namespaces: cli.ui.source.namespaces.clone(),
                kubeconfig: None,
                contexts: Vec::new(),
                all_contexts: false,
                timeout: 60,
                config: look.config,
                max_input_size: crate::source::input::DEFAULT_MAX_INPUT,
                audit_admission_policies: false,
                read_tls_certs: false,
            };
            dashboard(&source, &look.theme)
        }
        Some(Command::Report(args)) => report_command(args),
        Some(Command::Diff(args)) => diff_command(args),
        Some(Command::Serve(args)) => serve_command(args),
        Some(Command::Checks { output }) => {
            // The config's custom checks are listed with the built-in ones.
            load_config(cli.ui.source.config.as_ref())?;
            list_checks(output).map(|_| ExitCode::SUCCESS)
        }
        Some(Command::Explain { id }) => {
            load_config(cli.ui.source.config.as_ref())?;
            explain(&id).map(|_| ExitCode::SUCCESS)
        }
        Some(Command::Completions { shell }) => {
            crate::output::stdout(&crate::manual::completions(Cli::command(), shell))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man { dir }) => man(dir.as_deref()).map(|_| ExitCode::SUCCESS),
    }
}

/// Global flags are accepted before any subcommand; those that mean nothing to the one given
/// are refused rather than ignored. Global values reach the top level whichever side of the
/// subcommand they were given on, so `cli.ui.source` holds them all.
fn check_flags_apply(cli: &Cli) -> Result<(), UserError> {
    let (name, allowed): (&str, &[&str]) = match &cli.command {
        None | Some(Command::Ui(_)) | Some(Command::Check(_)) => return Ok(()),
        Some(Command::Snapshot(_)) | Some(Command::Report(_)) => return Ok(()),
        Some(Command::Serve(_)) => return Ok(()),
        Some(Command::Demo { .. }) => ("demo", &["--namespace", "--demo"]),
        Some(Command::Diff(_)) => ("diff", &[]),
        Some(Command::Checks { .. }) => ("checks", &[]),
        Some(Command::Explain { .. }) => ("explain", &[]),
        Some(Command::Completions { .. }) => ("completions", &[]),
        Some(Command::Man { .. }) => ("man", &[]),
    };
    let s = &cli.ui.source;
    let given = [
        ("--file", !s.files.is_empty()),
        ("--demo", s.demo),
        ("--partial", s.partial),
        ("--namespace", !s.namespaces.is_empty()),
        ("--kubeconfig", s.kubeconfig.is_some()),
        ("--context", !s.contexts.is_empty()),
        ("--all-contexts", s.all_contexts),
        ("--read-tls-certs", s.read_tls_certs),
    ];
    let refused: Vec<&str> = given
        .iter()
        .filter(|(flag, set)| *set && !allowed.contains(flag))
        .map(|(flag, _)| *flag)
        .collect();
    if refused.is_empty() {
        return Ok(());
    }
    Err(UserError::Usage(format!(
        "{} {} not apply to `shipshape {name}`; leave {} out",
        refused.join(", "),
        if refused.len() == 1 { "does" } else { "do" },
        if refused.len() == 1 { "it" } else { "them" },
    )))
}

/// A namespace name as the API server accepts it: an RFC 1123 label.
fn is_namespace_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
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

/// Where the objects come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Cluster,
    Files,
    Demo,
}

impl SourceArgs {
    pub fn kind(&self) -> SourceKind {
        if self.demo {
            SourceKind::Demo
        } else if self.files.is_empty() {
            SourceKind::Cluster
        } else {
            SourceKind::Files
        }
    }

    /// What clap cannot check once flags may come from both sides of the subcommand: the
    /// conflicts between sources, and namespace names (the API server would refuse a bad one;
    /// a file's objects would silently land in it).
    pub fn validate(&self) -> Result<(), UserError> {
        let cluster_flag = if self.kubeconfig.is_some() {
            Some("--kubeconfig")
        } else if !self.contexts.is_empty() {
            Some("--context")
        } else if self.all_contexts {
            Some("--all-contexts")
        } else {
            None
        };
        match (self.demo, self.files.is_empty(), cluster_flag) {
            (true, false, _) => {
                return Err(UserError::Usage(
                    "--demo and --file name two sources; pass one".into(),
                ))
            }
            (true, true, Some(flag)) => {
                return Err(UserError::Usage(format!(
                    "{flag} names a cluster, but --demo grades the embedded demo; pass one"
                )))
            }
            (false, false, Some(flag)) => {
                return Err(UserError::Usage(format!(
                    "{flag} names a cluster, but --file grades files; pass one"
                )))
            }
            _ => {}
        }
        for ns in &self.namespaces {
            if ns.is_empty() {
                return Err(UserError::Usage(
                    "-n: the namespace name is empty; name a namespace, or leave -n out for all of them".into(),
                ));
            }
            if !is_namespace_name(ns) {
                return Err(UserError::Usage(format!(
                    "-n: `{ns}` is not a namespace name (lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters)"
                )));
            }
        }
        Ok(())
    }

    pub fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            kubeconfig: self.kubeconfig.clone(),
            context: self.contexts.first().cloned(),
            namespaces: self.namespaces.clone(),
            exec_timeout: std::time::Duration::from_secs(self.timeout),
            audit_admission_policies: self.audit_admission_policies,
            read_tls_certs: self.read_tls_certs,
        }
    }

    /// For files: the namespace of objects that do not name one.
    fn default_namespace(&self) -> Result<String, UserError> {
        match self.namespaces.as_slice() {
            [] => Ok("default".into()),
            [one] => Ok(one.clone()),
            _ => Err(UserError::Usage(
                "with --file, -n names the one namespace for objects that do not name one; pass it once".into(),
            )),
        }
    }
}

/// Reads the source into an engine, not graded yet: the first flush grades it (a snapshot,
/// which needs no grades, never flushes). From a cluster, it waits until every permitted kind
/// has listed (at most `--timeout`); kinds that did not list in time stay unknown, and stderr
/// says which.
pub fn load(source: &SourceArgs, config: Config) -> Result<Engine, UserError> {
    let (opened, config) = open(source, config)?;
    crate::sync::read(opened, source.timeout, config)
}

/// The one source the arguments name, and the config as it applies to it: files and the
/// demo are read here, so a mistake in them is an error before anything else happens; a
/// cluster is only named (connecting is the reader's job).
fn open(
    source: &SourceArgs,
    mut config: Config,
) -> Result<(crate::source::Source, Config), UserError> {
    source.validate()?;
    if source.audit_admission_policies || config.audit_admission_policies {
        config.audit_admission_policies = true;
        if source.kind() == SourceKind::Files {
            let policies = crate::policy_files::from_paths(&source.files, source.max_input_size)?;
            for n in policies.notes() {
                note(&format!("warning: {n}"));
            }
            config.admission_policies = Some(std::sync::Arc::new(policies));
        }
        // From a cluster, the watchers read them (see `sync_one`); the demo has none.
    }
    let opened = match source.kind() {
        SourceKind::Demo => crate::source::Source::demo(
            demo_in_namespaces(&source.namespaces)?,
            source.namespaces.clone(),
        ),
        SourceKind::Cluster => {
            let mut options = source.connect_options();
            options.audit_admission_policies |= config.audit_admission_policies;
            crate::source::Source::live(options)
        }
        SourceKind::Files => {
            let options = LoadOptions {
                default_namespace: source.default_namespace()?,
                partial: source.partial,
                max_input_bytes: source.max_input_size,
                ..LoadOptions::default()
            };
            // What the reader should know (files skipped, objects defined twice), one line each.
            let loaded = crate::source::load_with_notes(&source.files, &options)?;
            for n in &loaded.notes {
                note(&format!("warning: {n}"));
            }
            crate::source::Source::files(loaded.model)
        }
    };
    Ok((opened, config))
}

/// The demo's messages; with `-n`, only what a source watching those namespaces would send.
fn demo_in_namespaces(namespaces: &[String]) -> Result<Vec<Msg>, UserError> {
    let msgs = crate::source::demo::demo_messages();
    if namespaces.is_empty() {
        return Ok(msgs);
    }
    let known: std::collections::BTreeSet<String> = msgs
        .iter()
        .filter_map(|m| match m {
            Msg::Upsert(e) => {
                let k = ObjectKey::of(&e.object);
                match k.kind {
                    Kind::Namespace => Some(k.name),
                    kind if kind.namespaced() => Some(k.namespace),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect();
    if let Some(unknown) = namespaces.iter().find(|n| !known.contains(*n)) {
        return Err(UserError::Usage(format!(
            "-n: the demo has no namespace `{unknown}`; its namespaces are {}",
            known.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(msgs
        .into_iter()
        .filter_map(|m| crate::source::demo::in_namespaces(m, namespaces))
        .collect())
}

fn check(args: CheckArgs) -> Result<ExitCode, UserError> {
    let config = load_config(args.source.config.as_ref())?;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && !no_color(),
    };
    if let Some(contexts) = fleet_contexts(&args.source)? {
        let members = read_fleet(&args.source, &contexts, &config)?;
        let text = match args.output {
            Format::Json => crate::fleet::json(&members),
            Format::Table => crate::fleet::table(&members, report::table::Style { color }),
        };
        crate::output::stdout(text.as_bytes())?;
        let mut failed = Vec::new();
        for m in &members {
            if let Ok(engine) = &m.outcome {
                let gates = failed_gates(&args, engine.grades(), engine.config());
                if !gates.is_empty() {
                    failed.push(format!("{}: {}", m.context, gates.join("; ")));
                }
            }
        }
        if failed.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        note(&format!("gate failed: {}", failed.join("; ")));
        return Ok(ExitCode::from(1));
    }
    let mut engine = load(&args.source, config)?;
    engine.flush();
    let (model, grades, config) = (engine.model(), engine.grades(), engine.config());
    let text = match args.output {
        Format::Json => {
            // Written as the grades are walked: a large cluster's report is never held whole.
            crate::output::stdout_with(|out| report::json::write(model, grades, out))?;
            String::new()
        }
        Format::Table => report::table::render(model, grades, report::table::Style { color }, 160),
    };
    if !text.is_empty() {
        crate::output::stdout(text.as_bytes())?;
    }
    let failed_gates = failed_gates(&args, grades, config);
    // The process ends next: freeing a large cluster's model and grades object by object
    // (millions of allocations, a few tenths of a second) would only delay the exit code.
    std::mem::forget(engine);
    if failed_gates.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        note(&format!("gate failed: {}", failed_gates.join("; ")));
        Ok(ExitCode::from(1))
    }
}

/// Every context of a fleet read and graded, for the headless commands.
fn read_fleet(
    source: &SourceArgs,
    contexts: &[String],
    config: &Config,
) -> Result<Vec<crate::fleet::Member>, UserError> {
    let mut members =
        crate::fleet::read(&source.connect_options(), source.timeout, contexts, config)?;
    for m in &mut members {
        if let Ok(engine) = &mut m.outcome {
            engine.flush();
        }
    }
    Ok(members)
}

/// The contexts to read as a fleet (see [`crate::fleet::contexts`]); only a cluster source
/// has contexts.
fn fleet_contexts(source: &SourceArgs) -> Result<Option<Vec<String>>, UserError> {
    source.validate()?;
    if source.kind() != SourceKind::Cluster {
        return Ok(None);
    }
    crate::fleet::contexts(
        source.all_contexts,
        &source.contexts,
        &source.connect_options(),
    )
}

/// The `--fail-under` and `--fail-on` gates the grades fail.
fn failed_gates(args: &CheckArgs, grades: &crate::grade::Grades, config: &Config) -> Vec<String> {
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
            report::failures_at_or_above(grades, min, |ns| config.is_system_namespace(ns)).len();
        if n > 0 {
            failed_gates.push(format!(
                "{n} failing checks or alerts at {} or worse",
                min.name()
            ));
        }
    }
    failed_gates
}

/// The theme asked for first, then the other shipped ones for `t` to cycle through.
pub fn load_themes(first: &str) -> Result<Vec<Theme>, UserError> {
    let mut themes = Theme::load(first)?.with_shipped();
    if no_color() {
        themes = vec![themes[0].monochrome()];
    }
    Ok(themes)
}

fn dashboard(source_args: &SourceArgs, theme: &str) -> Result<ExitCode, UserError> {
    source_args.validate()?;
    let config = load_config(source_args.config.as_ref())?;
    let themes = load_themes(theme)?;
    if let Some(contexts) = fleet_contexts(source_args)? {
        return fleet_dashboard(source_args, &contexts, config, themes);
    }
    // Files and the demo are read first: a mistake in them is news with or without a terminal.
    let (mut source, config) = open(source_args, config)?;
    if !std::io::stdout().is_terminal() {
        return Err(UserError::Usage(
            "the dashboard needs a terminal; use `shipshape check` for text or JSON output".into(),
        ));
    }
    let engine = source.engine(config);
    let mode = match source_args.kind() {
        SourceKind::Cluster => SourceMode::Live,
        SourceKind::Demo => SourceMode::Demo,
        SourceKind::Files => SourceMode::File,
    };
    runtime()?.block_on(async move {
        // A cluster connects before the terminal is taken over, so a failure is a plain sentence.
        source.start(engine.model()).await?;
        let live_options = source.live_options().cloned();
        let mut app = App::with_engine(engine, mode, themes);
        if let Some(options) = live_options {
            app.contexts = crate::source::live::contexts(&options)
                .map(|(names, _)| names)
                .unwrap_or_default();
            app.context = source.context().map(str::to_string);
        }
        crate::ui::run(app, source).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// The dashboard of several clusters: every context connects at once and on its own, so
/// none waits for another, and one that cannot be read is a red row, not an error.
fn fleet_dashboard(
    source: &SourceArgs,
    contexts: &[String],
    config: Config,
    themes: Vec<Theme>,
) -> Result<ExitCode, UserError> {
    if !std::io::stdout().is_terminal() {
        return Err(UserError::Usage(
            "the dashboard needs a terminal; use `shipshape check` for text or JSON output".into(),
        ));
    }
    runtime()?.block_on(async move {
        let options = source.connect_options();
        let fleet = crate::ui::fleet::Fleet::new(contexts, &config);
        let mut source = crate::source::Source::fleet(options.clone(), contexts.to_vec());
        source.start(&crate::cluster::ClusterModel::new()).await?;
        let mut app = App::with_fleet(fleet, config, SourceMode::Live, themes);
        app.contexts = crate::source::live::contexts(&options)
            .map(|(names, _)| names)
            .unwrap_or_default();
        crate::ui::run(app, source).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// `snapshot -o FILE`: the source's state, read back exactly by `--file`.
fn snapshot(args: &SnapshotArgs) -> Result<ExitCode, UserError> {
    // A snapshot holds objects, not grades: the engine is never flushed, so the config is
    // never read.
    let engine = load(&args.source, Config::default())?;
    let model = engine.model();
    // Written as the objects are walked: a large cluster's snapshot is never held whole.
    let snapshot = crate::source::snapshot::Snapshot::writing(model);
    let json = args.output.extension().is_some_and(|e| e == "json");
    let write = |out: &mut dyn std::io::Write| {
        if json {
            report::json_text::write_pretty(out, &snapshot)
        } else {
            crate::source::snapshot::write_yaml(out, &snapshot)
        }
    };
    if args.output.as_os_str() == "-" {
        crate::output::stdout_with(write)?;
        return Ok(ExitCode::SUCCESS);
    }
    crate::output::file_with(&args.output, "the snapshot to", write)?;
    let counts: usize = crate::cluster::Kind::ALL
        .iter()
        .map(|k| model.stores.count(*k))
        .sum();
    note(&format!(
        "saved {} objects of {} ({} kinds listed, {} forbidden) to {}",
        counts,
        model.facts.source,
        snapshot.kinds().synced.len(),
        snapshot.kinds().forbidden.len(),
        args.output.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn list_checks(output: CatalogueFormat) -> Result<(), UserError> {
    let mut out = String::new();
    match output {
        CatalogueFormat::Markdown => out = crate::report::reference::markdown(),
        CatalogueFormat::Json => {
            let all: Vec<_> = catalogue::all().collect();
            out = report::json_text::pretty(&all);
        }
        CatalogueFormat::Table => {
            out.push_str(&format!(
                "{:<34} {:<9} {:<14} {}\n",
                "ID", "SEVERITY", "CATEGORY", "WANTS"
            ));
            for c in catalogue::all() {
                // Custom checks and admission policies: text from a file or a cluster.
                let origin = crate::checks::registry::runtime_find(c.id)
                    .map(|(_, source)| format!("  (custom: {source})"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "{:<34} {:<9} {:<14} {}\n",
                    crate::text::safe(c.id),
                    c.severity.name(),
                    c.category.name(),
                    crate::text::safe(&format!("{}{origin}", c.title))
                ));
            }
        }
    }
    crate::output::stdout(out.as_bytes())?;
    Ok(())
}

fn explain(id: &str) -> Result<(), UserError> {
    let Some(c) = catalogue::find(id) else {
        // An empty stem would match every check: that is no suggestion.
        let stem = id.split('.').next().unwrap_or(id).trim();
        let close: Vec<&str> = catalogue::all()
            .map(|c| c.id)
            .filter(|c| !stem.is_empty() && (c.starts_with(stem) || c.contains(id)))
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
    let origin = crate::checks::registry::runtime_find(c.id)
        .map(|(_, source)| format!("custom check, defined at {source}\n"))
        .unwrap_or_default();
    let text = format!(
        "{id} — {title}\n{origin}severity: {sev} · category: {cat}\n\nFails when: {fails}\n\nWhy it matters: {why}\n\nHow to fix: {fix}\n",
        id = c.id,
        title = c.title,
        sev = c.severity.name(),
        cat = c.category.name(),
        fails = c.fails_when,
        why = c.why,
        fix = c.fix
    );
    let text = if origin.is_empty() {
        text
    } else {
        crate::text::safe_lines(&text).into_owned()
    };
    crate::output::stdout(text.as_bytes())?;
    Ok(())
}

fn report_command(args: ReportArgs) -> Result<ExitCode, UserError> {
    let config = load_config(args.source.config.as_ref())?;
    if let Some(contexts) = fleet_contexts(&args.source)? {
        if !matches!(args.format, ReportFormat::Json | ReportFormat::Markdown) {
            return Err(UserError::Usage(
                "with several contexts, report writes json or markdown; pass one --context for the other formats".into(),
            ));
        }
        let members = read_fleet(&args.source, &contexts, &config)?;
        let mut text = String::new();
        match args.format {
            ReportFormat::Json => text = crate::fleet::json(&members),
            _ => {
                for m in &members {
                    match &m.outcome {
                        Ok(engine) => text.push_str(&render_report(
                            args.format,
                            engine.model(),
                            engine.grades(),
                        )),
                        Err(e) => text.push_str(&format!(
                            "# {}\n\nNot read: {}\n",
                            crate::report::markdown::text(&m.context),
                            crate::report::markdown::text(e)
                        )),
                    }
                    text.push('\n');
                }
            }
        }
        match &args.output {
            Some(path) => crate::output::file(path, text.as_bytes(), "the report to")?,
            None => crate::output::stdout(text.as_bytes())?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut engine = load(&args.source, config)?;
    engine.flush();
    // Written as the grades are walked: a large cluster's report is never held whole.
    if matches!(
        args.format,
        ReportFormat::Json | ReportFormat::Sarif | ReportFormat::Junit
    ) {
        let (model, grades) = (engine.model(), engine.grades());
        let write = |out: &mut dyn std::io::Write| match args.format {
            ReportFormat::Sarif => report::sarif::write(model, grades, &current_dir(), out),
            ReportFormat::Junit => report::junit::write(model, grades, out),
            _ => report::json::write(model, grades, out),
        };
        match &args.output {
            Some(path) => crate::output::file_with(path, "the report to", write)?,
            None => crate::output::stdout_with(write)?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let text = render_report(args.format, engine.model(), engine.grades());
    match &args.output {
        Some(path) => crate::output::file(path, text.as_bytes(), "the report to")?,
        None => crate::output::stdout(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn diff_command(args: DiffArgs) -> Result<ExitCode, UserError> {
    use report::diff;
    if args.old.as_os_str() == "-" && args.new.as_os_str() == "-" {
        return Err(UserError::Usage(
            "only one side of `diff` can be read from stdin (`-`); save the other to a file".into(),
        ));
    }
    let config = load_config(args.config.as_ref())?;
    let read = |path: &PathBuf| -> Result<report::json::ReportV1<'static>, UserError> {
        let shown = path.display().to_string();
        let limit = crate::source::input::DEFAULT_MAX_INPUT;
        let text = if path.as_os_str() == "-" {
            crate::source::input::read_stdin(limit)?
        } else if std::fs::metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
            return Err(UserError::Usage(format!("{shown}: no such file")));
        } else {
            crate::source::input::read_path(path, &shown, limit)?
        };
        diff::report_of(&text, &shown, &config).map_err(|e| UserError::Usage(e.to_string()))
    };
    let old = read(&args.old)?;
    let new = read(&args.new)?;
    let changes = diff::compare(&old, &new);
    let text = match args.output {
        DiffFormat::Table => diff::render_table(&changes),
        DiffFormat::Markdown => diff::render_markdown(&changes),
        DiffFormat::Json => report::json_text::pretty(&diff::to_json(&changes)),
    };
    crate::output::stdout(text.as_bytes())?;
    if args.fail_on_regression && changes.regressed() {
        note(&format!("regression: {}", changes.regression_summary()));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// `serve`: follows the cluster (its watchers never stop) and serves its grades.
fn serve_command(args: ServeArgs) -> Result<ExitCode, UserError> {
    let source = &args.source;
    source.validate()?;
    if source.kind() != SourceKind::Cluster {
        return Err(UserError::Usage(
            "serve follows a live cluster; leave out --file and --demo (use `report` for those)"
                .into(),
        ));
    }
    let mut config = load_config(source.config.as_ref())?;
    config.audit_admission_policies |= source.audit_admission_policies;
    let mut options = source.connect_options();
    options.audit_admission_policies |= config.audit_admission_policies;
    let targets = match crate::fleet::contexts(
        source.all_contexts,
        &source.contexts,
        &source.connect_options(),
    )? {
        Some(contexts) => contexts
            .into_iter()
            .map(|c| crate::serve::Target {
                cluster: c.clone(),
                connect: ConnectOptions {
                    context: Some(c),
                    ..options.clone()
                },
            })
            .collect(),
        None => {
            // The name the series carry: the context asked for, else the kubeconfig's current one.
            let cluster = match &options.context {
                Some(c) => c.clone(),
                None => crate::source::live::contexts(&options)?
                    .1
                    .unwrap_or_else(|| "in-cluster".into()),
            };
            vec![crate::serve::Target {
                cluster,
                connect: options,
            }]
        }
    };
    let options = crate::serve::ServeOptions {
        listen: args.listen,
        targets,
        config,
        metrics: crate::serve::metrics::MetricsOptions {
            workloads: !args.no_workload_series,
            max_workloads: args.max_workload_series,
        },
    };
    runtime()?
        .block_on(crate::serve::run(options))
        .map_err(|e| UserError::Usage(format!("{e}; pass another --listen address")))?;
    Ok(ExitCode::SUCCESS)
}

fn man(dir: Option<&std::path::Path>) -> Result<(), UserError> {
    match dir {
        None => crate::output::stdout(&crate::manual::man_page(Cli::command()))?,
        Some(dir) => {
            let written = crate::manual::write_man_pages(Cli::command(), dir)?;
            let mut list = String::new();
            for path in written {
                list.push_str(&crate::text::safe(&path.display().to_string()));
                list.push('\n');
            }
            crate::output::stdout(list.as_bytes())?;
        }
    }
    Ok(())
}
