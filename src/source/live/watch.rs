//! One watcher task per kind: probe access, then list and watch with kube-rs' `watcher`,
//! turning its events into model messages.
//!
//! - Secrets, ConfigMaps and ReplicaSets are watched as metadata only (their payloads are
//!   never fetched; ReplicaSets are needed only for ownership). A ReplicaSet that no
//!   controller owns is a workload of its own: that one is read in full with a `get`.
//! - A relist (first start, or after `410 Gone`) is routine: objects missing from the new
//!   list are removed.
//! - `403 Forbidden` ends the kind's task (no hot retry loop); its checks become `unknown`.
//! - Other errors mark the kind stale while `default_backoff` retries.

use crate::cluster::ingest::prune_typed;
use crate::cluster::model::{controller_ref, event_time};
use crate::cluster::object::{KindVisitor, TypedObject};
use crate::cluster::{Entry, Kind, Msg, Object, ObjectKey};
use chrono::{DateTime, Utc};
use futures::stream::{BoxStream, StreamExt};
use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::{ClusterResourceScope, NamespaceResourceScope};
use kube::api::{ListParams, PartialObjectMeta};
use kube::runtime::{watcher, WatchStreamExt};
use kube::{Api, Client, Resource};
use std::collections::{BTreeSet, HashMap, HashSet};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// Objects per list page: small pages keep the API server's and our memory spikes small. A
/// page is held whole three times over while it is read (the body, its copy as text, the typed
/// objects with their managedFields); 100 pods shaped as a real API server's are 1.4 MB of
/// text, and against pages of 250 the peak of `check` on 10,000 such pods is 19 MB lower at no
/// cost in time (smaller pages lower it no further).
pub const PAGE_SIZE: u32 = 100;
/// Warning events kept at most (the newest win).
pub const EVENT_RETENTION: usize = 2_000;
/// Warning events older than this (by last occurrence) are not kept.
pub const EVENT_MAX_AGE_MINUTES: i64 = 60;

/// How a kind is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadMode {
    Full,
    /// `PartialObjectMetadata` only: no spec, no data.
    Metadata,
}

pub fn read_mode(kind: Kind) -> ReadMode {
    match kind {
        Kind::Secret | Kind::ConfigMap | Kind::ReplicaSet => ReadMode::Metadata,
        _ => ReadMode::Full,
    }
}

type ObjectEvents = BoxStream<'static, Result<watcher::Event<Object>, watcher::Error>>;

/// Starts the watcher task of each of `kinds`.
pub fn spawn_kinds(
    client: &Client,
    namespaces: &[String],
    kinds: &[Kind],
    tx: &UnboundedSender<Msg>,
) -> Vec<JoinHandle<()>> {
    kinds
        .iter()
        .map(|&kind| spawn_kind(kind, client, namespaces, tx.clone()))
        .collect()
}

fn spawn_kind(
    kind: Kind,
    client: &Client,
    namespaces: &[String],
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    kind.visit(Spawn {
        client,
        namespaces,
        tx,
    })
}

/// Starts one kind's watcher with its typed object, over the namespaces asked for or, for a
/// cluster-scoped kind, over the cluster.
struct Spawn<'a> {
    client: &'a Client,
    namespaces: &'a [String],
    tx: UnboundedSender<Msg>,
}

impl KindVisitor for Spawn<'_> {
    type Output = JoinHandle<()>;

    fn namespaced<K>(self, kind: Kind) -> JoinHandle<()>
    where
        K: TypedObject + Resource<Scope = NamespaceResourceScope>,
    {
        let (c, ns) = (self.client, self.namespaces);
        tokio::spawn(run_kind::<K>(
            kind,
            namespaced_apis(c, ns),
            namespaced_apis(c, ns),
            c.clone(),
            self.tx,
        ))
    }

    fn cluster<K>(self, kind: Kind) -> JoinHandle<()>
    where
        K: TypedObject + Resource<Scope = ClusterResourceScope>,
    {
        let c = self.client;
        tokio::spawn(run_kind::<K>(
            kind,
            vec![Api::all(c.clone())],
            vec![Api::all(c.clone())],
            c.clone(),
            self.tx,
        ))
    }
}

