//! The StatefulSet controller: one reconcile pass, following the upstream
//! algorithm (claim pods, pick revisions, create in order, delete condemned
//! pods from the highest ordinal, roll updates down to the partition, write
//! status). See kubernetes-fidelity.md §1.6.

use std::rc::Rc;

use k8s_openapi::api::apps::v1::{
    ControllerRevision, StatefulSet, StatefulSetSpec, StatefulSetStatus,
};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use super::retention::{self, ClaimHolder};
use super::revisions::{self, Revisions};
use super::stateful_facts::PodFacts;
use super::stateful_pods::{
    self, claim_templates, controller_ref, set_name, POD_INDEX_LABEL, POD_NAME_LABEL,
};
use super::stateful_status::{
    complete_rolling_update, compute_status, next_available_at, write_status,
};
use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::errors::Reason;
use crate::sim::events::{record, EventKind, Source};
use crate::sim::explain::{Next, Reason as Why};
use crate::sim::labels::selector_matches;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;

/// Upstream's cap on one slow-start batch.
const MAX_BATCH: usize = 500;

/// What stopped (or finished) a pass, for the explain panel.
#[derive(Default)]
struct Pass {
    note: Option<Why>,
    /// An API call failed: retry with back-off, as a work queue does.
    failed: bool,
}

impl Pass {
    fn note(&mut self, reason: Why) {
        if self.note.is_none() {
            self.note = Some(reason);
        }
    }
}

/// How processing one pod ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    /// Wait for a later pass (OrderedReady stops here; Parallel goes on).
    Stop,
    /// An API call failed (Parallel stops after the current batch).
    Failed,
}

/// The set being reconciled and the facts every step needs.
struct Ctx<'a> {
    set: &'a StatefulSet,
    /// The same set as a stored object, for events about it.
    object: &'a Object,
    spec: &'a StatefulSetSpec,
    name: &'a str,
    start: i32,
    min_ready: i32,
    monotonic: bool,
    /// False when no claim can need new owner references this pass.
    check_claims: bool,
    current: &'a ControllerRevision,
    update: &'a ControllerRevision,
}

impl Ctx<'_> {
    fn in_range(&self, ordinal: i32) -> bool {
        let count = self.spec.replicas.unwrap_or(1).max(0);
        ordinal >= self.start && ordinal < self.start + count
    }

    fn holder<'p>(&self, pod: &'p Pod, ordinal: i32) -> ClaimHolder<'p> {
        ClaimHolder {
            name: pod.metadata.name.as_deref().unwrap_or(""),
            uid: pod.metadata.uid.as_deref().unwrap_or(""),
            ordinal,
            in_range: self.in_range(ordinal),
        }
    }
}

pub fn sync(cluster: &mut Cluster, namespace: &str, name: &str) {
    let subject = format!("statefulset/{name}");
    let key = ObjectKey::new(Kind::StatefulSet, namespace, name);
    let Some(object) = cluster.store.get(&key).cloned() else {
        cluster.explanations.clear(&subject);
        return;
    };
    let Some(set) = object.as_typed::<StatefulSet>() else {
        return;
    };
    let Some(spec) = set.spec.as_ref() else {
        return;
    };
    let objects = claim_pods(cluster, set);
    let Some(Revisions {
        current,
        update,
        collision_count,
    }) = revisions::sync(cluster, set)
    else {
        return;
    };
    let now = cluster.now();
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    // claim_pods keeps only pods whose names carry one of the set's ordinals.
    let pods: Vec<PodFacts<'_>> = objects
        .iter()
        .filter_map(|o| o.as_typed::<Pod>())
        .filter_map(|p| PodFacts::of(p, set_name(set), min_ready, now))
        .collect();
    let ctx = Ctx {
        set,
        object: &object,
        spec,
        name: set_name(set),
        start: spec.ordinals.as_ref().and_then(|o| o.start).unwrap_or(0),
        min_ready,
        monotonic: spec.pod_management_policy.as_deref() != Some("Parallel"),
        check_claims: retention::claims_may_be_outdated(cluster, set),
        current: &current,
        update: &update,
    };
    let mut pass = Pass::default();
    let mut status = if set.metadata.deletion_timestamp.is_some() {
        pass.note(Why::Deleting {
            set: name.to_string(),
        });
        compute_status(set, &pods, &current, &update, collision_count)
    } else {
        let mut status = compute_status(set, &pods, &current, &update, collision_count);
        reconcile(cluster, &ctx, &pods, &mut status, &mut pass);
        status
    };
    complete_rolling_update(set, &mut status);
    let available = status.available_replicas.unwrap_or(0);
    write_status(cluster, set, status);
    let live = pods.iter().map(|p| p.revision);
    revisions::truncate_history(cluster, set, live, &current, &update);

    let task = Task::SyncStatefulSet(namespace.to_string(), name.to_string());
    cluster.occupy(task.clone(), pods.len());
    if pass.failed {
        cluster.retry_later(task);
    } else {
        cluster.forget_retries(&task);
    }
    let note = pass.note.unwrap_or_else(|| summary(set, &pods, &update));
    cluster
        .explanations
        .set(now, "statefulset-controller", subject, note);
    // Upstream requeues after minReadySeconds while not all are available;
    // waking exactly when the next pod becomes available is observably the same.
    if ctx.min_ready > 0 && available != spec.replicas.unwrap_or(1) {
        if let Some(at) = next_available_at(&pods, ctx.min_ready, now) {
            cluster.enqueue(
                Task::SyncStatefulSet(namespace.to_string(), name.to_string()),
                at - now,
            );
        }
    }
}

