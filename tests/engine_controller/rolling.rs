use stsplay::sim::clock::MINUTE;

use crate::common::*;

const OLD: &str = "registry.k8s.io/nginx-slim:0.21";
const NEW: &str = "registry.k8s.io/nginx-slim:0.24";

#[test]
fn rolling_update_goes_from_the_highest_ordinal_one_at_a_time() {
    let mut cluster = cluster_with(3, "");
    settle(&mut cluster);
    set_image(&mut cluster, NEW);
    let done = run_until(&mut cluster, 10 * MINUTE, |c| {
        // A lower ordinal is only touched when every higher one runs the new image and is ready.
        for ordinal in 0..3 {
            let updated =
                pod(c, &format!("web-{ordinal}")).is_none_or(|p| container_image(&p) == NEW);
            if updated {
                continue;
            }
            let terminating = pod(c, &format!("web-{ordinal}"))
                .is_some_and(|p| p.metadata.deletion_timestamp.is_some());
            if terminating {
                for higher in ordinal + 1..3 {
                    let name = format!("web-{higher}");
                    assert!(
                        pod(c, &name).is_some_and(|p| container_image(&p) == NEW)
                            && running_and_ready(c, &name),
                        "web-{ordinal} deleted before {name} was updated and ready"
                    );
                }
            }
        }
        (0..3).all(|o| {
            pod(c, &format!("web-{o}")).is_some_and(|p| container_image(&p) == NEW)
                && running_and_ready(c, &format!("web-{o}"))
        })
    });
    assert!(done);
    settle(&mut cluster);
    let status = set(&cluster).status.unwrap();
    assert_eq!(status.current_revision, status.update_revision);
    assert_eq!(
        (status.current_replicas, status.updated_replicas),
        (Some(3), Some(3))
    );
}

#[test]
fn partition_stops_the_rollout_and_lowering_it_continues() {
    let mut cluster = cluster_with(3, "");
    settle(&mut cluster);
    edit_set(&mut cluster, |s| spec_partition(s, 2));
    set_image(&mut cluster, NEW);
    settle(&mut cluster);
    let images: Vec<String> = (0..3)
        .map(|o| container_image(&pod(&cluster, &format!("web-{o}")).unwrap()).to_string())
        .collect();
    assert_eq!(images, [OLD, OLD, NEW]);
    let status = set(&cluster).status.unwrap();
    assert_ne!(status.current_revision, status.update_revision);
    assert_eq!(
        (status.current_replicas, status.updated_replicas),
        (Some(2), Some(1))
    );
    let note = set_explanation(&cluster);
    assert_eq!(note, "web-1 not updated: below partition 2");
    edit_set(&mut cluster, |s| {
        s.update_strategy
            .as_mut()
            .unwrap()
            .rolling_update
            .as_mut()
            .unwrap()
            .partition = Some(0)
    });
    settle(&mut cluster);
    assert!((0..3).all(|o| container_image(&pod(&cluster, &format!("web-{o}")).unwrap()) == NEW));
}

#[test]
fn a_broken_rollout_waits_and_revert_needs_a_manual_delete() {
    let mut cluster = cluster_with(3, "");
    settle(&mut cluster);
    set_image(&mut cluster, "registry.k8s.io/nginx-slim:does-not-exist");
    cluster.advance(3 * MINUTE);
    assert!(pull_keeps_failing(&pod(&cluster, "web-2").unwrap()));
    assert_eq!(
        container_image(&pod(&cluster, "web-1").unwrap()),
        OLD,
        "the rollout stopped at web-2"
    );
    set_image(&mut cluster, OLD);
    cluster.advance(3 * MINUTE);
    // The kubelet keeps retrying the pull: whichever of its two states the
    // moment catches, web-2 still runs the broken template.
    let stuck = pod(&cluster, "web-2").unwrap();
    assert!(
        pull_keeps_failing(&stuck),
        "revert alone does not fix web-2"
    );
    assert_eq!(
        container_image(&stuck),
        "registry.k8s.io/nginx-slim:does-not-exist"
    );
    // The explain panel says why, and what to do.
    let note = set_explanation(&cluster);
    assert!(
        note.starts_with("waiting for web-2 to be Running and Ready; it runs an older revision")
            && note.ends_with("delete web-2: it comes back from the new template"),
        "{note}"
    );
    delete_pod(&mut cluster, "web-2");
    settle(&mut cluster);
    assert!((0..3).all(|o| running_and_ready(&cluster, &format!("web-{o}"))));
    assert_eq!(container_image(&pod(&cluster, "web-2").unwrap()), OLD);
}

#[test]
fn parallel_policy_does_not_parallelise_updates() {
    let mut cluster = cluster_with(3, "  podManagementPolicy: Parallel");
    settle(&mut cluster);
    set_image(&mut cluster, NEW);
    let done = run_until(&mut cluster, 10 * MINUTE, |c| {
        let terminating = pod_names(c)
            .iter()
            .filter(|n| pod(c, n).is_some_and(|p| p.metadata.deletion_timestamp.is_some()))
            .count();
        assert!(terminating <= 1, "one pod at a time");
        (0..3).all(|o| {
            pod(c, &format!("web-{o}")).is_some_and(|p| container_image(&p) == NEW)
                && running_and_ready(c, &format!("web-{o}"))
        })
    });
    assert!(done);
}
