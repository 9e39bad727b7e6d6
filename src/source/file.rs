//! File input: `kubectl get -o json|yaml` output (Lists), multi-document manifests,
//! directories of them, shipshape snapshots, or stdin.

use super::snapshot::{Snapshot, SNAPSHOT_API_VERSION, SNAPSHOT_KIND};
use super::yaml::{parse_document, StrictJson};
use crate::cluster::ingest::{ingest, removed_in, IngestError};
use crate::cluster::{ClusterFacts, Entry, Kind, Msg, Origin, RemovedApiObject};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How file input is read.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Where objects without a namespace land.
    pub default_namespace: String,
    /// Kinds absent from the input are `unknown` instead of known to be empty.
    pub partial: bool,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            default_namespace: "default".into(),
            partial: false,
        }
    }
}

/// Input that cannot be graded: which file, where, and what to do.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LoadError {
    #[error("{path}: no such file or directory")]
    Missing { path: String },
    #[error("{path}: cannot read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}: the file is empty; expected Kubernetes manifests (YAML or JSON)")]
    Empty { path: String },
    #[error("{path}: no manifests found (looked for .yaml, .yml and .json files)")]
    NoManifests { path: String },
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: String,
        line: usize,
        message: String,
    },
    #[error("{path}:{line}: this looks like a Helm template (`{{{{ … }}}}` directives), not a manifest; render it first with `helm template <release> <chart> > rendered.yaml` and check that file")]
    HelmTemplate { path: String, line: usize },
    #[error("{path}:{line}: {what} has no `kind`; every object needs `apiVersion` and `kind`")]
    NoKind {
        path: String,
        line: usize,
        what: String,
    },
    #[error("{path}:{line}: {kind} {name}: {message}")]
    Invalid {
        path: String,
        line: usize,
        kind: String,
        name: String,
        message: String,
    },
}

/// Reads every path (a file, a directory, or `-` for stdin) into messages.
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Result<Vec<Msg>, LoadError> {
    let mut loader = Loader::new(options);
    for path in paths {
        if path.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| LoadError::Unreadable {
                    path: "<stdin>".into(),
                    reason: e.to_string(),
                })?;
            loader.text(&text, "<stdin>")?;
        } else {
            loader.path(path)?;
        }
    }
    Ok(loader.finish(paths))
}

/// Parses text as manifests (for tests and embedded data).
pub fn load_str(text: &str, file: &str, options: &LoadOptions) -> Result<Vec<Msg>, LoadError> {
    let mut loader = Loader::new(options);
    loader.text(text, file)?;
    Ok(loader.finish(&[PathBuf::from(file)]))
}

struct Loader<'o> {
    options: &'o LoadOptions,
    msgs: Vec<Msg>,
    seen: BTreeSet<Kind>,
    /// Set by a snapshot: exactly which kinds it captured.
    snapshot_kinds: Option<(Vec<Kind>, Vec<Kind>)>,
    facts: Option<ClusterFacts>,
}

