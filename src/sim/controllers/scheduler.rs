//! The scheduler: filters nodes (cordons, taints, node affinity, requests,
//! volume topology, topology spread, pod affinity), picks the least loaded,
//! and binds. With WaitForFirstConsumer
//! claims it first picks a node for the volume and waits for it to bind.

use std::collections::BTreeMap;
use std::rc::Rc;

use k8s_openapi::api::core::v1::{
    Node, PersistentVolume, PersistentVolumeClaim, Pod, PodCondition, Taint,
};
use k8s_openapi::api::storage::v1::StorageClass;

use super::affinity::{self, InterPod};
use super::resources_fit;
use super::taint_eviction::tolerates;
use super::topology_spread::{self, TopologySpread};
use super::volume_bind::{annotate_yes, claim_reference, has_annotation, rewrite};
use super::volume_match::{claim_class, is_bound_to, match_pod_claims};
use super::volumes::{delays_binding, BIND_COMPLETED, BOUND_BY_CONTROLLER};
use crate::sim::clock::MINUTE;
use crate::sim::cluster::{Cluster, Task};
use crate::sim::events::{record_action, EventKind, Source};
use crate::sim::explain::{pod_subject, Reason as Why};
use crate::sim::object::{Kind, Object};
use crate::sim::pods;

pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
/// The provisioner name of classes whose volumes are all made by hand.
const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

pub fn schedule(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(object) = cluster.store.get_named(Kind::Pod, namespace, name).cloned() else {
        return explain(cluster, namespace, name, None);
    };
    let Some(pod) = object.as_typed::<Pod>() else {
        return;
    };
    if pods::node_name(pod).is_some() || pods::is_terminating(pod) {
        return explain(cluster, namespace, name, None);
    }
    cluster
        .waiting_for_pods
        .remove(&(namespace.to_string(), name.to_string()));
    let mut found: Vec<Rc<Object>> = Vec::new();
    for claim in pods::claim_names(pod) {
        let stored = cluster
            .store
            .get_named(Kind::PersistentVolumeClaim, namespace, claim)
            .filter(|o| o.as_typed::<PersistentVolumeClaim>().is_some());
        match stored {
            Some(c) if !c.is_terminating() => found.push(c.clone()),
            unusable => {
                let deleting = unusable.is_some();
                let state = if deleting {
                    "is being deleted"
                } else {
                    "not found"
                };
                let why = Why::ClaimUnusable {
                    pod: name.to_string(),
                    claim: claim.to_string(),
                    deleting,
                };
                explain(cluster, namespace, name, Some(why));
                let message = format!("persistentvolumeclaim \"{claim}\" {state}");
                return fail(cluster, &object, message);
            }
        }
    }
    let found: Vec<&PersistentVolumeClaim> = found.iter().filter_map(|c| c.as_typed()).collect();
    // The VolumeBinding plugin's PreFilter: only claims whose class waits
    // for a consumer are the scheduler's to place.
    if let Some(claim) = found
        .iter()
        .find(|c| !is_bound(c) && !delays_binding(cluster, c))
    {
        let why = Why::AwaitImmediateClaim {
            pod: name.to_string(),
            claim: claim.metadata.name.clone().unwrap_or_default(),
        };
        explain(cluster, namespace, name, Some(why));
        let message = "pod has unbound immediate PersistentVolumeClaims".to_string();
        return fail(cluster, &object, message);
    }
    let inter_pod = InterPod::new(cluster, pod);
    let spread = TopologySpread::new(cluster, pod, |node| selected_by(pod, node));
    let checks = PodChecks {
        inter_pod: &inter_pod,
        spread: &spread,
    };
    let (candidates, rejections, resolvable) = feasible_nodes(cluster, pod, &found, checks);
    let Some(node) = pick(cluster, pod, &candidates, &inter_pod) else {
        // The scheduler sorts the "<count> <reason>" texts.
        let mut reasons: Vec<String> = rejections
            .iter()
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect();
        reasons.sort();
        // Pods placed or removed elsewhere can change these verdicts.
        let about_other_pods = |r: &String| {
            r.starts_with("Insufficient ")
                || [
                    resources_fit::TOO_MANY_PODS,
                    affinity::AFFINITY_REJECTED,
                    affinity::ANTI_AFFINITY_REJECTED,
                    affinity::EXISTING_ANTI_AFFINITY_REJECTED,
                    topology_spread::SKEW_REJECTED,
                ]
                .contains(&r.as_str())
        };
        if rejections.keys().any(about_other_pods) {
            cluster
                .waiting_for_pods
                .insert((namespace.to_string(), name.to_string()));
        }
        let message = reasons.join(", ");
        let why = Why::NoNodeFits {
            pod: name.to_string(),
            nodes: cluster.store.count(Kind::Node),
            rejections: reasons,
        };
        explain(cluster, namespace, name, Some(why));
        return fail_on_nodes(cluster, &object, message, resolvable);
    };
    explain(cluster, namespace, name, None);
    // WaitForFirstConsumer: give unbound claims a free volume that suits the
    // node, or have one provisioned there; then wait for them to bind.
    let unbound: Vec<&PersistentVolumeClaim> = found.into_iter().filter(|c| !is_bound(c)).collect();
    if unbound.is_empty() {
        return bind(cluster, pod.clone(), &node);
    }
    let fresh: Vec<&PersistentVolumeClaim> = unbound
        .into_iter()
        .filter(|c| !has_annotation(&c.metadata, SELECTED_NODE))
        .collect();
    let matches = match_pod_claims(cluster, &fresh, &node);
    for (claim, matched) in fresh.into_iter().zip(matches) {
        bind_volume(cluster, claim, matched, &node);
    }
}

