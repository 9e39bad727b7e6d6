//! Connecting like kubectl: `--kubeconfig`, `KUBECONFIG` (several files, merged), the default
//! `~/.kube/config`, `--context`, and the in-cluster service account as the last resort.
//!
//! Every failure becomes a [`ConnectError`] sentence that names the context or server and says
//! what to do; nothing here waits longer than the credential plugin's timeout
//! ([`ConnectOptions::exec_timeout`]) + [`CONNECT_TIMEOUT`] + [`PROBE_TIMEOUT`].

use crate::cluster::Kind;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use std::path::PathBuf;
use std::time::Duration;

/// How long a TCP/TLS connection may take before the server counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the first request (`GET /version`) may take.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a kubeconfig `exec` credential plugin may run when nothing else is said.
pub const EXEC_TIMEOUT: Duration = Duration::from_secs(60);

/// What every request says it is, so that cluster admins can tell shipshape's reads apart in
/// their audit logs (kubectl sends `kubectl/v1.31.0 (linux/amd64) …`).
pub fn user_agent() -> String {
    format!(
        "shipshape/{} ({}/{})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// Where to connect: the command line's `--kubeconfig`, `--context` and `-n`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectOptions {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    /// Namespaces to watch; empty means all.
    pub namespaces: Vec<String>,
    /// How long a kubeconfig `exec` credential plugin (`aws eks get-token`, `kubelogin`, …) may
    /// take before connecting fails with its name. kube runs the plugin synchronously and
    /// without a limit, so a plugin waiting for a login that never comes would hang shipshape.
    pub exec_timeout: Duration,
    /// Watch ValidatingAdmissionPolicies and their bindings too (`--audit-admission-policies`).
    pub audit_admission_policies: bool,
    /// Read `kubernetes.io/tls` Secrets in full for their certificates' expiry
    /// (`--read-tls-certs`).
    pub read_tls_certs: bool,
}

impl Default for ConnectOptions {
    fn default() -> ConnectOptions {
        ConnectOptions {
            kubeconfig: None,
            context: None,
            namespaces: Vec::new(),
            exec_timeout: EXEC_TIMEOUT,
            audit_admission_policies: false,
            read_tls_certs: false,
        }
    }
}

/// Why shipshape could not talk to the cluster.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot read kubeconfig: {0}")]
    Kubeconfig(String),
    #[error("no kubeconfig found (--kubeconfig, KUBECONFIG or ~/.kube/config) and not running inside a cluster; pass --file or --demo to grade without a cluster")]
    NoConfig,
    #[error("context {name:?} is not in the kubeconfig; known contexts: {known}")]
    NoContext { name: String, known: String },
    #[error("the kubeconfig names no current context; pass --context (known: {0})")]
    NoCurrentContext(String),
    #[error("context {context:?}: {message}")]
    Config { context: String, message: String },
    #[error("cannot reach the API server of {context:?} at {server}: {message}; check the network, VPN or the server address in the kubeconfig")]
    Unreachable {
        context: String,
        server: String,
        message: String,
    },
    #[error("the API server of {context:?} rejected the credentials (401 Unauthorized): the token may have expired; log in again and retry")]
    Unauthorized { context: String },
    #[error("the API server of {context:?} answered {code}: {message}")]
    Refused {
        context: String,
        code: u16,
        message: String,
    },
    #[error("the credential plugin `{command}` of context {context:?} did not finish within {seconds} s; run it by hand to see what it waits for (a login?), or raise --timeout")]
    ExecTimeout {
        context: String,
        command: String,
        seconds: u64,
    },
}

/// A working client and what it is connected to.
#[derive(Clone)]
pub struct Connection {
    pub client: Client,
    /// The context's name, or `in-cluster`.
    pub context: String,
    pub server: String,
    /// `1.31.2`, from `GET /version`.
    pub server_version: String,
    pub namespaces: Vec<String>,
    /// Watch ValidatingAdmissionPolicies and their bindings too.
    pub audit_admission_policies: bool,
    /// See [`ConnectOptions::read_tls_certs`].
    pub read_tls_certs: bool,
}

