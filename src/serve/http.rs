//! The exporter's HTTP side: routing (a pure function of the request line and the published
//! snapshots) and the connection loop. Only GET and HEAD are served; requests are bounded in
//! header size and time, bodies are refused, and connections are capped.

use super::metrics::{self, MetricsOptions};
use super::snapshot::{Job, Published, Snapshot};
use crate::report::render::ReportFormat;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Connections served at once; further ones wait in the listen backlog.
pub const MAX_CONNECTIONS: usize = 64;
/// The most bytes of request line and headers read (hyper's smallest allowed buffer).
pub const MAX_HEADER_BYTES: usize = 8 * 1024;
/// How long a client may take to send its request headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest a connection is kept, keep-alive included: a slow client cannot hold a slot.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(300);

/// One followed cluster: its latest snapshot, and the way to its engine loop.
pub struct Cluster {
    pub name: String,
    pub published: Arc<Published>,
    pub jobs: tokio::sync::mpsc::Sender<Job>,
}

impl Cluster {
    /// Runs `f` on the cluster's engine between two batches of messages; `None` when the
    /// loop has more waiting than it takes ([`super::snapshot::JOBS_QUEUED`]).
    async fn with_engine<T: Send + 'static>(
        &self,
        f: impl FnOnce(&crate::engine::Engine) -> T + Send + 'static,
    ) -> Option<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |engine| {
            let _ = tx.send(f(engine));
        });
        self.jobs.try_send(job).ok()?;
        rx.await.ok()
    }
}

/// What the routes read.
pub struct State {
    pub clusters: Vec<Cluster>,
    pub metrics: MetricsOptions,
}

impl State {
    fn snapshots(&self) -> Vec<Arc<Snapshot>> {
        self.clusters.iter().map(|c| c.published.get()).collect()
    }
}

/// A response before it becomes bytes.
#[derive(Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

fn text(status: u16, body: impl Into<String>) -> Reply {
    Reply {
        status,
        content_type: "text/plain; charset=utf-8",
        body: body.into(),
    }
}

/// The content type of the text exposition format.
pub const METRICS_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Answers a request for `path` (the query, if any, is ignored).
pub async fn route(method: &Method, path: &str, has_body: bool, state: &State) -> Reply {
    if method != Method::GET && method != Method::HEAD {
        return text(405, "only GET and HEAD are served\n");
    }
    if has_body {
        return text(413, "requests carry no body here\n");
    }
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    match path {
        "/metrics" => {
            let snapshots = state.snapshots();
            let refs: Vec<&Snapshot> = snapshots.iter().map(|s| s.as_ref()).collect();
            let grading: Vec<bool> = state
                .clusters
                .iter()
                .map(|c| c.published.grading())
                .collect();
            Reply {
                status: 200,
                content_type: METRICS_TYPE,
                body: metrics::render(&refs, &grading, state.metrics, SystemTime::now()),
            }
        }
        "/healthz" => text(200, "ok\n"),
        "/readyz" => {
            let reasons: Vec<String> = state
                .snapshots()
                .iter()
                .flat_map(|s| s.not_ready())
                .collect();
            if reasons.is_empty() {
                text(200, "ok\n")
            } else {
                // Names and errors from the cluster are shown to people reading probes.
                let mut body = String::from("not ready:\n");
                for r in reasons {
                    body.push_str(&crate::text::safe(&r));
                    body.push('\n');
                }
                text(503, body)
            }
        }
        "/report.json" => report(state, query, ReportFormat::Json, "application/json").await,
        "/report.html" => {
            report(state, query, ReportFormat::Html, "text/html; charset=utf-8").await
        }
        "/" => text(
            200,
            "shipshape exporter: /metrics /healthz /readyz /report.json /report.html\n",
        ),
        _ => text(404, "not found; try /metrics\n"),
    }
}

/// `cluster=NAME` from a query string, percent-decoded.
fn cluster_param(query: &str) -> Option<String> {
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("cluster="))?;
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// One cluster's report; with several clusters and none named, the fleet document (JSON) or
/// an index of the clusters' reports (HTML).
async fn report(
    state: &State,
    query: &str,
    format: ReportFormat,
    content_type: &'static str,
) -> Reply {
    let chosen: Vec<&Cluster> = match cluster_param(query) {
        Some(name) => state.clusters.iter().filter(|c| c.name == name).collect(),
        None => state.clusters.iter().collect(),
    };
    let busy = || text(503, "busy building other reports; retry shortly\n");
    let body = match (chosen.as_slice(), format) {
        ([], _) => {
            return text(
                404,
                "no such cluster; /metrics names them in the cluster label\n",
            )
        }
        ([one], _) => {
            let render = move |e: &crate::engine::Engine| {
                crate::report::render::render_report(format, e.model(), e.grades())
            };
            match one.with_engine(render).await {
                Some(body) => body,
                None => return busy(),
            }
        }
        (many, ReportFormat::Json) => {
            let mut members = Vec::new();
            for c in many {
                let name = c.name.clone();
                let member = move |e: &crate::engine::Engine| match &e.model().source_problem {
                    // Never connected: nothing was read.
                    Some(problem) if e.grades().workloads.is_empty() => {
                        crate::report::fleet::Member::failed(&name, problem)
                    }
                    _ => crate::report::fleet::Member::read(&name, e.model(), e.grades()),
                };
                match c.with_engine(member).await {
                    Some(m) => members.push(m),
                    None => return busy(),
                }
            }
            crate::report::json_text::pretty(&crate::report::fleet::document(members))
        }
        (many, _) => {
            use crate::report::html::esc;
            let mut page = String::from(
                "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>shipshape fleet</title></head><body>\n<h1>Clusters</h1>\n<ul>\n",
            );
            for c in many {
                let href: String = c
                    .name
                    .bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect();
                page.push_str(&format!(
                    "<li><a href=\"/report.html?cluster={href}\">{}</a></li>\n",
                    esc(&c.name)
                ));
            }
            page.push_str("</ul>\n</body></html>\n");
            page
        }
    };
    Reply {
        status: 200,
        content_type,
        body,
    }
}

fn into_response(reply: Reply) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", reply.content_type)
        .header("cache-control", "no-store")
        .header("x-content-type-options", "nosniff");
    if reply.status == 405 {
        builder = builder.header("allow", "GET, HEAD");
    }
    builder
        .body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

fn has_body(req: &Request<Incoming>) -> bool {
    let h = req.headers();
    h.contains_key(hyper::header::TRANSFER_ENCODING)
        || h.get(hyper::header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0")
}

/// Serves until the process ends.
pub async fn serve(listener: TcpListener, state: Arc<State>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let state = state.clone();
                async move {
                    let target = req.uri().path_and_query().map_or("/", |p| p.as_str());
                    let reply = route(req.method(), target, has_body(&req), &state).await;
                    Ok::<_, Infallible>(into_response(reply))
                }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEADER_BYTES)
                .serve_connection(TokioIo::new(stream), service);
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, conn).await;
            drop(permit);
        });
    }
}
