//! Real-world manifests written by others (`../shared/corpus`): every file loads and grades,
//! and findings checked by hand hold.

mod support;

use shipshape::checks::{Severity, Status};
use shipshape::cluster::ClusterModel;
use shipshape::config::Config;
use shipshape::grade::{grade_all, Grades};
use shipshape::source::{load, LoadError, LoadOptions};
use shipshape::testing::{result, status};
use std::path::PathBuf;
use support::corpus::{corpus, files};

/// Files whose authors left placeholders where Kubernetes needs a number: `kubectl apply`
/// rejects them too, and so does shipshape, with the field and a hint.
const UNFINISHED_TEMPLATES: &[(&str, &str)] = &[
    (
        "gke-samples/networking/sctp/sctp-deployment.yaml",
        "spec.template.spec.containers[0].ports[0].containerPort: invalid type: string \"PORT\"",
    ),
    (
        "kubernetes-examples/_archived/volumes/fibre_channel/fc.yaml",
        "spec.volumes[0].fc.lun: invalid type: string \"<ADD LUN ID Here>\"",
    ),
];

/// Files the API server refuses as written (kubectl reports the same field): a key set twice in
/// one mapping (where the last used to win silently), a request above its limit (64Mi is more
/// than 64M), an unexpanded `${VAR}` quantity.
const INVALID_FOR_THE_API_SERVER: &[(&str, &str)] = &[
    (
        "gke-samples/autoscaling/custom-compute-classes/reservations/deployment-gpu.yaml",
        "requests.nvidia.com/gpu: `${ACCELERATOR_QUANTITY}` is not a quantity",
    ),
    (
        "gke-samples/cost-optimization/gke-shift-left-cost/api/testdata/manifests/test.yaml",
        "requests.memory: invalid value `64Mi`: must be less than or equal to memory limit of 64M",
    ),
    (
        "gke-samples/cost-optimization/gke-shift-left-cost/samples/k8s-cost-estimator-local/app-v1/deployment.yaml",
        "requests.memory: invalid value `64Mi`: must be less than or equal to memory limit of 64M",
    ),
    (
        "gke-samples/cost-optimization/gke-shift-left-cost/samples/k8s-cost-estimator-local/app-v2/deployment.yaml",
        "requests.memory: invalid value `64Mi`: must be less than or equal to memory limit of 64M",
    ),
    (
        "kubernetes-examples/_archived/openshift-origin/etcd-controller.yaml",
        ":12: invalid YAML: duplicate key `selector`",
    ),
    (
        "kubernetes-examples/_archived/openshift-origin/etcd-discovery-controller.yaml",
        ":12: invalid YAML: duplicate key `selector`",
    ),
    (
        "kubernetes-examples/_archived/openshift-origin/openshift-controller.yaml",
        ":12: invalid YAML: duplicate key `selector`",
    ),
    (
        "kubernetes-examples/_archived/persistent-volume-provisioning/quobyte/quobyte-admin-secret.yaml",
        ":9: invalid YAML: duplicate key `type`",
    ),
    (
        // A missing `---` runs two ConfigMaps together.
        "local-path-provisioner/examples/quota/local-path-storage.yaml",
        ":186: invalid YAML: duplicate key `kind`",
    ),
];

fn grade_paths(paths: &[PathBuf]) -> Result<(ClusterModel, Grades), LoadError> {
    let mut model = ClusterModel::new();
    for msg in load(paths, &LoadOptions::default())? {
        model.apply(msg);
    }
    let grades = grade_all(&model, &Config::default());
    Ok((model, grades))
}

#[test]
fn every_corpus_manifest_loads_and_grades() {
    let Some(root) = corpus() else {
        eprintln!("../shared/corpus is absent; nothing to check");
        return;
    };
    let mut all = Vec::new();
    files(&root, &mut all);
    assert!(
        all.len() > 500,
        "expected the whole corpus, found {}",
        all.len()
    );
    let mut graded = 0;
    for path in &all {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        match grade_paths(std::slice::from_ref(path)) {
            Ok((_, grades)) => {
                graded += 1;
                for w in grades.workloads.values() {
                    // Each graded workload has exactly one result per check it ran.
                    let mut ids: Vec<&str> = w.results.iter().map(|r| &*r.check).collect();
                    let n = ids.len();
                    ids.dedup();
                    assert_eq!(n, ids.len(), "{rel}: duplicate results for {}", w.key);
                }
            }
            Err(e) => {
                let expected = UNFINISHED_TEMPLATES
                    .iter()
                    .chain(INVALID_FOR_THE_API_SERVER)
                    .find(|(f, _)| *f == rel);
                match expected {
                    Some((_, msg)) => assert!(e.to_string().contains(msg), "{rel}: {e}"),
                    None => panic!("{rel} failed to load: {e}"),
                }
            }
        }
    }
    assert_eq!(
        graded,
        all.len() - UNFINISHED_TEMPLATES.len() - INVALID_FOR_THE_API_SERVER.len()
    );
}

#[test]
fn hand_checked_findings_in_the_voting_app() {
    let Some(root) = corpus() else {
        return;
    };
    let (_, g) = grade_paths(&[root.join("example-voting-app/k8s-specifications")]).unwrap();
    // db sets POSTGRES_PASSWORD as a literal; the finding names the variable, not the value.
    let r = result(&g, "Deployment/default/db", "security.secret-env");
    assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
    assert!(r.message.contains("POSTGRES_PASSWORD"), "{}", r.message);
    assert_eq!(r.containers(), vec!["postgres"]);
    // One replica, no HPA.
    assert_eq!(
        status(&g, "Deployment/default/db", "availability.replicas"),
        Status::Fail
    );
    // Service db selects app=db and there is no readiness probe: critical.
    let r = result(&g, "Deployment/default/db", "probe.readiness");
    assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
    // worker has no Service in front of it: warning only.
    let r = result(&g, "Deployment/default/worker", "probe.readiness");
    assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
    // Tags are pinned versions but not digests.
    assert_eq!(
        status(&g, "Deployment/default/db", "image.tag"),
        Status::Pass
    );
    assert_eq!(
        status(&g, "Deployment/default/db", "image.digest"),
        Status::Fail
    );
}

#[test]
fn hand_checked_findings_in_podinfo() {
    let Some(root) = corpus() else {
        return;
    };
    let (_, g) = grade_paths(&[root.join("podinfo/deploy/webapp")]).unwrap();
    let w = "Deployment/webapp/backend";
    // Liveness checks /healthz, readiness /readyz: distinct.
    assert_eq!(status(&g, w, "probe.distinct"), Status::Pass);
    // Requests and limits for CPU and memory are all set.
    for id in [
        "resources.cpu-request",
        "resources.memory-request",
        "resources.memory-limit",
        "resources.cpu-limit",
    ] {
        assert_eq!(status(&g, w, id), Status::Pass, "{id}");
    }
    // prometheus.io/scrape on the template and an http-metrics port.
    assert_eq!(status(&g, w, "meta.metrics"), Status::Pass);
    // No securityContext at all.
    assert_eq!(status(&g, w, "security.non-root"), Status::Fail);
    assert_eq!(status(&g, w, "security.read-only-root"), Status::Fail);
}
