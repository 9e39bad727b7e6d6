//! K — cluster checks (seeds 001 "production cluster additions", 004 "Node Termination
//! Handler", "autoscaler").

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{Category, Context, Severity, Status, Subject, Verdict};
use crate::cluster::Kind;
use k8s_openapi::api::core::v1::Node;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeSet;

pub mod addons;
pub mod components;

const SECTION: Section = Section {
    category: Category::Cluster,
    subject: Subject::Cluster,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "cluster.nodes-ready",
            Severity::Critical,
            "Every node is Ready and under no pressure",
            "a node is NotReady, or has Memory/Disk/PID pressure",
            "Pods on a NotReady node are evicted after a timeout and nothing new lands there; a node under pressure evicts pods on its own. Either way capacity the workloads count on is gone.",
            "Find out why the kubelet reports the condition, then drain and repair or replace the node:\n\nkubectl describe node <node>\nkubectl drain <node> --ignore-daemonsets --delete-emptydir-data\n# node pools: let the autoscaler or the node group replace it",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Node],
        grade: Grade::Cluster(nodes_ready),
    },
    Check {
        def: def(
            SECTION,
            "cluster.node-spread",
            Severity::Warning,
            "Workloads can spread over nodes and zones",
            "fewer than 3 schedulable nodes, or all in one zone",
            "With fewer than three schedulable nodes, or all of them in one zone, losing one node or one zone takes replicas (and quorum-based systems) down no matter how the workloads are spread.",
            "Run at least three worker nodes across zones:\n\n# e.g. a managed node group\nnodeGroups:\n  - name: workers\n    minSize: 3\n    availabilityZones: [eu-west-1a, eu-west-1b, eu-west-1c]",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Node],
        grade: Grade::Cluster(node_spread),
    },
    Check {
        def: def(
            SECTION,
            "cluster.metrics-server",
            Severity::Warning,
            "The resource metrics API is served",
            "the metrics.k8s.io API is not available (HPA cannot scale on CPU/memory)",
            "HorizontalPodAutoscalers on CPU or memory and `kubectl top` read metrics.k8s.io; without it autoscaling silently does nothing.",
            "Install metrics-server (or the provider's add-on):\n\nhelm repo add metrics-server https://kubernetes-sigs.github.io/metrics-server/\nhelm install metrics-server metrics-server/metrics-server -n kube-system",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Cluster(metrics_server),
    },
    Check {
        def: def(
            SECTION,
            "cluster.ingress-class",
            Severity::Info,
            "Ingresses and Gateways resolve to a class",
            "Ingresses exist but no IngressClass / default class; Gateways exist but a GatewayClass they name does not",
            "An Ingress that names no existing class, in a cluster without a default class, is picked up by no controller, and so is a Gateway whose GatewayClass does not exist: their routes simply never work.",
            "Mark the controller's class as default, or name it on every Ingress; create the GatewayClass a Gateway names (installing its controller usually does):\n\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: \"true\"\nspec:\n  controller: k8s.io/ingress-nginx\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: cilium\nspec:\n  controllerName: io.cilium/gateway-controller",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Ingress, Kind::IngressClass, Kind::Gateway, Kind::GatewayClass],
        grade: Grade::Cluster(ingress_class),
    },
    Check {
        def: def(
            SECTION,
            "cluster.storage-class",
            Severity::Info,
            "Claims without a class get a default StorageClass",
            "PVCs exist but no default StorageClass",
            "A claim without storageClassName, in a cluster with no default class, is never provisioned: the pod that mounts it stays Pending.",
            "Mark one StorageClass as default (or name the class on every claim):\n\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: standard\n  annotations:\n    storageclass.kubernetes.io/is-default-class: \"true\"\nprovisioner: ebs.csi.aws.com",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::PersistentVolumeClaim, Kind::StorageClass],
        grade: Grade::Cluster(storage_class),
    },
    Check {
        def: def(
            SECTION,
            "cluster.priority-classes",
            Severity::Info,
            "Workload PriorityClasses exist",
            "no non-system PriorityClass exists",
            "Without priority classes every pod is equal under resource pressure: a batch job can preempt or starve the checkout service.",
            "Define a few priority classes and use them on workloads:\n\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: business-critical\nvalue: 100000\nglobalDefault: false\ndescription: customer-facing services",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::PriorityClass],
        grade: Grade::Cluster(priority_classes),
    },
    Check {
        def: def(
            SECTION,
            "cluster.version",
            Severity::Warning,
            "Kubernetes is a supported version",
            "the server version is out of upstream support (older than the three newest minors known to the build)",
            "Upstream supports the three newest minor releases; older ones get no security fixes, and managed providers force upgrades on their own schedule.",
            "Plan an upgrade, one minor version at a time, after checking for removed APIs:\n\n# e.g. on EKS\neksctl upgrade cluster --name prod --version 1.35 --approve",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Cluster(version),
    },
];

/// The newest Kubernetes minor version this build knows (k8s-openapi feature `v1_37`).
pub const NEWEST_KNOWN_MINOR: u32 = 37;
/// How many minors upstream supports at once.
const SUPPORTED_MINORS: u32 = 3;

const CONTROL_PLANE_TAINTS: &[&str] = &[
    "node-role.kubernetes.io/control-plane",
    "node-role.kubernetes.io/master",
];
const ZONE_LABELS: &[&str] = &[
    "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/zone",
];
const NO_NODES: &str = "no Node objects in the input";

fn name(meta: &ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or_default()
}

fn annotation_true(meta: &ObjectMeta, keys: &[&str]) -> bool {
    meta.annotations
        .as_ref()
        .is_some_and(|a| keys.iter().any(|k| a.get(*k).is_some_and(|v| v == "true")))
}

/// Names, shortened to the first few.
fn list(items: &[String]) -> String {
    const SHOWN: usize = 5;
    if items.len() <= SHOWN {
        items.join(", ")
    } else {
        format!(
            "{} and {} more",
            items[..SHOWN].join(", "),
            items.len() - SHOWN
        )
    }
}

/// The nodes, or why they cannot be judged (for `unknown`).
fn nodes<'a>(cx: &Context<'a>) -> Result<Vec<&'a Node>, String> {
    if let Some(why) = cx.missing(&[Kind::Node]) {
        return Err(why);
    }
    let nodes: Vec<&Node> = cx.model.stores.nodes.values().map(|n| &**n).collect();
    if nodes.is_empty() {
        // A cluster never has zero nodes: the input just does not describe them.
        return Err(NO_NODES.to_string());
    }
    Ok(nodes)
}

