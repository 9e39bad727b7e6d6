//! `gateway.*` — Gateway API Gateways that serve their hostnames over TLS and that their
//! controller has programmed (checklist section X; seed 003 "Configure routing and ingress").

use super::catalogue::{def, Section};
use super::ingress::tls_covers;
use super::registry::{Applies, Check, Grade};
use super::route::refused;
use super::{Category, Context, Severity, Subject, Verdict};
use crate::cluster::crd::gateway::Gateway;
use crate::cluster::Kind;

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            Section { category: Category::Networking, subject: Subject::Gateway },
            "gateway.tls",
            Severity::Warning,
            "Gateway hostnames are served over TLS",
            "a Gateway has a listener with a hostname on HTTP and no HTTPS or TLS listener for it",
            "A hostname served only over plain HTTP sends credentials and session cookies in clear text, and browsers flag the site as insecure.",
            "Add an HTTPS listener for the hostname (keep the HTTP one only to redirect):\n\nlisteners:\n  - name: https\n    hostname: shop.example.com\n    port: 443\n    protocol: HTTPS\n    tls:\n      mode: Terminate\n      certificateRefs:\n        - name: shop-tls",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Gateway(tls),
    },
    Check {
        def: def(
            Section { category: Category::Networking, subject: Subject::Gateway },
            "gateway.programmed",
            Severity::Critical,
            "The Gateway is programmed",
            "runtime: the Gateway reports `Programmed=False` or `Accepted=False`",
            "A Gateway its controller did not accept or could not program (no address, an invalid listener, a class nobody implements) serves none of the routes attached to it.",
            "Read the condition's reason (`kubectl describe gateway <name>`), then fix the gatewayClassName, the listeners or the addresses it names:\n\nspec:\n  gatewayClassName: cilium",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Gateway(programmed),
    },
];

fn name_of(gw: &Gateway) -> &str {
    gw.metadata.name.as_deref().unwrap_or_default()
}

fn is_secure(protocol: &str) -> bool {
    protocol.eq_ignore_ascii_case("HTTPS") || protocol.eq_ignore_ascii_case("TLS")
}

fn tls(gw: &Gateway, _: &Context) -> Verdict {
    let listeners = &gw.spec.listeners;
    let secure: Vec<Option<&str>> = listeners
        .iter()
        .filter(|l| is_secure(&l.protocol))
        .map(|l| l.hostname.as_deref().filter(|h| !h.is_empty()))
        .collect();
    let plain: Vec<(&str, &str)> = listeners
        .iter()
        .filter(|l| l.protocol.eq_ignore_ascii_case("HTTP"))
        .filter_map(|l| {
            l.hostname
                .as_deref()
                .filter(|h| !h.is_empty())
                .map(|h| (l.name.as_str(), h))
        })
        .collect();
    if plain.is_empty() {
        let secured: Vec<&str> = secure.iter().map(|h| h.unwrap_or("*")).collect();
        return if secured.is_empty() {
            Verdict::na("no HTTP listener names a hostname")
        } else {
            Verdict::pass(format!("TLS for {}", secured.join(", ")))
        };
    }
    // A secure listener without a hostname serves every hostname.
    let uncovered: Vec<String> = plain
        .iter()
        .filter(|(_, host)| {
            !secure.iter().any(|s| match s {
                None => true,
                Some(s) => tls_covers(s, host),
            })
        })
        .map(|(listener, host)| format!("{host} (listener {listener})"))
        .collect();
    if uncovered.is_empty() {
        let hosts: Vec<&str> = plain.iter().map(|(_, h)| *h).collect();
        Verdict::pass(format!(
            "every hostname on HTTP has an HTTPS or TLS listener too ({})",
            hosts.join(", ")
        ))
    } else {
        Verdict::fail(format!(
            "{} {} served only over plain HTTP: no HTTPS or TLS listener for {}",
            uncovered.join(", "),
            if uncovered.len() == 1 { "is" } else { "are" },
            if uncovered.len() == 1 { "it" } else { "them" },
        ))
    }
}

fn programmed(gw: &Gateway, cx: &Context) -> Verdict {
    let conditions = gw
        .status
        .as_ref()
        .map(|s| s.conditions.as_slice())
        .unwrap_or(&[]);
    if conditions.is_empty() {
        return Verdict::unknown(if cx.model.facts.from_manifests {
            "manifests carry no Gateway status: whether it is programmed is known only on a live cluster"
        } else {
            "no controller has reported on the Gateway yet (is one running for its class?)"
        });
    }
    let refusals: Vec<String> = conditions
        .iter()
        .filter(|c| c.type_ == "Accepted" || c.type_ == "Programmed")
        .filter_map(refused)
        .collect();
    if !refusals.is_empty() {
        return Verdict::fail(format!("the controller reports {}", refusals.join(", ")));
    }
    let is_programmed = conditions
        .iter()
        .any(|c| c.type_ == "Programmed" && c.status == "True");
    if is_programmed {
        Verdict::pass("the controller accepted and programmed the Gateway")
    } else {
        Verdict::unknown("the controller has not programmed the Gateway yet (no Programmed=True)")
    }
}

/// The Gateway half of `cluster.ingress-class`: every Gateway names a GatewayClass that exists.
/// `None` when there is nothing to judge (no Gateways, or the Gateway API is not served).
pub(super) fn gateway_classes(cx: &Context) -> Option<Verdict> {
    if let Some(why) = cx.missing(&[Kind::Gateway]) {
        return Some(Verdict::unknown(why));
    }
    let gateways = &cx.model.stores.gateways;
    if gateways.is_empty() {
        return None;
    }
    if let Some(why) = cx.missing(&[Kind::GatewayClass]) {
        return Some(Verdict::unknown(why));
    }
    let classes = &cx.model.stores.gateway_classes;
    if classes.is_empty() && cx.model.facts.from_manifests {
        return Some(Verdict::unknown("no GatewayClass objects in the input"));
    }
    let mut missing: Vec<String> = Vec::new();
    let mut used: Vec<&str> = Vec::new();
    for gw in gateways.values() {
        let class = gw.spec.gateway_class_name.as_str();
        if classes.contains_key(&(String::new(), class.to_string())) {
            used.push(class);
        } else {
            let ns = gw.metadata.namespace.as_deref().unwrap_or_default();
            missing.push(format!(
                "Gateway {ns}/{} names GatewayClass {class}, which does not exist",
                name_of(gw)
            ));
        }
    }
    used.sort_unstable();
    used.dedup();
    Some(if missing.is_empty() {
        Verdict::pass(format!(
            "every Gateway names an existing GatewayClass ({})",
            used.join(", ")
        ))
    } else {
        Verdict::fail(missing.join("; "))
    })
}
