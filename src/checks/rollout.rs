//! U — rollout and release (seeds 002 "Update Strategies", 004 "rollback", 000 "Releases").

use super::availability::scale;
use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{Category, Context, Severity, Subject, Verdict};
use crate::cluster::{Controller, Kind, Workload, WorkloadKind};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

const SECTION: Section = Section {
    category: Category::Rollout,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "rollout.strategy",
            Severity::Warning,
            "Rollouts keep pods serving",
            "a Deployment with replicas ≥ 2 uses Recreate, or RollingUpdate with maxUnavailable = 100% / ≥ replicas; a StatefulSet or DaemonSet uses OnDelete",
            "Recreate, or a rolling update allowed to take every pod down, makes each release an outage; OnDelete never rolls the new version out until someone deletes pods by hand.",
            "Roll pods a few at a time:\n\nstrategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxUnavailable: 0\n    maxSurge: 1\n# StatefulSet / DaemonSet:\nupdateStrategy:\n  type: RollingUpdate",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::HorizontalPodAutoscaler, Kind::Pod],
        grade: Grade::Workload(strategy),
    },
    Check {
        def: def(
            SECTION,
            "rollout.history",
            Severity::Warning,
            "Old revisions are kept for rollback",
            "revisionHistoryLimit: 0 (rollback impossible)",
            "With no old ReplicaSets or ControllerRevisions kept, `kubectl rollout undo` has nothing to go back to when a release goes wrong.",
            "Keep a few revisions (the default is 10):\n\nspec:\n  revisionHistoryLimit: 5",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Workload(history),
    },
    Check {
        def: def(
            SECTION,
            "rollout.min-ready",
            Severity::Info,
            "New pods must stay ready before the rollout moves on",
            "minReadySeconds is 0 for a Deployment with ≥ 2 replicas",
            "With minReadySeconds 0 a pod that crashes seconds after its first successful readiness probe already counts as available, and the rollout replaces the next healthy pod with another broken one.",
            "Require new pods to stay ready for a while:\n\nspec:\n  minReadySeconds: 10",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::HorizontalPodAutoscaler, Kind::Pod],
        grade: Grade::Workload(min_ready),
    },
    Check {
        def: def(
            SECTION,
            "rollout.analysis",
            Severity::Info,
            "Progressive rollouts are judged by analysis",
            "a canary or blue-green Rollout runs no analysis (no AnalysisTemplate in its steps, background analysis or pre/post-promotion)",
            "A canary or blue-green Rollout without analysis promotes a bad version unless a person watches every step: the progressive strategy only pays off when something measures the new pods and aborts.",
            "Run an AnalysisTemplate in the steps (or in the background, or before promotion):\n\nstrategy:\n  canary:\n    steps:\n      - setWeight: 20\n      - analysis:\n          templates:\n            - templateName: success-rate\n      - setWeight: 100",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Workload(analysis),
    },
];

pub(super) fn missing_controller(w: &Workload) -> String {
    format!("the {} object is not in the input", w.key.kind)
}

fn show(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// maxUnavailable resolved against `replicas` (percentages round down, as the Deployment
/// controller does); `None` when unparsable.
fn max_unavailable(v: &IntOrString, replicas: i32) -> Option<i32> {
    match v {
        IntOrString::Int(i) => Some(*i),
        IntOrString::String(s) => match s.trim().strip_suffix('%') {
            Some(p) => {
                let p: i64 = p.trim().parse().ok()?;
                Some((p * i64::from(replicas) / 100) as i32)
            }
            None => s.trim().parse().ok(),
        },
    }
}

fn strategy(w: &Workload, cx: &Context) -> Verdict {
    match w.controller {
        Controller::Deployment(d) => {
            let s = match scale(w, cx) {
                Err(m) => return Verdict::unknown(m),
                Ok(s) if s.replicas < 2 => {
                    return Verdict::na(format!(
                        "{}: the strategy matters from 2 replicas (see availability.replicas)",
                        s.source
                    ))
                }
                Ok(s) => s,
            };
            let r = s.replicas;
            let strategy = d.without_pod_spec().spec.strategy.as_ref();
            let kind = strategy
                .and_then(|s| s.type_.as_deref())
                .unwrap_or("RollingUpdate");
            if kind == "Recreate" {
                return Verdict::fail(format!(
                        "strategy Recreate with {r} replicas: every rollout stops all pods before starting new ones"
                    ),
                );
            }
            let mu = strategy
                .and_then(|s| s.rolling_update.as_ref())
                .and_then(|r| r.max_unavailable.clone())
                .unwrap_or_else(|| IntOrString::String("25%".into()));
            match max_unavailable(&mu, r) {
                Some(n) if n >= r => Verdict::fail(format!(
                        "RollingUpdate with maxUnavailable {} of {r} replicas lets a rollout take every pod down at once",
                        show(&mu)
                    ),
                ),
                Some(n) => Verdict::pass(format!(
                        "RollingUpdate keeps at least {} of {r} replicas available (maxUnavailable {})",
                        r - n.max(0),
                        show(&mu)
                    ),
                ),
                None => Verdict::unknown(format!("maxUnavailable {} is not a number or percentage", show(&mu)),
                ),
            }
        }
        Controller::StatefulSet(s) => on_delete(
            s.without_pod_spec()
                .spec
                .update_strategy
                .as_ref()
                .and_then(|u| u.type_.as_deref()),
        ),
        Controller::DaemonSet(d) => on_delete(
            d.without_pod_spec()
                .spec
                .update_strategy
                .as_ref()
                .and_then(|u| u.type_.as_deref()),
        ),
        Controller::Missing
            if matches!(
                w.key.kind,
                WorkloadKind::Deployment | WorkloadKind::StatefulSet | WorkloadKind::DaemonSet
            ) =>
        {
            Verdict::unknown(missing_controller(w))
        }
        _ => Verdict::na(format!(
            "applies to Deployments, StatefulSets and DaemonSets, not a {}",
            w.key.kind
        )),
    }
}

fn on_delete(kind: Option<&str>) -> Verdict {
    if kind == Some("OnDelete") {
        Verdict::fail("updateStrategy OnDelete: pods keep running the old version until someone deletes them by hand",
        )
    } else {
        Verdict::pass("updateStrategy RollingUpdate")
    }
}

fn history(w: &Workload, _: &Context) -> Verdict {
    let limit = match w.controller {
        Controller::Deployment(d) => d.without_pod_spec().spec.revision_history_limit,
        Controller::StatefulSet(s) => s.without_pod_spec().spec.revision_history_limit,
        Controller::DaemonSet(d) => d.without_pod_spec().spec.revision_history_limit,
        Controller::Rollout(r) => r.without_pod_spec().spec.revision_history_limit,
        Controller::Missing
            if matches!(
                w.key.kind,
                WorkloadKind::Deployment
                    | WorkloadKind::StatefulSet
                    | WorkloadKind::DaemonSet
                    | WorkloadKind::Rollout
            ) =>
        {
            return Verdict::unknown(missing_controller(w))
        }
        _ => {
            return Verdict::na(format!(
                "applies to Deployments, Rollouts, StatefulSets and DaemonSets, not a {}",
                w.key.kind
            ))
        }
    };
    match limit {
        Some(0) => Verdict::fail("revisionHistoryLimit 0: no old revision is kept, so a bad release cannot be rolled back",
        ),
        Some(n) => Verdict::pass(format!("revisionHistoryLimit {n}")),
        None => Verdict::pass("revisionHistoryLimit unset (keeps 10)"),
    }
}

fn min_ready(w: &Workload, cx: &Context) -> Verdict {
    let d = match w.controller {
        Controller::Deployment(d) => d.without_pod_spec(),
        Controller::Missing if w.key.kind == WorkloadKind::Deployment => {
            return Verdict::unknown(missing_controller(w))
        }
        _ => return Verdict::na(format!("applies to Deployments, not a {}", w.key.kind)),
    };
    match scale(w, cx) {
        Err(m) => Verdict::unknown(m),
        Ok(s) if s.replicas < 2 => Verdict::na(format!("{}: a rollout of one pod has nothing to pace", s.source),
        ),
        Ok(_) => match d.spec.min_ready_seconds.unwrap_or(0) {
            0 => Verdict::fail("minReadySeconds is 0: a pod that crashes right after its first successful readiness probe counts as available and the rollout moves on",
            ),
            n => Verdict::pass(format!("minReadySeconds {n}")),
        },
    }
}

/// Which analyses a progressive Rollout runs, by where in the strategy they sit.
fn analysis(w: &Workload, _: &Context) -> Verdict {
    let r = match w.controller {
        Controller::Rollout(r) => r.without_pod_spec(),
        Controller::Missing if w.key.kind == WorkloadKind::Rollout => {
            return Verdict::unknown(missing_controller(w))
        }
        _ => return Verdict::na(format!("applies to Argo Rollouts, not a {}", w.key.kind)),
    };
    let s = &r.spec.strategy;
    let strategy = match (&s.canary, &s.blue_green) {
        (Some(_), _) => "canary",
        (None, Some(_)) => "blue-green",
        (None, None) => {
            return Verdict::na("the Rollout has neither a canary nor a blueGreen strategy")
        }
    };
    let mut runs: Vec<String> = Vec::new();
    let mut note = |at: &str, a: &crate::cluster::crd::rollout::Analysis| {
        if !a.templates.is_empty() {
            let names: Vec<&str> = a
                .templates
                .iter()
                .map(|t| t.template_name.as_str())
                .collect();
            runs.push(format!("{} ({at})", names.join(", ")));
        }
    };
    if let Some(c) = &s.canary {
        if let Some(a) = &c.analysis {
            note("background", a);
        }
        for (i, step) in c.steps.iter().enumerate() {
            if let Some(a) = &step.analysis {
                note(&format!("step {}", i + 1), a);
            }
        }
    }
    if let Some(b) = &s.blue_green {
        if let Some(a) = &b.pre_promotion_analysis {
            note("pre-promotion", a);
        }
        if let Some(a) = &b.post_promotion_analysis {
            note("post-promotion", a);
        }
    }
    if runs.is_empty() {
        Verdict::fail(format!(
            "the {strategy} Rollout runs no analysis: a bad version is promoted unless a person watches every step"
        ))
    } else {
        Verdict::pass(format!("the {strategy} Rollout runs {}", runs.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::image::ImageRef;
    use crate::checks::{Category, CheckResult, Severity, Status};
    use crate::config::Config;
    use crate::grade::{grade_all, Grades};
    use crate::source::LoadOptions;
    use crate::testing::{grade, model, model_with, result, status};

    const W: &str = "Deployment/shop/web";

    /// A Deployment that passes every rollout and image check.
    const BASE: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  minReadySeconds: 10
  revisionHistoryLimit: 5
  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/web:1.4.2@sha256:0123456789abcdef
"#;

    const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec:\n  replicas: 3\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: postgres:16.2}]\n";
    const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: shop}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: agent, image: example/agent:1}]\n";
    const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: shop}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: example/m:1}]\n";
    const CRONJOB: &str = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report, namespace: shop}\nspec:\n  schedule: '0 * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: r, image: example/r:1}]\n";

    fn with(from: &str, to: &str) -> String {
        let out = BASE.replace(from, to);
        assert_ne!(out, BASE, "replacement {from:?} did not apply");
        out
    }

    fn image(img: &str) -> String {
        with(
            "image: ghcr.io/acme/web:1.4.2@sha256:0123456789abcdef",
            &format!("image: {img}"),
        )
    }

    fn check<'g>(g: &'g Grades, id: &str) -> &'g CheckResult {
        result(g, W, id)
    }

    fn with_registries(yaml: &str, registries: &[&str]) -> Grades {
        let config = Config {
            settings: crate::checks::settings::Settings {
                registries: registries.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            },
            ..Config::default()
        };
        grade_all(&model(yaml), &config)
    }

    #[test]
    fn a_well_released_deployment_passes() {
        let g = grade(BASE);
        for id in [
            "rollout.strategy",
            "rollout.history",
            "rollout.min-ready",
            "image.tag",
            "image.digest",
            "image.pull-policy",
        ] {
            let r = check(&g, id);
            assert_eq!(r.status, Status::Pass, "{id}: {}", r.message);
            assert_eq!(r.category, Category::Rollout);
        }
        assert_eq!(status(&g, W, "image.registry"), Status::NotApplicable);
        assert_eq!(status(&g, W, "job.deadline"), Status::NotApplicable);
    }

    #[test]
    fn every_check_is_in_the_catalogue() {
        use crate::checks::{image, job};
        let checks = super::CHECKS.iter().chain(image::CHECKS).chain(job::CHECKS);
        assert_eq!(checks.clone().count(), 9);
        for c in checks {
            assert_eq!(c.def.category, Category::Rollout);
            assert!(crate::checks::catalogue::find(c.def.id).is_some());
        }
    }

    #[test]
    fn recreate_with_replicas_fails() {
        let g = grade(&with(
            "type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}",
            "type: Recreate",
        ));
        let r = check(&g, "rollout.strategy");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(
            r.message.contains("Recreate with 3 replicas"),
            "{}",
            r.message
        );
        // With one replica the strategy is n/a (availability.replicas covers it).
        let one = with(
            "type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}",
            "type: Recreate",
        )
        .replace("replicas: 3", "replicas: 1");
        assert_eq!(
            status(&grade(&one), W, "rollout.strategy"),
            Status::NotApplicable
        );
        // …unless an HPA keeps more.
        let hpa = "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 5\n";
        assert_eq!(
            status(&grade(&format!("{one}{hpa}")), W, "rollout.strategy"),
            Status::Fail
        );
    }

    #[test]
    fn max_unavailable_everything_fails() {
        // (A count written as a string, '3', is refused at load, as the API server does.)
        for mu in ["100%", "5"] {
            let g = grade(&with(
                "maxUnavailable: 1,",
                &format!("maxUnavailable: {mu},"),
            ));
            let r = check(&g, "rollout.strategy");
            assert_eq!(r.status, Status::Fail, "{mu}: {}", r.message);
            assert!(r.message.contains("every pod"), "{}", r.message);
        }
        // 50% of 3 rounds down to 1: two pods stay.
        let g = grade(&with("maxUnavailable: 1,", "maxUnavailable: 50%,"));
        let r = check(&g, "rollout.strategy");
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("at least 2 of 3"), "{}", r.message);
        // The default (25%) passes.
        let g = grade(&with(
            "  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}\n",
            "",
        ));
        assert_eq!(status(&g, W, "rollout.strategy"), Status::Pass);
    }

    #[test]
    fn on_delete_fails_for_statefulsets_and_daemonsets() {
        let sts = STS.replace(
            "  serviceName: db\n",
            "  serviceName: db\n  updateStrategy: {type: OnDelete}\n",
        );
        let ds = DS.replace(
            "spec:\n  selector",
            "spec:\n  updateStrategy: {type: OnDelete}\n  selector",
        );
        let g = grade(&format!("{sts}---\n{ds}"));
        for w in ["StatefulSet/shop/db", "DaemonSet/shop/agent"] {
            let r = result(&g, w, "rollout.strategy");
            assert_eq!(r.status, Status::Fail, "{w}");
            assert!(r.message.contains("OnDelete"), "{}", r.message);
        }
        let g = grade(&format!("{STS}---\n{DS}"));
        assert_eq!(
            status(&g, "StatefulSet/shop/db", "rollout.strategy"),
            Status::Pass
        );
        assert_eq!(
            status(&g, "DaemonSet/shop/agent", "rollout.strategy"),
            Status::Pass
        );
    }

    #[test]
    fn strategy_na_for_batch_and_unknown_without_hpas() {
        let g = grade(&format!("{JOB}---\n{CRONJOB}"));
        assert_eq!(
            status(&g, "Job/shop/migrate", "rollout.strategy"),
            Status::NotApplicable
        );
        assert_eq!(
            status(&g, "CronJob/shop/report", "rollout.history"),
            Status::NotApplicable
        );
        assert_eq!(
            status(&g, "Job/shop/migrate", "rollout.min-ready"),
            Status::NotApplicable
        );
        let m = model_with(
            &BASE.replace("replicas: 3", "replicas: 1"),
            &LoadOptions {
                partial: true,
                ..Default::default()
            },
        );
        let g = grade_all(&m, &Config::default());
        let r = check(&g, "rollout.min-ready");
        assert_eq!(r.status, Status::Unknown);
        assert!(
            r.message.contains("HorizontalPodAutoscaler"),
            "{}",
            r.message
        );
    }

    #[test]
    fn history_zero_fails() {
        let g = grade(&with("revisionHistoryLimit: 5", "revisionHistoryLimit: 0"));
        let r = check(&g, "rollout.history");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(r.message.contains("rolled back"), "{}", r.message);
        let g = grade(&with("  revisionHistoryLimit: 5\n", ""));
        let r = check(&g, "rollout.history");
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("keeps 10"), "{}", r.message);
        let sts = STS.replace(
            "  serviceName: db\n",
            "  serviceName: db\n  revisionHistoryLimit: 0\n",
        );
        assert_eq!(
            status(&grade(&sts), "StatefulSet/shop/db", "rollout.history"),
            Status::Fail
        );
    }

    #[test]
    fn min_ready_zero_fails_from_two_replicas() {
        let none = with("  minReadySeconds: 10\n", "");
        let r = check(&grade(&none), "rollout.min-ready").clone();
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert!(r.message.contains("minReadySeconds is 0"), "{}", r.message);
        let explicit = with("minReadySeconds: 10", "minReadySeconds: 0");
        assert_eq!(
            status(&grade(&explicit), W, "rollout.min-ready"),
            Status::Fail
        );
        let one = none.replace("replicas: 3", "replicas: 1");
        assert_eq!(
            status(&grade(&one), W, "rollout.min-ready"),
            Status::NotApplicable
        );
        // StatefulSets are out of scope.
        assert_eq!(
            status(&grade(STS), "StatefulSet/shop/db", "rollout.min-ready"),
            Status::NotApplicable
        );
    }

    #[test]
    fn image_references_parse() {
        let p = ImageRef::parse("nginx");
        assert_eq!(
            (p.registry.as_str(), p.repository.as_str(), p.tag, p.digest),
            ("docker.io", "library/nginx", None, None)
        );
        let p = ImageRef::parse("registry:5000/app");
        assert_eq!(
            (p.registry.as_str(), p.repository.as_str(), p.tag),
            ("registry:5000", "app", None)
        );
        let p = ImageRef::parse("registry:5000/team/app:1.2");
        assert_eq!(
            (p.registry.as_str(), p.tag.as_deref()),
            ("registry:5000", Some("1.2"))
        );
        let p = ImageRef::parse("localhost/app:dev");
        assert_eq!(p.registry, "localhost");
        let p = ImageRef::parse("bitnami/redis:7.2");
        assert_eq!(p.full_name(), "docker.io/bitnami/redis");
        let p = ImageRef::parse("index.docker.io/library/nginx:1.27");
        assert_eq!(p.full_name(), "docker.io/library/nginx");
        let p = ImageRef::parse("ghcr.io/acme/web:1@sha256:abc");
        assert_eq!(
            (p.tag.as_deref(), p.digest.as_deref()),
            (Some("1"), Some("sha256:abc"))
        );
    }

    #[test]
    fn image_tag_latest_or_missing_fails() {
        for (img, needle) in [
            ("nginx", "nginx with no tag"),
            ("nginx:latest", "nginx:latest"),
            ("registry:5000/app", "registry:5000/app with no tag"),
        ] {
            let g = grade(&image(img));
            let r = check(&g, "image.tag");
            assert_eq!(
                (r.status, r.severity),
                (Status::Fail, Severity::Critical),
                "{img}"
            );
            assert!(r.message.contains(needle), "{img}: {}", r.message);
            assert_eq!(r.containers(), vec!["app"]);
        }
        for img in [
            "nginx:1.27",
            "registry:5000/app:1.2",
            "nginx:latest@sha256:abc",
            "nginx@sha256:abc",
        ] {
            assert_eq!(
                status(&grade(&image(img)), W, "image.tag"),
                Status::Pass,
                "{img}"
            );
        }
    }

    #[test]
    fn image_checks_cover_init_containers_and_sidecars() {
        let yaml = with(
            "      containers:\n",
            "      initContainers:\n        - {name: setup, image: 'busybox:latest'}\n        - {name: proxy, image: 'envoy:v1.30', restartPolicy: Always}\n      containers:\n",
        );
        let g = grade(&yaml);
        let r = check(&g, "image.tag");
        assert_eq!(r.containers(), vec!["setup"]);
        let r = check(&g, "image.digest");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.containers(), vec!["setup", "proxy"]);
        assert!(r.message.contains("proxy (envoy:v1.30)"), "{}", r.message);
        let r = check(&g, "image.pull-policy");
        // busybox:latest defaults to Always; envoy:v1.30 to IfNotPresent.
        assert_eq!(r.containers(), vec!["proxy"]);
        assert!(
            r.message
                .contains("IfNotPresent (the default for a tagged image)"),
            "{}",
            r.message
        );
    }

    #[test]
    fn digest_pinning() {
        let g = grade(&image("nginx:1.27"));
        let r = check(&g, "image.digest");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert!(r.message.contains("app (nginx:1.27)"), "{}", r.message);
        assert_eq!(
            status(&grade(&image("nginx@sha256:abc")), W, "image.digest"),
            Status::Pass
        );
    }

    #[test]
    fn pull_policy_digest_counts_as_always() {
        let pinned = with(
            "          image: ghcr.io/acme/web:1.4.2@sha256:0123456789abcdef\n",
            "          image: ghcr.io/acme/web:1.4.2@sha256:0123456789abcdef\n          imagePullPolicy: IfNotPresent\n",
        );
        let r = check(&grade(&pinned), "image.pull-policy").clone();
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("digest"), "{}", r.message);
        let tagged = image("nginx:1.27");
        let r = check(&grade(&tagged), "image.pull-policy").clone();
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        let always = tagged.replace(
            "          image: nginx:1.27\n",
            "          image: nginx:1.27\n          imagePullPolicy: Always\n",
        );
        assert_eq!(
            status(&grade(&always), W, "image.pull-policy"),
            Status::Pass
        );
        let never = tagged.replace(
            "          image: nginx:1.27\n",
            "          image: nginx:1.27\n          imagePullPolicy: Never\n",
        );
        let r = check(&grade(&never), "image.pull-policy").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("imagePullPolicy Never"), "{}", r.message);
    }

    #[test]
    fn registry_allow_list() {
        // No list: n/a.
        assert_eq!(
            status(&grade(&image("nginx:1.27")), W, "image.registry"),
            Status::NotApplicable
        );
        let g = with_registries(&image("nginx:1.27"), &["ghcr.io/acme"]);
        let r = check(&g, "image.registry");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(
            r.message.contains("docker.io/library/nginx"),
            "{}",
            r.message
        );
        assert_eq!(r.containers(), vec!["app"]);
        // The implicit registry of `nginx` is docker.io.
        for allow in ["docker.io", "docker.io/library", "index.docker.io/library/"] {
            let g = with_registries(&image("nginx:1.27"), &[allow]);
            assert_eq!(status(&g, W, "image.registry"), Status::Pass, "{allow}");
        }
        let g = with_registries(BASE, &["ghcr.io/acme"]);
        assert_eq!(status(&g, W, "image.registry"), Status::Pass);
        // A prefix matches at a path boundary only.
        let g = with_registries(&image("ghcr.io/acme-evil/web:1"), &["ghcr.io/acme"]);
        assert_eq!(status(&g, W, "image.registry"), Status::Fail);
        let g = with_registries(&image("registry:5000/app:1"), &["registry:5000"]);
        assert_eq!(status(&g, W, "image.registry"), Status::Pass);
    }

    #[test]
    fn job_without_deadline_fails() {
        let g = grade(JOB);
        let r = result(&g, "Job/shop/migrate", "job.deadline");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert!(
            r.message.contains("no activeDeadlineSeconds"),
            "{}",
            r.message
        );
        assert!(
            r.message.contains("backoffLimit 6 (the default)"),
            "{}",
            r.message
        );
        let bounded = JOB.replace(
            "spec:\n  template",
            "spec:\n  activeDeadlineSeconds: 600\n  backoffLimit: 2\n  template",
        );
        let r = result(&grade(&bounded), "Job/shop/migrate", "job.deadline").clone();
        assert_eq!(r.status, Status::Pass);
        assert!(
            r.message.contains("activeDeadlineSeconds 600"),
            "{}",
            r.message
        );
    }

    #[test]
    fn cronjob_defaults_fail_and_bounded_cronjob_passes() {
        let g = grade(CRONJOB);
        let r = result(&g, "CronJob/shop/report", "job.deadline");
        assert_eq!(r.status, Status::Fail);
        for needle in [
            "startingDeadlineSeconds",
            "concurrencyPolicy Allow (the default)",
            "activeDeadlineSeconds",
        ] {
            assert!(r.message.contains(needle), "{needle}: {}", r.message);
        }
        let bounded = CRONJOB
            .replace(
                "  schedule:",
                "  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 300\n  schedule:",
            )
            .replace(
                "    spec:\n      template:",
                "    spec:\n      activeDeadlineSeconds: 3600\n      template:",
            );
        let r = result(&grade(&bounded), "CronJob/shop/report", "job.deadline").clone();
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        // An explicit Allow is still Allow.
        let allow = bounded.replace("concurrencyPolicy: Forbid", "concurrencyPolicy: Allow");
        let r = result(&grade(&allow), "CronJob/shop/report", "job.deadline").clone();
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("concurrencyPolicy Allow"),
            "{}",
            r.message
        );
        assert!(
            !r.message.contains("startingDeadlineSeconds"),
            "{}",
            r.message
        );
        // Long-running kinds: n/a.
        assert_eq!(
            status(&grade(DS), "DaemonSet/shop/agent", "job.deadline"),
            Status::NotApplicable
        );
    }
}
