//! What happens to a volume whose claim is gone: it is Released, and with
//! reclaim policy Delete deleted by what can delete it (kind's provisioner
//! for its volumes, the in-tree hostPath deleter for others).

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeStatus};

use super::local_path::{running_provisioner, PROVISIONED_BY};
use super::provisioner_log;
use super::scheduler::volume_node;
use super::volume_bind::{rewrite, set_phase, stored_volume};
use super::volumes::report;
use crate::sim::clock::time;
use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::events::EventKind;
use crate::sim::object::{Kind, ObjectKey};

/// A claim is gone: release the volumes bound to it.
pub fn reclaim(cluster: &mut Cluster, namespace: &str, claim_name: &str) {
    let released: Vec<PersistentVolume> = cluster
        .index
        .volumes
        .claimed_by(namespace, claim_name)
        .iter()
        .filter_map(|name| cluster.store.get_typed::<PersistentVolume>("", name))
        .filter(|pv| pv.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound"))
        .cloned()
        .collect();
    for pv in released {
        release(cluster, pv);
    }
}

/// The volume's claim is gone: it is Released, and deleted too when its
/// reclaim policy says so and its provisioner can wipe it.
pub fn release(cluster: &mut Cluster, pv: PersistentVolume) {
    let name = pv.metadata.name.clone().unwrap_or_default();
    let policy = pv
        .spec
        .as_ref()
        .and_then(|s| s.persistent_volume_reclaim_policy.clone());
    let provisioned_by_local_path = pv
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(PROVISIONED_BY))
        .is_some_and(|p| p == provisioner_log::NAME);
    let (node, path) = placed(&pv);
    set_phase(cluster, &pv, "Released");
    if policy.as_deref() != Some("Delete") {
        return;
    }
    if provisioned_by_local_path {
        // The provisioner runs a helper pod to wipe the directory first.
        if let Some(provisioner) = running_provisioner(cluster, provisioner_log::NAME) {
            provisioner.deleting(cluster, &name, &node, &path);
        }
        let delay = cluster.jitter(1_500, 3_000);
        cluster.enqueue(Task::DeleteVolume(name), delay);
    } else if pv.spec.as_ref().is_some_and(|s| s.host_path.is_some()) {
        delete_host_path(cluster, &name, &path);
    }
}

/// The in-tree hostPath deleter, which only removes directories under /tmp
/// (its regexp `/tmp/.+`, unanchored); any other path fails the volume
/// (deleteVolumeOperation's VolumeFailedDelete).
fn delete_host_path(cluster: &mut Cluster, name: &str, path: &str) {
    let under_tmp = path
        .match_indices("/tmp/")
        .any(|(at, _)| path.len() > at + 5);
    if under_tmp {
        let key = ObjectKey::new(Kind::PersistentVolume, "", name);
        let _ = cluster.delete(&key, &DeleteOptions::default());
        return;
    }
    let message = format!("host_path deleter only supports /tmp/.+ but received provided {path}");
    let Some(object) = stored_volume(cluster, name) else {
        return;
    };
    let Some(pv) = object.as_typed::<PersistentVolume>() else {
        return;
    };
    let now = time(cluster.now());
    let failed = message.clone();
    rewrite(cluster, pv, |pv| {
        let status = pv
            .status
            .get_or_insert_with(PersistentVolumeStatus::default);
        status.phase = Some("Failed".to_string());
        status.message = Some(failed);
        status.last_phase_transition_time = Some(now);
    });
    report(
        cluster,
        &object,
        EventKind::Warning,
        "VolumeFailedDelete",
        message,
    );
}

/// The provisioner finished wiping a released volume: delete it.
pub fn delete_released(cluster: &mut Cluster, name: &str) {
    let Some((node, path)) = cluster
        .store
        .get_typed::<PersistentVolume>("", name)
        .filter(|pv| pv.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Released"))
        .map(placed)
    else {
        return;
    };
    let key = ObjectKey::new(Kind::PersistentVolume, "", name);
    if cluster.delete(&key, &DeleteOptions::default()).is_err() {
        return;
    }
    if let Some(provisioner) = running_provisioner(cluster, provisioner_log::NAME) {
        provisioner.deleted(cluster, name, &node, &path);
    }
}

/// The node and directory of a local-path volume.
fn placed(pv: &PersistentVolume) -> (String, String) {
    let path = pv
        .spec
        .as_ref()
        .and_then(|s| s.host_path.as_ref())
        .map(|h| h.path.clone())
        .unwrap_or_default();
    (volume_node(pv).unwrap_or_default(), path)
}
