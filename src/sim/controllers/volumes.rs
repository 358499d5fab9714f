//! The PersistentVolume controller: binds claims to volumes, hands the
//! claims it cannot bind to their class's provisioner (see `local_path`),
//! moves volumes through their phases and reclaims them when their claim
//! is gone.
//!
//! Like the real one it syncs a claim whenever the claim changes and, while
//! any claim is unbound, every 15 s (its resync period), and it records its
//! Events on every sync: a claim that waits shows them counting up, and a
//! provisioned one shows ExternalProvisioning twice (once when it is handed
//! over, once for its own annotation write).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
use k8s_openapi::api::storage::v1::StorageClass;

use super::scheduler::SELECTED_NODE;
use super::volume_bind::{bind, has_annotation, rewrite, set_phase, stored_volume};
use super::volume_match::{best_match, claim_class, is_bound_to, mismatch, Matcher};
use super::volume_reclaim::{reclaim, release};
use crate::sim::clock::{Millis, SECOND};
use crate::sim::cluster::{Cluster, Task};
use crate::sim::events::{record, EventKind, Source};
use crate::sim::explain::Reason as Why;
use crate::sim::object::{Kind, Object};

/// The annotation naming the provisioner a claim waits for (and its beta twin).
pub const STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
const BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
pub const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
pub const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";

/// `--pvclaimbinder-sync-period`'s default.
const RESYNC_PERIOD: Millis = 15 * SECOND;

/// Whether the class delays binding until a pod uses the claim.
pub fn is_waiting_for_first_consumer(class: &StorageClass) -> bool {
    class.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer")
}

/// IsDelayBindingMode: the claim's class exists and waits for a consumer.
pub fn delays_binding(cluster: &Cluster, claim: &PersistentVolumeClaim) -> bool {
    let class = claim_class(claim);
    !class.is_empty()
        && cluster
            .store
            .get_typed::<StorageClass>("", class)
            .is_some_and(is_waiting_for_first_consumer)
}

/// How long a claim change takes to reach the controller's claim queue: a
/// few milliseconds, less than the scheduler takes to place a pod (20 ms
/// and more here), so a StatefulSet's new claim is synced before the
/// scheduler picks a node for its pod, and says WaitForFirstConsumer first.
const CLAIM_QUEUE_DELAY: Millis = 10;

/// Queues a claim's sync. One worker drains the claim queue in the order
/// the claims were added, so claims sync first come, first served: of two
/// claims made together, the first gets the volume both could take.
pub fn queue_claim(cluster: &mut Cluster, namespace: String, name: String) {
    cluster.enqueue(Task::SyncClaim(namespace, name), CLAIM_QUEUE_DELAY);
}

/// deleteVolume: a claim still bound to the deleted volume is synced at
/// once, so it turns Lost without waiting for a resync.
pub fn volume_deleted(cluster: &mut Cluster, pv: &PersistentVolume) {
    let Some(claim_ref) = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref()) else {
        return;
    };
    let namespace = claim_ref.namespace.clone().unwrap_or_default();
    let name = claim_ref.name.clone().unwrap_or_default();
    let still_bound = cluster
        .store
        .get_typed::<PersistentVolumeClaim>(&namespace, &name)
        .and_then(|c| c.spec.as_ref()?.volume_name.as_deref())
        .is_some_and(|v| Some(v) == pv.metadata.name.as_deref());
    if still_bound {
        queue_claim(cluster, namespace, name);
    }
}

/// syncClaim.
pub fn sync_claim(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(object) = cluster
        .store
        .get_named(Kind::PersistentVolumeClaim, namespace, name)
        .cloned()
    else {
        explain(cluster, name, None);
        reclaim(cluster, namespace, name);
        return;
    };
    let Some(claim) = object.as_typed::<PersistentVolumeClaim>() else {
        return;
    };
    if claim.metadata.deletion_timestamp.is_some() {
        explain(cluster, name, None);
        return;
    }
    if let Some(volume) = claim.spec.as_ref().and_then(|s| s.volume_name.clone()) {
        sync_named_claim(cluster, &object, claim, &volume);
        return;
    }
    let delay_binding = delays_binding(cluster, claim);
    if let Some(pv) = best_match(cluster, claim, Matcher::Controller { delay_binding }) {
        if let Some(pv) = pv.as_typed::<PersistentVolume>() {
            bind(cluster, pv, claim);
        }
        return;
    }
    let node_selected = has_annotation(&claim.metadata, SELECTED_NODE);
    let class_name = claim_class(claim);
    let why = if delay_binding && !node_selected {
        let (reason, message) = waiting_for(cluster, claim);
        report(cluster, &object, EventKind::Normal, reason, message);
        Why::ClaimAwaitConsumer {
            claim: name.to_string(),
        }
    } else if class_name.is_empty() {
        report(
            cluster,
            &object,
            EventKind::Normal,
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set"
                .to_string(),
        );
        Why::ClaimUnbindable {
            claim: name.to_string(),
            class: None,
            provisioner: None,
        }
    } else {
        provision_claim(cluster, &object, claim, class_name)
    };
    explain(cluster, name, Some(why));
    schedule_resync(cluster);
}

