//! The simulated apiserver's storage: objects by key, a resourceVersion
//! counter, and the ordered log of changes that watches read from.
//!
//! Every change bumps the resourceVersion by one and appends one entry, so
//! a watch's position is simply the resourceVersion it has seen. Like etcd,
//! the log is compacted: only a window of recent changes is kept (every
//! superseded version of every object would otherwise stay in memory), and
//! a watch from before the window gets 410 Gone.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use k8s_openapi::api::core::v1::{Pod, PodStatus};

use super::clock::{time, Millis};
use super::errors::{ApiError, ApiResult};
use super::fast_hash::FastMap;
use super::object::{Kind, Object, ObjectKey, Typed};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One change, as a watch delivers it. Objects are shared, never mutated.
#[derive(Clone, Debug)]
pub struct WatchEvent {
    pub ty: EventType,
    pub object: Rc<Object>,
    pub at: Millis,
    /// Written through the pods/status subresource: a change of status
    /// alone, which the kubelet's pod config reconciles without syncing the
    /// pod (checkAndUpdatePod), so its own status writes never wake it.
    pub status_only: bool,
}

/// What a delete call did.
#[derive(Clone, Debug, PartialEq)]
pub enum Deleted {
    /// The object is gone.
    Removed(Rc<Object>),
    /// The object now has a deletionTimestamp and waits for finalizers or a kubelet.
    Marked(Rc<Object>),
}

/// One namespace's objects of one kind: found by hashing the name, listed
/// in name order. Lookups and updates far outnumber creates and deletes,
/// and lists are rarer still: an ordered map made every lookup a dozen
/// string comparisons among 100,000 Event names, and keeping the names
/// sorted on every create cost more than sorting them when listed.
#[derive(Clone, Debug, Default)]
struct Names {
    by_name: FastMap<Rc<str>, Rc<Object>>,
    /// The names in order, worked out by the first list after a create or delete.
    order: OnceCell<Vec<Rc<str>>>,
}

impl Names {
    fn iter(&self) -> impl Iterator<Item = &Rc<Object>> {
        let order = self.order.get_or_init(|| {
            let mut names: Vec<Rc<str>> = self.by_name.keys().cloned().collect();
            names.sort_unstable();
            names
        });
        order.iter().map(|name| &self.by_name[name])
    }
}

/// Names → objects, per namespace ("" for cluster-scoped kinds).
type Namespaces = BTreeMap<String, Names>;

/// Objects by kind, namespace and name. Nested maps let lookups borrow the
/// caller's strings instead of building a key.
#[derive(Clone, Debug, Default)]
struct Objects {
    by_kind: BTreeMap<Kind, Namespaces>,
    len: usize,
}

impl Objects {
    fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Rc<Object>> {
        let namespace = if kind.namespaced() { namespace } else { "" };
        self.by_kind.get(&kind)?.get(namespace)?.by_name.get(name)
    }

    /// Stores `object` under its own kind, namespace and name, allocating a
    /// key only for a name not stored yet.
    fn insert(&mut self, object: Rc<Object>) {
        let kind = object.kind();
        let namespace = if kind.namespaced() {
            object.namespace()
        } else {
            ""
        };
        let namespaces = self.by_kind.entry(kind).or_default();
        if !namespaces.contains_key(namespace) {
            namespaces.insert(namespace.to_string(), Names::default());
        }
        let Some(names) = namespaces.get_mut(namespace) else {
            return;
        };
        if let Some(stored) = names.by_name.get_mut(object.name()) {
            *stored = object;
            return;
        }
        names.by_name.insert(object.name().into(), object);
        names.order.take();
        self.len += 1;
    }

    fn remove(&mut self, key: &ObjectKey) {
        let Some(namespaces) = self.by_kind.get_mut(&key.kind) else {
            return;
        };
        let Some(names) = namespaces.get_mut(&key.namespace) else {
            return;
        };
        if names.by_name.remove(key.name.as_str()).is_some() {
            names.order.take();
            self.len -= 1;
        }
        if names.by_name.is_empty() {
            namespaces.remove(&key.namespace);
        }
    }
}

