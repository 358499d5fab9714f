//! What the kubelet reads from ConfigMaps when it creates a container: the
//! environment it names with `envFrom` and `valueFrom.configMapKeyRef`
//! (makeEnvironmentVariables). Something missing stops the container from
//! being created (CreateContainerConfigError) until a later sync finds it.
//! Secrets are not simulated, so references to them are not checked.

use k8s_openapi::api::core::v1::{ConfigMap, Container, Pod};

use crate::sim::store::Store;

/// Why each container that cannot be created now cannot: (container, error).
pub fn config_errors(store: &Store, pod: &Pod) -> Vec<(String, String)> {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    let containers = pod.spec.iter().flat_map(|s| s.containers.iter());
    containers
        .filter_map(|c| Some((c.name.clone(), first_error(store, namespace, c)?)))
        .collect()
}

/// The first missing reference, `envFrom` before `env`, as kubelet reads them.
fn first_error(store: &Store, namespace: &str, container: &Container) -> Option<String> {
    let map = |name: &str| store.get_typed::<ConfigMap>(namespace, name);
    let not_found = |name: &str| format!("configmap \"{name}\" not found");
    for source in container.env_from.iter().flatten() {
        let Some(reference) = &source.config_map_ref else {
            continue;
        };
        if reference.optional != Some(true) && map(&reference.name).is_none() {
            return Some(not_found(&reference.name));
        }
    }
    for var in container.env.iter().flatten() {
        let Some(key) = var
            .value_from
            .as_ref()
            .and_then(|v| v.config_map_key_ref.as_ref())
        else {
            continue;
        };
        if key.optional == Some(true) {
            continue;
        }
        let Some(found) = map(&key.name) else {
            return Some(not_found(&key.name));
        };
        if !found
            .data
            .as_ref()
            .is_some_and(|d| d.contains_key(&key.key))
        {
            return Some(format!(
                "couldn't find key {} in ConfigMap {namespace}/{}",
                key.key, key.name
            ));
        }
    }
    None
}