/// The Why panel's word on a pod the scheduler could not place; None once
/// it is placed, waits only for its volumes, or is gone.
fn explain(cluster: &mut Cluster, namespace: &str, name: &str, why: Option<Why>) {
    let (now, subject) = (cluster.now(), pod_subject(namespace, name));
    let scheduler = Source::SCHEDULER.component;
    cluster.explanations.update(now, scheduler, subject, why);
}

/// A pending pod was deleted: nothing is left to explain.
pub fn pod_deleted(cluster: &mut Cluster, namespace: &str, name: &str) {
    explain(cluster, namespace, name, None);
}

/// BindPodVolumes for one claim: its matched volume is pre-bound to it (the
/// PV controller completes the binding), or else the claim is annotated
/// with the node for its provisioner.
fn bind_volume(
    cluster: &mut Cluster,
    claim: &PersistentVolumeClaim,
    matched: Option<Rc<Object>>,
    node: &str,
) {
    if let Some(pv) = matched
        .as_deref()
        .and_then(|o| o.as_typed::<PersistentVolume>())
    {
        if !is_bound_to(pv, claim) {
            rewrite(cluster, pv, |pv| {
                pv.spec.get_or_insert_with(Default::default).claim_ref =
                    Some(claim_reference(claim));
                annotate_yes(&mut pv.metadata, BOUND_BY_CONTROLLER);
            });
        }
        return;
    }
    rewrite(cluster, claim, |claim| {
        let annotations = claim.metadata.annotations.get_or_insert_with(BTreeMap::new);
        annotations.insert(SELECTED_NODE.to_string(), node.to_string());
    });
}

/// A PreFilter's refusal (UnschedulableAndUnresolvable): no node was looked
/// at, and the other PreFilters did not run. DynamicResources' PostFilter
/// (GA and on by default in 1.34) then finds no state of its PreFilter and
/// fails with "not found", which ends the PostFilters before preemption; the
/// failure's message follows the PreFilter's (FitError.Error).
fn fail(cluster: &mut Cluster, pod: &Object, why: String) {
    let total = cluster.store.count(Kind::Node);
    let message = format!("0/{total} nodes are available: {why}. not found");
    report(cluster, pod, message);
}

