//! `kubectl describe pod`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Event, Pod};

use super::template::{containers, volumes};
use super::writer::{since, timestamp, Writer};
use crate::sim::clock::Millis;
use crate::sim::quantity::{self, Milli};

pub fn describe(pod: &Pod, events: Option<&[&Event]>, now: Millis) -> String {
    let meta = &pod.metadata;
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    let phase = status.phase.clone().unwrap_or_default();
    let mut w = Writer::namespaced(meta);
    if let Some(priority) = spec.priority {
        w.field(0, "Priority", priority);
    }
    w.field_if_set(
        0,
        "Priority Class Name",
        spec.priority_class_name.as_deref(),
    );
    w.field_if_set(0, "Runtime Class Name", spec.runtime_class_name.as_deref());
    w.field_if_set(0, "Service Account", spec.service_account_name.as_deref());
    match spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        Some(node) => w.field(
            0,
            "Node",
            format!("{node}/{}", status.host_ip.as_deref().unwrap_or("")),
        ),
        None => w.field(0, "Node", "<none>"),
    }
    if status.start_time.is_some() {
        w.field(0, "Start Time", timestamp(status.start_time.as_ref()));
    }
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    if meta.deletion_timestamp.is_some() && phase != "Failed" && phase != "Succeeded" {
        // Counts down to the deletion deadline, which is in the future: `<invalid>`.
        w.field(
            0,
            "Status",
            format!(
                "Terminating (lasts {})",
                since(meta.deletion_timestamp.as_ref(), now)
            ),
        );
        w.field(
            0,
            "Termination Grace Period",
            format!("{}s", meta.deletion_grace_period_seconds.unwrap_or(0)),
        );
    } else {
        w.field(0, "Status", &phase);
    }
    w.field_if_set(0, "Reason", status.reason.as_deref());
    w.field_if_set(0, "Message", status.message.as_deref());
    if let Some(profile) = spec
        .security_context
        .as_ref()
        .and_then(|s| s.seccomp_profile.as_ref())
    {
        w.field(0, "SeccompProfile", &profile.type_);
    }
    w.field(0, "IP", status.pod_ip.as_deref().unwrap_or(""));
    match status.pod_ips.as_ref().filter(|ips| !ips.is_empty()) {
        None => w.field(0, "IPs", "<none>"),
        Some(ips) => {
            w.write(0, "IPs:\n");
            for ip in ips {
                w.field(1, "IP", &ip.ip);
            }
        }
    }
    if let Some(owner) = meta
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
    {
        w.field(0, "Controlled By", format!("{}/{}", owner.kind, owner.name));
    }
    w.field_if_set(
        0,
        "NominatedNodeName",
        status.nominated_node_name.as_deref(),
    );
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        containers(
            &mut w,
            "Init Containers",
            init,
            status.init_container_statuses.as_ref(),
            Some(pod),
            "",
        );
    }
    containers(
        &mut w,
        "Containers",
        &spec.containers,
        status.container_statuses.as_ref(),
        Some(pod),
        "",
    );
    let conditions = status.conditions.clone().unwrap_or_default();
    if let Some(gates) = spec.readiness_gates.as_ref().filter(|g| !g.is_empty()) {
        w.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for gate in gates {
            let state = conditions
                .iter()
                .find(|c| c.type_ == gate.condition_type)
                .map_or("<none>".to_string(), |c| c.status.clone());
            w.write(1, &format!("{} \t{state} \n", gate.condition_type));
        }
    }
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for condition in &conditions {
            w.write(1, &format!("{} \t{} \n", condition.type_, condition.status));
        }
    }
    volumes(&mut w, spec.volumes.as_ref(), "");
    let qos = status
        .qos_class
        .clone()
        .filter(|q| !q.is_empty())
        .unwrap_or_else(|| qos_class(&spec.containers, spec.init_containers.as_deref()));
    w.field(0, "QoS Class", qos);
    w.labels("", "Node-Selectors", spec.node_selector.as_ref());
    w.tolerations("", "Tolerations", spec.tolerations.as_ref());
    w.events(events, now);
    w.finish()
}

/// Sums the non-zero cpu and memory quantities of one list over all containers.
fn totals(
    all: &[&Container],
    pick: fn(
        &Container,
    )
        -> Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) -> BTreeMap<String, Milli> {
    let mut sums = BTreeMap::new();
    for container in all {
        for (name, q) in pick(container).into_iter().flatten() {
            let value = quantity::parse(&q.0).unwrap_or(0);
            if (name == "cpu" || name == "memory") && value > 0 {
                *sums.entry(name.clone()).or_insert(0) += value;
            }
        }
    }
    sums
}

/// The QoS class the apiserver computes when the kubelet has not set one.
fn qos_class(main: &[Container], init: Option<&[Container]>) -> String {
    let all: Vec<&Container> = main.iter().chain(init.into_iter().flatten()).collect();
    let requests = totals(&all, |c| {
        c.resources.as_ref().and_then(|r| r.requests.as_ref())
    });
    let limits = totals(&all, |c| {
        c.resources.as_ref().and_then(|r| r.limits.as_ref())
    });
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort".to_string();
    }
    let every_container_limited = all.iter().all(|c| {
        let limits = c.resources.as_ref().and_then(|r| r.limits.as_ref());
        ["cpu", "memory"].iter().all(|name| {
            limits
                .and_then(|l| l.get(*name))
                .and_then(|q| quantity::parse(&q.0))
                .is_some_and(|v| v > 0)
        })
    });
    let matching = requests
        .iter()
        .all(|(name, value)| limits.get(name) == Some(value));
    if every_container_limited && matching && requests.len() == limits.len() {
        "Guaranteed".to_string()
    } else {
        "Burstable".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ResourceRequirements;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    fn container(requests: &[(&str, &str)], limits: &[(&str, &str)]) -> Container {
        let list = |pairs: &[(&str, &str)]| {
            (!pairs.is_empty()).then(|| {
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
                    .collect()
            })
        };
        Container {
            name: "c".to_string(),
            resources: Some(ResourceRequirements {
                requests: list(requests),
                limits: list(limits),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn qos_classes() {
        assert_eq!(qos_class(&[container(&[], &[])], None), "BestEffort");
        assert_eq!(
            qos_class(&[container(&[("cpu", "100m")], &[])], None),
            "Burstable"
        );
        let both = [("cpu", "100m"), ("memory", "64Mi")];
        assert_eq!(qos_class(&[container(&both, &both)], None), "Guaranteed");
    }
}
