//! kind's DaemonSets (kindnet, kube-proxy), Deployments (coredns,
//! local-path-provisioner) and their ReplicaSets as API objects: made from
//! `kind_system.yaml` with their pods' template, under the uids the pods'
//! ownerReferences name, and given the status their controllers would report
//! from those pods. stsplay runs no DaemonSet, Deployment or ReplicaSet
//! controller; `controllers::system_workloads` keeps the pods.

use std::rc::Rc;

use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, DaemonSetStatus, Deployment, DeploymentCondition,
    DeploymentSpec, DeploymentStatus, ReplicaSet, ReplicaSetStatus,
};
use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;

use super::clock::time;
use super::cluster::Cluster;
use super::controllers::revision;
use super::events::{self, EventKind, Source};
use super::fast_hash::digest_of;
use super::intstr::scaled;
use super::object::{controlled_by, Kind, Object};
use super::pods;
use super::rng::Rng;
use super::system_pods::{self, node_of, owner_uid, templates};

/// The kinds made here, in the order their status is worked out (a
/// Deployment's comes from its ReplicaSet's).
pub const KINDS: [Kind; 3] = [Kind::DaemonSet, Kind::ReplicaSet, Kind::Deployment];

/// Whether an update changes a workload's pod template, which only a
/// controller stsplay does not run would roll out.
pub fn template_changed(old: &Object, new: &Object) -> bool {
    KINDS.contains(&new.kind()) && old.pod_template() != new.pod_template()
}

/// Why a workload's pods cannot be rolled out here (an apiserver-style
/// refusal, so that edit, patch, apply, set and rollout restart all say it).
pub fn no_rollouts(object: &Object) -> String {
    format!(
        "{} \"{}\" is forbidden: stsplay keeps kind's DaemonSets, Deployments and ReplicaSets as kind made them and runs no controller that rolls out a changed pod template; scaling a Deployment or ReplicaSet works",
        object.kind().qualified_plural(),
        object.name()
    )
}

/// Records what the controller of `owner` says when it makes `pod`
/// (SuccessfulCreate `Created pod: <name>`), from the controller kind `owner` is.
pub fn record_created(cluster: &mut Cluster, owner: &Object, pod: &str) {
    let source = match owner.kind() {
        Kind::DaemonSet => Source::DAEMON_SET,
        _ => Source::REPLICA_SET,
    };
    let message = format!("Created pod: {pod}");
    events::record(
        cluster,
        owner,
        EventKind::Normal,
        "SuccessfulCreate",
        message,
        source,
    );
}

/// Records an event of kind's bootstrap about one of its workloads. Its
/// random draws come from the event itself, so the system objects' own
/// stream (and every pod name in it) is as it was without it.
fn record_at_bootstrap(cluster: &mut Cluster, record: impl FnOnce(&mut Cluster)) {
    let mut draws = Rng::new(digest_of(&[
        "kind workload event",
        &cluster.now().to_string(),
    ]));
    system_pods::with_own_draws(cluster, &mut draws, record);
}

/// Makes one of kind's workloads as kind's bootstrap does; a ReplicaSet is
/// the Deployment controller's, which says so.
pub fn bootstrap(cluster: &mut Cluster, object: &Object) {
    let Some(created) = create(cluster, object, owner_uid(object.name())) else {
        return;
    };
    if let Some(set) = created.as_typed::<DaemonSet>() {
        store_revision(cluster, set);
    }
    let Some(set) = created.as_typed::<ReplicaSet>() else {
        return;
    };
    let Some(owner) = set.metadata.owner_references.iter().flatten().next() else {
        return;
    };
    let Some(deployment) = cluster
        .store
        .get_named(Kind::Deployment, created.namespace(), &owner.name)
        .cloned()
    else {
        return;
    };
    let replicas = set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let name = created.name().to_string();
    record_at_bootstrap(cluster, |cluster| {
        record_scaled(cluster, &deployment, &name, 0, replicas)
    });
}

/// The Deployment controller's `Scaled up replica set … from … to …`.
pub fn record_scaled(cluster: &mut Cluster, deployment: &Object, set: &str, from: i32, to: i32) {
    let direction = if to >= from { "up" } else { "down" };
    let message = format!("Scaled {direction} replica set {set} from {from} to {to}");
    let normal = EventKind::Normal;
    events::record(
        cluster,
        deployment,
        normal,
        "ScalingReplicaSet",
        message,
        Source::DEPLOYMENT,
    );
}

