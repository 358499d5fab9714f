//! Stand-ins for the controllers that keep kind's own pods: the DaemonSet
//! controller keeps one kindnet and one kube-proxy pod on every node, the
//! ReplicaSet controller keeps CoreDNS's two pods and the local-path
//! provisioner. When one of their pods is deleted or ends, a new one is
//! created at once (while the old one still terminates), and the scheduler
//! places it; whatever happens to their pods, their DaemonSets, ReplicaSets
//! and Deployments report it in their status (`kind_workloads`). Once one of
//! those objects is deleted, its pods are the garbage collector's. A static
//! pod's mirror is the kubelet's to put back (`kubelet::remirror`).

use std::rc::Rc;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;

use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::events::{self, EventKind, Source};
use crate::sim::kind_workloads;
use crate::sim::object::{Kind, Object};
use crate::sim::pods;
use crate::sim::store::EventType;
use crate::sim::system_pods::{self, Keeper};

/// Informer handler: a change to one of kind's workloads or their pods, or a
/// new node (which every DaemonSet wants a pod on).
pub fn route(cluster: &mut Cluster, ty: EventType, object: &Object) {
    match object {
        Object::Node(_) if ty == EventType::Added => {
            for template in system_pods::templates(&cluster.shape().name).iter() {
                if Keeper::of(template) == Some(Keeper::DaemonSet) {
                    queue(cluster, template);
                }
            }
        }
        // Any change may be one their status reports (a pod that became ready).
        Object::Pod(_) => {
            if matches!(
                Keeper::of(object),
                Some(Keeper::DaemonSet | Keeper::ReplicaSet)
            ) {
                queue(cluster, object);
            }
        }
        Object::DaemonSet(_) | Object::ReplicaSet(_) => {
            cluster.enqueue(Task::KeepSystemPods(object.name().to_string()), 0);
        }
        Object::Deployment(_) => {
            if let Some(set) = replica_set_of(cluster, object.namespace(), object.name()) {
                cluster.enqueue(Task::KeepSystemPods(set.name().to_string()), 0);
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

/// kind's ReplicaSet of one of its Deployments, as `kind_system.yaml` has it.
fn replica_set_of(cluster: &Cluster, namespace: &str, deployment: &str) -> Option<Object> {
    system_pods::templates(&cluster.shape().name)
        .iter()
        .find(|o| {
            o.kind() == Kind::ReplicaSet
                && o.namespace() == namespace
                && o.controller().is_some_and(|c| c.name == deployment)
        })
        .cloned()
}

/// Does for `owner` (a DaemonSet or a ReplicaSet of kind's) what its
/// controllers would, then reports their status.
pub fn sync(cluster: &mut Cluster, owner: &str) {
    follow_deployment(cluster, owner);
    keep(cluster, owner);
    kind_workloads::report(cluster);
}

/// The Deployment controller's part for one of kind's ReplicaSets: made again
/// when it was deleted while its Deployment was not, and scaled as its
/// Deployment asks (the replica annotations follow, as kubectl shows them).
fn follow_deployment(cluster: &mut Cluster, owner: &str) {
    let Some(template) = system_pods::templates(&cluster.shape().name)
        .iter()
        .find(|o| o.kind() == Kind::ReplicaSet && o.name() == owner)
        .cloned()
    else {
        return;
    };
    let namespace = template.namespace();
    let Some(deployment) = template
        .controller()
        .and_then(|c| {
            cluster
                .store
                .get_named(Kind::Deployment, namespace, &c.name)
        })
        .cloned()
    else {
        return;
    };
    let Some(spec) = deployment
        .as_typed::<Deployment>()
        .and_then(|d| d.spec.clone())
    else {
        return;
    };
    if deployment.is_terminating() {
        return;
    }
    let wanted = spec.replicas.unwrap_or(1);
    let stored = cluster
        .store
        .get_named(Kind::ReplicaSet, namespace, owner)
        .cloned();
    let (had, set) = match stored.as_ref().and_then(|o| o.as_typed::<ReplicaSet>()) {
        Some(set) => (
            set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
            set.clone(),
        ),
        None => {
            let uid = cluster.rng.uuid();
            let Some(created) = kind_workloads::create(cluster, &template, uid) else {
                return;
            };
            let Some(set) = created.as_typed::<ReplicaSet>().cloned() else {
                return;
            };
            (0, set)
        }
    };
    if had != wanted || stored.is_none() {
        let mut scaled = set;
        kind_workloads::scale(&mut scaled, wanted, &spec);
        cluster.write(Object::ReplicaSet(Box::new(scaled)));
        kind_workloads::record_scaled(cluster, &deployment, owner, had, wanted);
    }
}

fn keep(cluster: &mut Cluster, owner: &str) {
    let Some(template) = system_pods::template_of(&cluster.shape().name, owner) else {
        return;
    };
    let kind = match Keeper::of(&template) {
        Some(Keeper::DaemonSet) => Kind::DaemonSet,
        _ => Kind::ReplicaSet,
    };
    let Some(stored) = cluster
        .store
        .get_named(kind, template.namespace(), owner)
        .cloned()
    else {
        return;
    };
    if stored.is_terminating() {
        return;
    }
    let uid = stored.uid().to_string();
    let kept = kind_workloads::counted_pods(cluster, template.namespace(), &uid);
    let nodes: Vec<Option<String>> = match Keeper::of(&template) {
        Some(Keeper::DaemonSet) => cluster
            .store
            .list(Kind::Node)
            .map(|n| n.name().to_string())
            .filter(|n| {
                !kept
                    .iter()
                    .filter_map(|k| k.as_typed::<Pod>())
                    .any(|k| system_pods::node_of(k) == Some(n))
            })
            .map(Some)
            .collect(),
        Some(Keeper::ReplicaSet) => {
            let wanted = stored
                .as_typed::<ReplicaSet>()
                .and_then(|s| s.spec.as_ref()?.replicas)
                .map_or(1, |n| usize::try_from(n).unwrap_or(0));
            if kept.len() > wanted {
                delete_extra(cluster, &stored, kept, wanted);
                return;
            }
            vec![None; wanted - kept.len()]
        }
        _ => Vec::new(),
    };
    for node in nodes {
        let (mut pod, name) = system_pods::new_pod(cluster, &template);
        // The controller's uid: one made again has a new one.
        for reference in pod.meta_mut().owner_references.iter_mut().flatten() {
            reference.uid = uid.clone();
        }
        if let Some(node) = &node {
            system_pods::meant_for(&mut pod, &name, node, cluster);
        } else {
            pod.meta_mut().name = Some(name);
        }
        // Refused only while its namespace goes away; the next change tries again.
        if let Ok(created) = cluster.create(pod) {
            kind_workloads::record_created(cluster, &stored, created.name());
        }
    }
}

/// Scales a ReplicaSet down as its controller ranks pods: unscheduled before
/// scheduled, pending before running, not ready before ready, newest first.
fn delete_extra(cluster: &mut Cluster, set: &Object, mut kept: Vec<Rc<Object>>, wanted: usize) {
    let rank = |o: &Rc<Object>| {
        let pod = o.as_typed::<Pod>();
        (
            pod.and_then(pods::node_name).is_some(),
            pod.map(pods::phase) == Some("Running"),
            pod.is_some_and(pods::is_running_and_ready),
            std::cmp::Reverse(o.meta().creation_timestamp.clone()),
        )
    };
    kept.sort_by_key(rank);
    let extra = kept.len() - wanted;
    for pod in kept.into_iter().take(extra) {
        let key = pod.key();
        if cluster.delete(&key, &DeleteOptions::default()).is_ok() {
            let message = format!("Deleted pod: {}", pod.name());
            let normal = EventKind::Normal;
            events::record(
                cluster,
                set,
                normal,
                "SuccessfulDelete",
                message,
                Source::REPLICA_SET,
            );
        }
    }
}
