//! `kubectl describe persistentvolume`.

use k8s_openapi::api::core::v1::{Event, PersistentVolume};

use super::claim::go_list;
use super::template::host_path;
use super::writer::{Writer, MAX_ANNOTATION_LEN};
use crate::kubectl::printers::{access_modes, storage_capacity};
use crate::sim::clock::Millis;

pub fn describe(pv: &PersistentVolume, events: Option<&[&Event]>, now: Millis) -> String {
    let meta = &pv.metadata;
    let spec = pv.spec.clone().unwrap_or_default();
    let status = pv.status.clone().unwrap_or_default();
    let mut w = Writer::cluster_scoped(meta);
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    w.field(0, "Finalizers", go_list(meta.finalizers.as_ref()));
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
    let claim = spec
        .claim_ref
        .as_ref()
        .map(|c| {
            format!(
                "{}/{}",
                c.namespace.as_deref().unwrap_or(""),
                c.name.as_deref().unwrap_or("")
            )
        })
        .unwrap_or_default();
    w.field(0, "Claim", claim);
    w.field(
        0,
        "Reclaim Policy",
        spec.persistent_volume_reclaim_policy
            .as_deref()
            .unwrap_or(""),
    );
    w.field(
        0,
        "Access Modes",
        access_modes(spec.access_modes.as_deref().unwrap_or(&[])),
    );
    if let Some(mode) = &spec.volume_mode {
        w.field(0, "VolumeMode", mode);
    }
    let capacity = storage_capacity(spec.capacity.as_ref()).unwrap_or_else(|| "0".to_string());
    w.field(0, "Capacity", capacity);
    node_affinity(&mut w, &spec);
    w.field(0, "Message", status.message.as_deref().unwrap_or(""));
    w.write(0, "Source:\n");
    // describePersistentVolume's switch, in its order, for the sources
    // stsplay accepts.
    if let Some(host) = &spec.host_path {
        host_path(&mut w, &host.path, host.type_.as_deref());
    } else if let Some(nfs) = &spec.nfs {
        w.field(
            2,
            "Type",
            "NFS (an NFS mount that lasts the lifetime of a pod)",
        );
        w.field(2, "Server", &nfs.server);
        w.field(2, "Path", &nfs.path);
        w.field(2, "ReadOnly", nfs.read_only.unwrap_or(false));
    } else if let Some(local) = &spec.local {
        w.field(
            2,
            "Type",
            "LocalVolume (a persistent volume backed by local storage on a node)",
        );
        w.field(2, "Path", &local.path);
    } else if let Some(csi) = &spec.csi {
        w.field(
            2,
            "Type",
            "CSI (a Container Storage Interface (CSI) volume source)",
        );
        w.field(2, "Driver", &csi.driver);
        w.field(2, "FSType", csi.fs_type.as_deref().unwrap_or(""));
        w.field(2, "VolumeHandle", &csi.volume_handle);
        w.field(2, "ReadOnly", csi.read_only.unwrap_or(false));
        csi_attributes(&mut w, csi.volume_attributes.as_ref());
    } else {
        w.write(1, "<unknown>\n");
    }
    w.events(events, now);
    w.finish()
}

/// printCSIPersistentVolumeAttributesMultiline: every line of it is written
/// with the level's indent, the ones after the first twice over.
fn csi_attributes(w: &mut Writer, attributes: Option<&std::collections::BTreeMap<String, String>>) {
    w.write(2, "VolumeAttributes:\t");
    let Some(attributes) = attributes.filter(|a| !a.is_empty()) else {
        w.write(0, "<none>\n");
        return;
    };
    for (i, (key, value)) in attributes.iter().enumerate() {
        if i > 0 {
            w.write(2, "");
            w.write(2, "\t");
        }
        let line = format!("{key}={value}");
        match line.get(..MAX_ANNOTATION_LEN) {
            Some(head) if head.len() < line.len() => w.write(2, &format!("{head}...\n")),
            _ => w.write(2, &format!("{line}\n")),
        }
    }
}

fn node_affinity(w: &mut Writer, spec: &k8s_openapi::api::core::v1::PersistentVolumeSpec) {
    let Some(required) = spec
        .node_affinity
        .as_ref()
        .and_then(|a| a.required.as_ref())
    else {
        w.write(0, "Node Affinity:\t<none>\n");
        return;
    };
    w.write(0, "Node Affinity:\t\n");
    if required.node_selector_terms.is_empty() {
        w.write(1, "Required Terms:\t<none>\n");
        return;
    }
    w.write(1, "Required Terms:\t\n");
    for (i, term) in required.node_selector_terms.iter().enumerate() {
        w.write(2, &format!("Term {i}:\t"));
        let expressions = term.match_expressions.clone().unwrap_or_default();
        if expressions.is_empty() {
            w.write(0, "<none>\n");
        }
        for (j, req) in expressions.iter().enumerate() {
            if j > 0 {
                w.write(2, "\t");
            }
            let mut text = format!("{} {}", req.key, req.operator.to_lowercase());
            if let Some(values) = req.values.as_ref().filter(|v| !v.is_empty()) {
                text.push_str(&format!(" [{}]", values.join(", ")));
            }
            w.write(0, &format!("{text}\n"));
        }
    }
}
