//! Which names (of env vars, flags, headers, keys in text) say that their value is a credential.
//!
//! A name is cut into words at `_`, `-`, `.`, case changes and digits (`dbPassword2` is
//! `DB PASSWORD 2`). It names a credential when one of its words is a credential word
//! (anywhere, not only last: `PGPASSWORD`, `STRIPE_SK`), unless a word after the last credential
//! word says the value describes the credential rather than being it (`TOKEN_EXPIRY_SECONDS`,
//! `PASSWORD_MIN_LENGTH`, `TLS_SECRET_NAME`), or a word before it makes the name a switch
//! (`MYSQL_ALLOW_EMPTY_PASSWORD`).

/// Words that are a credential wherever they appear inside a word (`PGPASSWORD`, `HTPASSWD`).
const INSIDE_A_WORD: &[&str] = &["PASSWORD", "PASSWD", "PASSPHRASE", "CREDENTIAL"];

/// Words that are a credential as the end of a word (`APITOKEN`, `CLIENTSECRET`, `APIKEY`);
/// not as its start (`TOKENIZER`, `SECRETARY`).
const WORD_ENDINGS: &[&str] = &[
    "TOKEN",
    "SECRET",
    "SECRETS",
    "APIKEY",
    "PRIVATEKEY",
    "ACCESSKEY",
    "SECRETKEY",
    "AUTHKEY",
    "MASTERKEY",
    "SIGNINGKEY",
    "ENCRYPTIONKEY",
];

/// Whole words that are a credential (`STRIPE_SK`, `SENTRY_DSN`, `BEARER`, `GITHUB_PAT`).
const WHOLE_WORDS: &[&str] = &[
    "PASS",
    "PASSCODE",
    "CREDS",
    "DSN",
    "BEARER",
    "AUTHORIZATION",
    "SALT",
    "SK",
    "PAT",
    "PSK",
    "PRIVKEY",
];

/// Words that make a following `KEY` a credential (`API_KEY`, `SIGNING_KEY`, `SSH_KEY`);
/// a bare `KEY` is usually not (`CACHE_KEY`, `PARTITION_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "API",
    "PRIVATE",
    "ACCESS",
    "SECRET",
    "AUTH",
    "SIGNING",
    "SIGN",
    "ENCRYPTION",
    "ENCRYPT",
    "DECRYPTION",
    "MASTER",
    "LICENSE",
    "HMAC",
    "SESSION",
    "CRYPTO",
    "CIPHER",
    "AES",
    "SSH",
    "SHARED",
    "WEBHOOK",
    "JWT",
];

/// Words that, after the credential word, say the value is about the credential: where it is,
/// how long it lives, how long it must be, who issues it, whether it is on.
const ABOUT_THE_CREDENTIAL: &[&str] = &[
    "FILE",
    "FILES",
    "FILENAME",
    "PATH",
    "PATHS",
    "DIR",
    "DIRECTORY",
    "FOLDER",
    "MOUNT",
    "NAME",
    "NAMES",
    "NAMESPACE",
    "REF",
    "ARN",
    "ID",
    "IDS",
    "URL",
    "URLS",
    "URI",
    "ENDPOINT",
    "HOST",
    "HOSTNAME",
    "PORT",
    "ADDR",
    "ADDRESS",
    "LOCATION",
    "REGION",
    "ENABLED",
    "ENABLE",
    "DISABLED",
    "DISABLE",
    "REQUIRED",
    "TTL",
    "TIMEOUT",
    "EXPIRY",
    "EXPIRES",
    "EXPIRE",
    "EXPIRATION",
    "LIFETIME",
    "DURATION",
    "INTERVAL",
    "PERIOD",
    "AGE",
    "REFRESH",
    "ROTATION",
    "SECONDS",
    "SECS",
    "SEC",
    "MS",
    "MILLIS",
    "MILLISECONDS",
    "MINUTES",
    "MINS",
    "HOURS",
    "DAYS",
    "LENGTH",
    "LEN",
    "MIN",
    "MAX",
    "MINIMUM",
    "MAXIMUM",
    "SIZE",
    "BITS",
    "COUNT",
    "LIMIT",
    "ROUNDS",
    "ITERATIONS",
    "COST",
    "COMPLEXITY",
    "STRENGTH",
    "POLICY",
    "PATTERN",
    "REGEX",
    "RETRIES",
    "HEADER",
    "HEADERS",
    "FIELD",
    "PARAM",
    "PREFIX",
    "SUFFIX",
    "TYPE",
    "KIND",
    "FORMAT",
    "ENCODING",
    "ENCODER",
    "ALGORITHM",
    "ALG",
    "MODE",
    "STRATEGY",
    "PROVIDER",
    "BACKEND",
    "SOURCE",
    "ISSUER",
    "AUDIENCE",
    "SCOPE",
    "SCOPES",
    "CLAIM",
    "CLAIMS",
    "METHOD",
    "SELECTOR",
    "LABEL",
    "VERSION",
    "USER",
    "USERNAME",
    "MASTER",
    "MINION",
];

