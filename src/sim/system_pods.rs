//! What kind runs before anyone applies anything: the control plane's static
//! pods (etcd, kube-apiserver, kube-controller-manager, kube-scheduler; their
//! API copies are mirror pods owned by the node), a kindnet and a kube-proxy
//! pod on every node (DaemonSets), CoreDNS and the local-path provisioner
//! (Deployments), with the ConfigMaps, ServiceAccounts and the kube-dns
//! Service that come with them.
//!
//! `kind_system.yaml` holds them as the API serves them on kind v0.30 with
//! Kubernetes 1.34; this file makes them in the steps of kind's bootstrap
//! ([`Phase`], timed by `bootstrap.rs`), binds their pods to the nodes and
//! hands them to the kubelets. Their DaemonSets, Deployments and ReplicaSets
//! are objects too (`kind_workloads`), but stsplay has no controllers for
//! them: [`super::controllers::system_workloads`] replaces these pods as
//! theirs would.

use std::cell::RefCell;
use std::rc::Rc;

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::{NodeSelectorRequirement, Pod};

use super::bootstrap::DEFAULT_CLUSTER;
use super::cluster::{Cluster, Task};
use super::controllers::{endpoints, scheduler};
use super::fast_hash::digest_of;
use super::kind_workloads;
use super::kubelet;
use super::object::{Kind, Object};
use super::pods;
use super::rng::Rng;

const MANIFESTS: &str = include_str!("kind_system.yaml");

/// The system objects' random draws (uids, name suffixes, container ids)
/// come from a stream of their own, so that the cluster's own draws, and
/// every uid and address a user's objects get, do not depend on them.
const SEED: u64 = 0x6b75_6265_2d73_7973;

/// Where kind's own objects live.
const SYSTEM_NAMESPACES: [&str; 2] = ["kube-system", "local-path-storage"];

/// How a system pod is kept, from its controller reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keeper {
    /// A static pod: its node's kubelet runs it from a manifest file.
    Node,
    DaemonSet,
    ReplicaSet,
}

impl Keeper {
    pub fn of(pod: &Object) -> Option<Keeper> {
        match pod.controller()?.kind.as_str() {
            "Node" => Some(Keeper::Node),
            "DaemonSet" => Some(Keeper::DaemonSet),
            "ReplicaSet" => Some(Keeper::ReplicaSet),
            _ => None,
        }
    }
}

thread_local! {
    /// By cluster name, the most recent few.
    static TEMPLATES: RefCell<Vec<(String, Rc<Vec<Object>>)>> = const { RefCell::new(Vec::new()) };
}

/// How many clusters' objects stay read.
const TEMPLATES_KEPT: usize = 2;

/// The objects of `kind_system.yaml` in the cluster named `cluster`, read
/// once per thread and name.
pub fn templates(cluster: &str) -> Rc<Vec<Object>> {
    TEMPLATES.with(|cache| {
        if let Some((_, read)) = cache.borrow().iter().find(|(name, _)| name == cluster) {
            return read.clone();
        }
        let read = Rc::new(parse(&named(MANIFESTS, cluster)));
        let mut cache = cache.borrow_mut();
        if cache.len() == TEMPLATES_KEPT {
            cache.remove(0);
        }
        cache.push((cluster.to_string(), read.clone()));
        read
    })
}

/// The data file, written for cluster `kind`, as kind makes it for a cluster
/// of another name: its control plane node is named after the cluster, and
/// kubeadm and the controller manager are told the cluster's name.
fn named(manifests: &str, cluster: &str) -> String {
    if cluster == DEFAULT_CLUSTER {
        return manifests.to_string();
    }
    manifests
        .replace("kind-control-plane", &format!("{cluster}-control-plane"))
        .replace(
            "--cluster-name=kind\n",
            &format!("--cluster-name={cluster}\n"),
        )
        .replace("clusterName: kind\n", &format!("clusterName: {cluster}\n"))
}

