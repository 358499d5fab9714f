//! `kubectl create SUBCOMMAND NAME`: the generators. `create namespace`,
//! `create serviceaccount`, `create configmap`, `create secret generic` and
//! `create service TYPE` are simulated; the others are refused by name (a
//! manifest and `kubectl apply -f` make the same objects).

use k8s_openapi::api::core::v1::{
    ConfigMap, Namespace, Secret, Service, ServiceAccount, ServicePort, ServiceSpec,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use k8s_openapi::ByteString;

use serde_json::Value;

use super::args::{Flag, Parsed, Spec, Takes};
use super::data_sources::{self, Target};
use super::dry_run::DryRun;
use super::formats::{self, Printer};
use super::output::Output;
use super::selector::Selector;
use super::Context;
use crate::sim::errors::ApiError;
use crate::sim::object::Object;
use crate::sim::Cluster;

/// kubectl's `create` subcommands and their aliases.
pub const SUBCOMMANDS: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "configmap",
    "cm",
    "cronjob",
    "cj",
    "deployment",
    "deploy",
    "ingress",
    "ing",
    "job",
    "namespace",
    "ns",
    "poddisruptionbudget",
    "pdb",
    "priorityclass",
    "pc",
    "quota",
    "resourcequota",
    "role",
    "rolebinding",
    "secret",
    "service",
    "svc",
    "serviceaccount",
    "sa",
    "token",
];

/// The subcommands the playground runs (`secret` as `secret generic`).
pub const SIMULATED: &[&str] = &[
    "namespace",
    "ns",
    "poddisruptionbudget",
    "pdb",
    "serviceaccount",
    "sa",
    "configmap",
    "cm",
    "secret",
    "service",
    "svc",
];

/// `kubectl create service`'s subcommands.
pub const SERVICE_TYPES: &[&str] = &["clusterip", "externalname", "loadbalancer", "nodeport"];

/// The kinds of `kubectl create secret` the playground does not run.
pub const SECRET_TYPES_NOT_SIMULATED: &[&str] = &["docker-registry", "tls"];

/// A simulated generator's name, for its alias too (kubectl's command path).
pub fn canonical(sub: &str) -> &'static str {
    match sub {
        "namespace" | "ns" => "namespace",
        "serviceaccount" | "sa" => "serviceaccount",
        "poddisruptionbudget" | "pdb" => "poddisruptionbudget",
        "secret" => "secret generic",
        "clusterip" => "service clusterip",
        "externalname" => "service externalname",
        "loadbalancer" => "service loadbalancer",
        "nodeport" => "service nodeport",
        _ => "configmap",
    }
}

/// `kubectl create secret` without `generic`: cobra's help for the group
/// (on stderr, exit status 1), or its word for a subcommand it lacks.
pub fn secret_without_type(rest: &[String]) -> Output {
    if let Some(word) = rest.first().filter(|w| !w.starts_with('-')) {
        return Output::fail(format!("error: unknown command \"{word}\"\nSee 'kubectl create secret -h' for help and examples"));
    }
    Output::fail(
        "Create a secret with specified type.

 A docker-registry type secret is for accessing a container registry.

 A generic type secret indicate an Opaque secret type.

 A tls type secret holds TLS certificate and its associated key.

Available Commands:
  docker-registry   Create a secret for use with a Docker registry
  generic           Create a secret from a local file, directory, or literal value
  tls               Create a TLS secret

Usage:
  kubectl create secret (docker-registry | generic | tls) [options]

Use \"kubectl create secret <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).",
    )
}

/// `kubectl create service` without a type: cobra's help for the group (on
/// stderr, exit status 1), or its word for a type it lacks.
pub fn service_without_type(rest: &[String]) -> Output {
    if let Some(word) = rest.first().filter(|w| !w.starts_with('-')) {
        return Output::fail(format!("error: unknown command \"{word}\"\nSee 'kubectl create service -h' for help and examples"));
    }
    Output::fail(
        "Create a service using a specified subcommand.

Aliases:
service, svc

Available Commands:
  clusterip      Create a ClusterIP service
  externalname   Create an ExternalName service
  loadbalancer   Create a LoadBalancer service
  nodeport       Create a NodePort service

Usage:
  kubectl create service [flags] [options]

Use \"kubectl create service <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).",
    )
}

/// The flags every generator has and the playground simulates.
const FLAGS: [Flag; 4] = [
    ("dry-run", None, Takes::Value),
    ("output", Some('o'), Takes::Value),
    ("template", None, Takes::Value),
    ("allow-missing-template-keys", None, Takes::Value),
];

/// The flags every generator has and the playground does not simulate.
const NOT_SIMULATED: [&str; 4] = [
    "save-config",
    "field-manager",
    "validate",
    "show-managed-fields",
];

