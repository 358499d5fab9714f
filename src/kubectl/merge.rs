//! The client-side three-way merge behind `kubectl apply`: fields in the new
//! manifest win, fields the last applied manifest had and the new one drops
//! are removed, and everything else (status, defaults, other writers' fields)
//! is kept. Lists are replaced whole; defaulting fills their items again.

use serde_json::{Map, Value};

pub fn three_way(live: &Value, last_applied: Option<&Value>, desired: &Value) -> Value {
    match (live, desired) {
        (Value::Object(live), Value::Object(desired)) => {
            let empty = Map::new();
            let last = last_applied.and_then(Value::as_object).unwrap_or(&empty);
            let mut out = live.clone();
            for key in last.keys() {
                if !desired.contains_key(key) {
                    out.remove(key);
                }
            }
            for (key, value) in desired {
                let merged = match out.get(key) {
                    Some(existing) => three_way(existing, last.get(key), value),
                    None => value.clone(),
                };
                out.insert(key.clone(), merged);
            }
            Value::Object(out)
        }
        _ => desired.clone(),
    }
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
