//! The garbage collector and the storage-protection controllers: delete
//! dependents whose owners are gone, honour the `orphan` and
//! `foregroundDeletion` finalizers, and release the pvc/pv-protection
//! finalizers once nothing uses the volume.
//!
//! Work is driven by the owner graph in [`crate::sim::index::Index`]: a
//! change to one owner only looks at that owner's dependents.

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;
use crate::sim::store::EventType;

const ORPHAN: &str = "orphan";
const FOREGROUND: &str = "foregroundDeletion";
pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";

/// Informer handler: which owners, claims and volumes need another look.
/// (Events never reach it: nothing but clients watches them.)
pub fn route(cluster: &mut Cluster, ty: EventType, object: &Object) {
    if ty == EventType::Deleted
        || (object.is_terminating() && has_any_finalizer(object, &[ORPHAN, FOREGROUND]))
    {
        cluster.enqueue(Task::CollectGarbage(object.uid().to_string()), 0);
    }
    for owner in object.meta().owner_references.iter().flatten() {
        let owner_live = owner_exists(cluster, owner);
        let owner_waits = cluster
            .index
            .key_of(&owner.uid)
            .and_then(|k| cluster.store.get(k))
            .is_some_and(|o| o.is_terminating());
        if !owner_live || owner_waits {
            cluster.enqueue(Task::CollectGarbage(owner.uid.clone()), 0);
        }
    }
    match object {
        Object::PersistentVolumeClaim(_) if object.is_terminating() => {
            cluster.enqueue(
                Task::ReleaseClaim(object.namespace().to_string(), object.name().to_string()),
                0,
            );
        }
        Object::PersistentVolume(_) if object.is_terminating() => {
            cluster.enqueue(Task::ReleaseVolume(object.name().to_string()), 0);
        }
        // enqueuePVCs: the pods that may no longer hold their claims.
        Object::Pod(pod)
            if ty == EventType::Deleted
                || !pods::is_active(pod)
                || pods::node_name(pod).is_none() =>
        {
            for claim in pods::claim_names(pod) {
                let task = Task::ReleaseClaim(object.namespace().to_string(), claim.to_string());
                cluster.enqueue(task, 0);
            }
        }
        _ => {}
    }
}

/// One owner changed: orphan, cascade to or collect its dependents.
pub fn collect(cluster: &mut Cluster, owner_uid: &str) {
    let dependents = cluster.index.dependents(owner_uid);
    let owner = cluster
        .index
        .key_of(owner_uid)
        .and_then(|k| cluster.store.get(k))
        .cloned();
    let Some(owner) = owner else {
        for key in dependents {
            collect_dependent(cluster, &key);
        }
        return;
    };
    if !owner.is_terminating() {
        return;
    }
    if has_finalizer(&owner, ORPHAN) {
        for key in dependents {
            let Some(dependent) = cluster.store.get(&key).cloned() else {
                continue;
            };
            let mut freed = (*dependent).clone();
            drop_owner(&mut freed, |uid| uid == owner_uid);
            cluster.write(freed);
        }
        cluster.write(without_finalizer(&owner, ORPHAN));
    } else if has_finalizer(&owner, FOREGROUND) {
        let mut blocking = false;
        for key in dependents {
            let Some(dependent) = cluster.store.get(&key).cloned() else {
                continue;
            };
            // A pod blocks until it is really gone, not just marked.
            blocking |= !dependent.is_terminating() || dependent.kind() == Kind::Pod;
            if !dependent.is_terminating() {
                let _ = cluster.delete(&key, &DeleteOptions::default());
            }
        }
        if !blocking {
            cluster.write(without_finalizer(&owner, FOREGROUND));
        }
    }
}

/// A dependent of a vanished owner: deleted once no owner is left,
/// otherwise the dangling references are removed.
fn collect_dependent(cluster: &mut Cluster, key: &ObjectKey) {
    let Some(dependent) = cluster.store.get(key).cloned() else {
        return;
    };
    if dependent.is_terminating() {
        return;
    }
    let refs = dependent.meta().owner_references.as_deref().unwrap_or(&[]);
    let live = refs.iter().filter(|r| owner_exists(cluster, r)).count();
    if live == 0 {
        let _ = cluster.delete(key, &DeleteOptions::default());
    } else if live < refs.len() {
        let mut kept = (*dependent).clone();
        let dangling: Vec<String> = refs
            .iter()
            .filter(|r| !owner_exists(cluster, r))
            .map(|r| r.uid.clone())
            .collect();
        drop_owner(&mut kept, |uid| dangling.iter().any(|d| d == uid));
        cluster.write(kept);
    }
}

/// Whether the owner a reference names exists. Owners of kinds stsplay does
/// not simulate (kind's DaemonSets and ReplicaSets) count as present: the
/// real collector leaves a dependent alone while it cannot look its owner up.
fn owner_exists(cluster: &Cluster, owner: &OwnerReference) -> bool {
    cluster.index.is_live(&owner.uid)
        || Kind::from_api_version_kind(&owner.api_version, &owner.kind).is_none()
}

fn drop_owner(object: &mut Object, gone: impl Fn(&str) -> bool) {
    if let Some(refs) = object.meta_mut().owner_references.as_mut() {
        refs.retain(|r| !gone(&r.uid));
    }
    if object
        .meta()
        .owner_references
        .as_ref()
        .is_some_and(Vec::is_empty)
    {
        object.meta_mut().owner_references = None;
    }
}

/// A deleting claim keeps its finalizer while a pod still uses it.
pub fn release_claim(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(claim) = cluster
        .store
        .get_typed::<PersistentVolumeClaim>(namespace, name)
    else {
        return;
    };
    let object = Object::PersistentVolumeClaim(Box::new(claim.clone()));
    if object.is_terminating()
        && has_finalizer(&object, PVC_PROTECTION)
        && !cluster.index.claim_in_use(namespace, name)
    {
        cluster.write(without_finalizer(&object, PVC_PROTECTION));
    }
}

/// A deleting volume keeps its finalizer while a claim is bound to it.
pub fn release_volume(cluster: &mut Cluster, name: &str) {
    let Some(pv) = cluster.store.get_typed::<PersistentVolume>("", name) else {
        return;
    };
    let object = Object::PersistentVolume(Box::new(pv.clone()));
    if object.is_terminating()
        && has_finalizer(&object, PV_PROTECTION)
        && !volume_in_use(cluster, pv)
    {
        cluster.write(without_finalizer(&object, PV_PROTECTION));
    }
}

fn volume_in_use(cluster: &Cluster, pv: &PersistentVolume) -> bool {
    let Some(claim_ref) = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref()) else {
        return false;
    };
    let namespace = claim_ref.namespace.as_deref().unwrap_or("");
    let name = claim_ref.name.as_deref().unwrap_or("");
    cluster
        .store
        .get_typed::<PersistentVolumeClaim>(namespace, name)
        .is_some_and(|c| c.metadata.uid == claim_ref.uid)
}

fn has_finalizer(object: &Object, name: &str) -> bool {
    object.meta().finalizers.iter().flatten().any(|f| f == name)
}

fn has_any_finalizer(object: &Object, names: &[&str]) -> bool {
    names.iter().any(|n| has_finalizer(object, n))
}

fn without_finalizer(object: &Object, name: &str) -> Object {
    let mut copy = object.clone();
    if let Some(finalizers) = copy.meta_mut().finalizers.as_mut() {
        finalizers.retain(|f| f != name);
    }
    copy
}
