//! `kubectl apply -f` and `kubectl create -f`.
//!
//! As kubectl does, every document is read first; each object is then sent
//! in file order and its success line printed, and the errors (reading
//! errors first, then the server's) are printed together at the end.

use std::rc::Rc;

use serde_json::{Map, Value};

use super::args::{Parsed, Spec, Takes};
use super::dry_run::DryRun;
use super::manifest::{self, patch_cause, Document, Failure, FieldValidation};
use super::merge::three_way;
use super::output::Output;
use super::record;
use super::Context;
use crate::sim::last_applied::{self, LAST_APPLIED};
use crate::sim::object::{Kind, Object};
use crate::sim::{ApiError, Cluster, ObjectKey};

/// `-R` only matters for directories, which the playground's files never are.
const FILE_FLAGS: &[(&str, Option<char>, Takes)] = &[
    ("dry-run", None, Takes::Value),
    ("filename", Some('f'), Takes::Value),
    ("recursive", Some('R'), Takes::Bool),
    ("validate", None, Takes::Value),
    record::FLAG,
];

pub const APPLY_SPEC: Spec = Spec {
    flags: FILE_FLAGS,
    not_simulated: &[
        "all",
        "allow-missing-template-keys",
        "applyset",
        "cascade",
        "field-manager",
        "force",
        "force-conflicts",
        "grace-period",
        "kustomize",
        "openapi-patch",
        "output",
        "overwrite",
        "prune",
        "prune-allowlist",
        "selector",
        "server-side",
        "show-managed-fields",
        "template",
        "timeout",
        "wait",
    ],
};

pub const CREATE_SPEC: Spec = Spec {
    flags: FILE_FLAGS,
    not_simulated: &[
        "allow-missing-template-keys",
        "edit",
        "field-manager",
        "kustomize",
        "output",
        "raw",
        "save-config",
        "selector",
        "show-managed-fields",
        "template",
        "windows-line-endings",
    ],
};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Apply,
    Create,
    /// `kubectl replace`: the object as written, over the live one.
    Replace,
    /// `kubectl replace --force`: the live one was deleted; create it again.
    ForceReplace,
}

impl Mode {
    fn verb(self) -> &'static str {
        match self {
            Mode::Apply => "apply",
            Mode::Create => "create",
            Mode::Replace | Mode::ForceReplace => "replace",
        }
    }
}

/// An error kubectl collects while applying a file.
pub(crate) enum Failed {
    /// A client-side error (`error: …` when alone).
    Client(String),
    Api(ApiError),
}

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed, mode: Mode) -> Output {
    if let Some(refusal) = unexpected_args(parsed, mode) {
        return refusal;
    }
    let files = parsed.values("filename");
    if files.is_empty() {
        return Output::error("must specify one of -f and -k");
    }
    let (validation, dry_run) = match sending_flags(parsed) {
        Ok(flags) => flags,
        Err(out) => return out,
    };
    let mut out = Output::default();
    send_all(cluster, ctx, parsed, (validation, mode, dry_run), &mut out);
    out
}

/// The commands that send files take no arguments besides their flags.
pub(crate) fn unexpected_args(parsed: &Parsed, mode: Mode) -> Option<Output> {
    (!parsed.positionals.is_empty()).then(|| {
        Output::fail(format!(
            "error: Unexpected args: [{}]\nSee 'kubectl {} -h' for help and examples",
            parsed.positionals.join(" "),
            mode.verb()
        ))
    })
}

/// `--validate` and `--dry-run`, which every command that sends files reads.
pub(crate) fn sending_flags(parsed: &Parsed) -> Result<(FieldValidation, DryRun), Output> {
    let validation = FieldValidation::from_flag(parsed.value("validate")).map_err(Output::error)?;
    let dry_run = DryRun::from_flag(parsed).map_err(Output::error)?;
    Ok((validation, dry_run))
}

/// Sends every object of the `-f` files as `mode` says and prints each
/// success line. A server dry run goes through everything on a copy that is
/// dropped, one object at a time.
pub(crate) fn send_all(
    cluster: &mut Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
    (validation, mode, dry_run): (FieldValidation, Mode, DryRun),
    out: &mut Output,
) {
    let found = each_document(
        cluster,
        ctx,
        parsed,
        validation,
        mode,
        out,
        |cluster, document, source, out| {
            let sent = Sent {
                source,
                mode,
                dry_run,
            };
            let line = match dry_run {
                DryRun::Server => apply_one(&mut cluster.clone(), ctx, parsed, document, sent, out),
                _ => apply_one(cluster, ctx, parsed, document, sent, out),
            }?;
            out.out(format!("{line}{}", dry_run.note()));
            Ok(())
        },
    );
    // Files that hold nothing (empty, or only comments): kubectl says so.
    if found == 0 && out.code == 0 {
        out.merge(Output::error(format!(
            "no objects passed to {}",
            mode.verb()
        )));
    }
}