fn manifest_extension(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

impl<'o> Loader<'o> {
    fn new(options: &'o LoadOptions) -> Loader<'o> {
        Loader {
            options,
            msgs: Vec::new(),
            seen: BTreeSet::new(),
            snapshot_kinds: None,
            facts: None,
        }
    }

    fn path(&mut self, path: &Path) -> Result<(), LoadError> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::Missing {
                path: shown.clone(),
            },
            _ => LoadError::Unreadable {
                path: shown.clone(),
                reason: e.to_string(),
            },
        })?;
        if meta.is_dir() {
            let mut files = Vec::new();
            collect_dir(path, &mut files)?;
            if files.is_empty() {
                return Err(LoadError::NoManifests { path: shown });
            }
            for f in files {
                self.file(&f)?;
            }
            Ok(())
        } else {
            self.file(path)
        }
    }

    fn file(&mut self, path: &Path) -> Result<(), LoadError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| LoadError::Unreadable {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| LoadError::Unreadable {
            path: shown.clone(),
            reason: "not UTF-8 text".into(),
        })?;
        self.text(&text, &shown)
    }

    fn text(&mut self, text: &str, file: &str) -> Result<(), LoadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(LoadError::Empty { path: file.into() });
        }
        let docs = parse_documents(text, file)?;
        if docs.is_empty() {
            return Err(LoadError::Empty { path: file.into() });
        }
        for doc in docs {
            self.value(doc.value, file, doc.line, &doc.item_lines)?;
        }
        Ok(())
    }

    /// Reads one document; `item_lines` are the lines its `items` start on, when known.
    fn value(
        &mut self,
        value: Value,
        file: &str,
        line: usize,
        item_lines: &[usize],
    ) -> Result<(), LoadError> {
        if !value.is_object() {
            return Err(LoadError::Syntax {
                path: file.into(),
                line,
                message: "expected a Kubernetes object (a mapping with apiVersion and kind)".into(),
            });
        }
        let kind = value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let api_version = value
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind == SNAPSHOT_KIND && api_version == SNAPSHOT_API_VERSION {
            return self.snapshot(value, file, line, item_lines);
        }
        if kind.ends_with("List") && value.get("items").is_some_and(Value::is_array) {
            // Take the items out rather than copying them: a cluster dump is large.
            let mut value = value;
            let Some(Value::Array(items)) = value.get_mut("items").map(Value::take) else {
                unreachable!()
            };
            for (i, item) in items.into_iter().enumerate() {
                let at = item_lines.get(i).copied().unwrap_or(line);
                self.value(item, file, at, &[])?;
            }
            return Ok(());
        }
        self.object(value, file, line)
    }

    fn snapshot(
        &mut self,
        value: Value,
        file: &str,
        line: usize,
        item_lines: &[usize],
    ) -> Result<(), LoadError> {
        let mut snap: Snapshot = serde_json::from_value(value).map_err(|e| LoadError::Syntax {
            path: file.into(),
            line,
            message: format!("not a valid shipshape snapshot: {e}"),
        })?;
        self.msgs.push(Msg::Clock(snap.captured_at));
        let first = self.msgs.len();
        for (i, item) in std::mem::take(&mut snap.items).into_iter().enumerate() {
            let at = item_lines.get(i).copied().unwrap_or(line);
            self.value(item, file, at, &[])?;
        }
        snap.restore_written_api_versions(&mut self.msgs[first..]);
        self.msgs.extend(snap.side_messages());
        self.facts = Some(snap.cluster);
        self.snapshot_kinds = Some((snap.kinds.synced, snap.kinds.forbidden));
        Ok(())
    }

    fn object(&mut self, value: Value, file: &str, line: usize) -> Result<(), LoadError> {
        let name = value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let ns = value
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let kind_name = value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let origin = Origin {
            file: file.to_string(),
            line,
        };
        match ingest(value) {
            Ok(mut ingested) => {
                let kind = ingested.object.kind();
                let meta = ingested.object.metadata_mut();
                if kind.namespaced() {
                    if meta.namespace.as_deref().unwrap_or_default().is_empty() {
                        meta.namespace = Some(self.options.default_namespace.clone());
                    }
                } else {
                    meta.namespace = None;
                }
                if meta.name.as_deref().unwrap_or_default().is_empty() {
                    if let Some(g) = &meta.generate_name {
                        meta.name = Some(format!("{g}<generated>"));
                    } else {
                        return Err(LoadError::Invalid {
                            path: file.into(),
                            line,
                            kind: kind_name,
                            name: "(unnamed)".into(),
                            message: "metadata.name is missing".into(),
                        });
                    }
                }
                self.seen.insert(kind);
                self.msgs.push(Msg::Upsert(Box::new(Entry {
                    object: ingested.object,
                    api_version: ingested.api_version,
                    origin: Some(origin),
                })));
                Ok(())
            }
            Err(IngestError::MissingKind) => Err(LoadError::NoKind {
                path: file.into(),
                line,
                what: if name.is_empty() {
                    "the object".to_string()
                } else {
                    format!("object `{name}`")
                },
            }),
            Err(IngestError::Skipped) => {
                self.seen.insert(Kind::Event);
                Ok(())
            }
            Err(IngestError::Unknown { api_version, kind }) => {
                if removed_in(&api_version, &kind).is_some() {
                    self.msgs.push(Msg::RemovedApi(RemovedApiObject {
                        api_version: api_version.clone(),
                        kind: kind.clone(),
                        namespace: if ns.is_empty() {
                            self.options.default_namespace.clone()
                        } else {
                            ns
                        },
                        name,
                        origin: Some(origin),
                    }));
                }
                self.msgs
                    .push(Msg::UnknownKind(format!("{kind} ({api_version})")));
                Ok(())
            }
            Err(IngestError::Invalid { kind, message }) => Err(LoadError::Invalid {
                path: file.into(),
                line,
                kind,
                name: if name.is_empty() {
                    "(unnamed)".into()
                } else {
                    name
                },
                message,
            }),
        }
    }

    fn finish(mut self, paths: &[PathBuf]) -> Vec<Msg> {
        let source = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut msgs = Vec::with_capacity(self.msgs.len() + Kind::ALL.len() + 1);
        let facts = self.facts.take().unwrap_or(ClusterFacts {
            source,
            from_manifests: true,
            ..Default::default()
        });
        msgs.push(Msg::Facts(facts));
        msgs.append(&mut self.msgs);
        match self.snapshot_kinds {
            Some((synced, forbidden)) => {
                msgs.extend(synced.into_iter().map(Msg::Synced));
                msgs.extend(forbidden.into_iter().map(Msg::Forbidden));
            }
            None => {
                for kind in Kind::ALL {
                    if !self.options.partial || self.seen.contains(kind) {
                        msgs.push(Msg::Synced(*kind));
                    }
                }
            }
        }
        msgs
    }
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|e| LoadError::Unreadable {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            collect_dir(&p, out)?;
        } else if manifest_extension(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// One parsed document: the line it starts on and, when it holds `items` (a List, a snapshot,
/// a JSON array), the line each item starts on, so every object knows where it was written.
struct Document {
    line: usize,
    value: Value,
    item_lines: Vec<usize>,
}

/// Splits text into documents with the line each starts on, and parses them.
fn parse_documents(text: &str, file: &str) -> Result<Vec<Document>, LoadError> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return parse_json(text, file);
    }
    let mut docs = Vec::new();
    let mut start_line = 1;
    let mut current = String::new();
    let mut flush = |current: &mut String, start: usize| -> Result<(), LoadError> {
        let doc = std::mem::take(current);
        if doc.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#')
        }) {
            return Ok(());
        }
        let value: Value = parse_document(&doc).map_err(|e| {
            let line = start + e.line.map_or(0, |l| l.saturating_sub(1));
            if e.duplicate_key.is_none() && doc.contains("{{") {
                LoadError::HelmTemplate {
                    path: file.into(),
                    line: first_directive_line(&doc, start),
                }
            } else {
                LoadError::Syntax {
                    path: file.into(),
                    line,
                    message: format!("invalid YAML: {}", strip_location(&e.message)),
                }
            }
        })?;
        if !value.is_null() {
            let item_lines = match value.get("items").and_then(Value::as_array) {
                Some(items) => yaml_item_lines(&doc, start, items.len()),
                None => Vec::new(),
            };
            docs.push(Document {
                line: first_content_line(&doc, start),
                value,
                item_lines,
            });
        }
        Ok(())
    };
    for (i, line) in text.lines().enumerate() {
        let is_separator =
            line.starts_with("---") && line[3..].chars().next().is_none_or(|c| c.is_whitespace());
        if is_separator {
            flush(&mut current, start_line)?;
            start_line = i + 2;
        } else if line.starts_with("...") && line.trim_end() == "..." {
            continue;
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    flush(&mut current, start_line)?;
    Ok(docs)
}

/// The lines the entries of a document's top-level `items:` sequence start on (block style,
/// as `kubectl get -o yaml` writes it); empty when they cannot all be found.
fn yaml_item_lines(doc: &str, start: usize, count: usize) -> Vec<usize> {
    let mut lines = doc.lines().enumerate();
    if !lines.any(|(_, l)| {
        l.strip_prefix("items:")
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    }) {
        return Vec::new();
    }
    let mut indent = None;
    let mut out = Vec::new();
    for (i, l) in lines {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let this = l.len() - t.len();
        let entry = t == "-" || t.starts_with("- ");
        match indent {
            None if entry => indent = Some(this),
            None => break,
            Some(ind) if this < ind || (this == ind && !entry) => break,
            Some(ind) if this > ind => continue,
            Some(_) => {}
        }
        out.push(start + i);
    }
    if out.len() == count {
        out
    } else {
        Vec::new()
    }
}

/// The lines the elements of a JSON array start on: the value's `items` array when `text` is
/// an object, the value itself when it is an array. Empty when the text is not of that shape.
fn json_item_lines(text: &str, first_line: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut line = first_line;
    let mut depth = 0usize;
    // The depth whose elements are items (1 for a top-level array, 2 for `"items": [`).
    let mut items_depth = None;
    let mut key_is_items = false;
    let mut expect_element = false;
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
            i += 1;
            continue;
        }
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if expect_element && b != b']' {
            out.push(line);
        }
        expect_element = false;
        match b {
            b'"' => {
                let begin = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    } else if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                key_is_items = depth == 1
                    && items_depth.is_none()
                    && &text[begin..i.min(bytes.len())] == "items";
            }
            b'[' | b'{' => {
                depth += 1;
                if b == b'['
                    && items_depth.is_none()
                    && (depth == 1 || (depth == 2 && key_is_items))
                {
                    items_depth = Some(depth);
                    expect_element = true;
                }
                key_is_items = false;
            }
            b']' | b'}' => {
                if items_depth == Some(depth) {
                    return out;
                }
                depth = depth.saturating_sub(1);
            }
            b',' => expect_element = items_depth == Some(depth),
            b':' => {}
            _ => key_is_items = false,
        }
        i += 1;
    }
    out
}

