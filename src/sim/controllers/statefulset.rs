//! The StatefulSet controller: one reconcile pass, following the upstream
//! algorithm (claim pods, pick revisions, create in order, delete condemned
//! pods from the highest ordinal, roll updates down to the partition, write
//! status). See kubernetes-fidelity.md §1.6.

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet, StatefulSetStatus};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use super::revisions::{self, Revisions};
use super::stateful_pods::{self, claim_templates, controller_ref, set_name};
use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::events::{record, EventKind, Source};
use crate::sim::labels::selector_matches;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods::{self, is_available, is_running_and_ready, is_terminating};

/// What stopped (or finished) a pass, for the explain panel.
struct Pass {
    note: Option<String>,
}

impl Pass {
    fn note(&mut self, text: String) {
        if self.note.is_none() {
            self.note = Some(text);
        }
    }
}

pub fn sync(cluster: &mut Cluster, namespace: &str, name: &str) {
    let subject = format!("statefulset/{name}");
    let Some(set) = cluster
        .store
        .get_typed::<StatefulSet>(namespace, name)
        .cloned()
    else {
        cluster.explanations.clear(&subject);
        return;
    };
    let Some(spec) = set.spec.clone() else { return };
    let pods = claim_pods(cluster, &set);
    let Some(Revisions {
        current,
        update,
        collision_count,
    }) = revisions::sync(cluster, &set, &pods)
    else {
        return;
    };
    let now = cluster.now();
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let mut status = compute_status(&set, &pods, &current, &update, collision_count, now);
    let mut pass = Pass { note: None };

    if set.metadata.deletion_timestamp.is_none() {
        reconcile(
            cluster,
            &set,
            &pods,
            &current,
            &update,
            &mut status,
            &mut pass,
        );
    }
    complete_rolling_update(&set, &mut status);
    write_status(cluster, &set, status);
    revisions::truncate_history(cluster, &set, &pods, &current, &update);

    let note = pass.note.unwrap_or_else(|| summary(&set, &pods, &update));
    cluster
        .explanations
        .set(now, "statefulset-controller", subject, note);
    if min_ready > 0
        && pods
            .iter()
            .any(|p| is_running_and_ready(p) && !is_available(p, min_ready, now))
    {
        cluster.enqueue(
            Task::SyncStatefulSet(namespace.to_string(), name.to_string()),
            min_ready as u64 * 1000,
        );
    }
}

/// Pods this set owns, adopting orphans whose name and labels fit it.
fn claim_pods(cluster: &mut Cluster, set: &StatefulSet) -> Vec<Pod> {
    let namespace = set.metadata.namespace.clone().unwrap_or_default();
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let selector = set
        .spec
        .as_ref()
        .map(|s| s.selector.clone())
        .unwrap_or_default();
    let mut owned = Vec::new();
    let mut orphans = Vec::new();
    for object in cluster.store.list_in(Kind::Pod, &namespace) {
        let Some(pod) = object.as_typed::<Pod>() else {
            continue;
        };
        match object.controller_uid() {
            Some(owner) if owner == uid => owned.push(pod.clone()),
            Some(_) => {}
            None => {
                let name = pod.metadata.name.as_deref().unwrap_or("");
                if pods::ordinal(name, set_name(set)).is_some()
                    && selector_matches(&selector, pod.metadata.labels.as_ref())
                    && set.metadata.deletion_timestamp.is_none()
                {
                    orphans.push(pod.clone());
                }
            }
        }
    }
    for mut pod in orphans {
        pod.metadata
            .owner_references
            .get_or_insert_with(Vec::new)
            .push(controller_ref(set));
        if let Some(adopted) = cluster.write(Object::Pod(pod)) {
            if let Some(pod) = adopted.as_typed::<Pod>() {
                owned.push(pod.clone());
            }
        }
    }
    owned
}

