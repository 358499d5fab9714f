//! `kubectl describe persistentvolumeclaim`.

use k8s_openapi::api::core::v1::{Event, PersistentVolumeClaim, Pod};

use super::writer::Writer;
use crate::kubectl::printers::{access_modes, storage_capacity};
use crate::sim::clock::Millis;

/// `[a b]`: how Go's `%v` prints a string slice.
pub fn go_list(items: Option<&Vec<String>>) -> String {
    format!("[{}]", items.map(|i| i.join(" ")).unwrap_or_default())
}

/// `pods` are the namespace's pods; those mounting the claim are "Used By".
pub fn describe(
    claim: &PersistentVolumeClaim,
    pods: &[&Pod],
    events: Option<&[&Event]>,
    now: Millis,
) -> String {
    let meta = &claim.metadata;
    let spec = claim.spec.clone().unwrap_or_default();
    let status = claim.status.clone().unwrap_or_default();
    let name = meta.name.as_deref().unwrap_or("");
    let mut w = Writer::namespaced(meta);
    w.field(
        0,
        "StorageClass",
        spec.storage_class_name.as_deref().unwrap_or(""),
    );
    w.status(
        meta.deletion_timestamp.as_ref(),
        status.phase.as_deref().unwrap_or(""),
        now,
    );
    let volume = spec.volume_name.clone().unwrap_or_default();
    w.field(0, "Volume", &volume);
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    w.field(0, "Finalizers", go_list(meta.finalizers.as_ref()));
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        let capacity =
            storage_capacity(status.capacity.as_ref()).unwrap_or_else(|| "0".to_string());
        (
            capacity,
            access_modes(status.access_modes.as_deref().unwrap_or(&[])),
        )
    };
    w.field(0, "Capacity", capacity);
    w.field(0, "Access Modes", modes);
    if let Some(mode) = &spec.volume_mode {
        w.field(0, "VolumeMode", mode);
    }
    let users: Vec<String> = pods
        .iter()
        .filter(|pod| {
            pod.spec
                .iter()
                .flat_map(|s| s.volumes.iter().flatten())
                .any(|v| {
                    v.persistent_volume_claim
                        .as_ref()
                        .is_some_and(|c| c.claim_name == name)
                })
        })
        .filter_map(|pod| pod.metadata.name.clone())
        .collect();
    w.list("Used By", &users);
    w.conditions(status.conditions.as_ref());
    w.events(events, now);
    w.finish()
}