/// FailedScheduling with the PostFilter plugins' verdicts: DynamicResources'
/// (a pod without resource claims has none to free), then preemption's per
/// node (no victims where removing pods could help, not helpful elsewhere).
fn fail_on_nodes(cluster: &mut Cluster, pod: &Object, why: String, resolvable: usize) {
    let total = cluster.store.count(Kind::Node);
    let mut verdicts = Vec::new();
    if resolvable > 0 {
        verdicts.push(format!(
            "{resolvable} No preemption victims found for incoming pod"
        ));
    }
    let hopeless = total.saturating_sub(resolvable);
    if hopeless > 0 || verdicts.is_empty() {
        verdicts.push(format!(
            "{hopeless} Preemption is not helpful for scheduling"
        ));
    }
    // Sorted as texts, counts and all, like the filter reasons.
    verdicts.sort();
    let message = format!(
        "0/{total} nodes are available: {why}. no new claims to deallocate, preemption: 0/{total} nodes are available: {}.",
        verdicts.join(", ")
    );
    report(cluster, pod, message);
}

/// The FailedScheduling event, the pod's condition, and the next attempt.
fn report(cluster: &mut Cluster, pod: &Object, message: String) {
    record_action(
        cluster,
        pod,
        "Scheduling",
        EventKind::Warning,
        "FailedScheduling",
        message.clone(),
        Source::SCHEDULER,
    );
    mark_unschedulable(cluster, pod, message);
    retry(cluster, pod.namespace(), pod.name());
}

/// After the event, the scheduler patches the pod's status with why it
/// could not be placed (handleSchedulingFailure); an unchanged condition
/// is not written again.
fn mark_unschedulable(cluster: &mut Cluster, object: &Object, message: String) {
    let Some(pod) = object.as_typed::<Pod>() else {
        return;
    };
    let wanted = PodCondition {
        type_: "PodScheduled".to_string(),
        status: "False".to_string(),
        reason: Some("Unschedulable".to_string()),
        message: Some(message),
        observed_generation: pod.metadata.generation,
        ..Default::default()
    };
    let mut status = pod.status.clone().unwrap_or_default();
    if !pods::update_condition(&mut status, wanted, cluster.now()) {
        return;
    }
    cluster.write_pod_status(object.namespace(), object.name(), status);
}

/// A pod was placed on a node or left one: the pods turned down for
/// inter-pod affinity or resources get another try.
pub fn placement_changed(cluster: &mut Cluster) {
    let waiting = std::mem::take(&mut cluster.waiting_for_pods);
    for (namespace, name) in waiting {
        let delay = cluster.jitter(20, 120);
        cluster.enqueue(Task::Schedule(namespace, name), delay);
    }
}

/// An unschedulable pod is retried when the cluster changes (nodes, claims)
/// and otherwise after podMaxInUnschedulablePodsDuration (5 minutes).
fn retry(cluster: &mut Cluster, namespace: &str, name: &str) {
    let delay = 5 * MINUTE + cluster.jitter(0, 1_000);
    cluster.enqueue(
        Task::Schedule(namespace.to_string(), name.to_string()),
        delay,
    );
}

fn is_bound(claim: &PersistentVolumeClaim) -> bool {
    claim.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound")
}

/// Nodes that pass every filter, and counts of why the others failed.
/// The filters that weigh the pods already placed, prepared once per attempt.
#[derive(Clone, Copy)]
struct PodChecks<'a> {
    inter_pod: &'a InterPod,
    spread: &'a TopologySpread,
}