fn nodes_ready(cx: &Context) -> Verdict {
    let nodes = match nodes(cx) {
        Ok(n) => n,
        Err(why) => return Verdict::unknown(why),
    };
    let mut problems = Vec::new();
    let mut failing = 0;
    let mut silent = Vec::new();
    for n in &nodes {
        let conditions = n.status.as_ref().and_then(|s| s.conditions.as_ref());
        let Some(conditions) = conditions.filter(|c| !c.is_empty()) else {
            silent.push(name(&n.metadata).to_string());
            continue;
        };
        let mut wrong: Vec<String> = Vec::new();
        match conditions.iter().find(|c| c.type_ == "Ready") {
            Some(c) if c.status == "True" => {}
            Some(c) if c.status == "Unknown" => {
                wrong.push("NotReady (kubelet not reporting)".into())
            }
            Some(_) => wrong.push("NotReady".to_string()),
            None => wrong.push("no Ready condition".to_string()),
        }
        for p in ["MemoryPressure", "DiskPressure", "PIDPressure"] {
            if conditions
                .iter()
                .any(|c| c.type_ == p && c.status == "True")
            {
                wrong.push(p.to_string());
            }
        }
        if !wrong.is_empty() {
            failing += 1;
            problems.push(format!("{} {}", name(&n.metadata), wrong.join(", ")));
        }
    }
    if !problems.is_empty() {
        return Verdict::fail(format!(
            "{failing} of {} nodes unhealthy: {}",
            nodes.len(),
            list(&problems)
        ));
    }
    if silent.len() == nodes.len() {
        return Verdict::unknown("the Node objects in the input carry no status conditions");
    }
    let healthy = nodes.len() - silent.len();
    let mut msg = format!(
        "{healthy} node{} Ready with no pressure",
        if healthy == 1 { "" } else { "s" }
    );
    if !silent.is_empty() {
        msg.push_str(&format!("; no conditions for {}", list(&silent)));
    }
    Verdict::pass(msg)
}

