//! persistentVolumeClaimRetentionPolicy (kubernetes-fidelity.md §1.8): the
//! StatefulSet controller expresses the policy as ownerReferences on the
//! claims and lets the garbage collector do the deleting.
//!
//! - Retain/Retain: no references from the set or the pod.
//! - whenDeleted=Delete: in-range claims are owned by the set.
//! - whenScaled=Delete: claims of condemned (scaled-down) pods are owned by
//!   the pod, so they go once that pod is gone.
//!
//! Claims with a reference to an older set or pod of the same name, or with
//! another controller, are left alone (the upstream rules).

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::PersistentVolumeClaim;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

use super::stateful_pods::{claim_name, claim_templates, controller_ref, set_name};
use crate::sim::cluster::Cluster;
use crate::sim::events::{record, EventKind, Source};
use crate::sim::object::Object;

/// The pod a claim belongs to: its name, uid ("" before it exists) and
/// whether its ordinal is inside the set's range.
pub struct ClaimHolder<'a> {
    pub name: &'a str,
    pub uid: &'a str,
    pub ordinal: i32,
    pub in_range: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Policy {
    delete_when_deleted: bool,
    delete_when_scaled: bool,
}

fn policy(set: &StatefulSet) -> Policy {
    let policy = set
        .spec
        .as_ref()
        .and_then(|s| s.persistent_volume_claim_retention_policy.as_ref());
    let is_delete = |v: Option<&String>| v.is_some_and(|v| v == "Delete");
    Policy {
        delete_when_deleted: is_delete(policy.and_then(|p| p.when_deleted.as_ref())),
        delete_when_scaled: is_delete(policy.and_then(|p| p.when_scaled.as_ref())),
    }
}

pub fn deletes_when_scaled(set: &StatefulSet) -> bool {
    policy(set).delete_when_scaled
}

fn is_set_ref(r: &OwnerReference, set: &StatefulSet) -> bool {
    r.api_version == "apps/v1" && r.kind == "StatefulSet" && r.name == set_name(set)
}

fn is_pod_ref(r: &OwnerReference, pod: &ClaimHolder<'_>) -> bool {
    r.api_version == "v1" && r.kind == "Pod" && r.name == pod.name
}

fn refs(claim: &PersistentVolumeClaim) -> &[OwnerReference] {
    claim.metadata.owner_references.as_deref().unwrap_or(&[])
}

fn set_uid(set: &StatefulSet) -> &str {
    set.metadata.uid.as_deref().unwrap_or("")
}

/// A reference to the set's or pod's name but another uid: an older incarnation.
fn has_stale_ref(claim: &PersistentVolumeClaim, set: &StatefulSet, pod: &ClaimHolder<'_>) -> bool {
    let stale_set = refs(claim)
        .iter()
        .find(|r| is_set_ref(r, set))
        .is_some_and(|r| r.uid != set_uid(set));
    let stale_pod = refs(claim)
        .iter()
        .find(|r| is_pod_ref(r, pod))
        .is_some_and(|r| r.uid != pod.uid);
    stale_set || stale_pod
}

fn has_owner(claim: &PersistentVolumeClaim, uid: &str) -> bool {
    refs(claim).iter().any(|r| r.uid == uid)
}

/// Another controller manages the claim (or a reference points at an older set or pod).
fn has_unexpected_controller(
    claim: &PersistentVolumeClaim,
    set: &StatefulSet,
    pod: &ClaimHolder<'_>,
) -> bool {
    let policy = policy(set);
    if !policy.delete_when_deleted && !policy.delete_when_scaled {
        return false;
    }
    refs(claim).iter().any(|r| {
        if is_set_ref(r, set) {
            r.uid != set_uid(set)
        } else if is_pod_ref(r, pod) {
            r.uid != pod.uid
        } else {
            r.controller == Some(true)
        }
    })
}

