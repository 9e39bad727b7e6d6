//! `ingress.*` — Ingresses that route somewhere, over TLS (checklist section N; seed 003
//! "Configure routing and ingress").

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{Category, Context, Severity, Subject, Verdict};
use crate::cluster::Kind;
use k8s_openapi::api::networking::v1::{Ingress, IngressBackend, IngressServiceBackend};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            Section { category: Category::Networking, subject: Subject::Ingress },
            "ingress.backend",
            Severity::Critical,
            "Ingress backends exist",
            "an Ingress backend names a Service or port that does not exist",
            "A backend that names a missing Service or port makes the ingress controller answer 503 (or drop the route) for that path.",
            "Name an existing Service and one of its ports (by number or name):\n\nbackend:\n  service:\n    name: web\n    port:\n      name: http",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Service],
        grade: Grade::Ingress(backend),
    },
    Check {
        def: def(
            Section { category: Category::Networking, subject: Subject::Ingress },
            "ingress.tls",
            Severity::Warning,
            "The Ingress terminates TLS",
            "an Ingress has no TLS section",
            "Without TLS, credentials and session cookies cross the network in clear text and browsers flag the site as insecure.",
            "Add a tls section for the hosts (cert-manager can issue the certificate):\n\nspec:\n  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Ingress(tls),
    },
];

fn backend(ing: &Ingress, cx: &Context) -> Verdict {
    let namespace = ing.metadata.namespace.as_deref().unwrap_or_default();
    let mut all: Vec<(String, &IngressBackend)> = Vec::new();
    if let Some(spec) = &ing.spec {
        if let Some(b) = &spec.default_backend {
            all.push(("default backend".into(), b));
        }
        for rule in spec.rules.iter().flatten() {
            let host = rule.host.as_deref().unwrap_or("*");
            for path in rule.http.iter().flat_map(|h| h.paths.iter()) {
                let p = path.path.as_deref().unwrap_or("/");
                all.push((format!("{host}{p}"), &path.backend));
            }
        }
    }
    let services: Vec<(String, &IngressServiceBackend)> = all
        .iter()
        .filter_map(|(w, b)| b.service.as_ref().map(|s| (w.clone(), s)))
        .collect();
    if services.is_empty() {
        return Verdict::na(if all.is_empty() {
            "the Ingress has no backends"
        } else {
            "the Ingress routes only to resource backends"
        });
    }
    if let Some(why) = cx.missing(&[Kind::Service]) {
        return Verdict::unknown(why);
    }
    let mut problems: Vec<String> = Vec::new();
    for (at, b) in &services {
        let Some(svc) = cx
            .model
            .stores
            .services
            .get(&(namespace.to_string(), b.name.clone()))
        else {
            problems.push(format!("{at} → Service {} does not exist", b.name));
            continue;
        };
        let spec = svc.spec.as_ref();
        let ports: Vec<_> = spec
            .and_then(|s| s.ports.as_ref())
            .into_iter()
            .flatten()
            .collect();
        let external = spec.and_then(|s| s.type_.as_deref()) == Some("ExternalName");
        if external && ports.is_empty() {
            continue;
        }
        let Some(want) = &b.port else {
            continue;
        };
        let (ok, wanted) = match (&want.number, &want.name) {
            (Some(n), _) => (ports.iter().any(|p| p.port == *n), n.to_string()),
            (None, Some(name)) => (
                ports
                    .iter()
                    .any(|p| p.name.as_deref() == Some(name.as_str())),
                format!("`{name}`"),
            ),
            (None, None) => continue,
        };
        if !ok {
            let have: Vec<String> = ports
                .iter()
                .map(|p| match &p.name {
                    Some(n) => format!("{} ({n})", p.port),
                    None => p.port.to_string(),
                })
                .collect();
            problems.push(format!(
                "{at} → Service {} has no port {wanted} (it has {})",
                b.name,
                if have.is_empty() {
                    "none".to_string()
                } else {
                    have.join(", ")
                }
            ));
        }
    }
    problems.dedup();
    if problems.is_empty() {
        let mut names: Vec<&str> = services.iter().map(|(_, b)| b.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        Verdict::pass(format!(
            "every backend names an existing Service and port ({})",
            names.join(", ")
        ))
    } else {
        Verdict::fail(problems.join("; "))
    }
}

/// Does a TLS host entry cover `host`? (`*.example.com` covers one label.)
pub(super) fn tls_covers(tls_host: &str, host: &str) -> bool {
    if tls_host.eq_ignore_ascii_case(host) {
        return true;
    }
    match (tls_host.strip_prefix("*."), host.split_once('.')) {
        (Some(suffix), Some((label, rest))) => {
            !label.is_empty() && label != "*" && rest.eq_ignore_ascii_case(suffix)
        }
        _ => false,
    }
}

fn tls(ing: &Ingress, _: &Context) -> Verdict {
    let spec = ing.spec.as_ref();
    let tls = spec.and_then(|s| s.tls.as_ref()).filter(|t| !t.is_empty());
    let Some(tls) = tls else {
        return Verdict::fail(
            "the Ingress has no tls section: traffic to it is served over plain HTTP",
        );
    };
    // An entry without hosts applies to every host the Ingress serves.
    let catch_all = tls
        .iter()
        .any(|t| t.hosts.as_ref().is_none_or(|h| h.is_empty()));
    let tls_hosts: Vec<&str> = tls
        .iter()
        .flat_map(|t| t.hosts.iter().flatten())
        .map(String::as_str)
        .collect();
    let mut uncovered: Vec<&str> = spec
        .and_then(|s| s.rules.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|r| r.host.as_deref())
        .filter(|h| !catch_all && !tls_hosts.iter().any(|t| tls_covers(t, h)))
        .collect();
    uncovered.dedup();
    if uncovered.is_empty() {
        Verdict::pass(if tls_hosts.is_empty() {
            "TLS is configured".to_string()
        } else {
            format!("TLS for {}", tls_hosts.join(", "))
        })
    } else {
        Verdict::fail(format!(
            "the tls section does not cover {}: served over plain HTTP",
            uncovered.join(", ")
        ))
    }
}