/// The bootstrap's record of a pod made for one of kind's workloads.
pub fn record_bootstrap_pod(cluster: &mut Cluster, pod: &Object) {
    let Some(owner) = pod.controller() else {
        return;
    };
    let kind = match owner.kind.as_str() {
        "DaemonSet" => Kind::DaemonSet,
        "ReplicaSet" => Kind::ReplicaSet,
        _ => return,
    };
    let Some(owner) = cluster
        .store
        .get_named(kind, pod.namespace(), &owner.name)
        .cloned()
    else {
        return;
    };
    let name = pod.name().to_string();
    record_at_bootstrap(cluster, |cluster| record_created(cluster, &owner, &name));
}

/// Stores one of kind's workloads under `uid`, with its template and its
/// owners' uids (kind's own objects, so neither defaulted nor validated).
pub fn create(cluster: &mut Cluster, object: &Object, uid: String) -> Option<Rc<Object>> {
    let mut object = object.clone();
    let namespace = object.namespace().to_string();
    for reference in object.meta_mut().owner_references.iter_mut().flatten() {
        reference.uid = cluster
            .store
            .get_named(Kind::Deployment, &namespace, &reference.name)
            .map_or_else(|| owner_uid(&reference.name), |o| o.uid().to_string());
    }
    let template = template_from_pods(&cluster.shape().name, &object);
    match &mut object {
        Object::DaemonSet(set) => set.spec.get_or_insert_with(Default::default).template = template,
        Object::Deployment(deployment) => {
            deployment
                .spec
                .get_or_insert_with(Default::default)
                .template = template
        }
        Object::ReplicaSet(set) => {
            set.spec.get_or_insert_with(Default::default).template = Some(template)
        }
        _ => return None,
    }
    let now = cluster.now();
    let created = cluster.store.create(object, uid, now).ok()?;
    cluster.inform();
    Some(created)
}

/// The DaemonSet controller's ControllerRevision of a DaemonSet's template,
/// named after the revision hash its pods are labelled with.
fn store_revision(cluster: &mut Cluster, set: &DaemonSet) {
    let Some(spec) = set.spec.as_ref() else {
        return;
    };
    let labels = spec
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone());
    let name = set.metadata.name.clone().unwrap_or_default();
    let Some(hash) = templates(&cluster.shape().name)
        .iter()
        .filter(|o| o.controller().is_some_and(|c| c.name == name))
        .find_map(|o| o.meta().labels.as_ref()?.get(HASH_LABEL).cloned())
    else {
        return;
    };
    let mut labels = labels.unwrap_or_default();
    labels.insert(HASH_LABEL.to_string(), hash.clone());
    let revision = ControllerRevision {
        metadata: ObjectMeta {
            name: Some(format!("{name}-{hash}")),
            namespace: set.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: set.metadata.annotations.clone(),
            owner_references: Some(vec![OwnerReference {
                api_version: "apps/v1".to_string(),
                kind: "DaemonSet".to_string(),
                name: name.clone(),
                uid: set.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        data: Some(RawExtension(revision::template_value(Some(&spec.template)))),
        revision: 1,
    };
    let uid = owner_uid(&format!("{name}-{hash}"));
    let now = cluster.now();
    if cluster
        .store
        .create(Object::ControllerRevision(Box::new(revision)), uid, now)
        .is_ok()
    {
        cluster.inform();
    }
}

const HASH_LABEL: &str = "controller-revision-hash";

/// Sets a ReplicaSet's replicas as the Deployment controller does, with the
/// annotations that say what the Deployment wants and may surge to.
pub fn scale(set: &mut ReplicaSet, replicas: i32, deployment: &DeploymentSpec) {
    set.spec.get_or_insert_with(Default::default).replicas = Some(replicas);
    let surge = deployment
        .strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref())
        .and_then(|r| r.max_surge.as_ref())
        .map_or(0, |m| scaled(m, replicas, true));
    let annotations = set
        .metadata
        .annotations
        .get_or_insert_with(Default::default);
    annotations.insert(DESIRED.to_string(), replicas.to_string());
    annotations.insert(MAX.to_string(), (replicas + surge).to_string());
}

const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
const MAX: &str = "deployment.kubernetes.io/max-replicas";

/// The template a workload makes its pods from: the pods' own, without what
/// the DaemonSet controller (its revision labels, tolerations and node
/// affinity) and admission (default tolerations, priority) add to each pod.
/// A Deployment's is its ReplicaSet's without the pod-template-hash label.
fn template_from_pods(cluster: &str, workload: &Object) -> PodTemplateSpec {
    let name = workload.name();
    let templates = templates(cluster);
    let owner = match workload.kind() {
        Kind::Deployment => templates
            .iter()
            .find(|o| {
                o.kind() == Kind::ReplicaSet && o.controller().is_some_and(|c| c.name == name)
            })
            .map_or(name, |set| set.name()),
        _ => name,
    };
    let Some(pod) = templates
        .iter()
        .filter(|o| o.controller().is_some_and(|c| c.name == owner))
        .find_map(|o| o.as_typed::<Pod>())
    else {
        return PodTemplateSpec::default();
    };
    let mut labels = pod.metadata.labels.clone().unwrap_or_default();
    labels.remove(HASH_LABEL);
    labels.remove("pod-template-generation");
    if workload.kind() == Kind::Deployment {
        labels.remove("pod-template-hash");
    }
    let mut spec = pod.spec.clone().unwrap_or_default();
    if let Some(tolerations) = spec.tolerations.as_mut() {
        tolerations.retain(|t| {
            !t.key
                .as_deref()
                .is_some_and(|k| k.starts_with("node.kubernetes.io/"))
        });
    }
    if workload.kind() == Kind::DaemonSet {
        if let Some(affinity) = spec.affinity.as_mut() {
            affinity.node_affinity = None;
        }
        if spec
            .affinity
            .as_ref()
            .is_some_and(|a| *a == Default::default())
        {
            spec.affinity = None;
        }
    }
    spec.priority = None;
    spec.preemption_policy = None;
    PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(labels),
            annotations: pod.metadata.annotations.clone(),
            ..Default::default()
        }),
        spec: Some(spec),
    }
}