/// What the Why panel says of the claim: why it waits, nothing once bound.
pub fn explain(cluster: &mut Cluster, claim: &str, why: Option<Why>) {
    let (now, subject) = (cluster.now(), format!("persistentvolumeclaim/{claim}"));
    let controller = Source::PV_CONTROLLER.component;
    cluster.explanations.update(now, controller, subject, why);
}

/// A claim that names its volume: bound before (syncBoundClaim: finish or
/// keep the binding, or find the volume lost), or asking for that volume
/// (syncUnboundClaim's second half).
fn sync_named_claim(
    cluster: &mut Cluster,
    object: &Object,
    claim: &PersistentVolumeClaim,
    volume: &str,
) {
    let bound_before = has_annotation(&claim.metadata, BIND_COMPLETED);
    let pv_object = stored_volume(cluster, volume);
    let Some(pv) = pv_object
        .as_deref()
        .and_then(|o| o.as_typed::<PersistentVolume>())
    else {
        if bound_before {
            let message = "Bound claim has lost its PersistentVolume. Data on the volume is lost!";
            lose(cluster, object, claim, "ClaimLost", message);
        } else {
            // A volume that does not exist (yet): try again at the resync.
            schedule_resync(cluster);
        }
        return;
    };
    let claimed = pv
        .spec
        .as_ref()
        .and_then(|s| s.claim_ref.as_ref())
        .is_some();
    if is_bound_to(pv, claim) || (bound_before && !claimed) {
        // Bound, or bound before and the volume came unbound: bind again.
        bind(cluster, pv, claim);
    } else if bound_before {
        let message = "Two claims are bound to the same volume, this one is bound incorrectly";
        lose(cluster, object, claim, "ClaimMisbound", message);
    } else if claimed {
        let message = format!("volume \"{volume}\" already bound to a different claim.");
        report(
            cluster,
            object,
            EventKind::Warning,
            "FailedBinding",
            message,
        );
        schedule_resync(cluster);
    } else if let Some(why) = mismatch(pv, claim) {
        let message = format!("Cannot bind to requested volume \"{volume}\": {why}");
        report(
            cluster,
            object,
            EventKind::Warning,
            "VolumeMismatch",
            message,
        );
        schedule_resync(cluster);
    } else {
        bind(cluster, pv, claim);
    }
}

/// updateClaimStatusWithEvent(Lost): the claim keeps its volume's name but
/// no longer reports the volume's capacity and access modes; the Warning
/// comes once, with the change of phase.
fn lose(
    cluster: &mut Cluster,
    object: &Object,
    claim: &PersistentVolumeClaim,
    reason: &str,
    message: &str,
) {
    let status = claim.status.as_ref();
    if status.and_then(|s| s.phase.as_deref()) == Some("Lost") {
        return;
    }
    rewrite(cluster, claim, |claim| {
        let status = claim.status.get_or_insert_with(Default::default);
        status.phase = Some("Lost".to_string());
        status.access_modes = None;
        status.capacity = None;
    });
    report(
        cluster,
        object,
        EventKind::Warning,
        reason,
        message.to_string(),
    );
}

/// How long a new pod takes to reach the PV controller's pod cache, as this
/// simulation queues work: the real controller syncs a new claim within a
/// millisecond, before the StatefulSet controller has created the pod that
/// uses it, where our queue runs the sync [`CLAIM_QUEUE_DELAY`] later.
const POD_CACHE_LAG: Millis = 100;

/// emitEventForUnboundDelayBindingClaim: what a claim with delayed binding
/// waits for, naming its pods when they exist but are not scheduled.
fn waiting_for(cluster: &Cluster, claim: &PersistentVolumeClaim) -> (&'static str, String) {
    let namespace = claim.metadata.namespace.as_deref().unwrap_or("");
    let name = claim.metadata.name.as_deref().unwrap_or("");
    let seen_by = cluster.now().saturating_sub(POD_CACHE_LAG);
    let unscheduled = cluster
        .index
        .unscheduled_claim_users(namespace, name, seen_by);
    match unscheduled.as_slice() {
        [] => (
            "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding".to_string(),
        ),
        [pod] => (
            "WaitForPodScheduled",
            format!("waiting for pod {pod} to be scheduled"),
        ),
        pods => (
            "WaitForPodScheduled",
            format!("waiting for pods {} to be scheduled", pods.join(",")),
        ),
    }
}

