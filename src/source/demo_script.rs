//! The live demo: scripted changes to the demo cluster, replayed through the same message
//! protocol a real cluster's watchers use, so scores and alerts visibly move.

use crate::cluster::crd::rollout::Rollout;
use crate::cluster::{
    ClusterModel, Entry, Kind, Msg, Object, ObjectKey, WorkloadKey, WorkloadKind,
};
use crate::time::to_time;
use chrono::{DateTime, Duration, Utc};
use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateTerminated, ContainerStateWaiting, Event, ObjectReference, Pod,
    PodCondition,
};
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicySpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use tokio::sync::mpsc::UnboundedSender;

/// One beat of the script: after `at` seconds (from the start of a cycle), send `msgs`.
pub struct Step {
    pub at: i64,
    pub what: &'static str,
    pub msgs: Vec<Msg>,
}

/// How long one pass of the script takes before it starts again.
pub const CYCLE_SECONDS: i64 = 48;

fn upsert(object: Object) -> Msg {
    Msg::Upsert(Box::new(Entry {
        api_version: object.kind().api_version(),
        object,
        origin: None,
    }))
}

fn workload(kind: WorkloadKind, ns: &str, name: &str) -> WorkloadKey {
    WorkloadKey::new(kind, ns, name)
}

/// A copy of a running pod whose containers now crash-loop.
fn crash_looping(pod: &Pod, since: DateTime<Utc>, restarts: i32) -> Pod {
    let mut p = pod.clone();
    if let Some(status) = p.status.as_mut() {
        for c in status.conditions.iter_mut().flatten() {
            if c.type_ == "Ready" || c.type_ == "ContainersReady" {
                c.status = "False".into();
                c.reason = Some("ContainersNotReady".into());
                c.last_transition_time = Some(to_time(since));
            }
        }
        for cs in status.container_statuses.iter_mut().flatten() {
            cs.ready = false;
            cs.started = Some(false);
            cs.restart_count = restarts;
            cs.state = Some(ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some("CrashLoopBackOff".into()),
                    message: Some(format!(
                        "back-off 40s restarting failed container={} pod={}",
                        cs.name,
                        p.metadata.name.clone().unwrap_or_default()
                    )),
                }),
                ..Default::default()
            });
            cs.last_state = Some(ContainerState {
                terminated: Some(ContainerStateTerminated {
                    exit_code: 1,
                    reason: Some("Error".into()),
                    finished_at: Some(to_time(since)),
                    ..Default::default()
                }),
                ..Default::default()
            });
        }
    }
    p
}

/// A new pod of the same workload whose image cannot be pulled.
fn image_pull_failing(pod: &Pod, name: &str, since: DateTime<Utc>) -> Pod {
    let mut p = pod.clone();
    p.metadata.name = Some(name.to_string());
    p.metadata.uid = Some(format!("demo-{name}"));
    p.metadata.creation_timestamp = Some(to_time(since));
    let bad_image = |img: &str| format!("{}:v2.O.1", img.split(['@', ':']).next().unwrap_or(img));
    if let Some(spec) = p.spec.as_mut() {
        for c in &mut spec.containers {
            c.image = c.image.as_deref().map(bad_image);
        }
    }
    if let Some(status) = p.status.as_mut() {
        status.phase = Some("Pending".into());
        status.start_time = Some(to_time(since));
        status.conditions = Some(vec![
            PodCondition {
                type_: "PodScheduled".into(),
                status: "True".into(),
                last_transition_time: Some(to_time(since)),
                ..Default::default()
            },
            PodCondition {
                type_: "Ready".into(),
                status: "False".into(),
                reason: Some("ContainersNotReady".into()),
                last_transition_time: Some(to_time(since)),
                ..Default::default()
            },
        ]);
        for cs in status.container_statuses.iter_mut().flatten() {
            cs.ready = false;
            cs.restart_count = 0;
            cs.image = bad_image(&cs.image);
            cs.image_id = String::new();
            cs.state = Some(ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some("ImagePullBackOff".into()),
                    message: Some(format!("Back-off pulling image \"{}\"", cs.image)),
                }),
                ..Default::default()
            });
            cs.last_state = None;
        }
    }
    p
}

fn warning_event(ns: &str, pod: &str, reason: &str, message: &str, at: DateTime<Utc>) -> Event {
    Event {
        metadata: ObjectMeta {
            name: Some(format!("{pod}.demo-{}", reason.to_lowercase())),
            namespace: Some(ns.to_string()),
            ..Default::default()
        },
        involved_object: ObjectReference {
            kind: Some("Pod".into()),
            name: Some(pod.to_string()),
            namespace: Some(ns.to_string()),
            ..Default::default()
        },
        reason: Some(reason.into()),
        message: Some(message.into()),
        type_: Some("Warning".into()),
        count: Some(3),
        first_timestamp: Some(to_time(at)),
        last_timestamp: Some(to_time(at)),
        ..Default::default()
    }
}

fn scaled_pod(pod: &Pod, name: &str, at: DateTime<Utc>) -> Pod {
    let mut p = pod.clone();
    p.metadata.name = Some(name.to_string());
    p.metadata.uid = Some(format!("demo-{name}"));
    p.metadata.creation_timestamp = Some(to_time(at));
    p
}

