//! `kubectl create SUBCOMMAND NAME`: the generators. `create namespace` is
//! simulated; the others are refused by name (a manifest and
//! `kubectl apply -f` make the same objects).

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::args::{Parsed, Spec};
use super::output::Output;
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
pub const SIMULATED: &[&str] = &["namespace", "ns"];

pub const NAMESPACE_SPEC: Spec = Spec {
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

/// `kubectl create namespace NAME`.
pub fn namespace(cluster: &mut Cluster, parsed: &Parsed) -> Output {
    let [name] = parsed.positionals.as_slice() else {
        return Output::fail(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create namespace -h' for help and examples",
            parsed.positionals.len()
        ));
    };
    let namespace = Namespace {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            ..Default::default()
        },
        ..Default::default()
    };
    match cluster.create(Object::Namespace(Box::new(namespace))) {
        Ok(_) => Output::ok(format!("namespace/{name} created\n")),
        Err(err) => Output::fail(err.kubectl_text()),
    }
}
