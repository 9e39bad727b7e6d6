//! Credentials planted in every place a stored object can hold a value
//! (`fixtures/credentials/everywhere.yaml`) never leave the binary, in any command or format;
//! the findings name the variables.

mod support;

use serde::Deserialize;
use support::apiserver::ApiServer;
use support::command::shipshape;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/credentials");

/// Every planted value (each also contains "planted", in some case).
const PLANTED: &[&str] = &[
    "Planted-Ann-Url-Pw",
    "T0PLANTED/B0PLANTED/PlantedWebhookPath",
    "PlantedJwtSignature0123",
    "Planted-Git-Pw",
    "planted-flex-pw",
    "planted-csi-token",
    "-pPlanted-Mysql-Pw",
    "planted-pgpassword",
    "planted-stripe-sk",
    "planted-flag-eq-pw",
    "planted-flag-space-pw",
    "ghp_PlantedGithubToken0123456789abcdefXYZ",
    "planted-shell-pw",
    "planted-jvm-pw",
    "planted-db-password2",
    "plantedsentrykey0123456789abcd",
    "$apr1$planted$hash",
    "planted-bearer-env",
    "Planted-Db-Url-Pw",
    "github_pat_PlantedGithubPat0123456789_abcdefghijklmnop",
    "xoxb-000000000000-PlantedSlackToken",
    "AKIAPLANTEDKEY000001",
    "PlantedAwsSecretKey/0123456789abcdefghij",
    "sk_live_PlantedStripeLive0123456789",
    "AIzaPlantedGoogleKey0123456789abcdefghi",
    "MHcPlantedPemBody",
    "Planted-Redis-Pw",
    "planted-probe-query",
    "PlantedProbeBearer0123",
    "planted-probe-apikey",
    "Planted-Curl-Pw",
    "planted-hook-token",
    "planted-ephemeral-pw",
    "planted-ephemeral-token",
    "Planted-Status-Pw",
    "Planted-Termination-Pw",
    "PlantedEventBearer0123",
    "PlantedServiceJwt0123",
    "PlantedIngressBearer0123",
    "Planted-Auth-Url-Pw",
    "planted-cron-s3-secret",
    "planted-cron-mysql-pwd",
];

/// Env vars whose literal values are credentials: each is named by `security.secret-env`.
const FLAGGED: &[&str] = &[
    "PGPASSWORD",
    "STRIPE_SK",
    "DB_PASSWORD2",
    "SENTRY_DSN",
    "HTPASSWD",
    "BEARER",
    "DATABASE_URL",
    "CONFIG_NOTE",
    "UPSTREAM",
    "AWS_ACCESS_KEY_ID",
    "AWS_KEY",
    "PAYMENTS",
    "MAPS",
    "SIGNING_CERT",
    "MYSQL_PWD",
    "DB_PASSWORD",
];

/// Env vars about credentials, kept as they are and not flagged.
const SETTINGS: &[(&str, &str)] = &[
    ("TOKEN_EXPIRY_SECONDS", "3600"),
    ("PASSWORD_MIN_LENGTH", "12"),
    ("SECRET_NAME", "my-secret"),
    ("TOKEN_URL", "https://auth.example.com/token"),
];

fn run(args: &[&str]) -> String {
    let out = shipshape().args(args).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut text = String::from_utf8(out.stdout).unwrap();
    text.push_str(&String::from_utf8(out.stderr).unwrap());
    text
}

fn assert_no_credential(what: &str, text: &str) {
    for p in PLANTED {
        assert!(!text.contains(p), "{what} leaks {p}");
    }
    assert!(
        !text.to_ascii_lowercase().contains("planted"),
        "{what} leaks a planted value:\n{text}"
    );
}

