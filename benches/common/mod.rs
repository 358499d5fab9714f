//! The cluster the engine benchmarks measure, shared with `examples/settle.rs`
//! (which runs one workload once, for profilers and instruction counts).

use k8s_openapi::api::apps::v1::StatefulSet;
use stsplay::sim::clock::MINUTE;
use stsplay::sim::{Cluster, Kind, Object};

const SERVICE: &str = "apiVersion: v1
kind: Service
metadata: {name: nginx, namespace: default}
spec: {clusterIP: None, selector: {app: nginx}, ports: [{port: 80, name: web}]}";

pub fn statefulset(replicas: usize, policy: &str, image: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: web, namespace: default}}
spec:
  serviceName: nginx
  replicas: {replicas}
  podManagementPolicy: {policy}
  selector: {{matchLabels: {{app: nginx}}}}
  template:
    metadata: {{labels: {{app: nginx}}}}
    spec:
      containers:
      - name: nginx
        image: {image}
        ports: [{{containerPort: 80, name: web}}]
        volumeMounts: [{{name: www, mountPath: /usr/share/nginx/html}}]
  volumeClaimTemplates:
  - metadata: {{name: www}}
    spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}"
    )
}

pub fn object(yaml: &str) -> Object {
    let value: serde_json::Value = serde_yaml::from_str(yaml).expect("bench YAML parses");
    let kind = Kind::from_api_version_kind(
        value["apiVersion"].as_str().unwrap_or(""),
        value["kind"].as_str().unwrap_or(""),
    )
    .expect("known kind");
    Object::from_json(kind, value).expect("bench object decodes")
}

/// Each kubelet takes up to this many pods (kind's take 110): the two
/// workers share the 10,000 replicas, as they would on a kind cluster whose
/// config raises `max-pods`.
pub const MAX_PODS: u32 = 10_000;

pub fn applied(replicas: usize, policy: &str) -> Cluster {
    let mut cluster = Cluster::with_max_pods(1, MAX_PODS);
    cluster.create(object(SERVICE)).expect("service");
    cluster
        .create(object(&statefulset(
            replicas,
            policy,
            "registry.k8s.io/nginx-slim:0.21",
        )))
        .expect("statefulset");
    cluster
}

/// Runs until nothing is left to do, and checks that every replica is
/// then Ready on the set's update revision.
pub fn settle(cluster: &mut Cluster) {
    assert!(cluster.run_until_settled(24 * 60 * MINUTE), "settles");
    let set = cluster
        .store()
        .get_typed::<StatefulSet>("default", "web")
        .expect("the set exists");
    let wanted = set.spec.as_ref().and_then(|s| s.replicas);
    let status = set.status.as_ref().expect("the set has a status");
    assert_eq!(status.ready_replicas, wanted, "every replica is Ready");
    assert_eq!(status.updated_replicas, wanted, "every replica is updated");
}
