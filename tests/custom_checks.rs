//! Custom checks in CEL and the cluster's admission policies: loading (with the errors a user
//! sees), evaluation on workloads, redaction, and the examples in `examples/policies/`.

use shipshape::checks::Status;
use shipshape::cluster::{ClusterModel, WorkloadKey};
use shipshape::config::Config;
use shipshape::policy::custom::{self, Finding};
use shipshape::policy::vap::{self, AdmissionPolicies};
use shipshape::testing;
use std::collections::BTreeMap;
use std::path::Path;

fn examples() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies"))
}

/// Every custom check's finding on every workload: `check id → workload path → finding`.
fn custom_findings(
    config: &Config,
    model: &ClusterModel,
) -> BTreeMap<String, BTreeMap<String, Finding>> {
    let mut out: BTreeMap<String, BTreeMap<String, Finding>> = BTreeMap::new();
    for key in model.workload_keys() {
        let w = model.workload(&key).unwrap();
        for (check, finding) in custom::grade_workload(&config.custom_checks, model, &w) {
            out.entry(check.id).or_default().insert(path(&key), finding);
        }
    }
    out
}

fn path(key: &WorkloadKey) -> String {
    format!("{}/{}/{}", key.kind, key.namespace, key.name)
}

fn example_model() -> ClusterModel {
    let text = std::fs::read_to_string(examples().join("workloads.yaml")).unwrap();
    testing::model(&text)
}

#[test]
fn the_example_config_loads_with_its_included_checks() {
    let config = Config::load(&examples().join("shipshape.toml")).unwrap();
    let ids: Vec<(&str, &str)> = config
        .custom_checks
        .iter()
        .map(|c| (c.id.as_str(), c.source.rsplit('/').next().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("acme.team-label", "shipshape.toml"),
            ("acme.batch-ttl", "shipshape.toml"),
            ("acme.no-docker-hub", "images.toml"),
            ("acme.ephemeral-storage", "images.toml"),
        ]
    );
    assert!(config.audit_admission_policies);
}

#[test]
fn the_example_checks_pass_fail_and_name_items() {
    let config = Config::load(&examples().join("shipshape.toml")).unwrap();
    let findings = custom_findings(&config, &example_model());
    let status = |check: &str, workload: &str| findings[check].get(workload).map(|f| f.status);
    let message = |check: &str, workload: &str| findings[check][workload].message.clone();

    assert_eq!(
        status("acme.team-label", "Deployment/shop/web"),
        Some(Status::Pass)
    );
    assert_eq!(
        status("acme.team-label", "Deployment/shop/cache"),
        Some(Status::Fail)
    );
    assert_eq!(
        message("acme.team-label", "Deployment/shop/cache"),
        "no team label on Deployment cache"
    );
    // applies-to leaves Jobs out of the team check, and Deployments out of the Job check.
    assert_eq!(status("acme.team-label", "Job/shop/migrate"), None);
    assert_eq!(status("acme.batch-ttl", "Deployment/shop/web"), None);
    assert_eq!(
        status("acme.batch-ttl", "Job/shop/migrate"),
        Some(Status::Fail)
    );

    let hub = &findings["acme.no-docker-hub"]["Deployment/shop/cache"];
    assert_eq!(hub.status, Status::Fail);
    assert_eq!(hub.items, ["redis", "exporter"]);
    assert_eq!(hub.message, "redis, exporter pull from Docker Hub");
    assert_eq!(
        status("acme.no-docker-hub", "Deployment/shop/web"),
        Some(Status::Pass)
    );
    assert_eq!(
        findings["acme.no-docker-hub"]["Deployment/sandbox/scratch"].items,
        ["shell"]
    );

    assert_eq!(
        status("acme.ephemeral-storage", "Deployment/shop/web"),
        Some(Status::Pass)
    );
    assert_eq!(
        findings["acme.ephemeral-storage"]["Deployment/shop/cache"].items,
        ["redis", "exporter"]
    );
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn load_error(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "c.toml", text);
    let e = Config::load(&path).unwrap_err();
    e.to_string()
        .replace(&dir.path().display().to_string(), "DIR")
}

