//! The endpoints controller: which pod IPs back a Service, as a v1
//! Endpoints object (capped at 1,000 addresses like the real one). Slices
//! are kept by [`super::endpoint_slices`]; both take their members from
//! [`super::endpoints_view`] and judge pods with [`member`].

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort, ObjectReference, Pod, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::endpoint_slices;
use super::endpoints_view::{self, ServicePods};
use super::trigger_time;
use crate::sim::clock::Millis;
use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::fast_hash::digest_of;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;
use crate::sim::shared_endpoints::{Address, EndpointSubset, Endpoints};

const OVER_CAPACITY: &str = "endpoints.kubernetes.io/over-capacity";

/// A pod that backs the service, borrowed from the store for one sync.
pub struct Member<'a> {
    pub pod: &'a Pod,
    pub ip: &'a str,
    /// Counts as a ready address (Ready and not terminating, or published anyway).
    pub ready: bool,
    /// The pod's hostname when its subdomain is this service.
    pub hostname: Option<&'a str>,
}

impl Member<'_> {
    pub fn name(&self) -> &str {
        self.pod.metadata.name.as_deref().unwrap_or("")
    }

    /// A cheap digest of everything the endpoint objects show about the pod.
    pub fn fingerprint(&self) -> u64 {
        let spec = self.pod.spec.as_ref();
        let fields = [
            self.pod.metadata.uid.as_deref().unwrap_or(""),
            self.ip,
            self.hostname.unwrap_or(""),
            spec.and_then(|s| s.node_name.as_deref()).unwrap_or(""),
            if self.ready { "r" } else { "-" },
            if pods::is_ready(self.pod) { "s" } else { "-" },
            if pods::is_terminating(self.pod) {
                "t"
            } else {
                "-"
            },
        ];
        digest_of(&fields)
    }

    pub fn target_ref(&self) -> ObjectReference {
        ObjectReference {
            kind: Some("Pod".to_string()),
            name: self.pod.metadata.name.clone(),
            namespace: self.pod.metadata.namespace.clone(),
            uid: self.pod.metadata.uid.clone(),
            ..Default::default()
        }
    }
}

/// The pod as an endpoint of `service`: when the service selects it, it
/// is not finished and it has an IP.
/// Whether the Service's selector picks the pod (a Service without one
/// picks none: its endpoints are not the controllers').
pub fn selects(service: &Service, pod: &Pod) -> bool {
    let selector = service.spec.as_ref().and_then(|s| s.selector.as_ref());
    selector.is_some_and(|s| {
        s.iter()
            .all(|(k, v)| pods::label(pod, k) == Some(v.as_str()))
    })
}

pub fn member<'a>(pod: &'a Pod, service: &Service) -> Option<Member<'a>> {
    if !selects(service, pod) || !pods::is_active(pod) {
        return None;
    }
    let spec = service.spec.as_ref();
    let publish_not_ready = spec
        .and_then(|s| s.publish_not_ready_addresses)
        .unwrap_or(false);
    let service_name = service.metadata.name.as_deref();
    let ip = pod.status.as_ref()?.pod_ip.as_deref()?;
    Some(Member {
        pod,
        ip,
        ready: publish_not_ready || (pods::is_ready(pod) && !pods::is_terminating(pod)),
        hostname: pod
            .spec
            .as_ref()
            .filter(|s| s.subdomain.is_some() && s.subdomain.as_deref() == service_name)
            .and_then(|s| s.hostname.as_deref()),
    })
}

/// The service's ports resolved to target port numbers: (name, port, protocol).
pub fn target_ports(service: &Service) -> Vec<(Option<String>, i32, Option<String>)> {
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

const MANAGED_BY: &str = "endpoints.kubernetes.io/managed-by";

/// The annotations that are set, or none at all.
pub fn annotations<const N: usize>(
    pairs: [Option<(&str, String)>; N],
) -> Option<BTreeMap<String, String>> {
    let set: BTreeMap<String, String> = pairs
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    (!set.is_empty()).then_some(set)
}

pub fn service_labels(service: &Service) -> BTreeMap<String, String> {
    let mut labels = service.metadata.labels.clone().unwrap_or_default();
    if service.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None") {
        labels.insert("service.kubernetes.io/headless".to_string(), String::new());
    }
    labels
}

