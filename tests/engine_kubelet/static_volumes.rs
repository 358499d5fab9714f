//! Volumes made by hand: the PV controller binds a claim to the smallest
//! Available volume that fits it, the scheduler pre-binds one for claims
//! that wait for their pod, and claims that cannot bind keep saying why on
//! every 15 s resync.

use k8s_openapi::api::core::v1::{Event, PersistentVolume};
use stsplay::sim::clock::SECOND;
use stsplay::sim::{Cluster, DeleteOptions, Kind, ObjectKey};

use crate::common::*;

fn volume_yaml(name: &str, size: &str, class: &str, modes: &str) -> String {
    format!(
        "apiVersion: v1
kind: PersistentVolume
metadata: {{name: {name}, labels: {{type: local}}}}
spec:
  storageClassName: {class}
  capacity: {{storage: {size}}}
  accessModes: [{modes}]
  hostPath: {{path: /mnt/{name}}}"
    )
}

fn claim_yaml(name: &str, size: &str, class: &str) -> String {
    format!(
        "apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: {name}}}
spec:
  storageClassName: {class}
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: {size}}}}}"
    )
}

/// A 1Gi claim of class `manual` that asks for `volume` by name.
fn claim_naming(name: &str, volume: &str) -> String {
    claim_yaml(name, "1Gi", "manual")
        .replace("spec:\n", &format!("spec:\n  volumeName: {volume}\n"))
}

/// A pod `user` that mounts the claim, with extra spec lines.
fn pod_using(claim: &str, extra_spec: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata: {{name: user}}
spec:
{extra_spec}  containers: [{{name: c, image: registry.k8s.io/nginx-slim:0.21}}]
  volumes: [{{name: d, persistentVolumeClaim: {{claimName: {claim}}}}}]"
    )
}

fn volume(cluster: &Cluster, name: &str) -> PersistentVolume {
    cluster
        .store()
        .get_typed::<PersistentVolume>("", name)
        .cloned()
        .unwrap_or_else(|| panic!("no volume {name}"))
}

fn volume_phase(cluster: &Cluster, name: &str) -> String {
    volume(cluster, name)
        .status
        .and_then(|s| s.phase)
        .unwrap_or_default()
}

fn claim_phase(cluster: &Cluster, name: &str) -> String {
    claim(cluster, name)
        .and_then(|c| c.status)
        .and_then(|s| s.phase)
        .unwrap_or_default()
}

/// The count of the Event about `name` with `reason`, 0 if there is none.
fn count(cluster: &Cluster, name: &str, reason: &str) -> i32 {
    cluster
        .store()
        .list_typed::<Event>(NS)
        .filter(|e| {
            e.involved_object.name.as_deref() == Some(name) && e.reason.as_deref() == Some(reason)
        })
        .map(|e| e.count.unwrap_or(1))
        .sum()
}

#[test]
fn a_claim_binds_to_the_smallest_available_volume_of_its_class() {
    let mut cluster = Cluster::new(7);
    apply(
        &mut cluster,
        &volume_yaml("big", "10Gi", "manual", "ReadWriteOnce"),
    );
    apply(
        &mut cluster,
        &volume_yaml("small", "5Gi", "manual", "ReadWriteOnce"),
    );
    apply(
        &mut cluster,
        &volume_yaml("tiny", "1Gi", "manual", "ReadWriteOnce"),
    );
    apply(
        &mut cluster,
        &volume_yaml("other", "5Gi", "slow", "ReadWriteOnce"),
    );
    // The apiserver defaults what the manifest leaves out; the PV controller
    // makes the volumes Available.
    let fresh = volume(&cluster, "big");
    assert_eq!(fresh.status.unwrap().phase.as_deref(), Some("Pending"));
    let spec = fresh.spec.unwrap();
    assert_eq!(
        spec.persistent_volume_reclaim_policy.as_deref(),
        Some("Retain")
    );
    assert_eq!(spec.volume_mode.as_deref(), Some("Filesystem"));
    settle(&mut cluster);
    assert_eq!(volume_phase(&cluster, "big"), "Available");

    apply(&mut cluster, &claim_yaml("data", "3Gi", "manual"));
    settle(&mut cluster);
    assert_eq!(claim_phase(&cluster, "data"), "Bound");
    let bound = claim(&cluster, "data").unwrap();
    assert_eq!(
        bound.spec.as_ref().unwrap().volume_name.as_deref(),
        Some("small")
    );
    // The claim reports the volume's size, not what it asked for.
    let status = bound.status.unwrap();
    assert_eq!(status.capacity.unwrap()["storage"].0, "5Gi");
    let annotations = bound.metadata.annotations.unwrap();
    assert_eq!(annotations["pv.kubernetes.io/bind-completed"], "yes");
    assert_eq!(annotations["pv.kubernetes.io/bound-by-controller"], "yes");
    let small = volume(&cluster, "small");
    assert_eq!(small.status.unwrap().phase.as_deref(), Some("Bound"));
    let claim_ref = small.spec.unwrap().claim_ref.unwrap();
    assert_eq!(claim_ref.name.as_deref(), Some("data"));
    assert_eq!(claim_ref.uid, bound.metadata.uid);
    assert_eq!(
        small.metadata.annotations.unwrap()["pv.kubernetes.io/bound-by-controller"],
        "yes"
    );
    for untouched in ["big", "tiny", "other"] {
        assert_eq!(volume_phase(&cluster, untouched), "Available");
    }
    // Binding a volume by hand records no Events.
    assert_eq!(events_about(&cluster, "PersistentVolumeClaim", "data"), []);
}

