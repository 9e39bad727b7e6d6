//! Runs the checklist over the model: workloads, namespaces, services, ingresses, the
//! cluster; then applies config (disabled checks, severity overrides, waivers) and scores.

use crate::checks::context::in_namespace;
use crate::checks::{self, registry, Alert, CheckResult, Context, Severity, Status};
use crate::cluster::{ClusterModel, Kind, Touched, Workload, WorkloadKey, WorkloadKind};
use crate::config::Config;
use crate::score::{mean, score_and_grade, Grade, Health};
use crate::subject::SubjectKey;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

pub const IGNORE_ANNOTATION: &str = "shipshape.dev/ignore";
pub const IGNORE_REASON_ANNOTATION: &str = "shipshape.dev/ignore-reason";

/// A graded workload.
#[derive(Clone, Debug, Serialize)]
pub struct WorkloadReport {
    pub key: WorkloadKey,
    pub results: Vec<CheckResult>,
    pub alerts: Vec<Alert>,
    pub score: Option<f64>,
    pub grade: Option<Grade>,
    pub health: Health,
    /// Ready pods.
    pub ready: i32,
    /// Desired replicas, when the controller says.
    pub desired: Option<i32>,
    /// Container restarts summed over the pods.
    pub restarts: i32,
    /// Failing scored checks (kept so rollups need not walk every result).
    pub failing_checks: usize,
    /// Failing critical checks (each caps the grade at C).
    pub critical_failures: usize,
}

impl WorkloadReport {
    pub fn failing(&self) -> impl Iterator<Item = &CheckResult> {
        self.results.iter().filter(|r| r.status == Status::Fail)
    }

    /// The most severe failing check, for one-line summaries.
    pub fn worst_finding(&self) -> Option<&CheckResult> {
        self.failing()
            .filter(|r| r.is_scored())
            .max_by_key(|r| r.severity)
    }
}

/// A graded subject that is not a workload: a namespace's guardrails, a Service, an Ingress,
/// the cluster, an object in a removed API version.
#[derive(Clone, Debug, Serialize)]
pub struct ObjectReport {
    #[serde(flatten)]
    pub key: SubjectKey,
    pub results: Vec<CheckResult>,
    pub score: Option<f64>,
    pub grade: Option<Grade>,
}

/// A namespace's rollup.
#[derive(Clone, Debug, Serialize)]
pub struct NamespaceReport {
    pub name: String,
    pub system: bool,
    /// Mean of its workloads' scores.
    pub score: Option<f64>,
    pub grade: Option<Grade>,
    pub health: Health,
    pub workloads: usize,
    /// Workloads with at least one failing scored check.
    pub failing_workloads: usize,
    /// Workloads failing a critical check (what caps their grade at C).
    pub critical_workloads: usize,
    pub alerts: usize,
}

/// Everything graded.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Grades {
    pub workloads: BTreeMap<WorkloadKey, WorkloadReport>,
    pub namespaces: BTreeMap<String, NamespaceReport>,
    /// Namespace guardrails, Services, Ingresses, the cluster, removed APIs: each namespace's
    /// rows together, then the cluster's, then removed APIs' (the order of [`SubjectKey`]).
    pub objects: BTreeMap<SubjectKey, ObjectReport>,
    pub cluster_score: Option<f64>,
    pub cluster_grade: Option<Grade>,
    pub cluster_health: Health,
    /// Alerts of the cluster row: add-ons that are installed but failing (on the add-on's
    /// workload), in the cluster's health.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cluster_alerts: Vec<Alert>,
}

impl Grades {
    /// The cluster row, once graded.
    pub fn cluster_row(&self) -> Option<&ObjectReport> {
        self.objects.get(&SubjectKey::Cluster)
    }

    fn insert(&mut self, row: ObjectReport) {
        self.objects.insert(row.key.clone(), row);
    }

    pub fn alerts(&self) -> impl Iterator<Item = &Alert> {
        self.workloads
            .values()
            .flat_map(|w| w.alerts.iter())
            .chain(&self.cluster_alerts)
    }
}