/// 410 Gone: the changes after `requested` were compacted away; the log
/// now starts after `oldest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expired {
    pub requested: u64,
    pub oldest: u64,
}

impl Expired {
    /// The apiserver's message (its watch cache words it this way).
    pub fn message(&self) -> String {
        format!(
            "too old resource version: {} ({})",
            self.requested, self.oldest
        )
    }
}

#[derive(Clone, Debug, Default)]
pub struct Store {
    objects: Objects,
    resource_version: u64,
    /// The changes after resourceVersion `compacted`, oldest first.
    log: Vec<WatchEvent>,
    compacted: u64,
    /// Each logged change's [`change_weight`], and their sum.
    weights: Vec<u32>,
    weight: usize,
}

impl Store {
    pub fn get(&self, key: &ObjectKey) -> Option<&Rc<Object>> {
        self.objects.get(key.kind, &key.namespace, &key.name)
    }

    /// The object of `kind` named `name` in `namespace`, without building a key.
    pub fn get_named(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Rc<Object>> {
        self.objects.get(kind, namespace, name)
    }

    pub fn get_typed<T: Typed>(&self, namespace: &str, name: &str) -> Option<&T> {
        self.objects
            .get(T::KIND, namespace, name)
            .and_then(|o| T::from_object(o))
    }

    /// Every object of a kind, in key order (namespace, then name).
    pub fn list(&self, kind: Kind) -> impl Iterator<Item = &Rc<Object>> {
        self.objects
            .by_kind
            .get(&kind)
            .into_iter()
            .flat_map(|namespaces| namespaces.values().flat_map(Names::iter))
    }

    /// Objects of a kind in one namespace, sorted by name as the apiserver lists them.
    pub fn list_in<'a>(
        &'a self,
        kind: Kind,
        namespace: &str,
    ) -> impl Iterator<Item = &'a Rc<Object>> + 'a {
        let namespace = if kind.namespaced() { namespace } else { "" };
        self.objects
            .by_kind
            .get(&kind)
            .and_then(|namespaces| namespaces.get(namespace))
            .into_iter()
            .flat_map(Names::iter)
    }

    pub fn list_typed<'a, T: Typed + 'a>(
        &'a self,
        namespace: &str,
    ) -> impl Iterator<Item = &'a T> + 'a {
        self.list_in(T::KIND, namespace)
            .filter_map(|o| T::from_object(o))
    }

    pub fn len(&self) -> usize {
        self.objects.len
    }

    /// How many objects of `kind` there are.
    pub fn count(&self, kind: Kind) -> usize {
        self.objects.by_kind.get(&kind).map_or(0, |namespaces| {
            namespaces.values().map(|names| names.by_name.len()).sum()
        })
    }

    pub fn is_empty(&self) -> bool {
        self.objects.len == 0
    }

    /// The changes still in the log (since the last compaction), oldest first.
    pub fn log(&self) -> &[WatchEvent] {
        &self.log
    }

    /// The newest resourceVersion: how many changes the store has seen.
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// The changes after resourceVersion `seen`, or 410 Gone when some of
    /// them were compacted away.
    pub fn changes_since(&self, seen: u64) -> Result<&[WatchEvent], Expired> {
        let Some(skip) = seen.checked_sub(self.compacted) else {
            return Err(Expired {
                requested: seen,
                oldest: self.compacted,
            });
        };
        let skip = usize::try_from(skip).unwrap_or(usize::MAX);
        Ok(self.log.get(skip..).unwrap_or(&[]))
    }

    /// Drops the changes up to resourceVersion `upto` (etcd's compaction).
    pub fn compact(&mut self, upto: u64) {
        let upto = upto.min(self.resource_version);
        let Some(drop) = upto.checked_sub(self.compacted) else {
            return;
        };
        let drop = usize::try_from(drop)
            .unwrap_or(usize::MAX)
            .min(self.log.len());
        self.log.drain(..drop);
        let dropped: usize = self.weights.drain(..drop).map(|w| w as usize).sum();
        self.weight = self.weight.saturating_sub(dropped);
        self.compacted = upto;
    }

