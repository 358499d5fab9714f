//! `kubectl describe` of the workload kinds that make pods from a template:
//! deployments, replicasets and daemonsets (statefulsets have their own file
//! for their claim templates), and the `Pods Status:` line they all print.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{Event, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::template::pod_template;
use super::writer::{timestamp, Writer};
use crate::kubectl::printers::{format_labels, int_or_string};
use crate::sim::clock::Millis;
use crate::sim::labels::{selector_matches, selector_string};
use crate::sim::object::controlled_by;

/// `Pods Status:`, counting the pods the selector matches and `owner`
/// controls by phase (getPodStatusForController).
pub fn pods_status(w: &mut Writer, owner: &ObjectMeta, selector: &LabelSelector, pods: &[&Pod]) {
    let uid = owner.uid.as_deref().unwrap_or("");
    let mut counts = [0; 4];
    for pod in pods {
        let owned = controlled_by(&pod.metadata, uid);
        if !owned || !selector_matches(selector, pod.metadata.labels.as_ref()) {
            continue;
        }
        let slot = match pod.status.as_ref().and_then(|s| s.phase.as_deref()) {
            Some("Running") => 0,
            Some("Pending") => 1,
            Some("Succeeded") => 2,
            Some("Failed") => 3,
            _ => continue,
        };
        counts[slot] += 1;
    }
    w.field(
        0,
        "Pods Status",
        format!(
            "{} Running / {} Waiting / {} Succeeded / {} Failed",
            counts[0], counts[1], counts[2], counts[3]
        ),
    );
}

pub fn deployment(
    deployment: &Deployment,
    sets: &[&ReplicaSet],
    events: Option<&[&Event]>,
    now: Millis,
) -> String {
    let meta = &deployment.metadata;
    let spec = deployment.spec.clone().unwrap_or_default();
    let status = deployment.status.clone().unwrap_or_default();
    let mut w = Writer::namespaced(meta);
    w.field(
        0,
        "CreationTimestamp",
        timestamp(meta.creation_timestamp.as_ref()),
    );
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    w.field(0, "Selector", selector_string(&spec.selector));
    w.field(
        0,
        "Replicas",
        format!(
            "{} desired | {} updated | {} total | {} available | {} unavailable",
            spec.replicas.unwrap_or(1),
            status.updated_replicas.unwrap_or(0),
            status.replicas.unwrap_or(0),
            status.available_replicas.unwrap_or(0),
            status.unavailable_replicas.unwrap_or(0)
        ),
    );
    let strategy = spec.strategy.clone().unwrap_or_default();
    w.field(0, "StrategyType", strategy.type_.as_deref().unwrap_or(""));
    w.field(0, "MinReadySeconds", spec.min_ready_seconds.unwrap_or(0));
    if let Some(rolling) = &strategy.rolling_update {
        let unavailable = rolling.max_unavailable.as_ref().map(int_or_string);
        let surge = rolling.max_surge.as_ref().map(int_or_string);
        w.field(
            0,
            "RollingUpdateStrategy",
            format!(
                "{} max unavailable, {} max surge",
                unavailable.unwrap_or_default(),
                surge.unwrap_or_default()
            ),
        );
    }
    pod_template(&mut w, &spec.template);
    let conditions = status.conditions.unwrap_or_default();
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n");
        w.write(1, "Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for c in &conditions {
            let reason = c.reason.as_deref().unwrap_or("");
            w.write(1, &format!("{} \t{}\t{reason}\n", c.type_, c.status));
        }
    }
    // The Deployment's ReplicaSets: the one with its template is new, the
    // others old (a Deployment that never rolled out again has only the new).
    if !sets.is_empty() {
        let created = |set: &&ReplicaSet| {
            format!(
                "{} ({}/{} replicas created)",
                set.metadata.name.as_deref().unwrap_or(""),
                set.status.as_ref().map_or(0, |s| s.replicas),
                set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
            )
        };
        let new = sets.iter().find(|s| same_template(s, &spec.template));
        let old: Vec<String> = sets
            .iter()
            .filter(|s| !same_template(s, &spec.template))
            .map(created)
            .collect();
        w.field(
            0,
            "OldReplicaSets",
            if old.is_empty() {
                "<none>".to_string()
            } else {
                old.join(", ")
            },
        );
        w.field(
            0,
            "NewReplicaSet",
            new.map_or("<none>".to_string(), created),
        );
    }
    w.events(events, now);
    w.finish()
}

/// Whether a ReplicaSet makes the Deployment's pods: its template is the
/// Deployment's plus the pod-template-hash label.
fn same_template(set: &ReplicaSet, template: &k8s_openapi::api::core::v1::PodTemplateSpec) -> bool {
    let Some(mut own) = set.spec.as_ref().and_then(|s| s.template.clone()) else {
        return false;
    };
    if let Some(labels) = own.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        labels.remove("pod-template-hash");
    }
    own.spec == template.spec
        && own.metadata.as_ref().and_then(|m| m.labels.as_ref())
            == template.metadata.as_ref().and_then(|m| m.labels.as_ref())
}

pub fn replica_set(
    set: &ReplicaSet,
    pods: &[&Pod],
    events: Option<&[&Event]>,
    now: Millis,
) -> String {
    let meta = &set.metadata;
    let spec = set.spec.clone().unwrap_or_default();
    let mut w = Writer::namespaced(meta);
    w.field(0, "Selector", selector_string(&spec.selector));
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    w.controlled_by(meta);
    w.field(
        0,
        "Replicas",
        format!(
            "{} current / {} desired",
            set.status.as_ref().map_or(0, |s| s.replicas),
            spec.replicas.unwrap_or(1)
        ),
    );
    pods_status(&mut w, meta, &spec.selector, pods);
    pod_template(&mut w, &spec.template.unwrap_or_default());
    w.events(events, now);
    w.finish()
}

pub fn daemon_set(
    set: &DaemonSet,
    pods: &[&Pod],
    events: Option<&[&Event]>,
    now: Millis,
) -> String {
    let meta = &set.metadata;
    let spec = set.spec.clone().unwrap_or_default();
    let status = set.status.clone().unwrap_or_default();
    let mut w = Writer::namespaced(meta);
    w.field(0, "Selector", selector_string(&spec.selector));
    let node_selector = spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.node_selector.as_ref());
    w.field(0, "Node-Selector", format_labels(node_selector));
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    // describeDaemonSet prints these with a space, not a tab: they line up with nothing.
    for (what, n) in [
        (
            "Desired Number of Nodes Scheduled",
            status.desired_number_scheduled,
        ),
        (
            "Current Number of Nodes Scheduled",
            status.current_number_scheduled,
        ),
        (
            "Number of Nodes Scheduled with Up-to-date Pods",
            status.updated_number_scheduled.unwrap_or(0),
        ),
        (
            "Number of Nodes Scheduled with Available Pods",
            status.number_available.unwrap_or(0),
        ),
        ("Number of Nodes Misscheduled", status.number_misscheduled),
    ] {
        w.write(0, &format!("{what}: {n}\n"));
    }
    pods_status(&mut w, meta, &spec.selector, pods);
    pod_template(&mut w, &spec.template);
    w.events(events, now);
    w.finish()
}
