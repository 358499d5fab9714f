//! Lookups the controllers' informer caches keep, updated from the watch
//! stream so no controller has to scan every object on every change:
//! pods per node, unscheduled pods, which pods mount a claim, and the
//! owner → dependents graph the garbage collector walks.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::Pod;

use super::clock::Millis;
use super::fast_hash::FastMap;
use super::object::{Kind, Object, ObjectKey};
use super::pods;
use super::store::{EventType, WatchEvent};
use super::volume_index::VolumeIndex;

/// (namespace, name)
pub type PodRef = (String, String);

#[derive(Clone, Debug, Default)]
struct PodFacts {
    node: Option<String>,
    /// Not in a terminal phase: it still occupies its node and its claims.
    active: bool,
    unscheduled: bool,
    claims: Vec<String>,
    /// Has pod affinity or anti-affinity terms, which bear on where other pods go.
    affine: bool,
    /// When the pod was first seen (virtual time).
    added_at: Millis,
}

#[derive(Clone, Debug, Default)]
pub struct Index {
    /// By namespace, then name: looked up with borrowed names.
    pods: FastMap<String, FastMap<String, PodFacts>>,
    pods_on_node: BTreeMap<String, BTreeSet<PodRef>>,
    active_on_node: FastMap<String, usize>,
    unscheduled: BTreeSet<PodRef>,
    /// Bound pods with pod (anti-)affinity terms: the scheduler weighs
    /// every new pod against them, and against no one else unless the new
    /// pod has terms of its own.
    affine_bound: BTreeSet<PodRef>,
    claim_users: FastMap<PodRef, BTreeSet<String>>,
    uids: FastMap<String, ObjectKey>,
    owners: FastMap<ObjectKey, Vec<String>>,
    dependents: FastMap<String, BTreeSet<ObjectKey>>,
    /// Claims with any ownerReference, per namespace.
    owned_claims: FastMap<String, usize>,
    /// Claims and volumes, for the PV controller and the volume binder.
    pub volumes: VolumeIndex,
}

impl Index {
    pub fn observe(&mut self, event: &WatchEvent) {
        let object = &event.object;
        if object.kind() == Kind::Event {
            return;
        }
        // Most changes are status writes, which move no owners: those are
        // recognised without building the object's key.
        let gone = event.ty == EventType::Deleted;
        if gone || !self.owners_unchanged(object) {
            self.observe_owners(&object.key(), object, gone);
        }
        self.volumes.observe(object, gone);
        if let Some(pod) = object.as_typed::<Pod>() {
            let known = self
                .pods
                .get(object.namespace())
                .and_then(|names| names.get(object.name()));
            if gone || !known.is_some_and(|facts| facts.describe(pod)) {
                let id = (object.namespace().to_string(), object.name().to_string());
                let added_at = known.map_or(event.at, |facts| facts.added_at);
                self.observe_pod(id, (!gone).then(|| pod_facts(pod, added_at)));
            }
        }
    }

    /// Whether the object is known under its uid with the owners it has.
    fn owners_unchanged(&self, object: &Object) -> bool {
        let Some(key) = self.uids.get(object.uid()) else {
            return false;
        };
        key.kind == object.kind()
            && key.namespace == object.namespace()
            && key.name == object.name()
            && self
                .owners
                .get(key)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .eq(object
                    .meta()
                    .owner_references
                    .iter()
                    .flatten()
                    .map(|r| &r.uid))
    }

    fn observe_owners(&mut self, key: &ObjectKey, object: &Object, gone: bool) {
        if let Some(old) = self.owners.remove(key) {
            if key.kind == Kind::PersistentVolumeClaim {
                if let Some(n) = self.owned_claims.get_mut(&key.namespace) {
                    *n = n.saturating_sub(1);
                }
            }
            for uid in old {
                if let Some(set) = self.dependents.get_mut(&uid) {
                    set.remove(key);
                    if set.is_empty() {
                        self.dependents.remove(&uid);
                    }
                }
            }
        }
        let uid = object.uid().to_string();
        if gone {
            if self.uids.get(&uid) == Some(key) {
                self.uids.remove(&uid);
            }
            return;
        }
        self.uids.insert(uid, key.clone());
        let owners: Vec<String> = object
            .meta()
            .owner_references
            .iter()
            .flatten()
            .map(|r| r.uid.clone())
            .collect();
        for uid in &owners {
            self.dependents
                .entry(uid.clone())
                .or_default()
                .insert(key.clone());
        }
        if !owners.is_empty() {
            if key.kind == Kind::PersistentVolumeClaim {
                *self.owned_claims.entry(key.namespace.clone()).or_default() += 1;
            }
            self.owners.insert(key.clone(), owners);
        }
    }

