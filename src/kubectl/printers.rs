//! The server-side table columns of `kubectl get`, per kind
//! (kubernetes-fidelity.md §3.4–3.5).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStatus, Event, Node, PersistentVolume, PersistentVolumeClaim, Pod,
    PodSpec, PodStatus, Service,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::duration::age;
use super::events;
use super::workload_rows;
use crate::sim::clock::{millis_of, Millis};
use crate::sim::object::{Kind, Object};
use crate::sim::shared_endpoints::{EndpointSlice, Endpoints};

/// Column headers; the wide-only ones last, but for Events, whose wide
/// SUBOBJECT and SOURCE come before MESSAGE (eventColumnDefinitions).
pub fn headers(kind: Kind, wide: bool) -> Vec<String> {
    if kind == Kind::Event && wide {
        return EVENT_WIDE_COLUMNS.iter().map(|s| s.to_string()).collect();
    }
    let (normal, extra): (&[&str], &[&str]) = match kind {
        Kind::Pod => (
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Kind::StatefulSet => (&["NAME", "READY", "AGE"], &["CONTAINERS", "IMAGES"]),
        Kind::DaemonSet => (
            &[
                "NAME",
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "NODE SELECTOR",
                "AGE",
            ],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Deployment => (
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::ReplicaSet => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Service => (
            &[
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
            ],
            &["SELECTOR"],
        ),
        Kind::PersistentVolumeClaim => (
            &[
                "NAME",
                "STATUS",
                "VOLUME",
                "CAPACITY",
                "ACCESS MODES",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "AGE",
            ],
            &["VOLUMEMODE"],
        ),
        Kind::PersistentVolume => (
            &[
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ],
            &["VOLUMEMODE"],
        ),
        Kind::Event => (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], &[]),
        Kind::ControllerRevision => (&["NAME", "CONTROLLER", "REVISION", "AGE"], &[]),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::EndpointSlice => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
        Kind::StorageClass => (
            &[
                "NAME",
                "PROVISIONER",
                "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE",
                "ALLOWVOLUMEEXPANSION",
                "AGE",
            ],
            &[],
        ),
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::ConfigMap => (&["NAME", "DATA", "AGE"], &[]),
        Kind::ServiceAccount => (&["NAME", "SECRETS", "AGE"], &[]),
        Kind::Secret => (&["NAME", "TYPE", "DATA", "AGE"], &[]),
        Kind::PodDisruptionBudget => (
            &[
                "NAME",
                "MIN AVAILABLE",
                "MAX UNAVAILABLE",
                "ALLOWED DISRUPTIONS",
                "AGE",
            ],
            &[],
        ),
    };
    let mut out: Vec<String> = normal.iter().map(|s| s.to_string()).collect();
    if wide {
        out.extend(extra.iter().map(|s| s.to_string()));
    }
    out
}

const EVENT_WIDE_COLUMNS: [&str; 10] = [
    "LAST SEEN",
    "TYPE",
    "REASON",
    "OBJECT",
    "SUBOBJECT",
    "SOURCE",
    "MESSAGE",
    "FIRST SEEN",
    "COUNT",
    "NAME",
];

fn created(object: &Object) -> Millis {
    object
        .meta()
        .creation_timestamp
        .as_ref()
        .map(millis_of)
        .unwrap_or(0)
}

/// HumanDuration since a timestamp, or `<unknown>` when there is none.
pub fn since(time: Option<&Time>, now: Millis) -> String {
    since_ms(time.map(millis_of), now)
}

/// HumanDuration since a virtual instant, or `<unknown>` without one.
pub fn since_ms(at: Option<Millis>, now: Millis) -> String {
    match at {
        Some(at) => age(at, now),
        None => "<unknown>".to_string(),
    }
}

fn or_none(s: String) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    }
}

