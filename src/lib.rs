//! shipshape: grades Kubernetes workloads for production readiness and runtime health.
//!
//! Data flows one way: a source ([`source`]) sends messages to the [`engine`], which applies
//! them to the [`cluster`] model (applying one says what it touched) and has [`grade`] run the
//! [`checks`] on that and score it ([`score`]); the [`report`] writers and the [`ui`] read the
//! engine's grades.

pub mod checks;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod config_file;
pub mod diagnostics;
pub mod engine;
pub mod fleet;
pub mod grade;
pub mod manual;
pub mod output;
pub mod policy;
pub mod policy_files;
pub mod report;
pub mod score;
pub mod serve;
pub mod source;
pub mod subject;
pub mod sync;
pub mod text;
pub mod time;
pub mod triage;
pub mod ui;

#[cfg(any(test, feature = "testing"))]
pub mod synthetic;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

/// The Kubernetes API version this build reads (the k8s-openapi version feature).
pub const KUBERNETES_API: &str = "1.37";

/// `shipshape --version`.
pub const VERSION_LINE: &str = concat!(env!("CARGO_PKG_VERSION"), " (Kubernetes API 1.37)");

#[cfg(test)]
mod tests {
    use super::*;

    /// The API k8s-openapi is built for: the macro keeps its body only for that version.
    #[allow(unreachable_code)]
    fn k8s_openapi_api() -> Option<&'static str> {
        k8s_openapi::k8s_if_1_37! {
            return Some("1.37");
        }
        None
    }

    #[test]
    fn the_version_line_names_the_api_k8s_openapi_is_built_for() {
        assert_eq!(
            k8s_openapi_api(),
            Some(KUBERNETES_API),
            "the k8s-openapi version feature changed: update KUBERNETES_API and VERSION_LINE"
        );
        assert_eq!(
            VERSION_LINE,
            format!(
                "{} (Kubernetes API {KUBERNETES_API})",
                env!("CARGO_PKG_VERSION")
            )
        );
        assert_eq!(
            KUBERNETES_API,
            format!("1.{}", checks::cluster::NEWEST_KNOWN_MINOR)
        );
    }
}
