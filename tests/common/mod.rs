//! Helpers shared by the engine's integration tests: build objects from
//! YAML, drive the clock, and read pods, claims and events back.
#![allow(dead_code)]

use k8s_openapi::api::apps::v1::{
    ControllerRevision, RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetSpec,
};
use k8s_openapi::api::core::v1::{Event, PersistentVolume, PersistentVolumeClaim, Pod};
use stsplay::sim::clock::{Millis, MINUTE};
use stsplay::sim::{Cluster, DeleteOptions, Fault, Kind, Object, ObjectKey, Propagation, Typed};

pub const NS: &str = "default";

/// The worker nodes of the default (kind-like) cluster.
pub const WORKERS: [&str; 2] = ["kind-worker", "kind-worker2"];

/// Images that pull, for random image changes.
pub const IMAGES: [&str; 3] = [
    "registry.k8s.io/nginx-slim:0.21",
    "registry.k8s.io/nginx-slim:0.24",
    "registry.k8s.io/nginx-slim:0.23",
];

/// The tutorial's headless Service.
pub const SERVICE: &str = r#"
apiVersion: v1
kind: Service
metadata: {name: nginx, labels: {app: nginx}}
spec:
  ports: [{port: 80, name: web}]
  clusterIP: None
  selector: {app: nginx}
"#;

/// The tutorial's StatefulSet `web` with `replicas` and extra spec lines
/// (indented two spaces, e.g. `  podManagementPolicy: Parallel`).
pub fn web(replicas: i32, extra_spec: &str) -> String {
    format!(
        r#"
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: web}}
spec:
  serviceName: nginx
  replicas: {replicas}
  selector: {{matchLabels: {{app: nginx}}}}
{extra_spec}
  template:
    metadata: {{labels: {{app: nginx}}}}
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.21
        ports: [{{containerPort: 80, name: web}}]
        volumeMounts: [{{name: www, mountPath: /usr/share/nginx/html}}]
  volumeClaimTemplates:
  - metadata: {{name: www}}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {{requests: {{storage: 1Gi}}}}
"#
    )
}

pub fn object(yaml: &str) -> Object {
    let value: serde_json::Value = serde_yaml::from_str(yaml).expect("test YAML parses");
    let api_version = value["apiVersion"].as_str().unwrap_or("");
    let kind = value["kind"].as_str().unwrap_or("");
    let kind = Kind::from_api_version_kind(api_version, kind).expect("known kind");
    let mut object = Object::from_json(kind, value).expect("test object decodes");
    if kind.namespaced() && object.meta().namespace.is_none() {
        object.meta_mut().namespace = Some(NS.to_string());
    }
    object
}

/// Creates each document, or replaces it if it exists (like `kubectl apply`).
pub fn apply(cluster: &mut Cluster, yaml: &str) {
    for doc in yaml.split("\n---\n") {
        let object = object(doc);
        if cluster.store().get(&object.key()).is_some() {
            cluster.update(object).expect("update accepted");
        } else {
            cluster.create(object).expect("create accepted");
        }
    }
}

/// A fresh cluster with the Service and `web` applied.
pub fn cluster_with(replicas: i32, extra_spec: &str) -> Cluster {
    let mut cluster = Cluster::new(7);
    apply(&mut cluster, SERVICE);
    apply(&mut cluster, &web(replicas, extra_spec));
    cluster
}

/// Brings every worker node back (after random node faults).
pub fn reconnect_workers(cluster: &mut Cluster) {
    for node in WORKERS {
        let _ = cluster.fault(Fault::ReconnectNode {
            node: node.to_string(),
        });
    }
}

pub fn settle(cluster: &mut Cluster) {
    assert!(
        cluster.run_until_settled(30 * MINUTE),
        "cluster did not settle"
    );
}