fn ordinal_of(pod: &Pod, set: &str) -> Option<i32> {
    pods::ordinal(pod.metadata.name.as_deref().unwrap_or(""), set)
}

/// ClaimPods: the pods this set owns, adopting orphans whose name and labels
/// fit it and releasing owned pods that no longer match its selector.
fn claim_pods(cluster: &mut Cluster, set: &StatefulSet) -> Vec<Rc<Object>> {
    let namespace = set.metadata.namespace.clone().unwrap_or_default();
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let selector = set
        .spec
        .as_ref()
        .map(|s| s.selector.clone())
        .unwrap_or_default();
    let deleting = set.metadata.deletion_timestamp.is_some();
    let mut owned = Vec::new();
    let mut adopt = Vec::new();
    let mut release = Vec::new();
    for object in cluster.store.list_in(Kind::Pod, &namespace) {
        let Some(pod) = object.as_typed::<Pod>() else {
            continue;
        };
        let fits = ordinal_of(pod, set_name(set)).is_some()
            && selector_matches(&selector, pod.metadata.labels.as_ref());
        match object.controller_uid() {
            Some(owner) if owner == uid && fits => owned.push(object.clone()),
            Some(owner) if owner == uid && !deleting => release.push(pod.clone()),
            None if fits && !deleting && !pods::is_terminating(pod) => adopt.push(pod.clone()),
            _ => {}
        }
    }
    for mut pod in release {
        if let Some(refs) = pod.metadata.owner_references.as_mut() {
            refs.retain(|r| r.uid != uid);
        }
        cluster.write(Object::Pod(pod));
    }
    for mut pod in adopt {
        pod.metadata
            .owner_references
            .get_or_insert_with(Vec::new)
            .push(controller_ref(set));
        if let Some(adopted) = cluster.write(Object::Pod(pod)) {
            owned.push(adopted);
        }
    }
    owned.sort_by(|a, b| a.name().cmp(b.name()));
    owned
}

