//! StatefulSet status, computed exactly as the controller does (§1.9).

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet, StatefulSetStatus};

use super::stateful_cache::Counts;
use crate::sim::cluster::Cluster;
use crate::sim::object::Object;

/// computeReplicaStatus: the pass's counts (judged with the set's
/// minReadySeconds) and revisions.
pub fn compute_status(
    set: &StatefulSet,
    counts: &Counts,
    current: &ControllerRevision,
    update: &ControllerRevision,
    collision_count: i32,
) -> StatefulSetStatus {
    StatefulSetStatus {
        observed_generation: set.metadata.generation,
        collision_count: Some(collision_count),
        current_revision: Some(current.metadata.name.clone().unwrap_or_default()),
        update_revision: Some(update.metadata.name.clone().unwrap_or_default()),
        replicas: counts.replicas,
        ready_replicas: Some(counts.ready),
        available_replicas: Some(counts.available),
        current_replicas: Some(counts.current),
        updated_replicas: Some(counts.updated),
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
    cluster.write(Object::StatefulSet(Box::new(updated)));
}
