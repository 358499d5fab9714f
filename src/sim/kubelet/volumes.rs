//! The kubelet's volume manager, as far as a pod's ConfigMap and Secret
//! volumes go: the sandbox is not created until every one of them is mounted
//! (WaitForAttachAndMount), so a pod whose ConfigMap is missing stays in
//! ContainerCreating. Each failed mount records FailedMount and is tried
//! again after the operation executor's back-off: 500 ms, doubling, at most
//! 2m2s. A ConfigMap or Secret created meanwhile is mounted at the next try.

use k8s_openapi::api::core::v1::{ConfigMap, KeyToPath, Pod, Secret, Volume};

use crate::sim::clock::Millis;
use crate::sim::store::Store;

const FIRST_RETRY: Millis = 500;
const MAX_RETRY: Millis = 122_000;

/// Mounts still to do.
#[derive(Clone, Debug)]
pub struct Mounting {
    pub next_try: Millis,
    failures: u32,
    /// How long creating the sandbox takes once the volumes are there.
    sandbox_after: Millis,
}

impl Mounting {
    /// For a pod whose sandbox would be ready at `sandbox_at`; None when it
    /// has no ConfigMap or Secret volume to wait for.
    pub fn new(pod: &Pod, now: Millis, sandbox_at: Millis) -> Option<Mounting> {
        let volumes = pod.spec.as_ref().and_then(|s| s.volumes.as_ref());
        let waits = volumes.into_iter().flatten().any(|v| source(v).is_some());
        waits.then_some(Mounting {
            next_try: now,
            failures: 0,
            sandbox_after: sandbox_at.saturating_sub(now),
        })
    }

    /// A failed try: when the next one is.
    pub fn failed(&mut self, now: Millis) {
        let delay = FIRST_RETRY
            .saturating_mul(1 << self.failures.min(20))
            .min(MAX_RETRY);
        self.failures += 1;
        self.next_try = now + delay;
    }

    /// When the sandbox is ready, the volumes mounted at `now`.
    pub fn sandbox_at(&self, now: Millis) -> Millis {
        now + self.sandbox_after
    }
}

/// A volume the kubelet fills from an API object: whether it comes from a
/// Secret, the object's name and the keys it picks; None for other volumes
/// and optional ones, which never hold a pod up.
fn source(volume: &Volume) -> Option<(bool, &str, Option<&Vec<KeyToPath>>)> {
    if let Some(map) = volume
        .config_map
        .as_ref()
        .filter(|m| m.optional != Some(true))
    {
        return Some((false, &map.name, map.items.as_ref()));
    }
    let secret = volume
        .secret
        .as_ref()
        .filter(|s| s.optional != Some(true))?;
    let name = secret.secret_name.as_deref().unwrap_or("");
    Some((true, name, secret.items.as_ref()))
}

/// Why the pod's ConfigMap and Secret volumes cannot be mounted now, one
/// FailedMount message per volume; empty when they all can.
pub fn mount_failures(store: &Store, pod: &Pod) -> Vec<String> {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    let volumes = pod.spec.as_ref().and_then(|s| s.volumes.as_ref());
    volumes
        .into_iter()
        .flatten()
        .filter_map(|volume| {
            let (secret, name, items) = source(volume)?;
            let keys: Option<Vec<&String>> = if secret {
                store
                    .get_typed::<Secret>(namespace, name)
                    .map(|s| s.data.iter().flatten().map(|(k, _)| k).collect())
            } else {
                store.get_typed::<ConfigMap>(namespace, name).map(|m| {
                    let data = m.data.iter().flatten().map(|(k, _)| k);
                    data.chain(m.binary_data.iter().flatten().map(|(k, _)| k))
                        .collect()
                })
            };
            let problem = match (keys, secret) {
                (None, false) => format!("configmap \"{name}\" not found"),
                (None, true) => format!("secret \"{name}\" not found"),
                (Some(keys), _) => {
                    let missing = items
                        .into_iter()
                        .flatten()
                        .find(|i| !keys.contains(&&i.key))?;
                    let what = if secret {
                        "references non-existent secret key"
                    } else {
                        "configmap references non-existent config key"
                    };
                    format!("{what}: {}", missing.key)
                }
            };
            Some(format!(
                "MountVolume.SetUp failed for volume \"{}\" : {problem}",
                volume.name
            ))
        })
        .collect()
}
