//! The cluster model: typed, pruned stores fed by messages, and the ownership indexes that
//! turn pods into workloads.

pub mod compact;
pub mod crd;
pub mod ingest;
pub mod model;
pub mod object;
pub mod packed;
pub mod pod;
pub mod quantity;
pub mod redact;
pub mod selector;
pub mod slim;
pub mod tls_certs;
mod validate;
mod workload;

pub use model::{
    ClusterFacts, ClusterModel, Entry, Msg, Origin, PodSelector, RemovedApiObject, SyncState,
    Touched,
};
pub use object::{Kind, Object, ObjectKey};
pub use workload::{
    real_status, workload_object, workload_object_mut, Controller, HeldWorkload, Listing, Template,
    Workload, WorkloadClass, WorkloadKey, WorkloadKind, WorkloadObject,
};
