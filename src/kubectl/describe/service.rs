//! `kubectl describe service`.

use k8s_openapi::api::core::v1::{Event, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::writer::Writer;
use crate::kubectl::printers::format_labels;
use crate::sim::clock::Millis;
use crate::sim::shared_endpoints::EndpointSlice;

/// How many endpoints describe lists before `+ N more...`.
const MAX_ENDPOINTS: usize = 3;

pub fn describe(
    service: &Service,
    slices: &[&EndpointSlice],
    events: Option<&[&Event]>,
    now: Millis,
) -> String {
    let meta = &service.metadata;
    let spec = service.spec.clone().unwrap_or_default();
    let mut w = Writer::namespaced(meta);
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    w.field(0, "Selector", format_labels(spec.selector.as_ref()));
    w.field(0, "Type", spec.type_.as_deref().unwrap_or(""));
    if let Some(policy) = &spec.ip_family_policy {
        w.field(0, "IP Family Policy", policy);
    }
    match spec.ip_families.as_ref().filter(|f| !f.is_empty()) {
        Some(families) => w.field(0, "IP Families", families.join(",")),
        None => w.field(0, "IP Families", "<none>"),
    }
    w.field(0, "IP", spec.cluster_ip.as_deref().unwrap_or(""));
    match spec.cluster_ips.as_ref().filter(|ips| !ips.is_empty()) {
        Some(ips) => w.field(0, "IPs", ips.join(",")),
        None => w.field(0, "IPs", "<none>"),
    }
    if let Some(external) = spec.external_ips.as_ref().filter(|ips| !ips.is_empty()) {
        w.field(0, "External IPs", external.join(","));
    }
    w.field_if_set(0, "External Name", spec.external_name.as_deref());
    for port in spec.ports.iter().flatten() {
        let name = port
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<unset>".to_string());
        let protocol = port.protocol.as_deref().unwrap_or("TCP");
        w.write(0, &format!("Port:\t{name}\t{}/{protocol}\n", port.port));
        let target = match &port.target_port {
            Some(IntOrString::Int(n)) => n.to_string(),
            Some(IntOrString::String(s)) => s.clone(),
            None => port.port.to_string(),
        };
        w.field(0, "TargetPort", format!("{target}/{protocol}"));
        if let Some(node_port) = port.node_port.filter(|p| *p != 0) {
            w.write(0, &format!("NodePort:\t{name}\t{node_port}/{protocol}\n"));
        }
        w.field(
            0,
            "Endpoints",
            endpoints(slices, port.name.as_deref().unwrap_or("")),
        );
    }
    w.field(
        0,
        "Session Affinity",
        spec.session_affinity.as_deref().unwrap_or(""),
    );
    w.field_if_set(
        0,
        "External Traffic Policy",
        spec.external_traffic_policy.as_deref(),
    );
    if let Some(policy) = &spec.internal_traffic_policy {
        w.field(0, "Internal Traffic Policy", policy);
    }
    w.events(events, now);
    w.finish()
}

/// Ready `ip:port` pairs of one service port, as describe's formatEndpointSlices.
fn endpoints(slices: &[&EndpointSlice], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    let mut listed = Vec::new();
    let mut more = false;
    let mut count: i64 = 0;
    for slice in slices {
        let ports: Vec<Option<i32>> = match slice.ports.as_ref().filter(|p| !p.is_empty()) {
            // A headless service without ports lists bare addresses.
            None => vec![None],
            Some(ports) => ports
                .iter()
                .filter(|p| p.name.as_deref().unwrap_or("") == port_name)
                .map(|p| Some(p.port.unwrap_or(0)))
                .collect(),
        };
        for port in ports {
            for endpoint in &slice.endpoints {
                // kubectl notices the list is full before it checks readiness.
                more |= listed.len() == MAX_ENDPOINTS;
                if !endpoint
                    .conditions
                    .as_ref()
                    .and_then(|c| c.ready)
                    .unwrap_or(true)
                {
                    continue;
                }
                let Some(address) = endpoint.addresses.first() else {
                    continue;
                };
                if !more {
                    listed.push(match port {
                        Some(p) if address.contains(':') => format!("[{address}]:{p}"),
                        Some(p) => format!("{address}:{p}"),
                        None => address.clone(),
                    });
                }
                count += 1;
            }
        }
    }
    let text = listed.join(",");
    if more {
        format!("{text} + {} more...", count - MAX_ENDPOINTS as i64)
    } else {
        text
    }
}