    /// The summed [`change_weight`] of the changes in the log.
    pub fn log_weight(&self) -> usize {
        self.weight
    }

    /// The resourceVersion to compact to so that the log keeps the newest
    /// changes within both bounds: at most `changes` of them, weighing at
    /// most `weight` together (the newest one always stays).
    pub fn fit(&self, changes: usize, weight: usize) -> u64 {
        let mut kept = 0;
        let mut total = 0;
        for &w in self.weights.iter().rev() {
            total += w as usize;
            if kept == changes || (kept > 0 && total > weight) {
                break;
            }
            kept += 1;
        }
        self.resource_version
            .saturating_sub(u64::try_from(kept).unwrap_or(u64::MAX))
    }

    fn record(&mut self, ty: EventType, object: Rc<Object>, at: Millis) {
        self.log_change(WatchEvent {
            ty,
            object,
            at,
            status_only: false,
        });
    }

    fn log_change(&mut self, change: WatchEvent) {
        let weight = change_weight(&change.object);
        self.weights.push(weight);
        self.weight += weight as usize;
        self.log.push(change);
    }

    fn next_rv(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    /// Stores a new object. The caller has defaulted and validated it.
    pub fn create(
        &mut self,
        mut object: Object,
        uid: String,
        now: Millis,
    ) -> ApiResult<Rc<Object>> {
        let kind = object.kind();
        if self
            .objects
            .get(kind, object.namespace(), object.name())
            .is_some()
        {
            return Err(ApiError::already_exists(kind, object.name()));
        }
        let rv = self.next_rv();
        let meta = object.meta_mut();
        meta.uid = Some(uid);
        meta.resource_version = Some(rv);
        meta.creation_timestamp = Some(time(now));
        meta.deletion_timestamp = None;
        if has_generation(kind) {
            meta.generation = Some(1);
        }
        let object = Rc::new(object);
        self.objects.insert(object.clone());
        self.record(EventType::Added, object.clone(), now);
        Ok(object)
    }

    /// Replaces an object. A resourceVersion on the new object must match the
    /// stored one (optimistic concurrency); none means "last write wins".
    /// Removing the last finalizer of a deleting object removes the object.
    pub fn update(&mut self, object: Object, now: Millis) -> ApiResult<Rc<Object>> {
        self.put(object, now, Generation::FollowsSpec)
    }

    /// Writes a pod's node through the binding subresource, which stores the
    /// pod directly instead of through the pod update strategy: unlike a
    /// spec update, binding leaves `metadata.generation` as it is.
    pub fn bind(&mut self, pod: Object, now: Millis) -> ApiResult<Rc<Object>> {
        self.put(pod, now, Generation::Kept)
    }

    /// Writes a pod's status through the status subresource: the stored
    /// metadata and spec stay as they are, so only the status is compared.
    pub fn update_pod_status(
        &mut self,
        namespace: &str,
        name: &str,
        status: PodStatus,
        now: Millis,
    ) -> ApiResult<Rc<Object>> {
        let Some(old) = self.objects.get(Kind::Pod, namespace, name).cloned() else {
            return Err(ApiError::not_found(Kind::Pod, name));
        };
        let Some(pod) = old.as_typed::<Pod>() else {
            return Err(ApiError::not_found(Kind::Pod, name));
        };
        if pod.status.as_ref() == Some(&status) {
            return Ok(old);
        }
        let mut updated = Pod {
            metadata: pod.metadata.clone(),
            spec: pod.spec.clone(),
            status: Some(status),
        };
        updated.metadata.resource_version = Some(self.next_rv());
        let object = Rc::new(Object::Pod(Box::new(updated)));
        self.objects.insert(object.clone());
        self.log_change(WatchEvent {
            ty: EventType::Modified,
            object: object.clone(),
            at: now,
            status_only: true,
        });
        Ok(object)
    }

    fn put(
        &mut self,
        mut object: Object,
        now: Millis,
        generation: Generation,
    ) -> ApiResult<Rc<Object>> {
        let kind = object.kind();
        let Some(old) = self
            .objects
            .get(kind, object.namespace(), object.name())
            .cloned()
        else {
            return Err(ApiError::not_found(kind, object.name()));
        };
        let meta = object.meta();
        if meta.resource_version.is_some() && meta.resource_version != old.meta().resource_version {
            return Err(ApiError::conflict(kind, object.name()));
        }
        // Server-owned metadata comes from the stored object, whatever the client sent.
        {
            let meta = object.meta_mut();
            let previous = old.meta();
            meta.uid = previous.uid.clone();
            meta.creation_timestamp = previous.creation_timestamp.clone();
            meta.resource_version = previous.resource_version.clone();
            meta.generation = previous.generation;
            if previous.deletion_timestamp.is_some() {
                meta.deletion_timestamp = previous.deletion_timestamp.clone();
                meta.deletion_grace_period_seconds = previous.deletion_grace_period_seconds;
            }
        }
        if *old == object {
            return Ok(old);
        }
        let bump = generation == Generation::FollowsSpec && spec_changed(&old, &object);
        let rv = self.next_rv();
        let meta = object.meta_mut();
        meta.resource_version = Some(rv);
        if bump {
            meta.generation = meta.generation.map(|g| g + 1);
        }
        let gone =
            object.is_terminating() && !holds_finalizers(&object) && !awaits_kubelet(&object);
        let object = Rc::new(object);
        if gone {
            self.objects.remove(&object.key());
            self.record(EventType::Deleted, object.clone(), now);
        } else {
            self.objects.insert(object.clone());
            self.record(EventType::Modified, object.clone(), now);
        }
        Ok(object)
    }

    /// Deletes an object. Pods on a node get a grace period (the kubelet
    /// finishes the job); objects with finalizers are only marked.
    /// `grace_seconds` of None means the pod's own terminationGracePeriodSeconds.
    pub fn delete(
        &mut self,
        key: &ObjectKey,
        grace_seconds: Option<i64>,
        now: Millis,
    ) -> ApiResult<Deleted> {
        let Some(old) = self.get(key).cloned() else {
            return Err(ApiError::not_found(key.kind, &key.name));
        };
        let grace = match old.as_typed::<Pod>() {
            Some(pod) => pod_grace(pod, grace_seconds),
            None => 0,
        };
        let finalizers = holds_finalizers(&old);
        if grace == 0 && !finalizers {
            // A pod is deleted in two writes, as the apiserver's graceful
            // delete does: an update to a zero grace period, unless it is
            // there already, then the removal.
            let mut last = (*old).clone();
            if key.kind == Kind::Pod && last.meta().deletion_grace_period_seconds != Some(0) {
                last = (*self.mark_deleting(last, 0, now)).clone();
            }
            self.objects.remove(key);
            last.meta_mut().resource_version = Some(self.next_rv());
            let last = Rc::new(last);
            self.record(EventType::Deleted, last.clone(), now);
            return Ok(Deleted::Removed(last));
        }
        if let Some(existing) = &old.meta().deletion_timestamp {
            // A second graceful delete may only shorten the grace period.
            let deadline = super::clock::millis_of(existing);
            if grace == 0 || now + grace as u64 * 1000 >= deadline {
                return Ok(Deleted::Marked(old));
            }
        }
        let mut marked = (*old).clone();
        if let Object::Namespace(namespace) = &mut marked {
            // The namespace registry's delete: the phase says so at once;
            // the namespace controller empties it and then finalizes it.
            namespace.status.get_or_insert_with(Default::default).phase =
                Some("Terminating".to_string());
        }
        Ok(Deleted::Marked(self.mark_deleting(marked, grace, now)))
    }

    /// Writes `object` as being deleted within `grace` seconds.
    fn mark_deleting(&mut self, mut object: Object, grace: i64, now: Millis) -> Rc<Object> {
        let meta = object.meta_mut();
        if meta.deletion_timestamp.is_none() {
            // Marking an object for deletion counts as a new generation
            // (the apiserver's BeforeDelete for graceful deletes, markAsDeleting
            // for finalizers); the kubelet then reports it as observed.
            meta.generation = meta.generation.map(|g| if g > 0 { g + 1 } else { g });
        }
        meta.deletion_timestamp = Some(time(now + grace as u64 * 1000));
        meta.deletion_grace_period_seconds = Some(grace);
        meta.resource_version = Some(self.next_rv());
        let object = Rc::new(object);
        self.objects.insert(object.clone());
        self.record(EventType::Modified, object.clone(), now);
        object
    }
}

/// Roughly how much memory a logged change holds, in units of one endpoint:
/// the address lists make Endpoints and EndpointSlice versions hundreds of
/// times larger than other objects at a thousand pods.
fn change_weight(object: &Object) -> u32 {
    let entries = match object {
        Object::Endpoints(endpoints) => endpoints
            .subsets
            .iter()
            .flatten()
            .map(|s| {
                s.addresses.as_ref().map_or(0, Vec::len)
                    + s.not_ready_addresses.as_ref().map_or(0, Vec::len)
            })
            .sum(),
        Object::EndpointSlice(slice) => slice.endpoints.len(),
        _ => 0,
    };
    u32::try_from(entries.saturating_add(1)).unwrap_or(u32::MAX)
}

/// Whether a write moves `metadata.generation` when the spec changed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Generation {
    FollowsSpec,
    Kept,
}