fn feasible_nodes(
    cluster: &Cluster,
    pod: &Pod,
    claims: &[&PersistentVolumeClaim],
    checks: PodChecks<'_>,
) -> (Vec<String>, BTreeMap<String, usize>, usize) {
    let mut pinned: Option<String> = None;
    // A claim fully bound (isPVCFullyBound) to a volume that is gone: no
    // node will do (checkBoundClaims).
    let mut volume_missing = false;
    for claim in claims {
        let volume = claim.spec.as_ref().and_then(|s| s.volume_name.as_deref());
        if let Some(pv) = volume.and_then(|v| cluster.store.get_typed::<PersistentVolume>("", v)) {
            pinned = pinned.or_else(|| volume_node(pv));
        } else if volume.is_some() && has_annotation(&claim.metadata, BIND_COMPLETED) {
            volume_missing = true;
        } else if let Some(node) = claim
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(SELECTED_NODE))
        {
            pinned = pinned.or_else(|| Some(node.clone()));
        }
    }
    // Claims that wait for this pod: a node suits them when a free volume
    // there matches, or their class can provision one (the VolumeBinding
    // filter's findMatchingVolumes and checkVolumeProvisions).
    let waiting: Vec<(&PersistentVolumeClaim, bool)> = claims
        .iter()
        .filter(|c| !is_bound(c))
        .filter(|c| !has_annotation(&c.metadata, SELECTED_NODE))
        .map(|c| (*c, can_provision(cluster, c)))
        .collect();
    let mut ok = Vec::new();
    let mut rejections: BTreeMap<String, usize> = BTreeMap::new();
    let mut resolvable_nodes = 0;
    for node in cluster
        .store
        .list(Kind::Node)
        .filter_map(|o| o.as_typed::<Node>())
    {
        let name = node.metadata.name.as_deref().unwrap_or("");
        let spec = node.spec.as_ref();
        let untolerated = untolerated_taint(pod, node);
        // Unready nodes are filtered by the taints the node controller puts
        // on them. The first filter that fails decides, as in the
        // scheduler's plugin order; one may give several reasons.
        let fixed = |reason: String| (vec![reason], false);
        let (reasons, resolvable) = if spec.and_then(|s| s.unschedulable) == Some(true) {
            fixed("node(s) were unschedulable".to_string())
        } else if let Some(taint) = untolerated {
            fixed(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint.key,
                taint.value.clone().unwrap_or_default()
            ))
        } else if !selected_by(pod, node) {
            fixed("node(s) didn't match Pod's node affinity/selector".to_string())
        } else {
            let short = resources_fit::shortfalls(cluster, pod, node);
            if !short.is_empty() {
                // Removing pods could make room (preemption's question).
                (short, true)
            } else if volume_missing {
                fixed(
                    "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
                        .to_string(),
                )
            } else if pinned.as_deref().is_some_and(|p| p != name) {
                fixed("node(s) didn't match PersistentVolume's node affinity".to_string())
            } else if !volumes_fit(cluster, &waiting, name) {
                fixed("node(s) didn't find available persistent volumes to bind".to_string())
            } else if let Some(reason) = checks.spread.rejects(node) {
                // A skew that removing pods could fix; a missing label no preemption fixes.
                (
                    vec![reason.to_string()],
                    reason == topology_spread::SKEW_REJECTED,
                )
            } else {
                match checks.inter_pod.rejects(pod, name) {
                    None => (Vec::new(), false),
                    Some(reason) => (
                        vec![reason.to_string()],
                        reason != affinity::AFFINITY_REJECTED,
                    ),
                }
            }
        };
        if reasons.is_empty() {
            ok.push(name.to_string());
        }
        resolvable_nodes += usize::from(resolvable);
        for reason in reasons {
            *rejections.entry(reason).or_default() += 1;
        }
    }
    (ok, rejections, resolvable_nodes)
}

/// The VolumeBinding filter for the claims that wait for this pod: matched
/// together on the node, each left without a volume must be provisionable.
fn volumes_fit(cluster: &Cluster, waiting: &[(&PersistentVolumeClaim, bool)], node: &str) -> bool {
    if waiting.iter().all(|(_, provisionable)| *provisionable) {
        return true;
    }
    let claims: Vec<&PersistentVolumeClaim> = waiting.iter().map(|(c, _)| *c).collect();
    let matches = match_pod_claims(cluster, &claims, node);
    waiting
        .iter()
        .zip(matches)
        .all(|((_, provisionable), matched)| *provisionable || matched.is_some())
}

/// Whether the claim's class names a provisioner (the one that means none,
/// `kubernetes.io/no-provisioner`, is for volumes made by hand).
fn can_provision(cluster: &Cluster, claim: &PersistentVolumeClaim) -> bool {
    cluster
        .store
        .get_typed::<StorageClass>("", claim_class(claim))
        .is_some_and(|c| !c.provisioner.is_empty() && c.provisioner != NO_PROVISIONER)
}

