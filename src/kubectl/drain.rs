//! `kubectl drain`: cordon the node, then evict its pods and wait until
//! each is gone (its controller may recreate it elsewhere), as kubectl's
//! drain helper does. Blocking: the virtual clock runs meanwhile.

use std::rc::Rc;

use k8s_openapi::api::core::v1::Pod;

use super::args::{Parsed, Spec, Takes};
use super::blocking::DEFAULT_LIMIT;
use super::cordon::{nodes, set_unschedulable};
use super::output::Output;
use super::selector::Selector;
use crate::sim::clock::{millis_of, Millis, SECOND};
use crate::sim::errors::Reason;
use crate::sim::eviction;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;
use crate::sim::{Cluster, DeleteOptions};

pub const SPEC: Spec = Spec {
    flags: &[
        ("selector", Some('l'), Takes::Value),
        ("pod-selector", None, Takes::Value),
        ("ignore-daemonsets", None, Takes::Bool),
        ("delete-emptydir-data", None, Takes::Bool),
        ("force", None, Takes::Bool),
        ("grace-period", None, Takes::Int),
        ("timeout", None, Takes::Duration),
        ("disable-eviction", None, Takes::Bool),
        ("skip-wait-for-delete-timeout", None, Takes::Int),
        ("chunk-size", None, Takes::Value),
    ],
    not_simulated: &["dry-run"],
};

/// How long kubectl waits before it asks again for an eviction a budget refused.
const RETRY: Millis = 5 * SECOND;

const DAEMON_SET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMON_SET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const UNMANAGED_FATAL: &str =
    "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";