/// Steps 2–8 of a pass: replicas, condemned pods, then the update strategy.
fn reconcile(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    pods: &[PodFacts<'_>],
    status: &mut StatefulSetStatus,
    pass: &mut Pass,
) {
    let count = ctx.spec.replicas.unwrap_or(1).max(0);
    let mut replicas: Vec<Option<&PodFacts<'_>>> = vec![None; usize::try_from(count).unwrap_or(0)];
    let mut condemned: Vec<&PodFacts<'_>> = Vec::new();
    for pod in pods {
        match usize::try_from(pod.ordinal - ctx.start)
            .ok()
            .and_then(|i| replicas.get_mut(i))
        {
            Some(slot) if ctx.in_range(pod.ordinal) => *slot = Some(pod),
            _ => condemned.push(pod),
        }
    }
    condemned.sort_by_key(|c| std::cmp::Reverse(c.ordinal));

    let first_unavailable: Option<String> = replicas
        .iter()
        .enumerate()
        .find_map(|(i, slot)| match slot {
            Some(p) if !p.unavailable() => None,
            Some(p) => Some(p.name.to_string()),
            None => Some(format!("{}-{}", ctx.name, ctx.start + i as i32)),
        })
        .or_else(|| {
            condemned
                .iter()
                .rev()
                .find(|p| p.unavailable())
                .map(|p| p.name.to_string())
        });

    // Step 5: replicas in ascending ordinal order.
    let process = |cluster: &mut Cluster, index: usize, pass: &mut Pass| {
        let ordinal = ctx.start + index as i32;
        let slot = replicas.get(index).copied().flatten();
        process_replica(
            cluster, ctx, status, slot, ordinal, &replicas, &condemned, pass,
        )
    };
    if !run_for_all(cluster, replicas.len(), ctx.monotonic, pass, process) {
        return;
    }

    // Step 6: claims of condemned pods get the owner the policy wants.
    for pod in &condemned {
        let holder = ctx.holder(pod.pod, pod.ordinal);
        if ctx.check_claims && !retention::claims_match(cluster, ctx.set, &holder) {
            retention::update_claims(cluster, ctx.set, &holder);
        }
    }

    // Step 7: condemned pods, highest ordinal first.
    let process = |cluster: &mut Cluster, index: usize, pass: &mut Pass| match condemned.get(index)
    {
        Some(pod) => process_condemned(cluster, ctx, pod, first_unavailable.as_deref(), pass),
        None => Flow::Continue,
    };
    if !run_for_all(cluster, condemned.len(), ctx.monotonic, pass, process) {
        return;
    }

    // Step 8: the update strategy.
    let strategy = ctx.spec.update_strategy.clone().unwrap_or_default();
    if strategy.type_.as_deref() == Some("OnDelete") {
        if let Some(first) = outdated_pods(&replicas, ctx.update).next() {
            pass.note(Why::OnDeleteOutdated {
                pod: first.to_string(),
            });
        }
        return;
    }
    rolling_update(
        cluster,
        ctx,
        &replicas,
        strategy.rolling_update.as_ref().and_then(|r| r.partition),
        status,
        pass,
    );
}

/// runForAll: OrderedReady goes one by one and stops at the first blocked
/// pod; Parallel runs slow-start batches (1, 2, 4, … up to 500) and stops
/// only after a batch with a failed call. Returns whether to go on.
fn run_for_all(
    cluster: &mut Cluster,
    len: usize,
    monotonic: bool,
    pass: &mut Pass,
    mut process: impl FnMut(&mut Cluster, usize, &mut Pass) -> Flow,
) -> bool {
    let mut run = |cluster: &mut Cluster, i: usize, pass: &mut Pass| {
        let flow = process(cluster, i, pass);
        pass.failed |= flow == Flow::Failed;
        flow
    };
    if monotonic {
        return (0..len).all(|i| run(cluster, i, pass) == Flow::Continue);
    }
    let mut next = 0;
    let mut batch = 1;
    while next < len {
        let end = (next + batch).min(len);
        for i in next..end {
            run(cluster, i, pass);
        }
        if pass.failed {
            return false;
        }
        next = end;
        batch = (batch * 2).min(MAX_BATCH);
    }
    true
}

#[allow(clippy::too_many_arguments)]
fn process_replica(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    status: &StatefulSetStatus,
    slot: Option<&PodFacts<'_>>,
    ordinal: i32,
    replicas: &[Option<&PodFacts<'_>>],
    condemned: &[&PodFacts<'_>],
    pass: &mut Pass,
) -> Flow {
    let pod_name = OrdinalName(ctx.name, ordinal);
    let Some(pod) = slot else {
        let new_name = pod_name.to_string();
        let placeholder = ClaimHolder {
            name: &new_name,
            uid: "",
            ordinal,
            in_range: true,
        };
        if retention::claim_is_stale(cluster, ctx.set, &placeholder) {
            pass.note(Why::ClaimStillHeld { pod: new_name });
            return Flow::Stop;
        }
        let revision = revision_for_new_pod(ctx, status, ordinal);
        if let Err(flow) = create_pod(cluster, ctx, revision, ordinal, &placeholder) {
            pass.note(Why::CreateFailed { pod: new_name });
            return flow;
        }
        if ctx.monotonic {
            pass.note(Why::Created { pod: new_name });
            return Flow::Stop;
        }
        return Flow::Continue;
    };
    let phase = pod.phase;
    if phase == "Failed" || phase == "Succeeded" {
        if !pod.terminating {
            delete_pod(cluster, ctx, pod.pod);
        }
        pass.note(Why::Finished {
            pod: pod_name.to_string(),
            phase: phase.to_string(),
        });
        return Flow::Stop;
    }
    let holder = ctx.holder(pod.pod, ordinal);
    if phase == "Pending" && create_missing_claims(cluster, ctx, &holder).is_err() {
        return Flow::Failed;
    }
    if ctx.monotonic && pod.terminating {
        pass.note(Why::AwaitTermination {
            pod: pod_name.to_string(),
        });
        return Flow::Stop;
    }
    if ctx.monotonic && !pod.running_and_ready {
        pass.note(
            match next_blocked(replicas, ordinal - ctx.start, ctx, condemned) {
                Some(next) => Why::Blocked {
                    next,
                    pod: pod_name.to_string(),
                },
                None => Why::AwaitReady {
                    pod: pod_name.to_string(),
                },
            },
        );
        return Flow::Stop;
    }
    if ctx.monotonic && !pod.available {
        pass.note(Why::AwaitMinReady {
            pod: pod_name.to_string(),
            seconds: ctx.min_ready,
        });
        return Flow::Stop;
    }
    update_stateful_pod(cluster, ctx, pod.pod, &holder);
    Flow::Continue
}

/// `<set>-<ordinal>`, formatted only when a note or a new pod needs it.
struct OrdinalName<'a>(&'a str, i32);

impl std::fmt::Display for OrdinalName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.0, self.1)
    }
}