fn pod_key(ns: &str, name: &str) -> ObjectKey {
    ObjectKey {
        kind: Kind::Pod,
        namespace: ns.into(),
        name: name.into(),
    }
}

/// The script, built from the demo cluster as it was captured. Pure: tests replay it.
pub fn script(base: &ClusterModel) -> Vec<Step> {
    let start = base.now();
    let t = |s: i64| start + Duration::seconds(s);
    let mut steps = Vec::new();

    // 1. A rollout of storefront starts crash-looping, then is fixed.
    let storefront = workload(WorkloadKind::Deployment, "shop", "storefront");
    let pods: Vec<Pod> = base
        .pods_of(&storefront)
        .into_iter()
        .map(|p| p.to_k8s())
        .collect();
    if let Some(first) = pods.first() {
        let name = first.metadata.name.clone().unwrap_or_default();
        let mut msgs: Vec<Msg> = pods
            .iter()
            .take(2)
            .map(|p| upsert(Object::Pod(crash_looping(p, t(2), 4))))
            .collect();
        msgs.push(upsert(Object::Event(warning_event(
            "shop",
            &name,
            "BackOff",
            "Back-off restarting failed container storefront",
            t(3),
        ))));
        steps.push(Step {
            at: 3,
            what: "storefront pods start crash-looping",
            msgs,
        });
        let mut fix: Vec<Msg> = pods
            .iter()
            .take(2)
            .map(|p| upsert(Object::Pod(p.clone())))
            .collect();
        fix.push(Msg::Remove(ObjectKey {
            kind: Kind::Event,
            namespace: "shop".into(),
            name: format!("{name}.demo-backoff"),
        }));
        steps.push(Step {
            at: 15,
            what: "storefront is fixed",
            msgs: fix,
        });
    }

    // 2. A new notifier pod cannot pull its image; the pod goes away again.
    let notifier = workload(WorkloadKind::Deployment, "identity", "notifier");
    if let Some(p) = base.pods_of(&notifier).first().map(|p| p.to_k8s()) {
        let name = format!("{}-pull", p.metadata.name.clone().unwrap_or_default());
        let msgs = vec![
            upsert(Object::Pod(image_pull_failing(&p, &name, t(18)))),
            upsert(Object::Event(warning_event(
                "identity",
                &name,
                "Failed",
                "Failed to pull image: manifest unknown",
                t(19),
            ))),
        ];
        steps.push(Step {
            at: 19,
            what: "a notifier pod cannot pull its image",
            msgs,
        });
        steps.push(Step {
            at: 33,
            what: "the bad notifier pod is deleted",
            msgs: vec![
                Msg::Remove(pod_key("identity", &name)),
                Msg::Remove(ObjectKey {
                    kind: Kind::Event,
                    namespace: "identity".into(),
                    name: format!("{name}.demo-failed"),
                }),
            ],
        });
    }

    // 3. catalog scales up by two pods, then back down.
    let catalog = workload(WorkloadKind::Deployment, "shop", "catalog");
    let deploy = base
        .stores
        .deployments
        .get(&("shop".to_string(), "catalog".to_string()))
        .map(|d| d.to_k8s());
    if let (Some(p), Some(d)) = (base.pods_of(&catalog).first().map(|p| p.to_k8s()), deploy) {
        let base_name = p.metadata.name.clone().unwrap_or_default();
        let names = [format!("{base_name}-s1"), format!("{base_name}-s2")];
        let replicas = d.spec.replicas.unwrap_or(1);
        let mut up = d.clone();
        up.spec.replicas = Some(replicas + 2);
        if let Some(s) = up.status.as_mut() {
            for v in [
                &mut s.replicas,
                &mut s.ready_replicas,
                &mut s.available_replicas,
                &mut s.updated_replicas,
            ] {
                *v = Some(v.unwrap_or(0) + 2);
            }
        }
        let mut msgs = vec![upsert(Object::Deployment(up))];
        msgs.extend(
            names
                .iter()
                .map(|n| upsert(Object::Pod(scaled_pod(&p, n, t(24))))),
        );
        steps.push(Step {
            at: 24,
            what: "catalog scales up to handle traffic",
            msgs,
        });
        let mut msgs = vec![upsert(Object::Deployment(d))];
        msgs.extend(names.iter().map(|n| Msg::Remove(pod_key("shop", n))));
        steps.push(Step {
            at: 40,
            what: "catalog scales back down",
            msgs,
        });
    }

    // 4. observability gains a default-deny NetworkPolicy, which is later removed again.
    let policy = NetworkPolicy {
        metadata: ObjectMeta {
            name: Some("default-deny-ingress".into()),
            namespace: Some("observability".into()),
            ..Default::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector::default()),
            policy_types: Some(vec!["Ingress".into()]),
            ..Default::default()
        }),
    };
    steps.push(Step {
        at: 28,
        what: "observability gains a default-deny NetworkPolicy",
        msgs: vec![upsert(Object::NetworkPolicy(policy))],
    });
    steps.push(Step {
        at: 46,
        what: "the observability NetworkPolicy is rolled back",
        msgs: vec![Msg::Remove(ObjectKey {
            kind: Kind::NetworkPolicy,
            namespace: "observability".into(),
            name: "default-deny-ingress".into(),
        })],
    });
    // 5. A canary of pricing fails its analysis and is aborted; the next one is promoted.
    if let Some(stable) = base
        .stores
        .rollouts
        .get(&("shop".to_string(), "pricing".to_string()))
        .map(|r| r.to_k8s())
    {
        steps.push(Step {
            at: 8,
            what: "a pricing canary fails its analysis and is aborted",
            msgs: vec![upsert(Object::Rollout(canary_aborted(&stable, t(8))))],
        });
        steps.push(Step {
            at: 36,
            what: "the next pricing canary passes and is promoted",
            msgs: vec![upsert(Object::Rollout(stable))],
        });
    }
    steps.sort_by_key(|s| s.at);
    steps
}

