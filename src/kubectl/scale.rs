//! `kubectl scale`.

use super::args::{Parsed, Spec, Takes};
use super::get::requests;
use super::output::{self, Output};
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
        ("timeout", None, Takes::Duration),
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
    // kubectl's builder finds every object first and keeps the lookup errors
    // for the end, so found objects are scaled before any NotFound prints.
    let mut found = Vec::new();
    let mut missing = Vec::new();
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
            match cluster
                .store()
                .get_typed::<k8s_openapi::api::apps::v1::StatefulSet>(namespace, &name)
            {
                Some(set) => found.push(set.clone()),
                None => missing.push(crate::sim::ApiError::not_found(kind, &name)),
            }
        }
    }
    if found.is_empty() && !missing.is_empty() {
        // 1.34 wraps the lookup error (kubectl 1.35 dropped the wrapper), so
        // it loses its "Error from server" form.
        let messages: Vec<&str> = missing.iter().map(|e| e.message.as_str()).collect();
        out.merge(Output::error(format!(
            "no objects passed to scale {}",
            output::aggregate(&messages)
        )));
        return out;
    }
    for set in found {
        let name = set.metadata.name.clone().unwrap_or_default();
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
                return out;
            }
        }
        let mut scaled = set;
        if let Some(spec) = scaled.spec.as_mut() {
            spec.replicas = Some(replicas);
        }
        scaled.metadata.resource_version = None;
        match cluster.update(Object::StatefulSet(Box::new(scaled))) {
            Ok(_) => out.out(format!(
                "{}/{name} scaled",
                Kind::StatefulSet.qualified_singular()
            )),
            Err(err) => {
                out.merge(Output::fail(err.kubectl_text()));
                return out;
            }
        }
    }
    for err in missing {
        out.merge(Output::fail(err.kubectl_text()));
    }
    out
}
