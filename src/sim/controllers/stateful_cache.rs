//! The StatefulSet controller's view of one set's pods, kept between passes
//! as an informer keeps its cache: it is brought up to date from the
//! store's change log, so a pass looks only at the ordinals that need it
//! instead of at every pod. Looking at every pod made each of a pod's few
//! status changes cost O(n): O(n²) for a set that starts its pods one by
//! one.
//!
//! Two sets of ordinals say which need a look:
//! - `dirty`: the pod or one of its claims changed since a pass last
//!   processed it without stopping there (or there is no pod). Processing
//!   a pod that is not dirty again would do nothing: whatever the last
//!   time did was a write, and every write marks its ordinal dirty.
//! - `unhealthy`: the pod is missing, unavailable or terminating, as far as
//!   the view knows; it is what OrderedReady waits for and what stops a
//!   rolling update. It holds every dirty ordinal too, and stale entries
//!   (a pod that became available with time) go when a pass sees them.
//!
//! Condemned pods (outside the wanted range) are few and always looked at.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::rc::Rc;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Pod;

use super::revision;
use super::stateful_pods::{claim_templates, controller_ref, set_name};
use crate::sim::clock::{millis_of, Millis, SECOND};
use crate::sim::cluster::Cluster;
use crate::sim::labels::selector_matches;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;

/// (namespace, set name)
pub type SetKey = (String, String);

/// One set's owned pods, with the counts its status needs.
#[derive(Debug, Default)]
pub struct SetPods {
    /// The set this view belongs to: uid, generation and whether it is
    /// being deleted. Any other set (a changed spec) gets a fresh view.
    built_for: (String, i64, bool),
    /// The resourceVersion up to which the change log has been read.
    seen: u64,
    /// Keyed by ordinal, then name: two names can carry one ordinal
    /// (`web-1`, `web-01`), and then the last by name holds the slot.
    pods: BTreeMap<(i32, String), Rc<Object>>,
    dirty: BTreeSet<i32>,
    unhealthy: BTreeSet<i32>,
    /// Pods the kubelet has reported a phase for.
    created: i32,
    running_and_ready: i32,
    /// When each running-and-ready pod turned Ready (how many per time);
    /// minReadySeconds counts from there.
    ready_since: BTreeMap<Millis, i32>,
    /// Running-and-ready pods whose Ready condition has no time: never
    /// available while minReadySeconds is set.
    ready_untimed: i32,
    revisions: BTreeMap<String, RevisionPods>,
    /// The set's revision data, worked out once per spec (serializing the
    /// template on every pass cost more than the rest of a small pass).
    revision_data: Option<serde_json::Value>,
}

/// The pods on one revision (by their `controller-revision-hash`).
#[derive(Debug, Default)]
struct RevisionPods {
    pods: BTreeSet<(i32, String)>,
    /// Created and not terminating: what currentReplicas and
    /// updatedReplicas count.
    counted: i32,
}

/// What a set's status counts, judged at one moment.
pub struct Counts {
    pub replicas: i32,
    pub ready: i32,
    pub available: i32,
    pub current: i32,
    pub updated: i32,
}

/// ClaimPods, incrementally: brings the view of `set` up to date, adopting
/// orphans whose name and labels fit it and releasing owned pods that no
/// longer match, and hands the view to the pass (which gives it back with
/// [`keep`]).
pub fn refresh(cluster: &mut Cluster, set: &StatefulSet) -> SetPods {
    let namespace = set.metadata.namespace.clone().unwrap_or_default();
    let key = (namespace.clone(), set_name(set).to_string());
    let built_for = (
        set.metadata.uid.clone().unwrap_or_default(),
        set.metadata.generation.unwrap_or(0),
        set.metadata.deletion_timestamp.is_some(),
    );
    let kept = cluster
        .stateful_pods
        .remove(&key)
        .filter(|view| view.built_for == built_for);
    let seen = cluster.store.resource_version();
    let (mut view, candidates) = match kept.and_then(|view| {
        let changed = changes(cluster, set, &view)?;
        Some((view, changed))
    }) {
        Some((mut view, (pod_names, claim_ordinals))) => {
            view.touch(claim_ordinals);
            let candidates: Vec<(String, Option<Rc<Object>>)> = pod_names
                .into_iter()
                .map(|name| {
                    let key = ObjectKey::new(Kind::Pod, &namespace, &name);
                    (name, cluster.store.get(&key).cloned())
                })
                .collect();
            (view, candidates)
        }
        None => {
            let mut view = SetPods {
                built_for,
                ..SetPods::default()
            };
            view.touch(in_range(set));
            let candidates = cluster
                .store
                .list_in(Kind::Pod, &namespace)
                .map(|o| (o.name().to_string(), Some(o.clone())))
                .collect();
            (view, candidates)
        }
    };
    view.seen = seen;
    claim(cluster, set, &mut view, candidates);
    view
}

