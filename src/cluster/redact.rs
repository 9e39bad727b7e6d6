//! Sensitive values are removed at ingest, so no output, log or snapshot can ever contain them.
//!
//! A literal env value whose name looks secret, or whose value is a PEM private key, is
//! replaced by [`REDACTED`]; the fact that a literal was there is kept, because that is what
//! `security.secret-env` grades.

use k8s_openapi::api::core::v1::{EnvVar, PodSpec};

/// What stands in place of a sensitive literal value.
pub const REDACTED: &str = "<redacted by shipshape>";

/// Words that mark an env var name as holding a credential.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PASSPHRASE",
    "TOKEN",
    "SECRET",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "PRIVATEKEY",
    "ACCESSKEY",
    "AUTHKEY",
    "CLIENTSECRET",
];

/// Word pairs that only mean a credential together (`API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`).
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("API", "KEY"),
    ("PRIVATE", "KEY"),
    ("ACCESS", "KEY"),
    ("SECRET", "KEY"),
    ("AUTH", "KEY"),
    ("SIGNING", "KEY"),
    ("ENCRYPTION", "KEY"),
];

/// A last word that makes the value a pointer or a setting rather than the secret itself:
/// `PASSWORD_FILE=/run/secrets/db`, `TOKEN_TTL=3600`, `TLS_SECRET_NAME=ingress-cert`.
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "FILE", "PATH", "DIR", "NAME", "URL", "URI", "ENDPOINT", "HOST", "PORT", "ENABLED", "TTL",
    "TIMEOUT", "EXPIRY", "HEADER", "TYPE", "LENGTH", "USER", "USERNAME", "REF", "KIND", "ISSUER",
    "AUDIENCE", "REFRESH", "LIFETIME", "DURATION", "MOUNT", "VERSION", "ID",
];

/// True when an env var name says it holds a credential.
pub fn is_sensitive_name(name: &str) -> bool {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_uppercase())
        .collect();
    if words.is_empty() || name == "PWD" {
        return false;
    }
    if NOT_SECRET_SUFFIXES.contains(&words[words.len() - 1].as_str()) && words.len() > 1 {
        return false;
    }
    let single = words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()));
    let pair = words
        .windows(2)
        .any(|p| SECRET_PAIRS.contains(&(p[0].as_str(), p[1].as_str())));
    single || pair
}

/// True when a value is a PEM-encoded private key.
pub fn is_pem_private_key(value: &str) -> bool {
    value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----")
}

/// True when the value only refers to another variable (`$(DB_PASSWORD)`), which is no literal.
fn is_reference(value: &str) -> bool {
    let v = value.trim();
    v.starts_with("$(") && v.ends_with(')') && !v[2..v.len() - 1].contains('$')
}

/// Does this env var carry a literal secret? (Before or after redaction.)
pub fn is_literal_secret(var: &EnvVar) -> bool {
    match var.value.as_deref() {
        Some(REDACTED) => true,
        Some(v) if v.is_empty() || is_reference(v) => false,
        Some(v) => is_pem_private_key(v) || is_sensitive_name(&var.name),
        None => false,
    }
}

/// Replaces every sensitive literal env value in the pod spec by [`REDACTED`].
pub fn redact_pod_spec(spec: &mut PodSpec) {
    let containers = spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten());
    for env in containers.filter_map(|c| c.env.as_mut()) {
        redact_env(env);
    }
    for env in spec
        .ephemeral_containers
        .iter_mut()
        .flatten()
        .filter_map(|c| c.env.as_mut())
    {
        redact_env(env);
    }
}

fn redact_env(env: &mut [EnvVar]) {
    for var in env.iter_mut() {
        if is_literal_secret(var) {
            var.value = Some(REDACTED.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_hold_credentials() {
        for name in [
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "client_secret",
            "API_KEY",
            "STRIPE_APIKEY",
            "AWS_SECRET_ACCESS_KEY",
            "PRIVATE_KEY",
            "GOOGLE_APPLICATION_CREDENTIALS_JSON",
            "REDIS_PASS",
        ] {
            assert!(is_sensitive_name(name), "{name} should be sensitive");
        }
    }

    #[test]
    fn names_that_only_point_at_credentials() {
        for name in [
            "PASSWORD_FILE",
            "TOKEN_TTL",
            "TLS_SECRET_NAME",
            "PWD",
            "KEYCLOAK_URL",
            "MONKEY",
            "LOG_LEVEL",
            "SECRETS_PATH",
        ] {
            assert!(!is_sensitive_name(name), "{name} should not be sensitive");
        }
    }

    #[test]
    fn redaction_replaces_secret_literals_and_keeps_the_rest() {
        let mut spec: PodSpec = serde_json::from_value(serde_json::json!({
            "containers": [{"name": "app", "env": [
                {"name": "DB_PASSWORD", "value": "hunter2"},
                {"name": "TLS_KEY", "value": "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----"},
                {"name": "LOG_LEVEL", "value": "debug"},
                {"name": "API_TOKEN", "value": "$(UPSTREAM_TOKEN)"},
                {"name": "EMPTY_PASSWORD", "value": ""}
            ]}],
            "initContainers": [{"name": "init", "env": [{"name": "ADMIN_TOKEN", "value": "abc"}]}]
        }))
        .unwrap();
        redact_pod_spec(&mut spec);
        let text = serde_json::to_string(&spec).unwrap();
        assert!(!text.contains("hunter2"));
        assert!(!text.contains("MIIB"));
        assert!(!text.contains("\"abc\""));
        assert!(text.contains("debug"));
        assert!(text.contains("$(UPSTREAM_TOKEN)"));
        let env = spec.containers[0].env.as_ref().unwrap();
        assert_eq!(env[0].value.as_deref(), Some(REDACTED));
        assert_eq!(env[1].value.as_deref(), Some(REDACTED));
        assert!(!is_literal_secret(&env[3]));
        assert!(!is_literal_secret(&env[4]));
    }
}