/// One row of the table for `object`, as seen at `now`.
pub fn row(object: &Object, now: Millis, wide: bool) -> Vec<String> {
    let name = object.name().to_string();
    let object_age = age(created(object), now);
    match object {
        Object::Pod(pod) => pod_row(pod, now, wide),
        Object::StatefulSet(set) => {
            let spec = set.spec.clone().unwrap_or_default();
            let ready = set
                .status
                .as_ref()
                .and_then(|s| s.ready_replicas)
                .unwrap_or(0);
            let mut row = vec![
                name,
                format!("{ready}/{}", spec.replicas.unwrap_or(1)),
                object_age,
            ];
            if wide {
                row.extend(workload_rows::template_columns(&spec.template));
            }
            row
        }
        Object::DaemonSet(set) => workload_rows::daemon_set_row(set, name, object_age, wide),
        Object::Deployment(deployment) => {
            workload_rows::deployment_row(deployment, name, object_age, wide)
        }
        Object::ReplicaSet(set) => workload_rows::replica_set_row(set, name, object_age, wide),
        Object::Service(service) => service_row(service, object_age, wide),
        Object::PersistentVolumeClaim(claim) => claim_row(claim, object_age, wide),
        Object::PersistentVolume(pv) => volume_row(pv, object_age, wide),
        Object::Event(event) => event_row(event, now, wide),
        Object::ControllerRevision(revision) => {
            let controller = revision
                .metadata
                .owner_references
                .iter()
                .flatten()
                .find(|o| o.controller == Some(true))
                .map(|o| {
                    format!(
                        "{}/{}",
                        Kind::from_api_version_kind(&o.api_version, &o.kind)
                            .map_or(o.kind.to_lowercase(), |k| k.qualified_singular()),
                        o.name
                    )
                })
                .unwrap_or_else(|| "<none>".to_string());
            vec![name, controller, revision.revision.to_string(), object_age]
        }
        Object::Endpoints(endpoints) => vec![name, endpoints_cell(endpoints), object_age],
        Object::EndpointSlice(slice) => slice_row(slice, object_age),
        Object::StorageClass(class) => storage_class_row(class, object_age),
        Object::Node(node) => node_row(node, object_age, wide),
        Object::Namespace(ns) => {
            let phase = ns
                .status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default();
            vec![name, phase, object_age]
        }
        Object::ConfigMap(cm) => {
            let count = cm.data.as_ref().map_or(0, |d| d.len())
                + cm.binary_data.as_ref().map_or(0, |d| d.len());
            vec![name, count.to_string(), object_age]
        }
        Object::ServiceAccount(account) => {
            let secrets = account.secrets.as_ref().map_or(0, Vec::len);
            vec![name, secrets.to_string(), object_age]
        }
        Object::Secret(secret) => {
            let ty = secret.type_.clone().unwrap_or_default();
            let count = secret.data.as_ref().map_or(0, |d| d.len());
            vec![name, ty, count.to_string(), object_age]
        }
        Object::PodDisruptionBudget(budget) => {
            let spec = budget.spec.as_ref();
            let shown =
                |value: Option<&IntOrString>| value.map_or("N/A".to_string(), int_or_string);
            let allowed = budget.status.as_ref().map_or(0, |s| s.disruptions_allowed);
            vec![
                name,
                shown(spec.and_then(|s| s.min_available.as_ref())),
                shown(spec.and_then(|s| s.max_unavailable.as_ref())),
                allowed.to_string(),
                object_age,
            ]
        }
    }
}

