//! Binding a claim and a volume, as the PV controller's bind() does: the
//! volume's claimRef and phase, then the claim's volumeName, annotations
//! and status, each written only when it changes. The scheduler pre-binds
//! volumes through the same pieces.

use std::collections::BTreeMap;
use std::rc::Rc;

use k8s_openapi::api::core::v1::{
    ObjectReference, PersistentVolume, PersistentVolumeClaim, PersistentVolumeStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::volume_match::is_bound_to;
use super::volumes::{explain, BIND_COMPLETED, BOUND_BY_CONTROLLER};
use crate::sim::clock::{time, Millis};
use crate::sim::cluster::Cluster;
use crate::sim::object::{Kind, Object, Typed};

/// bind: the volume's claimRef, its phase, the claim's volumeName and
/// annotations, then the claim's status, each written only if it changes
/// (a bound claim's every sync binds again, and usually changes nothing).
pub fn bind(cluster: &mut Cluster, pv: &PersistentVolume, claim: &PersistentVolumeClaim) {
    let pv_name = pv.metadata.name.as_deref().unwrap_or("");
    let pre_bound = is_bound_to(pv, claim);
    let claim_ref = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref());
    let stale = !pre_bound || claim_ref.is_some_and(|r| r.uid != claim.metadata.uid);
    let Ok(stored_pv) = rewrite_if(cluster, pv, stale, |pv| {
        pv.spec.get_or_insert_with(Default::default).claim_ref = Some(claim_reference(claim));
        if !pre_bound {
            annotate_yes(&mut pv.metadata, BOUND_BY_CONTROLLER);
        }
    }) else {
        return;
    };
    let pv = latest(&stored_pv, pv);
    set_phase(cluster, pv, "Bound");
    let annotated = has_annotation(&claim.metadata, BIND_COMPLETED);
    let named = claim.spec.as_ref().and_then(|s| s.volume_name.as_deref()) == Some(pv_name);
    let Ok(stored_claim) = rewrite_if(cluster, claim, !named || !annotated, |claim| {
        if !named {
            claim.spec.get_or_insert_with(Default::default).volume_name = Some(pv_name.to_string());
            annotate_yes(&mut claim.metadata, BOUND_BY_CONTROLLER);
        }
        annotate_yes(&mut claim.metadata, BIND_COMPLETED);
    }) else {
        return;
    };
    let claim = latest(&stored_claim, claim);
    explain(cluster, claim.metadata.name.as_deref().unwrap_or(""), None);
    let spec = pv.spec.as_ref();
    let status = claim.status.as_ref();
    let reported = status.and_then(|s| s.phase.as_deref()) == Some("Bound")
        && status.and_then(|s| s.access_modes.as_ref())
            == spec.and_then(|s| s.access_modes.as_ref())
        && status.and_then(|s| s.capacity.as_ref()) == spec.and_then(|s| s.capacity.as_ref());
    if reported {
        return;
    }
    rewrite(cluster, claim, |claim| {
        let status = claim.status.get_or_insert_with(Default::default);
        status.phase = Some("Bound".to_string());
        status.access_modes = spec.and_then(|s| s.access_modes.clone());
        status.capacity = spec.and_then(|s| s.capacity.clone());
    });
}

/// Writes a changed copy of a stored object; the object as stored after
/// the write, None when it failed.
pub fn rewrite<T: Typed>(
    cluster: &mut Cluster,
    current: &T,
    change: impl FnOnce(&mut T),
) -> Option<Rc<Object>> {
    let mut copy = current.clone();
    change(&mut copy);
    cluster.write(copy.into_object())
}

/// [`rewrite`] when `needed`: Ok(None) when nothing needed writing, Err
/// when the write failed.
fn rewrite_if<T: Typed>(
    cluster: &mut Cluster,
    current: &T,
    needed: bool,
    change: impl FnOnce(&mut T),
) -> Result<Option<Rc<Object>>, ()> {
    if !needed {
        return Ok(None);
    }
    rewrite(cluster, current, change).map(Some).ok_or(())
}

/// The object as just written, or as it was when nothing needed writing.
fn latest<'a, T: Typed>(written: &'a Option<Rc<Object>>, unchanged: &'a T) -> &'a T {
    written
        .as_deref()
        .and_then(T::from_object)
        .unwrap_or(unchanged)
}

/// Sets one of the controller's `yes` annotations (kept if already there).
pub fn annotate_yes(meta: &mut ObjectMeta, key: &str) {
    meta.annotations
        .get_or_insert_with(BTreeMap::new)
        .entry(key.to_string())
        .or_insert_with(|| "yes".to_string());
}

/// A reference to the claim as the controller writes it into the volume.
pub fn claim_reference(claim: &PersistentVolumeClaim) -> ObjectReference {
    ObjectReference {
        api_version: Some("v1".to_string()),
        kind: Some("PersistentVolumeClaim".to_string()),
        name: claim.metadata.name.clone(),
        namespace: claim.metadata.namespace.clone(),
        uid: claim.metadata.uid.clone(),
        resource_version: claim.metadata.resource_version.clone(),
        ..Default::default()
    }
}

/// updateVolumePhase: the apiserver stamps the time of each phase change.
pub fn set_phase(cluster: &mut Cluster, pv: &PersistentVolume, phase: &str) {
    if pv.status.as_ref().and_then(|s| s.phase.as_deref()) == Some(phase) {
        return;
    }
    let now = time(cluster.now());
    rewrite(cluster, pv, |pv| {
        let status = pv
            .status
            .get_or_insert_with(PersistentVolumeStatus::default);
        status.phase = Some(phase.to_string());
        status.last_phase_transition_time = Some(now);
    });
}

/// A new volume's status, as the apiserver sets it on create.
pub fn created_status(now: Millis) -> PersistentVolumeStatus {
    PersistentVolumeStatus {
        phase: Some("Pending".to_string()),
        last_phase_transition_time: Some(time(now)),
        ..Default::default()
    }
}

/// The stored volume of this name (as an object, so that it can be read
/// while the cluster changes).
pub fn stored_volume(cluster: &Cluster, name: &str) -> Option<Rc<Object>> {
    cluster
        .store
        .get_named(Kind::PersistentVolume, "", name)
        .filter(|o| o.as_typed::<PersistentVolume>().is_some())
        .cloned()
}

pub fn has_annotation(meta: &ObjectMeta, key: &str) -> bool {
    meta.annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(key))
}
