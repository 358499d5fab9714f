//! The disruption controller: each PodDisruptionBudget's status. From the
//! pods its selector picks it counts the healthy ones (Ready, not being
//! deleted, not just evicted), works out how many must stay healthy
//! (minAvailable, or the scale of the pods' controllers less
//! maxUnavailable) and so how many disruptions the eviction API may allow
//! now, with the DisruptionAllowed condition.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, LabelSelector, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::sim::clock::{time, Millis, SECOND};
use crate::sim::cluster::{Cluster, Task};
use crate::sim::events::{self, EventKind, Source};
use crate::sim::intstr::scaled;
use crate::sim::labels::selector_matches;
use crate::sim::object::Object;
use crate::sim::pods;

/// How long an evicted pod may take to go before it counts again (DeletionTimeout).
const DELETION_TIMEOUT: Millis = 120 * SECOND;

const SOURCE: Source<'static> = Source {
    component: "controllermanager",
    host: None,
};

/// The pods a budget covers: an empty selector picks every pod of the
/// namespace, a missing one none (policy/v1).
pub fn covers(budget: &PodDisruptionBudget, pod: &Pod) -> bool {
    budget
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .is_some_and(|selector| selector_matches(selector, pod.metadata.labels.as_ref()))
}

/// Budgets to look at again after a change to a pod or a StatefulSet in `namespace`.
pub fn enqueue_covering(cluster: &mut Cluster, namespace: &str, pod: Option<&Pod>) {
    let names: Vec<String> = cluster
        .store
        .list_typed::<PodDisruptionBudget>(namespace)
        .filter(|b| pod.is_none_or(|p| covers(b, p)))
        .filter_map(|b| b.metadata.name.clone())
        .collect();
    for name in names {
        let delay = cluster.jitter(5, 30);
        cluster.enqueue(
            Task::SyncDisruptionBudget(namespace.to_string(), name),
            delay,
        );
    }
}

pub fn sync(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(budget) = cluster
        .store
        .get_typed::<PodDisruptionBudget>(namespace, name)
        .cloned()
    else {
        return;
    };
    if budget.metadata.deletion_timestamp.is_some() {
        return;
    }
    let spec = budget.spec.clone().unwrap_or_default();
    let covered: Vec<Pod> = cluster
        .store
        .list_typed::<Pod>(namespace)
        .filter(|p| covers(&budget, p))
        .cloned()
        .collect();
    let object = Object::PodDisruptionBudget(Box::new(budget.clone()));
    if covered.is_empty() {
        let message = "No matching pods found".to_string();
        events::record(
            cluster,
            &object,
            EventKind::Normal,
            "NoPods",
            message,
            SOURCE,
        );
    }
    let (expected, desired, unmanaged) = expected_and_desired(cluster, &spec, &covered);
    if unmanaged {
        let selector = go_selector(spec.selector.as_ref());
        let message = format!("Pods selected by this PodDisruptionBudget (selector: {selector}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.");
        events::record(
            cluster,
            &object,
            EventKind::Warning,
            "UnmanagedPods",
            message,
            SOURCE,
        );
    }
    let now = cluster.now();
    let old = budget.status.clone().unwrap_or_default();
    let (disrupted, recheck) = still_disrupted(&old, &covered, now);
    let healthy = covered
        .iter()
        .filter(|p| !pods::is_terminating(p))
        .filter(|p| !disrupted.contains_key(p.metadata.name.as_deref().unwrap_or("")))
        .filter(|p| pods::is_ready(p))
        .count() as i32;
    let allowed = if expected <= 0 {
        0
    } else {
        (healthy - desired).max(0)
    };
    let mut status = PodDisruptionBudgetStatus {
        current_healthy: healthy,
        desired_healthy: desired,
        expected_pods: expected,
        disruptions_allowed: allowed,
        disrupted_pods: (!disrupted.is_empty()).then_some(disrupted),
        observed_generation: budget.metadata.generation,
        conditions: old.conditions.clone(),
    };
    set_allowed_condition(&mut status, now);
    if budget.status.as_ref() != Some(&status) {
        let mut updated = budget;
        updated.status = Some(status);
        cluster.write(Object::PodDisruptionBudget(Box::new(updated)));
    }
    if let Some(at) = recheck {
        cluster.enqueue(
            Task::SyncDisruptionBudget(namespace.to_string(), name.to_string()),
            at.saturating_sub(now),
        );
    }
}

