//! What a fresh kind cluster already has: namespaces, its nodes (a control
//! plane and, unless a kind config says otherwise, two workers), the
//! default StorageClass and the `kubernetes` Service with the endpoints
//! the apiserver keeps for it.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    DaemonEndpoint, EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Namespace, Node,
    NodeAddress, NodeCondition, NodeDaemonEndpoints, NodeSpec, NodeStatus, NodeSystemInfo, Service,
    ServicePort, ServiceSpec, Taint,
};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointSlice};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::clock::{time, Millis, HANDOVER, SECOND};
use super::cluster::{Cluster, Task};
use super::controllers::{root_ca, service_accounts};
use super::defaults::DEFAULT_STORAGE_CLASS;
use super::kubelet::Kubelet;
use super::last_applied::{self, LAST_APPLIED};
use super::node_events;
use super::object::{Kind, Object};
use super::rng::Rng;
use super::system_pods::{self, with_own_draws, Phase};

pub const KUBERNETES_VERSION: &str = "v1.34.0";

/// The name kind gives a cluster when it is given none.
pub const DEFAULT_CLUSTER: &str = "kind";

/// What a kind config decides about the cluster: its name (which its nodes
/// are named after), how many workers join the control plane (a config's
/// `nodes:` list), the labels a node's kubelet registers it with (a node's
/// `labels:`), and how many pods each kubelet takes (`kubeletExtraArgs:
/// {max-pods: "N"}` in a kubeadm patch).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    pub name: String,
    pub workers: usize,
    pub max_pods: u32,
    /// Extra labels by node index (0 is the control plane).
    pub labels: BTreeMap<usize, BTreeMap<String, String>>,
}

/// The most workers stsplay simulates: enough for any tutorial's drain
/// and anti-affinity steps, few enough for a workshop laptop.
pub const MAX_WORKERS: usize = 16;

impl Default for Shape {
    /// A small multi-node kind cluster: a control plane and two workers.
    fn default() -> Shape {
        Shape {
            name: DEFAULT_CLUSTER.to_string(),
            workers: 2,
            max_pods: crate::sim::cluster::KIND_MAX_PODS,
            labels: BTreeMap::new(),
        }
    }
}

impl Shape {
    /// The nodes' names, in the order they join (which is each one's index
    /// in the node addresses and pod CIDRs): kind numbers its workers
    /// `kind-worker`, `kind-worker2`, … after the cluster's name.
    pub fn node_names(&self) -> Vec<String> {
        (0..=self.workers.min(MAX_WORKERS))
            .map(|index| self.node_name(index))
            .collect()
    }

    /// The control plane's node, `kind-control-plane` in cluster `kind`.
    pub fn control_plane(&self) -> String {
        self.node_name(0)
    }

    /// The first node that takes workloads: the first worker, or the
    /// control plane of a cluster without workers (then untainted).
    pub fn first_schedulable(&self) -> String {
        self.node_name(usize::from(self.workers > 0))
    }

    /// The name kind gives the node with this index (0 is the control plane).
    fn node_name(&self, index: usize) -> String {
        let cluster = &self.name;
        match index {
            0 => format!("{cluster}-control-plane"),
            1 => format!("{cluster}-worker"),
            n => format!("{cluster}-worker{n}"),
        }
    }
}

/// How kind's bootstrap unfolds, in milliseconds after the control plane's
/// kubelet first starts (published kind 1.34 outputs: RegisteredNode 14 s,
/// kube-proxy 17 s, NodeReady 27 s on the control plane; workers join about
/// half a minute in and are Ready some 13 s later). The handover is at
/// [`HANDOVER`], a minute in.
mod at {
    use super::SECOND;
    use crate::sim::clock::Millis;
    pub const APISERVER: Millis = 2 * SECOND;
    pub const CONTROL_PLANE_REGISTERED: Millis = 3 * SECOND;
    pub const STATIC_PODS: Millis = 5 * SECOND;
    pub const CONTROLLERS: Millis = 6 * SECOND;
    pub const KUBELET_RESTART: Millis = 8 * SECOND;
    pub const KUBEADM_CONFIG: Millis = 10 * SECOND;
    pub const ADDONS: Millis = 12 * SECOND;
    pub const CONTROL_PLANE_SEEN: Millis = 14 * SECOND;
    pub const CNI: Millis = 15 * SECOND;
    pub const KUBE_PROXY: Millis = 17 * SECOND;
    pub const STORAGE: Millis = 20 * SECOND;
    pub const CONTROL_PLANE_READY: Millis = 27 * SECOND;
    pub const DNS_AND_STORAGE_RUN: Millis = 28 * SECOND;
    pub const WORKERS_START: Millis = 30 * SECOND;
    pub const WORKERS_REGISTERED: Millis = 31 * SECOND;
    pub const WORKER_PODS: Millis = 32 * SECOND;
    pub const WORKERS_SEEN: Millis = 33 * SECOND;
    pub const WORKER_KUBE_PROXIES: Millis = 35 * SECOND;
    pub const WORKERS_READY: Millis = 44 * SECOND;
}