fn parse(text: &str) -> Vec<Object> {
    serde_yaml::Deserializer::from_str(text)
        .filter_map(|document| {
            let value: serde_json::Value = serde::Deserialize::deserialize(document).ok()?;
            let api_version = value.get("apiVersion")?.as_str()?;
            let kind = Kind::from_api_version_kind(api_version, value.get("kind")?.as_str()?)?;
            Object::from_json(kind, value).ok()
        })
        .collect()
}

/// The pod template a ReplicaSet or DaemonSet of kind's makes its pods from.
pub fn template_of(cluster: &str, owner: &str) -> Option<Object> {
    templates(cluster)
        .iter()
        .find(|o| o.kind() == Kind::Pod && o.controller().is_some_and(|c| c.name == owner))
        .cloned()
}

/// A step of kind's bootstrap that makes some of its objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase<'a> {
    /// The apiserver's own ConfigMaps.
    Apiserver,
    /// The control plane's static pods, mirrored once its node registered.
    StaticPods,
    /// The controller manager's ServiceAccounts, as its controllers start.
    Controllers,
    /// kubeadm's uploaded configuration and its bootstrap token.
    KubeadmConfig,
    /// kubeadm's addons: kube-proxy (on the control plane) and CoreDNS's objects.
    Addons,
    /// kind's CNI: kindnet on the control plane.
    Cni,
    /// kind's storage: the local-path provisioner's objects.
    Storage,
    /// The control plane is Ready: CoreDNS and the provisioner run on it.
    ControlPlaneReady,
    /// A worker joined: kindnet and kube-proxy run on it.
    Joined(&'a str),
}

/// When kind's bootstrap makes a non-pod object.
fn made_in(object: &Object) -> Phase<'static> {
    match (object.kind(), object.namespace(), object.name()) {
        (_, "local-path-storage", _) => Phase::Storage,
        (
            Kind::ConfigMap,
            _,
            "extension-apiserver-authentication"
            | "kube-apiserver-legacy-service-account-token-tracking",
        ) => Phase::Apiserver,
        (Kind::ConfigMap, _, "kubeadm-config" | "kubelet-config" | "cluster-info")
        | (Kind::Secret, ..) => Phase::KubeadmConfig,
        (Kind::ServiceAccount | Kind::DaemonSet, _, "kindnet") => Phase::Cni,
        (Kind::ServiceAccount, _, name) if !matches!(name, "coredns" | "kube-proxy") => {
            Phase::Controllers
        }
        _ => Phase::Addons,
    }
}

/// The nodes a pod template's pods go to in `phase`. The Deployments' pods
/// go to the control plane: kind installs them before the workers join, and
/// they tolerate its taint.
fn placed_in<'a>(
    templates: &[Object],
    template: &Object,
    phase: Phase<'a>,
    control_plane: &'a str,
) -> Vec<&'a str> {
    let owner = template.controller().map_or("", |c| c.name.as_str());
    match (Keeper::of(template), phase) {
        (Some(Keeper::Node), Phase::StaticPods) => vec![control_plane],
        (Some(Keeper::DaemonSet), Phase::Addons) if owner == "kube-proxy" => vec![control_plane],
        (Some(Keeper::DaemonSet), Phase::Cni) if owner == "kindnet" => vec![control_plane],
        (Some(Keeper::DaemonSet), Phase::Joined(node)) => vec![node],
        (Some(Keeper::ReplicaSet), Phase::ControlPlaneReady) => {
            vec![control_plane; replicas(templates, owner)]
        }
        _ => Vec::new(),
    }
}

/// Makes what kind makes in `phase`, drawing from `draws` rather than the
/// cluster's own stream.
pub fn install(cluster: &mut Cluster, phase: Phase<'_>, draws: &mut Rng) {
    with_own_draws(cluster, draws, |cluster| {
        let templates = templates(&cluster.shape().name);
        let control_plane = cluster.shape().control_plane();
        let made = templates
            .iter()
            .filter(|o| o.kind() != Kind::Pod && !matches!(phase, Phase::Joined(_)))
            .filter(|o| made_in(o) == phase);
        for object in made {
            if kind_workloads::KINDS.contains(&object.kind()) {
                kind_workloads::bootstrap(cluster, object);
            } else {
                let _ = cluster.create(object.clone());
            }
        }
        for template in templates.iter().filter(|o| o.kind() == Kind::Pod) {
            for node in placed_in(&templates, template, phase, &control_plane) {
                let (pod, name) = new_pod(cluster, template);
                place(cluster, pod, &name, node);
            }
        }
        if phase == Phase::ControlPlaneReady {
            endpoints::sync(cluster, "kube-system", "kube-dns");
        }
        kind_workloads::report(cluster);
    });
}