fn has_non_controller_owner(
    claim: &PersistentVolumeClaim,
    set: &StatefulSet,
    pod: &ClaimHolder<'_>,
) -> bool {
    refs(claim)
        .iter()
        .any(|r| (r.uid == set_uid(set) || r.uid == pod.uid) && r.controller != Some(true))
}

/// Whether the claim's references already express the policy.
pub fn owner_up_to_date(
    claim: &PersistentVolumeClaim,
    set: &StatefulSet,
    pod: &ClaimHolder<'_>,
) -> bool {
    if has_stale_ref(claim, set, pod) {
        return true;
    }
    let owned_by_set = has_owner(claim, set_uid(set));
    let owned_by_pod = !pod.uid.is_empty() && has_owner(claim, pod.uid);
    if has_unexpected_controller(claim, set, pod) {
        return !(owned_by_set || owned_by_pod);
    }
    if has_non_controller_owner(claim, set, pod) {
        return false;
    }
    let policy = policy(set);
    let scaled_down = !pod.in_range;
    let wants_set = policy.delete_when_deleted && !(policy.delete_when_scaled && scaled_down);
    let wants_pod = policy.delete_when_scaled && scaled_down;
    owned_by_set == wants_set && owned_by_pod == wants_pod
}

fn pod_ref(pod: &ClaimHolder<'_>) -> OwnerReference {
    OwnerReference {
        api_version: "v1".to_string(),
        kind: "Pod".to_string(),
        name: pod.name.to_string(),
        uid: pod.uid.to_string(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Rewrites the set's and pod's references on the claim to match the policy.
fn update_owner_refs(claim: &mut PersistentVolumeClaim, set: &StatefulSet, pod: &ClaimHolder<'_>) {
    let unexpected = has_unexpected_controller(claim, set, pod);
    let mut kept: Vec<OwnerReference> = refs(claim)
        .iter()
        .filter(|r| !is_set_ref(r, set) && !is_pod_ref(r, pod))
        .cloned()
        .collect();
    if !unexpected {
        let policy = policy(set);
        let scaled_down = !pod.in_range;
        if policy.delete_when_scaled && scaled_down {
            kept.push(pod_ref(pod));
        } else if policy.delete_when_deleted {
            kept.push(controller_ref(set));
        }
    }
    claim.metadata.owner_references = (!kept.is_empty()).then_some(kept);
}

/// Whether some claim of the set could disagree with its policy. Retain/
/// Retain wants no references, so while no claim in the namespace has any,
/// every claim is up to date without looking each one up.
pub fn claims_may_be_outdated(cluster: &Cluster, set: &StatefulSet) -> bool {
    let namespace = set.metadata.namespace.as_deref().unwrap_or("");
    policy(set) != Policy::default() || cluster.index.has_owned_claims(namespace)
}

/// ClaimsMatchRetentionPolicy: every existing claim of the pod is up to date.
pub fn claims_match(cluster: &Cluster, set: &StatefulSet, pod: &ClaimHolder<'_>) -> bool {
    let namespace = set.metadata.namespace.as_deref().unwrap_or("");
    claim_templates(set).iter().all(|template| {
        let name = claim_name(template, set, pod.ordinal);
        cluster
            .store
            .get_typed::<PersistentVolumeClaim>(namespace, &name)
            .is_none_or(|claim| owner_up_to_date(claim, set, pod))
    })
}

/// UpdatePodClaimForRetentionPolicy: fixes the references of the pod's
/// claims, warning about claims another controller manages.
pub fn update_claims(cluster: &mut Cluster, set: &StatefulSet, pod: &ClaimHolder<'_>) {
    let namespace = set.metadata.namespace.clone().unwrap_or_default();
    for template in claim_templates(set) {
        let name = claim_name(template, set, pod.ordinal);
        let Some(claim) = cluster
            .store
            .get_typed::<PersistentVolumeClaim>(&namespace, &name)
        else {
            continue;
        };
        let conflicting = has_unexpected_controller(claim, set, pod);
        let outdated = (!owner_up_to_date(claim, set, pod)).then(|| claim.clone());
        if conflicting {
            let message = format!(
                "PersistentVolumeClaim {name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim"
            );
            let about = Object::StatefulSet(Box::new(set.clone()));
            record(
                cluster,
                &about,
                EventKind::Warning,
                "ConflictingController",
                message,
                Source::STATEFULSET,
            );
        }
        if let Some(mut updated) = outdated {
            update_owner_refs(&mut updated, set, pod);
            cluster.write(Object::PersistentVolumeClaim(Box::new(updated)));
        }
    }
}

/// PodClaimIsStale: with whenScaled=Delete, a claim still referencing an
/// older pod of this name must be collected before a new pod may use it.
pub fn claim_is_stale(cluster: &Cluster, set: &StatefulSet, pod: &ClaimHolder<'_>) -> bool {
    if !policy(set).delete_when_scaled {
        return false;
    }
    let namespace = set.metadata.namespace.as_deref().unwrap_or("");
    claim_templates(set).iter().any(|template| {
        let name = claim_name(template, set, pod.ordinal);
        cluster
            .store
            .get_typed::<PersistentVolumeClaim>(namespace, &name)
            .is_some_and(|claim| {
                refs(claim)
                    .iter()
                    .find(|r| is_pod_ref(r, pod))
                    .is_some_and(|r| r.uid != pod.uid)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::StatefulSetPersistentVolumeClaimRetentionPolicy;

    fn set(when_deleted: &str, when_scaled: &str) -> StatefulSet {
        let mut set = StatefulSet::default();
        set.metadata.name = Some("web".to_string());
        set.metadata.uid = Some("set-uid".to_string());
        set.spec
            .get_or_insert_with(Default::default)
            .persistent_volume_claim_retention_policy =
            Some(StatefulSetPersistentVolumeClaimRetentionPolicy {
                when_deleted: Some(when_deleted.to_string()),
                when_scaled: Some(when_scaled.to_string()),
            });
        set
    }

    fn holder(in_range: bool) -> ClaimHolder<'static> {
        ClaimHolder {
            name: "web-1",
            uid: "pod-uid",
            ordinal: 1,
            in_range,
        }
    }

    fn owners_after_update(set: &StatefulSet, in_range: bool) -> Vec<String> {
        let mut claim = PersistentVolumeClaim::default();
        update_owner_refs(&mut claim, set, &holder(in_range));
        assert!(owner_up_to_date(&claim, set, &holder(in_range)));
        claim
            .metadata
            .owner_references
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.kind)
            .collect()
    }

    #[test]
    fn each_policy_sets_the_documented_owner() {
        assert!(owners_after_update(&set("Retain", "Retain"), true).is_empty());
        assert!(owners_after_update(&set("Retain", "Retain"), false).is_empty());
        assert_eq!(
            owners_after_update(&set("Delete", "Retain"), true),
            ["StatefulSet"]
        );
        assert_eq!(
            owners_after_update(&set("Delete", "Retain"), false),
            ["StatefulSet"]
        );
        assert!(owners_after_update(&set("Retain", "Delete"), true).is_empty());
        assert_eq!(
            owners_after_update(&set("Retain", "Delete"), false),
            ["Pod"]
        );
        assert_eq!(
            owners_after_update(&set("Delete", "Delete"), true),
            ["StatefulSet"]
        );
        assert_eq!(
            owners_after_update(&set("Delete", "Delete"), false),
            ["Pod"]
        );
    }

    #[test]
    fn a_reference_to_an_older_set_is_left_alone() {
        let set = set("Delete", "Retain");
        let mut claim = PersistentVolumeClaim::default();
        let mut old = controller_ref(&set);
        old.uid = "older-set".to_string();
        claim.metadata.owner_references = Some(vec![old]);
        assert!(owner_up_to_date(&claim, &set, &holder(true)));
    }
}
