//! §1.4: ControllerRevision data, hash and naming reproduce the upstream
//! compatibility fixtures (pkg/controller/statefulset/testdata).

use k8s_openapi::api::apps::v1::StatefulSet;
use stsplay::sim::controllers::revision::{hash, name, revision_data};
use stsplay::sim::defaults::default_statefulset;

/// The spec of compatibility_set_1.34.0.json as a user would submit it
/// (the apiserver fills in the rest).
const FIXTURE_SET: &str = r#"{
  "apiVersion": "apps/v1", "kind": "StatefulSet",
  "metadata": {"name": "test", "namespace": "default", "labels": {"sslabel": "value"}},
  "spec": {
    "replicas": 1,
    "selector": {"matchLabels": {"app": "foo"}},
    "serviceName": "",
    "template": {
      "metadata": {"annotations": {"test": "value"}, "labels": {"app": "foo"}},
      "spec": {"containers": [{"image": "test", "name": "test"}]}
    },
    "volumeClaimTemplates": [{
      "metadata": {"annotations": {"key": "value"}, "labels": {"key": "value"}, "name": "test"},
      "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    }]
  }
}"#;

/// `data` of compatibility_revision_1.33.0.json (1.33 still wrote a null creationTimestamp).
const DATA_1_33: &str = r#"{"spec":{"template":{"$patch":"replace","metadata":{"annotations":{"test":"value"},"creationTimestamp":null,"labels":{"app":"foo"}},"spec":{"containers":[{"image":"test","imagePullPolicy":"Always","name":"test","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}"#;

/// `data` of compatibility_revision_1.34.0.json.
const DATA_1_34: &str = r#"{"spec":{"template":{"$patch":"replace","metadata":{"annotations":{"test":"value"},"labels":{"app":"foo"}},"spec":{"containers":[{"image":"test","imagePullPolicy":"Always","name":"test","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}"#;

#[test]
fn upstream_1_33_fixture_hash() {
    assert_eq!(hash(DATA_1_33, 0), "c77f6d978");
    assert_eq!(name("test", &hash(DATA_1_33, 0)), "test-c77f6d978");
}

#[test]
fn upstream_1_34_fixture_hash() {
    assert_eq!(hash(DATA_1_34, 0), "776999688b");
}

#[test]
fn defaulted_fixture_set_serializes_like_a_1_34_controller() {
    let mut set: StatefulSet = serde_json::from_str(FIXTURE_SET).expect("fixture parses");
    default_statefulset(&mut set);
    let data = revision_data(&set);
    assert_eq!(data, DATA_1_34);
    assert_eq!(name("test", &hash(&data, 0)), "test-776999688b");
}

#[test]
fn collision_count_changes_the_hash() {
    assert_ne!(hash(DATA_1_34, 0), hash(DATA_1_34, 1));
}
