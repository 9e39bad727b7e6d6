//! `meta.*` — what tells people and tools what a workload is (checklist section O; seeds 002
//! "Labels and Selectors", "Observability", "Documentation and Runbook", 000 "Templating").

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{probed_containers, Category, Context, Severity, Subject, Verdict};
use crate::cluster::{Kind, Workload};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

const SECTION: Section = Section {
    category: Category::Operability,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "meta.labels",
            Severity::Info,
            "Pods carry name and version labels",
            "missing `app.kubernetes.io/name` (or `app`) or version label on the pod template",
            "Dashboards, log queries, alerts and `kubectl` selectors all find pods by their labels; without a name and version label an incident responder cannot tell which app or which release a pod belongs to.",
            "Label the pod template with the recommended labels:\n\ntemplate:\n  metadata:\n    labels:\n      app.kubernetes.io/name: web\n      app.kubernetes.io/version: \"1.4.2\"",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Workload(labels),
    },
    Check {
        def: def(
            SECTION,
            "meta.owner",
            Severity::Info,
            "Someone owns the workload",
            "no owner/team and no runbook annotation (configurable keys; defaults include `owner`, `team`, `app.kubernetes.io/part-of`, `a8r.io/owner`, `a8r.io/runbook`)",
            "When it breaks at 3 a.m. the on-call engineer needs to know whom to page and where the runbook is; an unowned workload is one nobody fixes.",
            "Annotate the workload (or its namespace) with its owner and runbook:\n\nmetadata:\n  annotations:\n    a8r.io/owner: team-payments\n    a8r.io/runbook: https://runbooks.example.com/web",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Namespace],
        grade: Grade::Workload(owner),
    },
    Check {
        def: def(
            SECTION,
            "meta.metrics",
            Severity::Info,
            "Metrics are scraped",
            "no sign of metrics scraping: `prometheus.io/scrape`, a named `metrics` port, or a ServiceMonitor/PodMonitor (when those CRDs exist)",
            "Without metrics you learn about saturation and errors from your users; alerts and autoscaling on custom metrics need them too.",
            "Expose metrics on a named port and mark the pods for scraping (or create a ServiceMonitor/PodMonitor):\n\ntemplate:\n  metadata:\n    annotations:\n      prometheus.io/scrape: \"true\"\n      prometheus.io/port: \"9090\"\n  spec:\n    containers:\n      - ports:\n          - name: metrics\n            containerPort: 9090",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::Service, Kind::ServiceMonitor, Kind::PodMonitor],
        grade: Grade::Workload(metrics),
    },
];

const NAME_LABELS: &[&str] = &["app.kubernetes.io/name", "app"];
const VERSION_LABELS: &[&str] = &["app.kubernetes.io/version", "version"];
const SCRAPE: &str = "prometheus.io/scrape";

fn labels(w: &Workload, _: &Context) -> Verdict {
    let labels = w.pod_labels();
    let find = |keys: &[&'static str]| -> Option<&'static str> {
        keys.iter()
            .copied()
            .find(|k| labels.get(*k).is_some_and(|v| !v.trim().is_empty()))
    };
    match (find(NAME_LABELS), find(VERSION_LABELS)) {
        (Some(n), Some(v)) => {
            Verdict::pass(format!("the pod template is labelled with `{n}` and `{v}`"))
        }
        (name, version) => {
            let mut missing = Vec::new();
            if name.is_none() {
                missing.push("name label (`app.kubernetes.io/name` or `app`)");
            }
            if version.is_none() {
                missing.push("version label (`app.kubernetes.io/version` or `version`)");
            }
            Verdict::fail(format!(
                "the pod template has no {}",
                missing.join(" and no ")
            ))
        }
    }
}

/// The first configured owner key set (non-empty) in `meta`'s annotations or labels.
fn owner_key<'k>(meta: Option<&ObjectMeta>, keys: &'k [String]) -> Option<(&'k str, &'static str)> {
    let meta = meta?;
    keys.iter().find_map(|k| {
        let set = |m: &Option<std::collections::BTreeMap<String, String>>| {
            m.as_ref()
                .and_then(|m| m.get(k))
                .is_some_and(|v| !v.trim().is_empty())
        };
        if set(&meta.annotations) {
            Some((k.as_str(), "annotation"))
        } else if set(&meta.labels) {
            Some((k.as_str(), "label"))
        } else {
            None
        }
    })
}

