//! The EndpointSlice controller: a service's endpoints packed into slices
//! of at most 100, rewriting only the slices whose pods changed.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::{self as discovery, EndpointConditions, EndpointPort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use super::endpoints::{annotations, service_labels, target_ports, upsert, Member};
use super::endpoints_view::{Changed, ServicePods};
use super::trigger_time;
use crate::sim::clock::Millis;
use crate::sim::cluster::{Cluster, DeleteOptions};
use crate::sim::fast_hash::digest_of;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;
use crate::sim::shared_endpoints::{Endpoint, EndpointSlice};

pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// --max-endpoints-per-slice
const MAX_PER_SLICE: usize = 100;

/// What the controller last wrote for one service.
#[derive(Clone, Debug, Default)]
pub struct SliceCache {
    service: u64,
    members: BTreeMap<String, Shown>,
    /// Slot id → (slice name, pod names), in creation order.
    slots: BTreeMap<u64, (String, BTreeSet<String>)>,
    next_slot: u64,
}

/// One pod as its slice shows it.
#[derive(Clone, Debug)]
struct Shown {
    fingerprint: u64,
    slot: u64,
    /// Built when the pod changes; a slice written again shares it.
    endpoint: Endpoint,
}

impl Shown {
    fn of(member: &Member<'_>, slot: u64) -> Shown {
        Shown {
            fingerprint: member.fingerprint(),
            slot,
            endpoint: endpoint(member),
        }
    }
}

impl SliceCache {
    fn new_slot(&mut self, name: String) -> u64 {
        let id = self.next_slot;
        self.next_slot += 1;
        self.slots.insert(id, (name, BTreeSet::new()));
        id
    }
}

/// The service's fields that slices show.
fn service_fingerprint(service: &Service) -> u64 {
    let text = format!(
        "{:?}{:?}{:?}",
        service.metadata.uid,
        service_labels(service),
        target_ports(service)
    );
    digest_of(&[&text])
}

/// Brings the slices up to date with the pods that `changed`; returns
/// whether any endpoint changed.
pub fn sync(
    cluster: &mut Cluster,
    service: &Service,
    view: &ServicePods,
    changed: &Changed,
    trigger: Option<Millis>,
) -> bool {
    let namespace = service.metadata.namespace.clone().unwrap_or_default();
    let name = service.metadata.name.clone().unwrap_or_default();
    let key = (namespace.clone(), name.clone());
    let mut cache = cluster.slices.remove(&key).unwrap_or_default();
    let mut dirty: BTreeSet<u64> = BTreeSet::new();
    let fingerprint = service_fingerprint(service);
    if cache.service != fingerprint {
        cache.service = fingerprint;
        dirty.extend(cache.slots.keys().copied());
    }
    if cache.slots.is_empty() {
        // A service with no endpoints still has one (empty) slice.
        let slot = cache.new_slot(format!("{name}-{}", cluster.rng.suffix(5)));
        dirty.insert(slot);
    }
    let (fresh, gone) = compare_members(&mut cache, service, view, changed, &mut dirty);
    for member in fresh {
        let room = cache
            .slots
            .iter()
            .find(|(_, (_, pods))| pods.len() < MAX_PER_SLICE)
            .map(|(id, _)| *id);
        let slot = match room {
            Some(id) => id,
            None => cache.new_slot(format!("{name}-{}", cluster.rng.suffix(5))),
        };
        if let Some((_, pods)) = cache.slots.get_mut(&slot) {
            pods.insert(member.name().to_string());
        }
        cache
            .members
            .insert(member.name().to_string(), Shown::of(&member, slot));
        dirty.insert(slot);
    }
    for (pod, slot) in gone {
        cache.members.remove(&pod);
        if let Some((_, pods)) = cache.slots.get_mut(&slot) {
            pods.remove(&pod);
        }
        dirty.insert(slot);
    }
    let changed = !dirty.is_empty();
    for slot in dirty {
        let emptied = cache
            .slots
            .get(&slot)
            .is_some_and(|(_, pods)| pods.is_empty());
        if emptied && cache.slots.len() > 1 {
            if let Some((slice_name, _)) = cache.slots.remove(&slot) {
                let _ = cluster.delete(
                    &ObjectKey::new(Kind::EndpointSlice, &namespace, &slice_name),
                    &DeleteOptions::default(),
                );
            }
            continue;
        }
        let Some((slice_name, pods)) = cache.slots.get(&slot) else {
            continue;
        };
        let endpoints = pods
            .iter()
            .filter_map(|pod| cache.members.get(pod))
            .map(|shown| shown.endpoint.clone())
            .collect();
        upsert(
            cluster,
            Object::EndpointSlice(Box::new(slice(service, slice_name, endpoints, trigger))),
        );
    }
    cluster.slices.insert(key, cache);
    changed
}

