//! A fake kubelet per node. Each pod gets a small runtime state machine
//! (sandbox → image pull → start → run/exit → restart with back-off,
//! probes, and graceful termination) whose transitions happen at virtual
//! times; after each transition the kubelet writes the pod's status and
//! events as the real one does (kubernetes-fidelity.md §2).
//!
//! A kubelet can be cut off from the control plane (a node fault): it then
//! neither reports nor acts on API changes until it is reconnected.

mod adopt;
mod container;
mod env;
mod hooks;
mod node_status;
mod non_root;
mod probes;
mod puller;
mod scripts;
mod status;
mod volumes;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::Pod;

pub use self::adopt::adopt;
pub(crate) use self::container::Ctr;
pub use self::container::SIGKILL_EXIT;
use self::container::{Context, Emitted};
pub use self::node_status::{node_changed, sync_node_status};
pub use self::probes::{timed_out, AppHealth, ExecResult};
use self::puller::NodeImages;
pub use self::status::process_user;
use super::bootstrap::node_ip;
use super::clock::{Millis, SECOND};
use super::cluster::{Cluster, DeleteOptions, Task};
use super::events::{field_reference, record_about, reference, EventKind, Source};
use super::fast_hash::FastMap;
use super::images::Behaviour;
use super::object::{Kind, Object, ObjectKey};
use super::pod_containers::List;
use super::pods;
use super::rng::Rng;
use super::runtime_data::RuntimeData;

#[derive(Clone, Debug)]
pub struct Kubelet {
    pub node: String,
    images: NodeImages,
    ips: PodIps,
    pods: FastMap<(String, String), PodRuntime>,
    /// False while the node is cut off from the control plane.
    pub connected: bool,
    /// Whether the node was cordoned when the kubelet last said so.
    unschedulable: bool,
}

/// The node's pod CIDR (10.244.<node>.0/24), handed out as host-local IPAM
/// does: round-robin from the last address given, skipping the ones in use.
#[derive(Clone, Debug)]
struct PodIps {
    /// The node's index in the cluster, which also numbers its InternalIP.
    node: u8,
    next: u32,
    /// Pods holding each host address. A real node never runs more pods than
    /// its /24 has addresses (kind's max-pods is 110); a simulated one can,
    /// and then addresses are shared.
    used: BTreeMap<u32, usize>,
}

const FIRST_HOST: u32 = 2;
const LAST_HOST: u32 = 254;

impl PodIps {
    fn allocate(&mut self) -> String {
        let hosts = LAST_HOST - FIRST_HOST + 1;
        // Past capacity every address is taken: share the next one at once.
        let full = self.used.len() >= hosts as usize;
        let free = (!full)
            .then(|| {
                (0..hosts)
                    .map(|i| FIRST_HOST + (self.next - FIRST_HOST + i) % hosts)
                    .find(|h| !self.used.contains_key(h))
            })
            .flatten();
        let host = free.unwrap_or(self.next);
        *self.used.entry(host).or_default() += 1;
        self.next = if host >= LAST_HOST {
            FIRST_HOST
        } else {
            host + 1
        };
        format!("10.244.{}.{host}", self.node)
    }

