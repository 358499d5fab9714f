//! RFC 6902 JSON Patch (`kubectl patch --type json`): add, remove,
//! replace, move, copy and test over JSON Pointer paths.

use serde_json::Value;

/// Why a patch could not be used: a malformed document (400) or an
/// operation that does not apply to the object (422).
#[derive(Debug, PartialEq, Eq)]
pub enum PatchError {
    Decode(String),
    Apply(String),
}

pub fn apply(target: &Value, patch: &Value) -> Result<Value, PatchError> {
    let Value::Array(operations) = patch else {
        let found = match patch {
            Value::Object(_) => "object",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            _ => "null",
        };
        return Err(PatchError::Decode(format!(
            "json: cannot unmarshal {found} into Go value of type jsonpatch.Patch"
        )));
    };
    let mut doc = target.clone();
    for operation in operations {
        let op = operation.get("op").and_then(Value::as_str).unwrap_or("");
        let path = operation.get("path").and_then(Value::as_str);
        let Some(path) = path else {
            return Err(PatchError::Apply(format!(
                "{op} operation does not apply: doc is missing path: \"\""
            )));
        };
        match op {
            "add" => add(&mut doc, path, value_of(operation)?)?,
            "remove" => {
                remove(&mut doc, path).map_err(|_| {
                    PatchError::Apply(format!(
                        "remove operation does not apply: doc is missing path: \"{path}\""
                    ))
                })?;
            }
            "replace" => {
                let slot = pointer_mut(&mut doc, path).ok_or_else(|| {
                    PatchError::Apply(format!(
                        "replace operation does not apply: doc is missing key: {path}"
                    ))
                })?;
                *slot = value_of(operation)?;
            }
            "move" | "copy" => {
                let from = operation.get("from").and_then(Value::as_str).unwrap_or("");
                let value = doc.pointer(from).cloned().ok_or_else(|| {
                    PatchError::Apply(format!(
                        "{op} operation does not apply: doc is missing from path: {from}"
                    ))
                })?;
                if op == "move" {
                    remove(&mut doc, from).map_err(|_| {
                        PatchError::Apply(format!(
                            "move operation does not apply: doc is missing from path: {from}"
                        ))
                    })?;
                }
                add(&mut doc, path, value)?;
            }
            "test" => {
                let expected = value_of(operation)?;
                if doc.pointer(path) != Some(&expected) {
                    return Err(PatchError::Apply(format!(
                        "testing value {path} failed: test failed"
                    )));
                }
            }
            other => return Err(PatchError::Apply(format!("Unexpected kind: {other}"))),
        }
    }
    Ok(doc)
}

fn value_of(operation: &Value) -> Result<Value, PatchError> {
    operation
        .get("value")
        .cloned()
        .ok_or_else(|| PatchError::Apply("missing value".to_string()))
}

/// Splits `/a/b~1c` into its unescaped tokens.
fn tokens(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn pointer_mut<'a>(doc: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    if path.is_empty() {
        return Some(doc);
    }
    let escaped: Vec<String> = tokens(path)
        .iter()
        .map(|t| t.replace('~', "~0").replace('/', "~1"))
        .collect();
    doc.pointer_mut(&format!("/{}", escaped.join("/")))
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

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), PatchError> {
    let missing = || {
        PatchError::Apply(format!(
            "add operation does not apply: doc is missing path: \"{path}\""
        ))
    };
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
                return Err(PatchError::Apply(format!(
                    "add operation does not apply: doc is missing path: \"{path}\""
                )));
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

    #[test]
    fn tutorial_image_replace() {
        let set = json!({"spec": {"template": {"spec": {"containers": [{"image": "a"}]}}}});
        let patch = json!([{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "b"}]);
        assert_eq!(
            apply(&set, &patch).unwrap()["spec"]["template"]["spec"]["containers"][0]["image"],
            "b"
        );
    }

    #[test]
    fn add_remove_and_errors() {
        let doc = json!({"metadata": {"labels": {"a": "1"}}, "list": [1, 2]});
        let added = apply(&doc, &json!([{"op": "add", "path": "/metadata/labels/b", "value": "2"}, {"op": "add", "path": "/list/-", "value": 3}])).unwrap();
        assert_eq!(added["metadata"]["labels"]["b"], "2");
        assert_eq!(added["list"], json!([1, 2, 3]));
        let removed = apply(
            &doc,
            &json!([{"op": "remove", "path": "/metadata/labels/a"}]),
        )
        .unwrap();
        assert_eq!(removed["metadata"]["labels"], json!({}));
        assert!(matches!(
            apply(
                &doc,
                &json!([{"op": "replace", "path": "/spec/x", "value": 1}])
            ),
            Err(PatchError::Apply(_))
        ));
        assert!(matches!(
            apply(&doc, &json!({"op": "add"})),
            Err(PatchError::Decode(_))
        ));
    }
}
