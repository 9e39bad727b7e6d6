//! `config.refs-exist` — the ConfigMaps and Secrets the pods need exist (checklist section C;
//! seeds 002 "Externalise all configuration", 003 "service connection information").

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{containers, Category, Context, Severity, Subject, Verdict};
use crate::cluster::{Kind, Workload};
use k8s_openapi::api::core::v1::PodSpec;

const SECTION: Section = Section {
    category: Category::Configuration,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "config.refs-exist",
            Severity::Critical,
            "Referenced ConfigMaps, Secrets and ServiceAccounts exist",
            "a referenced ConfigMap, Secret (env, envFrom, volume, imagePullSecrets) or ServiceAccount does not exist (unless `optional: true`)",
            "A pod whose ConfigMap or Secret is missing never starts (CreateContainerConfigError or a volume stuck mounting); a missing ServiceAccount stops the controller from creating pods at all.",
            "Create the object in the workload's namespace (or mark the reference optional if the app copes without it):\n\nenvFrom:\n  - configMapRef:\n      name: web-config\n      optional: true",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::ConfigMap, Kind::Secret, Kind::ServiceAccount],
        grade: Grade::Template(refs_exist),
    },
];

/// One object the pod template refers to, and where.
struct Ref {
    kind: Kind,
    name: String,
    optional: bool,
    /// Where the reference is, for the message (`env of app`, `volume config`).
    place: String,
    container: Option<String>,
}

/// References to the same object, merged: required when any of them is.
struct Target {
    kind: Kind,
    name: String,
    required: bool,
    places: Vec<String>,
    containers: Vec<String>,
}

impl Target {
    fn describe(&self) -> String {
        format!("{} {} ({})", self.kind, self.name, self.places.join(", "))
    }
}

pub(super) fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// Every ConfigMap, Secret and ServiceAccount the pod template needs.
fn references(spec: &PodSpec) -> Vec<Ref> {
    let mut refs = Vec::new();
    let mut add = |kind, name: &str, optional: Option<bool>, place: String, c: Option<&str>| {
        if !name.is_empty() {
            refs.push(Ref {
                kind,
                name: name.to_string(),
                optional: optional == Some(true),
                place,
                container: c.map(str::to_string),
            });
        }
    };
    for c in containers(spec) {
        let n = c.name();
        for var in c.container.env.iter().flatten() {
            let Some(from) = &var.value_from else {
                continue;
            };
            if let Some(r) = &from.config_map_key_ref {
                add(
                    Kind::ConfigMap,
                    &r.name,
                    r.optional,
                    format!("env {} of {n}", var.name),
                    Some(n),
                );
            }
            if let Some(r) = &from.secret_key_ref {
                add(
                    Kind::Secret,
                    &r.name,
                    r.optional,
                    format!("env {} of {n}", var.name),
                    Some(n),
                );
            }
        }
        for from in c.container.env_from.iter().flatten() {
            if let Some(r) = &from.config_map_ref {
                add(
                    Kind::ConfigMap,
                    &r.name,
                    r.optional,
                    format!("envFrom of {n}"),
                    Some(n),
                );
            }
            if let Some(r) = &from.secret_ref {
                add(
                    Kind::Secret,
                    &r.name,
                    r.optional,
                    format!("envFrom of {n}"),
                    Some(n),
                );
            }
        }
    }
    for v in spec.volumes.iter().flatten() {
        let place = format!("volume {}", v.name);
        if let Some(cm) = &v.config_map {
            add(Kind::ConfigMap, &cm.name, cm.optional, place.clone(), None);
        }
        if let Some(s) = &v.secret {
            let name = s.secret_name.as_deref().unwrap_or_default();
            add(Kind::Secret, name, s.optional, place.clone(), None);
        }
        for src in v.projected.iter().flat_map(|p| p.sources.iter().flatten()) {
            if let Some(cm) = &src.config_map {
                add(Kind::ConfigMap, &cm.name, cm.optional, place.clone(), None);
            }
            if let Some(s) = &src.secret {
                add(Kind::Secret, &s.name, s.optional, place.clone(), None);
            }
        }
    }
    for s in spec.image_pull_secrets.iter().flatten() {
        add(Kind::Secret, &s.name, None, "imagePullSecrets".into(), None);
    }
    if let Some(sa) = spec
        .service_account_name
        .as_deref()
        .or(spec.service_account.as_deref())
    {
        add(
            Kind::ServiceAccount,
            sa,
            None,
            "serviceAccountName".into(),
            None,
        );
    }
    refs
}

