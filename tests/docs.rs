//! Generated documentation stays true: the checklist reference in docs/checks.md, the shell
//! completions, the manual page and the version line.

use assert_cmd::Command;
use clap::CommandFactory;
use shipshape::report::reference;

fn shipshape() -> Command {
    Command::cargo_bin("shipshape").unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = shipshape()
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(out.stdout).unwrap()
}

/// Every command name, from the command line's definition.
fn commands() -> Vec<String> {
    let names: Vec<String> = shipshape::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for expected in [
        "check",
        "ui",
        "demo",
        "checks",
        "explain",
        "completions",
        "man",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
    }
    names
}

#[test]
fn docs_checks_md_is_the_catalogue() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checks.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == reference::markdown(),
        "docs/checks.md no longer matches the catalogue in src/checks/; regenerate it with `{}`",
        reference::REGENERATE
    );
}

#[test]
fn checks_markdown_prints_the_reference() {
    assert_eq!(stdout(&["checks", "-o", "markdown"]), reference::markdown());
}

#[test]
fn completions_name_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&["completions", shell]);
        for name in commands() {
            assert!(script.contains(&name), "{shell} completions lack `{name}`");
        }
        // Options of a command, and the values of an enum option, are completed too.
        assert!(script.contains("fail-under"), "{shell}");
        assert!(script.contains("markdown"), "{shell}");
    }
    let bash = stdout(&["completions", "bash"]);
    assert!(bash.contains("complete -F _shipshape"), "{bash}");
    let zsh = stdout(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef shipshape"), "{zsh}");
    let fish = stdout(&["completions", "fish"]);
    assert!(fish.contains("complete -c shipshape"), "{fish}");
    shipshape()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid value 'tcsh'"));
}

#[test]
fn the_man_page_has_its_sections_and_every_command() {
    let page = stdout(&["man"]);
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH SUBCOMMANDS",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH VERSION",
    ] {
        assert!(page.contains(section), "{section}:\n{page}");
    }
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    for name in commands().iter().filter(|n| *n != "help") {
        assert!(
            page.contains(&format!("shipshape\\-{}(1)", name.replace('-', "\\-"))),
            "{name}"
        );
    }
    assert!(!page.contains("shipshape\\-help(1)"), "help is a flag here");
    assert!(page.contains("Kubernetes API 1.37"));
}

#[test]
fn man_dir_writes_a_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let listed = stdout(&["man", "--dir", dir.path().to_str().unwrap()]);
    for name in ["shipshape.1", "shipshape-check.1", "shipshape-explain.1"] {
        let path = dir.path().join(name);
        assert!(path.is_file(), "{name}");
        assert!(listed.contains(path.to_str().unwrap()), "{listed}");
    }
    let check = std::fs::read_to_string(dir.path().join("shipshape-check.1")).unwrap();
    assert!(
        check.contains(".SH NAME") && check.contains("fail\\-under"),
        "{check}"
    );
    let top = std::fs::read_to_string(dir.path().join("shipshape.1")).unwrap();
    assert!(
        top.contains(".SH \"EXIT STATUS\""),
        "the top page is the full one"
    );

    // A directory that cannot be made is a one-line error, exit 2.
    let file = dir.path().join("shipshape.1");
    shipshape()
        .args(["man", "--dir", file.join("sub").to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with(
            "shipshape: error: cannot write the manual pages into",
        ));
}

#[test]
fn version_is_the_crate_version_and_the_kubernetes_api() {
    assert_eq!(
        stdout(&["--version"]),
        format!(
            "shipshape {} (Kubernetes API {})\n",
            env!("CARGO_PKG_VERSION"),
            shipshape::KUBERNETES_API
        )
    );
}

fn readme() -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap()
}

/// The body of the first fenced block of `lang` after `marker` in the README.
fn readme_block(marker: &str, lang: &str) -> String {
    let text = readme();
    let from = text
        .find(marker)
        .unwrap_or_else(|| panic!("README has {marker:?}"));
    let open = format!("```{lang}\n");
    let start = from + text[from..].find(&open).expect("a fenced block") + open.len();
    let end = start + text[start..].find("\n```").expect("a closed block");
    text[start..end].to_string()
}

/// What the README shows after a `$ command` line, up to the end of its block (with the
/// final newline).
fn readme_output(command_line: &str) -> String {
    let text = readme();
    let start = text
        .find(command_line)
        .unwrap_or_else(|| panic!("README has {command_line:?}"))
        + command_line.len();
    let end = start + text[start..].find("\n```").expect("a closed block");
    text[start..=end].to_string()
}

#[test]
fn the_readme_config_example_is_a_valid_config_that_sets_every_key() {
    let toml = readme_block("## Config", "toml");
    let config = shipshape::config::Config::parse(&toml, "README.md")
        .unwrap_or_else(|e| panic!("the README's config example: {e}"));
    let default = shipshape::config::Config::default();
    assert_ne!(config.system_namespaces, default.system_namespaces);
    assert!(!config.disabled.is_empty() && !config.severity.is_empty());
    assert!(!config.registries.is_empty() && !config.waivers.is_empty());
    assert_ne!(config.owner_keys, default.owner_keys);
}

#[test]
fn the_readme_shows_real_output() {
    let text = readme();
    assert!(text.contains(&format!("shipshape {}", shipshape::VERSION_LINE)));

    // The check excerpt: every line but the elisions is in what the command prints.
    let excerpt = readme_output("$ shipshape check --demo\n");
    let real = stdout(&["check", "--demo", "--color", "never"]);
    let mut shown = 0;
    for line in excerpt.lines() {
        if line == "…" || line.is_empty() {
            continue;
        }
        assert!(
            real.lines().any(|l| l == line),
            "the README shows a line `shipshape check --demo` no longer prints:\n{line}"
        );
        shown += 1;
    }
    assert!(shown > 10, "{excerpt}");

    // explain, verbatim.
    assert_eq!(
        readme_output("$ shipshape explain probe.readiness\n"),
        stdout(&["explain", "probe.readiness"]),
        "the README's `shipshape explain` example"
    );

    // Every screenshot the README shows exists.
    for path in text
        .split("](screenshots/")
        .skip(1)
        .map(|rest| &rest[..rest.find(')').unwrap()])
    {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("screenshots")
            .join(path);
        assert!(file.is_file(), "README links screenshots/{path}");
    }
}
