//! `kubectl scale`.

use super::args::{Parsed, Spec, Takes};
use super::dry_run::DryRun;
use super::get::requests;
use super::output::{self, Output};
use super::record;
use super::target::NO_RESOURCES_GIVEN;
use super::Context;
use crate::sim::object::{Kind, Object};
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[
        ("replicas", None, Takes::Int),
        ("current-replicas", None, Takes::Value),
        ("resource-version", None, Takes::Value),
        ("selector", Some('l'), Takes::Value),
        ("all", None, Takes::Bool),
        ("timeout", None, Takes::Duration),
        ("dry-run", None, Takes::Value),
        ("output", Some('o'), Takes::Value),
        ("template", None, Takes::Value),
        record::FLAG,
    ],
    not_simulated: &[
        "filename",
        "kustomize",
        "recursive",
        "allow-missing-template-keys",
        "show-managed-fields",
    ],
};

const REPLICAS_REQUIRED: &str =
    "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0";

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Output {
    // cobra checks the flag marked required before the command runs.
    let Some(replicas) = parsed.int("replicas") else {
        return Output::error("required flag(s) \"replicas\" not set");
    };
    let replicas = match i32::try_from(replicas) {
        Ok(n) if n >= 0 => n,
        _ => return Output::error(REPLICAS_REQUIRED),
    };
    if parsed.positionals.is_empty() {
        return Output::fail(NO_RESOURCES_GIVEN);
    }
    let (dry_run, mut printer) = match DryRun::with_printer(parsed, ctx) {
        Ok(both) => both,
        Err(err) => return Output::error(err),
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
        if !SCALABLE.contains(&kind) {
            out.merge(Output::error(format!(
                "cannot scale a {}: stsplay scales statefulsets, deployments and replicasets",
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
            match cluster.store().get_named(kind, namespace, &name) {
                Some(object) => found.push(object.clone()),
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
    let mut copy = None;
    for object in found {
        let name = object.name().to_string();
        // kubectl prints the object as it found it, before the scale.
        let scaled_line = match printer.as_mut() {
            None => Ok(format!(
                "{}/{name} scaled{}\n",
                object.kind().qualified_singular(),
                dry_run.note()
            )),
            Some(printer) => printer.print(&object.to_json(), None),
        };
        let scaled_line = match scaled_line {
            Ok(text) => Output::ok(text),
            Err(err) => Output::error(err),
        };
        // A client dry run prints the object as found, precondition unchecked.
        let Some(target) = dry_run.cluster(cluster, &mut copy) else {
            out.merge(scaled_line);
            continue;
        };
        if let Some(current) = parsed.value("current-replicas") {
            let now = replicas_of(&object).to_string();
            if current != now {
                out.merge(Output::error(format!(
                    "Expected replicas to be {current}, was {now}"
                )));
                return out;
            }
        }
        let mut scaled = (*object).clone();
        set_replicas(&mut scaled, replicas);
        scaled.meta_mut().resource_version = None;
        match target.update(scaled) {
            Ok(_) => {
                if let Some(cause) = record::change_cause("scale", parsed) {
                    record::note_after(target, &object.key(), &cause);
                }
                out.merge(scaled_line)
            }
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

/// The kinds with a scale subresource that stsplay has.
const SCALABLE: [Kind; 3] = [Kind::StatefulSet, Kind::Deployment, Kind::ReplicaSet];

/// spec.replicas, 1 when unset (the apiserver's default).
fn replicas_of(object: &Object) -> i32 {
    match object {
        Object::StatefulSet(o) => o.spec.as_ref().and_then(|s| s.replicas),
        Object::Deployment(o) => o.spec.as_ref().and_then(|s| s.replicas),
        Object::ReplicaSet(o) => o.spec.as_ref().and_then(|s| s.replicas),
        _ => None,
    }
    .unwrap_or(1)
}

fn set_replicas(object: &mut Object, replicas: i32) {
    let field = match object {
        Object::StatefulSet(o) => o.spec.as_mut().map(|s| &mut s.replicas),
        Object::Deployment(o) => o.spec.as_mut().map(|s| &mut s.replicas),
        Object::ReplicaSet(o) => o.spec.as_mut().map(|s| &mut s.replicas),
        _ => None,
    };
    if let Some(field) = field {
        *field = Some(replicas);
    }
}
