//! The control-plane loops, and the routing of store changes to them.

pub mod affinity;
pub mod disruption;
pub mod endpoint_slices;
pub mod endpoints;
pub mod endpoints_view;
pub mod gc;
pub mod local_path;
pub mod namespaces;
pub mod nodes;
pub mod provisioner_log;
pub mod resources_fit;
pub mod retention;
pub mod revision;
pub mod revisions;
pub mod root_ca;
pub mod scheduler;
pub mod service_accounts;
pub mod stateful_cache;
pub mod stateful_facts;
pub mod stateful_pods;
pub mod stateful_status;
pub mod statefulset;
pub mod system_workloads;
pub mod taint_eviction;
pub mod topology_spread;
pub mod trigger_time;
pub mod volume_bind;
pub mod volume_expand;
pub mod volume_match;
pub mod volume_reclaim;
pub mod volumes;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use super::cluster::{Cluster, Task};
use super::labels::selector_matches;
use super::object::Object;
use super::pods;
use super::store::{EventType, WatchEvent};

/// Informer handlers: which queued work a change causes, and how soon.
pub fn route(cluster: &mut Cluster, change: &WatchEvent) {
    let (ty, object) = (change.ty, &*change.object);
    if let Object::Event(_) = object {
        // Nothing watches Events but clients.
        return;
    }
    let ns = object.namespace().to_string();
    let name = object.name().to_string();
    match object {
        Object::StatefulSet(_) => {
            let delay = cluster.jitter(5, 30);
            cluster.enqueue(Task::SyncStatefulSet(ns.clone(), name), delay);
            // A budget's expected pods follow the scale of their controller.
            disruption::enqueue_covering(cluster, &ns, None);
        }
        Object::PodDisruptionBudget(_) if ty != EventType::Deleted => {
            let delay = cluster.jitter(5, 30);
            cluster.enqueue(Task::SyncDisruptionBudget(ns, name), delay);
        }
        Object::Pod(pod) => route_pod(cluster, change, pod, ns, name),
        Object::PersistentVolumeClaim(claim) => {
            if ty == EventType::Modified && !change.status_only && volume_expand::wants_more(claim)
            {
                let delay = cluster.jitter(5, 30);
                cluster.enqueue(Task::ExpandClaim(ns.clone(), name.clone()), delay);
            }
            route_claim(cluster, ty, claim, ns, name)
        }
        Object::Service(_) => {
            let delay = cluster.jitter(5, 30);
            cluster.enqueue(Task::SyncEndpoints(ns, name), delay);
        }
        Object::PersistentVolume(_) if ty != EventType::Deleted => {
            let delay = cluster.jitter(5, 30);
            cluster.enqueue(Task::SyncVolume(name), delay);
        }
        Object::PersistentVolume(pv) => volumes::volume_deleted(cluster, pv),
        Object::Namespace(namespace) if namespace.metadata.deletion_timestamp.is_some() => {
            cluster.enqueue(Task::SyncNamespace(name), namespaces::DELETION_GRACE);
        }
        // The publisher reacts at once (no jitter: the bootstrap's namespaces
        // draw no random numbers, so every later uid stays as it was).
        Object::Namespace(_) if ty != EventType::Deleted => {
            cluster.enqueue(Task::PublishRootCa(name.clone()), 0);
            cluster.enqueue(Task::SyncServiceAccounts(name), 0);
        }
        Object::ConfigMap(_) if name == root_ca::CONFIG_MAP && ty != EventType::Added => {
            cluster.enqueue(Task::PublishRootCa(ns), 0);
        }
        Object::ServiceAccount(_)
            if name == service_accounts::DEFAULT && ty == EventType::Deleted =>
        {
            cluster.enqueue(Task::SyncServiceAccounts(ns), 0);
        }
        Object::Node(node) => {
            super::kubelet::node_changed(cluster, node);
            taint_eviction::node_changed(cluster, &name);
            let waiting: Vec<(String, String)> = cluster.index.unscheduled().cloned().collect();
            for (ns, name) in waiting {
                let delay = cluster.jitter(50, 200);
                cluster.enqueue(Task::Schedule(ns, name), delay);
            }
        }
        _ => {}
    }
    system_workloads::route(cluster, ty, object);
    gc::route(cluster, ty, object);
}