/// Can ordinary workloads be scheduled on the node?
fn schedulable(n: &Node) -> bool {
    let Some(spec) = &n.spec else {
        return true;
    };
    let cordoned = spec.unschedulable == Some(true);
    let control_plane = spec.taints.iter().flatten().any(|t| {
        CONTROL_PLANE_TAINTS.contains(&t.key.as_str())
            && matches!(t.effect.as_str(), "NoSchedule" | "NoExecute")
    });
    !cordoned && !control_plane
}

fn zone(n: &Node) -> Option<&str> {
    let labels = n.metadata.labels.as_ref()?;
    ZONE_LABELS
        .iter()
        .find_map(|k| labels.get(*k))
        .map(String::as_str)
}

fn node_spread(cx: &Context) -> Verdict {
    let nodes = match nodes(cx) {
        Ok(n) => n,
        Err(why) => return Verdict::unknown(why),
    };
    let usable: Vec<&&Node> = nodes.iter().filter(|n| schedulable(n)).collect();
    let excluded = nodes.len() - usable.len();
    let excluded_note = if excluded > 0 {
        format!(" ({excluded} cordoned or control-plane)")
    } else {
        String::new()
    };
    if usable.len() < 3 {
        return Verdict::fail(format!(
                "only {} schedulable node{}{excluded_note}: losing one takes a large share of capacity and replicas with it",
                usable.len(),
                if usable.len() == 1 { "" } else { "s" }
            ),
        );
    }
    let zones: BTreeSet<&str> = usable.iter().filter_map(|n| zone(n)).collect();
    let all_labelled = usable.iter().all(|n| zone(n).is_some());
    if all_labelled && zones.len() == 1 {
        let z = zones.iter().next().copied().unwrap_or_default();
        return Verdict::fail(format!(
            "all {} schedulable nodes are in zone {z}: a zone outage takes everything down",
            usable.len()
        ));
    }
    Verdict::pass(if zones.is_empty() {
        format!(
            "{} schedulable nodes{excluded_note}; nodes carry no zone labels",
            usable.len()
        )
    } else {
        format!(
            "{} schedulable nodes{excluded_note} across {} zones",
            usable.len(),
            zones.len()
        )
    })
}

fn metrics_server(cx: &Context) -> Verdict {
    match cx.model.facts.metrics_api {
        Some(true) => Verdict::pass("the metrics.k8s.io API is served"),
        Some(false) => Verdict::fail(
            "the metrics.k8s.io API is not served: HPAs on CPU or memory cannot scale",
        ),
        None if cx.model.facts.from_manifests => {
            Verdict::unknown("manifests do not say whether the metrics.k8s.io API is served")
        }
        None => Verdict::unknown("whether the metrics.k8s.io API is served is not known"),
    }
}

/// Ingresses resolve to an IngressClass, and Gateways to a GatewayClass: a failing half fails
/// the check, an unknown half (with the other passing) makes it unknown.
fn ingress_class(cx: &Context) -> Verdict {
    let ingresses = ingress_classes(cx);
    match super::gateway::gateway_classes(cx) {
        None => ingresses,
        Some(gateways) if ingresses.status == Status::NotApplicable => gateways,
        Some(gateways) => {
            let worst = [Status::Fail, Status::Unknown, Status::Pass]
                .into_iter()
                .find(|s| ingresses.status == *s || gateways.status == *s)
                .unwrap_or(Status::Pass);
            let message = [&ingresses, &gateways]
                .iter()
                .filter(|v| v.status == worst)
                .map(|v| v.message.as_ref())
                .collect::<Vec<_>>()
                .join("; ");
            Verdict::new(worst, message)
        }
    }
}

