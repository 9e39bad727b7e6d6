//! Credentials found by their form inside any text: passwords in URLs, well-known token
//! formats, `Authorization` values, private keys, and `name=value` / `--name value` /
//! `"name": "value"` / `name: value` where the name is a credential name.
//!
//! Only the secret part is masked (`postgres://app:<redacted by shipshape>@db/app`), so what
//! the value points at stays readable. Masking is idempotent: a masked text masks to itself.

use super::names::is_sensitive_name;
use super::REDACTED;
use regex::{Captures, Regex, RegexSet};
use std::ops::Range;
use std::sync::LazyLock;

/// A token, a key or a URL secret, recognised by its shape. Each pattern's group `s` (or the
/// whole match) is the secret. Patterns marked `true` need a secret that does not read as a
/// word (`Bearer authentication failed` holds none).
const SHAPE_PATTERNS: &[(&str, bool)] = &[
    // Passwords in URLs: scheme://user:PASSWORD@host
    (
        r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s/@:'`<>]*:(?P<s>[^\s/@'`<>]+)@",
        false,
    ),
    // A key as the only userinfo (a Sentry DSN, https://TOKEN@github.com).
    (
        r"[A-Za-z][A-Za-z0-9+.\-]*://(?P<s>[A-Za-z0-9_\-]{20,})@",
        false,
    ),
    // GitHub
    (r"\bgh[pousr]_[A-Za-z0-9]{30,}", false),
    (r"\bgithub_pat_[A-Za-z0-9_]{30,}", false),
    // GitLab, npm
    (r"\bglpat-[A-Za-z0-9_\-]{20,}", false),
    (r"\bnpm_[A-Za-z0-9]{36,}", false),
    // Slack tokens and incoming webhooks (the path is the secret)
    (r"\bxox[abposre]-[A-Za-z0-9\-]{10,}", false),
    (r"\bxapp-[0-9]+-[A-Za-z0-9\-]{10,}", false),
    (
        r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<s>[A-Za-z0-9_/\-]+)",
        false,
    ),
    // AWS access key ids
    (r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", false),
    // JSON Web Tokens: three base64url parts, the first a JSON object
    (
        r"\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*",
        false,
    ),
    // Stripe
    (r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}", false),
    (r"\bwhsec_[A-Za-z0-9]{20,}", false),
    // Google API keys
    (r"\bAIza[0-9A-Za-z_\-]{35}", false),
    // SendGrid, OpenAI-style
    (r"\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}", false),
    (r"\bsk-(?:proj-)?[A-Za-z0-9_\-]{32,}", false),
    // Authorization: Bearer/Basic/token VALUE, and a bare `Bearer VALUE`
    (
        r#"(?i)\bauthorization\b["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token|digest|apikey)\s+)?(?P<s>[^\s"'`$;,<>]{6,})"#,
        true,
    ),
    (r"(?i)\bbearer\s+(?P<s>[A-Za-z0-9._~+/=\-]{8,})", true),
    // Tools that take a password in a flag of their own: mysql -pSECRET, redis-cli -a
    // SECRET, curl -u user:SECRET
    (
        r#"\bmysql[a-z]*\b[^;&|\n]*?\s-p(?P<s>[^\s"'`;&|$<][^\s"'`;&|]*)"#,
        false,
    ),
    (
        r#"\bredis-cli\b[^;&|\n]*?\s-a\s+["']?(?P<s>[^\s"'`;&|$<][^\s"'`;&|]*)"#,
        false,
    ),
    (
        r#"\bcurl\b[^;&|\n]*?\s(?:-u|--user)[\s=]+["']?[^\s:"']*:(?P<s>[^\s"'`;&|$<][^\s"'`;&|]*)"#,
        false,
    ),
];

static SHAPES: LazyLock<Vec<(Regex, bool)>> = LazyLock::new(|| {
    SHAPE_PATTERNS
        .iter()
        .map(|(p, not_a_word)| (compile(p), *not_a_word))
        .collect()
});

static PEM: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)",
    )
});

static AWS_KEY_ID: LazyLock<Regex> = LazyLock::new(|| compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"));

/// An AWS secret access key: 40 base64 characters standing alone. Only looked for next to an
/// access key id, because alone the shape is too common.
static AWS_SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^A-Za-z0-9/+])(?P<s>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)")
        .expect("valid pattern")
});