/// Grades the whole model.
pub fn grade_all(model: &ClusterModel, config: &Config) -> Grades {
    let cx = Context::new(model, config);
    let mut grades = Grades::default();
    crate::policy::namespace_values::sharing(|| {
        for key in model.workload_keys() {
            if let Some(w) = model.workload(&key) {
                grades
                    .workloads
                    .insert(key, grade_workload(&cx, config, &w));
            }
        }
    });
    for ns in model.namespace_names() {
        for row in namespace_objects(&cx, &ns) {
            grades.insert(row);
        }
    }
    push_cluster_row(&mut grades, &cx);
    merge_rows(&mut grades.objects, api_rows(&cx, |_| true));
    rollup(&mut grades, model, config);
    grades
}

/// Which subjects have checks that read a kind, from the registry's declarations.
#[derive(Clone, Copy, Debug, Default)]
struct Readers {
    /// A workload check.
    workloads: bool,
    /// A namespace, Service or Ingress check (the rows of a namespace).
    rows: bool,
    /// A cluster check.
    cluster: bool,
}

fn readers(kind: Kind) -> Readers {
    use checks::registry::Grade;
    static BY_KIND: std::sync::OnceLock<std::collections::HashMap<Kind, Readers>> =
        std::sync::OnceLock::new();
    let by_kind = BY_KIND.get_or_init(|| {
        let mut by_kind: std::collections::HashMap<Kind, Readers> = Default::default();
        for check in registry::all() {
            for kind in check.reads {
                let r = by_kind.entry(*kind).or_default();
                match check.grade {
                    Grade::Template(_)
                    | Grade::Workload(_)
                    | Grade::Health(_)
                    | Grade::Object { .. } => r.workloads = true,
                    Grade::Namespace(_)
                    | Grade::Service(_)
                    | Grade::Ingress(_)
                    | Grade::Gateway(_)
                    | Grade::Route(_)
                    | Grade::Tls { .. } => r.rows = true,
                    Grade::Cluster(_) => r.cluster = true,
                    // Custom checks read the workload and its Namespace, which meta.owner
                    // reads too.
                    Grade::Runtime => {}
                }
            }
        }
        by_kind
    });
    by_kind.get(&kind).copied().unwrap_or_default()
}

/// Objects that are part of a workload (its controller, pods, owned ReplicaSets and Jobs,
/// events): the model says which workloads a change to one touches, and which Services may
/// select other pods now.
fn part_of_a_workload(kind: Kind) -> bool {
    kind == Kind::Pod || kind == Kind::Event || WorkloadKind::of_object_kind(kind).is_some()
}

/// The subjects of the namespace rows: a change to one regrades its namespace's rows.
fn row_subject(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Namespace
            | Kind::Service
            | Kind::Ingress
            | Kind::Gateway
            | Kind::HTTPRoute
            | Kind::GRPCRoute
    )
}

