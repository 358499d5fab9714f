//! The PersistentVolume controller and kind's local-path provisioner:
//! provision a volume on the node the scheduler selected, bind claim and
//! volume, and reclaim the volume when its claim is gone.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    HostPathVolumeSource, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, ObjectReference,
    PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec, PersistentVolumeStatus, Pod,
    VolumeNodeAffinity,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::provisioner_log::{self, Provisioner};
use super::scheduler::{volume_node, SELECTED_NODE};
use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::events::{record, EventKind, Source};
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;

const PROVISIONER_ANNOTATIONS: [&str; 2] = [
    "volume.beta.kubernetes.io/storage-provisioner",
    "volume.kubernetes.io/storage-provisioner",
];

/// The provisioner that serves `provisioner`, when it runs. An external
/// provisioner works only while its pod is ready; on kind that is the
/// local-path provisioner, and no other runs.
fn running_provisioner(cluster: &Cluster, provisioner: &str) -> Option<Provisioner> {
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
        .filter(|c| {
            c.metadata
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key(PROVISIONER_ANNOTATIONS[1]))
        })
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

pub fn provision(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(object) = cluster
        .store
        .get_named(Kind::PersistentVolumeClaim, namespace, name)
        .cloned()
    else {
        reclaim(cluster, namespace, name);
        return;
    };
    let Some(claim) = object.as_typed::<PersistentVolumeClaim>() else {
        return;
    };
    let spec = claim.spec.as_ref();
    if spec.and_then(|s| s.volume_name.as_ref()).is_some()
        || claim.metadata.deletion_timestamp.is_some()
    {
        return;
    }
    let class_name = spec
        .and_then(|s| s.storage_class_name.as_deref())
        .unwrap_or("");
    let Some(class) = cluster
        .store
        .get_named(Kind::StorageClass, "", class_name)
        .cloned()
    else {
        let message = format!("storageclass.storage.k8s.io \"{class_name}\" not found");
        record(
            cluster,
            &object,
            EventKind::Warning,
            "ProvisioningFailed",
            message,
            Source::PV_CONTROLLER,
        );
        return;
    };
    let Some(class) = class.as_typed::<StorageClass>() else {
        return;
    };
    let annotations = claim.metadata.annotations.as_ref();
    let selected = annotations.and_then(|a| a.get(SELECTED_NODE)).cloned();
    let wait_for_consumer = class.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer");
    let Some(node) = selected.or_else(|| (!wait_for_consumer).then(|| "kind-worker".to_string()))
    else {
        if cluster
            .volume_announced
            .insert(claim.metadata.uid.clone().unwrap_or_default())
        {
            record(
                cluster,
                &object,
                EventKind::Normal,
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding".to_string(),
                Source::PV_CONTROLLER,
            );
        }
        return;
    };
    let uid = claim.metadata.uid.as_deref().unwrap_or("");
    let now = cluster.now();
    let task = || Task::Provision(namespace.to_string(), name.to_string());
    if !annotations.is_some_and(|a| a.contains_key(PROVISIONER_ANNOTATIONS[1])) {
        hand_to_provisioner(cluster, &object, claim, &class.provisioner);
    }
    let Some(done) = cluster.volume_provisioning.get(uid).cloned() else {
        // The provisioner picks the claim up once it runs (`provisioner_changed`).
        let Some(provisioner) = running_provisioner(cluster, &class.provisioner) else {
            return;
        };
        start_provisioning(cluster, &object, claim, &provisioner.identity);
        provisioner.creating(cluster, (namespace, name), &node, &volume_name(uid));
        // local-path-provisioner runs a helper pod to create the directory.
        let delay = cluster.jitter(1_000, 2_500);
        cluster
            .volume_provisioning
            .insert(uid.to_string(), (now + delay, provisioner));
        cluster.enqueue(task(), delay);
        return;
    };
    if done.0 > now {
        // Claim updates meanwhile (our own annotations) find it still at work.
        cluster.enqueue(task(), done.0 - now);
        return;
    }
    let provisioner = done.1;
    cluster.volume_provisioning.remove(uid);
    let pv = new_volume(claim, class, &node);
    let pv_name = pv.metadata.name.clone().unwrap_or_default();
    if cluster
        .create(Object::PersistentVolume(Box::new(pv)))
        .is_err()
    {
        return;
    }
    provisioner.created(cluster, (namespace, name), &node, &pv_name);
    let source = crate::sim::events::Source {
        component: &provisioner.identity,
        host: None,
    };
    record(
        cluster,
        &object,
        EventKind::Normal,
        "ProvisioningSucceeded",
        format!("Successfully provisioned volume {pv_name}"),
        source,
    );
    bind_claim(cluster, claim.clone(), &pv_name);
}

/// The PV controller's part: the claim is annotated with the provisioner
/// that is to serve it, and says it waits for it.
fn hand_to_provisioner(
    cluster: &mut Cluster,
    object: &Object,
    claim: &PersistentVolumeClaim,
    provisioner: &str,
) {
    let mut annotated = claim.clone();
    let annotations = annotated
        .metadata
        .annotations
        .get_or_insert_with(BTreeMap::new);
    for key in PROVISIONER_ANNOTATIONS {
        annotations.insert(key.to_string(), provisioner.to_string());
    }
    record(
        cluster,
        object,
        EventKind::Normal,
        "ExternalProvisioning",
        format!("Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."),
        Source::PV_CONTROLLER,
    );
    cluster.write(Object::PersistentVolumeClaim(Box::new(annotated)));
}

