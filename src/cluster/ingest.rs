//! Turning one raw object (any served or removed apiVersion) into a pruned, typed [`Object`].
//!
//! Pruning happens here, before anything is stored: managedFields, the last-applied
//! annotation (which repeats Secret data), ConfigMap and Secret payloads, and Normal events
//! are dropped; credentials are redacted wherever they are (see [`super::redact`]).

use super::object::{Kind, KindVisitor, Object, TypedObject};
use super::redact::redact_object;
use serde_json::{json, Map, Value};

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Why a raw object could not become a modelled object.
#[derive(Debug, Clone, PartialEq)]
pub enum IngestError {
    /// No `kind` (or no `apiVersion`).
    MissingKind,
    /// A kind shipshape does not model (a CRD, RBAC, …): counted, not an error.
    Unknown { api_version: String, kind: String },
    /// A Normal event: not kept.
    Skipped,
    /// The object does not have the shape of its kind.
    Invalid { kind: String, message: String },
}

/// A typed object, with the apiVersion it was written in.
#[derive(Debug, Clone)]
pub struct Ingested {
    pub object: Object,
    pub api_version: String,
}

/// The groups a kind may be written in; legacy groups are converted to the current shape.
fn kind_for(group: &str, kind: &str) -> Option<Kind> {
    let k = Kind::from_name(kind).filter(|k| k.name() == kind)?;
    let ok = match k {
        Kind::Deployment | Kind::DaemonSet | Kind::ReplicaSet => {
            matches!(group, "apps" | "extensions")
        }
        Kind::StatefulSet => group == "apps",
        Kind::Ingress | Kind::NetworkPolicy => {
            matches!(group, "networking.k8s.io" | "extensions")
        }
        Kind::Event => matches!(group, "" | "events.k8s.io"),
        other => other.group() == group,
    };
    ok.then_some(k)
}

fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

/// Converts one raw object.
pub fn ingest(value: Value) -> Result<Ingested, IngestError> {
    ingest_as(value, Typing::Precise)
}

/// As [`ingest`], for the streaming file reader: the object is typed by moving the value's
/// strings into it rather than copying them, and a value of the wrong type is an error without
/// a field path or a YAML 1.1 reading. That reader never shows the message: on any error it
/// reads the file again through [`ingest`], whose messages are precise.
pub fn ingest_moving(value: Value) -> Result<Ingested, IngestError> {
    ingest_as(value, Typing::Moving)
}

#[derive(Clone, Copy, PartialEq)]
enum Typing {
    Precise,
    Moving,
}

fn ingest_as(mut value: Value, typing: Typing) -> Result<Ingested, IngestError> {
    let kind_name = value
        .get("kind")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .ok_or(IngestError::MissingKind)?
        .to_string();
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .ok_or(IngestError::MissingKind)?
        .to_string();
    let (group, version) = split_api_version(&api_version);
    let Some(kind) = kind_for(group, &kind_name) else {
        return Err(IngestError::Unknown {
            api_version,
            kind: kind_name,
        });
    };
    if !value.is_object() {
        return Err(IngestError::Invalid {
            kind: kind_name,
            message: "not a mapping".into(),
        });
    }
    prune(&mut value, kind);
    if kind == Kind::Event {
        if group == "events.k8s.io" {
            value = events_v1_to_core(value);
        }
        if value.get("type").and_then(Value::as_str) != Some("Warning") {
            return Err(IngestError::Skipped);
        }
    }
    upgrade(&mut value, kind, group, version);
    let typed = match typing {
        Typing::Precise => from_json_yaml11(kind, &mut value),
        Typing::Moving => kind.visit(TypedAs(value)).map_err(|e| e.to_string()),
    };
    let object = typed.map_err(|e| IngestError::Invalid {
        kind: kind_name.clone(),
        message: e,
    })?;
    checked(object, &kind_name, api_version)
}

/// A typed object read from a file, not yet seen by an API server: refused where the API
/// server would refuse it, else settled.
fn checked(
    mut object: Object,
    kind_name: &str,
    api_version: String,
) -> Result<Ingested, IngestError> {
    super::validate::validate(&object).map_err(|message| IngestError::Invalid {
        kind: kind_name.to_string(),
        message,
    })?;
    settle(&mut object);
    Ok(Ingested {
        object,
        api_version,
    })
}

