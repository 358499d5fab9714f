//! `kubectl describe pod`.

use k8s_openapi::api::core::v1::{Event, Pod};

use super::template::{containers, volumes};
use super::writer::{since, timestamp, Writer};
use crate::sim::clock::Millis;
use crate::sim::{pod_containers, qos};

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
    w.controlled_by(meta);
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
    if let Some(ephemeral) = spec.ephemeral_containers.as_ref().filter(|c| !c.is_empty()) {
        let as_containers: Vec<_> = ephemeral.iter().map(pod_containers::as_container).collect();
        containers(
            &mut w,
            "Ephemeral Containers",
            &as_containers,
            status.ephemeral_container_statuses.as_ref(),
            Some(pod),
            "",
        );
    }
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
        .unwrap_or_else(|| qos::class(&spec).to_string());
    w.field(0, "QoS Class", qos);
    w.labels("", "Node-Selectors", spec.node_selector.as_ref());
    w.tolerations("", "Tolerations", spec.tolerations.as_ref());
    w.events(events, now);
    w.finish()
}