/// The provisioner's part: it takes the claim on.
fn start_provisioning(
    cluster: &mut Cluster,
    object: &Object,
    claim: &PersistentVolumeClaim,
    source: &str,
) {
    let claim_ref = format!(
        "{}/{}",
        claim.metadata.namespace.as_deref().unwrap_or(""),
        claim.metadata.name.as_deref().unwrap_or("")
    );
    let source = crate::sim::events::Source {
        component: source,
        host: None,
    };
    record(
        cluster,
        object,
        EventKind::Normal,
        "Provisioning",
        format!("External provisioner is provisioning volume for claim \"{claim_ref}\""),
        source,
    );
}

/// A dynamically provisioned volume's name: `pvc-<claim uid>`.
fn volume_name(claim_uid: &str) -> String {
    format!("pvc-{claim_uid}")
}

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
                    (
                        "pv.kubernetes.io/provisioned-by",
                        class.provisioner.as_str(),
                    ),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ),
            finalizers: Some(vec!["kubernetes.io/pv-protection".to_string()]),
            ..Default::default()
        },
        spec: Some(PersistentVolumeSpec {
            access_modes: spec.and_then(|s| s.access_modes.clone()),
            capacity: spec
                .and_then(|s| s.resources.as_ref())
                .and_then(|r| r.requests.clone()),
            claim_ref: Some(ObjectReference {
                api_version: Some("v1".to_string()),
                kind: Some("PersistentVolumeClaim".to_string()),
                name: Some(claim_name.to_string()),
                namespace: Some(namespace.to_string()),
                uid: Some(uid.to_string()),
                resource_version: claim.metadata.resource_version.clone(),
                ..Default::default()
            }),
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
        status: Some(PersistentVolumeStatus {
            phase: Some("Bound".to_string()),
            ..Default::default()
        }),
    }
}

fn bind_claim(cluster: &mut Cluster, mut claim: PersistentVolumeClaim, pv_name: &str) {
    let annotations = claim.metadata.annotations.get_or_insert_with(BTreeMap::new);
    annotations.insert(
        "pv.kubernetes.io/bind-completed".to_string(),
        "yes".to_string(),
    );
    annotations.insert(
        "pv.kubernetes.io/bound-by-controller".to_string(),
        "yes".to_string(),
    );
    let spec = claim.spec.get_or_insert_with(Default::default);
    spec.volume_name = Some(pv_name.to_string());
    let capacity = spec.resources.as_ref().and_then(|r| r.requests.clone());
    let modes = spec.access_modes.clone();
    let status = claim.status.get_or_insert_with(Default::default);
    status.phase = Some("Bound".to_string());
    status.capacity = capacity;
    status.access_modes = modes;
    cluster.write(Object::PersistentVolumeClaim(Box::new(claim)));
}

/// A claim is gone: release its volume, and delete it if the class says so.
fn reclaim(cluster: &mut Cluster, namespace: &str, claim_name: &str) {
    let released: Vec<PersistentVolume> = cluster
        .store
        .list(Kind::PersistentVolume)
        .filter_map(|o| o.as_typed::<PersistentVolume>())
        .filter(|pv| {
            pv.spec
                .as_ref()
                .and_then(|s| s.claim_ref.as_ref())
                .is_some_and(|r| {
                    r.namespace.as_deref() == Some(namespace)
                        && r.name.as_deref() == Some(claim_name)
                })
        })
        .filter(|pv| pv.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound"))
        .cloned()
        .collect();
    for mut pv in released {
        let name = pv.metadata.name.clone().unwrap_or_default();
        let policy = pv
            .spec
            .as_ref()
            .and_then(|s| s.persistent_volume_reclaim_policy.clone());
        pv.status = Some(PersistentVolumeStatus {
            phase: Some("Released".to_string()),
            ..Default::default()
        });
        let (node, path) = placed(&pv);
        cluster.write(Object::PersistentVolume(Box::new(pv)));
        if policy.as_deref() == Some("Delete") {
            // The provisioner runs a helper pod to wipe the directory first.
            if let Some(provisioner) = running_provisioner(cluster, provisioner_log::NAME) {
                provisioner.deleting(cluster, &name, &node, &path);
            }
            let delay = cluster.jitter(1_500, 3_000);
            cluster.enqueue(Task::DeleteVolume(name), delay);
        }
    }
}

/// The provisioner finished wiping a released volume: delete it.
pub fn delete_released(cluster: &mut Cluster, name: &str) {
    let Some((node, path)) = cluster
        .store
        .get_typed::<PersistentVolume>("", name)
        .filter(|pv| pv.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Released"))
        .map(placed)
    else {
        return;
    };
    let key = ObjectKey::new(Kind::PersistentVolume, "", name);
    if cluster.delete(&key, &DeleteOptions::default()).is_err() {
        return;
    }
    if let Some(provisioner) = running_provisioner(cluster, provisioner_log::NAME) {
        provisioner.deleted(cluster, name, &node, &path);
    }
}

/// The node and directory of a local-path volume.
fn placed(pv: &PersistentVolume) -> (String, String) {
    let path = pv
        .spec
        .as_ref()
        .and_then(|s| s.host_path.as_ref())
        .map(|h| h.path.clone())
        .unwrap_or_default();
    (volume_node(pv).unwrap_or_default(), path)
}