    fn release(&mut self, ip: Option<&str>) {
        let cidr = format!("10.244.{}.", self.node);
        let Some(host) = ip
            .and_then(|ip| ip.strip_prefix(&cidr))
            .and_then(|host| host.parse::<u32>().ok())
        else {
            return;
        };
        if let Some(holders) = self.used.get_mut(&host) {
            *holders -= 1;
            if *holders == 0 {
                self.used.remove(&host);
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct PodRuntime {
    uid: String,
    ip: Option<String>,
    started_at: Millis,
    sandbox_ready: bool,
    /// Whether the kubelet has written this pod's status yet.
    reported: bool,
    /// The init progress the last written status showed: each step is a
    /// sync's end, and written (Init:1/2, then PodInitializing).
    reported_init: InitProgress,
    /// The init containers, run one after another before the others (a
    /// sidecar, one with restartPolicy Always, counts as done once started
    /// and keeps running).
    init: Vec<Ctr>,
    containers: Vec<Ctr>,
    /// The ephemeral containers `kubectl debug` added: started once the
    /// sandbox is up, never restarted.
    ephemeral: Vec<Ctr>,
    stopping: Option<Millis>,
    /// ConfigMap volumes not mounted yet: the sandbox waits for them.
    mounting: Option<volumes::Mounting>,
    /// A static pod's manifest: the kubelet runs it whatever the API says,
    /// and puts its mirror pod back when that is deleted.
    manifest: Option<std::rc::Rc<Object>>,
}

/// How far a pod's init containers are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitProgress {
    /// All done (or none): the other containers run.
    Done,
    /// This one runs (or waits to); the ones after it wait.
    Running(usize),
    /// One failed for good (restartPolicy Never): the pod fails.
    Failed,
}

impl PodRuntime {
    pub fn init_progress(&self) -> InitProgress {
        for (i, c) in self.init.iter().enumerate() {
            if c.sidecar() {
                if c.started() {
                    continue;
                }
                return InitProgress::Running(i);
            }
            match &c.stage {
                container::Stage::Exited {
                    term,
                    restart_at: None,
                    ..
                } if term.code == 0 => {}
                container::Stage::Exited {
                    restart_at: None, ..
                } => return InitProgress::Failed,
                _ => return InitProgress::Running(i),
            }
        }
        InitProgress::Done
    }

    /// Every container, init ones first, ephemeral ones last.
    fn all(&self) -> impl Iterator<Item = &Ctr> {
        self.init
            .iter()
            .chain(&self.containers)
            .chain(&self.ephemeral)
    }

    fn all_mut(&mut self) -> impl Iterator<Item = &mut Ctr> {
        self.init
            .iter_mut()
            .chain(&mut self.containers)
            .chain(&mut self.ephemeral)
    }

    /// The containers this sync moves on: the init containers up to the
    /// one that runs, or once they are done the sidecars and the others;
    /// and the ephemeral ones, which wait for nothing but the sandbox.
    fn active(&self) -> Vec<(List, usize)> {
        let mut active: Vec<(List, usize)> = match self.init_progress() {
            InitProgress::Running(current) => (0..=current).map(|i| (List::Init, i)).collect(),
            InitProgress::Done => (0..self.init.len())
                .filter(|&i| self.init[i].sidecar())
                .map(|i| (List::Init, i))
                .chain((0..self.containers.len()).map(|i| (List::Main, i)))
                .collect(),
            InitProgress::Failed => Vec::new(),
        };
        if self.sandbox_ready {
            active.extend((0..self.ephemeral.len()).map(|i| (List::Ephemeral, i)));
        }
        active
    }

    fn list_mut(&mut self, list: List) -> &mut Vec<Ctr> {
        match list {
            List::Init => &mut self.init,
            List::Main => &mut self.containers,
            List::Ephemeral => &mut self.ephemeral,
        }
    }

    fn container(&self, (list, i): (List, usize)) -> &Ctr {
        match list {
            List::Init => &self.init[i],
            List::Main => &self.containers[i],
            List::Ephemeral => &self.ephemeral[i],
        }
    }

    /// Takes on the ephemeral containers added to the pod since the last sync.
    fn add_ephemeral(&mut self, pod: &Pod, now: Millis) {
        let spec = pod.spec.as_ref();
        let added = spec
            .into_iter()
            .flat_map(|s| s.ephemeral_containers.iter().flatten())
            .skip(self.ephemeral.len());
        let added: Vec<Ctr> = added
            .map(|e| Ctr::new(&super::pod_containers::as_container(e), now))
            .collect();
        self.ephemeral.extend(added);
    }
}

impl Kubelet {
    pub fn new(node: &str, index: u8) -> Kubelet {
        Kubelet {
            node: node.to_string(),
            images: NodeImages::default(),
            ips: PodIps {
                node: index,
                next: FIRST_HOST,
                used: BTreeMap::new(),
            },
            pods: FastMap::default(),
            connected: true,
            unschedulable: false,
        }
    }

    /// Images the node has before it pulls any.
    pub fn preload(&mut self, images: impl IntoIterator<Item = String>) {
        self.images.extend(images);
    }

    /// Drops a pod's runtime state, giving its address back.
    fn forget(&mut self, key: &(String, String)) {
        if let Some(runtime) = self.pods.remove(key) {
            self.ips.release(runtime.ip.as_deref());
        }
    }

    /// Pods this kubelet runs containers for, in key order.
    pub fn pod_keys(&self) -> Vec<(String, String)> {
        let mut keys: Vec<(String, String)> = self.pods.keys().cloned().collect();
        keys.sort_unstable();
        keys
    }

    /// The node's InternalIP.
    pub fn host_ip(&self) -> String {
        node_ip(usize::from(self.ips.node))
    }
}

/// Why a fault could not be applied to a container.
pub type FaultResult = Result<(), String>;

/// Runs `change` on one container of a running pod, then lets the kubelet
/// react at once. `container` None means the pod's first container.
pub(crate) fn with_container(
    cluster: &mut Cluster,
    target: &crate::sim::faults::Target,
    change: impl FnOnce(&mut Ctr, Millis) -> FaultResult,
) -> FaultResult {
    let (namespace, pod, container) = (
        target.namespace.as_str(),
        target.pod.as_str(),
        target.container.as_deref(),
    );
    let key = (namespace.to_string(), pod.to_string());
    let node = cluster
        .store
        .get_typed::<Pod>(namespace, pod)
        .and_then(|p| pods::node_name(p).map(str::to_string))
        .ok_or_else(|| format!("pod \"{pod}\" is not running on a node"))?;
    let now = cluster.now();
    let kubelet = cluster
        .kubelets
        .get_mut(&node)
        .ok_or_else(|| format!("node \"{node}\" has no kubelet"))?;
    if !kubelet.connected {
        return Err(format!("node \"{node}\" is not reachable"));
    }
    let runtime = kubelet
        .pods
        .get_mut(&key)
        .ok_or_else(|| format!("pod \"{pod}\" has no containers yet"))?;
    let ctr = match container {
        Some(name) => runtime.containers.iter_mut().find(|c| c.name() == name),
        None => runtime.containers.first_mut(),
    }
    .ok_or_else(|| {
        format!(
            "container \"{}\" not found in pod \"{pod}\"",
            container.unwrap_or("")
        )
    })?;
    change(ctr, now)?;
    cluster.enqueue(Task::Kubelet(namespace.to_string(), pod.to_string()), 0);
    Ok(())
}

/// SIGKILL a running container (exit 137); it restarts per its policy.
pub(crate) fn kill_container(ctr: &mut Ctr, now: Millis) -> FaultResult {
    if !ctr.is_running() {
        return Err(format!("container \"{}\" is not running", ctr.name()));
    }
    ctr.kill(now);
    Ok(())
}

pub fn sync_pod(cluster: &mut Cluster, namespace: &str, name: &str) {
    let key = (namespace.to_string(), name.to_string());
    let object = cluster.store.get_named(Kind::Pod, namespace, name).cloned();
    let node = object
        .as_deref()
        .and_then(Object::as_typed::<Pod>)
        .and_then(pods::node_name)
        .map(str::to_string);
    let (Some(object), Some(node)) = (object, node) else {
        // The pod is gone (or was never bound): its kubelet forgets it, or
        // puts the mirror of its static pod back.
        let mut manifests = Vec::new();
        for kubelet in cluster.kubelets.values_mut().filter(|k| k.connected) {
            match kubelet.pods.get(&key).and_then(|r| r.manifest.clone()) {
                Some(manifest) => manifests.push(manifest),
                None => kubelet.forget(&key),
            }
        }
        for manifest in manifests {
            adopt::remirror(cluster, &manifest);
        }
        return;
    };
    let Some(pod) = object.as_typed::<Pod>() else {
        return;
    };
    if pods::is_mirror(pod) && pods::is_terminating(pod) {
        // Deleting a mirror pod stops nothing: the kubelet removes it at once
        // and makes it again (above, once the deletion is seen).
        let now = DeleteOptions {
            grace_seconds: Some(0),
            ..Default::default()
        };
        let _ = cluster.delete(&ObjectKey::new(Kind::Pod, namespace, name), &now);
        return;
    }
    let now = cluster.now();
    scripts::follow(cluster, &node, pod, now);
    run_exec_probes(cluster, &node, pod, now);
    hooks::run_due(cluster, &node, pod);
    let mount_failures = volumes::mount_failures(&cluster.store, pod);
    let config_errors = env::config_errors(&cluster.store, pod);
    let Cluster {
        kubelets,
        rng,
        runtime: data,
        ..
    } = cluster;
    let Some(kubelet) = kubelets.get_mut(&node).filter(|k| k.connected) else {
        return;
    };
    let host_ip = kubelet.host_ip();
    let Kubelet {
        pods: runtimes,
        images,
        ips,
        ..
    } = kubelet;
    let uid = pod.metadata.uid.as_deref().unwrap_or("");
    let runtime = match runtimes.entry(key) {
        Entry::Occupied(entry) => {
            let runtime = entry.into_mut();
            if runtime.uid != uid {
                ips.release(runtime.ip.as_deref());
                *runtime = new_runtime(rng, now, pod, uid);
            }
            runtime
        }
        Entry::Vacant(entry) => entry.insert(new_runtime(rng, now, pod, uid)),
    };
    if runtime.stopping.is_none() {
        runtime.add_ephemeral(pod, now);
    }
    let mut emitted = ByContainer::new();
    let mut node_state = NodeState {
        rng,
        data,
        images,
        ips,
    };
    mount(runtime, &mount_failures, now, &mut emitted);
    advance(
        &mut node_state,
        runtime,
        pod,
        &config_errors,
        now,
        &mut emitted,
    );
    let finished = runtime.stopping.is_some() && runtime.all().all(|c| !c.is_running());
    let new_status = status::pod_status(runtime, pod, host_ip, now);
    // The kubelet writes a status when it starts a pod sync (the first one:
    // Pending, ContainerCreating) and when one ends; not while it is still
    // creating the sandbox and pulling and starting containers.
    let active = runtime.active();
    let syncing = active.iter().any(|&which| {
        let ctr = runtime.container(which);
        ctr.starting()
            || matches!(
                ctr.stage,
                container::Stage::Creating { .. } | container::Stage::Pulling { .. }
            )
    });
    let progress = runtime.init_progress();
    let reports = !runtime.reported
        || !syncing
        || runtime.stopping.is_some()
        || progress != runtime.reported_init;
    runtime.reported |= reports;
    if reports {
        runtime.reported_init = progress;
    }
    let wake = active
        .iter()
        .filter_map(|&which| runtime.container(which).next_wake())
        .min();

    record_emitted(cluster, &object, &node, emitted);
    if reports && pod.status.as_ref() != Some(&new_status) {
        cluster.write_pod_status(namespace, name, new_status);
    } else if finished {
        // Containers are stopped and the terminal status is written: remove the pod.
        let grace = DeleteOptions {
            grace_seconds: Some(0),
            ..Default::default()
        };
        let _ = cluster.delete(&ObjectKey::new(Kind::Pod, namespace, name), &grace);
        if let Some(k) = cluster.kubelets.get_mut(&node) {
            k.forget(&(namespace.to_string(), name.to_string()));
        }
        return;
    }
    let task = Task::Kubelet(namespace.to_string(), name.to_string());
    if finished {
        let delay = cluster.jitter(100, 400);
        cluster.enqueue(task, delay);
    } else if let Some(at) = wake {
        cluster.enqueue(task, at.saturating_sub(now));
    }
}

/// What one pod's sync may change besides the pod's own runtime state.
struct NodeState<'a> {
    rng: &'a mut Rng,
    data: &'a mut RuntimeData,
    images: &'a mut NodeImages,
    ips: &'a mut PodIps,
}

fn new_runtime(rng: &mut Rng, now: Millis, pod: &Pod, uid: &str) -> PodRuntime {
    let sandbox = now + rng.range(400, 1_200);
    let spec = pod.spec.as_ref();
    let containers = spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .map(|c| Ctr::new(c, sandbox))
        .collect();
    let init = spec
        .iter()
        .flat_map(|s| s.init_containers.iter().flatten())
        .map(|c| Ctr::new(c, sandbox))
        .collect();
    PodRuntime {
        uid: uid.to_string(),
        ip: None,
        started_at: now,
        sandbox_ready: false,
        reported: false,
        reported_init: InitProgress::Running(0),
        init,
        containers,
        ephemeral: Vec::new(),
        stopping: None,
        mounting: volumes::Mounting::new(pod, now, sandbox),
        manifest: None,
    }
}

/// The volume manager's try at the pod's ConfigMap volumes, when one is
/// due: FailedMount for each that cannot be mounted (an event about the pod,
/// not a container), or the sandbox's go-ahead. Until then the containers
/// wait in ContainerCreating, waking at the next try.
fn mount(runtime: &mut PodRuntime, failures: &[String], now: Millis, emitted: &mut ByContainer) {
    let Some(mounting) = runtime.mounting.as_mut() else {
        return;
    };
    if runtime.stopping.is_some() {
        runtime.mounting = None;
        return;
    }
    let until = if mounting.next_try > now {
        mounting.next_try
    } else if failures.is_empty() {
        let sandbox = mounting.sandbox_at(now);
        runtime.mounting = None;
        sandbox
    } else {
        for message in failures {
            emitted.push((
                String::new(),
                (EventKind::Warning, "FailedMount", message.clone()),
            ));
        }
        mounting.failed(now);
        mounting.next_try
    };
    for c in runtime.all_mut() {
        if let container::Stage::Creating { until: at } = &mut c.stage {
            *at = until;
        }
    }
}

/// Events of a sync, each with the field path of the container it is about
/// (empty for the pod itself).
type ByContainer = Vec<(String, (EventKind, &'static str, String))>;

/// Records the Events a sync emitted, about the pod or the container each names.
fn record_emitted(cluster: &mut Cluster, object: &Object, node: &str, emitted: ByContainer) {
    let source = Source {
        component: "kubelet",
        host: Some(node),
    };
    for (field_path, (kind, reason, message)) in emitted {
        let involved = if field_path.is_empty() {
            reference(object)
        } else {
            field_reference(object, &field_path)
        };
        record_about(cluster, object, involved, kind, reason, message, source);
    }
}

fn tag(emitted: &mut ByContainer, c: &Ctr, list: List, events: Emitted) {
    if events.is_empty() {
        return;
    }
    let path = list.path(c.name());
    emitted.extend(events.into_iter().map(|e| (path.clone(), e)));
}

/// Runs the exec probes due now in their containers, as the CRI's
/// ExecSync does for the prober, for the sync that judges them: a command
/// sees the container's files as its main process has left them.
fn run_exec_probes(cluster: &mut Cluster, node: &str, pod: &Pod, now: Millis) {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    let name = pod.metadata.name.as_deref().unwrap_or("");
    let Some(runtime) = runtime_of(cluster, node, pod) else {
        return;
    };
    let due: Vec<(String, usize, Vec<String>, Millis)> = runtime
        .all()
        .filter(|c| c.is_running())
        .flat_map(|c| {
            c.probers.iter().enumerate().filter_map(|(i, p)| {
                let command = p.exec_command()?;
                let timeout = p.exec_timeout()?;
                p.next_at
                    .is_some_and(|at| at <= now)
                    .then(|| (c.name().to_string(), i, command.to_vec(), timeout))
            })
        })
        .collect();
    for (container, i, command, timeout) in due {
        let result =
            crate::container::exec_probe(cluster, namespace, name, &container, &command, timeout);
        let uid = pod.metadata.uid.as_deref().unwrap_or("");
        let changing = cluster
            .runtime
            .current(uid, &container)
            .is_some_and(|run| run.played_to != Some(Millis::MAX));
        let prober = runtime_of_mut(cluster, node, pod)
            .and_then(|r| r.all_mut().find(|c| c.name() == container))
            .and_then(|c| c.probers.get_mut(i));
        if let Some(prober) = prober {
            prober.exec_result = Some(result);
            prober.exec_changing = changing;
        }
    }
}

/// What `node`'s kubelet runs of `pod` (this pod, not an earlier one of its name).
fn runtime_of<'a>(cluster: &'a Cluster, node: &str, pod: &Pod) -> Option<&'a PodRuntime> {
    cluster
        .kubelets
        .get(node)
        .and_then(|k| k.pods.get(&pod_key(pod)))
        .filter(|r| Some(r.uid.as_str()) == pod.metadata.uid.as_deref())
}

fn runtime_of_mut<'a>(
    cluster: &'a mut Cluster,
    node: &str,
    pod: &Pod,
) -> Option<&'a mut PodRuntime> {
    cluster
        .kubelets
        .get_mut(node)
        .and_then(|k| k.pods.get_mut(&pod_key(pod)))
        .filter(|r| Some(r.uid.as_str()) == pod.metadata.uid.as_deref())
}

