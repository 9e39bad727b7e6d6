//! File input: `kubectl get -o json|yaml` output (Lists), multi-document manifests,
//! directories of them, shipshape snapshots, or stdin.

use super::depth;
use super::input;
use super::json_items::{self, Piece, Unexpected};
use super::snapshot::{Snapshot, SNAPSHOT_API_VERSION, SNAPSHOT_KIND};
use super::threads::{in_order_on_threads, read_threads};
use super::walk::{self, FileId, SetAside};
use super::yaml::{parse_document, StrictJson};
use crate::cluster::ingest::{ingest, ingest_moving, removed_in, IngestError, Ingested};
use crate::cluster::model::controller_ref;
use crate::cluster::slim::{self, slim, SetApart};
use crate::cluster::{
    ClusterFacts, ClusterModel, Entry, Kind, Msg, ObjectKey, Origin, RemovedApiObject,
};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How file input is read.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Where objects without a namespace land.
    pub default_namespace: String,
    /// Kinds absent from the input are `unknown` instead of known to be empty.
    pub partial: bool,
    /// The most bytes read from one file or stdin (`--max-input-size`).
    pub max_input_bytes: u64,
    /// Hold every object whole: no part of a controlled pod or an owned ReplicaSet is
    /// dropped (see [`crate::cluster::slim`]). For measuring and comparing what slimming keeps.
    pub whole: bool,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            default_namespace: "default".into(),
            partial: false,
            max_input_bytes: input::DEFAULT_MAX_INPUT,
            whole: false,
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
    /// Not empty, but nothing in it is an object: comments, `---` separators, `null`, `[]`.
    #[error("{path}: the file holds {holds} and no objects; expected Kubernetes manifests (YAML or JSON)")]
    NoObjects { path: String, holds: String },
    #[error("{path}: larger than the input limit of {limit}; if it is meant to be read, raise the limit with --max-input-size (e.g. --max-input-size 4Gi)")]
    TooLarge { path: String, limit: String },
    #[error("{path}: this is a Helm chart, not manifests; render it first with `helm template <release> {path} > rendered.yaml` and check that file")]
    HelmChart { path: String },
    #[error("{path}: this is a kustomize file, not manifests; render its directory first with `kubectl kustomize {dir} > rendered.yaml` and check that file")]
    Kustomization { path: String, dir: String },
    /// A directory whose files were all set aside or hold no objects.
    #[error("{path}: nothing to grade: {why}")]
    NothingToGrade { path: String, why: String },
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
    /// `apiVersion` missing, or either field not a name (`kind: 42`, `kind: ""`).
    #[error("{path}:{line}: {what} {problem}; every object needs `apiVersion` and `kind`")]
    TypeMeta {
        path: String,
        line: usize,
        what: String,
        problem: String,
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

/// Reads every path (a file, a directory, or `-` for stdin) into messages, leaving out the
/// notes for the reader. A command builds its model with [`load_with_notes`] instead, which
/// hands each object to the model as it is read.
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Result<Vec<Msg>, LoadError> {
    let mut loader = Loader::new(options, Sink::Msgs, HashSet::new());
    loader
        .paths(paths, &mut None)
        .map_err(Stop::into_load_error)?;
    Ok(loader.finish_msgs(paths))
}

/// What a load produced: the model of the objects read, and notes for the reader.
#[derive(Debug)]
pub struct Loaded {
    pub model: ClusterModel,
    /// One sentence each: files set aside and why, objects defined more than once.
    pub notes: Vec<String>,
}

/// Reads every path into a model, with the notes returned instead of printed. Each object goes
/// to the model as soon as it is read and converted, so a big dump is never held twice (as
/// objects waiting for the model and as the model).
pub fn load_with_notes(paths: &[PathBuf], options: &LoadOptions) -> Result<Loaded, LoadError> {
    // A file streamed into the model that turns out to need the whole-text reader after some
    // of its objects went in (an error, a snapshot, a shape only that reader knows) is read
    // again from the start that way: the model cannot take objects back.
    let mut as_text = HashSet::new();
    // Standard input can be read only once, so a second pass reads what the first kept.
    let mut stdin = None;
    loop {
        let mut loader = Loader::new(options, Sink::Model(Box::default()), as_text.clone());
        match loader.paths(paths, &mut stdin) {
            Ok(()) => {
                let notes = loader.notes();
                return Ok(Loaded {
                    model: loader.finish_model(),
                    notes,
                });
            }
            Err(Stop::ReadAsText(path)) if !as_text.contains(&path) => {
                as_text.insert(path);
            }
            Err(stop) => return Err(stop.into_load_error()),
        }
    }
}

/// Parses text as manifests (for tests and embedded data).
pub fn load_str(text: &str, file: &str, options: &LoadOptions) -> Result<Vec<Msg>, LoadError> {
    let mut loader = Loader::new(options, Sink::Msgs, HashSet::new());
    match stream_all(text.as_bytes(), file, options.max_input_bytes, 1) {
        Ok(prepared) => loader.apply_all(prepared)?,
        Err(Unexpected) => loader.text(text, file)?,
    }
    Ok(loader.finish_msgs(&[PathBuf::from(file)]))
}

/// Where the loader puts what it reads.
enum Sink {
    /// Messages, for the model to take in later.
    Msgs,
    /// A model, taking each object in as it is read.
    Model(Box<ClusterModel>),
}

/// Why a load stopped before its end.
enum Stop {
    Load(LoadError),
    /// A file streamed into the model must be read again as one text (see [`load_with_notes`]).
    ReadAsText(PathBuf),
}

impl From<LoadError> for Stop {
    fn from(e: LoadError) -> Stop {
        Stop::Load(e)
    }
}

impl Stop {
    fn into_load_error(self) -> LoadError {
        match self {
            Stop::Load(e) => e,
            // A file read as text is never streamed, so it cannot ask for that again; should
            // it, the load still ends with an error rather than a loop.
            Stop::ReadAsText(path) => LoadError::Unreadable {
                path: path.display().to_string(),
                reason: "it could be read neither object by object nor whole".into(),
            },
        }
    }
}

/// A part [`slim`] set apart from an object taken into the model, until the load knows
/// whether the object needs it back.
struct Pending {
    part: SetApart,
    /// The object's controller (kind, name), where its chain of controllers starts.
    controller: Option<(String, String)>,
}

struct Loader<'o> {
    options: &'o LoadOptions,
    sink: Sink,
    /// Messages: all of them for [`Sink::Msgs`]; for [`Sink::Model`], a snapshot's until it
    /// is read whole (its apiVersions are put back after its items are read).
    msgs: Vec<Msg>,
    /// Reading a snapshot into the model: its messages wait in `msgs`.
    buffering: bool,
    /// Files to read as one text rather than streamed into the model.
    as_text: HashSet<PathBuf>,
    seen: BTreeSet<Kind>,
    /// Set by a snapshot: exactly which kinds it captured.
    snapshot_kinds: Option<(Vec<Kind>, Vec<Kind>)>,
    facts: Option<ClusterFacts>,
    /// Files and directories read so far, however they were named.
    visited: HashSet<FileId>,
    /// Where each object was first defined, to name both places when one comes again.
    defined: HashMap<(Kind, Option<String>, String), Origin>,
    /// `Deployment shop/web` with the place it was defined before and again.
    redefined: Vec<(String, Origin, Origin)>,
    /// Files inside directories that hold no objects, with what they hold.
    no_objects: Vec<(String, String)>,
    set_aside: Vec<SetAside>,
    /// Parts of loaded objects set apart by [`slim`], with the object's place in `msgs`.
    slimmed: Vec<(usize, SetApart)>,
    /// With [`Sink::Model`]: the parts set apart, by the object they came from (a later
    /// definition of the object replaces its part, as it replaces the object)…
    pending: HashMap<ObjectKey, Pending>,
    /// … and the controllers read, to tell which parts are needed.
    controllers: slim::Loaded,
}

