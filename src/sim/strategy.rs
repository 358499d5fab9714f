//! The registries' PrepareForCreate and PrepareForUpdate: what the
//! apiserver sets on a new object, and keeps from the stored one on an
//! update, whatever the client sent. Defaulting (`defaults.rs`) runs on
//! both; these differ between the two.

use k8s_openapi::api::core::v1::Namespace;

use super::clock::Millis;
use super::controllers::namespaces::FINALIZER;
use super::controllers::volume_bind::created_status;
use super::object::Object;

/// Runs before defaulting, which then gives a cleared status its first
/// values (a pod's Pending phase and QoS class, a claim's Pending).
pub fn prepare_for_create(object: &mut Object, now: Millis) {
    match object {
        Object::PersistentVolume(pv) => pv.status = Some(created_status(now)),
        Object::Namespace(namespace) => new_namespace(namespace),
        // A status sent with a new object (a manifest saved from
        // `kubectl get -o yaml`) is not the new object's.
        Object::Pod(pod) => pod.status = None,
        Object::PersistentVolumeClaim(claim) => claim.status = None,
        Object::StatefulSet(set) => set.status = None,
        Object::Service(service) => service.status = None,
        Object::PodDisruptionBudget(budget) => budget.status = None,
        Object::DaemonSet(set) => set.status = None,
        Object::Deployment(deployment) => deployment.status = None,
        Object::ReplicaSet(set) => set.status = None,
        _ => {}
    }
}

/// A namespace starts Active, and always with the `kubernetes` finalizer
/// (added to any the client listed).
fn new_namespace(namespace: &mut Namespace) {
    namespace.status = Some(k8s_openapi::api::core::v1::NamespaceStatus {
        phase: Some("Active".to_string()),
        ..Default::default()
    });
    let finalizers = namespace
        .spec
        .get_or_insert_with(Default::default)
        .finalizers
        .get_or_insert_with(Vec::new);
    if !finalizers.iter().any(|f| f == FINALIZER) {
        finalizers.push(FINALIZER.to_string());
    }
}

/// A status is written through its own subresource, by the controllers
/// and kubelets: an update of the object itself (`kubectl replace` of a
/// manifest without one, a label on a Terminating namespace) keeps the
/// stored status, and a namespace its finalizers too.
pub fn prepare_for_update(old: &Object, new: &mut Object) {
    copy_status(old, new);
    if let (Object::Namespace(old), Object::Namespace(new)) = (old, new) {
        let finalizers = old.spec.as_ref().and_then(|s| s.finalizers.clone());
        new.spec.get_or_insert_with(Default::default).finalizers = finalizers;
    }
}

/// Gives `into` the status of `from`, an object of the same kind (kinds
/// without a status are left as they are).
pub fn copy_status(from: &Object, into: &mut Object) {
    match (from, into) {
        (Object::Namespace(old), Object::Namespace(new)) => new.status = old.status.clone(),
        (Object::Pod(old), Object::Pod(new)) => new.status = old.status.clone(),
        (Object::Node(old), Object::Node(new)) => new.status = old.status.clone(),
        (Object::Service(old), Object::Service(new)) => new.status = old.status.clone(),
        (Object::PersistentVolume(old), Object::PersistentVolume(new)) => {
            new.status = old.status.clone()
        }
        (Object::PersistentVolumeClaim(old), Object::PersistentVolumeClaim(new)) => {
            new.status = old.status.clone()
        }
        (Object::StatefulSet(old), Object::StatefulSet(new)) => new.status = old.status.clone(),
        (Object::PodDisruptionBudget(old), Object::PodDisruptionBudget(new)) => {
            new.status = old.status.clone()
        }
        (Object::DaemonSet(old), Object::DaemonSet(new)) => new.status = old.status.clone(),
        (Object::Deployment(old), Object::Deployment(new)) => new.status = old.status.clone(),
        (Object::ReplicaSet(old), Object::ReplicaSet(new)) => new.status = old.status.clone(),
        _ => {}
    }
}
