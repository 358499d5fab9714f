//! `kubectl create SUBCOMMAND NAME`: the generators. `create namespace` and
//! `create serviceaccount` are simulated; the others are refused by name (a
//! manifest and `kubectl apply -f` make the same objects).

use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::args::{Parsed, Spec};
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

/// The subcommands the playground runs.
pub const SIMULATED: &[&str] = &["namespace", "ns", "serviceaccount", "sa"];

pub const GENERATOR_SPEC: Spec = Spec {
    flags: &[],
    not_simulated: &[
        "dry-run",
        "output",
        "save-config",
        "field-manager",
        "validate",
        "template",
        "allow-missing-template-keys",
        "show-managed-fields",
    ],
};

/// `kubectl create namespace NAME` and `kubectl create serviceaccount NAME`.
pub fn generate(cluster: &mut Cluster, ctx: &Context<'_>, sub: &str, parsed: &Parsed) -> Output {
    let [name] = parsed.positionals.as_slice() else {
        return Output::fail(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create {sub} -h' for help and examples",
            parsed.positionals.len()
        ));
    };
    let metadata = |namespace: Option<&str>| ObjectMeta {
        name: Some(name.clone()),
        namespace: namespace.map(str::to_string),
        ..Default::default()
    };
    let (resource, object) = match sub {
        "namespace" | "ns" => (
            "namespace",
            Object::Namespace(Box::new(Namespace {
                metadata: metadata(None),
                ..Default::default()
            })),
        ),
        _ => (
            "serviceaccount",
            Object::ServiceAccount(Box::new(ServiceAccount {
                metadata: metadata(Some(parsed.value("namespace").unwrap_or(ctx.namespace))),
                ..Default::default()
            })),
        ),
    };
    match cluster.create(object) {
        Ok(_) => Output::ok(format!("{resource}/{name} created\n")),
        Err(err) => Output::fail(err.kubectl_text()),
    }
}
