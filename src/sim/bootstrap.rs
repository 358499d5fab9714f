//! What a fresh kind cluster already has: namespaces, three nodes, the
//! default StorageClass and the `kubernetes` Service with the endpoints
//! the apiserver keeps for it.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Namespace, Node, NodeAddress,
    NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, Service, ServicePort, ServiceSpec, Taint,
};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointSlice};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::clock::{time, Millis};
use super::cluster::Cluster;
use super::controllers::{root_ca, service_accounts};
use super::defaults::DEFAULT_STORAGE_CLASS;
use super::kubelet::Kubelet;
use super::last_applied::{self, LAST_APPLIED};
use super::object::{Kind, Object};
use super::rng::Rng;

pub const KUBERNETES_VERSION: &str = "v1.34.0";

/// Node name, whether it runs the control plane, and its index in the pod CIDR.
pub const NODES: [(&str, bool); 3] = [
    ("kind-control-plane", true),
    ("kind-worker", false),
    ("kind-worker2", false),
];

pub fn bootstrap(cluster: &mut Cluster) {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        create(cluster, Object::Namespace(Box::new(namespace(ns))));
    }
    create(
        cluster,
        Object::Namespace(Box::new(applied_by_kind(namespace("local-path-storage")))),
    );
    namespace_contents(cluster);
    for (index, (name, control_plane)) in NODES.into_iter().enumerate() {
        create(
            cluster,
            Object::Node(Box::new(node(name, control_plane, index, 0))),
        );
        cluster
            .kubelets
            .insert(name.to_string(), Kubelet::new(name, index as u8));
    }
    create(
        cluster,
        Object::StorageClass(Box::new(applied_by_kind(storage_class()))),
    );
    create(cluster, Object::Service(Box::new(kubernetes_service())));
    // The apiserver itself, not the endpoints controllers, lists its address.
    create(cluster, Object::Endpoints(Box::new(kubernetes_endpoints())));
    create(cluster, Object::EndpointSlice(Box::new(kubernetes_slice())));
    super::system_pods::install(cluster);
}

/// The root CA publisher and the service account controller have filled
/// every namespace by the time kind hands the cluster over. Their uids come
/// from their own sequence, so that the cluster's random draws (and every
/// uid after them) do not depend on them.
fn namespace_contents(cluster: &mut Cluster) {
    let mut ids = Rng::new(0x726f_6f74_6361);
    let mut account_ids = Rng::new(0x7365_7276_6963_6561);
    let namespaces: Vec<String> = cluster
        .store
        .list(Kind::Namespace)
        .map(|ns| ns.name().to_string())
        .collect();
    for namespace in namespaces {
        let config_map = Object::ConfigMap(Box::new(root_ca::config_map(&namespace)));
        let _ = cluster.store.create(config_map, ids.uuid(), 0);
        let account = service_accounts::default_account(&namespace);
        let _ = cluster.store.create(
            Object::ServiceAccount(Box::new(account)),
            account_ids.uuid(),
            0,
        );
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

/// One of the cluster's nodes as its kubelet registers it at `at`.
pub fn node_named(name: &str, at: Millis) -> Option<Node> {
    let (index, (_, control_plane)) = NODES.iter().enumerate().find(|(_, (n, _))| *n == name)?;
    Some(node(name, *control_plane, index, at))
}

fn node(name: &str, control_plane: bool, index: usize, at: Millis) -> Node {
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
    let capacity: BTreeMap<String, Quantity> = [
        ("cpu", "2"),
        ("ephemeral-storage", "263174212Ki"),
        ("hugepages-1Gi", "0"),
        ("hugepages-2Mi", "0"),
        ("memory", "24598672Ki"),
        ("pods", "110"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
    .collect();
    let at = time(at);
    // The host's identifiers: fixed per node, drawn apart from the
    // cluster's random stream so they never shift what comes after.
    let mut ids = Rng::new(0x6b69_6e64 + index as u64);
    let condition = |type_: &str, status: &str, reason: &str, message: &str| NodeCondition {
        type_: type_.to_string(),
        status: status.to_string(),
        reason: Some(reason.to_string()),
        message: Some(message.to_string()),
        last_heartbeat_time: Some(at.clone()),
        last_transition_time: Some(at.clone()),
    };
    Node {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            labels: labels(&node_labels),
            // kubeadm's and the kubelet's, as on every kind node.
            annotations: labels(&[
                (
                    "kubeadm.alpha.kubernetes.io/cri-socket",
                    "unix:///run/containerd/containerd.sock",
                ),
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
            provider_id: Some(format!("kind://docker/kind/{name}")),
            taints: control_plane.then(|| {
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
