use stsplay::sim::controllers::revision::{hash, revision_data};

use crate::common::*;

#[test]
fn first_revision_is_named_by_the_template_hash() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let set = set(&cluster);
    let expected = format!("web-{}", hash(&revision_data(&set), 0));
    assert_eq!(
        expected, "web-f99c84b4b",
        "the spec's computed name for nginx-slim:0.21"
    );
    let revisions = revisions(&cluster);
    assert_eq!(revisions.len(), 1);
    let revision = &revisions[0];
    assert_eq!(revision.metadata.name.as_deref(), Some(expected.as_str()));
    assert_eq!(revision.revision, 1);
    let labels = revision.metadata.labels.clone().unwrap();
    assert_eq!(
        labels
            .get("controller.kubernetes.io/hash")
            .map(String::as_str),
        Some("f99c84b4b")
    );
    assert_eq!(labels.get("app").map(String::as_str), Some("nginx"));
    let status = set.status.unwrap();
    assert_eq!(status.current_revision.as_deref(), Some(expected.as_str()));
    assert_eq!(status.update_revision.as_deref(), Some(expected.as_str()));
    assert_eq!(status.collision_count, Some(0));
}

#[test]
fn a_revision_carries_every_annotation_of_its_set() {
    let annotated = web(1, "").replace(
        "metadata: {name: web}",
        "metadata:\n  name: web\n  annotations:\n    kubernetes.io/change-cause: first\n    \
         kubectl.kubernetes.io/last-applied-configuration: '{}'",
    );
    let mut cluster = stsplay::sim::Cluster::new(1);
    apply(&mut cluster, SERVICE);
    apply(&mut cluster, &annotated);
    settle(&mut cluster);
    let revision = revisions(&cluster).remove(0);
    let annotations = revision.metadata.annotations.unwrap_or_default();
    let keys: Vec<&str> = annotations.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "kubectl.kubernetes.io/last-applied-configuration",
            "kubernetes.io/change-cause"
        ]
    );
}

#[test]
fn only_template_changes_make_revisions() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    scale(&mut cluster, 2);
    edit_set(&mut cluster, |s| s.min_ready_seconds = Some(1));
    settle(&mut cluster);
    assert_eq!(revisions(&cluster).len(), 1);
    set_image(&mut cluster, "registry.k8s.io/nginx-slim:0.24");
    settle(&mut cluster);
    let names = revision_numbers(&cluster);
    assert_eq!(
        names,
        [
            ("web-f99c84b4b".to_string(), 1),
            ("web-7d8559755f".to_string(), 2)
        ]
    );
}

#[test]
fn reverting_the_template_renumbers_the_old_revision() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    set_image(&mut cluster, "registry.k8s.io/nginx-slim:0.24");
    settle(&mut cluster);
    set_image(&mut cluster, "registry.k8s.io/nginx-slim:0.21");
    settle(&mut cluster);
    let names = revision_numbers(&cluster);
    assert_eq!(
        names,
        [
            ("web-7d8559755f".to_string(), 2),
            ("web-f99c84b4b".to_string(), 3)
        ]
    );
    let status = set(&cluster).status.unwrap();
    assert_eq!(status.update_revision.as_deref(), Some("web-f99c84b4b"));
    assert_eq!(status.current_revision.as_deref(), Some("web-f99c84b4b"));
    assert_eq!(
        container_image(&pod(&cluster, "web-0").unwrap()),
        "registry.k8s.io/nginx-slim:0.21"
    );
}

#[test]
fn history_is_truncated_to_the_limit() {
    let mut cluster = cluster_with(1, "  revisionHistoryLimit: 2");
    settle(&mut cluster);
    for tag in ["0.22", "0.23", "0.24", "0.25", "0.26"] {
        set_image(&mut cluster, &format!("registry.k8s.io/nginx-slim:{tag}"));
        settle(&mut cluster);
    }
    let numbers: Vec<i64> = revisions(&cluster).iter().map(|r| r.revision).collect();
    // The live revision (6) plus the two newest historic ones.
    assert_eq!(numbers, [4, 5, 6]);
}

#[test]
fn pods_below_the_partition_are_recreated_at_the_current_revision() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    edit_set(&mut cluster, |s| {
        spec_partition(s, 1);
        spec_image(s, "registry.k8s.io/nginx-slim:0.24");
    });
    settle(&mut cluster);
    assert_eq!(
        container_image(&pod(&cluster, "web-1").unwrap()),
        "registry.k8s.io/nginx-slim:0.24"
    );
    assert_eq!(
        container_image(&pod(&cluster, "web-0").unwrap()),
        "registry.k8s.io/nginx-slim:0.21"
    );
    delete_pod(&mut cluster, "web-0");
    settle(&mut cluster);
    let web0 = pod(&cluster, "web-0").unwrap();
    assert_eq!(
        container_image(&web0),
        "registry.k8s.io/nginx-slim:0.21",
        "restored to the current revision"
    );
    assert_eq!(
        label(&web0, "controller-revision-hash"),
        Some("web-f99c84b4b")
    );
}

#[test]
fn on_delete_recreates_pods_at_the_update_revision() {
    let mut cluster = cluster_with(2, "  updateStrategy: {type: OnDelete}");
    settle(&mut cluster);
    set_image(&mut cluster, "registry.k8s.io/nginx-slim:0.24");
    settle(&mut cluster);
    assert_eq!(
        container_image(&pod(&cluster, "web-1").unwrap()),
        "registry.k8s.io/nginx-slim:0.21",
        "OnDelete waits"
    );
    delete_pod(&mut cluster, "web-0");
    settle(&mut cluster);
    assert_eq!(
        container_image(&pod(&cluster, "web-0").unwrap()),
        "registry.k8s.io/nginx-slim:0.24"
    );
    assert_eq!(
        container_image(&pod(&cluster, "web-1").unwrap()),
        "registry.k8s.io/nginx-slim:0.21"
    );
}