/// When kube-controller-manager's loops start; the PV controller's resync
/// ticks count from here.
pub const CONTROLLERS_STARTED: Millis = at::CONTROLLERS;

pub fn bootstrap(cluster: &mut Cluster) {
    // Moments count from the cluster's start: 0 for a playground's first
    // cluster, later for one `kind create cluster` makes.
    let base = cluster.now();
    let mut draws = system_pods::draws();
    let names = cluster.shape.node_names();
    let control_plane = names[0].as_str();
    let workers = &names[1..];
    clock_to(cluster, base + at::APISERVER);
    let mut contents = NamespaceContents::new();
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        create(cluster, Object::Namespace(Box::new(namespace(ns))));
        contents.fill(cluster, ns);
    }
    // The control plane's kubelet has been trying to register since it
    // started; its Events reach the apiserver once it answers.
    let unregistered = Object::Node(Box::new(node(control_plane, 0, base, base, &cluster.shape)));
    with_own_draws(cluster, &mut draws, |c| {
        node_events::kubelet_started(c, &unregistered, node_events::CONTROL_PLANE_FIRST_RUN);
    });
    create(cluster, Object::Service(Box::new(kubernetes_service())));
    // The apiserver itself, not the endpoints controllers, lists its address.
    create(
        cluster,
        Object::Endpoints(Box::new(kubernetes_endpoints().into())),
    );
    create(
        cluster,
        Object::EndpointSlice(Box::new(kubernetes_slice().into())),
    );
    system_pods::install(cluster, Phase::Apiserver, &mut draws);
    clock_to(cluster, base + at::CONTROL_PLANE_REGISTERED);
    join(cluster, control_plane, 0, base + at::CONTROL_PLANE_READY);
    let control_plane_node = stored_node(cluster, control_plane);
    clock_to(cluster, base + at::STATIC_PODS);
    system_pods::install(cluster, Phase::StaticPods, &mut draws);
    clock_to(cluster, base + at::CONTROLLERS);
    system_pods::install(cluster, Phase::Controllers, &mut draws);
    clock_to(cluster, base + at::KUBELET_RESTART);
    with_own_draws(cluster, &mut draws, |c| {
        node_events::kubelet_started(c, &control_plane_node, node_events::CONTROL_PLANE_RESTART);
    });
    clock_to(cluster, base + at::KUBEADM_CONFIG);
    system_pods::install(cluster, Phase::KubeadmConfig, &mut draws);
    clock_to(cluster, base + at::ADDONS);
    system_pods::install(cluster, Phase::Addons, &mut draws);
    clock_to(cluster, base + at::CONTROL_PLANE_SEEN);
    with_own_draws(cluster, &mut draws, |c| {
        node_events::registered(c, &control_plane_node);
    });
    clock_to(cluster, base + at::CNI);
    system_pods::install(cluster, Phase::Cni, &mut draws);
    clock_to(cluster, base + at::KUBE_PROXY);
    with_own_draws(cluster, &mut draws, |c| {
        node_events::kube_proxy_started(c, &control_plane_node);
    });
    clock_to(cluster, base + at::STORAGE);
    // kind's storage manifest starts with the provisioner's namespace.
    let storage = "local-path-storage";
    create(
        cluster,
        Object::Namespace(Box::new(applied_by_kind(namespace(storage)))),
    );
    contents.fill(cluster, storage);
    create(
        cluster,
        Object::StorageClass(Box::new(applied_by_kind(storage_class()))),
    );
    system_pods::install(cluster, Phase::Storage, &mut draws);
    clock_to(cluster, base + at::CONTROL_PLANE_READY);
    with_own_draws(cluster, &mut draws, |c| {
        node_events::ready(c, &control_plane_node)
    });
    clock_to(cluster, base + at::DNS_AND_STORAGE_RUN);
    system_pods::install(cluster, Phase::ControlPlaneReady, &mut draws);

    clock_to(cluster, base + at::WORKERS_START);
    for (index, name) in workers.iter().enumerate() {
        let unregistered =
            Object::Node(Box::new(node(name, index + 1, base, base, &cluster.shape)));
        with_own_draws(cluster, &mut draws, |c| {
            node_events::kubelet_started(c, &unregistered, node_events::WORKER_START);
        });
    }
    clock_to(cluster, base + at::WORKERS_REGISTERED);
    for (index, name) in workers.iter().enumerate() {
        join(cluster, name, index + 1, base + at::WORKERS_READY);
    }
    clock_to(cluster, base + at::WORKER_PODS);
    for name in workers {
        system_pods::install(cluster, Phase::Joined(name), &mut draws);
    }
    let worker_nodes: Vec<Object> = workers.iter().map(|n| stored_node(cluster, n)).collect();
    let moments: [(Millis, NodeEvent); 3] = [
        (at::WORKERS_SEEN, node_events::registered),
        (at::WORKER_KUBE_PROXIES, node_events::kube_proxy_started),
        (at::WORKERS_READY, node_events::ready),
    ];
    for (moment, record) in moments {
        clock_to(cluster, base + moment);
        for worker in &worker_nodes {
            with_own_draws(cluster, &mut draws, |c| record(c, worker));
        }
    }
    clock_to(cluster, base + HANDOVER);
}

