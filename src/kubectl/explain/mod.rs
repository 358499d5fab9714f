//! `kubectl explain` for the StatefulSet fields the playground simulates,
//! in kubectl's OpenAPI v3 plaintext layout. The schema data
//! (`statefulset.json`) holds the apps/v1 1.34 API descriptions of the
//! StatefulSet types and of LabelSelector; the types a StatefulSet only
//! refers to (ObjectMeta, PodTemplateSpec, PersistentVolumeClaim) carry
//! their description but not their fields.

use serde_json::{Map, Value};

use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use super::resources;
use crate::sim::object::Kind;

pub const SPEC: Spec = Spec {
    flags: &[
        ("api-version", None, Takes::Value),
        ("output", Some('o'), Takes::Value),
    ],
    not_simulated: &["recursive"],
};

const SCHEMAS: &str = include_str!("statefulset.json");

pub fn run(parsed: &Parsed) -> Output {
    let Some(request) = parsed.positionals.first() else {
        return Output::fail("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl explain -h' for help and examples");
    };
    if let Some(format) = parsed.value("output").filter(|o| *o != "plaintext") {
        return Output::error(format!("stsplay does not simulate the {format:?} explain output; it prints the default plaintext"));
    }
    let mut parts = request.split('.');
    let resource = parts.next().unwrap_or("");
    let path: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
    match resources::resolve(resource) {
        Some(Kind::StatefulSet) => {}
        Some(other) => {
            return Output::error(format!(
                "stsplay's explain covers statefulsets and their fields, not {}; see https://kubernetes.io/docs/reference/kubernetes-api/",
                other.plural()
            ))
        }
        None => return Output::error(resources::unknown(resource)),
    }
    if let Some(version) = parsed.value("api-version").filter(|v| *v != "apps/v1") {
        return Output::error(format!(
            "stsplay's explain knows StatefulSet in apps/v1, the only version 1.34 serves, not {version:?}"
        ));
    }
    let schemas: Map<String, Value> = serde_json::from_str(SCHEMAS).unwrap_or_default();
    match explain(&schemas, &path) {
        Ok((body, note)) => {
            let mut out = Output::ok(format!(
                "GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\n{body}\n"
            ));
            if let Some(note) = note {
                out.err(note);
            }
            out
        }
        Err(err) => Output::error(err),
    }
}

/// The type name kubectl shows: `integer`, `[]PersistentVolumeClaim`, `map[string]string`.
fn type_name(field: &Value) -> String {
    if let Some(items) = field.get("items") {
        return format!("[]{}", type_name(items));
    }
    if let Some(value) = field.get("map") {
        return format!("map[string]{}", type_name(value));
    }
    if let Some(name) = field.get("ref").and_then(Value::as_str) {
        return name.to_string();
    }
    field
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("Object")
        .to_string()
}

/// The named type a field holds, looking through lists and maps.
fn referenced(field: &Value) -> Option<&str> {
    field
        .get("ref")
        .or_else(|| field.get("items").and_then(|i| i.get("ref")))
        .or_else(|| field.get("map").and_then(|m| m.get("ref")))
        .and_then(Value::as_str)
}

fn description(value: &Value) -> Option<&str> {
    value
        .get("description")
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty())
}

/// The explanation, and a note when the field's type is one whose fields
/// the playground does not carry.
fn explain(
    schemas: &Map<String, Value>,
    path: &[&str],
) -> Result<(String, Option<String>), String> {
    let mut schema = schemas
        .get("StatefulSet")
        .ok_or("the StatefulSet schema is missing")?;
    let mut type_name_of_schema = "StatefulSet".to_string();
    let mut out = String::new();
    let mut text = format!("{}\n", description(schema).unwrap_or(""));
    for (i, name) in path.iter().enumerate() {
        let Some(field) = schema.get("properties").and_then(|p| p.get(*name)) else {
            if schema.get("properties").is_none() {
                return Err(format!(
                    "stsplay's explain does not include the fields of {type_name_of_schema}"
                ));
            }
            return Err(format!("field {name:?} does not exist"));
        };
        text = description(field)
            .map(|d| format!("{d}\n"))
            .unwrap_or_default();
        match referenced(field) {
            Some(target) => {
                let next = schemas
                    .get(target)
                    .ok_or_else(|| format!("the {target} schema is missing"))?;
                if let Some(d) = description(next) {
                    text.push_str(&format!("{d}\n"));
                }
                schema = next;
                type_name_of_schema = target.to_string();
            }
            None => {
                if i + 1 < path.len() {
                    return Err(format!("field {:?} does not exist", path[i + 1]));
                }
                schema = field;
            }
        }
        if i + 1 == path.len() {
            out.push_str(&format!("FIELD: {name} <{}>\n\n\n", type_name(field)));
        }
    }
    let shown = if text.is_empty() {
        "<empty>".to_string()
    } else {
        text
    };
    out.push_str(&format!("DESCRIPTION:\n{}\n", indent(4, &wrap(&shown, 76))));
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        out.push_str("FIELDS:\n");
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, field) in properties {
            let marker = if required.contains(&name.as_str()) {
                " -required-"
            } else {
                ""
            };
            out.push_str(&format!("  {name}\t<{}>{marker}\n", type_name(field)));
            let text = description(field).unwrap_or("<no description>");
            out.push_str(&format!("{}\n\n", indent(4, &wrap(text, 76))));
        }
    } else if referenced(schema).is_none() && schema.get("type").is_none() {
        let note = format!("stsplay: the FIELDS of {type_name_of_schema} are not included in this playground's explain");
        return Ok((out, Some(note)));
    }
    Ok((out, None))
}