/// What every typed object goes through: credentials redacted, the status fields nothing
/// reads dropped, vectors fitted.
fn settle(object: &mut Object) {
    redact(object);
    super::slim::slim_pod_status(object);
    super::compact::compact(object);
}

/// As [`ingest`], for an object the streaming file reader types straight from its text (no
/// generic value is built), where that gives the same object: `apiVersion` is the kind's own
/// (nothing to [`upgrade`]), the kind is neither an Event (a Warning is kept, events.k8s.io
/// converted) nor a Secret or ConfigMap (payloads [`prune`]d before typing), and a workload
/// whose selector [`upgrade`] defaults has one (`spec_selector`). The reader has checked that
/// the text's keys are each written once. `None` otherwise and on any error: the caller then
/// reads the object through [`ingest`], which words it.
pub fn ingest_text(
    text: &[u8],
    kind_name: &str,
    api_version: &str,
    spec_selector: bool,
) -> Option<Ingested> {
    let (group, version) = split_api_version(api_version);
    let kind = kind_for(group, kind_name)?;
    if (group, version) != (kind.group(), kind.version())
        || matches!(kind, Kind::Event | Kind::Secret | Kind::ConfigMap)
        || (SELECTOR_DEFAULTED.contains(&kind) && !spec_selector)
    {
        return None;
    }
    let mut object = kind.visit(TypedAs(text)).ok()?;
    drop_unread(&mut object);
    checked(object, kind_name, api_version.to_string()).ok()
}

/// JSON, as a value or as text, that serde types.
trait Json<'de> {
    fn typed<K: serde::Deserialize<'de>>(self) -> Result<K, serde_json::Error>;
}

impl<'de> Json<'de> for Value {
    /// Moves the value's strings into the object rather than copying them.
    fn typed<K: serde::Deserialize<'de>>(self) -> Result<K, serde_json::Error> {
        K::deserialize(self)
    }
}

impl<'de> Json<'de> for &'de [u8] {
    fn typed<K: serde::Deserialize<'de>>(self) -> Result<K, serde_json::Error> {
        serde_json::from_slice(self)
    }
}

/// Types JSON as its kind's object.
struct TypedAs<J>(J);

impl<'de, J: Json<'de>> KindVisitor for TypedAs<J> {
    type Output = Result<Object, serde_json::Error>;

    fn namespaced<K>(self, _: Kind) -> Self::Output
    where
        K: TypedObject + kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
    {
        self.0.typed::<K>().map(Into::into)
    }

    fn cluster<K>(self, _: Kind) -> Self::Output
    where
        K: TypedObject + kube::Resource<Scope = k8s_openapi::ClusterResourceScope>,
    {
        self.0.typed::<K>().map(Into::into)
    }
}

/// Deserialises, accepting what Kubernetes' YAML 1.1 reader accepts: where the schema wants
/// a number or a boolean and the YAML 1.2 parser produced a string (`defaultMode: 0400`,
/// `tty: yes`), the value is converted the way `kubectl` would read it.
fn from_json_yaml11(kind: Kind, value: &mut Value) -> Result<Object, String> {
    for _ in 0..64 {
        match Object::from_json(kind, value) {
            Ok(o) => return Ok(o),
            Err(e) => {
                let path = e.path().to_string();
                let pointer = json_pointer(e.path());
                let inner = e.into_inner().to_string();
                let wants_string = inner.contains("expected a string");
                let fixed = value
                    .pointer_mut(&pointer)
                    .and_then(|v| {
                        let new = if wants_string {
                            scalar_as_string(v)
                        } else {
                            yaml11_scalar(v)
                        };
                        new.map(|new| *v = new)
                    })
                    .is_some();
                if !fixed {
                    let mut message = format!("{path}: {}", strip_serde_position(&inner));
                    if let Some(n) = value.pointer(&pointer).and_then(out_of_range_number) {
                        message = format!(
                            "{path}: the number {n} is out of range (expected {})",
                            expected(&inner)
                        );
                    } else if inner.starts_with("invalid type: string")
                        && value.pointer(&pointer).is_some_and(looks_like_placeholder)
                    {
                        message.push_str("; this looks like an unfilled placeholder: substitute the real value first");
                    }
                    return Err(message);
                }
            }
        }
    }
    Err("too many values of the wrong type".into())
}

