//! The API server's validation of the fields shipshape grades, applied to objects read from
//! files: a value Kubernetes would refuse (`memory: lots`, `cpu: "-1"`, `replicas: -3`, a port
//! of 70000) is an error naming its field, never graded as if it were valid.
//!
//! Objects from a live cluster were validated by the API server already; they do not pass here.

use super::object::Object;
use super::quantity;
use super::workload::workload_object;
use crate::text::safe;
use k8s_openapi::api::core::v1::{Container, PodSpec, Probe, ResourceRequirements, ServiceSpec};
use k8s_openapi::api::policy::v1::PodDisruptionBudgetSpec;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// The first value of `object` the API server would reject, as `field.path: why`.
pub fn validate(object: &Object) -> Result<(), String> {
    kind_fields(object)?;
    // A workload kind's pod template, wherever the kind keeps it, after the kind's own fields.
    let Some(workload) = workload_object(object) else {
        return Ok(());
    };
    let spec = workload.pod_template().and_then(|t| t.spec.as_ref());
    opt(spec, |p| pod_spec(p, workload.pod_spec_path()))
}

/// The fields of `object` outside a workload's pod template.
fn kind_fields(object: &Object) -> Result<(), String> {
    match object {
        Object::Pod(p) => opt(p.spec.as_ref(), |s| pod_spec(s, "spec")),
        Object::Deployment(d) => {
            let s = &d.spec;
            non_negative(s.replicas, "spec.replicas")?;
            non_negative(s.min_ready_seconds, "spec.minReadySeconds")?;
            non_negative(s.revision_history_limit, "spec.revisionHistoryLimit")?;
            non_negative(s.progress_deadline_seconds, "spec.progressDeadlineSeconds")?;
            if let Some(ru) = s.strategy.as_ref().and_then(|s| s.rolling_update.as_ref()) {
                let path = "spec.strategy.rollingUpdate";
                int_or_percent(ru.max_surge.as_ref(), &format!("{path}.maxSurge"))?;
                int_or_percent(
                    ru.max_unavailable.as_ref(),
                    &format!("{path}.maxUnavailable"),
                )?;
                at_most_100_percent(
                    ru.max_unavailable.as_ref(),
                    &format!("{path}.maxUnavailable"),
                )?;
                let is_zero = |v: &IntOrString| match v {
                    IntOrString::Int(n) => *n == 0,
                    IntOrString::String(s) => percent(s) == Some(0),
                };
                if let (Some(u), Some(s)) = (&ru.max_unavailable, &ru.max_surge) {
                    if is_zero(u) && is_zero(s) {
                        return Err(invalid(
                            &format!("{path}.maxUnavailable"),
                            0,
                            "may not be 0 when maxSurge is 0",
                        ));
                    }
                }
            }
            Ok(())
        }
        Object::StatefulSet(s) => {
            non_negative(s.spec.replicas, "spec.replicas")?;
            non_negative(s.spec.min_ready_seconds, "spec.minReadySeconds")
        }
        Object::ReplicaSet(r) => {
            non_negative(r.spec.replicas, "spec.replicas")?;
            non_negative(r.spec.min_ready_seconds, "spec.minReadySeconds")
        }
        Object::DaemonSet(d) => non_negative(d.spec.min_ready_seconds, "spec.minReadySeconds"),
        Object::Job(j) => opt(j.spec.as_ref(), |s| {
            non_negative(s.parallelism, "spec.parallelism")?;
            non_negative(s.completions, "spec.completions")?;
            non_negative(s.backoff_limit, "spec.backoffLimit")
        }),
        Object::CronJob(c) => {
            let s = &c.spec;
            non_negative(s.starting_deadline_seconds, "spec.startingDeadlineSeconds")?;
            non_negative(
                s.successful_jobs_history_limit,
                "spec.successfulJobsHistoryLimit",
            )?;
            non_negative(s.failed_jobs_history_limit, "spec.failedJobsHistoryLimit")?;
            opt(s.job_template.spec.as_ref(), |j| {
                non_negative(j.parallelism, "spec.jobTemplate.spec.parallelism")?;
                non_negative(j.completions, "spec.jobTemplate.spec.completions")?;
                non_negative(j.backoff_limit, "spec.jobTemplate.spec.backoffLimit")
            })
        }
        Object::HorizontalPodAutoscaler(h) => {
            let s = &h.spec;
            non_negative(s.min_replicas, "spec.minReplicas")?;
            if s.max_replicas < 1 {
                return Err(invalid(
                    "spec.maxReplicas",
                    s.max_replicas,
                    "must be greater than 0",
                ));
            }
            if s.min_replicas.is_some_and(|min| s.max_replicas < min) {
                return Err(invalid(
                    "spec.maxReplicas",
                    s.max_replicas,
                    "must be greater than or equal to minReplicas",
                ));
            }
            for (i, m) in s.metrics.iter().flatten().enumerate() {
                let target = [
                    m.resource.as_ref().map(|r| (&r.target, "resource")),
                    m.container_resource
                        .as_ref()
                        .map(|r| (&r.target, "containerResource")),
                    m.pods.as_ref().map(|r| (&r.target, "pods")),
                    m.object.as_ref().map(|r| (&r.target, "object")),
                    m.external.as_ref().map(|r| (&r.target, "external")),
                ];
                for (t, source) in target.into_iter().flatten() {
                    let path = format!("spec.metrics[{i}].{source}.target");
                    if let Some(u) = t.average_utilization {
                        if u < 1 {
                            return Err(invalid(
                                &format!("{path}.averageUtilization"),
                                u,
                                "must be greater than 0",
                            ));
                        }
                    }
                    for (field, q) in [("value", &t.value), ("averageValue", &t.average_value)] {
                        if let Some(q) = q {
                            let v = parsed(q, &format!("{path}.{field}"))?;
                            if v <= 0.0 {
                                return Err(invalid(
                                    &format!("{path}.{field}"),
                                    shown(q),
                                    "must be positive",
                                ));
                            }
                        }
                    }
                }
            }
            Ok(())
        }
        Object::PodDisruptionBudget(p) => opt(p.spec.as_ref(), pdb_spec),
        Object::Service(s) => opt(s.spec.as_ref(), service_spec),
        Object::LimitRange(l) => {
            for (i, item) in l.spec.iter().flat_map(|s| s.limits.iter()).enumerate() {
                let path = format!("spec.limits[{i}]");
                for (field, map) in [
                    ("max", &item.max),
                    ("min", &item.min),
                    ("default", &item.default),
                    ("defaultRequest", &item.default_request),
                    ("maxLimitRequestRatio", &item.max_limit_request_ratio),
                ] {
                    quantities(map.as_ref(), &format!("{path}.{field}"))?;
                }
            }
            Ok(())
        }
        Object::ResourceQuota(q) => {
            let hard = q.spec.as_ref().and_then(|s| s.hard.as_ref());
            quantities(hard, "spec.hard")
        }
        Object::PersistentVolumeClaim(c) => {
            let r = c.spec.as_ref().and_then(|s| s.resources.as_ref());
            quantities(
                r.and_then(|r| r.requests.as_ref()),
                "spec.resources.requests",
            )?;
            quantities(r.and_then(|r| r.limits.as_ref()), "spec.resources.limits")
        }
        _ => Ok(()),
    }
}