/// Gives the view back after a pass, for the next one.
pub fn keep(cluster: &mut Cluster, set: &StatefulSet, view: SetPods) {
    let namespace = set.metadata.namespace.clone().unwrap_or_default();
    cluster
        .stateful_pods
        .insert((namespace, set_name(set).to_string()), view);
}

/// The set is gone: so is its view.
pub fn forget(cluster: &mut Cluster, namespace: &str, name: &str) {
    cluster
        .stateful_pods
        .remove(&(namespace.to_string(), name.to_string()));
}

/// The ordinals the set wants: `start .. start + replicas`.
pub fn in_range(set: &StatefulSet) -> Range<i32> {
    let spec = set.spec.as_ref();
    let start = spec
        .and_then(|s| s.ordinals.as_ref())
        .and_then(|o| o.start)
        .unwrap_or(0);
    let count = spec.and_then(|s| s.replicas).unwrap_or(1).max(0);
    start..start.saturating_add(count)
}

/// The pods that changed since the view last read the log (by name), and
/// the ordinals whose claims changed; None when the log was compacted past
/// that point and the view must be rebuilt.
fn changes(
    cluster: &Cluster,
    set: &StatefulSet,
    view: &SetPods,
) -> Option<(BTreeSet<String>, BTreeSet<i32>)> {
    let namespace = set.metadata.namespace.as_deref().unwrap_or("");
    let uid = set.metadata.uid.as_deref();
    let name = set_name(set);
    let templates: Vec<String> = claim_templates(set)
        .iter()
        .map(|t| format!("{}-", t.metadata.name.as_deref().unwrap_or("")))
        .collect();
    let mut pod_names = BTreeSet::new();
    let mut claim_ordinals = BTreeSet::new();
    for change in cluster.store.changes_since(view.seen).ok()? {
        let object = &change.object;
        if object.namespace() != namespace {
            continue;
        }
        match object.kind() {
            Kind::Pod
                if pods::ordinal(object.name(), name).is_some()
                    || object.controller_uid() == uid =>
            {
                pod_names.insert(object.name().to_string());
            }
            Kind::PersistentVolumeClaim => claim_ordinals.extend(
                templates
                    .iter()
                    .filter_map(|t| object.name().strip_prefix(t.as_str()))
                    .filter_map(|pod| pods::ordinal(pod, name)),
            ),
            _ => {}
        }
    }
    Some((pod_names, claim_ordinals))
}

/// Re-reads `candidates` (name order; None for a deleted pod) into the
/// view, then releases and adopts as ClaimPods does: releases first, each
/// in name order.
fn claim(
    cluster: &mut Cluster,
    set: &StatefulSet,
    view: &mut SetPods,
    candidates: Vec<(String, Option<Rc<Object>>)>,
) {
    let uid = set.metadata.uid.as_deref().unwrap_or("");
    let name = set_name(set);
    let selector = set.spec.as_ref().map(|s| &s.selector);
    let deleting = set.metadata.deletion_timestamp.is_some();
    let mut adopt = Vec::new();
    let mut release = Vec::new();
    for (pod_name, object) in candidates {
        let ordinal = pods::ordinal(&pod_name, name);
        if let Some(ordinal) = ordinal {
            view.remove(ordinal, &pod_name);
            view.touch([ordinal]);
        }
        let Some(object) = object else { continue };
        let Some(pod) = object.as_typed::<Pod>() else {
            continue;
        };
        let fits = ordinal.is_some()
            && selector.is_some_and(|s| selector_matches(s, pod.metadata.labels.as_ref()));
        match (object.controller_uid(), ordinal) {
            (Some(owner), Some(ordinal)) if owner == uid && fits => {
                view.insert(ordinal, object.clone());
            }
            (Some(owner), _) if owner == uid && !deleting => release.push(pod.clone()),
            (None, Some(ordinal)) if fits && !deleting && !pods::is_terminating(pod) => {
                adopt.push((ordinal, pod.clone()))
            }
            _ => {}
        }
    }
    for mut pod in release {
        if let Some(refs) = pod.metadata.owner_references.as_mut() {
            refs.retain(|r| r.uid != uid);
        }
        cluster.write(Object::Pod(Box::new(pod)));
    }
    for (ordinal, mut pod) in adopt {
        pod.metadata
            .owner_references
            .get_or_insert_with(Vec::new)
            .push(controller_ref(set));
        if let Some(adopted) = cluster.write(Object::Pod(Box::new(pod))) {
            view.insert(ordinal, adopted);
        }
    }
}