fn has_generation(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::StatefulSet
            | Kind::Pod
            | Kind::PodDisruptionBudget
            | Kind::DaemonSet
            | Kind::Deployment
            | Kind::ReplicaSet
            | Kind::EndpointSlice
    )
}

fn spec_changed(old: &Object, new: &Object) -> bool {
    match (old, new) {
        (Object::StatefulSet(a), Object::StatefulSet(b)) => a.spec != b.spec,
        (Object::Pod(a), Object::Pod(b)) => a.spec != b.spec,
        (Object::PodDisruptionBudget(a), Object::PodDisruptionBudget(b)) => a.spec != b.spec,
        (Object::DaemonSet(a), Object::DaemonSet(b)) => a.spec != b.spec,
        (Object::Deployment(a), Object::Deployment(b)) => a.spec != b.spec,
        (Object::ReplicaSet(a), Object::ReplicaSet(b)) => a.spec != b.spec,
        // A slice has no spec: anything but its metadata counts, and its labels.
        (Object::EndpointSlice(a), Object::EndpointSlice(b)) => {
            a.endpoints != b.endpoints
                || a.ports != b.ports
                || a.address_type != b.address_type
                || a.metadata.labels != b.metadata.labels
        }
        _ => false,
    }
}

/// A deleting pod that is bound to a node stays until its kubelet confirms
/// the containers stopped (by a delete with grace 0).
/// Whether something must finish before the object may go: finalizers in
/// its metadata, or a namespace's own `spec.finalizers` (the namespace
/// controller's `kubernetes`).
fn holds_finalizers(object: &Object) -> bool {
    let metadata = object.meta().finalizers.as_ref();
    let namespace = match object {
        Object::Namespace(namespace) => namespace.spec.as_ref().and_then(|s| s.finalizers.as_ref()),
        _ => None,
    };
    [metadata, namespace]
        .into_iter()
        .flatten()
        .any(|f| !f.is_empty())
}