/// Runs `make` with the cluster drawing from `draws`, then drops what the
/// informers queued about kind's objects: it is done (the kubelets run the
/// pods, the Endpoints list them, nothing is missing), so the cluster's own
/// draws, and every uid and address a user's objects get, stay as they were.
pub fn with_own_draws(cluster: &mut Cluster, draws: &mut Rng, make: impl FnOnce(&mut Cluster)) {
    let cluster_draws = std::mem::replace(&mut cluster.rng, draws.clone());
    make(cluster);
    // Status writes and bindings are seen by the informers here, not later.
    cluster.inform();
    cluster.drop_queued(|task| match task {
        Task::Kubelet(namespace, _)
        | Task::SyncEndpoints(namespace, _)
        | Task::Schedule(namespace, _) => SYSTEM_NAMESPACES.contains(&namespace.as_str()),
        Task::KeepSystemPods(_) => true,
        _ => false,
    });
    *draws = std::mem::replace(&mut cluster.rng, cluster_draws);
}

/// The images of kind's pods, which every node's image holds.
pub fn images() -> Vec<String> {
    templates(DEFAULT_CLUSTER)
        .iter()
        .filter_map(|o| o.as_typed::<Pod>())
        .flat_map(|p| p.spec.iter().flat_map(|s| s.containers.iter()))
        .filter_map(|c| c.image.clone())
        .collect()
}

/// The stream kind's objects draw from.
pub fn draws() -> Rng {
    Rng::new(SEED)
}

/// How many pods a ReplicaSet of kind's is made to keep.
fn replicas(templates: &[Object], replica_set: &str) -> usize {
    templates
        .iter()
        .filter(|o| o.kind() == Kind::ReplicaSet && o.name() == replica_set)
        .find_map(|o| o.as_typed::<ReplicaSet>())
        .and_then(|s| s.spec.as_ref()?.replicas)
        .map_or(1, |n| usize::try_from(n).unwrap_or(0))
}

/// The uid of one of kind's workloads (DaemonSets, Deployments, ReplicaSets):
/// drawn from its name, the same in every cluster, so that their pods can
/// name them without drawing from the system objects' stream.
pub fn owner_uid(owner: &str) -> String {
    Rng::new(digest_of(&[owner])).uuid()
}

/// The node a pod runs on, or the one its DaemonSet meant it for.
pub fn node_of(pod: &Pod) -> Option<&str> {
    pods::node_name(pod).or_else(|| {
        pod.spec
            .as_ref()?
            .affinity
            .as_ref()?
            .node_affinity
            .as_ref()?
            .required_during_scheduling_ignored_during_execution
            .as_ref()?
            .node_selector_terms
            .iter()
            .flat_map(|t| t.match_fields.iter().flatten())
            .find(|f| f.key == "metadata.name")?
            .values
            .as_ref()?
            .first()
            .map(String::as_str)
    })
}

/// A new pod from one of kind's templates, and its name: a static pod keeps
/// its own, a controller's pod gets its owner's uid and a generated name.
pub fn new_pod(cluster: &mut Cluster, template: &Object) -> (Object, String) {
    match template.controller() {
        Some(owner) if Keeper::of(template) != Some(Keeper::Node) => {
            let pod = owned_by(template, &owner_uid(&owner.name));
            let name = generated_name(cluster, &pod);
            (pod, name)
        }
        _ => (template.clone(), template.name().to_string()),
    }
}

/// The template with its controller's uid in the reference.
fn owned_by(template: &Object, uid: &str) -> Object {
    let mut pod = template.clone();
    for reference in pod.meta_mut().owner_references.iter_mut().flatten() {
        reference.uid = uid.to_string();
    }
    pod
}

