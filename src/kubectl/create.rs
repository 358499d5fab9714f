//! `kubectl create SUBCOMMAND NAME`: the generators. `create namespace`,
//! `create serviceaccount`, `create configmap` and `create secret generic`
//! are simulated; the others are refused by name (a manifest and `kubectl
//! apply -f` make the same objects).

use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::ByteString;

use serde_json::Value;

use super::args::{Flag, Parsed, Spec, Takes};
use super::data_sources::{self, Target};
use super::dry_run::DryRun;
use super::formats::{self, Printer};
use super::output::Output;
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
    "serviceaccount",
    "sa",
    "configmap",
    "cm",
    "secret",
];

/// The kinds of `kubectl create secret` the playground does not run.
pub const SECRET_TYPES_NOT_SIMULATED: &[&str] = &["docker-registry", "tls"];

/// A simulated generator's name, for its alias too (kubectl's command path).
pub fn canonical(sub: &str) -> &'static str {
    match sub {
        "namespace" | "ns" => "namespace",
        "serviceaccount" | "sa" => "serviceaccount",
        "secret" => "secret generic",
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
    match sub {
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
    let printer = match printer(parsed, ctx) {
        Ok(printer) => printer,
        Err(err) => return Output::error(err),
    };
    let (resource, object) = match build(ctx, sub, parsed, name) {
        Ok(built) => built,
        Err(err) => return Output::error(err),
    };
    // Only the ConfigMap and Secret generators wrap the server's error in their own words.
    let failed = |err: ApiError| match resource {
        "configmap" | "secret" => Output::error(format!("failed to create {resource}: {err}")),
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

/// `-o`: what kubectl create's print flags accept (no table).
pub(super) fn printer(parsed: &Parsed, ctx: &Context<'_>) -> Result<Option<Printer>, String> {
    Ok(formats::print_flags_format(parsed, ctx)?.map(|format| Printer::new(format, false)))
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
    // Go prints a Service's empty status struct, load balancer and all.
    if let (Object::Service(_), Some(map)) = (object, value.as_object_mut()) {
        map.insert(
            "status".to_string(),
            serde_json::json!({"loadBalancer": {}}),
        );
    }
    value
}
