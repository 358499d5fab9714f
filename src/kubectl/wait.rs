//! `kubectl wait --for=condition=…|delete|create|jsonpath=…`: blocks,
//! running the virtual clock, until each object meets the condition or
//! the timeout (default 30s) passes.

use std::rc::Rc;

use serde_json::Value;

use super::args::{Parsed, Spec, Takes};
use super::formats::relaxed_path;
use super::jsonpath::{print_value, JsonPath};
use super::output::Output;
use super::target;
use super::waiting::Deadline;
use super::Context;
use crate::sim::clock::{Millis, SECOND};
use crate::sim::object::{Object, ObjectKey};
use crate::sim::{ApiError, Cluster};

pub const SPEC: Spec = Spec {
    flags: &[
        ("for", None, Takes::Value),
        ("timeout", None, Takes::Duration),
        ("selector", Some('l'), Takes::Value),
        ("all", None, Takes::Bool),
        ("all-namespaces", Some('A'), Takes::Bool),
    ],
    not_simulated: &[
        "filename",
        "kustomize",
        "recursive",
        "field-selector",
        "local",
        "output",
        "template",
        "allow-missing-template-keys",
        "show-managed-fields",
    ],
};

const DEFAULT_TIMEOUT: Millis = 30 * SECOND;
/// `--timeout` below zero means a week.
const WEEK: Millis = 168 * 3600 * SECOND;

#[derive(Clone, Debug)]
enum Condition {
    Delete,
    Create,
    Status {
        name: String,
        value: String,
    },
    Path {
        path: JsonPath,
        value: Option<String>,
    },
}

