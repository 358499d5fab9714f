//! The pods/eviction subresource (what `kubectl drain` posts): a pod is
//! deleted only if the PodDisruptionBudget that covers it allows one more
//! disruption, which the eviction takes from the budget's status and notes
//! in `disruptedPods` until the disruption controller sees the pod go.
//! Otherwise 429, and the client tries again later.

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;

use super::clock::time;
use super::cluster::{Cluster, DeleteOptions};
use super::controllers::disruption;
use super::errors::{ApiError, ApiResult};
use super::object::{Kind, Object, ObjectKey};
use super::pods;

const REFUSED: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

pub fn evict(cluster: &mut Cluster, key: &ObjectKey, options: &DeleteOptions) -> ApiResult<()> {
    let Some(pod) = cluster
        .store()
        .get(key)
        .and_then(|o| o.as_typed::<Pod>())
        .cloned()
    else {
        return Err(ApiError::not_found(Kind::Pod, &key.name));
    };
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    // A pod that is done, not started or already going disrupts nothing more.
    let ignores_budgets =
        matches!(phase, Some("Succeeded" | "Failed" | "Pending")) || pods::is_terminating(&pod);
    if !ignores_budgets {
        let budgets: Vec<PodDisruptionBudget> = cluster
            .store()
            .list_typed::<PodDisruptionBudget>(&key.namespace)
            .filter(|b| disruption::covers(b, &pod))
            .cloned()
            .collect();
        match budgets.as_slice() {
            [] => {}
            [budget] => take_disruption(cluster, budget, &pod)?,
            _ => return Err(ApiError::internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")),
        }
    }
    cluster.delete(key, options).map(|_| ())
}

/// checkAndDecrement, after the unhealthy-pod rule: an unready pod may go
/// while the budget is met without it.
fn take_disruption(
    cluster: &mut Cluster,
    budget: &PodDisruptionBudget,
    pod: &Pod,
) -> ApiResult<()> {
    let status = budget.status.clone().unwrap_or_default();
    let always = budget
        .spec
        .as_ref()
        .and_then(|s| s.unhealthy_pod_eviction_policy.as_deref())
        == Some("AlwaysAllow");
    let healthy_enough =
        status.current_healthy >= status.desired_healthy && status.desired_healthy > 0;
    if !pods::is_ready(pod) && (always || healthy_enough) {
        return Ok(());
    }
    let processed =
        status.observed_generation.unwrap_or(0) >= budget.metadata.generation.unwrap_or(0);
    if !processed || status.disruptions_allowed == 0 {
        return Err(ApiError::too_many_requests(REFUSED.to_string()));
    }
    if status.disruptions_allowed < 0 {
        return Err(ApiError::forbidden(format!(
            "poddisruptionbudgets.policy \"{}\" is forbidden: pdb disruptions allowed is negative",
            budget.metadata.name.as_deref().unwrap_or("")
        )));
    }
    let mut status = status;
    status.disruptions_allowed -= 1;
    let now = cluster.now();
    if status.disruptions_allowed == 0 {
        disruption::set_allowed_condition(&mut status, now);
    }
    let name = pod.metadata.name.clone().unwrap_or_default();
    status
        .disrupted_pods
        .get_or_insert_with(Default::default)
        .insert(name, time(now));
    let mut updated = budget.clone();
    updated.status = Some(status);
    cluster.write(Object::PodDisruptionBudget(Box::new(updated)));
    Ok(())
}