pub fn run(cluster: &mut Cluster, parsed: &Parsed) -> Output {
    let pod_selector = match parsed
        .value("pod-selector")
        .map(Selector::parse)
        .transpose()
    {
        Ok(s) => s.unwrap_or_default(),
        Err(_) => {
            return Output::error("--pod-selector=<pod_selector> must be a valid label selector")
        }
    };
    let grace = parsed.int("grace-period").filter(|g| *g >= 0);
    let timeout = parsed.duration("timeout").filter(|t| *t > 0);
    let targets = match nodes(cluster, parsed, "drain") {
        Ok(nodes) => nodes,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for node in &targets {
        out.merge(set_unschedulable(cluster, node, true));
    }
    let mut pending = Vec::new();
    for node in &targets {
        match drain_node(
            cluster,
            parsed,
            node,
            &pod_selector,
            grace,
            timeout,
            &mut out,
        ) {
            Ok(()) => out.out(format!("node/{} drained", node.name())),
            Err(err) => {
                out.err(format!(
                    "error: unable to drain node {:?} due to error: {err}, continuing command...",
                    node.name()
                ));
                pending.push((node.name().to_string(), err));
            }
        }
    }
    if !pending.is_empty() {
        out.err("There are pending nodes to be drained:");
        for (name, _) in &pending {
            out.err(format!(" {name}"));
        }
        let errors: Vec<String> = pending.into_iter().map(|(_, e)| e).collect();
        out.merge(Output::error(super::output::aggregate(&errors)));
    }
    out
}

/// Evicts the node's pods and waits for them; Err is kubectl's reason not to.
fn drain_node(
    cluster: &mut Cluster,
    parsed: &Parsed,
    node: &Object,
    pod_selector: &Selector,
    grace: Option<i64>,
    timeout: Option<u64>,
    out: &mut Output,
) -> Result<(), String> {
    let pods: Vec<Rc<Object>> = cluster
        .store()
        .list(Kind::Pod)
        .filter(|o| {
            o.as_typed::<Pod>()
                .and_then(|p| p.spec.as_ref())
                .and_then(|s| s.node_name.as_deref())
                == Some(node.name())
        })
        .filter(|o| pod_selector.matches(o.meta().labels.as_ref()))
        .cloned()
        .collect();
    let mut fatal: Vec<(&str, String)> = Vec::new();
    let mut warnings: Vec<(&str, String)> = Vec::new();
    let mut evict = Vec::new();
    // kubectl's first filter: a pod deleted longer ago than
    // --skip-wait-for-delete-timeout is neither evicted nor waited for.
    let skip_after = parsed
        .int("skip-wait-for-delete-timeout")
        .filter(|s| *s > 0)
        .map(|s| u64::try_from(s).unwrap_or(0) * SECOND);
    for object in &pods {
        let Some(pod) = object.as_typed::<Pod>() else {
            continue;
        };
        let name = format!("{}/{}", object.namespace(), object.name());
        let finished = matches!(
            pod.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded" | "Failed")
        );
        let local_storage = pod
            .spec
            .iter()
            .flat_map(|s| s.volumes.iter().flatten())
            .any(|v| v.empty_dir.is_some());
        let deleted_at = pod.metadata.deletion_timestamp.as_ref().map(millis_of);
        if let (Some(after), Some(at)) = (skip_after, deleted_at) {
            if cluster.now().saturating_sub(at) > after {
                continue;
            }
        }
        let controller = object.controller();
        // A DaemonSet's pod would be back at once, whatever the node says;
        // a mirror pod is its node's own. kubectl's filters stop at either.
        if !finished && controller.is_some_and(|c| c.kind == "DaemonSet") {
            if parsed.bool("ignore-daemonsets") {
                warnings.push((DAEMON_SET_WARNING, name));
            } else {
                fatal.push((DAEMON_SET_FATAL, name));
            }
            continue;
        }
        if pods::is_mirror(pod) {
            continue;
        }
        let unmanaged = controller.is_none();
        // Like kubectl's filters, the last one that has something to say wins.
        let mut verdict: Option<(bool, &str)> = None;
        if local_storage && !finished {
            verdict = Some(if parsed.bool("delete-emptydir-data") {
                (false, LOCAL_STORAGE_WARNING)
            } else {
                (true, LOCAL_STORAGE_FATAL)
            });
        }
        if unmanaged && !finished {
            verdict = Some(if parsed.bool("force") {
                (false, UNMANAGED_WARNING)
            } else {
                (true, UNMANAGED_FATAL)
            });
        }
        match verdict {
            Some((true, message)) => fatal.push((message, name)),
            Some((false, message)) => {
                warnings.push((message, name));
                evict.push(object.clone());
            }
            None => evict.push(object.clone()),
        }
    }
    if !fatal.is_empty() {
        return Err(grouped(&fatal)
            .into_iter()
            .map(|m| format!("cannot delete {m}"))
            .collect::<Vec<_>>()
            .join(", "));
    }
    if !warnings.is_empty() {
        out.err(format!("Warning: {}", grouped(&warnings).join("; ")));
    }
    let options = DeleteOptions {
        grace_seconds: grace,
        ..Default::default()
    };
    let (disable_eviction, verb) = if parsed.bool("disable-eviction") {
        (true, "deleted")
    } else {
        (false, "evicted")
    };
    let deadline = cluster
        .now()
        .saturating_add(timeout.unwrap_or(DEFAULT_LIMIT));
    // Each pod's next try; kubectl tries every pod at once and again 5s
    // after a disruption budget says no.
    let mut tries: Vec<(ObjectKey, Millis)> = evict.iter().map(|o| (o.key(), 0)).collect();
    let mut waiting: Vec<(ObjectKey, String)> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    loop {
        let now = cluster.now();
        let (due, later): (Vec<_>, Vec<_>) = tries.into_iter().partition(|(_, at)| *at <= now);
        tries = later;
        for (key, _) in due {
            out.out(format!("evicting pod {}/{}", key.namespace, key.name));
            let uid = cluster
                .store()
                .get(&key)
                .map(|o| o.uid().to_string())
                .unwrap_or_default();
            let result = if disable_eviction {
                cluster.delete(&key, &options).map(|_| ())
            } else {
                eviction::evict(cluster, &key, &options)
            };
            match result {
                Ok(()) => waiting.push((key, uid)),
                Err(err) if err.reason == Reason::NotFound => {}
                Err(err) if err.reason == Reason::TooManyRequests => {
                    out.err(format!(
                        "error when evicting pods/{:?} -n {:?} (will retry after 5s): {err}",
                        key.name, key.namespace
                    ));
                    tries.push((key, now + RETRY));
                }
                Err(err) => errors.push(format!(
                    "error when evicting pods/{:?} -n {:?}: {err}",
                    key.name, key.namespace
                )),
            }
        }
        waiting.retain(|(key, uid)| {
            let gone = cluster.store().get(key).is_none_or(|o| o.uid() != uid);
            if gone {
                out.out(format!("pod/{} {verb}", key.name));
            }
            !gone
        });
        if tries.is_empty() && waiting.is_empty() {
            break;
        }
        let next_try = tries.iter().map(|(_, at)| *at).min().unwrap_or(deadline);
        let until = next_try.min(deadline);
        if !cluster.step_until(until) {
            // Nothing changes before `until`: kubectl waits it out all the same.
            cluster.advance(until.saturating_sub(cluster.now()));
            if until >= deadline {
                errors.push(timed_out(parsed, timeout, &tries, &waiting));
                break;
            }
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    let err = super::output::aggregate(&errors);
    out.err(format!(
        "There are pending pods in node {:?} when an error occurred: {err}",
        node.name()
    ));
    for object in &evict {
        out.err(format!("pod/{}", object.name()));
    }
    Err(err)
}

/// Why drain gave up waiting: kubectl's global timeout, or the playground's
/// own bound when no --timeout was given.
fn timed_out(
    parsed: &Parsed,
    timeout: Option<u64>,
    tries: &[(ObjectKey, Millis)],
    waiting: &[(ObjectKey, String)],
) -> String {
    let key = tries
        .first()
        .map(|(k, _)| k)
        .or(waiting.first().map(|(k, _)| k));
    let (name, namespace) = key.map_or(("", ""), |k| (k.name.as_str(), k.namespace.as_str()));
    if timeout.is_some() {
        format!(
            "error when evicting pods/{name:?} -n {namespace:?}: global timeout reached: {}",
            parsed.value("timeout").unwrap_or("")
        )
    } else {
        format!("stsplay stopped waiting for pod {name:?} in namespace {namespace:?} to terminate after 10m of simulated time")
    }
}

/// `message: ns/a, ns/b` per distinct message, in first-seen order.
fn grouped(items: &[(&str, String)]) -> Vec<String> {
    let mut messages: Vec<(&str, Vec<&str>)> = Vec::new();
    for (message, pod) in items {
        match messages.iter_mut().find(|(m, _)| m == message) {
            Some((_, pods)) => pods.push(pod),
            None => messages.push((message, vec![pod])),
        }
    }
    messages
        .into_iter()
        .map(|(m, pods)| format!("{m}: {}", pods.join(", ")))
        .collect()
}
