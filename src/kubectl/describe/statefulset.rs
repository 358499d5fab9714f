//! `kubectl describe statefulset`.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Event, Pod};

use super::template::pod_template;
use super::workloads::pods_status;
use super::writer::{timestamp, Writer};
use crate::kubectl::printers::int_or_string;
use crate::sim::clock::Millis;
use crate::sim::labels::selector_string;

pub fn describe(
    set: &StatefulSet,
    pods: &[&Pod],
    events: Option<&[&Event]>,
    now: Millis,
) -> String {
    let meta = &set.metadata;
    let spec = set.spec.clone().unwrap_or_default();
    let status = set.status.clone().unwrap_or_default();
    let mut w = Writer::namespaced(meta);
    w.field(
        0,
        "CreationTimestamp",
        timestamp(meta.creation_timestamp.as_ref()),
    );
    w.field(0, "Selector", selector_string(&spec.selector));
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    w.field(
        0,
        "Replicas",
        format!(
            "{} desired | {} total",
            spec.replicas.unwrap_or(1),
            status.replicas
        ),
    );
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    w.field(
        0,
        "Update Strategy",
        strategy.type_.as_deref().unwrap_or(""),
    );
    if let Some(partition) = strategy.rolling_update.as_ref().and_then(|r| r.partition) {
        w.field(1, "Partition", partition);
        if let Some(max) = strategy
            .rolling_update
            .as_ref()
            .and_then(|r| r.max_unavailable.as_ref())
        {
            w.field(1, "MaxUnavailable", int_or_string(max));
        }
    }
    pods_status(&mut w, meta, &spec.selector, pods);
    pod_template(&mut w, &spec.template);
    claim_templates(
        &mut w,
        spec.volume_claim_templates.as_deref().unwrap_or(&[]),
    );
    w.events(events, now);
    w.finish()
}

fn claim_templates(
    w: &mut Writer,
    templates: &[k8s_openapi::api::core::v1::PersistentVolumeClaim],
) {
    if templates.is_empty() {
        w.field(0, "Volume Claims", "<none>");
        return;
    }
    w.write(0, "Volume Claims:\n");
    for claim in templates {
        let spec = claim.spec.clone().unwrap_or_default();
        w.field(1, "Name", claim.metadata.name.as_deref().unwrap_or(""));
        w.field(
            1,
            "StorageClass",
            spec.storage_class_name.as_deref().unwrap_or(""),
        );
        w.labels("  ", "Labels", claim.metadata.labels.as_ref());
        w.labels("  ", "Annotations", claim.metadata.annotations.as_ref());
        let capacity = spec
            .resources
            .as_ref()
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage"));
        w.field(
            1,
            "Capacity",
            capacity.map_or("<default>".to_string(), |q| q.0.clone()),
        );
        w.field(
            1,
            "Access Modes",
            format!("[{}]", spec.access_modes.unwrap_or_default().join(" ")),
        );
    }
}
