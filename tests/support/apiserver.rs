//! An API server on loopback that speaks the Kubernetes list/watch wire format, for tests and
//! benchmarks of the live path.
//!
//! It serves any resource path (`/api/v1/...`, `/apis/{group}/{version}/...`), cluster-wide and
//! per namespace: lists with `resourceVersion`, `limit` and `continue`; `get` by name; watches
//! from a resourceVersion with ADDED, MODIFIED, DELETED and BOOKMARK events; `410 Gone` (as a
//! watch ERROR event) when the resourceVersion was compacted away; `403 Forbidden` for chosen
//! resources; metadata-only answers (`as=PartialObjectMetadata[List]`); the `type=` and
//! `metadata.name=` field selectors. It can go away (every connection dropped, the port
//! closed) and come back on the same port. Every request is logged.
#![allow(dead_code)]

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc};
use tokio::task::AbortHandle;

type Body = BoxBody<Bytes, Infallible>;

/// A resource: `("", "v1", "pods")`, `("apps", "v1", "deployments")`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Resource {
    pub group: String,
    pub version: String,
    pub plural: String,
}

impl Resource {
    pub fn of_kind(kind: shipshape::cluster::Kind) -> Resource {
        Resource {
            group: kind.group().into(),
            version: kind.version().into(),
            plural: kind.plural().into(),
        }
    }

    fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

#[derive(Clone, Debug)]
struct Change {
    rv: u64,
    resource: Resource,
    namespace: String,
    type_: &'static str,
    object: Value,
}

/// One logged request.
#[derive(Clone, Debug)]
pub struct Logged {
    pub method: Method,
    pub uri: String,
    pub accept: String,
    pub user_agent: String,
}

#[derive(Default)]
struct State {
    rv: u64,
    /// (resource, namespace, name) → object with apiVersion and kind.
    objects: BTreeMap<(Resource, String, String), Value>,
    changes: Vec<Change>,
    /// Watches from a resourceVersion below this get `410 Gone`.
    compacted: u64,
    forbidden: HashSet<String>,
    /// Resources this server does not serve at all (an older API server): 404.
    unserved: HashSet<String>,
    /// API groups left out of discovery (`/apis`), as a cluster without that add-on.
    unserved_groups: HashSet<String>,
    /// API groups served at other versions than the ones shipshape's typed objects name
    /// (the Gateway API at `v1beta1` only), preferred first.
    group_versions: BTreeMap<String, Vec<String>>,
    requests: Vec<Logged>,
    /// How long a list takes to serve, cumulated (for the live benchmark).
    list_time: Duration,
    /// `pods/log` answers by (namespace, pod, container, previous).
    logs: BTreeMap<(String, String, String, bool), LogAnswer>,
}

/// What `GET pods/{name}/log` answers for one container instance.
#[derive(Clone, Debug)]
pub enum LogAnswer {
    Text(String),
    /// An error status: code and message (403 forbidden, 400 a gone instance, 500 a kubelet
    /// that cannot be reached).
    Status(u16, String),
    /// The text, after this long.
    Slow(Duration, String),
}

struct Inner {
    state: Mutex<State>,
    changes: broadcast::Sender<Change>,
    connections: Mutex<Vec<AbortHandle>>,
    bookmark_every: Duration,
}

/// The server; dropping it stops it.
pub struct ApiServer {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        self.stop();
    }
}

impl ApiServer {
    /// Starts on a free loopback port.
    pub async fn start() -> ApiServer {
        ApiServer::start_on(0).await
    }

    /// Starts on this loopback port (0 for a free one).
    pub async fn start_on(port: u16) -> ApiServer {
        let (changes, _) = broadcast::channel(65_536);
        let inner = Arc::new(Inner {
            state: Mutex::new(State {
                rv: 1,
                ..Default::default()
            }),
            changes,
            connections: Mutex::new(Vec::new()),
            bookmark_every: Duration::from_millis(500),
        });
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap_or_else(|e| panic!("cannot listen on 127.0.0.1:{port}: {e}"));
        let addr = listener.local_addr().unwrap();
        let server = ApiServer { addr, inner };
        server.serve(listener);
        server
    }