/// `generateName` plus five random characters, as the apiserver names a
/// controller's pods.
fn generated_name(cluster: &mut Cluster, pod: &Object) -> String {
    let prefix = pod.meta().generate_name.clone().unwrap_or_default();
    format!("{prefix}{}", cluster.rng.suffix(5))
}

/// Creates the pod on `node` and lets its kubelet run it from now on: a
/// mirror pod is made on its node, the others are bound there by the scheduler.
fn place(cluster: &mut Cluster, mut pod: Object, name: &str, node: &str) {
    meant_for(&mut pod, name, node, cluster);
    let mirror = Keeper::of(&pod) == Some(Keeper::Node);
    if let (Object::Pod(pod), true) = (&mut pod, mirror) {
        pod.spec.get_or_insert_with(Default::default).node_name = Some(node.to_string());
    }
    let namespace = pod.namespace().to_string();
    let Ok(created) = cluster.create(pod) else {
        return;
    };
    kind_workloads::record_bootstrap_pod(cluster, &created);
    if let (Some(pod), false) = (created.as_typed::<Pod>(), mirror) {
        scheduler::bind(cluster, pod.clone(), node);
    }
    kubelet::adopt(cluster, &namespace, name);
}

/// Names the pod and ties it to `node` as its keeper does: a static pod's
/// owner is the node; a DaemonSet's pod asks for its node by name (the
/// scheduler then binds it), as the DaemonSet controller writes it.
pub fn meant_for(pod: &mut Object, name: &str, node: &str, cluster: &Cluster) {
    let node_uid = cluster
        .store
        .get_named(Kind::Node, "", node)
        .map(|n| n.uid().to_string())
        .unwrap_or_default();
    let keeper = Keeper::of(pod);
    pod.meta_mut().name = Some(name.to_string());
    if keeper == Some(Keeper::Node) {
        for reference in pod.meta_mut().owner_references.iter_mut().flatten() {
            reference.name = node.to_string();
            reference.uid = node_uid.clone();
        }
    }
    let Object::Pod(pod) = pod else {
        return;
    };
    if keeper == Some(Keeper::DaemonSet) {
        for field in node_fields(pod) {
            field.values = Some(vec![node.to_string()]);
        }
    }
}

/// The `metadata.name` requirements of the pod's required node affinity.
fn node_fields(pod: &mut Pod) -> impl Iterator<Item = &mut NodeSelectorRequirement> {
    pod.spec
        .as_mut()
        .and_then(|s| s.affinity.as_mut())
        .and_then(|a| a.node_affinity.as_mut())
        .and_then(|n| {
            n.required_during_scheduling_ignored_during_execution
                .as_mut()
        })
        .into_iter()
        .flat_map(|r| r.node_selector_terms.iter_mut())
        .flat_map(|t| t.match_fields.iter_mut().flatten())
        .filter(|f| f.key == "metadata.name")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_of_the_data_file_is_an_object() {
        let documents = MANIFESTS
            .split("\n---\n")
            .filter(|d| {
                d.lines()
                    .any(|l| l.starts_with("kind:") || l.contains("kind: "))
            })
            .count();
        assert_eq!(templates(DEFAULT_CLUSTER).len(), documents);
        let pods = templates(DEFAULT_CLUSTER)
            .iter()
            .filter(|o| o.kind() == Kind::Pod)
            .count();
        assert_eq!(pods, 8);
        assert!(templates(DEFAULT_CLUSTER)
            .iter()
            .filter(|o| o.kind() == Kind::Pod)
            .all(|pod| Keeper::of(pod).is_some()));
    }

    #[test]
    fn another_clusters_objects_name_its_control_plane() {
        let shop = templates("shop");
        let text = serde_json::to_string(&shop.iter().map(Object::to_json).collect::<Vec<_>>())
            .unwrap_or_default();
        assert!(!text.contains("kind-control-plane"));
        assert!(text.contains("etcd-shop-control-plane"));
        assert!(text.contains("--cluster-name=shop"));
        assert!(text.contains("clusterName: shop"));
        assert!(text.contains("shop-control-plane:6443"));
        assert_eq!(shop.len(), templates(DEFAULT_CLUSTER).len());
    }
}
