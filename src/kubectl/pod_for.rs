//! The pod that a `POD` or `TYPE/NAME` argument of `kubectl logs` and
//! `kubectl exec` stands for, as kubectl's polymorphic helpers find it. The
//! type is resolved like any other (`po`, `Pods`, `statefulsets.apps`); a
//! pod stands for itself, and a StatefulSet, Deployment, ReplicaSet,
//! DaemonSet or Service for the first pod its selector picks (GetFirstPod), in an order that depends on the command:
//! logs wants the pod with the most to tell (podutils.ByLogging), exec the
//! most active one (podutils.ActivePods, reversed).

use std::cmp::Reverse;

use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::output::Output;
use super::resources;
use crate::sim::labels::selector_matches;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::{pods, Cluster};

/// Which command asks, for its wording and its order of preference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Logs,
    Exec,
}

/// Why an argument gives no pod.
pub enum NoPod {
    /// The object it names is not there. logs and exec word this differently.
    NotFound(Kind, String),
    Failed(Output),
}

/// The pod, and how many pods the selector picked when an object other
/// than a pod was named (logs says "Found 3 pods, using pod/web-0").
pub struct Chosen {
    pub pod: Pod,
    pub among: Option<usize>,
}

pub fn find_pod(
    cluster: &Cluster,
    namespace: &str,
    arg: &str,
    purpose: Purpose,
) -> Result<Chosen, NoPod> {
    let (type_, name) = arg.split_once('/').unwrap_or(("pods", arg));
    let Some(kind) = resources::resolve(type_) else {
        return Err(NoPod::Failed(Output::error(resources::unknown(type_))));
    };
    let scope = if kind.namespaced() { namespace } else { "" };
    let store = cluster.store();
    let Some(object) = store.get(&ObjectKey::new(kind, scope, name)) else {
        return Err(NoPod::NotFound(kind, name.to_string()));
    };
    if let Some(pod) = object.as_typed::<Pod>() {
        return Ok(Chosen {
            pod: pod.clone(),
            among: None,
        });
    }
    let go_type = format!("*v1.{}", kind.name());
    if let Some(problem) = no_selector(object, &go_type) {
        let doing = match purpose {
            Purpose::Logs => "cannot get the logs from",
            Purpose::Exec => "cannot attach to",
        };
        return Err(NoPod::Failed(Output::error(format!(
            "{doing} {go_type}: {problem}"
        ))));
    }
    let picked: Vec<&Pod> = store
        .list_typed::<Pod>(namespace)
        .filter(|pod| picks(object, pod))
        .collect();
    let Some(pod) = first(picked.iter().copied(), purpose) else {
        // GetFirstPod waits for a pod to appear until its timeout.
        return Err(NoPod::Failed(Output::error(
            "timed out waiting for the condition",
        )));
    };
    Ok(Chosen {
        pod: pod.clone(),
        among: Some(picked.len()),
    })
}

/// The pod GetFirstPod takes for the command; among equals, the first.
fn first<'a>(pods: impl Iterator<Item = &'a Pod>, purpose: Purpose) -> Option<&'a Pod> {
    match purpose {
        Purpose::Logs => pods.min_by_key(|p| by_logging(p)),
        Purpose::Exec => pods.min_by_key(|p| Reverse(activity(p))),
    }
}

/// Why SelectorsForObject has no selector for the object (of Go type
/// `go_type`), if it has none.
fn no_selector(object: &Object, go_type: &str) -> Option<String> {
    if object.workload_selector().is_some() {
        return None;
    }
    let Some(service) = object.as_typed::<Service>() else {
        return Some(format!("selector for {go_type} not implemented"));
    };
    let selector = service.spec.as_ref().and_then(|s| s.selector.as_ref());
    selector.is_none_or(|s| s.is_empty()).then(|| {
        format!(
            "invalid service '{}': Service is defined without a selector",
            object.name()
        )
    })
}

/// Whether the workload's or Service's selector picks the pod.
fn picks(object: &Object, pod: &Pod) -> bool {
    if let Some(selector) = object.workload_selector() {
        selector_matches(selector, pod.metadata.labels.as_ref())
    } else if let Some(service) = object.as_typed::<Service>() {
        let selector = service.spec.as_ref().and_then(|s| s.selector.as_ref());
        selector.is_some_and(|s| s.iter().all(|(k, v)| pods::label(pod, k) == Some(v)))
    } else {
        false
    }
}

/// Seconds since the epoch; None for a time that is not set (Go's zero
/// time, which both orders treat apart).
fn seconds(time: Option<&Time>) -> Option<i64> {
    time.map(|t| t.0.as_second())
}

