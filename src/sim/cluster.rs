//! The cluster: the store, one virtual clock and one queue of timed work.
//!
//! Controllers never call each other. Every store change is turned into
//! queued tasks by [`Cluster::inform`], the way informers and work queues
//! connect the real control plane, and each task runs at its virtual time.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::bootstrap::Shape;
use super::clock::{Millis, MINUTE};
use super::controllers;
use super::controllers::endpoints_view::{ServiceKey, ServicePods};
use super::controllers::stateful_cache::{SetKey, SetPods};
use super::defaults::decode_and_default;
use super::errors::{ApiError, ApiResult};
use super::event_ttl::EventLeases;
use super::events::EventIndex;
use super::explain::Explanations;
use super::fast_hash::FastMap;
use super::index::Index;
use super::kubelet::Kubelet;
use super::object::{Kind, Object, ObjectKey};
use super::rebuilt::Rebuilt;
use super::rng::Rng;
use super::runtime_data::RuntimeData;
use super::store::{Deleted, EventType, Store};

/// A unit of controller work, keyed by the object it is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Task {
    SyncStatefulSet(String, String),
    Schedule(String, String),
    /// The local-path provisioner's look at a claim.
    Provision(String, String),
    /// The PV controller's sync of a claim, of a volume, and its resync.
    SyncClaim(String, String),
    SyncVolume(String),
    ResyncClaims,
    Kubelet(String, String),
    SyncEndpoints(String, String),
    /// Look at the dependents of the object with this uid.
    CollectGarbage(String),
    ReleaseClaim(String, String),
    ReleaseVolume(String),
    DeleteVolume(String),
    MonitorNode(String),
    /// The kubelet's periodic node status update, as far as it shows: the
    /// (un)schedulable event after a cordon.
    NodeStatus(String),
    EvictPod(String, String),
    CollectOrphanPods(String),
    /// Empty a deleted namespace, then finalize it.
    SyncNamespace(String),
    /// Make sure a namespace holds its kube-root-ca.crt ConfigMap.
    PublishRootCa(String),
    /// Make sure a namespace has its default ServiceAccount.
    SyncServiceAccounts(String),
    SyncDisruptionBudget(String, String),
    /// Look at a claim whose spec changed: does it ask to grow?
    ExpandClaim(String, String),
    /// Replace the missing pods of one of kind's DaemonSets or ReplicaSets.
    KeepSystemPods(String),
}

/// How a delete treats the object's dependents (`--cascade`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

#[derive(Clone, Debug, Default)]
pub struct DeleteOptions {
    pub grace_seconds: Option<i64>,
    pub propagation: Propagation,
}

/// The most objects the store holds, Events aside; creates beyond it are
/// refused so a runaway manifest cannot freeze the page. A StatefulSet at
/// the 10,000-replica limit needs 30,000 (pods, claims and volumes); its
/// Events, written by the controllers, are not held against it.
pub const MAX_OBJECTS: usize = 50_000;

/// How many recent changes the store's log keeps at least (up to twice as
/// many before it compacts). A watch more than this far behind gets 410
/// Gone; the superseded object versions before it are freed.
pub const LOG_WINDOW: usize = 10_000;

/// How much the kept changes may weigh together, in endpoints (see
/// `store::change_weight`): at a thousand pods every Endpoints version lists
/// a thousand addresses, so by count alone the window would still hold
/// gigabytes of them.
pub const LOG_WEIGHT: usize = 100_000;

/// The kubelet's default maxPods, which kind keeps: each node's pods capacity.
pub const KIND_MAX_PODS: u32 = 110;

/// Upper bounds for [`Cluster::run_until_settled`].
pub const SETTLE_MAX_TASKS: usize = 2_000_000;