/// A number too large for any numeric type (`1e400`): the YAML reader keeps it as text.
fn out_of_range_number(v: &Value) -> Option<&str> {
    let s = v.as_str()?;
    (s.bytes().any(|b| b.is_ascii_digit()) && s.trim().parse::<f64>().is_ok_and(f64::is_infinite))
        .then_some(s)
}

/// `PORT`, `<ADD LUN ID Here>`, `${REPLICAS}`, `{{ .port }}`, `%PORT%`, `__PORT__`, `TODO`:
/// text left for a tool or a person to fill in, not a wrong value such as `http`.
fn looks_like_placeholder(v: &Value) -> bool {
    let Some(s) = v.as_str() else {
        return false;
    };
    let shouting = s.bytes().any(|b| b.is_ascii_uppercase())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    shouting
        || ["$", "{", "<", "%", "__"].iter().any(|m| s.contains(m))
        || ["todo", "changeme", "replace", "fixme", "tbd"]
            .iter()
            .any(|w| s.to_ascii_lowercase().contains(w))
}

/// The type a serde error says it expected (`i32`), or the whole message.
fn expected(inner: &str) -> &str {
    strip_serde_position(inner)
        .rsplit_once("expected ")
        .map_or(inner, |(_, e)| e)
}

fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut p = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => p.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                p.push_str(&format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    p
}

fn strip_serde_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

/// `value: true` or `version: 1.0` where a string is wanted: the text as written.
fn scalar_as_string(v: &Value) -> Option<Value> {
    match v {
        Value::Bool(b) => Some(Value::String(b.to_string())),
        Value::Number(n) => Some(Value::String(n.to_string())),
        _ => None,
    }
}

/// A YAML 1.1 reading of a plain string: octal/hex/decimal integers and yes/no booleans.
fn yaml11_scalar(v: &Value) -> Option<Value> {
    let s = v.as_str()?.trim();
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        "y" | "yes" | "on" | "true" => return Some(Value::Bool(true)),
        "n" | "no" | "off" | "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    let digits = lower.replace('_', "");
    let (neg, body) = match digits.strip_prefix('-') {
        Some(b) => (true, b.to_string()),
        None => (false, digits.trim_start_matches('+').to_string()),
    };
    let n = if let Some(hex) = body.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = body.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i64::from_str_radix(&body[1..], 8).ok()?
    } else {
        body.parse::<i64>().ok()?
    };
    Some(Value::from(if neg { -n } else { n }))
}

/// Drops what shipshape must never hold or does not need.
fn prune(value: &mut Value, kind: Kind) {
    let Some(obj) = value.as_object_mut() else {
        return;
    };
    obj.insert("apiVersion".into(), json!(kind.api_version()));
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
        if let Some(ann) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            ann.remove(LAST_APPLIED);
        }
    } else {
        obj.insert("metadata".into(), json!({}));
    }
    if matches!(kind, Kind::Secret | Kind::ConfigMap) {
        obj.remove("data");
        obj.remove("stringData");
        obj.remove("binaryData");
    }
}

/// Prunes and redacts an object that arrived typed (from a watch), as [`ingest`] does for raw
/// ones; Secret and ConfigMap payloads are emptied in case a full object was read.
pub fn prune_typed(object: &mut Object) {
    drop_unread(object);
    settle(object);
}

/// What [`prune`] drops from a value, dropped from a typed object.
fn drop_unread(object: &mut Object) {
    let meta = object.metadata_mut();
    meta.managed_fields = None;
    if let Some(ann) = meta.annotations.as_mut() {
        ann.remove(LAST_APPLIED);
    }
    match object {
        Object::Secret(s) => {
            s.data = None;
            s.string_data = None;
        }
        Object::ConfigMap(c) => {
            c.data = None;
            c.binary_data = None;
        }
        _ => {}
    }
}

