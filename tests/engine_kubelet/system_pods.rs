//! kind's own pods: there and running when the cluster is handed over, on
//! the nodes kind puts them, and replaced as their keepers replace them.

use k8s_openapi::api::core::v1::Pod;
use stsplay::sim::clock::{MINUTE, SECOND};
use stsplay::sim::{Cluster, DeleteOptions, Kind, ObjectKey, Propagation};

use crate::common::*;

const SYSTEM: &str = "kube-system";

fn system_pods(cluster: &Cluster) -> Vec<Pod> {
    cluster
        .store()
        .list_typed::<Pod>(SYSTEM)
        .chain(cluster.store().list_typed::<Pod>("local-path-storage"))
        .cloned()
        .collect()
}

fn named<'a>(pods: &'a [Pod], prefix: &str) -> Vec<&'a Pod> {
    pods.iter()
        .filter(|p| p.metadata.name.as_deref().unwrap_or("").starts_with(prefix))
        .collect()
}

fn node(pod: &Pod) -> &str {
    pod.spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .unwrap_or("")
}

fn status_field(
    pod: &Pod,
    pick: impl Fn(&k8s_openapi::api::core::v1::PodStatus) -> Option<&String>,
) -> &str {
    pod.status
        .as_ref()
        .and_then(pick)
        .map_or("", String::as_str)
}

fn delete(cluster: &mut Cluster, namespace: &str, name: &str, grace: Option<i64>) {
    let options = DeleteOptions {
        grace_seconds: grace,
        propagation: Propagation::Background,
    };
    let key = ObjectKey::new(Kind::Pod, namespace, name);
    cluster.delete(&key, &options).expect("pod deleted");
}

#[test]
fn a_fresh_cluster_runs_kinds_pods_where_kind_puts_them() {
    let mut cluster = Cluster::new(7);
    let pods = system_pods(&cluster);
    assert_eq!(pods.len(), 13);
    for pod in &pods {
        assert_eq!(phase(pod), "Running", "{:?}", pod.metadata.name);
        assert!(is_ready(pod), "{:?}", pod.metadata.name);
        assert_eq!(restart_count(pod), 0);
    }
    for prefix in [
        "etcd-",
        "kube-apiserver-",
        "kube-controller-manager-",
        "kube-scheduler-",
    ] {
        let statics = named(&pods, prefix);
        assert_eq!(statics.len(), 1, "{prefix}");
        let mirror = statics[0];
        assert_eq!(
            mirror.metadata.name.as_deref(),
            Some(&*format!("{prefix}kind-control-plane"))
        );
        let owner = &mirror.metadata.owner_references.as_ref().unwrap()[0];
        assert_eq!(
            (owner.kind.as_str(), owner.name.as_str()),
            ("Node", "kind-control-plane")
        );
        // The ServiceAccount plugin leaves mirror pods alone.
        assert!(mirror.spec.as_ref().unwrap().service_account_name.is_none());
    }
    for prefix in ["kindnet-", "kube-proxy-"] {
        let mut nodes: Vec<&str> = named(&pods, prefix).into_iter().map(node).collect();
        nodes.sort_unstable();
        assert_eq!(nodes, ["kind-control-plane", "kind-worker", "kind-worker2"]);
    }
    for pod in &pods {
        let host_network = pod.spec.as_ref().unwrap().host_network == Some(true);
        let (host, ip) = (
            status_field(pod, |s| s.host_ip.as_ref()),
            status_field(pod, |s| s.pod_ip.as_ref()),
        );
        if host_network {
            assert_eq!(ip, host, "{:?}", pod.metadata.name);
        } else {
            assert_eq!(node(pod), "kind-control-plane");
            assert!(ip.starts_with("10.244.0."), "{ip}");
        }
    }
    let qos =
        |prefix: &str| status_field(named(&pods, prefix)[0], |s| s.qos_class.as_ref()).to_string();
    assert_eq!(qos("kindnet-"), "Guaranteed");
    assert_eq!(qos("coredns-"), "Burstable");
    assert_eq!(qos("kube-proxy-"), "BestEffort");
    let coredns = named(&pods, "coredns-");
    assert_eq!(coredns.len(), 2);
    assert_eq!(
        coredns[0].spec.as_ref().unwrap().priority,
        Some(2_000_000_000)
    );
    // Their keepers are not objects here; the collector leaves them be.
    cluster.advance(5 * MINUTE);
    assert_eq!(system_pods(&cluster).len(), 13);
}

