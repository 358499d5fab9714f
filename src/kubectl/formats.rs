//! `-o` formats other than the server-side table: name, yaml, json,
//! jsonpath, go-template and custom-columns, for `get` and its watch.

use std::rc::Rc;

use serde_json::{json, Value};

use super::args::Parsed;
use super::gofmt::go_print;
use super::jsonpath::JsonPath;
use super::table::TableWriter;
use super::template::{as_template_data, Template};
use super::Context;
use crate::sim::object::Object;
use crate::sim::EventType;

#[derive(Clone, Debug)]
pub enum Format {
    Table {
        wide: bool,
    },
    Name,
    Yaml,
    Json,
    JsonPath {
        path: JsonPath,
        raw: String,
        as_json: bool,
    },
    Template {
        template: Template,
        raw: String,
    },
    CustomColumns(Vec<(String, JsonPath)>),
}

const ALLOWED: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

/// What the print flags of commands without a table printer (`create`,
/// `events`) accept.
const PRINT_FLAGS_ALLOWED: &str = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/// `-o` (and `--template`) for a command whose print flags have no table
/// printer: None without either flag, and cli-runtime's error for `wide`,
/// custom columns or an unknown format.
pub fn print_flags_format(parsed: &Parsed, ctx: &Context<'_>) -> Result<Option<Format>, String> {
    let Some(output) = parsed.value("output") else {
        return match parsed.value("template") {
            None => Ok(None),
            Some(_) => parse(parsed, ctx).map(Some),
        };
    };
    let name = output.split_once('=').map_or(output, |(n, _)| n);
    let known = PRINT_FLAGS_ALLOWED.split(',').any(|f| f == name);
    if !known {
        return Err(format!(
            "unable to match a printer suitable for the output format \"{output}\", allowed formats are: {PRINT_FLAGS_ALLOWED}"
        ));
    }
    parse(parsed, ctx).map(Some)
}

/// The printer kubectl's print flags ask for (`-o`, `--template`), or None
/// for the command's own line.
pub fn print_flags_printer(parsed: &Parsed, ctx: &Context<'_>) -> Result<Option<Printer>, String> {
    Ok(print_flags_format(parsed, ctx)?.map(|format| Printer::new(format, false)))
}

/// Reads `-o` (and `--template`), loading `*-file` formats from the playground's files.
pub fn parse(parsed: &Parsed, ctx: &Context<'_>) -> Result<Format, String> {
    // The templates here print missing keys as kubectl's default (true) does;
    // refusing `false` beats silently ignoring it.
    if parsed.value("allow-missing-template-keys") == Some("false") {
        return Err(
            "stsplay does not simulate --allow-missing-template-keys=false: its templates always allow missing keys".to_string(),
        );
    }
    let output = parsed.value("output").unwrap_or("");
    let template_flag = parsed.value("template").map(str::to_string);
    let (name, inline) = match output.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (output, None),
    };
    let from_file = |inline: Option<String>| -> Result<Option<String>, String> {
        inline
            .map(|path| {
                ctx.read(&path)
                    .map_err(|e| format!("error reading --template {path}, {e}"))
            })
            .transpose()
    };
    let template_text = |inline: Option<String>| -> Result<String, String> {
        inline
            .or(template_flag.clone())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| "template format specified but no template given".to_string())
    };
    Ok(match name {
        "" if template_flag.is_some() => go_template(template_text(None)?)?,
        "" => Format::Table { wide: false },
        "wide" => Format::Table { wide: true },
        "name" => Format::Name,
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        "jsonpath" | "jsonpath-as-json" | "jsonpath-file" => {
            let raw = if name == "jsonpath-file" { template_text(from_file(inline)?)? } else { template_text(inline)? };
            let path = JsonPath::parse(&raw).map_err(|e| format!("error parsing jsonpath {raw}, {e}"))?;
            Format::JsonPath { path, raw, as_json: name == "jsonpath-as-json" }
        }
        "go-template" | "template" => go_template(template_text(inline)?)?,
        "go-template-file" | "templatefile" => go_template(template_text(from_file(inline)?)?)?,
        "custom-columns" => custom_columns(&inline.unwrap_or_default())?,
        "custom-columns-file" => custom_columns_file(&from_file(inline)?.unwrap_or_default())?,
        other => {
            return Err(format!(
                "unable to match a printer suitable for the output format \"{other}\", allowed formats are: {ALLOWED}"
            ))
        }
    })
}