/// Regrades what a batch of messages made stale: the workloads whose own objects changed, and
/// the subjects whose checks read a kind that changed (by the registry's declarations).
pub fn regrade(grades: &mut Grades, model: &ClusterModel, config: &Config, touched: &Touched) {
    if touched.everything {
        // The old grades go first: two sets of every workload's results at once would double
        // what grades add to the peak memory.
        *grades = Grades::default();
        *grades = grade_all(model, config);
        return;
    }
    if touched.is_empty() {
        return;
    }
    let resolved;
    let touched = if touched.selected.is_empty() {
        touched
    } else {
        let mut t = touched.clone();
        model.resolve(&mut t);
        resolved = t;
        &resolved
    };
    let cx = Context::new(model, config);
    let mut keys: BTreeSet<WorkloadKey> = touched.workloads.clone();
    // Namespaces whose every object row is regraded.
    let mut namespaces: BTreeSet<String> = BTreeSet::new();
    // Namespaces whose every workload is regraded.
    let mut whole: BTreeSet<String> = BTreeSet::new();
    let mut cluster = false;
    for (kind, scopes) in &touched.changed {
        let kind = *kind;
        let read = readers(kind);
        let own = part_of_a_workload(kind);
        // A cluster-scoped kind that workload checks read (Nodes, StorageClasses,
        // PriorityClasses): every workload.
        let cluster_scoped = (!kind.namespaced() && kind != Kind::Namespace)
            || ClusterModel::selects_across_namespaces(kind);
        if read.workloads && !own && cluster_scoped {
            *grades = Grades::default();
            *grades = grade_all(model, config);
            return;
        }
        for ns in scopes {
            // Objects that apply by selector touched the workloads they select, old and new.
            if read.workloads && !own && !ClusterModel::applies_by_selector(kind) {
                whole.insert(ns.clone());
            }
            if (read.rows && !own) || row_subject(kind) {
                if cluster_scoped {
                    namespaces.extend(model.namespace_names());
                } else {
                    namespaces.insert(ns.clone());
                }
            }
        }
        cluster |= read.cluster;
    }
    // A route may send traffic to Services of other namespaces: a Service change there
    // regrades the route's namespace too.
    if let Some(scopes) = touched.changed.get(&Kind::Service) {
        namespaces.extend(checks::route::namespaces_routing_into(&cx, scopes));
    }
    for ns in &whole {
        keys.extend(
            grades
                .workloads
                .keys()
                .filter(|k| &k.namespace == ns)
                .cloned(),
        );
        keys.extend(model.workload_keys_in(ns));
    }
    // Rows of objects in removed API versions depend on which objects are workloads: where
    // the source has any, a namespace whose workloads changed is regraded whole.
    let api_rows_move =
        !model.written_api_versions.is_empty() || !model.removed_api_objects.is_empty();
    // Namespaces where only workloads changed: only Services can depend on those.
    let mut service_namespaces = BTreeSet::new();
    crate::policy::namespace_values::sharing(|| {
        for key in keys {
            if api_rows_move {
                namespaces.insert(key.namespace.clone());
            } else {
                service_namespaces.insert(key.namespace.clone());
            }
            match model.workload(&key).filter(|_| model.is_workload(&key)) {
                Some(w) => {
                    grades
                        .workloads
                        .insert(key, grade_workload(&cx, config, &w));
                }
                None => {
                    grades.workloads.remove(&key);
                }
            }
        }
    });
    grades
        .objects
        .retain(|k, _| !(namespaces.contains(k.scope()) || cluster && k.is_cluster()));
    for ns in &namespaces {
        for row in namespace_objects(&cx, ns) {
            grades.insert(row);
        }
    }
    if cluster {
        push_cluster_row(grades, &cx);
    }
    for ns in service_namespaces.difference(&namespaces) {
        regrade_services(
            grades,
            &cx,
            ns,
            touched.labels.get(ns),
            touched.templates.contains(ns),
        );
    }
    merge_rows(
        &mut grades.objects,
        api_rows(&cx, |ns| namespaces.contains(ns)),
    );
    rollup(grades, model, config);
}

/// After workloads of a namespace changed (and nothing else in it): regrades the Services that
/// select pods or templates with the `changed` labels (old or new); and every Service of the
/// namespace when `workloads_moved` (a workload came, went or was relabelled), since a Service
/// that selects nothing names the closest workload. The guardrail row, Ingresses and other
/// Services depend on none of it.
fn regrade_services(
    grades: &mut Grades,
    cx: &Context,
    ns: &str,
    changed: Option<&BTreeSet<crate::cluster::selector::Labels>>,
    workloads_moved: bool,
) {
    use crate::cluster::selector::map_selector_matches;
    let services: Vec<_> = in_namespace(&cx.model.stores.services, ns)
        .filter(|svc| {
            let selector = svc.spec.as_ref().and_then(|s| s.selector.as_ref());
            // Selector-less and ExternalName Services are n/a whatever runs.
            let Some(selector) = selector.filter(|s| !s.is_empty()) else {
                return false;
            };
            workloads_moved
                || changed
                    .is_some_and(|sets| sets.iter().any(|l| map_selector_matches(selector, l)))
        })
        .collect();
    if services.is_empty() {
        return;
    }
    for row in service_rows(cx, ns, services.into_iter()) {
        grades.insert(row);
    }
}

