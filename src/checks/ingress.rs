//! `ingress.*` — Ingresses that route somewhere, over TLS (checklist section N; seed 003
//! "Configure routing and ingress").

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{Category, Context, Severity, Subject, Verdict};
use crate::cluster::crd::cert_manager::Certificate;
use crate::cluster::crd::gateway::Gateway;
use crate::cluster::tls_certs::TlsReading;
use crate::cluster::{Kind, SyncState};
use chrono::{DateTime, Utc};
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
    Check {
        def: def(
            Section { category: Category::Networking, subject: Subject::Ingress },
            "ingress.cert-expiry",
            Severity::Critical,
            "TLS certificates are valid and renewed in time",
            "a TLS secret named by an Ingress or a Gateway listener holds a certificate that expired or whose cert-manager Certificate is not Ready (critical), or that expires within 21 days (warning); read from the Certificate that writes the secret (`status.notAfter`, `Ready`), or with --read-tls-certs from the kubernetes.io/tls Secret itself",
            "An expired certificate makes every client refuse the connection: the site is down for everyone at once, and renewal that failed weeks earlier gave no other sign.",
            "Let cert-manager issue and renew the certificate, and fix what keeps it from renewing (`kubectl describe certificate`):\n\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: shop-tls}\nspec:\n  secretName: shop-tls\n  dnsNames: [shop.example.com]\n  issuerRef: {name: letsencrypt, kind: ClusterIssuer}\n  renewBefore: 720h",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Certificate, Kind::Secret],
        grade: Grade::Tls {
            ingress: cert_expiry,
            gateway: gateway_cert_expiry,
        },
    },
];

/// Certificates that expire within this many days fail as a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 21;

/// The port name by which an AWS Load Balancer Controller backend names an action.
const ALB_USE_ANNOTATION: &str = "use-annotation";
/// The annotation prefix that defines such an action, by backend name.
const ALB_ACTIONS: &str = "alb.ingress.kubernetes.io/actions.";

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
    let mut actions: Vec<&str> = Vec::new();
    for (at, b) in &services {
        // The AWS Load Balancer Controller's convention: port `use-annotation` names an action
        // defined in an annotation (a redirect, a fixed response, weighted target groups), not
        // a Service.
        if b.port.as_ref().and_then(|p| p.name.as_deref()) == Some(ALB_USE_ANNOTATION) {
            let annotation = format!("{ALB_ACTIONS}{}", b.name);
            let defined = ing
                .metadata
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key(&annotation));
            if defined {
                actions.push(b.name.as_str());
            } else {
                problems.push(format!(
                    "{at} → action {} (port `{ALB_USE_ANNOTATION}`) has no `{annotation}` annotation defining it",
                    b.name
                ));
            }
            continue;
        }
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
        let mut names: Vec<&str> = services
            .iter()
            .map(|(_, b)| b.name.as_str())
            .filter(|n| !actions.contains(n))
            .collect();
        names.sort_unstable();
        names.dedup();
        actions.sort_unstable();
        actions.dedup();
        let mut message = if names.is_empty() {
            "every backend is an action of the AWS Load Balancer Controller".to_string()
        } else {
            format!(
                "every backend names an existing Service and port ({})",
                names.join(", ")
            )
        };
        if !actions.is_empty() && !names.is_empty() {
            message.push_str(&format!(
                "; {} defined by `{ALB_ACTIONS}*` annotations",
                actions.join(", ")
            ));
        }
        Verdict::pass(message)
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

fn cert_expiry(ing: &Ingress, cx: &Context) -> Verdict {
    let namespace = ing.metadata.namespace.as_deref().unwrap_or_default();
    let tls = ing.spec.as_ref().and_then(|s| s.tls.as_ref());
    let Some(tls) = tls.filter(|t| !t.is_empty()) else {
        return Verdict::na("the Ingress has no tls section");
    };
    let secrets: Vec<(&str, &str)> = tls
        .iter()
        .filter_map(|t| t.secret_name.as_deref())
        .filter(|n| !n.is_empty())
        .map(|n| (namespace, n))
        .collect();
    if secrets.is_empty() {
        return Verdict::na(
            "the tls section names no Secret: the ingress controller serves its default certificate",
        );
    }
    secrets_expiry(namespace, &secrets, cx)
}

/// `ingress.cert-expiry` for the Secrets a Gateway's listeners terminate TLS with.
pub fn gateway_cert_expiry(gw: &Gateway, cx: &Context) -> Verdict {
    let namespace = gw.metadata.namespace.as_deref().unwrap_or_default();
    let secrets: Vec<(&str, &str)> = gw
        .spec
        .listeners
        .iter()
        .filter_map(|l| l.tls.as_ref())
        .flat_map(|t| t.certificate_refs.iter())
        .filter(|r| {
            r.group.as_deref().unwrap_or("").is_empty()
                && r.kind.as_deref().unwrap_or("Secret") == "Secret"
                && !r.name.is_empty()
        })
        .map(|r| (r.namespace_or(namespace), r.name.as_str()))
        .collect();
    if secrets.is_empty() {
        return Verdict::na("no listener terminates TLS with a Secret");
    }
    secrets_expiry(namespace, &secrets, cx)
}

