//! `kubectl get`: server-side tables (normal and wide), the generic
//! formats of `formats.rs`, `--sort-by`, `--field-selector`, and the start
//! of `--watch`.

use std::rc::Rc;

use super::args::{Parsed, Spec, Takes};
use super::field_selector::FieldSelector;
use super::formats::{self, list_json, Format, Printer};
use super::output::Output;
use super::printers;
use super::resources;
use super::selector::Selector;
use super::table::TableWriter;
use super::target;
use super::watch::Watch;
use super::Context;
use crate::sim::object::{Kind, Object};
use crate::sim::{ApiError, Cluster};

pub const SPEC: Spec = Spec {
    flags: &[
        ("all-namespaces", Some('A'), Takes::Bool),
        ("output", Some('o'), Takes::Value),
        ("template", None, Takes::Value),
        ("selector", Some('l'), Takes::Value),
        ("field-selector", None, Takes::Value),
        ("watch", Some('w'), Takes::Bool),
        ("watch-only", None, Takes::Bool),
        ("output-watch-events", None, Takes::Bool),
        ("show-labels", None, Takes::Bool),
        ("label-columns", Some('L'), Takes::Value),
        ("no-headers", None, Takes::Bool),
        ("sort-by", None, Takes::Value),
        ("show-kind", None, Takes::Bool),
        ("ignore-not-found", None, Takes::Bool),
        ("chunk-size", None, Takes::Value),
        ("allow-missing-template-keys", None, Takes::Bool),
        ("filename", Some('f'), Takes::Value),
    ],
    not_simulated: &[
        "recursive",
        "kustomize",
        "raw",
        "server-print",
        "show-managed-fields",
        "subresource",
    ],
};

/// What `get` was asked for, shared with `--watch`.
#[derive(Clone, Debug)]
pub struct Query {
    pub kind: Kind,
    /// None for `-A` or cluster-scoped kinds.
    pub namespace: Option<String>,
    pub names: Vec<String>,
    pub selector: Selector,
    pub fields: FieldSelector,
}

impl Query {
    pub fn matches(&self, object: &Object) -> bool {
        object.kind() == self.kind
            && self
                .namespace
                .as_deref()
                .is_none_or(|ns| object.namespace() == ns)
            && (self.names.is_empty() || self.names.iter().any(|n| n == object.name()))
            && self.selector.matches(object.meta().labels.as_ref())
            && self.fields.matches(object)
    }

    pub fn list(&self, cluster: &Cluster) -> Vec<Rc<Object>> {
        let mut found: Vec<Rc<Object>> = cluster
            .store()
            .list(self.kind)
            .filter(|o| self.matches(o))
            .cloned()
            .collect();
        // Named objects come back in the order they were asked for.
        if !self.names.is_empty() {
            found.sort_by_key(|o| self.names.iter().position(|n| n == o.name()));
        }
        found
    }
}

/// The result of `get`: its output, and a watch to keep running for `-w`.
pub struct Got {
    pub output: Output,
    pub watch: Option<Watch>,
}