/// Records one of a node's start-up Events.
type NodeEvent = fn(&mut Cluster, &Object);

/// Moves the clock on to `moment`, running what the controllers queued meanwhile.
fn clock_to(cluster: &mut Cluster, moment: Millis) {
    cluster.advance(moment.saturating_sub(cluster.now()));
}

/// The node registers now and is Ready from `ready_at`; its kubelet starts
/// with kind's images, which the node image holds. Kind's DaemonSets' pods
/// for it are the bootstrap's to place ([`Phase::Joined`]).
fn join(cluster: &mut Cluster, name: &str, index: usize, ready_at: Millis) {
    let now = cluster.now();
    create(
        cluster,
        Object::Node(Box::new(node(name, index, now, ready_at, &cluster.shape))),
    );
    cluster.drop_queued(|task| matches!(task, Task::KeepSystemPods(_)));
    let mut kubelet = Kubelet::new(name, index as u8);
    kubelet.preload(system_pods::images());
    cluster.kubelets.insert(name.to_string(), kubelet);
}

fn stored_node(cluster: &Cluster, name: &str) -> Object {
    cluster
        .store
        .get_named(Kind::Node, "", name)
        .map(|o| (**o).clone())
        .unwrap_or_else(|| Object::Node(Box::default()))
}

/// The root CA publisher and the service account controller fill each
/// namespace as it is made. Their uids come from their own sequences, so
/// that the cluster's random draws (and every uid after them) do not depend
/// on them.
struct NamespaceContents {
    config_map_ids: Rng,
    account_ids: Rng,
}

impl NamespaceContents {
    fn new() -> NamespaceContents {
        NamespaceContents {
            config_map_ids: Rng::new(0x726f_6f74_6361),
            account_ids: Rng::new(0x7365_7276_6963_6561),
        }
    }

    fn fill(&mut self, cluster: &mut Cluster, namespace: &str) {
        let now = cluster.now();
        let config_map = Object::ConfigMap(Box::new(root_ca::config_map(namespace)));
        let _ = cluster
            .store
            .create(config_map, self.config_map_ids.uuid(), now);
        let account =
            Object::ServiceAccount(Box::new(service_accounts::default_account(namespace)));
        let _ = cluster.store.create(account, self.account_ids.uuid(), now);
    }
}

fn create(cluster: &mut Cluster, object: Object) {
    // Bootstrapping a fixed set of valid objects cannot conflict.
    let _ = cluster.create(object);
}

