//! Reading manifests: YAML (several documents) or JSON, into API objects.

use serde::Deserialize;

use crate::sim::object::{Kind, Object};

/// One decoded document: the object and the JSON it came from.
#[derive(Clone, Debug)]
pub struct Document {
    pub object: Object,
    pub json: serde_json::Value,
}

/// Decodes every document of a file. Documents before a syntax error are
/// returned together with the error, since kubectl applies those first.
pub fn decode(text: &str, source: &str) -> (Vec<Document>, Option<String>) {
    let mut documents = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let value = match serde_json::Value::deserialize(doc) {
            Ok(v) => v,
            Err(err) => return (documents, Some(syntax_error(&err, source))),
        };
        if value.is_null() {
            continue;
        }
        match to_object(value, source) {
            Ok(document) => documents.push(document),
            Err(err) => return (documents, Some(err)),
        }
    }
    (documents, None)
}

fn syntax_error(err: &serde_yaml::Error, source: &str) -> String {
    let line = err.location().map(|l| l.line()).unwrap_or(0);
    let message = err.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    format!("error parsing {source}: error converting YAML to JSON: yaml: line {line}: {message}")
}

/// Picks the type from apiVersion and kind, then decodes into it.
pub fn to_object(value: serde_json::Value, source: &str) -> Result<Document, String> {
    let api_version = value
        .get("apiVersion")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    let kind_name = value.get("kind").and_then(|v| v.as_str()).unwrap_or("");
    if kind_name.is_empty() {
        return Err(format!(
            "unable to decode \"{source}\": Object 'Kind' is missing in '{value}'"
        ));
    }
    if api_version.is_empty() {
        return Err(format!(
            "unable to decode \"{source}\": Object 'apiVersion' is missing in '{value}'"
        ));
    }
    let Some(kind) = Kind::from_api_version_kind(api_version, kind_name) else {
        return Err(format!(
            "resource mapping not found for name: \"{}\" namespace: \"{}\" from \"{source}\": no matches for kind \"{kind_name}\" in version \"{api_version}\"\nensure CRDs are installed first",
            value.pointer("/metadata/name").and_then(|v| v.as_str()).unwrap_or(""),
            value.pointer("/metadata/namespace").and_then(|v| v.as_str()).unwrap_or("")
        ));
    };
    match Object::from_json(kind, value.clone()) {
        Ok(object) => Ok(Document { object, json: value }),
        Err(err) => Err(format!(
            "Error from server (BadRequest): error when creating \"{source}\": {} in version \"v1\" cannot be handled as a {}: {err}",
            kind.name(),
            kind.name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_documents() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: b}\nspec: {selector: {}, template: {}}\n";
        let (docs, err) = decode(text, "x.yaml");
        assert!(err.is_none(), "{err:?}");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].object.kind(), Kind::StatefulSet);
    }

    #[test]
    fn unknown_kind() {
        let (_, err) = decode(
            "apiVersion: v1\nkind: Nope\nmetadata: {name: a}\n",
            "x.yaml",
        );
        assert!(err
            .unwrap()
            .contains("no matches for kind \"Nope\" in version \"v1\""));
    }
}