/// Values given to a name: `name=value`, `"name": "value"`, `name: value` (one per line), and
/// `--name value`. Group `n` is the name, `s` the value.
const NAMED_PATTERNS: &[&str] = &[
    r#"(?:^|[^A-Za-z0-9_.\-])(?P<n>-{0,2}[A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<s>[^\s"'`;&|<>,)]+))"#,
    r#""(?P<n>[A-Za-z_][A-Za-z0-9_.\-]*)"\s*:\s*"(?P<s>(?:[^"\\]|\\.)*)""#,
    r#"(?m)^[ \t\-]*(?P<n>[A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*:[ \t]+(?P<s>[^\s#][^\n]*?)[ \t]*$"#,
    r#"(?:^|\s)(?P<n>--?[A-Za-z][A-Za-z0-9_.\-]*)[ \t]+(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<s>[^\s"'`;&|<>\-][^\s"'`;&|<>]*))"#,
];

static NAMED: LazyLock<Vec<Regex>> =
    LazyLock::new(|| NAMED_PATTERNS.iter().map(|p| compile(p)).collect());

/// Every shape and named pattern at once: one pass tells which of them can match at all, so
/// the many values that hold nothing cost one scan.
static ANY: LazyLock<RegexSet> = LazyLock::new(|| {
    let all = SHAPE_PATTERNS
        .iter()
        .map(|(p, _)| *p)
        .chain(NAMED_PATTERNS.iter().copied())
        .map(ascii_boundaries);
    RegexSet::new(all).expect("valid patterns")
});

/// Word boundaries between ASCII word characters, which keep the fast engines usable on any
/// text (credentials are ASCII).
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

fn compile(pattern: &str) -> Regex {
    Regex::new(&ascii_boundaries(pattern)).expect("valid pattern")
}

/// True when a value is a PEM-encoded private key (or holds one).
pub fn is_pem_private_key(value: &str) -> bool {
    value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----")
}

/// A value that refers to another variable (`$(DB_PASSWORD)`, `${TOKEN}`, `$TOKEN`): no literal.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    let inner = if let Some(r) = v.strip_prefix("$(").and_then(|r| r.strip_suffix(')')) {
        r
    } else if let Some(r) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        r
    } else if let Some(r) = v.strip_prefix('$') {
        r
    } else {
        return false;
    };
    !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
}

/// A value that cannot be the credential itself whatever its name says: a switch
/// (`true`, `no`), a duration (`30s`), a file it is read from (`/run/secrets/db`), a reference.
pub fn is_setting(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let switch = matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled" | "none" | "null"
    );
    let duration = {
        let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let unit = &lower[digits.len()..];
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
            && matches!(unit, "ns" | "us" | "ms" | "s" | "m" | "h" | "d")
    };
    let path = (v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("~/")
        || v.starts_with("file://"))
        && v.len() > 1
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | ':'));
    switch || duration || path || is_reference(v) || v.starts_with("<redacted")
}

const AUTH_SCHEMES: &[&str] = &["bearer", "basic", "token", "digest", "apikey"];

/// Is this value worth masking as the value of a credential name? Not when it is empty, a
/// setting, or a reference (also after an auth scheme: `Bearer $(TOKEN)`).
fn secret_value(value: &str) -> bool {
    let v = value.trim();
    let v = match v.split_once(char::is_whitespace) {
        Some((scheme, rest)) if AUTH_SCHEMES.iter().any(|s| scheme.eq_ignore_ascii_case(s)) => {
            rest.trim_start()
        }
        _ => v,
    };
    !v.is_empty() && !is_setting(v) && !v.starts_with('$')
}

/// Not an English word or an auth scheme: holds a digit or punctuation, or is long.
fn looks_like_a_token(s: &str) -> bool {
    let scheme = AUTH_SCHEMES.iter().any(|w| s.eq_ignore_ascii_case(w));
    !scheme && (s.len() >= 24 || s.chars().any(|c| !c.is_ascii_alphabetic()))
}

fn group_or_all(c: &Captures<'_>) -> Range<usize> {
    c.name("s")
        .unwrap_or_else(|| c.get(0).expect("match"))
        .range()
}

/// The byte ranges of a text that hold credentials, by shape and by name.
fn secret_ranges(text: &str, aws_nearby: bool) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    if text.contains("PRIVATE KEY-----") {
        ranges.extend(PEM.find_iter(text).map(|m| m.range()));
    }
    let hits = ANY.matches(text);
    for (i, (re, not_a_word)) in SHAPES.iter().enumerate() {
        if !hits.matched(i) {
            continue;
        }
        for c in re.captures_iter(text) {
            let r = group_or_all(&c);
            if *not_a_word && !looks_like_a_token(&text[r.clone()]) {
                continue;
            }
            ranges.push(r);
        }
    }
    if aws_nearby || AWS_KEY_ID.is_match(text) {
        ranges.extend(AWS_SECRET.captures_iter(text).map(|c| group_or_all(&c)));
    }
    for (i, re) in NAMED.iter().enumerate() {
        if !hits.matched(SHAPES.len() + i) {
            continue;
        }
        for c in re.captures_iter(text) {
            let name = c.name("n").map_or("", |m| m.as_str());
            let Some(value) = c.name("dq").or(c.name("sq")).or(c.name("s")) else {
                continue;
            };
            if is_sensitive_name(name) && secret_value(value.as_str()) {
                ranges.push(value.range());
            }
        }
    }
    // A range that starts on an earlier mask is that mask being found again; one that starts
    // with `$` is a reference to a variable.
    ranges.retain(|r| {
        !r.is_empty()
            && !text[r.start..].starts_with("<redacted")
            && !text[r.start..].starts_with('$')
    });
    ranges
}

