//! Which version of its API group a kind is read at. Discovery decides by group: a cluster
//! whose Gateway API is still at `v1beta1` (or whose GRPCRoute is at `v1alpha2`) serves the
//! same objects in the same shape, so they are read there rather than reported as not served.

use super::watch::{consume, map_event, PAGE_SIZE};
use crate::cluster::{Kind, Msg, Object};
use futures::stream::StreamExt;
use kube::api::{ApiResource, DynamicObject};
use kube::runtime::{watcher, WatchStreamExt};
use kube::{Api, Client};
use std::collections::BTreeMap;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// The versions a kind can be read at, preferred first; every one has the shape of the first.
pub fn readable_versions(kind: Kind) -> Vec<&'static str> {
    match kind {
        Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute => vec!["v1", "v1beta1"],
        Kind::GRPCRoute => vec!["v1", "v1alpha2"],
        _ => vec![kind.version()],
    }
}

/// The version to read `kind` at, from the versions its group serves (discovery's `/apis`)
/// and, where known, the resources each of those versions serves (`/apis/{group}/{version}`):
/// `None` when the group is not served, or when it is and no version of it serves the kind
/// (its CRD is not installed).
pub fn version_to_read(
    kind: Kind,
    group_versions: &[String],
    resources: &BTreeMap<String, Option<Vec<String>>>,
) -> Option<&'static str> {
    let served: Vec<&'static str> = readable_versions(kind)
        .into_iter()
        .filter(|v| group_versions.iter().any(|g| g == v))
        .collect();
    let listed: Vec<(&'static str, &Vec<String>)> = served
        .iter()
        .filter_map(|v| resources.get(*v).and_then(|r| r.as_ref()).map(|r| (*v, r)))
        .collect();
    // Without every version's resource list, the group's preference decides.
    if listed.len() < served.len() {
        return served.first().copied();
    }
    listed
        .into_iter()
        .find(|(_, plurals)| plurals.iter().any(|p| p == kind.plural()))
        .map(|(v, _)| v)
}

/// Kinds that may be read at another version than [`Kind::version`].
pub fn has_alternatives(kind: Kind) -> bool {
    readable_versions(kind).len() > 1
}

/// The plurals `group/version` serves, or `None` when the server would not say.
pub async fn served_resources(client: &Client, group: &str, version: &str) -> Option<Vec<String>> {
    let list = client
        .list_api_group_resources(&format!("{group}/{version}"))
        .await
        .ok()?;
    Some(
        list.resources
            .into_iter()
            // Subresources (`gateways/status`) are not kinds.
            .filter(|r| !r.name.contains('/'))
            .map(|r| r.name)
            .collect(),
    )
}

/// Starts the watcher of `kind` at `version` (other than the one its typed object names): the
/// objects are read untyped and turned into the typed object, whose shape every readable
/// version shares.
pub fn spawn_at_version(
    kind: Kind,
    version: &'static str,
    client: &Client,
    namespaces: &[String],
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    let resource = ApiResource {
        group: kind.group().into(),
        version: version.into(),
        api_version: format!("{}/{version}", kind.group()),
        kind: kind.name().into(),
        plural: kind.plural().into(),
    };
    let apis: Vec<Api<DynamicObject>> = if !kind.namespaced() || namespaces.is_empty() {
        vec![Api::all_with(client.clone(), &resource)]
    } else {
        namespaces
            .iter()
            .map(|ns| Api::namespaced_with(client.clone(), ns, &resource))
            .collect()
    };
    tokio::spawn(run(kind, apis, tx))
}

async fn run(kind: Kind, apis: Vec<Api<DynamicObject>>, tx: UnboundedSender<Msg>) {
    // As for every kind, but a 404 here means the version is not served after all.
    if !super::watch::probe(kind, &apis, || Msg::NotServed(kind), &tx).await {
        return;
    }
    let config = watcher::Config::default().page_size(PAGE_SIZE);
    let streams = apis
        .into_iter()
        .map(|api| {
            watcher(api, config.clone())
                .default_backoff()
                .map(move |r| r.map(|e| map_event(e, |d| typed(kind, d))))
                .boxed()
        })
        .collect();
    consume(kind, streams, None, tx).await;
}

