//! What a check may look at besides its subject: the rest of the model, the config, the time.

use super::settings::Settings;
use crate::cluster::selector::{map_selector_matches, selector_matches, Labels};
use crate::cluster::{ClusterModel, Kind, SyncState, Workload};
use chrono::{DateTime, Utc};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{Container, PodSpec, Service};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;

/// The read-only world a check runs in.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub model: &'a ClusterModel,
    pub config: &'a Settings,
    pub now: DateTime<Utc>,
}

/// Objects of one namespace from a typed store (the model's own lookup, here for the checks).
pub use crate::cluster::object::in_namespace;

impl<'a> Context<'a> {
    pub fn new(model: &'a ClusterModel, config: &'a Settings) -> Context<'a> {
        Context {
            model,
            config,
            now: model.now(),
        }
    }

    /// `None` when every kind is known; else a sentence saying which is not, for `unknown`.
    pub fn missing(&self, kinds: &[Kind]) -> Option<String> {
        let missing: Vec<String> = kinds
            .iter()
            .filter_map(|k| match self.model.sync_state(*k) {
                // Not served: the add-on is not installed, so there is nothing to see.
                SyncState::Synced | SyncState::Stale(_) | SyncState::NotServed => None,
                SyncState::Forbidden => Some(format!("{k} (forbidden)")),
                SyncState::Unavailable(_) => Some(format!("{k} (not served)")),
                SyncState::Unsynced if self.model.facts.from_manifests => {
                    Some(format!("{k} (not in the input)"))
                }
                SyncState::Unsynced => Some(format!("{k} (not listed)")),
            })
            .collect();
        (!missing.is_empty()).then(|| format!("cannot see {}", missing.join(", ")))
    }

    /// Services in the workload's namespace whose selector matches its pods.
    pub fn services_selecting(&self, w: &Workload) -> Vec<&'a Service> {
        let labels = w.pod_labels();
        in_namespace(&self.model.stores.services, &w.key.namespace)
            .filter(|s| {
                s.spec
                    .as_ref()
                    .and_then(|sp| sp.selector.as_ref())
                    .is_some_and(|sel| map_selector_matches(sel, &labels))
            })
            .collect()
    }

    /// PodDisruptionBudgets whose selector matches the workload's pods.
    /// (A PDB with a missing selector selects nothing; an empty one selects every pod.)
    pub fn pdbs_selecting(&self, w: &Workload) -> Vec<&'a PodDisruptionBudget> {
        let labels = w.pod_labels();
        in_namespace(&self.model.stores.pdbs, &w.key.namespace)
            .filter(|p| {
                p.spec
                    .as_ref()
                    .and_then(|s| s.selector.as_ref())
                    .is_some_and(|sel| selector_matches(sel, &labels))
            })
            .collect()
    }

    /// NetworkPolicies whose podSelector matches the workload's pods.
    pub fn network_policies_selecting(&self, w: &Workload) -> Vec<&'a NetworkPolicy> {
        let labels = w.pod_labels();
        network_policies_for(self.model, &w.key.namespace, &labels)
    }

    /// HPAs whose scaleTargetRef names the workload, but for those a KEDA ScaledObject
    /// generates: the ScaledObject is that autoscaler ([`Self::scaled_objects_targeting`]).
    pub fn hpas_targeting(&self, w: &Workload) -> Vec<&'a HorizontalPodAutoscaler> {
        in_namespace(&self.model.stores.hpas, &w.key.namespace)
            .filter(|h| {
                let t = &h.spec.scale_target_ref;
                t.kind == w.key.kind.name() && t.name == w.key.name
            })
            .filter(|h| !self.generated_by_keda(h))
            .collect()
    }

    /// KEDA ScaledObjects whose scaleTargetRef names the workload.
    pub fn scaled_objects_targeting(
        &self,
        w: &Workload,
    ) -> Vec<&'a crate::cluster::crd::keda::ScaledObject> {
        in_namespace(&self.model.stores.scaled_objects, &w.key.namespace)
            .filter(|so| {
                so.target_kind() == w.key.kind.name() && so.spec.scale_target_ref.name == w.key.name
            })
            .collect()
    }

    /// An HPA a ScaledObject owns, or named as KEDA names the one it generates for a
    /// ScaledObject in the model.
    fn generated_by_keda(&self, h: &HorizontalPodAutoscaler) -> bool {
        let owned = h
            .metadata
            .owner_references
            .iter()
            .flatten()
            .any(|r| r.kind == "ScaledObject" && r.api_version.starts_with("keda.sh/"));
        owned || {
            let ns = h.metadata.namespace.as_deref().unwrap_or_default();
            let name = h.metadata.name.as_deref().unwrap_or_default();
            in_namespace(&self.model.stores.scaled_objects, ns).any(|so| so.hpa_name() == name)
        }
    }

    pub fn is_system_namespace(&self, namespace: &str) -> bool {
        self.config.is_system_namespace(namespace)
    }
}

/// A pod that runs Windows (`spec.os.name`), where Linux-only settings are ignored.
pub fn is_windows(spec: &PodSpec) -> bool {
    spec.os
        .as_ref()
        .is_some_and(|os| os.name.eq_ignore_ascii_case("windows"))
}

/// NetworkPolicies in `namespace` whose podSelector matches `labels`.
pub fn network_policies_for<'m>(
    model: &'m ClusterModel,
    namespace: &str,
    labels: &Labels,
) -> Vec<&'m NetworkPolicy> {
    in_namespace(&model.stores.network_policies, namespace)
        .filter(|np| {
            np.spec.as_ref().is_some_and(|s| {
                s.pod_selector
                    .as_ref()
                    .is_none_or(|sel| selector_matches(sel, labels))
            })
        })
        .collect()
}

/// A container of the pod spec, with where it sits.
#[derive(Clone, Copy, Debug)]
pub struct ContainerRef<'a> {
    pub container: &'a Container,
    /// An init container (that is not a sidecar).
    pub init: bool,
    /// A restartable init container: runs beside the app, so it is treated like one.
    pub sidecar: bool,
}

impl ContainerRef<'_> {
    pub fn name(&self) -> &str {
        &self.container.name
    }
}

fn is_sidecar(c: &Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

/// Every container the resource and security checks apply to: init containers (sidecars
/// included) then app containers.
pub fn containers(spec: &PodSpec) -> impl Iterator<Item = ContainerRef<'_>> {
    let init = spec.init_containers.iter().flatten().map(|c| ContainerRef {
        container: c,
        init: !is_sidecar(c),
        sidecar: is_sidecar(c),
    });
    let app = spec.containers.iter().map(|c| ContainerRef {
        container: c,
        init: false,
        sidecar: false,
    });
    init.chain(app)
}

/// The containers probe checks apply to: app containers and sidecars, never plain init
/// containers (which run to completion and cannot have probes).
pub fn probed_containers(spec: &PodSpec) -> impl Iterator<Item = ContainerRef<'_>> {
    containers(spec).filter(|c| !c.init)
}
