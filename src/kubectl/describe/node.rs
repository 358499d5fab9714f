//! `kubectl describe node`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Event, Node, Pod};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::writer::{since, timestamp, Writer};
use crate::kubectl::printers::node_roles;
use crate::sim::clock::{time, Millis, SECOND};
use crate::sim::quantity::{self, Milli};

/// The kubelet renews its node Lease this often.
const LEASE_RENEW: Millis = 10 * SECOND;

/// `pods` are all pods in the cluster; those bound here and not finished are listed.
pub fn describe(node: &Node, pods: &[&Pod], events: Option<&[&Event]>, now: Millis) -> String {
    let meta = &node.metadata;
    let spec = node.spec.clone().unwrap_or_default();
    let status = node.status.clone().unwrap_or_default();
    let name = meta.name.as_deref().unwrap_or("");
    let mut w = Writer::cluster_scoped(meta);
    let roles = node_roles(node);
    w.field(
        0,
        "Roles",
        if roles.is_empty() {
            "<none>".to_string()
        } else {
            roles.join(",")
        },
    );
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    w.field(
        0,
        "CreationTimestamp",
        timestamp(meta.creation_timestamp.as_ref()),
    );
    w.taints("Taints", spec.taints.as_ref());
    w.field(0, "Unschedulable", spec.unschedulable.unwrap_or(false));
    // The simulation keeps no Lease objects; the kubelet's heartbeat is implied.
    w.write(0, "Lease:\n");
    w.field(1, "HolderIdentity", name);
    w.field(1, "AcquireTime", "<unset>");
    w.field(
        1,
        "RenewTime",
        timestamp(Some(&time(now / LEASE_RENEW * LEASE_RENEW))),
    );
    w.conditions(status.conditions.as_ref());
    w.write(0, "Addresses:\n");
    for address in status.addresses.iter().flatten() {
        w.field(1, &address.type_, &address.address);
    }
    for (title, list) in [
        ("Capacity", &status.capacity),
        ("Allocatable", &status.allocatable),
    ] {
        if let Some(list) = list.as_ref().filter(|l| !l.is_empty()) {
            w.write(0, &format!("{title}:\n"));
            for (resource, value) in list {
                w.field(1, resource, &value.0);
            }
        }
    }
    let info = status.node_info.clone().unwrap_or_default();
    w.write(0, "System Info:\n");
    for (key, value) in [
        ("Machine ID", &info.machine_id),
        ("System UUID", &info.system_uuid),
        ("Boot ID", &info.boot_id),
        ("Kernel Version", &info.kernel_version),
        ("OS Image", &info.os_image),
        ("Operating System", &info.operating_system),
        ("Architecture", &info.architecture),
        ("Container Runtime Version", &info.container_runtime_version),
        ("Kubelet Version", &info.kubelet_version),
        ("Kube-Proxy Version", &info.kube_proxy_version),
    ] {
        w.field(1, key, value);
    }
    w.field_if_set(0, "PodCIDR", spec.pod_cidr.as_deref());
    if let Some(cidrs) = spec.pod_cidrs.as_ref().filter(|c| !c.is_empty()) {
        w.field(0, "PodCIDRs", cidrs.join(","));
    }
    w.field_if_set(0, "ProviderID", spec.provider_id.as_deref());
    let allocatable = status
        .allocatable
        .clone()
        .filter(|a| !a.is_empty())
        .or(status.capacity.clone())
        .unwrap_or_default();
    let running: Vec<&Pod> = pods
        .iter()
        .copied()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(name))
        .filter(|p| {
            !matches!(
                p.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        })
        .collect();
    allocations(&mut w, &running, &allocatable, now);
    w.events(events, now);
    w.finish()
}

/// One resource's sum, printed as the first quantity that went into it was written.
#[derive(Default, Clone)]
struct Sum {
    value: Milli,
    binary: bool,
}

impl Sum {
    fn add(&mut self, q: &Quantity) {
        if self.value == 0 {
            self.binary = quantity::is_binary(&q.0);
        }
        self.value += quantity::parse(&q.0).unwrap_or(0);
    }

    fn text(&self) -> String {
        quantity::format(self.value, self.binary)
    }

    /// `100m (5%)`: the share of what the node can allocate, truncated.
    fn share(&self, of: Milli) -> String {
        let percent = if of == 0 { 0 } else { self.value * 100 / of };
        format!("{} ({percent}%)", self.text())
    }
}

/// A pod's summed requests and limits per resource.
fn pod_resources(pod: &Pod) -> (BTreeMap<String, Sum>, BTreeMap<String, Sum>) {
    let mut requests: BTreeMap<String, Sum> = BTreeMap::new();
    let mut limits: BTreeMap<String, Sum> = BTreeMap::new();
    for container in pod.spec.iter().flat_map(|s| s.containers.iter()) {
        let Some(resources) = &container.resources else {
            continue;
        };
        for (name, q) in resources.requests.iter().flatten() {
            requests.entry(name.clone()).or_default().add(q);
        }
        for (name, q) in resources.limits.iter().flatten() {
            limits.entry(name.clone()).or_default().add(q);
        }
    }
    (requests, limits)
}

fn allocations(
    w: &mut Writer,
    pods: &[&Pod],
    allocatable: &BTreeMap<String, Quantity>,
    now: Millis,
) {
    let capacity = |name: &str| {
        allocatable
            .get(name)
            .and_then(|q| quantity::parse(&q.0))
            .unwrap_or(0)
    };
    let (cpu, memory, storage) = (
        capacity("cpu"),
        capacity("memory"),
        capacity("ephemeral-storage"),
    );
    w.field(
        0,
        "Non-terminated Pods",
        format!("({} in total)", pods.len()),
    );
    w.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut total_requests: BTreeMap<String, Sum> = BTreeMap::new();
    let mut total_limits: BTreeMap<String, Sum> = BTreeMap::new();
    for pod in pods {
        let (requests, limits) = pod_resources(pod);
        let get =
            |map: &BTreeMap<String, Sum>, name: &str| map.get(name).cloned().unwrap_or_default();
        w.write(
            1,
            &format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{}\n",
                pod.metadata.namespace.as_deref().unwrap_or(""),
                pod.metadata.name.as_deref().unwrap_or(""),
                get(&requests, "cpu").share(cpu),
                get(&limits, "cpu").share(cpu),
                get(&requests, "memory").share(memory),
                get(&limits, "memory").share(memory),
                since(pod.metadata.creation_timestamp.as_ref(), now)
            ),
        );
        for (totals, map) in [(&mut total_requests, requests), (&mut total_limits, limits)] {
            for (name, sum) in map {
                let total = totals.entry(name).or_default();
                if total.value == 0 {
                    total.binary = sum.binary;
                }
                total.value += sum.value;
            }
        }
    }
    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    // Huge pages follow the three standard rows, by name, as kubectl lists them.
    let huge_pages = allocatable
        .keys()
        .filter(|name| name.starts_with("hugepages-"))
        .map(|name| (name.as_str(), capacity(name)));
    for (resource, of) in [
        ("cpu", cpu),
        ("memory", memory),
        ("ephemeral-storage", storage),
    ]
    .into_iter()
    .chain(huge_pages)
    {
        let requests = total_requests.get(resource).cloned().unwrap_or_default();
        let limits = total_limits.get(resource).cloned().unwrap_or_default();
        w.write(
            1,
            &format!("{resource}\t{}\t{}\n", requests.share(of), limits.share(of)),
        );
    }
}
