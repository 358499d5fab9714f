//! The scheduler's word in the Why panel: why a pod stays unscheduled, in
//! the filters' own texts, until it is placed or gone.

use k8s_openapi::api::core::v1::Node;
use stsplay::sim::clock::{MINUTE, SECOND};
use stsplay::sim::{Cluster, DeleteOptions, Kind, Object, ObjectKey};

use crate::common::*;

fn why(cluster: &Cluster, subject: &str) -> Option<String> {
    cluster
        .explanations()
        .get(subject)
        .map(|e| format!("{}: {}", e.controller, e.message))
}

fn pod_yaml(name: &str, extra_spec: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
{extra_spec}  containers: [{{name: c, image: registry.k8s.io/nginx-slim:0.21}}]"
    )
}

#[test]
fn a_pod_no_node_fits_is_explained_until_a_node_fits() {
    let mut cluster = Cluster::new(7);
    apply(
        &mut cluster,
        &pod_yaml("picky", "  nodeSelector: {disk: ssd}\n"),
    );
    cluster.advance(5 * SECOND);
    assert_eq!(
        why(&cluster, "pod/picky").as_deref(),
        Some("default-scheduler: picky not scheduled: none of the 3 nodes fits it (1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector); the scheduler tries again when the cluster changes")
    );
    let mut node = cluster
        .store()
        .get_typed::<Node>("", WORKERS[1])
        .cloned()
        .expect("a worker");
    node.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert("disk".to_string(), "ssd".to_string());
    cluster
        .update(Object::Node(Box::new(node)))
        .expect("labelled");
    cluster.advance(MINUTE);
    assert_eq!(node_of(&cluster, "picky"), WORKERS[1]);
    assert_eq!(why(&cluster, "pod/picky"), None);
}

#[test]
fn a_pod_waiting_for_an_immediate_claim_points_at_the_claim() {
    let mut cluster = Cluster::new(7);
    // Class `manual` does not exist, so the claim binds at once or never.
    apply(
        &mut cluster,
        "apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}",
    );
    let volume = "  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n";
    apply(&mut cluster, &pod_yaml("user", volume));
    cluster.advance(5 * SECOND);
    assert_eq!(
        why(&cluster, "pod/user").as_deref(),
        Some("default-scheduler: user not scheduled yet: its claim data binds first (volumeBindingMode Immediate) and is not bound")
    );
    assert!(why(&cluster, "persistentvolumeclaim/data").is_some());
    let key = ObjectKey::new(Kind::Pod, NS, "user");
    cluster.delete(&key, &DeleteOptions::default()).unwrap();
    cluster.advance(SECOND);
    assert_eq!(why(&cluster, "pod/user"), None, "nothing left to explain");
}

#[test]
fn a_pod_whose_claim_is_missing_says_so() {
    let mut cluster = Cluster::new(7);
    let volume = "  volumes: [{name: d, persistentVolumeClaim: {claimName: gone}}]\n";
    apply(&mut cluster, &pod_yaml("user", volume));
    cluster.advance(5 * SECOND);
    assert_eq!(
        why(&cluster, "pod/user").as_deref(),
        Some("default-scheduler: user not scheduled: its claim gone does not exist")
    );
}

#[test]
fn pods_that_never_fit_are_counted_and_every_step_ends() {
    // 300 replicas on kind's two workers (110 pods each, less their own):
    // the rest stay Pending, retried for good. Their FailedScheduling series
    // is written again every 30 minutes; no Step runs on past an hour.
    let mut cluster = cluster_with(300, "  podManagementPolicy: Parallel\n");
    cluster.advance(10 * MINUTE);
    for _ in 0..40 {
        let before = cluster.now();
        cluster.step();
        assert!(cluster.now() - before <= 61 * MINUTE, "a step ran on");
    }
    cluster.advance(120 * MINUTE);
    let pending = pod(&cluster, "web-299").unwrap();
    assert_eq!(phase(&pending), "Pending");
    let counted = cluster
        .store()
        .list_typed::<k8s_openapi::api::core::v1::Event>(NS)
        .filter(|e| e.involved_object.name.as_deref() == Some("web-299"))
        .filter_map(|e| e.series.as_ref()?.count)
        .max();
    assert!(counted.is_some_and(|n| n > 2), "series count {counted:?}");
}