/// What `kubectl diff` compares for one object: the live object, if any, and
/// what applying the manifest would make of it (a server dry run).
pub struct Compared {
    pub live: Option<Rc<Object>>,
    pub merged: Rc<Object>,
}

/// Applies every object of the `-f` files on a copy of the cluster, as
/// `kubectl diff` asks the server to, and hands back each before and after.
pub fn compare(
    cluster: &mut Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
) -> (Vec<Compared>, Output) {
    let mut out = Output::default();
    let mut compared = Vec::new();
    let validation = match sending_flags(parsed) {
        Ok((validation, _)) => validation,
        Err(out) => return (compared, out),
    };
    let mode = Mode::Apply;
    each_document(
        cluster,
        ctx,
        parsed,
        validation,
        mode,
        &mut out,
        |cluster, document, source, out| {
            let sent = Sent {
                source,
                mode,
                dry_run: DryRun::Server,
            };
            let mut copy = cluster.clone();
            let key = document_key(ctx, parsed, &document);
            apply_one(&mut copy, ctx, parsed, document, sent, out)?;
            let live = cluster.store().get(&key).cloned();
            let Some(mut merged) = copy.store().get(&key).map(|o| (**o).clone()) else {
                return Ok(());
            };
            // A dry run stores nothing: the object keeps the version it had, and
            // a new one has none yet.
            merged.meta_mut().resource_version = live
                .as_ref()
                .and_then(|l| l.meta().resource_version.clone());
            compared.push(Compared {
                live,
                merged: Rc::new(merged),
            });
            Ok(())
        },
    );
    (compared, out)
}

/// Where a manifest's object goes: its own namespace, or the flag's or the
/// context's when it names none.
pub(crate) fn document_key(ctx: &Context<'_>, parsed: &Parsed, document: &Document) -> ObjectKey {
    let object = &document.object;
    let namespace = match object.meta().namespace.as_deref() {
        Some(ns) => ns.to_string(),
        None => ctx_namespace(ctx, parsed, object.kind()),
    };
    ObjectKey::new(object.kind(), &namespace, object.name())
}

/// Reads every `-f` file and hands each object it holds to `send`, then
/// reports what could not be read or sent, as kubectl does after the lot.
/// Returns how many documents the files held, sent or not.
pub(crate) fn each_document(
    cluster: &mut Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
    validation: FieldValidation,
    mode: Mode,
    out: &mut Output,
    mut send: impl FnMut(&mut Cluster, Document, &str, &mut Output) -> Result<(), Failed>,
) -> usize {
    let mut found = 0;
    let mut read_errors = Vec::new();
    let mut send_errors = Vec::new();
    let mut hints = Vec::new();
    let mut manifests = Vec::new();
    for file in parsed.values("filename") {
        match ctx.read_all(file) {
            Ok(found) => manifests.extend(found),
            Err(err) => read_errors.push(Failed::Client(err)),
        }
    }
    for (file, text) in manifests {
        let source = if file == "-" {
            "STDIN".to_string()
        } else {
            file
        };
        let decoded = manifest::decode(&text, &source, validation);
        found += decoded.documents.len();
        for document in decoded.documents {
            match document {
                Ok(document) => {
                    if let Err(failed) = send(cluster, document, &source, out) {
                        send_errors.push(failed);
                    }
                }
                Err(problem) => {
                    hints.extend(problem.hints);
                    match problem.failure {
                        Failure::Client(text) => read_errors.push(Failed::Client(text)),
                        Failure::BadRequest {
                            kind,
                            name,
                            namespace,
                            message,
                            document,
                            converter,
                        } => {
                            let namespace =
                                namespace.unwrap_or_else(|| ctx_namespace(ctx, parsed, kind));
                            let key = crate::sim::ObjectKey::new(kind, &namespace, &name);
                            let refusal = Refusal {
                                error: ApiError::bad_request(message),
                                converter,
                            };
                            send_errors.push(Failed::Api(refused(
                                cluster, &key, &document, refusal, &source, mode,
                            )));
                        }
                    }
                }
            }
        }
        if let Some(stop) = decoded.stop {
            hints.extend(stop.hints);
            if let Failure::Client(text) = stop.failure {
                read_errors.push(Failed::Client(text));
            }
        }
    }
    read_errors.extend(send_errors);
    report(out, &read_errors);
    for hint in hints {
        out.err(hint);
    }
    found
}

