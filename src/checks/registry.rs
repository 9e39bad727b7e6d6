//! The registry: every check is one value — its catalogue entry, what it applies to, the kinds
//! it reads and its function — in the file its id prefix names (`probe.rs` holds `probe.*`).
//! Grading loops over the registry; `checks`, `explain`, docs, the help screen and SARIF rules
//! read the catalogue entries from it; "n/a for this kind" and "unknown because a kind cannot
//! be seen" follow from the declarations, not from preambles in each function.

use super::context::is_windows;
use super::health::{self, Outcome};
use super::route::RouteView;
use super::service::ServiceView;
use super::{Alert, CheckDef, CheckResult, Context, Verdict};
use crate::cluster::crd::gateway::Gateway;
use crate::cluster::{Kind, Workload};
use k8s_openapi::api::core::v1::PodSpec;
use k8s_openapi::api::networking::v1::Ingress;

/// One check of the checklist.
pub struct Check {
    /// The catalogue entry: id, category, severity, subject, title, why, fix.
    pub def: CheckDef,
    /// Which subjects of its kind it grades; the rest get `n/a` with the declared reason.
    pub applies: Applies,
    /// Kinds it cannot judge without: when one is forbidden, not served or absent from the
    /// input, the result is `unknown` and says which.
    pub needs: &'static [Kind],
    /// Kinds besides its subject that it reads: a change to one of them can change its result.
    pub reads: &'static [Kind],
    /// The function.
    pub grade: Grade,
}

/// Which subjects a check grades.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applies {
    /// Every subject of its kind.
    Always,
    /// Workloads that keep running: Jobs and CronJobs (which run to completion) get `n/a`
    /// with this reason.
    LongRunning(&'static str),
    /// Pods that run Linux: a setting the kubelet ignores on Windows pods is `n/a` there.
    LinuxPods,
}

/// A check's function, by the subject it grades.
#[derive(Clone, Copy)]
pub enum Grade {
    /// A workload's pod template; a template without a spec makes the check `unknown`.
    Template(fn(&Workload, &PodSpec, &Context) -> Verdict),
    /// A workload as a whole.
    Workload(fn(&Workload, &Context) -> Verdict),
    /// A workload's runtime health, from its pods and events scanned once for every health
    /// check; a failure carries the alerts it raises.
    Health(fn(&health::Scan) -> Outcome),
    /// A namespace's guardrails.
    Namespace(fn(&str, &Context) -> Verdict),
    /// A Service, with what it selects among the workloads of its namespace.
    Service(fn(&ServiceView) -> Verdict),
    /// An Ingress.
    Ingress(fn(&Ingress, &Context) -> Verdict),
    /// A Gateway API Gateway.
    Gateway(fn(&Gateway, &Context) -> Verdict),
    /// A Gateway API route (HTTPRoute or GRPCRoute).
    Route(fn(&RouteView, &Context) -> Verdict),
    /// The TLS an Ingress or a Gateway terminates: graded on the row of each.
    Tls {
        ingress: fn(&Ingress, &Context) -> Verdict,
        gateway: fn(&Gateway, &Context) -> Verdict,
    },
    /// The cluster.
    Cluster(fn(&Context) -> Verdict),
    /// Any object: workloads in their own row, every other object in a row of its own.
    Object {
        workload: fn(&Workload, &Context) -> Verdict,
        others: fn(&Context) -> Vec<ObjectVerdict>,
    },
    /// Defined at run time (a custom check, an admission policy) and graded by
    /// `crate::policy` from the config: see [`register`].
    Runtime,
}

/// A verdict on an object that is not a workload (a row of its own).
pub struct ObjectVerdict {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub verdict: Verdict,
}

impl Check {
    /// The check's result from its function's verdict.
    pub fn result(&'static self, v: Verdict) -> CheckResult {
        CheckResult::new(
            self.def.id,
            self.def.category,
            v.severity.unwrap_or(self.def.severity),
            v.status,
            v.message,
        )
        .with_containers(v.containers)
        .with_fix(v.fix)
    }

    /// `n/a` when the check does not apply to this workload.
    fn not_applicable(&self, w: Option<&Workload>) -> Option<Verdict> {
        match (self.applies, w) {
            (Applies::LongRunning(why), Some(w)) if w.is_batch() => Some(Verdict::na(why)),
            (Applies::LinuxPods, Some(w)) if w.spec().is_some_and(is_windows) => Some(Verdict::na(
                "a Windows pod: this Linux-only setting does not apply",
            )),
            _ => None,
        }
    }

    /// `unknown` when a kind it needs cannot be seen.
    fn unseen(&self, cx: &Context) -> Option<Verdict> {
        cx.missing(self.needs).map(Verdict::unknown)
    }