fn pod_key(pod: &Pod) -> (String, String) {
    let meta = &pod.metadata;
    (
        meta.namespace.clone().unwrap_or_default(),
        meta.name.clone().unwrap_or_default(),
    )
}

/// Someone ran commands in a pod's containers (`kubectl exec`), which may
/// have changed what exec probes see: quiet probes check again on their beat.
pub fn commands_ran(cluster: &mut Cluster, namespace: &str, pod: &str) {
    let key = (namespace.to_string(), pod.to_string());
    let now = cluster.now();
    let mut woke = false;
    for kubelet in cluster.kubelets.values_mut() {
        if let Some(runtime) = kubelet.pods.get_mut(&key) {
            runtime.all_mut().for_each(scripts::touched);
            let probed = |c: &&mut Ctr| c.probers.iter().any(|p| p.exec_command().is_some());
            for ctr in runtime.all_mut().filter(probed) {
                let health = ctr.health;
                ctr.set_health(health, now);
                woke = true;
            }
        }
    }
    if woke {
        cluster.enqueue(Task::Kubelet(key.0, key.1), 0);
    }
}

/// Applies every transition that is due at `now`.
fn advance(
    node: &mut NodeState<'_>,
    runtime: &mut PodRuntime,
    pod: &Pod,
    config_errors: &[(String, String)],
    now: Millis,
    emitted: &mut ByContainer,
) {
    let spec = pod.spec.as_ref();
    let restart_policy = spec
        .and_then(|s| s.restart_policy.as_deref())
        .unwrap_or("Always");
    let pod_grace = spec
        .and_then(|s| s.termination_grace_period_seconds)
        .unwrap_or(30)
        .max(0);
    if pods::is_terminating(pod) && runtime.stopping.is_none() {
        let grace = pod
            .metadata
            .deletion_grace_period_seconds
            .unwrap_or(30)
            .max(0) as Millis
            * SECOND;
        runtime.stopping = Some(now + grace);
        for list in [List::Init, List::Main, List::Ephemeral] {
            for c in runtime.list_mut(list).iter_mut() {
                let mut events = Emitted::new();
                c.stop_for_deletion(node.rng, now, grace, &mut events);
                tag(emitted, c, list, events);
            }
        }
    }
    let stopping = runtime.stopping.is_some();
    let sandbox_due = runtime
        .all()
        .all(|c| !matches!(c.stage, container::Stage::Creating { until } if until > now));
    if !runtime.sandbox_ready && sandbox_due && !stopping {
        runtime.sandbox_ready = true;
        // A host-network pod has the node's own address and takes none of the pod CIDR's.
        let host_network = spec.and_then(|s| s.host_network) == Some(true);
        runtime.ip = Some(if host_network {
            node_ip(usize::from(node.ips.node))
        } else {
            node.ips.allocate()
        });
    }
    // Read before the loop borrows the containers.
    let (ip, uid) = (runtime.ip.clone(), runtime.uid.clone());
    // SyncPod starts the regular containers in order, each pulled, created,
    // started and past its postStart hook before the next.
    let mut earlier_starting = false;
    for (list, i) in runtime.active() {
        let c = &mut runtime.list_mut(list)[i];
        // Init containers run to completion: restarted only when they fail
        // (not at all under Never); a sidecar restarts always. Ephemeral
        // containers never restart.
        let restart_policy = match (list, c.sidecar(), restart_policy) {
            (List::Main, _, policy) => policy,
            (List::Ephemeral, _, _) => "Never",
            (List::Init, true, _) => "Always",
            (List::Init, false, "Never") => "Never",
            (List::Init, false, _) => "OnFailure",
        };
        let probe_grace = [&c.spec.liveness_probe, &c.spec.startup_probe]
            .into_iter()
            .flatten()
            .find_map(|p| p.termination_grace_period_seconds)
            .unwrap_or(pod_grace)
            .max(0) as Millis;
        let ctx = Context {
            restart_policy,
            stopping,
            pod_ref: status::PodRef(pod),
            config_error: config_errors
                .iter()
                .find(|(name, _)| name == c.name())
                .map(|(_, error)| error.as_str()),
            ip: ip.as_deref(),
            grace: probe_grace * SECOND,
            held: list == List::Main && earlier_starting,
        };
        let before = c.id.clone();
        let mut events = Emitted::new();
        c.advance(node.rng, node.images, &ctx, now, &mut events);
        earlier_starting |= list == List::Main && c.being_started();
        tag(emitted, c, list, events);
        if let Some(id) = c.id.as_ref().filter(|id| before.as_ref() != Some(*id)) {
            node.data.container_started(&uid, c.name(), id, now);
        }
    }
}

