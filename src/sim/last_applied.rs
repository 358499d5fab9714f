//! The record `kubectl apply` keeps of what it applied, in the object's
//! `last-applied-configuration` annotation: kubectl apply writes it, and the
//! bootstrap gives it to what kind installs with kubectl apply.

use serde_json::{Map, Value};

/// The annotation in which `kubectl apply` records the configuration it applied.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The configuration kubectl records as last applied: the document with
/// the namespace it was sent to (none for a cluster-scoped kind, whatever
/// the manifest says: the resource builder's FilterNamespace) and its
/// annotations (an empty map when it has none) minus the record itself
/// (GetModifiedConfiguration).
pub fn configuration(mut document: Value, namespace: Option<&str>) -> Value {
    let Some(metadata) = document.get_mut("metadata").and_then(Value::as_object_mut) else {
        return document;
    };
    match namespace {
        Some(namespace) => {
            metadata
                .entry("namespace")
                .or_insert_with(|| Value::String(namespace.to_string()));
        }
        None => {
            metadata.remove("namespace");
        }
    }
    let annotations = metadata
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(annotations) = annotations.as_object_mut() {
        annotations.remove(LAST_APPLIED);
    } else {
        *annotations = Value::Object(Map::new());
    }
    document
}

/// The annotation's value: the configuration as compact JSON (keys sorted)
/// and a closing newline.
pub fn text(configuration: &Value) -> String {
    serde_json::to_string(configuration).unwrap_or_default() + "\n"
}
