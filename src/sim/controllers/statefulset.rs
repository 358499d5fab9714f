//! The StatefulSet controller: one reconcile pass, following the upstream
//! algorithm (claim pods, pick revisions, create in order, delete condemned
//! pods from the highest ordinal, roll updates down to the partition, write
//! status). See kubernetes-fidelity.md §1.6.

use std::cell::OnceCell;
use std::ops::Range;

use k8s_openapi::api::apps::v1::{
    ControllerRevision, StatefulSet, StatefulSetSpec, StatefulSetStatus,
};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, PodTemplateSpec};

use super::retention::{self, ClaimHolder};
use super::revisions;
use super::stateful_cache::{self, SetPods};
use super::stateful_facts::PodFacts;
use super::stateful_pods::{self, claim_templates, set_name, POD_INDEX_LABEL, POD_NAME_LABEL};
use super::stateful_status::{complete_rolling_update, compute_status, write_status};
use crate::sim::clock::Millis;
use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::errors::Reason;
use crate::sim::events::{record, EventKind, Source};
use crate::sim::explain::{Next, Reason as Why};
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
    /// Ordinals processed without stopping, and whether their pods were
    /// healthy (see [`SetPods::processed`]).
    processed: Vec<(i32, bool)>,
    /// Ordinals whose pods were seen healthy (see [`SetPods::healthy`]).
    healthy: Vec<i32>,
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
    /// The ordinals the set wants.
    range: Range<i32>,
    min_ready: i32,
    now: Millis,
    monotonic: bool,
    /// False when no claim can need new owner references this pass.
    check_claims: bool,
    current: &'a ControllerRevision,
    update: &'a ControllerRevision,
    /// The revisions' pod templates, decoded when a pod is first created
    /// (decoding costs more than building the pod).
    current_template: OnceCell<PodTemplateSpec>,
    update_template: OnceCell<PodTemplateSpec>,
}

impl Ctx<'_> {
    fn update_name(&self) -> &str {
        self.update.metadata.name.as_deref().unwrap_or("")
    }

    /// RollingUpdate's partition (0 when unset or negative); None under
    /// OnDelete, which replaces nothing itself.
    fn rolling_partition(&self) -> Option<i32> {
        let strategy = self.spec.update_strategy.as_ref();
        if strategy.and_then(|s| s.type_.as_deref()) == Some("OnDelete") {
            return None;
        }
        let partition = strategy
            .and_then(|s| s.rolling_update.as_ref())
            .and_then(|r| r.partition);
        Some(partition.unwrap_or(0).max(0))
    }

    /// Whether the pod is outdated where the rolling update would update it
    /// (RollingUpdate, at or above the partition), once the pods before it
    /// let the update run.
    fn rollout_would_replace(&self, pod: &PodFacts<'_>) -> bool {
        self.rolling_partition()
            .is_some_and(|partition| pod.ordinal >= self.range.start.saturating_add(partition))
            && !pod.terminating
            && pod.revision != self.update_name()
    }

    /// The pod template `revision` (the current or the update one) recorded.
    fn template(&self, revision: &ControllerRevision) -> &PodTemplateSpec {
        let cell = if std::ptr::eq(revision, self.update) {
            &self.update_template
        } else {
            &self.current_template
        };
        cell.get_or_init(|| stateful_pods::revision_template(revision))
    }

    fn in_range(&self, ordinal: i32) -> bool {
        self.range.contains(&ordinal)
    }

    fn holder<'p>(&self, pod: &'p Pod, ordinal: i32) -> ClaimHolder<'p> {
        ClaimHolder {
            name: pod.metadata.name.as_deref().unwrap_or(""),
            uid: pod.metadata.uid.as_deref().unwrap_or(""),
            ordinal,
            in_range: self.in_range(ordinal),
        }
    }

    fn facts<'p>(&self, pod: &'p Pod) -> Option<PodFacts<'p>> {
        PodFacts::of(pod, self.name, self.min_ready, self.now)
    }

    /// The pod holding `ordinal`'s slot.
    fn replica<'p>(&self, pods: &'p SetPods, ordinal: i32) -> Option<PodFacts<'p>> {
        pods.at(ordinal).and_then(|p| self.facts(p))
    }
}

