//! Stand-ins for the controllers that keep kind's own pods, whose kinds
//! stsplay does not simulate: the DaemonSet controller keeps one kindnet and
//! one kube-proxy pod on every node, the ReplicaSet controller keeps CoreDNS's
//! two pods and the local-path provisioner. When one of their pods is
//! deleted or ends, a new one is created at once (while the old one still
//! terminates), and the scheduler places it. A static pod's mirror is the
//! kubelet's to put back (`kubelet::remirror`).

use k8s_openapi::api::core::v1::Pod;

use crate::sim::cluster::{Cluster, Task};
use crate::sim::object::{Kind, Object};
use crate::sim::pods;
use crate::sim::store::EventType;
use crate::sim::system_pods::{self, Keeper};

/// Informer handler: a change to one of the keepers' pods, or a new node
/// (which every DaemonSet wants a pod on).
pub fn route(cluster: &mut Cluster, ty: EventType, object: &Object) {
    match object {
        Object::Node(_) if ty == EventType::Added => {
            for template in system_pods::templates().iter() {
                if Keeper::of(template) == Some(Keeper::DaemonSet) {
                    queue(cluster, template);
                }
            }
        }
        Object::Pod(pod) if ty == EventType::Deleted || !counts(pod) => {
            if matches!(
                Keeper::of(object),
                Some(Keeper::DaemonSet | Keeper::ReplicaSet)
            ) {
                queue(cluster, object);
            }
        }
        _ => {}
    }
}

/// Queued without jitter: the bootstrap's nodes draw no random numbers, so
/// every later uid stays as it was.
fn queue(cluster: &mut Cluster, pod: &Object) {
    if let Some(owner) = pod.controller() {
        cluster.enqueue(Task::KeepSystemPods(owner.name.clone()), 0);
    }
}

/// A pod its controller still counts: neither deleted nor finished.
fn counts(pod: &Pod) -> bool {
    !pods::is_terminating(pod) && pods::is_active(pod)
}

/// Creates the pods `owner` is missing.
pub fn sync(cluster: &mut Cluster, owner: &str) {
    let Some(template) = system_pods::template_of(owner) else {
        return;
    };
    let uid = system_pods::owner_uid(owner);
    let kept: Vec<Option<String>> = cluster
        .store
        .list(Kind::Pod)
        .filter(|o| o.namespace() == template.namespace() && o.controller_uid() == Some(&uid))
        .filter_map(|o| o.as_typed::<Pod>())
        .filter(|p| counts(p))
        .map(|p| system_pods::node_of(p).map(str::to_string))
        .collect();
    let nodes: Vec<Option<String>> = match Keeper::of(&template) {
        Some(Keeper::DaemonSet) => cluster
            .store
            .list(Kind::Node)
            .map(|n| n.name().to_string())
            .filter(|n| !kept.iter().any(|k| k.as_deref() == Some(n)))
            .map(Some)
            .collect(),
        Some(Keeper::ReplicaSet) => {
            let missing = system_pods::replicas(owner).saturating_sub(kept.len());
            vec![None; missing]
        }
        _ => Vec::new(),
    };
    for node in nodes {
        let (mut pod, name) = system_pods::new_pod(cluster, &template);
        if let Some(node) = &node {
            system_pods::meant_for(&mut pod, &name, node, cluster);
        } else {
            pod.meta_mut().name = Some(name);
        }
        // Refused only while its namespace goes away; the next change tries again.
        let _ = cluster.create(pod);
    }
}