fn ready_since(pod: &Pod) -> Option<i64> {
    pods::condition(pod, "Ready")
        .filter(|c| c.status == "True")
        .and_then(|c| seconds(c.last_transition_time.as_ref()))
}

fn max_restarts(pod: &Pod) -> i32 {
    let statuses = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref());
    statuses
        .into_iter()
        .flatten()
        .map(|c| c.restart_count)
        .max()
        .unwrap_or(0)
}

/// ByLogging, lowest first: assigned before unassigned; Running (and any
/// phase its table leaves out) before Unknown before Pending; ready before
/// not; ready for longer first; more restarts first; older first; unset
/// times last.
fn by_logging(pod: &Pod) -> impl Ord {
    let phase = match pods::phase(pod) {
        "Unknown" => 1,
        "Pending" => 2,
        _ => 0,
    };
    let ready = ready_since(pod);
    let created = seconds(pod.metadata.creation_timestamp.as_ref());
    (
        pods::node_name(pod).is_none_or(str::is_empty),
        phase,
        !pods::is_ready(pod),
        (ready.is_none(), ready),
        Reverse(max_restarts(pod)),
        (created.is_none(), created),
    )
}

/// ActivePods, least active lowest: unassigned before assigned; Pending
/// (and any phase its table leaves out) before Unknown before Running; not
/// ready before ready; ready for less time first; more restarts first;
/// newer first; unset times first.
fn activity(pod: &Pod) -> impl Ord {
    let phase = match pods::phase(pod) {
        "Running" => 2,
        "Unknown" => 1,
        _ => 0,
    };
    let ready = ready_since(pod);
    let created = seconds(pod.metadata.creation_timestamp.as_ref());
    (
        pods::node_name(pod).is_some_and(|n| !n.is_empty()),
        phase,
        pods::is_ready(pod),
        (ready.is_some(), ready.map(Reverse)),
        Reverse(max_restarts(pod)),
        (created.is_some(), created.map(Reverse)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pod on `node` (or none), Running and Ready since `ready_at` (or
    /// Pending), with `restarts`.
    fn pod(name: &str, node: Option<&str>, ready_at: Option<&str>, restarts: i32) -> Pod {
        let conditions = ready_at.map(
            |at| serde_json::json!([{"type": "Ready", "status": "True", "lastTransitionTime": at}]),
        );
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": name, "creationTimestamp": "2026-11-26T10:00:00Z"},
            "spec": {"containers": [], "nodeName": node},
            "status": {
                "phase": if ready_at.is_some() { "Running" } else { "Pending" },
                "conditions": conditions,
                "containerStatuses": [{"name": "c", "image": "i", "imageID": "", "ready": true, "restartCount": restarts}]
            }
        }))
        .expect("a pod")
    }

    fn name(pods: &[Pod], purpose: Purpose) -> &str {
        let chosen = first(pods.iter(), purpose);
        chosen
            .and_then(|p| p.metadata.name.as_deref())
            .unwrap_or("")
    }

    #[test]
    fn both_prefer_a_scheduled_ready_pod_that_has_been_ready_longest() {
        let pods = [
            pod("web-0", None, None, 0),
            pod(
                "web-1",
                Some("kind-worker"),
                Some("2026-11-26T10:00:20Z"),
                0,
            ),
            pod(
                "web-2",
                Some("kind-worker2"),
                Some("2026-11-26T10:00:10Z"),
                0,
            ),
            pod("web-3", Some("kind-worker"), None, 0),
        ];
        assert_eq!(name(&pods, Purpose::Logs), "web-2");
        assert_eq!(name(&pods, Purpose::Exec), "web-2");
    }

    #[test]
    fn logs_prefer_the_pod_that_restarted_most_and_exec_the_one_that_restarted_least() {
        let at = Some("2026-11-26T10:00:10Z");
        let pods = [
            pod("web-0", Some("kind-worker"), at, 0),
            pod("web-1", Some("kind-worker2"), at, 3),
        ];
        assert_eq!(name(&pods, Purpose::Logs), "web-1");
        assert_eq!(name(&pods, Purpose::Exec), "web-0");
    }

    #[test]
    fn ties_keep_the_order_of_the_list() {
        let pods = [
            pod("web-0", Some("kind-worker"), None, 0),
            pod("web-1", Some("kind-worker"), None, 0),
        ];
        assert_eq!(name(&pods, Purpose::Logs), "web-0");
        assert_eq!(name(&pods, Purpose::Exec), "web-0");
    }
}
