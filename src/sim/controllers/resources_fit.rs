//! The scheduler's NodeResourcesFit filter: a pod fits a node when the
//! node takes one more pod (kind's kubelets take 110) and the pod's
//! requests, added to those of the pods already bound there, stay within
//! what the node can allocate. Pods that have finished do not count: the
//! scheduler's pod informer leaves out Succeeded and Failed ones.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Node, Pod};

use crate::sim::cluster::Cluster;
use crate::sim::quantity::{self, Milli};

const RESOURCES: [&str; 3] = ["cpu", "memory", "ephemeral-storage"];

/// What a container asks for: its requests, or its limits where a request
/// is missing (the apiserver defaults one to the other).
fn container_request(container: &Container, resource: &str) -> Milli {
    let resources = container.resources.as_ref();
    let from = |map: Option<
        &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
    >| {
        map.and_then(|m| m.get(resource))
            .and_then(|q| quantity::parse(&q.0))
    };
    from(resources.and_then(|r| r.requests.as_ref()))
        .or_else(|| from(resources.and_then(|r| r.limits.as_ref())))
        .unwrap_or(0)
}

/// The pod's effective request for each resource: its containers (and
/// sidecars) together, or its largest init container if that is more.
pub fn pod_requests(pod: &Pod) -> [Milli; 3] {
    let mut out = [0; 3];
    let Some(spec) = pod.spec.as_ref() else {
        return out;
    };
    let init = spec.init_containers.iter().flatten();
    let sidecar = |c: &&Container| c.restart_policy.as_deref() == Some("Always");
    for (i, resource) in RESOURCES.iter().enumerate() {
        let running: Milli = spec
            .containers
            .iter()
            .chain(init.clone().filter(sidecar))
            .map(|c| container_request(c, resource))
            .sum();
        let largest_init = init
            .clone()
            .filter(|c| !sidecar(c))
            .map(|c| container_request(c, resource))
            .max()
            .unwrap_or(0);
        out[i] = running.max(largest_init);
    }
    out
}

/// The reason a full node gives.
pub const TOO_MANY_PODS: &str = "Too many pods";

/// `Too many pods`, then `Insufficient cpu` and the like for each resource
/// the node lacks, in fitsRequest's order.
pub fn shortfalls(cluster: &Cluster, pod: &Pod, node: &Node) -> Vec<String> {
    let name = node.metadata.name.as_deref().unwrap_or("");
    let allocatable = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
    let room = |resource: &str| {
        allocatable
            .and_then(|a| a.get(resource))
            .and_then(|q| quantity::parse(&q.0))
            .unwrap_or(0)
    };
    let mut short = Vec::new();
    if (cluster.index.node_load(name) as Milli + 1) * 1000 > room("pods") {
        short.push(TOO_MANY_PODS.to_string());
    }
    let wanted = pod_requests(pod);
    if wanted.iter().all(|w| *w == 0) {
        return short;
    }
    let mut used = [0; 3];
    for (namespace, other) in cluster.index.pods_on_node(name) {
        let Some(placed) = cluster.store.get_typed::<Pod>(&namespace, &other) else {
            continue;
        };
        let finished = matches!(
            placed.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded" | "Failed")
        );
        if !finished {
            for (total, request) in used.iter_mut().zip(pod_requests(placed)) {
                *total += request;
            }
        }
    }
    short.extend(
        RESOURCES
            .iter()
            .enumerate()
            .filter(|(i, resource)| wanted[*i] > 0 && used[*i] + wanted[*i] > room(resource))
            .map(|(_, resource)| format!("Insufficient {resource}")),
    );
    short
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{PodSpec, ResourceRequirements};
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    fn container(requests: &[(&str, &str)], limits: &[(&str, &str)], sidecar: bool) -> Container {
        let list = |pairs: &[(&str, &str)]| {
            Some(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
                    .collect(),
            )
        };
        Container {
            resources: Some(ResourceRequirements {
                requests: list(requests),
                limits: list(limits),
                ..Default::default()
            }),
            restart_policy: sidecar.then(|| "Always".to_string()),
            ..Default::default()
        }
    }

    #[test]
    fn effective_requests() {
        let pod = Pod {
            spec: Some(PodSpec {
                containers: vec![
                    container(&[("cpu", "250m")], &[], false),
                    // A limit stands for a missing request.
                    container(&[], &[("cpu", "250m"), ("memory", "1Gi")], false),
                ],
                init_containers: Some(vec![
                    // The largest init container wins when it asks for more…
                    container(&[("memory", "2Gi")], &[], false),
                    // …and a sidecar runs alongside the containers.
                    container(&[("cpu", "100m")], &[], true),
                ]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let gib = 1024 * 1024 * 1024 * 1000;
        assert_eq!(pod_requests(&pod), [600, 2 * gib, 0]);
    }
}