    fn observe_pod(&mut self, id: PodRef, facts: Option<PodFacts>) {
        let old = self
            .pods
            .get_mut(&id.0)
            .and_then(|names| names.remove(&id.1));
        if let Some(old) = old {
            if let Some(node) = &old.node {
                if let Some(set) = self.pods_on_node.get_mut(node) {
                    set.remove(&id);
                }
                if old.active {
                    if let Some(n) = self.active_on_node.get_mut(node) {
                        *n = n.saturating_sub(1);
                    }
                }
            }
            self.unscheduled.remove(&id);
            self.affine_bound.remove(&id);
            for claim in &old.claims {
                let claim_id = (id.0.clone(), claim.clone());
                if let Some(users) = self.claim_users.get_mut(&claim_id) {
                    users.remove(&id.1);
                    if users.is_empty() {
                        self.claim_users.remove(&claim_id);
                    }
                }
            }
        }
        let Some(facts) = facts else { return };
        if let Some(node) = &facts.node {
            self.pods_on_node
                .entry(node.clone())
                .or_default()
                .insert(id.clone());
            if facts.active {
                *self.active_on_node.entry(node.clone()).or_default() += 1;
            }
        }
        if facts.unscheduled {
            self.unscheduled.insert(id.clone());
        }
        if facts.affine && facts.node.is_some() {
            self.affine_bound.insert(id.clone());
        }
        for claim in &facts.claims {
            self.claim_users
                .entry((id.0.clone(), claim.clone()))
                .or_default()
                .insert(id.1.clone());
        }
        let (namespace, name) = id;
        self.pods.entry(namespace).or_default().insert(name, facts);
    }

    /// Pods bound to `node` that are not in a terminal phase.
    pub fn node_load(&self, node: &str) -> usize {
        self.active_on_node.get(node).copied().unwrap_or(0)
    }

    /// Every pod bound to `node`, in key order.
    pub fn pods_on_node(&self, node: &str) -> Vec<PodRef> {
        self.pods_on_node
            .get(node)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Pods waiting for the scheduler, in key order.
    pub fn unscheduled(&self) -> impl Iterator<Item = &PodRef> {
        self.unscheduled.iter()
    }

    /// Bound pods with pod affinity or anti-affinity terms, in key order.
    pub fn affine_bound(&self) -> impl Iterator<Item = &PodRef> {
        self.affine_bound.iter()
    }

    pub fn is_unscheduled(&self, namespace: &str, name: &str) -> bool {
        self.unscheduled
            .contains(&(namespace.to_string(), name.to_string()))
    }

    /// Names of the pods in `namespace` that mount `claim`.
    pub fn claim_users(&self, namespace: &str, claim: &str) -> Vec<String> {
        self.claim_users
            .get(&(namespace.to_string(), claim.to_string()))
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The pods mounting the claim that are not finished and not yet
    /// scheduled, among those first seen no later than `seen_by`.
    pub fn unscheduled_claim_users(
        &self,
        namespace: &str,
        claim: &str,
        seen_by: Millis,
    ) -> Vec<String> {
        let Some(users) = self
            .claim_users
            .get(&(namespace.to_string(), claim.to_string()))
        else {
            return Vec::new();
        };
        users
            .iter()
            .filter(|pod| {
                self.pods
                    .get(namespace)
                    .and_then(|names| names.get(pod.as_str()))
                    .is_some_and(|f| f.active && f.node.is_none() && f.added_at <= seen_by)
            })
            .cloned()
            .collect()
    }

    /// Whether a scheduled pod names the claim, as the pvc-protection
    /// controller's podUsesPVC judges: a finished pod too, until it is
    /// deleted; an unscheduled one never, since a kubelet would not start it
    /// with a claim being deleted.
    pub fn claim_in_use(&self, namespace: &str, claim: &str) -> bool {
        self.claim_users
            .get(&(namespace.to_string(), claim.to_string()))
            .is_some_and(|users| {
                users.iter().any(|pod| {
                    self.pods
                        .get(namespace)
                        .and_then(|names| names.get(pod))
                        .is_some_and(|f| f.node.is_some())
                })
            })
    }

    /// Whether some claim in `namespace` has an ownerReference.
    pub fn has_owned_claims(&self, namespace: &str) -> bool {
        self.owned_claims.get(namespace).is_some_and(|n| *n > 0)
    }

    pub fn is_live(&self, uid: &str) -> bool {
        self.uids.contains_key(uid)
    }

    pub fn key_of(&self, uid: &str) -> Option<&ObjectKey> {
        self.uids.get(uid)
    }

    /// Objects whose ownerReferences name `uid`, in key order.
    pub fn dependents(&self, uid: &str) -> Vec<ObjectKey> {
        self.dependents
            .get(uid)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// A pod's node, and whether it is unscheduled, active and affine.
type Traits<'a> = (Option<&'a str>, bool, bool, bool);

fn traits(pod: &Pod) -> Traits<'_> {
    let node = pods::node_name(pod);
    let affine = pod
        .spec
        .as_ref()
        .and_then(|s| s.affinity.as_ref())
        .is_some_and(|a| a.pod_affinity.is_some() || a.pod_anti_affinity.is_some());
    (
        node,
        node.is_none() && !pods::is_terminating(pod),
        !matches!(pods::phase(pod), "Succeeded" | "Failed"),
        affine,
    )
}

impl PodFacts {
    /// Whether these are `pod`'s facts, found without copying any of them.
    fn describe(&self, pod: &Pod) -> bool {
        traits(pod)
            == (
                self.node.as_deref(),
                self.unscheduled,
                self.active,
                self.affine,
            )
            && self
                .claims
                .iter()
                .map(String::as_str)
                .eq(pods::claim_names(pod))
    }
}

fn pod_facts(pod: &Pod, added_at: Millis) -> PodFacts {
    let (node, unscheduled, active, affine) = traits(pod);
    PodFacts {
        node: node.map(str::to_string),
        unscheduled,
        active,
        claims: pods::claim_names(pod)
            .into_iter()
            .map(str::to_string)
            .collect(),
        affine,
        added_at,
    }
}
