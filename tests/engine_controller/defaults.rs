use k8s_openapi::api::apps::v1::StatefulSet;
use stsplay::sim::{Cluster, Object};

use crate::common::*;

#[test]
fn apiserver_defaults_a_minimal_statefulset() {
    let mut cluster = Cluster::new(1);
    let minimal = r#"
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
"#;
    apply(&mut cluster, minimal);
    let set = set(&cluster);
    let spec = set.spec.as_ref().unwrap();
    assert_eq!(spec.replicas, Some(1));
    assert_eq!(spec.pod_management_policy.as_deref(), Some("OrderedReady"));
    let strategy = spec.update_strategy.as_ref().unwrap();
    assert_eq!(strategy.type_.as_deref(), Some("RollingUpdate"));
    assert_eq!(
        strategy.rolling_update.as_ref().and_then(|r| r.partition),
        Some(0)
    );
    let retention = spec
        .persistent_volume_claim_retention_policy
        .as_ref()
        .unwrap();
    assert_eq!(retention.when_deleted.as_deref(), Some("Retain"));
    assert_eq!(retention.when_scaled.as_deref(), Some("Retain"));
    assert_eq!(spec.revision_history_limit, Some(10));
    let pod_spec = spec.template.spec.as_ref().unwrap();
    assert_eq!(pod_spec.restart_policy.as_deref(), Some("Always"));
    assert_eq!(pod_spec.termination_grace_period_seconds, Some(30));
    assert_eq!(
        pod_spec.containers[0].image_pull_policy.as_deref(),
        Some("IfNotPresent")
    );
    assert_eq!(set.metadata.generation, Some(1));
}

#[test]
fn service_account_echoes_service_account_name() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    // The ServiceAccount admission plugin names `default`; the v1 form
    // repeats it in the deprecated `serviceAccount`.
    let spec = pod(&cluster, "web-0").unwrap().spec.unwrap();
    assert_eq!(spec.service_account_name.as_deref(), Some("default"));
    assert_eq!(spec.service_account.as_deref(), Some("default"));
    // A template with neither keeps neither.
    let template = set(&cluster).spec.unwrap().template.spec.unwrap();
    assert_eq!(template.service_account, None);
    // Only the deprecated spelling: it names the account.
    let old_style = r#"
apiVersion: v1
kind: Pod
metadata: {name: legacy}
spec:
  serviceAccount: default
  containers: [{name: c, image: "nginx:1.27"}]
"#;
    apply(&mut cluster, old_style);
    let spec = pod(&cluster, "legacy").unwrap().spec.unwrap();
    assert_eq!(spec.service_account_name.as_deref(), Some("default"));
    assert_eq!(spec.service_account.as_deref(), Some("default"));
}

#[test]
fn explicit_rolling_update_without_a_block_keeps_it_nil() {
    let mut cluster = Cluster::new(1);
    apply(
        &mut cluster,
        &web(1, "  updateStrategy: {type: RollingUpdate}"),
    );
    let strategy = set(&cluster).spec.unwrap().update_strategy.unwrap();
    assert!(strategy.rolling_update.is_none());
}

#[test]
fn probes_get_their_defaults() {
    let mut cluster = Cluster::new(1);
    let yaml = web(1, "").replace(
        "        ports: [{containerPort: 80, name: web}]",
        "        ports: [{containerPort: 80, name: web}]\n        readinessProbe: {httpGet: {port: 80}}",
    );
    apply(&mut cluster, &yaml);
    let set = set(&cluster);
    let probe = set.spec.unwrap().template.spec.unwrap().containers[0]
        .readiness_probe
        .clone()
        .unwrap();
    assert_eq!(probe.period_seconds, Some(10));
    assert_eq!(probe.timeout_seconds, Some(1));
    assert_eq!(probe.success_threshold, Some(1));
    assert_eq!(probe.failure_threshold, Some(3));
    assert_eq!(probe.http_get.unwrap().path.as_deref(), Some("/"));
}

#[test]
fn generation_bumps_on_spec_changes_only() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    assert_eq!(set(&cluster).metadata.generation, Some(1));
    assert_eq!(set(&cluster).status.unwrap().observed_generation, Some(1));
    scale(&mut cluster, 2);
    assert_eq!(set(&cluster).metadata.generation, Some(2));
    settle(&mut cluster);
    let after: StatefulSet = set(&cluster);
    assert_eq!(after.metadata.generation, Some(2));
    assert_eq!(after.status.unwrap().observed_generation, Some(2));
    let mut relabelled = set(&cluster);
    relabelled.metadata.labels = Some([("team".to_string(), "a".to_string())].into());
    relabelled.metadata.resource_version = None;
    cluster
        .update(Object::StatefulSet(Box::new(relabelled)))
        .unwrap();
    assert_eq!(set(&cluster).metadata.generation, Some(2));
}