impl Connection {
    /// The kinds its watchers read: every kind always watched, and those asked for.
    pub fn kinds(&self) -> Vec<Kind> {
        let mut kinds = Kind::ALL.to_vec();
        if self.audit_admission_policies {
            kinds.extend(
                Kind::ADMISSION_POLICIES
                    .iter()
                    .filter(|k| !Kind::ALL.contains(k)),
            );
        }
        kinds
    }
}

/// The kubeconfig kubectl would read, or `None` when there is none (in-cluster use).
pub fn read_kubeconfig(options: &ConnectOptions) -> Result<Option<Kubeconfig>, ConnectError> {
    if let Some(path) = &options.kubeconfig {
        return Kubeconfig::read_from(path)
            .map(Some)
            .map_err(|e| ConnectError::Kubeconfig(format!("{}: {e}", path.display())));
    }
    if let Some(list) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        return merge_kubeconfigs(&list);
    }
    let Some(home) = std::env::var_os("HOME").map(PathBuf::from) else {
        return Ok(None);
    };
    let default = home.join(".kube").join("config");
    if !default.exists() {
        return Ok(None);
    }
    Kubeconfig::read_from(&default)
        .map(Some)
        .map_err(|e| ConnectError::Kubeconfig(format!("{}: {e}", default.display())))
}

/// The files `KUBECONFIG` lists, merged by kubectl's rules: the first file to set a value wins,
/// and a listed file that does not exist is skipped (kubectl does the same; people keep one
/// `KUBECONFIG` for machines that do not all have every file). `None` when none exists.
fn merge_kubeconfigs(list: &std::ffi::OsStr) -> Result<Option<Kubeconfig>, ConnectError> {
    let mut merged: Option<Kubeconfig> = None;
    for path in std::env::split_paths(list) {
        if path.as_os_str().is_empty() || !path.exists() {
            continue;
        }
        let next = Kubeconfig::read_from(&path)
            .map_err(|e| ConnectError::Kubeconfig(format!("{}: {e}", path.display())))?;
        merged = Some(match merged {
            None => next,
            Some(m) => m
                .merge(next)
                .map_err(|e| ConnectError::Kubeconfig(format!("{}: {e}", path.display())))?,
        });
    }
    Ok(merged)
}

/// The contexts of the kubeconfig, sorted, and the current one.
pub fn contexts(options: &ConnectOptions) -> Result<(Vec<String>, Option<String>), ConnectError> {
    let Some(kc) = read_kubeconfig(options)? else {
        return Ok((Vec::new(), None));
    };
    let mut names: Vec<String> = kc.contexts.iter().map(|c| c.name.clone()).collect();
    names.sort();
    Ok((names, kc.current_context.filter(|c| !c.is_empty())))
}

/// Builds a client for the chosen context and proves the server answers.
pub async fn connect(options: &ConnectOptions) -> Result<Connection, ConnectError> {
    let (mut config, context) = match read_kubeconfig(options)? {
        Some(kc) => {
            let known: Vec<String> = kc.contexts.iter().map(|c| c.name.clone()).collect();
            let context = match (&options.context, &kc.current_context) {
                (Some(name), _) => name.clone(),
                (None, Some(current)) if !current.is_empty() => current.clone(),
                _ => return Err(ConnectError::NoCurrentContext(known.join(", "))),
            };
            if !known.contains(&context) {
                return Err(ConnectError::NoContext {
                    name: context,
                    known: if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    },
                });
            }
            let kube_options = KubeConfigOptions {
                context: Some(context.clone()),
                ..Default::default()
            };
            let config = Config::from_custom_kubeconfig(kc, &kube_options)
                .await
                .map_err(|e| ConnectError::Config {
                    context: context.clone(),
                    message: e.to_string(),
                })?;
            (config, context)
        }
        None => match Config::incluster() {
            Ok(config) => (config, "in-cluster".to_string()),
            Err(_) => return Err(ConnectError::NoConfig),
        },
    };
    config.connect_timeout = Some(CONNECT_TIMEOUT);
    if let Ok(agent) = http::HeaderValue::from_str(&user_agent()) {
        config.headers.push((http::header::USER_AGENT, agent));
    }
    let server = config.cluster_url.to_string();
    let server = server.trim_end_matches('/').to_string();
    let client = client_within(config, &context, options.exec_timeout)
        .await?
        .map_err(|e| ConnectError::Config {
            context: context.clone(),
            message: e.to_string(),
        })?;
    let info = match tokio::time::timeout(PROBE_TIMEOUT, client.apiserver_version()).await {
        Ok(Ok(info)) => info,
        Ok(Err(e)) => return Err(classify(&context, &server, &e)),
        Err(_) => {
            return Err(ConnectError::Unreachable {
                context,
                server,
                message: format!("no answer within {} s", PROBE_TIMEOUT.as_secs()),
            })
        }
    };
    Ok(Connection {
        client,
        context,
        server,
        server_version: version_of(&info),
        namespaces: options.namespaces.clone(),
        audit_admission_policies: options.audit_admission_policies,
        read_tls_certs: options.read_tls_certs,
    })
}