fn ingress_classes(cx: &Context) -> Verdict {
    if let Some(why) = cx.missing(&[Kind::Ingress]) {
        return Verdict::unknown(why);
    }
    let ingresses = &cx.model.stores.ingresses;
    if ingresses.is_empty() {
        return Verdict::na("no Ingresses");
    }
    if let Some(why) = cx.missing(&[Kind::IngressClass]) {
        return Verdict::unknown(why);
    }
    let classes: Vec<&str> = cx
        .model
        .stores
        .ingress_classes
        .values()
        .map(|c| name(&c.metadata))
        .collect();
    if classes.is_empty() {
        if cx.model.facts.from_manifests {
            return Verdict::unknown("no IngressClass objects in the input");
        }
        return Verdict::fail(format!(
            "{} Ingress{} but no IngressClass: no controller is declared to serve them",
            ingresses.len(),
            if ingresses.len() == 1 { "" } else { "es" }
        ));
    }
    let defaults: Vec<&str> = cx
        .model
        .stores
        .ingress_classes
        .values()
        .filter(|c| {
            annotation_true(
                &c.metadata,
                &["ingressclass.kubernetes.io/is-default-class"],
            )
        })
        .map(|c| name(&c.metadata))
        .collect();
    let mut problems = Vec::new();
    for ing in ingresses.values() {
        let m = &ing.metadata;
        let at = format!("{}/{}", m.namespace.as_deref().unwrap_or_default(), name(m));
        let class = ing
            .spec
            .as_ref()
            .and_then(|s| s.ingress_class_name.as_deref())
            .or_else(|| {
                m.annotations
                    .as_ref()
                    .and_then(|a| a.get("kubernetes.io/ingress.class"))
                    .map(String::as_str)
            });
        match class {
            Some(c) if classes.contains(&c) => {}
            Some(c) => problems.push(format!("{at} names class {c}, which does not exist")),
            None if !defaults.is_empty() => {}
            None => problems.push(format!("{at} names no class")),
        }
    }
    if problems.is_empty() {
        Verdict::pass(match defaults.first() {
            Some(d) => format!("every Ingress resolves to an IngressClass (default: {d})"),
            None => "every Ingress names an existing IngressClass".to_string(),
        })
    } else {
        let mut msg = list(&problems);
        if defaults.is_empty() {
            msg.push_str(&format!(
                "; no IngressClass is marked default (classes: {})",
                classes.join(", ")
            ));
        }
        Verdict::fail(msg)
    }
}

