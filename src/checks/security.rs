//! S — security (seeds 002 "Security", 003 "Security", 002 "Validate container image integrity").
//!
//! Every container-level check judges the *effective* settings of each container: the pod's
//! `securityContext` with the container's own `securityContext` laid over it (the container
//! wins field by field). Init containers and sidecars are judged like app containers.

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{containers, Category, Context, Severity, Subject, Verdict};
use crate::cluster::redact::is_literal_secret;
use crate::cluster::{Kind, Workload};
use k8s_openapi::api::core::v1::{Container, PodSpec, SeccompProfile};

const SECTION: Section = Section {
    category: Category::Security,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "security.non-root",
            Severity::Warning,
            "Containers do not run as root",
            "the merged securityContext neither sets runAsNonRoot nor runAsUser > 0",
            "A process running as UID 0 that escapes its container, or writes to a mounted host path, does so as root on the node.",
            "Run as an unprivileged user (the image must support it):\n\nsecurityContext:\n  runAsNonRoot: true\n  runAsUser: 10001\n  runAsGroup: 10001",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(non_root),
    },
    Check {
        def: def(
            SECTION,
            "security.privileged",
            Severity::Critical,
            "No container is privileged",
            "a container is privileged",
            "A privileged container has every capability and all host devices: it is root on the node, and a compromise of it is a compromise of the node.",
            "Remove privileged mode and grant only the capabilities actually needed:\n\nsecurityContext:\n  privileged: false\n  capabilities:\n    drop: [ALL]\n    add: [NET_BIND_SERVICE]",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(privileged),
    },
    Check {
        def: def(
            SECTION,
            "security.privilege-escalation",
            Severity::Warning,
            "Privilege escalation is disabled",
            "allowPrivilegeEscalation is not false (privileged or CAP_SYS_ADMIN always allow it)",
            "Unless it is explicitly disabled, setuid binaries and file capabilities let a process gain more privileges than its parent had.",
            "Disable it explicitly on every container:\n\nsecurityContext:\n  allowPrivilegeEscalation: false",
        ),
        applies: Applies::LinuxPods,
        needs: &[],
        reads: &[],
        grade: Grade::Template(privilege_escalation),
    },
    Check {
        def: def(
            SECTION,
            "security.read-only-root",
            Severity::Warning,
            "Root filesystems are read-only",
            "readOnlyRootFilesystem is not true",
            "A writable root filesystem lets an attacker drop tools and persist changes inside the container; state written there is also lost on restart.",
            "Make the root filesystem read-only and mount writable scratch space where needed:\n\nsecurityContext:\n  readOnlyRootFilesystem: true\nvolumeMounts:\n  - {name: tmp, mountPath: /tmp}\nvolumes:\n  - {name: tmp, emptyDir: {}}",
        ),
        applies: Applies::LinuxPods,
        needs: &[],
        reads: &[],
        grade: Grade::Template(read_only_root),
    },
    Check {
        def: def(
            SECTION,
            "security.capabilities",
            Severity::Warning,
            "Capabilities are dropped",
            "capabilities do not drop ALL (critical when SYS_ADMIN, NET_ADMIN or ALL is added)",
            "The default capability set includes NET_RAW, CHOWN, SETUID and more that most services never use; SYS_ADMIN and NET_ADMIN are close to full root on the node.",
            "Drop everything and add back only what is needed:\n\nsecurityContext:\n  capabilities:\n    drop: [ALL]\n    add: [NET_BIND_SERVICE]   # only if binding a port < 1024",
        ),
        applies: Applies::LinuxPods,
        needs: &[],
        reads: &[],
        grade: Grade::Template(capabilities),
    },
    Check {
        def: def(
            SECTION,
            "security.host-namespaces",
            Severity::Critical,
            "Pods do not share the node's namespaces",
            "hostNetwork, hostPID or hostIPC is set",
            "Host namespaces let the pod see and talk to every process, socket and shared memory segment on the node, bypassing network policies.",
            "Remove the host namespace settings (or set them to false):\n\nspec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(host_namespaces),
    },
    Check {
        def: def(
            SECTION,
            "security.host-path",
            Severity::Warning,
            "No hostPath volumes",
            "a hostPath volume is used (critical for container runtime sockets and `/`)",
            "A hostPath volume exposes the node's filesystem to the pod; the container runtime socket or the root directory hands over the whole node.",
            "Use a PersistentVolumeClaim, emptyDir, ConfigMap or CSI volume instead:\n\nvolumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: data",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(host_path),
    },
    Check {
        def: def(
            SECTION,
            "security.host-port",
            Severity::Warning,
            "Containers do not bind host ports",
            "a container sets hostPort",
            "A hostPort ties each pod to a free port on its node, limiting scheduling to one replica per node, and exposes the pod outside Service routing and network policies.",
            "Remove hostPort and expose the pod through a Service:\n\nports:\n  - name: http\n    containerPort: 8080   # no hostPort",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(host_port),
    },
    Check {
        def: def(
            SECTION,
            "security.seccomp",
            Severity::Info,
            "A seccomp profile is applied",
            "no RuntimeDefault or Localhost seccomp profile (pod or container level), or Unconfined",
            "Without a seccomp profile every system call is available to the process, widening the kernel attack surface for a container escape.",
            "Use the runtime's default profile at pod level:\n\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault",
        ),
        applies: Applies::LinuxPods,
        needs: &[],
        reads: &[],
        grade: Grade::Template(seccomp),
    },
    Check {
        def: def(
            SECTION,
            "security.sa-token",
            Severity::Info,
            "The API token is only mounted when needed",
            "the service account token is automounted (pod or ServiceAccount) and the workload is not known to talk to the API",
            "A mounted token is a credential for the Kubernetes API: anyone who gets code execution in the pod can use it with whatever rights the ServiceAccount has.",
            "Disable automounting on the pod (or on its ServiceAccount); workloads that call the API should opt in explicitly:\n\nspec:\n  automountServiceAccountToken: false",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[Kind::ServiceAccount],
        grade: Grade::Template(sa_token),
    },
    Check {
        def: def(
            SECTION,
            "security.default-sa",
            Severity::Info,
            "Pods run as a dedicated ServiceAccount",
            "the pod runs as the `default` ServiceAccount",
            "Every pod of the namespace shares the default ServiceAccount: any permission granted to it for one workload is granted to all of them.",
            "Create a ServiceAccount for the workload and use it:\n\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\nautomountServiceAccountToken: false\n---\nspec:\n  serviceAccountName: web",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(default_sa),
    },
    Check {
        def: def(
            SECTION,
            "security.secret-env",
            Severity::Critical,
            "No secrets in literal env values",
            "an env var (of any container, ephemeral ones too) has a literal value that is a credential: its name has a credential word anywhere (PASSWORD, TOKEN, SECRET, API_KEY, DSN, PGPASSWORD…) and is not about one (TOKEN_EXPIRY_SECONDS, SECRET_NAME), or the value holds a URL password, a known token format or a PEM private key",
            "A literal secret sits in plain text in the manifest, in Git, in the API server and in every `kubectl get -o yaml`; it cannot be rotated or access-controlled separately.",
            "Move the value into a Secret and reference it:\n\nenv:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: password",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(secret_env),
    },
];

/// Container runtime sockets: mounting one (or a directory holding one) gives control of
/// every container on the node.
const RUNTIME_SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/run/cri-dockerd.sock",
    "/run/k3s/containerd/containerd.sock",
    "/var/run/k3s/containerd/containerd.sock",
];

/// Capabilities whose addition makes `security.capabilities` critical.
const DANGEROUS_CAPS: &[&str] = &["SYS_ADMIN", "NET_ADMIN", "ALL"];

/// Each container with the securityContext it runs with.
fn effective(spec: &PodSpec) -> Vec<(&Container, Effective)> {
    containers(spec)
        .map(|c| (c.container, Effective::of(spec, c.container)))
        .collect()
}

/// The securityContext a container runs with: container fields over pod fields.
#[derive(Debug, Default, Clone)]
struct Effective {
    run_as_non_root: Option<bool>,
    /// True when the container's own `runAsNonRoot: false` overrode a pod-level `true`.
    non_root_overridden: bool,
    run_as_user: Option<i64>,
    seccomp: Option<SeccompProfile>,
    privileged: bool,
    allow_privilege_escalation: Option<bool>,
    read_only_root: Option<bool>,
    /// Capabilities added, normalised (upper case, no `CAP_` prefix).
    add: Vec<String>,
    /// Capabilities dropped, normalised.
    drop: Vec<String>,
}

impl Effective {
    fn of(spec: &PodSpec, c: &Container) -> Effective {
        let pod = spec.security_context.as_ref();
        let own = c.security_context.as_ref();
        let pod_non_root = pod.and_then(|p| p.run_as_non_root);
        let own_non_root = own.and_then(|s| s.run_as_non_root);
        let caps = own.and_then(|s| s.capabilities.as_ref());
        let norm = |v: Option<&Vec<String>>| -> Vec<String> {
            v.into_iter().flatten().map(|c| normalise_cap(c)).collect()
        };
        Effective {
            run_as_non_root: own_non_root.or(pod_non_root),
            non_root_overridden: own_non_root == Some(false) && pod_non_root == Some(true),
            run_as_user: own
                .and_then(|s| s.run_as_user)
                .or_else(|| pod.and_then(|p| p.run_as_user)),
            seccomp: own
                .and_then(|s| s.seccomp_profile.clone())
                .or_else(|| pod.and_then(|p| p.seccomp_profile.clone())),
            privileged: own.and_then(|s| s.privileged) == Some(true),
            allow_privilege_escalation: own.and_then(|s| s.allow_privilege_escalation),
            read_only_root: own.and_then(|s| s.read_only_root_filesystem),
            add: norm(caps.and_then(|c| c.add.as_ref())),
            drop: norm(caps.and_then(|c| c.drop.as_ref())),
        }
    }

    fn adds(&self, cap: &str) -> bool {
        self.add.iter().any(|c| c == cap)
    }
}

/// `CAP_SYS_ADMIN`, `sys_admin` and `SYS_ADMIN` all name the same capability.
fn normalise_cap(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    upper.strip_prefix("CAP_").unwrap_or(&upper).to_string()
}

/// A pass when `problems` is empty, else a fail whose message lists each
/// `(container, problem)` and whose containers are the distinct names.
fn findings(problems: Vec<(String, String)>, pass: &'static str) -> Verdict {
    if problems.is_empty() {
        return Verdict::pass(pass);
    }
    let mut names: Vec<String> = Vec::new();
    for (n, _) in &problems {
        if !names.contains(n) {
            names.push(n.clone());
        }
    }
    let message = problems
        .iter()
        .map(|(n, p)| format!("{n}: {p}"))
        .collect::<Vec<_>>()
        .join("; ");
    Verdict::fail(message).containers(names)
}

fn non_root(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let cs = &effective(spec);
    let problems = cs
        .iter()
        .filter_map(|(c, e)| {
            let problem = match (e.run_as_user, e.run_as_non_root) {
                (Some(0), Some(true)) => {
                    "runAsUser 0 contradicts runAsNonRoot: true (the kubelet refuses to start it)"
                        .to_string()
                }
                (Some(0), _) => "runs as root (runAsUser: 0)".to_string(),
                (Some(u), _) if u > 0 => return None,
                (_, Some(true)) => return None,
                (_, Some(false)) if e.non_root_overridden => {
                    "the container's runAsNonRoot: false overrides the pod's true, and no runAsUser > 0 is set".to_string()
                }
                (_, Some(false)) => {
                    "runAsNonRoot is false and no runAsUser > 0 is set".to_string()
                }
                _ => "neither runAsNonRoot nor runAsUser > 0 is set, so it runs as the image's user (often root)".to_string(),
            };
            Some((c.name.clone(), problem))
        })
        .collect();
    findings(problems, "every container runs as a non-root user")
}

fn privileged(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let cs = &effective(spec);
    let problems = cs
        .iter()
        .filter(|(_, e)| e.privileged)
        .map(|(c, _)| (c.name.clone(), "runs privileged".to_string()))
        .collect();
    findings(problems, "no container is privileged")
}

fn privilege_escalation(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let cs = &effective(spec);
    let problems = cs
        .iter()
        .filter_map(|(c, e)| {
            let problem = if e.privileged {
                "privileged, which always allows privilege escalation"
            } else if e.adds("SYS_ADMIN") {
                "adds SYS_ADMIN, which always allows privilege escalation"
            } else if e.allow_privilege_escalation == Some(true) {
                "allowPrivilegeEscalation is true"
            } else if e.allow_privilege_escalation.is_none() {
                "allowPrivilegeEscalation is not set (it defaults to true)"
            } else {
                return None;
            };
            Some((c.name.clone(), problem.to_string()))
        })
        .collect();
    findings(
        problems,
        "every container sets allowPrivilegeEscalation: false",
    )
}

fn read_only_root(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let cs = &effective(spec);
    let problems = cs
        .iter()
        .filter(|(_, e)| e.read_only_root != Some(true))
        .map(|(c, _)| {
            (
                c.name.clone(),
                "readOnlyRootFilesystem is not true".to_string(),
            )
        })
        .collect();
    findings(problems, "every container has a read-only root filesystem")
}

fn capabilities(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let cs = &effective(spec);
    let mut dangerous = false;
    let problems = cs
        .iter()
        .filter_map(|(c, e)| {
            let mut what = Vec::new();
            if e.privileged {
                dangerous = true;
                what.push("privileged, so it holds every capability".to_string());
            } else if !e.drop.iter().any(|d| d == "ALL") {
                what.push("does not drop ALL capabilities".to_string());
            }
            let bad: Vec<&str> = DANGEROUS_CAPS
                .iter()
                .copied()
                .filter(|cap| e.adds(cap))
                .collect();
            if !bad.is_empty() {
                dangerous = true;
                what.push(format!("adds {}", bad.join(", ")));
            }
            (!what.is_empty()).then(|| (c.name.clone(), what.join(" and ")))
        })
        .collect();
    let r = findings(
        problems,
        "every container drops ALL capabilities and adds none that amount to root",
    );
    if dangerous {
        r.severity(Severity::Critical)
    } else {
        r
    }
}

fn host_namespaces(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let shared: Vec<&str> = [
        ("hostNetwork", spec.host_network),
        ("hostPID", spec.host_pid),
        ("hostIPC", spec.host_ipc),
    ]
    .into_iter()
    .filter(|(_, v)| *v == Some(true))
    .map(|(n, _)| n)
    .collect();
    if shared.is_empty() {
        Verdict::pass("the pod uses its own network, PID and IPC namespaces")
    } else {
        Verdict::fail(format!(
            "the pod shares the node's namespaces: {}",
            shared.join(", ")
        ))
    }
}

/// `/var/run/` → `/var/run`, `//` → `/`.
fn normalise_path(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    format!("/{}", parts.join("/"))
}

/// True for `/`, a runtime socket, or a directory that contains one.
fn hands_over_the_node(path: &str) -> bool {
    let p = normalise_path(path);
    p == "/"
        || RUNTIME_SOCKETS
            .iter()
            .any(|s| *s == p || s.starts_with(&format!("{p}/")))
}

fn host_path(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let mut critical = false;
    let mut found = Vec::new();
    let mut names = Vec::new();
    for v in spec.volumes.iter().flatten() {
        let Some(hp) = &v.host_path else { continue };
        let node = hands_over_the_node(&hp.path);
        critical |= node;
        let mounted_by: Vec<String> = containers(spec)
            .filter(|c| {
                c.container
                    .volume_mounts
                    .iter()
                    .flatten()
                    .any(|m| m.name == v.name)
            })
            .map(|c| c.name().to_string())
            .collect();
        for n in &mounted_by {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
        let mut s = format!("hostPath volume {} ({})", v.name, hp.path);
        if node {
            s.push_str(if normalise_path(&hp.path) == "/" {
                " exposes the node's whole filesystem"
            } else {
                " exposes the container runtime socket: control of every container on the node"
            });
        }
        if !mounted_by.is_empty() {
            s.push_str(&format!(", mounted by {}", mounted_by.join(", ")));
        }
        found.push(s);
    }
    if found.is_empty() {
        return Verdict::pass("no hostPath volumes");
    }
    let r = Verdict::fail(found.join("; ")).containers(names);
    if critical {
        r.severity(Severity::Critical)
    } else {
        r
    }
}

fn host_port(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let cs = &effective(spec);
    let problems = cs
        .iter()
        .filter_map(|(c, _)| {
            let ports: Vec<String> = c
                .ports
                .iter()
                .flatten()
                .filter_map(|p| p.host_port.filter(|h| *h != 0))
                .map(|h| h.to_string())
                .collect();
            (!ports.is_empty()).then(|| {
                (
                    c.name.clone(),
                    format!("binds hostPort {}", ports.join(", ")),
                )
            })
        })
        .collect();
    findings(problems, "no container binds a host port")
}

fn seccomp(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let cs = &effective(spec);
    let problems = cs
        .iter()
        .filter_map(|(c, e)| {
            let problem = match e.seccomp.as_ref().map(|p| p.type_.as_str()) {
                Some("RuntimeDefault" | "Localhost") => return None,
                Some("Unconfined") => "seccomp profile is Unconfined".to_string(),
                Some(other) => format!("unrecognised seccomp profile type `{other}`"),
                None => "no seccomp profile on the pod or the container".to_string(),
            };
            Some((c.name.clone(), problem))
        })
        .collect();
    findings(
        problems,
        "every container runs with a RuntimeDefault or Localhost seccomp profile",
    )
}

/// The ServiceAccount the pod runs as (`serviceAccount` is the deprecated alias).
fn service_account_name(spec: &PodSpec) -> &str {
    spec.service_account_name
        .as_deref()
        .or(spec.service_account.as_deref())
        .filter(|n| !n.is_empty())
        .unwrap_or("default")
}

/// `security.sa-token`.
///
/// Whether the token is mounted: the pod's `automountServiceAccountToken` wins; when the pod
/// does not say, the ServiceAccount's setting applies; when neither says, it is mounted.
///
/// A workload is "known to talk to the API" when the token is mounted by an explicit opt-in
/// rather than by default: the pod sets `automountServiceAccountToken: true`, or it runs as a
/// dedicated (non-`default`) ServiceAccount that sets `automountServiceAccountToken: true`.
/// RBAC bindings are not modelled, so a deliberate opt-in is the only visible sign of intent;
/// `true` on the shared `default` ServiceAccount is not a sign about this workload. Anything
/// else (e.g. an operator relying on the default mount) is waived with `shipshape.dev/ignore`.
fn sa_token(w: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    let sa = service_account_name(spec);
    match spec.automount_service_account_token {
        Some(false) => {
            return Verdict::pass("automountServiceAccountToken: false on the pod");
        }
        Some(true) => {
            return Verdict::pass(format!(
                    "the pod opts in to the API token (automountServiceAccountToken: true): treated as an API client of ServiceAccount {sa}"
                ),
            );
        }
        None => {}
    }
    if let Some(why) = cx.missing(&[Kind::ServiceAccount]) {
        return Verdict::unknown(format!(
            "{why}: cannot tell whether ServiceAccount {sa} disables token automounting"
        ));
    }
    let account = cx
        .model
        .stores
        .service_accounts
        .get(&(w.key.namespace.clone(), sa.to_string()));
    match account.and_then(|a| a.automount_service_account_token) {
        Some(false) => Verdict::pass(format!("ServiceAccount {sa} sets automountServiceAccountToken: false"),
        ),
        Some(true) if sa != "default" => Verdict::pass(format!(
                "dedicated ServiceAccount {sa} opts in to the API token: treated as an API client"
            ),
        ),
        _ => Verdict::fail(format!(
                "the API token of ServiceAccount {sa} is mounted by default and nothing says the workload uses the API"
            ),
        ),
    }
}

fn default_sa(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let sa = service_account_name(spec);
    if sa == "default" {
        Verdict::fail("the pod runs as the namespace's default ServiceAccount")
    } else {
        Verdict::pass(format!("the pod runs as ServiceAccount {sa}"))
    }
}

/// Only variable and container names are ever put in the message, never a value. Ephemeral
/// containers count: their env is written into the pod spec like any other.
fn secret_env(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let cs = &effective(spec);
    let regular = cs.iter().map(|(c, _)| (&c.name, c.env.as_deref()));
    let ephemeral = spec
        .ephemeral_containers
        .iter()
        .flatten()
        .map(|c| (&c.name, c.env.as_deref()));
    let problems: Vec<(String, String)> = regular
        .chain(ephemeral)
        .flat_map(|(container, env)| {
            env.into_iter()
                .flatten()
                .filter(|v| is_literal_secret(v))
                .map(move |v| {
                    (
                        container.clone(),
                        format!("env {} holds a literal secret (value not shown)", v.name),
                    )
                })
        })
        .collect();
    findings(problems, "no env var holds a literal secret")
}

#[cfg(test)]
mod tests {
    use crate::checks::{Severity, Status};
    use crate::cluster::Kind;
    use crate::source::LoadOptions;
    use crate::testing::{grade, model_with, result, status};

    const W: &str = "Deployment/shop/web";

    /// A hardened Deployment: every security check passes on it.
    const BASE: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: app
          image: example/web:1.0
          ports: [{name: http, containerPort: 8080}]
          env:
            - {name: LOG_LEVEL, value: debug}
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
"#;

    /// The same Deployment with a replacement applied, asserting the text was there.
    fn with(from: &str, to: &str) -> String {
        assert!(BASE.contains(from), "BASE has no {from:?}");
        BASE.replacen(from, to, 1)
    }

    const APP_SC: &str = "          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities: {drop: [ALL]}\n";
    const POD_SC: &str =
        "      securityContext:\n        runAsNonRoot: true\n        seccompProfile: {type: RuntimeDefault}\n";

    fn app_sc(lines: &str) -> String {
        with(APP_SC, &format!("          securityContext:\n{lines}"))
    }

    #[test]
    fn a_hardened_deployment_passes_everything() {
        let g = grade(BASE);
        for c in super::CHECKS {
            let r = result(&g, W, c.def.id);
            assert_eq!(r.status, Status::Pass, "{}: {}", c.def.id, r.message);
        }
        assert!(result(&g, W, "network.policy")
            .message
            .contains("default-deny (default deny)"));
    }

    #[test]
    fn every_check_is_in_the_security_category() {
        let checks = super::CHECKS.iter().chain(crate::checks::network::CHECKS);
        for c in checks.clone() {
            assert_eq!(
                c.def.category,
                crate::checks::Category::Security,
                "{}",
                c.def.id
            );
            assert!(c.def.fix.contains(':'), "{} fix needs a snippet", c.def.id);
        }
        assert_eq!(checks.count(), 13);
    }

    #[test]
    fn non_root_merges_pod_and_container_contexts() {
        // Nothing anywhere: fail.
        let g = grade(&with(
            POD_SC,
            "      securityContext:\n        seccompProfile: {type: RuntimeDefault}\n",
        ));
        let r = result(&g, W, "security.non-root");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(r.containers(), vec!["app"]);
        assert!(r.message.contains("neither runAsNonRoot"), "{}", r.message);

        // runAsUser > 0 on the container counts without runAsNonRoot.
        let g = grade(
            &with(
                POD_SC,
                "      securityContext:\n        seccompProfile: {type: RuntimeDefault}\n",
            )
            .replace(
                "readOnlyRootFilesystem: true\n",
                "readOnlyRootFilesystem: true\n            runAsUser: 10001\n",
            ),
        );
        assert_eq!(status(&g, W, "security.non-root"), Status::Pass);

        // runAsUser > 0 on the pod counts too.
        let g = grade(&with(
            "        runAsNonRoot: true\n",
            "        runAsUser: 1000\n",
        ));
        assert_eq!(status(&g, W, "security.non-root"), Status::Pass);

        // Container runAsNonRoot: false overrides the pod's true.
        let g = grade(&app_sc(
            "            runAsNonRoot: false\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities: {drop: [ALL]}\n",
        ));
        let r = result(&g, W, "security.non-root");
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.message.contains("overrides the pod's true"),
            "{}",
            r.message
        );

        // ... but runAsNonRoot: false with a non-zero UID still runs as non-root.
        let g = grade(&app_sc(
            "            runAsNonRoot: false\n            runAsUser: 1000\n",
        ));
        assert_eq!(status(&g, W, "security.non-root"), Status::Pass);

        // Explicit UID 0 at the container beats a pod-level non-zero UID.
        let g = grade(
            &with("        runAsNonRoot: true\n", "        runAsUser: 1000\n").replace(
                "readOnlyRootFilesystem: true\n",
                "readOnlyRootFilesystem: true\n            runAsUser: 0\n",
            ),
        );
        let r = result(&g, W, "security.non-root");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("runAsUser: 0"), "{}", r.message);

        // runAsNonRoot with UID 0 cannot start.
        let g = grade(&app_sc("            runAsUser: 0\n"));
        assert!(result(&g, W, "security.non-root")
            .message
            .contains("contradicts"));
    }

    #[test]
    fn init_containers_and_sidecars_are_judged() {
        let yaml = with(
            "      containers:\n",
            "      initContainers:\n        - {name: migrate, image: example/m:1, securityContext: {privileged: true}}\n        - {name: proxy, image: example/p:1, restartPolicy: Always, ports: [{containerPort: 15000, hostPort: 15000}]}\n      containers:\n",
        );
        let g = grade(&yaml);
        let r = result(&g, W, "security.privileged");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(r.containers(), vec!["migrate"]);
        assert_eq!(
            result(&g, W, "security.host-port").containers(),
            vec!["proxy"]
        );
        assert!(result(&g, W, "security.host-port")
            .message
            .contains("hostPort 15000"));
        let r = result(&g, W, "security.read-only-root");
        assert_eq!(r.containers(), vec!["migrate", "proxy"]);
        // The pod-level non-root applies to the init containers as well.
        assert_eq!(status(&g, W, "security.non-root"), Status::Pass);
    }

    #[test]
    fn privileged_fails_and_passes() {
        let g = grade(&app_sc("            privileged: false\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities: {drop: [ALL]}\n"));
        assert_eq!(status(&g, W, "security.privileged"), Status::Pass);
        let g = grade(&app_sc("            privileged: true\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities: {drop: [ALL]}\n"));
        let r = result(&g, W, "security.privileged");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(r.message, "app: runs privileged");
        // Privileged implies escalation, even with allowPrivilegeEscalation: false.
        let r = result(&g, W, "security.privilege-escalation");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("privileged"), "{}", r.message);
        // And every capability: critical, whatever is dropped.
        let r = result(&g, W, "security.capabilities");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
    }

    #[test]
    fn privilege_escalation_must_be_explicitly_false() {
        let g = grade(&app_sc(
            "            readOnlyRootFilesystem: true\n            capabilities: {drop: [ALL]}\n",
        ));
        let r = result(&g, W, "security.privilege-escalation");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(r.message.contains("not set"), "{}", r.message);
        let g = grade(&app_sc("            allowPrivilegeEscalation: true\n"));
        assert!(result(&g, W, "security.privilege-escalation")
            .message
            .contains("is true"));
        // CAP_SYS_ADMIN implies escalation despite the explicit false.
        let g = grade(&app_sc("            allowPrivilegeEscalation: false\n            capabilities: {drop: [ALL], add: [CAP_SYS_ADMIN]}\n"));
        let r = result(&g, W, "security.privilege-escalation");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("SYS_ADMIN"), "{}", r.message);
    }

    #[test]
    fn read_only_root() {
        let g = grade(&app_sc("            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: false\n            capabilities: {drop: [ALL]}\n"));
        let r = result(&g, W, "security.read-only-root");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(r.containers(), vec!["app"]);
        // A pod-level securityContext cannot set it: only the container counts.
        let g = grade(&with(APP_SC, ""));
        assert_eq!(status(&g, W, "security.read-only-root"), Status::Fail);
    }

    #[test]
    fn capabilities_drop_all_and_dangerous_adds() {
        // Drop ALL, add a harmless one: pass.
        let g = grade(&app_sc("            allowPrivilegeEscalation: false\n            capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n"));
        assert_eq!(status(&g, W, "security.capabilities"), Status::Pass);
        // Dropping some but not ALL: warning.
        let g = grade(&app_sc("            capabilities: {drop: [NET_RAW]}\n"));
        let r = result(&g, W, "security.capabilities");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(r.message.contains("does not drop ALL"), "{}", r.message);
        // No capabilities at all: warning.
        let g = grade(&with(APP_SC, ""));
        let r = result(&g, W, "security.capabilities");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        // Dangerous adds are critical in both spellings, even with drop ALL.
        for cap in [
            "SYS_ADMIN",
            "CAP_SYS_ADMIN",
            "NET_ADMIN",
            "CAP_NET_ADMIN",
            "ALL",
        ] {
            let g = grade(&app_sc(&format!(
                "            capabilities: {{drop: [ALL], add: [{cap}]}}\n"
            )));
            let r = result(&g, W, "security.capabilities");
            assert_eq!(
                (r.status, r.severity),
                (Status::Fail, Severity::Critical),
                "{cap}"
            );
            assert!(r.message.contains("adds"), "{cap}: {}", r.message);
        }
    }

    #[test]
    fn host_namespaces() {
        let g = grade(&with(
            "      serviceAccountName: web\n",
            "      serviceAccountName: web\n      hostNetwork: true\n      hostPID: true\n      hostIPC: false\n",
        ));
        let r = result(&g, W, "security.host-namespaces");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert!(r.message.contains("hostNetwork, hostPID"), "{}", r.message);
        assert!(!r.message.contains("hostIPC"), "{}", r.message);
        let g = grade(&with(
            "      serviceAccountName: web\n",
            "      serviceAccountName: web\n      hostNetwork: false\n",
        ));
        assert_eq!(status(&g, W, "security.host-namespaces"), Status::Pass);
    }

    fn host_path_yaml(path: &str) -> String {
        with(APP_SC, &format!("{APP_SC}          volumeMounts: [{{name: host, mountPath: /host}}]\n"))
            .replace(
                "      containers:\n",
                &format!("      volumes:\n        - name: host\n          hostPath: {{path: \"{path}\"}}\n      containers:\n"),
            )
    }

    #[test]
    fn host_path_is_critical_for_runtime_sockets_and_root() {
        let g = grade(&host_path_yaml("/var/log"));
        let r = result(&g, W, "security.host-path");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(r.containers(), vec!["app"]);
        assert!(r.message.contains("/var/log"), "{}", r.message);
        for p in [
            "/var/run/docker.sock",
            "/run/containerd/containerd.sock",
            "/var/run/crio/crio.sock",
            "/var/run",
            "/run/containerd/",
            "/",
            "//",
        ] {
            let g = grade(&host_path_yaml(p));
            let r = result(&g, W, "security.host-path");
            assert_eq!(
                (r.status, r.severity),
                (Status::Fail, Severity::Critical),
                "{p}"
            );
        }
        // A sibling of a socket directory is only a warning.
        let g = grade(&host_path_yaml("/var/run-other"));
        assert_eq!(
            result(&g, W, "security.host-path").severity,
            Severity::Warning
        );
        // An emptyDir is fine.
        let g = grade(&with(
            "      containers:\n",
            "      volumes: [{name: tmp, emptyDir: {}}]\n      containers:\n",
        ));
        assert_eq!(status(&g, W, "security.host-path"), Status::Pass);
    }

    #[test]
    fn host_port() {
        let g = grade(&with(
            "{name: http, containerPort: 8080}",
            "{name: http, containerPort: 8080, hostPort: 80}",
        ));
        let r = result(&g, W, "security.host-port");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert_eq!(r.message, "app: binds hostPort 80");
        assert_eq!(status(&grade(BASE), W, "security.host-port"), Status::Pass);
    }

    #[test]
    fn seccomp_at_pod_or_container_level() {
        let no_pod = with("        seccompProfile: {type: RuntimeDefault}\n", "");
        let g = grade(&no_pod);
        let r = result(&g, W, "security.seccomp");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert!(r.message.contains("no seccomp profile"), "{}", r.message);
        // Container-level Localhost is enough.
        let g = grade(&no_pod.replace(
            "readOnlyRootFilesystem: true\n",
            "readOnlyRootFilesystem: true\n            seccompProfile: {type: Localhost, localhostProfile: profiles/app.json}\n",
        ));
        assert_eq!(status(&g, W, "security.seccomp"), Status::Pass);
        // Container-level Unconfined overrides the pod's RuntimeDefault.
        let g = grade(&BASE.replace(
            "readOnlyRootFilesystem: true\n",
            "readOnlyRootFilesystem: true\n            seccompProfile: {type: Unconfined}\n",
        ));
        let r = result(&g, W, "security.seccomp");
        assert_eq!(r.status, Status::Fail);
        assert!(r.message.contains("Unconfined"), "{}", r.message);
    }

    #[test]
    fn windows_pods_skip_linux_only_settings() {
        let g = grade(&with(APP_SC, "").replace(
            "      serviceAccountName: web\n",
            "      serviceAccountName: web\n      os: {name: windows}\n",
        ));
        for id in [
            "security.privilege-escalation",
            "security.read-only-root",
            "security.capabilities",
            "security.seccomp",
        ] {
            assert_eq!(status(&g, W, id), Status::NotApplicable, "{id}");
        }
        assert_eq!(status(&g, W, "security.privileged"), Status::Pass);
    }

    const SA: &str =
        "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n";

    #[test]
    fn sa_token_pod_setting_wins_over_the_service_account() {
        let unset = with("      automountServiceAccountToken: false\n", "");
        // Neither the pod nor the SA says: mounted by default.
        let g = grade(&format!("{unset}{SA}"));
        let r = result(&g, W, "security.sa-token");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        assert!(r.message.contains("ServiceAccount web"), "{}", r.message);
        // The SA disables it.
        let g = grade(&format!("{unset}{SA}automountServiceAccountToken: false\n"));
        let r = result(&g, W, "security.sa-token");
        assert_eq!(r.status, Status::Pass);
        assert!(
            r.message.contains("ServiceAccount web sets"),
            "{}",
            r.message
        );
        // The pod's false wins over the SA's true.
        let g = grade(&format!("{BASE}{SA}automountServiceAccountToken: true\n"));
        let r = result(&g, W, "security.sa-token");
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("on the pod"), "{}", r.message);
        // The pod's explicit true (over an SA false) is an opt-in: an API client.
        let opt_in = with(
            "automountServiceAccountToken: false",
            "automountServiceAccountToken: true",
        );
        let g = grade(&format!(
            "{opt_in}{SA}automountServiceAccountToken: false\n"
        ));
        let r = result(&g, W, "security.sa-token");
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("API client"), "{}", r.message);
        // A dedicated SA that opts in is an API client.
        let g = grade(&format!("{unset}{SA}automountServiceAccountToken: true\n"));
        assert!(result(&g, W, "security.sa-token")
            .message
            .contains("API client"));
        // The shared default SA opting in says nothing about this workload.
        let on_default = unset.replace("      serviceAccountName: web\n", "");
        let g = grade(&format!("{on_default}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: default, namespace: shop}}\nautomountServiceAccountToken: true\n"));
        assert_eq!(status(&g, W, "security.sa-token"), Status::Fail);
        // The default SA need not be in the input: it always exists and mounts.
        let g = grade(&on_default);
        assert_eq!(status(&g, W, "security.sa-token"), Status::Fail);
    }

    #[test]
    fn sa_token_is_unknown_without_service_accounts() {
        let unset = with("      automountServiceAccountToken: false\n", "");
        let partial = LoadOptions {
            partial: true,
            ..Default::default()
        };
        let m = model_with(&unset, &partial);
        assert!(!m.knows(Kind::ServiceAccount));
        let g = crate::grade::grade_all(&m, &crate::config::Config::default());
        let r = result(&g, W, "security.sa-token");
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("ServiceAccount"), "{}", r.message);
        // The pod's own setting needs no ServiceAccount.
        let g = crate::grade::grade_all(&model_with(BASE, &partial), &Default::default());
        assert_eq!(status(&g, W, "security.sa-token"), Status::Pass);
    }

    #[test]
    fn default_service_account() {
        let g = grade(&with("      serviceAccountName: web\n", ""));
        let r = result(&g, W, "security.default-sa");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Info));
        let g = grade(&with(
            "      serviceAccountName: web\n",
            "      serviceAccountName: default\n",
        ));
        assert_eq!(status(&g, W, "security.default-sa"), Status::Fail);
        let g = grade(&with(
            "      serviceAccountName: web\n",
            "      serviceAccountName: \"\"\n",
        ));
        assert_eq!(status(&g, W, "security.default-sa"), Status::Fail);
        // The deprecated alias counts.
        let g = grade(&with(
            "      serviceAccountName: web\n",
            "      serviceAccount: api\n",
        ));
        let r = result(&g, W, "security.default-sa");
        assert_eq!(r.status, Status::Pass);
        assert!(r.message.contains("api"), "{}", r.message);
    }

    const SECRET_VALUES: &[&str] = &["hunter2-s3cret", "MIIBOgIBAAJBAKj34", "ghp_abcdef123456"];

    fn leaky() -> String {
        with(
            "            - {name: LOG_LEVEL, value: debug}\n",
            "            - {name: LOG_LEVEL, value: debug}\n            - {name: DB_PASSWORD, value: hunter2-s3cret}\n            - {name: SIGNING_CERT, value: \"-----BEGIN RSA PRIVATE KEY-----\\nMIIBOgIBAAJBAKj34\\n-----END RSA PRIVATE KEY-----\"}\n            - {name: PASSWORD_FILE, value: /run/secrets/db}\n            - {name: API_TOKEN, value: \"$(UPSTREAM_TOKEN)\"}\n",
        )
        .replace(
            "      containers:\n",
            "      initContainers:\n        - name: init\n          image: example/i:1\n          env: [{name: GITHUB_TOKEN, value: ghp_abcdef123456}]\n      containers:\n",
        )
    }

    #[test]
    fn secret_env_names_variables_and_containers() {
        let g = grade(&leaky());
        let r = result(&g, W, "security.secret-env");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Critical));
        assert_eq!(r.containers(), vec!["init", "app"]);
        assert!(r.message.contains("GITHUB_TOKEN"), "{}", r.message);
        assert!(r.message.contains("DB_PASSWORD"), "{}", r.message);
        assert!(
            r.message.contains("SIGNING_CERT"),
            "a PEM value counts: {}",
            r.message
        );
        // Pointers and references are not literal secrets.
        assert!(!r.message.contains("PASSWORD_FILE"), "{}", r.message);
        assert!(!r.message.contains("API_TOKEN"), "{}", r.message);
        // valueFrom secretKeyRef passes.
        assert_eq!(status(&grade(BASE), W, "security.secret-env"), Status::Pass);
    }

    #[test]
    fn secret_env_reads_every_word_of_a_name_and_what_the_value_is() {
        let env = |vars: &str| {
            with(
                "            - {name: LOG_LEVEL, value: debug}\n",
                &format!("            - {{name: LOG_LEVEL, value: debug}}\n{vars}"),
            )
        };
        // Settings about credentials are no credentials: this workload passes.
        let settings = "            - {name: TOKEN_EXPIRY_SECONDS, value: \"3600\"}\n            - {name: PASSWORD_MIN_LENGTH, value: \"12\"}\n            - {name: SECRET_NAME, value: my-secret}\n            - {name: TOKEN_URL, value: \"https://auth.example.com/token\"}\n            - {name: MYSQL_ALLOW_EMPTY_PASSWORD, value: \"yes\"}\n            - {name: GOOGLE_APPLICATION_CREDENTIALS, value: /var/secrets/google/key.json}\n";
        let g = grade(&env(settings));
        let r = result(&g, W, "security.secret-env");
        assert_eq!(r.status, Status::Pass, "{}", r.message);
        // Credential names the last-word rule missed, and credentials found by their form.
        let secrets = "            - {name: PGPASSWORD, value: a1}\n            - {name: DB_PASSWORD2, value: a2}\n            - {name: STRIPE_SK, value: a3}\n            - {name: SENTRY_DSN, value: \"https://k@sentry.example.com/1\"}\n            - {name: HTPASSWD, value: \"u:h\"}\n            - {name: BEARER, value: a4}\n            - {name: DATABASE_URL, value: \"postgres://app:a5@db/app\"}\n            - {name: TOKEN_URL, value: \"https://u:a6@auth.example.com/token\"}\n";
        let g = grade(&env(&format!("{settings}{secrets}")));
        let r = result(&g, W, "security.secret-env");
        assert_eq!(r.status, Status::Fail);
        for name in [
            "PGPASSWORD",
            "DB_PASSWORD2",
            "STRIPE_SK",
            "SENTRY_DSN",
            "HTPASSWD",
            "BEARER",
            "DATABASE_URL",
            "TOKEN_URL",
        ] {
            assert!(
                r.message.contains(&format!("env {name} ")),
                "{name}: {}",
                r.message
            );
        }
        for name in [
            "TOKEN_EXPIRY_SECONDS",
            "PASSWORD_MIN_LENGTH",
            "SECRET_NAME",
            "MYSQL_ALLOW",
        ] {
            assert!(!r.message.contains(name), "{name}: {}", r.message);
        }
    }

    #[test]
    fn secret_env_counts_ephemeral_containers() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: dbg, namespace: shop}\nspec:\n  containers: [{name: sh, image: example/sh:1}]\n  ephemeralContainers: [{name: probe, image: example/sh:1, env: [{name: DB_PASSWORD, value: x}]}]\n";
        let g = grade(pod);
        let r = result(&g, "Pod/shop/dbg", "security.secret-env");
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.containers(), vec!["probe"]);
        assert!(r.message.contains("DB_PASSWORD"), "{}", r.message);
    }

    #[test]
    fn a_sensitive_env_value_never_appears_in_any_result() {
        let g = grade(&leaky());
        let everything = serde_json::to_string(&(
            g.workloads.values().collect::<Vec<_>>(),
            g.objects.values().collect::<Vec<_>>(),
        ))
        .unwrap();
        for v in SECRET_VALUES {
            assert!(!everything.contains(v), "{v} leaked into the grades");
        }
        for w in g.workloads.values() {
            for r in &w.results {
                for v in SECRET_VALUES {
                    assert!(!r.message.contains(v), "{}: {}", r.check, r.message);
                    assert!(!r.fix_text().contains(v), "{}", r.check);
                }
            }
        }
        assert_eq!(status(&g, W, "security.secret-env"), Status::Fail);
    }

    #[test]
    fn network_policy_for_ingress() {
        let no_np = BASE.split("---\n").next().unwrap().to_string();
        let np = |spec: &str| {
            format!("{no_np}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: np, namespace: shop}}\nspec:\n{spec}")
        };
        let g = grade(&no_np);
        let r = result(&g, W, "network.policy");
        assert_eq!((r.status, r.severity), (Status::Fail, Severity::Warning));
        assert!(r.message.contains("namespace shop"), "{}", r.message);
        // Egress-only policies do not count.
        let g = grade(&np("  podSelector: {}\n  policyTypes: [Egress]\n"));
        assert_eq!(status(&g, W, "network.policy"), Status::Fail);
        // No policyTypes with ingress rules implies Ingress.
        let g = grade(&np(
            "  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {}}]}]\n",
        ));
        let r = result(&g, W, "network.policy");
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.message, "ingress is restricted by NetworkPolicy np");
        // No policyTypes and no rules: a deny-all ingress.
        let g = grade(&np("  podSelector: {}\n"));
        assert!(result(&g, W, "network.policy")
            .message
            .contains("default deny"));
        // A policy selecting other pods does not count.
        let g = grade(&np(
            "  podSelector: {matchLabels: {app: api}}\n  policyTypes: [Ingress]\n",
        ));
        assert_eq!(status(&g, W, "network.policy"), Status::Fail);
        // matchExpressions are honoured.
        let g = grade(&np("  podSelector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}\n  policyTypes: [Ingress, Egress]\n"));
        assert_eq!(status(&g, W, "network.policy"), Status::Pass);
        // A policy in another namespace does not count.
        let g = grade(&np("  podSelector: {}\n").replace(
            "namespace: shop}\nspec:\n  podSelector: {}\n",
            "namespace: other}\nspec:\n  podSelector: {}\n",
        ));
        assert_eq!(status(&g, W, "network.policy"), Status::Fail);
    }

    #[test]
    fn network_policy_is_unknown_when_policies_are_not_visible() {
        let no_np = BASE.split("---\n").next().unwrap().to_string();
        let partial = LoadOptions {
            partial: true,
            ..Default::default()
        };
        let g = crate::grade::grade_all(&model_with(&no_np, &partial), &Default::default());
        let r = result(&g, W, "network.policy");
        assert_eq!(r.status, Status::Unknown);
        assert!(r.message.contains("NetworkPolicy"), "{}", r.message);
    }

    #[test]
    fn findings_are_per_workload_and_jobs_are_graded() {
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: shop}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: example/m:1, securityContext: {privileged: true}}]\n";
        let g = grade(job);
        assert_eq!(
            status(&g, "Job/shop/migrate", "security.privileged"),
            Status::Fail
        );
        assert_eq!(
            status(&g, "Job/shop/migrate", "security.default-sa"),
            Status::Fail
        );
    }
}