fn go_template(raw: String) -> Result<Format, String> {
    let template =
        Template::parse(&raw).map_err(|e| format!("error parsing template {raw}, {e}"))?;
    Ok(Format::Template { template, raw })
}

/// `{.a.b}`, `.a.b` or `a.b` as custom columns and `--sort-by` accept.
pub fn relaxed_path(text: &str) -> Result<JsonPath, String> {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    if inner.is_empty() || inner.contains(['{', '}']) {
        return Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_string());
    }
    JsonPath::parse(&format!("{{.{inner}}}"))
}

fn custom_columns(spec: &str) -> Result<Format, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".to_string());
    }
    let mut columns = Vec::new();
    for part in spec.split(',') {
        let Some((header, path)) = part.split_once(':') else {
            return Err(format!(
                "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            ));
        };
        columns.push((header.to_string(), relaxed_path(path)?));
    }
    Ok(Format::CustomColumns(columns))
}

fn custom_columns_file(text: &str) -> Result<Format, String> {
    let mut lines = text.lines();
    let headers: Vec<&str> = lines.next().map(|l| l.split_whitespace().collect()).ok_or(
        "invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.",
    )?;
    let specs: Vec<&str> = lines.next().map(|l| l.split_whitespace().collect()).ok_or(
        "invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.",
    )?;
    if headers.len() != specs.len() {
        return Err(format!(
            "number of headers ({}) and field specifications ({}) don't match",
            headers.len(),
            specs.len()
        ));
    }
    let mut columns = Vec::new();
    for (header, path) in headers.into_iter().zip(specs) {
        columns.push((header.to_string(), relaxed_path(path)?));
    }
    Ok(Format::CustomColumns(columns))
}

/// The List kubectl prints when a get returns several (or no) objects.
pub fn list_json(objects: &[Rc<Object>]) -> Value {
    json!({
        "apiVersion": "v1",
        "items": objects.iter().map(|o| o.to_json()).collect::<Vec<_>>(),
        "kind": "List",
        "metadata": {"resourceVersion": ""}
    })
}

/// Prints objects one after another, as a watch does (and as `get`
/// prints one object or one List), keeping state between calls: the
/// `---` between YAML documents and the custom-columns table.
#[derive(Clone, Debug)]
pub struct Printer {
    pub format: Format,
    pub no_headers: bool,
    printed: usize,
    table: TableWriter,
}

impl Printer {
    pub fn new(format: Format, no_headers: bool) -> Printer {
        Printer {
            format,
            no_headers,
            printed: 0,
            table: TableWriter::default(),
        }
    }

    /// Prints `value` (an object or a List); `event` wraps it as a watch
    /// event for `--output-watch-events`.
    pub fn print(&mut self, value: &Value, event: Option<EventType>) -> Result<String, String> {
        self.printed += 1;
        let wrapped = match event {
            Some(ty) => json!({"type": ty.as_str(), "object": value}),
            None => value.clone(),
        };
        match &self.format {
            Format::Table { .. } => Err("a table is not a generic format".to_string()),
            Format::Name => Ok(names(value)),
            Format::Json => Ok(super::encode(&wrapped, false)),
            Format::Yaml => {
                let separator = if self.printed > 1 { "---\n" } else { "" };
                Ok(format!("{separator}{}", super::encode(&wrapped, true)))
            }
            Format::JsonPath { path, raw, as_json } => {
                let result = if *as_json {
                    path.execute_as_json(&wrapped)
                } else {
                    path.execute(&wrapped)
                };
                result.map_err(|e| {
                    format!(
                        "error executing jsonpath {raw:?}: Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{raw}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n",
                        go_syntax(&wrapped)
                    )
                })
            }
            Format::Template { template, raw } => template
                .execute(&as_template_data(&wrapped))
                .map_err(|e| format!("error executing template {raw:?}: {e}")),
            Format::CustomColumns(columns) => {
                let columns = columns.clone();
                let items: Vec<Value> = match value.get("items").and_then(Value::as_array) {
                    Some(items) if value.get("kind").and_then(Value::as_str) == Some("List") => {
                        items.clone()
                    }
                    _ => vec![wrapped],
                };
                let mut rows = Vec::new();
                if !self.no_headers && self.printed == 1 {
                    rows.push(columns.iter().map(|(h, _)| h.clone()).collect());
                }
                for item in &items {
                    let mut row = Vec::new();
                    for (_, path) in &columns {
                        let found: Vec<Value> = path.find(item)?.into_iter().flatten().collect();
                        row.push(if found.is_empty() {
                            "<none>".to_string()
                        } else {
                            found.iter().map(go_print).collect::<Vec<_>>().join(",")
                        });
                    }
                    rows.push(row);
                }
                Ok(self.table.render(&rows))
            }
        }
    }
}

/// `-o name` lines: `pod/web-0`, `statefulset.apps/web`.
fn names(value: &Value) -> String {
    let items = match value.get("items").and_then(Value::as_array) {
        Some(items) => items.clone(),
        None => vec![value.clone()],
    };
    items
        .iter()
        .map(|item| {
            let kind = item
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_lowercase();
            let group = item
                .get("apiVersion")
                .and_then(Value::as_str)
                .and_then(|v| v.split_once('/'))
                .map(|(g, _)| g);
            let name = item
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
                .unwrap_or("<unknown>");
            match group {
                Some(g) => format!("{kind}.{g}/{name}\n"),
                None => format!("{kind}/{name}\n"),
            }
        })
        .collect()
}

/// Go's `%#v` of unstructured JSON, for jsonpath's debugging output.
fn go_syntax(value: &Value) -> String {
    match value {
        Value::Null => "interface {}(nil)".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_f64() => format!("{}", n.as_f64().unwrap_or(0.0)),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) => format!(
            "[]interface {{}}{{{}}}",
            items.iter().map(go_syntax).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "map[string]interface {{}}{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k:?}:{}", go_syntax(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn only_the_default_of_allow_missing_template_keys_is_simulated() {
        let refused = format(&[
            ("output", "jsonpath={.a}"),
            ("allow-missing-template-keys", "false"),
        ]);
        assert!(refused.is_err_and(|e| e.contains("does not simulate")));
        let kept = format(&[
            ("output", "jsonpath={.a}"),
            ("allow-missing-template-keys", "true"),
        ]);
        assert!(kept.is_ok());
    }

    fn format(args: &[(&str, &str)]) -> Result<Format, String> {
        let files = BTreeMap::new();
        let ctx = Context::plain("default", &files);
        let parsed = Parsed {
            flags: args
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        };
        parse(&parsed, &ctx)
    }

    fn pod(name: &str, image: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": {"containers": [{"image": image}]}})
    }

    #[test]
    fn custom_columns_table() {
        let f = format(&[(
            "output",
            "custom-columns=NAME:.metadata.name,IMAGE:spec.containers[*].image,IP:.status.podIP",
        )])
        .unwrap();
        let mut printer = Printer::new(f, false);
        let list =
            json!({"kind": "List", "items": [pod("web-0", "nginx:1"), pod("web-1", "nginx:2")]});
        assert_eq!(
            printer.print(&list, None).unwrap(),
            "NAME    IMAGE     IP\nweb-0   nginx:1   <none>\nweb-1   nginx:2   <none>\n"
        );
    }

    #[test]
    fn template_flag_alone_means_go_template() {
        let f = format(&[("template", "{{.metadata.name}}")]).unwrap();
        assert_eq!(
            Printer::new(f, false)
                .print(&pod("web-0", "x"), None)
                .unwrap(),
            "web-0"
        );
        assert_eq!(
            format(&[("output", "jsonpath")]).unwrap_err(),
            "template format specified but no template given"
        );
        assert!(format(&[("output", "xml")])
            .unwrap_err()
            .starts_with("unable to match a printer suitable for the output format \"xml\""));
    }

    #[test]
    fn names_and_yaml_documents() {
        let mut printer = Printer::new(Format::Name, false);
        let set =
            json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"}});
        assert_eq!(printer.print(&set, None).unwrap(), "statefulset.apps/web\n");
        let mut yaml = Printer::new(Format::Yaml, false);
        yaml.print(&set, None).unwrap();
        assert!(yaml
            .print(&set, Some(EventType::Modified))
            .unwrap()
            .starts_with("---\nobject:"));
    }
}