/// One API per watched namespace, or one for all namespaces.
fn namespaced_apis<K>(client: &Client, namespaces: &[String]) -> Vec<Api<K>>
where
    K: Resource<DynamicType = (), Scope = NamespaceResourceScope>,
{
    if namespaces.is_empty() {
        vec![Api::all(client.clone())]
    } else {
        namespaces
            .iter()
            .map(|ns| Api::namespaced(client.clone(), ns))
            .collect()
    }
}

/// The HTTP status behind a kube or watcher error, if the server answered.
pub fn status_code(e: &watcher::Error) -> Option<u16> {
    match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s))
        | watcher::Error::WatchFailed(kube::Error::Api(s)) => Some(s.code),
        watcher::Error::WatchError(s) => Some(s.code),
        _ => None,
    }
}

/// A short, single-line reason for the header ("connection refused", "500: etcd timeout").
pub fn describe(e: &watcher::Error) -> String {
    let inner: &(dyn std::error::Error + 'static) = match e {
        watcher::Error::InitialListFailed(k)
        | watcher::Error::WatchStartFailed(k)
        | watcher::Error::WatchFailed(k) => k,
        other => other,
    };
    match status_code(e) {
        Some(code) => format!("{code}: {}", super::connect::root_cause(inner)),
        None => super::connect::root_cause(inner),
    }
}

/// Probes access with a one-item metadata list per scope, before any watcher starts: a 403
/// must not become a watcher retrying forever, and a kind the server does not serve is not an
/// error. On either, sends what ends the kind (`Forbidden`, or `not_found()` for a 404) and
/// returns false; anything else (a timeout, a 500) is for the watcher's backoff to retry.
pub(super) async fn probe<K>(
    kind: Kind,
    apis: &[Api<K>],
    not_found: impl FnOnce() -> Msg,
    tx: &UnboundedSender<Msg>,
) -> bool
where
    K: Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    for api in apis {
        match api.list_metadata(&ListParams::default().limit(1)).await {
            Err(kube::Error::Api(s)) if s.code == 403 => {
                let _ = tx.send(Msg::Forbidden(kind));
                return false;
            }
            Err(kube::Error::Api(s)) if s.code == 404 => {
                let _ = tx.send(not_found());
                return false;
            }
            _ => {}
        }
    }
    true
}

/// `apis` and `metadata_apis` name the same scopes; which one is watched depends on
/// [`read_mode`].
async fn run_kind<K: TypedObject>(
    kind: Kind,
    apis: Vec<Api<K>>,
    metadata_apis: Vec<Api<PartialObjectMeta<K>>>,
    client: Client,
    tx: UnboundedSender<Msg>,
) {
    let not_served = || {
        Msg::Unavailable(
            kind,
            format!("{} is not served by this API server", kind.api_version()),
        )
    };
    if !probe(kind, &apis, not_served, &tx).await {
        return;
    }
    let mut config = watcher::Config::default().page_size(PAGE_SIZE);
    if kind == Kind::Event {
        config = config.fields("type=Warning");
    }
    let streams: Vec<ObjectEvents> = match read_mode(kind) {
        ReadMode::Full => apis
            .into_iter()
            .map(|api| {
                watcher(api, config.clone())
                    .default_backoff()
                    .map(|r| r.map(|e| map_event(e, Into::into)))
                    .boxed()
            })
            .collect(),
        ReadMode::Metadata => metadata_apis
            .into_iter()
            .map(|api| {
                watcher(api, config.clone())
                    .default_backoff()
                    .map(|r| r.map(|e| map_event(e, metadata_object::<K>)))
                    .boxed()
            })
            .collect(),
    };
    let full_replica_sets = (kind == Kind::ReplicaSet).then_some(client);
    consume(kind, streams, full_replica_sets, tx).await;
}

/// A typed object that carries only the metadata.
fn metadata_object<K: TypedObject>(partial: PartialObjectMeta<K>) -> Object {
    let mut object = K::default();
    *object.meta_mut() = partial.metadata;
    object.into()
}

