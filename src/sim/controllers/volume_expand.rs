//! The expand controller: a bound claim asking for more than its volume has
//! needs a plugin to grow the volume. kind's local-path volumes have none in
//! the controller manager and no external resizer runs, so all it does is
//! say it is waiting, and the claim keeps its old capacity.

use k8s_openapi::api::core::v1::PersistentVolumeClaim;

use crate::sim::cluster::Cluster;
use crate::sim::events::{record, EventKind, Source};
use crate::sim::object::Object;
use crate::sim::quantity;
use crate::sim::validation::pvc::requested_storage;

const SOURCE: Source<'static> = Source {
    component: "volume_expand",
    host: None,
};

/// Whether a bound claim asks for more storage than its volume has.
pub fn wants_more(claim: &PersistentVolumeClaim) -> bool {
    let status = claim.status.as_ref();
    let bound = status.and_then(|s| s.phase.as_deref()) == Some("Bound");
    let capacity = status
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("storage"))
        .and_then(|q| quantity::parse(&q.0))
        .unwrap_or(0);
    bound && requested_storage(claim) > capacity
}

pub fn sync(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(claim) = cluster
        .store
        .get_typed::<PersistentVolumeClaim>(namespace, name)
        .cloned()
    else {
        return;
    };
    if wants_more(&claim) {
        let object = Object::PersistentVolumeClaim(Box::new(claim));
        let message = "waiting for an external controller to expand this PVC".to_string();
        record(
            cluster,
            &object,
            EventKind::Warning,
            "ExternalExpanding",
            message,
            SOURCE,
        );
    }
}