#[test]
fn planted_credentials_appear_in_no_output_and_findings_name_the_variables() {
    let dir = tempfile::tempdir().unwrap();
    let snap_yaml = dir.path().join("snap.yaml");
    let snap_json = dir.path().join("snap.json");
    let report_json = dir.path().join("report.json");
    let snap_yaml_s = snap_yaml.to_str().unwrap();
    let snap_json_s = snap_json.to_str().unwrap();

    let mut outputs: Vec<(String, String)> = Vec::new();
    outputs.push(("check".into(), run(&["check", "-f", FIXTURE])));
    outputs.push((
        "check -o json".into(),
        run(&["check", "-f", FIXTURE, "-o", "json"]),
    ));
    for format in ["markdown", "html", "sarif", "junit", "json"] {
        outputs.push((
            format!("report --format {format}"),
            run(&["report", "-f", FIXTURE, "--format", format]),
        ));
    }
    outputs.push((
        "snapshot -o -".into(),
        run(&["snapshot", "-f", FIXTURE, "-o", "-"]),
    ));
    run(&["snapshot", "-f", FIXTURE, "-o", snap_yaml_s]);
    run(&["snapshot", "-f", FIXTURE, "-o", snap_json_s]);
    outputs.push((
        "snapshot.yaml".into(),
        std::fs::read_to_string(&snap_yaml).unwrap(),
    ));
    outputs.push((
        "snapshot.json".into(),
        std::fs::read_to_string(&snap_json).unwrap(),
    ));
    let read_back = run(&["check", "-f", snap_yaml_s, "-o", "json"]);
    std::fs::write(&report_json, &read_back).unwrap();
    outputs.push(("check of the snapshot".into(), read_back));
    outputs.push((
        "diff".into(),
        run(&["diff", report_json.to_str().unwrap(), snap_json_s]),
    ));

    for (what, text) in &outputs {
        assert_no_credential(what, text);
    }

    // Reports name every flagged variable (the table shortens long messages: its first only).
    for (what, text) in &outputs {
        let report = what.starts_with("report")
            || what == "check -o json"
            || what == "check of the snapshot";
        if report {
            // Markdown escapes `_`.
            let text = text.replace("\\_", "_");
            for name in FLAGGED {
                assert!(
                    text.contains(&format!("env {name} holds a literal secret")),
                    "{what} does not name {name}"
                );
            }
        }
        for (name, _) in SETTINGS {
            assert!(
                !text.contains(&format!("env {name} holds")),
                "{what} flags {name}"
            );
        }
    }
    let table = &outputs[0].1;
    assert!(
        table.contains("env PGPASSWORD holds a literal secret"),
        "{table}"
    );

    // The snapshot keeps what is not a credential, and the shape of what was masked.
    let snapshot = std::fs::read_to_string(&snap_yaml).unwrap();
    for (_, value) in SETTINGS {
        assert!(snapshot.contains(value), "{value} was masked");
    }
    for kept in [
        "postgres://app:<redacted by shipshape>@db.vault:5432/api",
        "--db-password=<redacted by shipshape>",
        "/ready?token=<redacted by shipshape>",
        "https://hooks.slack.com/services/<redacted by shipshape>",
        "kept-as-is",
    ] {
        assert!(snapshot.contains(kept), "{kept} missing from the snapshot");
    }
}

/// The same objects served by an API server: the watch path redacts as the file path does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn planted_credentials_never_leave_a_live_capture() {
    let server = ApiServer::start().await;
    let text = std::fs::read_to_string(format!("{FIXTURE}/everywhere.yaml")).unwrap();
    for doc in serde_norway::Deserializer::from_str(&text) {
        server.apply(serde_json::Value::deserialize(doc).unwrap());
    }
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path()).display().to_string();
    let outputs = tokio::task::spawn_blocking(move || {
        [
            vec!["snapshot", "-o", "-"],
            vec!["check", "-o", "json"],
            vec!["report", "--format", "markdown"],
        ]
        .into_iter()
        .map(|mut args| {
            args.extend(["--kubeconfig", kubeconfig.as_str()]);
            (args.join(" "), run(&args))
        })
        .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for (what, text) in &outputs {
        assert_no_credential(what, text);
    }
    let (_, report) = &outputs[1];
    for name in FLAGGED {
        assert!(
            report.contains(&format!("env {name} holds a literal secret")),
            "live check does not name {name}"
        );
    }
    let (_, snapshot) = &outputs[0];
    assert!(snapshot.contains("postgres://app:<redacted by shipshape>@db.vault:5432/api"));
}
