//! R — resources (seeds 002 "Resources utilisation", 000 "Be a good citizen").
//!
//! A container's request or limit can come from four places, checked in this order:
//! the container itself; for a request, the container's own limit (Kubernetes defaults a
//! missing request to the limit); the pod-level `spec.resources`; and a namespace LimitRange
//! of type Container (`defaultRequest`/`default`, with the API server's own defaulting of
//! those fields applied: `default` falls back to `max`, `defaultRequest` to `default` then
//! `min`). Only when none supplies it does the check fail.

use super::catalogue::{def, Section};
use super::context::in_namespace;
use super::registry::{Applies, Check, Grade};
use super::{containers, Category, Context, Severity, Subject, Verdict};
use crate::cluster::quantity::{self, is_zero};
use crate::cluster::{Kind, Workload};
use k8s_openapi::api::core::v1::{Container, LimitRange, PodSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

const SECTION: Section = Section {
    category: Category::Resources,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "resources.cpu-request",
            Severity::Warning,
            "Every container requests CPU",
            "a container has no CPU request (and no LimitRange default), or requests zero, which reserves nothing",
            "The scheduler places pods by their requests: without a CPU request the pod can land on a saturated node and is the first to be starved when neighbours get busy.",
            "Request the CPU the container needs at normal load (or give the namespace a LimitRange default):\n\nresources:\n  requests:\n    cpu: 100m",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::LimitRange],
        grade: Grade::Template(cpu_request),
    },
    Check {
        def: def(
            SECTION,
            "resources.memory-request",
            Severity::Critical,
            "Every container requests memory",
            "a container has no memory request (and no LimitRange default), or requests zero, which reserves nothing",
            "Without a memory request the scheduler over-packs nodes; under memory pressure the kubelet evicts pods that use more than they requested first, and that is every pod without a request.",
            "Request the memory the container needs at normal load (or give the namespace a LimitRange default):\n\nresources:\n  requests:\n    memory: 256Mi",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::LimitRange],
        grade: Grade::Template(memory_request),
    },
    Check {
        def: def(
            SECTION,
            "resources.memory-limit",
            Severity::Warning,
            "Every container has a memory limit",
            "a container has no memory limit (and no LimitRange default)",
            "A leaking container without a memory limit grows until the node runs out of memory, and the kernel's OOM killer then picks victims among its neighbours too.",
            "Cap memory (often equal to the request, so the container is never overcommitted):\n\nresources:\n  requests:\n    memory: 256Mi\n  limits:\n    memory: 256Mi",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::LimitRange],
        grade: Grade::Template(memory_limit),
    },
    Check {
        def: def(
            SECTION,
            "resources.cpu-limit",
            Severity::Info,
            "Every container has a CPU limit",
            "a container has no CPU limit (debated: off-able in config, info by default)",
            "A CPU limit stops one busy container from taking a whole node's spare CPU; it also throttles, which is why many teams disable this check (`disabled = [\"resources.cpu-limit\"]`).",
            "Cap CPU, or disable this check in config if you rely on requests alone:\n\nresources:\n  requests:\n    cpu: 100m\n  limits:\n    cpu: \"1\"",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::LimitRange],
        grade: Grade::Template(cpu_limit),
    },
    Check {
        def: def(
            SECTION,
            "resources.qos",
            Severity::Warning,
            "Pods are not BestEffort",
            "the pod's QoS class would be BestEffort",
            "A BestEffort pod (no request or limit anywhere) is evicted before any other pod when a node runs short of memory, and gets no guaranteed CPU share.",
            "Set at least requests on every container (equal requests and limits give the Guaranteed class):\n\nresources:\n  requests:\n    cpu: 100m\n    memory: 256Mi\n  limits:\n    memory: 256Mi",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::LimitRange],
        grade: Grade::Template(qos),
    },
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Res {
    Cpu,
    Memory,
}

