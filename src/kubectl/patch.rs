//! `kubectl patch`: strategic merge (default), JSON merge and JSON patches,
//! written the way the apiserver applies them.

use std::rc::Rc;

use serde::Deserialize;
use serde_json::Value;

use super::args::{Parsed, Spec, Takes};
use super::dry_run::DryRun;
use super::formats::{self, Format, Printer};
use super::gojson::{self, looks_like_json};
use super::jsonpatch;
use super::manifest::patch_cause;
use super::merge::merge_patch;
use super::mutate::{update_json, Undecodable, UpdateError, Updated};
use super::output::Output;
use super::record;
use super::strategic;
use super::target;
use super::Context;
use crate::sim::object::Object;
use crate::sim::validation::field::{quote, FieldError};
use crate::sim::{ApiError, Cluster};

pub const SPEC: Spec = Spec {
    flags: &[
        ("patch", Some('p'), Takes::Value),
        ("patch-file", None, Takes::Value),
        ("type", None, Takes::Value),
        ("output", Some('o'), Takes::Value),
        ("template", None, Takes::Value),
        ("dry-run", None, Takes::Value),
        record::FLAG,
    ],
    not_simulated: &[
        "local",
        "filename",
        "kustomize",
        "recursive",
        "subresource",
        "field-manager",
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
    let dry_run = match DryRun::from_flag(parsed) {
        Ok(dry_run) => dry_run,
        Err(err) => return Output::error(err),
    };
    let kind = parsed.value("type").unwrap_or("strategic").to_lowercase();
    if !["json", "merge", "strategic"].contains(&kind.as_str()) {
        return Output::error(format!(
            "--type must be one of {TYPES}, not {:?}",
            parsed.value("type").unwrap_or("")
        ));
    }
    // kubectl sends text that starts with `{` as it is, and converts
    // anything else from YAML; the apiserver then decodes it.
    let body = if looks_like_json(&text) {
        text.clone()
    } else {
        match serde_yaml::Deserializer::from_str(&text)
            .next()
            .map(Value::deserialize)
        {
            Some(Ok(value)) => value.to_string(),
            Some(Err(err)) => {
                return Output::error(format!(
                    "unable to parse {text:?}: {}",
                    yaml_error(&err, &text)
                ))
            }
            None => "null".to_string(),
        }
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
        return Output::fail(target::NO_RESOURCES_GIVEN);
    }
    let found = match target::find(cluster, ctx, parsed, &parsed.positionals, true) {
        Ok(found) => found,
        Err(out) => return out,
    };
    let patch = decode(&kind, &body);
    let mut out = Output::default();
    let mut copy = None;
    for live in &found.objects {
        let current = live.to_json();
        let patched = patch.clone().and_then(|patch| match patch {
            Decoded::Merge(patch) => Ok(merge_patch(&current, &patch)),
            Decoded::Json(operations) => jsonpatch::apply(&current, &operations).map_err(|_| {
                // A 422 without causes: the apiserver keeps the reason to itself.
                "The request is invalid: the server rejected our request due to an error in our request".to_string()
            }),
            Decoded::Strategic(patch) => strategic::apply(&current, &patch).map_err(|e| format!("Error from server: {e}")),
        });
        let mut target = dry_run.cluster(cluster, &mut copy);
        let result = patched.and_then(|json| match target.as_deref_mut() {
            // A client dry run patches the object it found and sends nothing.
            None => Ok(Updated {
                changed: json != current,
                object: Rc::new(Object::from_json(live.kind(), json).map_err(|e| e.to_string())?),
                warnings: Vec::new(),
            }),
            Some(target) => update_json(target, live, json.clone()).map_err(|e| match e {
                UpdateError::Decode(undecodable) => refusal(&patch, &json, undecodable),
                api => api.to_string(),
            }),
        });
        match result {
            Ok(mut updated) => {
                let cause = record::change_cause("patch", parsed);
                if let (Some(target), Some(cause)) = (target, cause) {
                    let key = updated.object.key();
                    record::note_after(target, &key, &cause);
                    if let Some(stored) = target.store().get(&key) {
                        updated.object = stored.clone();
                    }
                }
                for warning in &updated.warnings {
                    out.err(warning);
                }
                match &format {
                    Some(Format::Table { .. }) | None => {
                        let suffix = if updated.changed { "" } else { " (no change)" };
                        out.out(format!(
                            "{}/{} patched{suffix}{}",
                            live.kind().qualified_singular(),
                            live.name(),
                            dry_run.note()
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

/// A patch as the apiserver decoded it, by its type.
#[derive(Clone)]
enum Decoded {
    Strategic(Value),
    Merge(Value),
    Json(Vec<Value>),
}

/// The apiserver's Invalid for a patch whose result does not decode: a
/// strategic merge patch fails in the unstructured converter and shows the
/// patch (`%+v`), a merge or JSON patch fails in the JSON decoder and shows
/// the whole patched object.
fn refusal(patch: &Result<Decoded, String>, patched: &Value, undecodable: Undecodable) -> String {
    let cause = match patch {
        Ok(Decoded::Strategic(patch)) => {
            patch_cause(patch, undecodable.converter.unwrap_or(undecodable.json))
        }
        _ => {
            let object = serde_json::to_string(patched).unwrap_or_default();
            FieldError::invalid("patch", quote(&object), undecodable.json)
        }
    };
    ApiError::invalid_request(vec![cause]).kubectl_text()
}

/// Decodes the body the way the apiserver does for `kind` (strictly, as
/// fieldValidation=Warn does): Go's syntax check first, then the Go type it
/// decodes into. Err is kubectl's line for the BadRequest.
fn decode(kind: &str, body: &str) -> Result<Decoded, String> {
    // Only the strategic merge patch's errors go without a prefix.
    let prefix = if kind == "strategic" {
        ""
    } else {
        "error decoding patch: "
    };
    let bad_request =
        |message: String| format!("Error from server (BadRequest): {prefix}{message}");
    gojson::check_valid(body).map_err(bad_request)?;
    let value: Value = serde_json::from_str(body).map_err(|e| bad_request(e.to_string()))?;
    let cannot = |value: &Value, into: &str| {
        bad_request(format!(
            "json: cannot unmarshal {} into Go {into}",
            gojson::kind_of(value)
        ))
    };
    match kind {
        "json" => {
            let operations = match value {
                Value::Null => Vec::new(),
                Value::Array(items) => items,
                other => return Err(cannot(&other, "value of type []handlers.jsonPatchOp")),
            };
            for operation in &operations {
                match operation {
                    Value::Null => {}
                    Value::Object(fields) => {
                        for field in ["from", "op", "path"] {
                            if let Some(v) =
                                fields.get(field).filter(|v| !v.is_string() && !v.is_null())
                            {
                                return Err(cannot(
                                    v,
                                    &format!("struct field jsonPatchOp.{field} of type string"),
                                ));
                            }
                        }
                    }
                    other => return Err(cannot(other, "value of type handlers.jsonPatchOp")),
                }
            }
            Ok(Decoded::Json(operations))
        }
        _ if !matches!(value, Value::Object(_) | Value::Null) => {
            Err(cannot(&value, "value of type map[string]interface {}"))
        }
        "merge" => Ok(Decoded::Merge(value)),
        _ => Ok(Decoded::Strategic(value)),
    }
}

/// A YAML syntax error as Go's yaml library words it: `yaml: line 1: did not find expected node content`.
pub(super) fn yaml_error(err: &serde_yaml::Error, text: &str) -> String {
    let message = err.to_string();
    let problem = message.split(" at line ").next().unwrap_or(&message);
    let lines = text.lines().count().max(1);
    let line = err.location().map_or(1, |l| l.line()).clamp(1, lines);
    format!("yaml: line {line}: {problem}")
}