const HEAD: &str = "[[checks]]\nid = \"acme.x\"\nseverity = \"warning\"\ntitle = \"X\"\n";

#[test]
fn a_syntax_error_names_file_line_and_column_with_a_caret() {
    let e = load_error(&format!(
        "{HEAD}expression = \"has(object.metadata.labels) && 'team' in\"\n"
    ));
    let lines: Vec<&str> = e.lines().collect();
    assert!(
        lines[0].starts_with("DIR/c.toml:5: checks.expression: syntax error: "),
        "{e}"
    );
    assert_eq!(lines[1], "  | has(object.metadata.labels) && 'team' in");
    assert_eq!(lines[2], format!("  | {}^", " ".repeat(40)));
    assert_eq!(lines.len(), 3, "{e}");
}

#[test]
fn an_error_on_a_later_line_of_a_multi_line_expression_names_that_line() {
    let e = load_error(&format!(
        "{HEAD}expression = \"\"\"\ncontainers.all(c,\n  has(c.resources) && sise(c.name) > 0)\n\"\"\"\n"
    ));
    assert_eq!(
        e,
        "DIR/c.toml:7: checks.expression: undeclared function `sise`\n  |   has(c.resources) && sise(c.name) > 0)\n  |                       ^"
    );
}

#[test]
fn a_type_error_is_refused_at_load() {
    let e = load_error(&format!("{HEAD}expression = \"size(containers)\"\n"));
    assert_eq!(
        e,
        "DIR/c.toml:5: checks.expression: the expression returns an int; it must return a bool (pass or fail) or a list of strings (the failing items)\n  | size(containers)\n  | ^"
    );
    let e = load_error(&format!("{HEAD}expression = \"spec.replicas > 1\"\n"));
    assert!(
        e.starts_with("DIR/c.toml:5: checks.expression: undeclared reference to `spec`"),
        "{e}"
    );
}

#[test]
fn ids_kinds_and_duplicates_are_checked() {
    let e = load_error(
        "[[checks]]\nid = \"probe.mine\"\nseverity = \"info\"\ntitle = \"t\"\nexpression = \"true\"\n",
    );
    assert_eq!(
        e,
        "DIR/c.toml:2: checks.id: `probe.mine` uses the built-in prefix `probe.`; give custom checks a prefix of your own"
    );
    let e = load_error(&format!(
        "{HEAD}applies-to = [\"Deployment\", \"deployments\"]\nexpression = \"true\"\n"
    ));
    assert!(
        e.starts_with("DIR/c.toml:5: checks.applies-to: `deployments` is not a workload kind"),
        "{e}"
    );
    let e = load_error(&format!(
        "{HEAD}applies-to = [\"Service\"]\nexpression = \"true\"\n"
    ));
    assert!(e.contains("`Service` is not a workload kind"), "{e}");
    let e = load_error(&format!(
        "{HEAD}message = \"{{nam}} is bad\"\nexpression = \"true\"\n"
    ));
    assert!(
        e.starts_with("DIR/c.toml:5: checks.message: `{nam}` is not a placeholder"),
        "{e}"
    );

    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "checks.d/b.toml",
        &format!("# b\n\n{HEAD}expression = \"true\"\n"),
    );
    let config = write(
        dir.path(),
        "c.toml",
        &format!("include = [\"checks.d/*.toml\"]\n{HEAD}expression = \"true\"\n"),
    );
    let e = Config::load(&config).unwrap_err().to_string();
    let d = dir.path().display().to_string();
    assert_eq!(
        e,
        format!("{d}/checks.d/b.toml:4: checks.id: `acme.x` is already defined at {d}/c.toml:3")
    );
}

