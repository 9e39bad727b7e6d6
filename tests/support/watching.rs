//! A live cluster watched as the dashboard watches it (kube-rs watchers against the loopback
//! API server, their messages applied one by one, into a model or an engine), or read once as
//! the headless commands read it.

use super::apiserver::ApiServer;
use shipshape::cluster::{ClusterModel, Kind, Msg};
use shipshape::config::Config;
use shipshape::engine::Engine;
use shipshape::grade::{grade_all, Grades};
use shipshape::source::live::{self, ConnectOptions};
use std::path::Path;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

/// How long a test waits for the loopback cluster before it fails.
const PATIENCE: Duration = Duration::from_secs(15);

/// `options` with `server`'s kubeconfig, written in `dir`.
pub fn options_for(server: &ApiServer, dir: &Path, options: ConnectOptions) -> ConnectOptions {
    ConnectOptions {
        kubeconfig: Some(server.kubeconfig(dir)),
        ..options
    }
}

/// Connects to `server` and starts its watchers: what they send, and the handle that keeps
/// them running.
async fn start_watchers(
    server: &ApiServer,
    dir: &Path,
    options: ConnectOptions,
) -> (UnboundedReceiver<Msg>, live::LiveHandle) {
    let conn = live::connect(&options_for(server, dir, options))
        .await
        .expect("connects");
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let handle = live::start(&conn, tx);
    (rx, handle)
}

/// The next message before `deadline`; fails the test when the source closes or time runs out
/// (`states` says how far the kinds got).
async fn next(
    rx: &mut UnboundedReceiver<Msg>,
    deadline: Instant,
    what: &str,
    states: impl Fn() -> String,
) -> Msg {
    match tokio::time::timeout_at(deadline, rx.recv()).await {
        Ok(Some(msg)) => msg,
        Ok(None) => panic!("source closed while waiting for {what}"),
        Err(_) => panic!("timed out waiting for {what}; sync states: {}", states()),
    }
}

/// Connects to `server` and reads it as `check` does ([`live::sync`]): the engine holding
/// what listed, and the kinds that did not list within 15 s.
pub async fn sync(server: &ApiServer, dir: &Path, options: ConnectOptions) -> (Engine, Vec<Kind>) {
    let conn = live::connect(&options_for(server, dir, options))
        .await
        .expect("connects");
    live::sync(&conn, PATIENCE, Config::default()).await
}

pub struct Watching {
    pub model: ClusterModel,
    rx: UnboundedReceiver<Msg>,
    _handle: live::LiveHandle,
}

impl Watching {
    /// Connects to `server` with a kubeconfig written in `dir` and starts watching.
    pub async fn start(server: &ApiServer, dir: &Path) -> Watching {
        Watching::with(server, dir, ConnectOptions::default()).await
    }

    /// As [`Watching::start`], then waits until every kind has listed (or is known not served).
    pub async fn listed(server: &ApiServer, dir: &Path) -> Watching {
        let mut w = Watching::start(server, dir).await;
        w.synced().await;
        w
    }

    /// As [`Watching::start`], with other connection options (the kubeconfig is `server`'s).
    pub async fn with(server: &ApiServer, dir: &Path, options: ConnectOptions) -> Watching {
        let (rx, handle) = start_watchers(server, dir, options).await;
        Watching {
            model: ClusterModel::new(),
            rx,
            _handle: handle,
        }
    }

    /// Applies messages until `done` holds (or fails the test after 15 s).
    pub async fn until(&mut self, what: &str, done: impl Fn(&ClusterModel) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(&self.model) {
            let model = &self.model;
            let msg = next(&mut self.rx, deadline, what, || {
                format!("{:?}", model.sync_states())
            })
            .await;
            self.model.apply(msg);
        }
    }

    pub async fn synced(&mut self) {
        self.until("every kind to list", |m| live::unsettled(m).is_empty())
            .await;
    }

    pub fn grades(&self) -> Grades {
        grade_all(&self.model, &Config::default())
    }
}

/// A live cluster watched into an engine that is flushed as the dashboard flushes it
/// (regrading only what changed).
pub struct Following {
    pub engine: Engine,
    rx: UnboundedReceiver<Msg>,
    _handle: live::LiveHandle,
}

impl Following {
    /// Connects to `server` with a kubeconfig written in `dir` and starts watching.
    pub async fn start(server: &ApiServer, dir: &Path) -> Following {
        let (rx, handle) = start_watchers(server, dir, ConnectOptions::default()).await;
        Following {
            engine: Engine::new(Config::default()),
            rx,
            _handle: handle,
        }
    }

    /// Applies messages, flushing before each look, until every kind has listed and `done`
    /// holds of the graded result (or fails the test after 15 s).
    pub async fn until(&mut self, what: &str, done: impl Fn(&Engine) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.engine.flush();
            if live::unsettled(self.engine.model()).is_empty() && done(&self.engine) {
                return;
            }
            let model = self.engine.model();
            let msg = next(&mut self.rx, deadline, what, || {
                format!("{:?}", model.sync_states())
            })
            .await;
            self.engine.apply(msg);
        }
    }
}