    fn serve(&self, listener: TcpListener) {
        let inner = self.inner.clone();
        let accept = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    break;
                };
                let inner2 = inner.clone();
                let conn = tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let inner = inner2.clone();
                        async move { Ok::<_, Infallible>(handle(&inner, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
                inner.connections.lock().unwrap().push(conn.abort_handle());
            }
        });
        self.inner
            .connections
            .lock()
            .unwrap()
            .push(accept.abort_handle());
    }

    /// Goes away: the port closes and every open connection (watches included) drops.
    pub fn stop(&self) {
        for c in self.inner.connections.lock().unwrap().drain(..) {
            c.abort();
        }
    }

    /// Comes back on the same port. When `lost_history` is set the restarted server cannot
    /// resume old watches (they get `410 Gone` and relist), like an API server whose watch
    /// cache was lost.
    pub async fn restart(&self, lost_history: bool) {
        if lost_history {
            self.compact();
        }
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(e) => panic!("cannot rebind {}: {e}", self.addr),
            }
        };
        self.serve(listener);
    }

    /// Forgets the change history: watches from older resourceVersions get `410 Gone`.
    pub fn compact(&self) {
        let mut st = self.inner.state.lock().unwrap();
        st.compacted = st.rv + 1;
        st.changes.clear();
    }

    /// Drops every open connection (watches included) but keeps serving.
    pub fn drop_connections(&self) {
        let mut conns = self.inner.connections.lock().unwrap();
        // The first handle is the accept loop of the current listener; keep it.
        let accept = conns.remove(0);
        for c in conns.drain(..) {
            c.abort();
        }
        conns.push(accept);
    }

    /// Answers `403 Forbidden` for this resource plural from now on.
    /// Serves `pods/log` for one container instance (`previous` for the one before).
    pub fn serve_log(
        &self,
        namespace: &str,
        pod: &str,
        container: &str,
        previous: bool,
        answer: LogAnswer,
    ) {
        self.inner.state.lock().unwrap().logs.insert(
            (namespace.into(), pod.into(), container.into(), previous),
            answer,
        );
    }

    pub fn forbid(&self, plural: &str) {
        self.inner
            .state
            .lock()
            .unwrap()
            .forbidden
            .insert(plural.to_string());
    }

    /// Answers `404 Not Found` for this resource plural, as a server that does not serve it.
    pub fn unserve(&self, plural: &str) {
        self.inner
            .state
            .lock()
            .unwrap()
            .unserved
            .insert(plural.to_string());
    }

    /// Leaves an API group out of discovery (`/apis`) and answers `404` for its resources,
    /// as a cluster where that add-on (Argo Rollouts, KEDA, …) is not installed.
    pub fn unserve_group(&self, group: &str) {
        self.inner
            .state
            .lock()
            .unwrap()
            .unserved_groups
            .insert(group.to_string());
    }

    /// Serves an API group at these versions only (preferred first) in discovery and its
    /// resource paths, as a cluster with an older release of that add-on; an object applied
    /// in one of them is served at that version. A group discovery leaves out by default
    /// (Prometheus Operator, Velero, Karpenter, Kyverno, …) is served from then on, as a
    /// cluster with that add-on installed.
    pub fn serve_group_at(&self, group: &str, versions: &[&str]) {
        self.inner.state.lock().unwrap().group_versions.insert(
            group.to_string(),
            versions.iter().map(|v| v.to_string()).collect(),
        );
    }

    /// Creates or replaces an object (by its apiVersion/kind/namespace/name) and tells watchers.
    pub fn apply(&self, mut object: Value) {
        let kind_name = object["kind"].as_str().unwrap_or_default().to_string();
        let kind = shipshape::cluster::Kind::every()
            .find(|k| k.name() == kind_name)
            .unwrap_or_else(|| panic!("unmodelled kind {kind_name}"));
        let mut resource = Resource::of_kind(kind);
        let written = object["apiVersion"].as_str().unwrap_or_default();
        let written = written.rsplit('/').next().unwrap_or_default().to_string();
        if let Some(versions) = self
            .inner
            .state
            .lock()
            .unwrap()
            .group_versions
            .get(kind.group())
        {
            if versions.contains(&written) {
                resource.version = written;
            }
        }
        let namespace = object["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let name = object["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut st = self.inner.state.lock().unwrap();
        st.rv += 1;
        let rv = st.rv;
        let meta = object["metadata"].as_object_mut().unwrap();
        meta.insert("resourceVersion".into(), json!(rv.to_string()));
        meta.entry("uid")
            .or_insert_with(|| json!(format!("uid-{}-{namespace}-{name}", kind.plural())));
        let key = (resource.clone(), namespace.clone(), name);
        let type_ = if st.objects.contains_key(&key) {
            "MODIFIED"
        } else {
            "ADDED"
        };
        st.objects.insert(key, object.clone());
        self.record(&mut st, rv, resource, namespace, type_, object);
    }

    /// Applies every item of a `kind: List` (e.g. [`shipshape::synthetic::cluster_list`]).
    pub fn apply_list(&self, list: Value) {
        let Value::Object(mut list) = list else {
            panic!("not a List");
        };
        let Some(Value::Array(items)) = list.remove("items") else {
            panic!("a List without items");
        };
        for item in items {
            self.apply(item);
        }
    }

    /// Deletes an object and tells watchers.
    pub fn delete(&self, kind: shipshape::cluster::Kind, namespace: &str, name: &str) {
        let mut st = self.inner.state.lock().unwrap();
        // The object may be served at another version of its group (`serve_group_at`).
        let resource = st
            .objects
            .keys()
            .find(|(r, ns, n)| {
                r.group == kind.group() && r.plural == kind.plural() && ns == namespace && n == name
            })
            .map(|(r, _, _)| r.clone())
            .unwrap_or_else(|| Resource::of_kind(kind));
        let key = (resource.clone(), namespace.to_string(), name.to_string());
        let Some(mut object) = st.objects.remove(&key) else {
            return;
        };
        st.rv += 1;
        let rv = st.rv;
        object["metadata"]["resourceVersion"] = json!(rv.to_string());
        self.record(
            &mut st,
            rv,
            resource,
            namespace.to_string(),
            "DELETED",
            object,
        );
    }

    /// Removes an object without telling watchers (as if the DELETED event was missed while
    /// disconnected); only a relist shows it gone.
    pub fn delete_silently(&self, kind: shipshape::cluster::Kind, namespace: &str, name: &str) {
        let mut st = self.inner.state.lock().unwrap();
        st.rv += 1;
        st.objects.remove(&(
            Resource::of_kind(kind),
            namespace.to_string(),
            name.to_string(),
        ));
    }

    fn record(
        &self,
        st: &mut State,
        rv: u64,
        resource: Resource,
        namespace: String,
        type_: &'static str,
        object: Value,
    ) {
        let change = Change {
            rv,
            resource,
            namespace,
            type_,
            object,
        };
        st.changes.push(change.clone());
        let _ = self.inner.changes.send(change);
    }

    pub fn get(
        &self,
        kind: shipshape::cluster::Kind,
        namespace: &str,
        name: &str,
    ) -> Option<Value> {
        self.inner
            .state
            .lock()
            .unwrap()
            .objects
            .get(&(
                Resource::of_kind(kind),
                namespace.to_string(),
                name.to_string(),
            ))
            .cloned()
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Logged> {
        self.inner.state.lock().unwrap().requests.clone()
    }

    /// Time spent building list responses so far.
    pub fn list_time(&self) -> Duration {
        self.inner.state.lock().unwrap().list_time
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Writes a kubeconfig with one context, `loopback`, pointing at this server.
    pub fn kubeconfig(&self, dir: &Path) -> PathBuf {
        let path = dir.join("kubeconfig");
        std::fs::write(&path, self.kubeconfig_text()).unwrap();
        path
    }

    /// A kubeconfig with one context, `loopback`, pointing at this server.
    pub fn kubeconfig_text(&self) -> String {
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: loopback\n  cluster:\n    server: {}\nusers:\n- name: reader\n  user:\n    token: test-token\ncontexts:\n- name: loopback\n  context:\n    cluster: loopback\n    user: reader\ncurrent-context: loopback\n",
            self.url()
        )
    }
}

fn status(code: u16, reason: &str, message: &str) -> Value {
    json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {},
        "status": "Failure", "message": message, "reason": reason, "code": code
    })
}

