//! Generated documentation stays true: the checklist reference in docs/checks.md, the shell
//! completions, the manual page and the version line.

use assert_cmd::Command;
use clap::CommandFactory;
use shipshape::checks::reference;

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