fn compute_status(
    set: &StatefulSet,
    pods: &[Pod],
    current: &ControllerRevision,
    update: &ControllerRevision,
    collision_count: i32,
    now: u64,
) -> StatefulSetStatus {
    let min_ready = set
        .spec
        .as_ref()
        .and_then(|s| s.min_ready_seconds)
        .unwrap_or(0);
    let current_name = current.metadata.name.as_deref().unwrap_or("");
    let update_name = update.metadata.name.as_deref().unwrap_or("");
    let mut status = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        collision_count: Some(collision_count),
        current_revision: Some(current_name.to_string()),
        update_revision: Some(update_name.to_string()),
        ..Default::default()
    };
    let (mut replicas, mut ready, mut available, mut current_count, mut updated) = (0, 0, 0, 0, 0);
    for pod in pods {
        let created = !pods::phase(pod).is_empty();
        if created {
            replicas += 1;
        }
        if is_running_and_ready(pod) {
            ready += 1;
            if is_available(pod, min_ready, now) {
                available += 1;
            }
        }
        if created && !is_terminating(pod) {
            let revision = pods::revision(pod);
            if revision == current_name {
                current_count += 1;
            }
            if revision == update_name {
                updated += 1;
            }
        }
    }
    status.replicas = replicas;
    status.ready_replicas = Some(ready);
    status.available_replicas = Some(available);
    status.current_replicas = Some(current_count);
    status.updated_replicas = Some(updated);
    status
}

/// Steps 2–8 of a pass: replicas, condemned pods, then the update strategy.
fn reconcile(
    cluster: &mut Cluster,
    set: &StatefulSet,
    pods: &[Pod],
    current: &ControllerRevision,
    update: &ControllerRevision,
    status: &mut StatefulSetStatus,
    pass: &mut Pass,
) {
    let spec = set.spec.clone().unwrap_or_default();
    let name = set_name(set).to_string();
    let start = spec.ordinals.as_ref().and_then(|o| o.start).unwrap_or(0);
    let count = spec.replicas.unwrap_or(1).max(0);
    let now = cluster.now();
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let monotonic = spec.pod_management_policy.as_deref() != Some("Parallel");

    let mut replicas: Vec<Option<Pod>> = vec![None; count as usize];
    let mut condemned: Vec<(i32, Pod)> = Vec::new();
    for pod in pods {
        let Some(ordinal) = pods::ordinal(pod.metadata.name.as_deref().unwrap_or(""), &name) else {
            continue;
        };
        if ordinal >= start && ordinal < start + count {
            replicas[(ordinal - start) as usize] = Some(pod.clone());
        } else {
            condemned.push((ordinal, pod.clone()));
        }
    }
    condemned.sort_by_key(|c| std::cmp::Reverse(c.0));

    let healthy = |pod: &Pod| {
        is_running_and_ready(pod) && !is_terminating(pod) && is_available(pod, min_ready, now)
    };
    let first_unhealthy: Option<String> = replicas
        .iter()
        .enumerate()
        .find_map(|(i, slot)| match slot {
            Some(p) if healthy(p) => None,
            Some(p) => p.metadata.name.clone(),
            None => Some(format!("{name}-{}", start + i as i32)),
        })
        .or_else(|| {
            condemned
                .iter()
                .rev()
                .find(|(_, p)| !healthy(p))
                .and_then(|(_, p)| p.metadata.name.clone())
        });

    // Step 5: replicas in ascending ordinal order.
    for (index, slot) in replicas.iter().enumerate() {
        let ordinal = start + index as i32;
        let pod_name = format!("{name}-{ordinal}");
        let Some(pod) = slot else {
            let revision = revision_for_new_pod(&spec, status, ordinal, start, current, update);
            if !create_pod(cluster, set, revision, ordinal) {
                pass.note(format!(
                    "{pod_name} could not be created; see the StatefulSet's events"
                ));
                return;
            }
            if monotonic {
                pass.note(format!("created {pod_name}; the next pod waits until it is Running and Ready (OrderedReady)"));
                return;
            }
            continue;
        };
        let phase = pods::phase(pod);
        if phase == "Failed" || phase == "Succeeded" {
            if !is_terminating(pod) {
                delete_pod(cluster, set, pod);
            }
            pass.note(format!(
                "{pod_name} has phase {phase}; it is replaced once the old pod is gone"
            ));
            if monotonic {
                return;
            }
            continue;
        }
        if phase == "Pending" {
            create_missing_claims(cluster, set, ordinal);
        }
        if monotonic && is_terminating(pod) {
            pass.note(format!(
                "waiting for {pod_name} to finish terminating (OrderedReady)"
            ));
            return;
        }
        if monotonic && !is_running_and_ready(pod) {
            let next = next_blocked(&replicas, index, start, &name, &condemned);
            pass.note(match next {
                Some(what) => format!("{what}: {pod_name} is not Running and Ready (OrderedReady)"),
                None => format!("waiting for {pod_name} to be Running and Ready"),
            });
            return;
        }
        if monotonic && !is_available(pod, min_ready, now) {
            pass.note(format!(
                "waiting for {pod_name} to be Ready for minReadySeconds={min_ready}"
            ));
            return;
        }
        repair_identity(cluster, set, pod, ordinal);
    }

    // Steps 6–7: condemned pods, highest ordinal first.
    for (_, pod) in &condemned {
        let pod_name = pod.metadata.name.clone().unwrap_or_default();
        if is_terminating(pod) {
            if monotonic {
                pass.note(format!("scaling down: waiting for {pod_name} to terminate"));
                return;
            }
            continue;
        }
        if monotonic && !healthy(pod) && first_unhealthy.as_deref() != Some(pod_name.as_str()) {
            pass.note(format!(
                "scaling down: {pod_name} waits for unhealthy pods to recover"
            ));
            return;
        }
        update_claim_owners(cluster, set, pod, true);
        delete_pod(cluster, set, pod);
        if monotonic {
            pass.note(format!(
                "scaling down: deleted {pod_name} (highest ordinal first)"
            ));
            return;
        }
    }

    // Step 8: the update strategy.
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    if strategy.type_.as_deref() == Some("OnDelete") {
        let outdated = outdated_pods(&replicas, update);
        if let Some(first) = outdated.first() {
            pass.note(format!(
                "OnDelete: {first} runs an old revision; delete it to update it"
            ));
        }
        return;
    }
    let partition = strategy
        .rolling_update
        .as_ref()
        .and_then(|r| r.partition)
        .unwrap_or(0);
    let update_name = update.metadata.name.as_deref().unwrap_or("");
    for target in (0..replicas.len()).rev() {
        if (target as i32) < partition {
            break;
        }
        let Some(pod) = &replicas[target] else {
            continue;
        };
        let pod_name = pod.metadata.name.clone().unwrap_or_default();
        if pods::revision(pod) != update_name && !is_terminating(pod) {
            delete_pod(cluster, set, pod);
            status.current_replicas = Some(status.current_replicas.unwrap_or(0) - 1);
            pass.note(format!(
                "rolling update: deleted {pod_name} to recreate it at revision {update_name}"
            ));
            return;
        }
        if !healthy(pod) {
            pass.note(format!(
                "rolling update: waiting for {pod_name} to be Running and Ready"
            ));
            return;
        }
    }
    if partition > 0 {
        if let Some(below) = outdated_pods(
            &replicas[..(partition as usize).min(replicas.len())],
            update,
        )
        .last()
        {
            pass.note(format!("{below} not updated: below partition {partition}"));
        }
    }
}

