//! The endpoints and EndpointSlice controllers: which pod IPs back a Service.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ObjectReference, Pod, Service,
};
use k8s_openapi::api::discovery::v1::{
    Endpoint, EndpointConditions, EndpointPort as SlicePort, EndpointSlice,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::sim::cluster::{Cluster, DeleteOptions};
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;

pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

pub fn sync(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(service) = cluster.store.get_typed::<Service>(namespace, name).cloned() else {
        remove(cluster, namespace, name);
        return;
    };
    let Some(selector) = service.spec.as_ref().and_then(|s| s.selector.clone()) else {
        return;
    };
    let selected: Vec<Pod> = cluster
        .store
        .list_typed::<Pod>(namespace)
        .filter(|p| selector.iter().all(|(k, v)| pods::label(p, k) == Some(v)))
        .filter(|p| pod_ip(p).is_some() && !matches!(pods::phase(p), "Succeeded" | "Failed"))
        .cloned()
        .collect();
    let publish_not_ready = service
        .spec
        .as_ref()
        .and_then(|s| s.publish_not_ready_addresses)
        .unwrap_or(false);
    write_endpoints(cluster, &service, &selected, publish_not_ready);
    write_slice(cluster, &service, &selected, publish_not_ready);
}

fn pod_ip(pod: &Pod) -> Option<&str> {
    pod.status.as_ref()?.pod_ip.as_deref()
}

fn is_ready_endpoint(pod: &Pod, publish_not_ready: bool) -> bool {
    publish_not_ready || (pods::is_ready(pod) && !pods::is_terminating(pod))
}

fn address(pod: &Pod, service: &Service) -> EndpointAddress {
    let spec = pod.spec.clone().unwrap_or_default();
    let hostname = (spec.subdomain.as_deref() == service.metadata.name.as_deref())
        .then(|| spec.hostname.clone())
        .flatten();
    EndpointAddress {
        ip: pod_ip(pod).unwrap_or_default().to_string(),
        hostname,
        node_name: spec.node_name.clone(),
        target_ref: Some(ObjectReference {
            kind: Some("Pod".to_string()),
            name: pod.metadata.name.clone(),
            namespace: pod.metadata.namespace.clone(),
            uid: pod.metadata.uid.clone(),
            ..Default::default()
        }),
    }
}

/// The service's ports resolved to the target port numbers.
fn target_ports(service: &Service) -> Vec<(Option<String>, i32, Option<String>)> {
    service
        .spec
        .iter()
        .flat_map(|s| s.ports.iter().flatten())
        .map(|p| {
            let port = match &p.target_port {
                Some(IntOrString::Int(n)) => *n,
                _ => p.port,
            };
            (p.name.clone(), port, p.protocol.clone())
        })
        .collect()
}

fn service_labels(service: &Service) -> BTreeMap<String, String> {
    let mut labels = service.metadata.labels.clone().unwrap_or_default();
    if service.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None") {
        labels.insert("service.kubernetes.io/headless".to_string(), String::new());
    }
    labels
}

fn write_endpoints(
    cluster: &mut Cluster,
    service: &Service,
    selected: &[Pod],
    publish_not_ready: bool,
) {
    let (ready, not_ready): (Vec<&Pod>, Vec<&Pod>) = selected
        .iter()
        .partition(|p| is_ready_endpoint(p, publish_not_ready));
    let ports: Vec<EndpointPort> = target_ports(service)
        .into_iter()
        .map(|(name, port, protocol)| EndpointPort {
            name,
            port,
            protocol,
            app_protocol: None,
        })
        .collect();
    let subsets = (!selected.is_empty()).then(|| {
        vec![EndpointSubset {
            addresses: (!ready.is_empty())
                .then(|| ready.iter().map(|p| address(p, service)).collect()),
            not_ready_addresses: (!not_ready.is_empty())
                .then(|| not_ready.iter().map(|p| address(p, service)).collect()),
            ports: (!ports.is_empty()).then_some(ports),
        }]
    });
    let namespace = service.metadata.namespace.clone().unwrap_or_default();
    let name = service.metadata.name.clone().unwrap_or_default();
    let endpoints = Endpoints {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(namespace.clone()),
            labels: Some(service_labels(service)),
            ..Default::default()
        },
        subsets,
    };
    upsert(
        cluster,
        Object::Endpoints(endpoints),
        &namespace,
        &name,
        Kind::Endpoints,
    );
}

