//! The client-side three-way merge behind `kubectl apply`: fields in the new
//! manifest win, fields the last applied manifest had and the new one drops
//! are removed, and everything else (status, defaults, other writers' fields)
//! is kept. Lists the API merges by key (containers by name, volume mounts by
//! path, …; `super::strategic`) are merged item by item the same way, so what
//! admission added to a pod (its token volume and mount) stays; other lists
//! are replaced whole, and defaulting fills their items again.

use serde_json::{Map, Value};

use super::strategic::merge_key;

pub fn three_way(live: &Value, last_applied: Option<&Value>, desired: &Value) -> Value {
    merge3(live, last_applied, desired, &mut Vec::new())
}

/// `path`: the field names from the root to `desired`.
fn merge3(live: &Value, last: Option<&Value>, desired: &Value, path: &mut Vec<String>) -> Value {
    match (live, desired) {
        (Value::Object(live), Value::Object(desired)) => {
            let empty = Map::new();
            let last = last.and_then(Value::as_object).unwrap_or(&empty);
            let mut out = live.clone();
            for key in last.keys() {
                if !desired.contains_key(key) {
                    out.remove(key);
                }
            }
            for (key, value) in desired {
                let merged = match out.get(key) {
                    Some(existing) => {
                        path.push(key.clone());
                        let merged = merge3(existing, last.get(key), value, path);
                        path.pop();
                        merged
                    }
                    None => value.clone(),
                };
                out.insert(key.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(live), Value::Array(desired)) => {
            let keyed = path
                .split_last()
                .and_then(|(field, parents)| merge_key(parents, field));
            match keyed {
                Some(key) => merge_list(live, last.and_then(Value::as_array), desired, key, path)
                    .unwrap_or_else(|| Value::Array(desired.clone())),
                None => Value::Array(desired.clone()),
            }
        }
        _ => desired.clone(),
    }
}

/// A keyed list: the new manifest's items in its order, each merged with the
/// live item of its key; then live items neither manifest had (another
/// writer's), in their order. None when an item lacks the key.
fn merge_list(
    live: &[Value],
    last: Option<&Vec<Value>>,
    desired: &[Value],
    key: &str,
    path: &mut Vec<String>,
) -> Option<Value> {
    let last = last.map_or(&[][..], Vec::as_slice);
    let mut out = Vec::new();
    for item in desired {
        let wanted = item.get(key)?;
        out.push(match keyed(live, key, wanted) {
            Some(current) => merge3(current, keyed(last, key, wanted), item, path),
            None => item.clone(),
        });
    }
    for item in live {
        let wanted = item.get(key)?;
        if keyed(desired, key, wanted).is_none() && keyed(last, key, wanted).is_none() {
            out.push(item.clone());
        }
    }
    Some(Value::Array(out))
}

/// The item of `items` whose `key` is `wanted`.
fn keyed<'a>(items: &'a [Value], key: &str, wanted: &Value) -> Option<&'a Value> {
    items.iter().find(|i| i.get(key) == Some(wanted))
}

/// RFC 7386 JSON merge patch (`kubectl patch --type merge`): null deletes.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    match patch {
        Value::Object(patch) => {
            let mut out = target.as_object().cloned().unwrap_or_default();
            for (key, value) in patch {
                if value.is_null() {
                    out.remove(key);
                } else {
                    let merged = merge_patch(out.get(key).unwrap_or(&Value::Null), value);
                    out.insert(key.clone(), merged);
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// The merge patch that turns `from` into `to` (what `kubectl edit` sends):
/// changed and new fields, and null for each field `to` dropped. An empty
/// object when they are equal.
pub fn diff(from: &Value, to: &Value) -> Value {
    match (from, to) {
        (Value::Object(from), Value::Object(to)) => {
            let mut patch = Map::new();
            for key in from.keys() {
                if !to.contains_key(key) {
                    patch.insert(key.clone(), Value::Null);
                }
            }
            for (key, value) in to {
                match from.get(key) {
                    Some(old) if old == value => {}
                    Some(old @ Value::Object(_)) if value.is_object() => {
                        patch.insert(key.clone(), diff(old, value));
                    }
                    _ => {
                        patch.insert(key.clone(), value.clone());
                    }
                }
            }
            Value::Object(patch)
        }
        _ => to.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keyed_lists_merge_item_by_item() {
        let live = json!({"spec": {"containers": [{"name": "app", "image": "nginx",
            "env": [{"name": "A", "value": "1"}, {"name": "PATCHED", "value": "x"}],
            "volumeMounts": [{"mountPath": "/token", "name": "kube-api-access"}]}],
            "volumes": [{"name": "data"}, {"name": "kube-api-access"}]}});
        let last = json!({"spec": {"containers": [{"name": "app", "image": "nginx",
            "env": [{"name": "A", "value": "1"}, {"name": "GONE", "value": "y"}]}],
            "volumes": [{"name": "data"}]}});
        let desired = json!({"spec": {"containers": [{"name": "app", "image": "nginx:2",
            "env": [{"name": "A", "value": "2"}]}], "volumes": [{"name": "data"}]}});
        let merged = three_way(&live, Some(&last), &desired);
        let app = &merged["spec"]["containers"][0];
        assert_eq!(app["image"], "nginx:2");
        // Another writer's variable stays; the one the manifest dropped goes.
        assert_eq!(
            app["env"],
            json!([{"name": "A", "value": "2"}, {"name": "PATCHED", "value": "x"}])
        );
        // What admission added stays.
        assert_eq!(app["volumeMounts"][0]["name"], "kube-api-access");
        assert_eq!(merged["spec"]["volumes"], live["spec"]["volumes"]);
    }

    #[test]
    fn dropped_fields_are_removed_and_others_kept() {
        let live =
            json!({"spec": {"replicas": 2, "minReadySeconds": 5, "x": 1}, "status": {"ready": 2}});
        let last = json!({"spec": {"replicas": 2, "minReadySeconds": 5}});
        let desired = json!({"spec": {"replicas": 3}});
        assert_eq!(
            three_way(&live, Some(&last), &desired),
            json!({"spec": {"replicas": 3, "x": 1}, "status": {"ready": 2}})
        );
    }

    #[test]
    fn merge_patch_null_deletes() {
        let target = json!({"a": {"b": 1, "c": 2}});
        assert_eq!(
            merge_patch(&target, &json!({"a": {"b": null, "d": 3}})),
            json!({"a": {"c": 2, "d": 3}})
        );
    }

    #[test]
    fn diff_then_merge_patch_gives_the_edited_object() {
        let from = json!({"spec": {"replicas": 2, "x": {"y": 1}}, "keep": [1, 2], "gone": true});
        let to = json!({"spec": {"replicas": 3, "x": {"y": 1}}, "keep": [1, 2], "new": "n"});
        let patch = diff(&from, &to);
        assert_eq!(
            patch,
            json!({"spec": {"replicas": 3}, "gone": null, "new": "n"})
        );
        assert_eq!(merge_patch(&from, &patch), to);
        assert_eq!(diff(&to, &to), json!({}));
    }
}