#[test]
fn waivers_overrides_and_disabling_accept_custom_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "c.toml",
        &format!(
            "disabled = [\"acme.y\"]\n[severity]\n\"acme.x\" = \"critical\"\n\n[[waivers]]\ncheck = \"acme.*\"\nnamespace = \"legacy\"\nreason = \"vendor chart\"\n\n{HEAD}expression = \"true\"\n\n[[checks]]\nid = \"acme.y\"\nseverity = \"info\"\ntitle = \"Y\"\nexpression = \"false\"\n"
        ),
    );
    let config = Config::load(&path).unwrap();
    assert_eq!(
        config.severity_override("acme.x"),
        Some(shipshape::checks::Severity::Critical)
    );
    assert!(config.is_disabled("acme.y"));
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert!(config
        .waiver_for("acme.x", "legacy", "web", &[], today)
        .is_some());
    // A typo in a custom id is still an error.
    let e = load_error(&format!(
        "[severity]\n\"acme.z\" = \"info\"\n{HEAD}expression = \"true\"\n"
    ));
    assert!(e.contains("no check is named `acme.z`"), "{e}");
}

/// Secret payloads are not in the model at all, and credential env values are redacted at
/// ingest: an expression that looks for them finds nothing.
#[test]
fn expressions_never_see_credentials() {
    let model = testing::model(
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData: {password: hunter2-secret}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1
        env:
        - {name: DB_PASSWORD, value: hunter2-secret}
        - {name: API_TOKEN, value: "tok-hunter2-secret"}
"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "c.toml",
        r#"
[[checks]]
id = "leak.env"
severity = "info"
title = "sees env values"
expression = "containers.map(c, has(c.env) ? c.env.map(e, has(e.value) ? e.value : '') : []).map(l, l.join(','))"

[[checks]]
id = "leak.any"
severity = "info"
title = "finds the secret anywhere in the object"
expression = "object.spec.template.spec.containers.exists(c, c.env.exists(e, e.value.contains('hunter2')))"
"#,
    );
    let config = Config::load(&path).unwrap();
    let findings = custom_findings(&config, &model);
    let env = &findings["leak.env"]["Deployment/shop/api"];
    assert_eq!(env.status, Status::Fail);
    assert_eq!(
        env.items,
        ["<redacted by shipshape>,<redacted by shipshape>"]
    );
    assert_eq!(
        findings["leak.any"]["Deployment/shop/api"].status,
        Status::Fail
    );
}

fn example_policies() -> AdmissionPolicies {
    let text = std::fs::read_to_string(examples().join("admission.yaml")).unwrap();
    let (policies, bindings) = vap::from_text(&text).unwrap();
    AdmissionPolicies::new(&policies, &bindings)
}

fn policy_findings(
    policies: &AdmissionPolicies,
    model: &ClusterModel,
) -> BTreeMap<(String, String), Finding> {
    let mut out = BTreeMap::new();
    for key in model.workload_keys() {
        let w = model.workload(&key).unwrap();
        let mut activation =
            custom::activation(&w, custom::namespace_object(model, &key.namespace));
        for (p, f) in policies.grade_workload(model, &w, &mut activation) {
            out.insert((p.id.clone(), path(&key)), f);
        }
    }
    out
}

#[test]
fn admission_policies_grade_what_their_bindings_select() {
    let policies = example_policies();
    let findings = policy_findings(&policies, &example_model());
    let get = |id: &str, w: &str| &findings[&(id.to_string(), w.to_string())];

    assert_eq!(
        get("vap.require-team-label", "Deployment/shop/web").status,
        Status::Pass
    );
    let cache = get("vap.require-team-label", "Deployment/shop/cache");
    assert_eq!(cache.status, Status::Fail);
    assert_eq!(
        cache.message,
        "admission policy require-team-label would reject it: every Deployment and StatefulSet needs a team label"
    );
    // The binding selects env=prod namespaces only; the policy's rules name no Jobs.
    let scratch = get("vap.require-team-label", "Deployment/sandbox/scratch");
    assert_eq!(scratch.status, Status::NotApplicable);
    assert_eq!(
        get("vap.require-team-label", "Job/shop/migrate").status,
        Status::NotApplicable
    );
    let p = policies
        .policies
        .iter()
        .find(|p| p.name == "require-team-label")
        .unwrap();
    assert_eq!(p.severity, shipshape::checks::Severity::Warning);
}

