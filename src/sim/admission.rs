//! Admission steps that need cluster state or randomness: the priority of
//! the built-in PriorityClasses and the service account token volume on
//! pods and ClusterIP allocation for services on create; on update,
//! PersistentVolumeClaimResize.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{
    ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath,
    ObjectFieldSelector, ProjectedVolumeSource, ServiceAccountTokenProjection, Volume, VolumeMount,
    VolumeProjection,
};

use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Service};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::cluster::Cluster;
use super::controllers::gc::{PVC_PROTECTION, PV_PROTECTION};
use super::errors::{ApiError, ApiResult};
use super::object::{Kind, Object};
use super::pods;
use super::validation::pvc::requested_storage;

const TOKEN_MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
const TOKEN_VOLUME_PREFIX: &str = "kube-api-access-";
/// The apiserver's default --service-node-port-range.
const NODE_PORTS: (u64, u64) = (30000, 32767);

pub fn admit(cluster: &mut Cluster, object: &mut Object) {
    match object {
        Object::Pod(pod) => {
            let mirror = pods::is_mirror(pod);
            let Some(spec) = pod.spec.as_mut() else {
                return;
            };
            if let Some(priority) = spec
                .priority_class_name
                .as_deref()
                .and_then(built_in_priority)
            {
                spec.priority = Some(priority);
            }
            // The ServiceAccount plugin leaves mirror pods alone.
            if spec.automount_service_account_token == Some(false) || mirror {
                return;
            }
            // mountServiceAccountToken: a pod that has a token volume (a
            // copy of another pod, `kubectl debug --copy-to`) keeps it, and
            // only containers without a mount at the token's path get one.
            let existing = spec
                .volumes
                .iter()
                .flatten()
                .find(|v| v.name.starts_with(TOKEN_VOLUME_PREFIX))
                .map(|v| v.name.clone());
            let has_volume = existing.is_some();
            let name = existing
                .unwrap_or_else(|| format!("{TOKEN_VOLUME_PREFIX}{}", cluster.rng.suffix(5)));
            let mut needs_volume = false;
            // The token is mounted into init containers as well.
            let init = spec.init_containers.iter_mut().flatten();
            for container in init.chain(spec.containers.iter_mut()) {
                let mounts = container.volume_mounts.get_or_insert_with(Vec::new);
                if mounts.iter().any(|m| m.mount_path == TOKEN_MOUNT) {
                    continue;
                }
                mounts.push(VolumeMount {
                    name: name.clone(),
                    mount_path: TOKEN_MOUNT.to_string(),
                    read_only: Some(true),
                    ..Default::default()
                });
                needs_volume = true;
            }
            if needs_volume && !has_volume {
                spec.volumes
                    .get_or_insert_with(Vec::new)
                    .push(token_volume(&name));
            }
        }
        Object::Service(service) => {
            let Some(spec) = service.spec.as_mut() else {
                return;
            };
            // An ExternalName Service is a DNS alias: no cluster IP.
            if spec.cluster_ip.is_none() && spec.type_.as_deref() != Some("ExternalName") {
                let ip = format!(
                    "10.96.{}.{}",
                    cluster.rng.range(0, 255),
                    cluster.rng.range(2, 254)
                );
                spec.cluster_ip = Some(ip.clone());
                spec.cluster_ips = Some(vec![ip]);
            } else if spec.cluster_ips.is_none() {
                spec.cluster_ips = spec.cluster_ip.clone().map(|ip| vec![ip]);
            }
            // The service-node-port range's allocator: a free port for each
            // port of a NodePort or LoadBalancer Service that names none.
            if matches!(spec.type_.as_deref(), Some("NodePort" | "LoadBalancer")) {
                let mut used: BTreeSet<i32> = cluster
                    .store
                    .list(Kind::Service)
                    .filter_map(|o| o.as_typed::<Service>())
                    .flat_map(|s| s.spec.iter().flat_map(|s| s.ports.iter().flatten()))
                    .filter_map(|p| p.node_port)
                    .collect();
                for port in spec
                    .ports
                    .iter_mut()
                    .flatten()
                    .filter(|p| p.node_port.is_none())
                {
                    let free = loop {
                        let candidate = cluster.rng.range(NODE_PORTS.0, NODE_PORTS.1) as i32;
                        if used.len() as u64 > NODE_PORTS.1 - NODE_PORTS.0 || used.insert(candidate)
                        {
                            break candidate;
                        }
                    };
                    port.node_port = Some(free);
                }
            }
        }
        // StorageObjectInUseProtection, on create only: a finalizer taken
        // off later (the usual cure for a claim stuck Terminating) stays off.
        Object::PersistentVolumeClaim(claim) => protect(&mut claim.metadata, PVC_PROTECTION),
        Object::PersistentVolume(volume) => protect(&mut volume.metadata, PV_PROTECTION),
        _ => {}
    }
}

fn protect(metadata: &mut ObjectMeta, finalizer: &str) {
    let finalizers = metadata.finalizers.get_or_insert_with(Vec::new);
    if !finalizers.iter().any(|f| f == finalizer) {
        finalizers.push(finalizer.to_string());
    }
}

