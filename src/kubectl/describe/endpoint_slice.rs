//! `kubectl describe endpointslice`: kubectl's describeEndpointSliceV1. 1.34
//! prints only the Ready condition (not Serving or Terminating), and writes
//! `Ports: <unset>` and `Endpoints: <none>` with a space, not a tab.

use k8s_openapi::api::core::v1::Event;

use super::writer::Writer;
use crate::sim::clock::Millis;
use crate::sim::shared_endpoints::EndpointSlice;

pub fn describe(slice: &EndpointSlice, events: Option<&[&Event]>, now: Millis) -> String {
    let meta = &slice.metadata;
    let mut w = Writer::namespaced(meta);
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    w.field(0, "AddressType", &slice.address_type);
    match slice.ports.as_ref().filter(|p| !p.is_empty()) {
        None => w.write(0, "Ports: <unset>\n"),
        Some(ports) => {
            w.write(0, "Ports:\n");
            w.ports(
                1,
                ports.iter().map(|p| {
                    let number = p
                        .port
                        .map_or_else(|| "<unset>".to_string(), |n| n.to_string());
                    (p.name.as_deref(), number, p.protocol.as_deref())
                }),
            );
        }
    }
    if slice.endpoints.is_empty() {
        w.write(0, "Endpoints: <none>\n");
    } else {
        w.write(0, "Endpoints:\n");
    }
    for endpoint in &slice.endpoints {
        let addresses = endpoint.addresses.join(", ");
        w.field(
            1,
            "- Addresses",
            if addresses.is_empty() {
                "<none>"
            } else {
                &addresses
            },
        );
        w.write(2, "Conditions:\n");
        let ready = endpoint.conditions.as_ref().and_then(|c| c.ready);
        w.field(
            3,
            "Ready",
            ready.map_or("<unset>", |r| if r { "true" } else { "false" }),
        );
        w.field(2, "Hostname", unset(endpoint.hostname.as_deref()));
        if let Some(target) = &endpoint.target_ref {
            w.field(
                2,
                "TargetRef",
                format!(
                    "{}/{}",
                    target.kind.as_deref().unwrap_or(""),
                    target.name.as_deref().unwrap_or("")
                ),
            );
        }
        w.field(2, "NodeName", unset(endpoint.node_name.as_deref()));
        w.field(2, "Zone", unset(endpoint.zone.as_deref()));
    }
    w.events(events, now);
    w.finish()
}

/// The value when set (even to ""), else `<unset>`.
fn unset(value: Option<&str>) -> &str {
    value.unwrap_or("<unset>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ObjectReference;
    use k8s_openapi::api::discovery::v1::{
        Endpoint, EndpointConditions, EndpointPort, EndpointSlice as ApiSlice,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn meta(name: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some("default".to_string()),
            ..Default::default()
        }
    }

    #[test]
    fn a_services_slice() {
        let slice = ApiSlice {
            metadata: meta("nginx-abcde"),
            address_type: "IPv4".to_string(),
            ports: Some(vec![EndpointPort {
                name: Some("web".to_string()),
                port: Some(80),
                protocol: Some("TCP".to_string()),
                ..Default::default()
            }]),
            endpoints: vec![
                Endpoint {
                    addresses: vec!["10.244.2.2".to_string()],
                    conditions: Some(EndpointConditions {
                        ready: Some(true),
                        serving: Some(true),
                        terminating: Some(false),
                    }),
                    hostname: Some("web-0".to_string()),
                    node_name: Some("kind-worker2".to_string()),
                    target_ref: Some(ObjectReference {
                        kind: Some("Pod".to_string()),
                        name: Some("web-0".to_string()),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                Endpoint {
                    addresses: vec![],
                    conditions: Some(EndpointConditions {
                        ready: Some(false),
                        ..Default::default()
                    }),
                    zone: Some("a".to_string()),
                    ..Default::default()
                },
            ],
        };
        let expected = [
            "Name:         nginx-abcde",
            "Namespace:    default",
            "Labels:       <none>",
            "Annotations:  <none>",
            "AddressType:  IPv4",
            "Ports:",
            "  Name  Port  Protocol",
            "  ----  ----  --------",
            "  web   80    TCP",
            "Endpoints:",
            "  - Addresses:  10.244.2.2",
            "    Conditions:",
            "      Ready:    true",
            "    Hostname:   web-0",
            "    TargetRef:  Pod/web-0",
            "    NodeName:   kind-worker2",
            "    Zone:       <unset>",
            "  - Addresses:  <none>",
            "    Conditions:",
            // The second endpoint has no TargetRef, so its block is narrower.
            "      Ready:   false",
            "    Hostname:  <unset>",
            "    NodeName:  <unset>",
            "    Zone:      a",
            "Events:        <none>",
        ];
        assert_eq!(
            describe(&slice.clone().into(), Some(&[]), 0),
            expected.join("\n") + "\n"
        );
    }

    #[test]
    fn no_ports_no_endpoints_unset_conditions() {
        let mut slice = ApiSlice {
            metadata: meta("empty"),
            address_type: "IPv6".to_string(),
            ports: Some(vec![]),
            endpoints: vec![],
        };
        let expected = [
            "Name:         empty",
            "Namespace:    default",
            "Labels:       <none>",
            "Annotations:  <none>",
            "AddressType:  IPv6",
            "Ports: <unset>",
            "Endpoints: <none>",
        ];
        assert_eq!(
            describe(&slice.clone().into(), None, 0),
            expected.join("\n") + "\n"
        );
        slice.ports = Some(vec![EndpointPort::default()]);
        slice.endpoints = vec![Endpoint {
            addresses: vec!["a".to_string(), "b".to_string()],
            ..Default::default()
        }];
        let text = describe(&slice.clone().into(), None, 0);
        assert!(text.contains("  <unset>  <unset>  TCP\n"), "{text}");
        assert!(text.contains("  - Addresses:  a, b\n"), "{text}");
        assert!(text.contains("      Ready:   <unset>\n"), "{text}");
    }
}