/// The flags of one simulated generator.
pub fn generator_spec(sub: &str) -> Spec {
    const WITH_DATA_NOT_SIMULATED: [&str; 5] = {
        let mut names = ["append-hash"; 5];
        let mut i = 0;
        while i < NOT_SIMULATED.len() {
            names[i] = NOT_SIMULATED[i];
            i += 1;
        }
        names
    };
    // A Secret's flags are a ConfigMap's and --type.
    const SECRET_FLAGS: [Flag; 8] = [
        FLAGS[0],
        FLAGS[1],
        FLAGS[2],
        FLAGS[3],
        ("from-literal", None, Takes::Value),
        ("from-file", None, Takes::Value),
        ("from-env-file", None, Takes::Value),
        ("type", None, Takes::Value),
    ];
    // Every service type takes --tcp; three of them one more flag.
    const TCP: Flag = ("tcp", None, Takes::Value);
    const CLUSTERIP: [Flag; 6] = [
        FLAGS[0],
        FLAGS[1],
        FLAGS[2],
        FLAGS[3],
        TCP,
        ("clusterip", None, Takes::Value),
    ];
    const NODEPORT: [Flag; 6] = [
        FLAGS[0],
        FLAGS[1],
        FLAGS[2],
        FLAGS[3],
        TCP,
        ("node-port", None, Takes::Int),
    ];
    const EXTERNALNAME: [Flag; 6] = [
        FLAGS[0],
        FLAGS[1],
        FLAGS[2],
        FLAGS[3],
        TCP,
        ("external-name", None, Takes::Value),
    ];
    const PDB: [Flag; 7] = [
        FLAGS[0],
        FLAGS[1],
        FLAGS[2],
        FLAGS[3],
        ("min-available", None, Takes::Value),
        ("max-unavailable", None, Takes::Value),
        ("selector", None, Takes::Value),
    ];
    let service = |flags: &'static [Flag]| Spec {
        flags,
        not_simulated: &NOT_SIMULATED,
    };
    match sub {
        "clusterip" => service(&CLUSTERIP),
        "nodeport" => service(&NODEPORT),
        "loadbalancer" => service(&CLUSTERIP[..5]),
        "externalname" => service(&EXTERNALNAME),
        "poddisruptionbudget" | "pdb" => service(&PDB),
        "configmap" | "cm" => Spec {
            flags: &SECRET_FLAGS[..SECRET_FLAGS.len() - 1],
            not_simulated: &WITH_DATA_NOT_SIMULATED,
        },
        "secret" => Spec {
            flags: &SECRET_FLAGS,
            not_simulated: &WITH_DATA_NOT_SIMULATED,
        },
        _ => Spec {
            flags: &FLAGS,
            not_simulated: &NOT_SIMULATED,
        },
    }
}

/// `kubectl create namespace|serviceaccount|configmap|secret generic NAME`.
pub fn generate(cluster: &mut Cluster, ctx: &Context<'_>, sub: &str, parsed: &Parsed) -> Output {
    let [name] = parsed.positionals.as_slice() else {
        return Output::fail(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create {} -h' for help and examples",
            parsed.positionals.len(),
            canonical(sub)
        ));
    };
    let dry_run = match DryRun::from_flag(parsed) {
        Ok(dry_run) => dry_run,
        Err(err) => return Output::error(err),
    };
    let printer = match formats::print_flags_printer(parsed, ctx) {
        Ok(printer) => printer,
        Err(err) => return Output::error(err),
    };
    let (resource, object) = match build(ctx, sub, parsed, name) {
        Ok(built) => built,
        Err(err) => return Output::error(err),
    };
    // Only these generators wrap the server's error in their own words.
    let failed = |err: ApiError| match resource {
        "configmap" | "secret" => Output::error(format!("failed to create {resource}: {err}")),
        "poddisruptionbudget.policy" => Output::error(format!(
            "failed to create poddisruptionbudgets: {}",
            err.message
        )),
        _ => Output::fail(err.kubectl_text()),
    };
    let sent = Generated {
        verb: "created",
        resource,
        dry_run,
        printer,
    };
    send_generated(cluster, parsed, object, sent, failed)
}

/// How a generated object is sent and shown.
pub(super) struct Generated {
    pub resource: &'static str,
    /// What kubectl says it did: `created`, `exposed`.
    pub verb: &'static str,
    pub dry_run: DryRun,
    /// `-o`'s printer, or None for kubectl's `<resource>/<name> created`.
    pub printer: Option<Printer>,
}