/// Cuts the kubelet off from the control plane (true) or reconnects it.
/// Reconnecting makes it catch up with every pod it knows or is bound to.
pub fn set_connected(cluster: &mut Cluster, node: &str, connected: bool) {
    let Some(kubelet) = cluster.kubelets.get_mut(node) else {
        return;
    };
    if kubelet.connected == connected {
        return;
    }
    kubelet.connected = connected;
    if !connected {
        return;
    }
    let mut keys: BTreeSet<(String, String)> = kubelet.pod_keys().into_iter().collect();
    // Back in touch, its first status update also reports a cordon it missed.
    cluster.enqueue(Task::NodeStatus(node.to_string()), 0);
    keys.extend(cluster.index.pods_on_node(node));
    for (ns, name) in keys {
        cluster.enqueue(Task::Kubelet(ns, name), 0);
    }
}

/// A container as the kubelet running its pod has it.
fn ctr<'a>(cluster: &'a Cluster, namespace: &str, pod: &str, container: &str) -> Option<&'a Ctr> {
    let key = (namespace.to_string(), pod.to_string());
    cluster
        .kubelets
        .values()
        .filter_map(|k| k.pods.get(&key))
        .flat_map(PodRuntime::all)
        .find(|c| c.name() == container)
}

/// Whether a container's main process runs now, as its kubelet knows it
/// before the next sync writes the pod's status.
pub fn process_alive(cluster: &Cluster, namespace: &str, pod: &str, container: &str) -> bool {
    ctr(cluster, namespace, pod, container).is_some_and(|c| c.alive_at(cluster.now()))
}