pub(crate) fn ctx_namespace(ctx: &Context<'_>, parsed: &Parsed, kind: Kind) -> String {
    if kind.namespaced() {
        parsed
            .value("namespace")
            .unwrap_or(ctx.namespace)
            .to_string()
    } else {
        String::new()
    }
}

/// kubectl's checkErr for one error, MultipleErrors for several.
fn report(out: &mut Output, errors: &[Failed]) {
    match errors {
        [] => {}
        [Failed::Client(text)] => out.err(if text.starts_with("error: ") {
            text.clone()
        } else {
            format!("error: {text}")
        }),
        [Failed::Api(err)] => out.err(err.kubectl_text()),
        many => {
            for failed in many {
                match failed {
                    Failed::Client(text) => out.err(text),
                    Failed::Api(err) => out.err(err.server_text()),
                }
            }
        }
    }
    if !errors.is_empty() {
        out.code = 1;
    }
}

/// Why the server refused a document it could not decode: its BadRequest
/// for a create or update, and its unstructured converter's words for the
/// same value, which is what a patch (an apply to an existing object) gets.
struct Refusal {
    error: ApiError,
    converter: Option<String>,
}

/// The server refused an object it could not decode: wrapped as a create
/// error, or for an object that exists, as kubectl's failed patch.
fn refused(
    cluster: &Cluster,
    key: &crate::sim::ObjectKey,
    document: &Value,
    refusal: Refusal,
    source: &str,
    mode: Mode,
) -> ApiError {
    let Refusal { error, converter } = refusal;
    match (cluster.store().get(key), mode) {
        (Some(live), Mode::Apply) => {
            let namespace = key.kind.namespaced().then_some(key.namespace.as_str());
            let applied = last_applied::configuration(document.clone(), namespace);
            let patch = patch_value(last_applied(live).as_ref(), &applied);
            match converter {
                // applyPatchToObject: an Invalid about the patch, whose
                // causes kubectl prints instead of its own wrapping.
                Some(detail) => ApiError::invalid_request(vec![patch_cause(&patch, detail)]),
                None => {
                    let text = serde_json::to_string(&patch).unwrap_or_default();
                    patch_error(key.kind, &key.namespace, &key.name, &text, error, source)
                }
            }
        }
        (_, Mode::Replace) => error.with_source("replacing", source),
        _ => error.with_source("creating", source),
    }
}

fn last_applied(live: &Object) -> Option<Value> {
    live.meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
}

/// The patch kubectl sends, as its error shows it: the changes from the last
/// applied configuration to the new one, with the new annotation.
fn patch_value(previous: Option<&Value>, desired: &Value) -> Value {
    let mut patch = diff(previous.unwrap_or(&Value::Null), desired);
    let annotation = last_applied::text(desired);
    if let Value::Object(map) = &mut patch {
        let metadata = map
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(metadata) = metadata {
            let annotations = metadata
                .entry("annotations")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(annotations) = annotations {
                annotations.insert(LAST_APPLIED.to_string(), Value::String(annotation));
            }
        }
    }
    patch
}

/// A JSON merge patch from `old` to `new`.
fn diff(old: &Value, new: &Value) -> Value {
    match (old, new) {
        (Value::Object(old), Value::Object(new)) => {
            let mut patch = Map::new();
            for key in old.keys().filter(|k| !new.contains_key(*k)) {
                patch.insert(key.clone(), Value::Null);
            }
            for (key, value) in new {
                match old.get(key) {
                    Some(before) if before == value => {}
                    Some(before) => {
                        patch.insert(key.clone(), diff(before, value));
                    }
                    None => {
                        patch.insert(key.clone(), value.clone());
                    }
                }
            }
            Value::Object(patch)
        }
        (_, new) => new.clone(),
    }
}

/// kubectl's wrapping of a failed apply patch.
fn patch_error(
    kind: Kind,
    namespace: &str,
    name: &str,
    patch: &str,
    error: ApiError,
    source: &str,
) -> ApiError {
    let (group, version) = match kind.api_version().split_once('/') {
        Some((group, version)) => (group, version),
        None => ("", kind.api_version()),
    };
    let verb = format!(
        "applying patch:\n{patch}\nto:\nResource: \"{group}/{version}, Resource={}\", GroupVersionKind: \"{group}/{version}, Kind={}\"\nName: \"{name}\", Namespace: \"{namespace}\"\nfor:",
        kind.plural(),
        kind.name()
    );
    error
        .with_source("patching", source)
        .with_source(&verb, source)
}

/// How one object is sent: the file it came from, the verb and the dry run.
#[derive(Clone, Copy)]
struct Sent<'a> {
    source: &'a str,
    mode: Mode,
    dry_run: DryRun,
}

