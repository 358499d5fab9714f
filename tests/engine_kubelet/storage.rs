use stsplay::sim::{Cluster, DeleteOptions, Kind, ObjectKey};

use crate::common::*;

#[test]
fn claims_bind_to_a_provisioned_local_volume() {
    let mut cluster = cluster_with(1, "");
    assert!(run_until(&mut cluster, 60_000, |c| claim(c, "www-web-0").is_some()));
    let pending = claim(&cluster, "www-web-0").unwrap();
    assert_eq!(pending.status.unwrap().phase.as_deref(), Some("Pending"));
    assert_eq!(
        pending.spec.unwrap().storage_class_name.as_deref(),
        Some("standard")
    );
    settle(&mut cluster);
    let bound = claim(&cluster, "www-web-0").unwrap();
    let uid = bound.metadata.uid.clone().unwrap();
    assert_eq!(
        bound.status.as_ref().unwrap().phase.as_deref(),
        Some("Bound")
    );
    let node = node_of(&cluster, "web-0");
    let selected = bound
        .metadata
        .annotations
        .as_ref()
        .unwrap()
        .get("volume.kubernetes.io/selected-node")
        .cloned();
    assert_eq!(selected, Some(node));
    let pv = volumes(&cluster).into_iter().next().unwrap();
    assert_eq!(pv.metadata.name, Some(format!("pvc-{uid}")));
    let spec = pv.spec.unwrap();
    assert_eq!(
        spec.capacity.unwrap().get("storage").map(|q| q.0.as_str()),
        Some("1Gi")
    );
    assert_eq!(
        spec.persistent_volume_reclaim_policy.as_deref(),
        Some("Delete")
    );
    assert_eq!(spec.claim_ref.unwrap().name.as_deref(), Some("www-web-0"));
    assert_eq!(pv.status.unwrap().phase.as_deref(), Some("Bound"));
}

#[test]
fn the_provisioner_takes_its_helper_pods_time_whatever_updates_the_claim_meanwhile() {
    let mut cluster = cluster_with(1, "");
    let provisioning =
        |c: &Cluster| !messages(c, "PersistentVolumeClaim", "www-web-0", "Provisioning").is_empty();
    assert!(run_until(&mut cluster, 60_000, provisioning));
    let started = cluster.now();
    // The provisioner's own annotations update the claim at once; the
    // volume still comes only when the helper pod is done (1–2.5 s).
    assert!(run_until(&mut cluster, 60_000, |c| !volumes(c).is_empty()));
    let took = cluster.now() - started;
    assert!(
        (1_000..=2_600).contains(&took),
        "provisioned after {took} ms"
    );
}

#[test]
fn a_claim_in_use_stays_terminating_until_its_pod_is_gone() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let claim_key = ObjectKey::new(Kind::PersistentVolumeClaim, NS, "www-web-0");
    cluster
        .delete(&claim_key, &DeleteOptions::default())
        .unwrap();
    settle(&mut cluster);
    assert!(
        claim(&cluster, "www-web-0")
            .unwrap()
            .metadata
            .deletion_timestamp
            .is_some(),
        "kept by pvc-protection"
    );
    scale(&mut cluster, 0);
    settle(&mut cluster);
    assert!(claim(&cluster, "www-web-0").is_none());
    assert!(
        volumes(&cluster).is_empty(),
        "reclaim policy Delete removed the volume"
    );
}

#[test]
fn a_pod_waits_pending_while_its_claim_cannot_bind() {
    // A class that does not exist: the claim never binds and the pod never schedules.
    let yaml = web(1, "").replace(
        "      accessModes: [ReadWriteOnce]",
        "      storageClassName: missing\n      accessModes: [ReadWriteOnce]",
    );
    let mut cluster = stsplay::sim::Cluster::new(11);
    apply(&mut cluster, &yaml);
    cluster.advance(60_000);
    let pod = pod(&cluster, "web-0").unwrap();
    assert_eq!(phase(&pod), "Pending");
    assert!(pod.spec.unwrap().node_name.is_none());
    assert_eq!(
        claim(&cluster, "www-web-0")
            .unwrap()
            .status
            .unwrap()
            .phase
            .as_deref(),
        Some("Pending")
    );
}

#[test]
fn a_bound_claim_whose_volume_names_another_claim_is_misbound() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let mut pv = volumes(&cluster).into_iter().next().unwrap();
    let claim_ref = pv.spec.as_mut().unwrap().claim_ref.as_mut().unwrap();
    claim_ref.name = Some("someone-else".to_string());
    claim_ref.uid = Some("5e1f7a1e-0000-4000-8000-000000000000".to_string());
    cluster
        .update(stsplay::sim::Object::PersistentVolume(Box::new(pv)))
        .unwrap();
    // The claim's next sync (a resync, or any change to it) finds the volume taken.
    let mut touched = claim(&cluster, "www-web-0").unwrap();
    touched
        .metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert("touched".to_string(), "yes".to_string());
    cluster
        .update(stsplay::sim::Object::PersistentVolumeClaim(Box::new(
            touched,
        )))
        .unwrap();
    settle(&mut cluster);
    let lost = claim(&cluster, "www-web-0").unwrap();
    let status = lost.status.unwrap();
    assert_eq!(status.phase.as_deref(), Some("Lost"));
    assert!(status.capacity.is_none() && status.access_modes.is_none());
    assert_eq!(
        messages(
            &cluster,
            "PersistentVolumeClaim",
            "www-web-0",
            "ClaimMisbound"
        ),
        ["Two claims are bound to the same volume, this one is bound incorrectly"]
    );
}

#[test]
fn a_finished_pod_holds_its_claim_until_the_pod_is_deleted() {
    let mut cluster = Cluster::new(1);
    apply(
        &mut cluster,
        "apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: default}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: once, namespace: default}
spec:
  restartPolicy: Never
  containers: [{name: c, image: busybox, command: [sh, -c, 'exit 0'], volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]",
    );
    settle(&mut cluster);
    assert_eq!(phase(&pod(&cluster, "once").unwrap()), "Succeeded");
    let claim_key = ObjectKey::new(Kind::PersistentVolumeClaim, NS, "data");
    cluster
        .delete(&claim_key, &DeleteOptions::default())
        .unwrap();
    settle(&mut cluster);
    assert!(
        claim(&cluster, "data").is_some(),
        "the finished pod still names it"
    );
    delete_pod(&mut cluster, "once");
    settle(&mut cluster);
    assert!(claim(&cluster, "data").is_none());
}
