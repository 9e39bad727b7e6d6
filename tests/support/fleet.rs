//! Several loopback clusters behind one kubeconfig, as a fleet is read.

use super::apiserver::ApiServer;
use std::path::{Path, PathBuf};

/// A loopback API server holding the demo cluster's objects.
pub async fn demo_server() -> ApiServer {
    let server = ApiServer::start().await;
    for object in shipshape::source::demo::demo_model().stores.objects() {
        server.apply(object.to_json());
    }
    server
}

/// A loopback API server that has stopped: a cluster that is gone (its port refuses).
pub async fn gone_server() -> ApiServer {
    let server = ApiServer::start().await;
    server.stop();
    server
}

/// A kubeconfig with a context per (name, server URL); the first is the current one.
pub fn kubeconfig(dir: &Path, clusters: &[(&str, String)]) -> PathBuf {
    let mut text = String::from("apiVersion: v1\nkind: Config\nclusters:\n");
    for (name, url) in clusters {
        text.push_str(&format!("- name: {name}\n  cluster:\n    server: {url}\n"));
    }
    text.push_str("users:\n- name: reader\n  user:\n    token: test-token\ncontexts:\n");
    for (name, _) in clusters {
        text.push_str(&format!(
            "- name: {name}\n  context:\n    cluster: {name}\n    user: reader\n"
        ));
    }
    text.push_str(&format!("current-context: {}\n", clusters[0].0));
    let path = dir.join("kubeconfig");
    std::fs::write(&path, text).unwrap();
    path
}
