//! kube-controller-manager's service account controller: every namespace
//! has a `default` ServiceAccount, made when the namespace appears and again
//! when it is deleted. Pods name it unless they name another
//! (`spec.serviceAccountName`), and the apiserver refuses a pod whose
//! account is not there.

use k8s_openapi::api::core::v1::{Namespace, Pod, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::sim::cluster::Cluster;
use crate::sim::errors::ApiError;
use crate::sim::object::Object;
use crate::sim::pods;

pub const DEFAULT: &str = "default";

/// The `default` account of `namespace`.
pub fn default_account(namespace: &str) -> ServiceAccount {
    ServiceAccount {
        metadata: ObjectMeta {
            name: Some(DEFAULT.to_string()),
            namespace: Some(namespace.to_string()),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Makes sure an active `namespace` has its `default` account.
pub fn sync(cluster: &mut Cluster, namespace: &str) {
    let active = cluster
        .store
        .get_typed::<Namespace>("", namespace)
        .is_some_and(|ns| ns.metadata.deletion_timestamp.is_none());
    let missing = cluster
        .store
        .get_typed::<ServiceAccount>(namespace, DEFAULT)
        .is_none();
    if active && missing {
        let _ = cluster.create(Object::ServiceAccount(Box::new(default_account(namespace))));
    }
}

/// The ServiceAccount admission plugin: the pod's account must exist. The
/// `default` one is not looked up: the controller makes it within
/// milliseconds of its namespace (or of its deletion), so on a real cluster
/// the next command finds it, while here commands of a script run at one
/// instant and would not.
pub fn admit(cluster: &Cluster, pod: &Pod) -> Result<(), ApiError> {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    let account = pod
        .spec
        .as_ref()
        .and_then(|s| s.service_account_name.as_deref())
        .filter(|a| !a.is_empty())
        .unwrap_or(DEFAULT);
    if account == DEFAULT
        || pods::is_mirror(pod)
        || cluster
            .store
            .get_typed::<ServiceAccount>(namespace, account)
            .is_some()
    {
        return Ok(());
    }
    Err(ApiError::forbidden(format!(
        "pods \"{}\" is forbidden: error looking up service account {namespace}/{account}: serviceaccount \"{account}\" not found",
        pod.metadata.name.as_deref().unwrap_or("")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::clock::MINUTE;
    use crate::sim::cluster::DeleteOptions;
    use crate::sim::object::{Kind, ObjectKey};

    fn pod(account: &str) -> Object {
        let manifest = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "namespace": "default"},
            "spec": {"serviceAccountName": account, "containers": [{"name": "c", "image": "nginx"}]}
        });
        Object::from_json(Kind::Pod, manifest).expect("decodes")
    }

    #[test]
    fn a_pod_needs_its_account_and_every_namespace_keeps_a_default_one() {
        let mut cluster = Cluster::new(4);
        let refused = cluster.create(pod("builder")).expect_err("no such account");
        assert_eq!(
            refused.kubectl_text().trim_end(),
            "Error from server (Forbidden): pods \"p\" is forbidden: error looking up service account default/builder: serviceaccount \"builder\" not found"
        );
        let account = ServiceAccount {
            metadata: ObjectMeta {
                name: Some("builder".to_string()),
                namespace: Some("default".to_string()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(cluster
            .create(Object::ServiceAccount(Box::new(account)))
            .is_ok());
        assert!(cluster.create(pod("builder")).is_ok());

        let key = ObjectKey::new(Kind::ServiceAccount, "default", DEFAULT);
        assert!(cluster.delete(&key, &DeleteOptions::default()).is_ok());
        assert!(cluster.run_until_settled(MINUTE));
        assert!(
            cluster.store.get(&key).is_some(),
            "the controller makes it again"
        );
    }
}