/// Sends an object a generator built (`kubectl create …`, `kubectl run`),
/// or not, as `--dry-run` says, and prints it.
pub(super) fn send_generated(
    cluster: &mut Cluster,
    parsed: &Parsed,
    object: Object,
    sent: Generated,
    failed: impl Fn(ApiError) -> Output,
) -> Output {
    let name = object.name().to_string();
    let shown = match sent.dry_run {
        DryRun::Client => client_side(&object, parsed),
        DryRun::Server => match cluster.clone().create(object) {
            Ok(created) => created.to_json(),
            Err(err) => return failed(err),
        },
        DryRun::None => match cluster.create(object) {
            Ok(created) => created.to_json(),
            Err(err) => return failed(err),
        },
    };
    match sent.printer {
        None => Output::ok(format!(
            "{}/{name} {}{}\n",
            sent.resource,
            sent.verb,
            sent.dry_run.note()
        )),
        Some(mut printer) => match printer.print(&shown, None) {
            Ok(text) => Output::ok(text),
            Err(err) => Output::error(err),
        },
    }
}

/// The object as the generator builds it, and its resource name.
fn build(
    ctx: &Context<'_>,
    sub: &str,
    parsed: &Parsed,
    name: &str,
) -> Result<(&'static str, Object), String> {
    let namespace = parsed.value("namespace").unwrap_or(ctx.namespace);
    let metadata = |namespace: Option<&str>| ObjectMeta {
        name: Some(name.to_string()),
        namespace: namespace.map(str::to_string),
        ..Default::default()
    };
    Ok(match canonical(sub) {
        "namespace" => (
            "namespace",
            Object::Namespace(Box::new(Namespace {
                metadata: metadata(None),
                ..Default::default()
            })),
        ),
        "serviceaccount" => (
            "serviceaccount",
            Object::ServiceAccount(Box::new(ServiceAccount {
                metadata: metadata(Some(namespace)),
                ..Default::default()
            })),
        ),
        "poddisruptionbudget" => (
            "poddisruptionbudget.policy",
            Object::PodDisruptionBudget(Box::new(budget(parsed, metadata(Some(namespace)))?)),
        ),
        "service clusterip"
        | "service nodeport"
        | "service loadbalancer"
        | "service externalname" => (
            "service",
            Object::Service(Box::new(service(sub, parsed, metadata(Some(namespace)))?)),
        ),
        "configmap" => {
            let data = data_sources::collect(ctx, parsed, Target::ConfigMap, name)?;
            (
                "configmap",
                Object::ConfigMap(Box::new(ConfigMap {
                    metadata: metadata(Some(namespace)),
                    data: Some(data).filter(|d| !d.is_empty()),
                    ..Default::default()
                })),
            )
        }
        _ => {
            let data = data_sources::collect(ctx, parsed, Target::Secret, name)?;
            let data = data
                .into_iter()
                .map(|(k, v)| (k, ByteString(v.into_bytes())))
                .collect::<std::collections::BTreeMap<_, _>>();
            (
                "secret",
                Object::Secret(Box::new(Secret {
                    metadata: metadata(Some(namespace)),
                    data: Some(data).filter(|d| !d.is_empty()),
                    type_: parsed.value("type").map(str::to_string),
                    ..Default::default()
                })),
            )
        }
    })
}