/// The first NoSchedule or NoExecute taint of the node the pod does not
/// tolerate (the TaintToleration filter).
pub(crate) fn untolerated_taint<'a>(pod: &Pod, node: &'a Node) -> Option<&'a Taint> {
    let tolerations = pods::tolerations(pod);
    node.spec
        .iter()
        .flat_map(|s| s.taints.iter().flatten())
        .find(|t| {
            matches!(t.effect.as_str(), "NoSchedule" | "NoExecute")
                && !tolerations.iter().any(|tol| tolerates(tol, t))
        })
}

/// Whether the node has every label of the pod's nodeSelector and passes
/// its required node affinity (the NodeAffinity filter, after taints and
/// before volumes).
fn selected_by(pod: &Pod, node: &Node) -> bool {
    let wanted = pod.spec.as_ref().and_then(|s| s.node_selector.as_ref());
    let labels = node.metadata.labels.as_ref();
    wanted
        .into_iter()
        .flatten()
        .all(|(key, value)| labels.and_then(|l| l.get(key)) == Some(value))
        && affinity::node_affinity_matches(pod, node)
}

/// The node a local volume lives on, from its node affinity.
pub fn volume_node(pv: &PersistentVolume) -> Option<String> {
    pv.spec
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required
        .as_ref()?
        .node_selector_terms
        .first()?
        .match_expressions
        .as_ref()?
        .first()?
        .values
        .as_ref()?
        .first()
        .cloned()
}

/// Fewest PreferNoSchedule taints the pod does not tolerate first (the
/// TaintToleration score, which outweighs the rest), then the preferred
/// node and pod affinity terms, then least pods (the spreading scores),
/// ties broken at random.
fn pick(
    cluster: &mut Cluster,
    pod: &Pod,
    candidates: &[String],
    inter_pod: &InterPod,
) -> Option<String> {
    let tolerations = pods::tolerations(pod);
    let disliked = |node: &str| -> usize {
        let taints = cluster
            .store
            .get_typed::<Node>("", node)
            .and_then(|n| n.spec.as_ref()?.taints.as_deref())
            .unwrap_or(&[]);
        taints
            .iter()
            .filter(|t| t.effect == "PreferNoSchedule")
            .filter(|t| !tolerations.iter().any(|tol| tolerates(tol, t)))
            .count()
    };
    let preferred = |node: &str| -> i64 {
        let by_node = cluster
            .store
            .get_typed::<Node>("", node)
            .map_or(0, |n| affinity::node_affinity_score(pod, n));
        by_node + inter_pod.score(pod, node)
    };
    let loads: Vec<((usize, i64, usize), &String)> = candidates
        .iter()
        .map(|n| ((disliked(n), -preferred(n), cluster.index.node_load(n)), n))
        .collect();
    let least = loads.iter().map(|(l, _)| *l).min()?;
    let best: Vec<&String> = loads
        .iter()
        .filter(|(l, _)| *l == least)
        .map(|(_, n)| *n)
        .collect();
    let index = cluster.rng.range(0, best.len() as u64 - 1) as usize;
    Some(best[index].clone())
}

/// Binds the pod to `node` and records Scheduled, as the scheduler's binding does.
pub(crate) fn bind(cluster: &mut Cluster, mut pod: Pod, node: &str) {
    let now = cluster.now();
    if let Some(spec) = pod.spec.as_mut() {
        spec.node_name = Some(node.to_string());
    }
    let scheduled = PodCondition {
        type_: "PodScheduled".to_string(),
        status: "True".to_string(),
        ..Default::default()
    };
    pods::update_condition(
        pod.status.get_or_insert_with(Default::default),
        scheduled,
        now,
    );
    let namespace = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();
    if let Some(bound) = cluster.bind(Object::Pod(Box::new(pod))) {
        let message = format!("Successfully assigned {namespace}/{name} to {node}");
        record_action(
            cluster,
            &bound,
            "Binding",
            EventKind::Normal,
            "Scheduled",
            message,
            Source::SCHEDULER,
        );
    }
}
