//! The pods/ephemeralcontainers subresource (what `kubectl debug POD
//! --image=…` patches): the one way to add a container to a pod that
//! exists. Its strategy keeps everything of the stored pod but the
//! ephemeral containers, which are defaulted and validated with the rest of
//! the spec; the pod's kubelet then starts the new one.

use std::rc::Rc;

use k8s_openapi::api::core::v1::{EphemeralContainer, Pod};

use super::cluster::Cluster;
use super::defaults::decode_and_default;
use super::errors::{ApiError, ApiResult};
use super::object::{Kind, Object, ObjectKey};
use super::pods;
use super::validation::{self, FieldError};

/// Adds `container` to the pod's ephemeral containers. (kubectl only ever
/// adds one, so the subresource's refusals to change or remove existing
/// ones have no caller here.)
pub fn add(
    cluster: &mut Cluster,
    namespace: &str,
    name: &str,
    container: EphemeralContainer,
) -> ApiResult<Rc<Object>> {
    let key = ObjectKey::new(Kind::Pod, namespace, name);
    let Some(old) = cluster.store.get(&key).and_then(|o| o.as_typed::<Pod>()) else {
        return Err(ApiError::not_found(Kind::Pod, name));
    };
    if pods::is_mirror(old) {
        // Static pods' containers come from the node's manifest (#113935). The
        // field is Go's empty path, which prints as "[]".
        let refused =
            FieldError::forbidden("[]", "static pods do not support ephemeral containers");
        return Err(ApiError::invalid(Kind::Pod, name, vec![refused]));
    }
    let mut pod = old.clone();
    let spec = pod.spec.get_or_insert_with(Default::default);
    spec.ephemeral_containers
        .get_or_insert_with(Vec::new)
        .push(container);
    let mut object = Object::Pod(Box::new(pod));
    decode_and_default(&mut object);
    let causes = validation::validate(&object);
    if !causes.is_empty() {
        return Err(ApiError::invalid(Kind::Pod, name, causes));
    }
    let updated = cluster.store.update(object, cluster.now())?;
    cluster.inform();
    Ok(updated)
}