fn parse_json(text: &str, file: &str) -> Result<Vec<Document>, LoadError> {
    // `kubectl get -o json` prints one value; some tools print several in a row.
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<StrictJson>();
    loop {
        let offset = stream.byte_offset();
        let next = stream.next().map(|r| r.map(|json| json.0));
        let end = stream.byte_offset();
        let skipped = text[offset..].len() - text[offset..].trim_start().len();
        let line = text[..offset + skipped].matches('\n').count() + 1;
        match next {
            None => break,
            Some(Ok(Value::Array(items))) => {
                let lines = json_item_lines(&text[offset + skipped..end], line);
                let lines = if lines.len() == items.len() {
                    lines
                } else {
                    vec![line; items.len()]
                };
                out.extend(items.into_iter().zip(lines).map(|(value, line)| Document {
                    line,
                    value,
                    item_lines: Vec::new(),
                }));
            }
            Some(Ok(value)) => {
                let item_lines = match value.get("items").and_then(Value::as_array) {
                    Some(items) => {
                        let lines = json_item_lines(&text[offset + skipped..end], line);
                        if lines.len() == items.len() {
                            lines
                        } else {
                            Vec::new()
                        }
                    }
                    None => Vec::new(),
                };
                out.push(Document {
                    line,
                    value,
                    item_lines,
                });
            }
            Some(Err(e)) => {
                return Err(LoadError::Syntax {
                    path: file.into(),
                    line: e.line(),
                    message: format!("invalid JSON: {}", strip_location(&e.to_string())),
                })
            }
        }
    }
    Ok(out)
}