/// Builds the client, bounded in time. Building it runs the kubeconfig's `exec` credential
/// plugin, synchronously and for as long as the plugin likes, so it runs on a thread of its
/// own: past `limit` the plugin is ended and connecting fails with its name. (kube refreshes
/// the credential later on its blocking pool; a refresh that hangs stalls only the requests
/// that wait for it, which the watchers report as stale.)
async fn client_within(
    config: Config,
    context: &str,
    limit: Duration,
) -> Result<Result<Client, kube::Error>, ConnectError> {
    let command = config
        .auth_info
        .exec
        .as_ref()
        .and_then(|e| e.command.clone());
    let (tx, rx) = tokio::sync::oneshot::channel();
    // The client's request buffer is a task on this runtime.
    let runtime = tokio::runtime::Handle::current();
    // A plain thread, not the runtime's blocking pool: a runtime waits for its blocking tasks
    // when it shuts down, and this one may never finish.
    std::thread::Builder::new()
        .name("kube-credentials".into())
        .spawn(move || {
            let _inside = runtime.enter();
            let _ = tx.send(Client::try_from(config));
        })
        .map_err(|e| ConnectError::Config {
            context: context.into(),
            message: format!("cannot start a thread: {e}"),
        })?;
    match tokio::time::timeout(limit, rx).await {
        Ok(Ok(built)) => Ok(built),
        Ok(Err(_)) => Err(ConnectError::Config {
            context: context.into(),
            message: "building the client failed unexpectedly".into(),
        }),
        Err(_) => {
            end_credential_plugins();
            let command = command.unwrap_or_else(|| "exec".into());
            Err(ConnectError::ExecTimeout {
                context: context.into(),
                command,
                seconds: limit.as_secs(),
            })
        }
    }
}

