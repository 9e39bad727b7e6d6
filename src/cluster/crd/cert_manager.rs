//! cert-manager (`cert-manager.io/v1`): a `Certificate` keeps a TLS Secret filled with a
//! certificate from an `Issuer` or `ClusterIssuer`, and says in its status when it expires.

use super::{custom_resource, Condition, NoSpec};
use serde::{Deserialize, Serialize};

custom_resource!(
    /// A cert-manager Certificate.
    Certificate, "cert-manager.io", "v1", "certificates", NamespaceResourceScope, CertificateSpec, CertificateStatus
);

custom_resource!(
    /// A cert-manager Issuer (metadata and Ready only: its spec names accounts and keys).
    Issuer, "cert-manager.io", "v1", "issuers", NamespaceResourceScope, NoSpec, IssuerStatus
);

custom_resource!(
    /// A cert-manager ClusterIssuer (metadata and Ready only).
    ClusterIssuer, "cert-manager.io", "v1", "clusterissuers", ClusterResourceScope, NoSpec, IssuerStatus
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CertificateSpec {
    /// The Secret the certificate is written to.
    pub secret_name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dns_names: Vec<String>,
    pub issuer_ref: IssuerRef,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IssuerRef {
    pub name: String,
    /// `Issuer` (the default) or `ClusterIssuer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CertificateStatus {
    /// When the certificate in the Secret expires (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewal_time: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IssuerStatus {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

impl Certificate {
    /// When the certificate expires, if the status says and the time is well-formed.
    pub fn not_after(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let at = self.status.as_ref()?.not_after.as_deref()?;
        chrono::DateTime::parse_from_rfc3339(at)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    }

    /// The `Ready` condition's status (`True`, `False`, `Unknown`), when there is one.
    pub fn ready(&self) -> Option<&Condition> {
        super::condition(&self.status.as_ref()?.conditions, "Ready")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_certificate_reads_its_secret_expiry_and_readiness() {
        let c: Certificate = serde_json::from_value(json!({
            "metadata": {"name": "shop-tls", "namespace": "shop"},
            "spec": {"secretName": "shop-tls", "dnsNames": ["shop.example.com"],
                     "issuerRef": {"name": "letsencrypt", "kind": "ClusterIssuer"},
                     "privateKey": {"algorithm": "ECDSA"}},
            "status": {"notAfter": "2026-12-20T10:00:00Z",
                       "conditions": [{"type": "Ready", "status": "True", "reason": "Ready"}]}
        }))
        .unwrap();
        assert_eq!(c.spec.secret_name, "shop-tls");
        assert_eq!(
            c.not_after().unwrap().to_rfc3339(),
            "2026-12-20T10:00:00+00:00"
        );
        assert_eq!(c.ready().unwrap().status, "True");
        let i: ClusterIssuer = serde_json::from_value(json!({
            "metadata": {"name": "letsencrypt"},
            "spec": {"acme": {"email": "ops@example.com", "privateKeySecretRef": {"name": "k"}}},
            "status": {"conditions": [{"type": "Ready", "status": "False"}]}
        }))
        .unwrap();
        assert!(!serde_json::to_string(&i)
            .unwrap()
            .contains("ops@example.com"));
    }
}