pub fn sync(cluster: &mut Cluster, namespace: &str, name: &str) {
    let subject = format!("statefulset/{name}");
    let key = ObjectKey::new(Kind::StatefulSet, namespace, name);
    let Some(object) = cluster.store.get(&key).cloned() else {
        cluster.explanations.clear(&subject);
        stateful_cache::forget(cluster, namespace, name);
        return;
    };
    let Some(set) = object.as_typed::<StatefulSet>() else {
        return;
    };
    let Some(spec) = set.spec.as_ref() else {
        return;
    };
    let mut pods = stateful_cache::refresh(cluster, set);
    let Some(revisions) = revisions::sync(cluster, set, pods.revision_data(set)) else {
        stateful_cache::keep(cluster, set, pods);
        return;
    };
    let collision_count = revisions.collision_count;
    let (Some(current), Some(update)) = (
        revisions.current.as_typed::<ControllerRevision>(),
        revisions.update.as_typed::<ControllerRevision>(),
    ) else {
        stateful_cache::keep(cluster, set, pods);
        return;
    };
    let now = cluster.now();
    let ctx = Ctx {
        set,
        object: &object,
        spec,
        name: set_name(set),
        range: stateful_cache::in_range(set),
        min_ready: spec.min_ready_seconds.unwrap_or(0),
        now,
        monotonic: spec.pod_management_policy.as_deref() != Some("Parallel"),
        check_claims: retention::claims_may_be_outdated(cluster, set),
        current,
        update,
        current_template: OnceCell::new(),
        update_template: OnceCell::new(),
    };
    let counts = pods.counts(
        ctx.min_ready,
        now,
        current.metadata.name.as_deref().unwrap_or(""),
        update.metadata.name.as_deref().unwrap_or(""),
    );
    let mut status = compute_status(set, &counts, current, update, collision_count);
    let mut pass = Pass::default();
    if set.metadata.deletion_timestamp.is_some() {
        pass.note(Why::Deleting {
            set: name.to_string(),
        });
    } else {
        reconcile(cluster, &ctx, &pods, &mut status, &mut pass);
    }
    for (ordinal, healthy) in pass.processed.drain(..) {
        pods.processed(ordinal, healthy);
    }
    for ordinal in pass.healthy.drain(..) {
        pods.healthy(ordinal);
    }
    complete_rolling_update(set, &mut status);
    let available = status.available_replicas.unwrap_or(0);
    write_status(cluster, set, status);
    revisions::truncate_history(cluster, set, pods.revisions(), current, update);

    let task = Task::SyncStatefulSet(namespace.to_string(), name.to_string());
    cluster.occupy(task.clone(), pods.owned());
    if pass.failed {
        cluster.retry_later(task);
    } else {
        cluster.forget_retries(&task);
    }
    let note = pass.note.unwrap_or_else(|| summary(set, &pods, update));
    cluster
        .explanations
        .set(now, "statefulset-controller", subject, note);
    // Upstream requeues after minReadySeconds while not all are available;
    // waking exactly when the next pod becomes available is observably the same.
    if ctx.min_ready > 0 && available != spec.replicas.unwrap_or(1) {
        if let Some(at) = pods.next_available_at(ctx.min_ready, now) {
            cluster.enqueue(
                Task::SyncStatefulSet(namespace.to_string(), name.to_string()),
                at - now,
            );
        }
    }
    stateful_cache::keep(cluster, set, pods);
}

