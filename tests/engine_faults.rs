//! Faults (issue §6): what breaks and how the cluster reacts, including the
//! StatefulSet's at-most-one-pod-per-identity guarantee.

mod common;

use common::*;
use stsplay::sim::clock::{MINUTE, SECOND};
use stsplay::sim::controllers::nodes::NODE_MONITOR_GRACE;
use stsplay::sim::{Cluster, Fault, Target};

fn node_ready(cluster: &Cluster, node: &str) -> String {
    cluster
        .store()
        .get_typed::<k8s_openapi::api::core::v1::Node>("", node)
        .and_then(|n| {
            n.status
                .clone()?
                .conditions?
                .into_iter()
                .find(|c| c.type_ == "Ready")
        })
        .map(|c| c.status)
        .unwrap_or_default()
}

#[test]
fn a_killed_container_exits_137_and_restarts() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let kill = || Fault::KillContainer(Target::pod(NS, "web-0"));
    cluster.fault(kill()).unwrap();
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "web-0")
        .is_some_and(
            |p| restart_count(&p) == 1 && running_and_ready(c, "web-0")
        )));
    let last = last_terminated(&pod(&cluster, "web-0").unwrap());
    assert_eq!(last, Some((137, "Error".to_string())));
    // A second kill soon after is within the back-off window.
    cluster.fault(kill()).unwrap();
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "web-0")
        .and_then(|p| waiting_reason(&p))
        .as_deref()
        == Some("CrashLoopBackOff")));
    settle(&mut cluster);
    assert_eq!(restart_count(&pod(&cluster, "web-0").unwrap()), 2);
}

#[test]
fn an_unreachable_node_leaves_its_pod_terminating_until_force_deleted() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    let node = node_of(&cluster, "web-0");
    let old_uid = pod(&cluster, "web-0").unwrap().metadata.uid;
    cluster
        .fault(Fault::DisconnectNode { node: node.clone() })
        .unwrap();
    cluster.advance(NODE_MONITOR_GRACE - SECOND);
    assert_eq!(
        node_ready(&cluster, &node),
        "True",
        "still within the grace period"
    );
    cluster.advance(10 * SECOND);
    assert_eq!(node_ready(&cluster, &node), "Unknown");
    assert!(
        !is_ready(&pod(&cluster, "web-0").unwrap()),
        "the node controller marks its pods not Ready"
    );
    assert_eq!(
        messages(&cluster, "Node", &node, "NodeNotReady"),
        [format!("Node {node} status is now: NodeNotReady")]
    );
    assert_eq!(
        messages(&cluster, "Pod", "web-0", "NodeNotReady"),
        ["Node is not ready"]
    );
    // 300 s toleration, then eviction: marked for deletion, but nobody confirms it.
    cluster.advance(5 * MINUTE + 10 * SECOND);
    let evicted = pod(&cluster, "web-0").unwrap();
    assert!(evicted.metadata.deletion_timestamp.is_some());
    assert_eq!(
        messages(&cluster, "Pod", "web-0", "TaintManagerEviction"),
        ["Marking for deletion Pod default/web-0"]
    );
    for _ in 0..10 {
        cluster.advance(MINUTE);
        assert_eq!(
            pod(&cluster, "web-0").unwrap().metadata.uid,
            old_uid,
            "stuck Terminating, never replaced"
        );
    }
    force_delete_pod(&mut cluster, "web-0");
    assert!(
        run_until(&mut cluster, MINUTE, |c| pod(c, "web-0").is_some()),
        "recreated after the force delete"
    );
    cluster.advance(MINUTE);
    let replacement = pod(&cluster, "web-0").unwrap();
    assert_eq!(
        phase(&replacement),
        "Pending",
        "its volume lives on the unreachable node"
    );
    let failed = messages(&cluster, "Pod", "web-0", "FailedScheduling");
    assert!(
        failed
            .last()
            .unwrap()
            .contains("node(s) had untolerated taint {node.kubernetes.io/unreachable: }"),
        "{failed:?}"
    );
    cluster
        .fault(Fault::ReconnectNode { node: node.clone() })
        .unwrap();
    settle(&mut cluster);
    assert_eq!(node_ready(&cluster, &node), "True");
    assert!(running_and_ready(&cluster, "web-0"));
    assert_eq!(node_of(&cluster, "web-0"), node);
}

#[test]
fn a_removed_node_has_its_pods_collected_and_replaced() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    let node = node_of(&cluster, "web-1");
    let old_uid = pod(&cluster, "web-1").unwrap().metadata.uid;
    cluster
        .fault(Fault::RemoveNode { node: node.clone() })
        .unwrap();
    assert!(run_until(&mut cluster, 2 * MINUTE, |c| pod(c, "web-1")
        .is_some_and(|p| p.metadata.uid != old_uid)));
    cluster.advance(MINUTE);
    let failed = messages(&cluster, "Pod", "web-1", "FailedScheduling");
    assert!(
        failed
            .last()
            .unwrap()
            .contains("1 node(s) didn't match PersistentVolume's node affinity"),
        "{failed:?}"
    );
    cluster
        .fault(Fault::ReconnectNode { node: node.clone() })
        .unwrap();
    settle(&mut cluster);
    assert!(
        running_and_ready(&cluster, "web-1"),
        "the node registered again and the pod followed its volume"
    );
}

#[test]
fn a_broken_image_stalls_the_rollout_at_the_highest_ordinal() {
    let mut cluster = cluster_with(3, "");
    settle(&mut cluster);
    cluster
        .fault(Fault::BreakImage {
            namespace: NS.to_string(),
            statefulset: "web".to_string(),
        })
        .unwrap();
    cluster.advance(3 * MINUTE);
    assert_eq!(
        container_image(&pod(&cluster, "web-2").unwrap()),
        "registry.k8s.io/nginx-slim:does-not-exist"
    );
    assert!(pull_keeps_failing(&pod(&cluster, "web-2").unwrap()));
    assert!(running_and_ready(&cluster, "web-1"), "web-1 untouched");
}

#[test]
fn deleting_a_pod_is_a_fault_too() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let old = pod(&cluster, "web-0").unwrap().metadata.uid;
    cluster
        .fault(Fault::DeletePod {
            namespace: NS.to_string(),
            pod: "web-0".to_string(),
        })
        .unwrap();
    settle(&mut cluster);
    assert_ne!(pod(&cluster, "web-0").unwrap().metadata.uid, old);
}

#[test]
fn faults_on_missing_things_say_why() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let err = cluster
        .fault(Fault::KillContainer(Target::pod(NS, "web-9")))
        .unwrap_err();
    assert_eq!(err, "pod \"web-9\" is not running on a node");
    let err = cluster
        .fault(Fault::DisconnectNode {
            node: "nope".to_string(),
        })
        .unwrap_err();
    assert_eq!(err, "node \"nope\" not found");
    let err = cluster
        .fault(Fault::DeletePod {
            namespace: NS.to_string(),
            pod: "web-9".to_string(),
        })
        .unwrap_err();
    assert!(err.contains("not found"), "{err}");
}
