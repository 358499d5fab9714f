use stsplay::sim::clock::{millis_of, MINUTE, SECOND};

use crate::common::*;

#[test]
fn next_pod_waits_for_min_ready_seconds() {
    let mut cluster = cluster_with(2, "  minReadySeconds: 10");
    assert!(run_until(&mut cluster, MINUTE, |c| running_and_ready(
        c, "web-0"
    )));
    let ready_since = pod(&cluster, "web-0")
        .unwrap()
        .status
        .unwrap()
        .conditions
        .unwrap()
        .into_iter()
        .find(|c| c.type_ == "Ready")
        .and_then(|c| c.last_transition_time)
        .map(|t| millis_of(&t))
        .unwrap();
    assert_eq!(set(&cluster).status.unwrap().available_replicas, Some(0));
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "web-1").is_some()));
    assert!(
        cluster.now() > ready_since + 10 * SECOND,
        "web-1 created only after web-0 was available"
    );
    settle(&mut cluster);
    let status = set(&cluster).status.unwrap();
    assert_eq!(
        (status.ready_replicas, status.available_replicas),
        (Some(2), Some(2))
    );
}

#[test]
fn available_replicas_lag_ready_replicas() {
    let mut cluster = cluster_with(1, "  minReadySeconds: 30");
    assert!(run_until(&mut cluster, MINUTE, |c| set(c)
        .status
        .is_some_and(|s| s.ready_replicas == Some(1))));
    assert_eq!(set(&cluster).status.unwrap().available_replicas, Some(0));
    assert!(
        cluster.run_until_settled(10 * MINUTE),
        "settles once the pod is available"
    );
    assert_eq!(set(&cluster).status.unwrap().available_replicas, Some(1));
}
