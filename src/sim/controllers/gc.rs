//! The garbage collector and the storage-protection controllers: delete
//! dependents whose owners are gone, honour the `orphan` and
//! `foregroundDeletion` finalizers, and release the pvc/pv-protection
//! finalizers once nothing uses the volume.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, Pod};

use crate::sim::cluster::{Cluster, DeleteOptions};
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;

const ORPHAN: &str = "orphan";
const FOREGROUND: &str = "foregroundDeletion";
const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
const PV_PROTECTION: &str = "kubernetes.io/pv-protection";

pub fn collect(cluster: &mut Cluster) {
    let objects: Vec<Rc<Object>> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Event)
        .flat_map(|k| cluster.store.list(*k).cloned().collect::<Vec<_>>())
        .collect();
    let live: HashSet<&str> = objects.iter().map(|o| o.uid()).collect();
    let mut dependents: HashMap<&str, Vec<&Rc<Object>>> = HashMap::new();
    for object in &objects {
        for owner in object.meta().owner_references.iter().flatten() {
            dependents
                .entry(owner.uid.as_str())
                .or_default()
                .push(object);
        }
    }

    let mut writes: Vec<Object> = Vec::new();
    let mut deletes: Vec<ObjectKey> = Vec::new();
    for owner in objects.iter().filter(|o| o.is_terminating()) {
        let mine = dependents.get(owner.uid()).cloned().unwrap_or_default();
        if has_finalizer(owner, ORPHAN) {
            for dependent in &mine {
                let mut freed = (***dependent).clone();
                if let Some(refs) = freed.meta_mut().owner_references.as_mut() {
                    refs.retain(|r| r.uid != owner.uid());
                }
                if freed
                    .meta()
                    .owner_references
                    .as_ref()
                    .is_some_and(Vec::is_empty)
                {
                    freed.meta_mut().owner_references = None;
                }
                writes.push(freed);
            }
            writes.push(without_finalizer(owner, ORPHAN));
        } else if has_finalizer(owner, FOREGROUND) {
            let blocking: Vec<_> = mine
                .iter()
                .filter(|d| !d.is_terminating() || d.kind() == Kind::Pod)
                .collect();
            if blocking.is_empty() {
                writes.push(without_finalizer(owner, FOREGROUND));
            }
            deletes.extend(mine.iter().filter(|d| !d.is_terminating()).map(|d| d.key()));
        }
    }
    for object in &objects {
        let refs = object.meta().owner_references.as_deref().unwrap_or(&[]);
        if !refs.is_empty()
            && refs.iter().all(|r| !live.contains(r.uid.as_str()))
            && !object.is_terminating()
        {
            deletes.push(object.key());
        }
    }
    release_storage(cluster, &objects, &mut writes);
    drop(dependents);

    for object in writes {
        cluster.write(object);
    }
    for key in deletes {
        let _ = cluster.delete(&key, &DeleteOptions::default());
    }
}

fn has_finalizer(object: &Object, name: &str) -> bool {
    object.meta().finalizers.iter().flatten().any(|f| f == name)
}

fn without_finalizer(object: &Object, name: &str) -> Object {
    let mut copy = object.clone();
    if let Some(finalizers) = copy.meta_mut().finalizers.as_mut() {
        finalizers.retain(|f| f != name);
    }
    copy
}

/// A deleting claim keeps its finalizer while a pod still uses it; a
/// deleting volume keeps its finalizer while a claim is bound to it.
fn release_storage(cluster: &Cluster, objects: &[Rc<Object>], writes: &mut Vec<Object>) {
    for object in objects.iter().filter(|o| o.is_terminating()) {
        match &**object {
            Object::PersistentVolumeClaim(claim)
                if has_finalizer(object, PVC_PROTECTION) && !claim_in_use(cluster, claim) =>
            {
                writes.push(without_finalizer(object, PVC_PROTECTION));
            }
            Object::PersistentVolume(pv)
                if has_finalizer(object, PV_PROTECTION) && !volume_in_use(cluster, pv) =>
            {
                writes.push(without_finalizer(object, PV_PROTECTION));
            }
            _ => {}
        }
    }
}

fn claim_in_use(cluster: &Cluster, claim: &PersistentVolumeClaim) -> bool {
    let namespace = claim.metadata.namespace.as_deref().unwrap_or("");
    let name = claim.metadata.name.as_deref().unwrap_or("");
    cluster
        .store
        .list_typed::<Pod>(namespace)
        .filter(|p| !matches!(pods::phase(p), "Succeeded" | "Failed"))
        .any(|p| pods::claim_names(p).contains(&name))
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