/// processCondemned: one scale-down step for the pod at the top.
fn process_condemned(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    pod: &PodFacts<'_>,
    first_unavailable: Option<&str>,
    pass: &mut Pass,
) -> Flow {
    let pod_name = pod.name;
    if pod.terminating {
        if ctx.monotonic {
            pass.note(Why::ScaleDownAwaitTermination {
                pod: pod_name.to_string(),
            });
            return Flow::Stop;
        }
        return Flow::Continue;
    }
    let first = first_unavailable == Some(pod_name);
    if ctx.monotonic && !first && (!pod.running_and_ready || !pod.available) {
        pass.note(Why::ScaleDownAwaitHealthy {
            pod: pod_name.to_string(),
        });
        return Flow::Stop;
    }
    delete_pod(cluster, ctx, pod.pod);
    pass.note(Why::ScaleDownDeleted {
        pod: pod_name.to_string(),
    });
    Flow::Stop
}

/// RollingUpdate without maxUnavailable (the 1.34 default): delete the
/// highest outdated pod, then wait for its replacement to be available.
fn rolling_update(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    replicas: &[Option<&PodFacts<'_>>],
    partition: Option<i32>,
    status: &mut StatefulSetStatus,
    pass: &mut Pass,
) {
    let update_min = usize::try_from(partition.unwrap_or(0).max(0)).unwrap_or(0);
    let update_name = ctx.update.metadata.name.as_deref().unwrap_or("");
    for target in (update_min..replicas.len()).rev() {
        let Some(Some(pod)) = replicas.get(target) else {
            pass.note(Why::RolloutAwaitCreation {
                pod: format!("{}-{}", ctx.name, ctx.start + target as i32),
            });
            return;
        };
        let pod_name = pod.name;
        if pod.revision != update_name && !pod.terminating {
            delete_pod(cluster, ctx, pod.pod);
            status.current_replicas = Some(status.current_replicas.unwrap_or(0) - 1);
            pass.note(Why::RolloutDeleted {
                pod: pod_name.to_string(),
                revision: update_name.to_string(),
            });
            return;
        }
        if pod.unavailable() {
            pass.note(Why::RolloutAwaitReady {
                pod: pod_name.to_string(),
            });
            return;
        }
    }
    if update_min > 0 {
        let below = replicas
            .get(..update_min.min(replicas.len()))
            .unwrap_or(&[]);
        if let Some(name) = outdated_pods(below, ctx.update).next_back() {
            pass.note(Why::BelowPartition {
                pod: name.to_string(),
                partition: update_min,
            });
        }
    }
}

/// What waits behind a blocked pod: the next missing ordinal or a scale-down.
fn next_blocked(
    replicas: &[Option<&PodFacts<'_>>],
    index: i32,
    ctx: &Ctx<'_>,
    condemned: &[&PodFacts<'_>],
) -> Option<Next> {
    let after = usize::try_from(index + 1).ok()?;
    if let Some(missing) = replicas
        .get(after..)
        .and_then(|rest| rest.iter().position(Option::is_none))
    {
        let ordinal = ctx.start + (after + missing) as i32;
        return Some(Next::NotCreated(format!("{}-{ordinal}", ctx.name)));
    }
    condemned
        .first()
        .map(|p| Next::NotDeleted(format!("{}-{}", ctx.name, p.ordinal)))
}

/// Names of the replicas not on the update revision, lowest ordinal first.
fn outdated_pods<'a>(
    replicas: &'a [Option<&PodFacts<'a>>],
    update: &'a ControllerRevision,
) -> impl DoubleEndedIterator<Item = &'a str> {
    let update_name = update.metadata.name.as_deref().unwrap_or("");
    replicas
        .iter()
        .flatten()
        .filter(move |p| p.revision != update_name)
        .map(|p| p.name)
}

