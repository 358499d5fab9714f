//! `endpoints.kubernetes.io/last-change-trigger-time`, as the endpoints
//! controllers' TriggerTimeTracker works it out: a Service's first sync
//! names its creation; later syncs name the earliest Ready transition among
//! the selected pods whose transition is newer than the last sync saw.
//! The state outlives the controllers' rebuilt views, as the tracker
//! outlives a Service update, so a copied cluster computes the same times.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Pod, Service};

use super::endpoints;
use super::endpoints_view::Changed;
use crate::sim::clock::{millis_of, timestamp, Millis};
use crate::sim::cluster::Cluster;
use crate::sim::object::Kind;
use crate::sim::pods;

pub const ANNOTATION: &str = "endpoints.kubernetes.io/last-change-trigger-time";

/// What the last sync of one Service saw.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    service: Millis,
    pods: BTreeMap<String, Millis>,
}

/// The trigger time for this sync of `service`, after `changed` pods; None
/// when nothing that counts changed (the annotation then goes).
pub fn compute(cluster: &mut Cluster, service: &Service, changed: &Changed) -> Option<Millis> {
    let namespace = service.metadata.namespace.clone().unwrap_or_default();
    let key = (
        namespace.clone(),
        service.metadata.name.clone().unwrap_or_default(),
    );
    let created = service
        .metadata
        .creation_timestamp
        .as_ref()
        .map_or(0, millis_of);
    let known = cluster.trigger_times.remove(&key);
    let first = known.is_none();
    let mut seen = known.unwrap_or_default();
    let names: Vec<String> = match changed {
        Changed::Pods(names) => names.iter().cloned().collect(),
        Changed::All => {
            // A rebuilt view reports every pod: start over from them.
            let before = std::mem::take(&mut seen.pods);
            let all: BTreeSet<String> = cluster
                .store
                .list_in(Kind::Pod, &namespace)
                .map(|o| o.name().to_string())
                .collect();
            seen.pods = before
                .into_iter()
                .filter(|(name, _)| all.contains(name))
                .collect();
            all.into_iter().collect()
        }
    };
    let mut earliest: Option<Millis> = None;
    for name in names {
        let pod = cluster
            .store
            .get_typed::<Pod>(&namespace, &name)
            .filter(|p| endpoints::selects(service, p));
        match pod.and_then(ready_transition) {
            Some(at) => {
                if seen.pods.get(&name).is_none_or(|&last| at > last) {
                    earliest = Some(earliest.map_or(at, |e| e.min(at)));
                }
                seen.pods.insert(name, at);
            }
            None => {
                seen.pods.remove(&name);
            }
        }
    }
    if created > seen.service {
        earliest = Some(earliest.map_or(created, |e| e.min(created)));
        seen.service = created;
    }
    cluster.trigger_times.insert(key, seen);
    if first {
        Some(created)
    } else {
        earliest
    }
}

/// The annotation's value: Go's RFC3339Nano (no fraction when it is zero).
pub fn format(at: Millis) -> String {
    timestamp(at).to_string()
}

/// When the pod's Ready condition last changed.
fn ready_transition(pod: &Pod) -> Option<Millis> {
    pods::condition(pod, "Ready")?
        .last_transition_time
        .as_ref()
        .map(millis_of)
}
