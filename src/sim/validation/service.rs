//! core/v1 Service, including the headless (`clusterIP: None`) rules.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::field::{json_string, quote, FieldError};
use super::{meta, names};

pub fn validate(service: &Service) -> Vec<FieldError> {
    let mut errs = meta::validate(&service.metadata, names::dns1035_label, true);
    let Some(spec) = &service.spec else {
        return errs;
    };
    let service_type = spec.type_.as_deref().unwrap_or("ClusterIP");
    let headless = spec.cluster_ip.as_deref() == Some("None");
    errs.extend(FieldError::one_of(
        "spec.type",
        service_type,
        &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
    ));
    if headless && matches!(service_type, "NodePort" | "LoadBalancer") {
        errs.push(FieldError::invalid(
            "spec.clusterIPs[0]",
            quote("None"),
            format!("may not be set to 'None' for {service_type} services"),
        ));
    }
    if let Some(ip) = spec
        .cluster_ip
        .as_deref()
        .filter(|ip| !ip.is_empty() && *ip != "None")
    {
        if ip.parse::<std::net::IpAddr>().is_err() {
            errs.push(FieldError::invalid(
                "spec.clusterIPs[0]",
                quote(ip),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
    }
    let ports = spec.ports.as_deref().unwrap_or(&[]);
    if service_type != "ExternalName" && ports.is_empty() && !headless {
        errs.push(FieldError::required("spec.ports", ""));
    }
    let mut port_names = BTreeSet::new();
    let mut ports_seen = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let field = format!("spec.ports[{i}]");
        // The apiserver keys ports by port and protocol, and prints the key as Go's %#v.
        let protocol = port.protocol.as_deref().unwrap_or("");
        if !ports_seen.insert((port.port, protocol)) {
            errs.push(FieldError::duplicate(
                field.clone(),
                format!("core.ServicePort{{Name:\"\", Protocol:\"{protocol}\", AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}", port.port),
            ));
        }
        let name = port.name.as_deref().unwrap_or("");
        if ports.len() > 1 && name.is_empty() {
            errs.push(FieldError::required(format!("{field}.name"), ""));
        } else if !name.is_empty() {
            errs.extend(
                names::dns_label(name)
                    .into_iter()
                    .map(|m| FieldError::invalid(format!("{field}.name"), quote(name), m)),
            );
            if !port_names.insert(name) {
                errs.push(FieldError::duplicate(format!("{field}.name"), quote(name)));
            }
        }
        errs.extend(
            names::port_number(port.port.into())
                .into_iter()
                .map(|m| FieldError::invalid(format!("{field}.port"), port.port.to_string(), m)),
        );
        let protocol = port.protocol.as_deref().unwrap_or("");
        errs.extend(FieldError::one_of(
            format!("{field}.protocol"),
            protocol,
            &["SCTP", "TCP", "UDP"],
        ));
        match &port.target_port {
            Some(IntOrString::Int(target)) => {
                errs.extend(names::port_number((*target).into()).into_iter().map(|m| {
                    FieldError::invalid(format!("{field}.targetPort"), target.to_string(), m)
                }))
            }
            Some(IntOrString::String(target)) => errs.extend(
                names::port_name(target)
                    .into_iter()
                    .map(|m| FieldError::invalid(format!("{field}.targetPort"), quote(target), m)),
            ),
            None => {}
        }
    }
    errs
}

/// The cluster IP is kept from the old object when the new one leaves it
/// out, and may not change once set.
pub fn validate_update(old: &Service, new: &mut Service) -> Vec<FieldError> {
    let old_spec = old.spec.clone().unwrap_or_default();
    let new_spec = new.spec.get_or_insert_with(Default::default);
    match new_spec.cluster_ip.as_deref() {
        None | Some("") => {
            new_spec.cluster_ip = old_spec.cluster_ip;
            new_spec.cluster_ips = old_spec.cluster_ips;
            Vec::new()
        }
        Some(ip) if Some(ip) != old_spec.cluster_ip.as_deref() => vec![FieldError::invalid(
            "spec.clusterIPs[0]",
            format!("[{}]", json_string(ip)),
            "may not change once set",
        )],
        Some(_) => Vec::new(),
    }
}