/// §1.5: which revision a missing ordinal is created from.
fn revision_for_new_pod<'a>(
    ctx: &Ctx<'a>,
    status: &StatefulSetStatus,
    ordinal: i32,
) -> &'a ControllerRevision {
    let strategy = ctx.spec.update_strategy.clone().unwrap_or_default();
    let rolling = strategy.type_.as_deref() == Some("RollingUpdate");
    let current_replicas = status.current_replicas.unwrap_or(0);
    match &strategy.rolling_update {
        None if rolling && ordinal < ctx.start + current_replicas => ctx.current,
        Some(r) if ordinal < ctx.start + r.partition.unwrap_or(0) => ctx.current,
        _ => ctx.update,
    }
}

/// CreateStatefulPod: claims first, then the pod, then the claims' owners.
fn create_pod(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    revision: &ControllerRevision,
    ordinal: i32,
    holder: &ClaimHolder<'_>,
) -> Result<(), Flow> {
    let set_object = ctx.object;
    let pod_name = holder.name;
    if let Err(err) = create_claims(cluster, ctx, holder) {
        let message = format!(
            "create Pod {pod_name} in StatefulSet {} failed error: {err}",
            ctx.name
        );
        record(
            cluster,
            set_object,
            EventKind::Warning,
            "FailedCreate",
            message,
            Source::STATEFULSET,
        );
        return Err(Flow::Failed);
    }
    let pod = stateful_pods::new_pod(ctx.set, revision, ordinal);
    match cluster.create(Object::Pod(pod)) {
        Err(err) if err.reason == Reason::AlreadyExists => Err(Flow::Failed),
        Err(err) => {
            let message = format!(
                "create Pod {pod_name} in StatefulSet {} failed error: {}",
                ctx.name, err.message
            );
            record(
                cluster,
                set_object,
                EventKind::Warning,
                "FailedCreate",
                message,
                Source::STATEFULSET,
            );
            Err(Flow::Failed)
        }
        Ok(_) => {
            retention::update_claims(cluster, ctx.set, holder);
            let message = format!(
                "create Pod {pod_name} in StatefulSet {} successful",
                ctx.name
            );
            record(
                cluster,
                set_object,
                EventKind::Normal,
                "SuccessfulCreate",
                message,
                Source::STATEFULSET,
            );
            Ok(())
        }
    }
}

/// createMissingPersistentVolumeClaims, for a Pending pod.
fn create_missing_claims(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    holder: &ClaimHolder<'_>,
) -> Result<(), String> {
    create_claims(cluster, ctx, holder)?;
    retention::update_claims(cluster, ctx.set, holder);
    Ok(())
}

