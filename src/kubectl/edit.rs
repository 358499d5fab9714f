//! `kubectl edit`: the objects go to an editor as YAML (or JSON) under
//! kubectl's header comment; what comes back is compared with what was
//! shown, and the difference is patched onto the live objects, as kubectl
//! does. Invalid changes reopen the editor with the causes in the header.
//!
//! The editor belongs to the caller: the playground opens the buffer as a
//! file tab, or in a transcript runs `$KUBE_EDITOR` on it.

use serde::Deserialize;
use serde_json::Value;

use super::args::{Parsed, Spec, Takes};
use super::manifest::patch_cause;
use super::merge::{diff, merge_patch};
use super::mutate::{update_json, UpdateError};
use super::output::Output;
use super::patch::yaml_error;
use super::record;
use super::target;
use super::Context;
use crate::sim::errors::Reason;
use crate::sim::object::{Kind, ObjectKey};
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[("output", Some('o'), Takes::Value), record::FLAG],
    not_simulated: &[
        "filename",
        "kustomize",
        "recursive",
        "windows-line-endings",
        "save-config",
        "validate",
        "field-manager",
        "subresource",
        "show-managed-fields",
        "output-patch",
        "template",
        "allow-missing-template-keys",
    ],
};

const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// One `kubectl edit` between opening the editor and its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditSession {
    /// Where the buffer is, as kubectl names its temporary file in messages.
    pub path: String,
    /// The buffer as the editor first showed it.
    pub buffer: String,
    yaml: bool,
    /// `-o` was given: the result prints as the object in that format (YAML
    /// if true) instead of kubectl's `… edited` line.
    print_object: Option<bool>,
    namespace: String,
    /// The objects as shown, to diff the edit against.
    originals: Vec<(Kind, Value)>,
    /// The text last saved, when it was refused and the editor reopened.
    refused: Option<String>,
    /// `--record`: the change cause each edited object gets.
    change_cause: Option<String>,
    /// The buffer's file as kubectl last wrote it.
    written: String,
}

/// What saving the buffer led to.
#[derive(Debug)]
pub enum Saved {
    /// The edit is over. `keep_file`: kubectl left the buffer where it was.
    Done { output: Output, keep_file: bool },
    /// The editor opens again with this text (the causes in its header).
    Reopen { output: Output, buffer: String },
}

/// Why an edit must be tried again, as the header lists it.
struct Retry {
    head: String,
    causes: Vec<String>,
}

