//! Pods a node already runs when kind hands the cluster over (its
//! kube-system and local-path-storage pods): the kubelet has run their
//! containers since then and has written their status.

use std::rc::Rc;

use k8s_openapi::api::core::v1::Pod;

use super::container::{self, Ctr};
use super::{record_emitted, status, tag, ByContainer, InitProgress, PodRuntime};
use crate::sim::cluster::Cluster;
use crate::sim::object::{Kind, Object};
use crate::sim::pod_containers::List;
use crate::sim::pods;

/// Makes the stored pod's containers run on its node since now (or, for a
/// mirror pod put back, go on running), and writes the pod's status.
pub fn adopt(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(object) = cluster.store.get_named(Kind::Pod, namespace, name).cloned() else {
        return;
    };
    let Some(pod) = object.as_typed::<Pod>() else {
        return;
    };
    let Some(node) = pods::node_name(pod) else {
        return;
    };
    let now = cluster.now();
    let spec = pod.spec.as_ref();
    let specs = spec.map(|s| s.containers.as_slice()).unwrap_or_default();
    let Cluster {
        kubelets,
        rng,
        runtime: data,
        ..
    } = cluster;
    let Some(kubelet) = kubelets.get_mut(node) else {
        return;
    };
    let key = (namespace.to_string(), name.to_string());
    let host_ip = kubelet.host_ip();
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let kept_runtime = kubelet.pods.remove(&key);
    let kept = kept_runtime.is_some();
    let runtime = match kept_runtime {
        // A mirror pod put back: the static pod's containers run on.
        Some(kept) => PodRuntime { uid, ..kept },
        None => {
            let containers = specs
                .iter()
                .map(|c| Ctr::running_since(c, now, rng))
                .collect();
            let ip = if spec.and_then(|s| s.host_network) == Some(true) {
                host_ip.clone()
            } else {
                kubelet.ips.allocate()
            };
            PodRuntime {
                uid,
                ip: Some(ip),
                started_at: now,
                sandbox_ready: true,
                reported: true,
                reported_init: InitProgress::Done,
                init: Vec::new(),
                containers,
                ephemeral: Vec::new(),
                stopping: None,
                mounting: None,
                manifest: pods::is_mirror(pod).then(|| Rc::new(manifest(&object))),
            }
        }
    };
    let status = status::pod_status(&runtime, pod, host_ip, now);
    // The kubelet started a new pod's containers, from images it had.
    let mut started = ByContainer::new();
    for c in &runtime.containers {
        if let Some(id) = &c.id {
            data.container_started(&runtime.uid, c.name(), id, now);
        }
        if !kept {
            let mut events = vec![container::already_present(&c.image())];
            events.extend(container::created_and_started(c.name()));
            tag(&mut started, c, List::Main, events);
        }
    }
    let node = node.to_string();
    kubelet.pods.insert(key, runtime);
    record_emitted(cluster, &object, &node, started);
    cluster.write_pod_status(namespace, name, status);
}

/// The pod as its manifest file says, without what the apiserver adds.
fn manifest(pod: &Object) -> Object {
    let mut manifest = pod.clone();
    let meta = manifest.meta_mut();
    meta.uid = None;
    meta.resource_version = None;
    meta.creation_timestamp = None;
    if let Object::Pod(pod) = &mut manifest {
        pod.status = None;
    }
    manifest
}

/// Creates the mirror pod of a static pod again, for the containers that
/// kept running.
pub(super) fn remirror(cluster: &mut Cluster, manifest: &Object) {
    let (namespace, name) = (
        manifest.namespace().to_string(),
        manifest.name().to_string(),
    );
    if cluster.create(manifest.clone()).is_ok() {
        adopt(cluster, &namespace, &name);
    }
}