/// Checks an exec probe skipped while it was quiet.
pub struct QuietChecks {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub command: Vec<String>,
    pub times: Vec<Millis>,
}

/// The exec probe checks skipped while their probes were quiet, up to
/// now (`Prober::quiet_checks`).
pub fn quiet_exec_checks(cluster: &mut Cluster) -> Vec<QuietChecks> {
    let now = cluster.now();
    let mut owed = Vec::new();
    for kubelet in cluster.kubelets.values_mut() {
        for ((namespace, pod), runtime) in kubelet.pods.iter_mut() {
            for ctr in runtime.all_mut().filter(|c| c.alive_at(now)) {
                let name = ctr.name().to_string();
                for prober in &mut ctr.probers {
                    let times = prober.quiet_checks(now);
                    if let (false, Some(command)) = (times.is_empty(), prober.exec_command()) {
                        owed.push(QuietChecks {
                            namespace: namespace.clone(),
                            pod: pod.clone(),
                            container: name.clone(),
                            command: command.to_vec(),
                            times,
                        });
                    }
                }
            }
        }
    }
    owed
}

/// What a container's main process does, as this pod's kubelet started it.
pub fn behaviour(
    cluster: &Cluster,
    namespace: &str,
    pod: &str,
    container: &str,
) -> Option<Behaviour> {
    ctr(cluster, namespace, pod, container).and_then(|c| c.behaviour.clone().ok())
}