fn opt<T>(value: Option<&T>, f: impl FnOnce(&T) -> Result<(), String>) -> Result<(), String> {
    value.map_or(Ok(()), f)
}

/// `path: value: why`, the way the API server words a rejected field.
fn invalid(path: &str, value: impl std::fmt::Display, why: &str) -> String {
    format!("{path}: invalid value {value}: {why} (the API server rejects it)")
}

fn shown(q: &Quantity) -> String {
    format!("`{}`", safe(&q.0))
}

fn non_negative(value: Option<impl Into<i64>>, path: &str) -> Result<(), String> {
    match value.map(Into::into) {
        Some(v) if v < 0 => Err(invalid(path, v, "must be greater than or equal to 0")),
        _ => Ok(()),
    }
}

fn port(value: i32, path: &str) -> Result<(), String> {
    if (1..=65535).contains(&value) {
        Ok(())
    } else {
        Err(invalid(
            path,
            value,
            "must be between 1 and 65535, inclusive",
        ))
    }
}

/// A quantity's amount, or the error the API server gives for text it cannot parse.
fn parsed(q: &Quantity, path: &str) -> Result<f64, String> {
    quantity::amount(q).ok_or_else(|| {
        format!(
            "{path}: {} is not a quantity: write a number with an optional suffix, such as 500m, 0.5, 256Mi, 1G or 1e9 (the API server rejects it)",
            shown(q)
        )
    })
}