/// The Rollout after Argo Rollouts aborted a canary: traffic is back on the stable pods, the
/// Rollout is Degraded until the next revision.
fn canary_aborted(stable: &Rollout, at: DateTime<Utc>) -> Rollout {
    let mut r = stable.clone();
    let message = "RolloutAborted: Rollout aborted update to revision 5: Metric \"success-rate\" assessed Failed due to failed (3) > failureLimit (2)";
    if let Some(s) = r.status.as_mut() {
        s.phase = Some("Degraded".into());
        s.abort = true;
        s.message = Some(message.into());
        s.updated_replicas = Some(0);
        for c in &mut s.conditions {
            let (status, reason) = match c.type_.as_str() {
                "Progressing" => ("False", "RolloutAborted"),
                "Healthy" => ("False", "RolloutHealthy"),
                _ => continue,
            };
            c.status = status.into();
            c.reason = Some(reason.into());
            c.message = Some(message.into());
            c.last_transition_time = Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
    }
    r
}

/// Plays the script forever, one second of demo time per real second.
pub async fn play(tx: UnboundedSender<Msg>, base: ClusterModel) {
    let steps = script(&base);
    let start = base.now();
    let mut elapsed: i64 = 0;
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(1));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        elapsed += 1;
        if tx
            .send(Msg::Clock(start + Duration::seconds(elapsed)))
            .is_err()
        {
            return;
        }
        let in_cycle = elapsed % CYCLE_SECONDS;
        for step in steps.iter().filter(|s| s.at == in_cycle) {
            for msg in &step.msgs {
                if tx.send(msg.clone()).is_err() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::engine::Engine;
    use crate::subject::SubjectKey;

    #[test]
    fn an_alert_appears_and_clears_as_the_script_plays() {
        let mut engine =
            Engine::from_messages(Config::default(), crate::source::demo::demo_messages());
        let steps = script(engine.model());
        assert!(steps.len() >= 7, "every scripted change is there");
        let storefront = workload(WorkloadKind::Deployment, "shop", "storefront");
        let crash = |g: &crate::grade::Grades| {
            g.workloads[&storefront]
                .alerts
                .iter()
                .any(|a| a.check == "health.crash-loop")
        };
        let pull = |g: &crate::grade::Grades| {
            g.workloads[&workload(WorkloadKind::Deployment, "identity", "notifier")]
                .alerts
                .iter()
                .any(|a| a.check == "health.image-pull")
        };
        assert!(!crash(engine.grades()) && !pull(engine.grades()));
        let mut seen_crash = false;
        let mut seen_pull = false;
        let mut seen_policy = false;
        let mut seen_abort = false;
        let pricing = workload(WorkloadKind::Rollout, "shop", "pricing");
        let aborted = |g: &crate::grade::Grades| {
            g.workloads[&pricing]
                .alerts
                .iter()
                .any(|a| a.check == "health.rollout-stalled" && a.reason == "RolloutAborted")
        };
        assert!(!aborted(engine.grades()));
        // That the incremental grades agree with grading from scratch is the engine's test.
        for step in &steps {
            for msg in &step.msgs {
                engine.apply(msg.clone());
            }
            engine.flush();
            let grades = engine.grades();
            seen_crash |= crash(grades);
            seen_pull |= pull(grades);
            seen_abort |= aborted(grades);
            let ns = &grades.objects[&SubjectKey::Namespace("observability".into())];
            seen_policy |= ns.results.iter().any(|r| {
                r.check == "namespace.default-deny" && r.status == crate::checks::Status::Pass
            });
        }
        let grades = engine.grades();
        assert!(seen_crash && seen_pull && seen_policy && seen_abort);
        assert!(
            !aborted(grades),
            "the next canary is promoted by the end of a cycle"
        );
        assert!(
            !crash(grades),
            "the crash loop is fixed by the end of a cycle"
        );
        assert!(!pull(grades), "the bad pod is gone by the end of a cycle");
        let ns = &grades.objects[&SubjectKey::Namespace("observability".into())];
        assert!(ns.results.iter().any(
            |r| r.check == "namespace.default-deny" && r.status == crate::checks::Status::Fail
        ));
    }
}
