//! `kubectl describe endpoints`: kubectl's describeEndpoints, one block per
//! subset (ready and not-ready IPs, then a Ports table), each followed by an
//! empty line.

use k8s_openapi::api::core::v1::Event;

use super::writer::Writer;
use crate::sim::clock::Millis;
use crate::sim::shared_endpoints::{Address, Endpoints};

pub fn describe(endpoints: &Endpoints, events: Option<&[&Event]>, now: Millis) -> String {
    let meta = &endpoints.metadata;
    let mut w = Writer::namespaced(meta);
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    w.write(0, "Subsets:\n");
    for subset in endpoints.subsets.iter().flatten() {
        w.field(1, "Addresses", ips(subset.addresses.as_deref()));
        w.field(
            1,
            "NotReadyAddresses",
            ips(subset.not_ready_addresses.as_deref()),
        );
        if let Some(ports) = subset.ports.as_ref().filter(|p| !p.is_empty()) {
            w.write(1, "Ports:\n");
            w.ports(
                2,
                ports
                    .iter()
                    .map(|p| (p.name.as_deref(), p.port.to_string(), p.protocol.as_deref())),
            );
        }
        w.write(0, "\n");
    }
    w.events(events, now);
    w.finish()
}

/// The addresses' IPs joined by commas, or `<none>`.
fn ips(addresses: Option<&[Address]>) -> String {
    let ips: Vec<&str> = addresses
        .unwrap_or(&[])
        .iter()
        .map(|a| a.ip.as_str())
        .collect();
    let text = ips.join(",");
    if text.is_empty() {
        "<none>".to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::shared_endpoints::EndpointSubset;
    use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn address(ip: &str) -> Address {
        Address::new(EndpointAddress {
            ip: ip.to_string(),
            ..Default::default()
        })
    }

    #[test]
    fn subsets_with_ready_and_not_ready_addresses() {
        let endpoints = Endpoints {
            metadata: ObjectMeta {
                name: Some("nginx".to_string()),
                namespace: Some("default".to_string()),
                labels: Some(
                    [("app", "nginx"), ("service.kubernetes.io/headless", "")]
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                ),
                ..Default::default()
            },
            subsets: Some(vec![
                EndpointSubset {
                    addresses: Some(vec![address("10.244.1.2"), address("10.244.2.2")]),
                    not_ready_addresses: None,
                    ports: Some(vec![EndpointPort {
                        name: Some("web".to_string()),
                        port: 80,
                        protocol: Some("TCP".to_string()),
                        ..Default::default()
                    }]),
                },
                EndpointSubset {
                    addresses: None,
                    not_ready_addresses: Some(vec![address("10.244.3.4")]),
                    ports: Some(vec![EndpointPort {
                        name: None,
                        port: 8080,
                        protocol: Some("UDP".to_string()),
                        ..Default::default()
                    }]),
                },
            ]),
        };
        let expected = [
            "Name:         nginx",
            "Namespace:    default",
            "Labels:       app=nginx",
            "              service.kubernetes.io/headless=",
            "Annotations:  <none>",
            "Subsets:",
            "  Addresses:          10.244.1.2,10.244.2.2",
            "  NotReadyAddresses:  <none>",
            "  Ports:",
            "    Name  Port  Protocol",
            "    ----  ----  --------",
            "    web   80    TCP",
            "",
            "  Addresses:          <none>",
            "  NotReadyAddresses:  10.244.3.4",
            "  Ports:",
            "    Name     Port  Protocol",
            "    ----     ----  --------",
            "    <unset>  8080  UDP",
            "",
            "Events:  <none>",
        ];
        assert_eq!(
            describe(&endpoints, Some(&[]), 0),
            expected.join("\n") + "\n"
        );
    }

    #[test]
    fn no_subsets_and_no_events() {
        let endpoints = Endpoints {
            metadata: ObjectMeta {
                name: Some("empty".to_string()),
                namespace: Some("default".to_string()),
                ..Default::default()
            },
            subsets: Some(vec![EndpointSubset::default()]),
        };
        let expected = [
            "Name:         empty",
            "Namespace:    default",
            "Labels:       <none>",
            "Annotations:  <none>",
            "Subsets:",
            "  Addresses:          <none>",
            "  NotReadyAddresses:  <none>",
            "",
        ];
        assert_eq!(describe(&endpoints, None, 0), expected.join("\n") + "\n");
    }
}
