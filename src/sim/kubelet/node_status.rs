//! The kubelet's node status updates, as far as a learner sees them: after a
//! cordon or uncordon, its next update (every 10 s) records that the node's
//! schedulability changed (recordNodeSchedulableEvent).

use k8s_openapi::api::core::v1::Node;

use crate::sim::cluster::{Cluster, Task};
use crate::sim::events::{node_reference, record_about, EventKind, Source};
use crate::sim::object::Kind;

/// nodeStatusUpdateFrequency: a change waits for the next update.
const UPDATE_EVERY_MS: u64 = 10_000;

/// The node object changed: when its kubelet has yet to report the
/// cordon, it does so at its next status update.
pub fn node_changed(cluster: &mut Cluster, node: &Node) {
    let name = node.metadata.name.as_deref().unwrap_or("");
    if pending(cluster, name, node) {
        let delay = cluster.jitter(0, UPDATE_EVERY_MS);
        cluster.enqueue(Task::NodeStatus(name.to_string()), delay);
    }
}

pub fn sync_node_status(cluster: &mut Cluster, name: &str) {
    let Some(object) = cluster.store.get_named(Kind::Node, "", name).cloned() else {
        return;
    };
    let Some(node) = object.as_typed::<Node>() else {
        return;
    };
    if !pending(cluster, name, node) {
        return;
    }
    let unschedulable = cordoned(node);
    if let Some(kubelet) = cluster.kubelets.get_mut(name) {
        kubelet.unschedulable = unschedulable;
    }
    let reason = if unschedulable {
        "NodeNotSchedulable"
    } else {
        "NodeSchedulable"
    };
    let source = Source {
        component: "kubelet",
        host: Some(name),
    };
    let message = format!("Node {name} status is now: {reason}");
    let involved = node_reference(&object);
    record_about(
        cluster,
        &object,
        involved,
        EventKind::Normal,
        reason,
        message,
        source,
    );
}

/// Whether a connected kubelet has not yet reported the node's cordon state.
fn pending(cluster: &Cluster, name: &str, node: &Node) -> bool {
    cluster
        .kubelets
        .get(name)
        .is_some_and(|k| k.connected && k.unschedulable != cordoned(node))
}

fn cordoned(node: &Node) -> bool {
    node.spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
}
