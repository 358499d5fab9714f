//! The apiserver's validation of the kinds stsplay simulates, with Go's
//! field paths and messages. It runs on every create and update
//! ([`Cluster::create`](super::Cluster::create)), so kubectl, the UI and the
//! controllers (whose pod creation then fails with FailedCreate) all see it.

pub mod field;
pub mod intstr;
pub mod meta;
pub mod names;
pub mod pdb;
pub mod pod;
pub mod pod_update;
pub mod pv;
pub mod pvc;
pub mod secret;
pub mod service;
pub mod spread;
pub mod statefulset;
pub mod storageclass;

pub use field::{ErrorType, FieldError};

use super::object::Object;

/// The most replicas a StatefulSet may ask for in the playground.
pub const MAX_REPLICAS: i32 = 10_000;

/// The checks of every create and update (after defaulting, as the apiserver
/// orders it).
pub fn validate(object: &Object) -> Vec<FieldError> {
    match object {
        Object::StatefulSet(set) => statefulset::validate(set),
        Object::Pod(pod) => pod::validate(pod),
        Object::Service(service) => service::validate(service),
        Object::PersistentVolumeClaim(claim) => pvc::validate(claim),
        Object::PersistentVolume(volume) => pv::validate(volume),
        Object::StorageClass(class) => storageclass::validate(class),
        Object::Namespace(ns) => meta::validate(&ns.metadata, names::dns_label, false),
        Object::ConfigMap(map) => meta::validate_config_map(map),
        Object::Secret(secret) => secret::validate(secret),
        Object::PodDisruptionBudget(budget) => pdb::validate(budget),
        _ => Vec::new(),
    }
}

/// What only a create checks besides [`validate`]: a pod may not start with
/// ephemeral containers (ValidatePodCreate); they are added to a running one.
pub fn validate_create(object: &Object) -> Vec<FieldError> {
    let mut errs = validate(object);
    if let Object::Pod(pod) = object {
        errs.extend(pod::ephemeral_on_create(pod));
    }
    errs
}

/// Update-time validation: the create checks on the new object plus the
/// kind's immutable fields. May fill in values the server keeps from the old
/// object (a Service's clusterIP) before checking.
pub fn validate_update(old: &Object, new: &mut Object) -> Vec<FieldError> {
    if let (Object::StatefulSet(old), Object::StatefulSet(new)) = (old, &*new) {
        // Its create checks ratchet on update.
        return statefulset::validate_update(old, new);
    }
    let mut errs = match (old, &mut *new) {
        (Object::Service(old), Object::Service(new)) => service::validate_update(old, new),
        (Object::PersistentVolumeClaim(old), Object::PersistentVolumeClaim(new)) => {
            pvc::validate_update(old, new)
        }
        (Object::PersistentVolume(old), Object::PersistentVolume(new)) => {
            pv::validate_update(old, new)
        }
        (Object::StorageClass(old), Object::StorageClass(new)) => {
            storageclass::validate_update(old, new)
        }
        (Object::Secret(old), Object::Secret(new)) => secret::validate_update(old, new),
        (Object::Pod(old), Object::Pod(new)) => pod_update::validate_update(old, new),
        _ => Vec::new(),
    };
    let mut all = validate(new);
    all.append(&mut errs);
    all
}
