//! The apiserver's unstructured converter (apimachinery's
//! runtime.DefaultUnstructuredConverter), which a strategic merge patch's
//! result goes through instead of the JSON decoder: the same wrong value
//! gets its words, not encoding/json's.

use serde_json::Value;

use crate::sim::validation::field::{quote, FieldError};

/// What the Go field is, as far as the converter's errors tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dest {
    Int,
    Float,
    Bool,
    /// A string, or a named string type (`v1.PodManagementPolicyType`).
    Str,
    Slice,
    Map,
    Struct,
}

/// The converter's error for `source` in a field of Go type `go_type`, or
/// None when it would take the value (a whole float into an int, an int
/// into a float) or the field has its own unmarshaller.
pub fn message(source: &Value, dest: Dest, go_type: &str) -> Option<String> {
    let kind = source_kind(source)?;
    match (dest, kind) {
        (Dest::Slice, "slice") | (Dest::Map | Dest::Struct, "map") => None,
        (Dest::Slice, _) => Some(format!("cannot restore slice from {kind}")),
        (Dest::Map, _) => Some(format!("cannot restore map from {kind}")),
        (Dest::Struct, _) => Some(format!("cannot restore struct from: {kind}")),
        (Dest::Str, "string") | (Dest::Bool, "bool") => None,
        (Dest::Int, "int64") | (Dest::Float, "int64" | "float64") => None,
        // fromUnstructured: Go converts ints to strings (as runes) and floats
        // to ints, so those pairs get "cannot convert"; the rest are not
        // convertible at all.
        (Dest::Str, "int64") | (Dest::Int, "float64") => {
            Some(format!("cannot convert {kind} to {go_type}"))
        }
        _ => Some(format!("unrecognized type: {}", dest_kind(dest, go_type))),
    }
}

/// reflect.Kind of what encoding the patch as `map[string]interface{}`
/// gives (sigs.k8s.io/json keeps whole numbers as int64).
fn source_kind(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int64",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "slice",
        Value::Object(_) => "map",
    })
}

/// reflect.Kind of the field's type.
fn dest_kind(dest: Dest, go_type: &str) -> &str {
    match dest {
        Dest::Int | Dest::Float => go_type,
        Dest::Bool => "bool",
        Dest::Str => "string",
        Dest::Slice => "slice",
        Dest::Map => "map",
        Dest::Struct => "struct",
    }
}

/// The apiserver's Invalid cause for a strategic merge patch whose result
/// the converter refuses: the patch as Go's `%+v` prints it, and why.
pub fn patch_cause(patch: &Value, detail: impl Into<String>) -> FieldError {
    FieldError::invalid("patch", quote(&go_plus_v(patch)), detail)
}

/// Go's `%+v` of what the patch decodes to (`map[string]interface{}`):
/// maps as `map[k:v]` in key order, lists as `[a b]`, strings bare.
pub fn go_plus_v(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => n
                .as_u64()
                .map_or_else(|| go_float(n.as_f64().unwrap_or(0.0)), |u| u.to_string()),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(go_plus_v).collect();
            format!("[{}]", items.join(" "))
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let entries: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{k}:{}", go_plus_v(&map[k])))
                .collect();
            format!("map[{}]", entries.join(" "))
        }
    }
}

/// `%v` of a float64: the shortest digits, with an exponent below 1e-4 or
/// from 1e21 up.
fn go_float(f: f64) -> String {
    let magnitude = f.abs();
    if magnitude != 0.0 && !(1e-4..1e21).contains(&magnitude) {
        let text = format!("{f:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exponent),
        };
        format!("{mantissa}e{sign}{digits:0>2}")
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_follow_the_converters_type_rules() {
        let says = |v: Value, dest, ty| message(&v, dest, ty);
        assert_eq!(
            says(json!("3"), Dest::Int, "int32").as_deref(),
            Some("unrecognized type: int32")
        );
        assert_eq!(
            says(json!(5), Dest::Str, "string").as_deref(),
            Some("cannot convert int64 to string")
        );
        assert_eq!(
            says(json!(5), Dest::Str, "v1.PodManagementPolicyType").as_deref(),
            Some("cannot convert int64 to v1.PodManagementPolicyType")
        );
        assert_eq!(
            says(json!(2.5), Dest::Int, "int32").as_deref(),
            Some("cannot convert float64 to int32")
        );
        assert_eq!(
            says(json!(2.5), Dest::Str, "string").as_deref(),
            Some("unrecognized type: string")
        );
        assert_eq!(
            says(json!("yes"), Dest::Bool, "bool").as_deref(),
            Some("unrecognized type: bool")
        );
        assert_eq!(
            says(json!([1]), Dest::Map, "map[string]string").as_deref(),
            Some("cannot restore map from slice")
        );
        assert_eq!(
            says(json!("x"), Dest::Slice, "[]v1.Container").as_deref(),
            Some("cannot restore slice from string")
        );
        assert_eq!(
            says(json!(1), Dest::Struct, "v1.StatefulSetSpec").as_deref(),
            Some("cannot restore struct from: int64")
        );
        assert_eq!(says(json!(3), Dest::Float, "float64"), None);
    }

    #[test]
    fn the_patch_prints_as_gos_plus_v() {
        let patch = json!({"spec": {"replicas": "3", "b": [1, 2.5, true, null], "a": {"z": 1e-7}}});
        assert_eq!(
            go_plus_v(&patch),
            "map[spec:map[a:map[z:1e-07] b:[1 2.5 true <nil>] replicas:3]]"
        );
    }
}