#[derive(Clone, Debug)]
pub struct Cluster {
    pub(crate) store: Store,
    now: Millis,
    /// Queued tasks by time, and when each is due: one task, shared by both.
    queue: BTreeMap<(Millis, u64), Rc<Task>>,
    queued: FastMap<Rc<Task>, (Millis, u64)>,
    seq: u64,
    pub(crate) rng: Rng,
    pub(crate) kubelets: BTreeMap<String, Kubelet>,
    pub(crate) explanations: Explanations,
    pub(crate) event_index: EventIndex,
    /// When each Event expires (the apiserver's event TTL).
    event_leases: EventLeases,
    pub(crate) index: Index,
    /// Claims the provisioner is creating a volume for, by uid: when its
    /// helper pod will be done, and the provisioner's event source.
    pub(crate) volume_provisioning:
        FastMap<String, (Millis, controllers::provisioner_log::Provisioner)>,
    /// Failures per task, for the work queue's exponential retry delay.
    retries: BTreeMap<Task, u32>,
    /// Until when a controller is still working on a key (see [`Cluster::occupy`]).
    busy: BTreeMap<Task, Millis>,
    /// The StatefulSet controller's view of each set's pods.
    pub(crate) stateful_pods: Rebuilt<BTreeMap<SetKey, SetPods>>,
    /// The endpoints controllers' view of each service's pods.
    pub(crate) endpoints_views: Rebuilt<BTreeMap<ServiceKey, ServicePods>>,
    /// The EndpointSlice controller's view of each service's slices.
    pub(crate) slices: BTreeMap<(String, String), controllers::endpoint_slices::SliceCache>,
    /// What each Service's last endpoints sync saw, for the trigger time.
    pub(crate) trigger_times: BTreeMap<(String, String), controllers::trigger_time::Seen>,
    /// Container logs and the files containers and volumes hold.
    pub(crate) runtime: RuntimeData,
    /// The resourceVersion the informers have seen.
    informed: u64,
    /// Pods the taint eviction controller will delete, and when.
    pub(crate) evictions: BTreeMap<(String, String), Millis>,
    /// Pods the scheduler turned down for inter-pod (anti-)affinity or too
    /// few resources: a pod placed or removed elsewhere may change that, so
    /// they are tried again then (the scheduling queue's hints), not only
    /// after five minutes.
    pub(crate) waiting_for_pods: std::collections::BTreeSet<(String, String)>,
    /// What a kind config decided: its workers, their labels, each kubelet's maxPods.
    pub(crate) shape: Shape,
    /// When its bootstrap began: 0, or the moment `kind create cluster` made it.
    pub(crate) started: Millis,
}

impl Cluster {
    /// A kind-like cluster: one control-plane node and two workers, a default
    /// StorageClass, and the `default` and `kube-system` namespaces.
    pub fn new(seed: u64) -> Cluster {
        Cluster::with_shape(seed, Shape::default())
    }

    /// The same cluster with each kubelet's maxPods set, as a kind config
    /// does with `kubeletExtraArgs: {max-pods: "N"}` in a kubeadm patch:
    /// the benchmarks run 10,000 replicas, which kind's nodes cannot hold.
    pub fn with_max_pods(seed: u64, max_pods: u32) -> Cluster {
        Cluster::with_shape(
            seed,
            Shape {
                max_pods,
                ..Shape::default()
            },
        )
    }

    /// A kind cluster of the shape a kind config gives it.
    pub fn with_shape(seed: u64, shape: Shape) -> Cluster {
        Cluster::with_shape_from(seed, shape, 0)
    }

    /// [`Cluster::with_shape`], its bootstrap beginning at `start`: the
    /// clock goes on from the cluster it replaces.
    pub fn with_shape_from(seed: u64, shape: Shape, start: Millis) -> Cluster {
        let mut cluster = Cluster::blank(seed, shape, start);
        super::bootstrap::bootstrap(&mut cluster);
        cluster.informed = cluster.store.resource_version();
        cluster
    }

    /// What is left once `kind delete cluster` removed the nodes: nothing
    /// stored and nothing running, while the clock goes on from `now`.
    pub fn deleted(seed: u64, now: Millis) -> Cluster {
        Cluster::blank(seed, Shape::default(), now)
    }