/// `kubectl create poddisruptionbudget NAME --selector=… --min-available=N`:
/// PodDisruptionBudgetOpts' Validate, then a budget with one of the two.
fn budget(parsed: &Parsed, metadata: ObjectMeta) -> Result<PodDisruptionBudget, String> {
    let selector = parsed.value("selector").unwrap_or("");
    let min = parsed.value("min-available").unwrap_or("");
    let max = parsed.value("max-unavailable").unwrap_or("");
    if selector.is_empty() {
        return Err("a selector must be specified".to_string());
    }
    match (min.is_empty(), max.is_empty()) {
        (true, true) => {
            return Err("one of min-available or max-unavailable must be specified".to_string())
        }
        (false, false) => {
            return Err("min-available and max-unavailable cannot be both specified".to_string())
        }
        _ => {}
    }
    // `^[0-9]+%?$`
    let well_formed = |v: &str| {
        let digits = v.strip_suffix('%').unwrap_or(v);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if !min.is_empty() && !well_formed(min) {
        return Err("invalid format specified for min-available".to_string());
    }
    if !max.is_empty() && !well_formed(max) {
        return Err("invalid format specified for max-unavailable".to_string());
    }
    let selector = Selector::parse(selector)?.to_label_selector()?;
    // intstr.Parse: a number if it is one, else the text.
    let amount = |v: &str| match v.parse::<i32>() {
        Ok(n) => IntOrString::Int(n),
        Err(_) => IntOrString::String(v.to_string()),
    };
    Ok(PodDisruptionBudget {
        metadata,
        spec: Some(PodDisruptionBudgetSpec {
            selector: Some(selector),
            min_available: Some(min).filter(|m| !m.is_empty()).map(amount),
            max_unavailable: Some(max).filter(|m| !m.is_empty()).map(amount),
            ..Default::default()
        }),
        status: None,
    })
}

/// `kubectl create service TYPE NAME`: ServiceOptions' Validate, then its
/// createService: one TCP port per `--tcp` pair (named after it), and the
/// label and selector `app: NAME`.
fn service(kind: &str, parsed: &Parsed, metadata: ObjectMeta) -> Result<Service, String> {
    let type_ = match kind {
        "clusterip" => "ClusterIP",
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        _ => "ExternalName",
    };
    let external_name = parsed.value("external-name");
    if type_ == "ExternalName" && external_name.is_none() {
        return Err("required flag(s) \"external-name\" not set".to_string());
    }
    let cluster_ip = parsed.value("clusterip");
    let tcp: Vec<&str> = parsed
        .values("tcp")
        .into_iter()
        .flat_map(|v| v.split(','))
        .collect();
    if cluster_ip != Some("None") && tcp.is_empty() && type_ != "ExternalName" {
        return Err("at least one tcp port specifier must be provided".to_string());
    }
    if let Some(external) = external_name {
        if !crate::sim::validation::names::dns_subdomain(external).is_empty() {
            return Err(format!("invalid service external name {external}"));
        }
    }
    let node_port = parsed.int("node-port").filter(|&n| n != 0);
    let ports = tcp
        .iter()
        .map(|pair| {
            let (port, target) = parse_port_pair(pair)?;
            Ok(ServicePort {
                name: Some(pair.replace(':', "-")),
                port,
                target_port: Some(target),
                protocol: Some("TCP".to_string()),
                node_port: node_port.and_then(|n| i32::try_from(n).ok()),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let app = std::collections::BTreeMap::from([(
        "app".to_string(),
        metadata.name.clone().unwrap_or_default(),
    )]);
    Ok(Service {
        metadata: ObjectMeta {
            labels: Some(app.clone()),
            ..metadata
        },
        spec: Some(ServiceSpec {
            type_: Some(type_.to_string()),
            selector: Some(app),
            ports: Some(ports),
            external_name: external_name.map(str::to_string),
            cluster_ip: cluster_ip.map(str::to_string),
            ..Default::default()
        }),
        status: None,
    })
}

/// parsePorts: `PORT` or `PORT:TARGET`, the target a number or a port name.
fn parse_port_pair(pair: &str) -> Result<(i32, IntOrString), String> {
    let (port, target) = match pair.split_once(':') {
        Some((port, target)) => (port, Some(target.split(':').next().unwrap_or(target))),
        None => (pair, None),
    };
    let port: i32 = port.parse::<u16>().map(i32::from).map_err(|e| {
        format!(
            "strconv.ParseUint: parsing \"{port}\": {}",
            go_parse_error(&e)
        )
    })?;
    let target = match target {
        None => IntOrString::Int(port),
        Some(text) => match text.parse::<i64>() {
            Ok(number) => {
                let problems = crate::sim::validation::names::port_number(number);
                if !problems.is_empty() {
                    return Err(problems.join(","));
                }
                IntOrString::Int(number as i32)
            }
            Err(_) => {
                let problems = crate::sim::validation::names::port_name(text);
                if !problems.is_empty() {
                    return Err(problems.join(","));
                }
                IntOrString::String(text.to_string())
            }
        },
    };
    Ok((port, target))
}

/// strconv's words for why a number did not parse.
fn go_parse_error(e: &std::num::ParseIntError) -> &'static str {
    match e.kind() {
        std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
            "value out of range"
        }
        _ => "invalid syntax",
    }
}

/// What `--dry-run=client -o yaml` shows: the object as kubectl would send
/// it, with the namespace only when `-n` named one, and a Namespace's empty
/// spec and status (Go structs, so never omitted).
fn client_side(object: &Object, parsed: &Parsed) -> Value {
    let mut value = object.to_json();
    if parsed.value("namespace").is_none() {
        if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("namespace");
        }
    }
    if let (Object::Namespace(_), Some(map)) = (object, value.as_object_mut()) {
        map.insert("spec".to_string(), Value::Object(Default::default()));
        map.insert("status".to_string(), Value::Object(Default::default()));
    }
    // Go prints an empty status struct whole: a Service's load balancer, a
    // budget's counts (which have no omitempty).
    let status = match object {
        Object::Service(_) => Some(serde_json::json!({"loadBalancer": {}})),
        Object::PodDisruptionBudget(_) => Some(serde_json::json!({
            "currentHealthy": 0,
            "desiredHealthy": 0,
            "disruptionsAllowed": 0,
            "expectedPods": 0,
        })),
        _ => None,
    };
    if let (Some(status), Some(map)) = (status, value.as_object_mut()) {
        map.insert("status".to_string(), status);
    }
    value
}
