//! RFC 6902 JSON Patch (`kubectl patch --type json`): add, remove,
//! replace, move, copy and test over JSON Pointer paths, as the
//! apiserver's json-patch (v4.12.0) applies them.

use serde_json::Value;

/// Applies the operations, or says why one does not apply; the apiserver
/// answers that with a 422 that keeps the reason to itself.
pub fn apply(target: &Value, operations: &[Value]) -> Result<Value, String> {
    let mut doc = target.clone();
    for operation in operations {
        let op = operation.get("op").and_then(Value::as_str).unwrap_or("");
        let path = operation.get("path").and_then(Value::as_str);
        let Some(path) = path else {
            return Err(format!(
                "{op} operation does not apply: doc is missing path: \"\""
            ));
        };
        match op {
            "add" => add(&mut doc, path, value_of(operation)?)?,
            "remove" => {
                remove(&mut doc, path).map_err(|_| {
                    format!("remove operation does not apply: doc is missing path: \"{path}\"")
                })?;
            }
            "replace" => replace(&mut doc, path, value_of(operation)?)?,
            "move" | "copy" => {
                let from = operation.get("from").and_then(Value::as_str).unwrap_or("");
                let value = doc.pointer(from).cloned().ok_or_else(|| {
                    format!("{op} operation does not apply: doc is missing from path: {from}")
                })?;
                if op == "move" {
                    remove(&mut doc, from).map_err(|_| {
                        format!("move operation does not apply: doc is missing from path: {from}")
                    })?;
                }
                add(&mut doc, path, value)?;
            }
            "test" => {
                let expected = value_of(operation)?;
                if doc.pointer(path) != Some(&expected) {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

/// `replace` as json-patch v4.12.0 (the apiserver's) does it: only the
/// parent must exist; its lookup of an object's key never fails, so a
/// missing key is added. An array index must exist.
fn replace(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (container, key) = parent(doc, path)
        .ok_or_else(|| format!("replace operation does not apply: doc is missing path: {path}"))?;
    let missing_key = || format!("replace operation does not apply: doc is missing key: {path}");
    match container {
        Value::Object(map) => {
            map.insert(key, value);
        }
        Value::Array(items) => {
            let slot = key
                .parse::<usize>()
                .ok()
                .and_then(|at| items.get_mut(at))
                .ok_or_else(missing_key)?;
            *slot = value;
        }
        _ => return Err(missing_key()),
    }
    Ok(())
}

fn value_of(operation: &Value) -> Result<Value, String> {
    operation
        .get("value")
        .cloned()
        .ok_or_else(|| "missing value".to_string())
}

/// Splits `/a/b~1c` into its unescaped tokens.
fn tokens(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The parent of a path's last token, and that token.
fn parent<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let mut parts = tokens(path);
    let last = parts.pop()?;
    let escaped: Vec<String> = parts
        .iter()
        .map(|t| t.replace('~', "~0").replace('/', "~1"))
        .collect();
    let parent_path = if escaped.is_empty() {
        String::new()
    } else {
        format!("/{}", escaped.join("/"))
    };
    doc.pointer_mut(&parent_path).map(|p| (p, last))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let missing = || format!("add operation does not apply: doc is missing path: \"{path}\"");
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (container, key) = parent(doc, path).ok_or_else(missing)?;
    match container {
        Value::Object(map) => {
            map.insert(key, value);
            Ok(())
        }
        Value::Array(items) => {
            let at = if key == "-" {
                items.len()
            } else {
                key.parse::<usize>().map_err(|_| missing())?
            };
            if at > items.len() {
                return Err(missing());
            }
            items.insert(at, value);
            Ok(())
        }
        _ => Err(missing()),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, ()> {
    let (container, key) = parent(doc, path).ok_or(())?;
    match container {
        Value::Object(map) => map.remove(&key).ok_or(()),
        Value::Array(items) => {
            let at: usize = key.parse().map_err(|_| ())?;
            (at < items.len()).then(|| items.remove(at)).ok_or(())
        }
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ops(patch: Value) -> Vec<Value> {
        patch.as_array().cloned().unwrap_or_default()
    }

    #[test]
    fn tutorial_image_replace() {
        let set = json!({"spec": {"template": {"spec": {"containers": [{"image": "a"}]}}}});
        let patch = json!([{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "b"}]);
        assert_eq!(
            apply(&set, &ops(patch)).unwrap()["spec"]["template"]["spec"]["containers"][0]["image"],
            "b"
        );
    }

    #[test]
    fn add_remove_and_errors() {
        let doc = json!({"metadata": {"labels": {"a": "1"}}, "list": [1, 2]});
        let added = apply(&doc, &ops(json!([{"op": "add", "path": "/metadata/labels/b", "value": "2"}, {"op": "add", "path": "/list/-", "value": 3}]))).unwrap();
        assert_eq!(added["metadata"]["labels"]["b"], "2");
        assert_eq!(added["list"], json!([1, 2, 3]));
        let removed = apply(
            &doc,
            &ops(json!([{"op": "remove", "path": "/metadata/labels/a"}])),
        )
        .unwrap();
        assert_eq!(removed["metadata"]["labels"], json!({}));
    }

    #[test]
    fn replace_needs_only_the_parent() {
        let doc = json!({"spec": {"replicas": 2}, "list": [1]});
        let replace =
            |path: &str| apply(&doc, &[json!({"op": "replace", "path": path, "value": 3})]);
        assert_eq!(replace("/spec/nope").unwrap()["spec"]["nope"], 3);
        assert_eq!(replace("/list/0").unwrap()["list"], json!([3]));
        assert_eq!(
            replace("/list/1").unwrap_err(),
            "replace operation does not apply: doc is missing key: /list/1"
        );
        assert_eq!(
            replace("/spec/nope/x").unwrap_err(),
            "replace operation does not apply: doc is missing path: /spec/nope/x"
        );
        assert!(replace("/spec/replicas/x").is_err());
    }
}
