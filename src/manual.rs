//! Shell completions and manual pages, generated from the command line's own definition so they
//! always name the options this build has.

use clap_complete::Shell;
use std::path::{Path, PathBuf};

/// What clap's definition cannot say: exit codes, environment, files, examples.
const MORE_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Graded, and every gate passed.
.TP
\fB1\fR
A gate failed: \fB\-\-fail\-under\fR SCORE and the cluster score is below it, or \fB\-\-fail\-on\fR SEVERITY and a check or alert of that severity or worse fails outside system namespaces.
.TP
\fB2\fR
A usage error, unreadable or invalid input, an invalid config or theme, or output that could not be written: one line on stderr naming the file, the line and the object.
.SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
When set and not empty, the table and the dashboard use no colour; symbols still carry severity and health.
.TP
\fBXDG_CONFIG_HOME\fR
Where the default config file is looked for (\fI$HOME/.config\fR when unset).
.SH FILES
.TP
\fI$XDG_CONFIG_HOME/shipshape/config.toml\fR
The config read when \fB\-\-config\fR is not given and the file exists: system namespaces, disabled checks, severity overrides, thresholds, allowed registries, waivers.
.SH EXAMPLES
.TP
\fBshipshape demo\fR
The dashboard on the embedded demo cluster.
.TP
\fBshipshape check \-f k8s/ \-\-fail\-on critical\fR
Grade a directory of manifests; exit 1 when a critical check fails.
.TP
\fBhelm template shop ./chart | shipshape check \-f \- \-o json\fR
Grade rendered Helm output and print the JSON report.
.TP
\fBshipshape explain probe.readiness\fR
What a check wants, why, and how to fix it.
.SH "SEE ALSO"
\fBkubectl\fR(1); \fBshipshape checks\fR for the catalogue of checks.
"#;

/// A completion script for `shell`.
pub fn completions(mut cmd: clap::Command, shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "shipshape", &mut out);
    out
}

/// shipshape(1) in roff: name, synopsis, description, options, commands, then exit status,
/// environment, files, examples and version.
pub fn man_page(cmd: clap::Command) -> Vec<u8> {
    // `help` is a flag in a manual page, not a command of its own.
    let man = clap_mangen::Man::new(cmd.disable_help_subcommand(true));
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    let _ = man.render_options_section(&mut out);
    let _ = man.render_subcommands_section(&mut out);
    out.extend_from_slice(MORE_SECTIONS.as_bytes());
    let _ = man.render_version_section(&mut out);
    out
}

/// Every manual page: `(file name, roff)`, shipshape.1 first, then one page per command
/// (shipshape-check.1, …), as clap_mangen names them.
pub fn man_pages(cmd: clap::Command) -> Vec<(String, Vec<u8>)> {
    fn pages(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            pages(sub, out);
        }
        let man = clap_mangen::Man::new(cmd);
        let mut page = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = man.render(&mut page);
        out.push((man.get_filename(), page));
    }
    let top = man_page(cmd.clone());
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    pages(cmd, &mut out);
    // The top page gets the sections clap cannot write.
    out.retain(|(name, _)| name != "shipshape.1");
    out.insert(0, ("shipshape.1".to_string(), top));
    out
}

/// Writes [`man_pages`] into `dir`, each file whole or not at all. Returns the paths written.
pub fn write_man_pages(
    cmd: clap::Command,
    dir: &Path,
) -> Result<Vec<PathBuf>, crate::output::WriteError> {
    std::fs::create_dir_all(dir).map_err(|source| crate::output::WriteError::File {
        what: "the manual pages into",
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, page) in man_pages(cmd) {
        let path = dir.join(name);
        crate::output::file(&path, &page, "the manual page")?;
        written.push(path);
    }
    written.sort();
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extra_sections_are_well_formed_roff() {
        for line in MORE_SECTIONS.lines() {
            // A line starting with a quote or a stray dot would be read as a request.
            assert!(!line.starts_with('\''), "{line}");
            if let Some(request) = line.strip_prefix('.') {
                let name = request.split_whitespace().next().unwrap_or_default();
                assert!(["SH", "TP"].contains(&name), "{line}");
            }
            // Every font change returns to roman on the same line.
            assert_eq!(
                line.matches("\\fB").count() + line.matches("\\fI").count(),
                line.matches("\\fR").count(),
                "{line}"
            );
        }
    }
}