/// Runs tasks until `done` holds (checked after every store change).
pub fn run_until(
    cluster: &mut Cluster,
    limit: Millis,
    mut done: impl FnMut(&Cluster) -> bool,
) -> bool {
    let deadline = cluster.now() + limit;
    loop {
        if done(cluster) {
            return true;
        }
        match cluster.next_due() {
            Some(at) if at <= deadline => {
                cluster.run_next_task();
            }
            _ => return false,
        }
    }
}

pub fn pod(cluster: &Cluster, name: &str) -> Option<Pod> {
    cluster.store().get_typed::<Pod>(NS, name).cloned()
}

/// The names of the namespace's objects of one type, in store order.
fn names<T: Typed>(cluster: &Cluster) -> Vec<String> {
    cluster
        .store()
        .list_typed::<T>(NS)
        .filter_map(|o| o.metadata().name.clone())
        .collect()
}

pub fn pod_names(cluster: &Cluster) -> Vec<String> {
    names::<Pod>(cluster)
}

pub fn claim(cluster: &Cluster, name: &str) -> Option<PersistentVolumeClaim> {
    cluster
        .store()
        .get_typed::<PersistentVolumeClaim>(NS, name)
        .cloned()
}

pub fn claim_names(cluster: &Cluster) -> Vec<String> {
    names::<PersistentVolumeClaim>(cluster)
}

pub fn volumes(cluster: &Cluster) -> Vec<PersistentVolume> {
    cluster
        .store()
        .list(Kind::PersistentVolume)
        .filter_map(|o| o.as_typed::<PersistentVolume>().cloned())
        .collect()
}

/// What the explain panel says about the set `web` now.
pub fn set_explanation(cluster: &Cluster) -> String {
    cluster
        .explanations()
        .get("statefulset/web")
        .map(|e| e.message.clone())
        .unwrap_or_default()
}

pub fn set(cluster: &Cluster) -> StatefulSet {
    cluster
        .store()
        .get_typed::<StatefulSet>(NS, "web")
        .cloned()
        .expect("statefulset web exists")
}

pub fn revisions(cluster: &Cluster) -> Vec<ControllerRevision> {
    let mut all: Vec<ControllerRevision> = cluster
        .store()
        .list_typed::<ControllerRevision>(NS)
        .cloned()
        .collect();
    all.sort_by_key(|r| r.revision);
    all
}

/// Changes the StatefulSet's spec as `kubectl edit` would.
pub fn edit_set(cluster: &mut Cluster, change: impl FnOnce(&mut StatefulSetSpec)) {
    let mut updated = set(cluster);
    if let Some(spec) = updated.spec.as_mut() {
        change(spec);
    }
    updated.metadata.resource_version = None;
    cluster
        .update(Object::StatefulSet(Box::new(updated)))
        .expect("edit accepted");
}

pub fn scale(cluster: &mut Cluster, replicas: i32) {
    edit_set(cluster, |spec| spec.replicas = Some(replicas));
}

pub fn set_image(cluster: &mut Cluster, image: &str) {
    edit_set(cluster, |spec| spec_image(spec, image));
}

/// In an edit: the first container's image.
pub fn spec_image(spec: &mut StatefulSetSpec, image: &str) {
    if let Some(c) = spec
        .template
        .spec
        .as_mut()
        .and_then(|s| s.containers.first_mut())
    {
        c.image = Some(image.to_string());
    }
}

/// In an edit: the rolling update's partition.
pub fn spec_partition(spec: &mut StatefulSetSpec, partition: i32) {
    spec.update_strategy
        .as_mut()
        .expect("the update strategy is defaulted")
        .rolling_update = Some(RollingUpdateStatefulSetStrategy {
        partition: Some(partition),
        max_unavailable: None,
    });
}

pub fn delete_pod(cluster: &mut Cluster, name: &str) {
    let key = ObjectKey::new(Kind::Pod, NS, name);
    cluster
        .delete(&key, &DeleteOptions::default())
        .expect("pod deleted");
}