/// The validating admission plugins an update passes after validation:
/// PersistentVolumeClaimResize lets a claim grow only when it is bound and
/// its StorageClass allows expansion (kind's `standard` does not).
pub fn admit_update(cluster: &Cluster, old: &Object, new: &Object) -> ApiResult<()> {
    if super::kind_workloads::template_changed(old, new) {
        return Err(ApiError::forbidden(super::kind_workloads::no_rollouts(new)));
    }
    let (Object::PersistentVolumeClaim(old), Object::PersistentVolumeClaim(new)) = (old, new)
    else {
        return Ok(());
    };
    if requested_storage(new) <= requested_storage(old) {
        return Ok(());
    }
    let forbidden = |why: &str| {
        Err(ApiError::forbidden(format!(
            "persistentvolumeclaims \"{}\" is forbidden: {why}",
            new.metadata.name.as_deref().unwrap_or("")
        )))
    };
    if old.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Bound") {
        return forbidden("Only bound persistent volume claims can be expanded");
    }
    let class =
        |c: &PersistentVolumeClaim| c.spec.as_ref().and_then(|s| s.storage_class_name.clone());
    let expandable = match (class(old), class(new)) {
        (Some(a), Some(b)) if a == b && !a.is_empty() => cluster
            .store()
            .get_typed::<StorageClass>("", &a)
            .and_then(|sc| sc.allow_volume_expansion)
            .unwrap_or(false),
        _ => false,
    };
    if !expandable {
        return forbidden("only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
    }
    Ok(())
}

/// The value of the PriorityClasses every cluster has (the Priority
/// plugin resolves `priorityClassName` into `priority`).
fn built_in_priority(class: &str) -> Option<i32> {
    match class {
        "system-node-critical" => Some(2_000_001_000),
        "system-cluster-critical" => Some(2_000_000_000),
        _ => None,
    }
}

fn token_volume(name: &str) -> Volume {
    Volume {
        name: name.to_string(),
        projected: Some(ProjectedVolumeSource {
            default_mode: Some(420),
            sources: Some(vec![
                VolumeProjection {
                    service_account_token: Some(ServiceAccountTokenProjection {
                        expiration_seconds: Some(3607),
                        path: "token".to_string(),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                VolumeProjection {
                    config_map: Some(ConfigMapProjection {
                        name: "kube-root-ca.crt".to_string(),
                        items: Some(vec![KeyToPath {
                            key: "ca.crt".to_string(),
                            path: "ca.crt".to_string(),
                            mode: None,
                        }]),
                        optional: None,
                    }),
                    ..Default::default()
                },
                VolumeProjection {
                    downward_api: Some(DownwardAPIProjection {
                        items: Some(vec![DownwardAPIVolumeFile {
                            field_ref: Some(ObjectFieldSelector {
                                api_version: Some("v1".to_string()),
                                field_path: "metadata.namespace".to_string(),
                            }),
                            path: "namespace".to_string(),
                            ..Default::default()
                        }]),
                    }),
                    ..Default::default()
                },
            ]),
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::Pod;

    use super::*;

    fn created(cluster: &mut Cluster, pod: serde_json::Value) -> Pod {
        let object = Object::from_json(Kind::Pod, pod).expect("a pod");
        let made = cluster.create(object).expect("created");
        made.as_typed::<Pod>().cloned().expect("a pod")
    }

    fn mounts(pod: &Pod) -> Vec<Vec<String>> {
        pod.spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .map(|c| {
                c.volume_mounts
                    .iter()
                    .flatten()
                    .filter(|m| m.mount_path == TOKEN_MOUNT)
                    .map(|m| m.name.clone())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_pod_with_a_token_volume_keeps_it_and_new_containers_mount_it() {
        let mut cluster = Cluster::new(1);
        let original = created(
            &mut cluster,
            serde_json::json!({
                "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "default"},
                "spec": {"containers": [{"name": "app", "image": "nginx"}]}
            }),
        );
        let volume = mounts(&original)[0][0].clone();
        assert!(volume.starts_with(TOKEN_VOLUME_PREFIX));
        // A copy with one more container, as `kubectl debug --copy-to` sends it.
        let mut spec = original.spec.clone().expect("a spec");
        spec.node_name = None;
        spec.containers.push(k8s_openapi::api::core::v1::Container {
            name: "debugger".to_string(),
            image: Some("busybox".to_string()),
            ..Default::default()
        });
        let copy = created(
            &mut cluster,
            serde_json::json!({
                "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b", "namespace": "default"},
                "spec": spec
            }),
        );
        assert_eq!(mounts(&copy), vec![vec![volume.clone()], vec![volume]]);
        let tokens = copy
            .spec
            .iter()
            .flat_map(|s| s.volumes.iter().flatten())
            .filter(|v| v.name.starts_with(TOKEN_VOLUME_PREFIX))
            .count();
        assert_eq!(tokens, 1);
    }
}