/// Steps 2–8 of a pass: replicas, condemned pods, then the update strategy.
/// Replicas that need no look (see `stateful_cache`) are skipped: a full
/// pass would do nothing there either.
fn reconcile(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    pods: &SetPods,
    status: &mut StatefulSetStatus,
    pass: &mut Pass,
) {
    let condemned: Vec<PodFacts<'_>> = pods
        .condemned(ctx.range.clone())
        .into_iter()
        .filter_map(|(_, pod)| ctx.facts(pod))
        .collect();

    // Step 5: replicas in ascending ordinal order. OrderedReady stops at
    // the first unhealthy one; Parallel only has changes to process.
    let start = ctx.range.start;
    let candidates: Box<dyn Iterator<Item = i32>> = if ctx.monotonic {
        Box::new(pods.unhealthy_in(ctx.range.clone()))
    } else {
        Box::new(pods.dirty_in(ctx.range.clone()))
    };
    let positions = candidates
        .filter_map(|ordinal| usize::try_from(i64::from(ordinal) - i64::from(start)).ok());
    let process = |cluster: &mut Cluster, index: usize, pass: &mut Pass| {
        let ordinal = start.saturating_add(i32::try_from(index).unwrap_or(i32::MAX));
        let slot = ctx.replica(pods, ordinal);
        let flow = process_replica(cluster, ctx, status, slot, ordinal, pods, &condemned, pass);
        if let (Flow::Continue, Some(pod)) = (flow, slot) {
            pass.processed.push((ordinal, !pod.unavailable()));
        }
        flow
    };
    if !run_for_all(cluster, positions, ctx.monotonic, pass, process) {
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
    if condemned.is_empty() {
        return rolling_update_or_on_delete(cluster, ctx, pods, status, pass);
    }
    let first_unavailable = first_unavailable(ctx, pods, &condemned, pass);
    let process = |cluster: &mut Cluster, index: usize, pass: &mut Pass| match condemned.get(index)
    {
        Some(pod) => process_condemned(cluster, ctx, pod, first_unavailable.as_deref(), pass),
        None => Flow::Continue,
    };
    if !run_for_all(cluster, 0..condemned.len(), ctx.monotonic, pass, process) {
        return;
    }
    rolling_update_or_on_delete(cluster, ctx, pods, status, pass);
}

/// The first replica that is missing or unavailable, else the lowest
/// unavailable condemned pod: a scale-down may always delete that one.
fn first_unavailable(
    ctx: &Ctx<'_>,
    pods: &SetPods,
    condemned: &[PodFacts<'_>],
    pass: &mut Pass,
) -> Option<String> {
    pods.unhealthy_in(ctx.range.clone())
        .find_map(|ordinal| match ctx.replica(pods, ordinal) {
            Some(p) if !p.unavailable() => {
                pass.healthy.push(ordinal);
                None
            }
            Some(p) => Some(p.name.to_string()),
            None => Some(format!("{}-{ordinal}", ctx.name)),
        })
        .or_else(|| {
            condemned
                .iter()
                .rev()
                .find(|p| p.unavailable())
                .map(|p| p.name.to_string())
        })
}

/// Step 8: the update strategy.
fn rolling_update_or_on_delete(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    pods: &SetPods,
    status: &mut StatefulSetStatus,
    pass: &mut Pass,
) {
    let Some(partition) = ctx.rolling_partition() else {
        if let Some(first) = pods
            .first_outdated(ctx.update_name(), ctx.range.clone())
            .and_then(|ordinal| pods.at(ordinal))
        {
            pass.note(Why::OnDeleteOutdated {
                pod: first.metadata.name.clone().unwrap_or_default(),
            });
        }
        return;
    };
    rolling_update(cluster, ctx, pods, partition, status, pass);
}

/// runForAll over the positions (0 = the first ordinal or condemned pod)
/// that need a look, lowest first: OrderedReady goes one by one and stops
/// at the first blocked pod; Parallel runs slow-start batches (positions
/// 0, 1–2, 3–6, … up to 500 at a time) and stops only after a batch with a
/// failed call. Positions left out would do nothing, so batches keep their
/// bounds. Returns whether to go on.
fn run_for_all(
    cluster: &mut Cluster,
    positions: impl Iterator<Item = usize>,
    monotonic: bool,
    pass: &mut Pass,
    mut process: impl FnMut(&mut Cluster, usize, &mut Pass) -> Flow,
) -> bool {
    let mut run = |cluster: &mut Cluster, i: usize, pass: &mut Pass| {
        let flow = process(cluster, i, pass);
        pass.failed |= flow == Flow::Failed;
        flow
    };
    let mut batch = 1;
    let mut batch_end = 1;
    for i in positions {
        if monotonic {
            if run(cluster, i, pass) != Flow::Continue {
                return false;
            }
            continue;
        }
        while i >= batch_end {
            if pass.failed {
                return false;
            }
            batch = (batch * 2).min(MAX_BATCH);
            batch_end += batch;
        }
        run(cluster, i, pass);
    }
    !pass.failed
}

#[allow(clippy::too_many_arguments)]
fn process_replica(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    status: &StatefulSetStatus,
    slot: Option<PodFacts<'_>>,
    ordinal: i32,
    pods: &SetPods,
    condemned: &[PodFacts<'_>],
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
        let pod_name = pod_name.to_string();
        pass.note(if ctx.rollout_would_replace(&pod) {
            Why::OutdatedNotReady { pod: pod_name }
        } else {
            match next_blocked(pods, ordinal, ctx, condemned) {
                Some(next) => Why::Blocked {
                    next,
                    pod: pod_name,
                },
                None => Why::AwaitReady { pod: pod_name },
            }
        });
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
/// Going down from the top, only unhealthy or outdated ordinals can stop it.
fn rolling_update(
    cluster: &mut Cluster,
    ctx: &Ctx<'_>,
    pods: &SetPods,
    update_min: i32,
    status: &mut StatefulSetStatus,
    pass: &mut Pass,
) {
    let update_name = ctx.update_name();
    let lowest = ctx.range.start.saturating_add(update_min);
    let mut below = ctx.range.end;
    while let Some(ordinal) = pods.next_down(update_name, lowest..below) {
        below = ordinal;
        let Some(pod) = ctx.replica(pods, ordinal) else {
            pass.note(Why::RolloutAwaitCreation {
                pod: format!("{}-{ordinal}", ctx.name),
            });
            return;
        };
        if pod.revision != update_name && !pod.terminating {
            delete_pod(cluster, ctx, pod.pod);
            status.current_replicas = Some(status.current_replicas.unwrap_or(0) - 1);
            pass.note(Why::RolloutDeleted {
                pod: pod.name.to_string(),
                revision: update_name.to_string(),
            });
            return;
        }
        if pod.unavailable() {
            pass.note(Why::RolloutAwaitReady {
                pod: pod.name.to_string(),
            });
            return;
        }
        pass.healthy.push(ordinal);
    }
    if update_min > 0 {
        let partitioned = ctx.range.start..lowest.min(ctx.range.end);
        if let Some(pod) = pods
            .last_outdated(update_name, partitioned)
            .and_then(|ordinal| pods.at(ordinal))
        {
            pass.note(Why::BelowPartition {
                pod: pod.metadata.name.clone().unwrap_or_default(),
                partition: usize::try_from(update_min).unwrap_or(0),
            });
        }
    }
}

/// What waits behind a blocked pod: the next missing ordinal (missing
/// ordinals are unhealthy) or a scale-down.
fn next_blocked(
    pods: &SetPods,
    ordinal: i32,
    ctx: &Ctx<'_>,
    condemned: &[PodFacts<'_>],
) -> Option<Next> {
    let after = ordinal.checked_add(1)?..ctx.range.end;
    if let Some(missing) = pods.unhealthy_in(after).find(|o| pods.at(*o).is_none()) {
        return Some(Next::NotCreated(format!("{}-{missing}", ctx.name)));
    }
    condemned
        .first()
        .map(|p| Next::NotDeleted(format!("{}-{}", ctx.name, p.ordinal)))
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
        None if rolling && ordinal < ctx.range.start.saturating_add(current_replicas) => {
            ctx.current
        }
        Some(r) if ordinal < ctx.range.start.saturating_add(r.partition.unwrap_or(0)) => {
            ctx.current
        }
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
    let pod = stateful_pods::new_pod(ctx.set, revision, ctx.template(revision), ordinal);
    match cluster.create(Object::Pod(Box::new(pod))) {
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
    let namespace = set.metadata.namespace.as_deref().unwrap_or_default();
    let mut errors = Vec::new();
    for template in claim_templates(set) {
        let claim_name = stateful_pods::claim_name(template, set, holder.ordinal);
        match cluster
            .store
            .get_typed::<PersistentVolumeClaim>(namespace, &claim_name)
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
        match cluster.create(Object::PersistentVolumeClaim(Box::new(claim))) {
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
    if cluster.write(Object::Pod(Box::new(repaired))).is_some() {
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

fn summary(set: &StatefulSet, pods: &SetPods, update: &ControllerRevision) -> Why {
    Why::Summary {
        ready: usize::try_from(pods.ready()).unwrap_or(0),
        wanted: set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
        revision: update.metadata.name.clone().unwrap_or_default(),
    }
}