#[test]
fn a_policy_with_params_is_unknown_and_said_once() {
    let policies = example_policies();
    assert_eq!(
        policies.notes(),
        ["admission policy max-replicas is not evaluated: it takes parameters (paramKind), which shipshape does not read"]
    );
    let findings = policy_findings(&policies, &example_model());
    let web = &findings[&(
        "vap.max-replicas".to_string(),
        "Deployment/shop/web".to_string(),
    )];
    assert_eq!(web.status, Status::Unknown);
    // A binding with no matchResources selects every namespace; the rules only Deployments.
    let job = &findings[&(
        "vap.max-replicas".to_string(),
        "Job/shop/migrate".to_string(),
    )];
    assert_eq!(job.status, Status::NotApplicable);
}

#[test]
fn policies_use_match_conditions_variables_and_message_expressions() {
    let (policies, bindings) = vap::from_text(
        r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: limits}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}
  matchConditions:
  - name: not-opted-out
    expression: "!has(object.metadata.labels) || !('skip' in object.metadata.labels)"
  variables:
  - name: unlimited
    expression: "object.spec.template.spec.containers.filter(c, !has(c.resources.limits)).map(c, c.name)"
  validations:
  - expression: "size(variables.unlimited) == 0"
    messageExpression: "'no limits on ' + variables.unlimited.join(', ')"
  - expression: "authorizer.group('').resource('pods').check('get').allowed()"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: limits}
spec:
  policyName: limits
  validationActions: [Deny]
  matchResources:
    objectSelector:
      matchExpressions: [{key: tier, operator: In, values: [web]}]
"#,
    )
    .unwrap();
    let set = AdmissionPolicies::new(&policies, &bindings);
    assert_eq!(set.notes().len(), 1, "{:?}", set.notes());
    assert!(set.notes()[0].contains("authorizer"), "{:?}", set.notes());
}

fn shipshape() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("shipshape").unwrap();
    cmd.env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", "/nonexistent");
    cmd
}

#[test]
fn a_broken_expression_exits_2_with_the_caret() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "c.toml",
        &format!("{HEAD}expression = \"containers.all(c, c.image.startsWith('ghcr.io/')\"\n"),
    );
    let out = shipshape()
        .args(["check", "-f"])
        .arg(examples().join("workloads.yaml"))
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "shipshape: error: invalid config: {}:5: checks.expression: syntax error: ",
            config.display()
        )),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        "  | containers.all(c, c.image.startsWith('ghcr.io/')"
    );
    assert_eq!(lines[2], format!("  | {}^", " ".repeat(48)));
    assert!(out.stdout.is_empty());
}

