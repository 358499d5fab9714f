//! Strategic merge patch (`kubectl patch`'s default type) for the kinds the
//! playground stores: like a JSON merge patch, except that lists the API
//! marks `patchStrategy: merge` are merged item by item on their merge key
//! (containers by `name`, ports by `containerPort`, …), and `$patch`
//! directives can replace or delete a map or a list item.

use serde_json::{Map, Value};

use super::gofmt::go_print;

/// Lists merged by key: (list field, merge key). `ports` is special-cased:
/// a container's merge on `containerPort`, a Service's on `port`.
const MERGE_KEYS: &[(&str, &str)] = &[
    ("containers", "name"),
    ("initContainers", "name"),
    ("ephemeralContainers", "name"),
    ("volumes", "name"),
    ("imagePullSecrets", "name"),
    ("env", "name"),
    ("volumeMounts", "mountPath"),
    ("volumeDevices", "devicePath"),
    ("hostAliases", "ip"),
    ("ownerReferences", "uid"),
    ("conditions", "type"),
    ("topologySpreadConstraints", "topologyKey"),
    ("resourceClaims", "name"),
];

/// Lists of scalars that are merged as sets.
const MERGED_SETS: &[&str] = &["finalizers"];

/// The merge key of list `field` inside the object at `path` (field names from the root).
pub(super) fn merge_key(path: &[String], field: &str) -> Option<&'static str> {
    if field == "ports" {
        return match path.last().map(String::as_str) {
            Some("containers" | "initContainers" | "ephemeralContainers") => Some("containerPort"),
            Some("spec") if path.len() == 1 => Some("port"),
            _ => None,
        };
    }
    MERGE_KEYS
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, key)| *key)
}

/// Applies a strategic merge patch to an object's JSON.
pub fn apply(target: &Value, patch: &Value) -> Result<Value, String> {
    merge(target, patch, &mut Vec::new())
}

fn merge(target: &Value, patch: &Value, path: &mut Vec<String>) -> Result<Value, String> {
    let Value::Object(patch_map) = patch else {
        return Ok(patch.clone());
    };
    match patch_map.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            let mut replaced = patch_map.clone();
            replaced.remove("$patch");
            return Ok(Value::Object(replaced));
        }
        Some("delete") => return Ok(Value::Null),
        Some(other) => return Err(format!("unknown patch type: {other} in map: {patch}")),
        None => {}
    }
    let mut out = target.as_object().cloned().unwrap_or_default();
    for (key, value) in patch_map {
        if key.starts_with("$setElementOrder/") || key == "$retainKeys" {
            continue;
        }
        if let Some(field) = key.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(items)), Value::Array(remove)) = (out.get_mut(field), value) {
                items.retain(|i| !remove.contains(i));
            }
            continue;
        }
        if value.is_null() {
            out.remove(key);
            continue;
        }
        let merged = match (out.get(key), value) {
            (Some(Value::Object(_)), Value::Object(_)) | (None, Value::Object(_)) => {
                path.push(key.clone());
                let empty = Value::Object(Map::new());
                let result = merge(out.get(key).unwrap_or(&empty), value, path)?;
                path.pop();
                result
            }
            (existing, Value::Array(items)) => merge_list(existing, items, path, key)?,
            _ => value.clone(),
        };
        if merged.is_null() {
            out.remove(key);
        } else {
            out.insert(key.clone(), merged);
        }
    }
    if let Some(Value::Array(keep)) = patch_map.get("$retainKeys") {
        out.retain(|k, _| keep.iter().any(|v| v.as_str() == Some(k)));
    }
    Ok(Value::Object(out))
}

fn merge_list(
    existing: Option<&Value>,
    items: &[Value],
    path: &mut Vec<String>,
    field: &str,
) -> Result<Value, String> {
    let current: Vec<Value> = existing
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if MERGED_SETS.contains(&field) {
        let mut out = current;
        for item in items {
            if !out.contains(item) {
                out.push(item.clone());
            }
        }
        return Ok(Value::Array(out));
    }
    let Some(key) = merge_key(path, field) else {
        // Atomic lists are replaced; `$patch: replace` items are plain values here.
        return Ok(Value::Array(items.to_vec()));
    };
    if items
        .iter()
        .any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace"))
    {
        let kept = items
            .iter()
            .filter(|i| i.get("$patch").is_none())
            .cloned()
            .collect();
        return Ok(Value::Array(kept));
    }
    let mut out = current;
    path.push(field.to_string());
    for item in items {
        let Some(wanted) = item.get(key) else {
            path.pop();
            return Err(format!(
                "map: {} does not contain declared merge key: {key}",
                go_print(item)
            ));
        };
        let position = out.iter().position(|o| o.get(key) == Some(wanted));
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            if let Some(at) = position {
                out.remove(at);
            }
            continue;
        }
        match position {
            Some(at) => {
                let merged = merge(&out[at], item, path)?;
                out[at] = merged;
            }
            None => out.push(merge(&Value::Object(Map::new()), item, path)?),
        }
    }
    path.pop();
    Ok(Value::Array(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set() -> Value {
        json!({"spec": {"replicas": 2,
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            "template": {"spec": {"containers": [
                {"name": "nginx", "image": "nginx:1", "ports": [{"containerPort": 80, "name": "web"}]},
                {"name": "side", "image": "busybox"}]}},
            "volumeClaimTemplates": [{"metadata": {"name": "www"}}]}})
    }

    #[test]
    fn containers_merge_by_name() {
        let patched = apply(&set(), &json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:2"}]}}}})).unwrap();
        let containers = &patched["spec"]["template"]["spec"]["containers"];
        assert_eq!(containers[0]["image"], "nginx:2");
        assert_eq!(containers[0]["ports"][0]["containerPort"], 80);
        assert_eq!(containers[1]["name"], "side");
    }

    #[test]
    fn structs_merge_so_the_defaulted_rolling_update_stays() {
        let patched = apply(
            &set(),
            &json!({"spec": {"updateStrategy": {"type": "OnDelete"}}}),
        )
        .unwrap();
        assert_eq!(
            patched["spec"]["updateStrategy"],
            json!({"type": "OnDelete", "rollingUpdate": {"partition": 0}})
        );
        let fixed = apply(
            &set(),
            &json!({"spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": null}}}),
        )
        .unwrap();
        assert_eq!(fixed["spec"]["updateStrategy"], json!({"type": "OnDelete"}));
    }

    #[test]
    fn directives() {
        let deleted = apply(&set(), &json!({"spec": {"template": {"spec": {"containers": [{"name": "side", "$patch": "delete"}]}}}})).unwrap();
        assert_eq!(
            deleted["spec"]["template"]["spec"]["containers"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        let atomic = apply(
            &set(),
            &json!({"spec": {"volumeClaimTemplates": [{"metadata": {"name": "data"}}]}}),
        )
        .unwrap();
        assert_eq!(
            atomic["spec"]["volumeClaimTemplates"],
            json!([{"metadata": {"name": "data"}}])
        );
        assert!(apply(
            &set(),
            &json!({"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}})
        )
        .is_err());
    }
}