fn targets(refs: Vec<Ref>) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for r in refs {
        let i = match out
            .iter()
            .position(|t| t.kind == r.kind && t.name == r.name)
        {
            Some(i) => i,
            None => {
                out.push(Target {
                    kind: r.kind,
                    name: r.name.clone(),
                    required: false,
                    places: Vec::new(),
                    containers: Vec::new(),
                });
                out.len() - 1
            }
        };
        let t = &mut out[i];
        t.required |= !r.optional;
        push_unique(&mut t.places, &r.place);
        if let Some(c) = &r.container {
            push_unique(&mut t.containers, c);
        }
    }
    out
}

/// Objects every namespace has: the `default` ServiceAccount and the auto-published
/// `kube-root-ca.crt` ConfigMap.
fn always_exists(kind: Kind, name: &str) -> bool {
    matches!(
        (kind, name),
        (Kind::ServiceAccount, "default") | (Kind::ConfigMap, "kube-root-ca.crt")
    )
}

fn exists(cx: &Context, kind: Kind, namespace: &str, name: &str) -> bool {
    let key = (namespace.to_string(), name.to_string());
    let s = &cx.model.stores;
    match kind {
        Kind::ConfigMap => s.config_maps.contains_key(&key),
        Kind::Secret => s.secrets.contains_key(&key),
        Kind::ServiceAccount => s.service_accounts.contains_key(&key),
        _ => false,
    }
}

fn refs_exist(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    let ns = &w.key.namespace;
    let targets = targets(references(spec));
    if targets.is_empty() {
        return Verdict::na("references no ConfigMap, Secret or ServiceAccount");
    }
    let mut missing: Vec<&Target> = Vec::new();
    let mut unseen: Vec<&Target> = Vec::new();
    let mut unseen_kinds: Vec<Kind> = Vec::new();
    let mut checked = 0;
    for t in targets.iter().filter(|t| t.required) {
        if always_exists(t.kind, &t.name) {
            checked += 1;
        } else if !cx.model.knows(t.kind) {
            unseen.push(t);
            if !unseen_kinds.contains(&t.kind) {
                unseen_kinds.push(t.kind);
            }
        } else if exists(cx, t.kind, ns, &t.name) {
            checked += 1;
        } else {
            missing.push(t);
        }
    }
    let optional = targets.iter().filter(|t| !t.required).count();
    let not_checked = || {
        format!(
            "{}: not checked: {}",
            cx.missing(&unseen_kinds).unwrap_or_default(),
            unseen
                .iter()
                .map(|t| t.describe())
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    if !missing.is_empty() {
        let list = missing
            .iter()
            .map(|t| t.describe())
            .collect::<Vec<_>>()
            .join("; ");
        // --partial makes a kind the input holds none of unknown; a kind it does hold stays
        // complete either way, so pointing at --partial then would send the user in a circle.
        let kind_absent = missing.iter().any(|t| cx.model.stores.count(t.kind) == 0);
        let mut message = if cx.model.facts.from_manifests && kind_absent {
            format!(
                "not in the input: {list}; add the missing objects to the files graded, or use --partial if they are created elsewhere (kinds absent from the input are then unknown, not missing)"
            )
        } else if cx.model.facts.from_manifests {
            format!(
                "not in the input: {list}; add the missing objects to the files graded, or waive the check if they are created elsewhere (the input holds other objects of their kind, so --partial does not make these unknown)"
            )
        } else {
            format!("missing in namespace {ns}: {list}")
        };
        if !unseen.is_empty() {
            message.push_str(&format!("; {}", not_checked()));
        }
        let mut containers = Vec::new();
        for t in &missing {
            for c in &t.containers {
                push_unique(&mut containers, c);
            }
        }
        return Verdict::fail(message).containers(containers);
    }
    if !unseen.is_empty() {
        return Verdict::unknown(not_checked());
    }
    let mut message = format!("all {checked} referenced objects exist");
    if checked == 0 {
        message = "every reference is optional".to_string();
    } else if optional > 0 {
        message.push_str(&format!(" ({optional} optional not required)"));
    }
    Verdict::pass(message)
}