#[test]
fn deleted_pods_are_replaced_as_their_controllers_replace_them() {
    let mut cluster = Cluster::new(7);
    let pods = system_pods(&cluster);
    let kindnet = named(&pods, "kindnet-")
        .into_iter()
        .find(|p| node(p) == "kind-worker")
        .and_then(|p| p.metadata.name.clone())
        .unwrap();
    let coredns = named(&pods, "coredns-")[0].metadata.name.clone().unwrap();
    delete(&mut cluster, SYSTEM, &kindnet, None);
    delete(&mut cluster, SYSTEM, &coredns, None);
    cluster.advance(MINUTE);
    let after = system_pods(&cluster);
    assert_eq!(after.len(), 13);
    let new_kindnet: Vec<&Pod> = named(&after, "kindnet-")
        .into_iter()
        .filter(|p| node(p) == "kind-worker")
        .collect();
    assert_eq!(new_kindnet.len(), 1);
    assert_ne!(
        new_kindnet[0].metadata.name.as_deref(),
        Some(kindnet.as_str())
    );
    assert!(is_ready(new_kindnet[0]));
    let new_coredns = named(&after, "coredns-");
    assert_eq!(new_coredns.len(), 2);
    assert!(new_coredns
        .iter()
        .all(|p| is_ready(p) && p.metadata.name.as_deref() != Some(&*coredns)));
}

#[test]
fn a_deleted_mirror_pod_comes_back_and_its_containers_run_on() {
    let mut cluster = Cluster::new(7);
    let etcd = "etcd-kind-control-plane";
    let before = cluster
        .store()
        .get_typed::<Pod>(SYSTEM, etcd)
        .cloned()
        .unwrap();
    let container = |pod: &Pod| {
        pod.status
            .as_ref()
            .unwrap()
            .container_statuses
            .as_ref()
            .unwrap()[0]
            .container_id
            .clone()
    };
    delete(&mut cluster, SYSTEM, etcd, None);
    assert!(run_until(&mut cluster, 10 * SECOND, |c| {
        c.store()
            .get_typed::<Pod>(SYSTEM, etcd)
            .is_some_and(|p| p.metadata.uid != before.metadata.uid)
    }));
    let after = cluster
        .store()
        .get_typed::<Pod>(SYSTEM, etcd)
        .cloned()
        .unwrap();
    assert!(after.metadata.deletion_timestamp.is_none());
    assert!(is_ready(&after));
    assert_eq!(container(&after), container(&before));
    assert_eq!(restart_count(&after), 0);
    // Forced deletion too.
    delete(&mut cluster, SYSTEM, etcd, Some(0));
    cluster.advance(10 * SECOND);
    let again = cluster
        .store()
        .get_typed::<Pod>(SYSTEM, etcd)
        .cloned()
        .unwrap();
    assert_eq!(container(&again), container(&before));
}

#[test]
fn a_host_network_pod_has_its_nodes_address() {
    let mut cluster = Cluster::new(7);
    apply(
        &mut cluster,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  hostNetwork: true
  nodeName: kind-worker
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  nodeName: kind-worker
  containers: [{name: app, image: nginx}]
"#,
    );
    settle(&mut cluster);
    let ip =
        |name: &str| status_field(&pod(&cluster, name).unwrap(), |s| s.pod_ip.as_ref()).to_string();
    assert_eq!(ip("agent"), "172.18.0.3");
    // The host's address takes none of the pod CIDR's.
    assert_eq!(ip("app"), "10.244.1.2");
}

#[test]
fn priority_classes_and_default_tolerations_as_admission_sets_them() {
    let mut cluster = Cluster::new(7);
    apply(
        &mut cluster,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: critical}
spec:
  priorityClassName: system-node-critical
  tolerations: [{operator: Exists}]
  containers: [{name: app, image: nginx, resources: {limits: {cpu: 100m, memory: 64Mi}}}]
"#,
    );
    let created = pod(&cluster, "critical").unwrap();
    let spec = created.spec.as_ref().unwrap();
    assert_eq!(spec.priority, Some(2_000_001_000));
    // A toleration of every taint already covers not-ready and unreachable.
    assert_eq!(spec.tolerations.as_ref().unwrap().len(), 1);
    assert_eq!(
        status_field(&created, |s| s.qos_class.as_ref()),
        "Guaranteed"
    );
}

