//! Sensitive values are removed at ingest, so no output, log, memory or snapshot can ever
//! contain them.
//!
//! Every place an object kept by shipshape can carry a value is visited: env values, command
//! and args, probe and lifecycle commands and HTTP headers and paths of every container (init
//! and ephemeral too), volume sources that take options (git URLs, flexVolume options, CSI
//! attributes), annotations of every object and of pod templates, and the free text of pod
//! statuses and events. An env value whose name is a credential name is replaced whole by
//! [`REDACTED`]; elsewhere only the secret part is (see [`values`]). That a literal was there is
//! kept, because that is what `security.secret-env` grades.

mod names;
mod values;

pub use names::is_sensitive_name;
pub use values::{is_pem_private_key, redact_argv, redact_text};

use super::object::Object;
use super::workload::workload_object_mut;
use k8s_openapi::api::core::v1::{
    ContainerStatus, EnvVar, HTTPGetAction, Lifecycle, PodSpec, PodStatus, PodTemplateSpec, Probe,
    Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

/// What stands in place of a sensitive literal value.
pub const REDACTED: &str = "<redacted by shipshape>";

/// The env value with its credentials masked, or `None` when it holds none: the whole value
/// when the name is a credential name (unless the value is a switch, a duration, a file path
/// or a reference) or the value is a private key; else what [`redact_text`] finds in it.
fn redacted_env_value(name: &str, value: &str, aws_nearby: bool) -> Option<String> {
    if value.trim().is_empty() || values::is_reference(value) {
        return None;
    }
    if is_pem_private_key(value) || (is_sensitive_name(name) && !values::is_setting(value)) {
        return (value != REDACTED).then(|| REDACTED.to_string());
    }
    values::redact_text_near(value, aws_nearby)
}

/// Does this env var carry a literal secret? (Before or after redaction.)
pub fn is_literal_secret(var: &EnvVar) -> bool {
    match var.value.as_deref() {
        Some(v) if v.contains(REDACTED) => true,
        Some(v) => redacted_env_value(&var.name, v, false).is_some(),
        None => false,
    }
}

/// Masks every credential an object holds, wherever it is.
pub fn redact_object(object: &mut Object) {
    meta(object.metadata_mut());
    match object {
        Object::Pod(p) => {
            if let Some(spec) = p.spec.as_mut() {
                redact_pod_spec(spec);
            }
            if let Some(status) = p.status.as_mut() {
                pod_status(status);
            }
        }
        // The Job template's own metadata; its pod template is redacted below.
        Object::CronJob(c) => {
            if let Some(meta_) = c.spec.job_template.metadata.as_mut() {
                meta(meta_);
            }
        }
        Object::Event(e) => text(&mut e.message),
        _ => {}
    }
    for message in super::crd::status_messages(object) {
        text(message);
    }
    if let Some(t) = workload_object_mut(object).and_then(|w| w.pod_template_mut()) {
        template(t);
    }
}

fn text(value: &mut Option<String>) {
    if let Some(v) = value.as_mut() {
        if let Some(masked) = redact_text(v) {
            *v = masked;
        }
    }
}

/// Annotation values: by shape only. Annotation keys that name a credential usually hold a
/// reference to a Secret (`nginx.ingress.kubernetes.io/auth-secret: basic-auth`), and
/// checks read annotations, so a value is masked only where it has a credential's form.
fn meta(meta: &mut ObjectMeta) {
    for value in meta.annotations.iter_mut().flat_map(BTreeMap::values_mut) {
        if let Some(masked) = redact_text(value) {
            *value = masked;
        }
    }
}

fn template(t: &mut PodTemplateSpec) {
    if let Some(m) = t.metadata.as_mut() {
        meta(m);
    }
    if let Some(spec) = t.spec.as_mut() {
        redact_pod_spec(spec);
    }
}

/// The fields every kind of container has (containers, init and ephemeral containers).
macro_rules! container {
    ($c:expr) => {{
        let c = $c;
        env(c.env.iter_mut().flatten());
        let mut argv: Vec<&mut String> = c
            .command
            .iter_mut()
            .flatten()
            .chain(c.args.iter_mut().flatten())
            .collect();
        redact_argv(&mut argv);
        for p in [
            c.liveness_probe.as_mut(),
            c.readiness_probe.as_mut(),
            c.startup_probe.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            probe(p);
        }
        if let Some(l) = c.lifecycle.as_mut() {
            lifecycle(l);
        }
    }};
}

/// Masks the credentials of every container, init container and ephemeral container of a pod
/// spec, and of its volumes.
pub fn redact_pod_spec(spec: &mut PodSpec) {
    for c in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        container!(c);
    }
    for c in spec.ephemeral_containers.iter_mut().flatten() {
        container!(c);
    }
    for v in spec.volumes.iter_mut().flatten() {
        volume(v);
    }
}

