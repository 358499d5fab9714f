//! The kubelet's volume manager, as far as a pod's ConfigMap volumes go:
//! the sandbox is not created until every one of them is mounted
//! (WaitForAttachAndMount), so a pod whose ConfigMap is missing stays in
//! ContainerCreating. Each failed mount records FailedMount and is tried
//! again after the operation executor's back-off: 500 ms, doubling, at most
//! 2m2s. A ConfigMap created meanwhile is mounted at the next try.

use k8s_openapi::api::core::v1::{ConfigMap, Pod};

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
    /// has no ConfigMap volume to wait for.
    pub fn new(pod: &Pod, now: Millis, sandbox_at: Millis) -> Option<Mounting> {
        let volumes = pod.spec.as_ref().and_then(|s| s.volumes.as_ref());
        let waits = volumes.into_iter().flatten().any(|v| {
            v.config_map
                .as_ref()
                .is_some_and(|c| c.optional != Some(true))
        });
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

/// Why the pod's ConfigMap volumes cannot be mounted now, one FailedMount
/// message per volume; empty when they all can.
pub fn mount_failures(store: &Store, pod: &Pod) -> Vec<String> {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    let volumes = pod.spec.as_ref().and_then(|s| s.volumes.as_ref());
    volumes
        .into_iter()
        .flatten()
        .filter_map(|volume| {
            let source = volume.config_map.as_ref()?;
            if source.optional == Some(true) {
                return None;
            }
            let problem = match store.get_typed::<ConfigMap>(namespace, &source.name) {
                None => format!("configmap \"{}\" not found", source.name),
                Some(map) => {
                    let has = |key: &str| {
                        map.data.as_ref().is_some_and(|d| d.contains_key(key))
                            || map
                                .binary_data
                                .as_ref()
                                .is_some_and(|d| d.contains_key(key))
                    };
                    let missing = source.items.iter().flatten().find(|i| !has(&i.key))?;
                    format!(
                        "configmap references non-existent config key: {}",
                        missing.key
                    )
                }
            };
            Some(format!(
                "MountVolume.SetUp failed for volume \"{}\" : {problem}",
                volume.name
            ))
        })
        .collect()
}