#[test]
fn nodes_come_with_the_events_of_kinds_first_minute() {
    use k8s_openapi::api::core::v1::Event;
    use stsplay::sim::clock::HANDOVER;
    let cluster = Cluster::new(7);
    assert_eq!(cluster.now(), HANDOVER);
    let about = |node: &str, reason: &str| -> Vec<i32> {
        cluster
            .store()
            .list_typed::<Event>("default")
            .filter(|e| e.involved_object.name.as_deref() == Some(node))
            .filter(|e| e.reason.as_deref() == Some(reason))
            .map(|e| e.count.unwrap_or(1))
            .collect()
    };
    // The control plane's kubelet ran twice; the first run hit the recorder's limit.
    assert_eq!(about("kind-control-plane", "Starting").len(), 3);
    assert_eq!(
        about("kind-control-plane", "NodeHasSufficientMemory"),
        [8, 1]
    );
    assert_eq!(about("kind-control-plane", "NodeHasSufficientPID"), [7, 1]);
    // A worker's first Starting is lost; kube-proxy's is there.
    assert_eq!(about("kind-worker", "Starting").len(), 1);
    assert_eq!(about("kind-worker", "NodeHasNoDiskPressure"), [3]);
    for reason in ["RegisteredNode", "NodeReady", "NodeAllocatableEnforced"] {
        assert_eq!(about("kind-worker2", reason).len(), 1, "{reason}");
    }
}

fn deployment(cluster: &Cluster, name: &str) -> k8s_openapi::api::apps::v1::Deployment {
    cluster
        .store()
        .get_typed::<k8s_openapi::api::apps::v1::Deployment>(SYSTEM, name)
        .cloned()
        .expect("kind's Deployment")
}

fn available(cluster: &Cluster) -> Option<i32> {
    deployment(cluster, "coredns")
        .status
        .and_then(|s| s.available_replicas)
}

#[test]
fn kinds_workloads_report_what_happens_to_their_pods() {
    let mut cluster = Cluster::new(7);
    assert_eq!(available(&cluster), Some(2));
    let daemon_set = cluster
        .store()
        .get_typed::<k8s_openapi::api::apps::v1::DaemonSet>(SYSTEM, "kindnet")
        .cloned()
        .expect("kindnet");
    let status = daemon_set.status.expect("a status");
    assert_eq!(
        (status.desired_number_scheduled, status.number_ready),
        (3, 3)
    );
    // A deleted CoreDNS pod is replaced; until its replacement is ready one is unavailable.
    let pods = system_pods(&cluster);
    let coredns = named(&pods, "coredns-")[0]
        .metadata
        .name
        .clone()
        .unwrap_or_default();
    delete(&mut cluster, SYSTEM, &coredns, Some(0));
    cluster.advance(100);
    assert_eq!(available(&cluster), Some(1));
    cluster.advance(MINUTE);
    assert_eq!(available(&cluster), Some(2));
    let conditions = deployment(&cluster, "coredns")
        .status
        .and_then(|s| s.conditions);
    let reasons: Vec<String> = conditions
        .iter()
        .flatten()
        .filter_map(|c| c.reason.clone())
        .collect();
    assert_eq!(
        reasons,
        ["MinimumReplicasAvailable", "NewReplicaSetAvailable"]
    );
}

#[test]
fn a_changed_template_of_kinds_workloads_is_refused_and_their_scale_is_followed() {
    let mut cluster = Cluster::new(7);
    let mut changed = deployment(&cluster, "coredns");
    let mut scaled = changed.clone();
    if let Some(spec) = changed.spec.as_mut().and_then(|s| s.template.spec.as_mut()) {
        spec.containers[0].image = Some("coredns:v2".to_string());
    }
    let refused = cluster
        .update(stsplay::sim::Object::Deployment(Box::new(changed)))
        .expect_err("refused");
    assert!(
        refused
            .message
            .contains("runs no controller that rolls out"),
        "{}",
        refused.message
    );
    scaled.spec.as_mut().expect("a spec").replicas = Some(4);
    cluster
        .update(stsplay::sim::Object::Deployment(Box::new(scaled)))
        .expect("scaled");
    cluster.advance(30 * SECOND);
    assert_eq!(available(&cluster), Some(4));
    assert_eq!(named(&system_pods(&cluster), "coredns-").len(), 4);
}

#[test]
fn nodes_carry_what_a_kind_1_34_node_reports() {
    let cluster = Cluster::new(7);
    let node = cluster
        .store()
        .get_typed::<k8s_openapi::api::core::v1::Node>("", "kind-worker")
        .cloned()
        .expect("a worker");
    let annotations: Vec<String> = node
        .metadata
        .annotations
        .unwrap_or_default()
        .into_keys()
        .collect();
    // kubeadm 1.34 no longer writes kubeadm.alpha.kubernetes.io/cri-socket.
    assert_eq!(
        annotations,
        [
            "node.alpha.kubernetes.io/ttl",
            "volumes.kubernetes.io/controller-managed-attach-detach"
        ]
    );
    let status = node.status.unwrap();
    let kubelet = status.daemon_endpoints.and_then(|d| d.kubelet_endpoint);
    assert_eq!(kubelet.map(|k| k.port), Some(10250));
}