    /// What the declarations say before the function runs: `n/a` or `unknown`, when so.
    fn declared(&self, w: Option<&Workload>, cx: &Context) -> Option<Verdict> {
        self.not_applicable(w).or_else(|| self.unseen(cx))
    }

    /// Grades a workload, when this check grades workloads (health checks aside).
    pub fn on_workload(&'static self, w: &Workload, cx: &Context) -> Option<CheckResult> {
        let verdict = match self.grade {
            Grade::Template(f) => self
                .not_applicable(Some(w))
                .unwrap_or_else(|| match w.spec() {
                    None => Verdict::unknown("the pod template has no spec"),
                    Some(spec) => self.unseen(cx).unwrap_or_else(|| f(w, spec, cx)),
                }),
            Grade::Workload(f) | Grade::Object { workload: f, .. } => {
                self.declared(Some(w), cx).unwrap_or_else(|| f(w, cx))
            }
            _ => return None,
        };
        Some(self.result(verdict))
    }

    /// Grades a workload's runtime health, when this is a health check; failures add alerts.
    pub fn on_health(
        &'static self,
        scan: &health::Scan,
        alerts: &mut Vec<Alert>,
    ) -> Option<CheckResult> {
        let Grade::Health(f) = self.grade else {
            return None;
        };
        let outcome = match self.declared(Some(scan.workload), &scan.cx) {
            Some(v) => return Some(self.result(v)),
            None => f(scan),
        };
        Some(health::result_of(self, scan.workload, outcome, alerts))
    }

    pub fn on_namespace(&'static self, namespace: &str, cx: &Context) -> Option<CheckResult> {
        let Grade::Namespace(f) = self.grade else {
            return None;
        };
        Some(self.result(self.declared(None, cx).unwrap_or_else(|| f(namespace, cx))))
    }

    pub fn on_service(&'static self, view: &ServiceView) -> Option<CheckResult> {
        let Grade::Service(f) = self.grade else {
            return None;
        };
        Some(self.result(self.declared(None, &view.cx).unwrap_or_else(|| f(view))))
    }

    pub fn on_ingress(&'static self, ing: &Ingress, cx: &Context) -> Option<CheckResult> {
        let (Grade::Ingress(f) | Grade::Tls { ingress: f, .. }) = self.grade else {
            return None;
        };
        Some(self.result(self.declared(None, cx).unwrap_or_else(|| f(ing, cx))))
    }

    /// Grades a Gateway: its own checks and the TLS its listeners terminate.
    pub fn on_gateway(&'static self, gw: &Gateway, cx: &Context) -> Option<CheckResult> {
        let (Grade::Gateway(f) | Grade::Tls { gateway: f, .. }) = self.grade else {
            return None;
        };
        Some(self.result(self.declared(None, cx).unwrap_or_else(|| f(gw, cx))))
    }

    pub fn on_route(&'static self, route: &RouteView, cx: &Context) -> Option<CheckResult> {
        let Grade::Route(f) = self.grade else {
            return None;
        };
        Some(self.result(self.declared(None, cx).unwrap_or_else(|| f(route, cx))))
    }

    pub fn on_cluster(&'static self, cx: &Context) -> Option<CheckResult> {
        let Grade::Cluster(f) = self.grade else {
            return None;
        };
        Some(self.result(self.declared(None, cx).unwrap_or_else(|| f(cx))))
    }

    /// Rows of their own for objects that are not workloads, when this check grades any.
    pub fn on_objects(&'static self, cx: &Context) -> Vec<(String, String, String, CheckResult)> {
        let Grade::Object { others, .. } = self.grade else {
            return Vec::new();
        };
        others(cx)
            .into_iter()
            .map(|o| (o.kind, o.namespace, o.name, self.result(o.verdict)))
            .collect()
    }
}

/// Every check, in checklist order.
pub fn all() -> impl Iterator<Item = &'static Check> {
    use super::*;
    [
        probe::CHECKS,
        lifecycle::CHECKS,
        resources::CHECKS,
        availability::CHECKS,
        autoscaler::CHECKS,
        rollout::CHECKS,
        image::CHECKS,
        job::CHECKS,
        security::CHECKS,
        network::CHECKS,
        config::CHECKS,
        storage::CHECKS,
        meta::CHECKS,
        health::CHECKS,
        namespace::CHECKS,
        service::CHECKS,
        ingress::CHECKS,
        route::CHECKS,
        gateway::CHECKS,
        cluster::CHECKS,
        cluster::addons::CHECKS,
        api::CHECKS,
    ]
    .into_iter()
    .flatten()
}