#[test]
fn a_claim_waits_for_a_volume_and_says_so_at_every_resync() {
    let mut cluster = Cluster::new(7);
    apply(&mut cluster, &claim_yaml("data", "3Gi", "manual"));
    cluster.advance(60 * SECOND);
    assert_eq!(claim_phase(&cluster, "data"), "Pending");
    // No class named "manual": provisioning fails, again at each resync.
    let failures = count(&cluster, "data", "ProvisioningFailed");
    assert!(
        (4..=5).contains(&failures),
        "{failures} failures in a minute"
    );
    let message = messages(
        &cluster,
        "PersistentVolumeClaim",
        "data",
        "ProvisioningFailed",
    );
    assert_eq!(
        message,
        ["storageclass.storage.k8s.io \"manual\" not found"]
    );
    // A volume made later is found by the next resync.
    apply(
        &mut cluster,
        &volume_yaml("late", "5Gi", "manual", "ReadWriteOnce"),
    );
    cluster.advance(16 * SECOND);
    assert_eq!(claim_phase(&cluster, "data"), "Bound");
    assert!(
        cluster.run_until_settled(SECOND),
        "nothing is left to resync"
    );
}

#[test]
fn a_claim_without_a_class_says_no_volume_is_available() {
    let mut cluster = Cluster::new(7);
    apply(&mut cluster, &claim_yaml("data", "1Gi", "\"\""));
    cluster.advance(20 * SECOND);
    assert_eq!(
        messages(&cluster, "PersistentVolumeClaim", "data", "FailedBinding"),
        ["no persistent volumes available for this claim and no storage class is set"]
    );
    assert_eq!(count(&cluster, "data", "FailedBinding"), 2);
}

#[test]
fn a_released_volume_is_not_bound_again() {
    let mut cluster = Cluster::new(7);
    apply(
        &mut cluster,
        &volume_yaml("keep", "5Gi", "manual", "ReadWriteOnce"),
    );
    apply(&mut cluster, &claim_yaml("data", "1Gi", "manual"));
    settle(&mut cluster);
    let key = ObjectKey::new(Kind::PersistentVolumeClaim, NS, "data");
    cluster.delete(&key, &DeleteOptions::default()).unwrap();
    settle(&mut cluster);
    // Retain: the volume keeps its data and its claimRef.
    assert_eq!(volume_phase(&cluster, "keep"), "Released");
    apply(&mut cluster, &claim_yaml("data", "1Gi", "manual"));
    cluster.advance(30 * SECOND);
    assert_eq!(claim_phase(&cluster, "data"), "Pending");
    assert_eq!(volume_phase(&cluster, "keep"), "Released");
}

#[test]
fn a_pod_with_an_unbound_immediate_claim_is_not_scheduled_until_it_binds() {
    let mut cluster = Cluster::new(7);
    apply(&mut cluster, &claim_yaml("data", "1Gi", "manual"));
    apply(&mut cluster, &pod_using("data", ""));
    cluster.advance(5 * SECOND);
    let failed = messages(&cluster, "Pod", "user", "FailedScheduling");
    assert_eq!(
        failed,
        ["0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. not found"]
    );
    apply(
        &mut cluster,
        &volume_yaml("vol", "1Gi", "manual", "ReadWriteOnce"),
    );
    assert!(run_until(&mut cluster, 60 * SECOND, |c| running_and_ready(
        c, "user"
    )));
}