impl<'o> Loader<'o> {
    fn new(options: &'o LoadOptions, sink: Sink, as_text: HashSet<PathBuf>) -> Loader<'o> {
        Loader {
            options,
            sink,
            buffering: false,
            as_text,
            msgs: Vec::new(),
            seen: BTreeSet::new(),
            snapshot_kinds: None,
            facts: None,
            visited: HashSet::new(),
            defined: HashMap::new(),
            redefined: Vec::new(),
            no_objects: Vec::new(),
            set_aside: Vec::new(),
            slimmed: Vec::new(),
            pending: HashMap::new(),
            controllers: slim::Loaded::default(),
        }
    }

    /// Reads every path (a file, a directory, or `-` for stdin, kept in `stdin` once read).
    fn paths(&mut self, paths: &[PathBuf], stdin: &mut Option<String>) -> Result<(), Stop> {
        if let Sink::Model(model) = &mut self.sink {
            // First, as in the messages: how the model treats pods depends on it.
            model.apply(Msg::Facts(manifest_facts(paths)));
        }
        for path in paths {
            if path.as_os_str() == "-" {
                if stdin.is_none() {
                    *stdin = Some(input::read_stdin(self.options.max_input_bytes)?);
                }
                self.text(stdin.as_deref().unwrap_or_default(), "<stdin>")?;
            } else {
                self.path(path)?;
            }
        }
        Ok(())
    }

    /// Hands a message on: to the model, or to the messages.
    fn emit(&mut self, msg: Msg) {
        match &mut self.sink {
            Sink::Model(model) if !self.buffering => {
                model.apply(msg);
            }
            _ => self.msgs.push(msg),
        }
    }

    fn path(&mut self, path: &Path) -> Result<(), Stop> {
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
            return Ok(self.directory(path, &shown)?);
        }
        if let Some(chart) = walk::helm_chart_of(path) {
            return Err(LoadError::HelmChart {
                path: chart.display().to_string(),
            }
            .into());
        }
        if walk::is_kustomization(path) {
            return Err(LoadError::Kustomization {
                path: shown,
                dir: parent_shown(path),
            }
            .into());
        }
        // The same file named twice (or through a link) is read once.
        if meta.is_file() && !self.visited.insert(FileId::of(&meta, path)) {
            return Ok(());
        }
        self.file(path)
    }

    /// Every manifest under `dir`; files holding no objects, charts and kustomize files are
    /// set aside and reported, so one of them does not stop a whole repository's run.
    fn directory(&mut self, dir: &Path, shown: &str) -> Result<(), LoadError> {
        if walk::helm_chart_of(dir).is_some() {
            return Err(LoadError::HelmChart { path: shown.into() });
        }
        let found = walk::walk(dir, &mut self.visited)?;
        if found.files.is_empty() && found.set_aside.is_empty() && found.repeats == 0 {
            return Err(LoadError::NoManifests { path: shown.into() });
        }
        let (skipped_before, aside_before) = (self.no_objects.len(), self.set_aside.len());
        let mut read_any = found.repeats > 0;
        let limit = self.options.max_input_bytes;
        // Files are read and their objects converted on a few threads, and taken in here in
        // the order of the walk, so the result is the same as reading them one by one.
        in_order_on_threads(
            &found.files,
            read_threads(),
            |f| stream_path(f, &f.display().to_string(), limit),
            |f, streamed| {
                let read = match streamed {
                    Some(prepared) => self.apply_all(prepared),
                    None => self.whole_file(f, &f.display().to_string()),
                };
                match read {
                    Ok(()) => read_any = true,
                    Err(LoadError::Empty { path }) => {
                        self.no_objects.push((path, "is empty".into()))
                    }
                    Err(LoadError::NoObjects { path, holds }) => {
                        self.no_objects.push((path, format!("holds {holds}")))
                    }
                    Err(e) => return Err(e),
                }
                Ok(())
            },
        )?;
        self.set_aside.extend(found.set_aside);
        if !read_any {
            let why = notes_on(
                &self.no_objects[skipped_before..],
                &self.set_aside[aside_before..],
            );
            return Err(LoadError::NothingToGrade {
                path: shown.into(),
                why: why.join("; "),
            });
        }
        Ok(())
    }

    fn file(&mut self, path: &Path) -> Result<(), Stop> {
        let shown = path.display().to_string();
        if matches!(self.sink, Sink::Model(_)) && !self.as_text.contains(path) {
            return self.stream_into_model(path, &shown);
        }
        match stream_path(path, &shown, self.options.max_input_bytes) {
            Some(prepared) => self.apply_all(prepared)?,
            None => self.whole_file(path, &shown)?,
        }
        Ok(())
    }