/// serde errors end with "at line X column Y"; the line is already in our prefix.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn first_content_line(doc: &str, start: usize) -> usize {
    doc.lines()
        .position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map_or(start, |i| start + i)
}

fn first_directive_line(doc: &str, start: usize) -> usize {
    doc.lines()
        .position(|l| l.contains("{{"))
        .map_or(start, |i| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upserts(msgs: &[Msg]) -> Vec<(String, usize)> {
        msgs.iter()
            .filter_map(|m| match m {
                Msg::Upsert(e) => Some((
                    format!(
                        "{}/{}",
                        e.object.kind(),
                        e.object.metadata().name.clone().unwrap()
                    ),
                    e.origin.as_ref().unwrap().line,
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn multi_document_yaml_with_lines() {
        let text = "# leading comment\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tpl\ndata:\n  t: \"{{ .Values.x }}\"\n";
        let msgs = load_str(text, "m.yaml", &LoadOptions::default()).unwrap();
        assert_eq!(
            upserts(&msgs),
            vec![("Namespace/shop".into(), 2), ("ConfigMap/tpl".into(), 9)]
        );
    }

    #[test]
    fn kubectl_json_list() {
        let text = r#"{"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": []}},
            {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": {"name": "c"}}
        ]}"#;
        let msgs = load_str(text, "l.json", &LoadOptions::default()).unwrap();
        assert_eq!(upserts(&msgs), vec![("Pod/a".into(), 2)]);
        assert!(msgs
            .iter()
            .any(|m| matches!(m, Msg::UnknownKind(k) if k == "Certificate (cert-manager.io/v1)")));
    }

    #[test]
    fn list_items_know_their_lines() {
        let yaml = "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n  spec:\n    containers: []\n# between\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: s\n    annotations:\n      note: |\n        - not an item\nkind: List\n";
        let msgs = load_str(yaml, "l.yaml", &LoadOptions::default()).unwrap();
        assert_eq!(
            upserts(&msgs),
            vec![("Pod/a".into(), 3), ("Service/s".into(), 10)]
        );
        // Strings holding brackets, commas and escaped quotes do not confuse the JSON scan.
        let json = "\n{\"kind\": \"List\", \"apiVersion\": \"v1\", \"metadata\": {\"x\": \"[items\\\", ]\"},\n \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}},\n\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n   \"metadata\": {\"name\": \"b\"}}]}";
        let msgs = load_str(json, "l.json", &LoadOptions::default()).unwrap();
        assert_eq!(
            upserts(&msgs),
            vec![("Pod/a".into(), 4), ("Pod/b".into(), 6)]
        );
        let array = "[{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}},\n {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"b\"}}]";
        let msgs = load_str(array, "a.json", &LoadOptions::default()).unwrap();
        assert_eq!(
            upserts(&msgs),
            vec![("Pod/a".into(), 1), ("Pod/b".into(), 2)]
        );
    }

    #[test]
    fn snapshot_items_know_their_lines() {
        let model = crate::source::demo::demo_model();
        let snap = crate::source::snapshot::Snapshot::of(&model);
        let text = serde_norway::to_string(&snap).unwrap();
        let msgs = load_str(&text, "snap.yaml", &LoadOptions::default()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let found = upserts(&msgs);
        assert!(found.len() > 100);
        for (what, line) in found {
            assert!(
                lines[line - 1].starts_with("- "),
                "{what} at line {line}: {}",
                lines[line - 1]
            );
        }
    }

    #[test]
    fn errors_say_where() {
        let e = load_str(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n",
            "bad.yaml",
            &LoadOptions::default(),
        )
        .unwrap_err();
        assert!(
            matches!(e, LoadError::Syntax { line, .. } if line >= 4),
            "{e}"
        );
        let e = load_str(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n---\napiVersion: v1\nmetadata:\n  name: nokind\n",
            "k.yaml",
            &LoadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "k.yaml:6: object `nokind` has no `kind`; every object needs `apiVersion` and `kind`"
        );
        let helm = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include \"x\" . | nindent 4 }}\n";
        let e = load_str(helm, "tpl.yaml", &LoadOptions::default()).unwrap_err();
        assert!(
            matches!(e, LoadError::HelmTemplate { line: 4, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("helm template"));
        let e = load_str("  \n", "e.yaml", &LoadOptions::default()).unwrap_err();
        assert_eq!(
            e,
            LoadError::Empty {
                path: "e.yaml".into()
            }
        );
        let e = load_str("{\"kind\": ", "j.json", &LoadOptions::default()).unwrap_err();
        assert!(matches!(e, LoadError::Syntax { .. }), "{e}");
    }

    #[test]
    fn partial_leaves_absent_kinds_unsynced() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: []\n";
        let full = load_str(text, "p.yaml", &LoadOptions::default()).unwrap();
        assert!(full.iter().any(|m| matches!(m, Msg::Synced(Kind::Secret))));
        let opts = LoadOptions {
            partial: true,
            ..Default::default()
        };
        let partial = load_str(text, "p.yaml", &opts).unwrap();
        assert!(!partial
            .iter()
            .any(|m| matches!(m, Msg::Synced(Kind::Secret))));
        assert!(partial.iter().any(|m| matches!(m, Msg::Synced(Kind::Pod))));
    }
}
