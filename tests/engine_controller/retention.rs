use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use stsplay::sim::{DeleteOptions, Kind, Object, ObjectKey};

use crate::common::*;

fn policy(when_deleted: &str, when_scaled: &str) -> String {
    format!("  persistentVolumeClaimRetentionPolicy: {{whenDeleted: {when_deleted}, whenScaled: {when_scaled}}}")
}

fn owner_kinds(cluster: &stsplay::sim::Cluster, claim_name: &str) -> Vec<String> {
    claim(cluster, claim_name)
        .unwrap()
        .metadata
        .owner_references
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.kind)
        .collect()
}

#[test]
fn retain_keeps_every_claim_after_scale_down() {
    let mut cluster = cluster_with(3, "");
    settle(&mut cluster);
    scale(&mut cluster, 1);
    settle(&mut cluster);
    assert_eq!(pod_names(&cluster), ["web-0"]);
    assert_eq!(
        claim_names(&cluster),
        ["www-web-0", "www-web-1", "www-web-2"]
    );
    assert!(owner_kinds(&cluster, "www-web-2").is_empty());
}

#[test]
fn when_scaled_delete_removes_claims_of_condemned_pods() {
    let mut cluster = cluster_with(3, &policy("Retain", "Delete"));
    settle(&mut cluster);
    assert!(
        owner_kinds(&cluster, "www-web-0").is_empty(),
        "in-range claims have no owner"
    );
    scale(&mut cluster, 1);
    settle(&mut cluster);
    assert_eq!(claim_names(&cluster), ["www-web-0"]);
    assert_eq!(
        volumes(&cluster).len(),
        1,
        "their volumes were reclaimed too"
    );
    scale(&mut cluster, 2);
    settle(&mut cluster);
    assert_eq!(claim_names(&cluster), ["www-web-0", "www-web-1"]);
    assert!(running_and_ready(&cluster, "web-1"));
}

#[test]
fn when_deleted_delete_removes_claims_with_the_set() {
    let mut cluster = cluster_with(2, &policy("Delete", "Retain"));
    settle(&mut cluster);
    assert_eq!(owner_kinds(&cluster, "www-web-1"), ["StatefulSet"]);
    cluster
        .delete(
            &ObjectKey::new(Kind::StatefulSet, NS, "web"),
            &DeleteOptions::default(),
        )
        .unwrap();
    settle(&mut cluster);
    assert!(pod_names(&cluster).is_empty());
    assert!(claim_names(&cluster).is_empty());
}

#[test]
fn delete_delete_moves_ownership_from_set_to_pod_on_scale_down() {
    let mut cluster = cluster_with(2, &policy("Delete", "Delete"));
    settle(&mut cluster);
    assert_eq!(owner_kinds(&cluster, "www-web-1"), ["StatefulSet"]);
    scale(&mut cluster, 1);
    assert!(run_until(&mut cluster, 60_000, |c| claim(c, "www-web-1")
        .and_then(|cl| cl.metadata.owner_references)
        .is_some_and(|r| r.iter().any(|r| r.kind == "Pod"))));
    settle(&mut cluster);
    assert_eq!(claim_names(&cluster), ["www-web-0"]);
}

#[test]
fn manual_pod_deletion_keeps_claims_under_any_policy() {
    let mut cluster = cluster_with(2, &policy("Delete", "Delete"));
    settle(&mut cluster);
    let claim_uid = claim(&cluster, "www-web-1").unwrap().metadata.uid;
    delete_pod(&mut cluster, "web-1");
    settle(&mut cluster);
    assert_eq!(
        claim(&cluster, "www-web-1").unwrap().metadata.uid,
        claim_uid
    );
}

#[test]
fn a_claim_with_another_controller_is_reported_and_left_to_it() {
    let mut cluster = cluster_with(1, &policy("Delete", "Retain"));
    settle(&mut cluster);
    let other = cluster
        .create(object(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}",
        ))
        .unwrap();
    let mut claim = claim(&cluster, "www-web-0").unwrap();
    let refs = claim.metadata.owner_references.get_or_insert_with(Vec::new);
    assert_eq!(refs.len(), 1, "owned by the set");
    refs.push(OwnerReference {
        api_version: "v1".to_string(),
        kind: "ConfigMap".to_string(),
        name: "other".to_string(),
        uid: other.uid().to_string(),
        controller: Some(true),
        block_owner_deletion: None,
    });
    claim.metadata.resource_version = None;
    cluster
        .update(Object::PersistentVolumeClaim(Box::new(claim)))
        .unwrap();
    // The next pass over web-0 notices; a spec change triggers one.
    edit_set(&mut cluster, |s| s.min_ready_seconds = Some(0));
    settle(&mut cluster);
    assert_eq!(
        messages(&cluster, "StatefulSet", "web", "ConflictingController"),
        ["PersistentVolumeClaim www-web-0 has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim"]
    );
    assert_eq!(
        owner_kinds(&cluster, "www-web-0"),
        ["ConfigMap"],
        "the set's reference is scrubbed"
    );
}