/// IntOrString's String(): the number or the percentage as written.
pub fn int_or_string(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// READY, STATUS and RESTARTS as printPod computes them.
pub fn pod_row(pod: &Pod, now: Millis, wide: bool) -> Vec<String> {
    // Borrowed, not cloned: the cluster view prints a row for every pod at every tick.
    let name = pod.metadata.name.clone().unwrap_or_default();
    let (no_status, no_spec) = (PodStatus::default(), PodSpec::default());
    let status = pod.status.as_ref().unwrap_or(&no_status);
    let spec = pod.spec.as_ref().unwrap_or(&no_spec);
    let sidecar = |name: &str| {
        spec.init_containers
            .iter()
            .flatten()
            .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };
    let sidecars = spec
        .init_containers
        .iter()
        .flatten()
        .filter(|c| sidecar(&c.name))
        .count();
    let total = spec.containers.len() + sidecars;
    let mut reason = status.phase.clone().unwrap_or_default();
    if let Some(r) = status.reason.clone().filter(|r| !r.is_empty()) {
        reason = r;
    }
    if status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".to_string();
    }
    let no_state = ContainerState::default();
    let last_finished = |cs: &ContainerStatus| -> Option<Millis> {
        cs.last_state
            .as_ref()
            .and_then(|s| s.terminated.as_ref())
            .and_then(|t| t.finished_at.as_ref())
            .map(millis_of)
    };
    let later = |a: Option<Millis>, b: Option<Millis>| a.max(b);
    let mut restarts = 0;
    let mut last_restart: Option<Millis> = None;
    let mut sidecar_restarts = 0;
    let mut sidecar_last_restart: Option<Millis> = None;
    let mut ready = 0;
    let mut initializing = false;
    let init_total = spec.init_containers.as_ref().map_or(0, Vec::len);
    for (i, cs) in status.init_container_statuses.iter().flatten().enumerate() {
        restarts += cs.restart_count;
        last_restart = later(last_restart, last_finished(cs));
        if sidecar(&cs.name) {
            sidecar_restarts += cs.restart_count;
            sidecar_last_restart = later(sidecar_last_restart, last_finished(cs));
        }
        let state = cs.state.as_ref().unwrap_or(&no_state);
        let waiting = state
            .waiting
            .as_ref()
            .and_then(|w| w.reason.clone())
            .filter(|r| !r.is_empty());
        match (&state.terminated, waiting) {
            (Some(t), _) if t.exit_code == 0 => continue,
            _ if sidecar(&cs.name) && cs.started == Some(true) => {
                if cs.ready {
                    ready += 1;
                }
                continue;
            }
            (Some(t), _) => {
                reason = match t.reason.clone().filter(|r| !r.is_empty()) {
                    Some(r) => format!("Init:{r}"),
                    None if t.signal.unwrap_or(0) != 0 => {
                        format!("Init:Signal:{}", t.signal.unwrap_or(0))
                    }
                    None => format!("Init:ExitCode:{}", t.exit_code),
                };
            }
            (None, Some(w)) if w != "PodInitializing" => reason = format!("Init:{w}"),
            _ => reason = format!("Init:{i}/{init_total}"),
        }
        initializing = true;
        break;
    }
    let initialized = status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    let mut has_running = false;
    let containers = if !initializing || initialized {
        // Once initialized only the sidecars' restarts count besides the containers'.
        restarts = sidecar_restarts;
        last_restart = sidecar_last_restart;
        status.container_statuses.as_deref().unwrap_or(&[])
    } else {
        &[]
    };
    for cs in containers.iter().rev() {
        restarts += cs.restart_count;
        last_restart = later(last_restart, last_finished(cs));
        let state = cs.state.as_ref().unwrap_or(&no_state);
        if let Some(w) = state
            .waiting
            .as_ref()
            .and_then(|w| w.reason.clone())
            .filter(|r| !r.is_empty())
        {
            reason = w;
        } else if let Some(t) = &state.terminated {
            reason = match t.reason.clone().filter(|r| !r.is_empty()) {
                Some(r) => r,
                None if t.signal.unwrap_or(0) != 0 => format!("Signal:{}", t.signal.unwrap_or(0)),
                None => format!("ExitCode:{}", t.exit_code),
            };
        } else if cs.ready && state.running.is_some() {
            has_running = true;
            ready += 1;
        }
    }
    if reason == "Completed" && has_running {
        let pod_ready = status
            .conditions
            .iter()
            .flatten()
            .any(|c| c.type_ == "Ready" && c.status == "True");
        reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
    }
    let phase = status.phase.as_deref().unwrap_or("");
    if pod.metadata.deletion_timestamp.is_some() {
        if status.reason.as_deref() == Some("NodeLost") {
            reason = "Unknown".to_string();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".to_string();
        }
    }
    let restarts_cell = match last_restart {
        Some(at) if restarts > 0 => format!("{restarts} ({} ago)", age(at, now)),
        _ => restarts.to_string(),
    };
    let created = pod
        .metadata
        .creation_timestamp
        .as_ref()
        .map(millis_of)
        .unwrap_or(0);
    let mut row = vec![
        name,
        format!("{ready}/{total}"),
        reason,
        restarts_cell,
        age(created, now),
    ];
    if wide {
        let ip = status
            .pod_ips
            .as_ref()
            .and_then(|ips| ips.first())
            .map(|p| p.ip.clone())
            .unwrap_or_default();
        row.push(or_none(ip));
        row.push(or_none(spec.node_name.clone().unwrap_or_default()));
        row.push(or_none(
            status.nominated_node_name.clone().unwrap_or_default(),
        ));
        let gates = spec.readiness_gates.as_ref().map_or(0, |g| g.len());
        row.push(if gates == 0 {
            "<none>".to_string()
        } else {
            format!("0/{gates}")
        });
    }
    row
}