fn awaits_kubelet(object: &Object) -> bool {
    object
        .as_typed::<Pod>()
        .is_some_and(|p| p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some())
}

/// The grace period the apiserver applies to a pod delete.
fn pod_grace(pod: &Pod, requested: Option<i64>) -> i64 {
    let bound = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_ref())
        .is_some();
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    if !bound || matches!(phase, Some("Succeeded" | "Failed")) {
        return 0;
    }
    requested
        .or_else(|| {
            pod.spec
                .as_ref()
                .and_then(|s| s.termination_grace_period_seconds)
        })
        .unwrap_or(30)
        .max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(kind: Kind, name: &str) -> Object {
        let value = json!({"metadata": {"name": name, "namespace": "default"}});
        Object::from_json(kind, value).expect("a bare object decodes")
    }

    #[test]
    fn count_is_per_kind() {
        let mut store = Store::default();
        for (i, kind) in [Kind::Pod, Kind::Event, Kind::Event, Kind::Pod, Kind::Event]
            .into_iter()
            .enumerate()
        {
            let created = store.create(object(kind, &format!("o-{i}")), format!("uid-{i}"), 0);
            assert!(created.is_ok());
        }
        assert_eq!(store.len(), 5);
        assert_eq!(store.count(Kind::Event), 3);
        assert_eq!(store.count(Kind::Pod), 2);
        assert_eq!(store.count(Kind::Service), 0);
    }

    #[test]
    fn lists_stay_in_name_order_as_objects_come_and_go() {
        let mut store = Store::default();
        let names = |store: &Store| -> Vec<String> {
            store
                .list_in(Kind::ConfigMap, "default")
                .map(|o| o.name().to_string())
                .collect()
        };
        for (i, name) in ["web-10", "web-2", "web-1"].into_iter().enumerate() {
            assert!(store
                .create(object(Kind::ConfigMap, name), format!("uid-{i}"), 0)
                .is_ok());
        }
        assert_eq!(names(&store), ["web-1", "web-10", "web-2"]);
        let key = ObjectKey::new(Kind::ConfigMap, "default", "web-10");
        assert!(store.delete(&key, None, 0).is_ok());
        assert_eq!(names(&store), ["web-1", "web-2"]);
        assert!(store
            .create(object(Kind::ConfigMap, "web-0"), "uid-3".to_string(), 0)
            .is_ok());
        let listed_copy = store.clone();
        assert_eq!(names(&listed_copy), ["web-0", "web-1", "web-2"]);
        assert!(store.update(object(Kind::ConfigMap, "web-2"), 0).is_ok());
        assert_eq!(names(&store), ["web-0", "web-1", "web-2"]);
        assert!(store
            .get_named(Kind::ConfigMap, "default", "web-10")
            .is_none());
        assert_eq!(store.count(Kind::ConfigMap), 3);
    }

    /// The (type, deletionGracePeriodSeconds) of each logged change.
    fn logged(store: &Store) -> Vec<(EventType, Option<i64>)> {
        store
            .log()
            .iter()
            .map(|e| (e.ty, e.object.meta().deletion_grace_period_seconds))
            .collect()
    }

    #[test]
    fn a_pod_is_deleted_in_two_writes_unless_its_grace_is_already_zero() {
        let mut store = Store::default();
        for name in ["now", "later"] {
            assert!(store
                .create(object(Kind::Pod, name), name.to_string(), 0)
                .is_ok());
        }
        store.compact(store.resource_version());
        let key = |name: &str| ObjectKey::new(Kind::Pod, "default", name);
        // An unscheduled pod has no grace period: the update, then the removal.
        assert!(store.delete(&key("now"), None, 1_000).is_ok());
        assert_eq!(
            logged(&store),
            [
                (EventType::Modified, Some(0)),
                (EventType::Deleted, Some(0))
            ]
        );
        store.compact(store.resource_version());
        // A pod already at zero (left by an earlier update) is only removed.
        let mut zero = (**store.get(&key("later")).unwrap()).clone();
        zero.meta_mut().deletion_grace_period_seconds = Some(0);
        zero.meta_mut().deletion_timestamp = Some(time(3_000));
        store.objects.insert(Rc::new(zero));
        assert!(store.delete(&key("later"), Some(0), 4_000).is_ok());
        assert_eq!(logged(&store), [(EventType::Deleted, Some(0))]);
        // Other kinds have no graceful deletion: one write.
        assert!(store
            .create(object(Kind::PersistentVolumeClaim, "c"), "c".to_string(), 0)
            .is_ok());
        store.compact(store.resource_version());
        let claim = ObjectKey::new(Kind::PersistentVolumeClaim, "default", "c");
        assert!(store.delete(&claim, None, 5_000).is_ok());
        assert_eq!(logged(&store), [(EventType::Deleted, None)]);
    }
}
