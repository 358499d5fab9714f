//! `kubectl create SUBCOMMAND NAME`: the generators. `create namespace`,
//! `create serviceaccount`, `create configmap` and `create secret generic`
//! are simulated; the others are refused by name (a manifest and `kubectl
//! apply -f` make the same objects).

use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::ByteString;

use super::args::{Parsed, Spec, Takes};
use super::data_sources::{self, Target};
use super::output::Output;
use super::Context;
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

/// The flags every generator has and the playground does not simulate.
const NOT_SIMULATED: [&str; 8] = [
    "dry-run",
    "output",
    "save-config",
    "field-manager",
    "validate",
    "template",
    "allow-missing-template-keys",
    "show-managed-fields",
];

/// The flags of one simulated generator.
pub fn generator_spec(sub: &str) -> Spec {
    const WITH_DATA_NOT_SIMULATED: [&str; 9] = {
        let mut names = ["append-hash"; 9];
        let mut i = 0;
        while i < NOT_SIMULATED.len() {
            names[i] = NOT_SIMULATED[i];
            i += 1;
        }
        names
    };
    match sub {
        "configmap" | "cm" => Spec {
            flags: &[
                ("from-literal", None, Takes::Value),
                ("from-file", None, Takes::Value),
                ("from-env-file", None, Takes::Value),
            ],
            not_simulated: &WITH_DATA_NOT_SIMULATED,
        },
        "secret" => Spec {
            flags: &[
                ("from-literal", None, Takes::Value),
                ("from-file", None, Takes::Value),
                ("from-env-file", None, Takes::Value),
                ("type", None, Takes::Value),
            ],
            not_simulated: &WITH_DATA_NOT_SIMULATED,
        },
        _ => Spec {
            flags: &[],
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
    let namespace = parsed.value("namespace").unwrap_or(ctx.namespace);
    let metadata = |namespace: Option<&str>| ObjectMeta {
        name: Some(name.clone()),
        namespace: namespace.map(str::to_string),
        ..Default::default()
    };
    let (resource, object) = match canonical(sub) {
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
        generated => {
            let target = match generated {
                "configmap" => Target::ConfigMap,
                _ => Target::Secret,
            };
            let data = match data_sources::collect(ctx, parsed, target, name) {
                Ok(data) => Some(data).filter(|d| !d.is_empty()),
                Err(err) => return Output::error(err),
            };
            let (resource, object) = match target {
                Target::ConfigMap => (
                    "configmap",
                    Object::ConfigMap(Box::new(ConfigMap {
                        metadata: metadata(Some(namespace)),
                        data,
                        ..Default::default()
                    })),
                ),
                Target::Secret => (
                    "secret",
                    Object::Secret(Box::new(Secret {
                        metadata: metadata(Some(namespace)),
                        data: data.map(|d| {
                            d.into_iter()
                                .map(|(k, v)| (k, ByteString(v.into_bytes())))
                                .collect()
                        }),
                        type_: parsed.value("type").map(str::to_string),
                        ..Default::default()
                    })),
                ),
            };
            // These two generators wrap the server's error in their own words.
            return match cluster.create(object) {
                Ok(_) => Output::ok(format!("{resource}/{name} created\n")),
                Err(err) => Output::error(format!("failed to create {resource}: {err}")),
            };
        }
    };
    match cluster.create(object) {
        Ok(_) => Output::ok(format!("{resource}/{name} created\n")),
        Err(err) => Output::fail(err.kubectl_text()),
    }
}