fn owner(w: &Workload, cx: &Context) -> Verdict {
    let keys = &cx.config.owner_keys;
    if keys.is_empty() {
        return Verdict::na("no owner keys are configured (`owner-keys = []`)");
    }
    let kind = w.key.kind.name();
    if let Some((k, what)) = owner_key(Some(&w.meta), keys) {
        return Verdict::pass(format!("the {kind} has the `{k}` {what}"));
    }
    if let Some((k, what)) = owner_key(w.template.metadata.as_ref(), keys) {
        return Verdict::pass(format!("the pod template has the `{k}` {what}"));
    }
    let ns = &w.key.namespace;
    let namespace = cx.model.stores.namespaces.get(&(String::new(), ns.clone()));
    if let Some((k, what)) = owner_key(namespace.map(|n| &n.metadata), keys) {
        return Verdict::pass(format!(
            "satisfied by the namespace: namespace {ns} has the `{k}` {what}"
        ));
    }
    let wanted = keys
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if namespace.is_none() {
        if let Some(why) = cx.missing(&[Kind::Namespace]) {
            return Verdict::unknown(format!("neither the {kind} nor its pod template names an owner, and shipshape {why}, so namespace {ns} may"),
            );
        }
    }
    Verdict::fail(format!("no owner, team or runbook: none of {wanted} is set on the {kind}, its pod template or namespace {ns}"),
    )
}

fn metrics(w: &Workload, cx: &Context) -> Verdict {
    if w.annotation(SCRAPE).is_some_and(is_true) {
        return Verdict::pass(format!("annotated `{SCRAPE}: \"true\"`"));
    }
    if let Some(spec) = w.spec() {
        for c in probed_containers(spec) {
            let named = c
                .container
                .ports
                .iter()
                .flatten()
                .filter_map(|p| p.name.as_deref())
                .find(|n| is_metrics_port(n));
            if let Some(port) = named {
                return Verdict::pass(format!("container {} exposes a `{port}` port", c.name()));
            }
        }
    }
    let services_missing = cx.missing(&[Kind::Service]);
    if services_missing.is_none() {
        let annotated = cx.services_selecting(w).into_iter().find(|s| {
            s.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(SCRAPE))
                .is_some_and(|v| is_true(v))
        });
        if let Some(svc) = annotated {
            return Verdict::pass(format!(
                "Service {} selecting the pods is annotated `{SCRAPE}: \"true\"`",
                svc.metadata.name.as_deref().unwrap_or_default()
            ));
        }
    }
    if let Some(found) = monitor_selecting(w, cx) {
        return Verdict::pass(found);
    }
    if w.is_batch() {
        return Verdict::na("runs to completion: scraping does not apply (push to a Pushgateway if it reports metrics)",
        );
    }
    let monitors_missing = cx.missing(&[Kind::ServiceMonitor, Kind::PodMonitor]);
    if let Some(why) = monitors_missing.filter(|_| cx.model.facts.monitor_crds == Some(true)) {
        return Verdict::unknown(format!("no scrape annotation or metrics port, and the cluster has ServiceMonitor/PodMonitor CRDs but shipshape {why}: one of them may scrape these pods"),
        );
    }
    if let Some(why) = services_missing {
        return Verdict::unknown(format!("no scrape annotation or metrics port on the pods, and shipshape {why}, so a Service annotated for scraping may exist"),
        );
    }
    Verdict::fail(format!("no sign of metrics scraping: no `{SCRAPE}: \"true\"` annotation and no port named `metrics` or `*-metrics`"),
    )
}