/// What waits behind a blocked pod: the next missing ordinal or a scale-down.
fn next_blocked(
    replicas: &[Option<Pod>],
    index: usize,
    start: i32,
    name: &str,
    condemned: &[(i32, Pod)],
) -> Option<String> {
    if let Some(missing) = replicas[index + 1..].iter().position(Option::is_none) {
        let ordinal = start + (index + 1 + missing) as i32;
        return Some(format!("{name}-{ordinal} not created yet"));
    }
    condemned
        .first()
        .map(|(ordinal, _)| format!("{name}-{ordinal} not deleted yet"))
}

fn outdated_pods(replicas: &[Option<Pod>], update: &ControllerRevision) -> Vec<String> {
    let update_name = update.metadata.name.as_deref().unwrap_or("");
    replicas
        .iter()
        .flatten()
        .filter(|p| pods::revision(p) != update_name)
        .filter_map(|p| p.metadata.name.clone())
        .collect()
}

/// §1.5: which revision a missing ordinal is created from.
fn revision_for_new_pod<'a>(
    spec: &k8s_openapi::api::apps::v1::StatefulSetSpec,
    status: &StatefulSetStatus,
    ordinal: i32,
    start: i32,
    current: &'a ControllerRevision,
    update: &'a ControllerRevision,
) -> &'a ControllerRevision {
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    let rolling = strategy.type_.as_deref() == Some("RollingUpdate");
    let current_replicas = status.current_replicas.unwrap_or(0);
    match &strategy.rolling_update {
        None if rolling && ordinal < start + current_replicas => current,
        Some(r) if ordinal < start + r.partition.unwrap_or(0) => current,
        _ => update,
    }
}

