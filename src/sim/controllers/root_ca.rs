//! kube-controller-manager's root CA publisher: every namespace holds the
//! ConfigMap `kube-root-ca.crt` with the cluster's CA bundle (what a pod's
//! service account volume mounts as `ca.crt`). It is created when the
//! namespace appears and put back when it is deleted or changed.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::sim::cluster::Cluster;
use crate::sim::object::Object;

pub const CONFIG_MAP: &str = "kube-root-ca.crt";

const DESCRIPTION_ANNOTATION: &str = "kubernetes.io/description";
const DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

/// The cluster's CA bundle. The simulated apiserver checks no certificates,
/// so this one says what it is instead of pretending to be one.
pub fn ca_bundle() -> String {
    const BODY: &str = "c3RzcGxheSBzaW11bGF0ZWQgY2x1c3RlciBDQSAobm90IGEgcmVhbCBjZXJ0aWZpY2F0ZSk";
    format!("-----BEGIN CERTIFICATE-----\n{BODY}\n-----END CERTIFICATE-----\n")
}

/// The ConfigMap as the publisher writes it into `namespace`.
pub fn config_map(namespace: &str) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(CONFIG_MAP.to_string()),
            namespace: Some(namespace.to_string()),
            annotations: Some(description()),
            ..Default::default()
        },
        data: Some(data()),
        ..Default::default()
    }
}

fn data() -> BTreeMap<String, String> {
    BTreeMap::from([("ca.crt".to_string(), ca_bundle())])
}

fn description() -> BTreeMap<String, String> {
    BTreeMap::from([(DESCRIPTION_ANNOTATION.to_string(), DESCRIPTION.to_string())])
}

/// Makes sure `namespace` holds the ConfigMap with the bundle and its
/// description (other annotations and labels a user added stay).
pub fn sync(cluster: &mut Cluster, namespace: &str) {
    let active = cluster
        .store
        .get_typed::<Namespace>("", namespace)
        .is_some_and(|ns| ns.metadata.deletion_timestamp.is_none());
    if !active {
        return;
    }
    let Some(existing) = cluster
        .store
        .get_typed::<ConfigMap>(namespace, CONFIG_MAP)
        .cloned()
    else {
        let _ = cluster.create(Object::ConfigMap(Box::new(config_map(namespace))));
        return;
    };
    let described = existing
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(DESCRIPTION_ANNOTATION))
        .is_some_and(|d| !d.is_empty());
    if existing.data.as_ref() == Some(&data()) && described {
        return;
    }
    let mut fixed = existing;
    fixed.data = Some(data());
    fixed
        .metadata
        .annotations
        .get_or_insert_with(BTreeMap::new)
        .extend(description());
    cluster.write(Object::ConfigMap(Box::new(fixed)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::clock::MINUTE;
    use crate::sim::cluster::DeleteOptions;
    use crate::sim::object::{Kind, ObjectKey};

    fn published(cluster: &Cluster, namespace: &str) -> Option<ConfigMap> {
        cluster
            .store
            .get_typed::<ConfigMap>(namespace, CONFIG_MAP)
            .cloned()
    }

    #[test]
    fn every_namespace_holds_the_bundle_and_gets_it_back() {
        let mut cluster = Cluster::new(5);
        for namespace in [
            "default",
            "kube-system",
            "kube-public",
            "kube-node-lease",
            "local-path-storage",
        ] {
            let map = published(&cluster, namespace).expect("published at start");
            assert_eq!(
                map.data.as_ref().and_then(|d| d.get("ca.crt")),
                Some(&ca_bundle())
            );
        }

        let shop = serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}});
        let shop = Object::from_json(Kind::Namespace, shop).expect("decodes");
        assert!(cluster.create(shop).is_ok());
        assert!(cluster.run_until_settled(MINUTE));
        assert!(
            published(&cluster, "shop").is_some(),
            "a new namespace gets one"
        );

        let key = ObjectKey::new(Kind::ConfigMap, "default", CONFIG_MAP);
        assert!(cluster.delete(&key, &DeleteOptions::default()).is_ok());
        assert!(cluster.run_until_settled(MINUTE));
        assert!(
            published(&cluster, "default").is_some(),
            "a deleted one comes back"
        );

        let mut changed = published(&cluster, "default").expect("there");
        changed.data = Some(BTreeMap::from([("ca.crt".to_string(), "mine".to_string())]));
        changed.metadata.labels = Some(BTreeMap::from([("kept".to_string(), "yes".to_string())]));
        assert!(cluster.update(Object::ConfigMap(Box::new(changed))).is_ok());
        assert!(cluster.run_until_settled(MINUTE));
        let fixed = published(&cluster, "default").expect("there");
        assert_eq!(fixed.data, Some(data()), "its data is put back");
        assert!(fixed
            .metadata
            .labels
            .is_some_and(|l| l.contains_key("kept")));
    }
}