fn indent(amount: usize, text: &str) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

/// mitchellh/go-wordwrap's WrapString: breaks at spaces so lines stay
/// within `limit`, keeps existing newlines, never splits a word.
pub fn wrap(text: &str, limit: usize) -> String {
    let mut out = String::new();
    let mut current = 0;
    let mut word = String::new();
    let mut spaces = String::new();
    for c in text.chars() {
        if c == '\n' {
            out.push_str(&spaces);
            out.push_str(&word);
            out.push('\n');
            spaces.clear();
            word.clear();
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if spaces.is_empty() || !word.is_empty() {
                current += spaces.chars().count() + word.chars().count();
                out.push_str(&spaces);
                out.push_str(&word);
                spaces.clear();
                word.clear();
            }
            spaces.push(c);
        } else {
            word.push(c);
            let word_len = word.chars().count();
            if current + spaces.chars().count() + word_len > limit && word_len < limit {
                out.push('\n');
                current = 0;
                spaces.clear();
            }
        }
    }
    if word.is_empty() {
        if current + spaces.chars().count() <= limit {
            out.push_str(&spaces);
        }
    } else {
        out.push_str(&spaces);
        out.push_str(&word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::words;

    fn explain_text(request: &str) -> Output {
        run(&Parsed {
            positionals: words(request),
            ..Default::default()
        })
    }

    #[test]
    fn wraps_like_go_wordwrap() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("a\n  b", 10), "a\n  b");
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            "averyveryverylongword\nx"
        );
    }

    #[test]
    fn a_leaf_field() {
        let out = explain_text("sts.spec.updateStrategy.rollingUpdate.partition");
        assert_eq!(
            out.stdout,
            "GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nFIELD: partition <integer>\n\n\nDESCRIPTION:\n    Partition indicates the ordinal at which the StatefulSet should be\n    partitioned for updates. During a rolling update, all pods from ordinal\n    Replicas-1 to Partition are updated. All pods from ordinal Partition-1 to 0\n    remain untouched. This is helpful in being able to do a canary based\n    deployment. The default value is 0.\n    \n\n"
        );
    }

    #[test]
    fn a_struct_field_lists_its_fields() {
        let out = explain_text("statefulset.spec.updateStrategy");
        assert!(out
            .stdout
            .contains("FIELD: updateStrategy <StatefulSetUpdateStrategy>\n\n\nDESCRIPTION:\n"));
        assert!(out
            .stdout
            .contains("FIELDS:\n  rollingUpdate\t<RollingUpdateStatefulSetStrategy>\n"));
        let spec = explain_text("sts.spec");
        assert!(spec
            .stdout
            .contains("  selector\t<LabelSelector> -required-\n"));
        assert!(spec
            .stdout
            .contains("  volumeClaimTemplates\t<[]PersistentVolumeClaim>\n"));
    }

    #[test]
    fn errors() {
        assert_eq!(
            explain_text("sts.spec.foo").stderr,
            "error: field \"foo\" does not exist\n"
        );
        assert_eq!(
            explain_text("foo").stderr,
            "error: the server doesn't have a resource type \"foo\"\n"
        );
        assert!(explain_text("sts.spec.template.spec")
            .stderr
            .contains("does not include the fields of PodTemplateSpec"));
        assert!(explain_text("sts.spec.template")
            .stderr
            .contains("FIELDS of PodTemplateSpec are not included"));
    }
}