#[test]
fn a_claim_that_waits_for_its_pod_gets_a_matching_volume_on_the_pods_node() {
    let mut cluster = Cluster::new(7);
    // Volumes of kind's own class (which waits for the first consumer) are
    // the scheduler's to hand out: nothing is provisioned for web-0.
    apply(
        &mut cluster,
        &volume_yaml("ready-made", "2Gi", "standard", "ReadWriteOnce"),
    );
    apply(&mut cluster, SERVICE);
    apply(&mut cluster, &web(1, ""));
    settle(&mut cluster);
    assert!(running_and_ready(&cluster, "web-0"));
    let bound = claim(&cluster, "www-web-0").unwrap();
    assert_eq!(
        bound.spec.unwrap().volume_name.as_deref(),
        Some("ready-made")
    );
    assert_eq!(volumes(&cluster).len(), 1);
    assert_eq!(count(&cluster, "www-web-0", "Provisioning"), 0);
}

#[test]
fn a_claim_whose_pod_cannot_be_scheduled_names_the_pod_at_the_resync() {
    let mut cluster = Cluster::new(7);
    apply(&mut cluster, &claim_yaml("data", "1Gi", "standard"));
    // No node carries the label: the pod stays unscheduled.
    apply(
        &mut cluster,
        &pod_using("data", "  nodeSelector: {disk: ssd}\n"),
    );
    cluster.advance(40 * SECOND);
    assert_eq!(count(&cluster, "data", "WaitForFirstConsumer"), 1);
    assert_eq!(
        messages(
            &cluster,
            "PersistentVolumeClaim",
            "data",
            "WaitForPodScheduled"
        ),
        ["waiting for pod user to be scheduled"]
    );
    assert!(count(&cluster, "data", "WaitForPodScheduled") >= 2);
}

const LOCAL_CLASS: &str = "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local-storage}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer";

/// A local volume on kind-worker, for claims of `local-storage`.
const LOCAL_VOLUME: &str = "apiVersion: v1
kind: PersistentVolume
metadata: {name: local-pv}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: local-storage
  local: {path: /mnt/disks/vol1}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [kind-worker]}";

#[test]
fn a_local_volume_takes_its_pod_to_its_node() {
    let mut cluster = Cluster::new(7);
    apply(&mut cluster, LOCAL_CLASS);
    apply(&mut cluster, LOCAL_VOLUME);
    apply(&mut cluster, &claim_yaml("data", "1Gi", "local-storage"));
    apply(&mut cluster, &pod_using("data", ""));
    assert!(run_until(&mut cluster, 60 * SECOND, |c| running_and_ready(
        c, "user"
    )));
    assert_eq!(node_of(&cluster, "user"), "kind-worker");
    assert_eq!(volume_phase(&cluster, "local-pv"), "Bound");
    // A class without a provisioner never asks one.
    assert_eq!(count(&cluster, "data", "ProvisioningFailed"), 0);
}

#[test]
fn a_pod_kept_from_its_local_volumes_node_is_not_scheduled() {
    let mut cluster = Cluster::new(7);
    apply(&mut cluster, LOCAL_CLASS);
    apply(&mut cluster, LOCAL_VOLUME);
    apply(&mut cluster, &claim_yaml("data", "1Gi", "local-storage"));
    let elsewhere = "  nodeSelector: {kubernetes.io/hostname: kind-worker2}\n";
    apply(&mut cluster, &pod_using("data", elsewhere));
    cluster.advance(20 * SECOND);
    let failed = messages(&cluster, "Pod", "user", "FailedScheduling");
    assert_eq!(
        failed,
        [
            "0/3 nodes are available: 1 node(s) didn't find available persistent volumes to bind, \
          1 node(s) didn't match Pod's node affinity/selector, \
          1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. \
          no new claims to deallocate, preemption: 0/3 nodes are available: \
          3 Preemption is not helpful for scheduling."
        ]
    );
    assert_eq!(volume_phase(&cluster, "local-pv"), "Available");
    let claim = claim(&cluster, "data").unwrap();
    assert!(
        claim.metadata.annotations.is_none(),
        "no node is selected for it"
    );
}