/// Every quantity in a map parses and is not negative.
fn quantities(map: Option<&BTreeMap<String, Quantity>>, path: &str) -> Result<(), String> {
    for (name, q) in map.into_iter().flatten() {
        // Resource names are the file's text too.
        let at = format!("{path}.{}", safe(name));
        if parsed(q, &at)? < 0.0 {
            return Err(invalid(&at, shown(q), "must be greater than or equal to 0"));
        }
    }
    Ok(())
}

fn resources(r: Option<&ResourceRequirements>, path: &str) -> Result<(), String> {
    let Some(r) = r else { return Ok(()) };
    quantities(r.requests.as_ref(), &format!("{path}.requests"))?;
    quantities(r.limits.as_ref(), &format!("{path}.limits"))?;
    for (name, request) in r.requests.iter().flatten() {
        let Some(limit) = r.limits.as_ref().and_then(|l| l.get(name)) else {
            continue;
        };
        let (req, lim) = (parsed(request, "")?, parsed(limit, "")?);
        // Compared with a little slack: both are f64 approximations of exact decimals.
        if req > lim && req - lim > lim.abs() * 1e-12 {
            return Err(invalid(
                &format!("{path}.requests.{}", safe(name)),
                shown(request),
                &format!(
                    "must be less than or equal to {} limit of {}",
                    safe(name),
                    safe(&limit.0)
                ),
            ));
        }
    }
    Ok(())
}

fn pod_spec(spec: &PodSpec, path: &str) -> Result<(), String> {
    resources(spec.resources.as_ref(), &format!("{path}.resources"))?;
    let lists = [
        ("initContainers", spec.init_containers.as_deref()),
        ("containers", Some(spec.containers.as_slice())),
    ];
    for (field, list) in lists {
        for (i, c) in list.into_iter().flatten().enumerate() {
            container(c, &format!("{path}.{field}[{i}]"))?;
        }
    }
    Ok(())
}

fn container(c: &Container, path: &str) -> Result<(), String> {
    resources(c.resources.as_ref(), &format!("{path}.resources"))?;
    for (i, p) in c.ports.iter().flatten().enumerate() {
        port(
            p.container_port,
            &format!("{path}.ports[{i}].containerPort"),
        )?;
        if let Some(host) = p.host_port.filter(|h| *h != 0) {
            port(host, &format!("{path}.ports[{i}].hostPort"))?;
        }
    }
    for (field, probe) in [
        ("livenessProbe", &c.liveness_probe),
        ("readinessProbe", &c.readiness_probe),
        ("startupProbe", &c.startup_probe),
    ] {
        if let Some(p) = probe {
            self::probe(p, &format!("{path}.{field}"))?;
        }
    }
    Ok(())
}

fn probe(p: &Probe, path: &str) -> Result<(), String> {
    for (field, value) in [
        ("initialDelaySeconds", p.initial_delay_seconds),
        ("timeoutSeconds", p.timeout_seconds),
        ("periodSeconds", p.period_seconds),
        ("successThreshold", p.success_threshold),
        ("failureThreshold", p.failure_threshold),
    ] {
        non_negative(value, &format!("{path}.{field}"))?;
    }
    let ports = [
        p.http_get.as_ref().map(|h| (&h.port, "httpGet")),
        p.tcp_socket.as_ref().map(|t| (&t.port, "tcpSocket")),
    ];
    for (value, handler) in ports.into_iter().flatten() {
        if let IntOrString::Int(n) = value {
            port(*n, &format!("{path}.{handler}.port"))?;
        }
    }
    if let Some(g) = &p.grpc {
        port(g.port, &format!("{path}.grpc.port"))?;
    }
    Ok(())
}