pub fn sync(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(service) = cluster.store.get_typed::<Service>(namespace, name).cloned() else {
        let key = ObjectKey::new(Kind::Endpoints, namespace, name);
        let _ = cluster.delete(&key, &DeleteOptions::default());
        endpoint_slices::forget(cluster, namespace, name);
        endpoints_view::forget(cluster, namespace, name);
        return;
    };
    if service
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .is_none()
    {
        return;
    }
    let (mut view, changed) = endpoints_view::refresh(cluster, &service);
    let trigger = trigger_time::compute(cluster, &service, &changed);
    let key = ObjectKey::new(Kind::Endpoints, namespace, name);
    let stored = |cluster: &Cluster| {
        cluster
            .store
            .get(&key)
            .and_then(|o| o.meta().resource_version.clone())
    };
    if endpoint_slices::sync(cluster, &service, &view, &changed, trigger)
        && view.endpoints_outdated(stored(cluster).as_deref())
    {
        write_endpoints(cluster, &service, &view, trigger);
        view.endpoints_written(stored(cluster));
    }
    cluster.occupy(
        Task::SyncEndpoints(namespace.to_string(), name.to_string()),
        view.len(),
    );
    endpoints_view::keep(cluster, &service, view);
}

/// The pod's entry in the Endpoints object.
pub fn endpoint_address(member: &Member<'_>) -> Address {
    Address::new(EndpointAddress {
        ip: member.ip.to_string(),
        hostname: member.hostname.map(str::to_string),
        node_name: member.pod.spec.as_ref().and_then(|s| s.node_name.clone()),
        target_ref: Some(member.target_ref()),
    })
}

/// The Endpoints object: RepackSubsets' order (IP, then uid), truncated
/// to 1,000 addresses as truncateEndpoints does (see `endpoints_view`).
fn write_endpoints(
    cluster: &mut Cluster,
    service: &Service,
    view: &ServicePods,
    trigger: Option<Millis>,
) {
    let (ready, not_ready, truncated) = view.shown();
    let addresses = |list: Vec<Address>| (!list.is_empty()).then_some(list);
    let ports: Vec<EndpointPort> = target_ports(service)
        .into_iter()
        .map(|(name, port, protocol)| EndpointPort {
            name,
            port,
            protocol,
            app_protocol: None,
        })
        .collect();
    let subsets = (!view.is_empty()).then(|| {
        vec![EndpointSubset {
            addresses: addresses(ready),
            not_ready_addresses: addresses(not_ready),
            ports: (!ports.is_empty()).then_some(ports),
        }]
    });
    let namespace = service.metadata.namespace.clone().unwrap_or_default();
    let name = service.metadata.name.clone().unwrap_or_default();
    let mut labels = service_labels(service);
    // Marks the object as the controller's own (1.33+), not a user's.
    labels.insert(MANAGED_BY.to_string(), "endpoint-controller".to_string());
    let endpoints = Endpoints {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(namespace.clone()),
            labels: Some(labels),
            annotations: annotations([
                truncated.then(|| (OVER_CAPACITY, "truncated".to_string())),
                trigger.map(|at| (trigger_time::ANNOTATION, trigger_time::format(at))),
            ]),
            ..Default::default()
        },
        subsets,
    };
    upsert(cluster, Object::Endpoints(Box::new(endpoints)));
}

/// Creates or updates. An update that changes nothing is no write: the
/// store compares it with the stored object (once: comparing here as well
/// doubled the cost of a 1,000-address Endpoints write).
pub fn upsert(cluster: &mut Cluster, object: Object) {
    if cluster.store.get(&object.key()).is_some() {
        cluster.write(object);
    } else {
        let _ = cluster.create(object);
    }
}