/// Grades Services of one namespace against its workloads.
fn service_rows<'m>(
    cx: &Context<'m>,
    ns: &str,
    services: impl Iterator<Item = &'m k8s_openapi::api::core::v1::Service>,
) -> Vec<ObjectReport> {
    let mut services = services.peekable();
    if services.peek().is_none() {
        return Vec::new();
    }
    let scope = checks::service::ServiceScope::new(*cx, ns);
    services
        .map(|svc| {
            let view = checks::service::ServiceView::new(svc, &scope);
            let results = registry::all()
                .filter_map(|c| c.on_service(&view))
                .collect();
            let m = &svc.metadata;
            object_report(
                cx,
                SubjectKey::object(Kind::Service, ns_of(m), name_of(m)),
                Some(m),
                results,
            )
        })
        .collect()
}

/// The guardrail row, Services and Ingresses of one namespace.
fn namespace_objects(cx: &Context, ns: &str) -> Vec<ObjectReport> {
    let model = cx.model;
    let mut out = Vec::new();
    if model.namespace_names().iter().any(|n| n == ns) {
        let results = registry::all()
            .filter_map(|c| c.on_namespace(ns, cx))
            .collect();
        let meta = model
            .stores
            .namespaces
            .get(&(String::new(), ns.to_string()))
            .map(|n| &n.metadata);
        out.push(object_report(
            cx,
            SubjectKey::Namespace(ns.to_string()),
            meta,
            results,
        ));
    }
    out.extend(service_rows(
        cx,
        ns,
        in_namespace(&model.stores.services, ns),
    ));
    for ing in in_namespace(&model.stores.ingresses, ns) {
        let results = registry::all()
            .filter_map(|c| c.on_ingress(ing, cx))
            .collect();
        let m = &ing.metadata;
        out.push(object_report(
            cx,
            SubjectKey::object(Kind::Ingress, ns_of(m), name_of(m)),
            Some(m),
            results,
        ));
    }
    out.extend(gateway_api_rows(cx, ns));
    out
}

/// The Gateways and routes (HTTPRoute, GRPCRoute) of one namespace.
fn gateway_api_rows(cx: &Context, ns: &str) -> Vec<ObjectReport> {
    let mut out = Vec::new();
    for gw in in_namespace(&cx.model.stores.gateways, ns) {
        let results = registry::all()
            .filter_map(|c| c.on_gateway(gw, cx))
            .collect();
        let m = &gw.metadata;
        out.push(object_report(
            cx,
            SubjectKey::object(Kind::Gateway, ns_of(m), name_of(m)),
            Some(m),
            results,
        ));
    }
    for route in checks::route::routes_in(cx, ns) {
        let results = registry::all()
            .filter_map(|c| c.on_route(&route, cx))
            .collect();
        let m = route.meta;
        out.push(object_report(
            cx,
            SubjectKey::object(route.kind, ns_of(m), name_of(m)),
            Some(m),
            results,
        ));
    }
    out
}

/// The cluster row (section K).
fn cluster_row(cx: &Context) -> ObjectReport {
    let results = registry::all().filter_map(|c| c.on_cluster(cx)).collect();
    object_report(cx, SubjectKey::Cluster, None, results)
}

/// The cluster row and the alerts its runtime checks raise.
fn push_cluster_row(grades: &mut Grades, cx: &Context) {
    let row = cluster_row(cx);
    grades.cluster_alerts = checks::cluster::addons::alerts(cx, &row.results);
    grades.insert(row);
}

/// Rows for objects in removed API versions, in the namespaces `wanted` accepts.
fn api_rows(cx: &Context, wanted: impl Fn(&str) -> bool) -> Vec<ObjectReport> {
    registry::all()
        .flat_map(|c| c.on_objects(cx))
        .filter(|(_, ns, _, _)| wanted(ns))
        .map(|(kind, namespace, name, result)| {
            let key = SubjectKey::Removed {
                kind,
                namespace,
                name,
            };
            object_report(cx, key, None, vec![result])
        })
        .collect()
}

/// Adds rows to `objects`, folding a row into an existing one for the same object (an Ingress
/// in a removed API version has one row with both its networking and api.removed results).
fn merge_rows(objects: &mut BTreeMap<SubjectKey, ObjectReport>, rows: Vec<ObjectReport>) {
    for row in rows {
        let (kind, namespace, name) = (row.key.kind(), row.key.namespace(), row.key.name());
        match objects
            .values_mut()
            .find(|o| !o.key.is_namespace() && o.key.is(kind, namespace, name))
        {
            Some(o) => {
                o.results.extend(row.results);
                (o.score, o.grade) = score_and_grade(&o.results);
            }
            None => {
                objects.insert(row.key.clone(), row);
            }
        }
    }
}