impl Res {
    fn key(self) -> &'static str {
        match self {
            Res::Cpu => "cpu",
            Res::Memory => "memory",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Res::Cpu => "CPU",
            Res::Memory => "memory",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Want {
    Request,
    Limit,
}

impl Want {
    fn label(self) -> &'static str {
        match self {
            Want::Request => "request",
            Want::Limit => "limit",
        }
    }
}

/// Where a container's request or limit comes from.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    Explicit(Quantity),
    /// No request, but a limit: Kubernetes sets the request to the limit.
    FromLimit(Quantity),
    /// The pod-level `spec.resources` covers every container.
    PodLevel(Quantity),
    /// Defaulted at admission by this LimitRange.
    LimitRange(String, Quantity),
    None,
}

impl Source {
    fn quantity(&self) -> Option<&Quantity> {
        match self {
            Source::Explicit(q)
            | Source::FromLimit(q)
            | Source::PodLevel(q)
            | Source::LimitRange(_, q) => Some(q),
            Source::None => None,
        }
    }
}

/// The container defaults one LimitRange applies, after the API server's defaulting of the
/// LimitRange itself.
#[derive(Clone, Debug, Default)]
struct LimitRangeDefaults {
    name: String,
    limits: BTreeMap<String, Quantity>,
    requests: BTreeMap<String, Quantity>,
}

fn limit_range_defaults(lr: &LimitRange) -> LimitRangeDefaults {
    let mut d = LimitRangeDefaults {
        name: lr.metadata.name.clone().unwrap_or_default(),
        ..Default::default()
    };
    let items = lr.spec.iter().flat_map(|s| s.limits.iter());
    for item in items.filter(|i| i.type_ == "Container") {
        // SetDefaults_LimitRangeItem: default ← max; defaultRequest ← default, then min.
        let mut limits = item.default.clone().unwrap_or_default();
        for (k, v) in item.max.iter().flatten() {
            limits.entry(k.clone()).or_insert_with(|| v.clone());
        }
        let mut requests = item.default_request.clone().unwrap_or_default();
        for (k, v) in limits.iter().chain(item.min.iter().flatten()) {
            requests.entry(k.clone()).or_insert_with(|| v.clone());
        }
        // With several items, the first to supply a resource wins (as LimitRanger merges).
        for (k, v) in limits {
            d.limits.entry(k).or_insert(v);
        }
        for (k, v) in requests {
            d.requests.entry(k).or_insert(v);
        }
    }
    d
}

fn get(r: Option<&ResourceRequirements>, want: Want, res: Res) -> Option<&Quantity> {
    let r = r?;
    let map = match want {
        Want::Request => r.requests.as_ref(),
        Want::Limit => r.limits.as_ref(),
    };
    map?.get(res.key())
}

/// Where `c`'s `want` of `res` comes from. `lrs` is `None` when LimitRanges are not visible.
fn source(
    c: &Container,
    spec: &PodSpec,
    lrs: Option<&[LimitRangeDefaults]>,
    want: Want,
    res: Res,
) -> Source {
    let own = c.resources.as_ref();
    if let Some(q) = get(own, want, res) {
        return Source::Explicit(q.clone());
    }
    if want == Want::Request {
        if let Some(q) = get(own, Want::Limit, res) {
            return Source::FromLimit(q.clone());
        }
    }
    let pod = spec.resources.as_ref();
    let pod_level = match want {
        Want::Request => get(pod, Want::Request, res).or_else(|| get(pod, Want::Limit, res)),
        Want::Limit => get(pod, Want::Limit, res),
    };
    if let Some(q) = pod_level {
        return Source::PodLevel(q.clone());
    }
    for lr in lrs.into_iter().flatten() {
        let map = match want {
            Want::Request => &lr.requests,
            Want::Limit => &lr.limits,
        };
        if let Some(q) = map.get(res.key()) {
            return Source::LimitRange(lr.name.clone(), q.clone());
        }
    }
    Source::None
}

/// The namespace's LimitRange defaults, or why they cannot be seen.
fn limit_ranges(w: &Workload, cx: &Context) -> (Option<Vec<LimitRangeDefaults>>, Option<String>) {
    let lr_missing = cx.missing(&[Kind::LimitRange]);
    let lrs = lr_missing.is_none().then(|| {
        in_namespace(&cx.model.stores.limit_ranges, &w.key.namespace)
            .map(limit_range_defaults)
            .collect()
    });
    (lrs, lr_missing)
}

