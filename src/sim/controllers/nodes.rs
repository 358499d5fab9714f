//! The node lifecycle controller, taint-based eviction and the pod garbage
//! collector for vanished nodes: what happens when a kubelet stops
//! reporting or its node is removed.
//!
//! - After the node-monitor grace period the node's conditions turn
//!   `Unknown`, it is tainted `node.kubernetes.io/unreachable`, and its pods
//!   are marked not Ready.
//! - Pods are evicted when their toleration of the NoExecute taint runs out
//!   (300 s by default; see `taint_eviction`). Nobody confirms their
//!   shutdown, so they stay `Terminating` until force-deleted: a StatefulSet
//!   never runs a second pod with the same identity meanwhile.
//! - Pods bound to a node that no longer exists are force-deleted by PodGC.

use k8s_openapi::api::core::v1::{Node, NodeCondition, Pod, Taint};

use crate::sim::clock::{time, Millis, SECOND};
use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::events::{record, EventKind, Source};
use crate::sim::kubelet;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;

/// kube-controller-manager's --node-monitor-grace-period (1.34 default).
pub const NODE_MONITOR_GRACE: Millis = 50 * SECOND;
/// --node-monitor-period: how often the controller looks.
const NODE_MONITOR_PERIOD: Millis = 5 * SECOND;
/// PodGC waits this long before deleting pods of a vanished node.
const POD_GC_QUARANTINE: Millis = 40 * SECOND;
/// PodGC's check period.
const POD_GC_PERIOD: Millis = 20 * SECOND;

pub const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";

const NODE_CONTROLLER: Source<'static> = Source {
    component: "node-controller",
    host: None,
};

/// The kubelet on `node` stops reporting (network partition, crash).
pub fn disconnect(cluster: &mut Cluster, node: &str) {
    kubelet::set_connected(cluster, node, false);
    let delay = NODE_MONITOR_GRACE + cluster.jitter(0, NODE_MONITOR_PERIOD);
    cluster.enqueue(Task::MonitorNode(node.to_string()), delay);
}

/// The kubelet on `node` reports again: Ready, taints lifted, pods synced.
pub fn reconnect(cluster: &mut Cluster, node: &str) {
    let now = cluster.now();
    let current = cluster.store.get_typed::<Node>("", node).cloned();
    match current {
        Some(mut object) => {
            let was_ready = is_ready(&object);
            if let Some(status) = object.status.as_mut() {
                for c in status.conditions.iter_mut().flatten() {
                    let (status, reason, message) = healthy_condition(&c.type_);
                    if c.status != status {
                        c.last_transition_time = Some(time(now));
                    }
                    c.status = status.to_string();
                    c.reason = Some(reason.to_string());
                    c.message = Some(message.to_string());
                    c.last_heartbeat_time = Some(time(now));
                }
            }
            if let Some(spec) = object.spec.as_mut() {
                if let Some(taints) = spec.taints.as_mut() {
                    taints.retain(|t| t.key != UNREACHABLE_TAINT);
                }
                if spec.taints.as_ref().is_some_and(Vec::is_empty) {
                    spec.taints = None;
                }
            }
            if let Some(written) = cluster.write(Object::Node(Box::new(object))) {
                if !was_ready {
                    let source = Source {
                        component: "kubelet",
                        host: Some(node),
                    };
                    let message = format!("Node {node} status is now: NodeReady");
                    record(
                        cluster,
                        &written,
                        EventKind::Normal,
                        "NodeReady",
                        message,
                        source,
                    );
                }
            }
        }
        None => {
            // A removed node's kubelet registers it again.
            if let Some(object) = crate::sim::bootstrap::node_named(node, &cluster.shape, now) {
                let _ = cluster.create(Object::Node(Box::new(object)));
            }
        }
    }
    kubelet::set_connected(cluster, node, true);
}

/// The node object is deleted (the machine is gone for good).
pub fn remove(cluster: &mut Cluster, node: &str) -> Result<(), String> {
    let key = ObjectKey::new(Kind::Node, "", node);
    cluster
        .delete(&key, &DeleteOptions::default())
        .map_err(|e| e.kubectl_text())?;
    kubelet::set_connected(cluster, node, false);
    let delay = POD_GC_QUARANTINE + cluster.jitter(0, POD_GC_PERIOD);
    cluster.enqueue(Task::CollectOrphanPods(node.to_string()), delay);
    Ok(())
}

