//! Questions about pods that several controllers ask, and the condition
//! update they share.

use k8s_openapi::api::core::v1::{Pod, PodCondition, PodStatus, Toleration};

use super::clock::{millis_of, time, Millis, SECOND};

pub fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

pub fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

/// Not in a terminal phase (Succeeded or Failed).
pub fn is_active(pod: &Pod) -> bool {
    !matches!(phase(pod), "Succeeded" | "Failed")
}

pub fn tolerations(pod: &Pod) -> &[Toleration] {
    pod.spec
        .as_ref()
        .and_then(|s| s.tolerations.as_deref())
        .unwrap_or(&[])
}

/// The annotation a kubelet puts on the API copy of a static pod.
pub const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// Whether the pod is a kubelet's mirror of a static pod (kind's control
/// plane): the API cannot stop it, only its node's manifest can.
pub fn is_mirror(pod: &Pod) -> bool {
    pod.metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(MIRROR_ANNOTATION))
}

/// The node the pod is bound to (an empty `nodeName` binds it to none).
pub fn node_name(pod: &Pod) -> Option<&str> {
    pod.spec
        .as_ref()?
        .node_name
        .as_deref()
        .filter(|n| !n.is_empty())
}

pub fn condition<'a>(pod: &'a Pod, type_: &str) -> Option<&'a PodCondition> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

/// Sets a condition as podutil.UpdatePodCondition does: its transition
/// time moves only when its status changes. Returns whether it changed.
pub fn update_condition(status: &mut PodStatus, mut wanted: PodCondition, now: Millis) -> bool {
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    match conditions.iter_mut().find(|c| c.type_ == wanted.type_) {
        Some(old) => {
            wanted.last_transition_time = if old.status == wanted.status {
                old.last_transition_time.clone()
            } else {
                Some(time(now))
            };
            if *old == wanted {
                return false;
            }
            *old = wanted;
        }
        None => {
            wanted.last_transition_time = Some(time(now));
            conditions.push(wanted);
        }
    }
    true
}

pub fn is_ready(pod: &Pod) -> bool {
    condition(pod, "Ready").is_some_and(|c| c.status == "True")
}

pub fn is_running_and_ready(pod: &Pod) -> bool {
    phase(pod) == "Running" && is_ready(pod)
}

/// podutil.IsPodAvailable: Ready, and for more than `min_ready_seconds`
/// by the Ready condition's lastTransitionTime, judged at `now`.
pub fn is_available(pod: &Pod, min_ready_seconds: i32, now: Millis) -> bool {
    let Some(ready) = condition(pod, "Ready").filter(|c| c.status == "True") else {
        return false;
    };
    if min_ready_seconds <= 0 {
        return true;
    }
    let Some(since) = ready.last_transition_time.as_ref().map(millis_of) else {
        return false;
    };
    since + Millis::try_from(min_ready_seconds).unwrap_or(0) * SECOND < now
}

/// The ordinal in `<parent>-<ordinal>`, when the parent matches.
pub fn ordinal(pod_name: &str, parent: &str) -> Option<i32> {
    let (head, tail) = pod_name.rsplit_once('-')?;
    if head != parent || tail.is_empty() || !tail.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    tail.parse().ok()
}

pub fn label<'a>(pod: &'a Pod, key: &str) -> Option<&'a str> {
    pod.metadata.labels.as_ref()?.get(key).map(String::as_str)
}

pub const REVISION_LABEL: &str = "controller-revision-hash";

pub fn revision(pod: &Pod) -> &str {
    label(pod, REVISION_LABEL).unwrap_or("")
}

/// Claim names a pod mounts, in volume order.
pub fn claim_names(pod: &Pod) -> Vec<&str> {
    pod.spec
        .iter()
        .flat_map(|s| s.volumes.iter().flatten())
        .filter_map(|v| v.persistent_volume_claim.as_ref())
        .map(|c| c.claim_name.as_str())
        .collect()
}

/// Marks a pod about to be deleted by a controller (the DisruptionTarget
/// condition, replacing an earlier one).
pub fn mark_disruption_target(pod: &mut Pod, reason: &str, message: &str, now: Millis) {
    let conditions = pod
        .status
        .get_or_insert_with(Default::default)
        .conditions
        .get_or_insert_with(Vec::new);
    conditions.retain(|c| c.type_ != "DisruptionTarget");
    conditions.push(PodCondition {
        type_: "DisruptionTarget".to_string(),
        status: "True".to_string(),
        reason: Some(reason.to_string()),
        message: Some(message.to_string()),
        last_transition_time: Some(time(now)),
        ..Default::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_parse_only_for_the_parent() {
        assert_eq!(ordinal("web-0", "web"), Some(0));
        assert_eq!(ordinal("web-12", "web"), Some(12));
        assert_eq!(ordinal("my-web-1", "web"), None);
        assert_eq!(ordinal("web-", "web"), None);
        assert_eq!(ordinal("web-x", "web"), None);
    }
}
