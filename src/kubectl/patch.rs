//! `kubectl patch`: strategic merge (default), JSON merge and JSON patches,
//! written the way the apiserver applies them.

use serde::Deserialize;
use serde_json::Value;

use super::args::{Parsed, Spec, Takes};
use super::formats::{self, Format, Printer};
use super::jsonpatch::{self, PatchError};
use super::merge::merge_patch;
use super::mutate::update_json;
use super::output::Output;
use super::strategic;
use super::target;
use super::Context;
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[
        ("patch", Some('p'), Takes::Value),
        ("patch-file", None, Takes::Value),
        ("type", None, Takes::Value),
        ("output", Some('o'), Takes::Value),
        ("template", None, Takes::Value),
    ],
    not_simulated: &[
        "local",
        "dry-run",
        "filename",
        "kustomize",
        "recursive",
        "subresource",
        "field-manager",
        "record",
        "allow-missing-template-keys",
        "show-managed-fields",
    ],
};

/// The patch types kubectl accepts, sorted as it lists them.
const TYPES: &str = "[json merge strategic]";

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Output {
    let text = match (parsed.value("patch"), parsed.value("patch-file")) {
        (Some(_), Some(_)) => {
            return Output::error("cannot specify --patch and --patch-file together")
        }
        (None, None) | (Some(""), None) => {
            return Output::error(
                "must specify --patch or --patch-file containing the contents of the patch",
            )
        }
        (Some(p), None) => p.to_string(),
        (None, Some(file)) => match ctx.read(file) {
            Ok(text) => text,
            Err(err) => {
                return Output::error(format!(
                    "unable to read patch file: open {file}: no such file or directory ({err})"
                ))
            }
        },
    };
    let kind = parsed.value("type").unwrap_or("strategic").to_lowercase();
    if !["json", "merge", "strategic"].contains(&kind.as_str()) {
        return Output::error(format!(
            "--type must be one of {TYPES}, not {:?}",
            parsed.value("type").unwrap_or("")
        ));
    }
    // kubectl accepts YAML as well as JSON and sends JSON.
    let patch = match serde_yaml::Deserializer::from_str(&text)
        .next()
        .map(Value::deserialize)
    {
        Some(Ok(value)) => value,
        Some(Err(err)) => {
            return Output::error(format!(
                "unable to parse {text:?}: {}",
                yaml_error(&err, &text)
            ))
        }
        None => Value::Null,
    };
    let format = match parsed
        .value("output")
        .map(|_| formats::parse(parsed, ctx))
        .transpose()
    {
        Ok(f) => f,
        Err(err) => return Output::error(err),
    };
    if parsed.positionals.is_empty() {
        return Output::fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    let found = match target::find(cluster, ctx, parsed, &parsed.positionals, true) {
        Ok(found) => found,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for live in &found.objects {
        let current = live.to_json();
        let patched = match kind.as_str() {
            "merge" => Ok(merge_patch(&current, &patch)),
            "json" => jsonpatch::apply(&current, &patch).map_err(|e| match e {
                PatchError::Decode(message) => format!("Error from server (BadRequest): {message}"),
                // The apiserver keeps the reason to itself (a 422 without causes).
                PatchError::Apply(_) => "The request is invalid: the server rejected our request due to an error in our request".to_string(),
            }),
            _ => strategic::apply(&current, &patch).map_err(|e| format!("Error from server: {e}")),
        };
        let result =
            patched.and_then(|json| update_json(cluster, live, json).map_err(|e| e.to_string()));
        match result {
            Ok(updated) => {
                for warning in &updated.warnings {
                    out.err(warning);
                }
                match &format {
                    Some(Format::Table { .. }) | None => {
                        let suffix = if updated.changed { "" } else { " (no change)" };
                        out.out(format!(
                            "{}/{} patched{suffix}",
                            live.kind().qualified_singular(),
                            live.name()
                        ));
                    }
                    Some(generic) => match Printer::new(generic.clone(), false)
                        .print(&updated.object.to_json(), None)
                    {
                        Ok(text) => out.print(&text),
                        Err(err) => out.merge(Output::error(err)),
                    },
                }
            }
            Err(err) => {
                out.err(err);
                out.code = 1;
            }
        }
    }
    found.report_missing(&mut out, None);
    out
}

/// A YAML syntax error as Go's yaml library words it: `yaml: line 1: did not find expected node content`.
pub(super) fn yaml_error(err: &serde_yaml::Error, text: &str) -> String {
    let message = err.to_string();
    let problem = message.split(" at line ").next().unwrap_or(&message);
    let lines = text.lines().count().max(1);
    let line = err.location().map_or(1, |l| l.line()).clamp(1, lines);
    format!("yaml: line {line}: {problem}")
}