fn redact(object: &mut Object) {
    redact_object(object);
}

/// Rewrites legacy shapes into the current one (best effort: the object is still graded,
/// and `api.removed` says the version is gone).
/// The workloads whose missing selector [`upgrade`] makes of the template's labels.
const SELECTOR_DEFAULTED: &[Kind] = &[
    Kind::Deployment,
    Kind::DaemonSet,
    Kind::ReplicaSet,
    Kind::StatefulSet,
];

fn upgrade(value: &mut Value, kind: Kind, group: &str, version: &str) {
    let Some(obj) = value.as_object_mut() else {
        return;
    };
    match kind {
        k if SELECTOR_DEFAULTED.contains(&k) => {
            // Before apps/v1 the selector defaulted to the template's labels.
            if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
                if spec.get("selector").is_none() {
                    let labels = spec
                        .get("template")
                        .and_then(|t| t.get("metadata"))
                        .and_then(|m| m.get("labels"))
                        .cloned()
                        .unwrap_or_else(|| json!({}));
                    spec.insert("selector".into(), json!({ "matchLabels": labels }));
                }
            }
        }
        Kind::Ingress if version == "v1beta1" => upgrade_ingress(obj),
        Kind::HorizontalPodAutoscaler if version == "v1" => upgrade_hpa_v1(obj),
        Kind::HorizontalPodAutoscaler if version == "v2beta1" => upgrade_hpa_v2beta1(obj),
        _ => {}
    }
    let _ = group;
}

fn legacy_backend(backend: &Value) -> Value {
    let name = backend.get("serviceName").cloned().unwrap_or(Value::Null);
    let port = match backend.get("servicePort") {
        Some(Value::Number(n)) => json!({ "number": n }),
        Some(Value::String(s)) => match s.parse::<i64>() {
            Ok(n) => json!({ "number": n }),
            Err(_) => json!({ "name": s }),
        },
        _ => json!({}),
    };
    if backend.get("serviceName").is_some() {
        json!({ "service": { "name": name, "port": port } })
    } else {
        backend.clone()
    }
}

fn upgrade_ingress(obj: &mut Map<String, Value>) {
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(b) = spec.remove("backend") {
        spec.insert("defaultBackend".into(), legacy_backend(&b));
    }
    for rule in spec
        .get_mut("rules")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        for path in rule
            .pointer_mut("/http/paths")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(p) = path.as_object_mut() {
                if let Some(b) = p.get("backend").cloned() {
                    p.insert("backend".into(), legacy_backend(&b));
                }
                p.entry("pathType")
                    .or_insert_with(|| json!("ImplementationSpecific"));
            }
        }
    }
}

fn upgrade_hpa_v1(obj: &mut Map<String, Value>) {
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(cpu) = spec.remove("targetCPUUtilizationPercentage") {
        spec.insert(
            "metrics".into(),
            json!([{ "type": "Resource", "resource": { "name": "cpu",
                "target": { "type": "Utilization", "averageUtilization": cpu } } }]),
        );
    }
    obj.remove("status");
}

fn upgrade_hpa_v2beta1(obj: &mut Map<String, Value>) {
    let metrics = obj
        .get_mut("spec")
        .and_then(|s| s.get_mut("metrics"))
        .and_then(Value::as_array_mut);
    for m in metrics.into_iter().flatten() {
        if let Some(r) = m.get_mut("resource").and_then(Value::as_object_mut) {
            let target = if let Some(u) = r.remove("targetAverageUtilization") {
                json!({ "type": "Utilization", "averageUtilization": u })
            } else if let Some(v) = r.remove("targetAverageValue") {
                json!({ "type": "AverageValue", "averageValue": v })
            } else {
                continue;
            };
            r.insert("target".into(), target);
        }
    }
    obj.remove("status");
}