fn ns_of(m: &ObjectMeta) -> &str {
    m.namespace.as_deref().unwrap_or_default()
}

fn name_of(m: &ObjectMeta) -> &str {
    m.name.as_deref().unwrap_or_default()
}

/// Namespace and cluster rollups from workload reports.
pub fn rollup(grades: &mut Grades, model: &ClusterModel, config: &Config) {
    let pods_known = model.knows(Kind::Pod);
    let mut namespaces = BTreeMap::new();
    let mut by_namespace: BTreeMap<&str, Vec<&WorkloadReport>> = BTreeMap::new();
    for w in grades.workloads.values() {
        by_namespace
            .entry(w.key.namespace.as_str())
            .or_default()
            .push(w);
    }
    for ns in model.namespace_names() {
        let ws: &[&WorkloadReport] = by_namespace.get(ns.as_str()).map_or(&[], |v| v.as_slice());
        let score = mean(ws.iter().map(|w| w.score));
        let critical_failed = false;
        namespaces.insert(
            ns.clone(),
            NamespaceReport {
                system: config.is_system_namespace(&ns),
                score,
                grade: score.map(|s| Grade::from_score(s, critical_failed)),
                health: if ws.is_empty() && !pods_known {
                    Health::Unknown
                } else {
                    Health::worst(ws.iter().map(|w| w.health))
                },
                workloads: ws.len(),
                failing_workloads: ws.iter().filter(|w| w.failing_checks > 0).count(),
                critical_workloads: ws.iter().filter(|w| w.critical_failures > 0).count(),
                alerts: ws.iter().map(|w| w.alerts.len()).sum(),
                name: ns,
            },
        );
    }
    let user: Vec<&WorkloadReport> = by_namespace
        .iter()
        .filter(|(ns, _)| !config.is_system_namespace(ns))
        .flat_map(|(_, ws)| ws.iter().copied())
        .collect();
    grades.cluster_score = mean(user.iter().map(|w| w.score));
    grades.cluster_grade = grades.cluster_score.map(|s| Grade::from_score(s, false));
    grades.cluster_health = Health::worst(user.iter().map(|w| w.health));
    if !grades.cluster_alerts.is_empty() {
        let add_ons = Health::from_alerts(&grades.cluster_alerts, true);
        grades.cluster_health = grades.cluster_health.min(add_ons);
    }
    grades.namespaces = namespaces;
}

/// Runs every workload check on one workload, then the config's custom checks and the
/// cluster's admission policies.
pub fn grade_workload(cx: &Context, config: &Config, w: &Workload) -> WorkloadReport {
    // Readiness checks first, then runtime health, each in checklist order.
    let mut results: Vec<CheckResult> = registry::all()
        .filter_map(|c| c.on_workload(w, cx))
        .collect();
    results.extend(crate::policy::workload_results(
        w,
        cx,
        &config.custom_checks,
        config.admission_policies.as_deref(),
    ));
    let mut alerts = Vec::new();
    let scan = checks::health::Scan::new(w, *cx);
    results.extend(registry::all().filter_map(|c| c.on_health(&scan, &mut alerts)));
    let results = finish(
        cx,
        &w.key.namespace,
        &w.key.name,
        Some(&w.meta),
        w.template.metadata.as_ref(),
        results,
    );
    // Alerts whose check is waived or disabled do not drive health.
    alerts.retain(|a| {
        results
            .iter()
            .any(|r| r.check == a.check && r.status == Status::Fail)
    });
    for a in &mut alerts {
        if let Some(r) = results.iter().find(|r| r.check == a.check) {
            a.severity = r.severity;
        }
    }
    let (score, grade) = score_and_grade(&results);
    let results_failing = results
        .iter()
        .filter(|r| r.is_scored() && r.status == Status::Fail)
        .count();
    let critical_failures = results
        .iter()
        .filter(|r| r.is_scored() && r.status == Status::Fail && r.severity == Severity::Critical)
        .count();
    // Plain manifests carry no runtime state: health is unknown, not healthy.
    let has_runtime_state =
        !w.pods.is_empty() || !cx.model.facts.from_manifests || w.controller_reports_status();
    let pods_known = cx.model.knows(Kind::Pod) && has_runtime_state;
    let ready = w
        .pods
        .iter()
        .filter(|p| crate::checks::health::pod_is_ready(p))
        .count() as i32;
    let restarts = w
        .pods
        .iter()
        .map(|p| crate::checks::health::pod_restarts(p))
        .sum();
    WorkloadReport {
        key: w.key.clone(),
        health: Health::from_alerts(&alerts, pods_known),
        results,
        alerts,
        score,
        grade,
        ready,
        desired: w.desired_replicas(),
        restarts,
        failing_checks: results_failing,
        critical_failures,
    }
}

