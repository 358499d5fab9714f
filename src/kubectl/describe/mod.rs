//! `kubectl describe`: the client-side layouts of kubectl's describers
//! (kubernetes-fidelity.md §3.10), laid out by a Go tabwriter.

mod claim;
mod conditions;
mod config_map;
mod endpoint_slice;
mod endpoints;
mod namespace;
mod node;
mod pdb;
mod pod;
mod secret;
mod service;
mod service_account;
mod statefulset;
mod storage_class;
pub mod template;
mod volume;
mod workloads;
pub mod writer;

use std::rc::Rc;

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::{Event, Pod};

use super::args::{Parsed, Takes};
use super::output::Output;
use super::target;
use super::Context;
use crate::sim::events::events_for;
use crate::sim::object::{controlled_by, Kind, Object};
use crate::sim::shared_endpoints::EndpointSlice;
use crate::sim::Cluster;

pub const FLAGS: &[(&str, Option<char>, Takes)] = &[
    ("all-namespaces", Some('A'), Takes::Bool),
    ("selector", Some('l'), Takes::Value),
    ("show-events", None, Takes::Bool),
    ("chunk-size", None, Takes::Value),
    ("filename", Some('f'), Takes::Value),
];

const NO_TYPE: &str = "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.";

pub fn run(cluster: &Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Output {
    let from_files = !parsed.values("filename").is_empty();
    if parsed.positionals.is_empty() && !from_files {
        return Output::error(NO_TYPE);
    }
    let namespace = target::namespace(parsed, ctx).to_string();
    let mut out = Output::default();
    let found = if from_files {
        target::named_in_files(cluster, ctx, parsed, &namespace, &mut out)
    } else {
        target::find(cluster, ctx, parsed, &parsed.positionals, false)
    };
    let found = match found {
        Ok(found) => found,
        Err(out) => return out,
    };
    let show_events = parsed.value("show-events").is_none_or(|v| v != "false");
    // Reading v1 Endpoints (by name, by list or by prefix) draws the
    // apiserver's warning, which kubectl prints once before any output.
    if super::get::asks_endpoints(parsed) {
        out.err(super::get::ENDPOINTS_DEPRECATED);
    }
    // `describe pod web` with no pod "web" describes every pod named web…
    if let ([type_, prefix], [_]) = (parsed.positionals.as_slice(), found.missing.as_slice()) {
        if found.objects.is_empty() && !type_.contains('/') {
            if let Some(kind) = super::resources::resolve(type_) {
                let matching: Vec<Rc<Object>> = cluster
                    .store()
                    .list(kind)
                    .filter(|o| !kind.namespaced() || o.namespace() == namespace)
                    .filter(|o| o.name().starts_with(prefix.as_str()))
                    .cloned()
                    .collect();
                if !matching.is_empty() {
                    for object in matching {
                        match describe(cluster, &object, show_events) {
                            Ok(text) => out.out(text),
                            Err(err) => {
                                out.merge(err);
                                return out;
                            }
                        }
                    }
                    return out;
                }
            }
        }
    }
    for (i, object) in found.objects.iter().enumerate() {
        match describe(cluster, object, show_events) {
            Ok(text) => {
                if i > 0 {
                    out.print("\n\n");
                }
                out.print(&text);
            }
            Err(err) => {
                out.merge(err);
                break;
            }
        }
    }
    let scope = (!parsed.bool("all-namespaces")).then_some(namespace.as_str());
    found.report_missing(&mut out, scope);
    out
}

/// One object's description.
fn describe(cluster: &Cluster, object: &Object, show_events: bool) -> Result<String, Output> {
    let now = cluster.now();
    let events: Option<Vec<&Event>> = show_events.then(|| events_for(cluster, object));
    let namespace = object.namespace();
    let pods = || -> Vec<&Pod> { cluster.store().list_typed::<Pod>(namespace).collect() };
    Ok(match object {
        Object::Pod(pod) => pod::describe(pod, events.as_deref(), now),
        Object::StatefulSet(set) => statefulset::describe(set, &pods(), events.as_deref(), now),
        Object::Service(service) => {
            let name = service.metadata.name.as_deref().unwrap_or("");
            let slices: Vec<&EndpointSlice> = cluster
                .store()
                .list_typed::<EndpointSlice>(namespace)
                .filter(|s| s.metadata.labels.as_ref().and_then(|l| l.get("kubernetes.io/service-name")).map(String::as_str) == Some(name))
                .collect();
            service::describe(service, &slices, events.as_deref(), now)
        }
        Object::PersistentVolumeClaim(claim) => claim::describe(claim, &pods(), events.as_deref(), now),
        Object::PersistentVolume(pv) => volume::describe(pv, events.as_deref(), now),
        Object::Node(node) => {
            let all: Vec<&Pod> = cluster.store().list(Kind::Pod).filter_map(|o| o.as_typed::<Pod>()).collect();
            node::describe(node, &all, events.as_deref(), now)
        }
        Object::Endpoints(endpoints) => endpoints::describe(endpoints, events.as_deref(), now),
        Object::EndpointSlice(slice) => endpoint_slice::describe(slice, events.as_deref(), now),
        Object::StorageClass(class) => storage_class::describe(class, events.as_deref(), now),
        Object::Namespace(namespace) => namespace::describe(namespace),
        Object::ConfigMap(config_map) => config_map::describe(config_map, events.as_deref(), now),
        Object::Secret(secret) => secret::describe(secret),
        Object::PodDisruptionBudget(budget) => pdb::describe(budget, events.as_deref(), now),
        Object::ServiceAccount(account) => {
            service_account::describe(account, events.as_deref(), now)
        }
        Object::Deployment(deployment) => {
            let uid = deployment.metadata.uid.as_deref();
            let sets: Vec<&ReplicaSet> = cluster
                .store()
                .list_typed::<ReplicaSet>(namespace)
                .filter(|s| uid.is_some_and(|uid| controlled_by(&s.metadata, uid)))
                .collect();
            workloads::deployment(deployment, &sets, events.as_deref(), now)
        }
        Object::ReplicaSet(set) => workloads::replica_set(set, &pods(), events.as_deref(), now),
        Object::DaemonSet(set) => workloads::daemon_set(set, &pods(), events.as_deref(), now),
        other => {
            return Err(Output::error(format!(
                "stsplay does not describe {} yet (it describes pods, statefulsets, deployments, replicasets, daemonsets, services, persistentvolumeclaims, persistentvolumes, nodes, namespaces, configmaps, secrets, serviceaccounts, poddisruptionbudgets, storageclasses, endpoints and endpointslices); try 'kubectl get {} {} -o yaml'",
                other.kind().plural(),
                other.kind().plural(),
                other.name()
            )))
        }
    })
}