pub fn run(cluster: &Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Got {
    let mut got = match run_inner(cluster, ctx, parsed) {
        Ok(got) => got,
        Err(output) => Got {
            output,
            watch: None,
        },
    };
    if asks_endpoints(parsed) {
        // The apiserver's warning header on every v1 Endpoints request.
        let mut warned = Output::default();
        warned.err(ENDPOINTS_DEPRECATED);
        warned.merge(got.output);
        got.output = warned;
    }
    got
}

/// A kind, the namespace a manifest names (None: the command's) and names.
type Request = (Kind, Option<String>, Vec<String>);

/// What `get -f` asks for: the objects the manifests name, by kind and
/// namespace in the order they come.
fn file_requests(
    ctx: &Context<'_>,
    parsed: &Parsed,
    namespace: &str,
    out: &mut Output,
) -> Result<Vec<Request>, Output> {
    target::files_alone(parsed)?;
    let mut requests: Vec<Request> = Vec::new();
    for key in target::in_files(ctx, parsed, namespace, out)? {
        let ns = Some(key.namespace).filter(|ns| !ns.is_empty());
        match requests
            .iter_mut()
            .find(|(k, n, _)| *k == key.kind && *n == ns)
        {
            Some((_, _, names)) => names.push(key.name),
            None => requests.push((key.kind, ns, vec![key.name])),
        }
    }
    Ok(requests)
}

/// Whether the command reads v1 Endpoints, which draws the apiserver's
/// warning ([`ENDPOINTS_DEPRECATED`]).
pub fn asks_endpoints(parsed: &Parsed) -> bool {
    requests(&parsed.positionals).is_ok_and(|r| r.iter().any(|(kind, _)| *kind == Kind::Endpoints))
}

/// The apiserver's warning on v1 Endpoints requests; kubectl's warning
/// handler deduplicates it, so a command prints it once.
pub const ENDPOINTS_DEPRECATED: &str =
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice";

fn run_inner(cluster: &Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Result<Got, Output> {
    let format = formats::parse(parsed, ctx).map_err(Output::error)?;
    let selector =
        Selector::parse(parsed.value("selector").unwrap_or("")).map_err(Output::error)?;
    let fields = FieldSelector::parse(parsed.value("field-selector").unwrap_or(""))
        .map_err(Output::error)?;
    let all_namespaces = parsed.bool("all-namespaces");
    let namespace = parsed
        .value("namespace")
        .unwrap_or(ctx.namespace)
        .to_string();
    let mut unreadable = Output::default();
    let from_files = !parsed.values("filename").is_empty();
    let requests = if from_files {
        file_requests(ctx, parsed, &namespace, &mut unreadable)?
    } else {
        requests(&parsed.positionals)?
            .into_iter()
            .map(|(kind, names)| (kind, None, names))
            .collect()
    };
    if !from_files
        && parsed.value("selector").is_some()
        && requests.iter().any(|(_, _, names)| !names.is_empty())
    {
        return Err(Output::error(
            if parsed.positionals.iter().any(|p| p.contains('/')) {
                "selectors and the all flag cannot be used when passing resource/name arguments"
            } else {
                "name cannot be provided when a selector is specified"
            },
        ));
    }
    // `get pod web-0`, `get pod/web-0` and `get -f pod.yaml` print the
    // object, not a List (not so for stdin: kubectl cannot tell then).
    let single = requests.len() == 1
        && requests[0].2.len() == 1
        && parsed.values("filename").iter().all(|f| *f != "-");
    let queries: Vec<Query> = requests
        .into_iter()
        .map(|(kind, written, names)| Query {
            kind,
            namespace: (kind.namespaced() && !all_namespaces)
                .then(|| written.unwrap_or_else(|| namespace.clone())),
            names,
            selector: selector.clone(),
            fields: fields.clone(),
        })
        .collect();
    for query in &queries {
        fields.check(query.kind).map_err(Output::fail)?;
    }
    let sort_by = parsed
        .value("sort-by")
        .map(formats::relaxed_path)
        .transpose()
        .map_err(Output::error)?;
    let watching = parsed.bool("watch") || parsed.bool("watch-only");
    let mut out = Output::default();
    if watching {
        if queries.len() != 1 {
            return Err(Output::error("you may only specify a single resource type"));
        }
        if parsed.value("sort-by").is_some() {
            let which = if parsed.bool("watch-only") {
                "--watch-only requested, --sort-by will be ignored"
            } else {
                "--watch requested, --sort-by will be ignored for watch events received"
            };
            out.err(format!("warning: {which}"));
        }
        let query = queries
            .into_iter()
            .next()
            .ok_or_else(|| Output::error("no resource type"))?;
        for name in &query.names {
            if cluster
                .store()
                .list(query.kind)
                .all(|o| o.name() != name || !query.matches(o))
            {
                return Err(Output::fail(
                    ApiError::not_found(query.kind, name).kubectl_text(),
                ));
            }
        }
        let mut watch = Watch::new(query, format, parsed, cluster);
        if !parsed.bool("watch-only") {
            out.print(&watch.initial(cluster).map_err(Output::error)?);
        }
        return Ok(Got {
            output: out,
            watch: Some(watch),
        });
    }
    let mut found: Vec<(Kind, Vec<Rc<Object>>)> = Vec::new();
    // kubectl prints what it found, then the errors for names it did not find.
    let mut missing = Output::default();
    for query in &queries {
        let objects = query.list(cluster);
        for name in &query.names {
            if !objects.iter().any(|o| o.name() == name) && !parsed.bool("ignore-not-found") {
                missing.merge(Output::fail(
                    ApiError::not_found(query.kind, name).kubectl_text(),
                ));
            }
        }
        // `-f` may name one kind in several namespaces: one table.
        match found.iter_mut().find(|(kind, _)| *kind == query.kind) {
            Some((_, all)) => all.extend(objects),
            None => found.push((query.kind, objects)),
        }
    }
    if let Some(path) = &sort_by {
        let all: Vec<Rc<Object>> = found.iter().flat_map(|(_, o)| o.iter().cloned()).collect();
        if !all.is_empty()
            && !all.iter().any(|o| {
                path.find(&o.to_json())
                    .is_ok_and(|r| r.iter().any(|v| !v.is_empty()))
            })
        {
            return Err(Output::error(format!(
                "couldn't find any field with path \"{}\" in the list of objects",
                parsed
                    .value("sort-by")
                    .map(relaxed_text)
                    .unwrap_or_default()
            )));
        }
        for (_, objects) in &mut found {
            super::sort::by_path(objects, path);
        }
    }
    match format {
        Format::Table { wide } => {
            let prefix = found.len() > 1
                || parsed
                    .positionals
                    .first()
                    .is_some_and(|p| p == "all" || p.contains(','));
            let mut first = true;
            for (kind, objects) in &found {
                if objects.is_empty() {
                    continue;
                }
                if !first && !parsed.bool("no-headers") {
                    out.print("\n");
                }
                first = false;
                let columns = Columns {
                    kind: *kind,
                    wide,
                    prefix,
                    namespace: all_namespaces && kind.namespaced(),
                    parsed,
                };
                out.print(&render_table(&columns, objects, cluster.now()));
            }
            let any = found.iter().any(|(_, o)| !o.is_empty());
            if !any && missing.code == 0 && !parsed.bool("ignore-not-found") {
                // kubectl judges the scope by the objects it printed: with
                // none, even `get pv` says "in default namespace".
                let scope = (!all_namespaces).then(|| namespace.clone());
                out.err(no_resources(&scope));
            }
        }
        generic => {
            let objects: Vec<Rc<Object>> = found.into_iter().flat_map(|(_, o)| o).collect();
            if single && objects.is_empty() {
                return Ok(Got {
                    output: missing,
                    watch: None,
                });
            }
            let value = if single && objects.len() == 1 {
                objects[0].to_json()
            } else {
                list_json(&objects)
            };
            let mut printer = Printer::new(generic, parsed.bool("no-headers"));
            match printer.print(&value, None) {
                Ok(text) => out.print(&text),
                Err(err) => {
                    out.err(format!("error: {err}"));
                    out.code = 1;
                }
            }
        }
    }
    out.merge(unreadable);
    out.merge(missing);
    Ok(Got {
        output: out,
        watch: None,
    })
}

/// The `{.a.b}` form of a relaxed path, as kubectl quotes it in errors.
fn relaxed_text(text: &str) -> String {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    format!("{{.{}}}", inner.strip_prefix('.').unwrap_or(inner))
}

/// `No resources found in default namespace.`
pub fn no_resources(namespace: &Option<String>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace."),
        None => "No resources found".to_string(),
    }
}

/// Positionals to (kind, names): `pods`, `pods a b`, `pod/a sts/b`, `pods,svc`.
pub fn requests(positionals: &[String]) -> Result<Vec<(Kind, Vec<String>)>, Output> {
    let Some(first) = positionals.first() else {
        return Err(Output::fail(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples",
        ));
    };
    if first.contains('/') {
        let mut out: Vec<(Kind, Vec<String>)> = Vec::new();
        for item in positionals {
            let Some((type_, name)) = item.split_once('/') else {
                return Err(Output::error("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"));
            };
            if name.contains('/') {
                return Err(Output::error(
                    "arguments in resource/name form may not have more than one slash",
                ));
            }
            if type_.is_empty() || name.is_empty() {
                return Err(Output::error(
                    "arguments in resource/name form must have a single resource and name",
                ));
            }
            let kind = resources::resolve(type_)
                .ok_or_else(|| Output::error(resources::unknown(type_)))?;
            match out.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, names)) => names.push(name.to_string()),
                None => out.push((kind, vec![name.to_string()])),
            }
        }
        return Ok(out);
    }
    let kinds = resources::resolve_list(first).map_err(Output::error)?;
    let names: Vec<String> = positionals[1..].to_vec();
    if names.iter().any(|n| n.contains('/')) {
        return Err(Output::error("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"));
    }
    if !names.is_empty() && kinds.len() > 1 {
        return Err(Output::error("you must specify only one resource"));
    }
    Ok(kinds.into_iter().map(|k| (k, names.clone())).collect())
}