/// Looks a check up by id: a hash lookup, since every result's catalogue entry is found
/// through it. Checks defined at run time are found too.
pub fn find(id: &str) -> Option<&'static Check> {
    static BY_ID: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static Check>> =
        std::sync::OnceLock::new();
    BY_ID
        .get_or_init(|| all().map(|c| (c.def.id, c)).collect())
        .get(id)
        .copied()
        .or_else(|| runtime_find(id).map(|(c, _)| c))
}

/// A check defined at run time, and where (`file:line`, or the cluster).
type RuntimeCheck = (&'static Check, &'static str);

fn runtime_checks() -> &'static std::sync::RwLock<Vec<RuntimeCheck>> {
    static RUNTIME: std::sync::OnceLock<std::sync::RwLock<Vec<RuntimeCheck>>> =
        std::sync::OnceLock::new();
    RUNTIME.get_or_init(Default::default)
}

/// Registers a check defined at run time (a custom check from the config, an admission
/// policy from the cluster), defined at `source`, so that results, `checks`, `explain` and
/// every report find it by id like a built-in one. Entries live as long as the process, as
/// built-in ones do: a few per config read. A later definition of the same id replaces it.
pub fn register(def: CheckDef, source: String) -> &'static Check {
    let mut list = runtime_checks().write().unwrap_or_else(|e| e.into_inner());
    if let Some((c, s)) = list.iter().find(|(c, _)| c.def.id == def.id) {
        if *s == source && same_def(&c.def, &def) {
            return c;
        }
    }
    let check: &'static Check = Box::leak(Box::new(Check {
        def,
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Runtime,
    }));
    let source: &'static str = Box::leak(source.into_boxed_str());
    list.retain(|(c, _)| c.def.id != def.id);
    list.push((check, source));
    check
}

fn same_def(a: &CheckDef, b: &CheckDef) -> bool {
    (
        a.id,
        a.category,
        a.severity,
        a.title,
        a.fails_when,
        a.why,
        a.fix,
    ) == (
        b.id,
        b.category,
        b.severity,
        b.title,
        b.fails_when,
        b.why,
        b.fix,
    )
}

/// A check defined at run time, with where it was defined.
pub fn runtime_find(id: &str) -> Option<RuntimeCheck> {
    let list = runtime_checks().read().unwrap_or_else(|e| e.into_inner());
    list.iter().find(|(c, _)| c.def.id == id).copied()
}

/// The checks defined at run time whose ids `keep` accepts, in the order they were defined.
pub fn runtime(keep: impl Fn(&str) -> bool) -> Vec<RuntimeCheck> {
    let list = runtime_checks().read().unwrap_or_else(|e| e.into_inner());
    list.iter()
        .filter(|(c, _)| keep(c.def.id))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The id names the file: every check's id prefix is the module that holds it.
    #[test]
    fn every_id_prefix_names_its_file() {
        use super::super::*;
        let files: &[(&str, &[Check])] = &[
            ("probe", probe::CHECKS),
            ("lifecycle", lifecycle::CHECKS),
            ("resources", resources::CHECKS),
            ("availability", availability::CHECKS),
            ("autoscaler", autoscaler::CHECKS),
            ("rollout", rollout::CHECKS),
            ("image", image::CHECKS),
            ("job", job::CHECKS),
            ("security", security::CHECKS),
            ("network", network::CHECKS),
            ("config", config::CHECKS),
            ("storage", storage::CHECKS),
            ("meta", meta::CHECKS),
            ("health", health::CHECKS),
            ("namespace", namespace::CHECKS),
            ("service", service::CHECKS),
            ("ingress", ingress::CHECKS),
            ("route", route::CHECKS),
            ("gateway", gateway::CHECKS),
            ("cluster", cluster::CHECKS),
            ("cluster", cluster::addons::CHECKS),
            ("api", api::CHECKS),
        ];
        let mut count = 0;
        for (file, checks) in files {
            assert!(!checks.is_empty(), "{file} holds no checks");
            for c in *checks {
                let prefix = c.def.id.split('.').next().unwrap();
                assert_eq!(&prefix, file, "{} lives in {file}.rs", c.def.id);
                count += 1;
            }
        }
        assert_eq!(
            count,
            all().count(),
            "a file of checks is missing from this list"
        );
    }

    #[test]
    fn ids_are_unique_and_found() {
        let mut ids: Vec<&str> = all().map(|c| c.def.id).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate check ids");
        for id in ids {
            assert_eq!(find(id).map(|c| c.def.id), Some(id));
        }
        assert!(find("probe.nonexistent").is_none());
    }

    /// A check that needs a kind says so in `reads` too: invalidation follows `reads`.
    #[test]
    fn needed_kinds_are_read() {
        for c in all() {
            for k in c.needs {
                assert!(
                    c.reads.contains(k),
                    "{} needs {k} but does not read it",
                    c.def.id
                );
            }
        }
    }
}