/// `events.k8s.io/v1` names its fields differently from `v1` Event.
fn events_v1_to_core(mut value: Value) -> Value {
    if let Some(obj) = value.as_object_mut() {
        if let Some(r) = obj.remove("regarding") {
            obj.insert("involvedObject".into(), r);
        }
        if let Some(n) = obj.remove("note") {
            obj.insert("message".into(), n);
        }
        if let Some(t) = obj.remove("eventTime") {
            obj.entry("lastTimestamp").or_insert(t);
        }
        if let Some(c) = obj.remove("deprecatedCount") {
            obj.insert("count".into(), c);
        }
        obj.remove("series");
    }
    value
}

/// API versions removed from Kubernetes, with the release that removed them.
/// `kind` `*` means every kind in that group version.
const REMOVED_APIS: &[(&str, &str, &str)] = &[
    ("extensions/v1beta1", "*", "1.22"),
    ("apps/v1beta1", "*", "1.16"),
    ("apps/v1beta2", "*", "1.16"),
    ("policy/v1beta1", "*", "1.25"),
    ("autoscaling/v2beta1", "*", "1.25"),
    ("autoscaling/v2beta2", "*", "1.26"),
    ("batch/v1beta1", "*", "1.25"),
    ("batch/v2alpha1", "*", "1.21"),
    ("networking.k8s.io/v1beta1", "*", "1.22"),
    ("scheduling.k8s.io/v1alpha1", "*", "1.17"),
    ("scheduling.k8s.io/v1beta1", "*", "1.22"),
    ("storage.k8s.io/v1beta1", "*", "1.22"),
    ("rbac.authorization.k8s.io/v1alpha1", "*", "1.22"),
    ("rbac.authorization.k8s.io/v1beta1", "*", "1.22"),
    ("admissionregistration.k8s.io/v1beta1", "*", "1.22"),
    ("apiextensions.k8s.io/v1beta1", "*", "1.22"),
    ("apiregistration.k8s.io/v1beta1", "*", "1.22"),
    ("authentication.k8s.io/v1beta1", "*", "1.22"),
    ("authorization.k8s.io/v1beta1", "*", "1.22"),
    ("certificates.k8s.io/v1beta1", "*", "1.22"),
    ("coordination.k8s.io/v1beta1", "*", "1.22"),
    ("discovery.k8s.io/v1beta1", "*", "1.25"),
    ("events.k8s.io/v1beta1", "*", "1.25"),
    ("node.k8s.io/v1beta1", "*", "1.25"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "*", "1.26"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "*", "1.29"),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "*", "1.32"),
];

/// The replacement API version for a removed one, for the fix text.
pub fn replacement_api(kind: &str) -> &'static str {
    match kind {
        "Deployment" | "DaemonSet" | "ReplicaSet" | "StatefulSet" => "apps/v1",
        "Ingress" | "NetworkPolicy" | "IngressClass" => "networking.k8s.io/v1",
        "PodDisruptionBudget" => "policy/v1",
        "HorizontalPodAutoscaler" => "autoscaling/v2",
        "CronJob" => "batch/v1",
        "PriorityClass" => "scheduling.k8s.io/v1",
        "StorageClass" | "CSIDriver" | "CSINode" | "VolumeAttachment" | "CSIStorageCapacity" => {
            "storage.k8s.io/v1"
        }
        "PodSecurityPolicy" => "Pod Security Admission (namespace labels)",
        "EndpointSlice" => "discovery.k8s.io/v1",
        "Event" => "events.k8s.io/v1",
        "CustomResourceDefinition" => "apiextensions.k8s.io/v1",
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => {
            "rbac.authorization.k8s.io/v1"
        }
        "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration" => {
            "admissionregistration.k8s.io/v1"
        }
        _ => "the current version",
    }
}

