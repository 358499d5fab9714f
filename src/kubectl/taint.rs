//! `kubectl taint`: update the taints of one or more nodes, as kubectl's
//! taint command parses, checks and reorganizes them (`key=value:Effect`
//! adds, `key:Effect-` and `key-` remove, `--overwrite` replaces a value).

use k8s_openapi::api::core::v1::{Node, Taint};

use super::args::{Parsed, Spec, Takes};
use super::dry_run::DryRun;
use super::output::Output;
use super::resources;
use super::selector::Selector;
use crate::sim::object::{Kind, Object};
use crate::sim::validation::names;
use crate::sim::{ApiError, Cluster};

pub const SPEC: Spec = Spec {
    flags: &[
        ("overwrite", None, Takes::Bool),
        ("all", None, Takes::Bool),
        ("selector", Some('l'), Takes::Value),
        ("dry-run", None, Takes::Value),
    ],
    not_simulated: &[
        "output",
        "template",
        "validate",
        "field-manager",
        "allow-missing-template-keys",
        "show-managed-fields",
    ],
};

const EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

fn usage_error(message: &str) -> Output {
    Output::fail(format!(
        "error: {message}\nSee 'kubectl taint -h' for help and examples"
    ))
}

pub fn run(cluster: &mut Cluster, parsed: &Parsed) -> Output {
    let dry_run = match DryRun::from_flag(parsed) {
        Ok(dry_run) => dry_run,
        Err(err) => return Output::error(err),
    };
    // Resources come first; the first argument that looks like a taint starts the taints.
    let mut resources_given: Vec<&str> = Vec::new();
    let mut specs: Vec<&str> = Vec::new();
    for arg in &parsed.positionals {
        let is_taint = arg.contains('=') || arg.contains(':') || arg.ends_with('-');
        match (specs.is_empty(), is_taint) {
            (_, true) => specs.push(arg),
            (true, false) => resources_given.push(arg),
            (false, false) => {
                return Output::error(format!(
                    "all resources must be specified before taint changes: {arg}"
                ))
            }
        }
    }
    if resources_given.is_empty() {
        return Output::error("one or more resources must be specified as <resource> <name>");
    }
    if specs.is_empty() {
        return Output::error("at least one taint update is required");
    }
    let (to_add, to_remove) = match parse_taints(&specs) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error(&message),
    };
    let type_ = resources_given[0].to_ascii_lowercase();
    match resources::resolve(&type_) {
        Some(Kind::Node) => {}
        Some(_) => {
            return Output::error(format!(
                "invalid resource type {type_}, only node types are supported"
            ))
        }
        None => return Output::error(resources::unknown(&type_)),
    }
    let conflicts: Vec<String> = to_add
        .iter()
        .flat_map(|add| {
            to_remove.iter().filter(move |remove| {
                remove.key == add.key && (remove.effect.is_empty() || remove.effect == add.effect)
            })
        })
        .map(|remove| format!("{}={}", remove.key, remove.effect))
        .collect();
    if !conflicts.is_empty() {
        return Output::error(format!(
            "can not both modify and remove the following taint(s) in the same command: {}",
            conflicts.join(", ")
        ));
    }
    let all = parsed.bool("all");
    let selector = parsed.value("selector").filter(|s| !s.is_empty());
    if all && selector.is_some() {
        return Output::error("setting 'all' parameter with a non empty selector is prohibited");
    }
    if !all && selector.is_none() && resources_given.len() < 2 {
        return Output::error(
            "at least one resource name must be specified since 'all' parameter is not set",
        );
    }
    let nodes = match chosen_nodes(cluster, &resources_given[1..], all, selector) {
        Ok(nodes) => nodes,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let mut copy = None;
    let change = Change {
        to_add: &to_add,
        to_remove: &to_remove,
        overwrite: parsed.bool("overwrite"),
        note: dry_run.note(),
    };
    for node in nodes {
        let target = dry_run.cluster(cluster, &mut copy);
        out.merge(change.apply(target, &node));
    }
    out
}

/// The taints to add and remove, and how the result is worded.
struct Change<'a> {
    to_add: &'a [Taint],
    to_remove: &'a [Taint],
    overwrite: bool,
    /// What a dry run adds to the line.
    note: &'static str,
}

/// The nodes named, or all of them, or the ones the selector picks.
fn chosen_nodes(
    cluster: &Cluster,
    names: &[&str],
    all: bool,
    selector: Option<&str>,
) -> Result<Vec<Node>, Output> {
    let every = || cluster.store().list_typed::<Node>("");
    if let Some(text) = selector {
        let selector = Selector::parse(text).map_err(Output::error)?;
        return Ok(every()
            .filter(|n| selector.matches(n.metadata.labels.as_ref()))
            .cloned()
            .collect());
    }
    if all {
        return Ok(every().cloned().collect());
    }
    names
        .iter()
        .map(|name| {
            cluster
                .store()
                .get_typed::<Node>("", name)
                .cloned()
                .ok_or_else(|| Output::fail(ApiError::not_found(Kind::Node, name).kubectl_text()))
        })
        .collect()
}