fn apply_one(
    cluster: &mut Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
    document: Document,
    sent: Sent<'_>,
    out: &mut Output,
) -> Result<String, Failed> {
    let Sent {
        source,
        mode,
        dry_run,
    } = sent;
    let Document {
        mut object,
        json,
        warnings,
        ..
    } = document;
    let kind = object.kind();
    let name = object.name().to_string();
    let flag_ns = parsed.value("namespace");
    if kind.namespaced() {
        let wanted = flag_ns.unwrap_or(ctx.namespace);
        match object.meta().namespace.clone() {
            Some(ns) if flag_ns.is_some_and(|f| f != ns) => {
                return Err(Failed::Client(format!(
                    "the namespace from the provided object \"{ns}\" does not match the namespace \"{wanted}\". You must pass '--namespace={ns}' to perform this operation."
                )));
            }
            Some(_) => {}
            None => object.meta_mut().namespace = Some(wanted.to_string()),
        }
        let ns = object.namespace().to_string();
        if dry_run != DryRun::Client
            && cluster
                .store()
                .get_typed::<k8s_openapi::api::core::v1::Namespace>("", &ns)
                .is_none()
        {
            return Err(Failed::Api(
                ApiError::not_found(Kind::Namespace, &ns).with_source("creating", source),
            ));
        }
    } else {
        object.meta_mut().namespace = None;
    }
    let namespace = object.namespace().to_string();
    let label = format!("{}/{name}", kind.qualified_singular());
    let live = cluster.store().get(&object.key()).cloned();
    let mut json = json;
    // Recorded before apply keeps its configuration, so that has the cause too.
    if let Some(cause) = record::change_cause(mode.verb(), parsed) {
        record::note(object.meta_mut(), &cause);
        record::note_json(&mut json, &cause);
    }
    let json = last_applied::configuration(json, kind.namespaced().then_some(namespace.as_str()));
    if mode == Mode::Apply {
        object
            .meta_mut()
            .annotations
            .get_or_insert_with(Default::default)
            .insert(LAST_APPLIED.to_string(), last_applied::text(&json));
    }
    for warning in warnings {
        out.err(format!("Warning: {warning}"));
    }
    if dry_run == DryRun::Client {
        // kubectl sends nothing: an object it finds is "configured" unseen.
        let verb = match (&live, mode) {
            (Some(_), Mode::Apply) => "configured",
            (_, Mode::Replace | Mode::ForceReplace) => "replaced",
            _ => "created",
        };
        return Ok(format!("{label} {verb}"));
    }
    match (live, mode) {
        (None, Mode::Replace) => Err(Failed::Api(
            ApiError::not_found(kind, &name).with_source("replacing", source),
        )),
        (None, _) => match cluster.create(object) {
            Ok(_) if mode == Mode::ForceReplace => Ok(format!("{label} replaced")),
            Ok(_) => Ok(format!("{label} created")),
            Err(err) => Err(Failed::Api(err.with_source("creating", source))),
        },
        (Some(_), Mode::Replace) => {
            // An update without a resourceVersion: the last write wins.
            object.meta_mut().resource_version = None;
            match cluster.update(object) {
                Ok(_) => Ok(format!("{label} replaced")),
                Err(err) => Err(Failed::Api(err.with_source("replacing", source))),
            }
        }
        (Some(_), Mode::Create | Mode::ForceReplace) => Err(Failed::Api(
            ApiError::already_exists(kind, &name).with_source("creating", source),
        )),
        (Some(live), Mode::Apply) => {
            let previous = last_applied(&live);
            let desired = object.to_json();
            let current = live.to_json();
            let mut merged_json = three_way(&current, previous.as_ref(), &desired);
            if merged_json == current {
                // kubectl's patch is empty: it sends nothing.
                return Ok(format!("{label} unchanged"));
            }
            if let Some(meta) = merged_json
                .get_mut("metadata")
                .and_then(|m| m.as_object_mut())
            {
                meta.remove("resourceVersion");
            }
            let merged = Object::from_json(kind, merged_json).map_err(|err| {
                Failed::Client(format!("error when applying patch to \"{source}\": {err}"))
            })?;
            match cluster.update(merged) {
                // Even when the server changes nothing: kubectl judges by its
                // patch, made against the live text. A manifest that writes a
                // quantity otherwise than it is stored (cpu: 0.5 for 500m,
                // kubernetes/kubernetes#116135), or a StatefulSet whose claim
                // templates the server defaulted (their list is replaced
                // whole), is "configured" at every apply.
                Ok(_) => Ok(format!("{label} configured")),
                Err(err) => {
                    let patch = serde_json::to_string(&patch_value(previous.as_ref(), &json))
                        .unwrap_or_default();
                    Err(Failed::Api(patch_error(
                        kind, &namespace, &name, &patch, err, source,
                    )))
                }
            }
        }
    }
}