/// One container resource, requested or limited, wherever it comes from.
fn resource(w: &Workload, spec: &PodSpec, cx: &Context, want: Want, res: Res) -> Verdict {
    let (lrs, lr_missing) = limit_ranges(w, cx);
    let sources: Vec<(&str, Source)> = containers(spec)
        .map(|c| {
            (
                c.container.name.as_str(),
                source(c.container, spec, lrs.as_deref(), want, res),
            )
        })
        .collect();
    grade_one(want, res, &sources, lr_missing.as_deref(), &w.key.namespace)
}

fn cpu_request(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    resource(w, spec, cx, Want::Request, Res::Cpu)
}

fn memory_request(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    resource(w, spec, cx, Want::Request, Res::Memory)
}

fn memory_limit(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    resource(w, spec, cx, Want::Limit, Res::Memory)
}

fn cpu_limit(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    resource(w, spec, cx, Want::Limit, Res::Cpu)
}

fn qos(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    let (lrs, lr_missing) = limit_ranges(w, cx);
    let all: Vec<&Container> = containers(spec).map(|c| c.container).collect();
    qos_class(
        &all,
        spec,
        lrs.as_deref(),
        lr_missing.as_deref(),
        &w.key.namespace,
    )
}

fn grade_one(
    want: Want,
    res: Res,
    sources: &[(&str, Source)],
    lr_missing: Option<&str>,
    namespace: &str,
) -> Verdict {
    let what = format!("{} {}", res.label(), want.label());
    let failing: Vec<String> = sources
        .iter()
        .filter(|(_, s)| *s == Source::None)
        .map(|(n, _)| n.to_string())
        .collect();
    // A request of zero is written, yet reserves nothing: the scheduler counts it as no
    // request at all. (A zero limit is another matter, and not judged here.)
    let zero: Vec<String> = sources
        .iter()
        .filter(|(_, s)| want == Want::Request && s.quantity().is_some_and(is_zero))
        .map(|(n, _)| n.to_string())
        .collect();
    if !zero.is_empty() {
        let mut message = format!(
            "the {what} is zero on {}, which reserves nothing",
            zero.join(", ")
        );
        if !failing.is_empty() {
            message.push_str(&format!("; no {what} on {}", failing.join(", ")));
        }
        return Verdict::fail(message).containers([failing, zero].concat());
    }
    if !failing.is_empty() {
        let names = failing.join(", ");
        return match lr_missing {
            Some(why) => Verdict::unknown(format!("no {what} on {names}, and shipshape {why}, so a LimitRange default cannot be ruled out"),
            )
            .containers(failing),
            None => Verdict::fail(format!("no {what} on {names}, and no LimitRange in namespace {namespace} supplies a default"),
            )
            .containers(failing),
        };
    }
    if sources.is_empty() {
        return Verdict::na("the pod template declares no containers");
    }
    // Passing: say where the values come from when it is not the container itself.
    let mut notes: Vec<String> = Vec::new();
    let mut by_lr: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut from_limit = Vec::new();
    let mut pod_level = Vec::new();
    for (name, s) in sources {
        match s {
            Source::LimitRange(lr, _) => by_lr.entry(lr).or_default().push(name),
            Source::FromLimit(_) => from_limit.push(*name),
            Source::PodLevel(_) => pod_level.push(*name),
            Source::Explicit(_) | Source::None => {}
        }
    }
    for (lr, names) in by_lr {
        notes.push(format!(
            "{}: satisfied by LimitRange {lr} (default {what})",
            names.join(", ")
        ));
    }
    if !from_limit.is_empty() {
        notes.push(format!(
            "{}: the {} limit doubles as the request",
            from_limit.join(", "),
            res.label()
        ));
    }
    if !pod_level.is_empty() {
        notes.push(format!(
            "{}: covered by the pod-level spec.resources",
            pod_level.join(", ")
        ));
    }
    let message = if notes.is_empty() {
        format!("every container sets a {what}")
    } else {
        format!("every container has a {what} ({})", notes.join("; "))
    };
    Verdict::pass(message)
}

