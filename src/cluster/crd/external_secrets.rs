//! External Secrets Operator (`external-secrets.io/v1`): an `ExternalSecret` fills a Secret from
//! a store a `ClusterSecretStore` names. Metadata only: specs name vaults and keys.

use super::karpenter::NoStatus;
use super::{custom_resource, NoSpec};

custom_resource!(
    /// An External Secrets Operator ExternalSecret (metadata only).
    ExternalSecret, "external-secrets.io", "v1", "externalsecrets", NamespaceResourceScope, NoSpec, NoStatus
);

custom_resource!(
    /// An External Secrets Operator ClusterSecretStore (metadata only).
    ClusterSecretStore, "external-secrets.io", "v1", "clustersecretstores", ClusterResourceScope, NoSpec, NoStatus
);