    /// Nothing stored or queued, its clock at `start`.
    fn blank(seed: u64, shape: Shape, start: Millis) -> Cluster {
        Cluster {
            store: Store::default(),
            now: start,
            queue: BTreeMap::new(),
            queued: FastMap::default(),
            seq: 0,
            rng: Rng::new(seed),
            kubelets: BTreeMap::new(),
            explanations: Explanations::default(),
            event_index: EventIndex::default(),
            event_leases: EventLeases::default(),
            index: Index::default(),
            volume_provisioning: FastMap::default(),
            retries: BTreeMap::new(),
            busy: BTreeMap::new(),
            stateful_pods: Rebuilt::default(),
            endpoints_views: Rebuilt::default(),
            slices: BTreeMap::new(),
            trigger_times: BTreeMap::new(),
            runtime: RuntimeData::default(),
            informed: 0,
            evictions: BTreeMap::new(),
            waiting_for_pods: Default::default(),
            shape,
            started: start,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> Millis {
        self.now
    }

    /// Its nodes and kubelets, as the kind config that made it gave them.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    pub fn explanations(&self) -> &Explanations {
        &self.explanations
    }

    /// Every change still in the store's log (all of them until it is
    /// compacted), one line each: virtual time in ms, watch event type, kind,
    /// namespace/name and resourceVersion; Events add their type, reason,
    /// object and message. Same seed and inputs give the same text.
    pub fn event_log(&self) -> String {
        let mut out = String::new();
        for change in self.store.log() {
            let object = &change.object;
            let rv = object.meta().resource_version.as_deref().unwrap_or("");
            let path = match object.namespace() {
                "" => object.name().to_string(),
                ns => format!("{ns}/{}", object.name()),
            };
            out.push_str(&format!(
                "{:>9} {} {} {path} rv={rv}",
                change.at,
                change.ty.as_str(),
                object.kind().name()
            ));
            if let Some(event) = object.as_typed::<k8s_openapi::api::core::v1::Event>() {
                let involved = &event.involved_object;
                out.push_str(&format!(
                    " {} {} {}/{}: {}",
                    event.type_.as_deref().unwrap_or(""),
                    event.reason.as_deref().unwrap_or(""),
                    involved.kind.as_deref().unwrap_or("").to_ascii_lowercase(),
                    involved.name.as_deref().unwrap_or(""),
                    event.message.as_deref().unwrap_or("")
                ));
            }
            out.push('\n');
        }
        out
    }

    /// Time of the next queued task, if any.
    pub fn next_due(&self) -> Option<Millis> {
        self.queue.keys().next().map(|(at, _)| *at)
    }

    pub fn is_settled(&self) -> bool {
        self.queue.is_empty()
    }

    // ---- the API, as clients (kubectl, controllers) call it ----

    /// Creates an object after apiserver decoding, defaulting, admission and validation.
    pub fn create(&mut self, mut object: Object) -> ApiResult<Rc<Object>> {
        super::strategy::prepare_for_create(&mut object, self.now);
        decode_and_default(&mut object);
        controllers::namespaces::admit_create(
            self,
            object.kind(),
            object.namespace(),
            object.name(),
        )?;
        if let Object::Pod(pod) = &object {
            controllers::service_accounts::admit(self, pod)?;
        }
        super::admission::admit(self, &mut object);
        let causes = super::validation::validate_create(&object);
        if !causes.is_empty() {
            return Err(ApiError::invalid(object.kind(), object.name(), causes));
        }
        if self.store.len() - self.store.count(Kind::Event) >= MAX_OBJECTS {
            return Err(ApiError::forbidden(format!(
                "{} \"{}\" is forbidden: stsplay holds at most {MAX_OBJECTS} objects; delete some first",
                object.kind().qualified_plural(),
                object.name()
            )));
        }
        let uid = self.rng.uuid();
        let created = self.store.create(object, uid, self.now)?;
        self.inform();
        Ok(created)
    }

    /// Replaces an object as a client does (defaults are applied again, then
    /// the update is validated against the stored object).
    pub fn update(&mut self, mut object: Object) -> ApiResult<Rc<Object>> {
        decode_and_default(&mut object);
        if let Some(old) = self.store.get(&object.key()).cloned() {
            super::strategy::prepare_for_update(&old, &mut object);
            let causes = super::validation::validate_update(&old, &mut object);
            if !causes.is_empty() {
                return Err(ApiError::invalid(object.kind(), object.name(), causes));
            }
            super::admission::admit_update(self, &old, &object)?;
        }
        let updated = self.store.update(object, self.now)?;
        self.inform();
        Ok(updated)
    }

    /// Writes an object's status through its status subresource: the rest
    /// of the object stays as stored.
    pub fn update_status(&mut self, object: Object) -> ApiResult<Rc<Object>> {
        let Some(old) = self.store.get(&object.key()).cloned() else {
            return Err(ApiError::not_found(object.kind(), object.name()));
        };
        let mut updated = (*old).clone();
        super::strategy::copy_status(&object, &mut updated);
        let updated = self.store.update(updated, self.now)?;
        self.inform();
        Ok(updated)
    }

    pub fn delete(&mut self, key: &ObjectKey, options: &DeleteOptions) -> ApiResult<Deleted> {
        controllers::namespaces::admit_delete(key)?;
        let result = match options.propagation {
            Propagation::Background => self.store.delete(key, options.grace_seconds, self.now)?,
            Propagation::Foreground | Propagation::Orphan => {
                let finalizer = match options.propagation {
                    Propagation::Orphan => "orphan",
                    _ => "foregroundDeletion",
                };
                let Some(current) = self.store.get(key).cloned() else {
                    return Err(super::errors::ApiError::not_found(key.kind, &key.name));
                };
                let mut marked = (*current).clone();
                let finalizers = marked.meta_mut().finalizers.get_or_insert_with(Vec::new);
                if !finalizers.iter().any(|f| f == finalizer) {
                    finalizers.push(finalizer.to_string());
                }
                marked.meta_mut().resource_version = None;
                self.store.update(marked, self.now)?;
                self.store.delete(key, options.grace_seconds, self.now)?
            }
        };
        self.inform();
        Ok(result)
    }

    // ---- the clock ----

    /// Runs the next task. Returns false when nothing is queued.
    pub fn run_next_task(&mut self) -> bool {
        let Some(((at, _), task)) = self.queue.pop_first() else {
            return false;
        };
        self.queued.remove(&*task);
        let task = Rc::try_unwrap(task).unwrap_or_else(|shared| (*shared).clone());
        self.expire_events(at);
        self.now = self.now.max(at);
        self.run(task);
        self.inform();
        true
    }

    /// Runs tasks until the store changes (one visible step), or nothing is left.
    /// Returns false when there was nothing to do.
    pub fn step(&mut self) -> bool {
        /// A step that finds nothing to show for this long (work whose
        /// events are only counted, never written) ends there anyway, so
        /// that Step and Play never run on without end.
        const QUIET_LIMIT: Millis = 60 * MINUTE;
        let before = self.store.resource_version();
        let until = self.now.saturating_add(QUIET_LIMIT);
        let mut ran = false;
        while self.store.resource_version() == before {
            if ran && self.now >= until {
                break;
            }
            if !self.run_next_task() {
                break;
            }
            ran = true;
        }
        ran
    }

    /// Like [`Cluster::step`], but runs only the tasks due by `deadline`, so
    /// a client waiting with a timeout never sees what comes after it.
    /// Returns false when nothing changed by then.
    pub fn step_until(&mut self, deadline: Millis) -> bool {
        let before = self.store.resource_version();
        while self.store.resource_version() == before {
            if self.next_due().is_none_or(|at| at > deadline) {
                return false;
            }
            self.run_next_task();
        }
        true
    }

    /// Moves the clock forward by `by`, running everything due on the way.
    pub fn advance(&mut self, by: Millis) {
        let until = self.now.saturating_add(by);
        while self.next_due().is_some_and(|at| at <= until) {
            self.run_next_task();
        }
        self.expire_events(until);
        self.now = until;
    }

    /// Deletes the Events whose time to live ran out by `upto`, each at the
    /// moment it expired. Expiry is not queued work: a cluster with nothing
    /// else to do is settled even while its Events wait to expire.
    fn expire_events(&mut self, upto: Millis) {
        let due = self.event_leases.take_due(&self.store, upto);
        if due.is_empty() {
            return;
        }
        for (at, key) in due {
            let _ = self.store.delete(&key, Some(0), at.max(self.now));
        }
        self.inform();
    }

    /// Runs until no work is queued, or until `max_time` of virtual time has
    /// passed (crash loops and image pull back-offs never settle).
    /// Returns true if the cluster settled.
    pub fn run_until_settled(&mut self, max_time: Millis) -> bool {
        let deadline = self.now.saturating_add(max_time);
        let mut tasks = 0;
        while let Some(at) = self.next_due() {
            if at > deadline || tasks >= SETTLE_MAX_TASKS {
                return false;
            }
            self.run_next_task();
            tasks += 1;
        }
        true
    }

    // ---- work queue ----

    /// Queues a task to run `delay` from now. A task already queued keeps the
    /// earlier of its two times, as a rate-limited work queue dedupes keys.
    pub(crate) fn enqueue(&mut self, task: Task, delay: Millis) {
        let mut at = self.now.saturating_add(delay);
        if let Some(&until) = self.busy.get(&task) {
            at = at.max(until);
        }
        if let Some(&(old_at, old_seq)) = self.queued.get(&task) {
            if old_at <= at {
                return;
            }
            self.queue.remove(&(old_at, old_seq));
        }
        self.seq += 1;
        let task = Rc::new(task);
        self.queue.insert((at, self.seq), task.clone());
        self.queued.insert(task, (at, self.seq));
    }

    /// Takes a task off the queue: work that no longer needs doing.
    pub(crate) fn dequeue(&mut self, task: &Task) {
        if let Some((at, seq)) = self.queued.remove(task) {
            self.queue.remove(&(at, seq));
        }
    }

    /// Drops the queued tasks `done` picks: work the cluster has already
    /// done by the time it is handed over.
    pub(crate) fn drop_queued(&mut self, done: impl Fn(&Task) -> bool) {
        let queued = std::mem::take(&mut self.queue);
        for (at, task) in queued {
            if done(&task) {
                self.queued.remove(&*task);
            } else {
                self.queue.insert(at, task);
            }
        }
    }

    /// A sync over `items` objects keeps its controller busy for a while
    /// (20 µs each, about what the real controllers spend): a work queue
    /// never runs one key twice at once, so changes meanwhile coalesce into
    /// the next sync. Small sets are unaffected; a 10,000-pod set syncs a
    /// few times a second instead of after every pod change.
    pub(crate) fn occupy(&mut self, task: Task, items: usize) {
        let cost = u64::try_from(items / 50).unwrap_or(u64::MAX);
        if cost == 0 {
            self.busy.remove(&task);
        } else {
            self.busy.insert(task, self.now.saturating_add(cost));
        }
    }

    /// Requeues a task whose work failed, 5 ms doubling per failure up to
    /// 1000 s, as client-go's default controller rate limiter does.
    pub(crate) fn retry_later(&mut self, task: Task) {
        let failures = self.retries.entry(task.clone()).or_insert(0);
        let delay = 5u64
            .saturating_mul(1u64 << (*failures).min(20))
            .min(1_000_000);
        *failures += 1;
        self.enqueue(task, delay);
    }

    /// The task succeeded: its next failure starts the delay over.
    pub(crate) fn forget_retries(&mut self, task: &Task) {
        self.retries.remove(task);
    }

    /// A small random delay in `lo..=hi` milliseconds, for reaction times.
    pub(crate) fn jitter(&mut self, lo: Millis, hi: Millis) -> Millis {
        self.rng.range(lo, hi)
    }

    fn run(&mut self, task: Task) {
        match task {
            Task::SyncStatefulSet(ns, name) => controllers::statefulset::sync(self, &ns, &name),
            Task::Schedule(ns, name) => controllers::scheduler::schedule(self, &ns, &name),
            Task::Provision(ns, name) => controllers::local_path::provision(self, &ns, &name),
            Task::SyncClaim(ns, name) => controllers::volumes::sync_claim(self, &ns, &name),
            Task::SyncVolume(name) => controllers::volumes::sync_volume(self, &name),
            Task::ResyncClaims => controllers::volumes::resync(self),
            Task::Kubelet(ns, name) => super::kubelet::sync_pod(self, &ns, &name),
            Task::SyncEndpoints(ns, name) => controllers::endpoints::sync(self, &ns, &name),
            Task::CollectGarbage(uid) => controllers::gc::collect(self, &uid),
            Task::ReleaseClaim(ns, name) => controllers::gc::release_claim(self, &ns, &name),
            Task::ReleaseVolume(name) => controllers::gc::release_volume(self, &name),
            Task::DeleteVolume(name) => controllers::volume_reclaim::delete_released(self, &name),
            Task::MonitorNode(node) => controllers::nodes::monitor(self, &node),
            Task::NodeStatus(node) => super::kubelet::sync_node_status(self, &node),
            Task::EvictPod(ns, name) => controllers::taint_eviction::evict(self, &ns, &name),
            Task::CollectOrphanPods(node) => controllers::nodes::collect_orphans(self, &node),
            Task::SyncNamespace(name) => controllers::namespaces::sync(self, &name),
            Task::PublishRootCa(name) => controllers::root_ca::sync(self, &name),
            Task::SyncServiceAccounts(name) => controllers::service_accounts::sync(self, &name),
            Task::SyncDisruptionBudget(ns, name) => controllers::disruption::sync(self, &ns, &name),
            Task::ExpandClaim(ns, name) => controllers::volume_expand::sync(self, &ns, &name),
            Task::KeepSystemPods(owner) => controllers::system_workloads::sync(self, &owner),
        }
    }

    /// Turns new store changes into queued work: the informers. Then
    /// compacts the log, keeping at least [`LOG_WINDOW`] changes for watches.
    pub(crate) fn inform(&mut self) {
        while let Some(event) = self
            .store
            .changes_since(self.informed)
            .ok()
            .and_then(|changes| changes.first())
            .cloned()
        {
            self.informed += 1;
            self.event_leases.observe(&event);
            self.index.observe(&event);
            controllers::route(self, &event);
            if event.ty == EventType::Deleted {
                match event.object.kind() {
                    super::object::Kind::Pod => self.runtime.forget_pod(event.object.uid()),
                    super::object::Kind::PersistentVolume => {
                        self.runtime.forget_volume(event.object.name())
                    }
                    _ => {}
                }
            }
        }
        // Compacting in chunks keeps the cost per change constant.
        if self.store.log().len() >= 2 * LOG_WINDOW || self.store.log_weight() >= 2 * LOG_WEIGHT {
            let upto = self.store.fit(LOG_WINDOW, LOG_WEIGHT);
            self.store.compact(upto.min(self.informed));
        }
    }

    // ---- helpers for controllers ----

    /// Writes a changed object, ignoring conflicts the way a controller
    /// retries on its next sync.
    pub(crate) fn write(&mut self, object: Object) -> Option<Rc<Object>> {
        let mut object = object;
        object.meta_mut().resource_version = None;
        self.store.update(object, self.now).ok()
    }

    /// The kubelet's PUT to pods/status.
    pub(crate) fn write_pod_status(
        &mut self,
        namespace: &str,
        name: &str,
        status: k8s_openapi::api::core::v1::PodStatus,
    ) -> Option<Rc<Object>> {
        self.store
            .update_pod_status(namespace, name, status, self.now)
            .ok()
    }

    /// The scheduler's POST to pods/binding: the pod with its node set.
    pub(crate) fn bind(&mut self, pod: Object) -> Option<Rc<Object>> {
        let mut pod = pod;
        pod.meta_mut().resource_version = None;
        self.store.bind(pod, self.now).ok()
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::Pod;

    use super::*;

    #[test]
    fn a_status_write_does_not_wake_the_kubelet_but_a_label_change_does() {
        let mut cluster = Cluster::new(7);
        let manifest = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "namespace": "default"},
            "spec": {"nodeName": "kind-worker", "containers": [{"name": "c", "image": "nginx"}]}
        });
        let pod = Object::from_json(Kind::Pod, manifest).expect("the pod decodes");
        assert!(cluster.create(pod).is_ok());
        assert!(cluster.run_until_settled(10 * MINUTE));
        let stored = |cluster: &Cluster| {
            cluster
                .store
                .get_typed::<Pod>("default", "p")
                .cloned()
                .expect("the pod")
        };
        let mut status = stored(&cluster).status.expect("a status");
        status.message = Some("noted".to_string());
        assert!(cluster.write_pod_status("default", "p", status).is_some());
        cluster.inform();
        assert!(cluster.is_settled(), "a status write queues no pod sync");
        let mut pod = stored(&cluster);
        pod.metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert("tier".to_string(), "web".to_string());
        assert!(cluster.update(Object::Pod(Box::new(pod))).is_ok());
        assert!(
            !cluster.is_settled(),
            "a label change makes its kubelet sync the pod"
        );
    }
}