fn respond(code: StatusCode, body: &Value) -> Response<Body> {
    Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())).boxed())
        .unwrap()
}

/// What a path names.
struct Target {
    resource: Resource,
    namespace: Option<String>,
    name: Option<String>,
}

fn parse_path(path: &str) -> Option<Target> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, version, rest) = match segs.as_slice() {
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return None,
    };
    let (namespace, plural, name) = match rest {
        ["namespaces", ns, plural] => (Some(ns.to_string()), *plural, None),
        ["namespaces", ns, plural, name] => (Some(ns.to_string()), *plural, Some(name.to_string())),
        [plural] => (None, *plural, None),
        [plural, name] => (None, *plural, Some(name.to_string())),
        _ => return None,
    };
    Some(Target {
        resource: Resource {
            group: group.into(),
            version: version.into(),
            plural: plural.into(),
        },
        namespace,
        name,
    })
}

fn query(uri: &hyper::Uri) -> BTreeMap<String, String> {
    uri.query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), decode(v)))
        .collect()
}

fn decode(v: &str) -> String {
    let mut out = Vec::new();
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(n) = u8::from_str_radix(&v[i + 1..i + 3], 16) {
                out.push(n);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `type=Warning`, `metadata.name=x`: the selectors shipshape and kube-rs send.
fn field_selected(object: &Value, selector: Option<&String>) -> bool {
    let Some(sel) = selector.filter(|s| !s.is_empty()) else {
        return true;
    };
    sel.split(',').all(|term| match term.split_once('=') {
        Some(("type", want)) => object["type"].as_str() == Some(want),
        Some(("metadata.name", want)) => object["metadata"]["name"].as_str() == Some(want),
        _ => true,
    })
}

fn as_metadata(object: &Value) -> Value {
    json!({
        "apiVersion": "meta.k8s.io/v1",
        "kind": "PartialObjectMetadata",
        "metadata": object["metadata"].clone(),
    })
}

fn list_kind(object_kind: &str) -> String {
    format!("{object_kind}List")
}

async fn handle(inner: &Arc<Inner>, req: Request<Incoming>) -> Response<Body> {
    let accept = req
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let user_agent = req
        .headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    inner.state.lock().unwrap().requests.push(Logged {
        method: req.method().clone(),
        uri: req.uri().to_string(),
        accept: accept.clone(),
        user_agent,
    });
    if req.method() != Method::GET {
        return respond(
            StatusCode::METHOD_NOT_ALLOWED,
            &status(405, "MethodNotAllowed", "this server only reads"),
        );
    }
    let path = req.uri().path().to_string();
    match path.as_str() {
        "/version" => {
            return respond(
                StatusCode::OK,
                &json!({
                    "major": "1", "minor": "37", "gitVersion": "v1.37.0",
                    "gitCommit": "0", "gitTreeState": "clean", "buildDate": "2026-08-01T00:00:00Z",
                    "goVersion": "go1.26", "compiler": "gc", "platform": "linux/amd64"
                }),
            )
        }
        "/apis" => {
            let unserved = inner.state.lock().unwrap().unserved_groups.clone();
            let overridden = inner.state.lock().unwrap().group_versions.clone();
            let groups: Vec<Value> = [
                "apps",
                "batch",
                "networking.k8s.io",
                "policy",
                "autoscaling",
                "scheduling.k8s.io",
                "storage.k8s.io",
                "metrics.k8s.io",
                "argoproj.io",
                "keda.sh",
                "gateway.networking.k8s.io",
                "cert-manager.io",
                "admissionregistration.k8s.io",
            ]
            .iter()
            .copied()
            // A group `serve_group_at` names is served too: an add-on installed on this cluster.
            .chain(overridden.keys().map(String::as_str))
            .fold(Vec::new(), |mut seen: Vec<&str>, g| {
                if !seen.contains(&g) {
                    seen.push(g);
                }
                seen
            })
            .iter()
            .filter(|g| !unserved.contains(**g))
            .map(|g| {
                let versions: Vec<String> = overridden.get(*g).cloned().unwrap_or_else(|| {
                    vec![match *g {
                        "autoscaling" => "v2",
                        "metrics.k8s.io" => "v1beta1",
                        "argoproj.io" | "keda.sh" => "v1alpha1",
                        _ => "v1",
                    }
                    .to_string()]
                });
                let listed: Vec<Value> = versions
                    .iter()
                    .map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
                    .collect();
                json!({"name": g, "versions": listed, "preferredVersion": listed[0]})
            })
            .collect();
            return respond(
                StatusCode::OK,
                &json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
            );
        }
        _ => {}
    }
    if let Some(answer) = pod_log(inner, &path, req.uri()) {
        return answer.await;
    }
    if let Some(answer) = group_version_resources(inner, &path) {
        return answer;
    }
    let Some(target) = parse_path(&path) else {
        return respond(
            StatusCode::NOT_FOUND,
            &status(
                404,
                "NotFound",
                "the server could not find the requested resource",
            ),
        );
    };
    let wrong_version = inner
        .state
        .lock()
        .unwrap()
        .group_versions
        .get(&target.resource.group)
        .is_some_and(|vs| !vs.contains(&target.resource.version));
    if wrong_version
        || inner
            .state
            .lock()
            .unwrap()
            .unserved
            .contains(&target.resource.plural)
        || inner
            .state
            .lock()
            .unwrap()
            .unserved_groups
            .contains(&target.resource.group)
    {
        return respond(
            StatusCode::NOT_FOUND,
            &status(
                404,
                "NotFound",
                "the server could not find the requested resource",
            ),
        );
    }
    let q = query(req.uri());
    let metadata_only = accept.contains("as=PartialObjectMetadata");
    if inner
        .state
        .lock()
        .unwrap()
        .forbidden
        .contains(&target.resource.plural)
    {
        let scope = match &target.namespace {
            Some(ns) => format!("in the namespace \"{ns}\""),
            None => "at the cluster scope".into(),
        };
        let message = format!(
            "{plural} is forbidden: User \"system:serviceaccount:ops:shipshape\" cannot list resource \"{plural}\" in API group \"{group}\" {scope}",
            plural = target.resource.plural,
            group = target.resource.group,
        );
        return respond(StatusCode::FORBIDDEN, &status(403, "Forbidden", &message));
    }
    if let Some(name) = &target.name {
        let st = inner.state.lock().unwrap();
        let key = (
            target.resource.clone(),
            target.namespace.clone().unwrap_or_default(),
            name.clone(),
        );
        return match st.objects.get(&key) {
            Some(o) if metadata_only => respond(StatusCode::OK, &as_metadata(o)),
            Some(o) => respond(StatusCode::OK, o),
            None => respond(
                StatusCode::NOT_FOUND,
                &status(
                    404,
                    "NotFound",
                    &format!("{} \"{name}\" not found", target.resource.plural),
                ),
            ),
        };
    }
    if q.get("watch").is_some_and(|w| w == "true" || w == "1") {
        return watch(inner, target, q, metadata_only);
    }
    list(inner, target, q, metadata_only)
}

/// `/apis/{group}/{version}`, for a group served at several versions (`serve_group_at`): the
/// modelled kinds of the group that version serves, as an `APIResourceList`.
fn group_version_resources(inner: &Arc<Inner>, path: &str) -> Option<Response<Body>> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let ["apis", group, version] = segs.as_slice() else {
        return None;
    };
    let st = inner.state.lock().unwrap();
    let versions = st.group_versions.get(*group)?;
    if !versions.iter().any(|v| v == version) || st.unserved_groups.contains(*group) {
        return Some(respond(
            StatusCode::NOT_FOUND,
            &status(
                404,
                "NotFound",
                "the server could not find the requested resource",
            ),
        ));
    }
    let resources: Vec<Value> = shipshape::cluster::Kind::ALL
        .iter()
        .filter(|k| k.group() == *group && !st.unserved.contains(k.plural()))
        .map(|k| {
            json!({"name": k.plural(), "singularName": "", "namespaced": k.namespaced(),
                   "kind": k.name(), "verbs": ["get", "list", "watch"]})
        })
        .collect();
    Some(respond(
        StatusCode::OK,
        &json!({"kind": "APIResourceList", "apiVersion": "v1",
                "groupVersion": format!("{group}/{version}"), "resources": resources}),
    ))
}

fn in_scope(target: &Target, resource: &Resource, namespace: &str) -> bool {
    *resource == target.resource && target.namespace.as_deref().is_none_or(|ns| ns == namespace)
}

fn list(
    inner: &Arc<Inner>,
    target: Target,
    q: BTreeMap<String, String>,
    metadata_only: bool,
) -> Response<Body> {
    let started = std::time::Instant::now();
    let mut st = inner.state.lock().unwrap();
    let limit: usize = q
        .get("limit")
        .and_then(|l| l.parse().ok())
        .filter(|l| *l > 0)
        .unwrap_or(usize::MAX);
    // continue = "<list rv>/<namespace>/<name>" of the last item sent.
    let (list_rv, after) = match q.get("continue").filter(|c| !c.is_empty()) {
        Some(token) => {
            let mut parts = token.splitn(3, '/');
            let rv = parts.next().unwrap_or_default().to_string();
            let ns = parts.next().unwrap_or_default().to_string();
            let name = parts.next().unwrap_or_default().to_string();
            (rv, Some((ns, name)))
        }
        None => (st.rv.to_string(), None),
    };
    let selector = q.get("fieldSelector");
    let mut items = Vec::new();
    let mut last = None;
    let mut more = false;
    // Objects are sorted by (resource, namespace, name): a page is one seek and a short walk,
    // as from a real API server's watch cache, so list timings are not inflated by the scan.
    let first = (target.resource.clone(), String::new(), String::new());
    let object_kind = st
        .objects
        .range(first.clone()..)
        .next()
        .filter(|((r, _, _), _)| *r == target.resource)
        .and_then(|(_, o)| o["kind"].as_str().map(str::to_string))
        .unwrap_or_else(|| "Object".into());
    let start = match (&after, &target.namespace) {
        (Some((ns, name)), _) => (target.resource.clone(), ns.clone(), name.clone()),
        (None, Some(ns)) => (target.resource.clone(), ns.clone(), String::new()),
        (None, None) => first,
    };
    for ((resource, ns, name), object) in st.objects.range(start..) {
        if *resource != target.resource || target.namespace.as_ref().is_some_and(|want| want != ns)
        {
            break;
        }
        if !field_selected(object, selector) {
            continue;
        }
        if let Some(after) = &after {
            if (ns, name) <= (&after.0, &after.1) {
                continue;
            }
        }
        if items.len() == limit {
            more = true;
            break;
        }
        let mut item = if metadata_only {
            as_metadata(object)
        } else {
            object.clone()
        };
        if !metadata_only {
            // Real list responses leave out the items' apiVersion and kind.
            let o = item.as_object_mut().unwrap();
            o.remove("apiVersion");
            o.remove("kind");
        }
        items.push(item);
        last = Some((ns.clone(), name.clone()));
    }
    let mut meta = json!({"resourceVersion": list_rv});
    if more {
        if let Some((ns, name)) = last {
            meta["continue"] = json!(format!("{list_rv}/{ns}/{name}"));
        }
    }
    let (api_version, kind) = if metadata_only {
        (
            "meta.k8s.io/v1".to_string(),
            "PartialObjectMetadataList".to_string(),
        )
    } else {
        (target.resource.api_version(), list_kind(&object_kind))
    };
    let body = json!({"apiVersion": api_version, "kind": kind, "metadata": meta, "items": items});
    let response = respond(StatusCode::OK, &body);
    st.list_time += started.elapsed();
    response
}

fn watch(
    inner: &Arc<Inner>,
    target: Target,
    q: BTreeMap<String, String>,
    metadata_only: bool,
) -> Response<Body> {
    let from: u64 = q
        .get("resourceVersion")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let bookmarks = q.get("allowWatchBookmarks").is_some_and(|b| b == "true");
    let selector = q.get("fieldSelector").cloned();
    let (tx, rx) = mpsc::channel::<Bytes>(1024);
    let line = |type_: &str, object: Value| {
        let mut s = json!({"type": type_, "object": object}).to_string();
        s.push('\n');
        Bytes::from(s)
    };
    // Backlog and subscription under one lock, so no change falls between them.
    let (backlog, mut live, gone, rv_now) = {
        let st = inner.state.lock().unwrap();
        let gone = from != 0 && from < st.compacted;
        let backlog: Vec<Change> = st
            .changes
            .iter()
            .filter(|c| c.rv > from && in_scope(&target, &c.resource, &c.namespace))
            .cloned()
            .collect();
        (backlog, inner.changes.subscribe(), gone, st.rv)
    };
    let bookmark_every = inner.bookmark_every;
    let object_kind_of = |o: &Value| o["kind"].as_str().unwrap_or("Object").to_string();
    tokio::spawn(async move {
        if gone {
            let _ = tx
                .send(line(
                    "ERROR",
                    status(
                        410,
                        "Expired",
                        &format!("too old resource version: {from} ({rv_now})"),
                    ),
                ))
                .await;
            return;
        }
        let render = |c: &Change| -> Option<Bytes> {
            if !field_selected(&c.object, selector.as_ref()) {
                return None;
            }
            let object = if metadata_only {
                as_metadata(&c.object)
            } else {
                c.object.clone()
            };
            Some(line(c.type_, object))
        };
        let mut last_rv = from;
        let mut kind = String::from("Object");
        for c in &backlog {
            kind = object_kind_of(&c.object);
            last_rv = c.rv;
            if let Some(b) = render(c) {
                if tx.send(b).await.is_err() {
                    return;
                }
            }
        }
        let mut tick = tokio::time::interval(bookmark_every);
        loop {
            tokio::select! {
                change = live.recv() => {
                    let Ok(c) = change else { return };
                    if c.rv <= last_rv || !in_scope(&target, &c.resource, &c.namespace) {
                        continue;
                    }
                    kind = object_kind_of(&c.object);
                    last_rv = c.rv;
                    if let Some(b) = render(&c) {
                        if tx.send(b).await.is_err() {
                            return;
                        }
                    }
                }
                _ = tick.tick(), if bookmarks => {
                    let (api_version, k) = if metadata_only {
                        ("meta.k8s.io/v1".to_string(), "PartialObjectMetadata".to_string())
                    } else {
                        (target.resource.api_version(), kind.clone())
                    };
                    let object = json!({"apiVersion": api_version, "kind": k,
                                        "metadata": {"resourceVersion": last_rv.max(rv_now).to_string()}});
                    if tx.send(line("BOOKMARK", object)).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|b| (Ok::<_, Infallible>(Frame::data(b)), rx))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/json")
        .body(BodyExt::boxed(StreamBody::new(stream)))
        .unwrap()
}

/// `GET /api/v1/namespaces/{ns}/pods/{name}/log?container=..&previous=..`: the answer served
/// for that instance, 403 when `pods/log` is forbidden, 400 for an instance with no answer
/// (the API server's words for a container or previous instance that is not there).
fn pod_log(
    inner: &Arc<Inner>,
    path: &str,
    uri: &hyper::Uri,
) -> Option<impl std::future::Future<Output = Response<Body>>> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let ["api", "v1", "namespaces", ns, "pods", pod, "log"] = segs.as_slice() else {
        return None;
    };
    let q = query(uri);
    let container = q.get("container").cloned().unwrap_or_default();
    let previous = q.get("previous").is_some_and(|p| p == "true");
    let st = inner.state.lock().unwrap();
    let answer = if st.forbidden.contains("pods/log") {
        LogAnswer::Status(
            403,
            format!("pods \"{pod}\" is forbidden: User \"system:serviceaccount:ops:shipshape\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"{ns}\""),
        )
    } else {
        match st
            .logs
            .get(&(ns.to_string(), pod.to_string(), container.clone(), previous))
        {
            Some(a) => a.clone(),
            None if previous => LogAnswer::Status(
                400,
                format!("previous terminated container \"{container}\" in pod \"{pod}\" not found"),
            ),
            None => LogAnswer::Status(
                400,
                format!("container {container} is not valid for pod {pod}"),
            ),
        }
    };
    drop(st);
    let text = |body: String| {
        Response::builder()
            .status(StatusCode::OK)
            .header("content-type", "text/plain")
            .body(Full::new(Bytes::from(body)).boxed())
            .unwrap()
    };
    Some(async move {
        match answer {
            LogAnswer::Text(t) => text(t),
            LogAnswer::Slow(wait, t) => {
                tokio::time::sleep(wait).await;
                text(t)
            }
            LogAnswer::Status(code, message) => {
                let reason = match code {
                    403 => "Forbidden",
                    400 => "BadRequest",
                    404 => "NotFound",
                    _ => "InternalError",
                };
                respond(
                    StatusCode::from_u16(code).unwrap(),
                    &status(code, reason, &message),
                )
            }
        }
    })
}