    /// Streams a file's objects into the model one by one, so only the one being read is held
    /// beside the model. Input the stream leaves goes to the whole-text reader: at once when
    /// nothing was taken in yet, else by reading everything again (see [`load_with_notes`]).
    fn stream_into_model(&mut self, path: &Path, shown: &str) -> Result<(), Stop> {
        let limit = self.options.max_input_bytes;
        let mut taken = 0usize;
        let streamed = open_stream(path, limit)
            .ok_or(Unexpected)
            .and_then(|(reader, size)| {
                // A big file's objects are converted on a few threads while this one reads.
                let threads = if size > PARALLEL_FROM {
                    read_threads()
                } else {
                    1
                };
                stream(reader, shown, limit, threads, |prepared| {
                    taken += 1;
                    // Any error is worded by the whole-text reader, which finds the first one.
                    self.apply(prepared).map_err(|_| Unexpected)
                })
            });
        match streamed {
            Ok(()) => Ok(()),
            Err(Unexpected) if taken == 0 => Ok(self.whole_file(path, shown)?),
            Err(Unexpected) => Err(Stop::ReadAsText(path.to_path_buf())),
        }
    }

    /// Reads a file as one text: input the streaming reader leaves, and every error, whose
    /// message this path words precisely.
    fn whole_file(&mut self, path: &Path, shown: &str) -> Result<(), LoadError> {
        let text = input::read_path(path, shown, self.options.max_input_bytes)?;
        self.text(&text, shown)
    }

    fn apply_all(&mut self, prepared: Vec<Prepared>) -> Result<(), LoadError> {
        prepared.into_iter().try_for_each(|p| self.apply(p))
    }

    fn text(&mut self, text: &str, file: &str) -> Result<(), LoadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(LoadError::Empty { path: file.into() });
        }
        let docs = parse_documents(text, file)?;
        if docs.is_empty() {
            return Err(LoadError::NoObjects {
                path: file.into(),
                holds: what_it_holds(text),
            });
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
                message: format!(
                    "expected a Kubernetes object (a mapping with apiVersion and kind), found {}",
                    describe(&value)
                ),
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
                self.value(item, file, at, &[])
                    .map_err(|e| in_list_item(e, i))?;
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
        let to_model = matches!(self.sink, Sink::Model(_));
        self.buffering = to_model;
        if to_model {
            self.msgs.push(Msg::Facts(snap.cluster.clone()));
        }
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
        if to_model {
            self.buffering = false;
            for msg in std::mem::take(&mut self.msgs) {
                self.emit(msg);
            }
        }
        Ok(())
    }

    fn object(&mut self, value: Value, file: &str, line: usize) -> Result<(), LoadError> {
        let prepared = prepare(value, file, line)?;
        self.apply(prepared)
    }

    /// Takes in one object read and checked by [`prepare`].
    fn apply(&mut self, prepared: Prepared) -> Result<(), LoadError> {
        match prepared {
            Prepared::Object {
                mut ingested,
                kind_name,
                origin,
                set_apart,
            } => {
                let kind = ingested.object.kind();
                let meta = ingested.object.metadata_mut();
                if kind.namespaced() {
                    if meta.namespace.as_deref().unwrap_or_default().is_empty() {
                        meta.namespace = Some(self.options.default_namespace.clone());
                    }
                } else {
                    meta.namespace = None;
                }
                // Objects named by the API server (`generateName`) are distinct, never twice.
                let generated = meta.name.as_deref().unwrap_or_default().is_empty();
                if generated {
                    if let Some(g) = &meta.generate_name {
                        meta.name = Some(format!("{g}<generated>"));
                    } else {
                        return Err(LoadError::Invalid {
                            path: origin.file,
                            line: origin.line,
                            kind: kind_name,
                            name: "(unnamed)".into(),
                            message: "metadata.name is missing".into(),
                        });
                    }
                }
                self.seen.insert(kind);
                if !generated {
                    let name = meta.name.clone().unwrap_or_default();
                    let key = (kind, meta.namespace.clone(), name);
                    if let Some(before) = self.defined.insert(key, origin.clone()) {
                        let ns = meta.namespace.as_deref().map(|n| format!("{n}/"));
                        let what = format!(
                            "{} {}{}",
                            kind.name(),
                            ns.unwrap_or_default(),
                            meta.name.as_deref().unwrap_or_default()
                        );
                        self.redefined.push((what, before, origin.clone()));
                    }
                }
                if let Sink::Model(_) = self.sink {
                    let key = ObjectKey::of(&ingested.object);
                    if slim::may_own(kind) {
                        self.controllers.add(&ingested.object);
                    }
                    match set_apart {
                        Some(part) => {
                            let controller = controller_ref(ingested.object.metadata())
                                .map(|r| (r.kind.clone(), r.name.clone()));
                            self.pending.insert(key, Pending { part, controller });
                        }
                        None => {
                            self.pending.remove(&key);
                        }
                    }
                } else if let Some(part) = set_apart {
                    self.slimmed.push((self.msgs.len(), part));
                }
                self.emit(Msg::Upsert(Box::new(Entry {
                    object: ingested.object,
                    api_version: ingested.api_version,
                    origin: Some(origin),
                })));
            }
            Prepared::Skipped => {
                self.seen.insert(Kind::Event);
            }
            Prepared::Unknown {
                api_version,
                kind,
                namespace,
                name,
                origin,
            } => {
                if removed_in(&api_version, &kind).is_some() {
                    self.emit(Msg::RemovedApi(RemovedApiObject {
                        api_version: api_version.clone(),
                        kind: kind.clone(),
                        namespace: if namespace.is_empty() {
                            self.options.default_namespace.clone()
                        } else {
                            namespace
                        },
                        name,
                        origin: Some(origin),
                    }));
                }
                self.emit(Msg::UnknownKind(format!("{kind} ({api_version})")));
            }
        }
        Ok(())
    }

    /// Gives the slimmed objects whose controllers are not all in the input back what the
    /// model needs of them to grade their workload.
    fn restore_slimmed(&mut self) {
        if let Sink::Model(model) = &mut self.sink {
            for (key, pending) in std::mem::take(&mut self.pending) {
                let needed = self.options.whole
                    || !self
                        .controllers
                        .chain_complete_from(&key.namespace, pending.controller);
                if !needed {
                    continue;
                }
                // Put back in place: what the object gets back changes none of the model's
                // indexes (its labels and owners stay as they were).
                let stores = &mut model.stores;
                if let Some(mut object) = stores.remove(key.kind, &key.namespace, &key.name) {
                    slim::restore(&mut object, &pending.part);
                    stores.upsert(object);
                }
            }
            return;
        }
        if self.slimmed.is_empty() {
            return;
        }
        let mut loaded = slim::Loaded::default();
        for m in &self.msgs {
            if let Msg::Upsert(e) = m {
                if slim::may_own(e.object.kind()) {
                    loaded.add(&e.object);
                }
            }
        }
        for (i, part) in std::mem::take(&mut self.slimmed) {
            if let Some(Msg::Upsert(e)) = self.msgs.get_mut(i) {
                if self.options.whole {
                    slim::restore(&mut e.object, &part);
                } else {
                    loaded.restore(&mut e.object, part);
                }
            }
        }
    }

    /// One sentence per thing the reader should know about the load.
    fn notes(&self) -> Vec<String> {
        let mut notes = notes_on(&self.no_objects, &self.set_aside);
        const SHOWN: usize = 10;
        for (what, before, again) in self.redefined.iter().take(SHOWN) {
            notes.push(format!(
                "{what} at {}:{} redefines the one at {}:{}; the later one is graded",
                again.file, again.line, before.file, before.line
            ));
        }
        if self.redefined.len() > SHOWN {
            notes.push(format!(
                "{} more objects are defined more than once; the later definition of each is graded",
                self.redefined.len() - SHOWN
            ));
        }
        notes
    }

    /// The messages of everything read (with [`Sink::Msgs`]).
    fn finish_msgs(mut self, paths: &[PathBuf]) -> Vec<Msg> {
        self.restore_slimmed();
        let mut msgs = Vec::with_capacity(self.msgs.len() + Kind::ALL.len() + 1);
        let facts = self.facts.take().unwrap_or_else(|| manifest_facts(paths));
        msgs.push(Msg::Facts(facts));
        msgs.append(&mut self.msgs);
        msgs.extend(self.sync_states());
        msgs
    }

    /// The model of everything read (with [`Sink::Model`]).
    fn finish_model(mut self) -> ClusterModel {
        self.restore_slimmed();
        for msg in self.sync_states() {
            self.emit(msg);
        }
        match self.sink {
            Sink::Model(model) => *model,
            Sink::Msgs => crate::engine::model_of(self.msgs),
        }
    }

    /// What is known of each kind once everything is read.
    fn sync_states(&self) -> Vec<Msg> {
        match &self.snapshot_kinds {
            Some((synced, forbidden)) => synced
                .iter()
                .copied()
                .map(Msg::Synced)
                .chain(forbidden.iter().copied().map(Msg::Forbidden))
                .collect(),
            None => Kind::ALL
                .iter()
                .filter(|kind| !self.options.partial || self.seen.contains(kind))
                .map(|kind| Msg::Synced(*kind))
                .collect(),
        }
    }
}