/// Words that, before the credential word, make the name a switch about it
/// (`MYSQL_ALLOW_EMPTY_PASSWORD`, `DISABLE_TOKEN_AUTH`, psql's `--no-password`).
const SWITCHES: &[&str] = &[
    "ALLOW", "ENABLE", "ENABLED", "DISABLE", "DISABLED", "USE", "REQUIRE", "REQUIRED", "SKIP",
    "EMPTY", "NO",
];

/// The words of a name, upper-cased: split at non-alphanumerics, lower→upper case changes,
/// the last capital of a run before a lower-case letter (`HTTPServer`), and letters↔digits.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&prev) = i.checked_sub(1).and_then(|p| chars.get(p)) {
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            let boundary = (prev.is_ascii_lowercase() && c.is_ascii_uppercase())
                || (prev.is_ascii_alphabetic() && c.is_ascii_digit())
                || (prev.is_ascii_digit() && c.is_ascii_alphabetic())
                || (prev.is_ascii_uppercase()
                    && c.is_ascii_uppercase()
                    && next.is_ascii_lowercase());
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_credential_word(word: &str, words_in_name: usize) -> bool {
    INSIDE_A_WORD.iter().any(|w| word.contains(w))
        || WORD_ENDINGS.iter().any(|w| word.ends_with(w))
        || WHOLE_WORDS.contains(&word)
        // `PWD` alone is the working directory; `MYSQL_PWD` is a password.
        || (word == "PWD" && words_in_name > 1)
}

/// True when a name (of an env var, a flag, a header, a key) says its value is a credential.
pub fn is_sensitive_name(name: &str) -> bool {
    let words = words(name);
    let mut last = None;
    for (i, w) in words.iter().enumerate() {
        let qualified_key = w == "KEY" && i > 0 && KEY_QUALIFIERS.contains(&words[i - 1].as_str());
        let basic_auth = w == "AUTH" && i > 0 && words[i - 1] == "BASIC";
        if qualified_key || basic_auth || is_credential_word(w, words.len()) {
            last = Some(i);
        }
    }
    let Some(at) = last else {
        return false;
    };
    let about = words[at + 1..]
        .iter()
        .any(|w| ABOUT_THE_CREDENTIAL.contains(&w.as_str()));
    let switch = words[..at].iter().any(|w| SWITCHES.contains(&w.as_str()));
    !about && !switch
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_at_separators_case_changes_and_digits() {
        assert_eq!(words("DB_PASSWORD2"), ["DB", "PASSWORD", "2"]);
        assert_eq!(words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(words("HTTPServerToken"), ["HTTP", "SERVER", "TOKEN"]);
        assert_eq!(words("--db-password"), ["DB", "PASSWORD"]);
        assert_eq!(
            words("-Dspring.datasource.password"),
            ["DSPRING", "DATASOURCE", "PASSWORD"]
        );
    }

    #[test]
    fn credential_names() {
        for name in [
            "DB_PASSWORD",
            "DB_PASSWORD2",
            "PGPASSWORD",
            "HTPASSWD",
            "MYSQL_PWD",
            "STRIPE_SK",
            "SENTRY_DSN",
            "BEARER",
            "GITHUB_TOKEN",
            "GITHUB_PAT",
            "client_secret",
            "clientSecret",
            "API_KEY",
            "apiKey",
            "X-Api-Key",
            "Authorization",
            "STRIPE_APIKEY",
            "AWS_SECRET_ACCESS_KEY",
            "PRIVATE_KEY",
            "SSH_KEY",
            "SECRET_KEY_BASE",
            "GOOGLE_APPLICATION_CREDENTIALS_JSON",
            "REDIS_PASS",
            "PASSWORD_RESET_TOKEN",
            "REFRESH_TOKEN",
            "BASIC_AUTH",
            "WPA_PSK",
            "db-password",
        ] {
            assert!(is_sensitive_name(name), "{name} should be sensitive");
        }
    }

    #[test]
    fn names_about_credentials_or_unrelated() {
        for name in [
            "TOKEN_EXPIRY_SECONDS",
            "PASSWORD_MIN_LENGTH",
            "MIN_PASSWORD_LENGTH",
            "SECRET_NAME",
            "TOKEN_URL",
            "PASSWORD_FILE",
            "TOKEN_TTL",
            "TLS_SECRET_NAME",
            "ALLOYDB_SECRET_NAME",
            "METALLB_ML_SECRET_KEY_PATH",
            "AWS_ACCESS_KEY_ID",
            "OAUTH_CLIENT_ID",
            "API_KEY_HEADER",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "DISABLE_TOKEN_AUTH",
            "MAX_TOTAL_TOKENS",
            "tokenizer_path",
            "SALT_MASTER",
            "PWD",
            "KEYCLOAK_URL",
            "MONKEY",
            "CACHE_KEY",
            "LOG_LEVEL",
            "SECRETS_PATH",
            "default-authentication-plugin",
            "secret-name",
        ] {
            assert!(!is_sensitive_name(name), "{name} should not be sensitive");
        }
    }
}