/// Writes the status each of kind's workloads would report now, where it changed.
pub fn report(cluster: &mut Cluster) {
    for kind in KINDS {
        let objects: Vec<Rc<Object>> = cluster.store.list(kind).cloned().collect();
        for object in objects {
            let reported = match &*object {
                Object::DaemonSet(set) => daemon_set(cluster, set).map(Object::DaemonSet),
                Object::ReplicaSet(set) => replica_set(cluster, set).map(Object::ReplicaSet),
                Object::Deployment(d) => deployment(cluster, d).map(Object::Deployment),
                _ => None,
            };
            if let Some(reported) = reported.filter(|r| *r != *object) {
                cluster.write(reported);
            }
        }
    }
}

/// The pods `uid` controls that its controller still counts: neither
/// deleted nor finished.
pub fn counted_pods(cluster: &Cluster, namespace: &str, uid: &str) -> Vec<Rc<Object>> {
    cluster
        .store
        .list_in(Kind::Pod, namespace)
        .filter(|o| o.controller_uid() == Some(uid))
        .filter(|o| {
            o.as_typed::<Pod>()
                .is_some_and(|p| !pods::is_terminating(p) && pods::is_active(p))
        })
        .cloned()
        .collect()
}

/// How many of the pods are ready (and so available: none has minReadySeconds).
fn ready(owned: &[Rc<Object>]) -> i32 {
    count(
        owned
            .iter()
            .filter_map(|o| o.as_typed::<Pod>())
            .filter(|p| pods::is_running_and_ready(p))
            .count(),
    )
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Zero as the API leaves it out.
fn some(n: i32) -> Option<i32> {
    (n != 0).then_some(n)
}

fn daemon_set(cluster: &Cluster, set: &DaemonSet) -> Option<Box<DaemonSet>> {
    let namespace = set.metadata.namespace.as_deref().unwrap_or("");
    let owned = counted_pods(cluster, namespace, set.metadata.uid.as_deref()?);
    let ready = ready(&owned);
    // kind's DaemonSets tolerate every taint: every node should run one.
    let desired = count(cluster.store.list(Kind::Node).count());
    let scheduled = count(
        owned
            .iter()
            .filter_map(|o| o.as_typed::<Pod>())
            .filter(|p| node_of(p).is_some())
            .count(),
    );
    let mut reported = set.clone();
    reported.status = Some(DaemonSetStatus {
        current_number_scheduled: scheduled,
        desired_number_scheduled: desired,
        number_available: some(ready),
        number_misscheduled: 0,
        number_ready: ready,
        number_unavailable: some((desired - ready).max(0)),
        observed_generation: set.metadata.generation,
        updated_number_scheduled: some(scheduled),
        ..Default::default()
    });
    Some(Box::new(reported))
}

fn replica_set(cluster: &Cluster, set: &ReplicaSet) -> Option<Box<ReplicaSet>> {
    let namespace = set.metadata.namespace.as_deref().unwrap_or("");
    let owned = counted_pods(cluster, namespace, set.metadata.uid.as_deref()?);
    let ready = ready(&owned);
    let replicas = count(owned.len());
    let mut reported = set.clone();
    reported.status = Some(ReplicaSetStatus {
        replicas,
        fully_labeled_replicas: some(replicas),
        ready_replicas: some(ready),
        available_replicas: some(ready),
        observed_generation: set.metadata.generation,
        ..Default::default()
    });
    Some(Box::new(reported))
}

fn deployment(cluster: &Cluster, deployment: &Deployment) -> Option<Box<Deployment>> {
    let namespace = deployment.metadata.namespace.as_deref().unwrap_or("");
    let uid = deployment.metadata.uid.as_deref()?;
    let set = cluster
        .store
        .list_typed::<ReplicaSet>(namespace)
        .find(|s| controlled_by(&s.metadata, uid))?;
    let set_status = set.status.clone().unwrap_or_default();
    let wanted = deployment
        .spec
        .as_ref()
        .and_then(|s| s.replicas)
        .unwrap_or(1);
    let available = set_status.available_replicas.unwrap_or(0);
    let max_unavailable = deployment
        .spec
        .as_ref()
        .and_then(|s| s.strategy.as_ref())
        .and_then(|s| s.rolling_update.as_ref())
        .and_then(|r| r.max_unavailable.as_ref())
        .map_or(0, |m| scaled(m, wanted, false));
    let enough = available >= wanted - max_unavailable;
    let old = deployment.status.clone().unwrap_or_default();
    let now = time(cluster.now());
    let condition = |type_: &str, status: bool, reason: &str, message: String| {
        let status = if status { "True" } else { "False" }.to_string();
        let same = |c: &&DeploymentCondition| c.type_ == type_ && c.status == status;
        let transitioned = old.conditions.iter().flatten().find(same);
        let updated = transitioned.filter(|c| c.reason.as_deref() == Some(reason));
        DeploymentCondition {
            type_: type_.to_string(),
            reason: Some(reason.to_string()),
            message: Some(message),
            last_update_time: Some(
                updated
                    .and_then(|c| c.last_update_time.clone())
                    .unwrap_or(now.clone()),
            ),
            last_transition_time: Some(
                transitioned
                    .and_then(|c| c.last_transition_time.clone())
                    .unwrap_or(now.clone()),
            ),
            status,
        }
    };
    let available_condition = if enough {
        condition(
            "Available",
            true,
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.".to_string(),
        )
    } else {
        condition(
            "Available",
            false,
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.".to_string(),
        )
    };
    let set_name = set.metadata.name.clone().unwrap_or_default();
    // Once its ReplicaSet was complete, a Deployment that is not rolled out
    // again stays progressed, whatever later happens to the pods.
    let progressed = (set_status.replicas == wanted && available == wanted)
        || old.conditions.iter().flatten().any(|c| {
            c.type_ == "Progressing" && c.reason.as_deref() == Some("NewReplicaSetAvailable")
        });
    let progressing = if progressed {
        condition(
            "Progressing",
            true,
            "NewReplicaSetAvailable",
            format!("ReplicaSet \"{set_name}\" has successfully progressed."),
        )
    } else {
        condition(
            "Progressing",
            true,
            "ReplicaSetUpdated",
            format!("ReplicaSet \"{set_name}\" is progressing."),
        )
    };
    let mut reported = deployment.clone();
    reported.status = Some(DeploymentStatus {
        available_replicas: some(available),
        conditions: Some(vec![available_condition, progressing]),
        observed_generation: deployment.metadata.generation,
        ready_replicas: set_status.ready_replicas,
        replicas: some(set_status.replicas),
        unavailable_replicas: some((wanted - available).max(0)),
        updated_replicas: some(set_status.replicas),
        ..Default::default()
    });
    Some(Box::new(reported))
}