pub fn force_delete_pod(cluster: &mut Cluster, name: &str) {
    let key = ObjectKey::new(Kind::Pod, NS, name);
    let options = DeleteOptions {
        grace_seconds: Some(0),
        propagation: Propagation::Background,
    };
    cluster.delete(&key, &options).expect("pod force-deleted");
}

/// (type, reason, message) of every Event about the object, in creation order.
pub fn events_about(cluster: &Cluster, kind: &str, name: &str) -> Vec<(String, String, String)> {
    let mut events: Vec<&Event> = cluster
        .store()
        .list_typed::<Event>(NS)
        .filter(|e| {
            e.involved_object.kind.as_deref() == Some(kind)
                && e.involved_object.name.as_deref() == Some(name)
        })
        .collect();
    events.sort_by_key(|e| {
        e.metadata
            .resource_version
            .as_ref()
            .and_then(|rv| rv.parse::<u64>().ok())
    });
    events
        .into_iter()
        .map(|e| {
            (
                e.type_.clone().unwrap_or_default(),
                e.reason.clone().unwrap_or_default(),
                e.message.clone().unwrap_or_default(),
            )
        })
        .collect()
}

pub fn messages(cluster: &Cluster, kind: &str, name: &str, reason: &str) -> Vec<String> {
    events_about(cluster, kind, name)
        .into_iter()
        .filter(|(_, r, _)| r == reason)
        .map(|(_, _, m)| m)
        .collect()
}

pub fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

pub fn is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True")
}

pub fn running_and_ready(cluster: &Cluster, name: &str) -> bool {
    pod(cluster, name).is_some_and(|p| phase(&p) == "Running" && is_ready(&p))
}

pub fn label<'a>(pod: &'a Pod, key: &str) -> Option<&'a str> {
    pod.metadata.labels.as_ref()?.get(key).map(String::as_str)
}

pub fn container_image(pod: &Pod) -> &str {
    pod.spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.as_deref())
        .unwrap_or("")
}

/// The first container's waiting reason, if it is waiting.
pub fn waiting_reason(pod: &Pod) -> Option<String> {
    pod.status
        .as_ref()?
        .container_statuses
        .as_ref()?
        .first()?
        .state
        .as_ref()?
        .waiting
        .as_ref()?
        .reason
        .clone()
}

/// The kubelet keeps failing to pull the image: whichever of its two
/// states (ErrImagePull, then ImagePullBackOff until the next try) the
/// moment catches.
pub fn pull_keeps_failing(pod: &Pod) -> bool {
    matches!(
        waiting_reason(pod).as_deref(),
        Some("ErrImagePull" | "ImagePullBackOff")
    )
}

pub fn restart_count(pod: &Pod) -> i32 {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|c| c.first())
        .map_or(0, |c| c.restart_count)
}

fn first_container(pod: &Pod) -> Option<k8s_openapi::api::core::v1::ContainerStatus> {
    pod.status
        .as_ref()?
        .container_statuses
        .as_ref()?
        .first()
        .cloned()
}

/// (exit code, reason) of the first container's current termination.
pub fn terminated(pod: &Pod) -> Option<(i32, String)> {
    let t = first_container(pod)?.state?.terminated?;
    Some((t.exit_code, t.reason.unwrap_or_default()))
}

/// (exit code, reason) of the first container's previous run.
pub fn last_terminated(pod: &Pod) -> Option<(i32, String)> {
    let t = first_container(pod)?.last_state?.terminated?;
    Some((t.exit_code, t.reason.unwrap_or_default()))
}

pub fn node_of(cluster: &Cluster, name: &str) -> String {
    pod(cluster, name)
        .and_then(|p| p.spec?.node_name)
        .unwrap_or_default()
}

/// (name, revision number) of each ControllerRevision, oldest first.
pub fn revision_numbers(cluster: &Cluster) -> Vec<(String, i64)> {
    revisions(cluster)
        .into_iter()
        .map(|r| (r.metadata.name.unwrap_or_default(), r.revision))
        .collect()
}