fn qos_class(
    all: &[&Container],
    spec: &PodSpec,
    lrs: Option<&[LimitRangeDefaults]>,
    lr_missing: Option<&str>,
    namespace: &str,
) -> Verdict {
    if all.is_empty() {
        return Verdict::na("the pod template declares no containers");
    }
    let pod = spec.resources.as_ref();
    let pod_level_set = [Want::Request, Want::Limit]
        .into_iter()
        .flat_map(|w| [Res::Cpu, Res::Memory].map(|r| get(pod, w, r)))
        .flatten()
        .any(|q| !is_zero(q));
    if pod_level_set {
        return Verdict::pass(
            "not BestEffort: the pod-level spec.resources sets requests or limits",
        );
    }
    // Effective (request, limit) per container and resource, after admission defaults.
    let mut any_set = false;
    let mut guaranteed = true;
    let mut from_lr: Vec<String> = Vec::new();
    for c in all {
        for res in [Res::Cpu, Res::Memory] {
            let req = source(c, spec, lrs, Want::Request, res);
            let lim = source(c, spec, lrs, Want::Limit, res);
            for s in [&req, &lim] {
                if s.quantity().is_some_and(|q| !is_zero(q)) {
                    any_set = true;
                    if let Source::LimitRange(name, _) = s {
                        if !from_lr.contains(name) {
                            from_lr.push(name.clone());
                        }
                    }
                }
            }
            let equal = match (req.quantity(), lim.quantity()) {
                (Some(r), Some(l)) => !is_zero(l) && quantities_equal(r, l),
                _ => false,
            };
            guaranteed &= equal;
        }
    }
    if any_set {
        let class = if guaranteed {
            "Guaranteed"
        } else {
            "Burstable"
        };
        let mut message = format!("QoS class {class}");
        if !from_lr.is_empty() {
            let explicit = all.iter().any(|c| {
                [Res::Cpu, Res::Memory].into_iter().any(|r| {
                    [Want::Request, Want::Limit]
                        .into_iter()
                        .any(|w| get(c.resources.as_ref(), w, r).is_some_and(|q| !is_zero(q)))
                })
            });
            if !explicit {
                message.push_str(&format!(
                    ", satisfied by LimitRange {}",
                    from_lr.join(", LimitRange ")
                ));
            } else {
                message.push_str(&format!(
                    " (with defaults from LimitRange {})",
                    from_lr.join(", LimitRange ")
                ));
            }
        }
        return Verdict::pass(message);
    }
    match lr_missing {
        Some(why) => Verdict::unknown(format!("no container sets a CPU or memory request or limit, and shipshape {why}, so LimitRange defaults cannot be ruled out"),
        ),
        None => Verdict::fail(format!("the pod would be BestEffort: no container sets a CPU or memory request or limit, and no LimitRange in namespace {namespace} supplies a default; it is the first to be evicted under node pressure"),
        ),
    }
}

