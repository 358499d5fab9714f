//! `kubectl cordon` and `kubectl uncordon`: mark nodes (un)schedulable.

use std::rc::Rc;

use super::args::{Parsed, Spec, Takes};
use super::dry_run::DryRun;
use super::mutate::update_json;
use super::output::Output;
use super::selector::Selector;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::{ApiError, Cluster};

pub const SPEC: Spec = Spec {
    flags: &[
        ("selector", Some('l'), Takes::Value),
        ("dry-run", None, Takes::Value),
    ],
    not_simulated: &[],
};

pub fn run(cluster: &mut Cluster, parsed: &Parsed, cordon: bool) -> Output {
    let dry_run = match DryRun::from_flag(parsed) {
        Ok(dry_run) => dry_run,
        Err(err) => return Output::error(err),
    };
    let verb = if cordon { "cordon" } else { "uncordon" };
    let nodes = match nodes(cluster, parsed, verb) {
        Ok(nodes) => nodes,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let mut copy = None;
    for node in nodes {
        let target = dry_run.cluster(cluster, &mut copy);
        out.merge(set_unschedulable(target, &node, cordon, dry_run.note()));
    }
    out
}

/// The nodes a `cordon`/`uncordon`/`drain` names or selects.
pub fn nodes(cluster: &Cluster, parsed: &Parsed, verb: &str) -> Result<Vec<Rc<Object>>, Output> {
    let selector = parsed.value("selector");
    if parsed.positionals.is_empty() && selector.is_none() {
        return Err(Output::fail(format!(
            "error: USAGE: {verb} NODE [flags]\nSee 'kubectl {verb} -h' for help and examples"
        )));
    }
    if !parsed.positionals.is_empty() && selector.is_some() {
        return Err(Output::fail(format!(
            "error: cannot specify both a node name and a --selector option\nSee 'kubectl {verb} -h' for help and examples"
        )));
    }
    if let Some(text) = selector {
        let selector = Selector::parse(text).map_err(Output::error)?;
        return Ok(cluster
            .store()
            .list(Kind::Node)
            .filter(|n| selector.matches(n.meta().labels.as_ref()))
            .cloned()
            .collect());
    }
    let mut found = Vec::new();
    for name in &parsed.positionals {
        let name = name
            .strip_prefix("node/")
            .or_else(|| name.strip_prefix("nodes/"))
            .unwrap_or(name);
        match cluster.store().get(&ObjectKey::new(Kind::Node, "", name)) {
            Some(node) => found.push(node.clone()),
            None => {
                return Err(Output::fail(
                    ApiError::not_found(Kind::Node, name).kubectl_text(),
                ))
            }
        }
    }
    Ok(found)
}

/// Sets `spec.unschedulable` in `cluster` (None: a client dry run sends
/// nothing), printing `node/x cordoned` or `already cordoned`, with the dry
/// run's `note`.
pub fn set_unschedulable(
    cluster: Option<&mut Cluster>,
    node: &Object,
    desired: bool,
    note: &str,
) -> Output {
    let word = if desired { "cordoned" } else { "uncordoned" };
    let word = &format!("{word}{note}");
    let current = node
        .to_json()
        .pointer("/spec/unschedulable")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if current == desired {
        return Output::ok(format!("node/{} already {word}\n", node.name()));
    }
    let mut json = node.to_json();
    if let Some(spec) = json
        .as_object_mut()
        .map(|o| o.entry("spec").or_insert_with(|| serde_json::json!({})))
    {
        if let Some(spec) = spec.as_object_mut() {
            if desired {
                spec.insert("unschedulable".to_string(), serde_json::Value::Bool(true));
            } else {
                spec.remove("unschedulable");
            }
        }
    }
    let Some(cluster) = cluster else {
        return Output::ok(format!("node/{} {word}\n", node.name()));
    };
    match update_json(cluster, node, json) {
        Ok(_) => Output::ok(format!("node/{} {word}\n", node.name())),
        Err(err) => Output::fail(format!(
            "error: unable to {} node {:?}: {}",
            if desired { "cordon" } else { "uncordon" },
            node.name(),
            err.wrapped()
        )),
    }
}
