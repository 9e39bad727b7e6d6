//! Next steps: the read-only kubectl commands a person would type about an alert or a root
//! cause, with the context and namespace filled in.
//!
//! Every name comes from the cluster, so every word is shell-quoted, and any character a
//! terminal could act on is made visible first ([`crate::text::safe`]): a pasted command
//! runs what it shows, nothing more.

use super::causes::{Cause, CauseKind};
use crate::checks::Alert;
use crate::cluster::{WorkloadKey, WorkloadKind};

/// A command and what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub what: &'static str,
    pub line: String,
}

/// One shell word: as is when it holds only characters no shell treats specially, else in
/// single quotes (a quote inside as `'\''`). Unsafe characters are escaped visibly first.
pub fn quote(word: &str) -> String {
    let word = crate::text::safe(word);
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        word.into_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `kubectl [--context C] [-n NS]` and the rest, each word quoted.
fn kubectl(context: Option<&str>, namespace: Option<&str>, rest: &[&str]) -> String {
    let mut words = vec!["kubectl".to_string()];
    if let Some(c) = context {
        words.push("--context".into());
        words.push(quote(c));
    }
    if let Some(ns) = namespace {
        words.push("-n".into());
        words.push(quote(ns));
    }
    words.extend(rest.iter().map(|w| quote(w)));
    words.join(" ")
}

/// The kubectl resource name of a workload kind (`deployment`), if kubectl knows it.
fn resource(kind: &WorkloadKind) -> String {
    kind.name().to_ascii_lowercase()
}

/// Whether the last instance of the container is the one that failed (crash loop, OOM kill,
/// restarts): its logs are the previous instance's.
pub fn wants_previous(a: &Alert) -> bool {
    matches!(
        a.check.as_str(),
        "health.crash-loop" | "health.oom-killed" | "health.restarts"
    )
}

/// The commands for an alert: its pod's logs (the previous instance after a crash), the pod
/// described, its events; for an alert about the whole workload, the workload described and
/// its events.
pub fn for_alert(a: &Alert, context: Option<&str>) -> Vec<Command> {
    let ns = Some(a.workload.namespace.as_str());
    let mut out = Vec::new();
    if let Some(pod) = a.pods.first() {
        if let Some(c) = &a.container {
            let mut rest = vec!["logs", pod.as_str(), "-c", c.as_str()];
            if wants_previous(a) {
                rest.push("--previous");
            }
            out.push(Command {
                what: "the container's last log lines",
                line: kubectl(context, ns, &rest),
            });
        }
        out.push(Command {
            what: "the pod, its containers and events",
            line: kubectl(context, ns, &["describe", "pod", pod]),
        });
        let selector = format!("involvedObject.name={pod}");
        out.push(Command {
            what: "the pod's events",
            line: kubectl(
                context,
                ns,
                &["get", "events", "--field-selector", &selector],
            ),
        });
    }
    out.extend(for_workload(&a.workload, context));
    out
}

/// The workload described, and its events.
pub fn for_workload(w: &WorkloadKey, context: Option<&str>) -> Vec<Command> {
    let ns = Some(w.namespace.as_str());
    let kind = resource(&w.kind);
    let selector = format!("involvedObject.name={}", w.name);
    vec![
        Command {
            what: "the workload and its conditions",
            line: kubectl(context, ns, &["describe", &kind, &w.name]),
        },
        Command {
            what: "the workload's events",
            line: kubectl(
                context,
                ns,
                &["get", "events", "--field-selector", &selector],
            ),
        },
    ]
}

/// The commands for a root cause: the node, quota, namespace, webhooks, registry pulls,
/// missing object or scheduler's verdicts.
pub fn for_cause(cause: &Cause, context: Option<&str>) -> Vec<Command> {
    let ns = cause.namespace.as_deref();
    let first = cause.alerts.first().map(|a| &a.workload);
    let mut out = Vec::new();
    match cause.kind {
        CauseKind::Node => {
            let selector = format!("spec.nodeName={}", cause.name);
            out.push(Command {
                what: "the node, its conditions and pressure",
                line: kubectl(context, None, &["describe", "node", &cause.name]),
            });
            out.push(Command {
                what: "every pod on the node",
                line: kubectl(
                    context,
                    None,
                    &[
                        "get",
                        "pods",
                        "-A",
                        "-o",
                        "wide",
                        "--field-selector",
                        &selector,
                    ],
                ),
            });
        }
        CauseKind::Quota => out.push(Command {
            what: "the quota: used and hard limits",
            line: kubectl(context, ns, &["describe", "resourcequota", &cause.name]),
        }),
        CauseKind::PodSecurity => out.push(Command {
            what: "the namespace's pod-security labels",
            line: kubectl(
                context,
                None,
                &["get", "namespace", ns.unwrap_or_default(), "--show-labels"],
            ),
        }),
        CauseKind::Webhook => out.push(Command {
            what: "the admission webhooks",
            line: kubectl(
                context,
                None,
                &[
                    "get",
                    "validatingwebhookconfigurations,mutatingwebhookconfigurations",
                ],
            ),
        }),
        CauseKind::Registry | CauseKind::Unschedulable => {
            let reason = if cause.kind == CauseKind::Registry {
                "reason=Failed"
            } else {
                "reason=FailedScheduling"
            };
            out.push(Command {
                what: "the failures, cluster-wide",
                line: kubectl(
                    context,
                    None,
                    &["get", "events", "-A", "--field-selector", reason],
                ),
            });
        }
        CauseKind::MissingObject => {
            // "Secret shop/db" → get secret db: its existence, never its data.
            let (kind, rest) = cause.name.split_once(' ').unwrap_or(("configmap", ""));
            let name = rest.rsplit('/').next().unwrap_or(rest);
            out.push(Command {
                what: "whether the object exists (metadata only)",
                line: kubectl(context, ns, &["get", &kind.to_ascii_lowercase(), name]),
            });
        }
    }
    if let Some(w) = first {
        out.extend(for_workload(w, context));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Severity;

    fn alert(check: &str, pods: &[&str], container: Option<&str>) -> Alert {
        Alert {
            check: check.into(),
            severity: Severity::Critical,
            workload: WorkloadKey::new(WorkloadKind::Deployment, "shop", "checkout"),
            pods: pods.iter().map(|p| p.to_string()).collect(),
            container: container.map(Into::into),
            reason: "CrashLoopBackOff".into(),
            message: String::new(),
            since: None,
            restarts: 3,
            events: Vec::new(),
        }
    }

    #[test]
    fn words_are_quoted_only_when_a_shell_would_read_them() {
        assert_eq!(quote("checkout-7d9f-abcde"), "checkout-7d9f-abcde");
        assert_eq!(quote("involvedObject.name=x"), "involvedObject.name=x");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("x;rm -rf /"), "'x;rm -rf /'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(reboot)"), "'$(reboot)'");
        assert_eq!(quote(""), "''");
        // A terminal escape never survives into the command.
        assert_eq!(quote("web\u{1b}[2J"), r"'web\e[2J'");
    }

    #[test]
    fn a_crash_loop_reads_the_previous_instances_logs_with_context_and_namespace() {
        let a = alert("health.crash-loop", &["checkout-7d9f-abcde"], Some("app"));
        let cmds = for_alert(&a, Some("prod-eu"));
        assert_eq!(
            cmds[0].line,
            "kubectl --context prod-eu -n shop logs checkout-7d9f-abcde -c app --previous"
        );
        assert_eq!(
            cmds[1].line,
            "kubectl --context prod-eu -n shop describe pod checkout-7d9f-abcde"
        );
        assert_eq!(
            cmds[2].line,
            "kubectl --context prod-eu -n shop get events --field-selector involvedObject.name=checkout-7d9f-abcde"
        );
        assert_eq!(
            cmds[3].line,
            "kubectl --context prod-eu -n shop describe deployment checkout"
        );
    }

    #[test]
    fn an_image_pull_reads_the_current_instance_and_no_context_means_none() {
        let a = alert("health.image-pull", &["web-1"], Some("app"));
        assert_eq!(
            for_alert(&a, None)[0].line,
            "kubectl -n shop logs web-1 -c app"
        );
        // A workload-level alert has no pod to name.
        let a = alert("health.unavailable", &[], None);
        let cmds = for_alert(&a, None);
        assert_eq!(cmds[0].line, "kubectl -n shop describe deployment checkout");
    }

    #[test]
    fn every_command_is_read_only() {
        let a = alert("health.crash-loop", &["p"], Some("c"));
        let cause = Cause {
            kind: CauseKind::Node,
            name: "n1".into(),
            namespace: None,
            evidence: String::new(),
            severity: Severity::Critical,
            since: None,
            workloads: 1,
            pods: 1,
            alerts: vec![crate::triage::causes::AlertRef {
                check: a.check.clone(),
                workload: a.workload.clone(),
            }],
        };
        let all: Vec<Command> = for_alert(&a, Some("x"))
            .into_iter()
            .chain(for_cause(&cause, Some("x")))
            .collect();
        for c in all {
            let verb = c.line.split(' ').find(|w| {
                [
                    "get", "describe", "logs", "delete", "apply", "edit", "patch", "exec",
                ]
                .contains(w)
            });
            assert!(
                matches!(verb, Some("get" | "describe" | "logs")),
                "{}",
                c.line
            );
        }
    }
}