/// The Kubernetes release that removed `api_version` for `kind`, if it was removed.
pub fn removed_in(api_version: &str, kind: &str) -> Option<&'static str> {
    REMOVED_APIS
        .iter()
        .find(|(v, k, _)| *v == api_version && (*k == "*" || *k == kind))
        .map(|(_, _, release)| *release)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_keep_only_metadata() {
        let got = ingest(json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "db", "namespace": "shop", "annotations": {
                LAST_APPLIED: "{\"data\":{\"password\":\"c2VjcmV0\"}}"}},
            "type": "Opaque",
            "data": {"password": "c2VjcmV0"},
            "stringData": {"token": "plain"}
        }))
        .unwrap();
        let text = got.object.to_json().to_string();
        assert!(!text.contains("c2VjcmV0"), "{text}");
        assert!(!text.contains("plain"), "{text}");
        assert!(text.contains("Opaque"));
    }

    #[test]
    fn unknown_kinds_and_missing_kind() {
        assert_eq!(
            ingest(json!({"apiVersion": "v1", "metadata": {}})).unwrap_err(),
            IngestError::MissingKind
        );
        let err = ingest(json!({"apiVersion": "monitoring.coreos.com/v1", "kind": "Alertmanager"}));
        assert!(matches!(err, Err(IngestError::Unknown { .. })));
        // A kind with the right name in a foreign group is not ours.
        let err = ingest(json!({"apiVersion": "example.com/v1", "kind": "Deployment"}));
        assert!(matches!(err, Err(IngestError::Unknown { .. })));
    }

    #[test]
    fn legacy_ingress_is_upgraded() {
        let got = ingest(json!({
            "apiVersion": "extensions/v1beta1", "kind": "Ingress",
            "metadata": {"name": "web"},
            "spec": {"rules": [{"host": "a.example", "http": {"paths": [
                {"path": "/", "backend": {"serviceName": "web", "servicePort": 80}}]}}]}
        }))
        .unwrap();
        let Object::Ingress(ing) = got.object else {
            panic!()
        };
        let rules = ing.spec.unwrap().rules.unwrap();
        let backend = &rules[0].http.as_ref().unwrap().paths[0].backend;
        let svc = backend.service.as_ref().unwrap();
        assert_eq!(svc.name, "web");
        assert_eq!(svc.port.as_ref().unwrap().number, Some(80));
        assert_eq!(got.api_version, "extensions/v1beta1");
        assert_eq!(removed_in(&got.api_version, "Ingress"), Some("1.22"));
    }

    #[test]
    fn hpa_v1_cpu_target_becomes_a_metric() {
        let got = ingest(json!({
            "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"},
                     "minReplicas": 2, "maxReplicas": 5, "targetCPUUtilizationPercentage": 70}
        }))
        .unwrap();
        let Object::HorizontalPodAutoscaler(h) = got.object else {
            panic!()
        };
        let m = &h.spec.metrics.unwrap()[0];
        assert_eq!(m.resource.as_ref().unwrap().name, "cpu");
        assert_eq!(
            removed_in("autoscaling/v1", "HorizontalPodAutoscaler"),
            None
        );
    }

    #[test]
    fn yaml11_numbers_and_booleans_where_the_schema_wants_them() {
        let got = ingest(json!({
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "tty": "yes",
                        "env": [{"name": "MODE", "value": "0400"}, {"name": "ON", "value": true}]}],
                     "volumes": [{"name": "v", "secret": {"secretName": "s", "defaultMode": "0400"}}]}
        }))
        .unwrap();
        let Object::Pod(p) = got.object else { panic!() };
        let spec = p.spec.unwrap();
        assert_eq!(
            spec.volumes.unwrap()[0]
                .secret
                .as_ref()
                .unwrap()
                .default_mode,
            Some(256)
        );
        assert_eq!(spec.containers[0].tty, Some(true));
        // A string field keeps its string.
        assert_eq!(
            spec.containers[0].env.as_ref().unwrap()[0].value.as_deref(),
            Some("0400")
        );
        assert_eq!(
            spec.containers[0].env.as_ref().unwrap()[1].value.as_deref(),
            Some("true")
        );
        let bad = ingest(
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "tty": "sometimes"}]}}),
        );
        let Err(IngestError::Invalid { message, .. }) = bad else {
            panic!()
        };
        assert!(message.starts_with("spec.containers[0].tty:"), "{message}");
    }

    #[test]
    fn normal_events_are_skipped() {
        let e = ingest(
            json!({"apiVersion": "v1", "kind": "Event", "type": "Normal",
            "metadata": {"name": "e"}, "involvedObject": {"kind": "Pod", "name": "p"}}),
        );
        assert_eq!(e.unwrap_err(), IngestError::Skipped);
    }
}