/// Graded like built-in checks: a failing custom check costs score, a severity override
/// changes its weight, a waiver turns it to `waived`, and `explain` names its file.
#[test]
fn custom_checks_are_scored_waived_and_explained_like_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let report = |extra: &str| -> serde_json::Value {
        let config = write(
            dir.path(),
            "c.toml",
            &format!(
                "{extra}\n[[checks]]\nid = \"acme.replicas\"\nseverity = \"info\"\ntitle = \"Three replicas\"\nexpression = \"object.spec.replicas >= 3\"\nmessage = \"{{name}} runs fewer than 3\"\n"
            ),
        );
        let out = shipshape()
            .args(["check", "-o", "json", "-f"])
            .arg(examples().join("workloads.yaml"))
            .arg("--config")
            .arg(&config)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let web = |r: &serde_json::Value| -> (f64, serde_json::Value) {
        let w = r["workloads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["name"] == "web")
            .unwrap()
            .clone();
        let result = w["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["check"] == "acme.replicas")
            .unwrap()
            .clone();
        (w["score"].as_f64().unwrap(), result)
    };
    let (info_score, result) = web(&report(""));
    assert_eq!(result["result"], "fail");
    assert_eq!(result["severity"], "info");
    assert_eq!(result["message"], "web runs fewer than 3");
    let (critical_score, result) = web(&report("[severity]\n\"acme.replicas\" = \"critical\"\n"));
    assert_eq!(result["severity"], "critical");
    assert!(
        critical_score < info_score,
        "{critical_score} < {info_score}"
    );
    let (waived_score, result) = web(&report(
        "[[waivers]]\ncheck = \"acme.*\"\nnamespace = \"shop\"\nreason = \"scaled by hand\"\n",
    ));
    assert_eq!(result["result"], "waived");
    assert_eq!(result["waiver"], "config waiver: scaled by hand");
    assert!(waived_score > info_score, "{waived_score} > {info_score}");

    let config = dir.path().join("c.toml");
    let out = shipshape()
        .args(["explain", "acme.replicas", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "acme.replicas — Three replicas\ncustom check, defined at {}:7\nseverity: info",
            config.display()
        )),
        "{text}"
    );
}

#[test]
fn the_audit_flag_grades_policies_from_the_input_files() {
    let out = shipshape()
        .args(["check", "-o", "json", "--audit-admission-policies", "-f"])
        .arg(examples().join("workloads.yaml"))
        .arg("-f")
        .arg(examples().join("admission.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.matches("max-replicas is not evaluated").count(),
        1,
        "said once: {stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cache = report["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "cache")
        .unwrap();
    let result = cache["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "vap.require-team-label")
        .unwrap();
    assert_eq!(result["result"], "fail");
    assert_eq!(result["severity"], "warning");
}

/// A list result naming containers makes them the finding's containers, as a built-in check's
/// are: the object view marks their `name:` lines. Items that are not container names (label
/// keys) mark nothing.
#[test]
fn custom_findings_carry_the_containers_their_items_name() {
    let dir = tempfile::tempdir().unwrap();
    let config_path = write(
        dir.path(),
        "c.toml",
        r#"include = ["checks.d/*.toml"]

[[checks]]
id = "acme.missing-labels"
severity = "info"
title = "Owner labels"
expression = "['team', 'owner'].filter(k, !has(object.metadata.labels) || !(k in object.metadata.labels))"
"#,
    );
    std::fs::create_dir(dir.path().join("checks.d")).unwrap();
    std::fs::copy(
        examples().join("checks.d/images.toml"),
        dir.path().join("checks.d/images.toml"),
    )
    .unwrap();
    let config = Config::load(&config_path).unwrap();
    let model = example_model();
    let grades = shipshape::grade::grade_all(&model, &config);
    let cache = WorkloadKey {
        kind: shipshape::cluster::WorkloadKind::Deployment,
        namespace: "shop".into(),
        name: "cache".into(),
    };
    let result = |id: &str| {
        grades.workloads[&cache]
            .results
            .iter()
            .find(|r| r.check == id)
            .unwrap()
            .clone()
    };
    let hub = result("acme.no-docker-hub");
    assert_eq!(hub.status, Status::Fail);
    assert_eq!(hub.containers(), ["redis", "exporter"]);
    let storage = result("acme.ephemeral-storage");
    assert_eq!(storage.containers(), ["redis", "exporter"]);
    let labels = result("acme.missing-labels");
    assert_eq!(labels.status, Status::Fail);
    assert_eq!(labels.message, "Owner labels: not met");
    assert!(labels.containers().is_empty(), "{:?}", labels.containers());

    let yaml = shipshape::triage::object::yaml(&model, &cache).unwrap();
    let mut lines: Vec<String> = yaml.lines().map(str::to_string).collect();
    let failing: Vec<(&str, &[String])> = grades.workloads[&cache]
        .failing()
        .filter(|r| !r.containers().is_empty())
        .map(|r| (r.check.as_ref(), r.containers()))
        .collect();
    shipshape::triage::object::mark_containers(&mut lines, &failing);
    let redis = lines.iter().find(|l| l.contains("name: redis")).unwrap();
    assert!(
        redis.contains("◀ ") && redis.ends_with(" acme.no-docker-hub, acme.ephemeral-storage"),
        "{redis}"
    );
}

/// The activation converts only the fields of `object`, of the pod spec and of its containers
/// that the expressions read: every outcome is the one the whole object gives, on every
/// workload of the examples and the demo, also for expressions that look at a container or
/// pod spec as a whole (its size, its keys, comparing it) and so keep every field.
#[test]
fn a_pruned_object_grades_like_the_whole_object() {
    use shipshape::policy::cel::{compile, Expect, CHECK_VARIABLES};
    let expressions = [
        "has(object.metadata.labels) && 'team' in object.metadata.labels",
        "!has(object.spec.replicas) || object.spec.replicas <= 1",
        "has(object.status) && has(object.status.readyReplicas)",
        "object.kind == 'Deployment' && object.apiVersion == 'apps/v1'",
        "has(object.spec.template) || has(object.spec.jobTemplate) || has(object.spec.containers)",
        "containers.filter(c, c.image.endsWith(':latest')).map(c, c.name)",
        "object.metadata.name.size() <= 20 && podSpec.containers.size() > 0",
        "namespaceObject == null || has(namespaceObject.metadata.labels)",
        "has(object.spec.ttlSecondsAfterFinished)",
        "containers.all(c, has(c.resources) && has(c.resources.limits))",
        "containers.filter(c, !has(c.readinessProbe)).map(c, c.name)",
        "containers.map(c, string(size(c)))",
        "containers.map(c, string(c.filter(k, k != 'name').size()))",
        "containers.exists(c, 'env' in c) && podSpec.containers[0]['image'] != ''",
        "containers.filter(c, c == podSpec.containers[0]).map(c, c.name)",
        "[string(size(podSpec)), string(podSpec.exists(k, k.startsWith('host')))]",
        "object.spec.template.spec.containers.map(c, c.name + ':' + string(has(c.ports)))",
        "(podSpec.containers + containers).map(c, string(c))",
        "containers.filter(c, true).size() > 0 && containers.all(c, c.?env.orValue([]).size() >= 0)",
        "has(object.spec.template) && size(object.spec.template.spec) > 1",
        "size(containers) > 0 && !has(podSpec.hostNetwork)",
        "[string(size(object.metadata)), string(object.metadata.exists(k, k == 'uid'))]",
        "has(object.metadata.annotations) ? [object.metadata.name] : []",
        "[string(size(object.spec)), string(object.spec.exists(k, k == 'strategy'))]",
        "has(object.spec.replicas) && has(object.spec.template) ? [] : ['x']",
        // Security contexts, probes and resource requirements keep the fields named.
        "containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)",
        "containers.filter(c, has(c.securityContext) && 'readOnlyRootFilesystem' in c.securityContext).map(c, c.name)",
        "containers.filter(c, has(c.readinessProbe) && has(c.readinessProbe.httpGet)).map(c, c.name)",
        "has(podSpec.securityContext) && has(podSpec.securityContext.runAsNonRoot)",
        "containers.filter(c, has(c.resources) && c.resources['limits'].size() > 0).map(c, c.name)",
        // … and all of them when one is seen whole.
        "containers.map(c, has(c.securityContext) ? string(size(c.securityContext)) : '-')",
        "containers.map(c, has(c.livenessProbe) ? string(c.livenessProbe) : '')",
        "containers.map(c, has(c.resources) ? string(c.resources.exists(k, k == 'claims')) : '')",
        "containers.filter(c, has(c.resources) && c.resources == {}).map(c, c.name)",
        "containers.filter(c, [c.startupProbe].size() > 0 && has(c.startupProbe.exec)).map(c, c.name)",
    ];
    let compiled: Vec<_> = expressions
        .iter()
        .map(|e| compile(e, &CHECK_VARIABLES, Expect::Check).unwrap())
        .collect();
    let mut compared = 0;
    for model in [example_model(), shipshape::source::demo::demo_model()] {
        for key in model.workload_keys() {
            let w = model.workload(&key).unwrap();
            let namespace = custom::namespace_object(&model, &key.namespace);
            let whole = custom::activation(&w, namespace);
            for e in &compiled {
                let pruned = custom::activation_for(&w, namespace, e.needs());
                assert_eq!(
                    e.evaluate(&pruned),
                    e.evaluate(&whole),
                    "{} on {}",
                    e.source,
                    path(&key)
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 300, "{compared}");
}

/// The message of custom check `id` on every workload, graded through the engine's path (the
/// activation converts only what the config's expressions read).
fn graded(config_text: &str, id: &str) -> BTreeMap<String, (Status, String)> {
    let config = Config::parse(config_text, "shipshape.toml").unwrap();
    let grades = shipshape::grade::grade_all(&example_model(), &config);
    grades
        .workloads
        .values()
        .filter_map(|w| {
            let r = w.results.iter().find(|r| r.check == id)?;
            Some((path(&w.key), (r.status, r.message.to_string())))
        })
        .collect()
}

#[test]
fn the_pod_template_reads_the_same_whichever_way_an_expression_reaches_it() {
    let check = |expression: &str| {
        format!(
            "[[checks]]\nid = \"acme.names\"\nseverity = \"warning\"\ntitle = \"names\"\n\
             applies-to = [\"Deployment\", \"StatefulSet\", \"DaemonSet\", \"Job\"]\n\
             message = \"{{items}}\"\nexpression = '''{expression}'''\n"
        )
    };
    let names = "containers.map(c, c.name + '=' + c.image)";
    // Through `podSpec`, through the spec's template (converted apart from the rest of the
    // spec and shared with `podSpec`), through the whole object, and through the spec passed
    // whole: four conversions, one answer.
    let by_pod_spec = graded(&check(&format!("podSpec.{names}")), "acme.names");
    let by_template = graded(
        &check(&format!("object.spec.template.spec.{names}")),
        "acme.names",
    );
    let by_object = graded(
        &check(&format!(
            "has(object.nothing) ? [] : object.spec.template.spec.{names}"
        )),
        "acme.names",
    );
    let by_spec = graded(
        &check(&format!(
            "size(object.spec) == 0 ? [] : object.spec.template.spec.{names}"
        )),
        "acme.names",
    );
    assert!(by_pod_spec.len() >= 3, "{by_pod_spec:?}");
    assert!(
        by_pod_spec
            .values()
            .all(|(status, message)| *status == Status::Fail && message.contains('=')),
        "{by_pod_spec:?}"
    );
    assert_eq!(by_template, by_pod_spec);
    assert_eq!(by_object, by_pod_spec);
    assert_eq!(by_spec, by_pod_spec);
    // The spec without its template still has the rest of it.
    let replicas = graded(
        &check("has(object.spec.template) ? [] : ['no template']"),
        "acme.names",
    );
    assert!(
        replicas.values().all(|(s, _)| *s == Status::Pass),
        "{replicas:?}"
    );
    // The rest of the spec, converted without the template, reads as in the whole object
    // (a Job has no `replicas`: unknown both ways).
    let spec_alone = graded(&check("[string(object.spec.replicas)]"), "acme.names");
    let spec_in_object = graded(
        &check("has(object.nothing) ? [] : [string(object.spec.replicas)]"),
        "acme.names",
    );
    assert_eq!(spec_alone, spec_in_object);
    assert!(
        spec_alone
            .values()
            .any(|(s, m)| *s == Status::Fail && m == "1"),
        "{spec_alone:?}"
    );
}

/// A check of the namespace alone is evaluated once per namespace in a grading pass; each
/// workload still gets its own message, and the outcome is its namespace's.
#[test]
fn a_check_of_the_namespace_alone_grades_each_workload_by_its_namespace() {
    let config = "[[checks]]\nid = \"acme.prod-only\"\nseverity = \"warning\"\ntitle = \"prod\"\n\
                  message = \"{name} runs in {namespace}, not in a prod namespace\"\n\
                  expression = '''namespaceObject != null && namespaceObject.metadata.labels.env == 'prod' '''\n";
    let graded = graded(config, "acme.prod-only");
    let expected: BTreeMap<String, (Status, String)> = [
        (
            "Deployment/sandbox/scratch",
            Status::Fail,
            "scratch runs in sandbox, not in a prod namespace",
        ),
        ("Deployment/shop/cache", Status::Pass, "prod: met"),
        ("Deployment/shop/web", Status::Pass, "prod: met"),
        ("Job/shop/migrate", Status::Pass, "prod: met"),
    ]
    .into_iter()
    .map(|(k, s, m)| (k.to_string(), (s, m.to_string())))
    .collect();
    assert_eq!(graded, expected);
}
