//! `kubectl apply -f` and `kubectl create -f`.

use super::args::Parsed;
use super::manifest::{self, Document};
use super::merge::{three_way, LAST_APPLIED};
use super::output::Output;
use super::Context;
use crate::sim::object::Object;
use crate::sim::Cluster;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Apply,
    Create,
}

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed, mode: Mode) -> Output {
    let files = parsed.values("filename");
    if files.is_empty() {
        return Output::error("must specify one of -f and -k");
    }
    let mut out = Output::default();
    for file in files {
        let (text, source) = match ctx.read(file) {
            Ok(text) => (
                text,
                if file == "-" {
                    "STDIN".to_string()
                } else {
                    file.to_string()
                },
            ),
            Err(err) => {
                out.merge(Output::error(err));
                continue;
            }
        };
        let (documents, error) = manifest::decode(&text, &source);
        for document in documents {
            out.merge(apply_one(cluster, ctx, parsed, document, &source, mode));
        }
        if let Some(error) = error {
            let text = if error.starts_with("Error from server") {
                error
            } else {
                format!("error: {error}")
            };
            out.merge(Output::fail(text));
        }
    }
    out
}

fn apply_one(
    cluster: &mut Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
    document: Document,
    source: &str,
    mode: Mode,
) -> Output {
    let Document { mut object, json } = document;
    let kind = object.kind();
    let name = object.name().to_string();
    let flag_ns = parsed.value("namespace");
    if kind.namespaced() {
        let wanted = flag_ns.unwrap_or(ctx.namespace);
        match object.meta().namespace.clone() {
            Some(ns) if flag_ns.is_some_and(|f| f != ns) => {
                return Output::error(format!(
                    "the namespace from the provided object \"{ns}\" does not match the namespace \"{wanted}\". You must pass '--namespace={ns}' to perform this operation."
                ));
            }
            Some(_) => {}
            None => object.meta_mut().namespace = Some(wanted.to_string()),
        }
        let ns = object.namespace().to_string();
        if cluster
            .store()
            .get_typed::<k8s_openapi::api::core::v1::Namespace>("", &ns)
            .is_none()
        {
            return Output::fail(format!(
                "Error from server (NotFound): error when creating \"{source}\": namespaces \"{ns}\" not found"
            ));
        }
    } else {
        object.meta_mut().namespace = None;
    }
    let label = format!("{}/{name}", kind.qualified_singular());
    let live = cluster.store().get(&object.key()).cloned();
    let applied = serde_json::to_string(&json).unwrap_or_default();
    if mode == Mode::Apply {
        object
            .meta_mut()
            .annotations
            .get_or_insert_with(Default::default)
            .insert(LAST_APPLIED.to_string(), applied.clone() + "\n");
    }
    match (live, mode) {
        (None, _) => match cluster.create(object) {
            Ok(_) => Output::ok(format!("{label} created\n")),
            Err(err) => Output::fail(err.kubectl_text()),
        },
        (Some(_), Mode::Create) => Output::fail(format!(
            "Error from server (AlreadyExists): error when creating \"{source}\": {}",
            crate::sim::ApiError::already_exists(kind, &name).message
        )),
        (Some(live), Mode::Apply) => {
            let previous = live
                .meta()
                .annotations
                .as_ref()
                .and_then(|a| a.get(LAST_APPLIED))
                .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
            let desired = object.to_json();
            let mut merged_json = three_way(&live.to_json(), previous.as_ref(), &desired);
            if let Some(meta) = merged_json
                .get_mut("metadata")
                .and_then(|m| m.as_object_mut())
            {
                meta.remove("resourceVersion");
            }
            let merged = match Object::from_json(kind, merged_json) {
                Ok(o) => o,
                Err(err) => {
                    return Output::error(format!(
                        "error when applying patch to \"{source}\": {err}"
                    ))
                }
            };
            match cluster.update(merged) {
                Ok(updated) if updated.meta().resource_version == live.meta().resource_version => {
                    Output::ok(format!("{label} unchanged\n"))
                }
                Ok(_) => Output::ok(format!("{label} configured\n")),
                Err(err) => Output::fail(err.kubectl_text()),
            }
        }
    }
}