fn object_report(
    cx: &Context,
    key: SubjectKey,
    meta: Option<&ObjectMeta>,
    results: Vec<CheckResult>,
) -> ObjectReport {
    let results = finish(cx, key.namespace(), key.name(), meta, None, results);
    let (score, grade) = score_and_grade(&results);
    ObjectReport {
        key,
        results,
        score,
        grade,
    }
}

/// Applies config to raw results: drops disabled checks, overrides severities, and waives
/// what the `shipshape.dev/ignore` annotation or a config waiver covers.
pub fn finish(
    cx: &Context,
    namespace: &str,
    name: &str,
    meta: Option<&ObjectMeta>,
    template_meta: Option<&ObjectMeta>,
    mut results: Vec<CheckResult>,
) -> Vec<CheckResult> {
    let config = cx.config;
    let today = cx.now.date_naive();
    results.retain(|r| !config.is_disabled(&r.check));
    let annotation = |key: &str| -> Option<&str> {
        [meta, template_meta]
            .into_iter()
            .flatten()
            .find_map(|m| m.annotations.as_ref().and_then(|a| a.get(key)))
            .map(String::as_str)
    };
    let ignored = annotation(IGNORE_ANNOTATION).unwrap_or_default();
    let ignore_reason = annotation(IGNORE_REASON_ANNOTATION);
    for r in &mut results {
        if let Some(s) = config.severity_override(&r.check) {
            r.severity = s;
        }
        if !matches!(r.status, Status::Fail | Status::Pass) {
            continue;
        }
        let by_annotation = ignored.split(',').any(|p| {
            !p.trim().is_empty() && crate::checks::catalogue::pattern_matches(p, &r.check)
        });
        let waiver = if by_annotation {
            Some(format!(
                "{IGNORE_ANNOTATION} annotation: {}",
                ignore_reason.unwrap_or("no reason given")
            ))
        } else {
            config
                .waiver_for(&r.check, namespace, name, r.containers(), today)
                .map(|w| match w.until {
                    Some(u) => format!("config waiver until {u}: {}", w.reason),
                    None => format!("config waiver: {}", w.reason),
                })
        };
        if let Some(reason) = waiver {
            r.waive(reason);
        }
    }
    // Grades of every workload are kept: the room the checks' pushes left is not.
    results.shrink_to_fit();
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{ClusterFacts, Msg, ObjectKey};
    use crate::source::file::load_str;
    use crate::source::LoadOptions;
    use serde_json::{json, Value};

    /// Messages that upsert `objects` (JSON), as a live watcher would send them.
    fn upserts(objects: &[Value]) -> Vec<Msg> {
        let text =
            serde_json::to_string(&json!({"apiVersion": "v1", "kind": "List", "items": objects}))
                .unwrap();
        load_str(&text, "change.json", &LoadOptions::default())
            .unwrap()
            .into_iter()
            .filter(|m| matches!(m, Msg::Upsert(_)))
            .collect()
    }

    /// Every row, in report order, as JSON: what a report would show.
    fn rows(grades: &Grades) -> (Value, Vec<Value>) {
        (
            serde_json::to_value(grades.workloads.values().collect::<Vec<_>>()).unwrap(),
            grades
                .objects
                .values()
                .map(|o| serde_json::to_value(o).unwrap())
                .collect(),
        )
    }

    fn find<'a>(items: &'a mut [Value], kind: &str, name: &str) -> &'a mut Value {
        items
            .iter_mut()
            .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("no {kind} {name}"))
    }

    #[test]
    fn regrading_pod_and_template_changes_agrees_with_grading_from_scratch() {
        // Three namespaces of 100 Deployments with two pods each, graded as a live cluster.
        let mut list = crate::synthetic::cluster_list(300, 2);
        let items = list["items"].as_array_mut().unwrap();
        // A Service that selects nothing: its finding names the closest workload.
        items.push(json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "typo", "namespace": "team-00"},
            "spec": {"selector": {"app.kubernetes.io/name": "svc-00003", "app.kubernetes.io/version": "1.4.3"},
                     "ports": [{"port": 80}]}}));
        let mut model = ClusterModel::new();
        for msg in upserts(items) {
            model.apply(msg);
        }
        for kind in Kind::ALL {
            model.apply(Msg::Synced(*kind));
        }
        model.apply(Msg::Facts(ClusterFacts {
            source: "test".into(),
            ..Default::default()
        }));
        model.apply(Msg::Clock(
            "2026-11-21T08:00:00Z".parse().expect("a timestamp"),
        ));
        let config = Config::default();
        let mut grades = grade_all(&model, &config);

        let pod =
            |w: usize, p: usize| format!("svc-{w:05}-{:x}-{p:05x}", 0x5f00_0000u32 + w as u32);
        let mut steps: Vec<(&str, Vec<Msg>)> = Vec::new();
        let crashing = {
            let mut p = find(items, "Pod", &pod(3, 0)).clone();
            p["status"]["containerStatuses"][0]["state"] =
                json!({"waiting": {"reason": "CrashLoopBackOff"}});
            p["status"]["containerStatuses"][0]["ready"] = json!(false);
            p["status"]["conditions"][0]["status"] = json!("False");
            p
        };
        steps.push(("a pod crash-loops", upserts(&[crashing])));
        // The Service svc-00006 loses one of its two endpoints: only its old labels say so.
        let relabelled = {
            let mut p = find(items, "Pod", &pod(6, 1)).clone();
            p["metadata"]["labels"]["app.kubernetes.io/name"] = json!("elsewhere");
            p
        };
        steps.push(("a pod is relabelled away", upserts(&[relabelled])));
        let original = find(items, "Pod", &pod(6, 1)).clone();
        steps.push(("the pod is relabelled back", upserts(&[original])));
        steps.push((
            "every pod of a workload goes",
            (0..2)
                .map(|p| {
                    Msg::Remove(ObjectKey {
                        kind: Kind::Pod,
                        namespace: "team-00".into(),
                        name: pod(9, p),
                    })
                })
                .collect(),
        ));
        let bare = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "debug", "namespace": "team-01",
                         "labels": {"app.kubernetes.io/name": "svc-00001", "app.kubernetes.io/version": "1.4.2"}},
            "spec": {"containers": [{"name": "sh", "image": "busybox:1.36"}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}});
        steps.push(("a bare pod joins a Service", upserts(&[bare])));
        // The closest miss of Service `typo` is svc-00003; its template now differs more.
        let retemplated = {
            let mut d = find(items, "Deployment", "svc-00003").clone();
            d["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/version"] =
                json!("2.0.0");
            d
        };
        steps.push(("a pod template is relabelled", upserts(&[retemplated])));
        steps.push((
            "a Deployment goes, its pods stay",
            vec![Msg::Remove(ObjectKey {
                kind: Kind::Deployment,
                namespace: "team-02".into(),
                name: "svc-00005".into(),
            })],
        ));

        for (what, msgs) in steps {
            let mut touched = Touched::default();
            for msg in msgs {
                touched.merge(model.apply(msg));
            }
            assert!(!touched.everything && !touched.is_empty(), "{what}");
            regrade(&mut grades, &model, &config, &touched);
            let (workloads, objects) = rows(&grades);
            let (full_workloads, full_objects) = rows(&grade_all(&model, &config));
            assert!(
                workloads == full_workloads,
                "workloads differ after: {what}"
            );
            assert_eq!(objects.len(), full_objects.len(), "{what}");
            for (got, want) in objects.iter().zip(&full_objects) {
                assert_eq!(got, want, "after: {what}");
            }
        }
    }
}
