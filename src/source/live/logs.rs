//! Logs on demand: the last lines of one container instance, one `GET pods/{name}/log`,
//! bounded in lines, bytes and time. The answer goes to the logs pane and nowhere else.

use super::connect::{connect, root_cause, ConnectOptions};
use crate::triage::logs::{LogTarget, LIMIT_BYTES, TAIL_LINES};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, LogParams};
use std::time::Duration;

/// How long a fetch may take, connecting included.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The request's parameters: the container, the instance, the last 200 lines, at most
/// 256 KiB, with timestamps.
pub fn params(t: &LogTarget) -> LogParams {
    LogParams {
        container: Some(t.container.clone()),
        previous: t.previous,
        tail_lines: Some(TAIL_LINES as i64),
        limit_bytes: Some(LIMIT_BYTES as i64),
        timestamps: true,
        ..LogParams::default()
    }
}

fn too_slow(timeout: Duration) -> String {
    format!(
        "no answer from the API server within {}s: the node may be slow or unreachable",
        timeout.as_secs()
    )
}

async fn read(client: kube::Client, t: &LogTarget) -> Result<String, String> {
    let api: Api<Pod> = Api::namespaced(client, &t.namespace);
    api.logs(&t.pod, &params(t))
        .await
        .map_err(|e| explain(t, &e))
}

/// Reads the logs with `client`, within `timeout`. An error is one sentence.
pub async fn fetch(
    client: kube::Client,
    t: &LogTarget,
    timeout: Duration,
) -> Result<String, String> {
    tokio::time::timeout(timeout, read(client, t))
        .await
        .unwrap_or_else(|_| Err(too_slow(timeout)))
}

/// Connects the way the dashboard did, then reads the logs; the whole within `timeout`.
pub async fn fetch_with(
    options: &ConnectOptions,
    t: &LogTarget,
    timeout: Duration,
) -> Result<String, String> {
    let both = async {
        let conn = connect(options).await.map_err(|e| e.to_string())?;
        read(conn.client, t).await
    };
    tokio::time::timeout(timeout, both)
        .await
        .unwrap_or_else(|_| Err(too_slow(timeout)))
}

/// One sentence for a failed fetch: forbidden, a container or instance that is gone, a node
/// that cannot be reached.
pub fn explain(t: &LogTarget, e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) if s.code == 403 => format!(
            "reading logs is forbidden in {}: grant get on pods/log (see deploy/rbac.yaml)",
            t.namespace
        ),
        kube::Error::Api(s) if s.code == 404 => format!(
            "pod {}/{} is gone, and its logs with it",
            t.namespace, t.pod
        ),
        kube::Error::Api(s)
            if s.code == 400
                && (s.message.contains("previous terminated container")
                    || s.message.contains("not found")
                    || s.message.contains("is not valid")) =>
        {
            if t.previous {
                format!(
                    "the previous instance of container {} is gone: the kubelet keeps only the last one",
                    t.container
                )
            } else {
                format!("container {} has no logs: {}", t.container, s.message)
            }
        }
        kube::Error::Api(s) if s.code == 400 && s.message.contains("waiting to start") => format!(
            "container {} has not started yet, so it has no logs",
            t.container
        ),
        kube::Error::Api(s)
            if s.code >= 500
                || s.message.contains("dial tcp")
                || s.message.contains("connection refused") =>
        {
            format!(
                "the node running {} cannot be reached for logs ({}): {}",
                t.pod, s.code, s.message
            )
        }
        kube::Error::Api(s) => format!("the API server refused ({}): {}", s.code, s.message),
        other => format!("cannot read the logs: {}", root_cause(other)),
    }
}