fn create_pod(
    cluster: &mut Cluster,
    set: &StatefulSet,
    revision: &ControllerRevision,
    ordinal: i32,
) -> bool {
    if claim_is_stale(cluster, set, ordinal) {
        return true;
    }
    if !create_missing_claims(cluster, set, ordinal) {
        return false;
    }
    let pod = stateful_pods::new_pod(set, revision, ordinal);
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let set_object = Object::StatefulSet(set.clone());
    match cluster.create(Object::Pod(pod)) {
        Ok(_) => {
            let message = format!(
                "create Pod {pod_name} in StatefulSet {} successful",
                set_name(set)
            );
            record(
                cluster,
                &set_object,
                EventKind::Normal,
                "SuccessfulCreate",
                message,
                Source::STATEFULSET,
            );
            true
        }
        Err(err) => {
            let message = format!(
                "create Pod {pod_name} in StatefulSet {} failed error: {err}",
                set_name(set),
            );
            record(
                cluster,
                &set_object,
                EventKind::Warning,
                "FailedCreate",
                message,
                Source::STATEFULSET,
            );
            false
        }
    }
}

/// With whenScaled=Delete, a claim still owned by an old pod must be
/// garbage collected before a new pod may use that name.
fn claim_is_stale(cluster: &Cluster, set: &StatefulSet, ordinal: i32) -> bool {
    let namespace = set.metadata.namespace.as_deref().unwrap_or("");
    claim_templates(set).iter().any(|template| {
        let name = stateful_pods::claim_name(template, set, ordinal);
        cluster
            .store
            .get_typed::<PersistentVolumeClaim>(namespace, &name)
            .and_then(|c| c.metadata.owner_references.as_ref())
            .is_some_and(|refs| refs.iter().any(|r| r.kind == "Pod"))
    })
}

/// Creates the claims this ordinal needs and does not have yet.
fn create_missing_claims(cluster: &mut Cluster, set: &StatefulSet, ordinal: i32) -> bool {
    let namespace = set.metadata.namespace.clone().unwrap_or_default();
    let set_object = Object::StatefulSet(set.clone());
    let pod_name = stateful_pods::pod_name(set, ordinal);
    for template in claim_templates(set) {
        let mut claim = stateful_pods::new_claim(set, template, ordinal);
        let claim_name = claim.metadata.name.clone().unwrap_or_default();
        if cluster
            .store
            .get_typed::<PersistentVolumeClaim>(&namespace, &claim_name)
            .is_some()
        {
            continue;
        }
        if retention(set).0 == "Delete" {
            claim.metadata.owner_references = Some(vec![controller_ref(set)]);
        }
        match cluster.create(Object::PersistentVolumeClaim(claim)) {
            Ok(_) => {
                let message = format!(
                    "create Claim {claim_name} Pod {pod_name} in StatefulSet {} success",
                    set_name(set)
                );
                record(
                    cluster,
                    &set_object,
                    EventKind::Normal,
                    "SuccessfulCreate",
                    message,
                    Source::STATEFULSET,
                );
            }
            Err(err) => {
                let message = format!(
                    "create Claim {claim_name} for Pod {pod_name} in StatefulSet {} failed error: {}",
                    set_name(set),
                    err.message
                );
                record(
                    cluster,
                    &set_object,
                    EventKind::Warning,
                    "FailedCreate",
                    message,
                    Source::STATEFULSET,
                );
                return false;
            }
        }
    }
    true
}

/// (whenDeleted, whenScaled)
fn retention(set: &StatefulSet) -> (String, String) {
    let policy = set
        .spec
        .as_ref()
        .and_then(|s| s.persistent_volume_claim_retention_policy.clone())
        .unwrap_or_default();
    (
        policy.when_deleted.unwrap_or_else(|| "Retain".to_string()),
        policy.when_scaled.unwrap_or_else(|| "Retain".to_string()),
    )
}

