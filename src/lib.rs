//! shipshape: grades Kubernetes workloads for production readiness and runtime health.
//!
//! Data flows one way: a source ([`source`]) sends messages to the [`cluster`] model, applying
//! one says what it touched, [`grade`] runs the [`checks`] on that and scores it ([`score`]),
//! and the [`report`] writers and the [`ui`] read the grades.

pub mod checks;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod grade;
pub mod report;
pub mod score;
pub mod source;
pub mod time;
pub mod ui;

#[doc(hidden)]
pub mod synthetic;
#[doc(hidden)]
pub mod testing;

/// The Kubernetes API version this build reads (the k8s-openapi version feature).
pub const KUBERNETES_API: &str = "1.37";

/// `shipshape --version`.
pub const VERSION_LINE: &str = concat!(env!("CARGO_PKG_VERSION"), " (Kubernetes API 1.37)");