fn write_slice(
    cluster: &mut Cluster,
    service: &Service,
    selected: &[Pod],
    publish_not_ready: bool,
) {
    let namespace = service.metadata.namespace.clone().unwrap_or_default();
    let service_name = service.metadata.name.clone().unwrap_or_default();
    let existing = cluster
        .store
        .list_typed::<EndpointSlice>(&namespace)
        .find(|s| {
            s.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(SERVICE_NAME_LABEL))
                == Some(&service_name)
        })
        .and_then(|s| s.metadata.name.clone());
    let name = existing.unwrap_or_else(|| format!("{service_name}-{}", cluster.rng.suffix(5)));
    let mut labels = service_labels(service);
    labels.insert(SERVICE_NAME_LABEL.to_string(), service_name.clone());
    labels.insert(
        "endpointslice.kubernetes.io/managed-by".to_string(),
        "endpointslice-controller.k8s.io".to_string(),
    );
    let endpoints: Vec<Endpoint> = selected
        .iter()
        .map(|p| {
            let ready = is_ready_endpoint(p, publish_not_ready);
            let spec = p.spec.clone().unwrap_or_default();
            Endpoint {
                addresses: vec![pod_ip(p).unwrap_or_default().to_string()],
                conditions: Some(EndpointConditions {
                    ready: Some(ready),
                    serving: Some(pods::is_ready(p)),
                    terminating: Some(pods::is_terminating(p)),
                }),
                hostname: (spec.subdomain.as_deref() == Some(service_name.as_str()))
                    .then(|| spec.hostname.clone())
                    .flatten(),
                node_name: spec.node_name.clone(),
                target_ref: Some(ObjectReference {
                    kind: Some("Pod".to_string()),
                    name: p.metadata.name.clone(),
                    namespace: p.metadata.namespace.clone(),
                    uid: p.metadata.uid.clone(),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let slice = EndpointSlice {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(namespace.clone()),
            generate_name: Some(format!("{service_name}-")),
            labels: Some(labels),
            owner_references: Some(vec![OwnerReference {
                api_version: "v1".to_string(),
                kind: "Service".to_string(),
                name: service_name.clone(),
                uid: service.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        address_type: "IPv4".to_string(),
        endpoints,
        ports: Some(
            target_ports(service)
                .into_iter()
                .map(|(name, port, protocol)| SlicePort {
                    name,
                    port: Some(port),
                    protocol,
                    app_protocol: None,
                })
                .collect(),
        ),
    };
    upsert(
        cluster,
        Object::EndpointSlice(slice),
        &namespace,
        &name,
        Kind::EndpointSlice,
    );
}

/// Creates or updates, skipping writes that change nothing.
fn upsert(cluster: &mut Cluster, mut object: Object, namespace: &str, name: &str, kind: Kind) {
    let key = ObjectKey::new(kind, namespace, name);
    match cluster.store.get(&key).cloned() {
        None => {
            let _ = cluster.create(object);
        }
        Some(old) => {
            let meta = object.meta_mut();
            let old_meta = old.meta();
            meta.uid = old_meta.uid.clone();
            meta.resource_version = old_meta.resource_version.clone();
            meta.creation_timestamp = old_meta.creation_timestamp.clone();
            meta.generation = old_meta.generation;
            if *old != object {
                cluster.write(object);
            }
        }
    }
}

fn remove(cluster: &mut Cluster, namespace: &str, name: &str) {
    let key = ObjectKey::new(Kind::Endpoints, namespace, name);
    let _ = cluster.delete(&key, &DeleteOptions::default());
}
