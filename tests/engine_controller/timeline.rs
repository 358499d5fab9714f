//! §1.11: two replicas, OrderedReady, WaitForFirstConsumer storage.

use crate::common::*;

/// The position of the first log line containing `needle`.
fn at(log: &str, needle: &str) -> usize {
    log.find(needle)
        .unwrap_or_else(|| panic!("log has no line with {needle:?}"))
}

#[test]
fn the_reference_timeline_happens_in_order() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    let log = cluster.event_log();
    let steps = [
        "ADDED StatefulSet default/web",
        "ADDED ControllerRevision default/web-f99c84b4b",
        "ADDED PersistentVolumeClaim default/www-web-0",
        "ADDED Pod default/web-0",
        "WaitForFirstConsumer persistentvolumeclaim/www-web-0",
        "ProvisioningSucceeded persistentvolumeclaim/www-web-0",
        "Scheduled pod/web-0",
        "Pulling pod/web-0",
        "Started pod/web-0",
        "ADDED PersistentVolumeClaim default/www-web-1",
        "ADDED Pod default/web-1",
        "Scheduled pod/web-1",
        "Started pod/web-1",
    ];
    let positions: Vec<usize> = steps.iter().map(|s| at(&log, s)).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "out of order: {steps:?} at {positions:?}"
    );
    let status = set(&cluster).status.unwrap();
    assert_eq!(
        (
            status.replicas,
            status.ready_replicas,
            status.current_replicas,
            status.updated_replicas
        ),
        (2, Some(2), Some(2), Some(2))
    );
    assert_eq!(status.current_revision, status.update_revision);
    let pv = &volumes(&cluster)[0];
    let claim_uid = claim(&cluster, "www-web-0").unwrap().metadata.uid.unwrap();
    assert!(
        volumes(&cluster)
            .iter()
            .any(|v| v.metadata.name.as_deref() == Some(&format!("pvc-{claim_uid}"))),
        "{pv:?}"
    );
}