/// Ends the credential plugin left waiting, and whatever it started: leaving it would keep a
/// login prompt or a stuck network call alive after shipshape gave up. shipshape starts no
/// process of its own besides credential plugins, so every descendant is one of them.
#[cfg(target_os = "linux")]
fn end_credential_plugins() {
    let mut parent_of = std::collections::HashMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so read after the
        // last `)`.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, tail)| tail.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent_of.insert(pid, ppid);
        }
    }
    let me = std::process::id();
    let descends_from_me = |mut pid: u32| {
        // Bounded: a parent chain is never longer than the process table.
        for _ in 0..parent_of.len() {
            match parent_of.get(&pid) {
                Some(&parent) if parent == me => return true,
                Some(&parent) if parent > 1 && parent != pid => pid = parent,
                _ => return false,
            }
        }
        false
    };
    for &pid in parent_of.keys() {
        if pid != me && descends_from_me(pid) {
            // SAFETY: kill(2) with a pid read from /proc and a plain signal number touches no
            // memory of ours; at worst it fails with ESRCH for a process that already ended.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGKILL);
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn end_credential_plugins() {}

/// `v1.31.2-eks-1234` → `1.31.2`; falls back to `major.minor`.
fn version_of(info: &k8s_openapi::apimachinery::pkg::version::Info) -> String {
    let git = info.git_version.trim_start_matches('v');
    let core: String = git.split(['-', '+']).next().unwrap_or_default().to_string();
    if core.split('.').count() >= 2 {
        core
    } else {
        format!(
            "{}.{}",
            info.major,
            info.minor.trim_end_matches(|c: char| !c.is_ascii_digit())
        )
    }
}

/// Turns a failed first request into a sentence.
fn classify(context: &str, server: &str, e: &kube::Error) -> ConnectError {
    match e {
        kube::Error::Api(status) if status.code == 401 => ConnectError::Unauthorized {
            context: context.into(),
        },
        kube::Error::Api(status) => ConnectError::Refused {
            context: context.into(),
            code: status.code,
            message: refusal(server, status.code, &status.message),
        },
        kube::Error::Auth(auth) => ConnectError::Config {
            context: context.into(),
            message: format!("cannot get credentials: {auth}"),
        },
        other => ConnectError::Unreachable {
            context: context.into(),
            server: server.into(),
            message: root_cause(other),
        },
    }
}

/// What a refusal of `GET /version` says, as one line: the server's own words (cut short, as
/// an HTML error page can be long), or, when it said nothing, what the code means here.
fn refusal(server: &str, code: u16, message: &str) -> String {
    let words: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    const MAX: usize = 200;
    let words = if words.chars().count() > MAX {
        format!("{}…", words.chars().take(MAX).collect::<String>())
    } else {
        words
    };
    let reason = http::StatusCode::from_u16(code)
        .ok()
        .and_then(|c| c.canonical_reason())
        .unwrap_or("error");
    let hint = match code {
        404 => format!("; every Kubernetes API server serves /version, so {server} is probably not one: check the server address in the kubeconfig"),
        403 => "; the credentials may not read /version: ask for the shipshape-reader role (deploy/rbac.yaml)".into(),
        _ => String::new(),
    };
    if words.is_empty() {
        format!("{reason}, with no explanation{hint}")
    } else {
        format!("{reason}: {words}{hint}")
    }
}

/// The innermost error's text: "Connection refused (os error 111)" rather than a chain of
/// wrappers.
pub fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    let text = cur.to_string();
    if text.is_empty() {
        e.to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::version::Info;

    #[test]
    fn version_strips_vendor_suffixes() {
        let info = Info {
            git_version: "v1.31.2-eks-7f9249a".into(),
            major: "1".into(),
            minor: "31+".into(),
            ..Default::default()
        };
        assert_eq!(version_of(&info), "1.31.2");
        let bare = Info {
            git_version: "".into(),
            major: "1".into(),
            minor: "29+".into(),
            ..Default::default()
        };
        assert_eq!(version_of(&bare), "1.29");
    }

    #[test]
    fn missing_context_names_the_known_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'http://127.0.0.1:1'}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: prod\n  context: {cluster: c, user: u}\n- name: staging\n  context: {cluster: c, user: u}\ncurrent-context: prod\n",
        )
        .unwrap();
        let options = ConnectOptions {
            kubeconfig: Some(path.clone()),
            context: Some("dev".into()),
            ..Default::default()
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = rt.block_on(connect(&options)).err().unwrap();
        assert_eq!(
            err.to_string(),
            "context \"dev\" is not in the kubeconfig; known contexts: prod, staging"
        );
        let (names, current) = contexts(&options).unwrap();
        assert_eq!(names, vec!["prod", "staging"]);
        assert_eq!(current.as_deref(), Some("prod"));
    }

    #[test]
    fn unreachable_server_is_a_sentence_not_a_hang() {
        // Port 1 on loopback refuses at once.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'http://127.0.0.1:1'}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: prod\n  context: {cluster: c, user: u}\ncurrent-context: prod\n",
        )
        .unwrap();
        let options = ConnectOptions {
            kubeconfig: Some(path),
            ..Default::default()
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = rt.block_on(connect(&options)).err().unwrap();
        let text = err.to_string();
        assert!(
            matches!(err, ConnectError::Unreachable { .. }),
            "unexpected: {text}"
        );
        assert!(
            text.starts_with("cannot reach the API server of \"prod\" at http://127.0.0.1:1"),
            "{text}"
        );
    }
}
