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
use crate::sim::object::{Kind, Object, ObjectKey};
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
        ("skip-wait-for-delete-timeout", None, Takes::Value),
        ("chunk-size", None, Takes::Value),
    ],
    not_simulated: &["dry-run"],
};

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
        let unmanaged = object.controller_uid().is_none();
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
    let mut waiting = Vec::new();
    for object in &evict {
        out.out(format!(
            "evicting pod {}/{}",
            object.namespace(),
            object.name()
        ));
        if cluster.delete(&object.key(), &options).is_ok() {
            waiting.push((object.key(), object.uid().to_string()));
        }
    }
    let verb = if parsed.bool("disable-eviction") {
        "deleted"
    } else {
        "evicted"
    };
    let deadline = cluster
        .now()
        .saturating_add(timeout.unwrap_or(DEFAULT_LIMIT));
    loop {
        waiting.retain(|(key, uid): &(ObjectKey, String)| {
            let gone = cluster.store().get(key).is_none_or(|o| o.uid() != uid);
            if gone {
                out.out(format!("pod/{} {verb}", key.name));
            }
            !gone
        });
        if waiting.is_empty() {
            return Ok(());
        }
        if !cluster.step_until(deadline) {
            break;
        }
    }
    let (key, _) = &waiting[0];
    if timeout.is_some() {
        Err(format!(
            "error when evicting pods/{:?} -n {:?}: global timeout reached: {}",
            key.name,
            key.namespace,
            parsed.value("timeout").unwrap_or("")
        ))
    } else {
        Err(format!("stsplay stopped waiting for pod {:?} in namespace {:?} to terminate after 10m of simulated time", key.name, key.namespace))
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