#[test]
fn two_claims_of_one_pod_never_share_a_local_volume() {
    let mut cluster = Cluster::new(7);
    apply(&mut cluster, LOCAL_CLASS);
    apply(&mut cluster, LOCAL_VOLUME);
    apply(&mut cluster, &claim_yaml("data", "1Gi", "local-storage"));
    apply(&mut cluster, &claim_yaml("logs", "1Gi", "local-storage"));
    let both = pod_using("data", "").replace(
        "persistentVolumeClaim: {claimName: data}}]",
        "persistentVolumeClaim: {claimName: data}}, \
         {name: l, persistentVolumeClaim: {claimName: logs}}]",
    );
    apply(&mut cluster, &both);
    cluster.advance(20 * SECOND);
    // One volume for two claims: no node has enough (findMatchingVolumes
    // leaves out what an earlier claim of the pod took).
    let failed = messages(&cluster, "Pod", "user", "FailedScheduling");
    assert_eq!(
        failed,
        [
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, \
          2 node(s) didn't find available persistent volumes to bind. \
          no new claims to deallocate, preemption: 0/3 nodes are available: \
          3 Preemption is not helpful for scheduling."
        ]
    );
    assert_eq!(volume_phase(&cluster, "local-pv"), "Available");
    apply(
        &mut cluster,
        &LOCAL_VOLUME
            .replace("local-pv", "local-pv2")
            .replace("vol1", "vol2"),
    );
    // The scheduler tries again at its next attempt (a new volume does not move it).
    assert!(run_until(&mut cluster, 6 * 60 * SECOND, |c| {
        running_and_ready(c, "user")
    }));
    let bound_to = |claim_name: &str| {
        claim(&cluster, claim_name)
            .and_then(|c| c.spec?.volume_name)
            .unwrap_or_default()
    };
    let mut volumes = [bound_to("data"), bound_to("logs")];
    volumes.sort();
    assert_eq!(volumes, ["local-pv", "local-pv2"]);
}

#[test]
fn deleting_a_released_host_path_volume_fails_outside_tmp() {
    let mut cluster = Cluster::new(7);
    for (name, path) in [("kept", "/mnt/data"), ("scratch", "/tmp/data")] {
        let volume = format!(
            "apiVersion: v1
kind: PersistentVolume
metadata: {{name: {name}}}
spec:
  storageClassName: manual
  persistentVolumeReclaimPolicy: Delete
  capacity: {{storage: 1Gi}}
  accessModes: [ReadWriteOnce]
  hostPath: {{path: {path}}}"
        );
        apply(&mut cluster, &volume);
        apply(&mut cluster, &claim_naming(&format!("{name}-claim"), name));
    }
    settle(&mut cluster);
    for name in ["kept-claim", "scratch-claim"] {
        let key = ObjectKey::new(Kind::PersistentVolumeClaim, NS, name);
        cluster.delete(&key, &DeleteOptions::default()).unwrap();
    }
    settle(&mut cluster);
    let kept = volume(&cluster, "kept");
    let status = kept.status.unwrap();
    let message = "host_path deleter only supports /tmp/.+ but received provided /mnt/data";
    assert_eq!(status.phase.as_deref(), Some("Failed"));
    assert_eq!(status.message.as_deref(), Some(message));
    assert_eq!(
        messages(&cluster, "PersistentVolume", "kept", "VolumeFailedDelete"),
        [message]
    );
    assert!(cluster
        .store()
        .get_typed::<PersistentVolume>("", "scratch")
        .is_none());
}

#[test]
fn a_claim_that_names_a_taken_volume_says_so_at_every_resync() {
    let mut cluster = Cluster::new(7);
    apply(
        &mut cluster,
        &volume_yaml("taken", "1Gi", "manual", "ReadWriteOnce"),
    );
    apply(&mut cluster, &claim_yaml("first", "1Gi", "manual"));
    settle(&mut cluster);
    apply(&mut cluster, &claim_naming("second", "taken"));
    cluster.advance(50 * SECOND);
    assert_eq!(
        messages(&cluster, "PersistentVolumeClaim", "second", "FailedBinding"),
        ["volume \"taken\" already bound to a different claim."]
    );
    assert!(count(&cluster, "second", "FailedBinding") >= 3);
}

#[test]
fn the_why_panel_says_what_a_claim_waits_for_until_it_is_bound() {
    let mut cluster = Cluster::new(7);
    apply(&mut cluster, &claim_yaml("data", "1Gi", "manual"));
    cluster.advance(5 * SECOND);
    let why = |c: &Cluster| {
        c.explanations()
            .get("persistentvolumeclaim/data")
            .map(|e| e.message.clone())
    };
    assert_eq!(
        why(&cluster).as_deref(),
        Some("data stays Pending: no free volume fits it, and StorageClass manual does not exist")
    );
    apply(
        &mut cluster,
        &volume_yaml("vol", "1Gi", "manual", "ReadWriteOnce"),
    );
    cluster.advance(20 * SECOND);
    assert_eq!(claim_phase(&cluster, "data"), "Bound");
    assert_eq!(why(&cluster), None);
}