/// createPersistentVolumeClaims: creates the missing claims of one ordinal;
/// a claim that is being deleted is an error.
fn create_claims(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    holder: &ClaimHolder<'_>,
) -> Result<(), String> {
    let set = ctx.set;
    let namespace = set.metadata.namespace.clone().unwrap_or_default();
    let mut errors = Vec::new();
    for template in claim_templates(set) {
        let claim_name = stateful_pods::claim_name(template, set, holder.ordinal);
        match cluster
            .store
            .get_typed::<PersistentVolumeClaim>(&namespace, &claim_name)
        {
            Some(existing) if existing.metadata.deletion_timestamp.is_some() => {
                errors.push(format!("pvc {claim_name} is being deleted"));
                continue;
            }
            Some(_) => continue,
            None => {}
        }
        let claim = stateful_pods::new_claim(set, template, holder.ordinal);
        let pod_name = holder.name;
        match cluster.create(Object::PersistentVolumeClaim(claim)) {
            Ok(_) => {
                let message = format!(
                    "create Claim {claim_name} Pod {pod_name} in StatefulSet {} success",
                    set_name(set)
                );
                record(
                    cluster,
                    ctx.object,
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
                errors.push(format!(
                    "failed to create PVC {claim_name}: {}",
                    err.message
                ));
                if err.reason != Reason::AlreadyExists {
                    record(
                        cluster,
                        ctx.object,
                        EventKind::Warning,
                        "FailedCreate",
                        message,
                        Source::STATEFULSET,
                    );
                }
            }
        }
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.concat()),
        _ => Err(format!("[{}]", errors.join(", "))),
    }
}

/// UpdateStatefulPod: puts back identity labels a user removed and fixes
/// claim owners; either counts as an update (`SuccessfulUpdate`).
fn update_stateful_pod(cluster: &mut Cluster, ctx: &Ctx<'_>, pod: &Pod, holder: &ClaimHolder<'_>) {
    let name = holder.name;
    let identity_ok = pods::label(pod, POD_NAME_LABEL) == Some(name);
    let retention_ok = !ctx.check_claims || retention::claims_match(cluster, ctx.set, holder);
    if identity_ok && retention_ok {
        return;
    }
    let mut repaired = pod.clone();
    if !identity_ok {
        let labels = repaired
            .metadata
            .labels
            .get_or_insert_with(Default::default);
        labels.insert(POD_NAME_LABEL.to_string(), name.to_string());
        labels.insert(POD_INDEX_LABEL.to_string(), holder.ordinal.to_string());
    }
    if !retention_ok {
        retention::update_claims(cluster, ctx.set, holder);
    }
    if cluster.write(Object::Pod(repaired)).is_some() {
        let message = format!("update Pod {name} in StatefulSet {} successful", ctx.name);
        record(
            cluster,
            ctx.object,
            EventKind::Normal,
            "SuccessfulUpdate",
            message,
            Source::STATEFULSET,
        );
    }
}

fn delete_pod(cluster: &mut Cluster, ctx: &Ctx<'_>, pod: &Pod) {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let key = ObjectKey::new(
        Kind::Pod,
        pod.metadata.namespace.as_deref().unwrap_or(""),
        &name,
    );
    match cluster.delete(&key, &DeleteOptions::default()) {
        Ok(_) => {
            let message = format!("delete Pod {name} in StatefulSet {} successful", ctx.name);
            record(
                cluster,
                ctx.object,
                EventKind::Normal,
                "SuccessfulDelete",
                message,
                Source::STATEFULSET,
            );
        }
        Err(err) => {
            let message = format!(
                "delete Pod {name} in StatefulSet {} failed error: {}",
                ctx.name, err.message
            );
            record(
                cluster,
                ctx.object,
                EventKind::Warning,
                "FailedDelete",
                message,
                Source::STATEFULSET,
            );
        }
    }
}

fn summary(set: &StatefulSet, pods: &[PodFacts<'_>], update: &ControllerRevision) -> Why {
    Why::Summary {
        ready: pods.iter().filter(|p| p.running_and_ready).count(),
        wanted: set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
        revision: update.metadata.name.clone().unwrap_or_default(),
    }
}
