//! `kubectl expose TYPE NAME`: a Service in front of a pod (a StatefulSet's
//! pod by its own labels, the way per-pod Services are made), a Service, or
//! one of kind's Deployments and ReplicaSets, as kubectl 1.34 builds it: the
//! selector and labels from the object, its container ports (or `--port`),
//! target ports the same unless `--target-port`, and `service/NAME exposed`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Pod, Service};
use serde_json::{json, Value};

use super::args::{Parsed, Spec, Takes};
use super::create::{send_generated, Generated};
use super::dry_run::DryRun;
use super::output::Output;
use super::{Context, Invocation};
use crate::sim::{Cluster, Kind, Object};

pub const SPEC: Spec = Spec {
    flags: &[
        ("port", None, Takes::Value),
        ("target-port", None, Takes::Value),
        ("protocol", None, Takes::Value),
        ("name", None, Takes::Value),
        ("type", None, Takes::Value),
        ("selector", None, Takes::Value),
        ("labels", Some('l'), Takes::Value),
        ("cluster-ip", None, Takes::Value),
        ("session-affinity", None, Takes::Value),
        ("dry-run", None, Takes::Value),
        ("output", Some('o'), Takes::Value),
        ("template", None, Takes::Value),
        ("show-managed-fields", None, Takes::Bool),
    ],
    not_simulated: &[
        "filename",
        "kustomize",
        "recursive",
        "external-ip",
        "load-balancer-ip",
        "overrides",
        "override-type",
        "field-manager",
        "save-config",
    ],
};

/// The longest name a Service may have; kubectl cuts a longer default.
const MAX_NAME: usize = 63;

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Invocation {
    let namespace = parsed.value("namespace").unwrap_or(ctx.namespace);
    let (kind, name) = match parsed.positionals.as_slice() {
        [] => return Output::fail(super::target::NO_RESOURCES_GIVEN).into(),
        [typed] => match typed.split_once('/') {
            Some((kind, name)) => (kind.to_string(), name.to_string()),
            None if super::resources::resolve(typed).is_some() => {
                return Output::error("resource(s) were provided, but no name was specified").into()
            }
            None => {
                return Output::error(format!(
                    "the server doesn't have a resource type \"{typed}\""
                ))
                .into()
            }
        },
        [kind, name, ..] => (kind.clone(), name.clone()),
    };
    let Some(kind) = super::resources::resolve(&kind) else {
        return Output::error(format!(
            "the server doesn't have a resource type \"{kind}\""
        ))
        .into();
    };
    let Some(object) = cluster.store().get_named(kind, namespace, &name).cloned() else {
        return Output::fail(format!(
            "Error from server (NotFound): {} \"{name}\" not found",
            kind.qualified_plural()
        ))
        .into();
    };
    // CanBeExposed: what kubectl knows how to put a Service in front of.
    let Some(exposed) = Exposed::of(&object) else {
        let group_kind = match kind.group() {
            "" => kind.name().to_string(),
            group => format!("{}.{group}", kind.name()),
        };
        return Output::error(format!("cannot expose a {group_kind}")).into();
    };
    let selector = match parsed.value("selector") {
        Some(selector) => selector.to_string(),
        None => match exposed.selector() {
            Ok(selector) => selector,
            Err(why) => {
                return Output::error(format!(
                    "couldn't retrieve selectors via --selector flag or introspection: {why}"
                ))
                .into()
            }
        },
    };
    let ports: Vec<(String, String)> = match parsed.value("port") {
        Some(port) => vec![(port.to_string(), String::new())],
        None => exposed.ports(),
    };
    if ports.is_empty() {
        return Output::error("couldn't find port via --port flag or introspection").into();
    }
    let labels = match parsed.value("labels") {
        Some(labels) => Some(labels.to_string()),
        None => exposed.labels(),
    };
    let mut service_name = parsed.value("name").unwrap_or(&name).to_string();
    if parsed.value("name").is_none() {
        service_name.truncate(MAX_NAME);
    }
    let service = match service_json(
        parsed,
        &service_name,
        namespace,
        &selector,
        labels.as_deref(),
        &ports,
    ) {
        Ok(service) => service,
        Err(err) => return Output::error(err).into(),
    };
    let object = match Object::from_json(Kind::Service, service) {
        Ok(object) => object,
        Err(err) => return Output::error(err).into(),
    };
    let dry_run = match DryRun::from_flag(parsed) {
        Ok(dry_run) => dry_run,
        Err(err) => return Output::error(err).into(),
    };
    let printer = match super::formats::print_flags_printer(parsed, ctx) {
        Ok(printer) => printer,
        Err(err) => return Output::error(err).into(),
    };
    let sent = Generated {
        resource: "service",
        verb: "exposed",
        dry_run,
        printer,
    };
    let failed = |err: crate::sim::ApiError| Output::fail(err.kubectl_text());
    send_generated(cluster, parsed, object, sent, failed).into()
}