/// The typed object of an untyped one; one that does not fit the shape keeps its metadata, so
/// it is still counted and named.
fn typed(kind: Kind, object: DynamicObject) -> Object {
    let value = serde_json::to_value(&object).unwrap_or_default();
    Object::from_json(kind, &value).unwrap_or_else(|_| {
        let meta = serde_json::json!({ "metadata": value.get("metadata") });
        Object::from_json(kind, &meta).unwrap_or_else(|_| {
            let mut empty =
                Object::from_json(kind, &serde_json::json!({})).expect("every kind has defaults");
            *empty.metadata_mut() = object.metadata;
            empty
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_group_decides_and_the_newest_readable_version_wins() {
        let none = BTreeMap::new();
        assert_eq!(
            version_to_read(Kind::HTTPRoute, &strings(&["v1", "v1beta1"]), &none),
            Some("v1")
        );
        assert_eq!(
            version_to_read(Kind::HTTPRoute, &strings(&["v1beta1", "v1alpha2"]), &none),
            Some("v1beta1")
        );
        assert_eq!(
            version_to_read(Kind::GRPCRoute, &strings(&["v1beta1", "v1alpha2"]), &none),
            Some("v1alpha2")
        );
        assert_eq!(
            version_to_read(Kind::Gateway, &strings(&["v1alpha1"]), &none),
            None
        );
        assert_eq!(
            version_to_read(Kind::Deployment, &strings(&["v1"]), &none),
            Some("v1")
        );
    }

    #[test]
    fn a_kind_no_served_version_lists_is_not_served() {
        // The standard channel before GRPCRoute reached it: HTTPRoute served, GRPCRoute not.
        let resources: BTreeMap<String, Option<Vec<String>>> = [
            (
                "v1".to_string(),
                Some(strings(&[
                    "gatewayclasses",
                    "gateways",
                    "httproutes",
                    "gateways/status",
                ])),
            ),
            ("v1beta1".to_string(), Some(strings(&["httproutes"]))),
        ]
        .into_iter()
        .collect();
        let versions = strings(&["v1", "v1beta1"]);
        assert_eq!(
            version_to_read(Kind::HTTPRoute, &versions, &resources),
            Some("v1")
        );
        assert_eq!(
            version_to_read(Kind::GRPCRoute, &versions, &resources),
            None
        );
        // A version whose list could not be read: the group's preference decides.
        let unread: BTreeMap<String, Option<Vec<String>>> =
            [("v1".to_string(), None)].into_iter().collect();
        assert_eq!(
            version_to_read(Kind::GRPCRoute, &versions, &unread),
            Some("v1")
        );
    }

    #[test]
    fn an_untyped_object_becomes_the_typed_one() {
        let d: DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "HTTPRoute",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"parentRefs": [{"name": "public"}], "rules": [{"backendRefs": [{"name": "web", "port": 80}]}]}
        }))
        .unwrap();
        let Object::HTTPRoute(r) = typed(Kind::HTTPRoute, d) else {
            panic!("not an HTTPRoute");
        };
        assert_eq!(r.metadata.name.as_deref(), Some("web"));
        assert_eq!(r.spec.backend_refs().next().unwrap().port, Some(80));
        // A spec that does not fit keeps the object's name.
        let odd: DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "HTTPRoute",
            "metadata": {"name": "odd", "namespace": "shop"}, "spec": {"rules": "everything"}
        }))
        .unwrap();
        let o = typed(Kind::HTTPRoute, odd);
        assert_eq!(o.metadata().name.as_deref(), Some("odd"));
    }
}
