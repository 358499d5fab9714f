use stsplay::sim::clock::{MINUTE, SECOND};

use crate::common::*;

/// Every time a pod is created, all lower ordinals must be Running and Ready.
fn assert_ordered_creation(cluster: &mut stsplay::sim::Cluster, replicas: usize) {
    let mut seen = std::collections::BTreeSet::new();
    let done = run_until(cluster, 10 * MINUTE, |c| {
        for ordinal in 0..replicas {
            let name = format!("web-{ordinal}");
            if pod(c, &name).is_some() && seen.insert(name.clone()) {
                for lower in 0..ordinal {
                    assert!(
                        running_and_ready(c, &format!("web-{lower}")),
                        "{name} created before web-{lower} was ready"
                    );
                }
            }
        }
        (0..replicas).all(|o| running_and_ready(c, &format!("web-{o}")))
    });
    assert!(done, "all replicas became ready");
}

#[test]
fn ordered_ready_creates_one_pod_at_a_time() {
    let mut cluster = cluster_with(3, "");
    assert_ordered_creation(&mut cluster, 3);
}

#[test]
fn parallel_creates_every_pod_in_one_pass() {
    let mut cluster = cluster_with(4, "  podManagementPolicy: Parallel");
    assert!(run_until(&mut cluster, 10 * SECOND, |c| pod_names(c).len() == 4));
    assert!(
        !running_and_ready(&cluster, "web-0"),
        "all four exist before web-0 is ready"
    );
    settle(&mut cluster);
    assert!((0..4).all(|o| running_and_ready(&cluster, &format!("web-{o}"))));
}

#[test]
fn ordered_scale_down_removes_the_highest_ordinal_first_and_waits() {
    let mut cluster = cluster_with(4, "");
    settle(&mut cluster);
    scale(&mut cluster, 1);
    let mut order = Vec::new();
    let done = run_until(&mut cluster, 10 * MINUTE, |c| {
        let names = pod_names(c);
        for ordinal in 1..4 {
            let name = format!("web-{ordinal}");
            if pod(c, &name).is_some_and(|p| p.metadata.deletion_timestamp.is_some()) {
                for higher in ordinal + 1..4 {
                    assert!(
                        pod(c, &format!("web-{higher}")).is_none(),
                        "{name} terminates while web-{higher} exists"
                    );
                }
            }
            if !names.contains(&name) && !order.contains(&name) {
                order.push(name);
            }
        }
        names == ["web-0"]
    });
    assert!(done);
    assert_eq!(order, ["web-3", "web-2", "web-1"]);
    let deletes = messages(&cluster, "StatefulSet", "web", "SuccessfulDelete");
    assert_eq!(
        deletes,
        [
            "delete Pod web-3 in StatefulSet web successful",
            "delete Pod web-2 in StatefulSet web successful",
            "delete Pod web-1 in StatefulSet web successful"
        ]
    );
}

#[test]
fn scale_down_waits_while_a_remaining_pod_is_unhealthy() {
    let mut cluster = cluster_with(3, "");
    settle(&mut cluster);
    delete_pod(&mut cluster, "web-0");
    scale(&mut cluster, 2);
    // web-2 stays until web-0 is back and Ready.
    let done = run_until(&mut cluster, 10 * MINUTE, |c| pod(c, "web-2").is_none());
    assert!(done);
    assert!(running_and_ready(&cluster, "web-0"));
}

#[test]
fn deleted_pods_come_back_in_order_with_their_claims() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    let old: Vec<_> = ["web-0", "web-1"]
        .iter()
        .map(|n| pod(&cluster, n).unwrap().metadata.uid)
        .collect();
    delete_pod(&mut cluster, "web-0");
    delete_pod(&mut cluster, "web-1");
    let replaced = |c: &stsplay::sim::Cluster, i: usize| {
        pod(c, &format!("web-{i}")).is_some_and(|p| p.metadata.uid != old[i])
    };
    let done = run_until(&mut cluster, 10 * MINUTE, |c| {
        if replaced(c, 1) {
            assert!(
                replaced(c, 0) && running_and_ready(c, "web-0"),
                "web-1 came back before web-0 was ready"
            );
        }
        replaced(c, 1) && running_and_ready(c, "web-1")
    });
    assert!(done);
    assert_eq!(
        claim_names(&cluster),
        ["www-web-0", "www-web-1"],
        "the same claims are reused"
    );
}

#[test]
fn failed_pods_are_deleted_then_replaced() {
    use stsplay::sim::{Fault, Object};
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    // A pod ends Failed when its node evicts it; the kubelet then goes quiet.
    let node = node_of(&cluster, "web-0");
    cluster.fault(Fault::DisconnectNode { node }).unwrap();
    let mut failed = pod(&cluster, "web-0").unwrap();
    let first_uid = failed.metadata.uid.clone();
    failed.status.as_mut().unwrap().phase = Some("Failed".to_string());
    failed.metadata.resource_version = None;
    cluster
        .update_status(Object::Pod(Box::new(failed)))
        .unwrap();
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "web-0")
        .is_some_and(|p| p.metadata.uid != first_uid)));
    let deletes = messages(&cluster, "StatefulSet", "web", "SuccessfulDelete");
    assert_eq!(deletes, ["delete Pod web-0 in StatefulSet web successful"]);
}

#[test]
fn start_ordinal_shifts_pod_names_and_condemns_the_rest() {
    let mut cluster = cluster_with(2, "  ordinals: {start: 5}");
    settle(&mut cluster);
    assert_eq!(pod_names(&cluster), ["web-5", "web-6"]);
    assert_eq!(claim_names(&cluster), ["www-web-5", "www-web-6"]);
    edit_set(&mut cluster, |s| {
        s.ordinals.as_mut().unwrap().start = Some(6)
    });
    settle(&mut cluster);
    assert_eq!(pod_names(&cluster), ["web-6", "web-7"]);
}
