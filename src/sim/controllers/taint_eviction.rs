//! The taint eviction controller: a pod on a node with NoExecute taints is
//! deleted at once when it does not tolerate one of them, or when the
//! shortest `tolerationSeconds` of the tolerations it uses runs out; a pod
//! that tolerates them all without a limit stays. When the taints change
//! (kubectl taint, or the node controller's unreachable taint coming and
//! going) the pods on the node are looked at again, and an eviction that is
//! no longer due is cancelled with an event saying so.

use k8s_openapi::api::core::v1::{Node, Pod, Taint, Toleration};

use crate::sim::clock::{Millis, SECOND};
use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::events::{record, EventKind, Source};
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;

const TAINT_EVICTION: Source<'static> = Source {
    component: "taint-eviction-controller",
    host: None,
};

/// Whether `toleration` tolerates `taint` (v1 ToleratesTaint).
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    let effect = toleration.effect.as_deref().unwrap_or("");
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = toleration.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match toleration.operator.as_deref().unwrap_or("Equal") {
        "Exists" => true,
        "Equal" => {
            toleration.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
        }
        _ => false,
    }
}

/// How long the pod may stay on a node with these taints: None when no
/// NoExecute taint says it must go (or it tolerates them all for ever),
/// Some(0) for at once, Some(ms) when its tolerations run out.
fn allowed_stay(taints: &[Taint], pod: &Pod) -> Option<Millis> {
    let tolerations = pods::tolerations(pod);
    let mut least: Option<Millis> = None;
    for taint in taints.iter().filter(|t| t.effect == "NoExecute") {
        // GetMatchingTolerations: the first toleration that tolerates it.
        let Some(used) = tolerations.iter().find(|t| tolerates(t, taint)) else {
            return Some(0);
        };
        if let Some(seconds) = used.toleration_seconds {
            let ms = u64::try_from(seconds.max(0)).unwrap_or(0) * SECOND;
            least = Some(least.map_or(ms, |l| l.min(ms)));
        }
    }
    least
}

fn node_taints<'a>(cluster: &'a Cluster, pod: &Pod) -> &'a [Taint] {
    pods::node_name(pod)
        .and_then(|n| cluster.store.get_typed::<Node>("", n))
        .and_then(|n| n.spec.as_ref()?.taints.as_deref())
        .unwrap_or(&[])
}

/// The node's taints changed: every pod on it is looked at again.
pub fn node_changed(cluster: &mut Cluster, node: &str) {
    for (namespace, name) in cluster.index.pods_on_node(node) {
        pod_changed(cluster, &namespace, &name);
    }
}

/// Schedules, keeps or cancels the eviction of one pod.
pub fn pod_changed(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(pod) = cluster.store.get_typed::<Pod>(namespace, name) else {
        return;
    };
    if pods::is_terminating(pod) {
        return;
    }
    let stay = allowed_stay(node_taints(cluster, pod), pod);
    let key = (namespace.to_string(), name.to_string());
    let now = cluster.now();
    let Some(stay) = stay else {
        if cluster.evictions.remove(&key).is_some() {
            let message = format!("Cancelling deletion of Pod {namespace}/{name}");
            if let Some(object) = cluster.store.get_named(Kind::Pod, namespace, name).cloned() {
                record(
                    cluster,
                    &object,
                    EventKind::Normal,
                    "TaintManagerEviction",
                    message,
                    TAINT_EVICTION,
                );
            }
        }
        return;
    };
    let due = now + stay;
    // An eviction already scheduled for earlier stands.
    if cluster.evictions.get(&key).is_some_and(|at| *at <= due) {
        return;
    }
    cluster.evictions.insert(key, due);
    cluster.enqueue(
        Task::EvictPod(namespace.to_string(), name.to_string()),
        stay,
    );
}

/// An eviction is due: the controller deletes the pod, unless the taints
/// changed meanwhile so that it may stay (or stay longer).
pub fn evict(cluster: &mut Cluster, namespace: &str, name: &str) {
    let key = (namespace.to_string(), name.to_string());
    let now = cluster.now();
    match cluster.evictions.get(&key) {
        Some(at) if *at <= now => {
            cluster.evictions.remove(&key);
        }
        _ => return,
    }
    let Some(pod) = cluster.store.get_typed::<Pod>(namespace, name).cloned() else {
        return;
    };
    if pods::is_terminating(&pod) || allowed_stay(node_taints(cluster, &pod), &pod).is_none() {
        return;
    }
    let mut marked = pod.clone();
    pods::mark_disruption_target(
        &mut marked,
        "DeletionByTaintManager",
        "Taint manager: deleting due to NoExecute taint",
        now,
    );
    if let Some(written) = cluster.write(Object::Pod(Box::new(marked))) {
        let message = format!("Marking for deletion Pod {namespace}/{name}");
        record(
            cluster,
            &written,
            EventKind::Normal,
            "TaintManagerEviction",
            message,
            TAINT_EVICTION,
        );
    }
    let _ = cluster.delete(
        &ObjectKey::new(Kind::Pod, namespace, name),
        &DeleteOptions::default(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: Option<&str>, effect: &str) -> Taint {
        Taint {
            key: key.to_string(),
            value: value.map(str::to_string),
            effect: effect.to_string(),
            time_added: None,
        }
    }

    fn pod_tolerating(tolerations: serde_json::Value) -> Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [], "tolerations": tolerations}
        }))
        .expect("a pod")
    }

    #[test]
    fn how_long_a_pod_may_stay_on_a_tainted_node() {
        let taints = [
            taint("maintenance", Some("now"), "NoExecute"),
            taint("zone", None, "NoSchedule"),
        ];
        let none = pod_tolerating(serde_json::json!([]));
        assert_eq!(
            allowed_stay(&taints, &none),
            Some(0),
            "untolerated: at once"
        );
        let wrong_value = pod_tolerating(serde_json::json!([
            {"key": "maintenance", "operator": "Equal", "value": "later", "effect": "NoExecute"}
        ]));
        assert_eq!(allowed_stay(&taints, &wrong_value), Some(0));
        let forever = pod_tolerating(serde_json::json!([{"operator": "Exists"}]));
        assert_eq!(allowed_stay(&taints, &forever), None, "tolerated for ever");
        let a_while = pod_tolerating(serde_json::json!([
            {"key": "maintenance", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}
        ]));
        assert_eq!(allowed_stay(&taints, &a_while), Some(60 * SECOND));
        assert_eq!(
            allowed_stay(&taints[1..], &none),
            None,
            "NoSchedule evicts nothing"
        );
    }
}