/// A PodMonitor selecting the pods, or a ServiceMonitor selecting a Service that selects them
/// (in any namespace whose monitors look at the workload's).
fn monitor_selecting(w: &Workload, cx: &Context) -> Option<String> {
    use crate::cluster::selector::selector_matches;
    let ns = &w.key.namespace;
    let labels = w.pod_labels();
    let stores = &cx.model.stores;
    let watching = |meta: &ObjectMeta, spec: &crate::cluster::crd::prometheus::MonitorSpec| {
        spec.watches_namespace(meta.namespace.as_deref().unwrap_or_default(), ns)
    };
    if let Some(pm) = stores
        .pod_monitors
        .values()
        .find(|pm| watching(&pm.metadata, &pm.spec) && selector_matches(&pm.spec.selector, &labels))
    {
        return Some(format!(
            "PodMonitor {} selects the pods",
            pm.metadata.name.as_deref().unwrap_or_default()
        ));
    }
    let services = cx.services_selecting(w);
    stores.service_monitors.values().find_map(|sm| {
        if !watching(&sm.metadata, &sm.spec) {
            return None;
        }
        let svc = services.iter().find(|s| {
            let empty = Default::default();
            selector_matches(
                &sm.spec.selector,
                s.metadata.labels.as_ref().unwrap_or(&empty),
            )
        })?;
        Some(format!(
            "ServiceMonitor {} scrapes Service {}, which selects the pods",
            sm.metadata.name.as_deref().unwrap_or_default(),
            svc.metadata.name.as_deref().unwrap_or_default()
        ))
    })
}

fn is_true(v: &str) -> bool {
    v.trim().eq_ignore_ascii_case("true")
}

fn is_metrics_port(name: &str) -> bool {
    name == "metrics" || name.ends_with("-metrics")
}

#[cfg(test)]
mod tests {
    use crate::checks::{Severity, Status};
    use crate::cluster::{Kind, Msg};
    use crate::config::Config;
    use crate::grade::grade_all;
    use crate::testing::{grade, model, result, status};

    const W: &str = "Deployment/shop/web";

    const BASE: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations: {a8r.io/owner: team-payments}
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/name: web}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: web, app.kubernetes.io/version: "1.4.2"}
      annotations: {prometheus.io/scrape: "true"}
    spec:
      containers:
        - name: app
          image: example/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