fn quantities_equal(a: &Quantity, b: &Quantity) -> bool {
    match (quantity::amount(a), quantity::amount(b)) {
        (Some(x), Some(y)) => (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs()),
        _ => a.0.trim() == b.0.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::quantities_equal;
    use crate::checks::{Severity, Status};
    use crate::cluster::{Kind, Msg};
    use crate::config::Config;
    use crate::grade::grade_all;
    use crate::testing::{grade, model, result, status};
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    const ALL: [&str; 5] = [
        "resources.cpu-request",
        "resources.memory-request",
        "resources.memory-limit",
        "resources.cpu-limit",
        "resources.qos",
    ];

    const W: &str = "Deployment/shop/web";

    fn deployment(init: &str, resources: &str) -> String {
        format!(
            r#"
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: shop}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
{init}      containers:
        - name: app
          image: example/web:1.0
{resources}"#
        )
    }

    const FULL: &str = "          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n            limits: {cpu: 500m, memory: 128Mi}\n";
    const NONE: &str = "";

    const LIMIT_RANGE: &str = r#"---
apiVersion: v1
kind: LimitRange
metadata: {name: shop-defaults, namespace: shop}
spec:
  limits:
    - type: Container
      default: {cpu: 500m, memory: 256Mi}
      defaultRequest: {cpu: 100m, memory: 128Mi}
"#;

    #[test]
    fn fully_resourced_containers_pass() {
        let g = grade(&deployment("", FULL));
        for id in ALL {
            let r = result(&g, W, id);
            assert_eq!(r.status, Status::Pass, "{id}: {}", r.message);
        }
        let r = result(&g, W, "resources.cpu-request");
        assert_eq!(r.message, "every container sets a CPU request");
        assert_eq!(
            result(&g, W, "resources.qos").message,
            "QoS class Burstable"
        );
    }

    #[test]
    fn equal_requests_and_limits_are_guaranteed() {
        let res = "          resources:\n            requests: {cpu: 500m, memory: 1Gi}\n            limits: {cpu: \"0.5\", memory: 1024Mi}\n";
        let g = grade(&deployment("", res));
        assert_eq!(
            result(&g, W, "resources.qos").message,
            "QoS class Guaranteed"
        );
    }

    #[test]
    fn missing_resources_fail_with_catalogue_severities() {
        let g = grade(&deployment("", NONE));
        for (id, sev) in [
            ("resources.cpu-request", Severity::Warning),
            ("resources.memory-request", Severity::Critical),
            ("resources.memory-limit", Severity::Warning),
            ("resources.cpu-limit", Severity::Info),
            ("resources.qos", Severity::Warning),
        ] {
            let r = result(&g, W, id);
            assert_eq!((r.status, r.severity), (Status::Fail, sev), "{id}");
        }
        let r = result(&g, W, "resources.memory-request");
        assert_eq!(r.containers(), vec!["app"]);
        assert!(
            r.message.contains("no memory request on app"),
            "{}",
            r.message
        );
        assert!(r.message.contains("namespace shop"), "{}", r.message);
        let r = result(&g, W, "resources.qos");
        assert!(r.message.contains("BestEffort"), "{}", r.message);
    }

    #[test]
    fn a_limit_range_default_satisfies_every_check() {
        let g = grade(&format!("{}{LIMIT_RANGE}", deployment("", NONE)));
        for id in ALL {
            let r = result(&g, W, id);
            assert_eq!(r.status, Status::Pass, "{id}: {}", r.message);
            assert!(
                r.message.contains("satisfied by LimitRange shop-defaults"),
                "{id}: {}",
                r.message
            );
        }
        let r = result(&g, W, "resources.memory-limit");
        assert!(r.message.contains("app: satisfied"), "{}", r.message);
    }

    #[test]
    fn a_limit_range_in_another_namespace_or_of_pod_type_does_not_count() {
        let elsewhere = LIMIT_RANGE.replace("namespace: shop", "namespace: other");
        let g = grade(&format!("{}{elsewhere}", deployment("", NONE)));
        assert_eq!(status(&g, W, "resources.cpu-request"), Status::Fail);
        let pod_type = LIMIT_RANGE.replace("type: Container", "type: Pod");
        let g = grade(&format!("{}{pod_type}", deployment("", NONE)));
        assert_eq!(status(&g, W, "resources.memory-request"), Status::Fail);
        assert_eq!(status(&g, W, "resources.qos"), Status::Fail);
    }

    #[test]
    fn limit_range_default_alone_also_defaults_the_request() {
        // Only `default` (limits): the API server defaults defaultRequest to it.
        let lr = "---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: caps, namespace: shop}\nspec:\n  limits:\n    - type: Container\n      default: {memory: 512Mi}\n";
        let g = grade(&format!("{}{lr}", deployment("", NONE)));
        let r = result(&g, W, "resources.memory-request");
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        assert!(
            r.message.contains("satisfied by LimitRange caps"),
            "{}",
            r.message
        );
        assert_eq!(status(&g, W, "resources.memory-limit"), Status::Pass);
        // Nothing for CPU.
        let r = result(&g, W, "resources.cpu-request");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(status(&g, W, "resources.qos"), Status::Pass);
        assert!(result(&g, W, "resources.qos")
            .message
            .contains("satisfied by LimitRange caps"));
    }

    #[test]
    fn limit_range_max_becomes_the_default_limit() {
        let lr = "---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: caps, namespace: shop}\nspec:\n  limits:\n    - type: Container\n      max: {cpu: \"2\"}\n      min: {memory: 64Mi}\n";
        let g = grade(&format!("{}{lr}", deployment("", NONE)));
        assert_eq!(status(&g, W, "resources.cpu-limit"), Status::Pass);
        assert_eq!(status(&g, W, "resources.cpu-request"), Status::Pass);
        assert_eq!(status(&g, W, "resources.memory-request"), Status::Pass);
        assert_eq!(status(&g, W, "resources.memory-limit"), Status::Fail);
    }

    #[test]
    fn a_limit_without_a_request_counts_as_a_request() {
        let res = "          resources:\n            limits: {cpu: 500m, memory: 256Mi}\n";
        let g = grade(&deployment("", res));
        for id in ALL {
            assert_eq!(status(&g, W, id), Status::Pass, "{id}");
        }
        let r = result(&g, W, "resources.memory-request");
        assert!(
            r.message
                .contains("app: the memory limit doubles as the request"),
            "{}",
            r.message
        );
        // request = limit for both resources: Guaranteed.
        assert_eq!(
            result(&g, W, "resources.qos").message,
            "QoS class Guaranteed"
        );
    }

    #[test]
    fn init_containers_and_sidecars_are_graded_too() {
        let init = "      initContainers:\n        - {name: migrate, image: example/m:1}\n        - name: proxy\n          image: example/p:1\n          restartPolicy: Always\n          resources: {requests: {cpu: 10m, memory: 32Mi}}\n";
        let g = grade(&deployment(init, FULL));
        let r = result(&g, W, "resources.memory-request");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.containers(), vec!["migrate"]);
        let r = result(&g, W, "resources.memory-limit");
        assert_eq!(r.containers(), vec!["migrate", "proxy"]);
        assert!(
            r.message.contains("no memory limit on migrate, proxy"),
            "{}",
            r.message
        );
        // The app container's resources keep the pod out of BestEffort.
        assert_eq!(status(&g, W, "resources.qos"), Status::Pass);
    }

    #[test]
    fn pod_level_resources_cover_every_container() {
        let dep = deployment("", NONE).replace(
            "      containers:\n",
            "      resources:\n        requests: {cpu: 200m, memory: 256Mi}\n      containers:\n",
        );
        let g = grade(&dep);
        let r = result(&g, W, "resources.cpu-request");
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("pod-level"), "{}", r.message);
        assert_eq!(status(&g, W, "resources.memory-limit"), Status::Fail);
        assert_eq!(status(&g, W, "resources.qos"), Status::Pass);
    }

    #[test]
    fn unknown_only_when_limit_ranges_are_invisible_and_something_is_missing() {
        let mut m = model(&deployment("", NONE));
        m.apply(Msg::Forbidden(Kind::LimitRange));
        let g = grade_all(&m, &Config::default());
        for id in ALL {
            let r = result(&g, W, id);
            assert_eq!(r.status, Status::Unknown, "{id}");
            assert!(r.message.contains("LimitRange"), "{id}: {}", r.message);
        }
        assert_eq!(
            result(&g, W, "resources.cpu-request").containers(),
            vec!["app"]
        );

        let mut m = model(&deployment("", FULL));
        m.apply(Msg::Forbidden(Kind::LimitRange));
        let g = grade_all(&m, &Config::default());
        for id in ALL {
            assert_eq!(status(&g, W, id), Status::Pass, "{id}");
        }
    }

    #[test]
    fn jobs_and_cron_jobs_are_graded() {
        let cron = r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: r, image: example/r:1}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: example/m:1
          resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 64Mi}}