fn service_spec(spec: &ServiceSpec) -> Result<(), String> {
    for (i, p) in spec.ports.iter().flatten().enumerate() {
        let path = format!("spec.ports[{i}]");
        port(p.port, &format!("{path}.port"))?;
        // 0 means "unset" for both: the target defaults to the port, the node port is picked.
        if let Some(IntOrString::Int(n)) = p
            .target_port
            .as_ref()
            .filter(|t| **t != IntOrString::Int(0))
        {
            port(*n, &format!("{path}.targetPort"))?;
        }
        if let Some(n) = p.node_port.filter(|n| *n != 0) {
            port(n, &format!("{path}.nodePort"))?;
        }
    }
    Ok(())
}

fn pdb_spec(spec: &PodDisruptionBudgetSpec) -> Result<(), String> {
    for (field, value) in [
        ("minAvailable", spec.min_available.as_ref()),
        ("maxUnavailable", spec.max_unavailable.as_ref()),
    ] {
        let path = format!("spec.{field}");
        int_or_percent(value, &path)?;
        at_most_100_percent(value, &path)?;
    }
    Ok(())
}

/// The percentage of `25%`, when the text is one.
fn percent(s: &str) -> Option<u64> {
    let digits = s.strip_suffix('%')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// A count that is not negative, or a percentage such as `25%`.
fn int_or_percent(value: Option<&IntOrString>, path: &str) -> Result<(), String> {
    match value {
        Some(IntOrString::Int(n)) => non_negative(Some(*n), path),
        Some(IntOrString::String(s)) if percent(s).is_none() => Err(invalid(
            path,
            format!("`{}`", safe(s)),
            "must be an integer or a percentage such as 25%",
        )),
        _ => Ok(()),
    }
}

fn at_most_100_percent(value: Option<&IntOrString>, path: &str) -> Result<(), String> {
    match value {
        Some(IntOrString::String(s)) if percent(s).is_some_and(|p| p > 100) => Err(invalid(
            path,
            format!("`{}`", safe(s)),
            "must not be greater than 100%",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::cluster::ingest::{ingest, IngestError};
    use serde_json::{json, Value};

    fn error(value: Value) -> String {
        match ingest(value) {
            Err(IngestError::Invalid { message, .. }) => message,
            other => panic!("expected an invalid object, got {other:?}"),
        }
    }

    fn deployment(container: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [container]}}}})
    }

    #[test]
    fn every_workload_kinds_template_is_validated_at_its_path() {
        let template = json!({"spec": {"containers": [
            {"name": "app", "resources": {"requests": {"memory": "lots"}}}]}});
        let cases = [
            (
                "apps/v1",
                "Deployment",
                json!({"selector": {}, "template": template}),
            ),
            (
                "apps/v1",
                "StatefulSet",
                json!({"selector": {}, "template": template}),
            ),
            (
                "apps/v1",
                "DaemonSet",
                json!({"selector": {}, "template": template}),
            ),
            (
                "apps/v1",
                "ReplicaSet",
                json!({"selector": {}, "template": template}),
            ),
            ("batch/v1", "Job", json!({"template": template})),
            (
                "batch/v1",
                "CronJob",
                json!({"schedule": "@daily", "jobTemplate": {"spec": {"template": template}}}),
            ),
        ];
        for (api_version, kind, spec) in cases {
            let m = error(json!({"apiVersion": api_version, "kind": kind,
                "metadata": {"name": "web"}, "spec": spec}));
            let path = if kind == "CronJob" {
                "spec.jobTemplate.spec.template.spec"
            } else {
                "spec.template.spec"
            };
            assert!(
                m.starts_with(&format!(
                    "{path}.containers[0].resources.requests.memory: `lots` is not a quantity"
                )),
                "{kind}: {m}"
            );
        }
    }

    #[test]
    fn bad_quantities_name_their_field() {
        let m = error(deployment(
            json!({"name": "app", "resources": {"requests": {"memory": "lots"}}}),
        ));
        assert!(
            m.starts_with("spec.template.spec.containers[0].resources.requests.memory: `lots` is not a quantity"),
            "{m}"
        );
        let m = error(deployment(
            json!({"name": "app", "resources": {"limits": {"cpu": "-1"}}}),
        ));
        assert!(
            m.starts_with("spec.template.spec.containers[0].resources.limits.cpu: invalid value `-1`: must be greater than or equal to 0"),
            "{m}"
        );
        let m = error(deployment(
            json!({"name": "app", "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}),
        ));
        assert!(
            m.contains("must be less than or equal to cpu limit of 1"),
            "{m}"
        );
    }

    #[test]
    fn valid_quantities_in_every_spelling_are_accepted() {
        for (cpu, memory) in [
            (json!(0.5), json!(1e9)),
            (json!("500m"), json!("1.5Gi")),
            (json!(1), json!("1e9")),
            (json!(0), json!("0")),
        ] {
            let d = deployment(json!({"name": "app",
                "resources": {"requests": {"cpu": cpu, "memory": memory}}}));
            assert!(ingest(d).is_ok(), "{cpu} {memory}");
        }
        // A limit equal to the request, written differently.
        let d = deployment(json!({"name": "app", "resources": {
            "requests": {"cpu": "1000m", "memory": "1Gi"}, "limits": {"cpu": 1, "memory": "1073741824"}}}));
        assert!(ingest(d).is_ok());
    }

    #[test]
    fn negative_counts_ports_and_timings_are_rejected() {
        let mut d = deployment(json!({"name": "app"}));
        d["spec"]["replicas"] = json!(-3);
        assert_eq!(
            error(d),
            "spec.replicas: invalid value -3: must be greater than or equal to 0 (the API server rejects it)"
        );
        let m = error(deployment(
            json!({"name": "app", "ports": [{"containerPort": 70000}]}),
        ));
        assert!(
            m.starts_with("spec.template.spec.containers[0].ports[0].containerPort:"),
            "{m}"
        );
        let m = error(deployment(
            json!({"name": "app", "readinessProbe": {"periodSeconds": -5, "tcpSocket": {"port": 80}}}),
        ));
        assert!(
            m.starts_with("spec.template.spec.containers[0].readinessProbe.periodSeconds:"),
            "{m}"
        );
        let hpa = |min: i32, max: i32| {
            json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                "metadata": {"name": "web"},
                "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"},
                    "minReplicas": min, "maxReplicas": max}})
        };
        assert!(error(hpa(-1, 3)).starts_with("spec.minReplicas:"));
        assert!(error(hpa(2, -3)).starts_with("spec.maxReplicas:"));
        assert!(error(hpa(5, 3)).contains("greater than or equal to minReplicas"));
        assert!(ingest(hpa(2, 5)).is_ok());
        let pdb = |v: Value| {
            json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                "metadata": {"name": "web"}, "spec": {"maxUnavailable": v}})
        };
        assert!(error(pdb(json!(-1))).starts_with("spec.maxUnavailable:"));
        assert!(error(pdb(json!("150%"))).contains("100%"));
        assert!(error(pdb(json!("half"))).contains("percentage"));
        assert!(ingest(pdb(json!("50%"))).is_ok());
        let rolling = |u: Value, s: Value| {
            let mut d = deployment(json!({"name": "app"}));
            d["spec"]["strategy"] = json!({"type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": u, "maxSurge": s}});
            d
        };
        assert!(error(rolling(json!("3"), json!(1))).contains("percentage"));
        assert!(error(rolling(json!(0), json!("0%"))).contains("maxSurge is 0"));
        assert!(ingest(rolling(json!("25%"), json!(0))).is_ok());
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
            "spec": {"ports": [{"port": -80}]}});
        assert!(error(svc).starts_with("spec.ports[0].port:"));
    }
}