"#;

    fn without_owner() -> String {
        BASE.replace("  annotations: {a8r.io/owner: team-payments}\n", "")
    }

    fn without_scrape() -> String {
        BASE.replace("      annotations: {prometheus.io/scrape: \"true\"}\n", "")
    }

    #[test]
    fn a_well_described_deployment_passes() {
        let g = grade(BASE);
        for id in ["meta.labels", "meta.owner", "meta.metrics"] {
            let r = result(&g, W, id);
            assert_eq!(
                (r.status, r.severity),
                (Status::Pass, Severity::Info),
                "{id}"
            );
        }
        assert!(result(&g, W, "meta.owner")
            .message
            .contains("`a8r.io/owner` annotation"));
    }

    #[test]
    fn labels_need_a_name_and_a_version() {
        let legacy = BASE.replace(
            "labels: {app.kubernetes.io/name: web, app.kubernetes.io/version: \"1.4.2\"}",
            "labels: {app: web, version: v2}",
        );
        let g = grade(&legacy);
        let r = result(&g, W, "meta.labels");
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("`app` and `version`"), "{}", r.message);

        let no_version = BASE.replace(", app.kubernetes.io/version: \"1.4.2\"", "");
        let r = result(&grade(&no_version), W, "meta.labels").clone();
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert_eq!(
            r.message,
            "the pod template has no version label (`app.kubernetes.io/version` or `version`)"
        );
        assert!(!r.message.contains("name label"), "{}", r.message);

        // Labels on the Deployment itself do not label the pods.
        let on_controller = BASE
            .replace(
                "labels: {app.kubernetes.io/name: web, app.kubernetes.io/version: \"1.4.2\"}",
                "labels: {tier: web}",
            )
            .replace(
                "  namespace: shop\n",
                "  namespace: shop\n  labels: {app: web, version: v2}\n",
            );
        let r = result(&grade(&on_controller), W, "meta.labels").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains(
                "has no name label (`app.kubernetes.io/name` or `app`) and no version label"
            ),
            "{}",
            r.message
        );
    }

    #[test]
    fn owner_from_the_template_a_label_or_the_namespace() {
        let g = grade(&without_owner());
        let r = result(&g, W, "meta.owner");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("`a8r.io/runbook`"), "{}", r.message);
        assert!(r.message.contains("namespace shop"), "{}", r.message);

        let team_label = without_owner().replace(
            "labels: {app.kubernetes.io/name: web,",
            "labels: {team: payments, app.kubernetes.io/name: web,",
        );
        let r = result(&grade(&team_label), W, "meta.owner").clone();
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.message, "the pod template has the `team` label");

        let empty = BASE.replace("a8r.io/owner: team-payments", "a8r.io/owner: \"\"");
        assert_eq!(status(&grade(&empty), W, "meta.owner"), Status::Fail);

        let ns = "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations: {a8r.io/runbook: https://runbooks.example.com/shop}\n";
        let r = result(&grade(&format!("{}{ns}", without_owner())), W, "meta.owner").clone();
        assert_eq!(r.status, Status::Pass);
        assert!(
            r.message.contains("satisfied by the namespace"),
            "{}",
            r.message
        );
        assert!(r.message.contains("namespace shop"), "{}", r.message);

        let other_ns = ns.replace("name: shop", "name: other");
        assert_eq!(
            status(
                &grade(&format!("{}{other_ns}", without_owner())),
                W,
                "meta.owner"
            ),
            Status::Fail
        );
    }

    #[test]
    fn owner_keys_come_from_config() {
        let m = model(BASE);
        let config = Config {
            settings: crate::checks::settings::Settings {
                owner_keys: vec!["example.com/squad".into()],
                ..Default::default()
            },
            ..Config::default()
        };
        let r = result(&grade_all(&m, &config), W, "meta.owner").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("`example.com/squad`"), "{}", r.message);

        let config = Config {
            settings: crate::checks::settings::Settings {
                owner_keys: vec![],
                ..Default::default()
            },
            ..Config::default()
        };
        assert_eq!(
            status(&grade_all(&m, &config), W, "meta.owner"),
            Status::NotApplicable
        );
    }

    #[test]
    fn owner_is_unknown_when_namespaces_cannot_be_read() {
        let mut m = model(&without_owner());
        m.apply(Msg::Forbidden(Kind::Namespace));
        let r = result(&grade_all(&m, &Config::default()), W, "meta.owner").clone();
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("Namespace (forbidden)"), "{}", r.message);
    }

    #[test]
    fn metrics_signs() {
        let g = grade(&without_scrape());
        let r = result(&g, W, "meta.metrics");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert!(r.message.contains("no sign of metrics scraping"));

        let scrape_false = BASE.replace(
            "prometheus.io/scrape: \"true\"",
            "prometheus.io/scrape: \"false\"",
        );
        assert_eq!(
            status(&grade(&scrape_false), W, "meta.metrics"),
            Status::Fail
        );

        let on_controller = without_scrape().replace(
            "annotations: {a8r.io/owner: team-payments}",
            "annotations: {a8r.io/owner: team-payments, prometheus.io/scrape: \"true\"}",
        );
        assert_eq!(
            status(&grade(&on_controller), W, "meta.metrics"),
            Status::Pass
        );

        for port in ["metrics", "http-metrics", "envoy-metrics"] {
            let named = without_scrape().replace(
                "ports: [{name: http, containerPort: 8080}]",
                &format!("ports: [{{name: http, containerPort: 8080}}, {{name: {port}, containerPort: 9090}}]"),
            );
            let r = result(&grade(&named), W, "meta.metrics").clone();
            assert_eq!(r.status, Status::Pass, "{port}");
            assert!(r.message.contains(&format!("`{port}`")), "{}", r.message);
        }
        let not_metrics = without_scrape().replace("name: http,", "name: metricsd,");
        assert_eq!(
            status(&grade(&not_metrics), W, "meta.metrics"),
            Status::Fail
        );

        let svc = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  annotations: {prometheus.io/scrape: \"true\"}\nspec:\n  selector: {app.kubernetes.io/name: web}\n  ports: [{port: 80}]\n";
        let r = result(
            &grade(&format!("{}{svc}", without_scrape())),
            W,
            "meta.metrics",
        )
        .clone();
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("Service web"), "{}", r.message);
    }

    #[test]
    fn metrics_unknown_when_monitor_crds_exist_but_cannot_be_read() {
        let mut m = model(&without_scrape());
        m.facts.monitor_crds = Some(true);
        m.apply(Msg::Forbidden(Kind::ServiceMonitor));
        let r = result(&grade_all(&m, &Config::default()), W, "meta.metrics").clone();
        assert_eq!(r.status, Status::Unknown);
        assert!(
            r.message.contains("ServiceMonitor/PodMonitor"),
            "{}",
            r.message
        );
        // A visible sign still passes.
        let mut m = model(BASE);
        m.facts.monitor_crds = Some(true);
        assert_eq!(
            status(&grade_all(&m, &Config::default()), W, "meta.metrics"),
            Status::Pass
        );
        // Known absent CRDs: a plain fail.
        let mut m = model(&without_scrape());
        m.facts.monitor_crds = Some(false);
        assert_eq!(
            status(&grade_all(&m, &Config::default()), W, "meta.metrics"),
            Status::Fail
        );
        // Monitors read and none selects the workload: a plain fail too.
        let mut m = model(&without_scrape());
        m.facts.monitor_crds = Some(true);
        assert_eq!(
            status(&grade_all(&m, &Config::default()), W, "meta.metrics"),
            Status::Fail
        );
    }

    const SERVICE: &str = "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop, labels: {team: shop}}\nspec: {selector: {app.kubernetes.io/name: web}, ports: [{port: 80}]}\n";

    #[test]
    fn a_service_monitor_on_the_workloads_service_passes_metrics() {
        let monitor = "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: shop, namespace: monitoring}\nspec: {selector: {matchLabels: {team: shop}}, namespaceSelector: {matchNames: [shop]}, endpoints: [{port: http}]}\n";
        let g = grade(&format!("{}{SERVICE}{monitor}", without_scrape()));
        let r = result(&g, W, "meta.metrics");
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        assert!(
            r.message
                .contains("ServiceMonitor shop scrapes Service web"),
            "{}",
            r.message
        );
        // A monitor that looks only at its own namespace does not see the workload's Service.
        let local = monitor.replace(", namespaceSelector: {matchNames: [shop]}", "");
        let g = grade(&format!("{}{SERVICE}{local}", without_scrape()));
        assert_eq!(status(&g, W, "meta.metrics"), Status::Fail);
        // Nor does one whose selector matches another Service.
        let other = monitor.replace("team: shop}}", "team: search}}");
        let g = grade(&format!("{}{SERVICE}{other}", without_scrape()));
        assert_eq!(status(&g, W, "meta.metrics"), Status::Fail);
    }

    #[test]
    fn a_pod_monitor_selecting_the_pods_passes_metrics() {
        let monitor = "---\napiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {name: web, namespace: shop}\nspec: {selector: {matchLabels: {app.kubernetes.io/name: web}}, podMetricsEndpoints: [{port: http}]}\n";
        let g = grade(&format!("{}{monitor}", without_scrape()));
        let r = result(&g, W, "meta.metrics");
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        assert!(r.message.contains("PodMonitor web"), "{}", r.message);
    }

    #[test]
    fn metrics_not_applicable_to_batch_and_init_ports_do_not_count() {
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: shop}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: example/m:1}]\n";
        let g = grade(job);
        assert_eq!(
            status(&g, "Job/shop/migrate", "meta.metrics"),
            Status::NotApplicable
        );
        // Labels and owner still apply to Jobs.
        assert_eq!(status(&g, "Job/shop/migrate", "meta.labels"), Status::Fail);
        assert_eq!(status(&g, "Job/shop/migrate", "meta.owner"), Status::Fail);

        let init_port = without_scrape().replace(
            "      containers:\n",
            "      initContainers:\n        - name: setup\n          image: example/s:1\n          ports: [{name: metrics, containerPort: 9090}]\n      containers:\n",
        );
        assert_eq!(status(&grade(&init_port), W, "meta.metrics"), Status::Fail);
    }
}