fn healthy_condition(type_: &str) -> (&'static str, &'static str, &'static str) {
    match type_ {
        "MemoryPressure" => (
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        "DiskPressure" => (
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        "PIDPressure" => (
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        _ => ("True", "KubeletReady", "kubelet is posting ready status"),
    }
}

fn is_ready(node: &Node) -> bool {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True")
}

/// The grace period ran out without a heartbeat.
pub fn monitor(cluster: &mut Cluster, node: &str) {
    let reporting = cluster.kubelets.get(node).is_none_or(|k| k.connected);
    let Some(mut object) = cluster.store.get_typed::<Node>("", node).cloned() else {
        return;
    };
    let unknown = object
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "Unknown");
    if reporting || unknown {
        return;
    }
    let now = cluster.now();
    if let Some(status) = object.status.as_mut() {
        for c in status.conditions.iter_mut().flatten() {
            mark_unknown(c, now);
        }
    }
    let taints = object
        .spec
        .get_or_insert_with(Default::default)
        .taints
        .get_or_insert_with(Vec::new);
    for effect in ["NoSchedule", "NoExecute"] {
        taints.push(Taint {
            key: UNREACHABLE_TAINT.to_string(),
            effect: effect.to_string(),
            time_added: (effect == "NoExecute").then(|| time(now)),
            value: None,
        });
    }
    let Some(written) = cluster.write(Object::Node(Box::new(object))) else {
        return;
    };
    let message = format!("Node {node} status is now: NodeNotReady");
    record(
        cluster,
        &written,
        EventKind::Normal,
        "NodeNotReady",
        message,
        NODE_CONTROLLER,
    );
    for (ns, name) in cluster.index.pods_on_node(node) {
        mark_pod_not_ready(cluster, &ns, &name, now);
    }
}

fn mark_unknown(condition: &mut NodeCondition, now: Millis) {
    if condition.status != "Unknown" {
        condition.last_transition_time = Some(time(now));
    }
    condition.status = "Unknown".to_string();
    condition.reason = Some("NodeStatusUnknown".to_string());
    condition.message = Some("Kubelet stopped posting node status.".to_string());
}

fn mark_pod_not_ready(cluster: &mut Cluster, namespace: &str, name: &str, now: Millis) {
    let Some(pod) = cluster.store.get_typed::<Pod>(namespace, name).cloned() else {
        return;
    };
    let mut updated = pod.clone();
    if let Some(conditions) = updated.status.as_mut().and_then(|s| s.conditions.as_mut()) {
        for c in conditions
            .iter_mut()
            .filter(|c| c.type_ == "Ready" && c.status != "False")
        {
            c.status = "False".to_string();
            c.last_transition_time = Some(time(now));
        }
    }
    if let Some(written) = cluster.write(Object::Pod(Box::new(updated))) {
        let message = "Node is not ready".to_string();
        record(
            cluster,
            &written,
            EventKind::Warning,
            "NodeNotReady",
            message,
            NODE_CONTROLLER,
        );
    }
}

/// PodGC: pods bound to a node that no longer exists are failed and force-deleted.
pub fn collect_orphans(cluster: &mut Cluster, node: &str) {
    if cluster.store.get_typed::<Node>("", node).is_some() {
        return;
    }
    let now = cluster.now();
    for (ns, name) in cluster.index.pods_on_node(node) {
        let Some(pod) = cluster.store.get_typed::<Pod>(&ns, &name).cloned() else {
            continue;
        };
        let mut failed = pod.clone();
        pods::mark_disruption_target(
            &mut failed,
            "DeletionByPodGC",
            "PodGC: node no longer exists",
            now,
        );
        if pods::is_active(&pod) {
            failed.status.get_or_insert_with(Default::default).phase = Some("Failed".to_string());
        }
        cluster.write(Object::Pod(Box::new(failed)));
        let force = DeleteOptions {
            grace_seconds: Some(0),
            ..Default::default()
        };
        let _ = cluster.delete(&ObjectKey::new(Kind::Pod, &ns, &name), &force);
    }
}
