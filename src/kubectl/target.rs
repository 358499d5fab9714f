//! Which objects a command is about, as kubectl's resource builder finds
//! them: `type name...`, `type/name...`, or a type with `-l`/`--all`,
//! in the namespace from `-n` (or every namespace with `-A`).

use std::rc::Rc;

use super::args::Parsed;
use super::get::requests;
use super::manifest;
use super::output::Output;
use super::selector::Selector;
use super::Context;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::{ApiError, Cluster};

/// kubectl's answer to a command that names no objects at all, for the
/// commands that take files too (delete, edit, patch).
pub const NO_RESOURCES_GIVEN: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// The objects the manifests of `-f` name, in the order they come: a
/// document without a namespace is in `namespace`. A document that cannot
/// be read prints its error, and the others are still named.
pub fn in_files(
    ctx: &Context<'_>,
    parsed: &Parsed,
    namespace: &str,
    out: &mut Output,
) -> Result<Vec<ObjectKey>, Output> {
    let mut manifests = Vec::new();
    for file in parsed.values("filename") {
        manifests.extend(ctx.read_all(file).map_err(Output::error)?);
    }
    let mut keys = Vec::new();
    for (file, text) in manifests {
        let (found, error) = manifest::identities(&text, &file);
        for (kind, written, name) in found {
            let ns = match written.as_deref() {
                _ if !kind.namespaced() => "",
                None | Some("") => namespace,
                Some(ns) => ns,
            };
            keys.push(ObjectKey::new(kind, ns, &name));
        }
        if let Some(error) = error {
            out.err(format!("error: {error}"));
            out.code = 1;
        }
    }
    Ok(keys)
}

/// kubectl refuses resource arguments beside `-f`.
pub fn files_alone(parsed: &Parsed) -> Result<(), Output> {
    if parsed.positionals.is_empty() {
        return Ok(());
    }
    Err(Output::error(
        "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well",
    ))
}

/// `-f` for the commands that read objects: what the manifests name, found
/// or missing.
pub fn named_in_files(
    cluster: &Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
    namespace: &str,
    out: &mut Output,
) -> Result<Targets, Output> {
    files_alone(parsed)?;
    let mut targets = Targets::default();
    for key in in_files(ctx, parsed, namespace, out)? {
        match cluster.store().get(&key) {
            Some(object) => targets.objects.push(object.clone()),
            None => targets
                .missing
                .push(ApiError::not_found(key.kind, &key.name).kubectl_text()),
        }
    }
    Ok(targets)
}

/// The objects found, in the order asked for, and one error line per name
/// that does not exist.
#[derive(Default)]
pub struct Targets {
    pub objects: Vec<Rc<Object>>,
    pub missing: Vec<String>,
    /// Whether a list (no names) was asked for, which prints "No resources
    /// found" rather than NotFound when it comes back empty.
    pub listed: bool,
}

impl Targets {
    /// `No resources found in default namespace.` for an empty list.
    pub fn report_missing(&self, out: &mut Output, namespace: Option<&str>) {
        for line in &self.missing {
            out.err(line);
            out.code = 1;
        }
        if self.listed && self.objects.is_empty() && self.missing.is_empty() {
            out.err(super::get::no_resources(&namespace.map(str::to_string)));
        }
    }
}

/// The namespace a command works in: `-n`, else the terminal's.
pub fn namespace<'a>(parsed: &'a Parsed, ctx: &'a Context<'_>) -> &'a str {
    parsed.value("namespace").unwrap_or(ctx.namespace)
}

/// Finds the objects named by `positionals` with the selector and scope of
/// `parsed`. `need_names` makes a bare type without `-l`/`--all` an error,
/// as for the verbs that change objects.
pub fn find(
    cluster: &Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
    positionals: &[String],
    need_names: bool,
) -> Result<Targets, Output> {
    let selector =
        Selector::parse(parsed.value("selector").unwrap_or("")).map_err(Output::error)?;
    let all_namespaces = parsed.bool("all-namespaces");
    let namespace = namespace(parsed, ctx);
    let mut targets = Targets::default();
    for (kind, names) in requests(positionals)? {
        let scope = if kind.namespaced() { namespace } else { "" };
        if names.is_empty() {
            if need_names && parsed.value("selector").is_none() && !parsed.bool("all") {
                return Err(Output::error(
                    "resource(s) were provided, but no name was specified",
                ));
            }
            targets.listed = true;
            targets.objects.extend(
                cluster
                    .store()
                    .list(kind)
                    .filter(|o| all_namespaces || !kind.namespaced() || o.namespace() == scope)
                    .filter(|o| selector.matches(o.meta().labels.as_ref()))
                    .cloned(),
            );
            continue;
        }
        if parsed.value("selector").is_some() {
            let slash_form = positionals.first().is_some_and(|p| p.contains('/'));
            return Err(Output::error(if slash_form {
                "selectors and the all flag cannot be used when passing resource/name arguments"
            } else {
                "name cannot be provided when a selector is specified"
            }));
        }
        for name in names {
            match cluster.store().get(&ObjectKey::new(kind, scope, &name)) {
                Some(object) => targets.objects.push(object.clone()),
                None => targets
                    .missing
                    .push(ApiError::not_found(kind, &name).kubectl_text()),
            }
        }
    }
    Ok(targets)
}

/// The one object of a kind a command like `rollout` or `scale` names.
pub fn one_of(
    cluster: &Cluster,
    kind: Kind,
    namespace: &str,
    name: &str,
) -> Result<Rc<Object>, Output> {
    cluster
        .store()
        .get(&ObjectKey::new(kind, namespace, name))
        .cloned()
        .ok_or_else(|| Output::fail(ApiError::not_found(kind, name).kubectl_text()))
}