pub(super) fn map_event<K>(
    event: watcher::Event<K>,
    f: impl Fn(K) -> Object,
) -> watcher::Event<Object> {
    match event {
        watcher::Event::Apply(k) => watcher::Event::Apply(f(k)),
        watcher::Event::Delete(k) => watcher::Event::Delete(f(k)),
        watcher::Event::Init => watcher::Event::Init,
        watcher::Event::InitApply(k) => watcher::Event::InitApply(f(k)),
        watcher::Event::InitDone => watcher::Event::InitDone,
    }
}

/// What one watched scope (a namespace, or all) has delivered.
#[derive(Default)]
struct Scope {
    /// Keys delivered and not deleted: what a relist must account for.
    known: HashSet<(String, String)>,
    /// Keys seen since the current relist began.
    relist: Option<HashSet<(String, String)>>,
    synced: bool,
}

fn key_of(object: &Object) -> (String, String) {
    let meta = object.metadata();
    (
        meta.namespace.clone().unwrap_or_default(),
        meta.name.clone().unwrap_or_default(),
    )
}

pub(super) async fn consume(
    kind: Kind,
    streams: Vec<ObjectEvents>,
    full_replica_sets: Option<Client>,
    tx: UnboundedSender<Msg>,
) {
    let mut scopes: Vec<Scope> = streams.iter().map(|_| Scope::default()).collect();
    let mut all = futures::stream::select_all(
        streams
            .into_iter()
            .enumerate()
            .map(|(i, s)| s.map(move |r| (i, r))),
    );
    let mut down = false;
    let mut retention = EventRetention::default();
    let mut out = Sender {
        kind,
        tx: &tx,
        retention: &mut retention,
        full_replica_sets,
    };
    while let Some((i, result)) = all.next().await {
        let scope = &mut scopes[i];
        match result {
            Ok(watcher::Event::Init) => scope.relist = Some(HashSet::new()),
            Ok(watcher::Event::InitApply(object)) => {
                let key = key_of(&object);
                if out.upsert(object).await {
                    scope.relist.get_or_insert_with(HashSet::new).insert(key);
                }
            }
            Ok(watcher::Event::InitDone) => {
                let seen = scope.relist.take().unwrap_or_default();
                for gone in scope.known.difference(&seen) {
                    out.remove(gone);
                }
                scope.known = seen;
                scope.synced = true;
                if scopes.iter().all(|s| s.synced) {
                    let _ = tx.send(Msg::Synced(kind));
                    down = false;
                }
            }
            Ok(watcher::Event::Apply(object)) => {
                let key = key_of(&object);
                if out.upsert(object).await {
                    scope.known.insert(key);
                } else if scope.known.remove(&key) {
                    out.remove(&key);
                }
                if down && scopes.iter().all(|s| s.synced) {
                    let _ = tx.send(Msg::Synced(kind));
                    down = false;
                }
            }
            Ok(watcher::Event::Delete(object)) => {
                let key = key_of(&object);
                scope.known.remove(&key);
                out.remove(&key);
            }
            Err(e) if status_code(&e) == Some(403) => {
                let _ = tx.send(Msg::Forbidden(kind));
                return;
            }
            // Expired: the watcher relists at once, and the relist settles the store.
            Err(e) if status_code(&e) == Some(410) => {}
            Err(e) => {
                let _ = tx.send(Msg::Error(kind, describe(&e)));
                down = true;
            }
        }
        for gone in out.retention.evicted.drain(..) {
            for s in scopes.iter_mut() {
                s.known.remove(&gone);
            }
            let _ = tx.send(Msg::Remove(ObjectKey {
                kind,
                namespace: gone.0,
                name: gone.1,
            }));
        }
        if tx.is_closed() {
            return;
        }
    }
}

/// Sends one kind's objects to the model, pruned, redacted and filtered.
struct Sender<'a> {
    kind: Kind,
    tx: &'a UnboundedSender<Msg>,
    retention: &'a mut EventRetention,
    full_replica_sets: Option<Client>,
}

