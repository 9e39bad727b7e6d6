//! File input: `kubectl get -o json|yaml` output (Lists), multi-document manifests,
//! directories of them, shipshape snapshots, or stdin.

use super::snapshot::{Snapshot, SNAPSHOT_API_VERSION, SNAPSHOT_KIND};
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
        for (line, doc) in docs {
            self.value(doc, file, line)?;
        }
        Ok(())
    }

    fn value(&mut self, value: Value, file: &str, line: usize) -> Result<(), LoadError> {
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
            return self.snapshot(value, file, line);
        }
        if kind.ends_with("List") && value.get("items").is_some_and(Value::is_array) {
            // Take the items out rather than copying them: a cluster dump is large.
            let mut value = value;
            let Some(Value::Array(items)) = value.get_mut("items").map(Value::take) else {
                unreachable!()
            };
            for item in items {
                self.value(item, file, line)?;
            }
            return Ok(());
        }
        self.object(value, file, line)
    }

    fn snapshot(&mut self, value: Value, file: &str, line: usize) -> Result<(), LoadError> {
        let snap: Snapshot = serde_json::from_value(value).map_err(|e| LoadError::Syntax {
            path: file.into(),
            line,
            message: format!("not a valid shipshape snapshot: {e}"),
        })?;
        self.msgs.push(Msg::Clock(snap.captured_at));
        self.facts = Some(snap.cluster);
        self.snapshot_kinds = Some((snap.kinds.synced, snap.kinds.forbidden));
        for item in snap.items {
            self.value(item, file, line)?;
        }
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

/// Splits text into documents with the line each starts on, and parses them.
fn parse_documents(text: &str, file: &str) -> Result<Vec<(usize, Value)>, LoadError> {
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
        let value: Value = serde_norway::from_str(&doc).map_err(|e| {
            let line = start + e.location().map_or(0, |l| l.line().saturating_sub(1));
            if doc.contains("{{") {
                LoadError::HelmTemplate {
                    path: file.into(),
                    line: first_directive_line(&doc, start),
                }
            } else {
                LoadError::Syntax {
                    path: file.into(),
                    line,
                    message: format!("invalid YAML: {}", strip_location(&e.to_string())),
                }
            }
        })?;
        if !value.is_null() {
            docs.push((first_content_line(&doc, start), value));
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

fn parse_json(text: &str, file: &str) -> Result<Vec<(usize, Value)>, LoadError> {
    // `kubectl get -o json` prints one value; some tools print several in a row.
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    loop {
        let offset = stream.byte_offset();
        match stream.next() {
            None => break,
            Some(Ok(Value::Array(items))) => {
                let line = text[..offset].matches('\n').count() + 1;
                out.extend(items.into_iter().map(|v| (line, v)));
            }
            Some(Ok(v)) => {
                let skipped = text[offset..].len() - text[offset..].trim_start().len();
                out.push((text[..offset + skipped].matches('\n').count() + 1, v));
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
        assert_eq!(upserts(&msgs), vec![("Pod/a".into(), 1)]);
        assert!(msgs
            .iter()
            .any(|m| matches!(m, Msg::UnknownKind(k) if k == "Certificate (cert-manager.io/v1)")));
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