/// Points a condemned pod's claims at the pod (whenScaled=Delete), so the
/// garbage collector removes them after the pod; §1.8.
fn update_claim_owners(cluster: &mut Cluster, set: &StatefulSet, pod: &Pod, condemned: bool) {
    let (_, when_scaled) = retention(set);
    if !condemned || when_scaled != "Delete" {
        return;
    }
    let namespace = set.metadata.namespace.clone().unwrap_or_default();
    let ordinal =
        pods::ordinal(pod.metadata.name.as_deref().unwrap_or(""), set_name(set)).unwrap_or(0);
    for template in claim_templates(set) {
        let name = stateful_pods::claim_name(template, set, ordinal);
        let Some(claim) = cluster
            .store
            .get_typed::<PersistentVolumeClaim>(&namespace, &name)
            .cloned()
        else {
            continue;
        };
        let mut claim = claim;
        let owner = k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
            api_version: "v1".to_string(),
            kind: "Pod".to_string(),
            name: pod.metadata.name.clone().unwrap_or_default(),
            uid: pod.metadata.uid.clone().unwrap_or_default(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        };
        claim.metadata.owner_references = Some(vec![owner]);
        cluster.write(Object::PersistentVolumeClaim(claim));
    }
}

/// Puts back identity labels a user removed (`SuccessfulUpdate`).
fn repair_identity(cluster: &mut Cluster, set: &StatefulSet, pod: &Pod, ordinal: i32) {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let wanted = [
        (stateful_pods::POD_NAME_LABEL, name.clone()),
        (stateful_pods::POD_INDEX_LABEL, ordinal.to_string()),
    ];
    let labels = pod.metadata.labels.clone().unwrap_or_default();
    if wanted.iter().all(|(k, v)| labels.get(*k) == Some(v)) {
        return;
    }
    let mut repaired = pod.clone();
    let labels = repaired
        .metadata
        .labels
        .get_or_insert_with(Default::default);
    for (k, v) in wanted {
        labels.insert(k.to_string(), v);
    }
    if cluster.write(Object::Pod(repaired)).is_some() {
        let message = format!(
            "update Pod {name} in StatefulSet {} successful",
            set_name(set)
        );
        record(
            cluster,
            &Object::StatefulSet(set.clone()),
            EventKind::Normal,
            "SuccessfulUpdate",
            message,
            Source::STATEFULSET,
        );
    }
}

fn delete_pod(cluster: &mut Cluster, set: &StatefulSet, pod: &Pod) {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let key = ObjectKey::new(
        Kind::Pod,
        pod.metadata.namespace.as_deref().unwrap_or(""),
        &name,
    );
    let set_object = Object::StatefulSet(set.clone());
    match cluster.delete(&key, &DeleteOptions::default()) {
        Ok(_) => {
            let message = format!(
                "delete Pod {name} in StatefulSet {} successful",
                set_name(set)
            );
            record(
                cluster,
                &set_object,
                EventKind::Normal,
                "SuccessfulDelete",
                message,
                Source::STATEFULSET,
            );
        }
        Err(err) => {
            let message = format!(
                "delete Pod {name} in StatefulSet {} failed error: {}",
                set_name(set),
                err.message
            );
            record(
                cluster,
                &set_object,
                EventKind::Warning,
                "FailedDelete",
                message,
                Source::STATEFULSET,
            );
        }
    }
}

/// Step 9: once every replica is updated and ready, the update revision becomes current.
fn complete_rolling_update(set: &StatefulSet, status: &mut StatefulSetStatus) {
    let spec = set.spec.as_ref();
    let rolling = spec
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|u| u.type_.as_deref())
        == Some("RollingUpdate");
    let wanted = spec.and_then(|s| s.replicas).unwrap_or(1);
    let updated = status.updated_replicas.unwrap_or(0);
    if rolling
        && updated == status.ready_replicas.unwrap_or(0)
        && updated == status.replicas
        && status.replicas == wanted
    {
        status.current_revision = status.update_revision.clone();
        status.current_replicas = Some(updated);
    }
}

fn write_status(cluster: &mut Cluster, set: &StatefulSet, status: StatefulSetStatus) {
    if set.status.as_ref() == Some(&status) {
        return;
    }
    let mut updated = set.clone();
    updated.status = Some(status);
    cluster.write(Object::StatefulSet(updated));
}

fn summary(set: &StatefulSet, pods: &[Pod], update: &ControllerRevision) -> String {
    let wanted = set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let ready = pods.iter().filter(|p| is_running_and_ready(p)).count();
    if set.metadata.deletion_timestamp.is_some() {
        return format!(
            "{} is being deleted; its pods are removed by the garbage collector",
            set_name(set)
        );
    }
    format!(
        "{ready}/{wanted} pods Running and Ready; update revision {}",
        update.metadata.name.as_deref().unwrap_or("")
    )
}
