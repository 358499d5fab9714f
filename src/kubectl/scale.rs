//! `kubectl scale`.

use super::args::{Parsed, Spec, Takes};
use super::get::requests;
use super::output::Output;
use super::Context;
use crate::sim::object::{Kind, Object};
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[
        ("replicas", None, Takes::Value),
        ("current-replicas", None, Takes::Value),
        ("resource-version", None, Takes::Value),
        ("selector", Some('l'), Takes::Value),
        ("all", None, Takes::Bool),
        ("timeout", None, Takes::Value),
    ],
    not_simulated: &[
        "filename",
        "kustomize",
        "recursive",
        "dry-run",
        "output",
        "template",
        "allow-missing-template-keys",
        "show-managed-fields",
        "record",
    ],
};

const REPLICAS_REQUIRED: &str =
    "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0";

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Output {
    let replicas = match parsed.value("replicas").map(str::parse::<i32>) {
        Some(Ok(n)) if n >= 0 => n,
        _ => return Output::error(REPLICAS_REQUIRED),
    };
    let namespace = parsed.value("namespace").unwrap_or(ctx.namespace);
    let requests = match requests(&parsed.positionals) {
        Ok(r) => r,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for (kind, names) in requests {
        if kind != Kind::StatefulSet {
            out.merge(Output::error(format!(
                "cannot scale a {}: stsplay scales statefulsets",
                kind.name()
            )));
            continue;
        }
        if names.is_empty() {
            out.merge(Output::error(
                "resource(s) were provided, but no name was specified",
            ));
        }
        for name in names {
            let Some(set) = cluster
                .store()
                .get_typed::<k8s_openapi::api::apps::v1::StatefulSet>(namespace, &name)
                .cloned()
            else {
                out.merge(Output::fail(
                    crate::sim::ApiError::not_found(kind, &name).kubectl_text(),
                ));
                continue;
            };
            if let Some(current) = parsed.value("current-replicas") {
                let now = set
                    .spec
                    .as_ref()
                    .and_then(|s| s.replicas)
                    .unwrap_or(1)
                    .to_string();
                if current != now {
                    out.merge(Output::error(format!(
                        "Expected replicas to be {current}, was {now}"
                    )));
                    continue;
                }
            }
            let mut scaled = set.clone();
            if let Some(spec) = scaled.spec.as_mut() {
                spec.replicas = Some(replicas);
            }
            scaled.metadata.resource_version = None;
            match cluster.update(Object::StatefulSet(Box::new(scaled))) {
                Ok(_) => out.out(format!("{}/{name} scaled", kind.qualified_singular())),
                Err(err) => out.merge(Output::fail(err.kubectl_text())),
            }
        }
    }
    out
}
