//! Karpenter (`karpenter.sh/v1`): a `NodePool` is node autoscaling; only its presence is read.

use super::{custom_resource, NoSpec};
use serde::{Deserialize, Serialize};

custom_resource!(
    /// A Karpenter NodePool (metadata only).
    NodePool, "karpenter.sh", "v1", "nodepools", ClusterResourceScope, NoSpec, NoStatus
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NoStatus {}
