//! shipshape: grades Kubernetes workloads for production readiness and runtime health.

pub mod checks;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod grade;
pub mod report;
pub mod score;
pub mod source;
#[doc(hidden)]
pub mod testing;
pub mod time;

/// The Kubernetes API version this build reads (the k8s-openapi version feature).
pub const KUBERNETES_API: &str = "1.37";

/// `shipshape --version`.
pub const VERSION_LINE: &str = concat!(env!("CARGO_PKG_VERSION"), " (Kubernetes API 1.37)");
#[doc(hidden)]
pub mod synthetic;