/// Replaces the ranges (merged where they overlap) by [`REDACTED`].
fn mask(text: &str, mut ranges: Vec<Range<usize>>) -> String {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in ranges {
        if r.end <= at {
            continue;
        }
        let start = r.start.max(at);
        out.push_str(&text[at..start]);
        out.push_str(REDACTED);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The text with every credential in it masked, or `None` when it holds none.
pub fn redact_text(text: &str) -> Option<String> {
    redact_text_near(text, false)
}

/// As [`redact_text`]; `aws_nearby` when an AWS access key id sits in a neighbouring value
/// (another arg, another env var), which makes a lone 40-character key its secret.
pub fn redact_text_near(text: &str, aws_nearby: bool) -> Option<String> {
    let ranges = secret_ranges(text, aws_nearby);
    (!ranges.is_empty()).then(|| mask(text, ranges))
}

/// True when the text holds an AWS access key id.
pub fn has_aws_key_id(text: &str) -> bool {
    AWS_KEY_ID.is_match(text)
}

/// Masks credentials in a command line given as separate arguments (`command` + `args`):
/// `--db-password=VALUE`, `--password VALUE`, `mysql … -pVALUE`, `redis-cli -a VALUE`, and
/// whatever [`redact_text`] finds in each argument (`sh -c "…"`). Returns whether anything
/// changed.
pub fn redact_argv(argv: &mut [&mut String]) -> bool {
    let aws = argv.iter().any(|a| has_aws_key_id(a));
    let program = argv
        .first()
        .map(|p| p.rsplit('/').next().unwrap_or("").to_string())
        .unwrap_or_default();
    let mut changed = false;
    let mut mask_next = false;
    for arg in argv.iter_mut() {
        if std::mem::take(&mut mask_next) && !arg.starts_with('-') && secret_value(arg) {
            **arg = REDACTED.to_string();
            changed = true;
            continue;
        }
        if arg.starts_with('-') {
            if let Some((flag, value)) = arg.split_once('=') {
                if is_sensitive_name(flag) && secret_value(value) {
                    **arg = format!("{flag}={REDACTED}");
                    changed = true;
                    continue;
                }
            } else if is_sensitive_name(arg)
                || (program == "redis-cli" && arg.as_str() == "-a")
                || (program == "curl" && matches!(arg.as_str(), "-u" | "--user"))
            {
                mask_next = true;
                continue;
            } else if program.starts_with("mysql")
                && arg.strip_prefix("-p").is_some_and(secret_value)
            {
                **arg = format!("-p{REDACTED}");
                changed = true;
                continue;
            }
        }
        if let Some(masked) = redact_text_near(arg, aws) {
            **arg = masked;
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> String {
        redact_text(text).unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn passwords_in_urls_are_masked_and_the_url_kept() {
        assert_eq!(
            masked("postgres://app:S3cr3t!@db.internal:5432/shop?sslmode=require"),
            format!("postgres://app:{REDACTED}@db.internal:5432/shop?sslmode=require")
        );
        assert_eq!(
            masked("https://u:p4ss@example.com/x"),
            format!("https://u:{REDACTED}@example.com/x")
        );
        assert_eq!(
            masked("redis://:hunter2@redis:6379/0"),
            format!("redis://:{REDACTED}@redis:6379/0")
        );
        // No userinfo, or a reference: nothing to mask.
        assert_eq!(redact_text("https://auth.example.com/token"), None);
        assert_eq!(redact_text("postgres://app:$(DB_PASSWORD)@db/shop"), None);
        assert_eq!(redact_text("mongodb://mongodb:27017/test"), None);
    }

    #[test]
    fn well_known_tokens_are_masked_anywhere() {
        for secret in [
            "ghp_0123456789abcdefghijABCDEFGHIJ012345",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789",
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "AKIAIOSFODNN7EXAMPLE",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "rk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "AIzaSyA-1234567890abcdefghijklmnopqrstu",
            "glpat-abcdefghij0123456789",
        ] {
            let text = format!("start {secret} end");
            let out = masked(&text);
            assert!(!out.contains(secret), "{secret}: {out}");
            assert!(out.starts_with("start ") && out.ends_with(" end"), "{out}");
        }
        let hook = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
        assert_eq!(
            masked(hook),
            format!("https://hooks.slack.com/services/{REDACTED}")
        );
    }

    #[test]
    fn aws_secret_keys_next_to_their_id() {
        let text = "aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE && export K=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let out = masked(text);
        assert!(!out.contains("wJalrXUtnFEMI"), "{out}");
        assert!(!out.contains("AKIAIOSFODNN7EXAMPLE"), "{out}");
        // Alone, 40 characters are just 40 characters (a commit hash is 40 hex digits).
        assert_eq!(
            redact_text("checkout 0123456789abcdef0123456789abcdef01234567"),
            None
        );
    }

    #[test]
    fn authorization_values_are_masked() {
        let out = masked("curl -H 'Authorization: Bearer abc.def.ghi123' http://x");
        assert!(!out.contains("abc.def.ghi123"), "{out}");
        let out = masked("Authorization: Basic dXNlcjpwYXNzd29yZA==");
        assert!(!out.contains("dXNlcjpwYXNzd29yZA"), "{out}");
        assert_eq!(redact_text("Authorization: Bearer $(TOKEN)"), None);
        assert_eq!(
            redact_text("curl -H \"Authorization: Bearer $TOKEN\" x"),
            None
        );
    }

    #[test]
    fn values_of_credential_names_in_text() {
        for (text, secret) in [
            ("PGPASSWORD=pg-s3cret psql -h db", "pg-s3cret"),
            ("app --db-password=hunter2 --port 80", "hunter2"),
            ("app --password hunter2 --port 80", "hunter2"),
            ("-Dspring.datasource.password=hunter2 -Xmx1g", "hunter2"),
            (
                "https://api.example.com/hook?api_key=abc123xyz&x=1",
                "abc123xyz",
            ),
            ("{\"client_secret\": \"c-s3cret\"}", "c-s3cret"),
            ("user: app\npassword: yaml-s3cret\n", "yaml-s3cret"),
            ("mysql -h db -uroot -pmy-s3cret -e 'select 1'", "my-s3cret"),
            ("redis-cli -h r -a r3dis ping", "r3dis"),
            ("curl -u admin:adm1n http://x", "adm1n"),
        ] {
            let out = masked(text);
            assert!(!out.contains(secret), "{text} → {out}");
            assert!(out.contains(REDACTED), "{text} → {out}");
        }
        // Names about credentials, references and switches stay.
        for text in [
            "--password-file=/run/secrets/db",
            "--token-ttl=3600",
            "--secret-name=ingress-nginx-admission",
            "mysqladmin -uroot -p$MYSQL_ROOT_PASSWORD ping",
            "--default-authentication-plugin=mysql_native_password",
            "--max-total-tokens=3072",
            "tokenizer_path=assets/tokenizer.llama2",
            "PGPASSWORD=$DB_PASSWORD psql",
            "--enable-token-auth=true",
        ] {
            assert_eq!(redact_text(text), None, "{text}");
        }
    }

    #[test]
    fn private_keys_are_masked_whole() {
        let text = "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34\n-----END RSA PRIVATE KEY-----\nafter";
        assert_eq!(masked(text), format!("before\n{REDACTED}\nafter"));
    }

    #[test]
    fn masking_is_idempotent() {
        for text in [
            "postgres://app:S3cr3t@db/shop",
            "--db-password=hunter2 --password hunter3",
            "password: yaml-s3cret",
            "{\"token\": \"abc\"}",
            "Authorization: Bearer abcdefghijkl",
        ] {
            let once = masked(text);
            assert_ne!(once, text);
            assert_eq!(redact_text(&once), None, "{once}");
        }
    }

    #[test]
    fn argv_flags_and_tools() {
        let mut argv: Vec<String> = [
            "mysql",
            "-uroot",
            "-pmy-s3cret",
            "--db-password=hunter2",
            "--password",
            "hunter3",
            "--api-token",
            "$(TOKEN)",
            "--password-file",
            "/run/secrets/p",
        ]
        .map(String::from)
        .to_vec();
        let mut refs: Vec<&mut String> = argv.iter_mut().collect();
        assert!(redact_argv(&mut refs));
        let joined = argv.join(" ");
        for secret in ["my-s3cret", "hunter2", "hunter3"] {
            assert!(!joined.contains(secret), "{joined}");
        }
        assert!(joined.contains("$(TOKEN)"), "{joined}");
        assert!(joined.contains("/run/secrets/p"), "{joined}");
        assert!(joined.contains("--db-password="), "{joined}");
        let mut argv = ["redis-cli".to_string(), "-a".into(), "r3dis".into()];
        let mut refs: Vec<&mut String> = argv.iter_mut().collect();
        assert!(redact_argv(&mut refs));
        assert_eq!(argv[2], REDACTED);
    }
}
