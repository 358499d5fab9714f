use stsplay::sim::clock::MINUTE;

use crate::common::*;

#[test]
fn settled_status_matches_the_pods() {
    let mut cluster = cluster_with(3, "");
    settle(&mut cluster);
    let status = set(&cluster).status.unwrap();
    assert_eq!(status.replicas, 3);
    assert_eq!(status.ready_replicas, Some(3));
    assert_eq!(status.available_replicas, Some(3));
    assert_eq!(status.current_replicas, Some(3));
    assert_eq!(status.updated_replicas, Some(3));
    assert_eq!(status.observed_generation, Some(1));
    assert!(status.conditions.is_none());
}

#[test]
fn after_a_rollout_the_update_revision_becomes_current() {
    let mut cluster = cluster_with(3, "");
    settle(&mut cluster);
    let first = set(&cluster).status.unwrap().current_revision;
    set_image(&mut cluster, "registry.k8s.io/nginx-slim:0.24");
    assert!(run_until(&mut cluster, MINUTE, |c| set(c)
        .status
        .unwrap()
        .update_revision
        != first));
    let midway = set(&cluster).status.unwrap();
    assert_eq!(
        midway.current_revision, first,
        "current stays until the rollout completes"
    );
    settle(&mut cluster);
    let status = set(&cluster).status.unwrap();
    assert_eq!(status.current_revision, status.update_revision);
    assert_ne!(status.current_revision, first);
    assert_eq!(
        (
            status.current_replicas,
            status.updated_replicas,
            status.observed_generation
        ),
        (Some(3), Some(3), Some(2))
    );
}

#[test]
fn a_ready_terminating_pod_still_counts_as_ready() {
    let mut cluster = cluster_with(4, "");
    settle(&mut cluster);
    scale(&mut cluster, 3);
    // web-3 is deleted gracefully; while it terminates it is still Ready.
    let seen = run_until(&mut cluster, MINUTE, |c| {
        let status = set(c).status.unwrap();
        status.replicas == 4
            && status.ready_replicas == Some(4)
            && pod(c, "web-3").is_some_and(|p| p.metadata.deletion_timestamp.is_some())
    });
    assert!(seen, "`kubectl get sts` shows 4/3 for a moment");
    settle(&mut cluster);
    assert_eq!(set(&cluster).status.unwrap().replicas, 3);
}