/// What the model says of its source when it was read from files.
fn manifest_facts(paths: &[PathBuf]) -> ClusterFacts {
    let source = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    ClusterFacts {
        source,
        from_manifests: true,
        ..Default::default()
    }
}

/// One object read from a file, checked and converted, not yet taken in by the loader; the
/// work that needs no other object, so files can be read on several threads.
#[derive(Debug)]
pub(crate) enum Prepared {
    Object {
        /// Boxed: an object is large and the other outcomes small.
        ingested: Box<Ingested>,
        kind_name: String,
        origin: Origin,
        /// What [`slim`] took out of it, until the load knows whether it is needed.
        set_apart: Option<SetApart>,
    },
    /// A Normal event: not kept, but its kind was listed.
    Skipped,
    /// A kind shipshape does not model: counted, and reported when its apiVersion is removed.
    Unknown {
        api_version: String,
        kind: String,
        namespace: String,
        name: String,
        origin: Origin,
    },
}

/// Checks and converts one object (a mapping with `kind`, never a List or a snapshot).
pub(crate) fn prepare(value: Value, file: &str, line: usize) -> Result<Prepared, LoadError> {
    prepare_with(value, file, line, ingest)
}

/// As [`prepare`], converting with `ingest`.
fn prepare_with(
    value: Value,
    file: &str,
    line: usize,
    ingest: fn(Value) -> Result<Ingested, IngestError>,
) -> Result<Prepared, LoadError> {
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
    let what = || {
        if name.is_empty() {
            "the object".to_string()
        } else {
            format!("object `{name}`")
        }
    };
    if let Some(problem) = type_meta_problem(&value) {
        return Err(LoadError::TypeMeta {
            path: file.into(),
            line,
            what: what(),
            problem,
        });
    }
    match ingest(value) {
        Ok(mut ingested) => Ok(Prepared::Object {
            set_apart: slim(&mut ingested.object),
            ingested: Box::new(ingested),
            kind_name,
            origin,
        }),
        Err(IngestError::MissingKind) => Err(LoadError::NoKind {
            path: file.into(),
            line,
            what: what(),
        }),
        Err(IngestError::Skipped) => Ok(Prepared::Skipped),
        Err(IngestError::Unknown { api_version, kind }) => Ok(Prepared::Unknown {
            api_version,
            kind,
            namespace: ns,
            name,
            origin,
        }),
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

/// Reads a regular file object by object (see [`stream`]); `None` when it must be read as one
/// text instead: not a regular file (a pipe cannot be read twice), larger than the limit, or
/// anything [`stream`] leaves.
fn stream_path(path: &Path, shown: &str, limit: u64) -> Option<Vec<Prepared>> {
    stream_all(open_stream(path, limit)?.0, shown, limit, 1).ok()
}

/// A buffered reader of a regular file no larger than `limit`, what [`stream`] may read, and
/// the file's size.
fn open_stream(path: &Path, limit: u64) -> Option<(impl std::io::BufRead, u64)> {
    let file = input::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > limit {
        return None;
    }
    Some((
        std::io::BufReader::with_capacity(256 * 1024, file),
        meta.len(),
    ))
}

/// From this size on, a file streamed into the model is converted on several threads (below,
/// starting them costs more than they save).
const PARALLEL_FROM: u64 = 1 << 20;

/// Every object [`stream`] reads, in order.
pub(crate) fn stream_all(
    input: impl std::io::BufRead,
    file: &str,
    limit: u64,
    threads: usize,
) -> Result<Vec<Prepared>, Unexpected> {
    let mut out = Vec::new();
    stream(input, file, limit, threads, |prepared| {
        out.push(prepared);
        Ok(())
    })?;
    Ok(out)
}

/// Reads manifests from `input` one object at a time: the items of a JSON List one by one,
/// YAML documents one by one; each is checked, converted and handed to `each` as it is read,
/// so the input is never held whole. `Err` when the input must be read as one text instead:
/// any error (that path words it precisely and finds the first one), a snapshot, no objects at
/// all, or a shape only the whole-text reader knows; objects already handed on are then to be
/// dropped. Either way the objects are the same.
///
/// A List's items are handed on before the List's own `kind` is read (`kubectl` writes it
/// after them): should it turn out not to be a List, the stream fails at its end.
///
/// With `threads` above one, the objects of JSON input are converted on that many threads
/// while this one cuts the text and hands them on, in the input's order.
pub(crate) fn stream(
    mut input: impl std::io::BufRead,
    file: &str,
    limit: u64,
    threads: usize,
    mut each: impl FnMut(Prepared) -> Result<(), Unexpected>,
) -> Result<(), Unexpected> {
    let head = input.fill_buf().map_err(|_| Unexpected)?;
    let bom = head.starts_with("\u{feff}".as_bytes());
    if bom {
        input.consume(3);
    }
    let head = input.fill_buf().map_err(|_| Unexpected)?;
    let Some(&first) = head
        .iter()
        .find(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
    else {
        return Err(Unexpected);
    };
    let limit = limit.saturating_sub(if bom { 3 } else { 0 });
    let mut count = 0usize;
    let mut out = |prepared: Prepared| {
        count += 1;
        each(prepared)
    };
    match first {
        b'{' | b'[' if threads > 1 => prepare_on_threads(input, limit, file, threads, &mut out)?,
        b'{' | b'[' => {
            json_items::cut(input, limit, |piece| match piece {
                Piece::Item {
                    text, line, facts, ..
                } => out(prepare_piece(text, line, Some(&facts), file)?),
                Piece::ItemsOf { text, .. } => envelope_is_a_list(text),
                Piece::Value { text, line } => out(prepare_piece(text, line, None, file)?),
            })?;
        }
        // Text that starts with a character other than ASCII is left to the text reader.
        b if !b.is_ascii() => return Err(Unexpected),
        _ => {
            let (mut read, mut number) = (0u64, 0usize);
            let (mut start_line, mut current, mut line) = (1, String::new(), String::new());
            let mut flush = |current: &mut String, start: usize| -> Result<(), Unexpected> {
                let doc = std::mem::take(current);
                if let Some(doc) = yaml_document(&doc, start, file).map_err(|_| Unexpected)? {
                    stream_document(doc, file, &mut out)?;
                }
                Ok(())
            };
            loop {
                line.clear();
                let n = input.read_line(&mut line).map_err(|_| Unexpected)?;
                if n == 0 {
                    break;
                }
                read += n as u64;
                if read > limit || line.contains('\0') {
                    return Err(Unexpected);
                }
                // As `str::lines` ends a line.
                if line.ends_with('\n') {
                    line.pop();
                    if line.ends_with('\r') {
                        line.pop();
                    }
                }
                number += 1;
                let is_separator = line.starts_with("---")
                    && line[3..].chars().next().is_none_or(|c| c.is_whitespace());
                if is_separator {
                    flush(&mut current, start_line)?;
                    start_line = number + 1;
                } else if line.starts_with("...") && line.trim_end() == "..." {
                    continue;
                } else {
                    current.push_str(&line);
                    current.push('\n');
                }
            }
            flush(&mut current, start_line)?;
        }
    }
    if count == 0 {
        return Err(Unexpected);
    }
    Ok(())
}

/// One piece of JSON checked and converted: a List's item (with what the cut found of it) or a
/// top-level value.
fn prepare_piece(
    text: &[u8],
    line: usize,
    facts: Option<&json_items::Facts>,
    file: &str,
) -> Result<Prepared, Unexpected> {
    if let Some(prepared) = facts.and_then(|facts| typed_item(text, facts, file, line)) {
        return Ok(prepared);
    }
    stream_object(parse_json_piece(text)?, file, line)
}

/// The object whose items were read is a List (`kind: List`, `PodList`, …), not something
/// else that has items.
fn envelope_is_a_list(text: &[u8]) -> Result<(), Unexpected> {
    let list = parse_json_piece(text)?;
    let kind = list.get("kind").and_then(Value::as_str).unwrap_or_default();
    if !kind.ends_with("List") {
        return Err(Unexpected);
    }
    Ok(())
}

/// Pieces cut but not yet handed on, per converting thread: enough to keep the threads busy
/// while this one cuts, few enough that what waits is a few objects.
const AHEAD_PER_THREAD: usize = 16;

/// Cuts JSON input on this thread and converts its pieces on `threads` others, handing the
/// objects to `out` in the input's order. At most a few pieces per thread are cut ahead of the
/// next one due, converted or not (one slow piece holds back the others' results until it is
/// done), so memory stays that of a few objects whatever the input's size.
fn prepare_on_threads(
    input: impl std::io::BufRead,
    limit: u64,
    file: &str,
    threads: usize,
    out: &mut impl FnMut(Prepared) -> Result<(), Unexpected>,
) -> Result<(), Unexpected> {
    use std::sync::{mpsc, Arc, Mutex};
    type Job = (usize, Vec<u8>, usize, Option<json_items::Facts>);
    std::thread::scope(|scope| {
        let ahead = threads * AHEAD_PER_THREAD;
        let (job_tx, job_rx) = mpsc::sync_channel::<Job>(ahead);
        let (done_tx, done_rx) = mpsc::channel::<(usize, Result<Prepared, Unexpected>)>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        for _ in 0..threads {
            let (job_rx, done_tx) = (Arc::clone(&job_rx), done_tx.clone());
            scope.spawn(move || loop {
                // The lock is held only to take a job, not while converting it.
                let job = job_rx
                    .lock()
                    .map_err(|_| ())
                    .and_then(|rx| rx.recv().map_err(|_| ()));
                let Ok((seq, text, line, facts)) = job else {
                    return;
                };
                let prepared = prepare_piece(&text, line, facts.as_ref(), file);
                if done_tx.send((seq, prepared)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        // Objects converted before their turn, and how many were handed on.
        let mut waiting = std::collections::BTreeMap::new();
        let mut handed = 0usize;
        let mut take = |done: (usize, Result<Prepared, Unexpected>)| -> Result<usize, Unexpected> {
            waiting.insert(done.0, done.1);
            while let Some(prepared) = waiting.remove(&handed) {
                out(prepared?)?;
                handed += 1;
            }
            Ok(handed)
        };
        let (mut sent, mut handed_on) = (0usize, 0usize);
        let cut = json_items::cut(input, limit, |piece| {
            let job = match piece {
                Piece::Item {
                    text, line, facts, ..
                } => (sent, text.to_vec(), line, Some(facts)),
                Piece::Value { text, line } => (sent, text.to_vec(), line, None),
                Piece::ItemsOf { text, .. } => return envelope_is_a_list(text),
            };
            job_tx.send(job).map_err(|_| Unexpected)?;
            sent += 1;
            while let Ok(done) = done_rx.try_recv() {
                handed_on = take(done)?;
            }
            while sent - handed_on >= ahead {
                handed_on = take(done_rx.recv().map_err(|_| Unexpected)?)?;
            }
            Ok(())
        });
        // Every thread stops once the jobs sent are converted (or at once, on an error).
        drop(job_tx);
        cut?;
        while handed_on < sent {
            handed_on = take(done_rx.recv().map_err(|_| Unexpected)?)?;
        }
        Ok(())
    })
}

/// A List's item typed straight from its text, when that gives what the generic value would
/// (see [`crate::cluster::ingest::ingest_text`]); `None` sends it that way.
fn typed_item(text: &[u8], facts: &json_items::Facts, file: &str, line: usize) -> Option<Prepared> {
    // Strings of fields no object has are not read by the typing: their bytes are checked here.
    let whole = std::str::from_utf8(text).ok()?;
    let part = |range: Option<(usize, usize)>| whole.get(range?.0..range?.1);
    let (kind_name, api_version) = (part(facts.kind)?, part(facts.api_version)?);
    let mut ingested =
        crate::cluster::ingest::ingest_text(text, kind_name, api_version, facts.spec_selector)?;
    Some(Prepared::Object {
        set_apart: slim(&mut ingested.object),
        ingested: Box::new(ingested),
        kind_name: kind_name.to_string(),
        origin: Origin {
            file: file.to_string(),
            line,
        },
    })
}

/// A piece of JSON as the API server reads it (a key twice is an error).
fn parse_json_piece(text: &[u8]) -> Result<Value, Unexpected> {
    serde_json::from_slice::<StrictJson>(text)
        .map(|json| json.0)
        .map_err(|_| Unexpected)
}

/// A YAML document's objects: the document itself, or a List's items.
fn stream_document(
    doc: Document,
    file: &str,
    out: &mut impl FnMut(Prepared) -> Result<(), Unexpected>,
) -> Result<(), Unexpected> {
    let kind = doc
        .value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !kind.ends_with("List") || !doc.value.get("items").is_some_and(Value::is_array) {
        return out(stream_object(doc.value, file, doc.line)?);
    }
    let mut value = doc.value;
    let Some(Value::Array(items)) = value.get_mut("items").map(Value::take) else {
        return Err(Unexpected);
    };
    for (i, item) in items.into_iter().enumerate() {
        let at = doc.item_lines.get(i).copied().unwrap_or(doc.line);
        out(stream_object(item, file, at)?)?;
    }
    Ok(())
}

/// One object of a stream; a List inside a List, a snapshot or anything but a mapping is left
/// to the text reader.
fn stream_object(value: Value, file: &str, line: usize) -> Result<Prepared, Unexpected> {
    if !value.is_object() {
        return Err(Unexpected);
    }
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if (kind == SNAPSHOT_KIND && api_version == SNAPSHOT_API_VERSION)
        || (kind.ends_with("List") && value.get("items").is_some_and(Value::is_array))
    {
        return Err(Unexpected);
    }
    // Any error sends the file to the text reader, which words it: no field path is needed.
    prepare_with(value, file, line, ingest_moving).map_err(|_| Unexpected)
}

/// An object of a List that cannot be read names its place in the List as well as its line:
/// `Pod web (items[3])`.
fn in_list_item(e: LoadError, index: usize) -> LoadError {
    match e {
        LoadError::Invalid {
            path,
            line,
            kind,
            name,
            message,
        } => LoadError::Invalid {
            path,
            line,
            kind,
            name: format!("{name} (items[{index}])"),
            message,
        },
        other => other,
    }
}

/// The directory holding `path`, as the user would type it.
fn parent_shown(path: &Path) -> String {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
        _ => ".".into(),
    }
}

/// What a text with no objects holds instead, for a message that is true.
fn what_it_holds(text: &str) -> String {
    let (mut comments, mut separators, mut other) = (false, false, false);
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
        } else if t.starts_with('#') {
            comments = true;
        } else if line.starts_with("---") || line.trim_end() == "..." {
            separators = true;
        } else {
            other = true;
        }
    }
    match (comments, separators, other) {
        (_, _, true) => "only empty documents (such as `null` or `[]`)",
        (true, false, false) => "only comments",
        (false, true, false) => "only `---` separators",
        _ => "only comments and `---` separators",
    }
    .into()
}

/// A value that is not an object, in words: `a list`, `the text `nginx``.
fn describe(value: &Value) -> String {
    let short = |s: String| -> String {
        if s.chars().count() > 40 {
            format!("{}…", s.chars().take(40).collect::<String>())
        } else {
            s
        }
    };
    match value {
        Value::Null => "nothing (`null`)".into(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the text `{}`", short(s.clone())),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

/// What is wrong with an object's `apiVersion` and `kind`, when `kind` is there but either is
/// not a name (a missing `kind` is [`LoadError::NoKind`]).
fn type_meta_problem(value: &Value) -> Option<String> {
    let field = |key: &str, example: &str| -> Option<String> {
        match value.get(key) {
            None | Some(Value::Null) => Some(format!("has no `{key}`")),
            Some(Value::String(s)) if s.trim().is_empty() => Some(format!("has an empty `{key}`")),
            Some(Value::String(_)) => None,
            Some(other) => Some(format!(
                "has `{key}: {}`, {} where a name such as `{example}` belongs",
                compact(other),
                match other {
                    Value::Bool(_) => "a boolean",
                    Value::Number(_) => "a number",
                    Value::Array(_) => "a list",
                    _ => "a mapping",
                }
            )),
        }
    };
    if matches!(value.get("kind"), None | Some(Value::Null)) {
        return None;
    }
    let kind = field("kind", "Deployment");
    let api = field("apiVersion", "apps/v1");
    match (kind, api) {
        (None, None) => None,
        (Some(k), None) => Some(k),
        (None, Some(a)) => Some(a),
        (Some(k), Some(a)) => Some(format!("{k} and {}", a.trim_start_matches("has "))),
    }
}

/// A value as JSON on one short line.
fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// One sentence per kind of thing set aside while reading directories.
fn notes_on(no_objects: &[(String, String)], set_aside: &[SetAside]) -> Vec<String> {
    const SHOWN: usize = 5;
    let mut notes = Vec::new();
    if !no_objects.is_empty() {
        let mut list: Vec<String> = no_objects
            .iter()
            .take(SHOWN)
            .map(|(path, holds)| format!("{path} {holds}"))
            .collect();
        if no_objects.len() > SHOWN {
            list.push(format!("{} more", no_objects.len() - SHOWN));
        }
        notes.push(format!(
            "skipped {} {} with no objects: {}",
            no_objects.len(),
            if no_objects.len() == 1 {
                "file"
            } else {
                "files"
            },
            list.join(", ")
        ));
    }
    for aside in set_aside {
        notes.push(match aside {
            SetAside::HelmChart(dir) => format!(
                "skipped the Helm chart {d}: it holds templates, not manifests; render it with `helm template <release> {d} > rendered.yaml` and check that file",
                d = dir.display()
            ),
            SetAside::Kustomization(file) => format!(
                "skipped {}: a kustomize file, not manifests; to check what it builds, render it with `kubectl kustomize {} > rendered.yaml` and check that file",
                file.display(),
                parent_shown(file)
            ),
            SetAside::NotRegular(file, what) => {
                format!("skipped {}: {what}, not a regular file", file.display())
            }
            SetAside::BrokenLink(file) => format!(
                "skipped {}: a symbolic link to a file that does not exist",
                file.display()
            ),
        });
    }
    notes
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
        docs.extend(yaml_document(&doc, start, file)?);
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

/// Parses one YAML document starting on line `start`; `None` when it holds only comments or
/// `null`.
fn yaml_document(doc: &str, start: usize, file: &str) -> Result<Option<Document>, LoadError> {
    if doc.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    }) {
        return Ok(None);
    }
    if let Some(at) = depth::too_deep(doc) {
        return Err(too_deep(file, start + at));
    }
    let value: Value = parse_document(doc).map_err(|e| {
        let line = start + e.line.map_or(0, |l| l.saturating_sub(1));
        if e.duplicate_key.is_none() && doc.contains("{{") {
            LoadError::HelmTemplate {
                path: file.into(),
                line: first_directive_line(doc, start),
            }
        } else if is_recursion_limit(&e.message) {
            too_deep(file, line)
        } else if e.message.starts_with("repetition limit exceeded") {
            LoadError::Syntax {
                path: file.into(),
                line,
                message: "its aliases (`*name`) expand to far more than the text holds (a \"billion laughs\" document); this is not read".into(),
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
            Some(items) => yaml_item_lines(doc, start, items.len()),
            None => Vec::new(),
        };
        return Ok(Some(Document {
            line: first_content_line(doc, start),
            value,
            item_lines,
        }));
    }
    Ok(None)
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
    // Lines are counted on from the last value, so a stream of many values stays linear.
    let (mut counted_to, mut line_at) = (0, 1);
    loop {
        let offset = stream.byte_offset();
        let next = stream.next().map(|r| r.map(|json| json.0));
        let end = stream.byte_offset();
        let skipped = text[offset..].len() - text[offset..].trim_start().len();
        line_at += text[counted_to..offset + skipped].matches('\n').count();
        counted_to = offset + skipped;
        let line = line_at;
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
            Some(Err(e)) if is_recursion_limit(&e.to_string()) => {
                return Err(too_deep(file, e.line()))
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

/// Both readers stop at this depth and say so in these words.
fn is_recursion_limit(message: &str) -> bool {
    message.starts_with("recursion limit exceeded")
}

fn too_deep(file: &str, line: usize) -> LoadError {
    LoadError::Syntax {
        path: file.into(),
        line,
        message: format!(
            "nested more than {} levels deep; no Kubernetes object is, so this is not read",
            depth::MAX_DEPTH
        ),
    }
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

    /// Every item of a dump shaped like an API server's (managedFields, last-applied
    /// annotations, pods, workloads, Services, Nodes) and of the demo cluster's objects (every
    /// kind it has): typed straight from the text, it is what the generic value gives.
    #[test]
    fn an_item_typed_from_its_text_is_the_item_read_through_a_value() {
        let mut text = Vec::new();
        crate::synthetic::write_kubectl_dump(&mut text, 40).unwrap();
        let demo = crate::synthetic::demo_as_kubectl_list();
        let demo = serde_json::to_vec_pretty(&demo).unwrap();
        let (mut typed, mut kinds) = (0, std::collections::BTreeSet::new());
        for text in [&text, &demo] {
            json_items::cut(&text[..], u64::MAX, |piece| {
                if let Piece::Item {
                    text, line, facts, ..
                } = piece
                {
                    let through_value = stream_object(parse_json_piece(text)?, "dump.json", line)?;
                    if let Some(from_text) = typed_item(text, &facts, "dump.json", line) {
                        assert_eq!(format!("{from_text:?}"), format!("{through_value:?}"));
                        if let Prepared::Object { kind_name, .. } = from_text {
                            kinds.insert(kind_name);
                        }
                        typed += 1;
                    }
                }
                Ok::<_, Unexpected>(())
            })
            .unwrap();
        }
        assert!(typed > 100, "{typed}");
        for kind in [
            "Pod",
            "Deployment",
            "ReplicaSet",
            "Service",
            "Node",
            "StatefulSet",
        ] {
            assert!(kinds.contains(kind), "{kind}: {kinds:?}");
        }
    }

    /// What is typed from its text only where that is the same, is read through a value.
    #[test]
    fn items_the_text_cannot_tell_are_read_through_a_value() {
        let facts_of = |item: &str| {
            let list = format!("{{\"kind\": \"List\", \"items\": [{item}]}}");
            let mut got = None;
            json_items::cut(list.as_bytes(), u64::MAX, |piece| {
                if let Piece::Item { text, facts, .. } = piece {
                    got = Some((text.to_vec(), facts));
                }
                Ok::<_, Unexpected>(())
            })
            .unwrap();
            got.unwrap()
        };
        let typed = |item: &str| {
            let (text, facts) = facts_of(item);
            typed_item(&text, &facts, "f.json", 1).is_some()
        };
        let pod = r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx:1"}]}}"#;
        assert!(typed(pod));
        // Legacy groups and versions are upgraded; Events, Secrets and ConfigMaps pruned first.
        assert!(!typed(&pod.replace(r#""v1""#, r#""v2""#)));
        assert!(!typed(
            r#"{"apiVersion": "extensions/v1beta1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"selector": {}, "template": {}}}"#
        ));
        assert!(typed(
            r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {}}}"#
        ));
        // Without a selector, one is made of the template's labels.
        assert!(!typed(
            r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {}}}"#
        ));
        assert!(!typed(
            r#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"a": "eA=="}}"#
        ));
        assert!(!typed(
            r#"{"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"}, "type": "Warning"}"#
        ));
        // A kind written with escapes is left to the value's reader; a key so written is
        // read alike either way.
        assert!(!typed(
            &pod.replace(r#""kind": "Pod""#, r#""kind": "P\u006fd""#)
        ));
        let escaped = pod.replace(r#""name": "p""#, r#""n\u0061me": "p""#);
        let (text, facts) = facts_of(&escaped);
        let through_value = stream_object(parse_json_piece(&text).unwrap(), "f.json", 1).unwrap();
        let from_text = typed_item(&text, &facts, "f.json", 1).unwrap();
        assert_eq!(format!("{from_text:?}"), format!("{through_value:?}"));
        // Not valid, or not valid for the kind: worded by the precise reader.
        assert!(!typed(
            &pod.replace(r#""image": "nginx:1""#, r#""image": 1"#)
        ));
        assert!(!typed(&pod.replace(
            r#""image": "nginx:1""#,
            r#""image": "nginx:1", "resources": {"limits": {"cpu": "lots"}}"#
        )));
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
            {"apiVersion": "monitoring.coreos.com/v1", "kind": "Alertmanager", "metadata": {"name": "c"}}
        ]}"#;
        let msgs = load_str(text, "l.json", &LoadOptions::default()).unwrap();
        assert_eq!(upserts(&msgs), vec![("Pod/a".into(), 2)]);
        assert!(msgs.iter().any(
            |m| matches!(m, Msg::UnknownKind(k) if k == "Alertmanager (monitoring.coreos.com/v1)")
        ));
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
    fn a_list_item_that_cannot_be_read_names_its_index_and_line() {
        let json = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}, \"spec\": {\"containers\": []}},\n  {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\"}},\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"web\"},\n   \"spec\": {\"containers\": [{\"name\": \"app\", \"image\": \"x\", \"ports\": [{\"containerPort\": [80]}]}]}}\n]}\n";
        let e = load_str(json, "dump.json", &LoadOptions::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "dump.json:4: Pod web (items[2]): spec.containers[0].ports[0].containerPort: invalid type: sequence, expected i32"
        );
        let yaml = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n  spec:\n    containers: []\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n  spec:\n    containers: 3\n";
        let e = load_str(yaml, "dump.yaml", &LoadOptions::default()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("dump.yaml:10: Pod b (items[1]): spec.containers: "),
            "{e}"
        );
        // The same file read from disk, as `check -f` reads it.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dump.json");
        std::fs::write(&path, json).unwrap();
        let e = load(std::slice::from_ref(&path), &LoadOptions::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}:4: Pod web (items[2]): spec.containers[0].ports[0].containerPort: invalid type: sequence, expected i32", path.display())
        );
    }

    #[test]
    fn streamed_and_whole_text_reads_give_the_same_objects() {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(corpus)];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if walk::manifest_extension(&p) {
                    files.push(p);
                }
            }
        }
        let mut list = crate::synthetic::cluster_list(30, 2);
        list["items"][3]["metadata"]["managedFields"] = serde_json::json!([{"manager": "kubectl"}]);
        let generated = [
            serde_json::to_string_pretty(&list).unwrap(),
            serde_json::to_string(&list["items"]).unwrap(),
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| serde_norway::to_string(i).unwrap())
                .collect::<Vec<_>>()
                .join("---\n"),
        ];
        let mut streamed = 0;
        let texts = files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap_or_default())
            .chain(generated);
        for text in texts {
            let options = LoadOptions::default();
            let whole = {
                let mut loader = Loader::new(&options, Sink::Msgs, HashSet::new());
                loader.text(&text, "f").map(|()| loader.finish_msgs(&[]))
            };
            if let Ok(prepared) = stream_all(text.as_bytes(), "f", options.max_input_bytes, 1) {
                streamed += 1;
                let mut loader = Loader::new(&options, Sink::Msgs, HashSet::new());
                let by_stream = loader.apply_all(prepared).map(|()| loader.finish_msgs(&[]));
                assert_eq!(format!("{by_stream:?}"), format!("{whole:?}"), "{text}");
            }
        }
        assert!(streamed > 5, "{streamed}");
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