/// The Service as createService builds it: one port per exposed port (named
/// `port-N` when there are several), target ports the same unless given.
fn service_json(
    parsed: &Parsed,
    name: &str,
    namespace: &str,
    selector: &str,
    labels: Option<&str>,
    ports: &[(String, String)],
) -> Result<Value, String> {
    let selector = label_map(selector)?;
    let labels = labels.map(label_map).transpose()?;
    // ProtocolsForObject: every protocol each port is declared with.
    let mut protocols: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (port, protocol) in ports.iter().filter(|(_, p)| !p.is_empty()) {
        protocols.entry(port).or_default().push(protocol);
    }
    let several = ports.len() > 1;
    let target = parsed.value("target-port");
    let mut listed = Vec::new();
    for (index, (port, _)) in ports.iter().enumerate() {
        let number: i32 = port
            .parse()
            .map_err(|_| format!("strconv.Atoi: parsing \"{port}\": invalid syntax"))?;
        let target: Value = match target {
            Some(t) => t.parse::<i32>().map_or_else(|_| json!(t), |n| json!(n)),
            None => json!(number),
        };
        let name = several.then(|| format!("port-{}", index + 1));
        let entry = |name: Option<String>, protocol: &str| {
            let mut entry = json!({"port": number, "protocol": protocol, "targetPort": target});
            if let Some(name) = name {
                entry["name"] = json!(name);
            }
            entry
        };
        // createService: --protocol wins; a port declared with several
        // protocols becomes one Service port per protocol.
        match (parsed.value("protocol"), protocols.get(port.as_str())) {
            (Some(protocol), _) => listed.push(entry(name, protocol)),
            (None, Some(declared)) if declared.len() > 1 => {
                for protocol in declared {
                    let name = format!("port-{}-{}", index + 1, protocol.to_lowercase());
                    listed.push(entry(Some(name), protocol));
                }
            }
            (None, Some(declared)) => listed.push(entry(name, declared[0])),
            (None, None) => listed.push(entry(name, "TCP")),
        }
    }
    let mut spec = json!({"selector": selector, "ports": listed});
    if let Some(kind) = parsed.value("type") {
        spec["type"] = json!(kind);
    }
    match parsed.value("session-affinity") {
        None => {}
        Some(affinity @ ("None" | "ClientIP")) => spec["sessionAffinity"] = json!(affinity),
        Some(other) => return Err(format!("unknown session affinity: {other}")),
    }
    if let Some(ip) = parsed.value("cluster-ip") {
        spec["clusterIP"] = json!(ip);
    }
    let mut metadata = json!({"name": name, "namespace": namespace});
    if let Some(labels) = labels {
        metadata["labels"] = json!(labels);
    }
    Ok(json!({"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec}))
}

/// parseLabels: `k=v,k2=v2`.
fn label_map(text: &str) -> Result<BTreeMap<String, String>, String> {
    text.split(',')
        .map(
            |pair| match pair.split('=').collect::<Vec<_>>().as_slice() {
                ["", _] => Err("unexpected empty label key".to_string()),
                [key, value] => Ok((key.to_string(), value.to_string())),
                _ => Err(format!("unexpected label spec: {pair}")),
            },
        )
        .collect()
}

/// An object kubectl can expose, and where its pods' labels and ports are.
enum Exposed<'a> {
    Pod(&'a Pod),
    Service(&'a Service),
    /// A Deployment or ReplicaSet: its selector and pod template.
    Workload {
        match_labels: Option<&'a BTreeMap<String, String>>,
        expressions: bool,
        containers: &'a [Container],
        labels: Option<&'a BTreeMap<String, String>>,
    },
}

impl<'a> Exposed<'a> {
    fn of(object: &'a Object) -> Option<Exposed<'a>> {
        let workload =
            |selector: &'a k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
             template: &'a k8s_openapi::api::core::v1::PodTemplateSpec,
             labels| Exposed::Workload {
                match_labels: selector.match_labels.as_ref(),
                expressions: selector
                    .match_expressions
                    .as_ref()
                    .is_some_and(|e| !e.is_empty()),
                containers: template.spec.as_ref().map_or(&[][..], |s| &s.containers),
                labels,
            };
        match object {
            Object::Pod(pod) => Some(Exposed::Pod(pod)),
            Object::Service(service) => Some(Exposed::Service(service)),
            Object::Deployment(d) => {
                let spec = d.spec.as_ref()?;
                Some(workload(
                    &spec.selector,
                    &spec.template,
                    d.metadata.labels.as_ref(),
                ))
            }
            Object::ReplicaSet(r) => {
                let spec = r.spec.as_ref()?;
                Some(workload(
                    &spec.selector,
                    spec.template.as_ref()?,
                    r.metadata.labels.as_ref(),
                ))
            }
            _ => None,
        }
    }

    /// MapBasedSelectorForObject, as `k=v,…`.
    fn selector(&self) -> Result<String, String> {
        match self {
            Exposed::Pod(pod) => match pod.metadata.labels.as_ref().filter(|l| !l.is_empty()) {
                Some(labels) => Ok(label_spec(labels)),
                None => Err("the pod has no labels and cannot be exposed".to_string()),
            },
            Exposed::Service(service) => {
                match service.spec.as_ref().and_then(|s| s.selector.as_ref()) {
                    Some(selector) => Ok(label_spec(selector)),
                    None => Err("the service has no pod selector set".to_string()),
                }
            }
            Exposed::Workload {
                expressions: true, ..
            } => Err(
                "couldn't convert expressions - \"<nil>\" to map-based selector format".to_string(),
            ),
            Exposed::Workload { match_labels, .. } => {
                Ok(match_labels.map(label_spec).unwrap_or_default())
            }
        }
    }

    /// PortsForObject with ProtocolsForObject: each port and its protocol.
    fn ports(&self) -> Vec<(String, String)> {
        let of_containers = |containers: &[Container]| {
            containers
                .iter()
                .flat_map(|c| c.ports.iter().flatten())
                .map(|p| {
                    (
                        p.container_port.to_string(),
                        p.protocol.clone().unwrap_or_default(),
                    )
                })
                .collect()
        };
        match self {
            Exposed::Pod(pod) => {
                of_containers(pod.spec.as_ref().map_or(&[][..], |s| &s.containers))
            }
            Exposed::Service(service) => service
                .spec
                .iter()
                .flat_map(|s| s.ports.iter().flatten())
                .map(|p| (p.port.to_string(), p.protocol.clone().unwrap_or_default()))
                .collect(),
            Exposed::Workload { containers, .. } => of_containers(containers),
        }
    }

    /// The object's own labels, which the Service takes.
    fn labels(&self) -> Option<String> {
        let labels = match self {
            Exposed::Pod(pod) => pod.metadata.labels.as_ref(),
            Exposed::Service(service) => service.metadata.labels.as_ref(),
            Exposed::Workload { labels, .. } => *labels,
        }?;
        (!labels.is_empty()).then(|| label_spec(labels))
    }
}

/// MakeLabels: a label set as `k=v,…`, which the Service's flags take too.
fn label_spec(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_specs_as_kubectl_parses_them() {
        assert_eq!(
            label_map("app=web,tier=front").ok(),
            Some(BTreeMap::from([
                ("app".to_string(), "web".to_string()),
                ("tier".to_string(), "front".to_string())
            ]))
        );
        assert_eq!(
            label_map("=x"),
            Err("unexpected empty label key".to_string())
        );
        assert_eq!(label_map("a"), Err("unexpected label spec: a".to_string()));
    }
}