fn service_row(service: &Service, object_age: String, wide: bool) -> Vec<String> {
    let spec = service.spec.clone().unwrap_or_default();
    let type_ = spec
        .type_
        .clone()
        .unwrap_or_else(|| "ClusterIP".to_string());
    let cluster_ip = spec
        .cluster_ip
        .clone()
        .unwrap_or_else(|| "<none>".to_string());
    let external = match type_.as_str() {
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        "LoadBalancer" => "<pending>".to_string(),
        _ => spec
            .external_ips
            .clone()
            .map(|ips| ips.join(","))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "<none>".to_string()),
    };
    let ports = spec
        .ports
        .iter()
        .flatten()
        .map(|p| {
            let protocol = p.protocol.clone().unwrap_or_else(|| "TCP".to_string());
            match p.node_port {
                Some(node_port) => format!("{}:{node_port}/{protocol}", p.port),
                None => format!("{}/{protocol}", p.port),
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    let mut row = vec![
        service.metadata.name.clone().unwrap_or_default(),
        type_,
        cluster_ip,
        external,
        or_none(ports),
        object_age,
    ];
    if wide {
        row.push(format_labels(spec.selector.as_ref()));
    }
    row
}

/// `a=b,c=d`, or `<none>`: apimachinery's labels.FormatLabels, which sorts
/// the joined `key=value` strings (not the keys) and prints values as they
/// are, newlines and all.
pub fn format_labels(map: Option<&BTreeMap<String, String>>) -> String {
    let mut pairs: Vec<String> = map
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        "<none>".to_string()
    } else {
        pairs.join(",")
    }
}

/// `RWO,ROX`: access modes in kubectl's short form.
pub fn access_modes(modes: &[String]) -> String {
    modes
        .iter()
        .map(|m| match m.as_str() {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn claim_row(claim: &PersistentVolumeClaim, object_age: String, wide: bool) -> Vec<String> {
    let spec = claim.spec.clone().unwrap_or_default();
    let status = claim.status.clone().unwrap_or_default();
    let bound = spec.volume_name.is_some();
    // Before the controller writes the status, a named volume shows as 0 (an
    // empty Quantity printed).
    let capacity = if bound {
        storage_capacity(status.capacity.as_ref()).unwrap_or_else(|| "0".to_string())
    } else {
        String::new()
    };
    let modes = if bound {
        access_modes(status.access_modes.as_deref().unwrap_or(&[]))
    } else {
        String::new()
    };
    let row = vec![
        claim.metadata.name.clone().unwrap_or_default(),
        storage_phase(&claim.metadata, status.phase.as_ref()),
        spec.volume_name.clone().unwrap_or_default(),
        capacity,
        modes,
        spec.storage_class_name.clone().unwrap_or_default(),
        attributes_class(spec.volume_attributes_class_name.as_ref()),
        object_age,
    ];
    with_volume_mode(row, wide, spec.volume_mode.as_ref())
}

fn volume_row(pv: &PersistentVolume, object_age: String, wide: bool) -> Vec<String> {
    let spec = pv.spec.clone().unwrap_or_default();
    let status = pv.status.clone().unwrap_or_default();
    let claim = spec
        .claim_ref
        .as_ref()
        .map(|r| {
            format!(
                "{}/{}",
                r.namespace.clone().unwrap_or_default(),
                r.name.clone().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let row = vec![
        pv.metadata.name.clone().unwrap_or_default(),
        storage_capacity(spec.capacity.as_ref()).unwrap_or_default(),
        access_modes(spec.access_modes.as_deref().unwrap_or(&[])),
        spec.persistent_volume_reclaim_policy
            .clone()
            .unwrap_or_default(),
        storage_phase(&pv.metadata, status.phase.as_ref()),
        claim,
        spec.storage_class_name.clone().unwrap_or_default(),
        attributes_class(spec.volume_attributes_class_name.as_ref()),
        status.reason.clone().unwrap_or_default(),
        object_age,
    ];
    with_volume_mode(row, wide, spec.volume_mode.as_ref())
}

/// The `storage` entry of a PV's or PVC's capacity.
pub fn storage_capacity(capacity: Option<&BTreeMap<String, Quantity>>) -> Option<String> {
    capacity.and_then(|c| c.get("storage")).map(|q| q.0.clone())
}

/// A PV's or PVC's STATUS: `Terminating` once deleted, else its phase.
fn storage_phase(meta: &ObjectMeta, phase: Option<&String>) -> String {
    if meta.deletion_timestamp.is_some() {
        "Terminating".to_string()
    } else {
        phase.cloned().unwrap_or_default()
    }
}

/// VOLUMEATTRIBUTESCLASS, `<unset>` when there is none.
fn attributes_class(name: Option<&String>) -> String {
    name.cloned().unwrap_or_else(|| "<unset>".to_string())
}

/// PV and PVC rows end with VOLUMEMODE under `-o wide`.
fn with_volume_mode(mut row: Vec<String>, wide: bool, mode: Option<&String>) -> Vec<String> {
    if wide {
        row.push(mode.cloned().unwrap_or_else(|| "Filesystem".to_string()));
    }
    row
}

fn event_row(event: &Event, now: Millis, wide: bool) -> Vec<String> {
    let last = events::last_seen(event)
        .or_else(|| event.metadata.creation_timestamp.as_ref().map(millis_of));
    let involved = &event.involved_object;
    let object = format!(
        "{}/{}",
        involved.kind.clone().unwrap_or_default().to_lowercase(),
        involved.name.clone().unwrap_or_default()
    );
    let message = event.message.clone().unwrap_or_default().trim().to_string();
    let mut row = vec![
        since_ms(last, now),
        event.type_.clone().unwrap_or_default(),
        event.reason.clone().unwrap_or_default(),
        object,
    ];
    if !wide {
        row.push(message);
        return row;
    }
    row.push(involved.field_path.clone().unwrap_or_default());
    row.push(event_source(event));
    row.push(message);
    row.push(since_ms(events::first_seen(event), now));
    row.push(events::times(event).to_string());
    row.push(event.metadata.name.clone().unwrap_or_default());
    row
}

/// `component, instance`: the source a legacy recorder wrote, else the
/// reporting controller and instance of the events.k8s.io recorder.
fn event_source(event: &Event) -> String {
    let source = event.source.as_ref();
    let first = |legacy: Option<&String>, reporting: Option<&String>| {
        legacy
            .filter(|s| !s.is_empty())
            .or(reporting)
            .cloned()
            .unwrap_or_default()
    };
    let component = first(
        source.and_then(|s| s.component.as_ref()),
        event.reporting_component.as_ref(),
    );
    let instance = first(
        source.and_then(|s| s.host.as_ref()),
        event.reporting_instance.as_ref(),
    );
    if instance.is_empty() {
        component
    } else {
        format!("{component}, {instance}")
    }
}

/// `10.244.1.2:80,10.244.2.2:80 + 1 more...`
fn endpoints_cell(endpoints: &Endpoints) -> String {
    let mut all = Vec::new();
    for subset in endpoints.subsets.iter().flatten() {
        let addresses = subset.addresses.as_deref().unwrap_or_default();
        let ports = subset.ports.as_deref().unwrap_or_default();
        if ports.is_empty() {
            all.extend(addresses.iter().map(|a| a.ip.clone()));
        }
        // kubectl lists every address of the first port, then of the next.
        for port in ports {
            all.extend(addresses.iter().map(|a| format!("{}:{}", a.ip, port.port)));
        }
    }
    more(all, "<none>")
}

fn more(items: Vec<String>, empty: &str) -> String {
    match items.len() {
        0 => empty.to_string(),
        n if n > 3 => format!("{} + {} more...", items[..3].join(","), n - 3),
        _ => items.join(","),
    }
}

fn slice_row(slice: &EndpointSlice, object_age: String) -> Vec<String> {
    let ports = slice
        .ports
        .iter()
        .flatten()
        .filter_map(|p| p.port.map(|n| n.to_string()))
        .collect::<Vec<_>>();
    let addresses = slice
        .endpoints
        .iter()
        .flat_map(|e| e.addresses.clone())
        .collect();
    vec![
        slice.metadata.name.clone().unwrap_or_default(),
        slice.address_type.clone(),
        if ports.is_empty() {
            "<unset>".to_string()
        } else {
            ports.join(",")
        },
        more(addresses, "<unset>"),
        object_age,
    ]
}

fn storage_class_row(class: &StorageClass, object_age: String) -> Vec<String> {
    let default = class
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("storageclass.kubernetes.io/is-default-class"))
        .is_some_and(|v| v == "true");
    let name = class.metadata.name.clone().unwrap_or_default();
    vec![
        if default {
            format!("{name} (default)")
        } else {
            name
        },
        class.provisioner.clone(),
        class
            .reclaim_policy
            .clone()
            .unwrap_or_else(|| "Delete".to_string()),
        class
            .volume_binding_mode
            .clone()
            .unwrap_or_else(|| "Immediate".to_string()),
        class.allow_volume_expansion.unwrap_or(false).to_string(),
        object_age,
    ]
}

/// Roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels, sorted.
pub fn node_roles(node: &Node) -> Vec<String> {
    let mut roles: Vec<String> = node
        .metadata
        .labels
        .iter()
        .flatten()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) => Some(role.to_string()),
            None => (k == "kubernetes.io/role").then(|| v.clone()),
        })
        .filter(|role| !role.is_empty())
        .collect();
    roles.sort();
    roles.dedup();
    roles
}

fn node_row(node: &Node, object_age: String, wide: bool) -> Vec<String> {
    let status = node.status.clone().unwrap_or_default();
    let spec = node.spec.clone().unwrap_or_default();
    let ready = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "Ready");
    let mut state = match ready {
        Some(c) if c.status == "True" => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    };
    if spec.unschedulable == Some(true) {
        state.push_str(",SchedulingDisabled");
    }
    let roles = node_roles(node);
    let info = status.node_info.clone().unwrap_or_default();
    let mut row = vec![
        node.metadata.name.clone().unwrap_or_default(),
        state,
        if roles.is_empty() {
            "<none>".to_string()
        } else {
            roles.join(",")
        },
        object_age,
        info.kubelet_version.clone(),
    ];
    if wide {
        let address = |t: &str| {
            status
                .addresses
                .iter()
                .flatten()
                .find(|a| a.type_ == t)
                .map(|a| a.address.clone())
                .unwrap_or_else(|| "<none>".to_string())
        };
        row.push(address("InternalIP"));
        row.push(address("ExternalIP"));
        row.push(info.os_image.clone());
        row.push(info.kernel_version.clone());
        row.push(info.container_runtime_version.clone());
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_labels_sorts_the_pairs_not_the_keys() {
        let map: BTreeMap<String, String> = [("a", "1"), ("a-b", "2")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        // '-' sorts before '=', so `a-b=2` comes first although `a` < `a-b`.
        assert_eq!(format_labels(Some(&map)), "a-b=2,a=1");
        assert_eq!(format_labels(None), "<none>");
        assert_eq!(format_labels(Some(&BTreeMap::new())), "<none>");
    }

    use serde_json::json;

    fn decoded<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).expect("test object decodes")
    }

    #[test]
    fn wide_claim_and_volume_rows() {
        let claim: PersistentVolumeClaim = decoded(json!({
            "metadata": {"name": "data-web-0"},
            "spec": {"volumeName": "pv-1", "storageClassName": "standard"},
            "status": {"phase": "Bound", "capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]}
        }));
        assert_eq!(
            claim_row(&claim, "5s".to_string(), true).join("|"),
            "data-web-0|Bound|pv-1|1Gi|RWO|standard|<unset>|5s|Filesystem"
        );
        let pending: PersistentVolumeClaim = decoded(json!({
            "metadata": {"name": "data-web-1", "deletionTimestamp": "2026-01-05T09:00:00Z"},
            "spec": {"volumeAttributesClassName": "fast", "volumeMode": "Block"}
        }));
        assert_eq!(
            claim_row(&pending, "1s".to_string(), false),
            ["data-web-1", "Terminating", "", "", "", "", "fast", "1s"]
        );
        let pv: PersistentVolume = decoded(json!({
            "metadata": {"name": "pv-1"},
            "spec": {
                "capacity": {"storage": "1Gi"},
                "accessModes": ["ReadWriteOnce"],
                "persistentVolumeReclaimPolicy": "Delete",
                "claimRef": {"namespace": "default", "name": "data-web-0"},
                "storageClassName": "standard",
                "volumeMode": "Filesystem"
            },
            "status": {"phase": "Bound"}
        }));
        assert_eq!(
            volume_row(&pv, "5s".to_string(), true).join("|"),
            "pv-1|1Gi|RWO|Delete|Bound|default/data-web-0|standard|<unset>||5s|Filesystem"
        );
    }
}
