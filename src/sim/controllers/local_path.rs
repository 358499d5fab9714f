//! kind's local-path provisioner (sig-storage-lib-external-provisioner's
//! controller): it takes the claims the PV controller annotated for it and
//! creates their volumes on the selected node, pre-bound to the claim. The
//! PV controller then binds the two (see `volumes`).

use k8s_openapi::api::core::v1::{
    HostPathVolumeSource, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm,
    PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec, Pod, VolumeNodeAffinity,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::provisioner_log::{self, Provisioner};
use super::scheduler::SELECTED_NODE;
use super::volume_bind::claim_reference;
use super::volume_match::claim_class;
use super::volumes::{is_waiting_for_first_consumer, STORAGE_PROVISIONER};
use crate::sim::cluster::{Cluster, Task};
use crate::sim::events::{record, EventKind, Source};
use crate::sim::object::{Kind, Object};
use crate::sim::pods;

/// The annotation naming the provisioner that made a volume.
pub const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";

/// The provisioner that serves `provisioner`, when it runs. An external
/// provisioner works only while its pod is ready; on kind that is the
/// local-path provisioner, and no other runs.
pub fn running_provisioner(cluster: &Cluster, provisioner: &str) -> Option<Provisioner> {
    if provisioner != provisioner_log::NAME {
        return None;
    }
    let pod = cluster
        .store
        .list_in(Kind::Pod, provisioner_log::NAMESPACE)
        .filter_map(|o| o.as_typed::<Pod>())
        .find(|p| pods::is_running_and_ready(p) && !pods::is_terminating(p))?;
    Some(Provisioner::of(pod))
}

/// A change to the provisioner's pods: claims that waited for it are looked
/// at again.
pub fn provisioner_changed(cluster: &mut Cluster, namespace: &str) {
    if namespace != provisioner_log::NAMESPACE {
        return;
    }
    let waiting: Vec<(String, String)> = cluster
        .store
        .list(Kind::PersistentVolumeClaim)
        .filter_map(|o| o.as_typed::<PersistentVolumeClaim>())
        .filter(|c| c.spec.as_ref().is_none_or(|s| s.volume_name.is_none()))
        .filter(|c| annotated_for_us(c))
        .map(|c| {
            let meta = &c.metadata;
            (
                meta.namespace.clone().unwrap_or_default(),
                meta.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    for (namespace, name) in waiting {
        let delay = cluster.jitter(10, 60);
        cluster.enqueue(Task::Provision(namespace, name), delay);
    }
}

fn annotated_for_us(claim: &PersistentVolumeClaim) -> bool {
    claim
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(STORAGE_PROVISIONER))
        .is_some_and(|p| p == provisioner_log::NAME)
}

/// The provisioner's sync of one claim: start on it (a helper pod makes
/// the directory), or, once that is done, create its volume.
pub fn provision(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(object) = cluster
        .store
        .get_named(Kind::PersistentVolumeClaim, namespace, name)
        .cloned()
    else {
        return;
    };
    let Some(claim) = object.as_typed::<PersistentVolumeClaim>() else {
        return;
    };
    let spec = claim.spec.as_ref();
    // shouldProvision: unbound, ours, and with delayed binding a node chosen.
    if spec.is_some_and(|s| s.volume_name.is_some())
        || claim.metadata.deletion_timestamp.is_some()
        || !annotated_for_us(claim)
    {
        return;
    }
    let Some(class) = cluster
        .store
        .get_named(Kind::StorageClass, "", claim_class(claim))
        .cloned()
    else {
        return;
    };
    let Some(class) = class.as_typed::<StorageClass>() else {
        return;
    };
    let node = claim
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(SELECTED_NODE))
        .cloned();
    // An immediate claim names no node: it goes to the first node that
    // takes workloads.
    let Some(node) = node.or_else(|| {
        (!is_waiting_for_first_consumer(class)).then(|| cluster.shape().first_schedulable())
    }) else {
        return;
    };
    let uid = claim.metadata.uid.as_deref().unwrap_or("");
    let pv_name = volume_name(uid);
    if cluster
        .store
        .get_named(Kind::PersistentVolume, "", &pv_name)
        .is_some()
    {
        return;
    }
    let now = cluster.now();
    let task = || Task::Provision(namespace.to_string(), name.to_string());
    let Some(done) = cluster.volume_provisioning.get(uid).cloned() else {
        // It picks the claim up once it runs (`provisioner_changed`).
        let Some(provisioner) = running_provisioner(cluster, &class.provisioner) else {
            return;
        };
        let message =
            format!("External provisioner is provisioning volume for claim \"{namespace}/{name}\"");
        report(cluster, &object, &provisioner, "Provisioning", message);
        provisioner.creating(cluster, (namespace, name), &node, &pv_name);
        // local-path-provisioner runs a helper pod to create the directory.
        let delay = cluster.jitter(1_000, 2_500);
        cluster
            .volume_provisioning
            .insert(uid.to_string(), (now + delay, provisioner));
        cluster.enqueue(task(), delay);
        return;
    };
    if done.0 > now {
        // Claim updates meanwhile find it still at work.
        cluster.enqueue(task(), done.0 - now);
        return;
    }
    let provisioner = done.1;
    cluster.volume_provisioning.remove(uid);
    let pv = new_volume(claim, class, &node);
    if cluster
        .create(Object::PersistentVolume(Box::new(pv)))
        .is_err()
    {
        return;
    }
    provisioner.created(cluster, (namespace, name), &node, &pv_name);
    let message = format!("Successfully provisioned volume {pv_name}");
    report(
        cluster,
        &object,
        &provisioner,
        "ProvisioningSucceeded",
        message,
    );
}

/// A Normal Event about the claim, under the provisioner's own name.
fn report(
    cluster: &mut Cluster,
    claim: &Object,
    provisioner: &Provisioner,
    reason: &str,
    message: String,
) {
    let source = Source {
        component: &provisioner.identity,
        host: None,
    };
    record(cluster, claim, EventKind::Normal, reason, message, source);
}

/// A dynamically provisioned volume's name: `pvc-<claim uid>`.
fn volume_name(claim_uid: &str) -> String {
    format!("pvc-{claim_uid}")
}

/// The volume as the provisioner creates it: a host path on the node,
/// pinned there by node affinity, and already meant for the claim. Its
/// status is the apiserver's to set.
fn new_volume(claim: &PersistentVolumeClaim, class: &StorageClass, node: &str) -> PersistentVolume {
    let spec = claim.spec.as_ref();
    let uid = claim.metadata.uid.as_deref().unwrap_or("");
    let namespace = claim.metadata.namespace.as_deref().unwrap_or("");
    let claim_name = claim.metadata.name.as_deref().unwrap_or("");
    let name = volume_name(uid);
    PersistentVolume {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            annotations: Some(
                [
                    ("local.path.provisioner/selected-node", node),
                    (PROVISIONED_BY, class.provisioner.as_str()),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ),
            ..Default::default()
        },
        spec: Some(PersistentVolumeSpec {
            access_modes: spec.and_then(|s| s.access_modes.clone()),
            capacity: spec
                .and_then(|s| s.resources.as_ref())
                .and_then(|r| r.requests.clone()),
            claim_ref: Some(claim_reference(claim)),
            host_path: Some(HostPathVolumeSource {
                path: provisioner_log::path(&name, namespace, claim_name),
                type_: Some("DirectoryOrCreate".to_string()),
            }),
            node_affinity: Some(VolumeNodeAffinity {
                required: Some(NodeSelector {
                    node_selector_terms: vec![NodeSelectorTerm {
                        match_expressions: Some(vec![NodeSelectorRequirement {
                            key: "kubernetes.io/hostname".to_string(),
                            operator: "In".to_string(),
                            values: Some(vec![node.to_string()]),
                        }]),
                        ..Default::default()
                    }],
                }),
            }),
            persistent_volume_reclaim_policy: class.reclaim_policy.clone(),
            storage_class_name: spec.and_then(|s| s.storage_class_name.clone()),
            volume_mode: spec.and_then(|s| s.volume_mode.clone()),
            ..Default::default()
        }),
        status: None,
    }
}