/// A container's main process ended by itself with `code`: the shell that
/// `kubectl run -it` attached to was exited. Returns false if it was not running.
pub fn main_process_exited(
    cluster: &mut Cluster,
    namespace: &str,
    pod: &str,
    container: &str,
    code: i32,
) -> bool {
    end_main(cluster, namespace, pod, container, |c, now| {
        c.exit(now, code)
    })
}

/// A process in the container passed its memory limit: the OOM killer ends
/// the container now.
pub fn oom_killed(cluster: &mut Cluster, namespace: &str, pod: &str, container: &str) -> bool {
    end_main(cluster, namespace, pod, container, |c, now| {
        let killed = c.exit(now, SIGKILL_EXIT);
        if killed {
            c.oom_at = Some(now);
        }
        killed
    })
}

fn end_main(
    cluster: &mut Cluster,
    namespace: &str,
    pod: &str,
    container: &str,
    end: impl Fn(&mut Ctr, Millis) -> bool,
) -> bool {
    let now = cluster.now();
    let key = (namespace.to_string(), pod.to_string());
    let mut exited = false;
    for runtime in cluster
        .kubelets
        .values_mut()
        .filter_map(|k| k.pods.get_mut(&key))
    {
        for c in runtime.all_mut().filter(|c| c.name() == container) {
            exited |= end(c, now);
        }
    }
    if exited {
        cluster.enqueue(Task::Kubelet(namespace.to_string(), pod.to_string()), 0);
    }
    exited
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ips() -> PodIps {
        PodIps {
            node: 1,
            next: FIRST_HOST,
            used: BTreeMap::new(),
        }
    }

    #[test]
    fn addresses_go_round_robin_and_skip_the_ones_in_use() {
        let mut ips = ips();
        let first = ips.allocate();
        assert_eq!(first, "10.244.1.2");
        for _ in 3..=LAST_HOST {
            ips.allocate();
        }
        // A freed address is only reused once the range wraps around to it,
        // and a pod that kept its address keeps it to itself.
        ips.release(Some("10.244.1.7"));
        assert_eq!(ips.allocate(), "10.244.1.7");
        ips.release(Some("10.244.1.100"));
        ips.release(Some("10.244.1.3"));
        assert_eq!(ips.allocate(), "10.244.1.100");
        assert_eq!(ips.allocate(), "10.244.1.3");
        // Full: past a real node's capacity, addresses are shared.
        let shared = ips.allocate();
        assert!(shared.starts_with("10.244.1."));
        ips.release(Some(&shared));
        assert_eq!(ips.used.values().sum::<usize>(), 253);
    }
}