/// (expectedPods, desiredHealthy, whether some covered pods have no
/// controller) as getExpectedPodCount works them out.
fn expected_and_desired(
    cluster: &Cluster,
    spec: &k8s_openapi::api::policy::v1::PodDisruptionBudgetSpec,
    covered: &[Pod],
) -> (i32, i32, bool) {
    let count = covered.len() as i32;
    match (&spec.max_unavailable, &spec.min_available) {
        (Some(max), _) => {
            let (scale, unmanaged) = controllers_scale(cluster, covered);
            let unavailable = scaled(max, scale, true);
            (scale, (scale - unavailable).max(0), unmanaged)
        }
        (None, Some(IntOrString::Int(min))) => (count, *min, false),
        (None, Some(min)) => {
            let (scale, unmanaged) = controllers_scale(cluster, covered);
            (scale, scaled(min, scale, true), unmanaged)
        }
        (None, None) => (count, 0, false),
    }
}

/// The replicas the covered pods' controllers want, each controller once;
/// and whether some pod has no controller.
fn controllers_scale(cluster: &Cluster, covered: &[Pod]) -> (i32, bool) {
    let mut scales: BTreeMap<String, i32> = BTreeMap::new();
    let mut unmanaged = false;
    for pod in covered {
        let owner = pod
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true));
        let Some(owner) = owner else {
            unmanaged = true;
            continue;
        };
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
        if owner.kind == "StatefulSet" {
            let replicas = cluster
                .store
                .get_typed::<StatefulSet>(namespace, &owner.name)
                .filter(|s| s.metadata.uid.as_deref() == Some(owner.uid.as_str()))
                .and_then(|s| s.spec.as_ref())
                .and_then(|s| s.replicas);
            if let Some(replicas) = replicas {
                scales.insert(owner.uid.clone(), replicas);
            }
        }
    }
    (scales.values().sum(), unmanaged)
}

/// The evictions that still count (buildDisruptedPodMap): pods evicted
/// less than two minutes ago and not yet being deleted; and when to look
/// again if one of them is still there then.
fn still_disrupted(
    status: &PodDisruptionBudgetStatus,
    covered: &[Pod],
    now: Millis,
) -> (BTreeMap<String, Time>, Option<Millis>) {
    let mut kept = BTreeMap::new();
    let mut recheck: Option<Millis> = None;
    let Some(disrupted) = status.disrupted_pods.as_ref() else {
        return (kept, recheck);
    };
    for pod in covered.iter().filter(|p| !pods::is_terminating(p)) {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let Some(at) = disrupted.get(&name) else {
            continue;
        };
        let expected = crate::sim::clock::millis_of(at).saturating_add(DELETION_TIMEOUT);
        if expected > now {
            recheck = Some(recheck.map_or(expected, |r| r.min(expected)));
            kept.insert(name, at.clone());
        }
    }
    (kept, recheck)
}

/// DisruptionAllowed: True (SufficientPods) while a disruption is allowed.
pub fn set_allowed_condition(status: &mut PodDisruptionBudgetStatus, now: Millis) {
    let (value, reason) = if status.disruptions_allowed > 0 {
        ("True", "SufficientPods")
    } else {
        ("False", "InsufficientPods")
    };
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    let observed = status.observed_generation;
    match conditions
        .iter_mut()
        .find(|c| c.type_ == "DisruptionAllowed")
    {
        Some(existing) => {
            if existing.status != value {
                existing.status = value.to_string();
                existing.last_transition_time = time(now);
            }
            existing.reason = reason.to_string();
            existing.observed_generation = observed;
        }
        None => conditions.push(Condition {
            type_: "DisruptionAllowed".to_string(),
            status: value.to_string(),
            reason: reason.to_string(),
            message: String::new(),
            last_transition_time: time(now),
            observed_generation: observed,
        }),
    }
}

/// A *LabelSelector as Go's `%v` prints it (its generated String()).
fn go_selector(selector: Option<&LabelSelector>) -> String {
    let Some(selector) = selector else {
        return "nil".to_string();
    };
    let labels: String = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}: {v},"))
        .collect();
    let expressions: String = selector
        .match_expressions
        .iter()
        .flatten()
        .map(|e| {
            let values = e.values.clone().unwrap_or_default().join(",");
            format!(
                "LabelSelectorRequirement{{Key:{},Operator:{},Values:[{values}],}},",
                e.key, e.operator
            )
        })
        .collect();
    format!("&LabelSelector{{MatchLabels:map[string]string{{{labels}}},MatchExpressions:[]LabelSelectorRequirement{{{expressions}}},}}")
}
