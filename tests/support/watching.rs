//! A live cluster watched into a model, as the dashboard watches it: kube-rs watchers against
//! the loopback API server, their messages applied one by one.

use super::apiserver::ApiServer;
use shipshape::cluster::{ClusterModel, Msg};
use shipshape::config::Config;
use shipshape::grade::{grade_all, Grades};
use shipshape::source::live::{self, ConnectOptions};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

pub struct Watching {
    pub model: ClusterModel,
    rx: UnboundedReceiver<Msg>,
    _handle: live::LiveHandle,
}

impl Watching {
    /// Connects to `server` with a kubeconfig written in `dir` and starts watching.
    pub async fn start(server: &ApiServer, dir: &std::path::Path) -> Watching {
        Watching::with(server, dir, ConnectOptions::default()).await
    }

    /// As [`Watching::start`], with other connection options (the kubeconfig is `server`'s).
    pub async fn with(
        server: &ApiServer,
        dir: &std::path::Path,
        options: ConnectOptions,
    ) -> Watching {
        let options = ConnectOptions {
            kubeconfig: Some(server.kubeconfig(dir)),
            ..options
        };
        let conn = live::connect(&options).await.expect("connects");
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = live::start(&conn, tx);
        Watching {
            model: ClusterModel::new(),
            rx,
            _handle: handle,
        }
    }

    /// Applies messages until `done` holds (or fails the test after 15 s).
    pub async fn until(&mut self, what: &str, done: impl Fn(&ClusterModel) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while !done(&self.model) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(msg)) => {
                    self.model.apply(msg);
                }
                Ok(None) => panic!("source closed while waiting for {what}"),
                Err(_) => panic!(
                    "timed out waiting for {what}; sync states: {:?}",
                    self.model.sync_states()
                ),
            }
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
