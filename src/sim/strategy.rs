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

/// A namespace's status and finalizers are the server's: an update (a
/// label on a Terminating namespace) keeps them as stored.
pub fn prepare_for_update(old: &Object, new: &mut Object) {
    if let (Object::Namespace(old), Object::Namespace(new)) = (old, new) {
        new.status = old.status.clone();
        let finalizers = old.spec.as_ref().and_then(|s| s.finalizers.clone());
        new.spec.get_or_insert_with(Default::default).finalizers = finalizers;
    }
}
