//! shipshape: grades Kubernetes workloads for production readiness and runtime health.

pub mod checks;
pub mod cluster;
pub mod config;
pub mod grade;
pub mod score;
pub mod source;
#[doc(hidden)]
pub mod testing;
pub mod time;