impl Sender<'_> {
    /// Returns whether the object was kept.
    async fn upsert(&mut self, mut object: Object) -> bool {
        if let Object::Event(e) = &object {
            if e.type_.as_deref() != Some("Warning") {
                return false;
            }
            let (ns, name) = key_of(&object);
            if !self.retention.admit(ns, name, event_time(e), Utc::now()) {
                return false;
            }
        }
        if let Some(client) = &self.full_replica_sets {
            if let Object::ReplicaSet(rs) = &object {
                if controller_ref(&rs.metadata).is_none() {
                    // A ReplicaSet of its own is graded: its spec is needed after all.
                    let (ns, name) = key_of(&object);
                    match Api::<ReplicaSet>::namespaced(client.clone(), &ns)
                        .get(&name)
                        .await
                    {
                        Ok(full) => object = Object::ReplicaSet(full),
                        // Without its spec it would be graded on an empty template.
                        Err(_) => return false,
                    }
                }
            }
        }
        prune_typed(&mut object);
        let _ = self.tx.send(Msg::Upsert(Box::new(Entry {
            api_version: self.kind.api_version(),
            object,
            origin: None,
        })));
        true
    }

    fn remove(&mut self, key: &(String, String)) {
        if self.kind == Kind::Event {
            self.retention.forget(key);
        }
        let _ = self.tx.send(Msg::Remove(ObjectKey {
            kind: self.kind,
            namespace: key.0.clone(),
            name: key.1.clone(),
        }));
    }
}

/// Keeps the newest [`EVENT_RETENTION`] Warning events of the last [`EVENT_MAX_AGE_MINUTES`].
#[derive(Default)]
pub struct EventRetention {
    by_time: BTreeSet<(DateTime<Utc>, String, String)>,
    time_of: HashMap<(String, String), DateTime<Utc>>,
    /// Keys pushed out by newer events, for the caller to remove from the model.
    pub evicted: Vec<(String, String)>,
}

impl EventRetention {
    /// Records an event; false when it is too old to keep.
    pub fn admit(
        &mut self,
        namespace: String,
        name: String,
        at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> bool {
        let at = at.unwrap_or(now);
        if now - at > chrono::Duration::minutes(EVENT_MAX_AGE_MINUTES) {
            return false;
        }
        let key = (namespace, name);
        self.forget(&key);
        self.by_time.insert((at, key.0.clone(), key.1.clone()));
        self.time_of.insert(key, at);
        while self.by_time.len() > EVENT_RETENTION {
            if let Some((_, ns, name)) = self.by_time.pop_first() {
                self.time_of.remove(&(ns.clone(), name.clone()));
                self.evicted.push((ns, name));
            }
        }
        true
    }

    pub fn forget(&mut self, key: &(String, String)) {
        if let Some(at) = self.time_of.remove(key) {
            self.by_time.remove(&(at, key.0.clone(), key.1.clone()));
        }
    }

    pub fn len(&self) -> usize {
        self.time_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time_of.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_keeps_the_newest_and_drops_the_old() {
        let now = Utc::now();
        let mut r = EventRetention::default();
        assert!(!r.admit(
            "ns".into(),
            "ancient".into(),
            Some(now - chrono::Duration::hours(2)),
            now
        ));
        for i in 0..EVENT_RETENTION + 3 {
            let at = now - chrono::Duration::seconds((EVENT_RETENTION + 3 - i) as i64);
            assert!(r.admit("ns".into(), format!("e{i}"), Some(at), now));
        }
        assert_eq!(r.len(), EVENT_RETENTION);
        assert_eq!(
            r.evicted,
            vec![
                ("ns".to_string(), "e0".to_string()),
                ("ns".to_string(), "e1".to_string()),
                ("ns".to_string(), "e2".to_string()),
            ]
        );
        // An update of a kept event does not count twice.
        assert!(r.admit("ns".into(), "e10".into(), Some(now), now));
        assert_eq!(r.len(), EVENT_RETENTION);
    }

    #[test]
    fn payload_kinds_are_read_as_metadata_only() {
        assert_eq!(read_mode(Kind::Secret), ReadMode::Metadata);
        assert_eq!(read_mode(Kind::ConfigMap), ReadMode::Metadata);
        assert_eq!(read_mode(Kind::ReplicaSet), ReadMode::Metadata);
        assert_eq!(read_mode(Kind::Pod), ReadMode::Full);
    }
}