/// Finds the objects and prepares the buffer; the caller opens the editor
/// on `session.buffer` (and sets `session.path`).
pub fn open(cluster: &Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Result<EditSession, Output> {
    let yaml = match parsed.value("output") {
        None | Some("yaml") => true,
        Some("json") => false,
        Some(other) => return Err(Output::error(format!(
            "unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,yaml"
        ))),
    };
    if parsed.positionals.is_empty() {
        return Err(Output::fail(target::NO_RESOURCES_GIVEN));
    }
    let found = target::find(cluster, ctx, parsed, &parsed.positionals, false)?;
    if !found.missing.is_empty() {
        let mut out = Output::default();
        found.report_missing(&mut out, None);
        return Err(out);
    }
    if found.objects.is_empty() {
        return Err(Output::error("edit cancelled, no objects found"));
    }
    let originals: Vec<(Kind, Value)> = found
        .objects
        .iter()
        .map(|o| (o.kind(), without_managed_fields(o.to_json())))
        .collect();
    let shown = match originals.as_slice() {
        [(_, one)] => one.clone(),
        many => serde_json::json!({
            "apiVersion": "v1",
            "items": many.iter().map(|(_, o)| o.clone()).collect::<Vec<_>>(),
            "kind": "List",
            "metadata": {},
        }),
    };
    let body = super::encode(&shown, yaml);
    let buffer = if yaml {
        format!("{HEADER}{body}")
    } else {
        body
    };
    Ok(EditSession {
        path: String::new(),
        written: buffer.clone(),
        buffer,
        yaml,
        print_object: parsed.value("output").map(|_| yaml),
        namespace: target::namespace(parsed, ctx).to_string(),
        originals,
        refused: None,
        change_cause: record::change_cause("edit", parsed),
    })
}

impl EditSession {
    /// The editor closed without saving: kubectl reads back the file as it
    /// last wrote it (the buffer, or the one reopened with the problems).
    pub fn quit(&mut self, cluster: &mut Cluster) -> Saved {
        let written = self.written.clone();
        self.save(cluster, &written)
    }

    /// The buffer's file as kubectl last wrote it.
    pub fn written(&self) -> &str {
        &self.written
    }

    /// The editor saved `edited` and closed: apply it as kubectl would.
    pub fn save(&mut self, cluster: &mut Cluster, edited: &str) -> Saved {
        let mut out = Output::default();
        if let Some(refused) = &self.refused {
            if strip_comments(refused) == strip_comments(edited) {
                return self.preserved(out, "Edit cancelled, no valid changes were saved.");
            }
        }
        if strip_comments(&self.buffer) == strip_comments(edited) {
            out.err("Edit cancelled, no changes made.");
            return Saved::Done {
                output: out,
                keep_file: false,
            };
        }
        if !edited.lines().any(|l| {
            let l = l.trim();
            !l.is_empty() && !l.starts_with('#')
        }) {
            out.err("Edit cancelled, saved file was empty.");
            return Saved::Done {
                output: out,
                keep_file: false,
            };
        }
        let items = match parse(edited) {
            Ok(items) => items,
            Err(Unparsed::Syntax(err)) => {
                // kubectl validates the file against the schema before it
                // decodes it, so YAML that does not parse fails validation,
                // reported as the first object being invalid.
                let cause =
                    format!("<nil>: Invalid value: \"The edited file failed validation\": {err}");
                let reason = invalid(&mut out, &self.first_resource(), vec![cause]);
                return self.reopen(out, edited, vec![reason]);
            }
            Err(Unparsed::Kind(err)) => {
                let reason = Retry {
                    head: format!("The edited file had a syntax error: {err}"),
                    causes: Vec::new(),
                };
                return self.reopen(out, edited, vec![reason]);
            }
        };
        let mut reasons = Vec::new();
        let mut retryable = false;
        let mut not_found = false;
        for item in &items {
            let uid = item.pointer("/metadata/uid").and_then(Value::as_str);
            let Some((kind, original)) = self.originals.iter().find(|(_, o)| {
                uid.is_some() && o.pointer("/metadata/uid").and_then(Value::as_str) == uid
            }) else {
                let name = name_of(item);
                return self.preserved(
                    out,
                    &format!(
                        "no original object found for {name:?} (its metadata.uid was changed)"
                    ),
                );
            };
            let namespace = item.pointer("/metadata/namespace").and_then(Value::as_str);
            if kind.namespaced() && namespace.is_some_and(|ns| ns != self.namespace) {
                let ns = namespace.unwrap_or("");
                return self.preserved(out, &format!("the namespace from the provided object {ns:?} does not match the namespace {:?}. You must pass '--namespace={ns}' to perform this operation.", self.namespace));
            }
            let patch = diff(original, item);
            if ["apiVersion", "kind"]
                .iter()
                .any(|k| patch.get(k).is_some())
                || patch.pointer("/metadata/name").is_some()
            {
                return self
                    .preserved(out, "At least one of apiVersion, kind and name was changed");
            }
            let name = name_of(original);
            if patch.as_object().is_some_and(|p| p.is_empty()) {
                out.print(&self.result(*kind, "skipped", item.clone()));
                continue;
            }
            let scope = if kind.namespaced() {
                self.namespace.as_str()
            } else {
                ""
            };
            let resource = resource(*kind, original);
            let Some(live) = cluster
                .store()
                .get(&ObjectKey::new(*kind, scope, name))
                .cloned()
            else {
                out.err(format!(
                    "error: {resource} could not be found on the server"
                ));
                not_found = true;
                continue;
            };
            let mut edited = merge_patch(&live.to_json(), &patch);
            if let Some(cause) = &self.change_cause {
                record::note_json(&mut edited, cause);
            }
            match update_json(cluster, &live, edited) {
                Ok(updated) => {
                    for warning in &updated.warnings {
                        out.err(warning);
                    }
                    out.print(&self.result(*kind, "edited", updated.object.to_json()));
                }
                Err(UpdateError::Api(err)) if err.reason == Reason::Invalid => {
                    let causes = err
                        .details
                        .map(|d| d.causes.iter().map(ToString::to_string).collect())
                        .unwrap_or_default();
                    reasons.push(invalid(&mut out, &resource, causes));
                }
                Err(UpdateError::Api(err)) if err.reason == Reason::NotFound => {
                    out.err(format!(
                        "error: {resource} could not be found on the server"
                    ));
                    not_found = true;
                }
                Err(UpdateError::Api(err)) => {
                    out.err(format!(
                        "error: {resource} could not be patched: {}",
                        err.message
                    ));
                    retryable = true;
                }
                Err(UpdateError::Decode(undecodable)) => {
                    // The apiserver's converter refuses the patched object: an
                    // Invalid about the (strategic merge) patch.
                    let cause =
                        patch_cause(&patch, undecodable.converter.unwrap_or(undecodable.json));
                    reasons.push(invalid(&mut out, &resource, vec![cause.to_string()]));
                }
            }
        }
        if retryable {
            let hint = format!(
                "You can run `kubectl replace -f {}` to try this update again.",
                self.path
            );
            return ended_with(out, hint);
        }
        if not_found {
            let hint = format!(
                "The edits you made on deleted resources have been saved to {:?}",
                self.path
            );
            return ended_with(out, hint);
        }
        if reasons.is_empty() {
            return Saved::Done {
                output: out,
                keep_file: false,
            };
        }
        self.reopen(out, edited, reasons)
    }

    /// What kubectl prints for an object it edited or skipped: its name
    /// printer's line, or with `-o` the object (a fresh printer each time,
    /// so several YAML objects have no `---` between them).
    fn result(&self, kind: Kind, operation: &str, object: Value) -> String {
        let Some(yaml) = self.print_object else {
            return format!(
                "{}/{} {operation}\n",
                kind.qualified_singular(),
                name_of(&object)
            );
        };
        super::encode(&without_managed_fields(object), yaml)
    }

    /// `statefulsets.apps "web"`: the first object shown, as kubectl names
    /// the buffer when it fails as a whole.
    fn first_resource(&self) -> String {
        self.originals
            .first()
            .map(|(kind, object)| resource(*kind, object))
            .unwrap_or_default()
    }

    /// kubectl's `preservedFile`: where the changes are kept, then the error.
    fn preserved(&self, mut out: Output, error: &str) -> Saved {
        out.err(format!(
            "A copy of your changes has been stored to {:?}",
            self.path
        ));
        ended_with(out, format!("error: {error}"))
    }

    fn reopen(&mut self, output: Output, edited: &str, reasons: Vec<Retry>) -> Saved {
        // A JSON buffer has no header, so the causes are not shown (as in kubectl).
        let mut buffer = String::new();
        if self.yaml {
            buffer.push_str(HEADER);
            for reason in &reasons {
                let colon = if reason.causes.is_empty() { "" } else { ":" };
                buffer.push_str(&format!("# {}{colon}\n", comment(&reason.head)));
                for cause in &reason.causes {
                    buffer.push_str(&format!("# * {}\n", comment(cause)));
                }
                buffer.push_str("#\n");
            }
        }
        buffer.push_str(&manual_strip(edited));
        self.refused = Some(edited.to_string());
        self.written.clone_from(&buffer);
        Saved::Reopen { output, buffer }
    }
}

/// The edit fails with `last` as its final line; the buffer stays where it is.
fn ended_with(mut out: Output, last: String) -> Saved {
    out.err(last);
    out.code = 1;
    Saved::Done {
        output: out,
        keep_file: true,
    }
}

/// kubectl's addError for an invalid object: the error line now, and the
/// reason the reopened buffer's header lists.
fn invalid(out: &mut Output, resource: &str, causes: Vec<String>) -> Retry {
    out.err(format!("error: {resource} is invalid"));
    Retry {
        head: format!("{resource} was not valid"),
        causes,
    }
}

/// An object's name, or nothing.
fn name_of(object: &Value) -> &str {
    object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// `statefulsets.apps "web"`, as kubectl names an object in its errors.
fn resource(kind: Kind, object: &Value) -> String {
    format!("{} {:?}", kind.qualified_plural(), name_of(object))
}

/// An object as kubectl's printers show it by default.
fn without_managed_fields(mut object: Value) -> Value {
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    object
}

/// The objects in the saved buffer: one, or the items of a List.
/// Why the saved buffer yields no objects.
enum Unparsed {
    /// Not YAML (or JSON) at all: `yaml: line 3: …`.
    Syntax(String),
    /// A document without a kind.
    Kind(String),
}

fn parse(text: &str) -> Result<Vec<Value>, Unparsed> {
    let mut items = Vec::new();
    for document in serde_yaml::Deserializer::from_str(text) {
        let value =
            Value::deserialize(document).map_err(|e| Unparsed::Syntax(yaml_error(&e, text)))?;
        match value {
            Value::Null => {}
            Value::Object(ref map) if map.get("kind").and_then(Value::as_str) == Some("List") => {
                items.extend(
                    map.get("items")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                )
            }
            Value::Object(ref map) if map.get("kind").is_some_and(|k| k.is_string()) => {
                items.push(value)
            }
            other => {
                return Err(Unparsed::Kind(format!(
                    "Object 'Kind' is missing in '{other}'"
                )))
            }
        }
    }
    Ok(items)
}

/// kubectl's StripComments: the content as JSON when it parses, else the
/// text without its comment lines; so reformatting alone is no change.
fn strip_comments(text: &str) -> String {
    match parse(text) {
        Ok(items) => Value::Array(items).to_string(),
        Err(_) => manual_strip(text),
    }
}

/// The text without lines that are comments (`#`, but not `#!`).
fn manual_strip(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|line| {
            let line = line.trim();
            !line.starts_with('#') || line.starts_with("#!")
        })
        .collect()
}

/// A message inside the header: every line of it commented.
fn comment(text: &str) -> String {
    text.replace('\n', "\n# ")
}
