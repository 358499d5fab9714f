//! Writing a changed copy of a live object back, as the verbs that edit
//! objects in place do (patch, label, annotate, set image, rollout
//! restart/undo, cordon, edit): decode the new JSON, warn about fields the
//! type does not have (the apiserver's default `fieldValidation=Warn`),
//! and update.

use std::rc::Rc;

use serde_json::Value;

use super::manifest;
use crate::sim::errors::ApiError;
use crate::sim::object::Object;
use crate::sim::Cluster;

/// Why an update failed: the JSON does not decode into the kind, or the
/// apiserver refused it (kept whole, so `edit` can list an Invalid's causes).
#[derive(Debug)]
pub enum UpdateError {
    Decode(Undecodable),
    Api(ApiError),
}

/// New JSON that does not decode into the kind: the BadRequest a PUT gets,
/// encoding/json's words for the wrong value, and the unstructured
/// converter's (None when it would take it), which a strategic merge patch
/// gets.
#[derive(Debug)]
pub struct Undecodable {
    pub bad_request: String,
    pub json: String,
    pub converter: Option<String>,
}

impl std::fmt::Display for UpdateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UpdateError::Decode(undecodable) => f.write_str(&undecodable.bad_request),
            UpdateError::Api(err) => f.write_str(&err.kubectl_text()),
        }
    }
}

impl UpdateError {
    /// The error as text inside another (`failed to patch …: %v`): the
    /// server's own message, without kubectl's layout of a top-level error.
    pub fn wrapped(&self) -> String {
        match self {
            UpdateError::Decode(undecodable) => undecodable.bad_request.clone(),
            UpdateError::Api(err) => err.message.clone(),
        }
    }
}

/// What an update did.
pub struct Updated {
    pub object: Rc<Object>,
    /// False when the new object equals the stored one (`patched (no change)`).
    pub changed: bool,
    /// `Warning: unknown field "spec.foo"` lines.
    pub warnings: Vec<String>,
}

/// Replaces `live` with the object `json` describes. The JSON keeps the
/// live resourceVersion, so an unchanged object is recognised as such and
/// a concurrent change is a Conflict.
pub fn update_json(
    cluster: &mut Cluster,
    live: &Object,
    json: Value,
) -> Result<Updated, UpdateError> {
    // The apiserver's decoder also refuses what the type holds as a plain
    // string: a Quantity that does not parse (`cpu: x1`).
    let fault = manifest::type_fault(live.kind(), &json);
    let decoded = match fault {
        Some(fault) => Err(fault),
        None => Object::from_json(live.kind(), json.clone()).map_err(|e| (e.to_string(), None)),
    };
    let object = decoded.map_err(|(json_error, converter)| {
        UpdateError::Decode(Undecodable {
            bad_request: format!(
                "Error from server (BadRequest): {} in version \"{}\" cannot be handled as a {}: {json_error}",
                live.kind().name(),
                version(live),
                live.kind().name()
            ),
            json: json_error,
            converter,
        })
    })?;
    let mut warnings = Vec::new();
    unknown_fields(&json, &object.to_json(), "", &mut warnings);
    let warnings = warnings
        .into_iter()
        .map(|f| format!("Warning: unknown field \"{f}\""))
        .collect();
    let before = live.meta().resource_version.clone();
    let object = cluster.update(object).map_err(UpdateError::Api)?;
    let changed = object.meta().resource_version != before;
    Ok(Updated {
        object,
        changed,
        warnings,
    })
}

fn version(object: &Object) -> &'static str {
    let api = object.kind().api_version();
    api.rsplit('/').next().unwrap_or(api)
}

/// Paths present in what was sent but lost when decoding into the type.
fn unknown_fields(sent: &Value, kept: &Value, path: &str, out: &mut Vec<String>) {
    match (sent, kept) {
        (Value::Object(sent), Value::Object(kept)) => {
            for (key, value) in sent {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match kept.get(key) {
                    Some(k) => unknown_fields(value, k, &child, out),
                    None if !value.is_null() && !is_empty(value) && !key.starts_with('$') => {
                        out.push(child)
                    }
                    None => {}
                }
            }
        }
        (Value::Array(sent), Value::Array(kept)) if sent.len() == kept.len() => {
            for (i, (s, k)) in sent.iter().zip(kept).enumerate() {
                unknown_fields(s, k, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Empty maps and lists are dropped by the typed encoding without loss.
fn is_empty(value: &Value) -> bool {
    matches!(value, Value::Object(m) if m.is_empty())
        || matches!(value, Value::Array(a) if a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_fields_the_type_dropped() {
        let mut out = Vec::new();
        unknown_fields(
            &json!({"spec": {"replica": 3, "replicas": 2}}),
            &json!({"spec": {"replicas": 2}}),
            "",
            &mut out,
        );
        assert_eq!(out, ["spec.replica"]);
    }
}