/// provisionClaim: an external provisioner is asked through the claim's
/// annotations, and the claim says so on every sync until it is bound.
fn provision_claim(
    cluster: &mut Cluster,
    object: &Object,
    claim: &PersistentVolumeClaim,
    class_name: &str,
) -> Why {
    let class = cluster
        .store
        .get_named(Kind::StorageClass, "", class_name)
        .cloned();
    let class = class.as_deref().and_then(|c| c.as_typed::<StorageClass>());
    let unbindable = |class: Option<&str>, provisioner: Option<&str>| Why::ClaimUnbindable {
        claim: object.name().to_string(),
        class: class.map(str::to_string),
        provisioner: provisioner.map(str::to_string),
    };
    let provisioner = match class {
        None => Err((
            format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
            unbindable(Some(class_name), None),
        )),
        // In-tree provisioners are gone; the plugin manager finds none
        // (VolumePluginMgr.FindPluginByName).
        Some(class) if class.provisioner.starts_with("kubernetes.io/") => Err((
            format!("no volume plugin matched name: {}", class.provisioner),
            unbindable(None, Some(&class.provisioner)),
        )),
        Some(class) => Ok(class.provisioner.as_str()),
    };
    let provisioner = match provisioner {
        Ok(provisioner) => provisioner,
        Err((message, why)) => {
            report(
                cluster,
                object,
                EventKind::Warning,
                "ProvisioningFailed",
                message,
            );
            return why;
        }
    };
    let annotated = claim
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.get(STORAGE_PROVISIONER).is_some_and(|p| p == provisioner));
    if !annotated {
        rewrite(cluster, claim, |claim| {
            let annotations = claim.metadata.annotations.get_or_insert_with(BTreeMap::new);
            for key in [BETA_STORAGE_PROVISIONER, STORAGE_PROVISIONER] {
                annotations.insert(key.to_string(), provisioner.to_string());
            }
        });
    }
    let message = format!("Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
    report(
        cluster,
        object,
        EventKind::Normal,
        "ExternalProvisioning",
        message,
    );
    Why::ClaimAwaitProvisioner {
        claim: object.name().to_string(),
        provisioner: provisioner.to_string(),
    }
}

/// The resync runs on the controller's own 15 s ticker (from when the
/// controller manager started). It is queued only while a claim is unbound:
/// resyncing bound claims shows nothing, and a cluster with nothing left to
/// bind still settles.
fn schedule_resync(cluster: &mut Cluster) {
    if cluster.index.volumes.unbound_claims().next().is_none() {
        cluster.dequeue(&Task::ResyncClaims);
        return;
    }
    let origin = cluster.started + crate::sim::bootstrap::CONTROLLERS_STARTED;
    let now = cluster.now();
    let ticks = now.saturating_sub(origin) / RESYNC_PERIOD + 1;
    let next = origin + ticks * RESYNC_PERIOD;
    cluster.enqueue(Task::ResyncClaims, next - now);
}

/// A claim changed: the resync is due only while some claim is unbound.
pub fn claim_changed(cluster: &mut Cluster) {
    if cluster.index.volumes.unbound_claims().next().is_none() {
        cluster.dequeue(&Task::ResyncClaims);
    }
}

/// The periodic resync: every unbound claim is synced again.
pub fn resync(cluster: &mut Cluster) {
    let unbound: Vec<(String, String)> = cluster
        .index
        .volumes
        .unbound_claims()
        .map(|(namespace, name)| (namespace.clone(), name.clone()))
        .collect();
    for (namespace, name) in unbound {
        cluster.enqueue(Task::SyncClaim(namespace, name), 0);
    }
}

/// syncVolume: a volume nobody claims is Available; one pre-bound to a
/// claim that is still unbound gets that claim synced at once (how a
/// provisioned volume gets bound without waiting for the resync); one whose
/// claim is gone is released.
pub fn sync_volume(cluster: &mut Cluster, name: &str) {
    let Some(object) = stored_volume(cluster, name) else {
        return;
    };
    let Some(pv) = object.as_typed::<PersistentVolume>() else {
        return;
    };
    if pv.metadata.deletion_timestamp.is_some() {
        return;
    }
    let phase = pv.status.as_ref().and_then(|s| s.phase.as_deref());
    let claim_ref = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref());
    let Some(claim_ref) = claim_ref.filter(|r| r.uid.as_deref().is_some_and(|u| !u.is_empty()))
    else {
        set_phase(cluster, pv, "Available");
        return;
    };
    let namespace = claim_ref.namespace.as_deref().unwrap_or("");
    let claim_name = claim_ref.name.as_deref().unwrap_or("");
    let claim = cluster
        .store
        .get_typed::<PersistentVolumeClaim>(namespace, claim_name)
        .filter(|c| c.metadata.uid == claim_ref.uid);
    match claim.map(|c| c.spec.as_ref().and_then(|s| s.volume_name.as_deref())) {
        None if !matches!(phase, Some("Released" | "Failed")) => release(cluster, pv.clone()),
        None => {}
        Some(None) => {
            queue_claim(cluster, namespace.to_string(), claim_name.to_string());
        }
        Some(Some(volume)) if volume == name => set_phase(cluster, pv, "Bound"),
        Some(Some(_)) => {}
    }
}

/// An Event from the PV controller about a claim or a volume.
pub fn report(
    cluster: &mut Cluster,
    about: &Object,
    kind: EventKind,
    reason: &str,
    message: String,
) {
    record(cluster, about, kind, reason, message, Source::PV_CONTROLLER);
}
