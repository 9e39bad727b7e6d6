//! The top-level modules of the library import each other without circles: every arrow runs one
//! way, from the command line down to the model, so a module can be read, tested and changed
//! knowing only what lies below it.
//!
//! The graph is built from the source text: every `crate::X` path and every `use crate::{X, ..}`
//! group outside test-only code (`#[cfg(test)]` and `#[cfg(any(test, feature = "testing"))]`
//! items, and the files such items declare) is an arrow from the file's top-level module to `X`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The source with comments removed and the contents of string and character literals blanked,
/// so text in docs and messages never counts as an import.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (next == Some('#') || next == Some('"'))
            && !chars[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
            && raw_string_end(&chars, i).is_some()
        {
            i = raw_string_end(&chars, i).unwrap();
            out.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a): only the literal is
            // skipped.
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Where a raw string literal starting at `start` (the `r`) ends, one past its last `#`.
fn raw_string_end(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    let mut hashes = 0;
    while chars.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    if chars.get(i) != Some(&'"') {
        return None;
    }
    i += 1;
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            return Some(i + 1 + hashes);
        }
        i += 1;
    }
    None
}

/// Whether an attribute (its string contents blanked, as `code_only` leaves them) keeps its
/// item to tests: `#[cfg(test)]` or `#[cfg(any(test, feature = "testing"))]`.
fn is_test_only(attribute: &str) -> bool {
    let compact: String = attribute.chars().filter(|c| !c.is_whitespace()).collect();
    compact == "#[cfg(test)]" || compact == "#[cfg(any(test,feature=\"\"))]"
}

/// The code without its test-only items, and the names of test-only modules declared as files
/// (`#[cfg(test)] mod name;`).
fn without_test_items(code: &str) -> (String, Vec<String>) {
    let bytes = code.as_bytes();
    let mut out = String::with_capacity(code.len());
    let mut test_files = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#' && bytes.get(i + 1) == Some(&b'[') {
            let close = matching(bytes, i + 1, b'[', b']');
            if is_test_only(&code[i..=close]) {
                // Skip the item the attribute guards: up to its `;` or its balanced `{ .. }`.
                let mut j = close + 1;
                while j < bytes.len() && bytes[j] != b';' && bytes[j] != b'{' {
                    j += 1;
                }
                let head = code[close + 1..j.min(bytes.len())].trim();
                if j < bytes.len() && bytes[j] == b';' {
                    if let Some(name) = head
                        .strip_prefix("pub mod ")
                        .or_else(|| head.strip_prefix("mod "))
                    {
                        test_files.push(name.trim().to_string());
                    }
                    i = j + 1;
                } else if j < bytes.len() {
                    i = matching(bytes, j, b'{', b'}') + 1;
                } else {
                    i = j;
                }
                continue;
            }
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    (out, test_files)
}

/// The index of the bracket closing the one at `open`.
fn matching(bytes: &[u8], open: usize, left: u8, right: u8) -> usize {
    let mut depth = 0;
    for (k, b) in bytes.iter().enumerate().skip(open) {
        if *b == left {
            depth += 1;
        } else if *b == right {
            depth -= 1;
            if depth == 0 {
                return k;
            }
        }
    }
    bytes.len() - 1
}

fn ident_at(code: &str, start: usize) -> &str {
    let rest = &code[start..];
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The top-level modules a piece of code names through `crate::`.
fn imports(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    for (at, _) in code.match_indices("crate::") {
        if at > 0
            && (bytes[at - 1].is_ascii_alphanumeric()
                || bytes[at - 1] == b'_'
                || bytes[at - 1] == b'$')
        {
            continue;
        }
        let mut start = at + "crate::".len();
        while bytes.get(start).is_some_and(|b| b.is_ascii_whitespace()) {
            start += 1;
        }
        if bytes.get(start) == Some(&b'{') {
            // `use crate::{a::b, c::{d, e}, f}`: the names at the group's first level.
            let close = matching(bytes, start, b'{', b'}');
            let mut depth = 0;
            let mut expect_name = true;
            let mut k = start + 1;
            while k < close {
                match bytes[k] {
                    b'{' => depth += 1,
                    b'}' => depth -= 1,
                    b',' if depth == 0 => expect_name = true,
                    b if b.is_ascii_alphabetic() || b == b'_' => {
                        let name = ident_at(code, k);
                        if depth == 0 && expect_name {
                            found.insert(name.to_string());
                            expect_name = false;
                        }
                        k += name.len();
                        continue;
                    }
                    _ => {}
                }
                k += 1;
            }
        } else {
            let name = ident_at(code, start);
            if !name.is_empty() {
                found.insert(name.to_string());
            }
        }
    }
    found
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// The directory holding the files of the modules `file` declares.
fn child_dir(file: &Path) -> PathBuf {
    let parent = file.parent().unwrap();
    match file.file_stem().unwrap().to_str().unwrap() {
        "lib" | "main" | "mod" => parent.to_path_buf(),
        stem => parent.join(stem),
    }
}

/// The library's top-level module import graph.
fn module_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let lib = code_only(&fs::read_to_string(src.join("lib.rs")).unwrap());
    let (lib, _) = without_test_items(&lib);
    let modules: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').trim().to_string())
        .collect();
    assert!(
        modules.len() > 10,
        "lib.rs declares the modules: {modules:?}"
    );

    let mut test_only: BTreeSet<PathBuf> = BTreeSet::new();
    let mut kept = Vec::new();
    for file in &files {
        let code = code_only(&fs::read_to_string(file).unwrap());
        let (code, test_files) = without_test_items(&code);
        for name in test_files {
            let dir = child_dir(file);
            test_only.insert(dir.join(format!("{name}.rs")));
            test_only.insert(dir.join(&name));
        }
        kept.push((file.clone(), code));
    }

    let mut graph = Graph::new();
    for (file, code) in kept {
        if test_only.iter().any(|t| file.starts_with(t)) {
            continue;
        }
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap();
        let top = Path::new(first.as_os_str())
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        if !modules.contains(&top) {
            continue;
        }
        for target in imports(&code) {
            if target != top && modules.contains(&target) {
                graph.entry(top.clone()).or_default().insert(target);
            }
        }
    }
    graph
}

/// One cycle per strongly connected group of modules, as the path that walks it.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = graph.keys().chain(graph.values().flatten()).collect();
    let reaches = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for next in graph.get(&n).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let mut found = Vec::new();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for node in nodes {
        if reported.contains(node) || !reaches(node).contains(node) {
            continue;
        }
        // The shortest way back to `node`, by breadth-first search.
        let mut previous: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([node.clone()]);
        let mut last = None;
        while let Some(n) = queue.pop_front() {
            for next in graph.get(&n).into_iter().flatten() {
                if next == node {
                    last = Some(n.clone());
                    break;
                }
                if !previous.contains_key(next) {
                    previous.insert(next.clone(), n.clone());
                    queue.push_back(next.clone());
                }
            }
            if last.is_some() {
                break;
            }
        }
        let mut cycle = vec![last.unwrap()];
        while cycle.last() != Some(node) {
            let before = previous[cycle.last().unwrap()].clone();
            cycle.push(before);
        }
        cycle.reverse();
        cycle.push(node.clone());
        for n in &cycle {
            reported.insert(n.clone());
        }
        found.push(cycle);
    }
    found
}

