//! `--read-tls-certs`: a watcher for `kubernetes.io/tls` Secrets only (field selector
//! `type=kubernetes.io/tls`), read in full because the certificate is in the data. Each Secret
//! is reduced to its certificate's `notAfter` here, as it arrives; the Secret itself (the PEM,
//! the key, every other field) is dropped and never reaches the model.

use super::watch::{status_code, PAGE_SIZE};
use crate::cluster::tls_certs::{pem_not_after, TlsMsg};
use crate::cluster::Msg;
use chrono::{DateTime, Utc};
use futures::stream::{self, StreamExt};
use k8s_openapi::api::core::v1::Secret;
use kube::api::ListParams;
use kube::runtime::{watcher, WatchStreamExt};
use kube::{Api, Client};
use std::collections::HashSet;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// The only Secrets read in full.
pub const TLS_SECRETS: &str = "type=kubernetes.io/tls";

/// The key of the certificate chain in a TLS Secret.
const CERT_KEY: &str = "tls.crt";

/// Starts the TLS Secret watcher over `namespaces` (all when empty).
pub fn spawn(client: &Client, namespaces: &[String], tx: UnboundedSender<Msg>) -> JoinHandle<()> {
    let apis: Vec<Api<Secret>> = if namespaces.is_empty() {
        vec![Api::all(client.clone())]
    } else {
        namespaces
            .iter()
            .map(|ns| Api::namespaced(client.clone(), ns))
            .collect()
    };
    tokio::spawn(run(apis, tx))
}

/// The certificate's expiry of one Secret, keyed by (namespace, name). Takes the Secret by
/// value: nothing of it outlives this call but the date.
pub fn expiry_of(secret: Secret) -> ((String, String), Result<DateTime<Utc>, String>) {
    let key = (
        secret.metadata.namespace.unwrap_or_default(),
        secret.metadata.name.unwrap_or_default(),
    );
    let not_after = match secret.data.as_ref().and_then(|d| d.get(CERT_KEY)) {
        Some(pem) => pem_not_after(&pem.0),
        None => Err(format!("the Secret has no {CERT_KEY}")),
    };
    (key, not_after)
}

fn upsert(tx: &UnboundedSender<Msg>, secret: Secret) -> (String, String) {
    let ((namespace, name), not_after) = expiry_of(secret);
    let _ = tx.send(Msg::TlsCert(TlsMsg::Upsert {
        namespace: namespace.clone(),
        name: name.clone(),
        not_after,
    }));
    (namespace, name)
}

fn remove(tx: &UnboundedSender<Msg>, (namespace, name): (String, String)) {
    let _ = tx.send(Msg::TlsCert(TlsMsg::Remove { namespace, name }));
}

/// What one watched scope has delivered, for relists.
#[derive(Default)]
struct Scope {
    known: HashSet<(String, String)>,
    relist: Option<HashSet<(String, String)>>,
    synced: bool,
}

async fn run(apis: Vec<Api<Secret>>, tx: UnboundedSender<Msg>) {
    // Probe first: a 403 is the answer, not something to retry forever.
    for api in &apis {
        let probe = ListParams::default().fields(TLS_SECRETS).limit(1);
        if let Err(kube::Error::Api(s)) = api.list_metadata(&probe).await {
            if s.code == 403 {
                let _ = tx.send(Msg::TlsCert(TlsMsg::Forbidden));
                return;
            }
        }
    }
    let config = watcher::Config::default()
        .fields(TLS_SECRETS)
        .page_size(PAGE_SIZE);
    let mut scopes: Vec<Scope> = apis.iter().map(|_| Scope::default()).collect();
    let mut events = stream::select_all(apis.into_iter().enumerate().map(|(i, api)| {
        watcher(api, config.clone())
            .default_backoff()
            .map(move |e| (i, e))
            .boxed()
    }));
    while let Some((i, event)) = events.next().await {
        let scope = &mut scopes[i];
        match event {
            Ok(watcher::Event::Init) => scope.relist = Some(HashSet::new()),
            Ok(watcher::Event::InitApply(secret)) => {
                let key = upsert(&tx, secret);
                scope.relist.get_or_insert_with(HashSet::new).insert(key);
            }
            Ok(watcher::Event::InitDone) => {
                let seen = scope.relist.take().unwrap_or_default();
                for gone in scope.known.difference(&seen) {
                    remove(&tx, gone.clone());
                }
                scope.known = seen;
                scope.synced = true;
                if scopes.iter().all(|s| s.synced) {
                    let _ = tx.send(Msg::TlsCert(TlsMsg::Synced));
                }
            }
            Ok(watcher::Event::Apply(secret)) => {
                let key = upsert(&tx, secret);
                scope.known.insert(key);
            }
            Ok(watcher::Event::Delete(secret)) => {
                let ((namespace, name), _) = expiry_of(secret);
                scope.known.remove(&(namespace.clone(), name.clone()));
                remove(&tx, (namespace, name));
            }
            Err(e) if status_code(&e) == Some(403) => {
                let _ = tx.send(Msg::TlsCert(TlsMsg::Forbidden));
                return;
            }
            // Anything else: the backoff retries, and the relist settles what was missed.
            Err(_) => {}
        }
        if tx.is_closed() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::ByteString;
    use std::collections::BTreeMap;

    #[test]
    fn a_secret_without_a_certificate_says_so_and_nothing_of_its_data() {
        let secret = Secret {
            metadata: kube::api::ObjectMeta {
                name: Some("shop-tls".into()),
                namespace: Some("shop".into()),
                ..Default::default()
            },
            data: Some(BTreeMap::from([(
                "tls.key".to_string(),
                ByteString(b"-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n".to_vec()),
            )])),
            type_: Some("kubernetes.io/tls".into()),
            ..Default::default()
        };
        let (key, not_after) = expiry_of(secret);
        assert_eq!(key, ("shop".to_string(), "shop-tls".to_string()));
        let why = not_after.unwrap_err();
        assert_eq!(why, "the Secret has no tls.crt");
    }
}