/// How a table is laid out: which kind, `-o wide`, `kind/` name prefixes,
/// a NAMESPACE column (`-A`), and the label flags.
pub struct Columns<'a> {
    pub kind: Kind,
    pub wide: bool,
    pub prefix: bool,
    pub namespace: bool,
    pub parsed: &'a Parsed,
}

/// A whole table: header (unless `--no-headers`) and one row per object.
pub fn render_table(columns: &Columns<'_>, objects: &[Rc<Object>], now: u64) -> String {
    let mut writer = TableWriter::default();
    let mut rows = Vec::new();
    if !columns.parsed.bool("no-headers") {
        rows.push(header_row(columns));
    }
    for object in objects {
        rows.push(object_row(columns, object, now));
    }
    writer.render(&rows)
}

pub fn header_row(columns: &Columns<'_>) -> Vec<String> {
    let mut header = printers::headers(columns.kind, columns.wide);
    if columns.namespace {
        header.insert(0, "NAMESPACE".to_string());
    }
    for column in label_columns(columns.parsed) {
        header.push(column.rsplit('/').next().unwrap_or(&column).to_uppercase());
    }
    if columns.parsed.bool("show-labels") {
        header.push("LABELS".to_string());
    }
    header
}

fn label_columns(parsed: &Parsed) -> Vec<String> {
    parsed
        .values("label-columns")
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn object_row(columns: &Columns<'_>, object: &Object, now: u64) -> Vec<String> {
    let mut row = printers::row(object, now, columns.wide);
    if columns.prefix || columns.parsed.bool("show-kind") {
        row[0] = format!("{}/{}", object.kind().qualified_singular(), row[0]);
    }
    if columns.namespace {
        row.insert(0, object.namespace().to_string());
    }
    let labels = object.meta().labels.clone().unwrap_or_default();
    for column in label_columns(columns.parsed) {
        row.push(labels.get(&column).cloned().unwrap_or_default());
    }
    if columns.parsed.bool("show-labels") {
        row.push(printers::format_labels(Some(&labels)));
    }
    row
}