/// Compares the pods that changed with the cache: marks the slots of
/// changed members dirty, and returns the members the cache does not know
/// yet (in name order) and the cached pods that are no longer members.
fn compare_members<'v>(
    cache: &mut SliceCache,
    service: &Service,
    view: &'v ServicePods,
    changed: &Changed,
    dirty: &mut BTreeSet<u64>,
) -> (Vec<Member<'v>>, Vec<(String, u64)>) {
    let names: BTreeSet<String> = match changed {
        Changed::All => view.names().chain(cache.members.keys()).cloned().collect(),
        Changed::Pods(names) => names.clone(),
    };
    let mut fresh = Vec::new();
    let mut gone = Vec::new();
    for name in names {
        let member = view.member(&name, service);
        match (member, cache.members.get_mut(&name)) {
            (Some(member), Some(shown)) => {
                if shown.fingerprint != member.fingerprint() {
                    *shown = Shown::of(&member, shown.slot);
                    dirty.insert(shown.slot);
                }
            }
            (Some(member), None) => fresh.push(member),
            (None, Some(shown)) => gone.push((name, shown.slot)),
            (None, None) => {}
        }
    }
    (fresh, gone)
}

/// The service is gone; its slices go with it through their owner reference.
pub fn forget(cluster: &mut Cluster, namespace: &str, name: &str) {
    cluster
        .slices
        .remove(&(namespace.to_string(), name.to_string()));
}

fn endpoint(member: &Member<'_>) -> Endpoint {
    Endpoint::new(discovery::Endpoint {
        addresses: vec![member.ip.to_string()],
        conditions: Some(EndpointConditions {
            ready: Some(member.ready),
            serving: Some(pods::is_ready(member.pod)),
            terminating: Some(pods::is_terminating(member.pod)),
        }),
        hostname: member.hostname.map(str::to_string),
        node_name: member.pod.spec.as_ref().and_then(|s| s.node_name.clone()),
        target_ref: Some(member.target_ref()),
        ..Default::default()
    })
}

/// A slice as the controller writes it; a slice it creates or updates
/// carries this sync's trigger time.
fn slice(
    service: &Service,
    name: &str,
    endpoints: Vec<Endpoint>,
    trigger: Option<Millis>,
) -> EndpointSlice {
    let service_name = service.metadata.name.clone().unwrap_or_default();
    let mut labels = service_labels(service);
    labels.insert(SERVICE_NAME_LABEL.to_string(), service_name.clone());
    labels.insert(
        "endpointslice.kubernetes.io/managed-by".to_string(),
        "endpointslice-controller.k8s.io".to_string(),
    );
    EndpointSlice {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: service.metadata.namespace.clone(),
            generate_name: Some(format!("{service_name}-")),
            labels: Some(labels),
            annotations: annotations([
                trigger.map(|at| (trigger_time::ANNOTATION, trigger_time::format(at)))
            ]),
            owner_references: Some(vec![OwnerReference {
                api_version: "v1".to_string(),
                kind: "Service".to_string(),
                name: service_name,
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
                .map(|(name, port, protocol)| EndpointPort {
                    name,
                    port: Some(port),
                    protocol,
                    app_protocol: None,
                })
                .collect(),
        ),
    }
}
