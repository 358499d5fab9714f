use stsplay::sim::Object;

use crate::common::*;

#[test]
fn pods_carry_the_stateful_identity() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    let set = set(&cluster);
    let revision = set
        .status
        .as_ref()
        .and_then(|s| s.update_revision.clone())
        .unwrap();
    for ordinal in 0..2 {
        let name = format!("web-{ordinal}");
        let pod = pod(&cluster, &name).unwrap();
        assert_eq!(pod.metadata.generate_name.as_deref(), Some("web-"));
        assert_eq!(
            label(&pod, "statefulset.kubernetes.io/pod-name"),
            Some(name.as_str())
        );
        assert_eq!(
            label(&pod, "apps.kubernetes.io/pod-index"),
            Some(ordinal.to_string().as_str())
        );
        assert_eq!(
            label(&pod, "controller-revision-hash"),
            Some(revision.as_str())
        );
        assert_eq!(label(&pod, "app"), Some("nginx"));
        let owner = &pod.metadata.owner_references.as_ref().unwrap()[0];
        assert_eq!(
            (owner.kind.as_str(), owner.name.as_str()),
            ("StatefulSet", "web")
        );
        assert_eq!(owner.uid, set.metadata.uid.clone().unwrap());
        assert_eq!(
            (owner.controller, owner.block_owner_deletion),
            (Some(true), Some(true))
        );
        let spec = pod.spec.as_ref().unwrap();
        assert_eq!(spec.hostname.as_deref(), Some(name.as_str()));
        assert_eq!(spec.subdomain.as_deref(), Some("nginx"));
        let claim = spec
            .volumes
            .iter()
            .flatten()
            .find(|v| v.name == "www")
            .and_then(|v| v.persistent_volume_claim.as_ref())
            .map(|c| c.claim_name.clone());
        assert_eq!(claim, Some(format!("www-web-{ordinal}")));
    }
}

#[test]
fn claims_are_named_labelled_and_created_before_their_pod() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let claim = claim(&cluster, "www-web-0").unwrap();
    assert_eq!(
        claim
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("app"))
            .map(String::as_str),
        Some("nginx")
    );
    let log = cluster.event_log();
    let claim_at = log
        .find("ADDED PersistentVolumeClaim default/www-web-0")
        .unwrap();
    let pod_at = log.find("ADDED Pod default/web-0").unwrap();
    assert!(claim_at < pod_at, "the claim is created first");
}

#[test]
fn removed_identity_label_is_repaired_with_successful_update() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let mut pod = pod(&cluster, "web-0").unwrap();
    pod.metadata
        .labels
        .as_mut()
        .unwrap()
        .remove("statefulset.kubernetes.io/pod-name");
    pod.metadata.resource_version = None;
    cluster.update(Object::Pod(Box::new(pod))).unwrap();
    settle(&mut cluster);
    let repaired = crate::common::pod(&cluster, "web-0").unwrap();
    assert_eq!(
        label(&repaired, "statefulset.kubernetes.io/pod-name"),
        Some("web-0")
    );
    assert_eq!(
        messages(&cluster, "StatefulSet", "web", "SuccessfulUpdate"),
        ["update Pod web-0 in StatefulSet web successful"]
    );
}

#[test]
fn orphaned_pods_are_adopted_by_a_new_set() {
    use stsplay::sim::{DeleteOptions, Kind, ObjectKey, Propagation};
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    let old_uid = set(&cluster).metadata.uid.unwrap();
    let orphan = DeleteOptions {
        grace_seconds: None,
        propagation: Propagation::Orphan,
    };
    cluster
        .delete(&ObjectKey::new(Kind::StatefulSet, NS, "web"), &orphan)
        .unwrap();
    settle(&mut cluster);
    let freed = pod(&cluster, "web-0").unwrap();
    assert!(
        freed.metadata.owner_references.is_none(),
        "--cascade=orphan removes the ownerRefs"
    );
    assert!(running_and_ready(&cluster, "web-1"));
    apply(&mut cluster, &web(1, ""));
    settle(&mut cluster);
    let new_uid = set(&cluster).metadata.uid.unwrap();
    assert_ne!(old_uid, new_uid);
    let adopted = pod(&cluster, "web-0").unwrap();
    assert_eq!(adopted.metadata.owner_references.unwrap()[0].uid, new_uid);
    assert!(
        pod(&cluster, "web-1").is_none(),
        "the pod beyond replicas is condemned"
    );
    assert_eq!(
        revisions(&cluster).len(),
        1,
        "the old revision is adopted, not duplicated"
    );
}
