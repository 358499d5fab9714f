//! The Events kind's nodes leave while the cluster comes up, as kind v0.30
//! with Kubernetes 1.34 shows them for the first hour: each kubelet's start
//! (`Starting kubelet.`, the three NodeHas… conditions once per registration
//! attempt, NodeAllocatableEnforced), the node controller's RegisteredNode,
//! kube-proxy's Starting (through events.k8s.io, with no note) and NodeReady
//! once the network is up.
//!
//! The control plane's kubelet runs twice: kubeadm starts it before the
//! apiserver is up (its registration attempts pile up until the recorder's
//! limit of 25 events, so 8, 8 and 7 of the NodeHas… kinds), then restarts it
//! about 8 s later. A worker's first `Starting kubelet.` is lost while its
//! client certificate is issued, and its conditions are recorded three times.

use super::cluster::Cluster;
use super::events::{self, node_reference, record_about, reference, EventKind, Source};
use super::object::Object;

/// How a kubelet process's start shows: whether its Starting event reaches
/// the apiserver, and how many times each condition is recorded.
#[derive(Clone, Copy)]
pub struct KubeletStart {
    pub starting: bool,
    /// NodeHasSufficientMemory, NodeHasNoDiskPressure, NodeHasSufficientPID.
    pub conditions: [u8; 3],
    /// NodeAllocatableEnforced comes before the conditions (a restart of a
    /// registered node) or after them.
    pub allocatable_first: bool,
}

pub const CONTROL_PLANE_FIRST_RUN: KubeletStart = KubeletStart {
    starting: true,
    conditions: [8, 8, 7],
    allocatable_first: false,
};

pub const CONTROL_PLANE_RESTART: KubeletStart = KubeletStart {
    starting: true,
    conditions: [1, 1, 1],
    allocatable_first: true,
};

pub const WORKER_START: KubeletStart = KubeletStart {
    starting: false,
    conditions: [3, 3, 3],
    allocatable_first: false,
};

const CONDITIONS: [&str; 3] = [
    "NodeHasSufficientMemory",
    "NodeHasNoDiskPressure",
    "NodeHasSufficientPID",
];

fn kubelet(node: &Object) -> Source<'_> {
    Source {
        component: "kubelet",
        host: Some(node.name()),
    }
}

/// Records one kubelet process's start about `node`.
pub fn kubelet_started(cluster: &mut Cluster, node: &Object, start: KubeletStart) {
    // A new process has a recorder of its own: nothing aggregates with the last one's.
    events::restart_recorder(cluster);
    let name = node.name().to_string();
    let record = |cluster: &mut Cluster, reason: &str, message: String| {
        record_about(
            cluster,
            node,
            node_reference(node),
            EventKind::Normal,
            reason,
            message,
            kubelet(node),
        );
    };
    let allocatable = |cluster: &mut Cluster| {
        record(
            cluster,
            "NodeAllocatableEnforced",
            "Updated Node Allocatable limit across pods".to_string(),
        );
    };
    if start.starting {
        record(cluster, "Starting", "Starting kubelet.".to_string());
    }
    if start.allocatable_first {
        allocatable(cluster);
    }
    let attempts = start.conditions.iter().copied().max().unwrap_or(0);
    for attempt in 0..attempts {
        for (condition, times) in CONDITIONS.iter().zip(start.conditions) {
            if attempt < times {
                record(
                    cluster,
                    condition,
                    format!("Node {name} status is now: {condition}"),
                );
            }
        }
    }
    if !start.allocatable_first {
        allocatable(cluster);
    }
}

/// The node lifecycle controller sees the node for the first time.
pub fn registered(cluster: &mut Cluster, node: &Object) {
    let name = node.name();
    record_about(
        cluster,
        node,
        reference(node),
        EventKind::Normal,
        "RegisteredNode",
        format!("Node {name} event: Registered Node {name} in Controller"),
        Source {
            component: "node-controller",
            host: None,
        },
    );
}

/// kube-proxy's birth cry on its node, through events.k8s.io.
pub fn kube_proxy_started(cluster: &mut Cluster, node: &Object) {
    events::record_action_about(
        cluster,
        node,
        node_reference(node),
        "StartKubeProxy",
        EventKind::Normal,
        "Starting",
        String::new(),
        Source {
            component: "kube-proxy",
            host: Some(node.name()),
        },
    );
}

/// The kubelet reports the node Ready once the network is up.
pub fn ready(cluster: &mut Cluster, node: &Object) {
    let name = node.name();
    record_about(
        cluster,
        node,
        node_reference(node),
        EventKind::Normal,
        "NodeReady",
        format!("Node {name} status is now: NodeReady"),
        kubelet(node),
    );
}