fn storage_class(cx: &Context) -> Verdict {
    if let Some(why) = cx.missing(&[Kind::PersistentVolumeClaim]) {
        return Verdict::unknown(why);
    }
    // Claims: PVCs, and StatefulSet volumeClaimTemplates (PVCs-to-be in manifests).
    // (namespace/name, names a class, already bound)
    let mut claims: Vec<(String, bool)> = Vec::new();
    for pvc in cx.model.stores.pvcs.values() {
        let bound = pvc.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
        let named = pvc
            .spec
            .as_ref()
            .is_some_and(|s| s.storage_class_name.is_some());
        let m = &pvc.metadata;
        claims.push((
            format!("{}/{}", m.namespace.as_deref().unwrap_or_default(), name(m)),
            // A bound claim needs no provisioning.
            named || bound,
        ));
    }
    for sts in cx.model.stores.stateful_sets.values() {
        let m = sts.metadata();
        for t in sts
            .without_pod_spec()
            .spec
            .volume_claim_templates
            .iter()
            .flatten()
        {
            claims.push((
                format!(
                    "{}/{} (volumeClaimTemplate of StatefulSet {})",
                    m.namespace.as_deref().unwrap_or_default(),
                    name(&t.metadata),
                    name(m)
                ),
                t.spec
                    .as_ref()
                    .is_some_and(|s| s.storage_class_name.is_some()),
            ));
        }
    }
    if claims.is_empty() {
        return Verdict::na("no PersistentVolumeClaims");
    }
    let classless: Vec<String> = claims
        .iter()
        .filter(|(_, named)| !named)
        .map(|(n, _)| n.clone())
        .collect();
    if let Some(why) = cx.missing(&[Kind::StorageClass]) {
        if classless.is_empty() {
            return Verdict::pass("every claim names its StorageClass");
        }
        return Verdict::unknown(why);
    }
    let defaults: Vec<&str> = cx
        .model
        .stores
        .storage_classes
        .values()
        .filter(|c| {
            annotation_true(
                &c.metadata,
                &[
                    "storageclass.kubernetes.io/is-default-class",
                    "storageclass.beta.kubernetes.io/is-default-class",
                ],
            )
        })
        .map(|c| name(&c.metadata))
        .collect();
    if let Some(d) = defaults.first() {
        return Verdict::pass(format!("StorageClass {d} is the default"));
    }
    if classless.is_empty() {
        return Verdict::pass("no StorageClass is marked default, but every claim names its class");
    }
    if cx.model.stores.storage_classes.is_empty() && cx.model.facts.from_manifests {
        return Verdict::unknown("no StorageClass objects in the input");
    }
    Verdict::fail(format!(
        "no StorageClass is marked default, and {} claim{} name{} no storageClassName: {}",
        classless.len(),
        if classless.len() == 1 { "" } else { "s" },
        if classless.len() == 1 { "s" } else { "" },
        list(&classless)
    ))
}

fn priority_classes(cx: &Context) -> Verdict {
    if let Some(why) = cx.missing(&[Kind::PriorityClass]) {
        return Verdict::unknown(why);
    }
    let all = &cx.model.stores.priority_classes;
    let own: Vec<String> = all
        .values()
        .map(|p| name(&p.metadata).to_string())
        .filter(|n| !n.starts_with("system-"))
        .collect();
    if !own.is_empty() {
        return Verdict::pass(format!("PriorityClass {}", list(&own)));
    }
    if all.is_empty() && cx.model.facts.from_manifests {
        return Verdict::unknown("no PriorityClass objects in the input");
    }
    Verdict::fail(if all.is_empty() {
        "no PriorityClass exists".to_string()
    } else {
        "only the built-in system-* PriorityClasses exist".to_string()
    })
}

/// `(major, minor)` of a version like `v1.33.4`, `1.33.4-gke.100` or `1.33+`.
pub fn parse_version(v: &str) -> Option<(u32, u32)> {
    let v = v.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let mut parts = v.split('.');
    let number = |s: &str| -> Option<u32> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    let major = number(parts.next()?)?;
    let minor = number(parts.next()?)?;
    Some((major, minor))
}