/// Arrows that still run back up and close a circle: none. Each listed must still exist, so
/// the list only shrinks: removing one means deleting it here. (The last, `checks → config`,
/// went when the settings checks read moved into `checks::settings`, below `config`.)
const KNOWN_BACK_ARROWS: &[(&str, &str)] = &[];

#[test]
fn the_top_level_modules_import_each_other_without_circles() {
    let mut graph = module_graph();
    for (from, to) in KNOWN_BACK_ARROWS {
        let removed = graph.get_mut(*from).is_some_and(|t| t.remove(*to));
        assert!(
            removed,
            "{from} no longer imports {to}: take the arrow off KNOWN_BACK_ARROWS"
        );
    }
    let found = cycles(&graph);
    let edges: Vec<String> = graph
        .iter()
        .map(|(from, to)| {
            format!(
                "{from} -> {}",
                to.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    // `cargo test --test module_arrows -- --nocapture` shows the graph.
    println!("{}", edges.join("\n"));
    assert!(
        found.is_empty(),
        "modules import each other in a circle:\n{}\n\nthe graph:\n{}",
        found
            .iter()
            .map(|c| format!("  {}", c.join(" -> ")))
            .collect::<Vec<_>>()
            .join("\n"),
        edges.join("\n")
    );
}

/// The command line is the top: nothing below it imports it, and the model imports nothing
/// that grades it.
#[test]
fn the_command_line_is_the_top_and_the_model_the_bottom() {
    let graph = module_graph();
    let importers_of_cli: Vec<&String> = graph
        .iter()
        .filter(|(_, to)| to.contains("cli"))
        .map(|(from, _)| from)
        .collect();
    assert!(
        importers_of_cli.is_empty(),
        "{importers_of_cli:?} import cli"
    );
    let model_imports = graph.get("cluster").cloned().unwrap_or_default();
    for above in [
        "checks", "grade", "engine", "report", "ui", "source", "config",
    ] {
        assert!(
            !model_imports.contains(above),
            "the model imports {above}: {model_imports:?}"
        );
    }
}

#[test]
fn the_graph_reader_sees_imports_and_skips_tests_comments_and_strings() {
    let code = code_only(
        "use crate::{report::plural, text::{safe, safe_lines}, cluster};\n\
         // crate::ui in a comment\n\
         /* crate::serve */\n\
         let s = \"crate::fleet\"; let r = r#\"crate::cli\"#; let c = '\"';\n\
         fn f<'a>(x: &'a str) -> crate::score::Score { crate::grade::run(x) }\n\
         #[cfg(test)]\n\
         mod tests { use crate::engine; }\n",
    );
    let (code, test_files) = without_test_items(&code);
    assert!(test_files.is_empty());
    let names: Vec<String> = imports(&code).into_iter().collect();
    assert_eq!(names, ["cluster", "grade", "report", "score", "text"]);

    let (_, test_files) = without_test_items(&code_only(
        "#[cfg(any(test, feature = \"testing\"))]\npub mod svg;\n",
    ));
    assert_eq!(test_files, ["svg"]);
}

#[test]
fn a_cycle_is_found_and_walked() {
    let mut graph = Graph::new();
    for (from, to) in [
        ("cli", "report"),
        ("report", "triage"),
        ("triage", "report"),
        ("report", "text"),
    ] {
        graph.entry(from.into()).or_default().insert(to.into());
    }
    assert_eq!(cycles(&graph), [["report", "triage", "report"]]);
    graph.get_mut("triage").unwrap().clear();
    assert!(cycles(&graph).is_empty());
}