"#;
        let g = grade(cron);
        let r = result(&g, "CronJob/shop/report", "resources.memory-request");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.containers(), vec!["r"]);
        assert_eq!(
            status(&g, "CronJob/shop/report", "resources.qos"),
            Status::Fail
        );
        assert_eq!(
            status(&g, "Job/shop/migrate", "resources.memory-limit"),
            Status::Pass
        );
        assert_eq!(
            status(&g, "Job/shop/migrate", "resources.cpu-limit"),
            Status::Fail
        );
    }

    #[test]
    fn explicit_zero_does_not_lift_best_effort() {
        let res = "          resources:\n            requests: {cpu: \"0\"}\n";
        let g = grade(&deployment("", res));
        assert_eq!(status(&g, W, "resources.cpu-request"), Status::Fail);
        assert_eq!(status(&g, W, "resources.qos"), Status::Fail);
    }

    #[test]
    fn a_zero_request_reserves_nothing() {
        // Every spelling of zero, from the container, its limit or a LimitRange default.
        for res in [
            "          resources: {requests: {cpu: 0, memory: \"0\"}, limits: {memory: 1Gi}}\n",
            "          resources: {requests: {cpu: 0m, memory: 0Mi}}\n",
            "          resources: {requests: {cpu: \"0.0\", memory: 0e3}}\n",
            "          resources: {limits: {cpu: 0, memory: \"0\"}}\n",
        ] {
            let g = grade(&deployment("", res));
            for (id, what) in [
                ("resources.cpu-request", "CPU"),
                ("resources.memory-request", "memory"),
            ] {
                let r = result(&g, W, id);
                assert_eq!(r.status, Status::Fail, "{res}: {id}");
                assert_eq!(
                    r.message,
                    format!("the {what} request is zero on app, which reserves nothing")
                );
                assert_eq!(r.containers(), vec!["app".to_string()]);
            }
        }
        let lr = LIMIT_RANGE.replace("defaultRequest: {cpu: 100m", "defaultRequest: {cpu: 0");
        let g = grade(&format!("{}{lr}", deployment("", NONE)));
        assert_eq!(status(&g, W, "resources.cpu-request"), Status::Fail);
        assert_eq!(status(&g, W, "resources.memory-request"), Status::Pass);
        // A tiny request is not zero (Kubernetes rounds it up to 1n).
        let res = "          resources: {requests: {cpu: 1n, memory: 1}, limits: {cpu: 1, memory: 1Gi}}\n";
        let g = grade(&deployment("", res));
        for id in [
            "resources.cpu-request",
            "resources.memory-request",
            "resources.cpu-limit",
        ] {
            assert_eq!(status(&g, W, id), Status::Pass, "{id}");
        }
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let empty = "apiVersion: v1\nkind: Pod\nmetadata: {name: husk, namespace: shop}\nspec:\n  containers: []\n";
        let g = grade(empty);
        for id in ALL {
            let r = result(&g, "Pod/shop/husk", id);
            assert_eq!(r.status, Status::NotApplicable, "{id}");
            assert!(r.message.contains("no containers"), "{}", r.message);
        }
    }

    #[test]
    fn mixed_sources_are_each_named() {
        let init = "      initContainers:\n        - name: migrate\n          image: example/m:1\n          resources: {limits: {cpu: 200m}}\n";
        let g = grade(&format!("{}{LIMIT_RANGE}", deployment(init, NONE)));
        let r = result(&g, W, "resources.cpu-request");
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.message,
            "every container has a CPU request (app: satisfied by LimitRange shop-defaults (default CPU request); migrate: the CPU limit doubles as the request)"
        );
    }

    #[test]
    fn quantities_compare_by_amount() {
        let q = |s: &str| Quantity(s.to_string());
        assert!(quantities_equal(&q("1"), &q("1000m")));
        assert!(quantities_equal(&q("1Gi"), &q("1024Mi")));
        assert!(!quantities_equal(&q("1G"), &q("1Gi")));
    }
}
