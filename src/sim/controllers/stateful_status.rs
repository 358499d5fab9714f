//! StatefulSet status, computed exactly as the controller does (§1.9), and
//! availability timing for minReadySeconds (§1.7).

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet, StatefulSetStatus};

use super::stateful_facts::PodFacts;
use crate::sim::clock::{millis_of, Millis, SECOND};
use crate::sim::cluster::Cluster;
use crate::sim::object::Object;
use crate::sim::pods;

/// computeReplicaStatus over `pods` (facts judged with the set's
/// minReadySeconds), with the pass's revisions.
pub fn compute_status(
    set: &StatefulSet,
    pods: &[PodFacts<'_>],
    current: &ControllerRevision,
    update: &ControllerRevision,
    collision_count: i32,
) -> StatefulSetStatus {
    let current_name = current.metadata.name.as_deref().unwrap_or("");
    let update_name = update.metadata.name.as_deref().unwrap_or("");
    let (mut replicas, mut ready, mut available, mut current_count, mut updated) = (0, 0, 0, 0, 0);
    for pod in pods {
        let created = !pod.phase.is_empty();
        if created {
            replicas += 1;
        }
        if pod.running_and_ready {
            ready += 1;
            if pod.available {
                available += 1;
            }
        }
        if created && !pod.terminating {
            let revision = pod.revision;
            if revision == current_name {
                current_count += 1;
            }
            if revision == update_name {
                updated += 1;
            }
        }
    }
    StatefulSetStatus {
        observed_generation: set.metadata.generation,
        collision_count: Some(collision_count),
        current_revision: Some(current_name.to_string()),
        update_revision: Some(update_name.to_string()),
        replicas,
        ready_replicas: Some(ready),
        available_replicas: Some(available),
        current_replicas: Some(current_count),
        updated_replicas: Some(updated),
        ..Default::default()
    }
}

/// completeRollingUpdate: once every replica is updated and ready, the
/// update revision becomes current.
pub fn complete_rolling_update(set: &StatefulSet, status: &mut StatefulSetStatus) {
    let spec = set.spec.as_ref();
    let rolling = spec
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|u| u.type_.as_deref())
        == Some("RollingUpdate");
    let wanted = spec.and_then(|s| s.replicas).unwrap_or(1);
    let updated = status.updated_replicas.unwrap_or(0);
    if rolling
        && updated == wanted
        && status.ready_replicas.unwrap_or(0) == wanted
        && status.replicas == wanted
    {
        status.current_revision = status.update_revision.clone();
        status.current_replicas = Some(updated);
    }
}

/// Writes the status if it changed (status writes never bump generation).
pub fn write_status(cluster: &mut Cluster, set: &StatefulSet, status: StatefulSetStatus) {
    if set.status.as_ref() == Some(&status) {
        return;
    }
    let mut updated = set.clone();
    updated.status = Some(status);
    cluster.write(Object::StatefulSet(updated));
}

/// When the next ready pod becomes available (Ready for more than
/// `min_ready` seconds), if one is waiting for that.
pub fn next_available_at(pods: &[PodFacts<'_>], min_ready: i32, now: Millis) -> Option<Millis> {
    let wait = Millis::try_from(min_ready.max(0)).unwrap_or(0) * SECOND;
    pods.iter()
        .filter(|p| p.running_and_ready && !p.available)
        .filter_map(|p| {
            pods::condition(p.pod, "Ready").and_then(|c| c.last_transition_time.as_ref())
        })
        .map(|since| millis_of(since) + wait + 1)
        .filter(|at| *at > now)
        .min()
}