fn labels(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// `object` as kind installs it: with `kubectl apply -f -` of its storage
/// manifest (the local-path-provisioner's namespace and the default
/// StorageClass, both cluster-scoped), so it carries kubectl's record of
/// what it applied.
fn applied_by_kind<T>(mut object: T) -> T
where
    T: k8s_openapi::Metadata<Ty = ObjectMeta> + serde::Serialize,
{
    let manifest = serde_json::to_value(&object).unwrap_or_default();
    let applied = last_applied::configuration(manifest, None);
    object
        .metadata_mut()
        .annotations
        .get_or_insert_with(Default::default)
        .insert(LAST_APPLIED.to_string(), last_applied::text(&applied));
    object
}

/// A namespace as `kubectl create namespace` sends it; the apiserver's defaults fill in the rest.
fn namespace(name: &str) -> Namespace {
    Namespace {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// The node's InternalIP: kind gives containers 172.18.0.2, .3, …
pub fn node_ip(index: usize) -> String {
    format!("172.18.0.{}", index + 2)
}

/// One of the nodes of a cluster of `shape` as its kubelet registers it at `at`.
pub fn node_named(name: &str, shape: &Shape, at: Millis) -> Option<Node> {
    let index = shape.node_names().iter().position(|n| n == name)?;
    Some(node(name, index, at, at, shape))
}

/// One of the cluster's nodes as its kubelet registers it at `at`, Ready
/// from `ready_at` (once its network is up), as `shape` makes it.
fn node(name: &str, index: usize, at: Millis, ready_at: Millis, shape: &Shape) -> Node {
    let control_plane = index == 0;
    let max_pods = shape.max_pods;
    let mut node_labels = vec![
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", name),
        ("kubernetes.io/os", "linux"),
    ];
    if control_plane {
        node_labels.push(("node-role.kubernetes.io/control-plane", ""));
        node_labels.push((
            "node.kubernetes.io/exclude-from-external-load-balancers",
            "",
        ));
    }
    // The kubelet's --node-labels, from the kind config.
    for (key, value) in shape.labels.get(&index).into_iter().flatten() {
        node_labels.retain(|(k, _)| k != key);
        node_labels.push((key.as_str(), value.as_str()));
    }
    let capacity: BTreeMap<String, Quantity> = [
        ("cpu", "2"),
        ("ephemeral-storage", "263174212Ki"),
        ("hugepages-1Gi", "0"),
        ("hugepages-2Mi", "0"),
        ("memory", "24598672Ki"),
        ("pods", &max_pods.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
    .collect();
    let (at, ready_at) = (time(at), time(ready_at.max(at)));
    // The host's identifiers: fixed per node, drawn apart from the
    // cluster's random stream so they never shift what comes after.
    let mut ids = Rng::new(0x6b69_6e64 + index as u64);
    // Every condition was last reported with Ready's change.
    let condition = |type_: &str, status: &str, reason: &str, message: &str| NodeCondition {
        type_: type_.to_string(),
        status: status.to_string(),
        reason: Some(reason.to_string()),
        message: Some(message.to_string()),
        last_heartbeat_time: Some(ready_at.clone()),
        last_transition_time: Some(if type_ == "Ready" {
            ready_at.clone()
        } else {
            at.clone()
        }),
    };
    Node {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            labels: labels(&node_labels),
            // The kubelet's and the TTL controller's. kubeadm 1.34 no longer
            // writes its cri-socket annotation (NodeLocalCRISocket, on by default).
            annotations: labels(&[
                ("node.alpha.kubernetes.io/ttl", "0"),
                (
                    "volumes.kubernetes.io/controller-managed-attach-detach",
                    "true",
                ),
            ]),
            ..Default::default()
        },
        spec: Some(NodeSpec {
            pod_cidr: Some(format!("10.244.{index}.0/24")),
            pod_cidrs: Some(vec![format!("10.244.{index}.0/24")]),
            provider_id: Some(format!("kind://docker/{}/{name}", shape.name)),
            // kind takes the control plane's taint off when no worker
            // joins, so that a one-node cluster runs workloads.
            taints: (control_plane && shape.workers > 0).then(|| {
                vec![Taint {
                    effect: "NoSchedule".to_string(),
                    key: "node-role.kubernetes.io/control-plane".to_string(),
                    ..Default::default()
                }]
            }),
            ..Default::default()
        }),
        status: Some(NodeStatus {
            addresses: Some(vec![
                NodeAddress {
                    type_: "InternalIP".to_string(),
                    address: node_ip(index),
                },
                NodeAddress {
                    type_: "Hostname".to_string(),
                    address: name.to_string(),
                },
            ]),
            allocatable: Some(capacity.clone()),
            capacity: Some(capacity),
            daemon_endpoints: Some(NodeDaemonEndpoints {
                kubelet_endpoint: Some(DaemonEndpoint { port: 10250 }),
            }),
            conditions: Some(vec![
                condition(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                condition(
                    "DiskPressure",
                    "False",
                    "KubeletHasNoDiskPressure",
                    "kubelet has no disk pressure",
                ),
                condition(
                    "PIDPressure",
                    "False",
                    "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available",
                ),
                condition(
                    "Ready",
                    "True",
                    "KubeletReady",
                    "kubelet is posting ready status",
                ),
            ]),
            node_info: Some(NodeSystemInfo {
                architecture: "amd64".to_string(),
                boot_id: ids.uuid(),
                container_runtime_version: "containerd://2.1.3".to_string(),
                kernel_version: "6.8.0-79-generic".to_string(),
                kube_proxy_version: String::new(),
                kubelet_version: KUBERNETES_VERSION.to_string(),
                machine_id: ids.hex(32),
                operating_system: "linux".to_string(),
                os_image: "Debian GNU/Linux 12 (bookworm)".to_string(),
                system_uuid: ids.uuid(),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}

/// kind's default StorageClass, as its local-path-provisioner installs it.
pub fn storage_class() -> StorageClass {
    StorageClass {
        metadata: ObjectMeta {
            name: Some(DEFAULT_STORAGE_CLASS.to_string()),
            annotations: Some(
                [("storageclass.kubernetes.io/is-default-class", "true")]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            ..Default::default()
        },
        provisioner: "rancher.io/local-path".to_string(),
        reclaim_policy: Some("Delete".to_string()),
        volume_binding_mode: Some("WaitForFirstConsumer".to_string()),
        ..Default::default()
    }
}

fn kubernetes_service() -> Service {
    Service {
        metadata: ObjectMeta {
            name: Some("kubernetes".to_string()),
            namespace: Some("default".to_string()),
            labels: labels(&[("component", "apiserver"), ("provider", "kubernetes")]),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            cluster_ip: Some("10.96.0.1".to_string()),
            cluster_ips: Some(vec!["10.96.0.1".to_string()]),
            ports: Some(vec![ServicePort {
                name: Some("https".to_string()),
                port: 443,
                target_port: Some(
                    k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(6443),
                ),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: None,
    }
}

fn apiserver_meta(labels_of: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta {
        name: Some("kubernetes".to_string()),
        namespace: Some("default".to_string()),
        labels: labels(labels_of),
        ..Default::default()
    }
}

/// The control-plane node's address on the apiserver's secure port.
fn kubernetes_endpoints() -> Endpoints {
    Endpoints {
        // Not mirrored: the apiserver writes the EndpointSlice as well.
        metadata: apiserver_meta(&[("endpointslice.kubernetes.io/skip-mirror", "true")]),
        subsets: Some(vec![EndpointSubset {
            addresses: Some(vec![EndpointAddress {
                ip: node_ip(0),
                ..Default::default()
            }]),
            not_ready_addresses: None,
            ports: Some(vec![EndpointPort {
                name: Some("https".to_string()),
                port: 6443,
                protocol: Some("TCP".to_string()),
                app_protocol: None,
            }]),
        }]),
    }
}

fn kubernetes_slice() -> EndpointSlice {
    EndpointSlice {
        metadata: apiserver_meta(&[("kubernetes.io/service-name", "kubernetes")]),
        address_type: "IPv4".to_string(),
        endpoints: vec![Endpoint {
            addresses: vec![node_ip(0)],
            conditions: Some(EndpointConditions {
                ready: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }],
        ports: Some(vec![k8s_openapi::api::discovery::v1::EndpointPort {
            name: Some("https".to_string()),
            port: Some(6443),
            protocol: Some("TCP".to_string()),
            app_protocol: None,
        }]),
    }
}