fn env<'a>(vars: impl Iterator<Item = &'a mut EnvVar>) {
    let mut vars: Vec<&mut EnvVar> = vars.collect();
    // An AWS access key id in one variable makes a lone 40-character value in another its
    // secret key.
    let aws = vars
        .iter()
        .any(|v| v.value.as_deref().is_some_and(values::has_aws_key_id));
    for var in vars.iter_mut() {
        if let Some(value) = var.value.as_deref() {
            if let Some(masked) = redacted_env_value(&var.name, value, aws) {
                var.value = Some(masked);
            }
        }
    }
}

fn exec_and_http(exec: Option<&mut Vec<String>>, http: Option<&mut HTTPGetAction>) {
    if let Some(command) = exec {
        let mut argv: Vec<&mut String> = command.iter_mut().collect();
        redact_argv(&mut argv);
    }
    if let Some(h) = http {
        text(&mut h.path);
        for header in h.http_headers.iter_mut().flatten() {
            if let Some(masked) = redacted_env_value(&header.name, &header.value, false) {
                header.value = masked;
            }
        }
    }
}

fn probe(p: &mut Probe) {
    exec_and_http(
        p.exec.as_mut().and_then(|e| e.command.as_mut()),
        p.http_get.as_mut(),
    );
}

fn lifecycle(l: &mut Lifecycle) {
    for h in [l.post_start.as_mut(), l.pre_stop.as_mut()]
        .into_iter()
        .flatten()
    {
        exec_and_http(
            h.exec.as_mut().and_then(|e| e.command.as_mut()),
            h.http_get.as_mut(),
        );
    }
}

fn volume(v: &mut Volume) {
    if let Some(git) = v.git_repo.as_mut() {
        if let Some(masked) = redact_text(&git.repository) {
            git.repository = masked;
        }
    }
    let options = v
        .flex_volume
        .as_mut()
        .and_then(|f| f.options.as_mut())
        .into_iter()
        .chain(v.csi.as_mut().and_then(|c| c.volume_attributes.as_mut()));
    for map in options {
        for (name, value) in map.iter_mut() {
            if let Some(masked) = redacted_env_value(name, value, false) {
                *value = masked;
            }
        }
    }
}

fn pod_status(s: &mut PodStatus) {
    text(&mut s.message);
    for c in s.conditions.iter_mut().flatten() {
        text(&mut c.message);
    }
    let statuses = s
        .container_statuses
        .iter_mut()
        .flatten()
        .chain(s.init_container_statuses.iter_mut().flatten())
        .chain(s.ephemeral_container_statuses.iter_mut().flatten());
    for c in statuses {
        container_status(c);
    }
}