fn condition(text: &str) -> Result<Condition, String> {
    let lower = text.to_lowercase();
    if lower == "delete" {
        return Ok(Condition::Delete);
    }
    if lower == "create" {
        return Ok(Condition::Create);
    }
    if let Some(rest) = text.strip_prefix("condition=") {
        let (name, value) = rest.split_once('=').unwrap_or((rest, "true"));
        return Ok(Condition::Status {
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    if let Some(rest) = text.strip_prefix("jsonpath=") {
        let format_error = "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'";
        let (expression, value) = match rest.rfind("}=") {
            Some(at) => (&rest[..=at], Some(rest[at + 2..].to_string())),
            None => (rest, None),
        };
        if expression.is_empty() || value.as_deref() == Some("") {
            return Err(format_error.to_string());
        }
        let path = relaxed_path(expression)?;
        return Ok(Condition::Path { path, value });
    }
    Err(format!("unrecognized condition: {text:?}"))
}

impl Condition {
    fn met(&self, object: Option<&Object>) -> Result<bool, String> {
        match (self, object) {
            (Condition::Delete, object) => Ok(object.is_none()),
            (Condition::Create, object) => Ok(object.is_some()),
            (_, None) => Ok(false),
            (Condition::Status { name, value }, Some(object)) => {
                let json = object.to_json();
                let generation = json.pointer("/metadata/generation").and_then(Value::as_i64);
                let conditions = json
                    .pointer("/status/conditions")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                Ok(conditions.iter().any(|c| {
                    let matches = c
                        .get("type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.eq_ignore_ascii_case(name));
                    let observed = c.get("observedGeneration").and_then(Value::as_i64);
                    let current = !matches!((generation, observed), (Some(g), Some(o)) if o < g);
                    matches
                        && current
                        && c.get("status")
                            .and_then(Value::as_str)
                            .is_some_and(|s| s.eq_ignore_ascii_case(value))
                }))
            }
            (Condition::Path { path, value }, Some(object)) => {
                let found: Vec<Value> = path
                    .find(&object.to_json())?
                    .into_iter()
                    .flatten()
                    .collect();
                match (found.as_slice(), value) {
                    ([], _) => Ok(false),
                    (_, None) => Ok(true),
                    ([one], Some(wanted)) => {
                        if one.is_object() || one.is_array() {
                            return Err(
                                "jsonpath leads to a nested object or list which is not supported"
                                    .to_string(),
                            );
                        }
                        Ok(print_value(one) == *wanted)
                    }
                    _ => Err("given jsonpath expression matches more than one value".to_string()),
                }
            }
        }
    }
}

/// What the command printed, and the conditions it then waits for.
pub fn run(
    cluster: &mut Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
) -> (Output, Option<Conditions>) {
    // kubectl has no special message for a missing --for.
    let text = parsed.value("for").unwrap_or("");
    let condition = match condition(text) {
        Ok(c) => c,
        Err(err) => return (Output::error(err), None),
    };
    // A negative timeout waits (practically) forever.
    let timeout = if parsed.value("timeout").is_some_and(|t| t.starts_with('-')) {
        WEEK
    } else {
        parsed.duration("timeout").unwrap_or(DEFAULT_TIMEOUT)
    };
    let is_delete = matches!(condition, Condition::Delete);
    let is_create = matches!(condition, Condition::Create);
    let found = match target::find(cluster, ctx, parsed, &parsed.positionals, false) {
        Ok(found) => found,
        Err(out) => return (out, None),
    };
    let mut out = Output::default();
    let deadline = cluster.now().saturating_add(timeout);
    let mut keys: Vec<ObjectKey> = found.objects.iter().map(|o| o.key()).collect();
    if is_create {
        // `--for=create` waits for the named objects to appear first.
        keys = missing_keys(ctx, parsed);
    } else if !is_delete && !found.missing.is_empty() {
        for line in &found.missing {
            out.err(line);
        }
        out.code = 1;
        return (out, None);
    }
    if keys.is_empty() && !is_delete {
        return (Output::error("no matching resources found"), None);
    }
    let conditions = Conditions {
        condition,
        keys,
        next: 0,
        uid: None,
        deadline: Deadline {
            at: deadline,
            kubectl: true,
        },
    };
    (out, Some(conditions))
}

/// The objects still to meet the condition, one after another as kubectl
/// waits for them.
#[derive(Clone, Debug)]
pub struct Conditions {
    condition: Condition,
    keys: Vec<ObjectKey>,
    /// The one waited for now.
    next: usize,
    /// Its uid when its wait began: a deleted and recreated object counts
    /// as deleted.
    uid: Option<Option<String>>,
    pub(super) deadline: Deadline,
}

impl Conditions {
    pub(super) fn check(&mut self, cluster: &Cluster, out: &mut Output) -> bool {
        let is_delete = matches!(self.condition, Condition::Delete);
        while let Some(key) = self.keys.get(self.next) {
            let uid = self
                .uid
                .get_or_insert_with(|| cluster.store().get(key).map(|o| o.uid().to_string()));
            let current: Option<Rc<Object>> = cluster
                .store()
                .get(key)
                .cloned()
                .filter(|o| !is_delete || Some(o.uid()) == uid.as_deref());
            match self.condition.met(current.as_deref()) {
                Ok(false) => return false,
                Ok(true) => out.out(format!(
                    "{}/{} condition met",
                    key.kind.qualified_singular(),
                    key.name
                )),
                Err(err) => {
                    out.merge(Output::error(err));
                    return true;
                }
            }
            self.next += 1;
            self.uid = None;
        }
        true
    }

    /// The deadline has come: the objects met by now still count.
    pub(super) fn expire(&mut self, cluster: &Cluster, out: &mut Output) {
        if self.check(cluster, out) {
            return;
        }
        let Some(key) = self.keys.get(self.next) else {
            return;
        };
        let waits_for_existing = !matches!(self.condition, Condition::Delete | Condition::Create);
        if waits_for_existing && cluster.store().get(key).is_none() {
            out.merge(Output::fail(
                ApiError::not_found(key.kind, &key.name).kubectl_text(),
            ));
        } else {
            out.merge(Output::error(format!(
                "timed out waiting for the condition on {}/{}",
                key.kind.plural(),
                key.name
            )));
        }
    }
}

/// The objects `--for=create` names, whether or not they exist yet.
fn missing_keys(ctx: &Context<'_>, parsed: &Parsed) -> Vec<ObjectKey> {
    let namespace = target::namespace(parsed, ctx);
    super::get::requests(&parsed.positionals)
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(kind, names)| {
            names
                .into_iter()
                .map(move |n| ObjectKey::new(kind, namespace, &n))
        })
        .collect()
}