/// What is known of one Secret's certificate.
enum Expiry {
    /// Valid until then; from where.
    Valid(DateTime<Utc>, String),
    /// A problem, and whether it is critical (else a warning).
    Problem(String, bool),
    Unknown(String),
}

fn day(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// The expiry of a certificate valid until `not_after`, read from `source`.
fn judge_date(secret: &str, not_after: DateTime<Utc>, source: &str, now: DateTime<Utc>) -> Expiry {
    let left = not_after - now;
    if left <= chrono::Duration::zero() {
        Expiry::Problem(
            format!(
                "Secret {secret}: the certificate expired on {} ({source}): clients refuse the connection",
                day(not_after)
            ),
            true,
        )
    } else if left < chrono::Duration::days(EXPIRY_WARNING_DAYS) {
        let days = left.num_days();
        let when = match days {
            0 => "in less than a day".to_string(),
            1 => "in 1 day".to_string(),
            n => format!("in {n} days"),
        };
        Expiry::Problem(
            format!(
                "Secret {secret}: the certificate expires on {} ({when}; {source}) and has not been renewed",
                day(not_after)
            ),
            false,
        )
    } else {
        Expiry::Valid(not_after, source.to_string())
    }
}

/// One Secret's certificate: from the cert-manager Certificate that writes it, else from the
/// Secret itself when `--read-tls-certs` read it.
fn secret_expiry(own_namespace: &str, namespace: &str, name: &str, cx: &Context) -> Expiry {
    let shown = if namespace == own_namespace {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    };
    let writers: Vec<&Certificate> =
        super::context::in_namespace(&cx.model.stores.certificates, namespace)
            .filter(|c| c.spec.secret_name == name)
            .collect();
    if let Some(c) = writers.first() {
        let cert = c.metadata.name.as_deref().unwrap_or_default();
        if let Some(ready) = c.ready().filter(|r| r.status == "False") {
            let reason = ready
                .reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            let message = ready
                .message
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default();
            return Expiry::Problem(
                format!("Secret {shown}: Certificate {cert} is not Ready{reason}{message}"),
                true,
            );
        }
        return match c.not_after() {
            Some(at) => judge_date(&shown, at, &format!("Certificate {cert}"), cx.now),
            None => Expiry::Unknown(format!(
                "Secret {shown}: Certificate {cert} has no notAfter in its status yet"
            )),
        };
    }
    let certs = &cx.model.tls_certs;
    match certs.get(namespace, name) {
        Some(Ok(at)) => return judge_date(&shown, *at, "read from the Secret", cx.now),
        Some(Err(why)) => return Expiry::Unknown(format!("Secret {shown}: {why}")),
        None => {}
    }
    let cert_manager = match cx.model.sync_state(Kind::Certificate) {
        SyncState::Forbidden => "cert-manager Certificates are forbidden",
        SyncState::NotServed => "cert-manager is not installed",
        SyncState::Synced | SyncState::Stale(_) => "no cert-manager Certificate writes it",
        _ => "cert-manager Certificates are not listed",
    };
    let secret = match certs.reading {
        TlsReading::Off => "its certificate is not read (--read-tls-certs reads it)",
        TlsReading::Listing => "TLS Secrets are not listed yet",
        TlsReading::Forbidden => "TLS Secrets are forbidden",
        TlsReading::Synced => "no kubernetes.io/tls Secret of that name exists",
    };
    Expiry::Unknown(format!("Secret {shown}: {cert_manager}, and {secret}"))
}

fn secrets_expiry(own_namespace: &str, secrets: &[(&str, &str)], cx: &Context) -> Verdict {
    let mut secrets = secrets.to_vec();
    secrets.sort_unstable();
    secrets.dedup();
    let (mut critical, mut warning, mut unknown, mut valid) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (ns, name) in &secrets {
        match secret_expiry(own_namespace, ns, name, cx) {
            Expiry::Problem(m, true) => critical.push(m),
            Expiry::Problem(m, false) => warning.push(m),
            Expiry::Unknown(m) => unknown.push(m),
            Expiry::Valid(at, source) => valid.push(format!("{name} until {} ({source})", day(at))),
        }
    }
    if !critical.is_empty() || !warning.is_empty() {
        let severity = if critical.is_empty() {
            Severity::Warning
        } else {
            Severity::Critical
        };
        critical.extend(warning);
        return Verdict::fail(critical.join("; ")).severity(severity);
    }
    if !unknown.is_empty() {
        return Verdict::unknown(unknown.join("; "));
    }
    Verdict::pass(format!("certificates valid: {}", valid.join(", ")))
}