/// An empty range for a reversed one (BTreeSet::range panics on those).
fn nonempty(range: Range<i32>) -> Range<i32> {
    if range.start <= range.end {
        range
    } else {
        0..0
    }
}

/// The Ready condition's lastTransitionTime of a running-and-ready pod.
fn ready_since(pod: &Pod) -> Option<Millis> {
    pods::condition(pod, "Ready")
        .and_then(|c| c.last_transition_time.as_ref())
        .map(millis_of)
}

impl SetPods {
    /// The revision data of `set`, the set this view was built for.
    pub fn revision_data(&mut self, set: &StatefulSet) -> &serde_json::Value {
        self.revision_data
            .get_or_insert_with(|| revision::revision_value(set))
    }

    fn insert(&mut self, ordinal: i32, object: Rc<Object>) {
        self.count(&object, 1);
        let revision = object.as_typed::<Pod>().map_or("", pods::revision);
        self.revisions
            .entry(revision.to_string())
            .or_default()
            .pods
            .insert((ordinal, object.name().to_string()));
        self.pods
            .insert((ordinal, object.name().to_string()), object);
    }

    fn remove(&mut self, ordinal: i32, name: &str) {
        let key = (ordinal, name.to_string());
        let Some(object) = self.pods.remove(&key) else {
            return;
        };
        self.count(&object, -1);
        let revision = object.as_typed::<Pod>().map_or("", pods::revision);
        if let Some(on_revision) = self.revisions.get_mut(revision) {
            on_revision.pods.remove(&key);
            if on_revision.pods.is_empty() {
                self.revisions.remove(revision);
            }
        }
    }

    /// Adds (`by` = 1) or takes back (-1) what `object` adds to the counts.
    fn count(&mut self, object: &Object, by: i32) {
        let Some(pod) = object.as_typed::<Pod>() else {
            return;
        };
        let created = !pods::phase(pod).is_empty();
        if created {
            self.created += by;
        }
        if pods::is_running_and_ready(pod) {
            self.running_and_ready += by;
            match ready_since(pod) {
                Some(since) => {
                    let n = self.ready_since.entry(since).or_default();
                    *n += by;
                    if *n == 0 {
                        self.ready_since.remove(&since);
                    }
                }
                None => self.ready_untimed += by,
            }
        }
        if created && !pods::is_terminating(pod) {
            self.revisions
                .entry(pods::revision(pod).to_string())
                .or_default()
                .counted += by;
        }
    }

    /// How many pods the set owns.
    pub fn owned(&self) -> usize {
        self.pods.len()
    }

    /// The pod holding `ordinal`'s slot.
    pub fn at(&self, ordinal: i32) -> Option<&Pod> {
        let from = (ordinal, String::new());
        let found = match ordinal.checked_add(1) {
            Some(next) => self.pods.range(from..(next, String::new())).next_back(),
            None => self.pods.range(from..).next_back(),
        };
        found.and_then(|(_, o)| o.as_typed::<Pod>())
    }

    fn touch(&mut self, ordinals: impl IntoIterator<Item = i32>) {
        for ordinal in ordinals {
            self.dirty.insert(ordinal);
            self.unhealthy.insert(ordinal);
        }
    }