fn container_status(c: &mut ContainerStatus) {
    for state in [c.state.as_mut(), c.last_state.as_mut()]
        .into_iter()
        .flatten()
    {
        if let Some(w) = state.waiting.as_mut() {
            text(&mut w.message);
        }
        if let Some(t) = state.terminated.as_mut() {
            text(&mut t.message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_replaces_secret_literals_and_keeps_the_rest() {
        let mut spec: PodSpec = serde_json::from_value(serde_json::json!({
            "containers": [{"name": "app", "env": [
                {"name": "DB_PASSWORD", "value": "hunter2"},
                {"name": "TLS_KEY", "value": "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----"},
                {"name": "LOG_LEVEL", "value": "debug"},
                {"name": "API_TOKEN", "value": "$(UPSTREAM_TOKEN)"},
                {"name": "EMPTY_PASSWORD", "value": ""},
                {"name": "DATABASE_URL", "value": "postgres://app:pg-s3cret@db/shop"},
                {"name": "TOKEN_EXPIRY_SECONDS", "value": "3600"},
                {"name": "GOOGLE_APPLICATION_CREDENTIALS", "value": "/var/secrets/google/key.json"}
            ]}],
            "initContainers": [{"name": "init", "env": [{"name": "ADMIN_TOKEN", "value": "abc"}]}]
        }))
        .unwrap();
        redact_pod_spec(&mut spec);
        let text = serde_json::to_string(&spec).unwrap();
        assert!(!text.contains("hunter2"));
        assert!(!text.contains("MIIB"));
        assert!(!text.contains("\"abc\""));
        assert!(!text.contains("pg-s3cret"));
        assert!(text.contains("debug"));
        assert!(text.contains("$(UPSTREAM_TOKEN)"));
        let env = spec.containers[0].env.as_ref().unwrap();
        assert_eq!(env[0].value.as_deref(), Some(REDACTED));
        assert_eq!(env[1].value.as_deref(), Some(REDACTED));
        assert_eq!(
            env[5].value.as_deref(),
            Some(format!("postgres://app:{REDACTED}@db/shop").as_str())
        );
        let secret: Vec<&str> = env
            .iter()
            .filter(|v| is_literal_secret(v))
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(secret, ["DB_PASSWORD", "TLS_KEY", "DATABASE_URL"]);
    }

    #[test]
    fn aws_secret_key_next_to_its_id_in_env() {
        let mut spec: PodSpec = serde_json::from_value(serde_json::json!({
            "containers": [{"name": "app", "env": [
                {"name": "AWS_ACCESS_KEY_ID", "value": "AKIAIOSFODNN7EXAMPLE"},
                {"name": "AWS_KEY", "value": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
            ]}]
        }))
        .unwrap();
        redact_pod_spec(&mut spec);
        let text = serde_json::to_string(&spec).unwrap();
        assert!(!text.contains("AKIAIOSFODNN7EXAMPLE"), "{text}");
        assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
    }

    #[test]
    fn every_place_a_pod_holds_a_value() {
        let mut object = Object::Pod(
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": "p", "annotations": {"hook": "https://hooks.slack.com/services/T0/B0/XXXXXXXXXXXX", "note": "plain"}},
                "spec": {
                    "containers": [{"name": "app",
                        "command": ["app", "--db-password=s1"],
                        "args": ["--password", "s2", "postgres://u:s3@db/x"],
                        "livenessProbe": {"exec": {"command": ["sh", "-c", "PGPASSWORD=s4 pg_isready"]}},
                        "readinessProbe": {"httpGet": {"port": 80, "path": "/ready?token=s5xyz", "httpHeaders": [{"name": "Authorization", "value": "Bearer s6s6s6s6s6"}]}},
                        "lifecycle": {"preStop": {"exec": {"command": ["curl", "-u", "admin:s7", "http://x"]}}}
                    }],
                    "ephemeralContainers": [{"name": "debug", "env": [{"name": "PGPASSWORD", "value": "s8"}]}],
                    "volumes": [{"name": "git", "gitRepo": {"repository": "https://u:s9@git.example.com/r.git"}},
                                {"name": "flex", "flexVolume": {"driver": "x", "options": {"password": "s10"}}}]
                },
                "status": {"containerStatuses": [{"name": "app", "image": "i", "imageID": "", "ready": false, "restartCount": 0,
                    "lastState": {"terminated": {"exitCode": 1, "message": "connect postgres://u:s11@db failed"}}}]}
            }))
            .unwrap(),
        );
        redact_object(&mut object);
        let text = object.to_json().to_string();
        for secret in [
            "s1\"",
            "s2\"",
            "s3@",
            "s4 ",
            "s5xyz",
            "s6s6",
            "s7\"",
            "s8\"",
            "s9@",
            "s10\"",
            "s11@",
            "XXXXXXXXXXXX",
        ] {
            assert!(!text.contains(secret), "{secret} kept: {text}");
        }
        assert!(text.contains("plain"), "{text}");
        assert!(text.contains("/ready?token="), "{text}");
    }
}
