//! The shipshape binary with an isolated environment: no user config, no kubeconfig, no
//! in-cluster account, no colour.

use assert_cmd::Command;

pub fn shipshape() -> Command {
    let mut c = Command::cargo_bin("shipshape").unwrap();
    c.env_remove("XDG_CONFIG_HOME")
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env("HOME", "/nonexistent")
        .env("NO_COLOR", "1");
    c
}