    /// Dirty ordinals in `range`, lowest first.
    pub fn dirty_in(&self, range: Range<i32>) -> impl Iterator<Item = i32> + '_ {
        self.dirty.range(nonempty(range)).copied()
    }

    /// Ordinals in `range` that may be missing or unhealthy, lowest first.
    pub fn unhealthy_in(&self, range: Range<i32>) -> impl Iterator<Item = i32> + '_ {
        self.unhealthy.range(nonempty(range)).copied()
    }

    /// A pass processed the pod at `ordinal` and went on; `healthy` if it
    /// was available and not terminating.
    pub fn processed(&mut self, ordinal: i32, healthy: bool) {
        self.dirty.remove(&ordinal);
        if healthy {
            self.unhealthy.remove(&ordinal);
        }
    }

    /// A pass found the pod at `ordinal` available and not terminating.
    pub fn healthy(&mut self, ordinal: i32) {
        if !self.dirty.contains(&ordinal) {
            self.unhealthy.remove(&ordinal);
        }
    }

    /// Pods outside `range`, highest ordinal first (a shared ordinal keeps
    /// name order), as processCondemned takes them.
    pub fn condemned(&self, range: Range<i32>) -> Vec<(i32, &Pod)> {
        let below = self.pods.range(..(range.start, String::new()));
        let above = self.pods.range((range.end, String::new())..);
        let mut condemned: Vec<(i32, &Pod)> = below
            .chain(above)
            .filter_map(|((ordinal, _), o)| Some((*ordinal, o.as_typed::<Pod>()?)))
            .collect();
        condemned.sort_by_key(|(ordinal, _)| std::cmp::Reverse(*ordinal));
        condemned
    }

    /// Ordinals in `range` with a pod on a revision other than `update`,
    /// lowest first from `lowest`, highest first otherwise.
    fn outdated(&self, update: &str, range: &Range<i32>, lowest: bool) -> Option<i32> {
        if range.start >= range.end {
            return None;
        }
        let bounds = (range.start, String::new())..(range.end, String::new());
        let ends = self
            .revisions
            .iter()
            .filter(|(revision, _)| revision.as_str() != update)
            .filter_map(|(_, on)| {
                let mut within = on.pods.range(bounds.clone());
                if lowest {
                    within.next()
                } else {
                    within.next_back()
                }
            })
            .map(|(ordinal, _)| *ordinal);
        if lowest {
            ends.min()
        } else {
            ends.max()
        }
    }

    /// The lowest ordinal in `range` whose slot holds a pod not on `update`.
    pub fn first_outdated(&self, update: &str, range: Range<i32>) -> Option<i32> {
        let mut from = range.start;
        while let Some(ordinal) = self.outdated(update, &(from..range.end), true) {
            if self
                .at(ordinal)
                .is_some_and(|p| pods::revision(p) != update)
            {
                return Some(ordinal);
            }
            from = ordinal.checked_add(1)?;
        }
        None
    }

    /// The highest ordinal in `range` whose slot holds a pod not on `update`.
    pub fn last_outdated(&self, update: &str, range: Range<i32>) -> Option<i32> {
        let mut to = range.end;
        while let Some(ordinal) = self.outdated(update, &(range.start..to), false) {
            if self
                .at(ordinal)
                .is_some_and(|p| pods::revision(p) != update)
            {
                return Some(ordinal);
            }
            to = ordinal;
        }
        None
    }

    /// The highest ordinal in `range` that may be unhealthy or has a pod
    /// not on `update`: where a rolling update going down from the top
    /// may stop next.
    pub fn next_down(&self, update: &str, range: Range<i32>) -> Option<i32> {
        let unhealthy = self.unhealthy.range(nonempty(range.clone())).next_back();
        unhealthy.copied().max(self.outdated(update, &range, false))
    }

    /// Revisions some pod of the set is on.
    pub fn revisions(&self) -> impl Iterator<Item = &str> {
        self.revisions.keys().map(String::as_str)
    }

    /// Pods that are running and Ready.
    pub fn ready(&self) -> i32 {
        self.running_and_ready
    }

    /// The status counts at `now`, for a set with `min_ready` seconds.
    pub fn counts(&self, min_ready: i32, now: Millis, current: &str, update: &str) -> Counts {
        let counted = |revision: &str| self.revisions.get(revision).map_or(0, |r| r.counted);
        Counts {
            replicas: self.created,
            ready: self.running_and_ready,
            available: self.available(min_ready, now),
            current: counted(current),
            updated: counted(update),
        }
    }

    /// Running-and-ready pods that have been Ready for more than `min_ready`
    /// seconds (podutil.IsPodAvailable). Only the few still waiting are
    /// looked at.
    fn available(&self, min_ready: i32, now: Millis) -> i32 {
        if min_ready <= 0 {
            return self.running_and_ready;
        }
        let wait = Millis::try_from(min_ready).unwrap_or(0) * SECOND;
        let Some(cutoff) = now.checked_sub(wait) else {
            return 0;
        };
        let waiting: i32 = self.ready_since.range(cutoff..).map(|(_, n)| n).sum();
        self.running_and_ready - self.ready_untimed - waiting
    }

    /// When the next running-and-ready pod becomes available, if one is
    /// still waiting out `min_ready` seconds.
    pub fn next_available_at(&self, min_ready: i32, now: Millis) -> Option<Millis> {
        if min_ready <= 0 {
            return None;
        }
        let wait = Millis::try_from(min_ready).unwrap_or(0) * SECOND;
        let cutoff = now.saturating_sub(wait);
        self.ready_since
            .range(cutoff..)
            .next()
            .map(|(since, _)| since + wait + 1)
            .filter(|at| *at > now)
    }
}