fn route_pod(cluster: &mut Cluster, change: &WatchEvent, pod: &Pod, ns: String, name: String) {
    let ty = change.ty;
    // The StatefulSet controller watches its pods (and orphans it might adopt).
    let owners: Vec<String> = match pod
        .metadata
        .owner_references
        .as_ref()
        .and_then(|o| o.iter().find(|r| r.controller == Some(true)))
    {
        Some(owner) if owner.kind == "StatefulSet" => vec![owner.name.clone()],
        Some(_) => vec![],
        None => cluster
            .store
            .list_typed::<StatefulSet>(&ns)
            .filter(|s| {
                s.spec.as_ref().is_some_and(|spec| {
                    selector_matches(&spec.selector, pod.metadata.labels.as_ref())
                })
            })
            .filter_map(|s| s.metadata.name.clone())
            .collect(),
    };
    for owner in owners {
        let delay = cluster.jitter(5, 30);
        cluster.enqueue(Task::SyncStatefulSet(ns.clone(), owner), delay);
    }
    let placed = pods::node_name(pod).is_some();
    // A finished pod leaves the scheduler's view as a deleted one does (its
    // informer lists only pods that have not finished), freeing its place.
    if placed
        && !cluster.waiting_for_pods.is_empty()
        && (ty == EventType::Deleted || !change.status_only || !pods::is_active(pod))
    {
        scheduler::placement_changed(cluster);
    }
    if ty == EventType::Deleted {
        if placed {
            // The kubelet forgets the pod's runtime state.
            cluster.enqueue(Task::Kubelet(ns.clone(), name.clone()), 0);
        } else {
            scheduler::pod_deleted(cluster, &ns, &name);
        }
    } else if !change.status_only {
        // A change of status alone moves neither the scheduling queue (its
        // isPodUpdated ignores status, so the scheduler's own PodScheduled=False
        // does not bring a retry) nor the kubelet (its pod config reconciles
        // such a change without a sync).
        match pods::node_name(pod) {
            None if !pods::is_terminating(pod) => {
                let delay = cluster.jitter(20, 120);
                cluster.enqueue(Task::Schedule(ns.clone(), name.clone()), delay);
            }
            Some(_) => {
                let delay = cluster.jitter(20, 150);
                cluster.enqueue(Task::Kubelet(ns.clone(), name.clone()), delay);
                taint_eviction::pod_changed(cluster, &ns, &name);
            }
            None => {}
        }
    }
    let services: Vec<String> = cluster
        .store
        .list_typed::<k8s_openapi::api::core::v1::Service>(&ns)
        .filter(|s| endpoints::selects(s, pod))
        .filter_map(|s| s.metadata.name.clone())
        .collect();
    for service in services {
        let delay = cluster.jitter(5, 50);
        cluster.enqueue(Task::SyncEndpoints(ns.clone(), service), delay);
    }
    disruption::enqueue_covering(cluster, &ns, Some(pod));
    local_path::provisioner_changed(cluster, &ns);
}

fn route_claim(
    cluster: &mut Cluster,
    ty: EventType,
    claim: &PersistentVolumeClaim,
    ns: String,
    name: String,
) {
    // The PV controller binds new claims and reclaims the volumes of deleted
    // ones; the provisioner watches claims too.
    volumes::queue_claim(cluster, ns.clone(), name.clone());
    if ty != EventType::Deleted {
        let delay = cluster.jitter(10, 60);
        cluster.enqueue(Task::Provision(ns.clone(), name.clone()), delay);
    }
    volumes::claim_changed(cluster);
    let bound = claim.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
    if bound || ty != EventType::Modified {
        // Pods waiting for this claim get another scheduling attempt.
        let users = cluster.index.claim_users(&ns, &name);
        for pod in users {
            if cluster.index.is_unscheduled(&ns, &pod) {
                let delay = cluster.jitter(20, 100);
                cluster.enqueue(Task::Schedule(ns.clone(), pod), delay);
            }
        }
    }
}