/// `key=value:Effect` and `key:Effect` to add; `…-` (the effect optional) to remove.
fn parse_taints(specs: &[&str]) -> Result<(Vec<Taint>, Vec<Taint>), String> {
    let mut to_add: Vec<Taint> = Vec::new();
    let mut to_remove = Vec::new();
    for spec in specs {
        if let Some(removed) = spec.strip_suffix('-') {
            to_remove.push(parse_taint(removed)?);
            continue;
        }
        let taint = parse_taint(spec)?;
        if taint.effect.is_empty() {
            return Err(format!("invalid taint spec: {spec}"));
        }
        if to_add
            .iter()
            .any(|t| t.key == taint.key && t.effect == taint.effect)
        {
            return Err(format!(
                "duplicated taints with the same key and effect: {}",
                go_taint(&taint)
            ));
        }
        to_add.push(taint);
    }
    Ok((to_add, to_remove))
}

/// A taint as Go's %v prints the struct: `{key value Effect <nil>}`.
fn go_taint(taint: &Taint) -> String {
    format!(
        "{{{} {} {} <nil>}}",
        taint.key,
        taint.value.as_deref().unwrap_or(""),
        taint.effect
    )
}

/// `<key>=<value>:<effect>`, `<key>:<effect>` or `<key>`.
fn parse_taint(spec: &str) -> Result<Taint, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [key] => (*key, None, ""),
        [key_value, effect] => {
            if !EFFECTS.contains(effect) {
                return Err(format!(
                    "invalid taint effect: {effect}, unsupported taint effect"
                ));
            }
            let kv: Vec<&str> = key_value.split('=').collect();
            match kv.as_slice() {
                [key] => (*key, None, *effect),
                [key, value] => {
                    let problems = names::label_value(value);
                    if !problems.is_empty() {
                        return Err(format!(
                            "invalid taint spec: {spec}, {}",
                            problems.join("; ")
                        ));
                    }
                    (*key, Some(value.to_string()), *effect)
                }
                _ => return Err(format!("invalid taint spec: {spec}")),
            }
        }
        _ => return Err(format!("invalid taint spec: {spec}")),
    };
    let problems = names::qualified_name(key);
    if !problems.is_empty() {
        return Err(format!(
            "invalid taint spec: {spec}, {}",
            problems.join("; ")
        ));
    }
    Ok(Taint {
        key: key.to_string(),
        value,
        effect: effect.to_string(),
        time_added: None,
    })
}

/// Taint.ToString: `key=value:effect`, leaving out what is empty.
fn taint_text(taint: &Taint) -> String {
    let mut text = taint.key.clone();
    if let Some(value) = taint.value.as_deref().filter(|v| !v.is_empty()) {
        text.push('=');
        text.push_str(value);
    }
    if !taint.effect.is_empty() {
        text.push(':');
        text.push_str(&taint.effect);
    }
    text
}

/// One node's update: refused when it would overwrite a taint without
/// `--overwrite`, and an error for each taint to remove that is not there.
impl Change<'_> {
    /// Changes the node's taints in `cluster` (None: a client dry run sends
    /// nothing), worded as updateTaints words it.
    fn apply(&self, cluster: Option<&mut Cluster>, node: &Node) -> Output {
        let (to_add, to_remove, overwrite) = (self.to_add, self.to_remove, self.overwrite);
        let name = node.metadata.name.as_deref().unwrap_or("");
        let old = node
            .spec
            .as_ref()
            .and_then(|s| s.taints.clone())
            .unwrap_or_default();
        if !overwrite {
            let existing: Vec<&str> = to_add
                .iter()
                .filter(|t| old.iter().any(|o| o.key == t.key && o.effect == t.effect))
                .map(|t| t.key.as_str())
                .collect();
            if !existing.is_empty() {
                return Output::error(format!(
                "node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                existing.join(",")
            ));
            }
        }
        // reorganizeTaints: the new ones, then the old ones they do not replace, less the removed.
        let mut taints: Vec<Taint> = to_add.to_vec();
        for taint in &old {
            if !taints
                .iter()
                .any(|t| t.key == taint.key && t.effect == taint.effect)
            {
                taints.push(taint.clone());
            }
        }
        let added = taints.len() != old.len();
        let mut removed = false;
        let mut missing = Vec::new();
        for remove in to_remove {
            let before = taints.len();
            taints.retain(|t| {
                !(t.key == remove.key && (remove.effect.is_empty() || t.effect == remove.effect))
            });
            removed = taints.len() != before;
            if !removed {
                missing.push(format!("taint {:?} not found", taint_text(remove)));
            }
        }
        // utilerrors.NewAggregate: one error as it is, several in brackets.
        match missing.as_slice() {
            [] => {}
            [one] => return Output::error(one),
            several => return Output::error(format!("[{}]", several.join(", "))),
        }
        let operation = if (added && removed) || overwrite {
            "modified"
        } else if added {
            "tainted"
        } else {
            "untainted"
        };
        let done = Output::ok(format!("node/{name} {operation}{}\n", self.note));
        let Some(cluster) = cluster else {
            return done;
        };
        let mut updated = node.clone();
        updated.spec.get_or_insert_with(Default::default).taints =
            (!taints.is_empty()).then_some(taints);
        match cluster.update(Object::Node(Box::new(updated))) {
            Ok(_) => done,
            Err(err) => Output::fail(err.kubectl_text()),
        }
    }
}