fn version(cx: &Context) -> Verdict {
    let Some(v) = cx.model.facts.server_version.as_deref() else {
        return Verdict::unknown("the server version is not known");
    };
    let Some((major, minor)) = parse_version(v) else {
        return Verdict::unknown(format!("cannot read server version `{v}`"));
    };
    let oldest = NEWEST_KNOWN_MINOR + 1 - SUPPORTED_MINORS;
    if major > 1 || (major == 1 && minor >= oldest) {
        Verdict::pass(format!(
            "Kubernetes {major}.{minor} is supported upstream (1.{oldest}+)"
        ))
    } else {
        Verdict::fail(format!(
                "Kubernetes {major}.{minor} is out of upstream support: the three newest minors are 1.{oldest} to 1.{NEWEST_KNOWN_MINOR}"
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::parse_version;
    use crate::checks::{Severity, Status};
    use crate::cluster::ClusterModel;
    use crate::config::Config;
    use crate::grade::{grade_all, Grades};
    use crate::source::LoadOptions;
    use crate::testing::{grade, model, model_with, object, object_result};

    const ROW: &str = "Cluster//cluster";
    const EMPTY: &str = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";

    fn node(name: &str, zone: &str, extra_conditions: &str, spec: &str) -> String {
        format!(
            "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels: {{topology.kubernetes.io/zone: {zone}}}\n{spec}status:\n  conditions:\n    - {{type: Ready, status: \"True\"}}\n    - {{type: MemoryPressure, status: \"False\"}}\n{extra_conditions}"
        )
    }

    fn three_nodes() -> String {
        format!(
            "{}{}{}",
            node("n1", "a", "", ""),
            node("n2", "b", "", ""),
            node("n3", "c", "", "")
        )
    }

    /// Grades as a live cluster (not manifests), with facts set by `f`.
    fn live(yaml: &str, f: impl FnOnce(&mut ClusterModel)) -> Grades {
        let mut m = model(yaml);
        m.facts.from_manifests = false;
        f(&mut m);
        grade_all(&m, &Config::default())
    }

    #[test]
    fn every_check_yields_one_result() {
        let g = grade(&three_nodes());
        assert_eq!(
            object(&g, ROW).results.len(),
            super::CHECKS.len() + super::addons::CHECKS.len()
        );
    }

    #[test]
    fn nodes_ready() {
        let g = grade(&three_nodes());
        let r = object_result(&g, ROW, "cluster.nodes-ready");
        assert_eq!((r.status, r.severity), (Status::Pass, Severity::Critical));
        assert!(r.message.contains("3 nodes Ready"), "{}", r.message);
        let sick = three_nodes().replacen(
            "{type: Ready, status: \"True\"}",
            "{type: Ready, status: \"False\"}",
            1,
        ) + &node(
            "n4",
            "a",
            "    - {type: DiskPressure, status: \"True\"}\n",
            "",
        );
        let g = grade(&sick);
        let r = object_result(&g, ROW, "cluster.nodes-ready");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("n1 NotReady"), "{}", r.message);
        assert!(r.message.contains("n4 DiskPressure"), "{}", r.message);
        assert!(r.message.contains("2 of 4"), "{}", r.message);
        let unknown = three_nodes().replacen("status: \"True\"", "status: Unknown", 1);
        let r = object_result(&grade(&unknown), ROW, "cluster.nodes-ready").clone();
        assert!(r.message.contains("not reporting"), "{}", r.message);
    }

    #[test]
    fn no_nodes_in_the_input_is_unknown_not_fail() {
        let app = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}}\n";
        let g = grade(app);
        for id in ["cluster.nodes-ready", "cluster.node-spread"] {
            let r = object_result(&g, ROW, id);
            assert_eq!(r.status, Status::Unknown, "{id}");
            assert!(r.message.contains("no Node objects"), "{}", r.message);
        }
        // Nodes without status cannot be judged ready.
        let bare = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n";
        assert_eq!(
            object_result(&grade(bare), ROW, "cluster.nodes-ready").status,
            Status::Unknown
        );
        // Forbidden or unsynced kinds are unknown too.
        let opts = LoadOptions {
            partial: true,
            ..Default::default()
        };
        let g = grade_all(&model_with(app, &opts), &Config::default());
        let r = object_result(&g, ROW, "cluster.node-spread");
        assert_eq!(r.status, Status::Unknown);
        assert!(
            r.message.contains("Node (not in the input)"),
            "{}",
            r.message
        );
    }

    #[test]
    fn node_spread() {
        let g = grade(&three_nodes());
        let r = object_result(&g, ROW, "cluster.node-spread");
        assert_eq!((r.status, r.severity), (Status::Pass, Severity::Warning));
        assert!(r.message.contains("3 zones"), "{}", r.message);
        // One zone.
        let one_zone = three_nodes()
            .replace("zone: b", "zone: a")
            .replace("zone: c", "zone: a");
        let r = object_result(&grade(&one_zone), ROW, "cluster.node-spread").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("zone a"), "{}", r.message);
        // A cordoned node and a control-plane node do not count.
        let cordoned = format!(
            "{}{}{}",
            node("n1", "a", "", ""),
            node("n2", "b", "", "spec: {unschedulable: true}\n"),
            node(
                "n3",
                "c",
                "",
                "spec: {taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}\n"
            )
        );
        let r = object_result(&grade(&cordoned), ROW, "cluster.node-spread").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("only 1 schedulable node (2 cordoned"),
            "{}",
            r.message
        );
        // No zone labels (bare metal, kind): three nodes pass.
        let unlabelled = three_nodes().replace("  labels: {topology.kubernetes.io/zone: a}\n", "");
        let unlabelled = unlabelled
            .replace("  labels: {topology.kubernetes.io/zone: b}\n", "")
            .replace("  labels: {topology.kubernetes.io/zone: c}\n", "");
        let r = object_result(&grade(&unlabelled), ROW, "cluster.node-spread").clone();
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("no zone labels"), "{}", r.message);
    }

    #[test]
    fn metrics_server_follows_the_fact() {
        let g = live(EMPTY, |m| m.facts.metrics_api = Some(false));
        let r = object_result(&g, ROW, "cluster.metrics-server");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        let g = live(EMPTY, |m| m.facts.metrics_api = Some(true));
        assert_eq!(
            object_result(&g, ROW, "cluster.metrics-server").status,
            Status::Pass
        );
        let g = grade(&three_nodes());
        assert_eq!(
            object_result(&g, ROW, "cluster.metrics-server").status,
            Status::Unknown
        );
    }

    const ING: &str = "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec:\n  rules: [{host: shop.example.com}]\n";
    const CLASS: &str = "---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n  annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}\nspec: {controller: k8s.io/ingress-nginx}\n";

    #[test]
    fn ingress_class() {
        let g = grade(&three_nodes());
        assert_eq!(
            object_result(&g, ROW, "cluster.ingress-class").status,
            Status::NotApplicable
        );
        let r = object_result(
            &grade(&format!("{ING}{CLASS}")),
            ROW,
            "cluster.ingress-class",
        )
        .clone();
        assert_eq!((r.status, r.severity), (Status::Pass, Severity::Info));
        assert!(r.message.contains("default: nginx"), "{}", r.message);
        // Not the default, and the Ingress names none: no controller serves it.
        let not_default = CLASS.replace("\"true\"", "\"false\"");
        let r = object_result(
            &grade(&format!("{ING}{not_default}")),
            ROW,
            "cluster.ingress-class",
        )
        .clone();
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("shop/web names no class"),
            "{}",
            r.message
        );
        // Naming the class explicitly passes without a default.
        let named = ING.replace("spec:\n", "spec:\n  ingressClassName: nginx\n");
        assert_eq!(
            object_result(
                &grade(&format!("{named}{not_default}")),
                ROW,
                "cluster.ingress-class"
            )
            .status,
            Status::Pass
        );
        // Naming a class that does not exist fails even with a default.
        let typo = ING.replace("spec:\n", "spec:\n  ingressClassName: ngnix\n");
        let r = object_result(
            &grade(&format!("{typo}{CLASS}")),
            ROW,
            "cluster.ingress-class",
        )
        .clone();
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("ngnix, which does not exist"),
            "{}",
            r.message
        );
        // Manifests without IngressClass objects say nothing about the cluster.
        let r = object_result(&grade(ING), ROW, "cluster.ingress-class").clone();
        assert_eq!(r.status, Status::Unknown);
        // A live cluster without any IngressClass fails.
        let r = object_result(&live(ING, |_| {}), ROW, "cluster.ingress-class").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("no IngressClass"), "{}", r.message);
    }

    const PVC: &str = "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: shop}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n";
    const SC: &str = "---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: standard\n  annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}\nprovisioner: ebs.csi.aws.com\n";

    #[test]
    fn storage_class() {
        assert_eq!(
            object_result(&grade(&three_nodes()), ROW, "cluster.storage-class").status,
            Status::NotApplicable
        );
        let r = object_result(&grade(&format!("{PVC}{SC}")), ROW, "cluster.storage-class").clone();
        assert_eq!((r.status, r.severity), (Status::Pass, Severity::Info));
        assert!(r.message.contains("standard"), "{}", r.message);
        let not_default = SC.replace("\"true\"", "\"false\"");
        let r = object_result(
            &grade(&format!("{PVC}{not_default}")),
            ROW,
            "cluster.storage-class",
        )
        .clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("shop/data"), "{}", r.message);
        // A claim that names its class needs no default.
        let named = PVC.replace("spec:\n", "spec:\n  storageClassName: standard\n");
        assert_eq!(
            object_result(
                &grade(&format!("{named}{not_default}")),
                ROW,
                "cluster.storage-class"
            )
            .status,
            Status::Pass
        );
        // StatefulSet claim templates are claims too.
        let sts = "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec:\n  selector: {matchLabels: {app: db}}\n  serviceName: db\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: postgres:16}]}\n  volumeClaimTemplates:\n    - metadata: {name: pgdata}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";
        let r = object_result(&live(sts, |_| {}), ROW, "cluster.storage-class").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("StatefulSet db"), "{}", r.message);
        // Manifests without StorageClass objects cannot tell.
        assert_eq!(
            object_result(&grade(PVC), ROW, "cluster.storage-class").status,
            Status::Unknown
        );
    }

    #[test]
    fn priority_classes() {
        let system = "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: system-cluster-critical}\nvalue: 2000000000\n";
        let own = "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: business-critical}\nvalue: 100000\n";
        let r = object_result(
            &grade(&format!("{system}{own}")),
            ROW,
            "cluster.priority-classes",
        )
        .clone();
        assert_eq!((r.status, r.severity), (Status::Pass, Severity::Info));
        assert!(r.message.contains("business-critical"), "{}", r.message);
        let r = object_result(&grade(system), ROW, "cluster.priority-classes").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("system-*"), "{}", r.message);
        assert_eq!(
            object_result(&grade(&three_nodes()), ROW, "cluster.priority-classes").status,
            Status::Unknown
        );
        assert_eq!(
            object_result(&live(EMPTY, |_| {}), ROW, "cluster.priority-classes").status,
            Status::Fail
        );
    }

    #[test]
    fn versions() {
        assert_eq!(parse_version("v1.33.4"), Some((1, 33)));
        assert_eq!(parse_version("1.33.4-gke.100"), Some((1, 33)));
        assert_eq!(parse_version("v1.29.3-eks-adc7111"), Some((1, 29)));
        assert_eq!(parse_version("1.31+"), Some((1, 31)));
        assert_eq!(parse_version("banana"), None);
        let at = |v: &str| {
            let v = v.to_string();
            object_result(
                &live(EMPTY, |m| m.facts.server_version = Some(v)),
                ROW,
                "cluster.version",
            )
            .clone()
        };
        let r = at("v1.35.0");
        assert_eq!((r.status, r.severity), (Status::Pass, Severity::Warning));
        assert_eq!(at("1.37.2").status, Status::Pass);
        assert_eq!(at("1.38.0").status, Status::Pass);
        let r = at("v1.34.9-eks-1");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("1.34"), "{}", r.message);
        assert!(r.message.contains("1.35 to 1.37"), "{}", r.message);
        assert_eq!(at("unknown").status, Status::Unknown);
        assert_eq!(
            object_result(&grade(&three_nodes()), ROW, "cluster.version").status,
            Status::Unknown
        );
    }
}
