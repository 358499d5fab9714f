//! What the kubelet reads from ConfigMaps and Secrets when it creates a
//! container: the environment it names with `envFrom` and
//! `valueFrom.configMapKeyRef`/`secretKeyRef` (makeEnvironmentVariables).
//! Something missing stops the container from being created
//! (CreateContainerConfigError) until a later sync finds it.

use k8s_openapi::api::core::v1::{ConfigMap, Container, Pod, Secret};

use crate::sim::pod_containers;
use crate::sim::store::Store;

/// Why each container that cannot be created now cannot: (container,
/// error). The environment is made before the user is checked.
pub fn config_errors(store: &Store, pod: &Pod) -> Vec<(String, String)> {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    pod_containers::all(pod)
        .filter_map(|(_, c)| {
            let error =
                first_error(store, namespace, &c).or_else(|| super::non_root::refusal(pod, &c))?;
            Some((c.name.clone(), error))
        })
        .collect()
}

/// Where a value comes from: a ConfigMap or a Secret, as the kubelet names them.
#[derive(Clone, Copy)]
enum Source {
    ConfigMap,
    Secret,
}

impl Source {
    /// Whether the object exists, and if so whether it has `key`.
    fn lookup(self, store: &Store, namespace: &str, name: &str, key: &str) -> Option<bool> {
        match self {
            Source::ConfigMap => store
                .get_typed::<ConfigMap>(namespace, name)
                .map(|m| m.data.as_ref().is_some_and(|d| d.contains_key(key))),
            Source::Secret => store
                .get_typed::<Secret>(namespace, name)
                .map(|s| s.data.as_ref().is_some_and(|d| d.contains_key(key))),
        }
    }

    fn not_found(self, name: &str) -> String {
        match self {
            Source::ConfigMap => format!("configmap \"{name}\" not found"),
            Source::Secret => format!("secret \"{name}\" not found"),
        }
    }

    fn title(self) -> &'static str {
        match self {
            Source::ConfigMap => "ConfigMap",
            Source::Secret => "Secret",
        }
    }
}

/// The first missing reference, `envFrom` before `env`, as kubelet reads them.
fn first_error(store: &Store, namespace: &str, container: &Container) -> Option<String> {
    for from in container.env_from.iter().flatten() {
        let (source, name, optional) = match (&from.config_map_ref, &from.secret_ref) {
            (Some(map), _) => (Source::ConfigMap, &map.name, map.optional),
            (None, Some(secret)) => (Source::Secret, &secret.name, secret.optional),
            (None, None) => continue,
        };
        if optional != Some(true) && source.lookup(store, namespace, name, "").is_none() {
            return Some(source.not_found(name));
        }
    }
    for var in container.env.iter().flatten() {
        let Some(from) = var.value_from.as_ref() else {
            continue;
        };
        let (source, name, key, optional) = match (&from.config_map_key_ref, &from.secret_key_ref) {
            (Some(r), _) => (Source::ConfigMap, &r.name, &r.key, r.optional),
            (None, Some(r)) => (Source::Secret, &r.name, &r.key, r.optional),
            (None, None) => continue,
        };
        if optional == Some(true) {
            continue;
        }
        match source.lookup(store, namespace, name, key) {
            None => return Some(source.not_found(name)),
            Some(false) => {
                return Some(format!(
                    "couldn't find key {key} in {} {namespace}/{name}",
                    source.title()
                ))
            }
            Some(true) => {}
        }
    }
    None
}
